"""Where the time of analysing a large map and finding its gaps goes, stage by stage.

    .venv/bin/python bench/analysis_profile.py /tmp/ws100k               # seconds (wall, CPU) per stage
    .venv/bin/python bench/analysis_profile.py /tmp/ws100k --profile 25  # and the top 25 of cProfile
    .venv/bin/python bench/analysis_profile.py /tmp/ws100k --cache /tmp/ws100k.pickle

The workspace is read once (``netmap.load``; with ``--cache`` the map is kept
in a pickle and read from it next time, to save the reading when only the
analysis changes). Then, each timed on its own: building the graph, the actor
measures (and inside them the path measures, Burt's measures, reach, cut
vertices and brokerage), communities, the mixing matrix, the network summary,
the constituency table, Blau and E-I, PageRank, eigenvector centrality,
clustering, the sampled breadth-first searches of closeness and path lengths,
the betweenness estimate, reciprocity, and each part of the gap analysis. The
load average is printed at the start and the end: compare figures from one
machine state only. The compiled kernels are cached next to their modules
after their first run: run once before timing, or the first figures include
compiling them.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import time
from pathlib import Path


def _load(folder: Path, cache: Path | None):
    import netmap

    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)
    nmap = netmap.load(folder)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(nmap, f, protocol=pickle.HIGHEST_PROTOCOL)
    return nmap


def _timed(label: str, figures: dict, fn, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    value = fn(*args, **kwargs)
    figures[label] = time.perf_counter() - start
    # CPU seconds too (of every thread): on a busy machine they move less than the wall clock
    print(f"{label:<40} {figures[label]:8.2f} s {time.process_time() - cpu:8.2f} s CPU", flush=True)
    return value


def stages(nmap, framework_name: str | None) -> dict[str, float]:
    """Seconds of each stage of ``netmap.run`` on ``nmap``."""
    import numpy as np

    from netmap.analysis import Analysis, analyse
    from netmap.analysis import structure as st
    from netmap.analysis.backend import GraphArrays
    from netmap.analysis.centrality import _eigenvector, _pagerank_and_cores
    from netmap.analysis.communities import detect_communities
    from netmap.analysis.constituencies import constituency_metrics
    from netmap.analysis.estimate import distance_sums, estimate_betweenness
    from netmap.analysis.groups import blau_heterogeneity, ei_index, mixing_matrix
    from netmap.analysis.network import _clustering, network_summary, tie_counts
    from netmap.analysis.sampling import betweenness_epsilon, sample_sources
    from netmap.gaps import find_gaps
    from netmap.gaps import fragility as fr
    from netmap.gaps.communities import community_findings
    from netmap.gaps.constituencies import constituency_findings
    from netmap.gaps.egos import default_egos, ego_findings
    from netmap.gaps.links import link_findings
    from netmap.graph import build_graph, reciprocity
    from netmap.reference import load_framework
    from netmap.scopes import locality_scopes
    from netmap.workflows import map_framework

    fw = load_framework(framework_name or map_framework(nmap))
    f: dict[str, float] = {}
    G = _timed("build graph", f, build_graph, nmap, fw)
    arrays = _timed("graph arrays", f, GraphArrays, G)
    A = arrays.adjacency
    _timed("  burt", f, st.burt, A)
    _timed("  reach_2", f, st.reach_2, A)
    _timed("  cut vertices", f, st.cut_vertices, G)
    _timed("  brokerage", f, st.brokerage, G, arrays.nodes, A)
    _timed("  bridge ties", f, st.bridge_ties, G)
    _timed("  tie counts", f, tie_counts, G)
    _timed("  mixing matrix", f, mixing_matrix, G)
    _timed("  blau", f, blau_heterogeneity, G)
    _timed("  ei index", f, ei_index, G)
    _timed("  communities", f, detect_communities, G, seed=42, arrays=arrays)
    _timed("  pagerank and k-cores", f, _pagerank_and_cores, G, arrays, arrays.igraph)
    _timed("  eigenvector", f, _eigenvector, arrays, with_igraph=True)
    _timed("  clustering", f, _clustering, G, arrays)
    starts = np.array([arrays.index[v] for v in sample_sources(arrays.nodes, None, False, 42)], dtype=np.int64)
    _timed(f"  path searches ({len(starts)} BFS)", f, distance_sums, arrays.n, arrays.i, arrays.j, starts)
    _timed("  betweenness estimate", f, estimate_betweenness, arrays.n, arrays.i, arrays.j,
           epsilon=betweenness_epsilon(arrays.n), seed=42)
    _timed("  reciprocity", f, reciprocity, nmap)
    _timed("  network summary", f, network_summary, G, None, arrays=arrays)
    result: Analysis = _timed("analyse (all)", f, analyse, nmap, fw)
    G, actors = result.graph, result.actors
    _timed("  constituency table", f, constituency_metrics, G, fw, actors=actors)
    scopes = locality_scopes(nmap, True)
    _timed("  gaps: constituencies", f, lambda: [constituency_findings(G, actors, fw, s) for s in scopes])
    names = {s.id: s.name for s in nmap.spaces}
    links = _timed("  gaps: links", f, lambda: [x for s in scopes for x in link_findings(G, fw, s, names)])
    _timed("  gaps: communities", f, lambda: [community_findings(G, actors, s) for s in scopes])
    _timed("  gaps: isolates", f, fr.isolate_findings, G, fw)
    _, named = _timed("  gaps: bridges", f, fr.bridge_findings, G, actors)
    _timed("  gaps: cut vertices", f, fr.cut_vertex_findings, G, actors, named)
    _timed("  gaps: dependencies", f, fr.dependency_findings, nmap, G, fw)
    _timed("  gaps: egos", f, ego_findings, nmap, G, fw, default_egos(nmap, fw), links)
    _timed("gaps (all)", f, find_gaps, nmap, fw, result)
    return f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--framework", default=None)
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the map, made on first use")
    parser.add_argument("--profile", type=int, default=0, help="also cProfile netmap.run's analysis and gaps")
    args = parser.parse_args()
    print("load average at start:", Path("/proc/loadavg").read_text().split()[:3])
    nmap = _load(args.workspace, args.cache)
    print(f"{len(nmap.actors):,} actors, {len(nmap.ties):,} ties")
    if args.profile:
        from netmap.analysis import analyse
        from netmap.gaps import find_gaps
        from netmap.reference import load_framework
        from netmap.workflows import map_framework

        fw = load_framework(args.framework or map_framework(nmap))
        profile = cProfile.Profile()
        profile.enable()
        find_gaps(nmap, fw, analyse(nmap, fw))
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    else:
        stages(nmap, args.framework)
    print("load average at end:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
