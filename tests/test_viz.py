"""The interactive map: offline, escaped, the right data, a sane layout (no browser here)."""

from __future__ import annotations

import json
import math
import re

import browser
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.errors import OutputError
from netmap.model import CO_MEMBERSHIP, Actor, Membership, NetworkMap, Space, Tie
from netmap.render.labels import LABEL_LINE_CHARS, LABEL_LINES, label_box, text_width, wrap_label
from netmap.render.layout import SPACE_PREFIX, SPACE_TIE, layout_positions
from netmap.render.map import PHYSICS_MAX_NODES, map_data, render_map, write_map
from netmap.render.page import script_json
from netmap.render.style import SIZE_METRICS, constituency_colours
from netmap.workflows import run_map

EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                      r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)|(?:<link\b)|(?:<iframe\b)""",
                      re.IGNORECASE)


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="netmap-data">(.*?)</script>', page, re.S)
    assert match, "the map data block is missing"
    return json.loads(match.group(1))


def test_map_is_one_offline_file(leeds):
    page = render_map(leeds)
    assert page.startswith("<!doctype html>")
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "bootstrap" not in page.lower() and "cdn" not in page.lower()
    assert "vis-network" in page and "new vis.Network" in page
    assert "default-src 'none'" in page  # the page may not fetch anything, even if a name tried to


def expected_drawing(result) -> tuple[set, set]:
    """Nodes and lines the map must draw: actors and spaces; direct ties and memberships."""
    G = result.analysis.graph
    members = {(m.actor_id, m.space_id) for m in result.nmap.memberships if m.actor_id in G}
    nodes = set(G) | {SPACE_PREFIX + space for _, space in members}
    direct = {frozenset((u, v)) for u, v, d in G.edges(data=True) if set(d["types"]) - {CO_MEMBERSHIP}}
    return nodes, direct | {frozenset((a, SPACE_PREFIX + s)) for a, s in members}


@pytest.mark.parametrize("site", ["leeds", "tricky"])
def test_map_data_has_every_actor_space_tie_and_membership(site, request):
    result = request.getfixturevalue(site)
    data = page_data(render_map(result))
    nodes, lines = expected_drawing(result)
    assert {n["id"] for n in data["nodes"]} == nodes and len(data["nodes"]) == len(nodes)
    assert {frozenset((e["from"], e["to"])) for e in data["edges"]} == lines and len(data["edges"]) == len(lines)
    G = result.analysis.graph
    assert data["meta"]["actors"] == len(G) and data["meta"]["tied_pairs"] == G.number_of_edges()
    assert data["meta"]["direct_ties"] == sum(1 for e in data["edges"] if e["t"] != SPACE_TIE)
    for node in data["nodes"]:
        assert math.isfinite(node["x"]) and math.isfinite(node["y"]) and node["size"] > 0
    present = {G.nodes[v]["primary"] or "unclassified" for v in G}
    assert {c["key"] for c in data["legend"]["constituencies"]} == present
    assert sum(c["count"] for c in data["legend"]["constituencies"]) == len(G)
    assert all(n["shape"] == "box" for n in data["nodes"] if n["id"].startswith(SPACE_PREFIX))


def test_legend_names_absent_constituencies(leeds):
    data = page_data(render_map(leeds))
    held = {c for a in leeds.nmap.actors for c in a.constituencies}
    expected = [c.label for c in leeds.framework.constituencies if c.key not in held]
    assert data["legend"]["absent"] == expected and expected


def test_hostile_names_stay_data(tricky):
    page = render_map(tricky)
    xss = browser.XSS_NAMES
    for name in xss:
        assert name not in page
    assert "<img src=x" not in page and "</script><script>" not in page
    assert "\u2028" not in page.split('id="netmap-data">', 1)[1].split("</script>", 1)[0]
    assert "&lt;script&gt;alert(3)&lt;/script&gt; Tricky &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    data = page_data(page)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names["x1"] == xss[0] and names["x2"] == xss[1]
    assert "line" in names["trust"] and "\u2028" in names["trust"]
    forum = next(n for n in data["nodes"] if n["id"] == SPACE_PREFIX + "forum")
    assert forum["name"] == "</script><b>Forum</b>" and forum["title"].startswith("</script><b>Forum</b>")
    assert any("of </script><b>Forum</b>" in e["title"] for e in data["edges"])
    assert page.count("<script") == 3  # data, vis-network, netmap's own code: nothing injected


def test_marks_cut_vertices_isolates_and_flags(tricky):
    data = page_data(render_map(tricky))
    nodes = {n["id"]: n for n in data["nodes"]}
    actors = tricky.analysis.actors
    for actor_id, row in actors.iterrows():
        assert nodes[actor_id].get("cut", False) == bool(row["is_cut_vertex"])
        assert nodes[actor_id].get("isolate", False) == (row["degree"] == 0)
    assert nodes["lonely"]["shapeProperties"]["borderDashes"]
    assert "Holds the system together" in nodes["trust"]["title"]
    flagged = {f.subject for f in tricky.findings if f.kind in ("peripheral_constituency", "under_represented")}
    for actor in tricky.nmap.actors:
        assert nodes[actor.id].get("flag", False) == bool(flagged & set(actor.constituencies))
    marks = {m["key"]: m["count"] for m in data["legend"]["marks"]}
    assert marks["cut"] == int(actors["is_cut_vertex"].sum()) and marks["isolate"] == 1


def test_ties_are_styled_by_type_and_direction(tricky):
    data = page_data(render_map(tricky))
    edges = {frozenset((e["from"], e["to"])): e for e in data["edges"]}
    funds = edges[frozenset(("icb", "vcs"))]
    assert funds["t"] == "funds" and funds["arrows"] in ("to", "from")
    assert (funds["arrows"] == "to") == (funds["from"] == "icb")
    assert frozenset(("x1", "faith")) not in edges  # sitting in one forum is drawn through the forum
    spoke = edges[frozenset(("x1", SPACE_PREFIX + "forum"))]
    assert spoke["t"] == SPACE_TIE and spoke["dashes"] and "arrows" not in spoke
    legend = {t["type"]: t for t in data["legend"]["ties"]}
    assert legend["funds"]["arrow"] and not legend["partnership"]["arrow"] and legend[SPACE_TIE]["dashed"]
    assert legend[SPACE_TIE]["count"] == 3
    assert len({t["colour"] for t in legend.values()}) == len(legend)


def test_tooltips_are_plain_text(tricky):
    data = page_data(render_map(tricky))
    node = next(n for n in data["nodes"] if n["id"] == "x1")
    assert isinstance(node["title"], str)
    assert node["title"].splitlines()[0] == browser.XSS_NAMES[0]
    assert "Constituencies: Community organisation (by and for)" in node["title"]
    assert "Communities: Caribbean" in node["title"] and "Role:" in node["title"]


def test_locality_filter_data(tricky):
    data = page_data(render_map(tricky))
    assert [loc["key"] for loc in data["legend"]["localities"]] == ["north", "south"]
    assert {n["loc"] for n in data["nodes"]} == {"north", "south", ""}


@pytest.mark.parametrize("metric", sorted(SIZE_METRICS))
def test_every_size_metric(tricky, metric):
    data = page_data(render_map(tricky, size_by=metric))
    assert data["meta"]["size_by"] == metric
    assert all(n["size"] > 0 for n in data["nodes"])


def test_unknown_size_metric_is_a_clear_error(tricky):
    with pytest.raises(OutputError, match="cannot size the map by 'colour'"):
        render_map(tricky, size_by="colour")


def test_physics_only_for_maps_between_labelled_and_big(tricky):
    # a map that names every actor is laid out with its labels: physics, which knows no labels, stays off
    assert map_data(tricky)["options"]["physics"]["enabled"] is False
    assert map_data(tricky, physics=True)["options"]["physics"]["enabled"] is True
    middle = NetworkMap("mid", "Mid", actors=[Actor(f"a{i}", f"A {i}", ("vcse_provider",)) for i in range(80)],
                        ties=[Tie(f"a{i}", f"a{i + 1}") for i in range(79)])
    assert map_data(run_map(middle, "whole-system"))["options"]["physics"]["enabled"] is True
    big = NetworkMap("big", "Big", actors=[Actor(f"a{i}", f"A {i}", ("vcse_provider",))
                                           for i in range(PHYSICS_MAX_NODES + 1)],
                     ties=[Tie(f"a{i}", f"a{i + 1}") for i in range(PHYSICS_MAX_NODES)])
    data = map_data(run_map(big, "whole-system"))
    assert data["options"]["physics"]["enabled"] is False
    hubs = [n for n in data["nodes"] if n.get("hub")]
    assert len(hubs) >= 3 and all(n["hub_label"] for n in hubs)  # the most central keep their labels
    assert data["view"]["auto_labels"] and data["view"]["assumed_scale"] > 0
    assert data["view"]["label_zoom"] >= 1.8


def test_write_map_is_atomic(tmp_path, leeds):
    path = write_map(leeds, tmp_path / "out" / "map.html")
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in path.parent.iterdir()] == ["map.html"]
    (tmp_path / "taken").mkdir()
    with pytest.raises(OutputError):
        write_map(leeds, tmp_path / "taken")
    assert leeds.outputs["map.html"] == path


def test_colours_are_stable_per_framework(leeds):
    colours = constituency_colours(leeds.framework.keys)
    assert len({colours[k] for k in leeds.framework.keys}) == len(leeds.framework.keys)
    assert colours["unclassified"] == "#9e9e9e"
    assert constituency_colours(leeds.framework.keys, ["extra"])["nhs_mental_health"] == colours["nhs_mental_health"]


def test_layout_is_deterministic_and_spread():
    G = nx.connected_caveman_graph(12, 40)  # 480 actors: laid out community by community
    G.add_nodes_from(["iso1", "iso2"])
    G.add_edge("p1", "p2")
    first = layout_positions(G, seed=3)
    assert first == layout_positions(G, seed=3)
    assert set(first) == set(G)
    points = {(round(x), round(y)) for x, y in first.values()}
    assert len(points) > 0.95 * len(G)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_script_json_cannot_break_out(text):
    encoded = script_json({"name": text})
    assert json.loads(encoded) == {"name": text}
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded


# --------------------------------------------------------------------------- layout in a second process


def test_large_maps_are_laid_out_in_a_second_process(monkeypatch, tmp_path):
    from netmap import workflows
    from netmap.render.layout import map_layout
    from netmap.resources import sites_dir
    from netmap.workspace import read_workspace

    nmap = read_workspace(sites_dir() / "synthetic-borough")
    small, none = workflows.run_map_for_drawing(nmap)
    assert none is None  # 300 actors: laid out when written
    monkeypatch.setattr(workflows, "PARALLEL_LAYOUT_MIN_ACTORS", 100)
    result, positions = workflows.run_map_for_drawing(nmap)
    assert positions is not None
    assert positions == map_layout(result)  # the same seeded layout as laying it out here
    together = write_map(result, tmp_path / "together.html", positions=positions)
    alone = write_map(small, tmp_path / "alone.html")
    assert together.read_bytes() == alone.read_bytes()


def test_a_failed_layout_process_falls_back_to_laying_out_here(monkeypatch):
    from netmap import workflows
    from netmap.render import layout
    from netmap.resources import sites_dir
    from netmap.workspace import read_workspace

    def broken(*args, **kwargs):
        raise MemoryError("no room")

    monkeypatch.setattr(workflows, "PARALLEL_LAYOUT_MIN_ACTORS", 100)
    monkeypatch.setattr(layout, "layout_drawn_graph", broken)  # the forked process inherits the patch
    result, positions = workflows.run_map_for_drawing(read_workspace(sites_dir() / "synthetic-borough"))
    assert positions is None
    assert result.analysis.actors.shape[0] == 300


def _slow_layout(*args, **kwargs):
    import time

    time.sleep(60)


def test_a_failed_analysis_stops_the_layout_process_at_once(monkeypatch):
    import time

    from netmap import workflows
    from netmap.render import layout
    from netmap.resources import sites_dir
    from netmap.workspace import read_workspace

    def failing_analysis(*args, **kwargs):
        raise RuntimeError("analysis failed")

    monkeypatch.setattr(workflows, "PARALLEL_LAYOUT_MIN_ACTORS", 100)
    monkeypatch.setattr(layout, "layout_drawn_graph", _slow_layout)
    monkeypatch.setattr(workflows, "run_map", failing_analysis)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="analysis failed"):
        workflows.run_map_for_drawing(read_workspace(sites_dir() / "synthetic-borough"))
    assert time.monotonic() - start < 30  # not the 60 s the layout would take


def test_a_stuck_layout_process_is_given_up_and_reaped(monkeypatch):
    import multiprocessing

    from netmap import workflows
    from netmap.render import layout
    from netmap.resources import sites_dir
    from netmap.workspace import read_workspace

    monkeypatch.setattr(workflows, "PARALLEL_LAYOUT_MIN_ACTORS", 100)
    monkeypatch.setattr(workflows, "LAYOUT_PROCESS_TIMEOUT", 0.5)
    monkeypatch.setattr(layout, "layout_drawn_graph", _slow_layout)
    result, positions = workflows.run_map_for_drawing(read_workspace(sites_dir() / "synthetic-borough"))
    assert positions is None and len(result.analysis.actors) == 300
    assert multiprocessing.active_children() == []  # killed and joined: no zombie left


# --------------------------------------------------------------------------- labels


def _boxes_overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


NAMES = st.text(alphabet=st.sampled_from("abcdefghij KLMNOPQRSTUVW&-'()"), min_size=1, max_size=90)


@given(st.lists(NAMES, min_size=2, max_size=14), st.integers(min_value=1, max_value=3))
@settings(max_examples=40, deadline=None)
def test_small_maps_place_every_label_clear_of_the_others(names, spaces):
    actors = [Actor(f"a{k}", name.strip() or "x", ("vcse_provider",)) for k, name in enumerate(names)]
    nmap = NetworkMap("m", "M", actors=actors, ties=[Tie("a0", "a1")],
                      spaces=[Space(f"s{k}", f"Space {k} " + "with a long name " * k) for k in range(spaces)],
                      memberships=[Membership(a.id, f"s{k % spaces}") for k, a in enumerate(actors)])
    data = map_data(run_map(nmap, "whole-system"))
    boxes = []
    for node in data["nodes"]:
        lines = node["label"].split("\n")
        assert len(lines) <= LABEL_LINES and all(len(line) <= LABEL_LINE_CHARS + 3 for line in lines)
        assert "".join(node["name"].split()).startswith("".join(node["label"].split()).rstrip("…"))  # cut, not changed
        left, top, right, bottom = label_box(node["label"], node.get("font", {}).get("size", 15), node["size"],
                                             box=node.get("shape") == "box")
        boxes.append((node["x"] + left, node["y"] + top, node["x"] + right, node["y"] + bottom))
    assert not any(_boxes_overlap(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1:])


def test_labels_wrap_whole_words_and_keep_short_names():
    assert wrap_label("Mind Manchester") == "Mind Manchester"
    assert wrap_label("Greater Manchester Health & Social Care Partnership") == \
        "Greater Manchester\nHealth & Social Care\nPartnership"
    long = wrap_label("Coventry and Warwickshire: experts by experience (service users) and carers together")
    assert long.count("\n") == 2 and long.endswith("…")
    assert long.replace("\n", " ").startswith("Coventry and Warwickshire:")
    assert text_width("WWW", 10) > text_width("iii", 10) * 2
