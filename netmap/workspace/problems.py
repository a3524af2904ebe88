"""Data problems: one :class:`Problem`, the :class:`ValidationReport` that collects them, and their codes.

Problems are collected rather than raised one by one, so a person sees every
problem at once with the file, row and column it is in. An error stops the map
from being read; a warning does not; a note only says how netmap read a cell
(a UK date, say) so a person can check it. Every problem carries
a ``code`` from :data:`PROBLEM_CODES` (docs/problem-codes.md lists them with
examples) so programs can act on a kind of problem without parsing messages.

>>> report = ValidationReport("my-forum")
>>> report.error("actors.csv", "'id' is empty", row=3, column="id", code="missing_value")
>>> report.ok, str(report.problems[0])
(False, "actors.csv, row 3, column 'id': error: 'id' is empty")
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Keep reports readable (and memory bounded) on huge broken files. Notes have their own
# allowance, so a file full of UK dates never pushes an error out of the report.
MAX_PROBLEMS_PER_FILE = 500
#: How many notes of one kind per file the text report shows before summing up the rest.
NOTES_SHOWN = 5
SEVERITIES = ("error", "warning", "note")
#: Quoted text in a message longer than this is cut, with its length: a 1 MB name is never printed whole.
QUOTE_LIMIT = 80
#: Quoted text this long can only be a cell's (no message's own words run so long between two quotes): a
#: message that does not cut it itself has it cut when it is reported.
QUOTE_CUT_AT = 400
#: No message is longer than this, whatever it quotes.
MESSAGE_LIMIT = 1000
_LONG_QUOTE = re.compile(rf"'([^'\n]{{{QUOTE_CUT_AT},}})'")


def visible(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as a message shows it: invisible characters as ``<U+200B>``, and cut to ``limit`` characters
    with its length if longer.

    >>> visible("Mind\u200b"), visible("x" * 100_000, limit=5)
    ('Mind<U+200B>', 'xxxx\u2026 (100,000 characters)')
    """
    cut = text if len(text) <= limit else text[:limit - 1] + "\u2026"
    cut = "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cf", "Cc") and c not in "\t\n" else c
                  for c in cut)
    return cut if len(text) <= limit else f"{cut} ({len(text):,} characters)"


def _readable(message: str) -> str:
    """A message with long quoted text cut (see :func:`visible`), and never longer than :data:`MESSAGE_LIMIT`."""
    if len(message) < QUOTE_CUT_AT:
        return message
    message = _LONG_QUOTE.sub(lambda m: f"'{visible(m.group(1))}'", message)
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT - 1] + "\u2026"

#: Every problem code the workspace reader emits -> what it means (one line).
PROBLEM_CODES: dict[str, str] = {
    # files and sheets
    "missing_file": "a file the workspace needs (actors.csv, or the workbook named in netmap.toml) is not there",
    "ambiguous_data": "several workbooks in the folder and netmap.toml does not say which one holds the data",
    "missing_sheet": "a workbook has no Actors (or Kumu Elements) sheet",
    "xlsx": "a workbook cannot be opened (damaged, or not really an Excel file)",
    "empty_file": "a file or sheet has no header row",
    "encoding": "a file is not UTF-8 text",
    "csv": "a CSV file is malformed (an unclosed quote, say)",
    "semicolons": "a CSV file uses ';' between columns instead of ','",
    "extra_cells": "a row has cells beyond the named columns (often an unquoted comma); they are ignored",
    "control_character": "a cell holds control characters (NUL, ESC, a vertical tab ...); they are removed, line "
                         "breaks kept as new lines",
    "bidi_control": "a cell holds a right-to-left override or other bidirectional control character, which can "
                    "make a name display as something else",
    "missing_column": "a required column is not in the header",
    "duplicate_column": "a column name appears twice in the header",
    # netmap.toml
    "no_config": "no netmap.toml: the folder name and the whole-system framework are used",
    "toml": "netmap.toml is not valid TOML",
    "unknown_setting": "netmap.toml or a framework file has a setting netmap does not know (a misspelling, say); "
                       "it is ignored",
    "unknown_framework": "the framework netmap.toml names does not exist",
    "unknown_population": "a locality names a population profile that does not exist",
    "bad_population": "a workspace's own population profile (in netmap.toml or its population_file) is malformed, "
                      "does not add up to 100% (within 0.5), or has no source",
    # cell values
    "missing_value": "a required value is empty",
    "bad_value": "a value is not one of those allowed (yes/no, a kind, a role, a map key ...)",
    "bad_number": "a number cannot be read or is out of range",
    "bad_date": "a date that cannot be read, is impossible (31/02/2020) or ambiguous (Apr-20), with a suggestion; "
                "or a period that ends before it starts",
    "date_read": "a date not written YYYY-MM-DD, read as day/month/year (or an Excel date number) and kept as ISO",
    "uncalculated_formula": "a workbook cell holds a formula with no calculated value (saved by a program that "
                            "does not calculate)",
    "comma_list": "a list separated by commas where ';' is expected, split because every part is a known key",
    "bad_id": "an id with characters other than letters, digits, '-', '_' and '.' (a space, an invisible or a "
              "markup character, say)",
    "bad_tie_type": "a tie type is not a word of letters, digits and '_'",
    "unknown_tie_type": "a tie type netmap does not know; it is kept as it is",
    "unknown_constituency": "a constituency that is not in the framework",
    "unknown_community": "a community that is not a Census 2021 group",
    "unknown_locality": "a locality that netmap.toml does not list",
    "unknown_actor": "a reference to an actor no row has (by id, name or alias)",
    "unknown_space": "a reference to a space no row has (by id or name)",
    "unmatched_tag": "a Kumu type or tag that matches no constituency or community; kept in the notes",
    # rows
    "generated_id": "a row with no id: one is made from its name (unique in the map)",
    "duplicate_id": "an id already used by an earlier row; the row is ignored",
    "duplicate_tie": "a tie already given by an earlier row; the two are merged (or the repeat ignored)",
    "duplicate_membership": "a membership already given by an earlier row; the row is ignored",
    "self_tie": "a tie from an actor to itself; it is ignored",
    "likely_duplicate": "two actors whose names (or aliases) look like the same organisation",
    "unclassified": "an actor with no constituency: it counts as unclassified",
    "no_actors": "the actors table has no rows yet",
    "long_text": "a name far longer than any organisation's (over 250 characters), as if pasted in by mistake",
    "merged_cells": "workbook cells merged down several rows: the value is read into every row of the range",
}


