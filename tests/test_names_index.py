"""The indexed likely-duplicate check reports exactly what the all-pairs difflib scan reported."""

from __future__ import annotations

import difflib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.model import Actor
from netmap.synthetic.plan import make_plan
from netmap.workspace.names import _candidate_pairs, likely_duplicates, normalise_name


def quadratic_scan(actors: list[Actor]) -> list[tuple[int, int, float, str]]:
    """The check as it was before the index: exact matches, then difflib on every pair of main names."""
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    seen: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for name in (actor.name, *actor.aliases):
            norm = normalise_name(name)
            if not norm:
                continue
            first = seen.setdefault(norm, i)
            if first != i:
                pairs.setdefault((first, i), (1.0, name))
    names = [normalise_name(a.name) for a in actors]
    matcher = difflib.SequenceMatcher(autojunk=False)
    for j in range(len(names)):
        matcher.set_seq2(names[j])
        for i in range(j):
            if (i, j) in pairs or not names[i] or not names[j]:
                continue
            if abs(len(names[i]) - len(names[j])) > 0.2 * max(len(names[i]), len(names[j])):
                continue
            matcher.set_seq1(names[i])
            if matcher.real_quick_ratio() < 0.92 or matcher.quick_ratio() < 0.92:
                continue
            ratio = matcher.ratio()
            if ratio >= 0.92:
                pairs[(i, j)] = (round(ratio, 2), actors[j].name)
    return [(i, j, score, matched) for (i, j), (score, matched) in sorted(pairs.items())]


def _actors(names: list[str], aliases: dict[int, tuple[str, ...]] | None = None) -> list[Actor]:
    return [Actor(f"a{i}", name, aliases=(aliases or {}).get(i, ())) for i, name in enumerate(names)]


def test_the_suites_near_duplicates_are_still_found_with_the_same_scores():
    actors = _actors(["Caribbean and African Health Network", "Carribean and African Health Network",
                      "Mind Manchester", "Greater Manchester Health & Social Care Partnership", "  mind  manchester. ",
                      "Leeds C.C.G.", "Leeds CCG", "Mind Manchster", "Greater Manchester Health and Social Care"])
    found = likely_duplicates(actors)
    assert found == quadratic_scan(actors)
    assert found == [(0, 1, 0.97, "Carribean and African Health Network"), (2, 4, 1.0, "  mind  manchester. "),
                     (2, 7, 0.97, "Mind Manchster"), (4, 7, 0.97, "Mind Manchster"), (5, 6, 1.0, "Leeds CCG")]


def test_three_actors_of_one_name_give_three_pairs_and_aliases_keep_their_match():
    actors = _actors(["Mind", "Mind", "MIND", "Leeds Gate", "Leeds Gate Trust"], {4: ("Leeds  Gate",)})
    assert likely_duplicates(actors) == quadratic_scan(actors) == [
        (0, 1, 1.0, "Mind"), (0, 2, 1.0, "MIND"), (1, 2, 1.0, "MIND"), (3, 4, 1.0, "Leeds  Gate")]


def test_empty_and_short_names_are_never_near_duplicates():
    actors = _actors(["", "!!", "A", "B", "ab", "ba", "abcdefghijkl", "abcdefghijkm"])
    assert likely_duplicates(actors) == quadratic_scan(actors) == []


def test_the_index_lists_a_near_pair_and_skips_an_unrelated_name():
    assert _candidate_pairs(["caribbean health network", "carribean health network", "mind manchester"]) == [(0, 1)]


BASES = ["Caribbean and African Health Network", "Mind Manchester", "Leeds & York Partnership NHS FT",
         "St Mary's Community Centre", "Fernbridge Women's Group", "Ashgrove Youth Project",
         "Health and Social Care Partnership", "Bangladeshi Elders Group (2)", "Age UK", "The Leeds Gate"]
ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDE&.'-()0123"


@st.composite
def perturbed(draw) -> str:
    """A base name with a few inserted, deleted, substituted or swapped characters, or case and '&' changes."""
    text = draw(st.sampled_from(BASES) | st.text(ALPHABET, min_size=0, max_size=40))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["insert", "delete", "substitute", "transpose", "case", "and", "punct"]))
        k = draw(st.integers(0, max(0, len(text) - 1)))
        char = draw(st.sampled_from(ALPHABET))
        if kind == "insert":
            text = text[:k] + char + text[k:]
        elif kind == "delete":
            text = text[:k] + text[k + 1:]
        elif kind == "substitute":
            text = text[:k] + char + text[k + 1:]
        elif kind == "transpose" and len(text) > k + 1:
            text = text[:k] + text[k + 1] + text[k] + text[k + 2:]
        elif kind == "case":
            text = text.swapcase()
        elif kind == "and":
            text = text.replace(" and ", " & ") if " and " in text else text.replace("&", "and")
        elif kind == "punct":
            text = text[:k] + draw(st.sampled_from([".", ",", "'", "!", "  "])) + text[k:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(perturbed(), min_size=2, max_size=25),
       st.dictionaries(st.integers(0, 24), st.tuples(perturbed()), max_size=3))
def test_perturbed_names_give_the_same_pairs_as_the_quadratic_scan(names, aliases):
    actors = _actors(names, aliases)
    assert likely_duplicates(actors) == quadratic_scan(actors)


def test_synthetic_workspace_of_1000_actors_gives_the_same_pairs():
    actors = _actors(make_plan(1000, 0, 7).names)
    found = likely_duplicates(actors)
    assert found == quadratic_scan(actors)
    assert len(found) == 63


def test_synthetic_workspace_of_5000_actors_pairs_are_all_confirmed_by_difflib():
    """At 5,000 actors the full scan is too slow for the suite; every reported pair is checked instead."""
    actors = _actors(make_plan(5000, 0, 7).names)
    found = likely_duplicates(actors)
    matcher = difflib.SequenceMatcher(autojunk=False)
    for i, j, score, matched in found:
        a, b = normalise_name(actors[i].name), normalise_name(actors[j].name)
        if a != b:
            matcher.set_seqs(a, b)
            assert score == round(matcher.ratio(), 2) >= 0.92 and matched == actors[j].name
    assert len(found) > 1000
