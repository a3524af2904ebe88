"""``netmap compare``: what changed between two snapshots of a map, or several sites side by side."""

from __future__ import annotations

from pathlib import Path

import click

from netmap.cli.options import framework_option, names_option
from netmap.cli.progress import command_progress

#: The one line for every count of snapshots that is not two.
GIVE_TWO = ("give two snapshots: two folders, one folder with two --at dates, two --at-commit revisions "
            "or two --neo4j maps")


def _given(ctx: click.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (not left at its default)."""
    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


def _check_sites(ctx: click.Context, folders: tuple[Path, ...], dates, commits, maps) -> None:
    if dates or commits or maps:
        raise click.UsageError("--sites compares workspace folders as they are: give no --at, --at-commit or --neo4j")
    if any(_given(ctx, name) for name in ("force", "permutations", "seed")):
        raise click.UsageError("--sites sets sites side by side without tests of change: give no --force, "
                               "--permutations or --seed")
    if len(folders) < 2:
        raise click.UsageError("give two or more site folders after --sites")


def _check_snapshots(folders: tuple[Path, ...], dates: tuple[str, ...], commits: tuple[str, ...],
                     maps: tuple[str, ...]) -> None:
    """A UsageError unless the arguments name exactly two snapshots in one of the forms of the help."""
    if folders and maps:
        raise click.UsageError("give workspace folders or --neo4j maps, not both")
    if commits:
        if len(folders) != 1:
            raise click.UsageError("--at-commit reads the git history of one WORKSPACE folder: give exactly one")
        if dates:
            raise click.UsageError("give --at dates or --at-commit revisions, not both")
        if len(commits) > 2:
            raise click.UsageError(GIVE_TWO)
        return
    bases = len(folders or maps)
    if bases > 2 and folders:
        raise click.UsageError("compare takes two folders; to set three or more sites side by side, use --sites")
    if bases == 2 and len(dates) > 1:
        raise click.UsageError("two folders or maps take at most one --at date (both are taken at it)")
    if bases not in (1, 2) or (bases == 1 and len(dates) != 2):
        raise click.UsageError(GIVE_TWO)


@click.command("compare")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path), metavar="[BEFORE [AFTER] | --sites DIR...]")
@click.option("--at", "dates", multiple=True, metavar="DATE",
              help="Take the map as at this date: YYYY, YYYY-MM or YYYY-MM-DD, the last day of the period "
                   "(ties and memberships by their since/until). Twice with one map: the two dates to compare; "
                   "once with two: both at that date.")
@click.option("--at-commit", "commits", multiple=True, metavar="REV",
              help="Take the WORKSPACE as this git commit holds it (a hash, tag or branch; repeatable). Once: "
                   "compared with the folder as it is now.")
@click.option("--neo4j", "maps", multiple=True, metavar="MAP",
              help="A map in Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE); twice to compare "
                   "two maps.")
@click.option("--sites", is_flag=True,
              help="Set the site folders side by side: shares of each constituency, densities, coverage of each "
                   "site's population.")
@click.option("--json", "as_json", is_flag=True, help="Print (or write) the comparison as JSON (docs/compare.md).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Write to FILE instead of printing: the text, the JSON with --json, or an HTML page when FILE "
                   "ends in .html (the progress report; with --sites the table and chart).")
@click.option("--force", is_flag=True, help="Compare maps of different localities or frameworks all the same.")
@click.option("--permutations", type=click.IntRange(min=0), default=999, show_default=True, metavar="N",
              help="Permutations of each test of change (E-I index, assortativity, density); 0: no tests.")
@click.option("--seed", type=int, default=42, show_default=True,
              help="Random seed of the permutation tests: the same seed gives the same p-values.")
@framework_option
@names_option
@click.pass_context
def compare_command(ctx: click.Context, folders: tuple[Path, ...], dates: tuple[str, ...], commits: tuple[str, ...],
                    maps: tuple[str, ...], sites: bool, as_json: bool, out: Path | None, force: bool,
                    permutations: int, seed: int, framework: str | None, names: bool) -> None:
    """What changed between two snapshots of a map, or several sites side by side.

    Says who joined and left, which ties formed and ended, how the whole
    network and each constituency's share and voice moved, who rose and fell,
    and which gaps closed and opened, with permutation tests of the changes.
    A snapshot is a workspace folder, a workspace at a date (--at), at a git
    commit (--at-commit) or a map in Neo4j (--neo4j).

    \b
    Example:
        netmap compare leeds-2024 leeds-2025
        netmap compare data/sites/pledge --at 2020-08 --at 2021-12
        netmap compare data/sites/pledge@2020-08 data/sites/pledge@2021-12
        netmap compare leeds-2024 leeds-2025 --at 2024-06
        netmap compare data/sites/leeds --at-commit v1 --at-commit HEAD
        netmap compare data/sites/leeds --at-commit v1
        netmap compare --neo4j leeds-2024 --neo4j leeds-2025 --json
        netmap compare data/sites/pledge --at 2020-08 --at 2021-12 --out update.html
        netmap compare --sites data/sites/birmingham data/sites/leeds data/sites/manchester
        netmap compare --sites data/sites/birmingham data/sites/leeds --out sites.html
        netmap compare --sites all-sites/      (every workspace in the folder)
    """
    from netmap import comparisons

    fmt = comparisons.output_format(out, as_json)
    if as_json and out is not None and out.suffix.lower() in (".html", ".htm"):
        raise click.UsageError("--json writes JSON: give --out a .json file, or leave out --json for the HTML page")
    if sites:
        folders = tuple(comparisons.site_folders(folders))  # a folder of workspaces stands for those inside it
        _check_sites(ctx, folders, dates, commits, maps)
        found = comparisons.compare_site_folders(folders, framework=framework, names=names,
                                                 progress=command_progress())
        if out is None:
            click.echo(comparisons.sites_output(found, fmt))
        else:
            click.echo(f"Site comparison written to {comparisons.write_site_comparison(found, out, fmt)}")
        return
    named = _named_snapshots(folders, dates, commits, maps, framework)
    if named is not None:
        before, after = named
    else:
        _check_snapshots(folders, dates, commits, maps)
        before, after = _snapshot_pair(folders, dates, commits, maps, framework)
    found = comparisons.compare_snapshots(before, after, framework=framework, force=force, permutations=permutations,
                                          seed=seed, names=names, progress=command_progress())
    if out is not None or fmt != "text":  # the text printed carries its warnings at the top
        for warning in found.warnings:
            click.echo(f"Warning: {warning}", err=True)
    if out is None:
        click.echo(comparisons.comparison_output(found, fmt))
    else:
        click.echo(f"Comparison written to {comparisons.write_comparison(found, out, fmt)}")


def _named_snapshots(folders: tuple[Path, ...], dates: tuple[str, ...], commits: tuple[str, ...],
                     maps: tuple[str, ...], framework: str | None):
    """Two snapshots named in full (``FOLDER@DATE``, ``FOLDER@REV``, ``neo4j:MAP``), or None for the other forms."""
    from netmap.cli.options import split_snapshot

    specs = [split_snapshot(str(f)) for f in folders]
    named_in_full = any(s["at"] or s["commit"] or s["neo4j"] for s in specs)
    if len(specs) != 2 or dates or commits or maps or not named_in_full:
        return None
    return load_named(specs, framework)


def load_named(specs: list[dict[str, str | None]], framework: str | None):
    """The two snapshots named by ``specs`` (:func:`netmap.cli.options.split_snapshot`).

    Two dates of one map in reverse order are refused before either is read.
    """
    from netmap import comparisons

    first, second = specs
    if first["at"] and second["at"] and _same_map(first, second):
        comparisons.check_date_order(first["at"], second["at"])
    return tuple(comparisons.load_snapshot(**spec, framework=framework, progress=command_progress())
                 for spec in specs)


def _same_map(first: dict[str, str | None], second: dict[str, str | None]) -> bool:
    """Whether two snapshot specs read one map: one folder (however written) or one Neo4j map."""
    if first["neo4j"] or second["neo4j"]:
        return first["neo4j"] == second["neo4j"]
    return first["source"] is not None and second["source"] is not None and (
        Path(first["source"]).resolve() == Path(second["source"]).resolve())


def _snapshot_pair(folders: tuple[Path, ...], dates: tuple[str, ...], commits: tuple[str, ...],
                   maps: tuple[str, ...], framework: str | None):
    """The two snapshots of the forms with options (--at, --at-commit, --neo4j)."""
    from netmap import comparisons

    if maps:
        from netmap.cli.neo4j_commands import debugging

        debugging()  # with --debug, the driver's warnings go to stderr (scrubbed)
    return comparisons.snapshot_pair(folders, dates=dates, commits=commits, maps=maps, framework=framework,
                                     progress=command_progress())


def check_progress_report(compare: tuple[str, str], workspace: Path | None, out: Path | None,
                          at: str | None) -> None:
    """``report --compare`` takes no --at (``--compare A --at D`` reads "--at" as the second snapshot and D as
    the WORKSPACE) and writes only HTML."""
    from netmap.cli.options import split_snapshot

    swallowed = next((text for text in compare if text == "--at" or text.startswith("--at=")), None)
    if at is not None or swallowed is not None:
        when = at or (swallowed.partition("=")[2] if swallowed and "=" in swallowed else None) or (
            str(workspace) if workspace is not None else "DATE")
        source = split_snapshot(compare[0])["source"] if compare[0] != swallowed else None
        raise click.UsageError(f"--compare takes FOLDER@DATE snapshots: write {source or 'FOLDER'}@{when} "
                               "rather than --at")
    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        raise click.UsageError(f"--compare writes an HTML page: give --out a file ending in .html, not {out.name}")
