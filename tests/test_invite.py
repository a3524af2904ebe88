"""The invitation planner: its objective, greedy against brute force, candidates files, reasons, CLI and report."""

from __future__ import annotations

import itertools
import json
import math
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.cli import main
from netmap.decisions.invite import InviteError, greedy, objective, plan_invitations
from netmap.decisions.invite_candidates import read_candidates
from netmap.decisions.invite_items import Candidate, Coverage, GapItem
from netmap.model import Actor
from netmap.render.invite import invite_document, invite_section, invite_text
from netmap.render.map import map_data
from netmap.resources import data_dir, sites_dir
from netmap.workflows import load_map, plan_invites, run_map

LEEDS = sites_dir() / "leeds"
LEEDS_CANDIDATES = data_dir() / "candidates" / "leeds.csv"
HEADER = "id,name,constituencies,communities,led_by_community,locality,source,works_with\n"


@pytest.fixture(scope="module")
def leeds():
    return run_map(load_map(LEEDS))


def _cover(weights: list[tuple[float, int]], sets: list[set[int]]) -> tuple[Coverage, list[Candidate]]:
    """A made-up universe: items (weight, demand) and which items each candidate c00, c01 ... covers."""
    items = {f"i{j}": GapItem(f"i{j}", "constituency", "", "", "", f"i{j}", f"i{j}", w, d)
             for j, (w, d) in enumerate(weights)}
    candidates = [Candidate(Actor(f"c{n:02d}", f"C{n}")) for n in range(len(sets))]
    by = {c.id: {f"i{j}": () for j in sorted(s)} for c, s in zip(candidates, sets, strict=True)}
    return Coverage(items, by), candidates


def _best(cover: Coverage, candidates: list[Candidate], k: int) -> float:
    ids = [c.id for c in candidates]
    return max(objective(cover, s) for r in range(k + 1) for s in itertools.combinations(ids, r))


def _greedy_value(cover: Coverage, candidates: list[Candidate], k: int) -> float:
    return objective(cover, [cid for cid, _, _ in greedy(cover, candidates, k)])


# --------------------------------------------------------------------------- the guarantee


@pytest.mark.parametrize("seed", range(12))
def test_greedy_reaches_63_percent_of_brute_force_on_30_candidates(seed):
    rng = random.Random(seed)
    weights = [(rng.choice([0.5, 1.0, 1.5, rng.random() * 2]), rng.choice([1, 1, 2])) for _ in range(12)]
    sets = [set(rng.sample(range(12), rng.randint(0, 4))) for _ in range(30)]
    cover, candidates = _cover(weights, sets)
    for k in (1, 2, 3):
        best = _best(cover, candidates, k)
        assert _greedy_value(cover, candidates, k) >= (1 - 1 / math.e) * best - 1e-9
        if k == 1:  # one pick: greedy is exact
            assert _greedy_value(cover, candidates, k) == pytest.approx(best)


def test_greedy_is_not_always_optimal_but_within_the_bound():
    # the classic trap: a big set that overlaps two disjoint halves; greedy takes it first
    cover, candidates = _cover([(1.0, 1)] * 6, [{0, 1, 2, 3}, {0, 1, 4}, {2, 3, 5}])
    assert _greedy_value(cover, candidates, 2) == 5.0
    assert _best(cover, candidates, 2) == 6.0


@pytest.mark.parametrize(("weights", "sets", "k", "value"), [
    ([(1.0, 1)] * 6, [{0, 1, 2}, {3, 4}, {5}, {0}], 3, 6.0),  # disjoint sets: greedy is optimal
    ([(1.5, 2), (1.0, 1)], [{0}, {0}, {0, 1}, {1}], 3, 4.0),  # demand 2: two holders count, a third does not
    ([(1.0, 1), (2.0, 1), (3.0, 1)], [{0}, {1}, {2}, {0, 1}], 2, 6.0),  # a pair beats its parts: 3 + (1 + 2)
])
def test_greedy_equals_brute_force_where_it_is_known_optimal(weights, sets, k, value):
    cover, candidates = _cover(weights, sets)
    assert _greedy_value(cover, candidates, k) == pytest.approx(value)
    assert _best(cover, candidates, k) == pytest.approx(value)


