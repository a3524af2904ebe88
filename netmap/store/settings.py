"""Connection settings of the Neo4j store: where the server is, how to log in, how to batch a push.

They come from the variables Neo4j's own tools use (``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or are given directly. A user and password written into
the URI (``bolt://user:secret@host``) are taken out of it and used as the login unless a user
name or password is given on its own, which wins. The password never shows:

>>> StoreSettings(uri="bolt://db:7687", password="hunter22")
StoreSettings(uri='bolt://db:7687', username='neo4j', password=***, database=None)
>>> StoreSettings(uri="bolt://ann:hunter22@db:7687")
StoreSettings(uri='bolt://db:7687', username='ann', password=***, database=None)
>>> scrub("cannot use 'neo4j://ann:hunter22@db' (ann:hunter22)", "hunter22")
"cannot use 'neo4j://db' (ann:***)"
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

#: The user netmap logs in as when none is given (Neo4j's own default user).
DEFAULT_USERNAME = "neo4j"

#: The schemes of a Bolt address, which the driver speaks.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# "scheme://anything@" inside a message: the userinfo of a URI, which may hold a password.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s'\"<>@]*@")


@dataclass(frozen=True, repr=False)
class StoreSettings:
    """Where the Neo4j server is and how to log in. The password never shows in a repr.

    ``username`` and ``password`` left as None are taken from the URI's userinfo if it has one
    (``username`` then defaults to ``neo4j``); the URI is kept without it.
    """

    uri: str = "bolt://localhost:7687"
    username: str | None = None
    password: str | None = None
    database: str | None = None
    connect_timeout: float = 10.0
    batch_size: int = 20_000
    #: A first push of a map with at least this many rows (actors, ties, spaces, memberships)
    #: is written in batches of their own transactions under a temporary key, then promoted.
    bulk_rows: int = 100_000
    #: Transactions writing tie batches at the same time on the bulk path.
    writers: int = 1
    #: How long (seconds) the driver keeps retrying a transaction after a transient failure or
    #: a lost connection: 5 s reports a server that went away within about 10 s.
    retry_seconds: float = 5.0
    #: Whether the login (user or password) came from the URI's userinfo, for messages.
    login_in_uri: bool = field(default=False, init=False, compare=False)

    def __post_init__(self) -> None:
        uri, user, password = split_credentials(self.uri)
        object.__setattr__(self, "uri", uri)
        object.__setattr__(self, "login_in_uri", bool(user and not self.username)
                           or bool(password and not self.password))
        object.__setattr__(self, "username", self.username or user or DEFAULT_USERNAME)
        if not self.password and password:
            object.__setattr__(self, "password", password)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StoreSettings:
        """Settings from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.

        Keyword arguments that are not None (e.g. command-line options) win over the environment.

        >>> StoreSettings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io"}).uri
        'neo4j+s://x.databases.neo4j.io'
        >>> StoreSettings.from_env({"NEO4J_URI": "bolt://ann:pw@db", "NEO4J_USERNAME": "bob"}).username
        'bob'
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "uri": env.get("NEO4J_URI") or cls.uri,
            "username": env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or None,
            "password": env.get("NEO4J_PASSWORD") or None,
            "database": env.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("database") == "":
            values["database"] = None
        return cls(**values)

    @property
    def safe_uri(self) -> str:
        """The URI without any user or password written into it."""
        return safe_uri(self.uri)

    @property
    def batch(self) -> int:
        """Rows per statement (at least 1)."""
        return max(1, int(self.batch_size))

    def scrub(self, text: str) -> str:
        """``text`` without the password or any URI's userinfo (see :func:`scrub`)."""
        return scrub(text, self.password)

    def __repr__(self) -> str:
        password = "***" if self.password else "None"
        return (f"StoreSettings(uri={self.safe_uri!r}, username={self.username!r}, password={password}, "
                f"database={self.database!r})")

    __str__ = __repr__


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``uri`` without its userinfo, and the user and password it held (percent-decoded).

    >>> split_credentials("neo4j+s://ann:p%40ss@db.example:7687/x")
    ('neo4j+s://db.example:7687/x', 'ann', 'p@ss')
    >>> split_credentials("bolt://db")
    ('bolt://db', None, None)
    """
    if not isinstance(uri, str) or "@" not in uri:
        return uri, None, None
    try:
        parts = urlsplit(uri)
        user, password = parts.username, parts.password
    except ValueError:
        return _USERINFO.sub(r"\1", uri), None, None
    if user is None and password is None:
        return uri, None, None
    return safe_uri(uri), (unquote(user) if user else None), (unquote(password) if password is not None else None)


def safe_uri(uri: str) -> str:
    """``uri`` without the user and password it may carry (cut out as text if it cannot be parsed).

    >>> safe_uri("bolt://ann:pw@db:port")
    'bolt://db:port'
    """
    try:
        parts = urlsplit(uri)
        if parts.username is None and parts.password is None:
            return uri
        host = parts.hostname or ""
        if ":" in host:  # an IPv6 address goes back into brackets
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return _USERINFO.sub(r"\1", uri)
    return parts._replace(netloc=host).geturl()


def scrub(text: str, secrets: str | Iterable[str | None] | None = ()) -> str:
    """``text`` with the userinfo of every URI in it removed and each of ``secrets`` shown as ``***``."""
    text = _USERINFO.sub(r"\1", str(text))
    for secret in [secrets] if isinstance(secrets, str) else (secrets or ()):
        if secret:
            text = text.replace(secret, "***")
    return text


def scheme_problem(uri: str) -> str | None:
    """Why ``uri`` is not a Bolt address netmap can use, in one line naming the address to use instead.

    >>> scheme_problem("http://localhost:7474/browser/")
    "NEO4J_URI 'http://localhost:7474/browser/' is a web address (Neo4j Browser's); netmap talks to \
Neo4j over Bolt: use bolt://localhost:7687 (or neo4j://localhost:7687)"
    >>> scheme_problem("neo4j+s://x.databases.neo4j.io") is None
    True
    """
    try:
        parts = urlsplit(uri)
        host = parts.hostname or "localhost"
    except ValueError:
        return None  # the driver says what is wrong with it
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    tls = "+s" if scheme == "https" else ""
    host = f"[{host}]" if ":" in host else host
    return (f"NEO4J_URI '{safe_uri(uri)}' is a web address (Neo4j Browser's); netmap talks to Neo4j over Bolt: "
            f"use bolt{tls}://{host}:7687 (or neo4j{tls}://{host}:7687)")
