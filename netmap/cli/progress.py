"""Progress on the terminal: stage lines and click's progress bar on stderr, only when someone watches.

The library reports through :class:`netmap.progress.Progress`; this draws it. Stage lines
carry the seconds since the command started. Nothing is drawn when stderr is not a terminal
(piped, redirected, in a script or CI) or with ``netmap --quiet``, so piped output and logs
stay clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

import click

from netmap.progress import SILENT, Progress


class TerminalProgress:
    """Stage lines (``  4.2s  Analysing 5,000 actors and 20,000 ties``) and bars on a terminal."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream
        self.started = time.monotonic()

    def stage(self, message: str) -> None:
        click.echo(f"{time.monotonic() - self.started:5.1f}s  {message}", file=self.stream, err=True)

    @contextmanager
    def counter(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        with click.progressbar(length=total, label=label, file=self.stream or sys.stderr) as bar:
            seen = [0]

            def advance(done: int) -> None:
                bar.update(max(0, done - seen[0]))
                seen[0] = max(seen[0], done)

            yield advance


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal someone is watching."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def command_progress() -> Progress:
    """Where the running command reports its stages (set up by ``netmap``'s main group; silent otherwise)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj.get("progress", SILENT) if isinstance(obj, dict) else SILENT


def terminal_progress(quiet: bool) -> Progress:
    """Progress drawn on stderr, or silence when quiet or stderr is not a terminal."""
    if quiet or not is_terminal(sys.stderr):
        return SILENT
    return TerminalProgress()
