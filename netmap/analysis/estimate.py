"""Betweenness estimated with a stated error guarantee, for maps too large to measure exactly.

:func:`estimate_betweenness` samples ``r`` pairs of actors uniformly at random
(Riondato and Kornaropoulos, "Fast approximation of betweenness centrality
through sampling", 2016) and, for each pair that is connected, adds to every
actor between them the share of the pair's shortest paths that pass through it
(the pair dependency). Riondato and Kornaropoulos draw one of the paths at
random and count the actors on it; adding the shares has the same expectation
and never a larger variance (a Rao-Blackwell improvement), and actors in the
same position (two hubs that share every path, say) get exactly the same
value. An actor's estimate is the mean share, rescaled to networkx's scale
(``betweenness_centrality(G, normalized=True)``: the sum over unordered pairs
divided by (n-1)(n-2)/2). It is unbiased, and ``r`` is chosen so that, with
probability at least ``1 - delta``, *every* actor's estimate is within
``epsilon`` of its exact value: each share lies in [0, 1], so by Hoeffding's
inequality and a union bound over the n actors, ``r = ln(2n/delta) / (2
epsilon'^2)`` with ``epsilon' = epsilon (n-2)/n``. That bound needs no
unknown constant and no diameter (Riondato and Kornaropoulos' VC-dimension
bound is about half as large, but rests on a universal constant only
estimated, and needs the vertex diameter). :func:`guarantee_sentence` states
it for a report.

Each pair's paths are found by a balanced bidirectional breadth-first search
(the side whose last level has the smaller degree sum grows next, as in
KADABRA, Borassi and Natale 2016), which on a map of 100,000 actors touches a
few thousand ties instead of all of them; the shares are then passed back
through the two balls. The search is compiled with numba and runs on every
core. Sample i draws its pair from a generator seeded by ``(seed, i)`` alone,
and the sums are added in a fixed order, so the same seed gives the same
numbers on one thread or many.

Why not an existing library: networkit (the PyPI wheel) implements both
estimators, but on the 100,000-actor synthetic map its KADABRA spends 80 s
computing the exact diameter before it samples anything, its
Riondato-Kornaropoulos runs a full search per sample (over 4 minutes for 1,261
samples), KADABRA 11.3 picks a path's predecessors by position rather than by
path count (paths are not uniform, so its bound does not hold on maps with
unequal path counts), counts its first-phase samples without dividing by
them (about 1% high), and its deterministic mode reseeds by thread number
(results change with the thread count). igraph has no path sampler.

What the guarantee buys, measured on the synthetic maps (``bench/betweenness.py``):
the estimate ranks the top brokers well (Spearman 0.9+ on the top 100 of
10,000 actors), but below the few dominant brokers of a large map actors lie
close together, far inside any affordable epsilon, so the order among those
close to the boundary of a top 10 is less certain than the order above it.

>>> import numpy as np
>>> values, info = estimate_betweenness(4, np.array([0, 1, 2]), np.array([1, 2, 3]), epsilon=0.05)
>>> exact = np.array([0, 2 / 3, 2 / 3, 0])  # networkx's values for the path 0-1-2-3
>>> bool(abs(values - exact).max() <= 0.05), info["method"], info["samples"]
(True, 'pair-sampling', 3506)
"""

from __future__ import annotations

import math

import numpy as np

from netmap.errors import AnalysisError

__all__ = ["DEFAULT_DELTA", "DEFAULT_EPSILON", "estimate_betweenness", "guarantee_sentence", "sample_count"]

#: Default largest error of any actor's estimate, on networkx's normalised scale (0 to 1).
#: About 244,000 pairs at 10,000 actors (~1.3 s) and 290,000 at 100,000 actors / 1M ties (~8 s on 2 cores);
#: halving it takes four times as long.
DEFAULT_EPSILON = 0.005

#: Default probability that some actor's estimate is further than epsilon from the exact value.
DEFAULT_DELTA = 0.1

_METHOD = "pair-sampling"


