"""Reading the NHS Organisation Data Service (ODS) CSV extracts into register entries and workspace actors.

ODS publishes each kind of organisation as its own CSV file (``etr.csv`` NHS
trusts, ``ets.csv`` their sites, ``epraccur.csv`` GP practices and other
prescribing cost centres, ``eccg.csv`` sub-ICB locations, ...), with no header
row and the 27 columns of the ODS standard layout (see
``data/registers/ods.toml``). :func:`read_ods` streams the files line by line
(bounded memory, whatever their size) into :class:`RegisterEntry` records;
a malformed line (wrong number of columns, a bad date, an empty code or name)
is recorded as an :class:`RowProblem` with its file and line and skipped, and
closed organisations are skipped unless asked for. :func:`import_ods` turns
the entries into actors and ties and writes them into a workspace, all or
nothing. Which kind each file holds, the constituencies each kind gets and the
ties each relationship becomes are read from the editable mapping file.

>>> readable_name("LEEDS AND YORK PARTNERSHIP NHS FOUNDATION TRUST")
'Leeds and York Partnership NHS Foundation Trust'
>>> readable_name("ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST")
"St George's University Hospitals NHS Foundation Trust"
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.progress import SILENT, Progress, watched
from netmap.registers.entries import RegisterEntry, RowProblem, postcode_district

#: Columns of the ODS standard layout (0-based positions of those netmap reads).
WIDTH = 27
CODE, NAME, GROUPING, GEOGRAPHY = 0, 1, 2, 3
ADDRESS = range(4, 9)
POSTCODE, OPENED, CLOSED, STATUS, PARENT = 9, 10, 11, 12, 14
SETTING = 25
#: The column names used in messages, by position.
COLUMN_NAMES = {CODE: "Organisation Code", NAME: "Name", OPENED: "Open Date", CLOSED: "Close Date",
                SETTING: "Prescribing Setting"}
#: An ODS code: letters and digits (3 for a trust, 5 for a site, 6 for a practice ...).
_CODE = re.compile(r"^[A-Z0-9]{2,10}$")


@dataclass(frozen=True)
class OdsKind:
    """One kind of organisation of the mapping file (``[kinds.NAME]``)."""

    key: str
    label: str
    roles: tuple[str, ...] = ()
    constituencies: tuple[str, ...] = ()
    mental_health_constituencies: tuple[str, ...] = ()
    parent: str = ""  # the ODS relationship column 15 holds
    geography_parent: str = ""  # the ODS relationship column 4 holds
    prescribing_settings: tuple[str, ...] = ()


@dataclass(frozen=True)
class OdsMapping:
    """The editable mapping of ``data/registers/ods.toml``: files to kinds, kinds to constituencies."""

    path: Path
    source: str
    framework: str
    locality: str
    files: dict[str, str]
    kinds: dict[str, OdsKind]
    ties: dict[str, str]
    mental_health_codes: frozenset[str]
    mental_health_words: tuple[str, ...]
    upper: frozenset[str]
    lower: frozenset[str]

    def is_mental_health(self, code: str, name: str, parent: str = "") -> bool:
        """A trust (or a trust's site, by its parent) named a mental health provider by code or by name."""
        upper = name.upper()
        return (code in self.mental_health_codes or parent in self.mental_health_codes
                or any(word.upper() in upper for word in self.mental_health_words))


def default_mapping_path() -> Path:
    """``data/registers/ods.toml`` of this installation."""
    from netmap.resources import data_dir

    return data_dir() / "registers" / "ods.toml"


def _strings(path: Path, where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReferenceDataError(f"{path}, {where}: expected a list of texts")
    return tuple(value)


def _kind(path: Path, key: str, table: object) -> OdsKind:
    if not isinstance(table, dict):
        raise ReferenceDataError(f"{path}, [kinds.{key}]: expected a table")
    known = {"label", "roles", "constituencies", "mental_health_constituencies", "parent", "geography_parent",
             "prescribing_settings"}
    for name in table:
        if name not in known:
            raise ReferenceDataError(f"{path}, [kinds.{key}], '{name}': unknown setting "
                                     f"(settings: {', '.join(sorted(known))})")
    lists = {name: _strings(path, f"[kinds.{key}] {name}", table.get(name, []))
             for name in ("roles", "constituencies", "mental_health_constituencies", "prescribing_settings")}
    return OdsKind(key=key, label=str(table.get("label", key)), parent=str(table.get("parent", "")),
                   geography_parent=str(table.get("geography_parent", "")), **lists)


def _check_keys(path: Path, framework: str, kinds: dict[str, OdsKind]) -> None:
    """Every constituency the mapping gives is a key of its framework."""
    from netmap.reference import load_framework

    keys = {c.key for c in load_framework(framework, path.parent).constituencies}
    for kind in kinds.values():
        for key in (*kind.constituencies, *kind.mental_health_constituencies):
            if key not in keys:
                raise ReferenceDataError(f"{path}, [kinds.{kind.key}]: '{key}' is not a constituency of the "
                                         f"'{framework}' framework (keys: {', '.join(sorted(keys))})")


@lru_cache(maxsize=8)
def _load_mapping(path: Path) -> OdsMapping:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: not a valid TOML file: {exc}") from None
    kinds = {key: _kind(path, key, table) for key, table in dict(raw.get("kinds", {})).items()}
    files = {str(stem).lower(): str(kind) for stem, kind in dict(raw.get("files", {})).items()}
    for stem, kind in files.items():
        if kind not in kinds:
            raise ReferenceDataError(f"{path}, [files] {stem}: '{kind}' is not a kind of [kinds]")
    locality = str(raw.get("locality", "postcode_district"))
    if locality not in ("postcode_district", "geography", "none"):
        raise ReferenceDataError(f"{path}, locality: '{locality}' is not postcode_district, geography or none")
    framework = str(raw.get("framework", "whole-system"))
    _check_keys(path, framework, kinds)
    health = dict(raw.get("mental_health", {}))
    names = dict(raw.get("names", {}))
    return OdsMapping(
        path=path, source=str(raw.get("source", "nhs-ods-csv")), framework=framework, locality=locality,
        files=files, kinds=kinds, ties={str(k): str(v) for k, v in dict(raw.get("ties", {})).items()},
        mental_health_codes=frozenset(c.upper() for c in _strings(path, "[mental_health] codes",
                                                                  health.get("codes", []))),
        mental_health_words=_strings(path, "[mental_health] words", health.get("words", [])),
        upper=frozenset(w.upper() for w in _strings(path, "[names] upper", names.get("upper", []))),
        lower=frozenset(w.lower() for w in _strings(path, "[names] lower", names.get("lower", []))))


def load_mapping(path: str | Path | None = None) -> OdsMapping:
    """The ODS mapping file (default: ``data/registers/ods.toml``), checked against its framework.

    >>> load_mapping().kinds["gp_practice"].constituencies
    ('primary_care',)
    """
    return _load_mapping(Path(path).resolve() if path is not None else default_mapping_path())


@lru_cache(maxsize=65536)  # an extract repeats its words (LEEDS, SURGERY, ROAD) thousands of times
def _word(word: str, upper: frozenset[str], lower: frozenset[str], first: bool) -> str:
    if not any(ch.isalpha() for ch in word) or any(ch.isdigit() for ch in word):  # 15F, B12: codes stay
        return word
    core = word.strip("()[],.'\"")
    if core.upper() in upper:
        return word.upper()
    if "-" in word:  # BARROW-IN-FURNESS -> Barrow-in-Furness
        parts = word.split("-")
        return "-".join(_word(p, upper, lower, first and i == 0) for i, p in enumerate(parts))
    if not first and core.lower() in lower:
        return word.lower()
    if "." in core and len(core.replace(".", "")) <= 3:  # initials: J.S. stays J.S.
        return word.upper()
    head = len(word) - len(word.lstrip("(['\""))
    return word[:head] + word[head:].capitalize()


def readable_name(name: str, mapping: OdsMapping | None = None) -> str:
    """An upper-case ODS name in the case people write it; the mapping's ``[names]`` words keep their case.

    >>> readable_name("NHS WEST YORKSHIRE ICB - 15F")
    'NHS West Yorkshire ICB - 15F'
    >>> readable_name("THE DENSHAM SURGERY"), readable_name("BARROW-IN-FURNESS PCN")
    ('The Densham Surgery', 'Barrow-in-Furness PCN')
    """
    if any(ch.islower() for ch in name):  # already in mixed case: keep it as written
        return " ".join(name.split())
    m = mapping or load_mapping()
    words = name.split()
    return " ".join(_word(w, m.upper, m.lower, i == 0) for i, w in enumerate(words))


@dataclass
class OdsTally:
    """What reading ODS files found: rows read, skipped and why, and the problems."""

    read: int = 0
    closed: int = 0
    other_settings: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _date(text: str) -> str | None:
    """An ODS date (YYYYMMDD) as ISO, "" for none, None if it is not a real date."""
    if not text:
        return ""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def kind_of_file(path: Path, mapping: OdsMapping, kind: str | None = None) -> OdsKind:
    """The kind of organisation a file holds: by its name (``[files]``), else ``kind``."""
    key = mapping.files.get(path.stem.lower()) or kind
    if key is None:
        raise ReferenceDataError(f"{path}: netmap does not know which organisations this file holds (known "
                                 f"files: {', '.join(f'{s}.csv' for s in mapping.files)}): give --kind "
                                 f"({', '.join(mapping.kinds)})")
    if key not in mapping.kinds:
        raise ReferenceDataError(f"--kind {key}: not a kind of {mapping.path.name} "
                                 f"(kinds: {', '.join(mapping.kinds)})")
    return mapping.kinds[key]


def _cells(raw: bytes) -> list[str] | str:
    """The cells of one line (UTF-8, or Windows-1252 as older extracts are; quoted as published), or why not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        return next(csv.reader([text.rstrip("\r\n")]), [])
    except csv.Error as exc:  # a stray line break or quote inside a cell
        return f"not a CSV line: {exc}"


def _entry(cells: list[str], file: str, number: int, kind: OdsKind, mapping: OdsMapping,
           ) -> RegisterEntry | str:
    """The entry of one line, or the reason it is malformed."""
    if len(cells) != WIDTH:
        return f"{len(cells)} columns, not the {WIDTH} of the ODS standard layout"
    cells = [c.strip() for c in cells]
    code, name = cells[CODE].upper(), " ".join(cells[NAME].split())
    if not code:
        return f"column {CODE + 1} ({COLUMN_NAMES[CODE]}) is empty"
    if not _CODE.match(code):
        return f"column {CODE + 1} ({COLUMN_NAMES[CODE]}): '{code[:20]}' is not an ODS code (letters and digits)"
    if not name:
        return f"column {NAME + 1} ({COLUMN_NAMES[NAME]}) is empty"
    dates = {}
    for column in (OPENED, CLOSED):
        found = _date(cells[column])
        if found is None:
            return f"column {column + 1} ({COLUMN_NAMES[column]}): '{cells[column][:20]}' is not a date (YYYYMMDD)"
        dates[column] = found
    parent = cells[PARENT].upper()
    parents = []
    if kind.parent and parent:
        parents.append((kind.parent, parent))
    if kind.geography_parent and cells[GEOGRAPHY]:
        parents.append((kind.geography_parent, cells[GEOGRAPHY].upper()))
    mental = bool(kind.mental_health_constituencies) and mapping.is_mental_health(code, name, parent)
    postcode = " ".join(cells[POSTCODE].split()).upper()
    locality = {"postcode_district": postcode_district(postcode), "geography": cells[GEOGRAPHY].upper(),
                "none": ""}[mapping.locality]
    address = ", ".join(readable_name(c, mapping) for c in (cells[i] for i in ADDRESS) if c)
    attributes = {"kind": kind.key, "label": kind.label, "roles": " ".join(kind.roles), "address": address,
                  "open_date": dates[OPENED], "close_date": dates[CLOSED], "national_grouping": cells[GROUPING],
                  "geography": cells[GEOGRAPHY], "prescribing_setting": cells[SETTING], "file": file}
    return RegisterEntry("ods", code, readable_name(name, mapping), postcode=postcode, locality=locality,
                         constituencies=kind.mental_health_constituencies if mental else kind.constituencies,
                         parents=tuple(parents), attributes=attributes, line=number)


def _lines(path: Path, progress: Progress) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of a file, read a block at a time, with a bar for large files."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle, watched(progress, size_bytes=size).counter(
                f"Reading {path.name}", size) as advance:
            done = 0
            for number, raw in enumerate(handle, start=1):
                done += len(raw)
                if number % 2000 == 0:
                    advance(done)
                yield number, raw
            advance(size)
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_ods(paths: Iterable[str | Path], *, mapping: OdsMapping | None = None, kind: str | None = None,
             include_closed: bool = False, tally: OdsTally | None = None,
             progress: Progress = SILENT) -> Iterator[RegisterEntry]:
    """The organisations of ODS CSV extracts, one :class:`RegisterEntry` (register ``"ods"``) per good line.

    Malformed lines go into ``tally.problems`` with their file and line and
    are skipped; so are closed organisations (a close date), unless
    ``include_closed``, and epraccur's prescribing cost centres whose setting
    the kind does not list (walk-in centres, prisons, ...), each counted in
    ``tally``. A file that cannot be read, or whose kind is unknown, raises
    :class:`ReferenceDataError`. Blank lines are ignored.
    """
    mapping = mapping or load_mapping()
    tally = tally if tally is not None else OdsTally()
    for path in map(Path, paths):
        what = kind_of_file(path, mapping, kind)
        for number, raw in _lines(path, progress):
            if not raw.strip():
                continue
            cells = _cells(raw)
            found = cells if isinstance(cells, str) else _entry(cells, path.name, number, what, mapping)
            if isinstance(found, str):
                tally.problems.append(RowProblem(path.name, number, found))
                continue
            tally.read += 1
            if what.prescribing_settings and found.attributes["prescribing_setting"] not in what.prescribing_settings:
                tally.other_settings += 1
                continue
            if found.attributes["close_date"] and not include_closed:
                tally.closed += 1
                continue
            yield found


# --------------------------------------------------------------------------- entries into a workspace


@dataclass
class OdsImport:
    """What :func:`import_ods` did."""

    folder: Path
    added: int
    already: int
    ties: int
    tally: OdsTally
    created: bool

    def summary(self) -> str:
        t = self.tally
        parts = [f"{self.added} organisation{'' if self.added == 1 else 's'} added to {self.folder}"
                 f"{' (new workspace)' if self.created else ''}",
                 f"{self.ties} tie{'' if self.ties == 1 else 's'}"]
        if self.already:
            parts.append(f"{self.already} already there (same ODS code)")
        parts.append(f"{t.closed} closed skipped")
        if t.other_settings:
            parts.append(f"{t.other_settings} of another prescribing setting skipped")
        parts.append(f"{len(t.problems)} malformed line{'' if len(t.problems) == 1 else 's'} skipped")
        return "; ".join(parts) + "."


def _actor_cells(entry: RegisterEntry, actor_id: str, source: str, localities: dict[str, str] | None,
                 ) -> dict[str, str]:
    """The actors-table cells of one entry (column name -> text)."""
    locality = entry.locality
    if localities is not None:  # the workspace lists its localities: only one of them may be named
        locality = localities.get(locality.lower(), "")
    notes = f"{entry.attributes.get('label', '')}; {entry.attributes.get('address', '')}".strip("; ")
    return {"id": actor_id, "name": entry.name, "constituencies": "; ".join(entry.constituencies),
            "kind": "organisation", "led_by_community": "no", "lived_experience_led": "no", "locality": locality,
            "scale": "local", "source": f"{source}: {entry.attributes.get('file', '')} line {entry.line}",
            "notes": notes, "ods_code": entry.code, "postcode": entry.postcode}


def plan_actors(entries: Sequence[RegisterEntry], existing_ids: set[str], existing_codes: dict[str, str],
                mapping: OdsMapping, localities: dict[str, str] | None = None,
                ) -> tuple[list[dict[str, str]], list[dict[str, str]], int]:
    """The new actor rows, the new tie rows and how many entries are already in the workspace.

    ``existing_codes`` maps the ODS codes already in the workspace to their
    actor ids; an entry with one of them is not added again, but ties to and
    from it are made. Ids are made from the readable name, unique against
    ``existing_ids`` (a clash adds the ODS code).
    """
    from netmap.workspace.names import slugify

    taken = set(existing_ids)
    ids = dict(existing_codes)
    actors, already = [], 0
    for entry in entries:
        if entry.code in ids:
            already += entry.code in existing_codes
            continue
        base = slugify(entry.name)[:60].strip("-") or "organisation"
        actor_id = base if base not in taken else f"{base}-{entry.code.lower()}"
        n = 2
        while actor_id in taken:
            actor_id, n = f"{base}-{entry.code.lower()}-{n}", n + 1
        taken.add(actor_id)
        ids[entry.code] = actor_id
        actors.append(_actor_cells(entry, actor_id, mapping.source, localities))
    ties, seen = [], set()
    for entry in entries:
        for relationship, parent in entry.parents:
            tie_type = mapping.ties.get(relationship)
            if not tie_type or parent not in ids or parent == entry.code:
                continue
            a, b = (ids[parent], ids[entry.code]) if tie_type == "commissions" else (ids[entry.code], ids[parent])
            if (a, b, tie_type) not in seen:
                seen.add((a, b, tie_type))
                ties.append({"from": a, "to": b, "type": tie_type, "directed": "yes", "weight": "1",
                             "source": f"{mapping.source}: {entry.attributes.get('file', '')} line {entry.line}"})
    return actors, ties, already


def _localities(folder: Path) -> dict[str, str] | None:
    """The workspace's localities (key and name, lower case -> key), or None if it lists none."""
    try:
        raw = tomllib.loads((folder / "netmap.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    found = {}
    for loc in raw.get("localities", []) if isinstance(raw.get("localities"), list) else []:
        if isinstance(loc, dict) and isinstance(loc.get("key"), str):
            found[loc["key"].lower()] = loc["key"]
            if isinstance(loc.get("name"), str):
                found[loc["name"].lower()] = loc["key"]
    return found or None


def _write_new(folder: Path, mapping: OdsMapping, actors: list[dict[str, str]], ties: list[dict[str, str]]) -> None:
    from netmap.model import NetworkMap
    from netmap.workspace import COLUMNS, config_text, slugify, write_tables

    header = [*COLUMNS["actors"], "ods_code", "postcode"]
    nmap = NetworkMap(key=slugify(folder.resolve().name), name=folder.resolve().name, framework=mapping.framework)
    write_tables(folder, config_text(nmap), {
        "actors": (header, ([a.get(h, "") for h in header] for a in actors)),
        "ties": (COLUMNS["ties"], ([t.get(h, "") for h in COLUMNS["ties"]] for t in ties)),
        "spaces": (COLUMNS["spaces"], []), "memberships": (COLUMNS["memberships"], [])})


def import_ods(paths: Iterable[str | Path], out: str | Path, *, mapping: str | Path | None = None,
               kind: str | None = None, include_closed: bool = False, progress: Progress = SILENT) -> OdsImport:
    """Read ODS extracts and add their organisations to the CSV workspace ``out`` (created if missing).

    Into an existing workspace, an organisation whose ODS code an actor
    already holds (``ods_code``) is not added again; new actors and ties are
    appended to ``actors.csv`` and ``ties.csv`` and every row already there
    is kept as written (a missing ``ods_code`` or ``postcode`` column is
    added). Ties come from the parent columns of the entries whose parent is
    in the workspace or the import. Both files are replaced together or not
    at all; nothing is written when nothing is new.
    """
    from netmap.fileio import write_files_atomically
    from netmap.registers.match import read_raw_table
    from netmap.workspace import COLUMNS

    found = load_mapping(mapping)
    tally = OdsTally()
    entries = list(read_ods(paths, mapping=found, kind=kind, include_closed=include_closed, tally=tally,
                            progress=progress))
    folder = Path(out)
    if not (folder / "actors.csv").is_file():
        if folder.is_dir() and any(p.suffix.lower() in (".xlsx", ".xlsm") for p in folder.iterdir()):
            raise ReferenceDataError(f"{folder}: netmap import ods writes into a CSV workspace (actors.csv), and "
                                     "this one is a workbook: export it with 'netmap export --format csv'")
        actors, ties, already = plan_actors(entries, set(), {}, found)
        _write_new(folder, found, actors, ties)
        return OdsImport(folder, len(actors), already, len(ties), tally, created=True)
    actor_table = read_raw_table(folder / "actors.csv")
    tie_table = read_raw_table(folder / "ties.csv", COLUMNS["ties"])
    ids = {actor_table.cell(r, "id") for r in actor_table.rows}
    codes = {actor_table.cell(r, "ods_code").upper(): actor_table.cell(r, "id") for r in actor_table.rows
             if actor_table.cell(r, "ods_code")}
    actors, ties, already = plan_actors(entries, ids, codes, found, _localities(folder))
    known = {(tie_table.cell(r, "from"), tie_table.cell(r, "to"), tie_table.cell(r, "type")) for r in tie_table.rows}
    ties = [t for t in ties if (t["from"], t["to"], t["type"]) not in known]
    for actor in actors:
        actor_table.append(actor)
    for tie in ties:
        tie_table.append(tie)
    if actors or ties:
        write_files_atomically(folder, {"actors.csv": actor_table.text(), "ties.csv": tie_table.text()})
    return OdsImport(folder, len(actors), already, len(ties), tally, created=False)
