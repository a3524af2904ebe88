"""Tests of netmap.analysis against hand-computed and published values."""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.analysis import (
    ACTOR_MEASURES,
    CONSTITUENCY_MEASURES,
    ROLES,
    UNCLASSIFIED,
    Analysis,
    actor_metrics,
    analyse,
    backend,
    blau_heterogeneity,
    centrality,
    constituency_metrics,
    detect_communities,
    ei_index,
    mixing_matrix,
    network_summary,
    sampling,
)
from netmap.errors import AnalysisError
from netmap.graph import build_digraph, build_graph
from netmap.model import Actor, Constituency, Framework, Membership, NetworkMap, Space, Tie

FRAMEWORK = Framework(
    "test",
    "Test",
    constituencies=(
        Constituency("nhs", "NHS provider", "statutory"),
        Constituency("vcse", "Voluntary organisation", "vcse"),
        Constituency("council", "Council", "statutory"),
        Constituency("faith", "Faith group", "community"),
    ),
)


def make_map(edges, groups=None, isolates=(), **tie_args) -> NetworkMap:
    """A map whose actors are the ends of ``edges`` (plus ``isolates``), in order of appearance."""
    groups = groups or {}
    ids: list[str] = []
    for u, v in edges:
        ids += [x for x in (u, v) if x not in ids]
    ids += [x for x in isolates if x not in ids]
    actors = [Actor(i, f"Actor {i}", (groups[i],) if groups.get(i) else ()) for i in ids]
    return NetworkMap("t", "Test", actors=actors, ties=[Tie(u, v, **tie_args) for u, v in edges])


def graph_of(edges, groups=None, isolates=()) -> nx.Graph:
    return build_graph(make_map(edges, groups, isolates), FRAMEWORK)


STAR = [("c", leaf) for leaf in ("l1", "l2", "l3", "l4")]
PATH4 = [("a", "b"), ("b", "c"), ("c", "d")]
BOWTIE = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("c", "e")]
BRIDGED = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]


# --------------------------------------------------------------------------- hand-computed values


def test_star():
    G = graph_of(STAR, {"l1": "nhs", "l2": "nhs", "l3": "vcse", "l4": "council"})
    df = actor_metrics(G)
    assert list(df.columns) == list(ACTOR_MEASURES)
    assert df.index.name == "id"
    centre, leaf = df.loc["c"], df.loc["l1"]
    # All C(4,2) = 6 leaf pairs run through the centre; normalised by (n-1)(n-2)/2 = 6.
    assert centre["betweenness"] == pytest.approx(1.0)
    assert leaf["betweenness"] == 0
    # Harmonic closeness / (n-1): centre (1+1+1+1)/4 = 1; leaf (1 + 3 * 1/2)/4 = 0.625.
    assert centre["closeness"] == pytest.approx(1.0)
    assert leaf["closeness"] == pytest.approx(0.625)
    # Burt: each p_cj = 1/4 and no leaf is tied to another, so constraint = 4 * (1/4)^2 = 0.25
    # and effective size = 4 contacts - 0 redundancy = 4. A leaf: p = 1, constraint 1^2 = 1.
    assert centre["constraint"] == pytest.approx(0.25)
    assert centre["effective_size"] == pytest.approx(4.0)
    assert leaf["constraint"] == pytest.approx(1.0)
    assert leaf["effective_size"] == pytest.approx(1.0)
    # Removing the centre leaves 4 parts of size 1: impact = 5 - 1 - 1 = 3.
    assert centre["is_cut_vertex"] and centre["cut_vertex_impact"] == 3
    assert not leaf["is_cut_vertex"] and leaf["cut_vertex_impact"] == 0
    # PageRank of a star centre, n = 5, alpha = 0.85: x_c = (1-a)/n + a * 4 x_l and
    # x_l = (1-a)/n + a x_c / 4 give x_c = (1 + a(n-1)) / (n(1+a)) = 4.4 / 9.25.
    assert centre["pagerank"] == pytest.approx(4.4 / 9.25, abs=1e-9)
    assert df["pagerank"].sum() == pytest.approx(1.0)
    # Eigenvector: A x = 2 x with x_c = 2 x_l and x_c^2 + 4 x_l^2 = 1: x_c = 1/sqrt(2), x_l = 1/sqrt(8).
    assert centre["eigenvector"] == pytest.approx(1 / math.sqrt(2))
    assert leaf["eigenvector"] == pytest.approx(1 / math.sqrt(8))
    # Leaves nhs, nhs, vcse, council: 6 pairs minus the one nhs-nhs pair = 5, none tied.
    assert centre["brokerage"] == 5
    assert (df["reach_2"] == 1.0).all()
    assert (df["k_core"] == 1).all()
    assert centre["role"] == "broker"  # its leaving cuts the four leaves off: a broker, not a hub
    assert set(df.loc[["l1", "l2", "l3", "l4"], "role"]) == {"peripheral"}

    s = network_summary(G)
    # Freeman: sum(4 - d_i) = 0 + 4 * 3 = 12 over (n-1)(n-2) = 12.
    assert s["degree_centralisation"] == pytest.approx(1.0)
    assert s["density"] == pytest.approx(4 / 10)
    assert s["diameter"] == 2
    # 4 pairs at distance 1 and 6 at distance 2: (4 + 12) / 10.
    assert s["mean_path_length"] == pytest.approx(1.6)
    assert s["transitivity"] == 0 and s["average_clustering"] == 0


