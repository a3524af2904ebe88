"""Snapshots: the map at a date (the date rule at the edges of periods), canonical ids and the timeline."""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.errors import NetmapError, SnapshotError
from netmap.model import Actor, Locality, Membership, NetworkMap, Space, Tie
from netmap.resources import sites_dir
from netmap.snapshots import at, canonical, canonical_id, dates_in, parse_period, same_map, tie_key
from netmap.workspace import read_workspace

D = datetime.date


def _map(ties=(), spaces=(), memberships=(), actors=None) -> NetworkMap:
    ids = {x for t in ties for x in (t.from_id, t.to_id)} | {m.actor_id for m in memberships}
    actors = [Actor(x, x.upper()) for x in sorted(ids)] if actors is None else actors
    return NetworkMap("m", "Map", list(actors), list(ties), list(spaces), list(memberships),
                      [Locality("north", "North")], framework="whole-system", ego=("a",), description="d")


def _types(nmap: NetworkMap) -> list[str]:
    return [t.type for t in nmap.ties]


# ---- parse_period ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
    ("2024-06", D(2024, 6, 1), D(2024, 6, 30)),
    ("2024-06-15", D(2024, 6, 15), D(2024, 6, 15)),
    (" 2024-12 ", D(2024, 12, 1), D(2024, 12, 31)),
])
def test_a_period_runs_from_its_first_to_its_last_day(text, first, last):
    assert parse_period(text) == (first, last)


def test_a_date_is_its_own_period():
    assert parse_period(D(2024, 3, 9)) == (D(2024, 3, 9), D(2024, 3, 9))


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "24", "2024/06", "June 2024", "", "2024-6", "2024-00"])
def test_a_bad_date_says_what_to_give(text):
    with pytest.raises(SnapshotError) as caught:
        parse_period(text)
    assert str(caught.value) == f"'{text.strip()}' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD"
    assert isinstance(caught.value, NetmapError)


# ---- at: the date rule -------------------------------------------------------------------------------


def test_since_starts_on_the_first_day_of_its_period():
    m = _map([Tie("a", "b", "month", since="2024-06"), Tie("a", "b", "year", since="2024"),
              Tie("a", "b", "day", since="2024-06-15")])
    assert _types(at(m, "2024-05")) == ["year"]
    assert _types(at(m, "2023-12-31")) == []
    assert _types(at(m, "2024-01-01")) == ["year"]
    assert _types(at(m, "2024-06-01")) == ["month", "year"]
    assert _types(at(m, "2024-06-14")) == ["month", "year"]
    assert _types(at(m, "2024-06")) == ["month", "year", "day"]  # as at 2024-06-30
    assert _types(at(m, "2024-06-15")) == ["month", "year", "day"]


def test_until_ends_on_the_last_day_of_its_period():
    m = _map([Tie("a", "b", "year", until="2024"), Tie("a", "b", "month", until="2024-06"),
              Tie("a", "b", "day", until="2024-06-15")])
    assert _types(at(m, "2024-12-31")) == ["year"]
    assert _types(at(m, "2024")) == ["year"]  # as at 2024-12-31
    assert _types(at(m, "2025-01")) == []
    assert _types(at(m, "2025")) == []
    assert _types(at(m, "2024-06-30")) == ["year", "month"]
    assert _types(at(m, "2024-06")) == ["year", "month"]
    assert _types(at(m, "2024-07-01")) == ["year"]
    assert _types(at(m, "2024-06-15")) == ["year", "month", "day"]
    assert _types(at(m, "2024-06-16")) == ["year", "month"]


def test_open_and_closed_ranges_and_undated_ties():
    m = _map([Tie("a", "b", "undated"), Tie("a", "b", "open_start", until="2021"),
              Tie("a", "b", "open_end", since="2022-03"), Tie("a", "b", "closed", since="2020", until="2022-02")])
    assert _types(at(m, "1990")) == ["undated", "open_start"]
    assert _types(at(m, "2020-06")) == ["undated", "open_start", "closed"]
    assert _types(at(m, "2022-02")) == ["undated", "closed"]
    assert _types(at(m, "2022-03")) == ["undated", "open_end"]
    assert _types(at(m, "2100")) == ["undated", "open_end"]


def test_a_snapshot_keeps_everything_else_of_the_map():
    m = _map([Tie("a", "b", since="2030")])
    s = at(m, "2024-06")
    assert s.ties == [] and s.actors == m.actors
    assert (s.key, s.name, s.localities, s.framework, s.ego, s.description) == (
        "m", "Map", [Locality("north", "North")], "whole-system", ("a",), "d")
    assert s.snapshot == "2024-06"
    assert at(m, D(2031, 1, 5)).snapshot == "2031-01-05"
    assert m.ties == [Tie("a", "b", since="2030")]  # the map itself is untouched


