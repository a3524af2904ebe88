"""The commissioner view rendered: what ``netmap gaps --view commissioner`` prints, its JSON, the report section.

The view itself (its rules and numbers) is :mod:`netmap.decisions.commissioner`;
the JSON schema is in docs/commissioner-json.md.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any

from netmap.decisions.commissioner import KINDS, RULES, CommissionerView, Item, commissioner_view, funding_ties
from netmap.reference import coverage_notes
from netmap.render.documents import json_safe
from netmap.render.report_figures import _table, esc, num
from netmap.render.text import rule_lines
from netmap.render.words import plural

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = ["COMMISSIONER_SCHEMA_VERSION", "KIND_TITLES", "commissioner_document", "commissioner_section",
           "commissioner_text", "view_of"]

#: Version of the ``netmap/commissioner`` JSON schema.
COMMISSIONER_SCHEMA_VERSION = 1

#: The four questions, as headings.
KIND_TITLES = {
    "unfunded_community": "Communities with no funded or commissioned by-and-for organisation",
    "fragility": "Organisations hanging on one funder or one statutory contact",
    "community_tie": "Statutory bodies and pledge signatories with no tie to service-user-led or community "
                     "organisations",
    "funding_reach": "Funders' and commissioners' ties to the voluntary and community sector",
}

#: The heading of the items about actors with no locality, in a map of several localities.
NO_LOCALITY = "Across all localities (bodies with no locality of their own)"

#: Items of one rule shown per place in the report before "and N more".
MAX_PER_RULE = 12


def view_of(result: Result, *, by_locality: bool = True) -> CommissionerView:
    """The commissioner view of an analysed map (its gap findings reused as they are)."""
    return commissioner_view(result.nmap, result.framework, result.analysis, result.findings,
                             by_locality=by_locality)


def funding_sentence(view: CommissionerView) -> str:
    """One sentence on the map's funding ties: how many, from how many funders, how many reach the VCSE sector."""
    f = view.funding
    if not f["ties"]:
        return "The map records no funding or commissioning tie."
    return (f"{plural(f['ties'], 'funding or commissioning tie')} from "
            f"{plural(f['funders'], 'funder or commissioner', 'funders and commissioners')} reach "
            f"{plural(f['funded'], 'organisation')}; {f['to_vcse_community']:,} of the ties "
            f"({100 * f['to_vcse_community'] / f['ties']:.0f}%) go{'es' if f['to_vcse_community'] == 1 else ''} to "
            "voluntary and community organisations.")


def _headline(result: Result, view: CommissionerView) -> str:
    counts = Counter(i.kind for i in view.items)
    found = ", ".join(f"{counts[k]:,} {w}" for k, w in (
        ("unfunded_community", "unfunded communities"), ("fragility", "dependencies"),
        ("community_tie", "bodies without community ties"), ("funding_reach", "funders")) if counts.get(k))
    funding = f"{funding_sentence(view)} " if view.funding["ties"] else ""  # else a note says so
    return (f"{result.title}: the commissioner view. {funding}"
            f"{plural(len(view.items), 'item')}" + (f" ({found})." if found else "."))


def _item_line(item: Item, indent: str) -> str:
    return textwrap.fill(item.message, width=96, initial_indent=f"{indent}- ",
                         subsequent_indent=indent + "  ") + f"  [{item.rule}: {item.subject}]"


def _rule_lines(items: list[Item], limit: int) -> tuple[list[str], bool]:
    """The items of one rule in one place: each, or past ``limit`` a sum and the first ``limit`` (most at stake
    first: the view sorts them so). Also whether they were summed up."""
    if not limit or len(items) <= limit:
        return [_item_line(i, "    ") for i in items], False
    head = RULES[items[0].rule].many.format(n=f"{len(items):,}").replace(" in a locality", "")
    which = f"the {limit} with most at stake" if RULES[items[0].rule].stake else f"the first {limit}"
    lines = [textwrap.fill(f"{head}; {which}:", width=96, initial_indent="    - ", subsequent_indent="      ")]
    return lines + [_item_line(i, "      ") for i in items[:limit]], True


def explain_lines(view: CommissionerView, framework_key: str) -> list[str]:
    """The rules the view used: each in words, with its threshold and its source (``--explain``)."""
    lines = ["", "How these items were made (one rule each; docs/commissioner-json.md):"]
    for rule in rules_used(view, framework_key):
        lines.append(f"  {rule['rule']} ({plural(rule['items'], 'item')})")
        lines += rule_lines(rule)
    return lines


