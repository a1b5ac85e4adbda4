"""Seeded random graphs for the benchmarks: ER, heavy-tailed with reciprocity, spatial, pinky100."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import Seed, as_generator

__all__ = [
    "GRAPHS",
    "SCALES",
    "GraphSpec",
    "erdos_renyi",
    "larva",
    "lognormal_degrees",
    "pinky_full",
    "pinky_th100",
    "spatial",
]

def _distinct_keys(keys: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Return the distinct non-loop edge keys ``pre * n + post``, in order of first draw."""
    keys = keys[keys // n != keys % n]
    _, first = np.unique(keys, return_index=True)
    return keys[np.sort(first)]


def erdos_renyi(n: int, m: int, seed: Seed = None) -> SynapseGraph:
    """Return a uniformly random simple directed graph with ``n`` nodes and exactly ``m`` edges.

    Parameters
    ----------
    n, m : int
        Nodes and edges; ``m <= n (n - 1)``.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None

    Returns
    -------
    SynapseGraph

    Raises
    ------
    ValueError
        If ``m`` exceeds the ``n (n - 1)`` ordered pairs.

    Notes
    -----
    The G(n, m) model: ``m`` of the ``n (n - 1)`` ordered pairs without replacement,
    O(m log m).

    Examples
    --------
    >>> erdos_renyi(100, 500, seed=1).n_edges
    500
    """
    pairs = n * (n - 1)
    if not 0 <= m <= pairs:
        raise ValueError(f"m must lie in 0..{pairs} for n = {n}, got {m}")
    rng = as_generator(seed)
    keys = rng.choice(pairs, size=m, replace=False)
    pre = keys // max(n - 1, 1)
    post = keys % max(n - 1, 1)
    post += post >= pre
    return SynapseGraph.from_edges(pre, post, n=n)


def lognormal_degrees(
    n: int, m: int, sigma: float = 1.0, reciprocity_factor: float = 10.0, seed: Seed = None
) -> SynapseGraph:
    """Return a directed graph with heavy-tailed in- and out-degrees and extra reciprocal pairs.

    Parameters
    ----------
    n, m : int
        Nodes and edges (exactly ``m``; ``m`` should be well below ``n (n - 1)``).
    sigma : float, default 1.0
        Shape of the lognormal node weights; larger is heavier-tailed.
    reciprocity_factor : float, default 10.0
        Target number of reciprocal pairs as a multiple of an ER graph's expectation,
        ``m² / (2 n (n - 1))``.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None

    Returns
    -------
    SynapseGraph

    Notes
    -----
    Each node gets independent lognormal out- and in-weights; an edge's source is drawn
    in proportion to out-weight and its target to in-weight (a Chung–Lu-style model,
    so expected degrees follow the weights). First ``reciprocity_factor`` times the
    ER number of reciprocal pairs are drawn and added both ways, then one-way edges
    until ``m`` distinct edges exist. Vectorised: O(m log m); 100,000 nodes and
    3,000,000 edges take a few seconds.

    Examples
    --------
    >>> g = lognormal_degrees(1000, 20000, seed=1)
    >>> g.n_edges
    20000
    """
    rng = as_generator(seed)
    out_p = rng.lognormal(0.0, sigma, n)
    in_p = rng.lognormal(0.0, sigma, n)
    out_p /= out_p.sum()
    in_p /= in_p.sum()
    er_mutual = m * m / (2 * n * (n - 1)) if n > 1 else 0.0
    n_mutual = min(round(reciprocity_factor * er_mutual), m // 2)
    pre = rng.choice(n, size=n_mutual, p=out_p)
    post = rng.choice(n, size=n_mutual, p=in_p)
    keys = _distinct_keys(np.concatenate([pre * n + post, post * n + pre]), n)
    while keys.size < m:
        extra = int((m - keys.size) * 1.1) + 16
        pre = rng.choice(n, size=extra, p=out_p)
        post = rng.choice(n, size=extra, p=in_p)
        keys = _distinct_keys(np.concatenate([keys, pre * n + post]), n)
    keys = keys[:m]
    return SynapseGraph.from_edges(keys // n, keys % n, n=n)


def spatial(
    n: int,
    box: tuple[float, float, float] = (250.0, 140.0, 90.0),
    p_max: float = 0.3,
    length_constant: float = 50.0,
    seed: Seed = None,
) -> SynapseGraph:
    """Return a directed graph of random points in a box, linked with distance-decaying probability.

    Parameters
    ----------
    n : int
        Nodes, placed uniformly in the box.
    box : (float, float, float), default (250, 140, 90)
        Box side lengths in µm (default: about the pinky100 volume).
    p_max : float, default 0.3
        Connection probability at distance 0.
    length_constant : float, default 50.0
        ``p(d) = p_max exp(-d / length_constant)``, ``d`` in µm; each ordered pair is
        connected independently.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None

    Returns
    -------
    SynapseGraph
        Node table with ``id`` and soma positions ``x``, ``y``, ``z`` in µm.

    Notes
    -----
    Pairs farther apart than ``12 length_constant`` (where ``p < 1e-5 p_max``) are
    skipped; pairs within are found with a k-d tree. Time O(n log n + number of close
    pairs).

    Examples
    --------
    >>> g = spatial(200, seed=1)
    >>> g.positions.shape
    (200, 3)
    """
    rng = as_generator(seed)
    points = rng.random((n, 3)) * np.asarray(box, dtype=float)
    close = cKDTree(points).query_pairs(12 * length_constant, output_type="ndarray")
    i, j = close[:, 0].astype(np.int64), close[:, 1].astype(np.int64)
    p = p_max * np.exp(-np.linalg.norm(points[i] - points[j], axis=1) / length_constant)
    forward = rng.random(p.size) < p
    backward = rng.random(p.size) < p
    pre = np.concatenate([i[forward], j[backward]])
    post = np.concatenate([j[forward], i[backward]])
    nodes = pd.DataFrame({"id": np.arange(n, dtype=np.int64), "x": points[:, 0],
                          "y": points[:, 1], "z": points[:, 2]})
    return SynapseGraph.from_edges(pre, post, n=n, nodes=nodes)


def pinky_th100() -> SynapseGraph:
    """Return the bundled MICrONS pinky100 th100 graph (111 cells with axon > 100 µm).

    Examples
    --------
    >>> pinky_th100().n
    111
    """
    from connectome_motifs.graphs.datasets import pinky100

    return pinky100("th100")


def pinky_full() -> SynapseGraph:
    """Return the bundled MICrONS pinky100 graph of all 363 pyramidal cells.

    Examples
    --------
    >>> pinky_full().n
    363
    """
    from connectome_motifs.graphs.datasets import pinky100

    return pinky100("full")


def larva() -> SynapseGraph:
    """Return the bundled Drosophila larva connectome (2,952 neurons, 17 cell types).

    Examples
    --------
    >>> larva().n
    2952
    """
    from connectome_motifs.graphs.datasets import larva as bundled

    return bundled()


@dataclass(frozen=True)
class GraphSpec:
    """A benchmark input: its name, scale, how it is made, and a description.

    Attributes
    ----------
    name : str
    scale : str
        One of :data:`SCALES`, ``"1M"`` (run only when named with ``--graphs`` or
        ``--scales 1M``) or ``"custom"`` (a user's file).
    build : callable
        Returns the graph; seeded, so every call gives the same graph.
    description : str
    """

    name: str
    scale: str
    build: Callable[[], SynapseGraph]
    description: str


#: The three benchmark scales, smallest first.
SCALES = ("pinky", "10k", "100k")

# The spatial graph keeps pinky100's cell density (363 cells in 250 x 140 x 90 µm) at
# 5,000 cells; p_max = 0.1 and a 50 µm length
# constant give many times the reciprocal pairs of an ER graph, as distance-dependent
# wiring does.
_SPATIAL_BOX = (600.0, 336.0, 216.0)
# The proofread minnie65 subset of the scale issue: 6,548 cells with soma positions and
# 115,379 connections, pairs up to ~1.4 mm apart.
_MINNIE_BOX = (1000.0, 800.0, 500.0)

#: The benchmark graphs, name -> GraphSpec. ER graphs and heavy-tailed graphs (lognormal
#: in- and out-degrees, 10x the ER number of reciprocal pairs) at the sizes of the census
#: issue, pinky100 itself, and a spatial graph for the distance model.
GRAPHS: dict[str, GraphSpec] = {spec.name: spec for spec in (
    GraphSpec("pinky_th100", "pinky", pinky_th100, "MICrONS pinky100, th100 subgraph"),
    GraphSpec("pinky_full", "pinky", pinky_full, "MICrONS pinky100, all 363 cells"),
    GraphSpec("larva", "10k", larva,
              "Drosophila larva brain (Winding et al. 2023): 2,952 neurons, 110,140 "
              "connections, cell types in 'celltype'"),
    GraphSpec("er_10k_200k", "10k", lambda: erdos_renyi(10_000, 200_000, seed=0),
              "ER G(n, m), n = 10,000, m = 200,000"),
    GraphSpec("lognormal_10k_200k", "10k",
              lambda: lognormal_degrees(10_000, 200_000, sigma=1.0, seed=0),
              "lognormal in/out degrees (sigma 1), 10x ER reciprocity"),
    GraphSpec("spatial_5k", "10k",
              lambda: spatial(5_000, box=_SPATIAL_BOX, p_max=0.1, length_constant=50.0,
                              seed=0),
              "cells in a box at pinky100 density, p(d) = 0.1 exp(-d / 50 µm)"),
    GraphSpec("spatial_6500", "10k",
              lambda: spatial(6_548, box=_MINNIE_BOX, p_max=0.295, length_constant=60.0,
                              seed=0),
              "a MICrONS minnie65-like subset: 6,548 cells in 1 x 0.8 x 0.5 mm, ~115,000 "
              "connections, p(d) = 0.295 exp(-d / 60 µm)"),
    GraphSpec("lognormal_128k_2600k", "100k",
              lambda: lognormal_degrees(128_000, 2_600_000, sigma=1.0, seed=0),
              "FlyWire-sized: 128,000 nodes, 2.6 M edges, lognormal in/out degrees (sigma 1)"),
    GraphSpec("er_100k_3M", "100k", lambda: erdos_renyi(100_000, 3_000_000, seed=0),
              "ER G(n, m), n = 100,000, m = 3,000,000"),
    GraphSpec("lognormal_100k_3M", "100k",
              lambda: lognormal_degrees(100_000, 3_000_000, sigma=1.0, seed=0),
              "lognormal in/out degrees (sigma 1), 10x ER reciprocity"),
    GraphSpec("lognormal_1M_30M", "1M",
              lambda: lognormal_degrees(1_000_000, 30_000_000, sigma=1.0, seed=0),
              "lognormal in/out degrees (sigma 1), 10x ER reciprocity, 30 M edges"),
)}
