"""Read, validate and write workspaces (the folders a convenor edits in Excel).

Data problems are collected into a :class:`ValidationReport` rather than
raised one by one, so a person sees every problem at once with the file,
row and column it is in. :func:`read_workspace` raises
:class:`~netmap.errors.WorkspaceError` (carrying the report) only when the
report has errors.

>>> from netmap.resources import sites_dir
>>> nmap = read_workspace(sites_dir() / "leeds")
>>> nmap.key, len(nmap.actors) > 0
('leeds', True)
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from netmap.errors import ReferenceDataError, WorkspaceError
from netmap.fileio import csv_text, write_files_atomically
from netmap.model import (
    ACTOR_KINDS,
    KNOWN_TIE_TYPES,
    MEMBERSHIP_ROLES,
    SCALES,
    SPACE_KINDS,
    Actor,
    Framework,
    Locality,
    Membership,
    NetworkMap,
    Space,
    Tie,
    is_identifier,
    split_list,
    tie_is_directed,
)
from netmap.reference import census_groups, load_framework, population_profiles, resolve_framework

CONFIG_FILE = "netmap.toml"
CONFIG_KEYS = frozenset({"map", "name", "framework", "snapshot", "ego", "description", "data", "localities"})
TABLES = ("actors", "ties", "spaces", "memberships")
SHEET_NAMES = {"actors": "Actors", "ties": "Ties", "spaces": "Spaces", "memberships": "Memberships"}

ACTOR_COLUMNS = ("id", "name", "constituencies", "aliases", "kind", "communities", "led_by_community",
                 "lived_experience_led", "locality", "scale", "source", "notes")
TIE_COLUMNS = ("from", "to", "type", "directed", "weight", "trust", "value", "since", "until",
               "reported_by", "source", "notes")
SPACE_COLUMNS = ("id", "name", "kind", "locality", "since", "until", "source", "notes")
MEMBERSHIP_COLUMNS = ("actor", "space", "role", "since", "until", "source")
COLUMNS = {"actors": ACTOR_COLUMNS, "ties": TIE_COLUMNS, "spaces": SPACE_COLUMNS,
           "memberships": MEMBERSHIP_COLUMNS}
REQUIRED = {"actors": ("id", "name"), "ties": ("from", "to"), "spaces": ("id", "name"),
            "memberships": ("actor", "space")}

# Fuzzy duplicate search is quadratic; above this many actors only exact
# (normalised) name matches are reported.
FUZZY_DUPLICATE_LIMIT = 3000
# Keep reports readable (and memory bounded) on huge broken files.
MAX_PROBLEMS_PER_FILE = 500

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MAP_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Problem:
    """One data problem: where it is and why it is a problem."""

    severity: str  # "error" or "warning"
    file: str
    message: str
    row: int | None = None  # spreadsheet row number: the header is row 1
    column: str | None = None
    code: str = ""

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message}"

    def to_dict(self) -> dict:
        return {"severity": self.severity, "file": self.file, "row": self.row, "column": self.column,
                "code": self.code, "message": self.message}


@dataclass
class ValidationReport:
    """Every problem found in a workspace. ``ok`` is False if any is an error."""

    workspace: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    omitted: int = 0
    omitted_errors: int = 0
    _per_file: dict[str, int] = field(default_factory=dict, repr=False)

    def add(self, severity: str, file: str, message: str, row: int | None = None,
            column: str | None = None, code: str = "") -> None:
        if self._per_file.get(file, 0) >= MAX_PROBLEMS_PER_FILE:
            self.omitted += 1
            self.omitted_errors += severity == "error"
            return
        self._per_file[file] = self._per_file.get(file, 0) + 1
        self.problems.append(Problem(severity, file, message, row, column, code))

    def error(self, file: str, message: str, row: int | None = None, column: str | None = None,
              code: str = "") -> None:
        self.add("error", file, message, row, column, code)

    def warning(self, file: str, message: str, row: int | None = None, column: str | None = None,
                code: str = "") -> None:
        self.add("warning", file, message, row, column, code)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.omitted_errors

    def summary(self) -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if not self.problems:
            return f"{self.workspace}: valid ({self._counts_text()})"
        more = f" ({self.omitted} more not shown)" if self.omitted else ""
        return f"{self.workspace}: {n_err} error(s), {n_warn} warning(s){more}"

    def _counts_text(self) -> str:
        return ", ".join(f"{n} {name}" for name, n in self.counts.items())

    def to_dict(self) -> dict:
        return {"workspace": self.workspace, "valid": self.ok, "errors": len(self.errors),
                "warnings": len(self.warnings), "omitted": self.omitted, "counts": self.counts,
                "problems": [p.to_dict() for p in self.problems]}


# --------------------------------------------------------------------------- names


def normalise_name(name: str) -> str:
    """A form of a name that ignores case, accents, spacing and punctuation.

    >>> normalise_name("  The Leeds  GATE! ") == normalise_name("leeds gate")
    True
    >>> normalise_name("Health & Social Care") == normalise_name("health and social care")
    True
    """
    text = str(name)
    if text.isascii():  # most names: no accents to strip
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text).casefold()
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ")
    text = re.sub(r"['\u2019.]", "", text)  # "St Mary's" = "St Marys", "C.C.G." = "CCG"
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"[\s_]+", " ", text).strip()
    return text.removeprefix("the ")


def slugify(name: str) -> str:
    """A readable id from a name.

    >>> slugify("Leeds & York Partnership NHS FT")
    'leeds-and-york-partnership-nhs-ft'
    """
    return re.sub(r"[^a-z0-9]+", "-", normalise_name(name)).strip("-") or "actor"


class NameIndex:
    """Finds actors by id, name or alias, tolerant of case and punctuation."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        for actor in actors:
            self.ids.add(actor.id)
            for name in (actor.id, actor.name, *actor.aliases):
                self.by_name.setdefault(normalise_name(name), actor.id)

    def resolve(self, ref: str) -> str | None:
        """The actor id a cell refers to, or None."""
        if ref in self.ids:
            return ref
        return self.by_name.get(normalise_name(ref))