def commissioner_text(result: Result, view: CommissionerView, *, limit: int = 5, explain: bool = False) -> str:
    """What ``netmap gaps --view commissioner`` prints: a headline, then per place the four questions.

    Past ``limit`` items of one rule in one place (0: no limit) the rest are
    summed up in one line.
    """
    lines = [_headline(result, view), *view.notes, *(n["message"] for n in coverage_notes(result.nmap))]
    if not view.items:
        lines += ["", "Nothing to report: every community has a funded by-and-for organisation, no voluntary or "
                      "community organisation hangs on one funder or statutory contact, and every statutory body "
                      "has a tie to service-user-led or community organisations."]
    summed = False
    for _, name, items in view.by_locality():
        lines += ["", name or NO_LOCALITY]
        for kind in KINDS:
            of_kind = [i for i in items if i.kind == kind]
            if not of_kind:
                continue
            lines.append(f"  {KIND_TITLES[kind]} ({len(of_kind):,})")
            for rule in dict.fromkeys(i.rule for i in of_kind):
                shown, cut = _rule_lines([i for i in of_kind if i.rule == rule], limit)
                lines += shown
                summed |= cut
    if summed:
        lines += ["", f"Past {limit} items of one rule in one place the rest are summed up: --limit 0 lists every "
                      "one, --json gives them all."]
    if explain:
        lines += explain_lines(view, result.framework.key)
    return "\n".join(lines)


def rules_used(view: CommissionerView, framework_key: str) -> list[dict[str, Any]]:
    """Each rule the view used, in rule order: its id, how many items, words, threshold and source."""
    counts = Counter(i.rule for i in view.items)
    return [{"rule": r.id, "items": counts[r.id], "words": r.words, "threshold": r.threshold,
             "source": r.source.format(framework=framework_key, profiles="of each locality")}
            for r in RULES.values() if counts.get(r.id)]


def commissioner_document(result: Result, view: CommissionerView) -> dict[str, Any]:
    """The JSON object ``netmap gaps --view commissioner --json`` prints (schema in docs/commissioner-json.md)."""
    counts = Counter(i.kind for i in view.items)
    return json_safe({
        "schema": "netmap/commissioner", "version": COMMISSIONER_SCHEMA_VERSION,
        "map": result.nmap.key, "name": result.nmap.name, "snapshot": result.nmap.snapshot or None,
        "framework": {"key": result.framework.key, "name": result.framework.name},
        "localities": [{"key": key, "name": name or NO_LOCALITY} for key, name in view.localities],
        "summary": {"items": len(view.items), **{k: counts.get(k, 0) for k in KINDS}, "funding": view.funding},
        "notes": view.notes,
        "coverage_not_computed": coverage_notes(result.nmap),
        "rules": rules_used(view, result.framework.key),
        "items": [i.to_dict() for i in view.items],
    })


# --------------------------------------------------------------------------- the report section


def shows_section(result: Result) -> bool:
    """The report has a "For commissioners" section when the map has funding ties or statutory bodies."""
    return bool(funding_ties(result.nmap)) or any(
        result.framework.sector_of(a) == "statutory" for a in result.nmap.actors)


def _funders_table(items: list[Item]) -> str:
    rows = [[esc(i.data["name"]), esc(num(i.data["ties"])), esc(num(i.data["to_vcse_community"])),
             esc(f"{i.data['share']:.0f}%" if i.data["share"] is not None else "no ties")] for i in items]
    return _table([("Funder or commissioner", False), ("Funding and commissioning ties", True),
                   ("To voluntary and community organisations", True), ("Share", True)], rows)


def _item_list(items: list[Item], places: dict[str, str], many_places: bool) -> str:
    out = ['<ul class="findings">']
    for item in items[:MAX_PER_RULE]:
        place = places.get(item.locality) or "all localities"
        tag = f" [{place}]" if many_places and place not in item.message else ""
        out.append(f"<li>{esc(item.message)}{esc(tag)}</li>")
    out.append("</ul>")
    if len(items) > MAX_PER_RULE:
        out.append(f'<p class="more">… and {len(items) - MAX_PER_RULE} more '
                   "(netmap gaps --view commissioner --json lists every one).</p>")
    return "".join(out)


def commissioner_section(result: Result) -> str:
    """The report's "For commissioners" section (``""`` when the map has no funding ties and no statutory body)."""
    if not shows_section(result):
        return ""
    view = view_of(result)
    places = dict(view.localities)
    many_places = len(view.localities) > 1
    out = ['<h2 id="commissioners">For commissioners</h2>',
           "<p>Where funding and ties do not reach the voluntary and community sector: communities with no funded "
           "by-and-for organisation, organisations hanging on one funder or one statutory contact, statutory "
           "bodies and pledge signatories with no tie to service-user-led or community organisations (pledge "
           "objective 3), and the share of each funder's funding ties that reach the sector. "
           "<code>netmap gaps --view commissioner --explain</code> states each rule.</p>",
           f"<p><b>{esc(funding_sentence(view))}</b></p>",
           *(f'<p class="more">{esc(note)}</p>' for note in view.notes)]
    for kind in KINDS:
        items = [i for i in view.items if i.kind == kind]
        out.append(f'<h3 class="kind">{esc(KIND_TITLES[kind])} ({len(items)})</h3>')
        if not items:
            out.append("<p>No funding or commissioning tie is recorded.</p>" if kind == "funding_reach"
                       and not view.funding["ties"] else "<p>None.</p>")
        elif kind == "funding_reach":
            out.append(_funders_table(items))
        else:
            for rule in sorted({i.rule for i in items}, key=list(RULES).index):
                out.append(_item_list([i for i in items if i.rule == rule], places, many_places))
    return '<section class="commissioners">' + "".join(out) + "</section>"
