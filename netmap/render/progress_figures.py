"""The figures of the progress report: before/after bars, gaps closed and opened, and the two maps side by side.

Every function returns inline SVG (or HTML holding it), escaped, with nothing
to download. The two maps share ONE seeded layout, computed on the union of
both snapshots, so a partner stands in the same place in both pictures. The
changes are marked with classes a reader (or a test) can count:
``actor-joined`` (a green ring, in the later picture), ``actor-left`` (grey
and dashed, in the earlier one), ``tie-formed`` (green) and ``tie-ended``
(red, dashed), and ``seat-started`` / ``seat-ended`` for seats in forums,
boards and pledges.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from netmap.render.charts import INK, MUTED, _clip, _e, _grid, _key, _nice_max, _svg, _text_width, _ticks
from netmap.render.layout import SPACE_PREFIX, SPACE_TIE, drawn_graph, layout_drawn_graph
from netmap.render.style import constituency_colours

if TYPE_CHECKING:
    from netmap.decisions.compare import Comparison
    from netmap.result import Result

__all__ = ["BIG_MAP", "CHANGE_COLOURS", "change_maps", "findings_bars", "paired_bars"]

#: Colours of what changed (the same in the charts, the maps and the legend).
CHANGE_COLOURS = {"before": "#b3bbc6", "after": "#2f6db5", "closed": "#2a7f62", "opened": "#c62828",
                  "unchanged": "#9aa3ae", "joined": "#1b8a3a", "left": "#6d7680", "formed": "#1b8a3a",
                  "ended": "#c62828"}

#: Above this many partners (both snapshots together) the maps show the best-tied and changed partners only.
BIG_MAP = 300
#: How many partners a big map's pictures show: the best tied, then the changed ones.
BIG_TOP, BIG_CHANGED = 150, 50


def canon(value: Any) -> str:
    """An id as snapshots match it: spaces around it and the case of its letters ignored."""
    return str(value).strip().casefold()


# --------------------------------------------------------------------------- before/after bars


def paired_bars(rows: Sequence[Mapping[str, Any]], *, title: str, before_label: str, after_label: str,
                unit: str = "%") -> str:
    """Two bars per row (``label``, ``before``, ``after``, shares 0 to 1): the earlier grey, the later blue."""
    label_size = 12.5
    labels = [_clip(r["label"], 44) for r in rows]
    left = min(max((_text_width(t, label_size) for t in labels), default=80) + 16, 330)
    plot, right, bar, top = 380, 110, 11, 46
    group = 2 * bar + 12
    height = top + group * len(rows) + 28
    vmax = _nice_max(100 * max([float(r[k] or 0) for r in rows for k in ("before", "after")] + [0.01]))
    scale = plot / vmax
    out = _key(left, 8, CHANGE_COLOURS["before"], before_label)
    out += _key(left + 30 + _text_width(before_label), 8, CHANGE_COLOURS["after"], after_label)
    out += _grid(_ticks(vmax), left, scale, top - 6, height - 24, height - 8, unit)
    for k, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = top + k * group
        out.append(f'<text x="{left - 10:.1f}" y="{y + bar + 4}" text-anchor="end" font-size="{label_size}">'
                   f'<title>{_e(row["label"])}</title>{_e(label)}</text>')
        for s, key in enumerate(("before", "after")):
            value = 100 * float(row[key] or 0)
            by = y + s * bar
            if value > 0:
                out.append(f'<rect class="bar-{key}" x="{left:.1f}" y="{by}" width="{max(value * scale, 1.5):.1f}" '
                           f'height="{bar - 1}" fill="{CHANGE_COLOURS[key]}"/>')
            shown = f"{value:.1f}" if 0 < value < 9.95 else f"{value:.0f}"
            out.append(f'<text x="{left + value * scale + 4:.1f}" y="{by + bar - 2}" font-size="10.5" '
                       f'fill="{MUTED if key == "before" else INK}">{shown}{unit}</text>')
    return _svg(left + plot + right, height, title, out)


def findings_bars(counts: Sequence[tuple[str, int, int, int]], *,
                  title: str = "Gaps closed, opened and unchanged") -> str:
    """One stacked bar per kind of gap: ``(label, closed, opened, unchanged)``; the first row may be the total."""
    labels = [_clip(r[0], 46) for r in counts]
    left = min(max((_text_width(t, 12.5) for t in labels), default=80) + 16, 340)
    plot, right, row_h, top = 400, 230, 24, 34
    height = top + row_h * len(counts) + 8
    vmax = max([sum(r[1:]) for r in counts] + [1])
    scale = plot / vmax
    out: list[str] = []
    x = float(left)
    for key in ("closed", "opened", "unchanged"):
        out += _key(x, 8, CHANGE_COLOURS[key], key)
        x += 15 + _text_width(key) + 16
    for k, (row, label) in enumerate(zip(counts, labels, strict=True)):
        y = top + k * row_h
        out.append(f'<text x="{left - 10:.1f}" y="{y + 16}" text-anchor="end" font-size="12.5">'
                   f'<title>{_e(row[0])}</title>{_e(label)}</text>')
        bx = float(left)
        for key, n in zip(("closed", "opened", "unchanged"), row[1:], strict=True):
            if not n:
                continue
            w = n * scale
            out.append(f'<rect class="seg-{key}" x="{bx:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                       f'fill="{CHANGE_COLOURS[key]}"><title>{n:,} {key}</title></rect>')
            if w >= _text_width(str(n), 11) + 6:
                out.append(f'<text x="{bx + w / 2:.1f}" y="{y + 16}" text-anchor="middle" font-size="11" '
                           f'fill="#ffffff" font-weight="600">{n:,}</text>')
            bx += w
        note = ", ".join(f"{n:,} {key}" for key, n in zip(("closed", "opened", "unchanged"), row[1:], strict=True)
                         if n) or "none"
        out.append(f'<text x="{bx + 6:.1f}" y="{y + 16}" font-size="11" fill="{MUTED}">{_e(note)}</text>')
    return _svg(left + plot + right, height, title, out)


# --------------------------------------------------------------------------- the two maps


@dataclass
class _Snapshot:
    """One snapshot's drawing in canonical ids: its nodes, its lines and their kinds."""

    nodes: dict[str, dict[str, Any]]  # canonical id -> name, primary, space, degree
    lines: dict[frozenset[str], bool]  # canonical ends -> is a seat (membership)


