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
* the layout is computed here (seeded, deterministic); vis-network's physics
  only polishes maps of up to :data:`PHYSICS_MAX_NODES` actors, so a map of
  thousands opens in seconds.

Every user-supplied string reaches the page as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped (:func:`script_json`), and the page writes it with
``textContent`` or draws it on the canvas: a name is always shown as text.
Tooltips are plain text (vis-network shows string titles with ``innerText``).

>>> from netmap.workspace.read import read_workspace
>>> from netmap.resources import sites_dir
>>> from netmap.workflows import run_map
>>> result = run_map(read_workspace(sites_dir() / "leeds"), folder=sites_dir() / "leeds")
>>> page = render_map(result)
>>> page.startswith("<!doctype html>") and "cdn" not in page.lower()
True
"""

from __future__ import annotations

import colorsys
import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from netmap.errors import OutputError
from netmap.fileio import write_text_atomically
from netmap.model import CO_MEMBERSHIP, NetworkMap
from netmap.resources import template_dir

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = [
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "SECTOR_SHAPES",
    "SIZE_METRICS",
    "SPACE_PREFIX",
    "SPACE_TIE",
    "TIE_STYLES",
    "UNCLASSIFIED_COLOUR",
    "constituency_colours",
    "drawn_graph",
    "drawn_graph_of",
    "layout_drawn_graph",
    "layout_positions",
    "load_template",
    "map_data",
    "map_layout",
    "render_map",
    "script_json",
    "template_dir",
    "tie_style",
    "vis_network_js",
    "write_map",
]

#: Maps with at most this many actors let vis-network's physics polish the layout.
PHYSICS_MAX_NODES = 150

#: Centralities a map can size its nodes by, with what they mean in plain words.
SIZE_METRICS: dict[str, str] = {
    "betweenness": "how often it lies on the shortest paths between others (betweenness)",
    "degree": "its number of ties (degree)",
    "strength": "the total strength of its ties",
    "pagerank": "its overall influence (PageRank)",
    "eigenvector": "how well connected its partners are (eigenvector centrality)",
    "closeness": "how close it is to everyone else (closeness)",
    "reach_2": "how many actors it reaches in two steps",
    "brokerage": "how many pairs of partners from different constituencies it links",
    "cut_vertex_impact": "how many actors would be cut off if it left",
    "k_core": "how deep it sits in the core of the network (k-core)",
    "effective_size": "its number of non-redundant contacts (effective size)",
}

#: Colours of constituencies, assigned in framework order (20 colours, no grey, no pure red).
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#59a8a3", "#393b79", "#edc948", "#b07aa1", "#843c39", "#637939", "#f7b6d2", "#aec7e8",
    "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94",
)  # fmt: skip
UNCLASSIFIED_COLOUR = "#9e9e9e"

#: Node shape of each sector (vis-network shape names).
SECTOR_SHAPES: dict[str, str] = {
    "statutory": "square", "vcse": "dot", "community": "triangle", "academic": "diamond",
    "private": "star", "individual": "triangleDown", "unknown": "hexagon",
}  # fmt: skip
_SECTOR_LABELS = {
    "statutory": "Statutory", "vcse": "Voluntary sector (VCSE)", "community": "Community-led",
    "academic": "Academic", "private": "Private", "individual": "Individual", "unknown": "Not classified",
}  # fmt: skip

#: How each tie type is drawn: colour, dashed, label. Direction comes from the ties themselves.
TIE_STYLES: dict[str, dict[str, Any]] = {
    "commissions": {"colour": "#7b3fa0", "dashed": False, "label": "Commissions"},
    "funds": {"colour": "#1b8a4b", "dashed": False, "label": "Funds"},
    "refers_to": {"colour": "#d35400", "dashed": False, "label": "Refers to"},
    "co_produces": {"colour": "#0f8b8d", "dashed": False, "label": "Co-produces"},
    "partnership": {"colour": "#3d5a98", "dashed": False, "label": "Partnership"},
    "shares_information": {"colour": "#2e86c1", "dashed": False, "label": "Shares information"},
    "member_of": {"colour": "#6d7680", "dashed": False, "label": "Member of"},
    CO_MEMBERSHIP: {"colour": "#9aa3ae", "dashed": True, "label": "Sit together in a space"},
}
_OTHER_TIE = {"colour": "#34495e", "dashed": False}

_CUT_BORDER = "#d01010"
_ISOLATE_BORDER = "#4a4f57"
_GLOW = "rgba(255, 140, 0, 0.9)"
_GLOW_SOLID = "#ff8c00"
_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
_FLAG_KINDS = ("peripheral_constituency", "under_represented")


# --------------------------------------------------------------------------- files


def load_template(name: str) -> str:
    """The text of one template; :class:`OutputError` if it is missing."""
    path = template_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"template {path} cannot be read: {exc.strerror or exc}") from None


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The minified vis-network 9.1.2 bundled in the pyvis wheel (inlined into every map)."""
    try:
        source = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
        text = source.read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise OutputError(f"vis-network is missing from the pyvis package ({exc}); reinstall pyvis==0.3.2") from None
    # "<script" and "</script" only occur inside string literals (core-js builds "<script>" + ...);
    # \x3c keeps their value but no HTML parser can take them for tags.
    return re.sub(r"(?i)<(/?script)", r"\\x3c\1", text)


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so
    ``</script>`` in a name cannot end the element), and U+2028/U+2029 are
    escaped too. The result is still valid JSON with the same value.

    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> json.loads(script_json("a\\u2028b")) == "a\\u2028b"
    True
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """Replace every ``{{name}}`` of ``template`` in one pass (inserted text is never rescanned).

    >>> fill_template("<b>{{a}}</b>{{b}}", {"a": "{{b}}", "b": "x"})
    '<b>{{b}}</b>x'
    """
    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            raise OutputError(f"template value '{key}' is not given")
        return values[key]

    return re.sub(r"\{\{(\w+)\}\}", replace, template)


