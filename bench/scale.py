"""How fast and how big is netmap at every size, and how much faster than the same analyses in pure networkx?

    .venv/bin/python bench/scale.py                    # 300, 1k, 5k, 10k, 30k, 100k and a big forum at 100k
    .venv/bin/python bench/scale.py --quick            # 300, 1k and 5k only
    .venv/bin/python bench/scale.py --sizes 300,1k --json
    .venv/bin/python bench/scale.py --sizes 100k-forum --big-forum 1450

For each size it writes a synthetic borough (``python -m netmap.synthetic``,
seed 7; ties: the generator's default, and ten per actor from 100,000 actors,
so 1,000,000 at 100k; ``--ties`` for every size; ``100k-forum`` is the
100,000-actor map with one space of ``--big-forum`` members), then times
each part in a fresh process and reads the process's peak resident memory
(``os.wait4``, the kernel's count for that process):

* **the commands** (up to ``--commands-up-to`` actors, default 5,000):
  ``netmap analyse``, ``netmap report`` and ``netmap map`` on the workspace,
  wall time from start to exit, imports included, as a user sees them;
* **netmap from Python**: import the analysis stack (by analysing a
  three-actor map, so no later stage pays for imports), read the workspace
  (``netmap.load``), analyse and find the gaps (``netmap.run``), find the gaps again on that
  analysis alone (``netmap.find_gaps``), write the report
  (``netmap.write_report``) and the map (``netmap.write_map``). Peak memory
  is read after the gaps and at the end.
* **netmap, stage by stage**: the functions ``netmap.analysis.analyse``
  calls, one at a time: build the graph (``netmap.graph.build_graph``),
  actor measures (``actor_metrics``), communities (``detect_communities``),
  the network summary (``network_summary``) and the constituency table
  (``constituency_metrics``); then ``netmap.analyse`` itself, all at once.
  Each stage called alone prepares its own arrays, which ``analyse`` shares,
  so the stages can add up to more than ``analyse``.
* **pure networkx, on the same graph** (``build_graph``): betweenness,
  closeness, PageRank, eigenvector centrality, Burt's constraint and effective
  size, k-core, clustering, articulation points and Louvain, exactly, as a
  networkx user would call them. A measure that would take longer than
  ``--nx-budget`` seconds (default 120) is extrapolated instead: betweenness
  and closeness from k sources (times n/k), constraint, effective size and
  clustering from k sampled actors (times n/k). The table marks those ``~``
  and says from how many.

The last rows give pure networkx / netmap: networkx's build and measures over
``netmap.analyse`` (which also does path lengths, components, mixing and the
rest). Above ``netmap.analysis.EXACT_MAX_NODES`` actors netmap estimates
betweenness and closeness from ``DEFAULT_SAMPLE`` sampled actors, so a second
ratio charges networkx for that many sources only (its per-source time, from
the same measurement): the speed-up that is not down to sampling.

The machine (cores, memory) and the load average at the start and the end are
printed with the figures: on a busy machine they are slower and noisier. Only
public netmap functions are called, so the benchmark runs against any version
of netmap's analysis code with the same signatures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
ALL_SIZES = "300,1k,5k,10k,30k,100k,100k-forum"
QUICK_SIZES = "300,1k,5k"
BIG_TIES_FROM = 100_000  # from this many actors, ten ties per actor (1,000,000 at 100k)
PROBE = 16  # sources or actors timed first, to see whether the full measure fits the budget


# ---------------------------------------------------------------- children: one fresh process per part


def _peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Clock:
    """Times named stages and keeps the peak memory after each."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}

    def __call__(self, name: str, fn, *args, **kwargs):
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        self.seconds[name] = time.perf_counter() - start
        self.peak_mb[name] = _peak_mb()
        return out


def _framework(netmap, nmap, folder: Path):
    """The map's framework, found as ``netmap.run`` finds it."""
    return netmap.load_framework(getattr(nmap, "framework_file", None) or nmap.framework, base=folder)


def _start_up(netmap) -> None:
    """Import the analysis stack (netmap imports it on first use) by analysing a three-actor map."""
    tiny = netmap.NetworkMap("warm-up", "Warm-up", actors=[netmap.Actor(x, x.upper()) for x in "abc"],
                             ties=[netmap.Tie("a", "b")])
    netmap.analyse(tiny, None)


