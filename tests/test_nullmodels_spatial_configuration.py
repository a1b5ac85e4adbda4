"""sCFG keeps every degree and samples the proximity model conditioned on them (χ² tests)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import MissingPositionsError, NotFittedError, ensemble
from connectome_motifs.nullmodels import spatial_configuration as module
from connectome_motifs.nullmodels.spatial_configuration import SpatialConfigurationModel
from tests.strategies import synapse_graphs


def placed(graph: SynapseGraph, xyz: np.ndarray) -> SynapseGraph:
    """Return ``graph`` with soma positions ``xyz`` (µm)."""
    nodes = pd.DataFrame({"id": np.arange(graph.n) * 3 + 1, "x": xyz[:, 0], "y": xyz[:, 1],
                          "z": xyz[:, 2]})
    pre, post = graph.edges()
    return SynapseGraph.from_edges(pre, post, n=graph.n, nodes=nodes)


def on_a_line(n: int, edges: list[tuple[int, int]], x: list[float]) -> SynapseGraph:
    xyz = np.zeros((n, 3))
    xyz[:, 0] = x
    return placed(SynapseGraph.from_edges(*zip(*edges, strict=True), n=n), xyz)


def edge_set(graph: SynapseGraph) -> frozenset[tuple[int, int]]:
    pre, post = graph.edges()
    return frozenset(zip(pre.tolist(), post.tolist(), strict=True))


def realisations(graph: SynapseGraph) -> list[frozenset[tuple[int, int]]]:
    """Every simple digraph with the graph's in- and out-degrees (brute force over rows)."""
    n = graph.n
    rows = [itertools.combinations([u for u in range(n) if u != v], int(graph.out_degree[v]))
            for v in range(n)]
    found = []
    for choice in itertools.product(*rows):
        in_degree = np.zeros(n, dtype=np.int64)
        for targets in choice:
            in_degree[list(targets)] += 1
        if np.array_equal(in_degree, graph.in_degree):
            found.append(frozenset((v, u) for v, targets in enumerate(choice) for u in targets))
    return found


def conditioned_weights(model: SpatialConfigurationModel, graphs) -> np.ndarray:
    """Each graph's probability under the fitted proximity model, up to one factor.

    By the proximity model's definition, Π p over the edges times Π (1 - p) over the
    unconnected ordered pairs, p from its public ``connection_probability`` at the pairs'
    distances (computed here; NaN read as 0, as it samples them). Over graphs with the
    same degrees these are the conditioned law's weights.
    """
    xyz = model.graph_.positions
    n = model.graph_.n
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    d = np.array([np.linalg.norm(xyz[i] - xyz[j]) for i, j in pairs])
    p = np.nan_to_num(model.distance_model_.connection_probability(d), nan=0.0)
    return np.array([float(np.prod([p[k] if pair in edges else 1.0 - p[k]
                                    for k, pair in enumerate(pairs)])) for edges in graphs])


