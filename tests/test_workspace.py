"""Reading, validating and writing workspaces (netmap.workspace)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.errors import WorkspaceError
from netmap.model import Actor, Locality, Membership, NetworkMap, Space, Tie
from netmap.workspace import (
    PROBLEM_CODES,
    init_workspace,
    likely_duplicates,
    load_workspace,
    normalise_name,
    read_workspace,
    validate_workspace,
    write_workspace,
)

CORPUS = Path(__file__).parent / "corpus"


def _lines(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_broken_csv_workspace_reports_every_problem_with_file_row_and_column():
    report = validate_workspace(CORPUS / "broken-csv")
    assert not report.ok
    assert _lines(report) == [
        "spaces.csv, row 1: error: file is empty: expected a header row",
        "actors.csv, row 4, column 'id': error: duplicate id 'ccg' (first used on row 2)",
        "actors.csv, row 5, column 'constituencies': error: unknown constituency 'faith_gruop' in framework "
        "'whole-system' (did you mean 'faith_group'?)",
        "actors.csv, row 6, column 'communities': error: unknown community 'martian': use a Census 2021 group "
        "key such as 'caribbean' or 'black'",
        "actors.csv, row 6, column 'led_by_community': error: 'maybe' is not yes or no",
        "ties.csv, row 3, column 'to': error: unknown actor 'nobody': no actor has this id or name",
        "ties.csv, row 4, column 'since': error: '2020-13-45' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)",
        "ties.csv, row 5, column 'trust': error: 7 is outside 1 to 4",
        "memberships.csv, row 1, column 'space': error: missing required column 'space' (found: actor, role)",
    ]


def test_wrong_encoding_is_one_clear_error():
    report = validate_workspace(CORPUS / "broken-encoding")
    assert _lines(report) == [
        "actors.csv, row 2: error: not UTF-8 text (byte 0xe9 at line 2); save it as 'CSV UTF-8' and try again"
    ]


def _save_book(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    """A workbook with these sheets (title -> rows), in this order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_xlsx_with_a_missing_sheet(tmp_path):
    _save_book(tmp_path / "partners.xlsx", {"Ties": [["from", "to"]], "Spaces": [["id", "name"]]})
    report = validate_workspace(tmp_path)
    assert [str(p) for p in report.errors] == [
        "partners.xlsx: error: missing sheet 'Actors' (found: Ties, Spaces)"
    ]


def test_xlsx_workspace_reads_like_csv(tmp_path):
    _save_book(tmp_path / "map.xlsx", {
        "Actors": [["ID", "Name", "Constituencies"], ["ccg", "Leeds CCG", "commissioner"],
                   ["gate", "Leeds GATE", "community organisation (by and for)"]],
        "Ties": [["From", "To", "Type"], ["ccg", "Leeds GATE", "funds"]],
    })
    nmap = read_workspace(tmp_path)
    assert [a.constituencies for a in nmap.actors] == [("commissioner",), ("community_group",)]
    assert nmap.ties == [Tie("ccg", "gate", "funds", directed=True)]


def test_kumu_sheets_import(tmp_path):
    _save_book(tmp_path / "kumu.xlsx", {
        "Elements": [["Label", "Type", "Tags"], ["Leeds CCG", "Commissioner", ""],
                     ["Leeds GATE", "community_group", "Gypsy or Irish Traveller | advocacy_activism | roads"]],
        "Connections": [["From", "To", "Type"], ["leeds ccg", "LEEDS GATE.", "Funds"]],
    })
    nmap, report = load_workspace(tmp_path)
    assert report.ok
    assert [(a.id, a.constituencies, a.communities) for a in nmap.actors] == [
        ("leeds-ccg", ("commissioner",), ()),
        ("leeds-gate", ("community_group", "advocacy_activism"), ("gypsy_or_irish_traveller",)),
    ]
    assert nmap.ties[0].key == ("leeds-ccg", "leeds-gate", "funds")
    assert [str(w) for w in report.warnings if w.code != "no_config"] == [
        "kumu.xlsx [Elements], row 3, column 'tags': warning: 'roads' matches no constituency or community; "
        "kept in notes"]
    assert nmap.actors[1].notes == "tags: roads"


