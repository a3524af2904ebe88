"""The figures and tables of the HTML report, and the words and numbers they are written with.

Each function returns a piece of HTML (escaped, with inline SVG charts from
:mod:`netmap.render.charts`) for one section of :mod:`netmap.render.report`:
coverage, communities, the spread of ties, mixing, who is central, fragility
and a still picture of the map.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from netmap.analysis import UNCLASSIFIED
from netmap.gaps import MAINSTREAM_GROUPS, community_coverage
from netmap.privacy import is_small
from netmap.reference import coverage_notes, map_profiles
from netmap.render import charts
from netmap.render.glossary import abbr, term_for
from netmap.render.layout import SPACE_TIE, drawn_graph, map_layout
from netmap.render.words import NOT_AVAILABLE, is_missing, plural
from netmap.sources import describe

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = [
    "central_section",
    "community_figures",
    "coverage_figure",
    "distribution_figure",
    "esc",
    "fragility_section",
    "join_words",
    "map_section",
    "mixing_figure",
    "num",
    "pct",
    "plural",
]

_ROLE_WORDS = {"hub": "hub", "broker": "broker", "peripheral": "on the edge", "connected": "connected",
               "isolate": "isolate"}


def esc(value: Any) -> str:
    """``value`` as text, escaped for HTML (quotes too)."""
    return html.escape(str(value), quote=True)


def pct(value: float | None, digits: int = 0) -> str:
    """A share (0 to 1) as a percentage; ``n/a`` when missing."""
    if is_missing(value):
        return NOT_AVAILABLE
    return f"{100 * float(value):.{digits}f}%"


def num(value: Any, digits: int = 3) -> str:
    """A number for a table: whole numbers with thousands separators, else ``digits`` decimals (``n/a`` if missing)."""
    if is_missing(value):
        return NOT_AVAILABLE
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:.{digits}f}"


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- figures


def coverage_figure(rows: list[dict[str, Any]], fw_name: str, small: int = 0) -> str:
    """The constituency chart; counts of 1 to ``small``-1 are drawn as "fewer than ``small``" (--suppress-small)."""
    rows = [{**r, "below": small} if is_small(r["count"], small) else r for r in rows]
    svg = charts.coverage_bars(rows, title=f"Actors per constituency of the {fw_name} framework")
    return (f'<figure id="chart-coverage"><div class="scroll">{svg}</div><figcaption>Actors holding each '
            f"constituency of the “{esc(fw_name)}” framework (an actor can hold several). The black tick is the "
            "minimum the framework expects.</figcaption></figure>")


def community_figures(result: Result) -> str:
    a = result.analysis
    profiles = map_profiles(result.nmap)
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
        small = result.nmap.suppress_small  # a share of a hidden count would give it back: "fewer than N" instead
        rows = [{"name": r["name"], "population_share": r["population_share"], "org_share": r["org_share"],
                 "voice": r["voice"], **({"below": small} if is_small(r["organisations"], small) else {})}
                for _, r in shown.iterrows()]
        places = join_words([loc.name for loc in locs])
        svg = charts.community_bars(rows, title=f"Community coverage in {places}")
        out.append(
            f'<figure class="chart-community"><div class="scroll">{svg}</div><figcaption>{esc(places)}: each '
            f"Census 2021 ethnic group’s share of the population ({esc(profile.name)}; "
            f"{esc(describe(profile.source) or 'Census 2021')}) against the share of organisations on the map led "
            "by or serving it, and their share of the network’s centrality (PageRank). White British and other "
            "White groups are left out: the gap analysis assumes mainstream organisations serve them."
            "</figcaption></figure>")
    # one line per locality with no profile, saying how to add one (the same words as gaps and analyse)
    notes = [f'<p class="coverage-note">{esc(n["message"])}</p>' for n in coverage_notes(result.nmap)]
    return "".join(notes + out)


def distribution_figure(result: Result) -> str:
    degree = result.analysis.actors["degree"].tolist()
    svg = charts.histogram(degree, xlabel="Number of ties (degree)", ylabel="Actors",
                           title="How many ties each actor has")
    return (f'<figure id="chart-degree">{svg}<figcaption>How many ties each actor has. A long tail to the '
            "right means a few hubs hold most of the ties; a bar at 0 counts the actors with no ties at all."
            "</figcaption></figure>")


def mixing_figure(result: Result) -> str:
    a = result.analysis
    observed, expected = a.mixing_observed, a.mixing_expected
    if observed.empty or a.summary.get("tied_pairs", 0) == 0:
        return "<p>There are no ties, so there is no mixing to show.</p>"
    order = [k for k in result.framework.keys if k in observed.index]
    order += [k for k in observed.index if k not in order and k != UNCLASSIFIED]
    order += [k for k in observed.index if k == UNCLASSIFIED]
    observed, expected = observed.loc[order, order], expected.loc[order, order]
    labels = {k: (result.framework.label(k) if k != UNCLASSIFIED else "Unclassified") for k in order}
    svg = charts.heatmap(observed, expected, labels, title="Ties between constituencies, observed against expected")
    ei = a.ei
    ei_text = "" if ei is None or (isinstance(ei, float) and math.isnan(ei)) else (
        f" Across the whole map, {esc(pct((1 + ei) / 2))} of ties cross between constituencies "
        f"({abbr('E-I index', 'ei-index')} {ei:+.2f}: −1 means every tie stays inside a constituency, +1 means "
        "every tie crosses).")
    if not is_missing(a.blau):
        ei_text += (f" The {abbr('Blau index', 'blau')} of the mix of primary constituencies is {a.blau:.2f} "
                    "(0 when every actor is in one constituency, nearer 1 the more evenly they spread).")
    return (f'<figure id="chart-mixing"><div class="scroll">{svg}</div><figcaption>Ties between actors of '
            "each pair of primary constituencies. Orange cells have more ties than random mixing would give, "
            f"blue cells fewer; a blue cell between two present constituencies is a link to build.{ei_text}"
            "</figcaption></figure>")


def _label(result: Result, key: str) -> str:
    return result.framework.label(key) if key else "Unclassified"


def _swatch(colours: dict[str, str], key: str) -> str:
    return f'<span class="swatch" style="background:{esc(colours.get(key or "unclassified", "#9e9e9e"))}"></span>'


def _tip(word: str) -> str:
    """A ``title`` attribute holding the glossary sentence of ``word``, or nothing."""
    found = term_for(word)
    return f' title="{esc(found.text)}"' if found else ""


def _role(role: str) -> str:
    """An actor's role in words, with its glossary sentence as a tooltip."""
    word = _ROLE_WORDS.get(role, role)
    found = term_for(word)
    return abbr(word, found.key) if found else esc(word)


