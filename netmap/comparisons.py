"""Comparisons as whole jobs: two snapshots of a map loaded, analysed and compared; several sites side by side.

A :class:`Snapshot` is a map at one moment, with the label people read it by:
a workspace folder or workbook (``leeds``), the same sliced at a date
(``2024-06``, :func:`netmap.snapshots.at`), a Neo4j map (``leeds (Neo4j)``)
or a workspace as a git commit holds it (``commit 3f2a1c9 (2024-05-01)``).
:func:`compare_snapshots` analyses two of them as every shared output does
(individuals by pseudonym unless names are asked for, by one rule for both) and compares them
(:func:`netmap.decisions.compare.compare`); :func:`compare_site_folders` sets
several sites side by side (:func:`netmap.decisions.sites.compare_sites`).
What is written goes through :mod:`netmap.fileio`'s atomic writers. No click here.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netmap.errors import OutputError, SnapshotError, WorkspaceError
from netmap.fileio import write_text_atomically
from netmap.model import NetworkMap
from netmap.progress import SILENT, Progress, watched
from netmap.workflows import for_sharing, load_map, run_map

if TYPE_CHECKING:
    from netmap.decisions.compare import Comparison
    from netmap.decisions.sites import SiteComparison
    from netmap.result import Result
    from netmap.store import StoreSettings

#: Seconds one git command may take before the snapshot is given up.
GIT_TIMEOUT = 120

#: What ``--out`` writes, by format.
FORMATS = ("text", "json", "html")


@dataclass
class Snapshot:
    """A map at one moment and the label people know it by.

    ``folder`` is the workspace folder it was read from (None for a workbook,
    a Neo4j map or a commit, whose files are gone once read);
    ``names_shown`` is true when the workspace's netmap.toml at that commit
    asks for individuals' names (``names = "show"``); ``warnings`` are what
    the comparison should say about how the snapshot was taken.
    """

    nmap: NetworkMap
    label: str
    folder: Path | None = None
    names_shown: bool = False
    warnings: tuple[str, ...] = ()


def load_snapshot(source: str | Path | None = None, *, at: str | None = None, commit: str | None = None,
                  neo4j: str | None = None, framework: str | Path | None = None, label: str | None = None,
                  settings: StoreSettings | None = None, progress: Progress = SILENT) -> Snapshot:
    """A snapshot: a workspace folder or workbook, a Neo4j map (``neo4j=KEY``) or a workspace at a git ``commit``.

    With ``at`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) the map is taken as at
    the last day of that period (:func:`netmap.snapshots.at`) and labelled by
    the date; otherwise by the folder name, ``KEY (Neo4j)`` or ``commit SHORT
    (DATE)``. ``label`` replaces the label. Errors are one-line
    :class:`~netmap.errors.NetmapError` s (a :class:`~netmap.errors.SnapshotError`
    for git: not a repository, not a commit, the folder missing at it, git missing).
    """
    if commit is not None:
        if source is None:
            raise SnapshotError("a snapshot at a commit needs the workspace folder whose history to read")
        snapshot = _at_commit(Path(source), commit, framework, progress)
    elif neo4j:
        snapshot = Snapshot(load_map(neo4j=neo4j, settings=settings, progress=progress), f"{neo4j} (Neo4j)")
    else:
        if source is None:
            raise WorkspaceError("give a workspace folder or workbook to read, or the key of a map in Neo4j")
        path = Path(source)
        nmap = load_map(path, framework=framework, progress=progress)
        snapshot = Snapshot(nmap, path.resolve().name or str(path), path if path.is_dir() else None)
    if at is not None:
        snapshot = sliced(snapshot, at)
    if label is not None:
        snapshot.label = label
    return snapshot


def undated_warning(nmap: NetworkMap, name: str) -> str:
    """What to say when a map is taken at a date but none of its rows carries one ("" when some do).

    >>> undated_warning(NetworkMap("leeds", "Leeds"), "leeds")
    'No row of leeds carries since/until dates, so every date gives the same map.'
    """
    from netmap.snapshots import dates_in

    if dates_in(nmap):
        return ""
    return f"No row of {name} carries since/until dates, so every date gives the same map."


def sliced(snapshot: Snapshot, when: str, label: str | None = None) -> Snapshot:
    """The snapshot as at ``when`` (:func:`netmap.snapshots.at`), labelled ``label`` (default: the date).

    On a map with no dates at all, the snapshot carries :func:`undated_warning` (named by its label before).
    """
    from netmap.snapshots import at

    warning = undated_warning(snapshot.nmap, snapshot.label)
    return dataclasses.replace(snapshot, nmap=at(snapshot.nmap, when), label=label or str(when).strip(),
                               warnings=(*snapshot.warnings, *filter(None, [warning])))


def check_date_order(first: str, second: str) -> None:
    """A :class:`~netmap.errors.SnapshotError` when a map would be compared from a later date to an earlier
    one (by the last day of each period, as :func:`netmap.snapshots.at` takes them).

    >>> check_date_order("2020-08", "2020")
    >>> check_date_order("2021", "2020")
    Traceback (most recent call last):
    ...
    netmap.errors.SnapshotError: the dates are in reverse order (2021 before 2020): give the earlier date first
    """
    from netmap.snapshots import parse_period

    if parse_period(first)[1] > parse_period(second)[1]:
        raise SnapshotError(f"the dates are in reverse order ({str(first).strip()} before {str(second).strip()}): "
                            "give the earlier date first")


def snapshot_pair(folders: Sequence[str | Path] = (), *, dates: Sequence[str] = (), commits: Sequence[str] = (),
                  maps: Sequence[str] = (), framework: str | Path | None = None,
                  settings: StoreSettings | None = None, progress: Progress = SILENT) -> tuple[Snapshot, Snapshot]:
    """The two snapshots of one of ``netmap compare``'s forms.

    Two folders (or two Neo4j ``maps``), as they are or both at one of ``dates``; one folder (or map)
    at two ``dates``; one folder at two ``commits``, or at one commit and as it is now. Other
    combinations are a :class:`~netmap.errors.SnapshotError`.
    """
    load = functools.partial(load_snapshot, framework=framework, settings=settings, progress=progress)
    sources: list[dict[str, Any]] = [{"source": f} for f in folders] + [{"neo4j": m} for m in maps]
    if commits and len(folders) == 1 and not maps and not dates and len(commits) <= 2:
        before = load(folders[0], commit=commits[0])
        return before, load(folders[0], commit=commits[1]) if len(commits) == 2 else load(folders[0])
    if len(sources) == 1 and len(dates) == 2 and not commits:
        check_date_order(dates[0], dates[1])
        whole = load(**sources[0])  # read once, taken at each date
        return sliced(whole, dates[0]), sliced(whole, dates[1])
    if len(sources) == 2 and len(dates) <= 1 and not commits:
        pair = [load(**source) for source in sources]
        if pair[0].label == pair[1].label and folders:  # two folders of one name: say which is which
            pair = [dataclasses.replace(s, label=str(f)) for s, f in zip(pair, folders, strict=False)]
        if dates:
            pair = [sliced(s, dates[0], f"{s.label} at {dates[0]}") for s in pair]
        return pair[0], pair[1]
    raise SnapshotError("give two snapshots: two folders, one folder with two dates, two commits or two Neo4j maps")


# --------------------------------------------------------------------------- a workspace at a git commit


def _git(args: list[str], where: Path) -> subprocess.CompletedProcess[bytes]:
    """``git -C where ARGS``: no shell, output as bytes (files are written as git holds them)."""
    try:
        return subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False,
                              timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise SnapshotError("git is not installed: a snapshot at a commit reads the workspace's git history "
                            "(install git, or compare two folders instead)") from None
    except subprocess.TimeoutExpired:
        raise SnapshotError(f"git took more than {GIT_TIMEOUT} s to answer in {where}") from None


def _first_line(done: subprocess.CompletedProcess[bytes]) -> str:
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else f"git exited with code {done.returncode}"


def _repository(folder: Path) -> tuple[Path, str]:
    """The top folder of the git repository holding ``folder``, and the folder's path in it ("" at the top).

    The folder need not exist any more in the working copy: its nearest existing parent is asked.
    """
    here = folder.resolve()
    existing = here
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    done = _git(["rev-parse", "--show-toplevel"], existing)
    if done.returncode != 0:
        if b"not a git repository" in done.stderr:
            raise SnapshotError(f"{folder} is not in a git repository, so it has no commits to compare")
        raise SnapshotError(f"git cannot read the repository holding {folder}: {_first_line(done)}")
    top = Path(done.stdout.decode("utf-8").strip()).resolve()
    inside = here.relative_to(top).as_posix()
    return top, "" if inside == "." else inside


def _commit(top: Path, folder: Path, rev: str) -> tuple[str, str, str]:
    """The full hash, short hash and commit date (YYYY-MM-DD) of ``rev`` in the repository at ``top``."""
    not_a_commit = SnapshotError(f"'{rev}' is not a commit of the repository holding {folder}")
    if not rev.strip() or rev.startswith("-"):  # never read as an option of git
        raise not_a_commit
    done = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if done.returncode != 0:
        raise not_a_commit
    sha = done.stdout.decode("ascii").strip()
    done = _git(["log", "-1", "--format=%h %cd", "--date=short", sha], top)
    if done.returncode != 0:
        raise SnapshotError(f"git cannot read commit '{rev}': {_first_line(done)}")
    short, date = done.stdout.decode("ascii").split()
    return sha, short, date


def _blobs(top: Path, sha: str, inside: str) -> list[str]:
    """The paths (from the repository's top) of the regular files under ``inside`` at commit ``sha``."""
    done = _git(["ls-tree", "-r", "-z", sha, "--", f"{inside}/" if inside else "."], top)
    if done.returncode != 0:
        raise SnapshotError(f"git cannot list the files of commit {sha[:7]}: {_first_line(done)}")
    paths = []
    for entry in filter(None, done.stdout.split(b"\0")):
        meta, _, path = entry.partition(b"\t")
        mode, kind, _ = meta.split(b" ", 2)
        if kind == b"blob" and mode in (b"100644", b"100755"):  # not links or submodules
            paths.append(path.decode("utf-8", "surrogateescape"))
    return paths


def _write_commit_files(top: Path, sha: str, inside: str, paths: list[str], out: Path) -> None:
    """``git show SHA:PATH`` of every path into ``out``, keeping their places under the workspace folder."""
    for path in paths:
        done = _git(["show", f"{sha}:{path}"], top)
        if done.returncode != 0:
            raise SnapshotError(f"git cannot read {path} at commit {sha[:7]}: {_first_line(done)}")
        target = out / (path[len(inside) + 1:] if inside else path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(done.stdout)


def _keep_framework(nmap: NetworkMap, folder: Path) -> NetworkMap:
    """The map with its framework file (when it is one read from ``folder``) copied to a folder that
    outlives ``folder``: the analysis reads it again after ``folder`` is removed."""
    file = nmap.framework_file
    if file is None or not Path(file).resolve().is_relative_to(folder.resolve()):
        return nmap
    kept = Path(tempfile.mkdtemp(prefix="netmap-framework-"))
    atexit.register(shutil.rmtree, kept, ignore_errors=True)
    shutil.copyfile(file, kept / Path(file).name)
    return dataclasses.replace(nmap, framework_file=kept / Path(file).name)


def _names_shown(folder: Path) -> bool:
    from netmap.workspace.config import read_config
    from netmap.workspace.problems import ValidationReport

    return bool(read_config(folder, ValidationReport(str(folder))).show_names)


def _at_commit(folder: Path, rev: str, framework: str | Path | None, progress: Progress) -> Snapshot:
    """The workspace ``folder`` as commit ``rev`` holds it, read from a temporary folder removed after."""
    top, inside = _repository(folder)
    sha, short, date = _commit(top, folder, rev)
    label = f"commit {short} ({date})"
    paths = _blobs(top, sha, inside)
    if not paths:
        raise SnapshotError(f"{folder} is not in commit {short} ({date}) of its repository")
    scratch = Path(tempfile.mkdtemp(prefix="netmap-commit-"))
    try:
        workspace = scratch / (Path(inside).name or top.name)
        workspace.mkdir()
        _write_commit_files(top, sha, inside, paths, workspace)
        try:
            nmap = load_map(workspace, framework=framework, progress=progress)
        except WorkspaceError as exc:  # name the workspace and commit, not the temporary folder
            raise WorkspaceError(str(exc).replace(str(workspace), f"{folder} at {label}"), exc.report) from None
        return Snapshot(_keep_framework(nmap, workspace), label, None, _names_shown(workspace))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------- comparing


def _asks_for_names(snapshot: Snapshot) -> bool:
    """Whether the snapshot's workspace asks for individuals' names (netmap.toml: ``names = "show"``)."""
    if snapshot.names_shown:
        return True
    folder = snapshot.folder
    return folder is not None and Path(folder).is_dir() and _names_shown(Path(folder))


def _individual_keys(nmap: NetworkMap) -> dict[str, tuple[str, int]]:
    """Each individual's key across snapshots: its canonical id (:func:`netmap.snapshots.canonical_id`),
    and which of the map's individuals of that canonical id it is (0 unless two ids differ only in case)."""
    from netmap.snapshots import canonical_id

    keys: dict[str, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for actor_id in sorted(a.id for a in nmap.actors if a.kind == "individual"):
        canon = canonical_id(actor_id)
        keys[actor_id] = (canon, seen.get(canon, 0))
        seen[canon] = seen.get(canon, 0) + 1
    return keys


def shared_numbering(maps: Sequence[NetworkMap]) -> list[dict[str, int]]:
    """One numbering of pseudonyms for several snapshots: per map, each individual's number by id.

    The individuals of all the maps are numbered once, in the order of their canonical ids, so an
    individual is "Individual N" in every snapshot, whoever joined or left between them and
    whatever the case of their id in each.

    >>> from netmap.model import Actor
    >>> one = NetworkMap("m", "M", actors=[Actor("Sam", "S", kind="individual"), Actor("bob", "B", kind="individual")])
    >>> two = NetworkMap("m", "M", actors=[Actor("sam", "S", kind="individual"), Actor("ann", "A", kind="individual")])
    >>> shared_numbering([one, two])
    [{'Sam': 3, 'bob': 2}, {'ann': 1, 'sam': 3}]
    """
    keys = [_individual_keys(nmap) for nmap in maps]
    order = {key: n for n, key in enumerate(sorted({k for each in keys for k in each.values()}), start=1)}
    return [{actor_id: order[key] for actor_id, key in each.items()} for each in keys]


def _shared_pair(before: Snapshot, after: Snapshot, framework: str | Path | None, names: bool,
                 suppress_small: int) -> tuple[NetworkMap, NetworkMap]:
    """Both maps as shared outputs show them (as :func:`netmap.workflows.for_sharing` does), by one rule.

    Names are shown when ``names`` is given or both snapshots' workspaces ask for them; otherwise every
    individual is shown by pseudonym, numbered once for both snapshots (:func:`shared_numbering`).
    """
    from netmap.privacy import check_threshold, pseudonymise
    from netmap.reference import load_framework
    from netmap.workflows import map_framework

    shown = names or (_asks_for_names(before) and _asks_for_names(after))
    numberings = shared_numbering([before.nmap, after.nmap])
    shared = []
    for snapshot, numbering in zip((before, after), numberings, strict=True):
        nmap = snapshot.nmap
        if numbering and not shown:
            fw = load_framework(framework or map_framework(nmap), base=snapshot.folder)
            nmap = pseudonymise(nmap, fw, numbering)
        if suppress_small:
            nmap = dataclasses.replace(nmap, suppress_small=check_threshold(suppress_small))
        shared.append(nmap)
    return shared[0], shared[1]


def _analysed(snapshot: Snapshot, nmap: NetworkMap, framework: str | Path | None, progress: Progress) -> Result:
    watched(progress, actors=len(nmap.actors)).stage(f"Analysing {snapshot.label}")
    return run_map(nmap, framework, folder=snapshot.folder, progress=progress)


def compare_snapshots(before: Snapshot, after: Snapshot, *, framework: str | Path | None = None,
                      force: bool = False, permutations: int = 999, seed: int = 42, names: bool = False,
                      suppress_small: int = 0, top: int = 10, progress: Progress = SILENT) -> Comparison:
    """``netmap compare``: analyse both snapshots as shared outputs show them and compare them.

    Individuals are shown by pseudonym (one numbering for both snapshots) unless ``names`` is given or
    both snapshots' workspaces ask for names in their netmap.toml. ``permutations`` (0: none) and ``seed`` drive the
    permutation tests; ``force`` compares maps of different localities or frameworks.
    """
    from netmap.decisions.compare import compare

    shared_before, shared_after = _shared_pair(before, after, framework, names, suppress_small)
    first = _analysed(before, shared_before, framework, progress)
    second = _analysed(after, shared_after, framework, progress)
    found = compare(first, second, before_label=before.label, after_label=after.label, force=force,
                    permutations=permutations, seed=seed, top=top)
    found.warnings += [w for w in dict.fromkeys((*before.warnings, *after.warnings)) if w not in found.warnings]
    return found


def site_labels(folders: Sequence[str | Path]) -> list[str]:
    """Each site's folder name; the path as given where two folders share a name.

    >>> site_labels(["data/sites/leeds", "data/sites/manchester"])
    ['leeds', 'manchester']
    >>> site_labels(["2023/leeds", "2024/leeds"])
    ['2023/leeds', '2024/leeds']
    """
    names = [Path(f).resolve().name or str(f) for f in folders]
    return [str(f) if names.count(name) > 1 else name for f, name in zip(folders, names, strict=True)]


def site_folders(folders: Sequence[str | Path]) -> list[Path]:
    """The workspace folders ``--sites`` names: each folder as given, or, for a folder holding workspaces
    rather than being one, the workspaces inside it (those with a netmap.toml), in name order.

    >>> [p.name for p in site_folders(["data/sites"])][:3]
    ['ariadne', 'birmingham', 'leeds']
    """
    found: list[Path] = []
    for folder in map(Path, folders):
        inside = sorted(p for p in folder.iterdir() if (p / "netmap.toml").is_file()) if folder.is_dir() else []
        is_workspace = (folder / "netmap.toml").is_file() or any(folder.glob("actors.*"))
        found += [folder] if is_workspace or not inside else inside
    return found


def compare_site_folders(folders: Sequence[str | Path], *, framework: str | Path | None = None,
                         names: bool = False, suppress_small: int = 0,
                         progress: Progress = SILENT) -> SiteComparison:
    """``netmap compare --sites``: read, share (:func:`netmap.workflows.for_sharing`) and analyse each site's
    workspace folder, and set them side by side, labelled by folder name."""
    from netmap.decisions.sites import compare_sites

    results = []
    for folder in map(Path, folders):
        nmap = for_sharing(load_map(folder, framework=framework, progress=progress), framework, folder=folder,
                           names=names, suppress_small=suppress_small)
        watched(progress, actors=len(nmap.actors)).stage(f"Analysing {folder}")
        results.append(run_map(nmap, framework, folder=folder, progress=progress))
    return compare_sites(results, labels=site_labels(folders))


# --------------------------------------------------------------------------- writing


def output_format(out: str | Path | None, as_json: bool) -> str:
    """What ``--out`` writes: ``json`` with ``--json``, ``html`` for a file ending in .html, else ``text``.

    >>> output_format("progress.html", False), output_format("c.json", True), output_format(None, False)
    ('html', 'json', 'text')
    """
    if as_json:
        return "json"
    return "html" if out is not None and Path(out).suffix.lower() in (".html", ".htm") else "text"


def to_json(document: dict[str, Any]) -> str:
    """The JSON text ``--json`` prints and writes."""
    return json.dumps(document, indent=2, ensure_ascii=False)


def comparison_output(c: Comparison, fmt: str = "text") -> str:
    """The comparison as ``netmap compare`` prints it: ``text`` (plain English) or ``json``."""
    if fmt == "json":
        return to_json(c.to_dict())
    from netmap.render.compare import comparison_text

    return comparison_text(c)


def sites_output(c: SiteComparison, fmt: str = "text") -> str:
    """The sites side by side as ``netmap compare --sites`` prints them: ``text`` or ``json``."""
    if fmt == "json":
        return to_json(c.to_dict())
    from netmap.render.sites import sites_text

    return sites_text(c)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise OutputError(f"cannot write a comparison as '{fmt}' (formats: {', '.join(FORMATS)})")


def write_comparison(c: Comparison, out: str | Path, fmt: str = "text") -> Path:
    """Write the comparison to ``out``: text, JSON, or (``html``) the progress report; returns the path."""
    _check_format(fmt)
    if fmt == "html":
        from netmap.render.progress_report import write_progress_report

        return Path(write_progress_report(c, Path(out)))
    return write_text_atomically(out, comparison_output(c, fmt) + "\n")


def write_site_comparison(c: SiteComparison, out: str | Path, fmt: str = "text") -> Path:
    """Write the sites side by side to ``out``: text, JSON, or (``html``) a page with the table and chart."""
    _check_format(fmt)
    if fmt == "html":
        from netmap.render.sites import write_sites

        return Path(write_sites(c, Path(out)))
    return write_text_atomically(out, sites_output(c, fmt) + "\n")


# --------------------------------------------------------------------------- the demo


#: The sample pairs ``netmap demo`` writes a progress report for: (page, folder under data/, before, after).
#: The pledge and ARIADNE maps are dated from their public sources; the borough's update is SYNTHETIC.
DEMO_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("pledge", "sites/pledge", "2020-08", "2021-12"),
    ("ariadne", "sites/ariadne", "2023", "2024"),
    ("synthetic-borough", "snapshots/synthetic-borough-update", "2024-12", "2025-06"),
)

#: The sites ``netmap demo`` sets side by side: the three Creative Spaces forums.
DEMO_SITES: tuple[str, ...] = ("birmingham", "leeds", "manchester")


def demo_comparisons(out: str | Path, *, names: bool = False,
                     on_page: Callable[[str, Path], None] | None = None) -> list[tuple[str, str, str]]:
    """Write the demo's progress reports (``out/progress/<pair>.html``) and the Creative Spaces sites
    side by side (``out/progress/creative-spaces-sites.html``).

    Returns ``(title, summary, href)`` per page, ``href`` relative to ``out``, for the demo's index;
    ``on_page(title, path)`` is called as each page is written.
    """
    from netmap.render.compare import headline
    from netmap.render.progress_report import write_progress_report
    from netmap.render.sites import write_sites
    from netmap.resources import data_dir, sites_dir

    out = Path(out)
    pages: list[tuple[str, str, str]] = []
    for page, folder, first, second in DEMO_PAIRS:
        before, after = snapshot_pair([data_dir() / folder], dates=[first, second])
        comparison = compare_snapshots(before, after, names=names)
        path = write_progress_report(comparison, out / "progress" / f"{page}.html")
        title = f"{comparison.after.title}: {first} to {second}"
        pages.append((title, headline(comparison), f"progress/{path.name}"))
        if on_page:
            on_page(title, path)
    sites = compare_site_folders([sites_dir() / site for site in DEMO_SITES], names=names)
    path = write_sites(sites, out / "progress" / "creative-spaces-sites.html")
    title = "Creative Spaces: Birmingham, Leeds and Manchester side by side"
    pages.append((title, "The three forums' networks, constituencies and community coverage, normalised for size.",
                  f"progress/{path.name}"))
    if on_page:
        on_page(title, path)
    return pages
