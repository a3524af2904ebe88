"""The Neo4j backend: push maps into a shared Neo4j 5 database, pull them back, ask gap questions.

This is the only module that imports the ``neo4j`` driver. Every query is a file under
``cypher/`` loaded by name (:func:`load_query`); values always travel as parameters. The one
thing that goes into a query's text is a tie type, as a relationship type, and only after
:func:`netmap.model.is_identifier` has accepted it.

Connection settings come from the variables Neo4j's own tools use (``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or are given directly:

    with Store(StoreSettings.from_env()) as store:
        result = store.push(nmap, framework)
        print(result.summary())
        again = store.pull(nmap.key)

A push runs in one write transaction per map (see ``docs/neo4j.md``): it is atomic, two pushes
of the same map run one after the other, and a push that changes nothing writes nothing.

>>> StoreSettings(uri="bolt://db:7687", password="hunter22")
StoreSettings(uri='bolt://db:7687', username='neo4j', password=***, database=None)
>>> "upsert_actors" in query_names()
True
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from netmap.errors import StoreError
from netmap.model import (
    Actor,
    Framework,
    Locality,
    Membership,
    NetworkMap,
    PopulationProfile,
    Space,
    Tie,
    is_identifier,
)
from netmap.resources import cypher_dir

__all__ = [
    "PushResult",
    "Store",
    "StoreSettings",
    "load_query",
    "query_names",
    "query_parameters",
    "typed_query",
]

#: Placeholder for the relationship type in ``upsert_ties.cypher``.
TIE_TYPE_TOKEN = "__TIE_TYPE__"

#: Prefixes of the named queries that only read (``netmap neo4j query`` runs these).
READ_PREFIXES = ("find_", "fetch_", "list_", "count_")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)

Progress = Callable[[int, int], None]

# The driver logs the server's notifications (e.g. "property key does not exist" when no tie
# has a trust rating) at WARNING on this logger; without a handler Python would print them.
logging.getLogger("neo4j.notifications").addHandler(logging.NullHandler())

_log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- named queries


def query_names() -> list[str]:
    """Names of every query under ``cypher/`` (file names without ``.cypher``)."""
    return sorted(p.stem for p in cypher_dir().glob("*.cypher"))


@cache
def load_query(name: str) -> str:
    """The text of the named query ``cypher/<name>.cypher``.

    Raises :class:`StoreError` listing the known names when there is no such query.
    """
    path = cypher_dir() / f"{name}.cypher"
    if not _NAME.match(name or "") or not path.is_file():
        raise StoreError(f"no named query '{name}' (known: {', '.join(query_names())})")
    return path.read_text(encoding="utf-8")


def query_parameters(name: str) -> list[str]:
    """The ``$parameters`` a named query uses, in order of first use."""
    text = _COMMENT.sub("", load_query(name))
    seen: dict[str, None] = {}
    for match in _PARAM.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def typed_query(name: str, tie_type: str) -> str:
    """A named query with its relationship-type placeholder filled in with ``tie_type``.

    >>> "PARTNERSHIP" in typed_query("upsert_ties", "partnership")
    True
    >>> typed_query("upsert_ties", "x`]->() DELETE n//")
    Traceback (most recent call last):
    ...
    netmap.errors.StoreError: tie type 'x`]->() DELETE n//' is not a snake_case identifier (a-z, 0-9, _; at most 40)
    """
    if not isinstance(tie_type, str) or not is_identifier(tie_type):
        raise StoreError(f"tie type {tie_type!r} is not a snake_case identifier (a-z, 0-9, _; at most 40)")
    text = load_query(name)
    if TIE_TYPE_TOKEN not in text:
        raise StoreError(f"named query '{name}' has no tie type to fill in")
    return text.replace(TIE_TYPE_TOKEN, tie_type.upper())


def _statements(text: str) -> list[str]:
    """Split a schema script into statements (one per ``;``-terminated block)."""
    body = _COMMENT.sub("", text)
    return [part.strip() for part in body.split(";") if part.strip()]


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True, repr=False)
class StoreSettings:
    """Where the Neo4j server is and how to log in. The password never shows in a repr."""

    uri: str = "bolt://localhost:7687"
    username: str = "neo4j"
    password: str | None = None
    database: str | None = None
    connect_timeout: float = 10.0
    batch_size: int = 20_000
    #: A first push of a map with at least this many rows (actors, ties, spaces, memberships)
    #: is written in batches of their own transactions under a temporary key, then promoted.
    bulk_rows: int = 100_000
    #: Transactions writing tie batches at the same time on the bulk path.
    writers: int = 1
    retry_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StoreSettings:
        """Settings from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.

        Keyword arguments that are not None (e.g. command-line options) win over the environment.

        >>> StoreSettings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io"}).uri
        'neo4j+s://x.databases.neo4j.io'
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "uri": env.get("NEO4J_URI") or cls.uri,
            "username": env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or cls.username,
            "password": env.get("NEO4J_PASSWORD") or None,
            "database": env.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("database") == "":
            values["database"] = None
        return cls(**values)

    @property
    def safe_uri(self) -> str:
        """The URI without any user or password written into it."""
        return _safe_uri(self.uri)

    def __repr__(self) -> str:
        password = "***" if self.password else "None"
        return (f"StoreSettings(uri={self.safe_uri!r}, username={self.username!r}, password={password}, "
                f"database={self.database!r})")

    __str__ = __repr__


def _safe_uri(uri: str) -> str:
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return parts._replace(netloc=host).geturl()


# --------------------------------------------------------------------------- push result


