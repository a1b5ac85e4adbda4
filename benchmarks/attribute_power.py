"""Calibration and power of the attribute tests on spatial graphs with a planted effect.

``python -m benchmarks.attribute_power --out DIR`` writes ``attribute_power.csv`` (detection
rates with 95% intervals), ``attribute_power_replicates.csv`` (every test's p-value) and
``attribute_power.png``/``.svg`` (the power curves, the calibration band marked).

Graphs: cells uniform in a box at pinky100's soma density, each ordered pair connected
independently with ``p(d) (1 + epsilon s_ij)`` (clipped to 1), ``p(d)`` the exponential
distance model fitted to pinky100 and ``s_ij`` the attribute similarity of
:func:`connectome_motifs.nullmodels.attribute_tests.attribute_test`. Epsilon 0 is the null:
the share of p <= 0.05 is each method's size. Not a suite of the timing harness (it
measures statistics, not speed), so it registers none.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import Seed, as_generator
from connectome_motifs.nullmodels.kernels.random_bits import new_state
from connectome_motifs.nullmodels.kernels.spatial import sample_distance_dependent

__all__ = [
    "DENSITY_EPSILONS",
    "EPSILONS",
    "PINKY_BOX",
    "PINKY_CELLS",
    "PINKY_LENGTH_CONSTANT",
    "PINKY_P0",
    "planted_attribute_graph",
    "power_table",
    "run",
    "structure_function_study",
]

#: Pinky100's 363 somata span this box (the ranges of x, y, z in µm, y the depth axis).
PINKY_CELLS = 363
PINKY_BOX = (305.608, 168.464, 85.4)
#: ``p(d) = PINKY_P0 exp(-d / PINKY_LENGTH_CONSTANT)``: the exponential proximity model
#: (:class:`~connectome_motifs.nullmodels.ExponentialProximityModel`) fitted to
#: ``pinky100("full")``, 1,750 edges among 363 cells.
PINKY_P0 = 0.04546
PINKY_LENGTH_CONSTANT = 85.64
#: The planted effects of the power curves; 0 is the calibration.
EPSILONS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4)
#: Orientation values of the circular attribute: 16 steps over 180 degrees.
ORIENTATIONS = 16
ALPHA = 0.05
_NODES_PER_VOXEL = 16
_GENERATOR_RESOLUTION = 0.5
_SHUFFLE_CUBE = 50.0
_DISTANCE_RESOLUTION = 1.0


def _voxel_grid(positions: np.ndarray):
    """Return ``(members, voxel_start, voxel_coords, side)``: a cubic grid of ~16 cells a voxel."""
    low = positions.min(axis=0)
    extent = positions.max(axis=0) - low
    side = float((np.prod(extent) * _NODES_PER_VOXEL / len(positions)) ** (1 / 3))
    coords = np.floor((positions - low) / side).astype(np.int64)
    voxels, voxel_of = np.unique(coords, axis=0, return_inverse=True)
    voxel_of = voxel_of.ravel()
    members = np.argsort(voxel_of, kind="stable").astype(np.int64)
    start = np.concatenate(([0], np.cumsum(np.bincount(voxel_of, minlength=len(voxels)))))
    return members, start.astype(np.int64), voxels.astype(np.int64), side


def _range_max_table(values: np.ndarray) -> np.ndarray:
    """Return the sparse table whose row k holds the maxima of ``values`` over 2**k bins."""
    rows = [values]
    width = 1
    while 2 * width <= values.size:
        rows.append(np.maximum(rows[-1][:-width], rows[-1][width:]))
        width *= 2
    table = np.zeros((len(rows), values.size))
    for k, row in enumerate(rows):
        table[k, : row.size] = row
    return table


def planted_attribute_graph(
    n: int,
    *,
    epsilon: float,
    kind: str,
    seed: Seed = None,
    n_types: int = 4,
    depth_gradient: float = 0.0,
    p0: float = PINKY_P0,
    length_constant: float = PINKY_LENGTH_CONSTANT,
) -> SynapseGraph:
    """Return a spatial graph whose connection probability grows with attribute similarity.

    Parameters
    ----------
    n : int
        Cells, uniform in a box of pinky100's proportions and soma density
        (:data:`PINKY_BOX` holds :data:`PINKY_CELLS`), scaled by ``(n / 363) ** (1/3)``.
    epsilon : float
        The planted effect: ordered pair ``i -> j`` is connected independently with
        probability ``min(1, p(d_ij) (1 + epsilon s_ij))``; 0 for none. At least -1
        (categorical) or in [-1, 1] (circular, target), so that no probability is
        negative.
    kind : {"categorical", "circular", "target"}
        Categorical: column ``attribute`` holds one of ``n_types`` labels ``"t0"``,
        ``"t1"``..., uniformly; ``s_ij`` is 1 for the same label. Circular: an
        orientation in degrees, uniform on the 16 values ``k 180 / 16``; ``s_ij =
        cos(2 pi (a_i - a_j) / 180)``. Target: a value uniform on 16 levels in [-1, 1]
        and ``s_ij = a_j``, the postsynaptic cell's value, so that a cell's in-connection
        density grows with it (the structure–function test's effect).
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
    n_types : int
        Labels of a categorical attribute.
    depth_gradient : float
        In [0, 1]: the share of cells whose attribute is set by their depth (y) instead
        of drawn at random (label or orientation index ``floor(levels y / height)``), so
        that nearby cells are alike even with ``epsilon = 0``; a test that ignores space
        then finds a like-to-like effect that distance explains.
    p0, length_constant : float
        ``p(d) = p0 exp(-d / length_constant)``, d in µm (default: pinky100's fit).

    Returns
    -------
    SynapseGraph
        Node table ``id``, ``x``, ``y``, ``z`` (µm) and ``attribute``.

    Notes
    -----
    ``p(d)`` is evaluated at the centre of distance bins of 0.5 µm. Sampling walks a
    voxel grid with geometric skipping
    (:func:`~connectome_motifs.nullmodels.kernels.spatial.sample_distance_dependent`,
    the proximity model's exact sampler; the attribute levels are its groups), about
    O(n + V² + edges) for V voxels.

    Examples
    --------
    >>> g = planted_attribute_graph(363, epsilon=0.5, kind="categorical", seed=1)
    >>> g.n, sorted(g.nodes["attribute"].unique())
    (363, ['t0', 't1', 't2', 't3'])
    """
    if kind not in ("categorical", "circular", "target"):
        raise ValueError(f"kind must be 'categorical', 'circular' or 'target', not {kind!r}")
    if not 0.0 <= depth_gradient <= 1.0:
        raise ValueError(f"depth_gradient must lie in [0, 1], not {depth_gradient!r}")
    levels = n_types if kind == "categorical" else ORIENTATIONS
    low = -1.0
    high = np.inf if kind == "categorical" else 1.0  # circular, target: |s| <= 1
    if not low <= epsilon <= high:
        raise ValueError(f"epsilon must lie in [{low}, {high}] for a {kind} attribute")
    rng = as_generator(seed)
    box = np.asarray(PINKY_BOX) * (n / PINKY_CELLS) ** (1 / 3)
    positions = rng.random((n, 3)) * box
    codes = rng.integers(0, levels, size=n)
    by_depth = rng.random(n) < depth_gradient
    codes[by_depth] = np.minimum((levels * positions[by_depth, 1] / box[1]).astype(np.int64),
                                 levels - 1)
    codes = codes.astype(np.int32)
    if kind == "categorical":
        similar = np.eye(levels)
        attribute = pd.Series(np.array([f"t{c}" for c in range(levels)])[codes], dtype=object)
    elif kind == "circular":
        angle = np.arange(levels) * 180.0 / levels
        similar = np.cos(2 * np.pi * (angle[:, None] - angle[None, :]) / 180.0)
        attribute = pd.Series(angle[codes])
    else:  # the postsynaptic cell's value alone: its in-connection density follows it
        value = np.linspace(-1.0, 1.0, levels)
        similar = np.broadcast_to(value[None, :], (levels, levels))
        attribute = pd.Series(value[codes])
    n_bins = int(np.linalg.norm(box) / _GENERATOR_RESOLUTION) + 2
    p = p0 * np.exp(-(np.arange(n_bins) + 0.5) * _GENERATOR_RESOLUTION / length_constant)
    table = np.clip(p[None, :] * (1.0 + epsilon * similar.reshape(-1, 1)), 0.0, 1.0)
    pre, post = sample_distance_dependent(
        positions, codes, levels, np.ascontiguousarray(table), *_voxel_grid(positions),
        _range_max_table(table.max(axis=0)), _GENERATOR_RESOLUTION, 16 * n, new_state(rng))
    nodes = pd.DataFrame({"id": np.arange(n, dtype=np.int64), "x": positions[:, 0],
                          "y": positions[:, 1], "z": positions[:, 2],
                          "attribute": attribute})
    return SynapseGraph.from_edges(pre, post, n=n, nodes=nodes)


# -- the study -------------------------------------------------------------------------

#: Tests run on every replicate: label -> attribute_test settings.
METHODS = {
    "shuffle, 50 µm cubes": {"method": "shuffle", "bins": _SHUFFLE_CUBE},
    "distance, 1 µm bins": {"method": "distance", "resolution": _DISTANCE_RESOLUTION},
}
#: The spatially structured null adds a global shuffle, which ignores space.
GLOBAL = {"shuffle, global": {"method": "shuffle", "bins": None}}


def _row(size: int, scenario: str, kind: str, method: str, epsilon: float, replicate: int,
         graph: SynapseGraph, result) -> dict:
    """Return one replicate's row of a study's replicates table."""
    return {"size": size, "scenario": scenario, "kind": kind, "method": method,
            "epsilon": epsilon, "replicate": replicate, "edges": graph.n_edges,
            "statistic": result.statistic, "z": result.z, "p_two_sided": result.p_two_sided,
            "p_greater": result.p_greater}


def _write_tables(rows: list[dict], replicates: Path, power: Path, permutations: int,
                  started: float) -> pd.DataFrame:
    """Write the replicates and their :func:`power_table` as CSV; return the power table."""
    frame = pd.DataFrame(rows).sort_values(
        ["size", "scenario", "kind", "method", "epsilon", "replicate"]).reset_index(drop=True)
    frame.to_csv(replicates, index=False)
    table = power_table(frame)
    table["permutations"] = permutations
    table["seconds_total"] = round(time.perf_counter() - started, 1)
    table.to_csv(power, index=False)
    return table


def _replicates(job: tuple) -> list[dict]:
    """Run one batch of replicates of one setting (in a worker process)."""
    from connectome_motifs.graphs.threads import numba_threads
    from connectome_motifs.nullmodels.attribute_tests import attribute_test

    size, scenario, kind, epsilon, gradient, first, count, key, permutations = job
    methods = {**METHODS, **(GLOBAL if gradient > 0 else {})}
    rows = []
    with numba_threads(1):
        for replicate in range(first, first + count):
            seed = np.random.SeedSequence(20261218, spawn_key=(*key, replicate))
            graph_seed, test_seed = seed.spawn(2)
            graph = planted_attribute_graph(size, epsilon=epsilon, kind=kind, seed=graph_seed,
                                            depth_gradient=gradient)
            period = 180.0 if kind == "circular" else None
            for label, settings in methods.items():
                result = attribute_test(graph, "attribute", kind=kind, period=period,
                                        n_permutations=permutations, seed=test_seed,
                                        **settings)
                rows.append(_row(size, scenario, kind, label, epsilon, replicate, graph,
                                 result))
    return rows


def _jobs(sizes, kinds, epsilons, null_replicates, replicates, permutations, batch,
          gradient_replicates, gradient_sizes):
    jobs = []
    for size in sizes:
        for k, kind in enumerate(kinds):
            for e, epsilon in enumerate(epsilons):
                total = null_replicates if epsilon == 0 else replicates
                for first in range(0, total, batch):
                    jobs.append((size, "independent", kind, epsilon, 0.0, first,
                                 min(batch, total - first), (size, 0, k, e), permutations))
            if gradient_replicates and size in gradient_sizes:
                for first in range(0, gradient_replicates, batch):
                    jobs.append((size, "depth gradient", kind, 0.0, 0.5, first,
                                 min(batch, gradient_replicates - first), (size, 1, k, 0),
                                 permutations))
    return jobs


def power_table(replicates: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Return the detection rate at ``alpha`` and its 95% Clopper–Pearson interval per setting.

    One row per size, scenario, kind, method, epsilon and alternative (``"two-sided"``,
    ``"greater"``): ``replicates``, ``detections``, ``rate``, ``ci_low``, ``ci_high``,
    ``mean_edges``.
    """
    rows = []
    keys = ["size", "scenario", "kind", "method", "epsilon"]
    for values, group in replicates.groupby(keys, sort=True):
        for alternative, column in (("two-sided", "p_two_sided"), ("greater", "p_greater")):
            hits = int((group[column] <= alpha).sum())
            total = len(group)
            interval = binomtest(hits, total).proportion_ci(0.95, method="exact")
            rows.append({**dict(zip(keys, values, strict=True)), "alternative": alternative,
                         "alpha": alpha, "replicates": total, "detections": hits,
                         "rate": hits / total, "ci_low": interval.low,
                         "ci_high": interval.high, "mean_edges": group["edges"].mean()})
    return pd.DataFrame(rows)


def run(out: Path, *, sizes=(PINKY_CELLS, 5000), kinds=("categorical", "circular"),
        epsilons=EPSILONS, null_replicates: int = 1000, replicates: int = 200,
        gradient_replicates: int = 1000, gradient_sizes=(PINKY_CELLS,),
        permutations: int = 199, workers: int = 2, batch: int = 20) -> pd.DataFrame:
    """Run the study, write its CSVs and figure into ``out``; return the power table.

    Every setting of size, kind and epsilon gets ``replicates`` fresh graphs
    (``null_replicates`` at epsilon 0), each tested by every method of :data:`METHODS`
    with ``permutations`` permutations; the spatially structured null (half of the cells'
    attribute set by depth, epsilon 0) gets ``gradient_replicates`` graphs at the sizes
    ``gradient_sizes``, tested by the global shuffle too. Replicate ``r`` of a setting is
    seeded by its key, so results do not depend on ``workers`` or ``batch``.
    """
    from connectome_motifs.motifs.plots.attribute_tests import plot_power_curves
    from connectome_motifs.motifs.plots.saving import save_figure

    out.mkdir(parents=True, exist_ok=True)
    jobs = _jobs(sizes, kinds, epsilons, null_replicates, replicates, permutations, batch,
                 gradient_replicates, tuple(gradient_sizes))
    # Largest graphs first, so that the pool ends on short jobs.
    jobs.sort(key=lambda job: -job[0])
    started = time.perf_counter()
    rows = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for k, batch_rows in enumerate(pool.map(_replicates, jobs)):
            rows.extend(batch_rows)
            if (k + 1) % 25 == 0 or k + 1 == len(jobs):
                print(f"{k + 1}/{len(jobs)} batches, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
    table = _write_tables(rows, out / "attribute_power_replicates.csv",
                          out / "attribute_power.csv", permutations, started)
    save_figure(plot_power_curves(table), out / "attribute_power")
    return table


#: Planted effects of the structure–function study; 0 is its calibration.
DENSITY_EPSILONS = (0.0, 0.05, 0.1, 0.2, 0.4)
_DENSITY_RADIUS = 100.0


def _density_replicates(job: tuple) -> list[dict]:
    """Run one batch of structure–function replicates (in a worker process)."""
    from connectome_motifs.graphs.threads import numba_threads
    from connectome_motifs.nullmodels.attribute_tests import structure_function_test

    size, epsilon, first, count, key, permutations = job
    rows = []
    with numba_threads(1):
        for replicate in range(first, first + count):
            seed = np.random.SeedSequence(20261203, spawn_key=(*key, replicate))
            graph_seed, test_seed = seed.spawn(2)
            graph = planted_attribute_graph(size, epsilon=epsilon, kind="target",
                                            seed=graph_seed)
            for label, bins in (("shuffle, 50 µm cubes", _SHUFFLE_CUBE),
                                ("shuffle, global", None)):
                result = structure_function_test(graph, "attribute", radius=_DENSITY_RADIUS,
                                                 bins=bins, n_permutations=permutations,
                                                 seed=test_seed)
                rows.append(_row(size, "independent", "structure-function", label, epsilon,
                                 replicate, graph, result))
    return rows


def structure_function_study(out: Path, *, sizes=(PINKY_CELLS,), epsilons=DENSITY_EPSILONS,
                             null_replicates: int = 1000, replicates: int = 200,
                             permutations: int = 199, workers: int = 2,
                             batch: int = 50) -> pd.DataFrame:
    """Run the structure–function study; write its CSVs into ``out``; return its table.

    Graphs of :func:`planted_attribute_graph` with ``kind="target"`` (connection
    probability ``p(d) (1 + epsilon a_j)``, ``a_j`` the postsynaptic cell's value), each
    tested by :func:`~connectome_motifs.nullmodels.attribute_tests.structure_function_test`
    with a radius of 100 µm, shuffling within 50 µm cubes and globally. Writes
    ``structure_function_power.csv`` (:func:`power_table`) and
    ``structure_function_replicates.csv``.
    """
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(size, epsilon, first, min(batch, total - first), (size, 2, e), permutations)
            for size in sizes for e, epsilon in enumerate(epsilons)
            for total in [null_replicates if epsilon == 0 else replicates]
            for first in range(0, total, batch)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = [row for part in pool.map(_density_replicates, jobs) for row in part]
    return _write_tables(rows, out / "structure_function_replicates.csv",
                         out / "structure_function_power.csv", permutations, started)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.attribute_power --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.attribute_power",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", default=f"{PINKY_CELLS},5000")
    parser.add_argument("--kinds", default="categorical,circular")
    parser.add_argument("--epsilons", default=",".join(map(str, EPSILONS)))
    parser.add_argument("--null-replicates", type=int, default=1000)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--gradient-replicates", type=int, default=1000,
                        help="replicates of the spatially structured null (0: none)")
    parser.add_argument("--gradient-sizes", default=str(PINKY_CELLS))
    parser.add_argument("--permutations", type=int, default=199)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--structure-function", action="store_true",
                        help="run the structure-function study instead (sizes, replicates, "
                             "permutations and workers as given; its own epsilons)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.structure_function:
        table = structure_function_study(
            args.out, sizes=[int(s) for s in args.sizes.split(",")],
            null_replicates=args.null_replicates, replicates=args.replicates,
            permutations=args.permutations, workers=args.workers)
        shown = table[table["alternative"] == "two-sided"]
        print(shown[["size", "method", "epsilon", "replicates", "rate", "ci_low",
                     "ci_high"]].to_string(index=False))
        return 0
    table = run(args.out, sizes=[int(s) for s in args.sizes.split(",")],
                kinds=args.kinds.split(","),
                epsilons=[float(e) for e in args.epsilons.split(",")],
                null_replicates=args.null_replicates, replicates=args.replicates,
                gradient_replicates=args.gradient_replicates,
                gradient_sizes=[int(s) for s in args.gradient_sizes.split(",") if s],
                permutations=args.permutations, workers=args.workers)
    shown = table[table["alternative"] == "two-sided"]
    print(shown[["size", "scenario", "kind", "method", "epsilon", "replicates", "rate",
                 "ci_low", "ci_high"]].to_string(index=False))
    print(f"wall time {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