def random_positions(n: int, seed: int, coincident: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    xyz = rng.uniform(0, 60, size=(n, 3))
    if coincident and n >= 2:
        xyz[1] = xyz[0]
    return xyz


@settings(max_examples=80, deadline=None)
@given(
    graph=synapse_graphs(max_nodes=20),
    seed=st.integers(0, 2**32 - 1),
    burn_in=st.sampled_from([None, 0, 1, 37, 400]),
    triangle_probability=st.sampled_from([0.0, 0.1, 0.9]),
    estimator=st.sampled_from(["logistic", "window", "isotonic"]),
    lateral=st.booleans(),
    coincident=st.booleans(),
)
def test_samples_keep_every_degree_exactly_and_stay_simple(
    graph, seed, burn_in, triangle_probability, estimator, lateral, coincident
):
    graph = placed(graph, random_positions(graph.n, seed % 1000, coincident))
    model = SpatialConfigurationModel(estimator=estimator, lateral=lateral, burn_in=burn_in,
                                      triangle_probability=triangle_probability).fit(graph)
    assert model.burn_in_ == (10 * graph.n_edges if burn_in is None else burn_in)
    for sample in [model.sample(seed), *model.chain(seed, 3, spacing=25)]:
        assert np.array_equal(sample.out_degree, graph.out_degree)
        assert np.array_equal(sample.in_degree, graph.in_degree)
        pre, post = sample.edges()
        assert np.all(pre != post)
        assert np.unique(pre.astype(np.int64) * graph.n + post).size == graph.n_edges
        pd.testing.assert_frame_equal(sample.nodes, graph.nodes)
        assert np.all(sample.out_weights == 1)


CASES = {
    # name: (n, edges, x positions in µm on a line, whole µm so that distances are exact).
    # Positions where the logistic fit makes the realisations' weights differ by a factor
    # of 10 to 30 (found by a seeded search), so that the χ² tests have power.
    # Two realisations, {0->1, 2->3} and {0->3, 2->1}, one 2-swap apart.
    "two-edges": (4, [(0, 1), (2, 3)], [96.0, 72.0, 54.0, 28.0]),
    # The two directed 3-cycles: same pairs, same weight, only triangle reversals connect them.
    "three-cycle": (3, [(0, 1), (1, 2), (2, 0)], [0.0, 3.0, 40.0]),
    # Every pair one-way: p = 1/2 at every distance, so the law is uniform, as CFG's.
    "four-nodes": (4, [(0, 1), (1, 2), (2, 0), (0, 3), (3, 2), (1, 3)], [0.0, 3.0, 40.0, 9.0]),
    "five-nodes-reciprocal": (5, [(0, 1), (1, 0), (1, 2), (2, 3), (3, 1), (3, 4), (4, 0), (2, 4)],
                              [78.0, 31.0, 37.0, 69.0, 60.0]),
    "five-nodes-two-pairs": (5, [(0, 1), (1, 0), (2, 3), (3, 2), (1, 2), (3, 4), (4, 0)],
                             [60.0, 69.0, 44.0, 49.0, 98.0]),
}
FLAT = ("three-cycle", "four-nodes")


def visits(model: SpatialConfigurationModel, n_samples: int, seed: int):
    codes = [edge_set(model.sample(s)) for s in np.random.SeedSequence(seed).spawn(n_samples)]
    return codes


def chi_square_against(codes, support, weights) -> float:
    """p-value of the visit counts against the weights; every visit must be in the support."""
    assert set(codes) <= set(support)
    counts = np.array([sum(c == g for c in codes) for g in support])
    expected = weights / weights.sum() * len(codes)
    return float(stats.chisquare(counts, expected).pvalue)


@pytest.mark.parametrize("case", [c for c in CASES if c != "two-edges"])
def test_chain_samples_the_proximity_model_given_the_degrees(case):
    n, edges, x = CASES[case]
    graph = on_a_line(n, edges, x)
    model = SpatialConfigurationModel(burn_in=100 * len(edges)).fit(graph)
    support = realisations(graph)
    weights = conditioned_weights(model, support)
    assert (weights > 0).all()
    n_samples = max(2000, 100 * len(support))
    codes = visits(model, n_samples, 1234)
    assert chi_square_against(codes, support, weights) > 1e-3
    if case not in FLAT:
        # The test has power: the same visits are far from CFG's uniform law.
        assert weights.max() / weights.min() > 10.0
        uniform = np.ones(len(support))
        assert chi_square_against(codes, support, uniform) < 1e-6


def test_the_two_realisation_case_by_hand():
    # Realisations {0->1, 2->3} and {0->3, 2->1}; the chain alternates between them with
    # Metropolis ratio w01 w23 / (w03 w21), w = p / (1 - p) of the logistic fit, whose
    # coefficients give p(d) = expit(b0 + b1 (bin centre)).
    n, edges, x = CASES["two-edges"]
    graph = on_a_line(n, edges, x)
    model = SpatialConfigurationModel(burn_in=200).fit(graph)
    b0, b1 = model.distance_model_.coefficients_
    res = model.resolution

    def odds(d):
        return np.exp(b0 + b1 * (np.floor(d / res) + 0.5) * res)

    observed = odds(24.0) * odds(26.0)  # 0->1 at 24 µm, 2->3 at 26 µm
    swapped = odds(68.0) * odds(18.0)  # 0->3 at 68 µm, 2->1 at 18 µm
    share = observed / (observed + swapped)
    assert share > 0.9  # the logistic slope makes them differ
    codes = visits(model, 4000, 5)
    hits = sum(c == edge_set(graph) for c in codes)
    assert stats.binomtest(hits, len(codes), share).pvalue > 1e-3


def test_zero_probability_realisations_are_never_visited():
    # The window estimator with a narrow window leaves bins without edges at p = 0: the
    # realisations with an edge there have weight 0, the chain never goes there, and it
    # samples the others by their weights.
    n, edges, x = CASES["five-nodes-reciprocal"]
    graph = on_a_line(n, edges, x)
    model = SpatialConfigurationModel(estimator="window", window=3.0, burn_in=2000).fit(graph)
    support = realisations(graph)
    weights = conditioned_weights(model, support)
    # Counted by the reference: 68 of the 86 realisations have weight 0, and the others
    # weights 1 to 20 apart.
    assert (weights == 0).sum() == 68 and (weights > 0).sum() == 18
    positive = [g for g, w in zip(support, weights, strict=True) if w > 0]
    codes = visits(model, 3000, 77)
    assert chi_square_against(codes, positive, weights[weights > 0]) > 1e-3


class Code:
    """The statistic of an ensemble that names each sample's realisation."""

    def __init__(self, support) -> None:
        self.support = support
        self.__name__ = "code"

    def __call__(self, graph: SynapseGraph) -> int:
        return self.support.index(edge_set(graph))


def test_shared_chains_of_an_ensemble_sample_the_same_law():
    # As an ensemble draws them by default: 10 chains, burn-in and spacing from the pilot.
    n, edges, x = CASES["five-nodes-reciprocal"]
    graph = on_a_line(n, edges, x)
    model = SpatialConfigurationModel().fit(graph)
    support = realisations(graph)
    weights = conditioned_weights(model, support)
    result = ensemble(model, Code(support), 3000, seed=99, executor=1, progress=False,
                      diagnostics=False)
    assert result.params.n_chains == 10
    codes = [support[k] for k in result.samples["code"].to_numpy()]
    assert chi_square_against(codes, support, weights) > 1e-3


def test_seeds_reproduce_and_walks_start_at_the_observed_graph():
    n, edges, x = CASES["five-nodes-reciprocal"]
    graph = on_a_line(n, edges, x)
    model = SpatialConfigurationModel().fit(graph)
    a = model.sample(seed=11)
    assert a.equals(model.sample(seed=11))
    assert a.equals(model.sample(seed=np.random.SeedSequence(11)))
    draws = [edge_set(model.sample(seed=s)) for s in range(10)]
    assert len(set(draws)) > 1
    many = model.sample_many(3, seed=4)
    children = np.random.SeedSequence(4).spawn(3)
    assert all(g.equals(model.sample(c)) for g, c in zip(many, children, strict=True))
    assert edge_set(next(model.walk(0, [0]))) == edge_set(graph)
    chain = list(model.chain(3, 4, spacing=10, burn_in=50))
    again = list(model.chain(3, 4, spacing=10, burn_in=50))
    assert len(chain) == 4 and all(x.equals(y) for x, y in zip(chain, again, strict=True))


def test_mixing_diagnostics():
    rng = np.random.default_rng(2)
    a = rng.random((30, 30)) < 0.15
    np.fill_diagonal(a, False)
    graph = placed(SynapseGraph.from_edges(*np.nonzero(a), n=30), rng.uniform(0, 80, (30, 3)))
    model = SpatialConfigurationModel(burn_in=3 * graph.n_edges).fit(graph)
    diagnostics = model.mixing_diagnostics(seed=1, n_checkpoints=20)
    assert diagnostics.steps.tolist() == [k * graph.n_edges for k in range(21)]
    assert diagnostics.edge_overlap[0] == 1.0
    assert diagnostics.edge_overlap[-1] < 0.9
    assert 0.0 < diagnostics.acceptance_rate < 1.0
    assert diagnostics.burn_in == model.burn_in_
    assert diagnostics.edge_overlap_after_burn_in == diagnostics.edge_overlap[3]
    with pytest.raises(ValueError, match="spacing"):
        model.mixing_diagnostics(spacing=0)
    empty = placed(SynapseGraph.from_edges([], [], n=3), np.zeros((3, 3)))
    quiet = SpatialConfigurationModel().fit(empty).mixing_diagnostics(seed=0, n_checkpoints=2)
    assert quiet.edge_overlap.tolist() == [1.0, 1.0, 1.0]


def test_without_positions_or_settings_fit_fails_clearly():
    graph = SynapseGraph.from_edges([0, 1], [1, 2])
    assert "needs soma positions" in SpatialConfigurationModel.unmet_requirement(graph)
    with pytest.raises(MissingPositionsError, match=r"sCFG\) needs soma positions"):
        SpatialConfigurationModel().fit(graph)
    nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 1.0, np.nan], "y": 0.0, "z": 0.0})
    with pytest.raises(MissingPositionsError, match="node index 2"):
        SpatialConfigurationModel().fit(SynapseGraph.from_edges([0, 1], [1, 2], nodes=nodes))
    placed_graph = on_a_line(3, [(0, 1), (1, 2)], [0.0, 1.0, 2.0])
    for settings_, message in [({"burn_in": -1}, "burn_in"),
                               ({"triangle_probability": 1.0}, "triangle_probability"),
                               ({"chains": 0}, "chains"),
                               ({"estimator": "kernel"}, "estimator"),
                               ({"resolution": 0.0}, "resolution")]:
        with pytest.raises(ValueError, match=message):
            SpatialConfigurationModel(**settings_).fit(placed_graph)
    with pytest.raises(NotFittedError):
        SpatialConfigurationModel().sample(seed=0)


