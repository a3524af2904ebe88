"""The Charity Commission register: reading the published extract, the mapping to constituencies and communities,
`netmap import charities`.

The fixture folder ``tests/fixtures/registers/charities/`` holds the three
tables netmap reads in the published layout (UTF-8 with a byte order mark,
tab-delimited, CRLF line ends, a header row, quotes only where a field needs
them) with SYNTHETIC charities: see its README for what each row tests.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.cli import main
from netmap.errors import NetmapError, ReferenceDataError, WorkspaceError
from netmap.registers.candidates import area_key, import_charities
from netmap.registers.charities import read_charities, scale_of
from netmap.registers.charity_mapping import code_mask, load_charity_mapping
from netmap.workspace.load import load_workspace

FIXTURE = Path(__file__).parent / "fixtures" / "registers" / "charities"
CHARITY, CLASSIFICATION, AREA = (FIXTURE / f"publicextract.{t}.txt"
                                 for t in ("charity", "charity_classification", "charity_area_of_operation"))
#: The columns of the published charity table, in order.
CHARITY_COLUMNS = [
    "date_of_extract", "organisation_number", "registered_charity_number", "linked_charity_number", "charity_name",
    "charity_type", "charity_registration_status", "date_of_registration", "date_of_removal",
    "charity_reporting_status", "latest_acc_fin_period_start_date", "latest_acc_fin_period_end_date",
    "latest_income", "latest_expenditure", "charity_contact_address1", "charity_contact_address2",
    "charity_contact_address3", "charity_contact_address4", "charity_contact_address5", "charity_contact_postcode",
    "charity_contact_phone", "charity_contact_email", "charity_contact_web", "charity_company_registration_number",
    "charity_insolvent", "charity_in_administration", "charity_previously_excepted", "charity_is_cdf_or_cif",
    "charity_is_cio", "cio_is_dissolved", "date_cio_dissolution_notice", "charity_activities", "charity_gift_aid",
    "charity_has_land"]
CLASSIFICATION_COLUMNS = ["date_of_extract", "organisation_number", "registered_charity_number",
                          "linked_charity_number", "classification_code", "classification_type",
                          "classification_description"]
AREA_COLUMNS = ["date_of_extract", "organisation_number", "registered_charity_number", "linked_charity_number",
                "geographic_area_type", "geographic_area_description", "parent_geographic_area_type",
                "parent_geographic_area_description", "welsh_ind"]

#: Every registered main charity of the fixture, worked out by hand from its codes, name and areas:
#: line, number, constituencies, communities, local authority areas, scale, latest income, registered.
EXPECTED = [
    (2, "1100001", ("community_group", "vcse_provider"), ("caribbean",), ("Leeds City",), "local", "45210.00",
     "2001-04-02"),  # Who 204 + How 306; "Caribbean" in the name
    (3, "1100002", ("faith_group",), (), ("Leeds City",), "local", "120500.00", "1995-11-20"),  # What 108
    (4, "1100003", ("vcse_infrastructure",), (), ("Leeds City",), "local", "880000.00", "1988-01-15"),  # 309 + 205
    (5, "1100004", ("vcse_provider",), (), ("Leeds City",), "local", "2500000.00", "1990-06-01"),  # How 306
    (9, "1100008", ("community_group", "vcse_provider"), ("asian",), ("Sandwell",), "local", "30100.00",
     "2005-09-09"),  # "Black Country" is a place, not a community: Asian only
    (10, "1100009", ("arts_culture", "vcse_provider"), (), ("Bradford",), "local", "15000.00", "2012-02-02"),
    (12, "1100010", (), (), ("Leeds City",), "local", "2100.00", "1960-01-01"),  # 102 + 301: a grant-maker
    (13, "1100011", (), (), ("Leeds City",), "national", "56000.00", "2003-03-03"),  # 204 but overseas aid (106)
    (14, "1100012", ("housing", "vcse_provider"), (), ("Leeds City",), "local", "410000.00", "1999-12-31"),
    (16, "1100013", ("community_group", "vcse_provider"), ("caribbean",), ("Leeds City", "Bradford"), "local",
     "8000.00", "2015-07-07"),  # "West Indian" is Caribbean, not Indian
    (17, "1100014", ("vcse_provider",), (), (), "national", "990000.00", "2000-01-01"),  # throughout England and Wales
]
PROBLEMS = [
    "publicextract.charity_classification.txt, line 7: classification_code '1O8' is not a whole number",
    "publicextract.charity.txt, line 8: latest_income 'twelve thousand' is not a number",
    "publicextract.charity.txt, line 11: 12 fields where the header has 34 (a tab, quote or line break inside a "
    "field?)",
]


def run(*args: object) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args])


# --------------------------------------------------------------------------- the fixture is the published layout


@pytest.mark.parametrize(("path", "columns"), [(CHARITY, CHARITY_COLUMNS), (CLASSIFICATION, CLASSIFICATION_COLUMNS),
                                               (AREA, AREA_COLUMNS)])
def test_the_fixture_has_the_published_layout(path, columns):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header = data[3:].split(b"\r\n", 1)[0].decode("utf-8").split("\t")
    assert header == columns


# --------------------------------------------------------------------------- reading, row by row


def test_every_registered_main_charity_is_read_as_worked_out_by_hand():
    entries = list(read_charities([CHARITY, CLASSIFICATION, AREA]))
    got = [(e.line, e.code, e.constituencies, e.communities, e.areas, e.attributes["scale"],
            e.attributes["latest_income"], e.attributes["date_of_registration"]) for e in entries]
    assert got == EXPECTED
    first = entries[0]
    assert (first.register, first.key, first.name) == ("charities", "charities:1100001",
                                                       "SYNTHETIC CHAPELTOWN CARIBBEAN ELDERS ASSOCIATION")
    assert (first.postcode, first.postcode_district, first.locality) == ("LS7 3PD", "LS7", "Leeds City")
    assert first.attributes["classification"] == "103; 202; 204; 306"
    assert first.attributes["date_of_extract"] == "2024-06-03"
    housing = entries[8]
    assert housing.name == 'SYNTHETIC "NEW DAWN" HOUSING TRUST'  # a quoted field with doubled quotes
    assert entries[9].locality == ""  # two areas: no one locality


def test_the_summary_counts_what_was_skipped_and_names_each_malformed_row():
    reader = read_charities([FIXTURE])  # the folder holding the three published files
    assert len(list(reader)) == 11
    summary = reader.summary
    assert (summary.read, summary.kept, summary.removed, summary.linked, summary.malformed) == (15, 11, 1, 1, 3)
    assert [str(p) for p in summary.problems] == PROBLEMS
    assert (summary.classification_rows, summary.area_rows, summary.extract_date) == (38, 16, "2024-06-03")
    assert summary.line() == ("Read 15 charity rows: kept 11; skipped 1 removed (not registered) and 1 linked "
                              "subsidiary; 3 malformed rows skipped in all; extract of 2024-06-03.")


def test_removed_charities_and_linked_subsidiaries_on_request():
    codes = [e.code for e in read_charities([FIXTURE], registered_only=False, main_only=False)]
    assert "1100005" in codes and "1100004-1" in codes and len(codes) == 13


def test_without_the_other_tables_charities_have_no_codes_nor_areas():
    reader = read_charities([CHARITY])
    entries = list(reader)
    assert len(entries) == 11 and not any(e.constituencies or e.areas for e in entries)
    assert reader.summary.line().endswith("not given: publicextract.charity_classification.txt, "
                                          "publicextract.charity_area_of_operation.txt.")


def test_a_file_that_is_not_the_register_is_named(tmp_path):
    empty = tmp_path / "publicextract.charity.txt"
    empty.write_text("")
    with pytest.raises(ReferenceDataError, match=r"publicextract.charity.txt, line 1: empty file"):
        read_charities([empty])
    other = tmp_path / "other.txt"
    other.write_text("a\tb\n1\t2\n")
    with pytest.raises(ReferenceDataError, match=r"other.txt, line 1: not a table netmap reads"):
        read_charities([other])
    cut = tmp_path / "cut.txt"
    cut.write_text("organisation_number\tcharity_name\n1\tX\n")
    with pytest.raises(ReferenceDataError, match=r"cut.txt, line 1, column 'registered_charity_number': missing"):
        read_charities([cut])
    with pytest.raises(ReferenceDataError, match=r"no publicextract.charity.txt"):
        read_charities([CLASSIFICATION])
    with pytest.raises(ReferenceDataError, match=r"a second publicextract.charity.txt"):
        read_charities([CHARITY, FIXTURE])


def test_text_that_is_not_utf8_is_a_malformed_row(tmp_path):
    data = CHARITY.read_bytes().replace(b"SYNTHETIC HAREHILLS", "SYNTHETIC HAREHILLS \u00e9".encode("latin-1"))
    (tmp_path / CHARITY.name).write_bytes(data)
    reader = read_charities([tmp_path / CHARITY.name])
    assert "1100002" not in [e.code for e in reader]
    assert "publicextract.charity.txt, line 3: not UTF-8 text (save the file as UTF-8)" in map(
        str, reader.summary.problems)


# --------------------------------------------------------------------------- the mapping


def test_the_mapping_is_cautious():
    m = load_charity_mapping()
    assert m.source == "charity-commission-register" and m.framework == "whole-system"
    assert m.apply(code_mask([309]), "X") == ((), ())  # an umbrella body, but not said to be for charities
    assert m.apply(code_mask([109, 308, 306]), "X") == (("vcse_provider",), ())  # science research, not arts
    assert m.apply(code_mask([107, 302]), "X") == ((), ())  # a housing grant-maker provides no housing
    assert m.apply(code_mask([204, 106]), "Somali Relief") == ((), ())  # overseas aid
    assert m.apply(code_mask([306]), "Pakistani Women's Centre") == (("vcse_provider",), ())  # no Who 204
    assert m.apply(code_mask([204]), "Afro-Caribbean & Somali Elders")[1] == ("caribbean", "african")
    assert m.apply(code_mask([204]), "BAME Wellbeing Network") == (("community_group",), ())  # which community?
    assert m.apply(code_mask([204]), "Roman Road Roma Support")[1] == ("roma",)


@pytest.mark.parametrize(("text", "message"), [
    ('[[constituencies]]\nkey = "nobody"\nall = [306]\n', "constituencies 1, key 'nobody': not a constituency of "
                                                          "the whole-system framework"),
    ('[[constituencies]]\nkey = "vcse_provider"\nall = [399]\n', "constituencies 1, all: 399 is not a code"),
    ('[[constituencies]]\nkey = "vcse_provider"\n', "constituencies 1: give the codes of the rule"),
    ('[communities.names]\nmartian = ["mars"]\n', "communities.names, 'martian': not a Census 2021 group key"),
    ('colour = "red"\n', "top level: unknown setting 'colour'"),
    ('key = \n', "not a valid TOML file"),
])
def test_a_bad_mapping_file_is_named(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(ReferenceDataError) as info:
        load_charity_mapping(path)
    assert str(info.value).startswith(f"{path}") and message in str(info.value)


def test_places_and_scales():
    assert area_key("Leeds City") == area_key("Leeds") == "leeds"
    assert area_key("London Borough of Tower Hamlets") == area_key("Tower Hamlets")
    assert area_key("Brighton & Hove") == area_key("Brighton And Hove City")
    assert area_key("City of London") != area_key("London")
    assert scale_of([("Region", "Throughout London")]) == "regional"
    assert scale_of([("Country", "Kenya"), ("Local Authority", "Leeds City")]) == "national"


# --------------------------------------------------------------------------- netmap import charities


def test_import_writes_a_valid_workspace_of_the_localitys_charities(tmp_path):
    out = tmp_path / "leeds-charities"
    result = run("import", "charities", CHARITY, CLASSIFICATION, AREA, "--out", out, "--locality", "Leeds")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ("Read 15 charity rows: kept 11; skipped 1 removed (not registered) "
                                             "and 1 linked subsidiary; 3 malformed rows skipped in all; extract of "
                                             "2024-06-03.")
    assert "Wrote 8 charities working in Leeds to" in result.stdout
    assert result.stderr.splitlines() == [f"skipped: {p}" for p in PROBLEMS]
    nmap, report = load_workspace(out)
    assert not report.errors and nmap is not None
    assert [loc.key for loc in nmap.localities] == ["leeds"] and nmap.localities[0].population == "leeds"
    ids = [a.id for a in nmap.actors]
    assert ids == [f"charity-{n}" for n in ("1100001", "1100002", "1100003", "1100004", "1100010", "1100011",
                                            "1100012", "1100013")]
    elders = nmap.actors[0]
    assert (elders.constituencies, elders.communities, elders.locality) == (
        ("community_group", "vcse_provider"), ("caribbean",), "leeds")
    assert elders.source == "charity-commission-register: extract 2024-06-03"
    assert elders.attributes["charity_number"] == "1100001" and elders.attributes["latest_income"] == "45210.00"
    assert not elders.led_by_community  # the register says whom it serves, not who leads it
    assert "The register does not say who leads it" in elders.notes


def test_import_never_overwrites_a_workspace_and_leaves_nothing_on_error(tmp_path):
    with pytest.raises(WorkspaceError, match="already holds a workspace"):
        import_charities([FIXTURE], Path(__file__).parent.parent / "data" / "sites" / "leeds")
    out = tmp_path / "never"
    result = run("import", "charities", CLASSIFICATION, "--out", out)
    assert result.exit_code == 1 and "Error: no publicextract.charity.txt" in result.output
    assert not out.exists()


# --------------------------------------------------------------------------- fuzzing: never a crash


def _table(columns: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel-tab", lineterminator="\r\n").writerows([columns, *rows])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


cell = st.one_of(st.text(max_size=12), st.sampled_from(["0", "1", "Registered", "Removed", "306", "204", "",
                                                        "2020-01-01", "Local Authority", '"', "\t", "\n"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(charity_rows=st.lists(st.lists(cell, min_size=30, max_size=36), max_size=6),
       class_rows=st.lists(st.lists(cell, min_size=5, max_size=8), max_size=6),
       junk=st.binary(max_size=200))
def test_the_reader_never_crashes(tmp_path_factory, charity_rows, class_rows, junk):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / CHARITY.name).write_bytes(_table(CHARITY_COLUMNS, charity_rows) + junk)
    (folder / CLASSIFICATION.name).write_bytes(_table(CLASSIFICATION_COLUMNS, class_rows))
    (folder / AREA.name).write_bytes(junk)
    try:
        reader = read_charities([folder])
        entries = list(reader)
    except NetmapError:
        return
    assert reader.summary.kept == len(entries) <= reader.summary.read
    assert all(p.line >= 2 for p in reader.summary.problems)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_give_entries_or_a_netmap_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    shutil.copy(CLASSIFICATION, folder)
    path = folder / CHARITY.name
    path.write_bytes(data)
    with contextlib.suppress(NetmapError):
        list(read_charities([path, folder / CLASSIFICATION.name]))
