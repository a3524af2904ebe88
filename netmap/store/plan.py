"""A push's plan: a map checked, hashed and cut into batches before the server is touched.

Building a plan reads every record once: it checks every value (an error names the record),
and computes a content hash of the whole map (with its framework and population profiles) and
one of each batch ("block"). The rows themselves are built again batch by batch while they are
sent, so a map of a million ties is never held twice in memory.

>>> from netmap.model import Actor, Framework, NetworkMap
>>> plan = Plan.build(NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B")]), Framework("f", "F", ()), ())
>>> plan.total, [[r["id"] for r in rows] for _, rows in plan.actor_batches("m")]
(2, [['a', 'b']])
>>> plan.content_hash == Plan.build(NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B")]),
...                                Framework("f", "F", ()), ()).content_hash
True
>>> [list(b) for b in batches([1, 2, 3], 2)]
[[1, 2], [3]]
"""

from __future__ import annotations

import hashlib
import queue
import threading
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from netmap.errors import StoreError
from netmap.model import Framework, NetworkMap, PopulationProfile, Tie, is_identifier
from netmap.store.rows import (
    TIE_FIELDS,
    actor_row,
    as_text,
    as_texts,
    check_tie_values,
    community_rows,
    framework_rows,
    locality_row,
    membership_row,
    own_populations_text,
    population_rows,
    space_row,
    tie_columns,
    tie_row,
)

#: Separates a map key from the rest of the temporary key a bulk push stages under (map keys
#: are letters, digits, - and _, so no real key contains it).
STAGING_MARK = "~staging~"

#: Version of the stored layout: part of every content hash, so a netmap that stores maps
#: differently never takes an older push's hash for its own.
LAYOUT = "netmap-neo4j-2"

T = TypeVar("T")


