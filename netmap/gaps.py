"""Gap analysis: what a local system is missing, against a framework.

:func:`find_gaps` returns :class:`Finding` objects, one per gap, each with a
``kind``, a ``severity``, the ``locality`` and ``subject`` it is about, the
numbers behind it (``data``) and a plain-English ``message``. It never
raises for data problems: an empty map simply has every constituency absent.

Kinds (see docs/gaps-json.md for the JSON schema):

``absent_constituency``
    no actor of the constituency in the locality.
``under_represented``
    fewer actors than the framework's ``min_presence``.
``peripheral_constituency``
    present, but with much less than its share of centrality ("voice"), or
    reached from the rest of the system only through one broker.
``missing_link``
    a pair of constituencies the framework expects to be tied, with no tie
    (or shared space) between any of their actors.
``community_coverage``
    a Census 2021 group of the local population with no organisation led by
    or serving it, or with far less voice than its population share.
``fragility``
    a cut vertex whose departure cuts actors off; an actor that depends on a
    single funder or commissioner; one whose only statutory contact is one body.
``ego_gap``
    for a chosen actor (by default every statutory body), the constituencies
    it has no tie to, directly or through a shared space.

>>> from netmap.workspace import read_workspace
>>> from netmap.reference import load_framework
>>> from netmap.resources import sites_dir
>>> leeds = read_workspace(sites_dir() / "leeds")
>>> absent = {f.subject for f in find_gaps(leeds, load_framework("whole-system"))
...           if f.kind == "absent_constituency"}
>>> "service_user_led" in absent, "commissioner" in absent
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from netmap.analysis import Analysis, analyse
from netmap.model import Framework, NetworkMap, PopulationProfile
from netmap.reference import census_groups, high_level_group
from netmap.scopes import Scope, holders_by_constituency, locality_scopes

KINDS = ("absent_constituency", "under_represented", "peripheral_constituency", "missing_link",
         "community_coverage", "fragility", "ego_gap")
SEVERITIES = ("high", "medium", "low")

#: A constituency whose voice is below this fraction of its share of actors is peripheral.
PERIPHERAL_VOICE_RATIO = 0.5
#: A community whose organisations' voice is below this fraction of its population share is under-voiced.
UNDER_VOICED_RATIO = 0.5
#: High-level groups assumed to be served by mainstream organisations (those listing no community).
MAINSTREAM_GROUPS = ("white",)
#: Weight at or above which a framework constituency counts as a priority.
PRIORITY_WEIGHT = 1.5


@dataclass(frozen=True)
class Finding:
    """One gap, with the numbers behind it and a sentence a convenor can read."""

    kind: str
    severity: str
    locality: str
    subject: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sort_key(f: Finding) -> tuple:
    return (SEVERITIES.index(f.severity), KINDS.index(f.kind), f.locality, f.subject)


def _lower(label: str) -> str:
    """A label for the middle of a sentence: 'Carer-led group' -> 'carer-led group', 'NHS ...' kept."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------- 1-3 constituencies


def _constituency_findings(G: nx.Graph, actors: pd.DataFrame, framework: Framework,
                           scope: Scope) -> list[Finding]:
    findings = []
    nodes = scope.nodes
    n = len(nodes)
    pagerank = actors["pagerank"].reindex(nodes).fillna(0.0)
    total_rank = float(pagerank.sum()) or 1.0
    where = f" in {scope.name}" if scope.name else ""
    in_scope = set(nodes)
    holders = holders_by_constituency(G, nodes)
    for c in framework.constituencies:
        members = holders.get(c.key, [])
        count = len(members)
        base = {"constituency": c.key, "label": c.label, "sector": c.sector, "count": count,
                "min_presence": c.min_presence, "weight": c.weight, "actors_in_locality": n}
        if count == 0 and c.min_presence == 0:
            continue
        if count == 0:
            severity = "high" if c.weight >= PRIORITY_WEIGHT else "medium"
            findings.append(Finding(
                "absent_constituency", severity, scope.key, c.key,
                f"{c.label}: none in the network{where}; the framework expects at least {c.min_presence}.",
                base))
            continue
        if count < c.min_presence:
            findings.append(Finding(
                "under_represented", "medium", scope.key, c.key,
                f"{c.label}: only {_plural(count, 'actor')} in the network{where}; the framework expects "
                f"at least {c.min_presence}.", base))
        share = count / n if n else 0.0
        voice = float(pagerank.reindex(members).sum()) / total_rank
        member_set = set(members)
        outside = {m for a in members for m in G.neighbors(a) if m not in member_set and m in in_scope}
        data = {**base, "share": round(share, 4), "voice": round(voice, 4),
                "voice_ratio": round(voice / share, 3) if share else None}
        if not outside and n > count:
            findings.append(Finding(
                "peripheral_constituency", "high" if c.weight >= PRIORITY_WEIGHT else "medium", scope.key, c.key,
                f"{c.label} ({_plural(count, 'actor')}) has no tie to anyone else{where}.",
                {**data, "reason": "isolated", "brokers": []}))
        elif len(outside) == 1 and n > count + 1:
            broker = next(iter(outside))
            findings.append(Finding(
                "peripheral_constituency", "medium", scope.key, c.key,
                f"{c.label} is reached only through {G.nodes[broker].get('name', broker)}{where}: if that tie "
                "goes, the constituency is cut off.", {**data, "reason": "single_broker", "brokers": [broker]}))
        elif share and voice / share < PERIPHERAL_VOICE_RATIO:
            findings.append(Finding(
                "peripheral_constituency", "low", scope.key, c.key,
                f"{c.label} has {share:.0%} of the actors{where} but only {voice:.0%} of the centrality "
                "(PageRank): present, but on the edge.", {**data, "reason": "low_centrality", "brokers": []}))
    return findings


