"""Credentials in NEO4J_URI: used as the login, never printed (with or without --debug), and
the other one-line connection messages (a web address, an unknown map, --debug tracebacks).

Each command runs as a real process, so that whatever reaches stdout or stderr (click's output,
a traceback, the driver's own log records) is what a user would see.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netmap.store import StoreSettings
from netmap.store.settings import safe_uri, scrub, split_credentials

NETMAP = str(Path(sys.executable).parent / "netmap")
SECRET = "Pa55-Hunter2-Never-Shown"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def netmap(*args: str, uri: str, debug: bool = False, **env: str) -> subprocess.CompletedProcess:
    """Run ``netmap [--debug] ARGS`` with NEO4J_URI = ``uri`` and only the NEO4J_* variables given."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    environ.update(NEO4J_URI=uri, **env)
    command = [NETMAP, *(["--debug"] if debug else []), *args]
    return subprocess.run(command, capture_output=True, text=True, env=environ, timeout=60, stdin=subprocess.DEVNULL)


def assert_secret_hidden(done: subprocess.CompletedProcess, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in done.stdout and secret not in done.stderr
        assert quote(secret) not in done.stdout and quote(secret) not in done.stderr


# --------------------------------------------------------------------------- the rules, without a server


def test_credentials_in_the_uri_are_the_login_unless_given_apart() -> None:
    uri = f"neo4j+s://ann:{quote(SECRET)}@db.example:7687"
    alone = StoreSettings.from_env({"NEO4J_URI": uri})
    assert (alone.uri, alone.username, alone.password, alone.login_in_uri) == (
        "neo4j+s://db.example:7687", "ann", SECRET, True)
    # a user name or password given on its own (option or variable) wins, each on its own
    both = StoreSettings.from_env({"NEO4J_URI": uri, "NEO4J_USERNAME": "bob", "NEO4J_PASSWORD": "other"})
    assert (both.uri, both.username, both.password, both.login_in_uri) == (
        "neo4j+s://db.example:7687", "bob", "other", False)
    user_only = StoreSettings.from_env({"NEO4J_URI": uri}, username="bob")
    assert (user_only.username, user_only.password) == ("bob", SECRET)
    assert StoreSettings.from_env({"NEO4J_URI": "bolt://db"}).username == "neo4j"
    for text in (repr(alone), str(alone), alone.safe_uri):
        assert SECRET not in text


@settings(max_examples=300, deadline=None)
@given(user=st.text(min_size=1, max_size=12), password=st.text(min_size=4, max_size=24),
       host=st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5})?", fullmatch=True),
       port=st.one_of(st.none(), st.integers(1, 65535)))
def test_any_userinfo_is_taken_out_of_the_uri(user: str, password: str, host: str, port: int | None) -> None:
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}" + (f":{port}" if port else "")
    uri = f"bolt://{netloc}"
    bare, got_user, got_password = split_credentials(uri)
    assert (got_user, got_password) == (user, password)
    assert bare == f"bolt://{host}" + (f":{port}" if port else "")
    assert safe_uri(uri) == bare
    scrubbed = scrub(f"cannot use '{uri}': refused {password}", password)
    assert password not in scrubbed and quote(password, safe="") not in scrubbed


def test_a_web_address_gets_one_line_naming_the_bolt_address() -> None:
    done = netmap("neo4j", "maps", uri=f"http://ann:{SECRET}@db.example:7474/browser/")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("Error: NEO4J_URI 'http://db.example:7474/browser/' is a web address (Neo4j Browser's); "
                           "netmap talks to Neo4j over Bolt: use bolt://db.example:7687 "
                           "(or neo4j://db.example:7687)\n")
    done = netmap("gaps", "--neo4j", "leeds", uri="https://db.example:7473")
    assert done.stderr == ("Error: NEO4J_URI 'https://db.example:7473' is a web address (Neo4j Browser's); "
                           "netmap talks to Neo4j over Bolt: use bolt+s://db.example:7687 "
                           "(or neo4j+s://db.example:7687)\n")


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_unreachable_server_with_credentials_in_the_uri(debug: bool) -> None:
    port = _closed_port()
    for args in (["neo4j", "maps"], ["gaps", "--neo4j", "leeds"]):
        started = time.monotonic()
        done = netmap(*args, uri=f"bolt://ann:{SECRET}@127.0.0.1:{port}", debug=debug)
        assert time.monotonic() - started < 15
        assert done.returncode == 1 and done.stdout == ""
        assert_secret_hidden(done, SECRET)
        line = f"cannot reach Neo4j at bolt://127.0.0.1:{port}: connection refused"
        if debug:  # a traceback ending in the same line
            assert done.stderr.startswith("Traceback (most recent call last):")
            assert done.stderr.rstrip("\n").splitlines()[-1] == f"netmap.errors.StoreError: {line}"
        else:
            assert done.stderr == f"Error: {line}\n"


def test_a_uri_that_cannot_be_parsed_is_scrubbed_too() -> None:
    for debug in (False, True):
        done = netmap("neo4j", "maps", uri=f"bolt://ann:{SECRET}@127.0.0.1:notaport", debug=debug)
        assert done.returncode == 1
        assert_secret_hidden(done, SECRET)
        assert "cannot use Neo4j at bolt://127.0.0.1:notaport: " in done.stderr


# --------------------------------------------------------------------------- against the suite's server


@pytest.mark.neo4j
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_credentials_in_the_uri_log_in_and_never_show(neo4j_settings: StoreSettings, debug: bool) -> None:
    if not neo4j_settings.password:
        pytest.skip("the server has authentication off")
    host = neo4j_settings.uri.split("://", 1)[1]
    user, password = neo4j_settings.username, neo4j_settings.password
    good = f"bolt://{user}:{quote(password, safe='')}@{host}"
    done = netmap("neo4j", "maps", "--json", uri=good, debug=debug)
    assert done.returncode == 0, done.stderr
    assert_secret_hidden(done, password)
    # wrong credentials in the URI: refused, and the message says where to look
    done = netmap("neo4j", "maps", uri=f"bolt://{user}:{SECRET}@{host}", debug=debug)
    assert done.returncode == 1
    assert_secret_hidden(done, SECRET, password)
    line = (f"Neo4j at bolt://{host} refused the credentials of user '{user}' "
            "(check the user and password in NEO4J_URI)")
    assert done.stderr.rstrip("\n").splitlines()[-1] == (f"netmap.errors.StoreError: {line}" if debug
                                                         else f"Error: {line}")
    # a password given apart wins over the one in the URI
    done = netmap("neo4j", "maps", uri=f"bolt://{user}:{SECRET}@{host}", debug=debug, NEO4J_PASSWORD=password)
    assert done.returncode == 0, done.stderr
    assert_secret_hidden(done, SECRET, password)
