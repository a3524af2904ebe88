"""Several sites side by side, for the terminal and as one offline HTML page with a table and charts.

:func:`sites_text` prints a :class:`~netmap.decisions.sites.SiteComparison`
as a table that fits 100 columns (sites as columns, in blocks when there are
many); :func:`render_sites` makes a single self-contained HTML page (the
table, a chart of constituency shares and one of community coverage ratios,
the notes and the method), and :func:`write_sites` writes it atomically.
Nothing on the page is fetched from the network; every user string is
escaped, and every table cell is text a spreadsheet takes as text or a
number, never a formula (:func:`netmap.cells.neutralise`).

>>> from netmap.decisions.sites import SiteColumn, SiteComparison, SiteRow
>>> c = SiteComparison([SiteColumn("north", "North", "n", "whole-system", 12),
...                     SiteColumn("south", "South", "s", "whole-system", 30)],
...                    [SiteRow("density", "network", "Density", "ratio", (0.5, 0.25))])
>>> print(sites_text(c))  # doctest: +NORMALIZE_WHITESPACE
Sites side by side: north, south
<BLANKLINE>
Network              north     south
  Density             0.50      0.25
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from netmap.cells import neutralise
from netmap.decisions.sites import SECTIONS, SiteComparison, SiteRow
from netmap.fileio import write_text_atomically
from netmap.render.charts import GRID, INK, MUTED, _svg
from netmap.render.charts import _nice_max as _nice
from netmap.render.page import netmap_version
from netmap.render.words import NOT_AVAILABLE

__all__ = ["SITE_COLOURS", "cell_text", "grouped_bars", "render_sites", "sites_text", "write_sites"]

#: One colour per site, in order (Okabe and Ito's palette, distinguishable with colour-blindness).
SITE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#6f6f6f", "#000000")

WIDTH = 100  # the terminal table's width
_COLUMN = 12  # width of one site's column in the terminal


def cell_text(value: float | int | None, unit: str) -> str:
    """A value as the table shows it: counts whole, ratios to 2 places, per cent to 1, ``n/a`` when missing.

    >>> cell_text(0.8163, "ratio"), cell_text(14.2857, "percent"), cell_text(1200, "count"), cell_text(None, "x")
    ('0.82', '14.3%', '1,200', 'n/a')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    if unit == "count":
        return f"{int(value):,}"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "number":
        return f"{value:.1f}"
    return f"{value:.2f}"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sections(c: SiteComparison) -> list[tuple[str, list[SiteRow]]]:
    grouped: dict[str, list[SiteRow]] = {}
    for row in c.rows:
        grouped.setdefault(row.section, []).append(row)
    order = [*SECTIONS, *(k for k in grouped if k not in SECTIONS)]
    return [(key, grouped[key]) for key in order if key in grouped]


# --------------------------------------------------------------------------- the terminal


def sites_text(c: SiteComparison) -> str:
    """The comparison as plain text, at most 100 columns wide: the table, then the notes."""
    label_w = min(max([len(r.label) + 2 for r in c.rows] + [len(SECTIONS[s][0]) for s in SECTIONS] + [10]), 44)
    per_block = max(1, (WIDTH - label_w) // _COLUMN)
    lines = [f"Sites side by side: {', '.join(c.labels)}"]
    for start in range(0, len(c.sites), per_block):
        block = list(range(start, min(start + per_block, len(c.sites))))
        for key, rows in _sections(c):
            title = SECTIONS.get(key, (key, ""))[0]
            heads = "".join(_clip(c.sites[i].label, _COLUMN - 1).rjust(_COLUMN) for i in block)
            lines += ["", _clip(title, label_w).ljust(label_w) + heads]
            for row in rows:
                cells = "".join(cell_text(row.values[i], row.unit).rjust(_COLUMN) for i in block)
                lines.append(("  " + _clip(row.label, label_w - 2)).ljust(label_w) + cells)
    if c.notes:
        lines += ["", "Notes:"]
        lines += [_wrap("- " + note, WIDTH, "  ") for note in c.notes]
    return "\n".join(lines)


def _wrap(text: str, width: int, indent: str) -> str:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = indent + word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*out, line])


# --------------------------------------------------------------------------- charts


def _legend(labels: Sequence[str], left: float) -> tuple[list[str], float]:
    out, x = [], left
    for k, label in enumerate(labels):
        text = _clip(label, 30)
        out += [f'<rect x="{x:.1f}" y="8" width="11" height="11" rx="2" fill="{SITE_COLOURS[k % len(SITE_COLOURS)]}"/>',
                f'<text x="{x + 15:.1f}" y="18" fill="{MUTED}">{_e(text)}</text>']
        x += 15 + len(text) * 7.2 + 18
    return out, x


