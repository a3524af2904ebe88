"""Input that must not silently change meaning: merged cells, misspelt settings, profiles that do not add
up, ids that are not what they look like, and names too long to print or to lay out.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click.testing
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_browser import browser  # noqa: F401 - the fixture: a headless chromium, or a skip without one

from netmap.cli import main
from netmap.errors import ReferenceDataError
from netmap.reference import SHARE_TOLERANCE, builtin_profiles, find_population, load_framework, read_profiles
from netmap.workspace import read_workspace, validate_workspace
from netmap.workspace.validate import suggested_id

ACTORS = ("id,name,constituencies,locality\n"
          "trust,Fernbridge NHS Trust,nhs_mental_health,north\n"
          "mind,Fernbridge Mind,vcse_provider,north\n")


def run(*args: object) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _workspace(folder: Path, toml: str = 'map = "m"\n', actors: str = ACTORS,
               ties: str = "from,to\ntrust,mind\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "netmap.toml").write_text(toml, encoding="utf-8")
    (folder / "actors.csv").write_text(actors, encoding="utf-8")
    (folder / "ties.csv").write_text(ties, encoding="utf-8")
    return folder


def _lines(folder: Path) -> list[str]:
    return [str(p) for p in validate_workspace(folder).problems]


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data-home"
    monkeypatch.setenv("NETMAP_DATA_HOME", str(home))
    return home


# --------------------------------------------------------------------------- 10. merged cells


def _merged_book(path: Path) -> Path:
    """A workbook whose locality is typed once and merged down rows 3-6 (Excel keeps it in I3 only)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actors"
    sheet.append(["id", "name", "constituencies", "communities", "led_by_community", "lived_experience_led",
                  "kind", "scale", "locality"])
    sheet.append(["council", "Fernbridge Council", "local_authority", None, None, None, None, None, "south"])
    for i in range(4):
        sheet.append([f"group-{i}", f"Group {i}", "community_group", None, None, None, None, None,
                      "north" if i == 0 else None])
    sheet.append(["icb", "Fernbridge ICB", "commissioner"])
    sheet.merge_cells("I3:I6")
    sheet.merge_cells("A1:A1")  # a one-cell "range": nothing to fill
    ties = book.create_sheet("Ties")
    ties.append(["from", "to"])
    ties.append(["council", "group-0"])
    book.save(path)
    return path


