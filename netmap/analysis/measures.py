"""Network analyses of a map: graph in, plain data or a DataFrame out.

The functions take the graphs of :mod:`netmap.graph` (an undirected simple
graph whose nodes carry ``primary`` constituency and whose edges carry a
``weight``) and return dicts, floats or pandas DataFrames. Nothing here reads
or writes files or prints. :func:`analyse` runs them all on a map.

Conventions used throughout:

* An actor without a constituency (``primary == ""``) belongs to the group
  ``"unclassified"`` (:data:`UNCLASSIFIED`) wherever actors are grouped by
  constituency: mixing matrix, E-I index, Blau heterogeneity, brokerage.
* Betweenness and closeness treat ties as unweighted (a stronger tie is not a
  shorter path); strength, PageRank, eigenvector centrality and Burt's
  measures use the tie ``weight``.
* Results are deterministic for a fixed ``seed`` (sampling, Louvain).
* Only networkx, numpy and pandas are needed: PageRank and eigenvector
  centrality are computed with numpy here because networkx's own
  ``pagerank`` and ``eigenvector_centrality_numpy`` need scipy.
  python-igraph, when installed, speeds up large networks.

>>> from netmap.model import Actor, NetworkMap, Tie
>>> nmap = NetworkMap("demo", "Demo",
...     actors=[Actor(x, x.upper(), ("vcse",)) for x in "abc"] + [Actor("d", "D", ("nhs",))],
...     ties=[Tie("a", "b"), Tie("b", "c"), Tie("c", "d")])
>>> result = analyse(nmap, None)
>>> result.summary["actors"], result.summary["ties"], result.summary["diameter"]
(4, 3, 3)
>>> result.actors.loc["b", ["degree", "betweenness", "role"]]  # doctest: +NORMALIZE_WHITESPACE
degree                    2
betweenness        0.666667
role                 broker
Name: b, dtype: object
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from netmap.graph import build_digraph, build_graph
from netmap.model import Framework, NetworkMap

__all__ = [
    "ACTOR_COLUMNS",
    "CONSTITUENCY_COLUMNS",
    "DEFAULT_SAMPLE",
    "EXACT_MAX_NODES",
    "IGRAPH_MIN_NODES",
    "ROLES",
    "UNCLASSIFIED",
    "Analysis",
    "actor_metrics",
    "analyse",
    "blau_heterogeneity",
    "constituency_metrics",
    "detect_communities",
    "ei_index",
    "mixing_matrix",
    "network_summary",
]

#: Group name of actors without a constituency.
UNCLASSIFIED = "unclassified"

#: Role labels of :func:`actor_metrics`.
ROLES: tuple[str, ...] = ("hub", "broker", "peripheral", "connected", "isolate")

#: Largest graph (or largest component, for path lengths) measured exactly by default.
#: Betweenness, closeness and path lengths take one breadth-first search per
#: actor (O(n m)); above this size they are estimated from sampled sources.
EXACT_MAX_NODES = 2000

#: Number of sampled source actors used above :data:`EXACT_MAX_NODES`.
DEFAULT_SAMPLE = 500

#: Above this many actors, python-igraph (when installed) computes betweenness,
#: closeness, PageRank, k-cores and (above 400 actors) eigenvector centrality.
IGRAPH_MIN_NODES = 1000

#: Columns of :func:`actor_metrics`, in order.
ACTOR_COLUMNS: tuple[str, ...] = (
    "name", "primary", "sector", "locality", "degree", "strength", "betweenness", "closeness",
    "pagerank", "eigenvector", "constraint", "effective_size", "k_core", "reach_2",
    "is_cut_vertex", "cut_vertex_impact", "brokerage", "role",
)  # fmt: skip

#: Columns of :func:`constituency_metrics`, in order.
CONSTITUENCY_COLUMNS: tuple[str, ...] = (
    "label", "sector", "count", "primary_count", "share", "primary_share", "voice",
    "betweenness_share", "ei_index", "mean_degree",
)  # fmt: skip

_PAGERANK_ALPHA = 0.85
_PAGERANK_TOL = 1e-10
_EIGEN_DENSE_MAX = 400


# --------------------------------------------------------------------------- helpers


def _group(G: nx.Graph, v: Hashable, attribute: str = "primary") -> str:
    value = G.nodes[v].get(attribute)
    return str(value) if value not in (None, "") else UNCLASSIFIED


def _largest_component(G: nx.Graph) -> set:
    """Node set of the largest connected component (the first found on ties)."""
    return max(nx.connected_components(G), key=len) if len(G) else set()


def _igraph_available() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _edge_arrays(G: nx.Graph, nodes: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each tie among ``nodes`` once, as positions in ``nodes`` (i < j) and its weight (default 1).

    Self-ties are dropped. With ``nodes = list(G)`` the order is that of
    ``G.edges()``. Reads the graph's own dict of dicts, several times faster
    than ``G.edges(data="weight")`` on large maps.
    """
    index = {v: k for k, v in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    adjacency = G._adj
    for u, k in index.items():
        for v, data in adjacency[u].items():
            m = index.get(v)
            if m is not None and k < m:
                rows.append(k)
                cols.append(m)
                weights.append(data.get("weight", 1.0))
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(weights, dtype=float)


def _to_igraph(G: nx.Graph, nodes: list):
    import igraph

    i, j, w = _edge_arrays(G, nodes)
    g = igraph.Graph(n=len(nodes), edges=np.column_stack([i, j]).tolist())
    g.es["weight"] = w.tolist()
    return g


def _sample_size(n: int, sample: int | None) -> int | None:
    """How many sources to sample among ``n`` actors, or None for exact measures.

    ``sample`` None: exact up to :data:`EXACT_MAX_NODES` actors, else
    :data:`DEFAULT_SAMPLE`; 0: always exact; k >= 2: k sources (exact when k >= n).
    """
    if sample is None:
        if n <= EXACT_MAX_NODES:
            return None
        sample = DEFAULT_SAMPLE
    if sample == 0:
        return None
    k = max(2, int(sample))
    return None if k >= n else k


def _sample_sources(G: nx.Graph, sample: int | None, seed: int) -> list | None:
    """Sampled source actors, or None when measures are exact (see :func:`_sample_size`).

    Uses ``random.Random(seed).sample(list(G), k)``, the same draw networkx makes
    for ``betweenness_centrality(G, k=k, seed=seed)``.
    """
    k = _sample_size(len(G), sample)
    return None if k is None else random.Random(seed).sample(list(G), k)


def _distance_rows(G: nx.Graph, nodes: list, sources: list, g=None, chunk: int = 32):
    """Yield (source index, distances to every node as a float array, inf if unreachable)."""
    index = {v: i for i, v in enumerate(nodes)}
    if g is not None:
        for start in range(0, len(sources), chunk):
            part = [index[s] for s in sources[start : start + chunk]]
            rows = g.distances(source=part)
            for s, row in zip(part, rows, strict=True):
                yield s, np.asarray(row, dtype=float)
        return
    for s in sources:
        row = np.full(len(nodes), np.inf)
        for t, d in nx.single_source_shortest_path_length(G, s).items():
            row[index[t]] = d
        yield index[s], row


def _pagerank(G: nx.Graph, nodes: list, alpha: float = _PAGERANK_ALPHA, tol: float = _PAGERANK_TOL) -> np.ndarray:
    """Weighted PageRank by power iteration with numpy (networkx's semantics, no scipy).

    Dangling actors (isolates) spread their score evenly; stops when the L1
    change is below ``n * tol`` (at most 1000 iterations; never raises).
    """
    n = len(nodes)
    if n == 0:
        return np.zeros(0)
    i, j, w = _edge_arrays(G, nodes)
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


def _eigenvector(G: nx.Graph, nodes: list, use_igraph: bool = False) -> np.ndarray:
    """Weighted eigenvector centrality on the largest component, 0 elsewhere.

    Unit Euclidean norm over the largest component, as networkx. Dense
    ``numpy.linalg.eigh`` up to :data:`_EIGEN_DENSE_MAX` actors; above that
    igraph's ARPACK solver when ``use_igraph``, else power iteration on A + I
    (networkx's scheme; at most 10000 iterations, never raises).
    """
    result = np.zeros(len(nodes))
    comp = _largest_component(G)
    if len(comp) < 2:
        return result
    index = {v: i for i, v in enumerate(nodes)}
    sub = [v for v in nodes if v in comp]
    k = len(sub)
    edges = list(zip(*(a.tolist() for a in _edge_arrays(G, sub)), strict=True))
    if k <= _EIGEN_DENSE_MAX:
        A = np.zeros((k, k))
        for a, b, w in edges:
            A[a, b] += w
            A[b, a] += w
        _, vectors = np.linalg.eigh(A)
        x = np.abs(vectors[:, -1])
    elif use_igraph:
        import igraph

        g = igraph.Graph(n=k, edges=[(a, b) for a, b, _ in edges])
        x = np.array(g.eigenvector_centrality(scale=True, weights=[w for *_, w in edges]))
    else:
        src = np.array([a for a, _, _ in edges] + [b for _, b, _ in edges], dtype=np.int64)
        dst = np.array([b for _, b, _ in edges] + [a for a, _, _ in edges], dtype=np.int64)
        w = np.array([c for *_, c in edges] * 2)
        x = np.full(k, 1.0 / k)
        for _ in range(10000):
            y = x + np.bincount(dst, weights=x[src] * w, minlength=k)
            y /= np.linalg.norm(y)
            err = np.abs(y - x).sum()
            x = y
            if err < k * 1e-13:
                break
    x = x / np.linalg.norm(x)
    for v, value in zip(sub, x, strict=True):
        result[index[v]] = value
    return result


def _adjacency(G: nx.Graph, nodes: list) -> sparse.csr_array:
    """Symmetric weighted adjacency matrix (CSR, rows in ``nodes`` order, self-loops dropped)."""
    n = len(nodes)
    r, c, w = _edge_arrays(G, nodes)
    A = sparse.coo_array((np.concatenate([w, w]), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n))
    return A.tocsr()


def _masked_product(X: sparse.csr_array, Y: sparse.csr_array, mask: sparse.csr_array, rows: int = 2048):
    """(X @ Y) kept only where ``mask`` (a 0/1 pattern) is 1, a block of rows at a time to bound memory."""
    parts = []
    for start in range(0, X.shape[0], rows):
        block = slice(start, start + rows)
        parts.append((X[block] @ Y).multiply(mask[block]))
    return sparse.vstack(parts, format="csr") if parts else sparse.csr_array(X.shape)


def _burt(A: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size (weighted; NaN for isolates) from the adjacency matrix.

    Same definitions as :func:`networkx.constraint` and
    :func:`networkx.effective_size` with ``weight="weight"``. With ``P`` the
    tie weights divided by each actor's total, the indirect investment of v in
    a partner u is ``(P @ P)[v, u]``, so constraint is the row sum of
    ``(P + P @ P)**2`` over v's partners; the redundancy of v's partners is the
    row sum of ``P @ (A / max weight of each partner)`` over the same entries.
    Complexity: O(sum of squared degrees), in sparse matrix products.
    """
    n = A.shape[0]
    total = np.asarray(A.sum(axis=1)).ravel()
    top = A.max(axis=1).toarray().ravel() if n else np.zeros(0)
    tied = total > 0
    P = sparse.diags_array(np.divide(1.0, total, out=np.zeros(n), where=tied)) @ A
    tie = _pattern(A)  # a tie of weight 0 is still a tie, as in networkx
    indirect = _masked_product(P, P, tie)
    scaled = A @ sparse.diags_array(np.divide(1.0, top, out=np.zeros(n), where=top > 0))
    redundancy = np.asarray(_masked_product(P, scaled, tie).sum(axis=1)).ravel()
    constraint = np.asarray((P + indirect).power(2).sum(axis=1)).ravel()
    degree = np.diff(A.indptr)
    esize = degree - redundancy
    constraint[~tied] = np.nan
    esize[~tied] = np.nan
    return constraint, esize


def _cut_vertices(G: nx.Graph) -> dict:
    """Impact of each actor's leaving (0 for non-cut vertices), by one DFS (Hopcroft-Tarjan).

    For a cut vertex v of component C, removing v splits C - v into parts;
    impact = |C| - 1 - size of the largest part.
    """
    impact = dict.fromkeys(G, 0)
    disc: dict = {}
    low: dict = {}
    size: dict = {}
    counter = 0
    for root in G:
        if root in disc:
            continue
        separated: dict = defaultdict(list)  # v -> sizes of child subtrees cut off by removing v
        disc[root] = low[root] = counter
        counter += 1
        size[root] = 1
        stack = [(root, None, iter(G[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            for w in neighbours:
                if w in (parent, v):
                    continue
                if w in disc:
                    low[v] = min(low[v], disc[w])
                else:
                    disc[w] = low[w] = counter
                    counter += 1
                    size[w] = 1
                    stack.append((w, v, iter(G[w])))
                    break
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[v])
                    size[parent] += size[v]
                    if low[v] >= disc[parent]:
                        separated[parent].append(size[v])
        component = size[root]
        for v, parts in separated.items():
            if v == root:
                if len(parts) < 2:
                    continue
                pieces = parts
            else:
                pieces = [*parts, component - 1 - sum(parts)]
            impact[v] = component - 1 - max(pieces)
    return impact


def _pattern(A: sparse.csr_array) -> sparse.csr_array:
    """The 0/1 matrix of who is tied to whom."""
    B = A.copy()
    B.data = np.ones_like(B.data)
    return B


def _reach_2(A: sparse.csr_array) -> np.ndarray:
    """Share of the other actors within two steps (row counts of the pattern of A + A @ A)."""
    n = A.shape[0]
    if n < 2:
        return np.zeros(n)
    B = _pattern(A)
    counts = np.zeros(n)
    rows = 2048
    for start in range(0, n, rows):
        block = B[start : start + rows]
        within = (block @ B + block).tocsr()
        within.setdiag(0)  # never count the actor itself
        within.eliminate_zeros()
        counts[start : start + rows] = np.diff(within.indptr)
    return counts / (n - 1)


def _brokerage(G: nx.Graph, nodes: list, A: sparse.csr_array) -> np.ndarray:
    """Pairs of neighbours in different primary constituencies that are not tied to each other.

    Mixed pairs come from counts of partners per constituency; the tied ones
    around v are the cross-constituency ties among v's partners, half the row
    sum of ``(B @ X) * B`` where B is the tie pattern and X its cross ties.
    """
    n = len(nodes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes, _ = pd.factorize(pd.Index([_group(G, v) for v in nodes]))
    B = _pattern(A).tocoo()
    cross = codes[B.row] != codes[B.col]
    X = sparse.csr_array((np.ones(int(cross.sum())), (B.row[cross], B.col[cross])), shape=(n, n))
    B = B.tocsr()
    closed = np.asarray(_masked_product(B, X, B).sum(axis=1)).ravel() / 2
    membership = sparse.csr_array((np.ones(n), (np.arange(n), codes)), shape=(n, int(codes.max()) + 1))
    counts = (B @ membership).toarray()
    degree = np.diff(B.indptr).astype(float)
    mixed = degree * (degree - 1) / 2 - (counts * (counts - 1) / 2).sum(axis=1)
    return np.rint(mixed - closed).astype(np.int64)


def _top_threshold(values: np.ndarray, share: float) -> float:
    """Value of the ceil(share * n)-th largest entry: "top decile" includes ties."""
    ranked = np.sort(values)[::-1]
    return float(ranked[max(1, math.ceil(share * len(values))) - 1])


def _roles(degree: np.ndarray, betweenness: np.ndarray, closeness: np.ndarray, cut: np.ndarray) -> list[str]:
    n = len(degree)
    if n == 0:
        return []
    # Rounded so that ties stay ties whichever library computed the scores.
    betweenness = np.round(betweenness, 10)
    closeness = np.round(closeness, 10)
    hub_min = max(3.0, _top_threshold(degree, 0.1))
    hub = (degree >= hub_min) & (degree > np.median(degree))
    broker = ((betweenness >= _top_threshold(betweenness, 0.1)) & (betweenness > 0)) | cut
    connected = degree > 0
    low_closeness = np.zeros(n, dtype=bool)
    if connected.any():
        c = closeness[connected]
        low_closeness = (closeness <= np.percentile(c, 25)) & (closeness < np.median(c))
    peripheral = (degree == 1) | low_closeness
    roles = []
    for i in range(n):
        if degree[i] == 0:
            roles.append("isolate")
        elif hub[i]:
            roles.append("hub")
        elif broker[i]:
            roles.append("broker")
        elif peripheral[i]:
            roles.append("peripheral")
        else:
            roles.append("connected")
    return roles


# --------------------------------------------------------------------------- whole network


def network_summary(
    G: nx.Graph, D: nx.DiGraph | None = None, *, seed: int = 42, paths_sample: int | None = None
) -> dict:
    """Whole-network measures of an undirected graph ``G`` (and its directed ties ``D``).

    Returns a dict with

    * ``actors``, ``ties`` (edges of ``G``), ``density``;
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
      sampled source actors (``paths_sample``, with the rule of
      :func:`actor_metrics` applied to the largest component: None samples
      :data:`DEFAULT_SAMPLE` above :data:`EXACT_MAX_NODES` actors, 0 is always
      exact). The diameter is then a lower bound: the longest distance from a
      sampled actor, or from the actor farthest from one (igraph), or
      networkx's 2-sweep estimate.

    >>> network_summary(nx.star_graph(4))["degree_centralisation"]
    1.0
    >>> s = network_summary(nx.path_graph(4))
    >>> s["diameter"], round(s["mean_path_length"], 4), s["components"]
    (3, 1.6667, 1)

    Complexity: O(n m) for exact path lengths (one BFS per actor of the largest
    component), O(k m) when sampled; clustering O(sum of squared degrees).
    """
    n = G.number_of_nodes()
    m = G.number_of_edges()
    components = list(nx.connected_components(G))
    largest = max(components, key=len) if components else set()
    degrees = [d for _, d in G.degree()]
    if n >= 3:
        top = max(degrees)
        centralisation = sum(top - d for d in degrees) / ((n - 1) * (n - 2))
    else:
        centralisation = 0.0

    reciprocity = None
    if D is not None:
        arcs = [(u, v) for u, v, directed in D.edges(data="directed", default=True) if directed]
        if arcs:
            reciprocity = sum(D.has_edge(v, u) for u, v in arcs) / len(arcs)

    diameter, mean_path, sampled = 0, 0.0, None
    if len(largest) >= 2:
        nodes = [v for v in G if v in largest]  # in the graph's order, so a seeded sample is reproducible
        k = _sample_size(len(nodes), paths_sample)
        sources = nodes if k is None else random.Random(seed).sample(nodes, k)
        sampled = k
        H, g = None, None
        if len(nodes) > IGRAPH_MIN_NODES and _igraph_available():
            order = list(G)
            position = {v: i for i, v in enumerate(order)}
            # induced_subgraph keeps the vertices in their order in G, the order of ``nodes``
            g = _to_igraph(G, order).induced_subgraph([position[v] for v in nodes])
        else:
            H = G.subgraph(nodes).copy()  # a copy: a breadth-first search over a subgraph view is slow
        if g is not None and sampled is None:
            # all-pairs in C: the same numbers as the BFS loop below, many times faster
            hist = g.path_length_hist(directed=False)
            bins = [(int(start), count) for start, _, count in hist.bins() if count]
            mean_path = sum(d * c for d, c in bins) / sum(c for _, c in bins)
            diameter = max(d for d, _ in bins)
        else:
            total, pairs = 0.0, 0
            farthest, far_node = -1.0, 0
            for _, row in _distance_rows(H, nodes, sources, g):
                if row.max() > farthest:
                    farthest, far_node = float(row.max()), int(row.argmax())
                total += float(row.sum())
                pairs += len(nodes) - 1
            diameter = int(farthest)
            mean_path = total / pairs
            if sampled is not None:
                # a lower bound: the sample's best, and a second sweep from the farthest actor it found
                if g is not None:
                    sweep = int(max(g.eccentricity(vertices=[far_node])))
                else:
                    sweep = nx.approximation.diameter(H, seed=seed)
                diameter = max(diameter, sweep)

    return {
        "actors": n,
        "ties": m,
        "density": nx.density(G) if n > 1 else 0.0,
        "components": len(components),
        "largest_component": len(largest),
        "isolates": nx.number_of_isolates(G),
        "reciprocity": reciprocity,
        "degree_centralisation": float(centralisation),
        "diameter": int(diameter),
        "mean_path_length": float(mean_path),
        **_clustering(G),
        "paths_sampled": sampled,
    }


def _clustering(G: nx.Graph) -> dict[str, float]:
    """Average local clustering (isolates count 0) and transitivity, in igraph on large graphs."""
    if G.number_of_nodes() == 0:
        return {"average_clustering": 0.0, "transitivity": 0.0}
    if G.number_of_nodes() > IGRAPH_MIN_NODES and _igraph_available():
        g = _to_igraph(G, list(G))
        return {"average_clustering": float(g.transitivity_avglocal_undirected(mode="zero")),
                "transitivity": float(g.transitivity_undirected(mode="zero"))}
    return {"average_clustering": float(nx.average_clustering(G)), "transitivity": float(nx.transitivity(G))}


# --------------------------------------------------------------------------- actors


def actor_metrics(
    G: nx.Graph, *, betweenness_sample: int | None = None, seed: int = 42, backend: str = "auto"
) -> pd.DataFrame:
    """Centrality, brokerage and fragility of every actor, with a plain role label.

    One row per actor, indexed by actor id (index name ``id``), columns
    (:data:`ACTOR_COLUMNS`):

    * ``name``, ``primary``, ``sector``, ``locality``: from the node attributes;
    * ``degree`` (number of partners) and ``strength`` (sum of tie weights);
    * ``betweenness``: normalised, unweighted (share of the shortest paths
      between other pairs that run through the actor);
    * ``closeness``: harmonic centrality divided by n - 1 (mean of 1/distance
      to every other actor; 0 for isolates, 1 for the centre of a star);
    * ``pagerank`` (weighted, damping 0.85, tol 1e-10; sums to 1) and
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
      - ``hub``: degree >= 3, above the median degree and in the top decile
        (at least as high as the ceil(n/10)-th highest degree; in a network of
        10 or fewer actors that is the highest degree);
      - ``broker``: cut vertex, or betweenness > 0 in the top decile (same rank rule);
      - ``peripheral``: one tie, or closeness in the bottom quartile of the
        connected actors (at or below its 25th percentile and below its median,
        so a network where everyone is equally close has no periphery);
      - ``connected``: everyone else.

    Betweenness and closeness are exact when ``betweenness_sample`` is 0, or
    None and n <= :data:`EXACT_MAX_NODES`. Otherwise both are estimated from
    ``k`` source actors drawn with ``seed`` (``k = betweenness_sample``, default
    :data:`DEFAULT_SAMPLE`; exact when k >= n): betweenness as
    ``networkx.betweenness_centrality(G, k=k, seed=seed)``, closeness as the
    mean of 1/distance from the sampled sources. ``df.attrs`` records
    ``betweenness_sample`` and ``closeness_sample`` (None when exact), ``seed``
    and ``backend``.

    ``backend``: ``"auto"`` uses python-igraph for betweenness, closeness,
    PageRank, k-cores and eigenvector centrality above
    :data:`IGRAPH_MIN_NODES` actors when it is installed, networkx (and numpy)
    otherwise; ``"networkx"`` or ``"igraph"`` force one. Both give the same
    numbers to 1e-6.

    >>> df = actor_metrics(nx.star_graph(3))
    >>> columns = ["degree", "betweenness", "closeness", "constraint", "cut_vertex_impact", "role"]
    >>> df[columns]  # doctest: +NORMALIZE_WHITESPACE
        degree  betweenness  closeness  constraint  cut_vertex_impact        role
    id
    0        3          1.0   1.000000    0.333333                  2         hub
    1        1          0.0   0.666667    1.000000                  0  peripheral
    2        1          0.0   0.666667    1.000000                  0  peripheral
    3        1          0.0   0.666667    1.000000                  0  peripheral

    Complexity: exact betweenness and closeness O(n m); sampled O(k m).
    Constraint, effective size, reach and brokerage O(sum of squared degrees);
    the rest O(n + m) per iteration.
    """
    if backend not in ("auto", "networkx", "igraph"):
        raise ValueError(f"backend must be 'auto', 'networkx' or 'igraph', not {backend!r}")
    nodes = list(G)
    n = len(nodes)
    sources = _sample_sources(G, betweenness_sample, seed)
    use_igraph = backend == "igraph" or (backend == "auto" and n > IGRAPH_MIN_NODES and _igraph_available())

    degree = np.array([G.degree(v) for v in nodes], dtype=np.int64)
    strength = np.array([G.degree(v, weight="weight") for v in nodes], dtype=float)

    if use_igraph and n:
        g = _to_igraph(G, nodes)
        if sources is None:
            raw = np.array(g.betweenness(directed=False))
            betweenness = raw * 2 / ((n - 1) * (n - 2)) if n > 2 else np.zeros(n)
            closeness = np.array(g.harmonic_centrality(normalized=True)) if n > 1 else np.zeros(n)
        else:
            index = {v: i for i, v in enumerate(nodes)}
            src = [index[s] for s in sources]
            # igraph counts each undirected path once; networkx counts it from both ends.
            raw = 2 * np.array(g.betweenness(directed=False, sources=src))
            k = len(src)
            scale = np.full(n, 1 / (k * (n - 2)))
            scale[src] = 1 / ((k - 1) * (n - 2))
            betweenness = raw * scale
            closeness = _sampled_closeness(G, nodes, sources, g)
        pagerank = np.array(g.pagerank(directed=False, weights="weight", damping=_PAGERANK_ALPHA))
        k_core = np.array(g.coreness(), dtype=np.int64)
    else:
        if sources is None:
            bc = nx.betweenness_centrality(G, normalized=True)
            harmonic = nx.harmonic_centrality(G)
            closeness = np.array([harmonic[v] / (n - 1) if n > 1 else 0.0 for v in nodes])
        else:
            bc = nx.betweenness_centrality(G, k=len(sources), normalized=True, seed=seed)
            closeness = _sampled_closeness(G, nodes, sources, None)
        betweenness = np.array([bc[v] for v in nodes], dtype=float)
        pagerank = _pagerank(G, nodes)
        core = nx.core_number(G)
        k_core = np.array([core[v] for v in nodes], dtype=np.int64)

    eigenvector = _eigenvector(G, nodes, use_igraph=use_igraph)
    A = _adjacency(G, nodes)
    constraint, esize = _burt(A)
    impact = _cut_vertices(G)
    impact_a = np.array([impact[v] for v in nodes], dtype=np.int64)
    cut = impact_a > 0

    df = pd.DataFrame(
        {
            "name": [str(G.nodes[v].get("name", v)) for v in nodes],
            "primary": [str(G.nodes[v].get("primary", "") or "") for v in nodes],
            "sector": [str(G.nodes[v].get("sector", "") or "") for v in nodes],
            "locality": [str(G.nodes[v].get("locality", "") or "") for v in nodes],
            "degree": degree,
            "strength": strength,
            "betweenness": np.asarray(betweenness, dtype=float),
            "closeness": np.asarray(closeness, dtype=float),
            "pagerank": np.asarray(pagerank, dtype=float),
            "eigenvector": eigenvector,
            "constraint": constraint,
            "effective_size": esize,
            "k_core": k_core,
            "reach_2": _reach_2(A),
            "is_cut_vertex": cut,
            "cut_vertex_impact": impact_a,
            "brokerage": _brokerage(G, nodes, A),
            "role": _roles(degree, np.asarray(betweenness, dtype=float), np.asarray(closeness), cut),
        },
        index=pd.Index(nodes, name="id"),
        columns=list(ACTOR_COLUMNS),
    )
    sample = None if sources is None else len(sources)
    df.attrs.update(
        betweenness_sample=sample,
        closeness_sample=sample,
        seed=seed,
        backend="igraph" if use_igraph else "networkx",
    )
    return df


def _sampled_closeness(G: nx.Graph, nodes: list, sources: list, g) -> np.ndarray:
    """Harmonic closeness estimated as the mean of 1/d(s, v) over sampled sources s != v."""
    n = len(nodes)
    total = np.zeros(n)
    count = np.full(n, float(len(sources)))
    for s, row in _distance_rows(G, nodes, sources, g):
        with np.errstate(divide="ignore"):
            inverse = np.where(row > 0, 1.0 / row, 0.0)
        total += inverse
        count[s] -= 1
    return np.divide(total, count, out=np.zeros(n), where=count > 0)


# --------------------------------------------------------------------------- constituencies


def constituency_metrics(
    G: nx.Graph, framework: Framework | None, *, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How present, central and open each constituency is.

    One row per constituency (index name ``constituency``): every constituency
    of ``framework`` in its order, then any other key found on actors (sorted;
    sector ``unknown``), then ``unclassified`` if some actor has no
    constituency. Columns (:data:`CONSTITUENCY_COLUMNS`):

    * ``label``, ``sector``: from the framework;
    * ``count``: actors holding the constituency anywhere in their list;
      ``primary_count``: actors whose primary constituency it is;
    * ``share`` = count / n and ``primary_share`` = primary_count / n
      (``primary_share`` sums to 1 over the rows);
    * ``voice``: share of the total PageRank held by actors whose primary it
      is (sums to 1); ``betweenness_share``: same for betweenness (0 for every
      row when nobody lies between others);
    * ``ei_index``: (E - I) / (E + I) over the ties of actors with that
      primary, E ties leaving the group and I ties inside it (each counted
      once); -1 = closed, +1 = all ties outward, NaN without ties;
    * ``mean_degree``: mean degree of actors with that primary (NaN if none).

    ``actors`` may pass the result of :func:`actor_metrics` to avoid computing
    it again.

    >>> from netmap.model import Constituency
    >>> fw = Framework("f", "F", (Constituency("nhs", "NHS", "statutory"),
    ...                           Constituency("vcse", "Voluntary", "vcse")))
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": ["nhs"], "b": ["vcse", "nhs"], "c": []}, "constituencies")
    >>> nx.set_node_attributes(G, {"a": "nhs", "b": "vcse", "c": ""}, "primary")
    >>> constituency_metrics(G, fw)[["count", "primary_count", "ei_index"]]  # doctest: +NORMALIZE_WHITESPACE
                  count  primary_count  ei_index
    constituency
    nhs               2              1       1.0
    vcse              1              1       1.0
    unclassified      1              1       1.0

    Complexity: that of :func:`actor_metrics` unless ``actors`` is given, then O(n + m).
    """
    if framework is None:
        framework = Framework("none", "No framework", ())
    if actors is None:
        actors = actor_metrics(G)
    nodes = list(G)
    n = len(nodes)
    lists = {v: list(G.nodes[v].get("constituencies") or []) for v in nodes}
    primary = {v: _group(G, v) for v in nodes}
    known = list(framework.keys)
    extra = sorted({c for cs in lists.values() for c in cs} | {p for p in primary.values() if p != UNCLASSIFIED})
    keys = known + [k for k in extra if k not in known]
    if any(p == UNCLASSIFIED for p in primary.values()):
        keys.append(UNCLASSIFIED)

    external: Counter = Counter()
    internal: Counter = Counter()
    for u, v in G.edges():
        if u == v:
            continue
        if primary[u] == primary[v]:
            internal[primary[u]] += 1
        else:
            external[primary[u]] += 1
            external[primary[v]] += 1

    pagerank = actors["pagerank"].reindex(nodes)
    betweenness = actors["betweenness"].reindex(nodes)
    pr_total = float(pagerank.sum())
    bc_total = float(betweenness.sum())
    degree = dict(G.degree())
    rows = []
    for key in keys:
        members = [v for v in nodes if primary[v] == key]
        if key == UNCLASSIFIED:
            count = sum(1 for v in nodes if not lists[v])
            label, sector = "Unclassified", "unknown"
        else:
            count = sum(1 for v in nodes if key in lists[v] or primary[v] == key)
            found = framework.get(key)
            label, sector = (found.label, found.sector) if found else (key, "unknown")
        e, i = external[key], internal[key]
        rows.append(
            {
                "label": label,
                "sector": sector,
                "count": count,
                "primary_count": len(members),
                "share": count / n if n else 0.0,
                "primary_share": len(members) / n if n else 0.0,
                "voice": float(pagerank[members].sum()) / pr_total if pr_total > 0 else 0.0,
                "betweenness_share": float(betweenness[members].sum()) / bc_total if bc_total > 0 else 0.0,
                "ei_index": (e - i) / (e + i) if e + i else math.nan,
                "mean_degree": float(np.mean([degree[v] for v in members])) if members else math.nan,
            }
        )
    df = pd.DataFrame(rows, index=pd.Index(keys, name="constituency"), columns=list(CONSTITUENCY_COLUMNS))
    return df.astype({"count": "int64", "primary_count": "int64"})


def _groups(G: nx.Graph, attribute: str) -> dict:
    return {v: _group(G, v, attribute) for v in G}


def _order(labels: Iterable[str]) -> list[str]:
    unique = set(labels)
    return sorted(unique - {UNCLASSIFIED}) + ([UNCLASSIFIED] if UNCLASSIFIED in unique else [])


def mixing_matrix(G: nx.Graph, attribute: str = "primary") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observed and expected numbers of ties between constituencies.

    Rows and columns are the groups present (sorted, ``unclassified`` last).
    ``observed`` is symmetric: cell (i, j) counts the ties between an actor of
    group i and one of group j, and the diagonal counts ties inside a group
    once, so the upper triangle (diagonal included) sums to the number of ties.
    ``expected`` is what random mixing with the same degrees would give (the
    configuration model): with D_i the sum of degrees in group i and m ties,
    D_i D_j / (2m) for i != j and D_i^2 / (4m) on the diagonal; its upper
    triangle also sums to m. Ties are counted unweighted.

    >>> G = nx.path_graph(4)
    >>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "b"}, "primary")
    >>> observed, expected = mixing_matrix(G)
    >>> observed  # doctest: +NORMALIZE_WHITESPACE
    primary  a  b
    primary
    a        1  1
    b        1  1
    >>> expected  # doctest: +NORMALIZE_WHITESPACE
    primary     a     b
    primary
    a        0.75  1.50
    b        1.50  0.75

    Complexity: O(n + m + g^2) for g groups.
    """
    group = _groups(G, attribute)
    labels = _order(group.values())
    position = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    totals = np.zeros(len(labels))
    m = 0
    for u, v in G.edges():
        if u == v:
            continue
        a, b = position[group[u]], position[group[v]]
        counts[a, b] += 1
        if a != b:
            counts[b, a] += 1
        totals[a] += 1
        totals[b] += 1
        m += 1
    axis = pd.Index(labels, name=attribute)
    observed = pd.DataFrame(counts, index=axis, columns=axis.copy())
    if m:
        values = np.outer(totals, totals) / (2 * m)
        np.fill_diagonal(values, totals**2 / (4 * m))
    else:
        values = np.zeros((len(labels), len(labels)))
    expected = pd.DataFrame(values, index=observed.index.copy(), columns=observed.columns.copy())
    return observed, expected


def blau_heterogeneity(G: nx.Graph, attribute: str = "primary") -> float:
    """Blau's index 1 - sum p_k^2 over the groups of ``attribute`` (NaN for an empty graph).

    0 when every actor is in one group; approaches 1 - 1/g with g equal groups.
    Actors without a value form the group ``unclassified``.

    >>> G = nx.empty_graph(4)
    >>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "c"}, "primary")
    >>> blau_heterogeneity(G)
    0.625

    Complexity: O(n).
    """
    counts = Counter(_groups(G, attribute).values())
    n = sum(counts.values())
    if n == 0:
        return math.nan
    return 1.0 - sum((c / n) ** 2 for c in counts.values())


def ei_index(G: nx.Graph, attribute: str = "primary") -> float:
    """Krackhardt and Stern's E-I index of the whole network: (E - I) / (E + I).

    E counts ties between actors of different groups, I ties within a group;
    -1 when every tie stays inside a group, +1 when every tie crosses groups,
    NaN without ties.

    >>> G = nx.path_graph(4)
    >>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b", 3: "b"}, "primary")
    >>> ei_index(G)
    -0.3333333333333333

    Complexity: O(n + m).
    """
    group = _groups(G, attribute)
    external = internal = 0
    for u, v in G.edges():
        if u == v:
            continue
        if group[u] == group[v]:
            internal += 1
        else:
            external += 1
    total = external + internal
    return (external - internal) / total if total else math.nan


# --------------------------------------------------------------------------- communities


def _igraph_louvain(G: nx.Graph, seed: int) -> list[set]:
    import igraph

    nodes = list(G)
    g = _to_igraph(G, nodes)
    # igraph draws from Python's random module: seed a private generator so results repeat
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = g.community_multilevel(weights="weight").membership
    finally:
        igraph.set_random_number_generator(random)
    parts: dict[int, set] = defaultdict(set)
    for v, part in zip(nodes, membership, strict=True):
        parts[part].add(v)
    return list(parts.values())


def detect_communities(G: nx.Graph, seed: int = 42) -> dict[str, int]:
    """Louvain communities (weighted), numbered 0, 1, ... by size, largest first.

    Uses :func:`networkx.community.louvain_communities` with ``seed``, or
    igraph's multilevel (Louvain) method seeded the same way above
    :data:`IGRAPH_MIN_NODES` actors; communities of equal size are ordered by their first actor in ``G``. Each
    isolate is a community of its own.

    >>> G = nx.barbell_graph(4, 0)
    >>> G.add_node(99)
    >>> parts = detect_communities(G)
    >>> parts[0] == parts[3], parts[0] == parts[4], parts[99]
    (True, False, 2)

    Complexity: roughly O(m log n).
    """
    if len(G) == 0:
        return {}
    position = {v: i for i, v in enumerate(G)}
    if G.number_of_edges() == 0:
        communities = [{v} for v in G]
    elif len(G) > IGRAPH_MIN_NODES and _igraph_available():
        communities = _igraph_louvain(G, seed)
    else:
        communities = nx.community.louvain_communities(G, weight="weight", seed=seed)
    ordered = sorted(communities, key=lambda c: (-len(c), min(position[v] for v in c)))
    return {v: number for number, community in enumerate(ordered) for v in community}


# --------------------------------------------------------------------------- everything


@dataclass
class Analysis:
    """Every analysis of one map (see :func:`analyse`)."""

    graph: nx.Graph
    digraph: nx.DiGraph
    summary: dict
    actors: pd.DataFrame
    constituencies: pd.DataFrame
    mixing_observed: pd.DataFrame
    mixing_expected: pd.DataFrame
    blau: float
    ei: float

    def estimate_note(self) -> str:
        """One sentence on which measures were estimated from sampled actors ("" when all are exact).

        >>> a = analyse(NetworkMap("m", "M"), None)
        >>> a.actors.attrs.update(betweenness_sample=40, seed=42)
        >>> a.estimate_note()
        'Betweenness and closeness were estimated from 40 sampled actors (seed 42); path lengths are exact.'
        """
        actors_k = self.actors.attrs.get("betweenness_sample")
        paths_k = self.summary.get("paths_sampled")
        seed = self.actors.attrs.get("seed", 42)
        if actors_k and paths_k:
            return (f"Betweenness and closeness were estimated from {actors_k:,} sampled actors, path lengths "
                    f"from {paths_k:,} actors of the largest component (seed {seed}).")
        if actors_k:
            return (f"Betweenness and closeness were estimated from {actors_k:,} sampled actors (seed {seed}); "
                    "path lengths are exact.")
        if paths_k:
            return (f"Path lengths were estimated from {paths_k:,} sampled actors of the largest component "
                    f"(seed {seed}); betweenness and closeness are exact.")
        return ""


def analyse(
    nmap: NetworkMap,
    framework: Framework | None,
    *,
    betweenness_sample: int | None = None,
    seed: int = 42,
    co_membership: bool = True,
) -> Analysis:
    """Build the graphs of a map and run every analysis on them.

    ``actors`` is :func:`actor_metrics` plus a ``community`` column
    (:func:`detect_communities`); ``summary`` is :func:`network_summary`;
    ``constituencies`` is :func:`constituency_metrics`; ``blau`` and ``ei``
    are :func:`blau_heterogeneity` and :func:`ei_index` on primary
    constituencies. ``co_membership`` is passed to
    :func:`netmap.graph.build_graph`.

    >>> from netmap.model import Actor, NetworkMap, Tie
    >>> nmap = NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B"), Actor("c", "C")],
    ...                   ties=[Tie("a", "b")])
    >>> a = analyse(nmap, None)
    >>> a.actors["community"].to_dict(), a.actors["role"].tolist()
    ({'a': 0, 'b': 0, 'c': 1}, ['peripheral', 'peripheral', 'isolate'])

    Complexity: that of :func:`actor_metrics` (the dominant cost).
    """
    G = build_graph(nmap, framework, co_membership=co_membership)
    D = build_digraph(nmap)
    actors = actor_metrics(G, betweenness_sample=betweenness_sample, seed=seed)
    communities = detect_communities(G, seed=seed)
    actors["community"] = pd.Series(communities, dtype="int64").reindex(actors.index)
    observed, expected = mixing_matrix(G)
    return Analysis(
        graph=G,
        digraph=D,
        summary=network_summary(G, D, seed=seed, paths_sample=betweenness_sample),
        actors=actors,
        constituencies=constituency_metrics(G, framework, actors=actors),
        mixing_observed=observed,
        mixing_expected=expected,
        blau=blau_heterogeneity(G),
        ei=ei_index(G),
    )
