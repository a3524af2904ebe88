"""The workspace's ``netmap.toml``: reading it into a :class:`WorkspaceConfig`, and writing one for a map.

>>> print(config_text(NetworkMap(key="leeds", name="Leeds"), comment=False), end="")
map = "leeds"
name = "Leeds"
framework = "whole-system"
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.model import Locality, NetworkMap, PopulationProfile
from netmap.reference import census_groups, find_population, read_profiles, shares_problem, unknown_keys
from netmap.workspace.names import slugify
from netmap.workspace.problems import ValidationReport, visible
from netmap.workspace.tables import CONFIG_FILE
from netmap.workspace.values import valid_date

CONFIG_KEYS = frozenset({"map", "name", "framework", "snapshot", "ego", "description", "data", "localities",
                         "populations", "population_file", "names"})
#: The values of ``names``: "hide" shows individuals by pseudonym in outputs meant for sharing (docs/privacy.md).
NAMES_SETTINGS = ("hide", "show")
#: The settings of a ``[populations.KEY]`` table that are not group shares.
PROFILE_FIELDS = ("name", "geography_code", "source")
#: The settings of a ``[[localities]]`` table.
LOCALITY_KEYS = ("key", "name", "population")
_MAP_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


@dataclass
class WorkspaceConfig:
    key: str
    name: str
    framework: str = "whole-system"
    localities: list[Locality] = field(default_factory=list)
    snapshot: str = ""
    ego: tuple[str, ...] = ()
    description: str = ""
    data: str = ""
    #: the workspace's own population profiles, by key
    populations: dict[str, PopulationProfile] = field(default_factory=dict)
    #: ``names = "show"``: maps, reports and exports show individuals by name, not by pseudonym
    show_names: bool = False


def read_config(folder: Path, report: ValidationReport) -> WorkspaceConfig:
    """Read ``netmap.toml``; without one, defaults named after the folder."""
    path = folder / CONFIG_FILE
    default_key = slugify(folder.resolve().name)
    if not path.is_file():
        report.warning(CONFIG_FILE, "no netmap.toml: using the folder name as the map key and the "
                                    "whole-system framework", code="no_config")
        return WorkspaceConfig(key=default_key, name=folder.resolve().name)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        report.error(CONFIG_FILE, "not UTF-8 text", code="encoding")
        return WorkspaceConfig(key=default_key, name=default_key)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        report.error(CONFIG_FILE, f"not valid TOML: {exc}", row=int(line.group(1)) if line else None,
                     code="toml")
        return WorkspaceConfig(key=default_key, name=default_key)
    for unknown in sorted(set(raw) - CONFIG_KEYS):
        report.warning(CONFIG_FILE, unknown_keys({unknown: None}, sorted(CONFIG_KEYS))[0], column=unknown,
                       code="unknown_setting")
    key = str(raw.get("map", default_key))
    if not _MAP_KEY.match(key):
        suggestion = slugify("".join(c for c in key if c.isprintable()))[:80].strip("-")
        report.error(CONFIG_FILE, f"map key '{visible(key)}' must be letters, digits, '-', '_' or '.' (at most 80, "
                                  f"starting with a letter or digit): write '{suggestion}'", column="map",
                     code="bad_value")
    config = WorkspaceConfig(key=key, name=str(raw.get("name", key)),
                             framework=str(raw.get("framework", "whole-system")),
                             snapshot=str(raw.get("snapshot", "")), description=str(raw.get("description", "")),
                             data=str(raw.get("data", "")))
    if config.snapshot and not valid_date(config.snapshot):
        report.error(CONFIG_FILE, f"snapshot '{config.snapshot}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                     column="snapshot", code="bad_date")
    ego = raw.get("ego", [])
    config.ego = tuple(str(e) for e in (ego if isinstance(ego, list) else [ego]))
    config.show_names = _names_setting(raw.get("names", "hide"), report)
    config.populations = _own_populations(folder, raw, report)
    config.localities = _localities(raw.get("localities", []), config.populations, report)
    return config


def _names_setting(value: object, report: ValidationReport) -> bool:
    """Whether ``names`` asks for individuals' names in shared outputs; a value other than hide/show is an error."""
    setting = str(value).strip().lower()
    if setting not in NAMES_SETTINGS:
        report.error(CONFIG_FILE, f"names must be \"hide\" (pseudonyms, the default) or \"show\", not {value!r}",
                     column="names", code="bad_value")
    return setting == "show"


