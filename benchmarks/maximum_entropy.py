"""Maximum-entropy suite: DBCM and RBCM solve time, ours vs NEMtropy (DBCM) and NuMeTriS (RBCM)."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np
from NEMtropy import DirectedGraph
from NuMeTriS import Graph as NumetrisGraph

from benchmarks.measure import measure
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.expected import expected_triad_census
from connectome_motifs.nullmodels.maximum_entropy import (
    DirectedBinaryConfigurationModel,
    ReciprocalBinaryConfigurationModel,
)

__all__ = ["run_maximum_entropy"]

# Agreement asked of a peer's probabilities, relative, where ours are positive; NuMeTriS
# keeps zero degrees at small finite multipliers, so it is held to less.
_NEMTROPY_AGREEMENT = 1e-8
_NUMETRIS_AGREEMENT = 1e-6
# NuMeTriS loops over all n² pairs in Python-compiled code and solves a dense 3n x 3n
# Newton system: it runs on an induced subgraph of at most this many nodes.
_NUMETRIS_NODES = 400


def _residual_check(model) -> tuple[bool, str]:
    ok = model.residual_ <= 1e-10
    return ok, (f"largest relative error of an expected degree {model.residual_:.2g}; "
                f"{model.n_classes_:,} classes, {model.iterations_} Newton steps")


def _dbcm_probabilities(x, y) -> np.ndarray:
    t = np.outer(x, y)
    p = t / (1 + t)
    np.fill_diagonal(p, 0.0)
    return p


def _agree(ours: np.ndarray, theirs: np.ndarray, rtol: float) -> tuple[bool, str]:
    live = ours > 0
    worst = float(np.max(np.abs(theirs - ours)[live] / ours[live], initial=0.0))
    return worst <= rtol, f"probabilities equal ours to {worst:.2g} relative (asked {rtol:g})"


def _nemtropy(sub: SynapseGraph) -> DirectedGraph:
    graph = DirectedGraph(degree_sequence=np.concatenate(
        [sub.out_degree, sub.in_degree]).astype(np.float64))
    np.random.seed(0)  # noqa: NPY002 (its random start draws from numpy's global state)
    with contextlib.redirect_stdout(io.StringIO()):
        graph.solve_tool(model="dcm_exp", method="newton", initial_guess="random",
                         max_steps=300, tol=1e-12, eps=1e-14)
    return graph


def _numetris(sub: SynapseGraph) -> NumetrisGraph:
    a = np.zeros((sub.n, sub.n))
    pre, post = sub.edges()
    a[pre, post] = 1.0
    graph = NumetrisGraph(adjacency=a)
    with contextlib.redirect_stdout(io.StringIO()):
        graph.solver("RBCM", maxiter=50, tol=1e-12)
    return graph


def _numetris_check(graph: NumetrisGraph, sub: SynapseGraph) -> tuple[bool, str]:
    n = sub.n
    x, y, z = np.split(np.exp(-graph.params), 3)
    xy, zz = np.outer(x, y), np.outer(z, z)
    d = 1 + xy + xy.T + zz
    one_way, reciprocal = ReciprocalBinaryConfigurationModel().fit(sub).pair_states_.dense()
    off = ~np.eye(n, dtype=bool)
    ok1, detail = _agree(one_way[off], (xy / d)[off], _NUMETRIS_AGREEMENT)
    ok2, _ = _agree(reciprocal[off], (zz / d)[off], _NUMETRIS_AGREEMENT)
    return ok1 and ok2, detail + "; zero degrees at finite multipliers"


@suite("maxent", "DBCM / RBCM maximum-entropy fit (class-level Newton-CG) vs NEMtropy "
                 "dcm_exp Newton and NuMeTriS RBCM; DBCM fit + expected triad census")
def run_maximum_entropy(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of fitting DBCM and RBCM by us and by the peers."""
    g = ctx.graph
    records = []
    t = measure(lambda: DirectedBinaryConfigurationModel().fit(g), ctx.repeats,
                max_seconds=ctx.max_seconds)
    ok, detail = _residual_check(t.result)
    records.append(ctx.record("maxent", "DBCM fit", OURS, t, check=ok, detail=detail))
    dbcm = t.result

    def nemtropy_check(graph: DirectedGraph, sub: SynapseGraph) -> tuple[bool, str]:
        model = dbcm if sub is g else DirectedBinaryConfigurationModel().fit(sub)
        return _agree(_dbcm_probabilities(model.x_, model.y_),
                      _dbcm_probabilities(graph.x, graph.y), _NEMTROPY_AGREEMENT)

    records.append(ctx.budgeted_on_subgraph(
        "maxent", "DBCM fit", "NEMtropy", lambda sub: sub, _nemtropy, nemtropy_check,
        lambda sub: float(sub.n) ** 2, 2))
    records[-1]["note"] = ("dcm_exp, Newton on its degree classes; "
                           + records[-1]["note"]).rstrip("; ")

    t = measure(lambda: ReciprocalBinaryConfigurationModel().fit(g), ctx.repeats,
                max_seconds=ctx.max_seconds)
    ok, detail = _residual_check(t.result)
    records.append(ctx.record("maxent", "RBCM fit", OURS, t, check=ok, detail=detail))
    records.append(ctx.budgeted_on_subgraph(
        "maxent", "RBCM fit", "NuMeTriS", lambda sub: sub, _numetris, _numetris_check,
        lambda sub: float(sub.n) ** 3, 3, probe_work=float(_NUMETRIS_NODES) ** 3,
        max_work=float(_NUMETRIS_NODES) ** 3))
    records[-1]["note"] = ("dense Newton over nodes; " + records[-1]["note"]).rstrip("; ")

    def fit_and_expect():
        model = DirectedBinaryConfigurationModel().fit(g)
        return model, expected_triad_census(model)

    t = measure(fit_and_expect, 1, warmup=False, max_seconds=ctx.max_seconds)
    model, expected = t.result
    total = g.n * (g.n - 1) * (g.n - 2) / 6
    ok = bool(np.isclose(expected.sum(), total, rtol=1e-9))
    records.append(ctx.record("maxent", "DBCM fit + expected triad census", OURS, t,
                              check=ok, detail=f"expected counts sum to C(n, 3); "
                                               f"{model.n_classes_:,} blocks",
                              comparable=False, note="no peer computes it"))
    return records