def test_a_membership_needs_its_own_dates_and_its_space_existing():
    spaces = [Space("board", "Board", since="2020", until="2022-06"), Space("forum", "Forum")]
    memberships = [Membership("a", "board"), Membership("b", "board", since="2021"),
                   Membership("a", "forum", until="2019"), Membership("b", "forum", since="2019-02")]

    def members(when: str) -> list[tuple[str, str]]:
        s = at(_map(spaces=spaces, memberships=memberships), when)
        return [m.key for m in s.memberships]

    assert members("2019-01") == [("a", "forum")]  # the board does not exist yet
    assert members("2019-02") == [("a", "forum"), ("b", "forum")]
    assert members("2020") == [("a", "board"), ("b", "forum")]
    assert members("2021") == [("a", "board"), ("b", "board"), ("b", "forum")]
    assert members("2022-06-30") == [("a", "board"), ("b", "board"), ("b", "forum")]
    assert members("2022-07") == [("b", "forum")]  # the board has closed: its memberships go with it
    assert [s.id for s in at(_map(spaces=spaces), "2023").spaces] == ["forum"]


def test_an_actor_outside_its_own_dates_is_dropped_with_its_ties_and_memberships():
    actors = [Actor("a", "A"), Actor("b", "B", attributes={"since": "2021", "until": "2023-03"}),
              Actor("c", "C", attributes={"notes2": "x"})]
    m = _map([Tie("a", "b"), Tie("b", "c", "funds", directed=True), Tie("a", "c")], [Space("f", "F")],
             [Membership("b", "f"), Membership("c", "f")], actors=actors)
    early = at(m, "2020")
    assert [a.id for a in early.actors] == ["a", "c"]
    assert [t.key for t in early.ties] == [("a", "c", "partnership")]
    assert [x.actor_id for x in early.memberships] == ["c"]
    assert [a.id for a in at(m, "2023-03").actors] == ["a", "b", "c"]
    assert len(at(m, "2023-03").ties) == 3
    assert [a.id for a in at(m, "2023-04").actors] == ["a", "c"]


def test_an_actor_date_written_the_uk_way_is_read_as_the_workspace_reads_it():
    m = _map(actors=[Actor("a", "A", attributes={"since": "1/4/20"})])
    assert at(m, "2020-03").actors == [] and len(at(m, "2020-04").actors) == 1


def test_a_date_cell_that_is_not_a_date_names_its_row():
    with pytest.raises(SnapshotError) as caught:
        at(_map([Tie("mind", "ccg", since="2024-13")]), "2024")
    assert str(caught.value) == ("ties.csv: tie mind - ccg (partnership), column since: '2024-13' is not a date "
                                 "(use YYYY, YYYY-MM or YYYY-MM-DD)")
    with pytest.raises(SnapshotError, match=r"^actors.csv: actor 'a', column until: '31/02/2020' is not a date"):
        at(_map(actors=[Actor("a", "A", attributes={"until": "31/02/2020"})]), "2024")
    with pytest.raises(SnapshotError, match=r"^memberships.csv: a in f, column since: 'soon' is not a date"):
        at(_map(spaces=[Space("f", "F")], memberships=[Membership("a", "f", since="soon")]), "2024")


def _period_bounds(text: str) -> tuple[str, str]:
    """A date's first and last day as ISO text, worked out independently of netmap.snapshots."""
    parts = text.split("-")
    if len(parts) == 3:
        return text, text
    if len(parts) == 2:
        y, mo = int(parts[0]), int(parts[1])
        return f"{text}-01", f"{text}-{calendar.monthrange(y, mo)[1]:02d}"
    return f"{text}-01-01", f"{text}-12-31"


_DATES = st.builds(lambda y, mo, d, k: [f"{y}", f"{y}-{mo:02d}", f"{y}-{mo:02d}-{d:02d}"][k],
                   st.integers(2019, 2026), st.integers(1, 12), st.integers(1, 28), st.integers(0, 2))
_CELLS = st.one_of(st.just(""), _DATES)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS), max_size=30), _DATES)
def test_a_tie_is_in_exactly_when_its_start_is_on_or_before_the_day_and_its_end_on_or_after(dates, when):
    ties = [Tie("a", "b", f"t{i}", since=s, until=u) for i, (s, u) in enumerate(dates)]
    day = _period_bounds(when)[1]
    expected = [t.type for t in ties if (not t.since or _period_bounds(t.since)[0] <= day)
                and (not t.until or day <= _period_bounds(t.until)[1])]
    assert _types(at(_map(ties), when)) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS), max_size=30))
def test_far_in_the_future_exactly_the_ties_with_no_end_remain(dates):
    ties = [Tie("a", "b", f"t{i}", since=s, until=u) for i, (s, u) in enumerate(dates)]
    assert _types(at(_map(ties), "2100")) == [t.type for t in ties if not t.until]


# ---- the synthetic borough -----------------------------------------------------------------------------

