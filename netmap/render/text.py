"""Plain-text renderings of results for the terminal: ``netmap analyse`` and ``netmap gaps``."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from netmap.render.documents import site_summary

if TYPE_CHECKING:
    from netmap.result import Result

_SEVERITY_MARK = {"high": "!!!", "medium": "!! ", "low": "!  "}


def _fmt(value: object, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def analysis_text(result: Result, top: int = 10) -> str:
    """What ``netmap analyse`` prints: the summary measures, the ``top`` most central actors, the constituencies."""
    s = result.analysis.summary
    lines = [
        f"{result.title}",
        "=" * len(result.title),
        f"Actors {s['actors']}, ties {s['ties']}, density {_fmt(s['density'])}, "
        f"components {s['components']} (largest {s['largest_component']}), isolates {s['isolates']}",
        f"Degree centralisation {_fmt(s['degree_centralisation'])}, mean path length "
        f"{_fmt(s['mean_path_length'], 2)}, diameter {_fmt(s['diameter'])}, clustering "
        f"{_fmt(s['average_clustering'])}, reciprocity {_fmt(s['reciprocity'])}",
        f"Blau heterogeneity {_fmt(result.analysis.blau)}, E-I index {_fmt(result.analysis.ei)}",
        "",
        f"Most central actors (top {top} by betweenness, then degree)",
    ]
    note = result.analysis.estimate_note()
    if note:
        lines.insert(-1, f"{note} --exact measures every actor exactly.")
    actors = result.analysis.actors.sort_values(["betweenness", "degree"], ascending=False).head(top)
    columns = ["name", "primary", "degree", "betweenness", "closeness", "pagerank", "role"]
    table = actors[[c for c in columns if c in actors.columns]].copy()
    table["name"] = table["name"].map(lambda x: textwrap.shorten(str(x), 40, placeholder="..."))
    lines.append(table.to_string(float_format=lambda v: f"{v:.3f}"))
    lines += ["", "Constituencies present"]
    cons = result.analysis.constituencies
    present = cons[cons["count"] > 0]
    cols = [c for c in ["label", "count", "share", "voice", "ei_index"] if c in cons.columns]
    lines.append(present[cols].to_string(float_format=lambda v: f"{v:.3f}") if len(present) else "  (none)")
    return "\n".join(lines)


def gaps_text(result: Result) -> str:
    """What ``netmap gaps`` prints: the summary paragraph, then the findings by severity."""
    lines = [site_summary(result), ""]
    if not result.findings:
        lines.append("No gaps found against this framework.")
    current = None
    for f in result.findings:
        if f.severity != current:
            current = f.severity
            lines.append(f"{current.upper()} ({sum(x.severity == current for x in result.findings)})")
        wrapped = textwrap.fill(f.message, width=96, initial_indent=f"  {_SEVERITY_MARK[f.severity]} ",
                                subsequent_indent="      ")
        lines.append(wrapped + f"  [{f.kind}: {f.subject}]")
    return "\n".join(lines)