def likely_duplicates(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """Pairs of actor positions whose names (or aliases) look like the same organisation.

    Each pair comes once, as ``(i, j, score, matched)``: exact matches after
    :func:`normalise_name` score 1.0 and ``matched`` is the shared name; for
    up to ``FUZZY_DUPLICATE_LIMIT`` actors, near matches of the main names
    (difflib ratio >= 0.92) are reported too. Complexity: O(n) exact,
    O(n^2) fuzzy.

    >>> likely_duplicates([Actor("a", "Leeds C.C.G."), Actor("b", "Leeds CCG")])
    [(0, 1, 1.0, 'Leeds CCG')]
    """
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    seen: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for name in (actor.name, *actor.aliases):
            norm = normalise_name(name)
            if not norm:
                continue
            first = seen.setdefault(norm, i)
            if first != i:
                pairs.setdefault((first, i), (1.0, name))
    if len(actors) <= FUZZY_DUPLICATE_LIMIT:
        names = [normalise_name(a.name) for a in actors]
        matcher = difflib.SequenceMatcher(autojunk=False)
        for j in range(len(names)):
            matcher.set_seq2(names[j])
            for i in range(j):
                if (i, j) in pairs or not names[i] or not names[j]:
                    continue
                if abs(len(names[i]) - len(names[j])) > 0.2 * max(len(names[i]), len(names[j])):
                    continue
                matcher.set_seq1(names[i])
                if matcher.real_quick_ratio() < 0.92 or matcher.quick_ratio() < 0.92:
                    continue
                ratio = matcher.ratio()
                if ratio >= 0.92:
                    pairs[(i, j)] = (round(ratio, 2), actors[j].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]


# --------------------------------------------------------------------------- raw tables


@dataclass
class Table:
    """Rows of one sheet, with header names normalised and row numbers kept."""

    file: str  # name shown to the user, e.g. "actors.csv" or "partners.xlsx [Actors]"
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    book: str = ""  # the workbook's file name, for sheets of a workbook


#: Sheets netmap reads from a workbook (others, such as notes or lists, are ignored).
KNOWN_SHEETS = ("actors", "ties", "spaces", "memberships", "elements", "connections")


def _norm_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def _cell(value: object) -> str:
    if type(value) is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


def _table_from_rows(file: str, raw_rows: Iterator[list], report: ValidationReport) -> Table | None:
    header_raw: list | None = None
    header_row = 0
    for header_row, values in enumerate(raw_rows, start=1):  # noqa: B007 - the row number is used below
        if any(_cell(v) for v in values):
            header_raw = values
            break
    if header_raw is None:
        report.error(file, "file is empty: expected a header row", row=1, code="empty_file")
        return None
    header = [_norm_header(h) for h in header_raw]
    if len(header) == 1 and ";" in header[0]:
        report.error(file, "the columns are separated by ';': save the file as 'CSV UTF-8 (comma delimited)'",
                     row=header_row, code="semicolons")
        return None
    rows = []
    for number, values in enumerate(raw_rows, start=header_row + 1):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        extra = [c for i, c in enumerate(cells) if c and (i >= len(header) or not header[i])]
        if extra:
            report.warning(file, f"{len(extra)} cell(s) outside the named columns ignored (first: '{extra[0]}'); "
                                 "quote cells that contain commas", row=number, code="extra_cells")
        rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return Table(file, header, rows)


def read_csv_table(path: Path, report: ValidationReport) -> Table | None:
    """Read a CSV file; problems (empty, not UTF-8, malformed) go into the report."""
    file = path.name
    data = path.read_bytes()
    if not data.strip():
        report.error(file, "file is empty: expected a header row", row=1, code="empty_file")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(file, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}); "
                           "save it as 'CSV UTF-8' and try again", row=line, code="encoding")
        return None
    try:
        return _table_from_rows(file, iter(csv.reader(io.StringIO(text, newline=""))), report)
    except csv.Error as exc:
        report.error(file, f"not a valid CSV file: {exc}", code="csv")
        return None


