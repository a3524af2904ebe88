"""The layout process of ``netmap map`` dies with the command, however the command ends.

On maps of 2,000 actors or more ``netmap map`` forks a process that lays the map out. These tests
run the real command on a 2,100-actor synthetic workspace, kill it at several moments with
SIGTERM, SIGKILL and Ctrl-C (SIGINT), and check that the caller is not left waiting on its output,
that no layout process survives (found by pid under /proc) and that nothing is left in the output
folder. Linux only: the layout process is forked only there.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from netmap.workflows import PARALLEL_LAYOUT_MIN_ACTORS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                                reason="the layout process is forked only on Linux with two cores or more")

NETMAP = str(Path(sys.executable).parent / "netmap")
ACTORS = 2100

#: The command with its analysis made endless: the layout process finishes and then waits, blocked,
#: to hand over positions larger than a pipe's buffer, the state in which it used to outlive a killed parent.
ENDLESS_ANALYSIS = textwrap.dedent("""
    import sys, time
    from netmap import workflows
    workflows.run_map = lambda *args, **kwargs: time.sleep(3600)
    from netmap.cli import main
    sys.exit(main(sys.argv[1:], prog_name="netmap"))
""")


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "borough"
    subprocess.run([NETMAP, "synth", "--actors", str(ACTORS), "--out", str(folder)], check=True,
                   capture_output=True)
    assert ACTORS >= PARALLEL_LAYOUT_MIN_ACTORS
    return folder


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:  # it has ended
        return []
    for task in tasks:
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _state(pid: int) -> str:
    """The process's state letter (``Z`` for a dead one not yet reaped), or ``gone``."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "gone"
    return next(line.split()[1] for line in status.splitlines() if line.startswith("State:"))


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_for(condition, what: str, timeout: float = 180.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _start(command: list[str]) -> tuple[subprocess.Popen, int]:
    """Start ``command`` and wait for its layout process; returns both."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        children = _wait_for(lambda: (proc.poll() is None and _children(proc.pid)) or proc.poll() is not None,
                             "the layout process")
        assert children is not True, f"netmap ended before forking: {proc.communicate()[1].decode()}"
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return proc, children[0]


def _kill_and_check(proc: subprocess.Popen, child: int, sig: int, out: Path) -> tuple[int, str]:
    """Send ``sig``, then check the caller gets its output back, the child dies and ``out`` stays empty."""
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=30)  # returns only when every holder of stdout/stderr is gone
    except subprocess.TimeoutExpired:
        proc.kill()
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the caller was left waiting on netmap's output") from None
    try:
        _wait_for(lambda: _state(child) in ("gone", "Z"), f"layout process {child} to end", timeout=10)
    finally:
        if _state(child) not in ("gone", "Z"):
            os.kill(child, signal.SIGKILL)
    assert [p.name for p in out.iterdir()] == []
    return proc.returncode, err.decode()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT], ids=lambda s: s.name)
def test_killed_while_laying_out(big_workspace, tmp_path, sig):
    out = tmp_path / "out"
    out.mkdir()
    proc, child = _start([NETMAP, "map", str(big_workspace), "--out", str(out / "map.html")])
    assert _state(child) not in ("gone", "Z")
    code, err = _kill_and_check(proc, child, sig, out)
    expected = {signal.SIGTERM: 143, signal.SIGKILL: -9, signal.SIGINT: 1}[sig]
    assert code == expected
    if sig == signal.SIGINT:
        assert [line for line in err.splitlines() if line.strip()] == ["Aborted!"]
    else:
        assert err == ""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_killed_while_the_layout_waits_to_be_collected(big_workspace, tmp_path, sig):
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "netmap_endless.py"
    script.write_text(ENDLESS_ANALYSIS)
    proc, child = _start([sys.executable, str(script), "map", str(big_workspace), "--out", str(out / "map.html")])

    def idle() -> bool:  # laid out, and blocked handing the positions over
        before = _cpu_ticks(child)
        time.sleep(1.0)
        return _state(child) == "S" and _cpu_ticks(child) == before

    _wait_for(idle, "the layout process to finish its work")
    code, _ = _kill_and_check(proc, child, sig, out)
    assert code == (143 if sig == signal.SIGTERM else -9)


#: The command with no analysis at all and a slow layout: it forks the layout process and at once waits
#: for positions that take 30 s to come.
NO_ANALYSIS = ENDLESS_ANALYSIS.replace("time.sleep(3600)", "None").replace("from netmap.cli import main", """
from netmap.render import layout
laid_out = layout.layout_drawn_graph
layout.layout_drawn_graph = lambda *args: (time.sleep(30), laid_out(*args))[1]
from netmap.cli import main""")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_killed_while_waiting_for_the_layout_ends_at_once(big_workspace, tmp_path, sig):
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "netmap_no_analysis.py"
    script.write_text(NO_ANALYSIS)
    proc, child = _start([sys.executable, str(script), "map", str(big_workspace), "--out", str(out / "map.html")])
    time.sleep(1.0)  # waiting in the poll for the positions
    start = time.monotonic()
    code, err = _kill_and_check(proc, child, sig, out)
    assert time.monotonic() - start < 3  # the layout process is killed, not waited for
    assert code == (143 if sig == signal.SIGTERM else 1)
    assert err.strip() == ("" if sig == signal.SIGTERM else "Aborted!")


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9])
def test_ctrl_c_in_the_first_second_prints_one_line(big_workspace, tmp_path, delay):
    """While Python imports netmap, then reads the workspace: one line, never a traceback."""
    proc = subprocess.Popen([NETMAP, "map", str(big_workspace), "--out", str(tmp_path / "map.html")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert [line for line in err.decode().splitlines() if line.strip()] == ["Aborted!"]
