"""Reading a workspace a column (or a batch of lines) at a time gives exactly what reading it row by row gives.

Random messy workspaces (unknown actors, bad numbers and dates, periods that
end before they start, repeated and self ties, reporters with unknown or
repeated actors, blank and short rows, spaces around cells, CRLF line ends,
quoted cells or none) are read twice: as netmap reads them, in small batches
so that clean and messy batches mix, and with every fast path turned off
(``csv.reader`` for every file, every row checked and typed on its own). The
maps and every problem (message, row, column, code, in order) must be equal.
"""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netmap.workspace.tables as tables
import netmap.workspace.tie_columns as tie_columns
import netmap.workspace.validate as validate
from netmap.workspace.load import load_workspace

IDS = ["a1", "b2", "c3", "d4", "e5", "f6"]
NAMES = ["Mind Leeds", "Leeds Mind", "Carers Leeds", "Touchstone", "Leeds Gate", "Age UK Leeds"]

def _cells(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """A cell: most often one that reads without a problem, so that clean and messy rows mix."""
    return st.sampled_from(good * 12 + bad)


actor_ref = _cells([*IDS, "mind leeds", "LEEDS GATE", " a1 "], ["nobody", "", "a1 ; b2"])
tie_cells = {
    "from": actor_ref,
    "to": actor_ref,
    "type": _cells(["", "funds", "partnership", "Refers To", "co-produces"], ["odd_type", "bad type!"]),
    "directed": _cells(["", "yes", "no", " Y "], ["maybe"]),
    "weight": _cells(["", "1", "2.5"], ["0", "-1", "x", "nan"]),
    "trust": _cells(["", "1", "4", "2.2"], ["5"]),
    "value": _cells(["", "3"], ["0"]),
    "since": _cells(["", "2015", "2019-04"], ["1/4/20", "2020-02-30", "soon"]),
    "until": _cells(["", "2016", "2012", "2021-12-31"], []),
    "reported_by": _cells(["", "a1", "a1; b2", "b2;a1", "a1; a1", "mind leeds; Touchstone", "a1; b2; c3"],
                          ["a1 | c3", "a1; nobody", "; a1", "x;"]),
    "source": _cells(["", "survey", " padded ", "\u00a0café\u00a0"], []),
    "notes": _cells(["", "note", "tab\tin it"], ["a, b"]),
}


@st.composite
def tie_rows(draw) -> list[list[str]]:
    """Rows of cells, mostly full width, some short, long or blank."""
    rows = []
    for _ in range(draw(st.integers(0, 40))):
        shape = draw(st.sampled_from(["full"] * 30 + ["short", "long", "blank", "commas"]))
        if shape == "blank":
            rows.append([])
        elif shape == "commas":
            rows.append([""] * len(tie_cells))
        else:
            row = [draw(strategy) for strategy in tie_cells.values()]
            rows.append(row[:3] if shape == "short" else [*row, "extra"] if shape == "long" else row)
    return rows


def _csv(header: list[str], rows: list[list[str]], quote_all: bool, crlf: bool) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote_all or "," in text else text

    end = "\r\n" if crlf else "\n"
    return "".join(",".join(map(cell, row)) + end for row in [header, *rows])


def _read(folder) -> tuple:
    nmap, report = load_workspace(folder)
    assert nmap is not None
    table = tables.read_csv_table(folder / "ties.csv", tables.ValidationReport("ws"))
    cells = (list(table.numbers), table.columns) if table is not None else None
    return (nmap.actors, nmap.ties, [p.to_dict() for p in report.problems], report.omitted, cells)


def _row_by_row(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(tables, "_quoteless", lambda data, neutralised, suspect: False)
    mp.setattr(tables._Builder, "add_plain", lambda self, first, batch: False)
    mp.setattr(validate, "clean_ties", lambda table, index: ([None] * len(table), [None] * len(table)))
    mp.setattr(validate, "_clean_actors", lambda table, vocab, extras: iter([None] * len(table)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(rows=tie_rows(), quote_all=st.booleans(), crlf=st.booleans(), batch=st.sampled_from([3, 7, 50_000]))
def test_column_wise_reading_equals_row_by_row(tmp_path_factory, rows, quote_all, crlf, batch):
    folder = tmp_path_factory.mktemp("ws")
    actors = [[i, n, "", "", "organisation", "", "no", "no", "", "local", "", ""]
              for i, n in zip(IDS, NAMES, strict=True)]
    (folder / "actors.csv").write_text(_csv(list(tables.COLUMNS["actors"]), actors, False, crlf),
                                       encoding="utf-8", newline="")
    (folder / "ties.csv").write_text(_csv(list(tie_cells), rows, quote_all, crlf), encoding="utf-8", newline="")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tables, "BATCH_ROWS", batch)
        mp.setattr(tie_columns, "PART_ROWS", batch)
        fast = _read(folder)
        _row_by_row(mp)
        slow = _read(folder)
    assert fast == slow


def test_a_clean_file_without_quotes_is_read_by_lines_and_gives_the_same_cells(tmp_path):
    """The same ties file, with and without a quoted cell, reads to the same map (one by lines, one by csv)."""
    rows = [["a1", "b2", "funds", "", "2", "", "", "2015", "", "a1; b2", "survey", ""],
            ["c3", " d4 ", "", "no", "", "", "", "", "", "", "", ""]]
    found = []
    for quoted in (False, True):
        folder = tmp_path / str(quoted)
        folder.mkdir()
        actors = [[i, n, "", "", "", "", "", "", "", "", "", ""] for i, n in zip(IDS, NAMES, strict=True)]
        (folder / "actors.csv").write_text(_csv(list(tables.COLUMNS["actors"]), actors, False, False))
        (folder / "ties.csv").write_text(_csv(list(tie_cells), rows, quoted, False))
        found.append(_read(folder))
        assert tables._quoteless((folder / "ties.csv").read_bytes(), False, False) is not quoted
    assert found[0] == found[1]
    ties = found[0][1]
    assert [(t.from_id, t.to_id, t.type, t.directed, t.weight, t.since, t.reported_by) for t in ties] == [
        ("a1", "b2", "funds", True, 2.0, "2015", ("a1", "b2")), ("c3", "d4", "partnership", False, 1.0, "", ())]


def test_an_over_long_cell_in_a_file_without_quotes_is_reported_on_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "CSV_CELL_LIMIT", 40)
    path = tmp_path / "ties.csv"
    path.write_text("from,to,notes\na,b,short\na,b," + "x" * 41 + "\n")
    found = []
    previous = csv.field_size_limit(40)
    try:
        for quoteless in (True, False):
            report = tables.ValidationReport("ws")
            monkeypatch.setattr(tables, "_quoteless", lambda data, neutralised, suspect, q=quoteless: q)
            assert tables.read_csv_table(path, report) is None
            found.append([str(p) for p in report.problems])
    finally:
        csv.field_size_limit(previous)
    assert found[0] == found[1] == ["ties.csv, row 3: error: not a valid CSV file: field larger than field limit (40)"]
