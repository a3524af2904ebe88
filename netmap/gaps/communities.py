"""Community coverage: the Census 2021 groups of a locality's population against the organisations serving them."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from netmap.gaps.finding import MAINSTREAM_GROUPS, UNDER_VOICED_RATIO, Finding, plural, where
from netmap.model import PopulationProfile
from netmap.reference import census_groups, high_level_group
from netmap.scopes import Scope


def community_coverage(G: nx.Graph, actors: pd.DataFrame, profile: PopulationProfile,
                       nodes: Iterable[str] | None = None) -> pd.DataFrame:
    """Population share of each Census group against the organisations serving it.

    One row per group (or group sum, e.g. ``mixed+other``) of the profile:
    ``population_share`` (%), ``organisations`` (actors listing a community of
    the group), ``led_by`` (of which led by the community), ``org_share``
    (% of actors), ``voice`` (% of total PageRank held by them) and
    ``voice_ratio`` (voice / population share).
    """
    node_list = list(G.nodes) if nodes is None else list(nodes)
    n = len(node_list) or 1
    pagerank = actors["pagerank"].reindex(node_list).fillna(0.0)
    total_rank = float(pagerank.sum()) or 1.0
    groups = census_groups()
    rows = []
    # each actor's high-level groups, once: an actor serves a group when one of its communities is in it
    served = {x: {high_level_group(c) for c in communities} for x in node_list
              if (communities := G.nodes[x].get("communities", ()))}
    for group_key, share in profile.shares.items():
        parts = set(group_key.split("+"))
        serving = [x for x in node_list if x in served and not served[x].isdisjoint(parts)]
        led = [x for x in serving if G.nodes[x].get("led_by_community")]
        voice = 100 * float(pagerank.reindex(serving).sum()) / total_rank
        name = " + ".join(groups[p].name if p in groups else p for p in group_key.split("+"))
        rows.append({"group": group_key, "name": name, "population_share": share,
                     "organisations": len(serving), "led_by": len(led),
                     "org_share": round(100 * len(serving) / n, 2), "voice": round(voice, 2),
                     "voice_ratio": round(voice / share, 3) if share else None,
                     "actors": serving})
    return pd.DataFrame(rows).set_index("group") if rows else pd.DataFrame(
        columns=["name", "population_share", "organisations", "led_by", "org_share", "voice", "voice_ratio",
                 "actors"])


def community_findings(G: nx.Graph, actors: pd.DataFrame, scope: Scope) -> list[Finding]:
    """Groups of the scope's population with no organisation, or with far less voice than their share."""
    if scope.population is None:
        return []
    coverage = community_coverage(G, actors, scope.population, scope.nodes)
    findings = []
    at = where(scope.name)
    for group, row in coverage.iterrows():
        if set(str(group).split("+")) <= set(MAINSTREAM_GROUPS):
            continue
        data = {k: (v if not isinstance(v, float) else round(v, 4)) for k, v in row.items() if k != "actors"}
        data.update({"group": group, "profile": scope.population.key, "source": scope.population.source})
        share = row["population_share"]
        if row["organisations"] == 0:
            severity = "high" if share >= 5 else "medium" if share >= 1 else "low"
            findings.append(Finding(
                "community_coverage", severity, scope.key, str(group),
                f"{row['name']} communities are {share:g}% of {scope.population.name}'s population, but no "
                f"organisation in the network{at} is led by or serves them.", data,
                "community_coverage.no_organisation"))
        elif row["voice_ratio"] is not None and row["voice_ratio"] < UNDER_VOICED_RATIO:
            findings.append(Finding(
                "community_coverage", "low", scope.key, str(group),
                f"{row['name']} communities are {share:g}% of {scope.population.name}'s population; the "
                f"{plural(int(row['organisations']), 'organisation')} serving them{at} "
                f"{'holds' if int(row['organisations']) == 1 else 'hold'} only {row['voice']:.1f}% "
                "of the network's centrality.", data, "community_coverage.low_voice"))
    return findings
