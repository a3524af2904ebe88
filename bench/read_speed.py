"""How fast and how lean is reading a workspace, against the plain csv module reading the same files?

    .venv/bin/python bench/read_speed.py                      # 10k and 100k actors, and netmap.run at 100k
    .venv/bin/python bench/read_speed.py --sizes 10k --no-run
    .venv/bin/python bench/read_speed.py --workdir /tmp/ws    # keep (and reuse) the generated workspaces
    .venv/bin/python bench/read_speed.py --sizes 100k --no-run --against /path/to/other/checkout

For each size it writes a synthetic borough (``python -m netmap.synthetic``,
seed 7, as ``bench/scale.py`` does: the generator's default number of ties,
and ten per actor from 100,000 actors, so a million at 100k) unless the
folder already holds one, then, each in a fresh Python process that reports
its own peak resident memory (``resource.getrusage``):

* **the baseline**: every CSV file of the workspace read into rows by
  ``csv.reader`` and kept, as a program that only parses would;
* **netmap.load**: the workspace read, checked and validated into a map;
* **netmap.run** (the largest size, unless ``--no-run``): read, then
  analyse and find the gaps;
* with ``--against PATH``, **netmap.load of another checkout** (a folder
  holding ``netmap/``, an older version say), timed just before this one's,
  so a change is measured before and after under the same load.

Times exclude starting Python and importing netmap. The machine's load
average is printed at the start and the end: on a busy machine the seconds
are slower and vary, so compare the ratios to ``csv.reader`` from one run;
memory is not disturbed by other work.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 7
BIG_TIES_FROM = 100_000  # from this many actors, ten ties per actor (as bench/scale.py)

_CHILD = r"""
import csv, json, resource, sys, time
from pathlib import Path
part, folder = sys.argv[1], Path(sys.argv[2])
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB
out = {}
if part == "csv":
    start = time.perf_counter()
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as f:
            tables[path.name] = list(csv.reader(f))
    out["seconds"] = time.perf_counter() - start
    out["rows"] = sum(len(rows) - 1 for rows in tables.values())
else:
    import netmap
    start = time.perf_counter()
    nmap = netmap.load(folder)
    out["seconds"] = time.perf_counter() - start
    out["load_peak_mb"] = peak_mb()
    out["ties"] = len(nmap.ties)
    if part == "run":
        start = time.perf_counter()
        netmap.run(nmap)
        out["run_seconds"] = time.perf_counter() - start
out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""


def parse_size(token: str) -> int:
    """``"10k"`` -> 10000.

    >>> parse_size("10k"), parse_size("300")
    (10000, 300)
    """
    token = token.strip().lower()
    return int(float(token[:-1]) * 1000) if token.endswith("k") else int(token)


def _generate(folder: Path, actors: int) -> None:
    if (folder / "actors.csv").is_file():
        return  # reuse a workspace written before (--workdir)
    cmd = [sys.executable, "-m", "netmap.synthetic", "--out", str(folder), "--actors", str(actors), "--seed", str(SEED)]
    if actors >= BIG_TIES_FROM:
        cmd += ["--ties", str(10 * actors)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench/read_speed.py: generating {actors:,} actors failed: {done.stderr.strip()}")


def _child(part: str, folder: Path, root: Path = ROOT) -> dict:
    """One measurement in a fresh Python process, importing netmap from the checkout ``root``."""
    done = subprocess.run([sys.executable, "-c", _CHILD, part, str(folder)], capture_output=True, text=True,
                          cwd=root)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise SystemExit(f"bench/read_speed.py: {part} on {folder} failed: {lines[-1] if lines else done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(label: str, actors: int, work: Path, run: bool, against: Path | None = None) -> dict:
    folder = work / label
    print(f"  {label}: writing the workspace ...", file=sys.stderr, flush=True)
    _generate(folder, actors)
    print(f"  {label}: reading ...", file=sys.stderr, flush=True)
    row = {"label": label, "actors": actors, "csv": _child("csv", folder)}
    if against is not None:  # the other checkout first, then this one, back to back
        row["against"] = _child("load", folder, against)
    row["load"] = _child("load", folder)
    if run:
        print(f"  {label}: netmap.run ...", file=sys.stderr, flush=True)
        row["run"] = _child("run", folder)
    return row


def table(rows: list[dict], loads: dict) -> str:
    """The figures, as ratios to csv.reader and memory."""
    out = ["netmap read speed: synthetic boroughs, seed 7 (each figure from a fresh process)",
           "load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}; at end: {:.2f} {:.2f} {:.2f}".format(
               *loads["start"], *loads["end"]), "",
           f"{'size':<8}{'rows':>12}{'csv.reader s':>14}{'peak MB':>9}{'netmap.load s':>15}{'peak MB':>9}"
           f"{'load / csv':>12}"]
    for r in rows:
        c, lo = r["csv"], r["load"]
        out.append(f"{r['label']:<8}{c['rows']:>12,}{c['seconds']:>14.2f}{c['peak_mb']:>9,.0f}{lo['seconds']:>15.2f}"
                   f"{lo['peak_mb']:>9,.0f}{lo['seconds'] / c['seconds']:>11.1f}x")
    out.append("")
    for r in rows:
        if "against" in r:
            other = r["against"]
            out.append(f"{r['label']}: the other checkout's netmap.load took {other['seconds']:.2f} s "
                       f"({other['seconds'] / r['csv']['seconds']:.1f}x csv.reader), peak {other['peak_mb']:,.0f} MB; "
                       f"this one is {other['seconds'] / r['load']['seconds']:.2f}x as fast")
        out.append(f"{r['label']}: netmap read is {r['load']['seconds'] / r['csv']['seconds']:.1f}x the cost of "
                   f"csv.reader, in {r['load']['peak_mb'] / r['csv']['peak_mb']:.2f}x its memory")
        if "run" in r:
            run = r["run"]
            total = run["seconds"] + run["run_seconds"]
            out.append(f"{r['label']}: netmap.run (read {run['seconds']:.1f} s + analyse and gaps "
                       f"{run['run_seconds']:.1f} s) = {total:.1f} s, {total / r['csv']['seconds']:.0f}x csv.reader; "
                       f"peak {run['peak_mb']:,.0f} MB (reading alone {run['load_peak_mb']:,.0f} MB)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/read_speed.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma list of sizes (default 10k,100k)")
    parser.add_argument("--no-run", action="store_true", help="do not time netmap.run at the largest size")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the workspaces here (and reuse them)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--against", type=Path, default=None,
                        help="another netmap checkout (a folder holding netmap/) whose netmap.load is timed too, "
                             "just before this one's")
    args = parser.parse_args(argv)
    sizes = [(t.strip(), parse_size(t)) for t in args.sizes.split(",") if t.strip()]
    largest = max((actors for _, actors in sizes), default=0)
    loads = {"start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="netmap-read-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = [measure(label, actors, work, not args.no_run and actors == largest, args.against)
                for label, actors in sizes]
    loads["end"] = os.getloadavg()
    print(json.dumps({"load_average": loads, "sizes": rows}, indent=1) if args.json else table(rows, loads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
