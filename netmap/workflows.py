"""Whole jobs built from the library: what the CLI commands run.

Each workflow takes paths and options, does the work with the library
modules, and returns plain results the CLI prints. No click here.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netmap.analysis import analyse
from netmap.errors import WorkspaceError
from netmap.fileio import write_files_atomically
from netmap.gaps import find_gaps
from netmap.model import Framework, NetworkMap
from netmap.progress import SILENT, Progress, watched
from netmap.reference import load_framework
from netmap.render.documents import result_files
from netmap.render.outputs import default_output_path, output_stem
from netmap.resources import sample_sites
from netmap.result import Result
from netmap.workspace import read_workspace

if TYPE_CHECKING:
    from netmap.decisions.invite import Plan
    from netmap.model import PopulationProfile
    from netmap.store import PushResult, Store, StoreSettings

#: From this many actors, ``netmap map`` lays the map out in a second process while it analyses.
PARALLEL_LAYOUT_MIN_ACTORS = 2000

#: Seconds to wait for that process before laying the map out in this one instead.
LAYOUT_PROCESS_TIMEOUT = 600.0

_PR_SET_PDEATHSIG = 1  # linux/prctl.h: the signal a process gets when its parent dies


def load_map(source: str | Path | None = None, *, framework: str | Path | None = None,
             neo4j: str | None = None, settings: StoreSettings | None = None,
             progress: Progress = SILENT) -> NetworkMap:
    """A map from a workspace folder or an Excel/Kumu workbook, or (``neo4j=KEY``) from a Neo4j database.

    A workspace is validated (against ``framework`` if given) and a
    :class:`~netmap.errors.WorkspaceError` carrying the report is raised if it
    has errors. ``settings`` default to the ``NEO4J_*`` environment variables; a map from Neo4j
    comes with the framework it was pushed with (``framework_file``, when it is not a built-in one).
    """
    if neo4j:
        return _pull_map(neo4j, settings)
    if source is None:
        raise WorkspaceError("give a workspace folder or workbook to read, or the key of a map in Neo4j (neo4j=KEY)")
    return _read(source, framework, progress)


def _size_on_disk(source: str | Path) -> int:
    """Bytes of a workbook, or of the files directly in a workspace folder (0 if there is none)."""
    path = Path(source)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file()) if path.is_dir() else 0


def _read(source: str | Path, framework: str | Path | None, progress: Progress) -> NetworkMap:
    """:func:`read_workspace`, saying so first when the workspace is large."""
    size = _size_on_disk(source)
    watched(progress, size_bytes=size).stage(f"Reading {source} ({size / 1e6:.1f} MB)")
    return read_workspace(source, framework)


def map_framework(nmap: NetworkMap) -> str | Path:
    """The framework a map was read with: the file validation read, else the name the map gives."""
    return nmap.framework_file or nmap.framework


def for_sharing(nmap: NetworkMap, framework: str | Path | None = None, *, folder: Path | None = None,
                names: bool = False, suppress_small: int = 0) -> NetworkMap:
    """The map as outputs meant for sharing (map, report, exports, demo) show it.

    Individuals are shown by pseudonym (:func:`netmap.privacy.pseudonymise`) unless ``names`` or the
    workspace's netmap.toml (``names = "show"``) asks for their names. With ``suppress_small`` N, the
    report's and CSV export's count tables show counts of 1 to N-1 as fewer than N
    (:func:`netmap.privacy.suppress_small`). The map passed in is not changed.
    """
    if suppress_small:
        from netmap.privacy import check_threshold

        shared = for_sharing(nmap, framework, folder=folder, names=names)
        return dataclasses.replace(shared, suppress_small=check_threshold(suppress_small))
    from netmap.privacy import pseudonymise
    from netmap.workspace.config import read_config
    from netmap.workspace.problems import ValidationReport

    if names or not any(a.kind == "individual" for a in nmap.actors):
        return nmap
    workspace = Path(folder) if folder is not None and Path(folder).is_dir() else None
    if workspace and read_config(workspace, ValidationReport(str(workspace))).show_names:  # names = "show"
        return nmap
    return pseudonymise(nmap, load_framework(framework or map_framework(nmap), base=folder))


def run_map(nmap: NetworkMap, framework: str | Path | None = None, *, folder: Path | None = None,
            egos: list[str] | None = None, by_locality: bool = True,
            sample: int | None = None, exact: bool = False, progress: Progress = SILENT) -> Result:
    """Analyse a map and find its gaps against a framework (the map's own by default).

    On a large map the stages are reported to ``progress``.
    """
    fw = load_framework(framework or map_framework(nmap), base=folder)
    unknown = [e for e in egos or () if nmap.actor(e) is None]
    if unknown:
        raise WorkspaceError(f"no actor with id '{unknown[0]}' in map '{nmap.key}'")
    progress = watched(progress, actors=len(nmap.actors))
    progress.stage(f"Analysing {len(nmap.actors):,} actors and {len(nmap.ties):,} ties")
    result = analyse(nmap, fw, sample=sample, exact=exact)
    progress.stage(f"Finding what is missing against {fw.name or fw.key} ({fw.key})")
    findings = find_gaps(nmap, fw, result, egos=egos or None, by_locality=by_locality)
    return Result(nmap, fw, result, findings, folder)


def plan_invites(result: Result, candidates: str | Path, *, k: int = 3, must: Sequence[str] = (),
                 exclude: Sequence[str] = (), max_per_constituency: int | None = None,
                 framework: str | Path | None = None) -> Plan:
    """``netmap invite``: read the candidates (a file or a workspace folder) and plan the invitations.

    ``framework`` (a name or file) reads a candidates workspace folder; a file
    is checked against ``result.framework``.
    """
    from netmap.decisions.invite import plan_invitations
    from netmap.decisions.invite_candidates import read_candidates

    pool = read_candidates(candidates, result.nmap, result.framework, framework or map_framework(result.nmap))
    return plan_invitations(result, pool, k, must=must, exclude=exclude, max_per_constituency=max_per_constituency)


def _die_with_parent(parent: int) -> None:
    """In the layout process: end when ``parent`` ends, however it ends (SIGKILL and the OOM killer too).

    Linux sends SIGTERM to the child when its parent dies (``PR_SET_PDEATHSIG``); the parent may
    already be gone before that is set, so its pid is checked once after. Ctrl-C and SIGTERM end the
    child at once and quietly (the parent's handlers, inherited by the fork, would raise in it).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):  # not glibc Linux: the closed pipe still ends it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != parent:
        os._exit(0)


def _layout_in_child(receiver, sender, parent: int, nmap: NetworkMap, framework: Framework) -> None:
    """The forked process of :func:`run_map_for_drawing`: lay the map out from the map alone.

    The communities and the layout use the default seeds, those of :func:`run_map` and
    :func:`netmap.render.layout.map_layout`, so the positions are the ones the map would get anyway.
    It closes the parent's end of the pipe (else, with the parent gone, sending positions larger than
    the pipe's buffer would block for good) and lets go of the caller's stdout and stderr, which it
    never writes to, so that a caller reading them sees them end when the parent ends.
    """
    receiver.close()
    _die_with_parent(parent)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        from netmap.analysis import detect_communities
        from netmap.graph import build_graph
        from netmap.render.layout import drawn_graph_of, layout_drawn_graph

        G = build_graph(nmap, framework)
        positions = layout_drawn_graph(drawn_graph_of(nmap, G), detect_communities(G))
    except BaseException:  # the parent lays the map out itself
        positions = None
    with contextlib.suppress(OSError):  # the parent has gone (EPIPE): nothing to tell
        sender.send(positions)
    sender.close()


def _spare_cores() -> bool:
    """Whether this process may fork a helper that runs on a core of its own."""
    if not sys.platform.startswith("linux"):  # fork is unsafe with macOS system libraries
        return False
    if multiprocessing.current_process().daemon:  # daemonic processes cannot have children
        return False
    return len(os.sched_getaffinity(0)) >= 2  # the cores this process may use, not the machine's


def _start_layout_process(nmap: NetworkMap, framework: Framework):
    """A forked process laying the map out and the pipe its positions come back on, or (None, None)."""
    if not _spare_cores():
        return None, None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_layout_in_child, args=(receiver, sender, os.getpid(), nmap, framework),
                              daemon=True)
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork with threads alive: the child runs only numpy and networkx code
            warnings.simplefilter("ignore", DeprecationWarning)
            process.start()
    except Exception:  # no more processes allowed, or not allowed here: lay out in this process
        receiver.close()
        return None, None
    finally:
        sender.close()
    return process, receiver


def _stop(process, *, at_once: bool = False) -> None:
    """End the layout process (killed if it is still running after 5 s, or ``at_once``) and reap it."""
    if not at_once:
        process.join(timeout=5)
    if process.is_alive():
        process.kill()
    process.join()


def _collect_layout(process, receiver) -> dict | None:
    """The positions from the layout process, or None if it failed or took too long.

    The process is given time to end only once it has sent them; otherwise (a timeout, or Ctrl-C or
    SIGTERM while waiting) it is killed at once.
    """
    sent = False
    try:
        positions = receiver.recv() if receiver.poll(LAYOUT_PROCESS_TIMEOUT) else None
        sent = True
        return positions
    except (EOFError, OSError):  # the process died before sending
        return None
    finally:
        receiver.close()
        _stop(process, at_once=not sent)


def run_map_for_drawing(nmap: NetworkMap, framework: str | Path | None = None, *, folder: Path | None = None,
                        full: bool = True, **options: Any) -> tuple[Result, dict | None]:
    """:func:`run_map` and the map's layout, side by side on two cores for large maps.

    The layout needs only the map: its drawn graph and the seeded Louvain
    communities of its analysis graph. From :data:`PARALLEL_LAYOUT_MIN_ACTORS`
    actors, on Linux with two cores or more, a forked process computes it
    while this one analyses, and the positions are those
    :func:`netmap.render.layout.map_layout` gives for the result (``options`` go to
    :func:`run_map`). Returns ``(result,
    positions)``; positions is None when the map is small or the process
    failed, and the map is then laid out when it is written. If the analysis
    fails, the layout process is stopped at once. With ``full`` false, a map that will be drawn as a
    summary (more than :data:`netmap.render.map.SUMMARY_MIN_ACTORS` actors) is not laid out.
    """
    from netmap.render.map import SUMMARY_MIN_ACTORS

    process = receiver = None
    progress = watched(options.get("progress", SILENT), actors=len(nmap.actors))
    summary = not full and len(nmap.actors) > SUMMARY_MIN_ACTORS
    if len(nmap.actors) >= PARALLEL_LAYOUT_MIN_ACTORS and not summary:
        fw = load_framework(framework or map_framework(nmap), base=folder)
        process, receiver = _start_layout_process(nmap, fw)
        if process is not None:
            progress.stage("Laying the map out in a second process")
    try:
        result = run_map(nmap, framework, folder=folder, **options)
    except BaseException:
        if process is not None:
            receiver.close()
            _stop(process, at_once=True)
        raise
    if process is None:
        return result, None
    if not receiver.poll():
        progress.stage("Waiting for the layout")
    return result, _collect_layout(process, receiver)


def write_results(result: Result, out: Path, extra: dict[str, str] | None = None) -> dict[str, Path]:
    """Write the JSON and CSV results of one map, and the ``extra`` files, into ``out``: all or nothing."""
    files = result_files(result) | (extra or {})
    write_files_atomically(out, files)
    result.outputs.update({name: out / name for name in files})
    return result.outputs


def write_synthetic_workspace(out: str | Path, actors: int, ties: int | None, seed: int, *,
                              progress: Progress = SILENT, big_forum: int | None = None) -> dict[str, int]:
    """``netmap synth``: write a SYNTHETIC borough workspace into ``out``; returns its row counts."""
    from netmap import synthetic

    watched(progress, actors=actors).stage(f"Writing a synthetic borough of {actors:,} actors to {out}")
    try:
        return synthetic.write_workspace(out, actors, ties, seed, big_forum=big_forum)
    except ValueError as exc:  # too few actors, negative ties, a big forum larger than the map
        raise WorkspaceError(str(exc)) from None


def demo(out: str | Path = "netmap-demo", *, sites: list[Path] | None = None,
         on_site: Callable[[Result], None] | None = None,
         site_files: Callable[[Result], dict[str, str]] | None = None, names: bool = False) -> list[Result]:
    """Run the whole pipeline on every sample site, writing results under ``out/<site>/``.

    Each site's folder is written all or nothing (:func:`netmap.fileio.atomic_files`), with the
    files ``site_files`` gives for it (:func:`demo_outputs`: the report and the map). Individuals
    are shown by pseudonym unless ``names`` (:func:`for_sharing`).
    """
    out = Path(out)
    results = []
    for folder in sites or sample_sites():
        nmap = for_sharing(read_workspace(folder), folder=folder, names=names)
        result = run_map(nmap, folder=folder)
        result.folder = folder
        write_results(result, out / _site_dir(result), site_files(result) if site_files else None)
        results.append(result)
        if on_site:
            on_site(result)
    return results


# --------------------------------------------------------------------------- what people look at


def _site_dir(result: Result) -> str:
    return output_stem(result.nmap, result.folder)


def default_output(result: Result, kind: str) -> Path:
    """Default file of ``netmap map`` (``kind="map"``), ``report``, or ``export`` (``kind`` a format).

    Named after the workspace folder (``<folder>-map.html``), else the map key, so two folders
    holding maps of the same key never write the same file.
    """
    return default_output_path(kind, output_stem(result.nmap, result.folder))


def write_map_file(result: Result, out: str | Path | None = None, *,
                   size_by: str = "betweenness", positions: dict | None = None,
                   progress: Progress = SILENT, invite: Plan | None = None, full: bool = False) -> Path:
    """``netmap map``: write the interactive map (default ``<folder>-map.html``); returns its path.

    ``invite`` (a plan of :func:`plan_invites`) draws its picks apart, with their would-be ties dashed;
    ``full`` draws every actor of a map that would otherwise be a summary (:func:`netmap.render.map.is_summary`).
    """
    from netmap.render.map import write_map

    path = Path(out) if out else default_output(result, "map")
    doing = "Writing" if positions is not None else "Laying out and writing"
    watched(progress, actors=len(result.nmap.actors)).stage(f"{doing} the map {path}")
    return write_map(result, path, size_by=size_by, positions=positions, invite=invite, full=full)


def write_report_file(result: Result, out: str | Path | None = None, *,
                      map_href: str | None = None, progress: Progress = SILENT, invite: Plan | None = None) -> Path:
    """``netmap report``: write the HTML report (default ``<folder>-report.html``); returns its path.

    Without ``map_href``, the report links ``<folder>-map.html`` when that
    file is already next to it. ``invite`` (a plan of :func:`plan_invites`) adds "Whom to invite next".
    """
    from netmap.render.report import write_report

    path = Path(out) if out else default_output(result, "report")
    if map_href is None:
        sibling = path.parent / default_output(result, "map").name
        map_href = sibling.name if sibling.is_file() else None
    watched(progress, actors=len(result.nmap.actors)).stage(f"Writing the report {path}")
    return write_report(result, path, map_href=map_href, invite=invite)


def export_file(result: Result, fmt: str, out: str | Path | None = None, *, progress: Progress = SILENT) -> Path:
    """``netmap export``: write one export format (default ``<folder>.<suffix>``); returns its path."""
    from netmap.render.export import default_export_path, export

    path = Path(out) if out else default_export_path(result, fmt)
    watched(progress, actors=len(result.nmap.actors)).stage(f"Writing {fmt} to {path}")
    return export(result, fmt, path)


def write_site_outputs(result: Result, out: str | Path, *, size_by: str = "betweenness") -> dict[str, Path]:
    """Write ``map.html`` and ``report.html`` (linking the map) of one site into the folder ``out``."""
    from netmap.render.map import write_map
    from netmap.render.report import write_report

    out = Path(out)
    map_path = write_map(result, out / "map.html", size_by=size_by)
    report_path = write_report(result, out / "report.html", map_href="map.html")
    return {"map": map_path, "report": report_path}


def write_demo_index(results: list[Result], out: str | Path, *,
                     changes: Sequence[tuple[str, str, str]] = ()) -> Path:
    """Write ``out/index.html`` linking ``<site>/report.html`` and ``<site>/map.html`` of every site,
    and the pages ``changes`` lists (``(title, summary, href)``: the progress reports)."""
    from netmap.render.report import write_index

    entries = [(r, f"{_site_dir(r)}/report.html", f"{_site_dir(r)}/map.html") for r in results]
    return write_index(entries, Path(out) / "index.html", changes=changes)


def demo_outputs(out: str | Path = "netmap-demo", *, sites: list[Path] | None = None,
                 on_site: Callable[[Result], None] | None = None, names: bool = False) -> tuple[list[Result], Path]:
    """:func:`demo` plus, per site, the report and the map, and ``out/index.html`` linking them.

    Returns the results and the path of the index.
    """
    from netmap.render.map import render_map
    from netmap.render.report import render_report

    def pages(result: Result) -> dict[str, str]:
        return {"map.html": render_map(result), "report.html": render_report(result, map_href="map.html")}

    results = demo(out, sites=sites, on_site=on_site, site_files=pages, names=names)
    return results, write_demo_index(results, out)


# --------------------------------------------------------------------------- Neo4j jobs
# What `netmap neo4j ...` runs: push a workspace into a shared Neo4j database, pull a map back
# into a folder, list the maps, run a named query. The store (and with it the neo4j driver) is
# imported only when one of these runs, so other commands start without it.


def map_populations(nmap: NetworkMap) -> list[PopulationProfile]:
    """Population profiles named by the map's localities (unknown keys are skipped)."""
    from netmap.reference import map_profiles

    profiles = map_profiles(nmap)
    keys = dict.fromkeys(loc.population for loc in nmap.localities if loc.population)
    return [profiles[k] for k in keys if k in profiles]


def push_workspace(folder: str | Path, *, framework: str | Path | None = None, prune: bool = False,
                   settings: StoreSettings | None = None, progress: Progress = SILENT,
                   names: bool = False) -> tuple[PushResult, int]:
    """``netmap neo4j push``: push the map of workspace ``folder`` with its framework and populations.

    The framework is ``framework`` or the one netmap.toml names, found as every command finds
    it (:func:`netmap.reference.load_framework`: a built-in name, or a file relative to the
    current folder, then to the workspace). ``settings`` default to the ``NEO4J_*`` variables.
    A push of more than :data:`netmap.progress.BAR_MIN_ROWS` rows is counted on ``progress``.
    The map pushed is the one shared outputs show (:func:`for_sharing`): individuals by pseudonym
    unless ``names`` or netmap.toml's ``names = "show"``. Returns what the push did and how many
    individuals it stored by pseudonym. A push by pseudonym that would leave the same individuals
    stored by name from an earlier push (only ``prune`` removes them) is refused with a StoreError.
    """
    from netmap.store import Store

    nmap = _read(folder, framework, progress)  # validated against the framework it is pushed with
    fw = load_framework(map_framework(nmap), base=folder)
    populations = map_populations(nmap)
    shared = for_sharing(nmap, framework, folder=Path(folder), names=names)
    rows = len(nmap.actors) + len(nmap.ties) + len(nmap.spaces) + len(nmap.memberships)
    with Store(settings) as store, watched(progress, rows=rows).counter(f"pushing {nmap.key}", rows) as advance:
        if shared.pseudonyms and not prune:
            _refuse_named_leftovers(store, nmap, shared)
        # the store counts its own rows (implicit spaces too): follow its fraction
        return store.push(shared, fw, populations, prune=prune,
                          progress=lambda done, total: advance(done * rows // max(total, 1))), shared.pseudonyms or 0


def _refuse_named_leftovers(store: Store, nmap: NetworkMap, shared: NetworkMap) -> None:
    """A StoreError if the database holds, from an earlier push, individuals of ``nmap`` by the ids that
    ``shared`` replaces by pseudonyms: a push without --prune keeps them, names and all."""
    from netmap.errors import StoreError

    named = {a.id for a in nmap.actors if a.kind == "individual"} - {a.id for a in shared.actors}
    if not store.has_map(nmap.key):
        return
    stored = {row["id"] for row in store.run_named("fetch_actors", {"map": nmap.key}) if row["id"] in named}
    if stored:
        who = "1 individual" if len(stored) == 1 else f"{len(stored)} individuals"
        raise StoreError(f"map '{nmap.key}' in Neo4j still holds {who} by name from an earlier push, which a push "
                         "by pseudonym would keep: push with --prune to replace them by pseudonyms, "
                         "or with --names to keep names")


def _pull_map(map_key: str, settings: StoreSettings | None, folder: str | Path | None = None) -> NetworkMap:
    """Map ``map_key`` from the database with its framework: as a file in ``folder`` if given (else in a
    temporary folder) unless it is a built-in framework (see :func:`netmap.store.files.keep_framework`),
    and the stored population profiles its localities name that this machine lacks, as its own."""
    from netmap.store import Store
    from netmap.store.files import keep_framework, keep_profiles

    with Store(settings) as store:
        nmap, framework, populations = store.pull_all(map_key)
    keep_profiles(nmap, populations)
    keep_framework(nmap, framework, folder)
    return nmap


def pull_workspace(map_key: str, out: str | Path, settings: StoreSettings | None = None) -> NetworkMap:
    """``netmap neo4j pull``: write map ``map_key`` of the database as a workspace in ``out``; returns the map.

    The workspace is the one pushed: its ``netmap.toml`` (own population profiles included), its
    tables, and the framework file it was pushed with (unless that was a built-in framework).
    """
    from netmap.workspace import write_workspace

    nmap = _pull_map(map_key, settings, out)
    write_workspace(nmap, out)
    return nmap


def delete_map(map_key: str, settings: StoreSettings | None = None,
               confirm: Callable[[dict[str, int]], bool] | None = None) -> dict[str, int] | None:
    """``netmap neo4j delete``: delete map ``map_key`` from the database; returns what it held.

    ``confirm(counts)`` (actors, ties, spaces, memberships) is asked first; None (and nothing
    deleted) if it says no. A map the database does not hold is a :class:`~netmap.errors.StoreError`.
    """
    from netmap.errors import StoreError
    from netmap.store import Store

    with Store(settings) as store:
        if not store.has_map(map_key):
            raise StoreError(f"no map '{map_key}' in the database (see `netmap neo4j maps`)")
        counts = store.count(map_key)
        if confirm is not None and not confirm(counts):
            return None
        store.delete_map(map_key)
    return counts


def list_maps(settings: StoreSettings | None = None) -> list[dict[str, Any]]:
    """``netmap neo4j maps``: every map in the database (key, name, actors, ties, snapshot, framework)."""
    from netmap.store import Store

    with Store(settings) as store:
        return store.maps()


def questions() -> dict[str, list[str]]:
    """The named queries meant for people (``netmap neo4j query --list``), with their parameters."""
    from netmap.store import QUESTIONS, query_parameters

    return {name: query_parameters(name) for name in QUESTIONS}


def run_query(name: str, params: dict[str, Any] | None = None,
              settings: StoreSettings | None = None) -> list[dict[str, Any]]:
    """``netmap neo4j query NAME``: the rows of a read-only named query."""
    from netmap.store import Store

    with Store(settings) as store:
        return store.run_named(name, params)
