"""The interactive map: one offline HTML file a convenor can open and email.

The page is drawn by vis-network, the JavaScript library that ships inside
the pyvis wheel; netmap inlines it into its own template
(``visualisations/templates/map.html``, shipped as ``netmap/_templates``),
so the file loads nothing from the network: no CDN, no Bootstrap, no fonts.

* colour = primary constituency (a fixed palette by framework order, so a
  constituency has the same colour on every map of one framework; grey for
  unclassified actors), with a legend that doubles as a filter;
* size = a centrality chosen with ``size_by`` (betweenness by default);
* shape = sector; a thick red ring = cut vertex (the system splits if it
  leaves); a dashed outline = isolate (no ties); an orange glow = an actor of
  a constituency the gap analysis found peripheral or under-represented;
* ties are styled by type (dashed for co-membership of a space, arrows for
  directed ties such as funds and commissions, one colour per type);
* given a plan of ``netmap invite``, its picks stand in a column at the right,
  apart from the partners, with a dashed purple border and their would-be ties
  dashed in purple (:func:`netmap.render.drawing.invited_drawing`);
* when ties or memberships carry ``since``/``until`` dates, a timeline slider
  shows the network as it was on each date (the rule of :mod:`netmap.snapshots`)
  and marks the ties that began (thick green) or ended (faint dashed red) since
  the previous date; summary maps (above :data:`SUMMARY_MIN_ACTORS` actors) have none;
* the layout is computed by :mod:`netmap.render.layout` (seeded, deterministic); vis-network's physics
  only polishes maps of up to :data:`PHYSICS_MAX_NODES` actors, so a map of
  thousands opens in seconds.

Every user-supplied string reaches the page as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped (:func:`netmap.render.page.script_json`), and the page writes it with
``textContent`` or draws it on the canvas: a name is always shown as text.
Tooltips are plain text (vis-network shows string titles with ``innerText``).

>>> from netmap.workspace import read_workspace
>>> from netmap.resources import sites_dir
>>> from netmap.workflows import run_map
>>> result = run_map(read_workspace(sites_dir() / "leeds"), folder=sites_dir() / "leeds")
>>> page = render_map(result)
>>> page.startswith("<!doctype html>") and "cdn" not in page.lower()
True
"""

from __future__ import annotations

import datetime
import html
import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from netmap.errors import OutputError, SnapshotError
from netmap.fileio import write_text_atomically
from netmap.render.drawing import (
    BETWEEN_TIE,
    INVITED_TIE,
    PHYSICS_MAX_NODES,
    Drawing,
    actor_nodes,
    drawn_lines,
    invited_drawing,
    map_legend,
    space_boxes,
    tie_line,
)
from netmap.render.labels import place_labels
from netmap.render.layout import SPACE_PREFIX, SPACE_TIE, direct_ties, layout_positions, tie_length
from netmap.render.page import (
    fill_template,
    keep_sections,
    load_template,
    netmap_version,
    script_json,
    vis_network_js,
)
from netmap.render.style import SIZE_METRICS, UNCLASSIFIED_COLOUR, rgba, shade
from netmap.render.words import TIE_WORDS, plural, tie_phrases
from netmap.snapshots import parse_period
from netmap.workspace.values import MONTHS, read_date

if TYPE_CHECKING:
    from netmap.decisions.invite import Plan
    from netmap.result import Result

__all__ = ["PHYSICS_MAX_NODES", "SUMMARY_MIN_ACTORS", "SUMMARY_TOP_ACTORS", "is_summary", "map_data", "render_map",
           "timeline_data", "write_map"]

#: Maps of more actors than this open as a summary (:func:`summary_nodes`): drawing every actor of a
#: larger map takes a browser seconds to open and each zoom or drag redraws slowly (bench/map_speed.py).
#: ``full=True`` (``netmap map --full``) draws every actor whatever the size.
SUMMARY_MIN_ACTORS = 3000
#: Actors a summary map draws: the most central by the measure that sizes the map.
SUMMARY_TOP_ACTORS = 150
#: Prefix of the ids of a summary map's constituency nodes (actor ids cannot hold a colon).
CONSTITUENCY_PREFIX = "constituency:"

_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
_HUB_SCREEN_FONT = 13


# --------------------------------------------------------------------------- options and the first view


