"""Outputs that are safe to open and share: no formulas, well-formed XML, only regular files, nothing half-written.

Issue 11, points 1 (formula injection), 3 (control and bidirectional characters), 4 (outputs that are
not files; all-or-nothing folders) and 16 (GEXF against the published schema). The fuzzing of the
readers and every export is in tests/test_fuzz.py.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from netmap.cells import neutralise, restore
from netmap.cli import main
from netmap.errors import OutputError
from netmap.fileio import StagedFiles, atomic_files, write_text_atomically
from netmap.model import Actor, NetworkMap, Tie
from netmap.render.documents import result_files
from netmap.render.export import export
from netmap.resources import sites_dir
from netmap.workflows import run_map
from netmap.workspace import read_workspace, validate_workspace, write_workspace
from netmap.workspace.write import tie_row

#: The classic CSV-injection payloads (OWASP), as partner names.
PAYLOADS = ['=HYPERLINK("http://example.invalid/?x=1","Open me")', "=cmd|' /C calc'!A1", "+1+1", "-2+3",
            "@SUM(1)", "\t=1", "\r=2"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SCHEMA = Path(__file__).parent / "schemas" / "gexf-1.2draft" / "gexf.xsd"
GEXF_NS, VIZ_NS = "http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/viz"


def _payload_map() -> NetworkMap:
    actors = [Actor(f"p{i}", name, constituencies=("community_group",)) for i, name in enumerate(PAYLOADS)]
    actors.append(Actor("apostrophe", "'t Hooft Trust", constituencies=("faith_group",)))
    actors.append(Actor("quoted", "'=already quoted", constituencies=("faith_group",)))
    ties = [Tie(a.id, b.id, "partnership") for a, b in itertools.pairwise(actors)]
    return NetworkMap(key="payloads", name="=Payloads", actors=actors, ties=ties)


def _read_names(folder: Path) -> list[str]:
    return [a.name for a in read_workspace(folder).actors]


def formula_cells(text: str) -> list[str]:
    """Cells of a CSV text that a spreadsheet would take for a formula (a number is not one)."""
    found = []
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell[:1] in TRIGGERS:
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


def well_formed(data: bytes) -> ET.Element:
    """Parse XML with the standard library and, where installed, lxml; either fails on a bad document."""
    root = ET.fromstring(data)
    try:
        from lxml import etree
    except ImportError:
        return root
    etree.fromstring(data)
    return root


# --------------------------------------------------------------------------- 1. formula injection


@given(st.text())
def test_restore_undoes_neutralise_for_every_text(text):
    assert restore(neutralise(text)) == text
    if text[:1] in ("=", "@") or (text[:1] in TRIGGERS and not _is_number(text)):
        assert neutralise(text) == "'" + text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and "_" not in text and text.lower().lstrip("+-")[:1] not in ("i", "n")


def test_numbers_stay_numbers_and_real_apostrophes_survive():
    assert [neutralise(t) for t in ("-2.5", "+3", "-0", "1e-05")] == ["-2.5", "+3", "-0", "1e-05"]
    assert tie_row(Tie("a", "b", weight=2.5))[4] == "2.5"
    assert restore("'t Hooft Trust") == "'t Hooft Trust" and restore("'Mind'") == "'Mind'"
    assert neutralise("'=x") == "''=x" and restore("''=x") == "'=x"


def test_workspace_written_by_netmap_holds_no_formula_and_reads_back_the_same(tmp_path):
    nmap = _payload_map()
    write_workspace(nmap, tmp_path / "ws")  # as `netmap neo4j pull` writes a pulled map
    text = (tmp_path / "ws" / "actors.csv").read_text(encoding="utf-8")
    assert formula_cells(text) == []
    assert "'=cmd|' /C calc'!A1" in text and "''=already quoted" in text
    report = validate_workspace(tmp_path / "ws")
    assert report.ok, report.problems
    # names come back as written; a leading TAB or CR is trimmed, as from any cell netmap reads
    assert _read_names(tmp_path / "ws") == [a.name.strip() for a in nmap.actors]
    assert read_workspace(tmp_path / "ws").name == "=Payloads"


def test_csv_export_and_demo_results_hold_no_formula(tmp_path):
    result = run_map(_payload_map())
    folder = export(result, "csv", tmp_path / "csv")
    for path in sorted(folder.iterdir()):
        assert formula_cells(path.read_text(encoding="utf-8")) == [], path.name
    for name, text in result_files(result).items():
        if name.endswith(".csv"):
            assert formula_cells(text) == [], name
    rows = list(csv.DictReader((folder / "actors.csv").open(encoding="utf-8", newline="")))
    assert {restore(r["name"]) for r in rows} == {a.name.replace("\r", "\n") for a in result.nmap.actors}
    ties = list(csv.DictReader((folder / "ties.csv").open(encoding="utf-8", newline="")))
    assert {t["weight"] for t in ties} == {"1"}  # numbers unquoted


def test_kumu_workbook_has_text_cells_never_formulas_and_reimports_the_names(tmp_path):
    result = run_map(_payload_map())
    path = export(result, "kumu", tmp_path / "kumu" / "map.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    labels = [c.value for c in book["Elements"]["A"][1:]]
    # exactly as named, as text (XML reads a CR as a line break)
    assert labels == [a.name.replace("\r", "\n") for a in result.nmap.actors]
    assert sorted(_read_names(tmp_path / "kumu")) == sorted(a.name.strip() for a in result.nmap.actors)


# --------------------------------------------------------------------------- 3. control and bidi characters


def _hostile_workspace(folder: Path) -> Path:
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "id,name,constituencies\n"
        "nul,Leeds\x00 Mind,community_group\n"
        "vt,Touchstone\x0bLeeds,community_group\n"
        "esc,Esc\x1b[31mape,faith_group\n"
        "rlo,Leeds \u202eDNIM,faith_group\n"
        "crlf,\"Two\r\nlines\",faith_group\n", encoding="utf-8", newline="")
    (folder / "ties.csv").write_text("from,to\nnul,vt\nvt,esc\nesc,rlo\n", encoding="utf-8")
    return folder


def test_control_characters_are_removed_with_a_warning_naming_the_cell(tmp_path):
    folder = _hostile_workspace(tmp_path / "ws")
    report = validate_workspace(folder)
    warnings = [str(p) for p in report.problems if p.code == "control_character"]
    assert warnings == [
        "actors.csv, row 2, column 'name': warning: control character(s) U+0000 NUL removed (a vertical tab, form "
        "feed or CR became a line break): they are invisible, and other tools cannot read them",
        "actors.csv, row 3, column 'name': warning: control character(s) U+000B VT removed (a vertical tab, form "
        "feed or CR became a line break): they are invisible, and other tools cannot read them",
        "actors.csv, row 4, column 'name': warning: control character(s) U+001B ESC removed (a vertical tab, form "
        "feed or CR became a line break): they are invisible, and other tools cannot read them"]
    bidi = [str(p) for p in report.problems if p.code == "bidi_control"]
    assert bidi == ["actors.csv, row 5, column 'name': warning: 'Leeds <U+202E>DNIM' holds U+202E, a right-to-left "
                    "or other bidirectional override: it shows the text in another order than it is stored, which "
                    "can disguise a name; remove it unless the text needs it"]
    assert report.ok
    names = _read_names(folder)
    assert names == ["Leeds Mind", "Touchstone\nLeeds", "Esc[31mape", "Leeds \u202eDNIM", "Two\nlines"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_are_well_formed_whatever_the_names(tmp_path, fmt):
    # straight from Python, past the reader: the writer is the last guard
    bad = ["NUL\x00", "VT\x0b", "ESC\x1b", "FFFE\ufffe", "RLO\u202e", "amp & <tag>"]
    nmap = NetworkMap(key="x\x01", name="Title\x00", actors=[Actor(f"a{i}", n) for i, n in enumerate(bad)],
                      ties=[Tie("a0", "a1"), Tie("a2", "a3", notes="\x07")])
    nmap.actors[0].attributes["extra\x02column"] = "value\x03"
    path = export(run_map(nmap), fmt, tmp_path / f"map.{fmt}")
    root = well_formed(path.read_bytes())
    text = ET.tostring(root, encoding="unicode")
    assert "NUL" in text and "amp &amp; &lt;tag&gt;" in text and "\u202e" in text


def test_exports_of_a_hostile_workspace_exit_0_and_are_well_formed(tmp_path):
    folder = _hostile_workspace(tmp_path / "ws")
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"out.{fmt}"
        res = CliRunner().invoke(main, ["export", str(folder), "--format", fmt, "--out", str(out)])
        assert res.exit_code == 0, res.output
        well_formed(out.read_bytes())


# --------------------------------------------------------------------------- 4. files that are not files


def _export_cli(out: Path, fmt: str = "graphml") -> tuple[int, str]:
    res = CliRunner().invoke(main, ["export", str(sites_dir() / "leeds"), "--format", fmt, "--out", str(out)])
    return res.exit_code, res.output


def test_a_fifo_is_refused_with_one_line(tmp_path):
    fifo = tmp_path / "pipe.graphml"
    os.mkfifo(fifo)
    code, output = _export_cli(fifo)
    assert code == 1
    assert output.strip().splitlines() == [f"Error: {fifo}: is a named pipe (FIFO): netmap writes only to a new "
                                           "path or a regular file"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_to_a_device_is_refused_and_the_link_kept(tmp_path):
    link = tmp_path / "null.graphml"
    link.symlink_to("/dev/null")
    code, output = _export_cli(link)
    assert code == 1 and output.strip() == (f"Error: {link}: is a symbolic link to a device: netmap writes only to "
                                            "a new path or a regular file")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(OutputError, match="is a device"):
        write_text_atomically("/dev/null", "x")
    with pytest.raises(OutputError, match="is a folder"):
        write_text_atomically(tmp_path, "x")


def test_a_link_to_a_regular_file_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.graphml"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.graphml"
    link.symlink_to(real)
    code, _ = _export_cli(link)
    assert code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("<?xml")
    dangling = tmp_path / "dangling.graphml"
    dangling.symlink_to(tmp_path / "nowhere")
    code, output = _export_cli(dangling)
    assert code == 1 and "is a symbolic link to nothing" in output


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_ctrl_c_mid_export_leaves_the_old_folder_and_no_temporary_file(tmp_path, leeds, monkeypatch):
    out = tmp_path / "leeds-csv"
    export(leeds, "csv", out)
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    before = _tree(tmp_path)
    opened = StagedFiles.open

    def interrupted(self, name, **kwargs):
        if len(self.names) == 3:
            raise KeyboardInterrupt
        return opened(self, name, **kwargs)

    monkeypatch.setattr(StagedFiles, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(leeds, "csv", out)
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leeds-csv"]


def test_a_rewritten_folder_keeps_files_netmap_does_not_write(tmp_path):
    folder = tmp_path / "ws"
    write_workspace(_payload_map(), folder)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "actors.csv").write_text("id,name\nold,Old\n", encoding="utf-8")
    inode = (folder / "notes.txt").stat().st_ino
    write_workspace(_payload_map(), folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "notes.txt").stat().st_ino == inode  # the same file, linked across
    assert "Old" not in (folder / "actors.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]  # no temporary folder left


def test_a_folder_holding_folders_or_the_current_one_is_written_file_by_file(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    (folder / "archive").mkdir(parents=True)
    (folder / "archive" / "2024.csv").write_text("kept", encoding="utf-8")
    write_workspace(_payload_map(), folder)
    assert (folder / "archive" / "2024.csv").read_text(encoding="utf-8") == "kept"
    monkeypatch.chdir(folder)
    write_workspace(_payload_map(), ".")
    assert Path.cwd() == folder and (folder / "actors.csv").is_file()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_link_or_pipe_inside_an_output_folder_is_refused(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "actors.csv").symlink_to("/dev/null")
    with pytest.raises(OutputError, match=r"actors.csv: is a symbolic link to a device"):
        write_workspace(_payload_map(), folder)
    (folder / "actors.csv").unlink()
    (folder / "actors.csv").write_text("x", encoding="utf-8")
    (folder / "ties.csv").symlink_to(folder / "actors.csv")
    with pytest.raises(OutputError, match=r"ties.csv: is a symbolic link: netmap does not replace links"):
        write_workspace(_payload_map(), folder)
    assert (folder / "actors.csv").read_text(encoding="utf-8") == "x" and (folder / "ties.csv").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def test_a_new_folder_appears_whole(tmp_path):
    seen = []
    with atomic_files(tmp_path / "new") as staged:
        for name in ("a.csv", "b.csv"):
            with staged.open(name) as out:
                out.write("x\n")
            seen.append((tmp_path / "new").exists())
    assert seen == [False, False] and sorted(p.name for p in (tmp_path / "new").iterdir()) == ["a.csv", "b.csv"]
    assert oct((tmp_path / "new").stat().st_mode & 0o777) != "0o700"


# --------------------------------------------------------------------------- 16. GEXF against its schema


def _gexf_schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(SCHEMA))


def _as_schema_expects(data: bytes) -> ET.Element:
    """The document with viz:color/position/size moved into the GEXF namespace (see tests/schemas/.../README.md)."""
    root = ET.fromstring(data)
    for element in root.iter():
        if element.tag in (f"{{{VIZ_NS}}}color", f"{{{VIZ_NS}}}position", f"{{{VIZ_NS}}}size"):
            element.tag = element.tag.replace(VIZ_NS, GEXF_NS)
    return root


@pytest.mark.parametrize("site", ["leeds", "tricky"])
def test_gexf_is_valid_against_the_published_schema(tmp_path, site, request):
    schema = _gexf_schema()
    path = export(request.getfixturevalue(site), "gexf", tmp_path / "map.gexf")
    root = ET.fromstring(path.read_bytes())
    graph = root.find(f"{{{GEXF_NS}}}graph")
    assert graph is not None and "name" not in graph.attrib
    description = root.find(f"{{{GEXF_NS}}}meta/{{{GEXF_NS}}}description")
    assert description is not None and description.text == request.getfixturevalue(site).title
    errors = [f"{e.reason} at {e.path}" for e in schema.iter_errors(_as_schema_expects(path.read_bytes()))]
    assert errors == []


def test_the_schema_check_can_fail(tmp_path, leeds):
    schema = _gexf_schema()
    data = export(leeds, "gexf", tmp_path / "map.gexf").read_bytes()
    root = _as_schema_expects(data)
    root.find(f"{{{GEXF_NS}}}graph").set("name", "stray")  # what networkx writes by itself
    assert any("'name' attribute not allowed" in e.reason for e in schema.iter_errors(root))
    raw = ET.fromstring(data)  # viz elements where Gephi writes them: the published schema's known defect
    assert not schema.is_valid(raw)
