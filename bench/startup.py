"""How long ``netmap --version`` and ``netmap --help`` take to answer, against starting Python itself.

    .venv/bin/python bench/startup.py [--repeat 7]

Each command runs in a new process ``--repeat`` times; the median wall time
is printed with its ratio to ``python -c pass`` measured in the same run
(target: ``netmap --version`` under 0.3 s). The figures depend on the
machine; the ratio says how much netmap adds to the interpreter's own start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

NETMAP = str(Path(sys.executable).with_name("netmap"))


def median_seconds(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args(argv)
    baseline = median_seconds([sys.executable, "-c", "pass"], args.repeat)
    print(f"{'python -c pass':<24}{baseline:7.3f} s   1.0x (baseline)")
    for label, command in (("netmap --version", [NETMAP, "--version"]), ("netmap --help", [NETMAP, "--help"])):
        seconds = median_seconds(command, args.repeat)
        print(f"{label:<24}{seconds:7.3f} s {seconds / baseline:5.1f}x")


if __name__ == "__main__":
    main()
