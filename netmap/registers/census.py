"""Importing ONS Census 2021 table TS021 (ethnic group) into population profiles, one per area.

The ONS bulk file for local authorities (``census2021-ts021-ltla.csv`` in
``census2021-ts021.zip``) has the columns ``date``, ``geography``,
``geography code``, ``Ethnic group: Total: All usual residents``, then each of
the five high-level groups' total followed by its detailed groups. Columns are
found by name through the ``ons_name`` of ``data/census/ethnic-groups-2021.csv``,
never by position; every detailed group is checked against its high-level
total and the totals against all usual residents, and each high-level count
becomes a share (per cent) of all usual residents. A file with any problem
writes nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from netmap.errors import ReferenceDataError
from netmap.fileio import csv_text, write_text_atomically
from netmap.model import PopulationProfile
from netmap.reference import PROFILE_COLUMNS, census_groups, imported_profiles_path, read_profiles

#: The column of all usual residents, and the prefix of every group's column.
TOTAL_COLUMN = "Ethnic group: Total: All usual residents"
GROUP_PREFIX = "Ethnic group: "
CODE_COLUMN, NAME_COLUMN = "geography code", "geography"
#: Some ONS bulk files end each count's heading with this; it is ignored when matching names.
MEASURES_SUFFIX = "; measures: Value"
#: The key of TS021 in data/sources.toml: every imported profile cites it, with the file it came from.
TS021_SOURCE = "ons-census-2021-ts021"
#: Decimal places kept in a share (per cent): 0.01% of a local authority is a few dozen people.
SHARE_DIGITS = 2
_INVERTED = re.compile(r"^(.+), (City|County) of$")


@dataclass(frozen=True)
class CensusImport:
    """What :func:`import_census` did: the profiles read, the file written and how many profiles it holds."""

    profiles: list[PopulationProfile]
    path: Path
    total: int


def readable_name(name: str) -> str:
    """An ONS area name as people say it: "Bristol, City of" becomes "City of Bristol".

    >>> readable_name("Kingston upon Hull, City of"), readable_name("Herefordshire, County of"), readable_name("Leeds")
    ('City of Kingston upon Hull', 'County of Herefordshire', 'Leeds')
    """
    match = _INVERTED.match(name)
    return f"{match.group(2)} of {match.group(1)}" if match else name


def _heading(text: str) -> str:
    text = (text or "").strip()
    return text[: -len(MEASURES_SUFFIX)].strip() if text.endswith(MEASURES_SUFFIX) else text


def _columns(path: Path, header: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Where each needed column is (heading -> index), and each group's heading -> group key."""
    at = {_heading(name): i for i, name in enumerate(header)}
    groups = {GROUP_PREFIX + g.ons_name: g.key for g in census_groups().values()}
    for needed in (NAME_COLUMN, CODE_COLUMN, TOTAL_COLUMN, *groups):
        if needed not in at:
            raise ReferenceDataError(f"{path}, row 1, column '{needed}': missing column (is this the ONS Census "
                                     "2021 TS021 ethnic group file, census2021-ts021-ltla.csv?)")
    return at, groups


def _count(path: Path, number: int, column: str, value: str) -> int:
    text = value.strip()
    if not text.isdigit():
        shown = f"'{text}'" if text else "an empty cell"
        raise ReferenceDataError(f"{path}, row {number}, column '{column}': {shown} is not a count "
                                 "(a whole number, 0 or more)")
    return int(text)


def _area(path: Path, number: int, row: list[str], at: dict[str, int], groups: dict[str, str],
          source: str) -> PopulationProfile:
    """The profile of one row, its totals checked."""
    cell = {name: (row[i] if i < len(row) else "") for name, i in at.items()}
    code, name = cell[CODE_COLUMN].strip(), cell[NAME_COLUMN].strip()
    for column, value in ((CODE_COLUMN, code), (NAME_COLUMN, name)):
        if not value:
            raise ReferenceDataError(f"{path}, row {number}, column '{column}': empty")
    counts = {column: _count(path, number, column, cell[column]) for column in (TOTAL_COLUMN, *groups)}
    info = census_groups()
    high = [c for c in groups if info[groups[c]].level == "high"]
    for column in high:
        details = [c for c in groups if info[groups[c]].parent == groups[column]]
        added = sum(counts[c] for c in details)
        if added != counts[column]:
            raise ReferenceDataError(f"{path}, row {number}, column '{column}': the detailed groups add up to "
                                     f"{added:,}, not {counts[column]:,}")
    total = counts[TOTAL_COLUMN]
    added = sum(counts[c] for c in high)
    if added != total:
        raise ReferenceDataError(f"{path}, row {number}, column '{TOTAL_COLUMN}': the {len(high)} high-level "
                                 f"groups add up to {added:,}, not {total:,}")
    if total == 0:
        raise ReferenceDataError(f"{path}, row {number}, column '{TOTAL_COLUMN}': no usual residents, so no "
                                 "shares")
    shares = {groups[c]: round(100 * counts[c] / total, SHARE_DIGITS) for c in high}
    return PopulationProfile(key=code, name=readable_name(name), shares=shares, geography_code=code, source=source)


def read_ts021(path: str | Path) -> list[PopulationProfile]:
    """One profile per area (row) of a TS021 bulk CSV, keyed by its ONS geography code.

    Raises :class:`ReferenceDataError` naming the file, row and column of the first problem.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    except UnicodeDecodeError:
        raise ReferenceDataError(f"{path}: not UTF-8 text (save it as CSV UTF-8)") from None
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not table:
        raise ReferenceDataError(f"{path}, row 1: file is empty: expected the TS021 header row")
    at, groups = _columns(path, table[0])
    source = f"{TS021_SOURCE}: {path.name}"
    profiles: list[PopulationProfile] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        profile = _area(path, number, row, at, groups, source)
        if profile.key in first_row:
            raise ReferenceDataError(f"{path}, row {number}, column '{CODE_COLUMN}': '{profile.key}' is also on "
                                     f"row {first_row[profile.key]}")
        first_row[profile.key] = number
        profiles.append(profile)
    if not profiles:
        raise ReferenceDataError(f"{path}, row 2: no areas: the file has a header but no rows")
    return profiles


def profiles_csv(profiles: Iterable[PopulationProfile]) -> str:
    """Profiles as the CSV text of ``population-profiles.csv`` (one row per group share)."""
    rows = [[p.key, p.name, p.geography_code, group, f"{share:g}", p.source]
            for p in profiles for group, share in p.shares.items()]
    return csv_text(PROFILE_COLUMNS, rows)


def import_census(path: str | Path, out: str | Path | None = None) -> CensusImport:
    """Read a TS021 bulk CSV and add its areas' profiles to ``out`` (default: netmap's user data folder).

    Profiles already in ``out`` for other areas are kept; those for the same
    ONS codes are replaced. Nothing is written if the file has any problem.
    """
    target = Path(out) if out is not None else imported_profiles_path()
    profiles = read_ts021(path)
    kept = read_profiles(target) if target.is_file() else {}
    merged = {**kept, **{p.key: p for p in profiles}}
    write_text_atomically(target, profiles_csv(merged[k] for k in sorted(merged)))
    return CensusImport(profiles=profiles, path=target, total=len(merged))
