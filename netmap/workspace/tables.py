"""The tables of a workspace: their columns, and reading them from CSV files or workbook sheets.

Header names are normalised (``Led by community`` -> ``led_by_community``)
and every row keeps its spreadsheet row number (the header is row 1), so
problems can point at the cell. A CSV cell netmap neutralised against formula
injection (``'=SUM(1)``) is read back as written (``=SUM(1)``; see
:mod:`netmap.cells`); workbook cells are typed text and read as they are.
Control characters other than TAB and LF are removed from every cell, and
they and bidirectional override characters are reported as warnings.

A table is kept column by column (one list of cells per column, repeated
cells shared), not as a dict per row: a national register's million ties
read in a few seconds and take a small part of the memory. A CSV file with
nothing to clean or restore is read in batches of rows, each column stripped
at once; any batch with a short, long or empty row goes through the same
row-by-row checks as every other table, so each problem is reported with its
row as before. Such a file with no quote at all (a register's export, say) is
not parsed cell by cell: a batch of lines is split at its commas at once, which
is what ``csv.reader`` reads from a line without quotes.

>>> COLUMNS["memberships"]
('actor', 'space', 'role', 'since', 'until', 'source')
>>> REQUIRED["ties"], SHEET_NAMES["ties"]
(('from', 'to'), 'Ties')
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import operator
import re
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, compress, islice, repeat
from pathlib import Path

from netmap.cells import BIDI, CONTROLS, bidi_controls, clean_controls, control_names, restore
from netmap.workspace.problems import ValidationReport, visible

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

#: The longest CSV cell read (characters); a longer one makes the file unreadable, its row named.
CSV_CELL_LIMIT = 16 * 1024 * 1024


#: Rows read and checked at once from a plain CSV file (a batch's cells are in memory together).
BATCH_ROWS = 50_000
# A column holding more distinct cells than this share of its rows (notes, say) stops being interned
# once it has 200,000 rows (actor ids repeat about ten times in a million ties).
_INTERN_SHARE = 0.5


class Table:
    """Rows of one sheet, column by column, with header names normalised and row numbers kept.

    ``columns`` maps each named column to its cells (for a name the header
    repeats, the last such column), ``numbers`` holds each row's spreadsheet
    row number; ``rows`` gives them as ``(number, {column: cell})`` pairs.

    >>> t = Table("a.csv", ["id", "name"], [(2, {"id": "x", "name": "X"}), (4, {"id": "y", "name": "Y"})])
    >>> len(t), t.columns["name"], t.rows[1]
    (2, ['X', 'Y'], (4, {'id': 'y', 'name': 'Y'}))
    """

    def __init__(self, file: str, header: list[str], rows: Iterable[tuple[int, dict[str, str]]] = (),
                 book: str = "") -> None:
        self.file = file  # name shown to the user, e.g. "actors.csv" or "partners.xlsx [Actors]"
        self.header = header
        self.book = book  # the workbook's file name, for sheets of a workbook
        self.numbers = array("q")
        self.columns: dict[str, list[str]] = {h: [] for h in header if h}
        for number, cells in rows:
            self.numbers.append(number)
            for name, column in self.columns.items():
                column.append(cells.get(name, ""))

    def __len__(self) -> int:
        return len(self.numbers)

    def __repr__(self) -> str:
        return f"Table({self.file!r}, {self.header!r}, {len(self)} rows)"

    @property
    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """Every row as ``(row number, {column: cell})``, made when asked for."""
        names = list(self.columns)
        return [(number, dict(zip(names, cells, strict=True)))
                for number, *cells in zip(self.numbers, *self.columns.values(), strict=True)]

    def row(self, k: int) -> dict[str, str]:
        """The cells of the ``k``-th row (from 0) by column."""
        return {name: column[k] for name, column in self.columns.items()}

    def column(self, name: str) -> list[str]:
        """The cells of a column, all empty if the table has no such column."""
        found = self.columns.get(name)
        return found if found is not None else [""] * len(self)


class _Builder:
    """Fills a :class:`Table` a row (checked cells) or a batch (plain CSV cells) at a time."""

    def __init__(self, table: Table) -> None:
        self.table = table
        header = table.header
        last = {h: i for i, h in enumerate(header) if h}  # a repeated name: its last column counts
        self.slots = [(last[name], column) for name, column in table.columns.items()]
        self.width = len(header)
        self.all_named = all(header)
        self.shared: list[dict[str, str] | None] = [{} for _ in self.slots]

    def add(self, number: int, cells: list[str]) -> None:
        self.table.numbers.append(number)
        n = len(cells)
        for i, column in self.slots:
            column.append(cells[i] if i < n else "")

    def add_plain(self, first: int, batch: list[list[str]]) -> bool:
        """Add a batch of CSV rows numbered from ``first`` if every row is full width and none is empty
        (so no row has anything to report); False, adding nothing, otherwise."""
        if not self.all_named or not self.slots or set(map(len, batch)) != {self.width}:
            return False
        by_column = list(zip(*batch, strict=True))
        stripped = [list(map(str.strip, by_column[i])) for i, _ in self.slots]
        del by_column
        blank = compress(range(len(batch)), map(operator.not_, stripped[0]))
        if any(not any(c.strip() for c in batch[k]) for k in blank):
            return False  # an empty row, skipped with its number: row by row
        return self._add_columns(first, stripped)

    def add_lines(self, first: int, lines: list[str]) -> bool:
        """:meth:`add_plain` for the lines of a CSV text without quotes, numbered from ``first``: each line's
        cells are what ``csv.reader`` reads, the line split at its commas (see :func:`_split_lines`)."""
        if not self.all_named or not self.slots or set(map(str.count, lines, repeat(","))) != {self.width - 1}:
            return False  # a short, long or (for a header of one column) empty row: row by row
        text = ",".join(lines)
        cells = text.split(",")
        width = self.width
        by_column = [cells[i::width] for i, _ in self.slots]
        del cells
        # a cell of a plain ASCII text can only begin or end with a space or a tab: most texts have none
        if not text.isascii() or text[:1] in " \t" or text[-1:] in " \t" or any(
                p in text for p in (" ,", ", ", "\t,", ",\t")):
            by_column = [list(map(str.strip, column)) for column in by_column]
        del text
        if any(not lines[k].replace(",", "").strip() for k in compress(range(len(lines)),
                                                                       map(operator.not_, by_column[0]))):
            return False
        return self._add_columns(first, by_column)

    def _add_columns(self, first: int, stripped: list[list[str]]) -> bool:
        """Add rows numbered from ``first``, given as the stripped cells of each named column."""
        self.table.numbers.extend(range(first, first + len(stripped[0])))
        total = len(self.table.numbers)
        for k, ((_, column), cells) in enumerate(zip(self.slots, stripped, strict=True)):
            shared = self.shared[k]
            if shared is not None and len(set(cells[::64])) == 1 and cells.count(cells[0]) == len(cells):
                # one value (often empty) throughout
                cells = [shared.setdefault(cells[0], cells[0])] * len(cells)
            elif shared is not None:  # one str object per distinct cell: a million ties repeat a few values
                cells = list(map(shared.setdefault, cells, cells))
                if total >= 4 * BATCH_ROWS and len(shared) > _INTERN_SHARE * total:
                    self.shared[k] = None
            column.extend(cells)
        return True


@dataclass(frozen=True)
class Uncalculated:
    """A workbook cell holding a formula with no calculated value: a program that does not calculate
    (openpyxl, say) saved it, and reading it as empty would silently lose the value."""

    formula: str
    cell: str  # e.g. "G3"


# A formula element in a sheet's XML, with or without a namespace prefix (<f>, <x:f t="shared" .../>).
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


# Anything a cell check looks for, searched once over a whole CSV file: most files hold none, and
# are then read without a per-cell check (a CRLF pair is a line end, not a control character).
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
# A cell beginning with apostrophes and a formula trigger: one netmap (or a careful person) neutralised.
_NEUTRALISED = re.compile(r"""(?:^|,)"?'+[=+\-@\t\r]""", re.MULTILINE)
# The characters of _SUSPECT but a lone CR: controls as UTF-8 bytes, and the bidirectional controls.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_BIDI_CHARS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def _neutralised(text: str) -> bool:
    """Whether a CSV text holds a cell neutralised against formulas (an apostrophe and a trigger first looked
    for as plain text, so that a file without one is not searched with the pattern)."""
    return "'" in text and any(f"'{t}" in text for t in "=+-@\t\r") and bool(_NEUTRALISED.search(text))


