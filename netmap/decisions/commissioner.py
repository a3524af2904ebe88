"""The commissioner view: where funding and ties do not reach the voluntary and community sector, per locality.

Four questions an ICB or council commissioner brings, each answered by items
(:class:`Item`) with a stable ``rule`` id (:data:`RULES`), a plain-English
``message`` and the numbers behind it (``data``):

``unfunded_community``
    a Census 2021 group of a locality's population (the White group aside, as in
    :mod:`netmap.gaps.communities`) with no *by-and-for* organisation that is
    funded or commissioned. By-and-for: a voluntary or community organisation
    (sector ``vcse`` or ``community``) that is ``led_by_community`` and lists a
    community of the group. Funded or commissioned: the target of a directed
    ``funds`` or ``commissions`` tie from anyone on the map, a national funder
    with no locality included. Organisations with no locality count in every
    locality (the rule of :mod:`netmap.scopes`).
``fragility``
    the gap analysis's own ``fragility.single_funder`` and
    ``fragility.single_statutory_contact`` findings, reworded for a
    commissioner: the same organisations, so the two views never disagree.
``community_tie``
    a statutory body, or a signatory of a pledge (role ``signatory`` in a space
    of kind ``pledge``), with no tie to a service-user-led or community
    organisation (pledge objective 3) though its locality holds one. As for an
    expected link marked ``direct`` in the gap analysis, a shared space is not
    a tie of its own: meeting them only in shared spaces is a rule of its own
    (``community_tie.space_only``), apart from no contact at all
    (``community_tie.none``).
``funding_reach``
    for each funder or commissioner (an actor with outgoing funding ties, or of
    the ``commissioner`` constituency), the share of its funding ties that
    reach voluntary and community organisations.

When the map records no funding tie at all, the items that need one
(``unfunded_community.not_funded``, ``funding_reach.no_ties``) are not made and
:attr:`CommissionerView.notes` says so: an unrecorded grant is not a missing one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from netmap.analysis import Analysis
from netmap.gaps import RULES as GAP_RULES
from netmap.gaps import Finding, Rule, community_coverage
from netmap.gaps.finding import FRAGILE_FUNDING_SECTORS, MAINSTREAM_GROUPS, join_words, plural, possessive
from netmap.model import CO_MEMBERSHIP, Actor, Framework, NetworkMap, Tie
from netmap.scopes import Scope, in_locality, locality_scopes

__all__ = ["FUNDING_TIE_TYPES", "KINDS", "RULES", "CommissionerView", "Item", "commissioner_view", "funding_ties",
           "is_community_organisation"]

#: The tie types that carry money: funding and commissioning (directed, from the funder).
FUNDING_TIE_TYPES = ("funds", "commissions")

#: The four questions, in the order the view answers them.
KINDS = ("unfunded_community", "fragility", "community_tie", "funding_reach")

#: Words for the sectors a funding tie reaches other than the voluntary and community sector.
SECTOR_WORDS = {"statutory": ("a statutory body", "statutory bodies"),
                "academic": ("an academic body", "academic bodies"),
                "private": ("a private company", "private companies"),
                "individual": ("an individual", "individuals"),
                "unknown": ("an actor of no known constituency", "actors of no known constituency")}

_FW = "framework '{framework}'"

RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("unfunded_community.no_by_and_for",
         "A Census 2021 group of the locality's population has no voluntary or community organisation led by and "
         "for it in the locality, so there is none to fund or commission (the White group is assumed to be served "
         "by mainstream organisations).",
         "no organisation of sector vcse or community that is led_by_community and lists a community of the group.",
         "population profile of the locality; the actors' communities and led_by_community columns; "
         + _FW + ": sector.",
         "{n} communities have no by-and-for organisation in a locality", "population_share"),
    Rule("unfunded_community.not_funded",
         "A Census 2021 group of the locality's population has by-and-for voluntary or community organisations, "
         "but no one on the map funds or commissions any of them.",
         "1 by-and-for organisation or more, none the target of a funds or commissions tie; only when the map "
         "records funding ties at all.",
         "population profile of the locality; ties.csv types funds and commissions.",
         "{n} communities have no funded or commissioned by-and-for organisation in a locality",
         "population_share"),
    GAP_RULES["fragility.single_funder"],
    GAP_RULES["fragility.single_statutory_contact"],
    Rule("community_tie.none",
         "A statutory body or pledge signatory has no tie to, and shares no space with, any service-user-led or "
         "community organisation, though its locality holds some (pledge objective 3). Service-user-led or "
         "community: sector community, or sector vcse and led by a community, lived-experience-led or holding "
         "the service_user_led constituency.",
         "no tie and no shared space; only when 1 such organisation or more is in its locality.",
         "ties.csv, memberships.csv (role signatory in a space of kind pledge); " + _FW + ": sector.",
         "{n} statutory bodies or signatories have no contact with service-user-led or community organisations",
         "organisations"),
    Rule("community_tie.space_only",
         "A statutory body or pledge signatory meets service-user-led or community organisations only in shared "
         "spaces: the map records no tie of its own (partnership, funding, referral ...) with any of them.",
         "shared spaces, no direct tie (as for an expected link marked direct in the gap analysis).",
         "ties.csv and memberships.csv; " + _FW + ": sector.",
         "{n} statutory bodies or signatories meet service-user-led or community organisations only in shared "
         "spaces", "organisations"),
    Rule("funding_reach.share",
         "The share of a funder's or commissioner's funding and commissioning ties that reach voluntary and "
         "community organisations.",
         "every actor with 1 outgoing funds or commissions tie or more of which 1 or more reaches one.",
         "ties.csv types funds and commissions; " + _FW + ": sector of the target's primary constituency.",
         "{n} funders and commissioners fund voluntary and community organisations", "ties"),
    Rule("funding_reach.none",
         "None of a funder's or commissioner's funding and commissioning ties reaches a voluntary or community "
         "organisation.",
         "1 outgoing funds or commissions tie or more, none to sector vcse or community.",
         "ties.csv types funds and commissions; " + _FW + ": sector of the target's primary constituency.",
         "{n} funders and commissioners fund no voluntary or community organisation", "ties"),
    Rule("funding_reach.no_ties",
         "An actor of the commissioner constituency has no funding or commissioning tie on the map, so where its "
         "money goes cannot be seen.",
         "no outgoing funds or commissions tie; only when the map records funding ties at all.",
         "ties.csv types funds and commissions; the actors' constituencies column.",
         "{n} commissioners have no funding or commissioning tie on the map"),
)}


@dataclass(frozen=True)
class Item:
    """One answer of the commissioner view: its rule, where, about whom, a sentence and its numbers."""

    kind: str
    rule: str
    locality: str
    subject: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule": self.rule, "locality": self.locality, "subject": self.subject,
                "message": self.message, "data": dict(self.data)}


@dataclass
class CommissionerView:
    """The commissioner view of one map.

    ``localities`` lists ``(key, name)`` of the places items are about, ``("", "")``
    standing for actors with no locality in a map of several localities;
    ``funding`` the map's funding and commissioning figures; ``notes`` what
    could not be seen.
    """

    localities: list[tuple[str, str]]
    items: list[Item]
    funding: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def by_locality(self) -> list[tuple[str, str, list[Item]]]:
        """``(key, name, items)`` per locality that has items, in the order of :attr:`localities`."""
        return [(key, name, found) for key, name in self.localities
                if (found := [i for i in self.items if i.locality == key])]


def funding_ties(nmap: NetworkMap) -> list[Tie]:
    """The directed ``funds`` and ``commissions`` ties between two different actors of the map, in map order."""
    known = {a.id for a in nmap.actors}
    return [t for t in nmap.ties if t.type in FUNDING_TIE_TYPES and t.directed and t.from_id != t.to_id
            and t.from_id in known and t.to_id in known]


def is_community_organisation(actor: Actor, framework: Framework) -> bool:
    """Service-user-led or community: sector ``community``, or sector ``vcse`` and led by a community, led by
    people with lived experience, or holding the ``service_user_led`` constituency."""
    sector = framework.sector_of(actor)
    return sector == "community" or (sector == "vcse" and (
        actor.led_by_community or actor.lived_experience_led or "service_user_led" in actor.constituencies))


def _is_by_and_for(actor: Actor, framework: Framework) -> bool:
    return actor.led_by_community and framework.sector_of(actor) in FRAGILE_FUNDING_SECTORS


def _them(n: int) -> str:
    return "it" if n == 1 else "any of them"


def _community_items(nmap: NetworkMap, framework: Framework, analysis: Analysis, scope: Scope,
                     funded: set[str], funding_recorded: bool) -> list[Item]:
    """Groups of the scope's population with no (funded) by-and-for organisation."""
    if scope.population is None:
        return []
    index = nmap.actor_index()
    coverage = community_coverage(analysis.graph, analysis.actors, scope.population, scope.nodes)
    at = f" in {scope.name}" if scope.name else ""
    items = []
    for group, row in coverage.iterrows():
        if set(str(group).split("+")) <= set(MAINSTREAM_GROUPS):
            continue
        by_and_for = [x for x in row["actors"] if _is_by_and_for(index[x], framework)]
        share = float(row["population_share"])
        data = {"group": str(group), "name": row["name"], "population_share": round(share, 4),
                "profile": scope.population.key, "serving": int(row["organisations"]),
                "by_and_for": by_and_for, "by_and_for_names": [index[x].name for x in by_and_for],
                "funded": [x for x in by_and_for if x in funded]}
        opening = f"{row['name']} communities are {share:g}% of {scope.population.name}'s population"
        if not by_and_for:
            others = int(row["organisations"])
            aside = f" ({plural(others, 'organisation')} serve{'s' if others == 1 else ''} them without being " \
                    "led by them)" if others else ""
            items.append(Item("unfunded_community", "unfunded_community.no_by_and_for", scope.key, str(group),
                              f"{opening}, but no voluntary or community organisation in the network{at} is led by "
                              f"and for them{aside}, so there is none to fund or commission.", data))
        elif funding_recorded and not data["funded"]:
            n = len(by_and_for)
            names = join_words([index[x].name for x in by_and_for[:5]] + ([f"{n - 5} more"] if n > 5 else []))
            items.append(Item("unfunded_community", "unfunded_community.not_funded", scope.key, str(group),
                              f"{opening}; {plural(n, 'voluntary or community organisation')}{at} "
                              f"{'is' if n == 1 else 'are'} led by and for them ({names}), but no one on the map "
                              f"funds or commissions {_them(n)}.", data))
    return items


