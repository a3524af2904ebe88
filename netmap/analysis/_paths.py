"""Compiled kernels of :mod:`netmap.analysis.estimate`: breadth-first searches from many actors at once.

Imported only when a large map needs them: numba takes about half a second to
import and compiles on first use (cached next to this file afterwards). The
searches are split into a fixed number of chunks whose sums are added in a
fixed order, so the numbers are the same whatever the number of threads.
"""

from __future__ import annotations

import numba
import numpy as np

#: Fixed number of work chunks of :func:`distance_sums`: the floating-point sums are added in the same
#: order whatever the number of threads, so results do not depend on it.
DISTANCE_CHUNKS = 16

#: Direction-optimising search (Beamer, Asanovic and Patterson, "Direction-optimizing breadth-first
#: search", 2012): a level is found bottom-up (each unreached actor looks for a partner in the last level,
#: and stops at the first) once the last level's ties outnumber the unreached actors' ties divided by
#: ``BOTTOM_UP_ALPHA``, and top-down again once the last level holds fewer than the actors divided by
#: ``TOP_DOWN_BETA``. Either way each actor gets the same distance, so every sum is the same.
BOTTOM_UP_ALPHA = 10
TOP_DOWN_BETA = 100


@numba.njit(cache=True)
def _search(indptr, indices, s, dist, queue, alpha, beta):
    """One breadth-first search from ``s``, top-down or bottom-up level by level; returns how many it reached.

    ``dist`` must be -1 everywhere on entry; the actors reached are ``queue[:returned]`` (level by level,
    in an order that depends on the directions taken) with their distances in ``dist``.
    """
    n = indptr.shape[0] - 1
    unreached_arcs = indptr[n] - (indptr[s + 1] - indptr[s])
    dist[s] = 0
    queue[0] = s
    lo, hi, level = 0, 1, 0
    frontier_arcs = indptr[s + 1] - indptr[s]
    bottom_up = False
    while lo < hi:
        # bottom-up while the levels are large; top-down again once a level is small
        bottom_up = (hi - lo) * beta >= n if bottom_up else frontier_arcs * alpha > unreached_arcs
        tail, arcs = hi, 0
        if bottom_up:
            for w in range(n):
                if dist[w] < 0:
                    for e in range(indptr[w], indptr[w + 1]):
                        if dist[indices[e]] == level:
                            dist[w] = level + 1
                            queue[tail] = w
                            tail += 1
                            arcs += indptr[w + 1] - indptr[w]
                            break
        else:
            for q in range(lo, hi):
                u = queue[q]
                for e in range(indptr[u], indptr[u + 1]):
                    w = indices[e]
                    if dist[w] < 0:
                        dist[w] = level + 1
                        queue[tail] = w
                        tail += 1
                        arcs += indptr[w + 1] - indptr[w]
        lo, hi, level = hi, tail, level + 1
        frontier_arcs = arcs
        unreached_arcs -= arcs
    return hi


@numba.njit(cache=True, parallel=True)
def distance_sums(indptr, indices, sources, alpha, beta):
    """One breadth-first search from each of ``sources`` (:func:`_search`), summed.

    Returns ``harmonic`` (per node, the sum of 1/d from the sources that reach
    it), and per source: the sum of distances to the nodes it reaches, how many
    it reaches, its eccentricity and one node at that distance. The sums do not
    depend on the order the searches meet the nodes in (each node adds once per
    source, the sources in a fixed order per chunk; distances are whole numbers).
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
            tail = _search(indptr, indices, sources[idx], dist, queue, alpha, beta)
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


@numba.njit(cache=True)
def last_reached(indptr, indices, s):
    """The node a plain top-down breadth-first search from ``s`` (partners in CSR order) reaches last."""
    n = indptr.shape[0] - 1
    seen = np.zeros(n, dtype=np.bool_)
    queue = np.empty(max(n, 1), dtype=np.int64)
    seen[s] = True
    queue[0] = s
    head, tail = 0, 1
    while head < tail:
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            w = indices[e]
            if not seen[w]:
                seen[w] = True
                queue[tail] = w
                tail += 1
    return queue[tail - 1]
