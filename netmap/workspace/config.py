"""The workspace's ``netmap.toml``: reading it into a :class:`WorkspaceConfig`, and writing one for a map.

>>> print(config_text(NetworkMap(key="leeds", name="Leeds"), comment=False), end="")
map = "leeds"
name = "Leeds"
framework = "whole-system"
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from netmap.model import Locality, NetworkMap
from netmap.reference import population_profiles
from netmap.workspace.names import slugify
from netmap.workspace.problems import ValidationReport
from netmap.workspace.tables import CONFIG_FILE
from netmap.workspace.values import valid_date

CONFIG_KEYS = frozenset({"map", "name", "framework", "snapshot", "ego", "description", "data", "localities"})
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
        close = difflib.get_close_matches(unknown, CONFIG_KEYS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        report.warning(CONFIG_FILE, f"unknown setting '{unknown}' ignored{hint}", column=unknown,
                       code="unknown_setting")
    key = str(raw.get("map", default_key))
    if not _MAP_KEY.match(key):
        report.error(CONFIG_FILE, f"map key '{key}' must be letters, digits, '-', '_' or '.'",
                     column="map", code="bad_value")
    config = WorkspaceConfig(key=key, name=str(raw.get("name", key)),
                             framework=str(raw.get("framework", "whole-system")),
                             snapshot=str(raw.get("snapshot", "")), description=str(raw.get("description", "")),
                             data=str(raw.get("data", "")))
    if config.snapshot and not valid_date(config.snapshot):
        report.error(CONFIG_FILE, f"snapshot '{config.snapshot}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                     column="snapshot", code="bad_date")
    ego = raw.get("ego", [])
    config.ego = tuple(str(e) for e in (ego if isinstance(ego, list) else [ego]))
    config.localities = _localities(raw.get("localities", []), report)
    return config


def _localities(localities: object, report: ValidationReport) -> list[Locality]:
    """The ``[[localities]]`` of netmap.toml; bad ones are reported and left out."""
    profiles = population_profiles()
    if not isinstance(localities, list):
        report.error(CONFIG_FILE, "localities must be a list of [[localities]] tables with a key and a name",
                     column="localities", code="bad_value")
        localities = []
    found: list[Locality] = []
    for i, item in enumerate(localities, start=1):
        if not isinstance(item, dict) or "key" not in item:
            report.error(CONFIG_FILE, f"locality {i} needs a 'key'", column="localities", code="missing_value")
            continue
        population = str(item.get("population", ""))
        if population and population not in profiles:
            report.error(CONFIG_FILE, f"locality '{item['key']}': unknown population profile '{population}' "
                                      f"(available: {', '.join(sorted(profiles))})",
                         column="population", code="unknown_population")
            population = ""
        found.append(Locality(str(item["key"]), str(item.get("name", item["key"])), population))
    return found


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
    return "\n".join(lines) + "\n"
