"""Block-configuration suite: bCFG swap attempts against CFG's on the same graph, same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.measure import Timing
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph, node_groups
from connectome_motifs.nullmodels import ConfigurationModel
from connectome_motifs.nullmodels.block_configuration import BlockConfigurationModel
from connectome_motifs.nullmodels.block_models import group_connections

__all__ = ["RANDOM_GROUPS", "grouped", "run_block_swaps"]

#: Groups given at random to the cells of a graph whose node table has no cell types.
RANDOM_GROUPS = 20
# The node-table column of the random groups.
_RANDOM_COLUMN = "benchmark_group"


def grouped(g: SynapseGraph) -> tuple[SynapseGraph, str, str]:
    """Return ``g`` with a group column, that column's name, and how the groups were made.

    A node table with ``celltype`` (the larva) is used as it is; otherwise every cell is
    put in one of :data:`RANDOM_GROUPS` groups uniformly at random (seed 0). O(n + m).
    """
    if "celltype" in g.nodes.columns:
        return g, "celltype", "groups: the node table's cell types"
    rng = np.random.default_rng(0)
    nodes = g.nodes.copy()
    nodes[_RANDOM_COLUMN] = pd.Series(rng.integers(0, RANDOM_GROUPS, g.n)).map("g{:02d}".format)
    pre, post = g.edges()
    return (SynapseGraph.from_edges(pre, post, n=g.n, nodes=nodes), _RANDOM_COLUMN,
            f"groups: {RANDOM_GROUPS} random groups of cells")


def _interleaved(calls: dict[str, Callable[[], Any]], repeats: int,
                 max_seconds: float) -> dict[str, Timing]:
    """Return the timing of each call, their timed runs taken in turn, after a warm-up each.

    Taking the runs in turn rather than one call's after another's makes the calls share
    whatever else the machine is doing, so that their ratio is fairer than their times.
    """
    warm, times, last = {}, {name: [] for name in calls}, {}
    for name, call in calls.items():
        start = time.perf_counter()
        call()
        warm[name] = time.perf_counter() - start
    while min(len(t) for t in times.values()) < max(repeats, 1):
        for name, call in calls.items():
            start = time.perf_counter()
            last[name] = call()
            times[name].append(time.perf_counter() - start)
        if sum(map(sum, times.values())) > max_seconds:
            break
    return {name: Timing(statistics.median(t), min(t), max(t), len(t), None, warm[name],
                         last[name]) for name, t in times.items()}


@suite("block_swaps", "bCFG (degrees and block counts kept) vs CFG swap attempts, same graph "
                      "and run: time per attempt and acceptance")
def run_block_swaps(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of ``m`` attempts of bCFG's chain and of CFG's on the context's graph.

    Both are timed as ``sample`` with ``burn_in = m`` (chain, copy and row sort), their
    runs in turn, so the CFG record's ratio is CFG's time over bCFG's for the same
    attempts; the notes give each chain's acceptance rate over another ``m`` attempts
    (:meth:`~connectome_motifs.nullmodels.BlockConfigurationModel.mixing_diagnostics`).
    """
    g, column, how = grouped(ctx.graph)
    m = g.n_edges
    groups = node_groups(g, column)
    observed = group_connections(g, groups)[0]
    models = {OURS: BlockConfigurationModel(groups=column, burn_in=m).fit(g),
              "ours: CFG": ConfigurationModel(burn_in=m).fit(g)}
    timings = _interleaved({tool: (lambda model=model: model.sample(0))
                            for tool, model in models.items()}, ctx.repeats, ctx.max_seconds)
    records = []
    for tool, model in models.items():
        sample = timings[tool].result
        ok = (np.array_equal(sample.out_degree, g.out_degree)
              and np.array_equal(sample.in_degree, g.in_degree))
        detail = "in/out degrees kept" if ok else "degrees changed"
        if tool == OURS:
            kept = np.array_equal(group_connections(sample, groups)[0], observed)
            ok &= kept
            detail += "; block counts kept" if kept else "; block counts changed"
        acceptance = model.mixing_diagnostics(seed=1, n_checkpoints=1,
                                              spacing=max(m, 1)).acceptance_rate
        note = (f"{type(model).__name__}(burn_in=m).sample: chain + copy + row sort, runs "
                f"in turn with the other's; acceptance {acceptance:.3f}")
        if tool == OURS:
            note += (f"; {how}, {groups.n_groups} groups, {np.count_nonzero(observed)} "
                     "non-empty blocks")
        records.append(ctx.record("block_swaps", "edge swaps", tool, timings[tool],
                                  check=bool(ok), detail=detail, work=m, unit="swap attempts",
                                  note=note))
    return records
