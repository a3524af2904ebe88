"""``netmap import ...``: bring published tables into netmap (today: ONS Census 2021 population profiles)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("import")
def import_group() -> None:
    """Import published data: population profiles from the ONS Census 2021.

    \b
    Example:
        netmap import census census2021-ts021-ltla.csv
    """


@import_group.command("census")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV file of profiles to add them to (default: netmap's data folder, "
                   "$NETMAP_DATA_HOME or $XDG_DATA_HOME/netmap or ~/.local/share/netmap, where every "
                   "command finds them).")
def census(file: Path, out: Path | None) -> None:
    """Population profiles for every local authority in an ONS Census 2021 TS021 file.

    FILE is the local-authority CSV of the ONS bulk download of table TS021
    (Ethnic group): census2021-ts021-ltla.csv in census2021-ts021.zip. Each
    area's five high-level ethnic groups become shares of all its usual
    residents; a locality in netmap.toml then names the area by its ONS code
    or its name (population = "E06000023" or population = "Bristol").
    Profiles already imported for other areas are kept.

    \b
    Example:
        netmap import census census2021-ts021-ltla.csv
        netmap import census census2021-ts021-ltla.csv --out my-map/populations.csv
    """
    from netmap.registers import import_census

    done = import_census(file, out)
    first = done.profiles[0]
    click.echo(f"Read {len(done.profiles)} {'area' if len(done.profiles) == 1 else 'areas'} from {file}; "
               f"profiles written to {done.path} ({done.total} in all). Use one in netmap.toml with, "
               f"e.g., population = \"{first.geography_code}\" ({first.name}).")


from netmap.cli.register_commands import match_command, ods_command  # noqa: E402,F401 - beside netmap match

import_group.add_command(ods_command)

from netmap.cli.charity_commands import charities  # noqa: E402 - beside netmap candidates

import_group.add_command(charities)