@dataclass
class PushResult:
    """What a push did: per kind of record, how many were created, updated and deleted.

    ``counters`` sums the server's own update counters over every statement that writes
    map data (all zero when the push changed nothing).
    """

    map: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(self.counters.values())

    def absorb(self, other: PushResult) -> None:
        """Add the counts of another part of the same push."""
        for mine, theirs in ((self.created, other.created), (self.updated, other.updated),
                             (self.deleted, other.deleted), (self.counters, other.counters)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v

    def summary(self) -> str:
        def fmt(counts: dict[str, int]) -> str:
            parts = [f"{v} {k}" for k, v in counts.items() if v]
            return ", ".join(parts) if parts else "nothing"

        if not self.changed:
            return f"map '{self.map}': already up to date ({self.rows} rows checked in {self.seconds:.1f} s)"
        return (f"map '{self.map}': created {fmt(self.created)}; updated {fmt(self.updated)}; "
                f"deleted {fmt(self.deleted)} ({self.seconds:.1f} s)")


_COUNTER_FIELDS = (
    "nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
    "properties_set", "labels_added", "labels_removed",
)


def _add_counters(total: dict[str, int], summary: neo4j.ResultSummary) -> None:
    counters = summary.counters
    for name in _COUNTER_FIELDS:
        total[name] = total.get(name, 0) + int(getattr(counters, name))


# --------------------------------------------------------------------------- rows


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StoreError(f"{what}: expected text, got {type(value).__name__}")
    return value


def _texts(values: Any, what: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        raise StoreError(f"{what}: expected a list of texts, got a single text")
    return [_text(v, what) for v in values]


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(float(value)):
        raise StoreError(f"{what}: expected a number, got {value!r}")
    return float(value)


def _actor_row(actor: Actor, map_key: str, seq: int) -> dict[str, Any]:
    """An actor's stored properties. Empty values (texts, lists, false flags, no attributes)
    are left out, as Neo4j stores nothing for them: reading back gives the defaults."""
    what = f"actor {seq + 1} ('{actor.id}')"
    try:
        attributes = json.dumps(dict(actor.attributes), ensure_ascii=False, sort_keys=True) if actor.attributes else ""
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{what}: attributes cannot be stored: {exc}") from None
    props: dict[str, Any] = {
        "map": map_key,
        "id": _text(actor.id, what + " id"),
        "name": _text(actor.name, what + " name"),
        "kind": _text(actor.kind, what + " kind"),
        "scale": _text(actor.scale, what + " scale"),
        "seq": seq,
    }
    optional = {
        "constituencies": _texts(actor.constituencies, what + " constituencies"),
        "aliases": _texts(actor.aliases, what + " aliases"),
        "communities": _texts(actor.communities, what + " communities"),
        "led_by_community": bool(actor.led_by_community),
        "lived_experience_led": bool(actor.lived_experience_led),
        "locality": _text(actor.locality, what + " locality"),
        "source": _text(actor.source, what + " source"),
        "notes": _text(actor.notes, what + " notes"),
        "attributes": attributes,
    }
    props.update((k, v) for k, v in optional.items() if v)
    return {"id": props["id"], "props": props}


def _tie_row(tie: Tie, seq: int) -> list[Any]:
    """A tie as the list upsert_ties.cypher takes, stored between the ends of its identity.

    Empty values (not swapped, no rating, empty texts and lists) become null: not stored.
    """
    what = f"tie {seq + 1} ({tie.from_id} -> {tie.to_id})"
    start, end = _text(tie.from_id, what), _text(tie.to_id, what)
    swapped = not tie.directed and end < start
    if swapped:
        start, end = end, start
    return [
        start, end, True if swapped else None, bool(tie.directed), _number(tie.weight, what + " weight"),
        None if tie.trust is None else _number(tie.trust, what + " trust"),
        None if tie.value is None else _number(tie.value, what + " value"),
        _text(tie.since, what + " since") or None, _text(tie.until, what + " until") or None,
        _texts(tie.reported_by, what + " reported_by") or None, _text(tie.source, what + " source") or None,
        _text(tie.notes, what + " notes") or None, seq,
    ]


def _space_row(space: Space, map_key: str, seq: int) -> dict[str, Any]:
    what = f"space {seq + 1} ('{space.id}')"
    props = {
        "map": map_key,
        "id": _text(space.id, what + " id"),
        "name": _text(space.name, what + " name"),
        "kind": _text(space.kind, what + " kind"),
        "locality": _text(space.locality, what + " locality"),
        "since": _text(space.since, what + " since"),
        "until": _text(space.until, what + " until"),
        "source": _text(space.source, what + " source"),
        "notes": _text(space.notes, what + " notes"),
        "seq": seq,
    }
    return {"id": props["id"], "props": props}


def _membership_row(m: Membership, seq: int) -> dict[str, Any]:
    what = f"membership {seq + 1} ({m.actor_id} in {m.space_id})"
    props = {
        "role": _text(m.role, what + " role"),
        "since": _text(m.since, what + " since"),
        "until": _text(m.until, what + " until"),
        "source": _text(m.source, what + " source"),
        "seq": seq,
    }
    return {"actor": _text(m.actor_id, what), "space": _text(m.space_id, what), "props": props}


def _locality_row(loc: Locality, map_key: str, seq: int) -> dict[str, Any]:
    what = f"locality {seq + 1} ('{loc.key}')"
    props = {
        "map": map_key,
        "key": _text(loc.key, what + " key"),
        "name": _text(loc.name, what + " name"),
        "population": _text(loc.population, what + " population"),
        "seq": seq,
    }
    return {"key": props["key"], "props": props}


def _framework_rows(framework: Framework) -> tuple[dict[str, Any], list[dict], list[dict]]:
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
            "rank": rank,
        }}
        for rank, c in enumerate(framework.constituencies)
    ]
    links = [{"a": link.a, "b": link.b, "props": {"reason": link.reason, "rank": rank}}
             for rank, link in enumerate(framework.expected_links)]
    return props, constituencies, links


