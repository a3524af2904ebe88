"""Typed cell values: dates, yes/no, numbers, choices and ids, read one cell at a time with problems reported.

Dates are stored as ISO (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``). Dates written
the UK way are read as day/month/year, as a UK user means them, and the reading
is stated as a note; so are Excel date numbers (days since 1900, as a date column
shows when its format is lost). Impossible and ambiguous dates are errors that say
what to write instead.

>>> valid_date("2024-02-29"), valid_date("2023-02-29"), valid_date("2023")
(True, False, True)
>>> read_date("1/4/20")
DateReading(iso='2020-04-01', note="read '1/4/20' as 1 April 2020 (day/month/year, and '20' as 2020)", problem='')
>>> read_date("43922").iso, read_date("31/02/2020").problem
('2020-04-01', "'31/02/2020' is not a date: February 2020 has 29 days (check the day, or give the month alone \
as 2020-02)")
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from netmap.workspace.names import normalise_name, slugify
from netmap.workspace.problems import ValidationReport

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# English month names, not the locale's: the files are written in English whatever the machine's language.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH_NUMBER = {**{m.lower(): i for i, m in enumerate(MONTHS, 1)},
                 **{m[:3].lower(): i for i, m in enumerate(MONTHS, 1)}, "sept": 9}
_MOST_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # in any year
#: Two-digit years, as Excel reads them: 00-29 are 2000-2029, 30-99 are 1930-1999.
TWO_DIGIT_YEAR_PIVOT = 30
# Excel's day 0 (its 1900 date system, counting its phantom 29 February 1900); five-digit numbers only,
# 10000-99999 = 1927-05-18 to 2173-10-13, so a four-digit number stays a year.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?)?"
_DMY = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})({_TIME})$")
_YMD = re.compile(rf"^(\d{{4}})([/.-])(\d{{1,2}})\2(\d{{1,2}})({_TIME})$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_DM = re.compile(r"^(\d{1,2})[/.-](\d{1,2})$")
_NAMED_DMY = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{{4}}|\d{{2}})({_TIME})$")
_NAMED_MDY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NAMED_MY = re.compile(r"^([a-z]+)\.?[\s-]+(\d{4}|\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: What an actor or space id may hold: letters (any alphabet), digits, '-', '_' and '.'. Nothing else:
#: no space, control, zero-width (U+200B-U+200D, U+FEFF) or markup character (<, >, &, quotes) gets in.
ID_PATTERN = re.compile(r"^[\w.-]+$")
#: Ids made from names are cut to this length (a name pasted a thousand times makes no 1 MB id).
MADE_ID_LENGTH = 60
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def valid_date(text: str) -> bool:
    """True for a real date written YYYY, YYYY-MM or YYYY-MM-DD."""
    match = _DATE.match(text)
    if not match:
        return False
    month = int(match.group(2) or 1)
    day = int(match.group(3) or 1)
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(int(match.group(1)), month)[1]


@dataclass(frozen=True)
class DateReading:
    """How a date cell was read: its ISO form, a note if it was not written as ISO, or why it cannot be read."""

    iso: str
    note: str = ""
    problem: str = ""


def _unreadable(text: str) -> DateReading:
    return DateReading("", problem=f"'{text}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


def _long(year: int, month: int, day: int | None = None) -> str:
    return f"{day} {MONTHS[month - 1]} {year}" if day else f"{MONTHS[month - 1]} {year}"


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
    return year


def _day_month_year(text: str, year: int, month: int, day: int, how: str) -> DateReading:
    """The date ``day`` ``month`` ``year`` read from ``text``, or why it is not one."""
    if not 1 <= month <= 12:
        if how.startswith("day/month") and 1 <= day <= 12 and 1 <= month <= calendar.monthrange(year, day)[1]:
            return DateReading("", problem=f"'{text}' is not a day/month/year date (there is no month {month}); "
                                           f"if it is {_long(year, day, month)} (month first, as in the US), "
                                           f"write {year:04d}-{day:02d}-{month:02d}")
        return DateReading("", problem=f"'{text}' is not a date: there is no month {month} (use YYYY-MM-DD)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        reason = f"{_long(year, month)} has {last} days" if day else "there is no day 0"
        return DateReading("", problem=f"'{text}' is not a date: {reason} (check the day, or give the month alone "
                                       f"as {year:04d}-{month:02d})")
    return DateReading(f"{year:04d}-{month:02d}-{day:02d}", note=f"read '{text}' as {_long(year, month, day)} ({how})")


def _how(order: str, year_digits: str, time: str = "") -> str:
    how = order + (f", and '{year_digits}' as {_full_year(year_digits)}" if len(year_digits) == 2 else "")
    return how + ("; the time of day is not kept" if time else "")


def _numeric(text: str, lowered: str) -> DateReading | None:
    if match := _DMY.match(lowered):
        day, _, month, year, time = match.groups()
        return _day_month_year(text, _full_year(year), int(month), int(day), _how("day/month/year", year, time))
    if match := _YMD.match(lowered):
        year, _, month, day, time = match.groups()
        return _day_month_year(text, int(year), int(month), int(day), _how("year/month/day", year, time))
    if match := _MY.match(lowered):
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return DateReading("", problem=f"'{text}' is not a date: there is no month {month} (use YYYY-MM)")
        return DateReading(f"{year:04d}-{month:02d}", note=f"read '{text}' as {_long(year, month)} (month/year)")
    if match := _DM.match(lowered):
        return DateReading("", problem=f"'{text}' has no year: write the whole date as YYYY-MM-DD "
                                       "(e.g. 2020-04-01 for 1 April 2020)")
    if match := _BASIC.match(lowered):
        year, month, day = (int(g) for g in match.groups())
        reading = _day_month_year(text, year, month, day, "year, month, day")
        return reading if reading.iso else _unreadable(text)
    if match := _SERIAL.match(lowered):
        day = _EXCEL_EPOCH + datetime.timedelta(days=int(match.group(1)))
        return DateReading(day.isoformat(), note=f"read '{text}' as {_long(day.year, day.month, day.day)} "
                                                 "(an Excel date number)")
    return None


def _named(text: str, lowered: str) -> DateReading | None:
    if match := _NAMED_DMY.match(lowered):
        day, name, year, time = match.groups()
        if name in _MONTH_NUMBER:
            return _day_month_year(text, _full_year(year), _MONTH_NUMBER[name], int(day), _how("day month year",
                                                                                                year, time))
    if (match := _NAMED_MDY.match(lowered)) and match.group(1) in _MONTH_NUMBER:
        name, day, year = match.groups()
        return _day_month_year(text, int(year), _MONTH_NUMBER[name], int(day), "month day, year")
    if (match := _NAMED_MY.match(lowered)) and match.group(1) in _MONTH_NUMBER:
        month, digits = _MONTH_NUMBER[match.group(1)], match.group(2)
        year = _full_year(digits)
        if len(digits) == 2 and 1 <= int(digits) <= _MOST_DAYS[month - 1]:
            # Excel's "Apr-20" is April 2020, but it is also how people write 20 April: ask.
            return DateReading("", problem=f"'{text}' could be {_long(year, month)} or {int(digits)} "
                                           f"{MONTHS[month - 1]}: write {year:04d}-{month:02d} "
                                           f"(or the whole date as YYYY-{month:02d}-{int(digits):02d})")
        return DateReading(f"{year:04d}-{month:02d}", note=f"read '{text}' as {_long(year, month)} "
                                                           f"({_how('month year', digits)})")
    return None


_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_READERS: tuple[Callable[[str, str], DateReading | None], ...] = (_numeric, _named)


@functools.lru_cache(maxsize=4096)  # a map's dates repeat: a million ties hold a few thousand distinct ones
def read_date(text: str) -> DateReading:
    """Read a date cell: ISO as it is; day/month/year, month names and Excel date numbers with a note.

    Never raises: anything else is a :class:`DateReading` with a ``problem``.
    """
    text = text.strip()
    if not text:
        return DateReading("")
    if _DATE.match(text):
        return DateReading(text) if valid_date(text) else _unreadable(text)
    if (match := _ISO_TIME.match(text)) and valid_date(match.group(1)):
        year, month, day = (int(x) for x in match.group(1).split("-"))
        return DateReading(match.group(1), note=f"read '{text}' as {_long(year, month, day)} "
                                                "(the time of day is not kept)")
    lowered = " ".join(text.lower().split())
    for reader in _READERS:
        if (reading := reader(text, lowered)) is not None:
            return reading
    return _unreadable(text)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever ``taken`` does not hold."""
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    return found


