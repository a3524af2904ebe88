"""Gap findings across two snapshots: matched as closed, opened or unchanged, and read for what the change means.

A finding is matched by its rule id, locality and subject (ids canonical, the
ends of a pair in either order), never by its wording. A change the rule
counts is not always the change a funder would read into it, so each one is
read against both maps:

* a gap **closed** is not progress when the organisation it is about left the
  map, when an organisation lost its only funder or statutory contact and now
  has none, or when the single tie holding some actors to the rest moved to
  another partner (the same actors still hang by one tie): ``not_progress``;
* a gap **opened** is not a new gap when an organisation gained its first
  funder or statutory contact (it had none: progress), or when it is the other
  half of such a moved tie: ``not_new``.

>>> import networkx as nx
>>> sorted(cut_off_side(nx.path_graph(["a", "b", "c", "d"]), "b", "c"))
['a', 'b']
"""

from __future__ import annotations

import dataclasses
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netmap.gaps.finding import SEVERITIES
from netmap.snapshots import canonical_id

if TYPE_CHECKING:  # the result sits below; nothing here needs it at run time
    import networkx as nx

    from netmap.gaps import Finding
    from netmap.result import Result

__all__ = ["FIRST_CONTACT", "FIRST_FUNDER", "LEFT_THE_MAP", "LOST_ONLY_CONTACT", "LOST_ONLY_FUNDER",
           "MOVED_TIE_CLOSED", "MOVED_TIE_OPENED", "FindingChange", "cut_off_side", "match_findings",
           "read_findings"]

#: Why a closed gap is not progress (``FindingChange.not_progress``).
LEFT_THE_MAP = "closed only because the organisation it is about left the map"
LOST_ONLY_FUNDER = "closed because the organisation lost its only funder or commissioner and now has none"
LOST_ONLY_CONTACT = "closed because the organisation lost its only statutory contact and now has none"
MOVED_TIE_CLOSED = ("closed only because the single tie moved to another partner: the same actors still hang by "
                    "one tie")
#: Why an opened gap is not a new gap (``FindingChange.not_new``).
FIRST_FUNDER = ("opened because the organisation gained its first funder or commissioner (it had none): progress, "
                "not a new gap")
FIRST_CONTACT = ("opened because the organisation gained its first statutory contact (it had none): progress, "
                 "not a new gap")
MOVED_TIE_OPENED = ("opened only because the single tie moved from another partner: the same actors hung by one "
                    "tie before, so it is not a new gap")

_STATUS_ORDER = {"closed": 0, "opened": 1, "unchanged": 2}
_DEPENDENCIES = {"fragility.single_funder": "single_funder",
                 "fragility.single_statutory_contact": "single_statutory_contact"}


@dataclass(frozen=True)
class FindingChange:
    """A gap finding matched across snapshots by ``(rule, locality, subject)``.

    ``status`` is ``closed`` (before only), ``opened`` (after only) or
    ``unchanged`` (both; ``severity_before`` may differ from ``severity``).
    ``message`` is the latest wording (after, or before for a closed finding).
    ``left`` names the actors (ids) whose leaving alone closed it: a gap about an
    organisation that is no longer on the map (its single funder, its one
    statutory contact, its lack of ties) is gone, not met. ``not_progress`` is
    then a sentence saying so, as it is for a single funder or single statutory
    contact that closed because the one tie went and none took its place (the
    organisation now has none), and for a bridge that closed because the
    single tie moved to another partner: closed by the rule, not better in
    fact. ``not_new`` is the sentence for an opened finding that is no new
    gap: a first funder or statutory contact (progress), or the other half of
    a moved bridge.
    """

    rule: str
    kind: str
    locality: str
    subject: str
    status: str
    severity: str
    severity_before: str
    message: str
    left: tuple[str, ...] = ()
    not_progress: str = ""
    not_new: str = ""

    @property
    def progress_opened(self) -> bool:
        """True for an opened gap that is progress: a first funder or statutory contact where there was none."""
        return self.not_new in (FIRST_FUNDER, FIRST_CONTACT)


def _subject_key(subject: str, ids: set[str]) -> str:
    """A finding's subject as findings are matched by: an actor id (or a pair of ends) canonical."""
    text = canonical_id(subject)
    if text in ids or "--" not in text:
        return text
    return "--".join(sorted(part.strip() for part in text.split("--")))


def match_findings(before: list[Finding], after: list[Finding], ids: set[str],
                   left: set[str] = frozenset()) -> list[FindingChange]:  # type: ignore[assignment]
    """Each finding closed, opened or unchanged, matched by (rule, locality, subject); a closed finding
    about actors that ``left`` (canonical ids) names them."""
    def grouped(findings: list[Finding]) -> dict[tuple[str, str, str], list[Finding]]:
        groups: dict[tuple[str, str, str], list[Finding]] = {}
        for f in findings:
            key = (f.rule or f.kind, canonical_id(f.locality), _subject_key(f.subject, ids))
            groups.setdefault(key, []).append(f)
        return groups

    def change(f: Finding, status: str, earlier: Finding | None = None) -> FindingChange:
        gone = ()
        if status == "closed" and left:
            parts = [part.strip() for part in _subject_key(f.subject, ids).split("--")]
            gone = tuple(part for part in parts if part in left)
        return FindingChange(f.rule or f.kind, f.kind, f.locality, f.subject, status, f.severity,
                             (earlier or f).severity, f.message, gone)

    old, new = grouped(before), grouped(after)
    found = []
    for key, items in new.items():
        previous = old.get(key, [])
        found += [change(f, "unchanged", p) for f, p in zip(items, previous, strict=False)]
        found += [change(f, "opened") for f in items[len(previous):]]
    for key, items in old.items():
        found += [change(f, "closed") for f in items[len(new.get(key, [])):]]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    found.sort(key=lambda c: (_STATUS_ORDER[c.status], rank.get(c.severity, len(rank)), c.rule, c.locality,
                              c.subject))
    return found


