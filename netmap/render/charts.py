"""Small hand-written SVG charts for the HTML report: no matplotlib, nothing to download.

Every function returns one ``<svg>`` element as a string, sized by its
``viewBox`` (it scales to the width of the page and prints crisply), with a
``<title>`` for screen readers. Every label is escaped.

>>> svg = histogram([0, 1, 1, 2, 5], xlabel="Ties", ylabel="Actors", title="Ties per actor")
>>> svg.startswith("<svg") and "Ties per actor" in svg
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from netmap.render.words import plural

__all__ = [
    "STATUS_COLOURS",
    "community_bars",
    "coverage_bars",
    "heatmap",
    "histogram",
    "network_picture",
]

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
INK = "#1d2430"
MUTED = "#5b6573"
GRID = "#e3e7ec"

#: Colours of the constituency coverage bars, by status.
STATUS_COLOURS = {
    "present": "#2a7f62",
    "edge": "#7fb8a4",
    "under": "#e3a008",
    "absent": "#c62828",
}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))


def _text_width(text: str, size: float = 12.0, bold: bool = False) -> float:
    """A rough width of a label in pixels (no font metrics offline; errs on the wide side)."""
    return len(text) * size * (0.64 if bold else 0.6)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: float, height: float, title: str, body: Iterable[str], *, css_class: str = "chart") -> str:
    return (f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" font-family=\'{FONT}\' font-size="12" '
            f'fill="{INK}"><title>{_e(title)}</title>' + "".join(body) + "</svg>")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _ticks(top: float, count: int = 4) -> list[float]:
    step = top / count
    return [step * k for k in range(count + 1)]


def _whole_step(value: float, most: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 25, 50, 100 ... that splits 0..``value`` into at most ``most`` steps."""
    for exponent in range(0, 12):
        for base in (1, 2, 2.5, 5):
            step = base * 10 ** exponent
            if step == int(step) and math.ceil(value / step) <= most:
                return int(step)
    return 10 ** 12


