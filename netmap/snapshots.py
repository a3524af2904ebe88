"""Snapshots of a map: the map as it was on a day, and the canonical form two snapshots are compared in.

A map's ties, memberships and spaces may carry ``since``/``until`` dates
(``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); actors may too, in optional
``since``/``until`` columns of actors.csv (kept in ``Actor.attributes``).
:func:`at` keeps what held on one day, by one rule that every part of netmap
uses:

* a ``since`` starts on the first day of its period (``since=2024`` holds from
  2024-01-01) and an ``until`` ends on the last day of its period
  (``until=2024-06`` holds through 2024-06-30);
* ``at(nmap, "2024-06")`` is the state on the last day of the period given
  (as at 2024-06-30);
* a row is in the snapshot when start <= day <= end; a row with no dates holds
  at every date;
* a membership of a space is out when the space does not exist on that day,
  and an actor outside its own dates is dropped with its ties and memberships.

:func:`canonical` gives the form in which two snapshots that differ only in
row order, surrounding whitespace or the case of ids are equal
(:func:`same_map`).

>>> from netmap.model import Actor, NetworkMap, Tie
>>> m = NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B")],
...                ties=[Tie("a", "b", since="2024-06"), Tie("a", "b", "funds", until="2023")])
>>> [t.type for t in at(m, "2024-05").ties], [t.type for t in at(m, "2024-06").ties]
([], ['partnership'])
>>> parse_period("2024-02")
(datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from netmap.errors import SnapshotError
from netmap.model import Actor, Membership, NetworkMap, Space, Tie
from netmap.workspace.values import read_date, valid_date

__all__ = ["at", "canonical", "canonical_id", "canonical_tie", "dates_in", "parse_period", "same_map", "tie_key"]

_FORMS = "give YYYY, YYYY-MM or YYYY-MM-DD"

Period = tuple[datetime.date, datetime.date]


def parse_period(text: str | datetime.date) -> Period:
    """The first and last day of the period a date names: a year, a month or a day.

    >>> parse_period("2024")
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    >>> parse_period(" 2023-06-15 ")
    (datetime.date(2023, 6, 15), datetime.date(2023, 6, 15))
    >>> parse_period("2024-13")
    Traceback (most recent call last):
    ...
    netmap.errors.SnapshotError: '2024-13' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD
    """
    if isinstance(text, datetime.datetime):
        text = text.date()
    if isinstance(text, datetime.date):
        return text, text
    cleaned = str(text).strip()
    if not valid_date(cleaned):  # the workspace's own rule for a date cell written as ISO
        raise SnapshotError(f"'{cleaned}' is not a date: {_FORMS}")
    parts = [int(p) for p in cleaned.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    day = datetime.date(year, month, parts[2])
    return day, day


def _period_of_cell(text: str, cache: dict[str, Period], what: str) -> Period:
    """The period of a date cell of the map (read as a workspace date cell is), or an error naming the row."""
    reading = read_date(text)
    if not reading.iso:
        reason = reading.problem or f"'{text}' is not a date"
        raise SnapshotError(f"{what}: {reason}")
    cache[text] = found = parse_period(reading.iso)
    return found


def _holds(since: str, until: str, day: datetime.date, cache: dict[str, Period], row: Any, describe: Any) -> bool:
    """Whether a row dated ``since``..``until`` holds on ``day``; ``describe(row, column)`` names it on error."""
    if since:
        period = cache.get(since) or _period_of_cell(since, cache, describe(row, "since"))
        if period[0] > day:
            return False
    if until:
        period = cache.get(until) or _period_of_cell(until, cache, describe(row, "until"))
        if period[1] < day:
            return False
    return True


def _actor_row(a: Actor, column: str) -> str:
    return f"actors.csv: actor '{a.id}', column {column}"


def _tie_row(t: Tie, column: str) -> str:
    return f"ties.csv: tie {t.from_id} - {t.to_id} ({t.type}), column {column}"


def _space_row(s: Space, column: str) -> str:
    return f"spaces.csv: space '{s.id}', column {column}"


def _membership_row(m: Membership, column: str) -> str:
    return f"memberships.csv: {m.actor_id} in {m.space_id}, column {column}"


def at(nmap: NetworkMap, when: str | datetime.date) -> NetworkMap:
    """The map as it was on the last day of ``when`` (``"2024"``, ``"2024-06"``, ``"2024-06-30"`` or a date).

    Keeps the ties, memberships and spaces whose ``since``..``until`` holds
    that day (see the module's rule: a ``since`` from the first day of its
    period, an ``until`` through the last day of its period; undated rows
    always), drops memberships of spaces that do not exist then, and actors
    outside their own ``since``/``until`` attributes with their ties and
    memberships. Everything else (key, name, localities, framework, egos,
    populations) is kept; ``snapshot`` becomes ``when``. A date cell that is
    not a date raises :class:`~netmap.errors.SnapshotError` naming the row.

    >>> from netmap.model import Actor, NetworkMap, Space, Membership, Tie
    >>> m = NetworkMap("m", "M",
    ...     actors=[Actor("a", "A"), Actor("b", "B"), Actor("c", "C", attributes={"since": "2025"})],
    ...     ties=[Tie("a", "b", since="2024-06", until="2024"), Tie("b", "c"), Tie("a", "c", "funds")],
    ...     spaces=[Space("board", "Board", until="2024-03")],
    ...     memberships=[Membership("a", "board"), Membership("b", "board")])
    >>> s = at(m, "2024-06")  # as at 2024-06-30
    >>> [a.id for a in s.actors], [t.key for t in s.ties], s.spaces, s.memberships, s.snapshot
    (['a', 'b'], [('a', 'b', 'partnership')], [], [], '2024-06')
    >>> [t.key for t in at(m, "2025-01").ties]
    [('b', 'c', 'partnership'), ('a', 'c', 'funds')]

    Complexity: O(n + m + s + k) for n actors, m ties, s spaces and k memberships (each distinct
    date is read once).
    """
    day = parse_period(when)[1]
    label = when.isoformat() if isinstance(when, datetime.date) else str(when).strip()
    cache: dict[str, Period] = {}
    actors: list[Actor] = []
    dropped: set[str] = set()
    for a in nmap.actors:
        attrs = a.attributes
        if not attrs or _holds(attrs.get("since", ""), attrs.get("until", ""), day, cache, a, _actor_row):
            actors.append(a)
        else:
            dropped.add(a.id)
    ties = [t for t in nmap.ties if _holds(t.since, t.until, day, cache, t, _tie_row)
            and not (dropped and (t.from_id in dropped or t.to_id in dropped))]
    spaces = [s for s in nmap.spaces if _holds(s.since, s.until, day, cache, s, _space_row)]
    gone = {s.id for s in nmap.spaces} - {s.id for s in spaces}
    memberships = [m for m in nmap.memberships if _holds(m.since, m.until, day, cache, m, _membership_row)
                   and m.space_id not in gone and m.actor_id not in dropped]
    return dataclasses.replace(nmap, actors=actors, ties=ties, spaces=spaces, memberships=memberships,
                               snapshot=label)


def canonical_id(text: str) -> str:
    """An id as snapshots are matched by: surrounding whitespace removed, case folded.

    >>> canonical_id("  Leeds-MIND "), canonical_id("Straße")
    ('leeds-mind', 'strasse')
    """
    return str(text).strip().casefold()


def _strip(value: Any) -> Any:
    """A cell with surrounding whitespace removed (text, texts in a tuple); anything else as it is."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}


