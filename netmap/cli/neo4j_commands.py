"""``netmap neo4j ...``: keep maps in a shared Neo4j 5 database.

Connection options default to the variables Neo4j's own tools use: ``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``. Every library error becomes a
one-line ``Error: ...`` and exit code 1; the password never appears in any output.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netmap.cli.progress import command_progress
from netmap.errors import NetmapError

if TYPE_CHECKING:
    from netmap.store import StoreSettings

def _connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the connection options; the command gets them as one ``settings`` argument."""

    @functools.wraps(func)
    def with_settings(*args: Any, uri: str, username: str | None, password: str | None, database: str | None,
                      retry_seconds: float | None, **kwargs: Any) -> Any:
        return func(*args, settings=_settings(uri, username, password, database, retry_seconds), **kwargs)

    options = [
        click.option("--uri", envvar="NEO4J_URI", default="bolt://localhost:7687", show_default=True,
                     help="Bolt URI of the server (env NEO4J_URI), e.g. neo4j+s://xxxx.databases.neo4j.io. "
                          "A user and password in it (bolt://user:password@host) are the login unless "
                          "--username/--password (or their variables) are given, which win."),
        click.option("--username", envvar="NEO4J_USERNAME", default=None,
                     help="User name (env NEO4J_USERNAME; default: the URI's user, else neo4j)."),
        click.option("--password", envvar="NEO4J_PASSWORD", default=None, show_default=False,
                     help="Password (env NEO4J_PASSWORD; prefer the variable to the option, "
                          "which other users of the machine can see)."),
        click.option("--database", envvar="NEO4J_DATABASE", default=None,
                     help="Database name (env NEO4J_DATABASE; default: the server's default database)."),
        click.option("--retry-seconds", type=click.FloatRange(min=0), default=None, metavar="S",
                     help="How long to keep retrying when the server goes away or is busy before giving up "
                          "(default: 5, so a lost server is reported within about 10 s)."),
    ]
    for option in reversed(options):
        with_settings = option(with_settings)
    return with_settings


def _settings(uri: str, username: str | None, password: str | None, database: str | None,
              retry_seconds: float | None = None) -> StoreSettings:
    """The options as settings: click has already read the NEO4J_* variables into them."""
    from netmap.store import StoreSettings

    return StoreSettings.from_env({}, uri=uri, username=username, password=password, database=database,
                                  retry_seconds=retry_seconds)


