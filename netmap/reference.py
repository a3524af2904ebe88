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
from collections.abc import Mapping
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
                reaches=_key_list(item.get("reaches", []), path, f"constituency '{item['key']}'", "reaches"),
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
    for c in constituencies:
        unknown = [k for k in c.reaches if k not in keys]
        if unknown:
            raise ReferenceDataError(f"{path}: constituency '{c.key}': 'reaches' names '{unknown[0]}', "
                                     "which is not a constituency of this framework")
    links = []
    for i, item in enumerate(raw.get("expected_links", []), start=1):
        pair = item.get("between", [])
        if len(pair) != 2 or not all(p in keys for p in pair):
            raise ReferenceDataError(
                f"{path}: expected link {i}: 'between' must name two constituencies of this framework"
            )
        direct = item.get("direct", False)
        if not isinstance(direct, bool):
            raise ReferenceDataError(f"{path}: expected link {i}: 'direct' must be true or false, not {direct!r}")
        links.append(ExpectedLink(pair[0], pair[1], str(item.get("reason", "")), direct))
    return Framework(
        key=str(raw.get("key", path.stem)),
        name=str(raw.get("name", path.stem)),
        constituencies=tuple(constituencies),
        expected_links=tuple(links),
        description=str(raw.get("description", "")),
        source=str(raw.get("source", "")),
    )


def _key_list(value: object, path: Path, what: str, name: str) -> tuple[str, ...]:
    """A framework's list of constituency keys (``reaches = ["a", "b"]``), checked to be a list of texts."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReferenceDataError(f"{path}: {what}: '{name}' must be a list of constituency keys, not {value!r}")
    return tuple(dict.fromkeys(value))


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
#: Shares may add up to a little more than 100 through rounding, never more than this.
MAX_SHARE_TOTAL = 100.5
_PLACE_AFFIX = re.compile(r"^(?:(?:city|county) of )+|(?: (?:city|county) of)+$")


def imported_profiles_path() -> Path:
    """The file ``netmap import census`` keeps its profiles in (under :func:`user_data_dir`)."""
    return user_data_dir() / "census" / "population-profiles.csv"


def shares_problem(shares: Mapping[str, float]) -> str | None:
    """Why ``shares`` (group key -> per cent) cannot be a population profile, or None if they can.

    >>> shares_problem({"asian": 30, "black": 10})
    >>> shares_problem({"caribbean": 4.0})
    "group 'caribbean' is a detailed group: coverage is measured for the high-level groups (give 'black')"
    >>> shares_problem({"mixed": 3, "mixed+other": 5})
    "group 'mixed' is counted twice (in 'mixed' and 'mixed+other')"
    """
    groups = census_groups()
    seen: dict[str, str] = {}
    for key, share in shares.items():
        for part in key.split("+"):
            group = groups.get(part)
            if group is None:
                high = ", ".join(k for k, g in groups.items() if g.level == "high")
                return f"unknown group '{part}' (use {high}, or several joined by '+')"
            if group.level != "high":
                return (f"group '{part}' is a detailed group: coverage is measured for the high-level groups "
                        f"(give '{group.parent}')")
            if part in seen:
                return f"group '{part}' is counted twice (in '{seen[part]}' and '{key}')"
            seen[part] = key
        if not 0 <= share <= 100:
            return f"share {share:g} of '{key}' is not a percentage from 0 to 100"
    total = sum(shares.values())
    if total > MAX_SHARE_TOTAL:
        return f"the shares add up to {total:g}%, more than 100%"
    return None


def read_profiles(path: Path) -> dict[str, PopulationProfile]:
    """The population profiles of a CSV file of the ``population-profiles.csv`` shape, checked.

    One row per group: ``profile,name,geography_code,group,share,source`` (see docs/formats.md).
    Raises :class:`ReferenceDataError` naming the file, row and column of the first problem.
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
                                         "source": (row.get("source") or "").strip(), "row": number})
        if group in entry["shares"]:
            raise ReferenceDataError(f"{path}, row {number}, column 'group': '{group}' given twice for "
                                     f"profile '{key}'")
        entry["shares"][group] = share
        problem = shares_problem(entry["shares"])
        if problem:
            raise ReferenceDataError(f"{path}, row {number}, column 'group': profile '{key}': {problem}")
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
