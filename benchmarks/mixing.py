"""Mixing per second: how fast each degree-keeping sampler forgets the observed graph.

Each sampler runs one chain from the observed graph, with a checkpoint after every round
(ours with global switching, NetworKit's GlobalCurveball) or every m / 2 attempts (our
single swaps, NetworKit's EdgeSwitching). At each checkpoint the fraction of the
observed edges still present (the edge overlap) and the number of reciprocal pairs, which
the degrees do not fix, are recorded. The chain's time per checkpoint is measured
separately, without the checkpoints' bookkeeping, so that the figures are per second of
sampling:

- *forget*: the time until the overlap's excess over its stationary level (the mean of
  the last third of the trace) has fallen to 1/e of its start;
- *tau*: the integrated autocorrelation time of the reciprocal pairs over the second half
  of the trace, in seconds.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator
from typing import Any

import networkit as nk
import numpy as np

from benchmarks.measure import measure
from benchmarks.nullmodels import networkit_graph
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import ConfigurationModel
from connectome_motifs.nullmodels.diagnostics import (
    autocorrelation,
    integrated_autocorrelation_time,
)

__all__ = ["CHECKPOINTS", "run_mixing"]

#: Checkpoints of each chain after its start.
CHECKPOINTS = 60


def _keys(pre: np.ndarray, post: np.ndarray, n: int) -> np.ndarray:
    return np.sort(pre.astype(np.int64) * n + post)


def _reciprocal_pairs(keys: np.ndarray, n: int) -> int:
    reverse = (keys % n) * n + keys // n
    position = np.minimum(np.searchsorted(keys, reverse), keys.size - 1)
    return int((keys[position] == reverse).sum()) // 2 if keys.size else 0


def _networkit_edges(h: nk.Graph) -> tuple[np.ndarray, np.ndarray]:
    # iterEdges is compiled; networkit.algebraic.adjacencyMatrix fills a matrix in Python.
    flat = np.fromiter(itertools.chain.from_iterable(h.iterEdges()), dtype=np.int64,
                       count=2 * h.numberOfEdges())
    return flat[0::2], flat[1::2]


def _curveball_round(h: nk.Graph) -> nk.Graph:
    run = nk.randomization.GlobalCurveball(h, number_of_global_rounds=1, allowSelfLoops=False,
                                           degreePreservingShufflePreprocessing=True)
    run.run()
    return run.getGraph()


def _ours(g: SynapseGraph, switching: str) -> tuple[Iterator, Callable[[], Any], str]:
    model = ConfigurationModel(switching=switching, chains=None).fit(g)
    m = g.n_edges
    gap = model.round_steps_ if switching == "global" else max(m // 2, 1)
    timed_steps = 10 * gap

    def chain() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for sample in model.walk(7, itertools.repeat(gap)):
            yield sample.edges()

    timed = ConfigurationModel(burn_in=timed_steps, switching=switching, chains=None).fit(g)
    what = (f"one round ({gap:,} steps)" if switching == "global" else f"{gap:,} steps")
    return chain(), lambda: timed.sample(0), f"{what} per checkpoint; timed over 10"


def _edge_switching(g: SynapseGraph) -> tuple[Iterator, Callable[[], Any], str]:
    h = networkit_graph(g)

    def chain() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        while True:
            nk.randomization.EdgeSwitchingInPlace(h, 0.5).run()
            yield _networkit_edges(h)

    copy = networkit_graph(g)
    return (chain(), lambda: nk.randomization.EdgeSwitchingInPlace(copy, 5.0).run(),
            f"{g.n_edges // 2:,} attempts per checkpoint; timed over 10")


def _curveball(g: SynapseGraph) -> tuple[Iterator, Callable[[], Any], str]:
    def chain() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        h = networkit_graph(g)
        while True:
            h = _curveball_round(h)
            yield _networkit_edges(h)

    start = networkit_graph(g)

    def ten_rounds() -> None:
        h = start
        for _ in range(10):
            h = _curveball_round(h)

    return (chain(), ten_rounds, "one global round (each a new GlobalCurveball with its "
            "degree-preserving shuffle) per checkpoint; timed over 10")


SAMPLERS = {
    OURS: lambda g: _ours(g, "global"),
    f"{OURS} (single swaps)": lambda g: _ours(g, "single"),
    "NetworKit GlobalCurveball": _curveball,
    "NetworKit EdgeSwitching": _edge_switching,
}


def trace(g: SynapseGraph, chain: Iterator, checkpoints: int = CHECKPOINTS
          ) -> tuple[np.ndarray, np.ndarray, bool]:
    """Return the edge overlap and the reciprocal pairs at the start and each checkpoint,
    and whether every checkpoint's graph was simple with the observed degrees."""
    observed = _keys(*g.edges(), g.n)
    overlap, reciprocal = [1.0], [g.n_reciprocal_pairs]
    kept = True
    for pre, post in itertools.islice(chain, checkpoints):
        keys = _keys(pre, post, g.n)
        kept &= bool(
            keys.size == g.n_edges and (pre != post).all() and (np.diff(keys) > 0).all()
            and np.array_equal(np.bincount(pre, minlength=g.n), g.out_degree)
            and np.array_equal(np.bincount(post, minlength=g.n), g.in_degree))
        overlap.append(np.isin(keys, observed, assume_unique=True).sum() / max(g.n_edges, 1))
        reciprocal.append(_reciprocal_pairs(keys, g.n))
    return np.array(overlap), np.array(reciprocal, dtype=float), kept


