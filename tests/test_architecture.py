"""The package's shape: imports flow one way, no cycles, one topic per module.

docs/architecture.md describes the layers checked here. A new module must be
given a layer below (the test fails on a module it does not know).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "netmap"

#: Module prefix -> layer. A module may import only from its own layer or below (longest prefix wins).
LAYERS: dict[str, int] = {
    "netmap.errors": 0,
    "netmap.resources": 0,
    "netmap.progress": 0,
    "netmap.lazy": 0,
    "netmap.memory": 0,
    "netmap.model": 1,
    "netmap.fileio": 1,
    "netmap.cells": 1,
    "netmap.reference": 2,
    "netmap.sources": 2,
    "netmap.result": 2,
    "netmap.privacy": 2,
    "netmap.graph": 3,
    "netmap.scopes": 3,
    "netmap.snapshots": 3,
    "netmap.workspace": 3,
    "netmap.registers": 3,
    "netmap.analysis": 4,
    "netmap.gaps": 5,
    "netmap.decisions": 6,
    "netmap.render": 7,
    "netmap.store": 7,
    "netmap.synthetic": 7,
    "netmap.workflows": 8,
    "netmap.comparisons": 8,
    "netmap.cli": 9,
    # the public API (netmap/__init__.py) and the deprecated aliases of 0.1's module paths
    "netmap": 10,
    "netmap.ingest": 10,
    "netmap.viz": 10,
    "netmap.report": 10,
}

#: Third-party packages only one part of netmap may import.
CONFINED = {"neo4j": "netmap.store", "click": "netmap.cli"}

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    best = max((prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")), key=len)
    return LAYERS[best]


def _type_checking_only(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` exactly: its body is for type checkers only and never runs."""
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, int]]:
    """(imported name, line) for every import that runs, at any depth, skipping TYPE_CHECKING blocks."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            for child in node.orelse:  # an else branch runs
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append((submodule if submodule in MODULES else source, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _netmap_target(name: str) -> str | None:
    """The netmap module an imported name resolves to (the longest known module prefix)."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        candidate = ".".join(parts[:i])
        if candidate in MODULES:
            return candidate
    return None


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported netmap module: line}."""
    graph: dict[str, dict[str, int]] = defaultdict(dict)
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, line in _imports(tree, module, path.name == "__init__.py"):
            target = _netmap_target(name) if name.split(".")[0] == "netmap" else None
            if target and target != module:
                graph[module].setdefault(target, line)
    return graph


def test_every_module_has_a_layer():
    """A new top-level module or package must be placed in LAYERS (docs/architecture.md says where)."""
    unplaced = [m for m in MODULES if m != "netmap" and not any(
        m == prefix or m.startswith(prefix + ".") for prefix in LAYERS if prefix != "netmap")]
    assert not unplaced, f"give these a layer in LAYERS: {unplaced}"


def test_no_module_imports_from_a_higher_layer():
    wrong = [f"{MODULES[m].relative_to(PACKAGE.parent)}:{line}: {m} (layer {layer_of(m)}) imports {t} "
             f"(layer {layer_of(t)})"
             for m, targets in import_graph().items() for t, line in targets.items() if layer_of(t) > layer_of(m)]
    assert not wrong, "\n".join(wrong)


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import cycle as a list of modules (first = last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_there_is_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def package_graph() -> dict[str, dict[str, int]]:
    """The import graph between top-level parts (``netmap.render``, ``netmap.gaps`` ...), not modules."""
    def part(module: str) -> str:
        return ".".join(module.split(".")[:2])

    graph: dict[str, dict[str, int]] = defaultdict(dict)
    for m, targets in import_graph().items():
        for t, line in targets.items():
            if part(t) != part(m) and part(m) != "netmap":
                graph[part(m)].setdefault(part(t), line)
    return graph


def test_there_is_no_cycle_between_packages():
    cycle = find_cycle(package_graph())
    assert cycle is None, "packages import each other: " + " -> ".join(cycle)


def test_type_checking_blocks_are_skipped_but_their_else_is_not():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import netmap.cli\n"
                     "else:\n    import netmap.workflows\nif not TYPE_CHECKING:\n    import netmap.gaps\n")
    names = [name for name, _ in _imports(tree, "netmap.model", False)]
    assert "netmap.cli" not in names and "netmap.workflows" in names and "netmap.gaps" in names


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}, "c": {"a": 1}}) is None


@pytest.mark.parametrize(("package", "home"), sorted(CONFINED.items()))
def test_confined_third_party_imports(package, home):
    outside = sorted(
        f"{m}:{line}" for m, path in MODULES.items() if not (m == home or m.startswith(home + "."))
        for name, line in _imports(ast.parse(path.read_text(encoding="utf-8")), m, path.name == "__init__.py")
        if name.split(".")[0] == package)
    assert not outside, f"only {home} may import {package}: {outside}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_says_its_topic_and_stays_small(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    doc = ast.get_docstring(tree)
    assert doc and doc.splitlines()[0].strip(), f"{module} has no one-line docstring saying what it holds"
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines (split it by topic)"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{module}: functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"
