"""The weight-shuffling null keeps the synapse counts exactly and permutes them uniformly."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import ConfigurationModel, ErdosRenyi
from connectome_motifs.nullmodels.weight_shuffle import WeightShuffle
from tests.strategies import synapse_graphs


def weighted(graph: SynapseGraph, seed: int) -> SynapseGraph:
    """``graph`` with heavy-tailed synapse counts and a two-group column ``type``."""
    rng = np.random.default_rng(seed)
    pre, post = graph.edges()
    weights = 1 + rng.zipf(1.8, graph.n_edges).clip(max=10_000)
    nodes = pd.DataFrame({"id": np.arange(graph.n), "type": rng.choice(["E", "I"], graph.n)})
    return SynapseGraph.from_edges(pre, post, weights, n=graph.n, nodes=nodes)


def by_group_pair(graph: SynapseGraph) -> Counter:
    types = graph.nodes["type"].to_numpy()
    pre, post = graph.edges()
    return Counter(zip(types[pre], types[post], graph.out_weights.tolist(), strict=True))


@settings(max_examples=40, deadline=None)
@given(graph=synapse_graphs(max_nodes=20), seed=st.integers(0, 2**32 - 1))
def test_counts_are_kept_exactly_and_the_wiring_is_the_observed(graph, seed):
    g = weighted(graph, seed)
    for within in (None, "type"):
        sample = WeightShuffle(within=within).fit(g).sample(seed)
        np.testing.assert_array_equal(sample.out_indices, g.out_indices)
        assert sorted(sample.out_weights) == sorted(g.out_weights)
        if within:
            assert by_group_pair(sample) == by_group_pair(g)


@settings(max_examples=20, deadline=None)
@given(graph=synapse_graphs(max_nodes=20), seed=st.integers(0, 2**32 - 1))
def test_on_a_configuration_sample_degrees_and_counts_are_kept(graph, seed):
    g = weighted(graph, seed)
    sample = WeightShuffle(ConfigurationModel(chains=None)).fit(g).sample(seed)
    np.testing.assert_array_equal(sample.out_degree, g.out_degree)
    np.testing.assert_array_equal(sample.in_degree, g.in_degree)
    assert sorted(sample.out_weights) == sorted(g.out_weights)


def test_every_order_of_the_counts_is_equally_likely():
    g = SynapseGraph.from_edges([0, 1, 2, 3], [1, 2, 3, 0], [1, 2, 3, 4])
    model = WeightShuffle().fit(g)
    seen = Counter(tuple(model.sample(seed).out_weights) for seed in range(4800))
    assert set(seen) == set(permutations([1, 2, 3, 4]))
    assert chisquare(list(seen.values())).pvalue > 1e-3


def test_within_groups_only_same_pair_counts_trade_places():
    # E -> E: 0 -> 1 (count 1), 1 -> 0 (count 2); E -> I: 0 -> 2 (count 7).
    nodes = pd.DataFrame({"id": [0, 1, 2], "type": ["E", "E", "I"]})
    g = SynapseGraph.from_edges([0, 1, 0], [1, 0, 2], [1, 2, 7], nodes=nodes)
    model = WeightShuffle(within="type").fit(g)
    seen = Counter()
    for seed in range(400):
        sample = model.sample(seed)
        assert sample.out_weights[sample.out_indptr[0] + 1] == 7  # 0 -> 2 keeps its count
        seen[sample.out_weights[0]] += 1
    assert set(seen) == {1, 2} and min(seen.values()) > 150


def test_models_that_cannot_carry_the_counts_are_refused():
    g = SynapseGraph.from_edges([0, 2], [1, 3], [4, 5],
                                nodes=pd.DataFrame({"id": range(4), "type": list("AABB")}))
    with pytest.raises(ValueError, match="varying number of connections"):
        WeightShuffle(ErdosRenyi()).fit(g)
    # A configuration sample of A -> A, B -> B is A -> B, B -> A half of the time.
    model = WeightShuffle(ConfigurationModel(chains=None), within="type").fit(g)
    with pytest.raises(ValueError, match="changed the number of connections between groups"):
        for seed in range(40):
            model.sample(seed)
