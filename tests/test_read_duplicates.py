"""The likely-duplicate check of a national map (sorted-window blocking, compiled ratios) finds exactly the pairs,
scores and matched names that difflib finds on the same windows."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netmap.workspace.names as names
from netmap.model import Actor
from netmap.synthetic.plan import make_plan
from netmap.workspace.names import WINDOW, likely_duplicates, normalise_name
from netmap.workspace.similarity import ratios


def blocked_with_difflib(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """The blocked check as first written: every window pair, in window order, scored by difflib."""
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    seen: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for name in (actor.name, *actor.aliases):
            norm = normalise_name(name)
            if norm:
                first = seen.setdefault(norm, i)
                if first != i:
                    pairs.setdefault((first, i), (1.0, name))
    first_of: dict[str, int] = {}
    for i, actor in enumerate(actors):
        if norm := normalise_name(actor.name):
            first_of.setdefault(norm, i)
    distinct = list(first_of)
    matcher = difflib.SequenceMatcher(autojunk=False)
    for key in (lambda k: distinct[k], lambda k: distinct[k][::-1]):
        order = sorted(range(len(distinct)), key=key)
        for at in range(len(order)):
            for back in range(min(WINDOW, at), 0, -1):
                a, b = order[at - back], order[at]
                i, j = first_of[distinct[a]], first_of[distinct[b]]
                pair = (min(i, j), max(i, j))
                if pair in pairs:
                    continue
                matcher.set_seqs(distinct[a], distinct[b])
                if matcher.ratio() >= 0.92:
                    pairs[pair] = (round(matcher.ratio(), 2), actors[pair[1]].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]


@pytest.fixture
def blocked(monkeypatch):
    """The blocked check at any size."""
    monkeypatch.setattr(names, "INDEX_MAX_ACTORS", 0)


words = st.sampled_from(["Leeds", "Mind", "Carers", "Age UK", "Health", "Network", "St Mary's", "Café", "&",
                         "Trust", "Gate", "Caribbean", "Carribean", "Touchstone", "Touchstones", "C.C.G.", "ﬁne"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(words, min_size=1, max_size=5).map(" ".join), min_size=0, max_size=30),
       st.dictionaries(st.integers(0, 29), st.tuples(words), max_size=3))
def test_blocked_check_equals_difflib_on_the_same_windows(blocked, actor_names, aliases):
    actors = [Actor(f"a{i}", name, aliases=aliases.get(i, ())) for i, name in enumerate(actor_names)]
    assert likely_duplicates(actors) == blocked_with_difflib(actors)


def test_synthetic_register_of_4000_actors_gives_the_same_pairs_as_difflib():
    actors = [Actor(f"a{i}", name) for i, name in enumerate(make_plan(4000, 0, 7).names)]
    assert len(actors) > names.INDEX_MAX_ACTORS  # the blocked check, as on a national map
    found = likely_duplicates(actors)
    assert found == blocked_with_difflib(actors)
    assert len(found) > 100


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab cé\u2019x.", max_size=30), min_size=1, max_size=8), st.data())
def test_compiled_ratio_is_difflibs_to_the_last_bit(texts, data):
    firsts = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=20))
    seconds = data.draw(st.lists(st.integers(0, len(texts) - 1), min_size=len(firsts), max_size=len(firsts)))
    found = ratios(texts, firsts, seconds).tolist()
    assert found == [difflib.SequenceMatcher(None, texts[a], texts[b], autojunk=False).ratio()
                     for a, b in zip(firsts, seconds, strict=True)]


def test_normalise_name_of_every_ascii_character_is_the_step_by_step_form():
    import re

    def by_steps(text: str) -> str:
        text = text.lower().replace("&", " and ")
        text = re.sub(r"['\u2019.]", "", text)
        text = re.sub(r"[^\w\s]", " ", text)
        return re.sub(r"[\s_]+", " ", text).strip().removeprefix("the ")

    for code in range(128):
        for text in (chr(code), f"The{chr(code)}x", f"a {chr(code)} b", f"{chr(code)}the x{chr(code)}"):
            assert normalise_name(text) == by_steps(text), repr(text)
    assert normalise_name("  The  St. Mary's_Trust & Co. ") == "st marys trust and co"
