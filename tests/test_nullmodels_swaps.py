"""Edge-swap samplers keep exactly what they claim; their edge sets and generator are exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import ConfigurationModel, ReciprocalConfigurationModel
from connectome_motifs.nullmodels.diagnostics import autocorrelation
from connectome_motifs.nullmodels.kernels.edge_set import (
    edge_set_add,
    edge_set_contains,
    edge_set_from_csr,
    edge_set_remove,
    prefer_dense,
)
from connectome_motifs.nullmodels.kernels.edge_swaps import (
    RECIPROCAL_PAIRS,
    sort_rows,
    switch_and_hold,
)
from connectome_motifs.nullmodels.kernels.random_bits import bounded, new_state, next_u64, uniform
from tests.strategies import synapse_graphs


def node_reciprocity(graph: SynapseGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-node reciprocal, out-only and in-only degrees, from the adjacency matrix."""
    a = np.zeros((graph.n, graph.n), dtype=int)
    pre, post = graph.edges()
    a[pre, post] = 1
    mutual = a * a.T
    return mutual.sum(axis=1), (a - mutual).sum(axis=1), (a - mutual).sum(axis=0)


@settings(max_examples=200)
@given(
    graph=synapse_graphs(max_nodes=25),
    seed=st.integers(0, 2**32 - 1),
    burn_in=st.sampled_from([None, 0, 1, 37, 500]),
    triangle_probability=st.sampled_from([0.0, 0.1, 0.5]),
)
def test_samplers_keep_degrees_and_reciprocity(graph, seed, burn_in, triangle_probability):
    settings_ = {"burn_in": burn_in, "triangle_probability": triangle_probability}
    cfg = ConfigurationModel(**settings_).fit(graph).sample(seed)
    glob = ReciprocalConfigurationModel("global", **settings_).fit(graph).sample(seed)
    node = ReciprocalConfigurationModel("node", **settings_).fit(graph).sample(seed)
    for sample in (cfg, glob, node):
        assert np.array_equal(sample.out_degree, graph.out_degree)
        assert np.array_equal(sample.in_degree, graph.in_degree)
    assert glob.n_reciprocal_pairs == graph.n_reciprocal_pairs
    for got, want in zip(node_reciprocity(node), node_reciprocity(graph), strict=True):
        assert np.array_equal(got, want)


def test_gcfg_needs_room_for_2_swaps():
    # With two reciprocal pairs, 0.4 of gCFG's steps move them (0.1 swaps, 0.3 shifts);
    # a triangle probability of 0.6 or more would leave no 2-swaps.
    graph = SynapseGraph.from_edges([0, 1, 2, 3, 2, 4], [1, 0, 3, 2, 4, 0])
    ConfigurationModel(triangle_probability=0.9).fit(graph)  # CFG moves no pairs
    ReciprocalConfigurationModel(triangle_probability=0.5).fit(graph)
    with pytest.raises(ValueError, match=r"0\.4 of them\), so it must be below 0\.6"):
        ReciprocalConfigurationModel(triangle_probability=0.6).fit(graph)


def shift_only_chain(graph: SynapseGraph, seed: int, by_rows: bool = False):
    """gCFG's chain arrays and a function making ``k`` steps that are all pair shifts,
    testing edges in a set or, ``by_rows``, by row scans (as global switching does)."""
    model = ReciprocalConfigurationModel(
        "global", switching="global" if by_rows else "single").fit(graph)
    targets, table, *mutual, _ = model._chain_arrays()
    state = new_state(np.random.default_rng(seed))

    def steps(k: int) -> SynapseGraph:
        switch_and_hold(model.out_indptr_, model.edge_sources_, targets, table,
                        model.dense_edge_set_, graph.n, k, 0.0, RECIPROCAL_PAIRS, *mutual,
                        0.0, 1.0, state)
        return SynapseGraph.from_edges(model.edge_sources_, targets.copy(), n=graph.n)

    return steps, model.edge_sources_, targets, table, model.dense_edge_set_, mutual


@settings(max_examples=200)
@given(graph=synapse_graphs(max_nodes=25), seed=st.integers(0, 2**32 - 1),
       by_rows=st.booleans())
