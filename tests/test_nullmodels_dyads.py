"""Independent-dyad samplers (ER, gER, PM) draw each pair from its exact state distribution."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import dyad_census, triad_census
from connectome_motifs.motifs.expected import expected_dyad_census, expected_triad_census
from connectome_motifs.nullmodels import (
    ErdosRenyi,
    PairStateProbabilities,
    ProximityModel,
    ReciprocalErdosRenyi,
)
from connectome_motifs.nullmodels.kernels.dyad_sampling import (
    edges_to_csr,
    sample_heterogeneous_dyads,
    sample_homogeneous_dyads,
)
from connectome_motifs.nullmodels.kernels.random_bits import new_state


def graph_with(n: int, p: float, reciprocity: float, seed: int) -> SynapseGraph:
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < p
    a |= a.T & (rng.random((n, n)) < reciprocity)
    np.fill_diagonal(a, False)
    xyz = rng.uniform(0, 80, size=(n, 3))
    nodes = pd.DataFrame({"id": np.arange(n), "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]})
    return SynapseGraph.from_edges(*np.nonzero(a), n=n, nodes=nodes)


def within_standard_errors(samples: pd.DataFrame, expected: pd.Series, k: float = 4.0) -> None:
    """Each column's sample mean lies within k standard errors of its exact expectation."""
    mean = samples.mean()
    se = samples.std(ddof=1) / np.sqrt(len(samples))
    for label in expected.index:
        if se[label] == 0:
            assert mean[label] == pytest.approx(expected[label], abs=1e-9), label
        else:
            assert abs(mean[label] - expected[label]) <= k * se[label], label


def census_counter(man_code):
    """Return a vectorised brute-force (dyad, triad) census of adjacency matrices.

    Every triple's labelled code is classified by the conftest's independent classifier.
    """
    names = list(triad_census(SynapseGraph.from_edges([], [], n=0)).index)
    code_class = np.empty(64, dtype=np.int64)
    for code in range(64):
        a = np.zeros((3, 3), dtype=int)
        for bit, (u, v) in enumerate(((0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1))):
            a[u, v] = (code >> bit) & 1
        code_class[code] = names.index(man_code(a, (0, 1, 2)))

    def count(graph: SynapseGraph) -> tuple[list[int], np.ndarray]:
        a = np.zeros((graph.n, graph.n), dtype=np.int64)
        pre, post = graph.edges()
        a[pre, post] = 1
        i, j, k = np.array(list(combinations(range(graph.n), 3))).T
        code = (a[i, j] | a[j, i] << 1 | a[i, k] << 2 | a[k, i] << 3 | a[j, k] << 4
                | a[k, j] << 5)
        mutual = int(np.triu(a * a.T).sum())
        one_way = int(a.sum()) - 2 * mutual
        pairs = graph.n * (graph.n - 1) // 2
        dyads = [pairs - one_way - mutual, one_way, mutual]
        return dyads, np.bincount(code_class[code], minlength=16)

    return names, count


@pytest.mark.parametrize("factory", [ErdosRenyi, ReciprocalErdosRenyi, ProximityModel])
def test_sample_means_agree_with_exact_expected_censuses(factory, man_code):
    graph = graph_with(22, 0.15, 0.6, seed=2)
    model = factory().fit(graph)
    names, count = census_counter(man_code)
    dyads, triads = zip(*(count(s) for s in model.sample_many(3000, seed=8)), strict=True)
    expected_dyads = expected_dyad_census(model)
    expected_triads = expected_triad_census(model)
    assert list(expected_triads.index) == names
    within_standard_errors(pd.DataFrame(dyads, columns=expected_dyads.index), expected_dyads)
    within_standard_errors(pd.DataFrame(triads, columns=names), expected_triads)
    assert dyad_census(graph).tolist() == count(graph)[0]
    assert triad_census(graph).tolist() == count(graph)[1].tolist()


def test_reciprocal_er_keeps_two_cell_counts_in_expectation():
    graph = graph_with(40, 0.1, 0.7, seed=4)
    expected = expected_dyad_census(ReciprocalErdosRenyi().fit(graph))
    observed = dyad_census(graph)
    assert expected.to_numpy() == pytest.approx(observed.to_numpy().astype(float))