def read_xlsx_tables(path: Path, report: ValidationReport) -> tuple[dict[str, Table], list[str]] | None:
    """The sheets netmap reads from a workbook (by lower-cased name), and the names of all its sheets."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        report.error(path.name, f"cannot open workbook: {type(exc).__name__}: {exc}".rstrip(": "),
                     code="xlsx")
        return None
    tables = {}
    try:
        names = [sheet.title for sheet in book.worksheets]
        for sheet in book.worksheets:
            key = sheet.title.strip().lower()
            if key not in KNOWN_SHEETS:
                continue
            file = f"{path.name} [{sheet.title}]"
            table = _table_from_rows(file, (list(r) for r in sheet.iter_rows(values_only=True)), report)
            tables[key] = table or Table(file, [], [])
            tables[key].book = path.name
    finally:
        book.close()
    return tables, names


# --------------------------------------------------------------------------- config


@dataclass
class WorkspaceConfig:
    key: str
    name: str
    framework: str = "whole-system"
    localities: list[Locality] = field(default_factory=list)
    snapshot: str = ""
    ego: tuple[str, ...] = ()
    description: str = ""
    data: str = ""


def read_config(folder: Path, report: ValidationReport) -> WorkspaceConfig:
    """Read ``netmap.toml``; without one, defaults named after the folder."""
    path = folder / CONFIG_FILE
    default_key = slugify(folder.resolve().name)
    if not path.is_file():
        report.warning(CONFIG_FILE, "no netmap.toml: using the folder name as the map key and the "
                                    "whole-system framework", code="no_config")
        return WorkspaceConfig(key=default_key, name=folder.resolve().name)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        report.error(CONFIG_FILE, "not UTF-8 text", code="encoding")
        return WorkspaceConfig(key=default_key, name=default_key)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        report.error(CONFIG_FILE, f"not valid TOML: {exc}", row=int(line.group(1)) if line else None,
                     code="toml")
        return WorkspaceConfig(key=default_key, name=default_key)
    for unknown in sorted(set(raw) - CONFIG_KEYS):
        close = difflib.get_close_matches(unknown, CONFIG_KEYS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        report.warning(CONFIG_FILE, f"unknown setting '{unknown}' ignored{hint}", column=unknown,
                       code="unknown_setting")
    key = str(raw.get("map", default_key))
    if not _MAP_KEY.match(key):
        report.error(CONFIG_FILE, f"map key '{key}' must be letters, digits, '-', '_' or '.'",
                     column="map", code="bad_value")
    config = WorkspaceConfig(key=key, name=str(raw.get("name", key)),
                             framework=str(raw.get("framework", "whole-system")),
                             snapshot=str(raw.get("snapshot", "")), description=str(raw.get("description", "")),
                             data=str(raw.get("data", "")))
    if config.snapshot and not _valid_date(config.snapshot):
        report.error(CONFIG_FILE, f"snapshot '{config.snapshot}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                     column="snapshot", code="bad_date")
    ego = raw.get("ego", [])
    config.ego = tuple(str(e) for e in (ego if isinstance(ego, list) else [ego]))
    profiles = population_profiles()
    localities = raw.get("localities", [])
    if not isinstance(localities, list):
        report.error(CONFIG_FILE, "localities must be a list of [[localities]] tables with a key and a name",
                     column="localities", code="bad_value")
        localities = []
    for i, item in enumerate(localities, start=1):
        if not isinstance(item, dict) or "key" not in item:
            report.error(CONFIG_FILE, f"locality {i} needs a 'key'", column="localities", code="missing_value")
            continue
        population = str(item.get("population", ""))
        if population and population not in profiles:
            report.error(CONFIG_FILE, f"locality '{item['key']}': unknown population profile '{population}' "
                                      f"(available: {', '.join(sorted(profiles))})",
                         column="population", code="unknown_population")
            population = ""
        config.localities.append(Locality(str(item["key"]), str(item.get("name", item["key"])), population))
    return config


# --------------------------------------------------------------------------- values


def _valid_date(text: str) -> bool:
    match = _DATE.match(text)
    if not match:
        return False
    month = int(match.group(2) or 1)
    day = int(match.group(3) or 1)
    if not 1 <= month <= 12:
        return False
    import calendar

    return 1 <= day <= calendar.monthrange(int(match.group(1)), month)[1]


class _RowReader:
    """Helpers that read one typed cell and report a problem if it is bad."""

    def __init__(self, report: ValidationReport, file: str, row: int, cells: dict[str, str]) -> None:
        self.report, self.file, self.row, self.cells = report, file, row, cells

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def error(self, column: str, message: str, code: str) -> None:
        self.report.error(self.file, message, self.row, column, code)

    def warning(self, column: str, message: str, code: str) -> None:
        self.report.warning(self.file, message, self.row, column, code)

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.error(column, f"'{column}' is empty", "missing_value")
        return value

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.error(column, f"'{self.text(column)}' is not yes or no", "bad_value")
        return False

    def number(self, column: str, default: float | None, low: float | None = None,
               high: float | None = None, positive: bool = False) -> float | None:
        raw = self.text(column)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            self.error(column, f"'{raw}' is not a number", "bad_number")
            return default
        if value != value or value in (float("inf"), float("-inf")):
            self.error(column, f"'{raw}' is not a finite number", "bad_number")
            return default
        if positive and value <= 0:
            self.error(column, f"{raw} must be greater than 0", "bad_number")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(column, f"{raw} is outside {low:g} to {high:g}", "bad_number")
            return default
        return value

    def date(self, column: str) -> str:
        value = self.text(column)
        if value and not _valid_date(value):
            self.error(column, f"'{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", "bad_date")
            return ""
        return value

    def dates(self) -> tuple[str, str]:
        since, until = self.date("since"), self.date("until")
        if since and until and until < since:
            self.error("until", f"ends ({until}) before it starts ({since})", "bad_date")
        return since, until

    def choice(self, column: str, allowed: Iterable[str], default: str) -> str:
        value = self.text(column).lower() or default
        allowed = tuple(allowed)
        if value not in allowed:
            self.error(column, f"'{self.text(column)}' is not one of: {', '.join(allowed)}", "bad_value")
            return default
        return value


def _check_columns(table: Table, table_name: str, report: ValidationReport) -> bool:
    missing = [c for c in REQUIRED[table_name] if c not in table.header]
    found = ", ".join(h for h in table.header if h) or "none"
    for column in missing:
        report.error(table.file, f"missing required column '{column}' (found: {found})",
                     row=1, column=column, code="missing_column")
    seen = set()
    for name in table.header:
        if name and name in seen:
            report.error(table.file, f"column '{name}' appears twice", row=1, column=name, code="duplicate_column")
        seen.add(name)
    return not missing


# --------------------------------------------------------------------------- tables -> model


@dataclass
class _Vocabulary:
    framework: Framework | None
    constituency_lookup: dict[str, str]
    community_lookup: dict[str, str]
    localities: set[str]

    @classmethod
    def build(cls, framework: Framework | None, config: WorkspaceConfig) -> _Vocabulary:
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


def _parse_actors(table: Table, vocab: _Vocabulary, report: ValidationReport,
                  first_row: dict[str, int]) -> list[Actor]:
    """Actors of the table; ``first_row`` is filled with the row of each id."""
    actors: list[Actor] = []
    known = set(ACTOR_COLUMNS)
    extras = [h for h in table.header if h and h not in known]
    for number, cells in table.rows:
        r = _RowReader(report, table.file, number, cells)
        actor_id = r.required("id")
        name = r.required("name")
        if actor_id:
            if actor_id in first_row:
                r.error("id", f"duplicate id '{actor_id}' (first used on row {first_row[actor_id]})", "duplicate_id")
                continue
            first_row[actor_id] = number
        constituencies = []
        for item in split_list(r.text("constituencies")):
            key = vocab.constituency_lookup.get(normalise_name(item))
            if key is None and vocab.framework is not None:
                r.error("constituencies", f"unknown constituency '{item}' in framework '{vocab.framework.key}'"
                        f"{_did_you_mean(item, vocab.framework.keys)}", "unknown_constituency")
            elif key is None:
                constituencies.append(item)
            elif key not in constituencies:
                constituencies.append(key)
        communities = []
        for item in split_list(r.text("communities")):
            key = vocab.community_lookup.get(normalise_name(item))
            if key is None:
                r.error("communities", f"unknown community '{item}'{_did_you_mean(item, census_groups())}: "
                        "use a Census 2021 group key such as 'caribbean' or 'black'", "unknown_community")
            elif key not in communities:
                communities.append(key)
        locality = r.text("locality")
        if locality and vocab.localities and locality not in vocab.localities:
            r.error("locality", f"unknown locality '{locality}' (netmap.toml lists: "
                    f"{', '.join(sorted(vocab.localities))})", "unknown_locality")
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
        if actor_id and name:
            actors.append(actor)
            if not actor.constituencies and vocab.framework is not None:
                r.warning("constituencies", f"'{name}' has no constituency: it will count as unclassified",
                          "unclassified")
    return actors


def _resolve(r: _RowReader, column: str, index: NameIndex, what: str = "actor") -> str | None:
    ref = r.required(column)
    if not ref:
        return None
    found = index.resolve(ref)
    if found is None:
        r.error(column, f"unknown {what} '{ref}': no {what} has this id or name", f"unknown_{what}")
    return found


def _parse_ties(table: Table, index: NameIndex, report: ValidationReport) -> list[Tie]:
    ties: dict[tuple[str, str, str], Tie] = {}
    first_row: dict[tuple[str, str, str], int] = {}
    for number, cells in table.rows:
        r = _RowReader(report, table.file, number, cells)
        a = _resolve(r, "from", index)
        b = _resolve(r, "to", index)
        tie_type = r.text("type").lower().replace(" ", "_").replace("-", "_") or "partnership"
        if not is_identifier(tie_type):
            r.error("type", f"tie type '{r.text('type')}' must be a word of letters, digits and '_'", "bad_tie_type")
            continue
        if tie_type not in KNOWN_TIE_TYPES:
            r.warning("type", f"tie type '{tie_type}' is not one netmap knows "
                      f"({', '.join(KNOWN_TIE_TYPES)}); kept as is", "unknown_tie_type")
        directed = r.boolean("directed") if r.text("directed") else tie_is_directed(tie_type)
        weight = r.number("weight", 1.0, positive=True)
        trust = r.number("trust", None, 1, 4)
        value = r.number("value", None, 1, 4)
        since, until = r.dates()
        reporters = []
        for ref in split_list(r.text("reported_by")):
            found = index.resolve(ref)
            if found is None:
                r.error("reported_by", f"unknown actor '{ref}'", "unknown_actor")
            else:
                reporters.append(found)
        if a is None or b is None:
            continue
        if a == b:
            r.warning("to", f"a tie from '{a}' to itself is ignored", "self_tie")
            continue
        tie = Tie(from_id=a, to_id=b, type=tie_type, directed=directed, weight=weight or 1.0, trust=trust,
                  value=value, since=since, until=until, reported_by=tuple(dict.fromkeys(reporters)),
                  source=r.text("source"), notes=r.text("notes"))
        if tie.key in ties:
            # The same tie reported twice (often once by each end): keep one, note who reported it.
            previous = ties[tie.key]
            merged = tuple(dict.fromkeys(previous.reported_by + tie.reported_by))
            ties[tie.key] = Tie(**{**previous.__dict__, "reported_by": merged})
            r.warning("from", f"repeats the {tie_type} tie between '{a}' and '{b}' of row "
                      f"{first_row[tie.key]}; merged", "duplicate_tie")
            continue
        ties[tie.key] = tie
        first_row[tie.key] = number
    return list(ties.values())


def _parse_spaces(table: Table, vocab: _Vocabulary, report: ValidationReport) -> list[Space]:
    spaces: list[Space] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        r = _RowReader(report, table.file, number, cells)
        space_id, name = r.required("id"), r.required("name")
        if space_id in first_row:
            r.error("id", f"duplicate id '{space_id}' (first used on row {first_row[space_id]})", "duplicate_id")
            continue
        locality = r.text("locality")
        if locality and vocab.localities and locality not in vocab.localities:
            r.error("locality", f"unknown locality '{locality}' (netmap.toml lists: "
                    f"{', '.join(sorted(vocab.localities))})", "unknown_locality")
        kind = r.choice("kind", SPACE_KINDS, "forum")
        since, until = r.dates()
        if space_id and name:
            first_row[space_id] = number
            spaces.append(Space(space_id, name, kind, locality, since, until, r.text("source"), r.text("notes")))
    return spaces


def _parse_memberships(table: Table, index: NameIndex, spaces: list[Space],
                       report: ValidationReport) -> list[Membership]:
    space_index = NameIndex(Actor(id=s.id, name=s.name) for s in spaces)
    memberships: dict[tuple[str, str], Membership] = {}
    for number, cells in table.rows:
        r = _RowReader(report, table.file, number, cells)
        actor = _resolve(r, "actor", index)
        space = _resolve(r, "space", space_index, what="space")
        role = r.choice("role", MEMBERSHIP_ROLES, "member")
        since, until = r.dates()
        if actor is None or space is None:
            continue
        if (actor, space) in memberships:
            r.warning("actor", f"'{actor}' is already a member of '{space}'; row ignored", "duplicate_membership")
            continue
        memberships[(actor, space)] = Membership(actor, space, role, since, until, r.text("source"))
    return list(memberships.values())


# --------------------------------------------------------------------------- kumu


def _kumu_to_tables(tables: dict[str, Table], vocab: _Vocabulary, report: ValidationReport,
                    rows: dict[str, int]) -> tuple[list[Actor], list[Tie]]:
    """Turn Kumu's Elements/Connections sheets into actors and ties."""
    elements = tables["elements"]
    actors: list[Actor] = []
    used: set[str] = set()
    if "label" not in elements.header:
        report.error(elements.file, "missing required column 'Label'", row=1, column="Label", code="missing_column")
        return [], []
    for number, cells in elements.rows:
        r = _RowReader(report, elements.file, number, cells)
        label = r.required("label")
        if not label:
            continue
        actor_id = r.text("id") or slugify(label)
        base, n = actor_id, 2
        while actor_id in used:
            actor_id, n = f"{base}-{n}", n + 1
        used.add(actor_id)
        rows[actor_id] = number
        constituencies, communities, other = [], [], []
        for item in (*split_list(r.text("type")), *split_list(r.text("tags"))):
            norm = normalise_name(item)
            if norm in vocab.constituency_lookup:
                constituencies.append(vocab.constituency_lookup[norm])
            elif norm in vocab.community_lookup:
                communities.append(vocab.community_lookup[norm])
            else:
                other.append(item)
        if other:
            r.warning("tags", f"'{'; '.join(other)}' matches no constituency or community; kept in notes",
                      "unmatched_tag")
        notes = "; ".join(x for x in (r.text("description"), ("tags: " + "; ".join(other)) if other else "") if x)
        actors.append(Actor(id=actor_id, name=label, constituencies=tuple(dict.fromkeys(constituencies)),
                            communities=tuple(dict.fromkeys(communities)), source=elements.file, notes=notes))
    index = NameIndex(actors)
    ties: list[Tie] = []
    connections = tables.get("connections")
    if connections is None:
        return actors, ties
    for column in ("from", "to"):
        if column not in connections.header:
            report.error(connections.file, f"missing required column '{column.title()}'", row=1,
                         column=column.title(), code="missing_column")
            return actors, ties
    seen: set[tuple[str, str, str]] = set()
    for number, cells in connections.rows:
        r = _RowReader(report, connections.file, number, cells)
        a, b = _resolve(r, "from", index), _resolve(r, "to", index)
        tie_type = re.sub(r"[^a-z0-9]+", "_", r.text("type").lower()).strip("_")[:40] or "partnership"
        if not is_identifier(tie_type):
            tie_type = "tie"
        direction = r.text("direction").lower()
        directed = direction == "directed" if direction else tie_is_directed(tie_type)
        if not (a and b):
            continue
        if a == b:
            r.warning("to", f"a connection from '{a}' to itself is ignored", "self_tie")
            continue
        tie = Tie(a, b, tie_type, directed=directed, source=connections.file)
        if tie.key in seen:
            r.warning("from", f"repeats the {tie_type} connection between '{a}' and '{b}'; ignored", "duplicate_tie")
            continue
        seen.add(tie.key)
        ties.append(tie)
    return actors, ties


