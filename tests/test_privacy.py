"""Individuals in shared outputs: pseudonyms by default, names with --names, the workspace untouched."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import click
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from netmap.cli import main
from netmap.model import Actor, Membership, NetworkMap, Space, Tie
from netmap.privacy import pseudonymise, suppress_small
from netmap.reference import load_framework
from netmap.workspace import read_workspace

#: Words of the two individuals' names, aliases and notes that must not leave the machine by default.
SECRETS = ("Zadie", "Okonkwo", "Bram", "Vellacott", "Elm Street")

ACTORS = """id,name,constituencies,aliases,kind,communities,led_by_community,lived_experience_led,\
locality,scale,source,notes
trust,Riverside Mental Health Trust,nhs_mental_health,,organisation,,,,,local,,
council,Riverside Council,local_authority,,organisation,,,,,local,,
voices,Riverside Voices,service_user_led,,group,,,yes,,local,,
zadie-okonkwo,Zadie Okonkwo,service_user_led,Z. Okonkwo,individual,,,yes,,local,,Lives on Elm Street
bram-vellacott,Bram Vellacott,carer_led,,individual,,,,,local,,
"""
TIES = """from,to,type,directed,weight,trust,value,since,until,reported_by,source,notes
trust,council,partnership,,,,,,,,,
zadie-okonkwo,trust,co_produces,,,,,,,zadie-okonkwo; trust,,
bram-vellacott,council,refers_to,,,,,,,,,
voices,zadie-okonkwo,partnership,,,,,,,,,
"""
SPACES = "id,name,kind,locality,since,until,source,notes\nboard,Riverside Partnership Board,board,,,,,\n"
MEMBERSHIPS = "actor,space,role,since,until,source\ntrust,board,member,,,\nbram-vellacott,board,member,,,\n"


def run(*args: object) -> click.testing.Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def riverside(tmp_path: Path) -> Path:
    folder = tmp_path / "riverside"
    folder.mkdir()
    files = {"actors.csv": ACTORS, "ties.csv": TIES, "spaces.csv": SPACES, "memberships.csv": MEMBERSHIPS,
             "netmap.toml": 'map = "riverside"\nname = "Riverside"\nframework = "whole-system"\n'}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _text_of(path: Path) -> str:
    """Everything a reader of ``path`` could see: a file's text, a folder's files, a workbook's cells."""
    if path.is_dir():
        return "\n".join(_text_of(p) for p in sorted(path.iterdir()))
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return path.read_text(encoding="utf-8")


def _shared_outputs(folder: Path, out: Path, *extra: str) -> dict[str, Path]:
    """Write the map, the report and every export of ``folder`` into ``out``."""
    out.mkdir()
    paths = {"map": out / "map.html", "report": out / "report.html"}
    run("map", folder, "--out", paths["map"], *extra)
    run("report", folder, "--out", paths["report"], *extra)
    for fmt, name in (("csv", "tables"), ("json", "a.json"), ("graphml", "a.graphml"), ("gexf", "a.gexf"),
                      ("kumu", "a.xlsx")):
        paths[fmt] = out / name
        run("export", folder, "--format", fmt, "--out", paths[fmt], *extra)
    return paths


def test_shared_outputs_show_pseudonyms_and_leave_the_workspace_alone(riverside, tmp_path):
    before = _fingerprint(riverside)
    paths = _shared_outputs(riverside, tmp_path / "out")
    for kind, path in paths.items():
        text = _text_of(path)
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in the {kind} output"
        assert "Riverside Mental Health Trust" in text, kind
    # bram-vellacott sorts before zadie-okonkwo: numbered in id order, labelled with the constituency
    carers, users = (load_framework("whole-system").label(k) for k in ("carer_led", "service_user_led"))
    for kind in ("map", "report", "json", "kumu"):
        text = _text_of(paths[kind])
        assert f"Individual 1 ({carers})" in text and f"Individual 2 ({users})" in text, kind
    assert _fingerprint(riverside) == before


def test_pseudonyms_name_the_constituency_and_are_numbered_in_id_order(riverside):
    nmap = read_workspace(riverside)
    fw = load_framework("whole-system")
    shared = pseudonymise(nmap, fw)
    people = {a.id: a.name for a in shared.actors if a.kind == "individual"}
    assert people == {"individual-1": f"Individual 1 ({fw.label('carer_led')})",
                      "individual-2": f"Individual 2 ({fw.label('service_user_led')})"}
    assert [a.name for a in nmap.actors if a.kind == "individual"] == ["Zadie Okonkwo", "Bram Vellacott"]