def _suspect(data: bytes, text: str) -> bool:
    """``_SUSPECT.search(text)``, found faster: in UTF-8 a control character is its own byte (every byte of a
    longer character is 0x80 or above), and the bidirectional controls are searched for one by one."""
    if b"\r" in data and re.search(rb"\r(?!\n)", data):
        return True
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return True
    return not text.isascii() and any(c in text for c in _BIDI_CHARS)


def _norm_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", clean_controls(str(name or "")).strip().lower())


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


def _check_cells(file: str, number: int, cells: list[str], header: list[str], report: ValidationReport) -> None:
    """Remove control characters from the cells (in place) and report them, and bidirectional overrides."""
    for i, cell in enumerate(cells):
        column = header[i] if i < len(header) and header[i] else None
        if CONTROLS.search(cell):
            names = ", ".join(control_names(cell))
            cells[i] = clean_controls(cell).strip()
            if names:
                report.warning(file, f"control character(s) {names} removed (a vertical tab, form feed or CR became "
                                     "a line break): they are invisible, and other tools cannot read them",
                               row=number, column=column, code="control_character")
        if BIDI.search(cell):
            report.warning(file, f"'{visible(cells[i], 60)}' holds {', '.join(bidi_controls(cell))}, a right-to-left "
                                 "or other bidirectional override: it shows the text in another order than it is "
                                 "stored, which can disguise a name; remove it unless the text needs it",
                           row=number, column=column, code="bidi_control")


