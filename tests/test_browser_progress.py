"""The progress report in a real browser: Debian's chromium, driven by Playwright, with no network.

Without chromium the tests skip, unless ``NETMAP_REQUIRE_SERVICES`` or ``CI``
is set, when they fail (as tests/test_browser.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import browser as helper
import pytest

from netmap.decisions.compare import compare
from netmap.render.progress_report import write_progress_report
from netmap.resources import sites_dir
from netmap.snapshots import at
from netmap.workflows import load_map, run_map

pytestmark = pytest.mark.browser


browser = pytest.fixture(scope="module", name="browser")(helper.browser_or_skip)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    nmap = load_map(sites_dir() / "synthetic-borough")
    c = compare(run_map(at(nmap, "2022")), run_map(at(nmap, "2024-06")), before_label="2022",
                after_label="2024-06", permutations=99)
    return c, write_progress_report(c, tmp_path_factory.mktemp("progress") / "progress.html")


def _keep(path: Path) -> None:
    extra = os.environ.get("NETMAP_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)


def _clean(log) -> None:
    assert log.blocked == [], f"requests left the file: {log.blocked}"
    assert log.errors == [], log.errors
    assert [m for m in log.console if m.startswith("error")] == []
    assert log.dialogs == []


CHART_BOXES = """() => [...document.querySelectorAll('svg.chart')].map(e => {
  const r = e.getBoundingClientRect(); return [e.id || e.querySelector('title').textContent, r.width, r.height]; })"""

#: Sections whose content runs past their own box (a chart cut off by its section) on the page as laid out.
CLIPPED = """() => [...document.querySelectorAll('section.part, figure')].filter(s => {
  const box = s.getBoundingClientRect();
  return [...s.querySelectorAll('svg.chart, table')].some(e => { const r = e.getBoundingClientRect();
    return r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.width < 20; });
}).map(s => s.id || s.tagName)"""


def test_progress_report_opens_offline_with_charts_and_maps(browser, report, tmp_path):
    c, path = report
    with helper.offline_page(browser, width=1100, height=1400) as (page, log):
        page.goto(path.as_uri())
        assert page.inner_text("h1") == f"Progress: {c.after.title}"
        assert page.inner_text("#headline").startswith("Between 2022 and 2024-06 the network")
        boxes = page.evaluate(CHART_BOXES)
        assert len(boxes) >= 5  # two maps, share, voice, gaps
        assert all(w > 100 and h > 50 for _, w, h in boxes), boxes
        maps = page.eval_on_selector_all("#chart-maps svg.change-map",
                                         "els => els.map(e => e.getBoundingClientRect().top)")
        assert len(maps) == 2 and abs(maps[0] - maps[1]) < 1  # side by side
        formed = page.eval_on_selector_all("svg.change-map line.tie-formed", "els => els.length")
        assert formed == len({frozenset((t.from_id, t.to_id)) for t in c.formed})
        assert page.evaluate(CLIPPED) == []
        shot = tmp_path / "progress-report.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        _keep(shot)
        _clean(log)


def test_progress_report_prints_on_a4_without_cut_sections(browser, report):
    _, path = report
    with helper.offline_page(browser, width=800, height=1100) as (page, log):
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        assert page.evaluate("() => getComputedStyle(document.querySelector('.toc')).display") == "none"
        assert page.evaluate("() => getComputedStyle(document.querySelector('section.part')).breakBefore") == "page"
        assert page.evaluate(CLIPPED) == []
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 6
        _clean(log)


def test_hostile_names_stay_text_in_the_progress_report(browser, tmp_path):
    """A pair of snapshots whose names try to run script: the page shows them as text and runs nothing."""
    import dataclasses

    from netmap.model import Actor, Tie

    before = helper.tricky_map()
    joined = Actor("x3", "<svg onload=alert(4)>=HYPERLINK(\"http://x\")", ("vcse_provider",), locality="north")
    after = dataclasses.replace(before, actors=[*before.actors, joined], ties=[*before.ties, Tie("x3", "x1")])
    c = compare(run_map(before), run_map(after), before_label="<b>then</b>", after_label="now", permutations=19)
    path = write_progress_report(c, tmp_path / "tricky.html")
    with helper.offline_page(browser, width=1100, height=1400) as (page, log):
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        text = page.inner_text("body")
        _clean(log)
    for name in ("<script>alert(3)</script> Tricky & <b>bold</b>", "<svg onload=alert(4)>", "<b>then</b>"):
        assert name in text  # the map's name, the joined partner's and a label, shown as text
    assert page_scripts_are_netmaps(path)


def page_scripts_are_netmaps(path: Path) -> bool:
    """No script element but the page's own (none carries a user's text)."""
    import re

    html = path.read_text(encoding="utf-8")
    return all("alert(" not in body for body in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S))
