"""The ``netmap`` command: a thin click skin over :mod:`netmap.workflows`.

Library errors become one-line ``Error: ...`` messages with exit code 1;
``--debug`` shows the traceback instead. A reader that goes away (``netmap ... | head -1``)
ends the command quietly. Only light modules are imported here: each command imports the
analysis stack (networkx, pandas ...) when it runs, so ``netmap --version`` and ``--help`` answer at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from netmap.cli.options import (
    AT_KEY,
    _check_kinds,
    at_option,
    candidates_option,
    framework_option,
    k_option,
    names_option,
    neo4j_option,
    sampling_options,
    suppress_option,
    workspace_argument,
)
from netmap.cli.progress import command_progress as _progress
from netmap.cli.progress import terminal_progress
from netmap.errors import NetmapError, WorkspaceError
from netmap.render.outputs import EXPORT_FORMATS
from netmap.render.style import SIZE_METRICS
from netmap.synthetic.borough import DEFAULT_ACTORS, DEFAULT_SEED, MIN_ACTORS

EXIT_INVALID = 1

#: Exit code when stdout's reader has gone: 128 + SIGPIPE, what a shell reports for other tools.
EXIT_BROKEN_PIPE = 141


def _stdout_closed() -> NoReturn:
    """Stop quietly: point stdout at /dev/null so that nothing more (not even the final flush) fails."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not a real file (click's test runner)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


def _terminated(signum: int, frame: object) -> NoReturn:
    """SIGTERM: end as Ctrl-C does, through every ``finally`` (temporary files removed, the layout process stopped)."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _signals_handled() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt again (``netmap/__init__.py`` ends the command quietly while it starts)
    and SIGTERM ends it cleanly; the previous handlers come back after (for click's test runner)."""
    try:
        previous = {sig: signal.signal(sig, handler) for sig, handler in
                    ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, _terminated))}
    except ValueError:  # not the main thread: signals are not ours to handle
        previous = {}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class NetmapGroup(click.Group):
    """A group that turns every error into one line (unless --debug) and ends quietly on a closed pipe."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        try:
            with _signals_handled():
                return super().main(*args, **kwargs)
        except SystemExit:
            try:
                sys.stdout.flush()  # a closed pipe shows here, not as a warning at exit
            except BrokenPipeError:
                _stdout_closed()
            raise

    def make_context(self, *args, **kwargs):  # type: ignore[override]
        try:  # --help and --version print while the arguments are read
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            _stdout_closed()

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            _stdout_closed()
        except NetmapError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            detail = str(exc).splitlines()[0] if str(exc) else ""
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {detail} (run with --debug for details)") from None


@click.group(cls=NetmapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="netmap")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress lines on large maps (they appear only when stderr is a terminal).")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """netmap: map the partners of a local health-and-care system, see who is
    central and who is on the edge, and find the constituencies and
    communities it is missing.

    \b
    Start with the sample maps:   netmap demo
    Make your own map:            netmap init my-map  (then fill the CSV files)
    Check it:                     netmap validate my-map
    See its gaps:                 netmap gaps my-map
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["progress"] = terminal_progress(quiet)


def _load(workspace: Path | None, neo4j_map: str | None, framework: str | None):
    from netmap.workflows import load_map

    if workspace is None and not neo4j_map:
        raise click.UsageError("give a WORKSPACE folder, or --neo4j MAP")
    if neo4j_map:
        from netmap.cli.neo4j_commands import debugging

        debugging()  # with --debug, the driver's warnings go to stderr (scrubbed)
    nmap = load_map(workspace, framework=framework, neo4j=neo4j_map, progress=_progress())
    at = click.get_current_context().meta.get(AT_KEY)
    if at is None:
        return nmap
    from netmap.comparisons import undated_warning
    from netmap.snapshots import at as map_at

    sliced = map_at(nmap, at)  # a bad date is refused before any warning
    warning = undated_warning(nmap, Path(workspace).resolve().name if workspace is not None else str(neo4j_map))
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    return sliced


@main.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="", help="Title of the map (default: the folder name).")
@click.option("--framework", "-f", metavar="NAME|FILE", default="whole-system",
              help="Constituency framework the map is measured against and README.txt lists: whole-system "
                   "(the default), creative-spaces, pledge, or a .toml file.")
