"""Reading the Charity Commission register of charities (England and Wales) into register entries.

The Commission publishes the register as one tab-delimited text file per
table (UTF-8, a byte order mark before the header row, fields quoted with
``"`` when they must be). netmap reads three of them:

- ``publicextract.charity.txt``: one row per charity, a linked subsidiary
  (``linked_charity_number`` other than 0) or a removed charity included;
- ``publicextract.charity_classification.txt``: one row per What/Who/How code
  of a charity (``classification_type``, ``classification_code``);
- ``publicextract.charity_area_of_operation.txt``: one row per place a charity
  works in (``geographic_area_type``: Local Authority, Region, Country,
  Continent; ``geographic_area_description``).

The tables join on ``organisation_number``. The two small tables are read
first into compact dictionaries (the codes of a charity as one integer, its
areas as indexes into one list of distinct areas); the charity table is then
streamed, one entry at a time, so memory stays bounded by the number of
charities, not by the text of the files. Columns are found by name, never by
position. A malformed row is skipped and reported with its file, line and
reason; a file netmap cannot read at all, or one without the columns it
needs, stops the import with one line naming it.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from netmap.errors import ReferenceDataError
from netmap.progress import SILENT, Progress
from netmap.registers.charity_mapping import CharityMapping, bit, load_charity_mapping, mask_codes
from netmap.registers.entries import RegisterEntry, RowProblem

CHARITY_FILE = "publicextract.charity.txt"
CLASSIFICATION_FILE = "publicextract.charity_classification.txt"
AREA_FILE = "publicextract.charity_area_of_operation.txt"
#: The register's name in :data:`netmap.registers.entries.REGISTERS`.
REGISTER = "charities"

#: The columns each table must have (the published files have more; order does not matter).
NEEDED: dict[str, tuple[str, ...]] = {
    "charity": ("organisation_number", "registered_charity_number", "linked_charity_number", "charity_name",
                "charity_registration_status", "date_of_registration", "latest_income",
                "charity_contact_postcode"),
    "classification": ("organisation_number", "classification_code"),
    "area": ("organisation_number", "geographic_area_type", "geographic_area_description"),
}
#: A column that tells which table a file holds.
_MARKERS = (("charity_name", "charity"), ("classification_code", "classification"),
            ("geographic_area_type", "area"))
FILE_NAMES = {"charity": CHARITY_FILE, "classification": CLASSIFICATION_FILE, "area": AREA_FILE}
#: Problems kept word for word (all are counted); a file this broken is the wrong file.
MAX_PROBLEMS = 1000
#: Rows between two progress reports.
_REPORT_EVERY = 20_000
_SURROGATES = re.compile("[\udc80-\udcff]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
#: Regions that cover a whole nation: a charity working throughout them is national.
_NATIONAL = re.compile(r"^throughout (england|wales|england and wales)$")


@dataclass
class CharitySummary:
    """What reading the register did: rows read and kept, rows skipped and why, the extract's date."""

    read: int = 0
    kept: int = 0
    removed: int = 0
    linked: int = 0
    malformed: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    extract_date: str = ""
    classification_rows: int = 0
    area_rows: int = 0
    #: codes the register used that netmap does not know (ignored), with how often
    unknown_codes: Counter = field(default_factory=Counter)
    #: the tables read, by kind ("charity", "classification", "area")
    files: dict[str, Path] = field(default_factory=dict)

    def problem(self, file: Path, line: int, reason: str) -> None:
        self.malformed += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(RowProblem(file.name, line, reason))

    def line(self) -> str:
        """One sentence: what was read and what was skipped."""
        missing = [FILE_NAMES[k] for k in ("classification", "area") if k not in self.files]
        text = (f"Read {_count(self.read, 'charity row')}: kept {self.kept:,}; skipped {self.removed:,} removed (not "
                f"registered) and {_count(self.linked, 'linked subsidiary', 'linked subsidiaries')}; "
                f"{_count(self.malformed, 'malformed row')} skipped in all")
        if self.extract_date:
            text += f"; extract of {self.extract_date}"
        if missing:
            text += f"; not given: {', '.join(missing)}"
        return text + "."


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _open(path: Path) -> IO[str]:
    try:
        return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _header(path: Path) -> list[str]:
    with _open(path) as handle:
        try:
            first = next(csv.reader(handle, dialect="excel-tab"), None)
        except (csv.Error, OSError) as exc:
            raise ReferenceDataError(f"{path}, line 1: cannot read the header row: {exc}") from None
    if not first or not any(cell.strip() for cell in first):
        raise ReferenceDataError(f"{path}, line 1: empty file: expected the header row of a table of the "
                                 "Charity Commission register extract")
    return [cell.strip().lower() for cell in first]


