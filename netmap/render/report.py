"""The HTML report: one self-contained file a non-specialist can read, email and print.

It opens with a headline (who is in the room, which constituencies of the
framework are there, what is missing), then the gap findings in plain
English by severity, figures and tables (:mod:`netmap.render.report_figures`), the most
central actors and the brokers, fragility, a still picture of the map (with a
link to the interactive one) and a short method section naming the
framework and the data sources. Nothing is loaded from the network; every
user-supplied string is escaped; print CSS makes it print or save to PDF
cleanly.

>>> from netmap.workspace import read_workspace
>>> from netmap.resources import sites_dir
>>> from netmap.workflows import run_map
>>> result = run_map(read_workspace(sites_dir() / "leeds"), folder=sites_dir() / "leeds")
>>> page = render_report(result)
>>> "What is missing" in page and "Service-user-led group" in page and "<svg" in page
True
"""


from __future__ import annotations

import datetime as _dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netmap.fileio import write_text_atomically
from netmap.gaps import KINDS, SEVERITIES, Finding
from netmap.privacy import privacy_note, suppression_note
from netmap.render.citations import sources_section
from netmap.render.commissioner import commissioner_section
from netmap.render.documents import site_summary
from netmap.render.glossary import glossary_html, term_for
from netmap.render.invite import invite_section
from netmap.render.page import fill_template, load_template, netmap_version
from netmap.render.report_figures import (
    central_section,
    community_figures,
    coverage_figure,
    distribution_figure,
    esc,
    fragility_section,
    join_words,
    map_section,
    mixing_figure,
    pct,
    plural,
)
from netmap.render.style import constituency_colours
from netmap.render.words import tie_counts_in_words
from netmap.scopes import constituency_counts

if TYPE_CHECKING:
    from netmap.decisions.invite import Plan
    from netmap.result import Result

__all__ = ["KIND_TITLES", "constituency_status", "render_index", "render_report", "write_index",
           "write_report"]

#: Plain-English headings of the kinds of finding.
KIND_TITLES = {
    "absent_constituency": "Constituencies that are absent",
    "under_represented": "Constituencies below the minimum",
    "peripheral_constituency": "Constituencies on the edge",
    "missing_link": "Expected links that are missing",
    "community_coverage": "Communities without organisations or voice",
    "fragility": "Fragility: who holds the system together",
    "ego_gap": "Gaps around key actors",
}
SEVERITY_TITLES = {"high": "Act on these first", "medium": "Worth attention", "low": "To keep an eye on"}

#: Kinds of finding whose numbers include a voice (a share of the network's PageRank).
_VOICED = ("peripheral_constituency", "community_coverage")

#: Findings shown per kind and severity before "and N more".
MAX_PER_GROUP = 12


