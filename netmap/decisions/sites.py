"""Several sites side by side: network measures, constituencies and community coverage, normalised by size.

:func:`compare_sites` takes the analysed maps of several sites (the Creative
Spaces forums of Birmingham, Leeds and Manchester, say) and returns a
:class:`SiteComparison`: one :class:`SiteRow` per measure with a value per
site, notes on what does not compare, and a sentence per section on how each
figure is normalised so that a site of 5 partners and one of 50 compare
fairly:

* whole-network figures that are already ratios (density, degree
  centralisation, clustering, E-I index, Blau heterogeneity) as they are, with
  counts of actors, ties and components beside them, and the mean degree and
  the largest component's share of actors as the size-free forms of the counts;
* each constituency's share of the site's actors (holding it anywhere in
  their list, the presence rule of :mod:`netmap.scopes`), its main share
  (actors whose primary constituency it is) and its voice (share of the
  site's PageRank held by those same main members, so it is read against the
  main share), in per cent;
* each Census 2021 group of the site's population profile: its population
  share, the share of the site's organisations led by or serving it (the
  definition of :func:`netmap.gaps.community_coverage`, reused, not
  rewritten) and their ratio, the *coverage ratio* (1 = organisations in
  proportion to the population; 0 = none), with the voice ratio the gap
  analysis uses;
* the number of gap findings by kind and severity (counts, not normalised).

Sites on different frameworks are compared on the constituencies their
frameworks share; the others are named in a note. Sites whose frameworks
share no constituency at all raise :class:`SitesNotComparableError`: shares,
voice, E-I and Blau would then measure different things, and the network
figures alone are better read from each site's own report.

>>> from netmap.model import Actor, Membership, NetworkMap, Space
>>> from netmap.analysis import analyse
>>> from netmap.result import Result
>>> from netmap.reference import load_framework
>>> fw = load_framework("whole-system")
>>> def site(key, n):
...     actors = [Actor(f"{key}{i}", f"{key} {i}", ("vcse_provider",)) for i in range(n)]
...     nmap = NetworkMap(key, key, actors=actors, spaces=[Space("f", "Forum")],
...                       memberships=[Membership(a.id, "f") for a in actors])
...     return Result(nmap, fw, analyse(nmap, fw), [])
>>> c = compare_sites([site("a", 3), site("b", 12)])
>>> c.value("actors"), c.value("density"), c.value("share:vcse_provider")
([3, 12], [1.0, 1.0], [100.0, 100.0])
>>> print(c.notes[0])  # doctest: +NORMALIZE_WHITESPACE
a (3 actors) has fewer than 10 actors: one actor more or less moves a share by 33 points; read its
percentages, densities and ratios as rough.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netmap.errors import CompareError
from netmap.gaps import KINDS, MAINSTREAM_GROUPS, SEVERITIES, community_coverage
from netmap.model import PopulationProfile
from netmap.reference import census_groups
from netmap.scopes import locality_scopes

if TYPE_CHECKING:  # the result sits below; nothing here needs it at run time
    from netmap.result import Result

__all__ = ["SCHEMA_VERSION", "SECTIONS", "SMALL_SITE", "SiteColumn", "SiteComparison", "SiteRow",
           "SitesNotComparableError", "compare_sites"]

#: Schema version of the JSON document (``netmap compare --sites ... --json``).
SCHEMA_VERSION = 1
#: A site with fewer actors than this is flagged: one actor moves a share by more than 10 points.
SMALL_SITE = 10

#: The sections of the table, in order, with the sentence saying how their figures are normalised.
SECTIONS: dict[str, tuple[str, str]] = {
    "network": ("Network", "Counts of actors, ties and components are as found. Density (tied pairs over "
                "possible pairs), degree centralisation (Freeman's, over its maximum for the site's size), "
                "mean clustering, the E-I index of the primary constituencies (-1 closed to +1 open) and "
                "Blau heterogeneity (1 - sum of squared group shares) are ratios and compare across sizes "
                "as they are; mean degree (2 x tied pairs / actors) and the largest component's share of "
                "actors are the size-free forms of the counts."),
    "share": ("Constituency share of actors (%)", "Actors holding the constituency anywhere in their list, "
              "per 100 actors of the site: an actor of two constituencies counts in both, so a column may "
              "add up to more than 100."),
    "primary": ("Constituency main share of actors (%)", "Actors whose main (primary) constituency it is, per "
                "100 actors of the site: each actor counts once, so each column adds up to 100. This is the share "
                "to set the voice beside."),
    "voice": ("Constituency voice (% of centrality)", "The share of the site's total PageRank held by actors "
              "whose main (primary) constituency it is, to compare with the share of actors whose main "
              "constituency it is (the main share), not with the share holding it anywhere: each column adds up "
              "to 100, whatever the site's size. Where everyone is tied to everyone the two are equal; a voice "
              "well below the main share means the constituency's actors sit on the edge of the network."),
    "community": ("Community coverage", "For each Census 2021 group of the site's population profile: its "
                  "share of the population (%), the share of the site's actors led by or serving it (%, the "
                  "gap analysis's definition) and the coverage ratio, organisations' share over population "
                  "share (1 = in proportion, 0 = none); the voice ratio is their share of PageRank over the "
                  "population share, the figure the gap analysis flags below 0.5. White communities are "
                  "left out, as in the gap analysis: an organisation naming no community serves everyone."),
    "findings": ("Gap findings", "Counts of the gap analysis's findings by kind and severity; they are "
                 "not normalised, and a larger framework or map has more to find."),
}


class SitesNotComparableError(CompareError):
    """Sites cannot be set side by side: fewer than two, labels that clash, or frameworks sharing nothing."""


@dataclass(frozen=True)
class SiteColumn:
    """One site of the comparison: its label (the column heading) and what its figures rest on."""

    label: str
    title: str
    map_key: str
    framework: str
    actors: int
    profiles: tuple[PopulationProfile, ...] = ()

    @property
    def small(self) -> bool:
        """True when the site has fewer than :data:`SMALL_SITE` actors (its shares are fragile)."""
        return self.actors < SMALL_SITE


@dataclass(frozen=True)
class SiteRow:
    """One measure across the sites: ``values`` in the order of :attr:`SiteComparison.sites`.

    ``unit`` says how to read a value: ``count``, ``ratio`` (0 to 1), ``index``
    (-1 to 1), ``percent`` (0 to 100), ``times`` (a ratio to parity, 1 =
    in proportion) or ``number``. A value is None where it does not exist
    (an E-I index without ties, coverage without a population profile).
    """

    key: str
    section: str
    label: str
    unit: str
    values: tuple[float | int | None, ...]


@dataclass
class SiteComparison:
    """Several sites side by side (see :func:`compare_sites`)."""

    sites: list[SiteColumn]
    rows: list[SiteRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_shared: dict[str, list[str]] = field(default_factory=dict)  # site label -> its unshared constituencies

    @property
    def labels(self) -> list[str]:
        return [s.label for s in self.sites]

    def row(self, key: str) -> SiteRow:
        """The row of ``key`` (``density``, ``share:vcse_provider``, ``coverage:black`` ...); KeyError if none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, key: str) -> list[float | int | None]:
        """The values of row ``key``, one per site."""
        return list(self.row(key).values)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document: sites, rows (values by site label), notes and the method by section."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "netmap-sites",
            "sites": [{"label": s.label, "title": s.title, "map": s.map_key, "framework": s.framework,
                       "actors": s.actors, "small": s.small,
                       "population_profiles": [{"key": p.key, "name": p.name, "source": p.source}
                                               for p in s.profiles]} for s in self.sites],
            "rows": [{"key": r.key, "section": r.section, "label": r.label, "unit": r.unit,
                      "values": {label: _json_number(v) for label, v in zip(self.labels, r.values, strict=True)}}
                     for r in self.rows],
            "not_shared_constituencies": self.not_shared,
            "notes": list(self.notes),
            "method": {key: text for key, (_, text) in SECTIONS.items()},
        }