# --------------------------------------------------------------------------- entry points


def _read_book(book: Path, report: ValidationReport) -> dict[str, Table] | None:
    found = read_xlsx_tables(book, report)
    if found is None:
        return None
    tables, sheet_names = found
    if "actors" not in tables and "elements" not in tables:
        report.error(book.name, f"missing sheet 'Actors' (found: {', '.join(sheet_names)})", code="missing_sheet")
        return None
    return tables


def _find_tables(folder: Path, config: WorkspaceConfig, report: ValidationReport) -> dict[str, Table] | None:
    if config.data:
        book = folder / config.data
        if not book.is_file():
            report.error(CONFIG_FILE, f"data file '{config.data}' not found", column="data", code="missing_file")
            return None
        if book.suffix.lower() not in (".xlsx", ".xlsm"):
            report.error(CONFIG_FILE, f"data file '{config.data}' must be an Excel workbook (.xlsx); for CSV files "
                                      "remove the 'data' line", column="data", code="bad_value")
            return None
        return _read_book(book, report)
    if (folder / "actors.csv").is_file():
        tables: dict[str, Table] = {}
        for name in TABLES:
            path = folder / f"{name}.csv"
            if path.is_file():
                table = read_csv_table(path, report)
                if table is not None:
                    tables[name] = table
        return tables if "actors" in tables else None
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if len(books) == 1:
        return _read_book(books[0], report)
    if len(books) > 1:
        report.error(folder.name, f"several workbooks ({', '.join(b.name for b in books)}): name one with "
                                  "data = \"...\" in netmap.toml", code="ambiguous_data")
        return None
    report.error("actors.csv", "no actors.csv (or workbook with an Actors sheet) in the workspace",
                 code="missing_file")
    return None


