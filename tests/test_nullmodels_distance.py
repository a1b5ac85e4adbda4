"""PM's exponential p(d), its p(d) per ordered group pair and the likelihoods that compare them,
checked against fits, sums and frequencies computed here over every ordered pair."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import expit

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.errors import MissingColumnError
from connectome_motifs.motifs import triad_census
from connectome_motifs.motifs.expected import expected_dyad_census, expected_triad_census
from connectome_motifs.nullmodels import ProximityModel, proximity
from connectome_motifs.nullmodels.distance_fits import fit_exponential
from connectome_motifs.nullmodels.proximity import compare_distance_models

ESTIMATORS = ("window", "logistic", "isotonic", "exponential")


def typed_graph(n: int, seed: int, n_types: int = 2, scale: float = 40.0,
                unlabelled: bool = False) -> SynapseGraph:
    """Random positions and cell types; p(d) decays with distance at a rate set by the
    source type and a level set by the target type, so i -> j and j -> i differ."""
    rng = np.random.default_rng(seed)
    xyz = rng.uniform(0, scale, size=(n, 3))
    types = rng.integers(0, n_types, n)
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
    level = np.array([0.7, 0.3, 0.5])[types][None, :]
    length = np.array([8.0, 25.0, 15.0])[types][:, None]
    a = rng.random((n, n)) < level * np.exp(-d / length)
    np.fill_diagonal(a, False)
    labels = np.array(["E", "I", "X"], dtype=object)[types]
    if unlabelled:
        labels[rng.random(n) < 0.3] = None
    nodes = pd.DataFrame({"id": np.arange(n), "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2],
                          "type": labels})
    return SynapseGraph.from_edges(*np.nonzero(a), n=n, nodes=nodes)


def adjacency(graph: SynapseGraph) -> np.ndarray:
    a = np.zeros((graph.n, graph.n), dtype=bool)
    a[graph.edges()] = True
    return a


def pair_bins(graph: SynapseGraph, resolution: float) -> np.ndarray:
    xyz = graph.positions
    return np.floor(np.sqrt(((xyz[:, None] - xyz[None]) ** 2).sum(axis=2)) / resolution)


def group_codes(graph: SynapseGraph) -> np.ndarray:
    # By hand: labels sorted, the unlabelled last (graphs.node_groups' documented order).
    labels = graph.nodes["type"]
    names = sorted(set(labels.dropna()))
    return np.array([names.index(v) if isinstance(v, str) else len(names) for v in labels])


def grouped_window_by_definition(graph: SynapseGraph, half: int, resolution: float,
                                 codes: np.ndarray) -> np.ndarray:
    """p[i, j]: connected / all ordered pairs u -> v with u's group i's, v's group j's and
    a bin within ``half`` of pair i -> j's."""
    n = graph.n
    bins = pair_bins(graph, resolution)
    a = adjacency(graph)
    off = ~np.eye(n, dtype=bool)
    p = np.zeros((n, n))
    for i, j in itertools.permutations(range(n), 2):
        near = off & (np.abs(bins - bins[i, j]) <= half)
        near &= (codes[:, None] == codes[i]) & (codes[None, :] == codes[j])
        p[i, j] = a[near].sum() / near.sum()
    return p


def log_likelihood_by_pairs(graph: SynapseGraph, p: np.ndarray) -> float:
    a = adjacency(graph)
    off = ~np.eye(graph.n, dtype=bool)
    with np.errstate(divide="ignore"):
        terms = np.where(a, np.log(p), np.log1p(-p))
    return float(terms[off].sum())


def isotonic_by_min_max(trials: np.ndarray, successes: np.ndarray) -> np.ndarray:
    """The weighted non-increasing least-squares fit by its min-max formula (Robertson,
    Wright & Dykstra 1988, Thm 1.4.4): f_k = min over i <= k of max over j >= k of the
    weighted mean of bins i..j."""
    m = trials.size
    fitted = np.empty(m)
    for k in range(m):
        fitted[k] = min(max(successes[i:j + 1].sum() / trials[i:j + 1].sum()
                            for j in range(k, m)) for i in range(k + 1))
    return fitted