def _json_number(value: float | int | None) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, 6) if isinstance(value, float) else int(value)


def _number(value: Any) -> float | None:
    """A measure as a float, None when it does not exist (NaN, None)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# --------------------------------------------------------------------------- the checks


def _labels(results: Sequence[Result], labels: Sequence[str] | None) -> list[str]:
    if len(results) < 2:
        raise SitesNotComparableError(f"comparing sites needs at least two sites (got {len(results)})")
    if labels is None:
        labels = [r.nmap.key or r.title for r in results]
        seen: Counter = Counter()
        fixed = []
        for label in labels:  # two maps with one key (two copies of a template) still get two columns
            seen[label] += 1
            fixed.append(label if labels.count(label) == 1 else f"{label} ({seen[label]})")
        return fixed
    labels = [str(x) for x in labels]
    if len(labels) != len(results):
        raise SitesNotComparableError(f"{len(labels)} labels given for {len(results)} sites")
    twice = [x for x, n in Counter(labels).items() if n > 1]
    if twice:
        raise SitesNotComparableError(f"site label '{twice[0]}' is given twice: each site needs its own label")
    return labels


def _shared_keys(results: Sequence[Result], labels: Sequence[str]) -> tuple[set[str], dict[str, list[str]]]:
    """The constituency keys every site's framework holds, and each site's keys that are not shared."""
    keys = [list(r.framework.keys) for r in results]
    shared = set(keys[0]).intersection(*keys[1:])
    if not shared:
        named = ", ".join(f"'{r.framework.key}' ({label})" for r, label in zip(results, labels, strict=True))
        raise SitesNotComparableError(f"the sites' frameworks share no constituency: {named}; analyse them "
                                      "against one framework")
    not_shared = {label: [k for k in own if k not in shared] for label, own in zip(labels, keys, strict=True)}
    return shared, {label: ks for label, ks in not_shared.items() if ks}


# --------------------------------------------------------------------------- population profiles


def _blocks(profiles: Sequence[PopulationProfile]) -> list[tuple[str, ...]]:
    """The high-level Census groups, joined where any profile gives only their sum (``mixed+other``).

    >>> from netmap.reference import load_population
    >>> _blocks([load_population("leeds"), load_population("birmingham")])
    [('asian',), ('black',), ('mixed', 'other'), ('white',)]
    """
    order = [k for k, g in census_groups().items() if g.level == "high"]
    parent = {k: k for k in order}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for profile in profiles:
        for key in profile.shares:
            parts = [p for p in key.split("+") if p in parent]
            for p in parts[1:]:
                parent[root(p)] = root(parts[0])
    found: dict[str, list[str]] = {}
    for k in order:
        found.setdefault(root(k), []).append(k)
    return [tuple(parts) for parts in found.values()]


def _pooled(label: str, profiles: Sequence[PopulationProfile],
            blocks: Sequence[tuple[str, ...]]) -> PopulationProfile:
    """The site's profile(s) regrouped into ``blocks``; several are averaged (profiles hold shares, not heads)."""
    shares: dict[str, float] = {}
    for block in blocks:
        total = 0.0
        for profile in profiles:
            total += sum(v for k, v in profile.shares.items() if set(k.split("+")) <= set(block))
        shares["+".join(block)] = total / len(profiles)
    if len(profiles) == 1:
        only = profiles[0]
        return PopulationProfile(only.key, only.name, shares, only.geography_code, only.source)
    return PopulationProfile(f"{label}-pooled", " and ".join(p.name for p in profiles), shares,
                             source="; ".join(dict.fromkeys(p.source for p in profiles if p.source)))


