"""The computing backends: when python-igraph is used, and the graph as arrays, matrices or an igraph Graph.

networkx is the reference; igraph (a required dependency) computes the same
numbers many times faster, so it takes over above :data:`IGRAPH_MIN_NODES`
actors. The constant is read when :func:`use_igraph` runs, so changing it
here (say in a test) switches every measure at once.

>>> G = nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c", {})])
>>> [a.tolist() for a in edge_arrays(G, list(G))]
[[0, 1], [1, 2], [2.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import repeat
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
from scipy import sparse

from netmap.graph import EDGE_ARRAYS
from netmap.snapshots import canonical_id

if TYPE_CHECKING:
    import igraph

__all__ = [
    "IGRAPH_MIN_NODES", "GraphArrays", "adjacency", "distance_rows", "edge_arrays", "largest_component", "to_igraph",
    "use_igraph",
]

#: Above this many actors, python-igraph computes betweenness, closeness,
#: PageRank, k-cores, (above 400 actors) eigenvector centrality, path lengths,
#: clustering and communities. 0: always (igraph gives the same numbers at
#: every size, and its compiled kernels are faster than networkx's even on a
#: 50-actor forum); tests raise it to check the networkx path.
IGRAPH_MIN_NODES = 0


def use_igraph(n: int) -> bool:
    """Whether a network of ``n`` actors is measured with igraph (above :data:`IGRAPH_MIN_NODES`)."""
    return n > IGRAPH_MIN_NODES


def _first_by_id(members: Iterable) -> str:
    """The key that breaks a tie between equally large components: their first actor id, case and spaces
    ignored, so that the choice does not depend on the order of the rows or the case of the ids."""
    return min(canonical_id(str(v)) for v in members)


def largest_component(G: nx.Graph) -> set:
    """Node set of the largest connected component (of equally large ones, the one whose first actor id,
    case ignored, sorts first)."""
    return min(nx.connected_components(G), key=lambda c: (-len(c), _first_by_id(c))) if len(G) else set()


def edge_arrays(G: nx.Graph, nodes: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _igraph_of(n: int, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> igraph.Graph:
    import igraph  # imported when first needed: it slows every command's start

    g = igraph.Graph(n=n, edges=list(zip(i.tolist(), j.tolist(), strict=True)))  # pairs of ints: read fastest
    g.es["weight"] = w.tolist()
    return g


def _adjacency_of(n: int, r: np.ndarray, c: np.ndarray, w: np.ndarray) -> sparse.csr_array:
    A = sparse.coo_array((np.concatenate([w, w]), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n))
    return A.tocsr()


def to_igraph(G: nx.Graph, nodes: list) -> igraph.Graph:
    """The ties among ``nodes`` as an igraph Graph (vertex i = ``nodes[i]``, edge attribute ``weight``)."""
    return _igraph_of(len(nodes), *edge_arrays(G, nodes))


def adjacency(G: nx.Graph, nodes: list) -> sparse.csr_array:
    """Symmetric weighted adjacency matrix (CSR, rows in ``nodes`` order, self-loops dropped)."""
    return _adjacency_of(len(nodes), *edge_arrays(G, nodes))


class GraphArrays:
    """One graph as arrays, built once and shared by every measure of an analysis.

    ``nodes`` (the graph's order), ``index`` (node -> position), the edge
    arrays of :func:`edge_arrays`, and, each made on first use, the igraph
    Graph (:func:`to_igraph`) and the weighted adjacency matrix
    (:func:`adjacency`). Reading a networkx graph into arrays costs a pass
    over its edges in Python; doing it once instead of once per measure is
    most of the saving on a large map, and a graph made by
    :func:`netmap.graph.build_graph` comes with its arrays (the same, in the
    same order), so only its weights are read. The graph must not change
    while its arrays are in use.

    >>> arrays = GraphArrays(nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c", {})]))
    >>> arrays.n, arrays.m, arrays.igraph.ecount(), float(arrays.adjacency.sum())
    (3, 2, 2, 6.0)
    """

    def __init__(self, G: nx.Graph) -> None:
        self.nodes: list = list(G)
        self.n = len(self.nodes)
        self.index = {v: k for k, v in enumerate(self.nodes)}
        built = getattr(G, "__networkx_cache__", {}).get(EDGE_ARRAYS)  # left by build_graph: no pass over G
        if built is not None and built[0] == self.n and len(built[1]) == G.number_of_edges():
            self.i, self.j, datas = built[1:]
            self.w = np.fromiter(map(dict.get, datas, repeat("weight"), repeat(1.0)), dtype=float, count=len(datas))
        else:
            self.i, self.j, self.w = edge_arrays(G, self.nodes)
        self.m = len(self.i)
        #: Breadth-first searches from sampled sources already run on this graph (sources -> their sums):
        #: closeness and path lengths start from the same sample and share one search.
        self.searches: dict[bytes, dict[str, np.ndarray]] = {}
        #: The ties as the (indptr, indices) of the compiled searches, made on first use
        #: (:func:`netmap.analysis.estimate.search_pattern`).
        self.pattern: tuple[np.ndarray, np.ndarray] | None = None
        self._igraph: igraph.Graph | None = None
        self._adjacency: sparse.csr_array | None = None

    @property
    def igraph(self) -> igraph.Graph:
        """The graph in igraph (vertex k = ``nodes[k]``, edge attribute ``weight``)."""
        if self._igraph is None:
            self._igraph = _igraph_of(self.n, self.i, self.j, self.w)
        return self._igraph

    @property
    def adjacency(self) -> sparse.csr_array:
        """The symmetric weighted adjacency matrix (CSR, in ``nodes`` order)."""
        if self._adjacency is None:
            self._adjacency = _adjacency_of(self.n, self.i, self.j, self.w)
        return self._adjacency

    @property
    def degree(self) -> np.ndarray:
        """Number of partners of each actor."""
        return np.bincount(np.concatenate([self.i, self.j]), minlength=self.n).astype(np.int64)

    @property
    def strength(self) -> np.ndarray:
        """Sum of tie weights of each actor."""
        return np.bincount(np.concatenate([self.i, self.j]), weights=np.concatenate([self.w, self.w]),
                           minlength=self.n).astype(float)

    def components(self) -> np.ndarray:
        """Component number of each actor (``scipy.sparse.csgraph.connected_components`` labels)."""
        from scipy.sparse.csgraph import connected_components

        return connected_components(self.adjacency, directed=False)[1]

    def largest_component(self) -> np.ndarray:
        """Positions of the actors of the largest component, in order (of equally large ones, the one whose
        first actor id, case ignored, sorts first: the same whichever order the rows come in)."""
        if self.n == 0:
            return np.zeros(0, dtype=np.int64)
        labels = self.components()
        sizes = np.bincount(labels)
        tied = np.flatnonzero(sizes == sizes.max())
        if len(tied) > 1:
            members = {int(label): [] for label in tied}
            for position in np.flatnonzero(np.isin(labels, tied)):
                members[int(labels[position])].append(self.nodes[position])
            return np.flatnonzero(labels == min(members, key=lambda label: _first_by_id(members[label])))
        return np.flatnonzero(labels == int(tied[0]))


def distance_rows(
    G: nx.Graph | None, nodes: list, sources: list, g: igraph.Graph | None = None, chunk: int = 32
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (source index, distances to every node as a float array, inf if unreachable).

    Breadth-first searches in igraph when ``g`` (the graph of ``nodes``) is
    given, ``chunk`` sources at a time, else in networkx on ``G``.
    """
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
