"""The words and the page of a comparison of two snapshots: the headline, the terminal text, the progress report."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from netmap.decisions.compare import Comparison, FindingChange, compare
from netmap.model import Actor, NetworkMap, Tie
from netmap.render.compare import WIDTH, comparison_text, headline
from netmap.render.progress_figures import BIG_CHANGED, BIG_TOP
from netmap.render.progress_report import render_progress_report, write_progress_report
from netmap.resources import sites_dir
from netmap.snapshots import at
from netmap.workflows import load_map, run_map

XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","Mind")'
#: Gaps the whole-system framework finds on BEFORE (more than ten: written in figures).
N_GAPS_BEFORE = 25


def _map(actors: list[tuple[str, str, str]], ties: list[tuple[str, str, str]]) -> NetworkMap:
    return NetworkMap("m", "Riverside partners", actors=[Actor(i, n, (k,)) for i, n, k in actors],
                      ties=[Tie(a, b, t) for a, b, t in ties], framework="whole-system")


BEFORE = _map([("trust", "Riverside Trust", "nhs_mental_health"), ("icb", "Riverside ICB", "commissioner"),
               ("mind", "Riverside Mind", "vcse_provider"), ("old", "Old Forum", "community_group")],
              [("icb", "trust", "commissions"), ("old", "mind", "partnership")])
AFTER = _map([("trust", "Riverside Trust", "nhs_mental_health"), ("icb", "Riverside ICB", "commissioner"),
              ("mind", "Riverside Mind", "vcse_provider"), ("x1", XSS, "service_user_led"),
              ("x2", FORMULA, "carer_led")],
             [("icb", "trust", "commissions"), ("icb", "mind", "funds"), ("x1", "mind", "partnership"),
              ("x2", "x1", "co_produces")])


@pytest.fixture(scope="module")
def pair():
    before, after = run_map(BEFORE), run_map(AFTER)
    return compare(before, after, before_label="2023-09", after_label="2024-03", permutations=99)


def _same(result, **changes) -> Comparison:
    return Comparison(before=result, after=result, before_label="2024-03", after_label="2024-09", **changes)


def _gap(subject: str, status: str) -> FindingChange:
    return FindingChange(rule="absent_constituency.none", kind="absent_constituency", locality="", subject=subject,
                         status=status, severity="high", severity_before="high",
                         message=f"{subject}: none in the network; the framework expects at least 1.")


# --------------------------------------------------------------------------- the headline


def test_headline_gives_the_numbers_with_plurals(pair):
    text = headline(pair)
    assert text.startswith("Between 2023-09 and 2024-03 the network grew from 4 to 5 partners (2 joined, 1 left) "
                           "and 3 direct ties formed and 1 ended, with the partner who left.")
    assert sorted(a.name for a in pair.joined) == sorted([XSS, FORMULA])
    assert (len(pair.closed), len(pair.opened), len(pair.unchanged)) == (9, 10, 16)
    assert " Nine gaps closed, among them Carer-led group absent, " in text
    # Riverside Mind's first statutory contact (the ICB, which now funds it) is counted apart: it is progress
    assert (" Ten opened (1 of them progress: a first funder or statutory contact where there was none), among them "
            "Community organisation (by and for) absent, ") in text
    assert " 16 other gaps remain. " in text
    assert ("The voice of the Service-user-led group constituency (the share of the network's centrality held by "
            "partners whose main constituency it is) rose from 0% to 25%, while its share of partners as their main "
            "constituency went from 0% to 20%; that of Community organisation (by and for) fell from 25% to 0%, its "
            "share of partners from 25% to 0%.") in text
    assert text.endswith("is larger than chance alone would give (99 random permutations).")


def test_headline_says_plainly_when_nothing_changed():
    result = run_map(BEFORE)
    c = compare(result, run_map(BEFORE), before_label="2024-03", after_label="2024-09", permutations=0)
    assert c.is_empty
    assert len(c.unchanged) == len(result.findings) == N_GAPS_BEFORE
    assert headline(c) == (f"Between 2024-03 and 2024-09 nothing changed: the same 4 partners, the same ties and the "
                           f"same {N_GAPS_BEFORE} gaps.")


def test_headline_of_gaps_closed_only_names_them_in_words():
    result = run_map(BEFORE)
    one = headline(_same(result, findings=[_gap("carer_led", "closed")]))
    assert one == ("Between 2024-03 and 2024-09 the network stayed at 4 partners (none joined or left) and no "
                   "direct tie formed or ended. One gap closed: Carer-led group absent.")
    two = headline(_same(result, findings=[_gap("carer_led", "closed"), _gap("housing", "closed"),
                                           _gap("faith_group", "opened"), _gap("education", "unchanged")]))
    assert two.endswith("Two gaps closed: Carer-led group absent and Housing absent. One opened: Faith group "
                        "absent. One other gap remains.")


def test_headline_counts_in_figures_past_ten_and_lists_three():
    result = run_map(BEFORE)
    keys = [c.key for c in result.framework.constituencies][:12]
    text = headline(_same(result, findings=[_gap(k, "closed") for k in keys]))
    assert "12 gaps closed, among them " in text and text.count(" absent") == 3


# --------------------------------------------------------------------------- the terminal text


def test_comparison_text_has_every_section_in_100_columns(pair):
    text = comparison_text(pair)
    assert all(len(line) <= WIDTH for line in text.splitlines())
    for title in ("Partners who joined (2)", "Partners who left (1)", "Direct ties formed (3)", "Direct ties ended (1)",
                  "Whole-network measures", "Gaps: "):
        assert title in text
    assert "  Service-user-led group (1): " + XSS in text
    assert "Old Forum" in text and "Riverside ICB - Riverside Mind" in text
    assert re.search(r"Density\s+0\.333 -> 0\.400\s+up\s+\+0\.067", text)
    assert re.search(r"p = \d\.\d{3}  \(99 permutations, seed 42\)", text)


# --------------------------------------------------------------------------- the page


class _Cells(HTMLParser):
    """The text of every cell of the tables with class ``funders``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.cells, self.cell = 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "funders") in attrs:
            self.depth += 1
        elif tag in ("td", "th") and self.depth:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.cells.append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def test_page_escapes_names_and_funder_cells_cannot_run(pair):
    page = render_progress_report(pair)
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    parser = _Cells()
    parser.feed(page)
    assert FORMULA not in parser.cells and "'" + FORMULA in parser.cells
    number = re.compile(r"[+-]?\d+(\.\d+)?")
    risky = [c for c in parser.cells if c[:1] in "=+-@" and not number.fullmatch(c)]
    assert risky == []
    assert "2023-09" in parser.cells and "Partners" in parser.cells