def debugging(password: str | None = None) -> bool:
    """Whether ``netmap --debug`` was given; if so the driver's warnings are shown on stderr, scrubbed
    of URI userinfo and of ``password`` (and ``NEO4J_PASSWORD``)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    if not (isinstance(obj, dict) and obj.get("debug")):
        return False
    from netmap.store.connection import show_driver_log

    show_driver_log(secrets=tuple(filter(None, [password, os.environ.get("NEO4J_PASSWORD")])))
    return True


def _one_line_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Library errors as one line (``--debug``: the traceback, left to the main group)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        settings = kwargs.get("settings")
        debug = debugging(getattr(settings, "password", None))
        try:
            return func(*args, **kwargs)
        except NetmapError as exc:
            if debug:
                raise
            from netmap.store.connection import ConnectionLost

            hint = "; --retry-seconds S waits longer" if isinstance(exc, ConnectionLost) else ""
            raise click.ClickException(" ".join(str(exc).split()) + hint) from None

    return wrapper


@click.group("neo4j")
def neo4j_group() -> None:
    """Keep maps in a shared Neo4j 5 database and ask it gap questions in Cypher.

    \b
    Connection: --uri/--username/--password/--database, or the variables
    NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.
    Example:
      export NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=...
      netmap neo4j push data/sites/leeds
      netmap neo4j maps
      netmap neo4j delete leeds
    """


@neo4j_group.command("push")
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Also delete the actors, ties, spaces and memberships "
                                            "the workspace no longer has.")
@click.option("--framework", "-f", "framework_name", default=None, metavar="NAME|FILE",
              help="Framework to check the map against and store with it: whole-system, creative-spaces, "
                   "pledge, or a .toml file (default: the one named in netmap.toml).")
@click.option("--names", is_flag=True,
              help="Store individuals by name (default: by pseudonym, as in shared outputs, unless netmap.toml "
                   'says names = "show"; see docs/privacy.md).')
@_connection_options
@_one_line_errors
def push_command(workspace: Path, prune: bool, framework_name: str | None, names: bool,
                 settings: StoreSettings) -> None:
    """Push the map of workspace folder WORKSPACE into Neo4j.

    The map is stored under its key (`map` in netmap.toml), beside any other maps. A push is
    one transaction: it either completes or leaves the previous version. Pushing the same
    workspace again changes nothing. Individuals (actors of kind individual) are stored by
    pseudonym, as shared outputs show them, unless --names; the workspace is not changed.

    \b
    Example:
      netmap neo4j push data/sites/leeds --prune
      netmap neo4j push data/sites/leeds --names
    """
    from netmap.workflows import push_workspace

    result, pseudonyms = push_workspace(workspace, framework=framework_name, prune=prune, settings=settings,
                                        progress=command_progress(), names=names)
    click.echo(result.summary())
    if pseudonyms:
        click.echo(pseudonym_line(pseudonyms))


def pseudonym_line(count: int) -> str:
    """What ``neo4j push`` says when it stored individuals by pseudonym.

    >>> pseudonym_line(2)
    'stored 2 individuals by pseudonym ("Individual N"); push with --names to store their names'
    """
    who = "1 individual" if count == 1 else f"{count} individuals"
    return f'stored {who} by pseudonym ("Individual N"); push with --names to store their names'


@neo4j_group.command("pull")
@click.argument("map_key", metavar="MAP")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the workspace to (created; existing files are replaced).")
@_connection_options
@_one_line_errors
def pull_command(map_key: str, out: Path, settings: StoreSettings) -> None:
    """Pull map MAP from Neo4j into a workspace folder.

    \b
    Example:
      netmap neo4j pull leeds --out leeds-from-neo4j
    """
    from netmap.render.words import plural
    from netmap.workflows import pull_workspace

    nmap = pull_workspace(map_key, out, settings)
    counts = [plural(len(nmap.actors), "actor"), plural(len(nmap.ties), "tie row"),
              plural(len(nmap.spaces), "space"), plural(len(nmap.memberships), "membership")]
    click.echo(f"wrote map '{nmap.key}' ({', '.join(counts)}) to {out}")


@neo4j_group.command("delete")
@click.argument("map_key", metavar="MAP")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@_connection_options
@_one_line_errors
def delete_command(map_key: str, yes: bool, settings: StoreSettings) -> None:
    """Delete map MAP (its actors, ties, spaces, memberships, localities) from Neo4j.

    Asks first, naming the map and its size; other maps, frameworks and
    population profiles stay. Pull the map first to keep a copy.

    \b
    Example:
      netmap neo4j delete leeds-2023
      netmap neo4j delete leeds-2023 --yes
    """
    from netmap.workflows import delete_map

    def confirm(counts: dict[str, int]) -> bool:
        return yes or click.confirm(f"Delete map '{map_key}' ({_size(counts)}) from Neo4j at {settings.safe_uri}?",
                                    default=False, err=True)

    counts = delete_map(map_key, settings, confirm)
    if counts is None:
        click.echo(f"map '{map_key}' kept")
    else:
        click.echo(f"deleted map '{map_key}' ({_size(counts)})")


def _size(counts: dict[str, int]) -> str:
    from netmap.render.words import plural

    words = (("actors", "actor"), ("ties", "tie"), ("spaces", "space"), ("memberships", "membership"))
    return ", ".join(plural(counts.get(key, 0), word) for key, word in words)


@neo4j_group.command("maps")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_connection_options
@_one_line_errors
def maps_command(as_json: bool, settings: StoreSettings) -> None:
    """List the maps in the database.

    \b
    Example:
      netmap neo4j maps --json
    """
    from netmap.workflows import list_maps

    rows = list_maps(settings)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo("no maps in the database (add one with `netmap neo4j push DIR`)")
        return
    _print_table(rows, ["key", "name", "actors", "ties", "snapshot", "framework"])


def _parse_params(items: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        if ":=" in item and "=" not in item.split(":=", 1)[0]:
            name, raw = item.split(":=", 1)
            try:
                value: Any = json.loads(raw)
            except json.JSONDecodeError:
                raise click.BadParameter(f"{item!r}: the value after := must be JSON", param_hint="--param") from None
        elif "=" in item:
            name, value = item.split("=", 1)
        else:
            raise click.BadParameter(f"{item!r}: write NAME=VALUE (text) or NAME:=JSON", param_hint="--param")
        name = name.strip().lstrip("$")
        if not name.isidentifier():
            raise click.BadParameter(f"{item!r}: bad parameter name", param_hint="--param")
        params[name] = value
    return params


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _print_table(rows: list[dict[str, Any]], columns: list[str] | None = None) -> None:
    columns = columns or list(dict.fromkeys(k for row in rows for k in row))
    cells = [[_cell(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    widths = [min(w, 60) for w in widths]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in cells:
        click.echo("  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


@neo4j_group.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter: NAME=text, or NAME:=JSON for numbers, lists and null. Repeatable.")
@click.option("--json", "fmt", flag_value="json", help="Print the rows as JSON.")
@click.option("--csv", "fmt", flag_value="csv", help="Print the rows as CSV.")
@click.option("--list", "list_only", is_flag=True, help="List the questions you can ask (the named queries "
                                                         "meant for people), with their parameters.")
@_connection_options
@_one_line_errors
def query_command(name: str | None, params: tuple[str, ...], fmt: str | None, list_only: bool,
                  settings: StoreSettings) -> None:
    """Run the read-only named query NAME (a file cypher/NAME.cypher).

    Gap questions: find_absent_constituencies, find_missing_links, find_ego_gaps,
    find_community_coverage, find_cut_off_dependencies, find_statutory_without_community_ties.

    \b
    Examples:
      netmap neo4j query --list
      netmap neo4j query find_absent_constituencies -p map=leeds -p framework=whole-system
      netmap neo4j query find_ego_gaps -p map=leeds -p framework=whole-system -p ego=lypft --csv
    """
    from netmap.store.queries import OPTIONAL_PARAMETERS
    from netmap.workflows import questions, run_query

    if list_only or not name:
        for query, wanted in questions().items():
            wanted = sorted(wanted, key=lambda p: (p in OPTIONAL_PARAMETERS, p != "map", p != "framework"))
            shown = ", ".join(f"${p}" + (" (optional)" if p in OPTIONAL_PARAMETERS else "") for p in wanted)
            click.echo(f"{query}  ({shown or 'no parameters'})")
        if not name:
            return
    rows = run_query(name, _parse_params(params), settings)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    elif fmt == "csv":
        columns = list(dict.fromkeys(k for row in rows for k in row))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        click.echo(buffer.getvalue(), nl=False)
    elif rows:
        _print_table(rows)
    else:
        click.echo("(no rows)")
