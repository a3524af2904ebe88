"""The SYNTHETIC borough six months later: deterministic, labelled, planted with the change it documents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.decisions.compare import compare
from netmap.snapshots import at, tie_key
from netmap.sources import load_sources, parse_citations
from netmap.synthetic import command
from netmap.synthetic.follow_up import ENDED, FORMED, JOINED, LEFT, MEMBERSHIPS_STARTED, follow_up
from netmap.workflows import run_map
from netmap.workspace import read_workspace

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ROOT / "data" / "sites" / "synthetic-borough"
AFTER = ROOT / "data" / "snapshots" / "synthetic-borough-update"
FILES = ("netmap.toml", "actors.csv", "ties.csv", "spaces.csv", "memberships.csv")


@pytest.fixture(scope="module")
def before():
    return read_workspace(BEFORE)


@pytest.fixture(scope="module")
def after(before):
    return follow_up(before)


def _ids(nmap) -> set[str]:
    return {a.id for a in nmap.actors}


def _keys(nmap) -> set[tuple[str, str, str]]:
    return {tie_key(t) for t in nmap.ties}


def test_the_same_seed_writes_byte_identical_files_and_the_committed_sample_is_that_output(tmp_path):
    for name in ("a", "b"):
        assert command.main(["--follow-up", str(BEFORE), "--out", str(tmp_path / name)]) == 0
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        assert (tmp_path / "a" / name).read_bytes() == (AFTER / name).read_bytes(), name
    assert command.main(["--follow-up", str(BEFORE), "--out", str(tmp_path / "c"), "--seed", "5"]) == 0
    assert (tmp_path / "c" / "ties.csv").read_bytes() != (tmp_path / "a" / "ties.csv").read_bytes()


def test_the_module_entry_prints_the_rows_written(tmp_path):
    out = tmp_path / "update"
    run = subprocess.run([sys.executable, "-m", "netmap.synthetic", "--follow-up", str(BEFORE), "--out", str(out)],
                         capture_output=True, text=True, check=True)
    # 300 + 4 joined (leavers stay, dated); 1,200 + 16 formed (ended ties stay, dated); 86 + 4 seats
    assert run.stdout == f"wrote {out}: 304 actors, 1216 ties, 3 spaces, 90 memberships\n"


def test_a_bad_follow_up_is_one_line_on_stderr_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "update"
    assert command.main(["--follow-up", str(BEFORE), "--out", str(out), "--on", "2024-06"]) == 2
    assert capsys.readouterr().err == ("error: the follow-up date 2024-06 must be after the map's last date, "
                                       "2024-12\n")
    assert command.main(["--follow-up", str(ROOT / "data" / "sites" / "pledge"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == ("error: follow_up needs a synthetic borough map (netmap.synthetic.generate): "
                                       "it has no carer led actor\n")
    assert not out.exists()


def test_the_map_before_is_the_slice_at_its_last_month_and_the_borough_is_unchanged(before, after):
    then = at(after, "2024-12")
    assert _ids(then) == _ids(before) and _keys(then) == _keys(before)
    assert {m.key for m in then.memberships} == {m.key for m in before.memberships}
    # comparing the sample with that slice finds nothing changed
    assert compare(run_map(before), run_map(then), permutations=0).is_empty


def test_the_planted_counts_are_those_documented(before, after):
    then, now = at(after, "2024-12"), at(after, "2025-06")
    joined, left = _ids(now) - _ids(then), _ids(then) - _ids(now)
    assert (len(joined), len(left)) == (JOINED, LEFT) == (4, 3)
    leavers_ties = {tie_key(t) for t in before.ties if {t.from_id, t.to_id} & left}
    formed, ended = _keys(now) - _keys(then), _keys(then) - _keys(now)
    assert len(formed) == FORMED == 16
    assert ended - leavers_ties and len(ended - leavers_ties) == ENDED == 6
    assert leavers_ties <= ended and len(ended) == 30  # the 3 leavers had 24 ties
    started = {m.key for m in now.memberships} - {m.key for m in then.memberships}
    assert len(started) == MEMBERSHIPS_STARTED and {a for a, _ in started} == joined
    # every change is dated inside the window, so the map slices month by month
    new = [t for t in after.ties if tie_key(t) in formed]
    assert all("2025-01" <= t.since <= "2025-06" for t in new)
    gone = [t for t in after.ties if tie_key(t) in ended]
    assert all("2025-01" <= t.until <= "2025-05" for t in gone)
    assert all(a.attributes["since"] for a in after.actors if a.id in joined)
    assert all(a.attributes["until"] for a in after.actors if a.id in left)


def test_the_joiners_are_by_and_for_organisations_that_close_absent_constituencies(after):
    joined = [a for a in after.actors if "since" in a.attributes]
    assert [(a.id, a.constituencies[0], a.locality) for a in joined] == [
        ("carer-300", "carer_led", "central"), ("carer-301", "carer_led", "south"),
        ("sul-302", "service_user_led", "north"), ("cg-303", "community_group", "central")]
    assert all(a.led_by_community and "community_group" in a.constituencies for a in joined)
    assert joined[3].communities == ("arab",)  # no organisation served Arab people before


def test_the_gaps_the_plan_closes_are_closed(before, after):
    c = compare(run_map(at(after, "2024-12")), run_map(at(after, "2025-06")), permutations=0)
    closed = {(f.rule, f.locality, f.subject) for f in c.closed}
    assert {("absent_constituency.none", "central", "carer_led"),
            ("absent_constituency.none", "south", "carer_led"),
            ("under_represented.below_minimum", "north", "service_user_led"),
            ("missing_link.no_tie", "north", "nhs_mental_health--carer_led"),
            ("peripheral_constituency.single_broker", "north", "carer_led"),
            ("fragility.cut_vertex", "north", "vcse-157"),
            ("fragility.bridge", "north", "cg-204--cg-233")} <= closed
    opened = {(f.rule, f.locality, f.subject) for f in c.opened}
    assert ("fragility.bridge", "north", "cg-204--la-023") in opened  # the cluster's one link moved to the council
    assert (len(c.joined), len(c.left), len(c.formed), len(c.ended)) == (4, 3, 16, 30)
    assert (len(c.closed), len(c.opened)) == (12, 10)


def test_everything_a_person_sees_says_synthetic(after):
    assert after.name == "Synthetic borough, 6 months later (SYNTHETIC DATA)"
    assert after.description.startswith("SYNTHETIC DATA: ")
    new_rows = [*[a for a in after.actors if a.attributes], *[t for t in after.ties if t.since.startswith("2025")
                                                               or t.until]]
    assert len(new_rows) == 7 + 16 + 30 and all("SYNTHETIC" in r.notes for r in new_rows)
    sources = load_sources()
    rows = [*after.actors, *after.ties, *after.spaces, *after.memberships]
    cited = {c.key for r in rows for c in parse_citations(r.source, sources)}
    assert cited == {"netmap-synthetic"} and sources["netmap-synthetic"].synthetic


def test_the_written_map_validates_with_no_errors_or_warnings():
    result = CliRunner().invoke(main, ["validate", str(AFTER)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("valid (304 actors, 1216 ties, 3 spaces, 90 memberships)")


def test_months_and_on_set_the_window(before):
    three = follow_up(before, months=3)
    assert three.name == "Synthetic borough, 3 months later (SYNTHETIC DATA)"
    assert max(t.since for t in three.ties if t.since.startswith("2025")) <= "2025-03"
    assert follow_up(before, on="2025-06") == follow_up(before)
    with pytest.raises(ValueError, match="months must be at least 1"):
        follow_up(before, months=0)
