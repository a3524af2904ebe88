"""Shared pytest fixtures.

Neo4j: tests marked ``neo4j`` use the ``neo4j_settings`` / ``store`` fixtures. The session
starts the throw-away Neo4j 5.26 server of ``tests/neo4j_server/`` once (fetching its jars with
Maven the first time), with authentication on, or uses the server named by ``NEO4J_URI``
(with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``). When the server cannot
start, the tests fail under CI (``CI`` set) and are skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
import uuid
from pathlib import Path

import pytest

_SERVER_DIR = Path(__file__).resolve().parent / "neo4j_server"
_NOTES: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _empty_user_data(tmp_path_factory: pytest.TempPathFactory):
    """Every test starts with an empty netmap data folder: no profiles imported on this machine leak in."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NETMAP_DATA_HOME", str(tmp_path_factory.mktemp("netmap-data-home")))
        yield


def load_neo4j_server_module():
    """``tests/neo4j_server/server.py`` as a module (it is not part of a package)."""
    name = "netmap_tests_neo4j_server"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _SERVER_DIR / "server.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _cannot_start(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("NETMAP_REQUIRE_SERVICES"):
        pytest.fail(f"Neo4j test server could not start (CI must not skip Neo4j tests): {reason}",
                    pytrace=False)
    pytest.skip(f"Neo4j test server could not start: {reason}")


@pytest.fixture(scope="session")
def neo4j_server(request: pytest.FixtureRequest):
    """The session's own Neo4j server (None when ``NEO4J_URI`` points at another one)."""
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    server = load_neo4j_server_module()
    password = "netmap-" + secrets.token_hex(8)
    try:
        handle = server.start(password=password)
    except Exception as exc:  # ServerError, missing java/mvn, ...
        _cannot_start(str(exc))
        return
    yield handle
    failed = request.session.testsfailed > 0
    handle.stop(keep_log=failed)
    if failed:
        _NOTES.append(f"Neo4j test server log kept: {handle.log_path}\n{handle.log_tail(15)}")


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_server) -> str:
    return neo4j_server.uri if neo4j_server is not None else os.environ["NEO4J_URI"]


@pytest.fixture(scope="session")
def neo4j_settings(neo4j_server, neo4j_uri):
    """Connection settings of the session's Neo4j (a ``netmap.store.StoreSettings``)."""
    from netmap.store import Store, StoreSettings

    if neo4j_server is not None:
        user, password = neo4j_server.auth
        settings = StoreSettings(uri=neo4j_uri, username=user, password=password)
    else:
        settings = StoreSettings.from_env()
    try:
        with Store(settings) as store:
            store.ensure_schema()
    except Exception as exc:
        _cannot_start(f"{neo4j_uri} does not answer: {exc}")
    return settings


@pytest.fixture
def store(neo4j_settings):
    """A connected ``netmap.store.Store`` for one test."""
    from netmap.store import Store

    with Store(neo4j_settings) as connected:
        yield connected


@pytest.fixture
def neo4j_env(neo4j_settings, monkeypatch) -> None:
    """The session's Neo4j in the connection variables a user sets (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_settings.username or "neo4j")
    if neo4j_settings.password:
        monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    else:
        monkeypatch.delenv("NEO4J_PASSWORD", raising=False)


@pytest.fixture
def map_key(request: pytest.FixtureRequest) -> str:
    """A map key of the test's own, so tests never see each other's maps."""
    return f"t-{request.node.name[:40]}-{uuid.uuid4().hex[:8]}"


def pytest_terminal_summary(terminalreporter) -> None:
    for note in _NOTES:
        terminalreporter.write_line(note)


def _site_result(site: str):
    from netmap.resources import sites_dir
    from netmap.workflows import run_map
    from netmap.workspace import read_workspace

    folder = sites_dir() / site
    return run_map(read_workspace(folder), folder=folder)


@pytest.fixture(scope="session")
def leeds():
    """The Leeds sample, analysed (a ``SiteResult``; treat it as read-only)."""
    return _site_result("leeds")


@pytest.fixture(scope="session")
def manchester():
    """The Manchester sample, analysed (read-only)."""
    return _site_result("manchester")


@pytest.fixture(scope="session")
def tricky():
    """A small map with hostile names (see tests/browser.py), analysed (read-only)."""
    import browser

    from netmap.workflows import run_map

    return run_map(browser.tricky_map())
