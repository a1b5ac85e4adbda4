"""JIT suite: numba compile time of each public entry point, in a process with an empty cache."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.registry import OURS, Context, suite
from connectome_motifs.motifs import dyad_census, triad_census, triad_participation
from connectome_motifs.nullmodels import (
    ConfigurationModel,
    ErdosRenyi,
    ProximityModel,
    ReciprocalErdosRenyi,
)

__all__ = ["run_jit"]


@suite("jit", "numba compile time: first call minus a warm call, empty NUMBA_CACHE_DIR",
       once=True, fresh_numba_cache=True)
def run_jit(ctx: Context) -> list[dict[str, Any]]:
    """Return one record per entry point: its compile time on the context's graph."""
    g = ctx.graph
    calls = {
        "dyad_census": lambda: dyad_census(g),
        "triad_census": lambda: triad_census(g),
        "triad_participation": lambda: triad_participation(g),
    }
    models = {"ER": ErdosRenyi, "gER": ReciprocalErdosRenyi, "CFG": ConfigurationModel}
    if g.positions is not None:
        models["PM"] = ProximityModel
    for alias, model in models.items():
        # Fitting compiles kernels too (the edge set of CFG): it is part of the call.
        calls[f"{alias} fit + sample"] = lambda model=model: model().fit(g).sample(0)
    records = []
    for name, call in calls.items():
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        records.append(ctx.record(
            "jit", name, OURS, seconds=max(times[0] - times[1], 0.0), comparable=False,
            note=f"first call {times[0]:.3g} s, warm call {times[1]:.3g} s (kernels "
                 "shared with an entry point above are compiled already)"))
    return records