def _snapshot(result: Result) -> _Snapshot:
    G = result.analysis.graph
    H = drawn_graph(result)
    spaces = {s.id: s.name for s in result.nmap.spaces}
    nodes: dict[str, dict[str, Any]] = {}
    for v, d in H.nodes(data=True):
        if d.get("space"):
            nodes[SPACE_PREFIX + canon(d["space"])] = {"name": spaces.get(d["space"], d["space"]), "space": True,
                                                      "degree": H.degree(v)}
        else:
            a = G.nodes[v]
            nodes[canon(v)] = {"name": str(a.get("name", v)), "primary": a.get("primary") or "", "space": False,
                               "degree": H.degree(v)}

    def key(v: Any) -> str:
        data = H.nodes[v]
        return SPACE_PREFIX + canon(data["space"]) if data.get("space") else canon(v)

    lines = {frozenset((key(u), key(v))): SPACE_TIE in d.get("types", []) for u, v, d in H.edges(data=True)}
    return _Snapshot(nodes, lines)


def _union_layout(before: _Snapshot, after: _Snapshot, keep: set[str], communities: Mapping[str, Any],
                  seed: int) -> dict[str, tuple[float, float]]:
    U = nx.Graph()
    for snap in (before, after):
        for v, d in snap.nodes.items():
            if v in keep:
                U.add_node(v, **({"space": v} if d["space"] else {}))
        U.add_edges_from(tuple(e) for e in snap.lines if e <= keep and len(e) == 2)
    return layout_drawn_graph(U, communities, seed=seed)


def _kept(before: _Snapshot, after: _Snapshot, changed: set[str]) -> tuple[set[str], str]:
    """The partners and spaces drawn, and a note when a big map shows only some of them."""
    actors = {v for s in (before, after) for v, d in s.nodes.items() if not d["space"]}
    if len(actors) <= BIG_MAP:
        keep = {v for s in (before, after) for v in s.nodes}
        return keep, ""

    def degree(v: str) -> int:
        return max(s.nodes[v]["degree"] if v in s.nodes else 0 for s in (before, after))

    ranked = sorted(actors, key=lambda v: (-degree(v), v))
    keep = set(ranked[:BIG_TOP])
    keep |= set(sorted(changed & actors - keep, key=lambda v: (-degree(v), v))[:BIG_CHANGED])
    spaces = {v for s in (before, after) for e in s.lines for v in e
              if v.startswith(SPACE_PREFIX) and len(e) == 2 and (set(e) - {v}) <= keep}
    note = (f"The map has {len(actors):,} partners, too many to draw legibly twice: the pictures show the "
            f"{BIG_TOP} with the most ties and up to {BIG_CHANGED} more that joined or left "
            f"({len(keep):,} in all). Every change is listed below.")
    return keep | spaces, note


def _line(a: tuple[float, float], b: tuple[float, float], css: str, colour: str, width: float, dash: str) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line class="{css}" x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
            f'stroke="{colour}" stroke-width="{width}"{dashed}/>')


