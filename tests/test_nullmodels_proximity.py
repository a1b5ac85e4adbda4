"""The proximity model's p(d) estimates agree with their definitions on random positions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import ProximityModel


def placed_graph(n: int, seed: int, scale: float = 40.0) -> SynapseGraph:
    """Random positions; pairs connect more often when close (so p(d) decreases)."""
    rng = np.random.default_rng(seed)
    xyz = rng.uniform(0, scale, size=(n, 3))
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
    a = rng.random((n, n)) < 0.6 * np.exp(-d / 15)
    np.fill_diagonal(a, False)
    nodes = pd.DataFrame({"id": np.arange(n), "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]})
    return SynapseGraph.from_edges(*np.nonzero(a), n=n, nodes=nodes)


def window_by_definition(graph: SynapseGraph, window: float, drop_axis: int | None):
    """For each ordered pair: connected ordered pairs / all ordered pairs within d ± window."""
    xyz = graph.positions
    if drop_axis is not None:
        xyz = np.delete(xyz, drop_axis, axis=1)
    n = graph.n
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
    a = np.zeros((n, n), dtype=bool)
    pre, post = graph.edges()
    a[pre, post] = True
    off = ~np.eye(n, dtype=bool)
    p = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                near = off & (np.abs(d - d[i, j]) <= window)
                p[i, j] = a[near].sum() / near.sum()
    return p


@settings(max_examples=40)
@given(n=st.integers(2, 18), seed=st.integers(0, 2**32 - 1), window=st.floats(0.5, 30),
       lateral=st.booleans(), axis=st.integers(0, 2))
def test_window_estimate_matches_its_definition(n, seed, window, lateral, axis):
    graph = placed_graph(n, seed)
    model = ProximityModel(window=window, lateral=lateral, depth_axis=axis).fit(graph)
    expected = window_by_definition(graph, window, axis if lateral else None)
    assert model.pair_probabilities_ == pytest.approx(expected, abs=1e-12)
    assert model.distance_window_ == window
    states = model.pair_states_
    p = model.pair_probabilities_
    assert states.reciprocal == pytest.approx(p * p.T)
    assert states.one_way == pytest.approx(p * (1 - p.T))


def test_window_by_hand():
    # Distances 0-1: 5, 0-2: 50, 1-2: 45. Window 10: pair 0-1 alone in its window,
    # one of its two ordered pairs connected -> 1/2; pairs 0-2 and 1-2 share a window
    # with no edges -> 0.
    nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    model = ProximityModel().fit(SynapseGraph.from_edges([0], [1], nodes=nodes))
    assert model.pair_probabilities_.tolist() == [[0, 0.5, 0], [0.5, 0, 0], [0, 0, 0]]
    assert model.distances_[0, 2] == 50.0
    assert model.connection_probability([5.0, 47.0, 200.0])[:2].tolist() == [0.5, 0.0]
    assert np.isnan(model.connection_probability(200.0))


def test_lateral_distance_ignores_the_depth_axis():
    nodes = pd.DataFrame({"id": [0, 1], "x": [0.0, 3.0], "y": [0.0, 100.0], "z": [0.0, 4.0]})
    graph = SynapseGraph.from_edges([0], [1], nodes=nodes)
    assert ProximityModel(lateral=True).fit(graph).distances_[0, 1] == 5.0
    assert ProximityModel(lateral=True, depth_axis=2).fit(graph).distances_[0, 1] == \
        pytest.approx(np.hypot(3.0, 100.0))


def test_logistic_fit_solves_the_score_equations():
    # At the maximum-likelihood estimate the score is zero: sum (y - 2 p) = 0 and
    # sum d (y - 2 p) = 0 over unordered pairs with y connections out of 2 trials.
    graph = placed_graph(60, 3)
    model = ProximityModel(estimator="logistic").fit(graph)
    iu = np.triu_indices(graph.n, 1)
    a = np.zeros((graph.n, graph.n))
    a[graph.edges()] = 1
    y = (a + a.T)[iu]
    d = model.distances_[iu]
    p = expit(model.coefficients_[0] + model.coefficients_[1] * d)
    assert np.sum(y - 2 * p) == pytest.approx(0, abs=1e-3)
    assert np.sum(d * (y - 2 * p)) / d.mean() == pytest.approx(0, abs=1e-3)
    assert model.coefficients_[1] < 0
    assert model.pair_probabilities_[iu] == pytest.approx(p)


def test_isotonic_fit_is_non_increasing_and_keeps_the_edge_count():
    graph = placed_graph(60, 4)
    model = ProximityModel(estimator="isotonic").fit(graph)
    iu = np.triu_indices(graph.n, 1)
    d = model.distances_[iu]
    p = model.pair_probabilities_[iu][np.argsort(d, kind="stable")]
    assert np.all(np.diff(p) <= 1e-12)
    # Pool-adjacent-violators keeps each pooled block's total, hence the grand total.
    assert model.pair_probabilities_.sum() == pytest.approx(graph.n_edges)


def test_sample_edge_frequencies_follow_the_pair_probabilities():
    graph = placed_graph(25, 5)
    model = ProximityModel().fit(graph)
    p = model.pair_probabilities_
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
