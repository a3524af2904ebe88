"""How long the permutation tests of change take, against building the graphs they run on.

    .venv/bin/python bench/significance.py [--folder data/sites/synthetic-borough] [--permutations 999]

The "after" snapshot is the map itself; the "before" one drops a random 10% of
its ties and adds as many new ones between random actors (seed 7). The
baseline is building the two graphs (:func:`netmap.graph.build_graph`), which
``netmap compare`` does anyway; the figures are the tests' times as ratios to
that baseline, measured in this run, and the p-values found.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netmap.decisions.significance import graph_permutation_tests, permutation_tests
from netmap.graph import build_graph
from netmap.model import Tie
from netmap.workflows import load_map


def _best(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="data/sites/synthetic-borough")
    parser.add_argument("--permutations", type=int, default=999)
    args = parser.parse_args()
    after = load_map(Path(args.folder))
    rng = random.Random(7)
    kept = [t for t in after.ties if rng.random() >= 0.1]
    ids = [a.id for a in after.actors]
    added = [Tie(*rng.sample(ids, 2)) for _ in range(len(after.ties) - len(kept))]
    before = replace(after, ties=kept + added)
    G_before, G_after = build_graph(before), build_graph(after)
    baseline = _best(lambda: (build_graph(before), build_graph(after)))
    on_graphs = _best(lambda: graph_permutation_tests(G_before, G_after, permutations=args.permutations))
    whole = _best(lambda: permutation_tests(before, after, None, permutations=args.permutations))
    print(f"{len(after.actors)} actors, {G_after.number_of_edges()} ties; {args.permutations} permutations")
    print(f"building both graphs (baseline):        1.00 ({baseline * 1000:.1f} ms)")
    print(f"tests on the built graphs:              {on_graphs / baseline:.2f}")
    print(f"permutation_tests (builds the graphs):  {whole / baseline:.2f}")
    for t in graph_permutation_tests(G_before, G_after, permutations=args.permutations):
        print(f"  {t.label}: {t.before:.4f} -> {t.after:.4f}, p = {t.p_value:.3f}")


if __name__ == "__main__":
    main()