@click.option("--xlsx", is_flag=True, help="Write one Excel workbook (workspace.xlsx) instead of CSV files.")
@click.option("--force", is_flag=True, help="Overwrite an existing workspace's files.")
def init(workspace: Path, name: str, framework: str | None, xlsx: bool, force: bool) -> None:
    """Create a workspace template to fill in Excel.

    \b
    Example:
        netmap init leeds-2025 --name "Creative Spaces Leeds"
        netmap init leeds-2025 --xlsx
    """
    from netmap.workspace.template import init_workspace

    written = init_workspace(workspace, name=name, framework=framework, xlsx=xlsx, force=force)
    click.echo(f"Created workspace {workspace}:")
    for path in written:
        click.echo(f"  {path.name}")
    what = "workspace.xlsx (its 'Read me' sheet" if xlsx else "the files (README.txt"
    click.echo(f"Fill in {what} explains each column), then run: netmap validate {workspace}")


@main.command()
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path))
@framework_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def validate(workspace: Path, framework: str | None, as_json: bool) -> None:
    """Check a workspace and report every problem at once.

    Each problem names the file, row and column. Exits with code 1 if there
    is any error (warnings alone exit 0). Notes say how a cell was read (a UK
    date as day/month/year, say) so you can check it; they never fail.

    \b
    Example:
        netmap validate data/sites/leeds
        netmap validate my-map --json
    """
    from netmap.workspace import validate_workspace

    report = validate_workspace(workspace, framework)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for line in report.text_lines():
            click.echo(line)
        click.echo(report.summary())
    if not report.ok:
        sys.exit(EXIT_INVALID)


@main.command()
@workspace_argument
@framework_option
@neo4j_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many actors to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole analysis as JSON.")
@sampling_options
@at_option
def analyse(workspace: Path | None, framework: str | None, neo4j_map: str | None, top: int, as_json: bool,
            sampling: dict) -> None:
    """Network measures: the whole network, each actor, each constituency.

    \b
    Example:
        netmap analyse data/sites/synthetic-borough --top 5
        netmap analyse --neo4j leeds --json
    """
    from netmap.render.documents import analysis_document
    from netmap.workflows import run_map

    nmap = _load(workspace, neo4j_map, framework)
    result = run_map(nmap, framework, folder=workspace, progress=_progress(), **sampling)
    if as_json:
        click.echo(json.dumps(analysis_document(result), indent=2, ensure_ascii=False))
        return
    from netmap.render.text import analysis_text

    click.echo(analysis_text(result, top=top))


@main.command()
@workspace_argument
@framework_option
@neo4j_option
@click.option("--ego", "egos", multiple=True, metavar="ACTOR",
              help="Report the gaps of this actor (repeatable; default: the map's ego list, else the actors the "
                   "framework expects to reach others: trusts, commissioners, councils).")
@click.option("--whole-map", is_flag=True, help="One analysis for the whole map instead of one per locality.")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", callback=_check_kinds,
              help="Only findings of this kind (repeatable; also in --json), e.g. fragility or ego_gap.")
@click.option("--limit", default=None, type=click.IntRange(min=0), metavar="N",
              help="Findings of one rule shown before the rest are summed up in one line (default 5; 0: show "
                   "all). --json always lists every finding.")
@click.option("--explain", is_flag=True, help="Also print each rule used: in words, its threshold and its source.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with a 'findings' list.")
@click.option("--view", type=click.Choice(["gaps", "commissioner"]), default="gaps", show_default=True,
              help="gaps: every finding, most severe first; commissioner: per locality, where funding and ties do "
                   "not reach the voluntary and community sector (docs/commissioner-json.md).")
