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
:func:`load_framework`, :func:`analyse`, :func:`find_gaps`. Every name is
imported on first use, so ``import netmap`` (and ``netmap --version``) loads
neither the analysis stack (networkx, pandas, numpy, scipy, igraph) nor the
Neo4j driver until a name that needs them is used.
"""

import os as _os
import sys as _sys

if _sys.argv and _os.path.basename(_sys.argv[0]) in ("netmap", "netmap.exe"):
    # the command: Ctrl-C before it is ready (importing takes a moment) prints one line, not a traceback;
    # netmap.cli hands Ctrl-C back to Python once it runs. _signal is built in and imports nothing.
    import _signal

    def _aborted_while_starting(signum: int, frame: object) -> None:
        _os.write(2, b"\nAborted!\n")
        _os._exit(1)

    _signal.signal(_signal.SIGINT, _aborted_while_starting)

from typing import TYPE_CHECKING

from netmap.lazy import first_use

if TYPE_CHECKING:
    from netmap.analysis import Analysis, analyse
    from netmap.comparisons import Snapshot, load_snapshot
    from netmap.comparisons import compare_snapshots as compare
    from netmap.decisions.compare import Comparison
    from netmap.errors import (
        AnalysisError,
        CompareError,
        NetmapError,
        OutputError,
        ReferenceDataError,
        SnapshotError,
        StoreError,
        WorkspaceError,
    )
    from netmap.gaps import Finding, community_coverage, find_gaps, findings_frame
    from netmap.graph import build_graph
    from netmap.model import Actor, Framework, Membership, NetworkMap, Space, Tie
    from netmap.reference import load_framework, resolve_framework
    from netmap.render.export import EXPORT_FORMATS
    from netmap.resources import sites_dir
    from netmap.result import Result
    from netmap.snapshots import at
    from netmap.store import Store, StoreSettings
    from netmap.workflows import export_file as export
    from netmap.workflows import load_map as load
    from netmap.workflows import run_map as run
    from netmap.workflows import write_map_file as write_map
    from netmap.workflows import write_report_file as write_report
    from netmap.workspace import (
        ValidationReport,
        load_workspace,
        read_workspace,
        validate_workspace,
        write_workspace,
    )

__version__ = "0.1.0"

__all__ = [
    "EXPORT_FORMATS", "Actor", "Analysis", "AnalysisError", "CompareError", "Comparison", "Finding", "Framework",
    "Membership", "NetmapError", "NetworkMap", "OutputError", "ReferenceDataError", "Result", "Snapshot",
    "SnapshotError", "Space", "Store", "StoreError", "StoreSettings", "Tie", "ValidationReport", "WorkspaceError",
    "analyse", "at", "build_graph", "community_coverage", "compare", "export", "find_gaps", "findings_frame", "load",
    "load_framework", "load_snapshot", "load_workspace", "read_workspace", "resolve_framework", "run", "sites_dir",
    "validate_workspace", "write_map", "write_report", "write_workspace",
]

#: Public name -> (module, name in that module), imported on first use (PEP 562).
_LAZY: dict[str, tuple[str, str]] = {
    **{name: ("netmap.errors", name) for name in (
        "AnalysisError", "CompareError", "NetmapError", "OutputError", "ReferenceDataError", "SnapshotError",
        "StoreError", "WorkspaceError")},
    **{name: ("netmap.model", name) for name in ("Actor", "Framework", "Membership", "NetworkMap", "Space", "Tie")},
    **{name: ("netmap.workspace", name) for name in (
        "ValidationReport", "load_workspace", "read_workspace", "validate_workspace", "write_workspace")},
    **{name: ("netmap.gaps", name) for name in ("Finding", "community_coverage", "find_gaps", "findings_frame")},
    "Analysis": ("netmap.analysis", "Analysis"),
    "analyse": ("netmap.analysis", "analyse"),
    "build_graph": ("netmap.graph", "build_graph"),
    "at": ("netmap.snapshots", "at"),
    "Snapshot": ("netmap.comparisons", "Snapshot"),
    "load_snapshot": ("netmap.comparisons", "load_snapshot"),
    "compare": ("netmap.comparisons", "compare_snapshots"),
    "Comparison": ("netmap.decisions.compare", "Comparison"),
    "load_framework": ("netmap.reference", "load_framework"),
    "resolve_framework": ("netmap.reference", "resolve_framework"),
    "EXPORT_FORMATS": ("netmap.render.outputs", "EXPORT_FORMATS"),
    "sites_dir": ("netmap.resources", "sites_dir"),
    "Result": ("netmap.result", "Result"),
    "Store": ("netmap.store", "Store"),
    "StoreSettings": ("netmap.store", "StoreSettings"),
    "export": ("netmap.workflows", "export_file"),
    "load": ("netmap.workflows", "load_map"),
    "run": ("netmap.workflows", "run_map"),
    "write_map": ("netmap.workflows", "write_map_file"),
    "write_report": ("netmap.workflows", "write_report_file"),
}


#: Every public name on first use: most of them bring in networkx and pandas, two the Neo4j driver.
__getattr__ = first_use(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
