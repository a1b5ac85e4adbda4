"""The benchmark harness: ``python -m benchmarks`` runs suites on graphs, one process each."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generators import GRAPHS, SCALES
from benchmarks.measure import machine_info
from benchmarks.registry import OURS, load_suites
from benchmarks.report import write_outputs

__all__ = ["add_ratios", "main", "run"]

_ROOT = Path(__file__).resolve().parent.parent
#: Ensemble samples per scale (the census issue's 1,000 on pinky100).
SAMPLES = {"pinky": 1000, "10k": 3, "100k": 2, "1M": 1, "custom": 10}


def add_ratios(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the records with ``ratio`` = peer seconds / our seconds for the same work.

    The ratio is set on comparable peer records that have our record of the same suite,
    task and graph in the same run; it is None elsewhere.
    """
    ours = {(r["suite"], r["task"], r["graph"]): r for r in records if r["tool"] == OURS}
    for r in records:
        base = ours.get((r["suite"], r["task"], r["graph"]))
        r["ratio"] = None
        if (r["tool"] != OURS and r["comparable"] and base is not None and r["seconds"]
                and base["seconds"]):
            r["ratio"] = r["seconds"] / base["seconds"]
    return records


def _failure(suite: str, graph: str, scale: str, message: str) -> dict[str, Any]:
    return {"suite": suite, "task": "(run)", "graph": graph, "scale": scale, "n": None,
            "m": None, "tool": OURS, "seconds": None, "seconds_min": None, "seconds_max": None,
            "runs": 0, "warmup_seconds": None, "peak_mib": None, "threads": None, "work": None,
            "unit": "", "check": False, "check_detail": message[-500:], "extrapolated": False,
            "comparable": False, "note": "the measurement process failed"}