def _fragility_items(nmap: NetworkMap, findings: Iterable[Finding], place: Callable[[str], str]) -> list[Item]:
    """The gap analysis's single-funder and single-statutory-contact findings, in a commissioner's words."""
    index = nmap.actor_index()

    def name(actor_id: str) -> str:
        return index[actor_id].name if actor_id in index else actor_id

    items = []
    for f in findings:
        if f.rule == "fragility.single_funder":
            funder = f.data["funders"][0]
            message = (f"{f.data['name']} is funded or commissioned by {name(funder)} alone: if that funding "
                       "ended, the map shows no other funder to turn to.")
            data = {**f.data, "funder_name": name(funder)}
        elif f.rule == "fragility.single_statutory_contact":
            contact = f.data["contact"]
            message = (f"{possessive(f.data['name'])} only statutory contact is {name(contact)}: if that "
                       "relationship lapsed, it would have no link to any statutory body on the map.")
            data = {**f.data, "contact_name": name(contact)}
        else:
            continue
        items.append(Item("fragility", f.rule, place(f.locality), f.subject, message, data))
    return items


def _signatories(nmap: NetworkMap) -> dict[str, list[str]]:
    """Actor id -> names of the pledges (spaces of kind ``pledge``) it signed."""
    pledges = {s.id: s.name for s in nmap.spaces if s.kind == "pledge"}
    signed: dict[str, list[str]] = {}
    for m in nmap.memberships:
        if m.role == "signatory" and m.space_id in pledges and pledges[m.space_id] not in signed.get(m.actor_id, []):
            signed.setdefault(m.actor_id, []).append(pledges[m.space_id])
    return signed


