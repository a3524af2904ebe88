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
from typing import TYPE_CHECKING

from netmap.model import Actor

if TYPE_CHECKING:
    import numpy as np


def _ascii_forms() -> dict[int, str | None]:
    """What :func:`normalise_name`'s steps make of each ASCII character, found by running them on it: '&' is
    ' and ', an apostrophe or full stop goes, other punctuation, '_' and every space are one space."""
    forms: dict[int, str | None] = {}
    for code in range(128):
        c = chr(code)
        form = re.sub(r"[\s_]+", " ", re.sub(r"[^\w\s]", " ", re.sub(r"['\u2019.]", "", c.replace("&", " and "))))
        forms[code] = None if not form else form if form != c else c
    return forms


_ASCII_FORMS = _ascii_forms()


def normalise_name(name: str) -> str:
    """A form of a name that ignores case, accents, spacing and punctuation.

    >>> normalise_name("  The Leeds  GATE! ") == normalise_name("leeds gate")
    True
    >>> normalise_name("Health & Social Care") == normalise_name("health and social care")
    True
    """
    text = str(name)
    if text.isascii():  # most names: no accents to strip, and one pass over the characters does the rest
        return " ".join(text.lower().translate(_ASCII_FORMS).split()).removeprefix("the ")
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


def _exact_pairs(actors: list[Actor], names: list[str]) -> dict[tuple[int, int], tuple[float, str]]:
    """Each actor whose name or alias normalises as an earlier actor's did, paired with the first of them
    (score 1.0, the name that matched); ``names`` are the actors' normalised main names."""
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    seen: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for k, name in enumerate((actor.name, *actor.aliases)):
            norm = normalise_name(name) if k else names[i]
            if norm:
                first = seen.setdefault(norm, i)
                if first != i:
                    pairs.setdefault((first, i), (1.0, name))
    return pairs


