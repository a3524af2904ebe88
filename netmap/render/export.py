"""Exports for researchers and other tools: GraphML, GEXF, CSV tables, JSON and Kumu sheets.

:func:`export` writes one format:

``graphml``
    the analysis graph (one edge per tied pair) with every node and edge
    attribute: the actor's fields, every metric, its Louvain community and a
    layout (``x``, ``y``, ``size``, ``r``, ``g``, ``b``, which Gephi reads).
    GraphML cannot hold lists, so lists are joined with ``"; "``; booleans,
    integers and floats keep their types; missing numbers are left out.
``gexf``
    the same graph in GEXF 1.2 (valid against the published 1.2draft schema,
    ``tests/schemas/``), with Gephi's ``viz`` colour, size and position; the
    map's title is the ``<meta>`` description.
``csv``
    a folder of tables: ``actors.csv`` (fields and metrics), ``edges.csv``
    (tied pairs), ``ties.csv`` and ``memberships.csv`` (as in the workspace),
    ``constituencies.csv``, ``findings.csv``, ``mixing_observed.csv``,
    ``mixing_expected.csv``, ``community_coverage.csv`` and ``summary.csv``.
``json``
    :func:`netmap.render.documents.analysis_document`, the whole analysis (with
    ``--suppress-small`` N, small counts of its count tables as null: see docs/outputs.md).
``kumu``
    an XLSX workbook with Kumu's ``Elements`` and ``Connections`` sheets,
    which netmap's own importer reads back to the same actors and ties.

Every file is written through a temporary file, and the CSV folder as a whole
(:mod:`netmap.fileio`), so a failure leaves nothing half-written. Outputs are
safe to open: CSV text cells that a spreadsheet would take for a formula get a
leading apostrophe and XLSX cells are typed text, never formulas
(:mod:`netmap.cells`; netmap's readers undo the apostrophe); GraphML and GEXF
hold no character XML cannot, so they are always well-formed.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from netmap.cells import safe_frame, xml_text
from netmap.errors import OutputError
from netmap.fileio import csv_text, write_bytes_atomically, write_files_atomically
from netmap.gaps import community_coverage, findings_frame
from netmap.model import CO_MEMBERSHIP
from netmap.privacy import suppress_small, suppress_small_records
from netmap.reference import census_groups, map_profiles
from netmap.render.documents import analysis_document, json_safe
from netmap.render.layout import map_layout
from netmap.render.outputs import EXPORT_FORMATS, default_output_path, output_stem
from netmap.render.style import UNCLASSIFIED_COLOUR, constituency_colours, main_tie_type
from netmap.scopes import locality_actor_ids
from netmap.workspace import normalise_name
from netmap.workspace.write import membership_rows, tie_rows

if TYPE_CHECKING:
    from netmap.result import Result

__all__ = ["EXPORT_FORMATS", "LIST_SEPARATOR", "default_export_path", "export", "export_graph", "kumu_tables"]

#: How list attributes are joined in GraphML and GEXF (neither can hold lists).
LIST_SEPARATOR = "; "


def default_export_path(result: Result, fmt: str) -> Path:
    """Where ``netmap export`` writes by default: ``<name>.<suffix>`` (a folder ``<name>-csv`` for CSV).

    ``<name>`` is the workspace folder's name, else the map key (:func:`netmap.render.outputs.output_stem`).
    """
    _check(fmt)
    return default_output_path(fmt, output_stem(result.nmap, result.folder))


def _check(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise OutputError(f"unknown export format '{fmt}': choose one of {', '.join(EXPORT_FORMATS)}")


# --------------------------------------------------------------------------- values


def _plain(value: Any) -> Any:
    """A GraphML/GEXF-safe value: lists joined, numpy scalars made Python, NaN/None dropped (None), and
    text without the characters XML cannot hold."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return xml_text(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (bool, int, float)):
        return value
    return xml_text(str(value))


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