def grouped_bars(rows: Sequence[SiteRow], labels: Sequence[str], *, title: str, unit: str = "%",
                 reference: float | None = None, reference_label: str = "") -> str:
    """Horizontal bars, one group per row and one bar per site; an optional dashed line at ``reference``.

    A missing value (None) is written ``n/a`` instead of a bar, so it is never read as a zero.
    """
    k = len(labels)
    bar = 11 if k <= 4 else 8
    group_h = bar * k + 14
    names = [_clip(r.label, 40) for r in rows]
    left = min(max([len(t) * 7.0 for t in names] + [60]) + 16, 300)
    plot, top = 420, 34 if reference is None else 50
    values = [v for r in rows for v in r.values if v is not None]
    step = _nice(max([*values, reference or 0, 1e-9]) / 5)
    ticks = [step * k for k in range(math.ceil(max([*values, reference or 0, 1e-9]) / step) + 1)]
    vmax = ticks[-1]
    scale = plot / vmax
    height = top + group_h * len(rows) + 30
    out, legend_end = _legend(labels, left)
    for tick in ticks:
        tx = left + tick * scale
        out.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 26}" stroke="{GRID}"/>')
        shown = f"{tick:g}"
        out.append(f'<text x="{tx:.1f}" y="{height - 10}" text-anchor="middle" fill="{MUTED}">{shown}{unit}</text>')
    for g, (row, name) in enumerate(zip(rows, names, strict=True)):
        y = top + g * group_h
        out.append(f'<text x="{left - 10:.1f}" y="{y + bar * k / 2 + 4:.1f}" text-anchor="end" font-size="12.5">'
                   f'<title>{_e(row.label)}</title>{_e(name)}</text>')
        for s, value in enumerate(row.values):
            by = y + s * bar
            colour = SITE_COLOURS[s % len(SITE_COLOURS)]
            tip = f"{labels[s]}: {cell_text(value, row.unit)}"
            if value is None:
                out.append(f'<text x="{left + 4:.1f}" y="{by + bar - 2}" font-size="10" fill="{MUTED}">'
                           f'<title>{_e(tip)}</title>n/a</text>')
                continue
            width = max(value * scale, 1.5) if value > 0 else 0
            if width:
                out.append(f'<rect x="{left:.1f}" y="{by}" width="{width:.1f}" height="{bar - 1}" fill="{colour}">'
                           f'<title>{_e(tip)}</title></rect>')
            out.append(f'<text x="{left + width + 4:.1f}" y="{by + bar - 2}" font-size="10" fill="{MUTED}">'
                       f'{_e(cell_text(value, row.unit))}</text>')
    if reference is not None:
        rx = left + reference * scale
        out.append(f'<line x1="{rx:.1f}" y1="{top - 6}" x2="{rx:.1f}" y2="{height - 26}" stroke="{INK}" '
                   'stroke-width="1.5" stroke-dasharray="5 3"/>')
        out.append(f'<text x="{rx + 4:.1f}" y="{top - 8}" font-size="11" fill="{INK}">{_e(reference_label)}</text>')
    width = max(left + plot + 70, legend_end + 10)
    return _svg(width, height, title, out)


# --------------------------------------------------------------------------- the page


def _table(c: SiteComparison) -> str:
    heads = "".join(f'<th class="n" scope="col">{_e(neutralise(s.label))}</th>' for s in c.sites)
    body = []
    for key, rows in _sections(c):
        title = SECTIONS.get(key, (key, ""))[0]
        body.append(f'<tr class="section"><th scope="rowgroup" colspan="{len(c.sites) + 1}">'
                    f"{_e(neutralise(title))}</th></tr>")
        for row in rows:
            cells = "".join(f'<td class="n">{_e(cell_text(v, row.unit))}</td>' for v in row.values)
            body.append(f'<tr><th scope="row">{_e(neutralise(row.label))}</th>{cells}</tr>')
    return (f'<div class="scroll"><table id="sites-table"><thead><tr><th scope="col">Measure</th>{heads}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></div>')


