"""Population profiles for any place: `netmap import census`, finding profiles by code and name, a workspace's own.

The fixture ``tests/fixtures/census/census2021-ts021-ltla.csv`` has the header,
column order and layout of the ONS TS021 bulk file with made-up counts (see its
README); every share below is worked out by hand from those counts.
"""

from __future__ import annotations

import csv
import json
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from netmap.cli import main
from netmap.reference import find_population, imported_profiles_path, place_key, read_profiles
from netmap.registers.census import read_ts021
from netmap.workspace import read_workspace
from netmap.workspace.config import config_text

FIXTURE = Path(__file__).parent / "fixtures" / "census" / "census2021-ts021-ltla.csv"
AREAS = {"E06000023": "City of Bristol", "E08000025": "Birmingham", "E06000019": "County of Herefordshire",
         "W06000001": "Isle of Anglesey", "E06000010": "City of Kingston upon Hull"}


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data-home"
    monkeypatch.setenv("NETMAP_DATA_HOME", str(home))
    return home


def run(*args: object) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def imported(data_home: Path) -> None:
    result = run("import", "census", FIXTURE)
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- importing


def test_import_writes_a_profile_for_every_area(data_home):
    result = run("import", "census", FIXTURE)
    target = data_home / "census" / "population-profiles.csv"
    assert result.exit_code == 0
    assert result.output == (
        f"Read 5 areas from {FIXTURE}; profiles written to {target} (5 in all). Use one in netmap.toml with, "
        "e.g., population = \"E06000023\" (City of Bristol).\n")
    assert imported_profiles_path() == target
    profiles = read_profiles(target)
    assert {k: p.name for k, p in profiles.items()} == AREAS
    # Bristol: 7,000 Asian, 6,000 Black, 4,500 Mixed, 80,000 White, 2,500 Other of 100,000 usual residents
    assert profiles["E06000023"].shares == {"asian": 7.0, "black": 6.0, "mixed": 4.5, "white": 80.0, "other": 2.5}
    # Hull: 4,950 Asian of 252,500 = 1.9604% -> 1.96; 3,950 Black = 1.5644% -> 1.56 (totals, never totals + details)
    hull = profiles["E06000010"]
    assert (hull.shares["asian"], hull.shares["black"]) == (1.96, 1.56)
    assert hull.geography_code == "E06000010"
    assert hull.source == "ons-census-2021-ts021: census2021-ts021-ltla.csv"
    assert all(abs(sum(p.shares.values()) - 100) <= 0.03 for p in profiles.values())


def test_import_keeps_other_areas_and_replaces_the_same_ones(data_home, tmp_path):
    out = tmp_path / "ws" / "populations.csv"
    first = tmp_path / "first.csv"
    with FIXTURE.open(encoding="utf-8") as handle:
        lines = handle.readlines()
    first.write_text(lines[0] + lines[1], encoding="utf-8")  # Bristol only
    assert run("import", "census", first, "--out", out).exit_code == 0
    result = run("import", "census", FIXTURE, "--out", out)
    assert f"profiles written to {out} (5 in all)" in result.output
    assert len(read_profiles(out)) == 5
    assert not (data_home / "census").exists()  # --out writes nowhere else


def test_a_header_with_the_measures_suffix_of_other_ons_files_reads_the_same(tmp_path):
    rows = list(csv.reader(FIXTURE.open(encoding="utf-8")))
    rows[0] = rows[0][:3] + [f"{h}; measures: Value" for h in rows[0][3:]]
    path = tmp_path / "suffixed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert [p.shares for p in read_ts021(path)] == [p.shares for p in read_ts021(FIXTURE)]


def _broken(tmp_path: Path, change) -> Path:
    rows = list(csv.reader(FIXTURE.open(encoding="utf-8")))
    change(rows)
    path = tmp_path / "ts021.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    return path


