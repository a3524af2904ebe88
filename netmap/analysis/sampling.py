"""The sample-size rule: when betweenness, closeness and path lengths are exact, and which actors are sampled.

Betweenness, closeness and path lengths take one breadth-first search per
actor (O(n m)). One request covers all three: ``sample=None, exact=False``
applies the default rule (exact up to :data:`EXACT_MAX_NODES` actors, else
:data:`DEFAULT_SAMPLE` sampled sources); ``sample=k`` samples k sources
(exact when k >= n); ``exact=True`` is exact however large the network.

The constants are read when a function runs, so changing them here (say in a
test) changes every measure at once.

>>> check_sampling(None, False)
>>> sample_size(5000, None, False), sample_size(5000, 40, False), sample_size(30, 40, False)
(500, 40, None)
>>> sample_size(5000, None, True) is None
True
"""

from __future__ import annotations

import random

from netmap.analysis.estimate import DEFAULT_EPSILON
from netmap.errors import AnalysisError

__all__ = [
    "DEFAULT_SAMPLE", "EXACT_MAX_NODES", "betweenness_epsilon", "check_sampling", "sample_size", "sample_sources",
]

#: Largest graph (or largest component, for path lengths) measured exactly by default.
#: Betweenness, closeness and path lengths take one breadth-first search per
#: actor (O(n m)); above this size they are estimated from sampled sources.
EXACT_MAX_NODES = 2000

#: Number of sampled source actors used above :data:`EXACT_MAX_NODES` (closeness and path lengths;
#: betweenness is estimated with a stated error bound instead, see :func:`betweenness_epsilon`).
DEFAULT_SAMPLE = 500

#: Largest error of any actor's estimated betweenness (normalised, 0 to 1), by map size: (up to this
#: many actors, epsilon). Measured on the synthetic maps (``bench/betweenness.py``): 0.005 ranks the
#: top 100 of 10,000 actors like exact betweenness (Spearman 0.99) in under a second, and on 100,000
#: actors and a million ties takes about 8 s on two cores, where six seeds agree on the whole top 10
#: (with 0.01, a quarter of the samples, two seeds shared 8 to 10 of it).
BETWEENNESS_EPSILON: tuple[tuple[float, float], ...] = ((float("inf"), DEFAULT_EPSILON),)


def betweenness_epsilon(n: int) -> float:
    """The error bound betweenness is estimated to on a map of ``n`` actors (with probability 90%).

    >>> betweenness_epsilon(10_000), betweenness_epsilon(100_000)
    (0.005, 0.005)
    """
    return next(epsilon for limit, epsilon in BETWEENNESS_EPSILON if n <= limit)


def check_sampling(sample: int | None, exact: bool) -> None:
    """Raise :class:`~netmap.errors.AnalysisError` unless ``sample`` and ``exact`` make one valid request.

    >>> check_sampling(1, False)
    Traceback (most recent call last):
    ...
    netmap.errors.AnalysisError: sample must be at least 2 actors (got 1); use exact=True to measure exactly
    """
    if sample is not None and exact:
        raise AnalysisError("give sample or exact, not both")
    if sample is not None and sample < 2:
        raise AnalysisError(f"sample must be at least 2 actors (got {sample}); use exact=True to measure exactly")


def sample_size(n: int, sample: int | None, exact: bool) -> int | None:
    """How many sources to sample among ``n`` actors, or None for exact measures (see the module docstring)."""
    check_sampling(sample, exact)
    if exact:
        return None
    if sample is None:
        if n <= EXACT_MAX_NODES:
            return None
        sample = DEFAULT_SAMPLE
    k = int(sample)
    return None if k >= n else k


def sample_sources(nodes: list, sample: int | None, exact: bool, seed: int) -> list | None:
    """Sampled source actors among ``nodes``, or None when measures are exact (see :func:`sample_size`).

    Uses ``random.Random(seed).sample(nodes, k)``: for ``nodes = list(G)`` the
    same draw networkx makes for ``betweenness_centrality(G, k=k, seed=seed)``.

    >>> sample_sources(list("abcde"), 2, False, seed=1), sample_sources(list("abcde"), None, False, seed=1)
    (['b', 'a'], None)
    """
    k = sample_size(len(nodes), sample, exact)
    return None if k is None else random.Random(seed).sample(nodes, k)