def _run_worker(spec: dict[str, Any], timeout: float, fresh_cache: bool) -> list[dict]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    for name in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = str(spec["threads"])
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if fresh_cache:
            env["NUMBA_CACHE_DIR"] = str(Path(tmp) / "numba-cache")
        spec_file, out_file = Path(tmp) / "spec.json", Path(tmp) / "records.json"
        spec_file.write_text(json.dumps(spec))
        try:
            done = subprocess.run([sys.executable, "-m", "benchmarks.worker", str(spec_file),
                                   str(out_file)], env=env, cwd=_ROOT, capture_output=True,
                                  text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return [_failure(spec["suite"], spec["graph"], spec["scale"],
                             f"timed out after {timeout:.0f} s")]
        if done.returncode != 0 or not out_file.exists():
            return [_failure(spec["suite"], spec["graph"], spec["scale"], done.stderr)]
        return json.loads(out_file.read_text())


def run(
    suites: list[str],
    graphs: list[tuple[str, str, str | None]],
    folder: Path,
    *,
    repeats: int = 3,
    threads: int = 1,
    peer_budget: float = 200.0,
    max_seconds: float = 15.0,
    samples: int | None = None,
    timeout: float = 1200.0,
    log=None,
) -> list[dict[str, Any]]:
    """Return the records of every suite on every graph, each run in a fresh process.

    Parameters
    ----------
    suites : list of str
        Registered suite names.
    graphs : list of (name, scale, source)
        Graphs smallest first; ``source`` is a user's file or None for the catalogue.
    folder : Path
        Where the graph files are kept.
    repeats, threads, peer_budget, max_seconds
        See :class:`benchmarks.registry.Context`.
    samples : int, optional
        Ensemble samples for every graph (default :data:`SAMPLES` by scale).
    timeout : float
        Seconds after which a measurement process is stopped and recorded as failed.
    log : callable, optional
        Called with one progress line per measurement.

    Returns
    -------
    list of dict
        The records with ratios (see :func:`add_ratios`).
    """
    available, _ = load_suites()
    records = []
    for name in suites:
        chosen = available[name]
        for graph, scale, source in graphs[:1] if chosen.once else graphs:
            spec = {"suite": name, "graph": graph, "scale": scale, "source": source,
                    "folder": str(folder), "repeats": repeats, "threads": threads,
                    "peer_budget": peer_budget, "max_seconds": max_seconds,
                    "samples": samples if samples is not None else SAMPLES[scale]}
            start = time.perf_counter()
            found = _run_worker(spec, timeout, chosen.fresh_numba_cache)
            if log is not None:
                failed = sum(r["check"] is False for r in found)
                log(f"{name:>9} on {graph:<20} {time.perf_counter() - start:7.1f} s, "
                    f"{len(found)} records, {failed} failed checks")
            records.extend(found)
    return add_ratios(records)


def _parser(suite_names: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark connectome-motifs against igraph, networkx and NetworKit.",
        epilog="Suites: " + ", ".join(suite_names) + ". Graphs: " + ", ".join(
            f"{g.name} ({g.scale})" for g in GRAPHS.values()) + ".")
    parser.add_argument("--suites", default="all",
                        help="comma-separated suites, or 'all' (default)")
    parser.add_argument("--scales", default="all",
                        help=f"comma-separated scales of {', '.join(SCALES)}, or 'all'")
    parser.add_argument("--graphs", default=None,
                        help="comma-separated catalogue graphs (instead of --scales)")
    parser.add_argument("--graph", action="append", default=[], metavar="FILE",
                        help="also benchmark your own graph: a .npz from graphs.save_graph or "
                             "a synapse table read_graph reads (repeatable)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="threads for numba and NetworKit (default: all cores)")
    parser.add_argument("--out", type=Path, default=_ROOT / "benchmarks" / "output",
                        help="output folder (default benchmarks/output)")
    parser.add_argument("--peer-budget", type=float, default=200.0,
                        help="seconds a peer may take for one run before it is extrapolated "
                             "from part of the work")
    parser.add_argument("--max-seconds", type=float, default=15.0,
                        help="stop repeating a measurement after this many seconds")
    parser.add_argument("--samples", type=int, default=None,
                        help="ensemble samples (default by scale: "
                             + ", ".join(f"{k} {v}" for k, v in SAMPLES.items()) + ")")
    parser.add_argument("--timeout", type=float, default=1200.0,
                        help="seconds before one measurement process is stopped")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return 0 when every correctness check passed, else 1."""
    available, failures = load_suites()
    args = _parser(list(available)).parse_args(argv)
    suites = list(available) if args.suites == "all" else args.suites.split(",")
    unknown = [s for s in suites if s not in available]
    if unknown:
        print(f"unknown suites {unknown}; available: {list(available)}", file=sys.stderr)
        return 2
    if args.graphs:
        names = args.graphs.split(",")
    else:
        scales = SCALES if args.scales == "all" else tuple(args.scales.split(","))
        names = [g.name for g in GRAPHS.values() if g.scale in scales]
    unknown = [g for g in names if g not in GRAPHS]
    if unknown:
        print(f"unknown graphs {unknown}; available: {list(GRAPHS)}", file=sys.stderr)
        return 2
    graphs = [(name, GRAPHS[name].scale, None) for name in names]
    graphs += [(Path(f).stem.removesuffix(".npz"), "custom", str(Path(f).resolve()))
               for f in args.graph]
    machine = machine_info()
    machine.update({"threads": args.threads, "command": "python -m benchmarks "
                    + " ".join(sys.argv[1:] if argv is None else argv),
                    "unavailable_suite_modules": failures})
    start = time.perf_counter()
    records = run(suites, graphs, args.out / "graphs", repeats=args.repeats,
                  threads=args.threads, peer_budget=args.peer_budget,
                  max_seconds=args.max_seconds, samples=args.samples, timeout=args.timeout,
                  log=lambda line: print(line, file=sys.stderr, flush=True))
    machine["load_average_after"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    machine["wall_seconds"] = round(time.perf_counter() - start, 1)
    paths = write_outputs(records, machine, args.out)
    print("\n".join(str(p) for p in paths.values()))
    return 0 if all(r["check"] is not False for r in records) else 1
