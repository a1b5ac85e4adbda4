"""Footprint suite: time and peak memory per edge to load a graph, fit every model, sample."""

from __future__ import annotations

from typing import Any

from benchmarks.measure import measure
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph, load_graph, read_graph
from connectome_motifs.nullmodels import (
    ConfigurationModel,
    ErdosRenyi,
    ReciprocalConfigurationModel,
    ReciprocalErdosRenyi,
)

__all__ = ["run_footprint"]

# The models fitted and sampled; their fit must be O(m).
_MODELS = {
    "ER": ErdosRenyi,
    "gER": ReciprocalErdosRenyi,
    "CFG": ConfigurationModel,
    "gCFG": ReciprocalConfigurationModel,
}


def _bytes_per_edge(peak_mib: float | None, m: int) -> str:
    return "peak not measured" if peak_mib is None else (
        f"peak {peak_mib:,.0f} MiB above the start = {peak_mib * 2**20 / max(m, 1):.1f} B/edge")


@suite("footprint", "seconds and peak memory per edge: load (Parquet table, binary file), "
                    "fit of ER, gER, CFG and gCFG, one CFG sample of m steps")
def run_footprint(ctx: Context) -> list[dict[str, Any]]:
    """Return one record per stage, its peak memory above the stage's start in the note."""
    g = ctx.graph
    m = g.n_edges
    connected = int(((g.out_degree + g.in_degree) > 0).sum())
    records = []
    # The edge table names only the cells with a connection; the binary file holds them all.
    for task, load, nodes in (
            ("load Parquet table", lambda: read_graph(ctx.files["parquet"]), connected),
            ("load binary file", lambda: load_graph(ctx.files["npz"]), g.n)):
        timing = measure(load, 1, warmup=False, max_seconds=ctx.max_seconds)
        loaded: SynapseGraph = timing.result
        ok = loaded.n_edges == m and loaded.n == nodes
        records.append(ctx.record("footprint", task, OURS, timing, check=ok,
                                  detail=(f"{loaded.n:,} nodes, {loaded.n_edges:,} edges, as "
                                          f"expected: {ok}"),
                                  note=_bytes_per_edge(timing.peak_mib, m)))
        del loaded, timing
    for name, model in _MODELS.items():
        fitted = measure(lambda model=model: model().fit(g), 1, warmup=False,
                         max_seconds=ctx.max_seconds)
        records.append(ctx.record("footprint", f"fit {name}", OURS, fitted, check=True,
                                  detail="fitted", note=_bytes_per_edge(fitted.peak_mib, m)))
        del fitted
    cfg = ConfigurationModel(burn_in=m).fit(g)
    sample = measure(lambda: cfg.sample(0), 1, warmup=False, max_seconds=ctx.max_seconds)
    kept = (sample.result.out_degree == g.out_degree).all() and (
        sample.result.in_degree == g.in_degree).all()
    records.append(ctx.record("footprint", "CFG sample (m steps)", OURS, sample,
                              check=bool(kept), detail="degrees kept",
                              note=_bytes_per_edge(sample.peak_mib, m)))
    return records