def _charts(c: SiteComparison) -> str:
    shares = [r for r in c.rows if r.section == "share"]
    coverage = [replace(r, label=r.label.split(":")[0]) for r in c.rows if r.key.startswith("coverage:")]
    out = []
    if shares:
        out.append("<h3>Constituency share of actors</h3>")
        out.append(f"<figure>{grouped_bars(shares, c.labels, title='Constituency share of actors, per site')}"
                   "<figcaption>Share: the site's actors holding the constituency anywhere in their list (per "
                   "cent of the site's actors, so sites of different sizes compare). Voice, in the table, is the "
                   "share of PageRank held by actors whose main constituency it is: read it beside the main share "
                   "(actors whose main constituency it is), not beside this share.</figcaption></figure>")
    if coverage:
        out.append("<h3>Community coverage ratio</h3>")
        svg = grouped_bars(coverage, c.labels, title="Community coverage ratio, per site", unit="",
                           reference=1.0, reference_label="in proportion to the population")
        out.append(f"<figure>{svg}<figcaption>Organisations led by or serving each community (share of the "
                   "site's actors) over the community's share of the site's population: 1 is in proportion, "
                   "0 is no organisation; n/a where the site has no population profile.</figcaption></figure>")
    return "".join(out)


def _method(c: SiteComparison) -> str:
    items = "".join(f"<dt>{_e(title)}</dt><dd>{_e(text)}</dd>" for key, (title, text) in SECTIONS.items()
                    if any(r.section == key for r in c.rows))
    sites = []
    for s in c.sites:
        profiles = "; ".join(f"{p.name} ({p.source})" if p.source else p.name for p in s.profiles) or "none"
        sites.append(f"<li><b>{_e(s.label)}</b>: {_e(s.title)}, {s.actors:,} actors, framework "
                     f"<code>{_e(s.framework)}</code>, population profile: {_e(profiles)}</li>")
    return (f'<dl class="method">{items}</dl><h3>The sites</h3><ul class="sites">{"".join(sites)}</ul>')


_CSS = """
:root { --ink: #1d2430; --muted: #5b6573; --line: #dde2e8; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; overflow-wrap: anywhere;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 36px 28px 60px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 17px; margin: 22px 0 6px; }
.meta { color: var(--muted); margin-bottom: 18px; }
.notes { background: #fff8e6; border-radius: 8px; padding: 12px 18px 12px 34px; margin: 8px 0 18px; }
.notes li { margin: 0 0 6px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 14.5px; margin: 8px 0 18px; min-width: 60%; }
th, td { text-align: left; padding: 5px 14px 5px 0; border-bottom: 1px solid var(--line); }
thead th { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
tbody th { font-weight: 500; padding-left: 12px; }
tr.section th { padding: 14px 0 4px; font-weight: 650; font-size: 15px; border-bottom: 2px solid var(--line); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 18px 0 26px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 14.5px; margin-top: 6px; }
dl.method dt { font-weight: 650; margin-top: 10px; } dl.method dd { margin: 2px 0 0 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 13.5px; border-top: 1px solid var(--line);
  padding-top: 12px; }
@media print {
  @page { size: A4; margin: 16mm 14mm 18mm; }
  body { font-size: 10.5pt; line-height: 1.45; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .scroll { overflow: visible; }
  table { font-size: 9.5pt; }
  .notes { background: none; border: 1px solid #ccc; }
  footer { font-size: 8.5pt; }
}
"""


def render_sites(c: SiteComparison) -> str:
    """The comparison as one self-contained HTML page: notes, the table, two charts and the method."""
    names = ", ".join(c.labels)
    notes = "".join(f"<li>{_e(n)}</li>" for n in c.notes)
    notes_html = f'<ul class="notes" id="notes">{notes}</ul>' if notes else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">\n"
        f'<meta name="generator" content="netmap {_e(netmap_version())}">\n'
        f"<title>Sites side by side: {_e(names)} · netmap</title>\n<style>{_CSS}</style>\n</head>\n<body><main>\n"
        f"<h1>Sites side by side</h1>\n<p class=\"meta\">{_e(names)}: {len(c.sites)} sites, every figure "
        "normalised for the site's size (see How the figures are made).</p>\n"
        f"{notes_html}\n<h2 id=\"charts\">Charts</h2>\n{_charts(c)}\n"
        "<h2 id=\"table\">The figures</h2>\n<p class=\"meta\">Sites as columns, measures as rows. "
        "The table copies into a spreadsheet as it is.</p>\n"
        f"{_table(c)}\n"
        f"<h2 id=\"method\">How the figures are made</h2>\n{_method(c)}\n"
        f"<footer>Made with netmap {_e(netmap_version())}.</footer>\n</main></body>\n</html>\n"
    )


def write_sites(c: SiteComparison, path: str | Path) -> Path:
    """Write :func:`render_sites` to ``path`` atomically; returns the path."""
    return write_text_atomically(path, render_sites(c))
