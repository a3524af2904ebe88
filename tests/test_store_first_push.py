"""A map's first push sends its ties as columns, their ends named by element id: every stored
value comes back, defaults are not stored, and the bulk path and the one-transaction path store
the same thing (against a real Neo4j 5 server)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_store import FRAMEWORK

from netmap.model import Actor, Framework, NetworkMap, Tie
from netmap.store import Store, StoreSettings
from netmap.store.plan import Plan
from netmap.store.rows import tie_columns

pytestmark = pytest.mark.neo4j

TIES = [
    Tie("c", "a", "partnership", weight=3, since="2019", notes="met monthly"),  # stored a -> c, swapped
    Tie("a", "b", "funds", directed=True, trust=0.5, value=1200.0, until="2024", source="grants register"),
    Tie("b", "c", "partnership", reported_by=("a", "b")),
    Tie("c", "b", "refers_to", directed=True, weight=1),
    Tie("b", "a", "partnership", weight=0.5, trust=0, source="survey"),
]


def sample(key: str) -> NetworkMap:
    actors = [Actor(i, i.upper()) for i in ("a", "b", "c")]
    return NetworkMap(key, "First push", actors=actors, ties=list(TIES))


def stored_ties(store: Store, key: str) -> list[tuple[str, str, str, dict]]:
    rows = store.driver.execute_query(
        "MATCH (a:Actor {map: $map})-[r]->(b:Actor) WHERE NOT type(r) IN ['IN_CONSTITUENCY', 'SERVES'] "
        "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS p ORDER BY r.seq", {"map": key}).records
    return [(r["a"], r["type"], r["b"], r["p"]) for r in rows]


def test_columns_hold_only_the_values_that_are_not_defaults() -> None:
    plan = Plan.build(sample("m"), Framework("f", "F", ()), (), size=2)
    batches = [(t, c) for t, _, c in plan.tie_column_batches(["node-a", "node-b", "node-c"])]
    assert [(t, c["seq"]) for t, c in batches] == [("partnership", [0, 2]), ("partnership", [4]),
                                                   ("funds", [1]), ("refers_to", [3])]
    first = batches[0][1]
    assert first == {"start": ["node-a", "node-b"], "end": ["node-c", "node-c"], "seq": [0, 2], "directed": None,
                     "swapped": [True, None], "weight": [3.0, None], "trust": None, "value": None,
                     "since": ["2019", None], "until": None, "source": None, "notes": ["met monthly", None],
                     "reported_by": [None, ["a", "b"]]}
    assert tie_columns([TIES[4]], [4], {"a": 0, "b": 1}, ["x", "y"])["trust"] == [0.0]  # 0 is not a default


@pytest.mark.parametrize("bulk_rows", [1, 100_000], ids=["bulk", "one-transaction"])
def test_first_push_stores_every_tie_value(neo4j_settings: StoreSettings, map_key: str, bulk_rows: int) -> None:
    nmap = sample(map_key)
    with Store(replace(neo4j_settings, bulk_rows=bulk_rows, batch_size=2, writers=2)) as store:
        result = store.push(nmap, FRAMEWORK)
        assert result.created["ties"] == 5 and result.created["actors"] == 3
        assert stored_ties(store, map_key) == [
            ("a", "PARTNERSHIP", "c", {"swapped": True, "weight": 3.0, "since": "2019", "notes": "met monthly",
                                       "seq": 0}),
            ("a", "FUNDS", "b", {"directed": True, "trust": 0.5, "value": 1200.0, "until": "2024",
                                 "source": "grants register", "seq": 1}),
            ("b", "PARTNERSHIP", "c", {"reported_by": ["a", "b"], "seq": 2}),
            ("c", "REFERS_TO", "b", {"directed": True, "seq": 3}),
            ("a", "PARTNERSHIP", "b", {"swapped": True, "weight": 0.5, "trust": 0.0, "source": "survey", "seq": 4}),
        ]
        assert store.pull(map_key) == nmap
        assert store.push(nmap, FRAMEWORK).unchanged