@dataclass(frozen=True)
class Problem:
    """One data problem: where it is and why it is a problem."""

    severity: str  # "error", "warning" or "note"
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
    _per_file: dict[tuple[str, bool], int] = field(default_factory=dict, repr=False)

    def add(self, severity: str, file: str, message: str, row: int | None = None,
            column: str | None = None, code: str = "") -> None:
        allowance = (file, severity == "note")
        if self._per_file.get(allowance, 0) >= MAX_PROBLEMS_PER_FILE:
            self.omitted += 1
            self.omitted_errors += severity == "error"
            return
        self._per_file[allowance] = self._per_file.get(allowance, 0) + 1
        column = visible(column) if column and len(column) > QUOTE_LIMIT else column
        self.problems.append(Problem(severity, file, _readable(message), row, column, code))

    def error(self, file: str, message: str, row: int | None = None, column: str | None = None,
              code: str = "") -> None:
        self.add("error", file, message, row, column, code)

    def warning(self, file: str, message: str, row: int | None = None, column: str | None = None,
                code: str = "") -> None:
        self.add("warning", file, message, row, column, code)

    def note(self, file: str, message: str, row: int | None = None, column: str | None = None,
             code: str = "") -> None:
        self.add("note", file, message, row, column, code)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.omitted_errors

    def summary(self) -> str:
        n_err, n_warn, n_note = len(self.errors), len(self.warnings), len(self.notes)
        notes = f", {n_note} note(s)" if n_note else ""
        if not n_err and not n_warn and not self.omitted:
            return f"{self.workspace}: valid ({self._counts_text()}){notes}"
        more = f" ({self.omitted} more not shown)" if self.omitted else ""
        return f"{self.workspace}: {n_err} error(s), {n_warn} warning(s){notes}{more}"

    def text_lines(self, notes_shown: int = NOTES_SHOWN) -> list[str]:
        """The problems as lines for a terminal: every error and warning, and the first
        ``notes_shown`` notes of each kind per file, then how many more there are."""
        lines: list[str] = []
        shown: dict[tuple[str, str], int] = {}
        for problem in self.problems:
            if problem.severity != "note":
                lines.append(str(problem))
                continue
            kind = (problem.file, problem.code)
            shown[kind] = shown.get(kind, 0) + 1
            if shown[kind] <= notes_shown:
                lines.append(str(problem))
        for (file, code), n in shown.items():
            if n > notes_shown:
                lines.append(f"{file}: note: {n - notes_shown} more like these ({code}); "
                             "'netmap validate --json' lists each")
        return lines

    def _counts_text(self) -> str:
        return ", ".join(f"{n} {name}" for name, n in self.counts.items())

    def to_dict(self) -> dict:
        return {"workspace": self.workspace, "valid": self.ok, "errors": len(self.errors),
                "warnings": len(self.warnings), "notes": len(self.notes), "omitted": self.omitted,
                "counts": self.counts,
                "problems": [p.to_dict() for p in self.problems]}
