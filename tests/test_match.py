"""netmap match: actors to register entries by name and place, and the accepted codes written back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.errors import WorkspaceError
from netmap.model import Actor
from netmap.registers.entries import RegisterEntry
from netmap.registers.match import MatchResult, apply_proposals, proposals_csv, propose, words

ODS = Path(__file__).parent / "fixtures" / "registers" / "ods"

ENTRIES = [
    RegisterEntry("ods", "RR8", "Leeds Teaching Hospitals NHS Trust", postcode="LS9 7TF"),
    RegisterEntry("ods", "RGD", "Leeds and York Partnership NHS Foundation Trust", postcode="LS15 8ZB"),
    RegisterEntry("charities", "1012345", "SALFORD MIND", postcode="M6 5FX"),
    RegisterEntry("charities", "1100001", "MIND", postcode="LS7 3PD", attributes={"address": "Leeds"}),
    RegisterEntry("charities", "1100002", "MIND", postcode="M6 5FX", attributes={"address": "Salford"}),
    RegisterEntry("ods", "P84001", "Salford Medical Practice", postcode="M6 5FX"),
]


def _one(actor: Actor, entries=ENTRIES):
    result = MatchResult()
    found = propose([actor], entries, result=result)
    return (found[0] if found else None), result


def test_the_same_name_in_the_same_place_is_a_sure_match():
    found, _ = _one(Actor("ltht", "LEEDS TEACHING HOSPITALS N.H.S. TRUST", locality="LS9"))
    assert (found.code, found.confidence) == ("RR8", 1.0)
    assert found.reason == "same name after normalising; same postcode district LS9"


def test_an_alias_matches_and_says_so():
    found, _ = _one(Actor("ltht", "LTHT", aliases=("Leeds Teaching Hospitals NHS Trust",),
                          attributes={"postcode": "LS9 7TF"}))
    assert found.code == "RR8"
    assert found.reason == ("same name after normalising (its alias 'Leeds Teaching Hospitals NHS Trust'); "
                            "same postcode district LS9")


def test_word_order_case_stop_words_and_abbreviations_do_not_matter():
    assert words("Mind in Salford") == words("SALFORD MIND")
    found, _ = _one(Actor("salford-mind", "Mind in Salford", locality="M6"))
    assert (found.code, found.confidence) == ("1012345", 0.95)
    assert found.reason == "same words in another order; same postcode district M6"
    found, _ = _one(Actor("lypft", "Leeds & York Partnership NHS FT", locality="Leeds"))
    assert (found.code, found.confidence) == ("RGD", 0.71)  # 0.95, and no postcode to agree: 0.75
    assert found.reason == ("same words in another order; 'Leeds' on the map cannot be compared with postcode "
                            "district LS15 in the register")


def test_the_same_name_in_two_places_needs_the_place():
    found, result = _one(Actor("mind", "Mind"))
    assert found is None and result.ambiguous == ["mind"]
    found, _ = _one(Actor("mind", "Mind", locality="Salford"))
    assert (found.code, found.confidence) == ("1100002", 1.0)
    assert found.reason == "same name after normalising; 'Salford' is in its address or area"
    found, _ = _one(Actor("mind", "Mind", attributes={"postcode": "LS7 4AA"}))
    assert found.code == "1100001"


def test_a_name_found_only_elsewhere_or_nowhere_is_not_proposed():
    found, result = _one(Actor("smp", "Salford Medical Practice", locality="LS7"))
    assert found is None and result.unmatched == 1
    found, result = _one(Actor("club", "Chapeltown Youth Club", locality="LS7"))
    assert found is None and result.unmatched == 1


def test_a_single_entry_and_no_place_is_proposed_with_less_confidence():
    found, _ = _one(Actor("ltht", "Leeds Teaching Hospitals NHS Trust"))
    assert (found.code, found.confidence) == ("RR8", 0.75)
    assert found.reason == "same name after normalising; no place on the map to compare"


def test_actors_that_already_hold_a_code_are_left_out():
    result = MatchResult()
    assert propose([Actor("ltht", "Leeds Teaching Hospitals NHS Trust", attributes={"ods_code": "RR8"})],
                   ENTRIES, "ods", result) == []
    assert result.coded == 1


# --------------------------------------------------------------------------- the accept workflow

ACTORS = """\
id,name,constituencies,aliases,locality,notes
ltht,Leeds Teaching Hospitals NHS Trust,,,LS9,"keep, this"
lypft,Leeds & York Partnership NHS FT,nhs_mental_health,,LS15,
salford-mind,Mind in Salford,vcse_provider,,M6,
club,Chapeltown Youth Club,community_group,,LS7,
"""


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "leeds"
    folder.mkdir()
    (folder / "netmap.toml").write_text('map = "leeds"\nname = "Leeds"\n', encoding="utf-8")
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    return folder


def _proposals(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_match_then_apply_writes_only_the_accepted_codes_and_is_safe_to_repeat(workspace, tmp_path):
    out = tmp_path / "matches.csv"
    runner = CliRunner()
    done = runner.invoke(main, ["match", str(workspace), "--register", "ods", str(ODS / "etr.csv"),
                                str(ODS / "epraccur.csv"), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "2 proposals written to" in done.output
    rows = _proposals(out)
    assert [(r["actor"], r["code"], r["confidence"], r["accept"]) for r in rows] == [
        ("ltht", "RR8", "1.00", ""), ("lypft", "RGD", "0.95", "")]
    assert rows[1]["reason"] == "same words in another order; same postcode district LS15"
    rows[0]["accept"] = "Y"
    _write(out, rows)
    done = runner.invoke(main, ["match", str(workspace), "--apply", str(out)])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"Wrote 1 ods_code into {workspace / 'actors.csv'}."
    text = (workspace / "actors.csv").read_text(encoding="utf-8")
    expected = ACTORS.replace("notes\n", "notes,ods_code\n").replace('"keep, this"\n', '"keep, this",RR8\n')
    expected = expected.replace("LS15,\n", "LS15,,\n").replace("M6,\n", "M6,,\n").replace("LS7,\n", "LS7,,\n")
    assert text == expected
    again = runner.invoke(main, ["match", str(workspace), "--apply", str(out)])
    assert again.output.strip() == f"Wrote 0 codes into {workspace / 'actors.csv'} (1 already there)."
    assert (workspace / "actors.csv").read_text(encoding="utf-8") == text


def test_a_proposals_file_that_no_longer_fits_the_workspace_names_the_row(workspace, tmp_path):
    proposals = propose([Actor("ltht", "Leeds Teaching Hospitals NHS Trust", locality="LS9"),
                         Actor("salford-mind", "Mind in Salford", locality="M6")], ENTRIES)
    path = tmp_path / "p.csv"
    path.write_text(proposals_csv(proposals), encoding="utf-8")
    rows = _proposals(path)
    rows[1]["accept"] = "x"
    rows[1]["actor"] = "gone"
    _write(path, rows)
    with pytest.raises(WorkspaceError, match=r"p.csv, row 3: actor 'gone' is not in .*actors.csv any more"):
        apply_proposals(workspace, path)
    rows[1]["actor"], rows[1]["actor_name"] = "salford-mind", "Salford Mind"
    _write(path, rows)
    with pytest.raises(WorkspaceError, match=r"row 3: actor 'salford-mind' is now called 'Mind in Salford'"):
        apply_proposals(workspace, path)
    rows[1]["actor_name"], rows[1]["accept"] = "Mind in Salford", "maybe"
    _write(path, rows)
    with pytest.raises(WorkspaceError, match=r"row 3, column 'accept': 'maybe' is not y, yes or x"):
        apply_proposals(workspace, path)
    assert (workspace / "actors.csv").read_text(encoding="utf-8") == ACTORS
    rows[1]["accept"] = "yes"
    _write(path, rows)
    done = apply_proposals(workspace, path)
    assert (done.written, done.columns) == (1, ("charity_number",))
    assert "salford-mind,Mind in Salford,vcse_provider,,M6,,1012345" in (workspace / "actors.csv").read_text()


def test_a_code_already_held_is_not_overwritten(workspace, tmp_path):
    (workspace / "actors.csv").write_text(ACTORS.replace("notes\n", "notes,ods_code\n").replace(
        '"keep, this"\n', '"keep, this",RAE\n'), encoding="utf-8")
    path = tmp_path / "p.csv"
    path.write_text(proposals_csv(propose([Actor("ltht", "Leeds Teaching Hospitals NHS Trust", locality="LS9")],
                                          ENTRIES)).replace("\n,ltht", "\ny,ltht"), encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"row 2: actor 'ltht' already has ods_code RAE, not RR8"):
        apply_proposals(workspace, path)


def test_match_needs_a_register_and_files(workspace):
    done = CliRunner().invoke(main, ["match", str(workspace)])
    assert done.exit_code == 2 and "give --register ods|charities" in done.output