def _child_run(folder: Path, out: Path) -> dict:
    """netmap as a user runs it: load, run (analyse + gaps), gaps alone, report, map."""
    import netmap

    clock = _Clock()
    clock("start-up", _start_up, netmap)
    nmap = clock("load", netmap.load, folder)
    result = clock("run", netmap.run, nmap)
    clock("gaps", netmap.find_gaps, nmap, result.framework, result.analysis)
    clock("report", netmap.write_report, result, out / "report.html")
    clock("map", netmap.write_map, result, out / "map.html")
    return {"seconds": clock.seconds, "peak_mb": clock.peak_mb}


def _child_stages(folder: Path) -> dict:
    """The analysis stage by stage, as ``netmap.analysis.analyse`` runs them, then ``netmap.analyse``."""
    import netmap
    from netmap import analysis, graph

    clock = _Clock()
    clock("start-up", _start_up, netmap)
    nmap = clock("load", netmap.load, folder)
    fw = _framework(netmap, nmap, folder)

    def build():  # as netmap.analyse builds it: the directed graph only for an output that asks for it
        return graph.build_graph(nmap, fw), None

    G, D = clock("build graph", build)
    actors = clock("actor measures", analysis.actor_metrics, G)
    clock("communities", analysis.detect_communities, G)
    clock("network summary", analysis.network_summary, G, D)
    clock("constituencies", analysis.constituency_metrics, G, fw, actors=actors)
    del G, D, actors
    clock("analyse", netmap.analyse, nmap, fw)
    return {"seconds": clock.seconds, "peak_mb": clock.peak_mb}


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def _by_parts(n: int, unit: str, part, full, budget: float, rng: random.Random, nodes: list) -> dict:
    """Time ``full`` if it fits ``budget``, else extrapolate from ``part(k)`` (k sources or actors) by n/k.

    ``part(sample)`` does the work for ``sample`` (a list of k actors); the
    result keeps ``per_item`` (seconds per source or actor) for the ratio at
    netmap's own sample size.
    """
    k, t = 1, 0.0
    while k < min(n, PROBE) and t < min(5.0, budget / 20):  # up to PROBE, stopped once it has taken a while
        k = min(n, PROBE, 2 * k)
        t = _timed(part, rng.sample(nodes, k))
    if k == n or t * n / k <= budget:
        seconds = _timed(full) if k < n else t
        return {"seconds": seconds, "how": "measured", "per_item": seconds / n}
    # a steadier estimate: a sample worth about a tenth of the budget
    k2 = min(n - 1, max(k, int(k * budget / 10 / max(t, 1e-6))))
    if k2 > k:
        k, t = k2, _timed(part, rng.sample(nodes, k2))
    return {"seconds": t * n / k, "how": f"extrapolated from {k:,} of {n:,} {unit}", "per_item": t / k}


def _child_networkx(folder: Path, budget: float) -> dict:
    """The same analyses in pure networkx, on the graph netmap builds."""
    import networkx as nx

    import netmap
    from netmap import graph

    nmap = netmap.load(folder)
    fw = _framework(netmap, nmap, folder)
    start = time.perf_counter()
    G = graph.build_graph(nmap, fw)
    out: dict[str, dict] = {"build graph": {"seconds": time.perf_counter() - start, "how": "measured"}}
    n, nodes, rng = G.number_of_nodes(), list(G), random.Random(1)

    def closeness_of(sample):
        for v in sample:
            nx.closeness_centrality(G, u=v)

    def eigenvector():
        with contextlib.suppress(nx.PowerIterationFailedConvergence):  # the time spent is what counts
            nx.eigenvector_centrality(G, weight="weight", max_iter=1000)

    parts = {
        "betweenness": ("sources", lambda s: nx.betweenness_centrality(G, k=len(s), seed=1),
                        lambda: nx.betweenness_centrality(G)),
        "closeness": ("sources", closeness_of, lambda: nx.closeness_centrality(G)),
        "constraint": ("actors", lambda s: nx.constraint(G, s, weight="weight"),
                       lambda: nx.constraint(G, weight="weight")),
        "effective size": ("actors", lambda s: nx.effective_size(G, s, weight="weight"),
                           lambda: nx.effective_size(G, weight="weight")),
        "clustering": ("actors", lambda s: nx.clustering(G, s), lambda: nx.clustering(G)),
    }
    for name, (unit, part, full) in parts.items():
        out[name] = _by_parts(n, unit, part, full, budget, rng, nodes)
    whole = {
        "pagerank": lambda: nx.pagerank(G, weight="weight"),
        "eigenvector": eigenvector,
        "k-core": lambda: nx.core_number(G),
        "articulation points": lambda: list(nx.articulation_points(G)),
        "louvain": lambda: nx.community.louvain_communities(G, weight="weight", seed=42),
    }
    for name, fn in whole.items():
        out[name] = {"seconds": _timed(fn), "how": "measured"}
    return {"measures": out, "nodes": n, "edges": G.number_of_edges(), "peak_mb": {"end": _peak_mb()}}


