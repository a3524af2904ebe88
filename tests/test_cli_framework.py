"""Which framework file a command uses: one rule for every command (the Neo4j ones are in test_cli_neo4j.py).

The rule (``netmap.reference.resolve_framework``): a bare name is a built-in
framework; a relative path is looked for in the current folder first, then in
the workspace folder, and the error names both places.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.reference import frameworks_dir
from netmap.resources import sites_dir


def run(*args: object) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def framework_file(path: Path, key: str) -> Path:
    """A copy of the whole-system framework saved at ``path`` under another key."""
    text = (frameworks_dir() / "whole-system.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('key = "whole-system"', f'key = "{key}"', 1), encoding="utf-8")
    return path


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A copy of the Leeds workspace in ``ws/`` and an empty current folder ``here/`` beside it."""
    ws = tmp_path / "ws"
    shutil.copytree(sites_dir() / "leeds", ws)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    return here, ws


def gaps_framework(*args: object) -> str:
    result = run("gaps", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["framework"]["key"]


def test_a_framework_file_inside_the_workspace_is_found_from_another_folder(places):
    _, ws = places
    framework_file(ws / "fw.toml", "in-workspace")
    assert gaps_framework("../ws", "-f", "fw.toml") == "in-workspace"
    assert run("validate", "../ws", "-f", "fw.toml").exit_code == 0
    assert json.loads(run("analyse", "../ws", "-f", "fw.toml", "--json").output)["framework"] == "in-workspace"


def test_the_current_folder_comes_first_for_validation_and_analysis_alike(places):
    here, ws = places
    framework_file(ws / "fw.toml", "in-workspace")
    mine = framework_file(here / "fw.toml", "in-current-folder")
    # a constituency only the current folder's framework knows: validation fails if it reads the other file
    text = mine.read_text(encoding="utf-8")
    mine.write_text(text + '\n[[constituencies]]\nkey = "only_here"\nlabel = "Only here"\nsector = "vcse"\n'
                    "min_presence = 0\n", encoding="utf-8")
    actors = ws / "actors.csv"
    lines = actors.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = [""] * len(header)
    row[header.index("id")], row[header.index("name")] = "newcomer", "A newcomer"
    row[header.index("constituencies")] = "only_here"
    actors.write_text("\n".join([*lines, ",".join(row)]) + "\n", encoding="utf-8")

    assert gaps_framework(ws, "-f", "fw.toml") == "in-current-folder"
    assert run("validate", ws, "-f", "fw.toml").exit_code == 0
    # the workspace's own file does not know the constituency: proof validation read the other one
    assert run("validate", ws, "-f", ws / "fw.toml").exit_code == 1


def test_a_framework_file_in_neither_place_names_both(places):
    here, ws = places
    result = CliRunner().invoke(main, ["gaps", "../ws", "-f", "fw.toml"])
    assert result.exit_code == 1
    assert result.output == (f"Error: framework file 'fw.toml' not found: looked in {here / 'fw.toml'} and "
                             f"{ws.resolve() / 'fw.toml'}\n")
    for command in (["validate"], ["analyse"], ["map"], ["report"], ["export", "--format", "json"]):
        again = CliRunner().invoke(main, [*command, "../ws", "-f", "fw.toml"])
        assert (again.exit_code, again.output) == (1, result.output), command
    assert sorted(p.name for p in here.iterdir()) == []  # nothing written


def test_an_unknown_built_in_framework_lists_the_known_ones(places):
    result = CliRunner().invoke(main, ["gaps", "../ws", "-f", "whole-sistem"])
    assert result.exit_code == 1
    assert result.output == ("Error: framework 'whole-sistem' not found (built-in frameworks: creative-spaces, "
                             "pledge, whole-system; or give a .toml file)\n")


def test_the_framework_named_in_netmap_toml_is_found_in_the_workspace(places):
    _, ws = places
    framework_file(ws / "local.toml", "named-in-config")
    config = ws / "netmap.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index("framework = ")
    end = text.index("\n", start)
    config.write_text(text[:start] + 'framework = "local.toml"' + text[end:], encoding="utf-8")
    assert gaps_framework("../ws") == "named-in-config"
    assert run("validate", "../ws").exit_code == 0


def test_a_stray_file_in_the_current_folder_never_replaces_the_workspace_framework(places):
    here, ws = places
    framework_file(ws / "local.toml", "named-in-config")
    framework_file(here / "local.toml", "stray-copy")
    config = ws / "netmap.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index("framework = ")
    config.write_text(text[:start] + 'framework = "local.toml"' + text[text.index("\n", start):], encoding="utf-8")
    assert gaps_framework("../ws") == "named-in-config"


def test_the_python_api_reads_the_framework_file_validation_read(places):
    import netmap

    _, ws = places
    framework_file(ws / "fw.toml", "in-workspace")
    nmap = netmap.load("../ws", framework="fw.toml")
    assert nmap.framework == "fw.toml"  # what the user gave is what a pulled or shared map says
    assert nmap.framework_file == (ws / "fw.toml").resolve()
    assert netmap.run(nmap).framework.key == "in-workspace"  # no folder needed: the map knows its file
