"""Output file names: the export formats, their suffixes, and what every output is called by default.

A map's outputs are named after the workspace folder (or workbook) it was read from, so two
folders whose maps share a key (``2024/leeds`` copied to ``leeds-draft``, both ``map = "leeds"``)
never write the same file. A map read from Neo4j, or built in Python without a folder, is named
after its map key. ``--out`` names any output explicitly.

This module imports nothing heavy: the command line reads its names to build its options.

>>> from netmap.model import NetworkMap
>>> output_stem(NetworkMap(key="leeds", name="Leeds"), Path("maps/leeds-draft"))
'leeds-draft'
>>> output_stem(NetworkMap(key="leeds", name="Leeds"), None)
'leeds'
>>> default_output_path("kumu", "leeds-draft"), default_output_path("csv", "leeds-draft")
(PosixPath('leeds-draft.xlsx'), PosixPath('leeds-draft-csv'))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from netmap.errors import OutputError

if TYPE_CHECKING:
    from netmap.model import NetworkMap

#: Formats :func:`netmap.render.export.export` writes.
EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv", "json", "kumu")

#: The pages ``netmap map`` and ``netmap report`` write.
PAGES: tuple[str, ...] = ("map", "report")

_SUFFIX = {"graphml": ".graphml", "gexf": ".gexf", "csv": "-csv", "json": ".json", "kumu": ".xlsx",
           "map": "-map.html", "report": "-report.html"}


def output_stem(nmap: NetworkMap, source: Path | None) -> str:
    """What a map's outputs are called: its folder's name (a workbook's name without suffix), else its key.

    ``.`` and other relative names are resolved first, so ``netmap map .`` is named after the
    folder you are in.
    """
    if source is not None:
        path = Path(source).resolve()
        name = path.stem if path.suffix.lower() in (".xlsx", ".xlsm") else path.name
        if name:
            return name
    return nmap.key or "netmap"


def default_output_path(kind: str, stem: str) -> Path:
    """The default output of one kind (an export format, ``map`` or ``report``) for a map called ``stem``.

    CSV is a folder, ``<stem>-csv``; the pages are ``<stem>-map.html`` and ``<stem>-report.html``.
    """
    if kind not in _SUFFIX:
        raise OutputError(f"unknown export format '{kind}': choose one of {', '.join(EXPORT_FORMATS)}")
    return Path(f"{stem}{_SUFFIX[kind]}")
