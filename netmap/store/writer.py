"""Writing a push's statements within a transaction and adding up what they did (``PushResult``).

>>> PushResult("leeds", created={"actors": 7}, counters={"nodes_created": 7}, seconds=0.25).summary()
"map 'leeds': created 7 actors; updated nothing; deleted nothing (0.2 s)"
>>> PushResult("leeds", rows=12).summary()
"map 'leeds': already up to date (12 rows checked in 0.0 s)"
>>> PushResult("leeds", rows=12, unchanged=True).summary()
"map 'leeds': unchanged, nothing written (already up to date: same content hash as its last push; 12 rows, 0.0 s)"
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import neo4j

from netmap.errors import StoreError
from netmap.store.plan import STAGING_MARK, Plan, batches
from netmap.store.queries import load_query, typed_query

#: ``progress(done, total)``, called after each batch of rows.
Progress = Callable[[int, int], None]

_COUNTER_FIELDS = (
    "nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
    "properties_set", "labels_added", "labels_removed",
)

_log = logging.getLogger(__name__)


@dataclass
class PushResult:
    """What a push did: per kind of record, how many were created, updated and deleted.

    ``counters`` sums the server's own update counters over every statement that writes
    map data (all zero when the push changed nothing). ``unchanged``: the map's content hash
    equalled the one its last push recorded, so nothing was sent (``skipped`` rows were not sent
    because their batch was as the last push left it).
    """

    map: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    seconds: float = 0.0
    unchanged: bool = False
    skipped: int = 0

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

        if self.unchanged and not self.changed:
            return (f"map '{self.map}': unchanged, nothing written (already up to date: same content hash as its "
                    f"last push; {self.rows} rows, {self.seconds:.1f} s)")
        if not self.changed:
            return f"map '{self.map}': already up to date ({self.rows} rows checked in {self.seconds:.1f} s)"
        return (f"map '{self.map}': created {fmt(self.created)}; updated {fmt(self.updated)}; "
                f"deleted {fmt(self.deleted)} ({self.seconds:.1f} s)")


def _add_counters(total: dict[str, int], summary: neo4j.ResultSummary) -> None:
    counters = summary.counters
    for name in _COUNTER_FIELDS:
        total[name] = total.get(name, 0) + int(getattr(counters, name))


class Writer:
    """Runs a push's statements in one transaction, adding up counters and progress."""

    def __init__(self, tx: neo4j.ManagedTransaction, result: PushResult, map_key: str, framework_key: str,
                 progress: Progress | None, done: int = 0, total: int | None = None) -> None:
        self.tx, self.result, self.map_key, self.framework_key = tx, result, map_key, framework_key
        self.shown_key = map_key.split(STAGING_MARK)[0]  # the map's own key, for messages
        self.progress, self.done = progress, done
        self.total = result.rows if total is None else total

    def run(self, name: str, params: dict[str, Any], text: str | None = None,
            bookkeeping: bool = False) -> list[neo4j.Record]:
        """Run a named query; its update counters are added up unless it is ``bookkeeping``
        (what a push records about itself on the :Map node is not map data)."""
        t0 = time.monotonic()
        res = self.tx.run(text or load_query(name), {"map": self.map_key, "framework": self.framework_key, **params})
        records = list(res)
        summary = res.consume()
        if not bookkeeping:
            _add_counters(self.result.counters, summary)
        _log.debug("%s: %.3f s", name, time.monotonic() - t0)
        return records

    def tally(self, name: str, record: neo4j.Record) -> None:
        created, updated = self.result.created, self.result.updated
        created[name] = created.get(name, 0) + int(record["created"] or 0)
        updated[name] = updated.get(name, 0) + int(record["updated"] or 0)

    def skip(self, n: int) -> None:
        """``n`` rows not sent: their batch is as the last push left it."""
        self.result.skipped += n
        self.step(n)

    def step(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)

    def reference_data(self, plan: Plan) -> None:
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
        for batch in batches(ids, size):
            for name in ("link_constituencies", "link_communities", "link_localities"):
                self.run(name, {"ids": batch})

    def create_actors(self, rows: list[dict[str, Any]], elements: list[str | None]) -> None:
        """Create a batch of actors of a map that held none; ``elements[seq]`` becomes the
        element id of the actor ``seq``, by which create_ties finds the ends of its ties."""
        rec = self.run("create_actors", {"rows": rows})[0]
        for seq, element in zip(rec["seqs"], rec["elements"], strict=True):
            elements[seq] = element
        self.tally("actors", rec)

    def tie_columns(self, tie_type: str, columns: dict[str, Any]) -> None:
        """One batch of ties of a map that held no actors before this push, as columns
        (:meth:`Plan.tie_column_batches`), their ends named by element id."""
        n = len(columns["seq"])
        rec = self.run("create_ties", columns, text=typed_query("create_ties", tie_type))[0]
        if rec["rows"] != n:  # an end was not found: not one of the actors this push created
            raise StoreError(_unmatched_message(self.shown_key, "tie", [], []))
        self.tally("ties", rec)
        self.step(n)

    def tie_batch(self, tie_type: str, rows: list[list[Any]]) -> None:
        """One batch of ties of one type (rows from :meth:`Plan.tie_batches`), ends named by id."""
        self._write_between("upsert_ties", rows, "tie", text=typed_query("upsert_ties", tie_type))

    def membership_batch(self, rows: list[dict[str, Any]]) -> None:
        self._write_between("upsert_memberships", rows, "membership")

    def _write_between(self, name: str, rows: list[Any], what: str, text: str | None = None) -> None:
        """Write relationship rows (``what``: tie or membership) whose ends must all be in the map."""
        rec = self.run(name, {"rows": rows}, text=text)[0]
        if rec["rows"] != len(rows):  # some row did not find its ends: say which
            bad = self.run(f"find_unmatched_{what}s", {"rows": rows})
            raise StoreError(_unmatched_message(self.shown_key, what, bad, rows))
        self.tally(what + "s", rec)
        self.step(len(rows))


def _unmatched_message(map_key: str, what: str, bad: list[neo4j.Record], rows: list[Any]) -> str:
    if not bad:
        return f"a {what} of map '{map_key}' names an actor or space the map does not hold"
    r = bad[0]
    row = rows[r["index"]]
    if what == "tie":
        start, end, seq = row[0], row[1], row[2]["seq"] + 1
        if row[2].get("swapped"):  # stored the other way round
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


def missing_end_message(plan: Plan) -> str:
    """What is wrong with the first tie naming an actor the map does not list."""
    assert plan.missing_end is not None
    seq, missing = plan.missing_end
    tie = plan.nmap.ties[seq]
    return f"tie {seq + 1} ({tie.from_id} -> {tie.to_id}): no actor '{missing}' in map '{plan.key}'"