def test_path_of_four():
    G = graph_of(PATH4)
    df = actor_metrics(G)
    # b lies on a-c and a-d: 2 of the (n-1)(n-2)/2 = 3 pairs not involving b.
    assert df.loc["b", "betweenness"] == pytest.approx(2 / 3)
    assert df.loc["a", "betweenness"] == 0
    # Harmonic: a = (1 + 1/2 + 1/3) / 3 = 11/18; b = (1 + 1 + 1/2) / 3 = 5/6.
    assert df.loc["a", "closeness"] == pytest.approx(11 / 18)
    assert df.loc["b", "closeness"] == pytest.approx(5 / 6)
    # Removing b leaves {a} and {c, d}: impact = 4 - 1 - 2 = 1.
    assert df["cut_vertex_impact"].to_dict() == {"a": 0, "b": 1, "c": 1, "d": 0}
    # b: p = 1/2 to a and c, who are not tied: constraint 2 * (1/2)^2 = 0.5.
    assert df.loc["b", "constraint"] == pytest.approx(0.5)
    # a reaches b and c within two steps: 2 of 3.
    assert df.loc["a", "reach_2"] == pytest.approx(2 / 3)
    assert df.loc["b", "reach_2"] == pytest.approx(1.0)
    assert df["role"].to_dict() == {"a": "peripheral", "b": "broker", "c": "broker", "d": "peripheral"}
    s = network_summary(G)
    # Degrees 1, 2, 2, 1: sum(2 - d_i) = 2 over (3)(2) = 6.
    assert s["degree_centralisation"] == pytest.approx(1 / 3)
    assert s["diameter"] == 3
    # Distances 1, 1, 1, 2, 2, 3 over 6 pairs.
    assert s["mean_path_length"] == pytest.approx(10 / 6)


def weighted_triangle(ab: float, bc: float, ac: float) -> nx.Graph:
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", ab), ("b", "c", bc), ("a", "c", ac)])
    return G


def test_weighted_effective_size_by_hand():
    # Triangle a-b (1), b-c (2), a-c (1). For b: p_ba = 1/3, p_bc = 2/3. Redundancy of a
    # = p_bc * w_ac / max weight of a = 2/3 * 1/1; of c = p_ba * w_ca / max weight of c
    # = 1/3 * 1/2. Effective size = 2 - (2/3 + 1/6) = 7/6.
    df = actor_metrics(weighted_triangle(1.0, 2.0, 1.0))
    assert df.loc["b", "effective_size"] == pytest.approx(7 / 6)
    # For a: p_ab = p_ac = 1/2; redundancy of b = 1/2 * 2/2, of c = 1/2 * 2/2, so 2 - 1 = 1.
    assert df.loc["a", "effective_size"] == pytest.approx(1.0)
    # Constraint of b: (1/3 + 2/3 * 1/3)^2 + (2/3 + 1/3 * 1/2)^2 = (5/9)^2 + (5/6)^2.
    assert df.loc["b", "constraint"] == pytest.approx((5 / 9) ** 2 + (5 / 6) ** 2)


def test_a_tie_of_weight_zero_is_still_a_tie_for_burt():
    G = weighted_triangle(1.0, 1.0, 0.0)
    df = actor_metrics(G)
    # a: p_ab = 1, p_ac = 0; the indirect path a-b-c adds 1 * 1/2 to c: 1^2 + (1/2)^2.
    assert df.loc["a", "constraint"] == pytest.approx(1.25)
    assert df["effective_size"].to_dict() == pytest.approx(nx.effective_size(G, nodes=list(G), weight="weight"))
    assert df.loc["a", "effective_size"] == pytest.approx(1.0)


def test_bowtie_with_cut_vertex():
    G = graph_of(BOWTIE)
    df = actor_metrics(G)
    # c lies on the 2 x 2 paths between {a, b} and {d, e}: 4 of the 6 pairs not involving c.
    assert df.loc["c", "betweenness"] == pytest.approx(4 / 6)
    assert df.loc["a", "betweenness"] == 0
    # Harmonic: c = 4/4 = 1; a = (1 + 1 + 1/2 + 1/2) / 4 = 0.75.
    assert df.loc["c", "closeness"] == pytest.approx(1.0)
    assert df.loc["a", "closeness"] == pytest.approx(0.75)
    # Removing c leaves {a, b} and {d, e}: impact = 5 - 1 - 2 = 2.
    assert df.loc["c", "cut_vertex_impact"] == 2
    assert df["is_cut_vertex"].sum() == 1
    # Constraint of c: p = 1/4 to each contact; for a the indirect path via b adds
    # p_cb * p_ba = 1/4 * 1/2 = 1/8, so each term is (1/4 + 1/8)^2 = 9/64; 4 terms = 36/64.
    assert df.loc["c", "constraint"] == pytest.approx(36 / 64)
    # Constraint of a: p_ab = p_ac = 1/2. Term b: (1/2 + p_ac p_cb = 1/2 * 1/4)^2 = (5/8)^2 = 25/64;
    # term c: (1/2 + p_ab p_bc = 1/2 * 1/2)^2 = (3/4)^2 = 36/64. Total 61/64.
    assert df.loc["a", "constraint"] == pytest.approx(61 / 64)
    # Effective size (Borgatti): n - 2t/n; c: 4 - 2*2/4 = 3; a: 2 - 2*1/2 = 1.
    assert df.loc["c", "effective_size"] == pytest.approx(3.0)
    assert df.loc["a", "effective_size"] == pytest.approx(1.0)
    assert (df["k_core"] == 2).all()
    assert df.loc["c", "role"] == "broker"  # the one link between the two triangles
    s = network_summary(G)
    # 2 triangles; connected triples: C(4,2) = 6 at c + 1 at each other actor = 10; 3*2/10.
    assert s["transitivity"] == pytest.approx(0.6)
    # Local clustering 1, 1, 1/3, 1, 1.
    assert s["average_clustering"] == pytest.approx((4 + 1 / 3) / 5)