_universe = st.tuples(
    st.lists(st.tuples(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0]), st.integers(1, 3)), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=2 ** 31),
)


@settings(max_examples=80, deadline=None)
@given(_universe, st.data())
def test_the_objective_is_monotone_and_submodular(universe, data):
    weights, seed = universe
    rng = random.Random(seed)
    sets = [set(rng.sample(range(len(weights)), rng.randint(0, len(weights)))) for _ in range(8)]
    cover, candidates = _cover(weights, sets)
    ids = [c.id for c in candidates]
    big = data.draw(st.sets(st.sampled_from(ids)))
    small = data.draw(st.sets(st.sampled_from(sorted(big)))) if big else set()
    outside = [x for x in ids if x not in big]
    assert objective(cover, big) >= objective(cover, small) - 1e-9  # monotone
    if outside:
        x = data.draw(st.sampled_from(outside))
        gain_small = objective(cover, small | {x}) - objective(cover, small)
        gain_big = objective(cover, big | {x}) - objective(cover, big)
        assert gain_small >= gain_big - 1e-9  # diminishing returns


def test_ties_go_to_the_first_id_and_order_does_not_matter():
    cover, candidates = _cover([(1.0, 1), (1.0, 1)], [{0}, {1}, {0}, {1}])
    picks = [cid for cid, _, _ in greedy(cover, candidates, 2)]
    assert picks == ["c00", "c01"]
    shuffled = candidates[::-1]
    assert [cid for cid, _, _ in greedy(cover, shuffled, 2)] == picks


def test_greedy_stops_when_nothing_is_left_to_close():
    cover, candidates = _cover([(1.0, 1)], [{0}, {0}, set()])
    assert [cid for cid, _, _ in greedy(cover, candidates, 3)] == ["c00"]


def test_cap_per_constituency_and_must():
    cover, candidates = _cover([(1.0, 1), (1.0, 1), (0.5, 1)], [{0}, {1}, {2}])
    candidates = [Candidate(Actor(c.id, c.actor.name, constituencies=("x",) if c.id != "c02" else ("y",)))
                  for c in candidates]
    assert [cid for cid, _, _ in greedy(cover, candidates, 2, max_per_constituency=1)] == ["c00", "c02"]
    assert [cid for cid, _, _ in greedy(cover, candidates, 2, must=["c02"])] == ["c02", "c00"]


# --------------------------------------------------------------------------- the Leeds sample


def test_leeds_plan_fills_absent_constituencies_with_reasons(leeds):
    plan = plan_invites(leeds, LEEDS_CANDIDATES, k=3)
    assert plan.ids == ["chapeltown-wellbeing-collective", "leeds-voices-peer-support", "leeds-carers-circle"]
    assert [p.gain for p in plan.picks] == [4.06, 3.5, 2.5]
    # hand-computed: 1.5 + 1 + 0.56 (Black communities, 5.6% / 10) + 1; 1.5 + 1 + 1; 1.5 + 1
    assert plan.value == pytest.approx(10.06)
    carers = plan.picks[2]
    assert [r.text for r in carers.reasons] == [
        "Brings a carer-led group to Leeds, which has none; the framework expects at least 1.",
        "As a carer-led group working with Leeds and York Partnership NHS Foundation Trust (an NHS mental health "
        "provider), it meets a link the framework expects in Leeds that the network lacks: PCREF: the Patient and "
        "Carer Race Equality Framework asks trusts to work with carers.",
    ]
    assert [r.gain for r in carers.reasons] == [1.5, 1.0]
    first = plan.picks[0].reasons
    assert first[2].text == ("Is led by and serves Black, Black British, Black Welsh, Caribbean or African "
                             "communities, 5.6% of Leeds's population, whom no organisation in the network in "
                             "Leeds serves yet.")