def test_pair_shifts_keep_degrees_reciprocal_pairs_and_the_slot_lists(graph, seed, by_rows):
    # Every step a pair shift: the degrees and the number of reciprocal pairs stay, the
    # edge set holds exactly the slots' edges, and the list of reciprocated slots is exact.
    steps, sources, targets, table, dense, (listed, position, count) = shift_only_chain(
        graph, seed, by_rows)
    for _ in range(5):
        sample = steps(20)
        assert np.array_equal(sample.out_degree, graph.out_degree)
        assert np.array_equal(sample.in_degree, graph.in_degree)
        assert sample.n_edges == graph.n_edges  # no duplicate slots
        assert sample.n_reciprocal_pairs == graph.n_reciprocal_pairs
        edges = set(zip(sources.tolist(), targets.tolist(), strict=True))
        assert by_rows or all(edge_set_contains(table, u * max(graph.n, 1) + v, dense)
                              for u, v in edges)
        reciprocated = {s for s, (u, v) in enumerate(zip(sources, targets, strict=True))
                        if (v, u) in edges}
        assert set(listed[: count[0]].tolist()) == reciprocated
        assert all(position[listed[k]] == k for k in range(count[0]))
        assert (position >= 0).sum() == count[0]


@pytest.mark.parametrize("by_rows", [False, True])
def test_pair_shifts_alone_are_uniform_over_the_graphs_they_reach(by_rows):
    # Five nodes, one reciprocal pair, which shifts move between nodes of out-degree 1 and
    # 2. Without the Metropolis-Hastings factor min(1, d_c / d_b) the 4 graphs the shifts
    # reach are far from equally likely, and this test fails; samples 300 steps apart.
    edges = [(0, 2), (1, 2), (1, 4), (2, 0), (3, 0), (3, 1), (4, 3)]
    graph = SynapseGraph.from_edges(*zip(*edges, strict=True), n=5)
    steps, *_ = shift_only_chain(graph, seed=0, by_rows=by_rows)
    codes = []
    for _ in range(4000):
        pre, post = steps(300).edges()
        codes.append(tuple(sorted(zip(pre.tolist(), post.tolist(), strict=True))))
    _, counts = np.unique(np.array(codes), axis=0, return_counts=True)
    assert counts.size == 4
    assert stats.chisquare(counts).pvalue > 1e-3


def test_samplers_actually_move_and_cfg_changes_reciprocity():
    rng = np.random.default_rng(3)
    a = rng.random((40, 40)) < 0.1
    a |= a.T & (rng.random((40, 40)) < 0.6)
    np.fill_diagonal(a, False)
    graph = SynapseGraph.from_edges(*np.nonzero(a), n=40)
    cfg = ConfigurationModel().fit(graph)
    reciprocal = {cfg.sample(s).n_reciprocal_pairs for s in range(20)}
    assert len(reciprocal) > 3
    models = (cfg, ReciprocalConfigurationModel("global"), ReciprocalConfigurationModel("node"))
    for model in models:
        model.fit(graph)
        diagnostics = model.mixing_diagnostics(seed=1, n_checkpoints=30)
        assert diagnostics.edge_overlap[0] == 1.0
        assert diagnostics.edge_overlap_after_burn_in < 0.6
        assert 0 < diagnostics.acceptance_rate < 1


def test_mixing_diagnostics_report_the_trace():
    graph = SynapseGraph.from_edges([0, 1, 2, 3, 4, 0], [1, 2, 3, 4, 0, 2])
    model = ConfigurationModel(burn_in=12).fit(graph)
    d = model.mixing_diagnostics(seed=0, n_checkpoints=8, spacing=4)
    assert d.steps.tolist() == [0, 4, 8, 12, 16, 20, 24, 28, 32]
    assert d.burn_in == 12
    # First checkpoint at or after step 12 is index 3.
    assert d.edge_overlap_after_burn_in == d.edge_overlap[3]
    assert d.edge_overlap_stationary == pytest.approx(d.edge_overlap[3:].mean())
    assert d.transitive_triangles[0] == 1  # 0 -> 1, 1 -> 2, 0 -> 2, by hand
    assert d.autocorrelation.size == 6
    assert model.mixing_diagnostics(seed=0, n_checkpoints=8, spacing=4).edge_overlap.tolist() \
        == d.edge_overlap.tolist()
    with pytest.raises(ValueError, match="positive"):
        model.mixing_diagnostics(spacing=0)


