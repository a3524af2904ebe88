"""The map and the report in a real browser: Debian's chromium, driven by Playwright, with no network.

Every request that is not to a ``file://`` URL is aborted and recorded; the
tests assert there were none. Without chromium the tests skip, unless
``NETMAP_REQUIRE_SERVICES`` or ``CI`` is set, when they fail. Screenshots go to
pytest's temporary folder and, when ``NETMAP_SCREENSHOT_DIR`` is set, there too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import browser as helper
import pytest

from netmap.model import CO_MEMBERSHIP
from netmap.render.map import write_map
from netmap.render.report import write_report
from netmap.resources import sites_dir
from netmap.workflows import run_map
from netmap.workspace import read_workspace

pytestmark = pytest.mark.browser






browser = pytest.fixture(scope="module", name="browser")(helper.browser_or_skip)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    folder = sites_dir() / "leeds"
    leeds = run_map(read_workspace(folder), folder=folder)
    tricky = run_map(helper.tricky_map())
    for name, result in (("leeds", leeds), ("tricky", tricky)):
        write_map(result, out / f"{name}-map.html")
        write_report(result, out / f"{name}-report.html", map_href=f"{name}-map.html")
    return SimpleNamespace(dir=out, leeds=leeds, tricky=tricky)


def screenshot(page, tmp_path: Path, name: str, *, full_page: bool = False) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000
    extra = os.environ.get("NETMAP_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)
    return path


def assert_clean(log) -> None:
    assert log.blocked == [], f"requests left the file: {log.blocked}"
    assert log.errors == [], log.errors
    assert log.dialogs == [], f"a dialog opened: {log.dialogs}"


COUNTS = """() => ({
  nodes: netmap.nodes.length, edges: netmap.edges.length,
  drawnNodes: netmap.network.body.nodeIndices.length, drawnEdges: netmap.network.body.edgeIndices.length,
  hidden: netmap.nodes.get({filter: n => n.hidden}).length,
})"""

INK = """() => {
  const canvas = document.querySelector('#map canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4 * 7) {
    if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) { ink++; }
  }
  return ink;
}"""


def drawing(result) -> tuple[int, int]:
    """How many nodes (actors and spaces) and lines (direct ties and memberships) the map must draw."""
    G = result.analysis.graph
    members = {(m.actor_id, m.space_id) for m in result.nmap.memberships if m.actor_id in G}
    direct = sum(1 for *_, d in G.edges(data=True) if set(d["types"]) - {CO_MEMBERSHIP})
    return len(G) + len({s for _, s in members}), direct + len(members)


@pytest.mark.parametrize("name", ["leeds", "tricky"])
def test_map_opens_offline_and_draws_every_actor_and_tie(browser, pages, tmp_path, name):
    result = getattr(pages, name)
    n_nodes, n_edges = drawing(result)
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, pages.dir / f"{name}-map.html")
        counts = page.evaluate(COUNTS)
        assert counts == {"nodes": n_nodes, "edges": n_edges, "drawnNodes": n_nodes, "drawnEdges": n_edges,
                          "hidden": 0}
        actors = page.evaluate("() => netmap.nodes.get({filter: n => !n.space}).map(n => n.id)")
        assert sorted(actors) == sorted(result.analysis.graph)
        assert page.evaluate(INK) > 200, "the canvas is blank"
        screenshot(page, tmp_path, f"map-{name}")
        assert_clean(log)


def test_legend_lists_each_constituency_present(browser, pages):
    result = pages.tricky
    G = result.analysis.graph
    fw = result.framework
    present = {G.nodes[v]["primary"] for v in G}
    expected = [c.label for c in fw.constituencies if c.key in present] + (["Unclassified"] if "" in present else [])
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, pages.dir / "tricky-map.html")
        shown = page.eval_on_selector_all("#legend-constituencies .name", "els => els.map(e => e.textContent)")
        assert shown == expected
        missing = page.inner_text("#absent")
        assert all(c.label in missing for c in fw.constituencies if c.key not in {x for v in G for x in
                                                                                  G.nodes[v]["constituencies"]})
        assert_clean(log)


def test_filter_hides_and_shows_nodes(browser, pages, tmp_path):
    G = pages.tricky.analysis.graph
    n, n_edges = drawing(pages.tricky)  # 8 actors and the forum
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, pages.dir / "tricky-map.html")
        box = '#legend-constituencies input[value="faith_group"]'
        page.uncheck(box)
        counts = page.evaluate(COUNTS)
        assert counts["hidden"] == 1 and counts["drawnNodes"] == n - 1
        assert page.evaluate("() => netmap.nodes.get('faith').hidden") is True
        assert counts["drawnEdges"] == n_edges - 2  # its tie and its seat on the forum go with it
        screenshot(page, tmp_path, "map-filtered")
        page.check(box)
        assert page.evaluate(COUNTS)["drawnNodes"] == n
        page.click("#show-none")
        assert page.evaluate(COUNTS)["drawnNodes"] == 0
        page.click("#show-all")
        assert page.evaluate(COUNTS)["drawnNodes"] == n
        page.select_option("#locality", "south")
        south = sum(1 for v in G if G.nodes[v]["locality"] in ("south", ""))
        assert page.evaluate(COUNTS)["drawnNodes"] == south + 1  # the forum still has members there
        page.select_option("#locality", "")
        assert page.evaluate(COUNTS)["drawnNodes"] == n
        page.uncheck('#legend-ties input[value="funds"]')
        assert page.evaluate(COUNTS)["drawnEdges"] == n_edges - 1
        page.uncheck('#legend-ties input[value="space"]')  # hiding the seats hides the forum itself
        assert page.evaluate(COUNTS)["drawnNodes"] == n - 1
        assert_clean(log)


def test_hostile_names_are_shown_as_text(browser, pages):
    xss = helper.XSS_NAMES
    nmap = pages.tricky.nmap
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, pages.dir / "tricky-map.html")
        assert page.inner_text("#title") == nmap.name
        assert page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.evaluate("() => document.scripts.length") == 3
        # hover over the first actor: vis-network shows its tooltip as text
        point = page.evaluate("""() => {
            const p = netmap.network.canvasToDOM(netmap.network.getPositions(['x1']).x1);
            const r = document.getElementById('map').getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""")
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        tip = page.evaluate("() => { const t = document.querySelector('div.vis-tooltip');"
                            " return {text: t.innerText, tags: [...t.children].map(c => c.tagName)}; }")
        assert set(tip["tags"]) <= {"BR"} and tip["text"].startswith(xss[0])  # text and line breaks only
        # find the second by name: the details panel shows it as text
        page.fill("#search", "</script>")
        page.press("#search", "Enter")
        assert page.inner_text("#details-text").splitlines()[0] == xss[1]
        labels = page.evaluate("() => netmap.nodes.get().map(n => n.label.split(/\\s+/).join(''))")  # wrapped
        assert "".join(xss[0].split()) in labels and "".join(xss[1].split()) in labels
        assert_clean(log)
    with helper.offline_page(browser) as (page, log):
        page.goto((pages.dir / "tricky-report.html").as_uri())
        assert page.inner_text("h1") == nmap.name
        assert xss[0] in page.inner_text("body") and xss[1] in page.inner_text("body")
        assert page.evaluate("() => document.querySelectorAll('img, script, iframe').length") == 0
        assert_clean(log)


def test_report_renders_charts_and_names_what_is_missing(browser, pages, tmp_path):
    result = pages.leeds
    held = {c for a in result.nmap.actors for c in a.constituencies}
    absent = [c.label for c in result.framework.constituencies if c.key not in held]
    assert absent
    with helper.offline_page(browser, width=1100, height=1400) as (page, log):
        page.goto((pages.dir / "leeds-report.html").as_uri())
        headline = page.inner_text("#headline")
        for label in absent:
            assert label in headline
        boxes = page.eval_on_selector_all(
            "svg.chart", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
        assert len(boxes) >= 5
        assert all(w > 100 and h > 50 for w, h in boxes), boxes
        assert page.get_attribute("a.maplink", "href") == "leeds-map.html"
        screenshot(page, tmp_path, "report-leeds", full_page=True)
        page.emulate_media(media="print")
        assert page.evaluate("() => getComputedStyle(document.querySelector('.toc')).display") == "none"
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
        assert_clean(log)


@pytest.mark.parametrize("name", ["manchester", "forum"])
@pytest.mark.parametrize("viewport", [(1400, 900), (1024, 640)])
def test_labels_neither_overlap_nor_leave_the_canvas(browser, tmp_path, name, viewport):
    if name == "manchester":
        folder = sites_dir() / "manchester"
        result = run_map(read_workspace(folder), folder=folder)
    else:
        result = run_map(helper.forum_map())
    path = write_map(result, tmp_path / f"{name}-map.html")
    with helper.offline_page(browser, width=viewport[0], height=viewport[1]) as (page, log):
        helper.open_map(page, path)
        measured = page.evaluate(helper.LABEL_BOXES)
        # every actor and the forum are named, each in full or cut with "…" only past three lines
        assert len(measured["boxes"]) == len(result.analysis.graph) + len(result.nmap.spaces)
        assert all(b["x2"] - b["x1"] > 20 and b["y2"] - b["y1"] > 8 for b in measured["boxes"])
        assert helper.label_problems(measured) == []
        # readable: the labels are drawn at 10 px or more at the first view
        assert page.evaluate("() => netmap.network.getScale() * netmap.data.options.nodes.font.size") >= 10
        screenshot(page, tmp_path, f"labels-{name}-{viewport[0]}")
        assert_clean(log)


def test_label_check_catches_overlap_and_overflow():
    boxes = [{"label": "a", "x1": 10, "y1": 10, "x2": 60, "y2": 30},
             {"label": "b", "x1": 50, "y1": 20, "x2": 90, "y2": 40},
             {"label": "c", "x1": 95, "y1": 0, "x2": 130, "y2": 12}]
    assert helper.label_problems({"boxes": boxes, "width": 120, "height": 100}) == [
        "'a' overlaps 'b'", f"'c' runs off the canvas: {boxes[2]}"]


def test_map_draws_the_planners_picks_apart_with_dashed_would_be_ties(browser, pages, tmp_path):
    from netmap.resources import data_dir
    from netmap.workflows import plan_invites

    plan = plan_invites(pages.leeds, data_dir() / "candidates" / "leeds.csv", k=3)
    path = write_map(pages.leeds, tmp_path / "leeds-invited-map.html", invite=plan)
    n_nodes, n_edges = drawing(pages.leeds)
    would_be = sum(len(p.candidate.works_with) for p in plan.picks)
    with helper.offline_page(browser) as (page, log):
        helper.open_map(page, path)
        counts = page.evaluate(COUNTS)
        assert counts["drawnNodes"] == n_nodes + 3 and counts["drawnEdges"] == n_edges + would_be
        picked = page.evaluate("() => netmap.nodes.get({filter: n => n.invited}).map(n => n.name)")
        assert picked == [p.candidate.actor.name for p in plan.picks]
        dashed = page.evaluate("""() => netmap.edges.get({filter: e => e.t === 'invited'})
            .map(e => netmap.network.body.edges[e.id].options.dashes)""")
        assert len(dashed) == would_be and all(dashed)
        # the picks stand right of every partner, also after the page has drawn
        xs = page.evaluate("""() => { const p = netmap.network.getPositions();
            const inv = netmap.nodes.get({filter: n => n.invited}).map(n => p[n.id].x);
            const rest = netmap.nodes.get({filter: n => !n.invited}).map(n => p[n.id].x);
            return [Math.min(...inv), Math.max(...rest)]; }""")
        assert xs[0] > xs[1]
        assert page.inner_text("#legend-invited").splitlines() == [f"{p.rank}. {p.candidate.actor.name}"
                                                                   for p in plan.picks]
        assert "Would-be tie of an invited candidate" in page.inner_text("#legend-ties")
        assert page.inner_text("#status") == ""  # partners only are counted: nothing is filtered out
        page.click("#legend-invited li >> nth=1")
        assert page.inner_text("#details-text").startswith(plan.picks[1].candidate.actor.name)
        assert page.evaluate(INK) > 200
        screenshot(page, tmp_path, "map-leeds-invited")
        assert_clean(log)
