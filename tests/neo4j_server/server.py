"""Fetch and run the throw-away Neo4j Community 5.26 server used by tests and benchmarks.

    from tests.neo4j_server.server import start   # or load this file by path
    handle = start()            # free port on 127.0.0.1, auth off
    print(handle.uri)           # bolt://127.0.0.1:<port>
    handle.stop()

The jars come from Maven Central through ``pom.xml`` (``mvn dependency:copy-dependencies``)
into ``lib/`` the first time (about a minute; git-ignored). ``Launcher.java`` runs as a
single-file Java program on that class path; its output goes to a log file under ``run/``
(never a pipe, which could fill up and block the server).

Environment: ``NETMAP_JAVA`` (java executable; else ``$JAVA_HOME/bin/java``; else ``java``),
``NETMAP_MVN`` (maven executable, default ``mvn``), ``NETMAP_NEO4J_HEAP`` (default ``2g``).

Run as a script to keep a server up by hand: ``python tests/neo4j_server/server.py`` (``--help``
for its options; ``fetch`` only fetches the jars).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIB = HERE / "lib"
RUN = HERE / "run"
LAUNCHER = HERE / "Launcher.java"
_COMPLETE = ".complete"


#: The JVM options a Neo4j 5 installation runs with (``server.jvm.additional`` in its default
#: neo4j.conf), so that the server runs as users run it: among them the opening of java.nio,
#: without which the page cache falls back to a slower way of reaching its memory. The heap's
#: initial size is its maximum (``-Xms`` = ``-Xmx``), as Neo4j recommends.
JVM_OPTIONS = (
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


class ServerError(RuntimeError):
    """The test server could not be fetched or started."""


def _java() -> str:
    if os.environ.get("NETMAP_JAVA"):
        return os.environ["NETMAP_JAVA"]
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise ServerError("java not found: install a JDK 17 (Neo4j 5.26 runs on Java 17 or 21) or set NETMAP_JAVA")
    return found


def jars_present() -> bool:
    return (LIB / _COMPLETE).is_file()


def ensure_jars(timeout: float = 900) -> Path:
    """Copy the Neo4j jars into ``lib/`` with Maven unless they are there already."""
    if jars_present():
        return LIB
    RUN.mkdir(parents=True, exist_ok=True)
    with open(RUN / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be fetching right now
        if jars_present():
            return LIB
        mvn = os.environ.get("NETMAP_MVN") or shutil.which("mvn")
        if not mvn:
            raise ServerError("mvn not found: install Maven 3 to fetch the Neo4j test server")
        partial = HERE / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "dependency:copy-dependencies", f"-DoutputDirectory={partial}"]
        try:
            done = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ServerError(f"mvn did not fetch the Neo4j jars within {timeout:.0f} s") from None
        if done.returncode != 0 or not any(partial.glob("*.jar")):
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
            raise ServerError(f"mvn failed to fetch the Neo4j jars (exit {done.returncode}):\n{tail}")
        (partial / _COMPLETE).write_text("ok\n")
        shutil.rmtree(LIB, ignore_errors=True)
        partial.rename(LIB)
    return LIB


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerHandle:
    """A running test server. ``stop()`` ends it and removes its data folder."""

    uri: str
    port: int
    log_path: Path
    data_dir: Path
    process: subprocess.Popen = field(repr=False)
    auth: tuple[str, str] | None = field(default=None, repr=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash would."""
        if self.alive():
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self, keep_log: bool = False, timeout: float = 60, remove_data: bool = True) -> None:
        if self.alive():
            with contextlib.suppress(OSError):
                if self.process.stdin:
                    self.process.stdin.close()  # the launcher stops when its stdin closes
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        if remove_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        if not keep_log:
            with contextlib.suppress(OSError):
                self.log_path.unlink()

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop(keep_log=exc[0] is not None)


def wait_for_bolt(uri: str, auth: tuple[str, str] | None, timeout: float,
                  process: subprocess.Popen | None = None) -> None:
    """Poll until a Bolt server answers at ``uri`` (raise ServerError after ``timeout`` s)."""
    from neo4j import GraphDatabase

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerError(f"the Neo4j launcher exited with code {process.returncode}")
        try:
            with GraphDatabase.driver(uri, auth=auth, connection_timeout=2) as driver:
                driver.verify_connectivity()
            return
        except Exception as exc:  # not up yet
            last = exc
            time.sleep(0.5)
    raise ServerError(f"Neo4j did not answer at {uri} within {timeout:.0f} s ({type(last).__name__})")


def start(port: int | None = None, password: str | None = None, timeout: float = 120,
          heap: str | None = None, page_cache: int | None = None, data_dir: Path | None = None) -> ServerHandle:
    """Start a server on 127.0.0.1 and wait until Bolt answers.

    With ``password`` authentication is on for user ``neo4j``. ``data_dir`` reopens the
    database of an earlier server (stopped with ``remove_data=False``, or killed). Raises
    ServerError (with the log's path and tail) when it cannot start.
    """
    ensure_jars()
    port = port or free_port()
    RUN.mkdir(parents=True, exist_ok=True)
    name = f"neo4j-{port}-{uuid.uuid4().hex[:8]}"
    data_dir = Path(data_dir) if data_dir is not None else RUN / name
    log_path = RUN / f"{name}.log"
    heap = heap or os.environ.get("NETMAP_NEO4J_HEAP", "2g")
    cmd = [_java(), f"-Xms{heap}", f"-Xmx{heap}", *JVM_OPTIONS, "-cp", str(LIB / "*"), str(LAUNCHER), str(data_dir),
           str(port)]
    if password is not None:
        cmd.append(password)
    env = dict(os.environ)
    if page_cache:
        env["NETMAP_NEO4J_PAGECACHE"] = str(page_cache)
    log = open(log_path, "wb")  # noqa: SIM115 - the child keeps writing to it
    try:
        process = subprocess.Popen(cmd, cwd=HERE, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)
    except OSError as exc:
        log_path.unlink(missing_ok=True)
        raise ServerError(f"cannot run {cmd[0]}: {exc.strerror or exc}") from None
    finally:
        log.close()
    auth = ("neo4j", password) if password is not None else None
    handle = ServerHandle(uri=f"bolt://127.0.0.1:{port}", port=port, log_path=log_path, data_dir=data_dir,
                          process=process, auth=auth)
    try:
        wait_for_bolt(handle.uri, auth, timeout, process)
    except ServerError as exc:
        handle.stop(keep_log=True)
        raise ServerError(f"{exc}; log {log_path}:\n{handle.log_tail()}") from None
    return handle


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="server.py", description="Fetch and run the throw-away Neo4j Community 5.26 server of netmap's tests.",
        epilog="Example: python tests/neo4j_server/server.py --port 7687 --password secret "
               "(then NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=secret netmap neo4j maps)")
    parser.add_argument("command", nargs="?", choices=["run", "fetch"], default="run",
                        help="run: start a server and keep it up until Ctrl-C (default); "
                             "fetch: only copy the Neo4j jars into lib/ with Maven")
    parser.add_argument("--port", type=int, default=None, help="Bolt port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--password", default=None,
                        help="password of user neo4j (default: authentication off)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """``server.py fetch`` fetches the jars; ``server.py [run]`` runs a server until Ctrl-C."""
    args = _arguments(argv)
    if args.command == "fetch":
        print(f"Neo4j jars in {ensure_jars()}", flush=True)
        return 0
    handle = start(port=args.port, password=args.password)
    print(f"Neo4j is up at {handle.uri} (log {handle.log_path}); press Ctrl-C to stop.", flush=True)
    try:
        while handle.alive():
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
