"""Parsing and validating the rows of the actors, ties, spaces and memberships tables into the model.

Every bad cell is reported (file, row, column, code) and the row is kept
where it still makes sense, so one run shows every problem.

A large table is checked column by column first: each distinct cell of a
column is read once, by the code that reads a row, and a row all of whose
cells read without a problem becomes an actor or tie directly. Every other
row is read row by row, in its place, so the problems come in the same order,
with the same words, as if every row had been read on its own.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from netmap.model import (
    ACTOR_KINDS,
    KNOWN_TIE_TYPES,
    MEMBERSHIP_ROLES,
    SCALES,
    SPACE_KINDS,
    Actor,
    Framework,
    Membership,
    Space,
    Tie,
    is_identifier,
    split_list,
    tie_is_directed,
)
from netmap.reference import census_groups
from netmap.workspace.config import WorkspaceConfig
from netmap.workspace.names import NameIndex, likely_duplicates, normalise_name, slugify
from netmap.workspace.problems import ValidationReport, visible
from netmap.workspace.tables import COLUMNS, Table
from netmap.workspace.tie_columns import clean_ties
from netmap.workspace.values import (
    ID_PATTERN,
    MADE_ID_LENGTH,
    UNREAD,
    RowReader,
    id_problem,
    read_distinct,
    suggested_id,
    unique_id,
)

#: A name longer than this is reported: no organisation's name is so long, a paste by mistake may be.
LONG_NAME = 250


@dataclass
class Vocabulary:
    """The keys cells may use: the framework's constituencies, Census groups, the configured localities."""

    framework: Framework | None
    constituency_lookup: dict[str, str]
    community_lookup: dict[str, str]
    localities: set[str]

    @classmethod
    def build(cls, framework: Framework | None, config: WorkspaceConfig) -> Vocabulary:
        constituencies: dict[str, str] = {}
        if framework is not None:
            for c in framework.constituencies:
                constituencies[normalise_name(c.key)] = c.key
                constituencies[normalise_name(c.label)] = c.key
        communities: dict[str, str] = {}
        for g in census_groups().values():
            for name in (g.key, g.name, g.ons_name):
                if name:
                    communities.setdefault(normalise_name(name), g.key)
        return cls(framework, constituencies, communities, {loc.key for loc in config.localities})


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _locality(r: RowReader, vocab: Vocabulary) -> str:
    locality = r.text("locality")
    if locality and vocab.localities and locality not in vocab.localities:
        r.error("locality", f"unknown locality '{locality}' (netmap.toml lists: "
                f"{', '.join(sorted(vocab.localities))})", "unknown_locality")
    return locality


def _comma_split(item: str, find: Callable[[str], str | None]) -> list[str] | None:
    """What ``item`` names when split at commas into pieces that are all known, else None.

    A piece may itself hold commas (a label such as "Arts, culture and heritage"), so every
    way of joining neighbouring parts is tried and the longest known pieces win.

    >>> known = {"arts": "a", "arts, culture": "ac", "faith": "f"}
    >>> _comma_split("arts, culture, faith", known.get), _comma_split("arts, nope", known.get)
    (['ac', 'f'], None)
    """
    parts = [part.strip() for part in item.split(",") if part.strip()]
    found: list[list[str] | None] = [[]] + [None] * len(parts)  # found[i]: the keys of parts[:i]
    for end in range(1, len(parts) + 1):
        for start in range(end):
            head = found[start]
            key = find(", ".join(parts[start:end])) if head is not None else None
            if key is not None:
                found[end] = [*head, key]
                break
    keys = found[-1]
    return keys if keys is not None and len(keys) > 1 else None


def _listed(r: RowReader, column: str, find: Callable[[str], str | None]) -> tuple[list[str], list[str]]:
    """The keys a ';'-separated cell names, and its items that name none.

    An item that names nothing as a whole but is a comma-separated list of known keys is
    split, with a warning: commas are what people type, ';' is what netmap expects.
    """
    keys: list[str] = []
    unknown: list[str] = []
    text = r.text(column)
    if not text:
        return keys, unknown
    for item in split_list(text):
        key = find(item)
        found = [key] if key is not None else _comma_split(item, find)
        if found is None:
            unknown.append(item)
            continue
        if len(found) > 1:
            r.warning(column, f"'{item}' is separated by commas: read as '{'; '.join(found)}' "
                      "(separate several with ';')", "comma_list")
        keys += [k for k in found if k not in keys]
    return keys, unknown


