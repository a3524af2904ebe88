"""Scopes of a map: its localities, the actors each one holds, and the constituencies present in each.

Two rules live here and nowhere else:

* **the per-locality rule**: an actor belongs to the locality it names, and an
  actor with no locality (a national or city-wide body) belongs to every
  locality of the map;
* **the presence rule**: an actor holds every constituency in its list (not
  only its primary one), and counts once per constituency however often the
  list repeats it.

>>> from netmap.model import Actor, Locality, NetworkMap
>>> nmap = NetworkMap("m", "M", actors=[Actor("a", "A", locality="north"), Actor("b", "B")],
...                   localities=[Locality("north", "North"), Locality("south", "South")])
>>> [(s.key, s.nodes) for s in locality_scopes(nmap)]
[('north', ['a', 'b']), ('south', ['b'])]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from netmap.model import Actor, NetworkMap, PopulationProfile
from netmap.reference import map_profiles


@dataclass
class Scope:
    """The actors of one locality (plus those with no locality, shared by all)."""

    key: str
    name: str
    nodes: list[str]
    population: PopulationProfile | None


def in_locality(actor: Actor, locality: str) -> bool:
    """Whether ``actor`` belongs to the locality keyed ``locality`` (no locality = every locality)."""
    return actor.locality in ("", locality)


def locality_actor_ids(nmap: NetworkMap, locality: str) -> list[str]:
    """The ids of the actors of one locality, in map order."""
    return [a.id for a in nmap.actors if in_locality(a, locality)]


def locality_scopes(nmap: NetworkMap, by_locality: bool = True) -> list[Scope]:
    """The parts of a map gaps are computed for: one per locality, or the whole map.

    Actors with no locality (national bodies, say) belong to every locality.
    The whole map has the population profile of its locality only when it
    has exactly one.
    """
    profiles = map_profiles(nmap)
    if len(nmap.localities) == 1:
        loc = nmap.localities[0]
        return [Scope(loc.key, loc.name, [a.id for a in nmap.actors], profiles.get(loc.population))]
    if not by_locality or not nmap.localities:
        return [Scope("", "", [a.id for a in nmap.actors], None)]
    return [Scope(loc.key, loc.name, locality_actor_ids(nmap, loc.key), profiles.get(loc.population))
            for loc in nmap.localities]


def holders_by_constituency(G: nx.Graph, nodes: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The actors among ``nodes`` (default: all) holding each constituency, in the order of ``nodes``.

    >>> G = nx.Graph()
    >>> G.add_node("a", constituencies=["vcse", "faith_group", "vcse"])
    >>> G.add_node("b", constituencies=["vcse"])
    >>> dict(holders_by_constituency(G))
    {'vcse': ['a', 'b'], 'faith_group': ['a']}
    """
    held: dict[str, list[str]] = defaultdict(list)
    attributes = G._node  # each node's dict itself: faster than the G.nodes view
    for n in G if nodes is None else nodes:
        for key in dict.fromkeys(attributes[n].get("constituencies") or ()):
            held[key].append(n)
    return held


def constituency_counts(G: nx.Graph, nodes: Iterable[str] | None = None) -> Counter:
    """How many actors among ``nodes`` (default: all) hold each constituency.

    Complexity: O(sum of the actors' list lengths).
    """
    return Counter({key: len(members) for key, members in holders_by_constituency(G, nodes).items()})
