"""Betweenness estimated from the shortest paths of sampled pairs against networkx's exact values."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr

from netmap.analysis.estimate import estimate_betweenness, guarantee_sentence, sample_count
from netmap.errors import AnalysisError


def _arrays(G: nx.Graph) -> tuple[int, np.ndarray, np.ndarray]:
    """The graph relabelled 0..n-1 in node order, as (n, sources, targets)."""
    G = nx.convert_node_labels_to_integers(G)
    edges = np.array(list(G.edges()), dtype=np.int64).reshape(-1, 2)
    return len(G), edges[:, 0], edges[:, 1]


def _exact(G: nx.Graph) -> np.ndarray:
    values = nx.betweenness_centrality(nx.convert_node_labels_to_integers(G), normalized=True)
    return np.array([values[i] for i in range(len(G))])


def _with_isolates() -> nx.Graph:
    G = nx.disjoint_union(nx.path_graph(6), nx.cycle_graph(7))  # disconnected
    G.add_nodes_from([13, 14])  # isolates
    return G


def _big_clique() -> nx.Graph:
    G = nx.complete_graph(30)
    nx.add_path(G, [0, 30, 31, 32])
    nx.add_star(G, [5, 33, 34, 35])
    return G


SMALL = {
    "disconnected with isolates": _with_isolates(),
    "path": nx.path_graph(12),
    "star": nx.star_graph(15),
    "barbell": nx.barbell_graph(7, 3),
    "big clique": _big_clique(),
    "grid": nx.grid_2d_graph(7, 7),  # many shortest paths of unequal counts
}


@pytest.mark.parametrize("name", list(SMALL))
def test_every_value_within_epsilon_as_often_as_promised(name):
    G = SMALL[name]
    n, s, t = _arrays(G)
    exact = _exact(G)
    epsilon, delta = 0.02, 0.1
    misses = 0
    for seed in range(20):
        values, info = estimate_betweenness(n, s, t, epsilon=epsilon, delta=delta, seed=seed)
        assert info == {"method": "pair-sampling", "epsilon": epsilon, "delta": delta,
                        "samples": sample_count(n, epsilon, delta), "seed": seed}
        misses += np.abs(values - exact).max() > epsilon
    # the guarantee allows 10% of runs to miss; 5 misses in 20 has probability below 5% even at that rate
    assert misses <= 4


def test_actors_in_the_same_position_get_the_same_value():
    # two hubs joined to the same 20 members share every path between members half and half: the estimate
    # gives them exactly equal values (a sampler that draws one path per pair would split them at random)
    G = nx.complete_bipartite_graph(2, 20)
    for seed in range(5):
        values, _ = estimate_betweenness(*_arrays(G), epsilon=0.05, seed=seed)
        assert values[0] == values[1] > 0
    exact = _exact(G)[0]
    assert abs(values[0] - exact) <= 0.05


def test_the_shares_of_every_pair_add_up_to_its_path_length():
    # a grid has many shortest paths per pair; each sampled pair adds exactly (length - 1) in all, shared
    # among them, so the estimates add up to the mean number of actors between two actors, as networkx's do
    G = nx.grid_2d_graph(5, 6)
    n, s, t = _arrays(G)
    values, _ = estimate_betweenness(n, s, t, epsilon=0.02, seed=4)
    assert values.sum() == pytest.approx(_exact(G).sum(), rel=0.02)


def test_more_shortest_paths_than_a_float_holds_give_numbers_not_nan():
    # 1,100 squares in a chain: 2**1100 shortest paths end to end, past the largest float
    G = nx.Graph()
    for k in range(1100):
        a, b, c, d = 3 * k, 3 * k + 1, 3 * k + 2, 3 * k + 3
        G.add_edges_from([(a, b), (a, c), (b, d), (c, d)])
    values, _ = estimate_betweenness(*_arrays(G), epsilon=0.05, seed=1)
    assert np.isfinite(values).all() and values.max() > 0


def test_zero_where_no_path_can_pass():
    G = SMALL["disconnected with isolates"]
    values, _ = estimate_betweenness(*_arrays(G), epsilon=0.05)
    assert values[[0, 5, 13, 14]].tolist() == [0.0, 0.0, 0.0, 0.0]  # path ends and isolates
    assert np.abs(values[6:13] - values[6]).max() < 0.05  # a cycle: all alike


def test_small_epsilon_is_close_on_a_barbell():
    G = nx.barbell_graph(5, 2)
    values, _ = estimate_betweenness(*_arrays(G), epsilon=0.005, seed=3)
    assert np.abs(values - _exact(G)).max() <= 0.005


def test_top_100_ranked_like_exact_on_2000_actors():
    G = nx.powerlaw_cluster_graph(2000, 3, 0.1, seed=5)
    n, s, t = _arrays(G)
    exact = _exact(G)
    values, _ = estimate_betweenness(n, s, t, epsilon=0.005, seed=1)
    top = np.argsort(-exact)[:100]
    assert spearmanr(values[top], exact[top]).statistic >= 0.9
    assert len(set(np.argsort(-values)[:10]) & set(top[:10])) >= 8


def test_same_seed_same_numbers_and_another_seed_differs():
    n, s, t = _arrays(nx.powerlaw_cluster_graph(300, 2, 0.2, seed=1))
    a, info_a = estimate_betweenness(n, s, t, epsilon=0.02, seed=7)
    b, info_b = estimate_betweenness(n, s, t, epsilon=0.02, seed=7)
    c, _ = estimate_betweenness(n, s, t, epsilon=0.02, seed=8)
    assert np.array_equal(a, b) and info_a == info_b
    assert not np.array_equal(a, c)


def test_one_thread_gives_the_same_numbers_as_all_threads():
    import numba

    n, s, t = _arrays(nx.powerlaw_cluster_graph(500, 3, 0.1, seed=2))
    threads = numba.get_num_threads()
    parallel, _ = estimate_betweenness(n, s, t, epsilon=0.02, seed=11)
    numba.set_num_threads(1)
    try:
        single, _ = estimate_betweenness(n, s, t, epsilon=0.02, seed=11)
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(parallel, single)


def test_edge_order_and_duplicates_do_not_matter():
    n, s, t = _arrays(nx.barbell_graph(4, 1))
    a, _ = estimate_betweenness(n, s, t, epsilon=0.05)
    b, _ = estimate_betweenness(n, np.concatenate([t[::-1], s]), np.concatenate([s[::-1], t]), epsilon=0.05)
    assert np.array_equal(a, b)


def test_tiny_graphs_are_zero():
    for n in (0, 1, 2):
        values, info = estimate_betweenness(n, np.array([0] if n == 2 else []), np.array([1] if n == 2 else []))
        assert values.tolist() == [0.0] * n and info["samples"] == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"epsilon": 0.0}, "epsilon must be between 0 and 1 (got 0.0)"),
    ({"delta": 1.0}, "delta must be between 0 and 1 (got 1.0)"),
    ({"top_k": 0}, "top_k must be at least 1 (got 0)"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(AnalysisError) as caught:
        estimate_betweenness(3, np.array([0]), np.array([1]), **kwargs)
    assert str(caught.value) == message


def test_edge_out_of_range_is_named():
    with pytest.raises(AnalysisError) as caught:
        estimate_betweenness(3, np.array([0]), np.array([3]))
    assert str(caught.value) == "edge ends must be positions 0 to 2"


def test_guarantee_sentence():
    info = {"method": "pair-sampling", "epsilon": 0.001, "delta": 0.1, "samples": 12345, "seed": 42}
    assert guarantee_sentence(info) == (
        "Betweenness was estimated (the shortest paths of 12,345 sampled pairs of actors, seed 42): "
        "every actor's value is within "
        "0.001 of the exact one with 90% probability.")