def _comma_hint(item: str) -> str:
    return "; if these are several, separate them with ';'" if "," in item else ""


def _constituencies(r: RowReader, vocab: Vocabulary) -> list[str]:
    keys, unknown = _listed(r, "constituencies", lambda item: vocab.constituency_lookup.get(normalise_name(item)))
    if vocab.framework is None:  # nothing to check against: keep them as written
        return keys + [item for item in unknown if item not in keys]
    for item in unknown:
        r.error("constituencies", f"unknown constituency '{item}' in framework '{vocab.framework.key}'"
                f"{_did_you_mean(item, vocab.framework.keys)}{_comma_hint(item)}", "unknown_constituency")
    return keys


def _communities(r: RowReader, vocab: Vocabulary) -> list[str]:
    keys, unknown = _listed(r, "communities", lambda item: vocab.community_lookup.get(normalise_name(item)))
    for item in unknown:
        r.error("communities", f"unknown community '{item}'{_did_you_mean(item, census_groups())}: "
                f"use a Census 2021 group key such as 'caribbean' or 'black'{_comma_hint(item)}", "unknown_community")
    return keys


def _id_and_name(r: RowReader, taken: set[str]) -> tuple[str, str]:
    """A row's id (made from its name when blank) and its name (required)."""
    row_id = _row_id(r, r.text("name"), taken)
    name = r.required("name")
    if len(name) > LONG_NAME:
        r.warning("name", f"the name is {len(name):,} characters long ('{visible(name[:40])}\u2026'), far longer than "
                  "an organisation's name: was something pasted into it by mistake?", "long_text")
    return row_id, name


def _row_id(r: RowReader, name: str, taken: set[str]) -> str:
    """The row's id as written (checked), or, if it is empty, one made from its name, unique among ``taken``.

    Ids are letters, digits, '-', '_' and '.', so that they read the same in every file, link
    and database; a made id is added to ``taken``.
    """
    row_id = r.text("id")
    if not row_id:
        if not name:
            return r.required("id")
        row_id = unique_id(slugify(name)[:MADE_ID_LENGTH].strip("-") or "actor", taken)
        taken.add(row_id)
        r.warning("id", f"'id' is empty: '{name}' gets the id '{row_id}'", "generated_id")
    elif problem := id_problem(row_id):
        r.error("id", f"id '{visible(row_id)}' {problem}: write '{suggested_id(row_id, taken)}', "
                "or leave it empty to have one made from the name", "bad_id")
    return row_id


def parse_actors(table: Table, vocab: Vocabulary, report: ValidationReport,
                 first_row: dict[str, int]) -> list[Actor]:
    """Actors of the table; ``first_row`` is filled with the row of each id."""
    actors: list[Actor] = []
    known = set(COLUMNS["actors"])
    extras = [h for h in table.header if h and h not in known]
    taken = {cell.strip() for cell in table.column("id")}
    for k, (number, actor) in enumerate(zip(table.numbers, _clean_actors(table, vocab, extras), strict=True)):
        if actor is not None and actor.id not in first_row:
            first_row[actor.id] = number
            actors.append(actor)
            continue
        cells = table.row(k)
        actor = _actor_of_row(RowReader(report, table.file, number, cells), vocab, taken, first_row, extras)
        if actor is not None:
            actors.append(actor)
    return actors


def _actor_of_row(r: RowReader, vocab: Vocabulary, taken: set[str], first_row: dict[str, int],
                  extras: list[str]) -> Actor | None:
    """The actor of one row, every problem of it reported; None if it has no id or name, or a repeated id."""
    actor_id, name = _id_and_name(r, taken)
    if actor_id:
        if actor_id in first_row:
            r.error("id", f"duplicate id '{actor_id}' (first used on row {first_row[actor_id]})", "duplicate_id")
            return None
        first_row[actor_id] = r.row
    constituencies = _constituencies(r, vocab)
    communities = _communities(r, vocab)
    locality = _locality(r, vocab)
    cells = r.cells
    actor = Actor(
        id=actor_id, name=name, constituencies=tuple(constituencies),
        aliases=split_list(r.text("aliases")),
        kind=r.choice("kind", ACTOR_KINDS, "organisation"),
        communities=tuple(communities),
        led_by_community=r.boolean("led_by_community"),
        lived_experience_led=r.boolean("lived_experience_led"),
        locality=locality, scale=r.choice("scale", SCALES, "local"),
        source=r.text("source"), notes=r.text("notes"),
        attributes={h: cells.get(h, "") for h in extras if cells.get(h, "")},
    )
    if not (actor_id and name):
        return None
    if not actor.constituencies and vocab.framework is not None:
        r.warning("constituencies", f"'{name}' has no constituency: it will count as unclassified", "unclassified")
    return actor


