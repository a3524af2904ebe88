"""Expected links: how each link a framework expects between two constituencies is met, and which are missing.

An expected link between constituencies A and B is met, in a locality, by

* ``one_actor``: an actor holding both A and B (a council that is also the
  housing authority links the two by itself);
* ``tie``: a tie of ``ties.csv`` between an actor holding A and a different
  actor holding B;
* ``space``: the two sharing a space (forum, board, pledge), unless the
  framework marks the link ``direct = true``.

A link is a finding only when both constituencies are present: an absent
constituency is its own finding (``absent_constituency``), whose ``data``
lists the links it leaves unmet.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, repeat
from typing import Any

import networkx as nx
import numpy as np

from netmap.analysis.structure import neighbour_arrays
from netmap.gaps.finding import Finding, lower_label, plural, where
from netmap.graph import ENTRY_EDGES
from netmap.model import CO_MEMBERSHIP, Framework
from netmap.scopes import Scope, holders_by_constituency

#: How a link is met, best first.
MET_BY = ("one_actor", "tie", "space")

#: Key of a graph's per-entry "holds a tie" flags in ``G.__networkx_cache__``.
_TIE_ENTRIES = "netmap_tie_entries"


def _is_tie(types: list | None) -> bool:
    """Whether an edge with these tie types holds a tie of ``ties.csv`` (not only shared spaces)."""
    if not types:
        return True
    if len(types) == 1:
        return types[0] != CO_MEMBERSHIP
    return any(t != CO_MEMBERSHIP for t in types)


def _tie_entries(G: nx.Graph) -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
    """``list(G)``, the partner arrays of :func:`~netmap.analysis.structure.neighbour_arrays` and, per entry,
    whether that edge holds a tie (not only shared spaces); kept in the graph's cache."""
    cache = getattr(G, "__networkx_cache__", None)
    found = cache.get(_TIE_ENTRIES) if cache is not None else None
    if found is not None and len(found[0]) == len(G):
        return found
    nodes, indptr, indices = neighbour_arrays(G)
    built = cache.get(ENTRY_EDGES) if cache is not None else None
    if built is not None and len(built[0]) == len(indices):  # build_graph's edges: each edge's types read once
        edge_of, datas = built
        per_edge = np.fromiter(map(_is_tie, map(dict.get, datas, repeat("types"))), dtype=bool, count=len(datas))
        tie = per_edge[edge_of]
    else:
        datas = chain.from_iterable(G._adj[v].values() for v in nodes)
        tie = np.fromiter(map(_is_tie, map(dict.get, datas, repeat("types"))), dtype=bool, count=len(indices))
    found = (nodes, indptr, indices, tie)
    if cache is not None:
        cache[_TIE_ENTRIES] = found
    return found