def exponential_on_pair_list(graph: SynapseGraph, resolution: float) -> tuple[float, float]:
    """Maximum-likelihood (a, b) from every ordered pair (d at its bin's centre), by
    bounded quasi-Newton from several starts."""
    off = ~np.eye(graph.n, dtype=bool)
    d = ((pair_bins(graph, resolution) + 0.5) * resolution)[off]
    y = adjacency(graph)[off]

    def nll(x):
        q = x[0] * np.exp(-x[1] * d)
        return -(np.log(q[y]).sum() + np.log1p(-q[~y]).sum())

    best = None
    for start in ([0.1, 0.01], [0.5, 0.1], [0.9, 0.001]):
        fit = minimize(nll, start, method="L-BFGS-B", bounds=[(1e-9, 1 - 1e-12), (0, None)],
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20000})
        if best is None or fit.fun < best.fun:
            best = fit
    return float(best.x[0]), float(best.x[1])


@pytest.mark.parametrize(("n", "seed"), [(30, 1), (40, 2), (45, 3)])
def test_exponential_mle_matches_a_fit_over_the_pair_list(n, seed):
    graph = typed_graph(n, seed)
    model = ProximityModel(estimator="exponential", resolution=0.5).fit(graph)
    a, b = model.coefficients_
    a_ref, b_ref = exponential_on_pair_list(graph, 0.5)
    assert 0 < a < 1 and b > 0
    assert a == pytest.approx(a_ref, abs=1e-6)
    assert b == pytest.approx(b_ref, abs=1e-6)
    d = (pair_bins(graph, 0.5) + 0.5) * 0.5
    p = a * np.exp(-b * d)
    np.fill_diagonal(p, 0)
    assert model.pair_probabilities() == pytest.approx(p, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 14), seed=st.integers(0, 2**32 - 1),
       resolution=st.sampled_from([0.5, 4.0]))
def test_exponential_fit_is_optimal_and_satisfies_its_conditions(n, seed, resolution):
    # Optimality (KKT) of the concave problem in (log a, b) on log a <= 0 <= b: the score
    # in log a is 0 unless a = 1 (then >= 0), the score in b is 0 unless b = 0 (then <= 0).
    graph = typed_graph(n, seed, scale=60.0)
    model = ProximityModel(estimator="exponential", resolution=resolution).fit(graph)
    a, b = model.coefficients_
    off = ~np.eye(n, dtype=bool)
    d = ((pair_bins(graph, resolution) + 0.5) * resolution)[off]
    y = adjacency(graph)[off].astype(float)
    assert 0 <= a <= 1 and b >= 0
    if y.sum() == 0:
        assert (a, b) == (0.0, 0.0)
        assert model.log_likelihood_ == 0.0
        return
    if y.sum() == y.size:
        assert (a, b) == (1.0, 0.0)
        return
    q = a * np.exp(-b * d)
    residual = y - (1 - y) * q / (1 - q)  # d loglik / d eta per pair
    score_log_a, score_b = residual.sum(), -(d * residual).sum()
    size = np.abs(y).sum() + 1
    if np.unique(d).size < 2:
        assert b == 0 and a == pytest.approx(y.mean(), rel=1e-12)
        return
    if a < 1:
        assert abs(score_log_a) <= 1e-7 * size
    else:
        assert score_log_a >= -1e-7 * size
    if b > 0:
        assert abs(score_b) <= 1e-7 * size * d.max()
    else:
        assert score_b <= 1e-7 * size * d.max()
    loglik = (y * np.log(q) + (1 - y) * np.log1p(-q)).sum()
    assert model.log_likelihood_ == pytest.approx(loglik, rel=1e-12, abs=1e-9)