def _table(header: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f'<th{_tip(h)} class="n">{esc(h)}</th>' if numeric else f"<th{_tip(h)}>{esc(h)}</th>"
                   for h, numeric in header)
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{c}</td>' if numeric else f"<td>{c}</td>"
                        for c, (_, numeric) in zip(row, header, strict=True))
        body.append(f"<tr>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def central_section(result: Result, colours: dict[str, str]) -> str:
    actors = result.analysis.actors
    if actors.empty:
        return "<p>No actors.</p>"
    top = actors.sort_values(["betweenness", "degree", "pagerank"], ascending=False, kind="stable").head(10)
    rows = [[f"{_swatch(colours, r['primary'])}{esc(r['name'])}", esc(_label(result, r["primary"])),
             esc(num(r["degree"])), esc(num(r["betweenness"])), esc(num(r["pagerank"])),
             _role(r["role"])] for _, r in top.iterrows()]
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
            rows.append([f"{_swatch(colours, r['primary'])}{esc(r['name'])}", esc(_label(result, r["primary"])),
                         esc(num(r["brokerage"])), esc(num(len(reached))), esc(num(r["betweenness"]))])
        out.append("<p>Brokers link partners from different constituencies who have no tie of their own: the "
                   "people to ask for introductions.</p>")
        out.append(_table([("Actor", False), ("Primary constituency", False),
                           ("Unlinked pairs across constituencies", True), ("Constituencies reached", True),
                           ("Betweenness", True)], rows))
    return "".join(out)


def fragility_section(result: Result, colours: dict[str, str]) -> str:
    actors = result.analysis.actors
    cut = actors[actors["is_cut_vertex"]].sort_values("cut_vertex_impact", ascending=False, kind="stable")
    out = []
    if cut.empty:
        out.append("<p>No single actor holds the system together: if any one left, everyone else would "
                   "still be connected.</p>")
    else:
        out.append(f"<p>{esc(plural(len(cut), 'actor'))} {'holds' if len(cut) == 1 else 'hold'} the system "
                   "together: if one of them left, some actors would lose contact with the rest of the network "
                   f"({abbr('cut vertices', 'cut-vertex')}).</p>")
        rows = [[f"{_swatch(colours, r['primary'])}{esc(r['name'])}", esc(_label(result, r["primary"])),
                 esc(num(r["cut_vertex_impact"])), esc(num(r["degree"]))] for _, r in cut.head(15).iterrows()]
        out.append(_table([("Actor", False), ("Primary constituency", False),
                           ("Actors cut off if it left", True), ("Ties", True)], rows))
        if len(cut) > 15:
            out.append(f'<p class="more">… and {len(cut) - 15} more in the exports.</p>')
    reasons = Counter(f.data.get("reason") for f in result.findings if f.kind == "fragility")
    extra = []
    if reasons.get("single_funder"):
        extra.append(f"{plural(reasons['single_funder'], 'actor')} depend on a single funder or commissioner")
    if reasons.get("single_statutory_contact"):
        extra.append(f"{plural(reasons['single_statutory_contact'], 'voluntary or community actor')} have only "
                     "one statutory contact")
    if extra:
        out.append(f"<p>Also: {esc('; '.join(extra))} (see the findings above).</p>")
    return "".join(out)


def map_section(result: Result, colours: dict[str, str], map_href: str | None) -> str:
    G = result.analysis.graph
    actors = result.analysis.actors
    out = []
    if map_href:
        out.append(f'<p><a class="maplink" href="{esc(map_href)}">Open the interactive map</a> '
                   f'<span class="no-print">(the file <code>{esc(map_href)}</code>, next to this report; it '
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
                      f'{esc(_label(result, k if k != UNCLASSIFIED else ""))}</span>' for k in present)
    out.append(f'<figure id="chart-network"><div class="scroll">{svg}</div><figcaption>A still picture of the '
               "map: each dot is an actor, coloured by primary constituency and sized by "
               f"{abbr('betweenness', 'betweenness')}; a red ring marks a {abbr('cut vertex', 'cut-vertex')}, "
               "a dashed ring an actor with no ties; a white square is a forum, board or "
               "partnership, joined by dashed lines to its members; solid lines are direct ties."
               f"<br>{legend}</figcaption></figure>")
    return "".join(out)
