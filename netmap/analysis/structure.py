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
from itertools import chain

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from netmap.analysis.backend import GraphArrays, adjacency
from netmap.analysis.groups import group_of
from netmap.analysis.sampling import EXACT_MAX_NODES
from netmap.graph import NEIGHBOURS

__all__ = ["ROLES", "bridge_ties", "brokerage", "burt", "cut_vertices", "reach_2", "roles", "structure_measures"]

#: Keys under which a graph's partner arrays and its cut vertices and bridges are kept in ``G.__networkx_cache__``.
_NEIGHBOURS = NEIGHBOURS  # left by netmap.graph.build_graph, so no pass over the graph is needed
_CUTS = "netmap_cuts_and_bridges"

#: Rows of the tie pattern :func:`reach_2` multiplies at a time.
_REACH_ROWS = 2048

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
    Complexity: O(sum of squared degrees), in sparse matrix products, or above
    :data:`~netmap.analysis.sampling.EXACT_MAX_NODES` actors (ties of positive
    weight) in compiled loops that add the same terms in the same order.
    """
    n = A.shape[0]
    total = np.asarray(A.sum(axis=1)).ravel()
    top = A.max(axis=1).toarray().ravel() if n else np.zeros(0)
    tied = total > 0
    if n > EXACT_MAX_NODES and A.has_canonical_format and bool((A.data > 0).all()):
        constraint, redundancy = _burt_compiled(A, total, top)
    else:
        constraint, redundancy = _burt_products(A, total, top)
    degree = np.diff(A.indptr)
    esize = degree - redundancy
    constraint[~tied] = np.nan
    esize[~tied] = np.nan
    return constraint, esize


def _row_sums(values: np.ndarray, row: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """Each row's sum of its kept non-zero ``values`` (in order), added as scipy's ``.sum(axis=1)`` adds a
    sparse row: numpy's ``add.reduceat`` over the row's stored entries."""
    keep = keep & (values != 0)
    counts = np.bincount(row[keep], minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    sums = np.zeros(n)
    filled = counts > 0
    if filled.any():
        sums[filled] = np.add.reduceat(values[keep], starts[filled])
    return sums


def _burt_compiled(A: sparse.csr_array, total: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constraint and redundancy of :func:`burt` from :func:`netmap.analysis._burt.burt_entries`."""
    from netmap.analysis import _burt  # numba: imported and compiled only for large maps

    n = A.shape[0]
    inv_total = np.divide(1.0, total, out=np.zeros(n), where=total > 0)
    inv_top = np.divide(1.0, top, out=np.zeros(n), where=top > 0)
    indptr, indices = A.indptr.astype(np.int64), A.indices.astype(np.int64)
    squares, red, red_count = _burt.burt_entries(indptr, indices, A.data.astype(np.float64), inv_total, inv_top)
    degree = np.diff(indptr)
    row = np.repeat(np.arange(n, dtype=np.int64), degree)
    rank = np.arange(len(indices), dtype=np.int64) - indptr[row]  # an entry's place in its row
    return _row_sums(squares, row, np.ones(len(indices), dtype=bool), n), _row_sums(red, row, rank < red_count[row], n)