# --------------------------------------------------------------------------- 4 missing links


def missing_links(G: nx.Graph, framework: Framework, nodes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Expected constituency pairs with no tie between any of their actors.

    A tie counts if it joins an actor holding one constituency of the pair to
    a *different* actor holding the other (co-membership of a space counts).
    Complexity: O(sum of the degrees of the scope's actors).
    """
    node_list = list(G.nodes) if nodes is None else list(nodes)
    held = {v: G.nodes[v].get("constituencies", ()) for v in node_list}
    linked: set[tuple[str, str]] = set()
    adjacency = G._adj  # the graph's own dict of dicts: the scope's ties, each seen from both ends
    for u in held:
        for v in adjacency[u]:
            if v != u and v in held:
                for a in held[u]:
                    for b in held[v]:
                        linked.add((a, b) if a <= b else (b, a))
    holders = holders_by_constituency(G, node_list)
    result = []
    for link in framework.expected_links:
        if link.key in linked:
            continue
        result.append({"a": link.a, "b": link.b, "rationale": link.reason,
                       "a_count": len(holders.get(link.a, [])), "b_count": len(holders.get(link.b, []))})
    return result


def _missing_link_findings(G: nx.Graph, framework: Framework, scope: Scope) -> list[Finding]:
    findings = []
    where = f" in {scope.name}" if scope.name else ""
    for item in missing_links(G, framework, scope.nodes):
        la, lb = _lower(framework.label(item["a"])), _lower(framework.label(item["b"]))
        both = item["a_count"] and item["b_count"]
        if both:
            message = (f"{_plural(item['a_count'], 'actor')} from {la} and {_plural(item['b_count'], 'actor')} "
                       f"from {lb} are in the network{where} but none are tied. {item['rationale']}").strip()
            severity = "high"
        else:
            absent = [label for label, n in ((la, item["a_count"]), (lb, item["b_count"])) if not n]
            message = (f"The expected link between {la} and {lb} is missing{where} because "
                       f"{' and '.join(absent)} {'is' if len(absent) == 1 else 'are'} absent.")
            severity = "low"
        findings.append(Finding("missing_link", severity, scope.key, f"{item['a']}--{item['b']}", message, item))
    return findings


# --------------------------------------------------------------------------- 5 communities


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
    for group_key, share in profile.shares.items():
        parts = set(group_key.split("+"))
        serving = [x for x in node_list
                   if any(high_level_group(c) in parts for c in G.nodes[x].get("communities", ()))]
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


def _community_findings(G: nx.Graph, actors: pd.DataFrame, scope: Scope) -> list[Finding]:
    if scope.population is None:
        return []
    coverage = community_coverage(G, actors, scope.population, scope.nodes)
    findings = []
    where = f" in {scope.name}" if scope.name else ""
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
                f"organisation in the network{where} is led by or serves them.", data))
        elif row["voice_ratio"] is not None and row["voice_ratio"] < UNDER_VOICED_RATIO:
            findings.append(Finding(
                "community_coverage", "low", scope.key, str(group),
                f"{row['name']} communities are {share:g}% of {scope.population.name}'s population; the "
                f"{_plural(int(row['organisations']), 'organisation')} serving them hold only {row['voice']:.1f}% "
                "of the network's centrality.", data))
    return findings


# --------------------------------------------------------------------------- 6 fragility


def _fragility_findings(nmap: NetworkMap, G: nx.Graph, actors: pd.DataFrame,
                        framework: Framework) -> list[Finding]:
    findings = []
    n = G.number_of_nodes()
    cut = actors[actors["is_cut_vertex"]] if "is_cut_vertex" in actors else actors.iloc[0:0]
    for actor_id, row in cut.sort_values("cut_vertex_impact", ascending=False).iterrows():
        impact = int(row["cut_vertex_impact"])
        if impact <= 0:
            continue
        severity = "high" if impact >= max(3, 0.1 * n) else "medium" if impact >= 2 else "low"
        name = G.nodes[actor_id].get("name", actor_id)
        findings.append(Finding(
            "fragility", severity, G.nodes[actor_id].get("locality", ""), str(actor_id),
            f"{name} holds part of the system together: if it left, {_plural(impact, 'actor')} would lose "
            "contact with the rest of the network.",
            {"reason": "cut_vertex", "actor": actor_id, "name": name, "impact": impact}))
    funders: dict[str, set[str]] = {}
    for tie in nmap.ties:
        if tie.type in ("funds", "commissions") and tie.directed:
            funders.setdefault(tie.to_id, set()).add(tie.from_id)
    index = nmap.actor_index()
    for actor_id, sources in sorted(funders.items()):
        actor = index.get(actor_id)
        if actor is None or len(sources) != 1:
            continue
        funder = next(iter(sources))
        funder_name = index[funder].name if funder in index else funder
        findings.append(Finding(
            "fragility", "medium", actor.locality, actor_id,
            f"{actor.name} depends on a single funder or commissioner ({funder_name}).",
            {"reason": "single_funder", "actor": actor_id, "name": actor.name, "funders": [funder]}))
    for actor in nmap.actors:
        if framework.sector_of(actor) not in ("vcse", "community") or actor.id not in G:
            continue
        statutory = [m for m in G.neighbors(actor.id) if G.nodes[m].get("sector") == "statutory"]
        if len(statutory) == 1 and G.degree(actor.id) > 1 and funders.get(actor.id) != set(statutory):
            contact = statutory[0]
            findings.append(Finding(
                "fragility", "low", actor.locality, actor.id,
                f"{actor.name}'s only statutory contact is {G.nodes[contact].get('name', contact)}.",
                {"reason": "single_statutory_contact", "actor": actor.id, "name": actor.name,
                 "contact": contact}))
    return findings


# --------------------------------------------------------------------------- 7 ego gaps


def default_egos(nmap: NetworkMap, framework: Framework) -> list[str]:
    """The actors whose ego gaps to report: the map's ``ego`` list, else every statutory body."""
    if nmap.ego:
        return [e for e in nmap.ego if nmap.actor(e) is not None]
    return [a.id for a in nmap.actors if framework.sector_of(a) == "statutory"]


def ego_gaps(G: nx.Graph, framework: Framework, ego: str) -> list[str]:
    """Framework constituencies held by neither ``ego`` nor any actor it is tied to.

    >>> from netmap.model import Constituency
    >>> fw = Framework("f", "F", (Constituency("a", "A", "vcse"), Constituency("b", "B", "vcse")))
    >>> G = nx.Graph(); G.add_node("x", constituencies=["a"]); G.add_node("y", constituencies=["b"])
    >>> ego_gaps(G, fw, "x")
    ['b']
    """
    held = set(G.nodes[ego].get("constituencies", ()))
    for m in G.neighbors(ego):
        held.update(G.nodes[m].get("constituencies", ()))
    return [c.key for c in framework.constituencies if c.key not in held]


def _ego_findings(G: nx.Graph, framework: Framework, egos: Iterable[str]) -> list[Finding]:
    findings = []
    for ego in egos:
        if ego not in G:
            continue
        missing = ego_gaps(G, framework, ego)
        if not missing:
            continue
        priority = [k for k in missing if (c := framework.get(k)) and c.weight >= PRIORITY_WEIGHT]
        name = G.nodes[ego].get("name", ego)
        labels = ", ".join(_lower(framework.label(k)) for k in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        findings.append(Finding(
            "ego_gap", "medium" if priority else "low", G.nodes[ego].get("locality", ""), ego,
            f"{name} has no tie to {labels}{more}.",
            {"actor": ego, "name": name, "missing": missing, "priority_missing": priority,
             "missing_count": len(missing), "framework_size": len(framework.constituencies)}))
    return findings


# --------------------------------------------------------------------------- entry point


def find_gaps(nmap: NetworkMap, framework: Framework, analysis: Analysis | None = None, *,
              egos: Iterable[str] | None = None, by_locality: bool = True) -> list[Finding]:
    """Every gap of a map against a framework, most severe first.

    ``analysis`` is computed if not given. ``egos`` defaults to
    :func:`default_egos`. With ``by_locality`` (default), constituency,
    link and community findings are computed per locality of the map (actors
    without a locality count in each); otherwise once for the whole map.
    Complexity: dominated by the analysis (betweenness, O(V E)).
    """
    analysis = analysis or analyse(nmap, framework)
    G, actors = analysis.graph, analysis.actors
    findings: list[Finding] = []
    for scope in locality_scopes(nmap, by_locality):
        findings += _constituency_findings(G, actors, framework, scope)
        findings += _missing_link_findings(G, framework, scope)
        findings += _community_findings(G, actors, scope)
    findings += _fragility_findings(nmap, G, actors, framework)
    findings += _ego_findings(G, framework, default_egos(nmap, framework) if egos is None else egos)
    return sorted(findings, key=_sort_key)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a table (one row each; ``data`` kept as a JSON-able dict column)."""
    return pd.DataFrame([f.to_dict() for f in findings],
                        columns=["kind", "severity", "locality", "subject", "message", "data"])
