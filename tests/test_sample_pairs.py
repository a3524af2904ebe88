"""The real sample pairs for change over time: the national pledge and ARIADNE, sliced by date as their sources say."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from netmap.decisions.compare import compare
from netmap.snapshots import at
from netmap.sources import load_sources, parse_citations
from netmap.workflows import load_map, run_map

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "data" / "sites"
LATE = {"cw-staff", "cw-service-users", "cw-carers", "el-staff", "el-service-users", "el-carers",
        "national-opinion-leaders"}


@pytest.fixture(scope="module")
def pledge():
    return load_map(SITES / "pledge")


@pytest.fixture(scope="module")
def ariadne():
    return load_map(SITES / "ariadne")


def _members(nmap, space: str) -> dict[str, str]:
    return {m.actor_id: m.role for m in nmap.memberships if m.space_id == space}


def test_the_pledge_at_signing_has_its_named_signatories_and_supporters_and_no_alliance(pledge):
    then = at(pledge, "2020-08")
    assert {a.id for a in then.actors} == {"synergi", "swlstg", "inspire-north", "nsun", "wcen", "sashidharan"}
    assert [s.id for s in then.spaces] == ["national-pledge"]
    assert _members(then, "pledge-alliance") == {}
    roles = _members(then, "national-pledge")
    assert sorted(a for a, r in roles.items() if r == "signatory") == ["inspire-north", "swlstg"]
    assert sorted(a for a, r in roles.items() if r == "supporter") == ["nsun", "sashidharan", "wcen"]


def test_the_pledge_before_its_launch_is_empty_and_the_alliance_starts_in_the_year_its_sources_agree_on(pledge):
    assert at(pledge, "2020-07").actors == []
    assert _members(at(pledge, "2020-12-31"), "pledge-alliance") == {}  # the sources: October or November 2021
    assert _members(at(pledge, "2021"), "pledge-alliance") == {"synergi": "convenor"}


def test_the_pledge_after_the_alliance_launched_has_synergi_convening_it(pledge):
    now = at(pledge, "2021-12")
    assert len(now.actors) == 6
    assert _members(now, "pledge-alliance") == {"synergi": "convenor"}  # its other members are not named
    assert len(_members(now, "national-pledge")) == 6


def test_ariadne_in_2023_is_the_project_alone_and_in_2024_the_two_site_workshops(ariadne):
    then = at(ariadne, "2023")
    assert [a.id for a in then.actors] == ["ariadne-team"]  # the groups first named in 2024 are not isolates
    assert [s.id for s in then.spaces] == ["ariadne"]
    now = at(ariadne, "2024")
    assert {a.id for a in now.actors} == LATE | {"ariadne-team"}
    assert [s.id for s in now.spaces] == ["ariadne-workshop-coventry", "ariadne-workshop-east-london",
                                          "ariadne-national-workshop"]
    assert set(_members(now, "ariadne-workshop-coventry")) == {"ariadne-team", "cw-staff", "cw-service-users",
                                                               "cw-carers"}
    assert set(_members(now, "ariadne-workshop-east-london")) == {"ariadne-team", "el-staff", "el-service-users",
                                                                  "el-carers"}


def test_actor_dates_are_kept_as_attributes_and_say_they_are_first_mentions(pledge, ariadne):
    assert {a.attributes["since"] for a in pledge.actors} == {"2020-08-05"}
    late = [a for a in ariadne.actors if a.id in LATE]
    assert len(late) == 7 and all(a.attributes == {"since": "2024"} for a in late)
    assert all("the year of the source's first mention" in a.notes for a in late)
    assert ariadne.actor("ariadne-team").attributes == {"since": "2022"}


@pytest.mark.parametrize("site", ["pledge", "ariadne"])
def test_every_row_cites_a_source_of_data_sources_toml(site):
    sources = load_sources()
    for table in ("actors", "ties", "spaces", "memberships"):
        with open(SITES / site / f"{table}.csv", newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                citations = parse_citations(row["source"], sources)
                assert citations, f"{site}/{table}.csv line {number}: no source"
                assert all(c.source for c in citations), f"{site}/{table}.csv line {number}: {row['source']}"


def _counts(nmap, before: str, after: str) -> tuple[int, ...]:
    c = compare(run_map(at(nmap, before)), run_map(at(nmap, after)), permutations=0)
    return (len(c.joined), len(c.left), len(c.formed), len(c.ended), len(c.memberships_started),
            len(c.memberships_ended), len(c.closed), len(c.opened), len(c.unchanged))


def test_the_pledge_pair_compares_as_one_new_seat_and_no_gap_closed(pledge):
    # joined, left, formed, ended, seats taken, seats given up, gaps closed, opened, unchanged
    assert _counts(pledge, "2020-08", "2021-12") == (0, 0, 0, 0, 1, 0, 0, 0, 3)


def test_the_ariadne_pair_compares_as_seven_groups_joining_the_2024_workshops(ariadne):
    c = compare(run_map(at(ariadne, "2023")), run_map(at(ariadne, "2024")), permutations=0)
    assert sorted(a.id for a in c.joined) == sorted(LATE)
    assert (len(c.memberships_started), len(c.memberships_ended)) == (10, 1)
    closed = {(f.rule, f.locality, f.subject) for f in c.closed}
    assert {("absent_constituency.none", loc, key) for loc in ("coventry", "east-london")
            for key in ("carer_led", "nhs_mental_health", "service_user_led", "national_body_funder")} <= closed
    assert ("isolate.no_ties", "", "ariadne-team") in closed
    assert _counts(ariadne, "2023", "2024") == (7, 0, 0, 0, 10, 1, 9, 9, 31)


def test_the_synthetic_pair_compares_with_its_planted_counts():
    after = load_map(ROOT / "data" / "snapshots" / "synthetic-borough-update")
    assert _counts(after, "2024-12", "2025-06")[:8] == (4, 3, 16, 30, 4, 1, 12, 10)