def _contacts(G: nx.Graph, actor_id: str, targets: set[str]) -> tuple[list[str], list[str], list[str]]:
    """The target organisations ``actor_id`` has a tie with, those it only shares spaces with, and those spaces."""
    direct, shared, spaces = [], [], []
    for m in G.neighbors(actor_id) if actor_id in G else ():
        if m not in targets:
            continue
        edge = G.edges[actor_id, m]
        if any(t != CO_MEMBERSHIP for t in edge.get("types", ())):
            direct.append(m)
        else:
            shared.append(m)
            spaces += [s for s in edge.get("spaces", ()) if s not in spaces]
    return direct, shared, sorted(spaces)


def _community_tie_items(nmap: NetworkMap, framework: Framework, G: nx.Graph, place: Callable[[str], str],
                         names: dict[str, str]) -> list[Item]:
    """Statutory bodies and pledge signatories with no tie to a service-user-led or community organisation."""
    targets = [a for a in nmap.actors if a.kind != "individual" and is_community_organisation(a, framework)]
    target_ids = {a.id for a in targets}
    signed = _signatories(nmap)
    space_names = {s.id: s.name for s in nmap.spaces}
    index = nmap.actor_index()
    items = []
    nearby: dict[str, list[str]] = {}  # locality -> the targets in it, in map order (computed once per locality)
    for actor in nmap.actors:
        statutory = actor.kind != "individual" and framework.sector_of(actor) == "statutory"
        if not (statutory or actor.id in signed) or actor.id in target_ids:
            continue
        if actor.locality not in nearby:
            nearby[actor.locality] = [t.id for t in targets if not actor.locality or in_locality(t, actor.locality)]
        around = nearby[actor.locality]  # the actor itself is never a target (skipped above)
        direct, shared, spaces = _contacts(G, actor.id, target_ids)
        if not around or direct:
            continue
        locality = place(actor.locality)
        where = f"in {names[locality]}" if names.get(locality) else "on the map"
        label = framework.label(actor.primary_constituency) if actor.primary_constituency else "no constituency"
        who = f"{actor.name} ({label}" + (f", a signatory of the {join_words(signed[actor.id])})"
                                          if actor.id in signed else ")")
        data = {"actor": actor.id, "name": actor.name, "statutory": statutory, "pledges": signed.get(actor.id, []),
                "organisations": len(around), "shared_with": shared, "spaces": spaces}
        why = " (pledge objective 3)" if actor.id in signed else ""
        one = f" ({index[around[0]].name})" if len(around) == 1 else ""
        if shared:
            shown = join_words([space_names.get(s, s) for s in spaces[:3]] + (
                [f"{len(spaces) - 3} more"] if len(spaces) > 3 else []))
            them = "the one" if one else f"any of the {len(around)}"
            message = (f"{who} meets service-user-led or community organisations only in shared spaces ({shown}): "
                       f"the map records no tie of its own with {them} {where}{one}{why}.")
            rule = "community_tie.space_only"
        else:
            what = ("the one service-user-led or community organisation" if one else
                    f"any of the {len(around)} service-user-led or community organisations")
            message = (f"{who} has no tie to {what} {where}{one} and shares no space with "
                       f"{'it' if one else 'them'}{why}.")
            rule = "community_tie.none"
        items.append(Item("community_tie", rule, locality, actor.id, message, data))
    return items