def _inline_code(escaped: str) -> str:
    """Show `backticked` words of already escaped text as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


# --------------------------------------------------------------------------- facts


def constituency_status(result: Result) -> list[dict[str, Any]]:
    """One row per framework constituency: label, count, min_presence and status.

    ``status`` is ``absent`` (no actor holds it anywhere on the map),
    ``under`` (fewer than ``min_presence``), ``edge`` (a finding calls it
    peripheral) or ``present``. Counts are over the whole map.
    """
    held = constituency_counts(result.analysis.graph)
    edge = {f.subject for f in result.findings if f.kind == "peripheral_constituency"}
    rows = []
    for c in result.framework.constituencies:
        count = held.get(c.key, 0)
        status = ("absent" if count == 0 else "under" if count < c.min_presence
                  else "edge" if c.key in edge else "present")
        rows.append({"key": c.key, "label": c.label, "count": count, "min_presence": c.min_presence,
                     "status": status, "weight": c.weight, "sector": c.sector})
    return rows


def _absent_by_locality(result: Result) -> dict[str, list[str]]:
    """Constituencies absent in some localities but present on the map as a whole."""
    status = {r["key"]: r["status"] for r in constituency_status(result)}
    names = {loc.key: loc.name for loc in result.nmap.localities}
    found: dict[str, list[str]] = defaultdict(list)
    for f in result.findings:
        if f.kind == "absent_constituency" and status.get(f.subject) != "absent":
            found[f.subject].append(names.get(f.locality, f.locality))
    return found


def _finding_numbers(f: Finding) -> str:
    d = f.data or {}
    try:
        if f.kind in ("absent_constituency", "under_represented"):
            return f"{d.get('count', 0)} present, at least {d.get('min_presence', 1)} expected"
        if f.kind == "peripheral_constituency":
            bits = [f"{plural(int(d.get('count', 0)), 'actor')}"]
            if d.get("share") is not None:
                bits.append(f"{pct(d['share'])} of actors")
            if d.get("voice") is not None:
                bits.append(f"{pct(d['voice'])} of centrality")
            return ", ".join(bits)
        if f.kind == "missing_link":
            a, b = d.get("a_count", 0), d.get("b_count", 0)
            return f"{a} and {plural(b, 'actor')}, no tie between them" if a != 1 or b != 1 else (
                "1 actor each, no tie between them")
        if f.kind == "community_coverage":
            return (f"population {float(d.get('population_share', 0)):g}%, "
                    f"{plural(int(d.get('organisations', 0)), 'organisation')}, "
                    f"voice {float(d.get('voice', 0) or 0):.1f}%")
        if f.kind == "fragility" and d.get("reason") == "cut_vertex":
            return f"{plural(int(d.get('impact', 0)), 'actor')} would be cut off"
        if f.kind == "ego_gap":
            return f"no tie to {d.get('missing_count', 0)} of {d.get('framework_size', 0)} constituencies"
    except (TypeError, ValueError):
        return ""
    return ""


# --------------------------------------------------------------------------- sections


def _headline(result: Result, rows: list[dict[str, Any]]) -> str:
    fw = result.framework
    n = len(result.nmap.actors)
    present = [r for r in rows if r["status"] != "absent"]
    absent = [r["label"] for r in rows if r["status"] == "absent"]
    under = [r["label"] for r in rows if r["status"] == "under"]
    kinds = Counter(a.kind for a in result.nmap.actors)
    what = join_words([plural(kinds[k], k) for k in ("organisation", "group", "individual") if kinds.get(k)])
    who = what if len(kinds) == 1 else f"{plural(n, 'actor')} ({what})" if n else "no actors"
    parts = [f'<p class="who"><b>Who is in the room:</b> {esc(who)} in '
             f"<b>{len(present)} of the {len(fw.constituencies)} constituencies</b> of the "
             f"“{esc(fw.name)}” framework.</p>"]
    if absent:
        noun = plural(len(absent), "constituency", "constituencies")
        parts.append(f'<p class="missing"><b>What is missing:</b> {esc(noun)} '
                     f"{'is' if len(absent) == 1 else 'are'} absent: "
                     + "".join(f'<span class="chip">{esc(label)}</span>' for label in absent) + "</p>")
    else:
        parts.append('<p class="missing"><b>What is missing:</b> no constituency of the framework is absent.</p>')
    if under:
        parts.append(f"<p><b>Below the minimum:</b> {esc(join_words(under))}.</p>")
    local = _absent_by_locality(result)
    if local:
        items = [f"{fw.label(k)} (in {join_words(sorted(set(v)))})" for k, v in local.items()]
        parts.append(f"<p><b>Absent in some places:</b> {esc('; '.join(items))}.</p>")
    uncovered = [f for f in result.findings if f.kind == "community_coverage" and f.data.get("organisations") == 0]
    if uncovered:
        names = sorted({str(f.data.get("name", f.subject)) for f in uncovered})
        parts.append("<p><b>Communities with no organisation of their own on the map:</b> "
                     + "".join(f'<span class="chip community">{esc(name)}</span>' for name in names) + "</p>")
    counts = Counter(f.severity for f in result.findings)
    parts.append(f"<p><b>{esc(plural(len(result.findings), 'finding'))}:</b> "
                 + ", ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES) + " (listed below).</p>")
    return '<section class="headline" id="headline">' + "".join(parts) + "</section>"


def _cards(result: Result, rows: list[dict[str, Any]]) -> str:
    s = result.analysis.summary
    present = sum(r["status"] != "absent" for r in rows)
    actors, isolates = s.get("actors", 0), s.get("isolates", 0)
    items = [
        (f"{actors:,}", "actor" if actors == 1 else "actors"),
        *((f"{n:,}", word) for n, word in tie_counts_in_words(s)),
        (f"{present} / {len(rows)}", "constituencies present"),
        (f"{s.get('components', 0):,}", "separate parts" if s.get("components", 0) != 1 else "connected whole"),
        (f"{isolates:,}", "actor with no ties" if isolates == 1 else "actors with no ties"),
        (f"{100 * float(s.get('density') or 0):.1f}%", "of possible ties exist (density)"),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card"{_tip(label)}><div class="n">{esc(n)}</div><div class="l">{esc(label)}</div></div>'
        for n, label in items) + "</div>"


def _tip(label: str) -> str:
    """The glossary sentence of a card or a finding's numbers, as a tooltip (the word in brackets, else all)."""
    inner = re.search(r"\(([^)]+)\)$", label)
    found = term_for(inner.group(1)) if inner else None
    found = found or term_for(label)
    return f' title="{esc(found.text)}"' if found else ""