def sample_count(n: int, epsilon: float, delta: float) -> int:
    """Number of sampled pairs that puts every one of ``n`` actors within ``epsilon`` with probability 1 - ``delta``.

    >>> sample_count(10_000, 0.01, 0.1), sample_count(100_000, 0.005, 0.1)
    (61055, 290185)
    """
    if not 0 < epsilon < 1:
        raise AnalysisError(f"epsilon must be between 0 and 1 (got {epsilon})")
    if not 0 < delta < 1:
        raise AnalysisError(f"delta must be between 0 and 1 (got {delta})")
    if n < 3:
        return 0
    scaled = epsilon * (n - 2) / n
    return math.ceil(math.log(2 * n / delta) / (2 * scaled * scaled))


def _csr(n: int, sources: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric adjacency of the edges as (indptr, indices), duplicates and self-ties dropped."""
    from scipy import sparse

    s = np.asarray(sources, dtype=np.int64)
    t = np.asarray(targets, dtype=np.int64)
    if s.shape != t.shape or s.ndim != 1:
        raise AnalysisError(f"sources and targets must be two 1-d arrays of one length (got {s.shape} and {t.shape})")
    if len(s) and (min(s.min(), t.min()) < 0 or max(s.max(), t.max()) >= n):
        raise AnalysisError(f"edge ends must be positions 0 to {n - 1}")
    keep = s != t
    s, t = s[keep], t[keep]
    ones = np.ones(2 * len(s), dtype=np.int8)
    A = sparse.csr_array((ones, (np.concatenate([s, t]), np.concatenate([t, s]))), shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    return A.indptr.astype(np.int64), A.indices.astype(np.int64)


def estimate_betweenness(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    epsilon: float = DEFAULT_EPSILON,
    delta: float = DEFAULT_DELTA,
    seed: int = 42,
    top_k: int | None = None,
) -> tuple[np.ndarray, dict]:
    """Normalised betweenness of the ``n`` actors of an undirected graph, each within ``epsilon`` w.p. 1 - ``delta``.

    The graph is given as edge arrays (each edge ``sources[i]``-``targets[i]``
    once, ends as positions 0 to n-1; duplicates and self-ties are ignored);
    values are on the scale of networkx's ``betweenness_centrality(G,
    normalized=True)``. ``info`` is ``{"method", "epsilon", "delta",
    "samples", "seed"}``; :func:`guarantee_sentence` turns it into a sentence.
    ``top_k`` is accepted for callers that only need the leaders, but the
    guarantee is the same for every actor, so it changes nothing.
    Deterministic: the same arguments give the same numbers on any number of
    threads. Raises :class:`~netmap.errors.AnalysisError` on bad arguments.

    >>> import numpy as np
    >>> star = np.zeros(4, dtype=int), np.arange(1, 5)
    >>> values, info = estimate_betweenness(5, *star, epsilon=0.02, seed=1)
    >>> values.round(2).tolist(), info["samples"]
    ([1.0, 0.0, 0.0, 0.0, 0.0], 15991)

    Complexity: O(r) bidirectional searches, r = :func:`sample_count`; memory O(n) per thread.
    """
    if n < 0:
        raise AnalysisError(f"n must be at least 0 (got {n})")
    if top_k is not None and top_k < 1:
        raise AnalysisError(f"top_k must be at least 1 (got {top_k})")
    samples = sample_count(n, epsilon, delta)
    indptr, indices = _csr(n, sources, targets)
    info = {"method": _METHOD, "epsilon": float(epsilon), "delta": float(delta), "samples": samples, "seed": int(seed)}
    if samples == 0:
        return np.zeros(n), info
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    from netmap.analysis import _pairs  # numba: imported and compiled only when an estimate is made

    A = sparse.csr_array((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(n, n))
    _, component = connected_components(A, directed=False)
    shares = _pairs.sample_dependencies(indptr, indices, component.astype(np.int64), samples, int(seed) & (2**63 - 1))
    return shares * (n / ((n - 2) * samples)), info


def guarantee_sentence(info: dict) -> str:
    """One plain-English sentence stating the guarantee of an estimate, for reports.

    >>> info = {"method": "pair-sampling", "epsilon": 0.001, "delta": 0.1, "samples": 12345, "seed": 42}
    >>> print(guarantee_sentence(info))  # doctest: +NORMALIZE_WHITESPACE
    Betweenness was estimated (the shortest paths of 12,345 sampled pairs of actors, seed 42): every actor's
    value is within 0.001 of the exact one with 90% probability.
    """
    confidence = f"{100 * (1 - info['delta']):.4g}%"
    return (f"Betweenness was estimated (the shortest paths of {info['samples']:,} sampled pairs of actors, "
            f"seed {info['seed']}): "
            f"every actor's value is within {info['epsilon']:g} of the exact one with {confidence} probability.")


def distance_sums(n: int, sources: np.ndarray, targets: np.ndarray, starts: np.ndarray, *,
                  pattern: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Breadth-first searches from the actors at positions ``starts``, in compiled code on every core.

    Returns ``harmonic`` (for each actor, the sum of 1/distance from the
    starts that reach it; a start does not count itself), and for each start
    ``total`` (sum of distances to the actors it reaches), ``reached``,
    ``farthest`` (its eccentricity) and ``far_node`` (an actor that far).
    The same numbers on any number of threads. Each search is
    direction-optimising (:data:`netmap.analysis._paths.BOTTOM_UP_ALPHA`):
    the same distances as a plain search, several times faster on a large
    map whose middle levels hold most of its actors. ``pattern``: the
    graph's :func:`search_pattern`, if already made.

    >>> import numpy as np
    >>> path = np.array([0, 1, 2]), np.array([1, 2, 3])  # 0 - 1 - 2 - 3
    >>> found = distance_sums(4, *path, np.array([0, 3]))
    >>> found["harmonic"].round(3).tolist(), found["total"].tolist(), found["farthest"].tolist()
    ([0.333, 1.5, 1.5, 0.333], [6.0, 6.0], [3, 3])

    Complexity: O(k (n + m)) for k starts, spread over the machine's cores.
    """
    from netmap.analysis import _paths  # numba: imported and compiled only when needed

    indptr, indices = pattern if pattern is not None else _csr(n, sources, targets)
    harmonic, total, reached, farthest, far_node = _paths.distance_sums(
        indptr, indices, np.asarray(starts, dtype=np.int64), _paths.BOTTOM_UP_ALPHA, _paths.TOP_DOWN_BETA)
    return {"harmonic": harmonic, "total": total, "reached": reached, "farthest": farthest, "far_node": far_node}


