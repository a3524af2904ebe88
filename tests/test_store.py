"""The Neo4j backend against a real Neo4j 5 server: round trips, idempotence, concurrency,
atomicity, hostile strings, named queries and gap questions."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from test_store_resilience import CuttingProxy

from netmap.errors import StoreError
from netmap.model import (
    Actor,
    Constituency,
    ExpectedLink,
    Framework,
    Locality,
    Membership,
    NetworkMap,
    PopulationProfile,
    Space,
    Tie,
)
from netmap.store import Store, StoreSettings, load_query, query_names

pytestmark = pytest.mark.neo4j

HOSTILE = [
    "O'Brien \"quoted\" `backticked`",
    "}) DETACH DELETE n //",
    "$param {map} $map",
    "line one\nline two\r\nline three\ttab",
    "Ünïcödé — 漢字 🎭 \u200b zero-width",
    "'; MATCH (n) DETACH DELETE n; //",
    "\\ backslash \\\\ and %s {0}",
    "",
]

FRAMEWORK = Framework(
    "test-framework",
    "Test framework",
    constituencies=(
        Constituency("commissioner", "Commissioner", "statutory", weight=2.0),
        Constituency("nhs_provider", "NHS provider", "statutory"),
        Constituency("vcse_provider", "VCSE provider", "vcse", min_presence=2),
        Constituency("service_user_led", "Service-user-led group", "community"),
        Constituency("carers", "Carers' group", "community"),
        Constituency("university", "University", "academic"),
    ),
    expected_links=(
        ExpectedLink("commissioner", "vcse_provider", "Commissioners fund the voluntary sector."),
        ExpectedLink("nhs_provider", "service_user_led", "Co-production."),
        ExpectedLink("commissioner", "carers", "Carers' voice."),
        ExpectedLink("university", "service_user_led", "Research with lived experience."),
    ),
)


def sample_map(key: str) -> NetworkMap:
    """A small map exercising every field, with hostile text everywhere text goes."""
    actors = [
        Actor("icb", "Integrated Care Board", ("commissioner",), aliases=("ICB", HOSTILE[0]),
              locality="north", source="register", notes=HOSTILE[1],
              attributes={"website": "https://example.org", "note": HOSTILE[3], HOSTILE[2]: HOSTILE[4]}),
        Actor("trust", HOSTILE[0], ("nhs_provider", "commissioner"), locality="south", scale="regional",
              notes=HOSTILE[3]),
        Actor("mind", "Mind in the City", ("vcse_provider",), communities=("black", "caribbean"),
              led_by_community=True, lived_experience_led=True, locality="north"),
        Actor("voices", HOSTILE[4], ("service_user_led",), kind="group", lived_experience_led=True,
              communities=("pakistani",), attributes={"": "empty key", "x": ""}),
        Actor("o'brien", HOSTILE[5], kind="individual", scale="local", source=HOSTILE[6]),
        Actor("isolate", "Lonely Org", ("vcse_provider",), locality="south"),
    ]
    ties = [
        Tie("icb", "mind", "funds", directed=True, weight=2.5, trust=3.0, value=4.0, since="2019-04",
            until="2024", reported_by=("icb", "mind"), source="survey", notes=HOSTILE[1]),
        Tie("trust", "icb", "partnership", weight=1.0, since="2020"),  # stored the other way round
        Tie("mind", "voices", "co_produces", trust=None, value=2.0, notes=HOSTILE[3]),
        Tie("voices", "o'brien", "shares_information", reported_by=("voices",), source=HOSTILE[2]),
        Tie("icb", "trust", "commissions", directed=True),
        Tie("mind", "icb", "refers_to", directed=True, weight=0.5),
        Tie("voices", "mind", "hostile_custom_type", notes=HOSTILE[7]),
    ]
    spaces = [
        Space("board", "Mental Health Partnership Board", "board", locality="north", since="2018",
              notes=HOSTILE[0]),
        Space("forum", HOSTILE[1], "forum", source=HOSTILE[4]),
    ]
    memberships = [
        Membership("icb", "board", "chair", since="2018"),
        Membership("voices", "board", "member", source=HOSTILE[2]),
        Membership("trust", "forum", "convenor"),
        Membership("o'brien", "forum", "attendee", until="2021"),
    ]
    return NetworkMap(
        key=key, name=f"Sample {HOSTILE[0]}", actors=actors, ties=ties, spaces=spaces, memberships=memberships,
        localities=[Locality("north", "North", "north-pop"), Locality("south", HOSTILE[4])],
        framework="test-framework", snapshot="2024-06-30", ego=("trust", "mind"), description=HOSTILE[3],
    )


POPULATION = PopulationProfile("north-pop", "North", {"white": 70.0, "asian": 15.0, "black": 8.0,
                                                      "mixed+other": 7.0})


def count_copies(store: Store, key: str) -> dict[str, int]:
    """Nodes and relationships of a map counted directly, with duplicates."""
    rows = store.driver.execute_query(
        """
        MATCH (a:Actor {map: $map})
        WITH count(a) AS actors, count(DISTINCT a.id) AS actor_ids
        OPTIONAL MATCH (x:Actor {map: $map})-[r]->(:Actor)
        WITH actors, actor_ids, count(r) AS ties,
             count(DISTINCT [type(r), startNode(r).id, endNode(r).id]) AS tie_keys
        OPTIONAL MATCH (:Actor {map: $map})-[m:MEMBER_OF]->(:Space)
        WITH actors, actor_ids, ties, tie_keys, count(m) AS memberships
        OPTIONAL MATCH (s:Space {map: $map})
        WITH actors, actor_ids, ties, tie_keys, memberships, count(s) AS spaces
        OPTIONAL MATCH (mm:Map {key: $map})
        RETURN actors, actor_ids, ties, tie_keys, memberships, spaces, count(mm) AS maps
        """,
        {"map": key}, database_=store.settings.database,
    ).records[0]
    return dict(rows)


# --------------------------------------------------------------------------- round trips


def test_round_trip_every_field_and_hostile_strings(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    result = store.push(nmap, FRAMEWORK, [POPULATION])
    assert result.changed and result.created["actors"] == 6 and result.created["ties"] == 7
    back = store.pull(map_key)
    assert back == nmap
    # the pulled map is a different object tree with the same values, tuple for tuple
    assert back.actors[0].attributes == nmap.actors[0].attributes
    assert back.ties[2].trust is None and back.ties[2].value == 2.0
    assert back.ties[1].from_id == "trust" and back.ties[1].to_id == "icb"


def test_hostile_strings_never_change_a_query(store: Store, map_key: str) -> None:
    other = map_key + "-bystander"
    store.push(sample_map(other), FRAMEWORK)
    before = count_copies(store, other)
    hostile_key = map_key + HOSTILE[1] + HOSTILE[0]
    nmap = sample_map(hostile_key)
    nmap.actors = [replace(a, id=a.id + HOSTILE[1] if a.id == "isolate" else a.id) for a in nmap.actors]
    store.push(nmap, FRAMEWORK)
    assert store.pull(hostile_key) == nmap
    assert count_copies(store, other) == before
    assert store.pull(other) == sample_map(other)
    assert hostile_key in {m["key"] for m in store.maps()}


def test_hostile_tie_type_rejected_before_reaching_the_server(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    nmap.ties.append(Tie("icb", "trust", "x`]->() DELETE n//"))
    with pytest.raises(StoreError, match="is not a snake_case identifier"):
        store.push(nmap, FRAMEWORK)
    assert map_key not in {m["key"] for m in store.maps()}
    for bad in ("PARTNERSHIP", "part nership", "a" * 41, "1st", ""):
        nmap.ties[-1] = Tie("icb", "trust", bad)
        with pytest.raises(StoreError):
            store.push(nmap, FRAMEWORK)


def test_empty_map_round_trip(store: Store, map_key: str) -> None:
    nmap = NetworkMap(map_key, "")
    store.push(nmap, FRAMEWORK)
    assert store.pull(map_key) == nmap


# --------------------------------------------------------------------------- idempotence, updates, prune


def test_second_push_changes_nothing(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    first = store.push(nmap, FRAMEWORK, [POPULATION])
    assert first.counters["nodes_created"] > 0
    second = store.push(nmap, FRAMEWORK, [POPULATION])
    assert not second.changed, second.counters
    assert all(v == 0 for v in second.counters.values())
    assert sum(second.created.values()) == sum(second.updated.values()) == 0
    assert "already up to date" in second.summary()
    copies = count_copies(store, map_key)
    assert copies["actors"] == copies["actor_ids"] == 6
    assert copies["ties"] == copies["tie_keys"] == 7
    assert copies["maps"] == 1


def test_updates_and_prune(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    store.push(nmap, FRAMEWORK)
    changed = sample_map(map_key)
    changed.actors[2] = replace(changed.actors[2], name="Mind (renamed)", constituencies=("carers",),
                                attributes={"new": "column"})
    changed.ties[1] = Tie("icb", "trust", "partnership", weight=1.0, since="2020")  # same tie, other way round
    changed.ties[0] = replace(changed.ties[0], trust=None, notes="")
    del changed.ties[3]  # voices -> o'brien
    del changed.actors[5]  # isolate (no ties)
    changed.memberships = changed.memberships[:3]
    result = store.push(changed, FRAMEWORK)
    # 2 ties changed; 3 more moved up one place in the workspace's order (which is kept)
    assert result.updated["actors"] == 1 and result.updated["ties"] == 5
    kept = store.pull(map_key)  # without --prune nothing is removed
    assert {a.id for a in kept.actors} == {a.id for a in nmap.actors}
    assert len(kept.ties) == 7 and len(kept.memberships) == 4
    result = store.push(changed, FRAMEWORK, prune=True)
    assert result.deleted == {"ties": 1, "memberships": 1, "actors": 1}
    assert store.pull(map_key) == changed
    assert not store.push(changed, FRAMEWORK, prune=True).changed
    # the derived links followed the change of constituency
    rows = store.driver.execute_query(
        "MATCH (:Actor {map: $map, id: 'mind'})-[r:IN_CONSTITUENCY]->(c) RETURN c.key AS key, r.rank AS rank",
        {"map": map_key}).records
    assert [(r["key"], r["rank"]) for r in rows] == [("carers", 0)]


def test_membership_of_an_unlisted_space(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    nmap.memberships.append(Membership("mind", "unlisted-event", "attendee"))
    store.push(nmap, FRAMEWORK)
    assert store.pull(map_key) == nmap


# --------------------------------------------------------------------------- concurrency and atomicity


def push_twice_at_once(settings: StoreSettings, nmap: NetworkMap, populations: list[PopulationProfile],
                       timeout: float) -> list[BaseException]:
    """Push ``nmap`` from two connections released at the same moment; the errors they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def push() -> None:
        try:
            with Store(settings) as own:
                barrier.wait()
                own.push(nmap, FRAMEWORK, populations)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return errors


