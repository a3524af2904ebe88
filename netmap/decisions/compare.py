"""What changed between two snapshots of a map: actors joined and left, ties formed and ended,
whole-network measures, constituencies' shares and voice, who rose and fell, gaps closed and opened.

A *snapshot* is a map at one moment: a workspace folder, a Neo4j map, a
workspace at a git commit, or a map sliced at a date
(:func:`netmap.snapshots.at`). :func:`compare` takes two analysed snapshots
(:class:`~netmap.result.Result`) and returns a :class:`Comparison`, plain data
that the text output, the JSON document and the progress report render.

Actors, ties and findings are matched by identity, never by position or wording:
an actor by its id (whitespace and case ignored, :func:`netmap.snapshots.canonical_id`),
a tie by its ends and type, a finding by its rule id, locality and subject, so
that a reworded message is still the same finding.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netmap.decisions.compare_gaps import FindingChange, match_findings, read_findings
from netmap.decisions.permutation import PermutationTest  # defined apart: significance needs it too
from netmap.errors import CompareError
from netmap.model import Actor, Framework, Membership, NetworkMap, Tie
from netmap.snapshots import canonical_id

if TYPE_CHECKING:  # the result sits below; nothing here needs it at run time
    from netmap.result import Result

__all__ = ["MEASURES", "SCHEMA_VERSION", "TOLERANCE", "ActorChange", "ActorShift", "Comparison", "ConstituencyChange",
           "FindingChange", "MeasureChange", "MembershipChange", "PermutationTest", "TieChange", "compare"]

#: Schema version of the JSON document (``netmap compare --json``); docs/compare.md describes it.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ActorChange:
    """An actor that joined or left: who it is, its constituencies and the communities it serves."""

    id: str
    name: str
    constituencies: tuple[str, ...]  # framework keys, primary first
    constituency_labels: tuple[str, ...]
    communities: tuple[str, ...]  # Census 2021 group keys
    locality: str


@dataclass(frozen=True)
class TieChange:
    """A direct tie (ties.csv) that formed or ended; ``pair`` is the two ends' primary constituency labels, sorted."""

    from_id: str
    to_id: str
    type: str
    from_name: str
    to_name: str
    pair: tuple[str, str]
    since: str = ""
    until: str = ""


@dataclass(frozen=True)
class MembershipChange:
    """An actor that joined or left a space (a forum, board, partnership, pledge)."""

    actor_id: str
    actor_name: str
    space_id: str
    space_name: str
    role: str


@dataclass(frozen=True)
class MeasureChange:
    """A whole-network measure before and after; ``direction`` is ``up``, ``down``, ``same`` or ``n/a``.

    ``before``/``after`` are None where the measure is undefined (an E-I index without ties);
    :attr:`change` is then None and the direction ``n/a`` (``same`` when undefined on both sides).
    """

    key: str  # density, degree_centralisation, components, average_clustering, ei_index, ...
    label: str  # "Density", "Degree centralisation" ...
    before: float | None
    after: float | None
    direction: str

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class ConstituencyChange:
    """One constituency of the framework before and after: who holds it, who has it as their main one, its voice.

    ``count``/``share``: actors holding it anywhere in their list (an actor of
    two constituencies counts in both, so shares may add up to more than 1).
    ``primary_count``/``primary_share``: actors whose main (primary)
    constituency it is (shares add up to 1). ``voice``: the share of the
    network's PageRank held by those same main members, so voice is compared
    with ``primary_share``, never with ``share``: in a network where everyone
    is tied to everyone the two are equal.
    """

    key: str
    label: str
    sector: str
    count_before: int
    count_after: int
    primary_count_before: int
    primary_count_after: int
    share_before: float
    share_after: float
    primary_share_before: float
    primary_share_after: float
    voice_before: float
    voice_after: float


