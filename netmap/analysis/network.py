"""Whole-network measures: size, density, components, reciprocity, centralisation, path lengths, clustering.

>>> s = network_summary(nx.path_graph(4))
>>> s["actors"], s["tied_pairs"], s["diameter"], s["paths_sampled"]
(4, 3, 3, None)
"""

from __future__ import annotations

from itertools import repeat

import networkx as nx
import numpy as np

from netmap.analysis.backend import GraphArrays, distance_rows, use_igraph
from netmap.analysis.estimate import distance_sums, last_reached, search_pattern, shared_distance_sums
from netmap.analysis.sampling import check_sampling, sample_size, sample_sources
from netmap.graph import EDGE_ARRAYS

__all__ = ["direct_tie_rows", "network_summary", "tie_counts"]


def direct_tie_rows(edge: dict) -> int:
    """How many direct ties (rows of ``ties.csv``) a merged edge of :func:`netmap.graph.build_graph` holds.

    Each shared space adds one to the edge's ``ties`` and one id to its
    ``spaces``; the rest are direct ties. An edge without these attributes (a
    plain networkx graph) is one direct tie.

    >>> direct_tie_rows({"ties": 3, "spaces": ["s1", "s2"]}), direct_tie_rows({})
    (1, 1)
    """
    return int(edge.get("ties", 1)) - len(edge.get("spaces", ()))


def tie_counts(G: nx.Graph) -> dict[str, int]:
    """The three counts of ties every output states, for a graph of :func:`netmap.graph.build_graph`.

    ``direct_ties``: pairs of actors with at least one direct tie between them
    (two rows for one pair, in either direction or of two types, count once);
    ``shared_space_ties``: pairs that only sit in the same space(s);
    ``tied_pairs``: both together, the edges of ``G`` (the pairs every measure
    counts). Ties to unknown actors and ties of an actor to itself are not in
    ``G``, so not counted.

    >>> G = nx.Graph([("a", "b", {"ties": 2, "spaces": []}), ("b", "c", {"ties": 2, "spaces": ["s"]}),
    ...               ("a", "c", {"ties": 1, "spaces": ["s"]})])
    >>> tie_counts(G)
    {'direct_ties': 2, 'shared_space_ties': 1, 'tied_pairs': 3}
    """
    pairs = G.number_of_edges()
    built = getattr(G, "__networkx_cache__", {}).get(EDGE_ARRAYS)  # build_graph's edge dicts: no pass over G
    datas = built[3] if built is not None and built[0] == len(G) and len(built[3]) == pairs else None
    if datas is None:
        direct = sum(1 for *_, d in G.edges(data=True) if direct_tie_rows(d) > 0)
    else:
        ties = np.fromiter(map(dict.get, datas, repeat("ties"), repeat(1)), dtype=np.int64, count=pairs)
        spaces = np.fromiter(map(len, map(dict.get, datas, repeat("spaces"), repeat(()))), dtype=np.int64,
                             count=pairs)
        direct = int(np.count_nonzero(ties - spaces > 0))
    return {"direct_ties": direct, "shared_space_ties": pairs - direct, "tied_pairs": pairs}


