"""Compiled kernel of :mod:`netmap.analysis.estimate`: how much of random pairs' shortest paths runs through each actor.

Imported only by :func:`netmap.analysis.estimate.estimate_betweenness`, when it
runs: numba takes about half a second to import and compiles on first use
(cached next to this file afterwards).

For each sampled pair (u, v) the kernel adds, to every actor w strictly
between them, the share of u-v shortest paths that pass through w (the pair
dependency sigma_uw sigma_wv / sigma_uv). Drawing one of those paths at random
and counting the actors on it (Riondato and Kornaropoulos' estimator) has the
same expectation; adding the shares instead is its Rao-Blackwell improvement:
never a larger variance, every value still in [0, 1] (so the same Hoeffding
bound holds), and actors that stand in the same position (say, two hubs that
share every path) get exactly the same value instead of whatever the draw
gave each.

Sample ``i`` draws its pair from a generator seeded by ``(seed, i)`` alone
(splitmix64), and the samples are split into a fixed number of chunks whose
sums are added in a fixed order, so the numbers are the same whatever the
number of threads.
"""

from __future__ import annotations

import numba
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53

#: Fixed number of work chunks: the floating-point sums are added in the same order on any number of threads.
CHUNKS = 16


@numba.njit(cache=True, inline="always")
def _next(state: np.uint64) -> tuple[np.uint64, np.uint64]:
    """splitmix64: the next state and a 64-bit random number."""
    state = state + _GOLDEN
    z = state
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return state, z ^ (z >> np.uint64(31))


@numba.njit(cache=True, inline="always")
def _uniform(state: np.uint64) -> tuple[np.uint64, float]:
    """The next state and a float uniform on [0, 1)."""
    state, z = _next(state)
    return state, float(z >> np.uint64(11)) * _TO_UNIT


@numba.njit(cache=True)
def _credit(indptr, indices, stamp, dist, sigma, tau, queue, top, mark, total, acc):
    """Walk one ball from its outer level inwards, passing each actor's onward path count to its predecessors.

    ``tau[w]`` is the number of shortest paths from w to the far end of the pair;
    w's share of the pair's paths is sigma[w] * tau[w] / total. The ball's root
    (position 0 of ``queue``) is an end of the pair and gets nothing.
    """
    for q in range(top - 1, 0, -1):
        w = queue[q]
        onward = tau[w]
        if onward == 0.0:
            continue  # not on a shortest path of this pair
        acc[w] += sigma[w] * onward / total
        for k in range(indptr[w], indptr[w + 1]):
            p = indices[k]
            if stamp[p] == mark and dist[p] == dist[w] - 1:
                tau[p] += onward


@numba.njit(cache=True)
def _pair_dependency(indptr, indices, u, v, stamp, dist, sigma, tau, queue_u, queue_v, base, acc):
    """Add u-v's pair dependency of every actor to ``acc``.

    A balanced bidirectional breadth-first search (the side whose last level
    has the smaller degree sum grows next, as in KADABRA) stops at the first
    level that meets the other ball: the edges joining the balls are then
    exactly the middle edges of the u-v shortest paths, sigma_uv paths in all.
    """
    mark_u, mark_v = base, base + 1
    stamp[u], stamp[v] = mark_u, mark_v
    dist[u], dist[v] = 0, 0
    sigma[u], sigma[v] = 1.0, 1.0
    queue_u[0], queue_v[0] = u, v
    lo_u, hi_u, lo_v, hi_v = 0, 1, 0, 1
    deg_u = indptr[u + 1] - indptr[u]
    deg_v = indptr[v + 1] - indptr[v]
    total = 0.0
    grow_u = True
    lo, hi, end = 0, 0, 0
    while total == 0.0:
        grow_u = deg_u <= deg_v
        queue = queue_u if grow_u else queue_v
        lo, hi = (lo_u, hi_u) if grow_u else (lo_v, hi_v)
        mine, theirs = (mark_u, mark_v) if grow_u else (mark_v, mark_u)
        end, degrees = hi, 0
        for q in range(lo, hi):
            x = queue[q]
            for k in range(indptr[x], indptr[x + 1]):
                y = indices[k]
                if stamp[y] == theirs:
                    total += sigma[x] * sigma[y]
                elif stamp[y] != mine:
                    stamp[y] = mine
                    dist[y] = dist[x] + 1
                    sigma[y] = sigma[x]
                    queue[end] = y
                    end += 1
                    degrees += indptr[y + 1] - indptr[y]
                elif dist[y] == dist[x] + 1:
                    sigma[y] += sigma[x]
        if grow_u:
            lo_u, hi_u, deg_u = hi, end, degrees
        else:
            lo_v, hi_v, deg_v = hi, end, degrees
        if total == 0.0 and (degrees == 0 or end == hi):
            return  # no path (cannot happen within one component)
    if not np.isfinite(total):
        return  # over ~1e308 shortest paths (a long chain of squares): no share can be computed, so none is added
    queue = queue_u if grow_u else queue_v  # the side that grew last; its frontier is [lo, hi)
    other = queue_v if grow_u else queue_u
    other_top = hi_v if grow_u else hi_u
    mine, theirs = (mark_u, mark_v) if grow_u else (mark_v, mark_u)
    for q in range(end):
        tau[queue[q]] = 0.0
    for q in range(other_top):
        tau[other[q]] = 0.0
    for q in range(lo, hi):  # the middle edges: each end's onward count is the other end's path count
        x = queue[q]
        for k in range(indptr[x], indptr[x + 1]):
            y = indices[k]
            if stamp[y] == theirs:
                tau[x] += sigma[y]
                tau[y] += sigma[x]
    _credit(indptr, indices, stamp, dist, sigma, tau, queue, hi, mine, total, acc)
    _credit(indptr, indices, stamp, dist, sigma, tau, other, other_top, theirs, total, acc)


@numba.njit(cache=True, parallel=True)
def sample_dependencies(indptr, indices, component, samples, seed):
    """Sum over ``samples`` random ordered pairs u != v of each node's pair dependency (0 for unconnected pairs)."""
    n = indptr.shape[0] - 1
    sums = np.zeros((CHUNKS, n), dtype=np.float64)
    key = np.uint64(seed) * _MIX2
    for c in numba.prange(CHUNKS):
        stamp = np.full(n, -1, dtype=np.int64)
        dist = np.zeros(n, dtype=np.int64)
        sigma = np.zeros(n, dtype=np.float64)
        tau = np.zeros(n, dtype=np.float64)
        queue_u = np.empty(n, dtype=np.int64)
        queue_v = np.empty(n, dtype=np.int64)
        row = sums[c]
        for i in range(c * samples // CHUNKS, (c + 1) * samples // CHUNKS):
            state, _ = _next(key ^ (np.uint64(i) * _GOLDEN))
            state, x = _uniform(state)
            u = int(x * n)
            state, x = _uniform(state)
            v = int(x * (n - 1))
            if v >= u:
                v += 1
            if component[u] != component[v]:
                continue
            _pair_dependency(indptr, indices, u, v, stamp, dist, sigma, tau, queue_u, queue_v, 2 * i, row)
    total = np.zeros(n, dtype=np.float64)
    for c in range(CHUNKS):  # a fixed order, whatever thread filled which chunk
        total += sums[c]
    return total
