"""Pushing a map: one write transaction per map, or a staged bulk load for a large first push.

A push runs in one write transaction per map (see ``docs/neo4j.md``): it is atomic, two pushes
of the same map run one after the other, and a push that changes nothing writes nothing. A
first push of a large map is written in batches of their own transactions under a temporary
(staging) key, then made the map in one short transaction.

Each push records on the map's :Map node a content hash of the map and a hash of each batch it
sent. A push whose content hash is the recorded one sends nothing ("unchanged, nothing
written"); one that changed a little sends only the batches whose hash is not recorded.
Rows are built batch by batch (the next while the server writes the current one), so the
client's memory does not grow with the size of the map beyond the map itself.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

import neo4j

from netmap.errors import StoreError
from netmap.model import Framework, NetworkMap, PopulationProfile
from netmap.store.connection import Connection, first_line, is_lost
from netmap.store.plan import STAGING_MARK, Plan, batches, prefetched
from netmap.store.queries import load_query
from netmap.store.writer import Progress, PushResult, Writer, missing_end_message

#: Staged data older than this (seconds) was left by a push that died: the next push removes it.
STALE_STAGING_SECONDS = 6 * 3600

_log = logging.getLogger(__name__)


def push_map(conn: Connection, nmap: NetworkMap, framework: Framework,
             populations: Iterable[PopulationProfile] | Mapping[str, PopulationProfile] = (),
             prune: bool = False, progress: Progress | None = None, force: bool = False) -> PushResult:
    """Write ``nmap`` (and its framework and population profiles) through ``conn``: see :meth:`Store.push`."""
    started = time.monotonic()
    plan = Plan.build(nmap, framework, populations, conn.settings.batch)
    conn.ensure_schema()
    _log.debug("prepare: %.3f s", time.monotonic() - started)
    result: PushResult | None = None
    if plan.total >= conn.settings.bulk_rows and _holds_nothing(conn, plan.key):
        result = _push_staged(conn, plan, progress)  # None: another push created the map meanwhile
    if result is None:
        result = _push_in_one_transaction(conn, plan, prune, progress, force)
    result.seconds = time.monotonic() - started
    return result


def _holds_nothing(conn: Connection, key: str) -> bool:
    rows = conn.fetch("count_map_nodes", {"map": key}, write=True)
    return bool(rows) and rows[0]["actors"] == 0 and rows[0]["spaces"] == 0


def _lock(tx: neo4j.ManagedTransaction, key: str) -> neo4j.Record:
    """Take the map's lock: a second push of the same map waits here until this one ends."""
    lock = tx.run(load_query("lock_map"), {"map": key}).single()
    assert lock is not None
    return lock


def _failed(key: str) -> str:
    return f"push of map '{key}' failed, the map is unchanged"


def _write_actors(w: Writer, plan: Plan, fresh: bool, done: set[str], elements: list[str | None]) -> list[str]:
    """Create or update the actors (not the batches in ``done``, as the last push left them);
    returns the ids whose links must be drawn (a first push draws them as it creates the actors,
    and puts the element id of each in ``elements``)."""
    link_ids: list[str] = []
    for block, batch in prefetched(plan.actor_batches(plan.key)):
        if block in done:
            w.skip(len(batch))
            continue
        if fresh:
            w.create_actors(batch, elements)
        else:
            rec = w.run("upsert_actors", {"rows": batch})[0]
            if rec["relink_ids"]:
                w.run("unlink_actors", {"ids": rec["relink_ids"]})
            link_ids.extend(rec["link_ids"])
            w.tally("actors", rec)
        w.step(len(batch))
    return link_ids


def _unchanged(w: Writer, plan: Plan, lock: neo4j.Record, prune: bool) -> bool:
    """Whether the map is as the last push recorded it (same content hash; with ``prune``, that
    push left exactly that map) and the shared reference data is too: then nothing is written."""
    if lock["content_hash"] != plan.content_hash or (prune and not lock["content_exact"]):
        return False
    w.reference_data(plan)  # shared with other maps, which may have changed it: rewritten if so
    w.run("upsert_map", {"props": plan.map_props})
    return not w.result.changed