@pytest.mark.parametrize("existing", [False, True], ids=["new-map", "existing-map"])
def test_two_concurrent_pushes_leave_one_copy(neo4j_settings: StoreSettings, store: Store, map_key: str,
                                              existing: bool) -> None:
    nmap = sample_map(map_key)
    if existing:
        store.push(sample_map(map_key), FRAMEWORK)
        nmap.actors[0] = replace(nmap.actors[0], name="Renamed by both")
    assert not push_twice_at_once(neo4j_settings, nmap, [POPULATION], timeout=120)
    copies = count_copies(store, map_key)
    assert copies == {"actors": 6, "actor_ids": 6, "ties": 7, "tie_keys": 7, "memberships": 4, "spaces": 2,
                      "maps": 1}
    assert store.pull(map_key) == nmap
    shared = store.driver.execute_query(
        "MATCH (c:Constituency {framework: $fw}) RETURN count(c) AS n, count(DISTINCT c.key) AS keys",
        {"fw": FRAMEWORK.key}).records[0]
    assert shared["n"] == shared["keys"] == len(FRAMEWORK.constituencies)


def _bigger(key: str, n_actors: int = 60, n_ties: int = 400) -> NetworkMap:
    """A map with enough ties for many small batches (distinct directed pairs)."""
    actors = [Actor(f"a{i}", f"Actor {i}", ("vcse_provider",)) for i in range(n_actors)]
    ties = [Tie(f"a{i % n_actors}", f"a{(i % n_actors + 1 + i // n_actors) % n_actors}", "refers_to",
                directed=True, notes=f"tie {i}") for i in range(n_ties)]
    return NetworkMap(key, "Bigger", actors=actors, ties=ties)


