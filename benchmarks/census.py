"""Benchmark of the dyad and triad census and participation against igraph and networkx."""

from __future__ import annotations

import ctypes
import ctypes.util
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import igraph as ig
import networkx as nx
import numba
import numpy as np

from benchmarks.generators import erdos_renyi, lognormal_degrees, pinky_th100
from graphs import SynapseGraph
from motifs import dyad_census, kernels, triad_census, triad_participation
from motifs.catalogue import TRIAD_NAMES

__all__ = ["default_cases", "format_markdown", "run_census_benchmarks"]

_PROBE_WORK = 3_000_000


def default_cases() -> dict[str, Callable[[], SynapseGraph]]:
    """Return the benchmark graphs of the census issue, as name -> builder.

    (a) the pinky100 th100 graph, (b) ER with n = 10,000 and m = 200,000, (c) n = 100,000,
    m = 3,000,000 with lognormal in- and out-degrees (seed 0).
    """
    return {
        "pinky_th100": pinky_th100,
        "er_10k_200k": lambda: erdos_renyi(10_000, 200_000, seed=0),
        "lognormal_100k_3M": lambda: lognormal_degrees(100_000, 3_000_000, sigma=1.0, seed=0),
    }


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def _use_fixed_mmap_threshold() -> None:
    # glibc raises its mmap threshold after large frees and then serves big arrays from
    # a heap that keeps freed pages resident, hiding later peaks; a fixed 64 KiB
    # threshold (M_MMAP_THRESHOLD = -3) maps and unmaps every large array.
    libc = _libc()
    if libc is not None:
        libc.mallopt(-3, 65536)


def _reset_peak() -> bool:
    # Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM), so the
    # peak of each measured call can be read separately in one process.
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _measure(fn: Callable[[], Any], repeats: int, max_seconds: float) -> dict[str, Any]:
    """Time ``fn`` (median of up to ``repeats`` runs) and its peak memory above the start."""
    times = []
    peak_mib = None
    result = None
    for k in range(repeats):
        if k == 0:
            can_peak = _reset_peak()
            start_rss = _status_kib("VmRSS")
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if k == 0 and can_peak and start_rss is not None:
            peak_mib = (_status_kib("VmHWM") - start_rss) / 1024
        if sum(times) > max_seconds:
            break
    return {"seconds": statistics.median(times), "runs": len(times), "peak_mib": peak_mib,
            "result": result}


def _undirected_work(g: SynapseGraph) -> int:
    """Return ``sum_v deg(v)²`` over undirected degrees, the work of Batagelj–Mrvar."""
    indptr, _, _ = kernels.merge_neighbours(g.out_indptr, g.out_indices, g.in_indptr,
                                            g.in_indices)
    degree = np.diff(indptr)
    return int((degree * degree).sum())


def _to_networkx(g: SynapseGraph) -> nx.DiGraph:
    pre, post = g.edges()
    h = nx.DiGraph()
    h.add_nodes_from(range(g.n))
    h.add_edges_from(zip(pre.tolist(), post.tolist(), strict=True))
    return h


def _to_igraph(g: SynapseGraph) -> ig.Graph:
    pre, post = g.edges()
    return ig.Graph(n=g.n, edges=np.column_stack([pre, post]).tolist(), directed=True)


def _jit_seconds() -> dict[str, Any]:
    """Return the first-call time of each public function on a tiny graph (JIT or cache load)."""
    g = SynapseGraph.from_edges([0, 1, 2, 2], [1, 2, 0, 3])
    first = {}
    for name, fn in (("dyad", dyad_census), ("triad", triad_census),
                     ("participation", triad_participation)):
        t0 = time.perf_counter()
        fn(g)
        first[name] = time.perf_counter() - t0
    dispatchers = [getattr(kernels, name) for name in kernels.__all__]
    first["cache_hits"] = sum(sum(d.stats.cache_hits.values()) for d in dispatchers)
    first["cache_misses"] = sum(sum(d.stats.cache_misses.values()) for d in dispatchers)
    return first


