"""The Neo4j backend: push maps into a shared Neo4j 5 database, pull them back, ask gap questions."""

from netmap.store.database import (
    READ_PREFIXES,
    PushResult,
    Store,
    StoreSettings,
    load_query,
    query_names,
    query_parameters,
)

__all__ = ["READ_PREFIXES", "PushResult", "Store", "StoreSettings", "load_query", "query_names", "query_parameters"]
