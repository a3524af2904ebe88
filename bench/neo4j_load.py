"""Bulk-load benchmark of the Neo4j backend: push a synthetic national-scale map.

    python bench/neo4j_load.py                       # 100,000 actors, 1,000,000 ties
    python bench/neo4j_load.py --actors 10000 --ties 100000
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python bench/neo4j_load.py

Without ``NEO4J_URI`` it starts the throw-away Neo4j 5.26 server of the test suite
(``tests/neo4j_server/server.py``). It first pushes a small baseline map (``--baseline-ties``,
10,000 by default) so that the full figures can be read as ratios to it on any machine,
then the full map (first push), the full map again (a push that changes nothing: found by its
content hash, nothing is written), and the full map with 100 actors renamed and 1,000
neighbouring ties re-weighted (a changed re-push: only the batches that changed are sent). It
prints actors/s, ties/s, seconds, the load average and the client's resident memory before the
pushes and at its peak. Targets for 100,000 actors / 1,000,000 ties: first push under 30 s,
no-change re-push under 10 s, client memory bounded (rows are streamed in batches).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import logging
import os
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netmap.model import (  # noqa: E402
    KNOWN_TIE_TYPES,
    Actor,
    Constituency,
    ExpectedLink,
    Framework,
    Locality,
    NetworkMap,
    Tie,
)
from netmap.store import Store, StoreSettings  # noqa: E402

TIE_TYPES = (("partnership", 50), ("refers_to", 20), ("shares_information", 15), ("funds", 5),
             ("commissions", 5), ("co_produces", 5))
COMMUNITIES = ("white", "asian", "black", "mixed", "other", "pakistani", "indian", "caribbean", "african")


def bench_framework() -> Framework:
    """The built-in whole-system framework, or a stand-in of 12 constituencies."""
    try:
        from netmap.reference import load_framework

        return load_framework("whole-system")
    except Exception:
        sectors = ("statutory", "vcse", "community", "academic", "private")
        constituencies = tuple(
            Constituency(f"constituency_{i:02d}", f"Constituency {i}", sectors[i % len(sectors)]) for i in range(12)
        )
        links = tuple(ExpectedLink(constituencies[i].key, constituencies[i + 1].key) for i in range(0, 11, 2))
        return Framework("bench-framework", "Benchmark framework", constituencies, links)


def synthetic_map(key: str, n_actors: int, n_ties: int, framework: Framework, seed: int = 7) -> NetworkMap:
    """A reproducible random map: ``n_actors`` actors and ``n_ties`` distinct ties."""
    try:  # the project's own generator, when there is one
        from netmap.synthetic import generate  # type: ignore[import-not-found]

        nmap = generate(n_actors, n_ties, seed)
        nmap.key = key
        return nmap
    except ImportError:
        pass
    rng = random.Random(seed)
    keys = framework.keys
    localities = [Locality("north", "North"), Locality("south", "South"), Locality("east", "East")]
    actors = []
    for i in range(n_actors):
        k = 1 + (rng.random() < 0.3)
        actors.append(Actor(
            id=f"a{i:07d}", name=f"Organisation {i}", constituencies=tuple(rng.sample(keys, k)),
            communities=tuple(rng.sample(COMMUNITIES, rng.randint(0, 2))),
            led_by_community=rng.random() < 0.1, locality=localities[i % 3].key,
            source="synthetic", attributes={"size": str(rng.randint(1, 500))},
        ))
    types = [t for t, _ in TIE_TYPES]
    weights = [w for _, w in TIE_TYPES]
    seen: set[tuple[str, int, int]] = set()
    ties = []
    max_ties = n_actors * (n_actors - 1)
    if n_ties > max_ties:
        raise SystemExit(f"at most {max_ties} ties between {n_actors} actors")
    while len(ties) < n_ties:
        a, b = rng.randrange(n_actors), rng.randrange(n_actors)
        if a == b:
            continue
        tie_type = rng.choices(types, weights)[0]
        directed = KNOWN_TIE_TYPES.get(tie_type, False)
        ident = (tie_type, a, b) if directed else (tie_type, min(a, b), max(a, b))
        if ident in seen:
            continue
        seen.add(ident)
        ties.append(Tie(actors[a].id, actors[b].id, tie_type, directed=directed,
                        weight=float(rng.randint(1, 5)), since=str(rng.randint(2015, 2024))))
    return NetworkMap(key=key, name=f"Synthetic {n_actors}/{n_ties}", actors=actors, ties=ties,
                      localities=localities, framework=framework.key)


class StepTimes(logging.Handler):
    """Collects the per-statement timings netmap.store logs at DEBUG."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seconds: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if len(record.args or ()) == 2:
            name, secs = record.args  # type: ignore[misc]
        elif len(record.args or ()) == 1:
            name, secs = record.msg.split(":")[0], record.args[0]  # type: ignore[index]
        else:
            return
        self.seconds[str(name)] += float(secs)

    def take(self) -> dict[str, float]:
        out = {k: round(v, 2) for k, v in self.seconds.most_common()}
        self.seconds.clear()
        return out


