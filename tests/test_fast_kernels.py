"""The compiled kernels that make a national map fast give the numbers of their plain definitions.

* the direction-optimising breadth-first search (top-down and bottom-up levels) finds the same distances
  as networkx, so the closeness and path-length sums are the same, bit for bit, whichever directions
  it takes and on one thread or two;
* Burt's constraint and effective size in compiled loops equal the scipy sparse products bit for bit
  (the same terms added in the same order), and networkx's definition.
"""

from __future__ import annotations

from collections import deque

import networkx as nx
import numpy as np
import pytest

from netmap.analysis import actor_metrics, network_summary
from netmap.analysis import structure as st
from netmap.analysis.backend import GraphArrays, _adjacency_of
from netmap.analysis.estimate import _csr, last_reached
from netmap.graph import build_graph
from netmap.model import Actor, Membership, NetworkMap, Space, Tie

_paths = pytest.importorskip("netmap.analysis._paths")
_burt = pytest.importorskip("netmap.analysis._burt")

#: (alpha, beta) of the search: top-down only, bottom-up at every level, alternating, the default.
DIRECTIONS = {"top-down": (0, 1), "bottom-up": (10**9, 10**9), "alternating": (10**9, 0),
              "default": (_paths.BOTTOM_UP_ALPHA, _paths.TOP_DOWN_BETA)}


def _forum() -> nx.Graph:
    """A 60-member forum (a co-membership clique) with a pendant chain, a triangle and isolates."""
    actors = [Actor(f"a{i:02d}", f"A{i}") for i in range(80)]
    ties = [Tie("a00", "a60", weight=3.0), Tie("a60", "a61"), Tie("a61", "a62", weight=0.5),
            Tie("a65", "a66"), Tie("a66", "a67", weight=2.0), Tie("a67", "a65")]
    return build_graph(NetworkMap("f", "F", actors=actors, ties=ties, spaces=[Space("forum", "Forum")],
                                  memberships=[Membership(f"a{i:02d}", "forum") for i in range(60)]))


def _random(n: int, m: int, seed: int) -> nx.Graph:
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    G.add_nodes_from(range(n))  # some stay isolates
    for u, v in rng.integers(0, n, (m, 2)).tolist():
        if u != v:
            G.add_edge(u, v, weight=float(rng.choice([0.5, 1.0, 2.0, 3.0])))
    return G


GRAPHS = {
    "forum clique with chains and isolates": _forum(),
    "sparse random, many components": _random(300, 320, 1),
    "dense random": _random(200, 3000, 2),
    "barbell": nx.barbell_graph(8, 4),
    "two stars and an isolate": nx.disjoint_union_all([nx.star_graph(30), nx.star_graph(5), nx.empty_graph(1)]),
}


def _searches(G: nx.Graph, alpha: int, beta: int) -> tuple[GraphArrays, tuple]:
    arrays = GraphArrays(G)
    indptr, indices = _csr(arrays.n, arrays.i, arrays.j)
    return arrays, _paths.distance_sums(indptr, indices, np.arange(arrays.n, dtype=np.int64), alpha, beta)