def _picture(snap: _Snapshot, where: Mapping[str, tuple[float, float]], size: tuple[float, float], *, title: str,
             changed_lines: set[frozenset[str]], changed_seats: set[frozenset[str]], changed_actors: set[str],
             later: bool, colours: Mapping[str, str], labelled: Sequence[str], radius: float) -> str:
    """One snapshot: unchanged lines grey, changed ones marked, partners coloured by constituency."""
    plain, marked = [], []
    tie_css, seat_css = ("tie-formed", "seat-started") if later else ("tie-ended", "seat-ended")
    colour = CHANGE_COLOURS["formed" if later else "ended"]
    dash = "" if later else "5 3"
    for ends, seat in snap.lines.items():
        if len(ends) != 2 or not ends <= where.keys():
            continue
        a, b = (where[v] for v in sorted(ends))
        if ends in (changed_seats if seat else changed_lines):
            marked.append(_line(a, b, seat_css if seat else tie_css, colour, 1.6 if seat else 2.2, dash or
                                ("2 2" if seat else "")))
        else:
            (plain.append(f"M{a[0]:.1f} {a[1]:.1f}L{b[0]:.1f} {b[1]:.1f}"))
    out = []
    if plain:
        out.append(f'<path class="ties" d="{"".join(plain)}" stroke="#8a939f" stroke-opacity="0.55" '
                   'stroke-width="0.9" fill="none"/>')
    out += marked
    for v, d in sorted(snap.nodes.items(), key=lambda kv: kv[0] in changed_actors):
        if v not in where:
            continue
        x, y = where[v]
        tip = f"<title>{_e(d['name'])}</title>"
        if d["space"]:
            r = radius * 0.9
            out.append(f'<rect class="space" x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
                       f'rx="2" fill="#ffffff" stroke="#5b6573" stroke-width="1.3">{tip}</rect>')
            continue
        fill = colours.get(d["primary"] or "unclassified", "#9e9e9e")
        if v in changed_actors and later:
            out.append(f'<circle class="actor actor-joined" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
                       f'fill="{fill}" stroke="{CHANGE_COLOURS["joined"]}" stroke-width="3">{tip}</circle>')
        elif v in changed_actors:
            out.append(f'<circle class="actor actor-left" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
                       f'fill-opacity="0.35" stroke="{CHANGE_COLOURS["left"]}" stroke-width="2" '
                       f'stroke-dasharray="3 2">{tip}</circle>')
        else:
            out.append(f'<circle class="actor" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
                       f'stroke="#ffffff" stroke-width="0.8">{tip}</circle>')
    out += _labels(snap, where, labelled, radius)
    return _svg(size[0], size[1], title, out, css_class="chart network change-map")


def _labels(snap: _Snapshot, where: Mapping[str, tuple[float, float]], labelled: Sequence[str],
            radius: float) -> list[str]:
    taken: list[tuple[float, float, float, float]] = []
    out = []
    for v in labelled:  # in order of priority; a label that would overlap another is left out
        if v not in snap.nodes or v not in where:
            continue
        x, y = where[v]
        text = _clip(snap.nodes[v]["name"], 26)
        half = _text_width(text, 10.5) / 2
        box = (x - half - 2, y + radius + 1, x + half + 2, y + radius + 14)
        if any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in taken):
            continue
        taken.append(box)
        style = ' font-style="italic"' if snap.nodes[v]["space"] else ""
        out.append(f'<text x="{x:.1f}" y="{y + radius + 11:.1f}" text-anchor="middle" font-size="10.5"{style} '
                   f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_e(text)}</text>')
    return out


def _fit(pos: Mapping[str, tuple[float, float]], width: float, pad: float) -> tuple[dict[str, tuple[float, float]],
                                                                                 tuple[float, float]]:
    """Positions scaled into a picture ``width`` wide, and the picture's size (the same for both snapshots)."""
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    scale = (width - 2 * pad) / span_x
    height = min(max(span_y * scale + 2 * pad, 220), width * 1.1)
    scale = min(scale, (height - 2 * pad) / span_y)
    ox = (width - span_x * scale) / 2 - min(xs) * scale
    oy = (height - span_y * scale) / 2 - min(ys) * scale
    return {v: (x * scale + ox, y * scale + oy) for v, (x, y) in pos.items()}, (width, height)