def _names(row: Any) -> tuple[str, ...]:
    """The field names of a row's class, read once per class (a national map has a million ties)."""
    kind = type(row)
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return _FIELDS[kind]


def _stripped(row: Any, **ids: Any) -> Any:
    """A copy of a frozen row with every text cell stripped and ``ids`` put in."""
    cells = {name: _strip(getattr(row, name)) for name in _names(row)}
    cells.update(ids)
    return type(row)(**cells)


def canonical_tie(tie: Tie) -> Tie:
    """A tie with canonical ends (an undirected tie's ends in order) and stripped cells.

    >>> canonical_tie(Tie(" B ", "a")) == canonical_tie(Tie("A", "b"))
    True
    """
    a, b = canonical_id(tie.from_id), canonical_id(tie.to_id)
    if not tie.directed and b < a:
        a, b = b, a
    return _stripped(tie, from_id=a, to_id=b, reported_by=tuple(sorted(canonical_id(r) for r in tie.reported_by)))


def tie_key(tie: Tie) -> tuple[str, str, str]:
    """The identity of a tie across snapshots: :attr:`Tie.key` of its canonical ends and type.

    >>> tie_key(Tie("Mind ", "leeds-ccg")) == tie_key(Tie("Leeds-CCG", "mind"))
    True
    """
    a, b = canonical_id(tie.from_id), canonical_id(tie.to_id)
    if not tie.directed and b < a:
        a, b = b, a
    return (a, b, tie.type.strip())