def _site_profiles(result: Result) -> tuple[list[PopulationProfile], list[str]]:
    """The population profiles of the site's localities, and the actors those localities hold."""
    profiles: list[PopulationProfile] = []
    nodes: dict[str, None] = {}
    G = result.graph
    for scope in locality_scopes(result.nmap):
        if scope.population is not None:
            profiles.append(scope.population)
            nodes.update(dict.fromkeys(v for v in scope.nodes if v in G))
    return list({p.key: p for p in profiles}.values()), list(nodes)


# --------------------------------------------------------------------------- the rows


def _short(block: Sequence[str]) -> str:
    """A Census group's short name for a table row, its key as the ONS's first word: ``Mixed + Other``."""
    return " + ".join(p.capitalize() for p in block)


def _network_rows(results: Sequence[Result]) -> list[SiteRow]:
    summaries = [r.analysis.summary for r in results]

    def row(key: str, label: str, unit: str, values: Sequence[Any]) -> SiteRow:
        return SiteRow(key, "network", label, unit, tuple(values))

    n = [int(s.get("actors", 0)) for s in summaries]
    pairs = [int(s.get("tied_pairs", s.get("ties", 0))) for s in summaries]
    return [
        row("actors", "Actors", "count", n),
        row("direct_ties", "Direct ties", "count", [int(s.get("direct_ties", 0)) for s in summaries]),
        row("shared_space_ties", "Ties through shared spaces", "count",
            [int(s.get("shared_space_ties", 0)) for s in summaries]),
        row("mean_degree", "Mean degree (ties per actor)", "number",
            [2 * m / k if k else None for m, k in zip(pairs, n, strict=True)]),
        row("density", "Density", "ratio", [_number(s.get("density")) for s in summaries]),
        row("components", "Components", "count", [int(s.get("components", 0)) for s in summaries]),
        row("largest_component_share", "Largest component (% of actors)", "percent",
            [100 * int(s.get("largest_component", 0)) / k if k else None for s, k in zip(summaries, n, strict=True)]),
        row("degree_centralisation", "Degree centralisation", "ratio",
            [_number(s.get("degree_centralisation")) for s in summaries]),
        row("average_clustering", "Clustering (mean)", "ratio",
            [_number(s.get("average_clustering")) for s in summaries]),
        row("ei_index", "E-I index (constituencies)", "index", [_number(r.analysis.ei) for r in results]),
        row("blau", "Blau heterogeneity", "ratio", [_number(r.analysis.blau) for r in results]),
    ]


