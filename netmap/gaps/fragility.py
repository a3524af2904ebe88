"""Fragility: who holds the system together (cut vertices, bridge ties), who depends on one funder or one
statutory contact, and who has no ties at all."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from netmap.analysis.structure import bridge_ties, neighbour_arrays
from netmap.gaps.finding import (
    FRAGILE_FUNDING_SECTORS,
    PRIORITY_WEIGHT,
    Finding,
    join_words,
    lower_label,
    plural,
    possessive,
)
from netmap.model import Framework, NetworkMap


def _severity(cut_off: int, n: int) -> str:
    """High when at least 3 actors and 10% of the map would be cut off, medium for 2, low for 1."""
    return "high" if cut_off >= max(3, 0.1 * n) else "medium" if cut_off >= 2 else "low"


def _name(G: nx.Graph, actor_id: str) -> str:
    return str(G.nodes[actor_id].get("name", actor_id))


def cut_vertex_findings(G: nx.Graph, actors: pd.DataFrame, named: set[str] = frozenset()) -> list[Finding]:
    """Each actor whose leaving would cut others off, with how many.

    ``named``: actors whose whole impact a bridge finding already states (:func:`bridge_findings`), so that one
    fact is one finding.
    """
    findings = []
    n = G.number_of_nodes()
    cut = actors[actors["is_cut_vertex"]] if "is_cut_vertex" in actors else actors.iloc[0:0]
    for actor_id, row in cut.sort_values("cut_vertex_impact", ascending=False, kind="stable").iterrows():
        impact = int(row["cut_vertex_impact"])
        if impact <= 0 or actor_id in named:
            continue
        name = _name(G, actor_id)
        findings.append(Finding(
            "fragility", _severity(impact, n), G.nodes[actor_id].get("locality", ""), str(actor_id),
            f"{name} holds part of the system together: if it left, {plural(impact, 'actor')} would lose "
            "contact with the rest of the network.",
            {"reason": "cut_vertex", "actor": actor_id, "name": name, "impact": impact}, "fragility.cut_vertex"))
    return findings


def bridge_findings(G: nx.Graph, actors: pd.DataFrame) -> tuple[list[Finding], set[str]]:
    """Each tie that is the only link between two parts of 2 actors or more (a tie to a lone actor is its
    neighbour's cut-vertex finding), and the ends whose leaving cuts off exactly what the tie's ending does.

    Such an end is named in the bridge finding and gets no cut-vertex finding of its own: with a tie u-v
    between u's side (s_u actors, u among them) and v's side (s_v), u's leaving cuts min(s_v, s_u - 1) actors
    off unless it also holds other parts together (then its impact is larger and it keeps its own finding).
    """
    findings: list[Finding] = []
    named: set[str] = set()
    n = G.number_of_nodes()
    impact = actors["cut_vertex_impact"] if "cut_vertex_impact" in actors else pd.Series(dtype=float)
    for u, v, side_u, side_v in bridge_ties(G):
        if min(side_u, side_v) < 2:
            continue
        if side_u > side_v:  # name the end on the smaller side second: "X's tie to Y's side"
            u, v, side_u, side_v = v, u, side_v, side_u
        ends = [e for e, own, far in ((u, side_u, side_v), (v, side_v, side_u))
                if int(impact.get(e, 0)) == min(far, own - 1)]
        named.update(ends)
        nu, nv = _name(G, u), _name(G, v)
        locality = G.nodes[u].get("locality", "") or G.nodes[v].get("locality", "")
        leaving = (f", or if {join_words([_name(G, e) for e in ends], 'or')} left" if ends else "")
        findings.append(Finding(
            "fragility", _severity(side_u, n), locality, f"{u}--{v}",
            f"The tie between {nu} and {nv} is the only link between {plural(side_u, 'actor')} on {possessive(nu)} "
            f"side and {side_v} on {possessive(nv)}: if it ended{leaving}, they would lose contact.",
            {"reason": "bridge", "actors": [u, v], "names": [nu, nv], "sides": [side_u, side_v],
             "cut_off": side_u, "cut_vertices": ends}, "fragility.bridge"))
    return findings, named


def isolate_findings(G: nx.Graph, framework: Framework) -> list[Finding]:
    """Every actor with no tie and no shared space."""
    findings = []
    for actor_id in G:
        if G.degree(actor_id) > 0:
            continue
        attrs = G.nodes[actor_id]
        held = list(dict.fromkeys(attrs.get("constituencies") or ()))
        priority = any((c := framework.get(k)) is not None and c.weight >= PRIORITY_WEIGHT for k in held)
        what = f" ({lower_label(framework.label(held[0]))})" if held else ""
        findings.append(Finding(
            "isolate", "medium" if priority else "low", attrs.get("locality", ""), str(actor_id),
            f"{_name(G, actor_id)}{what} has no tie and shares no space with anyone on the map.",
            {"actor": actor_id, "name": _name(G, actor_id), "constituencies": held}, "isolate.no_ties"))
    return findings


def _only_statutory_contact(G: nx.Graph) -> dict:
    """The actors of ``G`` with exactly one partner whose ``sector`` is statutory, and that partner.

    In numpy over the graph's partner arrays (:func:`~netmap.analysis.structure.neighbour_arrays`).
    """
    nodes, indptr, indices = neighbour_arrays(G)
    statutory = np.fromiter((attrs.get("sector") == "statutory" for attrs in map(G._node.__getitem__, nodes)),
                            dtype=bool, count=len(nodes))
    hits = np.flatnonzero(statutory[indices])  # entries of a statutory partner
    rows = np.repeat(np.arange(len(nodes)), np.diff(indptr))[hits]
    one = np.flatnonzero(np.bincount(rows, minlength=len(nodes)) == 1)
    where_in = np.searchsorted(rows, one)  # rows are sorted: the entry of each such actor's one partner
    return {nodes[u]: nodes[v] for u, v in zip(one.tolist(), indices[hits[where_in]].tolist(), strict=True)}


def dependency_findings(nmap: NetworkMap, G: nx.Graph, framework: Framework) -> list[Finding]:
    """Voluntary and community organisations with a single funder, or a single statutory contact."""
    findings = []
    funders: dict[str, set[str]] = {}
    for tie in nmap.ties:
        if tie.type in ("funds", "commissions") and tie.directed:
            funders.setdefault(tie.to_id, set()).add(tie.from_id)
    index = nmap.actor_index()
    for actor_id, sources in sorted(funders.items()):
        actor = index.get(actor_id)
        if actor is None or len(sources) != 1 or framework.sector_of(actor) not in FRAGILE_FUNDING_SECTORS:
            continue
        funder = next(iter(sources))
        funder_name = index[funder].name if funder in index else funder
        findings.append(Finding(
            "fragility", "medium", actor.locality, actor_id,
            f"{actor.name} depends on a single funder or commissioner ({funder_name}).",
            {"reason": "single_funder", "actor": actor_id, "name": actor.name, "funders": [funder],
             "sector": framework.sector_of(actor)}, "fragility.single_funder"))
    statutory_bodies = [a for a in nmap.actors if framework.sector_of(a) == "statutory"]
    # statutory bodies in each locality (a body with no locality is in every one), counted once: O(n)
    everywhere = sum(not b.locality for b in statutory_bodies)
    by_locality = Counter(b.locality for b in statutory_bodies if b.locality)
    only_contact = _only_statutory_contact(G)
    for actor in nmap.actors:
        if framework.sector_of(actor) not in FRAGILE_FUNDING_SECTORS or actor.id not in only_contact:
            continue
        statutory = [only_contact[actor.id]]
        if G.degree(actor.id) < 2 or funders.get(actor.id) == set(statutory):
            continue
        # with one statutory body in the locality, every organisation has one statutory contact: no finding
        bodies = len(statutory_bodies) if not actor.locality else everywhere + by_locality[actor.locality]
        if bodies >= 2:
            contact = statutory[0]
            findings.append(Finding(
                "fragility", "low", actor.locality, actor.id,
                f"{possessive(actor.name)} only statutory contact is {_name(G, contact)}.",
                {"reason": "single_statutory_contact", "actor": actor.id, "name": actor.name, "contact": contact},
                "fragility.single_statutory_contact"))
    return findings
