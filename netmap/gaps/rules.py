"""The rules behind the findings: a stable id for each, in words, with its threshold and its source.

``netmap gaps --explain`` prints :func:`explain` for the rules a result used,
so that a reader can judge each finding by the rule that made it.

>>> RULES["fragility.single_funder"].kind
'fragility'
>>> [r for r in RULES if r.startswith("missing_link.")]
['missing_link.no_tie', 'missing_link.space_only']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from netmap.gaps.finding import (
    FRAGILE_FUNDING_SECTORS,
    KINDS,
    PERIPHERAL_VOICE_RATIO,
    PRIORITY_WEIGHT,
    SEVERITIES,
    UNDER_VOICED_RATIO,
    Finding,
)
from netmap.model import Framework


@dataclass(frozen=True)
class Rule:
    """One rule of the gap analysis.

    ``many`` is the sentence that sums up ``{n}`` findings of the rule when
    they are grouped; ``stake`` names the number in a finding's ``data`` that
    ranks them (most at stake first), or is empty.
    """

    id: str
    words: str
    threshold: str
    source: str
    many: str
    stake: str = ""

    @property
    def kind(self) -> str:
        return self.id.split(".")[0]


_FW = "framework '{framework}'"
_SEVERITY_BY_WEIGHT = f"high when the constituency's weight is {PRIORITY_WEIGHT:g} or more, else medium"

RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("absent_constituency.none",
         "No actor of the locality holds the constituency (an actor holds every constituency in its list; an actor "
         "with no locality counts in every locality).",
         f"min_presence of 1 or more and no actor; {_SEVERITY_BY_WEIGHT}.",
         _FW + ": [[constituencies]] min_presence and weight.",
         "{n} absences of a constituency from a locality"),
    Rule("under_represented.below_minimum",
         "The constituency has fewer actors in the locality than the framework's minimum.",
         "at least 1 actor but fewer than min_presence; medium.",
         _FW + ": [[constituencies]] min_presence.",
         "{n} times a constituency is below the framework's minimum in a locality"),
    Rule("peripheral_constituency.isolated",
         "No actor of the constituency has a tie (or shared space) with anyone outside it in the locality.",
         f"no tie out of the constituency; {_SEVERITY_BY_WEIGHT}.",
         "the map's ties and spaces; " + _FW + ": [[constituencies]] weight.",
         "{n} times a constituency has no tie to anyone else in a locality"),
    Rule("peripheral_constituency.single_broker",
         "Every tie from the constituency to the rest of the locality goes to one and the same actor.",
         "exactly one actor outside the constituency is tied to it; medium.",
         "the map's ties and spaces.",
         "{n} times a constituency is reached only through one broker in a locality"),
    Rule("peripheral_constituency.low_voice",
         "The constituency's share of the centrality (PageRank) is far below its share of the actors.",
         f"voice below {PERIPHERAL_VOICE_RATIO:g} times its share of actors; low.",
         "measure: PageRank over ties and shared spaces (netmap analyse).",
         "{n} times a constituency is present but on the edge of a locality"),
    Rule("missing_link.no_tie",
         "The framework expects two constituencies to be tied; both are in the locality, no actor holds both, "
         "and no actor of one is tied to (or, unless the link is direct, shares a space with) an actor of the other.",
         "no such tie; high. (A link missing because a constituency is absent is part of that finding.)",
         _FW + ": [[expected_links]] between, direct and reason.",
         "{n} expected links missing, counted per locality"),
    Rule("missing_link.space_only",
         "The framework expects a direct tie between two constituencies; their actors only share a space.",
         "direct = true on the link, a shared space and no tie in ties.csv; medium.",
         _FW + ": [[expected_links]] between, direct = true and reason.",
         "{n} expected direct links that are only shared spaces, counted per locality"),
    Rule("community_coverage.no_organisation",
         "A Census 2021 ethnic group of the local population has no organisation in the locality led by or "
         "serving it (the White group is assumed to be served by mainstream organisations).",
         "no organisation; high when the group is 5% of the population or more, medium from 1%, else low.",
         "population profile {profiles}; the actors' communities column.",
         "{n} times a community has no organisation in a locality"),
    Rule("community_coverage.low_voice",
         "The organisations serving a Census group hold far less of the centrality (PageRank) than the group's "
         "share of the population.",
         f"voice below {UNDER_VOICED_RATIO:g} times the population share; low.",
         "population profile {profiles}; measure: PageRank.",
         "{n} times a community has little voice in a locality", "population_share"),
    Rule("isolate.no_ties",
         "The actor has no tie and shares no space with anyone on the map.",
         f"degree 0; medium when it holds a constituency of weight {PRIORITY_WEIGHT:g} or more, else low.",
         "the map's ties and spaces; " + _FW + ": [[constituencies]] weight.",
         "{n} actors have no ties at all"),
    Rule("fragility.cut_vertex",
         "If the actor left, others would lose all contact with the rest of the network (a cut vertex); an "
         "actor whose leaving cuts off just what a bridge's ending does is named in that bridge's finding instead.",
         "at least 1 actor cut off; high when at least 3 and at least 10% of the map, medium for 2, low for 1.",
         "measure: cut-vertex impact (netmap analyse, column cut_vertex_impact).",
         "{n} actors hold parts of the system together", "impact"),
    Rule("fragility.bridge",
         "One tie is the only link between two parts of the network (a bridge): if it ended, the parts would "
         "lose contact; the finding also names the ends whose leaving would do the same.",
         "both parts have 2 actors or more; high when the smaller has at least 3 actors and 10% of the map, "
         "else medium.",
         "measure: bridges of the network of ties and shared spaces.",
         "{n} single ties are the only link between two parts", "cut_off"),
    Rule("fragility.single_funder",
         "A voluntary or community organisation is funded or commissioned by one actor only.",
         f"exactly one funds or commissions tie to it, and its sector is {' or '.join(FRAGILE_FUNDING_SECTORS)}; "
         "medium. (NHS and council bodies are not: one commissioner is how they are funded.)",
         "ties.csv types funds and commissions; " + _FW + ": [[constituencies]] sector of the primary constituency.",
         "{n} voluntary or community organisations depend on a single funder"),
    Rule("fragility.single_statutory_contact",
         "A voluntary or community organisation's only statutory contact is one body.",
         "exactly one statutory actor among its ties (it has others), not its funder, while its locality holds "
         "2 statutory actors or more; low.",
         "the map's ties and spaces; " + _FW + ": [[constituencies]] sector.",
         "{n} voluntary or community organisations have one statutory contact only"),
    Rule("ego_gap.expected_reach",
         "An actor whose kind the framework expects to reach other constituencies has no tie (direct or through "
         "a shared space) to any actor of one of them, though that constituency is in its locality; a "
         "constituency a missing-link finding already names for the actor's kind is not repeated.",
         f"one unreached constituency or more; medium when one has weight {PRIORITY_WEIGHT:g} or more, else low.",
         _FW + ": [[constituencies]] reaches; egos: the map's ego list, else actors of a constituency with a "
         "reaches list (its bodies serving the whole map, when it has any, not their local teams).",
         "{n} key actors miss constituencies they are expected to reach", "missing_count"),
    Rule("ego_gap.any_constituency",
         "An actor chosen as an ego whose kind has no reaches list: every constituency present in its locality "
         "is expected.",
         f"one unreached constituency or more; medium when one has weight {PRIORITY_WEIGHT:g} or more, else low.",
         "--ego or the map's ego list; " + _FW + ": [[constituencies]].",
         "{n} chosen actors have no tie to some constituencies", "missing_count"),
)}


def stake(finding: Finding) -> float:
    """The number that ranks a finding among those of its rule (most at stake first)."""
    rule = RULES.get(finding.rule)
    value = finding.data.get(rule.stake) if rule and rule.stake else None
    return float(value) if isinstance(value, int | float) else 0.0


_RULE_ORDER = {rule: i for i, rule in enumerate(RULES)}


def sort_key(f: Finding) -> tuple:
    """Most severe first; then by kind and rule, locality, most at stake, subject."""
    return (SEVERITIES.index(f.severity), KINDS.index(f.kind) if f.kind in KINDS else len(KINDS),
            _RULE_ORDER.get(f.rule, len(_RULE_ORDER)), f.locality, -stake(f), f.subject)


def _profiles(findings: Iterable[Finding]) -> str:
    seen = {}
    for f in findings:
        if f.kind == "community_coverage" and f.data.get("profile"):
            seen[f.data["profile"]] = f.data.get("source") or ""
    if not seen:
        return "(none)"
    return "; ".join(f"'{key}'" + (f" ({source})" if source else "") for key, source in seen.items())


def explain(findings: list[Finding], framework: Framework) -> list[dict[str, Any]]:
    """Each rule the findings used, in rule order: its id, how many findings, words, threshold and source."""
    counts = Counter(f.rule for f in findings)
    fill = {"framework": framework.key, "profiles": _profiles(findings)}
    return [{"rule": r.id, "findings": counts[r.id], "words": r.words, "threshold": r.threshold,
             "source": r.source.format(**fill)}
            for r in RULES.values() if counts.get(r.id)]
