"""DBCM and RBCM: expected constraints equal the observed, checked by summing pair probabilities."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from hypothesis import given, settings
from scipy.optimize import root

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.nullmodels import MaximumEntropySolverError
from connectome_motifs.nullmodels.maximum_entropy import (
    DirectedBinaryConfigurationModel,
    ReciprocalBinaryConfigurationModel,
)
from connectome_motifs.nullmodels.pair_states import BlockPairStateProbabilities
from tests.strategies import synapse_graphs

try:
    from NEMtropy import DirectedGraph
except ImportError:  # NEMtropy is no dependency; a node-level scipy solve stands in
    DirectedGraph = None
try:
    import NuMeTriS
except ImportError:
    NuMeTriS = None


def adjacency(g: SynapseGraph) -> np.ndarray:
    a = np.zeros((g.n, g.n))
    pre, post = g.edges()
    a[pre, post] = 1.0
    return a


def observed_degrees(g: SynapseGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return out-only, in-only and reciprocal degrees from the adjacency matrix."""
    a = adjacency(g)
    mutual = a * a.T
    return (a - mutual).sum(axis=1), (a - mutual).sum(axis=0), mutual.sum(axis=1)


def expected_degrees(states: BlockPairStateProbabilities):
    """Return expected out-only, in-only and reciprocal degrees by summing every pair."""
    one_way, reciprocal = states.dense()
    return one_way.sum(axis=1), one_way.sum(axis=0), reciprocal.sum(axis=1)


def from_matrix(a: np.ndarray) -> SynapseGraph:
    a = np.array(a, dtype=bool)
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    return SynapseGraph.from_edges(pre, post, n=a.shape[0])


@settings(max_examples=120, deadline=None)
@given(graph=synapse_graphs(max_nodes=12))
def test_dbcm_expected_degrees_equal_the_observed_by_brute_force(graph):
    model = DirectedBinaryConfigurationModel().fit(graph)
    states = model.pair_states_
    assert isinstance(states, BlockPairStateProbabilities) and states.n == graph.n
    out_only, in_only, mutual = expected_degrees(states)
    assert np.allclose(out_only + mutual, graph.out_degree, rtol=1e-10, atol=1e-10)
    assert np.allclose(in_only + mutual, graph.in_degree, rtol=1e-10, atol=1e-10)
    assert model.residual_ <= 1e-12
    # Blocks are the classes of equal (out, in) degree.
    assert model.n_classes_ == len(set(zip(graph.out_degree, graph.in_degree, strict=True)))
    # Zero degrees: multiplier 0 exactly; degree n - 1: infinite, every pair present.
    assert np.all(model.x_[graph.out_degree == 0] == 0.0)
    assert np.all(model.y_[graph.in_degree == 0] == 0.0)
    one_way, reciprocal = states.dense()
    off = ~np.eye(graph.n, dtype=bool)
    for i in np.flatnonzero((graph.out_degree == graph.n - 1) & (graph.n > 1)):
        assert np.isinf(model.x_[i])
        assert np.all((one_way + reciprocal)[i][off[i]] == 1.0)


@settings(max_examples=120, deadline=None)
@given(graph=synapse_graphs(max_nodes=12))
def test_rbcm_expected_degrees_equal_the_observed_by_brute_force(graph):
    model = ReciprocalBinaryConfigurationModel().fit(graph)
    expected = expected_degrees(model.pair_states_)
    for e, k in zip(expected, observed_degrees(graph), strict=True):
        assert np.allclose(e, k, rtol=1e-10, atol=1e-10)
    assert model.residual_ <= 1e-12
    out_only, in_only, mutual = observed_degrees(graph)
    assert np.all(model.x_[out_only == 0] == 0.0)
    assert np.all(model.y_[in_only == 0] == 0.0)
    assert np.all(model.z_[mutual == 0] == 0.0)
    assert model.n_classes_ == len(set(zip(out_only, in_only, mutual, strict=True)))