def _set(row: int, column: str, value: str):
    def change(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value
    return change


def _drop(column: str):
    def change(rows: list[list[str]]) -> None:
        at = rows[0].index(column)
        for row in rows:
            del row[at]
    return change


WHITE, IRISH = "Ethnic group: White", "Ethnic group: White: Irish"
TOTAL = "Ethnic group: Total: All usual residents"


@pytest.mark.parametrize(("change", "message"), [
    (_drop("Ethnic group: White: Roma"),
     "row 1, column 'Ethnic group: White: Roma': missing column (is this the ONS Census 2021 TS021 ethnic group "
     "file, census2021-ts021-ltla.csv?)"),
    (_set(3, IRISH, "n/a"), "row 3, column 'Ethnic group: White: Irish': 'n/a' is not a count (a whole number, 0 or "
                            "more)"),
    (_set(4, IRISH, ""), "row 4, column 'Ethnic group: White: Irish': an empty cell is not a count (a whole number, "
                         "0 or more)"),
    (_set(2, IRISH, "801"), "row 2, column 'Ethnic group: White': the detailed groups add up to 80,001, not 80,000"),
    (_set(2, TOTAL, "100001"), "row 2, column 'Ethnic group: Total: All usual residents': the 5 high-level groups "
                               "add up to 100,000, not 100,001"),
    (_set(3, "geography code", "E06000023"), "row 3, column 'geography code': 'E06000023' is also on row 2"),
    (_set(5, "geography code", " "), "row 5, column 'geography code': empty"),
    (lambda rows: rows.__delitem__(slice(1, None)), "row 2: no areas: the file has a header but no rows"),
])
def test_a_bad_file_is_one_line_naming_file_row_column_and_reason_and_writes_nothing(data_home, tmp_path, change,
                                                                                    message):
    path = _broken(tmp_path, change)
    result = run("import", "census", path)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}, {message}\n"
    assert not (data_home / "census").exists()


def test_a_bad_file_leaves_earlier_imports_as_they_were(data_home, tmp_path):
    imported(data_home)
    before = imported_profiles_path().read_bytes()
    result = run("import", "census", _broken(tmp_path, _set(2, WHITE, "lots")))
    assert result.exit_code == 1 and "column 'Ethnic group: White': 'lots' is not a count" in result.output
    assert imported_profiles_path().read_bytes() == before
    assert list(imported_profiles_path().parent.iterdir()) == [imported_profiles_path()]


# --------------------------------------------------------------------------- using the profiles


def _workspace(folder: Path, localities: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "netmap.toml").write_text(f'map = "two-places"\nname = "Two places"\n{extra}\n{localities}',
                                        encoding="utf-8")
    (folder / "actors.csv").write_text(
        "id,name,constituencies,communities,led_by_community,locality\n"
        "awp,Avon and Wiltshire Mental Health Partnership,nhs_mental_health,,,bristol\n"
        "nilaari,Nilaari Agency,community_group,black,yes,bristol\n"
        "humber,Humber Teaching NHS Foundation Trust,nhs_mental_health,,,hull\n", encoding="utf-8")
    (folder / "ties.csv").write_text("from,to,type\nawp,nilaari,partnership\n", encoding="utf-8")
    return folder


LOCALITIES = """
[[localities]]
key = "bristol"
name = "Bristol"
population = "bristol"

[[localities]]
key = "hull"
name = "Hull"
population = "E06000010"

[[localities]]
key = "north"
name = "Northfield"
"""


