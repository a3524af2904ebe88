"""Writing a map as a CSV workspace: the row of each actor, tie, space and membership, and one streaming writer.

:func:`write_tables` is the one writer: it streams rows into temporary files
and renames them into place only when every file is complete, so a map with a
million ties is never held as text at once and an interrupted write leaves
nothing behind. :func:`write_workspace` writes a whole :class:`NetworkMap`.

>>> tie_row(Tie("a", "b", "funds", directed=True, weight=2.5))
['a', 'b', 'funds', 'yes', '2.5', '', '', '', '', '', '', '']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from netmap.fileio import atomic_files, write_csv
from netmap.model import Actor, Membership, NetworkMap, Space, Tie
from netmap.workspace.config import config_text
from netmap.workspace.tables import COLUMNS, CONFIG_FILE

#: (header, rows) of one table; rows may be a generator, consumed once.
Rows = tuple[Sequence[str], Iterable[Sequence[object]]]


def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def actor_rows(actors: list[Actor]) -> tuple[list[str], list[list[str]]]:
    """The actors table: its columns, then any extra attribute columns the actors carry."""
    extras = sorted({k for a in actors for k in a.attributes if k not in COLUMNS["actors"]})
    header = [*COLUMNS["actors"], *extras]
    rows = [[a.id, a.name, "; ".join(a.constituencies), "; ".join(a.aliases), a.kind, "; ".join(a.communities),
             _yes(a.led_by_community), _yes(a.lived_experience_led), a.locality, a.scale, a.source, a.notes,
             *(a.attributes.get(k, "") for k in extras)] for a in actors]
    return header, rows


def tie_row(t: Tie) -> list[str]:
    """The cells of one tie, in the order of ``COLUMNS["ties"]``."""
    return [t.from_id, t.to_id, t.type, _yes(t.directed), _fmt_number(t.weight), _fmt_number(t.trust),
            _fmt_number(t.value), t.since, t.until, "; ".join(t.reported_by), t.source, t.notes]


def tie_rows(ties: list[Tie]) -> tuple[list[str], list[list[str]]]:
    return list(COLUMNS["ties"]), [tie_row(t) for t in ties]


def space_rows(spaces: list[Space]) -> tuple[list[str], list[list[str]]]:
    return list(COLUMNS["spaces"]), [[s.id, s.name, s.kind, s.locality, s.since, s.until, s.source, s.notes]
                                     for s in spaces]


def membership_rows(memberships: list[Membership]) -> tuple[list[str], list[list[str]]]:
    return list(COLUMNS["memberships"]), [[m.actor_id, m.space_id, m.role, m.since, m.until, m.source]
                                          for m in memberships]


def table_rows(nmap: NetworkMap, ties: Iterable[Tie] | None = None) -> dict[str, Rows]:
    """The four tables of a map; tie rows are made one at a time, from ``ties`` if given (a stream)."""
    return {
        "actors": actor_rows(nmap.actors),
        "ties": (list(COLUMNS["ties"]), map(tie_row, nmap.ties if ties is None else ties)),
        "spaces": space_rows(nmap.spaces),
        "memberships": membership_rows(nmap.memberships),
    }


def write_tables(folder: str | Path, config: str, tables: Mapping[str, Rows]) -> dict[str, int]:
    """Write ``netmap.toml`` and one CSV file per table, streaming the rows; returns rows written per table.

    All files are renamed into place only once all are complete; on any
    exception none is, and no temporary file is left (see
    :func:`netmap.fileio.atomic_files`).
    """
    counts: dict[str, int] = {}
    with atomic_files(folder) as staged:
        with staged.open(CONFIG_FILE) as out:
            out.write(config)
        for name, (header, rows) in tables.items():
            with staged.open(f"{name}.csv") as out:
                counts[name] = write_csv(out, header, rows)
    return counts


def write_workspace(nmap: NetworkMap, folder: str | Path) -> Path:
    """Write a map as a CSV workspace (``netmap.toml`` and four CSV files)."""
    folder = Path(folder)
    write_tables(folder, config_text(nmap), table_rows(nmap))
    return folder
