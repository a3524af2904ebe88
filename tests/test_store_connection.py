"""Connecting to Neo4j: one-line messages within 10 s, and the password never shown."""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import replace

import pytest

from netmap.errors import StoreError
from netmap.store import Store, StoreSettings

pytestmark = pytest.mark.neo4j


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_settings_from_env_and_repr_hide_the_password() -> None:
    env = {"NEO4J_URI": "neo4j+s://abc.databases.neo4j.io", "NEO4J_USERNAME": "reader",
           "NEO4J_PASSWORD": "s3cr3t-Pa55", "NEO4J_DATABASE": "maps"}
    settings = StoreSettings.from_env(env)
    assert (settings.uri, settings.username, settings.password, settings.database) == (
        "neo4j+s://abc.databases.neo4j.io", "reader", "s3cr3t-Pa55", "maps")
    for text in (repr(settings), str(settings), repr(Store(settings))):
        assert "s3cr3t-Pa55" not in text and "***" in text
    assert StoreSettings.from_env(env, uri="bolt://x:7687", password=None).uri == "bolt://x:7687"
    assert StoreSettings.from_env({}).uri == "bolt://localhost:7687"
    with_userinfo = StoreSettings(uri="bolt://bob:hunter2@db:7687", password="hunter2")
    assert "hunter2" not in repr(with_userinfo)


def test_unreachable_server_fails_fast_with_one_line() -> None:
    port = _closed_port()
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        Store(StoreSettings(uri=f"bolt://127.0.0.1:{port}", password="pw-not-shown")).connect()
    assert time.monotonic() - started < 10
    assert str(info.value) == f"cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused"


def test_bad_uri_is_one_line() -> None:
    with pytest.raises(StoreError, match="cannot use NEO4J_URI 'ftp://x'") as info:
        Store(StoreSettings(uri="ftp://x")).connect()
    assert "\n" not in str(info.value)


def test_wrong_password(neo4j_settings: StoreSettings, caplog: pytest.LogCaptureFixture,
                        capsys: pytest.CaptureFixture[str]) -> None:
    wrong = "Wrong-Pa55word-" + "x" * 8
    settings = replace(neo4j_settings, password=wrong)
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    try:
        with Store(settings):
            pass
    except StoreError as exc:
        message = str(exc)
    else:
        pytest.skip("this server accepts any password (authentication is off)")
    assert time.monotonic() - started < 10
    assert message == (f"Neo4j at {neo4j_settings.uri} refused the credentials of user "
                       f"'{neo4j_settings.username}' (check NEO4J_USERNAME and NEO4J_PASSWORD)")
    out = capsys.readouterr()
    for text in (message, repr(settings), caplog.text, out.out, out.err):
        assert wrong not in text
        if neo4j_settings.password:
            assert neo4j_settings.password not in text


def test_missing_database(neo4j_settings: StoreSettings) -> None:
    settings = replace(neo4j_settings, database="no-such-database")
    with pytest.raises(StoreError) as info:
        Store(settings).connect()
    assert str(info.value) == f"database 'no-such-database' does not exist on Neo4j at {neo4j_settings.uri}"


def test_connects_and_reports_version(store: Store) -> None:
    assert store.server_version and int(store.server_version.split(".")[0]) >= 5
    assert neo4j_password_hidden(store)


def neo4j_password_hidden(store: Store) -> bool:
    password = store.settings.password
    return not password or password not in repr(store)


def test_server_older_than_5_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import netmap.store.connection as store_module

    class OldDriver:
        closed = False

        def verify_connectivity(self) -> None:
            pass

        def execute_query(self, *args, **kwargs):
            return [{"name": "Neo4j Kernel", "versions": ["4.4.12"], "edition": "community"}], None, None

        def close(self) -> None:
            OldDriver.closed = True

    monkeypatch.setattr(store_module.GraphDatabase, "driver", lambda *a, **k: OldDriver())
    with pytest.raises(StoreError) as info:
        Store(StoreSettings(uri="bolt://old:7687", password="pw")).connect()
    assert str(info.value) == "Neo4j at bolt://old:7687 runs Neo4j 4.4.12; netmap needs Neo4j 5 or later"
    assert OldDriver.closed
