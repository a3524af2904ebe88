"""Network analyses of a map: :func:`analyse` runs them all and returns an :class:`Analysis`.

The functions take the graphs of :mod:`netmap.graph` (an undirected simple
graph whose nodes carry ``primary`` constituency and whose edges carry a
``weight``) and return dicts, floats or pandas DataFrames. Nothing here reads
or writes files or prints. The modules, by topic:

* :mod:`~netmap.analysis.sampling`: when betweenness, closeness and path
  lengths are exact, and which actors are sampled when they are not;
* :mod:`~netmap.analysis.backend`: when igraph computes the measures, and the
  graph as arrays, sparse matrices or an igraph Graph;
* :mod:`~netmap.analysis.centrality`: the actor table (:func:`actor_metrics`);
* :mod:`~netmap.analysis.structure`: Burt's measures, reach, cut vertices,
  brokerage and role labels;
* :mod:`~netmap.analysis.network`: whole-network measures (:func:`network_summary`);
* :mod:`~netmap.analysis.groups`: mixing matrix, Blau heterogeneity, E-I index;
* :mod:`~netmap.analysis.constituencies`: the constituency table;
* :mod:`~netmap.analysis.communities`: Louvain communities.

Conventions used throughout:

* An actor without a constituency (``primary == ""``) belongs to the group
  ``"unclassified"`` (:data:`UNCLASSIFIED`) wherever actors are grouped by
  constituency: mixing matrix, E-I index, Blau heterogeneity, brokerage.
* Betweenness and closeness treat ties as unweighted (a stronger tie is not a
  shorter path); strength, PageRank, eigenvector centrality and Burt's
  measures use the tie ``weight``.
* Results are deterministic for a fixed ``seed`` (sampling, Louvain).
* networkx is the reference implementation; numpy computes PageRank and
  eigenvector centrality, scipy's sparse matrices Burt's measures, reach and
  brokerage, and python-igraph takes over above
  :data:`~netmap.analysis.backend.IGRAPH_MIN_NODES` actors (the same numbers,
  faster).

>>> from netmap.model import Actor, NetworkMap, Tie
>>> nmap = NetworkMap("demo", "Demo",
...     actors=[Actor(x, x.upper(), ("vcse",)) for x in "abc"] + [Actor("d", "D", ("nhs",))],
...     ties=[Tie("a", "b"), Tie("b", "c"), Tie("c", "d")])
>>> result = analyse(nmap, None)
>>> result.summary["actors"], result.summary["ties"], result.summary["diameter"]
(4, 3, 3)
>>> result.actors.loc["b", ["degree", "betweenness", "role"]]  # doctest: +NORMALIZE_WHITESPACE
degree                    2
betweenness        0.666667
role                 broker
Name: b, dtype: object
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from netmap.analysis.backend import GraphArrays
from netmap.analysis.centrality import ACTOR_MEASURES, actor_metrics
from netmap.analysis.communities import detect_communities
from netmap.analysis.constituencies import CONSTITUENCY_MEASURES, constituency_metrics
from netmap.analysis.estimate import guarantee_sentence
from netmap.analysis.groups import UNCLASSIFIED, blau_heterogeneity, ei_index, mixing_matrix
from netmap.analysis.network import network_summary
from netmap.analysis.sampling import DEFAULT_SAMPLE, EXACT_MAX_NODES, check_sampling
from netmap.analysis.structure import ROLES
from netmap.graph import build_digraph, build_graph, reciprocity
from netmap.model import Framework, NetworkMap

__all__ = [
    "ACTOR_MEASURES", "CONSTITUENCY_MEASURES", "DEFAULT_SAMPLE", "EXACT_MAX_NODES", "ROLES", "UNCLASSIFIED",
    "Analysis", "actor_metrics", "analyse", "blau_heterogeneity", "constituency_metrics", "detect_communities",
    "ei_index", "mixing_matrix", "network_summary",
]


@dataclass
class Analysis:
    """Every analysis of one map (see :func:`analyse`).

    ``digraph`` (the direct ties with their direction,
    :func:`netmap.graph.build_digraph`) is built from ``nmap`` when first
    asked for: no measure needs it, and on a national map it is the largest
    object in memory.
    """

    graph: nx.Graph
    summary: dict
    actors: pd.DataFrame
    constituencies: pd.DataFrame
    mixing_observed: pd.DataFrame
    mixing_expected: pd.DataFrame
    blau: float
    ei: float
    nmap: NetworkMap | None = field(default=None, repr=False)
    _digraph: nx.DiGraph | None = field(default=None, repr=False)

    @property
    def digraph(self) -> nx.DiGraph:
        """The direct ties as a directed graph, built on first use."""
        if self._digraph is None:
            self._digraph = build_digraph(self.nmap) if self.nmap is not None else nx.DiGraph()
        return self._digraph

    def estimate_note(self) -> str:
        """One sentence on which measures were estimated from sampled actors ("" when all are exact).

        >>> a = analyse(NetworkMap("m", "M"), None)
        >>> a.actors.attrs.update(betweenness_sample=40, seed=42)
        >>> a.estimate_note()
        'Betweenness and closeness were estimated from 40 sampled actors (seed 42); path lengths are exact.'
        >>> a.actors.attrs.update(betweenness_sample=None, closeness_sample=500, betweenness_estimate={
        ...     "method": "pair-sampling", "epsilon": 0.005, "delta": 0.1, "samples": 240_000, "seed": 42})
        >>> print(a.estimate_note())  # doctest: +NORMALIZE_WHITESPACE
        Betweenness was estimated (the shortest paths of 240,000 sampled pairs of actors, seed 42): every
        actor's value is within 0.005 of the exact one with 90% probability. Closeness was estimated from
        500 sampled actors (seed 42).
        """
        actors_k = self.actors.attrs.get("betweenness_sample")
        paths_k = self.summary.get("paths_sampled")
        seed = self.actors.attrs.get("seed", 42)
        guarantee = self.actors.attrs.get("betweenness_estimate")
        if guarantee:  # the default above the exact limit: betweenness with a stated error bound
            closeness_k = self.actors.attrs.get("closeness_sample")
            paths = f", path lengths from {paths_k:,} actors of the largest component" if paths_k else ""
            return (f"{guarantee_sentence(guarantee)} Closeness was estimated from {closeness_k:,} sampled "
                    f"actors{paths} (seed {seed}).")
        if actors_k and paths_k:
            return (f"Betweenness and closeness were estimated from {actors_k:,} sampled actors, path lengths "
                    f"from {paths_k:,} actors of the largest component (seed {seed}).")
        if actors_k:
            return (f"Betweenness and closeness were estimated from {actors_k:,} sampled actors (seed {seed}); "
                    "path lengths are exact.")
        if paths_k:
            return (f"Path lengths were estimated from {paths_k:,} sampled actors of the largest component "
                    f"(seed {seed}); betweenness and closeness are exact.")
        return ""




def analyse(
    nmap: NetworkMap,
    framework: Framework | None,
    *,
    sample: int | None = None,
    exact: bool = False,
    seed: int = 42,
    co_membership: bool = True,
) -> Analysis:
    """Build the graphs of a map and run every analysis on them.

    ``actors`` is :func:`actor_metrics` plus a ``community`` column
    (:func:`detect_communities`); ``summary`` is :func:`network_summary`;
    ``constituencies`` is :func:`constituency_metrics`; ``blau`` and ``ei``
    are :func:`blau_heterogeneity` and :func:`ei_index` on primary
    constituencies. ``co_membership`` is passed to
    :func:`netmap.graph.build_graph`.

    ``sample`` and ``exact`` say how betweenness, closeness and path lengths
    are measured (:mod:`netmap.analysis.sampling`): by default exactly up to
    :data:`EXACT_MAX_NODES` actors and from :data:`DEFAULT_SAMPLE` sampled
    actors above; ``sample=k`` (k >= 2) samples k actors; ``exact=True`` is
    exact however large the map. A ``sample`` below 2, or both, raise
    :class:`~netmap.errors.AnalysisError`.

    >>> from netmap.model import Actor, NetworkMap, Tie
    >>> nmap = NetworkMap("m", "M", actors=[Actor("a", "A"), Actor("b", "B"), Actor("c", "C")],
    ...                   ties=[Tie("a", "b")])
    >>> a = analyse(nmap, None)
    >>> a.actors["community"].to_dict(), a.actors["role"].tolist()
    ({'a': 0, 'b': 0, 'c': 1}, ['peripheral', 'peripheral', 'isolate'])
    >>> analyse(nmap, None, sample=0)
    Traceback (most recent call last):
    ...
    netmap.errors.AnalysisError: sample must be at least 2 actors (got 0); use exact=True to measure exactly

    Complexity: that of :func:`actor_metrics` (the dominant cost).
    """
    check_sampling(sample, exact)  # before building anything
    G = build_graph(nmap, framework, co_membership=co_membership)
    arrays = GraphArrays(G)  # read once, shared by every measure
    actors = actor_metrics(G, sample=sample, exact=exact, seed=seed, arrays=arrays)
    communities = detect_communities(G, seed=seed, arrays=arrays)
    actors["community"] = pd.Series(communities, dtype="int64").reindex(actors.index)
    observed, expected = mixing_matrix(G)
    summary = network_summary(G, None, seed=seed, sample=sample, exact=exact, arrays=arrays)
    summary["reciprocity"] = reciprocity(nmap)  # the digraph's figure, without building the digraph
    return Analysis(
        graph=G,
        summary=summary,
        actors=actors,
        constituencies=constituency_metrics(G, framework, actors=actors),
        mixing_observed=observed,
        mixing_expected=expected,
        blau=blau_heterogeneity(G),
        ei=ei_index(G),
        nmap=nmap,
    )
