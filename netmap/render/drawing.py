"""What the interactive map draws: a node per actor and space, a line per tie and membership, the legend.

* colour = primary constituency (:func:`netmap.render.style.constituency_colours`);
  size = the chosen centrality; shape = sector;
* a thick red ring = cut vertex, a dashed outline = isolate, an orange glow =
  an actor of a constituency the gap analysis found peripheral or under-represented;
* ties are styled by type (:func:`netmap.render.style.tie_style`), dashed lines
  join a space to its members;
* with a plan of ``netmap invite``, its picks stand in a column at the right
  (a dashed purple border, labelled with their names), their would-be ties to
  the partners they already work with dashed in the same purple.

Every tooltip is plain text (vis-network shows string titles with ``innerText``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from netmap.reference import census_groups
from netmap.render.labels import ALL_LABELS_MAX, wrap_label
from netmap.render.layout import SPACE_PREFIX, SPACE_TIE, drawn_graph, map_layout, side_column, tie_length
from netmap.render.style import (
    SECTOR_LABELS,
    SECTOR_SHAPES,
    TIE_STYLES,
    UNCLASSIFIED_COLOUR,
    constituency_colours,
    main_tie_type,
    rgba,
    shade,
    tie_style,
)
from netmap.render.words import NOT_AVAILABLE, is_missing, plural

if TYPE_CHECKING:
    from netmap.decisions.invite import Pick, Plan
    from netmap.model import Actor, Space
    from netmap.result import Result

__all__ = ["BETWEEN_TIE", "INVITED_TIE", "PHYSICS_MAX_NODES", "Drawing", "actor_nodes", "drawn_lines",
           "invited_drawing", "map_legend", "space_boxes", "tie_line"]

#: Maps with at most this many actors let vis-network's physics polish the layout (larger ones are "big").
PHYSICS_MAX_NODES = 150

_CUT_BORDER = "#d01010"
_ISOLATE_BORDER = "#4a4f57"
_SELECTED_BORDER = "#111111"
_GLOW = "rgba(255, 140, 0, 0.9)"
_GLOW_SOLID = "#ff8c00"
_FLAG_KINDS = ("peripheral_constituency", "under_represented")
_SPACE_STYLE = {"colour": "#8a939f", "dashed": True, "label": "Sits on a forum, board or partnership"}
#: The line type of an invited candidate's would-be tie, and the purple of invitations (no tie type uses it).
INVITED_TIE = "invited"
_INVITED_COLOUR = "#8e24aa"
_INVITED_STYLE = {"colour": _INVITED_COLOUR, "dashed": True, "label": "Would-be tie of an invited candidate"}
#: The line type of a summary map's lines between two constituencies.
BETWEEN_TIE = "between"
_BETWEEN_STYLE = {"colour": "#6b7785", "dashed": False,
                  "label": "Tied pairs of actors between two constituencies (thicker: more)"}

_ROLE_WORDS = {
    "hub": "hub (many ties)",
    "broker": "broker (links parts of the system)",
    "peripheral": "on the edge",
    "connected": "connected",
    "isolate": "isolate (no ties on this map)",
}


# --------------------------------------------------------------------------- small helpers


def _fmt(value: Any, digits: int = 3) -> str:
    if is_missing(value):
        return NOT_AVAILABLE
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() and abs(number) >= 1 else f"{number:.{digits}g}"


def _flagged_constituencies(result: Result) -> dict[str, str]:
    """Constituencies the findings call peripheral or under-represented, with the reason in words."""
    words = {"under_represented": "under-represented", "isolated": "has no tie to anyone else",
             "single_broker": "reached only through one broker", "low_centrality": "present but on the edge"}
    flagged: dict[str, list[str]] = defaultdict(list)
    for f in result.findings:
        if f.kind not in _FLAG_KINDS:
            continue
        reason = words.get(f.data.get("reason", ""), words.get(f.kind, f.kind))
        if reason not in flagged[f.subject]:
            flagged[f.subject].append(reason)
    return {k: "; ".join(v) for k, v in flagged.items()}


def _actor_findings(result: Result) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for f in result.findings:
        actor = f.data.get("actor") if isinstance(f.data, dict) else None
        if f.kind in ("fragility", "ego_gap") and actor:
            found[str(actor)].append(f.message)
    return found


def _sizes(values: np.ndarray, small: float, large: float) -> np.ndarray:
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    values = np.clip(values, 0.0, None)
    top = float(values.max()) if len(values) else 0.0
    if top <= 0:
        return np.full(len(values), (small + large) / 2 * 0.75)
    return small + (large - small) * np.sqrt(values / top)


def _truncate(text: str, limit: int = 34) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_colour(fill: str, border: str, selected_border: str) -> dict[str, Any]:
    """A vis-network node colour: ``fill`` with ``border``, lighter when selected or hovered."""
    return {"background": fill, "border": border,
            "highlight": {"background": shade(fill, 1.25), "border": selected_border},
            "hover": {"background": shade(fill, 1.15), "border": selected_border}}


# --------------------------------------------------------------------------- what the builders share


@dataclass
class Drawing:
    """The inputs of one map and the counts its nodes and lines add up for the legend."""

    result: Result
    drawn: nx.Graph
    positions: Mapping[Any, tuple[float, float]]
    big: bool  # more actors than physics polishes: smaller nodes, edges hidden while dragging
    huge: bool  # more than 1,500 actors: smaller still, thinner lines, no hover
    all_labels: bool  # a small map labels every actor
    font_size: float
    colours: dict[str, str] = field(default_factory=dict)
    flagged: dict[str, str] = field(default_factory=dict)
    per_actor: dict[str, list[str]] = field(default_factory=dict)
    communities: dict[str, str] = field(default_factory=dict)
    localities: dict[str, str] = field(default_factory=dict)
    spaces: dict[str, Space] = field(default_factory=dict)
    index: dict[str, Actor] = field(default_factory=dict)
    #: actors per primary constituency, per sector, and per mark (cut, isolate, flag)
    counts: Counter = field(default_factory=Counter)
    sector_counts: Counter = field(default_factory=Counter)
    marks: Counter = field(default_factory=Counter)
    #: lines per drawn tie type, and whether a type has arrows
    tie_counts: Counter = field(default_factory=Counter)
    tie_arrows: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, result: Result, positions: Mapping[Any, tuple[float, float]] | None, *,
           summary: bool = False) -> Drawing:
        """Gather what the builders read from ``result``; lay the map out unless ``positions`` are given.

        A ``summary`` drawing (:func:`netmap.render.map.map_data` above its size) draws neither the
        drawn graph nor the full layout: its few nodes are placed by the summary itself.
        """
        G = result.analysis.graph
        n = len(G)
        drawn = nx.Graph() if summary else drawn_graph(result)
        all_labels = n <= ALL_LABELS_MAX and not summary
        if summary:
            positions = dict(positions or {})
        elif positions is None:
            positions = map_layout(result, drawn=drawn)
        return cls(
            result=result, drawn=drawn, positions=positions,
            big=n > PHYSICS_MAX_NODES, huge=n > 1500 and not summary, all_labels=all_labels,
            font_size=15 if all_labels else 12,
            colours=constituency_colours(result.framework.keys, [G.nodes[v].get("primary", "") for v in G]),
            flagged=_flagged_constituencies(result), per_actor=_actor_findings(result),
            communities={k: g.name for k, g in census_groups().items()},
            localities={loc.key: loc.name for loc in result.nmap.localities},
            spaces={s.id: s for s in result.nmap.spaces}, index=result.nmap.actor_index(),
        )


# --------------------------------------------------------------------------- actors


def _actor_lines(d: Drawing, v: Any, row: Mapping[str, Any], sector: str) -> list[str]:
    """The first lines of an actor's tooltip: who it is, what it holds, how central it is."""
    attrs = d.result.analysis.graph.nodes[v]
    fw = d.result.framework
    constituency_labels = [fw.label(c) for c in attrs.get("constituencies", [])]
    community_labels = [d.communities.get(c, c) for c in attrs.get("communities", [])]
    lines = [str(attrs.get("name", v))]
    lines.append("Constituencies: " + ("; ".join(constituency_labels) or "not classified"))
    lines.append("Communities: " + ("; ".join(community_labels) or "none listed"))
    extra = []
    if attrs.get("led_by_community"):
        extra.append("led by the community")
    if attrs.get("lived_experience_led"):
        extra.append("led by people with lived experience")
    if extra:
        lines.append("Led by: " + ", ".join(extra))
    where = d.localities.get(attrs.get("locality", ""), attrs.get("locality", "")) or "not given"
    lines.append(f"Sector: {SECTOR_LABELS[sector]} · Locality: {where}")
    lines.append("Role: " + _ROLE_WORDS.get(str(row["role"]), str(row["role"])))
    degree = int(row["degree"])
    lines.append(f"Tied to {plural(degree, 'actor')} (directly or through a shared space)")
    lines.append(f"Betweenness: {_fmt(row['betweenness'])} · PageRank: {_fmt(row['pagerank'])} · "
                 f"Closeness: {_fmt(row['closeness'])}")
    return lines


