"""The HTML report and its charts (no browser here), and the demo's report, map and index."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from netmap.model import Actor, NetworkMap
from netmap.render import charts
from netmap.render.report import constituency_status, render_index, render_report, write_report
from netmap.workflows import (
    default_output,
    run_map,
    write_demo_index,
    write_map_file,
    write_report_file,
    write_site_outputs,
)

EXTERNAL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)"""
                      r"""|(?:@import)|(?:<link\b)|(?:<script\b)""", re.IGNORECASE)




def headline(page: str) -> str:
    match = re.search(r'<section class="headline" id="headline">(.*?)</section>', page, re.S)
    assert match
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_report_is_self_contained_and_printable(leeds):
    page = render_report(leeds, map_href="map.html")
    assert page.startswith("<!doctype html>")
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "@media print" in page and "@page" in page
    assert 'href="map.html"' in page
    assert page.count("<svg") >= 5  # coverage, communities, degree, mixing, the network


def test_headline_names_every_absent_constituency(leeds):
    text = headline(render_report(leeds))
    held = {c for a in leeds.nmap.actors for c in a.constituencies}
    absent = [c.label for c in leeds.framework.constituencies if c.key not in held]
    assert absent
    for label in absent:
        assert label.replace("&", "&amp;") in text
    present = len(leeds.framework.constituencies) - len(absent)
    assert f"{present} of the {len(leeds.framework.constituencies)} constituencies" in text
    assert f"{len(leeds.nmap.actors)} organisations" in text


def test_findings_are_all_listed_by_severity(leeds):
    page = render_report(leeds)
    for finding in leeds.findings:
        assert finding.message.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in page
    order = [page.index(f'class="pill {s}"') for s in ("high", "medium", "low")
             if any(f.severity == s for f in leeds.findings)]
    assert order == sorted(order)


def test_method_names_framework_and_sources(leeds):
    page = render_report(leeds)
    assert leeds.framework.name in page
    assert "Census 2021" in page
    sources = {a.source for a in leeds.nmap.actors if a.source}
    assert all(s in page for s in sources)


def test_hostile_names_are_escaped(tricky):
    page = render_report(tricky, map_href='x" onmouseover="alert(4)')
    assert "<img src=x" not in page and "</script><script>" not in page and "<script>alert(3)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="x&quot; onmouseover=&quot;alert(4)"' in page
    assert not EXTERNAL.search(page)


def test_status_of_each_constituency(tricky):
    rows = {r["key"]: r for r in constituency_status(tricky)}
    assert rows["primary_care"]["status"] == "absent"
    assert rows["service_user_led"]["status"] == "under"  # 1 actor, the framework expects 2
    assert rows["nhs_mental_health"]["count"] == 1


def test_report_without_profile_or_ties():
    nmap = NetworkMap("one", "One actor", actors=[Actor("a", "Alone", ("commissioner",))])
    page = render_report(run_map(nmap, "whole-system"))
    assert "No population profile is set" in page
    assert "There are no ties" in page
    assert "No single actor holds the system together" in page


def test_charts_escape_and_size():
    svg = charts.coverage_bars([{"label": "<b>x</b>", "count": 0, "min_presence": 2, "status": "absent"}])
    assert "<b>" not in svg and "&lt;b&gt;" in svg and 'viewBox="0 0 ' in svg
    assert "No actors" in charts.histogram([], xlabel="x", ylabel="y", title="t")
    observed = pd.DataFrame([[1, 2], [2, 0]], index=["a", "b"], columns=["a", "b"])
    expected = pd.DataFrame([[0.5, 2.5], [2.5, 0.5]], index=["a", "b"], columns=["a", "b"])
    heat = charts.heatmap(observed, expected, {"a": "A & A", "b": "B"})
    assert "A &amp; A" in heat and heat.count("<rect") >= 4
    bars = charts.community_bars([{"name": "Black", "population_share": 5.6, "org_share": 0, "voice": 0}])
    assert "5.6%" in bars


def test_site_outputs_and_index(tmp_path, leeds):
    paths = write_site_outputs(leeds, tmp_path / "leeds")
    assert paths["map"].name == "map.html" and paths["report"].name == "report.html"
    assert 'href="map.html"' in paths["report"].read_text(encoding="utf-8")
    index = write_demo_index([leeds], tmp_path)
    text = index.read_text(encoding="utf-8")
    assert 'href="leeds/report.html"' in text and 'href="leeds/map.html"' in text
    assert leeds.title in text
    assert "Interactive map" in render_index([(leeds, "r.html", "m.html")])


def test_cli_helpers_default_names(tmp_path, leeds, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_output(leeds, "map") == Path("leeds-map.html")
    report_alone = write_report_file(leeds)
    assert 'class="maplink"' not in report_alone.read_text(encoding="utf-8")
    write_map_file(leeds, size_by="degree")
    report = write_report_file(leeds)
    assert report == Path("leeds-report.html") and 'href="leeds-map.html"' in report.read_text(encoding="utf-8")
    assert write_report(leeds, tmp_path / "r.html", map_href=None).is_file()
