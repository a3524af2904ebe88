"""Workspaces: the folders (or workbooks) of actors, ties, spaces and memberships a convenor edits.

The modules, by topic: :mod:`~netmap.workspace.problems` (the report and its
codes), :mod:`~netmap.workspace.names`, :mod:`~netmap.workspace.tables` (columns,
CSV and workbook reading), :mod:`~netmap.workspace.config` (``netmap.toml``),
:mod:`~netmap.workspace.values` (typed cells), :mod:`~netmap.workspace.validate`
(rows into the model), :mod:`~netmap.workspace.kumu`, :mod:`~netmap.workspace.load`,
:mod:`~netmap.workspace.write` and :mod:`~netmap.workspace.template`.
"""

from netmap.workspace.config import config_text
from netmap.workspace.load import load_workspace, read_workspace, validate_workspace
from netmap.workspace.names import likely_duplicates, normalise_name, slugify
from netmap.workspace.problems import PROBLEM_CODES, Problem, ValidationReport
from netmap.workspace.tables import COLUMNS, CONFIG_FILE, REQUIRED, SHEET_NAMES
from netmap.workspace.template import init_workspace
from netmap.workspace.write import write_tables, write_workspace

__all__ = ["COLUMNS", "CONFIG_FILE", "PROBLEM_CODES", "REQUIRED", "SHEET_NAMES", "Problem", "ValidationReport",
           "config_text", "init_workspace", "likely_duplicates", "load_workspace", "normalise_name",
           "read_workspace", "slugify", "validate_workspace", "write_tables", "write_workspace"]
