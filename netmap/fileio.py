"""Writing files so that a failure leaves nothing half-written, only where a file belongs, and the CSV text they hold.

**One file** (:func:`write_bytes_atomically`) goes to a temporary file beside
its target and is renamed into place only when complete; a rename within one
folder is atomic, so a reader sees the old file or the new one, never half.

**A folder of files** (:func:`atomic_files`: a CSV export, a workspace, a demo
site) is written into a hidden sibling folder (``.name.XXXX.tmp``) and then
swapped in, so it is all or nothing: an error or Ctrl-C at any point leaves
the old folder exactly as it was and no temporary file behind. How the swap
works:

- a new folder: the sibling is renamed to its name (atomic);
- an existing folder: the files of the old folder that netmap does not write
  (your notes, a framework file) are hard-linked into the sibling, so nothing
  of yours is lost, and the two folders are exchanged in one atomic step
  (Linux ``renameat2(RENAME_EXCHANGE)``). A reader of the folder sees the
  whole old folder until that instant, then the whole new one. A file you
  added to the old folder during the write is moved across, then the old
  folder is removed. Where the exchange is not available (another system,
  some network file systems) the old folder is renamed aside and the new one
  renamed in: for that instant the folder is missing;
- an existing folder that holds folders or links of your own, is the current
  folder (or holds it), or whose parent netmap may not write in: the files are
  staged in a hidden folder inside it and renamed into place one by one, with
  Ctrl-C held back until the last rename (a reader may see old and new files
  side by side for that moment, never a half-written file).

**Only files.** netmap writes a regular file or a new path, nothing else: an
output path that is a named pipe, a device, a socket or a folder is refused
with a one-line :class:`OutputError` (so ``--out /dev/full`` cannot replace a
device). A symbolic link to a regular file is followed, and the file it points
to is replaced; the link stays. Inside an output folder, the names netmap
writes must be regular files or absent.

**CSV cells** are neutralised against formula injection as they are written
(:mod:`netmap.cells`).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with atomic_files(Path(folder) / "out") as staged:
...         with staged.open("a.csv") as out:
...             write_csv(out, ["id", "name"], [["x", "=1+1"], ["y", "Mind"]])
...     print((Path(folder) / "out" / "a.csv").read_text(), end="")
...     sorted(p.name for p in Path(folder).iterdir())
2
id,name
x,'=1+1
y,Mind
['out']
"""

from __future__ import annotations

