"""Plain-text renderings of results for the terminal: ``netmap analyse`` and ``netmap gaps``."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from netmap.gaps import RULES, Finding, explain
from netmap.gaps.rules import stake
from netmap.model import Framework
from netmap.reference import coverage_notes
from netmap.render.documents import site_summary
from netmap.render.glossary import GLOSSARY_DOC
from netmap.render.words import NOT_AVAILABLE, plural, shown, tie_phrases

if TYPE_CHECKING:
    from netmap.result import Result

_SEVERITY_MARK = {"high": "!!!", "medium": "!! ", "low": "!  "}


def analysis_text(result: Result, top: int = 10) -> str:
    """What ``netmap analyse`` prints: the summary measures, the ``top`` most central actors, the constituencies.

    A measure that does not exist (reciprocity without directed ties, an E-I
    index without ties) shows as ``n/a``.
    """
    s = result.analysis.summary
    lines = [
        f"{result.title}",
        "=" * len(result.title),
        f"{plural(s['actors'], 'actor')}; " + ", ".join(tie_phrases(s)),
        f"Density {shown(s['density'])}, {plural(s['components'], 'component')} (largest "
        f"{s['largest_component']}), {plural(s['isolates'], 'isolate')}",
        f"Degree centralisation {shown(s['degree_centralisation'])}, mean path length "
        f"{shown(s['mean_path_length'], 2)}, diameter {shown(s['diameter'])}, clustering "
        f"{shown(s['average_clustering'])}, reciprocity {shown(s['reciprocity'])}",
        f"Blau heterogeneity {shown(result.analysis.blau)}, E-I index {shown(result.analysis.ei)}",
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
    lines.append(table.to_string(float_format=lambda v: f"{v:.3f}", na_rep=NOT_AVAILABLE))
    lines += ["", "Constituencies present"]
    cons = result.analysis.constituencies
    present = cons[cons["count"] > 0]
    cols = [c for c in ["label", "count", "share", "voice", "ei_index"] if c in cons.columns]
    lines.append(present[cols].to_string(float_format=lambda v: f"{v:.3f}", na_rep=NOT_AVAILABLE)
                 if len(present) else "  (none)")
    if len(present) and "ei_index" in cols and present["ei_index"].isna().any():
        lines.append(f"  ({NOT_AVAILABLE}: the E-I index needs ties of actors whose main constituency it is)")
    notes = [n["message"] for n in coverage_notes(result.nmap)]
    lines += ["", *notes] if notes else []
    lines += ["", f"What these measures mean, one sentence each: {GLOSSARY_DOC} (and at the end of every report)."]
    return "\n".join(lines)


#: Findings of one rule shown when a rule has many (``netmap gaps --limit``).
DEFAULT_LIMIT = 5

#: Without ``--limit``, a rule's findings are all shown up to this many; past it they are summed up.
#: Small maps (a forum of 10 or 30 partners) so list every finding; big ones read like a summary.
GROUP_PAST = 12


def _finding_lines(f: Finding, indent: str = "  ") -> str:
    wrapped = textwrap.fill(f.message, width=96, initial_indent=f"{indent}{_SEVERITY_MARK[f.severity]} ",
                            subsequent_indent=indent + "    ")
    return wrapped + f"  [{f.rule or f.kind}: {f.subject}]"


def _rule_groups(findings: list[Finding]) -> list[list[Finding]]:
    """Consecutive findings of one severity and rule (findings come sorted by both)."""
    groups: list[list[Finding]] = []
    for f in findings:
        if groups and (groups[-1][0].severity, groups[-1][0].rule) == (f.severity, f.rule):
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


def _summed(group: list[Finding], limit: int | None) -> bool:
    """Whether a group is summed up: past ``limit`` when one is given (0: never), else past :data:`GROUP_PAST`."""
    return len(group) > GROUP_PAST if limit is None else bool(limit) and len(group) > limit


def _group_lines(group: list[Finding], limit: int | None) -> list[str]:
    """A group of findings of one rule: each of them, or, when summed up, a sum and the most at stake."""
    if not _summed(group, limit):
        return [_finding_lines(f) for f in group]
    limit = limit or DEFAULT_LIMIT
    rule = RULES.get(group[0].rule)
    head = rule.many.format(n=f"{len(group):,}") if rule else f"{len(group):,} findings of {group[0].kind}"
    ranked = sorted(group, key=stake, reverse=True) if rule and rule.stake else group
    which = f"the {limit} with most at stake" if rule and rule.stake else f"the first {limit}"
    lines = [textwrap.fill(f"{head}; {which}:", width=96,
                           initial_indent=f"  {_SEVERITY_MARK[group[0].severity]} ", subsequent_indent="      ")]
    return lines + [_finding_lines(f, "      ") for f in ranked[:limit]]


def rule_lines(rule: dict[str, str]) -> list[str]:
    """One rule of ``--explain`` (its ``words``, ``threshold`` and ``source``), wrapped under its id."""
    return [textwrap.fill(rule[key], width=96, initial_indent=f"    {label + ':':<11}", subsequent_indent=" " * 15)
            for label, key in (("Rule", "words"), ("Threshold", "threshold"), ("Source", "source"))]


def explain_text(findings: list[Finding], framework: Framework) -> list[str]:
    """The rules behind ``findings``: each in words, with its threshold and its source (``--explain``)."""
    lines = ["", "How these findings were made (one rule each; docs/gaps-json.md):"]
    for item in explain(findings, framework):
        lines.append(f"  {item['rule']} ({plural(item['findings'], 'finding')})")
        lines += rule_lines(item)
    return lines


def gaps_text(result: Result, *, kinds: Iterable[str] | None = None, limit: int | None = None,
              explain_rules: bool = False) -> str:
    """What ``netmap gaps`` prints: the summary paragraph, then the findings by severity.

    ``kinds`` keeps the findings of those kinds only. Past ``limit`` findings
    of one rule and severity (0: no limit), the rest are summed up in one line
    and the ``limit`` with most at stake shown; without ``limit``, a rule with
    more than :data:`GROUP_PAST` findings shows its :data:`DEFAULT_LIMIT` with
    most at stake. ``explain_rules`` adds the rules used, with their
    thresholds and sources.
    """
    lines = [site_summary(result), *(n["message"] for n in coverage_notes(result.nmap)), ""]
    findings = result.findings
    if kinds is not None:
        wanted = set(kinds)
        findings = [f for f in findings if f.kind in wanted]
        lines.insert(-1, f"Showing {', '.join(sorted(wanted))}: {len(findings):,} of "
                         f"{plural(len(result.findings), 'finding')}.")
    if not findings:
        lines.append("No gaps found against this framework." if kinds is None else "No findings of these kinds.")
    grouped, current = False, None
    for group in _rule_groups(findings):
        if group[0].severity != current:
            current = group[0].severity
            lines.append(f"{current.upper()} ({sum(f.severity == current for f in findings):,})")
        grouped |= _summed(group, limit)
        lines += _group_lines(group, limit)
    if grouped:
        past = f"Past {limit} findings" if limit else f"Past {GROUP_PAST} findings"
        lines += ["", f"{past} of one rule the rest are summed up: --limit 0 lists every one, --kind "
                      "picks kinds, --json gives them all."]
    if explain_rules:
        lines += explain_text(findings, result.framework)
    return "\n".join(lines)
