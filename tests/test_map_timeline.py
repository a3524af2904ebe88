"""The timeline of the interactive map: dates on its lines, the slider's stops, and the slider in a browser.

The unit tests read :func:`netmap.render.map.map_data`; the browser tests open
the synthetic borough (685 of its 1,200 ties dated) in Debian's chromium,
offline, and compare what the page shows at each date with the snapshot
:func:`netmap.snapshots.at` takes by the same rule. Without chromium the browser
tests skip, unless ``NETMAP_REQUIRE_SERVICES`` or ``CI`` is set, when they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import browser as helper
import pytest

from netmap.errors import SnapshotError
from netmap.model import Actor, Membership, NetworkMap, Space, Tie
from netmap.render import map as map_module
from netmap.render.map import map_data, render_map, write_map
from netmap.resources import sites_dir
from netmap.snapshots import at
from netmap.workflows import run_map
from netmap.workspace import read_workspace


def dated_map() -> NetworkMap:
    """Five partners: merged ties held apart, an undated tie, a dated actor and a dated board."""
    actors = [Actor("a", "Alpha", ("community_group",)), Actor("b", "Beta", ("carer_led",)),
              Actor("c", "Gamma", ("faith_group",)), Actor("d", "Delta", ("vcse_provider",)),
              Actor("e", "Epsilon", ("commissioner",), attributes={"since": "2021"})]
    ties = [
        Tie("a", "b", "partnership", since="2020"),           # two ties of one pair, apart in time: two spells
        Tie("a", "b", "funds", directed=True, until="2018-06"),
        Tie("b", "c", "partnership"),                          # undated: always shown
        Tie("c", "d", "partnership", since="2021-03", until="2022"),
        Tie("d", "a", "partnership", since="2019"),            # with an undated tie of the same pair: always
        Tie("a", "d", "funds", directed=True),
        Tie("e", "c", "partnership", since="2020-12"),         # the actor came in 2021: from 2021
    ]
    spaces = [Space("board", "The Board", "board", since="2020-06", until="2023")]
    memberships = [Membership("a", "board", since="2019"), Membership("d", "board")]
    return NetworkMap("dated", "A dated map", actors=actors, ties=ties, spaces=spaces, memberships=memberships,
                      framework="whole-system")


@pytest.fixture(scope="module")
def dated() -> dict:
    return map_data(run_map(dated_map()))


def line(data: dict, a: str, b: str) -> dict:
    """The page's line between two nodes (either way round)."""
    found = [e for e in data["edges"] if {e["from"], e["to"]} == {a, b}]
    assert len(found) == 1, found
    return found[0]


def days(item: dict) -> dict:
    return {k: item[k] for k in ("s", "e", "w") if k in item}


def test_each_line_carries_the_days_it_holds(dated):
    assert days(line(dated, "a", "b")) == {"w": [["", "2018-06-30"], ["2020-01-01", ""]]}
    assert days(line(dated, "c", "d")) == {"s": "2021-03-01", "e": "2022-12-31"}
    assert days(line(dated, "c", "e")) == {"s": "2021-01-01"}  # the tie from 2020-12, its actor from 2021
    # a membership holds while it, its space and its actor do: since 2019, within the board's 2020-06..2023
    assert days(line(dated, "space:board", "a")) == {"s": "2020-06-01", "e": "2023-12-31"}
    assert days(line(dated, "space:board", "d")) == {"s": "2020-06-01", "e": "2023-12-31"}


def test_undated_ties_always_show(dated):
    assert days(line(dated, "b", "c")) == {}
    assert days(line(dated, "a", "d")) == {}  # one of its two ties has no dates
    assert days(next(n for n in dated["nodes"] if n["id"] == "a")) == {}


def test_dated_actors_and_spaces_carry_their_days(dated):
    nodes = {n["id"]: days(n) for n in dated["nodes"]}
    assert nodes["e"] == {"s": "2021-01-01"}
    assert nodes["space:board"] == {"s": "2020-06-01", "e": "2023-12-31"}


def test_tooltips_give_the_dates(dated):
    assert line(dated, "c", "d")["title"].endswith("\nDates: 2021-03-01 to 2022-12-31")
    assert line(dated, "a", "b")["title"].endswith("\nDates: until 2018-06-30; from 2020-01-01")
    assert "Dates" not in line(dated, "b", "c")["title"]


