"""Whole jobs built from the library: what the CLI commands run.

Each workflow takes paths and options, does the work with the library
modules, and returns plain results the CLI prints. No click here.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netmap.analysis import Analysis, analyse
from netmap.errors import WorkspaceError
from netmap.fileio import write_files_atomically
from netmap.gaps import Finding, community_coverage, find_gaps, findings_frame, locality_scopes
from netmap.ingest import read_workspace
from netmap.model import Framework, NetworkMap
from netmap.reference import load_framework
from netmap.resources import sample_sites

GAPS_SCHEMA_VERSION = 1

#: From this many actors, ``netmap map`` lays the map out in a second process while it analyses.
PARALLEL_LAYOUT_MIN_ACTORS = 2000

#: Seconds to wait for that process before laying the map out in this one instead.
LAYOUT_PROCESS_TIMEOUT = 600.0


@dataclass
class SiteResult:
    """Everything netmap computes for one map."""

    nmap: NetworkMap
    framework: Framework
    analysis: Analysis
    findings: list[Finding]
    folder: Path | None = None
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.nmap.name or self.nmap.key


def load_map(folder: str | Path | None = None, *, framework: str | Path | None = None,
             neo4j_map: str | None = None, store_options: dict[str, Any] | None = None) -> NetworkMap:
    """A map from a workspace folder (checked against ``framework`` if given), or from Neo4j."""
    if neo4j_map:
        from netmap.store import Store, StoreSettings

        settings = StoreSettings.from_env(**(store_options or {}))
        with Store(settings) as store:
            return store.pull(neo4j_map)
    if folder is None:
        raise WorkspaceError("give a workspace folder, or --neo4j MAP to read a map from Neo4j")
    return read_workspace(folder, framework)


def run_map(nmap: NetworkMap, framework: str | Path | None = None, *, folder: Path | None = None,
            egos: list[str] | None = None, by_locality: bool = True,
            betweenness_sample: int | None = None) -> SiteResult:
    """Analyse a map and find its gaps against a framework (the map's own by default)."""
    fw = load_framework(framework or nmap.framework, base=folder)
    unknown = [e for e in egos or () if nmap.actor(e) is None]
    if unknown:
        raise WorkspaceError(f"no actor with id '{unknown[0]}' in map '{nmap.key}'")
    result = analyse(nmap, fw, betweenness_sample=betweenness_sample)
    findings = find_gaps(nmap, fw, result, egos=egos or None, by_locality=by_locality)
    return SiteResult(nmap, fw, result, findings, folder)


def _layout_in_child(sender, nmap: NetworkMap, framework: Framework) -> None:
    """The forked process of :func:`run_map_for_drawing`: lay the map out from the map alone.

    The communities and the layout use the default seeds, those of :func:`run_map` and
    :func:`netmap.viz.map_layout`, so the positions are the ones the map would get anyway.
    """
    try:
        from netmap.analysis import detect_communities
        from netmap.graph import build_graph
        from netmap.viz import drawn_graph_of, layout_drawn_graph

        G = build_graph(nmap, framework)
        sender.send(layout_drawn_graph(drawn_graph_of(nmap, G), detect_communities(G)))
    except BaseException:  # the parent lays the map out itself
        sender.send(None)
    finally:
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
    process = context.Process(target=_layout_in_child, args=(sender, nmap, framework), daemon=True)
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
    """The positions from the layout process, or None if it failed or took too long."""
    try:
        return receiver.recv() if receiver.poll(LAYOUT_PROCESS_TIMEOUT) else None
    except (EOFError, OSError):  # the process died before sending
        return None
    finally:
        receiver.close()
        _stop(process)


def run_map_for_drawing(nmap: NetworkMap, framework: str | Path | None = None, *, folder: Path | None = None,
                        **options: Any) -> tuple[SiteResult, dict | None]:
    """:func:`run_map` and the map's layout, side by side on two cores for large maps.

    The layout needs only the map: its drawn graph and the seeded Louvain
    communities of its analysis graph. From :data:`PARALLEL_LAYOUT_MIN_ACTORS`
    actors, on Linux with two cores or more, a forked process computes it
    while this one analyses, and the positions are those
    :func:`netmap.viz.map_layout` gives for the result (``options`` go to
    :func:`run_map`). Returns ``(result,
    positions)``; positions is None when the map is small or the process
    failed, and the map is then laid out when it is written. If the analysis
    fails, the layout process is stopped at once.
    """
    process = receiver = None
    if len(nmap.actors) >= PARALLEL_LAYOUT_MIN_ACTORS:
        fw = load_framework(framework or nmap.framework, base=folder)
        process, receiver = _start_layout_process(nmap, fw)
    try:
        result = run_map(nmap, framework, folder=folder, **options)
    except BaseException:
        if process is not None:
            receiver.close()
            _stop(process, at_once=True)
        raise
    positions = _collect_layout(process, receiver) if process is not None else None
    return result, positions


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: NaN becomes null, numpy scalars become Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def gaps_document(result: SiteResult) -> dict[str, Any]:
    """The JSON object ``netmap gaps --json`` prints (schema in docs/gaps-json.md)."""
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return _clean({
        "schema": "netmap/gaps", "version": GAPS_SCHEMA_VERSION,
        "map": result.nmap.key, "name": result.nmap.name, "snapshot": result.nmap.snapshot or None,
        "framework": {"key": result.framework.key, "name": result.framework.name},
        "localities": [loc.key for loc in result.nmap.localities],
        "actors": len(result.nmap.actors),
        "summary": {"findings": len(result.findings), **{s: counts.get(s, 0) for s in ("high", "medium", "low")},
                    "absent_constituencies": absent_constituencies(result)},
        "findings": [f.to_dict() for f in result.findings],
    })


def _records(frame: pd.DataFrame, index_name: str) -> list[dict[str, Any]]:
    return _clean(frame.reset_index().rename(columns={"index": index_name}).to_dict(orient="records"))


def analysis_document(result: SiteResult) -> dict[str, Any]:
    """The whole analysis as one JSON-able object."""
    a = result.analysis
    coverage = {
        scope.key: _records(community_coverage(a.graph, a.actors, scope.population, scope.nodes), "group")
        for scope in locality_scopes(result.nmap) if scope.population is not None
    }
    return _clean({
        "schema": "netmap/analysis", "version": GAPS_SCHEMA_VERSION,
        "map": result.nmap.key, "name": result.nmap.name, "framework": result.framework.key,
        "summary": a.summary, "blau_heterogeneity": a.blau, "ei_index": a.ei,
        "sampling": {"betweenness_sample": a.actors.attrs.get("betweenness_sample"),
                     "closeness_sample": a.actors.attrs.get("closeness_sample"),
                     "paths_sample": a.summary.get("paths_sampled"), "seed": a.actors.attrs.get("seed")},
        "actors": _records(a.actors, "id"),
        "constituencies": _records(a.constituencies, "constituency"),
        "mixing": {"observed": _clean(a.mixing_observed.to_dict()), "expected": _clean(a.mixing_expected.to_dict())},
        "community_coverage": coverage,
        "findings": [f.to_dict() for f in result.findings],
    })


def absent_constituencies(result: SiteResult) -> list[str]:
    seen: list[str] = []
    for f in result.findings:
        if f.kind == "absent_constituency" and f.subject not in seen:
            seen.append(f.subject)
    return seen


def site_summary(result: SiteResult) -> str:
    """One readable paragraph: who is in the room and what is missing."""
    fw = result.framework
    present = {c for a in result.nmap.actors for c in a.constituencies if fw.get(c)}
    absent = [k for k in absent_constituencies(result) if k not in present]
    noun = "partner" if len(result.nmap.actors) == 1 else "partners"
    text = (f"{result.title}: {len(result.nmap.actors)} {noun} in {len(present)} of "
            f"{len(fw.constituencies)} constituencies")
    if absent:
        labels = [fw.label(k) for k in absent]
        shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
        text += f"; absent: {shown}"
    elsewhere = [k for k in absent_constituencies(result) if k in present]
    if elsewhere:
        text += f"; missing in some localities: {', '.join(fw.label(k) for k in elsewhere[:3])}"
        text += f" and {len(elsewhere) - 3} more" if len(elsewhere) > 3 else ""
    high = sum(f.severity == "high" for f in result.findings)
    n = len(result.findings)
    return text + f". {n} {'finding' if n == 1 else 'findings'} ({high} high)."


def write_results(result: SiteResult, out: Path) -> dict[str, Path]:
    """Write the JSON and CSV results of one map into ``out``."""
    a = result.analysis
    files = {
        "analysis.json": json.dumps(analysis_document(result), indent=2, ensure_ascii=False) + "\n",
        "gaps.json": json.dumps(gaps_document(result), indent=2, ensure_ascii=False) + "\n",
        "actors.csv": a.actors.to_csv(),
        "constituencies.csv": a.constituencies.to_csv(),
        "findings.csv": _findings_csv(result.findings),
    }
    write_files_atomically(out, files)
    result.outputs.update({name: out / name for name in files})
    return result.outputs


def _findings_csv(findings: list[Finding]) -> str:
    frame = findings_frame(findings)
    frame["data"] = frame["data"].map(lambda d: json.dumps(_clean(d), ensure_ascii=False))
    return frame.to_csv(index=False)


def demo(out: str | Path = "netmap-demo", *, sites: list[Path] | None = None,
         on_site: Callable[[SiteResult], None] | None = None) -> list[SiteResult]:
    """Run the whole pipeline on every sample site, writing results under ``out/<site>/``."""
    out = Path(out)
    results = []
    for folder in sites or sample_sites():
        nmap = read_workspace(folder)
        result = run_map(nmap, folder=folder)
        result.folder = folder
        write_results(result, out / folder.name)
        results.append(result)
        if on_site:
            on_site(result)
    return results


# --------------------------------------------------------------------------- what people look at


def _site_dir(result: SiteResult) -> str:
    return result.folder.name if result.folder is not None else result.nmap.key


def default_output(result: SiteResult, kind: str) -> Path:
    """Default file name of ``netmap map`` (``kind="map"``) or ``netmap report`` (``kind="report"``)."""
    return Path(f"{result.nmap.key or 'netmap'}-{kind}.html")


def write_map_file(result: SiteResult, out: str | Path | None = None, *,
                   size_by: str = "betweenness", positions: dict | None = None) -> Path:
    """``netmap map``: write the interactive map (default ``<map key>-map.html``); returns its path."""
    from netmap.viz import write_map

    return write_map(result, Path(out) if out else default_output(result, "map"), size_by=size_by,
                     positions=positions)


def write_report_file(result: SiteResult, out: str | Path | None = None, *,
                      map_href: str | None = None) -> Path:
    """``netmap report``: write the HTML report (default ``<map key>-report.html``); returns its path.

    Without ``map_href``, the report links ``<map key>-map.html`` when that
    file is already next to it.
    """
    from netmap.report import write_report

    path = Path(out) if out else default_output(result, "report")
    if map_href is None:
        sibling = path.parent / default_output(result, "map").name
        map_href = sibling.name if sibling.is_file() else None
    return write_report(result, path, map_href=map_href)


def export_file(result: SiteResult, fmt: str, out: str | Path | None = None) -> Path:
    """``netmap export``: write one export format (default ``<map key>.<suffix>``); returns its path."""
    from netmap.export import default_export_path, export

    return export(result, fmt, Path(out) if out else default_export_path(result, fmt))


def write_site_outputs(result: SiteResult, out: str | Path, *, size_by: str = "betweenness") -> dict[str, Path]:
    """Write ``map.html`` and ``report.html`` (linking the map) of one site into the folder ``out``."""
    from netmap.report import write_report
    from netmap.viz import write_map

    out = Path(out)
    map_path = write_map(result, out / "map.html", size_by=size_by)
    report_path = write_report(result, out / "report.html", map_href="map.html")
    return {"map": map_path, "report": report_path}


def write_demo_index(results: list[SiteResult], out: str | Path) -> Path:
    """Write ``out/index.html`` linking ``<site>/report.html`` and ``<site>/map.html`` of every site."""
    from netmap.report import write_index

    entries = [(r, f"{_site_dir(r)}/report.html", f"{_site_dir(r)}/map.html") for r in results]
    return write_index(entries, Path(out) / "index.html")


def demo_outputs(out: str | Path = "netmap-demo", *, sites: list[Path] | None = None,
                 on_site: Callable[[SiteResult], None] | None = None) -> tuple[list[SiteResult], Path]:
    """:func:`demo` plus, per site, the report and the map, and ``out/index.html`` linking them.

    Returns the results and the path of the index.
    """
    out = Path(out)

    def each(result: SiteResult) -> None:
        write_site_outputs(result, out / _site_dir(result))
        if on_site:
            on_site(result)

    results = demo(out, sites=sites, on_site=each)
    return results, write_demo_index(results, out)