STEPS = StepTimes()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_mb() -> float:
    """The client's resident memory now (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def changed_copy(nmap: NetworkMap) -> NetworkMap:
    """``nmap`` with its first 100 actors renamed and 1,000 neighbouring ties re-weighted."""
    actors = list(nmap.actors)
    for i in range(min(100, len(actors))):
        actors[i] = replace(actors[i], name=actors[i].name + " (renamed)")
    ties = list(nmap.ties)
    middle = len(ties) // 2
    for i in range(middle, min(middle + 1_000, len(ties))):
        ties[i] = replace(ties[i], weight=ties[i].weight + 0.5)
    return replace(nmap, actors=actors, ties=ties)


def process_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux), or None."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_push(store: Store, nmap: NetworkMap, framework: Framework, label: str, quiet: bool,
               server_pid: int | None = None) -> dict:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if not quiet and (now - last[0] > 5 or done == total):
            last[0] = now
            print(f"  {label}: {done:,}/{total:,} rows", flush=True)

    STEPS.take()
    server_cpu, client_cpu = process_cpu(server_pid), sum(os.times()[:2])
    started = time.monotonic()
    result = store.push(nmap, framework, progress=progress)
    seconds = time.monotonic() - started
    client_cpu = sum(os.times()[:2]) - client_cpu
    server_after = process_cpu(server_pid)
    return {
        "client_cpu": round(client_cpu, 1),
        "server_cpu": None if server_cpu is None or server_after is None else round(server_after - server_cpu, 1),
        "steps": STEPS.take(),
        "label": label, "actors": len(nmap.actors), "ties": len(nmap.ties), "seconds": round(seconds, 2),
        "actors_per_s": round(len(nmap.actors) / seconds), "ties_per_s": round(len(nmap.ties) / seconds),
        "rows_per_s": round((len(nmap.actors) + len(nmap.ties)) / seconds), "changed": result.changed,
        "unchanged": result.unchanged, "skipped": result.skipped, "summary": result.summary(),
    }


def report(run: dict, base_rate: float, steps: bool) -> None:
    ratio = run["ties_per_s"] / base_rate if base_rate else float("nan")
    print(f"{run['label']:>24}: {run['actors']:>9,} actors {run['ties']:>10,} ties in {run['seconds']:>7.1f} s"
          f" = {run['actors_per_s']:>9,} actors/s {run['ties_per_s']:>9,} ties/s"
          f" ({ratio:.2f} x baseline ties/s)", flush=True)
    print(f"{'':>26}{run['summary']}", flush=True)
    if run["server_cpu"] is not None:  # CPU seconds hardly change with what else the machine runs
        print(f"{'':>26}CPU: client {run['client_cpu']:.1f} s, server {run['server_cpu']:.1f} s", flush=True)
    if steps:
        top = ", ".join(f"{k} {v:.1f}" for k, v in list(run["steps"].items())[:6])
        print(f"{'':>26}seconds by step: {top}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--baseline-actors", type=int, default=1_000)
    parser.add_argument("--baseline-ties", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=StoreSettings.batch_size, help="rows per UNWIND batch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--writers", type=int, default=1,
                        help="transactions writing tie batches at once on the bulk path (default 1)")
    parser.add_argument("--no-repeat", action="store_true", help="skip the re-pushes (no change, changed)")
    parser.add_argument("--keep", action="store_true", help="leave the benchmark maps in the database")
    parser.add_argument("--heap", default="4g", help="heap of the throw-away server (default 4g)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--steps", action="store_true", help="show where each push spent its time")
    parser.add_argument("--warm-up-ties", type=int, default=1_000,
                        help="ties of the warm-up map pushed first (a tenth as many actors, at least 200); "
                             "50000 lets a freshly started server compile its hot paths before the figures")
    args = parser.parse_args(argv)
    store_log = logging.getLogger("netmap.store")
    store_log.setLevel(logging.DEBUG)
    store_log.addHandler(STEPS)

    server = None
    if not os.environ.get("NEO4J_URI"):
        spec = importlib.util.spec_from_file_location("neo4j_test_server",
                                                      ROOT / "tests" / "neo4j_server" / "server.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        print("starting the throw-away Neo4j 5.26 server ...", flush=True)
        server = module.start(heap=args.heap, page_cache=1024 * 1024 * 1024)
        settings = StoreSettings(uri=server.uri, batch_size=args.batch_size, writers=args.writers)
    else:
        settings = StoreSettings.from_env(batch_size=args.batch_size, writers=args.writers)

    framework = bench_framework()
    figures: dict = {"server": None, "runs": []}
    try:
        with Store(settings) as store:
            figures["server"] = store.server_version
            store.ensure_schema()
            t0 = time.monotonic()
            base = synthetic_map("bench-baseline", args.baseline_actors, args.baseline_ties, framework, args.seed)
            full = synthetic_map("bench-full", args.actors, args.ties, framework, args.seed + 1)
            edited = changed_copy(full)
            figures["generate_seconds"] = round(time.monotonic() - t0, 2)
            figures["client_rss_before_mb"] = round(rss_mb())
            for key in ("bench-baseline", "bench-full"):
                store.delete_map(key)
            print(f"Neo4j {figures['server']}; synthetic maps generated in {figures['generate_seconds']} s",
                  flush=True)
            # Compile every query once (the first use of each costs a second or so), so that
            # the baseline measures loading, not warming up.
            warm = synthetic_map("bench-warm-up", max(200, args.warm_up_ties // 10), args.warm_up_ties, framework,
                                 args.seed + 2)
            store.push(warm, framework)
            store.push(warm, framework)
            store.delete_map("bench-warm-up")
            runs = figures["runs"]
            plan = [(base, "baseline"), (full, "full")]
            if not args.no_repeat:
                plan += [(full, "full again (no change)"), (edited, "full, 1,100 changed")]
            for nmap, label in plan:
                runs.append(timed_push(store, nmap, framework, label, args.quiet,
                                       server.process.pid if server is not None else None))
                report(runs[-1], runs[0]["ties_per_s"], args.steps)
            figures["stored"] = store.count("bench-full")
            print(f"stored: {figures['stored']}", flush=True)
            if not args.keep:
                started = time.monotonic()
                for key in ("bench-baseline", "bench-full"):
                    store.delete_map(key)
                figures["delete_seconds"] = round(time.monotonic() - started, 1)
                print(f"deleted both maps in {figures['delete_seconds']} s", flush=True)
    finally:
        if server is not None:
            server.stop()
    figures["peak_client_rss_mb"] = round(peak_rss_mb())
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(f"client memory (RSS): {figures['client_rss_before_mb']:,} MB with the maps generated, "
          f"peak {figures['peak_client_rss_mb']:,} MB (pushing added "
          f"{figures['peak_client_rss_mb'] - figures['client_rss_before_mb']:,} MB)")
    print(f"load average at the end (1, 5, 15 min): {figures['load_average']} on {os.cpu_count()} cores")
    runs = figures["runs"]
    if runs[1]["ties"] >= 1_000_000:
        ok = runs[1]["seconds"] < 30 and (len(runs) < 3 or runs[2]["seconds"] < 10)
        print("targets (first push < 30 s, no-change re-push < 10 s):", "met" if ok else "NOT met")
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
