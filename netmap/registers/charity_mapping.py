"""The editable rules that turn the Charity Commission's classification codes and names into constituencies.

The rules live in ``data/registers/charities.toml`` (a user passes a copy of
their own with ``--mapping``). A charity's What/Who/How codes are held as one
integer, a bit per published code, so that a register of a million
classification rows fits in a few megabytes.

>>> mapping = load_charity_mapping()
>>> mapping.apply(code_mask([204, 306]), "SYNTHETIC Bangladeshi Women's Centre")
(('community_group', 'vcse_provider'), ('bangladeshi',))
>>> mapping.apply(code_mask([306]), "SYNTHETIC Bangladeshi Women's Centre")  # the name alone says nothing
(('vcse_provider',), ())
>>> mapping.apply(code_mask([204]), "SYNTHETIC Black Country Asian Forum")
(('community_group',), ('asian',))
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.reference import census_groups, load_framework
from netmap.resources import data_dir

#: The classification codes the register publishes: What (101-117), Who (201-207), How (301-310).
CODES: tuple[int, ...] = (*range(101, 118), *range(201, 208), *range(301, 311))
_BIT = {code: 1 << i for i, code in enumerate(CODES)}
MAPPING_KEYS = ("source", "framework", "constituencies", "communities")
RULE_KEYS = ("key", "all", "any", "none", "why")
COMMUNITY_KEYS = ("requires", "none", "ignore", "names")


def default_mapping_path() -> Path:
    """``data/registers/charities.toml``, the mapping netmap ships."""
    return data_dir() / "registers" / "charities.toml"


def code_mask(codes: Iterable[int]) -> int:
    """One integer holding a set of published codes (others are left out).

    >>> code_mask([101, 310]) == code_mask([310, 101, 999])
    True
    """
    mask = 0
    for code in codes:
        mask |= _BIT.get(code, 0)
    return mask


def mask_codes(mask: int) -> tuple[int, ...]:
    """The codes an integer from :func:`code_mask` holds, in order.

    >>> mask_codes(code_mask([306, 103]))
    (103, 306)
    """
    return tuple(code for code in CODES if mask & _BIT[code])


def bit(code: int) -> int:
    """The bit of a published code (0 for any other number)."""
    return _BIT.get(code, 0)


@dataclass(frozen=True)
class Rule:
    """A constituency a charity gets when it has every code of ``all``, one of ``any`` and none of ``none``."""

    key: str
    all: int
    any: int
    none: int
    why: str

    def holds(self, mask: int) -> bool:
        return mask & self.all == self.all and (not self.any or bool(mask & self.any)) and not mask & self.none


@dataclass(frozen=True)
class CharityMapping:
    """The rules of one mapping file (see ``data/registers/charities.toml``)."""

    path: Path
    source: str
    framework: str
    rules: tuple[Rule, ...]
    community_requires: int
    community_none: int
    ignore: tuple[str, ...]
    #: (phrase, community key), longest phrase first
    names: tuple[tuple[str, str], ...]

    def constituencies(self, mask: int) -> tuple[str, ...]:
        """The constituencies of a charity with these codes, the first rule met first, each once."""
        return tuple(dict.fromkeys(rule.key for rule in self.rules if rule.holds(mask)))

    def reasons(self, mask: int) -> tuple[str, ...]:
        """The ``why`` of every rule a charity with these codes meets."""
        return tuple(rule.why for rule in self.rules if rule.holds(mask))

    def communities(self, mask: int, name: str) -> tuple[str, ...]:
        """The communities a charity's name says it serves, when its codes allow reading the name at all."""
        if mask & self.community_requires != self.community_requires or mask & self.community_none:
            return ()
        text = f" {_words(name)} "
        for phrase in self.ignore:
            text = text.replace(f" {phrase} ", "  ")
        found: list[str] = []
        for phrase, key in self.names:
            if f" {phrase} " in text:
                text = text.replace(f" {phrase} ", "  ")
                if key not in found:
                    found.append(key)
        return tuple(found)

    def apply(self, mask: int, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(constituencies, communities) of a charity with these codes and this name."""
        return self.constituencies(mask), self.communities(mask, name)


def _words(text: str) -> str:
    """Lower-case words separated by one space ("Afro-Caribbean" -> "afro caribbean")."""
    text = str(text).lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.findall(r"[^\W_]+", text))


def _codes(path: Path, where: str, value: object) -> int:
    if not isinstance(value, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in value):
        raise ReferenceDataError(f"{path}, {where}: must be a list of classification codes, e.g. [204, 306]")
    unknown = [c for c in value if c not in _BIT]
    if unknown:
        raise ReferenceDataError(f"{path}, {where}: {unknown[0]} is not a code the register publishes "
                                 "(What 101-117, Who 201-207, How 301-310)")
    return code_mask(value)


def _unknown(path: Path, where: str, table: dict, known: tuple[str, ...]) -> None:
    extra = sorted(set(table) - set(known))
    if extra:
        raise ReferenceDataError(f"{path}, {where}: unknown setting '{extra[0]}' (known: {', '.join(known)})")


def _rules(path: Path, raw: object, keys: tuple[str, ...], framework: str) -> tuple[Rule, ...]:
    if not isinstance(raw, list):
        raise ReferenceDataError(f"{path}: constituencies must be [[constituencies]] tables")
    rules = []
    for i, item in enumerate(raw, start=1):
        where = f"constituencies {i}"
        if not isinstance(item, dict):
            raise ReferenceDataError(f"{path}, {where}: must be a table with a key and codes")
        _unknown(path, where, item, RULE_KEYS)
        key = str(item.get("key", ""))
        if key not in keys:
            raise ReferenceDataError(f"{path}, {where}, key '{key}': not a constituency of the {framework} "
                                     f"framework ({', '.join(keys)})")
        rule = Rule(key, _codes(path, f"{where}, all", item.get("all", [])),
                    _codes(path, f"{where}, any", item.get("any", [])),
                    _codes(path, f"{where}, none", item.get("none", [])), str(item.get("why", "")))
        if not rule.all and not rule.any:
            raise ReferenceDataError(f"{path}, {where}: give the codes of the rule in 'all' or 'any'")
        rules.append(rule)
    return tuple(rules)


def _names(path: Path, raw: object) -> tuple[tuple[str, str], ...]:
    groups = census_groups()
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{path}, communities.names: must be a table of community = [phrases]")
    pairs = []
    for key, phrases in raw.items():
        if key not in groups:
            raise ReferenceDataError(f"{path}, communities.names, '{key}': not a Census 2021 group key "
                                     "(data/census/ethnic-groups-2021.csv)")
        if not isinstance(phrases, list) or not all(isinstance(p, str) and _words(p) for p in phrases):
            raise ReferenceDataError(f"{path}, communities.names, '{key}': must be a list of words or phrases")
        pairs += [(_words(p), key) for p in phrases]
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))


def load_charity_mapping(path: str | Path | None = None) -> CharityMapping:
    """Read a mapping file (default: the one netmap ships); :class:`ReferenceDataError` names the problem."""
    path = Path(path) if path is not None else default_mapping_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read the charity mapping: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"{path}: not a valid TOML file: {exc}") from None
    _unknown(path, "top level", raw, MAPPING_KEYS)
    framework = str(raw.get("framework", "whole-system"))
    keys = load_framework(framework, path.parent).keys
    communities = raw.get("communities", {})
    if not isinstance(communities, dict):
        raise ReferenceDataError(f"{path}: communities must be a [communities] table")
    _unknown(path, "communities", communities, COMMUNITY_KEYS)
    ignore = communities.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(p, str) for p in ignore):
        raise ReferenceDataError(f"{path}, communities.ignore: must be a list of phrases")
    return CharityMapping(
        path=path, source=str(raw.get("source", "")), framework=framework,
        rules=_rules(path, raw.get("constituencies", []), keys, framework),
        community_requires=_codes(path, "communities.requires", communities.get("requires", [])),
        community_none=_codes(path, "communities.none", communities.get("none", [])),
        ignore=tuple(sorted((w for p in ignore if (w := _words(p))), key=len, reverse=True)),
        names=_names(path, communities.get("names", {})))
