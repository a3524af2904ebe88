"""Sources: the public documents netmap's data cites (``data/sources.toml``), and resolving a ``source`` cell.

A ``source`` cell (of a workspace row, a population profile or a framework)
holds one or more citations separated by ``;``. A citation is a source key,
optionally followed by ``:`` and a detail (``ons-census-2021-ts021: Leeds``,
``netmap-synthetic: seed 7``); anything that does not start with a known key is
free text ("our minutes, May 2024") and is shown as written.

>>> [(c.key, c.detail) for c in parse_citations("synergi-creative-spaces; netmap-synthetic: seed 7")]
[('synergi-creative-spaces', ''), ('netmap-synthetic', 'seed 7')]
>>> [c.text for c in parse_citations("our minutes, May 2024") if c.source is None]
['our minutes, May 2024']
>>> load_sources()["ons-census-2021-ts021"].publisher
'Office for National Statistics'
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.resources import data_dir

__all__ = ["Citation", "Source", "cited_sources", "describe", "load_sources", "parse_citations", "read_sources",
           "sources_path", "unresolved"]

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_FIELDS = frozenset({"publisher", "title", "date", "url", "note", "supports", "synthetic"})
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Source:
    """One public document (or netmap's synthetic data), as ``data/sources.toml`` describes it."""

    key: str
    publisher: str
    title: str
    date: str = ""
    #: invented by netmap (the synthetic borough), not a public document
    synthetic: bool = False
    url: str = ""
    note: str = ""
    supports: str = ""

    @property
    def date_text(self) -> str:
        """The date as people write it: ``5 August 2020``, ``August 2020``, ``2020`` or ``undated``.

        >>> Source("k", "P", "T", date="2020-08-05").date_text, Source("k", "P", "T").date_text
        ('5 August 2020', 'undated')
        """
        if not self.date:
            return "undated"
        parts = self.date.split("-")
        if len(parts) == 1:
            return parts[0]
        month = _MONTHS[int(parts[1]) - 1]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"

    @property
    def short(self) -> str:
        """Publisher and title, for a caption: ``Office for National Statistics, Census 2021 table TS021: …``."""
        return f"{self.publisher}, {self.title}"

    def reference(self) -> str:
        """Publisher, title and date in one line, e.g. ``Inspire North, “Inspire North signs …”, 5 August 2020``."""
        label = "SYNTHETIC: " if self.synthetic else ""
        return f"{label}{self.publisher}, “{self.title}”, {self.date_text}"


@dataclass(frozen=True)
class Citation:
    """One citation of a ``source`` cell: the text as written, and the source it names (None for free text)."""

    text: str
    source: Source | None = None
    detail: str = ""

    @property
    def key(self) -> str:
        """The source key cited, or ``""`` for free text."""
        return self.source.key if self.source else ""


def sources_path() -> Path:
    """Where netmap's list of sources is: ``data/sources.toml``."""
    return data_dir() / "sources.toml"


def _source(path: Path, key: str, raw: object) -> Source:
    """One ``[key]`` table of the sources file, checked; :class:`ReferenceDataError` names the file, key and field."""
    where = f"{path}: source '{key}'"
    if not _KEY.match(key):
        raise ReferenceDataError(f"{where}: a key is lower-case letters, digits and '-'")
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{where}: must be a table of fields")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise ReferenceDataError(f"{where}: unknown field '{unknown[0]}' (fields: {', '.join(sorted(_FIELDS))})")
    for name in ("publisher", "title"):
        if not str(raw.get(name, "")).strip():
            raise ReferenceDataError(f"{where}: missing field '{name}'")
    date, url = str(raw.get("date", "")), str(raw.get("url", ""))
    if date and not _DATE.match(date):
        raise ReferenceDataError(f"{where}, field 'date': '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    if url and not url.startswith("https://"):
        raise ReferenceDataError(f"{where}, field 'url': '{url}' must start with https://")
    if not isinstance(raw.get("synthetic", False), bool):
        raise ReferenceDataError(f"{where}, field 'synthetic': must be true or false")
    return Source(key=key, publisher=str(raw["publisher"]).strip(), title=str(raw["title"]).strip(), date=date,
                  url=url, note=str(raw.get("note", "")).strip(), supports=str(raw.get("supports", "")).strip(),
                  synthetic=bool(raw.get("synthetic", False)))


def read_sources(path: Path) -> dict[str, Source]:
    """The sources of a TOML file, by key, in file order; :class:`ReferenceDataError` if it is unreadable or bad."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read sources: {exc}") from None
    return {key: _source(path, key, value) for key, value in raw.items()}


@lru_cache(maxsize=1)
def load_sources() -> dict[str, Source]:
    """netmap's sources (``data/sources.toml``), by key."""
    return read_sources(sources_path())


def parse_citations(text: str, sources: Mapping[str, Source] | None = None) -> list[Citation]:
    """The citations of one ``source`` cell, in order, each resolved against ``sources`` (netmap's by default).

    Parts are separated by ``;``; a part resolves when it is a known key, or a
    known key then ``:`` and a detail. Matching ignores case, surrounding
    spaces and a closing full stop; blank parts are skipped.
    """
    known = load_sources() if sources is None else sources
    found = []
    for part in str(text or "").split(";"):
        part = part.strip().rstrip(".").strip()  # a cell written as a sentence may end in a full stop
        if not part:
            continue
        key, _, detail = part.partition(":")
        source = known.get(key.strip().lower())
        found.append(Citation(part, source, detail.strip() if source else ""))
    return found


def describe(text: str, sources: Mapping[str, Source] | None = None) -> str:
    """A ``source`` cell in words: each known source's publisher and title, free text as written.

    >>> describe("ons-census-2021-ts021; our own count")
    'Office for National Statistics, Census 2021 table TS021: Ethnic group; our own count'
    """
    return "; ".join(c.source.short if c.source else c.text for c in parse_citations(text, sources))


def unresolved(text: str, sources: Mapping[str, Source] | None = None) -> list[str]:
    """The parts of a ``source`` cell that name no known source (free text, or a mistyped key)."""
    return [c.text for c in parse_citations(text, sources) if c.source is None]


def cited_sources(texts: Iterable[str], sources: Mapping[str, Source] | None = None
                  ) -> tuple[list[tuple[Source, int]], list[tuple[str, int]]]:
    """How often each source is cited by ``texts`` (one per row), and the free-text citations as written.

    Both lists are most cited first (ties in first-cited order). A row citing
    one source twice counts once for it.

    >>> known, free = cited_sources(["synergi-creative-spaces", "synergi-creative-spaces; minutes", "minutes"])
    >>> [(s.key, n) for s, n in known], free
    ([('synergi-creative-spaces', 2)], [('minutes', 2)])
    """
    by_source: Counter = Counter()
    free: Counter = Counter()
    index: dict[str, Source] = {}
    for text in texts:
        citations = parse_citations(text, sources)
        for key in dict.fromkeys(c.key for c in citations if c.source):
            by_source[key] += 1
        for c in citations:
            if c.source:
                index[c.key] = c.source
        for part in dict.fromkeys(c.text for c in citations if c.source is None):
            free[part] += 1
    return [(index[k], n) for k, n in by_source.most_common()], free.most_common()
