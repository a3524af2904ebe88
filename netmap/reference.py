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
import difflib
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.model import (
    SECTORS,
    CensusGroup,
    Constituency,
    ExpectedLink,
    Framework,
    NetworkMap,
    PopulationProfile,
)
from netmap.resources import data_dir, user_data_dir


def frameworks_dir() -> Path:
    return data_dir() / "frameworks"


def available_frameworks() -> list[str]:
    """Keys of the frameworks shipped with netmap."""
    return sorted(p.stem for p in frameworks_dir().glob("*.toml"))


def _is_path(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or "\\" in text


def resolve_framework(name_or_path: str | Path, workspace: str | Path | None = None, *,
                      in_workspace: bool = False) -> str | Path:
    """Where a framework is: a built-in key, or the absolute path of a user's ``.toml`` file.

    This is the one rule every command follows for ``-f/--framework`` and for
    the ``framework`` of ``netmap.toml``:

    * a bare name (no ``/`` and not ending in ``.toml``) is a built-in framework;
    * an absolute path is that file;
    * a relative path given on the command line is looked for in the current
      folder first, then in the workspace folder; if it is in neither, the
      error names both places;
    * a relative path written inside the workspace (``in_workspace``: the
      ``framework`` of its ``netmap.toml``) is relative to the workspace only,
      so a stray file in the current folder never replaces it.

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
    tried = [] if in_workspace and workspace is not None else [Path.cwd() / path]
    tried += [Path(workspace).resolve() / path] if workspace is not None else []
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


#: The settings a framework file may hold: at the top, in each [[constituencies]], in each [[expected_links]].
FRAMEWORK_KEYS = ("key", "name", "description", "source", "constituencies", "expected_links")
CONSTITUENCY_KEYS = ("key", "label", "sector", "description", "min_presence", "weight", "reaches")
LINK_KEYS = ("between", "reason", "direct")


def unknown_keys(table: Mapping, known: Sequence[str]) -> list[str]:
    """A sentence for each key of ``table`` not in ``known`` (a misspelling, say), with a "did you mean".

    >>> unknown_keys({"wieght": 2, "key": "x"}, CONSTITUENCY_KEYS)
    ["unknown setting 'wieght' ignored (did you mean 'weight'?)"]
    """
    found = []
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            found.append(f"unknown setting '{key}' ignored" + (f" (did you mean '{close[0]}'?)" if close else ""))
    return found


class _Problems:
    """The problems of one framework file: every error (raised together at the end) and warnings."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def number(self, item: Mapping, field: str, where: str, default: float, kind: type) -> float:
        value = item.get(field, default)
        try:
            if isinstance(value, bool) or (kind is int and isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return kind(value)
        except (TypeError, ValueError):
            self.errors.append(f"{where}, '{field}': must be {'a whole number' if kind is int else 'a number'}, "
                               f"not {value!r}")
            return default


def _constituency(i: int, item: object, problems: _Problems) -> Constituency | None:
    """Entry ``i`` of ``[[constituencies]]``, its problems added to ``problems``; None if unusable."""
    if not isinstance(item, dict):
        problems.errors.append(f"constituency {i}: must be a [[constituencies]] table, not {item!r}")
        return None
    key = item.get("key")
    where = f"constituency {i}" + (f" ('{key}')" if isinstance(key, str) and key else "")
    problems.warnings += [f"{where}: {w}" for w in unknown_keys(item, CONSTITUENCY_KEYS)]
    if not isinstance(key, str) or not key.strip():
        problems.errors.append(f"{where}, 'key': missing (every constituency needs a key)")
        return None
    min_presence = int(problems.number(item, "min_presence", where, 1, int))
    weight = problems.number(item, "weight", where, 1.0, float)
    if min_presence < 0:
        problems.errors.append(f"{where}, 'min_presence': must be 0 or more, not {min_presence}")
    if not weight > 0 or weight == float("inf"):
        problems.errors.append(f"{where}, 'weight': must be a number above 0, not {item.get('weight')!r}")
    sector = str(item.get("sector", "vcse"))
    if sector not in SECTORS:
        problems.errors.append(f"{where}, 'sector': '{sector}' is not one of {', '.join(SECTORS)}")
    reaches = item.get("reaches", [])
    if not isinstance(reaches, list) or not all(isinstance(v, str) for v in reaches):
        problems.errors.append(f"{where}, 'reaches': must be a list of constituency keys, not {reaches!r}")
        reaches = []
    return Constituency(key=key, label=str(item.get("label", key)), sector=sector,
                        description=str(item.get("description", "")), min_presence=min_presence, weight=weight,
                        reaches=tuple(dict.fromkeys(reaches)))


def _link(i: int, item: object, keys: set[str], problems: _Problems) -> ExpectedLink | None:
    """Entry ``i`` of ``[[expected_links]]``, its problems added to ``problems``; None if unusable."""
    where = f"expected link {i}"
    if not isinstance(item, dict):
        problems.errors.append(f"{where}: must be an [[expected_links]] table, not {item!r}")
        return None
    problems.warnings += [f"{where}: {w}" for w in unknown_keys(item, LINK_KEYS)]
    pair = item.get("between", [])
    direct = item.get("direct", False)
    if not isinstance(direct, bool):
        problems.errors.append(f"{where}: 'direct' must be true or false, not {direct!r}")
    if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(p, str) and p in keys for p in pair):
        problems.errors.append(f"{where}: 'between' must name two constituencies of this framework, not {pair!r}")
        return None
    return ExpectedLink(pair[0], pair[1], str(item.get("reason", "")), direct is True)


def _framework_of(raw: dict, path: Path, problems: _Problems) -> Framework:
    """The framework of a parsed file, every problem found added to ``problems``."""
    problems.warnings += unknown_keys(raw, FRAMEWORK_KEYS)
    items = raw.get("constituencies", [])
    items = items if isinstance(items, list) else [items]
    constituencies: list[Constituency] = []
    first: dict[str, int] = {}
    for i, item in enumerate(items, start=1):
        c = _constituency(i, item, problems)
        if c is not None and c.key in first:
            problems.errors.append(f"constituency {i} ('{c.key}'), 'key': also the key of constituency {first[c.key]}")
        elif c is not None:
            first[c.key] = i
            constituencies.append(c)
    if not items:
        problems.errors.append("a framework needs at least one [[constituencies]] entry")
    for c in constituencies:
        problems.errors += [f"constituency {first[c.key]} ('{c.key}'): 'reaches' names '{k}', which is not a "
                            "constituency of this framework" for k in c.reaches if k not in first]
    links = raw.get("expected_links", [])
    found = [_link(i, item, set(first), problems)
             for i, item in enumerate(links if isinstance(links, list) else [links], start=1)]
    return Framework(key=str(raw.get("key", path.stem)), name=str(raw.get("name", path.stem)),
                     constituencies=tuple(constituencies), expected_links=tuple(x for x in found if x is not None),
                     description=str(raw.get("description", "")), source=str(raw.get("source", "")))


@lru_cache(maxsize=32)
def _read_framework_file(path: Path) -> tuple[Framework, tuple[str, ...]]:
    """A framework file and its warnings; :class:`ReferenceDataError` listing every error, one per line."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read framework: {exc}") from None
    problems = _Problems()
    framework = _framework_of(raw, path, problems)
    if problems.errors:
        raise ReferenceDataError("\n".join(f"{path}: {problem}" for problem in problems.errors))
    return framework, tuple(problems.warnings)


def _read_framework(path: Path) -> Framework:
    return _read_framework_file(path)[0]


def framework_warnings(name_or_path: str | Path, base: str | Path | None = None) -> list[str]:
    """What a framework file holds that netmap ignores (a misspelt ``wieght``, say), one sentence each.

    ``name_or_path`` is found as :func:`load_framework` finds it; the file must be readable.
    """
    found = resolve_framework(name_or_path, base)
    path = Path(found) if isinstance(found, Path) else frameworks_dir() / f"{found}.toml"
    return list(_read_framework_file(path)[1])


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


# --------------------------------------------------------------------------- population profiles
# Built in (data/census/population-profiles.csv), imported with `netmap import census` (a file of the same
# shape in the user's data folder) or a workspace's own (netmap.toml): all found by one rule,
# find_population, by key, ONS code or place name.

#: The columns of a population-profile CSV, in order; ``geography_code`` and ``source`` may be left out.
PROFILE_COLUMNS: tuple[str, ...] = ("profile", "name", "geography_code", "group", "share", "source")
#: How far from 100 the shares of a profile may add up to, for rounding (per cent).
SHARE_TOLERANCE = 0.5
_PLACE_AFFIX = re.compile(r"^(?:(?:city|county) of )+|(?: (?:city|county) of)+$")


def imported_profiles_path() -> Path:
    """The file ``netmap import census`` keeps its profiles in (under :func:`user_data_dir`)."""
    return user_data_dir() / "census" / "population-profiles.csv"


def shares_problem(shares: Mapping[str, float], *, complete: bool = True) -> str | None:
    """Why ``shares`` (group key -> per cent) cannot be a population profile, or None if they can.

    The one rule for every profile (built in, imported, a workspace's own): high-level Census groups
    (several may be joined by ``+``), each counted once, each share from 0 to 100, and (unless
    ``complete`` is False, for a profile still being read) adding up to 100 within
    :data:`SHARE_TOLERANCE`, so that no group is left out unseen.

    >>> shares_problem({"asian": 30, "black": 10, "mixed+other": 5, "white": 55})
    >>> shares_problem({"caribbean": 4.0})
    "group 'caribbean' is a detailed group: coverage is measured for the high-level groups (give 'black')"
    >>> shares_problem({"mixed": 3, "mixed+other": 5})
    "group 'mixed' is counted twice (in 'mixed' and 'mixed+other')"
    >>> shares_problem({"asian": 40, "white": 50})
    'the shares add up to 90%, not 100% (give every high-level group, or join some with +: e.g. mixed+other)'
    """
    groups = census_groups()
    seen: dict[str, str] = {}
    for key, share in shares.items():
        for part in key.split("+"):
            group = groups.get(part)
            if group is None:
                high = [k for k, g in groups.items() if g.level == "high"]
                close = difflib.get_close_matches(part, high, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                return f"unknown group '{part}' ({hint}use {', '.join(high)}, or several joined by '+')"
            if group.level != "high":
                return (f"group '{part}' is a detailed group: coverage is measured for the high-level groups "
                        f"(give '{group.parent}')")
            if part in seen:
                return f"group '{part}' is counted twice (in '{seen[part]}' and '{key}')"
            seen[part] = key
        if not 0 <= share <= 100:
            return f"share {share:g} of '{key}' is not a percentage from 0 to 100"
    total = sum(shares.values())
    if total > 100 + SHARE_TOLERANCE:
        return f"the shares add up to {total:g}%, more than 100%"
    if complete and total < 100 - SHARE_TOLERANCE:
        return (f"the shares add up to {total:g}%, not 100% (give every high-level group, or join some with +: "
                "e.g. mixed+other)")
    return None


def read_profiles(path: Path) -> dict[str, PopulationProfile]:
    """The population profiles of a CSV file of the ``population-profiles.csv`` shape, checked.

    One row per group: ``profile,name,geography_code,group,share,source`` (see docs/formats.md).
    Raises :class:`ReferenceDataError` naming the file, row and column of the first problem; a
    profile whose shares do not add up to 100 is named with its rows.
    """
    rows = _read_csv(path)
    header = list(rows[0]) if rows else []
    missing = [c for c in ("profile", "name", "group", "share") if c not in header]
    if missing:
        raise ReferenceDataError(f"{path}, row 1, column '{missing[0]}': missing column (expected: "
                                 f"{', '.join(PROFILE_COLUMNS)})")
    grouped: dict[str, dict] = {}
    for number, row in enumerate(rows, start=2):
        key, group = (row.get("profile") or "").strip(), (row.get("group") or "").strip()
        for column, value in (("profile", key), ("group", group)):
            if not value:
                raise ReferenceDataError(f"{path}, row {number}, column '{column}': empty")
        try:
            share = float(row.get("share") or "")
        except ValueError:
            raise ReferenceDataError(f"{path}, row {number}, column 'share': "
                                     f"'{row.get('share') or ''}' is not a number") from None
        entry = grouped.setdefault(key, {"name": (row.get("name") or key).strip(), "shares": {},
                                         "code": (row.get("geography_code") or "").strip(),
                                         "source": (row.get("source") or "").strip(), "rows": []})
        if group in entry["shares"]:
            raise ReferenceDataError(f"{path}, row {number}, column 'group': '{group}' given twice for "
                                     f"profile '{key}'")
        entry["shares"][group] = share
        entry["rows"].append(number)
        problem = shares_problem(entry["shares"], complete=False)
        if problem:
            column = "share" if problem.startswith(("share", "the shares")) else "group"
            raise ReferenceDataError(f"{path}, row {number}, column '{column}': profile '{key}': {problem}")
    for key, entry in grouped.items():
        problem = shares_problem(entry["shares"])
        if problem:
            rows_of = entry["rows"]
            where = f"row {rows_of[0]}" if len(rows_of) == 1 else f"rows {rows_of[0]}-{rows_of[-1]}"
            raise ReferenceDataError(f"{path}, {where}, column 'share': profile '{key}': {problem}")
    return {key: PopulationProfile(key=key, name=v["name"], shares=v["shares"], geography_code=v["code"],
                                   source=v["source"])
            for key, v in grouped.items()}


@lru_cache(maxsize=8)
def _profiles_at(path: Path, stamp: tuple[int, int]) -> dict[str, PopulationProfile]:
    return read_profiles(path)


def _profiles_file(path: Path) -> dict[str, PopulationProfile]:
    """The profiles of ``path`` (none if it does not exist), read again whenever the file changes."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    return dict(_profiles_at(path, (stat.st_mtime_ns, stat.st_size)))


def builtin_profiles() -> dict[str, PopulationProfile]:
    """Population profiles shipped with netmap, by key."""
    return _profiles_file(data_dir() / "census" / "population-profiles.csv")


def imported_profiles() -> dict[str, PopulationProfile]:
    """Population profiles imported with ``netmap import census``, by key (the area's ONS code)."""
    return _profiles_file(imported_profiles_path())


def population_profiles() -> dict[str, PopulationProfile]:
    """Every population profile netmap knows, by key: those shipped with it, then those imported."""
    return {**imported_profiles(), **builtin_profiles()}


def map_profiles(nmap: NetworkMap) -> dict[str, PopulationProfile]:
    """The profiles a map's localities may name: netmap's own and the workspace's (which win), by key."""
    return {**population_profiles(), **nmap.populations}


def coverage_notes(nmap: NetworkMap) -> list[dict[str, str]]:
    """Where community coverage cannot be computed for want of a population profile, and how to add one.

    One ``{"locality", "name", "message"}`` per locality with no profile (``locality`` is ``""`` for a map
    with no localities); none when every locality has one.

    >>> from netmap.model import Locality
    >>> [n["message"] for n in coverage_notes(NetworkMap("m", "M", localities=[Locality("n", "North")]))]
    ... # doctest: +ELLIPSIS
    ["Community coverage not computed for North: no population profile. Set population = ... 'n' in netmap.toml..."]
    """
    how = ("a built-in profile, a local authority's name or ONS code after 'netmap import census FILE' "
           "(ONS Census 2021 table TS021), or the map's own [populations.KEY]; see docs/formats.md")
    if not nmap.localities:
        return [{"locality": "", "name": "", "message": "Community coverage not computed: the map has no "
                 f"locality with a population profile. Add a [[localities]] table with population = ... to "
                 f"netmap.toml: {how}."}]
    profiles = map_profiles(nmap)
    return [{"locality": loc.key, "name": loc.name,
             "message": f"Community coverage not computed for {loc.name}: no population profile. Set population "
                        f"= ... for locality '{loc.key}' in netmap.toml: {how}."}
            for loc in nmap.localities if loc.population not in profiles]


def place_key(text: str) -> str:
    """How place names are compared: case, accents, punctuation and a "City of"/"County of" set aside.

    >>> place_key("Bristol, City of"), place_key("city of bristol"), place_key("Brighton & Hove")
    ('bristol', 'bristol', 'brighton and hove')
    """
    previous = None
    text = str(text)
    for _ in range(4):  # a few rounds reach the fixed point (NFKD can make capitals casefold then lowers)
        if text == previous:
            break
        previous = text
        text = unicodedata.normalize("NFKD", text).casefold()
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ")
        text = _PLACE_AFFIX.sub("", " ".join(re.sub(r"[\W_]+", " ", text).split())).strip()
    return text


def _label(profile: PopulationProfile) -> str:
    return f"'{profile.name}' ({profile.geography_code})" if profile.geography_code else f"'{profile.key}'"


def _match(wanted: str, ranked: list[PopulationProfile]) -> PopulationProfile | None:
    """The profile among ``ranked`` (best first) whose key, ONS code or place name is ``wanted``."""
    for p in ranked:
        if p.key == wanted:
            return p
    found = [p for p in ranked if p.geography_code and p.geography_code.upper() == wanted.upper()]
    if not found and place_key(wanted):
        found = [p for p in ranked if place_key(wanted) in (place_key(p.name), place_key(p.key))]
    areas = {p.geography_code or p.key: p for p in reversed(found)}
    if len(areas) > 1:
        raise ReferenceDataError(f"population profile '{wanted}' matches several areas: "
                                 f"{', '.join(_label(p) for p in areas.values())}: give its key or ONS code")
    return found[0] if found else None


def find_population(text: str, own: Mapping[str, PopulationProfile] | None = None) -> PopulationProfile:
    """The population profile ``text`` names: its key, its ONS geography code, or its place name.

    ``own`` are a workspace's own profiles, looked through first. Names match ignoring case, punctuation
    and a "City of"/"County of" (``bristol`` finds "Bristol, City of"). Among netmap's profiles a key names
    exactly that profile; a code or name that is both imported and built in finds the imported one (the
    full table). Raises :class:`ReferenceDataError`, with a "did you mean" when a name is close.

    >>> find_population("Birmingham").key, find_population("e08000025").key
    ('birmingham', 'birmingham')
    """
    wanted = str(text).strip()
    builtin = builtin_profiles()
    known = population_profiles()
    ranked = sorted(known.values(), key=lambda p: p.key in builtin)  # imported first, then built in
    found = _match(wanted, list((own or {}).values())) or _match(wanted, ranked)
    if found is not None:
        return found
    everything = [*(own or {}).values(), *ranked]
    names = {place_key(n): p for p in reversed(everything) for n in (p.name, p.key) if place_key(n)}
    # a close spelling, else a name holding every word given ("hull" -> "Kingston upon Hull, City of")
    close = difflib.get_close_matches(place_key(wanted), list(names), n=1, cutoff=0.7) or [
        n for n in names if place_key(wanted) and set(place_key(wanted).split()) <= set(n.split())][:1]
    if close:
        raise ReferenceDataError(f"population profile '{wanted}' not found: did you mean {_label(names[close[0]])}?")
    raise ReferenceDataError(
        f"population profile '{wanted}' not found (built in: {', '.join(sorted(builtin))}): import "
        "any local authority's with 'netmap import census FILE', or give the workspace its own "
        "[populations.KEY] in netmap.toml")


def load_population(key: str) -> PopulationProfile:
    """A population profile by key, ONS code or name (see :func:`find_population`)."""
    return find_population(key)
