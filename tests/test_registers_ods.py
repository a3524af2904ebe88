"""netmap import ods: the ODS CSV extracts (no header, 27 columns) into actors and ties, row by row."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.cli import main
from netmap.errors import NetmapError, ReferenceDataError
from netmap.reference import load_framework
from netmap.registers.ods import OdsTally, import_ods, load_mapping, read_ods, readable_name
from netmap.sources import load_sources
from netmap.workspace import read_workspace, validate_workspace

ODS = Path(__file__).parent / "fixtures" / "registers" / "ods"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _by_code(folder: Path) -> dict[str, dict[str, str]]:
    return {row["ods_code"]: row for row in _rows(folder / "actors.csv")}


# --------------------------------------------------------------------------- the mapping file


def test_the_mapping_uses_the_whole_system_frameworks_keys_and_cites_a_real_source():
    mapping = load_mapping()
    keys = {c.key for c in load_framework("whole-system").constituencies}
    assert mapping.kinds["trust"].mental_health_constituencies == ("nhs_mental_health",)
    assert mapping.kinds["sub_icb"].constituencies == ("commissioner",)
    assert mapping.kinds["gp_practice"].constituencies == ("primary_care",)
    assert mapping.kinds["pcn"].constituencies == ("primary_care",)
    assert mapping.kinds["gp_practice"].roles == ("RO177", "RO76")
    for kind in mapping.kinds.values():
        assert set(kind.constituencies) | set(kind.mental_health_constituencies) <= keys
    source = load_sources()[mapping.source]
    assert source.url == "https://digital.nhs.uk/services/organisation-data-service/export-data-files/csv-downloads"


def test_a_mapping_naming_an_unknown_constituency_is_refused_with_its_table(tmp_path):
    text = (ODS.parents[3] / "data" / "registers" / "ods.toml").read_text(encoding="utf-8")
    bad = tmp_path / "ods.toml"
    bad.write_text(text.replace('constituencies = ["primary_care"]', 'constituencies = ["nhs_acute"]', 1),
                   encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"\[kinds.gp_practice\]: 'nhs_acute' is not a constituency"):
        load_mapping(bad)


@pytest.mark.parametrize(("published", "readable"), [
    ("LEEDS AND YORK PARTNERSHIP NHS FOUNDATION TRUST", "Leeds and York Partnership NHS Foundation Trust"),
    ("NHS WEST YORKSHIRE ICB - 15F", "NHS West Yorkshire ICB - 15F"),
    ("THE DENSHAM SURGERY", "The Densham Surgery"),
    ("BARROW-IN-FURNESS PCN", "Barrow-in-Furness PCN"),
    ("ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST", "St George's University Hospitals NHS Foundation Trust"),
    ("Already Mixed Case GP", "Already Mixed Case GP"),
])
def test_upper_case_names_are_written_as_people_write_them(published, readable):
    assert readable_name(published) == readable


# --------------------------------------------------------------------------- reading the extracts


def test_each_row_of_the_trust_file_is_mapped_and_malformed_lines_are_named():
    tally = OdsTally()
    entries = {e.code: e for e in read_ods([ODS / "etr.csv"], tally=tally)}
    assert list(entries) == ["RGD", "RR8", "RXV"]
    leeds = entries["RGD"]
    assert (leeds.name, leeds.postcode, leeds.locality, leeds.line) == (
        "Leeds and York Partnership NHS Foundation Trust", "LS15 8ZB", "LS15", 1)
    assert leeds.constituencies == ("nhs_mental_health",)  # by its code in the mapping
    assert entries["RXV"].constituencies == ("nhs_mental_health",)  # by "MENTAL HEALTH" in its name
    assert entries["RR8"].constituencies == ()  # an acute trust: whole-system has no constituency for it
    assert leeds.attributes["open_date"] == "2002-04-01" and leeds.attributes["close_date"] == ""
    assert (tally.read, tally.closed) == (4, 1)  # Calderstones closed in 2017
    assert [str(p) for p in tally.problems] == [
        "etr.csv, line 5: 12 columns, not the 27 of the ODS standard layout",
        "etr.csv, line 6: column 11 (Open Date): '2002-04-01' is not a date (YYYYMMDD)",
    ]


def test_gp_practices_keep_their_commissioner_and_other_settings_and_closed_ones_are_counted():
    tally = OdsTally()
    entries = {e.code: e for e in read_ods([ODS / "epraccur.csv"], tally=tally)}
    assert list(entries) == ["B86002", "B86004", "P84001"]
    assert entries["B86002"].parents == (("RE4", "15F"),)
    assert entries["B86002"].constituencies == ("primary_care",)
    assert (tally.closed, tally.other_settings) == (1, 1)  # Old Road Surgery; the walk-in centre (setting 1)
    assert [str(p) for p in tally.problems] == ["epraccur.csv, line 6: column 1 (Organisation Code) is empty"]


def test_closed_organisations_are_read_when_asked_for():
    codes = [e.code for e in read_ods([ODS / "etr.csv"], include_closed=True)]
    assert "RJX" in codes


def test_a_file_of_unknown_name_needs_a_kind():
    with pytest.raises(ReferenceDataError, match=r"icbs.csv: netmap does not know which organisations"):
        list(read_ods([ODS / "icbs.csv"]))
    assert [(e.code, e.constituencies) for e in read_ods([ODS / "icbs.csv"], kind="icb")] == [
        ("QWO", ("commissioner",))]


# --------------------------------------------------------------------------- into a workspace


def test_import_makes_a_valid_workspace_with_codes_constituencies_and_ties(tmp_path):
    out = tmp_path / "nhs"
    done = import_ods([ODS / "etr.csv", ODS / "eccg.csv", ODS / "epraccur.csv", ODS / "ets.csv"], out)
    assert (done.added, done.ties, done.tally.closed, len(done.tally.problems)) == (9, 4, 2, 3)
    assert done.summary() == ("9 organisations added to " + str(out) + " (new workspace); 4 ties; 2 closed skipped; "
                              "1 of another prescribing setting skipped; 3 malformed lines skipped.")
    actors = _by_code(out)
    assert actors["RGD"]["id"] == "leeds-and-york-partnership-nhs-foundation-trust"
    assert actors["RGD"]["constituencies"] == "nhs_mental_health"
    assert actors["RGD01"]["constituencies"] == "nhs_mental_health"  # a site of a mental health trust
    assert actors["15F"]["constituencies"] == "commissioner"
    assert actors["B86004"]["locality"] == "LS7"
    assert actors["B86004"]["source"] == "nhs-ods-csv: epraccur.csv line 2"
    ties = {(t["from"], t["to"], t["type"]) for t in _rows(out / "ties.csv")}
    assert ties == {
        ("nhs-west-yorkshire-icb-15f", "leeds-city-medical-practice", "commissions"),
        ("nhs-west-yorkshire-icb-15f", "chapeltown-family-surgery", "commissions"),
        ("nhs-greater-manchester-icb-01g", "salford-medical-practice", "commissions"),
        ("newsam-centre", "leeds-and-york-partnership-nhs-foundation-trust", "member_of"),
    }
    report = validate_workspace(out)
    assert report.ok, report.errors
    assert len(read_workspace(out).actors) == 9


def test_importing_into_an_existing_workspace_keeps_its_rows_and_never_duplicates_a_code(tmp_path):
    out = tmp_path / "nhs"
    import_ods([ODS / "etr.csv", ODS / "eccg.csv"], out)
    with (out / "actors.csv").open("a", encoding="utf-8", newline="") as handle:  # a partner typed by hand
        handle.write("salford-mind,Mind in Salford,vcse_provider,,organisation,,no,no,M6,local,our list,,,\n")
    before = (out / "actors.csv").read_text(encoding="utf-8")
    done = import_ods([ODS / "etr.csv", ODS / "eccg.csv", ODS / "epraccur.csv"], out)
    assert (done.added, done.already, done.ties, done.created) == (3, 5, 3, False)
    after = (out / "actors.csv").read_text(encoding="utf-8")
    assert after.startswith(before)  # every row already there, as written
    assert [r["ods_code"] for r in _rows(out / "actors.csv")].count("RGD") == 1
    again = import_ods([ODS / "epraccur.csv"], out)
    assert (again.added, again.ties) == (0, 0)
    assert (out / "actors.csv").read_text(encoding="utf-8") == after


def test_the_sub_icb_joins_its_icb_when_the_icb_is_in_the_workspace(tmp_path):
    out = tmp_path / "nhs"
    import_ods([ODS / "icbs.csv"], out, kind="icb")
    import_ods([ODS / "eccg.csv"], out)
    assert ("nhs-west-yorkshire-icb-15f", "nhs-west-yorkshire-integrated-care-board", "member_of") in {
        (t["from"], t["to"], t["type"]) for t in _rows(out / "ties.csv")}


def test_the_command_reports_each_malformed_line_and_the_summary(tmp_path):
    out = tmp_path / "nhs"
    done = CliRunner().invoke(main, ["import", "ods", str(ODS / "etr.csv"), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "Skipped: etr.csv, line 5: 12 columns, not the 27 of the ODS standard layout" in done.output
    assert done.output.strip().endswith("3 organisations added to " + str(out) + " (new workspace); 0 ties; "
                                        "1 closed skipped; 2 malformed lines skipped.")


def test_the_command_names_an_unknown_file_in_one_line(tmp_path):
    other = tmp_path / "list.csv"
    shutil.copy(ODS / "icbs.csv", other)
    done = CliRunner().invoke(main, ["import", "ods", str(other), "--out", str(tmp_path / "x")])
    assert done.exit_code == 1
    assert "list.csv: netmap does not know which organisations this file holds" in done.output
    assert "Traceback" not in done.output and not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- fuzzing

_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_line = st.one_of(
    st.lists(_cell, min_size=0, max_size=30).map(lambda cells: ",".join(f'"{c}"' for c in cells)),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=8))
def test_random_lines_give_problems_never_a_crash(tmp_path, lines):
    path = tmp_path / "etr.csv"
    data = "\n".join(lines).encode("utf-8", errors="replace")
    path.write_bytes(data)
    tally = OdsTally()
    try:
        entries = list(read_ods([path], tally=tally, include_closed=True))
    except NetmapError:
        return
    assert len(entries) + len(tally.problems) <= len([ln for ln in data.split(b"\n") if ln.strip()])
    for entry in entries:
        assert entry.code and entry.name
    for problem in tally.problems:
        assert str(problem).startswith("etr.csv, line ")
