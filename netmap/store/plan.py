"""A push's plan: a map's rows, checked and ready before the server is touched.

>>> from netmap.model import Actor, Framework, NetworkMap
>>> plan = Plan.build(NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B")]), Framework("f", "F", ()), ())
>>> plan.total, [r["id"] for r in plan.rows("actor", "m")]
(2, ['a', 'b'])
>>> [list(b) for b in batches([1, 2, 3], 2)]
[[1, 2], [3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from netmap.errors import StoreError
from netmap.model import Framework, NetworkMap, PopulationProfile, Tie, is_identifier
from netmap.store.rows import (
    actor_row,
    as_text,
    as_texts,
    community_rows,
    framework_rows,
    locality_row,
    membership_row,
    own_populations_text,
    population_rows,
    space_row,
)

#: Separates a map key from the rest of the temporary key a bulk push stages under (map keys
#: are letters, digits, - and _, so no real key contains it).
STAGING_MARK = "~staging~"


@dataclass
class Plan:
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
        """The identities of everything the map holds, by kind (what a prune keeps)."""
        return {
            "actor": {(r["id"],) for r in self.actor_rows},
            "space": {(r["id"],) for r in self.space_rows},
            "locality": {(r["key"],) for r in self.locality_rows},
            "tie": {(t.type, *t.key[:2]) for t in self.nmap.ties},
            "membership": {(r["actor"], r["space"]) for r in self.membership_rows},
        }

    @classmethod
    def build(cls, nmap: NetworkMap, framework: Framework,
              populations: Iterable[PopulationProfile] | Mapping[str, PopulationProfile]) -> Plan:
        key = nmap.key
        if not isinstance(key, str) or not key.strip():
            raise StoreError("the map has no key (set 'map' in netmap.toml)")
        if STAGING_MARK in key:
            raise StoreError(f"map key {key!r} contains {STAGING_MARK!r}, which netmap keeps for itself")
        if isinstance(populations, Mapping):
            populations = list(populations.values())
        actor_rows = [actor_row(a, key, i) for i, a in enumerate(nmap.actors)]
        _check_unique((r["id"] for r in actor_rows), "actor")
        space_rows = [space_row(s, key, i) for i, s in enumerate(nmap.spaces)]
        _check_unique((r["id"] for r in space_rows), "space")
        locality_rows = [locality_row(loc, key, i) for i, loc in enumerate(nmap.localities)]
        _check_unique((r["key"] for r in locality_rows), "locality")
        ties_by_type = _ties_by_type(nmap.ties)
        _check_unique(((t.type, *t.key[:2]) for t in nmap.ties), "tie")
        membership_rows = [membership_row(m, i) for i, m in enumerate(nmap.memberships)]
        _check_unique(((r["actor"], r["space"]) for r in membership_rows), "membership")
        # A membership may name a space the map does not list (the analyses still count it):
        # such a space is stored as an `implicit` :Space, which a pull does not return.
        listed = {r["id"] for r in space_rows}
        for sid in dict.fromkeys(r["space"] for r in membership_rows if r["space"] not in listed):
            space_rows.append({"id": sid, "props": {"map": key, "id": sid, "implicit": True,
                                                    "seq": len(space_rows)}})
        fw_props, constituency_rows, link_rows = framework_rows(framework)
        map_props = {
            "key": key, "name": as_text(nmap.name, "map name"), "framework": as_text(nmap.framework, "map framework"),
            "framework_key": framework.key, "snapshot": as_text(nmap.snapshot, "map snapshot"),
            "ego": as_texts(nmap.ego, "map ego"), "description": as_text(nmap.description, "map description"),
            "populations": own_populations_text(nmap.populations),
        }
        return cls(
            nmap=nmap, key=key, framework_key=framework.key, actor_rows=actor_rows, space_rows=space_rows,
            locality_rows=locality_rows, membership_rows=membership_rows, ties_by_type=ties_by_type,
            framework_props=fw_props, constituency_rows=constituency_rows, link_rows=link_rows,
            population_rows=population_rows(populations),
            community_rows=community_rows({c for a in nmap.actors for c in a.communities}),
            map_props=map_props,
        )


def _ties_by_type(ties: Sequence[Tie]) -> dict[str, list[tuple[int, Tie]]]:
    """(position, tie) by tie type; a type that cannot be a relationship type is refused."""
    by_type: dict[str, list[tuple[int, Tie]]] = {}
    for i, tie in enumerate(ties):
        if not isinstance(tie.type, str) or not is_identifier(tie.type):
            raise StoreError(f"tie {i + 1} ({tie.from_id} -> {tie.to_id}): type {tie.type!r} is not "
                             "a snake_case identifier (a-z, 0-9, _; at most 40)")
        by_type.setdefault(tie.type, []).append((i, tie))
    return by_type


def _check_unique(keys: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for i, key in enumerate(keys, start=1):
        if key in seen:
            shown = " -> ".join(key) if isinstance(key, tuple) else key
            raise StoreError(f"{what} {i}: '{shown}' appears twice in the map")
        seen.add(key)


def batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``rows`` in slices of ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