def test_page_is_self_contained(pair):
    page = render_progress_report(pair)
    assert re.findall(r"\bsrc\s*=", page) == []
    assert "<link" not in page and "@import" not in page and "url(" not in page
    outside = page.split('id="sources"')[0]
    assert re.findall(r'href="https?:', outside) == []


def test_maps_mark_joined_left_formed_and_ended(pair):
    page = render_progress_report(pair)
    before_svg, after_svg = re.findall(r'<svg class="chart network change-map".*?</svg>', page, re.S)
    assert after_svg.count('class="actor actor-joined"') == 2 and before_svg.count("actor-joined") == 0
    assert before_svg.count('class="actor actor-left"') == 1 and after_svg.count("actor-left") == 0
    assert after_svg.count('class="tie-formed"') == 3 and before_svg.count('class="tie-ended"') == 1
    assert before_svg.count('class="actor') == 4 and after_svg.count('class="actor') == 5
    # one layout: an actor in both pictures stands in the same place
    where = re.compile(r'<circle class="actor[^"]*" cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>Riverside Mind</title>')
    assert where.search(before_svg).groups() == where.search(after_svg).groups()


def test_write_progress_report(pair, tmp_path):
    path = write_progress_report(pair, tmp_path / "progress.html")
    assert path == tmp_path / "progress.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "For funders" in text and "permutation" in text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_big_map_draws_the_best_tied_and_says_so():
    actors = [(f"a{k}", f"Partner {k}", "vcse_provider") for k in range(340)]
    ties = [(f"a{k}", f"a{k + 1}", "partnership") for k in range(339)] + [("a0", f"a{k}", "partnership")
                                                                          for k in range(2, 40)]
    before = run_map(_map(actors, ties))
    after = run_map(_map([*actors, ("new", "Newcomer", "carer_led")], [*ties, ("new", "a0", "partnership")]))
    page = render_progress_report(compare(before, after, before_label="A", after_label="B", permutations=0))
    assert "too many to draw legibly twice" in page
    for svg in re.findall(r'<svg class="chart network change-map".*?</svg>', page, re.S):
        assert svg.count('class="actor') <= BIG_TOP + BIG_CHANGED
    assert page.count('class="actor actor-joined"') == 1 and page.count('class="tie-formed"') == 1


