"""The ``Store``: a map-level view of a Neo4j database (push, pull, list, count, delete, gap questions).

Connection settings come from the variables Neo4j's own tools use (``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or are given directly:

    with Store(StoreSettings.from_env()) as store:
        result = store.push(nmap, framework)
        print(result.summary())
        again = store.pull(nmap.key)

>>> Store(StoreSettings(uri="bolt://db:7687", password="hunter22"))
Store(StoreSettings(uri='bolt://db:7687', username='neo4j', password=***, database=None), not connected)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j

from netmap.errors import StoreError
from netmap.model import Framework, NetworkMap, PopulationProfile
from netmap.store.connection import Connection
from netmap.store.plan import STAGING_MARK
from netmap.store.pull import Pulled, read_framework, read_map, read_populations
from netmap.store.push import delete_staged, push_map
from netmap.store.queries import load_query, read_parameters
from netmap.store.settings import StoreSettings
from netmap.store.writer import Progress, PushResult

__all__ = ["Store", "StoreSettings"]


class Store(Connection):
    """A connection to a Neo4j 5 database holding netmap maps. Use it as a context manager."""

    def push(
        self,
        nmap: NetworkMap,
        framework: Framework,
        populations: Iterable[PopulationProfile] | Mapping[str, PopulationProfile] = (),
        prune: bool = False,
        progress: Progress | None = None,
        force: bool = False,
    ) -> PushResult:
        """Write ``nmap`` (and its framework and population profiles) into the database.

        Idempotent: records are merged by their keys and written only when they differ. A map
        whose content hash is the one its last push recorded is not sent at all
        (``result.unchanged``: "unchanged, nothing written"), and of a map that changed only
        the batches that differ from the last push are sent; ``force`` sends every batch (after
        the database was changed by other means).
        With ``prune`` the actors, ties, spaces, memberships and localities the map no longer
        has are deleted. Atomic: a push either completes or leaves the previous version of
        the map as it was (see docs/neo4j.md). ``progress(done, total)`` is called after each
        batch of rows.
        """
        return push_map(self, nmap, framework, populations, prune=prune, progress=progress, force=force)

    def pull(self, map_key: str) -> NetworkMap:
        """Read one map back (equal to the map that was pushed): see :meth:`pull_all`."""
        return self.pull_all(map_key).map

    def pull_all(self, map_key: str) -> Pulled:
        """One map as it was pushed, the framework it was pushed with (as stored now) and the stored
        population profiles its localities name.

        Read in one transaction holding the map's lock, so never half-way through a push (a pull
        waits for a push of the same map to commit).
        """
        def work(tx: neo4j.ManagedTransaction) -> Pulled:
            return Pulled(read_map(tx, map_key), read_framework(tx, map_key), read_populations(tx, map_key))

        try:
            return self.locked_read("lock_map_to_read", {"map": map_key}, work)
        except StoreError:
            raise
        except Exception as exc:
            raise self.failure(exc, f"pull of map '{map_key}' failed") from None

    def has_map(self, map_key: str) -> bool:
        """Whether the database holds map ``map_key``."""
        return bool(self.fetch("fetch_map", {"map": map_key}))

    def maps(self) -> list[dict[str, Any]]:
        """Every map in the database: key, name, actors, ties, snapshot, framework."""
        return self.fetch("list_maps", {})

    def count(self, map_key: str) -> dict[str, int]:
        """Actors, ties, spaces and memberships of a map, counted in the database."""
        rows = self.fetch("count_map", {"map": map_key})
        return rows[0] if rows else {"actors": 0, "ties": 0, "spaces": 0, "memberships": 0}

    def delete_map(self, map_key: str) -> bool:
        """Delete a map: its actors, ties, spaces, memberships and localities.

        One transaction takes the map away from every query (its nodes move to a temporary key);
        they are then deleted in batches, so even a map of millions of ties can go. Returns
        False if there was no such map.
        """
        retired = f"{map_key}{STAGING_MARK}{int(time.time())}~deleted"
        try:
            with self.session() as session:
                rec = session.execute_write(
                    lambda tx: tx.run(load_query("retire_map"), {"map": map_key, "retired": retired}).single())
        except Exception as exc:
            raise self.failure(exc, f"delete of map '{map_key}' failed") from None
        delete_staged(self, retired)
        return bool(rec and rec["deleted"])

    def run_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only named query (``find_*``, ``fetch_*``, ``list_*``, ``count_*``).

        Missing parameters are reported by name; optional ones (``$locality``, ``$ego``) may
        be left out and count as null.
        """
        return self.fetch(name, read_parameters(name, params))

    # ------------------------------------------------------------------ gap questions

    def _gaps(self, name: str, map_key: str, framework: Framework | str, **more: Any) -> list[dict[str, Any]]:
        key = framework.key if isinstance(framework, Framework) else str(framework)
        return self.fetch(name, {"map": map_key, "framework": key, **more})

    def absent_constituencies(self, map_key: str, framework: Framework | str,
                              locality: str | None = None) -> list[dict[str, Any]]:
        """Constituencies of the framework held by no actor of the map.

        With ``locality``, only the actors of that locality and those with no locality count.
        """
        return self._gaps("find_absent_constituencies", map_key, framework, locality=locality)

    def missing_links(self, map_key: str, framework: Framework | str,
                      locality: str | None = None) -> list[dict[str, Any]]:
        """Expected constituency pairs with no tie and no shared space between their actors."""
        return self._gaps("find_missing_links", map_key, framework, locality=locality)

    def ego_gaps(self, map_key: str, framework: Framework | str, ego: str | None = None) -> list[dict[str, Any]]:
        """Constituencies neither an ego actor nor its neighbours (ties, shared spaces) hold.

        Egos: ``ego`` if given, else the map's ego list, else every actor of a constituency with a ``reaches`` list.
        """
        return self._gaps("find_ego_gaps", map_key, framework, ego=ego)

    def community_coverage(self, map_key: str, framework: Framework | str) -> list[dict[str, Any]]:
        """Population share of each Census group per locality against the actors serving it."""
        return self._gaps("find_community_coverage", map_key, framework)

    def cut_off_dependencies(self, map_key: str, framework: Framework | str) -> list[dict[str, Any]]:
        """VCSE and community actors funded or commissioned by a single actor."""
        return self._gaps("find_cut_off_dependencies", map_key, framework)
