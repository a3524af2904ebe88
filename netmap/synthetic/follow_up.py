"""A SYNTHETIC borough some months later: who joined and left, which ties formed and ended, for the change demo.

:func:`follow_up` takes a synthetic borough (:func:`netmap.synthetic.generate`,
or ``data/sites/synthetic-borough``) and returns the same borough some months
later, with a realistic mix of change planted in it. The result is one dated
map holding both moments: joined actors and formed ties carry a ``since``,
leavers and ended ties an ``until``, so that :func:`netmap.snapshots.at` at the
map's last date gives the map before and at ``on`` the map after::

    python -m netmap.synthetic --follow-up data/sites/synthetic-borough --out data/snapshots/synthetic-borough-update
    netmap compare data/snapshots/synthetic-borough-update --at 2024-12 --at 2025-06

Everything it makes is fictional and says so (map name, description, notes).

>>> from netmap.synthetic import generate
>>> from netmap.snapshots import at
>>> before = generate(120, seed=3)
>>> after = follow_up(before, seed=1)
>>> after == follow_up(before, seed=1), "SYNTHETIC" in after.name
(True, True)
>>> then, now = at(after, "2024-12"), at(after, "2025-06")
>>> len(now.actors) - len(then.actors) == JOINED - LEFT
True
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from pathlib import Path

from netmap.model import Actor, Membership, NetworkMap, Tie, tie_is_directed
from netmap.snapshots import dates_in, parse_period
from netmap.synthetic.borough import WEB
from netmap.workspace.config import config_text
from netmap.workspace.load import read_workspace
from netmap.workspace.write import table_rows, write_tables

#: By-and-for community organisations that join: two carers' groups, a service-user-led group, an Arab
#: community group. Each brings two ties (``JOINER_TIES``) and joins the VCSE alliance.
JOINED = 4
#: Neighbourhood organisations that leave (close or stop taking part); their ties and memberships end with them.
LEFT = 3
#: Ties that form: the joiners' 8, the carers' group tie to its NHS mental health team (closing the framework's
#: missing link), the satellite cluster's new tie to the council, and 6 new partnerships between neighbours.
FORMED = 16
#: Ties that end besides the leavers' own: the broker's tie to its satellite cluster and 5 partnerships.
ENDED = 6
JOINER_TIES = 8
NEW_PARTNERSHIPS = FORMED - JOINER_TIES - 2
ENDED_PARTNERSHIPS = ENDED - 1
#: Memberships that start (the joiners join the VCSE alliance).
MEMBERSHIPS_STARTED = JOINED
ALLIANCE = "vcse-alliance"
#: The note the generator gives the community group that is a satellite cluster's only link (plan.py).
BROKER_NOTE = "only link between its neighbouring groups and the rest of the borough"
LABEL = "SYNTHETIC follow-up"


@dataclasses.dataclass
class _Borough:
    """The before map, indexed: actors by id and constituency, neighbours, tie keys."""

    nmap: NetworkMap
    actors: dict[str, Actor]
    by_cons: dict[str, list[str]]
    nbrs: dict[str, set[str]]
    pairs: set[tuple[str, str]]

    @classmethod
    def of(cls, nmap: NetworkMap) -> _Borough:
        actors = {a.id: a for a in nmap.actors}
        by_cons: dict[str, list[str]] = defaultdict(list)
        for a in nmap.actors:
            by_cons[a.primary_constituency or ""].append(a.id)
        nbrs: dict[str, set[str]] = defaultdict(set)
        for t in nmap.ties:
            nbrs[t.from_id].add(t.to_id)
            nbrs[t.to_id].add(t.from_id)
        pairs = {tuple(sorted((t.from_id, t.to_id))) for t in nmap.ties}
        return cls(nmap, actors, by_cons, nbrs, pairs)  # type: ignore[arg-type]

    def first(self, cons: str, locality: str | None = None) -> str | None:
        """The first actor (by id) of a constituency, in a locality if given."""
        found = sorted(i for i in self.by_cons.get(cons, []) if locality is None or self.actors[i].locality == locality)
        return found[0] if found else None

    def need(self, cons: str, locality: str | None = None) -> str:
        found = self.first(cons, locality)
        if found is None:
            raise ValueError(f"follow_up needs a synthetic borough map (netmap.synthetic.generate): "
                             f"it has no {cons.replace('_', ' ')} actor")
        return found

    def degree(self, actor_id: str) -> int:
        return len(self.nbrs.get(actor_id, ()))


class _Months:
    """The months of the follow-up window: ``before`` (the map's last month) to ``on``."""

    def __init__(self, nmap: NetworkMap, months: int, on: str | None) -> None:
        dates = dates_in(nmap)
        if not dates:
            raise ValueError("follow_up needs a map with dated rows (its last date is the 'before' moment)")
        last = max(parse_period(d)[1] for d in dates)
        self.before = (last.year, last.month)
        if on is None:
            if months < 1:
                raise ValueError(f"months must be at least 1 (got {months})")
            self.on = self.shift(self.before, months)
        else:
            end = parse_period(on)[1]
            self.on = (end.year, end.month)
        self.span = (self.on[0] - self.before[0]) * 12 + self.on[1] - self.before[1]
        if self.span < 1:
            raise ValueError(f"the follow-up date {on} must be after the map's last date, {self.label(self.before)}")

    @staticmethod
    def shift(month: tuple[int, int], k: int) -> tuple[int, int]:
        n = month[0] * 12 + month[1] - 1 + k
        return (n // 12, n % 12 + 1)

    @staticmethod
    def label(month: tuple[int, int]) -> str:
        return f"{month[0]:04d}-{month[1]:02d}"

    def since(self, rng: random.Random) -> str:
        """A month after ``before``, up to ``on``: when something new started."""
        return self.label(self.shift(self.before, rng.randint(1, self.span)))

    def until(self, rng: random.Random) -> str:
        """A month from ``before`` to the one before ``on``: the last month something held."""
        lo = 1 if self.span > 1 else 0
        return self.label(self.shift(self.before, rng.randint(lo, max(lo, self.span - 1))))


def _tie(a: str, b: str, kind: str, since: str, source: str, note: str) -> Tie:
    return Tie(from_id=a, to_id=b, type=kind, directed=tie_is_directed(kind), since=since,
               reported_by=(a, b), source=source, notes=f"{LABEL}: {note}")


def _neighbourhoods(b: _Borough) -> list[str]:
    """The map's neighbourhoods, those with no carers' group first (where carers' groups join)."""
    keys = [loc.key for loc in b.nmap.localities]
    has = {b.actors[i].locality for i in b.by_cons.get("carer_led", [])}
    if "" in has:  # a borough-wide carers' group counts everywhere
        has = set(keys)
    return [k for k in keys if k not in has] + [k for k in keys if k in has]


def _partner(b: _Borough, rng: random.Random, locality: str, taken: set[str]) -> str:
    """A VCSE provider of the neighbourhood with ties (a joiner's first partner)."""
    pool = sorted(i for i in b.by_cons.get("vcse_provider", []) if b.actors[i].locality == locality
                  and b.degree(i) >= 2 and i not in taken)
    if not pool:
        pool = sorted(i for i in b.by_cons.get("vcse_provider", []) if b.degree(i) >= 2 and i not in taken)
    return rng.choice(pool)


def _joiners(b: _Borough, rng: random.Random, when: _Months, source: str, width: int,
             taken: set[str]) -> tuple[list[Actor], list[Tie]]:
    """The four by-and-for organisations that join, and their two ties each."""
    locs = _neighbourhoods(b)
    names = {loc.key: loc.name for loc in b.nmap.localities}
    trust = b.need("nhs_mental_health", "")
    commissioner, funder = b.need("commissioner"), b.need("national_body_funder")
    n = len(b.actors)
    south = locs[1 % len(locs)]
    specs = [  # id prefix, constituencies, communities, locality, name, lived experience, (tie to, type) x2
        ("carer", ("carer_led", "community_group"), ("caribbean", "african"), locs[0],
         f"{names[locs[0]]} African Caribbean Carers' Circle", True, (trust, "co_produces"), (None, "partnership")),
        ("carer", ("carer_led", "community_group"), ("bangladeshi",), south,
         f"{names[south]} Bangladeshi Carers' Network", True,
         (b.first("nhs_mental_health", south) or trust, "partnership"), (commissioner, "funds")),
        ("sul", ("service_user_led", "community_group"), ("caribbean", "african", "other_black"), locs[-1],
         f"{names[locs[-1]]} Black Service User Network", True, (trust, "co_produces"), (None, "partnership")),
        ("cg", ("community_group",), ("arab",), locs[0], f"{names[locs[0]]} Arab Community Association", False,
         (None, "partnership"), (funder, "funds")),
    ]
    actors: list[Actor] = []
    ties: list[Tie] = []
    for k, (prefix, cons, comms, loc, name, lived, *links) in enumerate(specs):
        actor_id = f"{prefix}-{n + k:0{width}d}"
        since = when.since(rng)
        actors.append(Actor(id=actor_id, name=name, constituencies=cons, communities=comms, led_by_community=True,
                            lived_experience_led=lived, locality=loc, source=source,
                            notes=f"{LABEL}: a by-and-for organisation that joined in {since}",
                            attributes={"since": since}))
        for other, kind in links:
            if other is None:
                other = _partner(b, rng, loc, taken)
                taken.add(other)
            a, z = (other, actor_id) if kind == "funds" else (actor_id, other)
            ties.append(_tie(a, z, kind, since, source, f"formed when {name} joined"))
    return actors, ties


def _satellite(b: _Borough) -> tuple[str, str]:
    """(broker, first group) of a satellite cluster: the broker is a cut vertex, the group its only way in."""
    for broker in sorted(i for i, a in b.actors.items() if a.notes == BROKER_NOTE):
        for first in sorted(b.nbrs.get(broker, ())):
            seen, todo = {first}, [first]
            while todo and len(seen) <= 4:
                for x in b.nbrs[todo.pop()]:
                    if x != broker and x not in seen:
                        seen.add(x)
                        todo.append(x)
            if len(seen) <= 4:
                return broker, first
    raise ValueError("follow_up needs a synthetic borough map (netmap.synthetic.generate): it has no "
                     "community group brokering a satellite cluster")


def _web(b: _Borough, protected: set[str]) -> list[str]:
    """Neighbourhood organisations free to leave or change ties: in the web, well tied, not protected."""
    return sorted(i for i, a in b.actors.items() if a.primary_constituency in WEB and a.locality
                  and i not in protected and b.degree(i) >= 3)


def _leavers(b: _Borough, rng: random.Random, protected: set[str]) -> list[str]:
    """Three organisations whose leaving cuts no one off (every neighbour keeps another tie)."""
    pool = [i for i in _web(b, protected) if b.actors[i].primary_constituency != "housing"
            and all(b.degree(x) >= 3 for x in b.nbrs[i])]
    return rng.sample(pool, LEFT)


def _new_partnerships(b: _Borough, rng: random.Random, free: list[str], when: _Months,
                      source: str) -> list[Tie]:
    """Partnerships between neighbourhood organisations of one neighbourhood that had none."""
    by_loc: dict[str, list[str]] = defaultdict(list)
    for i in free:
        by_loc[b.actors[i].locality].append(i)
    locs = sorted(by_loc)
    made: list[Tie] = []
    while len(made) < NEW_PARTNERSHIPS:
        a, z = rng.sample(by_loc[rng.choice(locs)], 2)
        pair = tuple(sorted((a, z)))
        if pair not in b.pairs:
            b.pairs.add(pair)  # type: ignore[arg-type]
            made.append(_tie(a, z, rng.choice(("partnership", "co_produces")), when.since(rng), source,
                             "a new partnership between neighbours"))
    return made


def _ended_partnerships(b: _Borough, rng: random.Random, free: set[str]) -> list[int]:
    """Indexes of partnerships between well-tied organisations that end (no end is left with fewer than 3 ties)."""
    pool = [k for k, t in enumerate(b.nmap.ties) if t.type in ("partnership", "shares_information")
            and t.from_id in free and t.to_id in free and b.degree(t.from_id) >= 4 and b.degree(t.to_id) >= 4]
    chosen: list[int] = []
    for k in rng.sample(pool, len(pool)):
        t = b.nmap.ties[k]
        if b.degree(t.from_id) >= 4 and b.degree(t.to_id) >= 4:
            chosen.append(k)
            b.nbrs[t.from_id].discard(t.to_id)
            b.nbrs[t.to_id].discard(t.from_id)
        if len(chosen) == ENDED_PARTNERSHIPS:
            return chosen
    raise ValueError("follow_up needs a synthetic borough map (netmap.synthetic.generate): too few partnerships")


def _ended(t: Tie, until: str, why: str) -> Tie:
    note = f"{LABEL}: {why}, {until}"
    return dataclasses.replace(t, until=until, notes=f"{t.notes}; {note}" if t.notes else note)


def follow_up(nmap: NetworkMap, *, seed: int = 42, months: int = 6, on: str | None = None) -> NetworkMap:
    """The SYNTHETIC borough ``months`` months after its last date (or as at ``on``), with change planted in it.

    The map returned holds both moments: :func:`netmap.snapshots.at` at the
    before map's last month (``2024-12`` for the sample borough) gives the map
    as it was, at ``on`` (default ``months`` later: ``2025-06``) the map after.
    Deterministic: the same map, ``seed`` and dates give the same result. Planted:

    * ``JOINED`` (4) by-and-for organisations join, each with 2 ties and a seat in
      the VCSE alliance: carers' groups for African and Caribbean, and
      Bangladeshi, carers in the neighbourhoods with none (closing those absent
      constituencies; the Bangladeshi one is funded by a commissioner), a Black
      service-user-led group (a second service-user-led group), an Arab
      community association (no organisation served Arab people);
    * ``LEFT`` (3) neighbourhood organisations leave; their ties and memberships end with them;
    * ``FORMED`` (16) ties form: the joiners' 8; the borough's first carers'
      group forms a tie with its NHS mental health team (closing the missing
      link between them, and its provider is no longer its only way in); the
      first group of a satellite cluster forms a tie with the council (its
      communities team); 6 partnerships between neighbours;
    * ``ENDED`` (6) ties end besides the leavers': the broker of that cluster (a
      cut vertex) loses its tie to it, and 5 partnerships between well-tied
      organisations end.

    New actors have ids numbered after the last one; new rows cite
    ``netmap-synthetic: follow-up seed S``. ValueError for a map without the
    synthetic borough's shape (no dates, no carers' group, no satellite cluster),
    ``months`` < 1 or an ``on`` not after the map's last date.
    """
    rng = random.Random(seed)
    when = _Months(nmap, months, on)
    b = _Borough.of(nmap)
    source = f"netmap-synthetic: follow-up seed {seed}"
    width = max(3, len(str(len(b.actors) + JOINED - 1)))
    carer = b.need("carer_led")
    team = b.first("nhs_mental_health", b.actors[carer].locality) or b.need("nhs_mental_health", "")
    broker, group = _satellite(b)
    council = next((i for i in sorted(b.by_cons["local_authority"]) if "Communities" in b.actors[i].name),
                   b.need("local_authority"))
    protected = {carer, broker, group, *b.nbrs[carer], *b.nbrs[broker], *b.nbrs[group]}
    taken = set(protected)
    joined, formed = _joiners(b, rng, when, source, width, taken)
    formed.append(_tie(carer, team, "co_produces", when.since(rng), source,
                       "the carers' group and its NHS mental health team now work together"))
    formed.append(_tie(group, council, "partnership", when.since(rng), source,
                       "the cluster's new link to the borough, replacing its tie through a single group"))
    leavers = _leavers(b, rng, taken)
    left_in = {i: when.until(rng) for i in leavers}
    free = [i for i in _web(b, taken | set(leavers)) if not b.nbrs[i] & set(leavers)]
    formed += _new_partnerships(b, rng, free, when, source)
    cut = {k: when.until(rng) for k in _ended_partnerships(b, rng, set(free))}
    ties: list[Tie] = []
    for k, t in enumerate(nmap.ties):
        gone = left_in.get(t.from_id) or left_in.get(t.to_id)
        if {t.from_id, t.to_id} == {broker, group}:
            t = _ended(t, when.until(rng), "the tie ended")
        elif k in cut:
            t = _ended(t, cut[k], "the partnership ended")
        elif gone:
            t = _ended(t, gone, "ended when an organisation left")
        ties.append(t)
    actors = [dataclasses.replace(a, attributes={**a.attributes, "until": left_in[a.id]},
                                  notes="; ".join(filter(None, (a.notes, f"{LABEL}: left after {left_in[a.id]}"))))
              if a.id in left_in else a for a in nmap.actors]
    memberships = [dataclasses.replace(m, until=left_in[m.actor_id]) if m.actor_id in left_in else m
                   for m in nmap.memberships]
    if any(s.id == ALLIANCE for s in nmap.spaces):
        memberships += [Membership(a.id, ALLIANCE, "member", a.attributes["since"], "", source) for a in joined]
    on_label, before_label = when.label(when.on), when.label(when.before)
    return dataclasses.replace(
        nmap, key=f"{nmap.key}-update", name=f"Synthetic borough, {when.span} months later (SYNTHETIC DATA)",
        actors=actors + joined, ties=ties + formed, memberships=memberships, snapshot="",
        description=describe(nmap, seed, before_label, on_label, [a.name for a in joined]))


def describe(nmap: NetworkMap, seed: int, before: str, on: str, joined: list[str]) -> str:
    """The description stored with a follow-up map: what it is, how to slice it, what was planted."""
    return (f"SYNTHETIC DATA: the fictional borough of '{nmap.key}' followed up to {on}, made by "
            f"netmap.synthetic.follow_up with seed {seed}. No row describes a real organisation. Rows are dated: "
            f"--at {before} gives the map before, --at {on} the map after (joined actors and new ties have a "
            f"since, leavers and ended ties an until). Planted: {JOINED} by-and-for organisations join "
            f"({', '.join(joined)}); {LEFT} organisations leave; {FORMED} ties form, among them the first "
            f"carers' group's tie to its NHS mental health team; {ENDED} ties end besides the leavers' own, among "
            f"them a satellite cluster's only tie, which a new tie to the council replaces.")


def write_follow_up(before: str | Path, out: str | Path, *, seed: int = 42, months: int = 6,
                    on: str | None = None) -> dict[str, int]:
    """Read the workspace ``before``, and write its follow-up (:func:`follow_up`) as a workspace ``out``.

    Returns rows written per table. Raises what reading the workspace raises
    (a :class:`~netmap.errors.WorkspaceError` for a folder with errors),
    ValueError (see :func:`follow_up`) and :class:`~netmap.errors.OutputError`.
    """
    after = follow_up(read_workspace(before), seed=seed, months=months, on=on)
    return write_tables(out, config_text(after, comment=False), table_rows(after))
