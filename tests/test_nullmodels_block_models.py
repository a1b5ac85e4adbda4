"""Block pair states and the stochastic block models (SBM, gSBM) against brute force."""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import UNLABELLED, SynapseGraph
from connectome_motifs.motifs.expected import expected_dyad_census, expected_triad_census
from connectome_motifs.nullmodels import ErdosRenyi, ReciprocalErdosRenyi
from connectome_motifs.nullmodels.block_models import (
    ReciprocalStochasticBlockModel,
    StochasticBlockModel,
)
from connectome_motifs.nullmodels.pair_states import BlockPairStateProbabilities
from tests.strategies import synapse_graphs
from tests.test_expected_census import brute_force_per_triple


def typed(graph: SynapseGraph, n_groups: int, seed: int) -> SynapseGraph:
    """``graph`` with a random group column ``type`` (some cells unlabelled)."""
    rng = np.random.default_rng(seed)
    labels = np.array([f"t{k}" for k in rng.integers(0, n_groups, graph.n)], dtype=object)
    labels[rng.random(graph.n) < 0.15] = None
    nodes = pd.DataFrame({"id": np.arange(graph.n), "type": labels})
    pre, post = graph.edges()
    return SynapseGraph.from_edges(pre, post, n=graph.n, nodes=nodes)


def random_block_states(n: int, k: int, seed: int) -> BlockPairStateProbabilities:
    """Block states whose four pair states per block pair come from a Dirichlet."""
    rng = np.random.default_rng(seed)
    one_way = np.zeros((k, k))
    reciprocal = np.zeros((k, k))
    for a in range(k):
        for b in range(a, k):
            _, forward, backward, both = rng.dirichlet(np.full(4, 0.7))
            if a == b:
                forward = backward = (forward + backward) / 2
            one_way[a, b], one_way[b, a] = forward, backward
            reciprocal[a, b] = reciprocal[b, a] = both
    return BlockPairStateProbabilities(rng.integers(0, k, n), one_way, reciprocal)


def brute_group_counts(graph: SynapseGraph, labels) -> tuple[dict, dict]:
    """Edges per ordered label pair, and reciprocal pairs per unordered one, pair by pair."""
    a = np.zeros((graph.n, graph.n), dtype=bool)
    pre, post = graph.edges()
    a[pre, post] = True
    edges, mutual = {}, {}
    for i, j in combinations(range(graph.n), 2):
        if a[i, j]:
            edges[labels[i], labels[j]] = edges.get((labels[i], labels[j]), 0) + 1
        if a[j, i]:
            edges[labels[j], labels[i]] = edges.get((labels[j], labels[i]), 0) + 1
        if a[i, j] and a[j, i]:
            key = tuple(sorted((labels[i], labels[j])))
            mutual[key] = mutual.get(key, 0) + 1
    return edges, mutual


def expected_group_counts(states: BlockPairStateProbabilities, labels) -> tuple[dict, dict]:
    """The same counts in expectation, summed over the pairs of the dense probabilities."""
    one_way, reciprocal = states.dense()
    edges, mutual = {}, {}
    for i, j in combinations(range(states.n), 2):
        for u, v in ((i, j), (j, i)):
            key = (labels[u], labels[v])
            edges[key] = edges.get(key, 0.0) + one_way[u, v] + reciprocal[u, v]
        key = tuple(sorted((labels[i], labels[j])))
        mutual[key] = mutual.get(key, 0.0) + reciprocal[i, j]
    return edges, mutual