def _table_from_rows(file: str, raw_rows: Iterator[list], report: ValidationReport,
                     formulas: bool = False, neutralised: bool = False, suspect: bool = True,
                     lines: Iterator[str] | None = None) -> Table | None:
    """A table from rows of cells: ``neutralised`` restores formula-neutralised cells (CSV), ``suspect``
    checks every cell for control and bidirectional characters (a file known to hold none skips it).
    ``lines``, for a plain CSV text without quotes, are its lines, of which ``raw_rows`` are the rows:
    they are then read a batch of lines at a time."""
    header_raw: list | None = None
    header_row = 0
    for header_row, values in enumerate(raw_rows, start=1):  # noqa: B007 - the row number is used below
        if any(_cell(v) for v in values):
            header_raw = values
            break
    if header_raw is None:
        report.error(file, "file is empty: expected a header row", row=1, code="empty_file")
        return None
    header = [_norm_header(restore(h) if neutralised and isinstance(h, str) else h) for h in header_raw]
    if len(header) == 1 and ";" in header[0]:
        report.error(file, "the columns are separated by ';': save the file as 'CSV UTF-8 (comma delimited)'",
                     row=header_row, code="semicolons")
        return None
    table = Table(file, header)
    builder = _Builder(table)
    plain = not (formulas or neutralised or suspect)  # CSV text with nothing to clean or restore
    number = header_row + 1
    while batch := list(islice(raw_rows if lines is None else lines, BATCH_ROWS)):
        if lines is not None:
            added = builder.add_lines(number, batch)
            if not added:
                batch = list(map(_split_line, batch))
        else:
            added = plain and builder.add_plain(number, batch)
        if not added:
            for offset, values in enumerate(batch):
                _add_row(builder, number + offset, values, report, formulas, neutralised, suspect)
        number += len(batch)
    return table


def _split_line(line: str) -> list[str]:
    """The cells ``csv.reader`` reads from a line (without its line end) that holds no quote.

    >>> _split_line("a, b,,c"), _split_line("")
    (['a', ' b', '', 'c'], [])
    """
    return line.split(",") if line else []


