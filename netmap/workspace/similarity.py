"""difflib's similarity ratio of many pairs of names at once, compiled: the near-duplicate check of a national map.

:func:`ratios` gives, for each pair, exactly what
``difflib.SequenceMatcher(None, first, second, autojunk=False).ratio()``
gives (the same matching blocks, found in the same order, so the same float),
about a hundred times faster: a register of 100,000 names has some 70,000
neighbouring pairs to score. The names are held as one array of code points
(:func:`code_points`), so nothing is made per pair in Python. numba compiles
the search on first use and caches it, as :mod:`netmap.analysis` does.

>>> ratios(["mind leeds", "mind leed", "abc"], [0, 0], [1, 2]).round(4).tolist()
[0.9474, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_KERNEL = None


def code_points(names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every name's characters as code points, one after another, and where each name starts (one more
    start at the end).

    >>> chars, starts = code_points(["ab", "", "é"])
    >>> chars.tolist(), starts.tolist()
    ([97, 98, 233], [0, 2, 2, 3])
    """
    chars = np.frombuffer("".join(names).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int32)
    starts = np.zeros(len(names) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, names), dtype=np.int64, count=len(names)), out=starts[1:])
    return chars, starts


def _matches(chars, starts, firsts, seconds, out):  # pragma: no cover - compiled by numba
    """For each pair, the characters difflib's matching blocks of (first, second) add up to."""
    longest = 0
    for k in range(len(starts) - 1):
        longest = max(longest, starts[k + 1] - starts[k])
    lens = np.zeros((2, longest + 2), dtype=np.int64)  # the lengths of common suffixes, this row and the last
    stack = np.zeros((longest + 2, 4), dtype=np.int64)
    for p in range(len(firsts)):
        a0, b0 = starts[firsts[p]], starts[seconds[p]]
        la, lb = starts[firsts[p] + 1] - a0, starts[seconds[p] + 1] - b0
        total, top = 0, 1
        stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = 0, la, 0, lb
        while top:  # get_matching_blocks: the longest match, then the parts on either side of it
            top -= 1
            alo, ahi, blo, bhi = stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3]
            # find_longest_match, without junk: the first longest block, by its end in a, then in b
            besti, bestj, size = alo, blo, 0
            for j in range(blo, bhi + 1):
                lens[0, j] = 0
                lens[1, j] = 0
            row = 0
            for i in range(alo, ahi):
                ai = chars[a0 + i]
                last, now = lens[row], lens[1 - row]
                for j in range(blo, bhi):
                    if chars[b0 + j] == ai:
                        n = last[j] + 1
                        now[j + 1] = n
                        if n > size:
                            besti, bestj, size = i - n + 1, j - n + 1, n
                    else:
                        now[j + 1] = 0
                row = 1 - row
            while besti > alo and bestj > blo and chars[a0 + besti - 1] == chars[b0 + bestj - 1]:
                besti, bestj, size = besti - 1, bestj - 1, size + 1
            while besti + size < ahi and bestj + size < bhi and chars[a0 + besti + size] == chars[b0 + bestj + size]:
                size += 1
            if size:
                total += size
                if alo < besti and blo < bestj:
                    stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3] = alo, besti, blo, bestj
                    top += 1
                if besti + size < ahi and bestj + size < bhi:
                    stack[top, 0], stack[top, 1] = besti + size, ahi
                    stack[top, 2], stack[top, 3] = bestj + size, bhi
                    top += 1
        out[p] = total


def ratios(names: Sequence[str], firsts: Sequence[int], seconds: Sequence[int],
           points: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """difflib's ratio of ``names[firsts[k]]`` to ``names[seconds[k]]`` for each ``k`` (its order matters, as
    difflib's does); ``points`` is :func:`code_points` of ``names`` if already made."""
    global _KERNEL
    if _KERNEL is None:
        import numba

        _KERNEL = numba.njit(cache=True)(_matches)
    chars, starts = points if points is not None else code_points(names)
    firsts = np.asarray(firsts, dtype=np.int64)
    seconds = np.asarray(seconds, dtype=np.int64)
    matched = np.zeros(len(firsts), dtype=np.int64)
    if len(firsts):
        _KERNEL(chars, starts, firsts, seconds, matched)
    lengths = (starts[firsts + 1] - starts[firsts]) + (starts[seconds + 1] - starts[seconds])
    # difflib's own expression, 2.0 * matches / length, so the float is the same to the last bit
    return np.divide(2.0 * matched, lengths, out=np.ones(len(firsts)), where=lengths > 0)
