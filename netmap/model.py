"""The netmap data model: plain typed data, no I/O.

A :class:`NetworkMap` holds the actors of a local system, the typed ties
between them, the spaces they meet in (forums, boards, partnerships) and
their memberships of those spaces. Reference data says what a whole system
should hold: a :class:`Framework` of constituencies and the links it expects
between them, Census 2021 :class:`CensusGroup` communities and the
:class:`PopulationProfile` of each locality.

Examples
--------
>>> a = Actor(id="lypft", name="Leeds and York Partnership NHS Foundation Trust",
...           constituencies=("nhs_mental_health",))
>>> a.primary_constituency
'nhs_mental_health'
>>> Tie(from_id="b", to_id="a", type="partnership").key
('a', 'b', 'partnership')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Sectors a constituency belongs to; an actor's sector is that of its primary
#: constituency, except individuals, whose sector is always ``individual``.
SECTORS: tuple[str, ...] = ("statutory", "vcse", "community", "academic", "private", "individual")

#: What an actor is.
ACTOR_KINDS: tuple[str, ...] = ("organisation", "group", "individual")

#: Geographic reach of an actor.
SCALES: tuple[str, ...] = ("local", "regional", "national")

#: Tie types netmap knows, with whether they are directed by default.
#: Other snake_case types are allowed (the model is open) and are undirected
#: unless a row says otherwise.
KNOWN_TIE_TYPES: Mapping[str, bool] = {
    "partnership": False,
    "commissions": True,
    "funds": True,
    "refers_to": True,
    "co_produces": False,
    "shares_information": False,
    "member_of": True,
}

#: Roles an actor can hold in a space.
MEMBERSHIP_ROLES: tuple[str, ...] = ("member", "convenor", "signatory", "supporter", "attendee", "chair")

#: Kinds of space.
SPACE_KINDS: tuple[str, ...] = ("forum", "partnership", "board", "network", "pledge", "event", "workshop", "project")

#: The tie type used for ties derived from co-membership of a space.
CO_MEMBERSHIP = "co_member"

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def is_identifier(value: str) -> bool:
    """True if ``value`` is a safe snake_case key (tie types, constituency keys).

    Tie types become Neo4j relationship types, so only this shape is allowed.

    >>> is_identifier("refers_to"), is_identifier("x`) DELETE n")
    (True, False)
    """
    return bool(_IDENTIFIER.match(value))


def tie_is_directed(tie_type: str) -> bool:
    """Whether ties of this type are directed unless a row says otherwise."""
    return KNOWN_TIE_TYPES.get(tie_type, False)


@dataclass(frozen=True, slots=True)  # slots: a national map holds a million ties
class Actor:
    """An organisation, informal group or individual in a local system.

    ``constituencies`` lists framework keys, the first being the primary one.
    ``communities`` lists Census 2021 group keys the actor is led by or serves.
    ``attributes`` keeps any extra columns of the workspace so they survive a
    round trip through Neo4j or an export.
    """

    id: str
    name: str
    constituencies: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = "organisation"
    communities: tuple[str, ...] = ()
    led_by_community: bool = False
    lived_experience_led: bool = False
    locality: str = ""
    scale: str = "local"
    source: str = ""
    notes: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)

    @property
    def primary_constituency(self) -> str | None:
        """The first constituency, or None for an unclassified actor."""
        return self.constituencies[0] if self.constituencies else None


@dataclass(frozen=True, slots=True)  # slots: a national map holds a million ties
class Tie:
    """A typed tie between two actors.

    ``weight`` is the strength of the tie (1 by default). ``trust`` and
    ``value`` are optional PARTNER-style ratings on a 1-4 scale. Dates are ISO
    strings (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``). A tie whose
    ``reported_by`` holds both ends is *confirmed*.
    """

    from_id: str
    to_id: str
    type: str = "partnership"
    directed: bool = False
    weight: float = 1.0
    trust: float | None = None
    value: float | None = None
    since: str = ""
    until: str = ""
    reported_by: tuple[str, ...] = ()
    source: str = ""
    notes: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the tie: ends (sorted unless directed) and type."""
        a, b = self.from_id, self.to_id
        if not self.directed and b < a:
            a, b = b, a
        return (a, b, self.type)

    @property
    def confirmed(self) -> bool:
        """True when both ends reported the tie."""
        return self.from_id in self.reported_by and self.to_id in self.reported_by


@dataclass(frozen=True, slots=True)  # slots: a national map holds a million ties
class Space:
    """A convened partnership, board, forum, pledge or event."""

    id: str
    name: str
    kind: str = "forum"
    locality: str = ""
    since: str = ""
    until: str = ""
    source: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)  # slots: a national map holds a million ties
class Membership:
    """An actor's membership of (or attendance at) a space.

    Members of the same space count as tied (co-membership, see
    :func:`netmap.graph.build_graph`); ``since`` and ``until`` are ISO dates.
    """

    actor_id: str
    space_id: str
    role: str = MEMBERSHIP_ROLES[0]  # "member"
    since: str = ""
    until: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.actor_id, self.space_id)


