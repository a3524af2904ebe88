"""Writing files so that a failure leaves nothing half-written, and the CSV text they hold.

Every output goes to a temporary file in the target folder first and is
renamed into place only when complete; a rename within one folder is atomic.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from netmap.errors import OutputError


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (comma-separated, ``\\n`` line ends, quoted only where needed) of a header and rows.

    >>> csv_text(["id", "name"], [["a", "Smith, Jones & Co"]])
    'id,name\\na,"Smith, Jones & Co"\\n'
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def file_mode() -> int:
    """The mode a new file gets under the current umask (temporary files are made 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _stage(path: Path, data: bytes) -> Path:
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, file_mode())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_files_atomically(folder: str | Path, files: dict[str, str | bytes]) -> None:
    """Write several files into ``folder``; they are renamed into place only once all are written.

    Raises :class:`OutputError` (naming the folder) if the files cannot be written.
    """
    folder = Path(folder)
    staged: list[tuple[Path, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            staged.append((_stage(folder / name, data), folder / name))
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"{folder}: cannot write: {exc.strerror or exc}") from None


def write_bytes_atomically(path: str | Path, data: bytes) -> Path:
    """Write one file through a temporary file; :class:`OutputError` if it cannot be written."""
    path = Path(path)
    write_files_atomically(path.parent, {path.name: data})
    return path


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write one UTF-8 text file through a temporary file."""
    return write_bytes_atomically(path, text.encode("utf-8"))