def test_er_expected_dyads_by_hand():
    # 3 nodes, 3 edges out of 6 ordered pairs: p = 1/2; per pair mutual 1/4, one-way 1/2.
    graph = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0])
    assert expected_dyad_census(ErdosRenyi().fit(graph)).tolist() == [0.75, 1.5, 0.75]


@settings(max_examples=100)
@given(
    n=st.integers(0, 60),
    p_reciprocal=st.floats(0, 1),
    share=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_homogeneous_sampler_output_is_a_simple_graph(n, p_reciprocal, share, seed):
    p_one_way = (1 - p_reciprocal) * share / 2
    pre, post = sample_homogeneous_dyads(n, p_one_way, p_reciprocal, new_state(
        np.random.default_rng(seed)))
    assert np.all(pre != post)
    keys = pre * max(n, 1) + post
    assert np.unique(keys).size == keys.size
    assert pre.size == 0 or (pre.min() >= 0 and max(pre.max(), post.max()) < n)
    if p_reciprocal == 1.0:
        assert pre.size == n * (n - 1)
    if p_reciprocal + 2 * p_one_way == 0.0:
        assert pre.size == 0


def test_homogeneous_sampler_state_frequencies():
    # 200 nodes: 19,900 pairs per draw; the state fractions should match within 4 SE.
    n, rec, one = 200, 0.03, 0.05
    counts = np.zeros(3)
    draws = 20
    for seed in range(draws):
        g = SynapseGraph.from_edges(*sample_homogeneous_dyads(n, one, rec, new_state(
            np.random.default_rng(seed))), n=n)
        counts += [g.n_reciprocal_pairs, g.n_edges - 2 * g.n_reciprocal_pairs, 0]
    pairs = draws * n * (n - 1) // 2
    for got, p in ((counts[0], rec), (counts[1], 2 * one)):
        assert abs(got / pairs - p) <= 4 * np.sqrt(p * (1 - p) / pairs)


def test_heterogeneous_sampler_follows_each_pairs_probabilities():
    # Three nodes with very different pair distributions; frequencies of each pair's state.
    one_way = np.array([[0, 0.5, 0.0], [0.1, 0, 0.2], [0.3, 0.0, 0]])
    reciprocal = np.array([[0, 0.2, 0.6], [0.2, 0, 0.0], [0.6, 0.0, 0]])
    model = PairStateProbabilities(3, one_way=one_way, reciprocal=reciprocal)
    state = new_state(np.random.default_rng(0))
    draws = 20_000
    seen = np.zeros((3, 3))
    for _ in range(draws):
        pre, post = sample_heterogeneous_dyads(model.one_way, model.reciprocal, state)
        np.add.at(seen, (pre, post), 1)
    # P(i -> j present) = one_way[i, j] + reciprocal[i, j], by definition of the states.
    p = one_way + reciprocal
    se = np.sqrt(p * (1 - p) / draws)
    assert np.all(np.abs(seen / draws - p) <= 4 * se + 1e-12)


def test_edges_to_csr_sorts_rows():
    indptr, indices = edges_to_csr(4, np.array([2, 0, 2, 0]), np.array([1, 3, 0, 1]))
    assert indptr.tolist() == [0, 2, 2, 4, 4]
    assert indices.tolist() == [1, 3, 0, 1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"one_way": -0.1, "reciprocal": 0.1}, "non-negative"),
        ({"one_way": 0.4, "reciprocal": 0.3}, "more than 1"),
        ({"one_way": np.zeros((2, 2)), "reciprocal": 0.1}, "both"),
        ({"one_way": np.zeros((3, 3)), "reciprocal": np.zeros((3, 3))}, "shape"),
        ({"one_way": np.eye(2), "reciprocal": np.zeros((2, 2))}, "diagonal"),
        ({"one_way": np.zeros((2, 2)), "reciprocal": np.array([[0, 0.1], [0.2, 0]])},
         "symmetric"),
    ],
)
def test_invalid_pair_state_probabilities_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PairStateProbabilities(2, **kwargs)
