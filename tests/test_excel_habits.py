"""Habits people bring from Excel (issue 9, points 7-10): UK dates, comma lists, blank ids, workbooks.

Every test goes through the ``netmap`` command, as a convenor meets it, and checks the exact lines
printed and the values stored.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from netmap.cli import main
from netmap.workspace import read_workspace
from netmap.workspace.values import read_date

CONFIG = 'map = "forum"\nname = "Forum"\n\n[[localities]]\nkey = "local"\nname = "Local"\n'
ACTORS = ("id,name,constituencies\ncouncil,Northfield Council,local_authority\n"
          "arts,Northfield Arts,arts_culture\nhw,Healthwatch Northfield,patient_voice\n")


def _workspace(folder: Path, actors: str = ACTORS, ties: str = "") -> Path:
    folder.mkdir()
    (folder / "netmap.toml").write_text(CONFIG, encoding="utf-8")
    (folder / "actors.csv").write_text(actors, encoding="utf-8")
    if ties:
        (folder / "ties.csv").write_text(ties, encoding="utf-8")
    return folder


def _validate(folder: Path) -> tuple[list[str], int]:
    result = CliRunner().invoke(main, ["validate", str(folder)], catch_exceptions=False)
    return result.output.splitlines(), result.exit_code


# ---- 7. UK dates ---------------------------------------------------------------------------------------


def test_uk_dates_and_excel_numbers_are_read_as_day_month_year_with_a_note(tmp_path):
    ties = ("from,to,since,until\n"
            "council,arts,01/04/2020,31/03/2021\n"
            "council,hw,1/4/20,\n"
            "arts,hw,43922,2020-06\n")
    folder = _workspace(tmp_path / "ws", ties=ties)
    lines, code = _validate(folder)
    assert lines == [
        "ties.csv, row 2, column 'since': note: read '01/04/2020' as 1 April 2020 (day/month/year)",
        "ties.csv, row 2, column 'until': note: read '31/03/2021' as 31 March 2021 (day/month/year)",
        "ties.csv, row 3, column 'since': note: read '1/4/20' as 1 April 2020 (day/month/year, and '20' as 2020)",
        "ties.csv, row 4, column 'since': note: read '43922' as 1 April 2020 (an Excel date number)",
        f"{folder}: valid (3 actors, 3 ties, 0 spaces, 0 memberships), 4 note(s)",
    ]
    assert code == 0  # notes never fail validation
    stored = {(t.from_id, t.to_id): (t.since, t.until) for t in read_workspace(folder).ties}
    assert stored == {("council", "arts"): ("2020-04-01", "2021-03-31"), ("council", "hw"): ("2020-04-01", ""),
                      ("arts", "hw"): ("2020-04-01", "2020-06")}


def test_impossible_and_ambiguous_dates_are_errors_with_a_suggestion(tmp_path):
    ties = ("from,to,since,until\n"
            "council,arts,31/02/2020,04/13/2020\n"
            "council,hw,Apr-20,1/4\n")
    folder = _workspace(tmp_path / "ws", ties=ties)
    lines, code = _validate(folder)
    assert lines == [
        "ties.csv, row 2, column 'since': error: '31/02/2020' is not a date: February 2020 has 29 days "
        "(check the day, or give the month alone as 2020-02)",
        "ties.csv, row 2, column 'until': error: '04/13/2020' is not a day/month/year date (there is no month 13); "
        "if it is 13 April 2020 (month first, as in the US), write 2020-04-13",
        "ties.csv, row 3, column 'since': error: 'Apr-20' could be April 2020 or 20 April: write 2020-04 "
        "(or the whole date as YYYY-04-20)",
        "ties.csv, row 3, column 'until': error: '1/4' has no year: write the whole date as YYYY-MM-DD "
        "(e.g. 2020-04-01 for 1 April 2020)",
        f"{folder}: 4 error(s), 0 warning(s)",
    ]
    assert code == 1


def test_many_date_notes_are_summed_up_on_the_terminal_and_listed_in_json(tmp_path):
    actors = "id,name,constituencies\n" + "".join(f"a{i},Actor {i},faith_group\n" for i in range(9))
    ties = "from,to,since\n" + "".join(f"a0,a{day},{day}/05/2021\n" for day in range(1, 9))
    folder = _workspace(tmp_path / "ws", actors=actors, ties=ties)
    lines, code = _validate(folder)
    assert code == 0
    assert lines == [f"ties.csv, row {day + 1}, column 'since': note: read '{day}/05/2021' as {day} May 2021 "
                     "(day/month/year)" for day in range(1, 6)] + [
        "ties.csv: note: 3 more like these (date_read); 'netmap validate --json' lists each",
        f"{folder}: valid (9 actors, 8 ties, 0 spaces, 0 memberships), 8 note(s)"]
    result = CliRunner().invoke(main, ["validate", str(folder), "--json"], catch_exceptions=False)
    assert result.output.count('"severity": "note"') == 8


def test_real_date_cells_and_date_numbers_in_a_workbook(tmp_path):
    folder = _workspace(tmp_path / "ws")
    (folder / "actors.csv").unlink()
    book = openpyxl.Workbook()
    actors = book.active
    actors.title = "Actors"
    for row in [line.split(",") for line in ACTORS.splitlines()]:
        actors.append(row)
    ties = book.create_sheet("Ties")
    ties.append(["from", "to", "since", "until"])
    ties.append(["council", "arts", datetime.date(2020, 4, 1), datetime.datetime(2021, 3, 31, 17, 30)])
    ties.append(["council", "hw", 43922, None])  # a date cell whose format was lost: a number
    ties["C2"].number_format = "dd/mm/yyyy"
    book.save(folder / "partners.xlsx")
    lines, code = _validate(folder)
    assert lines == [
        "partners.xlsx [Ties], row 2, column 'until': note: read '2021-03-31T17:30:00' as 31 March 2021 "
        "(the time of day is not kept)",
        "partners.xlsx [Ties], row 3, column 'since': note: read '43922' as 1 April 2020 (an Excel date number)",
        f"{folder}: valid (3 actors, 2 ties, 0 spaces, 0 memberships), 2 note(s)",
    ]
    assert code == 0
    assert sorted((t.since, t.until) for t in read_workspace(folder).ties) == [("2020-04-01", ""),
                                                                             ("2020-04-01", "2021-03-31")]


@given(st.dates(min_value=datetime.date(1, 1, 1)), st.booleans())
def test_any_date_written_day_month_year_reads_back_to_the_same_iso_date(day, padded):
    text = f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if padded else f"{day.day}/{day.month}/{day.year:04d}"
    reading = read_date(text)
    assert (reading.iso, reading.problem) == (day.isoformat(), "")
    month = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
    assert reading.note == f"read '{text}' as {day.day} {month[day.month - 1]} {day.year} (day/month/year)"


@given(st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2029, 12, 31)))
def test_two_digit_years_follow_excels_rule(day):
    reading = read_date(f"{day.day}/{day.month}/{day.year % 100:02d}")
    assert reading.iso == day.isoformat()


@given(st.integers(min_value=10000, max_value=99999))
def test_excel_date_numbers_count_days_from_30_december_1899(serial):
    assert read_date(str(serial)).iso == (datetime.date(1899, 12, 30) + datetime.timedelta(days=serial)).isoformat()


@given(st.text(max_size=30) | st.from_regex(r"\A[0-9]{1,4}[/.-][0-9]{1,4}([/.-][0-9]{1,4})?\Z"))
def test_the_date_reader_never_raises_and_always_says_what_it_did(text):
    reading = read_date(text)
    if reading.iso:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", reading.iso) and not reading.problem
    else:
        assert reading.problem or not text.strip()


# ---- 8. comma lists --------------------------------------------------------------------------------------


def test_comma_lists_of_known_keys_are_split_with_a_warning_and_names_with_commas_are_kept(tmp_path):
    actors = ("id,name,constituencies,aliases,communities\n"
              "council,Northfield Council,local_authority,,\n"
              'arts,Northfield Arts,"arts_culture, community_group","Smith, Jones & Co",\n'
              'mixed,Mixed Arts Forum,"Arts, culture and heritage, Faith group",,"caribbean, african"\n'
              'odd,Odd Forum,"arts_culture, faith_gruop",,\n')
    ties = 'from,to,reported_by\ncouncil,"Smith, Jones & Co","council, arts"\ncouncil,mixed,"council, nobody"\n'
    folder = _workspace(tmp_path / "ws", actors=actors, ties=ties)
    lines, code = _validate(folder)
    assert lines == [
        "actors.csv, row 3, column 'constituencies': warning: 'arts_culture, community_group' is separated by "
        "commas: read as 'arts_culture; community_group' (separate several with ';')",
        "actors.csv, row 4, column 'constituencies': warning: 'Arts, culture and heritage, Faith group' is "
        "separated by commas: read as 'arts_culture; faith_group' (separate several with ';')",
        "actors.csv, row 4, column 'communities': warning: 'caribbean, african' is separated by commas: read as "
        "'caribbean; african' (separate several with ';')",
        "actors.csv, row 5, column 'constituencies': error: unknown constituency 'arts_culture, faith_gruop' in "
        "framework 'whole-system'; if these are several, separate them with ';'",
        "actors.csv, row 5, column 'constituencies': warning: 'Odd Forum' has no constituency: it will count as "
        "unclassified",
        "ties.csv, row 2, column 'reported_by': warning: 'council, arts' is separated by commas: read as "
        "'council; arts' (separate several with ';')",
        "ties.csv, row 3, column 'reported_by': error: unknown actor 'council, nobody': no actor has this id or "
        "name; if these are several, separate them with ';'",
        f"{folder}: 2 error(s), 5 warning(s)",
    ]
    assert code == 1
    (folder / "actors.csv").write_text(actors.replace("faith_gruop", "faith_group"), encoding="utf-8")
    (folder / "ties.csv").write_text(ties.replace("nobody", "mixed"), encoding="utf-8")
    nmap = read_workspace(folder)
    actor = {a.id: a for a in nmap.actors}
    assert actor["arts"].constituencies == ("arts_culture", "community_group")
    assert actor["arts"].aliases == ("Smith, Jones & Co",)  # a name with a comma is not broken
    assert actor["mixed"].communities == ("caribbean", "african")
    assert {(t.to_id, t.reported_by) for t in nmap.ties} == {("arts", ("council", "arts")),
                                                              ("mixed", ("council", "mixed"))}


# ---- 9. blank ids and ids with spaces ------------------------------------------------------------------


def test_a_blank_id_is_made_from_the_name_and_ties_naming_it_resolve(tmp_path):
    actors = ("id,name,constituencies\ncouncil,Northfield Council,local_authority\n"
              ",Healthwatch Northfield,patient_voice\n"
              ",Healthwatch Northfield South,patient_voice\n"
              "healthwatch-northfield-south,Southfield Voices,service_user_led\n")
    ties = "from,to\ncouncil,Healthwatch Northfield\nHealthwatch Northfield South,council\n"
    folder = _workspace(tmp_path / "ws", actors=actors, ties=ties)
    lines, code = _validate(folder)
    assert lines == [
        "actors.csv, row 3, column 'id': warning: 'id' is empty: 'Healthwatch Northfield' gets the id "
        "'healthwatch-northfield'",
        # a later row already uses the plain form, so the made id is numbered
        "actors.csv, row 4, column 'id': warning: 'id' is empty: 'Healthwatch Northfield South' gets the id "
        "'healthwatch-northfield-south-2'",
        f"{folder}: 0 error(s), 2 warning(s)",
    ]
    assert code == 0
    nmap = read_workspace(folder)
    assert [a.id for a in nmap.actors] == ["council", "healthwatch-northfield", "healthwatch-northfield-south-2",
                                           "healthwatch-northfield-south"]
    assert {(t.from_id, t.to_id) for t in nmap.ties} == {("council", "healthwatch-northfield"),
                                                          ("healthwatch-northfield-south-2", "council")}


def test_an_id_with_a_space_is_one_error_as_the_docs_say_not_a_cascade(tmp_path):
    actors = ACTORS + "leeds ccg,Leeds CCG,commissioner\nccg/2,Other CCG,commissioner\n"
    folder = _workspace(tmp_path / "ws", actors=actors, ties="from,to\nleeds ccg,council\n")
    lines, code = _validate(folder)
    assert lines == [
        "actors.csv, row 5, column 'id': error: id 'leeds ccg' has a space: write 'leeds-ccg', or leave it empty "
        "to have one made from the name",
        "actors.csv, row 6, column 'id': error: id 'ccg/2' holds '/', which ids may not (only letters, digits, '-', "
        "'_' and '.'): write 'ccg-2', or leave it empty to have one made from the name",
        f"{folder}: 2 error(s), 0 warning(s)",
    ]
    assert code == 1
    formats = (Path(__file__).parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    assert "| `id` | yes | stable key, unique in the map (letters, digits, `-`, `_`, `.`)" in formats


# ---- 10. netmap init --xlsx, and formulas with no calculated value ---------------------------------------


def test_init_xlsx_describes_the_workbook_and_help_states_the_default_framework(tmp_path):
    runner = CliRunner()
    help_text = runner.invoke(main, ["init", "--help"], terminal_width=200).output
    assert ("Constituency framework the map is measured against and README.txt lists: whole-system (the default), "
            "creative-spaces, pledge, or a .toml file.") in help_text
    assert "named in netmap.toml" not in help_text
    result = runner.invoke(main, ["init", str(tmp_path / "ws"), "--xlsx"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == ("Fill in workspace.xlsx (its 'Read me' sheet explains each column), "
                                              f"then run: netmap validate {tmp_path / 'ws'}")
    readme = (tmp_path / "ws" / "README.txt").read_text(encoding="utf-8")
    assert ".csv" not in readme and "CSV" not in readme
    assert "Edit workspace.xlsx in Excel or any spreadsheet: one sheet per table" in readme
    assert [line for line in readme.splitlines() if line.endswith(" sheet")] == [
        "Actors sheet", "Ties sheet", "Spaces sheet", "Memberships sheet"]
    book = openpyxl.load_workbook(tmp_path / "ws" / "workspace.xlsx", read_only=True)
    sheet_lines = [row[0] or "" for row in book["Read me"].iter_rows(values_only=True)]
    book.close()
    assert sheet_lines == readme.splitlines()
    config = (tmp_path / "ws" / "netmap.toml").read_text(encoding="utf-8")
    assert 'framework = "whole-system"' in config and "actors.csv" not in config
    csv_readme = runner.invoke(main, ["init", str(tmp_path / "csv")], catch_exceptions=False)
    assert csv_readme.exit_code == 0
    assert "actors.csv\n----------\n" in (tmp_path / "csv" / "README.txt").read_text(encoding="utf-8")


def _formula_book(folder: Path) -> Path:
    """A workspace whose workbook was saved by openpyxl, which writes formulas without calculating them."""
    folder.mkdir()
    (folder / "netmap.toml").write_text(CONFIG, encoding="utf-8")
    path = folder / "partners.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actors"
    sheet.append(["id", "name", "constituencies", "led_by_community"])
    sheet.append(["council", "Northfield Council", "local_authority", "no"])
    sheet.append(["arts", "Northfield Arts", "arts_culture", '=IF(C3="arts_culture","yes","no")'])
    book.save(path)
    return path


def test_a_formula_with_no_calculated_value_is_an_error_naming_the_cell(tmp_path):
    book = _formula_book(tmp_path / "ws")
    result = CliRunner().invoke(main, ["validate", str(book.parent)], catch_exceptions=False)
    assert result.output.splitlines() == [
        "partners.xlsx [Actors], row 3, column 'led_by_community': error: cell D3 holds the formula "
        '=IF(C3="arts_culture","yes","no") but no calculated value: open and save the file in Excel so its '
        "formulas are calculated",
        f"{book.parent}: 1 error(s), 0 warning(s)",
    ]
    assert result.exit_code == 1


def test_a_calculated_formula_is_read_as_its_value(tmp_path):
    book = _formula_book(tmp_path / "ws")
    # Excel, on saving, stores each formula's value beside it: do the same to the sheet's XML.
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet], n = re.subn(rb'<c r="D3"><f>(.*?)</f><v\s*/>', rb'<c r="D3" t="str"><f>\1</f><v>yes</v>',
                              parts[sheet])
    assert n == 1
    with zipfile.ZipFile(book, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = CliRunner().invoke(main, ["validate", str(book.parent)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert {a.id: a.led_by_community for a in read_workspace(book).actors} == {"council": False, "arts": True}
