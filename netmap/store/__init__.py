"""The Neo4j backend: push maps into a shared Neo4j 5 database, pull them back, ask gap questions.

This package is the only part of netmap that imports the ``neo4j`` driver. Its modules:
``queries`` (the named ``.cypher`` files), ``settings`` (where the server is), ``connection``
(driver, sessions, errors), ``rows`` and ``plan`` (a map as parameter rows), ``writer`` and
``push`` (writing a map), ``pull`` (reading it back, with its framework), ``files`` (a stored
framework as a file) and ``store`` (the :class:`Store`).
"""

from netmap.store.queries import QUESTIONS, READ_PREFIXES, load_query, query_names, query_parameters
from netmap.store.settings import StoreSettings
from netmap.store.store import Store
from netmap.store.writer import PushResult

__all__ = ["QUESTIONS", "READ_PREFIXES", "PushResult", "Store", "StoreSettings", "load_query", "query_names",
           "query_parameters"]
