"""The sites page in a real browser: Debian's chromium, driven by Playwright, with no network.

Like tests/test_browser.py: without chromium the test skips, unless
``NETMAP_REQUIRE_SERVICES`` or ``CI`` is set, when it fails. The screenshot
goes to pytest's temporary folder and, when ``NETMAP_SCREENSHOT_DIR`` is set,
there too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import browser as helper
import pytest

from netmap.decisions.sites import compare_sites
from netmap.render.sites import write_sites
from netmap.resources import sites_dir
from netmap.workflows import run_map
from netmap.workspace import read_workspace

pytestmark = pytest.mark.browser


browser = pytest.fixture(scope="module", name="browser")(helper.browser_or_skip)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    results = []
    for site in ("birmingham", "leeds", "manchester"):
        folder = sites_dir() / site
        results.append(run_map(read_workspace(folder), folder=folder))
    comparison = compare_sites(results)
    path = write_sites(comparison, tmp_path_factory.mktemp("sites") / "sites.html")
    return path, comparison


VISIBLE = """sel => [...document.querySelectorAll(sel)].map(e => {
  const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return [r.width, r.height, s.display !== 'none' && s.visibility !== 'hidden'];
})"""


def test_sites_page_opens_offline_with_table_and_charts(browser, page_path, tmp_path):
    path, comparison = page_path
    with helper.offline_page(browser, width=1100, height=1400) as (page, log):
        page.goto(path.resolve().as_uri())
        heads = page.eval_on_selector_all("#sites-table thead th", "els => els.map(e => e.innerText.trim())")
        assert heads == ["MEASURE", "BIRMINGHAM", "LEEDS", "MANCHESTER"]  # headings shown in capitals
        rows = page.eval_on_selector_all("#sites-table tbody tr:not(.section)", "els => els.length")
        assert rows == len(comparison.rows)
        actors = page.inner_text("#sites-table tbody tr:nth-child(2)")
        assert actors.split("\t") == ["Actors", "5", "7", "8"]
        charts = page.evaluate(VISIBLE, "svg.chart")
        assert len(charts) == 2
        assert all(w > 300 and h > 100 and shown for w, h, shown in charts), charts
        bars = page.eval_on_selector_all("svg.chart rect[fill='#0072b2']", "els => els.length")
        assert bars > 3  # Birmingham's bars are drawn
        path_png = tmp_path / "sites-creative-spaces.png"
        page.screenshot(path=str(path_png), full_page=True)
        assert path_png.stat().st_size > 10_000
        extra = os.environ.get("NETMAP_SCREENSHOT_DIR")
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copy(path_png, Path(extra) / path_png.name)
        page.emulate_media(media="print")
        table = page.evaluate(VISIBLE, "#sites-table")
        assert table[0][2] and table[0][0] > 300
        overflow = page.evaluate("() => getComputedStyle(document.querySelector('.scroll')).overflowX")
        assert overflow == "visible"  # a printed table is never cut off behind a scroll bar
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
        assert log.blocked == [], f"requests left the file: {log.blocked}"
        assert log.errors == [] and log.dialogs == []
        assert [m for m in log.console if m.startswith(("error", "warning"))] == []


def test_hostile_names_stay_text_on_the_sites_page(browser, tmp_path):
    """Two sites whose names try to run script: the page shows them as text and runs nothing."""
    import dataclasses

    tricky = helper.tricky_map()
    other = dataclasses.replace(tricky, key="other", name="=cmd|' /C calc'!A0 <i>Other</i>")
    c = compare_sites([run_map(tricky), run_map(other)], labels=["<b>one</b>", "two"])
    path = write_sites(c, tmp_path / "sites.html")
    with helper.offline_page(browser, width=1100, height=1400) as (page, log):
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        text = page.inner_text("body")
        scripts = "".join(page.evaluate("() => [...document.scripts].map(s => s.textContent)"))
        assert log.blocked == [] and log.errors == [] and log.dialogs == []
    assert "<b>one</b>" in text
    assert "alert(" not in scripts
