"""The progress report: what changed between two snapshots of a map, as one self-contained HTML file.

Made for the six-monthly progress update of a pledge or a partnership: the
two snapshots' names, the headline in words (:func:`netmap.render.compare.headline`),
before/after charts per constituency, the gaps closed and opened, the two maps
side by side on one layout with the changes marked
(:mod:`netmap.render.progress_figures`), the whole-network measures, a plain
table for funders that pastes cleanly into a spreadsheet, the findings, and
how the report was made (matching, the date rule, the permutation tests, the
sources). Nothing is loaded from the network; every user-supplied string is
escaped; print CSS puts each part on its own A4 page.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netmap.cells import clean_controls, neutralise
from netmap.decisions.significance import describe_method
from netmap.fileio import write_text_atomically
from netmap.gaps import KINDS
from netmap.privacy import privacy_note
from netmap.render.citations import sources_section
from netmap.render.compare import comparison_title, headline, measure_value, signed_change
from netmap.render.page import fill_template, load_template, netmap_version
from netmap.render.progress_figures import change_maps, findings_bars, legend_html, paired_bars
from netmap.render.report import KIND_TITLES
from netmap.render.report_figures import esc, join_words, plural

if TYPE_CHECKING:
    from netmap.decisions.compare import ActorChange, Comparison, FindingChange, TieChange

__all__ = ["render_progress_report", "write_progress_report"]

#: Items listed per group before "and N more".
LIST_MAX = 25

#: The report's own styles, added to the report template's.
_CSS = """<style>
.cards .n small { font-size: 15px; color: var(--muted); font-weight: 500; }
.cards .n.wide { font-size: 22px; white-space: nowrap; }
.maps { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.maps .snap h3 { margin: 0 0 4px; font-size: 15px; text-align: center; }
.maps svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
.legend { font-size: 13.5px; color: var(--muted); line-height: 2; }
.legend .mark { white-space: nowrap; margin-right: 12px; }
figure .legend svg { display: inline-block; vertical-align: middle; }
.warning { padding: 8px 12px; background: #fde8e6; border-radius: 6px; }
.about { color: #4a5568; font-size: 0.92em; }
.up { color: #1b6e35; } .down { color: #a32020; }
ul.changes { margin: 0 0 10px; padding-left: 20px; } ul.changes li { margin: 0 0 4px; }
.status { font-size: 12px; border-radius: 999px; padding: 1px 8px; color: #fff; margin-right: 6px; }
.status.closed { background: #2a7f62; } .status.opened { background: #c62828; }
.status.unchanged { background: #7b8594; }
table.funders td, table.funders th { padding-right: 16px; }
@media print {
  section.part { break-before: page; page-break-before: always; }
  section.part > h2 { margin-top: 0; border-top: 0; }
  .maps { gap: 6pt; } .maps svg { border: 0; }
  .headline, .cards, table, .legend { break-inside: avoid; page-break-inside: avoid; }
}
</style>"""

_SEVERITY = {"high": 0, "medium": 1, "low": 2}
_ARROW = {"up": "▲", "down": "▼", "same": "=", "n/a": "n/a"}


def _cell(value: Any) -> str:
    """A table cell that pastes as itself: numbers as numbers, text that a spreadsheet would run made plain."""
    if isinstance(value, (int, float)):
        return esc(value)
    return esc(neutralise(clean_controls(str(value))))


def _section(key: str, title: str, *parts: str) -> str:
    return f'<section class="part" id="{key}"><h2>{esc(title)}</h2>' + "".join(p for p in parts if p) + "</section>"


# --------------------------------------------------------------------------- lists of changes


def _actor_list(actors: Sequence[ActorChange], empty: str) -> str:
    if not actors:
        return f"<p>{esc(empty)}</p>"
    groups: dict[str, list[ActorChange]] = {}
    for a in actors:
        groups.setdefault(a.constituency_labels[0] if a.constituency_labels else "Unclassified", []).append(a)
    items = []
    for label, members in groups.items():
        names = [esc(a.name) for a in members[:LIST_MAX]]
        more = f" and {len(members) - LIST_MAX:,} more" if len(members) > LIST_MAX else ""
        items.append(f"<li><b>{esc(label)}</b> ({len(members):,}): {'; '.join(names)}{esc(more)}</li>")
    return '<ul class="changes">' + "".join(items) + "</ul>"


def _tie_list(ties: Sequence[TieChange], empty: str) -> str:
    if not ties:
        return f"<p>{esc(empty)}</p>"
    pairs = Counter((t.type.replace("_", " ").capitalize(), t.pair) for t in ties)
    summary = "; ".join(f"{kind}: {a} – {b} ({n:,})" for (kind, (a, b)), n in pairs.most_common(5))
    if len(pairs) > 5:
        summary += f"; {len(pairs) - 5:,} more"
    items = [f"<li>{esc(t.from_name)} – {esc(t.to_name)} <span class=\"more\">({esc(t.type.replace('_', ' '))}"
             + (f", since {esc(t.since)}" if t.since else "") + (f", until {esc(t.until)}" if t.until else "")
             + ")</span></li>" for t in ties[:LIST_MAX]]
    more = f'<p class="more">… and {len(ties) - LIST_MAX:,} more (netmap compare --json lists every one).</p>' \
        if len(ties) > LIST_MAX else ""
    return f"<p><b>By type and constituencies:</b> {esc(summary)}.</p><ul class=\"changes\">{''.join(items)}</ul>{more}"


def _seats(c: Comparison) -> str:
    if not c.memberships_started and not c.memberships_ended:
        return ""
    items = [f"<li><b>{esc(m.actor_name)}</b> {word} {esc(m.space_name)}" + (f" ({esc(m.role)})" if m.role else "")
             + "</li>" for word, group in (("joined", c.memberships_started), ("left", c.memberships_ended))
             for m in group[:LIST_MAX]]
    return '<h3>Seats in forums, boards and pledges</h3><ul class="changes">' + "".join(items) + "</ul>"


def _changes(c: Comparison) -> str:
    pictures, note = change_maps(c)
    caption = ("The two snapshots drawn on one layout, so each partner stands in the same place in both. Dots are "
               "partners coloured by main constituency; white squares are forums, boards or pledges, joined to "
               "their members; grey lines are ties that did not change.")
    return "".join([
        f'<p class="note">{esc(note)}</p>' if note else "",
        f'<figure id="chart-maps">{pictures}<figcaption>{esc(caption)}{legend_html(c)}</figcaption></figure>',
        f"<h3>Partners who joined ({len(c.joined):,})</h3>", _actor_list(c.joined, "No partner joined."),
        f"<h3>Partners who left ({len(c.left):,})</h3>", _actor_list(c.left, "No partner left."),
        f"<h3>Direct ties formed ({len(c.formed):,})</h3>", _tie_list(c.formed, "No direct tie formed."),
        f"<h3>Direct ties ended ({len(c.ended):,})</h3>", _tie_list(c.ended, "No direct tie ended."),
        _seats(c),
    ])


# --------------------------------------------------------------------------- constituencies and gaps


def _constituencies(c: Comparison) -> str:
    rows = [k for k in c.constituencies if k.count_before or k.count_after]
    if not rows:
        return "<p>No partner holds a constituency of the framework in either snapshot.</p>"
    kw = {"before_label": c.before_label, "after_label": c.after_label}
    share = paired_bars([{"label": k.label, "before": k.share_before, "after": k.share_after} for k in rows],
                        title="Share of partners holding each constituency, before and after", **kw)
    main = paired_bars([{"label": k.label, "before": k.primary_share_before, "after": k.primary_share_after}
                        for k in rows],
                       title="Share of partners whose main constituency it is, before and after", **kw)
    voice = paired_bars([{"label": k.label, "before": k.voice_before, "after": k.voice_after} for k in rows],
                        title="Voice of each constituency (share of the network's PageRank held by partners whose "
                              "main constituency it is), before and after", **kw)
    return (f'<figure id="chart-share"><div class="scroll">{share}</div><figcaption>Share: the partners holding '
            "the constituency anywhere in their list, as a share of all partners (a partner can hold several, so "
            "the shares may add up to more than 100%).</figcaption></figure>"
            f'<figure id="chart-main-share"><div class="scroll">{main}</div><figcaption>Main share: the partners '
            "whose main constituency it is, as a share of all partners (each partner counted once). This is the "
            "share to set the voice beside.</figcaption></figure>"
            f'<figure id="chart-voice"><div class="scroll">{voice}</div><figcaption>Voice: the share of the '
            "network’s PageRank held by partners whose main constituency it is, to compare with the share of "
            "partners whose main constituency it is (the chart above), not with the share holding it anywhere. "
            "Where everyone is tied to everyone the two are equal; a voice well below the main share means the "
            "constituency’s partners sit on the edge of the network.</figcaption></figure>")


def _finding_item(f: FindingChange) -> str:
    severity = (f"{f.severity_before} → {f.severity}" if f.status == "unchanged" and f.severity_before
                and f.severity_before != f.severity else f.severity)
    gone = f" · {f.not_progress}: not progress" if f.not_progress else f" · {f.not_new}" if f.not_new else ""
    return (f'<li><span class="status {esc(f.status)}">{esc(f.status)}</span>{esc(f.message)} '
            f'<span class="more">({esc(severity)}{gone})</span></li>')


def _gaps(c: Comparison) -> str:
    kinds = sorted({f.kind for f in c.findings}, key=lambda k: KINDS.index(k) if k in KINDS else 99)
    counts = [("All gaps", len(c.closed), len(c.opened), len(c.unchanged))]
    for kind in kinds:
        group = Counter(f.status for f in c.findings if f.kind == kind)
        counts.append((KIND_TITLES.get(kind, kind.replace("_", " ").capitalize()), group["closed"],
                       group["opened"], group["unchanged"]))
    chart = findings_bars(counts, title="Gaps closed, opened and unchanged, by kind")
    out = [f'<figure id="chart-gaps"><div class="scroll">{chart}</div><figcaption>Gap findings of the two '
           "snapshots matched by rule, place and subject: closed (only in the earlier), opened (only in the later) "
           "or unchanged (in both).</figcaption></figure>"]
    for status, title in (("closed", "Gaps closed"), ("opened", "Gaps opened"), ("unchanged", "Gaps that remain")):
        items = sorted((f for f in c.findings if f.status == status), key=lambda f: _SEVERITY.get(f.severity, 3))
        out.append(f'<h3 id="gaps-{status}">{title} ({len(items):,})</h3>')
        if not items:
            out.append("<p>None.</p>")
            continue
        out.append('<ul class="findings">' + "".join(_finding_item(f) for f in items[:LIST_MAX]) + "</ul>")
        if len(items) > LIST_MAX:
            out.append(f'<p class="more">… and {len(items) - LIST_MAX:,} more (netmap compare --json lists every '
                       "one).</p>")
    return "".join(out)


# --------------------------------------------------------------------------- tables


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool], css: str = "") -> str:
    right = ' class="n"'
    head = "".join(f"<th{right if n else ''}>{_cell(h)}</th>" for h, n in zip(header, numeric, strict=True))
    body = "".join("<tr>" + "".join(f"<td{right if n else ''}>{v}</td>"
                                    for v, n in zip(row, numeric, strict=True)) + "</tr>" for row in rows)
    cls = f' class="{css}"' if css else ""
    return f'<div class="scroll"><table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _measures(c: Comparison) -> str:
    rows = [[esc(m.label), esc(measure_value(m.before, m.key)), esc(measure_value(m.after, m.key)),
             f'<span class="{esc(m.direction)}">{_ARROW.get(m.direction, "")}</span> '
             f"{esc(signed_change(m.change, m.key))}"] for m in c.measures]
    out = [_table(["Measure", c.before_label, c.after_label, "Change"], rows, [False, True, True, True])
           if rows else "<p>No measures.</p>"]
    for title, shifts in (("Whose centrality rose most", c.risers), ("Whose centrality fell most", c.fallers)):
        if shifts:
            out.append(f"<h3>{esc(title)} ({esc(shifts[0].measure)})</h3>")
            out.append(_table(["Partner", "Constituency", c.before_label, c.after_label, "Change"],
                              [[esc(s.name), esc(s.constituency_label), esc(measure_value(s.before, "x")),
                                esc(measure_value(s.after, "x")), esc(signed_change(s.change, "x"))] for s in shifts],
                              [False, False, True, True, True]))
    return "".join(out)


def _number(value: float | None, digits: int = 3) -> float | int | str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return int(value) if float(value).is_integer() else round(float(value), digits)


def _delta(before: Any, after: Any) -> str:
    if before == "" or after == "":
        return ""
    change = round(after - before, 3)
    return "0" if change == 0 else f"{change:+g}"


def _funders(c: Comparison) -> str:
    """Plain tables with numbers only in the number columns: they paste into a spreadsheet as they are."""
    b, a = c.before, c.after
    rows: list[tuple[str, Any, Any]] = [
        ("Partners", len(b.nmap.actors), len(a.nmap.actors)),
        ("Direct ties", int(b.analysis.summary.get("direct_ties", 0)), int(a.analysis.summary.get("direct_ties", 0))),
        ("Tied pairs in all", int(b.analysis.summary.get("tied_pairs", 0)),
         int(a.analysis.summary.get("tied_pairs", 0))),
        ("Gaps found", len(b.findings), len(a.findings)),
    ]
    rows += [(m.label, _number(m.before), _number(m.after)) for m in c.measures]
    for k in c.constituencies:
        if k.count_before or k.count_after:
            rows.append((f"{k.label}: share of partners (%)", _number(100 * k.share_before, 1),
                         _number(100 * k.share_after, 1)))
            rows.append((f"{k.label}: main share of partners (%)", _number(100 * k.primary_share_before, 1),
                         _number(100 * k.primary_share_after, 1)))
            rows.append((f"{k.label}: voice (%)", _number(100 * k.voice_before, 1), _number(100 * k.voice_after, 1)))
    table = _table(["What", c.before_label, c.after_label, "Change"],
                   [[_cell(what), _cell(x), _cell(y), _cell(_delta(x, y))] for what, x, y in rows],
                   [False, True, True, True], css="funders")
    people = [(x.name, x.constituency_labels[0] if x.constituency_labels else "Unclassified", "joined")
              for x in c.joined] + [(x.name, x.constituency_labels[0] if x.constituency_labels else "Unclassified",
                                     "left") for x in c.left]
    who = _table(["Partner", "Constituency", "Change"], [[_cell(n), _cell(k), _cell(s)] for n, k, s in people],
                 [False, False, False], css="funders") if people else ""
    return ("<p>The numbers of this report as plain tables: select one, copy it and paste it into a spreadsheet or "
            "a document. Shares and voice are per cent: share counts the partners holding a constituency anywhere in "
            "their list; main share the partners whose main constituency it is; voice the share of the network’s "
            "PageRank those main members hold, to compare with the main share. Change is the later value minus "
            "the earlier.</p>" + table
            + (f"<h3>Partners who joined or left ({len(people):,})</h3>{who}" if who else ""))


# --------------------------------------------------------------------------- method


def _method(c: Comparison) -> str:
    tests = c.significance
    out = [
        "<h3>How the snapshots are matched</h3><p>A snapshot is the map at one moment: a workspace, a Neo4j map, "
        "a workspace at a git commit, or a map sliced at a date. Partners are matched by their id (spaces around "
        "it and capitals ignored), ties by their two ends and their type, and gaps by the rule that found them, "
        "the place and what they are about, so a gap whose wording changed is still the same gap.</p>",
        "<h3>The date rule</h3><p>Dates are a year, a month or a day (2024, 2024-06, 2024-06-15). A tie or "
        "seat that starts in a period holds from its first day (since 2024 means from 1 January 2024); one that "
        "ends in a period holds through its last day (until 2024-06 means through 30 June 2024). A snapshot at a "
        "date is the state on the last day of that date’s period (at 2024-06 is as at 30 June 2024). A tie or "
        "seat without dates holds at every date; a forum, board or pledge exists from its start to its end, and "
        "a seat outside those dates does not count. A partner with its own dates is left out outside them, with "
        "its ties.</p>",
        "<h3>Is a change larger than chance?</h3>",
    ]
    if tests:
        runs = sorted({(t.permutations, t.seed) for t in tests})  # one run in practice; each is said as it was
        out += [f"<p>{esc(describe_method(permutations, seed))}</p>" for permutations, seed in runs]
        rows = [[esc(t.label), esc(measure_value(t.before, t.measure)), esc(measure_value(t.after, t.measure)),
                 esc(f"{t.p_value:.3f}" if t.p_value is not None else "n/a"), esc(f"{t.permutations:,}"),
                 esc(t.seed), esc(t.note)] for t in tests]
        out.append(_table(["Measure", c.before_label, c.after_label, "p-value", "Permutations", "Seed", "Note"],
                          rows, [False, True, True, True, True, True, False]))
    else:
        out.append("<p>No permutation test was run for this comparison.</p>")
    if people := privacy_note(c.after.nmap):
        out.append(f"<p><b>Individuals:</b> {esc(people)}</p>")
    out.append(sources_section(c.after))
    return "".join(out)


# --------------------------------------------------------------------------- the page


def _cards(c: Comparison) -> str:
    b, a = c.before, c.after
    items = [
        (f"{len(b.nmap.actors):,} → {len(a.nmap.actors):,}", "partners"),
        (f"{len(c.joined):,} <small>/ {len(c.left):,}</small>", "joined / left"),
        (f"{len(c.formed):,} <small>/ {len(c.ended):,}</small>", "direct ties formed / ended"),
        (f"{len(c.closed):,}", "gap closed" if len(c.closed) == 1 else "gaps closed"),
        (f"{len(c.opened):,}", "gap opened" if len(c.opened) == 1 else "gaps opened"),
        (f"{len(c.unchanged):,}", "gap remains" if len(c.unchanged) == 1 else "gaps remain"),
    ]
    def number(n: str) -> str:  # a long "before → after" gets a smaller font so that it stays on one line
        return f'<div class="n{" wide" if "→" in n and len(n) > 7 else ""}">{n}</div>'

    return '<div class="cards">' + "".join(f'<div class="card">{number(n)}<div class="l">{esc(label)}'
                                           "</div></div>" for n, label in items) + "</div>"


def _two_maps(c: Comparison) -> bool:
    """True when the snapshots are of two maps (their keys differ), not one map at two moments."""
    return c.before.nmap.key.strip().casefold() != c.after.nmap.key.strip().casefold()


def render_progress_report(c: Comparison) -> str:
    """The progress report of a comparison as one self-contained HTML page."""
    nmap = c.after.nmap
    title = f"Progress: {comparison_title(c, '→')}" if _two_maps(c) else f"Progress: {c.after.title}"
    synthetic = any("synthetic" in f"{r.nmap.key} {r.nmap.name} {r.nmap.description}".lower()
                    for r in (c.before, c.after))
    meta = [f"From {c.before_label} to {c.after_label}", f"Framework: {c.after.framework.name}"]
    if nmap.localities:
        meta.append("Places: " + join_words([loc.name for loc in nmap.localities]))
    meta.append(f"Made {_dt.date.today().isoformat()} with netmap {netmap_version()}")
    warnings = list(c.warnings) + (["Compared with --force: the two snapshots have different places or "
                                    "frameworks, so some changes reflect that difference."] if c.forced else [])
    body = [
        _CSS,
        f"<header><h1>{esc(title)}</h1>",
        f'<p class="meta">{esc(" · ".join(meta))}</p>',
        ('<p class="synthetic"><b>Synthetic data.</b> The organisations in this report are made up; it shows what '
         "netmap produces, not a real system.</p>") if synthetic else "",
        "".join(f'<p class="warning"><b>Note:</b> {esc(w)}</p>' for w in warnings),
        "</header>",
        f'<section class="headline" id="headline"><p>{esc(headline(c))}</p></section>',
        (f'<p class="about"><b>About this map:</b> {esc(nmap.description)}</p>' if nmap.description else ""),
        _cards(c),
        '<nav class="toc">Contents: <a href="#changes">What changed</a><a href="#constituencies">Constituencies</a>'
        '<a href="#gaps">Gaps</a><a href="#measures">Measures</a><a href="#funders">For funders</a>'
        '<a href="#method">Method</a><a href="#sources">Sources</a></nav>',
        _section("changes", "What changed in the network", _changes(c)),
        _section("constituencies", "Constituencies before and after", _constituencies(c)),
        _section("gaps", f"Gaps: {plural(len(c.closed), 'closed', 'closed')}, {len(c.opened):,} opened, "
                 f"{len(c.unchanged):,} unchanged", _gaps(c)),
        _section("measures", "Whole-network measures", _measures(c)),
        _section("funders", "For funders: the numbers to quote", _funders(c)),
        _section("method", "How this report was made", _method(c)),
        '<footer>Made with netmap. This file is self-contained: it works offline and sends nothing anywhere. '
        "Data about small groups and individuals may identify them: share it with care.</footer>",
    ]
    return fill_template(load_template("report.html"), {
        "title": esc(title), "version": esc(netmap_version()), "body": "\n".join(b for b in body if b)})


def write_progress_report(c: Comparison, path: str | Path) -> Path:
    """Write :func:`render_progress_report` to ``path`` (atomically) and return the path."""
    return write_text_atomically(path, render_progress_report(c))

