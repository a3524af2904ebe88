"""docs/compare.md says what netmap does: its shown output is real, its JSON tables list every key, its Python runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.comparisons import compare_site_folders, compare_snapshots, load_snapshot
from netmap.resources import sites_dir

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "compare.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


def _shown_commands() -> list[tuple[str, list[str]]]:
    """Each ``$ netmap compare ...`` of the doc with the lines it shows (up to the first ``...``)."""
    found = []
    for block in _blocks(""):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ netmap compare"):
                shown = []
                for after in lines[i + 1:]:
                    if after == "..." or after.startswith("$ "):
                        break
                    shown.append(after)
                found.append((line[2:], shown))
    return found


@pytest.mark.parametrize(("command", "shown"), _shown_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_shown_output_is_what_netmap_prints(command, shown):
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    assert printed[:len(shown)] == shown


def _documented_fields(table_heading: str) -> str:
    part = DOC.split(table_heading, 1)[1]
    return part.split("\n## ", 1)[0]


def _keys(value, prefix: str = "") -> set[str]:
    """Every key of a JSON document, lists looked into (their first item)."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(key)
            keys |= _keys(inner)
    elif isinstance(value, list) and value:
        keys |= _keys(value[0])
    return keys


def test_every_key_of_the_comparison_document_is_documented():
    pledge = sites_dir() / "pledge"
    before, after = load_snapshot(pledge, at="2020-08"), load_snapshot(pledge, at="2021-12")
    doc = compare_snapshots(before, after, permutations=9).to_dict()
    # a comparison where every list has an item: the synthetic pair
    borough = sites_dir().parent / "snapshots" / "synthetic-borough-update"
    full = compare_snapshots(load_snapshot(borough, at="2024-12"), load_snapshot(borough, at="2025-06"),
                             permutations=9).to_dict()
    table = _documented_fields("## The JSON document")
    names = set(re.findall(r"`([a-z_]+)`", table))
    missing = sorted((_keys(doc) | _keys(full)) - names - set(full["counts"]) - {"before", "after"})
    assert missing == [], f"docs/compare.md does not describe {missing}"
    assert all(full[k] for k in ("joined", "left", "formed", "ended", "findings", "significance"))


def test_every_key_of_the_sites_document_is_documented():
    found = compare_site_folders([sites_dir() / s for s in ("birmingham", "leeds", "manchester")]).to_dict()
    table = _documented_fields("## The sites document")
    names = set(re.findall(r"`([a-z_]+)`", table))
    top = set(found) | set(found["sites"][0]) | set(found["rows"][0]) | set(found["sites"][0]["population_profiles"][0])
    assert sorted(top - names) == []
    assert set(found["method"]) <= names


def test_the_python_example_runs(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    [code] = _blocks("python")
    namespace: dict = {}
    exec(compile(code, "docs/compare.md", "exec"), namespace)
    assert "Synergi Collaborative Centre joined Synergi National Pledge Alliance" in capsys.readouterr().out
    assert namespace["change"].to_dict()["counts"]["memberships_started"] == 1


def _trimmed(value, top: bool = True):
    """A document as docs/compare.md shows it: its top-level lists cut to their first item, numbers to 4 places."""
    if isinstance(value, dict):
        return {k: [_trimmed(i, False) for i in v[:1]] if top and isinstance(v, list) else _trimmed(v, False)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_trimmed(v, False) for v in value]
    return round(value, 4) if isinstance(value, float) else value


def test_the_json_example_is_real_output():
    import json

    [shown] = [b for b in re.findall(r"```json\n(.*?)```", DOC, re.S) if '"schema_version"' in b]
    folder = sites_dir().parent / "snapshots" / "synthetic-borough-update"
    real = compare_snapshots(load_snapshot(folder, at="2024-12"), load_snapshot(folder, at="2025-06")).to_dict()
    assert json.loads(shown) == _trimmed(real)
