"""How long does ``netmap map`` take on a large synthetic workspace, and how soon is the map usable?

    .venv/bin/python bench/map_speed.py [--sizes 5000,20000] [--baseline 300] [--repeat 3] [--full] [--keep DIR]

Maps of more than 3,000 actors open as a summary (constituencies and the 150
most central actors; ``netmap.render.map.SUMMARY_MIN_ACTORS``); ``--full``
times ``netmap map --full``, which draws every actor.

For each size (the 300-actor baseline first) it generates a synthetic
workspace (``netmap.synthetic``, seed 7) and writes it to disk, then:

* runs ``netmap map WORKSPACE --out FILE`` as a user would (a new process
  each time, imports included) ``--repeat`` times and keeps the median wall
  time (target at 5,000 actors: under 10 s);
* times the same steps in this process: reading the workspace, the analysis
  and gaps (``run_map_for_drawing``, which lays maps of 2,000 actors or more
  out in a second process meanwhile), and writing the map (``write_map_file``);
* opens the map in Debian's chromium with the network blocked and times how
  long until it is interactive (``window.netmapReady``, set on vis-network's
  first drawing; target: under 2 s at 5,000 actors) and how long one redraw after a zoom takes.

Above 2,000 actors netmap estimates betweenness, closeness and path lengths
from 500 sampled actors (``--exact`` measures them exactly). For the large map
the benchmark also times ``netmap map --exact`` once and says how close the
estimate is: the rank correlation of sampled and exact betweenness, how many
of the exact top-decile brokers the estimate also puts in its top decile, and
the share of actors given the same role. Ratios of each size to the
baseline (write_map, interactive time, netmap map) are printed at the end; the exit code is 2 if a
target at 5,000 actors (netmap map under 5 s, interactive under 2 s) is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETMAP = Path(sys.executable).with_name("netmap")


def _browser_helper():
    spec = importlib.util.spec_from_file_location("netmap_tests_browser", ROOT / "tests" / "browser.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _run_cli(*args: str) -> float:
    """Wall time of one ``netmap`` command, in a new process."""
    start = time.perf_counter()
    subprocess.run([str(NETMAP), *args], check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def _stages(folder: Path, out: Path, full: bool) -> dict:
    from netmap.workflows import load_map, run_map_for_drawing, write_map_file

    row = {}
    start = time.perf_counter()
    nmap = load_map(folder)
    row["read_s"] = time.perf_counter() - start
    start = time.perf_counter()
    result, positions = run_map_for_drawing(nmap, folder=folder, full=full)  # what netmap map runs
    row["analyse_s"] = time.perf_counter() - start
    row["layout_apart"] = positions is not None
    start = time.perf_counter()
    write_map_file(result, out, positions=positions, full=full)
    row["write_s"] = time.perf_counter() - start
    row["sample"] = result.analysis.actors.attrs.get("betweenness_sample")
    row["pairs"] = result.analysis.graph.number_of_edges()
    return row


def _accuracy(folder: Path) -> dict:
    """How close the default (sampled) measures are to the exact ones on this map."""
    import numpy as np

    from netmap.analysis import analyse
    from netmap.reference import load_framework
    from netmap.workflows import load_map

    nmap = load_map(folder)
    framework = load_framework(nmap.framework, base=folder)
    sampled = analyse(nmap, framework).actors
    start = time.perf_counter()
    exact = analyse(nmap, framework, exact=True).actors
    exact_s = time.perf_counter() - start
    ranks = [frame["betweenness"].rank().to_numpy() for frame in (sampled, exact)]
    top = max(1, len(exact) // 10)
    top_exact = set(exact["betweenness"].nlargest(top).index)
    top_sampled = set(sampled["betweenness"].nlargest(top).index)
    return {
        "sample": sampled.attrs.get("betweenness_sample"),
        "exact_analysis_s": exact_s,
        "spearman": float(np.corrcoef(*ranks)[0, 1]),
        "closeness_spearman": float(np.corrcoef(sampled["closeness"].rank(), exact["closeness"].rank())[0, 1]),
        "top_decile_overlap": len(top_exact & top_sampled) / top,
        "same_role": float((sampled["role"] == exact["role"]).mean()),
    }


def measure(n: int, seed: int, repeat: int, work: Path, browser, helper, full: bool) -> dict:
    from netmap.synthetic import generate
    from netmap.workspace import write_workspace

    nmap = generate(n, seed=seed)
    folder = write_workspace(nmap, work / f"synthetic-{n}")
    out = work / f"map-{n}.html"
    row: dict = {"actors": n, "ties": len(nmap.ties), "memberships": len(nmap.memberships)}
    times = [_run_cli("map", str(folder), "--out", str(out), *(["--full"] if full else [])) for _ in range(repeat)]
    row["cli_s"] = statistics.median(times)
    row["cli_all"] = times
    row["size_mb"] = out.stat().st_size / 1e6
    row.update(_stages(folder, work / f"map-{n}-stages.html", full))
    with helper.offline_page(browser, width=1400, height=900) as (page, log):
        start = time.perf_counter()
        helper.open_map(page, out, timeout=120_000)
        row["interactive_s"] = time.perf_counter() - start
        row["ready_in_page_s"] = page.evaluate("() => window.netmapReadyAt") / 1000
        row["redraw_ms"] = page.evaluate("""() => new Promise(done => {
            const t = performance.now();
            netmap.network.once('afterDrawing', () => done(performance.now() - t));
            netmap.network.moveTo({scale: netmap.network.getScale() * 1.6});
        })""")
        row["drawn_nodes"] = page.evaluate("() => netmap.network.body.nodeIndices.length")
        row["drawn_edges"] = page.evaluate("() => netmap.network.body.edgeIndices.length")
        row["summary"] = page.evaluate("() => Boolean(netmap.data.meta.summary)")
        page_nodes = page.evaluate("() => netmap.data.nodes.length")
        if row["drawn_nodes"] != page_nodes:
            raise RuntimeError(f"drew {row['drawn_nodes']} nodes, expected {page_nodes}")
        if log.blocked or log.errors:
            raise RuntimeError(f"the map reached the network or failed: {log.blocked} {log.errors}")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000", help="sizes to time against the baseline, comma-separated")
    parser.add_argument("--full", action="store_true", help="draw every actor (netmap map --full)")
    parser.add_argument("--baseline", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of netmap map per size (the median is kept)")
    parser.add_argument("--no-exact", action="store_true", help="skip the exact run and the accuracy check")
    parser.add_argument("--keep", type=Path, help="keep the workspaces and maps in this folder")
    args = parser.parse_args(argv)

    helper = _browser_helper()
    reason = helper.missing_reason()
    if reason:
        print(f"cannot open the maps: {reason}", file=sys.stderr)
        return 1
    if not NETMAP.exists():
        print(f"no netmap command next to {sys.executable}: install netmap in this environment", file=sys.stderr)
        return 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp, helper.launch() as browser:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
        for n in (args.baseline, *sizes):
            row = measure(n, args.seed, args.repeat, work, browser, helper, args.full)
            rows.append(row)
            runs = ", ".join(f"{t:.2f}" for t in row["cli_all"])
            how = "exact" if row["sample"] is None else f"{row['sample']} sampled sources"
            print(f"{n:>6} actors, {row['ties']:>6} ties, {row['memberships']:>5} memberships "
                  f"({row['pairs']:,} tied pairs analysed), {row['drawn_nodes']:>5} nodes and "
                  f"{row['drawn_edges']:>6} lines drawn{' (summary)' if row['summary'] else ''}", flush=True)
            print(f"       netmap map: {row['cli_s']:5.2f} s median of {runs} | in process: read "
                  f"{row['read_s']:.2f} s, analyse {row['analyse_s']:.2f} s "
                  f"({how}{', layout alongside' if row['layout_apart'] else ''}), write "
                  f"{row['write_s']:.2f} s ({row['size_mb']:.1f} MB) | interactive {row['interactive_s']:5.2f} s "
                  f"(in page {row['ready_in_page_s']:.2f} s) | redraw {row['redraw_ms']:4.0f} ms", flush=True)
        big_folder = work / f"synthetic-{sizes[0]}"
        if not args.no_exact:
            exact_s = _run_cli("map", str(big_folder), "--out", str(work / "map-exact.html"), "--exact")
            acc = _accuracy(big_folder)
            print(f"{sizes[0]} actors with --exact: netmap map {exact_s:.2f} s (analysis alone "
                  f"{acc['exact_analysis_s']:.2f} s)")
            if acc["sample"]:
                print(f"estimate from {acc['sample']} sampled sources against exact: betweenness rank "
                      f"correlation {acc['spearman']:.3f}, top-decile brokers found "
                      f"{acc['top_decile_overlap']:.0%}, closeness rank correlation "
                      f"{acc['closeness_spearman']:.3f}, same role {acc['same_role']:.1%}")
    base = rows[0]
    ok = True
    for big in rows[1:]:
        def ratio(key: str, big: dict = big) -> str:
            return f"{big[key] / max(base[key], 1e-9):.1f}x"

        print(f"ratios {big['actors']}/{base['actors']} actors ({ratio('actors')}, {ratio('drawn_edges')} lines): "
              f"write_map {ratio('write_s')}, interactive {ratio('interactive_s')}, netmap map {ratio('cli_s')}, "
              f"redraw {ratio('redraw_ms')}, file size {ratio('size_mb')}")
        if big["actors"] == 5000:
            ok_write, ok_ready = big["cli_s"] < 5, big["interactive_s"] < 2
            ok = ok and ok_write and ok_ready
            print(f"targets at 5000 actors: netmap map < 5 s: {'yes' if ok_write else 'NO'}; "
                  f"interactive < 2 s: {'yes' if ok_ready else 'NO'}")
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