class _SplitLines:
    """The lines of UTF-8 ``data`` (already checked: no quote, and no CR but in a CRLF pair) from byte
    ``start``, without their line ends, decoded a few MB at a time as :func:`_lines` does. ``line_num`` counts
    the lines given, as ``csv.reader`` counts them; a line holding a cell longer than ``limit`` raises the
    error ``csv.reader`` raises, at that line."""

    def __init__(self, data: bytes, start: int, limit: int, piece: int = 1 << 22) -> None:
        self.line_num = 0  # set when a line raises: no count is kept line by line
        self._lines = chain.from_iterable(self._pieces(data, start, limit, piece))

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def _pieces(self, data: bytes, start: int, limit: int, piece: int) -> Iterator[Iterable[str]]:
        end, before = len(data), 0
        while start < end:
            stop = data.find(b"\n", start + piece) + 1 if start + piece < end else end
            stop = stop or end
            text = data[start:stop].decode("utf-8")
            start = stop
            lines = text.replace("\r\n", "\n").split("\n") if "\r" in text else text.split("\n")
            if not lines[-1]:
                lines.pop()  # the text after the last line end
            yield lines if len(text) <= limit else self._checked(lines, before, limit)
            before += len(lines)

    def _checked(self, lines: list[str], before: int, limit: int) -> Iterator[str]:
        for k, line in enumerate(lines, start=before + 1):
            if len(line) > limit and max(map(len, line.split(","))) > limit:
                self.line_num = k
                raise csv.Error(f"field larger than field limit ({limit})")
            yield line


def _add_row(builder: _Builder, number: int, values: list, report: ValidationReport, formulas: bool,
             neutralised: bool, suspect: bool) -> None:
    """Check one row's cells, report its problems and add it (unless it is empty)."""
    file, header = builder.table.file, builder.table.header
    if formulas:
        _report_uncalculated(file, number, values, header, report)
    if neutralised:
        values = [restore(v) if type(v) is str else v for v in values]
    cells = [_cell(v) for v in values]
    if suspect:
        joined = "".join(cells)  # one search per row: almost every row holds nothing to report
        if CONTROLS.search(joined) or BIDI.search(joined):
            _check_cells(file, number, cells, header, report)
    if not any(cells):
        return
    extra = [c for i, c in enumerate(cells) if c and (i >= len(header) or not header[i])]
    if extra:
        report.warning(file, f"{len(extra)} cell(s) outside the named columns ignored (first: '{extra[0]}'); "
                             "quote cells that contain commas", row=number, code="extra_cells")
    builder.add(number, cells)


def read_csv_table(path: Path, report: ValidationReport) -> Table | None:
    """Read a CSV file; problems (empty, not UTF-8, malformed) go into the report."""
    file = path.name
    data = path.read_bytes()
    if not data or data.isspace():
        report.error(file, "file is empty: expected a header row", row=1, code="empty_file")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(file, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}); "
                           "save it as 'CSV UTF-8' and try again", row=line, code="encoding")
        return None
    neutralised, suspect = _neutralised(text), _suspect(data, text)
    del text  # read a piece at a time below: the whole text, and a StringIO of it (4 bytes a character), never held
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _quoteless(data, neutralised, suspect):
        lines = _SplitLines(data, start, max(csv.field_size_limit(), CSV_CELL_LIMIT))
        each = iter(lines)
        try:
            return _table_from_rows(file, map(_split_line, each), report, suspect=False, lines=each)
        except csv.Error as exc:
            report.error(file, f"not a valid CSV file: {exc}", row=lines.line_num or None, code="csv")
            return None
    reader = csv.reader(_lines(data, start))
    try:
        with _cells_up_to(CSV_CELL_LIMIT):  # a long cell is read and reported with its row, not refused whole
            return _table_from_rows(file, reader, report, neutralised=neutralised, suspect=suspect)
    except csv.Error as exc:
        report.error(file, f"not a valid CSV file: {exc}", row=reader.line_num or None, code="csv")
        return None


