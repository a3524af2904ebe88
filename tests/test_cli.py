"""Every command through click's runner, including exact error text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.resources import sites_dir

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
LEEDS = str(sites_dir() / "leeds")


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_gaps_json_for_leeds_lists_the_absent_constituencies():
    result = run("gaps", LEEDS, "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    absent = {f["subject"] for f in doc["findings"] if f["kind"] == "absent_constituency"}
    assert {"service_user_led", "academic_research"} <= absent
    assert not {"commissioner", "nhs_mental_health"} & absent
    assert doc["summary"]["absent_constituencies"] == sorted(
        doc["summary"]["absent_constituencies"], key=[f["subject"] for f in doc["findings"]].index)
    for finding in doc["findings"]:
        assert set(finding) == {"kind", "rule", "severity", "locality", "subject", "message", "data"}
        assert finding["severity"] in ("high", "medium", "low")


def test_gaps_text_is_readable():
    result = run("gaps", LEEDS)
    assert result.exit_code == 0
    assert result.output.startswith("Creative Spaces Leeds: 7 partners in ")
    assert "HIGH (" in result.output


def test_gaps_with_an_ego_and_a_framework_file():
    framework = ROOT / "data" / "frameworks" / "pledge.toml"
    result = run("gaps", sites_dir() / "pledge", "--framework", framework, "--ego", "inspire-north", "--json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    # Inspire North (a Leeds VCSE signatory) shares the pledge space with the trust, NSUN, WCEN and
    # Synergi: it reaches every constituency the map holds. No commissioner or local authority is on
    # the map, which are absences, not Inspire North's gaps.
    assert [f for f in findings if f["kind"] == "ego_gap"] == []
    absent = {f["subject"] for f in findings if f["kind"] == "absent_constituency"}
    assert {"commissioner", "local_authority"} <= absent


def test_gaps_unknown_ego_is_one_line():
    result = CliRunner().invoke(main, ["gaps", LEEDS, "--ego", "nobody"])
    assert result.exit_code == 1
    assert result.output == "Error: --ego: no actor with id 'nobody' in map 'leeds'\n"


def test_unknown_framework_is_one_line():
    result = CliRunner().invoke(main, ["gaps", LEEDS, "--framework", "nope"])
    assert result.exit_code == 1
    assert result.output == ("Error: framework 'nope' not "
                             "found (built-in frameworks: creative-spaces, pledge, whole-system; or give a "
                             ".toml file)\n")


def test_gaps_on_a_broken_workspace_points_to_validate():
    result = CliRunner().invoke(main, ["gaps", str(CORPUS / "broken-csv")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {CORPUS / 'broken-csv'}/spaces.csv, row 1: error: file is empty: "
                             "expected a header row (and 8 more; run 'netmap validate')\n")
    assert "Traceback" not in result.output


def test_missing_folder_is_one_line():
    result = CliRunner().invoke(main, ["analyse", "no-such-folder"])
    assert result.exit_code == 1
    assert result.output == "Error: no-such-folder: no such workspace folder\n"


def test_debug_shows_the_traceback():
    result = CliRunner().invoke(main, ["--debug", "analyse", "no-such-folder"])
    assert result.exit_code == 1
    assert result.exception is not None and "no such workspace folder" in str(result.exception)


def test_analyse_needs_a_source():
    result = CliRunner().invoke(main, ["analyse"])
    assert result.exit_code == 2
    assert "give a WORKSPACE folder, or --neo4j MAP" in result.output


def test_validate_valid_and_broken():
    ok = run("validate", LEEDS)
    assert ok.exit_code == 0
    assert ok.output == f"{LEEDS}: valid (7 actors, 0 ties, 1 spaces, 7 memberships)\n"
    bad = CliRunner().invoke(main, ["validate", str(CORPUS / "broken-csv")])
    assert bad.exit_code == 1
    lines = bad.output.splitlines()
    assert len(lines) == 10
    assert lines[-1] == f"{CORPUS / 'broken-csv'}: 9 error(s), 0 warning(s)"
    assert "Traceback" not in bad.output


def test_validate_json():
    result = CliRunner().invoke(main, ["validate", str(CORPUS / "broken-encoding"), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["valid"] is False
    assert doc["problems"] == [{"severity": "error", "file": "actors.csv", "row": 2, "column": None,
                                "code": "encoding", "message": "not UTF-8 text (byte 0xe9 at line 2); save it "
                                "as 'CSV UTF-8' and try again"}]


def test_init_then_validate(tmp_path):
    result = run("init", tmp_path / "my-map", "--name", "My map")
    assert result.exit_code == 0
    assert "Fill in the files" in result.output
    assert run("validate", tmp_path / "my-map").exit_code == 0
    again = CliRunner().invoke(main, ["init", str(tmp_path / "my-map")])
    assert again.exit_code == 1
    assert again.output == (f"Error: {tmp_path / 'my-map' / 'netmap.toml'} already exists: use --force to "
                            "overwrite, or choose an empty folder\n")


def test_analyse_text_and_json():
    text = run("analyse", LEEDS, "--top", "3")
    assert text.exit_code == 0
    assert "7 actors; 0 direct ties, 21 ties through shared spaces, 21 tied pairs in all\n" \
           "Density 1.000, 1 component (largest 7), 0 isolates\n" in text.output
    doc = json.loads(run("analyse", LEEDS, "--json").output)
    assert doc["summary"]["actors"] == 7
    assert len(doc["actors"]) == 7


SYNTHETIC = str(sites_dir() / "synthetic-borough")


def test_large_maps_are_sampled_and_say_so(monkeypatch, tmp_path):
    from netmap.analysis import sampling

    monkeypatch.setattr(sampling, "EXACT_MAX_NODES", 100)  # the 300-actor borough counts as large
    monkeypatch.setattr(sampling, "DEFAULT_SAMPLE", 500)
    doc = json.loads(run("analyse", SYNTHETIC, "--json").output)
    # 500 sources out of 300 actors is every actor: exact
    assert doc["sampling"]["betweenness_sample"] is None
    doc = json.loads(run("analyse", SYNTHETIC, "--json", "--sample", "40").output)
    assert doc["sampling"] == {"betweenness_sample": 40, "closeness_sample": 40, "paths_sample": 40, "seed": 42}
    text = run("analyse", SYNTHETIC, "--sample", "40").output
    assert ("Betweenness and closeness were estimated from 40 sampled actors, path lengths from 40 actors "
            "of the largest component (seed 42). --exact measures every actor exactly.") in text
    monkeypatch.setattr(sampling, "DEFAULT_SAMPLE", 50)
    doc = json.loads(run("analyse", SYNTHETIC, "--json").output)
    assert doc["sampling"]["betweenness_sample"] is None and doc["sampling"]["closeness_sample"] == 50
    assert doc["sampling"]["betweenness_estimate"]["epsilon"] == 0.005
    doc = json.loads(run("analyse", SYNTHETIC, "--json", "--exact").output)
    assert doc["sampling"] == {"betweenness_sample": None, "closeness_sample": None, "paths_sample": None,
                               "seed": 42}
    assert run("report", SYNTHETIC, "--out", tmp_path / "r.html").exit_code == 0
    report = (tmp_path / "r.html").read_text()
    assert "within 0.005 of the exact one with 90% probability" in report
    assert "Closeness was estimated from 50 sampled actors, path lengths from 50 actors" in report
    assert run("map", SYNTHETIC, "--out", tmp_path / "m.html").exit_code == 0
    assert "(estimated on a map this large: within 0.005 of the exact value with 90% probability)" in (
        tmp_path / "m.html").read_text()
    assert run("report", SYNTHETIC, "--exact", "--out", tmp_path / "exact.html").exit_code == 0
    assert "sampled actors" not in (tmp_path / "exact.html").read_text()


def test_sample_and_exact_together_is_a_usage_error():
    result = run("map", LEEDS, "--sample", "5", "--exact")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: give --sample or --exact, not both"


@pytest.mark.parametrize("size", ["0", "1", "-5"])
def test_a_sample_of_fewer_than_two_actors_is_refused(size):
    result = run("analyse", LEEDS, "--sample", size)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '--sample': {size} is too few: betweenness, closeness and path lengths are "
        "estimated from at least 2 sampled actors (use --exact to measure them exactly)")


def test_demo_writes_every_site(tmp_path):
    result = run("demo", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    sites = sorted(p.name for p in sites_dir().iterdir() if (p / "netmap.toml").exists())
    for site in sites:
        doc = json.loads((tmp_path / "out" / site / "gaps.json").read_text())
        assert doc["map"]
    assert re.search(r"^Creative Spaces Leeds: 7 partners in \d+ of \d+ constituencies", result.output, re.M)
    assert f"Results for {len(sites)} maps and 4 progress pages written to" in result.output
    progress = tmp_path / "out" / "progress"
    assert sorted(p.name for p in progress.iterdir()) == [
        "ariadne.html", "creative-spaces-sites.html", "pledge.html", "synthetic-borough.html"]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Change over time and across places" in index and 'href="progress/pledge.html"' in index
    pledge = (progress / "pledge.html").read_text(encoding="utf-8")
    assert "Synergi Collaborative Centre joined Synergi National Pledge Alliance" in pledge


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names += _commands(command, full + " ")
        else:
            names.append(full)
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_is_documented_with_an_example(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"netmap {command}" in readme, f"README does not show 'netmap {command}'"
    parts = command.split()
    group: click.Command = main
    for part in parts:
        group = group.commands[part]  # type: ignore[attr-defined]
    assert "Example" in (group.help or ""), f"'netmap {command} --help' has no example"
