"""Exact expected censuses agree with brute-force enumeration and with the closed form."""

from __future__ import annotations

from itertools import combinations, product
from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import triad_census
from connectome_motifs.motifs.expected import expected_dyad_census, expected_triad_census
from connectome_motifs.nullmodels import ConfigurationModel, ErdosRenyi, PairStateProbabilities

NAMES = list(triad_census(SynapseGraph.from_edges([], [], n=0)).index)


def random_states(n: int, seed: int) -> PairStateProbabilities:
    """Heterogeneous pair-state probabilities: each pair's four states from a Dirichlet."""
    rng = np.random.default_rng(seed)
    one_way = np.zeros((n, n))
    reciprocal = np.zeros((n, n))
    for i, j in combinations(range(n), 2):
        _, forward, backward, both = rng.dirichlet(np.full(4, 0.7))
        one_way[i, j], one_way[j, i] = forward, backward
        reciprocal[i, j] = reciprocal[j, i] = both
    return PairStateProbabilities(n, one_way=one_way, reciprocal=reciprocal)


def pair_distribution(states: PairStateProbabilities, i: int, j: int) -> dict:
    """The four (edge i->j, edge j->i) outcomes of pair {i, j} and their probabilities."""
    one_way, reciprocal = states.dense()
    forward, backward, both = one_way[i, j], one_way[j, i], reciprocal[i, j]
    return {(0, 0): 1 - forward - backward - both, (1, 0): forward, (0, 1): backward,
            (1, 1): both}


def brute_force_per_triple(states: PairStateProbabilities, man_code) -> np.ndarray:
    """Sum over every triple of the 4³ state combinations of its three pairs."""
    expected = np.zeros(16)
    for i, j, k in combinations(range(states.n), 3):
        dists = [pair_distribution(states, u, v) for u, v in ((i, j), (i, k), (j, k))]
        for (e_ij, p_ij), (e_ik, p_ik), (e_jk, p_jk) in product(*(d.items() for d in dists)):
            a = np.zeros((3, 3), dtype=int)
            a[0, 1], a[1, 0] = e_ij
            a[0, 2], a[2, 0] = e_ik
            a[1, 2], a[2, 1] = e_jk
            expected[NAMES.index(man_code(a, (0, 1, 2)))] += p_ij * p_ik * p_jk
    return expected


def brute_force_whole_graph(states: PairStateProbabilities, man_code) -> np.ndarray:
    """Sum over all 4^(n choose 2) graphs of its probability times its census (tiny n)."""
    n = states.n
    pairs = list(combinations(range(n), 2))
    dists = [pair_distribution(states, i, j) for i, j in pairs]
    expected = np.zeros(16)
    for outcome in product(*(d.items() for d in dists)):
        a = np.zeros((n, n), dtype=int)
        probability = 1.0
        for (i, j), ((forward, backward), p) in zip(pairs, outcome, strict=True):
            a[i, j], a[j, i] = forward, backward
            probability *= p
        for triple in combinations(range(n), 3):
            expected[NAMES.index(man_code(a, triple))] += probability
    return expected


@pytest.mark.parametrize("n", [3, 4])
def test_kernel_agrees_with_enumerating_every_graph(n, man_code):
    states = random_states(n, seed=n)
    got = expected_triad_census(states)
    assert got.to_numpy() == pytest.approx(brute_force_whole_graph(states, man_code), abs=1e-12)


@settings(max_examples=30)
@given(n=st.integers(0, 8), seed=st.integers(0, 2**32 - 1))
def test_kernel_agrees_with_enumerating_each_triple(n, seed, man_code):
    states = random_states(n, seed)
    got = expected_triad_census(states)
    assert list(got.index) == NAMES
    assert got.to_numpy() == pytest.approx(brute_force_per_triple(states, man_code), abs=1e-9)
    assert got.sum() == pytest.approx(comb(n, 3))


@settings(max_examples=100)
@given(
    n=st.integers(0, 12),
    reciprocal=st.floats(0, 1),
    share=st.floats(0, 1),
)
def test_closed_form_agrees_with_the_kernel(n, reciprocal, share):
    one_way = (1 - reciprocal) * share / 2
    homogeneous = PairStateProbabilities(n, one_way=one_way, reciprocal=reciprocal)
    dense = PairStateProbabilities(n, *homogeneous.dense())
    assert expected_triad_census(homogeneous).to_numpy() == pytest.approx(
        expected_triad_census(dense).to_numpy(), rel=1e-9, abs=1e-9
    )
    assert expected_dyad_census(homogeneous).to_numpy() == pytest.approx(
        expected_dyad_census(dense).to_numpy(), rel=1e-9, abs=1e-9
    )


def test_closed_form_by_hand():
    # 4 nodes, every pair reciprocal with probability 1/2, else unconnected: the 4 triples
    # have 0, 1, 2 or 3 reciprocal pairs with probabilities 1/8, 3/8, 3/8, 1/8.
    e = expected_triad_census(PairStateProbabilities(4, one_way=0.0, reciprocal=0.5))
    assert e[["003", "102", "201", "300"]].tolist() == [0.5, 1.5, 1.5, 0.5]
    assert e.drop(["003", "102", "201", "300"]).eq(0).all()


def test_er_expectation_matches_observed_density_scale():
    graph = SynapseGraph.from_edges([0, 1, 2, 3], [1, 2, 3, 0])
    e = expected_triad_census(ErdosRenyi().fit(graph))
    # p = 4/12 = 1/3: P(003) = ((2/3)²)³ per triple, 4 triples.
    assert e["003"] == pytest.approx(4 * (4 / 9) ** 3)


def test_models_with_dependent_pairs_are_refused():
    model = ConfigurationModel().fit(SynapseGraph.from_edges([0], [1]))
    with pytest.raises(TypeError, match="independent-dyad"):
        expected_triad_census(model)
    with pytest.raises(TypeError, match="independent-dyad"):
        expected_dyad_census("ER")


def test_symmetric_one_way_probabilities_take_the_shortcut_and_agree(man_code):
    # Symmetric one-way probabilities (as in PM) use 3 products instead of 6.
    n = 7
    rng = np.random.default_rng(5)
    p = np.triu(rng.uniform(0, 0.6, (n, n)), 1)
    p = p + p.T
    states = PairStateProbabilities(n, one_way=p * (1 - p), reciprocal=p * p)
    assert expected_triad_census(states).to_numpy() == pytest.approx(
        brute_force_per_triple(states, man_code), abs=1e-12)


@pytest.mark.parametrize("symmetric", [False, True])
def test_row_blocks_add_up_to_the_brute_force(monkeypatch, man_code, symmetric):
    # Blocks of 3 rows of 8 (the last one short): every Gram product B Bᵀ is made of its
    # diagonal blocks and the blocks right of them, standing for their mirror images too.
    import connectome_motifs.motifs.expected as expected

    monkeypatch.setattr(expected, "_BLOCK_ROWS", 3)
    states = random_states(8, seed=2)
    if symmetric:
        one_way, reciprocal = states.dense()
        states = PairStateProbabilities(8, one_way=(one_way + one_way.T) / 2,
                                        reciprocal=reciprocal)
    assert expected_triad_census(states).to_numpy() == pytest.approx(
        brute_force_per_triple(states, man_code), abs=1e-12)
