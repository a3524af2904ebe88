"""Pushes that load fast against a real Neo4j 5 server: no default values stored, an unchanged
map found by its content hash and not sent, only changed batches sent, rows built batch by batch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_store import FRAMEWORK, POPULATION, _bigger, count_copies, sample_map

from netmap.errors import StoreError
from netmap.model import Actor, Framework, Membership, NetworkMap, Space, Tie
from netmap.store import Store, StoreSettings
from netmap.store.plan import Plan, prefetched

pytestmark = pytest.mark.neo4j


def stored(store: Store, query: str, key: str) -> list[dict]:
    return [r.data() for r in store.driver.execute_query(query, {"map": key}).records]


def test_default_values_are_not_stored_and_come_back(store: Store, map_key: str) -> None:
    nmap = NetworkMap(map_key, "Defaults", actors=[Actor("a", "A"), Actor("b", "B", kind="", scale="national")],
                      ties=[Tie("a", "b"), Tie("b", "a", "funds", directed=True, weight=2)],
                      spaces=[Space("s", "Forum")], memberships=[Membership("a", "s")])
    store.push(nmap, FRAMEWORK)
    actors = stored(store, "MATCH (a:Actor {map: $map}) RETURN properties(a) AS p ORDER BY a.seq", map_key)
    assert actors[0]["p"] == {"map": map_key, "id": "a", "name": "A", "seq": 0}
    assert actors[1]["p"] == {"map": map_key, "id": "b", "name": "B", "seq": 1, "kind": "", "scale": "national"}
    ties = stored(store, "MATCH (:Actor {map: $map})-[r]->(:Actor) RETURN properties(r) AS p ORDER BY r.seq", map_key)
    assert [t["p"] for t in ties] == [{"seq": 0}, {"directed": True, "weight": 2.0, "seq": 1}]
    rest = stored(store, "MATCH (:Actor {map: $map})-[r:MEMBER_OF]->(s:Space) "
                         "RETURN properties(r) AS m, properties(s) AS s", map_key)
    assert rest == [{"m": {"seq": 0}, "s": {"map": map_key, "id": "s", "name": "Forum", "seq": 0}}]
    assert store.pull(map_key) == nmap
    assert store.run_named("fetch_actors", {"map": map_key})[0]["kind"] == "organisation"


def test_unchanged_map_is_not_sent(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    assert not store.push(nmap, FRAMEWORK, [POPULATION]).unchanged
    again = store.push(sample_map(map_key), FRAMEWORK, [POPULATION])  # equal content, other objects
    assert again.unchanged and not again.changed and again.skipped == again.rows
    assert "unchanged, nothing written" in again.summary()
    forced = store.push(nmap, FRAMEWORK, [POPULATION], force=True)
    assert not forced.unchanged and not forced.changed and forced.skipped == 0  # every row sent, none written
    # --prune of a map pushed exactly: also unchanged
    assert store.push(nmap, FRAMEWORK, [POPULATION], prune=True).unchanged


def test_prune_after_a_push_that_kept_more(store: Store, map_key: str) -> None:
    full = sample_map(map_key)
    store.push(full, FRAMEWORK)
    smaller = sample_map(map_key)
    del smaller.ties[3]
    assert not store.push(smaller, FRAMEWORK).unchanged  # kept the seven ties: not exactly `smaller`
    assert count_copies(store, map_key)["ties"] == 7
    assert store.push(smaller, FRAMEWORK).unchanged  # the same content again: nothing to send
    pruned = store.push(smaller, FRAMEWORK, prune=True)  # ... but with --prune it must delete
    assert not pruned.unchanged and pruned.deleted == {"ties": 1}
    assert store.pull(map_key) == smaller
    assert {m["key"]: m for m in store.maps()}[map_key]["ties"] == 6


def test_only_changed_batches_are_sent(neo4j_settings: StoreSettings, map_key: str) -> None:
    with Store(replace(neo4j_settings, batch_size=10)) as store:
        v1 = _bigger(map_key, n_actors=60, n_ties=400)
        store.push(v1, FRAMEWORK)
        v2 = _bigger(map_key, n_actors=60, n_ties=400)
        v2.actors[3] = replace(v2.actors[3], name="Renamed")
        v2.ties[200] = replace(v2.ties[200], weight=4.0)
        result = store.push(v2, FRAMEWORK)
        nonzero = [{k: v for k, v in counts.items() if v} for counts in (result.updated, result.created)]
        assert nonzero == [{"actors": 1, "ties": 1}, {}]
        assert result.skipped == 460 - 20  # one batch of 10 actors and one of 10 ties were sent
        assert store.pull(map_key) == v2
        listed = {m["key"]: m for m in store.maps()}[map_key]
        assert (listed["actors"], listed["ties"]) == (60, 400)


def test_framework_changed_by_another_map_is_put_back(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    store.push(nmap, FRAMEWORK)
    other = replace(FRAMEWORK, name="Renamed by another map")
    store.push(NetworkMap(map_key + "-other", "Other", framework=FRAMEWORK.key), other)
    again = store.push(nmap, FRAMEWORK)
    assert not again.unchanged and again.updated.get("frameworks") == 1
    assert store.pull_all(map_key).framework.name == FRAMEWORK.name


@pytest.mark.parametrize("bulk_rows", [1, 100_000], ids=["bulk", "one-transaction"])
def test_first_push_naming_a_missing_actor_writes_nothing(neo4j_settings: StoreSettings, map_key: str,
                                                          bulk_rows: int) -> None:
    bad = _bigger(map_key, n_actors=20, n_ties=50)
    bad.ties.insert(10, Tie("a1", "nobody", "refers_to", directed=True))
    sent: list[int] = []
    with Store(replace(neo4j_settings, bulk_rows=bulk_rows, batch_size=7)) as store:
        with pytest.raises(StoreError) as info:
            store.push(bad, FRAMEWORK, progress=lambda done, total: sent.append(done))
        assert str(info.value) == (f"push of map '{map_key}' failed, the map is unchanged: "
                                   f"tie 11 (a1 -> nobody): no actor 'nobody' in map '{map_key}'")
        assert sent == [] and count_copies(store, map_key)["maps"] == 0


def test_rows_are_built_batch_by_batch() -> None:
    nmap = _bigger("m", n_actors=30, n_ties=95)
    plan = Plan.build(nmap, Framework("f", "F", ()), (), size=10)
    sizes = [len(rows) for _, _, rows in plan.tie_batches(by_position=False)]
    assert sizes == [10] * 9 + [5] and plan.total == 125
    assert len(plan.blocks) == 3 + 10 and len(set(plan.blocks)) == 13
    first = next(iter(plan.tie_batches(by_position=True)))[2][0]
    assert first == [0, 1, {"directed": True, "notes": "tie 0", "seq": 0}]
    changed = replace(nmap, ties=[*nmap.ties[:94], replace(nmap.ties[94], notes="new")])
    other = Plan.build(changed, Framework("f", "F", ()), (), size=10)
    assert other.content_hash != plan.content_hash
    assert [b for b in other.blocks if b not in plan.blocks] == [other.blocks[-1]]  # only the last tie batch


def test_prefetched_passes_errors_on() -> None:
    def failing():
        yield 1
        raise StoreError("row 2 is bad")

    got = []
    with pytest.raises(StoreError, match="row 2 is bad"):
        for item in prefetched(failing()):
            got.append(item)
    assert got == [1]


def test_bad_values_are_refused_before_the_server_is_contacted() -> None:
    nmap = _bigger("m", n_actors=5, n_ties=8)
    for tie, reason in ((replace(nmap.ties[4], weight=float("nan")), "tie 5 (a4 -> a0) weight: expected a number"),
                        (replace(nmap.ties[4], reported_by=("a4", 3)), "tie 5 (a4 -> a0) reported_by: expected text"),
                        (replace(nmap.ties[4], since=2020), "tie 5 (a4 -> a0) since: expected text"),
                        (nmap.ties[2], "tie 5: 'refers_to -> a2 -> a3' appears twice in the map")):
        bad = replace(nmap, ties=[*nmap.ties[:4], tie, *nmap.ties[5:]])
        with pytest.raises(StoreError) as info:
            Plan.build(bad, Framework("f", "F", ()), ())
        assert str(info.value).startswith(reason), str(info.value)
