"""Cell text that is safe to open: formula triggers neutralised and restored, control characters found and removed.

**Formulas.** A spreadsheet treats a cell that begins with ``=``, ``+``, ``-``
or ``@`` (and, in some programs, TAB or CR followed by one) as a formula, so a
partner named ``=HYPERLINK("http://evil", "Mind")`` becomes a live link when a
commissioner opens netmap's CSV in Excel. Following OWASP's CSV-injection
guidance, every cell netmap writes to a CSV file that begins with one of those
characters gets a leading apostrophe, which Excel and LibreOffice read as "this
is text". (XLSX cells are written as typed text instead, which no program
evaluates.) Plain numbers (``-2.5``, ``+3``) are left alone: they are numbers,
not formulas, and must stay numbers for whoever opens the file.

netmap's readers undo it: :func:`restore` removes one apostrophe from a cell
that begins with one or more apostrophes followed by a trigger character.
:func:`neutralise` therefore also adds one to a cell that already begins that
way (a real ``'=x`` is written ``''=x``), so ``restore(neutralise(s)) == s``
for every text, and a name that truly starts with an apostrophe (``'t Hooft
Trust``) is never touched.

>>> neutralise("=SUM(1)"), neutralise("-2+3"), neutralise("-2.5"), neutralise("Mind")
("'=SUM(1)", "'-2+3", '-2.5', 'Mind')
>>> restore("'=SUM(1)"), restore("''=x"), restore("'t Hooft Trust")
('=SUM(1)', "'=x", "'t Hooft Trust")

**Control characters.** C0 controls other than TAB and LF (NUL, ESC, the
vertical tab Excel uses for a line break inside a cell ...) cannot appear in
XML at all and do nothing useful in a name, so :func:`clean_controls` removes
them (a vertical tab, form feed or lone CR becomes a new line; CRLF becomes
LF). :func:`xml_text` is the writer's last guard: it drops every character XML
1.0 cannot hold. :func:`bidi_controls` finds the bidirectional override and
isolate characters (U+202A-U+202E, U+2066-U+2069) that make text display in
another order than it is stored ("Trojan Source", CVE-2021-42574); the
ordinary right-to-left and left-to-right marks of Arabic or Hebrew text are
not among them.

>>> clean_controls("Leeds\\x0bMind\\x00")
'Leeds\\nMind'
>>> bidi_controls("abc\\u202edcba")
['U+202E']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_RESTORABLE = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")

#: C0 controls other than TAB and LF; CR is among them (a CRLF pair is only a line end).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")
#: Any character XML 1.0 cannot hold (controls, lone surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Bidirectional embeddings, overrides and isolates (Unicode TR9), as in the Trojan Source paper.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")

_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 11: "VT", 12: "FF", 13: "CR", 27: "ESC"}


def neutralise(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet cannot take for a formula (see the module's docstring)."""
    if _NEEDS_QUOTE.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: the text netmap read from a CSV cell it, or a spreadsheet, wrote."""
    if text[:1] == "'" and _RESTORABLE.match(text):
        return text[1:]
    return text


def neutral_cell(value: Any) -> Any:
    """A value as a CSV cell: a text neutralised, its CRs made line breaks; any other value as it is.

    Python's csv module quotes a cell holding LF but not one holding a lone CR,
    which a reader then takes for the end of the row; netmap reads a CR as a
    line break anyway (:func:`clean_controls`).
    """
    if type(value) is not str or not value:
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return neutralise(value)


def neutral_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    """Rows with every text cell neutralised, made one at a time (rows may be a stream)."""
    for row in rows:
        yield [neutral_cell(v) for v in row]


def safe_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame whose text cells, index and column names are neutralised.

    Number columns keep their dtype, so pandas writes them exactly as before.
    """
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "O":  # object or text columns (pandas 3 has a str dtype)
            frame[column] = frame[column].map(neutral_cell)
    if frame.index.dtype.kind == "O":
        frame.index = frame.index.map(neutral_cell)
    frame.columns = [neutral_cell(c) for c in frame.columns]
    return frame


def control_names(text: str) -> list[str]:
    """The C0 controls (other than TAB and LF, and CR in a CRLF pair) in ``text``, as ``U+0000 NUL``."""
    found = dict.fromkeys(ord(c) for c in CONTROLS.findall(text.replace("\r\n", "\n")))
    return [f"U+{code:04X}" + (f" {_CONTROL_NAMES[code]}" if code in _CONTROL_NAMES else "") for code in found]


def clean_controls(text: str) -> str:
    """``text`` with line breaks made LF and every other C0 control but TAB removed."""
    return CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold, so an XML writer always makes a well-formed file."""
    return _NOT_XML.sub("", text)


def bidi_controls(text: str) -> list[str]:
    """The bidirectional override and isolate characters in ``text`` (``U+202E`` ...), once each."""
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(BIDI.findall(text))]
