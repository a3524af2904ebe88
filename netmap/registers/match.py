"""Matching a workspace's actors to register entries (ODS, Charity Commission) by name and place.

Each actor gets at most one proposal: the register entry whose name is the
same once normalised (:func:`netmap.workspace.names.normalise_name`), or has
the same words in another order once stop words ("in", "the", "of", "and",
"ltd", "limited", "cio" ...) are dropped and abbreviations spelled out ("FT"
is "foundation trust"), or shares most of its words; an actor's aliases count
as its names. The place then decides: the same postcode district, or the
actor's locality in the entry's locality or address, agrees. A name found in
several places is proposed only where the place agrees; a place that
disagrees is never proposed. Confidence (0-1) is the name's score times the
place's weight, and the reason says both in words.

Proposals are written as CSV with an empty ``accept`` column; the accepted
rows (``y``, ``yes`` or ``x``) are written into the workspace's actors by
:func:`apply_proposals` as an ``ods_code`` or ``charity_number`` cell, and
nothing else changes.

>>> from netmap.model import Actor
>>> entries = [RegisterEntry("charities", "1012345", "SALFORD MIND", postcode="M6 5FX"),
...            RegisterEntry("charities", "1099999", "LEEDS MIND", postcode="LS7 3PD")]
>>> [p.code for p in propose([Actor("m", "Mind in Salford", locality="M6")], entries)]
['1012345']
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netmap.cells import neutralise, restore
from netmap.errors import WorkspaceError
from netmap.fileio import write_files_atomically
from netmap.model import Actor
from netmap.registers.entries import REGISTERS, RegisterEntry, postcode_district
from netmap.workspace.names import normalise_name

#: The actors column each register's code is written into.
CODE_COLUMNS: dict[str, str] = {"ods": "ods_code", "charities": "charity_number"}
#: Words that say nothing about which organisation a name is.
STOP_WORDS = frozenset({"in", "the", "of", "and", "for", "a", "an", "at", "on", "ltd", "limited", "cio", "cic",
                        "plc", "llp", "uk", "co"})
#: Abbreviations spelled out before names are compared.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ft": ("foundation", "trust"), "nhsft": ("nhs", "foundation", "trust"), "assoc": ("association",),
    "ctr": ("centre",), "center": ("centre",), "organization": ("organisation",), "org": ("organisation",),
    "st": ("saint",), "mh": ("mental", "health"), "univ": ("university",), "uni": ("university",),
    "grp": ("group",), "svcs": ("services",), "dr": ("doctor",), "drs": ("doctors",),
}
#: Name scores: the same normalised name, the same words in another order; a near name is its share of words.
SAME_NAME, SAME_WORDS = 1.0, 0.95
#: The least share of words (Jaccard) two names must have in common to be compared at all.
MIN_SHARE = 0.6
#: Confidence is the name score times: the place agrees, the actor has no place to compare, they differ.
PLACE_AGREES, PLACE_UNKNOWN, PLACE_DIFFERS = 1.0, 0.75, 0.0
#: Proposals below this confidence are not made.
MIN_CONFIDENCE = 0.5
#: A word in more register entries than this ("surgery", "trust") is too common to find candidates by.
COMMON_WORD = 2000
#: What a user types in ``accept`` to accept a proposal (any case); empty, n or no declines it.
ACCEPT, DECLINE = frozenset({"y", "yes", "x"}), frozenset({"", "n", "no"})
#: The columns of a proposals file, in order.
PROPOSAL_COLUMNS = ("accept", "actor", "actor_name", "actor_place", "register", "code", "register_name",
                    "register_place", "confidence", "reason")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?(\s*[0-9][A-Z]{2})?$")


def words(name: str) -> frozenset[str]:
    """The words of a name that tell it apart: normalised, abbreviations spelled out, stop words dropped.

    >>> sorted(words("Mind in Salford")) == sorted(words("SALFORD MIND"))
    True
    >>> sorted(words("Leeds & York Partnership NHS FT"))
    ['foundation', 'leeds', 'nhs', 'partnership', 'trust', 'york']
    """
    found: set[str] = set()
    for word in normalise_name(name).split():
        for part in ABBREVIATIONS.get(word, (word,)):
            if part not in STOP_WORDS:
                found.add(part)
    return frozenset(found)


@dataclass(frozen=True)
class Proposal:
    """One proposed match of an actor to a register entry."""

    actor: str
    actor_name: str
    actor_place: str
    entry: RegisterEntry
    confidence: float
    reason: str

    @property
    def code(self) -> str:
        return self.entry.code

    def row(self) -> list[str]:
        """The cells of its row in a proposals file (``PROPOSAL_COLUMNS``)."""
        e = self.entry
        place = ", ".join(p for p in (e.postcode, e.locality if e.locality != e.postcode_district else "") if p)
        return ["", self.actor, self.actor_name, self.actor_place, e.register, e.code, e.name, place,
                f"{self.confidence:.2f}", self.reason]


@dataclass
class MatchResult:
    """The proposals, and the actors left without one and why."""

    proposals: list[Proposal] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # actor ids: the same name in several places
    coded: int = 0  # actors that already hold a code of the register
    unmatched: int = 0


def _actor_place(actor: Actor) -> tuple[str, str]:
    """(postcode district, normalised locality) of an actor, either "" when it has none."""
    postcode = actor.attributes.get("postcode", "")
    district = postcode_district(postcode) if postcode else ""
    locality = actor.locality.strip()
    if not district and _POSTCODE.match(locality.upper()):
        district = postcode_district(locality)
    return district, normalise_name(locality)


def _place(actor: Actor, entry: RegisterEntry) -> tuple[float, str]:
    """How the places agree (a weight) and the words that say so.

    Two postcode districts are compared with each other; a locality name with
    the entry's locality, areas of operation and address. Anything else
    cannot be compared, which is not a disagreement.
    """
    district, locality = _actor_place(actor)
    if not district and not locality:
        return PLACE_UNKNOWN, "no place on the map to compare"
    if district and entry.postcode_district:
        if district == entry.postcode_district:
            return PLACE_AGREES, f"same postcode district {district}"
        return PLACE_DIFFERS, f"different place ({district} on the map, {entry.postcode_district} in the register)"
    where = {normalise_name(p) for p in (entry.locality, *getattr(entry, "areas", ()),
                                         *str(entry.attributes.get("address", "")).split(",")) if p.strip()}
    if locality and where:
        if locality in where or f" {locality} " in " " + " ".join(sorted(where)) + " ":
            return PLACE_AGREES, f"'{actor.locality}' is in its address or area"
        return PLACE_DIFFERS, f"different place ({actor.locality} on the map, not in its address or area)"
    theirs = f"postcode district {entry.postcode_district}" if entry.postcode_district else "no place"
    return PLACE_UNKNOWN, f"'{actor.locality or district}' on the map cannot be compared with {theirs} in the register"


class _Index:
    """Register entries by normalised name and by word, to find an actor's candidates quickly."""

    def __init__(self, entries: Iterable[RegisterEntry]) -> None:
        self.entries: list[RegisterEntry] = []
        self.words: list[frozenset[str]] = []
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_words: dict[frozenset[str], list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for entry in entries:
            i = len(self.entries)
            self.entries.append(entry)
            found = words(entry.name)
            self.words.append(found)
            for name in (entry.name, *entry.aliases):
                self.by_name[normalise_name(name)].append(i)
                self.by_words[words(name)].append(i)
            for word in found:
                self.by_word[word].append(i)

    def scores(self, names: Sequence[str]) -> dict[int, tuple[float, str]]:
        """Candidate entries of an actor with these names: position -> (name score, reason)."""
        best: dict[int, tuple[float, str]] = {}

        def offer(i: int, score: float, reason: str) -> None:
            if score > best.get(i, (0.0, ""))[0]:
                best[i] = (score, reason)

        for n, name in enumerate(names):
            alias = f" (its alias '{name}')" if n else ""
            for i in self.by_name.get(normalise_name(name), ()):
                offer(i, SAME_NAME, f"same name after normalising{alias}")
            mine = words(name)
            if not mine:
                continue
            for i in self.by_words.get(mine, ()):
                offer(i, SAME_WORDS, f"same words in another order{alias}")
            rare = [w for w in mine if len(self.by_word.get(w, ())) <= COMMON_WORD]
            for i in {i for w in rare for i in self.by_word.get(w, ())}:
                share = len(mine & self.words[i]) / len(mine | self.words[i])
                if share >= MIN_SHARE:
                    offer(i, round(0.9 * share, 2), f"similar name ({len(mine & self.words[i])} of "
                                                    f"{len(mine | self.words[i])} words shared){alias}")
        return best


def propose(actors: Iterable[Actor], entries: Iterable[RegisterEntry], register: str = "",
            result: MatchResult | None = None) -> list[Proposal]:
    """For each actor, the register entry it most likely is (at most one), best first.

    Actors that already hold a code of the register (``ods_code``,
    ``charity_number``) are left out. See the module's docstring for the rules.
    """
    result = result if result is not None else MatchResult()
    index = _Index(entries)
    register = register or (index.entries[0].register if index.entries else "")
    column = CODE_COLUMNS.get(register, "")
    for actor in actors:
        if column and actor.attributes.get(column, "").strip():
            result.coded += 1
            continue
        candidates = []
        for i, (score, name_reason) in index.scores([actor.name, *actor.aliases]).items():
            entry = index.entries[i]
            weight, place_reason = _place(actor, entry)
            candidates.append((round(score * weight, 2), score, weight, entry, f"{name_reason}; {place_reason}"))
        top_name = max((c[1] for c in candidates), default=0.0)
        named = [c for c in candidates if c[1] == top_name]
        if len({c[3].code for c in named}) > 1 and not any(c[2] == PLACE_AGREES for c in named):
            result.ambiguous.append(actor.id)
            continue
        good = sorted((c for c in candidates if c[0] >= MIN_CONFIDENCE), key=lambda c: (-c[0], c[3].code))
        if not good:
            result.unmatched += 1
            continue
        confidence, _, _, entry, reason = good[0]
        result.proposals.append(Proposal(actor.id, actor.name, actor.locality or actor.attributes.get("postcode", ""),
                                         entry, confidence, reason))
    result.proposals.sort(key=lambda p: (-p.confidence, p.actor))
    return result.proposals


def proposals_csv(proposals: Iterable[Proposal]) -> str:
    """The proposals file: one row per proposal, ``accept`` empty for the user to fill."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PROPOSAL_COLUMNS)
    for proposal in proposals:
        writer.writerow([neutralise(cell) for cell in proposal.row()])
    return out.getvalue()


# --------------------------------------------------------------------------- the actors table, cell for cell


def header_key(name: str) -> str:
    """A header cell as netmap reads it (``Ods Code`` -> ``ods_code``)."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


@dataclass
class RawTable:
    """A workspace CSV table as written, cell for cell, so that rewriting it changes only what is changed."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    newline: str = "\n"

    def column(self, name: str) -> int | None:
        keys = [header_key(h) for h in self.header]
        return keys.index(name) if name in keys else None

    def ensure_column(self, name: str) -> int:
        """The position of a column, added at the end (empty in every row) if missing."""
        at = self.column(name)
        if at is None:
            self.header.append(name)
            at = len(self.header) - 1
        for row in self.rows:
            row.extend([""] * (len(self.header) - len(row)))
        return at

    def cell(self, row: list[str], name: str) -> str:
        at = self.column(name)
        return restore(row[at]).strip() if at is not None and at < len(row) else ""

    def append(self, cells: Mapping[str, str]) -> None:
        """A new row from column name -> text; columns it names that the table lacks are added."""
        for name in cells:
            self.ensure_column(name)
        keys = [header_key(h) for h in self.header]
        self.rows.append([neutralise(cells.get(k, "")) for k in keys])

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


def read_raw_table(path: Path, default_header: Sequence[str] = ()) -> RawTable:
    """A CSV table as written (a missing file: an empty table with ``default_header``)."""
    if not path.is_file():
        return RawTable(path, list(default_header), [])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkspaceError(f"{path}: not UTF-8 text; run 'netmap validate' on the workspace") from None
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    try:
        table = [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise WorkspaceError(f"{path}: not a valid CSV file: {exc}") from None
    if not table:
        return RawTable(path, list(default_header), [], newline)
    return RawTable(path, table[0], table[1:], newline)


def workspace_actors(folder: Path) -> tuple[RawTable, list[Actor]]:
    """The actors table of a CSV workspace, and its actors (id, name, aliases, locality, extra cells)."""
    path = folder / "actors.csv"
    if not path.is_file():
        raise WorkspaceError(f"{folder}: no actors.csv: matching reads and writes a CSV workspace "
                             "(for a workbook, export it with 'netmap export --format csv')")
    table = read_raw_table(path)
    if table.column("id") is None or table.column("name") is None:
        raise WorkspaceError(f"{path}, row 1: the header needs the columns 'id' and 'name'")
    known = {"id", "name", "aliases", "locality"}
    actors = []
    for row in table.rows:
        cells = {header_key(h): restore(row[i]).strip() for i, h in enumerate(table.header) if i < len(row)}
        if cells.get("id") and cells.get("name"):
            aliases = tuple(a.strip() for a in cells.get("aliases", "").split(";") if a.strip())
            actors.append(Actor(cells["id"], cells["name"], aliases=aliases, locality=cells.get("locality", ""),
                                attributes={k: v for k, v in cells.items() if k not in known and v}))
    return table, actors


def _accepted(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The accepted rows of a proposals file, with their row numbers; a bad ``accept`` cell is an error."""
    table = read_raw_table(path)
    missing = [c for c in ("accept", "actor", "actor_name", "register", "code") if table.column(c) is None]
    if missing:
        raise WorkspaceError(f"{path}, row 1: not a proposals file of 'netmap match' (no column "
                             f"'{missing[0]}')")
    found = []
    for number, row in enumerate(table.rows, start=2):
        cells = {c: table.cell(row, c) for c in PROPOSAL_COLUMNS}
        answer = cells["accept"].lower()
        if answer in DECLINE:
            continue
        if answer not in ACCEPT:
            raise WorkspaceError(f"{path}, row {number}, column 'accept': '{cells['accept']}' is not y, yes or x "
                                 "(leave it empty to decline)")
        found.append((number, cells))
    return found


@dataclass(frozen=True)
class Applied:
    """What :func:`apply_proposals` did."""

    path: Path
    written: int
    already: int
    columns: tuple[str, ...]


def apply_proposals(folder: str | Path, proposals: str | Path) -> Applied:
    """Write the accepted codes of a proposals file into the workspace's ``actors.csv``.

    Only the code cells of the accepted actors change (a column is added if
    the table has none). Running it again changes nothing. A row whose actor
    is no longer in the workspace, has another name now, or already holds
    another code, is a :class:`WorkspaceError` naming the row, and nothing is written.
    """
    folder, proposals = Path(folder), Path(proposals)
    table, _ = workspace_actors(folder)
    rows = {table.cell(row, "id"): row for row in table.rows}
    changes: dict[tuple[str, str], tuple[str, int]] = {}  # (actor, column) -> (code, proposals row)
    already = 0
    for number, cells in _accepted(proposals):
        where = f"{proposals}, row {number}"
        register, code, actor = cells["register"], cells["code"].strip(), cells["actor"]
        if register not in REGISTERS:
            raise WorkspaceError(f"{where}, column 'register': '{register}' is not a register ({', '.join(REGISTERS)})")
        if not re.fullmatch(r"[A-Za-z0-9-]{1,20}", code):
            raise WorkspaceError(f"{where}, column 'code': '{code}' is not a register code")
        row = rows.get(actor)
        if row is None:
            raise WorkspaceError(f"{where}: actor '{actor}' is not in {table.path} any more: run 'netmap match' again")
        if table.cell(row, "name") != cells["actor_name"]:
            raise WorkspaceError(f"{where}: actor '{actor}' is now called '{table.cell(row, 'name')}', not "
                                 f"'{cells['actor_name']}': run 'netmap match' again")
        column = CODE_COLUMNS[register]
        held = table.cell(row, column)
        other = held or changes.get((actor, column), ("", 0))[0]
        if other and other != code:
            raise WorkspaceError(f"{where}: actor '{actor}' already has {column} {other}, not {code}: clear "
                                 "one of them first")
        if held == code:
            already += 1
            continue
        changes[(actor, column)] = (code, number)
    for (actor, column), (code, _) in changes.items():
        at = table.ensure_column(column)
        rows[actor][at] = code
    if changes:
        write_files_atomically(folder, {"actors.csv": table.text()})
    return Applied(table.path, len(changes), already, tuple(sorted({c for _, c in changes})))
