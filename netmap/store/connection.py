"""The connection to Neo4j: driver, sessions, the schema, and driver errors as one-line ``StoreError``.

Every failure is reported in one line that names the server by its URI without credentials,
and the password (and any URI's userinfo) is scrubbed from anything the driver says. The
driver's own log records (retry warnings, server notifications) are not printed unless a
program asks for them (:func:`show_driver_log`: ``netmap --debug``), and then scrubbed too.

>>> reason_of(ConnectionRefusedError(111, "Connection refused"))
'connection refused'
>>> major_version("5.26.0"), major_version("")
(5, None)
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ClientError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from netmap.errors import StoreError
from netmap.store.queries import load_query, statements
from netmap.store.settings import StoreSettings, scheme_problem, scrub

# The driver logs retries ("Transaction failed and will be retried in 1.1s", a dozen lines when
# a server goes away) and the server's notifications at WARNING; without a handler of its own
# Python would print them on stderr. netmap reports the failure itself, in one line.
for _name in ("neo4j", "netmap.store"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_LOST = (ServiceUnavailable, SessionExpired, OSError)
_log = logging.getLogger(__name__)
T = TypeVar("T")

# Codes of a server refusing a write to a user or database that may only read.
_READ_ONLY_CODES = ("Neo.ClientError.Security.Forbidden", "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
                    "Neo.ClientError.General.ReadOnly")


class ConnectionLost(StoreError):
    """The server went away (or never answered) and did not come back while the driver retried."""


class _Scrubbed(logging.Filter):
    """Takes userinfo and passwords out of a log record before it is shown."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage(), self.secrets), None
        if record.exc_info:  # the traceback text goes through the message, scrubbed, not shown raw
            record.msg += "\n" + scrub(logging.Formatter().formatException(record.exc_info), self.secrets)
            record.exc_info, record.exc_text = None, None
        return True


_SHOWN: list[logging.Handler] = []


