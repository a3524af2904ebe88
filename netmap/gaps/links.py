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
from typing import Any

import networkx as nx

from netmap.gaps.finding import Finding, lower_label, plural, where
from netmap.model import CO_MEMBERSHIP, Framework
from netmap.scopes import Scope, holders_by_constituency

#: How a link is met, best first.
MET_BY = ("one_actor", "tie", "space")


def _evidence(G: nx.Graph, nodes: list[str], wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """For each wanted pair of constituencies, the best way it is met among ``nodes``, with an example.

    Complexity: O(sum of the degrees of ``nodes`` times the constituencies per actor, squared).
    """
    held = {v: tuple(dict.fromkeys(G.nodes[v].get("constituencies") or ())) for v in nodes}
    best: dict[tuple[str, str], dict] = {}

    def note(pair: tuple[str, str], how: str, actors: list[str], spaces: list[str]) -> None:
        if pair in wanted and (pair not in best or MET_BY.index(how) < MET_BY.index(best[pair]["met_by"])):
            best[pair] = {"met_by": how, "actors": actors, "spaces": spaces}

    for u, keys in held.items():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                note((a, b) if a <= b else (b, a), "one_actor", [u], [])
    adjacency = G._adj  # the graph's own dict of dicts: each tie of the scope, seen from both ends
    for u, keys in held.items():
        for v, edge in adjacency[u].items():
            if v == u or v not in held:
                continue
            types = edge.get("types") or ()
            how = "tie" if not types or any(t != CO_MEMBERSHIP for t in types) else "space"
            for a in keys:
                for b in held[v]:
                    if a != b:
                        note((a, b) if a <= b else (b, a), how, [u, v], list(edge.get("spaces") or ()))
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
