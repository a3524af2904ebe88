"""The gap items an invitation can close, read from the gap findings, and which items each candidate covers.

The planner's universe is a fixed list of :class:`GapItem`, built once from a
map's findings before any candidate is looked at:

* ``constituency``: an absent or under-represented constituency of a locality
  (rules ``absent_constituency.none`` and ``under_represented.below_minimum``).
  Its ``demand`` is the number of actors missing (the framework's minimum less
  those present) and each one it gets is worth the constituency's framework
  ``weight``.
* ``community``: a Census group of a locality's population that no organisation
  of the network is led by or serves (``community_coverage.no_organisation``),
  worth its population share in points (:data:`SHARE_PER_POINT`).
* ``link``: a link the framework expects that the network does not meet in a
  locality: the ``missing_link`` findings, and the links an absent
  constituency leaves unmet (the ``expected_links`` of its finding). Worth
  :data:`LINK_WEIGHT`.
* ``bridge``: a part of the network cut off from its largest part (isolates
  included), worth its share of the map's actors in points.

A candidate covers an item by what it is (its constituencies, communities and
locality, under the same rules as the map's actors: :mod:`netmap.scopes`) and
whom on the map it already works with, never by the other candidates; so the
planner's objective is a weighted coverage of this fixed universe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from netmap.gaps.finding import article, join_words, lower_label
from netmap.model import Actor, Framework, NetworkMap
from netmap.reference import high_level_group
from netmap.result import Result
from netmap.scopes import Scope, holders_by_constituency, in_locality, locality_scopes

#: Points of a community per percentage point of the population (10% of the population = 1 point).
SHARE_PER_POINT = 10.0
#: Points of an expected link that the network lacks (as much as one constituency of ordinary weight).
LINK_WEIGHT = 1.0
#: Points of joining a cut-off part per share of the map's actors it holds (a tenth of the actors = 1 point).
BRIDGE_POINTS = 10.0
KINDS = ("constituency", "community", "link", "bridge")


@dataclass(frozen=True)
class Candidate:
    """An organisation not yet on the map, and the map's actors it already works with (ids)."""

    actor: Actor
    works_with: tuple[str, ...] = ()
    row: int | None = None  # its row in the candidates file, for messages

    @property
    def id(self) -> str:
        return self.actor.id


@dataclass(frozen=True)
class GapItem:
    """One gap an invitation can close: ``demand`` units, each worth ``weight`` points."""

    id: str
    kind: str
    rule: str
    locality: str
    place: str  # the locality's name, '' for the whole map
    subject: str
    label: str
    weight: float
    demand: int = 1
    have: int = 0  # for constituencies: how many actors the network already has
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def points(self) -> float:
        """What closing the whole item is worth."""
        return self.weight * self.demand

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "rule": self.rule, "locality": self.locality,
                "subject": self.subject, "label": self.label, "weight": round(self.weight, 4),
                "demand": self.demand, "points": round(self.points, 4), **dict(self.data)}


def _places(nmap: NetworkMap, by_locality: bool) -> dict[str, Scope]:
    return {s.key: s for s in locality_scopes(nmap, by_locality)}


def _constituency_items(result: Result, places: dict[str, Scope]) -> list[GapItem]:
    items = []
    for f in result.findings:
        if f.rule not in ("absent_constituency.none", "under_represented.below_minimum"):
            continue
        c = result.framework.get(f.subject)
        have, need = int(f.data["count"]), int(f.data["min_presence"])
        place = places[f.locality].name if f.locality in places else ""
        items.append(GapItem(f"{f.locality}:constituency:{f.subject}", "constituency", f.rule, f.locality, place,
                             f.subject, c.label if c else f.subject, float(f.data["weight"]), need - have, have,
                             {"min_presence": need, "count": have}))
    return items