def test_exponential_boundaries_by_hand():
    # Connections at the far distance only: p rising with d, so b = 0 and a is the density.
    fit = fit_exponential(np.array([10, 10]), np.array([0, 4]), np.array([1.0, 2.0]))
    assert fit.coefficients.tolist() == [0.2, 0.0]
    # Every near pair connected (10 of 10 at d = 1), half the far ones (5 of 10 at d = 2):
    # unconstrained, p(1) = 1 and p(2) = 1/2 would need a = 2, so a = 1. With x = e^{-b}
    # the log-likelihood is 10 log x + 5 log x² + 5 log(1 - x²), maximal where
    # 20 / x = 10 x / (1 - x²), x² = 2/3.
    fit = fit_exponential(np.array([10, 10]), np.array([10, 5]), np.array([1.0, 2.0]))
    a, b = fit.coefficients
    assert a == 1.0
    assert np.exp(-b) == pytest.approx(np.sqrt(2 / 3), rel=1e-12)
    # Empty, complete, one populated bin, no pairs.
    assert fit_exponential(np.array([4, 6]), np.array([0, 0]),
                           np.array([1.0, 2.0])).coefficients.tolist() == [0.0, 0.0]
    assert fit_exponential(np.array([4, 6]), np.array([4, 6]),
                           np.array([1.0, 2.0])).coefficients.tolist() == [1.0, 0.0]
    assert fit_exponential(np.array([0, 8]), np.array([0, 2]),
                           np.array([1.0, 2.0])).coefficients.tolist() == [0.25, 0.0]
    empty = fit_exponential(np.array([0, 0]), np.array([0, 0]), np.array([1.0, 2.0]))
    assert empty.coefficients.tolist() == [0.0, 0.0] and empty.n_parameters == 0


def test_exponential_model_on_an_empty_graph_samples_nothing():
    graph = typed_graph(20, 9)
    empty = SynapseGraph.from_edges([], [], n=graph.n, nodes=graph.nodes)
    model = ProximityModel(estimator="exponential").fit(empty)
    assert model.coefficients_.tolist() == [0.0, 0.0]
    assert model.log_likelihood_ == 0.0 and model.aic_ == 4.0
    assert model.sample(seed=1).n_edges == 0
    assert model.connection_probability([1.0, 1e6]).tolist() == [0.0, 0.0]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 12), seed=st.integers(0, 2**32 - 1), grouped=st.booleans(),
       window=st.floats(0.5, 30), resolution=st.sampled_from([0.5, 3.0]),
       unlabelled=st.booleans())