def canonical(nmap: NetworkMap) -> NetworkMap:
    """The map with canonical ids (:func:`canonical_id`), every text cell stripped and rows sorted.

    Two snapshots that differ only in row order, surrounding whitespace or the
    case of ids have equal canonical forms (:func:`same_map`). Within a cell,
    order is kept (an actor's first constituency is its primary one).

    >>> from netmap.model import Actor, NetworkMap, Tie
    >>> one = NetworkMap("m", "M", actors=[Actor("A", "A "), Actor("b", "B")], ties=[Tie("b", "A")])
    >>> two = NetworkMap("m", "M", actors=[Actor("b ", "B"), Actor("a", "A")], ties=[Tie("a", "B")])
    >>> canonical(one) == canonical(two)
    True

    Complexity: O((n + m) log(n + m)) (the sorts).
    """
    actors = sorted((_stripped(a, id=canonical_id(a.id), attributes={k.strip(): _strip(v) for k, v in
                                                                   a.attributes.items()}) for a in nmap.actors),
                    key=lambda a: a.id)
    ties = sorted((canonical_tie(t) for t in nmap.ties), key=_row_order)
    spaces = sorted((_stripped(s, id=canonical_id(s.id)) for s in nmap.spaces), key=_row_order)
    memberships = sorted((_stripped(m, actor_id=canonical_id(m.actor_id), space_id=canonical_id(m.space_id))
                          for m in nmap.memberships), key=_row_order)
    localities = sorted((_stripped(loc) for loc in nmap.localities), key=lambda loc: loc.key)
    return dataclasses.replace(nmap, key=nmap.key.strip(), name=nmap.name.strip(), actors=actors, ties=ties,
                               spaces=spaces, memberships=memberships, localities=localities,
                               framework=nmap.framework.strip(), ego=tuple(canonical_id(e) for e in nmap.ego))


def _row_order(row: Any) -> tuple:
    """Every cell of a row as text, in field order: a total order for sorting rows of one kind."""
    return tuple(str(getattr(row, name)) for name in _names(row))


def same_map(a: NetworkMap, b: NetworkMap) -> bool:
    """True when two maps differ at most in row order, surrounding whitespace and the case of ids."""
    return canonical(a) == canonical(b)


def dates_in(nmap: NetworkMap) -> list[str]:
    """Every distinct ``since``/``until`` of the map's actors, ties, spaces and memberships, sorted (a timeline).

    >>> from netmap.model import NetworkMap, Tie
    >>> dates_in(NetworkMap("m", "M", ties=[Tie("a", "b", since="2024-06"), Tie("a", "c", since="2023",
    ...                                      until="2024-06")]))
    ['2023', '2024-06']
    """
    found: set[str] = set()
    rows: Iterable[Any]
    for rows in (nmap.ties, nmap.spaces, nmap.memberships):
        for row in rows:
            found.update((row.since, row.until))
    for a in nmap.actors:
        if a.attributes:
            found.update((a.attributes.get("since", ""), a.attributes.get("until", "")))
    found = {d.strip() for d in found}
    found.discard("")
    return sorted(found)