def _options(d: Drawing, groups: dict[str, dict[str, Any]], opacity: float, physics: bool | None) -> dict[str, Any]:
    """vis-network's options: fonts, groups, edges, interaction and (on small maps) physics."""
    n = len(d.result.analysis.graph)
    # a map that names every actor is laid out with its labels (netmap.render.labels): physics would undo that
    use_physics = (n <= PHYSICS_MAX_NODES and not d.all_labels) if physics is None else bool(physics)
    options = {
        "autoResize": True,
        "nodes": {
            "font": {"size": d.font_size, "face": _FONT, "color": "#1d2430", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 3 if d.all_labels else 9}},
            "shadow": {"enabled": False}, "borderWidth": 1.5, "borderWidthSelected": 3,
        },
        "groups": groups,
        "edges": {
            "smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.8, "width": 0.6 if d.huge else 1.0,
            "arrows": {"to": {"scaleFactor": 0.55}, "from": {"scaleFactor": 0.55}},
            "color": {"inherit": False, "opacity": opacity},
        },
        "interaction": {"hover": not d.huge, "tooltipDelay": 150, "hideEdgesOnDrag": d.big,
                        "hideEdgesOnZoom": d.huge, "keyboard": False, "multiselect": False,
                        "navigationButtons": False},
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "physics": {"enabled": use_physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -40, "centralGravity": 0.008,
                                         "springLength": tie_length(n) * 0.8, "springConstant": 0.06,
                                         "damping": 0.5, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": 100, "fit": True}},
    }
    if d.huge:  # hover on thousands of nodes is the slow part of drawing; tooltips show on click instead
        options["interaction"]["hover"] = False
    return options


def _place_hub_labels(nodes: list[dict[str, Any]], scale: float, base: float) -> None:
    """Size and declutter the labels of spaces and hubs for the first view (zoom ``scale``).

    The page does the same whenever the zoom changes; doing it here saves a
    redraw of the whole map while it opens. Spaces come first, then hubs by
    their metric; a hub label that would overlap one already placed is left
    blank (its text stays in ``hub_label``).
    """
    size = max(base, _HUB_SCREEN_FONT / scale)
    px = size * scale
    taken: list[tuple[float, float, float, float]] = []
    chosen = sorted((n for n in nodes if n.get("hub") or n.get("space")),
                    key=lambda n: (not n.get("space"), not n.get("summary"), -float(n.get("metric", 0))))
    for node in chosen:
        label = node["hub_label"] = node["label"]
        x, y = node["x"] * scale, node["y"] * scale
        half = len(label) * px * 0.58 / 2 + 4
        top = y - px * 0.9 if node.get("space") else y + float(node.get("size", 10)) * scale + 1
        box = (x - half, top, x + half, top + px * 1.8)
        show = node.get("space") or not any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1]
                                             for b in taken)
        if show:
            taken.append(box)
        node["label"] = label if show else ""
        node["font"] = {**node.get("font", {}), "size": round(size, 2)}


def _first_view(d: Drawing, nodes: list[dict[str, Any]], options: dict[str, Any], n: int) -> dict[str, Any]:
    """How the page opens: the zoom at which labels show, and label sizes for the guessed first zoom."""
    # every label shows once about 100 actors fill the window: zoomed in sqrt(n / 100) times past the first view
    label_zoom = round(max(1.8, math.sqrt(n / 100)), 2)
    font_size = d.font_size
    if not d.all_labels:
        # guess the first view's zoom (a window of about 1060 x 860 pixels for the map) and size labels so
        # that they appear once zoomed in past it; the page corrects a bad guess
        xs = [float(node["x"]) for node in nodes]
        ys = [float(node["y"]) for node in nodes]
        span_x, span_y = (max(xs) - min(xs) + 60) * 1.1, (max(ys) - min(ys) + 60) * 1.1
        guess = min(1060 / span_x, 860 / span_y, 1.3)
        base = min(max(9.5 / (label_zoom * guess), 2.0), 60.0)
        options["nodes"]["font"]["size"] = round(base, 2)
        font_size = round(base, 2)
        _place_hub_labels(nodes, guess, base)
    else:
        guess = 1.0
    return {"max_fit_zoom": 1.3, "hub_font": font_size, "hub_screen_font": _HUB_SCREEN_FONT,
            "label_threshold": options["nodes"]["scaling"]["label"]["drawThreshold"] - 1,
            "auto_labels": not d.all_labels, "label_zoom": label_zoom, "label_screen_font": 9.5,
            "assumed_scale": round(guess, 5)}