import csv
import ctypes
import io
import itertools
import operator
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from netmap.cells import neutral_rows, neutralise
from netmap.errors import OutputError


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write CSV (as :func:`csv_text`) to an open text file, one row at a time; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(str(h)) for h in header])
    # count rows without a Python-level loop (a million ties): zip stops at the end of rows before
    # drawing from the counter, so its next value is the number of rows written
    counter = itertools.count()
    writer.writerows(map(operator.itemgetter(0), zip(neutral_rows(rows), counter, strict=False)))
    return next(counter)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (comma-separated, ``\\n`` line ends, quoted only where needed) of a header and rows.

    Text cells a spreadsheet would take for a formula get a leading apostrophe
    (:func:`netmap.cells.neutralise`); netmap's readers remove it again.

    >>> csv_text(["id", "name"], [["a", "Smith, Jones & Co"], ["b", "@SUM(1)"]])
    'id,name\\na,"Smith, Jones & Co"\\nb,\\'@SUM(1)\\n'
    """
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def file_mode() -> int:
    """The mode a new file gets under the current umask (temporary files are made 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


# --------------------------------------------------------------------------- what may be written


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a file" if stat.S_ISREG(mode) else "not a regular file"


def _stat(path: Path, stat_fn=os.lstat) -> os.stat_result | None:
    try:
        return stat_fn(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def writable_path(path: str | Path, *, folder: bool = False, follow: bool = True) -> Path:
    """The path to write for ``path``: itself if new or of the right kind, else :class:`OutputError`.

    The right kind is a regular file (a folder with ``folder=True``). With
    ``follow``, a symbolic link to one is followed and the path it points to is
    returned (the link stays, its target is replaced); without, a link is refused.
    """
    path = Path(path)
    info = _stat(path)
    if info is None:
        return path
    wanted, what = (stat.S_ISDIR, "a folder") if folder else (stat.S_ISREG, "a regular file")
    if wanted(info.st_mode):
        return path
    if not stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{path}: is {_kind(info.st_mode)}: netmap writes only to a new path or {what}")
    pointed = _stat(path, os.stat)
    if pointed is not None and wanted(pointed.st_mode):
        if follow:
            return Path(os.path.realpath(path))
        raise OutputError(f"{path}: is a symbolic link: netmap does not replace links inside an output folder")
    to = "nothing" if pointed is None else _kind(pointed.st_mode)
    raise OutputError(f"{path}: is a symbolic link to {to}: netmap writes only to a new path or {what}")


# --------------------------------------------------------------------------- one file


def write_bytes_atomically(path: str | Path, data: bytes) -> Path:
    """Write one file through a temporary file beside it; :class:`OutputError` if it cannot be written.

    ``path`` must be new or a regular file (or a symbolic link to one, whose
    target is replaced). On any exception, the temporary file is removed.
    """
    path = Path(path)
    target = writable_path(path)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, file_mode() if not target.exists() else stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write one UTF-8 text file through a temporary file."""
    return write_bytes_atomically(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- a folder of files


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block is done (main thread only, where the system allows)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class StagedFiles:
    """Files opened under temporary names, put into ``folder`` together by :func:`atomic_files`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []
        self._open: list[IO] = []
        self._stage: Path | None = None
        self._in_place = False  # staged inside the folder, renamed in file by file

    def _begin(self) -> None:
        folder = self.folder
        exists = folder.is_dir()
        self._in_place = exists and (_inside(Path.cwd().resolve(), folder.resolve())
                                     or not os.access(folder.parent, os.W_OK) or self._has_own_folders())
        where = folder if self._in_place else folder.parent
        where.mkdir(parents=True, exist_ok=True)
        self._stage = Path(tempfile.mkdtemp(prefix=f".{folder.name or 'netmap'}.", suffix=".tmp", dir=where))

    def _has_own_folders(self) -> bool:
        return any(not e.is_file(follow_symlinks=False) for e in os.scandir(self.folder))

    def open(self, name: str, *, binary: bool = False) -> IO:
        """A new temporary file that becomes ``folder/name``: UTF-8 text (no newline translation) or bytes."""
        if self._stage is None or "/" in name or name in ("", ".", ".."):
            raise OutputError(f"{self.folder / name}: cannot write: not a file name of the folder")
        writable_path(self.folder / name, follow=False)
        path = self._stage / name
        out = path.open("wb") if binary else path.open("w", encoding="utf-8", newline="")
        os.chmod(path, file_mode())
        self.names.append(name)
        self._open.append(out)
        return out

    def _commit(self) -> None:
        for out in self._open:
            out.close()
        stage, folder = self._stage, self.folder
        assert stage is not None
        with _signals_held():
            if not self._in_place and not folder.exists():
                os.chmod(stage, 0o777 & ~_umask())
                os.rename(stage, folder)
            elif self._in_place or not self._swap():
                for name in self.names:
                    os.replace(stage / name, folder / name)
                shutil.rmtree(stage, ignore_errors=True)
            self._stage = None

    def _swap(self) -> bool:
        """Exchange the staged folder with the old one, carrying the old one's other files over."""
        stage, folder = self._stage, self.folder
        assert stage is not None
        others = [e for e in os.scandir(folder) if e.name not in self.names]
        if any(not e.is_file(follow_symlinks=False) for e in others):
            return False
        try:
            for entry in others:
                os.link(entry.path, stage / entry.name)
        except OSError:  # a file system without hard links: undo, then file by file
            for entry in others:
                (stage / entry.name).unlink(missing_ok=True)
            return False
        os.chmod(stage, stat.S_IMODE(os.stat(folder).st_mode))
        if _exchange(stage, folder):
            old = stage
        else:  # rename the old folder aside (over an empty folder), then the new one in
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old.tmp", dir=folder.parent))
            os.replace(folder, old)
            try:
                os.rename(stage, folder)
            except OSError:
                os.rename(old, folder)
                raise
        self._settle(old)
        return True

    def _settle(self, old: Path) -> None:
        """Move across anything added to the old folder during the write, then remove the old folder."""
        for entry in os.scandir(old):
            if entry.name not in self.names and not (self.folder / entry.name).exists():
                with suppress(OSError):  # best effort: the new folder is already in place
                    os.rename(entry.path, self.folder / entry.name)
        shutil.rmtree(old, ignore_errors=True)

    def _discard(self) -> None:
        for out in self._open:
            out.close()
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
            self._stage = None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_files(folder: str | Path) -> Iterator[StagedFiles]:
    """Stage files for ``folder`` (created if missing); all are put in place only if the block succeeds.

    On any exception (including KeyboardInterrupt) every temporary file is
    removed and the folder is left as it was; an :class:`OSError` is raised as
    :class:`OutputError` naming the folder. ``folder`` must be new or a folder
    (a symbolic link to one is followed). See the module's docstring for how
    the files are put in place.
    """
    folder = Path(folder)
    staged = StagedFiles(writable_path(folder, folder=True))
    try:
        staged._begin()
        yield staged
        staged._commit()
    except BaseException as exc:
        staged._discard()
        if isinstance(exc, OSError):
            raise OutputError(f"{folder}: cannot write: {exc.strerror or exc}") from None
        raise


def write_files_atomically(folder: str | Path, files: dict[str, str | bytes]) -> None:
    """Write several files into ``folder``, all or nothing (:func:`atomic_files`).

    Raises :class:`OutputError` (naming the folder) if the files cannot be written.
    """
    with atomic_files(folder) as staged:
        for name, content in files.items():
            with staged.open(name, binary=True) as out:
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