def _push_in_one_transaction(conn: Connection, plan: Plan, prune: bool, progress: Progress | None,
                             force: bool = False) -> PushResult:
    key, size = plan.key, plan.size
    finished = [0.0]

    def work(tx: neo4j.ManagedTransaction) -> PushResult:
        w = Writer(tx, PushResult(map=key, rows=plan.total), key, plan.framework_key, progress)
        # 1. The map's lock; a map whose content is as its last push left it is not written.
        lock = _lock(tx, key)
        map_created = bool(lock["created"])
        fresh = lock["actors"] == 0 and lock["spaces"] == 0
        if fresh and plan.missing_end is not None:
            raise StoreError(missing_end_message(plan))
        if not fresh and not force and _unchanged(w, plan, lock, prune):
            w.result.unchanged = True
            w.skip(plan.total)
            finished[0] = time.monotonic()
            return w.result
        framework_changed = not map_created and lock["framework_key"] != plan.framework_key
        done = set() if fresh or force else set(lock["content_blocks"])  # batches as the last push left them
        if map_created:
            w.result.created["maps"] = 1
        # 2. Shared reference data, the map's settings and localities.
        w.reference_data(plan)
        rec = w.run("upsert_map", {"props": plan.map_props})[0]
        if rec["changed"] and not map_created:
            w.result.updated["maps"] = 1
        new_localities = False
        if plan.locality_rows:
            rec = w.run("upsert_localities", {"rows": plan.locality_rows})[0]
            w.tally("localities", rec)
            new_localities = bool(rec["created"]) and not fresh
        # 3. Actors, then the links drawn from their properties for the actors written.
        elements: list[str | None] = [None] * len(plan.nmap.actors)
        link_ids = _write_actors(w, plan, fresh, done, elements)
        if (framework_changed or new_localities) and not fresh:  # every actor's links may be stale
            link_ids = [a.id for a in plan.nmap.actors]
            for batch in batches(link_ids, size):
                w.run("unlink_actors", {"ids": batch})
        w.link_actors(link_ids, size)
        # 4. Spaces, ties, memberships.
        for batch in batches(plan.space_rows, size):
            w.tally("spaces", w.run("create_spaces" if fresh else "upsert_spaces", {"rows": batch})[0])
            w.step(len(batch))
        if fresh:
            for tie_type, _, columns in prefetched(plan.tie_column_batches(elements)):
                w.tie_columns(tie_type, columns)
        for tie_type, block, rows in () if fresh else prefetched(plan.tie_batches(by_position=False)):
            if block in done:
                w.skip(len(rows))
            else:
                w.tie_batch(tie_type, rows)
        for block, rows in plan.membership_batches():
            if block in done:
                w.skip(len(rows))
            else:
                w.membership_batch(rows)
        # 5. Prune what the workspace no longer has.
        if prune and not fresh:
            _prune(tx, w, key, size, plan.wanted())
        # 6. Sizes shown by `maps` and what the next push compares with (written only when they changed).
        exact = fresh or prune or (lock["content_exact"] and lock["content_hash"] == plan.content_hash)
        if exact:
            actors, ties = len(plan.nmap.actors), len(plan.nmap.ties)
        elif lock["content_hash"] is not None and lock["stored_actors"] is not None:  # counted by the last push
            actors = lock["stored_actors"] + w.result.created.get("actors", 0)
            ties = lock["stored_ties"] + w.result.created.get("ties", 0)
        else:
            counts = w.run("count_map", {})[0]
            actors, ties = counts["actors"], counts["ties"]
        w.run("record_map_content", {"actors": actors, "ties": ties, "hash": plan.content_hash,
                                     "exact": exact, "blocks": plan.blocks}, bookkeeping=True)
        finished[0] = time.monotonic()
        return w.result

    try:
        with conn.session() as session:
            result = session.execute_write(work)
        _log.debug("commit: %.3f s", time.monotonic() - finished[0])
    except Exception as exc:
        raise conn.failure(exc, _failed(key)) from None
    return result