def netmap_version() -> str:
    try:
        return metadata.version("netmap")
    except metadata.PackageNotFoundError:
        return "0"


# --------------------------------------------------------------------------- colours and styles


def constituency_colours(framework_keys: Iterable[str], present: Iterable[str] = ()) -> dict[str, str]:
    """A colour for every framework constituency (in order), then for other keys present.

    ``unclassified`` (and the empty key) are grey. The same framework always
    gives the same colours, so maps of different sites can be compared.

    >>> colours = constituency_colours(["a", "b"], ["zz", ""])
    >>> colours["a"], colours["zz"] == PALETTE[2], colours["unclassified"]
    ('#1f77b4', True, '#9e9e9e')
    """
    colours: dict[str, str] = {}
    for key in [*framework_keys, *sorted(set(present))]:
        if key in ("", "unclassified") or key in colours:
            continue
        colours[key] = PALETTE[len(colours) % len(PALETTE)]
    colours["unclassified"] = UNCLASSIFIED_COLOUR
    colours[""] = UNCLASSIFIED_COLOUR
    return colours


@lru_cache(maxsize=1024)
def _shade(colour: str, factor: float) -> str:
    """A darker (factor < 1) or lighter (factor > 1) version of a hex colour."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = max(0.0, min(1.0, lum * factor if factor < 1 else lum + (1 - lum) * (factor - 1)))
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


@lru_cache(maxsize=256)
def _rgba(colour: str, alpha: float) -> str:
    """A hex colour with transparency, as CSS (vis-network ignores the opacity option for string colours)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def tie_style(tie_type: str) -> dict[str, Any]:
    """Colour, dashes and label of a tie type (known types, co-membership, or any other)."""
    style = TIE_STYLES.get(tie_type)
    if style is not None:
        return dict(style)
    return {**_OTHER_TIE, "label": tie_type.replace("_", " ").capitalize()}


def _main_type(types: Iterable[str]) -> str:
    """The type an edge is drawn as: the most specific of its tie types (co-membership last)."""
    order = list(TIE_STYLES)
    listed = sorted(types, key=lambda t: (order.index(t) if t in order else len(order) - 1.5, t))
    return listed[0] if listed else "partnership"


# --------------------------------------------------------------------------- layout


def _force_layout(n: int, edges: np.ndarray, weights: np.ndarray, rng: np.random.Generator,
                  length: float, iterations: int = 120, init: np.ndarray | None = None) -> np.ndarray:
    """A ForceAtlas2-style layout in numpy for one connected piece (dense, O(n^2) per iteration).

    Repulsion between two actors grows with their degrees (so hubs spread out
    and an actor with one tie stays near its partner), attraction is linear in
    the distance, and gravity (a constant pull plus one growing with the distance) keeps
    loosely tied branches near the rest. The result is
    scaled so that the median tie is ``length`` long.
    """
    if n == 1:
        return np.zeros((1, 2))
    i, j = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    mass = np.bincount(np.concatenate([i, j]), minlength=n).astype(float) + 1.0
    start = rng.uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n) * length
    pos = init.astype(float).copy() if init is not None else start
    repulse = length * length / 4.0
    gravity = 0.08 * length
    temperature = math.sqrt(n) * length / 2
    floor = length * 0.01
    cooling = (temperature / floor) ** (1.0 / max(iterations, 1))
    mm = mass[:, None] * mass[None, :] * repulse
    np.fill_diagonal(mm, 0.0)
    min_dist2 = 1e-2 * length * length
    # Work arrays reused across iterations: the n x n products dominate the cost.
    dx = np.empty((n, n))
    dy = np.empty((n, n))
    dist2 = np.empty((n, n))
    work = np.empty((n, n))
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        np.subtract(x[:, None], x[None, :], out=dx)
        np.subtract(y[:, None], y[None, :], out=dy)
        np.multiply(dx, dx, out=dist2)
        np.multiply(dy, dy, out=work)
        dist2 += work
        np.maximum(dist2, min_dist2, out=dist2)
        np.divide(mm, dist2, out=dist2)  # now the repulsion factor of each pair
        disp = np.column_stack([np.multiply(dist2, dx, out=work).sum(axis=1),
                                np.multiply(dist2, dy, out=work).sum(axis=1)])
        if len(i):
            pull = (pos[i] - pos[j]) * weights[:, None]
            for axis in (0, 1):  # bincount sums the pulls per actor (faster than np.add.at)
                disp[:, axis] += np.bincount(j, pull[:, axis], n) - np.bincount(i, pull[:, axis], n)
        norm = np.sqrt((pos * pos).sum(axis=1))[:, None]
        disp -= gravity * mass[:, None] * pos / np.maximum(norm, 1e-9)
        disp -= 0.5 * mass[:, None] * pos  # "strong gravity": nothing drifts far from its piece
        disp /= mass[:, None]
        size = np.sqrt((disp * disp).sum(axis=1))[:, None]
        pos += disp / np.maximum(size, 1e-9) * np.minimum(size, temperature)
        temperature /= cooling
    # scale so that the typical distance to the nearest other actor is about half a tie length
    x, y = pos[:, 0], pos[:, 1]
    np.subtract(x[:, None], x[None, :], out=dx)
    np.subtract(y[:, None], y[None, :], out=dy)
    dist2 = dx * dx + dy * dy
    np.fill_diagonal(dist2, np.inf)
    nearest = float(np.median(np.sqrt(dist2.min(axis=1))))
    if nearest > 1e-9:
        pos *= (length * 0.55) / nearest
    return pos - pos.mean(axis=0)


