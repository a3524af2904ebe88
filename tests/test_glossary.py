"""The glossary: one plain sentence per term, the same in the report, its tooltips and docs/glossary.md."""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from netmap.analysis import actor_metrics, blau_heterogeneity, ei_index, network_summary
from netmap.analysis.structure import ROLES
from netmap.cli import main
from netmap.render.glossary import GLOSSARY_DOC, glossary, glossary_markdown, term_for
from netmap.render.report import render_report
from netmap.resources import sites_dir

ROOT = Path(__file__).resolve().parents[1]
#: Terms issue 9 asks the report to explain, as the reader meets them.
REQUIRED = ("Blau index", "E-I index", "Voice", "Brokerage", "Constraint", "Betweenness", "Closeness", "PageRank",
            "Cut vertex", "Density", "Degree centralisation", "k-core", "Hub (role)", "Broker (role)")


def test_docs_glossary_is_made_from_the_same_sentences():
    doc = (ROOT / GLOSSARY_DOC).read_text(encoding="utf-8")
    assert doc == glossary_markdown(), (
        "docs/glossary.md is out of date: run .venv/bin/python -m netmap.render.glossary > docs/glossary.md")
    for term in glossary().values():
        assert f"- **{term.term}**: {term.text}\n" in doc


def test_every_term_is_one_plain_sentence():
    terms = glossary()
    assert {t.term for t in terms.values()} >= set(REQUIRED)
    for t in terms.values():
        assert t.text.endswith(".") and t.text[0].isupper(), t.key
        assert not re.search(r"[.!?] [A-Z]", t.text), f"{t.key}: more than one sentence"
        assert len(t.text) <= 260, t.key


def test_every_role_and_shown_word_has_an_entry():
    words = {"hub": "hub", "broker": "broker", "peripheral": "on the edge", "connected": "connected",
             "isolate": "isolate"}
    assert set(words) == set(ROLES)
    for role, word in words.items():
        assert term_for(word) is not None and term_for(role) is not None, role
    for heading in ("Ties", "Betweenness", "PageRank", "Unlinked pairs across constituencies",
                    "Actors cut off if it left", "density", "E-I index", "ei_index", "Blau heterogeneity"):
        assert term_for(heading) is not None, heading


# --------------------------------------------------------------------------- the sentences match the code


def _graph(edges, groups):
    G = nx.Graph(edges)
    nx.set_node_attributes(G, groups, "primary")
    return G


def test_sentences_state_what_the_code_computes():
    text = {k: t.text for k, t in glossary().items()}
    star = nx.star_graph(4)
    actors = actor_metrics(star)
    # closeness: 1 means tied to everyone, 0 means tied to no one
    assert "1 means tied to everyone, 0 means tied to no one" in text["closeness"]
    assert actors.loc[0, "closeness"] == 1.0 and actor_metrics(nx.empty_graph(3))["closeness"].max() == 0.0
    # PageRank: shares add up to 1
    assert "add up to 1" in text["pagerank"] and abs(actors["pagerank"].sum() - 1) < 1e-9
    # centralisation: 1 for a star, 0 when every actor has the same number of ties
    assert "1 for a star" in text["centralisation"] and "0 when every actor has the same" in text["centralisation"]
    assert network_summary(star)["degree_centralisation"] == 1.0
    assert network_summary(nx.cycle_graph(6))["degree_centralisation"] == 0.0
    # Blau: 0 when all are in one constituency; 1 - sum of squared shares (2 a, 1 b, 1 c: 1 - 6/16)
    assert "0 when all are in one constituency" in text["blau"]
    assert blau_heterogeneity(_graph([(1, 2), (3, 4)], {1: "a", 2: "a", 3: "a", 4: "a"})) == 0.0
    assert blau_heterogeneity(_graph([(1, 2), (3, 4)], {1: "a", 2: "a", 3: "b", 4: "c"})) == 0.625
    # E-I: -1 when every tie stays inside, +1 when every tie crosses
    assert "−1 when every tie stays inside" in text["ei-index"] and "+1 when every tie crosses" in text["ei-index"]
    assert ei_index(_graph([(1, 2), (3, 4)], {1: "a", 2: "a", 3: "b", 4: "b"})) == -1.0
    assert ei_index(_graph([(1, 3), (2, 4)], {1: "a", 2: "a", 3: "b", 4: "b"})) == 1.0
    # cut vertex: the centre of a star cuts 3 of its 4 partners off from the largest remaining part
    assert actors.loc[0, "cut_vertex_impact"] == 3 and "cut off from the largest remaining part" in text["cut-vertex"]
    # brokerage: pairs of partners in different constituencies with no tie of their own
    path = _graph([(1, 2), (2, 3), (2, 4), (3, 4)], {1: "a", 2: "a", 3: "b", 4: "b"})
    assert actor_metrics(path).loc[2, "brokerage"] == 2  # (1, 3) and (1, 4); 3 and 4 are tied and alike
    # the hub rule: at least 3 ties
    assert "at least 3 ties" in text["role-hub"]
    assert set(actor_metrics(nx.complete_graph(3))["role"]) != {"hub"}


# --------------------------------------------------------------------------- where readers meet them


@pytest.fixture(scope="module")
def leeds_page(leeds) -> str:
    return render_report(leeds)


def test_report_lists_every_term_with_the_same_sentence(leeds_page):
    listed = re.findall(r'<dt id="term-([^"]+)">(.*?)</dt><dd>(.*?)</dd>', leeds_page)
    assert [key for key, _, _ in listed] == list(glossary())
    for key, term, text in listed:
        assert (html.unescape(term), html.unescape(text)) == (glossary()[key].term, glossary()[key].text)
    assert '<a href="#terms">What the terms mean</a>' in leeds_page


def test_report_explains_terms_where_they_appear(leeds_page):
    sentence = {k: html.escape(t.text, quote=True) for k, t in glossary().items()}
    assert f'<th title="{sentence["betweenness"]}" class="n">Betweenness</th>' in leeds_page
    assert f'<th title="{sentence["pagerank"]}" class="n">PageRank</th>' in leeds_page
    assert f'<abbr title="{sentence["ei-index"]}">E-I index</abbr>' in leeds_page
    assert f'<abbr title="{sentence["blau"]}">Blau index</abbr>' in leeds_page
    assert f'<div class="card" title="{sentence["density"]}">' in leeds_page
    assert f'<abbr title="{sentence["role-connected"]}">connected</abbr>' in leeds_page  # a complete forum


def test_analyse_points_to_the_glossary():
    result = CliRunner().invoke(main, ["analyse", str(sites_dir() / "leeds")])
    assert result.exit_code == 0
    assert result.output.rstrip("\n").splitlines()[-1] == (
        "What these measures mean, one sentence each: docs/glossary.md (and at the end of every report).")
    assert (ROOT / GLOSSARY_DOC).is_file()
