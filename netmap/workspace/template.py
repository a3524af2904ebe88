"""Templates for a new workspace: what ``netmap init`` writes.

A convenor opens the CSV files (or the workbook) in Excel, fills one row per
partner, and runs ``netmap validate``. The commented ``netmap.toml`` and the
``README.txt`` (and the workbook's "Read me" sheet) explain every column and
list the constituency and community keys to use, describing the CSV files or
the workbook's sheets, whichever was written.
"""

from __future__ import annotations

import io
from pathlib import Path

from netmap.errors import WorkspaceError
from netmap.fileio import write_bytes_atomically, write_files_atomically
from netmap.model import ACTOR_KINDS, KNOWN_TIE_TYPES, MEMBERSHIP_ROLES, SCALES, SPACE_KINDS
from netmap.reference import builtin_profiles, census_groups, load_framework
from netmap.workspace.config import toml_string
from netmap.workspace.names import slugify
from netmap.workspace.tables import COLUMNS, CONFIG_FILE, SHEET_NAMES

COLUMN_HELP = {
    "actors": {
        "id": "a short key, unique in this map: letters, digits, - _ . (e.g. leeds-ccg); empty = made from the name",
        "name": "the organisation's (or group's) name",
        "constituencies": "constituency keys from the list below, separated by ';' (first = main one)",
        "aliases": "other names or abbreviations, separated by ';'",
        "kind": "|".join(ACTOR_KINDS) + " (individuals are personal data: pseudonymise when sharing)",
        "communities": "Census 2021 group keys (list below) the organisation is led by or serves, ';'-separated",
        "led_by_community": "yes if led by and for the communities listed",
        "lived_experience_led": "yes if led by people with lived experience",
        "locality": "a locality key from netmap.toml",
        "scale": "|".join(SCALES),
        "source": "where this record comes from (a document, a meeting, a register)",
        "notes": "anything else, e.g. why a classification is uncertain",
    },
    "ties": {
        "from": "actor id (or exact name)",
        "to": "actor id (or exact name)",
        "type": "|".join(KNOWN_TIE_TYPES) + " (or your own word)",
        "directed": "yes/no (default depends on the type)",
        "weight": "strength of the tie, a positive number (default 1)",
        "trust": "1-4, optional PARTNER-style trust rating",
        "value": "1-4, optional PARTNER-style value rating",
        "since": "date: YYYY, YYYY-MM or YYYY-MM-DD (01/04/2020 is read as 1 April 2020)",
        "until": "date the tie ended, if it has",
        "reported_by": "actor ids that reported this tie, separated by ';'; both ends = confirmed",
        "source": "where this record comes from",
        "notes": "free text",
    },
    "spaces": {
        "id": "a short key (e.g. creative-spaces-leeds); empty = made from the name",
        "name": "the forum, board, partnership or event",
        "kind": "|".join(SPACE_KINDS),
        "locality": "a locality key from netmap.toml",
        "since": "date it started",
        "until": "date it ended",
        "source": "where this record comes from",
        "notes": "free text",
    },
    "memberships": {
        "actor": "actor id (or exact name)",
        "space": "space id (or exact name)",
        "role": "|".join(MEMBERSHIP_ROLES),
        "since": "date joined",
        "until": "date left",
        "source": "where this record comes from",
    },
}


def config_template(name: str, key: str, framework: str, xlsx: bool = False) -> str:
    profiles = ", ".join(sorted(builtin_profiles()))
    fill = ("Fill the Actors sheet of workspace.xlsx (one row per partner), then the\n# Ties and Memberships sheets,"
            if xlsx else "Fill actors.csv (one row per partner), then ties.csv and memberships.csv,")
    return f"""# netmap workspace settings. Lines starting with # are comments.
# {fill}
# and run:  netmap validate .   then   netmap gaps .

# A short key for this map (letters, digits, - and _): it names the map in a
# shared Neo4j database, so make it unique, e.g. "leeds-2025-05".
map = {toml_string(key)}

# The title used in reports.
name = {toml_string(name)}

# What a whole local system should hold: "whole-system" (default),
# "creative-spaces", "pledge", or the path to your own framework .toml file.
framework = {toml_string(framework)}

# The date this map describes (optional), e.g. a pledge progress round.
# snapshot = "2025-05-01"

# Actors whose own gaps (constituencies they have no tie to) to report.
# ego = ["leeds-ccg", "lypft"]

# The places this map covers. population = a Census 2021 profile: built in are
# {profiles};
# any local authority by its ONS code or name (e.g. "Bristol") once imported with
# netmap import census FILE; or this map's own [populations.KEY] (see docs/formats.md).
[[localities]]
key = "local"
name = "Our area"
# population = "leeds"
"""