def _constituency_rows(results: Sequence[Result], excluded: set[str]) -> tuple[list[SiteRow], list[str]]:
    """Share, main share and voice rows for each comparable constituency held in some site, and the labels held
    in none."""
    tables = [r.constituencies for r in results]
    keys: dict[str, str] = {}
    for table in tables:
        for key, label in table["label"].items():
            if key not in excluded:
                keys.setdefault(str(key), str(label))
    held = [k for k in keys if any(k in t.index and int(t.at[k, "count"]) > 0 for t in tables)]
    absent = [keys[k] for k in keys if k not in held]

    def values(key: str, column: str) -> tuple[float, ...]:
        return tuple(100 * float(t.at[key, column]) if key in t.index else 0.0 for t in tables)

    shares = [SiteRow(f"share:{k}", "share", keys[k], "percent", values(k, "share")) for k in held]
    mains = [SiteRow(f"primary_share:{k}", "primary", keys[k], "percent", values(k, "primary_share")) for k in held]
    voices = [SiteRow(f"voice:{k}", "voice", keys[k], "percent", values(k, "voice")) for k in held]
    return shares + mains + voices, absent


def _community_rows(results: Sequence[Result], labels: Sequence[str]) -> tuple[list[SiteRow], list[str]]:
    """Population share, organisations' share, coverage ratio and voice ratio per Census group and site."""
    found = [_site_profiles(r) for r in results]
    every = [p for profiles, _ in found for p in profiles]
    if not every:
        return [], ["No site has a population profile, so community coverage is not compared."]
    blocks = [b for b in _blocks(every) if not set(b) <= set(MAINSTREAM_GROUPS)]
    notes = []
    groups = census_groups()
    for block in (b for b in blocks if len(b) > 1):
        names = " and ".join(groups[p].name for p in block)
        whose = ", ".join(label for label, (profiles, _) in zip(labels, found, strict=True)
                          if any(len(k.split("+")) > 1 for p in profiles for k in p.shares
                                 if set(k.split("+")) <= set(block)))
        notes.append(f"{names} are compared as one group ({_short(block)}) for every site: the population "
                     f"profile of {whose} gives only their sum.")
    columns: list[dict[str, dict[str, Any]]] = []
    for label, result, (profiles, nodes) in zip(labels, results, found, strict=True):
        if not profiles:
            notes.append(f"{label} has no population profile, so its community coverage is n/a.")
            columns.append({})
            continue
        if len(profiles) > 1:
            notes.append(f"{label} has {len(profiles)} localities with population profiles: its population "
                         "shares are their unweighted mean (profiles hold shares, not head counts).")
        pooled = _pooled(label, profiles, _blocks(every))
        table = community_coverage(result.graph, result.actors, pooled, nodes)
        n = len(nodes)
        columns.append({str(g): {"population": float(row["population_share"]),
                                 "organisations": 100 * int(row["organisations"]) / n if n else 0.0,
                                 "voice_ratio": _number(row["voice_ratio"])}
                        for g, row in table.iterrows()})
    rows = []
    for block in blocks:
        key = "+".join(block)
        name = _short(block)
        cells = [c.get(key) for c in columns]
        pop = tuple(c["population"] if c else None for c in cells)
        org = tuple(c["organisations"] if c else None for c in cells)
        ratio = tuple(c["organisations"] / c["population"] if c and c["population"] else None for c in cells)
        rows += [SiteRow(f"population:{key}", "community", f"{name}: population", "percent", pop),
                 SiteRow(f"organisations:{key}", "community", f"{name}: organisations", "percent", org),
                 SiteRow(f"coverage:{key}", "community", f"{name}: coverage ratio", "times", ratio),
                 SiteRow(f"voice_ratio:{key}", "community", f"{name}: voice ratio", "times",
                         tuple(c["voice_ratio"] if c else None for c in cells))]
    return rows, notes


