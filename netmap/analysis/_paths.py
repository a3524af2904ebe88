"""Compiled kernel of :mod:`netmap.analysis.estimate`: sample shortest paths between random pairs of actors.

Imported only by :func:`netmap.analysis.estimate.estimate_betweenness`, when it
runs: numba takes about half a second to import and compiles on first use
(cached next to this file afterwards).

Sample ``i`` draws its random numbers from a generator seeded by
``(seed, i)`` alone (splitmix64), and every sample adds whole numbers to the
hit counts, so the counts are the same whatever the number of threads and
whichever thread takes which sample.
"""

from __future__ import annotations

import numba
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


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
def _backtrack(indptr, indices, stamp, dist, sigma, mark, start, state, path, length):
    """Walk from ``start`` back to its ball's root, each predecessor drawn with probability sigma(t)/sigma(z).

    Appends the nodes met (``start`` included, the root excluded) to ``path``.
    """
    z = start
    while dist[z] > 0:
        path[length] = z
        length += 1
        state, x = _uniform(state)
        target = x * sigma[z]
        acc = 0.0
        chosen = -1
        for k in range(indptr[z], indptr[z + 1]):
            t = indices[k]
            if stamp[t] == mark and dist[t] == dist[z] - 1:
                chosen = t
                acc += sigma[t]
                if acc > target:
                    break
        z = chosen
    return state, length


@numba.njit(cache=True)
def _one_path(indptr, indices, u, v, stamp, dist, sigma, queue_u, queue_v, base, path, state):
    """One shortest path between u and v drawn uniformly at random; returns (state, its interior length).

    A balanced bidirectional breadth-first search (the side whose last level
    has the smaller degree sum grows next) stops at the first level that
    meets the other ball; every edge joining the balls then lies on a
    shortest path, and one is drawn with weight sigma(x) * sigma(y).
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
    best_x, best_y = -1, -1
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
                    weight = sigma[x] * sigma[y]
                    total += weight
                    state, r = _uniform(state)
                    if r * total < weight:  # weighted reservoir of one cross edge
                        best_x, best_y = x, y
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
            return state, 0  # no path (cannot happen within one component)
    length = 0
    a, b = (best_x, best_y) if stamp[best_x] == mark_u else (best_y, best_x)
    state, length = _backtrack(indptr, indices, stamp, dist, sigma, mark_u, a, state, path, length)
    state, length = _backtrack(indptr, indices, stamp, dist, sigma, mark_v, b, state, path, length)
    return state, length


@numba.njit(cache=True, parallel=True)
def sample_hits(indptr, indices, component, samples, seed, chunks):
    """How many of ``samples`` random shortest paths pass through each node (as an interior node).

    Sample i picks an ordered pair u != v uniformly at random and, when they
    are connected, one of their shortest paths uniformly at random.
    """
    n = indptr.shape[0] - 1
    hits = np.zeros((chunks, n), dtype=np.int64)
    key = np.uint64(seed) * _MIX2
    for c in numba.prange(chunks):
        stamp = np.full(n, -1, dtype=np.int64)
        dist = np.zeros(n, dtype=np.int64)
        sigma = np.zeros(n, dtype=np.float64)
        queue_u = np.empty(n, dtype=np.int64)
        queue_v = np.empty(n, dtype=np.int64)
        path = np.empty(n, dtype=np.int64)
        row = hits[c]
        for i in range(c * samples // chunks, (c + 1) * samples // chunks):
            state, _ = _next(key ^ (np.uint64(i) * _GOLDEN))
            state, x = _uniform(state)
            u = int(x * n)
            state, x = _uniform(state)
            v = int(x * (n - 1))
            if v >= u:
                v += 1
            if component[u] != component[v]:
                continue
            state, length = _one_path(indptr, indices, u, v, stamp, dist, sigma, queue_u, queue_v, 2 * i, path, state)
            for p in range(length):
                row[path[p]] += 1
    return hits.sum(axis=0)


#: Fixed number of work chunks of :func:`distance_sums`: the floating-point sums are added in the same
#: order whatever the number of threads, so results do not depend on it.
DISTANCE_CHUNKS = 16


@numba.njit(cache=True, parallel=True)
def distance_sums(indptr, indices, sources):
    """One breadth-first search from each of ``sources``, summed.

    Returns ``harmonic`` (per node, the sum of 1/d from the sources that reach
    it), and per source: the sum of distances to the nodes it reaches, how many
    it reaches, its eccentricity and one node at that distance.
    """
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    chunks = DISTANCE_CHUNKS
    harmonic = np.zeros((chunks, n), dtype=np.float64)
    total = np.zeros(k, dtype=np.float64)
    reached = np.zeros(k, dtype=np.int64)
    farthest = np.zeros(k, dtype=np.int64)
    far_node = np.zeros(k, dtype=np.int64)
    for c in numba.prange(chunks):
        dist = np.full(n, -1, dtype=np.int64)
        queue = np.empty(max(n, 1), dtype=np.int64)
        row = harmonic[c]
        for idx in range(c * k // chunks, (c + 1) * k // chunks):
            s = sources[idx]
            dist[s] = 0
            queue[0] = s
            head, tail = 0, 1
            while head < tail:
                u = queue[head]
                head += 1
                for e in range(indptr[u], indptr[u + 1]):
                    w = indices[e]
                    if dist[w] < 0:
                        dist[w] = dist[u] + 1
                        queue[tail] = w
                        tail += 1
            acc = 0.0
            for q in range(1, tail):
                w = queue[q]
                row[w] += 1.0 / dist[w]
                acc += dist[w]
            total[idx] = acc
            reached[idx] = tail - 1
            last = queue[tail - 1]
            farthest[idx] = dist[last]
            far_node[idx] = last
            for q in range(tail):
                dist[queue[q]] = -1
    return harmonic.sum(axis=0), total, reached, farthest, far_node