BOROUGH = sites_dir() / "synthetic-borough"


def _rows(name: str) -> list[dict[str, str]]:
    with open(BOROUGH / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def borough() -> NetworkMap:
    return read_workspace(BOROUGH)


@pytest.mark.parametrize("year", [2012, 2016, 2019, 2022, 2024])
def test_the_synthetic_borough_at_a_date_against_a_count_of_its_files(borough, year):
    """The borough's dates are years and it has no until: a row holds from the start of its year on."""
    ties = _rows("ties.csv")
    assert len(borough.ties) == len(ties) == 1200
    expected_ties = sum(1 for r in ties if not r["since"] or int(r["since"]) <= year)
    spaces = {r["id"]: r["since"] for r in _rows("spaces.csv")}
    expected_memberships = sum(1 for r in _rows("memberships.csv")
                               if int(r["since"] or 0) <= year and int(spaces[r["space"]] or 0) <= year)
    for when in (f"{year}", f"{year}-01", f"{year}-01-01"):  # a year's rows hold from its first day
        s = at(borough, when)
        assert len(s.ties) == expected_ties
        assert len(s.memberships) == expected_memberships
        assert len(s.actors) == 300
    assert len(at(borough, f"{year - 1}-12-31").ties) == sum(
        1 for r in ties if not r["since"] or int(r["since"]) < year)


def test_the_synthetic_borough_timeline(borough):
    assert dates_in(borough) == ["2013"] + [str(y) for y in range(2015, 2025)]
    assert len(at(borough, "2012").ties) == 515  # the undated ties hold at every date


# ---- canonical ids ---------------------------------------------------------------------------------------


def test_canonical_ids_ignore_surrounding_space_and_case():
    assert canonical_id("  Leeds-MIND\t") == "leeds-mind"
    assert tie_key(Tie(" B", "a")) == tie_key(Tie("A", "b ")) == ("a", "b", "partnership")
    assert tie_key(Tie("b", "a", "funds", directed=True)) != tie_key(Tie("a", "b", "funds", directed=True))


def _messy(nmap: NetworkMap, seed: int) -> NetworkMap:
    rng = random.Random(seed)

    def id_(x: str) -> str:
        return rng.choice([x.upper(), f" {x} ", x.title(), x])

    return dataclasses.replace(
        nmap,
        actors=rng.sample([dataclasses.replace(a, id=id_(a.id), name=f" {a.name}  ") for a in nmap.actors],
                          len(nmap.actors)),
        ties=rng.sample([dataclasses.replace(t, from_id=id_(t.to_id), to_id=id_(t.from_id)) if not t.directed
                         else dataclasses.replace(t, from_id=id_(t.from_id), to_id=id_(t.to_id))
                         for t in nmap.ties], len(nmap.ties)),
        memberships=rng.sample([dataclasses.replace(m, actor_id=id_(m.actor_id), space_id=id_(m.space_id),
                                                    role=f"{m.role} ") for m in nmap.memberships],
                               len(nmap.memberships)),
        spaces=rng.sample([dataclasses.replace(s, id=id_(s.id)) for s in nmap.spaces], len(nmap.spaces)))


def test_row_order_whitespace_and_case_of_ids_give_the_same_map(borough):
    messy = _messy(borough, seed=11)
    assert messy != borough
    assert same_map(messy, borough)
    assert canonical(messy) == canonical(borough)


def test_a_real_difference_is_still_a_difference(borough):
    changed = dataclasses.replace(borough, ties=borough.ties[:-1])
    assert not same_map(changed, borough)
    flipped = dataclasses.replace(borough, ties=[dataclasses.replace(t, from_id=t.to_id, to_id=t.from_id)
                                                 if t.directed else t for t in borough.ties])
    assert any(t.directed for t in borough.ties) and not same_map(flipped, borough)  # a direction matters
    renamed = dataclasses.replace(borough, actors=[dataclasses.replace(borough.actors[0], name="Another"),
                                                          *borough.actors[1:]])
    assert not same_map(renamed, borough)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 1_000_000))
def test_any_shuffle_and_recasing_is_the_same_map(seed):
    m = _map([Tie("a", "b"), Tie("b", "c", "funds", directed=True), Tie("c", "d", since="2020")],
             [Space("f", "F")], [Membership("a", "f"), Membership("d", "f", "chair")])
    assert same_map(_messy(m, seed), m)


def test_dates_in_lists_every_distinct_date_once():
    m = _map([Tie("a", "b", since="2024-06", until="2025"), Tie("a", "c", since="2023")],
             [Space("f", "F", since="2019")], [Membership("a", "f", until="2024-06")],
             actors=[Actor("a", "A", attributes={"since": " 2018 "}), Actor("b", "B"), Actor("c", "C")])
    assert dates_in(m) == ["2018", "2019", "2023", "2024-06", "2025"]
    assert dates_in(_map([Tie("a", "b")])) == []
