"""Exports round-trip: GraphML and GEXF read back in networkx, Kumu sheets read back by netmap."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import browser
import networkx as nx
import pytest

from netmap.errors import OutputError
from netmap.graph import build_graph
from netmap.model import CO_MEMBERSHIP, Actor, NetworkMap, Tie
from netmap.render.documents import analysis_document
from netmap.render.export import EXPORT_FORMATS, default_export_path, export, export_graph, kumu_tables
from netmap.workflows import export_file, run_map
from netmap.workspace import config_text, load_workspace


def _same_graph(written: nx.Graph, back: nx.Graph, *, ignore_node=(), ignore_edge=()) -> None:
    assert set(back.nodes) == set(written.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in written.edges}
    for v, data in written.nodes(data=True):
        got = {k: x for k, x in back.nodes[v].items() if k not in ignore_node}
        assert got == data, v
        for key, value in data.items():
            assert type(got[key]) is type(value), (v, key)
    for u, v, data in written.edges(data=True):
        got = {k: x for k, x in back.edges[u, v].items() if k not in ignore_edge}
        assert got == data, (u, v)


@pytest.mark.parametrize("site", ["tricky", "manchester"])
def test_graphml_round_trip(tmp_path, site, request):
    result = request.getfixturevalue(site)
    path = export(result, "graphml", tmp_path / "map.graphml")
    written = export_graph(result)
    _same_graph(written, nx.read_graphml(path))
    assert set(written) == set(result.analysis.graph)


@pytest.mark.parametrize("site", ["tricky", "manchester"])
def test_gexf_round_trip(tmp_path, site, request):
    result = request.getfixturevalue(site)
    path = export(result, "gexf", tmp_path / "map.gexf")
    back = nx.read_gexf(path, node_type=str)
    _same_graph(export_graph(result), back, ignore_node={"viz"}, ignore_edge={"id"})
    viz = back.nodes[next(iter(back))]["viz"]
    assert {"color", "size", "position"} <= set(viz)


def test_graph_attributes_are_flat_and_typed(tricky):
    H = export_graph(tricky)
    x1 = H.nodes["x1"]
    assert x1["label"] == browser.XSS_NAMES[0]
    assert x1["communities"] == "caribbean" and isinstance(x1["led_by_community"], bool)
    assert H.nodes["vcs"]["constituencies"] == "vcse_provider; community_group"
    assert isinstance(x1["degree"], int) and isinstance(x1["betweenness"], float)
    assert isinstance(x1["is_cut_vertex"], bool) and x1["role"]
    assert "constraint" not in H.nodes["lonely"]  # NaN (no ties) is left out, not written as "nan"
    funds = H.edges["icb", "vcs"]
    assert funds["tie_type"] == "funds" and funds["directed"] is True and funds["weight"] == 2.0
    u, _ = next((u, v) for u, v in H.edges() if {u, v} == {"icb", "vcs"})
    assert funds["direction"] == ("forward" if u == "icb" else "backward")
    co = H.edges["x1", "faith"]
    assert co["types"] == CO_MEMBERSHIP and co["spaces"] == "forum" and co["directed"] is False
    for _, data in H.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())


def test_csv_tables(tmp_path, tricky):
    folder = export(tricky, "csv", tmp_path / "tables")
    names = {p.name for p in folder.iterdir()}
    assert {"actors.csv", "edges.csv", "ties.csv", "memberships.csv", "constituencies.csv", "findings.csv",
            "mixing_observed.csv", "mixing_expected.csv", "community_coverage.csv", "summary.csv"} <= names
    with (folder / "actors.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(tricky.nmap.actors)
    row = next(r for r in rows if r["id"] == "x1")
    assert row["name"] == browser.XSS_NAMES[0] and row["community_names"] == "Caribbean"
    assert {"betweenness", "pagerank", "role", "primary_label", "findings"} <= set(row)
    with (folder / "findings.csv").open(encoding="utf-8", newline="") as handle:
        findings = list(csv.DictReader(handle))
    assert len(findings) == len(tricky.findings)
    assert all(json.loads(f["data"]) is not None for f in findings)
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == tricky.analysis.graph.number_of_edges()


def test_json_is_the_analysis_document(tmp_path, tricky):
    path = export(tricky, "json", tmp_path / "analysis.json")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(analysis_document(tricky)))


def _read_kumu(tmp_path: Path, result) -> NetworkMap:
    folder = tmp_path / "kumu"
    export(result, "kumu", folder / "map.xlsx")
    (folder / "netmap.toml").write_text(config_text(result.nmap), encoding="utf-8")
    back, report = load_workspace(folder)
    assert report.ok, [str(p) for p in report.problems]
    return back


def _actors(nmap: NetworkMap) -> dict:
    return {a.id: (a.name, a.constituencies, a.communities, a.notes) for a in nmap.actors}


@pytest.mark.parametrize("site", ["tricky", "manchester"])
def test_kumu_round_trip(tmp_path, site, request):
    result = request.getfixturevalue(site)
    back = _read_kumu(tmp_path, result)
    assert _actors(back) == _actors(result.nmap)
    direct = {(t.from_id, t.to_id, t.type, t.directed) for t in back.ties if t.type != CO_MEMBERSHIP}
    assert direct == {(t.from_id, t.to_id, t.type, t.directed) for t in result.nmap.ties}
    # co-membership of spaces travels as co_member connections: the same graph comes back
    original = {frozenset(e) for e in build_graph(result.nmap).edges}
    assert {frozenset(e) for e in build_graph(back, co_membership=False).edges} == original


def test_kumu_uses_ids_when_names_clash(tmp_path):
    nmap = NetworkMap("clash", "Clash", actors=[
        Actor("a", "Same Name", ("commissioner",)), Actor("b", "Same  name!", ("vcse_provider",)),
        Actor("c", "a", ("faith_group",))], ties=[Tie("a", "b", "funds", directed=True), Tie("b", "c")])
    result = run_map(nmap, "whole-system")
    _, _, _, connections = kumu_tables(result)
    assert connections[0][:2] == ["a", "b"]
    back = _read_kumu(tmp_path, result)
    assert {(t.from_id, t.to_id, t.type) for t in back.ties} == {("a", "b", "funds"), ("b", "c", "partnership")}


def test_every_format_and_default_paths(tmp_path, tricky, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for fmt in EXPORT_FORMATS:
        path = export_file(tricky, fmt)
        assert path == default_export_path(tricky, fmt) and path.exists()
    assert default_export_path(tricky, "kumu") == Path("tricky.xlsx")
    with pytest.raises(OutputError, match="unknown export format 'pdf'"):
        export(tricky, "pdf", tmp_path / "x.pdf")