def _mark_actor(d: Drawing, v: Any, node: dict[str, Any], row: Mapping[str, Any], fill: str,
                lines: list[str]) -> None:
    """Ring a cut vertex, dash an isolate, make a flagged constituency glow; explain each in ``lines``."""
    if bool(row["is_cut_vertex"]):
        impact = int(row["cut_vertex_impact"])
        node["color"] = _node_colour(fill, _CUT_BORDER, _CUT_BORDER)
        node["borderWidth"] = 4 if not d.huge else 3
        node["borderWidthSelected"] = 5
        node["cut"] = True
        d.marks["cut"] += 1
        lines.append(f"Holds the system together: if it left, {plural(impact, 'actor')} "
                     "would lose contact with the rest.")
    if int(row["degree"]) == 0:
        node["color"] = _node_colour(fill, _ISOLATE_BORDER, _SELECTED_BORDER)
        node["borderWidth"] = 2
        node["shapeProperties"] = {"borderDashes": [4, 3]}
        node["isolate"] = True
        d.marks["isolate"] += 1
    constituencies = d.result.analysis.graph.nodes[v].get("constituencies", [])
    reasons = [f"{d.result.framework.label(c)}: {d.flagged[c]}" for c in constituencies if c in d.flagged]
    if reasons:
        node["shadow"] = {"enabled": True, "color": _GLOW, "size": 22 if not d.big else 14, "x": 0, "y": 0}
        node["flag"] = True
        d.marks["flag"] += 1
        lines.append("Constituency flagged by the gap analysis: " + "; ".join(reasons))