def test_pair_states_follow_the_papers_formulas_from_the_multipliers():
    # An interior graph (no zero or full degrees): every probability from x_, y_, z_.
    rng = np.random.default_rng(3)
    a = rng.random((30, 30)) < 0.3
    a |= a.T & (rng.random((30, 30)) < 0.5)
    g = from_matrix(a)
    off = ~np.eye(g.n, dtype=bool)
    dbcm = DirectedBinaryConfigurationModel().fit(g)
    t = np.outer(dbcm.x_, dbcm.y_)
    p = t / (1 + t)
    one_way, reciprocal = dbcm.pair_states_.dense()
    assert np.allclose(one_way[off], (p * (1 - p.T))[off], rtol=1e-13)
    assert np.allclose(reciprocal[off], (p * p.T)[off], rtol=1e-13)
    rbcm = ReciprocalBinaryConfigurationModel().fit(g)
    xy = np.outer(rbcm.x_, rbcm.y_)
    zz = np.outer(rbcm.z_, rbcm.z_)
    d = 1 + xy + xy.T + zz
    one_way, reciprocal = rbcm.pair_states_.dense()
    assert np.allclose(one_way[off], (xy / d)[off], rtol=1e-13)
    assert np.allclose(reciprocal[off], (zz / d)[off], rtol=1e-13)
    assert not rbcm.saturated_.any()


def test_pairs_forced_beyond_full_degrees_are_met():
    # Rows A, B send 3 edges each but only X, Y receive from more than them: A, B -> X, Y
    # are in every graph with these degrees and C, D -> Z, W in none (no finite
    # multipliers); no degree is full.
    a = np.zeros((8, 8), dtype=bool)
    A, B, C, D, X, Y, Z, W = range(8)
    for u, v in [(A, X), (A, Y), (A, Z), (B, X), (B, Y), (B, W), (C, X), (D, Y)]:
        a[u, v] = True
    g = from_matrix(a)
    model = DirectedBinaryConfigurationModel().fit(g)
    one_way, _ = model.pair_states_.dense()
    # Either fixed exactly (found by the linear program) or within the tolerance.
    assert one_way[A, X] >= 1 - 1e-10 and one_way[B, Y] >= 1 - 1e-10
    assert one_way[C, Z] <= 1e-10 and one_way[D, W] <= 1e-10
    assert np.allclose(one_way.sum(axis=1), g.out_degree, atol=1e-10)
    assert np.allclose(one_way.sum(axis=0), g.in_degree, atol=1e-10)


def test_nodes_linked_to_all_others_are_saturated_in_the_rbcm():
    a = np.zeros((6, 6), dtype=bool)
    a[0, 1:] = True
    a[[1, 2], 0] = True
    a[3, 4] = a[4, 5] = True
    g = from_matrix(a)
    model = ReciprocalBinaryConfigurationModel().fit(g)
    assert model.saturated_.tolist() == [True, False, False, False, False, False]
    one_way, reciprocal = model.pair_states_.dense()
    # Node 0's pairs are never unconnected.
    assert np.allclose((one_way + one_way.T + reciprocal)[0, 1:], 1.0)
    for e, k in zip(expected_degrees(model.pair_states_), observed_degrees(g), strict=True):
        assert np.allclose(e, k, atol=1e-10)