def test_names_match_despite_case_spacing_and_punctuation(tmp_path):
    init_workspace(tmp_path)
    (tmp_path / "actors.csv").write_text(
        "id,name,constituencies\nmhp,Greater Manchester Health & Social Care Partnership,commissioner\n"
        "mind,Mind Manchester,vcse_provider\nmind2,  mind  manchester. ,vcse_provider\n", encoding="utf-8")
    (tmp_path / "ties.csv").write_text(
        "from,to,type\ngreater manchester health and social care partnership,MIND MANCHESTER,funds\n",
        encoding="utf-8")
    nmap, report = load_workspace(tmp_path)
    assert nmap.ties[0].from_id == "mhp" and nmap.ties[0].to_id == "mind"
    dupes = [str(w) for w in report.warnings if w.code == "likely_duplicate"]
    assert dupes == ["actors.csv, row 4, column 'name': warning: 'mind  manchester.' (mind2) may be a "
                     "duplicate of 'Mind Manchester' (mind) on row 3: the same name"]


def test_near_duplicate_names_are_reported():
    actors = [Actor("a", "Caribbean and African Health Network"), Actor("b", "Carribean and African Health Network"),
              Actor("c", "Mind Manchester")]
    assert [(i, j) for i, j, _, _ in likely_duplicates(actors)] == [(0, 1)]


def test_repeated_tie_from_both_ends_is_merged_and_confirmed(tmp_path):
    init_workspace(tmp_path)
    (tmp_path / "actors.csv").write_text("id,name\na,A\nb,B\n", encoding="utf-8")
    (tmp_path / "ties.csv").write_text("from,to,reported_by\na,b,a\nb,a,b\n", encoding="utf-8")
    nmap, report = load_workspace(tmp_path)
    assert len(nmap.ties) == 1 and nmap.ties[0].confirmed
    assert [w.code for w in report.warnings if w.code != "unclassified"] == ["duplicate_tie"]


def test_read_workspace_raises_with_the_first_problem_and_a_count():
    with pytest.raises(WorkspaceError) as info:
        read_workspace(CORPUS / "broken-csv")
    assert str(info.value).endswith(
        "spaces.csv, row 1: error: file is empty: expected a header row (and 8 more; run 'netmap validate')")


def test_missing_folder():
    with pytest.raises(WorkspaceError, match="no such workspace folder"):
        load_workspace(CORPUS / "does-not-exist")


def test_init_template_validates_and_refuses_to_overwrite(tmp_path):
    written = init_workspace(tmp_path / "my-map")
    assert {p.name for p in written} == {"netmap.toml", "README.txt", "actors.csv", "ties.csv", "spaces.csv",
                                         "memberships.csv"}
    assert validate_workspace(tmp_path / "my-map").ok
    with pytest.raises(WorkspaceError, match="already exists: use --force"):
        init_workspace(tmp_path / "my-map")


def test_init_xlsx_template_validates(tmp_path):
    init_workspace(tmp_path / "book", xlsx=True)
    report = validate_workspace(tmp_path / "book")
    assert report.ok, _lines(report)
    assert openpyxl.load_workbook(tmp_path / "book" / "workspace.xlsx").sheetnames[:2] == ["Read me", "Actors"]


def test_fixing_a_file_and_rerunning_loses_nothing(tmp_path):
    shutil.copytree(CORPUS / "broken-csv", tmp_path / "ws")
    before = (tmp_path / "ws" / "actors.csv").read_bytes()
    assert not validate_workspace(tmp_path / "ws").ok
    assert (tmp_path / "ws" / "actors.csv").read_bytes() == before


def test_normalise_name_examples():
    assert normalise_name("Whitworth Gallery, The") != normalise_name("The Whitworth Gallery")
    assert normalise_name("Leeds GATE") == normalise_name("leeds-gate")
    assert normalise_name("Café") == normalise_name("cafe")


# --------------------------------------------------------------------------- round trip

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25).map(str.strip)
_key = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)