def load_workspace(folder: str | Path, framework: str | Path | None = None) -> tuple[NetworkMap | None,
                                                                                     ValidationReport]:
    """Read a workspace and validate it, returning the map (None if unreadable) and the report.

    ``framework`` overrides the one named in ``netmap.toml``.
    Complexity: linear in the number of rows, plus the duplicate-name search
    (see :func:`likely_duplicates`).
    """
    folder = Path(folder)
    report = ValidationReport(workspace=str(folder))
    if not folder.is_dir():
        raise WorkspaceError(f"{folder}: no such workspace folder")
    config = read_config(folder, report)
    fw: Framework | None = None
    if framework:
        # a bad option is the caller's error, not the workspace's; the map keeps where it was found,
        # so that every later step reads the same file
        framework = resolve_framework(framework, folder)
        fw = load_framework(framework)
    else:
        try:
            fw = load_framework(config.framework, base=folder)
        except ReferenceDataError as exc:
            report.error(CONFIG_FILE, str(exc), column="framework", code="unknown_framework")
    vocab = _Vocabulary.build(fw, config)
    tables = _find_tables(folder, config, report)
    if tables is None:
        return None, report
    actors: list[Actor] = []
    ties: list[Tie] = []
    spaces: list[Space] = []
    memberships: list[Membership] = []
    rows: dict[str, int] = {}  # actor id -> row, for messages about duplicates
    if "elements" in tables:
        actors, ties = _kumu_to_tables(tables, vocab, report, rows)
        actor_table = tables["elements"]
    else:
        actor_table = tables["actors"]
        if _check_columns(actor_table, "actors", report):
            actors = _parse_actors(actor_table, vocab, report, rows)
        index = NameIndex(actors)
        if "spaces" in tables and _check_columns(tables["spaces"], "spaces", report):
            spaces = _parse_spaces(tables["spaces"], vocab, report)
        if "ties" in tables and _check_columns(tables["ties"], "ties", report):
            ties = _parse_ties(tables["ties"], index, report)
        if "memberships" in tables and _check_columns(tables["memberships"], "memberships", report):
            memberships = _parse_memberships(tables["memberships"], index, spaces, report)
    _report_duplicates(actors, report, actor_table, rows)
    if not actors and actor_table.header:
        report.warning(actor_table.file, "no actors yet: add one row per partner", code="no_actors")
    for ego in config.ego:
        if ego not in rows:
            report.error(CONFIG_FILE, f"ego actor '{ego}' is not in the actors", column="ego", code="unknown_actor")
    report.counts = {"actors": len(actors), "ties": len(ties), "spaces": len(spaces),
                     "memberships": len(memberships)}
    nmap = NetworkMap(key=config.key, name=config.name, actors=actors, ties=ties, spaces=spaces,
                      memberships=memberships, localities=config.localities,
                      framework=str(framework or config.framework), snapshot=config.snapshot,
                      ego=config.ego, description=config.description)
    return nmap, report


