"""Benchmark of CFG ensembles on a Dask LocalCluster against the local thread path."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import numpy as np

from benchmarks.generators import lognormal_degrees
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.datasets.pinky100 import pinky100
from connectome_motifs.motifs.profile import MotifStatistics
from connectome_motifs.nullmodels import ConfigurationModel, ensemble

__all__ = ["main", "run"]


def _timed_ensemble(model: ConfigurationModel, statistic: MotifStatistics, n_samples: int,
                    **where: Any) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    result = ensemble(model, statistic, n_samples, seed=2022, progress=False, diagnostics=False,
                      **where)
    return time.perf_counter() - start, result.samples.to_numpy()


def run(
    n_workers: int = 2,
    pinky_samples: int = 200,
    large_samples: int = 50,
    large_nodes: int = 10_000,
    large_edges: int = 200_000,
    sweeps: float | None = None,
) -> list[dict[str, Any]]:
    """Return the seconds of CFG + :class:`~connectome_motifs.motifs.profile.MotifStatistics`
    ensembles, local threads (every core) against a ``LocalCluster`` of ``n_workers`` one-thread
    processes.

    Graphs: pinky100 ``full`` (363 cells) and a heavy-tailed generated graph
    (:func:`benchmarks.generators.lognormal_degrees`). Both paths are warmed up first (JIT,
    worker imports) with an untimed run; the Dask timing includes scattering the model.
    Every record checks that both paths gave identical rows, and notes the load average,
    since other processes on the machine slow either path. ``sweeps`` fixes each chain's
    burn-in and spacing at that many times m steps (no pilot chain: on large graphs the
    pilot would dominate); by default a pilot chooses them.
    """
    from distributed import Client, LocalCluster

    graphs: list[tuple[str, SynapseGraph, int]] = [
        ("pinky100 full", pinky100("full"), pinky_samples),
        (f"lognormal {large_nodes}/{large_edges}",
         lognormal_degrees(large_nodes, large_edges, seed=1), large_samples),
    ]
    statistic = MotifStatistics(max_common=5)
    records = []
    start = time.perf_counter()
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        cluster_seconds = time.perf_counter() - start
        for label, graph, n_samples in graphs:
            steps = None if sweeps is None else max(int(sweeps * graph.n_edges), 1)
            model = ConfigurationModel(burn_in=steps, spacing=steps).fit(graph)
            warm = ConfigurationModel(burn_in=10, spacing=10).fit(graph)
            _timed_ensemble(warm, statistic, 2 * n_workers)
            _timed_ensemble(warm, statistic, 2 * n_workers, executor=client)
            local, local_rows = _timed_ensemble(model, statistic, n_samples)
            remote, remote_rows = _timed_ensemble(model, statistic, n_samples, executor=client)
            records.append({
                "benchmark": "dask_ensemble", "graph": label, "n": graph.n, "m": graph.n_edges,
                "model": "CFG", "statistic": "MotifStatistics", "n_samples": n_samples,
                "burn_in": model.burn_in_, "spacing": model.spacing,
                "local_threads": os.cpu_count(), "dask_workers": n_workers,
                "local_seconds": local, "dask_seconds": remote,
                "speedup": local / remote, "identical": bool(np.array_equal(
                    local_rows, remote_rows, equal_nan=True)),
                "cluster_start_seconds": cluster_seconds, "load_average": os.getloadavg()[0],
            })
    return records


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON record per line; return 0."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pinky-samples", type=int, default=200)
    parser.add_argument("--large-samples", type=int, default=50)
    parser.add_argument("--large-nodes", type=int, default=10_000)
    parser.add_argument("--large-edges", type=int, default=200_000)
    parser.add_argument("--sweeps", type=float, default=None,
                        help="burn-in and spacing of every chain, in multiples of m steps "
                             "(default: chosen by a pilot chain)")
    args = parser.parse_args(argv)
    for record in run(args.workers, args.pinky_samples, args.large_samples, args.large_nodes,
                      args.large_edges, args.sweeps):
        print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
