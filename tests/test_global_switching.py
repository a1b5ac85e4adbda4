"""Global edge switching: each round is the involution it claims, against a brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.nullmodels import ConfigurationModel, ReciprocalConfigurationModel
from connectome_motifs.nullmodels.kernels.global_switching import (
    IDLE_BITS,
    chunk_count,
    random_permutation,
    reverse_triangles,
    row_chunks,
    switch_round,
    switch_round_keeping_pairs,
)
from connectome_motifs.nullmodels.kernels.random_bits import bounded, new_state, next_u64
from tests.strategies import synapse_graphs


def slots(graph: SynapseGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sources = np.repeat(np.arange(graph.n, dtype=np.int32), graph.out_degree)
    return graph.out_indptr, sources, graph.out_indices.copy()


def run_round(graph, targets, seed, chunks=None, keep_pairs=False):
    """One round on ``targets`` in place (one that keeps the reciprocal pairs, with
    ``keep_pairs``); return the switches made and the scratch."""
    indptr, sources, _ = slots(graph)
    m = targets.size
    chunks = chunk_count(m) if chunks is None else chunks
    scratch = (np.empty(m, np.int32), np.empty(m, np.uint16), np.empty(m, np.int64),
               np.empty(m // 2, np.uint8))
    kernel = switch_round_keeping_pairs if keep_pairs else switch_round
    made = kernel(indptr, sources, targets, np.uint64(seed), chunks, row_chunks(indptr, chunks),
                  *scratch)
    return made, scratch


def reference_round(sources, targets, perm, active, keep_pairs=False):
    """The round's rule by sets: a switch is made when legal on the starting graph and no
    other active switch proposes or holds one of its new or old edges; with ``keep_pairs``,
    also none of its reverse edges (b -> a, d -> c, d -> a, b -> c) exists there or is
    another switch's new or old edge."""
    edges = set(zip(sources.tolist(), targets.tolist(), strict=True))
    switches = []
    for i in range(targets.size // 2):
        if active[i]:
            s1, s2 = int(perm[2 * i]), int(perm[2 * i + 1])
            switches.append((i, s1, s2, sources[s1], targets[s1], sources[s2], targets[s2]))
    touched = {i: {(a, d), (c, b), (a, b), (c, d)} for i, _, _, a, b, c, d in switches}
    out = targets.copy()
    made = 0
    for i, s1, s2, a, b, c, d in switches:
        new = {(a, d), (c, b)}
        reverse = {(b, a), (d, c), (d, a), (b, c)} if keep_pairs else set()
        legal = a != d and c != b and not (new & edges) and not (reverse & edges)
        others = set().union(*(edges_j for j, edges_j in touched.items() if j != i))
        if legal and not ((touched[i] | reverse) & others):
            out[s1], out[s2] = targets[s2], targets[s1]
            made += 1
    return out, made


def reciprocated_slots(sources, targets) -> set[int]:
    edges = set(zip(sources.tolist(), targets.tolist(), strict=True))
    return {s for s, (u, v) in enumerate(zip(sources.tolist(), targets.tolist(), strict=True))
            if (v, u) in edges}


def check_round(graph, seed, chunks=None, keep_pairs=False):
    """Run a round; check it against the rule, the degrees and, with ``keep_pairs``, the
    reciprocal pairs; undo it; return the switches made and the round's permutation."""
    _, sources, start = slots(graph)
    targets = start.copy()
    made, (perm, _, proposal, _) = run_round(graph, targets, seed, chunks, keep_pairs)
    m = start.size
    if m < 2:  # no switch: the round draws nothing
        assert made == 0 and np.array_equal(targets, start)
        return made, perm
    # Idle switches leave -1 as the proposal of both their slots.
    active = [proposal[perm[2 * i]] >= 0 for i in range(m // 2)]
    expected, expected_made = reference_round(sources, start, perm, active, keep_pairs)
    assert np.array_equal(targets, expected)
    assert made == expected_made
    sample = SynapseGraph.from_edges(sources, targets, n=graph.n)  # raises if not simple
    assert sample.n_edges == m
    assert np.array_equal(sample.out_degree, graph.out_degree)
    assert np.array_equal(sample.in_degree, graph.in_degree)
    if keep_pairs:
        assert sample.n_reciprocal_pairs == graph.n_reciprocal_pairs
        # Only one-way edges moved: the same slots are reciprocated as before.
        assert reciprocated_slots(sources, targets) == reciprocated_slots(sources, start)
    # The same draws applied to the result undo the round.
    again, _ = run_round(graph, targets, seed, chunks, keep_pairs)
    assert again == made
    assert np.array_equal(targets, start)
    return made, perm


@settings(max_examples=300, deadline=None)
@given(graph=synapse_graphs(max_nodes=30), seed=st.integers(0, 2**64 - 1),
       chunks=st.sampled_from([None, 1, 2, 3]))
def test_a_round_is_the_rule_and_its_own_inverse(graph, seed, chunks):
    _, perm = check_round(graph, seed, chunks)
    m = graph.n_edges
    if m < 2:
        return
    expected_perm = np.empty(m, np.int32)
    random_permutation(m, np.uint64(seed), chunk_count(m) if chunks is None else chunks,
                       expected_perm, np.empty(m, np.uint16))
    assert np.array_equal(np.sort(perm), np.arange(m))
    assert np.array_equal(perm, expected_perm)


@settings(max_examples=300, deadline=None)
@given(graph=synapse_graphs(max_nodes=30), seed=st.integers(0, 2**64 - 1),
       chunks=st.sampled_from([None, 1, 2, 3]))
def test_a_round_keeping_pairs_is_the_rule_and_its_own_inverse(graph, seed, chunks):
    check_round(graph, seed, chunks, keep_pairs=True)


@pytest.mark.parametrize("seed", range(5))
def test_rounds_keeping_pairs_on_hub_graphs_match_the_rule(seed):
    graph = hub_graph(seed)
    assert graph.n_reciprocal_pairs > 0
    assert check_round(graph, seed + 11, keep_pairs=True)[0] > 0


def hub_graph(seed: int) -> SynapseGraph:
    # Rows far longer than 16 slots (the table path), reciprocal pairs among the hubs.
    rng = np.random.default_rng(seed)
    n = 200
    weight = rng.pareto(1.2, n) + 1
    p = np.minimum(1.0, 0.02 * np.outer(weight, weight) / weight.mean())
    np.fill_diagonal(p, 0)
    pre, post = np.nonzero(rng.random((n, n)) < p)
    return SynapseGraph.from_edges(pre, post, n=n)


@pytest.mark.parametrize("seed", range(5))
def test_rounds_on_hub_graphs_match_the_rule(seed):
    graph = hub_graph(seed)
    assert graph.out_degree.max() > 40
    assert check_round(graph, seed + 11)[0] > 0


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("model", [ConfigurationModel, ReciprocalConfigurationModel])
def test_rounds_are_the_same_on_one_and_two_threads(seed, model, on_threads):
    graph = hub_graph(seed)
    results = []
    for count in (1, 2):
        with on_threads(count):
            sample = model(burn_in=20 * graph.n_edges).fit(graph).sample(seed)
        results.append(sample)
    assert results[0].equals(results[1])
    assert not results[0].equals(graph)


def test_the_permutation_is_uniform_over_buckets(on_threads):
    # 5 elements in 3 buckets: every one of the 120 orders, equally often.
    m, draws = 5, 36_000
    perm, bucket = np.empty(m, np.int32), np.empty(m, np.uint16)
    index = {p: k for k, p in enumerate(itertools.permutations(range(m)))}
    counts = np.zeros(len(index), dtype=np.int64)
    with on_threads(1):  # a parallel region per call costs more than the draw
        for seed in range(draws):
            random_permutation(m, np.uint64(seed), 3, perm, bucket)
            counts[index[tuple(perm.tolist())]] += 1
    assert counts.min() > 0
    assert stats.chisquare(counts).pvalue > 1e-3


def test_the_model_makes_whole_rounds():
    graph = hub_graph(0)
    model = ConfigurationModel().fit(graph)
    m = graph.n_edges
    assert model.round_steps_ == m // 2 + model.round_single_steps_
    assert model.round_single_steps_ == int(np.ceil(m // 2 * 0.1 / 0.9))
    # One step asks for a round; a round's steps ask for one; one step more for two.
    one, exact, two = (next(model.walk(3, [k]))
                       for k in (1, model.round_steps_, model.round_steps_ + 1))
    assert one.equals(exact)
    assert not one.equals(two)
    chained = list(model.walk(3, [1, model.round_steps_]))
    assert chained[1].equals(two)


def test_a_gcfg_round_makes_the_single_chains_other_moves_with_a_fifth_of_2_swaps():
    # th100 has reciprocal pairs, so gCFG proposes triangle reversals (0.1), pair swaps (0.1)
    # and pair shifts (0.3) on half its single-move steps: a round's single steps make 0.5 of
    # them per switch, and 2-swaps on 0.2 of those steps.
    graph = pinky100("th100")
    model = ReciprocalConfigurationModel().fit(graph)
    switches = graph.n_edges // 2
    assert model.round_single_steps_ == int(np.ceil(switches * 0.5 / 0.8))
    assert model.round_steps_ == switches + model.round_single_steps_
    np.testing.assert_allclose(model.round_move_probabilities_, (0.16, 0.16, 0.48))


def reference_triangles(indptr, sources, targets, draws):
    """The triangle proposals ``draws`` (slot, word) made one by one, by sets: the word's
    top IDLE_BITS bits 0 is idle; else its low 32 bits name b's out-slot (Lemire), and the
    cycle a -> b -> c -> a turns when c -> a exists and a -> c, c -> b, b -> a do not."""
    out = targets.copy()
    edges = set(zip(sources.tolist(), out.tolist(), strict=True))
    made = 0
    for s1, word in draws:
        if word >> (64 - IDLE_BITS) == 0:
            continue
        a, b = int(sources[s1]), int(out[s1])
        lo, d = int(indptr[b]), int(indptr[b + 1] - indptr[b])
        if d == 0:
            continue
        x = (word & 0xFFFFFFFF) * d
        # A rejection (probability below d / 2**32) would draw out of order: none here.
        assert x & 0xFFFFFFFF >= 2**32 % d
        s2 = lo + (x >> 32)
        c = int(out[s2])
        if c == a or (c, a) not in edges or {(a, c), (c, b), (b, a)} & edges:
            continue
        s3 = next(s for s in range(indptr[c], indptr[c + 1]) if out[s] == a)
        out[s1], out[s2], out[s3] = c, a, b
        edges -= {(a, b), (b, c), (c, a)}
        edges |= {(a, c), (b, a), (c, b)}
        made += 1
    return out, made


@st.composite
def oriented_graphs(draw):
    """Graphs on up to 9 nodes whose pairs are each empty, one-way or (rarely) reciprocal:
    many directed 3-cycles, some with a reciprocal pair, some sinks."""
    n = draw(st.integers(1, 9))
    pre, post = [], []
    for u, v in itertools.combinations(range(n), 2):
        kind = draw(st.sampled_from(["none", "forward", "backward", "forward", "backward",
                                     "both"]))
        if kind in ("forward", "both"):
            pre.append(u), post.append(v)
        if kind in ("backward", "both"):
            pre.append(v), post.append(u)
    return SynapseGraph.from_edges(np.array(pre, dtype=np.int64),
                                   np.array(post, dtype=np.int64), n=n)


@settings(max_examples=300, deadline=None)
@given(graph=st.one_of(oriented_graphs(), synapse_graphs(max_nodes=30)),
       seed=st.integers(0, 2**63), n_proposals=st.integers(0, 300))
def test_triangle_proposals_drawn_ahead_make_the_moves_made_one_by_one(graph, seed,
                                                                       n_proposals):
    indptr, sources, start = slots(graph)
    state = new_state(np.random.default_rng(seed))
    replay = state.copy()
    m = start.size
    draws = [(int(bounded(replay, m)), int(next_u64(replay))) for _ in range(n_proposals)]
    expected, expected_made = reference_triangles(indptr, sources, start,
                                                  draws if m else [])
    targets = start.copy()
    made = reverse_triangles(indptr, sources, targets, n_proposals, state)
    assert made == expected_made
    assert np.array_equal(targets, expected)
    if m:
        assert np.array_equal(state, replay)


def test_triangle_proposals_turn_a_lone_three_cycle():
    graph = SynapseGraph.from_edges(np.array([0, 1, 2]), np.array([1, 2, 0]), n=3)
    indptr, sources, targets = slots(graph)
    # Every proposal through one of its 3 slots names the only out-slot of the target:
    # all but the idle ones (1 in 64) turn the cycle, back and forth.
    made = reverse_triangles(indptr, sources, targets, 6400, new_state(np.random.default_rng(0)))
    assert 6000 < made < 6400
    assert np.array_equal(targets, [1, 2, 0]) == (made % 2 == 0)


def test_an_unknown_switching_is_an_error():
    with pytest.raises(ValueError, match="switching must be 'global' or 'single'"):
        ConfigurationModel(switching="parallel").fit(hub_graph(0))

