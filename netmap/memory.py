"""Memory habits of national maps: the garbage collector paused while millions of objects are made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (if on) for the block.

    Reading a national register or building its graph makes millions of
    objects (cells, actors, ties, edge dicts) and no reference cycles, and the
    collector would walk the growing heap again and again: a third to a half
    of the time of reading it. It is switched back on after, as it was.

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