def _community_items(result: Result, places: dict[str, Scope]) -> list[GapItem]:
    items = []
    for f in result.findings:
        if f.rule != "community_coverage.no_organisation":
            continue
        scope = places.get(f.locality)
        population = scope.population.name if scope is not None and scope.population else ""
        share = float(f.data["population_share"])
        items.append(GapItem(f"{f.locality}:community:{f.subject}", "community", f.rule, f.locality,
                             scope.name if scope else "", f.subject, str(f.data["name"]), share / SHARE_PER_POINT,
                             data={"population_share": share, "population": population}))
    return items


def _link_items(result: Result, places: dict[str, Scope]) -> list[GapItem]:
    """Missing links with both sides present (their findings) or one side absent (its finding's links)."""
    fw = result.framework
    wanted: dict[tuple[str, str, str], str] = {}
    for f in result.findings:
        if f.kind == "missing_link":
            wanted.setdefault((f.locality, f.data["a"], f.data["b"]), f.rule)
        elif f.rule == "absent_constituency.none":
            for link in fw.expected_links:
                if f.subject in (link.a, link.b):
                    wanted.setdefault((f.locality, link.a, link.b), f.rule)
    links = {(link.a, link.b): link for link in fw.expected_links}
    items = []
    for (loc, a, b), rule in wanted.items():
        link = links[(a, b)] if (a, b) in links else links[(b, a)]
        place = places[loc].name if loc in places else ""
        label = f"{fw.label(a)} \u2013 {lower_label(fw.label(b))}"
        items.append(GapItem(f"{loc}:link:{a}--{b}", "link", rule, loc, place, f"{a}--{b}", label, LINK_WEIGHT,
                             data={"a": a, "b": b, "rationale": link.reason, "direct": link.direct}))
    return items


def _bridge_items(G: nx.Graph, order: list[str]) -> list[GapItem]:
    """One item per part of the network other than its largest (the first in map order among equals)."""
    position = {a: i for i, a in enumerate(order)}
    parts = sorted((sorted(p, key=lambda a: position.get(a, len(order))) for p in nx.connected_components(G)),
                   key=lambda p: (-len(p), position.get(p[0], len(order))))
    if len(parts) < 2:
        return []
    n = G.number_of_nodes()
    items = []
    for part in parts[1:]:
        first = part[0]
        items.append(GapItem(f"bridge:{first}", "bridge", "network.components", "", "", first,
                             f"the part of {G.nodes[first].get('name', first)}", BRIDGE_POINTS * len(part) / n,
                             data={"actors": part, "size": len(part), "main": parts[0][0]}))
    return items


def gap_items(result: Result, *, by_locality: bool = True) -> list[GapItem]:
    """The fixed universe of the planner: every item an invitation could close, in a stable order.

    ``by_locality`` must match the gap analysis that made ``result.findings``.
    """
    places = _places(result.nmap, by_locality)
    return (_constituency_items(result, places) + _community_items(result, places) + _link_items(result, places)
            + _bridge_items(result.graph, [a.id for a in result.nmap.actors]))


@dataclass
class Coverage:
    """Which items each candidate covers, and the evidence (the map's actors it works with) for each."""

    items: dict[str, GapItem]
    by_candidate: dict[str, dict[str, tuple[str, ...]]]

    def covered(self, candidate: str) -> dict[str, tuple[str, ...]]:
        return self.by_candidate.get(candidate, {})


def _link_evidence(c: Candidate, item: GapItem, holders: dict[str, list[str]]) -> tuple[str, ...] | None:
    """The map's actors through which ``c`` meets the link, () if it holds both sides, None if it does not."""
    held = set(c.actor.constituencies)
    a, b = item.data["a"], item.data["b"]
    if a in held and b in held:
        return ()
    for mine, other in ((a, b), (b, a)):
        if mine in held:
            found = tuple(x for x in c.works_with if x in holders.get(other, ()))
            if found:
                return found
    return None


