"""``netmap neo4j ...`` commands against the test server."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli.neo4j_commands import neo4j_group
from netmap.resources import sample_sites

pytestmark = pytest.mark.neo4j

SITES = sample_sites()


@pytest.fixture
def cli_env(neo4j_settings) -> dict[str, str]:
    env = {"NEO4J_URI": neo4j_settings.uri, "NEO4J_USERNAME": neo4j_settings.username,
           "NEO4J_PASSWORD": neo4j_settings.password or "", "NEO4J_DATABASE": neo4j_settings.database or ""}
    return env


def run(args: list[str], env: dict[str, str]):
    result = CliRunner().invoke(neo4j_group, args, env=env, catch_exceptions=False)
    return result


def _workspace(tmp_path: Path, key: str) -> Path:
    from netmap.workspace import read_workspace, write_workspace

    site = next(s for s in SITES if s.name == "leeds") if any(s.name == "leeds" for s in SITES) else SITES[0]
    nmap = read_workspace(site)
    nmap.key = key
    return write_workspace(nmap, tmp_path / "workspace")


def test_help_has_examples() -> None:
    for command in ([], ["push"], ["pull"], ["maps"], ["query"], ["delete"]):
        result = CliRunner().invoke(neo4j_group, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, command


def test_push_maps_query_pull(tmp_path: Path, cli_env: dict[str, str], map_key: str) -> None:
    from netmap.workspace import read_workspace

    folder = _workspace(tmp_path, map_key)
    result = run(["push", str(folder)], cli_env)
    assert result.exit_code == 0, result.output
    assert f"map '{map_key}': created" in result.output
    result = run(["push", str(folder), "--prune"], cli_env)
    assert result.exit_code == 0 and "already up to date" in result.output

    result = run(["maps", "--json"], cli_env)
    listed = {m["key"]: m for m in json.loads(result.output)}
    assert listed[map_key]["actors"] == len(read_workspace(folder).actors)
    assert map_key in run(["maps"], cli_env).output

    nmap = read_workspace(folder)
    from netmap.reference import load_framework

    framework = load_framework(nmap.framework, base=folder)
    args = ["query", "find_absent_constituencies", "-p", f"map={map_key}", "-p", f"framework={framework.key}"]
    as_json = json.loads(run([*args, "--json"], cli_env).output)
    as_csv = list(csv.DictReader(io.StringIO(run([*args, "--csv"], cli_env).output)))
    assert [r["constituency"] for r in as_json] == [r["constituency"] for r in as_csv]
    assert run(["query", "--list"], cli_env).output.count("find_") >= 5
    result = run(["query", "fetch_actors", "-p", f"map={map_key}", "-p", "limit:=3"], cli_env)
    assert result.exit_code == 1 and "has no parameter $limit" in result.output

    out = tmp_path / "pulled"
    result = run(["pull", map_key, "--out", str(out)], cli_env)
    assert result.exit_code == 0, result.output
    assert read_workspace(out) == read_workspace(folder)


def test_errors_are_one_line_without_password(tmp_path: Path, cli_env: dict[str, str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**cli_env, "NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "Secret-Never-Shown"}
    result = run(["maps"], env)
    assert result.exit_code == 1
    assert result.output == f"Error: cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused\n"
    result = run(["maps", "--password", "Secret-Never-Shown-Either"], {**cli_env, "NEO4J_PASSWORD": ""})
    assert result.exit_code == 1 and "Secret-Never-Shown" not in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    result = run(["query", "no_such_query"], cli_env)
    assert result.exit_code == 1 and result.output.startswith("Error: no named query 'no_such_query'")
    result = run(["pull", "no-such-map", "--out", str(tmp_path / "x")], cli_env)
    assert result.exit_code == 1 and "no map 'no-such-map'" in result.output
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- framework files
# `neo4j push --framework FILE` finds the file as every command does: the current folder first,
# then the workspace folder.


def _framework_file(folder: Path, key: str) -> Path:
    """whole-system.toml under another key, written as ``folder/fw.toml``."""
    from netmap.reference import frameworks_dir

    text = (frameworks_dir() / "whole-system.toml").read_text(encoding="utf-8")
    assert text.startswith('key = "whole-system"\n')
    folder.mkdir(exist_ok=True)
    path = folder / "fw.toml"
    path.write_text(text.replace('key = "whole-system"', f'key = "{key}"', 1), encoding="utf-8")
    return path


def _stored_framework(map_key: str, env: dict[str, str]) -> str:
    result = run(["query", "fetch_map", "-p", f"map={map_key}", "--json"], env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]["framework_key"]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder other than the workspace's."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_push_framework_file_in_the_workspace(tmp_path: Path, elsewhere: Path, cli_env: dict[str, str],
                                             map_key: str) -> None:
    folder = _workspace(tmp_path, map_key)
    _framework_file(folder, "fw-in-workspace")
    result = run(["push", str(folder), "--framework", "fw.toml"], cli_env)
    assert result.exit_code == 0, result.output
    assert f"map '{map_key}': created" in result.output
    assert _stored_framework(map_key, cli_env) == "fw-in-workspace"


def test_push_framework_file_in_the_current_folder_wins(tmp_path: Path, elsewhere: Path,
                                                        cli_env: dict[str, str], map_key: str) -> None:
    folder = _workspace(tmp_path, map_key)
    _framework_file(folder, "fw-in-workspace")
    _framework_file(elsewhere, "fw-in-current-folder")
    result = run(["push", str(folder), "-f", "fw.toml"], cli_env)
    assert result.exit_code == 0, result.output
    assert _stored_framework(map_key, cli_env) == "fw-in-current-folder"


def test_push_framework_file_found_nowhere(tmp_path: Path, elsewhere: Path, cli_env: dict[str, str],
                                           map_key: str) -> None:
    folder = _workspace(tmp_path, map_key)
    result = run(["push", str(folder), "--framework", "fw.toml"], cli_env)
    assert result.exit_code == 1
    assert result.output == (f"Error: framework file 'fw.toml' not found: looked in {Path.cwd() / 'fw.toml'} "
                             f"and {folder.resolve() / 'fw.toml'}\n")


# --------------------------------------------------------------------------- progress on a terminal


def test_a_large_push_shows_a_bar_on_a_terminal_only(tmp_path: Path, cli_env: dict[str, str], map_key: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import netmap.cli.progress
    import netmap.progress
    from netmap.cli import main

    folder = _workspace(tmp_path, map_key)
    monkeypatch.setattr(netmap.progress, "BAR_MIN_ROWS", 5)  # Leeds has 14 rows
    monkeypatch.setattr(netmap.progress, "STAGES_MIN_BYTES", 100)
    piped = CliRunner().invoke(main, ["neo4j", "push", str(folder)], env=cli_env, catch_exceptions=False)
    assert piped.exit_code == 0 and piped.stderr == ""
    monkeypatch.setattr(netmap.cli.progress, "is_terminal", lambda stream: True)
    shown = CliRunner().invoke(main, ["neo4j", "push", str(folder), "--prune"], env=cli_env,
                               catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"map '{map_key}': ")
    lines = shown.stderr.splitlines()
    assert lines[0].endswith(f"s  Reading {folder} (0.0 MB)")
    assert lines[1].startswith(f"pushing {map_key}")  # click draws the bar itself on a real terminal
    quiet = CliRunner().invoke(main, ["--quiet", "neo4j", "push", str(folder)], env=cli_env,
                               catch_exceptions=False)
    assert quiet.exit_code == 0 and quiet.stderr == ""
