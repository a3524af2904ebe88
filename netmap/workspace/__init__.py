"""Workspaces: the folders (or workbooks) of actors, ties, spaces and memberships a convenor edits."""

from netmap.workspace.read import (
    ValidationReport,
    load_workspace,
    read_workspace,
    validate_workspace,
    write_workspace,
)
from netmap.workspace.template import init_workspace

__all__ = ["ValidationReport", "init_workspace", "load_workspace", "read_workspace", "validate_workspace",
           "write_workspace"]
