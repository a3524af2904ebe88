"""Turn a :class:`~netmap.model.NetworkMap` into networkx graphs.

Two graphs are built from one map:

* :func:`build_graph`: the undirected simple graph every analysis runs on.
  It holds every actor (isolates too), the direct ties, and (by default) the
  co-membership ties projected from the spaces actors meet in.
* :func:`build_digraph`: the direct ties only, with their direction, used for
  reciprocity.

Both are plain networkx graphs keyed by actor id, so any networkx algorithm
can run on them.

>>> from netmap.model import Actor, Membership, NetworkMap, Space, Tie
>>> nmap = NetworkMap("demo", "Demo",
...     actors=[Actor("a", "A", ("commissioner",)), Actor("b", "B"), Actor("c", "C")],
...     ties=[Tie("a", "b")],
...     spaces=[Space("board", "Board")],
...     memberships=[Membership("a", "board"), Membership("b", "board")])
>>> G = build_graph(nmap)
>>> sorted(G.edges(data="types"))
[('a', 'b', ['co_member', 'partnership'])]
>>> G.degree("c")
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations, repeat
from operator import attrgetter, itemgetter

import networkx as nx

from netmap.memory import collector_paused
from netmap.model import CO_MEMBERSHIP, Actor, Framework, NetworkMap, Tie

__all__ = ["EDGE_ARRAYS", "ENTRY_EDGES", "NEIGHBOURS", "build_digraph", "build_graph", "node_attributes", "reciprocity"]

#: The key under which :func:`build_graph` leaves the graph's edges in ``G.__networkx_cache__``, in the
#: order of ``G.edges()``: (number of nodes, first ends, second ends (positions in ``list(G)``, first <
#: second), the edges' attribute dicts), for :class:`netmap.analysis.backend.GraphArrays`. networkx empties
#: that cache when a node or edge is added or removed; weights are read from the dicts, so a weight changed
#: in place is seen.
EDGE_ARRAYS = "netmap_edge_arrays"

#: The key under which :func:`build_graph` leaves each actor's partners in ``G.__networkx_cache__``, in the
#: order ``G[v]`` gives them: (``list(G)``, indptr, indices) as positions, for
#: :func:`netmap.analysis.structure.neighbour_arrays`.
NEIGHBOURS = "netmap_neighbours"

#: The key under which :func:`build_graph` leaves, for each entry of :data:`NEIGHBOURS`, the number of its edge
#: in the order edges were added, and the edges' attribute dicts in that order.
ENTRY_EDGES = "netmap_entry_edges"


def node_attributes(actor: Actor, framework: Framework | None = None) -> dict[str, object]:
    """The node attributes netmap puts on an actor's node.

    ``sector`` is ``framework.sector_of(actor)`` when a framework is given and
    ``""`` otherwise; ``primary`` is the primary constituency or ``""``.

    >>> node_attributes(Actor("a", "A", ("commissioner", "vcse")))["primary"]
    'commissioner'

    Complexity: O(1) per actor (copies its constituency and community lists).
    """
    return {
        "name": actor.name,
        "kind": actor.kind,
        "constituencies": list(actor.constituencies),
        "primary": actor.primary_constituency or "",
        "sector": framework.sector_of(actor) if framework is not None else "",
        "communities": list(actor.communities),
        "locality": actor.locality,
        "led_by_community": actor.led_by_community,
        "lived_experience_led": actor.lived_experience_led,
        "scale": actor.scale,
    }


def _add_nodes(G: nx.Graph, nmap: NetworkMap, framework: Framework | None) -> None:
    G.add_nodes_from((actor.id, node_attributes(actor, framework)) for actor in nmap.actors)


def _known_ties(nmap: NetworkMap, G: nx.Graph) -> Iterator[Tie]:
    """The ties of a map between two different actors of ``G`` (ties to unknown actors and self-ties skipped)."""
    known = G._node  # a dict lookup: faster than ``in G`` (a method call) a million times over
    for tie in nmap.ties:
        if tie.from_id != tie.to_id and tie.from_id in known and tie.to_id in known:
            yield tie


class _Edges:
    """Merged edges, in the order each pair first appears, built in plain dicts and added to a graph at once.

    Adding edges one by one through networkx (``has_edge``, ``G.edges[u, v]``)
    was most of the time of building a large map's graph; the adjacency order
    (and so every traversal) is the same, since each pair is added in the order
    it first appeared.
    """

    def __init__(self, directed: bool) -> None:
        self.directed = directed
        self.merged: dict[tuple, list] = {}  # (u, v) -> [weight, ties, types, spaces, directed]

    def add(self, u: str, v: str, tie_type: str, weight: float, space: str | None = None,
            directed: bool = False) -> None:
        """One underlying tie (or shared space) between ``u`` and ``v``."""
        key = (u, v) if self.directed or u < v else (v, u)
        record = self.merged.get(key)
        if record is None:
            self.merged[key] = record = [0.0, 0, set(), set(), False]
        record[0] += weight
        record[1] += 1
        record[2].add(tie_type)
        if space is not None:
            record[3].add(space)
        record[4] = record[4] or directed

    def into(self, G: nx.Graph) -> None:
        """Add every merged edge to ``G``, with the attributes :func:`build_graph` documents."""
        if self.directed:
            G.add_edges_from((u, v, {"weight": w, "types": sorted(types), "ties": ties, "directed": directed})
                             for (u, v), (w, ties, types, _, directed) in self.merged.items())
        else:
            G.add_edges_from((u, v, {"weight": w, "types": sorted(types), "spaces": sorted(spaces), "ties": ties})
                             for (u, v), (w, ties, types, spaces, _) in self.merged.items())


def build_graph(nmap: NetworkMap, framework: Framework | None = None, *, co_membership: bool = True) -> nx.Graph:
    """The undirected simple graph of a map: every actor, its ties and co-memberships.

    Nodes are actor ids, in the map's order, and every actor is a node, ties or
    not (isolates matter: they are the ones on the edge). Node attributes:
    ``name``, ``kind``, ``constituencies`` (list, first = primary), ``primary``
    (primary constituency or ``""``), ``sector`` (``framework.sector_of(actor)``,
    ``""`` without a framework), ``communities`` (list), ``locality``,
    ``led_by_community``, ``lived_experience_led`` and ``scale``.

    Edges merge everything that joins two actors, whatever its type or direction:

    * each :class:`~netmap.model.Tie` whose two ends are known actors (ties to
      unknown actors and ties of an actor to itself are skipped);
    * when ``co_membership`` is true, the one-mode projection of the affiliation
      network of spaces: every pair of actors that are members of the same space
      gets a tie of type ``co_member`` (:data:`netmap.model.CO_MEMBERSHIP`), one
      per shared space. The seed maps record who sits on which partnership, board
      or forum rather than who works with whom, so co-membership *is* the tie for
      most of their actors. An actor listed twice in one space counts once, and
      a membership of a space missing from ``nmap.spaces`` still counts.

    Merged edge attributes: ``weight`` (sum of the tie weights; each shared
    space adds 1), ``types`` (sorted list of distinct tie types), ``spaces``
    (sorted list of shared space ids) and ``ties`` (number of underlying ties
    and shared spaces).

    >>> from netmap.model import Actor, Membership, NetworkMap, Space, Tie
    >>> nmap = NetworkMap("m", "M",
    ...     actors=[Actor(x, x.upper()) for x in "abcd"],
    ...     ties=[Tie("a", "b", weight=2.0), Tie("a", "zz")],
    ...     spaces=[Space("s1", "Forum"), Space("s2", "Board")],
    ...     memberships=[Membership("a", "s1"), Membership("b", "s1"),
    ...                  Membership("c", "s1"), Membership("a", "s2"), Membership("b", "s2")])
    >>> G = build_graph(nmap)
    >>> G.number_of_nodes(), G.number_of_edges()
    (4, 3)
    >>> G.edges["a", "b"]
    {'weight': 4.0, 'types': ['co_member', 'partnership'], 'spaces': ['s1', 's2'], 'ties': 3}
    >>> G.number_of_edges() == build_graph(nmap, co_membership=False).number_of_edges() + 2
    True

    Complexity: O(A + T + sum over spaces of k_s^2) for A actors, T ties and
    spaces with k_s members: a space with k members adds k(k-1)/2 ties, so a
    large event or pledge dominates the graph (build with
    ``co_membership=False`` to leave spaces out).
    """
    with collector_paused():
        G = nx.Graph(key=nmap.key, name=nmap.name)
        _add_nodes(G, nmap, framework)
        _Merged(nmap, G, co_membership).into(G)
    return G


class _Merged:
    """The undirected edges of :func:`build_graph`, merged in plain lists in the order each pair first
    appears: a pair's first tie type is kept as a string, a set only once a second type joins it."""

    def __init__(self, nmap: NetworkMap, G: nx.Graph, co_membership: bool) -> None:
        self.index: dict[tuple[str, str], int] = {}
        self.weights: list[float] = []
        self.counts: list[int] = []
        self.types: list[str | set[str]] = []
        self.spaces: dict[int, set[str]] = {}
        self._add_ties(_known_ties(nmap, G))
        if co_membership:
            members: dict[str, dict[str, None]] = defaultdict(dict)  # an ordered set per space
            known = G._node
            for membership in nmap.memberships:
                if membership.actor_id in known:
                    members[membership.space_id][membership.actor_id] = None
            for space_id, actor_ids in members.items():
                for u, v in combinations(actor_ids, 2):
                    k = self.add(u, v, CO_MEMBERSHIP, 1.0)
                    self.spaces.setdefault(k, set()).add(space_id)

    def _add_ties(self, ties: Iterator[Tie]) -> None:
        """:meth:`add` for each tie, in one loop over local names (a million calls cost a second)."""
        index, weights, counts, types = self.index, self.weights, self.counts, self.types
        for tie in ties:
            u, v, tie_type = tie.from_id, tie.to_id, tie.type
            k = index.setdefault((u, v) if u < v else (v, u), len(weights))
            if k == len(weights):
                weights.append(0.0 + float(tie.weight))
                counts.append(1)
                types.append(tie_type)
                continue
            weights[k] += float(tie.weight)
            counts[k] += 1
            held = types[k]
            if type(held) is str:
                if held != tie_type:
                    types[k] = {held, tie_type}
            else:
                held.add(tie_type)

    def add(self, u: str, v: str, tie_type: str, weight: float) -> int:
        """One underlying tie (or shared space) between ``u`` and ``v``; the pair's position."""
        key = (u, v) if u < v else (v, u)
        k = self.index.setdefault(key, len(self.weights))
        if k == len(self.weights):
            self.weights.append(0.0 + weight)
            self.counts.append(1)
            self.types.append(tie_type)
            return k
        self.weights[k] += weight
        self.counts[k] += 1
        types = self.types[k]
        if type(types) is str:
            if types != tie_type:
                self.types[k] = {types, tie_type}
        else:
            types.add(tie_type)
        return k

    def into(self, G: nx.Graph) -> None:
        """Put every pair into ``G`` (as ``G.add_edges_from`` would, in the same order), and the edges as
        arrays into its cache for the analyses (:data:`EDGE_ARRAYS`)."""
        adjacency, spaces = G._adj, self.spaces
        datas = []
        for k, ((u, v), weight, count, types) in enumerate(zip(self.index, self.weights, self.counts, self.types,
                                                               strict=True)):
            data = {"weight": weight, "types": [types] if type(types) is str else sorted(types),
                    "spaces": sorted(spaces[k]) if k in spaces else [], "ties": count}
            adjacency[u][v] = data
            adjacency[v][u] = data
            datas.append(data)
        nx._clear_cache(G)
        import numpy as np  # here, not at the top: reading a map must not import it

        position = {v: k for k, v in enumerate(G)}
        where, pairs = position.__getitem__, self.index.keys()
        first = np.fromiter(map(where, map(itemgetter(0), pairs)), dtype=np.int64, count=len(pairs))
        second = np.fromiter(map(where, map(itemgetter(1), pairs)), dtype=np.int64, count=len(pairs))
        i, j = np.minimum(first, second), np.maximum(first, second)
        order = np.argsort(i, kind="stable")  # G.edges() order: by the first end, then as added
        cache = getattr(G, "__networkx_cache__", None)
        if cache is not None:
            cache[EDGE_ARRAYS] = (len(position), i[order], j[order], list(map(datas.__getitem__, order.tolist())))
            # each actor's partners in the order they were added to G[v]: entry 2k + 0/1 is edge k seen from
            # its first/second end, sorted stably by the actor whose entry it is
            ends = np.column_stack([first, second]).ravel()
            by_actor = np.argsort(ends, kind="stable")
            indptr = np.zeros(len(position) + 1, dtype=np.int64)
            np.cumsum(np.bincount(ends, minlength=len(position)), out=indptr[1:])
            cache[NEIGHBOURS] = (list(position), indptr, np.column_stack([second, first]).ravel()[by_actor])
            cache[ENTRY_EDGES] = (by_actor // 2, datas)


def build_digraph(nmap: NetworkMap) -> nx.DiGraph:
    """The direct ties of a map as a directed graph (no co-membership).

    A directed tie adds the arc ``from -> to``; an undirected tie adds both
    arcs, so an undirected tie counts as mutual. Nodes are all actors, with the
    attributes of :func:`node_attributes` (``sector`` is ``""``). Arc
    attributes: ``weight`` (sum of tie weights), ``types`` (sorted distinct
    types), ``ties`` (number of underlying ties) and ``directed`` (true when
    at least one underlying tie is directed this way). Ties to unknown actors
    and self-ties are skipped.

    >>> from netmap.model import Actor, NetworkMap, Tie
    >>> nmap = NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B"), Actor("c", "C")],
    ...     ties=[Tie("a", "b", "funds", directed=True), Tie("b", "c")])
    >>> sorted(build_digraph(nmap).edges(data="directed"))
    [('a', 'b', True), ('b', 'c', False), ('c', 'b', False)]

    Complexity: O(A + T).
    """
    D = nx.DiGraph(key=nmap.key, name=nmap.name)
    _add_nodes(D, nmap, None)
    arcs = _Edges(directed=True)
    for tie in _known_ties(nmap, D):
        u, v = tie.from_id, tie.to_id
        arcs.add(u, v, tie.type, float(tie.weight), directed=tie.directed)
        if not tie.directed:
            arcs.add(v, u, tie.type, float(tie.weight))
    arcs.into(D)
    return D


def reciprocity(nmap: NetworkMap) -> float | None:
    """Share of the directed arcs of :func:`build_digraph` whose reverse arc exists, without building it.

    The same number as ``network_summary``'s ``reciprocity`` on the digraph:
    an arc is directed when at least one directed tie runs that way; an
    undirected tie gives both arcs. None when no tie is directed.

    >>> from netmap.model import Actor, NetworkMap, Tie
    >>> nmap = NetworkMap("m", "M", actors=[Actor(x, x) for x in "abc"],
    ...     ties=[Tie("a", "b", "funds", directed=True), Tie("b", "a", "refers_to", directed=True),
    ...           Tie("a", "c", "funds", directed=True)])
    >>> round(reciprocity(nmap), 4)  # a->b and b->a answer each other, a->c does not
    0.6667

    Complexity: O(T) for T ties.
    """
    import numpy as np

    position = {actor.id: k for k, actor in enumerate(nmap.actors)}
    n, ties, unknown = len(position), nmap.ties, repeat(-1)
    u = np.fromiter(map(position.get, map(attrgetter("from_id"), ties), unknown), dtype=np.int64, count=len(ties))
    v = np.fromiter(map(position.get, map(attrgetter("to_id"), ties), unknown), dtype=np.int64, count=len(ties))
    directed = np.fromiter(map(attrgetter("directed"), ties), dtype=bool, count=len(ties))
    known = (u >= 0) & (v >= 0) & (u != v)
    u, v, directed = u[known], v[known], directed[known]
    arcs = _distinct(np.concatenate([u * n + v, (v * n + u)[~directed]]))  # an undirected tie: both arcs
    one_way = _distinct(u[directed] * n + v[directed])
    if not len(one_way):
        return None
    answered = np.isin((one_way % n) * n + one_way // n, arcs, assume_unique=True)
    return int(answered.sum()) / len(one_way)


def _distinct(values):
    """The distinct values, sorted (``numpy.unique``, by a sort: several times faster on a million arcs than
    the hash table numpy 2 uses for integers)."""
    import numpy as np

    values = np.sort(values)
    return values[np.concatenate([values[:1] == values[:1], values[1:] != values[:-1]])]
