"""The invitation plan as people and programs read it: terminal text, the JSON document, the report's section.

Every output shows the same things: the picks in order, each with its gain in
points and one sentence per gap it closes, and the points closed against those
of every gap and those every candidate together could close.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

from netmap.decisions.invite import Pick, Plan
from netmap.render.documents import json_safe
from netmap.render.words import plural
from netmap.result import Result

#: The version of the ``netmap/invite`` JSON document (docs/invite-json.md).
INVITE_SCHEMA_VERSION = 1

GUARANTEE = ("Chosen one at a time, each the invitation that closes the most of what is still open: such a plan "
             "always closes at least 63% (1 - 1/e) of what the best possible plan of the same size would close.")


POINTS_RULE = ("Points: a constituency counts its framework weight for each actor it lacks; a community, a point per "
               "10% of the population; a missing link, 1; a cut-off part, a point per 10% of the map's actors.")


def points(value: float) -> str:
    """'2.5', '4.06', '10': points as people write them."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _who(pick: Pick) -> str:
    a = pick.candidate.actor
    return f"{a.name} [{a.id}]" if a.id != a.name else a.name


def _closing(plan: Plan) -> str:
    share = plan.value / plan.available if plan.available else 0.0
    reach = f"; all {plural(len(plan.candidates), 'candidate')} together could close {points(plan.reachable)}"
    return (f"Together they close {points(plan.value)} of the {points(plan.available)} points of gaps "
            f"({share:.0%}){reach}.")


def _constraints(plan: Plan) -> list[str]:
    said = []
    if plan.must:
        said.append(f"must invite: {', '.join(plan.must)}")
    if plan.exclude:
        said.append(f"left out: {', '.join(plan.exclude)}")
    if plan.max_per_constituency is not None:
        said.append(f"at most {plan.max_per_constituency} per constituency")
    return said


def invite_text(plan: Plan, result: Result, width: int = 100) -> str:
    """The plan for a terminal: a heading, the numbered picks with their reasons, the totals."""
    title = f"Whom to invite next: {result.title}"
    lines = [title, "=" * len(title),
             f"{plural(len(plan.candidates), 'candidate')}, at most {plan.k} invitations, against "
             f"{result.framework.name or result.framework.key} ({result.framework.key})."]
    if _constraints(plan):
        lines.append("Constraints: " + "; ".join(_constraints(plan)) + ".")
    lines.append("")
    if not plan.picks:
        lines.append("No candidate closes any gap of this map: none to invite.")
        return "\n".join(lines)
    for pick in plan.picks:
        chosen = " [must]" if pick.must else ""
        lines.append(f"{pick.rank}. {_who(pick)}  +{points(pick.gain)} points{chosen}")
        if not pick.reasons:
            lines.append("   (closes no gap the earlier picks leave open)")
        for reason in pick.reasons:
            gain = f"+{points(reason.gain)}"
            lines += textwrap.wrap(reason.text, width, initial_indent=f"   {gain:>5}  ", subsequent_indent=" " * 10)
        lines.append("")
    if len(plan.picks) < plan.k:
        lines.append(f"Only {plural(len(plan.picks), 'pick')}: no other candidate closes a gap still open.")
    lines += textwrap.wrap(_closing(plan), width)
    lines += textwrap.wrap(POINTS_RULE, width)
    return "\n".join(lines)


def invite_document(plan: Plan, result: Result, candidates_file: str = "") -> dict[str, Any]:
    """The plan as one JSON-able object (schema ``netmap/invite``, docs/invite-json.md)."""
    picked = set(plan.ids)
    return json_safe({
        "schema": "netmap/invite", "version": INVITE_SCHEMA_VERSION,
        "map": result.nmap.key, "name": result.nmap.name,
        "framework": {"key": result.framework.key, "name": result.framework.name},
        "candidates_file": candidates_file or None,
        "k": plan.k,
        "constraints": {"must": list(plan.must), "exclude": list(plan.exclude),
                        "max_per_constituency": plan.max_per_constituency},
        "summary": {"candidates": len(plan.candidates), "picks": len(plan.picks), "points": plan.value,
                    "available": plan.available, "reachable": plan.reachable,
                    "share": round(plan.value / plan.available, 4) if plan.available else None},
        "picks": [{"rank": p.rank, "id": p.candidate.id, "name": p.candidate.actor.name,
                   "constituencies": list(p.candidate.actor.constituencies),
                   "communities": list(p.candidate.actor.communities), "locality": p.candidate.actor.locality,
                   "works_with": list(p.candidate.works_with), "source": p.candidate.actor.source,
                   "must": p.must, "gain": p.gain, "reasons": [r.to_dict() for r in p.reasons]}
                  for p in plan.picks],
        "not_picked": sorted(c.id for c in plan.candidates if c.id not in picked),
        "items": [item.to_dict() for item in plan.items],
    })


def invite_section(plan: Plan, result: Result) -> str:
    """The report's "Whom to invite next" section (HTML, every string escaped)."""
    out = ['<h2 id="invite">Whom to invite next</h2>',
           f"<p>netmap weighed {escape(plural(len(plan.candidates), 'candidate'))} not yet on the map against "
           "the gaps above and chose, one at a time, the invitation that closes the most of what is still "
           f"open. {escape(_closing(plan))}</p>"]
    if not plan.picks:
        return "".join(out) + "<p>No candidate closes any gap of this map.</p>"
    out.append('<ol class="invite">')
    for pick in plan.picks:
        reasons = "".join(f"<li>{escape(r.text)} <span class=\"num\">(+{points(r.gain)})</span></li>"
                          for r in pick.reasons)
        out.append(f"<li><b>{escape(pick.candidate.actor.name)}</b> <span class=\"num\">"
                   f"(+{points(pick.gain)} points{', must invite' if pick.must else ''})</span>"
                   f"<ul>{reasons}</ul></li>")
    out.append("</ol>")
    out.append(f"<p class=\"more\">{escape(GUARANTEE)}</p>")
    return "".join(out)