def _report_duplicates(actors: list[Actor], report: ValidationReport, table: Table, rows: dict[str, int]) -> None:
    column = "label" if "label" in table.header else "name"
    for i, j, score, matched in likely_duplicates(actors):
        a, b = actors[i], actors[j]
        if score < 1.0:
            how = f"a very similar name ({score:.0%})"
        else:
            how = "the same name" if matched == b.name else f"the same name as its alias '{matched}'"
        report.warning(table.file, f"'{b.name}' ({b.id}) may be a duplicate of '{a.name}' ({a.id}) on row "
                       f"{rows.get(a.id, '?')}: {how}", rows.get(b.id), column, "likely_duplicate")


def validate_workspace(folder: str | Path, framework: str | Path | None = None) -> ValidationReport:
    """Every problem in a workspace, collected into one report."""
    return load_workspace(folder, framework)[1]


def read_workspace(folder: str | Path, framework: str | Path | None = None) -> NetworkMap:
    """Read a workspace into a :class:`NetworkMap`; :class:`WorkspaceError` if it has errors."""
    nmap, report = load_workspace(folder, framework)
    if nmap is None or not report.ok:
        first = report.errors[0] if report.errors else None
        more = f" (and {len(report.errors) - 1} more; run 'netmap validate')" if len(report.errors) > 1 else ""
        raise WorkspaceError(f"{report.workspace}/{first}{more}" if first else f"{folder}: unreadable", report)
    return nmap


