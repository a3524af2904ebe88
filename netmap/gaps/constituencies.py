"""Constituency findings: absent, under-represented and peripheral constituencies of one locality."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from netmap.analysis.structure import neighbour_arrays
from netmap.gaps.finding import PERIPHERAL_VOICE_RATIO, PRIORITY_WEIGHT, Finding, plural, where
from netmap.model import Framework
from netmap.scopes import Scope, holders_by_constituency


def _percent(share: float) -> str:
    """'12%', or '0.4%' for a share below 10%, so that small shares do not read as 0%."""
    return f"{share:.0%}" if share >= 0.095 else f"{share:.1%}"


def _partners(framework: Framework, key: str) -> list[str]:
    """The constituencies the framework expects ``key`` to be tied to."""
    return [link.b if link.a == key else link.a for link in framework.expected_links if key in (link.a, link.b)]


def _scope_mask(G: nx.Graph, nodes: list[str]) -> tuple[np.ndarray, dict]:
    """Which actors of ``G`` (by position, :func:`~netmap.analysis.structure.neighbour_arrays`) are in
    ``nodes``, and the position of each actor."""
    all_nodes, _, _ = neighbour_arrays(G)
    index = {v: k for k, v in enumerate(all_nodes)}
    mask = np.zeros(len(all_nodes), dtype=bool)
    mask[[index[v] for v in nodes if v in index]] = True
    return mask, index


def _outside(G: nx.Graph, members: list[str], in_scope: np.ndarray, index: dict) -> list[str]:
    """The actors of the scope (``in_scope``), not among ``members``, tied to one of them (in no set order)."""
    all_nodes, indptr, indices = neighbour_arrays(G)
    rows = np.fromiter((index[v] for v in members), dtype=np.int64, count=len(members))
    counts = indptr[rows + 1] - indptr[rows]
    entry = np.repeat(indptr[rows] - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
    partners = indices[entry]
    keep = in_scope.copy()
    keep[rows] = False
    hit = np.zeros(len(all_nodes), dtype=bool)  # distinct, in position order (np.unique's hash is far slower)
    hit[partners[keep[partners]]] = True
    return [all_nodes[k] for k in np.flatnonzero(hit).tolist()]


def constituency_findings(G: nx.Graph, actors: pd.DataFrame, framework: Framework, scope: Scope) -> list[Finding]:
    """Absent, under-represented and peripheral constituencies among the actors of ``scope``."""
    findings = []
    nodes = scope.nodes
    n = len(nodes)
    pagerank = actors["pagerank"].reindex(nodes).fillna(0.0)
    total_rank = float(pagerank.sum()) or 1.0
    at = where(scope.name)
    in_scope, index = _scope_mask(G, nodes)
    holders = holders_by_constituency(G, nodes)
    for c in framework.constituencies:
        members = holders.get(c.key, [])
        count = len(members)
        base = {"constituency": c.key, "label": c.label, "sector": c.sector, "count": count,
                "min_presence": c.min_presence, "weight": c.weight, "actors_in_locality": n}
        if count == 0 and c.min_presence == 0:
            continue
        if count == 0:
            severity = "high" if c.weight >= PRIORITY_WEIGHT else "medium"
            findings.append(Finding(
                "absent_constituency", severity, scope.key, c.key,
                f"{c.label}: none in the network{at}; the framework expects at least {c.min_presence}.",
                {**base, "expected_links": _partners(framework, c.key)}, "absent_constituency.none"))
            continue
        if count < c.min_presence:
            findings.append(Finding(
                "under_represented", "medium", scope.key, c.key,
                f"{c.label}: only {plural(count, 'actor')} in the network{at}; the framework expects "
                f"at least {c.min_presence}.", base, "under_represented.below_minimum"))
        share = count / n if n else 0.0
        voice = float(pagerank.reindex(members).sum()) / total_rank
        outside = _outside(G, members, in_scope, index)
        data = {**base, "share": round(share, 4), "voice": round(voice, 4),
                "voice_ratio": round(voice / share, 3) if share else None}
        if not outside and n > count:
            findings.append(Finding(
                "peripheral_constituency", "high" if c.weight >= PRIORITY_WEIGHT else "medium", scope.key, c.key,
                f"{c.label} ({plural(count, 'actor')}) has no tie to anyone else{at}.",
                {**data, "reason": "isolated", "brokers": []}, "peripheral_constituency.isolated"))
        elif len(outside) == 1 and n > count + 1:
            broker = next(iter(outside))
            findings.append(Finding(
                "peripheral_constituency", "medium", scope.key, c.key,
                f"{c.label} is reached only through {G.nodes[broker].get('name', broker)}{at}: if that tie "
                "goes, the constituency is cut off.", {**data, "reason": "single_broker", "brokers": [broker]},
                "peripheral_constituency.single_broker"))
        elif share and voice / share < PERIPHERAL_VOICE_RATIO:
            findings.append(Finding(
                "peripheral_constituency", "low", scope.key, c.key,
                f"{c.label} has {_percent(share)} of the actors{at} but only {_percent(voice)} of the centrality "
                "(PageRank): present, but on the edge.", {**data, "reason": "low_centrality", "brokers": []},
                "peripheral_constituency.low_voice"))
    return findings
