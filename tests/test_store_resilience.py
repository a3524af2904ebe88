"""A server that goes away, and readers during a push: one line within about 10 s, and every
read wholly one version of the map."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from netmap.model import Actor, NetworkMap, Tie
from netmap.store import Store, StoreSettings
from netmap.workspace import write_workspace

pytestmark = pytest.mark.neo4j

NETMAP = str(Path(sys.executable).parent / "netmap")


def versions(key: str, actors: int = 200, ties: int = 3000) -> tuple[NetworkMap, NetworkMap]:
    """Two versions of one map: the second renames every actor, re-notes its ties and drops a third of them."""
    people = [Actor(f"a{i}", f"Actor {i}", ("vcse_provider",)) for i in range(actors)]
    links = [Tie(f"a{i % actors}", f"a{(i % actors + 1 + i // actors) % actors}", "refers_to", directed=True,
                 notes=f"tie {i}") for i in range(ties)]
    v1 = NetworkMap(key, "Resilience", actors=people, ties=links)
    v2 = NetworkMap(key, "Resilience", actors=[replace(a, name=a.name + " (v2)") for a in people],
                    ties=[replace(t, notes=t.notes + " (v2)") for t in links[: ties * 2 // 3]])
    return v1, v2


class CuttingProxy:
    """A TCP proxy to the server that drops every connection and stops listening, as a server that
    stops would: on :meth:`cut`, or once the client has sent ``cut_after`` bytes."""

    def __init__(self, port: int, cut_after: float = float("inf")) -> None:
        self.target, self.cut_after = ("127.0.0.1", port), cut_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sent, self.cut_at = 0, None  # bytes from the client; when the cut happened (monotonic)
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, from_client: bool) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if from_client:
                    with self.lock:
                        self.sent += len(data)
                        over = self.sent >= self.cut_after and self.cut_at is None
                    if over:
                        self.cut()
        except OSError:
            pass

    def cut(self) -> None:
        self.cut_at = time.monotonic()
        with contextlib.suppress(OSError):  # wakes the accept() under way: else it would go on accepting
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()


@pytest.fixture
def key(map_key: str) -> str:
    """The test's map key as a workspace accepts it (letters, digits, '-', '_', '.')."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in map_key)


def _cli_env(settings: StoreSettings, uri: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=uri, NEO4J_USERNAME=settings.username or "neo4j", NEO4J_PASSWORD=settings.password or "")
    return env


def test_nothing_listening_gives_one_line_within_10_s(neo4j_settings: StoreSettings, tmp_path: Path,
                                                      map_key: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = write_workspace(versions(map_key, 20, 40)[0], tmp_path / "ws")
    started = time.monotonic()
    done = subprocess.run([NETMAP, "neo4j", "push", str(folder)], capture_output=True, text=True, timeout=60,
                          env=_cli_env(neo4j_settings, f"bolt://127.0.0.1:{port}"))
    took = time.monotonic() - started
    print(f"\nnothing listening: reported in {took:.1f} s")
    assert took < 10
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"Error: cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused\n"


@pytest.mark.parametrize("retry", [None, 1.0], ids=["default", "retry-1s"])
def test_server_going_away_mid_push(neo4j_settings: StoreSettings, store: Store, tmp_path: Path, key: str,
                                    retry: float | None) -> None:
    """The push fails in one line, soon after the server went away, and the map keeps its old version."""
    v1, v2 = versions(key)
    store.push(v1, _framework())
    folder = write_workspace(v2, tmp_path / "v2")
    port = int(neo4j_settings.uri.rsplit(":", 1)[1])
    proxy = CuttingProxy(port, cut_after=100_000)  # of about 180,000: past the lock, amid the ties
    args = [NETMAP, "neo4j", "push", str(folder), "--prune"]
    args += ["--retry-seconds", str(retry)] if retry is not None else []
    done = subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env=_cli_env(neo4j_settings, f"bolt://127.0.0.1:{proxy.port}"))
    ended = time.monotonic()
    assert proxy.cut_at is not None, done.stdout + done.stderr
    waited = ended - proxy.cut_at
    print(f"\nserver gone mid-push ({proxy.sent:,} bytes sent), --retry-seconds {retry or 'default'}: "
          f"reported {waited:.1f} s later")
    assert waited < (10 if retry is None else 5)
    assert (done.returncode, done.stdout) == (1, "")
    seconds = 5 if retry is None else 1
    assert done.stderr == (f"Error: push of map '{key}' failed, the map is unchanged: lost the connection to "
                           f"Neo4j at bolt://127.0.0.1:{proxy.port} (connection refused) and it did not come back "
                           f"within {seconds} s; --retry-seconds S waits longer\n")
    assert store.pull(key) == v1


def test_driver_warnings_show_with_debug_only(neo4j_settings: StoreSettings, store: Store, tmp_path: Path,
                                              map_key: str) -> None:
    v1, v2 = versions(map_key, 50, 400)
    store.push(v1, _framework())
    folder = write_workspace(v2, tmp_path / "v2")
    port = int(neo4j_settings.uri.rsplit(":", 1)[1])
    proxy = CuttingProxy(port, cut_after=20_000)
    done = subprocess.run([NETMAP, "--debug", "neo4j", "push", str(folder), "--retry-seconds", "2"],
                          capture_output=True, text=True, timeout=120,
                          env=_cli_env(neo4j_settings, f"bolt://127.0.0.1:{proxy.port}"))
    assert done.returncode == 1 and proxy.cut_at is not None
    lines = done.stderr.splitlines()
    assert any(line.startswith("neo4j") and "will be retried" in line for line in lines), done.stderr
    assert lines[-1].startswith(f"netmap.store.connection.ConnectionLost: push of map '{map_key}' failed")
    if neo4j_settings.password:
        assert neo4j_settings.password not in done.stderr + done.stdout


def test_readers_during_a_push_see_one_version_or_the_other(neo4j_settings: StoreSettings, store: Store,
                                                            map_key: str) -> None:
    v1, v2 = versions(map_key)
    store.push(v1, _framework())
    seen = {"old": 0, "new": 0, "mixed": 0, "during": 0}
    pushing: list[float] = []  # start and end of the push
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            with Store(neo4j_settings) as mine:
                while not stop.is_set():
                    began = time.monotonic()
                    got = mine.pull(map_key)
                    kind = "old" if got == v1 else "new" if got == v2 else "mixed"
                    with lock:
                        seen[kind] += 1
                        if len(pushing) == 1 or (len(pushing) == 2 and began < pushing[1]):
                            seen["during"] += 1  # this read overlapped the push
        except BaseException as exc:
            errors.append(exc)

    lock = threading.Lock()
    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    with Store(neo4j_settings) as writer:
        pushing.append(time.monotonic())
        writer.push(v2, _framework(), prune=True)
        pushing.append(time.monotonic())
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(60)
    print(f"\nreaders during a push ({pushing[1] - pushing[0]:.1f} s): {sum(seen[k] for k in ('old', 'new', 'mixed'))} "
          f"reads, {seen['during']} of them overlapping the push; {seen['old']} old, {seen['new']} new, "
          f"{seen['mixed']} mixed")
    assert not errors
    assert seen["mixed"] == 0
    assert seen["old"] and seen["new"] and seen["during"]
    assert store.pull(map_key) == v2


def _framework():
    from netmap.reference import load_framework

    return load_framework("whole-system")

