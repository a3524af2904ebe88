"""How fast is the interactive map for a large synthetic workspace?

    .venv/bin/python bench/map_speed.py [--actors 5000] [--baseline 300] [--sample 256] [--keep DIR]

For each size (the baseline first), it generates a synthetic workspace
(``netmap.synthetic``), writes it to disk and reads it back, analyses it, then
times ``netmap.viz.write_map`` (target: under 10 s at 5,000 actors) and opens
the file in Debian's chromium with the network blocked, timing how long until
the map is interactive (``window.netmapReady``, set on vis-network's first
drawing; target: under 5 s) and how long one redraw after a zoom takes.
Ratios of the large map to the baseline are printed at the end.

The map draws what it draws from the workspace (actors, direct ties, spaces
and memberships), whatever the analysis. By default the benchmark analyses
the direct ties only (``co_membership=False``), because the full analysis
of the synthetic 5,000-actor map, where spaces of about a thousand members
make some 577,000 co-membership pairs, takes tens of minutes in pure
networkx (Burt's measures, clustering and brokerage grow with the sum of
squared degrees); ``--full-analysis`` runs exactly what ``netmap map`` runs.
``--sample`` is the number of sampled source actors for betweenness and
closeness (0 = exact). Neither changes what the map draws.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _browser_helper():
    spec = importlib.util.spec_from_file_location("netmap_tests_browser", ROOT / "tests" / "browser.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _generate(n: int, seed: int):
    """A synthetic map of ``n`` actors (netmap.synthetic; a plain random map if it is not there)."""
    try:
        from netmap.synthetic import generate
    except ImportError:
        generate = None
    if generate is not None:
        return generate(n, seed=seed)
    import random

    from netmap.model import Actor, NetworkMap, Tie
    from netmap.reference import load_framework

    rng = random.Random(seed)
    keys = load_framework("whole-system").keys
    actors = [Actor(f"a{i}", f"Actor {i}", (rng.choice(keys),)) for i in range(n)]
    ties = {tuple(sorted(rng.sample(range(n), 2))) for _ in range(n * 3)}
    return NetworkMap("synthetic", "Synthetic (SYNTHETIC DATA)", actors=actors,
                      ties=[Tie(f"a{a}", f"a{b}") for a, b in sorted(ties)])


def _analyse(nmap, folder: Path, sample: int | None, full: bool):
    from netmap.workflows import run_map

    if full:
        return run_map(nmap, folder=folder, betweenness_sample=sample)
    from netmap.analysis import analyse
    from netmap.gaps import find_gaps
    from netmap.reference import load_framework
    from netmap.workflows import SiteResult

    framework = load_framework(nmap.framework, base=folder)
    analysis = analyse(nmap, framework, betweenness_sample=sample, co_membership=False)
    return SiteResult(nmap, framework, analysis, find_gaps(nmap, framework, analysis), folder)


def measure(n: int, seed: int, sample: int | None, full: bool, work: Path, browser, helper) -> dict:
    from netmap.ingest import read_workspace, write_workspace
    from netmap.viz import write_map

    row: dict = {"actors": n}
    start = time.perf_counter()
    nmap = _generate(n, seed)
    folder = write_workspace(nmap, work / f"synthetic-{n}")
    nmap = read_workspace(folder)
    row["workspace_s"] = time.perf_counter() - start
    start = time.perf_counter()
    result = _analyse(nmap, folder, sample, full)
    row["analyse_s"] = time.perf_counter() - start
    start = time.perf_counter()
    path = write_map(result, work / f"map-{n}.html")
    row["write_map_s"] = time.perf_counter() - start
    row["size_mb"] = path.stat().st_size / 1e6
    row["nodes"] = page_nodes = len(result.analysis.graph) + len({m.space_id for m in nmap.memberships})
    row["ties"] = len(nmap.ties)
    row["memberships"] = len(nmap.memberships)
    with helper.offline_page(browser, width=1400, height=900) as (page, log):
        start = time.perf_counter()
        helper.open_map(page, path, timeout=120_000)
        row["interactive_s"] = time.perf_counter() - start
        row["ready_in_page_s"] = page.evaluate("() => window.netmapReadyAt") / 1000
        row["redraw_ms"] = page.evaluate("""() => new Promise(done => {
            const t = performance.now();
            netmap.network.once('afterDrawing', () => done(performance.now() - t));
            netmap.network.moveTo({scale: netmap.network.getScale() * 1.6});
        })""")
        row["drawn_nodes"] = page.evaluate("() => netmap.network.body.nodeIndices.length")
        row["drawn_edges"] = page.evaluate("() => netmap.network.body.edgeIndices.length")
        if row["drawn_nodes"] != page_nodes:
            raise RuntimeError(f"drew {row['drawn_nodes']} nodes, expected {page_nodes}")
        if log.blocked or log.errors:
            raise RuntimeError(f"the map reached the network or failed: {log.blocked} {log.errors}")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=256, help="betweenness sample for the analysis (0 = exact)")
    parser.add_argument("--full-analysis", action="store_true",
                        help="analyse with co-membership ties, as netmap map does (slow at 5,000 actors)")
    parser.add_argument("--keep", type=Path, help="keep the workspaces and maps in this folder")
    args = parser.parse_args(argv)

    helper = _browser_helper()
    reason = helper.missing_reason()
    if reason:
        print(f"cannot open the maps: {reason}", file=sys.stderr)
        return 1
    sample = args.sample or None
    rows = []
    with tempfile.TemporaryDirectory() as tmp, helper.launch() as browser:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in (args.baseline, args.actors):
            row = measure(n, args.seed, sample, args.full_analysis, work, browser, helper)
            rows.append(row)
            print(f"{n:>6} actors, {row['ties']:>6} ties, {row['memberships']:>5} memberships, "
                  f"{row['drawn_nodes']:>5} nodes and {row['drawn_edges']:>6} lines drawn | "
                  f"workspace {row['workspace_s']:6.2f} s | "
                  f"analyse {row['analyse_s']:7.2f} s | write_map {row['write_map_s']:5.2f} s "
                  f"({row['size_mb']:.1f} MB) | interactive {row['interactive_s']:5.2f} s "
                  f"(in page {row['ready_in_page_s']:.2f} s) | redraw {row['redraw_ms']:6.0f} ms", flush=True)
    base, big = rows
    def ratio(key: str) -> str:
        return f"{big[key] / max(base[key], 1e-9):.1f}x"

    print(f"analysis: {'full (co-membership included)' if args.full_analysis else 'direct ties only'}, "
          f"betweenness {'exact' if sample is None else f'sampled from {sample} actors'}")
    print(f"ratios {big['actors']}/{base['actors']} actors ({ratio('actors')}, {ratio('drawn_edges')} lines): "
          f"write_map {ratio('write_map_s')}, interactive {ratio('interactive_s')}, redraw {ratio('redraw_ms')}, "
          f"file size {ratio('size_mb')}")
    ok_write = big["write_map_s"] < 10
    ok_ready = big["interactive_s"] < 5
    print(f"targets at {big['actors']} actors: write_map < 10 s: {'yes' if ok_write else 'NO'}; "
          f"interactive < 5 s: {'yes' if ok_ready else 'NO'}")
    return 0 if ok_write and ok_ready else 2


if __name__ == "__main__":
    raise SystemExit(main())
