"""Parameter rows: the model's objects as the plain values the named queries take.

Every value is checked on the way (a text is a text, a number a number), and an error names
the record by its position and id, before the server is contacted. Values equal to the model's
defaults (empty texts and lists, false flags, a weight of 1, kind "organisation" ...) are not
stored: reading back gives the defaults again (see ``netmap.store.pull``), and the server has
fewer properties to write.

>>> from netmap.model import Space
>>> space_row(Space("forum", "The forum"), "leeds", 0)["props"]
{'map': 'leeds', 'id': 'forum', 'name': 'The forum', 'seq': 0}
>>> tie_row(Tie("b", "a", "partnership"), 4)
['a', 'b', {'swapped': True, 'seq': 4}]
>>> tie_row(Tie("a", "b", "funds", directed=True, weight=2), 5)
['a', 'b', {'directed': True, 'weight': 2.0, 'seq': 5}]
>>> cols = tie_columns([Tie("b", "a"), Tie("a", "b", "funds", directed=True, weight=2)], [4, 5], {"a": 0, "b": 1},
...                    ["node-a", "node-b"])
>>> cols["start"], cols["end"], cols["seq"], cols["swapped"], cols["directed"], cols["weight"], cols["since"]
(['node-a', 'node-a'], ['node-b', 'node-b'], [4, 5], [True, None], [None, True], [None, 2.0], None)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from netmap.errors import StoreError
from netmap.model import Actor, Framework, Locality, Membership, PopulationProfile, Space, Tie

#: Stored values that equal these are left out; ``netmap.store.pull`` and the ``fetch_*``
#: queries give them back (a text property left out reads back as "").
ACTOR_DEFAULTS = {"kind": "organisation", "scale": "local"}
SPACE_DEFAULTS = {"kind": "forum"}
MEMBERSHIP_DEFAULTS = {"role": "member"}
TIE_WEIGHT = 1.0

#: A tie's fields in a fixed order (read at C speed; the content hash and the rows use them).
TIE_FIELDS = attrgetter("from_id", "to_id", "type", "directed", "weight", "trust", "value", "since", "until",
                        "reported_by", "source", "notes")


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
    props: dict[str, Any] = {"map": map_key, "id": as_text(actor.id, what + " id"), "seq": seq}
    optional = {
        "name": as_text(actor.name, what + " name"),
        "constituencies": as_texts(actor.constituencies, what + " constituencies"),
        "aliases": as_texts(actor.aliases, what + " aliases"),
        "communities": as_texts(actor.communities, what + " communities"),
        "led_by_community": bool(actor.led_by_community),
        "lived_experience_led": bool(actor.lived_experience_led),
        **_text_fields(actor, what, ("locality", "source", "notes")),
        "attributes": attributes,
    }
    props.update((k, v) for k, v in optional.items() if v)
    for name, default in ACTOR_DEFAULTS.items():
        value = as_text(getattr(actor, name), f"{what} {name}")
        if value != default:
            props[name] = value
    return {"id": props["id"], "props": props}


def tie_row(tie: Tie, seq: int) -> list[Any]:
    """A tie as ``[start id, end id, props]``, stored between the ends of its identity
    (``Tie.key``: sorted ends for an undirected tie; ``swapped`` says the workspace wrote it the
    other way round). ``props`` holds only values that differ from the defaults, and ``seq``.
    """
    f, t, _type, directed, weight, trust, value, since, until, reported_by, source, notes = TIE_FIELDS(tie)
    if not (type(f) is str and type(t) is str and _is_number(weight) and (trust is None or _is_number(trust))
            and (value is None or _is_number(value))):
        _check_tie(tie, seq)  # raises, naming the tie and the field
    props: dict[str, Any] = {}
    if directed:
        props["directed"] = True
    elif t < f:
        f, t = t, f
        props["swapped"] = True
    if weight != TIE_WEIGHT:
        props["weight"] = float(weight)
    if trust is not None:
        props["trust"] = float(trust)
    if value is not None:
        props["value"] = float(value)
    for name, text in (("since", since), ("until", until), ("source", source), ("notes", notes)):
        if text:
            if type(text) is not str:
                _check_tie(tie, seq)
            props[name] = text
    if reported_by:
        if type(reported_by) is str or not all(type(x) is str for x in reported_by):
            _check_tie(tie, seq)
        props["reported_by"] = list(reported_by)
    props["seq"] = seq
    return [f, t, props]


_GET = {name: attrgetter(name) for name in ("from_id", "to_id", "directed", "weight", "trust", "value", "since",
                                            "until", "reported_by", "source", "notes")}


def tie_columns(ties: Sequence[Tie], seqs: Sequence[int], position: Mapping[str, int],
                ends: Sequence[Any]) -> dict[str, list[Any] | None]:
    """A batch of ties already checked (:func:`check_tie_values`) as columns, for create_ties.

    ``start`` and ``end`` hold ``ends[position[actor id]]`` of the ends of each tie's identity
    (as :func:`tie_row`); every other column holds one stored property, None where a tie keeps
    the default (not stored), or is None as a whole when no tie of the batch has it. Columns
    of plain values are built at C speed, without a dict per tie, and are cheaper to send and
    to read on the server than a map per row.
    """
    def column(name: str) -> list[Any]:
        return list(map(_GET[name], ties))

    f, t, directed = column("from_id"), column("to_id"), column("directed")
    swapped = [not d and b < a for a, b, d in zip(f, t, directed, strict=True)]
    if any(swapped):  # stored between the ends of its identity, as tie_row
        f, t = ([b if s else a for a, b, s in zip(f, t, swapped, strict=True)],
                [a if s else b for a, b, s in zip(f, t, swapped, strict=True)])
    node, at = ends.__getitem__, position.__getitem__
    cols: dict[str, list[Any] | None] = {
        "start": list(map(node, map(at, f))), "end": list(map(node, map(at, t))), "seq": list(seqs),
        "directed": [True if d else None for d in directed] if any(directed) else None,
        "swapped": [True if s else None for s in swapped] if any(swapped) else None,
    }
    weight = column("weight")
    cols["weight"] = [None if w == TIE_WEIGHT else float(w) for w in weight] \
        if any(w != TIE_WEIGHT for w in weight) else None
    for name in ("trust", "value"):
        values = column(name)
        cols[name] = [None if v is None else float(v) for v in values] \
            if any(v is not None for v in values) else None
    for name in ("since", "until", "source", "notes"):
        values = column(name)
        cols[name] = [v or None for v in values] if any(values) else None
    reported = column("reported_by")
    cols["reported_by"] = [list(v) if v else None for v in reported] if any(reported) else None
    return cols


def _is_number(value: Any) -> bool:
    """A finite-or-infinite int or float that is not a bool and not NaN (fast path of :func:`_number`)."""
    kind = type(value)
    return (kind is float and value == value) or kind is int


def _check_tie(tie: Tie, seq: int) -> None:
    """Check every value of ``tie``, raising a :class:`StoreError` that names the first bad one."""
    what = f"tie {seq + 1} ({tie.from_id} -> {tie.to_id})"
    as_text(tie.from_id, what)
    as_text(tie.to_id, what)
    _number(tie.weight, what + " weight")
    for name in ("trust", "value"):
        if getattr(tie, name) is not None:
            _number(getattr(tie, name), f"{what} {name}")
    for name in ("since", "until", "source", "notes"):
        as_text(getattr(tie, name), f"{what} {name}")
    as_texts(tie.reported_by, what + " reported_by")


def check_tie_values(values: tuple[Any, ...]) -> bool:
    """Whether a tie's :data:`TIE_FIELDS` hold acceptable values (fast; :func:`tie_row` says what is wrong).

    >>> check_tie_values(TIE_FIELDS(Tie("a", "b"))), check_tie_values(TIE_FIELDS(Tie("a", "b", weight="2")))
    (True, False)
    """
    f, t, _type, _directed, weight, trust, value, since, until, reported_by, source, notes = values
    return (type(f) is str and type(t) is str and _is_number(weight) and (trust is None or _is_number(trust))
            and (value is None or _is_number(value))
            and all(x is None or type(x) is str for x in (since, until, source, notes))
            and (not reported_by or (type(reported_by) is not str and all(type(x) is str for x in reported_by))))


def space_row(space: Space, map_key: str, seq: int) -> dict[str, Any]:
    what = f"space {seq + 1} ('{space.id}')"
    fields = _text_fields(space, what, ("id", "name", "kind", "locality", "since", "until", "source", "notes"))
    props = {"map": map_key, **_without_defaults(fields, SPACE_DEFAULTS, keep="id"), "seq": seq}
    return {"id": props["id"], "props": props}


def _without_defaults(fields: dict[str, str], defaults: Mapping[str, str], keep: str = "") -> dict[str, str]:
    """``fields`` without the empty texts and the values equal to ``defaults`` (``keep`` always stays).

    >>> _without_defaults({"id": "x", "kind": "forum", "name": "", "notes": "n"}, SPACE_DEFAULTS, "id")
    {'id': 'x', 'notes': 'n'}
    >>> _without_defaults({"kind": ""}, SPACE_DEFAULTS)
    {'kind': ''}
    """
    return {k: v for k, v in fields.items()
            if k == keep or (v != defaults[k] if k in defaults else v != "")}


def membership_row(m: Membership, seq: int) -> dict[str, Any]:
    what = f"membership {seq + 1} ({m.actor_id} in {m.space_id})"
    props = {**_without_defaults(_text_fields(m, what, ("role", "since", "until", "source")), MEMBERSHIP_DEFAULTS),
             "seq": seq}
    return {"actor": as_text(m.actor_id, what), "space": as_text(m.space_id, what), "props": props}


def locality_row(loc: Locality, map_key: str, seq: int) -> dict[str, Any]:
    what = f"locality {seq + 1} ('{loc.key}')"
    props = {"map": map_key, **_without_defaults(_text_fields(loc, what, ("key", "name", "population")), {}, "key"),
             "seq": seq}
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
