"""Regenerate the committed example screenshots in ``visualisations/``.

    .venv/bin/python visualisations/make_screenshots.py [--out visualisations]

Writes, with Debian's chromium (never a downloaded browser) and no network:

* ``map-synthetic-borough.png``: the interactive map of the synthetic sample
  site (made-up organisations; the page says so);
* ``report-leeds.png``: the top of the HTML report of the Leeds sample site
  (headline and the start of the findings);
* ``report-leeds-charts.png``: the report's constituency and community charts;
* ``map-timeline.png``: the synthetic borough's map with its timeline at a middle date;
* ``progress-report.png``: the top of the progress report of the synthetic borough between two dates;
* ``sites-creative-spaces.png``: the Creative Spaces sites side by side (notes, charts, the table).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _browser_helper():
    spec = importlib.util.spec_from_file_location("netmap_tests_browser", ROOT / "tests" / "browser.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "visualisations", help="folder for the PNG files")
    args = parser.parse_args(argv)

    from netmap.render.map import write_map
    from netmap.render.report import write_report
    from netmap.resources import sites_dir
    from netmap.workflows import run_map
    from netmap.workspace import read_workspace

    helper = _browser_helper()
    reason = helper.missing_reason()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {}
        for site in ("synthetic-borough", "leeds"):
            folder = sites_dir() / site
            results[site] = run_map(read_workspace(folder), folder=folder)
        write_map(results["synthetic-borough"], work / "map.html")
        write_report(results["leeds"], work / "report.html", map_href="map.html")
        with helper.launch() as browser:
            with helper.offline_page(browser, width=1440, height=900) as (page, log):
                helper.open_map(page, work / "map.html")
                page.wait_for_timeout(300)
                page.screenshot(path=str(args.out / "map-synthetic-borough.png"))
                # the timeline at a middle date: ties that began since the date before marked green
                page.evaluate("() => netmap.timeline.set(Math.floor(netmap.timeline.stops.length / 2))")
                page.wait_for_timeout(300)
                page.screenshot(path=str(args.out / "map-timeline.png"))
                assert not log.blocked and not log.errors, (log.blocked, log.errors)
            with helper.offline_page(browser, width=1000, height=1300) as (page, log):
                page.goto((work / "report.html").as_uri())
                page.screenshot(path=str(args.out / "report-leeds.png"))
                top = page.evaluate("() => document.getElementById('coverage').getBoundingClientRect().top"
                                    " + window.scrollY - 16")
                page.set_viewport_size({"width": 1000, "height": 1250})
                page.evaluate(f"window.scrollTo(0, {top})")
                page.screenshot(path=str(args.out / "report-leeds-charts.png"))
                assert not log.blocked and not log.errors, (log.blocked, log.errors)
    for name in ("map-synthetic-borough.png", "report-leeds.png", "report-leeds-charts.png"):
        print(args.out / name)
    from netmap.decisions.sites import compare_sites  # sites-creative-spaces.png: the three sites side by side
    from netmap.render.sites import write_sites

    with tempfile.TemporaryDirectory() as tmp:
        sites = [run_map(read_workspace(sites_dir() / s), folder=sites_dir() / s)
                 for s in ("birmingham", "leeds", "manchester")]
        page_path = write_sites(compare_sites(sites), Path(tmp) / "sites.html")
        with helper.launch() as browser, helper.offline_page(browser, width=1100, height=2000) as (page, log):
            page.goto(page_path.as_uri())
            page.screenshot(path=str(args.out / "sites-creative-spaces.png"))
            assert not log.blocked and not log.errors, (log.blocked, log.errors)
    print(args.out / "sites-creative-spaces.png")
    from netmap.decisions.compare import compare  # progress-report.png: two dates of the synthetic borough
    from netmap.render.progress_report import write_progress_report
    from netmap.snapshots import at

    with tempfile.TemporaryDirectory() as tmp:
        borough = read_workspace(sites_dir() / "synthetic-borough")
        c = compare(run_map(at(borough, "2022")), run_map(at(borough, "2024-06")), before_label="2022",
                    after_label="2024-06")
        page_path = write_progress_report(c, Path(tmp) / "progress.html")
        with helper.launch() as browser, helper.offline_page(browser, width=1100, height=1400) as (page, log):
            page.goto(page_path.as_uri())
            page.screenshot(path=str(args.out / "progress-report.png"))
            assert not log.blocked and not log.errors, (log.blocked, log.errors)
    print(args.out / "progress-report.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
