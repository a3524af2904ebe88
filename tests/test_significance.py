"""Permutation tests of change (netmap.decisions.significance): known values, calibration under no change, power."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from netmap.analysis.groups import ei_index
from netmap.decisions.significance import describe_method, graph_permutation_tests, permutation_tests
from netmap.errors import AnalysisError
from netmap.graph import build_graph
from netmap.model import Actor, Membership, NetworkMap, Space, Tie

GROUPS = ("commissioner", "vcse", "community")


def _actors(n: int, groups: tuple[str, ...] = GROUPS) -> list[Actor]:
    return [Actor(f"a{i}", f"Actor {i}", (groups[i % len(groups)],)) for i in range(n)]


def _random_map(actors: list[Actor], rng: random.Random, p_in: float, p_out: float) -> NetworkMap:
    """A map whose ties are drawn independently: p_in inside a constituency, p_out across."""
    ties = [Tie(u.id, v.id) for u, v in itertools.combinations(actors, 2)
            if rng.random() < (p_in if u.constituencies == v.constituencies else p_out)]
    return NetworkMap("m", "M", actors=actors, ties=ties)


def _by_measure(tests):
    return {t.measure: t for t in tests}


def test_values_on_a_tiny_map_match_networkx_and_hand_arithmetic():
    actors = [Actor("p", "P", ("a",)), Actor("q", "Q", ("a",)), Actor("r", "R", ("b",)), Actor("s", "S", ("b",)),
              Actor("t", "T")]  # t is unclassified
    before = NetworkMap("m", "M", actors=actors, ties=[Tie("p", "q"), Tie("r", "s"), Tie("p", "r")])
    after = NetworkMap("m", "M", actors=actors, ties=[Tie("p", "r"), Tie("q", "s"), Tie("q", "t"), Tie("p", "q")])
    tests = _by_measure(permutation_tests(before, after, None, permutations=99))
    # before: internal p-q, r-s; external p-r -> E-I (1 - 2) / 3; 3 of 10 possible ties
    assert tests["ei_index"].before == pytest.approx(-1 / 3)
    assert tests["density"].before == pytest.approx(0.3)
    # after: internal p-q; external p-r, q-s, q-t -> E-I (3 - 1) / 4; 4 of 10
    assert tests["ei_index"].after == pytest.approx(0.5)
    assert tests["density"].after == pytest.approx(0.4)
    for nmap, value in ((before, tests["assortativity"].before), (after, tests["assortativity"].after)):
        G = build_graph(nmap)
        assert value == pytest.approx(nx.attribute_assortativity_coefficient(G, "primary"))
        assert ei_index(G) == pytest.approx(tests["ei_index"].before if nmap is before else tests["ei_index"].after)
    # after by hand: of the 8 tie ends (p-r, q-s, q-t, p-q), constituency a holds 5, b 2, unclassified 1;
    # 1 of the 4 ties stays inside a constituency
    shares = np.array([5, 2, 1]) / 8
    assert tests["assortativity"].after == pytest.approx((1 / 4 - (shares**2).sum()) / (1 - (shares**2).sum()))


def test_the_same_seed_gives_the_same_p_values_and_another_seed_may_not():
    rng = random.Random(3)
    actors = _actors(24)
    before, after = _random_map(actors, rng, 0.3, 0.1), _random_map(actors, rng, 0.3, 0.1)
    first = permutation_tests(before, after, None, permutations=199, seed=5)
    again = permutation_tests(before, after, None, permutations=199, seed=5)
    assert [t.p_value for t in first] == [t.p_value for t in again]
    assert all(t.seed == 5 and t.permutations == 199 for t in first)
    other = permutation_tests(before, after, None, permutations=199, seed=6)
    assert [t.p_value for t in other] != [t.p_value for t in first]


def test_p_values_are_never_below_one_over_permutations_plus_one():
    actors = _actors(30)
    before = NetworkMap("m", "M", actors=actors)  # no ties at all ...
    after = NetworkMap("m", "M", actors=actors,  # ... then 60 ties: as extreme as it gets
                       ties=[Tie(u.id, v.id) for u, v in itertools.combinations(actors, 2)][:60])
    density = _by_measure(permutation_tests(before, after, None, permutations=99))["density"]
    assert density.p_value == pytest.approx(1 / 100)
    for t in permutation_tests(*_planted_mixing_change(), None, permutations=49):
        assert 1 / 50 <= t.p_value <= 1


def test_density_p_value_matches_the_exact_sign_test():
    """Every changed tie is a fair coin under the null: the density test is a two-sided sign test."""
    actors = _actors(10)
    pairs = list(itertools.combinations([a.id for a in actors], 2))
    before = NetworkMap("m", "M", actors=actors, ties=[Tie(u, v) for u, v in pairs[:3]])  # 3 ended
    after = NetworkMap("m", "M", actors=actors, ties=[Tie(u, v) for u, v in pairs[3:12]])  # 9 formed
    # change in ties = formed - ended = 6 out of 12 changed ties; exact P(|2X - 12| >= 6), X ~ Bin(12, 1/2)
    exact = sum(stats.binom.pmf(k, 12, 0.5) for k in range(13) if abs(2 * k - 12) >= 6)
    density = _by_measure(permutation_tests(before, after, None, permutations=19_999, seed=1))["density"]
    assert density.p_value == pytest.approx(exact, abs=0.01)


def test_ei_p_value_matches_exact_enumeration_of_all_swaps():
    G = nx.Graph()
    G.add_nodes_from(range(8))
    nx.set_node_attributes(G, {i: "ab"[i % 2] for i in range(8)}, "primary")
    H = G.copy()
    G.add_edges_from([(0, 2), (2, 4), (1, 3), (0, 1), (5, 7)])  # before: mostly within
    H.add_edges_from([(0, 2), (0, 1), (1, 2), (3, 4), (5, 6), (6, 7), (1, 4)])  # after: mostly across
    changed = sorted(set(G.edges()) ^ set(H.edges()))
    kept = set(G.edges()) & set(H.edges())

    def ei(edges):
        X = G.copy()
        X.remove_edges_from(list(X.edges()))
        X.add_edges_from(edges)
        return ei_index(X)

    observed = abs(ei(H.edges()) - ei(G.edges()))
    extreme = 0
    for swap in itertools.product((False, True), repeat=len(changed)):  # all 2^10 relabellings
        b, a = set(kept), set(kept)
        for edge, s in zip(changed, swap, strict=True):
            (a if (edge in H.edges()) != s else b).add(edge)
        extreme += abs(ei(a) - ei(b)) >= observed - 1e-12
    exact = extreme / 2 ** len(changed)
    test = _by_measure(graph_permutation_tests(G, H, permutations=19_999, seed=2))["ei_index"]
    assert test.p_value == pytest.approx(exact, abs=0.012)


def test_p_values_are_uniform_when_nothing_changed_but_noise():
    """Before and after are independent draws of the same process over the same actors."""
    rng = random.Random(2024)
    actors = _actors(30)
    p_values: dict[str, list[float]] = {"ei_index": [], "assortativity": [], "density": []}
    for run in range(150):
        before, after = _random_map(actors, rng, 0.3, 0.15), _random_map(actors, rng, 0.3, 0.15)
        for t in permutation_tests(before, after, None, permutations=199, seed=run):
            p_values[t.measure].append(t.p_value)
    for measure, values in p_values.items():
        # density is a sign test on the ties that changed: its p-values have atoms (a net change of 0 gives
        # p = 1), so they are slightly conservative and only too many small p-values would be a fault
        alternative = "greater" if measure == "density" else "two-sided"
        assert stats.kstest(values, "uniform", alternative=alternative).pvalue > 0.01, measure
        assert np.mean(np.array(values) < 0.05) <= 0.11, measure  # 0.05 plus three standard errors


def _planted_mixing_change() -> tuple[NetworkMap, NetworkMap]:
    """Before: ties mostly inside constituencies; after: mostly across them, about as many ties."""
    rng = random.Random(11)
    actors = _actors(30)
    return _random_map(actors, rng, 0.5, 0.05), _random_map(actors, rng, 0.1, 0.25)


def test_a_planted_shift_to_ties_across_constituencies_is_significant():
    tests = _by_measure(permutation_tests(*_planted_mixing_change(), None, permutations=999))
    assert tests["ei_index"].after > tests["ei_index"].before
    assert tests["assortativity"].after < tests["assortativity"].before
    assert tests["ei_index"].p_value < 0.01
    assert tests["assortativity"].p_value < 0.01


def test_a_planted_rise_in_density_is_significant():
    rng = random.Random(12)
    actors = _actors(30)
    tests = _by_measure(permutation_tests(_random_map(actors, rng, 0.1, 0.1), _random_map(actors, rng, 0.3, 0.3),
                                          None, permutations=999))
    assert tests["density"].after > tests["density"].before
    assert tests["density"].p_value < 0.01


def test_fewer_than_three_common_actors_gives_no_p_value_and_says_why():
    before = NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B")], ties=[Tie("a", "b")])
    after = NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("c", "C")])
    for t in permutation_tests(before, after, None, permutations=99):
        assert t.p_value is None and t.before is None and t.after is None
        assert t.note.startswith("Only 1 actor is in both snapshots; the test needs at least 3.")


def test_no_change_gives_p_one_with_a_note():
    actors = _actors(6)
    nmap = NetworkMap("m", "M", actors=actors, ties=[Tie("a0", "a1"), Tie("a1", "a2"), Tie("a3", "a4")])
    for t in permutation_tests(nmap, nmap, None, permutations=99):
        assert t.p_value == 1.0
        assert t.before == t.after
        assert t.note.startswith("No tie among the actors present in both snapshots formed or ended")


def test_ids_match_whatever_their_case_and_spaces():
    actors = _actors(6)
    shouted = [Actor(f" {a.id.upper()} ", a.name, a.constituencies) for a in actors]
    ties = [Tie("a0", "a1"), Tie("a2", "a5")]
    before = NetworkMap("m", "M", actors=actors, ties=ties)
    after = NetworkMap("m", "M", actors=shouted, ties=[Tie(f" {t.from_id.upper()} ", f" {t.to_id.upper()} ")
                                                       for t in ties])
    for t in permutation_tests(before, after, None, permutations=99):
        assert t.p_value == 1.0 and t.before == t.after and "left out" not in t.note
        assert "over the 6 actors present in both snapshots" in t.method


def test_actors_in_one_snapshot_only_are_left_out_and_the_note_says_so():
    actors = _actors(6)
    before = NetworkMap("m", "M", actors=actors, ties=[Tie("a0", "a1"), Tie("a1", "a2")])
    newcomer = Actor("new", "Newcomer", ("vcse",))
    after = NetworkMap("m", "M", actors=[*actors, newcomer],
                       ties=[Tie("a0", "a1"), Tie("a1", "a2"), Tie("new", "a0"), Tie("new", "a3")])
    density = _by_measure(permutation_tests(before, after, None, permutations=99))["density"]
    assert density.before == density.after == pytest.approx(2 / 15)  # the newcomer's ties are not change
    assert density.p_value == 1.0
    assert "1 actor in one snapshot only is left out" in density.note
    assert density.method == ("Paired time-label permutation over the 6 actors present in both snapshots: each tie "
                              "that formed or ended swaps its before/after state with probability 1/2; two-sided.")


def test_the_later_constituency_is_used_and_unclassified_actors_form_a_group():
    before_actors = [Actor("a", "A", ("x",)), Actor("b", "B", ("x",)), Actor("c", "C", ("y",)), Actor("d", "D")]
    after_actors = [Actor("a", "A", ("x",)), Actor("b", "B", ("y",)), Actor("c", "C", ("y",)), Actor("d", "D")]
    before = NetworkMap("m", "M", actors=before_actors, ties=[Tie("a", "b"), Tie("c", "d")])
    after = NetworkMap("m", "M", actors=after_actors, ties=[Tie("b", "c"), Tie("c", "d")])
    ei = _by_measure(permutation_tests(before, after, None, permutations=99))["ei_index"]
    # with the later labels x={a}, y={b, c}, unclassified={d}: before a-b across, c-d across -> +1;
    # after b-c inside, c-d across -> 0
    assert (ei.before, ei.after) == (1.0, 0.0)
    assert "1 actor changed primary constituency; the later one is used." in ei.note


def test_assortativity_undefined_with_one_constituency_gives_no_p_value():
    actors = [Actor(x, x, ("same",)) for x in "abcd"]
    before = NetworkMap("m", "M", actors=actors, ties=[Tie("a", "b")])
    after = NetworkMap("m", "M", actors=actors, ties=[Tie("a", "b"), Tie("c", "d")])
    tests = _by_measure(permutation_tests(before, after, None, permutations=99))
    assert tests["assortativity"].p_value is None and tests["assortativity"].before is None
    assert tests["assortativity"].note.startswith("The assortativity by primary constituency is undefined before "
                                                  "and after (no ties, or every tie end in one constituency)")
    assert tests["ei_index"].before == tests["ei_index"].after == -1.0
    assert tests["density"].p_value is not None


def test_change_driven_by_shared_spaces_carries_a_caveat():
    actors = _actors(8)
    before = NetworkMap("m", "M", actors=actors, ties=[Tie("a0", "a1")])
    after = NetworkMap("m", "M", actors=actors, ties=[Tie("a0", "a1")], spaces=[Space("forum", "Forum")],
                       memberships=[Membership(f"a{i}", "forum") for i in range(2, 8)])
    density = _by_measure(permutation_tests(before, after, None, permutations=99))["density"]
    assert density.after == pytest.approx(16 / 28)  # the forum of 6 adds 15 ties
    assert "15 of the 15 ties that changed come from shared spaces" in density.note


def test_fewer_than_one_permutation_is_refused():
    nmap = NetworkMap("m", "M", actors=_actors(4))
    with pytest.raises(AnalysisError, match=r"permutations must be at least 1 \(got 0\)"):
        permutation_tests(nmap, nmap, None, permutations=0)


def test_the_method_paragraph_names_the_null_model_permutations_and_seed():
    text = describe_method(999, 42)
    assert "paired time-label permutation test" in text
    assert "999 permutations (random seed 42)" in text
    assert "two-sided" in text and "does not show what caused" in text