@sampling_options
@at_option
def gaps(workspace: Path | None, framework: str | None, neo4j_map: str | None, egos: tuple[str, ...],
         whole_map: bool, kinds: tuple[str, ...], limit: int, explain: bool, as_json: bool, view: str,
         sampling: dict) -> None:
    """What the system is missing, against a framework, most severe first.

    Each finding names its rule (e.g. missing_link.no_tie); --explain says
    what each rule is, its threshold and where it comes from.

    \b
    Example:
        netmap gaps data/sites/leeds
        netmap gaps data/sites/leeds --explain
        netmap gaps data/sites/synthetic-borough --kind fragility --limit 10
        netmap gaps data/sites/leeds --json
        netmap gaps data/sites/pledge --framework whole-system --ego inspire-north
        netmap gaps data/sites/synthetic-borough --view commissioner
    """
    from netmap.render.documents import gaps_document
    from netmap.workflows import run_map

    if view == "commissioner" and (kinds or egos):
        raise click.UsageError(f"{'--kind' if kinds else '--ego'} applies to the gaps view only, not to "
                               "--view commissioner")
    nmap = _load(workspace, neo4j_map, framework)
    try:
        result = run_map(nmap, framework, folder=workspace, egos=list(egos), by_locality=not whole_map,
                         progress=_progress(), **sampling)
    except WorkspaceError as exc:
        raise click.ClickException(f"--ego: {exc}") from None
    if view == "commissioner":
        _commissioner_view(result, by_locality=not whole_map, limit=limit, explain=explain, as_json=as_json)
        return
    if as_json:
        if kinds:
            result = dataclasses.replace(result, findings=[f for f in result.findings if f.kind in kinds])
        click.echo(json.dumps(gaps_document(result), indent=2, ensure_ascii=False))
        return
    from netmap.render.text import gaps_text

    options = {"limit": limit} if limit is not None else {}
    click.echo(gaps_text(result, kinds=kinds or None, explain_rules=explain, **options))


def _commissioner_view(result, *, by_locality: bool, limit: int | None, explain: bool, as_json: bool) -> None:
    """``netmap gaps --view commissioner``: the view as text or JSON."""
    from netmap.render.commissioner import commissioner_document, commissioner_text, view_of

    view = view_of(result, by_locality=by_locality)
    if as_json:
        click.echo(json.dumps(commissioner_document(result, view), indent=2, ensure_ascii=False))
    else:
        click.echo(commissioner_text(result, view, explain=explain, **({"limit": limit} if limit is not None else {})))


@main.command()
@workspace_argument
@candidates_option
@k_option
@framework_option
@neo4j_option
@click.option("--must", multiple=True, metavar="CANDIDATE",
              help="Invite this candidate whatever it adds (id or name; repeatable; counts towards --k).")
@click.option("--exclude", multiple=True, metavar="CANDIDATE", help="Never invite this candidate (repeatable).")
@click.option("--max-per-constituency", type=int, default=None, metavar="N",
              help="At most N invitations holding any one constituency.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (docs/invite-json.md).")
def invite(workspace: Path | None, candidates: Path | None, k: int, framework: str | None, neo4j_map: str | None,
           must: tuple[str, ...], exclude: tuple[str, ...], max_per_constituency: int | None,
           as_json: bool) -> None:
    """Whom to invite next: the few candidates who together close the most gaps.

    Chooses invitations one at a time, each the candidate that closes the
    most of what is still open (absent and under-represented constituencies,
    communities with no organisation, missing expected links, cut-off parts),
    and says why, in points and in words.

    \b
    Example:
        netmap invite data/sites/leeds --candidates data/candidates/leeds.csv
        netmap invite data/sites/leeds --candidates data/candidates/leeds.csv --k 5 --max-per-constituency 1
        netmap invite data/sites/leeds --candidates data/candidates/leeds.csv --must nsun --json
    """
    from netmap.workflows import plan_invites, run_map

    if candidates is None:
        raise click.UsageError("give --candidates PATH: a file (or workspace folder) of organisations to invite")
    result = run_map(_load(workspace, neo4j_map, framework), framework, folder=workspace, progress=_progress())
    plan = plan_invites(result, candidates, k=k, must=must, exclude=exclude,
                        max_per_constituency=max_per_constituency, framework=framework)
    if as_json:
        from netmap.render.invite import invite_document

        click.echo(json.dumps(invite_document(plan, result, str(candidates)), indent=2, ensure_ascii=False))
        return
    from netmap.render.invite import invite_text

    click.echo(invite_text(plan, result))


@main.command("map")
@workspace_argument
@framework_option
@neo4j_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: <folder>-map.html, named after the workspace folder).")
@click.option("--size-by", default="betweenness", show_default=True,
              type=click.Choice(list(SIZE_METRICS)),
              help="Centrality that sets the size of each actor.")
@click.option("--full", is_flag=True, help="Draw every actor, even on a map of more than 3,000 actors "
              "(which otherwise opens as a summary: constituencies and the most central actors).")