def test_log_likelihood_and_parameters_match_sums_over_all_pairs(n, seed, grouped, window,
                                                                  resolution, unlabelled):
    graph = typed_graph(n, seed, n_types=3, unlabelled=unlabelled)
    codes = group_codes(graph) if grouped else np.zeros(n, dtype=int)
    column = "type" if grouped else None
    a = adjacency(graph)
    bins = pair_bins(graph, resolution)
    centres = (bins + 0.5) * resolution
    off = ~np.eye(n, dtype=bool)
    half = round(window / resolution)
    for estimator in ESTIMATORS:
        model = ProximityModel(window=window, estimator=estimator, resolution=resolution,
                               groups=column).fit(graph)
        if estimator == "window":
            p = grouped_window_by_definition(graph, half, resolution, codes)
            # The trace of the smoother: each pair's own weight 1 / (pairs in its window).
            near = [(off & (np.abs(bins - bins[i, j]) <= half) & (codes[:, None] == codes[i])
                     & (codes[None, :] == codes[j])).sum()
                    for i, j in itertools.permutations(range(n), 2)]
            n_parameters = float(np.sum(1.0 / np.array(near))) if near else 0.0
        elif estimator in ("logistic", "exponential"):
            coefficients = model.coefficients_
            if not grouped:
                coefficients = coefficients[None, None]
            c = coefficients[codes[:, None], codes[None, :]]
            p = (expit(c[..., 0] + c[..., 1] * centres) if estimator == "logistic"
                 else c[..., 0] * np.exp(-c[..., 1] * centres))
            pairs_per_group_pair = {(codes[i], codes[j])
                                    for i, j in itertools.permutations(range(n), 2)}
            n_parameters = 2.0 * len(pairs_per_group_pair)
        else:
            p = np.zeros((n, n))
            n_parameters = 0.0
            for g, h in {(codes[i], codes[j]) for i, j in itertools.permutations(range(n), 2)}:
                mask = off & (codes[:, None] == g) & (codes[None, :] == h)
                populated = np.unique(bins[mask])
                trials = np.array([(mask & (bins == k)).sum() for k in populated])
                successes = np.array([(mask & a & (bins == k)).sum() for k in populated])
                fitted = isotonic_by_min_max(trials, successes)
                for k, value in zip(populated, fitted, strict=True):
                    p[mask & (bins == k)] = value
                n_parameters += np.unique(np.round(fitted, 12)).size
        np.fill_diagonal(p, 0)
        assert model.pair_probabilities() == pytest.approx(p, abs=1e-7), estimator
        expected = log_likelihood_by_pairs(graph, p)
        assert model.log_likelihood_ == pytest.approx(expected, rel=1e-6, abs=1e-6), estimator
        assert model.n_parameters_ == pytest.approx(n_parameters, rel=1e-12), estimator
        assert model.aic_ == pytest.approx(2 * n_parameters - 2 * expected, rel=1e-6,
                                           abs=1e-6)


def test_window_parameters_run_from_one_to_the_populated_bins():
    graph = typed_graph(15, 4)
    everything = ProximityModel(window=1000.0).fit(graph)
    assert everything.n_parameters_ == pytest.approx(1.0, rel=1e-12)
    narrow = ProximityModel(window=0.01, resolution=0.1).fit(graph)
    assert narrow.distance_window_ == 0.0
    assert narrow.n_parameters_ == pytest.approx(np.count_nonzero(narrow.pair_counts_))


@pytest.mark.parametrize(("nodes_per_voxel", "estimator"),
                         [(1, "window"), (4, "exponential"), (16, "window")])
def test_grouped_sample_frequencies_follow_each_ordered_pairs_probability(
        monkeypatch, nodes_per_voxel, estimator):
    monkeypatch.setattr(proximity, "_NODES_PER_VOXEL", nodes_per_voxel)
    graph = typed_graph(22, 5, n_types=3, unlabelled=True)
    model = ProximityModel(estimator=estimator, groups="type").fit(graph)
    p = model.pair_probabilities()
    if estimator == "window":
        half = round(10.0 / 0.1)
        assert p == pytest.approx(grouped_window_by_definition(graph, half, 0.1,
                                                               group_codes(graph)), abs=1e-12)
    assert not np.allclose(p, p.T)
    draws = 2000
    seen = np.zeros_like(p)
    reciprocal = np.zeros_like(p)
    for sample in model.sample_many(draws, seed=2):
        s = adjacency(sample)
        seen += s
        reciprocal += s & s.T
    se = np.sqrt(p * (1 - p) / draws)
    assert np.mean(np.abs(seen / draws - p) <= 4 * se + 1e-12) > 0.99
    assert abs(seen.sum() / draws - p.sum()) <= 4 * np.sqrt((p * (1 - p)).sum() / draws)
    iu = np.triu_indices(graph.n, 1)
    q = (p * p.T)[iu]
    observed = reciprocal[iu] / draws
    assert abs(observed.sum() - q.sum()) <= 4 * np.sqrt((q * (1 - q)).sum() / draws)


ORDERED_PAIRS = list(itertools.permutations(range(3), 2))
# Each labelled graph on 3 nodes, and its triad census (one triple, in its class).
LABELLED_TRIADS = [
    (present, triad_census(SynapseGraph.from_edges(
        [u for (u, _), keep in zip(ORDERED_PAIRS, present, strict=True) if keep],
        [v for (_, v), keep in zip(ORDERED_PAIRS, present, strict=True) if keep],
        n=3)).to_numpy())
    for present in itertools.product([False, True], repeat=6)]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 11), seed=st.integers(0, 2**32 - 1),
       estimator=st.sampled_from(ESTIMATORS))