@dataclass(frozen=True)
class ActorShift:
    """An actor present in both snapshots whose centrality rose or fell (by ``measure``)."""

    id: str
    name: str
    constituency_label: str
    measure: str  # "betweenness" or "degree"
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class Comparison:
    """Everything that changed between ``before`` and ``after`` (see :func:`compare`).

    ``before_label``/``after_label`` name the snapshots for people ("2020-08",
    "leeds-2024", "commit 3f2a1c9"). Lists are sorted for reading: actors and
    ties by constituency then name; shifts by size of change, largest first.
    """

    before: Result
    after: Result
    before_label: str
    after_label: str
    joined: list[ActorChange] = field(default_factory=list)
    left: list[ActorChange] = field(default_factory=list)
    formed: list[TieChange] = field(default_factory=list)
    ended: list[TieChange] = field(default_factory=list)
    memberships_started: list[MembershipChange] = field(default_factory=list)
    memberships_ended: list[MembershipChange] = field(default_factory=list)
    measures: list[MeasureChange] = field(default_factory=list)
    constituencies: list[ConstituencyChange] = field(default_factory=list)
    risers: list[ActorShift] = field(default_factory=list)
    fallers: list[ActorShift] = field(default_factory=list)
    findings: list[FindingChange] = field(default_factory=list)
    significance: list[PermutationTest] = field(default_factory=list)
    forced: bool = False  # compared despite different localities or frameworks (--force)
    warnings: list[str] = field(default_factory=list)

    @property
    def closed(self) -> list[FindingChange]:
        return [f for f in self.findings if f.status == "closed"]

    @property
    def opened(self) -> list[FindingChange]:
        return [f for f in self.findings if f.status == "opened"]

    @property
    def unchanged(self) -> list[FindingChange]:
        return [f for f in self.findings if f.status == "unchanged"]

    @property
    def is_empty(self) -> bool:
        """True when nothing changed: no actor, tie, membership or finding (measures then agree too)."""
        return not (self.joined or self.left or self.formed or self.ended or self.memberships_started
                    or self.memberships_ended or self.closed or self.opened)

    @property
    def counts(self) -> dict[str, int]:
        """How many of each change: joined, left, formed, ended, closed, opened, unchanged, memberships."""
        return {"joined": len(self.joined), "left": len(self.left), "formed": len(self.formed),
                "ended": len(self.ended), "closed": len(self.closed), "opened": len(self.opened),
                "unchanged": len(self.unchanged), "memberships_started": len(self.memberships_started),
                "memberships_ended": len(self.memberships_ended)}

    def to_dict(self) -> dict[str, Any]:
        """The comparison as a JSON-ready document (``netmap compare --json``), keys in a stable order.

        Numbers are plain ints and floats; an undefined one (NaN) is None.
        """
        def rows(items: Iterable[Any], **extra: Any) -> list[dict[str, Any]]:
            return [_plain({**dataclasses.asdict(item), **{k: getattr(item, k) for k in extra}}) for item in items]

        return {
            "schema_version": SCHEMA_VERSION,
            "labels": {"before": self.before_label, "after": self.after_label},
            "maps": {"before": _map_summary(self.before.nmap), "after": _map_summary(self.after.nmap)},
            "forced": self.forced,
            "warnings": list(self.warnings),
            "counts": self.counts,
            "joined": rows(self.joined),
            "left": rows(self.left),
            "formed": rows(self.formed),
            "ended": rows(self.ended),
            "memberships_started": rows(self.memberships_started),
            "memberships_ended": rows(self.memberships_ended),
            "measures": rows(self.measures, change=True),
            "constituencies": rows(self.constituencies),
            "risers": rows(self.risers, change=True),
            "fallers": rows(self.fallers, change=True),
            "findings": rows(self.findings),
            "significance": rows(self.significance),
        }


