"""Comparing two snapshots of a map: small pairs where each change happens once, worked out by hand."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netmap.analysis import analyse
from netmap.decisions.compare import MEASURES, SCHEMA_VERSION, Comparison, PermutationTest, compare
from netmap.errors import CompareError, NetmapError
from netmap.gaps import find_gaps
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
from netmap.resources import sites_dir
from netmap.result import Result
from netmap.snapshots import at
from netmap.workflows import load_map, run_map

FW = Framework(
    "test", "Test",
    constituencies=(
        Constituency("nhs", "NHS trust", "statutory"),
        Constituency("council", "Council", "statutory"),
        Constituency("vcse", "Voluntary organisation", "vcse"),
        Constituency("carers", "Carers' group", "community"),
    ),
    expected_links=(ExpectedLink("nhs", "carers", "Trusts should hear carers."),),
)

ACTORS = (
    Actor("n1", "North Trust", ("nhs",)), Actor("n2", "South Trust", ("nhs",)),
    Actor("l1", "East Council", ("council",)), Actor("l2", "West Council", ("council",)),
    Actor("v1", "Mind", ("vcse",), communities=("black",)), Actor("v2", "Age UK", ("vcse",)),
    Actor("v3", "Lone Org", ("vcse",)), Actor("c1", "Carers Hub", ("carers",)),
)
# n1, n2, v1, v2 all tied to each other (6 ties); the carers' hub reaches both councils, each council one trust.
# v3 has no tie. 10 ties of 8 * 7 / 2 = 28 pairs; no tie joins a trust and the carers' hub.
PAIRS = (("n1", "n2"), ("n1", "v1"), ("n1", "v2"), ("n2", "v1"), ("n2", "v2"), ("v1", "v2"),
         ("c1", "l1"), ("c1", "l2"), ("l1", "n1"), ("l2", "n2"))


def _map(actors=ACTORS, ties=None, **extra) -> NetworkMap:
    ties = [Tie(a, b) for a, b in PAIRS] if ties is None else ties
    return NetworkMap("t", "Test", list(actors), list(ties), **extra)


def _result(nmap: NetworkMap, framework: Framework = FW) -> Result:
    analysis = analyse(nmap, framework)
    return Result(nmap, framework, analysis, find_gaps(nmap, framework, analysis))


def _compare(before: NetworkMap, after: NetworkMap, **options) -> Comparison:
    return compare(_result(before), _result(after), permutations=0, **options)


def _measure(c: Comparison, key: str):
    return next(m for m in c.measures if m.key == key)


def _directions(c: Comparison) -> dict[str, str]:
    return {m.key: m.direction for m in c.measures}


def _nothing_but(c: Comparison, **kinds: int) -> None:
    """Exactly the counts given, every other kind of change none."""
    expected = {k: 0 for k in ("joined", "left", "formed", "ended", "closed", "opened", "memberships_started",
                               "memberships_ended")} | kinds
    assert {k: v for k, v in c.counts.items() if k != "unchanged"} == expected


# ---- one change at a time --------------------------------------------------------------------------------


def test_a_tie_formed_closes_the_missing_link_and_raises_density_and_ei():
    after = _map(ties=[Tie(a, b) for a, b in PAIRS] + [Tie("c1", "n1")])
    c = _compare(_map(), after)
    _nothing_but(c, formed=1, closed=1)
    (tie,) = c.formed
    assert (tie.from_id, tie.to_id, tie.type, tie.from_name, tie.to_name) == (
        "c1", "n1", "partnership", "Carers Hub", "North Trust")
    assert tie.pair == ("Carers' group", "NHS trust")
    (closed,) = c.closed
    assert (closed.rule, closed.kind, closed.subject, closed.status, closed.severity) == (
        "missing_link.no_tie", "missing_link", "nhs--carers", "closed", "high")
    assert closed.message.startswith("NHS trust (2 actors) and carers' group (1 actor) are both in the network")
    assert [f.subject for f in c.unchanged] == ["v3"]  # the isolate is still there
    density = _measure(c, "density")
    assert (density.before, density.after, density.direction) == (pytest.approx(10 / 28), pytest.approx(11 / 28),
                                                                   "up")
    assert density.change == pytest.approx(1 / 28)
    # E-I: 8 ties across constituencies and 2 inside (n1-n2, v1-v2), then 9 across: 6/10 -> 7/11
    ei = _measure(c, "ei_index")
    assert (ei.before, ei.after, ei.direction) == (pytest.approx(0.6), pytest.approx(7 / 11), "up")
    blau = _measure(c, "blau")  # 2, 2, 3 and 1 actors of 8 both times
    assert (blau.before, blau.after, blau.direction) == (pytest.approx(1 - 18 / 64), pytest.approx(1 - 18 / 64),
                                                         "same")
    assert _directions(c)["components"] == _directions(c)["isolates"] == "same"
    assert not c.is_empty


def test_a_tie_ended_opens_the_gap_again_and_lowers_density():
    before = _map(ties=[Tie(a, b) for a, b in PAIRS] + [Tie("c1", "n1")])
    c = _compare(before, _map(), before_label="2024-01", after_label="2024-07")
    _nothing_but(c, ended=1, opened=1)
    assert [(t.from_id, t.to_id) for t in c.ended] == [("c1", "n1")]
    (opened,) = c.opened
    assert (opened.rule, opened.subject, opened.status, opened.severity, opened.severity_before) == (
        "missing_link.no_tie", "nhs--carers", "opened", "high", "high")
    assert _directions(c)["density"] == "down"
    assert _measure(c, "density").after == pytest.approx(10 / 28)


def test_a_tie_ended_inside_a_constituency_only():
    after = _map(ties=[Tie(a, b) for a, b in PAIRS if (a, b) != ("v1", "v2")])
    c = _compare(_map(), after)
    _nothing_but(c, ended=1)
    (tie,) = c.ended
    assert (tie.from_name, tie.to_name, tie.pair) == ("Mind", "Age UK", ("Voluntary organisation",
                                                                         "Voluntary organisation"))
    assert _measure(c, "density").after == pytest.approx(9 / 28)
    assert _measure(c, "ei_index").after == pytest.approx(7 / 9)  # 8 across, 1 inside
    assert _directions(c)["density"] == "down" and _directions(c)["ei_index"] == "up"


def test_an_actor_joined_alone_adds_a_component_and_an_isolate_finding():
    newcomer = Actor("v4", "New Org", ("vcse",), communities=("asian",), locality="")
    c = _compare(_map(), _map(actors=(*ACTORS, newcomer)))
    _nothing_but(c, joined=1, opened=1)
    (joined,) = c.joined
    assert (joined.id, joined.name, joined.constituencies, joined.constituency_labels, joined.communities) == (
        "v4", "New Org", ("vcse",), ("Voluntary organisation",), ("asian",))
    assert [(f.rule, f.subject) for f in c.opened] == [("isolate.no_ties", "v4")]
    assert _measure(c, "density").after == pytest.approx(10 / 36)
    for key, before, after in (("components", 2, 3), ("isolates", 1, 2), ("largest_component", 7, 7)):
        m = _measure(c, key)
        assert (m.before, m.after) == (before, after)
    directions = _directions(c)
    assert [directions[k] for k in ("components", "isolates", "largest_component", "density")] == [
        "up", "up", "same", "down"]
    vcse = next(x for x in c.constituencies if x.key == "vcse")
    assert (vcse.count_before, vcse.count_after) == (3, 4)
    assert (vcse.share_before, vcse.share_after) == (pytest.approx(3 / 8), pytest.approx(4 / 9))


def test_an_actor_left_with_its_ties():
    after = _map(actors=[a for a in ACTORS if a.id != "l2"], ties=[Tie(a, b) for a, b in PAIRS if "l2" not in (a, b)])
    c = _compare(_map(), after)
    assert [a.id for a in c.left] == ["l2"]
    assert [(a.name, a.constituency_labels) for a in c.left] == [("West Council", ("Council",))]
    assert sorted((t.from_id, t.to_id) for t in c.ended) == [("c1", "l2"), ("l2", "n2")]
    assert not (c.joined or c.formed)
    council = next(x for x in c.constituencies if x.key == "council")
    assert (council.count_before, council.count_after, council.share_before, council.share_after) == (
        2, 1, 0.25, pytest.approx(1 / 7))
    assert _measure(c, "density").after == pytest.approx(8 / 21)


def test_joined_and_left_are_sorted_by_constituency_then_name():
    extra = (Actor("z", "Zeta Carers", ("carers",)), Actor("y", "Alpha Org", ("vcse",)),
             Actor("x", "Beta Org", ("vcse",)), Actor("w", "Unsorted"), Actor("u", "A Trust", ("nhs",)))
    c = _compare(_map(), _map(actors=(*ACTORS, *extra)))
    assert [a.name for a in c.joined] == ["A Trust", "Alpha Org", "Beta Org", "Zeta Carers", "Unsorted"]
    reverse = _compare(_map(actors=(*ACTORS, *extra)), _map())
    assert [a.name for a in reverse.left] == [a.name for a in c.joined]


def test_memberships_started_and_ended_are_matched_by_actor_and_space():
    forum = Space("forum", "Carers Forum")
    before = _map(spaces=[forum], memberships=[Membership("v1", "forum"), Membership("v2", "forum")])
    after = _map(spaces=[forum], memberships=[Membership("V2", "forum"), Membership("c1", "forum", "chair")])
    after.actors = [dataclasses.replace(a, id="V2") if a.id == "v2" else a for a in after.actors]
    after.ties = [Tie("V2" if a == "v2" else a, "V2" if b == "v2" else b) for a, b in PAIRS]
    c = _compare(before, after)
    assert [(m.actor_id, m.actor_name, m.space_id, m.space_name, m.role) for m in c.memberships_started] == [
        ("c1", "Carers Hub", "forum", "Carers Forum", "chair")]
    assert [(m.actor_id, m.actor_name) for m in c.memberships_ended] == [("v1", "Mind")]
    assert not (c.joined or c.left or c.formed or c.ended)


def test_risers_and_fallers_by_betweenness():
    # a-b-c, then a-b-c-d: b lies on 1 of 1 pair's path (1.0), then on 2 of 3 (2/3); c on none, then 2 of 3
    fw = Framework("f", "F", (Constituency("vcse", "Voluntary organisation", "vcse"),))
    path = [Actor(x, x.upper(), ("vcse",)) for x in "abcd"]
    before = NetworkMap("p", "P", path[:3], [Tie("a", "b"), Tie("b", "c")])
    after = NetworkMap("p", "P", path, [Tie("a", "b"), Tie("b", "c"), Tie("c", "d")])
    c = compare(_result(before, fw), _result(after, fw), permutations=0)
    assert [(s.id, s.name, s.constituency_label, s.measure, s.before) for s in c.risers] == [
        ("c", "C", "Voluntary organisation", "betweenness", 0.0)]
    assert c.risers[0].after == pytest.approx(2 / 3) and c.risers[0].change == pytest.approx(2 / 3)
    assert [(s.id, s.before) for s in c.fallers] == [("b", 1.0)]
    assert c.fallers[0].change == pytest.approx(-1 / 3)


def test_risers_are_capped_at_top_and_sorted_largest_first():
    fw = Framework("f", "F", ())
    hub = [Actor(f"a{i}", f"A{i}") for i in range(8)]
    before = NetworkMap("s", "S", hub, [])
    # no tie, then a path a0-a1-...-a7: every inner actor rises, the middle ones most
    after = NetworkMap("s", "S", hub, [Tie(f"a{i}", f"a{i + 1}") for i in range(7)])
    c = compare(_result(before, fw), _result(after, fw), permutations=0, top=3)
    assert len(c.risers) == 3 and not c.fallers
    changes = [s.change for s in c.risers]
    assert changes == sorted(changes, reverse=True)
    # of the 21 pairs of other actors, a3 and a4 lie between 3 * 4 = 12, a2 and a5 between 2 * 5 = 10
    # (a2 before a5: equal changes are sorted by id)
    assert [s.id for s in c.risers] == ["a3", "a4", "a2"]
    assert [s.after for s in c.risers] == pytest.approx([12 / 21, 12 / 21, 10 / 21])


# ---- what is not a change -----------------------------------------------------------------------------


def _shuffled_and_recased(nmap: NetworkMap, seed: int) -> NetworkMap:
    """The same map with its rows in another order, ids in other case and padded, undirected ends swapped."""
    rng = random.Random(seed)

    def id_(x: str) -> str:
        return rng.choice([x.upper(), x, f" {x}", x.capitalize()])

    ids = {a.id: id_(a.id) for a in nmap.actors}
    actors = [dataclasses.replace(a, id=ids[a.id]) for a in nmap.actors]
    ties = [Tie(ids[t.to_id], ids[t.from_id], t.type) if rng.random() < 0.5 else
            Tie(ids[t.from_id], ids[t.to_id], t.type) for t in nmap.ties]
    memberships = [dataclasses.replace(m, actor_id=ids[m.actor_id]) for m in nmap.memberships]
    for rows in (actors, ties, memberships):
        rng.shuffle(rows)
    return dataclasses.replace(nmap, actors=actors, ties=ties, memberships=memberships)


def test_order_case_and_whitespace_of_ids_are_no_change():
    forum = Space("forum", "Forum")
    before = _map(spaces=[forum], memberships=[Membership("v1", "forum"), Membership("c1", "forum")])
    c = _compare(before, _shuffled_and_recased(before, seed=3))
    assert c.is_empty
    assert set(_directions(c).values()) == {"same"}
    assert not (c.risers or c.fallers)
    assert [(f.rule, f.subject.strip().casefold()) for f in c.unchanged] == [
        ("missing_link.no_tie", "nhs--carers"), ("isolate.no_ties", "v3")]
    assert all((x.count_before, x.share_before) == (x.count_after, x.share_after) for x in c.constituencies)
    assert c.counts == {"joined": 0, "left": 0, "formed": 0, "ended": 0, "closed": 0, "opened": 0, "unchanged": 2,
                        "memberships_started": 0, "memberships_ended": 0}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.sets(st.sampled_from(PAIRS), min_size=1))
# two equally large components: the one measured must not depend on the order or case of the rows
@example(1, {("c1", "l1"), ("l1", "n1"), ("n1", "n2"), ("n2", "v1"), ("n2", "v2")})
def test_shuffling_rows_and_changing_id_case_never_changes_the_comparison(seed, dropped):
    """Comparing X with Y gives the same changes whichever order and case Y's rows come in."""
    after = _map(ties=[Tie(a, b) for a, b in PAIRS if (a, b) not in dropped])
    plain = _compare(_map(), after)
    mixed = _compare(_map(), _shuffled_and_recased(after, seed))
    assert len(mixed.ended) == len(plain.ended) == len(dropped)
    assert {(t.from_id.strip().casefold(), t.to_id.strip().casefold()) for t in mixed.ended} == {
        (t.from_id, t.to_id) for t in plain.ended}
    assert not (mixed.formed or mixed.joined or mixed.left)
    assert [(f.rule, f.status) for f in mixed.findings] == [(f.rule, f.status) for f in plain.findings]
    assert [(m.key, m.direction) for m in mixed.measures] == [(m.key, m.direction) for m in plain.measures]
    for m, p in zip(mixed.measures, plain.measures, strict=True):
        assert m.after == pytest.approx(p.after, nan_ok=True)