def test_two_triangles_joined_by_a_bridge():
    groups = dict.fromkeys("abc", "nhs") | dict.fromkeys("def", "vcse")
    G = graph_of(BRIDGED, groups)
    df = actor_metrics(G)
    # c lies on the 2 x 3 paths from {a, b} to {d, e, f}: 6 of C(5, 2) = 10 pairs.
    assert df.loc["c", "betweenness"] == pytest.approx(0.6)
    assert df.loc["d", "betweenness"] == pytest.approx(0.6)
    # Harmonic: c = (1 + 1 + 1 + 1/2 + 1/2) / 5 = 0.8; a = (1 + 1 + 1/2 + 1/3 + 1/3) / 5 = 19/30.
    assert df.loc["c", "closeness"] == pytest.approx(0.8)
    assert df.loc["a", "closeness"] == pytest.approx(19 / 30)
    # Removing c leaves {a, b} and {d, e, f}: impact = 6 - 1 - 3 = 2.
    assert df["cut_vertex_impact"].to_dict() == {"a": 0, "b": 0, "c": 2, "d": 2, "e": 0, "f": 0}
    # c's partners a, b (nhs) and d (vcse): pairs a-d and b-d cross constituencies, untied.
    assert df.loc["c", "brokerage"] == 2
    assert df.loc["a", "brokerage"] == 0

    # Whole network E-I: 1 tie across, 6 inside: (1 - 6) / 7.
    assert ei_index(G) == pytest.approx(-5 / 7)
    # Blau: 1 - (1/2)^2 - (1/2)^2.
    assert blau_heterogeneity(G) == pytest.approx(0.5)
    observed, expected = mixing_matrix(G)
    assert observed.to_dict() == {"nhs": {"nhs": 3, "vcse": 1}, "vcse": {"nhs": 1, "vcse": 3}}
    # Degree sums: nhs 2 + 2 + 3 = 7, vcse 7; m = 7. Off-diagonal 7*7/(2*7) = 3.5;
    # diagonal 7^2/(4*7) = 1.75; upper triangle 1.75 + 3.5 + 1.75 = 7 = m.
    assert expected.loc["nhs", "vcse"] == pytest.approx(3.5)
    assert expected.loc["nhs", "nhs"] == pytest.approx(1.75)
    assert expected.loc["vcse", "vcse"] == pytest.approx(1.75)

    s = network_summary(G)
    # Degrees 2, 2, 3, 3, 2, 2: sum(3 - d_i) = 4 over (5)(4) = 20.
    assert s["degree_centralisation"] == pytest.approx(0.2)

    c = constituency_metrics(G, FRAMEWORK, actors=df)
    assert list(c.columns) == list(CONSTITUENCY_MEASURES)
    assert list(c.index) == ["nhs", "vcse", "council", "faith"]
    # nhs: E = 1 (the bridge), I = 3: (1 - 3) / 4.
    assert c.loc["nhs", "ei_index"] == pytest.approx(-0.5)
    assert c.loc["nhs", "count"] == 3 and c.loc["nhs", "share"] == pytest.approx(0.5)
    assert c.loc["nhs", "mean_degree"] == pytest.approx(7 / 3)
    # The graph is symmetric, so each side holds half of the PageRank and of the betweenness.
    assert c.loc["nhs", "voice"] == pytest.approx(0.5)
    assert c.loc["vcse", "betweenness_share"] == pytest.approx(0.5)
    assert c.loc["council", "count"] == 0 and c.loc["council", "voice"] == 0
    assert math.isnan(c.loc["council", "ei_index"]) and math.isnan(c.loc["council", "mean_degree"])
    assert c.loc["nhs", "label"] == "NHS provider" and c.loc["faith", "sector"] == "community"

    communities = detect_communities(G)
    assert communities["a"] == communities["b"] == communities["c"]
    assert communities["d"] == communities["e"] == communities["f"] != communities["a"]