@candidates_option
@k_option
@names_option
@sampling_options
@at_option
def map_command(workspace: Path | None, framework: str | None, neo4j_map: str | None, out: Path | None,
                size_by: str, full: bool, candidates: Path | None, k: int, names: bool, sampling: dict) -> None:
    """Write the interactive map: one HTML file that opens offline in a browser.

    Colour shows each actor's main constituency, size its centrality; red
    borders mark actors who hold the system together. Filter by
    constituency and locality; hover for details.
    With --candidates it draws the planner's picks apart, their would-be ties
    dashed (see netmap invite).

    \b
    Example:
        netmap map data/sites/manchester
        netmap map data/sites/synthetic-borough --size-by degree --out borough.html
        netmap map data/sites/leeds --candidates data/candidates/leeds.csv --k 3
    """
    from netmap.workflows import for_sharing, plan_invites, run_map_for_drawing, write_map_file

    nmap = for_sharing(_load(workspace, neo4j_map, framework), framework, folder=workspace, names=names)
    result, positions = run_map_for_drawing(nmap, framework, folder=workspace,
                                            progress=_progress(), full=full,
                                            **sampling)
    plan = plan_invites(result, candidates, k=k, framework=framework) if candidates is not None else None
    path = write_map_file(result, out, size_by=size_by, positions=positions, progress=_progress(), invite=plan,
                          full=full)
    click.echo(f"Map written to {path}")


@main.command()
@workspace_argument
@framework_option
@neo4j_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: <folder>-report.html, named after the workspace folder).")
@click.option("--compare", nargs=2, metavar="BEFORE AFTER", default=None,
              help="Write the progress report of two snapshots instead: folders, FOLDER@DATE (the map on a date), "
                   "FOLDER@REV (a git commit) or neo4j:MAP (see netmap compare).")
@click.option("--force", is_flag=True, help="With --compare: compare maps of different places or frameworks.")
@names_option
@suppress_option
@candidates_option
@k_option
@sampling_options
@at_option
def report(workspace: Path | None, framework: str | None, neo4j_map: str | None, out: Path | None,
           candidates: Path | None, k: int, names: bool, suppress: int, compare: tuple[str, str] | None,
           force: bool, sampling: dict) -> None:
    """Write the HTML report: who is in the room, what is missing, who holds it together.

    One self-contained file to read, print or email; it links the map if
    <folder>-map.html sits next to it.
    With --candidates it adds "Whom to invite next" (see netmap invite).

    \b
    Example:
        netmap report data/sites/leeds
        netmap report data/sites/leeds --out leeds-report.html
        netmap report data/sites/leeds --candidates data/candidates/leeds.csv --k 3
        netmap report data/sites/leeds --suppress-small 5
        netmap report --compare data/sites/pledge@2020-08 data/sites/pledge@2021-12
    """
    if compare:
        check_progress_report(compare, workspace, out, click.get_current_context().meta.get(AT_KEY))
        if workspace is not None or neo4j_map or candidates is not None:
            raise click.UsageError("--compare takes its two snapshots itself: give no WORKSPACE, --neo4j or "
                                   "--candidates with it")
        _progress_report(compare, framework, out, names=names, suppress=suppress, force=force)
        return
    from netmap.workflows import for_sharing, plan_invites, run_map, write_report_file

    nmap = for_sharing(_load(workspace, neo4j_map, framework), framework, folder=workspace, names=names,
                       suppress_small=suppress)
    result = run_map(nmap, framework, folder=workspace,
                     progress=_progress(), **sampling)
    plan = plan_invites(result, candidates, k=k, framework=framework) if candidates is not None else None
    click.echo(f"Report written to {write_report_file(result, out, progress=_progress(), invite=plan)}")


def _progress_report(compare: tuple[str, str], framework: str | None, out: Path | None, *, names: bool,
                     suppress: int, force: bool) -> None:
    """``netmap report --compare BEFORE AFTER``: the progress report of two snapshots."""
    from netmap.cli.options import split_snapshot
    from netmap.comparisons import compare_snapshots
    from netmap.render.progress_report import write_progress_report

    before, after = load_named([split_snapshot(text) for text in compare], framework)
    comparison = compare_snapshots(before, after, framework=framework, force=force, names=names,
                                   suppress_small=suppress, progress=_progress())
    if out is None:  # named after the later snapshot's folder (or Neo4j map), like the other reports
        out = Path(f"{Path(after.folder).name if after.folder else after.nmap.key}-progress.html")
    path = write_progress_report(comparison, out)
    click.echo(f"Progress report written to {path}")