def test_a_reworded_finding_is_still_the_same_finding():
    before, after = _result(_map()), _result(_map())
    after.findings = [dataclasses.replace(f, message=f"Reworded: {f.message.lower()}") for f in after.findings]
    c = compare(before, after, permutations=0)
    assert c.is_empty and len(c.unchanged) == 2
    assert all(f.message.startswith("Reworded: ") for f in c.unchanged)  # the latest wording


def test_a_finding_whose_severity_changed_is_unchanged_with_both_severities():
    before, after = _result(_map()), _result(_map())
    after.findings = [dataclasses.replace(f, severity="medium") if f.subject == "v3" else f for f in after.findings]
    c = compare(before, after, permutations=0)
    (isolate,) = [f for f in c.unchanged if f.subject == "v3"]
    assert (isolate.severity_before, isolate.severity) == ("low", "medium")


def test_a_bridge_named_from_the_other_end_is_the_same_finding():
    before, after = _result(_map()), _result(_map())
    finding = dataclasses.replace(before.findings[0], rule="fragility.bridge", kind="fragility", subject="v1--C1")
    before.findings = [finding]
    after.findings = [dataclasses.replace(finding, subject="c1--v1")]
    c = compare(before, after, permutations=0)
    assert [(f.status, f.subject) for f in c.findings] == [("unchanged", "c1--v1")]


