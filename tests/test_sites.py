"""Several sites side by side: figures against hand counts, normalisation, frameworks, escaping, the page.

The Creative Spaces sites (data/sites/birmingham, leeds, manchester) are forums
whose partners share one space and have no direct ties, so each is a complete
graph: every figure below is counted by hand from their CSV files.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from netmap.analysis import analyse
from netmap.cells import TRIGGERS
from netmap.decisions.sites import SiteComparison, SitesNotComparableError, compare_sites
from netmap.errors import NetmapError
from netmap.gaps import find_gaps
from netmap.model import Actor, Constituency, Framework, NetworkMap, Tie
from netmap.reference import load_framework
from netmap.render.sites import render_sites, sites_text, write_sites
from netmap.resources import sites_dir
from netmap.result import Result
from netmap.workflows import run_map
from netmap.workspace import read_workspace

CREATIVE = ("birmingham", "leeds", "manchester")


@pytest.fixture(scope="module")
def creative():
    results = []
    for site in CREATIVE:
        folder = sites_dir() / site
        results.append(run_map(read_workspace(folder), folder=folder))
    return compare_sites(results)


def result_of(nmap: NetworkMap, framework: Framework) -> Result:
    analysis = analyse(nmap, framework)
    return Result(nmap, framework, analysis, find_gaps(nmap, framework, analysis))


def small_map() -> NetworkMap:
    """4 actors: a-b (both VCSE providers), b-c (c a commissioner), d (faith group) alone."""
    actors = [Actor("a", "A", ("vcse_provider",)), Actor("b", "B", ("vcse_provider",)),
              Actor("c", "C", ("commissioner",)), Actor("d", "D", ("faith_group",))]
    return NetworkMap("small", "Small", actors=actors, ties=[Tie("a", "b"), Tie("b", "c")])


def large_map() -> NetworkMap:
    """8 actors in the same proportions (4 VCSE, 2 commissioners, 2 faith), a star around commissioner c1."""
    keys = ["vcse_provider"] * 4 + ["commissioner"] * 2 + ["faith_group"] * 2
    ids = ["v1", "v2", "v3", "v4", "c1", "c2", "f1", "f2"]
    actors = [Actor(i, i.upper(), (k,)) for i, k in zip(ids, keys, strict=True)]
    return NetworkMap("large", "Large", actors=actors, ties=[Tie("c1", i) for i in ids if i != "c1"])


@pytest.fixture(scope="module")
def tiny():
    fw = load_framework("whole-system")
    return compare_sites([result_of(small_map(), fw), result_of(large_map(), fw)])


# --------------------------------------------------------------------------- Creative Spaces, by hand


def test_creative_spaces_network_figures(creative):
    assert creative.labels == ["birmingham", "leeds", "manchester"]
    assert creative.value("actors") == [5, 7, 8]
    assert creative.value("direct_ties") == [0, 0, 0]  # ties.csv is empty at every site
    assert creative.value("shared_space_ties") == [10, 21, 28]  # every pair of forum members: n(n-1)/2
    assert creative.value("density") == [1.0, 1.0, 1.0]
    assert creative.value("components") == [1, 1, 1]
    assert creative.value("degree_centralisation") == [0.0, 0.0, 0.0]
    assert creative.value("average_clustering") == [1.0, 1.0, 1.0]
    assert creative.value("mean_degree") == [4.0, 6.0, 7.0]
    # E-I over primary constituencies: Birmingham's two academics make the only internal pair of 10;
    # Leeds's two local authorities 1 of 21; Manchester's two arts and two VCSE providers 2 of 28
    assert creative.value("ei_index") == pytest.approx([8 / 10, 19 / 21, 24 / 28])
    # Blau: 1 - sum of squared primary shares: Birmingham 2,1,1,1 of 5; Leeds 2,1,1,1,1,1 of 7;
    # Manchester 2,2,1,1,1,1 of 8 (LMCP unclassified counts as a group)
    assert creative.value("blau") == pytest.approx([1 - 7 / 25, 1 - 9 / 49, 1 - 12 / 64])


def test_creative_spaces_constituency_shares_and_voice(creative):
    # Birmingham: Catalyst 4 Change and Red Earth Collective hold community_group (2 of 5), only Catalyst as
    # its primary; in a complete graph every actor holds the same PageRank, so voice = primary count / n
    assert creative.value("share:community_group") == pytest.approx([40.0, 100 / 7, 37.5])
    assert creative.value("voice:community_group") == pytest.approx([20.0, 100 / 7, 12.5])
    assert creative.value("share:arts_culture") == pytest.approx([20.0, 0.0, 37.5])  # museum, Whitworth, BMHC
    assert creative.value("voice:arts_culture") == pytest.approx([20.0, 0.0, 25.0])
    assert creative.value("share:local_authority") == pytest.approx([20.0, 200 / 7, 12.5])
    assert creative.value("share:unclassified") == pytest.approx([0.0, 0.0, 12.5])  # LMCP
    for site in range(3):  # voice adds up to 100 at every site, whatever its size
        assert sum(r.values[site] for r in creative.rows if r.section == "voice") == pytest.approx(100.0)
    # the main share is what voice is set beside: in these complete forums the two are equal, row by row,
    # while the share of every holder differs (Red Earth Collective holds community_group, not as its main one)
    assert creative.value("primary_share:community_group") == pytest.approx([20.0, 100 / 7, 12.5])
    assert creative.value("primary_share:arts_culture") == pytest.approx([20.0, 0.0, 25.0])
    for share, main, voice in zip([r for r in creative.rows if r.section == "share"],
                                  [r for r in creative.rows if r.section == "primary"],
                                  [r for r in creative.rows if r.section == "voice"], strict=True):
        assert share.label == main.label == voice.label and main.unit == "percent"
        assert main.values == pytest.approx(voice.values)
    for site in range(3):  # each actor counts once in the main share: it adds up to 100 too
        assert sum(r.values[site] for r in creative.rows if r.section == "primary") == pytest.approx(100.0)
    with pytest.raises(KeyError):  # held at no site: a row-less constituency, named in a note instead
        creative.row("share:service_user_led")
    assert any("No site has an actor of:" in n and "Service-user-led group" in n for n in creative.notes)


def test_creative_spaces_community_coverage(creative):
    # Birmingham: Catalyst 4 Change and Red Earth serve African and Caribbean communities: 2 of 5 actors
    # against 11.0% of the population; Manchester: CAHN and ACMHS, 2 of 8 against 11.9%; Leeds: none
    assert creative.value("population:black") == [11.0, 5.6, 11.9]
    assert creative.value("organisations:black") == pytest.approx([40.0, 0.0, 25.0])
    assert creative.value("coverage:black") == pytest.approx([40 / 11.0, 0.0, 25 / 11.9])
    assert creative.value("coverage:asian") == [0.0, 0.0, 0.0]
    # Leeds's profile gives Mixed and Other together, so every site is compared on their sum
    assert creative.value("population:mixed+other") == pytest.approx([4.8 + 4.5, 5.7, 5.3 + 5.1])
    with pytest.raises(KeyError):
        creative.row("population:mixed")
    with pytest.raises(KeyError):  # White left out, as the gap analysis leaves it out
        creative.row("population:white")
    assert any("Mixed + Other" in n and "leeds" in n for n in creative.notes)


def test_creative_spaces_findings_by_kind_and_severity(creative):
    # community coverage: Birmingham Asian 31% (high), Mixed 4.8% and Other 4.5% (medium), no organisation;
    # Leeds Asian 9.7%, Black 5.6%, Mixed+Other 5.7% (high); Manchester Asian 20.9%, Mixed 5.3%, Other 5.1% (high)
    assert creative.value("findings:community_coverage:high") == [1, 3, 3]
    assert creative.value("findings:community_coverage:medium") == [2, 0, 0]
    totals = creative.value("findings")
    by_severity = [sum(x) for x in zip(*(creative.value(f"findings:{s}") for s in ("high", "medium", "low")),
                                       strict=True)]
    assert by_severity == totals


def test_creative_spaces_are_all_flagged_as_small(creative):
    note = next(n for n in creative.notes if "fewer than 10 actors" in n)
    assert note == ("birmingham (5 actors), leeds (7 actors) and manchester (8 actors) have fewer than 10 actors: "
                    "one actor more or less moves a share by 12 to 20 points; read their percentages, densities "
                    "and ratios as rough.")
    assert [s.small for s in creative.sites] == [True, True, True]


# --------------------------------------------------------------------------- two sizes, one proportion


def test_shares_and_densities_normalise_across_sizes(tiny):
    assert tiny.value("actors") == [4, 8]
    # the same proportions of constituencies give the same shares at 4 and at 8 actors
    assert tiny.value("share:vcse_provider") == [50.0, 50.0]
    assert tiny.value("share:commissioner") == [25.0, 25.0]
    assert tiny.value("share:faith_group") == [25.0, 25.0]
    assert tiny.value("blau") == pytest.approx([0.625, 0.625])
    # density: 2 of 6 possible pairs; 7 of 28
    assert tiny.value("density") == pytest.approx([2 / 6, 7 / 28])
    assert tiny.value("mean_degree") == pytest.approx([1.0, 1.75])
    assert tiny.value("components") == [2, 1]
    assert tiny.value("largest_component_share") == pytest.approx([75.0, 100.0])
    # Freeman: sum(max - degree) / ((n-1)(n-2)): (1+0+1+2)/6 for the path and an isolate; 1 for a star
    assert tiny.value("degree_centralisation") == pytest.approx([4 / 6, 1.0])
    # E-I: small: one tie inside VCSE, one out; large: c1-c2 inside, 6 out
    assert tiny.value("ei_index") == pytest.approx([0.0, 5 / 7])
    assert tiny.value("average_clustering") == [0.0, 0.0]


def test_maps_without_a_population_profile_say_so(tiny):
    assert not any(r.section == "community" for r in tiny.rows)
    assert "No site has a population profile, so community coverage is not compared." in tiny.notes


def test_json_document(tiny):
    doc = json.loads(json.dumps(tiny.to_dict()))
    assert doc["schema_version"] == 1
    assert [s["label"] for s in doc["sites"]] == ["small", "large"]
    density = next(r for r in doc["rows"] if r["key"] == "density")
    assert density == {"key": "density", "section": "network", "label": "Density", "unit": "ratio",
                       "values": {"small": 0.333333, "large": 0.25}}
    assert set(doc["method"]) == {"network", "share", "primary", "voice", "community", "findings"}
    assert doc["method"]["voice"].startswith(
        "The share of the site's total PageRank held by actors whose main (primary) constituency it is, to compare "
        "with the share of actors whose main constituency it is (the main share), not with the share holding it "
        "anywhere")
    assert [r["key"] for r in doc["rows"] if r["section"] == "primary"] == [
        f"primary_share:{k}" for k in ("commissioner", "vcse_provider", "faith_group")]


# --------------------------------------------------------------------------- frameworks and labels


def test_different_frameworks_compare_on_shared_constituencies():
    whole = load_framework("whole-system")
    own = Framework("own", "Own", (Constituency("vcse_provider", "VCSE provider", "vcse"),
                                    Constituency("commissioner", "Commissioner", "statutory"),
                                    Constituency("artists", "Artists", "community")))
    c = compare_sites([result_of(small_map(), whole), result_of(large_map(), own)])
    assert c.value("share:vcse_provider") == [50.0, 50.0]
    with pytest.raises(KeyError):  # faith_group is not in the second site's framework
        c.row("share:faith_group")
    assert c.not_shared["large"] == ["artists"]
    assert "faith_group" in c.not_shared["small"]
    assert any(n.startswith("The sites use different frameworks (small: 'whole-system', large: 'own')")
               for n in c.notes)
    assert "Not shared, so not compared: artists (large's framework)." in c.notes


def test_frameworks_sharing_nothing_are_refused():
    a = Framework("a", "A", (Constituency("vcse_provider", "VCSE", "vcse"),))
    b = Framework("b", "B", (Constituency("artists", "Artists", "community"),))
    with pytest.raises(SitesNotComparableError) as caught:
        compare_sites([result_of(small_map(), a), result_of(large_map(), b)])
    assert isinstance(caught.value, NetmapError)
    assert str(caught.value) == ("the sites' frameworks share no constituency: 'a' (small), 'b' (large); "
                                 "analyse them against one framework")


def test_labels_must_be_one_per_site_and_distinct():
    fw = load_framework("whole-system")
    results = [result_of(small_map(), fw), result_of(large_map(), fw)]
    with pytest.raises(SitesNotComparableError, match=r"^comparing sites needs at least two sites \(got 1\)$"):
        compare_sites(results[:1])
    with pytest.raises(SitesNotComparableError, match=r"^1 labels given for 2 sites$"):
        compare_sites(results, labels=["x"])
    with pytest.raises(SitesNotComparableError, match=r"^site label 'x' is given twice"):
        compare_sites(results, labels=["x", "x"])
    same = compare_sites([results[0], results[0]])
    assert same.labels == ["small (1)", "small (2)"]


# --------------------------------------------------------------------------- the text and the page


def test_text_fits_100_columns(creative):
    text = sites_text(creative)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert re.search(r"^  Black: coverage ratio +3\.64 +0\.00 +2\.10$", text, re.M)
    assert re.search(r"^  Actors +5 +7 +8$", text, re.M)


def test_text_puts_many_sites_in_blocks():
    fw = load_framework("whole-system")
    result = result_of(small_map(), fw)
    c = compare_sites([result] * 9, labels=[f"site-{k}" for k in range(9)])
    text = sites_text(c)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert all(f"site-{k}" in text for k in range(9))


class _Cells(HTMLParser):
    """The text of every table cell, and whether any script element appears."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.scripts = 0
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag in ("td", "th"):
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open is not None:
            self.cells.append("".join(self._open))
            self._open = None