def _evidence(c: Candidate, item: GapItem, holders: dict[str, dict[str, list[str]]],
              parts: dict[str, set[str]]) -> tuple[str, ...] | None:
    """The evidence that ``c`` covers ``item`` (possibly empty), or None if it does not."""
    if item.kind != "bridge" and item.locality and not in_locality(c.actor, item.locality):
        return None
    if item.kind == "constituency":
        return () if item.subject in c.actor.constituencies else None
    if item.kind == "community":
        parts_of_group = set(item.subject.split("+"))
        return () if any(high_level_group(k) in parts_of_group for k in c.actor.communities) else None
    if item.kind == "link":
        return _link_evidence(c, item, holders[item.locality])
    inside = [x for x in c.works_with if x in parts[item.id]]
    main = [x for x in c.works_with if x in parts["main"]]
    return (inside[0], main[0]) if inside and main else None


def coverage(result: Result, items: Iterable[GapItem], candidates: Iterable[Candidate], *,
             by_locality: bool = True) -> Coverage:
    """Which of ``items`` each candidate covers.

    A candidate covers a constituency or community item of a locality it
    belongs to (no locality: every one) by holding it; a link by holding both
    sides, or one side while working with an actor of the locality holding the
    other; a cut-off part by working with an actor in it and one in the largest part.
    """
    items = {i.id: i for i in items}
    G = result.graph
    scopes = _places(result.nmap, by_locality)
    holders = {key: holders_by_constituency(G, s.nodes) for key, s in scopes.items()}
    parts: dict[str, set[str]] = {i.id: set(i.data["actors"]) for i in items.values() if i.kind == "bridge"}
    if parts:
        main = next(i.data["main"] for i in items.values() if i.kind == "bridge")
        parts["main"] = nx.node_connected_component(G, main)
    by_candidate: dict[str, dict[str, tuple[str, ...]]] = {}
    for c in candidates:
        found = {}
        for item in items.values():
            evidence = _evidence(c, item, holders, parts)
            if evidence is not None:
                found[item.id] = evidence
        by_candidate[c.id] = found
    return Coverage(items, by_candidate)


def _names(G: nx.Graph, ids: Iterable[str]) -> str:
    names = [str(G.nodes[x].get("name", x)) if x in G else x for x in ids]
    return join_words(names[:2] + ([f"{len(names) - 2} more"] if len(names) > 2 else []))


def _count_words(n: int) -> str:
    return "none" if n == 0 else f"only {n}"


def reason_text(item: GapItem, candidate: Candidate, evidence: tuple[str, ...], have: int, G: nx.Graph,
                framework: Framework) -> str:
    """One plain-English sentence: why inviting ``candidate`` closes (a unit of) ``item``.

    ``have`` is how many units of the item the network (with the earlier picks) already holds.
    """
    to = f" to {item.place}" if item.place else " to the network"
    at = f" in {item.place}" if item.place else ""
    if item.kind == "constituency":
        need = int(item.data["min_presence"])
        return (f"Brings {article(item.label)}{to}, which has {_count_words(have)}; the framework expects at "
                f"least {need}.")
    if item.kind == "community":
        verb = "Is led by and serves" if candidate.actor.led_by_community else "Serves"
        whose = f"{item.data['population']}'s population" if item.data["population"] else "the population"
        return (f"{verb} {item.label} communities, {item.data['population_share']:g}% of {whose}, whom no "
                f"organisation in the network{at} serves yet.")
    if item.kind == "link":
        a, b = framework.label(item.data["a"]), framework.label(item.data["b"])
        why = item.data["rationale"]
        if not evidence:
            return f"Is both {article(a)} and {article(b)}, meeting a link the framework expects{at}: {why}"
        held = set(candidate.actor.constituencies)
        mine, other = (a, b) if item.data["a"] in held else (b, a)
        return (f"As {article(mine)} working with {_names(G, evidence)} ({article(other)}), it meets a link the "
                f"framework expects{at} that the network lacks: {why}")
    inside, main = evidence
    size = int(item.data["size"])
    what = "an actor" if size == 1 else f"a part of {size} actors"
    return (f"Works with {_names(G, [inside])}, cut off from the rest of the network, and with "
            f"{_names(G, [main])}: it joins {what} to the main network.")
