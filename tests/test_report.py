"""The HTML report and its charts (no browser here), and the demo's report, map and index."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.model import Actor, Membership, NetworkMap, Space, Tie
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
    # only the list of sources links out, with plain links to the documents cited, which load nothing
    cited = re.search(r'<ol class="source-list">(.*?)</ol>', page, re.S)
    assert cited and 'href="https://synergicollaborativecentre.co.uk/' in cited.group(1)
    assert not re.search(r"\bsrc\s*=|<link\b|<script\b|url\(|@import", cited.group(1))
    outside = page.replace(cited.group(0), "")
    assert not EXTERNAL.search(outside), EXTERNAL.search(outside)
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
    assert not EXTERNAL.search(re.sub(r'<ol class="source-list">.*?</ol>', "", page, flags=re.S))


def test_status_of_each_constituency(tricky):
    rows = {r["key"]: r for r in constituency_status(tricky)}
    assert rows["primary_care"]["status"] == "absent"
    assert rows["service_user_led"]["status"] == "under"  # 1 actor, the framework expects 2
    assert rows["nhs_mental_health"]["count"] == 1


def test_report_without_profile_or_ties():
    nmap = NetworkMap("one", "One actor", actors=[Actor("a", "Alone", ("commissioner",))])
    page = render_report(run_map(nmap, "whole-system"))
    assert "Community coverage not computed: the map has no locality with a population profile." in page
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


# --------------------------------------------------------------------------- one count of ties in every output

TWELVE_TIES = Path(__file__).parent / "corpus" / "twelve-ties"

#: tests/corpus/twelve-ties by hand: 12 rows of ties.csv, one repeating the trust-ICB partnership, make 11
#: direct ties (pairs). The forum (trust, ICB, council, carers, voices) seats 10 pairs and the board (voices,
#: mosque, arts) 3; trust-ICB, ICB-council and mosque-arts are also tied directly, so 13 - 3 = 10 pairs are
#: tied only through a shared space, and 11 + 10 = 21 pairs are tied in all.
TWELVE_COUNTS = {"direct_ties": 11, "shared_space_ties": 10, "tied_pairs": 21}
TWELVE_WORDS = "11 direct ties, 10 ties through shared spaces, 21 tied pairs in all"


def test_every_output_states_the_same_three_counts_of_ties(tmp_path):
    from click.testing import CliRunner

    from netmap.cli import main

    def run(*args: object) -> str:
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert (TWELVE_TIES / "ties.csv").read_text().count("\n") == 13  # the header and 12 rows
    text = run("analyse", TWELVE_TIES)
    assert f"8 actors; {TWELVE_WORDS}\n" in text
    summary = json.loads(run("analyse", TWELVE_TIES, "--json"))["summary"]
    assert {k: summary[k] for k in TWELVE_COUNTS} == TWELVE_COUNTS and summary["ties"] == 21
    run("report", TWELVE_TIES, "--out", tmp_path / "report.html")
    cards = re.findall(r'<div class="n">([^<]*)</div><div class="l">([^<]*)</div>',
                       (tmp_path / "report.html").read_text())
    assert cards[1:4] == [("11", "direct ties"), ("10", "ties through shared spaces"), ("21", "tied pairs in all")]
    run("map", TWELVE_TIES, "--out", tmp_path / "map.html")
    page = (tmp_path / "map.html").read_text()
    assert f"8 actors · {TWELVE_WORDS} · 2 forums, boards or partnerships" in page
    data = json.loads(re.search(r'id="netmap-data">(.*?)</script>', page, re.S).group(1))
    assert {k: data["meta"][k] for k in TWELVE_COUNTS} == TWELVE_COUNTS
    assert sum(t["count"] for t in data["legend"]["ties"] if t["type"] != "space") == 11  # one line per direct tie
    run("export", TWELVE_TIES, "--format", "csv", "--out", tmp_path / "tables")
    rows = dict(line.split(",", 1) for line in (tmp_path / "tables" / "summary.csv").read_text().splitlines())
    assert {k: int(rows[k]) for k in TWELVE_COUNTS} == TWELVE_COUNTS
    run("export", TWELVE_TIES, "--format", "json", "--out", tmp_path / "all.json")
    exported = json.loads((tmp_path / "all.json").read_text())["summary"]
    assert {k: exported[k] for k in TWELVE_COUNTS} == TWELVE_COUNTS


def test_one_of_each_count_is_singular():
    nmap = NetworkMap("one", "One", actors=[Actor("a", "A"), Actor("b", "B"), Actor("c", "C")],
                      ties=[Tie("a", "b")], spaces=[Space("s", "Forum")],
                      memberships=[Membership("b", "s"), Membership("c", "s")])
    page = render_report(run_map(nmap))
    cards = re.findall(r'<div class="n">([^<]*)</div><div class="l">([^<]*)</div>', page)
    assert cards[1:4] == [("1", "direct tie"), ("1", "tie through a shared space"), ("2", "tied pairs in all")]


def _axis_labels(svg: str, anchor: str) -> list[str]:
    """The tick labels of a chart's axis: the muted texts with this text-anchor."""
    return re.findall(rf'text-anchor="{anchor}" fill="#5b6573">([^<]*)</text>', svg)


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=300))
@settings(max_examples=60, deadline=None)
def test_count_charts_have_whole_number_ticks_only(degrees):
    svg = charts.histogram(degrees, xlabel="Ties", ylabel="Actors", title="t")
    ticks = [int(t) for t in _axis_labels(svg, "end")]  # raises on "0.5"
    assert ticks[0] == 0 and ticks[-1] >= max(Counter(degrees).values()) and len(ticks) <= 6
    bars = [float(t) for t in re.findall(r'<rect [^>]*height="([\d.]+)" fill="#2f6db5"', svg)]
    assert len(bars) <= 30 and all(h > 0 for h in bars)
    assert all(label.isdigit() for label in _axis_labels(svg, "middle")[:-1])  # the x ticks, then the x label
    rows = [{"label": "x", "count": max(degrees) % 7, "min_presence": 2, "status": "present"}]
    assert all(t.isdigit() for t in _axis_labels(charts.coverage_bars(rows), "middle"))


def test_histogram_of_two_actors_counts_whole_actors():
    svg = charts.histogram([1, 1, 3], xlabel="Ties", ylabel="Actors", title="t")
    assert _axis_labels(svg, "end") == ["0", "1", "2"]  # not 0, 0.5, 1, 1.5, 2
    assert "<title>1: 2 actors</title>" in svg and "<title>3: 1 actor</title>" in svg
    wide = charts.histogram(list(range(0, 100)), xlabel="Ties", ylabel="Actors", title="t")
    assert "<title>0–4: 5 actors</title>" in wide and "<title>95–99: 5 actors</title>" in wide