def _plain(value: Any) -> Any:
    """JSON-ready: tuples as lists, numpy numbers as Python ones, NaN as None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if hasattr(value, "item") and not isinstance(value, (int, float)):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _map_summary(nmap: NetworkMap) -> dict[str, Any]:
    return {"key": nmap.key, "name": nmap.name, "snapshot": nmap.snapshot, "framework": nmap.framework,
            "localities": sorted(loc.key for loc in nmap.localities), "actors": len(nmap.actors),
            "ties": len(nmap.ties), "spaces": len(nmap.spaces), "memberships": len(nmap.memberships)}


#: The whole-network measures compared, in the order they are shown: summary key (or ``ei_index``,
#: ``blau``) and label.
MEASURES: tuple[tuple[str, str], ...] = (
    ("density", "Density"),
    ("degree_centralisation", "Degree centralisation"),
    ("components", "Components"),
    ("largest_component", "Actors in the largest component"),
    ("isolates", "Isolates"),
    ("average_clustering", "Average clustering"),
    ("transitivity", "Transitivity"),
    ("mean_path_length", "Mean path length"),
    ("ei_index", "E-I index (ties across constituencies)"),
    ("blau", "Blau heterogeneity (mix of constituencies)"),
)

#: Changes smaller than this are no change (a measure's direction, an actor's rise or fall).
TOLERANCE = 1e-9


def compare(before: Result, after: Result, *, before_label: str = "before", after_label: str = "after",
            force: bool = False, permutations: int = 999, seed: int = 42, top: int = 10) -> Comparison:
    """What changed from ``before`` to ``after``: two analysed snapshots of one map.

    Actors are matched by :func:`~netmap.snapshots.canonical_id`, ties by
    :func:`~netmap.snapshots.tie_key`, memberships by (actor, space) and gap
    findings by (rule, locality, subject), never by position or wording.
    Maps of different places (their locality keys) or analysed against
    different frameworks raise :class:`~netmap.errors.CompareError` unless
    ``force``, which records a warning instead. ``permutations`` > 0 runs the
    seeded permutation tests of :mod:`netmap.decisions.significance`; ``top``
    caps the risers and fallers (by betweenness).

    >>> from netmap.analysis import analyse
    >>> from netmap.model import Actor, Framework, NetworkMap, Tie
    >>> from netmap.result import Result
    >>> fw = Framework("f", "F", ())
    >>> def result(nmap):
    ...     return Result(nmap, fw, analyse(nmap, fw), [])
    >>> one = NetworkMap("m", "M", actors=[Actor(x, x.upper()) for x in "abc"], ties=[Tie("a", "b")])
    >>> two = NetworkMap("m", "M", actors=[Actor(x, x.upper()) for x in "abcd"],
    ...                  ties=[Tie("b", "a"), Tie("c", "d"), Tie("a", "c")])
    >>> c = compare(result(one), result(two), permutations=0)
    >>> [a.id for a in c.joined], [(t.from_id, t.to_id) for t in c.formed]
    (['d'], [('a', 'c'), ('c', 'd')])
    >>> density = c.measures[0]
    >>> density.before, density.after, density.direction  # 1 tie of 3 pairs, then 3 of 6
    (0.3333333333333333, 0.5, 'up')

    Complexity: O(n + m + f) in the actors, ties and findings of both (plus the sorts of what changed
    and the permutation tests).
    """
    warnings = _check_comparable(before, after, before_label, after_label, force)
    framework = after.framework
    joined, left = _actor_changes(before.nmap, after.nmap, before.framework, framework)
    formed, ended = _tie_changes(before.nmap, after.nmap, before.framework, framework)
    started, stopped = _membership_changes(before.nmap, after.nmap)
    ids = {canonical_id(a.id) for a in before.nmap.actors} | {canonical_id(a.id) for a in after.nmap.actors}
    risers, fallers = _shifts(before, after, top)
    comparison = Comparison(
        before=before, after=after, before_label=before_label, after_label=after_label,
        joined=joined, left=left, formed=formed, ended=ended,
        memberships_started=started, memberships_ended=stopped,
        measures=_measures(before, after), constituencies=_constituencies(before, after),
        risers=risers, fallers=fallers,
        findings=read_findings(match_findings(before.findings, after.findings, ids,
                                              {canonical_id(a.id) for a in left}), before, after),
        forced=bool(warnings), warnings=warnings,
    )
    if permutations > 0:
        # a local import: the permutation tests are the slow part, loaded only when asked for
        from netmap.decisions.significance import permutation_tests

        comparison.significance = list(permutation_tests(before.nmap, after.nmap, framework,
                                                         permutations=permutations, seed=seed))
    return comparison


def _check_comparable(before: Result, after: Result, before_label: str, after_label: str,
                      force: bool) -> list[str]:
    """Why the two maps should not be compared (raised unless ``force``; else the warnings to record)."""
    problems = []
    places = [sorted({canonical_id(loc.key) for loc in r.nmap.localities}) for r in (before, after)]
    if places[0] != places[1]:
        shown = [", ".join(keys) or "no locality" for keys in places]
        problems.append(f"the two maps are of different places ({before_label}: {shown[0]}; "
                        f"{after_label}: {shown[1]})")
    keys = [before.framework.key, after.framework.key]
    if keys[0] != keys[1]:
        problems.append(f"the two maps use different frameworks ({before_label}: {keys[0]}; "
                        f"{after_label}: {keys[1]})")
    if problems and not force:
        advice = "compare snapshots of one map" if places[0] != places[1] else "analyse both against one framework"
        raise CompareError(f"{problems[0]}: {advice}, or use --force")
    return [f"Compared although {p}." for p in problems]


def _primary_label(actor: Actor | None, framework: Framework) -> str:
    primary = actor.primary_constituency if actor is not None else None
    return framework.label(primary) if primary else "Unclassified"


def _constituency_order(framework: Framework) -> Mapping[str, int]:
    return {key: i for i, key in enumerate(framework.keys)}


def _actor_change(a: Actor, framework: Framework) -> ActorChange:
    return ActorChange(a.id, a.name, tuple(a.constituencies), tuple(framework.label(k) for k in a.constituencies),
                       tuple(a.communities), a.locality)


def _by_canonical_id(nmap: NetworkMap) -> dict[str, Actor]:
    return {canonical_id(a.id): a for a in nmap.actors}


def _actor_changes(before: NetworkMap, after: NetworkMap, fw_before: Framework,
                   fw_after: Framework) -> tuple[list[ActorChange], list[ActorChange]]:
    """Actors of ``after`` only (joined) and of ``before`` only (left), by constituency then name."""
    old, new = _by_canonical_id(before), _by_canonical_id(after)

    def changes(side: dict[str, Actor], other: dict[str, Actor], fw: Framework) -> list[ActorChange]:
        order = _constituency_order(fw)
        found = [a for key, a in side.items() if key not in other]
        found.sort(key=lambda a: (order.get(a.primary_constituency or "", len(order)),
                                  _primary_label(a, fw).casefold(), a.name.casefold(), a.id))
        return [_actor_change(a, fw) for a in found]

    return changes(new, old, fw_after), changes(old, new, fw_before)


class _Canonical(dict):
    """:func:`~netmap.snapshots.canonical_id` of each id, worked out once (an id ends many ties)."""

    def __missing__(self, key: str) -> str:
        self[key] = found = canonical_id(key)
        return found


def _tie_keys(ties: list[Tie], canon: _Canonical) -> dict[tuple[str, str, str], Tie]:
    """Each tie by :func:`~netmap.snapshots.tie_key` (the first of duplicate rows wins)."""
    found: dict[tuple[str, str, str], Tie] = {}
    for t in ties:
        a, b = canon[t.from_id], canon[t.to_id]
        key = (a, b, t.type.strip()) if t.directed or a <= b else (b, a, t.type.strip())
        found.setdefault(key, t)
    return found


def _tie_changes(before: NetworkMap, after: NetworkMap, fw_before: Framework,
                 fw_after: Framework) -> tuple[list[TieChange], list[TieChange]]:
    """Ties of ``after`` only (formed) and of ``before`` only (ended), by constituency pair then names."""
    canon = _Canonical()
    old, new = _tie_keys(before.ties, canon), _tie_keys(after.ties, canon)

    def changes(side: dict[tuple, Tie], other: dict[tuple, Tie], nmap: NetworkMap, fw: Framework) -> list[TieChange]:
        labels = {a.id: _primary_label(a, fw) for a in nmap.actors}
        names = {a.id: a.name for a in nmap.actors}
        found = []
        for key, t in side.items():
            if key in other:
                continue
            ends = labels.get(t.from_id, "Unclassified"), labels.get(t.to_id, "Unclassified")
            found.append(TieChange(t.from_id, t.to_id, t.type, names.get(t.from_id, t.from_id),
                                   names.get(t.to_id, t.to_id), ends if ends[0] <= ends[1] else (ends[1], ends[0]),
                                   t.since, t.until))
        found.sort(key=lambda c: (c.pair, c.from_name.casefold(), c.to_name.casefold(), c.type, c.from_id, c.to_id))
        return found

    return changes(new, old, after, fw_after), changes(old, new, before, fw_before)


def _membership_changes(before: NetworkMap, after: NetworkMap) -> tuple[list[MembershipChange],
                                                                         list[MembershipChange]]:
    """Memberships of ``after`` only (started) and of ``before`` only (ended), by space then actor name."""
    def index(nmap: NetworkMap) -> dict[tuple[str, str], Membership]:
        return {(canonical_id(m.actor_id), canonical_id(m.space_id)): m for m in reversed(nmap.memberships)}

    old, new = index(before), index(after)

    def changes(side: dict, other: dict, nmap: NetworkMap) -> list[MembershipChange]:
        actors = nmap.actor_index()
        spaces = {s.id: s.name for s in nmap.spaces}
        found = [MembershipChange(m.actor_id, a.name if (a := actors.get(m.actor_id)) else m.actor_id,
                                  m.space_id, spaces.get(m.space_id, m.space_id), m.role)
                 for key, m in side.items() if key not in other]
        found.sort(key=lambda c: (c.space_name.casefold(), c.actor_name.casefold(), c.space_id, c.actor_id))
        return found

    return changes(new, old, after), changes(old, new, before)


def _number(value: Any) -> float | None:
    """A measure as a plain number, None when undefined (None or NaN)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _direction(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "same" if before is None and after is None else "n/a"  # undefined on one side: no direction
    if abs(after - before) <= TOLERANCE:
        return "same"
    return "up" if after > before else "down"


#: Measures undefined below 2 actors (pairs, paths), below 2 in the largest component (paths) and with no
#: actor (means over actors): the summary holds 0 for them, which would read as a real value.
_NEED_PAIRS = frozenset({"density", "mean_path_length", "diameter"})
_NEED_PATHS = frozenset({"mean_path_length", "diameter"})
_NEED_ACTORS = frozenset({"average_clustering", "transitivity"})


def _measures(before: Result, after: Result) -> list[MeasureChange]:
    def value(r: Result, key: str) -> float | None:
        a = r.analysis
        actors = a.summary.get("actors", len(r.nmap.actors))
        if ((key in _NEED_PAIRS and actors < 2) or (key in _NEED_ACTORS and actors < 1)
                or (key in _NEED_PATHS and a.summary.get("largest_component", 0) < 2)):
            return None
        return _number(a.ei if key == "ei_index" else a.blau if key == "blau" else a.summary.get(key))

    found = []
    for key, label in MEASURES:
        old, new = value(before, key), value(after, key)
        found.append(MeasureChange(key, label, old, new, _direction(old, new)))
    return found


def _constituencies(before: Result, after: Result) -> list[ConstituencyChange]:
    """Every constituency of the framework (of both, when forced across two), in framework order."""
    fws = (after.framework, before.framework)
    keys = list(dict.fromkeys(k for fw in fws for k in fw.keys))

    def row(r: Result, key: str) -> tuple[int, int, float, float, float]:
        table = r.constituencies
        if key not in table.index:
            return 0, 0, 0.0, 0.0, 0.0
        found = table.loc[key]
        return (int(found["count"]), int(found.get("primary_count", 0)), _number(found["share"]) or 0.0,
                _number(found.get("primary_share")) or 0.0, _number(found["voice"]) or 0.0)

    found = []
    for key in keys:
        c = after.framework.get(key) or before.framework.get(key)
        (n0, p0, s0, ps0, v0), (n1, p1, s1, ps1, v1) = row(before, key), row(after, key)
        found.append(ConstituencyChange(key, c.label, c.sector, n0, n1, p0, p1,  # type: ignore[union-attr]
                                        s0, s1, ps0, ps1, v0, v1))
    return found


def _shifts(before: Result, after: Result, top: int,
            measure: str = "betweenness") -> tuple[list[ActorShift], list[ActorShift]]:
    """The ``top`` actors in both snapshots whose ``measure`` rose most, and the ``top`` that fell most."""
    if measure not in before.actors or measure not in after.actors or top <= 0:
        return [], []
    old = {canonical_id(k): v for k, v in before.actors[measure].items()}
    actors = after.nmap.actor_index()
    moved = []  # (change, id, before, after) for every actor in both whose value moved
    for actor_id, value in after.actors[measure].items():
        previous = old.get(canonical_id(actor_id))
        if previous is None or not (math.isfinite(previous) and math.isfinite(value)):
            continue
        if abs(value - previous) > TOLERANCE:
            moved.append((float(value) - float(previous), str(actor_id), float(previous), float(value)))

    def shift(item: tuple[float, str, float, float]) -> ActorShift:
        _, actor_id, old_value, new_value = item
        actor = actors.get(actor_id)
        return ActorShift(actor_id, actor.name if actor else actor_id, _primary_label(actor, after.framework),
                          measure, old_value, new_value)

    rising = heapq.nsmallest(top, (m for m in moved if m[0] > 0), key=lambda m: (-m[0], m[1]))
    falling = heapq.nsmallest(top, (m for m in moved if m[0] < 0), key=lambda m: (m[0], m[1]))
    return [shift(m) for m in rising], [shift(m) for m in falling]