def _count_ticks(value: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least ``value`` (a count: no tick at 1.5 actors), at most ``most`` steps.

    >>> _count_ticks(2), _count_ticks(7), _count_ticks(37)
    ([0, 1, 2], [0, 2, 4, 6, 8], [0, 10, 20, 30, 40])
    """
    value = max(float(value), 1.0)
    step = _whole_step(value, most)
    return list(range(0, step * math.ceil(value / step) + 1, step))


def _grid(ticks: Sequence[float], left: float, scale: float, y1: int, y2: int, label_y: int,
          unit: str = "") -> list[str]:
    """Vertical grid lines of a bar chart from ``y1`` to ``y2``, each labelled with its value at ``label_y``."""
    out = []
    for tick in ticks:
        tx = left + tick * scale
        out.append(f'<line x1="{tx:.1f}" y1="{y1}" x2="{tx:.1f}" y2="{y2}" stroke="{GRID}"/>')
        out.append(f'<text x="{tx:.1f}" y="{label_y}" text-anchor="middle" fill="{MUTED}">{_num(tick)}{unit}</text>')
    return out


def _key(x: float, y: int, colour: str, text: str) -> list[str]:
    """One entry of a chart's key: a coloured square at (``x``, ``y``) and its text."""
    return [f'<rect x="{x:.1f}" y="{y}" width="11" height="11" rx="2" fill="{colour}"/>',
            f'<text x="{x + 15:.1f}" y="{y + 10}" fill="{MUTED}">{_e(text)}</text>']


# --------------------------------------------------------------------------- constituency coverage


def coverage_bars(rows: Sequence[Mapping[str, Any]], *, title: str = "Constituency coverage") -> str:
    """Horizontal bars: actors per constituency against the framework's minimum.

    Each row has ``label``, ``count``, ``min_presence`` and ``status``
    (``present``, ``edge`` (present but peripheral), ``under`` or ``absent``).
    A black tick marks the minimum; an absent constituency has no bar and a
    red "absent" note. A row with ``below`` N (a count hidden by --suppress-small)
    has a dashed outline up to N and the note "fewer than N" instead of its bar.
    """
    label_size = 12.5
    labels = [_clip(r["label"], 44) for r in rows]
    left = min(max((_text_width(t, label_size, bold=True) for t in labels), default=80) + 16, 330)
    plot = 400
    right = 130
    row_h = 24
    top = 34
    height = top + row_h * len(rows) + 30
    width = left + plot + right
    ticks = _count_ticks(max([float(r.get("below", r["count"])) for r in rows]
                             + [float(r["min_presence"]) for r in rows] + [1]))
    vmax = ticks[-1]
    scale = plot / vmax
    out = []
    legend = [("present", "present"), ("edge", "present, on the edge"), ("under", "below the minimum"),
              ("absent", "absent")]
    x = left
    for key, text in legend:
        out += _key(x, 8, STATUS_COLOURS[key], text)
        x += 15 + _text_width(text) + 16
    out.append(f'<line x1="{x:.1f}" y1="7" x2="{x:.1f}" y2="20" stroke="{INK}" stroke-width="2"/>')
    out.append(f'<text x="{x + 6:.1f}" y="18" fill="{MUTED}">minimum expected</text>')
    width = max(width, x + 6 + _text_width("minimum expected") + 10)
    out += _grid(ticks, left, scale, top - 4, height - 26, height - 10)
    for k, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = top + k * row_h
        status = row["status"]
        colour = STATUS_COLOURS.get(status, STATUS_COLOURS["present"])
        weight = ' font-weight="600"' if status in ("absent", "under") else ""
        out.append(f'<text x="{left - 10:.1f}" y="{y + 16}" text-anchor="end" font-size="{label_size}"'
                   f'{weight}><title>{_e(row["label"])}</title>{_e(label)}</text>')
        count = float(row.get("below", row["count"]))
        shown = f"fewer than {_num(count)}" if "below" in row else _num(count)
        if "below" in row:  # never the hidden number: an outline of the range it lies in
            out.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{count * scale:.1f}" height="{row_h - 8}" rx="2" '
                       f'fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 3"/>')
        elif count > 0:
            out.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{max(count * scale, 2):.1f}" height="{row_h - 8}" '
                       f'rx="2" fill="{colour}"/>')
        note = {"absent": "absent", "under": f"{shown} (needs {row['min_presence']})",
                "edge": f"{shown} · on the edge"}.get(status, shown)
        nx_ = left + count * scale + 6
        fill = STATUS_COLOURS["absent"] if status == "absent" else INK
        out.append(f'<text x="{nx_:.1f}" y="{y + 16}" fill="{fill}">{_e(note)}</text>')
        mx = left + float(row["min_presence"]) * scale
        out.append(f'<line x1="{mx:.1f}" y1="{y + 2}" x2="{mx:.1f}" y2="{y + row_h - 2}" stroke="{INK}" '
                   'stroke-width="2"/>')
    return _svg(width, height, title, out)


# --------------------------------------------------------------------------- community coverage


def community_bars(rows: Sequence[Mapping[str, Any]], *, title: str = "Community coverage") -> str:
    """Grouped horizontal bars per Census group: population share, share of organisations, share of voice.

    Each row has ``name``, ``population_share``, ``org_share`` and ``voice``
    (all per cent); a row with ``below`` N (hidden by --suppress-small) shows
    "fewer than N organisations" instead of its share of organisations.
    """
    series = [("population_share", "share of the local population", "#8d96a3"),
              ("org_share", "share of organisations serving them", "#2f6db5"),
              ("voice", "share of the network's centrality (voice)", "#e07b1a")]
    labels = [_clip(r["name"], 64) for r in rows]
    left = min(max((_text_width(t, 12.5) for t in labels), default=80) + 16, 440)
    plot = 380
    right = 60
    bar = 12
    group_h = bar * 3 + 16
    top = 64
    height = top + group_h * len(rows) + 28
    width = left + plot + right
    vmax = _nice_max(max([float(r[k] or 0) for r in rows for k, _, _ in series] + [1]))
    scale = plot / vmax
    out = []
    x = left
    for k, (_, text, colour) in enumerate(series):
        y = 6 + 17 * k
        x = left
        out += _key(x, y, colour, text)
    out += _grid(_ticks(vmax), left, scale, top - 4, height - 24, height - 8, "%")
    for k, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = top + k * group_h
        out.append(f'<text x="{left - 10:.1f}" y="{y + bar * 1.5 + 4:.1f}" text-anchor="end" font-size="12.5">'
                   f'<title>{_e(row["name"])}</title>{_e(label)}</text>')
        for s, (key, _, colour) in enumerate(series):
            value = float(row.get(key) or 0)
            by = y + s * bar
            if key == "org_share" and "below" in row:  # never the hidden number, nor a share giving it back
                out.append(f'<text x="{left + 4:.1f}" y="{by + bar - 2}" font-size="10.5" fill="{MUTED}">'
                           f'fewer than {_num(row["below"])} organisations</text>')
                continue
            if value > 0:
                out.append(f'<rect x="{left:.1f}" y="{by}" width="{max(value * scale, 1.5):.1f}" height="{bar - 1}" '
                           f'fill="{colour}"/>')
            note = f"{_num(round(value, 1))}%"
            if key == "org_share" and value == 0:
                note += " (no organisation on the map)"
            out.append(f'<text x="{left + value * scale + 4:.1f}" y="{by + bar - 2}" font-size="10.5" '
                       f'fill="{MUTED}">{_e(note)}</text>')
    return _svg(width, height, title, out)