def forgetting_checkpoints(overlap: np.ndarray) -> float:
    """Checkpoints until the overlap's excess over its last third's mean is 1/e of the start.

    Linear between the last checkpoint above that level and the first at or below it.
    """
    level = overlap[-max(len(overlap) // 3, 1):].mean()
    excess = overlap - level
    target = excess[0] / math.e
    below = np.flatnonzero(excess <= target)
    if not below.size or below[0] == 0:
        return math.nan if not below.size else 0.0
    k = below[0]
    return float(k - 1 + (excess[k - 1] - target) / (excess[k - 1] - excess[k]))


def reciprocal_tau_checkpoints(reciprocal: np.ndarray) -> float:
    """Integrated autocorrelation time of the trace's second half, in checkpoints."""
    half = reciprocal[len(reciprocal) // 2:]
    return integrated_autocorrelation_time(autocorrelation(half, max_lag=len(half) // 4))


@suite("mixing", "mixing per second of degree-keeping samplers: edge overlap with the "
                 "observed graph and autocorrelation of the reciprocal pairs; CFG (global "
                 "and single switching) vs NetworKit GlobalCurveball and EdgeSwitching")
def run_mixing(ctx: Context) -> list[dict[str, Any]]:
    """Return two records per sampler: seconds to forget the graph, and tau in seconds.

    A task's records are comparable (have ratios) only when ours could be measured.
    """
    g = ctx.graph
    records = []
    for tool, make in SAMPLERS.items():
        chain, timed_run, what = make(g)
        started = time.perf_counter()
        overlap, reciprocal, kept = trace(g, chain)
        traced = time.perf_counter() - started
        timing = measure(timed_run, 1, warmup=tool.startswith(OURS),
                         max_seconds=ctx.max_seconds)
        per_checkpoint = timing.median / 10
        detail = (f"every checkpoint simple with the degrees: {kept}; {what}: "
                  f"{per_checkpoint:.3g} s; overlap after 1, 5, {CHECKPOINTS} checkpoints "
                  f"{overlap[1]:.3f}, {overlap[5]:.3f}, {overlap[-1]:.3f}; reciprocal pairs "
                  f"{reciprocal[0]:,.0f} -> {reciprocal[-1]:,.0f}; trace {traced:.0f} s")
        for task, checkpoints in (
                ("forget the observed edges (overlap excess to 1/e)",
                 forgetting_checkpoints(overlap)),
                ("tau of the reciprocal pairs", reciprocal_tau_checkpoints(reciprocal))):
            records.append(ctx.record("mixing", task, tool, seconds=checkpoints * per_checkpoint,
                                      work=checkpoints, unit="checkpoints", check=kept,
                                      detail=detail))
    ours = {r["task"]: r["seconds"] for r in records if r["tool"] == OURS}
    for r in records:
        r["comparable"] = bool(math.isfinite(ours[r["task"]]) and math.isfinite(r["seconds"]))
    return records