# ---- maps that should not be compared ------------------------------------------------------------------


def test_maps_of_different_places_are_refused_with_both_named():
    england = _map(localities=[Locality("england", "England")])
    leeds = _map(localities=[Locality("leeds", "Leeds")])
    with pytest.raises(CompareError) as caught:
        _compare(england, leeds)
    assert str(caught.value) == ("the two maps are of different places (before: england; after: leeds): "
                                 "compare snapshots of one map, or use --force")
    assert isinstance(caught.value, NetmapError)
    with pytest.raises(CompareError, match=r"\(2020: england; 2024: leeds\)"):
        _compare(england, leeds, before_label="2020", after_label="2024")


def test_forced_comparison_of_different_places_is_recorded_as_a_warning():
    england = _map(localities=[Locality("england", "England")])
    leeds = _map(localities=[Locality("Leeds ", "Leeds"), Locality("york", "York")])
    c = _compare(england, leeds, force=True)
    assert c.forced
    assert c.warnings == ["Compared although the two maps are of different places (before: england; "
                          "after: leeds, york)."]
    assert not (c.joined or c.left or c.formed or c.ended)  # the same actors and ties otherwise


def test_the_same_localities_in_another_case_and_order_are_one_place():
    one = _map(localities=[Locality("north", "North"), Locality("south", "South")])
    two = _map(localities=[Locality("South", "South"), Locality("north ", "North")])
    c = _compare(one, two)
    assert not c.forced and c.warnings == []


