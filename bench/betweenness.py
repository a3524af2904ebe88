"""How fast and how close is netmap's estimated betweenness on large synthetic maps?

    .venv/bin/python bench/betweenness.py [--epsilon 0.005] [--skip-large] [--keep DIR] [--seeds 4]
                                          [--exact-large FILE.npy]

Writes the synthetic 10,000-actor map (``netmap synth --actors 10000``), reads
it with ``netmap.load`` and ``netmap.graph.build_graph``, and prints the time of
exact betweenness in igraph (the baseline), the time of
:func:`netmap.analysis.estimate.estimate_betweenness` and their ratio, the
Spearman correlation of estimate and exact over the exact top 100, and how many
of the exact top 10 the estimate puts in its top 10. Then, unless
``--skip-large``, the same for 100,000 actors / 1,000,000 ties
(``netmap synth --actors 100000 --ties 1000000``): the estimator's time and, for
every two of ``--seeds`` seeds, how many of their top 10 they share. Exact
betweenness there takes igraph one to two hours on one core, so it is
computed only with ``--exact-large FILE.npy`` (and kept in that file for the
next run); then the benchmark also says how many of the exact top 10 each
seed's top 10 holds. The first estimate of a run includes numba's compilation
unless its cache is warm; it is timed separately.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

NETMAP = Path(sys.executable).with_name("netmap")


def _edges(folder: Path) -> tuple[int, np.ndarray, np.ndarray]:
    import netmap
    from netmap.analysis.backend import edge_arrays
    from netmap.graph import build_graph

    G = build_graph(netmap.load(folder))
    i, j, _ = edge_arrays(G, list(G))
    return len(G), i, j


def _synth(folder: Path, actors: int, ties: int | None) -> None:
    args = [str(NETMAP), "synth", "--actors", str(actors), "--out", str(folder)]
    subprocess.run(args + (["--ties", str(ties)] if ties else []), check=True, capture_output=True)


def _top(values: np.ndarray, k: int) -> set:
    return set(np.argsort(-values, kind="stable")[:k].tolist())


def _estimate(n, i, j, epsilon, seed):
    from netmap.analysis.estimate import estimate_betweenness

    start = time.perf_counter()
    values, info = estimate_betweenness(n, i, j, epsilon=epsilon, seed=seed)
    return values, info, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epsilon", type=float, default=None, help="default: netmap's (0.005)")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="write the synthetic maps here (reused if present)")
    parser.add_argument("--seeds", type=int, default=4, help="seeds 1..K on the large map (default 4)")
    parser.add_argument("--exact-large", type=Path, default=None,
                        help="exact betweenness of the large map: read from this .npy file, or computed and saved")
    opts = parser.parse_args()
    import igraph
    from scipy.stats import spearmanr

    from netmap.analysis.estimate import estimate_betweenness, guarantee_sentence
    from netmap.analysis.sampling import betweenness_epsilon

    epsilon = opts.epsilon or betweenness_epsilon(100_000)  # what netmap uses on these maps
    root = opts.keep or Path(tempfile.mkdtemp(prefix="netmap-bench-"))
    start = time.perf_counter()
    estimate_betweenness(50, np.arange(49), np.arange(1, 50), epsilon=0.2)
    print(f"compile or load numba kernel: {time.perf_counter() - start:.2f} s")

    small = root / "synthetic-10000"
    if not (small / "actors.csv").exists():
        _synth(small, 10_000, None)
    n, i, j = _edges(small)
    g = igraph.Graph(n=n, edges=np.column_stack([i, j]).tolist())
    start = time.perf_counter()
    exact = np.array(g.betweenness(directed=False)) * 2 / ((n - 1) * (n - 2))
    exact_s = time.perf_counter() - start
    values, info, est_s = _estimate(n, i, j, epsilon, 42)
    top100 = np.argsort(-exact, kind="stable")[:100]
    rho = spearmanr(values[top100], exact[top100]).statistic
    print(f"\n{n:,} actors, {len(i):,} edges: {guarantee_sentence(info)}")
    print(f"  exact (igraph)  {exact_s:8.2f} s")
    print(f"  estimate        {est_s:8.2f} s   ratio exact/estimate {exact_s / est_s:.1f}x")
    print(f"  largest error   {np.abs(values - exact).max():.5f} (epsilon {epsilon:g})")
    print(f"  Spearman, exact top 100: {rho:.3f}; exact top 10 found: {len(_top(values, 10) & _top(exact, 10))}/10")
    if opts.skip_large:
        return
    large = root / "synthetic-100000"
    if not (large / "actors.csv").exists():
        _synth(large, 100_000, 1_000_000)
    n, i, j = _edges(large)
    runs = [_estimate(n, i, j, epsilon, seed) for seed in range(1, max(2, opts.seeds) + 1)]
    times = [t for _, _, t in runs]
    print(f"\n{n:,} actors, {len(i):,} edges: {guarantee_sentence(runs[0][1])}")
    print(f"  estimate        {np.median(times):8.2f} s (median of {len(runs)} seeds); per 10,000 actors of "
          f"the small map: {np.median(times) / est_s:.1f}x its time")
    shared = [len(_top(a, 10) & _top(b, 10)) for k, (a, _, _) in enumerate(runs) for b, _, _ in runs[k + 1:]]
    print(f"  top 10 shared by two seeds: {min(shared)} to {max(shared)} of 10 over {len(shared)} pairs "
          f"(median {np.median(shared):g})")
    print(f"  top 14 values (seed 1): {np.round(np.sort(runs[0][0])[::-1][:14], 5).tolist()}")
    if opts.exact_large:
        if opts.exact_large.exists():
            exact = np.load(opts.exact_large)
        else:
            g = igraph.Graph(n=n, edges=np.column_stack([i, j]).tolist())
            start = time.perf_counter()
            exact = np.array(g.betweenness(directed=False)) * 2 / ((n - 1) * (n - 2))
            print(f"  exact (igraph)  {time.perf_counter() - start:8.2f} s")
            np.save(opts.exact_large, exact)
        found = [len(_top(values, 10) & _top(exact, 10)) for values, _, _ in runs]
        errors = [np.abs(values - exact).max() for values, _, _ in runs]
        print(f"  exact top 10 found: {min(found)} to {max(found)} of 10; largest error {max(errors):.5f}")
        print(f"  exact top 14 values: {np.round(np.sort(exact)[::-1][:14], 5).tolist()}")


if __name__ == "__main__":
    main()
