"""Communities: Louvain groups of actors more tied to each other than to the rest, numbered by size.

>>> detect_communities(nx.path_graph(2))
{0: 0, 1: 0}
"""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx

from netmap.analysis.backend import GraphArrays, use_igraph

__all__ = ["detect_communities"]


def _igraph_louvain(arrays: GraphArrays, seed: int) -> list[set]:
    """igraph's multilevel (Louvain) communities, seeded so that they repeat."""
    import igraph  # imported when first needed: it slows every command's start

    nodes = arrays.nodes
    g = arrays.igraph
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


def detect_communities(G: nx.Graph, seed: int = 42, *, arrays: GraphArrays | None = None) -> dict[str, int]:
    """Louvain communities (weighted), numbered 0, 1, ... by size, largest first.

    Uses :func:`networkx.community.louvain_communities` with ``seed``, or
    igraph's multilevel (Louvain) method seeded the same way above
    :data:`~netmap.analysis.backend.IGRAPH_MIN_NODES` actors; communities of
    equal size are ordered by their first actor in ``G``. Each isolate is a
    community of its own. ``arrays``: the graph's
    :class:`~netmap.analysis.backend.GraphArrays` when the caller has them.

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
    elif use_igraph(len(G)):
        communities = _igraph_louvain(arrays if arrays is not None else GraphArrays(G), seed)
    else:
        communities = nx.community.louvain_communities(G, weight="weight", seed=seed)
    ordered = sorted(communities, key=lambda c: (-len(c), min(position[v] for v in c)))
    return {v: number for number, community in enumerate(ordered) for v in community}

