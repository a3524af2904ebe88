"""``netmap synth``: a SYNTHETIC borough workspace from the command line, the same as the module entry."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

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