# --------------------------------------------------------------------------- the graph


def export_graph(result: Result, *, layout: bool = True) -> nx.Graph:
    """The analysis graph with flat, typed attributes for GraphML and GEXF.

    Node attributes: the graph's own (``name``, ``kind``, ``constituencies``,
    ``primary``, ``sector``, ``communities``, ``locality``,
    ``led_by_community``, ``lived_experience_led``, ``scale``), ``label``
    (the name), ``primary_label``, ``constituency_labels``, ``aliases``,
    ``source``, ``notes``, any extra workspace columns, every metric of
    the analysis (``degree`` ... ``role``, ``community``) and, with
    ``layout``, ``x``, ``y`` (the map's layout), ``size``, ``r``, ``g``, ``b``. Edge
    attributes: ``weight``, ``types``, ``spaces``, ``ties``, ``tie_type`` (the
    type the map draws; GEXF reserves ``type``), ``directed`` and ``direction`` (``forward``, ``backward``,
    ``both`` or ``""``: direction of the directed ties relative to the edge's
    ends). Lists are joined with ``"; "``.
    """
    a = result.analysis
    G, D = a.graph, a.digraph
    fw = result.framework
    index = result.nmap.actor_index()
    H = nx.Graph(name=xml_text(result.title), key=xml_text(result.nmap.key), framework=xml_text(fw.key))
    metrics = a.actors
    colours = constituency_colours(fw.keys, [G.nodes[v].get("primary", "") for v in G])
    positions = map_layout(result) if layout and len(G) else {}
    top = float(metrics["betweenness"].fillna(0).max()) if len(metrics) else 0.0
    skip = {"name", "primary", "sector", "locality"}
    for v, attrs in G.nodes(data=True):
        data: dict[str, Any] = {k: _plain(val) for k, val in attrs.items()}
        data["label"] = xml_text(str(attrs.get("name", v)))
        data["primary_label"] = fw.label(attrs["primary"]) if attrs.get("primary") else "Unclassified"
        data["constituency_labels"] = _plain([fw.label(c) for c in attrs.get("constituencies", [])])
        actor = index.get(v)
        if actor is not None:
            data["aliases"] = _plain(list(actor.aliases))
            data["source"] = _plain(actor.source)
            data["notes"] = _plain(actor.notes)
            for key, val in actor.attributes.items():
                data.setdefault(xml_text(key), _plain(str(val)))
        if v in metrics.index:
            for column, val in metrics.loc[v].items():
                if column not in skip:
                    data[str(column)] = _plain(val)
        if positions:
            x, y = positions[v]
            betweenness = float(np.nan_to_num(metrics.at[v, "betweenness"])) if v in metrics.index else 0.0
            data["x"], data["y"] = float(x), float(-y)
            data["size"] = round(6.0 + 24.0 * math.sqrt(betweenness / top), 3) if top > 0 else 12.0
            data["r"], data["g"], data["b"] = _hex_rgb(colours.get(attrs.get("primary") or "", UNCLASSIFIED_COLOUR))
        H.add_node(xml_text(str(v)), **{k: val for k, val in data.items() if val is not None})
    for u, v, attrs in G.edges(data=True):
        data = {k: _plain(val) for k, val in attrs.items()}
        forward = D.has_edge(u, v) and bool(D.edges[u, v].get("directed"))
        backward = D.has_edge(v, u) and bool(D.edges[v, u].get("directed"))
        data["tie_type"] = main_tie_type(attrs.get("types", []))
        data["directed"] = forward or backward
        data["direction"] = "both" if forward and backward else "forward" if forward else "backward" if backward else ""
        data["weight"] = float(attrs.get("weight", 1.0))
        H.add_edge(xml_text(str(u)), xml_text(str(v)), **{k: val for k, val in data.items() if val is not None})
    return H


#: Node data networkx's GEXF writer takes for GEXF's own attributes (a workspace column may be named so).
_GEXF_RESERVED = ("id", "pid", "start", "end", "startopen", "endopen", "spells", "viz")


