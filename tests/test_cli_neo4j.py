"""The neo4j commands and --neo4j options end to end, against the suite's real Neo4j."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.resources import sites_dir
from netmap.workspace import read_workspace

pytestmark = pytest.mark.neo4j


@pytest.fixture
def env(neo4j_settings, monkeypatch, tmp_path, map_key):
    """Connection variables as a user would set them, and a copy of Leeds under this test's map key."""
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_settings.username or "neo4j")
    if neo4j_settings.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    else:
        monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    workspace = tmp_path / "leeds"
    workspace.mkdir()
    for path in (sites_dir() / "leeds").iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name == "netmap.toml":
            text = text.replace('map = "leeds"', f'map = "{map_key}"')
        (workspace / path.name).write_text(text, encoding="utf-8")
    return workspace


def _run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_push_then_gaps_from_neo4j_match_the_workspace(env, map_key, tmp_path):
    _run("neo4j", "push", env)
    maps = _run("neo4j", "maps")
    assert map_key in maps
    from_files = json.loads(_run("gaps", env, "--json"))
    from_db = json.loads(_run("gaps", "--neo4j", map_key, "--json"))
    assert from_db["findings"] == from_files["findings"]
    analysed = json.loads(_run("analyse", "--neo4j", map_key, "--json"))
    assert analysed["summary"]["actors"] == 7
    _run("neo4j", "pull", map_key, "--out", tmp_path / "back")
    assert read_workspace(tmp_path / "back") == read_workspace(env)
    assert "Report written to" in _run("report", "--neo4j", map_key, "--out", tmp_path / "r.html")


def test_unknown_map_is_one_line(env):
    result = CliRunner().invoke(main, ["gaps", "--neo4j", "no-such-map-anywhere"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "no-such-map-anywhere" in result.output