def _population_rows(populations: Iterable[PopulationProfile]) -> list[dict[str, Any]]:
    rows = []
    for p in populations:
        groups = list(p.shares)
        rows.append({"props": {
            "key": p.key, "name": p.name, "geography_code": p.geography_code, "source": p.source,
            "groups": groups, "shares": [float(p.shares[g]) for g in groups],
        }})
    return rows


def _community_rows(keys: Iterable[str] = ()) -> list[dict[str, Any]]:
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


#: Separates a map key from the rest of the temporary key a bulk push stages under (map keys
#: are letters, digits, - and _, so no real key contains it).
STAGING_MARK = "~staging~"
STALE_STAGING_SECONDS = 6 * 3600


@dataclass
class _Plan:
    """A push's rows, checked and ready before the server is touched (tie rows are built batch
    by batch: a million of them would not fit in memory twice)."""

    nmap: NetworkMap
    key: str
    framework_key: str
    actor_rows: list[dict[str, Any]]
    space_rows: list[dict[str, Any]]
    locality_rows: list[dict[str, Any]]
    membership_rows: list[dict[str, Any]]
    ties_by_type: dict[str, list[tuple[int, Tie]]]
    framework_props: dict[str, Any]
    constituency_rows: list[dict[str, Any]]
    link_rows: list[dict[str, Any]]
    population_rows: list[dict[str, Any]]
    community_rows: list[dict[str, Any]]
    map_props: dict[str, Any]
    _positions: dict[str, int] | None = None

    @property
    def total(self) -> int:
        return len(self.actor_rows) + len(self.nmap.ties) + len(self.space_rows) + len(self.membership_rows)

    def rows(self, kind: str, map_key: str) -> list[dict[str, Any]]:
        """Node rows of one kind with ``map_key`` as their map (the real or a staging key)."""
        rows = {"actor": self.actor_rows, "space": self.space_rows, "locality": self.locality_rows}[kind]
        if map_key == self.key:
            return rows
        return [{**r, "props": {**r["props"], "map": map_key}} for r in rows]

    def positions(self) -> dict[str, int]:
        """Actor id -> position in the map (computed once)."""
        if self._positions is None:
            self._positions = {r["id"]: i for i, r in enumerate(self.actor_rows)}
        return self._positions

    def wanted(self) -> dict[str, set[tuple[str, ...]]]:
        return {
            "actor": {(r["id"],) for r in self.actor_rows},
            "space": {(r["id"],) for r in self.space_rows},
            "locality": {(r["key"],) for r in self.locality_rows},
            "tie": {(t.type, *t.key[:2]) for t in self.nmap.ties},
            "membership": {(r["actor"], r["space"]) for r in self.membership_rows},
        }

    @classmethod
    def build(cls, nmap: NetworkMap, framework: Framework,
              populations: Iterable[PopulationProfile] | Mapping[str, PopulationProfile]) -> _Plan:
        key = nmap.key
        if not isinstance(key, str) or not key.strip():
            raise StoreError("the map has no key (set 'map' in netmap.toml)")
        if STAGING_MARK in key:
            raise StoreError(f"map key {key!r} contains {STAGING_MARK!r}, which netmap keeps for itself")
        if isinstance(populations, Mapping):
            populations = list(populations.values())
        actor_rows = [_actor_row(a, key, i) for i, a in enumerate(nmap.actors)]
        _check_unique((r["id"] for r in actor_rows), "actor")
        space_rows = [_space_row(s, key, i) for i, s in enumerate(nmap.spaces)]
        _check_unique((r["id"] for r in space_rows), "space")
        locality_rows = [_locality_row(loc, key, i) for i, loc in enumerate(nmap.localities)]
        _check_unique((r["key"] for r in locality_rows), "locality")
        ties_by_type: dict[str, list[tuple[int, Tie]]] = {}
        for i, tie in enumerate(nmap.ties):
            if not isinstance(tie.type, str) or not is_identifier(tie.type):
                raise StoreError(f"tie {i + 1} ({tie.from_id} -> {tie.to_id}): type {tie.type!r} is not "
                                 "a snake_case identifier (a-z, 0-9, _; at most 40)")
            ties_by_type.setdefault(tie.type, []).append((i, tie))
        _check_unique(((t.type, *t.key[:2]) for t in nmap.ties), "tie")
        membership_rows = [_membership_row(m, i) for i, m in enumerate(nmap.memberships)]
        _check_unique(((r["actor"], r["space"]) for r in membership_rows), "membership")
        # A membership may name a space the map does not list (the analyses still count it):
        # such a space is stored as an `implicit` :Space, which a pull does not return.
        listed = {r["id"] for r in space_rows}
        for sid in dict.fromkeys(r["space"] for r in membership_rows if r["space"] not in listed):
            space_rows.append({"id": sid, "props": {"map": key, "id": sid, "implicit": True,
                                                    "seq": len(space_rows)}})
        fw_props, constituency_rows, link_rows = _framework_rows(framework)
        map_props = {
            "key": key, "name": _text(nmap.name, "map name"), "framework": _text(nmap.framework, "map framework"),
            "framework_key": framework.key, "snapshot": _text(nmap.snapshot, "map snapshot"),
            "ego": _texts(nmap.ego, "map ego"), "description": _text(nmap.description, "map description"),
        }
        return cls(
            nmap=nmap, key=key, framework_key=framework.key, actor_rows=actor_rows, space_rows=space_rows,
            locality_rows=locality_rows, membership_rows=membership_rows, ties_by_type=ties_by_type,
            framework_props=fw_props, constituency_rows=constituency_rows, link_rows=link_rows,
            population_rows=_population_rows(populations),
            community_rows=_community_rows({c for a in nmap.actors for c in a.communities}),
            map_props=map_props,
        )