def _distinct(table: Table, column: str, read: Callable[[RowReader], object]) -> Iterator[object]:
    """The column's cells as ``read`` reads them (:func:`read_distinct`), row by row."""
    cells = table.column(column)
    return map(read_distinct(cells, column, read).__getitem__, cells)


def _clean_actors(table: Table, vocab: Vocabulary, extras: list[str]) -> Iterator[Actor | None]:
    """For each row, its actor if no cell of it has anything to report, else None (read row by row)."""
    columns = [
        map(str.strip, table.column("id")), map(str.strip, table.column("name")),
        _distinct(table, "constituencies", lambda r: tuple(_constituencies(r, vocab))),
        _distinct(table, "aliases", lambda r: split_list(r.text("aliases"))),
        _distinct(table, "kind", lambda r: r.choice("kind", ACTOR_KINDS, "organisation")),
        _distinct(table, "communities", lambda r: tuple(_communities(r, vocab))),
        _distinct(table, "led_by_community", lambda r: r.boolean("led_by_community")),
        _distinct(table, "lived_experience_led", lambda r: r.boolean("lived_experience_led")),
        _distinct(table, "locality", lambda r: _locality(r, vocab)),
        _distinct(table, "scale", lambda r: r.choice("scale", SCALES, "local")),
        map(str.strip, table.column("source")), map(str.strip, table.column("notes")),
    ]
    extra_cells = [table.column(h) for h in extras]
    unclassified_warned = vocab.framework is not None
    for k, values in enumerate(zip(*columns, strict=True)):
        actor_id, name, constituencies = values[0], values[1], values[2]
        if (UNREAD in values or not actor_id or not name or len(name) > LONG_NAME or not ID_PATTERN.match(actor_id)
                or (unclassified_warned and not constituencies)):
            yield None
            continue
        attributes = {h: cells[k] for h, cells in zip(extras, extra_cells, strict=True) if cells[k]}
        yield Actor(actor_id, name, *values[2:], attributes=attributes)


def resolve(r: RowReader, column: str, index: NameIndex, what: str = "actor",
            code: str = "unknown_actor") -> str | None:
    """The id a required cell refers to; None (reported with ``code``) if it is empty or unknown."""
    ref = r.required(column)
    if not ref:
        return None
    found = index.resolve(ref)
    if found is None:
        r.error(column, f"unknown {what} '{ref}': no {what} has this id or name", code)
    return found


def _reporters(r: RowReader, index: NameIndex) -> tuple[str, ...]:
    reporters, unknown = _listed(r, "reported_by", index.resolve)
    for ref in unknown:
        r.error("reported_by", f"unknown actor '{ref}': no actor has this id or name{_comma_hint(ref)}",
                "unknown_actor")
    return tuple(reporters)


def parse_ties(table: Table, index: NameIndex, report: ValidationReport) -> list[Tie]:
    """Ties of the table; a tie given twice is merged (its reporters joined)."""
    clean, keys = clean_ties(table, index)
    if None not in keys and len(set(keys)) == len(keys):  # every row a tie, none twice: nothing to report
        return clean  # type: ignore[return-value]
    ties: dict[tuple[str, str, str], Tie] = {}
    first_row: dict[tuple[str, str, str], int] = {}
    for k, (number, tie, key) in enumerate(zip(table.numbers, clean, keys, strict=True)):
        if tie is None:
            tie = _tie_of_row(RowReader(report, table.file, number, table.row(k)), index)
            if tie is None:
                continue
            key = tie.key
        if key in ties:
            # The same tie reported twice (often once by each end): keep one, note who reported it.
            previous = ties[key]
            merged = tuple(dict.fromkeys(previous.reported_by + tie.reported_by))
            ties[key] = dataclasses.replace(previous, reported_by=merged)
            report.warning(table.file, f"repeats the {tie.type} tie between '{tie.from_id}' and '{tie.to_id}' of "
                           f"row {first_row[key]}; merged", number, "from", "duplicate_tie")
            continue
        ties[key] = tie
        first_row[key] = number
    return list(ties.values())


