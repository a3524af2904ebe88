"""The glossary: what netmap's terms mean, one plain sentence each, for the report, its tooltips and the docs.

The sentences live in ``data/glossary.toml``; the report's "What the terms
mean" list, the tooltips on its table headings and ``docs/glossary.md`` are all
made from them, so they cannot disagree. Regenerate the docs page with
``python -m netmap.render.glossary > docs/glossary.md``.

>>> glossary()["blau"].term
'Blau index'
>>> abbr("E-I index", "ei-index")[:30]
'<abbr title="Ties to other con'
"""

from __future__ import annotations

import html
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from netmap.errors import ReferenceDataError
from netmap.resources import data_dir

__all__ = ["GLOSSARY_DOC", "Term", "abbr", "glossary", "glossary_html", "glossary_markdown", "term_for"]

#: Where the glossary is in the docs (``netmap analyse`` points to it).
GLOSSARY_DOC = "docs/glossary.md"


@dataclass(frozen=True)
class Term:
    """One entry: the term as the reader meets it, its sentence, its group, other words it explains."""

    key: str
    term: str
    text: str
    group: str
    also: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def glossary() -> dict[str, Term]:
    """Every term of ``data/glossary.toml``, by key, in the file's order."""
    path = data_dir() / "glossary.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read the glossary: {exc}") from None
    terms = {}
    for key, item in raw.items():
        missing = [f for f in ("term", "text", "group") if not str(item.get(f, "")).strip()]
        if missing:
            raise ReferenceDataError(f"{path}: term '{key}': missing field '{missing[0]}'")
        terms[key] = Term(key, str(item["term"]), " ".join(str(item["text"]).split()), str(item["group"]),
                          tuple(str(a) for a in item.get("also", ())))
    return terms


@lru_cache(maxsize=1)
def _by_word() -> dict[str, str]:
    """Glossary key of each term and each of its other words, lower-cased."""
    found: dict[str, str] = {}
    for t in glossary().values():
        for word in (t.term, *t.also):
            found.setdefault(word.lower(), t.key)
    return found


def term_for(word: str) -> Term | None:
    """The glossary entry a word or table heading stands for (ignoring case), or None.

    >>> term_for("Betweenness").key, term_for("Unlinked pairs across constituencies").key, term_for("Actor").key
    ('betweenness', 'brokerage', 'actor')
    """
    key = _by_word().get(word.strip().lower())
    return glossary()[key] if key else None


def abbr(text: str, key: str) -> str:
    """``text`` (escaped) as an ``<abbr>`` whose tooltip is the glossary sentence of ``key``."""
    sentence = glossary()[key].text
    return f'<abbr title="{html.escape(sentence, quote=True)}">{html.escape(text)}</abbr>'


def _groups() -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {}
    for t in glossary().values():
        grouped.setdefault(t.group, []).append(t)
    return grouped


def glossary_html() -> str:
    """The report's "What the terms mean" list: one ``<dl>`` per group, each term with an anchor."""
    out = []
    for group, terms in _groups().items():
        out.append(f"<h4>{html.escape(group)}</h4><dl class=\"method glossary\">")
        out += [f'<dt id="term-{t.key}">{html.escape(t.term)}</dt><dd>{html.escape(t.text)}</dd>' for t in terms]
        out.append("</dl>")
    return "".join(out)


def glossary_markdown() -> str:
    """``docs/glossary.md``: the same sentences as the report, grouped, as Markdown."""
    lines = ["# What the terms mean", "",
             "<!-- Made from data/glossary.toml by `python -m netmap.render.glossary > docs/glossary.md`: "
             "edit that file, not this one. -->", "",
             "The words netmap's report, `netmap analyse` and the exports use, one plain sentence each. The "
             "report lists the same sentences under \"What the terms mean\" and shows each as a tooltip where "
             "the term appears.", ""]
    for group, terms in _groups().items():
        lines += [f"## {group}", ""]
        lines += [f"- **{t.term}**: {t.text}" for t in terms]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(glossary_markdown(), end="")