def test_autocorrelation_by_hand():
    # x = (1, 2, 3): centred (-1, 0, 1), sum of squares 2; lag 1: (-1*0 + 0*1) / 2 = 0.
    assert autocorrelation([1.0, 2.0, 3.0], max_lag=2).tolist() == [1.0, 0.0, -0.5]
    assert np.isnan(autocorrelation([4.0, 4.0, 4.0])).all()


@settings(max_examples=100)
@given(
    start=st.sets(st.integers(0, 24 * 24 - 1), max_size=60),
    ops=st.lists(st.tuples(st.booleans(), st.integers(0, 24 * 24 - 1)), max_size=300),
    dense=st.booleans(),
)
def test_edge_set_matches_a_python_set(start, ops, dense):
    # A hash set is sized for the graph it is built from (load at most 1/2), and a swap
    # chain never holds more keys than that: the operations keep to that many keys.
    keys = np.array(sorted(start), dtype=np.int64)
    indptr = np.searchsorted(keys // 24, np.arange(25)).astype(np.int64)
    table = edge_set_from_csr(indptr, keys % 24, 24, dense)
    reference = set(start)
    for add, key in ops:
        if add and key not in reference and len(reference) < len(start):
            edge_set_add(table, key, dense)
            reference.add(key)
        elif not add and key in reference:
            edge_set_remove(table, key, dense)
            reference.discard(key)
        assert all(edge_set_contains(table, k, dense) == (k in reference) for k in range(576))


def test_edge_set_from_csr_holds_every_edge():
    graph = SynapseGraph.from_edges([0, 0, 3, 2], [1, 3, 2, 0], n=5)
    for dense in (True, False):
        table = edge_set_from_csr(graph.out_indptr, graph.out_indices.astype(np.int64), 5, dense)
        keys = {0 * 5 + 1, 0 * 5 + 3, 3 * 5 + 2, 2 * 5 + 0}
        assert {k for k in range(25) if edge_set_contains(table, k, dense)} == keys
    assert prefer_dense(363, 1750) and not prefer_dense(100_000, 3_000_000)


def _xoshiro_reference(state: list[int], count: int) -> list[int]:
    # xoshiro256** from Blackman & Vigna's definition, in Python integers.
    mask = (1 << 64) - 1
    s = list(state)
    out = []
    for _ in range(count):
        x = (s[1] * 5) & mask
        out.append((((x << 7) | (x >> 57)) & mask) * 9 & mask)
        t = (s[1] << 17) & mask
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & mask
    return out


def test_generator_is_xoshiro256starstar():
    state = new_state(np.random.default_rng(9))
    expected = _xoshiro_reference([int(v) for v in state], 50)
    assert [int(next_u64(state)) for _ in range(50)] == expected
    # The published first output for the state (1, 2, 3, 4) is 11520.
    assert int(next_u64(np.array([1, 2, 3, 4], dtype=np.uint64))) == 11520


@pytest.mark.parametrize("bound", [1, 2, 3, 7, 1000, 2**32 - 5, 2**32 + 3, 3 * 2**40])
def test_bounded_draws_are_in_range_and_uniform(bound):
    state = new_state(np.random.default_rng(bound % 1000))
    draws = np.array([bounded(state, bound) for _ in range(20_000)])
    assert draws.min() >= 0 and draws.max() < bound
    bins = min(bound, 10)
    if bins == 1:
        return
    counts = np.bincount(draws * bins // bound, minlength=bins)
    # Bin k holds the values v with k bound / bins <= v < (k + 1) bound / bins.
    edges = [-(-k * bound // bins) for k in range(bins + 1)]
    sizes = np.diff(edges)
    assert stats.chisquare(counts, 20_000 * sizes / bound).pvalue > 1e-4


def test_uniform_draws_lie_in_the_unit_interval():
    state = new_state(np.random.default_rng(2))
    u = np.array([uniform(state) for _ in range(20_000)])
    assert u.min() >= 0 and u.max() < 1
    assert stats.kstest(u, "uniform").pvalue > 1e-4


@settings(max_examples=100)
@given(rows=st.lists(st.lists(st.integers(-5, 200), max_size=80), max_size=8))
def test_sort_rows_sorts_each_row_of_a_copy(rows):
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    targets = np.array([x for r in rows for x in r], dtype=np.int32)
    before = targets.copy()
    got = sort_rows(indptr, targets)
    assert got.tolist() == [x for r in rows for x in sorted(r)]
    assert targets.tolist() == before.tolist()