# --------------------------------------------------------------------------- distribution


def _bins(data: Sequence[float], bins: int | None) -> tuple[list[float], int]:
    """Bin edges for a histogram, and the width of a bin in whole numbers (0 when the values are not whole).

    Whole numbers (counts) get whole-number bins: one per value up to 30
    values, else 2, 5, 10 ... values per bin, so no bin splits a count.
    """
    if all(v.is_integer() for v in data):
        lo, hi = min(0, int(min(data))), max(int(max(data)), 1)
        width = _whole_step(hi - lo + 1, 30)
        return [lo - 0.5 + width * k for k in range(math.ceil((hi - lo + 1) / width) + 1)], width
    count = bins or min(20, max(5, int(math.sqrt(len(data)))))
    lo, hi = min(data), max(data)
    if hi == lo:
        hi = lo + 1
    step = (hi - lo) / count
    return [lo + step * k for k in range(count + 1)], 0


def histogram(values: Sequence[float], *, xlabel: str, ylabel: str, title: str, bins: int | None = None) -> str:
    """A histogram of ``values``; counts (whole numbers) get whole-number bins (:func:`_bins`), else ``bins`` bins.

    The bar heights are counts, so the vertical axis has whole-number ticks only.
    """
    data = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    width, height = 640, 260
    left, right, top, bottom = 56, 16, 16, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    out: list[str] = []
    if not data:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{MUTED}">No actors</text>')
        return _svg(width, height, title, out)
    edges, whole = _bins(data, bins)
    counts = [0] * (len(edges) - 1)
    for v in data:
        k = min(int((v - edges[0]) / (edges[1] - edges[0])), len(counts) - 1)
        counts[max(k, 0)] += 1
    ticks = _count_ticks(max(counts))
    ymax = ticks[-1]
    bw = plot_w / len(counts)
    for tick in ticks:
        ty = top + plot_h - tick / ymax * plot_h
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{MUTED}">{tick}</text>')
    starts = [int(e + 0.5) for e in edges] if whole else []
    for k, c in enumerate(counts):
        h = c / ymax * plot_h
        x = left + k * bw
        if c:
            what = (str(starts[k]) if whole == 1 else f"{starts[k]}–{starts[k] + whole - 1}") if whole else \
                f"{_num(round(edges[k], 3))}–{_num(round(edges[k + 1], 3))}"
            out.append(f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(bw - 2, 1):.1f}" '
                       f'height="{h:.1f}" fill="#2f6db5"><title>{_e(what)}: {plural(c, "actor")}</title></rect>')
            if bw >= 16:
                out.append(f'<text x="{x + bw / 2:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle" '
                           f'font-size="10" fill="{MUTED}">{c}</text>')
    every = max(1, math.ceil(len(counts) / 12))
    for k in range(0, len(counts), every):
        x = left + (k + 0.5) * bw
        label = str(starts[k]) if whole else _num(round(edges[k], 3))
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{MUTED}">{label}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}"/>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 12}" text-anchor="middle">{_e(xlabel)}</text>')
    out.append(f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
               f"{_e(ylabel)}</text>")
    return _svg(width, height, title, out)