def run_census_benchmarks(
    cases: dict[str, Callable[[], SynapseGraph]] | None = None,
    repeats: int = 5,
    networkx_budget: float = 120.0,
    max_seconds: float = 60.0,
    seed: int = 0,
    threads: int | None = None,
) -> list[dict[str, Any]]:
    """Return one record per (graph, library, task) of measured census times and memory.

    Parameters
    ----------
    cases : dict of name -> callable returning SynapseGraph, optional
        Default :func:`default_cases`.
    repeats : int, default 5
        Timed runs per measurement; the median is reported.
    networkx_budget : float, default 120.0
        Seconds networkx may take for one triad census. When the estimate exceeds it,
        networkx runs only on an induced subgraph of random nodes and its time is
        extrapolated by the ratio of ``sum_v deg(v)²`` over undirected degrees (the
        work of its Batagelj–Mrvar loop); such records say ``extrapolated=True``.
    max_seconds : float, default 60.0
        Stop repeating a measurement once its runs have taken this long.
    seed : int, default 0
        Seed of the subgraph node choice.
    threads : int, optional
        numba threads for our kernels during the run (default: numba's current
        setting); restored afterwards.

    Returns
    -------
    list of dict
        Keys: ``graph``, ``n``, ``m``, ``library``, ``task`` (dyad, triad,
        participation, jit), ``seconds`` (median), ``runs``, ``peak_mib`` (peak
        resident memory above the start of the first run, None where unmeasurable),
        ``threads``, ``extrapolated``, ``equal`` (whether the result equals ours; None
        for ours) and ``speedup`` (peer seconds / ours for the same task).

    Notes
    -----
    Graph conversion to igraph and networkx is not timed. JIT compile (or numba cache
    load) is measured once on a tiny graph before everything else and reported as
    task ``jit``; the timed runs are then compiled code only.
    """
    cases = default_cases() if cases is None else cases
    previous_threads = numba.get_num_threads()
    numba.set_num_threads(previous_threads if threads is None else threads)
    try:
        return _run(cases, repeats, networkx_budget, max_seconds, seed)
    finally:
        numba.set_num_threads(previous_threads)


def _run(cases, repeats, networkx_budget, max_seconds, seed):
    rng = np.random.default_rng(seed)
    threads = numba.get_num_threads()
    _use_fixed_mmap_threshold()
    jit = _jit_seconds()
    records: list[dict[str, Any]] = [
        {"graph": "-", "n": 4, "m": 4, "library": "ours", "task": f"jit_{name}",
         "seconds": jit[name], "runs": 1, "peak_mib": None, "threads": threads,
         "extrapolated": False, "equal": None, "speedup": None,
         "note": f"numba cache hits {jit['cache_hits']}, misses {jit['cache_misses']}"}
        for name in ("dyad", "triad", "participation")
    ]
    for name, build in cases.items():
        g = build()
        base = {"graph": name, "n": g.n, "m": g.n_edges, "threads": threads}
        ours = {
            "dyad": _measure(lambda g=g: dyad_census(g), repeats, max_seconds),
            "triad": _measure(lambda g=g: triad_census(g), repeats, max_seconds),
            "participation": _measure(lambda g=g: triad_participation(g), repeats, max_seconds),
        }
        triad = ours["triad"]["result"]
        dyad = ours["dyad"]["result"]
        part = ours["participation"]["result"]
        for task, r in ours.items():
            equal = None
            if task == "participation":
                equal = bool((part.sum(axis=0).to_numpy() == 3 * triad.to_numpy()).all())
            records.append({**base, "library": "ours", "task": task, "seconds": r["seconds"],
                            "runs": r["runs"], "peak_mib": r["peak_mib"], "extrapolated": False,
                            "equal": equal, "speedup": None,
                            "note": "participation: checked sums = 3 x census"
                            if task == "participation" else ""})

        h = _to_igraph(g)
        peers = {
            "dyad": _measure(h.dyad_census, repeats, max_seconds),
            "triad": _measure(h.triad_census, repeats, max_seconds),
        }
        mutual, asymmetric, null = peers["dyad"]["result"]
        peer_results = {
            "dyad": [null, asymmetric, mutual] == dyad.tolist(),
            "triad": [int(peers["triad"]["result"][t]) for t in TRIAD_NAMES] == triad.tolist(),
        }
        for task, r in peers.items():
            records.append({**base, "library": "igraph", "task": task, "seconds": r["seconds"],
                            "runs": r["runs"], "peak_mib": r["peak_mib"], "extrapolated": False,
                            "equal": peer_results[task],
                            "speedup": r["seconds"] / ours[task]["seconds"], "note": ""})
        del h

        records.extend(_networkx_records(g, base, ours, triad, dyad, rng, repeats,
                                         networkx_budget, max_seconds))
    return records