def _tie_of_row(r: RowReader, index: NameIndex) -> Tie | None:
    """The tie of one row, every problem of it reported; None if it is not a tie between two known actors."""
    a = resolve(r, "from", index)
    b = resolve(r, "to", index)
    tie_type = r.text("type").lower().replace(" ", "_").replace("-", "_") or "partnership"
    if not is_identifier(tie_type):
        r.error("type", f"tie type '{r.text('type')}' must be a word of letters, digits and '_'", "bad_tie_type")
        return None
    if tie_type not in KNOWN_TIE_TYPES:
        r.warning("type", f"tie type '{tie_type}' is not one netmap knows "
                  f"({', '.join(KNOWN_TIE_TYPES)}); kept as is", "unknown_tie_type")
    directed = r.boolean("directed") if r.text("directed") else tie_is_directed(tie_type)
    weight = r.number("weight", 1.0, positive=True)
    trust = r.number("trust", None, 1, 4)
    value = r.number("value", None, 1, 4)
    since, until = r.dates()
    reporters = _reporters(r, index)
    if a is None or b is None:
        return None
    if a == b:
        r.warning("to", f"a tie from '{a}' to itself is ignored", "self_tie")
        return None
    return Tie(from_id=a, to_id=b, type=tie_type, directed=directed, weight=weight or 1.0, trust=trust,
               value=value, since=since, until=until, reported_by=reporters,
               source=r.text("source"), notes=r.text("notes"))


def parse_spaces(table: Table, vocab: Vocabulary, report: ValidationReport) -> list[Space]:
    """Spaces of the table; a repeated id is reported and its row ignored."""
    spaces: list[Space] = []
    first_row: dict[str, int] = {}
    taken = {cells.get("id", "").strip() for _, cells in table.rows}
    for number, cells in table.rows:
        r = RowReader(report, table.file, number, cells)
        space_id, name = _id_and_name(r, taken)
        if space_id in first_row:
            r.error("id", f"duplicate id '{space_id}' (first used on row {first_row[space_id]})", "duplicate_id")
            continue
        locality = _locality(r, vocab)
        kind = r.choice("kind", SPACE_KINDS, "forum")
        since, until = r.dates()
        if space_id and name:
            first_row[space_id] = number
            spaces.append(Space(space_id, name, kind, locality, since, until, r.text("source"), r.text("notes")))
    return spaces


def parse_memberships(table: Table, index: NameIndex, spaces: list[Space],
                      report: ValidationReport) -> list[Membership]:
    """Memberships of the table, of actors (``index``) in ``spaces``; a repeat is ignored."""
    space_index = NameIndex(Actor(id=s.id, name=s.name) for s in spaces)
    memberships: dict[tuple[str, str], Membership] = {}
    for number, cells in table.rows:
        r = RowReader(report, table.file, number, cells)
        actor = resolve(r, "actor", index)
        space = resolve(r, "space", space_index, what="space", code="unknown_space")
        role = r.choice("role", MEMBERSHIP_ROLES, "member")
        since, until = r.dates()
        if actor is None or space is None:
            continue
        if (actor, space) in memberships:
            r.warning("actor", f"'{actor}' is already a member of '{space}'; row ignored", "duplicate_membership")
            continue
        memberships[(actor, space)] = Membership(actor, space, role, since, until, r.text("source"))
    return list(memberships.values())


def report_duplicates(actors: list[Actor], report: ValidationReport, table: Table, rows: dict[str, int]) -> None:
    """Warn about actors that look like the same organisation (see :func:`likely_duplicates`)."""
    column = "label" if "label" in table.header else "name"
    for i, j, score, matched in likely_duplicates(actors):
        a, b = actors[i], actors[j]
        if score < 1.0:
            how = f"a very similar name ({score:.0%})"
        else:
            how = "the same name" if matched == b.name else f"the same name as its alias '{matched}'"
        report.warning(table.file, f"'{b.name}' ({b.id}) may be a duplicate of '{a.name}' ({a.id}) on row "
                       f"{rows.get(a.id, '?')}: {how}", rows.get(b.id), column, "likely_duplicate")
