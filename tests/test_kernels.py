"""Every fast kernel of netmap.analysis against the networkx definition, on graphs of every awkward shape.

netmap computes its measures in igraph, numpy, scipy and compiled code; networkx is the reference
each must agree with: on disconnected graphs, isolates, weighted ties, a giant co-membership clique
(a forum whose members all meet), and directed ties where the measure is directed (reciprocity).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from netmap.analysis import actor_metrics, network_summary
from netmap.analysis.backend import GraphArrays
from netmap.analysis.estimate import distance_sums
from netmap.graph import build_digraph, build_graph, reciprocity
from netmap.model import Actor, Membership, NetworkMap, Space, Tie


def _forum_map() -> NetworkMap:
    """A 40-member forum (a clique of co-membership), with weighted ties, a pendant chain and isolates."""
    actors = [Actor(f"a{i:02d}", f"A{i}", ("vcse" if i % 3 else "nhs",)) for i in range(60)]
    ties = [Tie("a00", "a40", weight=3.0), Tie("a40", "a41"), Tie("a41", "a42", weight=0.5),
            Tie("a45", "a46"), Tie("a46", "a47", weight=2.0), Tie("a47", "a45"), Tie("a05", "a06", weight=4.0)]
    memberships = [Membership(f"a{i:02d}", "forum") for i in range(40)]
    return NetworkMap("forum", "Forum", actors=actors, ties=ties, spaces=[Space("forum", "Forum")],
                      memberships=memberships)


def _graphs() -> dict[str, nx.Graph]:
    weighted = nx.Graph()
    weighted.add_weighted_edges_from([(0, 1, 2.0), (1, 2, 1.0), (2, 0, 0.5), (2, 3, 3.0), (3, 4, 1.0),
                                      (10, 11, 1.0), (11, 12, 2.5)])
    weighted.add_nodes_from([20, 21])  # isolates
    barbell = nx.barbell_graph(6, 3)
    nx.set_edge_attributes(barbell, {e: 1.0 + (k % 4) for k, e in enumerate(barbell.edges())}, "weight")
    return {
        "weighted, disconnected, isolates": weighted,
        "barbell with a path": barbell,
        "forum clique with chains and isolates": build_graph(_forum_map()),
        "karate club": nx.karate_club_graph(),
    }


GRAPHS = _graphs()


def _cut_impact(G: nx.Graph, v) -> int:
    """|C| - 1 - largest part left when v leaves its component C, by brute force."""
    component = nx.node_connected_component(G, v)
    rest = G.subgraph(component - {v})
    parts = [len(c) for c in nx.connected_components(rest)]
    return len(component) - 1 - max(parts, default=0) if len(parts) > 1 else 0


@pytest.mark.parametrize("name", list(GRAPHS))
def test_actor_measures_match_networkx(name):
    G = GRAPHS[name]
    df = actor_metrics(G, exact=True)
    n = len(G)
    assert df["degree"].to_dict() == dict(G.degree())
    assert df["strength"].to_dict() == pytest.approx(dict(G.degree(weight="weight")))
    assert df["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(G), abs=1e-9)
    harmonic = nx.harmonic_centrality(G)
    assert df["closeness"].to_dict() == pytest.approx({v: h / (n - 1) for v, h in harmonic.items()}, abs=1e-9)
    pagerank = nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10_000)  # tight: networkx's default is loose
    assert df["pagerank"].to_dict() == pytest.approx(pagerank, abs=1e-7)
    assert df["k_core"].to_dict() == nx.core_number(G)
    reach = {v: (len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1) / (n - 1) for v in G}
    assert df["reach_2"].to_dict() == pytest.approx(reach)
    assert set(df.index[df["is_cut_vertex"]]) == set(nx.articulation_points(G))
    assert df["cut_vertex_impact"].to_dict() == {v: _cut_impact(G, v) for v in G}
    # nodes=list(G): networkx's node-by-node definition. Its all-nodes sparse shortcut (networkx 3.6)
    # gives other weighted effective sizes (karate club actor 0: 13.954 against 13.775 by the
    # definition, which this test and a hand-worked triangle in test_analysis.py hold netmap to).
    constraint = nx.constraint(G, nodes=list(G), weight="weight")
    esize = nx.effective_size(G, nodes=list(G), weight="weight")
    for v in G:
        if G.degree(v) == 0:
            assert math.isnan(df.loc[v, "constraint"]) and math.isnan(df.loc[v, "effective_size"])
        else:
            assert df.loc[v, "constraint"] == pytest.approx(constraint[v], abs=1e-9), v
            assert df.loc[v, "effective_size"] == pytest.approx(esize[v], abs=1e-9), v


@pytest.mark.parametrize("name", list(GRAPHS))
def test_eigenvector_matches_networkx_on_the_largest_component(name):
    G = GRAPHS[name]
    df = actor_metrics(G, exact=True)
    largest = max(nx.connected_components(G), key=len)
    reference = nx.eigenvector_centrality(G.subgraph(largest), weight="weight", max_iter=100_000, tol=1e-14)
    for v in G:
        assert df.loc[v, "eigenvector"] == pytest.approx(reference.get(v, 0.0), abs=1e-6), v


@pytest.mark.parametrize("name", list(GRAPHS))
def test_whole_network_measures_match_networkx(name):
    G = GRAPHS[name]
    s = network_summary(G, exact=True)
    largest = G.subgraph(max(nx.connected_components(G), key=len))
    assert s["components"] == nx.number_connected_components(G)
    assert s["largest_component"] == len(largest)
    assert s["isolates"] == nx.number_of_isolates(G)
    assert s["diameter"] == nx.diameter(largest)
    assert s["mean_path_length"] == pytest.approx(nx.average_shortest_path_length(largest))
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(G))
    assert s["transitivity"] == pytest.approx(nx.transitivity(G))


@pytest.mark.parametrize("name", list(GRAPHS))
def test_compiled_breadth_first_searches_match_networkx(name):
    G = GRAPHS[name]
    arrays = GraphArrays(G)
    starts = np.arange(arrays.n)
    found = distance_sums(arrays.n, arrays.i, arrays.j, starts)
    for k, v in enumerate(arrays.nodes):
        lengths = nx.single_source_shortest_path_length(G, v)
        assert found["total"][k] == sum(lengths.values())
        assert found["reached"][k] == len(lengths) - 1
        assert found["farthest"][k] == max(lengths.values())
    harmonic = nx.harmonic_centrality(G)
    assert dict(zip(arrays.nodes, found["harmonic"], strict=True)) == pytest.approx(harmonic)


def test_graph_arrays_components_are_networkx_components_in_order():
    G = GRAPHS["weighted, disconnected, isolates"]
    arrays = GraphArrays(G)
    largest = [arrays.nodes[k] for k in arrays.largest_component()]
    assert largest == [v for v in G if v in max(nx.connected_components(G), key=len)]


def test_reciprocity_without_the_digraph_matches_the_digraph():
    actors = [Actor(x, x.upper()) for x in "abcde"]
    ties = [Tie("a", "b", "funds", directed=True), Tie("b", "a", "refers_to", directed=True),
            Tie("a", "c", "funds", directed=True), Tie("c", "a"), Tie("d", "e", "commissions", directed=True),
            Tie("d", "zz", "funds", directed=True), Tie("e", "e", "funds", directed=True)]
    nmap = NetworkMap("r", "R", actors=actors, ties=ties)
    D = build_digraph(nmap)
    assert reciprocity(nmap) == network_summary(build_graph(nmap), D)["reciprocity"] == 0.75  # d->e alone is unanswered
    assert reciprocity(NetworkMap("u", "U", actors=actors, ties=[Tie("a", "b")])) is None


def test_breadth_first_searches_give_the_same_numbers_on_one_core_and_on_all():
    numba = pytest.importorskip("numba")
    G = nx.connected_watts_strogatz_graph(400, 6, 0.2, seed=3)
    arrays = GraphArrays(G)
    starts = np.arange(0, arrays.n, 7)
    on_all = distance_sums(arrays.n, arrays.i, arrays.j, starts)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        on_one = distance_sums(arrays.n, arrays.i, arrays.j, starts)
    finally:
        numba.set_num_threads(threads)
    for key, values in on_all.items():
        assert np.array_equal(values, on_one[key]), key  # bit for bit, not approximately


@pytest.mark.parametrize("name", list(GRAPHS))
def test_the_compiled_structure_loops_match_the_definitions(name, monkeypatch):
    """Above 2,000 actors reach, brokerage and cut vertices run as compiled loops: forced here on small graphs."""
    from netmap.analysis import structure

    G = GRAPHS[name]
    exact = actor_metrics(G, exact=True)
    monkeypatch.setattr(structure, "EXACT_MAX_NODES", 0)
    fast = actor_metrics(nx.Graph(G), exact=True)  # a fresh graph: nothing cached from the first run
    n = len(G)
    reach = {v: (len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1) / (n - 1) for v in G}
    assert fast["reach_2"].to_dict() == pytest.approx(reach)
    assert fast["cut_vertex_impact"].to_dict() == {v: _cut_impact(G, v) for v in G}
    assert fast["brokerage"].to_dict() == exact["brokerage"].to_dict()


def test_reach_counts_every_actor_past_the_first_block_of_rows():
    """Two-step reach on a map larger than one block of rows (2,048): each actor's own entry left out, no other."""
    from netmap.analysis.structure import reach_2

    G = nx.path_graph(2_100)
    A = nx.to_scipy_sparse_array(G, nodelist=list(G), format="csr")
    reach = reach_2(A) * (len(G) - 1)
    expected = [len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1 for v in G]
    assert reach.round().astype(int).tolist() == expected
