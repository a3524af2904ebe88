"""Is a change between two snapshots larger than chance? Permutation tests for E-I, assortativity and density.

:func:`permutation_tests` compares two snapshots of a map on three measures of
the graph netmap analyses (:func:`netmap.graph.build_graph`: direct ties plus
co-membership of spaces, unweighted):

* ``ei_index``: Krackhardt and Stern's E-I index of primary constituencies,
  (E - I) / (E + I), as :func:`netmap.analysis.groups.ei_index` computes it;
* ``assortativity``: the attribute assortativity of primary constituencies
  (Newman 2003), as :func:`networkx.attribute_assortativity_coefficient`;
* ``density``: ties / possible ties.

Which actors. The test runs on the actors present in both snapshots (ids
matched by :func:`netmap.snapshots.canonical_id`, whitespace and case
ignored), on the ties among them. Actors who joined or left are left out
because their ties did not exist, or could not be seen, in the other
snapshot: absence is not "no tie", and counting a newcomer's ties as change
would make any growth "significant". The ``before``/``after`` values reported
are those of this common part, so they can differ from the whole-map figures
of ``netmap compare`` when actors joined or left (the note says so).

Constituencies. Each actor keeps one group in both snapshots: its primary
constituency in the *after* snapshot (the latest classification; the note
counts actors whose primary constituency changed). Actors without one form the
group ``unclassified`` (:data:`netmap.analysis.groups.UNCLASSIFIED`), as in
netmap's own E-I index. Tie weights, types and directions are ignored.

The null model: a paired, dyad-level swap of time labels. If nothing changed
but noise, then for every pair of common actors the "before" and "after" states
of the pair are exchangeable. Each permutation swaps the before/after state of
every pair independently with probability 1/2 and recomputes the change in the
measure; the p-value is two-sided,
``p = (1 + #{|change_perm| >= |change_observed|}) / (1 + permutations)``,
so it is never 0 and at least ``1 / (permutations + 1)``. This null was chosen
over the alternatives because it answers the question asked, "is this change
larger than the churn of ties would give by chance?": it keeps the actors,
their constituencies and the pairs that stayed tied or untied exactly as they
are, and only asks whether the ties that formed and ended lean one way. A
label shuffle (QAP) tests whether *one* network is structured by constituency,
not whether it *changed*; comparing two independent QAP results does not give
a p-value for the difference.

Only pairs that differ between the snapshots can move (a swap leaves the
others as they are), and every measure is a function of counts of ties per
pair of constituencies; so a permutation is drawn as one binomial count per
(pair of constituencies, formed or ended) cell, which has exactly the
distribution of independent swaps of the pairs in it. 999 permutations cost
milliseconds whatever the size of the map (the one pass over the ties costs
more). One draw of permutations serves all three measures. The groups are
those of :func:`netmap.analysis.groups.groups_of`, and E-I from the counts
equals :func:`~netmap.analysis.groups.ei_index` on the same graph.

Caveats. The test of density is in effect a sign test on the ties that
changed (formed minus ended), so its p-values are discrete and slightly
conservative (a net change of 0 gives p = 1). The swaps treat pairs as
independent. Co-membership ties change together (an actor joining a forum of k members forms k ties at once), so when
most of the change comes from spaces the p-values can be too small; the note
says so. A small p-value says the change is unlikely under "no change but
noise"; it does not say what caused it.

Undefined cases: with fewer than 3 actors in both snapshots, or a measure
undefined before or after (E-I and assortativity without ties, assortativity
when every tie end is in one constituency), ``p_value`` is None and the note
says why. When no tie among the common actors formed or ended, there is no
change to test: ``p_value`` is 1.0 (every permutation equals the observed
change) with a note. A permutation whose measure is undefined counts as at
least as extreme as the observed change (conservative).

>>> from netmap.model import Actor, NetworkMap, Tie
>>> actors = [Actor(x, x.upper(), ("a" if x in "pqr" else "b",)) for x in "pqrstu"]
>>> before = NetworkMap("m", "M", actors=actors, ties=[Tie("p", "q"), Tie("q", "r"), Tie("s", "t")])
>>> after = NetworkMap("m", "M", actors=actors, ties=[Tie("p", "s"), Tie("q", "t"), Tie("r", "u")])
>>> tests = permutation_tests(before, after, None, permutations=99, seed=1)
>>> [(t.measure, t.before, t.after) for t in tests]
[('ei_index', -1.0, 1.0), ('assortativity', 1.0, -1.0), ('density', 0.2, 0.2)]
>>> tests[2].p_value
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from netmap.analysis.groups import groups_of
from netmap.decisions.permutation import PermutationTest
from netmap.errors import AnalysisError
from netmap.graph import build_graph
from netmap.model import CO_MEMBERSHIP, Framework, NetworkMap
from netmap.snapshots import canonical_id

__all__ = ["MEASURES", "describe_method", "graph_permutation_tests", "permutation_tests"]

#: measure key -> label, in the order the tests are returned.
MEASURES: dict[str, str] = {
    "ei_index": "E-I index of primary constituencies",
    "assortativity": "Assortativity by primary constituency",
    "density": "Density",
}

_MIN_ACTORS = 3
_TOLERANCE = 1e-12  # changes equal up to rounding count as "as extreme"


@dataclass
class _Counts:
    """Ties among the common actors, counted per pair of groups (``codes`` index a g x g upper triangle)."""

    n: int  # common actors
    groups: int  # g
    both: np.ndarray  # per pair code: ties in both snapshots
    formed: np.ndarray  # per pair code: ties in after only
    ended: np.ndarray  # per pair code: ties in before only
    co_member_changes: int  # changed ties that are co-membership only
    relabelled: int  # common actors whose primary constituency changed
    left_out: int  # actors in one snapshot only



def _actors(n: int) -> str:
    """'1 actor', '3 actors'."""
    return f"{n:,} actor" if n == 1 else f"{n:,} actors"

def _edge_codes(G: nx.Graph, position: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(dyad codes, co-membership-only flags) of the edges of ``G`` between common actors.

    ``position`` maps each node to its common actor's index (-1: not common), of ``n``.
    Reads the adjacency directly: on a map of a million ties the edge view's
    own overhead was most of the time.
    """
    codes: list[int] = []
    co_only: list[bool] = []
    only_spaces = [CO_MEMBERSHIP]
    for u, neighbours in G.adjacency():  # plain dicts, unlike the G.adj view
        i = position[u]
        if i < 0:
            continue
        for v, attributes in neighbours.items():
            j = position[v]
            if j > i:  # each edge once; self-ties, ties between two spellings of one id and actors not in both left out
                codes.append(i * n + j)
                co_only.append(attributes.get("types") == only_spaces)
    array = np.asarray(codes, dtype=np.int64)
    flags = np.asarray(co_only, dtype=bool)
    array, first = np.unique(array, return_index=True)  # ids differing only in case may repeat a dyad
    return array, flags[first]


