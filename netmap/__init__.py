"""netmap: map the partners of a local health-and-care system as a graph.

The Python API mirrors the command line (a tour: docs/python-api.md)::

    >>> import netmap
    >>> leeds = netmap.load(netmap.sites_dir() / "leeds")
    >>> result = netmap.run(leeds)
    >>> int(result.actors.loc["lypft", "degree"])
    6
    >>> findings = netmap.findings_frame(result.findings)
    >>> "service_user_led" in set(findings.loc[findings["kind"] == "absent_constituency", "subject"])
    True

The steps are there one by one too: :func:`read_workspace`,
:func:`load_framework`, :func:`analyse`, :func:`find_gaps`. ``Store`` and
``StoreSettings`` (Neo4j) are imported on first use, so ``import netmap``
does not load the database driver.
"""

from typing import TYPE_CHECKING, Any

from netmap.analysis import Analysis, analyse
from netmap.errors import AnalysisError, NetmapError, OutputError, ReferenceDataError, StoreError, WorkspaceError
from netmap.gaps import Finding, community_coverage, find_gaps, findings_frame
from netmap.graph import build_graph
from netmap.model import Actor, Framework, Membership, NetworkMap, Space, Tie
from netmap.reference import load_framework, resolve_framework
from netmap.render.export import EXPORT_FORMATS
from netmap.resources import sites_dir
from netmap.result import Result
from netmap.workflows import export_file as export
from netmap.workflows import load_map as load
from netmap.workflows import run_map as run
from netmap.workflows import write_map_file as write_map
from netmap.workflows import write_report_file as write_report
from netmap.workspace import ValidationReport, load_workspace, read_workspace, validate_workspace, write_workspace

if TYPE_CHECKING:
    from netmap.store import Store, StoreSettings

__version__ = "0.1.0"

__all__ = [
    "EXPORT_FORMATS", "Actor", "Analysis", "AnalysisError", "Finding", "Framework", "Membership", "NetmapError",
    "NetworkMap", "OutputError", "ReferenceDataError", "Result", "Space", "Store", "StoreError", "StoreSettings",
    "Tie", "ValidationReport", "WorkspaceError", "analyse", "build_graph", "community_coverage", "export",
    "find_gaps", "findings_frame", "load", "load_framework", "load_workspace", "read_workspace",
    "resolve_framework", "run", "sites_dir", "validate_workspace", "write_map", "write_report", "write_workspace",
]

_LAZY = {"Store": "netmap.store", "StoreSettings": "netmap.store"}


def __getattr__(name: str) -> Any:
    """``Store`` and ``StoreSettings`` on first use: they bring in the Neo4j driver."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'netmap' has no attribute '{name}'")