def _breakdown(by_sector: Counter) -> str:
    """Where the rest of a funder's ties go: 'a statutory body', 'statutory bodies', or with counts when several
    sectors: 'statutory bodies (2) and a private company (1)'."""
    def words(sector: str, n: int) -> str:
        one, many = SECTOR_WORDS.get(sector, (f"a {sector} actor", f"{sector} actors"))
        return one if n == 1 else many

    if len(by_sector) == 1:
        return words(*by_sector.most_common()[0])
    return join_words([f"{words(s, n)} ({n})" for s, n in by_sector.most_common()])


def _reach_words(n: int) -> str:
    return "reaches a voluntary or community organisation" if n == 1 else "reach voluntary and community organisations"


def _funding_items(nmap: NetworkMap, framework: Framework, ties: list[Tie], place: Callable[[str], str]) -> list[Item]:
    """Each funder's or commissioner's share of funding ties reaching voluntary and community organisations."""
    index = nmap.actor_index()
    outgoing: dict[str, list[Tie]] = {}
    for tie in ties:
        outgoing.setdefault(tie.from_id, []).append(tie)
    items = []
    for actor in nmap.actors:
        commissioner = actor.kind != "individual" and "commissioner" in actor.constituencies
        own = outgoing.get(actor.id, [])
        if not own and not (commissioner and ties):
            continue
        sectors = Counter(framework.sector_of(index[t.to_id]) for t in own)
        reach = sum(sectors.pop(s, 0) for s in FRAGILE_FUNDING_SECTORS)
        n = len(own)
        data = {"actor": actor.id, "name": actor.name, "ties": n, "to_vcse_community": reach,
                "share": round(100 * reach / n, 1) if n else None, "other_sectors": dict(sectors),
                "recipients": len({t.to_id for t in own})}
        locality = place(actor.locality)
        if not n:
            rule = "funding_reach.no_ties"
            message = (f"{actor.name} is a commissioner, but the map records no funding or commissioning tie from "
                       "it: add whom it funds and commissions to see where its money goes.")
        elif not reach:
            rule = "funding_reach.none"
            message = (f"{possessive(actor.name)} one funding or commissioning tie goes to {_breakdown(sectors)}, not "
                       "to a voluntary or community organisation." if n == 1 else
                       f"None of {possessive(actor.name)} {n} funding or commissioning ties reaches a "
                       f"voluntary or community organisation: they go to "
                       f"{_breakdown(sectors)}.")
        else:
            rule = "funding_reach.share"
            other = n - reach
            rest = f"; the other{f' {other}' if other > 1 else ''} go{'es' if other == 1 else ''} to " \
                f"{_breakdown(sectors)}" if other else ""
            ties_of = f"{possessive(actor.name)} {plural(n, 'funding or commissioning tie')}"
            message = (f"{possessive(actor.name)} one funding or commissioning tie reaches a voluntary or community "
                       "organisation." if n == 1 else
                       f"All {n} of {possessive(actor.name)} funding or commissioning ties reach voluntary and "
                       "community organisations." if not other else
                       f"{reach} of {ties_of} ({100 * reach / n:.0f}%) {_reach_words(reach)}{rest}.")
        items.append(Item("funding_reach", rule, locality, actor.id, message, data))
    return items