def network_summary(
    G: nx.Graph, D: nx.DiGraph | None = None, *, seed: int = 42, sample: int | None = None, exact: bool = False,
    arrays: GraphArrays | None = None,
) -> dict:
    """Whole-network measures of an undirected graph ``G`` (and its directed ties ``D``).

    Returns a dict with

    * ``actors``, ``density``;
    * ``direct_ties``, ``shared_space_ties`` and ``tied_pairs`` (:func:`tie_counts`);
      ``ties``, kept for scripts written for netmap 0.1, equals ``tied_pairs``;
    * ``components`` (connected components, isolates included),
      ``largest_component`` (its number of actors), ``isolates``;
    * ``reciprocity``: share of the directed arcs of ``D`` (arcs whose
      ``directed`` attribute is true; all arcs of a plain DiGraph) whose reverse
      arc exists in ``D``, from a directed tie back or an undirected tie (which
      :func:`netmap.graph.build_digraph` adds both ways). None when ``D`` is
      None or has no directed arcs;
    * ``degree_centralisation``: Freeman's, sum(max degree - degree_i) /
      ((n-1)(n-2)): 1 for a star, 0 for a regular graph and for n < 3;
    * ``diameter`` and ``mean_path_length`` of the largest component (0 when it
      has one actor);
    * ``average_clustering`` (mean local clustering, isolates counting 0) and
      ``transitivity`` (share of closed triads);
    * ``paths_sampled``: None when path lengths are exact, else the number of
      sampled source actors: ``sample`` and ``exact`` follow the rule of
      :mod:`netmap.analysis.sampling`, applied to the largest component (by
      default :data:`~netmap.analysis.sampling.DEFAULT_SAMPLE` sources above
      :data:`~netmap.analysis.sampling.EXACT_MAX_NODES` actors). The diameter
      is then a lower bound: the longest distance from a sampled actor, or
      from the actor farthest from one (igraph), or networkx's 2-sweep
      estimate.

    >>> network_summary(nx.star_graph(4))["degree_centralisation"]
    1.0
    >>> s = network_summary(nx.path_graph(4))
    >>> s["diameter"], round(s["mean_path_length"], 4), s["components"]
    (3, 1.6667, 1)

    Complexity: O(n m) for exact path lengths (one BFS per actor of the largest
    component), O(k m) when sampled; clustering O(sum of squared degrees).
    """
    check_sampling(sample, exact)
    arrays = arrays if arrays is not None else GraphArrays(G)
    n = G.number_of_nodes()
    labels = arrays.components() if n else np.zeros(0, dtype=np.int64)
    sizes = np.bincount(labels) if n else np.zeros(0, dtype=np.int64)
    largest = arrays.largest_component()
    diameter, mean_path, sampled = _path_lengths(G, arrays, largest, sample, exact, seed)
    return {
        "actors": n,
        **tie_counts(G),
        "ties": G.number_of_edges(),
        "density": float(nx.density(G)) if n > 1 else 0.0,
        "components": len(sizes),
        "largest_component": len(largest),
        "isolates": nx.number_of_isolates(G),
        "reciprocity": _reciprocity(D),
        "degree_centralisation": _degree_centralisation(G),
        "diameter": int(diameter),
        "mean_path_length": float(mean_path),
        **_clustering(G, arrays),
        "paths_sampled": sampled,
    }


def _degree_centralisation(G: nx.Graph) -> float:
    """Freeman's degree centralisation (0 for fewer than 3 actors)."""
    n = G.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in G.degree()]
    top = max(degrees)
    return float(sum(top - d for d in degrees) / ((n - 1) * (n - 2)))


def _reciprocity(D: nx.DiGraph | None) -> float | None:
    """Share of the directed arcs of ``D`` whose reverse arc exists (None without directed arcs)."""
    if D is None:
        return None
    arcs = [(u, v) for u, v, directed in D.edges(data="directed", default=True) if directed]
    return sum(D.has_edge(v, u) for u, v in arcs) / len(arcs) if arcs else None


