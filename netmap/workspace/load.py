"""Loading a workspace (a folder, or one workbook): finding its tables, reading and validating them into a map.

Data problems are collected into a :class:`ValidationReport` rather than
raised one by one, so a person sees every problem at once with the file,
row and column it is in. :func:`read_workspace` raises
:class:`~netmap.errors.WorkspaceError` (carrying the report) only when the
report has errors.

>>> from netmap.resources import sites_dir
>>> nmap = read_workspace(sites_dir() / "leeds")
>>> nmap.key, len(nmap.actors) > 0
('leeds', True)
"""

from __future__ import annotations

import gc
from pathlib import Path

from netmap.errors import ReferenceDataError, WorkspaceError
from netmap.memory import collector_paused
from netmap.model import Actor, Framework, Membership, NetworkMap, Space, Tie
from netmap.reference import framework_warnings, load_framework, resolve_framework
from netmap.workspace.config import WorkspaceConfig, read_config
from netmap.workspace.kumu import kumu_tables
from netmap.workspace.names import NameIndex, slugify
from netmap.workspace.problems import ValidationReport
from netmap.workspace.tables import CONFIG_FILE, TABLES, Table, check_columns, read_csv_table, read_xlsx_tables
from netmap.workspace.validate import (
    Vocabulary,
    parse_actors,
    parse_memberships,
    parse_spaces,
    parse_ties,
    report_duplicates,
)

#: What an Excel workbook may be called (``.xlsm`` is a workbook with macros, which netmap never runs).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _read_book(book: Path, report: ValidationReport) -> dict[str, Table] | None:
    found = read_xlsx_tables(book, report)
    if found is None:
        return None
    tables, sheet_names = found
    if "actors" not in tables and "elements" not in tables:
        report.error(book.name, f"missing sheet 'Actors' (found: {', '.join(sheet_names)})", code="missing_sheet")
        return None
    return tables


def _find_tables(folder: Path, config: WorkspaceConfig, report: ValidationReport) -> dict[str, Table] | None:
    if config.data:
        book = folder / config.data
        if not book.is_file():
            report.error(CONFIG_FILE, f"data file '{config.data}' not found", column="data", code="missing_file")
            return None
        if book.suffix.lower() not in WORKBOOK_SUFFIXES:
            report.error(CONFIG_FILE, f"data file '{config.data}' must be an Excel workbook (.xlsx); for CSV files "
                                      "remove the 'data' line", column="data", code="bad_value")
            return None
        return _read_book(book, report)
    if (folder / "actors.csv").is_file():
        tables: dict[str, Table] = {}
        for name in TABLES:
            path = folder / f"{name}.csv"
            if path.is_file():
                table = read_csv_table(path, report)
                if table is not None:
                    tables[name] = table
        return tables if "actors" in tables else None
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if len(books) == 1:
        return _read_book(books[0], report)
    if len(books) > 1:
        report.error(folder.name, f"several workbooks ({', '.join(b.name for b in books)}): name one with "
                                  "data = \"...\" in netmap.toml", code="ambiguous_data")
        return None
    report.error("actors.csv", "no actors.csv (or workbook with an Actors sheet) in the workspace",
                 code="missing_file")
    return None


def _parse_tables(tables: dict[str, Table], vocab: Vocabulary, report: ValidationReport, rows: dict[str, int],
                  ) -> tuple[Table, list[Actor], list[Tie], list[Space], list[Membership]]:
    """The actor table, and the actors, ties, spaces and memberships of a workspace's tables."""
    if "elements" in tables:
        actors, ties = kumu_tables(tables, vocab, report, rows)
        return tables["elements"], actors, ties, [], []
    actors: list[Actor] = []
    ties: list[Tie] = []
    spaces: list[Space] = []
    memberships: list[Membership] = []
    actor_table = tables["actors"]
    if check_columns(actor_table, "actors", report):
        actors = parse_actors(actor_table, vocab, report, rows)
    index = NameIndex(actors)
    if "spaces" in tables and check_columns(tables["spaces"], "spaces", report):
        spaces = parse_spaces(tables["spaces"], vocab, report)
    if "ties" in tables and check_columns(tables["ties"], "ties", report):
        ties = parse_ties(tables["ties"], index, report)
    if "memberships" in tables and check_columns(tables["memberships"], "memberships", report):
        memberships = parse_memberships(tables["memberships"], index, spaces, report)
    return actor_table, actors, ties, spaces, memberships


