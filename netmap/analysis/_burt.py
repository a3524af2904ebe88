"""Compiled kernel of :func:`netmap.analysis.structure.burt`: Burt's constraint and effective size, row by row.

Imported only when a large map is measured: numba takes about half a second to
import and compiles on first use (cached next to this file afterwards).

The scipy products it replaces (``P @ P`` and ``P @ scaled``, kept where two
actors are tied) build each actor's two-step matrix row in full and then
throw most of it away; here only the entries of the actor's own partners are
added up. Each sum is added in the order scipy adds it, and the row totals
are left to numpy's ``add.reduceat`` on the same entries in the same order, so
the numbers are the same to the last digit:

* scipy's product ``diag @ A`` stores each row of ``P`` in the reverse order of
  ``A``'s row, so the indirect investments are summed over the partners q in
  that reverse order;
* the constraint row sums run over ``A``'s (sorted) order;
* the redundancy row sums run over the order in which the two-step product first
  meets each partner (partners q in reverse order, each q's own partners in
  reverse order).
"""

from __future__ import annotations

import numba
import numpy as np

#: Fixed number of work chunks (rows are shared out in turn): each row is computed on its own, so the
#: numbers do not depend on the number of threads.
BURT_CHUNKS = 16


@numba.njit(cache=True, parallel=True)
def burt_entries(indptr, indices, data, inv_total, inv_top):
    """Per entry of the adjacency (CSR, sorted): the squared constraint term ``(p_vu + indirect_vu)**2``, and the
    redundancy terms ``sum_q p_vq a_qu / top_u`` of each row in the order scipy stores them (``red_count[v]``
    of them from ``indptr[v]`` on)."""
    n = indptr.shape[0] - 1
    squares = np.zeros(indices.shape[0], dtype=np.float64)
    red = np.zeros(indices.shape[0], dtype=np.float64)
    red_count = np.zeros(n, dtype=np.int64)
    for c in numba.prange(BURT_CHUNKS):
        mark = np.full(n, -1, dtype=np.int64)
        first = np.full(n, -1, dtype=np.int64)  # first[u] == v: u already met in v's two-step row
        indirect = np.zeros(n, dtype=np.float64)
        redundant = np.zeros(n, dtype=np.float64)
        order = np.empty(max(n, 1), dtype=np.int64)
        for v in range(c, n, BURT_CHUNKS):
            a, b = indptr[v], indptr[v + 1]
            for e in range(a, b):
                u = indices[e]
                mark[u] = v
                indirect[u] = 0.0
                redundant[u] = 0.0
            met = 0
            for t in range(b - 1, a - 1, -1):  # scipy's order of P's row: A's, reversed
                q = indices[t]
                pvq = inv_total[v] * data[t]
                for f in range(indptr[q + 1] - 1, indptr[q] - 1, -1):
                    u = indices[f]
                    if mark[u] == v:
                        indirect[u] += pvq * (inv_total[q] * data[f])
                        redundant[u] += pvq * (data[f] * inv_top[u])
                        if first[u] != v:
                            first[u] = v
                            order[met] = u
                            met += 1
            for e in range(a, b):
                x = inv_total[v] * data[e] + indirect[indices[e]]
                squares[e] = x * x
            for t in range(met):
                red[a + t] = redundant[order[t]]
            red_count[v] = met
    return squares, red, red_count
