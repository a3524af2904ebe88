"""The options several commands share: the workspace, framework, Neo4j map, privacy, sampling and invitations."""

from __future__ import annotations

import functools
from pathlib import Path

import click

framework_option = click.option(
    "--framework", "-f", metavar="NAME|FILE",
    help="Constituency framework: whole-system, creative-spaces, pledge, or a .toml file "
         "(default: the one named in netmap.toml).")
workspace_argument = click.argument("workspace", type=click.Path(file_okay=False, path_type=Path),
                                    required=False)
neo4j_option = click.option("--neo4j", "neo4j_map", metavar="MAP",
                            help="Read the map from Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, "
                                 "NEO4J_DATABASE) instead of a workspace folder.")
names_option = click.option("--names", is_flag=True,
                            help="Show individuals by name (default: by pseudonym, unless netmap.toml says "
                                 'names = "show"; see docs/privacy.md).')


def _check_threshold(ctx: click.Context, param: click.Parameter, value: int | None) -> int:
    from netmap.privacy import check_threshold

    try:
        return check_threshold(value) if value is not None else 0
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


suppress_option = click.option("--suppress-small", "suppress", type=int, default=None, metavar="N",
                               callback=_check_threshold,
                               help="Show counts of 1 to N-1 in the report's coverage tables and the export's "
                                    "constituency and community coverage tables as \"fewer than N\" (CSV: <N, "
                                    "JSON: null), "
                                    "never the number (default: off; see docs/privacy.md).")


def _check_sample(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 2:
        raise click.BadParameter(
            f"{value} is too few: betweenness, closeness and path lengths are estimated from at least 2 sampled "
            "actors (use --exact to measure them exactly)", ctx, param)
    return value


def sampling_options(command):
    """``--sample N`` and ``--exact`` for the commands that analyse a map (passed on as ``sampling``).

    ``sampling`` holds the ``sample`` and ``exact`` keywords of :func:`netmap.workflows.run_map`.
    """

    @functools.wraps(command)
    def wrapper(*args, sample: int | None, exact: bool, **kwargs):
        if exact and sample is not None:
            raise click.UsageError("give --sample or --exact, not both")
        return command(*args, sampling={"sample": sample, "exact": exact}, **kwargs)

    wrapper = click.option(
        "--exact", is_flag=True,
        help="Measure betweenness, closeness and path lengths exactly however large the map "
             "(one search per actor: slow on maps of many thousands).")(wrapper)
    return click.option(
        "--sample", type=int, default=None, metavar="N", callback=_check_sample,
        help="Estimate betweenness, closeness and path lengths from N sampled actors, N at least 2 "
             "(default: exact up to 2,000 actors, 500 sampled above).")(wrapper)


def _check_kinds(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from netmap.gaps import KINDS  # here, not at the top: the analysis stack loads only when a command runs

    for kind in value:
        if kind not in KINDS:
            raise click.BadParameter(f"'{kind}' is not a kind of finding (kinds: {', '.join(KINDS)})", ctx, param)
    return value


candidates_option = click.option(
    "--candidates", type=click.Path(path_type=Path), metavar="PATH",
    help="Organisations not yet on the map: a CSV file or workbook in the actors format (optional column "
         "works_with: the map's actors each works with), a Kumu export, or another workspace folder.")
k_option = click.option("--k", "k", type=int, default=3, show_default=True, metavar="N",
                        help="How many invitations to plan.")


#: Where ``at_option`` leaves the date for ``load`` (``click.Context.meta``).
AT_KEY = "netmap.at"


def at_option(command):
    """``--at DATE``: the map as it was on a date, from its ties' and memberships' since/until.

    The date goes into the command's context for :func:`netmap.cli._load`, so the
    commands that read a map take it without a parameter of their own.
    """

    @functools.wraps(command)
    def wrapper(*args, at: str | None, **kwargs):
        if at is not None:
            click.get_current_context().meta[AT_KEY] = at
        return command(*args, **kwargs)

    return click.option(
        "--at", metavar="DATE", default=None,
        help="The map as it was on DATE (YYYY, YYYY-MM or YYYY-MM-DD: the last day of that period), from the "
             "since/until dates of ties and memberships; undated rows hold at every date (docs/compare.md).")(wrapper)


def split_snapshot(text: str) -> dict[str, str | None]:
    """A snapshot named on the command line: ``FOLDER``, ``FOLDER@DATE``, ``FOLDER@REV`` or ``neo4j:MAP``.

    A part after the last ``@`` that reads as a date (YYYY, YYYY-MM, YYYY-MM-DD) is a date,
    anything else a git revision; a folder whose own name holds ``@`` is taken whole when it exists.

    >>> split_snapshot("data/sites/pledge@2020-08")
    {'source': 'data/sites/pledge', 'at': '2020-08', 'commit': None, 'neo4j': None}
    >>> split_snapshot("maps/leeds@HEAD~1")["commit"], split_snapshot("neo4j:leeds")["neo4j"]
    ('HEAD~1', 'leeds')
    """
    import re

    spec: dict[str, str | None] = {"source": text, "at": None, "commit": None, "neo4j": None}
    if text.startswith("neo4j:"):
        return {**spec, "source": None, "neo4j": text[len("neo4j:"):]}
    if "@" not in text or Path(text).exists():
        return spec
    source, _, when = text.rpartition("@")
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", when):
        return {**spec, "source": source, "at": when}
    return {**spec, "source": source, "commit": when}
