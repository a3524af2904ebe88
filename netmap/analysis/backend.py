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

from collections.abc import Iterator
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    import igraph

__all__ = [
    "IGRAPH_MIN_NODES", "adjacency", "distance_rows", "edge_arrays", "largest_component", "to_igraph", "use_igraph",
]

#: Above this many actors, python-igraph computes betweenness, closeness,
#: PageRank, k-cores, (above 400 actors) eigenvector centrality, path lengths,
#: clustering and communities.
IGRAPH_MIN_NODES = 1000


def use_igraph(n: int) -> bool:
    """Whether a network of ``n`` actors is measured with igraph (above :data:`IGRAPH_MIN_NODES`)."""
    return n > IGRAPH_MIN_NODES


def largest_component(G: nx.Graph) -> set:
    """Node set of the largest connected component (the first found on ties)."""
    return max(nx.connected_components(G), key=len) if len(G) else set()


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


def to_igraph(G: nx.Graph, nodes: list) -> igraph.Graph:
    """The ties among ``nodes`` as an igraph Graph (vertex i = ``nodes[i]``, edge attribute ``weight``)."""
    import igraph  # imported when first needed: it slows every command's start

    i, j, w = edge_arrays(G, nodes)
    g = igraph.Graph(n=len(nodes), edges=np.column_stack([i, j]).tolist())
    g.es["weight"] = w.tolist()
    return g


def adjacency(G: nx.Graph, nodes: list) -> sparse.csr_array:
    """Symmetric weighted adjacency matrix (CSR, rows in ``nodes`` order, self-loops dropped)."""
    n = len(nodes)
    r, c, w = edge_arrays(G, nodes)
    A = sparse.coo_array((np.concatenate([w, w]), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n))
    return A.tocsr()


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
