"""The JSON documents and CSV tables of a result, and the one-paragraph summary of a map.

``netmap gaps --json`` prints :func:`gaps_document`, ``netmap analyse --json``
prints :func:`analysis_document`; :func:`result_files` are the files
``netmap demo`` writes per site. Schemas: docs/gaps-json.md and docs/outputs.md.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from netmap.cells import safe_frame
from netmap.gaps import Finding, community_coverage, findings_frame, link_status
from netmap.reference import coverage_notes
from netmap.result import Result
from netmap.scopes import constituency_counts, locality_scopes

#: Version of the ``netmap/gaps`` and ``netmap/analysis`` JSON schemas.
GAPS_SCHEMA_VERSION = 1


def json_safe(value: Any) -> Any:
    """Make a value JSON-safe: NaN becomes null, numpy scalars become Python."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def gaps_document(result: Result) -> dict[str, Any]:
    """The JSON object ``netmap gaps --json`` prints (schema in docs/gaps-json.md)."""
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return json_safe({
        "schema": "netmap/gaps", "version": GAPS_SCHEMA_VERSION,
        "map": result.nmap.key, "name": result.nmap.name, "snapshot": result.nmap.snapshot or None,
        "framework": {"key": result.framework.key, "name": result.framework.name},
        "localities": [loc.key for loc in result.nmap.localities],
        "actors": len(result.nmap.actors),
        "summary": {"findings": len(result.findings), **{s: counts.get(s, 0) for s in ("high", "medium", "low")},
                    "absent_constituencies": absent_constituencies(result)},
        "coverage_not_computed": coverage_notes(result.nmap),
        "expected_links": expected_links(result),
        "findings": [f.to_dict() for f in result.findings],
    })


def expected_links(result: Result) -> list[dict[str, Any]]:
    """How each link the framework expects is met in each locality (``met_by``: one_actor, tie, space or null)."""
    keep = ("a", "b", "direct", "met", "met_by", "actors", "spaces", "a_count", "b_count")
    return [{"locality": scope.key, **{k: row[k] for k in keep}}
            for scope in locality_scopes(result.nmap)
            for row in link_status(result.analysis.graph, result.framework, scope.nodes)]


def _records(frame: pd.DataFrame, index_name: str) -> list[dict[str, Any]]:
    return json_safe(frame.reset_index().rename(columns={"index": index_name}).to_dict(orient="records"))


def analysis_document(result: Result) -> dict[str, Any]:
    """The whole analysis as one JSON-able object."""
    a = result.analysis
    coverage = {
        scope.key: _records(community_coverage(a.graph, a.actors, scope.population, scope.nodes), "group")
        for scope in locality_scopes(result.nmap) if scope.population is not None
    }
    return json_safe({
        "schema": "netmap/analysis", "version": GAPS_SCHEMA_VERSION,
        "map": result.nmap.key, "name": result.nmap.name, "framework": result.framework.key,
        "summary": a.summary, "blau_heterogeneity": a.blau, "ei_index": a.ei,
        "sampling": {"betweenness_sample": a.actors.attrs.get("betweenness_sample"),
                     "closeness_sample": a.actors.attrs.get("closeness_sample"),
                     "paths_sample": a.summary.get("paths_sampled"), "seed": a.actors.attrs.get("seed"),
                     **({"betweenness_estimate": a.actors.attrs["betweenness_estimate"]}
                        if a.actors.attrs.get("betweenness_estimate") else {})},
        "actors": _records(a.actors, "id"),
        "constituencies": _records(a.constituencies, "constituency"),
        "mixing": {"observed": json_safe(a.mixing_observed.to_dict()),
                   "expected": json_safe(a.mixing_expected.to_dict())},
        "community_coverage": coverage,
        "coverage_not_computed": coverage_notes(result.nmap),
        "findings": [f.to_dict() for f in result.findings],
    })


def absent_constituencies(result: Result) -> list[str]:
    seen: list[str] = []
    for f in result.findings:
        if f.kind == "absent_constituency" and f.subject not in seen:
            seen.append(f.subject)
    return seen


def site_summary(result: Result) -> str:
    """One readable paragraph: who is in the room and what is missing."""
    fw = result.framework
    # framework constituencies some actor holds (the presence rule of netmap.scopes)
    present = {c for c in constituency_counts(result.analysis.graph) if fw.get(c)}
    absent = [k for k in absent_constituencies(result) if k not in present]
    noun = "partner" if len(result.nmap.actors) == 1 else "partners"
    text = (f"{result.title}: {len(result.nmap.actors)} {noun} in {len(present)} of "
            f"{len(fw.constituencies)} constituencies")
    if absent:
        labels = [fw.label(k) for k in absent]
        shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
        text += f"; absent: {shown}"
    elsewhere = [k for k in absent_constituencies(result) if k in present]
    if elsewhere:
        text += f"; missing in some localities: {', '.join(fw.label(k) for k in elsewhere[:3])}"
        text += f" and {len(elsewhere) - 3} more" if len(elsewhere) > 3 else ""
    high = sum(f.severity == "high" for f in result.findings)
    n = len(result.findings)
    return text + f". {n:,} {'finding' if n == 1 else 'findings'} ({high:,} high)."


def result_files(result: Result) -> dict[str, str]:
    """The results of one map as files: ``analysis.json``, ``gaps.json`` and three CSV tables (name -> text)."""
    a = result.analysis
    return {
        "analysis.json": json.dumps(analysis_document(result), indent=2, ensure_ascii=False) + "\n",
        "gaps.json": json.dumps(gaps_document(result), indent=2, ensure_ascii=False) + "\n",
        "actors.csv": safe_frame(a.actors).to_csv(),  # text cells neutralised against formula injection
        "constituencies.csv": safe_frame(a.constituencies).to_csv(),
        "findings.csv": findings_csv(result.findings),
    }


def findings_csv(findings: list[Finding]) -> str:
    """The findings as CSV, one row each, their numbers as a JSON object in the ``data`` column."""
    frame = findings_frame(findings)
    frame["data"] = frame["data"].map(lambda d: json.dumps(json_safe(d), ensure_ascii=False))
    return safe_frame(frame).to_csv(index=False)