# --------------------------------------------------------------------------- writing


def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def actor_rows(actors: list[Actor]) -> tuple[list[str], list[list[str]]]:
    extras = sorted({k for a in actors for k in a.attributes if k not in ACTOR_COLUMNS})
    header = [*ACTOR_COLUMNS, *extras]
    rows = [[a.id, a.name, "; ".join(a.constituencies), "; ".join(a.aliases), a.kind, "; ".join(a.communities),
             _yes(a.led_by_community), _yes(a.lived_experience_led), a.locality, a.scale, a.source, a.notes,
             *(a.attributes.get(k, "") for k in extras)] for a in actors]
    return header, rows


def tie_rows(ties: list[Tie]) -> tuple[list[str], list[list[str]]]:
    rows = [[t.from_id, t.to_id, t.type, _yes(t.directed), _fmt_number(t.weight), _fmt_number(t.trust),
             _fmt_number(t.value), t.since, t.until, "; ".join(t.reported_by), t.source, t.notes] for t in ties]
    return list(TIE_COLUMNS), rows


def space_rows(spaces: list[Space]) -> tuple[list[str], list[list[str]]]:
    return list(SPACE_COLUMNS), [[s.id, s.name, s.kind, s.locality, s.since, s.until, s.source, s.notes]
                                 for s in spaces]


