"""Where netmap finds its reference data, Cypher files and HTML templates.

In a source checkout (or an editable install) they are the top-level
``data/``, ``cypher/`` and ``visualisations/templates/`` folders; a built
wheel carries copies inside the package as ``netmap/_data``, ``netmap/_cypher``
and ``netmap/_templates``.
"""

from __future__ import annotations

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


def sites_dir() -> Path:
    """The folder of sample workspaces, one sub-folder per site."""
    return data_dir() / "sites"


def sample_sites() -> list[Path]:
    """Every sample workspace shipped with netmap, in name order."""
    root = sites_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "netmap.toml").is_file())
