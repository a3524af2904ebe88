"""Privacy in outputs meant for sharing: individuals by pseudonym, small counts hidden.

Actors of kind ``individual`` (lived-experience representatives, activists,
named officers) are personal data. :func:`pseudonymise` returns a copy of a
map in which each of them is shown as "Individual N (their constituency)":
numbered in the order of their ids, so the same map always gives the same
pseudonyms, and never derived from the name, so a pseudonym cannot be turned
back into one. Their id (often made from the name) becomes ``individual-N``
in the copy, and ties, memberships and egos follow it; their aliases, notes
and extra columns are left out. Every other actor is as it was, and the map
passed in is never changed.

>>> from netmap.model import Actor, Tie
>>> nmap = NetworkMap("m", "M", actors=[
...     Actor("trust", "Leeds Trust"),
...     Actor("jo-bloggs", "Jo Bloggs", ("service_user_led",), kind="individual", notes="lives on Elm St")],
...     ties=[Tie("trust", "jo-bloggs")])
>>> shared = pseudonymise(nmap)
>>> [(a.id, a.name, a.notes) for a in shared.actors]
[('trust', 'Leeds Trust', ''), ('individual-1', 'Individual 1 (service_user_led)', '')]
>>> shared.ties[0].to_id, shared.pseudonyms, nmap.actors[1].name
('individual-1', 1, 'Jo Bloggs')
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping

import pandas as pd

from netmap.model import Actor, Framework, Membership, NetworkMap, Tie


def pseudonyms(nmap: NetworkMap) -> dict[str, int]:
    """Each individual's number (1, 2, ...), in the order of their ids: stable for a given map."""
    ids = sorted(a.id for a in nmap.actors if a.kind == "individual")
    return {actor_id: n for n, actor_id in enumerate(ids, start=1)}


def _unused_id(n: int, taken: set[str]) -> str:
    """``individual-N``, or ``individual-N-2`` ... when another actor already has that id."""
    candidate, again = f"individual-{n}", 1
    while candidate in taken:
        again += 1
        candidate = f"individual-{n}-{again}"
    return candidate


def pseudonymise(nmap: NetworkMap, framework: Framework | None = None,
                 numbering: Mapping[str, int] | None = None) -> NetworkMap:
    """A copy of ``nmap`` showing each individual by a pseudonym (see the module docstring).

    The pseudonym names the individual's primary constituency, by its label in
    ``framework`` when given ("Individual 2 (Service users)"), so that what they
    bring to the system stays readable. ``pseudonyms`` of the copy holds how
    many individuals it hides. ``numbering`` (each individual's number by id,
    default :func:`pseudonyms`) lets several maps share one numbering; it must
    number every individual of the map.
    """
    numbers = pseudonyms(nmap) if numbering is None else {
        a.id: numbering[a.id] for a in nmap.actors if a.kind == "individual"}
    taken = {a.id for a in nmap.actors if a.id not in numbers}
    new_ids: dict[str, str] = {}
    for actor_id, n in numbers.items():
        new_ids[actor_id] = _unused_id(n, taken)
        taken.add(new_ids[actor_id])

    def hidden(actor: Actor) -> Actor:
        n = numbers[actor.id]
        primary = actor.primary_constituency
        role = (framework.label(primary) if framework else primary) if primary else "unclassified"
        return dataclasses.replace(actor, id=new_ids[actor.id], name=f"Individual {n} ({role})", aliases=(),
                                   notes="", attributes={})

    def moved(actor_id: str) -> str:
        return new_ids.get(actor_id, actor_id)

    def tie(t: Tie) -> Tie:
        if not new_ids.keys() & {t.from_id, t.to_id, *t.reported_by}:
            return t
        return dataclasses.replace(t, from_id=moved(t.from_id), to_id=moved(t.to_id),
                                   reported_by=tuple(moved(r) for r in t.reported_by))

    def membership(m: Membership) -> Membership:
        return dataclasses.replace(m, actor_id=moved(m.actor_id)) if m.actor_id in new_ids else m

    return dataclasses.replace(
        nmap,
        actors=[hidden(a) if a.id in numbers else a for a in nmap.actors],
        ties=[tie(t) for t in nmap.ties],
        memberships=[membership(m) for m in nmap.memberships],
        ego=tuple(moved(e) for e in nmap.ego),
        localities=list(nmap.localities),
        spaces=list(nmap.spaces),
        populations=dict(nmap.populations),
        pseudonyms=len(numbers),
    )


