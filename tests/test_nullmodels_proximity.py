"""The proximity model's p(d) estimates agree with their definitions on random positions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import ProximityModel, proximity


def placed_graph(n: int, seed: int, scale: float = 40.0) -> SynapseGraph:
    """Random positions; pairs connect more often when close (so p(d) decreases)."""
    rng = np.random.default_rng(seed)
    xyz = rng.uniform(0, scale, size=(n, 3))
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
    a = rng.random((n, n)) < 0.6 * np.exp(-d / 15)
    np.fill_diagonal(a, False)
    nodes = pd.DataFrame({"id": np.arange(n), "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]})
    return SynapseGraph.from_edges(*np.nonzero(a), n=n, nodes=nodes)


def pair_distances(graph: SynapseGraph, drop_axis: int | None = None) -> np.ndarray:
    xyz = graph.positions
    if drop_axis is not None:
        xyz = np.delete(xyz, drop_axis, axis=1)
    return np.sqrt(((xyz[:, None] - xyz[None]) ** 2).sum(axis=2))


def window_by_definition(graph: SynapseGraph, window: float, drop_axis: int | None,
                         resolution: float) -> np.ndarray:
    """Per ordered pair: connected / all ordered pairs whose bin is within the window's."""
    n = graph.n
    bins = np.floor(pair_distances(graph, drop_axis) / resolution)
    half = round(window / resolution)
    a = np.zeros((n, n), dtype=bool)
    pre, post = graph.edges()
    a[pre, post] = True
    off = ~np.eye(n, dtype=bool)
    p = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                near = off & (np.abs(bins - bins[i, j]) <= half)
                p[i, j] = a[near].sum() / near.sum()
    return p


@settings(max_examples=40)
@given(n=st.integers(2, 18), seed=st.integers(0, 2**32 - 1), window=st.floats(0.5, 30),
       lateral=st.booleans(), axis=st.integers(0, 2), resolution=st.sampled_from([0.1, 1.0]))
def test_window_estimate_matches_its_definition(n, seed, window, lateral, axis, resolution):
    graph = placed_graph(n, seed)
    model = ProximityModel(window=window, lateral=lateral, depth_axis=axis,
                           resolution=resolution).fit(graph)
    expected = window_by_definition(graph, window, axis if lateral else None, resolution)
    p = model.pair_probabilities()
    assert p == pytest.approx(expected, abs=1e-12)
    assert model.distance_window_ == pytest.approx(round(window / resolution) * resolution)
    states = model.pair_states_
    assert states.reciprocal == pytest.approx(p * p.T)
    assert states.one_way == pytest.approx(p * (1 - p.T))


def test_window_by_hand():
    # Distances 0-1: 5, 0-2: 50, 1-2: 45. Window 10: pair 0-1 alone in its window,
    # one of its two ordered pairs connected -> 1/2; pairs 0-2 and 1-2 share a window
    # with no edges -> 0.
    nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    model = ProximityModel().fit(SynapseGraph.from_edges([0], [1], nodes=nodes))
    assert model.pair_probabilities().tolist() == [[0, 0.5, 0], [0.5, 0, 0], [0, 0, 0]]
    assert np.flatnonzero(model.pair_counts_).tolist() == [50, 450, 500]
    assert model.connected_counts_.sum() == 1
    assert model.connection_probability([5.0, 47.0, 200.0])[:2].tolist() == [0.5, 0.0]
    assert np.isnan(model.connection_probability(200.0))


def test_lateral_distance_ignores_the_depth_axis():
    nodes = pd.DataFrame({"id": [0, 1], "x": [0.0, 3.0], "y": [0.0, 100.0], "z": [0.0, 4.0]})
    graph = SynapseGraph.from_edges([0], [1], nodes=nodes)
    lateral = ProximityModel(lateral=True, resolution=1.0).fit(graph)
    assert np.flatnonzero(lateral.pair_counts_).tolist() == [5]
    other_axis = ProximityModel(lateral=True, depth_axis=2, resolution=1.0).fit(graph)
    assert np.flatnonzero(other_axis.pair_counts_).tolist() == [int(np.hypot(3.0, 100.0))]