# --------------------------------------------------------------------------- the summary of a large map


def is_summary(result: Result, full: bool = False) -> bool:
    """Whether the map of ``result`` is drawn as a summary (more than :data:`SUMMARY_MIN_ACTORS` actors)."""
    return not full and len(result.analysis.graph) > SUMMARY_MIN_ACTORS


def _constituency_pairs(G: Any) -> tuple[Counter, Counter, Counter]:
    """Actors per primary constituency, tied pairs within each, and tied pairs between each two."""
    primary = {v: attrs.get("primary") or "unclassified" for v, attrs in G.nodes(data=True)}
    within: Counter = Counter()
    between: Counter = Counter()
    for u, neighbours in G._adj.items():  # the graph's own dict: edge views cost several times more
        a = primary[u]
        for v in neighbours:
            b = primary[v]
            if a == b:
                within[a] += 1
            elif a < b:
                between[(a, b)] += 1
    within = Counter({k: w // 2 for k, w in within.items()})  # each pair was seen from both ends
    return Counter(primary.values()), within, between


def _constituency_node(d: Drawing, key: str, count: int, ties: tuple[int, int], shown: int,
                       size: float, place: tuple[float, float]) -> dict[str, Any]:
    """One circle for a constituency of a summary map, sized by its actors."""
    label = _label(d, key)
    fill = d.colours.get(key, UNCLASSIFIED_COLOUR)
    lines = [label, f"Constituency: {plural(count, 'actor')} with it as their main constituency",
             f"{plural(ties[0], 'tied pair')} of actors within it; {plural(ties[1], 'tied pair')} with actors "
             "of other constituencies (directly or through a shared space)",
             f"{plural(shown, 'of its actors is', 'of its actors are')} among the most central drawn around it"]
    if key in d.flagged:
        lines.append("Flagged by the gap analysis: " + d.flagged[key])
    node: dict[str, Any] = {
        "id": CONSTITUENCY_PREFIX + key, "name": label, "label": label, "shape": "dot", "summary": True,
        "hub": True, "x": place[0], "y": place[1], "size": round(size, 2), "metric": count,
        "color": {"background": fill, "border": shade(fill, 0.62),
                  "highlight": {"background": shade(fill, 1.25), "border": "#111111"},
                  "hover": {"background": shade(fill, 1.15), "border": "#111111"}},
        "borderWidth": 2, "c": key, "loc": "", "sector": "constituency", "role": "constituency",
        "title": "\n".join(lines),
    }
    if key in d.flagged:
        node["shadow"] = {"enabled": True, "color": "rgba(255, 140, 0, 0.9)", "size": 22, "x": 0, "y": 0}
    return node


def _label(d: Drawing, key: str) -> str:
    return "Unclassified" if key == "unclassified" else d.result.framework.label(key)


def _summary_layout(G: Any, counts: Counter, between: Counter, top: list[Any],
                    ties: list[tuple[Any, Any, dict]]) -> dict[Any, tuple[float, float]]:
    """Constituencies placed by the ties between them; each drawn actor near its own constituency."""
    Q = nx.Graph()
    Q.add_nodes_from(CONSTITUENCY_PREFIX + k for k in sorted(counts))
    strongest = max(between.values(), default=1)
    Q.add_weighted_edges_from((CONSTITUENCY_PREFIX + a, CONSTITUENCY_PREFIX + b, w)
                              for (a, b), w in sorted(between.items()))
    Q.add_weighted_edges_from((v, CONSTITUENCY_PREFIX + (G.nodes[v].get("primary") or "unclassified"), strongest)
                              for v in top)
    Q.add_edges_from((u, v, {"weight": 1.0}) for u, v, _ in ties)
    return layout_positions(Q, seed=42, edge_length=140.0)


def summary_drawing(d: Drawing, size_by: str, opacity: float) -> tuple[list, list, dict, dict[str, Any]]:
    """The nodes, lines, groups and description of a summary map.

    One circle per primary constituency (its area grows with its actors), one
    line between two constituencies whose actors are tied (thicker for more
    tied pairs), and the :data:`SUMMARY_TOP_ACTORS` most central actors by
    ``size_by``, each near its constituency, with the ties between them.
    """
    G = d.result.analysis.graph
    counts, within, between = _constituency_pairs(G)
    actors = d.result.analysis.actors
    top = list(actors[size_by].fillna(0).sort_values(ascending=False, kind="stable").index[:SUMMARY_TOP_ACTORS])
    ties = direct_ties(G, top)
    d.positions = _summary_layout(G, counts, between, top, ties)
    nodes, groups = actor_nodes(d, size_by, only=set(top))
    shown = Counter(node["c"] for node in nodes)
    largest = max(counts.values())
    outward: Counter = Counter()
    for (a, b), w in between.items():
        outward[a] += w
        outward[b] += w
    nodes[:0] = [_constituency_node(d, key, counts[key], (within[key], outward[key]), shown[key],
                                    20.0 + 56.0 * math.sqrt(counts[key] / largest),
                                    d.positions[CONSTITUENCY_PREFIX + key])
                 for key in sorted(counts, key=lambda k: (-counts[k], k))]
    edges = [tie_line(d, k, u, v, attrs, opacity) for k, (u, v, attrs) in enumerate(ties)]
    strongest = max(between.values(), default=1)
    for k, ((a, b), w) in enumerate(sorted(between.items(), key=lambda item: (-item[1], item[0]))):
        edges.append({"id": f"c{k}", "from": CONSTITUENCY_PREFIX + a, "to": CONSTITUENCY_PREFIX + b, "t": BETWEEN_TIE,
                      "width": round(1.0 + 9.0 * math.sqrt(w / strongest), 2), "color": rgba("#6b7785", 0.5),
                      "title": f"{_label(d, a)} — {_label(d, b)}\n{plural(w, 'tied pair')} of actors "
                               "(directly or through a shared space)"})
        d.tie_counts[BETWEEN_TIE] += 1
    info = {"actors_shown": len(top), "measure": size_by, "constituencies": len(counts),
            "above": SUMMARY_MIN_ACTORS}
    return nodes, edges, groups, info


# --------------------------------------------------------------------------- the timeline of a dated map


Span = tuple[datetime.date, datetime.date]
#: The days an undated row holds: every day.
_ALWAYS: Span = (datetime.date.min, datetime.date.max)


def _row_span(since: str, until: str, what: str, stops: dict[str, datetime.date]) -> Span:
    """The days a row dated ``since``..``until`` holds, by :mod:`netmap.snapshots`' rule; notes its periods.

    A ``since`` holds from the first day of its period, an ``until`` through the
    last day of its period; ``stops`` gains each period with the day a slider
    stop at it shows (its last day, as ``netmap ... --at`` does).

    >>> stops = {}
    >>> _row_span("2024", "2024-06", "a tie", stops), stops
    ((datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)), {'2024': datetime.date(2024, 12, 31), \
'2024-06': datetime.date(2024, 6, 30)})
    """
    start, end = _ALWAYS
    for column, text in (("since", since.strip()), ("until", until.strip())):
        if not text:
            continue
        reading = read_date(text)
        if not reading.iso:
            raise SnapshotError(f"{what}, column {column}: {reading.problem or repr(text) + ' is not a date'}")
        first, last = parse_period(reading.iso)
        stops.setdefault(reading.iso, last)
        start, end = (first, end) if column == "since" else (start, last)
    return start, end


def _meet(*spans: Span) -> Span | None:
    """The days every span holds (None: no day)."""
    start, end = max(s[0] for s in spans), min(s[1] for s in spans)
    return (start, end) if start <= end else None


def _join(spans: list[Span | None]) -> list[Span]:
    """The days any of ``spans`` holds, as sorted spans that neither overlap nor touch."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s is not None):
        if out and (out[-1][1] == datetime.date.max or start <= out[-1][1] + datetime.timedelta(days=1)):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _iso(day: datetime.date) -> str:
    return "" if day in _ALWAYS else day.isoformat()


def _date_fields(item: dict[str, Any], spans: list[Span]) -> bool:
    """Put the days of ``spans`` into a node or line of the page (``s``/``e``, or ``w`` for several); True if dated.

    An undated item (it holds on every day) gets nothing: the page always shows it.
    """
    if spans == [_ALWAYS]:
        return False
    if len(spans) == 1:
        item.update({k: v for k, v in (("s", _iso(spans[0][0])), ("e", _iso(spans[0][1]))) if v})
    else:  # several spells, or none (a membership wholly outside its space's dates)
        item["w"] = [[_iso(a), _iso(b)] for a, b in spans]
    if "title" in item:
        words = "; ".join(f"{_iso(a)} to {_iso(b)}" if a != _ALWAYS[0] and b != _ALWAYS[1]
                          else f"until {_iso(b)}" if b != _ALWAYS[1] else f"from {_iso(a)}" for a, b in spans)
        item["title"] += "\nDates: " + (words or "none (outside the dates of its space)")
    return True


def _day_words(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def timeline_data(d: Drawing, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Dates on the page's nodes and lines, and the stops of its timeline slider; None for an undated map.

    Each line gets the days it holds (``s``/``e`` ISO days, open ends left out;
    ``w`` lists several spells when merged ties held apart): a line of direct
    ties holds while any of its ties does, a membership while the membership,
    its space and its actor all do, and a line with an undated tie always
    holds. Actors with ``since``/``until`` attributes and dated spaces get
    ``s``/``e`` too. The stops are the distinct ``since``/``until`` periods,
    sorted by the day each shows (its last day; two periods ending the same day
    make one stop, named by the longer period).
    """
    nmap = d.result.nmap
    G = d.result.analysis.graph
    stops: dict[str, datetime.date] = {}
    actor_spans = {a.id: _row_span(a.attributes.get("since", ""), a.attributes.get("until", ""),
                                   f"actors.csv: actor '{a.id}'", stops)
                   for a in nmap.actors if a.attributes and a.id in G}
    space_spans = {SPACE_PREFIX + s.id: _row_span(s.since, s.until, f"spaces.csv: space '{s.id}'", stops)
                   for s in nmap.spaces}
    lines: dict[Any, list[Span | None]] = {}
    for t in nmap.ties:
        if t.from_id != t.to_id and t.from_id in G and t.to_id in G:
            span = _row_span(t.since, t.until, f"ties.csv: tie {t.from_id} - {t.to_id} ({t.type})", stops)
            lines.setdefault(frozenset((t.from_id, t.to_id)), []).append(
                _meet(span, actor_spans.get(t.from_id, _ALWAYS), actor_spans.get(t.to_id, _ALWAYS)))
    for m in nmap.memberships:
        if m.actor_id in G:
            node = SPACE_PREFIX + m.space_id
            span = _row_span(m.since, m.until, f"memberships.csv: {m.actor_id} in {m.space_id}", stops)
            lines.setdefault((node, m.actor_id), []).append(
                _meet(span, space_spans.get(node, _ALWAYS), actor_spans.get(m.actor_id, _ALWAYS)))
    dated = nodes_dated = 0
    for e in edges:
        if e["t"] in (INVITED_TIE, BETWEEN_TIE):
            continue
        key = (e["from"], e["to"]) if e["t"] == SPACE_TIE else frozenset((e["from"], e["to"]))
        dated += _date_fields(e, _join(lines.get(key, [_ALWAYS])))
    for node in nodes:
        span = actor_spans.get(node["id"]) or space_spans.get(node["id"])
        if span is not None and not node.get("invited"):
            nodes_dated += _date_fields(node, [span])
    if not dated and not nodes_dated:
        return None
    by_day: dict[datetime.date, str] = {}
    for text, day in sorted(stops.items(), key=lambda item: (item[1], -len(item[0]))):
        by_day.setdefault(day, text)
    return {"stops": [{"label": text, "day": day.isoformat(), "words": _day_words(day)}
                      for day, text in sorted(by_day.items())],
            "dated": dated, "lines": len(edges)}


# --------------------------------------------------------------------------- the page


def map_data(result: Result, *, size_by: str = "betweenness", physics: bool | None = None,
             positions: Mapping[Any, tuple[float, float]] | None = None,
             invite: Plan | None = None, full: bool = False) -> dict[str, Any]:
    """Everything the map page reads: vis-network nodes, edges and options, and the legend.

    What is drawn is :func:`netmap.render.layout.drawn_graph`: one node per actor and per space
    (forum, board, partnership) that has members, one line per pair of actors
    joined by a direct tie (several ties merge into one line, drawn as the most
    specific type, with every type in its tooltip) and one dashed line from
    each space to each of its members. ``positions`` overrides the layout.
    ``invite`` (a plan of :func:`netmap.workflows.plan_invites`) adds its picks and their would-be ties.
    A map of more than :data:`SUMMARY_MIN_ACTORS` actors is drawn as a summary
    (:func:`summary_drawing`, described in ``meta["summary"]``) unless ``full``.
    When a drawn tie, membership, space or actor carries dates, the lines and nodes get their days and
    ``timeline`` the slider's stops (:func:`timeline_data`); a summary map has no timeline.
    """
    if size_by not in SIZE_METRICS:
        raise OutputError(f"cannot size the map by '{size_by}': choose one of {', '.join(SIZE_METRICS)}")
    summary = is_summary(result, full)
    d = Drawing.of(result, positions, summary=summary)
    G = result.analysis.graph
    n = len(G)
    info = None
    if summary:
        opacity = 0.6
        nodes, edges, groups, info = summary_drawing(d, size_by, opacity)
        space_nodes: list[dict[str, Any]] = []
        physics = False
    else:
        nodes, groups = actor_nodes(d, size_by)
        m = d.drawn.number_of_edges()
        opacity = 0.85 if m <= 150 else 0.6 if m <= 800 else 0.45 if m <= 4000 else 0.35 if m <= 10000 else 0.25
        edges, space_members = drawn_lines(d, opacity)
        space_nodes = space_boxes(d, space_members)
        nodes.extend(space_nodes)
    if d.all_labels and positions is None:
        place_labels(nodes, d.font_size)
    if invite is not None:  # after the labels are placed: the picks keep their column
        invited, would_be = invited_drawing(d, invite, opacity)
        drawn = {node["id"] for node in nodes}
        nodes.extend(invited)
        edges.extend(e for e in would_be if e["to"] in drawn)  # a summary draws only some partners
    timeline = None if summary else timeline_data(d, nodes, edges)
    legend = map_legend(d, len(space_nodes))
    options = _options(d, groups, opacity, physics)
    view = _first_view(d, nodes, options, len(nodes) if summary else n)
    counts = {key: int(result.analysis.summary.get(key, 0)) for key in TIE_WORDS}
    data = {"meta": {"map": result.nmap.key, "name": result.title, "actors": n, **counts,
                     "tie_counts": tie_phrases(counts),
                     "spaces": len(space_nodes), "memberships": d.tie_counts.get(SPACE_TIE, 0),
                     "size_by": size_by, "framework": result.framework.name,
                     "invited": len(invite.picks) if invite is not None else 0,
                     "sample": result.analysis.actors.attrs.get("betweenness_sample"),
                     "epsilon": (result.analysis.actors.attrs.get("betweenness_estimate") or {}).get("epsilon"),
                     "summary": info},
            "nodes": nodes, "edges": edges, "legend": legend, "options": options, "view": view}
    if timeline is not None:  # an undated map's page stays as it was
        data["timeline"] = timeline
    return data


def _summary_note(result: Result, info: Mapping[str, Any], size_by: str) -> str:
    """The words at the top of a summary map: what it shows, and how to get every actor."""
    n = len(result.analysis.graph)
    workspace = result.folder.name if result.folder is not None else "WORKSPACE"
    return (f"A summary: this map has {n:,} actors, more than a browser draws quickly (above "
            f"{info['above']:,}). It shows one circle per constituency (sized by its actors; lines between "
            f"circles are tied pairs of actors, thicker for more) and the {info['actors_shown']:,} most central "
            f"actors by {size_by.replace('_', ' ')}. To draw every actor, run: netmap map {workspace} --full")


def _howto(size_by: str, data: Mapping[str, Any]) -> str:
    has_dashed = any(t["dashed"] for t in data["legend"]["ties"])
    has_arrows = any(t["arrow"] for t in data["legend"]["ties"])
    ties = "Lines are ties"
    details = [d for d, on in (("dashed = it sits on the forum, board or partnership in the white box", has_dashed),
                               ("arrows = one funds, commissions or refers to the other", has_arrows)) if on]
    if details:
        ties += " (" + "; ".join(details) + ")"
    hover = "Hover over" if data["options"]["interaction"]["hover"] else "Click"
    sample, epsilon = data["meta"].get("sample"), data["meta"].get("epsilon")
    estimate = ""
    if sample and size_by in ("betweenness", "closeness"):
        estimate = f" (estimated from {sample:,} sampled actors on a map this large)"
    elif epsilon and size_by == "betweenness":
        estimate = f" (estimated on a map this large: within {epsilon:g} of the exact value with 90% probability)"
    invited = data["meta"].get("invited", 0)
    picks = (f" The {plural(invited, 'organisation')} in the column at the right with a dashed purple border "
             f"{'is' if invited == 1 else 'are'} the planner's {'pick' if invited == 1 else 'picks'} to invite; "
             "dashed purple lines lead to the partners each already works with.") if invited else ""
    if data["meta"].get("summary"):
        return (f"Each large circle is a constituency (size = its actors). Each smaller shape is one of the most "
                f"central partners: colour = its main constituency, size = {SIZE_METRICS[size_by]}{estimate}, "
                f"shape = its sector. {hover} a circle or partner for details; scroll to zoom, drag to move. "
                f"Untick a constituency to hide it.{picks}")
    return (f"Each shape is a partner: colour = its main constituency, size = {SIZE_METRICS[size_by]}{estimate}, "
            f"shape = its sector. {ties}. {hover} a partner for details; scroll to zoom, drag to move. "
            f"Untick a constituency to hide it.{picks}")


def render_map(result: Result, *, size_by: str = "betweenness", physics: bool | None = None,
               positions: Mapping[Any, tuple[float, float]] | None = None, invite: Plan | None = None,
               full: bool = False) -> str:
    """The map of one analysed site as a single offline HTML page (see the module notes).

    ``positions`` (from :func:`map_layout`) saves laying the map out again; ``invite`` draws a plan's picks;
    ``full`` draws every actor of a map above :data:`SUMMARY_MIN_ACTORS` (else a summary).
    """
    data = map_data(result, size_by=size_by, physics=physics, positions=positions, invite=invite, full=full)
    fw = result.framework
    meta = data["meta"]
    held = sum(1 for c in fw.constituencies if c.label not in data["legend"]["absent"])
    spaces = f" · {plural(meta['spaces'], 'forum, board or partnership', 'forums, boards or partnerships')}" \
        if meta["spaces"] else ""
    subtitle = (f"{plural(meta['actors'], 'actor')} · {', '.join(meta['tie_counts'])}{spaces} · {held} of "
                f"{len(fw.constituencies)} constituencies of the “{fw.name}” framework")
    if result.nmap.snapshot:
        subtitle += f" · as of {result.nmap.snapshot}"
    synthetic = "synthetic" in f"{result.nmap.key} {result.nmap.name} {result.nmap.description}".lower()
    values = {
        "title": html.escape(result.title),
        "subtitle": html.escape(subtitle),
        "howto": html.escape(_howto(size_by, data)),
        "synthetic_note": ('<p class="synthetic">Synthetic data: made-up organisations generated for testing, '
                           "not a real system.</p>") if synthetic else "",
        "summary_note": (f'<p class="summary-note" id="summary-note">'
                         f"{html.escape(_summary_note(result, meta['summary'], size_by))}</p>")
        if meta["summary"] else "",
        "footer": html.escape(f"Made with netmap {netmap_version()}; drawn with vis-network 9.1.2 "
                              "(Apache-2.0 or MIT). This file works offline and sends nothing anywhere."),
        "version": html.escape(netmap_version()),
        "data": script_json(data),
        "vis_js": vis_network_js(),
    }
    template = keep_sections(load_template("map.html"), {"timeline": "timeline" in data})
    return fill_template(template, values)


def write_map(result: Result, path: str | Path, *, size_by: str = "betweenness",
              physics: bool | None = None, positions: Mapping[Any, tuple[float, float]] | None = None,
              invite: Plan | None = None, full: bool = False) -> Path:
    """Write the map of one site to ``path`` (atomically) and return the path (``full``: see :func:`render_map`)."""
    page = render_map(result, size_by=size_by, physics=physics, positions=positions, invite=invite, full=full)
    path = write_text_atomically(path, page)
    result.outputs[path.name] = path
    return path
