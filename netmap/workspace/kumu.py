"""Kumu workbooks: turning a Kumu export's Elements and Connections sheets into actors and ties.

Element types and tags that name a constituency or a Census community become
those; anything else is kept in the actor's notes.
"""

from __future__ import annotations

import re

from netmap.model import Actor, Tie, is_identifier, split_list, tie_is_directed
from netmap.workspace.names import NameIndex, normalise_name, slugify
from netmap.workspace.problems import ValidationReport
from netmap.workspace.tables import Table
from netmap.workspace.validate import Vocabulary, resolve
from netmap.workspace.values import RowReader


def kumu_tables(tables: dict[str, Table], vocab: Vocabulary, report: ValidationReport,
                rows: dict[str, int]) -> tuple[list[Actor], list[Tie]]:
    """Turn Kumu's Elements/Connections sheets into actors and ties; ``rows`` gets each actor's row."""
    elements = tables["elements"]
    if "label" not in elements.header:
        report.error(elements.file, "missing required column 'Label'", row=1, column="Label", code="missing_column")
        return [], []
    actors = _elements(elements, vocab, report, rows)
    connections = tables.get("connections")
    if connections is None:
        return actors, []
    for column in ("from", "to"):
        if column not in connections.header:
            report.error(connections.file, f"missing required column '{column.title()}'", row=1,
                         column=column.title(), code="missing_column")
            return actors, []
    return actors, _connections(connections, NameIndex(actors), report)


def _elements(elements: Table, vocab: Vocabulary, report: ValidationReport, rows: dict[str, int]) -> list[Actor]:
    actors: list[Actor] = []
    used: set[str] = set()
    for number, cells in elements.rows:
        r = RowReader(report, elements.file, number, cells)
        label = r.required("label")
        if not label:
            continue
        actor_id = r.text("id") or slugify(label)
        base, n = actor_id, 2
        while actor_id in used:
            actor_id, n = f"{base}-{n}", n + 1
        used.add(actor_id)
        rows[actor_id] = number
        constituencies, communities, other = [], [], []
        for item in (*split_list(r.text("type")), *split_list(r.text("tags"))):
            norm = normalise_name(item)
            if norm in vocab.constituency_lookup:
                constituencies.append(vocab.constituency_lookup[norm])
            elif norm in vocab.community_lookup:
                communities.append(vocab.community_lookup[norm])
            else:
                other.append(item)
        if other:
            r.warning("tags", f"'{'; '.join(other)}' matches no constituency or community; kept in notes",
                      "unmatched_tag")
        notes = "; ".join(x for x in (r.text("description"), ("tags: " + "; ".join(other)) if other else "") if x)
        actors.append(Actor(id=actor_id, name=label, constituencies=tuple(dict.fromkeys(constituencies)),
                            communities=tuple(dict.fromkeys(communities)), source=elements.file, notes=notes))
    return actors


def _connections(connections: Table, index: NameIndex, report: ValidationReport) -> list[Tie]:
    ties: list[Tie] = []
    seen: set[tuple[str, str, str]] = set()
    for number, cells in connections.rows:
        r = RowReader(report, connections.file, number, cells)
        a, b = resolve(r, "from", index), resolve(r, "to", index)
        tie_type = re.sub(r"[^a-z0-9]+", "_", r.text("type").lower()).strip("_")[:40] or "partnership"
        if not is_identifier(tie_type):
            tie_type = "tie"
        direction = r.text("direction").lower()
        directed = direction == "directed" if direction else tie_is_directed(tie_type)
        if not (a and b):
            continue
        if a == b:
            r.warning("to", f"a connection from '{a}' to itself is ignored", "self_tie")
            continue
        tie = Tie(a, b, tie_type, directed=directed, source=connections.file)
        if tie.key in seen:
            r.warning("from", f"repeats the {tie_type} connection between '{a}' and '{b}'; ignored", "duplicate_tie")
            continue
        seen.add(tie.key)
        ties.append(tie)
    return ties