def test_gaps_use_imported_profiles_named_by_code_and_by_name(data_home, tmp_path):
    ws = _workspace(tmp_path / "ws", LOCALITIES)
    before = run("validate", ws)
    assert before.exit_code == 1
    assert ("netmap.toml, column 'population': error: locality 'bristol': population profile 'bristol' not found "
            "(built in: birmingham, coventry, england-and-wales, leeds, manchester, newham, tower-hamlets): import "
            "any local authority's with 'netmap import census FILE', or give the workspace its own "
            "[populations.KEY] in netmap.toml") in before.output
    imported(data_home)
    assert run("validate", ws).exit_code == 0
    assert [loc.population for loc in read_workspace(ws).localities] == ["E06000023", "E06000010", ""]
    doc = json.loads(run("gaps", ws, "--json").output)
    coverage = {(f["locality"], f["subject"]): f for f in doc["findings"] if f["kind"] == "community_coverage"}
    bristol_asian = coverage[("bristol", "asian")]
    assert bristol_asian["data"]["population_share"] == 7.0 and bristol_asian["data"]["profile"] == "E06000023"
    assert bristol_asian["message"] == ("Asian, Asian British or Asian Welsh communities are 7% of City of Bristol's "
                                        "population, but no organisation in the network in Bristol is led by or "
                                        "serves them.")
    assert ("bristol", "black") not in coverage  # Nilaari is led by Black communities in Bristol
    assert coverage[("hull", "black")]["data"]["population_share"] == 1.56
    assert not any(loc == "north" for loc, _ in coverage)
    note = ("Community coverage not computed for Northfield: no population profile. Set population = ... for "
            "locality 'north' in netmap.toml: a built-in profile, a local authority's name or ONS code after "
            "'netmap import census FILE' (ONS Census 2021 table TS021), or the map's own [populations.KEY]; see "
            "docs/formats.md.")
    assert doc["coverage_not_computed"] == [{"locality": "north", "name": "Northfield", "message": note}]
    assert note in run("gaps", ws).output.splitlines()
    assert note in run("analyse", ws).output.splitlines()
    report = tmp_path / "report.html"
    assert run("report", ws, "--out", report).exit_code == 0
    assert "Community coverage not computed for Northfield: no population profile." in report.read_text("utf-8")


def test_a_near_miss_gets_did_you_mean(data_home, tmp_path):
    imported(data_home)
    ws = _workspace(tmp_path / "ws", LOCALITIES.replace('"bristol"\n\n', '"Bristle"\n\n', 1))
    result = run("validate", ws)
    assert ("netmap.toml, column 'population': error: locality 'bristol': population profile 'Bristle' not found: "
            "did you mean 'City of Bristol' (E06000023)?") in result.output
    assert result.exit_code == 1


def test_the_workspace_own_profile_in_netmap_toml(data_home, tmp_path):
    own = """
[[localities]]
key = "bristol"
name = "Bristol"
population = "fernbridge-north"

[[localities]]
key = "hull"
name = "Hull"
population = "fernbridge-north"

[populations.fernbridge-north]
name = "Fernbridge North ward"
source = "made up for this test"
white = 60.0
asian = 12.0
black = 20.0
"mixed+other" = 8.0
"""
    ws = _workspace(tmp_path / "ws", own)
    nmap = read_workspace(ws)
    assert nmap.populations["fernbridge-north"].shares == {"white": 60.0, "asian": 12.0, "black": 20.0,
                                                        "mixed+other": 8.0}
    doc = json.loads(run("gaps", ws, "--json").output)
    asian = next(f for f in doc["findings"] if f["kind"] == "community_coverage" and f["subject"] == "asian")
    assert asian["message"].startswith("Asian, Asian British or Asian Welsh communities are 12% of Fernbridge North "
                                       "ward's population")
    assert doc["coverage_not_computed"] == []
    # the workspace writer keeps the profile: netmap.toml written back reads the same
    (ws / "netmap.toml").write_text(config_text(nmap), encoding="utf-8")
    assert read_workspace(ws).populations == nmap.populations


def test_the_workspace_own_profiles_in_a_csv_written_by_import(data_home, tmp_path):
    ws = tmp_path / "ws"
    assert run("import", "census", FIXTURE, "--out", ws / "populations.csv").exit_code == 0
    _workspace(ws, LOCALITIES.replace('"bristol"\n\n', '"City of Bristol"\n\n', 1),
               extra='population_file = "populations.csv"')
    assert not imported_profiles_path().exists()
    nmap = read_workspace(ws)
    assert [loc.population for loc in nmap.localities] == ["E06000023", "E06000010", ""]
    assert len(nmap.populations) == 5