def likely_duplicates(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """Pairs of actor positions whose names (or aliases) look like the same organisation.

    Each pair comes once, as ``(i, j, score, matched)``, sorted: exact matches
    after :func:`normalise_name` score 1.0 and ``matched`` is the shared name;
    near matches of the main names (difflib ratio >= 0.92, ``matched`` the
    later actor's name) are reported too, at any size. Complexity: O(n) for
    exact matches; near matches are only scored for pairs that share enough
    character trigrams (an index of each name's rarest trigrams, see
    :func:`_candidate_pairs`), never missing a pair an all-pairs scan would
    report. The index still meets O(n^2) pairs when names draw on a small
    stock of words: about 10x faster than the all-pairs scan at 1,000-3,000
    actors, but about a minute at 10,000 (``bench/duplicates.py``).

    >>> likely_duplicates([Actor("a", "Leeds C.C.G."), Actor("b", "Leeds CCG")])
    [(0, 1, 1.0, 'Leeds CCG')]
    >>> likely_duplicates([Actor("a", "Mind Manchester"), Actor("b", "Mind Manchster")])
    [(0, 1, 0.97, 'Mind Manchster')]

    Above :data:`INDEX_MAX_ACTORS` actors (a national register) the all-pairs
    guarantee is dropped for blocking, which stays O(n log n): each name is
    scored against its :data:`WINDOW` neighbours in alphabetical order, and
    in the order of the names read backwards (so a slip in the first or the
    last word is still found); an actor sharing a normalised name or alias
    with earlier ones is paired with the first of them only.
    """
    if len(actors) > INDEX_MAX_ACTORS:
        return _blocked_duplicates(actors)
    names = [normalise_name(a.name) for a in actors]
    pairs = _exact_pairs(actors, names)
    groups: dict[str, list[int]] = {}  # normalised main name -> positions, ascending
    for i, norm in enumerate(names):
        if norm:
            groups.setdefault(norm, []).append(i)
    for members in groups.values():  # the same main name: difflib ratio 1.0
        for k, j in enumerate(members):
            for i in members[:k]:
                pairs.setdefault((i, j), (1.0, actors[j].name))
    distinct = list(groups)
    matcher = difflib.SequenceMatcher(autojunk=False)
    for a, b in _candidate_pairs(distinct):
        ratios: dict[bool, float] = {}  # difflib's ratio depends on which name comes first
        for i in groups[distinct[a]]:
            for j in groups[distinct[b]]:
                forward = i < j
                first, second = (i, j) if forward else (j, i)
                if (first, second) in pairs:
                    continue
                if forward not in ratios:
                    ratios[forward] = _ratio(matcher, names[first], names[second])
                if ratios[forward] >= FUZZY_THRESHOLD:
                    pairs[(first, second)] = (round(ratios[forward], 2), actors[second].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]


#: Up to this many actors every pair that could reach the threshold is scored
#: (the trigram index); above it, names are compared within a sorted window.
INDEX_MAX_ACTORS = 3000
#: Neighbours each name is compared with, in each sorted order, above :data:`INDEX_MAX_ACTORS`.
WINDOW = 6


def _blocked_duplicates(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """:func:`likely_duplicates` for large maps, by sorted-neighbourhood blocking (O(n log n + n WINDOW)).

    Each name is normalised once; every window pair's ratio is computed at once, compiled
    (:func:`~netmap.workspace.similarity.ratios`, the ratio difflib gives), then the pairs are taken in the
    order of the windows, so the first pass to reach a pair gives its score.
    """
    from netmap.workspace.similarity import code_points, ratios

    names = [normalise_name(a.name) for a in actors]
    pairs = _exact_pairs(actors, names)
    first_of: dict[str, int] = {}
    for i, norm in enumerate(names):
        if norm:
            first_of.setdefault(norm, i)
    distinct = list(first_of)
    points = code_points(distinct)
    counts = _char_counts(points)
    for reverse in (False, True):  # alphabetical order, then the order of the names read backwards
        order = sorted(range(len(distinct)), key=(lambda k: distinct[k][::-1]) if reverse else distinct.__getitem__)
        firsts, seconds = _window_candidates(distinct, order, counts)
        scores = ratios(distinct, firsts, seconds, points).tolist()
        for a, b, ratio in zip(firsts.tolist(), seconds.tolist(), scores, strict=True):
            i, j0 = first_of[distinct[a]], first_of[distinct[b]]
            pair = (min(i, j0), max(i, j0))
            if ratio >= FUZZY_THRESHOLD and pair not in pairs:
                pairs[pair] = (round(ratio, 2), actors[pair[1]].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]


def _char_counts(points: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """How often each name holds each character (a row per name), from
    :func:`~netmap.workspace.similarity.code_points`: characters numbered in the order the names first use
    them, the 256th and later sharing the last column."""
    import numpy as np

    chars, starts = points
    found, first, inverse = np.unique(chars, return_index=True, return_inverse=True)
    rank = np.empty(len(found), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(found))
    width = max(1, min(len(found), 256))
    names = len(starts) - 1
    cells = np.repeat(np.arange(names, dtype=np.int64), np.diff(starts)) * width
    cells += np.minimum(rank, 255)[inverse.reshape(-1)]
    return np.bincount(cells, minlength=names * width).astype(np.int32).reshape(names, width)


def _window_candidates(distinct: list[str], order: list[int], counts: np.ndarray | None = None,
                       ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``(a, b)`` of :func:`_blocked_duplicates`' sorted window, in its order (as two arrays, of the
    a's and of the b's), that pass the length test and difflib's two upper bounds on the ratio
    (``real_quick_ratio`` and ``quick_ratio``, computed for every pair at once from character counts). A
    pair left out could not reach :data:`FUZZY_THRESHOLD`; characters beyond the 255 first met share one
    count, which can only let more pairs through to the exact ratio. ``counts`` is :func:`_char_counts` of
    ``distinct`` if already made.

    >>> [x.tolist() for x in _window_candidates(["mind leeds", "mind leed", "zz"], [0, 1, 2])]
    [[0], [1]]
    """
    import numpy as np

    from netmap.workspace.similarity import code_points

    if counts is None:
        counts = _char_counts(code_points(distinct))
    lengths = counts.sum(axis=1, dtype=np.int64)
    rank = np.arange(len(order))
    kept = []
    for back in range(min(WINDOW, len(order) - 1), 0, -1):  # a is `back` places before b in the order
        b = np.asarray(order[back:], dtype=np.int64)
        a = np.asarray(order[:len(order) - back], dtype=np.int64)
        la, lb = lengths[a], lengths[b]
        total = la + lb
        keep = (np.abs(la - lb) <= 0.2 * np.maximum(la, lb)) & (2.0 * np.minimum(la, lb) / total >= FUZZY_THRESHOLD)
        a, b, total, at = a[keep], b[keep], total[keep], rank[back:][keep]
        shared = np.concatenate([np.minimum(counts[a[k:k + 8192]], counts[b[k:k + 8192]]).sum(axis=1)
                                 for k in range(0, len(a), 8192)] or [np.zeros(0, dtype=np.int64)])
        keep = 2.0 * shared / total >= FUZZY_THRESHOLD
        kept.append(np.stack([at[keep], -np.full(int(keep.sum()), back), a[keep], b[keep]], axis=1))
    if not kept:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pairs = np.concatenate(kept)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]  # by b's rank, then a from the farthest back
    return pairs[:, 2], pairs[:, 3]


def _ratio(matcher: difflib.SequenceMatcher, first: str, second: str) -> float:
    """difflib's ratio of two names, or 0.0 once a cheaper upper bound rules the pair out."""
    if not _lengths_close(len(first), len(second)):
        return 0.0
    matcher.set_seqs(first, second)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return matcher.ratio()


#: Near matches: difflib's ratio of the normalised main names at least this.
FUZZY_THRESHOLD = 0.92
#: Length of the character q-grams the candidate index is built on.
_Q = 3


def _min_matches(total: int) -> int:
    """The fewest matching characters difflib needs for ``ratio >= FUZZY_THRESHOLD`` at this total length.

    Evaluated with difflib's own float expression, so the bound is exact.

    >>> _min_matches(60), _min_matches(12)
    (28, 6)
    """
    m = max(0, int(FUZZY_THRESHOLD * total / 2) - 2)
    while 2.0 * m / total < FUZZY_THRESHOLD:
        m += 1
    return m


def _lengths_close(la: int, lb: int) -> bool:
    """The length test of the scan: names whose lengths differ by over 20% are never compared."""
    return abs(la - lb) <= 0.2 * max(la, lb)


def _min_shared_qgrams(la: int, lb: int) -> int | None:
    """A lower bound on the q-grams two names of these lengths share if their ratio passes, or None if none can pass.

    difflib's ratio is ``2 * M / (la + lb)`` where ``M`` adds up the lengths of
    matching blocks: common substrings, in the same order in both names, any
    two separated by at least one unmatched character. So there are at most
    ``la + lb - 2M + 1`` blocks, and a block of ``k`` characters gives
    ``k - q + 1`` q-grams found in both names, at matching offsets:
    ``shared >= M - (q - 1) * (la + lb - 2M + 1)``, increasing in ``M``.

    >>> _min_shared_qgrams(30, 31), _min_shared_qgrams(30, 40), _min_shared_qgrams(5, 6)
    (21, None, None)
    """
    total = la + lb
    m = _min_matches(total)
    if m > min(la, lb) or not _lengths_close(la, lb):
        return None
    return m - (_Q - 1) * (total - 2 * m + 1)


def _qgram_tokens(name: str) -> list[tuple[str, int]]:
    """The q-grams of a name, each repeat numbered, so multiset overlap becomes set overlap."""
    seen: dict[str, int] = {}
    tokens = []
    for k in range(len(name) - _Q + 1):
        gram = name[k:k + _Q]
        seen[gram] = seen.get(gram, 0) + 1
        tokens.append((gram, seen[gram]))
    return tokens


def _candidate_pairs(names: list[str]) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, a < b, of distinct ``names`` that may have difflib ratio >= FUZZY_THRESHOLD.

    Complete (every passing pair is listed), by the q-gram count bound of
    :func:`_min_shared_qgrams` and prefix filtering (as in PPJoin): with the
    q-grams of each name ordered rarest first, two token sets sharing ``t`` or
    more tokens share one among the first ``len - t + 1`` of each, so only
    those prefixes are indexed. A name for which the bound says nothing is
    compared with every name of a close length.

    >>> _candidate_pairs(["caribbean health network", "carribean health network", "mind manchester"])
    [(0, 1)]
    """
    lengths = [len(n) for n in names]
    present = sorted(set(lengths))
    least = {(la, lb): t for la in present for lb in present
             if (t := _min_shared_qgrams(la, lb)) is not None}
    need = {la: min((t for (a, _), t in least.items() if a == la), default=None) for la in present}
    ids: dict[tuple[str, int], int] = {}
    tokens = [[ids.setdefault(t, len(ids)) for t in _qgram_tokens(n)] for n in names]
    freq = [0] * len(ids)
    for toks in tokens:
        for t in toks:
            freq[t] += 1
    index: dict[int, list[int]] = {}
    loose: list[int] = []  # names the count bound cannot prune: compared by length alone
    found: set[tuple[int, int]] = set()
    for b, toks in enumerate(tokens):
        t_min = need[lengths[b]]
        if t_min is None:
            continue  # no name of a present length can be close enough
        if t_min <= 0:
            loose.append(b)
            continue
        toks.sort(key=lambda t: (freq[t], t))
        for t in toks[:max(0, len(toks) - t_min + 1)]:
            postings = index.setdefault(t, [])
            found.update((a, b) for a in postings if (lengths[a], lengths[b]) in least)
            postings.append(b)
    for b in loose:
        found.update((min(a, b), max(a, b)) for a in range(len(names))
                     if a != b and (lengths[a], lengths[b]) in least)
    sets = [set(toks) for toks in tokens]
    # the count filter, on all the q-grams
    return sorted((a, b) for a, b in found if len(sets[a] & sets[b]) >= least[lengths[a], lengths[b]])