def test_a_second_holder_reads_as_such(leeds):
    plan = plan_invites(leeds, LEEDS_CANDIDATES, k=4, must=["leeds-voices-peer-support", "NSUN"])
    nsun = plan.picks[1]
    assert nsun.candidate.id == "nsun" and nsun.must
    assert nsun.reasons[0].text == ("Brings a service-user-led group to Leeds, which has only 1; the framework "
                                    "expects at least 2.")


def test_leeds_json_from_the_command():
    out = CliRunner().invoke(main, ["invite", str(LEEDS), "--candidates", str(LEEDS_CANDIDATES), "--k", "3",
                                    "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["schema"] == "netmap/invite" and doc["k"] == 3
    absent = {i["subject"] for i in doc["items"] if i["rule"] == "absent_constituency.none"}
    filled = {r["subject"] for p in doc["picks"] for r in p["reasons"] if r["kind"] == "constituency"}
    assert {"service_user_led", "carer_led"} <= absent & filled
    texts = " ".join(r["text"] for p in doc["picks"] for r in p["reasons"])
    assert "service-user-led group" in texts and "carer-led group" in texts
    assert doc["summary"]["points"] == pytest.approx(10.06)
    assert doc["summary"]["available"] == pytest.approx(sum(i["points"] for i in doc["items"]))


def test_text_output_and_exclude(leeds):
    plan = plan_invites(leeds, LEEDS_CANDIDATES, k=2, exclude=["chapeltown-wellbeing-collective"],
                        max_per_constituency=1)
    text = invite_text(plan, leeds)
    assert text.splitlines()[:4] == [
        "Whom to invite next: Creative Spaces Leeds", "==========================================",
        "11 candidates, at most 2 invitations, against Whole local system (whole-system).",
        "Constraints: left out: chapeltown-wellbeing-collective; at most 1 per constituency."]
    assert "1. Leeds Voices Peer Support (synthetic) [leeds-voices-peer-support]  +3.5 points" in text
    assert "chapeltown" not in " ".join(plan.ids)


def test_report_section(leeds, tmp_path):
    plan = plan_invites(leeds, LEEDS_CANDIDATES, k=3)
    html = invite_section(plan, leeds)
    assert html.startswith('<h2 id="invite">Whom to invite next</h2>')
    assert "Leeds Carers Circle (synthetic)" in html and "(+2.5 points)" in html
    out = CliRunner().invoke(main, ["report", str(LEEDS), "--candidates", str(LEEDS_CANDIDATES), "--out",
                                    str(tmp_path / "r.html")])
    assert out.exit_code == 0, out.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Whom to invite next" in page and "Leeds Voices Peer Support (synthetic)" in page


# --------------------------------------------------------------------------- the picks on the map


def test_map_draws_the_picks_apart_with_dashed_would_be_ties(leeds):
    plan = plan_invites(leeds, LEEDS_CANDIDATES, k=3)
    plain, drawn = map_data(leeds), map_data(leeds, invite=plan)
    invited = [n for n in drawn["nodes"] if n.get("invited")]
    assert [n["id"] for n in invited] == ["invited:chapeltown-wellbeing-collective",
                                          "invited:leeds-voices-peer-support", "invited:leeds-carers-circle"]
    assert [n["name"] for n in invited] == [p.candidate.actor.name for p in plan.picks]
    assert invited[1]["label"] == "Leeds Voices Peer\nSupport (synthetic)"  # labelled with the name
    assert all(n["shapeProperties"]["borderDashes"] and n["color"]["border"] == "#8e24aa" for n in invited)
    # apart: a column right of every partner; the partners stand where they stood without the plan
    partners = [n for n in drawn["nodes"] if not n.get("invited")]
    assert partners == plain["nodes"]
    assert len({n["x"] for n in invited}) == 1 and invited[0]["x"] > max(n["x"] for n in partners)
    assert "Closes: " in invited[1]["title"] and "Already works with: Leeds and York" in invited[1]["title"]
    # would-be ties: the candidates file's works_with, by hand: chapeltown 1, peer support 2, carers 1
    would_be = [e for e in drawn["edges"] if e["t"] == "invited"]
    assert sorted((e["from"], e["to"]) for e in would_be) == [
        ("invited:chapeltown-wellbeing-collective", "leeds-ccg"), ("invited:leeds-carers-circle", "lypft"),
        ("invited:leeds-voices-peer-support", "leeds-ccg"), ("invited:leeds-voices-peer-support", "lypft")]
    assert all(e["dashes"] and e["physics"] is False for e in would_be)
    assert [e for e in drawn["edges"] if e["t"] != "invited"] == plain["edges"]
    marks = {m["key"]: m["count"] for m in drawn["legend"]["marks"]}
    assert marks["invited"] == 3 and {m["key"]: m["count"] for m in plain["legend"]["marks"]}["invited"] == 0
    assert drawn["legend"]["ties"][-1] == {"type": "invited", "label": "Would-be tie of an invited candidate",
                                           "colour": "#8e24aa", "dashed": True, "arrow": False, "count": 4}
    assert all(t["type"] != "invited" for t in plain["legend"]["ties"])


def _page_data(path: Path) -> tuple[str, dict]:
    """A map page's text and the data it draws (the JSON in its netmap-data script)."""
    page = path.read_text(encoding="utf-8")
    start = page.index('<script type="application/json" id="netmap-data">')
    text = page[page.index(">", start) + 1: page.index("</script>", start)]
    return page, json.loads(text)


def test_map_command_takes_candidates_and_k(tmp_path):
    def run(*args: str) -> tuple[int, str]:
        out = CliRunner().invoke(main, ["map", str(LEEDS), "--out", str(tmp_path / "m.html"), *args])
        return out.exit_code, out.output.strip()

    assert run("--candidates", str(LEEDS_CANDIDATES), "--k", "2") == (0, f"Map written to {tmp_path / 'm.html'}")
    page, data = _page_data(tmp_path / "m.html")
    assert [n["name"] for n in data["nodes"] if n.get("invited")] == [
        "Chapeltown Caribbean and African Wellbeing Collective (synthetic)", "Leeds Voices Peer Support (synthetic)"]
    assert "2 organisations in the column at the right" in page
    assert run("--candidates", str(LEEDS_CANDIDATES), "--k", "0") == (
        1, "Error: --k must be at least 1 (got 0): it is the number of invitations to plan")
    assert run() == (0, f"Map written to {tmp_path / 'm.html'}")
    page, data = _page_data(tmp_path / "m.html")
    assert not any(n.get("invited") for n in data["nodes"]) and "column at the right" not in page


# --------------------------------------------------------------------------- bad input


def _invite(tmp_path: Path, text: str, *args: str, name: str = "c.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(main, ["invite", str(LEEDS), "--candidates", str(path), *args])
    assert out.exit_code == 1
    return out.output.strip()


def test_cli_errors(tmp_path):
    good = HEADER + "x,X Group,carer_led,,,leeds,netmap-synthetic,\n"
    assert _invite(tmp_path, good, "--k", "0") == (
        "Error: --k must be at least 1 (got 0): it is the number of invitations to plan")
    assert _invite(tmp_path, "a\tb", name="c.txt") == (
        f"Error: {tmp_path / 'c.txt'}: unknown candidate file format '.txt': give a CSV file (.csv), an Excel "
        "workbook (.xlsx) with an Actors sheet, a Kumu export or a workspace folder")
    assert _invite(tmp_path, HEADER + "lypft,LYPFT again,nhs_mental_health,,,leeds,,\n") == (
        "Error: c.csv, row 2, column 'id': 'LYPFT again' is already on the map (as 'lypft', Leeds and York "
        "Partnership NHS Foundation Trust): a candidate is an organisation not yet on the map")
    assert _invite(tmp_path, HEADER + "new,Leeds  C.C.G.,commissioner,,,leeds,,\n") == (
        "Error: c.csv, row 2, column 'name': 'Leeds  C.C.G.' is already on the map (as 'leeds-ccg', Leeds CCG): "
        "a candidate is an organisation not yet on the map")
    assert _invite(tmp_path, HEADER) == (
        "Error: c.csv: no usable candidate rows: add one row per organisation, with at least its name")
    assert _invite(tmp_path, HEADER + "x,X Group,carer_led,,,leeds,,nobody\n") == (
        "Error: c.csv, row 2, column 'works_with': unknown actor 'nobody': no actor of the map has this id or name")
    assert _invite(tmp_path, HEADER + "x,X Group,faith_gruop,,,leeds,,\n") == (
        "Error: c.csv, row 2, column 'constituencies': unknown constituency 'faith_gruop' in framework "
        "'whole-system' (did you mean 'faith_group'?)")
    assert _invite(tmp_path, good, "--must", "nobody") == (
        "Error: --must: no candidate 'nobody': give the id or name of a row of the candidates file")
    assert _invite(tmp_path, good, "--must", "x", "--exclude", "X group") == (
        "Error: --must and --exclude both name 'x'")


def test_candidates_from_a_workbook_a_kumu_sheet_and_a_workspace(leeds, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Elements"
    sheet.append(["Label", "Type", "Tags", "Works with"])
    sheet.append(["Carers Together", "Carer-led group", "", "LYPFT"])
    book.save(tmp_path / "kumu.xlsx")
    (kumu,) = read_candidates(tmp_path / "kumu.xlsx", leeds.nmap, leeds.framework)
    assert (kumu.id, kumu.actor.constituencies, kumu.works_with) == ("carers-together", ("carer_led",), ("lypft",))
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "actors.csv").write_text("id,name,constituencies\nccg,Leeds CCG,commissioner\n"
                                       "peer,Peer Group,service_user_led\n", encoding="utf-8")
    (folder / "ties.csv").write_text("from,to,type\npeer,ccg,partnership\n", encoding="utf-8")
    (peer,) = read_candidates(folder, leeds.nmap, leeds.framework)
    assert (peer.id, peer.works_with) == ("peer", ("leeds-ccg",))
    plan = plan_invitations(leeds, [kumu, peer], k=2)
    assert plan.ids == ["carers-together", "peer"]  # 1.5 + 1 against 1.5 + 1 (commissioner link): ties by id
    with pytest.raises(InviteError, match="no such candidates file"):
        read_candidates(tmp_path / "missing.csv", leeds.nmap, leeds.framework)


def test_bridging_joins_cut_off_parts(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(LEEDS, site)
    with (site / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("lonely,Lonely Group,faith_group,,organisation,,,,leeds,local,netmap-synthetic,\n")
    result = run_map(load_map(site))
    bridge = Candidate(Actor("b", "Bridge"), works_with=("lonely", "lypft"))
    plan = plan_invitations(result, [bridge, Candidate(Actor("a", "Alone"), works_with=("lonely",))], k=2)
    assert plan.ids == ["b"]
    assert plan.picks[0].gain == pytest.approx(10 / 8)  # one of 8 actors: a point per 10% of them
    assert plan.picks[0].reasons[0].text == (
        "Works with Lonely Group, cut off from the rest of the network, and with Leeds and York Partnership NHS "
        "Foundation Trust: it joins an actor to the main network.")
    assert invite_document(plan, result)["picks"][0]["reasons"][0]["kind"] == "bridge"