def hostile() -> SiteComparison:
    """A comparison whose site labels and constituency labels try to break the page or the spreadsheet."""
    own = Framework("own", "Own", (Constituency("vcse_provider", "=HYPERLINK(\"http://x\",\"VCSE\")", "vcse"),
                                    Constituency("commissioner", "<b>Commissioner</b>", "statutory")))
    return compare_sites([result_of(small_map(), own), result_of(large_map(), own)],
                         labels=["<script>alert(1)</script>", "=cmd|' /C calc'!A0"])


def test_page_escapes_names_and_neutralises_cells(tmp_path):
    page = render_sites(hostile())
    parser = _Cells()
    parser.feed(page)
    assert parser.scripts == 0
    assert "<script>alert(1)" not in page and "<b>Commissioner" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    number = re.compile(r"[+-]?\d[\d,.]*%?")
    formulas = [c for c in parser.cells if c.startswith(TRIGGERS) and not number.fullmatch(c)]
    assert formulas == []
    assert "'=cmd|' /C calc'!A0" in parser.cells
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:|url\(|@import""", page)  # nothing to fetch
    path = write_sites(hostile(), tmp_path / "sites.html")
    assert path.read_text(encoding="utf-8") == page


def test_page_has_table_charts_notes_and_method(creative):
    page = render_sites(creative)
    assert "<dt>Constituency main share of actors (%)</dt>" in page
    assert ("Share: the site's actors holding the constituency anywhere in their list (per cent of the site's "
            "actors, so sites of different sizes compare). Voice, in the table, is the share of PageRank held by "
            "actors whose main constituency it is: read it beside the main share (actors whose main constituency it "
            "is), not beside this share.") in page
    assert sites_text(creative).count("Constituency main share of actors (%)") == 1
    assert page.count('<svg class="chart"') == 2
    assert 'id="sites-table"' in page and 'id="notes"' in page and 'id="method"' in page
    assert "@media print" in page
    assert "<td class=\"n\">3.64</td>" in page
    assert "ons-census-2021-ts021" in page  # the method names the population profiles' source