def dependencies(result: Result, actor_id: str, reason: str) -> int | None:
    """How many funders (``single_funder``) or statutory contacts (``single_statutory_contact``) the actor
    has in ``result`` by the rule's own reading of the map; None for another reason or an actor not there."""
    nmap, G = result.nmap, result.analysis.graph
    if reason == "single_funder":
        return len({t.from_id for t in nmap.ties
                    if t.to_id == actor_id and t.type in ("funds", "commissions") and t.directed})
    if reason == "single_statutory_contact" and actor_id in G:
        return sum(1 for m in G.neighbors(actor_id) if G.nodes[m].get("sector") == "statutory")
    return None


def cut_off_side(G: nx.Graph, u: Any, v: Any) -> frozenset[str] | None:
    """The actors (canonical ids) on ``u``'s side of the tie u-v: those who reach the rest only through it.

    None when the tie is not in ``G``. Walks ``u``'s side only (a bridge finding's ``u`` is on the smaller
    side), so it costs O(side and its ties).
    """
    if u not in G or v not in G or not G.has_edge(u, v):
        return None
    seen, queue = {u}, deque([u])
    while queue:
        x = queue.popleft()
        for y in G.neighbors(x):
            if y not in seen and not (x == u and y == v):
                seen.add(y)
                queue.append(y)
    return None if v in seen else frozenset(canonical_id(str(x)) for x in seen)


def _sides(result: Result, finding: Finding | None) -> list[frozenset[str]]:
    """The side(s) a bridge finding cuts off: its smaller side, and the other one too when both are as large."""
    data = dict(finding.data or {}) if finding is not None else {}
    ends, sizes = data.get("actors"), data.get("sides")
    if not isinstance(ends, (list, tuple)) or len(ends) != 2:
        return []
    G = result.analysis.graph
    found = [cut_off_side(G, ends[0], ends[1])]
    if isinstance(sizes, (list, tuple)) and len(sizes) == 2 and sizes[0] == sizes[1]:
        found.append(cut_off_side(G, ends[1], ends[0]))
    return [side for side in found if side]


def _moved_bridges(findings: list[FindingChange], before: Result, after: Result) -> set[int]:
    """Positions of closed and opened bridges that are one tie moved: same locality, same actors cut off."""
    def index(result: Result) -> dict[tuple[str, str, str], Finding]:
        return {(f.rule or f.kind, f.locality, f.subject): f for f in result.findings}

    old, new = index(before), index(after)
    bridges = [(i, f) for i, f in enumerate(findings) if f.rule == "fragility.bridge"]
    closed = {i: (canonical_id(f.locality), _sides(before, old.get((f.rule, f.locality, f.subject))))
              for i, f in bridges if f.status == "closed" and not f.left}
    moved: set[int] = set()
    for i, f in bridges:
        if f.status != "opened":
            continue
        sides = _sides(after, new.get((f.rule, f.locality, f.subject)))
        for j, (place, earlier) in closed.items():
            if j not in moved and place == canonical_id(f.locality) and any(s in earlier for s in sides):
                moved |= {i, j}
                break
    return moved


def read_findings(findings: list[FindingChange], before: Result, after: Result) -> list[FindingChange]:
    """Mark the closed findings that are not progress and the opened ones that are not new gaps (see above)."""
    now = {canonical_id(a.id): a.id for a in after.nmap.actors}
    then = {canonical_id(a.id): a.id for a in before.nmap.actors}
    moved = _moved_bridges(findings, before, after)
    marked = []
    for i, f in enumerate(findings):
        change: dict[str, str] = {}
        reason = _DEPENDENCIES.get(f.rule)
        if f.status == "closed" and f.left:
            change["not_progress"] = LEFT_THE_MAP
        elif i in moved:
            change["not_progress" if f.status == "closed" else "not_new"] = \
                MOVED_TIE_CLOSED if f.status == "closed" else MOVED_TIE_OPENED
        elif reason and f.status == "closed":
            actor_id = now.get(canonical_id(f.subject))
            if actor_id is not None and dependencies(after, actor_id, reason) == 0:
                change["not_progress"] = LOST_ONLY_FUNDER if reason == "single_funder" else LOST_ONLY_CONTACT
        elif reason and f.status == "opened":
            actor_id = then.get(canonical_id(f.subject))
            if actor_id is not None and dependencies(before, actor_id, reason) == 0:
                change["not_new"] = FIRST_FUNDER if reason == "single_funder" else FIRST_CONTACT
        marked.append(dataclasses.replace(f, **change) if change else f)
    return marked
