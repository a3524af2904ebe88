"""Reading candidates: organisations not yet on the map, from a directory file, a Kumu sheet or another workspace.

A candidates file is an actors table in the workspace format (CSV, or an
Excel workbook with an ``Actors`` sheet, or a Kumu export's ``Elements``
sheet), read and checked by the workspace readers against the map's framework
and localities, with one more, optional column: ``works_with``, the map's
actors (ids or names, separated by ``;``) each candidate already works with.
Another workspace folder works too: its actors already on the map are left
out, and its ties to them count as ``works_with``.

Every problem is one line naming the file, row and column: a format netmap
cannot read, a candidate already on the map (same id or same name, ignoring
case and punctuation), a ``works_with`` naming no actor of the map, a file
with no usable row.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from netmap.decisions.invite import InviteError
from netmap.decisions.invite_items import Candidate
from netmap.model import Actor, Framework, NetworkMap, split_list
from netmap.workspace.config import WorkspaceConfig
from netmap.workspace.kumu import kumu_tables
from netmap.workspace.load import load_workspace
from netmap.workspace.names import NameIndex
from netmap.workspace.problems import ValidationReport
from netmap.workspace.tables import Table, check_columns, read_csv_table, read_xlsx_tables
from netmap.workspace.validate import Vocabulary, parse_actors

#: The optional column of a candidates file listing the map's actors a candidate works with.
WORKS_WITH = "works_with"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _raise_first(report: ValidationReport) -> None:
    """Raise the report's first error as one line (saying how many more there are)."""
    errors = report.errors
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InviteError(f"{errors[0].location()}: {errors[0].message}{more}")


def _table(path: Path, report: ValidationReport) -> Table | None:
    """The actors (or Kumu elements) table of a candidates file; :class:`InviteError` for another format."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_table(path, report)
    if suffix not in WORKBOOK_SUFFIXES:
        what = f"'{path.suffix}'" if path.suffix else "with no extension"
        raise InviteError(f"{path}: unknown candidate file format {what}: give a CSV file (.csv), an Excel "
                          "workbook (.xlsx) with an Actors sheet, a Kumu export or a workspace folder")
    read = read_xlsx_tables(path, report)
    if read is None:
        return None
    tables, names = read
    for key in ("actors", "elements"):
        if key in tables:
            return tables[key]
    raise InviteError(f"{path.name}: no Actors sheet (nor a Kumu Elements sheet) in the workbook "
                      f"(sheets: {', '.join(names)})")


def _check(candidates: list[Candidate], index: NameIndex, nmap: NetworkMap, file: str,
           report: ValidationReport) -> None:
    """Report candidates already on the map."""
    for c in candidates:
        on_map = c.id if c.id in index.ids else index.resolve(c.actor.name)
        if on_map is not None:
            column = "id" if on_map == c.id else "name"
            name = nmap.actor(on_map).name if nmap.actor(on_map) else on_map
            report.error(file, f"'{c.actor.name}' is already on the map (as '{on_map}', {name}): a candidate is "
                         "an organisation not yet on the map", row=c.row, column=column, code="already_on_map")


def _from_file(path: Path, nmap: NetworkMap, framework: Framework) -> list[Candidate]:
    report = ValidationReport(str(path))
    table = _table(path, report)
    _raise_first(report)
    assert table is not None  # a table that cannot be read has an error in the report
    config = WorkspaceConfig(key=nmap.key, name=nmap.name, localities=list(nmap.localities))
    vocab = Vocabulary.build(framework, config)
    rows: dict[str, int] = {}
    if "label" in table.header and "name" not in table.header:  # a Kumu export's Elements sheet
        actors, _ = kumu_tables({"elements": table}, vocab, report, rows)
    elif check_columns(table, "actors", report):
        actors = parse_actors(table, vocab, report, rows)
    else:
        actors = []
    _raise_first(report)
    cells = dict(table.rows)
    index = NameIndex(nmap.actors)
    candidates = []
    for actor in actors:
        row = rows.get(actor.id)
        works_with = []
        for ref in split_list(cells.get(row, {}).get(WORKS_WITH, "")):
            found = index.resolve(ref)
            if found is None:
                report.error(table.file, f"unknown actor '{ref}': no actor of the map has this id or name",
                             row=row, column=WORKS_WITH, code="unknown_actor")
            elif found not in works_with:
                works_with.append(found)
        candidates.append(Candidate(_without_works_with(actor), tuple(works_with), row))
    _check(candidates, index, nmap, table.file, report)
    _raise_first(report)
    if not candidates:
        raise InviteError(f"{table.file}: no usable candidate rows: add one row per organisation, with at least "
                          "its name")
    return candidates


def _without_works_with(actor: Actor) -> Actor:
    if WORKS_WITH not in actor.attributes:
        return actor
    attributes = {k: v for k, v in actor.attributes.items() if k != WORKS_WITH}
    return dataclasses.replace(actor, attributes=attributes)


def _from_workspace(folder: Path, nmap: NetworkMap, framework: str | Path | None) -> list[Candidate]:
    """The actors of another workspace not on the map; their ties to actors on the map are ``works_with``."""
    other, report = load_workspace(folder, framework)
    _raise_first(report)
    assert other is not None
    index = NameIndex(nmap.actors)
    on_map = {a.id: index.resolve(a.id) or index.resolve(a.name) for a in other.actors}
    works: dict[str, list[str]] = {a.id: [] for a in other.actors if on_map[a.id] is None}
    for tie in other.ties:
        for mine, theirs in ((tie.from_id, tie.to_id), (tie.to_id, tie.from_id)):
            if mine in works and on_map.get(theirs) and on_map[theirs] not in works[mine]:
                works[mine].append(on_map[theirs])
    candidates = []
    for a in other.actors:
        if a.id in works:
            extra = [x for ref in split_list(a.attributes.get(WORKS_WITH, "")) if (x := index.resolve(ref))]
            candidates.append(Candidate(_without_works_with(a), tuple(dict.fromkeys(works[a.id] + extra))))
    if not candidates:
        raise InviteError(f"{folder}: no usable candidates: every actor of this workspace is already on the map")
    return candidates


def read_candidates(path: str | Path, nmap: NetworkMap, framework: Framework,
                    framework_spec: str | Path | None = None) -> list[Candidate]:
    """The candidates of a file (CSV, workbook, Kumu export) or another workspace folder, checked against the map.

    ``framework`` checks the constituencies of a file; a workspace folder is
    read with ``framework_spec`` (a name or file; default: the one its
    ``netmap.toml`` names). Raises :class:`InviteError` with one line naming
    the file, row and column of the first problem.
    """
    path = Path(path)
    if path.is_dir():
        return _from_workspace(path, nmap, framework_spec)
    if not path.is_file():
        raise InviteError(f"{path}: no such candidates file or folder")
    return _from_file(path, nmap, framework)