def test_a_range_merged_down_gives_its_value_to_every_row_with_a_warning(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    _merged_book(folder / "partners.xlsx")
    (folder / "netmap.toml").write_text('map = "m"\n[[localities]]\nkey = "north"\n[[localities]]\nkey = "south"\n',
                                        encoding="utf-8")
    assert _lines(folder) == [
        "partners.xlsx [Actors], row 3, column 'locality': warning: Actors!I3:I6 is merged: its value 'north' is "
        "used for every row of it (rows 3 to 6)"]
    nmap = read_workspace(folder)
    assert {a.id: a.locality for a in nmap.actors} == {"council": "south", "group-0": "north", "group-1": "north",
                                                      "group-2": "north", "group-3": "north", "icb": ""}


def test_a_merged_header_cell_is_not_copied_into_the_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actors"
    sheet.append(["id", "name"])
    sheet.append(["a", "A"])
    sheet.append(["b", "B"])
    sheet.merge_cells("A1:A2")  # the header 'id' merged into the first row: the row's own id is kept blank
    book.save(tmp_path / "book.xlsx")
    report = validate_workspace(tmp_path / "book.xlsx")
    assert [p.code for p in report.problems if p.code == "merged_cells"] == []
    assert "'id' is empty" in str(report.problems[0]) or "gets the id" in str(report.problems[0])


# --------------------------------------------------------------------------- 11. unknown keys


def test_misspelt_settings_in_netmap_toml_are_named_with_a_suggestion(tmp_path):
    toml = ('map = "m"\nframwork = "pledge"\n\n[[localities]]\nkey = "north"\npopualtion = "leeds"\n\n'
            '[populations.ward]\nwhite = 60.0\nasian = 20.0\nblack = 10.0\n"mixed+other" = 10.0\n'
            'sourse = "ONS Census 2021 TS021"\n')
    folder = _workspace(tmp_path / "ws", toml)
    lines = _lines(folder)
    assert "netmap.toml, column 'framwork': warning: unknown setting 'framwork' ignored (did you mean " \
           "'framework'?)" in lines
    assert "netmap.toml, column 'localities': warning: locality 1 ('north'): unknown setting 'popualtion' ignored " \
           "(did you mean 'population'?)" in lines
    assert "netmap.toml, column 'populations.ward': warning: population 'ward': unknown setting 'sourse' ignored " \
           "(did you mean 'source'?)" in lines
    assert read_workspace(folder).populations["ward"].shares == {"white": 60.0, "asian": 20.0, "black": 10.0,
                                                               "mixed+other": 10.0}


FRAMEWORK = """
key = "forum"
name = "Forum"

[[constituencies]]
key = "nhs_mental_health"
sector = "statutory"

[[constituencies]]
key = "vcse_provider"
wieght = 2

[[expected_links]]
between = ["nhs_mental_health", "vcse_provider"]
reasn = "they should talk"
"""


def test_a_misspelt_framework_setting_is_warned_with_did_you_mean(tmp_path):
    folder = _workspace(tmp_path / "ws", 'map = "m"\nframework = "forum.toml"\n')
    (folder / "forum.toml").write_text(FRAMEWORK, encoding="utf-8")
    assert _lines(folder) == [
        "forum.toml: warning: constituency 2 ('vcse_provider'): unknown setting 'wieght' ignored (did you mean "
        "'weight'?)",
        "forum.toml: warning: expected link 1: unknown setting 'reasn' ignored (did you mean 'reason'?)"]
    assert load_framework(folder / "forum.toml").constituencies[1].weight == 1.0  # the misspelt value is not used


def test_a_framework_file_reports_every_problem_one_per_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(FRAMEWORK.replace('sector = "statutory"', 'sector = "nhs"\nweight = -1\nmin_presence = "two"')
                   + '\n[[constituencies]]\nlabel = "No key"\n\n[[constituencies]]\nkey = "vcse_provider"\n'
                   + '\n[[expected_links]]\nbetween = ["vcse_provider", "faith"]\ndirect = "yes"\n',
                   encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_framework(bad)
    assert str(caught.value).splitlines() == [
        f"{bad}: constituency 1 ('nhs_mental_health'), 'min_presence': must be a whole number, not 'two'",
        f"{bad}: constituency 1 ('nhs_mental_health'), 'weight': must be a number above 0, not -1",
        f"{bad}: constituency 1 ('nhs_mental_health'), 'sector': 'nhs' is not one of statutory, vcse, community, "
        "academic, private, individual",
        f"{bad}: constituency 3, 'key': missing (every constituency needs a key)",
        f"{bad}: constituency 4 ('vcse_provider'), 'key': also the key of constituency 2",
        f"{bad}: expected link 2: 'direct' must be true or false, not 'yes'",
        f"{bad}: expected link 2: 'between' must name two constituencies of this framework, not "
        "['vcse_provider', 'faith']",
    ]
    result = run("gaps", _workspace(tmp_path / "ws"), "--framework", bad)
    assert result.exit_code == 1
    assert result.output.count(f"{bad}: ") == 7


# --------------------------------------------------------------------------- 12. shares add up to 100


@pytest.mark.parametrize(("shares", "message"), [
    ("white = 60.0\nasian = 20.0\nblack = 10.0", "the shares add up to 90%, not 100% (give every high-level group, or "
                                                "join some with +: e.g. mixed+other)"),
    ("white = 60.0\nasian = 30.0\nblack = 10.6", "the shares add up to 100.6%, more than 100%"),
    ("white = 110.0\nasian = -10.0", "share 110 of 'white' is not a percentage from 0 to 100"),
    ("white = 60.0\nasain = 40.0", "unknown group 'asain' (did you mean 'asian'? use asian, black, mixed, white, "
                                   "other, or several joined by '+')"),
])
def test_a_workspace_profile_that_does_not_add_up_to_100_is_an_error(tmp_path, shares, message):
    folder = _workspace(tmp_path / "ws", f'map = "m"\n[populations.ward]\nsource = "x"\n{shares}\n')
    assert _lines(folder) == [f"netmap.toml, column 'populations.ward': error: population 'ward': {message}"]


@pytest.mark.parametrize("total", [99.5, 100.0, 100.5])
def test_rounding_within_half_a_point_is_accepted(tmp_path, total):
    folder = _workspace(tmp_path / "ws", f'map = "m"\n[populations.ward]\nsource = "x"\nwhite = {total - 40}\n'
                                         'asian = 40.0\n')
    assert _lines(folder) == []


def _profile_csv(path: Path, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("profile,name,geography_code,group,share,source\n" + "".join(f"{r}\n" for r in rows),
                    encoding="utf-8")
    return path


def test_a_profile_file_whose_shares_do_not_add_up_names_the_file_and_rows(tmp_path):
    path = _profile_csv(tmp_path / "pop.csv", ["good,Good,,white,70,x", "good,Good,,asian,30,x",
                                               "bad,Bad,,white,50,x", "bad,Bad,,asian,30,x"])
    with pytest.raises(ReferenceDataError) as caught:
        read_profiles(path)
    assert str(caught.value) == (f"{path}, rows 4-5, column 'share': profile 'bad': the shares add up to 80%, not "
                                 "100% (give every high-level group, or join some with +: e.g. mixed+other)")
    path = _profile_csv(tmp_path / "pop.csv", ["p,P,,white,120,x"])
    with pytest.raises(ReferenceDataError, match=r"pop.csv, row 2, column 'share': profile 'p': share 120 of "):
        read_profiles(path)


def test_an_imported_profile_file_edited_out_of_shape_is_an_error_naming_it(data_home):
    path = _profile_csv(data_home / "census" / "population-profiles.csv",
                        ["E06000099,Fernbridge,E06000099,white,80,x", "E06000099,Fernbridge,E06000099,asian,10,x"])
    with pytest.raises(ReferenceDataError, match=re.escape(f"{path}, rows 2-3, column 'share': profile 'E06000099': "
                                                           "the shares add up to 90%, not 100%")):
        find_population("Fernbridge")


def test_every_built_in_profile_adds_up_to_100():
    profiles = builtin_profiles()
    assert len(profiles) >= 7
    assert all(abs(sum(p.shares.values()) - 100) <= SHARE_TOLERANCE for p in profiles.values())


# --------------------------------------------------------------------------- 13. ids


@pytest.mark.parametrize(("bad", "message"), [
    ("mind\u200b", "id 'mind<U+200B>' holds U+200B ZERO WIDTH SPACE (invisible), which ids may not (only letters, "
                   "digits, '-', '_' and '.'): write 'mind-2'"),
    ("\ufeffhope", "id '<U+FEFF>hope' holds U+FEFF ZERO WIDTH NO-BREAK SPACE (invisible), which ids may not (only "
                   "letters, digits, '-', '_' and '.'): write 'hope'"),
    ("<b>x</b>", "id '<b>x</b>' holds '<', '>', '/', which ids may not (only letters, digits, '-', '_' and '.'): "
                 "write 'b-x-b'"),
    ("o'neil&co", "id 'o'neil&co' holds ''', '&', which ids may not (only letters, digits, '-', '_' and '.'): "
                  "write 'oneil-and-co'"),
])
def test_an_id_with_invisible_or_markup_characters_is_refused_with_a_suggestion(tmp_path, bad, message):
    actors = ACTORS.replace("mind,Fernbridge Mind", "mind,Fernbridge Mind") + f'"{bad}",Hope Centre,vcse_provider,\n'
    folder = _workspace(tmp_path / "ws", actors=actors)
    assert _lines(folder) == [f"actors.csv, row 4, column 'id': error: {message}, or leave it empty to have one "
                              "made from the name"]


def test_a_bad_map_key_is_refused_with_a_suggestion(tmp_path):
    folder = _workspace(tmp_path / "ws", 'map = "north<script>\u200b"\n')
    assert _lines(folder) == ["netmap.toml, column 'map': error: map key 'north<script><U+200B>' must be letters, "
                              "digits, '-', '_' or '.' (at most 80, starting with a letter or digit): write "
                              "'north-script'"]


_ID_TEXT = st.text(st.one_of(st.sampled_from("ab-_.9 <>&\"'\u200b\u200c\u200d\ufeff\x00\x1b\u00e9\u0644/"),
                             st.characters(codec="utf-8")), min_size=1, max_size=12)
_NEVER = re.compile("[\x00-\x1f\x7f\u200b-\u200d\ufeff<>&\"' ]")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=_ID_TEXT)
def test_an_id_is_kept_only_if_it_follows_the_rule_and_else_a_valid_id_is_suggested(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("ids")
    cell = '"' + raw.replace('"', '""') + '"'
    report = validate_workspace(_workspace(folder, actors=f"id,name\n{cell},Someone\nother,Other\n", ties="from,to\n"))
    ids = [p for p in report.problems if p.column == "id" and p.row == 2]
    written = raw.strip()
    if not written:
        return
    nmap = None if not report.ok else read_workspace(folder)
    if nmap is not None:  # accepted: the id follows the documented rule, and holds nothing invisible or markup
        kept = nmap.actors[0].id
        assert re.fullmatch(r"[\w.-]+", kept) and not _NEVER.search(kept), repr(kept)
        return
    bad_id = [p for p in ids if p.code == "bad_id"]
    assert bad_id, [str(p) for p in report.problems]
    suggestion = re.search(r": write '([^']*)', or leave it empty", bad_id[0].message).group(1)
    assert re.fullmatch(r"[\w.-]+", suggestion) and suggestion != "other"
    assert suggestion == suggested_id(written.replace("\x00", "").replace("\x1b", ""), {"other", written}) or \
        suggestion == suggested_id(written, {"other", written})


# --------------------------------------------------------------------------- 14. a 1 MB name


def test_a_one_megabyte_name_is_reported_by_file_row_and_column_not_printed(tmp_path):
    huge = "x" * 1_000_000
    folder = _workspace(tmp_path / "ws", actors=ACTORS + f"big,{huge},vcse_provider,\n",
                        ties=f"from,to\ntrust,mind\nmind,{'y' * 500_000}\n")
    result = run("validate", folder)
    assert len(result.output) < 2000
    assert result.output.splitlines()[:2] == [
        "actors.csv, row 4, column 'name': warning: the name is 1,000,000 characters long ('"
        + "x" * 40 + "\u2026'), far longer than an organisation's name: was something pasted into it by mistake?",
        "ties.csv, row 3, column 'to': error: unknown actor '" + "y" * 79 + "\u2026 (500,000 characters)': no "
        "actor has this id or name",
    ]


def test_an_xlsx_sheet_with_a_long_name_reads(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actors"
    sheet.append(["id", "name"])
    sheet.append(["big", "z" * 32_000])  # Excel's longest cell is 32,767 characters
    book.save(tmp_path / "book.xlsx")
    assert [str(p) for p in validate_workspace(tmp_path / "book.xlsx").problems] == [
        "book.xlsx [Actors], row 2, column 'name': warning: the name is 32,000 characters long ('" + "z" * 40
        + "\u2026'), far longer than an organisation's name: was something pasted into it by mistake?",
        "book.xlsx [Actors], row 2, column 'constituencies': warning: '" + "z" * 79 + "\u2026 (32,000 characters)' "
        "has no constituency: it will count as unclassified"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_the_report_wraps_a_long_unbroken_name_within_the_window(browser, tmp_path, width):  # noqa: F811
    import browser as helper

    from netmap.render.report import write_report
    from netmap.workflows import run_map

    tricky = helper.tricky_map()
    long_name = "W" * 2000
    actors = [dataclasses.replace(a, name=long_name) if a.id in ("lonely", "x1") else a for a in tricky.actors]
    result = run_map(dataclasses.replace(tricky, name="M" * 2000, actors=actors))
    path = write_report(result, tmp_path / "report.html")
    with helper.offline_page(browser, width=width, height=900) as (page, log):
        page.goto(path.as_uri())
        assert page.evaluate("() => document.body.innerText.includes('W'.repeat(2000))")
        wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], wide
        assert log.blocked == [] and log.errors == []