def test_expected_censuses_of_the_grouped_model_match_sums_over_pairs_and_triples(
        n, seed, estimator):
    graph = typed_graph(n, seed, n_types=3, unlabelled=True)
    model = ProximityModel(estimator=estimator, groups="type", resolution=1.0).fit(graph)
    p = model.pair_probabilities()
    iu = np.triu_indices(n, 1)
    pij, pji = p[iu], p.T[iu]
    dyads = [((1 - pij) * (1 - pji)).sum(), (pij * (1 - pji) + pji * (1 - pij)).sum(),
             (pij * pji).sum()]
    assert expected_dyad_census(model).tolist() == pytest.approx(dyads, abs=1e-9)
    # Triads: the probability of each of the 64 labelled graphs on every triple, times the
    # census of that labelled graph.
    expected = np.zeros(16)
    for triple in itertools.combinations(range(n), 3):
        for present, census in LABELLED_TRIADS:
            prob = 1.0
            for (u, v), keep in zip(ORDERED_PAIRS, present, strict=True):
                q = p[triple[u], triple[v]]
                prob *= q if keep else 1 - q
            expected += prob * census
    assert expected_triad_census(model).to_numpy() == pytest.approx(expected, abs=1e-9)


def test_one_group_is_the_ungrouped_model():
    graph = typed_graph(30, 6)
    nodes = graph.nodes.assign(type="E")
    one = SynapseGraph.from_edges(*graph.edges(), n=graph.n, nodes=nodes)
    for estimator in ESTIMATORS:
        plain = ProximityModel(estimator=estimator).fit(one)
        grouped = ProximityModel(estimator=estimator, groups="type").fit(one)
        assert grouped.bin_probabilities_.shape == (1, 1, plain.bin_probabilities_.size)
        assert np.array_equal(grouped.bin_probabilities_[0, 0], plain.bin_probabilities_,
                              equal_nan=True)
        assert grouped.log_likelihood_ == plain.log_likelihood_
        assert grouped.n_parameters_ == plain.n_parameters_
        assert grouped.sample(seed=4).equals(plain.sample(seed=4))
        assert (grouped.group_pair_counts_.sum() == 2 * plain.pair_counts_.sum()
                == graph.n * (graph.n - 1))


def test_group_counts_and_connection_probability_by_hand():
    # Cells 0 (E), 1 (E), 2 (I) on a line at 0, 5, 50 µm; edges 0->1, 2->0.
    nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0,
                          "type": ["E", "E", "I"]})
    graph = SynapseGraph.from_edges([0, 2], [1, 0], nodes=nodes)
    model = ProximityModel(groups="type").fit(graph)
    assert model.groups_.labels == ("E", "I")
    counts = model.group_pair_counts_
    assert counts[0, 0, 50] == 2 and counts[0, 1].sum() == 2 and counts[1, 0].sum() == 2
    assert counts[1, 1].sum() == 0
    assert model.group_connected_counts_[1, 0, 500] == 1
    # E->E: one of the two ordered pairs at 5 µm; I->E: one of the two at 45 and 50 µm.
    assert model.connection_probability(5.0, "E", "E") == 0.5
    assert model.connection_probability(47.0, "I", "E") == 0.5
    assert model.connection_probability(47.0, "E", "I") == 0.0
    assert model.pair_probabilities().tolist() == [[0, 0.5, 0], [0.5, 0, 0], [0.5, 0.5, 0]]
    # Window parameters: E->E one window (1), E->I and I->E one window each (1 + 1).
    assert model.n_parameters_ == pytest.approx(3.0)
    with pytest.raises(ValueError, match="source and target"):
        model.connection_probability(5.0)
    with pytest.raises(ValueError, match="'L4' is not a group"):
        model.connection_probability(5.0, "E", "L4")
    with pytest.raises(ValueError, match="fitted with groups"):
        ProximityModel().fit(graph).connection_probability(5.0, "E", "E")


