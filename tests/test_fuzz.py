"""Fuzzing: random bytes and hostile CSV/XLSX text through validate, gaps and every export.

The only failures allowed are :class:`NetmapError`s (the one-line messages the command prints);
every output must be well-formed: XML that parses, CSV with no cell a spreadsheet takes for a
formula, a workbook with no formula cell, JSON that parses. Two tests: 2,000 examples of raw input
through the readers and the validator, and valid maps with hostile names through the whole
pipeline (validate, gaps and every export): 2,000 in CI, 200 in a quick local run. Set
``NETMAP_FUZZ_EXAMPLES`` to scale both.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_safety import formula_cells, well_formed

from netmap.cells import xml_text
from netmap.errors import NetmapError
from netmap.render.export import EXPORT_FORMATS, export
from netmap.workflows import run_map
from netmap.workspace import read_workspace, validate_workspace

SCALE = float(os.environ.get("NETMAP_FUZZ_EXAMPLES", "2000")) / 2000
settings.register_profile("netmap-fuzz", max_examples=max(1, round(2000 * SCALE)), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: The whole pipeline costs about 90 ms an example: 2,000 in CI (``CI`` or ``NETMAP_REQUIRE_SERVICES`` set, as
#: tests/run-all.sh does; about 3 minutes), 200 in a quick local run.
PIPELINE_EXAMPLES = 2000 if os.environ.get("CI") or os.environ.get("NETMAP_REQUIRE_SERVICES") else 200
settings.register_profile("netmap-fuzz-pipeline", parent=settings.get_profile("netmap-fuzz"),
                          max_examples=max(1, round(PIPELINE_EXAMPLES * SCALE)))

#: Characters that have broken spreadsheet and XML tools: formula triggers, quotes, separators,
#: controls, bidirectional overrides, non-characters, and an astral-plane letter.
HOSTILE = ["=", "+", "-", "@", "\t", "\r", "\n", "'", '"', ",", ";", "|", "\x00", "\x0b", "\x1b", "\x7f",
           "\u202e", "\u2066", "\ufffe", "\ufeff", "<", "&", " ", "\U0001f600"]
hostile_text = st.text(st.sampled_from(HOSTILE) | st.characters(exclude_categories=("Cs",)), max_size=10)
HEADERS = ["id", "name", "constituencies", "communities", "led_by_community", "locality", "kind", "aliases",
           "from", "to", "type", "weight", "trust", "since", "Extra Column", "=cmd"]


def _csv(rows: list[list[str]], quoting: int = csv.QUOTE_MINIMAL) -> bytes:
    """CSV bytes; QUOTE_MINIMAL leaves a lone CR unquoted (Python's csv), as some tools do: a broken row."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n", quoting=quoting).writerows(rows)
    return buffer.getvalue().encode("utf-8")


csv_table = st.builds(lambda header, rows: _csv([header, *rows]),
                      st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
                      st.lists(st.lists(hostile_text, max_size=7), max_size=5))
raw_file = st.binary(max_size=120) | csv_table | hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))


@settings(settings.get_profile("netmap-fuzz"))
@given(actors=raw_file, ties=raw_file)
def test_readers_take_any_bytes_or_csv_text(actors, ties):
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "actors.csv").write_bytes(actors)
        Path(folder, "ties.csv").write_bytes(ties)
        try:
            report = validate_workspace(folder)
        except NetmapError:
            return
        assert all(p.file and p.message and str(p) for p in report.problems)
        if report.ok:
            nmap = read_workspace(folder)
            assert all(xml_text(a.name) == a.name for a in nmap.actors)  # controls were removed


def _workbook(header: list[str], rows: list[list[str]], ties: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actors"
    links = book.create_sheet("Ties")
    for ws, table in ((sheet, [header, *rows]), (links, [["from", "to"], *ties])):
        for row in table:
            ws.append([xml_text(c) for c in row])  # a workbook cannot hold the rest
            for cell in ws[ws.max_row]:
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def hostile_map(draw) -> tuple[str, bytes, bytes | None]:
    """A workspace whose structure is valid and whose names, localities and notes are hostile."""
    n = draw(st.integers(1, 5))
    header = ["id", "name", "constituencies", "locality", "notes"]
    rows = [[f"a{i}", draw(hostile_text.filter(lambda t: t.strip("\t\r\n\x0b\x0c\x1c\x1d\x1e\x1f ")))
             + f" {i}", draw(st.sampled_from(["community_group", "faith_group", "nhs_mental_health", ""])),
             draw(hostile_text), draw(hostile_text)] for i in range(n)]
    ties = [[f"a{draw(st.integers(0, n - 1))}", f"a{draw(st.integers(0, n - 1))}"]
            for _ in range(draw(st.integers(0, 6)))]
    if draw(st.booleans()):
        return "xlsx", _workbook(header, rows, ties), None
    return "csv", _csv([header, *rows], csv.QUOTE_ALL), _csv([["from", "to"], *ties])


def _check_output(path: Path, fmt: str) -> None:
    if fmt in ("graphml", "gexf"):
        well_formed(path.read_bytes())
    elif fmt == "json":
        json.loads(path.read_text(encoding="utf-8"))
    elif fmt == "kumu":
        book = openpyxl.load_workbook(path)
        assert not [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row
                    if c.data_type == "f"]
    else:
        for table in path.iterdir():
            assert formula_cells(table.read_text(encoding="utf-8")) == [], table.name


@settings(settings.get_profile("netmap-fuzz-pipeline"))
@given(hostile_map())
def test_hostile_names_go_safely_through_gaps_and_every_export(workspace):
    kind, actors, ties = workspace
    with tempfile.TemporaryDirectory() as folder:
        if kind == "xlsx":
            Path(folder, "map.xlsx").write_bytes(actors)
        else:
            Path(folder, "actors.csv").write_bytes(actors)
            Path(folder, "ties.csv").write_bytes(ties or b"")
        report = validate_workspace(folder)
        assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
        result = run_map(read_workspace(folder), folder=Path(folder))
        assert result.findings is not None  # the gaps ran
        for fmt in EXPORT_FORMATS:
            out = Path(folder, "out", f"map.{'xlsx' if fmt == 'kumu' else fmt}")
            _check_output(export(result, fmt, out), fmt)
