"""Connection settings of the Neo4j store: where the server is, how to log in, how to batch a push.

They come from the variables Neo4j's own tools use (``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or are given directly. The password never shows:

>>> StoreSettings(uri="bolt://db:7687", password="hunter22")
StoreSettings(uri='bolt://db:7687', username='neo4j', password=***, database=None)
>>> safe_uri("bolt://neo4j:hunter22@db:7687")
'bolt://db:7687'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, repr=False)
class StoreSettings:
    """Where the Neo4j server is and how to log in. The password never shows in a repr."""

    uri: str = "bolt://localhost:7687"
    username: str = "neo4j"
    password: str | None = None
    database: str | None = None
    connect_timeout: float = 10.0
    batch_size: int = 20_000
    #: A first push of a map with at least this many rows (actors, ties, spaces, memberships)
    #: is written in batches of their own transactions under a temporary key, then promoted.
    bulk_rows: int = 100_000
    #: Transactions writing tie batches at the same time on the bulk path.
    writers: int = 1
    retry_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StoreSettings:
        """Settings from ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.

        Keyword arguments that are not None (e.g. command-line options) win over the environment.

        >>> StoreSettings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io"}).uri
        'neo4j+s://x.databases.neo4j.io'
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "uri": env.get("NEO4J_URI") or cls.uri,
            "username": env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or cls.username,
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

    def __repr__(self) -> str:
        password = "***" if self.password else "None"
        return (f"StoreSettings(uri={self.safe_uri!r}, username={self.username!r}, password={password}, "
                f"database={self.database!r})")

    __str__ = __repr__


def safe_uri(uri: str) -> str:
    """``uri`` without the user and password it may carry (``<invalid URI>`` if it cannot be read)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return parts._replace(netloc=host).geturl()
