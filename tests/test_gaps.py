"""Gap analysis: small maps whose gaps can be worked out by hand, through the library and through ``netmap gaps``."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.cli import main
from netmap.gaps import KINDS, RULES, SEVERITIES, Finding, default_egos, find_gaps, findings_frame
from netmap.model import (
    Actor,
    Constituency,
    ExpectedLink,
    Framework,
    Locality,
    Membership,
    NetworkMap,
    Space,
    Tie,
)
from netmap.reference import load_framework
from netmap.render.documents import findings_csv
from netmap.resources import sample_sites, sites_dir
from netmap.workspace import read_workspace, write_workspace

FW = Framework(
    "test", "Test framework",
    constituencies=(
        Constituency("commissioner", "Commissioner", "statutory", min_presence=1, weight=1.5,
                     reaches=("vcse_provider", "service_user_led", "faith_group")),
        Constituency("nhs_mental_health", "NHS mental health provider", "statutory",
                     reaches=("service_user_led", "faith_group")),
        Constituency("vcse_provider", "VCSE service provider", "vcse", min_presence=2),
        Constituency("service_user_led", "Service-user-led group", "community", weight=1.5),
        Constituency("faith_group", "Faith group", "community"),
    ),
    expected_links=(
        ExpectedLink("commissioner", "vcse_provider", "Commissioners fund the voluntary sector."),
        ExpectedLink("nhs_mental_health", "service_user_led"),
        ExpectedLink("nhs_mental_health", "faith_group"),
    ),
)


def _map(actors, ties=(), spaces=(), memberships=(), localities=(), ego=()):
    return NetworkMap("t", "Test", list(actors), list(ties), list(spaces), list(memberships), list(localities),
                      ego=tuple(ego))


def _of(findings: list[Finding], kind: str) -> dict[str, Finding]:
    return {f.subject: f for f in findings if f.kind == kind}


def _gaps(*args: object) -> str:
    result = CliRunner().invoke(main, ["gaps", *(str(a) for a in args)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def small():
    # ccg -- trust -- mind ; faith (isolated); no service-user-led group
    actors = [
        Actor("ccg", "CCG", ("commissioner",)),
        Actor("trust", "Trust", ("nhs_mental_health",)),
        Actor("mind", "Mind", ("vcse_provider",)),
        Actor("faith", "Mosque", ("faith_group",)),
    ]
    ties = [Tie("ccg", "trust", "commissions", directed=True), Tie("trust", "mind", "refers_to", directed=True)]
    return _map(actors, ties)


def test_absent_and_under_represented(small):
    findings = find_gaps(small, FW)
    absent = _of(findings, "absent_constituency")
    assert set(absent) == {"service_user_led"}
    assert absent["service_user_led"].severity == "high"  # weight 1.5
    assert absent["service_user_led"].message == (
        "Service-user-led group: none in the network; the framework expects at least 1.")
    assert absent["service_user_led"].rule == "absent_constituency.none"
    # the link it leaves unmet is part of the absence, not a finding of its own
    assert absent["service_user_led"].data["expected_links"] == ["nhs_mental_health"]
    under = _of(findings, "under_represented")
    assert set(under) == {"vcse_provider"}
    assert under["vcse_provider"].data["count"] == 1 and under["vcse_provider"].data["min_presence"] == 2


def test_peripheral_isolated_and_single_broker(small):
    peripheral = _of(find_gaps(small, FW), "peripheral_constituency")
    assert peripheral["faith_group"].data["reason"] == "isolated"
    # the VCSE provider and the commissioner are each reached only through the trust
    assert peripheral["vcse_provider"].data["reason"] == "single_broker"
    assert peripheral["vcse_provider"].data["brokers"] == ["trust"]
    assert peripheral["commissioner"].data["brokers"] == ["trust"]
    assert peripheral["commissioner"].rule == "peripheral_constituency.single_broker"
    assert "nhs_mental_health" not in peripheral


def test_missing_links_only_between_present_constituencies(small):
    links = _of(find_gaps(small, FW), "missing_link")
    # commissioner--vcse_provider: both present, no tie (only through the trust); nhs--faith likewise.
    # nhs--service_user_led is not a finding: service users are absent, and that is the finding.
    assert set(links) == {"commissioner--vcse_provider", "nhs_mental_health--faith_group"}
    link = links["commissioner--vcse_provider"]
    assert (link.severity, link.rule, link.data["a_count"], link.data["met_by"]) == (
        "high", "missing_link.no_tie", 1, None)
    assert link.message == ("Commissioner (1 actor) and VCSE service provider (1 actor) are both in the network, "
                            "but no tie or shared space joins them. Commissioners fund the voluntary sector.")


def test_co_membership_closes_a_missing_link(small):
    small.spaces.append(Space("board", "Partnership board"))
    small.memberships += [Membership("ccg", "board"), Membership("mind", "board")]
    links = _of(find_gaps(small, FW), "missing_link")
    assert "commissioner--vcse_provider" not in links


def test_fragility_cut_vertex_and_single_funder():
    actors = [Actor("ccg", "CCG", ("commissioner",)), Actor("hub", "Hub", ("vcse_provider",))] + [
        Actor(f"g{i}", f"Group {i}", ("vcse_provider",)) for i in range(3)]
    ties = [Tie("ccg", "hub", "funds", directed=True)] + [Tie("hub", f"g{i}") for i in range(3)]
    findings = find_gaps(_map(actors, ties), FW)
    fragile = [f for f in findings if f.kind == "fragility"]
    cut = [f for f in fragile if f.data["reason"] == "cut_vertex"]
    # removing the hub leaves ccg and three groups apart: the largest remaining part has 1 actor,
    # so 5 - 1 - 1 = 3 actors lose contact
    assert [(f.subject, f.data["impact"], f.severity, f.rule) for f in cut] == [
        ("hub", 3, "high", "fragility.cut_vertex")]
    single = [f for f in fragile if f.data["reason"] == "single_funder"]
    assert [(f.subject, f.data["funders"], f.rule) for f in single] == [("hub", ["ccg"], "fragility.single_funder")]
    assert single[0].message == "Hub depends on a single funder or commissioner (CCG)."
    # every tie here ends at a lone actor: no bridge between two parts of 2 actors or more
    assert not [f for f in fragile if f.data["reason"] == "bridge"]


def test_ego_gaps_default_to_the_actors_the_framework_expects_to_reach_others(small):
    assert default_egos(small, FW) == ["ccg", "trust"]
    egos = _of(find_gaps(small, FW), "ego_gap")
    # the CCG is tied only to the trust: of what it is expected to reach, it misses the VCSE provider and
    # the faith group; service users are absent from the map, so not its gap. No commissioner is tied to a VCSE
    # provider: that is the missing-link finding, so the CCG's own list does not say it again
    links = {f.subject for f in find_gaps(small, FW) if f.kind == "missing_link"}
    assert "commissioner--vcse_provider" in links
    assert egos["ccg"].data["missing"] == ["faith_group"]
    assert egos["ccg"].severity == "low"  # faith groups do not have weight 1.5
    assert egos["ccg"].message == ("CCG has no tie to any faith group, which the framework expects a commissioner "
                                   "to reach.")
    # the trust misses only the faith group, and the framework's trust-faith link already says so
    assert "nhs_mental_health--faith_group" in links and "trust" not in egos
    # a chosen actor of a kind with no reaches list is expected to reach every constituency present
    chosen = _of(find_gaps(small, FW, egos=["mind"]), "ego_gap")
    assert set(chosen) == {"mind"}
    # (its missing commissioner is the commissioner-VCSE missing link, said once)
    assert (chosen["mind"].rule, chosen["mind"].data["missing"]) == ("ego_gap.any_constituency", ["faith_group"])


def test_community_coverage_against_the_population():
    actors = [Actor("cahn", "Caribbean and African Health Network", ("faith_group",), communities=("caribbean",),
                    locality="mcr", led_by_community=True),
              Actor("trust", "Trust", ("nhs_mental_health",), locality="mcr")]
    nmap = _map(actors, [Tie("cahn", "trust")], localities=[Locality("mcr", "Manchester", "manchester")])
    coverage = _of(find_gaps(nmap, FW), "community_coverage")
    # Manchester (Census 2021): Asian 20.9%, Black 11.9%, Mixed 5.3%, Other 5.1%; White is served by
    # mainstream organisations and not reported. Black is covered by CAHN.
    assert set(coverage) == {"asian", "mixed", "other"}
    assert coverage["asian"].severity == "high"
    assert coverage["asian"].message == (
        "Asian, Asian British or Asian Welsh communities are 20.9% of Manchester's population, but no "
        "organisation in the network in Manchester is led by or serves them.")


def test_findings_per_locality():
    actors = [Actor("a", "A", ("commissioner",), locality="north"), Actor("b", "B", ("service_user_led",),
                                                                           locality="south"),
              Actor("n", "National body", ("nhs_mental_health",))]
    nmap = _map(actors, localities=[Locality("north", "North"), Locality("south", "South")])
    absent = [(f.locality, f.subject) for f in find_gaps(nmap, FW) if f.kind == "absent_constituency"]
    assert ("north", "service_user_led") in absent and ("south", "commissioner") in absent
    assert ("north", "nhs_mental_health") not in absent  # actors with no locality count everywhere
    whole = [f.subject for f in find_gaps(nmap, FW, by_locality=False) if f.kind == "absent_constituency"]
    assert "service_user_led" not in whole


def test_empty_map_never_raises():
    findings = find_gaps(_map([]), FW)
    assert {f.subject for f in findings if f.kind == "absent_constituency"} == set(FW.keys)


def test_leeds_sample_absent_constituencies():
    leeds = read_workspace(sites_dir() / "leeds")
    absent = {f.subject for f in find_gaps(leeds, load_framework("whole-system"))
              if f.kind == "absent_constituency"}
    assert {"service_user_led", "academic_research"} <= absent
    assert not {"commissioner", "nhs_mental_health"} & absent


@pytest.mark.parametrize("site", sample_sites(), ids=lambda p: p.name)
def test_every_sample_site_gives_well_formed_findings(site):
    nmap = read_workspace(site)
    for f in find_gaps(nmap, load_framework(nmap.framework, base=site)):
        assert f.kind in KINDS and f.severity in SEVERITIES and f.message.endswith(".")
        assert f.rule in RULES and RULES[f.rule].kind == f.kind


_KEYS = list(FW.keys)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_KEYS), max_size=2), max_size=8),
       st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=12))
def test_random_maps_give_consistent_findings(cons, pairs):
    actors = [Actor(f"a{i}", f"Actor {i}", tuple(dict.fromkeys(c))) for i, c in enumerate(cons)]
    ties = [Tie(f"a{i}", f"a{j}") for i, j in pairs if i != j and i < len(actors) and j < len(actors)]
    findings = find_gaps(_map(actors, ties), FW)
    held = {c for a in actors for c in a.constituencies}
    absent = {f.subject for f in findings if f.kind == "absent_constituency"}
    assert absent == set(_KEYS) - held
    assert [SEVERITIES.index(f.severity) for f in findings] == sorted(SEVERITIES.index(f.severity)
                                                                      for f in findings)
    # a missing link never has an actor holding both sides, nor an absent side
    for f in findings:
        if f.kind == "missing_link":
            a, b = f.subject.split("--")
            assert a in held and b in held
            assert not any(a in x.constituencies and b in x.constituencies for x in actors)
    # every isolate is a finding
    tied = {t.from_id for t in ties} | {t.to_id for t in ties}
    assert {f.subject for f in findings if f.kind == "isolate"} == {a.id for a in actors if a.id not in tied}


# --------------------------------------------------------------------------- through `netmap gaps`

FORUM_FRAMEWORK = """\
key = "forum"
name = "Forum"