@dataclass(frozen=True)
class Constituency:
    """One constituency of a framework: a kind of actor a whole system holds.

    ``reaches`` lists the constituencies an actor of this kind is expected to
    have ties to (a mental health trust: service users, carers, communities
    ...); the actors holding a constituency with a ``reaches`` list are the
    default egos of the gap analysis.
    """

    key: str
    label: str
    sector: str
    description: str = ""
    min_presence: int = 1
    weight: float = 1.0
    reaches: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpectedLink:
    """A pair of constituencies the framework expects to be tied.

    With ``direct``, only a tie of ``ties.csv`` (or one actor holding both)
    meets the link; otherwise sharing a space meets it too.
    """

    a: str
    b: str
    reason: str = ""
    direct: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return tuple(sorted((self.a, self.b)))  # type: ignore[return-value]


@dataclass(frozen=True)
class Framework:
    """What a whole local system should hold.

    >>> fw = Framework("tiny", "Tiny", constituencies=(
    ...     Constituency("commissioner", "Commissioner", "statutory"),))
    >>> fw.get("commissioner").label
    'Commissioner'
    """

    key: str
    name: str
    constituencies: tuple[Constituency, ...]
    expected_links: tuple[ExpectedLink, ...] = ()
    description: str = ""
    source: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.constituencies)

    def get(self, key: str) -> Constituency | None:
        for constituency in self.constituencies:
            if constituency.key == key:
                return constituency
        return None

    def label(self, key: str) -> str:
        """Human label of a constituency key (the key itself if unknown)."""
        found = self.get(key)
        return found.label if found else key

    def reach(self, keys: Iterable[str]) -> tuple[str, ...]:
        """The constituencies actors holding ``keys`` are expected to reach, in framework order.

        >>> fw = Framework("f", "F", (Constituency("t", "Trust", "statutory", reaches=("s",)),
        ...                           Constituency("s", "Service users", "community")))
        >>> fw.reach(["t"]), fw.reach(["s"])
        (('s',), ())
        """
        wanted = {r for k in keys if (c := self.get(k)) is not None for r in c.reaches}
        return tuple(k for k in self.keys if k in wanted)

    def sector_of(self, actor: Actor) -> str:
        """The actor's sector, derived from its primary constituency."""
        if actor.kind == "individual":
            return "individual"
        primary = actor.primary_constituency
        found = self.get(primary) if primary else None
        return found.sector if found else "unknown"


@dataclass(frozen=True)
class CensusGroup:
    """A Census 2021 ethnic group (ONS TS021): 5 high-level, 19 detailed."""

    key: str
    name: str
    level: str  # "high" or "detailed"
    parent: str = ""  # key of the high-level group, for detailed groups
    ons_name: str = ""  # the full name as ONS prints it in table TS021


@dataclass(frozen=True)
class PopulationProfile:
    """Census 2021 shares (per cent) of the ethnic groups of one area.

    ``shares`` maps a group key, or several joined by ``+`` where the source
    gives only their sum (e.g. ``mixed+other``), to a percentage.
    """

    key: str
    name: str
    shares: Mapping[str, float]
    geography_code: str = ""
    source: str = ""


@dataclass(frozen=True)
class Locality:
    """A place a map covers: a local authority, a city, a national scope."""

    key: str
    name: str
    population: str = ""  # key of a population profile, or "" for none


@dataclass
class NetworkMap:
    """One map of a local system: the contents of a workspace.

    ``key`` names the map in a shared store (several maps live side by side
    in one Neo4j database). ``ego`` lists actor ids whose own gaps to report.
    """

    key: str
    name: str
    actors: list[Actor] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    spaces: list[Space] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    localities: list[Locality] = field(default_factory=list)
    framework: str = "whole-system"
    snapshot: str = ""
    ego: tuple[str, ...] = ()
    description: str = ""
    #: the workspace's own population profiles (``[populations.KEY]`` in netmap.toml), by key
    populations: dict[str, PopulationProfile] = field(default_factory=dict)
    #: where ``framework`` was found when it is a file (set when the map is read; never stored or compared),
    #: so that every later step reads the file validation read
    framework_file: Path | None = field(default=None, compare=False, repr=False)
    #: how many individuals this copy shows by pseudonym (set by :func:`netmap.privacy.pseudonymise`;
    #: None: names as in the workspace)
    pseudonyms: int | None = field(default=None, compare=False, repr=False)
    #: counts under this are hidden in shared count tables (see :func:`netmap.privacy.suppress_small`; 0: none)
    suppress_small: int = field(default=0, compare=False, repr=False)

    def actor(self, actor_id: str) -> Actor | None:
        return self.actor_index().get(actor_id)

    def actor_index(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    def locality(self, key: str) -> Locality | None:
        for loc in self.localities:
            if loc.key == key:
                return loc
        return None


def split_list(value: str | None, separators: Iterable[str] = (";", "|")) -> tuple[str, ...]:
    """Split a cell holding several values (``a; b`` or Kumu's ``a | b``).

    >>> split_list(" nhs_mental_health ;commissioner; ")
    ('nhs_mental_health', 'commissioner')
    """
    if not value:
        return ()
    text = str(value)
    for sep in separators:
        text = text.replace(sep, "\x00")
    return tuple(part.strip() for part in text.split("\x00") if part.strip())
