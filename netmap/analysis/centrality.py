"""Centrality of actors: degree, betweenness, closeness, PageRank, eigenvector, k-core, and the actor table.

:func:`actor_metrics` puts every measure of an actor in one row: the
centralities computed here and the brokerage and fragility measures of
:mod:`netmap.analysis.structure`. Betweenness and closeness treat ties as
unweighted (a stronger tie is not a shorter path); strength, PageRank,
eigenvector centrality and Burt's measures use the tie ``weight``. Large
networks are measured with igraph (:mod:`netmap.analysis.backend`) and, by
the rule of :mod:`netmap.analysis.sampling`, from sampled actors.

>>> G = nx.path_graph(["a", "b", "c"])
>>> actor_metrics(G)["role"].to_dict()
{'a': 'peripheral', 'b': 'broker', 'c': 'peripheral'}
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from netmap.analysis.backend import GraphArrays, distance_rows, use_igraph
from netmap.analysis.estimate import estimate_betweenness, shared_distance_sums
from netmap.analysis.sampling import betweenness_epsilon, check_sampling, sample_sources
from netmap.analysis.structure import roles, structure_measures
from netmap.memory import collector_paused

if TYPE_CHECKING:
    import igraph

__all__ = ["ACTOR_MEASURES", "actor_metrics"]

#: Columns of :func:`actor_metrics`, in order.
ACTOR_MEASURES: tuple[str, ...] = (
    "name", "primary", "sector", "locality", "degree", "strength", "betweenness", "closeness",
    "pagerank", "eigenvector", "constraint", "effective_size", "k_core", "reach_2",
    "is_cut_vertex", "cut_vertex_impact", "brokerage", "role",
)  # fmt: skip

_PAGERANK_ALPHA = 0.85
#: Per-actor tolerance of PageRank: the iteration stops once the scores change by less than n * 1e-15 in
#: all, so they are within about 1e-12 of the exact solution on any map.
_PAGERANK_TOL = 1e-15
_EIGEN_DENSE_MAX = 400


def _pagerank(arrays: GraphArrays, alpha: float = _PAGERANK_ALPHA, tol: float = _PAGERANK_TOL) -> np.ndarray:
    """Weighted PageRank by power iteration with numpy, with the semantics of :func:`networkx.pagerank`.

    Dangling actors (isolates) spread their score evenly; stops when the L1
    change is below ``n * tol`` (at most 1000 iterations; never raises).
    """
    n = arrays.n
    if n == 0:
        return np.zeros(0)
    i, j, w = arrays.i, arrays.j, arrays.w
    src_a, dst_a, w_a = np.concatenate([i, j]), np.concatenate([j, i]), np.concatenate([w, w])
    out = np.bincount(src_a, weights=w_a, minlength=n)
    dangling = out == 0
    share = np.divide(w_a, out[src_a], out=np.zeros_like(w_a), where=out[src_a] > 0)
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        y = alpha * np.bincount(dst_a, weights=x[src_a] * share, minlength=n)
        y += (alpha * x[dangling].sum() + (1 - alpha)) / n
        err = np.abs(y - x).sum()
        x = y
        if err < n * tol:
            break
    return x / x.sum()


def _eigenvector(arrays: GraphArrays, with_igraph: bool = False) -> np.ndarray:
    """Weighted eigenvector centrality on the largest component, 0 elsewhere.

    Unit Euclidean norm over the largest component, as networkx. Dense
    ``numpy.linalg.eigh`` up to :data:`_EIGEN_DENSE_MAX` actors; above that
    igraph's ARPACK solver when ``with_igraph``, else power iteration on A + I
    (networkx's scheme; at most 10000 iterations, never raises).
    """
    result = np.zeros(arrays.n)
    sub = arrays.largest_component()
    k = len(sub)
    if k < 2:
        return result
    inside = np.zeros(arrays.n, dtype=bool)
    inside[sub] = True
    position = np.full(arrays.n, -1, dtype=np.int64)
    position[sub] = np.arange(k)
    keep = inside[arrays.i] & inside[arrays.j]
    a, b, w = position[arrays.i[keep]], position[arrays.j[keep]], arrays.w[keep]
    if k <= _EIGEN_DENSE_MAX:
        A = np.zeros((k, k))
        np.add.at(A, (a, b), w)
        np.add.at(A, (b, a), w)
        _, vectors = np.linalg.eigh(A)
        x = np.abs(vectors[:, -1])
    elif with_igraph:
        import igraph

        sub_graph = arrays.igraph.induced_subgraph(sub.tolist())  # keeps the vertices in order
        # ARPACK starts from random numbers drawn from Python's random module: a private generator with a fixed
        # seed makes the last digits repeat from one run to the next
        igraph.set_random_number_generator(random.Random(0))
        try:
            x = np.array(sub_graph.eigenvector_centrality(scale=True, weights="weight"))
        finally:
            igraph.set_random_number_generator(random)
    else:
        src, dst, weights = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([w, w])
        x = np.full(k, 1.0 / k)
        for _ in range(10000):
            y = x + np.bincount(dst, weights=x[src] * weights, minlength=k)
            y /= np.linalg.norm(y)
            err = np.abs(y - x).sum()
            x = y
            if err < k * 1e-13:
                break
    result[sub] = x / np.linalg.norm(x)
    return result


def _sampled_closeness(G: nx.Graph, nodes: list, sources: list, arrays: GraphArrays | None) -> np.ndarray:
    """Harmonic closeness estimated as the mean of 1/d(s, v) over sampled sources s != v.

    Breadth-first searches in compiled code when ``arrays`` are given, else in networkx.
    """
    n = len(nodes)
    count = np.full(n, float(len(sources)))
    if arrays is not None:
        starts = np.array([arrays.index[s] for s in sources], dtype=np.int64)
        total = shared_distance_sums(arrays, starts)["harmonic"]
        count[starts] -= 1
        return np.divide(total, count, out=np.zeros(n), where=count > 0)
    total = np.zeros(n)
    for s, row in distance_rows(G, nodes, sources):
        with np.errstate(divide="ignore"):
            inverse = np.where(row > 0, 1.0 / row, 0.0)
        total += inverse
        count[s] -= 1
    return np.divide(total, count, out=np.zeros(n), where=count > 0)


def _path_centrality(
    G: nx.Graph, arrays: GraphArrays, sources: list | None, seed: int, g: igraph.Graph | None, estimate: bool
) -> tuple[np.ndarray, np.ndarray, dict | None]:
    """Normalised betweenness and closeness, exact (``sources`` None) or from the sampled ``sources``.

    With ``estimate``, betweenness comes from :func:`~netmap.analysis.estimate.estimate_betweenness`
    (its guarantee is the third value) and closeness from ``sources``. In igraph when ``g`` is
    given, else in networkx; both give the same numbers.
    """
    nodes = arrays.nodes
    n = len(nodes)
    if g is None:
        if sources is None:
            bc = nx.betweenness_centrality(G, normalized=True)
            # every actor as a source: networkx's harmonic_centrality sums over a set, in an order
            # (and so to a last digit) that changes with PYTHONHASHSEED; this sums in map order
            closeness = _sampled_closeness(G, nodes, nodes, None)
        else:
            bc = nx.betweenness_centrality(G, k=len(sources), normalized=True, seed=seed)
            closeness = _sampled_closeness(G, nodes, sources, None)
        return np.array([bc[v] for v in nodes], dtype=float), np.asarray(closeness, dtype=float), None
    if sources is None:
        raw = np.array(g.betweenness(directed=False))
        betweenness = raw * 2 / ((n - 1) * (n - 2)) if n > 2 else np.zeros(n)
        closeness = np.array(g.harmonic_centrality(normalized=True)) if n > 1 else np.zeros(n)
        return betweenness, closeness, None
    closeness = _sampled_closeness(G, nodes, sources, arrays)
    if estimate:
        betweenness, info = estimate_betweenness(n, arrays.i, arrays.j, epsilon=betweenness_epsilon(n), seed=seed)
        return betweenness, closeness, info
    src = [arrays.index[s] for s in sources]
    # igraph counts each undirected path once; networkx counts it from both ends.
    raw = 2 * np.array(g.betweenness(directed=False, sources=src))
    k = len(src)
    scale = np.full(n, 1 / (k * (n - 2)))
    scale[src] = 1 / ((k - 1) * (n - 2))
    return raw * scale, closeness, None


def _pagerank_and_cores(G: nx.Graph, arrays: GraphArrays, g: igraph.Graph | None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted PageRank (numpy) and core numbers (igraph when ``g`` is given, else networkx).

    PageRank is iterated to :data:`_PAGERANK_TOL`, within about 1e-12 of an exact solve:
    igraph's solver (PRPACK) changes the last digits from one run to the next, and a rerun of the
    same map must give the same numbers (about 0.9 s at 100,000 actors and a million ties).
    """
    pagerank = _pagerank(arrays)
    if g is not None:
        return pagerank, np.array(g.coreness(), dtype=np.int64)
    core = nx.core_number(G)
    return pagerank, np.array([core[v] for v in arrays.nodes], dtype=np.int64)


def _node_columns(G: nx.Graph, nodes: list) -> dict[str, list[str]]:
    """The ``name``, ``primary``, ``sector`` and ``locality`` columns, from the node attributes."""
    attributes = [G._node[v] for v in nodes]  # each node's dict itself: faster than the G.nodes view
    return {
        "name": [str(a.get("name", v)) for a, v in zip(attributes, nodes, strict=True)],
        **{key: [str(a.get(key, "") or "") for a in attributes] for key in ("primary", "sector", "locality")},
    }


def actor_metrics(
    G: nx.Graph, *, sample: int | None = None, exact: bool = False, seed: int = 42, backend: str = "auto",
    arrays: GraphArrays | None = None,
) -> pd.DataFrame:
    """Centrality, brokerage and fragility of every actor, with a plain role label.

    One row per actor, indexed by actor id (index name ``id``), columns
    (:data:`ACTOR_MEASURES`):

    * ``name``, ``primary``, ``sector``, ``locality``: from the node attributes;
    * ``degree`` (number of partners) and ``strength`` (sum of tie weights);
    * ``betweenness``: normalised, unweighted (share of the shortest paths
      between other pairs that run through the actor);
    * ``closeness``: harmonic centrality divided by n - 1 (mean of 1/distance
      to every other actor; 0 for isolates, 1 for the centre of a star);
    * ``pagerank`` (weighted, damping 0.85, within about 1e-12 of exact; sums to 1) and
      ``eigenvector`` (weighted, unit norm over the largest component, 0
      elsewhere);
    * ``constraint`` and ``effective_size``: Burt's structural-hole measures,
      weighted, NaN for isolates;
    * ``k_core``: core number;
    * ``reach_2``: share of the other actors within two steps;
    * ``is_cut_vertex`` and ``cut_vertex_impact``: whether the actor's leaving
      splits its component, and how many actors then lose contact with the
      largest remaining part (component size - 1 - largest part; 0 for
      non-cut vertices);
    * ``brokerage``: pairs of partners in different primary constituencies
      (``unclassified`` counting as one) that are not tied to each other;
    * ``role``, tested in this order:

      - ``isolate``: no ties;
      - ``broker``: a cut vertex (its leaving cuts others off), whatever its degree;
      - ``hub``: degree >= 3, above the median degree and in the top decile
        (at least as high as the ceil(n/10)-th highest degree; in a network of
        10 or fewer actors that is the highest degree);
      - ``broker``: also betweenness > 0 in the top decile (same rank rule);
      - ``peripheral``: one tie, or closeness in the bottom quartile of the
        connected actors (at or below its 25th percentile and below its median,
        so a network where everyone is equally close has no periphery);
      - ``connected``: everyone else.

    Betweenness and closeness follow the rule of :mod:`netmap.analysis.sampling`:
    exact with ``exact``, or when ``sample`` is None and n <= ``EXACT_MAX_NODES``;
    otherwise estimated from ``k`` source actors drawn with ``seed`` (``k =
    sample``, default ``DEFAULT_SAMPLE``; exact when k >= n): betweenness as
    ``networkx.betweenness_centrality(G, k=k, seed=seed)``, closeness as the
    mean of 1/distance from the sampled sources. ``sample`` below 2, or both
    ``sample`` and ``exact``, raise :class:`~netmap.errors.AnalysisError`.
    ``df.attrs`` records ``betweenness_sample`` and ``closeness_sample`` (None
    when exact), ``seed`` and ``backend``.

    ``backend``: ``"auto"`` uses python-igraph above
    :data:`~netmap.analysis.backend.IGRAPH_MIN_NODES` actors (0: always);
    ``"networkx"`` or ``"igraph"`` force one (the same numbers to 1e-6).
    ``arrays``: ``G``'s :class:`~netmap.analysis.backend.GraphArrays`, if made.

    >>> df = actor_metrics(nx.star_graph(3))
    >>> columns = ["degree", "betweenness", "closeness", "constraint", "cut_vertex_impact", "role"]
    >>> df[columns]  # doctest: +NORMALIZE_WHITESPACE
        degree  betweenness  closeness  constraint  cut_vertex_impact        role
    id
    0        3          1.0   1.000000    0.333333                  2      broker
    1        1          0.0   0.666667    1.000000                  0  peripheral
    2        1          0.0   0.666667    1.000000                  0  peripheral
    3        1          0.0   0.666667    1.000000                  0  peripheral

    Complexity: exact betweenness and closeness O(n m); sampled O(k m).
    Constraint, effective size, reach and brokerage O(sum of squared degrees);
    the rest O(n + m) per iteration.
    """
    if backend not in ("auto", "networkx", "igraph"):
        raise ValueError(f"backend must be 'auto', 'networkx' or 'igraph', not {backend!r}")
    check_sampling(sample, exact)
    with collector_paused():  # no cycles are made here: a full collection would only walk the map's objects
        return _actor_metrics(G, sample, exact, seed, backend, arrays)


def _actor_metrics(G: nx.Graph, sample: int | None, exact: bool, seed: int, backend: str,
                   arrays: GraphArrays | None) -> pd.DataFrame:
    """:func:`actor_metrics`, its arguments checked."""
    arrays = arrays if arrays is not None else GraphArrays(G)
    nodes = arrays.nodes
    n = len(nodes)
    sources = sample_sources(nodes, sample, exact, seed)
    igraph_used = backend == "igraph" or (backend == "auto" and use_igraph(n))
    g = arrays.igraph if igraph_used and n else None
    estimate = sample is None and sources is not None  # the default rule chose to estimate
    betweenness, closeness, guarantee = _path_centrality(G, arrays, sources, seed, g, estimate and g is not None)
    pagerank, k_core = _pagerank_and_cores(G, arrays, g)
    degree = arrays.degree
    columns = {
        **_node_columns(G, nodes),
        "degree": degree,
        "strength": arrays.strength,
        "betweenness": betweenness,
        "closeness": closeness,
        "pagerank": pagerank,
        "eigenvector": _eigenvector(arrays, with_igraph=igraph_used),
        "k_core": k_core,
        **structure_measures(G, nodes, arrays),
    }
    columns["role"] = roles(degree, betweenness, closeness, columns["is_cut_vertex"])
    df = pd.DataFrame(columns, index=pd.Index(nodes, name="id"), columns=list(ACTOR_MEASURES))
    k = None if sources is None else len(sources)
    df.attrs.update(betweenness_sample=None if guarantee else k, closeness_sample=k, seed=seed,
                    backend="igraph" if igraph_used else "networkx", betweenness_estimate=guarantee)
    return df