[[constituencies]]
key = "local_authority"
label = "Local authority"
sector = "statutory"
reaches = ["vcse_provider", "housing"]

[[constituencies]]
key = "housing"
label = "Housing"
sector = "statutory"

[[constituencies]]
key = "commissioner"
label = "Commissioner"
sector = "statutory"
weight = 1.5
reaches = ["vcse_provider", "service_user_led"]

[[constituencies]]
key = "vcse_provider"
label = "VCSE service provider"
sector = "vcse"

[[constituencies]]
key = "service_user_led"
label = "Service-user-led group"
sector = "community"
weight = 1.5

[[constituencies]]
key = "nhs_mental_health"
label = "NHS mental health provider"
sector = "statutory"
reaches = ["service_user_led"]

[[constituencies]]
key = "police_justice"
label = "Police and criminal justice"
sector = "statutory"

[[constituencies]]
key = "faith_group"
label = "Faith group"
sector = "community"

[[expected_links]]
between = ["local_authority", "housing"]
reason = "Councils hold housing duties."

[[expected_links]]
between = ["commissioner", "vcse_provider"]
reason = "Commissioners fund the voluntary sector."
direct = true

[[expected_links]]
between = ["nhs_mental_health", "service_user_led"]
reason = "Trusts co-produce with service users."
"""


@pytest.fixture
def forum(tmp_path: Path) -> tuple[Path, Path]:
    """A two-locality forum: a council that is also the housing authority, an ICB with no locality, a
    southern VCSE that only shares a forum with the ICB, an isolated mosque and a police force."""
    actors = [
        Actor("council", "Northtown Council", ("local_authority", "housing"), locality="north"),
        Actor("icb", "Riverlands ICB", ("commissioner",)),
        Actor("mind", "Mind in Northtown", ("vcse_provider",), locality="north"),
        Actor("southvcse", "Southside Advice", ("vcse_provider",), locality="south"),
        Actor("voices", "Voices", ("service_user_led",), locality="north"),
        Actor("trust", "Northtown NHS Trust", ("nhs_mental_health",), locality="north"),
        Actor("police", "Northtown Police", ("police_justice",), locality="north"),
        Actor("mosque", "Central Mosque", ("faith_group",), locality="north"),
    ]
    ties = [Tie("icb", "trust", "commissions", directed=True), Tie("icb", "mind", "funds", directed=True),
            Tie("trust", "voices", "co_produces"), Tie("council", "mind"), Tie("police", "trust")]
    nmap = NetworkMap("forum", "Forum", actors, ties, [Space("south-forum", "South forum", locality="south")],
                      [Membership("icb", "south-forum"), Membership("southvcse", "south-forum")],
                      [Locality("north", "North"), Locality("south", "South")])
    write_workspace(nmap, tmp_path / "forum")
    (tmp_path / "forum.toml").write_text(FORUM_FRAMEWORK, encoding="utf-8")
    return tmp_path / "forum", tmp_path / "forum.toml"


def _json(*args: object) -> dict:
    return json.loads(_gaps(*args, "--json"))


def test_cli_an_expected_link_is_met_by_one_actor_a_tie_or_a_shared_space(forum):
    folder, framework = forum
    doc = _json(folder, "--framework", framework)
    links = {(x["locality"], x["a"], x["b"]): x for x in doc["expected_links"]}
    # the council holds both local authority and housing: the link is met, not "1 and 1 actor ... none tied"
    north_housing = links[("north", "local_authority", "housing")]
    assert (north_housing["met"], north_housing["met_by"], north_housing["actors"]) == (True, "one_actor", ["council"])
    # the ICB (no locality) funds Mind: it counts in the north as in every locality
    assert links[("north", "commissioner", "vcse_provider")]["met_by"] == "tie"
    # in the south the ICB and Southside Advice only share a forum, and the framework asks for a direct tie
    south = links[("south", "commissioner", "vcse_provider")]
    assert (south["met"], south["met_by"], south["spaces"]) == (False, "space", ["south-forum"])
    missing = [(f["locality"], f["subject"], f["rule"], f["severity"]) for f in doc["findings"]
               if f["kind"] == "missing_link"]
    assert missing == [("south", "commissioner--vcse_provider", "missing_link.space_only", "medium")]
    text = _gaps(folder, "--framework", framework, "--kind", "missing_link")
    assert (
        "  !!  Commissioner (1 actor) and VCSE service provider (1 actor) only share a space in South\n"
        "      (South forum); the framework expects a direct tie. Commissioners fund the voluntary\n"
        "      sector.  [missing_link.space_only: commissioner--vcse_provider]\n") in text


def test_cli_precision_egos_funders_and_isolates(forum):
    folder, framework = forum
    doc = _json(folder, "--framework", framework)
    by_rule: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        by_rule.setdefault(f["rule"], []).append(f)
    # egos by default: the council, the ICB and the trust (the kinds the framework expects to reach others),
    # never the police; only the ICB misses one: service users, present in the north, tied to the trust only
    assert [(f["subject"], f["severity"], f["message"]) for f in by_rule["ego_gap.expected_reach"]] == [
        ("icb", "medium", "Riverlands ICB has no tie to any service-user-led group, which the framework expects a "
                          "commissioner to reach.")]
    # the ICB commissions the trust (how the NHS is funded: no finding) and is Mind's only funder (a finding)
    assert [(f["subject"], f["message"]) for f in by_rule["fragility.single_funder"]] == [
        ("mind", "Mind in Northtown depends on a single funder or commissioner (Riverlands ICB).")]
    assert [(f["subject"], f["severity"], f["message"]) for f in by_rule["isolate.no_ties"]] == [
        ("mosque", "low", "Central Mosque (faith group) has no tie and shares no space with anyone on the map.")]
    # other egos on request
    asked = _json(folder, "--framework", framework, "--ego", "police")
    assert [(f["subject"], f["rule"], f["data"]["missing"]) for f in asked["findings"] if f["kind"] == "ego_gap"] == [
        ("police", "ego_gap.any_constituency", ["local_authority", "housing", "commissioner", "vcse_provider",
                                                "service_user_led", "faith_group"])]


def _bridged(tmp_path: Path) -> Path:
    """A triangle (Ash, Birch, Cedar Elders) and a 4-clique (Deaf Forum, Elm, Fir, Gorse) joined by one tie."""
    names = {"a": "Ash", "b": "Birch", "c": "Cedar Elders", "d": "Deaf Forum", "e": "Elm", "f": "Fir", "g": "Gorse"}
    actors = [Actor(k, v, ("vcse_provider",)) for k, v in names.items()]
    pairs = ["ab", "bc", "ca", "cd", "de", "df", "dg", "ef", "eg", "fg"]
    write_workspace(NetworkMap("bridged", "Bridged", actors, [Tie(p[0], p[1]) for p in pairs]), tmp_path / "b")
    return tmp_path / "b"


def test_cli_a_bridge_tie_is_named_with_both_ends_and_its_ends_are_brokers(tmp_path):
    folder = _bridged(tmp_path)
    doc = _json(folder)
    fragile = [(f["rule"], f["subject"], f["severity"]) for f in doc["findings"] if f["kind"] == "fragility"]
    # Cedar's leaving cuts Ash and Birch off (7 - 1 - 4 = 2 = min(4, 3 - 1)); Deaf Forum's cuts the triangle
    # off (7 - 1 - 3 = 3 = min(3, 4 - 1)): all of both is what the tie's ending cuts, so one finding says it
    assert fragile == [("fragility.bridge", "c--d", "high")]
    bridge = next(f for f in doc["findings"] if f["rule"] == "fragility.bridge")
    assert bridge["message"] == ("The tie between Cedar Elders and Deaf Forum is the only link between 3 actors on "
                                 "Cedar Elders' side and 4 on Deaf Forum's: if it ended, or if Cedar Elders or Deaf "
                                 "Forum left, they would lose contact.")
    assert (bridge["data"]["sides"], bridge["data"]["cut_vertices"]) == ([3, 4], ["c", "d"])
    # Deaf Forum has the most ties (4) but its leaving cuts others off: a broker, not a hub
    result = CliRunner().invoke(main, ["analyse", str(folder), "--json"], catch_exceptions=False)
    roles = {a["id"]: a["role"] for a in json.loads(result.output)["actors"]}
    assert roles["d"] == roles["c"] == "broker"


def test_cli_every_finding_carries_its_rule_in_json_csv_and_table(forum):
    folder, framework = forum
    doc = _json(folder, "--framework", framework)
    assert all(set(f) == {"kind", "rule", "severity", "locality", "subject", "message", "data"}
               for f in doc["findings"])
    nmap = read_workspace(folder)
    findings = find_gaps(nmap, load_framework(framework))
    rows = list(csv.DictReader(io.StringIO(findings_csv(findings))))
    assert [r["rule"] for r in rows] == [f["rule"] for f in doc["findings"]] == list(findings_frame(findings)["rule"])
    assert "isolate.no_ties" in [r["rule"] for r in rows]


def test_cli_explain_prints_each_rule_with_its_threshold_and_source(forum):
    folder, framework = forum
    text = _gaps(folder, "--framework", framework, "--kind", "isolate", "--explain")
    assert text.endswith(textwrap.dedent("""\
        How these findings were made (one rule each; docs/gaps-json.md):
          isolate.no_ties (1 finding)
            Rule:      The actor has no tie and shares no space with anyone on the map.
            Threshold: degree 0; medium when it holds a constituency of weight 1.5 or more, else low.
            Source:    the map's ties and spaces; framework 'forum': [[constituencies]] weight.
        """))
    assert "Showing isolate: 1 of " in text


def test_cli_a_big_map_reads_like_a_summary(tmp_path):
    CliRunner().invoke(main, ["synth", "--actors", "1000", "--seed", "7", "--out", str(tmp_path / "s")],
                       catch_exceptions=False)
    # betweenness estimated from 100 actors keeps the test fast; no finding of these rules depends on it
    doc = _json(tmp_path / "s", "--sample", "100")
    lines = _gaps(tmp_path / "s", "--sample", "100").splitlines()
    assert len(lines) < 150 < len(doc["findings"])
    funders = [f for f in doc["findings"] if f["rule"] == "fragility.single_funder"]
    assert len(funders) > 12  # past 12 findings of one rule, the text sums them up
    summed = f"  !!  {len(funders):,} voluntary or community organisations depend on a single funder; the first 5:"
    assert summed in lines
    assert lines[-1] == ("Past 12 findings of one rule the rest are summed up: --limit 0 lists every one, --kind "
                         "picks kinds, --json gives them all.")
    # with --limit, the ones with most at stake come first: the bridges that would cut most actors off
    lines = _gaps(tmp_path / "s", "--sample", "100", "--limit", "3", "--kind", "fragility").splitlines()
    bridges = [f for f in doc["findings"] if f["rule"] == "fragility.bridge" and f["severity"] == "medium"]
    assert len(bridges) > 3
    assert f"  !!  {len(bridges)} single ties are the only link between two parts; the 3 with most at stake:" in lines
    shown = [line.rsplit(": ", 1)[1].rstrip("]") for line in lines if "[fragility.bridge: " in line][:3]
    cut_off = {f["subject"]: f["data"]["cut_off"] for f in bridges}
    assert sorted(cut_off.values(), reverse=True)[:3] == [cut_off[s] for s in shown]


def test_cli_limit_and_kind(forum):
    folder, framework = forum
    every = _json(folder, "--framework", framework)["findings"]
    # --limit 0 lists every finding, each ending with its [rule: subject] tag
    text = _gaps(folder, "--framework", framework, "--limit", "0")
    assert [line.rsplit("  [", 1)[1] for line in text.splitlines() if line.endswith("]")] == [
        f"{f['rule']}: {f['subject']}]" for f in every]
    # --limit 2: the 5 absences of the south are summed up, the 2 first shown
    text = _gaps(folder, "--framework", framework, "--limit", "2", "--kind", "absent_constituency")
    assert text.splitlines()[-8:] == [
        "HIGH (1)",
        "  !!! Service-user-led group: none in the network in South; the framework expects at least 1.  "
        "[absent_constituency.none: service_user_led]",
        "MEDIUM (5)",
        "  !!  5 absences of a constituency from a locality; the first 2:",
        "      !!  Faith group: none in the network in South; the framework expects at least 1.  "
        "[absent_constituency.none: faith_group]",
        "      !!  Housing: none in the network in South; the framework expects at least 1.  "
        "[absent_constituency.none: housing]",
        "",
        "Past 2 findings of one rule the rest are summed up: --limit 0 lists every one, --kind picks kinds, "
        "--json gives them all.",
    ]
    # --kind keeps those kinds, in the text and in the JSON
    kinds = {f["kind"] for f in _json(folder, "--framework", framework, "--kind", "isolate", "--kind", "ego_gap")[
        "findings"]}
    assert kinds == {"isolate", "ego_gap"}


def test_cli_unknown_kind_is_one_clear_line():
    result = CliRunner().invoke(main, ["gaps", str(sites_dir() / "leeds"), "--kind", "gap"])
    assert result.exit_code == 2
    assert ("Invalid value for '--kind': 'gap' is not a kind of finding (kinds: absent_constituency, "
            "under_represented, peripheral_constituency, missing_link, community_coverage, isolate, fragility, "
            "ego_gap)") in result.output


# --------------------------------------------------------------------------- the sample sites

#: What each sample site's gaps held before the precision work of issue 9: every absent constituency and
#: community with no organisation (by locality), cut vertex and isolate must still be found.
SITE_PINS: dict[str, dict] = {
    "ariadne": {
        "absent": {
            "coventry": ("advocacy_activism arts_culture commissioner community_group education "
                        "employment_welfare faith_group housing local_authority patient_voice "
                        "police_justice primary_care vcse_infrastructure vcse_provider"),
            "east-london": ("advocacy_activism arts_culture commissioner community_group education "
                           "employment_welfare faith_group housing local_authority patient_voice "
                           "police_justice primary_care vcse_infrastructure vcse_provider"),
        },
        "community_coverage": {"coventry": "asian black mixed+other"},
        "cut_vertices": "ariadne-team",
        "isolates": "",
    },
    "birmingham": {
        "absent": {
            "birmingham": ("advocacy_activism carer_led commissioner education employment_welfare "
                          "faith_group housing national_body_funder nhs_mental_health patient_voice "
                          "police_justice primary_care service_user_led vcse_provider"),
        },
        "community_coverage": {"birmingham": "asian mixed other"},
        "cut_vertices": "",
        "isolates": "",
    },
    "leeds": {
        "absent": {
            "leeds": ("academic_research arts_culture carer_led education employment_welfare faith_group "
                     "national_body_funder patient_voice police_justice primary_care service_user_led"),
        },
        "community_coverage": {"leeds": "asian black mixed+other"},
        "cut_vertices": "",
        "isolates": "",
    },
    "manchester": {
        "absent": {
            "manchester": ("academic_research carer_led education employment_welfare housing "
                          "national_body_funder nhs_mental_health patient_voice police_justice primary_care "
                          "service_user_led vcse_infrastructure"),
        },
        "community_coverage": {"manchester": "asian mixed other"},
        "cut_vertices": "",
        "isolates": "",
    },
    "pledge": {
        "absent": {
            "england": "commissioner local_authority national_body_funder",
        },
        "community_coverage": {},
        "cut_vertices": "",
        "isolates": "",
    },
    "synthetic-borough": {
        "absent": {
            "central": "carer_led police_justice",
            "north": "police_justice",
            "south": "carer_led police_justice",
        },
        "community_coverage": {"central": "black", "north": "black"},
        "cut_vertices": "cg-204 cg-233 cg-238 cg-240 cg-261 cg-281 vcse-157 vcse-165",
        "isolates": "faith-064 faith-065",
    },
    "wandsworth": {
        "absent": {
            "wandsworth": ("academic_research advocacy_activism arts_culture carer_led commissioner "
                          "education employment_welfare faith_group housing local_authority "
                          "national_body_funder patient_voice police_justice primary_care service_user_led "
                          "vcse_provider"),
        },
        "community_coverage": {},
        "cut_vertices": "",
        "isolates": "",
    },
}


@pytest.mark.parametrize("site", sample_sites(), ids=lambda p: p.name)
def test_cli_every_sample_site_keeps_its_absences_coverage_gaps_isolates_and_cut_vertices(site: Path):
    pins = SITE_PINS[site.name]
    findings = _json(site)["findings"]

    def found(kind: str, rule: str) -> set[tuple[str, str]]:
        return {(f["locality"], f["subject"]) for f in findings if f["kind"] == kind and f["rule"] == rule}

    absent = {(loc, key) for loc, keys in pins["absent"].items() for key in keys.split()}
    assert absent == found("absent_constituency", "absent_constituency.none")
    coverage = {(loc, key) for loc, keys in pins["community_coverage"].items() for key in keys.split()}
    assert coverage <= found("community_coverage", "community_coverage.no_organisation") | found(
        "community_coverage", "community_coverage.low_voice")
    named_by_bridges = {c for f in findings if f["rule"] == "fragility.bridge" for c in f["data"]["cut_vertices"]}
    assert set(pins["cut_vertices"].split()) == {s for _, s in found("fragility", "fragility.cut_vertex")} | (
        named_by_bridges)
    assert set(pins["isolates"].split()) == {s for _, s in found("isolate", "isolate.no_ties")}


# --------------------------------------------------------------------------- framework keys `reaches` and `direct`


def test_cli_a_bad_reaches_or_direct_is_one_line_naming_file_and_entry(tmp_path, forum):
    folder, _ = forum
    bad = tmp_path / "bad.toml"
    bad.write_text(FORUM_FRAMEWORK.replace('reaches = ["service_user_led"]', 'reaches = ["service_users"]'))
    result = CliRunner().invoke(main, ["gaps", str(folder), "--framework", str(bad)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {bad}: constituency 6 ('nhs_mental_health'): 'reaches' names 'service_users', "
                             "which is not a constituency of this framework\n")
    bad.write_text(FORUM_FRAMEWORK.replace("direct = true", 'direct = "yes"'))
    result = CliRunner().invoke(main, ["gaps", str(folder), "--framework", str(bad)])
    assert result.output == f"Error: {bad}: expected link 2: 'direct' must be true or false, not 'yes'\n"


_TOML_VALUES = st.one_of(st.booleans(), st.integers(-3, 3), st.text(max_size=8),
                         st.lists(st.sampled_from(["housing", "commissioner", "nope", ""]), max_size=3))


@settings(max_examples=60, deadline=None)
@given(reaches=_TOML_VALUES, direct=_TOML_VALUES)
def test_any_reaches_or_direct_value_loads_or_fails_with_a_reference_error(tmp_path_factory, reaches, direct):
    from netmap.errors import ReferenceDataError
    from netmap.reference import load_framework

    def toml(value: object) -> str:
        return json.dumps(value) if not isinstance(value, bool) else str(value).lower()

    path = tmp_path_factory.mktemp("fw") / "fw.toml"
    path.write_text(textwrap.dedent(f"""\
        [[constituencies]]
        key = "commissioner"
        reaches = {toml(reaches)}
        [[constituencies]]
        key = "housing"
        [[expected_links]]
        between = ["commissioner", "housing"]
        direct = {toml(direct)}
        """), encoding="utf-8")
    try:
        fw = load_framework(path)
    except ReferenceDataError as exc:
        assert str(exc).startswith(f"{path}: ")
        return
    assert isinstance(direct, bool) and fw.expected_links[0].direct is direct
    assert fw.get("commissioner").reaches == tuple(dict.fromkeys(reaches))