def _kind(path: Path, header: list[str]) -> str:
    for marker, kind in _MARKERS:
        if marker in header:
            missing = [c for c in NEEDED[kind] if c not in header]
            if missing:
                raise ReferenceDataError(f"{path}, line 1, column '{missing[0]}': missing column (is this "
                                         f"{FILE_NAMES[kind]} of the register extract?)")
            return kind
    raise ReferenceDataError(f"{path}, line 1: not a table netmap reads from the register extract: give "
                             f"{CHARITY_FILE}, {CLASSIFICATION_FILE} and {AREA_FILE} (tab-delimited text)")


def find_tables(paths: Iterable[str | Path]) -> dict[str, Path]:
    """The register's tables among ``paths`` (files, or folders holding the published file names), by kind."""
    found: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        files = [path / name for name in FILE_NAMES.values() if (path / name).is_file()] if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise ReferenceDataError(f"{path}: no table of the register extract in this folder (expected "
                                     f"{CHARITY_FILE} and the others)")
        for file in files:
            if not file.is_file():
                raise ReferenceDataError(f"{file}: no such file")
            kind = _kind(file, _header(file))
            if kind in found:
                raise ReferenceDataError(f"{file}: a second {FILE_NAMES[kind]} (the first is {found[kind]})")
            found[kind] = file
    if "charity" not in found:
        raise ReferenceDataError(f"no {CHARITY_FILE}: give it with the other tables of the register extract")
    return found


def _rows(path: Path, summary: CharitySummary, progress: Progress,
          label: str) -> Iterator[tuple[int, dict[str, int], list[str] | None]]:
    """(first line, column index, cells) of each data row; cells are None for a row of the wrong width (reported)."""
    size = path.stat().st_size
    with _open(path) as handle, progress.counter(label, size) as advance:
        reader = csv.reader(handle, dialect="excel-tab")
        try:
            header = [cell.strip().lower() for cell in next(reader)]
        except (StopIteration, csv.Error):
            return
        at = {name: i for i, name in enumerate(header)}
        width, last, count = len(header), reader.line_num, 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                summary.problem(path, last + 1, f"cannot read the row: {exc}")
                last = reader.line_num
                continue
            start, last = last + 1, reader.line_num
            count += 1
            if count % _REPORT_EVERY == 0:
                advance(handle.buffer.tell())
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                summary.problem(path, start, f"{len(cells)} fields where the header has {width} (a tab, quote "
                                             "or line break inside a field?)")
                yield start, at, None
                continue
            yield start, at, cells
        advance(size)


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def read_codes(path: Path, summary: CharitySummary, progress: Progress = SILENT) -> dict[int, int]:
    """The classification codes of each organisation number, as one integer (see :func:`code_mask`)."""
    masks: dict[int, int] = {}
    for line, at, cells in _rows(path, summary, progress, "Reading classifications"):
        summary.classification_rows += 1
        if cells is None:
            continue
        org, code = _int(cells[at["organisation_number"]]), _int(cells[at["classification_code"]])
        if org is None:
            summary.problem(path, line, f"organisation_number '{cells[at['organisation_number']][:40]}' is not a "
                                        "whole number")
        elif code is None:
            summary.problem(path, line, f"classification_code '{cells[at['classification_code']][:40]}' is not "
                                        "a whole number")
        elif not bit(code):
            summary.unknown_codes[code] += 1
        else:
            masks[org] = masks.get(org, 0) | bit(code)
    return masks


