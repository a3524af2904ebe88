"""Gap analysis: what a local system is missing, against a framework.

:func:`find_gaps` returns :class:`Finding` objects, one per gap, each with a
``kind``, a stable ``rule`` id (see :data:`RULES` and ``netmap gaps
--explain``), a ``severity``, the ``locality`` and ``subject`` it is about,
the numbers behind it (``data``) and a plain-English ``message``. It never
raises for data problems: an empty map simply has every constituency absent.

Kinds (see docs/gaps-json.md for the JSON schema), one module each:

``absent_constituency``, ``under_represented``, ``peripheral_constituency``
    :mod:`~netmap.gaps.constituencies`: no actor of a constituency in the
    locality; fewer than the framework's ``min_presence``; present, but tied
    to no one else, reached through one broker, or with much less than its
    share of centrality ("voice").
``missing_link``
    :mod:`~netmap.gaps.links`: a pair of constituencies the framework expects
    to be tied, both present, that no actor holds together and no tie (or, for
    a link that is not ``direct``, shared space) joins.
``community_coverage``
    :mod:`~netmap.gaps.communities`: a Census 2021 group of the local
    population with no organisation led by or serving it, or with far less
    voice than its population share.
``isolate``, ``fragility``
    :mod:`~netmap.gaps.fragility`: an actor with no ties; a cut vertex whose
    departure cuts actors off; a tie that is the only link between two parts;
    a voluntary or community organisation that depends on a single funder or
    whose only statutory contact is one body.
``ego_gap``
    :mod:`~netmap.gaps.egos`: for a key actor (by default those the framework
    expects to reach other constituencies), the constituencies present in its
    locality it has no tie to, directly or through a shared space.

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

import pandas as pd

from netmap.analysis import Analysis, analyse
from netmap.gaps.communities import community_coverage, community_findings
from netmap.gaps.constituencies import constituency_findings
from netmap.gaps.egos import default_egos, ego_findings, ego_gaps
from netmap.gaps.finding import (
    FRAGILE_FUNDING_SECTORS,
    KINDS,
    MAINSTREAM_GROUPS,
    PERIPHERAL_VOICE_RATIO,
    PRIORITY_WEIGHT,
    SEVERITIES,
    UNDER_VOICED_RATIO,
    Finding,
)
from netmap.gaps.fragility import bridge_findings, cut_vertex_findings, dependency_findings, isolate_findings
from netmap.gaps.links import link_findings, link_status, missing_links
from netmap.gaps.rules import RULES, Rule, explain, sort_key
from netmap.memory import collector_paused
from netmap.model import Framework, NetworkMap
from netmap.scopes import locality_scopes

__all__ = ["FRAGILE_FUNDING_SECTORS", "KINDS", "MAINSTREAM_GROUPS", "PERIPHERAL_VOICE_RATIO", "PRIORITY_WEIGHT",
           "RULES", "SEVERITIES", "UNDER_VOICED_RATIO", "Finding", "Rule", "community_coverage", "default_egos",
           "ego_gaps", "explain", "find_gaps", "findings_frame", "link_status", "missing_links"]


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
    with collector_paused():  # no cycles are made here: a full collection would only walk the map's objects
        return _find_gaps(nmap, framework, analysis, egos, by_locality)


def _find_gaps(nmap: NetworkMap, framework: Framework, analysis: Analysis, egos: Iterable[str] | None,
               by_locality: bool) -> list[Finding]:
    """:func:`find_gaps` on an analysis."""
    G, actors = analysis.graph, analysis.actors
    space_names = {s.id: s.name for s in nmap.spaces}
    findings: list[Finding] = []
    for scope in locality_scopes(nmap, by_locality):
        findings += constituency_findings(G, actors, framework, scope)
        findings += link_findings(G, framework, scope, space_names)
        findings += community_findings(G, actors, scope)
    findings += isolate_findings(G, framework)
    bridges, named = bridge_findings(G, actors)
    findings += cut_vertex_findings(G, actors, named) + bridges
    findings += dependency_findings(nmap, G, framework)
    links = [f for f in findings if f.kind == "missing_link"]
    findings += ego_findings(nmap, G, framework, default_egos(nmap, framework) if egos is None else egos, links)
    return sorted(findings, key=sort_key)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a table (one row each; ``data`` kept as a JSON-able dict column)."""
    return pd.DataFrame([f.to_dict() for f in findings],
                        columns=["kind", "rule", "severity", "locality", "subject", "message", "data"])