def test_maps_analysed_against_different_frameworks_are_refused():
    other = dataclasses.replace(FW, key="pledge")
    with pytest.raises(CompareError) as caught:
        compare(_result(_map()), _result(_map(), other), permutations=0)
    assert str(caught.value) == ("the two maps use different frameworks (before: test; after: pledge): "
                                 "analyse both against one framework, or use --force")
    c = compare(_result(_map()), _result(_map(), other), permutations=0, force=True)
    assert c.forced and c.warnings == ["Compared although the two maps use different frameworks "
                                       "(before: test; after: pledge)."]


# ---- the JSON document ------------------------------------------------------------------------------------


def test_to_dict_is_json_ready_with_counts_and_every_list():
    after = _map(ties=[Tie(a, b) for a, b in PAIRS] + [Tie("c1", "n1")])
    doc = _compare(_map(), after, before_label="2024-01", after_label="2024-07").to_dict()
    assert list(doc) == ["schema_version", "labels", "maps", "forced", "warnings", "counts", "joined", "left",
                         "formed", "ended", "memberships_started", "memberships_ended", "measures",
                         "constituencies", "risers", "fallers", "findings", "significance"]
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["labels"] == {"before": "2024-01", "after": "2024-07"}
    assert doc["maps"]["after"]["ties"] == 11 and doc["maps"]["before"]["actors"] == 8
    assert doc["counts"] == {"joined": 0, "left": 0, "formed": 1, "ended": 0, "closed": 1, "opened": 0,
                             "unchanged": 1, "memberships_started": 0, "memberships_ended": 0}
    assert doc["formed"][0]["pair"] == ["Carers' group", "NHS trust"]
    assert [m["key"] for m in doc["measures"]] == [k for k, _ in MEASURES]
    density = doc["measures"][0]
    assert list(density) == ["key", "label", "before", "after", "direction", "change"]
    assert density["change"] == pytest.approx(1 / 28) and type(density["before"]) is float
    assert doc["findings"][0]["status"] == "closed"
    assert [c["key"] for c in doc["constituencies"]] == ["nhs", "council", "vcse", "carers"]
    text = json.dumps(doc, allow_nan=False)  # no NaN, no numpy number
    assert json.loads(text) == doc