# --------------------------------------------------------------------------- mixing matrix


def _blend(a: str, b: str, t: float) -> str:
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#{:02x}{:02x}{:02x}".format(*(round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True)))


def _is_dark(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5


def _ratio_colour(observed: float, expected: float) -> str:
    if expected <= 0:
        return "#f4f5f7"
    ratio = (observed + 0.5) / (expected + 0.5)
    strength = min(abs(math.log2(ratio)) / 2.0, 1.0)
    return _blend("#f7f7f7", "#2166ac" if ratio < 1 else "#e66101", strength * 0.9)


def heatmap(observed: Any, expected: Any, labels: Mapping[str, str], *, title: str = "Mixing matrix") -> str:
    """Observed ties between constituencies, coloured by observed / expected under random mixing.

    ``observed`` and ``expected`` are square pandas DataFrames over the same
    groups (:func:`netmap.analysis.mixing_matrix`); ``labels`` names the
    groups. Orange = more ties than random mixing would give, blue = fewer.
    Each cell shows the observed count and, below it, the expected one.
    """
    keys = [str(k) for k in observed.index]
    names = [_clip(labels.get(k, k), 34) for k in keys]
    g = len(keys)
    cell = 36 if g <= 14 else 31
    left = min(max((_text_width(t, 12) for t in names), default=60) + 14, 260)
    reach = max((_text_width(t, 11.5) for t in names), default=60) * 0.71
    top = min(reach + 24, 210)
    width = left + cell * g + reach + 16
    height = top + cell * g + 54
    out = []
    for j, name in enumerate(names):
        x = left + j * cell + cell / 2 + 4
        out.append(f'<text transform="translate({x:.1f} {top - 8:.1f}) rotate(-45)" font-size="11.5">'
                   f'<title>{_e(labels.get(keys[j], keys[j]))}</title>{_e(name)}</text>')
    for i, name in enumerate(names):
        y = top + i * cell
        out.append(f'<text x="{left - 8:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">'
                   f'<title>{_e(labels.get(keys[i], keys[i]))}</title>{_e(name)}</text>')
        for j in range(g):
            o = float(observed.iloc[i, j])
            e = float(expected.iloc[i, j])
            x = left + j * cell
            fill = _ratio_colour(o, e)
            dark = _is_dark(fill)
            ink, muted = ("#ffffff", "#e8eef6") if dark else (INK, MUTED)
            tip = (f"{labels.get(keys[i], keys[i])} × {labels.get(keys[j], keys[j])}: "
                   f"{plural(int(o), 'tie')}, {e:.1f} expected")
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 1}" height="{cell - 1}" fill="{fill}">'
                       f"<title>{_e(tip)}</title></rect>")
            out.append(f'<text x="{x + cell / 2 - 0.5:.1f}" y="{y + cell / 2:.1f}" text-anchor="middle" '
                       f'font-size="11" font-weight="600" fill="{ink}">{_num(o)}</text>')
            out.append(f'<text x="{x + cell / 2 - 0.5:.1f}" y="{y + cell / 2 + 11:.1f}" text-anchor="middle" '
                       f'font-size="8.5" fill="{muted}">{e:.1f}</text>')
    ly = top + cell * g + 22
    lx = left
    out.append(f'<text x="{lx:.1f}" y="{ly + 10}" fill="{MUTED}">fewer ties than random mixing</text>')
    lx += _text_width("fewer ties than random mixing") + 10
    for ratio in (0.25, 0.5, 1.0, 2.0, 4.0):
        colour = _ratio_colour(10 * ratio - 0.5 * (1 - ratio), 10)
        out.append(f'<rect x="{lx:.1f}" y="{ly}" width="22" height="13" fill="{colour}" stroke="{GRID}"/>')
        lx += 24
    out.append(f'<text x="{lx + 6:.1f}" y="{ly + 10}" fill="{MUTED}">more ties than random mixing</text>')
    lx += 6 + _text_width("more ties than random mixing")
    out.append(f'<text x="{left:.1f}" y="{ly + 28}" fill="{MUTED}" font-size="11">Big number: ties observed. '
               "Small number: ties expected if partners mixed at random.</text>")
    return _svg(max(width, lx + 10, left + 460), height, title, out)