def _localities(localities: object, own: dict[str, PopulationProfile], report: ValidationReport) -> list[Locality]:
    """The ``[[localities]]`` of netmap.toml; bad ones are reported and left out.

    A locality's ``population`` may name a profile by key, ONS code or place name
    (:func:`~netmap.reference.find_population`); the locality keeps the key of the profile found.
    """
    if not isinstance(localities, list):
        report.error(CONFIG_FILE, "localities must be a list of [[localities]] tables with a key and a name",
                     column="localities", code="bad_value")
        localities = []
    found: list[Locality] = []
    for i, item in enumerate(localities, start=1):
        if not isinstance(item, dict) or "key" not in item:
            report.error(CONFIG_FILE, f"locality {i} needs a 'key'", column="localities", code="missing_value")
            continue
        for message in unknown_keys(item, LOCALITY_KEYS):
            report.warning(CONFIG_FILE, f"locality {i} ('{item['key']}'): {message}", column="localities",
                           code="unknown_setting")
        population = str(item.get("population", "")).strip()
        if population:
            try:
                population = find_population(population, own).key
            except ReferenceDataError as exc:
                report.error(CONFIG_FILE, f"locality '{item['key']}': {exc}", column="population",
                             code="unknown_population")
                population = ""
        found.append(Locality(str(item["key"]), str(item.get("name", item["key"])), population))
    return found


def _own_populations(folder: Path, raw: dict, report: ValidationReport) -> dict[str, PopulationProfile]:
    """The workspace's own profiles: those of its ``population_file`` CSV, then its ``[populations.KEY]`` tables."""
    found: dict[str, PopulationProfile] = {}
    name = str(raw.get("population_file", "") or "")
    if name:
        path = folder / name
        if not path.is_file():
            report.error(CONFIG_FILE, f"population file '{name}' not found", column="population_file",
                         code="missing_file")
        else:
            try:
                found.update(read_profiles(path))
            except ReferenceDataError as exc:
                report.error(CONFIG_FILE, str(exc).replace(str(path), name, 1), column="population_file",
                             code="bad_population")
    tables = raw.get("populations", {})
    if not isinstance(tables, dict):
        report.error(CONFIG_FILE, "populations must be [populations.KEY] tables of group shares (per cent)",
                     column="populations", code="bad_population")
        tables = {}
    for key, table in tables.items():
        profile = _own_profile(str(key), table, report)
        if profile is not None:
            found[profile.key] = profile
    for profile in found.values():
        if not profile.source:
            report.warning(CONFIG_FILE, f"population '{profile.key}' has no source: say where its figures come "
                                        "from (e.g. ONS Census 2021 table TS021) so readers can check them",
                           column="populations", code="bad_population")
    return found


def _own_profile(key: str, table: object, report: ValidationReport) -> PopulationProfile | None:
    """One ``[populations.KEY]`` table as a profile; None (and an error) if it is malformed."""
    column = f"populations.{key}"
    if not isinstance(table, dict):
        report.error(CONFIG_FILE, f"'{column}' must be a table of group shares (per cent)", column=column,
                     code="bad_population")
        return None
    shares: dict[str, float] = {}
    for group, value in table.items():
        if group in PROFILE_FIELDS:
            continue
        if isinstance(value, str) and group not in census_groups():  # a misspelt setting, not a share
            report.warning(CONFIG_FILE, f"population '{key}': {unknown_keys({group: value}, PROFILE_FIELDS)[0]}",
                           column=column, code="unknown_setting")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            report.error(CONFIG_FILE, f"population '{key}': the share of '{group}' must be a number (per cent), "
                                      f"not {value!r}", column=column, code="bad_population")
            return None
        shares[str(group)] = float(value)
    problem = shares_problem(shares) if shares else "no group shares (e.g. asian = 9.7)"
    if problem:
        report.error(CONFIG_FILE, f"population '{key}': {problem}", column=column, code="bad_population")
        return None
    return PopulationProfile(key=key, name=str(table.get("name", key)), shares=shares,
                             geography_code=str(table.get("geography_code", "")),
                             source=str(table.get("source", "")))


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` exactly.

    >>> toml_string('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\x7f", "\\u007f")


def config_text(nmap: NetworkMap, *, comment: bool = True) -> str:
    """The ``netmap.toml`` of a map; ``comment=False`` leaves out the first line's pointer to the docs."""
    lines = ["# netmap workspace: see docs/formats.md"] if comment else []
    lines += [
        f"map = {toml_string(nmap.key)}",
        f"name = {toml_string(nmap.name)}",
        f"framework = {toml_string(nmap.framework)}",
    ]
    if nmap.snapshot:
        lines.append(f"snapshot = {toml_string(nmap.snapshot)}")
    if nmap.ego:
        lines.append("ego = [" + ", ".join(toml_string(e) for e in nmap.ego) + "]")
    if nmap.description:
        lines.append(f"description = {toml_string(nmap.description)}")
    for loc in nmap.localities:
        lines += ["", "[[localities]]", f"key = {toml_string(loc.key)}", f"name = {toml_string(loc.name)}"]
        if loc.population:
            lines.append(f"population = {toml_string(loc.population)}")
    for key, profile in nmap.populations.items():
        lines += ["", f"[populations.{toml_string(key)}]", f"name = {toml_string(profile.name)}"]
        lines += [f"{field_name} = {toml_string(value)}" for field_name, value in
                  (("geography_code", profile.geography_code), ("source", profile.source)) if value]
        lines += [f"{toml_string(group)} = {float(share)!r}" for group, share in profile.shares.items()]
    return "\n".join(lines) + "\n"