class _Writer:
    """Runs a push's statements in one transaction, adding up counters and progress."""

    def __init__(self, tx: neo4j.ManagedTransaction, result: PushResult, map_key: str, framework_key: str,
                 progress: Progress | None, done: int = 0, total: int | None = None) -> None:
        self.tx, self.result, self.map_key, self.framework_key = tx, result, map_key, framework_key
        self.shown_key = map_key.split(STAGING_MARK)[0]  # the map's own key, for messages
        self.progress, self.done = progress, done
        self.total = result.rows if total is None else total

    def run(self, name: str, params: dict[str, Any], text: str | None = None) -> list[neo4j.Record]:
        t0 = time.monotonic()
        res = self.tx.run(text or load_query(name), {"map": self.map_key, "framework": self.framework_key, **params})
        records = list(res)
        _add_counters(self.result.counters, res.consume())
        _log.debug("%s: %.3f s", name, time.monotonic() - t0)
        return records

    def tally(self, name: str, record: neo4j.Record) -> None:
        created, updated = self.result.created, self.result.updated
        created[name] = created.get(name, 0) + int(record["created"] or 0)
        updated[name] = updated.get(name, 0) + int(record["updated"] or 0)

    def step(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)

    def reference_data(self, plan: _Plan) -> None:
        """Framework, constituencies, expected links, communities, population profiles."""
        rec = self.run("upsert_framework", {"props": plan.framework_props})[0]
        self.result.created["frameworks"] = self.result.created.get("frameworks", 0) + int(bool(rec["created"]))
        self.result.updated["frameworks"] = self.result.updated.get("frameworks", 0) + int(bool(rec["updated"]))
        self.tally("constituencies", self.run("upsert_constituencies", {"rows": plan.constituency_rows})[0])
        self.tally("expected_links", self.run("upsert_expected_links", {"rows": plan.link_rows})[0])
        self.run("prune_framework", {
            "keys": [r["props"]["key"] for r in plan.constituency_rows],
            "pairs": [[r["a"], r["b"]] for r in plan.link_rows],
        })
        if plan.community_rows:
            self.tally("communities", self.run("upsert_communities", {"rows": plan.community_rows})[0])
        if plan.population_rows:
            self.tally("populations", self.run("upsert_populations", {"rows": plan.population_rows})[0])

    def link_actors(self, ids: list[str], size: int) -> None:
        for batch in _batches(ids, size):
            for name in ("link_constituencies", "link_communities", "link_localities"):
                self.run(name, {"ids": batch})

    def ties(self, plan: _Plan, size: int, by_position: bool) -> None:
        for tie_type, items in plan.ties_by_type.items():
            for batch in _batches(items, size):
                self.tie_batch(plan, tie_type, batch, by_position)

    def tie_batch(self, plan: _Plan, tie_type: str, batch: list[tuple[int, Tie]], by_position: bool) -> None:
        """One batch of ties of one type. ``by_position``: the map held no actors before this
        push, so a tie names its ends by their position among the actors (create_ties)."""
        name = "create_ties" if by_position else "upsert_ties"
        rows = [_tie_row(tie, i) for i, tie in batch]
        if by_position:
            position = plan.positions()
            for row in rows:
                try:
                    row[0], row[1] = position[row[0]], position[row[1]]
                except KeyError as exc:
                    raise StoreError(_missing_end_message(plan.key, row, exc.args[0])) from None
        rec = self.run(name, {"rows": rows}, text=typed_query(name, tie_type))[0]
        if rec["rows"] != len(rows):
            bad = self.run("find_unmatched_ties", {"rows": rows})
            raise StoreError(_unmatched_message(plan.key, "tie", bad, rows))
        self.tally("ties", rec)
        self.step(len(rows))

    def memberships(self, plan: _Plan, size: int) -> None:
        for batch in _batches(plan.membership_rows, size):
            self.membership_batch(batch)

    def membership_batch(self, rows: list[dict[str, Any]]) -> None:
        rec = self.run("upsert_memberships", {"rows": rows})[0]
        if rec["rows"] != len(rows):
            bad = self.run("find_unmatched_memberships", {"rows": rows})
            raise StoreError(_unmatched_message(self.shown_key, "membership", bad, rows))
        self.tally("memberships", rec)
        self.step(len(rows))