def read_areas(path: Path, summary: CharitySummary,
               progress: Progress = SILENT) -> tuple[list[tuple[str, str]], dict[int, tuple[int, ...]]]:
    """The distinct (area type, description) pairs, and the indexes of each organisation's areas."""
    distinct: dict[tuple[str, str], int] = {}
    areas: dict[int, tuple[int, ...]] = {}
    for line, at, cells in _rows(path, summary, progress, "Reading areas of operation"):
        summary.area_rows += 1
        if cells is None:
            continue
        org = _int(cells[at["organisation_number"]])
        kind = cells[at["geographic_area_type"]].strip()
        name = " ".join(cells[at["geographic_area_description"]].split())
        if org is None:
            summary.problem(path, line, f"organisation_number '{cells[at['organisation_number']][:40]}' is not a "
                                        "whole number")
        elif not kind or not name:
            empty = "geographic_area_type" if not kind else "geographic_area_description"
            summary.problem(path, line, f"empty {empty}")
        elif _SURROGATES.search(name + kind):
            summary.problem(path, line, "not UTF-8 text (save the file as UTF-8)")
        else:
            index = distinct.setdefault((kind, name), len(distinct))
            old = areas.get(org, ())
            if index not in old:
                areas[org] = (*old, index)
    return list(distinct), areas


def scale_of(areas: Iterable[tuple[str, str]]) -> str:
    """national, regional or local, from the kinds of area a charity works in ("" when it gives none).

    >>> scale_of([("Local Authority", "Leeds City"), ("Region", "Throughout England")])
    'national'
    >>> scale_of([("Local Authority", "Leeds City")]), scale_of([])
    ('local', '')
    """
    kinds = set()
    for kind, name in areas:
        kind = kind.lower()
        if kind in ("country", "continent") or (kind == "region" and _NATIONAL.match(name.lower())):
            return "national"
        kinds.add(kind)
    return "regional" if "region" in kinds else "local" if "local authority" in kinds else ""


def _date(text: str) -> str | None:
    """The YYYY-MM-DD of a published date (time of day dropped), "" for none, None when it is not a date."""
    text = text.strip()
    if not text:
        return ""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class _Joined:
    """The two small tables, read: codes by organisation, areas by organisation, the distinct areas."""

    masks: dict[int, int]
    area_list: list[tuple[str, str]]
    areas: dict[int, tuple[int, ...]]


def _check(cells: list[str], at: dict[str, int]) -> str | None:
    """Why a charity row cannot be used, or None."""
    for column in ("organisation_number", "registered_charity_number", "linked_charity_number"):
        if _int(cells[at[column]]) is None:
            shown = cells[at[column]].strip()[:40]
            return f"{column} '{shown}' is not a whole number" if shown else f"empty {column}"
    if not cells[at["charity_name"]].strip():
        return "empty charity_name"
    income = cells[at["latest_income"]].strip()
    if income and not _NUMBER.match(income):
        return f"latest_income '{income[:40]}' is not a number"
    if _date(cells[at["date_of_registration"]]) is None:
        return f"date_of_registration '{cells[at['date_of_registration']].strip()[:40]}' is not a date"
    kept = "".join(cells[at[c]] for c in ("charity_name", "charity_contact_postcode"))
    if _SURROGATES.search(kept):
        return "not UTF-8 text (save the file as UTF-8)"
    return None


