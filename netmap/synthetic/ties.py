"""The synthetic borough's ties: structural ones (statutory core, referrals, funding) and the streamed web.

Ties are compact tuples ``(from, to, type, weight, trust, since, reported)``
of actor indexes, with ``reported`` 0 (both ends), 1 (the from end) or 2 (the
to end). The neighbourhood partnership web is produced by a generator, so a
million ties are never held at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

from netmap.model import tie_is_directed
from netmap.synthetic.borough import UNFUNDED_COMMUNITY

if TYPE_CHECKING:  # plan.py imports this module
    from netmap.synthetic.plan import Plan, Roles


def tie_tuple(a: int, b: int, kind: str, *, weight: float = 1.0, trust: float | None = None,
              since: str = "", reported: int = 0) -> tuple:
    """Compact tie: (from, to, type, weight, trust, since, reported) with reported 0=both, 1=from, 2=to."""
    return (a, b, kind, weight, trust, since, reported)


class StructuralTies:
    """The structural ties made so far, each pair and type once, drawing details from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.structural: list[tuple] = []
        self.seen: set[tuple[int, int, str]] = set()

    def add(self, a: int, b: int, kind: str, **kw) -> None:
        key = (a, b, kind) if tie_is_directed(kind) else (min(a, b), max(a, b), kind)
        if a != b and key not in self.seen:
            self.seen.add(key)
            self.structural.append(tie_tuple(a, b, kind, **kw))

    def year(self, lo: int = 2015, hi: int = 2024) -> str:
        return str(self.rng.randint(lo, hi))

    def report(self) -> int:
        """Who reported a tie: 0 both ends (45%), 1 the from end (35%), 2 the to end."""
        r = self.rng.random()
        return 0 if r < 0.45 else 1 if r < 0.8 else 2


