"""``netmap compare`` end to end: every form on the sample maps, git history, Neo4j, sites, and its errors."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.cli.compare_commands import GIVE_TWO
from netmap.resources import sites_dir

#: The top-level keys of ``netmap compare --json`` (Comparison.to_dict, schema 1).
COMPARISON_KEYS = ["schema_version", "labels", "maps", "forced", "warnings", "counts", "joined", "left", "formed",
                   "ended", "memberships_started", "memberships_ended", "measures", "constituencies", "risers",
                   "fallers", "findings", "significance"]

#: A tie that Leeds does not have: its NHS trust and Leeds Gate in partnership.
NEW_TIE = {"from": "lypft", "to": "leeds-gate", "type": "partnership", "directed": "no", "weight": "1"}


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _run(*args) -> str:
    """What a command that succeeds prints on stdout (warnings go to stderr)."""
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(*args) -> dict:
    return json.loads(_run(*args, "--json"))


def _error(*args) -> str:
    """The one line a failing command prints (exit code 1 for a library error, 2 for a usage error)."""
    result = _invoke(*args)
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    return result.output


def _copy_site(site: str, to: Path) -> Path:
    shutil.copytree(sites_dir() / site, to)
    return to


def _add_row(path: Path, row: dict[str, str]) -> None:
    """Append ``row`` to the CSV file ``path``, its missing columns empty (whatever columns the file has)."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row.get(column, "") for column in header])


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- the sample maps at two dates


def test_pledge_from_launch_to_the_alliance():
    pledge = sites_dir() / "pledge"
    text = _run("compare", pledge, "--at", "2020-08", "--at", "2021-12", "--permutations", "0")
    assert "2020-08 -> 2021-12" in text.splitlines()[0]
    assert "Synergi National Pledge Alliance" in text
    doc = _json("compare", pledge, "--at", "2020-08", "--at", "2021-12", "--permutations", "0")
    assert list(doc) == COMPARISON_KEYS
    assert doc["labels"] == {"before": "2020-08", "after": "2021-12"}
    started = [(m["actor_id"], m["space_id"]) for m in doc["memberships_started"]]
    assert ("synergi", "pledge-alliance") in started
    assert doc["maps"]["before"]["spaces"] == 1 and doc["maps"]["after"]["spaces"] == 2  # the alliance is new
    assert doc["counts"]["joined"] == doc["counts"]["left"] == 0


def test_ariadne_2023_to_2024_the_groups_of_the_workshops_join():
    folder = sites_dir() / "ariadne"
    doc = _json("compare", folder, "--at", "2023", "--at", "2024", "--permutations", "0")
    # actors.csv dates each group from the year the source first names it
    dated_2024 = sorted(r["id"] for r in _csv_rows(folder / "actors.csv") if r.get("since", "").startswith("2024"))
    assert len(dated_2024) == 7
    assert sorted(a["id"] for a in doc["joined"]) == dated_2024
    assert doc["left"] == []
    assert doc["maps"]["before"]["actors"] == 1 and doc["maps"]["after"]["actors"] == 8


def test_synthetic_borough_at_two_dates_counts_the_ties_dated_between(tmp_path):
    folder = sites_dir() / "synthetic-borough"
    doc = _json("compare", folder, "--at", "2020", "--at", "2023", "--permutations", "0")
    ties = _csv_rows(folder / "ties.csv")
    # a tie is in a snapshot from the first day of its since (no tie of the borough has an until)
    assert all(not t["until"] for t in ties)
    between = [t for t in ties if t["since"] and 2020 < int(t["since"][:4]) <= 2023]
    assert doc["counts"]["formed"] == len(between) == 66 + 68 + 75
    assert doc["counts"]["ended"] == doc["counts"]["joined"] == doc["counts"]["left"] == 0
    assert {(t["from_id"], t["to_id"], t["type"]) for t in doc["formed"]} == {
        (t["from"], t["to"], t["type"]) for t in between}
    assert doc["maps"]["after"]["ties"] - doc["maps"]["before"]["ties"] == len(between)