def _burt_products(A: sparse.csr_array, total: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Constraint and redundancy of :func:`burt` in sparse matrix products."""
    n = A.shape[0]
    tied = total > 0
    P = sparse.diags_array(np.divide(1.0, total, out=np.zeros(n), where=tied)) @ A
    tie = _pattern(A)  # a tie of weight 0 is still a tie, as in networkx
    indirect = _masked_product(P, P, tie)
    scaled = A @ sparse.diags_array(np.divide(1.0, top, out=np.zeros(n), where=top > 0))
    redundancy = np.asarray(_masked_product(P, scaled, tie).sum(axis=1)).ravel()
    constraint = np.asarray((P + indirect).power(2).sum(axis=1)).ravel()
    return constraint, redundancy


def neighbour_arrays(G: nx.Graph) -> tuple[list, np.ndarray, np.ndarray]:
    """``list(G)`` and each actor's partners in the order ``G[v]`` gives them, as positions (CSR: indptr, indices).

    Read from the graph's dict of dicts once and kept in its cache (networkx
    empties it when a node or edge is added or removed), so every
    traversal that follows the graph's own order shares one pass over it.

    >>> nodes, indptr, indices = neighbour_arrays(nx.path_graph(["a", "b", "c"]))
    >>> nodes, indptr.tolist(), indices.tolist()
    (['a', 'b', 'c'], [0, 1, 3, 4], [1, 0, 2, 1])
    """
    cache = getattr(G, "__networkx_cache__", None)
    found = cache.get(_NEIGHBOURS) if cache is not None else None
    if found is not None and len(found[0]) == len(G):
        return found
    nodes = list(G)
    index = {v: k for k, v in enumerate(nodes)}
    rows = [G._adj[v] for v in nodes]
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(nodes)), out=indptr[1:])
    indices = np.fromiter(map(index.__getitem__, chain.from_iterable(rows)), dtype=np.int64, count=int(indptr[-1]))
    found = (nodes, indptr, indices)
    if cache is not None:
        cache[_NEIGHBOURS] = found
    return found


def _depth_first(indptr: np.ndarray, indices: np.ndarray):
    """One iterative DFS over every component (Hopcroft-Tarjan low points), on positions.

    Roots are taken in order and partners in CSR order (the graph's own order,
    :func:`neighbour_arrays`). Yields ``(parent, v, low_v, disc_parent, size_v)``
    each time the subtree of a tree edge parent -> v is finished, then ``(-1,
    root, 0, 0, size_root)`` when a component is done.
    """
    n = len(indptr) - 1
    disc = [-1] * n
    low = [0] * n
    size = [1] * n
    parent_of = [-1] * n
    ends = indptr[1:].tolist()
    at = indptr[:-1].tolist()  # the next partner to look at, per actor
    partners = indices.tolist()
    counter = 0
    for root in range(n):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = counter
        counter += 1
        stack = [root]
        while stack:
            v = stack[-1]
            parent, k, end, low_v = parent_of[v], at[v], ends[v], low[v]
            while k < end:
                w = partners[k]
                k += 1
                if w == parent or w == v:  # noqa: SIM109 (faster than building a tuple per partner)
                    continue
                d = disc[w]
                if d >= 0:
                    if d < low_v:
                        low_v = d
                else:
                    disc[w] = low[w] = counter
                    counter += 1
                    parent_of[w] = v
                    stack.append(w)
                    break
            else:
                at[v], low[v] = k, low_v
                stack.pop()
                if parent >= 0:
                    if low_v < low[parent]:
                        low[parent] = low_v
                    size[parent] += size[v]
                    yield parent, v, low_v, disc[parent], size[v]
                continue
            at[v], low[v] = k, low_v
        yield -1, root, 0, 0, size[root]


def _cuts_kernel(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_depth_first` and what :func:`_cuts_and_bridges` makes of it, as plain loops for :func:`_compiled`:
    each actor's cut-vertex impact, and the bridges as rows (u, v, u's side, v's side) in the same order."""
    n = len(indptr) - 1
    disc = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    size = np.ones(n, dtype=np.int64)
    parent_of = np.full(n, -1, dtype=np.int64)
    at = indptr[:-1].astype(np.int64)
    parts_sum = np.zeros(n, dtype=np.int64)  # per actor: sizes of the child subtrees its leaving cuts off
    parts_max = np.zeros(n, dtype=np.int64)
    parts_n = np.zeros(n, dtype=np.int64)
    touched = np.empty(n, dtype=np.int64)  # actors with such subtrees in the current component
    impact = np.zeros(n, dtype=np.int64)
    bridges = np.empty((n, 4), dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    found, counter = 0, 0
    for root in range(n):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = counter
        counter += 1
        stack[0], top, n_touched, first_bridge = root, 1, 0, found
        while top > 0:
            v = stack[top - 1]
            parent, k, end, low_v, pushed = parent_of[v], at[v], indptr[v + 1], low[v], False
            while k < end:
                w = indices[k]
                k += 1
                if w == parent or w == v:  # noqa: SIM109 (compiled: two comparisons, no tuple)
                    continue
                if disc[w] >= 0:
                    low_v = min(low_v, disc[w])
                else:
                    disc[w] = low[w] = counter
                    counter += 1
                    parent_of[w] = v
                    stack[top] = w
                    top += 1
                    pushed = True
                    break
            at[v], low[v] = k, low_v
            if pushed:
                continue
            top -= 1
            if parent >= 0:
                low[parent] = min(low[parent], low_v)
                size[parent] += size[v]
                if low_v >= disc[parent]:
                    if parts_n[parent] == 0:
                        touched[n_touched] = parent
                        n_touched += 1
                    parts_n[parent] += 1
                    parts_sum[parent] += size[v]
                    parts_max[parent] = max(parts_max[parent], size[v])
                    if low_v > disc[parent]:
                        bridges[found, 0], bridges[found, 1], bridges[found, 3] = parent, v, size[v]
                        found += 1
        component = size[root]
        for t in range(n_touched):
            u = touched[t]
            if u == root:
                if parts_n[u] >= 2:
                    impact[u] = component - 1 - parts_max[u]
            else:
                impact[u] = component - 1 - max(parts_max[u], component - 1 - parts_sum[u])
        for b in range(first_bridge, found):
            bridges[b, 2] = component - bridges[b, 3]
    return impact, bridges[:found]


def _cuts_and_bridges(G: nx.Graph) -> tuple[list, list[int], list[tuple]]:
    """``list(G)``, each actor's cut-vertex impact and the bridges (as positions), from one DFS, cached on ``G``."""
    cache = getattr(G, "__networkx_cache__", None)
    found = cache.get(_CUTS) if cache is not None else None
    if found is not None and len(found[0]) == len(G):
        return found
    nodes, indptr, indices = neighbour_arrays(G)
    if len(nodes) > EXACT_MAX_NODES:  # the same search, compiled
        impact_a, rows = _compiled(_cuts_kernel)(indptr, indices)
        found = (nodes, impact_a.tolist(), [tuple(row) for row in rows.tolist()])
        if cache is not None:
            cache[_CUTS] = found
        return found
    impact = [0] * len(nodes)
    separated: dict[int, list[int]] = defaultdict(list)  # v -> sizes of child subtrees cut off by removing v
    bridges: list[tuple] = []
    pending: list[tuple] = []
    for parent, v, low_v, disc_parent, size_v in _depth_first(indptr, indices):
        if parent >= 0:
            if low_v >= disc_parent:
                separated[parent].append(size_v)
                if low_v > disc_parent:
                    pending.append((parent, v, size_v))
            continue
        root, component = v, size_v
        for u, parts in separated.items():
            if u == root:
                if len(parts) < 2:
                    continue
                pieces = parts
            else:
                pieces = [*parts, component - 1 - sum(parts)]
            impact[u] = component - 1 - max(pieces)
        separated.clear()
        bridges += [(u, w, component - side, side) for u, w, side in pending]
        pending = []
    found = (nodes, impact, bridges)
    if cache is not None:
        cache[_CUTS] = found
    return found


def cut_vertices(G: nx.Graph) -> dict:
    """Impact of each actor's leaving (0 for non-cut vertices), by one DFS (Hopcroft-Tarjan).

    For a cut vertex v of component C, removing v splits C - v into parts;
    impact = |C| - 1 - size of the largest part.
    """
    nodes, impact, _ = _cuts_and_bridges(G)
    return dict(zip(nodes, impact, strict=True))


def bridge_ties(G: nx.Graph) -> list[tuple]:
    """The ties that are the only link between two parts of their component (bridges), by one DFS.

    Each is ``(u, v, actors on u's side, actors on v's side)``, in DFS order.

    >>> bridge_ties(nx.path_graph(3))
    [(1, 2, 2, 1), (0, 1, 1, 2)]
    """
    nodes, _, bridges = _cuts_and_bridges(G)
    return [(nodes[u], nodes[v], side_u, side_v) for u, v, side_u, side_v in bridges]


def _two_step(indptr: np.ndarray, indices: np.ndarray, codes: np.ndarray,
              cleared: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per actor v: how many actors are within two steps (v itself included when it has a partner), less one
    when actor ``cleared[v]`` is among them; and how many ordered pairs of v's partners in different groups
    (``codes``) are tied to each other. Plain loops over the CSR tie pattern, compiled by :func:`_compiled`:
    O(sum of squared degrees), no matrix is built."""
    n = len(indptr) - 1
    reach = np.zeros(n, dtype=np.int64)
    closed = np.zeros(n, dtype=np.int64)
    near = np.full(n, -1, dtype=np.int64)  # near[x] == v: x is a partner of v
    seen = np.full(n, -1, dtype=np.int64)  # seen[x] == v: x is within two steps of v (already counted)
    for v in range(n):
        count = 0
        for k in range(indptr[v], indptr[v + 1]):
            w = indices[k]
            near[w] = v
            if seen[w] != v:
                seen[w] = v
                count += 1
        pairs = 0
        for k in range(indptr[v], indptr[v + 1]):
            w = indices[k]
            for q in range(indptr[w], indptr[w + 1]):
                x = indices[q]
                if seen[x] != v:
                    seen[x] = v
                    count += 1
                if near[x] == v and codes[w] != codes[x]:
                    pairs += 1
        if seen[cleared[v]] == v:
            count -= 1
        reach[v] = count
        closed[v] = pairs
    return reach, closed


def _cleared(n: int) -> np.ndarray:
    """The actor left out of each row's count by :func:`_two_step`: the actor itself (never within its own reach)."""
    return np.arange(n, dtype=np.int64)


_KERNELS: dict = {}


def _compiled(function):
    """``function`` compiled by numba (imported, compiled and cached on first use: large maps only)."""
    if function.__name__ not in _KERNELS:
        import numba

        _KERNELS[function.__name__] = numba.njit(cache=True)(function)
    return _KERNELS[function.__name__]


def reach_2(A: sparse.csr_array) -> np.ndarray:
    """Share of the other actors within two steps (row counts of the pattern of A + A @ A)."""
    n = A.shape[0]
    if n < 2:
        return np.zeros(n)
    if n > EXACT_MAX_NODES:  # compiled loops: the same whole counts, without the matrix products
        return _compiled(_two_step)(A.indptr, A.indices, np.zeros(n, dtype=np.int64), _cleared(n))[0] / (n - 1)
    B = _pattern(A)
    counts = np.zeros(n)
    rows = _REACH_ROWS
    for start in range(0, n, rows):
        block = B[start : start + rows]
        within = (block @ B + block).tocsr()
        within.setdiag(0, k=start)  # never count the actor itself: row r of the block is actor start + r
        within.eliminate_zeros()
        counts[start : start + rows] = np.diff(within.indptr)
    return counts / (n - 1)


def _group_codes(G: nx.Graph, nodes: list) -> np.ndarray:
    """Each actor's primary constituency as a number (:func:`~netmap.analysis.groups.group_of`)."""
    codes, _ = pd.factorize(pd.Index([group_of(G, v) for v in nodes]))
    return codes


def _brokerage_of(A: sparse.csr_array, codes: np.ndarray, closed: np.ndarray | None = None) -> np.ndarray:
    """:func:`brokerage` from the groups' codes (and the cross ties among each actor's partners, if counted)."""
    n = A.shape[0]
    B = _pattern(A)
    if closed is None:
        coo = B.tocoo()
        cross = codes[coo.row] != codes[coo.col]
        X = sparse.csr_array((np.ones(int(cross.sum())), (coo.row[cross], coo.col[cross])), shape=(n, n))
        closed = np.asarray(_masked_product(B, X, B).sum(axis=1)).ravel() / 2
    membership = sparse.csr_array((np.ones(n), (np.arange(n), codes)), shape=(n, int(codes.max()) + 1))
    counts = (B @ membership).toarray()
    degree = np.diff(B.indptr).astype(float)
    mixed = degree * (degree - 1) / 2 - (counts * (counts - 1) / 2).sum(axis=1)
    return np.rint(mixed - closed).astype(np.int64)


def brokerage(G: nx.Graph, nodes: list, A: sparse.csr_array) -> np.ndarray:
    """Pairs of neighbours in different primary constituencies that are not tied to each other.

    Mixed pairs come from counts of partners per constituency; the tied ones
    around v are the cross-constituency ties among v's partners, half the row
    sum of ``(B @ X) * B`` where B is the tie pattern and X its cross ties
    (counted in compiled loops on large maps: the same whole numbers).
    """
    n = len(nodes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes = _group_codes(G, nodes)
    closed = None
    if n > EXACT_MAX_NODES:
        B = _pattern(A)
        closed = _compiled(_two_step)(B.indptr, B.indices, codes.astype(np.int64), _cleared(n))[1] / 2
    return _brokerage_of(A, codes, closed)


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
    n = len(nodes)
    if n > EXACT_MAX_NODES:  # reach and brokerage's closed pairs from one pass of compiled loops
        codes = _group_codes(G, nodes)
        B = _pattern(A)
        within, closed = _compiled(_two_step)(B.indptr, B.indices, codes.astype(np.int64), _cleared(n))
        reach, broker = within / (n - 1), _brokerage_of(A, codes, closed / 2)
    else:
        reach, broker = reach_2(A), brokerage(G, nodes, A)
    return {
        "constraint": constraint,
        "effective_size": esize,
        "reach_2": reach,
        "is_cut_vertex": impact_a > 0,
        "cut_vertex_impact": impact_a,
        "brokerage": broker,
    }
