"""Parameter rows: the model's objects as the plain values the named queries take.

Every value is checked on the way (a text is a text, a number a number), and an error names
the record by its position and id, before the server is contacted. Empty values are left out
or made null, as Neo4j stores nothing for them: reading back gives the defaults.

>>> from netmap.model import Space
>>> space_row(Space("forum", "The forum"), "leeds", 0)["props"]["name"]
'The forum'
>>> tie_row(Tie("b", "a", "partnership"), 4)[:4]
['a', 'b', True, False]
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from netmap.errors import StoreError
from netmap.model import Actor, Framework, Locality, Membership, PopulationProfile, Space, Tie


def as_text(value: Any, what: str) -> str:
    """``value`` as a text ("" for None); anything else is refused, naming ``what``."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StoreError(f"{what}: expected text, got {type(value).__name__}")
    return value


def as_texts(values: Any, what: str) -> list[str]:
    """``values`` as a list of texts ([] for None)."""
    if values is None:
        return []
    if isinstance(values, str):
        raise StoreError(f"{what}: expected a list of texts, got a single text")
    return [as_text(v, what) for v in values]


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(float(value)):
        raise StoreError(f"{what}: expected a number, got {value!r}")
    return float(value)


def _text_fields(record: object, what: str, names: Iterable[str]) -> dict[str, str]:
    """The text attributes ``names`` of ``record``, each checked under its own name."""
    return {name: as_text(getattr(record, name), f"{what} {name}") for name in names}


def actor_row(actor: Actor, map_key: str, seq: int) -> dict[str, Any]:
    """An actor's stored properties. Empty values (texts, lists, false flags, no attributes)
    are left out, as Neo4j stores nothing for them: reading back gives the defaults."""
    what = f"actor {seq + 1} ('{actor.id}')"
    try:
        attributes = json.dumps(dict(actor.attributes), ensure_ascii=False, sort_keys=True) if actor.attributes else ""
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{what}: attributes cannot be stored: {exc}") from None
    props: dict[str, Any] = {"map": map_key, **_text_fields(actor, what, ("id", "name", "kind", "scale")), "seq": seq}
    optional = {
        "constituencies": as_texts(actor.constituencies, what + " constituencies"),
        "aliases": as_texts(actor.aliases, what + " aliases"),
        "communities": as_texts(actor.communities, what + " communities"),
        "led_by_community": bool(actor.led_by_community),
        "lived_experience_led": bool(actor.lived_experience_led),
        **_text_fields(actor, what, ("locality", "source", "notes")),
        "attributes": attributes,
    }
    props.update((k, v) for k, v in optional.items() if v)
    return {"id": props["id"], "props": props}


def tie_row(tie: Tie, seq: int) -> list[Any]:
    """A tie as the list upsert_ties.cypher takes, stored between the ends of its identity.

    Empty values (not swapped, no rating, empty texts and lists) become null: not stored.
    """
    what = f"tie {seq + 1} ({tie.from_id} -> {tie.to_id})"
    start, end = as_text(tie.from_id, what), as_text(tie.to_id, what)
    swapped = not tie.directed and end < start
    if swapped:
        start, end = end, start
    return [
        start, end, True if swapped else None, bool(tie.directed), _number(tie.weight, what + " weight"),
        None if tie.trust is None else _number(tie.trust, what + " trust"),
        None if tie.value is None else _number(tie.value, what + " value"),
        as_text(tie.since, what + " since") or None, as_text(tie.until, what + " until") or None,
        as_texts(tie.reported_by, what + " reported_by") or None, as_text(tie.source, what + " source") or None,
        as_text(tie.notes, what + " notes") or None, seq,
    ]


def space_row(space: Space, map_key: str, seq: int) -> dict[str, Any]:
    what = f"space {seq + 1} ('{space.id}')"
    fields = ("id", "name", "kind", "locality", "since", "until", "source", "notes")
    props = {"map": map_key, **_text_fields(space, what, fields), "seq": seq}
    return {"id": props["id"], "props": props}


def membership_row(m: Membership, seq: int) -> dict[str, Any]:
    what = f"membership {seq + 1} ({m.actor_id} in {m.space_id})"
    props = {**_text_fields(m, what, ("role", "since", "until", "source")), "seq": seq}
    return {"actor": as_text(m.actor_id, what), "space": as_text(m.space_id, what), "props": props}


def locality_row(loc: Locality, map_key: str, seq: int) -> dict[str, Any]:
    what = f"locality {seq + 1} ('{loc.key}')"
    props = {"map": map_key, **_text_fields(loc, what, ("key", "name", "population")), "seq": seq}
    return {"key": props["key"], "props": props}


def framework_rows(framework: Framework) -> tuple[dict[str, Any], list[dict], list[dict]]:
    """The framework's own properties, its constituency rows and its expected-link rows."""
    props = {
        "key": framework.key,
        "name": framework.name,
        "description": framework.description,
        "source": framework.source,
    }
    constituencies = [
        {"props": {
            "framework": framework.key, "key": c.key, "label": c.label, "sector": c.sector,
            "description": c.description, "min_presence": int(c.min_presence), "weight": float(c.weight),
            "reaches": list(c.reaches), "rank": rank,
        }}
        for rank, c in enumerate(framework.constituencies)
    ]
    links = [{"a": link.a, "b": link.b, "props": {"reason": link.reason, "direct": link.direct, "rank": rank}}
             for rank, link in enumerate(framework.expected_links)]
    return props, constituencies, links


def population_rows(populations: Iterable[PopulationProfile]) -> list[dict[str, Any]]:
    rows = []
    for p in populations:
        groups = list(p.shares)
        rows.append({"props": {
            "key": p.key, "name": p.name, "geography_code": p.geography_code, "source": p.source,
            "groups": groups, "shares": [float(p.shares[g]) for g in groups],
        }})
    return rows


def own_populations_text(populations: Mapping[str, PopulationProfile]) -> str:
    """The workspace's own profiles (``[populations.KEY]``) as the JSON text the :Map node keeps ("" if none).

    >>> own_populations_text({"n": PopulationProfile("n", "North", {"asian": 60.0, "white": 40.0})})
    '{"n": {"name": "North", "geography_code": "", "source": "", "shares": {"asian": 60.0, "white": 40.0}}}'
    """
    if not populations:
        return ""
    return json.dumps({key: {"name": p.name, "geography_code": p.geography_code, "source": p.source,
                             "shares": {g: _number(v, f"population '{key}' share of {g}") for g, v in p.shares.items()}}
                       for key, p in populations.items()}, ensure_ascii=False)


def community_rows(keys: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Census 2021 groups from the reference data, plus any other community ``keys`` named."""
    try:
        from netmap.reference import census_groups

        groups = census_groups()
    except Exception:  # reference data missing or unreadable: communities get keys only
        groups = {}
    rows = [
        {"props": {"key": g.key, "name": g.name, "level": g.level, "parent": g.parent}}
        for g in groups.values()
    ]
    rows += [{"props": {"key": k}} for k in sorted(set(keys) - set(groups)) if isinstance(k, str)]
    return rows