def test_the_stops_are_the_distinct_periods_by_the_day_they_show(dated):
    assert dated["timeline"]["stops"] == [
        {"label": "2018-06", "day": "2018-06-30", "words": "30 June 2018"},
        {"label": "2019", "day": "2019-12-31", "words": "31 December 2019"},
        {"label": "2020-06", "day": "2020-06-30", "words": "30 June 2020"},
        {"label": "2020-12", "day": "2020-12-31", "words": "31 December 2020"},  # and 2020: the same day
        {"label": "2021-03", "day": "2021-03-31", "words": "31 March 2021"},
        {"label": "2021", "day": "2021-12-31", "words": "31 December 2021"},
        {"label": "2022", "day": "2022-12-31", "words": "31 December 2022"},
        {"label": "2023", "day": "2023-12-31", "words": "31 December 2023"},
    ]
    assert dated["timeline"]["dated"] == 5  # a-b, c-d, c-e and the two memberships, of 7 lines
    assert dated["timeline"]["lines"] == 7


def test_the_page_of_a_dated_map_has_the_slider():
    page = render_map(run_map(dated_map()))
    assert '<input id="timeline-range" type="range"' in page
    assert '<label for="timeline-range">' in page
    assert "{{" not in page and "timeline.edgeChange(e, show)" in page


@pytest.mark.parametrize("site", ["leeds", "birmingham", "manchester"])
def test_a_map_without_dates_has_no_timeline(site):
    folder = sites_dir() / site
    result = run_map(read_workspace(folder), folder=folder)
    data = map_data(result)
    assert "timeline" not in data
    assert not any(k in item for item in data["nodes"] + data["edges"] for k in ("s", "e", "w"))
    page = render_map(result)
    assert "timeline" not in page and "{{" not in page


def test_a_summary_map_has_no_timeline(monkeypatch):
    monkeypatch.setattr(map_module, "SUMMARY_MIN_ACTORS", 3)
    data = map_data(run_map(dated_map()))
    assert data["meta"]["summary"] and "timeline" not in data


def test_a_date_that_is_not_one_names_its_row():
    bad = NetworkMap("bad", "Bad", actors=[Actor("a", "A"), Actor("b", "B")],
                     ties=[Tie("a", "b", since="2024-13")], framework="whole-system")
    with pytest.raises(SnapshotError) as caught:
        map_data(run_map(bad))
    assert str(caught.value) == ("ties.csv: tie a - b (partnership), column since: "
                                 "'2024-13' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


# --------------------------------------------------------------------------- in a browser


browser = pytest.fixture(scope="module", name="browser")(helper.browser_or_skip)


@pytest.fixture(scope="module")
def borough(tmp_path_factory):
    folder = sites_dir() / "synthetic-borough"
    result = run_map(read_workspace(folder), folder=folder)
    path = write_map(result, tmp_path_factory.mktemp("timeline") / "map.html")
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="netmap-data">(.*?)</script>', text,
                                re.S).group(1))
    return SimpleNamespace(result=result, path=path, data=data)


def held_lines(result, label: str) -> set[tuple[str, str]]:
    """The map's lines that hold on the stop ``label`` by the snapshot rule, as (from, to) keys of the page."""
    snap = at(result.nmap, label)
    G = result.analysis.graph
    lines = {tuple(sorted((t.from_id, t.to_id))) for t in snap.ties
             if t.from_id != t.to_id and t.from_id in G and t.to_id in G}
    lines |= {(f"space:{m.space_id}", m.actor_id) for m in snap.memberships if m.actor_id in G}
    return lines


def key(edge: dict) -> tuple[str, str]:
    return (edge["from"], edge["to"]) if edge["t"] == "space" else tuple(sorted((edge["from"], edge["to"])))


SHOWN = """() => ({
  index: netmap.timeline.index,
  shown: netmap.edges.get({filter: e => !e.hidden && e.tl !== 'ended'}).map(e => [e.from, e.to, e.t]),
  began: netmap.edges.get({filter: e => !e.hidden && e.tl === 'began'}).map(e => [e.from, e.to, e.t]),
  ended: netmap.edges.get({filter: e => !e.hidden && e.tl === 'ended'}).length,
  hiddenNodes: netmap.nodes.get({filter: n => n.hidden}).map(n => n.id),
  date: document.getElementById('timeline-date').textContent,
  valuetext: document.getElementById('timeline-range').getAttribute('aria-valuetext'),
  change: document.getElementById('timeline-change').textContent,
})"""


