"""netmap: map the partners of a local health-and-care system as a graph.

The Python API mirrors the command line::

    >>> import netmap
    >>> leeds = netmap.read_workspace(netmap.sites_dir() / "leeds")
    >>> framework = netmap.load_framework("whole-system")
    >>> result = netmap.analyse(leeds, framework)
    >>> int(result.actors.loc["lypft", "degree"])
    6
    >>> gaps = netmap.find_gaps(leeds, framework, result)
    >>> "service_user_led" in {f.subject for f in gaps if f.kind == "absent_constituency"}
    True
"""

from netmap.analysis import Analysis, analyse
from netmap.errors import NetmapError, OutputError, ReferenceDataError, StoreError, WorkspaceError
from netmap.gaps import Finding, community_coverage, find_gaps
from netmap.graph import build_graph
from netmap.model import Actor, Framework, Membership, NetworkMap, Space, Tie
from netmap.reference import load_framework
from netmap.resources import sites_dir
from netmap.workspace.read import load_workspace, read_workspace, validate_workspace, write_workspace

__version__ = "0.1.0"

__all__ = [
    "Actor", "Analysis", "Finding", "Framework", "Membership", "NetmapError", "NetworkMap", "OutputError",
    "ReferenceDataError", "Space", "StoreError", "Tie", "WorkspaceError", "analyse", "build_graph",
    "community_coverage", "find_gaps", "load_framework", "load_workspace", "read_workspace", "sites_dir",
    "validate_workspace", "write_workspace",
]
