"""docs/python-api.md runs as written, and names every public name of ``netmap``.

Its ```` ```python ```` blocks run in order in one namespace, in a temporary
folder (so the files they write land there); blocks fenced ```` ```python neo4j ````
talk to a Neo4j server and run only in the test that has one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import netmap

DOC = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"
BLOCK = re.compile(r"^```python( neo4j)?\n(.*?)^```$", re.S | re.M)


def blocks(with_neo4j: bool) -> list[tuple[int, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(2)) for m in BLOCK.finditer(text)
            if with_neo4j or not m.group(1)]


def run_tour(with_neo4j: bool) -> dict:
    namespace: dict = {"__name__": "python_api_tour"}
    for line, code in blocks(with_neo4j):
        try:
            exec(compile(code, f"{DOC.name}:{line}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"docs/python-api.md, block at line {line} failed: {exc!r}") from exc
    return namespace


def test_the_tour_runs_without_a_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = run_tour(with_neo4j=False)
    assert isinstance(namespace["result"], netmap.Result)
    assert (tmp_path / "leeds-map.html").is_file() and (tmp_path / "leeds-report.html").is_file()


@pytest.mark.neo4j
def test_the_whole_tour_runs_against_neo4j(tmp_path, monkeypatch, neo4j_settings):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_settings.username)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    namespace = run_tour(with_neo4j=True)
    assert namespace["again"].key == namespace["leeds"].key


def test_the_tour_has_both_kinds_of_block():
    assert len(blocks(with_neo4j=True)) > len(blocks(with_neo4j=False)) >= 5


def test_every_public_name_is_in_the_reference():
    reference = DOC.read_text(encoding="utf-8").split("## Reference", 1)[1]
    missing = [name for name in netmap.__all__
               if f"`{name}`" not in reference and f"`{name}(" not in reference and f"`{name}, " not in reference]
    assert not missing, f"not in the reference of docs/python-api.md: {missing}"
