"""Pulling a map: the records of one map, its framework and population profiles read back into the model.

The map read back equals the map pushed, the workspace's own population profiles included.

Empty and default values were not stored, so a missing property reads back as the model's
default (the ``fetch_*`` queries give the defaults back too):

>>> actor_of({"id": "a", "name": None, "constituencies": None, "aliases": None, "kind": None,
...           "communities": None, "led_by_community": None, "lived_experience_led": None, "locality": None,
...           "scale": None, "source": None, "notes": None, "attributes": None}) == Actor("a", "")
True
>>> tie_of({"from": "a", "to": "b", "type": "funds", "directed": None, "weight": None, "trust": None,
...         "value": None, "since": None, "until": None, "reported_by": None, "source": None, "notes": None})
Tie(from_id='a', to_id='b', type='funds', directed=False, weight=1.0, trust=None, value=None, since='', \
until='', reported_by=(), source='', notes='')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NamedTuple

import neo4j

from netmap.errors import StoreError
from netmap.model import (
    Actor,
    Constituency,
    ExpectedLink,
    Framework,
    Locality,
    Membership,
    NetworkMap,
    PopulationProfile,
    Space,
    Tie,
)
from netmap.store.queries import load_query
from netmap.store.rows import ACTOR_DEFAULTS, MEMBERSHIP_DEFAULTS, SPACE_DEFAULTS, TIE_WEIGHT


class Pulled(NamedTuple):
    """A map read back, the framework it was pushed with (None if none is stored) and the stored
    population profiles its localities name, by key."""

    map: NetworkMap
    framework: Framework | None
    populations: dict[str, PopulationProfile]


def actor_of(r: dict[str, Any]) -> Actor:
    return Actor(
        id=r["id"], name=r["name"] or "", constituencies=tuple(r["constituencies"] or ()),
        aliases=tuple(r["aliases"] or ()), kind=_text(r["kind"], ACTOR_DEFAULTS["kind"]),
        communities=tuple(r["communities"] or ()), led_by_community=bool(r["led_by_community"]),
        lived_experience_led=bool(r["lived_experience_led"]), locality=r["locality"] or "",
        scale=_text(r["scale"], ACTOR_DEFAULTS["scale"]), source=r["source"] or "", notes=r["notes"] or "",
        attributes=json.loads(r["attributes"]) if r["attributes"] else {},
    )


def tie_of(r: dict[str, Any]) -> Tie:
    return Tie(
        from_id=r["from"], to_id=r["to"], type=r["type"], directed=bool(r["directed"]),
        weight=float(r["weight"]) if r["weight"] is not None else TIE_WEIGHT, trust=r["trust"], value=r["value"],
        since=r["since"] or "", until=r["until"] or "", reported_by=tuple(r["reported_by"] or ()),
        source=r["source"] or "", notes=r["notes"] or "",
    )


def read_map(tx: neo4j.ManagedTransaction, map_key: str) -> NetworkMap:
    """Map ``map_key`` as it is stored, read within one transaction."""
    def rows(name: str) -> Iterator[dict[str, Any]]:
        for record in tx.run(load_query(name), {"map": map_key}):
            yield record.data()

    head = list(rows("fetch_map"))
    if not head:
        raise StoreError(f"no map '{map_key}' in the database (see `netmap neo4j maps`)")
    m = head[0]
    actors = [actor_of(r) for r in rows("fetch_actors")]
    ties = [tie_of(r) for r in rows("fetch_ties")]
    spaces = [
        Space(id=r["id"], name=r["name"] or "", kind=_text(r["kind"], SPACE_DEFAULTS["kind"]),
              locality=r["locality"] or "", since=r["since"] or "", until=r["until"] or "",
              source=r["source"] or "", notes=r["notes"] or "")
        for r in rows("fetch_spaces")
    ]
    memberships = [
        Membership(actor_id=r["actor"], space_id=r["space"], role=_text(r["role"], MEMBERSHIP_DEFAULTS["role"]),
                   since=r["since"] or "", until=r["until"] or "", source=r["source"] or "")
        for r in rows("fetch_memberships")
    ]
    localities = [Locality(key=r["key"], name=r["name"] or "", population=r["population"] or "")
                  for r in rows("fetch_localities")]
    return NetworkMap(
        key=m["key"], name=m["name"] or "", actors=actors, ties=ties, spaces=spaces, memberships=memberships,
        localities=localities, framework=m["framework"] or "", snapshot=m["snapshot"] or "",
        ego=tuple(m["ego"] or ()), description=m["description"] or "",
        populations=own_populations(m.get("populations")),
    )


def own_populations(text: str | None) -> dict[str, PopulationProfile]:
    """The workspace's own profiles from the JSON text the :Map node keeps.

    >>> own_populations('{"n": {"name": "North", "shares": {"asian": 60.0, "white": 40.0}}}')["n"].shares
    {'asian': 60.0, 'white': 40.0}
    """
    if not text:
        return {}
    return {key: PopulationProfile(key=key, name=p.get("name") or key, shares=dict(p.get("shares") or {}),
                                   geography_code=p.get("geography_code") or "", source=p.get("source") or "")
            for key, p in json.loads(text).items()}


def read_framework(tx: neo4j.ManagedTransaction, map_key: str) -> Framework | None:
    """The framework map ``map_key`` was last pushed with, as stored (None if the map has none)."""
    record = tx.run(load_query("fetch_framework"), {"map": map_key}).single()
    if record is None:
        return None
    constituencies = tuple(
        Constituency(key=c["key"], label=_text(c.get("label"), c["key"]), sector=c.get("sector") or "vcse",
                     description=c.get("description") or "", min_presence=int(c.get("min_presence", 1)),
                     weight=float(c.get("weight", 1.0)), reaches=tuple(c.get("reaches") or ()))
        for c in record["constituencies"])
    links = tuple(ExpectedLink(e["a"], e["b"], e["reason"] or "", bool(e["direct"])) for e in record["expected_links"])
    return Framework(key=record["key"], name=_text(record["name"], record["key"]), constituencies=constituencies,
                     expected_links=links, description=record["description"] or "", source=record["source"] or "")


def _text(value: str | None, default: str) -> str:
    """A stored text; ``default`` only where none was stored (an empty text stays empty)."""
    return default if value is None else value


def read_populations(tx: neo4j.ManagedTransaction, map_key: str) -> dict[str, PopulationProfile]:
    """The stored population profiles the localities of map ``map_key`` name, by key."""
    return {r["key"]: PopulationProfile(key=r["key"], name=r["name"] or r["key"],
                                        shares=dict(zip(r["groups"] or (), r["shares"] or (), strict=True)),
                                        geography_code=r["geography_code"] or "", source=r["source"] or "")
            for r in tx.run(load_query("fetch_populations"), {"map": map_key})}
