"""``netmap synth``: a SYNTHETIC borough workspace from the command line, the same as the module entry."""

from __future__ import annotations

import csv
import subprocess
import sys

from click.testing import CliRunner

from netmap import synthetic
from netmap.cli import main
from netmap.workspace import read_workspace


def test_synth_writes_a_labelled_workspace_identical_to_the_module_entry(tmp_path):
    result = CliRunner().invoke(main, ["synth", "--actors", "120", "--seed", "3", "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'a'}: 120 actors, 214 ties, 3 spaces, 45 memberships\n"
    module = subprocess.run([sys.executable, "-m", "netmap.synthetic", "--actors", "120", "--seed", "3",
                             "--out", str(tmp_path / "b")], capture_output=True, text=True, check=True)
    assert module.stdout == f"wrote {tmp_path / 'b'}: 120 actors, 214 ties, 3 spaces, 45 memberships\n"
    for name in ("netmap.toml", "actors.csv", "ties.csv", "spaces.csv", "memberships.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name

    nmap = read_workspace(tmp_path / "a")
    assert "SYNTHETIC" in nmap.name
    assert len(nmap.actors) == 120
    assert all(a.source == "netmap-synthetic: seed 3" for a in nmap.actors)  # a key of data/sources.toml


def test_synth_refuses_a_borough_too_small_to_hold_its_gaps(tmp_path):
    result = CliRunner().invoke(main, ["synth", "--actors", "20", "--out", str(tmp_path / "small")])
    assert result.exit_code == 1
    assert result.output == "Error: a synthetic borough needs at least 60 actors (got 20)\n"
    assert not (tmp_path / "small" / "actors.csv").exists()


def _rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _space_members(folder) -> dict[str, list[dict]]:
    """Rows of memberships.csv by space."""
    by_space: dict[str, list[dict]] = {}
    for row in _rows(folder / "memberships.csv"):
        by_space.setdefault(row["space"], []).append(row)
    return by_space


def test_synth_keeps_spaces_to_a_realistic_size_on_a_big_map(tmp_path):
    """10,000 actors: the alliance would have 280 members; it keeps 157, and each neighbourhood gets a forum."""
    result = CliRunner().invoke(main, ["synth", "--actors", "10000", "--ties", "0", "--out", str(tmp_path / "big")])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'big'}: 10000 actors, 10704 ties, 6 spaces, 635 memberships\n"
    members = _space_members(tmp_path / "big")
    assert {space: len(rows) for space, rows in members.items()} == {
        "vcse-alliance": 157, "vcse-forum-north": 150, "vcse-forum-central": 150, "vcse-forum-south": 150,
        "hwb": 8, "mh-board": 20}
    assert max(len(rows) for rows in members.values()) <= synthetic.SPACE_MAX_MEMBERS == 250
    spaces = _rows(tmp_path / "big" / "spaces.csv")
    assert [(s["id"], s["name"], s["locality"]) for s in spaces[1:4]] == [
        ("vcse-forum-north", "Fernbridge North VCSE Forum", "north"),
        ("vcse-forum-central", "Fernbridge Central VCSE Forum", "central"),
        ("vcse-forum-south", "Fernbridge South VCSE Forum", "south")]
    actors = _rows(tmp_path / "big" / "actors.csv")
    where = {a["id"]: a["locality"] for a in actors}
    for loc in ("north", "central", "south"):
        rows = members[f"vcse-forum-{loc}"]
        assert {where[r["actor"]] for r in rows} == {loc}  # a neighbourhood forum, of that neighbourhood
        assert [r["actor"].split("-")[0] for r in rows if r["role"] == "convenor"] == ["infra"]  # by an umbrella body
    name = {a["id"]: a["name"] for a in actors}
    assert [name[r["actor"]] for r in members["vcse-alliance"] if r["role"] == "convenor"] == [
        "Fernbridge Council for Voluntary Service"]


def test_synth_big_forum_makes_one_space_of_that_many_members(tmp_path):
    """The shape of a big forum for benchmarks: one alliance of exactly N members, no neighbourhood forums."""
    args = ["--actors", "10000", "--ties", "0", "--big-forum", "1450"]
    result = CliRunner().invoke(main, ["synth", *args, "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'a'}: 10000 actors, 10704 ties, 3 spaces, 1478 memberships\n"
    members = _space_members(tmp_path / "a")
    alliance = members["vcse-alliance"]
    assert (len(alliance), len({r["actor"] for r in alliance})) == (1450, 1450)
    assert [r["role"] for r in alliance].count("convenor") == 1
    # every umbrella body (100) and service-user-led group (30) is in it, as in the unbounded alliance
    assert sum(r["actor"].startswith(("infra-", "sul-")) for r in alliance) == 130
    assert sorted(members) == ["hwb", "mh-board", "vcse-alliance"]
    module = subprocess.run([sys.executable, "-m", "netmap.synthetic", *args, "--out", str(tmp_path / "b")],
                            capture_output=True, text=True, check=True)
    assert module.stdout == f"wrote {tmp_path / 'b'}: 10000 actors, 10704 ties, 3 spaces, 1478 memberships\n"
    assert (tmp_path / "a" / "memberships.csv").read_bytes() == (tmp_path / "b" / "memberships.csv").read_bytes()


def test_synth_refuses_a_big_forum_larger_than_the_map(tmp_path):
    result = CliRunner().invoke(main, ["synth", "--actors", "100", "--big-forum", "101",
                                       "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.output == "Error: a big forum of 101 members needs at least 101 actors (got 100)\n"
    assert not (tmp_path / "x").exists()


def test_synth_same_seed_same_bytes_on_a_big_map(tmp_path):
    names = ("netmap.toml", "actors.csv", "ties.csv", "spaces.csv", "memberships.csv")
    for out in ("a", "b", "c"):
        seed = "5" if out != "c" else "6"
        result = CliRunner().invoke(main, ["synth", "--actors", "8000", "--ties", "0", "--seed", seed,
                                           "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "memberships.csv").read_bytes() != (tmp_path / "c" / "memberships.csv").read_bytes()
