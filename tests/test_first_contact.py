"""A forum filled in the way people fill a sheet in Excel validates, and gives findings an expert would keep.

tests/fixtures/forum10 is a hand-made 10-actor forum (SYNTHETIC names): a council that is also the
housing authority, UK dates, a constituency list separated by commas and a row with no id.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from netmap.cli import main

FORUM = str(Path(__file__).parent / "fixtures" / "forum10")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_forum_validates_with_warnings_and_notes_only():
    result = run("validate", FORUM, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [p for p in report["problems"] if p["severity"] == "error"] == []
    warnings = {(p["file"], p["column"]) for p in report["problems"] if p["severity"] == "warning"}
    assert warnings == {("actors.csv", "constituencies"), ("actors.csv", "id")}


def test_the_forum_has_no_high_finding_an_expert_would_reject():
    doc = json.loads(run("gaps", FORUM, "--json").output)
    high = {(f["rule"], f["subject"]) for f in doc["findings"] if f["severity"] == "high"}
    # checked by hand: each is true of this forum and one a convenor would act on
    assert high == {
        ("missing_link.no_tie", "commissioner--service_user_led"),      # the ICB has no tie to Voices
        ("missing_link.no_tie", "nhs_mental_health--community_group"),  # the trust reaches no by-and-for group
        ("missing_link.no_tie", "nhs_mental_health--vcse_provider"),    # ... nor Mind
        # the only way from the ICB's side to the forum: one tie, whose ends are named in the same finding
        ("fragility.bridge", "nf-icb--healthwatch-northfield"),
    }
    bridge = next(f for f in doc["findings"] if f["rule"] == "fragility.bridge")
    assert bridge["data"]["cut_vertices"] == ["nf-icb", "healthwatch-northfield"]
    # one fact, one finding: no cut-vertex finding repeats the bridge, no ego gap repeats a missing link
    assert not {f["subject"] for f in doc["findings"] if f["rule"] == "fragility.cut_vertex"} & {
        "nf-icb", "healthwatch-northfield"}
    icb = next(f for f in doc["findings"] if f["kind"] == "ego_gap" and f["subject"] == "nf-icb")
    assert "service_user_led" not in icb["data"]["missing"]
    subjects = {(f["kind"], f["subject"]) for f in doc["findings"]}
    # the council holds both constituencies: the expected link is met, not missing
    assert ("missing_link", "local_authority--housing") not in subjects
    link = next(x for x in doc["expected_links"] if {x["a"], x["b"]} == {"local_authority", "housing"})
    assert (link["met"], link["met_by"], link["actors"]) == (True, "one_actor", ["nf-council"])
    # statutory bodies funded by the ICB are not "fragile"; only VCSE and community organisations are
    single_funder = {f["subject"] for f in doc["findings"] if f["rule"] == "fragility.single_funder"}
    assert single_funder == {"nf-arts", "nf-elders", "nf-mind"}
    # ego gaps only for the bodies whose job is to reach the others
    assert {f["subject"] for f in doc["findings"] if f["kind"] == "ego_gap"} == {"nf-icb", "nf-council", "nf-trust"}
    # the row with no id is an actor like any other: the tie naming it by name counts (it is the bridge's end)
    assert "healthwatch-northfield" in bridge["data"]["actors"]
    # the comma list was read as two constituencies: arts_culture is present, not absent
    assert ("absent_constituency", "arts_culture") not in subjects