def membership_rows(memberships: list[Membership]) -> tuple[list[str], list[list[str]]]:
    return list(MEMBERSHIP_COLUMNS), [[m.actor_id, m.space_id, m.role, m.since, m.until, m.source]
                                      for m in memberships]


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` exactly.

    >>> toml_string('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\x7f", "\\u007f")


def config_text(nmap: NetworkMap) -> str:
    lines = [
        "# netmap workspace: see docs/formats.md",
        f"map = {toml_string(nmap.key)}",
        f"name = {toml_string(nmap.name)}",
        f"framework = {toml_string(nmap.framework)}",
    ]
    if nmap.snapshot:
        lines.append(f"snapshot = {toml_string(nmap.snapshot)}")
    if nmap.ego:
        lines.append("ego = [" + ", ".join(toml_string(e) for e in nmap.ego) + "]")
    if nmap.description:
        lines.append(f"description = {toml_string(nmap.description)}")
    for loc in nmap.localities:
        lines += ["", "[[localities]]", f"key = {toml_string(loc.key)}", f"name = {toml_string(loc.name)}"]
        if loc.population:
            lines.append(f"population = {toml_string(loc.population)}")
    return "\n".join(lines) + "\n"


def write_workspace(nmap: NetworkMap, folder: str | Path) -> Path:
    """Write a map as a CSV workspace (``netmap.toml`` and four CSV files)."""
    folder = Path(folder)
    files = {
        CONFIG_FILE: config_text(nmap),
        "actors.csv": csv_text(*actor_rows(nmap.actors)),
        "ties.csv": csv_text(*tie_rows(nmap.ties)),
        "spaces.csv": csv_text(*space_rows(nmap.spaces)),
        "memberships.csv": csv_text(*membership_rows(nmap.memberships)),
    }
    write_files_atomically(folder, files)
    return folder
