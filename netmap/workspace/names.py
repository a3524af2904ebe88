"""Actor names: normalised forms, readable ids, look-up by name or alias, and likely duplicates.

>>> index = NameIndex([Actor("ccg", "Leeds C.C.G.", aliases=("NHS Leeds",))])
>>> index.resolve("leeds ccg"), index.resolve("NHS  Leeds"), index.resolve("nobody")
('ccg', 'ccg', None)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from netmap.model import Actor

# Fuzzy duplicate search is quadratic; above this many actors only exact
# (normalised) name matches are reported.
FUZZY_DUPLICATE_LIMIT = 3000


def normalise_name(name: str) -> str:
    """A form of a name that ignores case, accents, spacing and punctuation.

    >>> normalise_name("  The Leeds  GATE! ") == normalise_name("leeds gate")
    True
    >>> normalise_name("Health & Social Care") == normalise_name("health and social care")
    True
    """
    text = str(name)
    if text.isascii():  # most names: no accents to strip
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text).casefold()
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ")
    text = re.sub(r"['\u2019.]", "", text)  # "St Mary's" = "St Marys", "C.C.G." = "CCG"
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"[\s_]+", " ", text).strip()
    return text.removeprefix("the ")


def slugify(name: str) -> str:
    """A readable id from a name.

    >>> slugify("Leeds & York Partnership NHS FT")
    'leeds-and-york-partnership-nhs-ft'
    """
    return re.sub(r"[^a-z0-9]+", "-", normalise_name(name)).strip("-") or "actor"


class NameIndex:
    """Finds actors by id, name or alias, tolerant of case and punctuation."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        for actor in actors:
            self.ids.add(actor.id)
            for name in (actor.id, actor.name, *actor.aliases):
                self.by_name.setdefault(normalise_name(name), actor.id)

    def resolve(self, ref: str) -> str | None:
        """The actor id a cell refers to, or None."""
        if ref in self.ids:
            return ref
        return self.by_name.get(normalise_name(ref))


def likely_duplicates(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """Pairs of actor positions whose names (or aliases) look like the same organisation.

    Each pair comes once, as ``(i, j, score, matched)``: exact matches after
    :func:`normalise_name` score 1.0 and ``matched`` is the shared name; for
    up to ``FUZZY_DUPLICATE_LIMIT`` actors, near matches of the main names
    (difflib ratio >= 0.92) are reported too. Complexity: O(n) exact,
    O(n^2) fuzzy.

    >>> likely_duplicates([Actor("a", "Leeds C.C.G."), Actor("b", "Leeds CCG")])
    [(0, 1, 1.0, 'Leeds CCG')]
    """
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    seen: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for name in (actor.name, *actor.aliases):
            norm = normalise_name(name)
            if not norm:
                continue
            first = seen.setdefault(norm, i)
            if first != i:
                pairs.setdefault((first, i), (1.0, name))
    if len(actors) <= FUZZY_DUPLICATE_LIMIT:
        names = [normalise_name(a.name) for a in actors]
        matcher = difflib.SequenceMatcher(autojunk=False)
        for j in range(len(names)):
            matcher.set_seq2(names[j])
            for i in range(j):
                if (i, j) in pairs or not names[i] or not names[j]:
                    continue
                if abs(len(names[i]) - len(names[j])) > 0.2 * max(len(names[i]), len(names[j])):
                    continue
                matcher.set_seq1(names[i])
                if matcher.real_quick_ratio() < 0.92 or matcher.quick_ratio() < 0.92:
                    continue
                ratio = matcher.ratio()
                if ratio >= 0.92:
                    pairs[(i, j)] = (round(ratio, 2), actors[j].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]
