"""The fictional borough's fixed shape: its neighbourhoods, constituency shares, sizes and deliberate gaps.

>>> default_ties(300), source_label(7)
(1200, 'netmap-synthetic: seed 7')
"""

from __future__ import annotations

BOROUGH = "Fernbridge"
POPULATION = "birmingham"
#: (key, name, share of neighbourhood actors)
LOCALITIES: tuple[tuple[str, str, float], ...] = (
    ("north", "Fernbridge North", 0.38),
    ("central", "Fernbridge Central", 0.34),
    ("south", "Fernbridge South", 0.28),
)
DEFAULT_ACTORS = 300
#: Most neighbourhood organisations that join the borough's VCSE alliance, whatever the size of the map
#: (umbrella bodies and service-user-led groups join as well, within ``SPACE_MAX_MEMBERS``).
ALLIANCE_MAX_MEMBERS = 150
#: Largest space (alliance, forum, board) the generator makes unless a big forum is asked for. Real ones
#: have tens to a couple of hundred members: NSUN's London network counted 149 member groups across all
#: of London (nsun.org.uk/london). Up to about 7,500 actors the borough's alliance stays under it (215
#: members at 5,000 actors); above, umbrella bodies, service-user-led groups and members that would not
#: fit meet in one VCSE forum per neighbourhood instead.
SPACE_MAX_MEMBERS = 250
#: Largest neighbourhood VCSE forum (there are forums only where the alliance would outgrow its cap).
FORUM_MAX_MEMBERS = 150
DEFAULT_SEED = 7
MIN_ACTORS = 60

#: Constituencies with a fixed share of actors: (key, share, minimum count, id prefix).
#: VCSE providers and community groups take the rest.
SMALL: tuple[tuple[str, float, int, str], ...] = (
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
VCSE_SHARE_OF_REST = 0.52  # VCSE providers; community groups take the other 48%
#: Every constituency the generator draws, in the order it draws them.
ORDER = [key for key, _, _, _ in SMALL] + ["vcse_provider", "community_group"]
PREFIX = {key: prefix for key, _, _, prefix in SMALL} | {"vcse_provider": "vcse", "community_group": "cg"}
#: Constituencies whose named bodies (those in names.FIXED_NAMES) serve the whole borough: they get no
#: locality, so netmap counts them in every neighbourhood. Further ones are neighbourhood teams.
BOROUGH_WIDE = frozenset({"nhs_mental_health", "commissioner", "local_authority", "patient_voice",
                          "vcse_infrastructure", "national_body_funder", "academic_research",
                          "service_user_led"})
#: Constituencies whose actors take part in the neighbourhood partnership web.
WEB = frozenset({"vcse_provider", "community_group", "faith_group", "advocacy_activism", "arts_culture",
                 "housing", "education", "employment_welfare"})
#: Communities no synthetic organisation serves (deliberate gaps).
NO_ORGANISATION = ("roma", "arab")
#: A community served only by unfunded organisations (a deliberate commissioning gap).
UNFUNDED_COMMUNITY = "bangladeshi"
WHITE_MINORITY_FACTOR = 0.1
#: Chance that a neighbourhood organisation of each kind belongs to the VCSE alliance.
ALLIANCE_SHARE = {"vcse_provider": 0.4, "community_group": 0.15, "advocacy_activism": 0.3,
                  "faith_group": 0.05}


def source_label(seed: int) -> str:
    """The ``source`` of every synthetic row: the synthetic key of ``data/sources.toml`` and the seed."""
    return f"netmap-synthetic: seed {seed}"


def default_ties(n_actors: int) -> int:
    """Ties made when none are asked for: density about 0.03, mean degree at most 8."""
    return round(min(0.03 * (n_actors - 1) / 2, 4.0) * n_actors)


def check_size(n_actors: int, n_ties: int | None, big_forum: int | None = None) -> None:
    """ValueError unless a borough of ``n_actors`` actors and ``n_ties`` ties (None: the default) can be made,
    with an alliance of ``big_forum`` members if given.

    >>> check_size(300, None, big_forum=301)
    Traceback (most recent call last):
    ValueError: a big forum of 301 members needs at least 301 actors (got 300)
    """
    if n_actors < MIN_ACTORS:
        raise ValueError(f"a synthetic borough needs at least {MIN_ACTORS} actors (got {n_actors})")
    if n_ties is not None and n_ties < 0:
        raise ValueError("n_ties must not be negative")
    if big_forum is not None and big_forum < 2:
        raise ValueError(f"a big forum needs at least 2 members (got {big_forum})")
    if big_forum is not None and big_forum > n_actors:
        raise ValueError(f"a big forum of {big_forum} members needs at least {big_forum} actors (got {n_actors})")