def _count(G_before: nx.Graph, G_after: nx.Graph) -> _Counts:
    """Match the common actors of two graphs and count their ties per pair of primary constituencies."""
    names_b = {v: canonical_id(v) for v in G_before}
    names_a = {v: canonical_id(v) for v in G_after}
    groups_b, groups_a = groups_of(G_before), groups_of(G_after)
    group_b = {names_b[v]: g for v, g in groups_b.items()}
    group_a: dict[str, str] = {}
    for v, g in groups_a.items():
        group_a.setdefault(names_a[v], g)  # the first of two ids that differ only in case
    common = [c for c in dict.fromkeys(names_a.values()) if c in group_b]
    index = {c: i for i, c in enumerate(common)}
    labels = sorted({group_a[c] for c in common})
    position = {g: k for k, g in enumerate(labels)}
    group_index = np.asarray([position[group_a[c]] for c in common], dtype=np.int64)
    g, n = len(labels), len(common)
    codes_b, co_b = _edge_codes(G_before, {v: index.get(c, -1) for v, c in names_b.items()}, n)
    codes_a, co_a = _edge_codes(G_after, {v: index.get(c, -1) for v, c in names_a.items()}, n)
    both = np.intersect1d(codes_b, codes_a, assume_unique=True)
    formed_mask = ~np.isin(codes_a, both, assume_unique=True)
    ended_mask = ~np.isin(codes_b, both, assume_unique=True)

    def per_pair(codes: np.ndarray) -> np.ndarray:
        gi, gj = group_index[codes // max(n, 1)], group_index[codes % max(n, 1)]
        low, high = np.minimum(gi, gj), np.maximum(gi, gj)
        return np.bincount(low * g + high, minlength=g * g)

    return _Counts(
        n=n, groups=g, both=per_pair(both), formed=per_pair(codes_a[formed_mask]),
        ended=per_pair(codes_b[ended_mask]),
        co_member_changes=int(co_a[formed_mask].sum() + co_b[ended_mask].sum()),
        relabelled=sum(1 for c in common if group_b[c] != group_a[c]),
        left_out=len(set(names_b.values()) | set(names_a.values())) - n,
    )


def _measures(counts: np.ndarray, n: int, g: int) -> dict[str, np.ndarray]:
    """E-I, assortativity and density of each row of ``counts`` (rows: tie counts per pair code).

    Assortativity follows networkx: the mixing matrix counts each tie in both
    directions, ``a`` is each group's share of tie ends, r = (sum e_ii - sum
    a_i^2) / (1 - sum a_i^2).
    """
    counts = np.atleast_2d(counts).astype(float)
    diagonal = [k * g + k for k in range(g)]
    ends = np.zeros((g * g, g))  # pair code -> tie ends per group
    for i in range(g):
        for j in range(i, g):
            ends[i * g + j, i] += 1
            ends[i * g + j, j] += 1
    m = counts.sum(axis=1)
    internal = counts[:, diagonal].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ei = np.where(m > 0, (m - 2 * internal) / m, np.nan)
        shares = (counts @ ends) / (2 * m)[:, None]
        expected = (shares**2).sum(axis=1)
        assortativity = np.where((m > 0) & (expected < 1 - 1e-12),
                                 (internal / m - expected) / (1 - expected), np.nan)
    density = m / (n * (n - 1) / 2) if n > 1 else np.full_like(m, np.nan)
    return {"ei_index": ei, "assortativity": assortativity, "density": density}


def _permuted(c: _Counts, permutations: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(before, after) tie counts per pair code for each permutation: each changed tie swaps with probability 1/2.

    Swaps within one (pair of groups, formed/ended) cell are drawn together as a
    binomial count, the exact distribution of independent swaps of its ties.
    """
    rng = np.random.default_rng(seed)
    swapped_formed = rng.binomial(c.formed, 0.5, size=(permutations, c.formed.size))
    swapped_ended = rng.binomial(c.ended, 0.5, size=(permutations, c.ended.size))
    kept_formed, kept_ended = c.formed - swapped_formed, c.ended - swapped_ended
    before = c.both + swapped_formed + kept_ended
    after = c.both + kept_formed + swapped_ended
    return before, after


def _value(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _method(n: int) -> str:
    return (f"Paired time-label permutation over the {_actors(n)} present in both snapshots: each tie that "
            "formed or ended swaps its before/after state with probability 1/2; two-sided.")


def _notes(c: _Counts) -> list[str]:
    """Caveats shared by the three tests."""
    notes: list[str] = []
    changed = int(c.formed.sum() + c.ended.sum())
    if c.left_out:
        are = "is" if c.left_out == 1 else "are"
        notes.append(f"{_actors(c.left_out)} in one snapshot only {are} left out, so the figures can differ "
                     "from the whole map's.")
    if c.relabelled:
        notes.append(f"{_actors(c.relabelled)} changed primary constituency; the later one is used.")
    if changed and c.co_member_changes > changed / 2:
        notes.append(f"{c.co_member_changes} of the {changed} ties that changed come from shared spaces, "
                     "which change together; the test treats ties as independent, so p may be too small.")
    return notes


def graph_permutation_tests(G_before: nx.Graph, G_after: nx.Graph, *, permutations: int = 999,
                            seed: int = 42) -> list[PermutationTest]:
    """The tests of :func:`permutation_tests` on two graphs already built by :func:`netmap.graph.build_graph`.

    ``compare`` can pass ``result.analysis.graph`` of each snapshot, saving a rebuild.
    Node ids are matched by :func:`netmap.snapshots.canonical_id`; ``primary`` is the group.

    >>> G, H = nx.path_graph(4), nx.complete_graph(4)
    >>> for X in (G, H):
    ...     nx.set_node_attributes(X, {0: "a", 1: "a", 2: "b", 3: "b"}, "primary")
    >>> [round(t.after, 4) for t in graph_permutation_tests(G, H, permutations=99)]
    [0.3333, -0.3333, 1.0]
    """
    if permutations < 1:
        raise AnalysisError(f"permutations must be at least 1 (got {permutations})")
    c = _count(G_before, G_after)
    notes = _notes(c)
    if c.n < _MIN_ACTORS:
        are = "is" if c.n == 1 else "are"
        why = (f"Only {_actors(c.n)} {are}" if c.n else "No actor is") + \
            f" in both snapshots; the test needs at least {_MIN_ACTORS}."
        return [PermutationTest(key, label, None, None, None, permutations, _method(c.n), seed,
                                " ".join([why, *notes])) for key, label in MEASURES.items()]
    observed_before = _measures(c.both + c.ended, c.n, c.groups)
    observed_after = _measures(c.both + c.formed, c.n, c.groups)
    perm_before, perm_after = _permuted(c, permutations, seed)
    null_before = _measures(perm_before, c.n, c.groups)
    null_after = _measures(perm_after, c.n, c.groups)
    unchanged = not (c.formed.any() or c.ended.any())
    tests: list[PermutationTest] = []
    for key, label in MEASURES.items():
        before, after = float(observed_before[key][0]), float(observed_after[key][0])
        note = list(notes)
        if math.isnan(before) or math.isnan(after):
            p: float | None = None
            note.insert(0, f"The {label.lower()} is undefined {_undefined(key, before, after)}, so there is "
                        "nothing to test.")
        else:
            change = abs(after - before)
            null = np.abs(null_after[key] - null_before[key])
            extreme = np.isnan(null) | (null >= change - _TOLERANCE * max(1.0, change))
            p = float((1 + int(extreme.sum())) / (1 + permutations))
            if unchanged:
                note.insert(0, "No tie among the actors present in both snapshots formed or ended, "
                               "so there is no change to test.")
        tests.append(PermutationTest(key, label, _value(before), _value(after), p, permutations,
                                     _method(c.n), seed, " ".join(note)))
    return tests


def _undefined(key: str, before: float, after: float) -> str:
    when = "before and after" if math.isnan(before) and math.isnan(after) else (
        "before" if math.isnan(before) else "after")
    reason = ("(no ties, or every tie end in one constituency)" if key == "assortativity" else "(no ties)")
    return f"{when} {reason}"


def permutation_tests(before: NetworkMap, after: NetworkMap, framework: Framework | None, *,
                      permutations: int = 999, seed: int = 42) -> list[PermutationTest]:
    """Whether the changes in E-I index, assortativity and density between two snapshots exceed chance.

    Returns one :class:`~netmap.decisions.permutation.PermutationTest` per measure
    of :data:`MEASURES`, in that order. The graphs are those netmap analyses
    (:func:`netmap.graph.build_graph`, ties plus co-membership); the module
    docstring gives the null model and how edge cases are handled. The same
    ``seed`` gives the same p-values.

    Complexity: building the two graphs, then O(m log m) for m ties among the
    common actors; the permutations cost O(permutations * g^2) for g constituencies.
    """
    return graph_permutation_tests(build_graph(before, framework), build_graph(after, framework),
                                   permutations=permutations, seed=seed)


def describe_method(permutations: int = 999, seed: int = 42) -> str:
    """A short paragraph for a report's method section.

    >>> text = describe_method(199, 7)
    >>> "199 permutations (random seed 7)" in text, "two-sided" in text
    (True, True)
    """
    return (
        "Changes in the E-I index, assortativity by primary constituency and density were tested with a paired "
        "time-label permutation test. The test uses the actors present in both snapshots and the ties among "
        "them (direct ties and shared spaces, unweighted). Under the null model of no change, each pair of "
        "actors' states before and after are interchangeable, so each of "
        f"{permutations} permutations (random seed {seed}) swapped the before and after state of every tie that "
        "formed or ended with probability one half and recomputed the change. The p-value is two-sided: the "
        "share of permutations with a change at least as large as the one observed, counting the observed one "
        "(so it is never below 1 in "
        f"{permutations + 1}). A small p-value (below 0.05, say) means a change this large would rarely arise "
        "from the churn of ties alone; it does not show what caused the change. Ties formed through one shared "
        "space change together, which the test treats as independent, so p-values driven by spaces are "
        "optimistic."
    )
