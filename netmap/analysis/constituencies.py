"""The constituency table: how present, central and open each constituency of a framework is.

>>> G = nx.path_graph(["a", "b"])
>>> nx.set_node_attributes(G, {"a": ["nhs"], "b": []}, "constituencies")
>>> nx.set_node_attributes(G, {"a": "nhs", "b": ""}, "primary")
>>> constituency_metrics(G, None)["count"].to_dict()
{'nhs': 1, 'unclassified': 1}
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd

from netmap.analysis.centrality import actor_metrics
from netmap.analysis.groups import UNCLASSIFIED, groups_of, ties_by_group
from netmap.model import Framework
from netmap.scopes import holders_by_constituency

__all__ = ["CONSTITUENCY_MEASURES", "constituency_metrics"]

#: Columns of :func:`constituency_metrics`, in order.
CONSTITUENCY_MEASURES: tuple[str, ...] = (
    "label", "sector", "count", "primary_count", "share", "primary_share", "voice",
    "betweenness_share", "ei_index", "mean_degree",
)  # fmt: skip


def constituency_metrics(
    G: nx.Graph, framework: Framework | None, *, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How present, central and open each constituency is.

    One row per constituency (index name ``constituency``): every constituency
    of ``framework`` in its order, then any other key found on actors (sorted;
    sector ``unknown``), then ``unclassified`` if some actor has no
    constituency. Columns (:data:`CONSTITUENCY_MEASURES`):

    * ``label``, ``sector``: from the framework;
    * ``count``: actors holding the constituency anywhere in their list (the
      presence rule of :mod:`netmap.scopes`), or as their primary one;
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

    ``actors`` may pass the result of
    :func:`~netmap.analysis.centrality.actor_metrics` to avoid computing
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

    Complexity: that of :func:`~netmap.analysis.centrality.actor_metrics` unless ``actors`` is given, then O(n + m).
    """
    if framework is None:
        framework = Framework("none", "No framework", ())
    if actors is None:
        actors = actor_metrics(G)
    nodes = list(G)
    n = len(nodes)
    primary = groups_of(G)
    members: dict[str, list] = defaultdict(list)  # actors by primary constituency, in the graph's order
    for v in nodes:
        members[primary[v]].append(v)
    holders = holders_by_constituency(G)
    unclassified = n - len({v for held in holders.values() for v in held})  # actors holding none
    external, internal = ties_by_group(G, primary)
    pagerank = actors["pagerank"].reindex(nodes)
    betweenness = actors["betweenness"].reindex(nodes)
    pr_total = float(pagerank.sum())
    bc_total = float(betweenness.sum())
    degree = dict(G.degree())
    keys = _row_keys(framework, holders, members)
    rows = []
    for key in keys:
        group = members.get(key, [])
        if key == UNCLASSIFIED:
            count = unclassified
            label, sector = "Unclassified", "unknown"
        else:
            # a graph built by hand may give an actor its primary constituency alone
            count = len(set(holders.get(key, ())).union(group))
            found = framework.get(key)
            label, sector = (found.label, found.sector) if found else (key, "unknown")
        e, i = external[key], internal[key]
        rows.append(
            {
                "label": label,
                "sector": sector,
                "count": count,
                "primary_count": len(group),
                "share": count / n if n else 0.0,
                "primary_share": len(group) / n if n else 0.0,
                "voice": float(pagerank[group].sum()) / pr_total if pr_total > 0 else 0.0,
                "betweenness_share": float(betweenness[group].sum()) / bc_total if bc_total > 0 else 0.0,
                "ei_index": (e - i) / (e + i) if e + i else math.nan,
                "mean_degree": float(np.mean([degree[v] for v in group])) if group else math.nan,
            }
        )
    df = pd.DataFrame(rows, index=pd.Index(keys, name="constituency"), columns=list(CONSTITUENCY_MEASURES))
    return df.astype({"count": "int64", "primary_count": "int64"})


def _row_keys(framework: Framework, holders: dict[str, list], members: dict[str, list]) -> list[str]:
    """The framework's constituencies in order, other keys found on actors sorted, then ``unclassified``."""
    known = list(framework.keys)
    extra = sorted(set(holders) | {p for p in members if p != UNCLASSIFIED})
    keys = known + [k for k in extra if k not in known]
    if UNCLASSIFIED in members:
        keys.append(UNCLASSIFIED)
    return keys
