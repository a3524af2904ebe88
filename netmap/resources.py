"""Where netmap finds its reference data, Cypher files and HTML templates.

In a source checkout (or an editable install) they are the top-level
``data/``, ``cypher/`` and ``visualisations/templates/`` folders; a built
wheel carries copies inside the package as ``netmap/_data``, ``netmap/_cypher``
and ``netmap/_templates``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[0]


def data_dir() -> Path:
    """The folder holding frameworks, census tables and sample sites."""
    return _first_existing(_PACKAGE / "_data", _PACKAGE.parent / "data")


def cypher_dir() -> Path:
    """The folder holding one ``.cypher`` file per named query."""
    return _first_existing(_PACKAGE / "_cypher", _PACKAGE.parent / "cypher")


def template_dir() -> Path:
    """The folder of HTML templates (``netmap/_templates`` in a wheel, else ``visualisations/templates``)."""
    return _first_existing(_PACKAGE / "_templates", _PACKAGE.parent / "visualisations" / "templates")


def user_data_dir() -> Path:
    """netmap's own folder of the user's data (imported population profiles, say).

    ``NETMAP_DATA_HOME`` if set, else ``$XDG_DATA_HOME/netmap``, else ``~/.local/share/netmap``.
    """
    if os.environ.get("NETMAP_DATA_HOME"):
        return Path(os.environ["NETMAP_DATA_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "netmap"


def sites_dir() -> Path:
    """The folder of sample workspaces, one sub-folder per site."""
    return data_dir() / "sites"


def sample_sites() -> list[Path]:
    """Every sample workspace shipped with netmap, in name order."""
    root = sites_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "netmap.toml").is_file())