@pytest.mark.parametrize("direction", list(DIRECTIONS))
@pytest.mark.parametrize("name", list(GRAPHS))
def test_every_direction_finds_networkx_distances(name, direction):
    G = GRAPHS[name]
    arrays, (harmonic, total, reached, farthest, far_node) = _searches(G, *DIRECTIONS[direction])
    for k, v in enumerate(arrays.nodes):
        lengths = nx.single_source_shortest_path_length(G, v)
        assert total[k] == sum(lengths.values())
        assert reached[k] == len(lengths) - 1
        assert farthest[k] == max(lengths.values())
        assert lengths[arrays.nodes[far_node[k]]] == farthest[k]  # an actor that far
    expected = nx.harmonic_centrality(G)
    assert dict(zip(arrays.nodes, harmonic, strict=True)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", list(GRAPHS))
def test_the_sums_do_not_depend_on_the_directions_taken(name):
    G = GRAPHS[name]
    _, top_down = _searches(G, *DIRECTIONS["top-down"])
    for direction in ("bottom-up", "alternating", "default"):
        _, other = _searches(G, *DIRECTIONS[direction])
        for a, b in zip(top_down[:4], other[:4], strict=True):
            assert np.array_equal(a, b), direction  # bit for bit


def test_bottom_up_searches_give_the_same_numbers_on_one_thread_and_on_two():
    numba = pytest.importorskip("numba")
    G = _random(3000, 40_000, 5)
    arrays = GraphArrays(G)
    indptr, indices = _csr(arrays.n, arrays.i, arrays.j)
    starts = np.arange(0, arrays.n, 11, dtype=np.int64)
    on_all = _paths.distance_sums(indptr, indices, starts, _paths.BOTTOM_UP_ALPHA, _paths.TOP_DOWN_BETA)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        on_one = _paths.distance_sums(indptr, indices, starts, _paths.BOTTOM_UP_ALPHA, _paths.TOP_DOWN_BETA)
    finally:
        numba.set_num_threads(threads)
    for a, b in zip(on_all, on_one, strict=True):
        assert np.array_equal(a, b)


def _plain_last(indptr: np.ndarray, indices: np.ndarray, s: int) -> int:
    seen, queue, last = {s}, deque([s]), s
    while queue:
        last = u = queue.popleft()
        for w in indices[indptr[u]:indptr[u + 1]].tolist():
            if w not in seen:
                seen.add(w)
                queue.append(w)
    return last


@pytest.mark.parametrize("name", list(GRAPHS))
def test_the_diameter_sweep_starts_where_a_plain_search_ends(name):
    arrays = GraphArrays(GRAPHS[name])
    indptr, indices = _csr(arrays.n, arrays.i, arrays.j)
    for s in range(0, arrays.n, 7):
        assert last_reached(arrays, s) == _plain_last(indptr, indices, s)


def test_a_sampled_diameter_is_the_two_sweep_bound():
    G = nx.connected_watts_strogatz_graph(600, 4, 0.05, seed=7)
    s = network_summary(G, sample=30, seed=3)
    assert s["paths_sampled"] == 30
    assert nx.diameter(G) - 3 <= s["diameter"] <= nx.diameter(G)


@pytest.mark.parametrize("name", list(GRAPHS))
def test_compiled_burt_equals_the_sparse_products_bit_for_bit(name):
    G = GRAPHS[name]
    A = GraphArrays(G).adjacency
    total = np.asarray(A.sum(axis=1)).ravel()
    top = A.max(axis=1).toarray().ravel()
    products = st._burt_products(A, total, top)
    compiled = st._burt_compiled(A, total, top)
    assert np.array_equal(products[0], compiled[0])
    assert np.array_equal(products[1], compiled[1])


def test_compiled_burt_is_networkx_burt_on_a_large_weighted_map(monkeypatch):
    G = _random(400, 2500, 9)
    monkeypatch.setattr(st, "EXACT_MAX_NODES", 0)  # the compiled loops, on a map small enough for networkx
    nodes = list(G)
    arrays = GraphArrays(G)
    constraint, esize = st.burt(_adjacency_of(arrays.n, arrays.i, arrays.j, arrays.w))
    reference_c = nx.constraint(G, nodes=nodes, weight="weight")
    reference_e = nx.effective_size(G, nodes=nodes, weight="weight")
    for k, v in enumerate(nodes):
        if G.degree(v) == 0:
            assert np.isnan(constraint[k]) and np.isnan(esize[k])
        else:
            assert constraint[k] == pytest.approx(reference_c[v], abs=1e-12)
            assert esize[k] == pytest.approx(reference_e[v], abs=1e-9)


def test_ties_of_weight_zero_keep_the_sparse_products(monkeypatch):
    G = nx.Graph([(0, 1, {"weight": 0.0}), (1, 2, {"weight": 1.0}), (0, 2, {"weight": 2.0}), (2, 3, {})])
    monkeypatch.setattr(st, "EXACT_MAX_NODES", 0)
    constraint, esize = st.burt(GraphArrays(G).adjacency)
    reference = nx.constraint(G, nodes=list(G), weight="weight")
    assert constraint.tolist() == pytest.approx([reference[v] for v in G], abs=1e-12)
    reference = nx.effective_size(G, nodes=list(G), weight="weight")
    assert esize.tolist() == pytest.approx([reference[v] for v in G], abs=1e-12)


def test_the_partner_arrays_left_by_build_graph_are_those_read_from_the_graph():
    from netmap.gaps.links import _tie_entries

    actors = [Actor(c, c.upper()) for c in "abcdefg"]
    ties = [Tie("b", "a"), Tie("c", "a", "funds"), Tie("a", "b", "funds"), Tie("e", "d"), Tie("a", "a"),
            Tie("a", "zz"), Tie("g", "c", "refers_to", directed=True)]
    memberships = [Membership("d", "s"), Membership("a", "s"), Membership("c", "s"), Membership("f", "t"),
                   Membership("e", "t")]
    for G in (_forum(), build_graph(NetworkMap("x", "X", actors=actors, ties=ties, spaces=[Space("s", "S")],
                                               memberships=memberships))):
        built = st.neighbour_arrays(G), _tie_entries(G)
        G.__networkx_cache__.clear()  # read again from the graph's dict of dicts
        plain = st.neighbour_arrays(G), _tie_entries(G)
        assert built[0][0] == plain[0][0]
        for a, b in zip(built[0][1:] + built[1][1:], plain[0][1:] + plain[1][1:], strict=True):
            assert np.array_equal(a, b)


def test_eigenvector_centrality_repeats_to_the_last_digit():
    import random

    G = nx.connected_watts_strogatz_graph(600, 6, 0.1, seed=4)  # above 400 actors: igraph's ARPACK solver
    runs = []
    for draws in (1, 7):
        for _ in range(draws):
            random.random()  # whatever state Python's generator is in
        runs.append(actor_metrics(G, sample=50)["eigenvector"].to_numpy())
    assert np.array_equal(runs[0], runs[1])


def test_pagerank_repeats_to_the_last_digit_and_matches_an_exact_solve():
    # igraph's PRPACK solver changed the last digits from one call to the next; a rerun must not
    G = nx.gnm_random_graph(3000, 20_000, seed=1)
    for k, (a, b) in enumerate(G.edges()):
        G.edges[a, b]["weight"] = 1.0 + k % 3
    runs = [actor_metrics(G, sample=50)["pagerank"].to_numpy() for _ in range(4)]
    assert all(np.array_equal(runs[0], run) for run in runs[1:])
    exact = nx.pagerank(G, weight="weight", tol=1e-14, max_iter=10_000)
    assert np.abs(runs[0] - np.array([exact[v] for v in G])).max() < 1e-11
