"""Writing files so that a failure leaves nothing half-written, and the CSV text they hold.

Every output goes to a temporary file in the target folder first and is
renamed into place only when complete; a rename within one folder is atomic.
:func:`atomic_files` lets a writer stream rows into several such files;
:func:`write_files_atomically` writes contents already in memory.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with atomic_files(folder) as staged:
...         with staged.open("a.csv") as out:
...             write_csv(out, ["id"], [["x"], ["y"]])
...     sorted(p.name for p in Path(folder).iterdir())
2
['a.csv']
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from netmap.errors import OutputError


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write CSV (as :func:`csv_text`) to an open text file, one row at a time; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    # count rows without a Python-level loop (a million ties): zip stops at the end of rows before
    # drawing from the counter, so its next value is the number of rows written
    counter = itertools.count()
    writer.writerows(map(operator.itemgetter(0), zip(rows, counter, strict=False)))
    return next(counter)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (comma-separated, ``\\n`` line ends, quoted only where needed) of a header and rows.

    >>> csv_text(["id", "name"], [["a", "Smith, Jones & Co"]])
    'id,name\\na,"Smith, Jones & Co"\\n'
    """
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def file_mode() -> int:
    """The mode a new file gets under the current umask (temporary files are made 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class StagedFiles:
    """Files opened under temporary names in one folder, renamed into place together by :func:`atomic_files`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._staged: list[tuple[Path, Path, IO]] = []  # (temporary, target, open file)

    def open(self, name: str, *, binary: bool = False) -> IO:
        """A new temporary file that becomes ``folder/name``: UTF-8 text (no newline translation) or bytes."""
        target = self.folder / name
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        out = os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="")
        self._staged.append((Path(tmp), target, out))
        os.chmod(tmp, file_mode())
        return out

    def _commit(self) -> None:
        for _, _, out in self._staged:
            out.close()
        for tmp, target, _ in self._staged:
            os.replace(tmp, target)

    def _discard(self) -> None:
        for tmp, _, out in self._staged:
            out.close()
            tmp.unlink(missing_ok=True)


@contextmanager
def atomic_files(folder: str | Path) -> Iterator[StagedFiles]:
    """Stage files in ``folder`` (created if missing); all are renamed into place only if the block succeeds.

    On any exception (including KeyboardInterrupt) every temporary file is
    removed and no target is touched; an :class:`OSError` is raised as
    :class:`OutputError` naming the folder.
    """
    folder = Path(folder)
    staged = StagedFiles(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        yield staged
        staged._commit()
    except BaseException as exc:
        staged._discard()
        if isinstance(exc, OSError):
            raise OutputError(f"{folder}: cannot write: {exc.strerror or exc}") from None
        raise


def write_files_atomically(folder: str | Path, files: dict[str, str | bytes]) -> None:
    """Write several files into ``folder``; they are renamed into place only once all are written.

    Raises :class:`OutputError` (naming the folder) if the files cannot be written.
    """
    with atomic_files(folder) as staged:
        for name, content in files.items():
            with staged.open(name, binary=True) as out:
                out.write(content.encode("utf-8") if isinstance(content, str) else content)


def write_bytes_atomically(path: str | Path, data: bytes) -> Path:
    """Write one file through a temporary file; :class:`OutputError` if it cannot be written."""
    path = Path(path)
    write_files_atomically(path.parent, {path.name: data})
    return path


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write one UTF-8 text file through a temporary file."""
    return write_bytes_atomically(path, text.encode("utf-8"))
