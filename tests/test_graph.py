"""Tests of netmap.graph: the graphs built from a NetworkMap."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.graph import build_digraph, build_graph, node_attributes
from netmap.model import CO_MEMBERSHIP, Actor, Constituency, Framework, Membership, NetworkMap, Space, Tie

FRAMEWORK = Framework(
    "test",
    "Test",
    constituencies=(
        Constituency("nhs", "NHS provider", "statutory"),
        Constituency("vcse", "Voluntary organisation", "vcse"),
    ),
)


def _map(actors, ties=(), spaces=(), memberships=()) -> NetworkMap:
    return NetworkMap(
        "t", "Test", actors=list(actors), ties=list(ties), spaces=list(spaces), memberships=list(memberships)
    )


def test_every_actor_is_a_node_with_its_attributes():
    nmap = _map(
        [
            Actor(
                "trust",
                "The Trust",
                ("nhs", "vcse"),
                communities=("black",),
                locality="leeds",
                led_by_community=True,
                scale="regional",
            ),
            Actor("lonely", "Nobody's partner"),
            Actor("citizen", "A person", ("vcse",), kind="individual", lived_experience_led=True),
        ]
    )
    G = build_graph(nmap, FRAMEWORK)
    assert list(G) == ["trust", "lonely", "citizen"]
    assert G.number_of_edges() == 0
    assert G.nodes["trust"] == {
        "name": "The Trust",
        "kind": "organisation",
        "constituencies": ["nhs", "vcse"],
        "primary": "nhs",
        "sector": "statutory",
        "communities": ["black"],
        "locality": "leeds",
        "led_by_community": True,
        "lived_experience_led": False,
        "scale": "regional",
    }
    assert G.nodes["lonely"]["primary"] == ""
    assert G.nodes["lonely"]["sector"] == "unknown"  # Framework.sector_of of an unclassified actor
    assert G.nodes["citizen"]["sector"] == "individual"
    assert G.nodes["citizen"]["lived_experience_led"] is True
    # Without a framework the sector is left empty.
    assert build_graph(nmap).nodes["trust"]["sector"] == ""
    assert node_attributes(nmap.actors[0], FRAMEWORK) == G.nodes["trust"]


def test_ties_are_merged_and_bad_ends_skipped():
    nmap = _map(
        [Actor(x, x) for x in "abc"],
        ties=[
            Tie("a", "b", "partnership", weight=2.0),
            Tie("b", "a", "funds", directed=True, weight=0.5),
            Tie("a", "b", "partnership"),
            Tie("a", "ghost"),  # unknown actor: skipped
            Tie("c", "c"),  # self-tie: skipped
        ],
    )
    G = build_graph(nmap)
    assert sorted(G.edges()) == [("a", "b")]
    assert G.edges["a", "b"] == {"weight": 3.5, "types": ["funds", "partnership"], "spaces": [], "ties": 3}
    assert "ghost" not in G
    assert G.degree("c") == 0


def test_space_with_four_members_projects_to_k4():
    actors = [Actor(x, x) for x in "abcde"]
    memberships = [Membership(x, "forum") for x in "abcd"] + [Membership("a", "forum", role="chair")]
    G = build_graph(_map(actors, spaces=[Space("forum", "Forum")], memberships=memberships))
    assert nx.is_isomorphic(G.subgraph("abcd"), nx.complete_graph(4))
    assert G.number_of_edges() == 6  # 4 * 3 / 2; the duplicated membership of a counts once
    assert G.degree("e") == 0
    for _, _, data in G.edges(data=True):
        assert data == {"weight": 1.0, "types": [CO_MEMBERSHIP], "spaces": ["forum"], "ties": 1}


def test_two_shared_spaces_give_weight_two_and_merge_with_ties():
    actors = [Actor(x, x) for x in "abc"]
    memberships = [
        Membership("a", "board"),
        Membership("b", "board"),
        Membership("a", "forum"),
        Membership("b", "forum"),
        Membership("c", "forum"),
        Membership("ghost", "forum"),  # unknown actor: skipped
    ]
    spaces = [Space("board", "Board"), Space("forum", "Forum")]
    G = build_graph(_map(actors, [Tie("a", "b", "refers_to", directed=True)], spaces, memberships))
    assert G.edges["a", "b"] == {
        "weight": 3.0,  # 1 (tie) + 1 (board) + 1 (forum)
        "types": ["co_member", "refers_to"],
        "spaces": ["board", "forum"],
        "ties": 3,
    }
    assert G.edges["a", "c"] == {"weight": 1.0, "types": ["co_member"], "spaces": ["forum"], "ties": 1}
    G_direct = build_graph(_map(actors, [Tie("a", "b")], spaces, memberships), co_membership=False)
    assert sorted(G_direct.edges()) == [("a", "b")]


def test_digraph_keeps_direction_and_doubles_undirected_ties():
    nmap = _map(
        [Actor(x, x) for x in "abcd"],
        ties=[
            Tie("a", "b", "funds", directed=True, weight=2.0),
            Tie("b", "c", "partnership"),
            Tie("c", "d", "refers_to", directed=True),
            Tie("c", "d", "partnership"),
            Tie("d", "ghost"),
        ],
        spaces=[Space("s", "S")],
        memberships=[Membership("a", "s"), Membership("d", "s")],
    )
    D = build_digraph(nmap)
    assert set(D.edges()) == {("a", "b"), ("b", "c"), ("c", "b"), ("c", "d"), ("d", "c")}
    assert D.edges["a", "b"] == {"weight": 2.0, "types": ["funds"], "ties": 1, "directed": True}
    assert D.edges["c", "d"] == {
        "weight": 2.0,
        "types": ["partnership", "refers_to"],
        "ties": 2,
        "directed": True,
    }
    assert D.edges["d", "c"]["directed"] is False
    assert not D.has_edge("a", "d")  # co-membership is not a direct tie
    assert D.nodes["a"]["name"] == "a"


# --------------------------------------------------------------------------- property tests

IDS = [f"x{i}" for i in range(8)]


@st.composite
def maps(draw) -> NetworkMap:
    n = draw(st.integers(0, len(IDS)))
    ids = IDS[:n]
    actors = [Actor(i, i.upper(), tuple(draw(st.lists(st.sampled_from(["nhs", "vcse"]), max_size=2)))) for i in ids]
    ends = st.sampled_from([*ids, "ghost"])
    ties = draw(
        st.lists(
            st.builds(
                Tie,
                from_id=ends,
                to_id=ends,
                type=st.sampled_from(["partnership", "funds", "refers_to"]),
                directed=st.booleans(),
                weight=st.sampled_from([0.5, 1.0, 2.0]),
            ),
            max_size=12,
        )
    )
    spaces = [Space(f"s{k}", f"Space {k}") for k in range(draw(st.integers(0, 3)))]
    memberships = [
        Membership(actor, space.id)
        for space in spaces
        for actor in draw(st.lists(st.sampled_from([*ids, "ghost"]), max_size=5))
    ]
    return _map(actors, ties, spaces, memberships)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_build_graph_matches_ties_plus_projection(nmap):
    G = build_graph(nmap)
    ids = [a.id for a in nmap.actors]
    assert list(G) == ids
    assert nx.number_of_selfloops(G) == 0
    expected: dict[frozenset, dict] = {}
    for tie in nmap.ties:
        if tie.from_id in ids and tie.to_id in ids and tie.from_id != tie.to_id:
            e = expected.setdefault(frozenset((tie.from_id, tie.to_id)), {"weight": 0.0, "ties": 0, "spaces": set()})
            e["weight"] += tie.weight
            e["ties"] += 1
    members: dict[str, set] = {}
    for m in nmap.memberships:
        if m.actor_id in ids:
            members.setdefault(m.space_id, set()).add(m.actor_id)
    for space, group in members.items():
        for u, v in combinations(sorted(group), 2):
            e = expected.setdefault(frozenset((u, v)), {"weight": 0.0, "ties": 0, "spaces": set()})
            e["weight"] += 1
            e["ties"] += 1
            e["spaces"].add(space)
    assert {frozenset(e) for e in G.edges()} == set(expected)
    for u, v, data in G.edges(data=True):
        e = expected[frozenset((u, v))]
        assert data["weight"] == e["weight"]
        assert data["ties"] == e["ties"]
        assert data["spaces"] == sorted(e["spaces"])
        assert data["types"] == sorted(set(data["types"]))
        assert (CO_MEMBERSHIP in data["types"]) == bool(e["spaces"])
    # Without co-membership only the direct ties remain; with it, nothing is lost.
    direct = build_graph(nmap, co_membership=False)
    assert set(direct.edges()) <= {tuple(e) for e in G.edges()} | {tuple(reversed(e)) for e in G.edges()}


@settings(max_examples=60, deadline=None)
@given(maps())
def test_digraph_arcs_follow_tie_direction(nmap):
    D = build_digraph(nmap)
    G = build_graph(nmap, co_membership=False)
    ids = {a.id for a in nmap.actors}
    arcs = set()
    for tie in nmap.ties:
        if tie.from_id in ids and tie.to_id in ids and tie.from_id != tie.to_id:
            arcs.add((tie.from_id, tie.to_id))
            if not tie.directed:
                arcs.add((tie.to_id, tie.from_id))
    assert set(D.edges()) == arcs
    assert nx.Graph(D.to_undirected()).number_of_edges() == G.number_of_edges()