def change_maps(c: Comparison, *, seed: int = 42, width: float = 480) -> tuple[str, str]:
    """The two snapshots as still pictures side by side (HTML), and a note when a big map is cut down."""
    before, after = _snapshot(c.before), _snapshot(c.after)
    joined, left = {canon(a.id) for a in c.joined}, {canon(a.id) for a in c.left}
    formed = {frozenset((canon(t.from_id), canon(t.to_id))) for t in c.formed}
    ended = {frozenset((canon(t.from_id), canon(t.to_id))) for t in c.ended}
    started = {frozenset((canon(m.actor_id), SPACE_PREFIX + canon(m.space_id))) for m in c.memberships_started}
    stopped = {frozenset((canon(m.actor_id), SPACE_PREFIX + canon(m.space_id))) for m in c.memberships_ended}
    keep, note = _kept(before, after, joined | left)
    communities: dict[str, Any] = {}
    for offset, result in ((10_000, c.before), (0, c.after)):  # the later snapshot's communities win
        actors = result.analysis.actors
        if "community" in actors:
            communities.update({canon(v): (int(k) + offset if isinstance(k, (int, float)) and not math.isnan(k)
                                           else k) for v, k in actors["community"].items()})
    pos = _union_layout(before, after, keep, communities, seed)
    n = sum(1 for v in pos if not v.startswith(SPACE_PREFIX))
    radius = 7.0 if n <= 25 else 5.0 if n <= 80 else 3.5
    where, size = _fit(pos, width, radius + 66)  # room for a label centred under a node at the edge
    fw_keys = getattr(c.after.framework, "keys", [])
    colours = constituency_colours(fw_keys, [d["primary"] for s in (before, after) for d in s.nodes.values()
                                             if not d["space"]])
    every = {**before.nodes, **after.nodes}
    by_degree = sorted((v for v in every if v in keep), key=lambda v: (-every[v]["degree"], v))
    labelled = ([v for v in by_degree if v in joined | left] + [v for v in by_degree if v.startswith(SPACE_PREFIX)]
                + [v for v in by_degree if v not in joined | left and not v.startswith(SPACE_PREFIX)])
    if n > 25:
        labelled = labelled[:14]
    pictures = []
    for snap, label, later in ((before, c.before_label, False), (after, c.after_label, True)):
        svg = _picture(snap, where, size, title=f"The network at {label}",
                       changed_lines=formed if later else ended, changed_seats=started if later else stopped,
                       changed_actors=joined if later else left, later=later, colours=colours,
                       labelled=labelled, radius=radius)
        pictures.append(f'<div class="snap"><h3>{_e(label)}</h3>{svg}</div>')
    return '<div class="maps">' + "".join(pictures) + "</div>", note


def legend_html(c: Comparison) -> str:
    """The key of the two maps: the marks of change, then the constituencies present."""
    marks = [
        (f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="6" '
         f'fill="#cfd5dd" stroke="{CHANGE_COLOURS["joined"]}" stroke-width="3"/></svg>', "joined (later picture)"),
        (f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="6" '
         f'fill="#cfd5dd" fill-opacity="0.5" stroke="{CHANGE_COLOURS["left"]}" stroke-width="2" '
         'stroke-dasharray="3 2"/></svg>', "left (earlier picture)"),
        (f'<svg width="26" height="10" viewBox="0 0 26 10" aria-hidden="true"><line x1="1" y1="5" x2="25" y2="5" '
         f'stroke="{CHANGE_COLOURS["formed"]}" stroke-width="2.4"/></svg>', "tie formed"),
        (f'<svg width="26" height="10" viewBox="0 0 26 10" aria-hidden="true"><line x1="1" y1="5" x2="25" y2="5" '
         f'stroke="{CHANGE_COLOURS["ended"]}" stroke-width="2.2" stroke-dasharray="5 3"/></svg>', "tie ended"),
        ('<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><rect x="1" y="1" width="12" '
         'height="12" rx="2" fill="#fff" stroke="#5b6573" stroke-width="1.3"/></svg>', "forum, board or pledge"),
    ]
    keys = getattr(c.after.framework, "keys", [])
    present = {str(c.before.analysis.graph.nodes[v].get("primary") or "") for v in c.before.analysis.graph}
    present |= {str(c.after.analysis.graph.nodes[v].get("primary") or "") for v in c.after.analysis.graph}
    colours = constituency_colours(keys, present)
    fw = c.after.framework
    order = [k for k in keys if k in present] + sorted(k for k in present if k not in keys and k)
    order += [""] if "" in present else []
    items = [f'<span class="mark">{svg} {_e(text)}</span>' for svg, text in marks]
    items += [f'<span class="mark"><span class="swatch" style="background:{_e(colours.get(k or "unclassified"))}">'
              f'</span>{_e(fw.label(k) if k else "Unclassified")}</span>' for k in order]
    return '<p class="legend">' + " ".join(items) + "</p>"