def test_ties_memberships_and_other_actors_follow_the_pseudonyms(riverside):
    nmap = read_workspace(riverside)
    shared = pseudonymise(nmap)
    assert [a for a in shared.actors if a.kind != "individual"] == [a for a in nmap.actors if a.kind != "individual"]
    assert [(t.from_id, t.to_id, t.reported_by) for t in shared.ties] == [
        ("trust", "council", ()), ("individual-2", "trust", ("individual-2", "trust")),
        ("individual-1", "council", ()), ("voices", "individual-2", ())]
    assert [m.actor_id for m in shared.memberships] == ["trust", "individual-1"]
    zadie = shared.actor("individual-2")
    assert (zadie.aliases, zadie.notes, zadie.lived_experience_led) == ((), "", True)


def test_pseudonym_ids_never_take_an_existing_id():
    nmap = NetworkMap("m", "M", actors=[Actor("individual-1", "A Trust"), Actor("ann", "Ann", kind="individual")],
                      ties=[Tie("ann", "individual-1")], spaces=[Space("s", "S")], memberships=[Membership("ann", "s")])
    shared = pseudonymise(nmap)
    assert [a.id for a in shared.actors] == ["individual-1", "individual-1-2"]
    assert (shared.ties[0].from_id, shared.memberships[0].actor_id) == ("individual-1-2", "individual-1-2")


def test_pseudonyms_are_stable_between_runs(riverside, tmp_path):
    first = _shared_outputs(riverside, tmp_path / "one")
    second = _shared_outputs(riverside, tmp_path / "two")
    for kind in ("json", "graphml", "csv"):
        assert _text_of(first[kind]) == _text_of(second[kind]), kind
    nodes = json.loads(first["json"].read_text(encoding="utf-8"))
    assert "individual-2" in json.dumps(nodes)


def test_names_flag_shows_the_names(riverside, tmp_path):
    paths = _shared_outputs(riverside, tmp_path / "out", "--names")
    for kind in ("map", "report", "csv", "json", "graphml", "kumu"):
        text = _text_of(paths[kind])
        assert "Zadie Okonkwo" in text and "Bram Vellacott" in text, kind
    assert "The 2 individuals on this map are shown by name, on request." in _text_of(paths["report"])


def test_report_method_says_how_many_were_pseudonymised(riverside, tmp_path):
    out = tmp_path / "report.html"
    run("report", riverside, "--out", out)
    assert ("The 2 individuals on this map are shown by pseudonym (\u201cIndividual N\u201d and their "
            "constituency) to protect their personal data; the workspace keeps their names, and --names shows them."
            ) in out.read_text(encoding="utf-8")


def test_netmap_toml_can_ask_for_names(riverside, tmp_path):
    config = riverside / "netmap.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'names = "show"\n', encoding="utf-8")
    out = tmp_path / "report.html"
    run("report", riverside, "--out", out)
    assert "Zadie Okonkwo" in out.read_text(encoding="utf-8")
    assert "unknown" not in run("validate", riverside).output


def test_a_bad_names_setting_is_one_clear_error(riverside):
    config = riverside / "netmap.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'names = "yes"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(riverside)])
    assert result.exit_code == 1
    assert """names must be "hide" (pseudonyms, the default) or "show", not 'yes'""" in result.output


def test_analyse_on_the_terminal_keeps_names(riverside):
    assert "Zadie Okonkwo" in run("analyse", riverside, "--top", "5").output


def test_demo_shows_the_sample_individuals_by_pseudonym(tmp_path):
    from netmap.resources import sites_dir
    from netmap.workflows import demo_outputs

    birmingham = sites_dir() / "birmingham"
    assert "Karen Newbigging" in (birmingham / "actors.csv").read_text(encoding="utf-8")
    demo_outputs(tmp_path / "hidden", sites=[birmingham])
    demo_outputs(tmp_path / "shown", sites=[birmingham], names=True)
    for name in ("report.html", "map.html", "analysis.json", "gaps.json", "actors.csv", "findings.csv"):
        written = next((tmp_path / "hidden").rglob(name))
        assert "Newbigging" not in written.read_text(encoding="utf-8"), name
    assert "Newbigging" in next((tmp_path / "shown").rglob("report.html")).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- --suppress-small

#: A small map with hand-countable cells: one trust, one council, one faith group, five service-user-led
#: groups; two Pakistani-serving (both community-led), two Caribbean-serving (one community-led).
SHIRE_ACTORS = """id,name,constituencies,kind,communities,led_by_community,locality
trust,Shire Trust,nhs_mental_health,organisation,,,leeds
council,Shire Council,local_authority,organisation,,,leeds
v1,Voice One,service_user_led,group,caribbean,yes,leeds
v2,Voice Two,service_user_led,group,caribbean,,leeds
v3,Voice Three,service_user_led,group,pakistani,yes,leeds
v4,Voice Four,service_user_led,group,,,leeds
v5,Voice Five,service_user_led,group,,,leeds
f1,Faith One,faith_group,group,pakistani,yes,leeds
"""
SHIRE_TIES = ("from,to,type\ntrust,council,partnership\nv1,trust,partnership\nv2,council,partnership\n"
              "v3,v4,partnership\nv5,f1,partnership\nf1,trust,partnership\nv4,council,partnership\n")