def load_workspace(folder: str | Path, framework: str | Path | None = None) -> tuple[NetworkMap | None,
                                                                                     ValidationReport]:
    """Read a workspace and validate it, returning the map (None if unreadable) and the report.

    ``folder`` is a workspace folder, or one Excel workbook on its own (a
    netmap workbook or a Kumu export), whose map is named after the file and
    measured against the whole-system framework unless ``framework`` is given.
    ``framework`` overrides the one named in ``netmap.toml``.
    Complexity: linear in the number of rows, plus the duplicate-name search
    (see :func:`~netmap.workspace.names.likely_duplicates`).
    """
    with collector_paused():
        loaded = _load_workspace(folder, framework)
        # The map's objects live as long as the map and hold no cycles: moved to the oldest generation at once,
        # the collector does not walk all of them (a second on a national map) as soon as it is switched back on
        # (unless a program froze objects of its own, which unfreezing would release).
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
    return loaded


def _load_workspace(folder: str | Path, framework: str | Path | None = None) -> tuple[NetworkMap | None,
                                                                                      ValidationReport]:
    folder = Path(folder)
    report = ValidationReport(workspace=str(folder))
    book: Path | None = None
    if folder.is_file():  # one workbook on its own: a netmap workbook or a Kumu export
        if folder.suffix.lower() not in WORKBOOK_SUFFIXES:
            raise WorkspaceError(f"{folder}: not a workspace folder or an Excel workbook (.xlsx)")
        book, folder = folder, folder.parent
        config = WorkspaceConfig(key=slugify(book.stem), name=book.stem)
    elif folder.is_dir():
        config = read_config(folder, report)
    else:
        raise WorkspaceError(f"{folder}: no such workspace folder")
    fw: Framework | None = None
    found: str | Path | None = None  # a built-in key, or the file validation reads
    if framework:  # a bad option is the caller's error, not the workspace's
        found = resolve_framework(framework, folder)
        fw = load_framework(found)
    else:
        try:
            found = resolve_framework(config.framework, folder, in_workspace=True)
            fw = load_framework(found)
        except ReferenceDataError as exc:
            report.error(CONFIG_FILE, str(exc), column="framework", code="unknown_framework")
    if isinstance(found, Path) and fw is not None:  # a user's framework file: what it holds that is ignored
        shown = found.relative_to(folder.resolve()) if found.is_relative_to(folder.resolve()) else found
        for warning in framework_warnings(found):
            report.warning(str(shown), warning, code="unknown_setting")
    vocab = Vocabulary.build(fw, config)
    tables = _read_book(book, report) if book is not None else _find_tables(folder, config, report)
    if tables is None:
        return None, report
    rows: dict[str, int] = {}  # actor id -> row, for messages about duplicates
    actor_table, actors, ties, spaces, memberships = _parse_tables(tables, vocab, report, rows)
    report_duplicates(actors, report, actor_table, rows)
    if not actors and actor_table.header:
        report.warning(actor_table.file, "no actors yet: add one row per partner", code="no_actors")
    for ego in config.ego:
        if ego not in rows:
            report.error(CONFIG_FILE, f"ego actor '{ego}' is not in the actors", column="ego", code="unknown_actor")
    report.counts = {"actors": len(actors), "ties": len(ties), "spaces": len(spaces),
                     "memberships": len(memberships)}
    nmap = NetworkMap(key=config.key, name=config.name, actors=actors, ties=ties, spaces=spaces,
                      memberships=memberships, localities=config.localities,
                      framework=str(framework or config.framework), snapshot=config.snapshot,
                      framework_file=found if isinstance(found, Path) else None,
                      ego=config.ego, description=config.description, populations=config.populations)
    return nmap, report


def validate_workspace(folder: str | Path, framework: str | Path | None = None) -> ValidationReport:
    """Every problem in a workspace, collected into one report."""
    return load_workspace(folder, framework)[1]


def read_workspace(folder: str | Path, framework: str | Path | None = None) -> NetworkMap:
    """Read a workspace into a :class:`NetworkMap`; :class:`WorkspaceError` if it has errors."""
    nmap, report = load_workspace(folder, framework)
    if nmap is None or not report.ok:
        first = report.errors[0] if report.errors else None
        more = f" (and {len(report.errors) - 1} more; run 'netmap validate')" if len(report.errors) > 1 else ""
        raise WorkspaceError(f"{report.workspace}/{first}{more}" if first else f"{folder}: unreadable", report)
    return nmap