def _findings_section(result: Result) -> str:
    if not result.findings:
        return "<p>No gaps found against this framework.</p>"
    out = []
    names = {loc.key: loc.name for loc in result.nmap.localities}
    many_places = len(result.nmap.localities) > 1
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        out.append(f'<h3 class="severity"><span class="pill {severity}">{severity.upper()}</span>'
                   f"{esc(SEVERITY_TITLES[severity])} ({len(group)})</h3>")
        by_kind: dict[str, list[Finding]] = defaultdict(list)
        for f in group:
            by_kind[f.kind].append(f)
        for kind in sorted(by_kind, key=lambda k: KINDS.index(k) if k in KINDS else 99):
            items = by_kind[kind]
            out.append(f'<h4 class="kind">{esc(KIND_TITLES.get(kind, kind.replace("_", " ").capitalize()))} '
                       f"({len(items)})</h4><ul class=\"findings\">")
            for f in items[:MAX_PER_GROUP]:
                numbers = _finding_numbers(f)
                place = f" [{names.get(f.locality, f.locality)}]" if many_places and f.locality and \
                    names.get(f.locality, f.locality) not in f.message else ""
                out.append(f"<li>{esc(f.message)}{esc(place)}"
                           + (f' <span class="num"{_tip("voice") if f.kind in _VOICED else ""}>({esc(numbers)})</span>'
                              if numbers else "") + "</li>")
            out.append("</ul>")
            if len(items) > MAX_PER_GROUP:
                out.append(f'<p class="more">… and {len(items) - MAX_PER_GROUP} more of this kind '
                           "(every finding is in the CSV and JSON exports).</p>")
    return "".join(out)



def _method_section(result: Result, size_note: str = "") -> str:
    out = ["<p>netmap reads the partners of a local system and the ties between them from a workspace of "
           "spreadsheets, draws them as a network, measures it, and compares it with a framework of the "
           "constituencies a whole local system should hold.</p>"]
    if size_note:
        out.append(f"<p><b>Sampling:</b> {esc(size_note)}</p>")
    if people := privacy_note(result.nmap):
        out.append(f"<p><b>Individuals:</b> {esc(people)}</p>")
    if small := suppression_note(result.nmap.suppress_small):
        out.append(f"<p><b>Small counts:</b> {esc(small)}</p>")
    out.append('<h3 id="terms">What the terms mean</h3>')
    out.append(glossary_html())
    out.append(sources_section(result))
    return "".join(out)


# --------------------------------------------------------------------------- the page