def test_push_failing_late_leaves_previous_version(neo4j_settings: StoreSettings, map_key: str) -> None:
    small_batches = replace(neo4j_settings, batch_size=25)
    with Store(small_batches) as store:
        v1 = _bigger(map_key)
        store.push(v1, FRAMEWORK)
        v2 = _bigger(map_key)
        v2.actors = [replace(a, name=a.name + " v2") for a in v2.actors]
        v2.ties = [replace(t, weight=3.0) for t in v2.ties]
        v2.ties.append(Tie("a1", "nobody", "refers_to", directed=True))  # the very last row is bad
        batches = []
        with pytest.raises(StoreError, match=r"no actor 'nobody' in map") as info:
            store.push(v2, FRAMEWORK, prune=True, progress=lambda done, total: batches.append(done))
        assert "unchanged" in str(info.value) and "\n" not in str(info.value)
        assert len(batches) > 10  # it failed late, after many batches had been written
        assert store.pull(map_key) == v1
        # also on the bulk (first push) path: nothing of the map is left
        fresh = _bigger(map_key + "-fresh")
        fresh.ties.append(Tie("a1", "nobody", "refers_to", directed=True))
        with pytest.raises(StoreError, match="nobody"):
            store.push(fresh, FRAMEWORK)
        assert count_copies(store, map_key + "-fresh")["actors"] == 0
        assert map_key + "-fresh" not in {m["key"] for m in store.maps()}