def _gexf_graph(H: nx.Graph) -> nx.Graph:
    """A copy of ``H`` with Gephi's ``viz`` attributes (colour, size, position) for GEXF.

    A workspace column named as one of GEXF's own attributes (``start``, ``pid`` ...) is kept as
    ``<name>_value``, so it stays data and the file stays valid.
    """
    G = H.copy()
    for _, data in G.nodes(data=True):
        for key in _GEXF_RESERVED:
            if key in data:
                data[f"{key}_value"] = data.pop(key)
        if {"x", "y", "size", "r", "g", "b"} <= set(data):
            data["viz"] = {"color": {"r": int(data["r"]), "g": int(data["g"]), "b": int(data["b"]), "a": 1.0},
                           "size": float(data["size"]),
                           "position": {"x": float(data["x"]), "y": float(data["y"]), "z": 0.0}}
    return G


# --------------------------------------------------------------------------- writing


def _frame_csv(frame, index_label: str | None = None) -> str:
    """CSV of a DataFrame: lists joined, text cells neutralised against formula injection."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].map(lambda x: isinstance(x, (list, tuple))).any():
            frame[column] = frame[column].map(lambda x: LIST_SEPARATOR.join(map(str, x))
                                              if isinstance(x, (list, tuple)) else x)
    return safe_frame(frame).to_csv(index=index_label is not None, index_label=index_label)


def _gexf_bytes(H: nx.Graph) -> bytes:
    """GEXF 1.2 of the export graph, with the title in ``<meta>`` (the schema has no ``name`` on ``<graph>``)."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(_gexf_graph(H))
    writer.graph_element.attrib.pop("name", None)
    meta = writer.xml.find("meta")
    if meta is not None:
        SubElement(meta, "keywords").text = f"netmap; map {H.graph.get('key', '')}; framework " \
                                            f"{H.graph.get('framework', '')}"
        SubElement(meta, "description").text = str(H.graph.get("name", ""))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _csv_files(result: Result) -> dict[str, str]:
    a = result.analysis
    fw = result.framework
    G = a.graph
    groups = census_groups()
    actors = a.actors.copy()
    index = result.nmap.actor_index()
    per_actor: dict[str, int] = {}
    for f in result.findings:
        actor = f.data.get("actor") if isinstance(f.data, dict) else None
        if actor:
            per_actor[str(actor)] = per_actor.get(str(actor), 0) + 1
    extra = {
        "kind": [index[v].kind if v in index else "" for v in actors.index],
        "constituencies": [LIST_SEPARATOR.join(G.nodes[v].get("constituencies", [])) for v in actors.index],
        "constituency_labels": [LIST_SEPARATOR.join(fw.label(c) for c in G.nodes[v].get("constituencies", []))
                                for v in actors.index],
        "communities": [LIST_SEPARATOR.join(G.nodes[v].get("communities", [])) for v in actors.index],
        "community_names": [LIST_SEPARATOR.join(groups[c].name if c in groups else c
                                                for c in G.nodes[v].get("communities", [])) for v in actors.index],
        "led_by_community": [bool(G.nodes[v].get("led_by_community")) for v in actors.index],
        "lived_experience_led": [bool(G.nodes[v].get("lived_experience_led")) for v in actors.index],
        "scale": [G.nodes[v].get("scale", "") for v in actors.index],
        "findings": [per_actor.get(str(v), 0) for v in actors.index],
        "source": [index[v].source if v in index else "" for v in actors.index],
    }
    for column, values in extra.items():
        actors.insert(len(actors.columns), column, values)
    actors.insert(actors.columns.get_loc("primary") + 1, "primary_label",
                  [fw.label(p) if p else "Unclassified" for p in actors["primary"]])
    edges = [[u, v, _plain(d.get("types", [])), _plain(d.get("spaces", [])), d.get("weight", 1.0), d.get("ties", 1)]
             for u, v, d in G.edges(data=True)]
    findings = findings_frame(result.findings)
    findings["data"] = findings["data"].map(lambda d: json.dumps(json_safe(d), ensure_ascii=False, sort_keys=True))
    coverage = []
    profiles = map_profiles(result.nmap)
    for loc in result.nmap.localities:
        if loc.population and loc.population in profiles:
            frame = community_coverage(G, a.actors, profiles[loc.population], locality_actor_ids(result.nmap, loc.key))
            frame = frame.reset_index()
            frame.insert(0, "locality", loc.key)
            frame.insert(1, "profile", loc.population)
            coverage.append(frame)
    small = result.nmap.suppress_small  # counts of 1 to small-1 are shown as <small (--suppress-small)
    coverage_csv = _frame_csv(suppress_small(pd.concat(coverage, ignore_index=True), small)) if coverage else csv_text(
        ["locality", "profile", "group", "name", "population_share", "organisations", "led_by", "org_share",
         "voice", "voice_ratio", "actors"], [])
    summary = [[k, "" if v is None else v] for k, v in json_safe(a.summary).items()]
    summary += [["blau_heterogeneity", json_safe(a.blau)], ["ei_index", json_safe(a.ei)],
                ["framework", fw.key], ["map", result.nmap.key]]
    return {
        "actors.csv": _frame_csv(actors, "id"),
        "edges.csv": csv_text(["source", "target", "types", "spaces", "weight", "ties"], edges),
        "ties.csv": csv_text(*tie_rows(result.nmap.ties)),
        "memberships.csv": csv_text(*membership_rows(result.nmap.memberships)),
        "constituencies.csv": _frame_csv(suppress_small(a.constituencies, small), "constituency"),
        "findings.csv": _frame_csv(findings),
        "mixing_observed.csv": _frame_csv(a.mixing_observed, "primary"),
        "mixing_expected.csv": _frame_csv(a.mixing_expected, "primary"),
        "community_coverage.csv": coverage_csv,
        "summary.csv": csv_text(["measure", "value"], [[k, "" if v is None else v] for k, v in summary]),
    }