def search_pattern(arrays) -> tuple[np.ndarray, np.ndarray]:
    """The (indptr, indices) the compiled searches run on, for a
    :class:`~netmap.analysis.backend.GraphArrays`: made once and kept on it."""
    if arrays.pattern is None:
        arrays.pattern = _csr(arrays.n, arrays.i, arrays.j)
    return arrays.pattern


def last_reached(arrays, start: int) -> int:
    """The actor a plain (top-down) breadth-first search from position ``start`` reaches last, partners taken
    in position order: the far end of the sweep that bounds the diameter from below.

    >>> from netmap.analysis.backend import GraphArrays
    >>> import networkx as nx
    >>> last_reached(GraphArrays(nx.path_graph(4)), 1)
    3
    """
    from netmap.analysis import _paths  # numba: imported and compiled only when needed

    indptr, indices = search_pattern(arrays)
    return int(_paths.last_reached(indptr, indices, int(start)))


def shared_distance_sums(arrays, starts) -> dict[str, np.ndarray]:
    """:func:`distance_sums` on a :class:`~netmap.analysis.backend.GraphArrays`, run once per set of starts:
    closeness and path lengths search from the same sampled actors and share the searches."""
    starts = np.asarray(starts, dtype=np.int64)
    key = starts.tobytes()
    if key not in arrays.searches:
        arrays.searches[key] = distance_sums(arrays.n, arrays.i, arrays.j, starts, pattern=search_pattern(arrays))
    return arrays.searches[key]
