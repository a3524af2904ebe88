"""``netmap import charities`` and ``netmap candidates``: the Charity Commission register as actors; who is missing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from netmap.cli.progress import command_progress
from netmap.registers.entries import REGISTERS

#: Skipped rows listed one per line before "... and N more".
SHOWN_PROBLEMS = 50

files_argument = click.argument("files", nargs=-1, required=True,
                                type=click.Path(exists=True, path_type=Path), metavar="FILE...")
mapping_option = click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                              default=None, metavar="FILE",
                              help="Your own copy of data/registers/charities.toml (the rules from classification "
                                   "codes to constituencies and communities).")


def _report(summary) -> None:  # a CharitySummary, imported only when the command runs
    """The summary line on stdout; each skipped row (file, line, reason) on stderr."""
    for problem in summary.problems[:SHOWN_PROBLEMS]:
        click.echo(f"skipped: {problem}", err=True)
    if summary.malformed > SHOWN_PROBLEMS:
        click.echo(f"skipped: ... and {summary.malformed - SHOWN_PROBLEMS:,} more malformed rows", err=True)
    click.echo(summary.line())


@click.command("charities")
@files_argument
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="WORKSPACE",
              help="New workspace folder to write the charities to.")
@click.option("--locality", "localities", multiple=True, metavar="NAME",
              help="Only charities working in this local authority (repeatable), e.g. --locality Leeds; "
                   "each becomes a locality of the workspace.")
@mapping_option
def charities(files: tuple[Path, ...], out: Path, localities: tuple[str, ...], mapping: Path | None) -> None:
    """Registered charities from the Charity Commission register extract, as a new workspace.

    FILE... are the tab-delimited text files of the register's full download
    (https://register-of-charities.charitycommission.gov.uk/register/full-register-download):
    publicextract.charity.txt, with publicextract.charity_classification.txt
    and publicextract.charity_area_of_operation.txt, or the folder holding
    them. Registered main charities become actors, with constituencies and
    communities from their classification codes (data/registers/charities.toml)
    and their charity number, latest income and registration date as columns.
    Removed charities, linked subsidiaries and malformed rows are skipped and
    counted; each malformed row is named (file, line, reason).

    \b
    Example:
        netmap import charities register/ --out leeds-charities --locality Leeds
    """
    from netmap.registers.candidates import import_charities

    done = import_charities(files, out, localities, mapping, progress=command_progress())
    _report(done.summary)
    where = f" working in {', '.join(localities)}" if localities else ""
    click.echo(f"Wrote {done.actors:,} {'charity' if done.actors == 1 else 'charities'}{where} to {out}/ "
               f"as actors. Check it with: netmap validate {out}")


@click.command("candidates")
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@files_argument
@click.option("--register", type=click.Choice(REGISTERS), required=True,
              help="The register FILE... come from (charities: the Charity Commission register extract).")
@click.option("--locality", "localities", multiple=True, metavar="NAME",
              help="Only this locality of the map, by key or name (repeatable; default: all of them).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("candidates.csv"),
              show_default=True, help="The candidates file to write.")
@mapping_option
def candidates(workspace: Path, files: tuple[Path, ...], register: str, localities: tuple[str, ...], out: Path,
               mapping: Path | None) -> None:
    """Registered organisations working in the map's localities and not on the map, as invitation candidates.

    WORKSPACE is the map; its netmap.toml's localities are matched with the
    local authorities the register says each charity works in. A charity
    already on the map (same charity_number column, or the same name) is left
    out, and so is one with no constituency of the map's framework and no
    community. The file written is the candidates format of netmap invite
    (docs/deciding.md), ordered by constituency and community served; fill
    its works_with column with the partners each already works with.

    \b
    Example:
        netmap candidates my-map --register charities register/ --out candidates.csv
        netmap invite my-map --candidates candidates.csv
    """
    from netmap.errors import ReferenceDataError
    from netmap.reference import load_framework
    from netmap.registers.candidates import register_candidates, write_candidates
    from netmap.workflows import load_map

    if register != "charities":
        raise ReferenceDataError(f"--register {register}: candidates come from the Charity Commission register "
                                 "(--register charities) so far")
    progress = command_progress()
    nmap = load_map(workspace, progress=progress)
    framework = load_framework(nmap.framework_file or nmap.framework, workspace)
    chosen = register_candidates(nmap, files, localities=localities, known=framework.keys, mapping=mapping,
                                 progress=progress)
    write_candidates(out, chosen.candidates)
    _report(chosen.summary)
    counts = Counter(a.constituencies[0] if a.constituencies else "community only" for a in chosen.candidates)
    by = ", ".join(f"{key} {n}" for key, n in counts.most_common())
    click.echo(f"{chosen.in_localities:,} registered charities work in the map's localities: "
               f"{chosen.on_map:,} already on the map, {chosen.unclassified:,} with no constituency or community "
               f"the map's framework names; {len(chosen.candidates):,} candidates written to {out}"
               + (f" ({by})." if by else "."))
    if chosen.candidates:
        click.echo(f"Plan whom to invite: netmap invite {workspace} --candidates {out}")
    elif not chosen.in_localities:
        click.echo("No charity lists a local authority area matching the map's localities: name each locality "
                   "after its local authority in netmap.toml (name = \"Leeds\").")