def _json_document(result: Result) -> dict[str, Any]:
    """:func:`analysis_document`, with ``--suppress-small`` N applied to its two count tables.

    ``constituencies`` and each locality's ``community_coverage`` rows get their counts of 1 to N-1
    (and the share and actor list beside them) as null, and a ``hidden`` list naming those fields
    (:func:`netmap.privacy.suppress_small_records`); ``suppress_small`` at the top says N. Without it
    the document is the one ``netmap analyse --json`` prints.
    """
    document = analysis_document(result)
    small = result.nmap.suppress_small
    if not small:
        return document
    document["suppress_small"] = small
    document["constituencies"] = suppress_small_records(document["constituencies"], small)
    document["community_coverage"] = {locality: suppress_small_records(rows, small)
                                      for locality, rows in document["community_coverage"].items()}
    return document


# --------------------------------------------------------------------------- kumu


def _safe_label(text: str, key: str) -> str:
    """A label for a Kumu multi-value cell: the key itself if the label holds a separator."""
    return key if ("|" in text or ";" in text) else text


def kumu_tables(result: Result) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]]]:
    """Kumu's Elements and Connections rows: ``(element header, rows, connection header, rows)``.

    Elements: ``Label``, ``Type`` (the primary constituency's label),
    ``Tags`` (the other constituencies and the communities, ``|``-separated),
    ``ID``, ``Description`` (the actor's notes), then ``Locality``,
    ``Sector``, ``Role``, ``Degree``, ``Betweenness``. Connections: ``From``,
    ``To`` (element labels, or IDs when labels are not unique), ``Type``,
    ``Direction`` (``directed`` or ``undirected``), ``Strength``,
    ``Description``: one row per tie of the map, plus one ``co_member`` row per
    pair of actors who share a space (what the map draws as a dashed tie).
    """
    fw = result.framework
    groups = census_groups()
    actors = result.analysis.actors
    G = result.analysis.graph
    ids = {a.id for a in result.nmap.actors}
    names = [normalise_name(a.name) for a in result.nmap.actors]
    unique = len(set(names)) == len(names) and not any(a.name in ids for a in result.nmap.actors)
    ref = {a.id: (a.name if unique else a.id) for a in result.nmap.actors}
    element_header = ["Label", "Type", "Tags", "ID", "Description", "Locality", "Sector", "Role", "Degree",
                      "Betweenness"]
    elements = []
    for a in result.nmap.actors:
        labels = [_safe_label(fw.label(c), c) for c in a.constituencies]
        tags = labels[1:] + [_safe_label(groups[c].name, c) if c in groups else c for c in a.communities]
        row = actors.loc[a.id] if a.id in actors.index else None
        elements.append([a.name, labels[0] if labels else "", " | ".join(tags), a.id, a.notes, a.locality,
                         fw.sector_of(a), "" if row is None else str(row["role"]),
                         None if row is None else int(row["degree"]),
                         None if row is None else round(float(row["betweenness"]), 6)])
    connection_header = ["From", "To", "Type", "Direction", "Strength", "Description"]
    connections = []
    for t in result.nmap.ties:
        if t.from_id in ref and t.to_id in ref:
            connections.append([ref[t.from_id], ref[t.to_id], t.type, "directed" if t.directed else "undirected",
                                t.weight, t.notes])
    spaces = {s.id: s.name for s in result.nmap.spaces}
    for u, v, data in G.edges(data=True):
        if CO_MEMBERSHIP in data.get("types", []) and u in ref and v in ref:
            shared = "; ".join(spaces.get(s, s) for s in data.get("spaces", []))
            connections.append([ref[u], ref[v], CO_MEMBERSHIP, "undirected", len(data.get("spaces", [])) or 1,
                                f"Sit together in: {shared}" if shared else ""])
    return element_header, elements, connection_header, connections