def _index_edges(H: nx.Graph, nodes: list) -> tuple[np.ndarray, np.ndarray]:
    index = {v: k for k, v in enumerate(nodes)}
    pairs, weights = [], []
    for u, v, w in H.edges(data="weight", default=1.0):
        if u != v:
            pairs.append((index[u], index[v]))
            weights.append(float(w or 1.0))
    array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    w = np.array(weights, dtype=float)
    if len(w):  # strong ties pull a little harder, but never dominate
        w = 1.0 + np.log1p(w - w.min()) * 0.5
    return array, w


def _weighted_copy(G: nx.Graph, nodes: list) -> nx.Graph:
    """The subgraph on ``nodes`` with only its weights: cheaper than nested subgraph views on large maps."""
    keep = set(nodes)
    H = nx.Graph()
    H.add_nodes_from(nodes)
    adjacency = G._adj  # the graph's own dict of dicts: views cost several times more on large maps
    H.add_weighted_edges_from((u, v, data.get("weight", 1.0))
                              for u in nodes for v, data in adjacency[u].items() if v in keep)
    return H


def _separate(centres: np.ndarray, radii: np.ndarray, gap: float, rounds: int = 200) -> np.ndarray:
    """Push circles apart until none overlap (small numbers of circles)."""
    pos = centres.copy()
    m = len(pos)
    if m < 2:
        return pos
    for _ in range(rounds):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(-1))
        need = radii[:, None] + radii[None, :] + gap
        np.fill_diagonal(need, 0.0)
        overlap = need - dist
        np.fill_diagonal(overlap, 0.0)
        if (overlap <= 1e-6).all():
            break
        overlap = np.clip(overlap, 0.0, None)
        safe = np.where(dist > 1e-9, dist, 1.0)
        direction = delta / safe[:, :, None]
        direction[dist <= 1e-9] = np.array([1.0, 0.0])
        pos += 0.5 * np.einsum("ij,ijk->ik", overlap, direction) / np.maximum((overlap > 0).sum(1), 1)[:, None]
    return pos


def _layout_piece(H: nx.Graph, nodes: list, groups: Mapping[Any, Any], rng: np.random.Generator,
                  length: float, direct_max: int, depth: int = 0, effort: float = 1.0) -> np.ndarray:
    """Positions of a connected piece: directly when small, else community by community."""
    n = len(nodes)
    if n <= direct_max or depth > 3:
        edges, weights = _index_edges(H, nodes)
        iterations = 150 if n <= 100 else 90 if n <= 400 else 50
        if n > direct_max:  # nothing left to split: a cheap, coarse layout
            iterations = 25
        iterations = max(20, round(iterations * effort))
        return _force_layout(n, edges, weights, rng, length, iterations)
    parts: dict[Any, list] = defaultdict(list)
    for v in nodes:
        parts[groups.get(v, -1)].append(v)
    if len(parts) < 2 or max(len(p) for p in parts.values()) > 0.9 * n:
        found = nx.community.louvain_communities(H, seed=int(rng.integers(1 << 30)), resolution=1.5)
        parts = {k: sorted(c, key=nodes.index) for k, c in enumerate(found)}
        if len(parts) < 2:  # cannot split: chunk in breadth-first order
            order = list(nx.bfs_tree(H, nodes[0]))
            parts = {k: order[k:k + direct_max] for k in range(0, n, direct_max)}
    keys = list(parts)
    local: list[np.ndarray] = []
    radii = []
    for key in keys:
        members = parts[key]
        sub = _weighted_copy(H, members)
        if nx.is_connected(sub):
            pos = _layout_piece(sub, members, {}, rng, length, direct_max, depth + 1, effort)
        else:
            pos = _pack([_layout_piece(sub.subgraph(c), [v for v in members if v in c], {}, rng, length,
                                       direct_max, depth + 1, effort)
                         for c in sorted(nx.connected_components(sub), key=len, reverse=True)], length)
        local.append(pos)
        radii.append(float(np.sqrt((pos ** 2).sum(1)).max()) + length * 0.5)
    # the graph of parts: parts tied by many edges sit close
    part_of = {v: k for k, key in enumerate(keys) for v in parts[key]}
    Q = nx.Graph()
    Q.add_nodes_from(range(len(keys)))
    for u, v in H.edges():
        a, b = part_of[u], part_of[v]
        if a != b:
            w = Q.edges[a, b]["weight"] + 1 if Q.has_edge(a, b) else 1
            Q.add_edge(a, b, weight=w)
    r = np.array(radii)
    q_edges, q_weights = _index_edges(Q, list(range(len(keys))))
    centres = _force_layout(len(keys), q_edges, q_weights, rng, float(np.mean(r)) * 2.2, 200)
    centres = _separate(centres, r, length * 1.5)
    out = np.zeros((n, 2))
    index = {v: k for k, v in enumerate(nodes)}
    for k, key in enumerate(keys):
        for v, p in zip(parts[key], local[k], strict=True):
            out[index[v]] = centres[k] + p
    return out - out.mean(axis=0)