def readme_text(framework_key: str, xlsx: bool = False) -> str:
    """What README.txt (and a workbook's "Read me" sheet) says: the files or sheets, their columns, the keys."""
    fw = load_framework(framework_key)
    lines = ["netmap workspace", "================", ""]
    if xlsx:
        lines += ["Edit workspace.xlsx in Excel or any spreadsheet: one sheet per table",
                  f"({', '.join(SHEET_NAMES.values())}); the 'Lists' sheet holds the keys to use.",
                  "Keep each sheet's first row (the column names) and the sheet names as they are."]
    else:
        lines += ["Edit the CSV files in Excel (save as 'CSV UTF-8') or any spreadsheet."]
    lines += ["One row per record; the first row holds the column names. Empty cells are fine.",
              "Several values in one cell are separated by ';' (e.g. community_group; faith_group).",
              "Dates: YYYY-MM-DD is best; 01/04/2020 is read as 1 April 2020 (day/month/year).",
              "Then run:  netmap validate <this folder>", ""]
    for table, columns in COLUMNS.items():
        title = f"{SHEET_NAMES[table]} sheet" if xlsx else f"{table}.csv"
        lines += [title, "-" * len(title)]
        lines += [f"  {c:<22} {COLUMN_HELP[table][c]}" for c in columns]
        lines.append("")
    lines += [f"Constituency keys (framework '{fw.key}': {fw.name})", "-" * 40]
    lines += [f"  {c.key:<22} {c.label}" for c in fw.constituencies]
    lines += ["", "Community keys (Census 2021 ethnic groups, ONS TS021)", "-" * 40]
    lines += [f"  {g.key:<26} {g.ons_name or g.name}" for g in census_groups().values()]
    return "\n".join(lines) + "\n"


def init_workspace(folder: str | Path, *, name: str = "", framework: str = "whole-system",
                   xlsx: bool = False, force: bool = False) -> list[Path]:
    """Write a new workspace template into ``folder``; returns the files written.

    Refuses to overwrite existing workspace files unless ``force``.
    """
    folder = Path(folder)
    load_framework(framework)  # fail early on an unknown framework
    if framework.endswith(".toml"):
        # the workspace may be used from anywhere: store where the framework file really is
        framework = str(Path(framework).resolve())
    key = slugify(folder.resolve().name)
    files = {CONFIG_FILE: config_template(name or folder.resolve().name, key, framework, xlsx),
             "README.txt": readme_text(framework, xlsx)}
    if not xlsx:
        for table, columns in COLUMNS.items():
            files[f"{table}.csv"] = ",".join(columns) + "\n"
    targets = [folder / n for n in files] + ([folder / "workspace.xlsx"] if xlsx else [])
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise WorkspaceError(f"{existing[0]} already exists: use --force to overwrite, or choose an empty folder")
    if xlsx:
        files[CONFIG_FILE] = files[CONFIG_FILE].replace('framework = ', 'data = "workspace.xlsx"\nframework = ', 1)
    write_files_atomically(folder, files)
    if xlsx:
        _write_template_workbook(folder / "workspace.xlsx", framework)
    return targets


def _write_template_workbook(path: Path, framework_key: str) -> None:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    fw = load_framework(framework_key)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, columns in COLUMNS.items():
        sheet = book.create_sheet(SHEET_NAMES[table])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, column in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(14, len(column) + 4)
        sheet.freeze_panes = "A2"
    lists = book.create_sheet("Lists")
    lists.append(["constituency", "label", "community", "Census 2021 name"])
    groups = list(census_groups().values())
    for i in range(max(len(fw.constituencies), len(groups))):
        c = fw.constituencies[i] if i < len(fw.constituencies) else None
        g = groups[i] if i < len(groups) else None
        lists.append([c.key if c else None, c.label if c else None, g.key if g else None,
                      (g.ons_name or g.name) if g else None])
    actors = book["Actors"]
    kinds = DataValidation(type="list", formula1='"' + ",".join(ACTOR_KINDS) + '"', allow_blank=True)
    actors.add_data_validation(kinds)
    kinds.add("E2:E5000")
    help_sheet = book.create_sheet("Read me", 0)
    for line in readme_text(framework_key, xlsx=True).splitlines():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomically(path, buffer.getvalue())  # only a regular file, and nothing half-written
