"""The HTML report: one self-contained file a non-specialist can read, email and print.

It opens with a headline (who is in the room, which constituencies of the
framework are there, what is missing), then the gap findings in plain
English by severity, inline SVG charts (:mod:`netmap.render.charts`), the most
central actors and the brokers, fragility, a still picture of the map (with a
link to the interactive one) and a short method section naming the
framework and the data sources. Nothing is loaded from the network; every
user-supplied string is escaped; print CSS makes it print or save to PDF
cleanly.

>>> from netmap.workspace.read import read_workspace
>>> from netmap.resources import sites_dir
>>> from netmap.workflows import run_map
>>> result = run_map(read_workspace(sites_dir() / "leeds"), folder=sites_dir() / "leeds")
>>> page = render_report(result)
>>> "What is missing" in page and "Service-user-led group" in page and "<svg" in page
True
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netmap.analysis import UNCLASSIFIED
from netmap.fileio import write_text_atomically
from netmap.gaps import KINDS, MAINSTREAM_GROUPS, SEVERITIES, Finding, community_coverage
from netmap.reference import population_profiles
from netmap.render import charts
from netmap.render.map import (
    SPACE_TIE,
    drawn_graph,
    fill_template,
    load_template,
    map_layout,
    netmap_version,
)

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = ["KIND_TITLES", "constituency_status", "render_index", "render_report", "write_index",
           "write_report"]

#: Plain-English headings of the kinds of finding.
KIND_TITLES = {
    "absent_constituency": "Constituencies that are absent",
    "under_represented": "Constituencies below the minimum",
    "peripheral_constituency": "Constituencies on the edge",
    "missing_link": "Expected links that are missing",
    "community_coverage": "Communities without organisations or voice",
    "fragility": "Fragility: who holds the system together",
    "ego_gap": "Gaps around key actors",
}
SEVERITY_TITLES = {"high": "Act on these first", "medium": "Worth attention", "low": "To keep an eye on"}

#: Findings shown per kind and severity before "and N more".
MAX_PER_GROUP = 12

_ROLE_WORDS = {"hub": "hub", "broker": "broker", "peripheral": "on the edge", "connected": "connected",
               "isolate": "isolate"}


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{100 * float(value):.{digits}f}%"


def _num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:.{digits}f}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _inline_code(escaped: str) -> str:
    """Show `backticked` words of already escaped text as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


# --------------------------------------------------------------------------- facts


def constituency_status(result: Result) -> list[dict[str, Any]]:
    """One row per framework constituency: label, count, min_presence and status.

    ``status`` is ``absent`` (no actor holds it anywhere on the map),
    ``under`` (fewer than ``min_presence``), ``edge`` (a finding calls it
    peripheral) or ``present``. Counts are over the whole map.
    """
    G = result.analysis.graph
    held: Counter = Counter(c for v in G for c in set(G.nodes[v].get("constituencies", [])))
    edge = {f.subject for f in result.findings if f.kind == "peripheral_constituency"}
    rows = []
    for c in result.framework.constituencies:
        count = held.get(c.key, 0)
        status = ("absent" if count == 0 else "under" if count < c.min_presence
                  else "edge" if c.key in edge else "present")
        rows.append({"key": c.key, "label": c.label, "count": count, "min_presence": c.min_presence,
                     "status": status, "weight": c.weight, "sector": c.sector})
    return rows


def _absent_by_locality(result: Result) -> dict[str, list[str]]:
    """Constituencies absent in some localities but present on the map as a whole."""
    status = {r["key"]: r["status"] for r in constituency_status(result)}
    names = {loc.key: loc.name for loc in result.nmap.localities}
    found: dict[str, list[str]] = defaultdict(list)
    for f in result.findings:
        if f.kind == "absent_constituency" and status.get(f.subject) != "absent":
            found[f.subject].append(names.get(f.locality, f.locality))
    return found


