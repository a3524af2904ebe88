"""The clean rows of a ties table made into ties a column at a time: a national map's million ties.

Each distinct cell of a column is read once, by the code that reads a row
(:func:`~netmap.workspace.values.read_distinct`); the rows with anything to
report are found column by column, from the cells that read with a problem;
every other row becomes a :class:`~netmap.model.Tie` without a line of Python
run for it, its fields set a column at a time (:func:`build`). The rows with a
problem are left to the row-by-row reader, so every message is as before.

>>> from netmap.model import Actor
>>> from netmap.workspace.names import NameIndex
>>> from netmap.workspace.tables import Table
>>> table = Table("ties.csv", ["from", "to", "type"], [(2, {"from": "a", "to": "B", "type": "funds"}),
...                                                    (3, {"from": "a", "to": "a"})])
>>> ties, keys = clean_ties(table, NameIndex([Actor("a", "A"), Actor("b", "B")]))
>>> ties[0].to_id, ties[0].directed, keys[0], ties[1], keys[1]
('b', True, ('a', 'b', 'funds'), None, None)
"""

from __future__ import annotations

import dataclasses
import operator
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat

from netmap.model import KNOWN_TIE_TYPES, Tie, split_list
from netmap.workspace.names import NameIndex
from netmap.workspace.tables import Table
from netmap.workspace.values import UNREAD, RowReader, read_distinct

#: Rows typed at once: a part's typed columns are in memory together, beside the table and the ties.
PART_ROWS = 1 << 16

TieKey = tuple[str, str, str]


def build(cls: type, columns: Sequence[Sequence[object]]) -> list:
    """One ``cls`` (a slotted dataclass) per row of ``columns`` (one column per field, in order), equal to
    ``cls(*row)``: each field is set a column at a time through its slot, as ``__init__`` would set it.

    >>> build(Tie, [["a"], ["b"], ["funds"], [True], [2.0], [None], [None], [""], [""], [()], [""], [""]])
    [Tie(from_id='a', to_id='b', type='funds', directed=True, weight=2.0, trust=None, value=None, since='', \
until='', reported_by=(), source='', notes='')]
    """
    names = [f.name for f in dataclasses.fields(cls)]
    if len(names) != len(columns):
        raise ValueError(f"{cls.__name__} has {len(names)} fields, not {len(columns)}")
    made = list(map(object.__new__, repeat(cls, len(columns[0]) if columns else 0)))
    for name, column in zip(names, columns, strict=True):
        deque(map(getattr(cls, name).__set__, made, column), maxlen=0)
    return made


def _known_type(r: RowReader) -> object:
    """A tie type cell's type if netmap knows it (nothing to report), else UNREAD."""
    tie_type = r.text("type").lower().replace(" ", "_").replace("-", "_") or "partnership"
    return tie_type if tie_type in KNOWN_TIE_TYPES else UNREAD


#: How each typed column is read when nothing is wrong with it (as :func:`~netmap.workspace.validate._tie_of_row`).
_READS: dict[str, Callable[[RowReader], object]] = {
    "type": _known_type,
    "directed": lambda r: r.boolean("directed") if r.text("directed") else None,
    "weight": lambda r: r.number("weight", 1.0, positive=True) or 1.0,
    "trust": lambda r: r.number("trust", None, 1, 4),
    "value": lambda r: r.number("value", None, 1, 4),
    "since": lambda r: r.date("since"),
    "until": lambda r: r.date("until"),
}