def test_complete_graph_has_no_hub_and_no_periphery():
    G = graph_of(list(combinations("abcd", 2)), isolates=["z"])
    df = actor_metrics(G)
    assert df["role"].to_dict() == {
        "a": "connected",
        "b": "connected",
        "c": "connected",
        "d": "connected",
        "z": "isolate",
    }
    assert math.isnan(df.loc["z", "constraint"]) and math.isnan(df.loc["z", "effective_size"])
    assert df.loc["z", "closeness"] == 0 and df.loc["z", "eigenvector"] == 0 and df.loc["z", "reach_2"] == 0
    # K4: constraint of each actor = 3 * (1/3 + 2 * 1/3 * 1/3)^2 = 3 * (5/9)^2 = 75/81.
    assert df.loc["a", "constraint"] == pytest.approx(75 / 81)
    # Isolate z is its own component; PageRank still sums to 1 (z gets the teleport share).
    assert df["pagerank"].sum() == pytest.approx(1.0)
    s = network_summary(G)
    assert (s["components"], s["largest_component"], s["isolates"]) == (2, 4, 1)
    assert s["diameter"] == 1 and s["mean_path_length"] == 1.0


def test_constituency_table_has_unknown_keys_and_unclassified():
    nmap = NetworkMap(
        "t",
        "T",
        actors=[
            Actor("a", "A", ("nhs", "vcse")),
            Actor("b", "B", ("mystery",)),
            Actor("c", "C"),
            Actor("d", "D", ("vcse",)),
        ],
        ties=[Tie("a", "b"), Tie("b", "c"), Tie("a", "d")],
    )
    G = build_graph(nmap, FRAMEWORK)
    c = constituency_metrics(G, FRAMEWORK)
    assert list(c.index) == ["nhs", "vcse", "council", "faith", "mystery", UNCLASSIFIED]
    assert c.index.name == "constituency"
    assert c.loc["vcse", "count"] == 2 and c.loc["vcse", "primary_count"] == 1
    assert c.loc["mystery", "sector"] == "unknown" and c.loc["mystery", "label"] == "mystery"
    assert c.loc[UNCLASSIFIED, "count"] == 1 and c.loc[UNCLASSIFIED, "label"] == "Unclassified"
    assert c["primary_share"].sum() == pytest.approx(1.0)
    assert c["voice"].sum() == pytest.approx(1.0)
    # nhs (a): ties a-b and a-d both leave the group: (2 - 0) / 2.
    assert c.loc["nhs", "ei_index"] == 1.0


def test_blau_and_ei_edge_cases():
    G = graph_of([("a", "b")], {"a": "nhs", "b": "nhs"}, isolates=["c"])
    # Groups nhs, nhs, unclassified: 1 - (2/3)^2 - (1/3)^2 = 4/9.
    assert blau_heterogeneity(G) == pytest.approx(4 / 9)
    assert ei_index(G) == -1.0
    assert math.isnan(ei_index(nx.empty_graph(3)))
    assert math.isnan(blau_heterogeneity(nx.Graph()))
    H = nx.path_graph(3)
    nx.set_node_attributes(H, {0: "x", 1: "y", 2: "x"}, "kind")
    assert ei_index(H, "kind") == 1.0
    assert blau_heterogeneity(H, "kind") == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)


def test_reciprocity_counts_directed_ties_only():
    nmap = NetworkMap(
        "t",
        "T",
        actors=[Actor(x, x) for x in "abcdefgh"],
        ties=[
            Tie("a", "b", "funds", directed=True),
            Tie("b", "a", "refers_to", directed=True),  # a <-> b: both reciprocated
            Tie("c", "d", "funds", directed=True),  # not reciprocated
            Tie("e", "f", "partnership"),  # undirected: not counted
            Tie("g", "h", "commissions", directed=True),
            Tie("g", "h", "partnership"),  # the partnership makes g -> h mutual
        ],
    )
    s = network_summary(build_graph(nmap), build_digraph(nmap))
    assert s["reciprocity"] == pytest.approx(3 / 4)  # a->b, b->a, g->h of a->b, b->a, c->d, g->h
    only_undirected = make_map(PATH4)
    assert network_summary(build_graph(only_undirected), build_digraph(only_undirected))["reciprocity"] is None
    assert network_summary(build_graph(only_undirected))["reciprocity"] is None


def test_empty_and_tiny_graphs():
    df = actor_metrics(nx.Graph())
    assert df.empty and list(df.columns) == list(ACTOR_MEASURES)
    s = network_summary(nx.Graph())
    assert s["actors"] == 0 and s["degree_centralisation"] == 0.0 and s["diameter"] == 0
    one = actor_metrics(nx.empty_graph(1))
    assert one.loc[0, "role"] == "isolate" and one.loc[0, "pagerank"] == pytest.approx(1.0)
    two = actor_metrics(nx.path_graph(2))
    assert list(two["closeness"]) == [1.0, 1.0] and list(two["role"]) == ["peripheral", "peripheral"]
    assert network_summary(nx.path_graph(2))["degree_centralisation"] == 0.0
    assert detect_communities(nx.Graph()) == {}
    observed, expected = mixing_matrix(nx.empty_graph(2))
    assert observed.to_numpy().sum() == 0 and expected.to_numpy().sum() == 0
    with pytest.raises(ValueError):
        actor_metrics(nx.path_graph(3), backend="rustworkx")


def test_communities_numbered_by_size_with_isolates():
    # A K5 and a K3 joined by one tie, plus an isolate.
    edges = [*combinations("abcde", 2), *combinations("xyz", 2), ("e", "x")]
    G = graph_of(edges, isolates=["lonely"])
    parts = detect_communities(G, seed=7)
    assert {parts[v] for v in "abcde"} == {0}
    assert {parts[v] for v in "xyz"} == {1}
    assert parts["lonely"] == 2
    assert detect_communities(G, seed=7) == parts


