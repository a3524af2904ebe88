"""One exception hierarchy for netmap.

Library code raises these; the CLI turns them into one-line messages.
Data problems found while validating a workspace are *not* raised one by
one: they are collected into a :class:`netmap.workspace.ValidationReport`.
"""

from __future__ import annotations


class NetmapError(Exception):
    """Base class of every error netmap raises on purpose."""


class WorkspaceError(NetmapError):
    """A workspace cannot be read (missing folder, unreadable config, invalid data).

    ``report`` holds the full validation report when there is one.
    """

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class ReferenceDataError(NetmapError):
    """A framework, census group list or population profile is missing or malformed."""


class AnalysisError(NetmapError):
    """An analysis was asked for something it cannot do (a sample of fewer than 2 actors, say)."""


class StoreError(NetmapError):
    """The Neo4j backend failed: unreachable, refused credentials, bad query, ..."""


class OutputError(NetmapError):
    """An output (report, map, export) could not be written."""


class SnapshotError(NetmapError):
    """A snapshot of a map cannot be taken: a date that is not one, a date cell that cannot be read."""


class CompareError(NetmapError):
    """Two snapshots cannot be compared: they map different places or use different frameworks."""
