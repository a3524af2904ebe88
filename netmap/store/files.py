"""What a pulled map needs beside its tables: its framework as a file, the population profiles this machine lacks.

A map pushed with a framework of its own (a ``.toml`` file) keeps that framework in the database;
a pulled workspace gets the file back beside its ``netmap.toml``, and a map read with ``--neo4j``
gets it in a temporary folder, so every command measures the map against the framework it was
pushed with. A map that names a built-in framework equal to the stored one needs no file. The
stored profiles its localities name that netmap does not know here become the map's own.

>>> from netmap.model import Constituency, ExpectedLink
>>> fw = Framework("mini", "Mini", (Constituency("a", "A", "vcse", reaches=("b",)),
...                                 Constituency("b", "B", "statutory")),
...                (ExpectedLink("a", "b", "they work together"),))
>>> print(framework_toml(fw), end="")  # doctest: +ELLIPSIS
# A constituency framework kept in Neo4j with a map: see docs/formats.md
key = "mini"
name = "Mini"
...
[[constituencies]]
key = "a"
label = "A"
sector = "vcse"
description = ""
min_presence = 1
weight = 1.0
reaches = ["b"]
...
[[expected_links]]
between = ["a", "b"]
reason = "they work together"
direct = false
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from netmap.errors import ReferenceDataError
from netmap.fileio import write_text_atomically
from netmap.model import Framework, NetworkMap, PopulationProfile
from netmap.reference import available_frameworks, load_framework, map_profiles
from netmap.workspace.config import toml_string
from netmap.workspace.tables import CONFIG_FILE

_TEMP: list[Path] = []  # this process's folder of frameworks read from Neo4j (removed at exit)


def framework_toml(fw: Framework) -> str:
    """``fw`` as a framework file that :func:`netmap.reference.load_framework` reads back equal."""
    def strings(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(toml_string(v) for v in values) + "]"

    lines = ["# A constituency framework kept in Neo4j with a map: see docs/formats.md",
             f"key = {toml_string(fw.key)}", f"name = {toml_string(fw.name)}",
             f"description = {toml_string(fw.description)}", f"source = {toml_string(fw.source)}"]
    for c in fw.constituencies:
        lines += ["", "[[constituencies]]", f"key = {toml_string(c.key)}", f"label = {toml_string(c.label)}",
                  f"sector = {toml_string(c.sector)}", f"description = {toml_string(c.description)}",
                  f"min_presence = {int(c.min_presence)}", f"weight = {float(c.weight)!r}",
                  f"reaches = {strings(c.reaches)}"]
    for link in fw.expected_links:
        lines += ["", "[[expected_links]]", f"between = {strings((link.a, link.b))}",
                  f"reason = {toml_string(link.reason)}", f"direct = {'true' if link.direct else 'false'}"]
    return "\n".join(lines) + "\n"


def is_builtin(nmap: NetworkMap, fw: Framework) -> bool:
    """Whether the map names a built-in framework equal to ``fw`` (then no file is needed)."""
    if nmap.framework not in available_frameworks():
        return False
    try:
        return load_framework(nmap.framework) == fw
    except ReferenceDataError:
        return False


def framework_file_name(nmap: NetworkMap, fw: Framework) -> str:
    """Where a pulled workspace keeps ``fw``: the path netmap.toml named if it lies inside the
    workspace (``fw.toml``, ``frameworks/fw.toml``), else a file named after it in the workspace.

    >>> from netmap.model import Constituency
    >>> fw = Framework("mine", "Mine", (Constituency("a", "A", "vcse"),))
    >>> [framework_file_name(NetworkMap("m", "M", framework=f), fw)
    ...  for f in ("frameworks/fw.toml", "../common/fw.toml", "/etc/fw.toml", "whole-system")]
    ['frameworks/fw.toml', 'fw.toml', 'fw.toml', 'mine.toml']
    """
    named = PurePosixPath(nmap.framework.replace("\\", "/"))
    if named.suffix == ".toml" and named.name != CONFIG_FILE:
        inside = not named.is_absolute() and ".." not in named.parts
        return str(named) if inside else named.name
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in fw.key).strip(".") or "framework"
    return f"{stem}.toml"


def keep_framework(nmap: NetworkMap, fw: Framework | None, folder: str | Path | None = None) -> Path | None:
    """Give a pulled map its framework: write ``fw`` into the workspace ``folder`` (or, with no
    folder, a temporary folder removed when the program ends) unless the map names an equal
    built-in framework. Sets ``nmap.framework_file`` (and, in a folder, ``nmap.framework`` to the
    file's relative path); returns the file written, or None."""
    if fw is None or is_builtin(nmap, fw):
        return None
    text = framework_toml(fw)
    if folder is None:
        path = _temporary_folder() / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.toml"
    else:
        name = framework_file_name(nmap, fw)
        path = Path(folder) / name
        nmap.framework = name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, text)
    nmap.framework_file = path.resolve()
    return path


def keep_profiles(nmap: NetworkMap, stored: Mapping[str, PopulationProfile]) -> list[str]:
    """Add to the map's own profiles the ``stored`` ones its localities name and this machine does not
    know (e.g. imported with ``netmap import census`` where the map was pushed); returns their keys."""
    known = map_profiles(nmap)
    wanted = {loc.population for loc in nmap.localities}
    missing = {key: profile for key, profile in stored.items() if key in wanted and key not in known}
    if missing:
        nmap.populations = {**nmap.populations, **missing}
    return list(missing)


def _temporary_folder() -> Path:
    if not _TEMP:
        folder = Path(tempfile.mkdtemp(prefix="netmap-neo4j-frameworks-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _TEMP.append(folder)
    return _TEMP[0]

