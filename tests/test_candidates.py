"""`netmap candidates`: registered charities working in a map's localities and not on it, read by `netmap invite`.

The map is a small SYNTHETIC Leeds workspace written by each test; the register
is the fixture extract of tests/test_registers_charities.py. Every count and
every point below is worked out by hand from the two.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.errors import WorkspaceError
from netmap.model import Actor, Locality, NetworkMap
from netmap.registers.candidates import select_candidates
from netmap.registers.entries import RegisterEntry

FIXTURE = Path(__file__).parent / "fixtures" / "registers" / "charities"
SUMMARY = ("Read 15 charity rows: kept 11; skipped 1 removed (not registered) and 1 linked subsidiary; 3 malformed "
           "rows skipped in all; extract of 2024-06-03.")
CONFIG = """map = "north-leeds"
name = "SYNTHETIC North Leeds"
framework = "whole-system"

[[localities]]
key = "leeds"
name = "Leeds"
population = "leeds"
"""
ACTORS = """id,name,constituencies,locality,charity_number,source
trust,SYNTHETIC Leeds Trust,nhs_mental_health,leeds,,netmap-synthetic: test
icb,SYNTHETIC Leeds ICB,commissioner,leeds,,netmap-synthetic: test
mind,Synthetic Leeds Mind,vcse_provider,leeds,,netmap-synthetic: test
val,SYNTHETIC VAL,vcse_infrastructure,leeds,01100003,netmap-synthetic: test
"""
TIES = "from,to,type\ntrust,icb,commissions\nicb,mind,funds\nmind,val,member\n"


def run(*args: object) -> click.testing.Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def workspace(tmp_path) -> Path:
    folder = tmp_path / "north-leeds"
    folder.mkdir()
    (folder / "netmap.toml").write_text(CONFIG)
    (folder / "actors.csv").write_text(ACTORS)
    (folder / "ties.csv").write_text(TIES)
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_candidates_are_the_charities_of_the_locality_not_on_the_map(workspace, tmp_path):
    out = tmp_path / "candidates.csv"
    result = run("candidates", workspace, "--register", "charities", FIXTURE, "--out", out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == SUMMARY
    # 8 work in Leeds City; Leeds Mind is on the map by name, Voluntary Action Leeds by charity number; the
    # educational foundation (a grant-maker) and the overseas appeal have nothing the framework names
    assert lines[1] == (f"8 registered charities work in the map's localities: 2 already on the map, 2 with no "
                        f"constituency or community the map's framework names; 4 candidates written to {out} "
                        "(community_group 2, housing 1, faith_group 1).")
    assert lines[2] == f"Plan whom to invite: netmap invite {workspace} --candidates {out}"
    assert len(result.stderr.splitlines()) == 3  # the malformed rows, each named
    rows = _rows(out)
    assert list(rows[0]) == ["id", "name", "constituencies", "aliases", "kind", "communities", "led_by_community",
                             "lived_experience_led", "locality", "scale", "source", "notes", "charity_number",
                             "latest_income", "date_of_registration", "classification", "works_with"]
    # by constituency in the framework's order, those serving a named community first, then by name
    assert [(r["id"], r["constituencies"], r["communities"]) for r in rows] == [
        ("charity-1100012", "housing; vcse_provider", ""),
        ("charity-1100001", "community_group; vcse_provider", "caribbean"),
        ("charity-1100013", "community_group; vcse_provider", "caribbean"),
        ("charity-1100002", "faith_group", ""),
    ]
    assert {r["source"] for r in rows} == {"charity-commission-register: extract 2024-06-03"}
    assert {r["locality"] for r in rows} == {"leeds"} and {r["works_with"] for r in rows} == {""}
    assert {r["led_by_community"] for r in rows} == {"no"}
    assert rows[1]["latest_income"] == "45210.00" and rows[1]["charity_number"] == "1100001"


def test_invite_plans_from_the_candidates_file(workspace, tmp_path):
    out = tmp_path / "candidates.csv"
    assert run("candidates", workspace, "--register", "charities", FIXTURE, "--out", out).exit_code == 0
    result = run("invite", workspace, "--candidates", out, "--k", "2", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["summary"]["candidates"] == 4
    # the Caribbean elders: a community organisation (1.5, Leeds has none of the 2 expected), a second VCSE
    # provider (1) and the Black communities, 5.6% of Leeds, whom no one on the map serves (0.56)
    # the West Indian family support: the second community organisation expected (1.5)
    assert [(p["id"], p["gain"]) for p in plan["picks"]] == [("charity-1100001", 3.06), ("charity-1100013", 1.5)]
    assert plan["summary"]["points"] == 4.56


def test_a_locality_is_chosen_by_key_or_name(workspace, tmp_path):
    out = tmp_path / "c.csv"
    assert run("candidates", workspace, "--register", "charities", FIXTURE, "--locality", "Leeds",
               "--out", out).exit_code == 0
    assert len(_rows(out)) == 4
    result = run("candidates", workspace, "--register", "charities", FIXTURE, "--locality", "Bradford")
    assert result.exit_code == 1
    assert "Error: no locality of the map is called Bradford (netmap.toml lists: leeds)" in result.output


def test_a_map_without_localities_or_another_register_is_refused(workspace, tmp_path):
    (workspace / "netmap.toml").write_text('map = "x"\nname = "X"\n')
    (workspace / "actors.csv").write_text(ACTORS.replace(",leeds,", ",,"))
    result = run("candidates", workspace, "--register", "charities", FIXTURE, "--out", tmp_path / "c.csv")
    assert result.exit_code == 1 and "lists no localities in its netmap.toml" in result.output
    assert not (tmp_path / "c.csv").exists()
    result = run("candidates", workspace, "--register", "ods", FIXTURE)
    assert result.exit_code == 1 and "Error: --register ods: candidates come from the Charity Commission" in \
        result.output


def test_selection_matches_places_names_and_numbers():
    nmap = NetworkMap("m", "M", actors=[Actor("a", "Hull Carers", aliases=("HC",)),
                                        Actor("b", "B", attributes={"registered_charity_number": "42"})],
                      localities=[Locality("hull", "City of Kingston upon Hull"), Locality("york", "York")])
    entries = [
        RegisterEntry("charities", "1", "HULL CARERS", constituencies=("carer_led",),
                      areas=("Kingston Upon Hull City",)),
        RegisterEntry("charities", "42", "Renamed", constituencies=("carer_led",), areas=("York",)),
        RegisterEntry("charities", "7", "Both Places", constituencies=("vcse_provider",),
                      areas=("York", "Kingston Upon Hull City")),
        RegisterEntry("charities", "8", "Elsewhere", constituencies=("vcse_provider",), areas=("Leeds City",)),
        RegisterEntry("charities", "9", "Hull Unknown Kind", constituencies=("astronauts",),
                      areas=("Kingston Upon Hull City",)),
    ]
    chosen = select_candidates(nmap, entries, "register", known=("vcse_provider", "carer_led"))
    assert (chosen.in_localities, chosen.on_map, chosen.unclassified) == (4, 2, 1)
    [both] = chosen.candidates
    assert (both.id, both.locality, both.source) == ("charity-7", "", "register")  # every locality of the map
    with pytest.raises(WorkspaceError, match="no locality of the map is called Leeds"):
        select_candidates(nmap, entries, localities=["Leeds"])