def test_pledge_between_two_dates():
    nmap = load_map(sites_dir() / "pledge")
    c = compare(run_map(at(nmap, "2020-08")), run_map(at(nmap, "2021-12")), before_label="2020-08",
                after_label="2021-12", permutations=0)
    text = headline(c)
    assert text.startswith("Between 2020-08 and 2021-12 the network stayed at 6 partners (none joined or left) "
                           "and no direct tie formed or ended. One partner took a new seat in a forum, board or "
                           "pledge: Synergi Collaborative Centre joined Synergi National Pledge Alliance.")
    page = render_progress_report(c)
    assert page.count('class="seat-started"') == 1 and "Progress: National pledge" in page


# --------------------------------------------------------------------------- share beside voice, marks, method


def _text(page: str) -> str:
    """The words of the page's body, tags and styles left out and entities read."""
    body = re.sub(r"<style>.*?</style>", " ", page.split("<body", 1)[-1], flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_voice_is_shown_beside_the_main_share_with_captions_saying_what_each_is(pair):
    page = render_progress_report(pair)
    ids = re.findall(r'<figure id="(chart-[a-z-]+)"', page)
    assert ids[ids.index("chart-share"):ids.index("chart-voice") + 1] == ["chart-share", "chart-main-share",
                                                                           "chart-voice"]
    text = _text(page)
    assert ("Share: the partners holding the constituency anywhere in their list, as a share of all partners (a "
            "partner can hold several, so the shares may add up to more than 100%).") in text
    assert ("Voice: the share of the network’s PageRank held by partners whose main constituency it is, to compare "
            "with the share of partners whose main constituency it is (the chart above), not with the share holding "
            "it anywhere.") in text
    assert "present but on the edge" not in text
    parser = _Cells()
    parser.feed(page)
    cells = parser.cells
    at = cells.index("Service-user-led group: main share of partners (%)")
    assert cells[at:at + 4] == ["Service-user-led group: main share of partners (%)", "0", "20", "+20"]
    assert cells[at + 4:at + 8] == ["Service-user-led group: voice (%)", "0", "24.6", "+24.6"]


def test_an_opened_gap_that_is_progress_is_marked_in_the_list(pair):
    text = _text(render_progress_report(pair))
    assert ("Riverside Mind's only statutory contact is Riverside ICB. (low · opened because the organisation gained "
            "its first statutory contact (it had none): progress, not a new gap)") in text
    assert ("Riverside Mind's only statutory contact is Riverside ICB. (opened because the organisation gained its "
            "first statutory contact (it had none): progress, not a new gap)") in \
        " ".join(comparison_text(pair).split())


def test_the_method_names_the_permutations_that_ran_and_none_when_none_ran(pair):
    text = _text(render_progress_report(pair))
    assert "each of 99 permutations (random seed 42) swapped" in text and "999 permutations" not in text
    untested = compare(run_map(BEFORE), run_map(AFTER), permutations=0)
    text = _text(render_progress_report(untested))
    assert "No permutation test was run for this comparison." in text
    assert "permutations (random seed" not in text
    seeded = compare(run_map(BEFORE), run_map(AFTER), permutations=19, seed=7)
    assert "each of 19 permutations (random seed 7) swapped" in _text(render_progress_report(seeded))


def test_a_report_on_two_maps_names_both():
    other = NetworkMap("n", "Lakeside partners", actors=AFTER.actors, ties=AFTER.ties, framework="whole-system")
    c = compare(run_map(BEFORE), run_map(other), before_label="m", after_label="n", permutations=0)
    page = render_progress_report(c)
    assert "<h1>Progress: Riverside partners (m) → Lakeside partners (n)</h1>" in page
    assert comparison_text(c).startswith("Riverside partners (m) -> Lakeside partners (n)\n")
