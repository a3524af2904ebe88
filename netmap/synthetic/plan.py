"""The plan of a synthetic borough: its actors, their special roles, structural ties, spaces and members.

A :class:`Plan` holds everything but the neighbourhood partnership ties in
compact form (actor indexes, tie tuples); those ties are streamed from it
by :func:`netmap.synthetic.ties.tie_tuples`. Every step draws from one
random generator in a fixed order, so the same arguments give the same plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import chain, islice

from netmap.model import Space
from netmap.reference import census_groups, load_population
from netmap.synthetic.borough import (
    ALLIANCE_MAX_MEMBERS,
    ALLIANCE_SHARE,
    BOROUGH,
    BOROUGH_WIDE,
    FORUM_MAX_MEMBERS,
    LOCALITIES,
    NO_ORGANISATION,
    ORDER,
    POPULATION,
    PREFIX,
    SMALL,
    SPACE_MAX_MEMBERS,
    VCSE_SHARE_OF_REST,
    WEB,
    WHITE_MINORITY_FACTOR,
    check_size,
    default_ties,
    source_label,
)
from netmap.synthetic.names import FIXED_NAMES, NamePicker
from netmap.synthetic.ties import StructuralTies, funding_ties, statutory_ties

LOC_KEYS = [k for k, _, _ in LOCALITIES]


@dataclass
class Plan:
    """Everything but the neighbourhood partnership ties, in compact form."""

    seed: int
    n_ties: int
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    cons: list[tuple[str, ...]] = field(default_factory=list)
    locs: list[str] = field(default_factory=list)
    comms: list[tuple[str, ...]] = field(default_factory=list)
    led: list[bool] = field(default_factory=list)
    lived: list[bool] = field(default_factory=list)
    scale: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    structural: list[tuple] = field(default_factory=list)  # tie tuples, see ties.tie_tuple
    web: dict[str, list[int]] = field(default_factory=dict)  # locality -> actor indexes in the web
    web_weight: list[float] = field(default_factory=list)  # activity of each web actor, by web order
    spaces: list[Space] = field(default_factory=list)
    memberships: list[tuple[int, str, str, str]] = field(default_factory=list)  # actor, space, role, since

    @property
    def source(self) -> str:
        return source_label(self.seed)


@dataclass
class Roles:
    """Actors by constituency, and those with a special part: isolates and satellite clusters."""

    by_cons: dict[str, list[int]]
    isolates: set[int] = field(default_factory=set)
    satellites: list[list[int]] = field(default_factory=list)  # cluster[0] is the broker
    cg_free: list[int] = field(default_factory=list)  # community groups in no satellite cluster

    @property
    def satellite_ids(self) -> set[int]:
        return {i for cluster in self.satellites for i in cluster[1:]}

    def vcse_free(self) -> list[int]:
        """VCSE providers that are not isolates."""
        return [i for i in self.by_cons["vcse_provider"] if i not in self.isolates]


def make_plan(n_actors: int, n_ties: int | None, seed: int, big_forum: int | None = None) -> Plan:
    """The plan of a borough of ``n_actors`` actors; ValueError if it is too small (see ``check_size``).

    ``big_forum``: one alliance of that many members instead of spaces of realistic size (a benchmark shape).
    """
    check_size(n_actors, n_ties, big_forum)
    rng = random.Random(seed)
    plan = Plan(seed=seed, n_ties=default_ties(n_actors) if n_ties is None else n_ties)
    roles = Roles(by_cons=_draw_actors(plan, rng, n_actors))
    _special_roles(plan, rng, roles, n_actors)
    ties = StructuralTies(rng)
    statutory_ties(ties, plan.locs, roles, LOC_KEYS)
    funding_ties(ties, plan.comms, roles)
    web_members = _web(plan, rng, roles, ties)
    _spaces(plan, rng, roles, web_members, big_forum)
    return plan


def _counts(n: int) -> dict[str, int]:
    counts = {key: (0 if share == 0 else max(minimum, round(n * share))) for key, share, minimum, _ in SMALL}
    rest = n - sum(counts.values())
    vcse = round(rest * VCSE_SHARE_OF_REST)
    counts["vcse_provider"] = vcse
    counts["community_group"] = rest - vcse
    return counts


def _community_weights() -> list[tuple[str, float]]:
    shares = load_population(POPULATION).shares
    groups = census_groups()
    weights: list[tuple[str, float]] = []
    for high in ("asian", "black", "mixed", "white", "other"):
        share = shares.get(high, 0.0)
        if high == "white":
            share *= WHITE_MINORITY_FACTOR
        detailed = [g.key for g in groups.values() if g.level == "detailed" and g.parent == high
                    and g.key not in NO_ORGANISATION and g.key != "white_british"]
        weights += [(key, share / len(detailed)) for key in detailed]
    return weights


class _Communities:
    """Draws distinct communities for an organisation, weighted by the population profile."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.keys, self.weights = zip(*_community_weights(), strict=True)

    def draw(self, k: int) -> tuple[str, ...]:
        out: list[str] = []
        while len(out) < k:
            c = self.rng.choices(self.keys, self.weights)[0]
            if c not in out:
                out.append(c)
        return tuple(out)


