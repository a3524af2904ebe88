"""The named queries: every statement netmap sends is a ``cypher/<name>.cypher`` file loaded by name.

Values always travel as parameters. The one thing that goes into a query's text is a tie type,
as a relationship type, and only after :func:`netmap.model.is_identifier` has accepted it.

>>> "upsert_actors" in query_names()
True
>>> query_parameters("find_ego_gaps")
['map', 'framework', 'ego']
>>> "upsert_actors" in QUESTIONS, set(QUESTIONS) <= set(query_names())
(False, True)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from netmap.errors import StoreError
from netmap.model import is_identifier
from netmap.resources import cypher_dir

#: Placeholder for the relationship type in ``upsert_ties.cypher``.
TIE_TYPE_TOKEN = "__TIE_TYPE__"

#: Prefixes of the named queries that only read (``netmap neo4j query`` runs these).
READ_PREFIXES = ("find_", "fetch_", "list_", "count_")

#: The read-only queries meant for people, as ``netmap neo4j query --list`` shows them: the gap
#: questions first, then the maps and their contents. The other read-only queries are the
#: plumbing of pushes and pulls (staging keys, unmatched rows, the server's version); they can
#: still be run by name.
QUESTIONS: tuple[str, ...] = (
    "find_absent_constituencies", "find_missing_links", "find_ego_gaps", "find_community_coverage",
    "find_cut_off_dependencies", "find_statutory_without_community_ties",
    "list_maps", "count_map", "fetch_map", "fetch_localities", "fetch_actors", "fetch_ties", "fetch_spaces",
    "fetch_memberships",
)

#: Parameters a named query may leave out (they default to null, meaning "all").
OPTIONAL_PARAMETERS = ("locality", "ego")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


def query_names() -> list[str]:
    """Names of every query under ``cypher/`` (file names without ``.cypher``)."""
    return sorted(p.stem for p in cypher_dir().glob("*.cypher"))


@cache
def load_query(name: str) -> str:
    """The text of the named query ``cypher/<name>.cypher``.

    Raises :class:`StoreError` listing the known names when there is no such query.
    """
    path = cypher_dir() / f"{name}.cypher"
    if not _NAME.match(name or "") or not path.is_file():
        raise StoreError(f"no named query '{name}' (known: {', '.join(query_names())})")
    return path.read_text(encoding="utf-8")


def query_parameters(name: str) -> list[str]:
    """The ``$parameters`` a named query uses, in order of first use."""
    text = _COMMENT.sub("", load_query(name))
    seen: dict[str, None] = {}
    for match in _PARAM.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def read_parameters(name: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters to run the read-only named query ``name`` with, checked against its text.

    Missing parameters are reported by name; optional ones (``$locality``, ``$ego``) may be
    left out and count as null.

    >>> read_parameters("find_ego_gaps", {"map": "leeds", "framework": "pledge"})
    {'map': 'leeds', 'framework': 'pledge', 'ego': None}
    >>> read_parameters("find_ego_gaps", {"map": "leeds"})
    Traceback (most recent call last):
    ...
    netmap.errors.StoreError: query 'find_ego_gaps' needs $framework (e.g. --param framework=...)
    """
    load_query(name)  # an unknown name is reported before anything else
    if not name.startswith(READ_PREFIXES):
        raise StoreError(f"'{name}' writes to the database; only queries named "
                         f"{', '.join(p + '*' for p in READ_PREFIXES)} can be run this way")
    given = dict(params or {})
    wanted = query_parameters(name)
    for optional in OPTIONAL_PARAMETERS:
        if optional in wanted:
            given.setdefault(optional, None)
    missing = [p for p in wanted if p not in given]
    if missing:
        raise StoreError(f"query '{name}' needs {', '.join('$' + p for p in missing)} "
                         f"(e.g. --param {missing[0]}=...)")
    unknown = sorted(set(given) - set(wanted))
    if unknown:
        raise StoreError(f"query '{name}' has no parameter {', '.join('$' + p for p in unknown)} "
                         f"(it takes {', '.join('$' + p for p in wanted) or 'none'})")
    return given


def typed_query(name: str, tie_type: str) -> str:
    """A named query with its relationship-type placeholder filled in with ``tie_type``.

    >>> "PARTNERSHIP" in typed_query("upsert_ties", "partnership")
    True
    >>> typed_query("upsert_ties", "x`]->() DELETE n//")
    Traceback (most recent call last):
    ...
    netmap.errors.StoreError: tie type 'x`]->() DELETE n//' is not a snake_case identifier (a-z, 0-9, _; at most 40)
    """
    if not isinstance(tie_type, str) or not is_identifier(tie_type):
        raise StoreError(f"tie type {tie_type!r} is not a snake_case identifier (a-z, 0-9, _; at most 40)")
    text = load_query(name)
    if TIE_TYPE_TOKEN not in text:
        raise StoreError(f"named query '{name}' has no tie type to fill in")
    return text.replace(TIE_TYPE_TOKEN, tie_type.upper())


def statements(text: str) -> list[str]:
    """Split a schema script into statements (one per ``;``-terminated block)."""
    body = _COMMENT.sub("", text)
    return [part.strip() for part in body.split(";") if part.strip()]
