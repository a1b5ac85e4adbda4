"""Benchmark of the null-model samplers: swap throughput against igraph and NetworKit, and
1,000 configuration-model samples with their triad census on pinky100."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import igraph as ig
import networkit as nk
import numpy as np

from benchmarks.generators import lognormal_degrees
from graphs import SynapseGraph
from graphs.datasets.pinky100 import pinky100
from motifs import triad_census
from nullmodels import ConfigurationModel, ensemble
from nullmodels.kernels.edge_swaps import DEGREES, switch_and_hold
from nullmodels.kernels.random_bits import new_state

__all__ = ["format_table", "pinky_ensembles", "run_nullmodel_benchmarks", "swap_throughput"]


def _seconds(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def swap_throughput(graph: SynapseGraph, swaps_per_edge: float = 1.0) -> list[dict[str, Any]]:
    """Return the time per attempted swap of our CFG chain, igraph and NetworKit.

    Each library gets ``swaps_per_edge * m`` attempts on a copy of ``graph``; converting
    the graph is not timed. Our first (JIT) call is timed apart on a 1,000-step chain.
    GlobalCurveball does no swaps: its record is one global round (a trade per node pair
    of a random matching), reported per edge.
    """
    m = graph.n_edges
    steps = int(swaps_per_edge * m)
    model = ConfigurationModel().fit(graph)
    state = new_state(np.random.default_rng(0))

    def ours(n_steps: int) -> None:
        switch_and_hold(
            model._indptr, model._sources, model._targets.copy(), model._table.copy(),
            model._dense, graph.n, n_steps, model.triangle_probability, DEGREES,
            model._reciprocal_slot, state,
        )

    jit = _seconds(lambda: ours(1000))
    copy = _seconds(lambda: (model._targets.copy(), model._table.copy()))
    records = [{"benchmark": "swaps", "tool": "connectome-motifs CFG", "m": m,
                "attempts": steps, "seconds": _seconds(lambda: ours(steps)) - copy,
                "jit_seconds": jit}]
    pre, post = graph.edges()
    g_ig = ig.Graph(n=graph.n, edges=np.column_stack([pre, post]).tolist(), directed=True)
    records.append({"benchmark": "swaps", "tool": "igraph rewire(simple)", "m": m,
                    "attempts": steps,
                    "seconds": _seconds(lambda: g_ig.rewire(n=steps, allowed_edge_types="simple"))})
    g_nk = nk.Graph(graph.n, directed=True)
    g_nk.addEdges((pre.astype(np.uint64), post.astype(np.uint64)))
    switching = nk.randomization.EdgeSwitching(
        g_nk, numberOfSwapsPerEdge=swaps_per_edge, degreePreservingShufflePreprocessing=False
    )
    records.append({"benchmark": "swaps", "tool": "NetworKit EdgeSwitching", "m": m,
                    "attempts": steps, "seconds": _seconds(switching.run)})
    curveball = nk.randomization.GlobalCurveball(
        g_nk, number_of_global_rounds=1, allowSelfLoops=False,
        degreePreservingShufflePreprocessing=False,
    )
    records.append({"benchmark": "swaps", "tool": "NetworKit GlobalCurveball (1 round)",
                    "m": m, "attempts": m, "seconds": _seconds(curveball.run)})
    for r in records:
        r["ns_per_attempt"] = 1e9 * r["seconds"] / r["attempts"]
    return records


def pinky_ensembles(n_samples: int = 1000) -> list[dict[str, Any]]:
    """Return the time of ``n_samples`` CFG samples (burn-in 10 m each) on pinky100.

    For th100 and full: the JIT/first-call time (one sample and one census), the time of
    the samples alone (statistic: the edge count) and with the triad census, all cores.
    """
    records = []
    for name in ("th100", "full"):
        graph = pinky100(name)
        model = ConfigurationModel().fit(graph)
        jit = _seconds(lambda: triad_census(model.sample(0)))  # noqa: B023
        for statistic, label in ((lambda g: g.n_edges, "samples only"),
                                 (triad_census, "samples + triad census")):
            seconds = _seconds(lambda: ensemble(
                model, statistic, n_samples, seed=0, progress=False, diagnostics=False))  # noqa: B023
            records.append({"benchmark": f"{n_samples} CFG samples", "tool": label,
                            "graph": f"pinky100 {name}", "m": graph.n_edges,
                            "seconds": seconds, "jit_seconds": jit})
    return records


def run_nullmodel_benchmarks(swap_graph: SynapseGraph | None = None) -> list[dict[str, Any]]:
    """Return every benchmark record (swap throughput on a 3M-edge graph; pinky ensembles)."""
    if swap_graph is None:
        swap_graph = lognormal_degrees(100_000, 3_000_000, sigma=1.0, seed=0)
    swaps = swap_throughput(swap_graph)
    ours = swaps[0]["ns_per_attempt"]
    for r in swaps:
        r["speed_vs_ours"] = r["ns_per_attempt"] / ours
    return swaps + pinky_ensembles()


def format_table(records: list[dict[str, Any]]) -> str:
    """Return the records as a Markdown table."""
    columns = ["benchmark", "tool", "graph", "m", "attempts", "seconds", "ns_per_attempt",
               "speed_vs_ours", "jit_seconds"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for r in records:
        cells = []
        for c in columns:
            v = r.get(c, "")
            cells.append(f"{v:.4g}" if isinstance(v, float) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    """Run the benchmarks and print the table."""
    print(format_table(run_nullmodel_benchmarks()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