def test_undefined_measures_are_none_in_json():
    lone = [Actor("a", "A", ("vcse",)), Actor("b", "B", ("vcse",))]
    c = _compare(_map(actors=lone, ties=[]), _map(actors=lone, ties=[Tie("a", "b")]))
    ei = _measure(c, "ei_index")
    assert (ei.before, ei.after, ei.direction, ei.change) == (None, -1.0, "n/a", None)
    doc = c.to_dict()
    assert next(m for m in doc["measures"] if m["key"] == "ei_index")["before"] is None
    json.dumps(doc, allow_nan=False)


# ---- permutation tests -----------------------------------------------------------------------------------

def test_no_permutations_asked_no_tests_run():
    assert _compare(_map(), _map()).significance == []


def test_permutation_tests_are_run_and_carried_into_json():
    after = _map(ties=[Tie(a, b) for a, b in PAIRS] + [Tie("c1", "n1")])
    c = compare(_result(_map()), _result(after), permutations=19, seed=7)
    assert c.significance and all(isinstance(t, PermutationTest) for t in c.significance)
    assert {t.permutations for t in c.significance} == {19} and {t.seed for t in c.significance} == {7}
    by_measure = {t.measure: t for t in c.significance}
    assert {"ei_index", "density"} <= set(by_measure)
    # no actor joined or left, so the tests see the same figures as the whole-map measures
    assert (by_measure["ei_index"].before, by_measure["ei_index"].after) == (pytest.approx(0.6),
                                                                             pytest.approx(7 / 11))
    assert (by_measure["density"].before, by_measure["density"].after) == (pytest.approx(10 / 28),
                                                                           pytest.approx(11 / 28))
    # one tie formed out of 28 pairs: far from significant, and p is never below 1 / (permutations + 1)
    assert all(t.p_value is None or 1 / 20 <= t.p_value <= 1 for t in c.significance)
    assert compare(_result(_map()), _result(after), permutations=19, seed=7).significance == c.significance
    doc = c.to_dict()
    assert [t["measure"] for t in doc["significance"]] == [t.measure for t in c.significance]
    json.dumps(doc, allow_nan=False)


# ---- a whole map at two dates ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def borough_pair():
    borough = load_map(sites_dir() / "synthetic-borough")
    return borough, run_map(at(borough, "2019")), run_map(at(borough, "2023"))


def test_the_synthetic_borough_from_2019_to_2023(borough_pair):
    _, early, late = borough_pair
    folder = sites_dir() / "synthetic-borough"
    with open(folder / "ties.csv", newline="", encoding="utf-8") as f:
        ties = list(csv.DictReader(f))
    with open(folder / "memberships.csv", newline="", encoding="utf-8") as f:
        memberships = list(csv.DictReader(f))
    c = compare(early, late, before_label="2019", after_label="2023", permutations=0)
    # every tie dated 2020 to 2023 formed; none has an end date, so none ended; actors carry no dates
    assert len(c.formed) == sum(1 for r in ties if r["since"] and 2020 <= int(r["since"]) <= 2023) == 297
    assert {t.since for t in c.formed} == {"2020", "2021", "2022", "2023"}
    assert not (c.ended or c.joined or c.left or c.memberships_ended)
    # the VCSE alliance opened in 2022: its 2022 and 2023 members started
    assert len(c.memberships_started) == sum(1 for r in memberships if r["since"] in ("2022", "2023"))
    assert _measure(c, "density").direction == "up"
    assert _measure(c, "density").after == pytest.approx(late.analysis.summary["density"])
    assert len(c.constituencies) == len(late.framework.constituencies)
    assert c.closed or c.opened  # four years of new ties move the gaps
    assert c.risers and c.fallers and len(c.risers) <= 10
    assert c.to_dict()["counts"]["formed"] == 297
    back = compare(late, early, permutations=0)  # the same change read backwards
    assert (len(back.ended), len(back.formed)) == (len(c.formed), 0)
    assert ({(f.rule, f.subject) for f in back.closed} == {(f.rule, f.subject) for f in c.opened}
            and {(f.rule, f.subject) for f in back.opened} == {(f.rule, f.subject) for f in c.closed})