def keys(rows: list) -> set[tuple[str, str]]:
    return {key({"from": a, "to": b, "t": t}) for a, b, t in rows}


def assert_clean(log) -> None:
    assert log.blocked == [], f"requests left the file: {log.blocked}"
    assert log.errors == [], log.errors
    assert [c for c in log.console if c.startswith(("error", "warning"))] == []


@pytest.mark.browser
def test_the_slider_shows_the_network_as_it_was(browser, borough):
    stops = borough.data["timeline"]["stops"]
    assert [s["label"] for s in stops] == [str(y) for y in (2013, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022,
                                                            2023, 2024)]
    every = {key(e) for e in borough.data["edges"]}
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, borough.path)
        state = page.evaluate(SHOWN)
        assert state["index"] == len(stops) and state["date"] == "all dates"  # it opens with every tie
        assert keys(state["shown"]) == every and state["hiddenNodes"] == []
        page.focus("#timeline-range")  # the keyboard moves the slider
        page.keyboard.press("Home")
        for k, stop in enumerate(stops):
            if k:
                page.keyboard.press("ArrowRight")
            state = page.evaluate(SHOWN)
            expected = held_lines(borough.result, stop["label"]) & every
            assert state["index"] == k
            assert keys(state["shown"]) == expected, stop["label"]
            assert state["change"].startswith(f"{len(expected)} of {len(every)} lines held then.")
            assert state["date"] == state["valuetext"] == f"{stop['label']} (as at {stop['words']})"
            # a space is drawn only from its own since
            assert ("space:vcse-alliance" in state["hiddenNodes"]) == (stop["label"] < "2022")
        first = held_lines(borough.result, stops[0]["label"]) & every
        assert 0 < len(first) < len(every) / 2  # the early map is much smaller: the dated ties had not begun
        page.keyboard.press("End")
        state = page.evaluate(SHOWN)
        assert keys(state["shown"]) == every and state["began"] == [] and state["hiddenNodes"] == []
        assert_clean(log)


@pytest.mark.browser
def test_ties_that_began_since_the_previous_date_are_marked(browser, borough, tmp_path):
    stops = borough.data["timeline"]["stops"]
    every = {key(e) for e in borough.data["edges"]}
    middle = len(stops) // 2
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, borough.path)
        page.evaluate(f"() => netmap.timeline.set({middle - 1})")
        page.click("#timeline-next")  # the Next button steps one date on
        state = page.evaluate(SHOWN)
        before, now = (held_lines(borough.result, stops[k]["label"]) & every for k in (middle - 1, middle))
        assert state["index"] == middle
        assert keys(state["began"]) == now - before and len(now - before) > 10
        assert state["ended"] == len(before - now) == 0  # the borough's ties carry no until
        assert f"Since {stops[middle - 1]['label']}: {len(now - before)} began (thick green), 0 ended" \
            in state["change"]
        widths = page.evaluate("() => netmap.edges.get({filter: e => e.tl === 'began'}).map(e => e.width)")
        assert min(widths) >= 3.5
        page.click("#timeline-back")
        assert page.evaluate(SHOWN)["index"] == middle - 1
        page.keyboard.press("Tab")  # leave the button: nothing else moves the slider
        assert page.evaluate(SHOWN)["index"] == middle - 1
        path = tmp_path / "map-timeline.png"
        page.evaluate(f"() => netmap.timeline.set({middle})")
        page.wait_for_timeout(200)
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
        if os.environ.get("NETMAP_SCREENSHOT_DIR"):
            Path(os.environ["NETMAP_SCREENSHOT_DIR"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(os.environ["NETMAP_SCREENSHOT_DIR"]) / path.name)
        assert_clean(log)


@pytest.mark.browser
def test_the_tie_legend_still_filters_at_a_date(browser, borough):
    stops = borough.data["timeline"]["stops"]
    every = {key(e) for e in borough.data["edges"]}
    memberships = {k for k in every if k[0].startswith("space:")}
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, borough.path)
        page.evaluate("() => netmap.timeline.set(3)")
        held = held_lines(borough.result, stops[3]["label"]) & every
        page.uncheck("#legend-ties input[value='space']")
        assert keys(page.evaluate(SHOWN)["shown"]) == held - memberships
        page.evaluate("() => netmap.timeline.set(6)")  # moving the slider keeps the legend's choice
        later = held_lines(borough.result, stops[6]["label"]) & every
        assert keys(page.evaluate(SHOWN)["shown"]) == later - memberships
        page.check("#legend-ties input[value='space']")
        assert keys(page.evaluate(SHOWN)["shown"]) == later
        assert_clean(log)