def actor_nodes(d: Drawing, size_by: str,
                only: Collection[Any] | None = None) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """One vis-network node per actor (or per actor in ``only``), and the groups (colour and shape) they share.

    The legend's counts of constituencies and sectors count every actor either way.
    """
    G = d.result.analysis.graph
    actors = d.result.analysis.actors
    n = len(G)
    small_size, large_size = (5.0, 22.0) if d.huge else (8.0, 30.0) if d.big else (12.0, 38.0)
    metric = actors[size_by].reindex(list(G)).to_numpy(dtype=float)
    sizes = _sizes(metric, small_size, large_size)
    metric_shown = np.round(np.nan_to_num(metric), 6)
    ranked = set() if d.all_labels else set(
        actors[size_by].fillna(0).sort_values(ascending=False, kind="stable").index[: min(12, max(3, n // 25))])
    nodes = []
    groups: dict[str, dict[str, Any]] = {}
    rows = actors.to_dict("index") if only is None else actors.loc[[v for v in G if v in only]].to_dict("index")
    for k, v in enumerate(G):
        attrs = G.nodes[v]
        primary = attrs.get("primary") or "unclassified"
        d.counts[primary] += 1
        sector = attrs.get("sector") or "unknown"
        if sector not in SECTOR_SHAPES:
            sector = "unknown"
        d.sector_counts[sector] += 1
        if only is not None and v not in only:
            continue
        row = rows[v]
        fill = d.colours.get(primary, UNCLASSIFIED_COLOUR)
        name = str(attrs.get("name", v))
        lines = _actor_lines(d, v, row, sector)
        group = f"{primary}|{sector}"
        if group not in groups:  # colour and shape are shared by a group, not repeated on every node
            groups[group] = {"shape": SECTOR_SHAPES[sector],
                             "color": _node_colour(fill, shade(fill, 0.62), _SELECTED_BORDER)}
        node: dict[str, Any] = {
            "id": str(v), "name": name, "label": wrap_label(name) if d.all_labels else _truncate(name), "group": group,
            "x": d.positions[v][0], "y": d.positions[v][1], "size": round(float(sizes[k]), 2),
            "c": primary, "loc": str(attrs.get("locality", "") or ""), "sector": sector,
            "role": str(row["role"]), "metric": float(metric_shown[k]),
        }
        if v in ranked:
            node["hub"] = True
            node["font"] = {"size": d.font_size}
        _mark_actor(d, v, node, row, fill, lines)
        for message in d.per_actor.get(str(v), [])[:3]:
            lines.append("Gap: " + message)
        actor = d.index.get(v)
        if actor is not None and actor.kind != "organisation":
            lines.insert(1, f"Kind: {actor.kind}")
        node["title"] = "\n".join(lines)
        nodes.append(node)
    return nodes, groups


# --------------------------------------------------------------------------- lines and spaces


def _membership_edge(d: Drawing, k: int, space_node: Any, actor: Any, attrs: Mapping[str, Any],
                     opacity: float) -> dict[str, Any]:
    """The dashed line from a space to one of its members."""
    G = d.result.analysis.graph
    space = d.spaces.get(str(space_node)[len(SPACE_PREFIX):])
    space_name = space.name if space else str(space_node)[len(SPACE_PREFIX):]
    d.tie_counts[SPACE_TIE] += 1
    return {
        "id": k, "from": str(space_node), "to": str(actor), "t": SPACE_TIE,
        "color": rgba(_SPACE_STYLE["colour"], opacity), "dashes": [5, 4],
        "title": f"{G.nodes[actor].get('name', actor)}\n{attrs.get('role') or 'member'} of {space_name}",
    }


def _tie_edge(d: Drawing, k: int, u: Any, v: Any, attrs: Mapping[str, Any], opacity: float) -> dict[str, Any]:
    """The line of the direct ties between two actors: drawn as the most specific type, all types in its title."""
    G, D = d.result.analysis.graph, d.result.analysis.digraph
    types = list(G.edges[u, v].get("types", [])) or ["partnership"]
    main = main_tie_type(attrs.get("types", types))
    style = tie_style(main)
    d.tie_counts[main] += 1
    forward = D.has_edge(u, v) and D.edges[u, v].get("directed", False)
    backward = D.has_edge(v, u) and D.edges[v, u].get("directed", False)
    arrows = ", ".join(x for x, on in (("to", forward), ("from", backward)) if on)
    d.tie_arrows[main] = d.tie_arrows.get(main, False) or bool(arrows)
    weight = float(attrs.get("weight", 1.0) or 1.0)
    label_types = ", ".join(tie_style(t)["label"].lower() for t in attrs.get("types", types))
    name_u, name_v = G.nodes[u].get("name", u), G.nodes[v].get("name", v)
    title = [f"{name_u} — {name_v}", f"Tie: {label_types}"]
    if forward or backward:
        title.append("Direction: " + "; ".join(
            f"{a} → {b}" for a, b, on in ((name_u, name_v, forward), (name_v, name_u, backward)) if on))
    shared = [d.spaces[x].name if x in d.spaces else x for x in G.edges[u, v].get("spaces", [])]
    if shared:
        title.append("Also sit together in: " + "; ".join(shared))
    title.append(f"Strength: {_fmt(weight)}")
    edge: dict[str, Any] = {
        "id": k, "from": str(u), "to": str(v), "t": main,
        "color": rgba(style["colour"], opacity), "title": "\n".join(title),
    }
    width = round(min(1.0 + math.log1p(max(weight - 1.0, 0.0)) * 1.3, 5.0), 2)
    if width != 1.0:
        edge["width"] = width
    if style["dashed"]:
        edge["dashes"] = [6, 5]
    if arrows:
        edge["arrows"] = arrows
    return edge


#: The line of the direct ties between two actors (for maps that build their own list of lines).
tie_line = _tie_edge


def drawn_lines(d: Drawing, opacity: float) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Every line of the map, and the members of each space node."""
    edges = []
    space_members: dict[str, list[str]] = defaultdict(list)
    for k, (u, v, attrs) in enumerate(d.drawn.edges(data=True)):
        if SPACE_TIE in attrs.get("types", []):
            space_node, actor = (u, v) if str(u).startswith(SPACE_PREFIX) else (v, u)
            space_members[space_node].append(actor)
            edges.append(_membership_edge(d, k, space_node, actor, attrs, opacity))
        else:
            edges.append(_tie_edge(d, k, u, v, attrs, opacity))
    return edges, space_members


def space_boxes(d: Drawing, space_members: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """One white box per space (forum, board, partnership) with members on the map."""
    G = d.result.analysis.graph
    space_nodes = []
    for node, members in space_members.items():
        key = str(node)[len(SPACE_PREFIX):]
        space = d.spaces.get(key)
        name = space.name if space else key
        names = sorted(str(G.nodes[x].get("name", x)) for x in members)
        lines = [name, f"A {space.kind if space else 'space'} with {plural(len(members), 'member')} on this map"]
        if space and space.locality:
            lines.append("Locality: " + d.localities.get(space.locality, space.locality))
        more = f" … and {len(names) - 12} more" if len(names) > 12 else ""
        lines.append("Members: " + "; ".join(names[:12]) + more)
        space_nodes.append({
            "id": str(node), "name": name, "label": wrap_label(name, 26) if d.all_labels else _truncate(name, 30),
            "shape": "box", "space": True,
            "x": d.positions[node][0], "y": d.positions[node][1], "size": 10, "metric": 0,
            "color": {"background": "#ffffff", "border": "#5b6573",
                      "highlight": {"background": "#eef3fb", "border": _SELECTED_BORDER},
                      "hover": {"background": "#f5f7fa", "border": _SELECTED_BORDER}},
            "borderWidth": 1.5, "borderWidthSelected": 2.5, "margin": 7,
            "shapeProperties": {"borderRadius": 3}, "font": {"size": d.font_size, "color": "#3b4350"},
            "c": "__space__", "loc": str(space.locality if space else ""), "sector": "space", "role": "space",
            "title": "\n".join(lines),
        })
    return space_nodes


# --------------------------------------------------------------------------- the planner's picks


def _invited_node(d: Drawing, pick: Pick, place: tuple[float, float], size: float) -> dict[str, Any]:
    """One pick of the plan: its constituency's colour and sector's shape, a thick dashed purple border."""
    actor = pick.candidate.actor
    fw = d.result.framework
    primary = actor.primary_constituency or "unclassified"
    sector = fw.sector_of(actor)
    fill = d.colours.get(primary, UNCLASSIFIED_COLOUR)
    names = [d.index[a].name if a in d.index else a for a in pick.candidate.works_with]
    lines = [actor.name, f"Invitation {pick.rank} of the plan (netmap invite): +{pick.gain:g} points"
             + (", must invite" if pick.must else ""),
             "Constituencies: " + ("; ".join(fw.label(c) for c in actor.constituencies) or "not classified"),
             "Already works with: " + ("; ".join(names) or "no partner on this map")]
    lines += ["Closes: " + r.text for r in pick.reasons]
    d.marks[INVITED_TIE] += 1
    node = {
        "id": f"invited:{actor.id}", "name": actor.name, "invited": True, "rank": pick.rank,
        "label": wrap_label(actor.name) if d.all_labels else _truncate(actor.name),
        "shape": SECTOR_SHAPES.get(sector, SECTOR_SHAPES["unknown"]),
        "x": place[0], "y": place[1], "size": size, "metric": 0, "physics": False,
        "color": _node_colour(shade(fill, 1.35), _INVITED_COLOUR, _INVITED_COLOUR),
        "borderWidth": 3.5, "borderWidthSelected": 4.5, "shapeProperties": {"borderDashes": [6, 4]},
        "font": {"color": "#5e1675"}, "c": "__invited__", "loc": "", "sector": "invited", "role": "invited",
        "title": "\n".join(lines),
    }
    if not d.all_labels:  # a crowded map names its hubs at every zoom: the picks too
        node.update(hub=True, font={**node["font"], "size": d.font_size})
    return node


def invited_drawing(d: Drawing, plan: Plan, opacity: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes of the plan's picks, in a column right of the map, and their dashed would-be ties.

    The picks and their lines take no part in physics, so they stay apart and
    do not pull the partners they would tie to.
    """
    size = 12.0 if d.huge else 16.0 if d.big else 22.0
    spacing = max(tie_length(len(d.result.analysis.graph)), 4 * size)
    places = side_column(d.positions, len(plan.picks), spacing)
    nodes, edges = [], []
    for pick, place in zip(plan.picks, places, strict=True):
        node = _invited_node(d, pick, place, size)
        nodes.append(node)
        for other in pick.candidate.works_with:
            if other not in d.index:
                continue
            d.tie_counts[INVITED_TIE] += 1
            edges.append({"id": f"{node['id']}->{other}", "from": node["id"], "to": str(other), "t": INVITED_TIE,
                          "color": rgba(_INVITED_COLOUR, max(opacity, 0.8)), "dashes": [8, 6], "width": 2,
                          "physics": False,
                          "title": f"{pick.candidate.actor.name} — {d.index[other].name}\n"
                                   "Would-be tie: the candidate already works with this partner"})
    return nodes, edges


# --------------------------------------------------------------------------- legend, options, first view


def _tie_legend(d: Drawing) -> list[dict[str, Any]]:
    """One legend row per drawn tie type: known types in style order, then others, memberships last."""
    def order(t: str) -> tuple[int, str]:
        return (list(TIE_STYLES).index(t) if t in TIE_STYLES else 100 if t == INVITED_TIE
                else 99 if t == SPACE_TIE else -1 if t == BETWEEN_TIE else 98, t)

    return [{"type": t, "label": style["label"], "colour": style["colour"], "dashed": style["dashed"],
             "arrow": d.tie_arrows.get(t, False), "count": d.tie_counts[t]}
            for t in sorted(d.tie_counts, key=order)
            for style in [_SPACE_STYLE if t == SPACE_TIE else _INVITED_STYLE if t == INVITED_TIE
                          else _BETWEEN_STYLE if t == BETWEEN_TIE else tie_style(t)]]


def map_legend(d: Drawing, spaces_drawn: int) -> dict[str, Any]:
    """The legend: constituencies (a filter too), absent ones, sectors, marks, tie types, localities."""
    G = d.result.analysis.graph
    fw = d.result.framework
    counts = d.counts
    framework_keys = list(fw.keys)
    present_keys = [k for k in framework_keys if counts.get(k)]
    present_keys += sorted(k for k in counts if k not in framework_keys and k != "unclassified")
    if counts.get("unclassified"):
        present_keys.append("unclassified")
    held = {c for v in G for c in G.nodes[v].get("constituencies", [])}
    return {
        "constituencies": [{"key": k, "label": "Unclassified" if k == "unclassified" else fw.label(k),
                            "colour": d.colours.get(k, UNCLASSIFIED_COLOUR), "count": counts[k],
                            "flag": d.flagged.get(k, "")} for k in present_keys],
        "absent": [c.label for c in fw.constituencies if c.key not in held],
        "framework_size": len(fw.constituencies),
        "sectors": [{"sector": s, "label": SECTOR_LABELS[s], "shape": SECTOR_SHAPES[s], "count": d.sector_counts[s]}
                    for s in SECTOR_SHAPES if d.sector_counts.get(s)]
                   + ([{"sector": "space", "label": "Forum, board or partnership (a space)", "shape": "box",
                        "count": spaces_drawn}] if spaces_drawn else []),
        "marks": [
            {"key": "cut", "label": "Red ring: holds the system together (cut vertex)", "border": _CUT_BORDER,
             "width": 3, "count": d.marks["cut"]},
            {"key": "isolate", "label": "Dashed outline: no ties on this map", "border": _ISOLATE_BORDER,
             "dashed": True, "count": d.marks["isolate"]},
            {"key": "flag", "label": "Orange glow: its constituency is on the edge or under-represented",
             "border": "#56606d", "glow": _GLOW_SOLID, "count": d.marks["flag"]},
            {"key": INVITED_TIE, "label": "Dashed purple border: invited, a pick of the planner (netmap invite)",
             "border": _INVITED_COLOUR, "dashed": True, "width": 2.4, "count": d.marks[INVITED_TIE]},
        ],
        "ties": _tie_legend(d),
        "localities": [{"key": loc.key, "name": loc.name,
                        "count": sum(1 for v in G if G.nodes[v].get("locality") in (loc.key, ""))}
                       for loc in d.result.nmap.localities],
    }
