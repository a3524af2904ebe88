"""Progress of long jobs: the small protocol through which the library reports its stages and counted work.

The library only calls it and decides what counts as long work (maps of thousands of actors,
pushes of many rows); whoever runs the job decides whether anyone sees it. The command line
draws stage lines and a bar on stderr when stderr is a terminal and ``--quiet`` is not given;
Python callers get :data:`SILENT` unless they pass their own.

>>> class Lines:
...     def stage(self, message):
...         print(message)
...     def counter(self, label, total):
...         return SILENT.counter(label, total)
>>> watched(Lines(), actors=2500).stage("Analysing 2,500 actors")
Analysing 2,500 actors
>>> watched(Lines(), actors=300).stage("Analysing 300 actors")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

#: Maps of at least this many actors report the stages of their work; smaller ones finish in a moment.
STAGES_MIN_ACTORS = 2000

#: A workspace of at least this many bytes says it is being read (a synthetic map of 2,000 actors
#: and 8,000 ties is about 0.9 MB).
STAGES_MIN_BYTES = 800_000

#: Pushes of more rows than this show a bar.
BAR_MIN_ROWS = 5000


class Progress(Protocol):
    """What a long job tells whoever watches it."""

    def stage(self, message: str) -> None:
        """A stage of the job begins, e.g. ``"Analysing 5,000 actors and 20,000 ties"``."""

    def counter(self, label: str, total: int) -> AbstractContextManager[Callable[[int], None]]:
        """Counted work of ``total`` units: the context gives ``advance(done)``, called with the units done so far."""


class Silent:
    """Progress nobody watches: every report is dropped."""

    def stage(self, message: str) -> None:
        pass

    @contextmanager
    def counter(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        yield _ignore


def _ignore(done: int) -> None:
    pass


#: The default of every job: no output.
SILENT = Silent()


def watched(progress: Progress, *, actors: int = 0, size_bytes: int = 0, rows: int = 0) -> Progress:
    """``progress`` for work this large, else silence.

    Large is a map of :data:`STAGES_MIN_ACTORS` actors, a workspace of :data:`STAGES_MIN_BYTES`,
    or a push of more than :data:`BAR_MIN_ROWS` rows.
    """
    large = actors >= STAGES_MIN_ACTORS or size_bytes >= STAGES_MIN_BYTES or rows > BAR_MIN_ROWS
    return progress if large else SILENT