def privacy_note(nmap: NetworkMap) -> str:
    """One sentence for a report's method section: how its individuals are shown ("" when it has none).

    >>> privacy_note(NetworkMap("m", "M", actors=[Actor("a", "Ann", kind="individual")]))
    'The 1 individual on this map is shown by name, on request.'
    """
    count = sum(a.kind == "individual" for a in nmap.actors)
    if not count:
        return ""
    who = "The 1 individual on this map is" if count == 1 else f"The {count} individuals on this map are"
    if nmap.pseudonyms:
        return (f"{who} shown by pseudonym (\u201cIndividual N\u201d and their constituency) to protect their "
                "personal data; the workspace keeps their names, and --names shows them.")
    return f"{who} shown by name, on request."


# --------------------------------------------------------------------------- small counts

#: Count columns of the shared count tables, each with the columns that would give a hidden count
#: back (its share; the list of the actors counted), left blank with it.
SMALL_COUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "count": ("share",), "primary_count": ("primary_share",),  # constituencies.csv
    "organisations": ("org_share", "actors"), "led_by": (),  # community_coverage.csv
}


def check_threshold(threshold: int) -> int:
    """``threshold`` for :func:`suppress_small`, or a ValueError saying why it cannot be one."""
    if threshold < 1:
        raise ValueError(f"{threshold} is not a threshold: counts under N are hidden, so N must be 1 or more")
    return threshold


def is_small(count: object, threshold: int) -> bool:
    """Whether ``count`` is hidden under ``threshold``: 1 <= count < threshold (0 stays: an absence discloses no one).

    >>> [is_small(c, 5) for c in (0, 1, 4, 5)], is_small(3, 0)
    ([False, True, True, False], False)
    """
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        return False
    return bool(threshold) and 1 <= count < threshold


def suppress_small(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """A copy of a count table with each count under ``threshold`` shown as ``<N`` (what gives it back blank).

    Only the columns of :data:`SMALL_COUNT_COLUMNS` that ``frame`` has are touched; 0 is kept.

    >>> frame = pd.DataFrame({"count": [0, 2, 7], "share": [0.0, 20.0, 70.0], "label": ["a", "b", "c"]})
    >>> suppress_small(frame, 5).to_dict("list")
    {'count': [0, '<5', 7], 'share': [0.0, '', 70.0], 'label': ['a', 'b', 'c']}
    """
    out = frame.copy()
    if not threshold:
        return out
    for column, shares in SMALL_COUNT_COLUMNS.items():
        if column not in out.columns:
            continue
        small = [is_small(v, threshold) for v in frame[column]]
        out[column] = [f"<{threshold}" if s else v for s, v in zip(small, frame[column], strict=True)]
        for share in (s for s in shares if s in out.columns):
            out[share] = ["" if s else v for s, v in zip(small, frame[share], strict=True)]
    return out


def suppression_note(threshold: int) -> str:
    """One sentence for a report's method section: which counts were hidden ("" when none were).

    >>> suppression_note(5)[:60], suppression_note(1)
    ('Counts of 1 to 4 actors or organisations in the constituency', '')
    """
    if threshold < 2:
        return ""
    return (f"Counts of 1 to {threshold - 1} actors or organisations in the constituency and community coverage "
            f"are shown as \u201cfewer than {threshold}\u201d, never the number (--suppress-small {threshold}); "
            "a count of 0 is shown, since an absence discloses no one.")


def suppress_small_records(records: list[dict[str, object]], threshold: int) -> list[dict[str, object]]:
    """Rows of a count table as JSON objects, each count under ``threshold`` hidden: the JSON form of
    :func:`suppress_small`.

    A hidden count, and what would give it back (its share, the list of the actors counted), become
    ``null`` so every field keeps one JSON type (a number or null, a list or null), and each row
    gets ``"hidden"``: the fields it has nulled, in table order. 0 is kept. The rows passed in are
    not changed.

    >>> rows = [{"group": "a", "organisations": 0, "org_share": 0.0, "actors": []},
    ...         {"group": "b", "organisations": 2, "org_share": 25.0, "actors": ["v3", "f1"]}]
    >>> [(r["organisations"], r["org_share"], r["actors"], r["hidden"]) for r in suppress_small_records(rows, 5)]
    [(0, 0.0, [], []), (None, None, None, ['organisations', 'org_share', 'actors'])]
    """
    if not threshold:
        return [dict(row) for row in records]
    out = []
    for row in records:
        shown, hidden = dict(row), []
        for column, gives_back in SMALL_COUNT_COLUMNS.items():
            if column in row and is_small(row[column], threshold):
                hidden += [c for c in (column, *gives_back) if c in row and c not in hidden]
        for column in hidden:
            shown[column] = None
        shown["hidden"] = [c for c in row if c in hidden]
        out.append(shown)
    return out
