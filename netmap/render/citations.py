"""The report's sources: what the framework, the population profiles and the map's rows cite, as a numbered list.

Each ``source`` text is resolved through :mod:`netmap.sources`: a key of
``data/sources.toml`` becomes a numbered reference (``[1]``) to an entry giving
the publisher, title, date and web address; free text a workspace uses ("our
minutes, May 2024") is shown as written. Web addresses are plain links the
reader may follow; nothing is loaded from them.

>>> from netmap.workspace import read_workspace
>>> from netmap.resources import sites_dir
>>> from netmap.workflows import run_map
>>> html_text = sources_section(run_map(read_workspace(sites_dir() / "leeds")))
>>> "Synergi Collaborative Centre" in html_text and 'id="source-ons-census-2021-ts021"' in html_text
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from netmap.reference import map_profiles
from netmap.render.words import plural
from netmap.sources import Citation, Source, cited_sources, parse_citations

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = ["sources_section"]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Numbering:
    """Numbers sources in the order the report first cites them."""

    def __init__(self) -> None:
        self.sources: dict[str, tuple[int, Source]] = {}

    def ref(self, source: Source) -> str:
        number = self.sources.setdefault(source.key, (len(self.sources) + 1, source))[0]
        return f'<a class="ref" href="#source-{_esc(source.key)}">[{number}]</a>'

    def cite(self, citations: list[Citation]) -> str:
        """The citations of one ``source`` text: references with their details, free text as written."""
        parts = []
        for c in citations:
            if c.source is None:
                parts.append(_esc(c.text))
            else:
                parts.append(self.ref(c.source) + (f" ({_esc(c.detail)})" if c.detail else ""))
        return ", ".join(parts)


def _entry(number: int, source: Source, *, people_hidden: bool = False) -> str:
    """One numbered entry: publisher, title and date; the link; the note; what netmap takes from it.

    With ``people_hidden`` (a map showing individuals by pseudonym) what netmap takes from the source is
    left out: it may name the people the page shows by pseudonym.
    """
    label = "<b>SYNTHETIC DATA.</b> " if source.synthetic else ""
    head = f"{label}{_esc(source.publisher)}, “{_esc(source.title)}”, {_esc(source.date_text)}."
    parts = [head + (f" {_esc(source.note)}" if source.note else "")]
    if source.url:
        parts.append(f'<a href="{_esc(source.url)}">{_esc(source.url)}</a>')
    if source.supports and not people_hidden:
        parts.append(f'<span class="supports">Used for: {_esc(source.supports)}</span>')
    return f'<li id="source-{_esc(source.key)}" value="{number}">' + "<br>".join(parts) + "</li>"


def _rows_line(result: Result, numbering: _Numbering) -> str:
    """Where the map's rows come from: each source with its number of rows, free text as written."""
    nmap = result.nmap
    texts = [item.source for group in (nmap.actors, nmap.ties, nmap.spaces, nmap.memberships)
             for item in group if item.source]
    if not texts:
        return ("<li><b>Where the map’s rows come from:</b> the workspace does not say (fill the "
                "<code>source</code> column).</li>")
    known, free = cited_sources(texts)
    shown = [f"{numbering.ref(s)} {plural(n, 'row')}" for s, n in known]
    shown += [f"{_esc(text)} ({plural(n, 'row')})" for text, n in free[:12]]
    more = f"; and {len(free) - 12} more" if len(free) > 12 else ""
    return (f"<li><b>Where the map’s rows come from</b> (the <code>source</code> column): "
            f"{'; '.join(shown)}{more}.</li>")


def sources_section(result: Result) -> str:
    """The "Framework and data" list and the numbered list of the sources it cites."""
    fw = result.framework
    numbering = _Numbering()
    size = plural(len(fw.constituencies), "constituency", "constituencies")
    links = plural(len(fw.expected_links), "expected link")
    cited = numbering.cite(parse_citations(fw.source)) or "not stated"
    out = ['<h3>Framework and data</h3><ul class="sources">',
           f"<li><b>Framework:</b> “{_esc(fw.name)}” ({_esc(size)}, {_esc(links)}), drawn from {cited}.</li>"]
    profiles = map_profiles(result.nmap)
    used = []
    for loc in result.nmap.localities:
        if loc.population and loc.population in profiles:
            p = profiles[loc.population]
            cited = numbering.cite(parse_citations(p.source)) or "source not stated"
            used.append(f"{_esc(loc.name)}: {_esc(p.name)}, {cited}")
    shown = "; ".join(dict.fromkeys(used)) if used else "none set for this map"
    out.append(f"<li><b>Population profiles:</b> {shown}.</li>")
    out.append(_rows_line(result, numbering))
    if result.nmap.snapshot:
        out.append(f"<li><b>Snapshot:</b> the map describes the system as of {_esc(result.nmap.snapshot)}.</li>")
    out.append("</ul>")
    out.append('<h3 id="sources">Sources</h3>')
    if numbering.sources:
        out.append('<ol class="source-list">')
        hidden = bool(result.nmap.pseudonyms)
        out += [_entry(number, source, people_hidden=hidden) for number, source in numbering.sources.values()]
        out.append("</ol>")
        if hidden:
            out.append("<p class=\"more\">What netmap takes from each source is left out here: it can name people "
                       "this page shows by pseudonym.</p>")
    else:
        out.append("<p>This map cites none of the sources netmap knows; the sources it names are given above as "
                   "written.</p>")
    return "".join(out)
