"""Exact census variances of independent dyads against enumerating every graph and sampling."""

from __future__ import annotations

import itertools

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import dyad_census, triad_census
from connectome_motifs.motifs.catalogue import code_tables
from connectome_motifs.motifs.expected_variance import (
    MAX_VARIANCE_BLOCKS,
    dyad_census_variance,
    triad_census_variance,
    triad_variance_flops,
)
from connectome_motifs.nullmodels import ConfigurationModel, PairStateProbabilities
from connectome_motifs.nullmodels.maximum_entropy import ReciprocalBinaryConfigurationModel
from connectome_motifs.nullmodels.pair_states import BlockPairStateProbabilities


def random_law(rng: np.random.Generator, n: int, k: int) -> BlockPairStateProbabilities:
    """Return a random block law on ``n`` nodes in ``k`` (non-empty) blocks."""
    blocks = np.concatenate([np.arange(k), rng.integers(0, k, n - k)]).astype(np.int32)
    raw = rng.dirichlet(np.full(4, rng.uniform(0.3, 2.0)), size=(k, k))
    one_way = raw[:, :, 1] / 2
    reciprocal = np.triu(raw[:, :, 3]) / 2
    reciprocal = reciprocal + np.triu(reciprocal, 1).T
    return BlockPairStateProbabilities(rng.permutation(blocks), one_way=one_way,
                                       reciprocal=reciprocal)


def enumerated_moments(states: BlockPairStateProbabilities):
    """Return the exact mean and variance of the dyad and triad censuses by enumeration.

    Every assignment of the four states to the ``C(n, 2)`` pairs is a graph, weighted by
    the product of its pairs' probabilities.
    """
    n, blocks = states.n, states.blocks
    pairs = list(itertools.combinations(range(n), 2))
    config = np.array(list(itertools.product(range(4), repeat=len(pairs))), dtype=np.int64)
    weight = np.ones(len(config))
    for q, (i, j) in enumerate(pairs):
        a, b = blocks[i], blocks[j]
        pi = np.array([0.0, states.one_way[a, b], states.one_way[b, a],
                       states.reciprocal[a, b]])
        pi[0] = 1 - pi[1:].sum()
        weight *= pi[config[:, q]]
    column = {p: q for q, p in enumerate(pairs)}
    code_class = code_tables()[0]
    triads = np.zeros((len(config), 16))
    rows = np.arange(len(config))
    for i, j, k in itertools.combinations(range(n), 3):
        code = (config[:, column[i, j]] | config[:, column[i, k]] << 2
                | config[:, column[j, k]] << 4)
        np.add.at(triads, (rows, code_class[code]), 1)
    kind = np.array([0, 1, 1, 2])[config]
    dyads = np.stack([(kind == d).sum(axis=1) for d in range(3)], axis=1)

    def moments(counts):
        mean = weight @ counts
        return mean, weight @ counts**2 - mean**2

    return moments(dyads), moments(triads)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 5), k=st.integers(1, 5))
def test_variances_equal_the_enumeration_of_every_graph(seed, n, k):
    rng = np.random.default_rng(seed)
    k = min(k, max(n, 1))
    states = random_law(rng, n, k) if n else BlockPairStateProbabilities(
        np.zeros(0, dtype=np.int32), np.zeros((1, 1)), np.zeros((1, 1)))
    (_, dyad_var), (_, triad_var) = enumerated_moments(states)
    assert np.allclose(dyad_census_variance(states).to_numpy(), dyad_var, atol=1e-12)
    assert np.allclose(triad_census_variance(states).to_numpy(), triad_var, atol=1e-12)


def test_reciprocal_pairs_and_certain_states_by_hand():
    # Every pair reciprocal for sure: a single graph, no variance.
    certain = PairStateProbabilities(5, one_way=0.0, reciprocal=1.0)
    assert np.all(triad_census_variance(certain) == 0.0)
    assert np.all(dyad_census_variance(certain) == 0.0)
    # Three nodes: one triple, a Bernoulli(p) for each class.
    three = PairStateProbabilities(3, one_way=0.1, reciprocal=0.3)
    (_, _), (mean, var) = enumerated_moments(BlockPairStateProbabilities(
        np.zeros(3, dtype=np.int32), np.full((1, 1), 0.1), np.full((1, 1), 0.3)))
    assert np.allclose(var, mean * (1 - mean))
    assert np.allclose(triad_census_variance(three).to_numpy(), mean * (1 - mean))


def test_homogeneous_dense_and_block_forms_of_one_law_agree():
    rng = np.random.default_rng(4)
    states = random_law(rng, 30, 4)
    one_way, reciprocal = states.dense()
    dense = PairStateProbabilities(30, one_way=one_way, reciprocal=reciprocal)
    assert np.allclose(triad_census_variance(dense), triad_census_variance(states),
                       rtol=1e-10)
    assert np.allclose(dyad_census_variance(dense), dyad_census_variance(states), rtol=1e-12)


def test_variance_matches_the_sample_variance_of_a_fitted_rbcm():
    rng = np.random.default_rng(6)
    a = rng.random((60, 60)) < 0.08
    a |= a.T & (rng.random((60, 60)) < 0.5)
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    model = ReciprocalBinaryConfigurationModel().fit(SynapseGraph.from_edges(pre, post, n=60))
    exact = triad_census_variance(model).to_numpy()
    samples = model.sample_many(3000, seed=2)
    counts = np.array([triad_census(s).to_numpy() for s in samples], dtype=float)
    sample_var = counts.var(axis=0, ddof=1)
    # The sample variance of 3,000 draws is within ~5 % (chi-square, 4 standard errors
    # of sqrt(2 / 2999) plus the excess kurtosis of rare classes) where counts are large.
    large = exact > 50
    assert large.sum() >= 8
    assert np.all(np.abs(sample_var[large] / exact[large] - 1) < 0.15)
    dyads = np.array([dyad_census(s).to_numpy() for s in samples], dtype=float)
    assert np.allclose(dyads.var(axis=0, ddof=1), dyad_census_variance(model), rtol=0.15)


def test_result_does_not_depend_on_the_thread_count():
    states = random_law(np.random.default_rng(9), 200, 40)
    previous = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = triad_census_variance(states).to_numpy()
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = triad_census_variance(states).to_numpy()
    finally:
        numba.set_num_threads(previous)
    assert np.array_equal(one, many)


def test_too_many_blocks_and_dependent_models_are_refused():
    states = random_law(np.random.default_rng(1), 12, 12)
    with pytest.raises(ValueError, match="12 blocks"):
        triad_census_variance(states, max_blocks=11)
    assert triad_variance_flops(states) == 200 * 12**3
    assert MAX_VARIANCE_BLOCKS >= 2000
    with pytest.raises(TypeError, match="ensemble"):
        triad_census_variance(ConfigurationModel())