# --------------------------------------------------------------------------- a static picture of the map


def network_picture(nodes: Sequence[Mapping[str, Any]], edges: Iterable[tuple], *,
                    title: str = "The network", width: float = 900, max_edges: int = 20000) -> str:
    """A still picture of the map for the printed report.

    ``nodes`` have ``id``, ``x``, ``y`` (any units), ``size``, ``colour`` and
    optional ``cut``, ``isolate``, ``space`` (drawn as a white square) and
    ``label`` (give it to a few only; earlier nodes win when labels would
    overlap). ``edges`` are ``(u, v)`` or
    ``(u, v, dashed)`` tuples, drawn as thin grey paths (none beyond
    ``max_edges``).
    """
    if not nodes:
        return _svg(width, 80, title, [f'<text x="20" y="40" fill="{MUTED}">No actors</text>'])
    xs = [float(n["x"]) for n in nodes]
    ys = [float(n["y"]) for n in nodes]
    pad = max(float(n.get("size", 8)) for n in nodes) + 30
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    span_x, span_y = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    scale = width / span_x
    height = min(max(span_y * scale, 240), width * 0.9)
    scale = min(scale, height / span_y)
    ox = (width - span_x * scale) / 2 - x0 * scale
    oy = (height - span_y * scale) / 2 - y0 * scale
    where = {str(n["id"]): (float(n["x"]) * scale + ox, float(n["y"]) * scale + oy) for n in nodes}
    out = []
    solid: list[str] = []
    dashed: list[str] = []
    for k, edge in enumerate(edges):
        if k >= max_edges:
            break
        a, b = where.get(str(edge[0])), where.get(str(edge[1]))
        if a and b:
            (dashed if len(edge) > 2 and edge[2] else solid).append(f"M{a[0]:.1f} {a[1]:.1f}L{b[0]:.1f} {b[1]:.1f}")
    stroke = 0.6 if len(solid) + len(dashed) > 2000 else 0.9
    if solid:
        out.append(f'<path d="{"".join(solid)}" stroke="#8a939f" stroke-opacity="0.6" stroke-width="{stroke}" '
                   'fill="none"/>')
    if dashed:
        out.append(f'<path d="{"".join(dashed)}" stroke="#8a939f" stroke-opacity="0.6" stroke-width="{stroke}" '
                   'stroke-dasharray="4 3" fill="none"/>')
    node_scale = max(min(scale, 1.2), 0.25)
    for n in sorted(nodes, key=lambda n: float(n.get("size", 8))):
        x, y = where[str(n["id"])]
        r = max(float(n.get("size", 8)) * node_scale, 1.6)
        tip = f"<title>{_e(n.get('name', n['id']))}</title>"
        if n.get("space"):
            out.append(f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" rx="2" '
                       f'fill="#ffffff" stroke="#5b6573" stroke-width="1.4">{tip}</rect>')
            continue
        stroke_attrs = ' stroke="#d01010" stroke-width="2.4"' if n.get("cut") else (
            ' stroke="#4a4f57" stroke-width="1.2" stroke-dasharray="3 2"' if n.get("isolate")
            else ' stroke="#ffffff" stroke-width="0.8"')
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{_e(n["colour"])}"{stroke_attrs}>'
                   f"{tip}</circle>")
    taken: list[tuple[float, float, float, float]] = []
    for n in nodes:  # in the caller's order of priority; a label that would overlap another is left out
        if n.get("label"):
            x, y = where[str(n["id"])]
            r = max(float(n.get("size", 8)) * node_scale, 1.6)
            half = _text_width(n["label"], 11.5) / 2
            box = (x - half - 2, y + r + 1, x + half + 2, y + r + 15)
            if any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in taken):
                continue
            taken.append(box)
            weight = ' font-style="italic"' if n.get("space") else ""
            out.append(f'<text x="{x:.1f}" y="{y + r + 12:.1f}" text-anchor="middle" font-size="11.5"{weight} '
                       f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_e(n["label"])}</text>')
    return _svg(width, height, title, out, css_class="chart network")