def test_an_observed_graph_of_probability_zero_is_refused(monkeypatch):
    # No estimator of the proximity model gives that; a fit that does is stood in for.
    class Saturated(module.ProximityModel):
        def _fit(self, graph):
            super()._fit(graph)
            self.bin_probabilities_ = np.where(np.arange(self.bin_probabilities_.size) < 50,
                                               1.0, 0.0)

    monkeypatch.setattr(module, "ProximityModel", Saturated)
    # 0 -> 1 at 2 µm is in a bin of p = 1 but 1 -> 0 is not connected.
    with pytest.raises(ValueError, match="unconnected pair where p"):
        SpatialConfigurationModel().fit(on_a_line(3, [(0, 1)], [0.0, 2.0, 20.0]))
    # 0 -> 2 at 20 µm is in a bin of p = 0.
    with pytest.raises(ValueError, match=r"an edge where p\(d\) = 0"):
        SpatialConfigurationModel().fit(on_a_line(3, [(0, 1), (1, 0), (0, 2)],
                                                  [0.0, 2.0, 20.0]))


def test_settings_and_fitted_state():
    model = SpatialConfigurationModel()
    assert model.alias == "sCFG"
    assert model.get_params() == {
        "estimator": "logistic", "window": 10.0, "lateral": False, "depth_axis": 1,
        "resolution": 0.1, "burn_in": None, "triangle_probability": 0.1, "chains": 10,
        "spacing": None}
    graph = on_a_line(4, [(0, 1), (1, 2), (2, 3)], [0.0, 1.0, 5.0, 30.0])
    model.fit(graph)
    p = model.distance_model_.bin_probabilities_
    assert np.allclose(np.exp(model.log_weights_), p / (1 - p))
    assert model.out_degree_.tolist() == [1, 1, 1, 0]
    assert model.in_degree_.tolist() == [0, 1, 1, 1]