def _pack(pieces: list[np.ndarray], length: float) -> np.ndarray:
    """Place laid-out pieces (largest first) in rows, into a roughly square block."""
    if len(pieces) == 1:
        return pieces[0]
    boxes = []
    for pos in pieces:
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        boxes.append((lo, hi - lo + length * 1.2))
    area = sum(float(w * h) for _, (w, h) in boxes)
    row_width = max(math.sqrt(area) * 1.15, float(max(w for _, (w, _h) in boxes)))
    x = y = row_height = 0.0
    placed = []
    for pos, (lo, (w, h)) in zip(pieces, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        placed.append(pos - lo + np.array([x, y]))
        x += w
        row_height = max(row_height, h)
    out = np.vstack(placed)
    return out - (out.min(axis=0) + out.max(axis=0)) / 2


def _edge_length(n: int) -> float:
    return 170.0 if n <= 12 else 130.0 if n <= 60 else 95.0 if n <= 300 else 60.0


#: Largest map whose pieces get the full number of layout iterations.
LAYOUT_FULL_EFFORT_MAX = 2000


def layout_positions(G: nx.Graph, *, communities: Mapping[Any, Any] | None = None, seed: int = 42,
                     edge_length: float | None = None, direct_max: int = 350) -> dict[Any, tuple[float, float]]:
    """Seeded positions (in screen pixels) for every node of ``G``.

    Each connected component is laid out by a force-directed algorithm
    (Fruchterman-Reingold); a component of more than ``direct_max`` actors is
    laid out community by community (``communities``, e.g. the Louvain
    column of the analysis) and the communities are then placed by the ties
    between them. Components are packed largest first; isolates go last, in a
    grid. Deterministic for a given ``seed``; no scipy needed.

    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and pos == layout_positions(nx.path_graph(3))
    True

    Complexity: O(sum of k^2) per iteration over pieces of k <= ``direct_max`` actors.
    """
    n = len(G)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    length = edge_length or _edge_length(n)
    # On a map of thousands, each piece is a speck on the first view: fewer iterations look the same.
    effort = 1.0 if n <= LAYOUT_FULL_EFFORT_MAX else 0.6
    groups = dict(communities or {})
    order = {v: k for k, v in enumerate(G)}
    components = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(G)),
                        key=lambda c: (-len(c), order[c[0]]))
    pieces, members = [], []
    isolates = [c[0] for c in components if len(c) == 1]
    for comp in components:
        if len(comp) == 1:
            continue
        pieces.append(_layout_piece(_weighted_copy(G, comp), comp, groups, rng, length, direct_max, effort=effort))
        members.append(comp)
    if isolates:
        cols = max(1, math.ceil(math.sqrt(len(isolates) * 1.6)))
        grid = np.array([(k % cols, k // cols) for k in range(len(isolates))], dtype=float) * length * 0.8
        pieces.append(grid - grid.mean(axis=0))
        members.append(isolates)
    pos = _pack(pieces, length)
    flat = [v for group in members for v in group]
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(flat, pos, strict=True)}


# --------------------------------------------------------------------------- data for the page


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() and abs(number) >= 1 else f"{number:.{digits}g}"


_ROLE_WORDS = {
    "hub": "hub (many ties)",
    "broker": "broker (links parts of the system)",
    "peripheral": "on the edge",
    "connected": "connected",
    "isolate": "isolate (no ties on this map)",
}


def _community_names() -> dict[str, str]:
    from netmap.reference import census_groups

    return {k: g.name for k, g in census_groups().items()}


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


#: Prefix of the ids of space nodes (actor ids cannot hold a colon).
SPACE_PREFIX = "space:"
#: Legend key of the lines joining an actor to a space it sits on.
SPACE_TIE = "space"
_SPACE_STYLE = {"colour": "#8a939f", "dashed": True, "label": "Sits on a forum, board or partnership"}


def drawn_graph(result: Result) -> nx.Graph:
    """The graph the map draws: actors, spaces as nodes, direct ties and memberships.

    The analysis counts two actors who sit in the same space as tied (a
    clique per space: 1,000 members make half a million pairs). The map draws
    each space once, as a node joined to its members, and draws a line between
    two actors only when a direct tie joins them. Space nodes are
    ``SPACE_PREFIX + space id``; edges carry ``types`` (``[SPACE_TIE]`` for
    memberships), ``weight`` and, for memberships, ``role``.
    """
    return drawn_graph_of(result.nmap, result.analysis.graph)


def drawn_graph_of(nmap: NetworkMap, G: nx.Graph) -> nx.Graph:
    """:func:`drawn_graph` from a map and its analysis graph (:func:`netmap.graph.build_graph`)."""
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if d.get("types") == [CO_MEMBERSHIP]:  # the common case on maps with large spaces
            continue
        direct = [t for t in d.get("types", []) if t != CO_MEMBERSHIP]
        if direct:
            weight = float(d.get("weight", 1.0)) - len(d.get("spaces", []))
            H.add_edge(u, v, types=direct, weight=max(weight, 0.1))
    for m in nmap.memberships:
        if m.actor_id not in G:
            continue
        node = SPACE_PREFIX + m.space_id
        if node not in H:
            H.add_node(node, space=m.space_id)
        if not H.has_edge(node, m.actor_id):
            H.add_edge(node, m.actor_id, types=[SPACE_TIE], weight=1.0, role=m.role)
    return H


def map_layout(result: Result, *, seed: int = 42, drawn: nx.Graph | None = None) -> dict[Any, tuple[float, float]]:
    """Positions of every actor and space node of the map (:func:`drawn_graph`), seeded."""
    H = drawn if drawn is not None else drawn_graph(result)
    actors = result.analysis.actors
    return layout_drawn_graph(H, actors["community"].to_dict() if "community" in actors else {}, seed=seed)


def layout_drawn_graph(H: nx.Graph, communities: Mapping[Any, Any], *,
                       seed: int = 42) -> dict[Any, tuple[float, float]]:
    """Positions of the nodes of a drawn graph, actors grouped by ``communities`` (a space joins its members')."""
    groups: dict[Any, Any] = dict(communities)
    for node, data in H.nodes(data=True):
        if data.get("space"):
            members = Counter(groups.get(m) for m in H.neighbors(node))
            groups[node] = members.most_common(1)[0][0] if members else -1
    positions = layout_positions(H, communities=groups, seed=seed)
    spaces = [v for v, d in H.nodes(data=True) if d.get("space")]
    if len(spaces) > 1:  # space boxes carry their names: keep them apart so the names do not collide
        gap = _edge_length(len(H)) * 5
        pos = np.array([positions[v] for v in spaces], dtype=float)
        pos = _separate(pos, np.full(len(spaces), gap / 2), 0.0)
        positions.update({v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(spaces, pos, strict=True)})
    return positions


_HUB_SCREEN_FONT = 13


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
                    key=lambda n: (not n.get("space"), -float(n.get("metric", 0))))
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


def map_data(result: Result, *, size_by: str = "betweenness", physics: bool | None = None,
             positions: Mapping[Any, tuple[float, float]] | None = None) -> dict[str, Any]:
    """Everything the map page reads: vis-network nodes, edges and options, and the legend.

    What is drawn is :func:`drawn_graph`: one node per actor and per space
    (forum, board, partnership) that has members, one line per pair of actors
    joined by a direct tie (several ties merge into one line, drawn as the most
    specific type, with every type in its tooltip) and one dashed line from
    each space to each of its members. ``positions`` overrides the layout.
    """
    if size_by not in SIZE_METRICS:
        raise OutputError(f"cannot size the map by '{size_by}': choose one of {', '.join(SIZE_METRICS)}")
    a = result.analysis
    G, D = a.graph, a.digraph
    actors = a.actors
    fw = result.framework
    n = len(G)
    index = result.nmap.actor_index()
    colours = constituency_colours(fw.keys, [G.nodes[v].get("primary", "") for v in G])
    flagged = _flagged_constituencies(result)
    per_actor = _actor_findings(result)
    communities = _community_names()
    localities = {loc.key: loc.name for loc in result.nmap.localities}
    spaces = {s.id: s for s in result.nmap.spaces}
    drawn = drawn_graph(result)
    if positions is None:
        positions = map_layout(result, drawn=drawn)
    big = n > PHYSICS_MAX_NODES
    huge = n > 1500
    small_size, large_size = (5.0, 22.0) if huge else (8.0, 30.0) if big else (12.0, 38.0)
    metric = actors[size_by].reindex(list(G)).to_numpy(dtype=float)
    sizes = _sizes(metric, small_size, large_size)
    metric_shown = np.round(np.nan_to_num(metric), 6)
    all_labels = n <= 60
    ranked = set() if all_labels else set(
        actors[size_by].fillna(0).sort_values(ascending=False, kind="stable").index[: min(12, max(3, n // 25))])
    font_size = 15 if all_labels else 12
    nodes = []
    groups: dict[str, dict[str, Any]] = {}
    counts: Counter = Counter()
    sector_counts: Counter = Counter()
    marks = Counter()
    rows = actors.to_dict("index")
    for k, v in enumerate(G):
        attrs = G.nodes[v]
        row = rows[v]
        primary = attrs.get("primary") or "unclassified"
        counts[primary] += 1
        sector = attrs.get("sector") or "unknown"
        if sector not in SECTOR_SHAPES:
            sector = "unknown"
        sector_counts[sector] += 1
        fill = colours.get(primary, UNCLASSIFIED_COLOUR)
        border = _shade(fill, 0.62)
        name = str(attrs.get("name", v))
        constituency_labels = [fw.label(c) for c in attrs.get("constituencies", [])]
        community_labels = [communities.get(c, c) for c in attrs.get("communities", [])]
        lines = [name]
        lines.append("Constituencies: " + ("; ".join(constituency_labels) or "not classified"))
        lines.append("Communities: " + ("; ".join(community_labels) or "none listed"))
        extra = []
        if attrs.get("led_by_community"):
            extra.append("led by the community")
        if attrs.get("lived_experience_led"):
            extra.append("led by people with lived experience")
        if extra:
            lines.append("Led by: " + ", ".join(extra))
        where = localities.get(attrs.get("locality", ""), attrs.get("locality", "")) or "not given"
        lines.append(f"Sector: {_SECTOR_LABELS[sector]} · Locality: {where}")
        lines.append("Role: " + _ROLE_WORDS.get(str(row["role"]), str(row["role"])))
        degree = int(row["degree"])
        lines.append(f"Tied to {degree:,} actor{'s' if degree != 1 else ''} (directly or through a shared space)")
        lines.append(f"Betweenness: {_fmt(row['betweenness'])} · PageRank: {_fmt(row['pagerank'])} · "
                     f"Closeness: {_fmt(row['closeness'])}")
        group = f"{primary}|{sector}"
        if group not in groups:  # colour and shape are shared by a group, not repeated on every node
            groups[group] = {"shape": SECTOR_SHAPES[sector],
                             "color": {"background": fill, "border": border,
                                       "highlight": {"background": _shade(fill, 1.25), "border": "#111111"},
                                       "hover": {"background": _shade(fill, 1.15), "border": "#111111"}}}
        node: dict[str, Any] = {
            "id": str(v), "name": name, "label": _truncate(name), "group": group,
            "x": positions[v][0], "y": positions[v][1], "size": round(float(sizes[k]), 2),
            "c": primary, "loc": str(attrs.get("locality", "") or ""), "sector": sector,
            "role": str(row["role"]), "metric": float(metric_shown[k]),
        }
        if v in ranked:
            node["hub"] = True
            node["font"] = {"size": font_size}
        if bool(row["is_cut_vertex"]):
            impact = int(row["cut_vertex_impact"])
            node["color"] = {"background": fill, "border": _CUT_BORDER,
                             "highlight": {"background": _shade(fill, 1.25), "border": _CUT_BORDER},
                             "hover": {"background": _shade(fill, 1.15), "border": _CUT_BORDER}}
            node["borderWidth"] = 4 if not huge else 3
            node["borderWidthSelected"] = 5
            node["cut"] = True
            marks["cut"] += 1
            lines.append(f"Holds the system together: if it left, {impact} actor{'s' if impact != 1 else ''} "
                         "would lose contact with the rest.")
        if int(row["degree"]) == 0:
            node["color"] = {"background": fill, "border": _ISOLATE_BORDER,
                             "highlight": {"background": _shade(fill, 1.25), "border": "#111111"},
                             "hover": {"background": _shade(fill, 1.15), "border": "#111111"}}
            node["borderWidth"] = 2
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["isolate"] = True
            marks["isolate"] += 1
        reasons = [f"{fw.label(c)}: {flagged[c]}" for c in attrs.get("constituencies", []) if c in flagged]
        if reasons:
            node["shadow"] = {"enabled": True, "color": _GLOW, "size": 22 if not big else 14, "x": 0, "y": 0}
            node["flag"] = True
            marks["flag"] += 1
            lines.append("Constituency flagged by the gap analysis: " + "; ".join(reasons))
        for message in per_actor.get(str(v), [])[:3]:
            lines.append("Gap: " + message)
        actor = index.get(v)
        if actor is not None and actor.kind != "organisation":
            lines.insert(1, f"Kind: {actor.kind}")
        node["title"] = "\n".join(lines)
        nodes.append(node)

    edges = []
    tie_counts: Counter = Counter()
    tie_arrows: dict[str, bool] = {}
    width_scale = 0.6 if huge else 1.0
    m = drawn.number_of_edges()
    opacity = 0.85 if m <= 150 else 0.6 if m <= 800 else 0.45 if m <= 4000 else 0.35 if m <= 10000 else 0.25
    space_members: dict[str, list[str]] = defaultdict(list)
    for k, (u, v, attrs) in enumerate(drawn.edges(data=True)):
        if SPACE_TIE in attrs.get("types", []):
            space_node, actor = (u, v) if str(u).startswith(SPACE_PREFIX) else (v, u)
            space_members[space_node].append(actor)
            space = spaces.get(str(space_node)[len(SPACE_PREFIX):])
            space_name = space.name if space else str(space_node)[len(SPACE_PREFIX):]
            tie_counts[SPACE_TIE] += 1
            edges.append({
                "id": k, "from": str(space_node), "to": str(actor), "t": SPACE_TIE,
                "color": _rgba(_SPACE_STYLE["colour"], opacity), "dashes": [5, 4],
                "title": f"{G.nodes[actor].get('name', actor)}\n{attrs.get('role') or 'member'} of {space_name}",
            })
            continue
        types = list(G.edges[u, v].get("types", [])) or ["partnership"]
        main = _main_type(attrs.get("types", types))
        style = tie_style(main)
        tie_counts[main] += 1
        forward = D.has_edge(u, v) and D.edges[u, v].get("directed", False)
        backward = D.has_edge(v, u) and D.edges[v, u].get("directed", False)
        arrows = ", ".join(x for x, on in (("to", forward), ("from", backward)) if on)
        tie_arrows[main] = tie_arrows.get(main, False) or bool(arrows)
        weight = float(attrs.get("weight", 1.0) or 1.0)
        label_types = ", ".join(tie_style(t)["label"].lower() for t in attrs.get("types", types))
        name_u, name_v = G.nodes[u].get("name", u), G.nodes[v].get("name", v)
        title = [f"{name_u} — {name_v}", f"Tie: {label_types}"]
        if forward or backward:
            title.append("Direction: " + "; ".join(
                f"{a} → {b}" for a, b, on in ((name_u, name_v, forward), (name_v, name_u, backward)) if on))
        shared = [spaces[x].name if x in spaces else x for x in G.edges[u, v].get("spaces", [])]
        if shared:
            title.append("Also sit together in: " + "; ".join(shared))
        title.append(f"Strength: {_fmt(weight)}")
        edge: dict[str, Any] = {
            "id": k, "from": str(u), "to": str(v), "t": main,
            "color": _rgba(style["colour"], opacity), "title": "\n".join(title),
        }
        width = round(min(1.0 + math.log1p(max(weight - 1.0, 0.0)) * 1.3, 5.0), 2)
        if width != 1.0:
            edge["width"] = width
        if style["dashed"]:
            edge["dashes"] = [6, 5]
        if arrows:
            edge["arrows"] = arrows
        edges.append(edge)

    space_nodes = []
    for node, members in space_members.items():
        key = str(node)[len(SPACE_PREFIX):]
        space = spaces.get(key)
        name = space.name if space else key
        names = sorted(str(G.nodes[x].get("name", x)) for x in members)
        lines = [name, f"A {space.kind if space else 'space'} with {len(members)} member"
                 f"{'s' if len(members) != 1 else ''} on this map"]
        if space and space.locality:
            lines.append("Locality: " + localities.get(space.locality, space.locality))
        more = f" … and {len(names) - 12} more" if len(names) > 12 else ""
        lines.append("Members: " + "; ".join(names[:12]) + more)
        space_nodes.append({
            "id": str(node), "name": name, "label": _truncate(name, 30), "shape": "box", "space": True,
            "x": positions[node][0], "y": positions[node][1], "size": 10, "metric": 0,
            "color": {"background": "#ffffff", "border": "#5b6573",
                      "highlight": {"background": "#eef3fb", "border": "#111111"},
                      "hover": {"background": "#f5f7fa", "border": "#111111"}},
            "borderWidth": 1.5, "borderWidthSelected": 2.5, "margin": 7,
            "shapeProperties": {"borderRadius": 3}, "font": {"size": font_size, "color": "#3b4350"},
            "c": "__space__", "loc": str(space.locality if space else ""), "sector": "space", "role": "space",
            "title": "\n".join(lines),
        })
    nodes.extend(space_nodes)

    use_physics = (n <= PHYSICS_MAX_NODES) if physics is None else bool(physics)
    framework_keys = list(fw.keys)
    present_keys = [k for k in framework_keys if counts.get(k)]
    present_keys += sorted(k for k in counts if k not in framework_keys and k != "unclassified")
    if counts.get("unclassified"):
        present_keys.append("unclassified")
    held = {c for v in G for c in G.nodes[v].get("constituencies", [])}
    absent = [c.label for c in fw.constituencies if c.key not in held]
    legend = {
        "constituencies": [{"key": k, "label": "Unclassified" if k == "unclassified" else fw.label(k),
                            "colour": colours.get(k, UNCLASSIFIED_COLOUR), "count": counts[k],
                            "flag": flagged.get(k, "")} for k in present_keys],
        "absent": absent,
        "framework_size": len(fw.constituencies),
        "sectors": [{"sector": s, "label": _SECTOR_LABELS[s], "shape": SECTOR_SHAPES[s], "count": sector_counts[s]}
                    for s in SECTOR_SHAPES if sector_counts.get(s)]
                   + ([{"sector": "space", "label": "Forum, board or partnership (a space)", "shape": "box",
                        "count": len(space_nodes)}] if space_nodes else []),
        "marks": [m for m in (
            {"key": "cut", "label": "Red ring: holds the system together (cut vertex)", "border": _CUT_BORDER,
             "width": 3, "count": marks["cut"]},
            {"key": "isolate", "label": "Dashed outline: no ties on this map", "border": _ISOLATE_BORDER,
             "dashed": True, "count": marks["isolate"]},
            {"key": "flag", "label": "Orange glow: its constituency is on the edge or under-represented",
             "border": "#56606d", "glow": _GLOW_SOLID, "count": marks["flag"]},
        )],
        "ties": [{"type": t, "label": style["label"], "colour": style["colour"], "dashed": style["dashed"],
                  "arrow": tie_arrows.get(t, False), "count": tie_counts[t]}
                 for t in sorted(tie_counts, key=lambda t: (list(TIE_STYLES).index(t) if t in TIE_STYLES else
                                                            99 if t == SPACE_TIE else 98, t))
                 for style in [_SPACE_STYLE if t == SPACE_TIE else tie_style(t)]],
        "localities": [{"key": loc.key, "name": loc.name,
                        "count": sum(1 for v in G if G.nodes[v].get("locality") in (loc.key, ""))}
                       for loc in result.nmap.localities],
    }
    options = {
        "autoResize": True,
        "nodes": {
            "font": {"size": font_size, "face": _FONT, "color": "#1d2430", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 3 if all_labels else 9}},
            "shadow": {"enabled": False}, "borderWidth": 1.5, "borderWidthSelected": 3,
        },
        "groups": groups,
        "edges": {
            "smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.8, "width": width_scale,
            "arrows": {"to": {"scaleFactor": 0.55}, "from": {"scaleFactor": 0.55}},
            "color": {"inherit": False, "opacity": opacity},
        },
        "interaction": {"hover": not huge, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": huge, "keyboard": False, "multiselect": False,
                        "navigationButtons": False},
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "physics": {"enabled": use_physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -40, "centralGravity": 0.008,
                                         "springLength": _edge_length(n) * 0.8, "springConstant": 0.06,
                                         "damping": 0.5, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": 100, "fit": True}},
    }
    if huge:  # hover on thousands of nodes is the slow part of drawing; tooltips show on click instead
        options["interaction"]["hover"] = False
    # every label shows once about 100 actors fill the window: zoomed in sqrt(n / 100) times past the first view
    label_zoom = round(max(1.8, math.sqrt(n / 100)), 2)
    if not all_labels:
        # guess the first view's zoom (a window of about 1060 x 860 pixels for the map) and size labels so
        # that they appear once zoomed in past it; the page corrects a bad guess
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        span_x, span_y = (max(xs) - min(xs) + 60) * 1.1, (max(ys) - min(ys) + 60) * 1.1
        guess = min(1060 / span_x, 860 / span_y, 1.3)
        base = min(max(9.5 / (label_zoom * guess), 2.0), 60.0)
        options["nodes"]["font"]["size"] = round(base, 2)
        font_size = round(base, 2)
        _place_hub_labels(nodes, guess, base)
    else:
        guess = 1.0
    direct = sum(c for t, c in tie_counts.items() if t != SPACE_TIE)
    return {"meta": {"map": result.nmap.key, "name": result.title, "actors": n, "ties": direct,
                     "spaces": len(space_nodes), "memberships": tie_counts.get(SPACE_TIE, 0),
                     "pairs": G.number_of_edges(), "size_by": size_by, "framework": fw.name,
                     "sample": actors.attrs.get("betweenness_sample")},
            "nodes": nodes, "edges": edges, "legend": legend, "options": options,
            "view": {"max_fit_zoom": 1.3, "hub_font": font_size, "hub_screen_font": _HUB_SCREEN_FONT,
                     "label_threshold": options["nodes"]["scaling"]["label"]["drawThreshold"] - 1,
                     "auto_labels": not all_labels, "label_zoom": label_zoom, "label_screen_font": 9.5,
                     "assumed_scale": round(guess, 5)}}


def _howto(size_by: str, data: Mapping[str, Any]) -> str:
    has_dashed = any(t["dashed"] for t in data["legend"]["ties"])
    has_arrows = any(t["arrow"] for t in data["legend"]["ties"])
    ties = "Lines are ties"
    details = [d for d, on in (("dashed = it sits on the forum, board or partnership in the white box", has_dashed),
                               ("arrows = one funds, commissions or refers to the other", has_arrows)) if on]
    if details:
        ties += " (" + "; ".join(details) + ")"
    hover = "Hover over" if data["options"]["interaction"]["hover"] else "Click"
    sample = data["meta"].get("sample")
    estimate = (f" (estimated from {sample:,} sampled actors on a map this large)"
                if sample and size_by in ("betweenness", "closeness") else "")
    return (f"Each shape is a partner: colour = its main constituency, size = {SIZE_METRICS[size_by]}{estimate}, "
            f"shape = its sector. {ties}. {hover} a partner for details; scroll to zoom, drag to move. "
            "Untick a constituency to hide it.")


def render_map(result: Result, *, size_by: str = "betweenness", physics: bool | None = None,
               positions: Mapping[Any, tuple[float, float]] | None = None) -> str:
    """The map of one analysed site as a single offline HTML page (see the module notes).

    ``positions`` (from :func:`map_layout`) saves laying the map out again.
    """
    data = map_data(result, size_by=size_by, physics=physics, positions=positions)
    fw = result.framework
    meta = data["meta"]
    held = sum(1 for c in fw.constituencies if c.label not in data["legend"]["absent"])
    ties = {0: "no direct ties", 1: "1 direct tie"}.get(meta["ties"], f"{meta['ties']:,} direct ties")
    spaces = {0: "", 1: " · 1 forum, board or partnership"}.get(
        meta["spaces"], f" · {meta['spaces']:,} forums, boards or partnerships")
    actors = "1 actor" if meta["actors"] == 1 else f"{meta['actors']:,} actors"
    subtitle = (f"{actors} · {ties}{spaces} · {held} of {len(fw.constituencies)} constituencies of the "
                f"“{fw.name}” framework")
    if result.nmap.snapshot:
        subtitle += f" · as of {result.nmap.snapshot}"
    synthetic = "synthetic" in f"{result.nmap.key} {result.nmap.name} {result.nmap.description}".lower()
    values = {
        "title": html.escape(result.title),
        "subtitle": html.escape(subtitle),
        "howto": html.escape(_howto(size_by, data)),
        "synthetic_note": ('<p class="synthetic">Synthetic data: made-up organisations generated for testing, '
                           "not a real system.</p>") if synthetic else "",
        "footer": html.escape(f"Made with netmap {netmap_version()}; drawn with vis-network 9.1.2 "
                              "(Apache-2.0 or MIT). This file works offline and sends nothing anywhere."),
        "version": html.escape(netmap_version()),
        "data": script_json(data),
        "vis_js": vis_network_js(),
    }
    return fill_template(load_template("map.html"), values)


def write_map(result: Result, path: str | Path, *, size_by: str = "betweenness",
              physics: bool | None = None, positions: Mapping[Any, tuple[float, float]] | None = None) -> Path:
    """Write the map of one site to ``path`` (atomically) and return the path."""
    path = write_text_atomically(path, render_map(result, size_by=size_by, physics=physics, positions=positions))
    result.outputs[path.name] = path
    return path
