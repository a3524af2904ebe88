"""Ego gaps: for the key actors of a system, the constituencies they are expected to reach and do not.

An ego is, by default, an actor of a constituency whose framework entry has a
``reaches`` list (a mental health trust, a commissioner, a council); other
actors only on request (``--ego``, or the map's ``ego`` list). An ego's
expected constituencies are the ``reaches`` of its constituencies, or, for a
chosen ego of a kind with no such list, every constituency. A constituency
counts only if some actor of the ego's locality holds it (an absent
constituency is its own finding), and it is reached by a tie or a shared space.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import networkx as nx

from netmap.gaps.finding import PRIORITY_WEIGHT, Finding, article, join_words, lower_label
from netmap.model import Framework, NetworkMap
from netmap.scopes import in_locality


def default_egos(nmap: NetworkMap, framework: Framework) -> list[str]:
    """The actors whose ego gaps to report: the map's ``ego`` list, else the bodies whose job is to reach others.

    Those are the (non-individual) actors holding a constituency the framework gives a ``reaches`` list (a
    trust, a commissioner, a council); where such a constituency has bodies serving the whole map (no
    locality), only they are egos, not their local teams (a community mental health team, a neighbourhood
    office), whose reach is their body's.
    """
    if nmap.ego:
        return [e for e in nmap.ego if nmap.actor(e) is not None]
    reachers = [a for a in nmap.actors if a.kind != "individual" and framework.reach(a.constituencies)]
    wide = {k for a in reachers if not a.locality for k in a.constituencies if framework.reach((k,))}
    return [a.id for a in reachers
            if not a.locality or not any(k in wide for k in a.constituencies if framework.reach((k,)))]


def ego_gaps(G: nx.Graph, framework: Framework, ego: str, present: Collection[str] | None = None) -> list[str]:
    """The constituencies ``ego`` is expected to reach that neither it nor any actor it is tied to holds.

    Expected: the framework's ``reaches`` of the ego's constituencies, or every
    constituency if they have none. With ``present``, only those constituencies count.

    >>> from netmap.model import Constituency
    >>> fw = Framework("f", "F", (Constituency("a", "A", "statutory", reaches=("b",)),
    ...                           Constituency("b", "B", "vcse"), Constituency("c", "C", "vcse")))
    >>> G = nx.Graph(); G.add_node("x", constituencies=["a"]); G.add_node("y", constituencies=["b"])
    >>> ego_gaps(G, fw, "x"), ego_gaps(G, fw, "y")
    (['b'], ['a', 'c'])
    """
    own = G.nodes[ego].get("constituencies") or ()
    expected = framework.reach(own) or framework.keys
    held = set(own)
    for m in G.neighbors(ego):
        held.update(G.nodes[m].get("constituencies") or ())
    return [k for k in expected if k not in held and (present is None or k in present)]


def _present_around(nmap: NetworkMap, G: nx.Graph, ego: str) -> set[str]:
    """Constituencies held in the ego's locality (the whole map for an ego with no locality)."""
    locality = G.nodes[ego].get("locality", "")
    return {k for a in nmap.actors if not locality or in_locality(a, locality) for k in a.constituencies}


def _reacher_label(framework: Framework, own: Iterable[str], missing: list[str]) -> str:
    """The label of the ego's constituency whose reaches list holds most of ``missing``."""
    best = max((c for k in own if (c := framework.get(k)) is not None and c.reaches),
               key=lambda c: sum(m in c.reaches for m in missing))
    return article(best.label)


def _said_already(links: Iterable[Finding], locality: str) -> set[frozenset[str]]:
    """Pairs of constituencies a missing-link finding already reports where the ego works (all localities for
    an ego with no locality)."""
    return {frozenset((f.data["a"], f.data["b"])) for f in links
            if not locality or f.locality in ("", locality)}


def ego_findings(nmap: NetworkMap, G: nx.Graph, framework: Framework, egos: Iterable[str],
                 links: Iterable[Finding] = ()) -> list[Finding]:
    """One finding per ego that is not tied to some constituency it is expected to reach.

    A constituency is left out of an ego's list when a missing-link finding (``links``) already says that
    none of the ego's constituency is tied to it there: one fact, one finding.
    """
    findings = []
    links = list(links)
    for ego in egos:
        if ego not in G:
            continue
        own = list(G.nodes[ego].get("constituencies") or ())
        said = _said_already(links, G.nodes[ego].get("locality", ""))
        missing = [c for c in ego_gaps(G, framework, ego, _present_around(nmap, G, ego))
                   if not any(frozenset((k, c)) in said for k in own)]
        if not missing:
            continue
        priority = [k for k in missing if (c := framework.get(k)) and c.weight >= PRIORITY_WEIGHT]
        name = G.nodes[ego].get("name", ego)
        labels = [lower_label(framework.label(k)) for k in missing]
        shown = join_words(labels[:6] + ([f"{len(labels) - 6} more"] if len(labels) > 6 else []), "or")
        if framework.reach(own):
            rule = "ego_gap.expected_reach"
            why = f"which the framework expects {_reacher_label(framework, own, missing)} to reach"
        else:
            rule = "ego_gap.any_constituency"
            why = "all present in the network (a chosen actor, expected to reach every constituency)"
        findings.append(Finding(
            "ego_gap", "medium" if priority else "low", G.nodes[ego].get("locality", ""), ego,
            f"{name} has no tie to any {shown}, {why}.",
            {"actor": ego, "name": name, "missing": missing, "priority_missing": priority,
             "missing_count": len(missing), "expected": list(framework.reach(own) or framework.keys),
             "framework_size": len(framework.constituencies)}, rule))
    return findings