@pytest.fixture
def shire(tmp_path: Path) -> Path:
    folder = tmp_path / "shire"
    folder.mkdir()
    (folder / "actors.csv").write_text(SHIRE_ACTORS, encoding="utf-8")
    (folder / "ties.csv").write_text(SHIRE_TIES, encoding="utf-8")
    (folder / "netmap.toml").write_text('map = "shire"\nname = "Shire"\nframework = "whole-system"\n\n'
                                        '[[localities]]\nkey = "leeds"\nname = "Leeds"\npopulation = "leeds"\n',
                                        encoding="utf-8")
    return folder


def _rows(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


def test_suppress_small_hides_counts_under_n_in_the_csv_tables(shire, tmp_path):
    run("export", shire, "--format", "csv", "--out", tmp_path / "t", "--suppress-small", "5")
    constituencies = _rows(tmp_path / "t" / "constituencies.csv", "constituency")
    cells = {k: (r["count"], r["primary_count"], r["share"]) for k, r in constituencies.items()}
    assert cells["nhs_mental_health"] == cells["local_authority"] == cells["faith_group"] == ("<5", "<5", "")
    assert cells["service_user_led"] == ("5", "5", "0.625")  # 5 of 8 actors: not under 5
    assert cells["carer_led"] == ("0", "0", "0.0")  # an absence is shown
    coverage = _rows(tmp_path / "t" / "community_coverage.csv", "group")
    assert {g: (r["organisations"], r["led_by"], r["org_share"], r["actors"]) for g, r in coverage.items()
            if g in ("asian", "black", "white")} == {
        "asian": ("<5", "<5", "", ""), "black": ("<5", "<5", "", ""), "white": ("0", "0", "0.0", "")}
    text = (tmp_path / "t" / "community_coverage.csv").read_text(encoding="utf-8")
    assert "v3" not in text and "f1" not in text  # nor the actors counted, which would give the count back


def test_csv_tables_show_every_count_by_default(shire, tmp_path):
    run("export", shire, "--format", "csv", "--out", tmp_path / "t")
    constituencies = _rows(tmp_path / "t" / "constituencies.csv", "constituency")
    assert (constituencies["faith_group"]["count"], constituencies["faith_group"]["share"]) == ("1", "0.125")
    coverage = _rows(tmp_path / "t" / "community_coverage.csv", "group")
    assert (coverage["black"]["organisations"], coverage["black"]["led_by"]) == ("2", "1")


def test_suppress_small_in_the_report_tables_and_method(shire, tmp_path):
    out = tmp_path / "report.html"
    run("report", shire, "--out", out, "--suppress-small", "3")
    page = out.read_text(encoding="utf-8")
    coverage = page[page.index('id="chart-coverage"'):page.index('id="communities"')]
    notes = re.findall(r"<text[^>]*>([^<]*)</text>", coverage)[11:]  # after the key and the axis 0 to 5
    # the 19 whole-system constituencies in order: trust, council and faith group 1 each, 5 service-user groups
    assert [(k, n) for k, n in enumerate(notes) if n != "absent"] == [
        (0, "fewer than 3"), (3, "fewer than 3"), (11, "fewer than 3"), (12, "5")]
    communities = page[page.index('id="communities"'):page.index('id="centrality"')]
    assert communities.count("fewer than 3 organisations") == 2  # Asian and Black, 2 each
    assert ("<b>Small counts:</b> Counts of 1 to 2 actors or organisations in the constituency and community "
            "coverage are shown as \u201cfewer than 3\u201d, never the number (--suppress-small 3); a count of 0 is "
            "shown, since an absence discloses no one.") in page
    run("report", shire, "--out", out)
    assert "Small counts" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["0", "-2"])
@pytest.mark.parametrize("command", [["report"], ["export", "--format", "csv"]])
def test_suppress_small_under_1_is_one_clear_error(shire, command, value):
    result = CliRunner().invoke(main, [*command, str(shire), "--suppress-small", value])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"Error: Invalid value for '--suppress-small': {value} is not a threshold: counts under N are hidden, "
        "so N must be 1 or more")


@given(st.integers(-10, 10_000), st.integers(1, 100))
def test_only_counts_from_1_to_n_minus_1_are_hidden(count, threshold):
    shown = suppress_small(pd.DataFrame({"count": [count], "share": [0.5]}), threshold).iloc[0]
    hidden = 1 <= count < threshold
    assert (shown["count"], shown["share"]) == ((f"<{threshold}", "") if hidden else (count, 0.5))