def statutory_ties(t: StructuralTies, locs: list[str], roles: Roles, loc_keys: list[str]) -> None:
    """The statutory core, its referrals, and the thin links to service users, carers and satellites."""
    rng, add, year, report = t.rng, t.add, t.year, t.report
    by = roles.by_cons
    nhs, com, gp = by["nhs_mental_health"], by["commissioner"], by["primary_care"]
    la, infra, hw = by["local_authority"], by["vcse_infrastructure"], by["patient_voice"]
    acad, sul, carers = by["academic_research"], by["service_user_led"], by["carer_led"]
    trust, council = nhs[0], la[0]
    vp_free = roles.vcse_free()
    vp_near = {loc: [i for i in vp_free if locs[i] == loc] or vp_free for loc in loc_keys}
    vp_near[""] = vp_free
    cmht_near = {loc: [m for m in nhs[1:] if locs[m] == loc] for loc in loc_keys}
    for c in com:
        add(c, trust, "commissions", since=year(2013, 2020), reported=0)
        for other in [council, *rng.sample(la, min(1, len(la)))]:
            add(c, other, "partnership", weight=2.0, reported=report())
    for m in nhs[1:]:
        add(m, trust, "partnership", weight=3.0, reported=0)
        add(m, rng.choice(la), "partnership", reported=report())
    add(trust, council, "partnership", weight=3.0, since="2013", reported=0)
    for other in la[1:]:
        add(council, other, "partnership", weight=2.0, reported=0)
    for k, h in enumerate(hw):
        add(h, com[0] if k == 0 else rng.choice(com), "shares_information", reported=report())
        add(h, trust if k == 0 else rng.choice(nhs), "shares_information", reported=report())
    for k, i in enumerate(infra):
        add(i, council if k == 0 else rng.choice(la), "partnership", weight=2.0, reported=report())
        if k == 0:
            add(i, com[0], "partnership", reported=report())
    for k, a in enumerate(acad):
        add(a, trust if k == 0 else rng.choice(nhs), "co_produces", since=year(2018), reported=report())
        for v in rng.sample(vp_free, min(2, len(vp_free))):
            add(a, v, "partnership", reported=report())
    for key in ("housing", "education"):
        for h in by[key]:
            add(h, rng.choice(la[:2]) if len(la) > 1 else council, "partnership", reported=report())
    for g in gp:
        near = cmht_near[locs[g]]
        add(g, rng.choice(near) if near else trust, "refers_to", reported=report())
        pool = vp_near[locs[g]]
        for v in rng.sample(pool, min(rng.randint(1, 2), len(pool))):
            add(g, v, "refers_to", reported=report())
    for m in nhs:
        pool = vp_near[locs[m]]
        for v in rng.sample(pool, min(len(pool), min(10, max(2, len(pool) // 10)))):
            add(m, v, "refers_to", reported=report())
    # the trust co-produces with one community group per neighbourhood (thin, but present)
    for loc in loc_keys:
        for g in [g for g in roles.cg_free if locs[g] == loc][:1]:
            add(trust, g, "co_produces", since="2021", reported=0)
    for k, s in enumerate(sul):
        add(s, trust if k == 0 else rng.choice(nhs), "co_produces", since="2020", reported=0)
        pool = vp_near[locs[s]]
        for v in rng.sample(pool, min(2, len(pool))):
            add(s, v, "partnership", reported=report())
    for c in carers:  # a single tie: the provider is a cut vertex, the trust is not reached
        add(c, rng.choice(vp_near[locs[c]]), "partnership", reported=1)
    for broker, s1, s2, s3 in roles.satellites:
        add(broker, s1, "partnership", reported=0)
        add(s1, s2, "partnership", reported=report())
        add(s2, s3, "partnership", reported=report())
        add(s1, s3, "shares_information", reported=report())


def funding_ties(t: StructuralTies, comms: list[tuple[str, ...]], roles: Roles) -> None:
    """Commissioning and funding: many VCSE organisations hang on a single funder."""
    rng, add, year, report = t.rng, t.add, t.year, t.report
    by = roles.by_cons
    com, la, nat = by["commissioner"], by["local_authority"], by["national_body_funder"]
    satellite_ids = roles.satellite_ids

    def fundable(i: int) -> bool:
        return i not in roles.isolates and i not in satellite_ids and UNFUNDED_COMMUNITY not in comms[i]

    for v in by["vcse_provider"]:
        if not fundable(v) or rng.random() >= 0.6:
            continue
        for _ in range(1 if rng.random() < 0.7 else 2):
            r = rng.random()
            if r < 0.45:
                add(rng.choice(com), v, "commissions", since=year(2018), reported=report())
            elif r < 0.8:
                add(rng.choice(la), v, "funds" if rng.random() < 0.5 else "commissions", since=year(2018),
                    reported=report())
            else:
                add(rng.choice(nat), v, "funds", since=year(2019), reported=report())
    first_cg = True
    for g in by["community_group"]:
        if not fundable(g) or rng.random() >= 0.25:
            continue
        r = rng.random()
        funder = rng.choice(com) if first_cg or r < 0.3 else rng.choice(la) if r < 0.7 else rng.choice(nat)
        first_cg = False
        add(funder, g, "funds", since=year(2019), reported=report())
    for key, p in (("faith_group", 0.05), ("arts_culture", 0.3), ("advocacy_activism", 0.2)):
        for a in by[key]:
            if fundable(a) and rng.random() < p:
                add(rng.choice(nat), a, "funds", since=year(2019), reported=report())


def _long_targets(rng: random.Random, a: int, p: int, members: list[int], window: int, others: list[int],
                  n_long: int, n: int, long_seen: set[int]) -> Iterator[int]:
    """Up to ``n_long`` far partners of ``a`` (position ``p``): further round the ring or in another
    neighbourhood, each pair once."""
    size = len(members)
    for _ in range(n_long):
        for _attempt in range(20):
            far = size - 2 * window - 1
            if far > 0 and (not others or rng.random() < 0.6):
                b = members[(p + window + 1 + rng.randrange(far)) % size]
            elif others:
                b = rng.choice(others)
            else:
                break
            pair = min(a, b) * n + max(a, b)
            if b != a and pair not in long_seen:
                long_seen.add(pair)
                yield b
                break


def web_ties(plan: Plan) -> Iterator[tuple]:
    """Partnership ties among neighbourhood organisations, streamed.

    Each organisation ties to a few of its neighbours on a ring (clustering,
    local structure); some ties jump further within the neighbourhood or to
    another one. Window ties never repeat a pair; long jumps are de-duplicated.
    """
    remaining = plan.n_ties - len(plan.structural)
    if remaining <= 0:
        return
    rng = random.Random(plan.seed * 1_000_003 + 17)
    total_w = sum(plan.web_weight) or 1.0
    all_web = [i for members in plan.web.values() for i in members]
    if len(all_web) < 2:
        return
    long_seen: set[int] = set()
    n = len(plan.ids)
    cum = 0.0
    position = 0
    random_ = rng.random
    years = [str(y) for y in range(2015, 2025)]
    weights = (1.0, 1.0, 1.0, 2.0, 2.0, 3.0)
    for loc, members in plan.web.items():
        size = len(members)
        window = max(1, min(12, (size - 1) // 2 - 1))
        others = [i for i in all_web if plan.locs[i] != loc]
        for p, a in enumerate(members):
            before = round(remaining * cum / total_w)
            cum += plan.web_weight[position]
            position += 1
            k = round(remaining * cum / total_w) - before
            if k <= 0:
                continue
            n_long = sum(1 for _ in range(k) if random_() < 0.12)
            n_window = min(k - n_long, window if size > 2 * window + 1 else 0)
            targets = [members[(p + off) % size] for off in rng.sample(range(1, window + 1), n_window)]
            targets += _long_targets(rng, a, p, members, window, others, k - n_window, n, long_seen)
            for b in targets:
                r = random_()
                kind = "partnership" if r < 0.6 else "shares_information" if r < 0.75 else \
                    "co_produces" if r < 0.85 else "refers_to"
                r = random_()
                trust = None
                if kind == "partnership" and r < 0.15:
                    trust = round(1.5 + r / 0.15 * 2.5, 1)
                r = random_()
                since = years[int(r / 0.6 * len(years))] if r < 0.6 else ""
                r = random_()
                rep = 0 if r < 0.45 else 1 if r < 0.8 else 2
                r = random_()
                yield (a, b, kind, weights[int(r * 12) % 6], trust, since, rep) if r < 0.5 else \
                    (b, a, kind, weights[int(r * 12) % 6], trust, since, rep)


def tie_tuples(plan: Plan) -> Iterator[tuple]:
    """Every tie of the plan: the structural ones, then the streamed web."""
    yield from plan.structural
    yield from web_ties(plan)
