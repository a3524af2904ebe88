"""Where the map's nodes go: the drawn graph (actors and spaces) and its seeded force layout.

The analysis graph joins every pair of actors who share a space; the map draws
each space once, as a node joined to its members (:func:`drawn_graph`). Its
layout is computed here, in numpy, seeded and deterministic: a
ForceAtlas2-style layout per connected piece, a large piece laid out community
by community, pieces packed largest first (:func:`layout_positions`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from netmap.analysis.network import direct_tie_rows
from netmap.model import CO_MEMBERSHIP, NetworkMap
from netmap.render.labels import ALL_LABELS_MAX

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = [
    "LAYOUT_FULL_EFFORT_MAX",
    "SPACE_PREFIX",
    "SPACE_TIE",
    "direct_ties",
    "drawn_graph",
    "drawn_graph_of",
    "layout_drawn_graph",
    "layout_positions",
    "map_layout",
    "side_column",
    "tie_length",
]


# --------------------------------------------------------------------------- the force layout


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


def _compiled_layout(n: int, edges: np.ndarray, weights: np.ndarray, rng: np.random.Generator,
                     length: float, iterations: int) -> np.ndarray:
    """igraph's Fruchterman-Reingold (compiled) for one piece, from seeded starting places; scaled as
    :func:`_force_layout` scales. igraph draws any random numbers it needs from a generator seeded
    here, so the positions are the same in every run."""
    import random

    import igraph as ig

    if n == 1:
        return np.zeros((1, 2))
    start = rng.uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n)
    g = ig.Graph(n=n, edges=edges.tolist())
    ig.set_random_number_generator(random.Random(int(rng.integers(1 << 30))))
    try:
        coords = g.layout_fruchterman_reingold(weights=weights.tolist() if len(edges) else None,
                                               niter=iterations, seed=start.tolist(), grid=False).coords
    finally:
        ig.set_random_number_generator(random)  # igraph's default: Python's own generator
    pos = np.array(coords, dtype=float)
    delta = pos[:, None, :] - pos[None, :, :]
    dist2 = (delta ** 2).sum(-1)
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
        if effort < 1.0:  # a map of thousands: compiled code, the full number of iterations
            return _compiled_layout(n, edges, weights, rng, length, round(iterations / effort))
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


def tie_length(n: int) -> float:
    """How long a tie is drawn (in pixels) on a map of ``n`` actors: shorter on larger maps."""
    return 170.0 if n <= 12 else 130.0 if n <= 60 else 95.0 if n <= 300 else 60.0


def side_column(positions: Mapping[Any, tuple[float, float]], count: int, spacing: float) -> list[tuple[float, float]]:
    """``count`` places in a column to the right of ``positions``, ``spacing`` apart and centred on the map.

    The planner's picks stand there, apart from the partners already on the map.
    """
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    x = max(xs) + 1.5 * spacing
    middle = (min(ys) + max(ys)) / 2
    return [(round(x, 2), round(middle + (k - (count - 1) / 2) * spacing, 2)) for k in range(count)]


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
    length = edge_length or tie_length(n)
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


# --------------------------------------------------------------------------- the drawn graph

#: Prefix of the ids of space nodes (actor ids cannot hold a colon).
SPACE_PREFIX = "space:"
#: Legend key of the lines joining an actor to a space it sits on.
SPACE_TIE = "space"


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


def _direct_attrs(d: Mapping[str, Any]) -> dict[str, Any]:
    direct = [t for t in d.get("types", []) if t != CO_MEMBERSHIP] or [CO_MEMBERSHIP]
    weight = float(d.get("weight", 1.0)) - len(d.get("spaces", []))
    return {"types": direct, "weight": max(weight, 0.1)}


def direct_ties(G: nx.Graph, nodes: Collection[Any]) -> list[tuple[Any, Any, dict[str, Any]]]:
    """The direct ties between ``nodes`` (not sitting together in a space), as ``(u, v, attrs)``.

    ``attrs`` are those of :func:`drawn_graph` (``types``, ``weight``).
    """
    keep = set(nodes)
    seen: set[frozenset] = set()
    out = []
    for u in (v for v in G if v in keep):
        for v, d in G._adj[u].items():
            pair = frozenset((u, v))
            if v not in keep or u == v or pair in seen or direct_tie_rows(d) <= 0:
                continue
            seen.add(pair)
            out.append((u, v, _direct_attrs(d)))
    return out


def drawn_graph_of(nmap: NetworkMap, G: nx.Graph) -> nx.Graph:
    """:func:`drawn_graph` from a map and its analysis graph (:func:`netmap.graph.build_graph`)."""
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if direct_tie_rows(d) <= 0:  # only sit together in spaces: the space node draws it
            continue
        H.add_edge(u, v, **_direct_attrs(d))
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
    if len(spaces) > 1 and len(H) - len(spaces) > ALL_LABELS_MAX:
        # space boxes carry their names: keep them apart so the names do not collide (a smaller map is
        # spread with all its labels by netmap.render.labels)
        gap = tie_length(len(H)) * 5
        pos = np.array([positions[v] for v in spaces], dtype=float)
        pos = _separate(pos, np.full(len(spaces), gap / 2), 0.0)
        positions.update({v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(spaces, pos, strict=True)})
    return positions
