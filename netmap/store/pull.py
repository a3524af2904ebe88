"""Pulling a map: the records of one map read back into the model (equal to the map pushed).

Empty values were not stored, so a missing property reads back as the empty value:

>>> actor_of({"id": "a", "name": None, "constituencies": None, "aliases": None, "kind": None,
...           "communities": None, "led_by_community": None, "lived_experience_led": None, "locality": None,
...           "scale": None, "source": None, "notes": None, "attributes": None}) == Actor("a", "", kind="", scale="")
True
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import neo4j

from netmap.errors import StoreError
from netmap.model import Actor, Locality, Membership, NetworkMap, Space, Tie
from netmap.store.queries import load_query


def actor_of(r: dict[str, Any]) -> Actor:
    return Actor(
        id=r["id"], name=r["name"] or "", constituencies=tuple(r["constituencies"] or ()),
        aliases=tuple(r["aliases"] or ()), kind=r["kind"] or "", communities=tuple(r["communities"] or ()),
        led_by_community=bool(r["led_by_community"]), lived_experience_led=bool(r["lived_experience_led"]),
        locality=r["locality"] or "", scale=r["scale"] or "", source=r["source"] or "", notes=r["notes"] or "",
        attributes=json.loads(r["attributes"]) if r["attributes"] else {},
    )


def tie_of(r: dict[str, Any]) -> Tie:
    return Tie(
        from_id=r["from"], to_id=r["to"], type=r["type"], directed=bool(r["directed"]),
        weight=float(r["weight"]) if r["weight"] is not None else 1.0, trust=r["trust"], value=r["value"],
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
        Space(id=r["id"], name=r["name"], kind=r["kind"], locality=r["locality"], since=r["since"],
              until=r["until"], source=r["source"], notes=r["notes"])
        for r in rows("fetch_spaces")
    ]
    memberships = [
        Membership(actor_id=r["actor"], space_id=r["space"], role=r["role"], since=r["since"],
                   until=r["until"], source=r["source"])
        for r in rows("fetch_memberships")
    ]
    localities = [Locality(key=r["key"], name=r["name"], population=r["population"] or "")
                  for r in rows("fetch_localities")]
    return NetworkMap(
        key=m["key"], name=m["name"] or "", actors=actors, ties=ties, spaces=spaces, memberships=memberships,
        localities=localities, framework=m["framework"] or "", snapshot=m["snapshot"] or "",
        ego=tuple(m["ego"] or ()), description=m["description"] or "",
    )
