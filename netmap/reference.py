"""Reference data: constituency frameworks, Census 2021 groups, population profiles.

Everything here is read from data files under ``data/`` (or a user's own
framework file), never written in code.

>>> fw = load_framework("whole-system")
>>> "service_user_led" in fw.keys
True
>>> groups = census_groups()
>>> sum(g.level == "high" for g in groups.values()), sum(g.level == "detailed" for g in groups.values())
(5, 19)
"""

from __future__ import annotations

import csv
import tomllib
from functools import lru_cache
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.model import SECTORS, CensusGroup, Constituency, ExpectedLink, Framework, PopulationProfile
from netmap.resources import data_dir


def frameworks_dir() -> Path:
    return data_dir() / "frameworks"


def available_frameworks() -> list[str]:
    """Keys of the frameworks shipped with netmap."""
    return sorted(p.stem for p in frameworks_dir().glob("*.toml"))


def _is_path(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or "\\" in text


def resolve_framework(name_or_path: str | Path, workspace: str | Path | None = None) -> str | Path:
    """Where a framework is: a built-in key, or the absolute path of a user's ``.toml`` file.

    This is the one rule every command follows for ``-f/--framework`` and for
    the ``framework`` of ``netmap.toml``:

    * a bare name (no ``/`` and not ending in ``.toml``) is a built-in framework;
    * an absolute path is that file;
    * a relative path is looked for in the current folder first, then in the
      workspace folder; if it is in neither, the error names both places.

    >>> resolve_framework("pledge")
    'pledge'
    >>> resolve_framework("fw.toml", "/ws")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    netmap.errors.ReferenceDataError: framework file 'fw.toml' not found: looked in .../fw.toml and /ws/fw.toml
    """
    if isinstance(name_or_path, Path) and name_or_path.is_absolute():
        return name_or_path
    text = str(name_or_path)
    if not _is_path(text):
        if (frameworks_dir() / f"{text}.toml").is_file():
            return text
        known = ", ".join(available_frameworks())
        raise ReferenceDataError(f"framework '{text}' not found (built-in frameworks: {known}; or give a .toml file)")
    path = Path(text).expanduser()
    if path.is_absolute():
        if path.is_file():
            return path
        raise ReferenceDataError(f"framework file '{text}' not found")
    tried = [Path.cwd() / path] + ([Path(workspace).resolve() / path] if workspace is not None else [])
    for candidate in tried:
        if candidate.is_file():
            return candidate.resolve()
    places = " and ".join(str(c) for c in dict.fromkeys(tried))
    raise ReferenceDataError(f"framework file '{text}' not found: looked in {places}")


def load_framework(name_or_path: str | Path, base: str | Path | None = None) -> Framework:
    """Load a built-in framework by key, or a user's framework from a ``.toml`` file.

    The file is found by :func:`resolve_framework` (``base`` is the workspace
    folder). Raises :class:`ReferenceDataError` naming the file and the problem.
    """
    found = resolve_framework(name_or_path, base)
    return _read_framework(Path(found) if isinstance(found, Path) else frameworks_dir() / f"{found}.toml")


@lru_cache(maxsize=32)
def _read_framework(path: Path) -> Framework:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read framework: {exc}") from None
    constituencies = []
    for i, item in enumerate(raw.get("constituencies", []), start=1):
        try:
            c = Constituency(
                key=str(item["key"]),
                label=str(item.get("label", item["key"])),
                sector=str(item.get("sector", "vcse")),
                description=str(item.get("description", "")),
                min_presence=int(item.get("min_presence", 1)),
                weight=float(item.get("weight", 1.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReferenceDataError(f"{path}: constituency {i}: bad or missing field {exc}") from None
        if c.min_presence < 0 or c.weight <= 0:
            raise ReferenceDataError(
                f"{path}: constituency '{c.key}': min_presence must be 0 or more and weight above 0"
            )
        if c.sector not in SECTORS:
            raise ReferenceDataError(
                f"{path}: constituency '{c.key}': sector '{c.sector}' is not one of {', '.join(SECTORS)}"
            )
        constituencies.append(c)
    if not constituencies:
        raise ReferenceDataError(f"{path}: a framework needs at least one [[constituencies]] entry")
    keys = {c.key for c in constituencies}
    links = []
    for i, item in enumerate(raw.get("expected_links", []), start=1):
        pair = item.get("between", [])
        if len(pair) != 2 or not all(p in keys for p in pair):
            raise ReferenceDataError(
                f"{path}: expected link {i}: 'between' must name two constituencies of this framework"
            )
        links.append(ExpectedLink(pair[0], pair[1], str(item.get("reason", ""))))
    return Framework(
        key=str(raw.get("key", path.stem)),
        name=str(raw.get("name", path.stem)),
        constituencies=tuple(constituencies),
        expected_links=tuple(links),
        description=str(raw.get("description", "")),
        source=str(raw.get("source", "")),
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc}") from None


@lru_cache(maxsize=1)
def census_groups() -> dict[str, CensusGroup]:
    """The 24 Census 2021 ethnic groups (5 high-level, 19 detailed), by key."""
    path = data_dir() / "census" / "ethnic-groups-2021.csv"
    return {
        row["key"]: CensusGroup(
            key=row["key"], name=row["name"], level=row["level"],
            parent=row.get("parent", "") or "", ons_name=row.get("ons_name", "") or "",
        )
        for row in _read_csv(path)
    }


def high_level_group(key: str) -> str | None:
    """The high-level group a community key belongs to (itself if high-level).

    >>> high_level_group("caribbean"), high_level_group("white")
    ('black', 'white')
    """
    group = census_groups().get(key)
    if group is None:
        return None
    return group.key if group.level == "high" else group.parent


@lru_cache(maxsize=1)
def population_profiles() -> dict[str, PopulationProfile]:
    """Population profiles shipped with netmap, by key."""
    path = data_dir() / "census" / "population-profiles.csv"
    grouped: dict[str, dict] = {}
    for row in _read_csv(path):
        entry = grouped.setdefault(
            row["profile"],
            {"name": row["name"], "code": row.get("geography_code", ""), "source": row.get("source", ""),
             "shares": {}},
        )
        entry["shares"][row["group"]] = float(row["share"])
    return {
        key: PopulationProfile(key=key, name=v["name"], shares=v["shares"], geography_code=v["code"],
                               source=v["source"])
        for key, v in grouped.items()
    }


def load_population(key: str) -> PopulationProfile:
    """A population profile by key; :class:`ReferenceDataError` if unknown."""
    profiles = population_profiles()
    if key not in profiles:
        raise ReferenceDataError(
            f"population profile '{key}' not found (available: {', '.join(sorted(profiles))})"
        )
    return profiles[key]