def _child_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/scale.py --child")
    parser.add_argument("part", choices=("run", "stages", "networkx"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--budget", type=float, default=120.0)
    args = parser.parse_args(argv)
    if args.part == "run":
        data = _child_run(args.folder, args.result.parent)
    elif args.part == "stages":
        data = _child_stages(args.folder)
    else:
        data = _child_networkx(args.folder, args.budget)
    args.result.write_text(json.dumps(data))


# ---------------------------------------------------------------- the parent: sizes, processes, table


def _machine() -> dict:
    mem_kb = 0
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for module in ("networkx", "igraph", "networkit", "numpy", "scipy", "pandas"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            continue
    return {"cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": model, "python": platform.python_version(),
            "versions": versions}


def parse_sizes(text: str) -> list[tuple[str, int, bool]]:
    """``"300,1k,100k-forum"`` -> [(label, actors, big forum?)].

    >>> parse_sizes("300,1k,100k-forum")
    [('300', 300, False), ('1k', 1000, False), ('100k-forum', 100000, True)]
    """
    sizes = []
    for token in filter(None, (t.strip().lower() for t in text.split(","))):
        base, forum = (token[:-6], True) if token.endswith("-forum") else (token, False)
        try:
            actors = int(float(base[:-1]) * 1000) if base.endswith("k") else int(base)
        except ValueError:
            raise SystemExit(f"bench/scale.py: '{token}' is not a size (say 300, 1k, 100k or 100k-forum)") from None
        sizes.append((token, actors, forum))
    return sizes


def _ties_for(actors: int, ties: int | None) -> int | None:
    return ties if ties is not None else 10 * actors if actors >= BIG_TIES_FROM else None


def _child(part: str, folder: Path, work: Path, budget: float) -> dict:
    """Run one part in a fresh Python process; its figures, with the process's peak memory."""
    result = work / f"{part}.json"
    result.unlink(missing_ok=True)
    log = work / f"{part}.log"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", part, str(folder), str(result),
           "--budget", str(budget)]
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not result.exists():
        lines = log.read_text(errors="replace").strip().splitlines()
        return {"error": lines[-1] if lines else f"exit code {proc.returncode}"}
    data = json.loads(result.read_text())
    data["process_peak_mb"] = usage.ru_maxrss / 1024
    return data


def _command(work: Path, *args: str) -> dict:
    """Wall time and peak memory of one ``netmap`` command in a new process, as a user runs it."""
    netmap_cmd = Path(sys.executable).with_name("netmap")
    start = time.perf_counter()
    proc = subprocess.Popen([str(netmap_cmd), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=work)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        return {"error": f"netmap {args[0]} exited with {proc.returncode}"}
    return {"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024}


def _generate(folder: Path, actors: int, ties: int | None, big_forum: int | None) -> dict:
    cmd = [sys.executable, "-m", "netmap.synthetic", "--out", str(folder), "--actors", str(actors),
           "--seed", str(SEED)]
    cmd += ["--ties", str(ties)] if ties is not None else []
    cmd += ["--big-forum", str(big_forum)] if big_forum else []
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench/scale.py: generating {actors} actors failed: {done.stderr.strip()}")
    counts = dict(reversed(part.split(" ", 1)) for part in done.stdout.split(": ", 1)[1].strip().split(", "))
    return {"seconds": time.perf_counter() - start, "counts": {k: int(v) for k, v in counts.items()}}


def _ratios(row: dict) -> None:
    """pure networkx / netmap: all measures exact, and with netmap's own number of sources."""
    nx_part, stages = row.get("networkx", {}), row.get("stages", {})
    analyse = stages.get("seconds", {}).get("analyse")
    measures = nx_part.get("measures")
    if not measures or not analyse:
        return
    from netmap import analysis

    exact_max = getattr(analysis, "EXACT_MAX_NODES", 2000)
    sources = getattr(analysis, "DEFAULT_SAMPLE", 500)
    n = nx_part["nodes"]
    total = sum(m["seconds"] for m in measures.values())
    same = total
    if n > exact_max:  # charge networkx for netmap's sample of sources only
        for name in ("betweenness", "closeness"):
            same += measures[name]["per_item"] * min(n, sources) - measures[name]["seconds"]
    row["nx_total"], row["nx_same_sampling"] = total, same
    row["ratio"], row["ratio_same_sampling"] = total / analyse, same / analyse


def run_size(label: str, actors: int, forum: bool, args, work: Path) -> dict:
    ties = _ties_for(actors, args.ties)
    folder = work / "workspace"
    row: dict = {"label": label, "actors": actors, "big_forum": args.big_forum if forum else None}
    row["generate"] = _generate(folder, actors, ties, row["big_forum"])
    print(f"  {label}: {row['generate']['counts'].get('ties', 0):,} ties written; running netmap ...",
          file=sys.stderr, flush=True)
    if actors <= args.commands_up_to:
        row["commands"] = {
            "analyse": _command(work, "analyse", str(folder)),
            "report": _command(work, "report", str(folder), "--out", str(work / "cli-report.html")),
            "map": _command(work, "map", str(folder), "--out", str(work / "cli-map.html")),
        }
    row["run"] = _child("run", folder, work, args.nx_budget)
    row["stages"] = _child("stages", folder, work, args.nx_budget)
    if not args.no_networkx:
        print(f"  {label}: pure networkx ...", file=sys.stderr, flush=True)
        row["networkx"] = _child("networkx", folder, work, args.nx_budget)
    _ratios(row)
    return row


NETMAP_ROWS = [
    ("generate (netmap synth)", lambda r: r["generate"]["seconds"]),
    ("command: netmap analyse", lambda r: r["commands"]["analyse"]["seconds"]),
    ("command: netmap report", lambda r: r["commands"]["report"]["seconds"]),
    ("command: netmap map", lambda r: r["commands"]["map"]["seconds"]),
    ("start-up: imports", lambda r: r["run"]["seconds"]["start-up"]),
    ("read workspace (netmap.load)", lambda r: r["run"]["seconds"]["load"]),
    ("build graph", lambda r: r["stages"]["seconds"]["build graph"]),
    ("actor measures", lambda r: r["stages"]["seconds"]["actor measures"]),
    ("communities", lambda r: r["stages"]["seconds"]["communities"]),
    ("network summary", lambda r: r["stages"]["seconds"]["network summary"]),
    ("constituencies", lambda r: r["stages"]["seconds"]["constituencies"]),
    ("analyse, all (netmap.analyse)", lambda r: r["stages"]["seconds"]["analyse"]),
    ("analyse + gaps (netmap.run)", lambda r: r["run"]["seconds"]["run"]),
    ("gaps alone (netmap.find_gaps)", lambda r: r["run"]["seconds"]["gaps"]),
    ("report (netmap.write_report)", lambda r: r["run"]["seconds"]["report"]),
    ("map (netmap.write_map)", lambda r: r["run"]["seconds"]["map"]),
]
MEMORY_ROWS = [
    ("command: netmap map", lambda r: r["commands"]["map"]["peak_mb"]),
    ("load + analyse + gaps", lambda r: r["run"]["peak_mb"]["run"]),
    ("... + report + map (whole process)", lambda r: r["run"]["process_peak_mb"]),
    ("stage by stage, then analyse", lambda r: r["stages"]["process_peak_mb"]),
    ("pure networkx", lambda r: r["networkx"]["process_peak_mb"]),
]
NX_MEASURES = ["build graph", "betweenness", "closeness", "pagerank", "eigenvector", "constraint",
               "effective size", "k-core", "clustering", "articulation points", "louvain"]


def _cell(fn, row: dict, fmt: str = "{:.2f}") -> str:
    try:
        value = fn(row)
    except (KeyError, TypeError):
        return "-"
    return fmt.format(value)


def _nx_cell(row: dict, name: str, notes: list[str]) -> str:
    m = row.get("networkx", {}).get("measures", {}).get(name)
    if not m:
        return "-"
    if m["how"] == "measured":
        return f"{m['seconds']:.2f}"
    notes.append(f"{row['label']} {name}: {m['how']}")
    return f"~{m['seconds']:,.0f}"


def table(rows: list[dict], machine: dict, loads: dict) -> str:
    """The figures as a readable table: one column per size."""
    width = 36
    cols = [r["label"] for r in rows]
    line = lambda name, cells: f"{name:<{width}}" + "".join(f"{c:>12}" for c in cells)  # noqa: E731
    v = machine["versions"]
    out = [f"netmap at scale: synthetic boroughs, seed {SEED}",
           f"machine: {machine['cores']} cores ({machine['usable_cores']} usable), {machine['ram_gb']} GB RAM, "
           f"{machine['cpu']}; Python {machine['python']}, networkx {v.get('networkx', '-')}, "
           f"igraph {v.get('igraph', '-')}",
           "load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}; at end: {:.2f} {:.2f} {:.2f}".format(
               *loads["start"], *loads["end"]), "",
           line("seconds", cols),
           line("actors", [f"{r['actors']:,}" for r in rows]),
           line("ties", [f"{r['generate']['counts'].get('ties', 0):,}" for r in rows]),
           line("memberships", [f"{r['generate']['counts'].get('memberships', 0):,}" for r in rows])]
    out += [line(name, [_cell(fn, r) for r in rows]) for name, fn in NETMAP_ROWS]
    out += ["", line("peak memory, MB", cols)]
    out += [line(name, [_cell(fn, r, "{:,.0f}") for r in rows]) for name, fn in MEMORY_ROWS]
    notes: list[str] = []
    out += ["", line("pure networkx, seconds", cols)]
    out += [line(name, [_nx_cell(r, name, notes) for r in rows]) for name in NX_MEASURES]
    out += [line("total", [_cell(lambda r: r["nx_total"], r, "{:,.1f}") for r in rows]),
            line("pure networkx / netmap.analyse", [_cell(lambda r: r["ratio"], r, "{:,.1f}x") for r in rows]),
            line("... networkx with netmap's sources", [_cell(lambda r: r["ratio_same_sampling"], r, "{:,.1f}x")
                                                         for r in rows])]
    parts = [(r["label"], part, r[part]) for r in rows for part in ("run", "stages", "networkx") if part in r]
    parts += [(r["label"], f"netmap {name}", done) for r in rows for name, done in r.get("commands", {}).items()]
    errors = [f"{label} {part}: {done['error']}" for label, part, done in parts if "error" in done]
    if notes:
        out += ["", "~ extrapolated (the measure would take over the budget):", *(f"  {n}" for n in notes)]
    if errors:
        out += ["", "failed:", *(f"  {e}" for e in errors)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child_main(argv[1:])
        return 0
    parser = argparse.ArgumentParser(prog="bench/scale.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help=f"comma list of sizes (default {ALL_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_SIZES}")
    parser.add_argument("--ties", type=int, default=None,
                        help=f"ties at every size (default: the generator's; 10 per actor from {BIG_TIES_FROM:,})")
    parser.add_argument("--big-forum", type=int, default=1450, metavar="N",
                        help="members of the one space of the *-forum sizes (default 1450)")
    parser.add_argument("--nx-budget", type=float, default=120.0, metavar="SECONDS",
                        help="extrapolate a networkx measure that would take longer (default 120)")
    parser.add_argument("--no-networkx", action="store_true", help="skip the pure networkx comparison")
    parser.add_argument("--commands-up-to", type=int, default=5000, metavar="ACTORS",
                        help="time the netmap analyse, report and map commands up to this size (default 5000)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the workspaces and outputs here")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes or (QUICK_SIZES if args.quick else ALL_SIZES))
    machine, loads = _machine(), {"start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="netmap-scale-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for label, actors, forum in sizes:
            (work / label).mkdir(exist_ok=True)
            rows.append(run_size(label, actors, forum, args, work / label))
    loads["end"] = os.getloadavg()
    if args.json:
        print(json.dumps({"machine": machine, "load_average": loads, "seed": SEED, "sizes": rows}, indent=1))
    else:
        print(table(rows, machine, loads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
