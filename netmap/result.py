"""The result of analysing one map: the map, its framework, its analysis and its gap findings.

Everything that renders a result (text, JSON documents, the map, the report,
exports) takes a :class:`Result`; nothing here imports from above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from netmap.model import Framework, NetworkMap

if TYPE_CHECKING:  # the analysis and gap layers sit above this module
    import networkx as nx
    import pandas as pd

    from netmap.analysis import Analysis
    from netmap.gaps import Finding


@dataclass
class Result:
    """Everything netmap computes for one map.

    ``outputs`` collects the files written from it (name -> path).
    """

    nmap: NetworkMap
    framework: Framework
    analysis: Analysis
    findings: list[Finding]
    folder: Path | None = None
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The map's name, or its key when it has none."""
        return self.nmap.name or self.nmap.key

    @property
    def graph(self) -> nx.Graph:
        """The analysed networkx graph: one node per actor, ties and shared spaces as edges."""
        return self.analysis.graph

    @property
    def actors(self) -> pd.DataFrame:
        """One row per actor (index: actor id) with its measures and role."""
        return self.analysis.actors

    @property
    def constituencies(self) -> pd.DataFrame:
        """One row per constituency: count, share, voice, E-I index ..."""
        return self.analysis.constituencies


#: The name this class had before 0.2; kept for scripts written against it.
SiteResult = Result