def test_a_snapshot_compared_with_itself_is_empty(borough_pair):
    _, early, _ = borough_pair
    c = compare(early, early, permutations=0)
    assert c.is_empty and set(_directions(c).values()) == {"same"} and not (c.risers or c.fallers)


# --------------------------------------------------------------------------- gaps closed that are not progress


def _funded(*funders: str, carers_funder: bool = True, with_carers: bool = True) -> NetworkMap:
    """The base map where the carers' hub is funded by each of ``funders`` (one funder: a fragility finding)."""
    actors = ACTORS if with_carers else tuple(a for a in ACTORS if a.id != "c1")
    pairs = [p for p in PAIRS if with_carers or "c1" not in p]
    ties = [Tie(a, b) for a, b in pairs] + [Tie(f, "c1", "funds", directed=True) for f in funders if with_carers]
    return _map(actors=actors, ties=ties)


def _single_funder(c: Comparison):
    return [f for f in c.findings if f.rule == "fragility.single_funder"]


def test_a_second_funder_closes_the_single_funder_gap_as_progress():
    c = _compare(_funded("l1"), _funded("l1", "l2"))
    [f] = _single_funder(c)
    assert (f.status, f.subject, f.left, f.not_progress) == ("closed", "c1", (), "")


def test_losing_the_only_funder_closes_the_rule_but_is_not_progress():
    c = _compare(_funded("l1"), _funded())
    [f] = _single_funder(c)
    assert f.status == "closed" and f.left == ()
    assert f.not_progress == "closed because the organisation lost its only funder or commissioner and now has none"
    doc = c.to_dict()
    assert [g["not_progress"] for g in doc["findings"] if g["rule"] == "fragility.single_funder"] == [f.not_progress]
    from netmap.render.compare import comparison_text, headline

    assert "(0 by progress" not in headline(c)
    assert "One gap closed but not by progress (the organisation lost its only funder or statutory contact): " \
        "Carers Hub depending on a single funder." in headline(c)
    assert ("(closed because the organisation lost its only funder or commissioner and now has none: not "
            "progress)") in " ".join(comparison_text(c).split())


def test_a_gap_about_an_organisation_that_left_is_not_progress():
    c = _compare(_funded("l1"), _funded(with_carers=False))
    [f] = _single_funder(c)
    assert f.status == "closed" and f.left == ("c1",)
    assert f.not_progress == "closed only because the organisation it is about left the map"
    assert [a.id for a in c.left] == ["c1"]


# --------------------------------------------------------------------------- gaps opened that are no new gap


def test_a_first_funder_opens_the_single_funder_gap_as_progress():
    c = _compare(_funded(), _funded("l1"))
    [f] = _single_funder(c)
    assert (f.status, f.subject, f.not_progress) == ("opened", "c1", "")
    assert f.not_new == ("opened because the organisation gained its first funder or commissioner (it had none): "
                         "progress, not a new gap")
    assert f.progress_opened
    assert [g["not_new"] for g in c.to_dict()["findings"] if g["rule"] == "fragility.single_funder"] == [f.not_new]
    from netmap.render.compare import comparison_text, headline

    assert ("One gap opened, but it is progress (an organisation gained its first funder or statutory contact where "
            "there was none): Carers Hub depending on a single funder.") in headline(c)
    assert ("Carers Hub depends on a single funder or commissioner (East Council). (opened because the organisation "
            "gained its first funder or commissioner (it had none): progress, not a new gap)") in \
        " ".join(comparison_text(c).split())


def test_losing_a_second_funder_opens_a_real_gap():
    c = _compare(_funded("l1", "l2"), _funded("l1"))
    [f] = _single_funder(c)
    assert (f.status, f.not_new, f.progress_opened) == ("opened", "", False)
    from netmap.render.compare import headline

    assert "One gap opened: Carers Hub depending on a single funder." in headline(c)


def test_a_first_statutory_contact_opens_the_gap_as_progress_and_closes_the_isolate():
    # the lone organisation gains two ties: East Council (its first statutory contact) and Mind
    c = _compare(_map(), _map(ties=[Tie(a, b) for a, b in PAIRS] + [Tie("v3", "l1"), Tie("v3", "v1")]))
    [f] = c.opened
    assert (f.rule, f.subject, f.message) == ("fragility.single_statutory_contact", "v3",
                                              "Lone Org's only statutory contact is East Council.")
    assert f.not_new == ("opened because the organisation gained its first statutory contact (it had none): "
                         "progress, not a new gap")
    assert [(g.rule, g.subject, g.not_progress) for g in c.closed] == [("isolate.no_ties", "v3", "")]


# --------------------------------------------------------------------------- a bridge that only moved

#: A cluster of three (x1, x2, x3) hanging on the trusts' side by x1's one tie.
CLUSTER = (Actor("x1", "Xenia Club", ("carers",)), Actor("x2", "Xylo Group", ("carers",)),
           Actor("x3", "Xeno Circle", ("carers",)))