@main.command()
@workspace_argument
@framework_option
@neo4j_option
@click.option("--format", "fmt", required=True, type=click.Choice(list(EXPORT_FORMATS)),
              help="graphml/gexf (Gephi, R, networkx), csv (a folder of tables), json (the whole analysis), "
                   "kumu (Kumu-style XLSX that netmap and Kumu import).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File (or folder for csv) to write (default: named after the workspace folder, e.g. leeds.graphml).")
@names_option
@suppress_option
@sampling_options
@at_option
def export(workspace: Path | None, framework: str | None, neo4j_map: str | None, fmt: str,
           out: Path | None, names: bool, suppress: int, sampling: dict) -> None:
    """Export the map and its analysis for other tools.

    \b
    Example:
        netmap export data/sites/manchester --format graphml
        netmap export data/sites/leeds --format kumu --out leeds.xlsx
        netmap export data/sites/leeds --format csv --out leeds-tables
        netmap export data/sites/leeds --format csv --suppress-small 5
    """
    from netmap.workflows import export_file, for_sharing, run_map

    nmap = for_sharing(_load(workspace, neo4j_map, framework), framework, folder=workspace, names=names,
                       suppress_small=suppress)
    result = run_map(nmap, framework, folder=workspace,
                     progress=_progress(), **sampling)
    click.echo(f"Exported {fmt} to {export_file(result, fmt, out, progress=_progress())}")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("netmap-demo"),
              show_default=True, help="Folder to write the results into.")
@names_option
def demo(out: Path, names: bool) -> None:
    """Run netmap on every sample map shipped with it.

    The samples come from the partnerships the source documents name
    (Creative Spaces Birmingham, Leeds, Manchester; the national pledge;
    EMHIP Wandsworth; ARIADNE) plus one synthetic borough. Per map it writes
    a report, an interactive map, JSON and CSV, and an index.html linking
    them all.

    \b
    Example:
        netmap demo
        netmap demo --out /tmp/netmap-demo
    """
    from netmap.comparisons import demo_comparisons
    from netmap.render.documents import site_summary
    from netmap.workflows import demo_outputs, write_demo_index

    def show(result) -> None:
        click.echo(site_summary(result))

    results, index = demo_outputs(out, on_site=show, names=names)
    changes = demo_comparisons(out, names=names, on_page=lambda title, path: click.echo(f"{title}: {path}"))
    index = write_demo_index(results, out, changes=changes)
    click.echo(f"\nResults for {len(results)} maps and {len(changes)} progress pages written to {out}/")
    click.echo(f"Open {index} in a browser to see the reports and maps.")


@main.command()
@click.option("--actors", "n_actors", type=int, default=DEFAULT_ACTORS, show_default=True, metavar="N",
              help=f"Actors in the borough (at least {MIN_ACTORS}).")
@click.option("--ties", "n_ties", type=int, default=None, metavar="M",
              help="Ties between them (default: a density of about 0.03, at most 8 ties per actor on average).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed: the same seed gives the same map.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Workspace folder to write (created if missing).")
@click.option("--big-forum", type=int, default=None, metavar="N",
              help="One alliance of N members instead of spaces of realistic size (a shape for benchmarks).")
def synth(n_actors: int, n_ties: int | None, seed: int, out: Path, big_forum: int | None) -> None:
    """Write a SYNTHETIC borough map as a workspace, for demos, training and benchmarks.

    Every actor, tie and space is fictional and labelled SYNTHETIC; the
    borough ("Fernbridge") has Birmingham's Census 2021 population profile and
    deliberate gaps (an absent constituency, an unfunded community, a carers'
    group hanging on one provider) for the analyses to find.

    \b
    Example:
        netmap synth --actors 1000 --seed 1 --out fernbridge-1000
        netmap synth --actors 100000 --ties 1000000 --out national
    """
    from netmap.workflows import write_synthetic_workspace

    counts = write_synthetic_workspace(out, n_actors, n_ties, seed, progress=_progress(), big_forum=big_forum)
    click.echo(f"wrote {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


from netmap.cli.neo4j_commands import neo4j_group  # noqa: E402 - the group needs main's error handling

main.add_command(neo4j_group)

from netmap.cli.import_commands import import_group, match_command  # noqa: E402 - they need main's error handling

list(map(main.add_command, (import_group, match_command)))

from netmap.cli.charity_commands import candidates  # noqa: E402 - the command needs main's error handling

main.add_command(candidates)

from netmap.cli.compare_commands import (  # noqa: E402 - the command needs main's error handling
    check_progress_report,
    compare_command,
    load_named,
)

main.add_command(compare_command)
