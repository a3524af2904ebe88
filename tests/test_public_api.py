"""The public API: every name in ``netmap.__all__`` resolves, and 0.1's module paths still import (warning)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import netmap


def test_every_public_name_resolves():
    assert [name for name in netmap.__all__ if getattr(netmap, name, None) is None] == []


def test_importing_netmap_does_not_load_the_database_driver():
    code = "import sys, netmap; print('neo4j' in sys.modules); netmap.Store; print('neo4j' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


@pytest.mark.parametrize(("old", "new", "names"), [
    ("netmap.ingest", "netmap.workspace", ["read_workspace", "validate_workspace", "normalise_name"]),
    ("netmap.viz", "netmap.render.map", ["write_map", "render_map", "constituency_colours"]),
    ("netmap.report", "netmap.render.report", ["write_report", "render_report"]),
])
def test_old_module_paths_still_work_and_say_where_they_moved(old, new, names):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}"):
        module = importlib.import_module(old)
    for name in names:
        assert callable(getattr(module, name)), name


def test_netmap_export_is_the_export_function():
    # netmap.export (0.1's module) moved to netmap.render.export; the name is now the function
    assert netmap.export.__name__ == "export_file"
    assert netmap.EXPORT_FORMATS == ("graphml", "gexf", "csv", "json", "kumu")
