"""Typed cell values: dates, yes/no, numbers and choices, read one cell at a time with problems reported.

>>> valid_date("2024-02-29"), valid_date("2023-02-29"), valid_date("2023")
(True, False, True)
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable

from netmap.workspace.problems import ValidationReport

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
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
        if value and not valid_date(value):
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