X_TIES = [Tie("x1", "x2"), Tie("x2", "x3"), Tie("x1", "x3")]


def _bridged(*links: tuple[str, str], extra: tuple[Tie, ...] = ()) -> NetworkMap:
    return _map(actors=ACTORS + CLUSTER, ties=[Tie(a, b) for a, b in PAIRS] + X_TIES + [Tie(a, b) for a, b in links]
                + list(extra))


def _bridges(c: Comparison) -> list[tuple[str, str, str, str]]:
    return [(f.status, f.subject, f.not_progress, f.not_new) for f in c.findings if f.rule == "fragility.bridge"]


def test_a_bridge_that_moved_to_another_partner_is_neither_progress_nor_a_new_gap():
    c = _compare(_bridged(("x1", "l1")), _bridged(("x1", "l2")))
    assert _bridges(c) == [
        ("closed", "x1--l1", "closed only because the single tie moved to another partner: the same actors still "
                             "hang by one tie", ""),
        ("opened", "x1--l2", "", "opened only because the single tie moved from another partner: the same actors "
                                 "hung by one tie before, so it is not a new gap")]
    from netmap.render.compare import headline

    text = headline(c)
    assert ("One gap closed but not by progress (a single tie moved to another partner, so the same actors still "
            "hang by one tie): the single tie between Xenia Club and East Council holding part of the system "
            "together.") in text
    assert ("One opened, but it is no new gap (a single tie moved to another partner: the same actors hung by one "
            "tie before): the single tie between Xenia Club and West Council holding part of the system "
            "together.") in text
    assert [(f.status, f.rule) for f in c.findings if f.status != "unchanged"] == [
        ("closed", "fragility.bridge"), ("opened", "fragility.bridge")]


def test_a_bridge_cutting_off_other_actors_is_a_new_gap():
    # the x cluster gains a second link (progress) while the trusts' own pair y1-y2 comes to hang by one tie
    ys = (Actor("y1", "Yarrow Trust", ("nhs",)), Actor("y2", "Yew Trust", ("nhs",)))
    both = (Tie("y1", "y2"), Tie("y1", "v1"))
    before = _map(actors=ACTORS + CLUSTER + ys, ties=[Tie(a, b) for a, b in PAIRS] + X_TIES
                  + [Tie("x1", "n1"), *both, Tie("y2", "v2")])
    after = _map(actors=ACTORS + CLUSTER + ys, ties=[Tie(a, b) for a, b in PAIRS] + X_TIES
                 + [Tie("x1", "n1"), Tie("x2", "n2"), *both])
    assert _bridges(_compare(before, after)) == [("closed", "x1--n1", "", ""), ("opened", "y1--v1", "", "")]


def test_the_cut_off_side_of_a_tie():
    import networkx as nx

    from netmap.decisions.compare_gaps import cut_off_side

    G = nx.Graph([("A", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "c")])
    assert cut_off_side(G, "b", "c") == frozenset({"a", "b"})  # ids canonical
    assert cut_off_side(G, "d", "e") is None  # not a bridge: e reaches d another way
    assert cut_off_side(G, "a", "d") is None  # no such tie


# --------------------------------------------------------------------------- constituencies: share, main share, voice


def test_voice_is_paired_with_the_main_share_not_with_every_holder():
    # a complete forum of three: Mind also holds the carers' constituency, but its main one is voluntary
    trio = [Actor("a", "Mind", ("vcse", "carers")), Actor("b", "Trust", ("nhs",)), Actor("c", "Council", ("council",))]
    complete = [Tie("a", "b"), Tie("b", "c"), Tie("a", "c")]
    c = _compare(_map(actors=trio, ties=complete[:2]), _map(actors=trio, ties=complete))
    carers = next(k for k in c.constituencies if k.key == "carers")
    assert (carers.count_after, carers.primary_count_after) == (1, 0)
    assert (carers.share_after, carers.primary_share_after, carers.voice_after) == (pytest.approx(1 / 3), 0.0, 0.0)
    vcse = next(k for k in c.constituencies if k.key == "vcse")
    # everyone tied to everyone: every actor holds the same PageRank, so voice equals the main share
    assert (vcse.primary_share_after, vcse.voice_after) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    row = next(k for k in c.to_dict()["constituencies"] if k["key"] == "carers")
    assert list(row) == ["key", "label", "sector", "count_before", "count_after", "primary_count_before",
                         "primary_count_after", "share_before", "share_after", "primary_share_before",
                         "primary_share_after", "voice_before", "voice_after"]
    assert (row["primary_count_after"], row["primary_share_after"]) == (0, 0.0)
    from netmap.render.compare import comparison_text

    text = comparison_text(c)
    assert ("  Share: actors holding it anywhere in their list. Main: share of actors whose main constituency it\n"
            "    is. Voice: share of the network's PageRank held by actors whose main constituency it is, to\n"
            "    compare with Main.") in text
    assert re.search(r"  Carers' group +0 -> 1 +33% -> 33% +0% -> 0% +0% -> 0%\n", text) is None  # held before too
    assert re.search(r"  Carers' group +1 -> 1 +33% -> 33% +0% -> 0% +0% -> 0%\n", text)
    assert re.search(r"  Voluntary organisation +1 -> 1 +33% -> 33% +33% -> 33% +\d+% -> 33%\n", text)


