"""Groups of actors: the ``unclassified`` group, ties within and between groups, mixing, Blau heterogeneity, E-I.

Actors are grouped by a node attribute, their primary constituency by
default; an actor without one (``primary == ""``) belongs to the group
``"unclassified"`` (:data:`UNCLASSIFIED`). Ties are counted unweighted and
self-ties are left out.

>>> G = nx.path_graph(3)
>>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: ""}, "primary")
>>> groups_of(G)
{0: 'a', 1: 'a', 2: 'unclassified'}
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from netmap.analysis.backend import edge_arrays
from netmap.graph import EDGE_ARRAYS

__all__ = [
    "UNCLASSIFIED", "blau_heterogeneity", "edge_ends", "ei_index", "group_of", "groups_of", "mixing_matrix",
    "ties_by_group",
]

#: Group name of actors without a constituency.
UNCLASSIFIED = "unclassified"


def group_of(G: nx.Graph, v: Hashable, attribute: str = "primary") -> str:
    """The group of actor ``v``: its ``attribute``, or :data:`UNCLASSIFIED` when it has none."""
    value = G._node[v].get(attribute)  # the node's dict itself: faster than the G.nodes view
    return str(value) if value not in (None, "") else UNCLASSIFIED


def groups_of(G: nx.Graph, attribute: str = "primary") -> dict:
    """The group of every actor (see :func:`group_of`), in the graph's order."""
    return {v: group_of(G, v, attribute) for v in G}


def edge_ends(G: nx.Graph) -> tuple[list, np.ndarray, np.ndarray]:
    """``list(G)`` and the two ends of each tie (positions in it, self-ties left out), in ``G.edges()`` order.

    A graph of :func:`netmap.graph.build_graph` carries these arrays in its
    cache (:data:`netmap.graph.EDGE_ARRAYS`), so no pass over its edges in
    Python is needed; any other graph is read once.

    >>> nodes, i, j = edge_ends(nx.path_graph(["a", "b", "c"]))
    >>> nodes, i.tolist(), j.tolist()
    (['a', 'b', 'c'], [0, 1], [1, 2])
    """
    nodes = list(G)
    built = getattr(G, "__networkx_cache__", {}).get(EDGE_ARRAYS)
    if built is not None and built[0] == len(nodes) and len(built[1]) == G.number_of_edges():
        return nodes, built[1], built[2]
    i, j, _ = edge_arrays(G, nodes)
    return nodes, i, j


def _group_codes(nodes: list, group: dict) -> tuple[list[str], np.ndarray]:
    """The distinct groups (in order of first appearance) and each node's position among them."""
    position: dict[str, int] = {}
    codes = np.fromiter((position.setdefault(group[v], len(position)) for v in nodes), dtype=np.int64,
                        count=len(nodes))
    return list(position), codes


def ties_by_group(G: nx.Graph, group: dict) -> tuple[Counter, Counter]:
    """(external, internal): per group, its ties to other groups and the ties inside it.

    A tie between two groups counts once for each of them; a tie inside a
    group counts once. Complexity: O(n + m), in numpy over the tie arrays.

    >>> G = nx.path_graph(3)
    >>> ties_by_group(G, {0: "a", 1: "a", 2: "b"})
    (Counter({'a': 1, 'b': 1}), Counter({'a': 1}))
    """
    nodes, i, j = edge_ends(G)
    labels, codes = _group_codes(nodes, group)
    a, b = codes[i], codes[j]
    inside = a == b
    g = len(labels)
    internal_n = np.bincount(a[inside], minlength=g)
    external_n = np.bincount(a[~inside], minlength=g) + np.bincount(b[~inside], minlength=g)
    external = Counter({label: int(c) for label, c in zip(labels, external_n.tolist(), strict=True) if c})
    internal = Counter({label: int(c) for label, c in zip(labels, internal_n.tolist(), strict=True) if c})
    return external, internal


def _order(labels: Iterable[str]) -> list[str]:
    """The distinct groups, sorted, ``unclassified`` last."""
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
    group = groups_of(G, attribute)
    labels = _order(group.values())
    position = {label: i for i, label in enumerate(labels)}
    nodes, i, j = edge_ends(G)
    g = len(labels)
    codes = np.fromiter((position[group[v]] for v in nodes), dtype=np.int64, count=len(nodes))
    a, b = codes[i], codes[j]
    once = np.bincount(a * g + b, minlength=g * g).reshape(g, g).astype(np.int64)
    counts = once + once.T - np.diag(np.diag(once))  # a tie inside a group counts once on the diagonal
    totals = (np.bincount(a, minlength=g) + np.bincount(b, minlength=g)).astype(float)
    m = len(i)
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
    counts = Counter(groups_of(G, attribute).values())
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
    by_group_external, by_group_internal = ties_by_group(G, groups_of(G, attribute))
    external = sum(by_group_external.values()) // 2  # each tie between groups counted for both
    internal = sum(by_group_internal.values())
    total = external + internal
    return (external - internal) / total if total else math.nan
