"""Deprecated: ``netmap.ingest`` moved to ``netmap.workspace`` in 0.2; this alias goes in 0.3.

Every public name the old module had still imports from here.
"""

import importlib
import warnings

from netmap.workspace.config import CONFIG_KEYS, WorkspaceConfig, config_text, read_config, toml_string
from netmap.workspace.load import load_workspace, read_workspace, validate_workspace
from netmap.workspace.names import NameIndex, likely_duplicates, normalise_name, slugify
from netmap.workspace.problems import MAX_PROBLEMS_PER_FILE, Problem, ValidationReport
from netmap.workspace.tables import (
    COLUMNS,
    CONFIG_FILE,
    KNOWN_SHEETS,
    REQUIRED,
    SHEET_NAMES,
    TABLES,
    Table,
    read_csv_table,
    read_xlsx_tables,
)
from netmap.workspace.write import actor_rows, membership_rows, space_rows, tie_rows, write_workspace

# The old module's own constants for the column lists (netmap.workspace keeps only COLUMNS).
ACTOR_COLUMNS = COLUMNS["actors"]
TIE_COLUMNS = COLUMNS["ties"]
SPACE_COLUMNS = COLUMNS["spaces"]
MEMBERSHIP_COLUMNS = COLUMNS["memberships"]
#: Deprecated and unused: near-duplicate names are now checked at every size (this was 3000).
FUZZY_DUPLICATE_LIMIT = 2**63 - 1

#: Names the old module only imported, by where they live; old code may still import them from here.
_IMPORTED = {
    "netmap.errors": ("ReferenceDataError", "WorkspaceError"),
    "netmap.fileio": ("csv_text", "write_files_atomically"),
    "netmap.model": ("ACTOR_KINDS", "KNOWN_TIE_TYPES", "MEMBERSHIP_ROLES", "SCALES", "SPACE_KINDS", "Actor",
                     "Framework", "Locality", "Membership", "NetworkMap", "Space", "Tie", "is_identifier",
                     "split_list", "tie_is_directed"),
    "netmap.reference": ("census_groups", "load_framework", "population_profiles", "resolve_framework"),
}


def __getattr__(name: str) -> object:
    for module, names in _IMPORTED.items():
        if name in names:
            return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACTOR_COLUMNS", "COLUMNS", "CONFIG_FILE", "CONFIG_KEYS", "FUZZY_DUPLICATE_LIMIT", "KNOWN_SHEETS",
    "MAX_PROBLEMS_PER_FILE", "MEMBERSHIP_COLUMNS", "REQUIRED", "SHEET_NAMES", "SPACE_COLUMNS", "TABLES",
    "TIE_COLUMNS", "NameIndex", "Problem", "Table", "ValidationReport", "WorkspaceConfig", "actor_rows",
    "config_text", "likely_duplicates", "load_workspace", "membership_rows", "normalise_name", "read_config",
    "read_csv_table", "read_workspace", "read_xlsx_tables", "slugify", "space_rows", "tie_rows", "toml_string",
    "validate_workspace", "write_workspace",
    *(name for names in _IMPORTED.values() for name in names),
]

warnings.warn("netmap.ingest moved to netmap.workspace; import it from there (this alias goes in netmap 0.3)",
              DeprecationWarning, stacklevel=2)