def _locality(rng: random.Random, key: str, i: int) -> str:
    """Where the ``i``-th actor of constituency ``key`` is ("" for borough-wide bodies)."""
    if key == "nhs_mental_health":
        return "" if i == 0 else LOC_KEYS[(i - 1) % len(LOC_KEYS)]
    if key in BOROUGH_WIDE and i < len(FIXED_NAMES.get(key, ())):
        return ""
    if i < len(LOC_KEYS):  # every neighbourhood gets one before the rest are drawn
        return LOC_KEYS[i]
    return rng.choices(LOC_KEYS, [w for _, _, w in LOCALITIES])[0]


def _traits(rng: random.Random, key: str, communities: _Communities,
            ) -> tuple[tuple[str, ...], tuple[str, ...], bool, bool]:
    """(constituencies, communities, led by community, lived-experience led) of a new actor of ``key``."""
    cons: tuple[str, ...] = (key,)
    comms: tuple[str, ...] = ()
    led = lived = False
    r = rng.random()
    if key == "community_group":
        comms = communities.draw(2 if r < 0.15 else 1)
        led = rng.random() < 0.9
        s = rng.random()
        cons = (key, "faith_group") if s < 0.1 else (key, "vcse_provider") if s < 0.3 else cons
    elif key == "vcse_provider":
        if r < 0.2:
            comms = communities.draw(1)
            led = rng.random() < 0.6
        s = rng.random()
        cons = (key, "housing") if s < 0.05 else (key, "employment_welfare") if s < 0.1 else cons
        lived = rng.random() < 0.1
    elif key == "faith_group" and r < 0.5:
        comms = communities.draw(1)
        led = True
        if rng.random() < 0.3:
            cons = (key, "community_group")
    elif key == "arts_culture" and r < 0.3:
        comms = communities.draw(1)
        led = True
        cons = (key, "community_group")
    elif key == "advocacy_activism" and r < 0.4:
        comms = communities.draw(1)
        led = True
    elif key in ("service_user_led", "carer_led"):
        lived = True
    return cons, comms, led, lived


def _draw_actors(plan: Plan, rng: random.Random, n_actors: int) -> dict[str, list[int]]:
    """Add every actor to the plan; returns actor indexes by (first) constituency."""
    counts = _counts(n_actors)
    width = max(3, len(str(n_actors - 1)))
    communities = _Communities(rng)
    names = NamePicker(rng, n_actors)
    by_cons: dict[str, list[int]] = {key: [] for key in counts}
    for key in ORDER:
        for i in range(counts[key]):
            idx = len(plan.ids)
            loc = _locality(rng, key, i)
            cons, comms, led, lived = _traits(rng, key, communities)
            plan.ids.append(f"{PREFIX[key]}-{idx:0{width}d}")
            plan.names.append(names.pick(key, i, comms))
            plan.cons.append(cons)
            plan.locs.append(loc)
            plan.comms.append(comms)
            plan.led.append(led)
            plan.lived.append(lived)
            is_trust = key == "nhs_mental_health" and i == 0
            plan.scale.append("national" if key == "national_body_funder" else
                              "regional" if is_trust or key == "academic_research" else "local")
            plan.notes.append("borough-wide" if not loc else "")
            by_cons[key].append(idx)
    return by_cons