def test_connection_lost_mid_push_leaves_previous_version(neo4j_settings: StoreSettings, store: Store,
                                                          map_key: str) -> None:
    v1 = _bigger(map_key)
    store.push(v1, FRAMEWORK)
    port = int(neo4j_settings.uri.rsplit(":", 1)[1])
    proxy = CuttingProxy(port)
    via_proxy = replace(neo4j_settings, uri=f"bolt://127.0.0.1:{proxy.port}", batch_size=25, retry_seconds=0)
    v2 = _bigger(map_key)
    v2.actors = [replace(a, name="v2") for a in v2.actors]
    v2.ties = v2.ties[: len(v2.ties) // 2]

    def cut_half_way(done: int, total: int) -> None:
        if done > total // 3:
            proxy.cut()

    with Store(via_proxy) as doomed, pytest.raises(StoreError, match="unchanged"):
        doomed.push(v2, FRAMEWORK, prune=True, progress=cut_half_way)
    assert store.pull(map_key) == v1


# --------------------------------------------------------------------------- named queries


def test_named_queries_are_files_with_parameters() -> None:
    names = query_names()
    for needed in ("create_schema", "upsert_actors", "upsert_ties", "upsert_spaces", "upsert_memberships",
                   "upsert_framework", "upsert_populations", "fetch_actors", "fetch_ties", "list_maps",
                   "delete_map", "find_absent_constituencies", "find_missing_links", "find_ego_gaps",
                   "find_community_coverage", "find_cut_off_dependencies"):
        assert needed in names
    for name in names:
        text = load_query(name)
        assert ("__TIE_TYPE__" in text) == (name in ("upsert_ties", "create_ties")), name
        assert text.lstrip().startswith("//"), f"{name}: say what the query does in a comment"


def test_unknown_named_query(store: Store) -> None:
    with pytest.raises(StoreError, match=r"no named query 'find_everything'.*find_ego_gaps"):
        store.run_named("find_everything", {})
    with pytest.raises(StoreError, match="no named query"):
        load_query("../netmap/store")
    with pytest.raises(StoreError, match=r"'find_missing_links' needs .*\$map"):
        store.run_named("find_missing_links", {})
    with pytest.raises(StoreError, match="writes to the database"):
        store.run_named("delete_map", {"map": "x"})
    with pytest.raises(StoreError, match=r"has no parameter \$nope"):
        store.run_named("list_maps", {"nope": 1})


def test_run_named_and_maps(store: Store, map_key: str) -> None:
    store.push(sample_map(map_key), FRAMEWORK)
    listed = {m["key"]: m for m in store.maps()}[map_key]
    assert (listed["actors"], listed["ties"], listed["snapshot"]) == (6, 7, "2024-06-30")
    rows = store.run_named("fetch_actors", {"map": map_key})
    assert [r["id"] for r in rows] == [a.id for a in sample_map(map_key).actors]
    assert store.count(map_key) == {"actors": 6, "ties": 7, "spaces": 2, "memberships": 4}
    assert store.delete_map(map_key)
    assert map_key not in {m["key"] for m in store.maps()}
    with pytest.raises(StoreError, match="no map"):
        store.pull(map_key)


# --------------------------------------------------------------------------- gap questions


def test_gap_queries(store: Store, map_key: str) -> None:
    nmap = sample_map(map_key)
    store.push(nmap, FRAMEWORK, [POPULATION])
    absent = [r["constituency"] for r in store.absent_constituencies(map_key, FRAMEWORK)]
    assert absent == ["carers", "university"]
    # in "north": icb, mind, and the actors with no locality (voices, o'brien)
    north = [r["constituency"] for r in store.absent_constituencies(map_key, "test-framework", "north")]
    assert north == ["nhs_provider", "carers", "university"]
    missing = [(r["a"], r["b"]) for r in store.missing_links(map_key, FRAMEWORK)]
    # trust (nhs_provider) and voices (service_user_led) share no tie and no space; icb (commissioner)
    # funds mind (vcse_provider); the links to carers and the university are not gaps of their own,
    # as both constituencies are absent
    assert missing == [("nhs_provider", "service_user_led")]
    gaps = {(r["ego"], r["constituency"]) for r in store.ego_gaps(map_key, FRAMEWORK)}
    # the map's egos, with no reaches list in the framework: every constituency present in their locality.
    # trust (south): tied to icb (commissioner); shares the forum with o'brien (none); the south holds
    # isolate (vcse_provider) and voices (no locality: service_user_led). mind (north) reaches all the
    # north holds (the trust is in the south).
    assert gaps == {("trust", "vcse_provider"), ("trust", "service_user_led")}
    assert {r["constituency"] for r in store.ego_gaps(map_key, FRAMEWORK, ego="voices")} == \
        {"nhs_provider"}  # voices shares the board with icb (commissioner) and has no locality
    deps = store.cut_off_dependencies(map_key, FRAMEWORK)
    assert [(d["actor"], d["single_source"]) for d in deps] == [("mind", "icb")]
    coverage = {r["community"]: r for r in store.community_coverage(map_key, FRAMEWORK)}
    assert coverage["white"]["population_share"] == 70.0
    assert coverage["asian"]["actors_serving"] == 1  # voices serves pakistani, a detailed asian group
    assert coverage["black"]["actors_led_by"] == 1 and coverage["black"]["by_and_for_vcse"] == 1


# --------------------------------------------------------------------------- the bulk (staged) path


def _staged_leftovers(store: Store, key: str) -> int:
    return store.driver.execute_query(
        "MATCH (a:Actor) WHERE a.map STARTS WITH $prefix RETURN count(a) AS n",
        {"prefix": key + "~staging~"}).records[0]["n"]


@pytest.fixture
def bulk_settings(neo4j_settings: StoreSettings) -> StoreSettings:
    """Settings under which every first push takes the bulk path, in small batches."""
    return replace(neo4j_settings, bulk_rows=1, batch_size=7)


@pytest.mark.parametrize("writers", [1, 3])
def test_bulk_first_push_round_trip(bulk_settings: StoreSettings, map_key: str, writers: int) -> None:
    nmap = sample_map(map_key)
    extra = _bigger(map_key, n_actors=40, n_ties=200)  # enough ties for many batches
    nmap.actors += extra.actors
    nmap.ties += extra.ties
    batches: list[int] = []
    with Store(replace(bulk_settings, writers=writers)) as store:
        result = store.push(nmap, FRAMEWORK, [POPULATION], progress=lambda d, t: batches.append(d))
        assert result.created["maps"] == 1 and result.created["ties"] == 207
        assert batches[-1] == result.rows and len(batches) > 3
        assert store.pull(map_key) == nmap
        assert _staged_leftovers(store, map_key) == 0
        assert not store.push(nmap, FRAMEWORK, [POPULATION]).changed
        assert count_copies(store, map_key)["actors"] == 46


def test_bulk_push_failing_late_leaves_nothing(bulk_settings: StoreSettings, map_key: str) -> None:
    with Store(bulk_settings) as store:
        bad = _bigger(map_key)
        bad.ties.append(Tie("a1", "nobody", "refers_to", directed=True))
        with pytest.raises(StoreError, match="nobody"):
            store.push(bad, FRAMEWORK)
        assert count_copies(store, map_key)["maps"] == 0
        assert _staged_leftovers(store, map_key) == 0


def test_two_concurrent_bulk_pushes(bulk_settings: StoreSettings, store: Store, map_key: str) -> None:
    nmap = _bigger(map_key, n_actors=40, n_ties=200)
    assert not push_twice_at_once(bulk_settings, nmap, [], timeout=180)
    copies = count_copies(store, map_key)
    assert (copies["actors"], copies["actor_ids"], copies["ties"], copies["tie_keys"], copies["maps"]) == \
        (40, 40, 200, 200, 1)
    assert _staged_leftovers(store, map_key) == 0
    assert store.pull(map_key) == nmap


def test_stale_staged_data_is_removed(bulk_settings: StoreSettings, store: Store, map_key: str) -> None:
    old = f"{map_key}~staging~1000~deadbeef"
    store.driver.execute_query("UNWIND range(1, 30) AS i CREATE (:Actor {map: $old, id: toString(i), name: 'x'})",
                               {"old": old})
    with Store(bulk_settings) as bulk:
        bulk.push(sample_map(map_key), FRAMEWORK)
    assert _staged_leftovers(store, map_key) == 0