def _check_unique(keys: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for i, key in enumerate(keys, start=1):
        if key in seen:
            shown = " -> ".join(key) if isinstance(key, tuple) else key
            raise StoreError(f"{what} {i}: '{shown}' appears twice in the map")
        seen.add(key)


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


# --------------------------------------------------------------------------- the store


class Store:
    """A connection to a Neo4j 5 database holding netmap maps. Use it as a context manager."""

    def __init__(self, settings: StoreSettings | None = None) -> None:
        self.settings = settings or StoreSettings.from_env()
        self._driver: neo4j.Driver | None = None
        self._schema_ready = False
        self.server_version: str | None = None

    def __repr__(self) -> str:
        state = "connected" if self._driver is not None else "not connected"
        return f"Store({self.settings!r}, {state})"

    # ------------------------------------------------------------------ connection

    def __enter__(self) -> Store:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None:
            try:
                self._driver.close()
            finally:
                self._driver = None

    def _scrub(self, text: str) -> str:
        password = self.settings.password
        if password:
            text = text.replace(password, "***")
        return " ".join(text.split())

    def _fail(self, message: str) -> StoreError:
        return StoreError(self._scrub(message))

    def connect(self) -> Store:
        """Open the driver, check the server answers (within ``connect_timeout`` s) and is 5.x+."""
        if self._driver is not None:
            return self
        s = self.settings
        where = f"Neo4j at {s.safe_uri}"
        auth = (s.username, s.password) if s.password is not None else None
        try:
            driver = GraphDatabase.driver(
                s.uri, auth=auth,
                # an unreachable server must be reported within connect_timeout in all
                connection_timeout=s.connect_timeout * 0.8,
                connection_acquisition_timeout=s.connect_timeout,
                max_transaction_retry_time=s.retry_seconds,
            )
        except Exception as exc:  # ConfigurationError, ValueError, a scheme needing extras, ...
            raise self._fail(f"cannot use NEO4J_URI '{s.safe_uri}': {_first_line(exc)}") from None
        try:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query(
                load_query("fetch_components"), database_=s.database, routing_=RoutingControl.READ,
            )
        except AuthError:
            driver.close()
            raise self._fail(f"{where} refused the credentials of user '{s.username}' "
                             "(check NEO4J_USERNAME and NEO4J_PASSWORD)") from None
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            driver.close()
            raise self._fail(f"cannot reach {where}: {_reason(exc)}") from None
        except ClientError as exc:
            driver.close()
            if "DatabaseNotFound" in (exc.code or "") or "database does not exist" in str(exc.message).lower():
                raise self._fail(f"database '{s.database}' does not exist on {where}") from None
            raise self._fail(f"{where} refused the connection check: {_first_line(exc.message)}") from None
        except (Neo4jError, DriverError) as exc:
            driver.close()
            raise self._fail(f"cannot use {where}: {_first_line(exc)}") from None
        version = ""
        for record in records:
            if record["name"] == "Neo4j Kernel" and record["versions"]:
                version = str(record["versions"][0])
        major = _major(version)
        if major is None or major < 5:
            driver.close()
            shown = version or "unknown"
            raise self._fail(f"{where} runs Neo4j {shown}; netmap needs Neo4j 5 or later")
        self.server_version = version
        self._driver = driver
        return self

    @property
    def driver(self) -> neo4j.Driver:
        if self._driver is None:
            self.connect()
        assert self._driver is not None
        return self._driver

    def _session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.settings.database, default_access_mode=mode)

    def _error(self, exc: Exception, doing: str) -> StoreError:
        where = f"Neo4j at {self.settings.safe_uri}"
        if isinstance(exc, StoreError):
            return self._fail(f"{doing}: {exc}")
        if isinstance(exc, AuthError):
            return self._fail(f"{where} refused the credentials of user '{self.settings.username}'")
        if isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
            return self._fail(f"{doing}: lost the connection to {where} ({_reason(exc)})")
        if isinstance(exc, Neo4jError):
            return self._fail(f"{doing}: {_first_line(exc.message or str(exc))}")
        return self._fail(f"{doing}: {type(exc).__name__}: {_first_line(exc)}")

    # ------------------------------------------------------------------ schema

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (idempotent)."""
        if self._schema_ready:
            return
        try:
            with self._session() as session:
                for statement in _statements(load_query("create_schema")):
                    session.run(statement).consume()
        except Exception as exc:
            raise self._error(exc, "cannot create the netmap schema") from None
        self._schema_ready = True

    # ------------------------------------------------------------------ push

    def push(
        self,
        nmap: NetworkMap,
        framework: Framework,
        populations: Iterable[PopulationProfile] | Mapping[str, PopulationProfile] = (),
        prune: bool = False,
        progress: Progress | None = None,
    ) -> PushResult:
        """Write ``nmap`` (and its framework and population profiles) into the database.

        Idempotent: records are merged by their keys and written only when they differ.
        With ``prune`` the actors, ties, spaces, memberships and localities the map no longer
        has are deleted. Atomic: a push either completes or leaves the previous version of
        the map as it was (see docs/neo4j.md). ``progress(done, total)`` is called after each
        batch of rows.
        """
        started = time.monotonic()
        plan = _Plan.build(nmap, framework, populations)
        self.ensure_schema()
        _log.debug("prepare: %.3f s", time.monotonic() - started)
        result: PushResult | None = None
        if plan.total >= self.settings.bulk_rows and self._holds_nothing(plan.key):
            result = self._push_staged(plan, progress)  # None: another push created the map meanwhile
        if result is None:
            result = self._push_in_one_transaction(plan, prune, progress)
        result.seconds = time.monotonic() - started
        return result

    # A push runs as a sequence of statements; `_Writer` sends them within one transaction
    # and adds up their counters into a PushResult.

    def _holds_nothing(self, key: str) -> bool:
        rows = self._read("count_map_nodes", {"map": key}, write=True)
        return bool(rows) and rows[0]["actors"] == 0 and rows[0]["spaces"] == 0

    def _push_in_one_transaction(self, plan: _Plan, prune: bool, progress: Progress | None) -> PushResult:
        key, size = plan.key, self._batch_size
        finished = [0.0]

        def work(tx: neo4j.ManagedTransaction) -> PushResult:
            w = _Writer(tx, PushResult(map=key, rows=plan.total), key, plan.framework_key, progress)
            # 1. The map's lock: a second push of the same map waits here until this one ends.
            lock = tx.run(load_query("lock_map"), {"map": key}).single()
            assert lock is not None
            map_created = bool(lock["created"])
            fresh = lock["actors"] == 0 and lock["spaces"] == 0
            framework_changed = not map_created and lock["framework_key"] != plan.framework_key
            if map_created:
                w.result.created["maps"] = 1
            # 2. Shared reference data, the map's settings and localities.
            w.reference_data(plan)
            rec = w.run("upsert_map", {"props": plan.map_props})[0]
            if rec["changed"] and not map_created:
                w.result.updated["maps"] = 1
            new_localities = False
            if plan.locality_rows:
                rec = w.run("upsert_localities", {"rows": plan.rows("locality", key)})[0]
                w.tally("localities", rec)
                new_localities = bool(rec["created"]) and not fresh
            # 3. Actors, then the links drawn from their properties for the actors written.
            link_ids: list[str] = []
            for batch in _batches(plan.rows("actor", key), size):
                if fresh:
                    w.tally("actors", w.run("create_actors", {"rows": batch})[0])
                    link_ids.extend(r["id"] for r in batch)
                else:
                    rec = w.run("upsert_actors", {"rows": batch})[0]
                    if rec["relink_ids"]:
                        w.run("unlink_actors", {"ids": rec["relink_ids"]})
                    link_ids.extend(rec["link_ids"])
                    w.tally("actors", rec)
                w.step(len(batch))
            if framework_changed or new_localities:
                link_ids = [r["id"] for r in plan.actor_rows]  # every actor's links may be stale
                for batch in _batches(link_ids, size):
                    w.run("unlink_actors", {"ids": batch})
            w.link_actors(link_ids, size)
            # 4. Spaces, ties, memberships.
            for batch in _batches(plan.rows("space", key), size):
                w.tally("spaces", w.run("create_spaces" if fresh else "upsert_spaces", {"rows": batch})[0])
                w.step(len(batch))
            w.ties(plan, size, by_position=fresh)
            w.memberships(plan, size)
            # 5. Prune what the workspace no longer has.
            if prune and not fresh:
                self._prune(tx, w, key, size, plan.wanted())
            # 6. Sizes shown by `maps` (written only when they changed).
            if fresh or prune:
                actors, ties = len(plan.actor_rows), len(plan.nmap.ties)
            else:
                counts = w.run("count_map", {})[0]
                actors, ties = counts["actors"], counts["ties"]
            w.run("update_map_counts", {"actors": actors, "ties": ties})
            finished[0] = time.monotonic()
            return w.result

        try:
            with self._session() as session:
                result = session.execute_write(work)
            _log.debug("commit: %.3f s", time.monotonic() - finished[0])
        except Exception as exc:
            raise self._error(exc, f"push of map '{key}' failed, the map is unchanged") from None
        return result

    def _push_staged(self, plan: _Plan, progress: Progress | None) -> PushResult | None:
        """The bulk path of a map's first push: batches in transactions of their own under a
        temporary key, then one short transaction that makes them the map. Returns None
        (having cleaned up) if the map was created by another push in the meantime."""
        key, size = plan.key, self._batch_size
        staging = f"{key}{STAGING_MARK}{int(time.time())}~{uuid.uuid4().hex[:8]}"
        result = PushResult(map=key, rows=plan.total)
        self._remove_stale_staging(key)
        done = [0]
        guard = threading.Lock()

        def in_tx(fn: Callable[[_Writer], Any], rows: int = 0) -> Any:
            """Run ``fn`` in a transaction of its own; count its rows once it is committed."""
            def work(tx: neo4j.ManagedTransaction) -> Any:
                scratch = PushResult(map=key)
                return scratch, fn(_Writer(tx, scratch, staging, plan.framework_key, None))

            with self._session() as session:
                scratch, out = session.execute_write(work)
            with guard:
                result.absorb(scratch)
                done[0] += rows
                if progress is not None and rows:
                    progress(done[0], plan.total)
            return out

        try:
            in_tx(lambda w: w.reference_data(plan))
            if plan.locality_rows:
                in_tx(lambda w: w.tally("localities", w.run("stage_localities",
                                                             {"rows": plan.rows("locality", staging)})[0]))
            for batch in _batches(plan.rows("actor", staging), size):
                def actors(w: _Writer, batch: Sequence[dict[str, Any]] = batch) -> None:
                    w.tally("actors", w.run("create_actors", {"rows": batch})[0])
                    w.link_actors([r["id"] for r in batch], size)
                in_tx(actors, len(batch))
            for batch in _batches(plan.rows("space", staging), size):
                def spaces(w: _Writer, batch: Sequence[dict[str, Any]] = batch) -> None:
                    w.tally("spaces", w.run("create_spaces", {"rows": batch})[0])
                in_tx(spaces, len(batch))
            # Tie batches only add relationships between staged actors: they can be written by
            # several transactions at once, which keeps both the client and the server busy.
            jobs = [(t, b) for t, items in plan.ties_by_type.items() for b in _batches(items, size)]
            writers = max(1, int(self.settings.writers))
            with ThreadPoolExecutor(max_workers=writers) as pool:
                futures = [pool.submit(in_tx, lambda w, t=t, b=b: w.tie_batch(plan, t, b, by_position=True), len(b))
                           for t, b in jobs]
                try:
                    for future in as_completed(futures):
                        future.result()
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
            for batch in _batches(plan.membership_rows, size):
                in_tx(lambda w, b=batch: w.membership_batch(b), len(batch))

            def promote(tx: neo4j.ManagedTransaction) -> PushResult | None:
                w = _Writer(tx, PushResult(map=key), key, plan.framework_key, None)
                lock = tx.run(load_query("lock_map"), {"map": key}).single()
                assert lock is not None
                if lock["actors"] or lock["spaces"]:
                    return None  # another push got there first: roll back, take the other path
                w.reference_data(plan)
                w.run("upsert_map", {"props": plan.map_props})
                w.run("promote_staged", {"staging": staging})
                w.run("update_map_counts", {"actors": len(plan.actor_rows), "ties": len(plan.nmap.ties)})
                return w.result

            with self._session() as session:
                promoted = session.execute_write(promote)
        except Exception as exc:
            self._delete_staging(staging)
            raise self._error(exc, f"push of map '{key}' failed, the map is unchanged") from None
        if promoted is None:
            self._delete_staging(staging)
            return None
        result.absorb(promoted)
        result.created["maps"] = 1
        return result

    def _delete_staging(self, staging: str) -> None:
        """Remove what a push staged (in batches; best effort: leftovers are removed later)."""
        try:
            with self._session() as session:
                while True:
                    rec = session.execute_write(
                        lambda tx: tx.run(load_query("delete_staged"),
                                          {"staging": staging, "limit": self._batch_size}).single())
                    if not rec or not rec["deleted"]:
                        break
        except Exception as exc:  # the server may be gone; the next push cleans up
            _log.warning("could not remove staged data %r: %s", staging, _first_line(exc))

    def _remove_stale_staging(self, key: str) -> None:
        """Remove what earlier pushes of this map staged and left behind (older than 6 h)."""
        prefix = key + STAGING_MARK
        for row in self._read("find_staged_keys", {"prefix": prefix}, write=True):
            parts = str(row["staging"])[len(prefix):].split("~")
            if parts and parts[0].isdigit() and time.time() - int(parts[0]) > STALE_STAGING_SECONDS:
                self._delete_staging(row["staging"])

    @property
    def _batch_size(self) -> int:
        return max(1, int(self.settings.batch_size))

    @staticmethod
    def _prune(tx: neo4j.ManagedTransaction, w: _Writer, key: str, size: int,
               wanted: dict[str, set[tuple[str, ...]]]) -> None:
        """Delete what the map holds beyond ``wanted`` (identities by kind)."""
        stale: dict[str, list[str]] = {}
        for rec in tx.run(load_query("fetch_member_keys"), {"map": key}):
            if tuple(rec["key"]) not in wanted[rec["kind"]]:
                stale.setdefault(rec["kind"], []).append(rec["element"])
        # Relationships first, then nodes (whose remaining relationships go with them).
        for kind, label, query in (("tie", "ties", "delete_relationships"),
                                   ("membership", "memberships", "delete_relationships"),
                                   ("actor", "actors", "delete_nodes"), ("space", "spaces", "delete_nodes"),
                                   ("locality", "localities", "delete_nodes")):
            for batch in _batches(stale.get(kind, []), size):
                rec = w.run(query, {"elements": batch})[0]
                w.result.deleted[label] = w.result.deleted.get(label, 0) + int(rec["deleted"])

    # ------------------------------------------------------------------ reading

    def _read(self, name: str, params: Mapping[str, Any], text: str | None = None,
              write: bool = False) -> list[dict[str, Any]]:
        try:
            records, _, _ = self.driver.execute_query(
                text or load_query(name), dict(params), database_=self.settings.database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
        except Exception as exc:
            raise self._error(exc, f"query '{name}' failed") from None
        return [record.data() for record in records]

    def pull(self, map_key: str) -> NetworkMap:
        """Read one map back (equal to the map that was pushed)."""
        try:
            with self._session(read=True) as session:
                return session.execute_read(_pull, map_key)
        except StoreError:
            raise
        except Exception as exc:
            raise self._error(exc, f"pull of map '{map_key}' failed") from None

    def maps(self) -> list[dict[str, Any]]:
        """Every map in the database: key, name, actors, ties, snapshot, framework."""
        return self._read("list_maps", {})

    def count(self, map_key: str) -> dict[str, int]:
        """Actors, ties, spaces and memberships of a map, counted in the database."""
        rows = self._read("count_map", {"map": map_key})
        return rows[0] if rows else {"actors": 0, "ties": 0, "spaces": 0, "memberships": 0}

    def delete_map(self, map_key: str) -> bool:
        """Delete a map: its actors, ties, spaces, memberships and localities.

        One transaction takes the map away from every query (its nodes move to a temporary key);
        they are then deleted in batches, so even a map of millions of ties can go. Returns
        False if there was no such map.
        """
        retired = f"{map_key}{STAGING_MARK}{int(time.time())}~deleted"
        try:
            with self._session() as session:
                rec = session.execute_write(
                    lambda tx: tx.run(load_query("retire_map"), {"map": map_key, "retired": retired}).single())
        except Exception as exc:
            raise self._error(exc, f"delete of map '{map_key}' failed") from None
        self._delete_staging(retired)
        return bool(rec and rec["deleted"])

    def run_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only named query (``find_*``, ``fetch_*``, ``list_*``, ``count_*``).

        Missing parameters are reported by name; optional ones (``$locality``, ``$ego``) may
        be left out and count as null.
        """
        text = load_query(name)
        if not name.startswith(READ_PREFIXES):
            raise StoreError(f"'{name}' writes to the database; only queries named "
                             f"{', '.join(p + '*' for p in READ_PREFIXES)} can be run this way")
        given = dict(params or {})
        wanted = query_parameters(name)
        for optional in _OPTIONAL_PARAMETERS:
            if optional in wanted:
                given.setdefault(optional, None)
        missing = [p for p in wanted if p not in given]
        if missing:
            raise StoreError(f"query '{name}' needs {', '.join('$' + p for p in missing)} "
                             f"(e.g. --param {missing[0]}=...)")
        unknown = sorted(set(given) - set(wanted))
        if unknown:
            raise StoreError(f"query '{name}' has no parameter {', '.join('$' + p for p in unknown)} "
                             f"(it takes {', '.join('$' + p for p in wanted) or 'none'})")
        return self._read(name, given, text)

    # ------------------------------------------------------------------ gap questions

    def absent_constituencies(self, map_key: str, framework: Framework | str,
                              locality: str | None = None) -> list[dict[str, Any]]:
        """Constituencies of the framework held by no actor of the map.

        With ``locality``, only the actors of that locality and those with no locality count.
        """
        return self._read("find_absent_constituencies",
                          {"map": map_key, "framework": _fw(framework), "locality": locality})

    def missing_links(self, map_key: str, framework: Framework | str,
                      locality: str | None = None) -> list[dict[str, Any]]:
        """Expected constituency pairs with no tie and no shared space between their actors."""
        return self._read("find_missing_links", {"map": map_key, "framework": _fw(framework), "locality": locality})

    def ego_gaps(self, map_key: str, framework: Framework | str, ego: str | None = None) -> list[dict[str, Any]]:
        """Constituencies neither an ego actor nor its neighbours (ties, shared spaces) hold.

        Egos: ``ego`` if given, else the map's ego list, else every statutory actor.
        """
        return self._read("find_ego_gaps", {"map": map_key, "framework": _fw(framework), "ego": ego})

    def community_coverage(self, map_key: str, framework: Framework | str) -> list[dict[str, Any]]:
        """Population share of each Census group per locality against the actors serving it."""
        return self._read("find_community_coverage", {"map": map_key, "framework": _fw(framework)})

    def cut_off_dependencies(self, map_key: str, framework: Framework | str) -> list[dict[str, Any]]:
        """VCSE and community actors funded or commissioned by a single actor."""
        return self._read("find_cut_off_dependencies", {"map": map_key, "framework": _fw(framework)})