def _evidence(G: nx.Graph, nodes: list[str], wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """For each wanted pair of constituencies, the best way it is met among ``nodes``, with an example.

    The example is the first one met going through ``nodes`` in order, each
    actor's partners in the graph's order: an actor holding both, else a tie,
    else a shared space. Actors holding the same wanted constituencies, tied
    the same way, meet the same pairs, so only the first tie of each such
    kind is looked at (found in numpy over the graph's partner arrays).
    Complexity: O(n + m log m).
    """
    keys = {k for pair in wanted for k in pair}
    attributes = G._node  # each node's dict itself: faster than the G.nodes view
    held = {v: tuple(dict.fromkeys(attributes[v].get("constituencies") or ())) for v in nodes}
    all_nodes, indptr, indices, tie = _tie_entries(G)
    index = {v: k for k, v in enumerate(all_nodes)}
    kinds: dict[tuple, int] = {(): 0}  # the wanted constituencies an actor holds -> a number
    code = np.zeros(len(all_nodes), dtype=np.int64)
    for v, own in held.items():
        code[index[v]] = kinds.setdefault(tuple(k for k in own if k in keys), len(kinds))
    best: dict[tuple[str, str], dict] = {}

    def note(pair: tuple[str, str], how: str, actors: list[str], spaces: list[str]) -> None:
        if pair in wanted and (pair not in best or MET_BY.index(how) < MET_BY.index(best[pair]["met_by"])):
            best[pair] = {"met_by": how, "actors": actors, "spaces": spaces}

    seen: set[int] = set()
    for u, own in held.items():
        if code[index[u]] in seen:
            continue
        seen.add(code[index[u]])
        for i, a in enumerate(own):
            for b in own[i + 1:]:
                note((a, b) if a <= b else (b, a), "one_actor", [u], [])
    rows = np.fromiter((index[v] for v in held), dtype=np.int64, count=len(held))
    counts = indptr[rows + 1] - indptr[rows]
    offsets = np.repeat(indptr[rows] - np.cumsum(counts) + counts, counts)  # each row's entries, in order
    entry = offsets + np.arange(int(counts.sum()), dtype=np.int64)
    first, second = np.repeat(rows, counts), indices[entry]
    in_scope = code > 0  # an actor holding no wanted constituency meets no wanted pair
    keep = np.flatnonzero(in_scope[first] & in_scope[second] & (first != second))
    kind = (code[first[keep]] * len(kinds) + code[second[keep]]) * 2 + tie[entry[keep]]
    _, starts = np.unique(kind, return_index=True)
    adjacency = G._adj
    for k in np.sort(keep[starts]).tolist():  # the first edge of each kind, in the order they are met
        u, v = all_nodes[first[k]], all_nodes[second[k]]
        how = "tie" if tie[entry[k]] else "space"
        for a in held[u]:
            for b in held[v]:
                if a != b:
                    note((a, b) if a <= b else (b, a), how, [u, v], list(adjacency[u][v].get("spaces") or ()))
    return best


def link_status(G: nx.Graph, framework: Framework, nodes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every expected link of the framework among ``nodes`` (default: all), met or not, in framework order.

    Each: ``a, b, rationale, direct, a_count, b_count`` (actors holding each
    constituency), ``met_by`` (``one_actor``, ``tie``, ``space`` or None),
    ``met`` (a space does not meet a ``direct`` link), ``actors`` (an example:
    the actor holding both, or the two tied) and ``spaces`` (the spaces they share).

    >>> from netmap.model import Constituency, ExpectedLink
    >>> council, housing = Constituency("la", "Council", "statutory"), Constituency("h", "Housing", "statutory")
    >>> fw = Framework("f", "F", (council, housing), (ExpectedLink("la", "h"),))
    >>> G = nx.Graph(); G.add_node("council", constituencies=["la", "h"])
    >>> [(s["met_by"], s["actors"]) for s in link_status(G, fw)]
    [('one_actor', ['council'])]
    """
    node_list = list(G.nodes) if nodes is None else list(nodes)
    holders = holders_by_constituency(G, node_list)
    evidence = _evidence(G, node_list, {link.key for link in framework.expected_links})
    rows = []
    for link in framework.expected_links:
        found = evidence.get(link.key, {"met_by": None, "actors": [], "spaces": []})
        met = found["met_by"] in ("one_actor", "tie") or (found["met_by"] == "space" and not link.direct)
        rows.append({"a": link.a, "b": link.b, "rationale": link.reason, "direct": link.direct,
                     "a_count": len(holders.get(link.a, [])), "b_count": len(holders.get(link.b, [])),
                     "met": met, **found})
    return rows


def missing_links(G: nx.Graph, framework: Framework, nodes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The expected links :func:`link_status` finds unmet (including those with an absent constituency)."""
    return [row for row in link_status(G, framework, nodes) if not row["met"]]


def link_findings(G: nx.Graph, framework: Framework, scope: Scope, space_names: dict[str, str]) -> list[Finding]:
    """A finding for each expected link unmet in ``scope`` although both its constituencies are present."""
    findings = []
    at = where(scope.name)
    for item in missing_links(G, framework, scope.nodes):
        if not (item["a_count"] and item["b_count"]):
            continue
        la, lb = framework.label(item["a"]), lower_label(framework.label(item["b"]))
        sides = f"{la} ({plural(item['a_count'], 'actor')}) and {lb} ({plural(item['b_count'], 'actor')})"
        subject = f"{item['a']}--{item['b']}"
        if item["met_by"] == "space":
            names = [space_names.get(s, s) for s in item["spaces"]]
            message = (f"{sides} only share a space{at} ({', '.join(names)}); the framework expects a direct "
                       f"tie. {item['rationale']}")
            findings.append(Finding("missing_link", "medium", scope.key, subject, message.strip(), item,
                                    "missing_link.space_only"))
            continue
        joined = "no tie joins them" if item["direct"] else "no tie or shared space joins them"
        message = f"{sides} are both in the network{at}, but {joined}. {item['rationale']}"
        findings.append(Finding("missing_link", "high", scope.key, subject, message.strip(), item,
                                "missing_link.no_tie"))
    return findings