def _path_lengths(
    G: nx.Graph, arrays: GraphArrays, largest: np.ndarray, sample: int | None, exact: bool, seed: int
) -> tuple[int, float, int | None]:
    """(diameter, mean path length, number of sampled sources or None) of the largest component."""
    if len(largest) < 2:
        return 0, 0.0, None
    nodes = [arrays.nodes[k] for k in largest]  # in the graph's order, so a seeded sample is reproducible
    everyone = sample_sources(arrays.nodes, sample, exact, seed)  # the actors closeness is estimated from
    if everyone is not None and sample_size(len(nodes), sample, exact) is not None and use_igraph(len(nodes)):
        # breadth-first searches in compiled code, every core: from the closeness sample's actors in the largest
        # component, a uniform sample of it (one search serves both measures), all of them searched once
        every_start = np.array([arrays.index[v] for v in everyone], dtype=np.int64)
        found = shared_distance_sums(arrays, every_start)
        inside = np.isin(every_start, largest)
        if inside.sum() >= 2:
            farthest = found["farthest"][inside]
            best = int(np.argmax(farthest))
            diameter = max(int(farthest[best]), _sweep(arrays, int(every_start[inside][best])))
            mean = float(found["total"][inside].sum()) / (int(inside.sum()) * (len(nodes) - 1))
            return diameter, mean, int(inside.sum())
    drawn = sample_sources(nodes, sample, exact, seed)
    sampled = None if drawn is None else len(drawn)
    sources = nodes if drawn is None else drawn
    if sampled is not None and use_igraph(len(nodes)):  # breadth-first searches in compiled code, every core
        starts = np.array([arrays.index[v] for v in sources], dtype=np.int64)
        found = distance_sums(arrays.n, arrays.i, arrays.j, starts, pattern=search_pattern(arrays))
        best = int(np.argmax(found["farthest"]))
        diameter = max(int(found["farthest"][best]), _sweep(arrays, int(starts[best])))
        return diameter, float(found["total"].sum()) / (len(sources) * (len(nodes) - 1)), sampled
    H, g = None, None
    if use_igraph(len(nodes)):
        # induced_subgraph keeps the vertices in their order in G, the order of ``nodes``
        g = arrays.igraph if len(nodes) == arrays.n else arrays.igraph.induced_subgraph(largest.tolist())
    else:
        H = G.subgraph(nodes).copy()  # a copy: a breadth-first search over a subgraph view is slow
    if g is not None and sampled is None:
        # all-pairs in C: the same numbers as the BFS loop below, many times faster
        hist = g.path_length_hist(directed=False)
        bins = [(int(start), count) for start, _, count in hist.bins() if count]
        return max(d for d, _ in bins), sum(d * c for d, c in bins) / sum(c for _, c in bins), None
    total, pairs = 0.0, 0
    farthest, far_node = -1.0, 0
    for _, row in distance_rows(H, nodes, sources, g):
        if row.max() > farthest:
            farthest, far_node = float(row.max()), int(row.argmax())
        total += float(row.sum())
        pairs += len(nodes) - 1
    diameter = int(farthest)
    if sampled is not None:
        # a lower bound: the sample's best, and a second sweep from the farthest actor it found
        if g is not None:
            sweep = int(max(g.eccentricity(vertices=[far_node])))
        else:
            sweep = nx.approximation.diameter(H, seed=seed)
        diameter = max(diameter, sweep)
    return diameter, total / pairs, sampled


def _sweep(arrays: GraphArrays, start: int) -> int:
    """The second sweep of the diameter's lower bound: the eccentricity of the actor a plain breadth-first
    search from ``start`` (the sample's farthest-seeing actor) reaches last."""
    far = last_reached(arrays, start)
    return int(distance_sums(arrays.n, arrays.i, arrays.j, np.array([far]), pattern=search_pattern(arrays))
               ["farthest"][0])


def _clustering(G: nx.Graph, arrays: GraphArrays) -> dict[str, float]:
    """Average local clustering (isolates count 0) and transitivity, in igraph on large graphs."""
    if G.number_of_nodes() == 0:
        return {"average_clustering": 0.0, "transitivity": 0.0}
    if use_igraph(G.number_of_nodes()):
        g = arrays.igraph
        return {"average_clustering": float(g.transitivity_avglocal_undirected(mode="zero")),
                "transitivity": float(g.transitivity_undirected(mode="zero"))}
    return {"average_clustering": float(nx.average_clustering(G)), "transitivity": float(nx.transitivity(G))}