def show_driver_log(stream: Any = None, level: int = logging.WARNING, secrets: tuple[str, ...] = ()) -> None:
    """Print the driver's log records (and netmap.store's) of ``level`` and above on ``stream`` (stderr),
    scrubbed of URI userinfo and ``secrets``. Idempotent: ``netmap --debug`` calls it."""
    if _SHOWN:
        _SHOWN[0].filters[0].secrets = tuple(secrets)  # type: ignore[attr-defined]
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    handler.addFilter(_Scrubbed(tuple(secrets)))
    for name in ("neo4j", "netmap.store"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > level:
            logger.setLevel(level)
    _SHOWN.append(handler)


class Connection:
    """A connection to a Neo4j 5 database. Use it as a context manager."""

    def __init__(self, settings: StoreSettings | None = None) -> None:
        self.settings = settings or StoreSettings.from_env()
        self._driver: neo4j.Driver | None = None
        self._schema_ready = False
        self.server_version: str | None = None

    def __repr__(self) -> str:
        state = "connected" if self._driver is not None else "not connected"
        return f"{type(self).__name__}({self.settings!r}, {state})"

    def __enter__(self) -> Self:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None:
            try:
                self._driver.close()
            finally:
                self._driver = None

    def _fail(self, message: str, kind: type[StoreError] = StoreError) -> StoreError:
        """A one-line error without the password or any URI's userinfo in it."""
        return kind(" ".join(self.settings.scrub(message).split()))

    def connect(self) -> Self:
        """Open the driver, check the server answers (within ``connect_timeout`` s) and is 5.x+."""
        if self._driver is not None:
            return self
        s = self.settings
        where = f"Neo4j at {s.safe_uri}"
        problem = scheme_problem(s.uri)
        if problem:
            raise self._fail(problem)
        auth = (s.username, s.password) if s.password is not None else None
        try:
            driver = GraphDatabase.driver(
                s.uri, auth=auth,
                # an unreachable server must be reported within connect_timeout in all
                connection_timeout=s.connect_timeout * 0.8,
                connection_acquisition_timeout=s.connect_timeout,
                max_transaction_retry_time=s.retry_seconds,
            )
        except Exception as exc:  # ConfigurationError, ValueError, a scheme needing extras, ...
            raise self._fail(f"cannot use NEO4J_URI '{s.safe_uri}': {first_line(exc)}") from None
        try:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query(
                load_query("fetch_components"), database_=s.database, routing_=RoutingControl.READ,
            )
        except AuthError:
            driver.close()
            check = "the user and password in NEO4J_URI" if s.login_in_uri else "NEO4J_USERNAME and NEO4J_PASSWORD"
            raise self._fail(f"{where} refused the credentials of user '{s.username}' (check {check})") from None
        except _LOST as exc:
            driver.close()
            raise self._fail(f"cannot reach {where}: {reason_of(exc)}") from None
        except ClientError as exc:
            driver.close()
            if "DatabaseNotFound" in (exc.code or "") or "database does not exist" in str(exc.message).lower():
                raise self._fail(f"database '{s.database}' does not exist on {where}") from None
            raise self._fail(f"{where} refused the connection check: {first_line(exc.message)}") from None
        except Exception as exc:  # Neo4jError, DriverError, a ValueError for an address it cannot resolve ...
            driver.close()
            raise self._fail(f"cannot use {where}: {first_line(exc)}") from None
        version = ""
        for record in records:
            if record["name"] == "Neo4j Kernel" and record["versions"]:
                version = str(record["versions"][0])
        major = major_version(version)
        if major is None or major < 5:
            driver.close()
            shown = version or "unknown"
            raise self._fail(f"{where} runs Neo4j {shown}; netmap needs Neo4j 5 or later")
        self.server_version = version
        self._driver = driver
        return self

    @property
    def driver(self) -> neo4j.Driver:
        if self._driver is None:
            self.connect()
        assert self._driver is not None
        return self._driver

    def session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.settings.database, default_access_mode=mode)

    def failure(self, exc: Exception, doing: str) -> StoreError:
        """``exc``, raised while ``doing`` something, as a one-line :class:`StoreError`."""
        where = f"Neo4j at {self.settings.safe_uri}"
        if isinstance(exc, StoreError):
            return self._fail(f"{doing}: {exc}")
        if isinstance(exc, AuthError):
            return self._fail(f"{where} refused the credentials of user '{self.settings.username}'")
        if isinstance(exc, _LOST):
            waited = f" and it did not come back within {self.settings.retry_seconds:g} s" \
                if self.settings.retry_seconds > 0 else ""
            return self._fail(f"{doing}: lost the connection to {where} ({reason_of(exc)}){waited}", ConnectionLost)
        if isinstance(exc, Neo4jError):
            return self._fail(f"{doing}: {first_line(exc.message or str(exc))}")
        return self._fail(f"{doing}: {type(exc).__name__}: {first_line(exc)}")

    def fetch(self, name: str, params: Mapping[str, Any], text: str | None = None,
              write: bool = False) -> list[dict[str, Any]]:
        """The records of the named query (or of ``text``, reported under ``name``) as dicts."""
        try:
            records, _, _ = self.driver.execute_query(
                text or load_query(name), dict(params), database_=self.settings.database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
        except Exception as exc:
            raise self.failure(exc, f"query '{name}' failed") from None
        return [record.data() for record in records]

    def locked_read(self, lock: str, params: Mapping[str, Any], work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """``work(tx)`` in a transaction that first takes the lock the named query ``lock`` takes.

        A push holds its map's lock until it has committed, so what ``work`` reads is wholly the
        map before a push or wholly after it (Neo4j reads only committed data, but a transaction
        reading without a lock may see one push's commit half-way through its queries). A user or
        database that may only read cannot take a lock: it reads without one.
        """
        def locked(tx: neo4j.ManagedTransaction) -> T:
            tx.run(load_query(lock), dict(params)).consume()
            return work(tx)

        try:
            with self.session() as session:
                return session.execute_write(locked)
        except ClientError as exc:
            if exc.code not in _READ_ONLY_CODES:
                raise
            _log.debug("reading without a lock: %s", exc.code)
        with self.session(read=True) as session:
            return session.execute_read(work)

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (idempotent)."""
        if self._schema_ready:
            return
        try:
            with self.session() as session:
                for statement in statements(load_query("create_schema")):
                    session.run(statement).consume()
        except Exception as exc:
            raise self.failure(exc, "cannot create the netmap schema") from None
        self._schema_ready = True


def is_lost(exc: BaseException) -> bool:
    """Whether ``exc`` means the server went away (or could not be reached)."""
    return isinstance(exc, _LOST)


def first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def reason_of(exc: BaseException) -> str:
    """A short reason for a connection failure ("connection refused", "timed out", ...)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror.lower()
        if isinstance(current, TimeoutError):
            return "timed out"
        current = current.__cause__ or current.__context__
    text = str(exc)
    match = re.search(r"\[Errno \d+\] ([^)\]]+)", text)
    if match:
        return match.group(1).strip().lower()
    lowered = text.lower()
    if "timed out" in lowered or "timeout" in lowered:
        return "timed out"
    if "routing" in lowered:
        return "no routing information (is it a cluster or Aura address? try bolt:// for a single server)"
    return first_line(exc) if text else "server unavailable"


def major_version(version: str) -> int | None:
    match = re.match(r"(\d+)", version or "")
    return int(match.group(1)) if match else None