# --------------------------------------------------------------------------- published values


def florentine_map() -> NetworkMap:
    """Padgett's Florentine marriage network (networkx's 15-family version, without Pucci)."""
    F = nx.florentine_families_graph()
    return NetworkMap(
        "florence",
        "Florentine families",
        actors=[Actor(f, f) for f in F],
        ties=[Tie(u, v, "marriage") for u, v in F.edges()],
    )


def test_florentine_families_published_values():
    result = analyse(florentine_map(), None)
    df = result.actors
    n = len(df)
    assert (n, result.summary["ties"]) == (15, 20)
    # Medici: degree 6, degree centrality 6/14 = 0.4286 (Guadagni and Strozzi 4/14 = 0.2857).
    assert df.loc["Medici", "degree"] == 6
    assert df.loc["Medici", "degree"] / (n - 1) == pytest.approx(0.4286, abs=5e-5)
    assert df.loc["Guadagni", "degree"] / (n - 1) == pytest.approx(0.2857, abs=5e-5)
    # Betweenness: Medici 47.5 (unnormalised), i.e. 47.5 / (14 * 13 / 2) = 0.5220 normalised,
    # the highest, then Guadagni 23.17 and Albizzi 19.33.
    unnormalised = df["betweenness"] * (n - 1) * (n - 2) / 2
    assert df["betweenness"].idxmax() == "Medici"
    assert df.loc["Medici", "betweenness"] == pytest.approx(0.5220, abs=5e-5)
    assert unnormalised["Medici"] == pytest.approx(47.5)
    assert unnormalised["Guadagni"] == pytest.approx(23.1667, abs=1e-4)
    assert unnormalised["Albizzi"] == pytest.approx(19.3333, abs=1e-4)
    assert list(unnormalised.sort_values(ascending=False).index[:3]) == ["Medici", "Guadagni", "Albizzi"]
    # Global transitivity 0.1914894 (3 triangles), density 20/105.
    assert result.summary["transitivity"] == pytest.approx(0.1914894, abs=1e-7)
    assert result.summary["density"] == pytest.approx(20 / 105)
    # The Medici hold the network together: Acciaiuoli, Salviati and Pazzi hang on them.
    assert df.loc["Medici", "cut_vertex_impact"] == 3
    assert set(df.index[df["is_cut_vertex"]]) == {"Medici", "Albizzi", "Salviati", "Guadagni"}
    assert df["eigenvector"].idxmax() == "Medici" and df["pagerank"].idxmax() == "Medici"
    assert df.loc["Medici", "role"] == "broker"  # Padgett and Ansell's classic broker


def test_florentine_matches_networkx():
    G = build_graph(florentine_map())
    df = actor_metrics(G)
    n = len(G)
    for name, reference in [
        ("betweenness", nx.betweenness_centrality(G)),
        ("closeness", {v: c / (n - 1) for v, c in nx.harmonic_centrality(G).items()}),
        ("eigenvector", nx.eigenvector_centrality(G, max_iter=10000, tol=1e-12, weight="weight")),
        ("constraint", nx.constraint(G, weight="weight")),
        ("effective_size", nx.effective_size(G, weight="weight")),
        ("k_core", nx.core_number(G)),
        ("degree", dict(G.degree())),
    ]:
        assert df[name].to_dict() == pytest.approx(reference, abs=1e-9), name
    pagerank_python = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")._pagerank_python
    assert df["pagerank"].to_dict() == pytest.approx(pagerank_python(G, tol=1e-13, max_iter=1000), abs=1e-9)
    assert set(df.index[df["is_cut_vertex"]]) == set(nx.articulation_points(G))


# --------------------------------------------------------------------------- sampling and igraph


def test_sampled_betweenness_is_stated_and_reproducible():
    G = build_graph(florentine_map())
    exact = actor_metrics(G)
    assert exact.attrs["betweenness_sample"] is None and exact.attrs["closeness_sample"] is None
    first = actor_metrics(G, sample=6, seed=3)
    again = actor_metrics(G, sample=6, seed=3)
    assert first.attrs["betweenness_sample"] == 6 and first.attrs["seed"] == 3
    pd.testing.assert_frame_equal(first, again)
    reference = nx.betweenness_centrality(G, k=6, seed=3)
    assert first["betweenness"].to_dict() == pytest.approx(reference)
    assert first["closeness"].between(0, 1).all()
    # A sample as large as the network is the exact computation.
    full = actor_metrics(G, sample=100)
    assert full.attrs["betweenness_sample"] is None
    pd.testing.assert_series_equal(full["betweenness"], exact["betweenness"])


def test_sampled_closeness_is_the_mean_over_sources():
    G = nx.path_graph(["a", "b", "c", "d", "e"])
    df = actor_metrics(G, sample=2, seed=1)
    sources = sampling.sample_sources(list(G), 2, False, 1)
    for v in G:
        others = [s for s in sources if s != v]
        lengths = nx.single_source_shortest_path_length(G, v)
        expected = sum(1 / lengths[s] for s in others) / len(others)
        assert df.loc[v, "closeness"] == pytest.approx(expected)