@st.composite
def _maps(draw) -> NetworkMap:
    ids = draw(st.lists(_key, min_size=1, max_size=6, unique=True))
    names = draw(st.lists(_text.filter(bool), min_size=len(ids), max_size=len(ids), unique_by=normalise_name))
    actors = [
        Actor(id=i, name=n, constituencies=tuple(draw(st.lists(
            st.sampled_from(["commissioner", "vcse_provider", "faith_group"]), unique=True, max_size=2))),
              communities=tuple(draw(st.lists(st.sampled_from(["caribbean", "black", "roma"]), unique=True,
                                              max_size=2))),
              led_by_community=draw(st.booleans()), notes=draw(_text), source=draw(_text),
              attributes={"website": "x"} if draw(st.booleans()) else {})
        for i, n in zip(ids, names, strict=True)
    ]
    ties = []
    if len(ids) > 1:
        for a, b in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6)):
            tie = Tie(a, b, draw(st.sampled_from(["partnership", "funds"])), directed=draw(st.booleans()),
                      weight=draw(st.sampled_from([1.0, 2.5, 0.25])), trust=draw(st.sampled_from([None, 1.0, 3.5])),
                      since=draw(st.sampled_from(["", "2020", "2021-02-28"])), notes=draw(_text))
            if a != b and tie.key not in {t.key for t in ties}:
                ties.append(tie)
    spaces = [Space("s1", draw(_text.filter(bool)), "forum", "here", source=draw(_text))]
    memberships = [Membership(i, "s1", draw(st.sampled_from(["member", "convenor"]))) for i in ids[:3]]
    return NetworkMap(key="m", name=draw(_text.filter(bool)), actors=actors, ties=ties, spaces=spaces,
                      memberships=memberships, localities=[Locality("here", "Here", "leeds")],
                      snapshot="2021-11", ego=(ids[0],), description=draw(_text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nmap=_maps())
def test_write_then_read_gives_the_same_map(tmp_path_factory, nmap):
    folder = tmp_path_factory.mktemp("rt")
    write_workspace(nmap, folder)
    again = read_workspace(folder)
    assert again == nmap


# --------------------------------------------------------------------------- awkward files people really send


def _workspace(tmp_path, actors: str, **files: str) -> Path:
    init_workspace(tmp_path, force=True)
    (tmp_path / "actors.csv").write_text(actors, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_semicolon_separated_csv_says_so(tmp_path):
    report = validate_workspace(_workspace(tmp_path, "id;name\na;A\n"))
    assert [str(p) for p in report.errors] == [
        "actors.csv, row 1: error: the columns are separated by ';': save the file as 'CSV UTF-8 (comma delimited)'"]


def test_unquoted_comma_is_not_lost_silently(tmp_path):
    report = validate_workspace(_workspace(tmp_path, "id,name,notes\nsul,Leeds Voice,note with, comma\n",
                                           **{"netmap.toml": "map = \"t\"\n"}))
    report.problems = [p for p in report.problems if p.code != "unclassified"]
    assert [str(p) for p in report.warnings] == [
        "actors.csv, row 2: warning: 1 cell(s) outside the named columns ignored (first: 'comma'); quote cells "
        "that contain commas"]


def test_blank_lines_before_the_header_are_skipped(tmp_path):
    nmap, report = load_workspace(_workspace(tmp_path, "\n\nid,name\na,A\n"))
    assert report.ok and [a.id for a in nmap.actors] == ["a"]


def test_extra_sheets_in_a_workbook_are_ignored(tmp_path):
    init_workspace(tmp_path / "book", xlsx=True)
    book = openpyxl.load_workbook(tmp_path / "book" / "workspace.xlsx")
    book.create_sheet("Sheet2")
    book["Actors"].append(["a", "A"])
    book.save(tmp_path / "book" / "workspace.xlsx")
    nmap, report = load_workspace(tmp_path / "book")
    assert report.ok and len(nmap.actors) == 1


def test_data_setting_must_name_a_workbook(tmp_path):
    _workspace(tmp_path, "id,name\na,A\n")
    config = tmp_path / "netmap.toml"
    config.write_text('data = "actors.csv"\n' + config.read_text())
    report = validate_workspace(tmp_path)
    assert [str(p) for p in report.errors] == [
        "netmap.toml, column 'data': error: data file 'actors.csv' must be an Excel workbook (.xlsx); for CSV "
        "files remove the 'data' line"]


def test_misspelt_setting_is_a_warning_with_a_hint(tmp_path):
    _workspace(tmp_path, "id,name\na,A\n")
    config = tmp_path / "netmap.toml"
    config.write_text('framwork = "pledge"\n' + config.read_text())
    assert [str(p) for p in validate_workspace(tmp_path).warnings if p.code != "unclassified"] == [
        "netmap.toml, column 'framwork': warning: unknown setting 'framwork' ignored (did you mean 'framework'?)"]


def test_init_in_a_folder_with_an_awkward_name_validates(tmp_path):
    init_workspace(tmp_path / "My Map (2025)")
    assert validate_workspace(tmp_path / "My Map (2025)").ok


def test_apostrophes_full_stops_and_id_case_match(tmp_path):
    nmap, report = load_workspace(_workspace(
        tmp_path, "id,name\nccg,Leeds C.C.G.\nhospice,St Mary's Hospice\n",
        **{"ties.csv": "from,to\nCCG,st marys hospice\n"}))
    assert report.ok
    assert nmap.ties[0].key == ("ccg", "hospice", "partnership")


# --------------------------------------------------------------------------- problem codes and the writer


def _emitted_codes() -> dict[str, set[str]]:
    """code -> severities of every literal problem code in netmap/workspace: passed to an ``error`` or
    ``warning`` call (as ``code=...`` or as the last positional argument, as a row reader takes it), or
    to ``resolve`` (whose problems are errors)."""
    import ast

    import netmap.workspace

    found: dict[str, set[str]] = {}
    for path in Path(netmap.workspace.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in ("error", "warning", "note", "resolve"):
                continue
            values = [k.value for k in node.keywords if k.arg == "code"]
            if not values and name != "resolve" and len(node.args) >= 3:
                values = [node.args[-1]]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, set()).add(name if name in ("warning", "note") else "error")
    return found


def test_every_problem_code_is_in_the_catalogue_and_the_docs():
    emitted = _emitted_codes()
    assert "unknown_space" in emitted and "likely_duplicate" in emitted and "bad_number" in emitted
    assert set(emitted) == set(PROBLEM_CODES)
    assert all(meaning and "\n" not in meaning for meaning in PROBLEM_CODES.values())
    docs = (Path(__file__).parent.parent / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line.split("|")[2].strip()
            for line in docs.splitlines() if line.startswith("| `")}
    assert set(rows) == set(PROBLEM_CODES)
    for code, severities in emitted.items():
        assert rows[code] == " or ".join(sorted(severities)), code


def test_problems_carry_catalogued_codes():
    report = validate_workspace(CORPUS / "broken-csv")
    assert {p.code for p in report.problems} <= set(PROBLEM_CODES)
    assert all(p.code for p in report.problems)


def test_streaming_writer_leaves_nothing_when_interrupted(tmp_path):
    from netmap.workspace.write import table_rows, write_tables

    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "ties.csv").write_text("old\n", encoding="utf-8")
    nmap = NetworkMap(key="t", name="T", actors=[Actor("a", "A"), Actor("b", "B")])

    def ties():
        yield Tie("a", "b")
        raise KeyboardInterrupt  # stopped mid-write, after some rows

    with pytest.raises(KeyboardInterrupt):
        write_tables(folder, "map = \"t\"\n", table_rows(nmap, ties=ties()))
    # no temporary file left, and no file replaced or half-written
    assert sorted(p.name for p in folder.iterdir()) == ["ties.csv"]
    assert (folder / "ties.csv").read_text(encoding="utf-8") == "old\n"
    counts = write_tables(folder, "map = \"t\"\n", table_rows(nmap, ties=iter([Tie("a", "b")])))
    assert counts == {"actors": 2, "ties": 1, "spaces": 0, "memberships": 0}
    assert sorted(p.name for p in folder.iterdir()) == ["actors.csv", "memberships.csv", "netmap.toml",
                                                       "spaces.csv", "ties.csv"]


def test_atomic_files_turn_os_errors_into_output_errors(tmp_path):
    from netmap.errors import OutputError
    from netmap.fileio import atomic_files

    with pytest.raises(OutputError, match="cannot write"), atomic_files(tmp_path) as staged:
        with staged.open("a.txt") as out:
            out.write("half")
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_deprecated_ingest_alias_keeps_the_old_names():
    import importlib
    import sys

    sys.modules.pop("netmap.ingest", None)
    with pytest.warns(DeprecationWarning, match="netmap.workspace"):
        ingest = importlib.import_module("netmap.ingest")
    assert ingest.ACTOR_COLUMNS[:2] == ("id", "name") and ingest.MEMBERSHIP_COLUMNS[0] == "actor"
    assert ingest.Tie is Tie and ingest.read_workspace is read_workspace
    for name in ingest.__all__:
        assert getattr(ingest, name) is not None, name
