"""The command as a terminal meets it: start-up time, progress lines, closed pipes, output file names."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import netmap.cli.progress
import netmap.progress
from netmap.cli import main
from netmap.resources import sites_dir
from netmap.store.queries import QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
NETMAP = str(Path(sys.executable).parent / "netmap")
SYNTHETIC = sites_dir() / "synthetic-borough"
HEAVY = ("networkx", "pandas", "numpy", "scipy", "igraph", "neo4j")


def invoke(*args) -> CliRunner:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --------------------------------------------------------------------------- start-up (issue 9, point 15)


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["map", "--help"], ["neo4j", "push", "--help"]])
def test_version_and_help_do_not_load_the_analysis_stack(argv):
    code = ("import sys\nfrom netmap.cli import main\n"
            f"try:\n    main({argv!r}, prog_name='netmap')\nexcept SystemExit:\n    pass\n"
            f"print('loaded:', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "loaded: []"
    if argv == ["--version"]:
        assert done.stdout.splitlines()[0] == f"netmap, version {netmap_version()}"


def netmap_version() -> str:
    from importlib.metadata import version

    return version("netmap")


def test_netmap_version_answers():
    # how fast it answers is measured by bench/startup.py (no timings in tests); that it loads no analysis
    # package is checked below
    done = subprocess.run([NETMAP, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout == f"netmap, version {netmap_version()}\n"


def test_the_test_server_script_prints_help_instead_of_starting():
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "neo4j_server" / "server.py"), "--help"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: server.py [-h] [--port PORT] [--password PASSWORD] [{run,fetch}]")
    assert "Example:" in done.stdout and "Neo4j is up" not in done.stdout


# --------------------------------------------------------------------------- closed pipes (point 13)


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run netmap with stdout a pipe whose reader has already gone, as after ``| head -1``."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run([NETMAP, *args], stdout=writer, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              timeout=120)
    finally:
        os.close(writer)


@pytest.mark.parametrize("args", [
    ["neo4j", "query", "--list"],
    ["gaps", "data/sites/leeds"],
    ["validate", "tests/corpus/broken-csv"],  # exits 1 when read to the end
    ["--help"],
])
def test_a_closed_pipe_ends_the_command_quietly(args):
    done = run_into_closed_pipe(*args)
    assert done.stderr == ""
    assert done.returncode == 141  # 128 + SIGPIPE, as a shell reports for other tools


def test_head_takes_the_first_question():
    done = subprocess.run(["bash", "-c", f"set -o pipefail; '{NETMAP}' neo4j query --list | head -1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout == "find_absent_constituencies  ($map, $framework, $locality (optional))\n"
    assert done.stderr == ""
    assert done.returncode in (0, 141)  # 141 when netmap was still writing as head left


def test_query_list_shows_the_questions_for_people_only():
    result = invoke("neo4j", "query", "--list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == list(QUESTIONS)
    assert names[:6] == ["find_absent_constituencies", "find_missing_links", "find_ego_gaps",
                         "find_community_coverage", "find_cut_off_dependencies",
                         "find_statutory_without_community_ties"]
    plumbing = [n for n in names if re.match(r"(upsert|delete|create|link|unlink|stage|promote|prune|lock|retire|"
                                             r"update)_|find_(staged|unmatched)|fetch_(member_keys|components)", n)]
    assert plumbing == []
    assert "find_ego_gaps  ($map, $framework, $ego (optional))" in result.output.splitlines()


# --------------------------------------------------------------------------- progress (point 12)

STAGE = re.compile(r"^ *\d+\.\ds  (.*)$")


def stages(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert all(STAGE.match(line) for line in lines), lines
    return [STAGE.match(line).group(1) for line in lines]


@pytest.fixture
def terminal(monkeypatch):
    """stderr counts as a terminal, and a map of 100 actors as large."""
    monkeypatch.setattr(netmap.cli.progress, "is_terminal", lambda stream: True)
    monkeypatch.setattr(netmap.progress, "STAGES_MIN_ACTORS", 100)
    monkeypatch.setattr(netmap.progress, "STAGES_MIN_BYTES", 1000)


def test_a_large_map_shows_its_stages_in_order(terminal, tmp_path):
    out = tmp_path / "borough.html"
    result = invoke("map", SYNTHETIC, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Map written to {out}\n"
    size = sum(p.stat().st_size for p in SYNTHETIC.iterdir()) / 1e6
    assert stages(result.stderr) == [
        f"Reading {SYNTHETIC} ({size:.1f} MB)",
        "Analysing 300 actors and 1,200 ties",
        "Finding what is missing against Whole local system (whole-system)",
        f"Laying out and writing the map {out}",
    ]


@pytest.mark.parametrize(("command", "last"), [
    (["report", "--out", "{tmp}/r.html"], "Writing the report {tmp}/r.html"),
    (["export", "--format", "graphml", "--out", "{tmp}/b.graphml"], "Writing graphml to {tmp}/b.graphml"),
    (["gaps"], "Finding what is missing against Whole local system (whole-system)"),
])
def test_every_long_command_reports_its_stages(terminal, tmp_path, command, last):
    args = [a.format(tmp=tmp_path) for a in command]
    result = invoke(args[0], SYNTHETIC, *args[1:])
    assert result.exit_code == 0, result.output
    shown = stages(result.stderr)
    assert shown[:2] == [shown[0], "Analysing 300 actors and 1,200 ties"] and shown[0].startswith("Reading ")
    assert shown[-1] == last.format(tmp=tmp_path)


def test_quiet_and_small_maps_show_nothing(terminal, monkeypatch, tmp_path):
    result = invoke("--quiet", "map", SYNTHETIC, "--out", tmp_path / "m.html")
    assert result.exit_code == 0 and result.stderr == ""
    monkeypatch.setattr(netmap.progress, "STAGES_MIN_ACTORS", 2000)
    monkeypatch.setattr(netmap.progress, "STAGES_MIN_BYTES", 800_000)
    result = invoke("gaps", SYNTHETIC)  # 300 actors, 0.1 MB: done in a moment
    assert result.exit_code == 0 and result.stderr == ""


def test_nothing_is_shown_when_stderr_is_not_a_terminal(monkeypatch, tmp_path):
    monkeypatch.setattr(netmap.progress, "STAGES_MIN_ACTORS", 100)
    result = invoke("map", SYNTHETIC, "--out", tmp_path / "m.html")  # the runner's stderr is no terminal
    assert result.exit_code == 0 and result.stderr == ""


def test_a_2500_actor_map_shows_its_stages_on_a_real_terminal(tmp_path):
    """``netmap synth`` of 2,500 actors: a stage line on a terminal, nothing through pipes."""
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run([NETMAP, "synth", "--actors", "2500", "--out", "big"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=secondary, text=True, timeout=300)
        os.close(secondary)
        on_terminal = _read_all(primary)
    finally:
        os.close(primary)
    assert done.returncode == 0
    assert stages(on_terminal.replace("\r\n", "\n")) == ["Writing a synthetic borough of 2,500 actors to big"]
    piped = subprocess.run([NETMAP, "synth", "--actors", "2500", "--out", "again"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout == done.stdout.replace("big", "again")


def test_the_thresholds_tell_a_2500_actor_map_from_the_sample_borough(tmp_path):
    """The real thresholds: a synthetic map of 2,500 actors says it is being read; the 300-actor one does not."""
    from netmap.workflows import _size_on_disk

    assert invoke("--quiet", "synth", "--actors", "2500", "--out", tmp_path / "big").exit_code == 0
    assert _size_on_disk(tmp_path / "big") >= netmap.progress.STAGES_MIN_BYTES > _size_on_disk(SYNTHETIC)
    assert 300 < netmap.progress.STAGES_MIN_ACTORS <= 2500


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other end is closed and everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


# --------------------------------------------------------------------------- output names (point 14)


@pytest.fixture
def two_leeds(tmp_path, monkeypatch) -> Path:
    """Two workspace folders whose maps share the key 'leeds', and the current folder beside them."""
    for name in ("leeds-2024", "leeds-draft"):
        shutil.copytree(sites_dir() / "leeds", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_outputs_are_named_after_the_folder_not_the_map_key(two_leeds):
    assert invoke("map", "leeds-2024").stdout == "Map written to leeds-2024-map.html\n"
    assert invoke("map", "leeds-draft").stdout == "Map written to leeds-draft-map.html\n"
    first, second = (two_leeds / "leeds-2024-map.html").read_text(), (two_leeds / "leeds-draft-map.html").read_text()
    assert "Creative Spaces Leeds" in first and "Creative Spaces Leeds" in second
    assert not (two_leeds / "leeds-map.html").exists()
    assert invoke("report", "leeds-draft").stdout == "Report written to leeds-draft-report.html\n"
    assert 'href="leeds-draft-map.html"' in (two_leeds / "leeds-draft-report.html").read_text()
    assert invoke("export", "leeds-2024", "--format", "graphml").stdout == "Exported graphml to leeds-2024.graphml\n"
    assert invoke("export", "leeds-2024", "--format", "csv").stdout == "Exported csv to leeds-2024-csv\n"


def test_the_current_folder_names_its_outputs(two_leeds, monkeypatch):
    monkeypatch.chdir(two_leeds / "leeds-draft")
    assert invoke("map", ".").stdout == "Map written to leeds-draft-map.html\n"
