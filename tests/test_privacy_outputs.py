"""Individuals and small counts in the last shared outputs: Neo4j pushes and the JSON export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_privacy import ACTORS, MEMBERSHIPS, SECRETS, SHIRE_ACTORS, SHIRE_TIES, SPACES, TIES, _fingerprint, _text_of

from netmap.cli import main
from netmap.cli.neo4j_commands import neo4j_group
from netmap.reference import load_framework
from netmap.workflows import for_sharing
from netmap.workspace import read_workspace

CARERS, USERS = (load_framework("whole-system").label(k) for k in ("carer_led", "service_user_led"))
PSEUDONYM_LINE = 'stored 2 individuals by pseudonym ("Individual N"); push with --names to store their names'


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _riverside(folder: Path, key: str, extra_config: str = "") -> Path:
    """The two-individual workspace of tests/test_privacy.py, under map key ``key``."""
    config = f'map = "{key}"\nname = "Riverside"\nframework = "whole-system"\n{extra_config}'
    return _write(folder, {"actors.csv": ACTORS, "ties.csv": TIES, "spaces.csv": SPACES,
                           "memberships.csv": MEMBERSHIPS, "netmap.toml": config})


# --------------------------------------------------------------------------- neo4j push


@pytest.fixture
def cli_env(neo4j_settings) -> dict[str, str]:
    return {"NEO4J_URI": neo4j_settings.uri, "NEO4J_USERNAME": neo4j_settings.username,
            "NEO4J_PASSWORD": neo4j_settings.password or "", "NEO4J_DATABASE": neo4j_settings.database or ""}


def neo4j(args: list[object], env: dict[str, str], code: int = 0):
    result = CliRunner().invoke(neo4j_group, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def _stored_names(store, key: str) -> dict[str, str]:
    return {row["id"]: row["name"] for row in store.run_named("fetch_actors", {"map": key})}


@pytest.mark.neo4j
def test_push_stores_individuals_by_pseudonym_and_pull_gives_them_back(tmp_path, cli_env, store, map_key):
    folder = _riverside(tmp_path / "riverside", map_key)
    before = _fingerprint(folder)
    result = neo4j(["push", folder], cli_env)
    assert result.output.splitlines()[-1] == PSEUDONYM_LINE
    names = _stored_names(store, map_key)
    assert {i: n for i, n in names.items() if i.startswith("individual-")} == {
        "individual-1": f"Individual 1 ({CARERS})", "individual-2": f"Individual 2 ({USERS})"}
    assert names["trust"] == "Riverside Mental Health Trust"
    assert "zadie-okonkwo" not in names and "bram-vellacott" not in names

    out = tmp_path / "pulled"
    neo4j(["pull", map_key, "--out", out], cli_env)
    pulled = read_workspace(out)
    assert pulled == for_sharing(read_workspace(folder), folder=folder)
    assert [(t.from_id, t.to_id) for t in pulled.ties][1:] == [
        ("individual-2", "trust"), ("individual-1", "council"), ("voices", "individual-2")]
    text = _text_of(out)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "already up to date" in neo4j(["push", folder], cli_env).output  # the same pseudonyms every time
    assert _fingerprint(folder) == before


@pytest.mark.neo4j
def test_push_with_names_stores_the_names(tmp_path, cli_env, store, map_key):
    folder = _riverside(tmp_path / "riverside", map_key)
    before = _fingerprint(folder)
    result = neo4j(["push", folder, "--names"], cli_env)
    assert "pseudonym" not in result.output and len(result.output.splitlines()) == 1
    names = _stored_names(store, map_key)
    assert (names["zadie-okonkwo"], names["bram-vellacott"]) == ("Zadie Okonkwo", "Bram Vellacott")
    out = tmp_path / "pulled"
    neo4j(["pull", map_key, "--out", out], cli_env)
    assert read_workspace(out) == read_workspace(folder)
    assert _fingerprint(folder) == before


@pytest.mark.neo4j
def test_netmap_toml_names_show_is_honoured_by_push(tmp_path, cli_env, store, map_key):
    folder = _riverside(tmp_path / "riverside", map_key, 'names = "show"\n')
    assert "pseudonym" not in neo4j(["push", folder], cli_env).output
    assert _stored_names(store, map_key)["zadie-okonkwo"] == "Zadie Okonkwo"


@pytest.mark.neo4j
def test_a_push_by_pseudonym_never_leaves_names_behind(tmp_path, cli_env, store, map_key):
    folder = _riverside(tmp_path / "riverside", map_key)
    neo4j(["push", folder, "--names"], cli_env)
    result = neo4j(["push", folder], cli_env, code=1)
    assert result.output.strip() == (
        f"Error: map '{map_key}' in Neo4j still holds 2 individuals by name from an earlier push, which a push by "
        "pseudonym would keep: push with --prune to replace them by pseudonyms, or with --names to keep names")
    assert _stored_names(store, map_key)["zadie-okonkwo"] == "Zadie Okonkwo"  # refused: nothing changed
    result = neo4j(["push", folder, "--prune"], cli_env)
    summary, line = result.output.splitlines()
    assert "2 actors" in summary.split("deleted", 1)[1] and line == PSEUDONYM_LINE
    names = _stored_names(store, map_key)
    assert sorted(i for i in names if "individual" in i) == ["individual-1", "individual-2"]
    assert not any(secret in json.dumps(names) for secret in SECRETS)


# --------------------------------------------------------------------------- export --suppress-small


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def shire(tmp_path: Path) -> Path:
    """The small map of tests/test_privacy.py: 1 trust, 1 council, 1 faith group, 5 service-user groups."""
    config = ('map = "shire"\nname = "Shire"\nframework = "whole-system"\n\n'
              '[[localities]]\nkey = "leeds"\nname = "Leeds"\npopulation = "leeds"\n')
    return _write(tmp_path / "shire", {"actors.csv": SHIRE_ACTORS, "ties.csv": SHIRE_TIES, "netmap.toml": config})


def _json_export(folder: Path, out: Path, *extra: object) -> dict:
    run("export", folder, "--format", "json", "--out", out, *extra)
    return json.loads(out.read_text(encoding="utf-8"))


def test_json_export_hides_small_counts_as_null_and_keeps_zeros(shire, tmp_path):
    before = _fingerprint(shire)
    document = _json_export(shire, tmp_path / "a.json", "--suppress-small", "5")
    assert document["suppress_small"] == 5
    rows = {r["constituency"]: r for r in document["constituencies"]}
    cells = {k: (r["count"], r["primary_count"], r["share"], r["primary_share"], r["hidden"]) for k, r in rows.items()}
    hidden = (None, None, None, None, ["count", "primary_count", "share", "primary_share"])
    assert cells["nhs_mental_health"] == cells["local_authority"] == cells["faith_group"] == hidden
    assert cells["service_user_led"] == (5, 5, 0.625, 0.625, [])  # 5 of 8 actors: not under 5
    assert cells["carer_led"] == (0, 0, 0.0, 0.0, [])  # an absence is shown
    coverage = {r["group"]: r for r in document["community_coverage"]["leeds"]}
    assert {g: (r["organisations"], r["led_by"], r["org_share"], r["actors"], r["hidden"])
            for g, r in coverage.items() if g in ("asian", "black", "white")} == {
        "asian": (None, None, None, None, ["organisations", "led_by", "org_share", "actors"]),
        "black": (None, None, None, None, ["organisations", "led_by", "org_share", "actors"]),
        "white": (0, 0, 0.0, [], [])}
    assert _fingerprint(shire) == before


def test_json_export_shows_every_count_by_default(shire, tmp_path):
    document = _json_export(shire, tmp_path / "a.json")
    assert "suppress_small" not in document
    rows = {r["constituency"]: r for r in document["constituencies"]}
    assert (rows["faith_group"]["count"], rows["faith_group"]["share"]) == (1, 0.125)
    assert "hidden" not in rows["faith_group"]
    black = next(r for r in document["community_coverage"]["leeds"] if r["group"] == "black")
    assert (black["organisations"], black["led_by"], sorted(black["actors"])) == (2, 1, ["v1", "v2"])


def test_suppress_small_leaves_outputs_without_count_tables_as_they_are(shire, tmp_path):
    for fmt, suffix in (("graphml", "graphml"), ("gexf", "gexf")):
        plain, small = tmp_path / f"plain.{suffix}", tmp_path / f"small.{suffix}"
        run("export", shire, "--format", fmt, "--out", plain)
        run("export", shire, "--format", fmt, "--out", small, "--suppress-small", "5")
        assert plain.read_bytes() == small.read_bytes(), fmt


def test_sources_that_name_people_do_not_undo_the_pseudonyms(tmp_path):
    """The pledge's sources name its individual supporter; shared pages leave that text out unless --names."""
    pledge = Path(__file__).resolve().parent.parent / "data" / "sites" / "pledge"
    runner = CliRunner()
    pages = {
        "report": ["report", pledge, "--out", tmp_path / "report.html"],
        "progress": ["report", "--compare", f"{pledge}@2020-08", f"{pledge}@2021-12", "--out",
                     tmp_path / "progress.html"],
        "map": ["map", pledge, "--out", tmp_path / "map.html"],
    }
    for name, args in pages.items():
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        text = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        assert "sashidharan" not in text.lower(), name
    assert "it can name people this page shows by pseudonym" in (tmp_path / "report.html").read_text(encoding="utf-8")
    named = runner.invoke(main, ["report", str(pledge), "--names", "--out", str(tmp_path / "named.html")])
    assert named.exit_code == 0 and "Sashidharan" in (tmp_path / "named.html").read_text(encoding="utf-8")