def _finding_rows(results: Sequence[Result]) -> list[SiteRow]:
    counts = [Counter((f.kind, f.severity) for f in r.findings) for r in results]
    rows = [SiteRow("findings", "findings", "All findings", "count", tuple(len(r.findings) for r in results))]
    rows += [SiteRow(f"findings:{s}", "findings", f"{s.capitalize()} severity", "count",
                     tuple(sum(n for (_, sev), n in c.items() if sev == s) for c in counts)) for s in SEVERITIES]
    kinds = list(KINDS) + sorted({k for c in counts for k, _ in c} - set(KINDS))
    for kind in kinds:
        for severity in SEVERITIES:
            values = tuple(c.get((kind, severity), 0) for c in counts)
            if any(values):
                rows.append(SiteRow(f"findings:{kind}:{severity}", "findings",
                                    f"{kind.replace('_', ' ').capitalize()} ({severity})", "count", values))
    return rows


def _size_notes(sites: Sequence[SiteColumn]) -> list[str]:
    """One note naming the sites under :data:`SMALL_SITE` actors and how far one actor moves their shares."""
    small = [s for s in sites if s.small and s.actors]
    notes = [f"{s.label} has no actors: its measures are n/a or 0." for s in sites if not s.actors]
    if not small:
        return notes
    named = [f"{s.label} ({s.actors:,} actors)" for s in small]
    who = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    points = sorted({round(100 / s.actors) for s in small})
    moves = f"{points[0]} points" if len(points) == 1 else f"{points[0]} to {points[-1]} points"
    verb, their = ("has", "its") if len(small) == 1 else ("have", "their")
    return [f"{who} {verb} fewer than {SMALL_SITE} actors: one actor more or less moves a share by {moves}; "
            f"read {their} percentages, densities and ratios as rough.", *notes]


def compare_sites(results: Sequence[Result], *, labels: Sequence[str] | None = None) -> SiteComparison:
    """Several analysed sites side by side, every figure normalised as :data:`SECTIONS` says.

    ``labels`` name the columns (default: each map's key, numbered if two are
    the same). Raises :class:`SitesNotComparableError` for fewer than two
    sites, labels that are not one per site or repeat, or frameworks that
    share no constituency. Notes say which constituencies are not shared,
    which sites are small (under :data:`SMALL_SITE` actors), which Census
    groups are joined and which site has no population profile.
    """
    names = _labels(results, labels)
    shared, not_shared = _shared_keys(results, names)
    sites = [SiteColumn(label, r.title, r.nmap.key, r.framework.key, int(r.analysis.summary.get("actors", 0)),
                        tuple(_site_profiles(r)[0])) for label, r in zip(names, results, strict=True)]
    notes = _size_notes(sites)
    excluded = {k for keys in not_shared.values() for k in keys}
    if not_shared:
        frameworks = ", ".join(f"{s.label}: '{s.framework}'" for s in sites)
        notes.append(f"The sites use different frameworks ({frameworks}); they are compared on the "
                     f"{len(shared)} constituencies all of them hold. E-I index and Blau heterogeneity group actors "
                     "by primary constituency, so they compare only roughly, and so do the findings.")
        for label, keys in not_shared.items():
            notes.append(f"Not shared, so not compared: {', '.join(keys)} ({label}'s framework).")
    rows = _network_rows(results)
    constituency_rows, absent = _constituency_rows(results, excluded)
    rows += constituency_rows
    if absent:
        notes.append(f"No site has an actor of: {', '.join(absent)}.")
    community_rows, community_notes = _community_rows(results, names)
    rows += community_rows + _finding_rows(results)
    return SiteComparison(sites, rows, notes + community_notes, not_shared)