def _finding_numbers(f: Finding) -> str:
    d = f.data or {}
    try:
        if f.kind in ("absent_constituency", "under_represented"):
            return f"{d.get('count', 0)} present, at least {d.get('min_presence', 1)} expected"
        if f.kind == "peripheral_constituency":
            bits = [f"{_plural(int(d.get('count', 0)), 'actor')}"]
            if d.get("share") is not None:
                bits.append(f"{_pct(d['share'])} of actors")
            if d.get("voice") is not None:
                bits.append(f"{_pct(d['voice'])} of centrality")
            return ", ".join(bits)
        if f.kind == "missing_link":
            return f"{d.get('a_count', 0)} and {d.get('b_count', 0)} actors, no tie between them"
        if f.kind == "community_coverage":
            return (f"population {float(d.get('population_share', 0)):g}%, "
                    f"{_plural(int(d.get('organisations', 0)), 'organisation')}, "
                    f"voice {float(d.get('voice', 0) or 0):.1f}%")
        if f.kind == "fragility" and d.get("reason") == "cut_vertex":
            return f"{_plural(int(d.get('impact', 0)), 'actor')} would be cut off"
        if f.kind == "ego_gap":
            return f"no tie to {d.get('missing_count', 0)} of {d.get('framework_size', 0)} constituencies"
    except (TypeError, ValueError):
        return ""
    return ""


# --------------------------------------------------------------------------- sections


