"""``netmap import ods`` and ``netmap match``: public registers into a workspace, and its actors matched to them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from netmap.cli.progress import command_progress
from netmap.registers.entries import REGISTERS

#: Problems shown one by one before the rest are counted.
SHOWN_PROBLEMS = 20


def _show_problems(problems: list) -> None:
    for problem in problems[:SHOWN_PROBLEMS]:
        click.echo(f"Skipped: {problem}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        click.echo(f"... and {len(problems) - SHOWN_PROBLEMS} more malformed lines", err=True)


@click.command("ods")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Workspace folder to write: created if missing; an existing CSV workspace is added to.")
@click.option("--kind", default=None, metavar="KIND",
              help="What a file of another name holds (trust, gp_practice, sub_icb, icb, pcn, ... as the mapping "
                   "file's [kinds]); files named as published (etr.csv, epraccur.csv ...) keep their own kind.")
@click.option("--include-closed", is_flag=True, help="Import closed organisations too (a close date set).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Your copy of the mapping file (default: data/registers/ods.toml; see docs/registers.md).")
def ods_command(files: tuple[Path, ...], out: Path, kind: str | None, include_closed: bool,
                mapping: Path | None) -> None:
    """Organisations of the NHS Organisation Data Service (ODS) CSV extracts, as actors.

    FILES are the CSV files of the ODS downloads, as published (no header
    row): etr.csv (NHS trusts), ets.csv (their sites), epraccur.csv (GP
    practices), eccg.csv (sub-ICB locations) ... netmap never downloads
    anything. Each organisation becomes an actor with its ODS code
    (ods_code), a readable name, constituencies from its kind (the mapping
    file) and its postcode district as locality; a GP practice's commissioner
    becomes a 'commissions' tie, a site's trust a 'member_of' tie, when both
    are in the workspace. Into an existing workspace, organisations whose ODS
    code is already there are not added again and every row there is kept.
    Closed organisations and malformed lines are skipped and counted.

    \b
    Example:
        netmap import ods etr.csv eccg.csv epraccur.csv --out leeds-nhs
        netmap import ods icb-list.csv --kind icb --out leeds-nhs
    """
    from netmap.registers.ods import import_ods

    done = import_ods(files, out, mapping=mapping, kind=kind, include_closed=include_closed,
                      progress=command_progress())
    _show_problems(done.tally.problems)
    click.echo(done.summary())


def _entries(register: str, files: tuple[Path, ...], tally: list) -> Iterator:
    """The register's entries, read lazily; problems collected in ``tally`` (as text)."""
    if register == "ods":
        from netmap.registers.ods import OdsTally, read_ods

        found = OdsTally()
        yield from read_ods(files, tally=found, progress=command_progress())
        tally.extend(found.problems)
        return
    try:
        from netmap.registers.charities import read_charities
    except ImportError:
        raise click.ClickException("this netmap cannot read the Charity Commission register") from None
    reader = read_charities(files, progress=command_progress())
    yield from reader
    tally.extend(getattr(getattr(reader, "summary", None), "problems", []) or [])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _match_summary(result, out: Path, workspace: Path, register: str) -> Iterable[str]:
    high = sum(p.confidence >= 0.9 for p in result.proposals)
    yield (f"{_plural(len(result.proposals), 'proposal')} written to {out} ({high} of confidence 0.9 or more); "
           f"{result.unmatched} unmatched")
    if result.ambiguous:
        yield (f"{_plural(len(result.ambiguous), 'actor')} share a name with register entries in several places "
               f"and give no place to choose between them (add a locality or postcode): "
               f"{', '.join(result.ambiguous[:5])}{' ...' if len(result.ambiguous) > 5 else ''}")
    if result.coded:
        yield f"{_plural(result.coded, 'actor')} already hold a {register} code and were left out"
    if result.proposals:
        yield (f"Type y in the accept column of the rows you agree with, then run: "
               f"netmap match {workspace} --apply {out}")


@click.command("match")
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--register", type=click.Choice(REGISTERS), default=None,
              help="The register FILES come from: ods (NHS ODS CSV extracts) or charities (the Charity "
                   "Commission register extract).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Proposals CSV to write (default: WORKSPACE-REGISTER-matches.csv in the current folder).")
@click.option("--apply", "apply_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Write the accepted rows (accept: y, yes or x) of a proposals file into the workspace.")
def match_command(workspace: Path, files: tuple[Path, ...], register: str | None, out: Path | None,
                  apply_file: Path | None) -> None:
    """Propose for each actor the register entry it is (ODS or Charity Commission), then write the accepted codes.

    Names are compared once normalised (case, punctuation, "&"), with
    aliases, abbreviations spelled out and stop words ("in", "the", "ltd",
    "cio" ...) dropped, in any word order ("Mind in Salford" is "SALFORD
    MIND"); the place (postcode district, locality) must agree where the
    same name is found in several places. Each proposal has a confidence
    (0-1) and its reason in words. Nothing in the workspace changes until
    --apply, which writes only the accepted actors' ods_code or
    charity_number; running it again is safe.

    \b
    Example:
        netmap match leeds-map --register ods etr.csv epraccur.csv --out matches.csv
        netmap match leeds-map --register charities charity-extract/ --out matches.csv
        netmap match leeds-map --apply matches.csv
    """
    from netmap.registers.match import MatchResult, apply_proposals, proposals_csv, propose, workspace_actors

    if apply_file is not None:
        if files or register:
            raise click.UsageError("--apply takes the proposals file alone: give no FILES or --register")
        done = apply_proposals(workspace, apply_file)
        what = ", ".join(done.columns) or "code"
        click.echo(f"Wrote {_plural(done.written, what)} into {done.path}"
                   f"{f' ({done.already} already there)' if done.already else ''}.")
        return
    if not register or not files:
        raise click.UsageError("give --register ods|charities and the register FILES (or --apply PROPOSALS)")
    from netmap.fileio import write_text_atomically

    _, actors = workspace_actors(workspace)
    problems: list = []
    result = MatchResult()
    propose(actors, _entries(register, files, problems), register, result)
    _show_problems(problems)
    out = out or Path(f"{workspace.resolve().name}-{register}-matches.csv")
    write_text_atomically(out, proposals_csv(result.proposals))
    for line in _match_summary(result, out, workspace, register):
        click.echo(line)