#: Parameters a named query may leave out (they default to null, meaning "all").
_OPTIONAL_PARAMETERS = ("locality", "ego")


def _fw(framework: Framework | str) -> str:
    return framework.key if isinstance(framework, Framework) else str(framework)


def _pull(tx: neo4j.ManagedTransaction, map_key: str) -> NetworkMap:
    def rows(name: str) -> Iterator[dict[str, Any]]:
        for record in tx.run(load_query(name), {"map": map_key}):
            yield record.data()

    head = list(rows("fetch_map"))
    if not head:
        raise StoreError(f"no map '{map_key}' in the database (see `netmap neo4j maps`)")
    m = head[0]
    actors = [
        Actor(
            id=r["id"], name=r["name"] or "", constituencies=tuple(r["constituencies"] or ()),
            aliases=tuple(r["aliases"] or ()), kind=r["kind"] or "", communities=tuple(r["communities"] or ()),
            led_by_community=bool(r["led_by_community"]), lived_experience_led=bool(r["lived_experience_led"]),
            locality=r["locality"] or "", scale=r["scale"] or "", source=r["source"] or "", notes=r["notes"] or "",
            attributes=json.loads(r["attributes"]) if r["attributes"] else {},
        )
        for r in rows("fetch_actors")
    ]
    ties = [
        Tie(
            from_id=r["from"], to_id=r["to"], type=r["type"], directed=bool(r["directed"]),
            weight=float(r["weight"]) if r["weight"] is not None else 1.0, trust=r["trust"], value=r["value"],
            since=r["since"] or "", until=r["until"] or "", reported_by=tuple(r["reported_by"] or ()),
            source=r["source"] or "", notes=r["notes"] or "",
        )
        for r in rows("fetch_ties")
    ]
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