def id_problem(row_id: str) -> str | None:
    """What an id holds that an id may not, in words (the first three such characters, invisible ones by
    code), or None if it follows the rule.

    >>> id_problem("leeds ccg")
    'has a space'
    >>> id_problem("a<b>&c")
    "holds '<', '>', '&', which ids may not (only letters, digits, '-', '_' and '.')"
    >>> id_problem("mind\u200b").split(",")[0]
    'holds U+200B ZERO WIDTH SPACE (invisible)'
    """
    if ID_PATTERN.match(row_id):
        return None
    bad = [c for c in dict.fromkeys(row_id) if not ID_PATTERN.match(c)]
    if bad == [" "]:
        return "has a space"
    names = [f"'{c}'" if c.isprintable() and not c.isspace() else
             f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}"
             + (" (invisible)" if unicodedata.category(c) in ("Cf", "Cc") else "") for c in bad[:3]]
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    return f"holds {', '.join(names)}{more}, which ids may not (only letters, digits, '-', '_' and '.')"


def suggested_id(text: str, taken: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """An id for ``text`` that follows the rule: invisible characters dropped, the rest as :func:`slugify`
    makes it (or, for letters slugify cannot spell in ASCII, other characters turned into '-').

    >>> suggested_id("Leeds CCG"), suggested_id("mind\u200b"), suggested_id("<b>x</b>"), suggested_id("لیدز ۱")
    ('leeds-ccg', 'mind', 'b-x-b', 'لیدز-۱')
    """
    seen = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))
    slug = slugify(seen)
    if slug == "actor" and "actor" not in normalise_name(seen):  # slugify's stand-in: nothing ASCII to keep
        slug = re.sub(r"[^\w.]+", "-", seen).strip("-.") or "actor"
    return unique_id(slug[:MADE_ID_LENGTH].strip("-"), set(taken))