@pytest.mark.parametrize(("table", "message"), [
    ('caribbean = 4.0\nsource = "x"', "netmap.toml, column 'populations.p': error: population 'p': group 'caribbean' "
                                      "is a detailed group: coverage is measured for the high-level groups (give "
                                      "'black')"),
    ('asian = "lots"\nsource = "x"', "netmap.toml, column 'populations.p': error: population 'p': the share of "
                                     "'asian' must be a number (per cent), not 'lots'"),
    ('white = 90\nasian = 20\nsource = "x"', "netmap.toml, column 'populations.p': error: population 'p': the shares "
                                             "add up to 110%, more than 100%"),
    ("white = 90\nasian = 10", "netmap.toml, column 'populations': warning: population 'p' has no source: say where "
                               "its figures come from (e.g. ONS Census 2021 table TS021) so readers can check them"),
    ('asian = 40\nsource = "x"', "netmap.toml, column 'populations.p': error: population 'p': the shares add up "
                                 "to 40%, not 100% (give every high-level group, or join some with +: e.g. "
                                 "mixed+other)"),
])
def test_a_bad_own_profile_is_reported(data_home, tmp_path, table, message):
    ws = _workspace(tmp_path / "ws", f"[populations.p]\n{table}\n")
    assert message in run("validate", ws).output.splitlines()


def test_a_bad_population_file_names_its_row_and_column(data_home, tmp_path):
    ws = _workspace(tmp_path / "ws", "", extra='population_file = "pop.csv"')
    (ws / "pop.csv").write_text("profile,name,geography_code,group,share,source\n"
                                "p,P,,asian,12,x\np,P,,black,ten,x\n", encoding="utf-8")
    result = run("validate", ws)
    assert ("netmap.toml, column 'population_file': error: pop.csv, row 3, column 'share': 'ten' is not a number"
            in result.output.splitlines())


# --------------------------------------------------------------------------- matching names

WORDS = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8).filter(
    lambda w: w.lower() not in ("city", "county", "of", "and"))
SEPARATORS = st.text(alphabet=" ,.-'()/", min_size=1, max_size=3)


@given(st.text(max_size=40))
def test_place_key_is_idempotent(text):
    assert place_key(place_key(text)) == place_key(text)


@given(st.lists(WORDS, min_size=1, max_size=4), st.lists(SEPARATORS, min_size=4, max_size=4), st.data())
def test_place_key_ignores_case_punctuation_and_city_of(words, separators, data):
    plain = " ".join(words)
    varied = "".join(w + s for w, s in zip(words, separators, strict=False)).strip(" ,.-'()/")
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in varied)
    assert place_key(cased) == place_key(plain) == plain.lower()
    assert place_key(f"City of {plain}") == place_key(f"{plain}, County of") == plain.lower()


@given(st.sampled_from(sorted(AREAS)), st.data())
def test_any_spelling_of_an_imported_name_finds_its_profile(code, data):
    name = AREAS[code]
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in name)
    spelled = cased.replace(" ", data.draw(st.sampled_from([" ", "-", ", ", ". "])))
    assert find_population(spelled, _fixture_profiles()).key == code


def _fixture_profiles():
    return {p.key: p for p in read_ts021(FIXTURE)}


def test_the_fixture_keeps_the_published_layout():
    header = next(csv.reader(FIXTURE.open(encoding="utf-8")))
    assert header[:4] == ["date", "geography", "geography code", TOTAL]
    assert len(header) == 28
    assert FIXTURE.read_text(encoding="utf-8").startswith('"date","geography","geography code","Ethnic group: Total')
    assert "made up" in (FIXTURE.parent / "README.md").read_text(encoding="utf-8")