def _digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass
class Plan:
    """A push's checked records, content hash and block hashes; rows are built batch by batch."""

    nmap: NetworkMap
    key: str
    framework_key: str
    size: int
    space_rows: list[dict[str, Any]]
    locality_rows: list[dict[str, Any]]
    ties_by_type: dict[str, array]
    positions: dict[str, int]
    framework_props: dict[str, Any]
    constituency_rows: list[dict[str, Any]]
    link_rows: list[dict[str, Any]]
    population_rows: list[dict[str, Any]]
    community_rows: list[dict[str, Any]]
    map_props: dict[str, Any]
    #: "kind:k:digest" of each batch of actors, ties (by type) and memberships, in the order sent.
    blocks: list[str] = field(default_factory=list)
    content_hash: str = ""
    #: (position, missing id) of the first tie naming an actor the map does not list.
    missing_end: tuple[int, str] | None = None

    @property
    def total(self) -> int:
        return len(self.nmap.actors) + len(self.nmap.ties) + len(self.space_rows) + len(self.nmap.memberships)

    def actor_batches(self, map_key: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(block, rows) of the actors, ``size`` at a time, with ``map_key`` as their map."""
        actors = self.nmap.actors
        for k, start in enumerate(range(0, len(actors), self.size)):
            rows = [actor_row(a, map_key, i) for i, a in enumerate(actors[start:start + self.size], start)]
            yield self._actor_blocks[k], rows

    def tie_batches(self, by_position: bool) -> Iterator[tuple[str, str, list[list[Any]]]]:
        """(tie type, block, rows) of the ties, ``size`` at a time per type. ``by_position``: a
        row names its ends by their position among the map's actors, else by id (upsert_ties)."""
        ties, position = self.nmap.ties, self.positions
        k = 0
        for tie_type, indexes in self.ties_by_type.items():
            for start in range(0, len(indexes), self.size):
                rows = [tie_row(ties[i], i) for i in indexes[start:start + self.size]]
                if by_position:
                    for row in rows:
                        row[0], row[1] = position[row[0]], position[row[1]]
                yield tie_type, self._tie_blocks[k], rows
                k += 1

    def tie_column_batches(self, ends: Sequence[Any]) -> Iterator[tuple[str, str, dict[str, list[Any] | None]]]:
        """(tie type, block, columns) of the ties, ``size`` at a time per type, for a map that
        held no actors before this push (create_ties): ``ends[i]`` names the node of the map's
        ``i``-th actor (see :func:`netmap.store.rows.tie_columns`)."""
        ties, k = self.nmap.ties, 0
        for tie_type, indexes in self.ties_by_type.items():
            for start in range(0, len(indexes), self.size):
                seqs = indexes[start:start + self.size]
                yield tie_type, self._tie_blocks[k], tie_columns(list(map(ties.__getitem__, seqs)), seqs,
                                                                 self.positions, ends)
                k += 1

    def membership_batches(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        members = self.nmap.memberships
        for k, start in enumerate(range(0, len(members), self.size)):
            yield self._member_blocks[k], [membership_row(m, i) for i, m in
                                           enumerate(members[start:start + self.size], start)]

    def locality_rows_for(self, map_key: str) -> list[dict[str, Any]]:
        return [{**r, "props": {**r["props"], "map": map_key}} for r in self.locality_rows]

    def space_rows_for(self, map_key: str) -> list[dict[str, Any]]:
        return [{**r, "props": {**r["props"], "map": map_key}} for r in self.space_rows]

    def wanted(self) -> dict[str, set[tuple[str, ...]]]:
        """The identities of everything the map holds, by kind (what a prune keeps)."""
        return {
            "actor": {(a.id,) for a in self.nmap.actors},
            "space": {(r["id"],) for r in self.space_rows},
            "locality": {(r["key"],) for r in self.locality_rows},
            "tie": {(t.type, *t.key[:2]) for t in self.nmap.ties},
            "membership": {(m.actor_id, m.space_id) for m in self.nmap.memberships},
        }

    @property
    def _actor_blocks(self) -> list[str]:
        return [b for b in self.blocks if b.startswith("a:")]

    @property
    def _tie_blocks(self) -> list[str]:
        return [b for b in self.blocks if b.startswith("t:")]

    @property
    def _member_blocks(self) -> list[str]:
        return [b for b in self.blocks if b.startswith("m:")]

    @classmethod
    def build(cls, nmap: NetworkMap, framework: Framework,
              populations: Iterable[PopulationProfile] | Mapping[str, PopulationProfile],
              size: int = 20_000) -> Plan:
        key = nmap.key
        if not isinstance(key, str) or not key.strip():
            raise StoreError("the map has no key (set 'map' in netmap.toml)")
        if STAGING_MARK in key:
            raise StoreError(f"map key {key!r} contains {STAGING_MARK!r}, which netmap keeps for itself")
        if isinstance(populations, Mapping):
            populations = list(populations.values())
        size = max(1, int(size))
        blocks: list[str] = []
        positions = _check_actors(nmap, key, size, blocks)
        space_rows = [space_row(s, key, i) for i, s in enumerate(nmap.spaces)]
        _check_unique((r["id"] for r in space_rows), "space")
        locality_rows = [locality_row(loc, key, i) for i, loc in enumerate(nmap.localities)]
        _check_unique((r["key"] for r in locality_rows), "locality")
        ties_by_type, missing_end = _check_ties(nmap.ties, positions, size, blocks)
        listed = {r["id"] for r in space_rows}
        implicit = _check_memberships(nmap, size, blocks, listed)
        # A membership may name a space the map does not list (the analyses still count it):
        # such a space is stored as an `implicit` :Space, which a pull does not return.
        for sid in implicit:
            space_rows.append({"id": sid, "props": {"map": key, "id": sid, "implicit": True, "seq": len(space_rows)}})
        fw_props, constituency_rows, link_rows = framework_rows(framework)
        map_props = {
            "key": key, "name": as_text(nmap.name, "map name"), "framework": as_text(nmap.framework, "map framework"),
            "framework_key": framework.key, "snapshot": as_text(nmap.snapshot, "map snapshot"),
            "ego": as_texts(nmap.ego, "map ego"), "description": as_text(nmap.description, "map description"),
            "populations": own_populations_text(nmap.populations),
        }
        plan = cls(
            nmap=nmap, key=key, framework_key=framework.key, size=size, space_rows=space_rows,
            locality_rows=locality_rows, ties_by_type=ties_by_type, positions=positions,
            framework_props=fw_props, constituency_rows=constituency_rows, link_rows=link_rows,
            population_rows=population_rows(populations),
            community_rows=community_rows({c for a in nmap.actors for c in a.communities}),
            map_props=map_props, blocks=blocks, missing_end=missing_end,
        )
        plan.content_hash = _digest(LAYOUT, key, size, map_props, fw_props, constituency_rows, link_rows,
                                    plan.population_rows, plan.community_rows, space_rows, locality_rows, blocks)
        return plan


def _check_actors(nmap: NetworkMap, key: str, size: int, blocks: list[str]) -> dict[str, int]:
    """Check every actor (and that ids are unique); add the actors' block hashes; id -> position."""
    positions: dict[str, int] = {}
    actors = nmap.actors
    for k, start in enumerate(range(0, len(actors), size)):
        rows = [actor_row(a, key, i) for i, a in enumerate(actors[start:start + size], start)]
        for i, row in enumerate(rows, start):
            if positions.setdefault(row["id"], i) != i:
                raise StoreError(f"actor {i + 1}: '{row['id']}' appears twice in the map")
        blocks.append(f"a:{k}:{_digest(rows)}")
    return positions


def _check_ties(ties: Sequence[Tie], positions: Mapping[str, int], size: int,
                blocks: list[str]) -> tuple[dict[str, array], tuple[int, str] | None]:
    """Check every tie; positions by type; add the ties' block hashes (per type, in the order
    :meth:`Plan.tie_batches` sends them); the first tie naming an actor the map does not list."""
    by_type: dict[str, array] = {}
    pending: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
    done: dict[str, list[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    good: set[tuple[type, ...]] = set()  # the value types of ties found good (checked once each)
    missing: tuple[int, str] | None = None
    for i, tie in enumerate(ties):
        values = TIE_FIELDS(tie)
        f, t, tie_type, directed, weight, trust, value = values[:7]
        if tie_type not in by_type:
            if not isinstance(tie_type, str) or not is_identifier(tie_type):
                raise StoreError(f"tie {i + 1} ({tie.from_id} -> {tie.to_id}): type {tie_type!r} is not "
                                 "a snake_case identifier (a-z, 0-9, _; at most 40)")
            by_type[tie_type], pending[tie_type], done[tie_type] = array("q"), [], []
        kinds = tuple(map(type, values))
        if kinds not in good:
            if not check_tie_values(values):
                tie_row(tie, i)  # raises, naming the tie and the field
            good.add(kinds)
        if weight != weight or trust != trust or value != value or (values[9] and not _all_texts(values[9])):
            tie_row(tie, i)  # NaN, or a reported_by that is not all texts: raises
        ident = (tie_type, f, t) if directed or f <= t else (tie_type, t, f)
        if ident in seen:
            raise StoreError(f"tie {i + 1}: '{' -> '.join(ident)}' appears twice in the map")
        seen.add(ident)
        if missing is None and (f not in positions or t not in positions):
            missing = (i, f if f not in positions else t)
        by_type[tie_type].append(i)
        block = pending[tie_type]
        block.append((i, values))
        if len(block) == size:
            done[tie_type].append(_digest(block))
            block.clear()
    seen.clear()
    k = 0
    for tie_type in by_type:
        if pending[tie_type]:
            done[tie_type].append(_digest(pending[tie_type]))
        for digest in done[tie_type]:
            blocks.append(f"t:{k}:{digest}")
            k += 1
    return by_type, missing


def _all_texts(values: Any) -> bool:
    """Whether ``values`` is a list or tuple of texts (not one text)."""
    if isinstance(values, str):
        return False
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def _check_memberships(nmap: NetworkMap, size: int, blocks: list[str], listed: set[str]) -> list[str]:
    """Check every membership; add their block hashes; the spaces they name that the map does not list."""
    seen: set[tuple[str, str]] = set()
    implicit: dict[str, None] = {}
    members = nmap.memberships
    for k, start in enumerate(range(0, len(members), size)):
        rows = [membership_row(m, i) for i, m in enumerate(members[start:start + size], start)]
        for i, row in enumerate(rows, start):
            pair = (row["actor"], row["space"])
            if pair in seen:
                raise StoreError(f"membership {i + 1}: '{' -> '.join(pair)}' appears twice in the map")
            seen.add(pair)
            if row["space"] not in listed:
                implicit.setdefault(row["space"], None)
        blocks.append(f"m:{k}:{_digest(rows)}")
    return list(implicit)


def _check_unique(keys: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for i, key in enumerate(keys, start=1):
        if key in seen:
            shown = " -> ".join(key) if isinstance(key, tuple) else key
            raise StoreError(f"{what} {i}: '{shown}' appears twice in the map")
        seen.add(key)


def batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``rows`` in slices of ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def prefetched(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """``items``, each made by a helper thread while the one before is used (at most ``depth``
    made ahead): the next batch's rows are built while the server writes the current one.
    An error raised while making an item is raised here, in its place.

    >>> list(prefetched(iter(range(5))))
    [0, 1, 2, 3, 4]
    """
    box: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, Any]) -> bool:
        """Hand ``entry`` over; False once the consumer has gone."""
        while not stop.is_set():
            try:
                box.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as exc:  # handed over to the consumer
            put((False, exc))

    worker = threading.Thread(target=make, name="netmap-rows", daemon=True)
    worker.start()
    try:
        while True:
            more, item = box.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
