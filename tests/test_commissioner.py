"""The commissioner view (`netmap gaps --view commissioner`): its rules on a hand-built workspace, CLI, report.

tests/fixtures/commissioning is SYNTHETIC and built so that each rule fires
exactly once; the expected sentences and numbers below are counted by hand
from its CSV files (see the comments).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.cli import main
from netmap.decisions.commissioner import RULES, commissioner_view, funding_ties
from netmap.model import Actor, Locality, Membership, NetworkMap, Space, Tie
from netmap.render.commissioner import commissioner_document, commissioner_section, commissioner_text, view_of
from netmap.render.report import render_report, write_report
from netmap.resources import sites_dir
from netmap.workflows import run_map
from netmap.workspace import read_workspace

FIXTURE = Path(__file__).parent / "fixtures" / "commissioning"

# Hand count (tests/fixtures/commissioning):
# * asian (15%): asian-centre is led by and for it and funded by icb -> no item;
#   black (9%): black-circle is led by and for it, nobody funds it -> not_funded;
#   mixed+other (6%): only refugee (arab, not led by the community) serves it -> no_by_and_for, 1 serving.
# * asian-centre's one funder is icb -> single_funder; the trust is commissioned by icb and the council but is
#   statutory, so it is never a single-funder case. black-circle's statutory neighbours: council only, which does
#   not fund it, and Northbury holds 5 statutory bodies -> single_statutory_contact. voices has two (icb, and
#   the trust through the pledge); asian-centre two (icb, ph).
# * community organisations: asian-centre, black-circle (community_group), voices (service_user_led): 3.
#   icb, council and ph have ties to one of them; gp has none -> none; the trust only shares the pledge with
#   voices -> space_only (it is the pledge's signatory).
# * icb: 2 funding ties (trust, asian-centre) -> 1 of 2, 50%; council: 1 (trust) -> none; ph: commissioner,
#   no funding tie -> no_ties. In all 3 ties, 2 funders, 2 organisations funded, 1 tie to the sector.
EXPECTED = {
    "unfunded_community.no_by_and_for": (
        "mixed+other",
        "Mixed or Multiple ethnic groups + Other ethnic group communities are 6% of Northbury's population, but no "
        "voluntary or community organisation in the network in Northbury is led by and for them (1 organisation "
        "serves them without being led by them), so there is none to fund or commission."),
    "unfunded_community.not_funded": (
        "black",
        "Black, Black British, Black Welsh, Caribbean or African communities are 9% of Northbury's population; 1 "
        "voluntary or community organisation in Northbury is led by and for them (Northbury African Caribbean "
        "Wellbeing Circle), but no one on the map funds or commissions it."),
    "fragility.single_funder": (
        "asian-centre",
        "Northbury Asian Women's Centre is funded or commissioned by Northbury ICB alone: if that funding ended, "
        "the map shows no other funder to turn to."),
    "fragility.single_statutory_contact": (
        "black-circle",
        "Northbury African Caribbean Wellbeing Circle's only statutory contact is Northbury Council: if that "
        "relationship lapsed, it would have no link to any statutory body on the map."),
    "community_tie.none": (
        "gp",
        "Elm Street Surgery (Primary care) has no tie to any of the 3 service-user-led or community organisations "
        "in Northbury and shares no space with them."),
    "community_tie.space_only": (
        "trust",
        "Northbury Mental Health NHS Trust (NHS mental health provider, a signatory of the Northbury Race Equality "
        "Pledge) meets service-user-led or community organisations only in shared spaces (Northbury Race "
        "Equality Pledge): the map records no tie of its own with any of the 3 in Northbury (pledge objective 3)."),
    "funding_reach.share": (
        "icb",
        "1 of Northbury ICB's 2 funding or commissioning ties (50%) reaches a voluntary or community organisation; "
        "the other goes to a statutory body."),
    "funding_reach.none": (
        "council",
        "Northbury Council's one funding or commissioning tie goes to a statutory body, not to a voluntary or "
        "community organisation."),
    "funding_reach.no_ties": (
        "ph",
        "Northbury Public Health Commissioning is a commissioner, but the map records no funding or commissioning "
        "tie from it: add whom it funds and commissions to see where its money goes."),
}


def run(*args: str):
    return CliRunner().invoke(main, ["gaps", *(str(a) for a in args)])


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def fixture_result():
    return run_map(read_workspace(FIXTURE), folder=FIXTURE)


@pytest.fixture(scope="module")
def borough():
    folder = sites_dir() / "synthetic-borough"
    return run_map(read_workspace(folder), folder=folder)


def test_every_rule_fires_once_with_its_sentence(fixture_result):
    view = view_of(fixture_result)
    assert Counter(i.rule for i in view.items) == Counter(list(RULES))  # each rule exactly once
    assert [(i.rule, i.subject, i.message) for i in view.items] == [(r, s, m) for r, (s, m) in EXPECTED.items()]
    assert {i.locality for i in view.items} == {"northbury"}  # ph has no locality: in the map's one locality
    assert view.funding == {"ties": 3, "to_vcse_community": 1, "funders": 2, "funded": 2}
    assert view.notes == []


def test_numbers_behind_each_item(fixture_result):
    data = {i.rule: i.data for i in view_of(fixture_result).items}
    assert data["unfunded_community.no_by_and_for"] | {} == {
        "group": "mixed+other", "name": "Mixed or Multiple ethnic groups + Other ethnic group",
        "population_share": 6.0, "profile": "northbury", "serving": 1, "by_and_for": [], "by_and_for_names": [],
        "funded": []}
    assert data["unfunded_community.not_funded"]["by_and_for"] == ["black-circle"]
    assert data["unfunded_community.not_funded"]["population_share"] == 9.0
    assert data["fragility.single_funder"]["funders"] == ["icb"]
    assert data["fragility.single_statutory_contact"]["contact"] == "council"
    assert data["community_tie.none"] | {} == {"actor": "gp", "name": "Elm Street Surgery", "statutory": True,
                                               "pledges": [], "organisations": 3, "shared_with": [], "spaces": []}
    assert data["community_tie.space_only"]["shared_with"] == ["voices"]
    assert data["community_tie.space_only"]["pledges"] == ["Northbury Race Equality Pledge"]
    assert data["funding_reach.share"] | {} == {"actor": "icb", "name": "Northbury ICB", "ties": 2,
                                                "to_vcse_community": 1, "share": 50.0,
                                                "other_sectors": {"statutory": 1}, "recipients": 2}
    assert (data["funding_reach.none"]["ties"], data["funding_reach.none"]["share"]) == (1, 0.0)
    assert (data["funding_reach.no_ties"]["ties"], data["funding_reach.no_ties"]["share"]) == (0, None)


def test_a_trust_commissioned_by_the_icb_alone_is_not_hanging_on_one_funder(fixture_result, borough):
    """Statutory bodies are funded by one commissioner by design: only VCSE and community organisations count."""
    nmap = fixture_result.nmap
    alone = NetworkMap(nmap.key, nmap.name, nmap.actors, [t for t in nmap.ties if t.from_id != "council"],
                       nmap.spaces, nmap.memberships, nmap.localities, populations=nmap.populations)
    assert {t.from_id for t in funding_ties(alone) if t.to_id == "trust"} == {"icb"}
    funded_by_one = [i.subject for i in view_of(run_map(alone)).items if i.rule == "fragility.single_funder"]
    assert funded_by_one == ["asian-centre"]
    view = view_of(borough)
    sectors = {a.id: borough.framework.sector_of(a) for a in borough.nmap.actors}
    funded_by_one = [i.subject for i in view.items if i.rule == "fragility.single_funder"]
    assert len(funded_by_one) == 71 and {sectors[s] for s in funded_by_one} == {"vcse", "community"}


def test_the_two_views_never_disagree(borough):
    gaps = {(f.rule, f.subject) for f in borough.findings if f.rule.startswith("fragility.single_")}
    view = {(i.rule, i.subject) for i in view_of(borough).items if i.kind == "fragility"}
    assert gaps == view and len(view) == 131


def test_national_funders_with_no_locality_count_in_every_locality():
    fund = Actor("fund", "National Equity Fund", ("national_body_funder",), scale="national")
    hub = Actor("hub", "Caribbean Elders Network", ("community_group",), communities=("caribbean",),
                led_by_community=True)  # no locality: in every locality
    local = Actor("local", "Southside African Forum", ("community_group",), communities=("african",),
                  led_by_community=True, locality="south")
    nmap = NetworkMap("n", "Two places", actors=[fund, hub, local],
                      ties=[Tie("fund", "hub", "funds", directed=True)],
                      localities=[Locality("north", "North", "birmingham"), Locality("south", "South", "birmingham")])
    result = run_map(nmap)
    view = view_of(result)
    assert not [i for i in view.items if i.subject == "black"]  # the funded network serves both places
    assert view.localities == [("", ""), ("north", "North"), ("south", "South")]
    reach = [i for i in view.items if i.kind == "funding_reach"]
    assert [(i.locality, i.rule, i.data["share"]) for i in reach] == [("", "funding_reach.share", 100.0)]
    assert reach[0].message == ("National Equity Fund's one funding or commissioning tie reaches a voluntary or "
                                "community organisation.")


def test_a_map_with_no_funding_ties_says_so_and_claims_nothing_about_funding():
    result = run_map(read_workspace(sites_dir() / "leeds"), folder=sites_dir() / "leeds")
    view = view_of(result)
    assert view.funding["ties"] == 0 and len(view.notes) == 1 and "records no funding" in view.notes[0]
    rules = {i.rule for i in view.items}
    assert not rules & {"unfunded_community.not_funded", "funding_reach.no_ties", "fragility.single_funder"}
    assert "unfunded_community.no_by_and_for" in rules
    # the sample maps record no direct tie: statutory bodies meet community organisations in the forum only
    assert {i.rule for i in view.items if i.kind == "community_tie"} == {"community_tie.space_only"}


def test_whole_map_puts_everything_in_one_place(borough):
    view = view_of(borough, by_locality=False)
    assert view.localities == [("", "")] and {i.locality for i in view.items} == {""}


def test_cli_text(fixture_result):
    result = run(FIXTURE, "--view", "commissioner")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Northbury commissioning (SYNTHETIC test data): the commissioner view. 3 funding or commissioning ties from "
        "2 funders and commissioners reach 2 organisations; 1 of the ties (33%) goes to voluntary and community "
        "organisations. 9 items (2 unfunded communities, 2 dependencies, 2 bodies without community ties, "
        "3 funders).")
    assert lines[2] == "Northbury"
    assert "  Communities with no funded or commissioned by-and-for organisation (2)" in lines
    flat = one_line(result.output)
    for rule, (subject, message) in EXPECTED.items():
        assert f"- {message} [{rule}: {subject}]" in flat
    assert result.output == commissioner_text(fixture_result, view_of(fixture_result)) + "\n"


def test_cli_json_follows_the_schema(fixture_result):
    result = run(FIXTURE, "--view", "commissioner", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc == commissioner_document(fixture_result, view_of(fixture_result))
    assert (doc["schema"], doc["version"], doc["map"]) == ("netmap/commissioner", 1, "northbury-commissioning")
    assert doc["localities"] == [{"key": "northbury", "name": "Northbury"}]
    assert doc["summary"] == {"items": 9, "unfunded_community": 2, "fragility": 2, "community_tie": 2,
                              "funding_reach": 3,
                              "funding": {"ties": 3, "to_vcse_community": 1, "funders": 2, "funded": 2}}
    assert [r["rule"] for r in doc["rules"]] == list(RULES) and all(r["items"] == 1 for r in doc["rules"])
    assert [(i["rule"], i["subject"], i["message"]) for i in doc["items"]] == [
        (r, s, m) for r, (s, m) in EXPECTED.items()]
    assert set(doc["items"][0]) == {"kind", "rule", "locality", "subject", "message", "data"}


def test_cli_explain_and_limit(borough):
    explained = run(FIXTURE, "--view", "commissioner", "--explain")
    assert "How these items were made" in explained.output
    assert "  community_tie.space_only (1 item)" in explained.output
    assert "framework 'whole-system'" in explained.output
    limited = run(sites_dir() / "synthetic-borough", "--view", "commissioner", "--limit", "2")
    assert "- 30 voluntary or community organisations depend on a single funder; the first 2:" in limited.output
    assert "Past 2 items of one rule in one place the rest are summed up" in limited.output
    every = run(sites_dir() / "synthetic-borough", "--view", "commissioner", "--limit", "0")
    assert one_line(every.output).count("[fragility.single_funder:") == 71


def test_the_default_view_is_unchanged():
    assert run(FIXTURE).output == run(FIXTURE, "--view", "gaps").output
    assert "the commissioner view" not in run(FIXTURE).output


@pytest.mark.parametrize(("args", "message"), [
    (["--view", "nonsense"], "Error: Invalid value for '--view': 'nonsense' is not one of 'gaps', 'commissioner'."),
    (["--view", "commissioner", "--kind", "fragility"],
     "Error: --kind applies to the gaps view only, not to --view commissioner"),
    (["--view", "commissioner", "--ego", "icb"], "Error: --ego applies to the gaps view only, not to --view "
                                                 "commissioner"),
])
def test_bad_input_is_one_clear_line(args, message):
    result = run(FIXTURE, *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message


def test_report_has_the_section(fixture_result, tmp_path):
    page = render_report(fixture_result)
    assert '<a href="#commissioners">For commissioners</a>' in page
    section = re.search(r'<section class="commissioners">(.*?)</section>', page, re.S).group(1)
    text = one_line(re.sub(r"<[^>]+>", " ", section)).replace("&#x27;", "'")
    for rule, (_, message) in EXPECTED.items():
        if not rule.startswith("funding_reach"):
            assert message in text
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"n\">(.*?)</td><td class=\"n\">(.*?)</td>"
                      r"<td class=\"n\">(.*?)</td></tr>", section)
    assert rows == [("Northbury ICB", "2", "1", "50%"), ("Northbury Council", "1", "0", "0%"),
                    ("Northbury Public Health Commissioning", "0", "0", "no ties")]
    assert write_report(fixture_result, tmp_path / "r.html").read_text(encoding="utf-8").count(
        'id="commissioners"') == 1


def test_report_leaves_the_section_out_without_funding_or_statutory_bodies():
    nmap = NetworkMap("c", "Community only", actors=[Actor("a", "A", ("community_group",)),
                                                     Actor("b", "B", ("faith_group",))],
                      ties=[Tie("a", "b")])
    result = run_map(nmap)
    assert commissioner_section(result) == ""
    assert "For commissioners" not in render_report(result)


def test_report_escapes_names(fixture_result):
    nmap = fixture_result.nmap
    hostile = [Actor(a.id, "<script>alert(1)</script>" if a.id == "gp" else a.name, a.constituencies,
                     communities=a.communities, led_by_community=a.led_by_community, locality=a.locality)
               for a in nmap.actors]
    result = run_map(NetworkMap(nmap.key, nmap.name, hostile, nmap.ties, nmap.spaces, nmap.memberships,
                                nmap.localities, populations=nmap.populations))
    section = commissioner_section(result)
    assert "<script>" not in section and "&lt;script&gt;alert(1)&lt;/script&gt; (Primary care)" in section


_SECTORS = ["commissioner", "local_authority", "nhs_mental_health", "vcse_provider", "community_group",
            "service_user_led", "national_body_funder", "academic_research"]


@st.composite
def small_maps(draw):
    n = draw(st.integers(2, 8))
    actors = [Actor(f"a{i}", f"Actor {i}", (draw(st.sampled_from(_SECTORS)),),
                    communities=tuple(draw(st.lists(st.sampled_from(["caribbean", "indian", "arab"]), max_size=2))),
                    led_by_community=draw(st.booleans()), locality=draw(st.sampled_from(["", "x", "y"])))
              for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(["funds", "commissions",
                                                                                     "partnership"]))
    ties = [Tie(f"a{u}", f"a{v}", t, directed=t != "partnership") for u, v, t in draw(st.lists(pairs, max_size=12))
            if u != v]
    members = [Membership(f"a{i}", "p", draw(st.sampled_from(["signatory", "member"])))
               for i in draw(st.sets(st.integers(0, n - 1), max_size=3))]
    return NetworkMap("h", "H", actors, list({t.key: t for t in ties}.values()), [Space("p", "P", "pledge")],
                      members, [Locality("x", "X", "birmingham"), Locality("y", "Y", "leeds")])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps())
def test_any_map_gives_a_consistent_view(nmap):
    result = run_map(nmap)
    view = commissioner_view(nmap, result.framework, result.analysis, result.findings)
    assert all(i.rule in RULES and i.message.endswith(".") for i in view.items)
    gaps = {(f.rule, f.subject) for f in result.findings if f.rule.startswith("fragility.single_")}
    assert gaps == {(i.rule, i.subject) for i in view.items if i.kind == "fragility"}
    ties = funding_ties(nmap)
    reach = [i for i in view.items if i.kind == "funding_reach"]
    assert sum(i.data["ties"] for i in reach) == len(ties) == view.funding["ties"]
    assert sum(i.data["to_vcse_community"] for i in reach) == view.funding["to_vcse_community"]
    for i in reach:
        assert i.data["share"] is None or 0 <= i.data["share"] <= 100
    funded = {t.to_id for t in ties}
    for i in view.items:
        if i.rule == "unfunded_community.not_funded":
            assert i.data["by_and_for"] and not funded & set(i.data["by_and_for"])
    json.dumps(commissioner_document(result, view))
    commissioner_text(result, view, limit=1, explain=True)


@pytest.mark.browser
def test_report_section_in_a_browser(fixture_result, tmp_path):
    import browser as helper

    reason = helper.missing_reason()
    if reason:
        if helper.services_required():
            pytest.fail(f"the browser tests must run here: {reason}")
        pytest.skip(reason)
    path = write_report(fixture_result, tmp_path / "northbury-report.html")
    with helper.launch() as b, helper.offline_page(b, width=1100, height=1400) as (page, log):
        page.goto(path.as_uri())
        page.click('a[href="#commissioners"]')
        section = page.inner_text("section.commissioners")
        assert section.startswith("For commissioners")
        for rule, (_, message) in EXPECTED.items():
            if not rule.startswith("funding_reach"):
                assert message in " ".join(section.split())
        assert page.eval_on_selector_all("section.commissioners tbody tr", "rows => rows.length") == 3
        box = page.eval_on_selector("section.commissioners", "e => e.getBoundingClientRect().width")
        assert box > 500
        assert not log.blocked and not log.errors