def _special_roles(plan: Plan, rng: random.Random, roles: Roles, n: int) -> None:
    """Pick the isolates and the satellite clusters (three groups reached through one broker)."""
    cg_free = list(roles.by_cons["community_group"])
    rng.shuffle(cg_free)
    cg_by_loc = {loc: [i for i in cg_free if plan.locs[i] == loc] for loc in LOC_KEYS}
    n_iso = max(2, n // 150)
    iso_pool = roles.by_cons["faith_group"] + roles.by_cons["arts_culture"]
    roles.isolates = set(rng.sample(iso_pool, min(n_iso, len(iso_pool))))
    n_clusters = max(3, n // 100)
    for c in range(n_clusters):
        bucket = cg_by_loc[LOC_KEYS[c % len(LOC_KEYS)]]
        if len(bucket) < 8:  # keep some community groups for the rest of the neighbourhood
            break
        roles.satellites.append([bucket.pop() for _ in range(4)])  # members[0] is the broker
    taken = {i for cluster in roles.satellites for i in cluster}
    roles.cg_free = [i for i in cg_free if i not in taken]
    for i in roles.isolates:
        plan.notes[i] = "no known ties"
    for cluster in roles.satellites:
        plan.notes[cluster[0]] = "only link between its neighbouring groups and the rest of the borough"


def _web(plan: Plan, rng: random.Random, roles: Roles, ties: StructuralTies) -> list[int]:
    """Place the neighbourhood web's members (returned) and their activity; umbrella bodies bridge it."""
    satellite_ids = roles.satellite_ids
    web_members = [i for key in ORDER if key in WEB for i in roles.by_cons[key]
                   if i not in roles.isolates and i not in satellite_ids]
    rng.shuffle(web_members)
    plan.web = {loc: [i for i in web_members if plan.locs[i] == loc] for loc in LOC_KEYS}
    # bridges: umbrella bodies partner with organisations in every neighbourhood
    for i in roles.by_cons["vcse_infrastructure"]:
        for v in rng.sample(web_members, min(len(web_members), max(3, min(30, len(web_members) // 40)))):
            ties.add(i, v, "partnership", reported=ties.report())
    plan.structural = ties.structural
    for loc in LOC_KEYS:
        for i in plan.web[loc]:
            w = rng.lognormvariate(0.0, 0.6)
            plan.web_weight.append(w * (1.3 if plan.cons[i][0] == "vcse_provider" else 1.0))
    return web_members


def _spaces(plan: Plan, rng: random.Random, roles: Roles, web_members: list[int],
            big_forum: int | None = None) -> None:
    """The alliance (on big maps also a forum per neighbourhood) and the two boards, and who sits in them."""
    src = plan.source
    plan.spaces = [
        Space("vcse-alliance", f"{BOROUGH} VCSE Alliance", "network", "", "2022", "", src,
              "borough-wide alliance of voluntary, community and faith organisations"),
        Space("hwb", f"{BOROUGH} Health and Wellbeing Board", "board", "", "2013", "", src,
              "statutory board"),
        Space("mh-board", f"{BOROUGH} Mental Health Partnership Board", "board", "", "2019", "", src,
              "carers are not represented"),
    ]
    by = roles.by_cons
    nhs, com, la, infra = by["nhs_mental_health"], by["commissioner"], by["local_authority"], by["vcse_infrastructure"]
    hw, acad, sul = by["patient_voice"], by["academic_research"], by["service_user_led"]
    trust, council = nhs[0], la[0]
    mem = plan.memberships
    joined = []
    for i in web_members:
        p = ALLIANCE_SHARE.get(plan.cons[i][0])
        if p and rng.random() < p:
            joined.append((i, "vcse-alliance", "member", str(rng.randint(2022, 2024))))
    if big_forum is not None:
        _big_forum(plan, roles, web_members, joined, big_forum)
    elif len(infra) + len(sul) + min(len(joined), ALLIANCE_MAX_MEMBERS) <= SPACE_MAX_MEMBERS:
        # the borough's one alliance: every map up to about 7,500 actors (byte for byte as it always was)
        if len(joined) > ALLIANCE_MAX_MEMBERS:
            keep = set(rng.sample(range(len(joined)), ALLIANCE_MAX_MEMBERS))
            joined = [m for k, m in enumerate(joined) if k in keep]
        mem.append((infra[0], "vcse-alliance", "convenor", "2022"))
        mem.extend((i, "vcse-alliance", "member", "2022") for i in infra[1:])
        mem.extend(joined)
        mem.extend((s, "vcse-alliance", "member", "2022") for s in sul)
    else:
        _local_forums(plan, rng, roles, joined)
    mem.append((council, "hwb", "chair", "2013"))
    for i in [*la[1:3], *com[:2], trust, hw[0], infra[0]]:
        mem.append((i, "hwb", "member", "2013"))
    mem.append((com[0], "mh-board", "chair", "2019"))
    board = [*nhs[:3], *com[1:2], council, *sul[:5], hw[0], infra[0], acad[0]]
    vp_free = roles.vcse_free()
    board += rng.sample(vp_free, min(6, len(vp_free)))
    for i in dict.fromkeys(board):
        if i != com[0]:
            mem.append((i, "mh-board", "member", "2019"))


def _big_forum(plan: Plan, roles: Roles, web_members: list[int], joined: list[tuple], size: int) -> None:
    """One alliance of exactly ``size`` members, uncapped: umbrella bodies and service-user-led groups
    first, then those who chose to join, then other neighbourhood organisations, then anyone."""
    infra, sul = roles.by_cons["vcse_infrastructure"], roles.by_cons["service_user_led"]
    since = {i: year for i, _, _, year in joined}
    pool = chain(infra, sul, since, web_members, range(len(plan.ids)))
    members = list(islice(dict.fromkeys(pool), size))
    plan.memberships.append((members[0], "vcse-alliance", "convenor", "2022"))
    plan.memberships.extend((i, "vcse-alliance", "member", since.get(i, "2022")) for i in members[1:])


def _local_forums(plan: Plan, rng: random.Random, roles: Roles, joined: list[tuple]) -> None:
    """A big map: a VCSE forum per neighbourhood (``FORUM_MAX_MEMBERS``) and the alliance (``SPACE_MAX_MEMBERS``).

    Umbrella bodies and service-user-led groups of a neighbourhood, and the
    organisations there that chose to join, meet in its forum (convened by an
    umbrella body); the borough-wide ones, each forum's convenor and up to
    ``ALLIANCE_MAX_MEMBERS`` of those who chose to join meet in the alliance.
    """
    infra, sul = roles.by_cons["vcse_infrastructure"], roles.by_cons["service_user_led"]
    since = {i: year for i, _, _, year in joined}
    forums: dict[str, list[int]] = {loc: [] for loc in LOC_KEYS}
    for i in [*infra, *sul, *since]:
        if plan.locs[i]:
            forums[plan.locs[i]].append(i)
    spaces, rows = [], []
    for loc, name, _ in LOCALITIES:
        members = forums[loc]
        if len(members) > FORUM_MAX_MEMBERS:  # keep the convenor, draw the rest
            keep = {0, *rng.sample(range(1, len(members)), FORUM_MAX_MEMBERS - 1)}
            members = forums[loc] = [m for k, m in enumerate(members) if k in keep]
        if not members:
            continue
        key = f"vcse-forum-{loc}"
        spaces.append(Space(key, f"{name} VCSE Forum", "network", loc, "2023", "", plan.source,
                            "neighbourhood forum of voluntary, community and faith organisations"))
        rows += [(i, key, "convenor" if k == 0 and i in infra else "member", since.get(i, "2023"))
                 for k, i in enumerate(members)]
    fixed = list(dict.fromkeys([*(i for i in [*infra, *sul] if not plan.locs[i]),
                                *(m[0] for m in forums.values() if m)]))
    pool = [i for i in since if i not in fixed]
    picked = set(rng.sample(range(len(pool)), min(SPACE_MAX_MEMBERS - len(fixed), ALLIANCE_MAX_MEMBERS, len(pool))))
    alliance = fixed + [i for k, i in enumerate(pool) if k in picked]
    plan.memberships.append((alliance[0], "vcse-alliance", "convenor", "2022"))
    plan.memberships.extend((i, "vcse-alliance", "member", since.get(i, "2022")) for i in alliance[1:])
    plan.memberships.extend(rows)
    plan.spaces[1:1] = spaces
