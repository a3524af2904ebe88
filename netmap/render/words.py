"""The words every output shares: plurals, the three counts of ties, and measures that do not exist.

>>> plural(1, "actor"), plural(1200, "actor"), plural(2, "constituency", "constituencies")
('1 actor', '1,200 actors', '2 constituencies')
>>> tie_phrases({"direct_ties": 11, "shared_space_ties": 16, "tied_pairs": 27})
['11 direct ties', '16 ties through shared spaces', '27 tied pairs in all']
>>> shown(float("nan")), shown(None), shown(0.25)
('n/a', 'n/a', '0.250')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["NOT_AVAILABLE", "TIE_WORDS", "is_missing", "plural", "shown", "tie_counts_in_words", "tie_phrases"]

#: The three counts of ties (keys of the analysis summary) and their words, for one and for many.
#: Every output (``netmap analyse``, the report, the map, the JSON and CSV summaries) uses these.
TIE_WORDS: dict[str, tuple[str, str]] = {
    "direct_ties": ("direct tie", "direct ties"),
    "shared_space_ties": ("tie through a shared space", "ties through shared spaces"),
    "tied_pairs": ("tied pair in all", "tied pairs in all"),
}

#: What text and HTML show for a measure that does not exist (an E-I index without ties); JSON has null.
NOT_AVAILABLE = "n/a"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, made plural (``many``, else ``word`` + "s") unless ``n`` is 1."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def tie_counts_in_words(summary: Mapping[str, Any]) -> list[tuple[int, str]]:
    """The three counts of ties of an analysis summary, each with its word: direct, through spaces, in all."""
    counts = [(int(summary.get(key, 0) or 0), one, many) for key, (one, many) in TIE_WORDS.items()]
    return [(n, one if n == 1 else many) for n, one, many in counts]


def tie_phrases(summary: Mapping[str, Any]) -> list[str]:
    """:func:`tie_counts_in_words` as phrases: ``["11 direct ties", ...]``."""
    return [f"{n:,} {word}" for n, word in tie_counts_in_words(summary)]


def is_missing(value: object) -> bool:
    """True for None and NaN: a measure that does not exist here."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def shown(value: object, digits: int = 3) -> str:
    """A measure for text or HTML: :data:`NOT_AVAILABLE` when missing, floats to ``digits`` places."""
    if is_missing(value):
        return NOT_AVAILABLE
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