class _Ends:
    """The actor each ``from``, ``to`` and reporter cell names (None: empty or unknown), each cell looked up once."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.found: dict[str, str | None] = {}

    def resolve(self, cell: str) -> str | None:
        found = self.found.get(cell, UNREAD)
        if found is UNREAD:
            ref = cell.strip()
            found = self.found[cell] = self.index.resolve(ref) if ref else None
        return found  # type: ignore[return-value]

    def all_reporters(self, cells: Iterable[str]) -> dict[str, tuple[str, ...] | None]:
        """:meth:`reporters` of each cell, the common cells (one actor, or two) read here at less cost."""
        get, resolve, out = self.found.get, self.resolve, {}
        for raw in cells:
            cell = raw.strip()
            first, semicolon, second = cell.partition(";")
            if not cell or "|" in cell or "\x00" in cell or ";" in second:
                out[raw] = self.reporters(cell)
                continue
            if semicolon:
                first, second = first.strip(), second.strip()
                if not (first and second):
                    out[raw] = self.reporters(cell)
                    continue
            a = get(first, UNREAD)
            if a is UNREAD:
                a = resolve(first)
            if not semicolon:
                out[raw] = None if a is None else (a,)
                continue
            b = get(second, UNREAD)
            if b is UNREAD:
                b = resolve(second)
            out[raw] = None if a is None or b is None else (a, b) if a != b else (a,)
        return out

    def reporters(self, cell: str) -> tuple[str, ...] | None:
        """The actors a ``reported_by`` cell names, or None if any is unknown (read row by row)."""
        cell = cell.strip()
        if not cell:
            return ()
        # split_list, for a cell with no '|' (nor NUL): split at ';' alone
        items = split_list(cell) if "|" in cell or "\x00" in cell else [i for i in map(str.strip, cell.split(";")) if i]
        keys = list(map(self.resolve, items))
        return None if None in keys else tuple(dict.fromkeys(keys))


def _rows_of(cells: list[str], wrong: set[str]) -> list[int]:
    """The rows (from 0) whose cell is one of ``wrong``."""
    return list(compress(range(len(cells)), map(wrong.__contains__, cells))) if wrong else []


def _backwards(since_cells: list[str], until_cells: list[str], since: dict, until: dict) -> list[int]:
    """The rows (from 0) whose period ends before it starts."""
    cells = list(zip(since_cells, until_cells, strict=True))
    wrong = {(s, u) for s, u in set(cells) if since[s] is not UNREAD and until[u] is not UNREAD
             and since[s] and until[u] and until[u] < since[s]}
    return list(compress(range(len(cells)), map(wrong.__contains__, cells))) if wrong else []


def clean_ties(table: Table, index: NameIndex) -> tuple[list[Tie | None], list[TieKey | None]]:
    """For each row, its tie and the tie's key if no cell of it has anything to report, else None and None."""
    ends = _Ends(index)
    columns = {name: table.column(name) for name in ("from", "to", "reported_by", "source", "notes", *_READS)}
    typed = {name: read_distinct(columns[name], name, read) for name, read in _READS.items()}
    for cell in {*columns["from"], *columns["to"]}:
        ends.resolve(cell)  # each cell once: a row's ends are then plain look-ups
    end = ends.found.__getitem__
    reporters = ends.all_reporters(set(columns["reported_by"]))
    unknown = {cell for cell, found in reporters.items() if found is None}
    unread = {name: {cell for cell, value in typed[name].items() if value is UNREAD} for name in _READS}
    dated = any(typed["since"].values()) and any(typed["until"].values())
    ties: list[Tie | None] = []
    keys: list[TieKey | None] = []
    for first in range(0, len(table), PART_ROWS):
        part = {name: cells[first:first + PART_ROWS] for name, cells in columns.items()}
        a, b = list(map(end, part["from"])), list(map(end, part["to"]))
        values = {name: list(map(typed[name].__getitem__, part[name])) if len(typed[name]) > 1 else
                  [*typed[name].values()] * len(a) for name in _READS}
        values["reported_by"] = list(map(reporters.__getitem__, part["reported_by"]))
        bad = set(_rows_of(part["reported_by"], unknown))
        for name in _READS:
            bad.update(_rows_of(part[name], unread[name]))
        for ends_of in (a, b):
            bad.update(compress(range(len(a)), map(operator.is_, ends_of, repeat(None))))
        bad.update(compress(range(len(a)), map(operator.eq, a, b)))
        if dated:
            bad.update(_backwards(part["since"], part["until"], typed["since"], typed["until"]))
        directed = values["directed"]
        if None in directed:  # an empty cell: the type's own direction
            directed = [KNOWN_TIE_TYPES.get(t, False) if d is None else d  # type: ignore[call-overload]
                        for t, d in zip(values["type"], directed, strict=True)]
        fields = [a, b, values["type"], directed, values["weight"], values["trust"], values["value"],
                  values["since"], values["until"], values["reported_by"], list(map(str.strip, part["source"])),
                  list(map(str.strip, part["notes"]))]
        keep = None
        if bad:
            keep = [True] * len(a)
            for k in bad:
                keep[k] = False
            fields = [list(compress(column, keep)) for column in fields]
        made = build(Tie, fields)
        made_keys = [(x, y, t) if d or x <= y else (y, x, t) for x, y, t, d in zip(*fields[:4], strict=True)]
        if keep is None:
            ties += made
            keys += made_keys
        else:
            tie_of, key_of = iter(made), iter(made_keys)
            ties += [next(tie_of) if ok else None for ok in keep]
            keys += [next(key_of) if ok else None for ok in keep]
    return ties, keys
