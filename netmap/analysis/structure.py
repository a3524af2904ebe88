"""Structural holes and fragility: Burt's measures, two-step reach, cut vertices, bridges, brokerage, roles.

Everything here but :func:`cut_vertices` works on the weighted adjacency
matrix of :func:`netmap.analysis.backend.adjacency`, in sparse matrix
products (O(sum of squared degrees)), so it scales to large maps.

>>> from netmap.analysis.backend import GraphArrays, adjacency
>>> G = nx.star_graph(3)
>>> constraint, esize = burt(adjacency(G, list(G)))
>>> constraint.round(4).tolist(), esize.tolist()
([0.3333, 1.0, 1.0, 1.0], [3.0, 1.0, 1.0, 1.0])
>>> cut_vertices(G)
{0: 2, 1: 0, 2: 0, 3: 0}
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from netmap.analysis.backend import GraphArrays, adjacency
from netmap.analysis.groups import group_of

__all__ = ["ROLES", "bridge_ties", "brokerage", "burt", "cut_vertices", "reach_2", "roles", "structure_measures"]

#: Role labels of :func:`netmap.analysis.centrality.actor_metrics`.
ROLES: tuple[str, ...] = ("hub", "broker", "peripheral", "connected", "isolate")


def _masked_product(X: sparse.csr_array, Y: sparse.csr_array, mask: sparse.csr_array, rows: int = 2048):
    """(X @ Y) kept only where ``mask`` (a 0/1 pattern) is 1, a block of rows at a time to bound memory."""
    parts = []
    for start in range(0, X.shape[0], rows):
        block = slice(start, start + rows)
        parts.append((X[block] @ Y).multiply(mask[block]))
    return sparse.vstack(parts, format="csr") if parts else sparse.csr_array(X.shape)


def _pattern(A: sparse.csr_array) -> sparse.csr_array:
    """The 0/1 matrix of who is tied to whom."""
    B = A.copy()
    B.data = np.ones_like(B.data)
    return B


def burt(A: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
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


def _depth_first(G: nx.Graph):
    """One iterative DFS over every component (Hopcroft-Tarjan low points).

    Yields ``(root, parent, v, low_v, disc_parent, size_v)`` each time the
    subtree of a tree edge parent -> v is finished, then ``(root, None, root,
    0, 0, size_root)`` when a component is done.
    """
    disc: dict = {}
    low: dict = {}
    size: dict = {}
    counter = 0
    for root in G:
        if root in disc:
            continue
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
                    yield root, parent, v, low[v], disc[parent], size[v]
        yield root, None, root, 0, 0, size[root]


def cut_vertices(G: nx.Graph) -> dict:
    """Impact of each actor's leaving (0 for non-cut vertices), by one DFS (Hopcroft-Tarjan).

    For a cut vertex v of component C, removing v splits C - v into parts;
    impact = |C| - 1 - size of the largest part.
    """
    impact = dict.fromkeys(G, 0)
    separated: dict = defaultdict(list)  # v -> sizes of child subtrees cut off by removing v
    for root, parent, _, low_v, disc_parent, size_v in _depth_first(G):
        if parent is not None:
            if low_v >= disc_parent:
                separated[parent].append(size_v)
            continue
        component = size_v
        for u, parts in separated.items():
            if u == root:
                if len(parts) < 2:
                    continue
                pieces = parts
            else:
                pieces = [*parts, component - 1 - sum(parts)]
            impact[u] = component - 1 - max(pieces)
        separated.clear()
    return impact


def bridge_ties(G: nx.Graph) -> list[tuple]:
    """The ties that are the only link between two parts of their component (bridges), by one DFS.

    Each is ``(u, v, actors on u's side, actors on v's side)``, in DFS order.

    >>> bridge_ties(nx.path_graph(3))
    [(1, 2, 2, 1), (0, 1, 1, 2)]
    """
    found = []
    pending: list[tuple] = []
    for _, parent, v, low_v, disc_parent, size_v in _depth_first(G):
        if parent is None:
            found += [(u, w, size_v - side, side) for u, w, side in pending]
            pending = []
        elif low_v > disc_parent:
            pending.append((parent, v, size_v))
    return found


def reach_2(A: sparse.csr_array) -> np.ndarray:
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


def brokerage(G: nx.Graph, nodes: list, A: sparse.csr_array) -> np.ndarray:
    """Pairs of neighbours in different primary constituencies that are not tied to each other.

    Mixed pairs come from counts of partners per constituency; the tied ones
    around v are the cross-constituency ties among v's partners, half the row
    sum of ``(B @ X) * B`` where B is the tie pattern and X its cross ties.
    """
    n = len(nodes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes, _ = pd.factorize(pd.Index([group_of(G, v) for v in nodes]))
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


def roles(degree: np.ndarray, betweenness: np.ndarray, closeness: np.ndarray, cut: np.ndarray) -> list[str]:
    """The role label of each actor (see :func:`netmap.analysis.centrality.actor_metrics` for the rules)."""
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
    labels = []
    for i in range(n):
        if degree[i] == 0:
            labels.append("isolate")
        elif cut[i]:  # its leaving cuts others off: a broker first, however many ties it has
            labels.append("broker")
        elif hub[i]:
            labels.append("hub")
        elif broker[i]:
            labels.append("broker")
        elif peripheral[i]:
            labels.append("peripheral")
        else:
            labels.append("connected")
    return labels


def structure_measures(G: nx.Graph, nodes: list, arrays: GraphArrays | None = None) -> dict[str, np.ndarray]:
    """The structural columns of the actor table, for ``nodes`` in order.

    ``constraint`` and ``effective_size`` (:func:`burt`), ``reach_2``,
    ``is_cut_vertex`` and ``cut_vertex_impact`` (:func:`cut_vertices`) and
    ``brokerage``. Complexity: O(sum of squared degrees).
    """
    A = arrays.adjacency if arrays is not None and arrays.nodes == nodes else adjacency(G, nodes)
    constraint, esize = burt(A)
    impact = cut_vertices(G)
    impact_a = np.array([impact[v] for v in nodes], dtype=np.int64)
    return {
        "constraint": constraint,
        "effective_size": esize,
        "reach_2": reach_2(A),
        "is_cut_vertex": impact_a > 0,
        "cut_vertex_impact": impact_a,
        "brokerage": brokerage(G, nodes, A),
    }
