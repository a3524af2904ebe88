"""A generator of SYNTHETIC borough maps, for demos, tests and benchmarks.

Every actor, tie and space it makes is fictional. The map describes "Fernbridge",
a made-up borough of three neighbourhoods, with the structure mapped local
health-and-care ecosystems tend to have:

* many VCSE providers and community groups, few statutory bodies;
* statutory hubs (an NHS mental health trust, the council, commissioners);
* commissioners and funders tied to VCSE organisations by directed
  ``commissions`` / ``funds`` ties, many VCSE organisations on a single funder;
* VCSE partnership ties mostly within a neighbourhood, some ``refers_to``
  ties, a few bridges through umbrella bodies;
* cut vertices (small clusters reached through one broker, a carers' group
  tied to one provider), a couple of isolates; density about 0.03 at 300 actors;
* a VCSE alliance, a health and wellbeing board and a mental health
  partnership board, with members.

Borough-wide bodies (the trust, commissioners, the council, Healthwatch,
umbrella bodies, funders, the university) have no locality, so netmap counts
them in every neighbourhood; everyone else belongs to one neighbourhood.

It also has deliberate gaps, so gap analyses have something to find:

* no police or criminal justice actor (an absent constituency);
* one service-user-led group (under the whole-system minimum of two);
* one carers' group, in one neighbourhood, tied to a single provider and not
  to the NHS mental health provider;
* no organisation led by or serving Roma or Arab people;
* Bangladeshi community groups exist but none is funded or commissioned.

Communities of community groups are drawn from the Census 2021 detailed groups
in proportion to the Birmingham population profile (the profile every
neighbourhood uses): high-level shares from the profile, detailed groups
equally likely within their high-level group, White British excluded and the
minority White groups weighted at a tenth of the White share.

The generator is deterministic: the same arguments give the same map.
Ties are produced by a generator, so ``main`` can stream 10^6 ties to a CSV
file in bounded memory.

>>> m = generate(120, seed=3)
>>> len(m.actors), m == generate(120, seed=3)
(120, True)
>>> any("police_justice" in a.constituencies for a in m.actors)
False
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netmap.model import Actor, Locality, Membership, NetworkMap, Space, Tie, tie_is_directed
from netmap.reference import census_groups, load_population

BOROUGH = "Fernbridge"
POPULATION = "birmingham"
#: (key, name, share of neighbourhood actors)
LOCALITIES: tuple[tuple[str, str, float], ...] = (
    ("north", "Fernbridge North", 0.38),
    ("central", "Fernbridge Central", 0.34),
    ("south", "Fernbridge South", 0.28),
)
DEFAULT_ACTORS = 300
#: Largest VCSE alliance the generator makes, whatever the size of the map.
ALLIANCE_MAX_MEMBERS = 150
DEFAULT_SEED = 7
MIN_ACTORS = 60

#: Constituencies with a fixed share of actors: (key, share, minimum count, id prefix).
#: VCSE providers and community groups take the rest.
_SMALL: tuple[tuple[str, float, int, str], ...] = (
    ("nhs_mental_health", 0.010, 1, "mh"),
    ("commissioner", 0.005, 1, "com"),
    ("primary_care", 0.050, 1, "gp"),
    ("local_authority", 0.013, 1, "la"),
    ("housing", 0.020, 1, "hsg"),
    ("police_justice", 0.0, 0, "pol"),  # deliberately absent
    ("education", 0.030, 1, "edu"),
    ("employment_welfare", 0.020, 1, "emp"),
    ("vcse_infrastructure", 0.010, 1, "infra"),
    ("faith_group", 0.090, 1, "faith"),
    ("service_user_led", 0.003, 1, "sul"),  # deliberately under-represented
    ("carer_led", 0.003, 1, "carer"),  # deliberately very few
    ("advocacy_activism", 0.020, 1, "adv"),
    ("patient_voice", 0.003, 1, "hw"),
    ("arts_culture", 0.030, 1, "arts"),
    ("academic_research", 0.010, 1, "acad"),
    ("national_body_funder", 0.010, 1, "nat"),
)
_VCSE_SHARE_OF_REST = 0.52  # VCSE providers; community groups take the other 48%
_PREFIX = {key: prefix for key, _, _, prefix in _SMALL} | {"vcse_provider": "vcse", "community_group": "cg"}
#: Constituencies whose named bodies (those in _FIXED_NAMES) serve the whole borough: they get no
#: locality, so netmap counts them in every neighbourhood. Further ones are neighbourhood teams.
_BOROUGH_WIDE = frozenset({"nhs_mental_health", "commissioner", "local_authority", "patient_voice",
                           "vcse_infrastructure", "national_body_funder", "academic_research",
                           "service_user_led"})
#: Constituencies whose actors take part in the neighbourhood partnership web.
_WEB = frozenset({"vcse_provider", "community_group", "faith_group", "advocacy_activism", "arts_culture",
                  "housing", "education", "employment_welfare"})
#: Communities no synthetic organisation serves (deliberate gaps).
NO_ORGANISATION = ("roma", "arab")
#: A community served only by unfunded organisations (a deliberate commissioning gap).
UNFUNDED_COMMUNITY = "bangladeshi"
_WHITE_MINORITY_FACTOR = 0.1
#: Chance that a neighbourhood organisation of each kind belongs to the VCSE alliance.
_ALLIANCE_SHARE = {"vcse_provider": 0.4, "community_group": 0.15, "advocacy_activism": 0.3,
                   "faith_group": 0.05}

ACTOR_COLUMNS = ["id", "name", "constituencies", "aliases", "kind", "communities", "led_by_community",
                 "lived_experience_led", "locality", "scale", "source", "notes"]
TIE_COLUMNS = ["from", "to", "type", "directed", "weight", "trust", "value", "since", "until", "reported_by",
               "source", "notes"]
SPACE_COLUMNS = ["id", "name", "kind", "locality", "since", "until", "source", "notes"]
MEMBERSHIP_COLUMNS = ["actor", "space", "role", "since", "until", "source"]

_COMMUNITY_WORD = {
    "bangladeshi": "Bangladeshi", "chinese": "Chinese", "indian": "Indian", "pakistani": "Pakistani",
    "other_asian": "Asian", "african": "African", "caribbean": "Caribbean", "other_black": "Black",
    "white_and_asian": "Mixed Heritage", "white_and_black_african": "Mixed Heritage",
    "white_and_black_caribbean": "Mixed Heritage", "other_mixed": "Mixed Heritage", "irish": "Irish",
    "gypsy_or_irish_traveller": "Traveller", "other_white": "European", "any_other": "New Communities",
}
#: Made-up street and area names that make organisation names distinct.
_PLACES: tuple[str, ...] = (
    "Ashgrove", "Beechcroft", "Brookfield", "Canalside", "Castlegate", "Cherry Tree", "Coppice", "Dale End",
    "Elmstead", "Fairfield", "Foxhill", "Gorse Lane", "Greenacre", "Hawthorn", "Heathside", "Hollybank",
    "Ivy Road", "Juniper", "Kingsmead", "Larkrise", "Linden", "Maple", "Meadowvale", "Millbrook", "Moorside",
    "Northgate", "Oakwood", "Orchard", "Parkside", "Primrose", "Quarry Hill", "Redbrook", "Rosehill", "Rowan",
    "Saltwell", "Sandpits", "Silverdale", "Springfield", "Stonebridge", "Sycamore", "Thornbury", "Townend",
    "Underhill", "Victoria Road", "Waterside", "Westfield", "Willowbank", "Woodlands", "Yewtree", "Zetland",
)
#: (themes, forms) of generated names: "<place> <theme> <form>" or "<place> <form>".
_NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vcse_provider": (("Wellbeing", "Recovery", "Youth", "Women's", "Men's", "Befriending", "Counselling",
                       "Advice", "Peer Support", "Family", "Elders", "Refugee", "Mental Health", "Food",
                       "Housing Support", "Bereavement"),
                      ("Project", "Trust", "Centre", "Network", "Service", "Hub", "Association")),
    "community_group": ((), ("Community Association", "Elders Group", "Women's Group", "Youth Forum",
                             "Cultural Society", "Wellbeing Circle", "Men's Group", "Parents' Network")),
    "faith_group": ((), ("Church", "Mosque", "Gurdwara", "Mandir", "Buddhist Centre", "Faith Network",
                         "Pentecostal Church", "Islamic Centre")),
    "primary_care": ((), ("Surgery", "Medical Practice", "Health Centre", "Primary Care Network",
                          "Family Practice")),
    "housing": ((), ("Homes", "Housing Association", "Homelessness Service", "Supported Housing",
                     "Housing Co-operative")),
    "education": ((), ("Primary School", "Academy", "College", "Adult Learning Service", "High School")),
    "employment_welfare": ((), ("Jobcentre", "Debt Advice", "Welfare Rights", "Employment Support",
                                "Citizens Advice Outreach")),
    "advocacy_activism": ((), ("Race Equality Campaign", "Mental Health Advocacy", "Anti-Racism Network",
                               "Independent Advocacy", "Justice Collective")),
    "arts_culture": ((), ("Museum", "Gallery", "Arts Collective", "Theatre", "Music Project",
                          "Heritage Trust")),
    "local_authority": ((), ("Council Neighbourhood Team",)),
    "vcse_infrastructure": ((), ("Voluntary Sector Network",)),
    "patient_voice": ((), ("Patient Participation Group",)),
    "service_user_led": ((), ("Service User Forum",)),
    "carer_led": ((), ("Carers Together",)),
    "nhs_mental_health": ((), ("Community Mental Health Team",)),
    "commissioner": ((), ("Commissioning Hub",)),
    "academic_research": ((), ("Research Unit",)),
    "national_body_funder": ((), ("Community Fund",)),
}
#: Names used first, in order, for the few actors of these constituencies.
_FIXED_NAMES: dict[str, tuple[str, ...]] = {
    "nhs_mental_health": (f"{BOROUGH} Mental Health NHS Trust",),
    "commissioner": (f"{BOROUGH} Place Team, Riverlands ICB", f"{BOROUGH} Joint Commissioning Unit"),
    "local_authority": (f"{BOROUGH} Borough Council", f"{BOROUGH} Public Health",
                        "Adult Social Care Directorate", "Council Communities Team"),
    "vcse_infrastructure": (f"{BOROUGH} Council for Voluntary Service", f"{BOROUGH} BME Forum",
                            "Volunteer Centre"),
    "patient_voice": (f"Healthwatch {BOROUGH}",),
    "academic_research": (f"University of {BOROUGH} Centre for Mental Health Research",
                          f"{BOROUGH} Institute of Community Health",
                          "Riverlands Applied Research Collaboration"),
    "national_body_funder": ("Riverlands Community Foundation", "National Mental Health Equity Fund",
                             "Health Research Charitable Trust"),
    "service_user_led": (f"{BOROUGH} Survivors Voice",),
}
#: Up to this many actors, names too close to an earlier one are redrawn (netmap warns about them).
_DISTINCT_NAMES_UP_TO = 600


@dataclass
class _Plan:
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
    structural: list[tuple] = field(default_factory=list)  # tie tuples, see _tie_tuple
    web: dict[str, list[int]] = field(default_factory=dict)  # locality -> actor indexes in the web
    web_weight: list[float] = field(default_factory=list)  # activity of each web actor, by web order
    spaces: list[Space] = field(default_factory=list)
    memberships: list[tuple[int, str, str, str]] = field(default_factory=list)  # actor, space, role, since

    @property
    def source(self) -> str:
        return source_label(self.seed)


def source_label(seed: int) -> str:
    """The ``source`` every synthetic row carries."""
    return f"synthetic: netmap.synthetic seed={seed}"


def default_ties(n_actors: int) -> int:
    """Ties made when none are asked for: density about 0.03, mean degree at most 8."""
    return round(min(0.03 * (n_actors - 1) / 2, 4.0) * n_actors)


def _counts(n: int) -> dict[str, int]:
    counts = {key: (0 if share == 0 else max(minimum, round(n * share))) for key, share, minimum, _ in _SMALL}
    rest = n - sum(counts.values())
    vcse = round(rest * _VCSE_SHARE_OF_REST)
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
            share *= _WHITE_MINORITY_FACTOR
        detailed = [g.key for g in groups.values() if g.level == "detailed" and g.parent == high
                    and g.key not in NO_ORGANISATION and g.key != "white_british"]
        weights += [(key, share / len(detailed)) for key in detailed]
    return weights


def _tie_tuple(a: int, b: int, kind: str, *, weight: float = 1.0, trust: float | None = None,
               since: str = "", reported: int = 0) -> tuple:
    """Compact tie: (from, to, type, weight, trust, since, reported) with reported 0=both, 1=from, 2=to."""
    return (a, b, kind, weight, trust, since, reported)


def _plan(n_actors: int, n_ties: int | None, seed: int) -> _Plan:
    if n_actors < MIN_ACTORS:
        raise ValueError(f"a synthetic borough needs at least {MIN_ACTORS} actors (got {n_actors})")
    if n_ties is not None and n_ties < 0:
        raise ValueError("n_ties must not be negative")
    rng = random.Random(seed)
    plan = _Plan(seed=seed, n_ties=default_ties(n_actors) if n_ties is None else n_ties)
    counts = _counts(n_actors)
    width = max(3, len(str(n_actors - 1)))
    loc_keys = [k for k, _, _ in LOCALITIES]
    loc_w = [w for _, _, w in LOCALITIES]
    comm_keys, comm_w = zip(*_community_weights(), strict=True)
    seen_names: dict[str, int] = {}
    by_cons: dict[str, list[int]] = {key: [] for key in counts}

    def unique(name: str) -> str:
        seen_names[name] = seen_names.get(name, 0) + 1
        return name if seen_names[name] == 1 else f"{name} ({seen_names[name]})"

    matcher = difflib.SequenceMatcher(autojunk=False)
    taken_names: list[str] = []

    def distinct(name: str) -> bool:
        low = name.lower()
        matcher.set_seq2(low)
        for other in taken_names:
            matcher.set_seq1(other)
            if abs(len(other) - len(low)) > 0.2 * max(len(other), len(low)):
                continue
            if (matcher.real_quick_ratio() >= 0.88 and matcher.quick_ratio() >= 0.88
                    and matcher.ratio() >= 0.88):
                return False
        return True

    def draw_communities(k: int) -> tuple[str, ...]:
        out: list[str] = []
        while len(out) < k:
            c = rng.choices(comm_keys, comm_w)[0]
            if c not in out:
                out.append(c)
        return tuple(out)

    def name_for(key: str, i: int, comms: tuple[str, ...]) -> str:
        fixed = _FIXED_NAMES.get(key, ())
        if i < len(fixed):
            return fixed[i]
        themes, forms = _NAME_PARTS[key]
        words = [rng.choice(_PLACES)]
        if key == "community_group":
            words.append(_COMMUNITY_WORD.get(comms[0], "Multicultural") if comms else "Multicultural")
        elif themes:
            words.append(rng.choice(themes))
        words.append(rng.choice(forms))
        return " ".join(words)

    def pick_name(key: str, i: int, comms: tuple[str, ...]) -> str:
        name = name_for(key, i, comms)
        if n_actors <= _DISTINCT_NAMES_UP_TO:
            for _ in range(50):
                if name not in seen_names and distinct(name):
                    break
                name = name_for(key, i, comms)
            taken_names.append(name.lower())
        return unique(name)

    # -- actors ------------------------------------------------------------------------------------
    order = [key for key, _, _, _ in _SMALL] + ["vcse_provider", "community_group"]
    for key in order:
        for i in range(counts[key]):
            idx = len(plan.ids)
            if key == "nhs_mental_health":
                loc = "" if i == 0 else loc_keys[(i - 1) % len(loc_keys)]
            elif key in _BOROUGH_WIDE and i < len(_FIXED_NAMES.get(key, ())):
                loc = ""
            elif i < len(loc_keys):  # every neighbourhood gets one before the rest are drawn
                loc = loc_keys[i]
            else:
                loc = rng.choices(loc_keys, loc_w)[0]
            cons: tuple[str, ...] = (key,)
            comms: tuple[str, ...] = ()
            led = lived = False
            r = rng.random()
            if key == "community_group":
                comms = draw_communities(2 if r < 0.15 else 1)
                led = rng.random() < 0.9
                s = rng.random()
                cons = (key, "faith_group") if s < 0.1 else (key, "vcse_provider") if s < 0.3 else cons
            elif key == "vcse_provider":
                if r < 0.2:
                    comms = draw_communities(1)
                    led = rng.random() < 0.6
                s = rng.random()
                cons = (key, "housing") if s < 0.05 else (key, "employment_welfare") if s < 0.1 else cons
                lived = rng.random() < 0.1
            elif key == "faith_group" and r < 0.5:
                comms = draw_communities(1)
                led = True
                if rng.random() < 0.3:
                    cons = (key, "community_group")
            elif key == "arts_culture" and r < 0.3:
                comms = draw_communities(1)
                led = True
                cons = (key, "community_group")
            elif key == "advocacy_activism" and r < 0.4:
                comms = draw_communities(1)
                led = True
            elif key in ("service_user_led", "carer_led"):
                lived = True
            plan.ids.append(f"{_PREFIX[key]}-{idx:0{width}d}")
            plan.names.append(pick_name(key, i, comms))
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

    # -- special roles -------------------------------------------------------------------------------
    n = n_actors
    cg_free = list(by_cons["community_group"])
    rng.shuffle(cg_free)
    cg_by_loc = {loc: [i for i in cg_free if plan.locs[i] == loc] for loc in loc_keys}
    n_iso = max(2, n // 150)
    iso_pool = by_cons["faith_group"] + by_cons["arts_culture"]
    isolates = set(rng.sample(iso_pool, min(n_iso, len(iso_pool))))
    # satellite clusters: three community groups reached only through one broker community group
    n_clusters = max(3, n // 100)
    satellites: list[list[int]] = []
    for c in range(n_clusters):
        loc = loc_keys[c % len(loc_keys)]
        bucket = cg_by_loc[loc]
        if len(bucket) < 8:  # keep some community groups for the rest of the neighbourhood
            break
        members = [bucket.pop() for _ in range(4)]
        satellites.append(members)  # members[0] is the broker
    satellite_ids = {i for cluster in satellites for i in cluster[1:]}
    taken = {i for cluster in satellites for i in cluster}
    cg_free = [i for i in cg_free if i not in taken]
    for i in isolates:
        plan.notes[i] = "no known ties"
    for cluster in satellites:
        plan.notes[cluster[0]] = "only link between its neighbouring groups and the rest of the borough"

    structural: list[tuple] = []
    seen: set[tuple[int, int, str]] = set()

    def add(a: int, b: int, kind: str, **kw) -> None:
        key = (a, b, kind) if tie_is_directed(kind) else (min(a, b), max(a, b), kind)
        if a != b and key not in seen:
            seen.add(key)
            structural.append(_tie_tuple(a, b, kind, **kw))

    def year(lo: int = 2015, hi: int = 2024) -> str:
        return str(rng.randint(lo, hi))

    def report() -> int:
        r = rng.random()
        return 0 if r < 0.45 else 1 if r < 0.8 else 2


    nhs, com, gp = by_cons["nhs_mental_health"], by_cons["commissioner"], by_cons["primary_care"]
    la, infra, hw = by_cons["local_authority"], by_cons["vcse_infrastructure"], by_cons["patient_voice"]
    acad, nat = by_cons["academic_research"], by_cons["national_body_funder"]
    sul, carers = by_cons["service_user_led"], by_cons["carer_led"]
    trust, council = nhs[0], la[0]
    vp_free = [i for i in by_cons["vcse_provider"] if i not in isolates]
    vp_near = {loc: [i for i in vp_free if plan.locs[i] == loc] or vp_free for loc in loc_keys}
    vp_near[""] = vp_free
    cmht_near = {loc: [m for m in nhs[1:] if plan.locs[m] == loc] for loc in loc_keys}

    # -- statutory core ------------------------------------------------------------------------------
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
        for h in by_cons[key]:
            add(h, rng.choice(la[:2]) if len(la) > 1 else council, "partnership", reported=report())
    for g in gp:
        near = cmht_near[plan.locs[g]]
        add(g, rng.choice(near) if near else trust, "refers_to", reported=report())
        pool = vp_near[plan.locs[g]]
        for v in rng.sample(pool, min(rng.randint(1, 2), len(pool))):
            add(g, v, "refers_to", reported=report())
    for m in nhs:
        pool = vp_near[plan.locs[m]]
        for v in rng.sample(pool, min(len(pool), min(10, max(2, len(pool) // 10)))):
            add(m, v, "refers_to", reported=report())
    # the trust co-produces with one community group per neighbourhood (thin, but present)
    for loc in loc_keys:
        here = [g for g in cg_free if plan.locs[g] == loc][:1]
        for g in here:
            add(trust, g, "co_produces", since="2021", reported=0)
    for k, s in enumerate(sul):
        add(s, trust if k == 0 else rng.choice(nhs), "co_produces", since="2020", reported=0)
        pool = vp_near[plan.locs[s]]
        for v in rng.sample(pool, min(2, len(pool))):
            add(s, v, "partnership", reported=report())
    for c in carers:  # a single tie: the provider is a cut vertex, the trust is not reached
        add(c, rng.choice(vp_near[plan.locs[c]]), "partnership", reported=1)
    for cluster in satellites:
        broker, s1, s2, s3 = cluster
        add(broker, s1, "partnership", reported=0)
        add(s1, s2, "partnership", reported=report())
        add(s2, s3, "partnership", reported=report())
        add(s1, s3, "shares_information", reported=report())

    # -- funding: many VCSE organisations hang on a single funder ------------------------------------
    def fundable(i: int) -> bool:
        return i not in isolates and i not in satellite_ids and UNFUNDED_COMMUNITY not in plan.comms[i]

    for v in by_cons["vcse_provider"]:
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
    for g in by_cons["community_group"]:
        if not fundable(g) or rng.random() >= 0.25:
            continue
        r = rng.random()
        funder = rng.choice(com) if first_cg or r < 0.3 else rng.choice(la) if r < 0.7 else rng.choice(nat)
        first_cg = False
        add(funder, g, "funds", since=year(2019), reported=report())
    for key, p in (("faith_group", 0.05), ("arts_culture", 0.3), ("advocacy_activism", 0.2)):
        for a in by_cons[key]:
            if fundable(a) and rng.random() < p:
                add(rng.choice(nat), a, "funds", since=year(2019), reported=report())

    # -- the neighbourhood web -------------------------------------------------------------------------
    web_members = [i for key in order if key in _WEB for i in by_cons[key]
                   if i not in isolates and i not in satellite_ids]
    rng.shuffle(web_members)
    plan.web = {loc: [i for i in web_members if plan.locs[i] == loc] for loc in loc_keys}
    # bridges: umbrella bodies partner with organisations in every neighbourhood
    for i in infra:
        for v in rng.sample(web_members, min(len(web_members), max(3, min(30, len(web_members) // 40)))):
            add(i, v, "partnership", reported=report())
    plan.structural = structural
    for loc in loc_keys:
        for i in plan.web[loc]:
            w = rng.lognormvariate(0.0, 0.6)
            plan.web_weight.append(w * (1.3 if plan.cons[i][0] == "vcse_provider" else 1.0))

    # -- spaces ---------------------------------------------------------------------------------------
    src = plan.source
    plan.spaces = [
        Space("vcse-alliance", f"{BOROUGH} VCSE Alliance", "network", "", "2022", "", src,
              "borough-wide alliance of voluntary, community and faith organisations"),
        Space("hwb", f"{BOROUGH} Health and Wellbeing Board", "board", "", "2013", "", src,
              "statutory board"),
        Space("mh-board", f"{BOROUGH} Mental Health Partnership Board", "board", "", "2019", "", src,
              "carers are not represented"),
    ]
    mem = plan.memberships
    mem.append((infra[0], "vcse-alliance", "convenor", "2022"))
    for i in infra[1:]:
        mem.append((i, "vcse-alliance", "member", "2022"))
    joined = []
    for i in web_members:
        key = plan.cons[i][0]
        p = _ALLIANCE_SHARE.get(key)
        if p and rng.random() < p:
            joined.append((i, "vcse-alliance", "member", year(2022, 2024)))
    if len(joined) > ALLIANCE_MAX_MEMBERS:
        # a real alliance does not grow with the map: on big maps it stays a forum of ~150
        keep = set(rng.sample(range(len(joined)), ALLIANCE_MAX_MEMBERS))
        joined = [m for k, m in enumerate(joined) if k in keep]
    mem.extend(joined)
    for s in sul:
        mem.append((s, "vcse-alliance", "member", "2022"))
    mem.append((council, "hwb", "chair", "2013"))
    for i in [*la[1:3], *com[:2], trust, hw[0], infra[0]]:
        mem.append((i, "hwb", "member", "2013"))
    mem.append((com[0], "mh-board", "chair", "2019"))
    board = [*nhs[:3], *com[1:2], council, *sul[:5], hw[0], infra[0], acad[0]]
    board += rng.sample(vp_free, min(6, len(vp_free)))
    for i in dict.fromkeys(board):
        if i != com[0]:
            mem.append((i, "mh-board", "member", "2019"))
    return plan


def _web_ties(plan: _Plan) -> Iterator[tuple]:
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
            n_long = k - n_window
            targets = [members[(p + off) % size] for off in rng.sample(range(1, window + 1), n_window)]
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
                        targets.append(b)
                        break
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


def _tie_tuples(plan: _Plan) -> Iterator[tuple]:
    yield from plan.structural
    yield from _web_ties(plan)


def _to_tie(plan: _Plan, t: tuple) -> Tie:
    a, b, kind, weight, trust, since, reported = t
    ends = (plan.ids[a], plan.ids[b])
    return Tie(from_id=ends[0], to_id=ends[1], type=kind, directed=tie_is_directed(kind), weight=weight,
               trust=trust, since=since, reported_by=ends if reported == 0 else (ends[reported - 1],),
               source=plan.source)


def _actor(plan: _Plan, i: int) -> Actor:
    return Actor(id=plan.ids[i], name=plan.names[i], constituencies=plan.cons[i], communities=plan.comms[i],
                 led_by_community=plan.led[i], lived_experience_led=plan.lived[i], locality=plan.locs[i],
                 scale=plan.scale[i], source=plan.source, notes=plan.notes[i])


def _memberships(plan: _Plan) -> list[Membership]:
    return [Membership(actor_id=plan.ids[i], space_id=s, role=role, since=since, source=plan.source)
            for i, s, role, since in plan.memberships]


def _localities() -> list[Locality]:
    return [Locality(key=k, name=name, population=POPULATION) for k, name, _ in LOCALITIES]


def describe(n_actors: int, seed: int) -> str:
    """The description stored with a synthetic map."""
    return (f"SYNTHETIC DATA: a fictional borough ({BOROUGH}) of {n_actors} made-up organisations in "
            f"three neighbourhoods, generated by netmap.synthetic with seed {seed}. No row describes a real "
            f"organisation. Every neighbourhood uses the Birmingham population profile (Census 2021). "
            f"Borough-wide bodies have no locality, so they count in every neighbourhood. "
            f"Built-in gaps: no police or criminal justice actor; one service-user-led group; very few "
            f"carers' groups, none tied to the NHS trust; no organisation for Roma or Arab people; no funded "
            f"organisation for Bangladeshi people.")


def generate(n_actors: int = DEFAULT_ACTORS, n_ties: int | None = None,
             seed: int = DEFAULT_SEED) -> NetworkMap:
    """A synthetic borough map of ``n_actors`` actors and about ``n_ties`` ties.

    ``n_ties`` defaults to :func:`default_ties` (density about 0.03 for a few
    hundred actors). The structural ties (statutory core, funding, referrals)
    are always made, so a very small ``n_ties`` is exceeded.
    """
    plan = _plan(n_actors, n_ties, seed)
    return NetworkMap(
        key="synthetic-borough",
        name="Synthetic borough (SYNTHETIC DATA)",
        actors=[_actor(plan, i) for i in range(len(plan.ids))],
        ties=[_to_tie(plan, t) for t in _tie_tuples(plan)],
        spaces=list(plan.spaces),
        memberships=_memberships(plan),
        localities=_localities(),
        framework="whole-system",
        description=describe(n_actors, seed),
    )


# -- writing a workspace ---------------------------------------------------------------------------------

def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _toml_text(n_actors: int, seed: int) -> str:
    def q(s: str) -> str:
        return json.dumps(s, ensure_ascii=False)

    lines = ['map = "synthetic-borough"', f"name = {q('Synthetic borough (SYNTHETIC DATA)')}",
             'framework = "whole-system"', f"description = {q(describe(n_actors, seed))}"]
    for loc in _localities():
        lines += ["", "[[localities]]", f"key = {q(loc.key)}", f"name = {q(loc.name)}",
                  f"population = {q(loc.population)}"]
    return "\n".join(lines) + "\n"


def write_workspace(folder: str | Path, n_actors: int = DEFAULT_ACTORS, n_ties: int | None = None,
                    seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Generate a synthetic borough and write it as a workspace folder, streaming the ties.

    Files are written under temporary names and renamed at the end, so an
    interrupted run leaves no half-written workspace files. Returns row counts.
    """
    plan = _plan(n_actors, n_ties, seed)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    src = plan.source
    counts: dict[str, int] = {}
    written: list[tuple[Path, Path]] = []

    def open_tmp(name: str):
        final = out / name
        tmp = out / f".{name}.tmp"
        written.append((tmp, final))
        return tmp.open("w", newline="", encoding="utf-8")

    try:
        with open_tmp("netmap.toml") as fh:
            fh.write(_toml_text(n_actors, seed))
        with open_tmp("actors.csv") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(ACTOR_COLUMNS)
            for i in range(len(plan.ids)):
                w.writerow([plan.ids[i], plan.names[i], "; ".join(plan.cons[i]), "", "organisation",
                            "; ".join(plan.comms[i]), _yes(plan.led[i]), _yes(plan.lived[i]), plan.locs[i],
                            plan.scale[i], src, plan.notes[i]])
            counts["actors"] = len(plan.ids)
        with open_tmp("ties.csv") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(TIE_COLUMNS)
            n = 0
            for a, b, kind, weight, trust, since, reported in _tie_tuples(plan):
                ends = (plan.ids[a], plan.ids[b])
                rep = "; ".join(ends) if reported == 0 else ends[reported - 1]
                w.writerow([ends[0], ends[1], kind, _yes(tie_is_directed(kind)), _num(weight), _num(trust),
                            "", since, "", rep, src, ""])
                n += 1
            counts["ties"] = n
        with open_tmp("spaces.csv") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(SPACE_COLUMNS)
            for s in plan.spaces:
                w.writerow([s.id, s.name, s.kind, s.locality, s.since, s.until, s.source, s.notes])
            counts["spaces"] = len(plan.spaces)
        with open_tmp("memberships.csv") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(MEMBERSHIP_COLUMNS)
            for i, space, role, since in plan.memberships:
                w.writerow([plan.ids[i], space, role, since, "", src])
            counts["memberships"] = len(plan.memberships)
    except BaseException:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in written:
        os.replace(tmp, final)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m netmap.synthetic --out FOLDER [--actors N] [--ties M] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m netmap.synthetic",
                                     description="Write a SYNTHETIC borough map as a netmap workspace.")
    parser.add_argument("--out", required=True, help="folder to write (created if missing)")
    parser.add_argument("--actors", type=int, default=DEFAULT_ACTORS,
                        help=f"actors (default {DEFAULT_ACTORS})")
    parser.add_argument("--ties", type=int, default=None, help="ties (default: density about 0.03)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    try:
        counts = write_workspace(args.out, args.actors, args.ties, args.seed)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