def test_text_and_json_can_be_written_to_a_file(tmp_path):
    folder = sites_dir() / "pledge"
    args = ("compare", folder, "--at", "2020-08", "--at", "2021-12", "--permutations", "0")
    printed = _run(*args)
    assert _run(*args, "--out", tmp_path / "c.txt") == f"Comparison written to {tmp_path / 'c.txt'}\n"
    assert (tmp_path / "c.txt").read_text(encoding="utf-8") == printed
    _run(*args, "--json", "--out", tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8")) == _json(*args)
    # a file ending in .html gets the progress report
    assert _run(*args, "--out", tmp_path / "update.html") == f"Comparison written to {tmp_path / 'update.html'}\n"
    page = (tmp_path / "update.html").read_text(encoding="utf-8")
    assert page.lower().startswith("<!doctype html") and "Synergi National Pledge Alliance" in page


# --------------------------------------------------------------------------- two folders


@pytest.fixture
def two_leeds(tmp_path) -> tuple[Path, Path]:
    """Two copies of Leeds, both named leeds; the second has one tie more."""
    before = _copy_site("leeds", tmp_path / "2024" / "leeds")
    after = _copy_site("leeds", tmp_path / "2025" / "leeds")
    _add_row(after / "ties.csv", NEW_TIE)
    return before, after


def test_two_folders_one_tie_formed(two_leeds):
    before, after = two_leeds
    doc = _json("compare", before, after, "--permutations", "0")
    assert doc["counts"] == {"joined": 0, "left": 0, "formed": 1, "ended": 0, "closed": doc["counts"]["closed"],
                             "opened": doc["counts"]["opened"], "unchanged": doc["counts"]["unchanged"],
                             "memberships_started": 0, "memberships_ended": 0}
    tie = doc["formed"][0]
    assert (tie["from_id"], tie["to_id"], tie["type"]) == ("lypft", "leeds-gate", "partnership")
    assert (tie["from_name"], tie["to_name"]) == ("Leeds and York Partnership NHS Foundation Trust", "Leeds Gate")
    # two folders of one name are told apart by the paths given
    assert doc["labels"] == {"before": str(before), "after": str(after)}
    backwards = _json("compare", after, before, "--permutations", "0")
    assert backwards["counts"]["ended"] == 1 and backwards["counts"]["formed"] == 0


def test_two_folders_of_different_names_are_labelled_by_name(tmp_path):
    before = _copy_site("leeds", tmp_path / "leeds-2024")
    after = _copy_site("leeds", tmp_path / "leeds-2025")
    doc = _json("compare", before, after, "--permutations", "0")
    assert doc["labels"] == {"before": "leeds-2024", "after": "leeds-2025"}
    assert all(doc["counts"][k] == 0 for k in ("joined", "left", "formed", "ended"))


def test_two_folders_both_at_one_date(tmp_path):
    before = _copy_site("pledge", tmp_path / "pledge-a")
    after = _copy_site("pledge", tmp_path / "pledge-b")
    _add_row(after / "ties.csv", {"from": "swlstg", "to": "nsun", "type": "partnership", "directed": "no",
                                  "since": "2021-03"})
    _add_row(after / "ties.csv", {"from": "swlstg", "to": "wcen", "type": "partnership", "directed": "no",
                                  "since": "2024"})
    doc = _json("compare", before, after, "--at", "2021-12", "--permutations", "0")
    assert doc["labels"] == {"before": "pledge-a at 2021-12", "after": "pledge-b at 2021-12"}
    # the tie of 2024 is not there yet at the end of 2021
    assert [(t["from_id"], t["to_id"]) for t in doc["formed"]] == [("swlstg", "nsun")]
    assert doc["maps"]["after"]["spaces"] == 2


def test_different_places_need_force():
    leeds, manchester = sites_dir() / "leeds", sites_dir() / "manchester"
    assert _error("compare", leeds, manchester) == (
        "Error: the two maps are of different places (leeds: leeds; manchester: manchester): compare snapshots "
        "of one map, or use --force\n")
    doc = _json("compare", leeds, manchester, "--force", "--permutations", "0")
    assert doc["forced"] is True and doc["warnings"]


def test_a_missing_folder_is_one_line(tmp_path):
    output = _error("compare", tmp_path / "nowhere", sites_dir() / "leeds")
    assert output == f"Error: {tmp_path / 'nowhere'}: no such workspace folder\n"


# --------------------------------------------------------------------------- individuals


def _pledge_with_a_new_individual(tmp_path: Path) -> Path:
    """The pledge with a second individual, who signs in 2021 and whose id sorts before the first's."""
    folder = _copy_site("pledge", tmp_path / "pledge")
    _add_row(folder / "actors.csv", {"id": "abbott", "name": "Dr Ann Abbott", "constituencies": "academic_research",
                                     "kind": "individual", "locality": "england", "scale": "national",
                                     "since": "2021-03"})
    _add_row(folder / "memberships.csv", {"actor": "abbott", "space": "national-pledge", "role": "supporter",
                                          "since": "2021-03"})
    return folder


def test_individuals_keep_one_pseudonym_across_snapshots(tmp_path):
    folder = _pledge_with_a_new_individual(tmp_path)
    args = ("compare", folder, "--at", "2020-08", "--at", "2021-12", "--permutations", "0")
    doc = _json(*args)
    # numbered by id in each map alone, the individual present throughout would be Individual 1 before and
    # Individual 2 after, and seem to leave as the newcomer joins
    assert [a["id"] for a in doc["joined"]] == ["individual-1"]
    assert doc["joined"][0]["name"].startswith("Individual 1 (")
    assert doc["left"] == []
    assert [m["actor_id"] for m in doc["memberships_started"] if m["space_id"] == "national-pledge"] == [
        "individual-1"]
    everything = _run(*args) + json.dumps(doc)
    assert "Abbott" not in everything and "Sashidharan" not in everything
    named = _json(*args, "--names")
    assert [(a["id"], a["name"]) for a in named["joined"]] == [("abbott", "Dr Ann Abbott")]


def _pledge_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the pledge, each with a second individual (bob) tied to Synergi; the first writes
    Sashidharan's id with a capital, so the two differ only in the case of one id."""
    pair = []
    for name in ("w1", "w2"):
        folder = _copy_site("pledge", tmp_path / name)
        _add_row(folder / "actors.csv", {"id": "bob", "name": "Bob Smith", "constituencies": "academic_research",
                                         "kind": "individual", "locality": "england", "scale": "national"})
        _add_row(folder / "ties.csv", {"from": "bob", "to": "synergi", "type": "partnership", "directed": "no",
                                       "weight": "1"})
        pair.append(folder)
    for file in ("actors.csv", "memberships.csv"):
        path = pair[0] / file
        path.write_text(path.read_text(encoding="utf-8").replace("\nsashidharan,", "\nSashidharan,"),
                        encoding="utf-8")
    return pair[0], pair[1]


def test_individuals_whose_ids_differ_only_in_case_are_the_same(tmp_path):
    from netmap.snapshots import same_map
    from netmap.workspace import read_workspace

    w1, w2 = _pledge_pair(tmp_path)
    assert "Sashidharan,Professor" in (w1 / "actors.csv").read_text(encoding="utf-8")
    assert same_map(read_workspace(w1), read_workspace(w2))
    # numbered by raw id, "Sashidharan" sorts before "bob" and "sashidharan" after it: the pseudonyms
    # would swap, and a tie would seem to form and another to end
    doc = _json("compare", w1, w2, "--permutations", "0")
    assert {key: doc["counts"][key] for key in ("joined", "left", "formed", "ended")} == {
        "joined": 0, "left": 0, "formed": 0, "ended": 0}
    assert doc["memberships_started"] == doc["memberships_ended"] == []
    assert "Between w1 and w2 nothing changed" in _run("compare", w1, w2, "--permutations", "0")


def _show_names(folder: Path) -> None:
    toml = folder / "netmap.toml"
    toml.write_text('names = "show"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")


def test_names_are_shown_only_when_both_snapshots_ask_for_them(tmp_path):
    w1, w2 = _pledge_pair(tmp_path)
    _add_row(w2 / "actors.csv", {"id": "abbott", "name": "Dr Ann Abbott", "constituencies": "academic_research",
                                 "kind": "individual", "locality": "england", "scale": "national"})
    _show_names(w1)  # only the first asks: both sides by pseudonym
    args = ("compare", w1, w2, "--permutations", "0")
    doc = _json(*args)
    # abbott, bob, sashidharan: numbered once for both snapshots
    assert [(a["id"], a["name"]) for a in doc["joined"]] == [("individual-1", "Individual 1 (Research)")]
    everything = json.dumps(doc) + _run(*args)
    assert not any(name in everything for name in ("Abbott", "Bob Smith", "Sashidharan"))
    _show_names(w2)  # both ask
    assert [(a["id"], a["name"]) for a in _json(*args)["joined"]] == [("abbott", "Dr Ann Abbott")]
    (w1 / "netmap.toml").write_text((w2 / "netmap.toml").read_text(encoding="utf-8").replace('names = "show"\n', ""),
                                   encoding="utf-8")
    assert [(a["id"], a["name"]) for a in _json(*args, "--names")["joined"]] == [("abbott", "Dr Ann Abbott")]


# --------------------------------------------------------------------------- git history


def _git(repo: Path, *args: str, date: str = "2024-05-01T12:00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-c", "user.name=netmap tests", "-c", "user.email=tests@example.org",
                           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-C", str(repo), *args],
                          capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


@pytest.fixture
def history(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A git repository holding Leeds at ``repo/maps/leeds``: tagged v1 on 2024-05-01, then one tie added and
    committed on 2024-11-01 (HEAD)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = tmp_path / "repo"
    workspace = _copy_site("leeds", repo / "maps" / "leeds")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Leeds as mapped")
    _git(repo, "tag", "v1")
    _add_row(workspace / "ties.csv", NEW_TIE)
    _git(repo, "commit", "-q", "-a", "-m", "A tie", date="2024-11-01T12:00:00")
    return repo, workspace


def test_two_commits(history, tmp_path, monkeypatch):
    repo, workspace = history
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    doc = _json("compare", workspace, "--at-commit", "v1", "--at-commit", "HEAD", "--permutations", "0")
    v1, head = _git(repo, "rev-parse", "--short", "v1"), _git(repo, "rev-parse", "--short", "HEAD")
    assert doc["labels"] == {"before": f"commit {v1} (2024-05-01)", "after": f"commit {head} (2024-11-01)"}
    assert [(t["from_id"], t["to_id"]) for t in doc["formed"]] == [("lypft", "leeds-gate")]
    assert doc["counts"]["joined"] == doc["counts"]["ended"] == 0
    assert [p.name for p in scratch.iterdir() if p.name.startswith("netmap-commit-")] == []  # removed after


def test_one_commit_and_the_working_copy(history):
    _, workspace = history
    _add_row(workspace / "ties.csv", {"from": "touchstone", "to": "forum-central", "type": "partnership",
                                      "directed": "no"})  # not committed
    doc = _json("compare", workspace, "--at-commit", "HEAD", "--permutations", "0")
    assert doc["labels"]["after"] == "leeds"
    assert [(t["from_id"], t["to_id"]) for t in doc["formed"]] == [("touchstone", "forum-central")]
    from_v1 = _json("compare", workspace, "--at-commit", "v1", "--permutations", "0")
    assert from_v1["counts"]["formed"] == 2


def test_a_workspace_with_its_own_framework_file_at_a_commit(history):
    repo, workspace = history
    framework = (sites_dir().parent / "frameworks" / "whole-system.toml").read_text(encoding="utf-8")
    (workspace / "own.toml").write_text(framework.replace('key = "whole-system"', 'key = "own"', 1),
                                        encoding="utf-8")
    toml = (workspace / "netmap.toml").read_text(encoding="utf-8")
    (workspace / "netmap.toml").write_text(toml.replace('framework = "whole-system"', 'framework = "own.toml"'),
                                           encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Own framework")
    _git(repo, "tag", "v2")
    _add_row(workspace / "ties.csv", {"from": "touchstone", "to": "forum-central", "type": "partnership"})
    _git(repo, "commit", "-q", "-a", "-m", "Another tie")
    # the framework file is read again for the analysis, after the commit's files are gone
    doc = _json("compare", workspace, "--at-commit", "v2", "--at-commit", "HEAD", "--permutations", "0")
    assert doc["maps"]["before"]["framework"] == "own.toml"
    assert [(t["from_id"], t["to_id"]) for t in doc["formed"]] == [("touchstone", "forum-central")]


def test_an_unknown_revision_is_one_line(history):
    _, workspace = history
    assert _error("compare", workspace, "--at-commit", "v9", "--at-commit", "HEAD") == (
        f"Error: 'v9' is not a commit of the repository holding {workspace}\n")
    assert _error("compare", workspace, "--at-commit", "--all") == (
        f"Error: '--all' is not a commit of the repository holding {workspace}\n")


def test_a_folder_missing_at_the_commit_is_one_line(history):
    repo, _ = history
    newer = _copy_site("manchester", repo / "maps" / "manchester")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Manchester")
    v1 = _git(repo, "rev-parse", "--short", "v1")
    assert _error("compare", newer, "--at-commit", "v1", "--at-commit", "HEAD") == (
        f"Error: {newer} is not in commit {v1} (2024-05-01) of its repository\n")


def test_an_invalid_workspace_at_a_commit_names_the_folder_and_the_commit(history):
    repo, workspace = history
    _add_row(workspace / "ties.csv", {"from": "lypft", "to": "no-such-actor", "type": "partnership"})
    _git(repo, "commit", "-q", "-a", "-m", "A broken tie")
    head = _git(repo, "rev-parse", "--short", "HEAD")
    output = _error("compare", workspace, "--at-commit", "v1", "--at-commit", "HEAD")
    assert output.startswith(f"Error: {workspace} at commit {head} (2024-05-01)/ties.csv")
    assert "netmap-commit-" not in output and output.count("\n") == 1


def test_not_a_git_repository_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    workspace = _copy_site("leeds", tmp_path / "leeds")
    assert _error("compare", workspace, "--at-commit", "HEAD") == (
        f"Error: {workspace} is not in a git repository, so it has no commits to compare\n")


def test_git_not_installed_is_one_line(tmp_path, monkeypatch):
    workspace = _copy_site("leeds", tmp_path / "leeds")
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert _error("compare", workspace, "--at-commit", "HEAD") == (
        "Error: git is not installed: a snapshot at a commit reads the workspace's git history (install git, "
        "or compare two folders instead)\n")


# --------------------------------------------------------------------------- sites side by side


CREATIVE_SPACES = ("birmingham", "leeds", "manchester")


def test_sites_side_by_side():
    folders = [sites_dir() / s for s in CREATIVE_SPACES]
    text = _run("compare", "--sites", *folders)
    assert text.splitlines()[0] == "Sites side by side: birmingham, leeds, manchester"
    doc = _json("compare", "--sites", *folders)
    assert doc["kind"] == "netmap-sites"
    assert [(s["label"], s["actors"]) for s in doc["sites"]] == [
        (site, len(_csv_rows(folder / "actors.csv"))) for site, folder in zip(CREATIVE_SPACES, folders, strict=True)]
    density = next(r for r in doc["rows"] if r["key"] == "density")
    assert set(density["values"]) == set(CREATIVE_SPACES)


def test_sites_as_an_html_page(tmp_path):
    folders = [sites_dir() / s for s in CREATIVE_SPACES]
    out = tmp_path / "sites.html"
    assert _run("compare", "--sites", *folders, "--out", out) == f"Site comparison written to {out}\n"
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "manchester" in page
    _run("compare", "--sites", *folders, "--json", "--out", tmp_path / "sites.json")
    assert json.loads((tmp_path / "sites.json").read_text(encoding="utf-8"))["kind"] == "netmap-sites"


# --------------------------------------------------------------------------- wrong combinations


LEEDS = str(sites_dir() / "leeds")
PLEDGE = str(sites_dir() / "pledge")


@pytest.mark.parametrize(("args", "message"), [
    ((), GIVE_TWO),
    ((LEEDS,), GIVE_TWO),
    ((LEEDS, "--at", "2024"), GIVE_TWO),
    ((LEEDS, "--at", "2020", "--at", "2021", "--at", "2022"), GIVE_TWO),
    (("--neo4j", "a"), GIVE_TWO),
    (("--neo4j", "a", "--neo4j", "b", "--neo4j", "c"), GIVE_TWO),
    ((LEEDS, PLEDGE, LEEDS), "compare takes two folders; to set three or more sites side by side, use --sites"),
    ((LEEDS, PLEDGE, "--at", "2020", "--at", "2021"),
     "two folders or maps take at most one --at date (both are taken at it)"),
    ((LEEDS, "--neo4j", "a"), "give workspace folders or --neo4j maps, not both"),
    (("--at-commit", "v1"), "--at-commit reads the git history of one WORKSPACE folder: give exactly one"),
    ((LEEDS, PLEDGE, "--at-commit", "v1"),
     "--at-commit reads the git history of one WORKSPACE folder: give exactly one"),
    ((LEEDS, "--at-commit", "v1", "--at", "2024"), "give --at dates or --at-commit revisions, not both"),
    ((LEEDS, "--at-commit", "a", "--at-commit", "b", "--at-commit", "c"), GIVE_TWO),
    (("--sites", LEEDS), "give two or more site folders after --sites"),
    (("--sites", LEEDS, PLEDGE, "--at", "2024"),
     "--sites compares workspace folders as they are: give no --at, --at-commit or --neo4j"),
    (("--sites", LEEDS, PLEDGE, "--neo4j", "a"),
     "--sites compares workspace folders as they are: give no --at, --at-commit or --neo4j"),
    (("--sites", LEEDS, PLEDGE, "--permutations", "99"),
     "--sites sets sites side by side without tests of change: give no --force, --permutations or --seed"),
    ((LEEDS, "--at", "2020", "--at", "2021", "--json", "--out", "x.html"),
     "--json writes JSON: give --out a .json file, or leave out --json for the HTML page"),
])
def test_wrong_combinations_are_one_usage_line(args, message):
    result = _invoke("compare", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_a_bad_date_is_one_line():
    output = _error("compare", PLEDGE, "--at", "2020-13", "--at", "2021")
    assert output.startswith("Error: ") and output.count("\n") == 1 and "2020-13" in output


def test_help_shows_every_form():
    text = _run("compare", "--help")
    for form in ("--at 2020-08 --at 2021-12", "--at-commit v1 --at-commit HEAD", "--neo4j leeds-2024 --neo4j",
                 "--sites data/sites/birmingham", "leeds-2024 leeds-2025 --at 2024-06"):
        assert form in text


# --------------------------------------------------------------------------- Neo4j


@pytest.mark.neo4j
def test_two_maps_in_neo4j(neo4j_env, tmp_path, map_key):
    keys = [f"{map_key}-a", f"{map_key}-b"]
    for key, folder in zip(keys, ("a", "b"), strict=True):
        workspace = _copy_site("leeds", tmp_path / folder)
        toml = workspace / "netmap.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('map = "leeds"', f'map = "{key}"'), encoding="utf-8")
        if folder == "b":
            _add_row(workspace / "ties.csv", NEW_TIE)
        _run("neo4j", "push", workspace)
    doc = _json("compare", "--neo4j", keys[0], "--neo4j", keys[1], "--permutations", "0")
    assert doc["labels"] == {"before": f"{keys[0]} (Neo4j)", "after": f"{keys[1]} (Neo4j)"}
    assert [(t["from_id"], t["to_id"], t["type"]) for t in doc["formed"]] == [("lypft", "leeds-gate", "partnership")]
    assert doc["counts"]["joined"] == doc["counts"]["left"] == 0
    assert _error("compare", "--neo4j", keys[0], "--neo4j", f"{map_key}-none").startswith("Error: ")


def test_snapshots_named_in_full_compare_as_the_options_do():
    pledge = sites_dir() / "pledge"
    named = json.loads(_run("compare", f"{pledge}@2020-08", f"{pledge}@2021-12", "--json", "--permutations", "0"))
    options = json.loads(_run("compare", pledge, "--at", "2020-08", "--at", "2021-12", "--json",
                              "--permutations", "0"))
    assert named["labels"] == options["labels"] == {"before": "2020-08", "after": "2021-12"}
    assert named["counts"] == options["counts"]
    assert [m["space_id"] for m in named["memberships_started"]] == ["pledge-alliance"]


def test_report_compare_writes_the_progress_report(tmp_path):
    pledge = sites_dir() / "pledge"
    out = tmp_path / "update.html"
    result = _invoke("report", "--compare", f"{pledge}@2020-08", f"{pledge}@2021-12", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"Progress report written to {out}\n"
    assert "Synergi Collaborative Centre joined Synergi National Pledge Alliance" in out.read_text(encoding="utf-8")
    clash = _invoke("report", pledge, "--compare", pledge, pledge)
    assert clash.exit_code == 2
    assert ("--compare takes its two snapshots itself: give no WORKSPACE, --neo4j or --candidates with it"
            in clash.output)


def test_at_slices_the_map_every_command_reads():
    from netmap.snapshots import at
    from netmap.workspace import read_workspace

    borough = sites_dir() / "synthetic-borough"
    expected = len(at(read_workspace(borough), "2020").ties)
    doc = json.loads(_run("analyse", borough, "--at", "2020", "--json"))
    assert doc["summary"]["direct_ties"] == expected < 1200
    bad = _invoke("gaps", borough, "--at", "2024-13")
    assert bad.exit_code == 1
    assert bad.output == "Error: '2024-13' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD\n"


# --------------------------------------------------------------------------- dates given backwards, maps without dates

REVERSED = "Error: the dates are in reverse order (2021 before 2020): give the earlier date first\n"


def test_dates_in_reverse_order_are_refused():
    assert _error("compare", PLEDGE, "--at", "2021", "--at", "2020") == REVERSED
    assert _error("compare", f"{PLEDGE}@2021", f"{PLEDGE}@2020") == REVERSED
    assert _error("compare", f"{PLEDGE}@2021", f"{PLEDGE}/@2020-06") == (
        "Error: the dates are in reverse order (2021 before 2020-06): give the earlier date first\n")
    # 2020-08 ends on 31 August 2020, before 2020 does (31 December): in order
    doc = _json("compare", PLEDGE, "--at", "2020-08", "--at", "2020", "--permutations", "0")
    assert doc["labels"] == {"before": "2020-08", "after": "2020"}
    # dates of two different maps are not an order
    assert _error("compare", f"{PLEDGE}@2021", f"{LEEDS}@2020").startswith(
        "Error: the two maps are of different places")


def test_report_compare_refuses_dates_in_reverse_order(tmp_path):
    out = tmp_path / "update.html"
    assert _error("report", "--compare", f"{PLEDGE}@2021", f"{PLEDGE}@2020", "--out", out) == REVERSED
    assert not out.exists()


UNDATED = "No row of leeds carries since/until dates, so every date gives the same map."


def test_at_on_a_map_without_dates_warns():
    args = ("compare", LEEDS, "--at", "2020", "--at", "2024", "--permutations", "0")
    result = _invoke(*args)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2] == f"Warning: {UNDATED}"  # the text carries it under its title
    assert result.stderr == ""
    result = _invoke(*args, "--json")
    assert json.loads(result.stdout)["warnings"] == [UNDATED]
    assert result.stderr == f"Warning: {UNDATED}\n"
    result = _invoke("compare", LEEDS, LEEDS, "--at", "2024", "--permutations", "0", "--json")
    # said once, not once per snapshot; named by the path as given, as the two folders share a name
    assert json.loads(result.stdout)["warnings"] == [UNDATED.replace("of leeds", f"of {LEEDS}")]
    # a dated map gives no warning
    assert _json("compare", PLEDGE, "--at", "2020", "--at", "2021", "--permutations", "0")["warnings"] == []


@pytest.mark.parametrize("command", ["analyse", "gaps"])
def test_at_on_a_single_map_without_dates_warns_on_stderr(command):
    result = _invoke(command, LEEDS, "--at", "2020", "--json")
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {UNDATED}\n"
    json.loads(result.stdout)
    assert _invoke(command, PLEDGE, "--at", "2020", "--json").stderr == ""


@pytest.mark.parametrize(("args", "message"), [
    (("--compare", PLEDGE, PLEDGE, "--at", "2020-08"),
     f"--compare takes FOLDER@DATE snapshots: write {PLEDGE}@2020-08 rather than --at"),
    (("--at", "2020-08", "--compare", f"{PLEDGE}@2020", PLEDGE),
     f"--compare takes FOLDER@DATE snapshots: write {PLEDGE}@2020-08 rather than --at"),
    # nargs=2: "--at" is read as the second snapshot and the date as the WORKSPACE
    (("--compare", PLEDGE, "--at", "2020-08"),
     f"--compare takes FOLDER@DATE snapshots: write {PLEDGE}@2020-08 rather than --at"),
    (("--compare", f"{PLEDGE}@2020", f"{PLEDGE}@2021", "--out", "update.txt"),
     "--compare writes an HTML page: give --out a file ending in .html, not update.txt"),
])
def test_report_compare_usage_errors(args, message):
    result = _invoke("report", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_report_compare_accepts_htm(tmp_path):
    out = tmp_path / "update.HTM"
    assert _run("report", "--compare", f"{PLEDGE}@2020-08", f"{PLEDGE}@2021-12", "--out", out) == (
        f"Progress report written to {out}\n")
    assert out.read_text(encoding="utf-8").lower().startswith("<!doctype html")


def test_sites_takes_a_folder_of_workspaces(tmp_path):
    for site in ("birmingham", "leeds", "manchester"):
        shutil.copytree(sites_dir() / site, tmp_path / "creative-spaces" / site)
    (tmp_path / "creative-spaces" / "notes").mkdir()  # not a workspace: left out
    doc = json.loads(_run("compare", "--sites", tmp_path / "creative-spaces", "--json"))
    assert [s["label"] for s in doc["sites"]] == ["birmingham", "leeds", "manchester"]