def test_large_network_defaults_to_sampling(monkeypatch):
    monkeypatch.setattr(sampling, "EXACT_MAX_NODES", 10)
    monkeypatch.setattr(sampling, "DEFAULT_SAMPLE", 5)
    G = build_graph(florentine_map())
    df = actor_metrics(G)
    # betweenness is estimated with a stated bound, closeness from the 5 sampled actors
    assert df.attrs["betweenness_sample"] is None and df.attrs["closeness_sample"] == 5
    assert df.attrs["betweenness_estimate"] == {"method": "pair-sampling", "epsilon": 0.005, "delta": 0.1,
                                                "samples": df.attrs["betweenness_estimate"]["samples"], "seed": 42}
    exact = nx.betweenness_centrality(G)
    assert max(abs(df.loc[v, "betweenness"] - exact[v]) for v in G) <= 0.005
    s = network_summary(G)
    assert s["paths_sampled"] == 5
    assert s["diameter"] == 5  # the 2-sweep bound finds the true diameter here
    assert 1 <= s["mean_path_length"] <= 5


def test_exact_is_exact_however_large(monkeypatch):
    monkeypatch.setattr(sampling, "EXACT_MAX_NODES", 10)
    G = build_graph(florentine_map())
    df = actor_metrics(G, exact=True)
    assert df.attrs["betweenness_sample"] is None
    assert df["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(G))
    s = network_summary(G, exact=True)
    assert s["paths_sampled"] is None
    largest = G.subgraph(max(nx.connected_components(G), key=len))
    assert s["mean_path_length"] == pytest.approx(nx.average_shortest_path_length(largest))
    assert s["diameter"] == nx.diameter(largest)


@pytest.mark.parametrize("sample", [0, 1, -3])
def test_a_sample_below_two_actors_is_refused(sample):
    G = build_graph(florentine_map())
    message = f"sample must be at least 2 actors (got {sample}); use exact=True to measure exactly"
    for measure in (actor_metrics, network_summary):
        with pytest.raises(AnalysisError) as raised:
            measure(G, sample=sample)
        assert str(raised.value) == message
    with pytest.raises(AnalysisError) as raised:
        analyse(florentine_map(), None, sample=sample)
    assert str(raised.value) == message


def test_sample_and_exact_together_are_refused():
    G = build_graph(florentine_map())
    for call in (lambda: actor_metrics(G, sample=5, exact=True), lambda: network_summary(G, sample=5, exact=True),
                 lambda: analyse(florentine_map(), None, sample=5, exact=True)):
        with pytest.raises(AnalysisError) as raised:
            call()
        assert str(raised.value) == "give sample or exact, not both"


def test_exact_and_a_sample_as_large_as_the_network_agree_with_the_default_on_small_maps():
    nmap = florentine_map()
    default, exact, full = (analyse(nmap, None, **kwargs) for kwargs in ({}, {"exact": True}, {"sample": 100}))
    for other in (exact, full):
        pd.testing.assert_frame_equal(other.actors, default.actors)
        assert other.summary == default.summary


def test_igraph_backend_matches_networkx():
    pytest.importorskip("igraph")
    G = nx.gnm_random_graph(40, 80, seed=11)
    G.add_nodes_from([100, 101])  # isolates
    for u, v in G.edges():
        G.edges[u, v]["weight"] = 1.0 + (u + v) % 3
    nx.set_node_attributes(G, {v: ["nhs", "vcse", ""][v % 3] for v in G}, "primary")
    reference = actor_metrics(G, backend="networkx")
    fast = actor_metrics(G, backend="igraph")
    assert fast.attrs["backend"] == "igraph"
    for column in ("betweenness", "closeness", "pagerank"):
        np.testing.assert_allclose(fast[column], reference[column], atol=1e-6, err_msg=column)
    assert (fast["k_core"] == reference["k_core"]).all()
    assert (fast["role"] == reference["role"]).all()
    sampled_reference = actor_metrics(G, sample=8, seed=5, backend="networkx")
    sampled_fast = actor_metrics(G, sample=8, seed=5, backend="igraph")
    for column in ("betweenness", "closeness"):
        np.testing.assert_allclose(sampled_fast[column], sampled_reference[column], atol=1e-9, err_msg=column)


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_eigenvector_of_larger_components_matches_networkx(monkeypatch, backend):
    if backend == "igraph":
        pytest.importorskip("igraph")
    monkeypatch.setattr(centrality, "_EIGEN_DENSE_MAX", 3)  # skip the dense solver
    G = build_graph(florentine_map())
    G.edges["Medici", "Ridolfi"]["weight"] = 3.0
    df = actor_metrics(G, backend=backend)
    reference = nx.eigenvector_centrality(G, max_iter=10000, tol=1e-12, weight="weight")
    assert df["eigenvector"].to_dict() == pytest.approx(reference, abs=1e-6)


def test_igraph_is_used_automatically_above_threshold(monkeypatch):
    pytest.importorskip("igraph")
    monkeypatch.setattr(backend, "IGRAPH_MIN_NODES", 5)
    monkeypatch.setattr(sampling, "EXACT_MAX_NODES", 5)
    monkeypatch.setattr(sampling, "DEFAULT_SAMPLE", 6)
    G = build_graph(florentine_map())
    df = actor_metrics(G, sample=None)
    assert df.attrs["backend"] == "igraph" and df.attrs["closeness_sample"] == 6
    assert df.attrs["betweenness_estimate"]["epsilon"] == 0.005
    with_igraph = network_summary(G)
    monkeypatch.setattr(backend, "IGRAPH_MIN_NODES", 10**9)
    assert actor_metrics(G).attrs["backend"] == "networkx"
    assert network_summary(G) == with_igraph
    assert with_igraph["paths_sampled"] == 6


# --------------------------------------------------------------------------- analyse


def test_analyse_bundles_everything():
    nmap = NetworkMap(
        "t",
        "T",
        actors=[
            Actor("trust", "Trust", ("nhs",)),
            Actor("council", "Council", ("council",)),
            Actor("mind", "Mind", ("vcse",)),
            Actor("church", "Church", ("faith",)),
            Actor("alone", "Alone"),
        ],
        ties=[Tie("council", "mind", "funds", directed=True)],
        spaces=[Space("board", "Board")],
        memberships=[Membership(a, "board") for a in ("trust", "council", "mind")],
    )
    result = analyse(nmap, FRAMEWORK, seed=1)
    assert isinstance(result, Analysis)
    assert result.graph.number_of_edges() == 3 and result.digraph.number_of_edges() == 1
    assert result.summary["reciprocity"] == 0.0
    assert list(result.actors.columns) == [*ACTOR_MEASURES, "community"]
    assert result.actors["community"].dtype == np.int64
    assert result.actors.loc["trust", "sector"] == "statutory"
    assert result.actors.loc["church", "role"] == "isolate"
    assert result.constituencies.loc["faith", "mean_degree"] == 0
    assert result.mixing_observed.to_numpy().sum() == 2 * 3  # three ties across groups, both halves
    assert result.blau == pytest.approx(0.8)
    assert result.ei == 1.0
    direct_only = analyse(nmap, FRAMEWORK, co_membership=False)
    assert direct_only.graph.number_of_edges() == 1


# --------------------------------------------------------------------------- property tests

GROUPS = ["nhs", "vcse", "council", "other_key"]


@st.composite
def graphs(draw) -> nx.Graph:
    n = draw(st.integers(1, 11))
    ids = [f"v{i}" for i in range(n)]
    constituencies = {v: draw(st.lists(st.sampled_from(GROUPS), max_size=2, unique=True)) for v in ids}
    pairs = list(combinations(ids, 2))
    edges = draw(st.lists(st.sampled_from(pairs), max_size=25, unique=True)) if pairs else []
    weights = draw(st.lists(st.sampled_from([1.0, 2.0, 0.5]), min_size=len(edges), max_size=len(edges)))
    spaces = draw(st.lists(st.lists(st.sampled_from(ids), max_size=4), max_size=2))
    nmap = NetworkMap(
        "p",
        "P",
        actors=[Actor(v, v, tuple(constituencies[v])) for v in ids],
        ties=[Tie(u, v, weight=w) for (u, v), w in zip(edges, weights, strict=True)],
        spaces=[Space(f"s{i}", "S") for i in range(len(spaces))],
        memberships=[Membership(a, f"s{i}") for i, members in enumerate(spaces) for a in members],
    )
    return build_graph(nmap, FRAMEWORK)


def brute_force_impact(G: nx.Graph, v) -> int:
    component = nx.node_connected_component(G, v)
    rest = G.subgraph(component - {v})
    parts = [len(c) for c in nx.connected_components(rest)]
    return len(component) - 1 - max(parts, default=0)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_actor_metric_invariants(G):
    df = actor_metrics(G)
    n = len(G)
    assert list(df.index) == list(G)
    assert df["closeness"].between(0, 1).all()
    assert df["reach_2"].between(0, 1).all()
    assert df["betweenness"].between(0, 1 + 1e-12).all()
    assert df["pagerank"].sum() == pytest.approx(1.0)
    assert set(df["role"]) <= set(ROLES)
    assert ((df["role"] == "isolate") == (df["degree"] == 0)).all()
    assert ((df["cut_vertex_impact"] > 0) == df["is_cut_vertex"]).all()
    assert set(df.index[df["is_cut_vertex"]]) == set(nx.articulation_points(G))
    for v in G:
        assert df.loc[v, "cut_vertex_impact"] == (brute_force_impact(G, v) if df.loc[v, "is_cut_vertex"] else 0)
        within_two = set(nx.single_source_shortest_path_length(G, v, cutoff=2)) - {v}
        assert df.loc[v, "reach_2"] == pytest.approx(len(within_two) / (n - 1) if n > 1 else 0.0)
        group = {u: G.nodes[u]["primary"] or UNCLASSIFIED for u in G}
        expected_brokerage = sum(1 for a, b in combinations(G[v], 2) if group[a] != group[b] and not G.has_edge(a, b))
        assert df.loc[v, "brokerage"] == expected_brokerage
    assert df["constraint"].to_dict() == pytest.approx(nx.constraint(G, weight="weight"), nan_ok=True)
    # nodes= keeps networkx on its per-node formula: its all-nodes sparse path divides by the
    # wrong axis on weighted graphs (networkx PR #8906).
    reference_size = nx.effective_size(G, nodes=list(G), weight="weight")
    assert df["effective_size"].to_dict() == pytest.approx(reference_size, nan_ok=True)
    assert df["k_core"].to_dict() == nx.core_number(G)
    assert df["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(G))
    assert df["strength"].to_dict() == pytest.approx(dict(G.degree(weight="weight")))
    largest = max(nx.connected_components(G), key=len)
    if len(largest) > 1:
        reference = nx.eigenvector_centrality(G.subgraph(largest), max_iter=100000, tol=1e-13, weight="weight")
        assert df.loc[list(reference), "eigenvector"].to_dict() == pytest.approx(reference, abs=1e-6)
    assert (df.loc[[v for v in G if v not in largest], "eigenvector"] == 0).all()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_group_measure_invariants(G):
    m = G.number_of_edges()
    observed, expected = mixing_matrix(G)
    upper = np.triu(np.ones(observed.shape, dtype=bool))
    assert observed.to_numpy()[upper].sum() == m
    assert (observed.to_numpy() == observed.to_numpy().T).all()
    assert expected.to_numpy()[upper].sum() == pytest.approx(m)
    c = constituency_metrics(G, FRAMEWORK)
    assert c["primary_share"].sum() == pytest.approx(1.0)
    assert c["voice"].sum() == pytest.approx(1.0)
    assert c["betweenness_share"].sum() == pytest.approx(1.0) or (c["betweenness_share"] == 0).all()
    assert c["primary_count"].sum() == len(G)
    assert ((c["count"] >= c["primary_count"]) | (c.index == UNCLASSIFIED)).all()
    assert c["ei_index"].dropna().between(-1, 1).all()
    blau = blau_heterogeneity(G)
    assert 0 <= blau < 1
    ei = ei_index(G)
    assert math.isnan(ei) if m == 0 else -1 <= ei <= 1
    parts = detect_communities(G)
    assert set(parts) == set(G)
    sizes = pd.Series(parts).value_counts().sort_index()
    assert list(sizes.index) == list(range(len(sizes)))
    assert sizes.is_monotonic_decreasing
    s = network_summary(G)
    assert s["actors"] == len(G) and s["ties"] == m
    assert 0 <= s["degree_centralisation"] <= 1


def test_estimate_note_names_only_what_was_sampled():
    # 60 actors: a path of 30 and 30 isolates. 40 sources sample the actors, but the largest
    # component has 30 actors, so its path lengths are exact.
    actors = [Actor(f"a{i}", f"A{i}") for i in range(60)]
    ties = [Tie(f"a{i}", f"a{i + 1}") for i in range(29)]
    result = analyse(NetworkMap("m", "M", actors=actors, ties=ties), None, sample=40)
    assert result.summary["paths_sampled"] is None
    assert result.estimate_note() == ("Betweenness and closeness were estimated from 40 sampled actors (seed 42); "
                                      "path lengths are exact.")
    assert analyse(NetworkMap("m", "M", actors=actors, ties=ties), None).estimate_note() == ""


# --------------------------------------------------------------------------- the three counts of ties


def test_tie_counts_split_direct_ties_from_shared_spaces():
    nmap = NetworkMap(
        "t", "T", actors=[Actor(x, x.upper()) for x in "abcde"],
        # a-b twice (two types, both directions) is one direct tie; a tie to itself is none
        ties=[Tie("a", "b", "partnership"), Tie("b", "a", "funds", directed=True), Tie("c", "d"), Tie("e", "e")],
        spaces=[Space("s", "Forum"), Space("t", "Board")],
        # the forum seats a, b, c (pairs a-b, a-c, b-c); the board c, d (c-d, already tied directly)
        memberships=[Membership(x, "s") for x in "abc"] + [Membership(x, "t") for x in "cd"])
    s = network_summary(build_graph(nmap), build_digraph(nmap))
    assert {k: s[k] for k in ("direct_ties", "shared_space_ties", "tied_pairs", "ties")} == {
        "direct_ties": 2, "shared_space_ties": 2, "tied_pairs": 4, "ties": 4}  # direct a-b, c-d; spaces a-c, b-c
    plain = network_summary(nx.path_graph(4))  # a graph without netmap's edge attributes: every edge is direct
    assert (plain["direct_ties"], plain["shared_space_ties"], plain["tied_pairs"]) == (3, 0, 3)


def test_analyse_text_says_n_a_and_singular_counts():
    from netmap.render.text import analysis_text
    from netmap.result import Result

    def text_of(nmap: NetworkMap) -> str:
        return analysis_text(Result(nmap, FRAMEWORK, analyse(nmap, FRAMEWORK), []))

    nmap = NetworkMap("t", "T", actors=[Actor("a", "A", ("nhs",)), Actor("b", "B", ("vcse", "nhs"))])
    text = text_of(nmap)
    assert "2 actors; 0 direct ties, 0 ties through shared spaces, 0 tied pairs in all\n" in text
    assert "Density 0.000, 2 components (largest 1), 2 isolates\n" in text
    assert "reciprocity n/a\nBlau heterogeneity 0.500, E-I index n/a\n" in text
    assert "NaN" not in text and "nan" not in text
    assert "(n/a: the E-I index needs ties of actors whose main constituency it is)" in text
    one = text_of(NetworkMap("o", "O", actors=[Actor("a", "A")]))
    assert "1 actor; 0 direct ties" in one and "1 component (largest 1), 1 isolate\n" in one