def _unmatched_message(map_key: str, what: str, bad: list[neo4j.Record], rows: list[Any]) -> str:
    if not bad:
        return f"a {what} of map '{map_key}' names an actor or space the map does not hold"
    r = bad[0]
    row = rows[r["index"]]
    if what == "tie":
        start, end, seq = row[0], row[1], row[12] + 1
        if row[2]:  # stored the other way round
            start, end = end, start
        missing = [v for v, gone in ((r["start"], r["start_missing"]), (r["end"], r["end_missing"])) if gone]
        names = " and ".join(f"'{m}'" for m in dict.fromkeys(missing))
        return f"tie {seq} ({start} -> {end}): no actor {names} in map '{map_key}'"
    seq = row["props"]["seq"] + 1
    parts = []
    if r["actor_missing"]:
        parts.append(f"no actor '{r['actor']}'")
    if r["space_missing"]:
        parts.append(f"no space '{r['space']}'")
    return f"membership {seq} ({r['actor']} in {r['space']}): {' and '.join(parts)} in map '{map_key}'"


def _missing_end_message(map_key: str, row: list[Any], missing: str) -> str:
    start, end = (row[1], row[0]) if row[2] else (row[0], row[1])
    return f"tie {row[12] + 1} ({start} -> {end}): no actor '{missing}' in map '{map_key}'"


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _reason(exc: BaseException) -> str:
    """A short reason for a connection failure ("connection refused", "timed out", ...)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror.lower()
        if isinstance(current, TimeoutError):
            return "timed out"
        current = current.__cause__ or current.__context__
    text = str(exc)
    match = re.search(r"\[Errno \d+\] ([^)\]]+)", text)
    if match:
        return match.group(1).strip().lower()
    lowered = text.lower()
    if "timed out" in lowered or "timeout" in lowered:
        return "timed out"
    if "routing" in lowered:
        return "no routing information (is it a cluster or Aura address? try bolt:// for a single server)"
    return _first_line(exc) if text else "server unavailable"


def _major(version: str) -> int | None:
    match = re.match(r"(\d+)", version or "")
    return int(match.group(1)) if match else None