@pytest.mark.browser
def test_play_steps_through_the_dates(browser, borough):
    stops = borough.data["timeline"]["stops"]
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, borough.path)
        page.click("#timeline-play")  # from "all dates", play starts at the first date
        assert page.evaluate("() => netmap.timeline.index") == 0
        assert page.text_content("#timeline-play").endswith("Pause")
        page.wait_for_function("() => netmap.timeline.index >= 2", timeout=10_000)
        page.click("#timeline-play")
        index = page.evaluate("() => netmap.timeline.index")
        assert 2 <= index < len(stops)
        page.wait_for_timeout(1600)
        assert page.evaluate("() => netmap.timeline.index") == index  # paused
        assert page.text_content("#timeline-play").endswith("Play")
        assert_clean(log)


@pytest.mark.browser
def test_lines_that_ended_since_the_previous_date_show_faint_and_dashed(browser, tmp_path):
    result = run_map(dated_map())
    path = write_map(result, tmp_path / "dated-map.html")
    stops = map_data(result)["timeline"]["stops"]
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, path)
        page.focus("#timeline-range")
        page.keyboard.press("Home")
        before = held_lines(result, stops[0]["label"])
        for k, stop in enumerate(stops[1:], 1):
            page.keyboard.press("ArrowRight")
            state = page.evaluate(SHOWN)
            now = held_lines(result, stop["label"])
            ended = page.evaluate("() => netmap.edges.get({filter: e => !e.hidden && e.tl === 'ended'})")
            assert state["index"] == k
            assert keys(state["shown"]) == now and keys(state["began"]) == now - before, stop["label"]
            assert {key(e) for e in ended} == before - now, stop["label"]
            assert all(e["dashes"] == [4, 4] and "211, 47, 47" in e["color"] for e in ended)
            # Epsilon (an actor since 2021) shows from 2021; the board from 2020-06
            assert ("e" in state["hiddenNodes"]) == (stop["day"] < "2021-01-01")
            assert ("space:board" in state["hiddenNodes"]) == (stop["day"] < "2020-06-30")
            before = now
        assert {key(e) for e in ended} == {("c", "d")}  # 2021-03 to 2022: ended by the stop 2023
        page.keyboard.press("End")
        state = page.evaluate(SHOWN)
        assert state["ended"] == 0 and state["began"] == [] and state["hiddenNodes"] == []
        assert_clean(log)


@pytest.mark.browser
def test_an_actor_that_ended_stays_faded_for_one_step(browser, tmp_path):
    nmap = dated_map()
    gone = Actor("f", "Phi", ("faith_group",), attributes={"until": "2019"})
    nmap = NetworkMap(nmap.key, nmap.name, actors=[*nmap.actors, gone], ties=[*nmap.ties, Tie("f", "a")],
                      spaces=nmap.spaces, memberships=nmap.memberships, framework=nmap.framework)
    path = write_map(run_map(nmap), tmp_path / "gone.html")
    faded = "() => netmap.nodes.get('f')"
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, path)
        page.evaluate("() => netmap.timeline.set(1)")  # 2019: Phi is there
        assert not page.evaluate(faded).get("hidden") and not page.evaluate(faded).get("ended")
        page.evaluate("() => netmap.timeline.set(2)")  # 2020-06: gone since 2019, shown faded with its tie
        node = page.evaluate(faded)
        assert node["ended"] and node["opacity"] == 0.35 and not node.get("hidden")
        assert page.evaluate("() => netmap.edges.get({filter: e => e.from === 'f' || e.to === 'f'})[0].tl") == "ended"
        page.evaluate("() => netmap.timeline.set(3)")  # a step later it is hidden
        node = page.evaluate(faded)
        assert node["hidden"] and not node["ended"] and node["opacity"] == 1
        assert_clean(log)
