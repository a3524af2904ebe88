"""The result of one permutation test of change, shared by :mod:`netmap.decisions.compare` (which carries it
in a :class:`~netmap.decisions.compare.Comparison`) and :mod:`netmap.decisions.significance` (which runs the
tests), so that neither imports the other's module to name it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PermutationTest:
    """Whether a change in a measure is larger than chance (see :mod:`netmap.decisions.significance`)."""

    measure: str  # "ei_index", "assortativity", "density"
    label: str
    before: float | None
    after: float | None
    p_value: float | None  # None when the test cannot be run (too few common actors)
    permutations: int
    method: str  # one sentence naming the null model
    seed: int
    note: str = ""  # why p_value is None, or a caveat