def _headline(result: Result, rows: list[dict[str, Any]]) -> str:
    fw = result.framework
    n = len(result.nmap.actors)
    present = [r for r in rows if r["status"] != "absent"]
    absent = [r["label"] for r in rows if r["status"] == "absent"]
    under = [r["label"] for r in rows if r["status"] == "under"]
    kinds = Counter(a.kind for a in result.nmap.actors)
    what = _join([_plural(kinds[k], k) for k in ("organisation", "group", "individual") if kinds.get(k)])
    who = what if len(kinds) == 1 else f"{_plural(n, 'actor')} ({what})" if n else "no actors"
    parts = [f'<p class="who"><b>Who is in the room:</b> {_e(who)} in '
             f"<b>{len(present)} of the {len(fw.constituencies)} constituencies</b> of the "
             f"“{_e(fw.name)}” framework.</p>"]
    if absent:
        noun = _plural(len(absent), "constituency", "constituencies")
        parts.append(f'<p class="missing"><b>What is missing:</b> {_e(noun)} '
                     f"{'is' if len(absent) == 1 else 'are'} absent: "
                     + "".join(f'<span class="chip">{_e(label)}</span>' for label in absent) + "</p>")
    else:
        parts.append('<p class="missing"><b>What is missing:</b> no constituency of the framework is absent.</p>')
    if under:
        parts.append(f"<p><b>Below the minimum:</b> {_e(_join(under))}.</p>")
    local = _absent_by_locality(result)
    if local:
        items = [f"{fw.label(k)} (in {_join(sorted(set(v)))})" for k, v in local.items()]
        parts.append(f"<p><b>Absent in some places:</b> {_e('; '.join(items))}.</p>")
    uncovered = [f for f in result.findings if f.kind == "community_coverage" and f.data.get("organisations") == 0]
    if uncovered:
        names = sorted({str(f.data.get("name", f.subject)) for f in uncovered})
        parts.append("<p><b>Communities with no organisation of their own on the map:</b> "
                     + "".join(f'<span class="chip community">{_e(name)}</span>' for name in names) + "</p>")
    counts = Counter(f.severity for f in result.findings)
    parts.append(f"<p><b>{_e(_plural(len(result.findings), 'finding'))}:</b> "
                 + ", ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES) + " (listed below).</p>")
    return '<section class="headline" id="headline">' + "".join(parts) + "</section>"


def _cards(result: Result, rows: list[dict[str, Any]]) -> str:
    s = result.analysis.summary
    present = sum(r["status"] != "absent" for r in rows)
    items = [
        (f"{s.get('actors', 0):,}", "actors"),
        (f"{s.get('ties', 0):,}", "tied pairs (ties and shared spaces)"),
        (f"{present} / {len(rows)}", "constituencies present"),
        (f"{s.get('components', 0):,}", "separate parts" if s.get("components", 0) != 1 else "connected whole"),
        (f"{s.get('isolates', 0):,}", "actors with no ties"),
        (f"{100 * float(s.get('density') or 0):.1f}%", "of possible ties exist (density)"),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="n">{_e(n)}</div><div class="l">{_e(label)}</div></div>'
        for n, label in items) + "</div>"


def _findings_section(result: Result) -> str:
    if not result.findings:
        return "<p>No gaps found against this framework.</p>"
    out = []
    names = {loc.key: loc.name for loc in result.nmap.localities}
    many_places = len(result.nmap.localities) > 1
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        out.append(f'<h3 class="severity"><span class="pill {severity}">{severity.upper()}</span>'
                   f"{_e(SEVERITY_TITLES[severity])} ({len(group)})</h3>")
        by_kind: dict[str, list[Finding]] = defaultdict(list)
        for f in group:
            by_kind[f.kind].append(f)
        for kind in sorted(by_kind, key=lambda k: KINDS.index(k) if k in KINDS else 99):
            items = by_kind[kind]
            out.append(f'<h4 class="kind">{_e(KIND_TITLES.get(kind, kind.replace("_", " ").capitalize()))} '
                       f"({len(items)})</h4><ul class=\"findings\">")
            for f in items[:MAX_PER_GROUP]:
                numbers = _finding_numbers(f)
                place = f" [{names.get(f.locality, f.locality)}]" if many_places and f.locality and \
                    names.get(f.locality, f.locality) not in f.message else ""
                out.append(f"<li>{_e(f.message)}{_e(place)}"
                           + (f' <span class="num">({_e(numbers)})</span>' if numbers else "") + "</li>")
            out.append("</ul>")
            if len(items) > MAX_PER_GROUP:
                out.append(f'<p class="more">… and {len(items) - MAX_PER_GROUP} more of this kind '
                           "(every finding is in the CSV and JSON exports).</p>")
    return "".join(out)


def _coverage_figure(rows: list[dict[str, Any]], fw_name: str) -> str:
    svg = charts.coverage_bars(rows, title=f"Actors per constituency of the {fw_name} framework")
    return (f'<figure id="chart-coverage"><div class="scroll">{svg}</div><figcaption>Actors holding each '
            f"constituency of the “{_e(fw_name)}” framework (an actor can hold several). The black tick is the "
            "minimum the framework expects.</figcaption></figure>")


def _community_figures(result: Result) -> str:
    a = result.analysis
    profiles = population_profiles()
    by_profile: dict[str, list] = defaultdict(list)
    for loc in result.nmap.localities:
        if loc.population and loc.population in profiles:
            by_profile[loc.population].append(loc)
    out = []
    for key, locs in by_profile.items():
        profile = profiles[key]
        keys = {loc.key for loc in locs}
        nodes = [x.id for x in result.nmap.actors if x.locality in keys or x.locality == ""]
        if len(locs) == len(result.nmap.localities):
            nodes = [x.id for x in result.nmap.actors]
        frame = community_coverage(a.graph, a.actors, profile, nodes)
        shown = frame[[not set(str(g).split("+")) <= set(MAINSTREAM_GROUPS) for g in frame.index]]
        if shown.empty:
            continue
        rows = [{"name": r["name"], "population_share": r["population_share"], "org_share": r["org_share"],
                 "voice": r["voice"]} for _, r in shown.iterrows()]
        places = _join([loc.name for loc in locs])
        svg = charts.community_bars(rows, title=f"Community coverage in {places}")
        out.append(
            f'<figure class="chart-community"><div class="scroll">{svg}</div><figcaption>{_e(places)}: each '
            f"Census 2021 ethnic group’s share of the population ({_e(profile.name)}; "
            f"{_e(profile.source or 'Census 2021')}) against the share of organisations on the map led by or "
            "serving it, and their share of the network’s centrality (PageRank). White British and other White "
            "groups are left out: the gap analysis assumes mainstream organisations serve them."
            "</figcaption></figure>")
    if not out:
        return ("<p>No population profile is set for this map’s localities, so community coverage cannot be "
                "compared with the local population (set <code>population</code> for a locality in "
                "<code>netmap.toml</code>).</p>")
    return "".join(out)


def _distribution_figure(result: Result) -> str:
    degree = result.analysis.actors["degree"].tolist()
    svg = charts.histogram(degree, xlabel="Number of ties (degree)", ylabel="Actors",
                           title="How many ties each actor has")
    return (f'<figure id="chart-degree">{svg}<figcaption>How many ties each actor has. A long tail to the '
            "right means a few hubs hold most of the ties; a bar at 0 counts the actors with no ties at all."
            "</figcaption></figure>")


def _mixing_figure(result: Result) -> str:
    a = result.analysis
    observed, expected = a.mixing_observed, a.mixing_expected
    if observed.empty or a.summary.get("ties", 0) == 0:
        return "<p>There are no ties, so there is no mixing to show.</p>"
    order = [k for k in result.framework.keys if k in observed.index]
    order += [k for k in observed.index if k not in order and k != UNCLASSIFIED]
    order += [k for k in observed.index if k == UNCLASSIFIED]
    observed, expected = observed.loc[order, order], expected.loc[order, order]
    labels = {k: (result.framework.label(k) if k != UNCLASSIFIED else "Unclassified") for k in order}
    svg = charts.heatmap(observed, expected, labels, title="Ties between constituencies, observed against expected")
    ei = a.ei
    ei_text = "" if ei is None or (isinstance(ei, float) and math.isnan(ei)) else (
        f" Across the whole map, {_pct((1 + ei) / 2)} of ties cross between constituencies "
        f"(E-I index {ei:+.2f}: −1 means every tie stays inside a constituency, +1 means every tie crosses).")
    return (f'<figure id="chart-mixing"><div class="scroll">{svg}</div><figcaption>Ties between actors of '
            "each pair of primary constituencies. Orange cells have more ties than random mixing would give, "
            f"blue cells fewer; a blue cell between two present constituencies is a link to build.{_e(ei_text)}"
            "</figcaption></figure>")


def _label(result: Result, key: str) -> str:
    return result.framework.label(key) if key else "Unclassified"


def _swatch(colours: dict[str, str], key: str) -> str:
    return f'<span class="swatch" style="background:{_e(colours.get(key or "unclassified", "#9e9e9e"))}"></span>'


def _table(header: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f'<th class="n">{_e(h)}</th>' if numeric else f"<th>{_e(h)}</th>" for h, numeric in header)
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{c}</td>' if numeric else f"<td>{c}</td>"
                        for c, (_, numeric) in zip(row, header, strict=True))
        body.append(f"<tr>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _central_section(result: Result, colours: dict[str, str]) -> str:
    actors = result.analysis.actors
    if actors.empty:
        return "<p>No actors.</p>"
    top = actors.sort_values(["betweenness", "degree", "pagerank"], ascending=False, kind="stable").head(10)
    rows = [[f"{_swatch(colours, r['primary'])}{_e(r['name'])}", _e(_label(result, r["primary"])),
             _e(_num(r["degree"])), _e(_num(r["betweenness"])), _e(_num(r["pagerank"])),
             _e(_ROLE_WORDS.get(r["role"], r["role"]))] for _, r in top.iterrows()]
    out = ["<h3>The most central actors</h3><p>Ranked by betweenness: how often an actor lies on the "
           "shortest path between two others. They see and pass on the most.</p>",
           _table([("Actor", False), ("Primary constituency", False), ("Ties", True), ("Betweenness", True),
                   ("PageRank", True), ("Role", False)], rows)]
    G = result.analysis.graph
    brokers = actors[actors["brokerage"] > 0].sort_values(["brokerage", "betweenness"], ascending=False,
                                                          kind="stable").head(10)
    out.append("<h3>The brokers</h3>")
    if brokers.empty:
        out.append("<p>No actor links partners from different constituencies who are not already tied: "
                   "everyone already meets everyone across constituencies, or nobody does.</p>")
    else:
        rows = []
        for actor_id, r in brokers.iterrows():
            reached = {G.nodes[m].get("primary") or UNCLASSIFIED for m in G.neighbors(actor_id)}
            rows.append([f"{_swatch(colours, r['primary'])}{_e(r['name'])}", _e(_label(result, r["primary"])),
                         _e(_num(r["brokerage"])), _e(_num(len(reached))), _e(_num(r["betweenness"]))])
        out.append("<p>Brokers link partners from different constituencies who have no tie of their own: the "
                   "people to ask for introductions.</p>")
        out.append(_table([("Actor", False), ("Primary constituency", False),
                           ("Unlinked pairs across constituencies", True), ("Constituencies reached", True),
                           ("Betweenness", True)], rows))
    return "".join(out)


def _fragility_section(result: Result, colours: dict[str, str]) -> str:
    actors = result.analysis.actors
    cut = actors[actors["is_cut_vertex"]].sort_values("cut_vertex_impact", ascending=False, kind="stable")
    out = []
    if cut.empty:
        out.append("<p>No single actor holds the system together: if any one left, everyone else would "
                   "still be connected.</p>")
    else:
        out.append(f"<p>{_e(_plural(len(cut), 'actor'))} {'holds' if len(cut) == 1 else 'hold'} the system "
                   "together: if one of them left, some actors would lose contact with the rest of the network "
                   "(cut vertices).</p>")
        rows = [[f"{_swatch(colours, r['primary'])}{_e(r['name'])}", _e(_label(result, r["primary"])),
                 _e(_num(r["cut_vertex_impact"])), _e(_num(r["degree"]))] for _, r in cut.head(15).iterrows()]
        out.append(_table([("Actor", False), ("Primary constituency", False),
                           ("Actors cut off if it left", True), ("Ties", True)], rows))
        if len(cut) > 15:
            out.append(f'<p class="more">… and {len(cut) - 15} more in the exports.</p>')
    reasons = Counter(f.data.get("reason") for f in result.findings if f.kind == "fragility")
    extra = []
    if reasons.get("single_funder"):
        extra.append(f"{_plural(reasons['single_funder'], 'actor')} depend on a single funder or commissioner")
    if reasons.get("single_statutory_contact"):
        extra.append(f"{_plural(reasons['single_statutory_contact'], 'voluntary or community actor')} have only "
                     "one statutory contact")
    if extra:
        out.append(f"<p>Also: {_e('; '.join(extra))} (see the findings above).</p>")
    return "".join(out)


def _map_section(result: Result, colours: dict[str, str], map_href: str | None) -> str:
    G = result.analysis.graph
    actors = result.analysis.actors
    out = []
    if map_href:
        out.append(f'<p><a class="maplink" href="{_e(map_href)}">Open the interactive map</a> '
                   f'<span class="no-print">(the file <code>{_e(map_href)}</code>, next to this report; it '
                   "works offline).</span></p>")
    else:
        out.append("<p>The interactive map is made with <code>netmap map</code>.</p>")
    n = len(G)
    if n == 0:
        return "".join(out)
    if n > 3000:
        out.append(f"<p>The map has {n:,} actors: too many for a still picture. Open the interactive map.</p>")
        return "".join(out)
    drawn = drawn_graph(result)
    pos = map_layout(result, drawn=drawn)
    metric = actors["betweenness"].fillna(0)
    top = float(metric.max()) or 1.0
    small, large = (4.0, 16.0) if n > 300 else (7.0, 22.0)
    labelled = set(metric.sort_values(ascending=False, kind="stable").index[: (n if n <= 25 else 8)])
    nodes = []
    for v in G:
        attrs = G.nodes[v]
        size = small + (large - small) * math.sqrt(max(float(metric.get(v, 0.0)), 0.0) / top)
        name = str(attrs.get("name", v))
        nodes.append({"id": v, "x": pos[v][0], "y": pos[v][1], "size": size, "name": name,
                      "colour": colours.get(attrs.get("primary") or "unclassified", "#9e9e9e"),
                      "cut": bool(actors.at[v, "is_cut_vertex"]), "isolate": int(actors.at[v, "degree"]) == 0,
                      "label": (name if len(name) <= 32 else name[:31] + "…") if v in labelled else ""})
    space_names = {s.id: s.name for s in result.nmap.spaces}
    for node, data in drawn.nodes(data=True):
        if data.get("space"):
            name = space_names.get(data["space"], data["space"])
            nodes.append({"id": node, "x": pos[node][0], "y": pos[node][1], "size": small + 2, "name": name,
                          "colour": "#ffffff", "space": True,
                          "label": (name if len(name) <= 32 else name[:31] + "…") if n <= 300 else ""})
    lines = [(u, v, SPACE_TIE in d.get("types", [])) for u, v, d in drawn.edges(data=True)]
    ranked = {v: k for k, v in enumerate(metric.sort_values(ascending=False, kind="stable").index)}
    nodes.sort(key=lambda x: (not x.get("space"), ranked.get(x["id"], 0)))  # label priority: spaces, then hubs
    svg = charts.network_picture(nodes, lines, title=f"The network of {result.title}")
    present = [k for k in [*result.framework.keys, UNCLASSIFIED]
               if any((G.nodes[v].get("primary") or UNCLASSIFIED) == k for v in G)]
    legend = " ".join(f'<span style="white-space:nowrap">{_swatch(colours, k)}'
                      f'{_e(_label(result, k if k != UNCLASSIFIED else ""))}</span>' for k in present)
    out.append(f'<figure id="chart-network"><div class="scroll">{svg}</div><figcaption>A still picture of the '
               "map: each dot is an actor, coloured by primary constituency and sized by betweenness; a red "
               "ring marks a cut vertex, a dashed ring an actor with no ties; a white square is a forum, board or "
               "partnership, joined by dashed lines to its members; solid lines are direct ties."
               f"<br>{legend}</figcaption></figure>")
    return "".join(out)


def _sources(result: Result) -> list[tuple[str, int]]:
    counts: Counter = Counter()
    for group in (result.nmap.actors, result.nmap.ties, result.nmap.spaces, result.nmap.memberships):
        for item in group:
            if getattr(item, "source", ""):
                counts[item.source] += 1
    return counts.most_common()


def _method_section(result: Result, size_note: str = "") -> str:
    fw = result.framework
    profiles = population_profiles()
    out = ["<p>netmap reads the partners of a local system and the ties between them from a workspace of "
           "spreadsheets, draws them as a network, measures it, and compares it with a framework of the "
           "constituencies a whole local system should hold.</p>"]
    out.append('<dl class="method">')
    items = [
        ("Ties", "A tie joins two actors who work together (a partnership, a contract, funding, referrals, "
                 "co-production, sharing information). Two actors who sit in the same forum, board or "
                 "partnership also count as tied (co-membership). Several ties between two actors count as "
                 "one tied pair."),
        ("Ties (degree)", "How many other actors an actor is tied to."),
        ("Betweenness", "How often an actor lies on the shortest path between two others (0 to 1). High "
                        "betweenness means information and introductions pass through it."),
        ("Closeness", "How near an actor is to everyone else, counting steps along ties (0 to 1)."),
        ("PageRank (voice)", "An actor's overall influence: being tied to actors who are themselves well tied "
                             "counts for more. A constituency's voice is its members' share of the total."),
        ("Broker", "An actor that links partners from different constituencies who are not tied to each "
                   "other."),
        ("Cut vertex", "An actor whose departure would split the network: some actors would lose their only "
                       "path to the rest."),
        ("Roles", "Hub: among the most tied. Broker: lies between others or holds the network together. On "
                  "the edge: one tie, or far from the rest. Isolate: no ties on this map."),
        ("Mixing", "How many ties join each pair of constituencies, against how many random mixing with the "
                   "same numbers of ties would give."),
    ]
    if size_note:
        items.append(("Sampling", size_note))
    for term, text in items:
        out.append(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>")
    out.append("</dl>")
    out.append("<h3>Framework and data</h3><ul class=\"sources\">")
    size = _plural(len(fw.constituencies), "constituency", "constituencies")
    links = _plural(len(fw.expected_links), "expected link")
    out.append(f"<li><b>Framework:</b> “{_e(fw.name)}” ({_e(size)}, {_e(links)}). "
               f"Source: {_e((fw.source or 'not stated').rstrip('. '))}.</li>")
    used = []
    for loc in result.nmap.localities:
        if loc.population and loc.population in profiles:
            p = profiles[loc.population]
            used.append(f"{loc.name}: {p.name} ({p.source or 'Census 2021'})")
    if used:
        out.append(f"<li><b>Population profiles:</b> {_e('; '.join(dict.fromkeys(used)))}.</li>")
    else:
        out.append("<li><b>Population profiles:</b> none set for this map.</li>")
    sources = _sources(result)
    if sources:
        shown = "; ".join(f"{s} ({n} rows)" for s, n in sources[:12])
        more = f"; and {len(sources) - 12} more" if len(sources) > 12 else ""
        out.append(f"<li><b>Where the map’s rows come from</b> (the <code>source</code> column): {_e(shown + more)}."
                   "</li>")
    else:
        out.append("<li><b>Where the map’s rows come from:</b> the workspace does not say (fill the "
                   "<code>source</code> column).</li>")
    if result.nmap.snapshot:
        out.append(f"<li><b>Snapshot:</b> the map describes the system as of {_e(result.nmap.snapshot)}.</li>")
    out.append("</ul>")
    return "".join(out)


# --------------------------------------------------------------------------- the page


def render_report(result: Result, *, map_href: str | None = None) -> str:
    """The report of one analysed site as one self-contained HTML page.

    ``map_href`` (e.g. ``"map.html"``) links the interactive map; the report
    always carries a still picture of the network.
    """
    from netmap.render.map import constituency_colours

    fw = result.framework
    G = result.analysis.graph
    colours = constituency_colours(fw.keys, [G.nodes[v].get("primary", "") for v in G])
    rows = constituency_status(result)
    nmap = result.nmap
    synthetic = "synthetic" in f"{nmap.key} {nmap.name} {nmap.description}".lower()
    meta = [f"Framework: {fw.name}"]
    if nmap.localities:
        meta.append("Places: " + ", ".join(loc.name for loc in nmap.localities))
    if nmap.snapshot:
        meta.append(f"As of {nmap.snapshot}")
    meta.append(f"Report made {_dt.date.today().isoformat()} with netmap {netmap_version()}")
    estimate = result.analysis.estimate_note()
    size_note = (f"The map is large. {estimate} netmap report --exact measures every actor exactly, more slowly."
                 if estimate else "")
    body = [
        f"<header><h1>{_e(result.title)}</h1>",
        f'<p class="meta">{_e(" · ".join(meta))}</p>',
        ('<p class="synthetic"><b>Synthetic data.</b> The organisations in this report are made up; it shows '
         "what netmap produces, not a real system.</p>") if synthetic else "",
        f"<p>{_inline_code(_e(nmap.description))}</p>" if nmap.description else "",
        "</header>",
        _headline(result, rows),
        _cards(result, rows),
        '<nav class="toc">Contents: <a href="#findings">Findings</a><a href="#coverage">Coverage</a>'
        '<a href="#communities">Communities</a><a href="#centrality">Who is central</a>'
        '<a href="#mixing">Mixing</a><a href="#fragility">Fragility</a><a href="#map">Map</a>'
        '<a href="#method">Method</a></nav>',
        '<h2 id="findings">What the gap analysis found</h2>',
        "<p>Each finding compares the map with the framework, most serious first. The numbers behind each "
        "are in brackets.</p>",
        _findings_section(result),
        '<h2 id="coverage">Constituencies against the framework</h2>',
        _coverage_figure(rows, fw.name),
        '<h2 id="communities">Communities against the local population</h2>',
        _community_figures(result),
        '<h2 id="centrality">Who is central</h2>',
        _distribution_figure(result),
        _central_section(result, colours),
        '<h2 id="mixing">Who is tied to whom</h2>',
        _mixing_figure(result),
        '<h2 id="fragility">Fragility: who holds the system together</h2>',
        _fragility_section(result, colours),
        '<h2 id="map">The map</h2>',
        _map_section(result, colours, map_href),
        '<h2 id="method">How this report was made</h2>',
        _method_section(result, size_note),
        '<footer>Made with netmap. This file is self-contained: it works offline and sends nothing anywhere. '
        "Data about small groups and individuals may identify them: share it with care.</footer>",
    ]
    return fill_template(load_template("report.html"), {
        "title": _e(result.title), "version": _e(netmap_version()), "body": "\n".join(b for b in body if b)})


def write_report(result: Result, path: str | Path, map_href: str | None = None) -> Path:
    """Write the report of one site to ``path`` (atomically) and return the path."""
    path = write_text_atomically(path, render_report(result, map_href=map_href))
    result.outputs[path.name] = path
    return path


def render_index(entries: Sequence[tuple[Result, str, str]], *, title: str = "netmap demo") -> str:
    """A page linking the report and map of several sites: ``(result, report_href, map_href)`` each."""
    from netmap.render.documents import site_summary

    items = []
    for result, report_href, map_href in entries:
        items.append(
            f'<li><h3>{_e(result.title)}</h3><p>{_e(site_summary(result))}</p>'
            f'<p><a href="{_e(report_href)}">Report</a> · <a href="{_e(map_href)}">Interactive map</a></p></li>')
    body = (f"<h1>{_e(title)}</h1><p class=\"meta\">Made {_dt.date.today().isoformat()} with netmap "
            f"{_e(netmap_version())}. Every file opens offline in a browser.</p>"
            f'<ul style="list-style:none;padding:0">{"".join(items)}</ul>')
    return fill_template(load_template("report.html"), {"title": _e(title), "version": _e(netmap_version()),
                                                         "body": body})


def write_index(entries: Sequence[tuple[Result, str, str]], path: str | Path, *,
                title: str = "netmap demo") -> Path:
    """Write :func:`render_index` to ``path``."""
    return write_text_atomically(path, render_index(entries, title=title))