class RowReader:
    """Helpers that read one typed cell and report a problem if it is bad."""

    def __init__(self, report: ValidationReport, file: str, row: int, cells: dict[str, str]) -> None:
        self.report, self.file, self.row, self.cells = report, file, row, cells

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def error(self, column: str, message: str, code: str) -> None:
        self.report.error(self.file, message, self.row, column, code)

    def warning(self, column: str, message: str, code: str) -> None:
        self.report.warning(self.file, message, self.row, column, code)

    def note(self, column: str, message: str, code: str) -> None:
        self.report.note(self.file, message, self.row, column, code)

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
        """The cell's date as ISO ("" if empty or unreadable: reported)."""
        reading = read_date(self.text(column))
        if reading.problem:
            self.error(column, reading.problem, "bad_date")
        elif reading.note:
            self.note(column, reading.note, "date_read")
        return reading.iso

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


#: What :func:`read_distinct` gives for a cell whose reading reports a problem (its row is read row by row).
UNREAD = object()


def read_distinct(cells: list[str], column: str, read: Callable[[RowReader], object]) -> dict[str, object]:
    """``read`` (a :class:`RowReader` method, or a function of one) applied once to each distinct cell of a
    column, or :data:`UNREAD` where it reports anything: a million ties hold a few distinct types, weights
    and dates, each read by the same code and checked as when read row by row.

    >>> found = read_distinct(["1", "2", "x", "1"], "weight", lambda r: r.number("weight", 1.0))
    >>> found["1"], found["x"] is UNREAD
    (1.0, True)
    """
    found: dict[str, object] = {}
    scratch = ValidationReport("")
    for cell in set(cells):
        value = read(RowReader(scratch, "", 0, {column: cell}))
        if scratch.problems:
            found[cell], scratch = UNREAD, ValidationReport("")
        else:
            found[cell] = value
    return found