@settings(max_examples=40, deadline=None)
@given(graph=synapse_graphs(max_nodes=14), n_groups=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_expected_connections_between_groups_equal_the_observed(graph, n_groups, seed):
    g = typed(graph, n_groups, seed)
    labels = [UNLABELLED if pd.isna(v) else v for v in g.nodes["type"]]
    observed_edges, observed_mutual = brute_group_counts(g, labels)
    sbm = StochasticBlockModel(groups="type").fit(g)
    edges, _ = expected_group_counts(sbm.pair_states_, labels)
    for key, value in edges.items():
        assert value == pytest.approx(observed_edges.get(key, 0), abs=1e-9)
    gsbm = ReciprocalStochasticBlockModel(groups="type").fit(g)
    edges, mutual = expected_group_counts(gsbm.pair_states_, labels)
    for key, value in edges.items():
        assert value == pytest.approx(observed_edges.get(key, 0), abs=1e-9)
    for key, value in mutual.items():
        assert value == pytest.approx(observed_mutual.get(key, 0), abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 9), k=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_block_expected_triads_agree_with_every_triple(n, k, seed, man_code):
    states = random_block_states(n, k, seed)
    got = expected_triad_census(states)
    assert got.to_numpy() == pytest.approx(brute_force_per_triple(states, man_code), abs=1e-9)
    assert got.sum() == pytest.approx(comb(n, 3))


def test_block_expected_dyads_by_hand():
    # Blocks {0, 1} and {2}: the within pair is reciprocal with 0.25, one-way 2 x 0.1;
    # the two cross pairs are reciprocal with 0.5, one-way 0.2 + 0.0.
    states = BlockPairStateProbabilities(
        np.array([0, 0, 1]), one_way=np.array([[0.1, 0.2], [0.0, 0.0]]),
        reciprocal=np.array([[0.25, 0.5], [0.5, 0.0]]))
    got = expected_dyad_census(states)
    assert got["mutual"] == pytest.approx(0.25 + 2 * 0.5)
    assert got["asymmetric"] == pytest.approx(0.2 + 2 * 0.2)
    assert got.sum() == pytest.approx(3)


@pytest.mark.parametrize("model_class", [StochasticBlockModel, ReciprocalStochasticBlockModel])
def test_samples_hit_each_ordered_pair_with_its_probability(model_class):
    rng = np.random.default_rng(8)
    a = rng.random((8, 8)) < 0.3
    a |= a.T & (rng.random((8, 8)) < 0.5)
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    g = typed(SynapseGraph.from_edges(pre, post, n=8), n_groups=3, seed=2)
    model = model_class(groups="type").fit(g)
    one_way, reciprocal = model.pair_states_.dense()
    n_samples = 4000
    seen = np.zeros((8, 8))
    both = np.zeros((8, 8))
    for seed in range(n_samples):
        sample = np.zeros((8, 8), dtype=bool)
        pre, post = model.sample(seed).edges()
        sample[pre, post] = True
        seen += sample
        both += sample & sample.T
    p = one_way + reciprocal
    off = ~np.eye(8, dtype=bool)
    # The test means something: several distinct probabilities strictly inside (0, 1).
    assert np.unique(p[off & (p > 0) & (p < 1)].round(9)).size >= 3
    # Binomial standard errors; 5 of them over 56 cells fails by chance with p < 1e-4.
    assert np.all(np.abs(seen - n_samples * p)[off]
                  <= 5 * np.sqrt(n_samples * p * (1 - p))[off] + 1e-9)
    assert np.all(np.abs(both - n_samples * reciprocal)[off]
                  <= 5 * np.sqrt(n_samples * reciprocal * (1 - reciprocal))[off] + 1e-9)


def test_one_group_is_er_and_ger():
    rng = np.random.default_rng(3)
    a = rng.random((30, 30)) < 0.2
    a |= a.T & (rng.random((30, 30)) < 0.5)
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    g = SynapseGraph.from_edges(pre, post, n=30,
                                nodes=pd.DataFrame({"id": range(30), "type": "E"}))
    sbm = StochasticBlockModel(groups="type").fit(g)
    assert sbm.p_.item() == pytest.approx(ErdosRenyi().fit(g).p_)
    gsbm = ReciprocalStochasticBlockModel(groups="type").fit(g)
    ger = ReciprocalErdosRenyi().fit(g)
    assert gsbm.pair_states_.reciprocal.item() == pytest.approx(ger.p_reciprocal_)
    assert 2 * gsbm.pair_states_.one_way.item() == pytest.approx(ger.p_one_way_)
    assert expected_triad_census(gsbm).to_numpy() == pytest.approx(
        expected_triad_census(ger).to_numpy())


def test_unlabelled_cells_are_one_more_group():
    nodes = pd.DataFrame({"id": range(4), "type": ["E", None, " ", "E"]})
    g = SynapseGraph.from_edges([0, 1], [1, 2], nodes=nodes)
    model = StochasticBlockModel(groups="type").fit(g)
    assert model.groups_.labels == ("E", UNLABELLED)
    assert model.groups_.n_unlabelled == 2
    # E -> unlabelled: 1 of 4 ordered pairs; unlabelled -> unlabelled: 1 of 2.
    assert model.p_.tolist() == [[0.0, 0.25], [0.0, 0.5]]


def test_groups_must_be_named_and_exist():
    g = SynapseGraph.from_edges([0], [1], nodes=pd.DataFrame({"id": [0, 1], "x": 0.0}))
    with pytest.raises(ValueError, match="needs groups=COLUMN"):
        StochasticBlockModel().fit(g)
    with pytest.raises(ValueError, match="no group column 'type'"):
        ReciprocalStochasticBlockModel(groups="type").fit(g)