def _networkx_records(g, base, ours, triad, dyad, rng, repeats, budget, max_seconds):
    records = []
    nxg = _to_networkx(g)
    r = _measure(lambda: nx.overall_reciprocity(nxg) if g.n_edges else 0.0, repeats, max_seconds)
    # overall_reciprocity is 2 mutual / m; the mutual count follows exactly at these sizes.
    mutual = round(r["result"] * g.n_edges / 2)
    records.append({**base, "library": "networkx", "task": "dyad", "seconds": r["seconds"],
                    "runs": r["runs"], "peak_mib": r["peak_mib"], "extrapolated": False,
                    "equal": mutual == int(dyad["mutual"]),
                    "speedup": r["seconds"] / ours["dyad"]["seconds"],
                    "note": "overall_reciprocity (networkx has no dyad census)"})
    work = _undirected_work(g)
    # An induced subgraph on a fraction f of the nodes has about f³ of the work; probe on
    # one of about _PROBE_WORK units to estimate the full run.
    fraction = min(1.0, (_PROBE_WORK / max(work, 1)) ** (1 / 3))
    if fraction < 1.0:
        sub = g.subgraph(rng.random(g.n) < fraction)
        sub_nx = _to_networkx(sub)
        probe = _measure(lambda: nx.triadic_census(sub_nx), 1, max_seconds)
        sub_work = max(_undirected_work(sub), 1)
        estimate = probe["seconds"] * work / sub_work
    else:
        estimate = 0.0
    if estimate <= budget:
        r = _measure(lambda: nx.triadic_census(nxg), 1 if estimate > 10 else repeats,
                     max_seconds)
        records.append({**base, "library": "networkx", "task": "triad", "seconds": r["seconds"],
                        "runs": r["runs"], "peak_mib": r["peak_mib"], "extrapolated": False,
                        "equal": r["result"] == triad.to_dict(),
                        "speedup": r["seconds"] / ours["triad"]["seconds"], "note": ""})
    else:
        note = (f"extrapolated from an induced subgraph of {sub.n} nodes / {sub.n_edges} "
                f"edges ({probe['seconds']:.2f} s) by sum deg² ratio {work / sub_work:.1f}")
        records.append({**base, "library": "networkx", "task": "triad", "seconds": estimate,
                        "runs": 1, "peak_mib": None, "extrapolated": True, "equal": None,
                        "speedup": estimate / ours["triad"]["seconds"], "note": note})
    return records


def format_markdown(records: list[dict[str, Any]]) -> str:
    """Return the records as a Markdown table."""
    header = ["graph", "n", "m", "library", "task", "seconds", "runs", "peak MiB", "threads",
              "equal", "peer / ours", "note"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in records:
        cells = [
            r["graph"], f"{r['n']:,}", f"{r['m']:,}", r["library"], r["task"],
            f"{r['seconds']:.4g}" + (" (est.)" if r["extrapolated"] else ""), str(r["runs"]),
            "" if r["peak_mib"] is None else f"{r['peak_mib']:.1f}", str(r["threads"]),
            "" if r["equal"] is None else str(r["equal"]),
            "" if r["speedup"] is None else f"{r['speedup']:.1f}x", r.get("note", ""),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    """Run the default benchmark and print the Markdown table; return the exit status."""
    print(format_markdown(run_census_benchmarks()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