def test_the_headline_sets_voice_beside_the_main_share():
    # the carers' hub ties to both trusts: its voice rises while its share of partners stays the same
    c = _compare(_map(), _map(ties=[Tie(a, b) for a, b in PAIRS] + [Tie("c1", "n1"), Tie("c1", "n2")]))
    from netmap.render.compare import headline

    carers = next(k for k in c.constituencies if k.key == "carers")
    assert (carers.primary_share_before, carers.primary_share_after) == (0.125, 0.125)
    assert ("The voice of the Carers' group constituency (the share of the network's centrality held by partners "
            "whose main constituency it is) rose from ") in headline(c)
    assert ", while its share of partners as their main constituency stayed at 12%" in headline(c)


# --------------------------------------------------------------------------- undefined measures, titles, leavers


def test_measures_undefined_below_two_actors_are_none():
    one = [Actor("a", "A", ("vcse",))]
    three = [*one, Actor("b", "B", ("vcse",)), Actor("c", "C", ("nhs",))]
    c = _compare(_map(actors=one, ties=[]), _map(actors=three, ties=[Tie("a", "b"), Tie("b", "c")]))
    values = {m.key: (m.before, m.after, m.direction) for m in c.measures}
    assert values["density"] == (None, pytest.approx(2 / 3), "n/a")
    assert values["mean_path_length"] == (None, pytest.approx(4 / 3), "n/a")
    assert values["average_clustering"] == (0.0, 0.0, "same")  # one actor: its clustering counts 0
    # three actors and no tie: density is 0, but there is no path to measure
    lonely = _compare(_map(actors=three, ties=[]), _map(actors=three, ties=[Tie("a", "b")]))
    paths = _measure(lonely, "mean_path_length")
    assert (paths.before, paths.after) == (None, 1.0)
    assert _measure(lonely, "density").before == 0.0
    empty = _compare(_map(actors=[], ties=[]), _map(actors=one, ties=[]))
    assert {m.key for m in empty.measures if m.before is None} >= {
        "density", "mean_path_length", "average_clustering", "transitivity"}
    from netmap.render.compare import comparison_text

    assert re.search(r"Density\s+n/a -> 0\.667\s+n/a\s+n/a", comparison_text(c))


def test_two_maps_of_different_keys_are_both_named_in_the_title():
    leeds = NetworkMap("leeds", "Creative Spaces Leeds", list(ACTORS), [Tie(a, b) for a, b in PAIRS])
    manchester = NetworkMap("manchester", "Creative Spaces Manchester", list(ACTORS), [Tie(a, b) for a, b in PAIRS])
    from netmap.render.compare import comparison_text

    c = compare(_result(leeds), _result(manchester), before_label="leeds", after_label="manchester", permutations=0)
    assert comparison_text(c).splitlines()[0] == ("Creative Spaces Leeds (leeds) -> Creative Spaces Manchester "
                                                  "(manchester)")
    same = _compare(_map(), _map(), before_label="2024-01", after_label="2024-07")
    assert comparison_text(same).splitlines()[0] == "Test: 2024-01 -> 2024-07"


def test_the_ties_that_ended_with_the_partners_who_left_are_counted():
    stay = [a for a in ACTORS if a.id not in ("v1", "v2")]
    after = _map(actors=stay, ties=[Tie(a, b) for a, b in PAIRS if "v1" not in (a, b) and "v2" not in (a, b)
                                    and (a, b) != ("c1", "l1")])
    from netmap.render.compare import headline

    c = _compare(_map(), after)
    assert len(c.ended) == 6  # Mind's and Age UK's five, and the carers' hub's tie to East Council
    assert headline(c).startswith("Between before and after the network shrank from 8 to 6 partners (0 joined, 2 "
                                  "left) and 6 direct ties ended, 5 of them with the 2 partners who left.")
    gone = _compare(_map(), _map(actors=stay, ties=[Tie(a, b) for a, b in PAIRS
                                                  if "v1" not in (a, b) and "v2" not in (a, b)]))
    assert "and 5 direct ties ended, all of them with the 2 partners who left." in headline(gone)


def test_no_actor_in_both_snapshots_is_said_in_words():
    one = _map(actors=[Actor("a", "A", ("vcse",))], ties=[])
    other = _map(actors=[Actor("b", "B", ("vcse",))], ties=[])
    c = compare(_result(one), _result(other), permutations=9)
    assert {t.note.split(";")[0] for t in c.significance} == {"No actor is in both snapshots"}
    assert all(t.note.startswith("No actor is in both snapshots; the test needs at least 3.") for t in c.significance)