def render_report(result: Result, *, map_href: str | None = None, invite: Plan | None = None) -> str:
    """The report of one analysed site as one self-contained HTML page.

    ``map_href`` (e.g. ``"map.html"``) links the interactive map; the report
    always carries a still picture of the network.
    """
    fw = result.framework
    G = result.analysis.graph
    colours = constituency_colours(fw.keys, [G.nodes[v].get("primary", "") for v in G])
    rows = constituency_status(result)
    nmap = result.nmap
    synthetic = "synthetic" in f"{nmap.key} {nmap.name} {nmap.description}".lower()
    meta = [f"Framework: {fw.name}"]
    if nmap.localities:
        meta.append("Places: " + ", ".join(loc.name for loc in nmap.localities))
    if nmap.snapshot:
        meta.append(f"As of {nmap.snapshot}")
    meta.append(f"Report made {_dt.date.today().isoformat()} with netmap {netmap_version()}")
    estimate = result.analysis.estimate_note()
    size_note = (f"The map is large. {estimate} netmap report --exact measures every actor exactly, more slowly."
                 if estimate else "")
    commissioners = commissioner_section(result)
    body = [
        f"<header><h1>{esc(result.title)}</h1>",
        f'<p class="meta">{esc(" · ".join(meta))}</p>',
        ('<p class="synthetic"><b>Synthetic data.</b> The organisations in this report are made up; it shows '
         "what netmap produces, not a real system.</p>") if synthetic else "",
        f"<p>{_inline_code(esc(nmap.description))}</p>" if nmap.description else "",
        "</header>",
        _headline(result, rows),
        _cards(result, rows),
        '<nav class="toc">Contents: <a href="#findings">Findings</a>'
        + ('<a href="#commissioners">For commissioners</a>' if commissioners else "")
        + '<a href="#coverage">Coverage</a>'
        '<a href="#communities">Communities</a><a href="#centrality">Who is central</a>'
        '<a href="#mixing">Mixing</a><a href="#fragility">Fragility</a><a href="#map">Map</a>'
        '<a href="#method">Method</a><a href="#terms">What the terms mean</a><a href="#sources">Sources</a></nav>',
        '<h2 id="findings">What the gap analysis found</h2>',
        "<p>Each finding compares the map with the framework, most serious first. The numbers behind each "
        "are in brackets.</p>",
        _findings_section(result),
        invite_section(invite, result) if invite is not None else "",
        commissioners,
        '<h2 id="coverage">Constituencies against the framework</h2>',
        coverage_figure(rows, fw.name, nmap.suppress_small),
        '<h2 id="communities">Communities against the local population</h2>',
        community_figures(result),
        '<h2 id="centrality">Who is central</h2>',
        distribution_figure(result),
        central_section(result, colours),
        '<h2 id="mixing">Who is tied to whom</h2>',
        mixing_figure(result),
        '<h2 id="fragility">Fragility: who holds the system together</h2>',
        fragility_section(result, colours),
        '<h2 id="map">The map</h2>',
        map_section(result, colours, map_href),
        '<h2 id="method">How this report was made</h2>',
        _method_section(result, size_note),
        '<footer>Made with netmap. This file is self-contained: it works offline and sends nothing anywhere. '
        "Data about small groups and individuals may identify them: share it with care.</footer>",
    ]
    return fill_template(load_template("report.html"), {
        "title": esc(result.title), "version": esc(netmap_version()), "body": "\n".join(b for b in body if b)})


def write_report(result: Result, path: str | Path, map_href: str | None = None, invite: Plan | None = None) -> Path:
    """Write the report of one site to ``path`` (atomically) and return the path; ``invite`` adds the plan."""
    path = write_text_atomically(path, render_report(result, map_href=map_href, invite=invite))
    result.outputs[path.name] = path
    return path


def render_index(entries: Sequence[tuple[Result, str, str]], *, title: str = "netmap demo",
                 changes: Sequence[tuple[str, str, str]] = ()) -> str:
    """A page linking the report and map of several sites: ``(result, report_href, map_href)`` each.

    ``changes`` adds a section "Change over time and across places": ``(title, summary, href)``
    per progress report or sites page.
    """
    items = []
    for result, report_href, map_href in entries:
        items.append(
            f'<li><h3>{esc(result.title)}</h3><p>{esc(site_summary(result))}</p>'
            f'<p><a href="{esc(report_href)}">Report</a> · <a href="{esc(map_href)}">Interactive map</a></p></li>')
    more = "".join(f'<li><h3><a href="{esc(href)}">{esc(name)}</a></h3><p>{esc(summary)}</p></li>'
                   for name, summary, href in changes)
    body = (f"<h1>{esc(title)}</h1><p class=\"meta\">Made {_dt.date.today().isoformat()} with netmap "
            f"{esc(netmap_version())}. Every file opens offline in a browser.</p>"
            f'<ul style="list-style:none;padding:0">{"".join(items)}</ul>')
    if more:
        body += f'<h2>Change over time and across places</h2><ul style="list-style:none;padding:0">{more}</ul>'
    return fill_template(load_template("report.html"), {"title": esc(title), "version": esc(netmap_version()),
                                                         "body": body})


def write_index(entries: Sequence[tuple[Result, str, str]], path: str | Path, *,
                title: str = "netmap demo", changes: Sequence[tuple[str, str, str]] = ()) -> Path:
    """Write :func:`render_index` to ``path``."""
    return write_text_atomically(path, render_index(entries, title=title, changes=changes))
