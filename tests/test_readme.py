"""The README works as written: its Quick start in a fresh venv, then every example it shows.

A copy of the checkout (the files git tracks or would track) goes to a temporary folder, where
the Quick start's ``bash`` block runs as it stands: it makes ``.venv``, installs netmap into it
(pip may fetch from PyPI), activates it and runs the demo. That happens once per test session.
The shell's environment after it (the activated venv) is kept, and each later example runs in
it: the ``bash`` blocks of "Your own map" and every ``$ netmap ...`` line whose output the README
shows, compared with what the README shows (a line ``...`` stands for any lines, ``...`` inside
a line for any text). An example exits 0, or 1 where its output reports errors.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

pytestmark = pytest.mark.install

#: Sections whose ``bash`` blocks a new user runs in order (the test-suite block is not one).
SECTIONS = ("Quick start", "Your own map")
SKIP_BLOCKS = ("./tests/run-all.sh",)

#: Words in pip's output that mean "no network", not "netmap does not install".
OFFLINE = ("Temporary failure in name resolution", "NewConnectionError", "Network is unreachable",
           "No matching distribution found", "Could not find a version")


@dataclass(frozen=True)
class Example:
    """A command from the README and the output it shows (None: not shown)."""

    section: str
    command: str
    shown: str | None

    @property
    def exit_code(self) -> int:
        # validate's summary "...: 9 error(s), ..." goes with exit code 1
        return 1 if self.shown and re.search(r": [1-9]\d* error\(s\)", self.shown) else 0


def _blocks(text: str) -> list[tuple[str, str, str]]:
    """(section, language, body) of every fenced block, in order."""
    found, section = [], ""
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("## ") or line.startswith("### "):
            section = line.lstrip("#").strip()
        elif line.startswith("```"):
            body = []
            for inner in lines:
                if inner.startswith("```"):
                    break
                body.append(inner)
            found.append((section, line[3:].strip(), "\n".join(body)))
    return found


def readme_examples(text: str) -> tuple[str, list[Example]]:
    """The Quick start's install block, and the examples after it."""
    blocks = _blocks(text)
    install, examples = None, []
    for i, (section, language, body) in enumerate(blocks):
        if language == "bash" and section in SECTIONS and body.strip() not in SKIP_BLOCKS:
            if install is None:
                install = body
                continue
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            shown = following[2] if following and following[1] == "" and following[0] == section else None
            examples.append(Example(section, body, shown))
        elif language == "" and body.startswith("$ netmap "):
            for chunk in filter(None, re.split(r"^(?=\$ )", body, flags=re.M)):
                command, _, output = chunk.partition("\n")
                examples.append(Example(section, command[2:], output.rstrip("\n")))
    assert install is not None, "README has no Quick start bash block"
    return install, examples


INSTALL, EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines are what ``shown`` shows: a line ``...`` is any lines, ``...`` in a line any text."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(actual)
        if shown[i].strip() == "...":
            return match(i + 1, j) or (j < len(actual) and match(i, j + 1))
        if j == len(actual):
            return False
        pattern = ".*".join(re.escape(part) for part in shown[i].rstrip().split("..."))
        return re.fullmatch(pattern, actual[j].rstrip()) is not None and match(i + 1, j + 1)

    return match(0, 0)


def test_the_matcher_allows_elisions_and_nothing_else():
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "z"], ["a", "z"])
    assert matches(["absent: x, ..."], ["absent: x, y, z and 3 more"])
    assert not matches(["a", "z"], ["a", "b", "z"])
    assert not matches(["absent: x, ..."], ["absent: y, z"])
    assert not matches(["a", "..."], ["b"])


def test_the_readme_has_the_examples_this_test_runs():
    assert "python3 -m venv .venv" in INSTALL and ". .venv/bin/activate" in INSTALL
    commands = [e.command for e in EXAMPLES]
    assert 'netmap init my-forum --name "Our Creative Spaces forum"' in commands
    assert "netmap validate tests/corpus/broken-csv" in commands
    assert all(not c.startswith(".venv/") for c in commands), "examples run in the activated venv"


def _copy_checkout(to: Path) -> None:
    """The files of the checkout under test, as a fresh clone would have them (plus new, unignored ones)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: everything but the usual litter
        ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", "lib", "run", "netmap-demo")
        shutil.copytree(ROOT, to, ignore=ignore, dirs_exist_ok=True)
        return
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)


def _clean_environment(home: Path) -> dict[str, str]:
    """This process's environment without any active venv, and netmap's data folder in ``home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    venvs = [p for p in env.get("PATH", "").split(os.pathsep) if (Path(p) / "activate").is_file()]
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p not in venvs)
    env["NETMAP_DATA_HOME"] = str(home / "netmap-data")  # profiles imported by an example stay here
    env["COLUMNS"] = "100"
    return env


@pytest.fixture(scope="session")
def fresh_install(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A copy of the checkout with the Quick start run in it; the environment of that shell afterwards."""
    root = tmp_path_factory.mktemp("readme") / "netmap"
    root.mkdir()
    _copy_checkout(root)
    env_file = root.parent / "env-after-quick-start"
    script = f"{INSTALL}\nstatus=$?\nenv -0 > '{env_file}'\nexit $status\n"
    done = subprocess.run(["bash", "-c", script], cwd=root, env=_clean_environment(root.parent),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1800)
    if done.returncode != 0:
        reason = f"the Quick start failed (exit {done.returncode}):\n{done.stdout[-3000:]}"
        if any(word in done.stdout for word in OFFLINE) and not (
                os.environ.get("CI") or os.environ.get("NETMAP_REQUIRE_SERVICES")):
            pytest.skip(f"no network for pip? {reason}")
        pytest.fail(reason, pytrace=False)
    env = dict(item.split("=", 1) for item in env_file.read_text().split("\0") if "=" in item)
    assert (root / "netmap-demo" / "index.html").is_file(), done.stdout[-3000:]
    assert "Open netmap-demo/index.html in a browser" in done.stdout
    assert shutil.which("netmap", path=env["PATH"]) == str(root / ".venv" / "bin" / "netmap")
    return root, env


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.command.splitlines()[0][:60] for e in EXAMPLES])
def test_readme_example_works_as_written(fresh_install, example: Example):
    root, env = fresh_install
    done = subprocess.run(["bash", "-c", example.command], cwd=root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    assert done.returncode == example.exit_code, done.stdout
    if example.shown is not None:
        actual = done.stdout.rstrip("\n").splitlines()
        assert matches(example.shown.splitlines(), actual), (
            f"README shows:\n{example.shown}\n\n`{example.command}` printed:\n{done.stdout}")