def _stake(item: Item) -> float:
    rule = RULES.get(item.rule)
    value = item.data.get(rule.stake) if rule and rule.stake else None
    return float(value) if isinstance(value, int | float) else 0.0


def commissioner_view(nmap: NetworkMap, framework: Framework, analysis: Analysis, findings: Iterable[Finding], *,
                      by_locality: bool = True) -> CommissionerView:
    """The commissioner view of an analysed map: see the module docstring for each rule.

    ``findings`` are the map's gap findings (their single-funder and
    single-statutory-contact findings are reused as they are). With
    ``by_locality`` false, communities are checked once for the whole map.
    Complexity: O(A + T + E) for A actors, T ties and E edges of the analysed graph.
    """
    scopes = locality_scopes(nmap, by_locality)
    ties = funding_ties(nmap)
    funded = {t.to_id for t in ties}
    localities = [(s.key, s.name) for s in scopes]
    if len(scopes) > 1:  # actors with no locality (or an unlisted one) form a place of their own, key ""
        localities.insert(0, ("", ""))
    keys = {s.key for s in scopes}

    def place(locality: str) -> str:
        """The place an actor's items go under: the one scope, else its own locality if listed."""
        return scopes[0].key if len(scopes) == 1 else locality if locality in keys else ""

    names = dict(localities)
    items: list[Item] = []
    for scope in scopes:
        items += _community_items(nmap, framework, analysis, scope, funded, bool(ties))
    items += _fragility_items(nmap, findings, place)
    items += _community_tie_items(nmap, framework, analysis.graph, place, names)
    items += _funding_items(nmap, framework, ties, place)
    order = {key: i for i, (key, _) in enumerate(localities)}
    rule_order = {rule: i for i, rule in enumerate(RULES)}
    items.sort(key=lambda i: (order.get(i.locality, len(order)), KINDS.index(i.kind), rule_order[i.rule],
                              -_stake(i), i.subject))
    index = nmap.actor_index()
    reach = sum(framework.sector_of(index[t.to_id]) in FRAGILE_FUNDING_SECTORS for t in ties)
    funding = {"ties": len(ties), "to_vcse_community": reach, "funders": len({t.from_id for t in ties}),
               "funded": len(funded)}
    notes = [] if ties else [
        "The map records no funding or commissioning tie (type funds or commissions in ties.csv), so whether "
        "organisations are funded cannot be seen: communities are checked for a by-and-for organisation only, "
        "and no funder's share is computed."]
    return CommissionerView(localities, items, funding, notes)
