"""The tables of a workspace: their columns, and reading them from CSV files or workbook sheets.

Header names are normalised (``Led by community`` -> ``led_by_community``)
and every row keeps its spreadsheet row number (the header is row 1), so
problems can point at the cell.

>>> COLUMNS["memberships"]
('actor', 'space', 'role', 'since', 'until', 'source')
>>> REQUIRED["ties"], SHEET_NAMES["ties"]
(('from', 'to'), 'Ties')
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from netmap.workspace.problems import ValidationReport

CONFIG_FILE = "netmap.toml"

#: The columns of each table, in the order netmap writes them (a table may hold more).
COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": ("id", "name", "constituencies", "aliases", "kind", "communities", "led_by_community",
               "lived_experience_led", "locality", "scale", "source", "notes"),
    "ties": ("from", "to", "type", "directed", "weight", "trust", "value", "since", "until", "reported_by",
             "source", "notes"),
    "spaces": ("id", "name", "kind", "locality", "since", "until", "source", "notes"),
    "memberships": ("actor", "space", "role", "since", "until", "source"),
}
TABLES = tuple(COLUMNS)
REQUIRED = {"actors": ("id", "name"), "ties": ("from", "to"), "spaces": ("id", "name"),
            "memberships": ("actor", "space")}
SHEET_NAMES = {"actors": "Actors", "ties": "Ties", "spaces": "Spaces", "memberships": "Memberships"}

#: Sheets netmap reads from a workbook (others, such as notes or lists, are ignored).
KNOWN_SHEETS = ("actors", "ties", "spaces", "memberships", "elements", "connections")


@dataclass
class Table:
    """Rows of one sheet, with header names normalised and row numbers kept."""

    file: str  # name shown to the user, e.g. "actors.csv" or "partners.xlsx [Actors]"
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    book: str = ""  # the workbook's file name, for sheets of a workbook


@dataclass(frozen=True)
class Uncalculated:
    """A workbook cell holding a formula with no calculated value: a program that does not calculate
    (openpyxl, say) saved it, and reading it as empty would silently lose the value."""

    formula: str
    cell: str  # e.g. "G3"


# A formula element in a sheet's XML, with or without a namespace prefix (<f>, <x:f t="shared" .../>).
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _norm_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def _cell(value: object) -> str:
    if type(value) is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None or isinstance(value, Uncalculated):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


def _report_uncalculated(file: str, number: int, values: list, header: list[str], report: ValidationReport) -> None:
    for i, value in enumerate(values):
        if isinstance(value, Uncalculated):
            formula = value.formula if len(value.formula) <= 40 else value.formula[:39] + "\u2026"
            report.error(file, f"cell {value.cell} holds the formula {formula} but no calculated value: open and "
                               "save the file in Excel so its formulas are calculated",
                         row=number, column=header[i] if i < len(header) and header[i] else None,
                         code="uncalculated_formula")


def _table_from_rows(file: str, raw_rows: Iterator[list], report: ValidationReport,
                     formulas: bool = False) -> Table | None:
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
        if formulas:
            _report_uncalculated(file, number, values, header, report)
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
    # Formulas are read only if the workbook has any (a second pass over the sheets).
    formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False) if _has_formulas(path) else None
    try:
        names = [sheet.title for sheet in book.worksheets]
        for sheet in book.worksheets:
            key = sheet.title.strip().lower()
            if key not in KNOWN_SHEETS:
                continue
            file = f"{path.name} [{sheet.title}]"
            if formula_book is None:
                rows = (list(r) for r in sheet.iter_rows(values_only=True))
            else:
                rows = _values_marking_uncalculated(sheet, formula_book[sheet.title])
            table = _table_from_rows(file, rows, report, formulas=formula_book is not None)
            tables[key] = table or Table(file, [], [])
            tables[key].book = path.name
    finally:
        book.close()
        if formula_book is not None:
            formula_book.close()
    return tables, names


def _has_formulas(path: Path) -> bool:
    """True if any sheet of the workbook holds a formula (a scan of the raw XML: no parsing)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _values_marking_uncalculated(values_sheet, formula_sheet) -> Iterator[list]:
    """The rows' values, with a formula cell that has no calculated value as :class:`Uncalculated`.

    Read with ``data_only=True``, such a cell is an empty number; one whose formula gives an empty
    text (``=IF(A2="","",...)``) is typed text, and is truly empty.
    """
    for cells, formulas in zip(values_sheet.iter_rows(), formula_sheet.iter_rows(values_only=True), strict=False):
        row = []
        for i, cell in enumerate(cells):
            value = cell.value
            formula = formulas[i] if i < len(formulas) else None
            formula = getattr(formula, "text", formula)  # an array formula
            if value is None and cell.data_type == "n" and isinstance(formula, str) and formula.startswith("="):
                value = Uncalculated(formula, cell.coordinate)
            row.append(value)
        yield row


def check_columns(table: Table, table_name: str, report: ValidationReport) -> bool:
    """Report missing required and repeated columns; False if a required one is missing."""
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
