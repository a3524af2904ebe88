"""Large maps: a deterministic compiled layout, and a summary page above the documented size.

The summary threshold is lowered here (to 100 actors) so that the 300-actor
synthetic borough stands in for a map of thousands; the summary is the same
code at any size.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import browser as helper
import networkx as nx
import pytest
from click.testing import CliRunner

from netmap.render import map as map_module
from netmap.render.layout import layout_positions
from netmap.render.map import CONSTITUENCY_PREFIX, map_data, write_map
from netmap.resources import sites_dir
from netmap.workflows import run_map
from netmap.workspace import read_workspace

BOROUGH = sites_dir() / "synthetic-borough"


def page_data(text: str) -> dict:
    match = re.search(r'<script type="application/json" id="netmap-data">(.*?)</script>', text, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def borough():
    result = run_map(read_workspace(BOROUGH), folder=BOROUGH)
    result.folder = BOROUGH
    return result


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(map_module, "SUMMARY_MIN_ACTORS", 100)
    monkeypatch.setattr(map_module, "SUMMARY_TOP_ACTORS", 20)


# --------------------------------------------------------------------------- the layout of large maps


def test_the_compiled_layout_of_a_large_map_is_the_same_every_time():
    # 2,100 actors in 30 communities: above LAYOUT_FULL_EFFORT_MAX, so igraph lays out each community
    G = nx.relaxed_caveman_graph(30, 70, 0.05, seed=1)
    communities = {v: v // 70 for v in G}
    first = layout_positions(G, communities=communities, seed=5)
    assert first == layout_positions(G, communities=communities, seed=5)
    assert set(first) == set(G)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    assert len({(round(x), round(y)) for x, y in first.values()}) > 0.95 * len(G)
    assert first != layout_positions(G, communities=communities, seed=6)


# --------------------------------------------------------------------------- the summary map


def test_a_map_above_the_size_is_a_constituency_summary(borough, small_threshold):
    data = map_data(borough)
    G = borough.analysis.graph
    primary = {v: G.nodes[v].get("primary") or "unclassified" for v in G}
    counts = Counter(primary.values())
    circles = [n for n in data["nodes"] if n.get("summary")]
    assert {n["id"] for n in circles} == {CONSTITUENCY_PREFIX + k for k in counts}
    # a circle's size grows with its actors
    by_size = sorted(circles, key=lambda n: n["size"])
    assert [counts[n["c"]] for n in by_size] == sorted(counts.values())
    assert f"{counts[circles[0]['c']]:,} actors with it as their main constituency" in circles[0]["title"]
    # the 20 most central actors by betweenness, and no other actor
    actors = [n["id"] for n in data["nodes"] if not n.get("summary")]
    top = borough.analysis.actors["betweenness"].fillna(0).sort_values(ascending=False, kind="stable")
    assert sorted(actors) == sorted(str(v) for v in top.index[:20])
    # one line per pair of constituencies whose actors are tied, titled with its count of tied pairs
    pairs = Counter(tuple(sorted((primary[u], primary[v]))) for u, v in G.edges() if primary[u] != primary[v])
    lines = {tuple(sorted((e["from"], e["to"]))): e for e in data["edges"] if e["t"] == "between"}
    assert len(lines) == len(pairs)
    (a, b), w = pairs.most_common(1)[0]
    strongest = lines[tuple(sorted((CONSTITUENCY_PREFIX + a, CONSTITUENCY_PREFIX + b)))]
    assert f"\n{w:,} tied pairs of actors" in strongest["title"]
    assert strongest["width"] == 10.0  # the thickest line
    assert data["meta"]["summary"] == {"actors_shown": 20, "measure": "betweenness",
                                       "constituencies": len(counts), "above": 100}
    assert data["meta"]["actors"] == 300
    assert any(t["type"] == "between" for t in data["legend"]["ties"])
    # the legend still counts every actor of each constituency
    assert {c["key"]: c["count"] for c in data["legend"]["constituencies"]} == dict(counts)


def test_the_summary_page_says_what_it_shows_and_how_to_draw_every_actor(borough, small_threshold, tmp_path):
    text = write_map(borough, tmp_path / "summary.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="summary-note" id="summary-note">(.*?)</p>', text, re.S)
    assert note
    assert note.group(1) == (
        "A summary: this map has 300 actors, more than a browser draws quickly (above 100). It shows one "
        "circle per constituency (sized by its actors; lines between circles are tied pairs of actors, thicker "
        "for more) and the 20 most central actors by betweenness. To draw every actor, run: netmap map "
        "synthetic-borough --full")
    full = write_map(borough, tmp_path / "full.html", full=True).read_text(encoding="utf-8")
    assert 'id="summary-note"' not in full
    data = page_data(full)
    assert data["meta"]["summary"] is None
    assert sum(1 for n in data["nodes"] if not n.get("space")) == 300


def test_a_map_below_the_size_draws_every_actor(borough):
    assert map_module.SUMMARY_MIN_ACTORS == 3000
    data = map_data(borough)
    assert data["meta"]["summary"] is None
    assert not any(n.get("summary") for n in data["nodes"])


def test_the_summary_is_the_same_bytes_twice(borough, small_threshold, tmp_path):
    one = write_map(borough, tmp_path / "one.html").read_bytes()
    two = write_map(borough, tmp_path / "two.html").read_bytes()
    assert one == two


def test_netmap_map_full_draws_every_actor(small_threshold, tmp_path):
    from netmap.cli import main

    runner = CliRunner()
    summary, full = tmp_path / "summary.html", tmp_path / "full.html"
    first = runner.invoke(main, ["map", str(BOROUGH), "--out", str(summary)])
    second = runner.invoke(main, ["map", str(BOROUGH), "--out", str(full), "--full"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert page_data(summary.read_text(encoding="utf-8"))["meta"]["summary"]["actors_shown"] == 20
    assert page_data(full.read_text(encoding="utf-8"))["meta"]["summary"] is None


# --------------------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def chromium():
    reason = helper.missing_reason()
    if reason:
        if helper.services_required():
            pytest.fail(f"the browser tests must run here (NETMAP_REQUIRE_SERVICES or CI is set): {reason}")
        pytest.skip(reason)
    with helper.launch() as b:
        yield b


@pytest.mark.browser
def test_the_summary_page_opens_offline_and_is_interactive(chromium, borough, small_threshold, tmp_path):
    path = write_map(borough, tmp_path / "summary.html")
    with helper.offline_page(chromium) as (page, log):
        helper.open_map(page, path)
        assert page.locator("#summary-note").is_visible()
        assert "--full" in page.locator("#summary-note").inner_text()
        drawn = page.evaluate("() => netmap.network.body.nodeIndices.length")
        assert drawn == page.evaluate("() => netmap.data.nodes.length") == 20 + page.evaluate(
            "() => netmap.data.nodes.filter(n => n.summary).length")
        # clicking a constituency circle shows what it stands for
        circle = page.evaluate("() => netmap.data.nodes.find(n => n.summary).id")
        point = page.evaluate("id => netmap.network.canvasToDOM(netmap.network.getPositions([id])[id])", circle)
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#details:not([hidden])")
        assert "main constituency" in page.locator("#details-text").inner_text()
        # unticking a constituency hides its circle and its actors; the note counts actors only
        key = page.evaluate("() => netmap.data.nodes.find(n => n.summary).c")
        page.locator(f'#legend-constituencies input[value="{key}"]').uncheck()
        hidden = page.evaluate("key => netmap.nodes.get().filter(n => n.c === key && n.hidden).length", key)
        assert hidden == page.evaluate("key => netmap.data.nodes.filter(n => n.c === key).length", key)
        status = page.locator("#status").inner_text()
        assert re.fullmatch(r"Showing \d+ of 20 actors", status) or status == ""
        assert log.blocked == [] and log.errors == [] and log.dialogs == []