def _quoteless(data: bytes, neutralised: bool, suspect: bool) -> bool:
    """Whether each row of a CSV file is read as its line split at commas (:class:`_SplitLines`), as
    ``csv.reader`` would read it: a file with no quote, nothing to restore and no lone CR."""
    return not (neutralised or suspect or b'"' in data)


def _lines(data: bytes, start: int, piece: int = 1 << 22) -> Iterator[str]:
    """The lines of UTF-8 ``data`` (already checked) from byte ``start``, as ``io.StringIO(text, newline="")``
    gives them, decoded a few MB at a time. Pieces end just after a LF, so no character and no CRLF pair
    is cut, and a quoted cell running over several lines still reaches the csv reader line by line."""
    end = len(data)
    while start < end:
        stop = data.find(b"\n", start + piece) + 1 if start + piece < end else end
        stop = stop or end
        yield from io.StringIO(data[start:stop].decode("utf-8"), newline="")
        start = stop


@contextlib.contextmanager
def _cells_up_to(limit: int) -> Iterator[None]:
    """Let the csv module read cells of up to ``limit`` characters (its default is 131,072), then restore it."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, limit))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


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
            merged = _merged_ranges(path, sheet)
            if merged:
                rows = _filled_down(rows, merged, file, sheet.title, report)
            table = _table_from_rows(file, rows, report, formulas=formula_book is not None)
            tables[key] = table if table is not None else Table(file, [])
            tables[key].book = path.name
    finally:
        book.close()
        if formula_book is not None:
            formula_book.close()
    return tables, names


# A merged range in a sheet's XML: <mergeCell ref="I3:I7"/>, with or without a namespace prefix.
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}[0-9]+):([A-Za-z]{1,3}[0-9]+)\"")


def _merged_ranges(path: Path, sheet) -> list[tuple[int, int, int, str]]:
    """The sheet's merged ranges as (first row, last row, column index from 0, "I3:I7"), from its raw XML.

    A read-only sheet does not know them, and the XML lists them after the cells, so it is scanned.
    """
    from openpyxl.utils.cell import range_boundaries

    part = getattr(sheet, "_worksheet_path", None)
    if not part:
        return []
    found, tail = [], b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as xml:
        while chunk := xml.read(1 << 20):
            text, tail = tail + chunk, b""
            last = text.rfind(b"<")
            if last != -1 and b">" not in text[last:]:  # a tag cut by the chunk: read it whole next time
                text, tail = text[:last], text[last:]
            for first, end in _MERGE_TAG.findall(text):
                min_col, min_row, _, max_row = range_boundaries(f"{first.decode()}:{end.decode()}")
                found.append((min_row, max_row, min_col - 1, f"{first.decode()}:{end.decode()}".upper()))
    return found


def _filled_down(rows: Iterator[list], merged: list[tuple[int, int, int, str]], file: str, title: str,
                 report: ValidationReport) -> Iterator[list]:
    """The rows with the value of each range merged down several rows read into every row of it, each such
    range reported. Excel keeps a merged value in the first cell only, so without this the rows below would
    silently read as empty (a locality typed once and merged down). Merged header cells are left as they are.
    """
    starts: dict[int, list[tuple[int, int, str]]] = {}
    for first, last, column, ref in merged:
        if last > first:
            starts.setdefault(first, []).append((last, column, ref))
    carried: dict[int, tuple[int, object]] = {}  # column -> (last row of its range, value)
    header: list | None = None
    for number, values in enumerate(rows, start=1):
        values = list(values)
        for column, (last, value) in list(carried.items()):
            if number > last:
                del carried[column]
            elif column >= len(values) or values[column] is None:
                values += [None] * (column + 1 - len(values))
                values[column] = value
        if header is not None:
            for last, column, ref in starts.get(number, ()):
                value = values[column] if column < len(values) else None
                if _cell(value):
                    carried[column] = (last, value)
                    named = _norm_header(header[column]) if column < len(header) else ""
                    report.warning(file, f"{title}!{ref} is merged: its value '{_cell(value)}' is used for every "
                                         f"row of it (rows {number} to {last})", row=number,
                                   column=named or None, code="merged_cells")
        elif any(_cell(v) for v in values):
            header = values
        yield values


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
