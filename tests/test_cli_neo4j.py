"""The neo4j commands and --neo4j options end to end, against the suite's real Neo4j."""

from __future__ import annotations

import json
import tomllib

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.resources import sites_dir
from netmap.workspace import read_workspace

pytestmark = pytest.mark.neo4j


@pytest.fixture
def env(neo4j_env, tmp_path, map_key):
    """Connection variables as a user would set them, and a copy of Leeds under this test's map key."""
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
    # a built-in framework equal to the stored one needs no file
    assert sorted(p.name for p in (tmp_path / "back").iterdir()) == [
        "actors.csv", "memberships.csv", "netmap.toml", "spaces.csv", "ties.csv"]
    assert "Report written to" in _run("report", "--neo4j", map_key, "--out", tmp_path / "r.html")


def test_unknown_map_is_one_line(env):
    result = CliRunner().invoke(main, ["gaps", "--neo4j", "no-such-map-anywhere"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "no-such-map-anywhere" in result.output


# --------------------------------------------------------------------------- a map of its own framework


def _own_framework_workspace(folder, map_key: str) -> str:
    """Make ``folder`` measure itself against a framework file of its own (frameworks/custom.toml,
    whole-system with service-user-led groups expected 4 times and another name) and a population
    profile of its own; returns the framework's key."""
    from netmap.reference import frameworks_dir

    key = f"fw-{map_key}"
    text = (frameworks_dir() / "whole-system.toml").read_text(encoding="utf-8")
    text = text.replace('key = "whole-system"', f'key = "{key}"', 1).replace(
        'name = "Whole local system"', 'name = "Our own whole system"', 1)
    text = text.replace('key = "service_user_led"\n', 'key = "service_user_led"\n# four expected here\n', 1)
    start = text.index('key = "service_user_led"')
    end = text.index("min_presence = ", start)
    text = text[:end] + "min_presence = 4" + text[text.index("\n", end):]
    (folder / "frameworks").mkdir()
    (folder / "frameworks" / "custom.toml").write_text(text, encoding="utf-8")
    config = (folder / "netmap.toml").read_text(encoding="utf-8")
    config = config.replace('framework = "whole-system"', 'framework = "frameworks/custom.toml"')
    config = config.replace('population = "leeds"', 'population = "own-leeds"')
    config += ('\n[populations.own-leeds]\nname = "Leeds (our own figures)"\nsource = "test figures"\n'
               'white = 60.0\nasian = 20.0\nblack = 12.0\n"mixed+other" = 8.0\n')
    (folder / "netmap.toml").write_text(config, encoding="utf-8")
    return key


def test_pulled_map_keeps_its_framework_and_population(env, map_key, tmp_path, monkeypatch):
    """Push a workspace with its own framework file and population profile, delete it, pull it:
    the pulled workspace validates and gives the same gaps, and so do the --neo4j commands."""
    import shutil

    fw_key = _own_framework_workspace(env, map_key)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no stray framework file in the current folder
    before = json.loads(_run("gaps", env, "--json"))
    assert before["framework"] == {"key": fw_key, "name": "Our own whole system"}
    said = {f["subject"]: f["message"] for f in before["findings"]}
    assert "expects at least 4" in said["service_user_led"]  # the workspace's own framework
    assert "are 20% of Leeds (our own figures)'s population" in said["asian"]  # and its own population profile
    pushed = read_workspace(env)
    validated_before = _run("validate", env)
    assert pushed.populations and pushed.localities[0].population == "own-leeds"
    _run("neo4j", "push", env)
    # every --neo4j command measures the map against the framework it was pushed with
    from_db = json.loads(_run("gaps", "--neo4j", map_key, "--json"))
    assert (from_db["framework"], from_db["findings"]) == (before["framework"], before["findings"])
    assert "Report written to" in _run("report", "--neo4j", map_key, "--out", tmp_path / "r.html")
    assert "Our own whole system" in (tmp_path / "r.html").read_text(encoding="utf-8")
    shutil.rmtree(env)

    out = tmp_path / "pulled"
    _run("neo4j", "pull", map_key, "--out", out)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "actors.csv", "frameworks/custom.toml", "memberships.csv", "netmap.toml", "spaces.csv", "ties.csv"]
    config = tomllib.loads((out / "netmap.toml").read_text(encoding="utf-8"))
    assert config["framework"] == "frameworks/custom.toml"
    assert config["populations"]["own-leeds"]["asian"] == 20.0
    validated = _run("validate", out)
    assert validated.replace(str(out), "WS") == validated_before.replace(str(env), "WS")
    assert validated.splitlines()[-1] == f"{out}: valid (7 actors, 0 ties, 1 spaces, 7 memberships)"
    assert read_workspace(out) == pushed
    after = json.loads(_run("gaps", out, "--json"))
    assert (after["framework"], after["findings"]) == (before["framework"], before["findings"])


# --------------------------------------------------------------------------- delete, --debug


def test_delete_asks_naming_the_map_and_its_size(env, map_key, neo4j_settings):
    _run("neo4j", "push", env)
    where = neo4j_settings.uri
    question = (f"Delete map '{map_key}' (7 actors, 0 ties, 1 space, 7 memberships) from Neo4j at {where}? "
                "[y/N]: ")
    kept = CliRunner().invoke(main, ["neo4j", "delete", map_key], input="n\n")
    assert (kept.exit_code, kept.output) == (0, f"{question}n\nmap '{map_key}' kept\n")
    assert kept.stdout == f"map '{map_key}' kept\n"  # the question goes to stderr
    assert map_key in _run("neo4j", "maps")
    gone = CliRunner().invoke(main, ["neo4j", "delete", map_key], input="y\n")
    assert (gone.exit_code, gone.stdout) == (0, f"deleted map '{map_key}' (7 actors, 0 ties, 1 space, "
                                                 "7 memberships)\n")
    assert map_key not in _run("neo4j", "maps")
    again = CliRunner().invoke(main, ["neo4j", "delete", map_key, "--yes"])
    assert (again.exit_code, again.output) == (
        1, f"Error: no map '{map_key}' in the database (see `netmap neo4j maps`)\n")


def test_delete_yes_skips_the_question(env, map_key):
    _run("neo4j", "push", env)
    done = CliRunner().invoke(main, ["neo4j", "delete", map_key, "-y"])
    assert (done.exit_code, done.output) == (0, f"deleted map '{map_key}' (7 actors, 0 ties, 1 space, "
                                                "7 memberships)\n")
    failed = CliRunner().invoke(main, ["gaps", "--neo4j", map_key])
    assert failed.output == f"Error: no map '{map_key}' in the database (see `netmap neo4j maps`)\n"


def test_debug_gives_the_traceback_on_neo4j_commands(env, tmp_path):
    from netmap.errors import StoreError

    plain = CliRunner().invoke(main, ["neo4j", "pull", "no-such-map-anywhere", "--out", tmp_path / "x"])
    assert plain.output == "Error: no map 'no-such-map-anywhere' in the database (see `netmap neo4j maps`)\n"
    for args in (["neo4j", "pull", "no-such-map-anywhere", "--out", str(tmp_path / "x")],
                 ["neo4j", "delete", "no-such-map-anywhere", "--yes"], ["gaps", "--neo4j", "no-such-map-anywhere"]):
        debug = CliRunner().invoke(main, ["--debug", *args])
        assert debug.exit_code == 1 and isinstance(debug.exception, StoreError), args
        assert str(debug.exception) == "no map 'no-such-map-anywhere' in the database (see `netmap neo4j maps`)"
    assert not (tmp_path / "x").exists()