def node_level_dbcm(g: SynapseGraph) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y) by NEMtropy's dcm_exp Newton solver, else scipy's root per node."""
    if DirectedGraph is not None:
        graph = DirectedGraph(adjacency=adjacency(g))
        np.random.seed(0)  # noqa: NPY002 (NEMtropy starts from numpy's global state)
        with contextlib.redirect_stdout(io.StringIO()):
            graph.solve_tool(model="dcm_exp", method="newton", initial_guess="random",
                             max_steps=300, tol=1e-14, eps=1e-15)
        return graph.x, graph.y
    out, inn = g.out_degree.astype(float), g.in_degree.astype(float)
    live_out, live_in = out > 0, inn > 0

    def equations(theta):
        x = np.zeros(g.n)
        y = np.zeros(g.n)
        x[live_out] = np.exp(theta[: live_out.sum()])
        y[live_in] = np.exp(theta[live_out.sum():])
        t = np.outer(x, y)
        p = t / (1 + t)
        np.fill_diagonal(p, 0.0)
        return np.concatenate([p.sum(axis=1)[live_out] - out[live_out],
                               p.sum(axis=0)[live_in] - inn[live_in]])

    start = np.log(np.concatenate([out[live_out], inn[live_in]]) / np.sqrt(g.n_edges))
    theta = root(equations, start, method="hybr", tol=1e-14).x
    x = np.zeros(g.n)
    y = np.zeros(g.n)
    x[live_out] = np.exp(theta[: live_out.sum()])
    y[live_in] = np.exp(theta[live_out.sum():])
    return x, y


def test_dbcm_probabilities_equal_nemtropys_on_pinky_th100():
    g = pinky100("th100")
    x, y = node_level_dbcm(g)
    model = DirectedBinaryConfigurationModel().fit(g)
    ours = np.outer(model.x_, model.y_)
    theirs = np.outer(x, y)
    ours, theirs = ours / (1 + ours), theirs / (1 + theirs)
    off = ~np.eye(g.n, dtype=bool)
    live = off & (ours > 0)
    assert np.allclose(theirs[live], ours[live], rtol=1e-8, atol=0)
    assert np.all(theirs[off & (ours == 0)] < 1e-12)
    # Multipliers agree once the scale x -> x / s, y -> y s is matched.
    s = np.exp(np.mean(np.log(model.x_[model.x_ > 0] / x[model.x_ > 0])))
    assert np.allclose(x[model.x_ > 0] * s, model.x_[model.x_ > 0], rtol=1e-8)


def test_rbcm_probabilities_equal_numetris_on_a_graph_without_zero_degrees():
    # NuMeTriS has no zero multipliers: a graph where every node has every kind of pair.
    rng = np.random.default_rng(14)
    a = rng.random((24, 24)) < 0.3
    a |= a.T & (rng.random((24, 24)) < 0.4)
    g = from_matrix(a)
    out_only, in_only, mutual = observed_degrees(g)
    assert (out_only > 0).all() and (in_only > 0).all() and (mutual > 0).all()
    model = ReciprocalBinaryConfigurationModel().fit(g)
    n = g.n
    if NuMeTriS is not None:
        graph = NuMeTriS.Graph(adjacency=adjacency(g))
        with contextlib.redirect_stdout(io.StringIO()):
            graph.solver("RBCM", maxiter=50, tol=1e-13)
        x, y, z = np.split(np.exp(-graph.params), 3)
    else:
        def equations(theta):
            x, y, z = np.split(np.exp(theta), 3)
            xy, zz = np.outer(x, y), np.outer(z, z)
            d = 1 + xy + xy.T + zz
            one, both = xy / d, zz / d
            np.fill_diagonal(one, 0.0)
            np.fill_diagonal(both, 0.0)
            return np.concatenate([one.sum(1) - out_only, one.sum(0) - in_only,
                                   both.sum(1) - mutual])
        x, y, z = np.split(np.exp(root(equations, np.zeros(3 * n), tol=1e-14).x), 3)
    xy, zz = np.outer(x, y), np.outer(z, z)
    d = 1 + xy + xy.T + zz
    one_way, reciprocal = model.pair_states_.dense()
    off = ~np.eye(n, dtype=bool)
    assert np.allclose((xy / d)[off], one_way[off], rtol=1e-8, atol=0)
    assert np.allclose((zz / d)[off], reciprocal[off], rtol=1e-8, atol=0)


def test_samples_have_the_expected_degrees_on_average():
    rng = np.random.default_rng(2)
    a = rng.random((40, 40)) < 0.15
    a |= a.T & (rng.random((40, 40)) < 0.5)
    g = from_matrix(a)
    for model in (DirectedBinaryConfigurationModel().fit(g),
                  ReciprocalBinaryConfigurationModel().fit(g)):
        samples = model.sample_many(400, seed=1)
        out = np.mean([s.out_degree for s in samples], axis=0)
        # Each sample's out-degree has variance at most n / 4: 6 standard errors.
        assert np.all(np.abs(out - g.out_degree) <= 6 * np.sqrt(g.n / 4 / 400))
        mutual = np.mean([s.n_reciprocal_pairs for s in samples])
        if isinstance(model, ReciprocalBinaryConfigurationModel):
            assert abs(mutual - g.n_reciprocal_pairs) <= 6 * np.sqrt(g.n_edges / 400)


@pytest.mark.parametrize("tolerance", [0.0, 1.0, -1e-3, "1e-9"])
def test_invalid_tolerance_fails_at_fit(tolerance):
    g = from_matrix(np.ones((3, 3)))
    for model in (DirectedBinaryConfigurationModel(tolerance=tolerance),
                  ReciprocalBinaryConfigurationModel(tolerance=tolerance)):
        with pytest.raises(ValueError, match="tolerance"):
            model.fit(g)


def test_empty_and_tiny_graphs():
    for n in (0, 1, 2):
        g = SynapseGraph.from_edges([], [], n=n)
        for model in (DirectedBinaryConfigurationModel().fit(g),
                      ReciprocalBinaryConfigurationModel().fit(g)):
            assert model.pair_states_.n == n
            assert model.sample(seed=0).n_edges == 0
    assert issubclass(MaximumEntropySolverError, RuntimeError)