def test_logistic_fit_solves_the_score_equations():
    # At the maximum-likelihood estimate of the binned model the score is zero:
    # sum (y - 2 p) = 0 and sum d (y - 2 p) = 0 over unordered pairs with y connections
    # out of 2 trials, d and p at the centre of each pair's bin.
    graph = placed_graph(60, 3)
    model = ProximityModel(estimator="logistic", resolution=0.5).fit(graph)
    iu = np.triu_indices(graph.n, 1)
    a = np.zeros((graph.n, graph.n))
    a[graph.edges()] = 1
    y = (a + a.T)[iu]
    d = (np.floor(pair_distances(graph)[iu] / 0.5) + 0.5) * 0.5
    p = expit(model.coefficients_[0] + model.coefficients_[1] * d)
    assert np.sum(y - 2 * p) == pytest.approx(0, abs=1e-3)
    assert np.sum(d * (y - 2 * p)) / d.mean() == pytest.approx(0, abs=1e-3)
    assert model.coefficients_[1] < 0
    assert model.pair_probabilities()[iu] == pytest.approx(p)


def test_isotonic_fit_is_non_increasing_and_keeps_the_edge_count():
    graph = placed_graph(60, 4)
    model = ProximityModel(estimator="isotonic").fit(graph)
    iu = np.triu_indices(graph.n, 1)
    d = pair_distances(graph)[iu]
    p = model.pair_probabilities()
    assert np.all(np.diff(p[iu][np.argsort(d, kind="stable")]) <= 1e-12)
    # Pool-adjacent-violators keeps each pooled block's total, hence the grand total.
    assert p.sum() == pytest.approx(graph.n_edges)


@pytest.mark.parametrize("nodes_per_voxel", [1, 3, 16])
def test_sample_edge_frequencies_follow_the_pair_probabilities(monkeypatch, nodes_per_voxel):
    # Few nodes per voxel make many voxel pairs, with bounds that differ from pair to pair.
    monkeypatch.setattr(proximity, "_NODES_PER_VOXEL", nodes_per_voxel)
    graph = placed_graph(25, 5)
    model = ProximityModel().fit(graph)
    p = model.pair_probabilities()
    draws = 2000
    seen = np.zeros_like(p)
    reciprocal = 0
    for sample in model.sample_many(draws, seed=1):
        seen[sample.edges()] += 1
        reciprocal += sample.n_reciprocal_pairs
    total_se = np.sqrt((p * (1 - p)).sum() / draws)
    assert abs(seen.sum() / draws - p.sum()) <= 4 * total_se
    iu = np.triu_indices(graph.n, 1)
    q = (p * p.T)[iu]
    assert abs(reciprocal / draws - q.sum()) <= 4 * np.sqrt((q * (1 - q)).sum() / draws)
    se = np.sqrt(p * (1 - p) / draws)
    assert np.mean(np.abs(seen / draws - p) <= 4 * se + 1e-12) > 0.99


@pytest.mark.parametrize("layout", ["one point", "a line", "a plane"])
def test_complete_graph_is_resampled_exactly_whatever_the_layout(layout):
    # p = 1 at every distance: each sample is the complete digraph, every voxel pair
    # included, also when the positions span fewer than three dimensions.
    n = 12
    rng = np.random.default_rng(0)
    xyz = np.zeros((n, 3))
    if layout != "one point":
        xyz[:, 0] = rng.uniform(0, 100, n)
    if layout == "a plane":
        xyz[:, 1] = rng.uniform(0, 100, n)
    nodes = pd.DataFrame({"id": np.arange(n), "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]})
    pre, post = np.nonzero(~np.eye(n, dtype=bool))
    graph = SynapseGraph.from_edges(pre, post, nodes=nodes)
    sample = ProximityModel(window=500.0).fit(graph).sample(seed=2)
    assert sample.n_edges == n * (n - 1)
