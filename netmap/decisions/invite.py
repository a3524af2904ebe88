"""The invitation planner: whom to invite next so that a few invitations close the most gaps.

The objective is a weighted coverage of the fixed list of gap items of
:mod:`netmap.decisions.invite_items`: a set of invitations ``S`` is worth

    value(S) = sum over items i of  weight(i) * min(demand(i), number of picks in S covering i)

Each term is a non-decreasing concave function of how many picks cover the
item, so ``value`` is monotone (another invitation never lowers it) and
submodular (an invitation adds less, never more, to a larger set). Greedy
choice by marginal gain then reaches at least (1 - 1/e), about 63%, of the best
possible value for the same number of invitations (Nemhauser, Wolsey and Fisher,
1978); ties go to the candidate whose id sorts first, so a plan is reproducible.

>>> from netmap.workspace import read_workspace
>>> from netmap.analysis import analyse
>>> from netmap.gaps import find_gaps
>>> from netmap.reference import load_framework
>>> from netmap.resources import sites_dir
>>> from netmap.model import Actor
>>> from netmap.result import Result
>>> nmap = read_workspace(sites_dir() / "leeds")
>>> fw = load_framework("whole-system")
>>> analysis = analyse(nmap, fw)
>>> result = Result(nmap, fw, analysis, find_gaps(nmap, fw, analysis))
>>> carers = Candidate(Actor("carers", "Carers Group", constituencies=("carer_led",)), works_with=("lypft",))
>>> plan = plan_invitations(result, [carers], k=1)
>>> [(p.candidate.id, p.gain) for p in plan.picks]
[('carers', 2.5)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netmap.decisions.invite_items import Candidate, Coverage, GapItem, coverage, gap_items, reason_text
from netmap.errors import NetmapError
from netmap.result import Result
from netmap.workspace.names import NameIndex

#: The number of invitations ``netmap invite`` plans by default.
DEFAULT_K = 3
#: Gains closer than this are equal (sums of float weights).
_EPSILON = 1e-9

__all__ = ["DEFAULT_K", "Candidate", "GapItem", "InviteError", "Pick", "Plan", "Reason", "gains", "greedy",
           "objective", "plan_invitations"]


class InviteError(NetmapError):
    """The planner was given something it cannot plan with (a bad candidates file, k <= 0, an unknown --must)."""


@dataclass(frozen=True)
class Reason:
    """One unit of a gap item a pick closes, with the points it adds and a sentence saying why."""

    item: GapItem
    gain: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item.id, "kind": self.item.kind, "rule": self.item.rule,
                "locality": self.item.locality, "subject": self.item.subject, "gain": round(self.gain, 4),
                "text": self.text}


@dataclass(frozen=True)
class Pick:
    """One invitation of the plan: its rank, the candidate, what it adds and why."""

    rank: int
    candidate: Candidate
    gain: float
    reasons: tuple[Reason, ...]
    must: bool = False


@dataclass
class Plan:
    """The invitations chosen, in order, and how much of the gaps they close."""

    picks: list[Pick]
    items: list[GapItem]
    candidates: list[Candidate]
    k: int
    value: float  # points the picks close
    available: float  # points of every gap item
    reachable: float  # points every candidate together would close
    must: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_per_constituency: int | None = None
    coverage: Coverage | None = field(default=None, repr=False)

    @property
    def ids(self) -> list[str]:
        return [p.candidate.id for p in self.picks]


def objective(cover: Coverage, chosen: Iterable[str]) -> float:
    """``value(S)`` of the module docstring: the points the candidates ``chosen`` close together."""
    counts: Counter[str] = Counter()
    for c in dict.fromkeys(chosen):
        counts.update(cover.covered(c).keys())
    return sum(item.weight * min(item.demand, counts[item.id]) for item in cover.items.values())


def gains(cover: Coverage, candidate: str, counts: Counter[str]) -> dict[str, float]:
    """The points each item adds if ``candidate`` joins picks that cover the items ``counts`` times."""
    return {i: cover.items[i].weight for i in cover.covered(candidate) if counts[i] < cover.items[i].demand}


def _over_cap(candidate: Candidate, held: Counter[str], cap: int | None) -> bool:
    return cap is not None and any(held[k] >= cap for k in dict.fromkeys(candidate.actor.constituencies))


def greedy(cover: Coverage, candidates: Sequence[Candidate], k: int, *, must: Sequence[str] = (),
           max_per_constituency: int | None = None) -> list[tuple[str, dict[str, float], Counter[str]]]:
    """Greedy choice by marginal gain: ``must`` first (in order), then the best gain, ties by id.

    Stops at ``k`` picks, or earlier when no allowed candidate adds anything.
    Returns, per pick, its id, its gain per item and the item counts before it.
    Complexity: O(k * sum of the items each candidate covers).
    """
    by_id = {c.id: c for c in candidates}
    counts: Counter[str] = Counter()
    held: Counter[str] = Counter()
    picks: list[tuple[str, dict[str, float], Counter[str]]] = []

    def take(cid: str, gain: dict[str, float]) -> None:
        picks.append((cid, gain, counts.copy()))
        counts.update(cover.covered(cid).keys())
        held.update(tuple(dict.fromkeys(by_id[cid].actor.constituencies)))

    for cid in must:
        take(cid, gains(cover, cid, counts))
    taken = set(must)
    while len(picks) < k:
        best: tuple[float, str] | None = None
        for c in sorted(candidates, key=lambda c: c.id):
            if c.id in taken or _over_cap(c, held, max_per_constituency):
                continue
            gain = sum(gains(cover, c.id, counts).values())
            if gain > _EPSILON and (best is None or gain > best[0] + _EPSILON):
                best = (gain, c.id)
        if best is None:
            break
        take(best[1], gains(cover, best[1], counts))
        taken.add(best[1])
    return picks


def _resolve(refs: Sequence[str], candidates: Sequence[Candidate], option: str) -> list[str]:
    index = NameIndex(c.actor for c in candidates)
    found = []
    for ref in refs:
        cid = index.resolve(ref)
        if cid is None:
            raise InviteError(f"{option}: no candidate '{ref}': give the id or name of a row of the candidates file")
        found.append(cid)
    return list(dict.fromkeys(found))


def plan_invitations(result: Result, candidates: Sequence[Candidate], k: int = DEFAULT_K, *,
                     must: Sequence[str] = (), exclude: Sequence[str] = (),
                     max_per_constituency: int | None = None, by_locality: bool = True) -> Plan:
    """Plan at most ``k`` invitations among ``candidates`` that together close the most gaps of ``result``.

    ``must`` (ids or names) are invited first, whatever they add; ``exclude``
    are never invited; with ``max_per_constituency`` no more than that many
    picks hold any one constituency. Raises :class:`InviteError` for ``k``
    below 1, more ``must`` than ``k``, or a ``must``/``exclude`` naming no candidate.
    """
    if k < 1:
        raise InviteError(f"--k must be at least 1 (got {k}): it is the number of invitations to plan")
    if max_per_constituency is not None and max_per_constituency < 1:
        raise InviteError(f"--max-per-constituency must be at least 1 (got {max_per_constituency})")
    must_ids = _resolve(must, candidates, "--must")
    excluded = set(_resolve(exclude, candidates, "--exclude"))
    both = [c for c in must_ids if c in excluded]
    if both:
        raise InviteError(f"--must and --exclude both name '{both[0]}'")
    if len(must_ids) > k:
        raise InviteError(f"--must names {len(must_ids)} candidates but --k is {k}: raise --k or name fewer")
    items = gap_items(result, by_locality=by_locality)
    cover = coverage(result, items, candidates, by_locality=by_locality)
    allowed = [c for c in candidates if c.id not in excluded]
    by_id = {c.id: c for c in candidates}
    picks = []
    for rank, (cid, gain, before) in enumerate(
            greedy(cover, allowed, k, must=must_ids, max_per_constituency=max_per_constituency), start=1):
        candidate = by_id[cid]
        reasons = tuple(
            Reason(cover.items[i], g, reason_text(cover.items[i], candidate, cover.covered(cid)[i],
                                                  cover.items[i].have + before[i], result.graph, result.framework))
            for i, g in gain.items())
        picks.append(Pick(rank, candidate, round(sum(gain.values()), 6), reasons, cid in must_ids))
    return Plan(picks, items, list(candidates), k, round(objective(cover, [p.candidate.id for p in picks]), 6),
                round(sum(i.points for i in items), 6), round(objective(cover, [c.id for c in allowed]), 6),
                tuple(must), tuple(exclude), max_per_constituency, cover)