def test_group_settings_fail_clearly():
    graph = typed_graph(6, 1)
    with pytest.raises(MissingColumnError, match="celltype"):
        ProximityModel(groups="celltype").fit(graph)
    with pytest.raises(ValueError, match="groups must be"):
        ProximityModel(groups=["type"]).fit(graph)
    with pytest.raises(ValueError, match="estimator"):
        ProximityModel(estimator="gaussian").fit(graph)


def test_too_many_group_pairs_for_the_bins_fail_clearly(monkeypatch):
    monkeypatch.setattr(proximity, "_MAX_GROUP_BIN_ENTRIES", 1000)
    graph = typed_graph(20, 2, n_types=3)
    with pytest.raises(ValueError, match="raise resolution or use fewer groups"):
        ProximityModel(groups="type").fit(graph)


def test_comparison_table_holds_each_fit_sorted_by_aic():
    graph = typed_graph(40, 7, n_types=2)
    table = compare_distance_models(graph, groups=[None, "type"], resolution=0.5)
    assert list(table.columns) == ["estimator", "groups", "log_likelihood", "n_parameters",
                                   "aic", "delta_aic"]
    assert len(table) == 8 and table["aic"].is_monotonic_increasing
    assert table["delta_aic"].iloc[0] == 0
    for row in table.itertuples():
        model = ProximityModel(estimator=row.estimator, groups=row.groups,
                               resolution=0.5).fit(graph)
        assert row.log_likelihood == model.log_likelihood_
        assert row.n_parameters == model.n_parameters_
        assert row.aic == model.aic_
    # The graph's p(d) differs by source type, so the grouped fits explain it better.
    for estimator in ESTIMATORS:
        rows = table[table.estimator == estimator]
        assert rows.groups.iloc[0] == "type", estimator
    single = compare_distance_models(graph, ["exponential"], groups="type", resolution=0.5)
    assert single[["estimator", "groups"]].values.tolist() == [["exponential", "type"]]


def test_registry_variants_set_their_defaults():
    graph = typed_graph(20, 3)
    exp = proximity.ExponentialProximityModel().fit(graph)
    plain = ProximityModel(estimator="exponential").fit(graph)
    assert exp.alias == "PM-exp" and exp.get_params()["estimator"] == "exponential"
    assert np.array_equal(exp.coefficients_, plain.coefficients_)
    grouped = proximity.GroupedProximityModel(groups="type")
    assert grouped.alias == "PM-group" and grouped.uses_groups
    assert grouped.fit(graph).bin_probabilities_.ndim == 3
    with pytest.raises(ValueError, match="PM-group needs groups"):
        proximity.GroupedProximityModel().fit(graph)


@pytest.mark.parametrize("n", [0, 1, 2])
@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_tiny_graphs_fit_and_sample_with_groups(n, estimator):
    nodes = pd.DataFrame({"id": np.arange(n), "x": np.arange(n) * 3.0, "y": 0.0, "z": 0.0,
                          "type": ["E", "I"][:n]})
    graph = SynapseGraph.from_edges([0] if n == 2 else [], [1] if n == 2 else [], n=n,
                                    nodes=nodes)
    model = ProximityModel(estimator=estimator, groups="type").fit(graph)
    assert model.sample(seed=0).n_edges <= n * (n - 1)
    assert model.expected_pair_states()[0] == pytest.approx(
        n * (n - 1) / 2 - model.expected_pair_states()[1] - model.expected_pair_states()[2])
    # Only E -> I and I -> E have pairs (one each); E -> I is connected.
    assert model.log_likelihood_ == (0.0 if estimator != "logistic" or n < 2
                                     else pytest.approx(0.0, abs=1e-4))