def _push_staged(conn: Connection, plan: Plan, progress: Progress | None) -> PushResult | None:
    """The bulk path of a map's first push: batches in transactions of their own under a
    temporary key, then one short transaction that makes them the map. Returns None
    (having cleaned up) if the map was created by another push in the meantime."""
    key = plan.key
    if plan.missing_end is not None:  # found before anything is written
        raise conn.failure(StoreError(missing_end_message(plan)), _failed(key))
    staging = f"{key}{STAGING_MARK}{int(time.time())}~{uuid.uuid4().hex[:8]}"
    result = PushResult(map=key, rows=plan.total)
    _remove_stale_staging(conn, key)
    done = [0]
    guard = threading.Lock()

    def in_tx(fn: Callable[[Writer], Any], rows: int = 0) -> Any:
        """Run ``fn`` in a transaction of its own; count its rows once it is committed."""
        def work(tx: neo4j.ManagedTransaction) -> Any:
            scratch = PushResult(map=key)
            return scratch, fn(Writer(tx, scratch, staging, plan.framework_key, None))

        started = time.monotonic()
        with conn.session() as session:
            scratch, out = session.execute_write(work)
        _log.debug("transaction: %.3f s", time.monotonic() - started)
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
                                                         {"rows": plan.locality_rows_for(staging)})[0]))
        # Batches of actors, then of ties, only add staged nodes and relationships between them:
        # with `writers` > 1 they are written by several transactions at once (a few batches in
        # flight: memory stays bounded). Ties name their ends by the element ids of the actors.
        writers = max(1, int(conn.settings.writers))
        elements: list[str | None] = [None] * len(plan.nmap.actors)
        _run_all(in_tx, ((lambda w, b=b: w.create_actors(b, elements), len(b))
                         for _, b in prefetched(plan.actor_batches(staging))), writers)
        for batch in batches(plan.space_rows_for(staging), plan.size):
            in_tx(lambda w, b=batch: w.tally("spaces", w.run("create_spaces", {"rows": b})[0]), len(batch))
        _run_all(in_tx, ((lambda w, t=t, c=c: w.tie_columns(t, c), len(c["seq"]))
                         for t, _, c in prefetched(plan.tie_column_batches(elements))), writers)
        for _, rows in plan.membership_batches():
            in_tx(lambda w, b=rows: w.membership_batch(b), len(rows))

        def promote(tx: neo4j.ManagedTransaction) -> PushResult | None:
            w = Writer(tx, PushResult(map=key), key, plan.framework_key, None)
            lock = _lock(tx, key)
            if lock["actors"] or lock["spaces"]:
                return None  # another push got there first: roll back, take the other path
            w.reference_data(plan)
            w.run("upsert_map", {"props": plan.map_props})
            w.run("promote_staged", {"staging": staging})
            w.run("record_map_content", {"actors": len(plan.nmap.actors), "ties": len(plan.nmap.ties),
                                         "hash": plan.content_hash, "exact": True, "blocks": plan.blocks})
            return w.result

        with conn.session() as session:
            promoted = session.execute_write(promote)
    except Exception as exc:
        if not is_lost(exc):  # a server that went away would only be waited for again: a later push cleans up
            delete_staged(conn, staging)
        raise conn.failure(exc, _failed(key)) from None
    if promoted is None:
        delete_staged(conn, staging)
        return None
    result.absorb(promoted)
    result.created["maps"] = 1
    return result


def _run_all(in_tx: Callable[..., Any], jobs: Iterable[tuple[Callable[[Writer], Any], int]], writers: int) -> None:
    """Run each (fn, rows) job in a transaction of its own, ``writers`` at a time."""
    if writers == 1:
        for fn, rows in jobs:
            in_tx(fn, rows)
        return
    with ThreadPoolExecutor(max_workers=writers) as pool:
        pending: set[Future[Any]] = set()
        try:
            for fn, rows in jobs:
                if len(pending) >= writers:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        future.result()
                pending.add(pool.submit(in_tx, fn, rows))
            for future in pending:
                future.result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def delete_staged(conn: Connection, staging: str) -> None:
    """Remove what a push staged (in batches; best effort: leftovers are removed later)."""
    try:
        with conn.session() as session:
            while True:
                rec = session.execute_write(
                    lambda tx: tx.run(load_query("delete_staged"),
                                      {"staging": staging, "limit": conn.settings.batch}).single())
                if not rec or not rec["deleted"]:
                    break
    except Exception as exc:  # the server may be gone; the next push cleans up
        _log.warning("could not remove staged data %r: %s", staging, first_line(exc))


def _remove_stale_staging(conn: Connection, key: str) -> None:
    """Remove what earlier pushes of this map staged and left behind (older than 6 h)."""
    prefix = key + STAGING_MARK
    for row in conn.fetch("find_staged_keys", {"prefix": prefix}, write=True):
        parts = str(row["staging"])[len(prefix):].split("~")
        if parts and parts[0].isdigit() and time.time() - int(parts[0]) > STALE_STAGING_SECONDS:
            delete_staged(conn, row["staging"])


def _prune(tx: neo4j.ManagedTransaction, w: Writer, key: str, size: int,
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
        for batch in batches(stale.get(kind, []), size):
            rec = w.run(query, {"elements": batch})[0]
            w.result.deleted[label] = w.result.deleted.get(label, 0) + int(rec["deleted"])