class CharityReader(Iterator[RegisterEntry]):
    """The registered main charities of an extract, one :class:`RegisterEntry` at a time.

    ``summary`` counts what was read and skipped as the iteration goes; it is
    complete once the iterator is exhausted. The tables are found and their
    headers checked when the reader is made, so a wrong file fails at once.
    """

    def __init__(self, paths: Iterable[str | Path], mapping: CharityMapping | str | Path | None = None,
                 progress: Progress | None = None, *, registered_only: bool = True,
                 main_only: bool = True) -> None:
        self.summary = CharitySummary()
        self.summary.files = find_tables(paths)
        self.mapping = mapping if isinstance(mapping, CharityMapping) else load_charity_mapping(mapping)
        self.progress = progress or SILENT
        self.registered_only, self.main_only = registered_only, main_only
        self._entries = self._generate()

    def __iter__(self) -> CharityReader:
        return self

    def __next__(self) -> RegisterEntry:
        return next(self._entries)

    def _joined(self) -> _Joined:
        files, summary = self.summary.files, self.summary
        masks = read_codes(files["classification"], summary, self.progress) if "classification" in files else {}
        area_list, areas = (read_areas(files["area"], summary, self.progress) if "area" in files else ([], {}))
        return _Joined(masks, area_list, areas)

    def _generate(self) -> Iterator[RegisterEntry]:
        joined = self._joined()
        path, summary = self.summary.files["charity"], self.summary
        for line, at, cells in _rows(path, summary, self.progress, "Reading charities"):
            summary.read += 1
            if cells is None:
                continue
            status = cells[at["charity_registration_status"]].strip().lower()
            if status not in ("registered", "removed"):
                summary.problem(path, line, f"charity_registration_status '{status[:40]}' is neither Registered "
                                            "nor Removed")
                continue
            if status != "registered" and self.registered_only:
                summary.removed += 1
                continue
            if self.main_only and _int(cells[at["linked_charity_number"]]):  # not 0 (None: malformed, below)
                summary.linked += 1
                continue
            reason = _check(cells, at)
            if reason:
                summary.problem(path, line, reason)
                continue
            if not summary.extract_date and "date_of_extract" in at:
                summary.extract_date = _date(cells[at["date_of_extract"]]) or ""
            summary.kept += 1
            yield self._entry(line, at, cells, joined)

    def _entry(self, line: int, at: dict[str, int], cells: list[str], joined: _Joined) -> RegisterEntry:
        org = int(cells[at["organisation_number"]])
        number = str(int(cells[at["registered_charity_number"]]))
        linked = int(cells[at["linked_charity_number"]])
        code = number if linked == 0 else f"{number}-{linked}"
        name = " ".join(cells[at["charity_name"]].split())
        mask = joined.masks.get(org, 0)
        places = [joined.area_list[i] for i in joined.areas.get(org, ())]
        local = tuple(name for kind, name in places if kind.lower() == "local authority")
        constituencies, communities = self.mapping.apply(mask, name)
        attributes = {
            "charity_number": code,
            "latest_income": cells[at["latest_income"]].strip(),
            "date_of_registration": _date(cells[at["date_of_registration"]]) or "",
            "classification": "; ".join(map(str, mask_codes(mask))),
            "scale": scale_of(places),
            "date_of_extract": self.summary.extract_date,
            "reasons": " ".join(self.mapping.reasons(mask)),
        }
        return RegisterEntry(REGISTER, code, name, postcode=" ".join(cells[at["charity_contact_postcode"]].split()),
                             locality=local[0] if len(local) == 1 else "", constituencies=constituencies,
                             communities=communities, attributes=attributes, line=line, areas=local)


def read_charities(paths: Iterable[str | Path], mapping: CharityMapping | str | Path | None = None,
                   progress: Progress | None = None, *, registered_only: bool = True,
                   main_only: bool = True) -> CharityReader:
    """The charities of a register extract, one :class:`RegisterEntry` at a time (registered main charities by default).

    ``paths`` are the published text files (the charity table, and the
    classification and area-of-operation tables to join), or a folder holding
    them; ``mapping`` a mapping file or :class:`CharityMapping` (default:
    ``data/registers/charities.toml``). The returned iterator's ``summary``
    counts rows read, removed charities and linked subsidiaries skipped, and
    malformed rows (file, line, reason). Raises :class:`ReferenceDataError`
    when a file cannot be read or lacks a column netmap needs.
    """
    return CharityReader(paths, mapping, progress, registered_only=registered_only, main_only=main_only)