def _append_rows(sheet, rows: list[list[Any]]) -> None:
    """Append rows to a worksheet with every text as a text cell: openpyxl would make ``=...`` a formula."""
    for row in rows:
        sheet.append([xml_text(v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _kumu_bytes(result: Result) -> bytes:
    from openpyxl import Workbook  # slow to import, and only this format needs it

    element_header, elements, connection_header, connections = kumu_tables(result)
    book = Workbook()
    sheet = book.active
    sheet.title = "Elements"
    _append_rows(sheet, [element_header, *elements])
    links = book.create_sheet("Connections")
    _append_rows(links, [connection_header, *connections])
    for ws in (sheet, links):
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- entry point


def export(result: Result, fmt: str, out_path: str | Path) -> Path:
    """Write ``result`` in format ``fmt`` (one of :data:`EXPORT_FORMATS`) to ``out_path``.

    ``out_path`` is a file, except for ``csv``, where it is a folder (made if
    needed). Returns the path written.
    """
    _check(fmt)
    path = Path(out_path)
    if fmt == "csv":
        write_files_atomically(path, _csv_files(result))
        result.outputs["csv"] = path
        return path
    if fmt == "json":
        text = json.dumps(_json_document(result), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        data = text.encode("utf-8")
    elif fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(export_graph(result), buffer, encoding="utf-8", prettyprint=True)
        data = buffer.getvalue()
    elif fmt == "gexf":
        data = _gexf_bytes(export_graph(result))
    else:
        data = _kumu_bytes(result)
    write_bytes_atomically(path, data)
    result.outputs[fmt] = path
    return path


def read_back(path: str | Path, fmt: str) -> nx.Graph:
    """Read a GraphML or GEXF export back with networkx (used by the tests and handy in a notebook)."""
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path, node_type=str)
    raise OutputError(f"cannot read back format '{fmt}'")

