"""bCFG keeps every degree and block count exactly and samples every realisation uniformly."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse, stats
from scipy.sparse import csgraph

from connectome_motifs.graphs import MissingColumnError, SynapseGraph
from connectome_motifs.nullmodels import ConfigurationModel, ensemble
from connectome_motifs.nullmodels.block_configuration import BlockConfigurationModel
from connectome_motifs.nullmodels.kernels.block_swaps import block_switch_and_hold, slot_layout
from connectome_motifs.nullmodels.kernels.edge_set import (
    edge_set_contains,
    edge_set_from_csr,
    prefer_dense,
)
from connectome_motifs.nullmodels.kernels.random_bits import new_state
from tests.strategies import synapse_graphs


def labelled(n: int, edges: list[tuple[int, int]], labels: list) -> SynapseGraph:
    """The graph of ``edges`` on ``n`` nodes with the group column ``type``."""
    nodes = pd.DataFrame({"id": np.arange(n), "type": labels})
    pre, post = zip(*edges, strict=True) if edges else ((), ())
    return SynapseGraph.from_edges(np.array(pre, dtype=np.int64),
                                   np.array(post, dtype=np.int64), n=n, nodes=nodes)


def codes_by_hand(labels: list) -> np.ndarray:
    """Group codes from the labels: sorted labels, then one group of every missing label."""
    names = [None if label is None or label != label else str(label) for label in labels]
    distinct = [*sorted({x for x in names if x is not None}), None]
    return np.array([distinct.index(x) for x in names], dtype=np.int64)


def blocks_by_hand(graph: SynapseGraph, codes: np.ndarray) -> np.ndarray:
    """The dense matrix of edges from group to group, counted edge by edge."""
    k = int(codes.max()) + 1 if codes.size else 0
    counts = np.zeros((k, k), dtype=np.int64)
    pre, post = graph.edges()
    for u, v in zip(pre.tolist(), post.tolist(), strict=True):
        counts[codes[u], codes[v]] += 1
    return counts


# Small graphs with groups, each chosen so that one of the moves matters.
CASES = {
    # A directed 3-cycle with two nodes in one group: its two orientations have the same
    # block counts, and only a triangle reversal (or a rotation) joins them.
    "triangle-two-groups": (3, [(0, 1), (1, 2), (2, 0)], ["E", "E", "I"]),
    # Paths 3 -> 0 -> 1 -> 2 and 3 -> 1 -> 0 -> 2: no 2-swap joins them, a rotation does.
    "path-rotation": (4, [(3, 0), (0, 1), (1, 2)], ["X", "X", "Y", "Z"]),
    # A 4-cycle with the chords 1 <-> 3: only a double swap reverses the cycle.
    "four-cycle-chords": (4, [(0, 1), (1, 2), (2, 3), (3, 0), (1, 3), (3, 1)],
                          ["X", "X", "Y", "Y"]),
    "five-nodes-reciprocal": (5, [(0, 1), (1, 0), (1, 2), (2, 3), (3, 1), (3, 4), (4, 0),
                                  (2, 4)], ["X", "X", "Y", "Y", "Y"]),
    "five-nodes-three-groups": (5, [(0, 1), (1, 0), (2, 3), (3, 2), (1, 2), (3, 4), (4, 0),
                                    (0, 2), (4, 1)], ["A", "B", "A", "C", "B"]),
    "five-nodes-unlabelled": (5, [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2), (0, 4),
                                  (3, 1)], ["A", None, "A", np.nan, "B"]),
    # One group: the configuration model's realisations.
    "one-group": (4, [(0, 1), (1, 2), (2, 0), (0, 3), (3, 2), (1, 3)], ["L23"] * 4),
}


@cache
def all_digraphs(n: int) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every simple digraph on n nodes as a row of 0/1 over the ordered pairs (brute force)."""
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    codes = np.arange(1 << len(pairs), dtype=np.int64)
    return pairs, ((codes[:, None] >> np.arange(len(pairs))) & 1).astype(np.int8)


def code_of(graph: SynapseGraph, pairs: list[tuple[int, int]]) -> int:
    pre, post = graph.edges()
    edges = set(zip(pre.tolist(), post.tolist(), strict=True))
    return sum(1 << k for k, p in enumerate(pairs) if p in edges)


def realisations(n: int, edges: list[tuple[int, int]], labels: list) -> np.ndarray:
    """Codes of every digraph with the observed degrees and block counts (brute force)."""
    pairs, bits = all_digraphs(n)
    codes = codes_by_hand(labels)
    k = int(codes.max()) + 1
    columns = []
    for v in range(n):
        columns.append(sum(bits[:, j] for j, (u, w) in enumerate(pairs) if u == v))
        columns.append(sum(bits[:, j] for j, (u, w) in enumerate(pairs) if w == v))
    for x in range(k):
        for y in range(k):
            columns.append(sum((bits[:, j] for j, (u, w) in enumerate(pairs)
                                if codes[u] == x and codes[w] == y),
                               np.zeros(len(bits), dtype=np.int8)))
    table = np.stack(columns, axis=1)
    observed = sum(1 << pairs.index(e) for e in edges)
    return np.flatnonzero((table == table[observed]).all(axis=1))


def realisation_counts(codes: np.ndarray, support: np.ndarray) -> np.ndarray:
    """How often each realisation was sampled, after checking that samples are realisations."""
    assert set(codes.tolist()) == set(support.tolist())
    return np.array([(codes == c).sum() for c in support])


def test_the_realisation_counts_by_hand():
    # Both orientations of the cycle when two nodes share a group; with three groups the
    # reversal changes the block counts, so the cycle is alone.
    n, edges, labels = CASES["triangle-two-groups"]
    assert realisations(n, edges, labels).size == 2
    assert realisations(n, edges, ["A", "B", "C"]).size == 1
    # The two paths: 0 and 1 may trade places, nothing else keeps the blocks.
    n, edges, labels = CASES["path-rotation"]
    assert realisations(n, edges, labels).size == 2


@pytest.mark.parametrize("case", CASES)
def test_chain_samples_every_realisation_uniformly(case):
    n, edges, labels = CASES[case]
    graph = labelled(n, edges, labels)
    support = realisations(n, edges, labels)
    assert support.size > 1
    # A long burn-in, so that the test is of the stationary distribution.
    model = BlockConfigurationModel(groups="type", burn_in=400 * len(edges)).fit(graph)
    n_samples = max(2000, 100 * support.size)
    pairs, _ = all_digraphs(n)
    seeds = np.random.SeedSequence(2024).spawn(n_samples)
    codes = np.array([code_of(model.sample(s), pairs) for s in seeds])
    counts = realisation_counts(codes, support)
    assert stats.chisquare(counts).pvalue > 1e-3


class Code:
    """The statistic of an ensemble that names each sample's realisation."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.pairs = pairs
        self.__name__ = "code"

    def __call__(self, graph: SynapseGraph) -> int:
        return code_of(graph, self.pairs)


@pytest.mark.parametrize("case", ["five-nodes-reciprocal", "five-nodes-three-groups"])
def test_shared_chains_sample_every_realisation_uniformly(case):
    # As an ensemble draws them by default: 10 chains, burn-in and spacing from the pilot.
    # (Not on the cases that only a rare move joins: a pilot chain that sees no change in
    # its first round takes the chain as mixed.)
    n, edges, labels = CASES[case]
    graph = labelled(n, edges, labels)
    support = realisations(n, edges, labels)
    model = BlockConfigurationModel(groups="type").fit(graph)
    n_samples = max(2000, 100 * support.size)
    pairs, _ = all_digraphs(n)
    result = ensemble(model, Code(pairs), n_samples, seed=99, executor=1, progress=False,
                      diagnostics=True)
    assert result.params.n_chains == 10
    assert 0 < result.diagnostics.acceptance_rate < 1
    counts = realisation_counts(result.samples["code"].to_numpy(), support)
    assert stats.chisquare(counts).pvalue > 1e-3


def kernel_arrays(graph: SynapseGraph, codes: np.ndarray):
    """The chain arguments of the kernel for ``graph`` with groups ``codes``, by hand."""
    sources = np.repeat(np.arange(graph.n, dtype=np.int32), graph.out_degree)
    targets = graph.out_indices.copy()
    dense = prefer_dense(graph.n, graph.n_edges)
    table = edge_set_from_csr(graph.out_indptr, targets, graph.n, dense)
    groups = codes.astype(np.int32)
    k = int(codes.max()) + 1 if codes.size else 1
    return (graph.out_indptr, sources, targets, table, dense, graph.n, groups, k,
            *slot_layout(sources, targets, groups, k))


@pytest.mark.parametrize(("case", "which"), [("path-rotation", "rotation"),
                                             ("four-cycle-chords", "double")])
def test_each_rarer_move_is_what_joins_its_case(case, which):
    # Without the move the chain never leaves the observed graph (every other proposal is
    # rejected); with it alone the chain reaches every realisation.
    n, edges, labels = CASES[case]
    graph = labelled(n, edges, labels)
    pairs, _ = all_digraphs(n)
    support = set(realisations(n, edges, labels).tolist())
    for probabilities, reached in (((0.3, 0.0, 0.0), {code_of(graph, pairs)}),
                                   ((0.0, 0.5, 0.0) if which == "rotation" else (0.0, 0.0, 0.5),
                                    support)):
        arrays = kernel_arrays(graph, codes_by_hand(labels))
        targets = arrays[2]
        state = new_state(np.random.default_rng(0))
        seen = set()
        for _ in range(300):
            block_switch_and_hold(*arrays, 7, *probabilities, state)
            seen.add(code_of(graph.with_edges(arrays[1], targets.copy()), pairs))
        assert seen == reached


@st.composite
def grouped_graphs(draw) -> tuple[SynapseGraph, list]:
    """A random graph with a group label per node: one group, every node its own, a few
    random groups, or some cells unlabelled."""
    graph = draw(synapse_graphs(max_nodes=20))
    n = graph.n
    kind = draw(st.sampled_from(["one", "each", "random", "unlabelled"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "one":
        labels = ["g"] * n
    elif kind == "each":
        labels = [f"cell{i}" for i in range(n)]
    else:
        k = int(rng.integers(1, max(n, 1) + 1))
        labels = [f"t{x}" for x in rng.integers(0, k, n)]
        if kind == "unlabelled":
            labels = [None if rng.random() < 0.4 else x for x in labels]
    pre, post = graph.edges()
    nodes = pd.DataFrame({"id": np.arange(n), "type": pd.Series(labels, dtype=object)})
    return SynapseGraph.from_edges(pre, post, n=n, nodes=nodes), labels


@settings(max_examples=120)
@given(
    case=grouped_graphs(),
    seed=st.integers(0, 2**32 - 1),
    burn_in=st.sampled_from([None, 0, 1, 37, 500]),
    triangle_probability=st.sampled_from([0.0, 0.1, 0.9]),
)
def test_samples_keep_degrees_and_block_counts(case, seed, burn_in, triangle_probability):
    graph, labels = case
    codes = codes_by_hand(labels)
    model = BlockConfigurationModel(groups="type", burn_in=burn_in,
                                    triangle_probability=triangle_probability).fit(graph)
    assert np.array_equal(model.block_counts_, blocks_by_hand(graph, codes))
    sample = model.sample(seed)
    pre, post = sample.edges()
    assert np.all(pre != post)
    assert np.unique(pre.astype(np.int64) * graph.n + post).size == graph.n_edges
    assert np.array_equal(sample.out_degree, graph.out_degree)
    assert np.array_equal(sample.in_degree, graph.in_degree)
    assert np.array_equal(blocks_by_hand(sample, codes), blocks_by_hand(graph, codes))
    if len(set(codes.tolist())) == graph.n:
        # Every node its own group: the block counts are the adjacency matrix.
        assert sample.equals(graph.with_edges(*graph.edges()))


@settings(max_examples=80)
@given(case=grouped_graphs(), seed=st.integers(0, 2**32 - 1),
       n_steps=st.sampled_from([1, 16, 17, 200]))
def test_the_chain_state_stays_consistent(case, seed, n_steps):
    # After any run the edge set holds exactly the slots' edges, and every slot is listed
    # once, in the range of its block (target group, source group), at its position.
    graph, labels = case
    codes = codes_by_hand(labels)
    arrays = kernel_arrays(graph, codes)
    _, sources, targets, table, dense, n, _, k = arrays[:8]
    lists, ptrs, position, block_keys, block_ptr = arrays[8:]
    m = graph.n_edges
    listed = lists[m:]
    state = new_state(np.random.default_rng(seed))
    before = lists[:m].copy()
    block_switch_and_hold(*arrays, n_steps, 0.2, 0.2, 0.2, state)
    # The slots by source group never change, and lie in their groups' ranges.
    assert np.array_equal(lists[:m], before)
    for x in range(k):
        assert np.all(codes[sources[lists[ptrs[x]:ptrs[x + 1]]]] == x)
    keys = sources.astype(np.int64) * max(n, 1) + targets
    assert np.unique(keys).size == m
    assert all(edge_set_contains(table, key, dense) for key in keys.tolist())
    present = sum(edge_set_contains(table, np.int64(u) * n + v, dense)
                  for u in range(n) for v in range(n))
    assert present == m
    assert np.array_equal(np.sort(listed), np.arange(m))
    assert np.array_equal(position[listed], np.arange(m))
    block = codes[targets].astype(np.int64) * k + codes[sources]
    for j, key in enumerate(block_keys.tolist()):
        assert np.all(block[listed[block_ptr[j]:block_ptr[j + 1]]] == key)
    for h in range(k):
        assert np.all(codes[targets[lists[ptrs[k + h]:ptrs[k + h + 1]]]] == h)


def test_fitted_attributes():
    n, edges, labels = CASES["five-nodes-unlabelled"]
    graph = labelled(n, edges, labels)
    model = BlockConfigurationModel(groups="type", burn_in=5).fit(graph)
    assert model.groups_.labels == ("A", "B", "(unlabelled)")
    assert model.groups_.n_unlabelled == 2
    # By hand: A = {0, 2}, B = {4}, unlabelled = {1, 3}.
    assert model.block_counts_.tolist() == [[1, 1, 2], [1, 0, 0], [1, 1, 1]]
    assert model.block_counts_.dtype == np.int64
    assert model.out_degree_.tolist() == [2, 1, 2, 2, 1]
    assert model.in_degree_.tolist() == [1, 2, 2, 1, 2]
    assert model.burn_in_ == 5
    assert BlockConfigurationModel(groups="type").fit(graph).burn_in_ == 10 * len(edges)
    assert BlockConfigurationModel.alias == "bCFG"
    assert BlockConfigurationModel.uses_groups
    assert BlockConfigurationModel(groups="type").get_params() == {
        "groups": "type", "burn_in": None, "triangle_probability": 0.1, "chains": 10,
        "spacing": None}


def test_seeds_reproduce_and_chains_follow_the_walk():
    rng = np.random.default_rng(7)
    a = rng.random((30, 30)) < 0.15
    np.fill_diagonal(a, False)
    labels = [f"t{x}" for x in rng.integers(0, 3, 30)]
    graph = labelled(30, list(zip(*np.nonzero(a), strict=True)), labels)
    model = BlockConfigurationModel(groups="type").fit(graph)
    assert model.sample(4).equals(model.sample(4))
    assert model.sample(4).equals(model.sample(np.random.SeedSequence(4)))
    draws = [model.sample(s) for s in range(4)]
    assert any(not draws[0].equals(d) for d in draws[1:])
    walked = list(model.walk(5, [model.burn_in_, 40, 40]))
    chained = list(model.chain(5, 3, spacing=40))
    assert all(x.equals(y) for x, y in zip(walked, chained, strict=True))
    assert walked[0].equals(model.sample(5))
    assert not walked[1].equals(walked[2])
    assert list(model.chain(5, 0, spacing=3)) == []


def test_mixing_diagnostics_trace_a_moving_chain():
    rng = np.random.default_rng(3)
    a = rng.random((40, 40)) < 0.1
    a |= a.T & (rng.random((40, 40)) < 0.6)
    np.fill_diagonal(a, False)
    labels = [f"t{x}" for x in rng.integers(0, 3, 40)]
    graph = labelled(40, list(zip(*np.nonzero(a), strict=True)), labels)
    model = BlockConfigurationModel(groups="type").fit(graph)
    d = model.mixing_diagnostics(seed=1, n_checkpoints=30)
    assert d.edge_overlap[0] == 1.0
    assert d.edge_overlap_after_burn_in < 0.6
    assert 0 < d.acceptance_rate < 1
    short = model.mixing_diagnostics(seed=0, n_checkpoints=8, spacing=4)
    assert short.steps.tolist() == list(range(0, 36, 4))
    with pytest.raises(ValueError, match="positive"):
        model.mixing_diagnostics(seed=0, spacing=0)


def test_one_group_samples_what_the_configuration_model_samples():
    # Same degrees, no other constraint: the two samplers' reciprocal-pair counts agree in
    # distribution (the CFG chain is tested uniform elsewhere).
    rng = np.random.default_rng(11)
    a = rng.random((25, 25)) < 0.2
    np.fill_diagonal(a, False)
    graph = labelled(25, list(zip(*np.nonzero(a), strict=True)), ["x"] * 25)
    block = BlockConfigurationModel(groups="type", burn_in=2000).fit(graph)
    plain = ConfigurationModel(burn_in=2000).fit(graph)
    ours = [block.sample(s).n_reciprocal_pairs for s in range(300)]
    theirs = [plain.sample(s + 1000).n_reciprocal_pairs for s in range(300)]
    assert stats.mannwhitneyu(ours, theirs).pvalue > 1e-3


def test_the_empty_graph_and_isolated_nodes():
    graph = labelled(4, [], ["a", "b", None, "a"])
    model = BlockConfigurationModel(groups="type").fit(graph)
    assert model.burn_in_ == 0
    assert model.sample(0).n_edges == 0
    assert model.block_counts_.tolist() == [[0] * 3] * 3
    assert model.mixing_diagnostics(seed=0, n_checkpoints=2).acceptance_rate == 0


@pytest.mark.parametrize(
    ("settings_", "error", "message"),
    [
        ({}, ValueError, "needs groups=COLUMN, a column of the node table; it has 'id', "
                         "'type'"),
        ({"groups": 3}, ValueError, "column name"),
        ({"groups": "no_such"}, MissingColumnError, "no_such"),
        ({"groups": "type", "burn_in": -1}, ValueError, "burn_in"),
        ({"groups": "type", "burn_in": 1.5}, ValueError, "burn_in"),
        ({"groups": "type", "triangle_probability": 1.0}, ValueError, "triangle_probability"),
        ({"groups": "type", "chains": 0}, ValueError, "chains"),
        ({"groups": "type", "spacing": -2}, ValueError, "spacing"),
    ],
)
def test_bad_settings_fail_at_fit_with_a_clear_error(settings_, error, message):
    n, edges, labels = CASES["triangle-two-groups"]
    with pytest.raises(error, match=message):
        BlockConfigurationModel(**settings_).fit(labelled(n, edges, labels))


def move_graph(n: int, groups: np.ndarray, moves: set[str]):
    """The moves of bCFG as edges between the codes of all digraphs on ``n`` nodes.

    Written from the moves' definitions in BlockConfigurationModel's notes, over every
    digraph at once: a move joins two codes if the first has the move's old edges and
    none of its new ones (which must be no loops, distinct, none of the old).
    """
    pairs, bits = all_digraphs(n)
    present = bits.astype(bool).T
    index = {p: k for k, p in enumerate(pairs)}
    src, dst = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]

    def add(old, new):
        if any(u == v for u, v in new) or len(set(new)) < len(new) or set(new) & set(old):
            return
        ok = np.logical_and.reduce([present[index[e]] for e in old]
                                   + [~present[index[e]] for e in new])
        codes = np.flatnonzero(ok)
        flip = sum(1 << index[e] for e in (*old, *new))
        src.append(codes)
        dst.append(codes ^ flip)

    for (a, b), (c, d) in itertools.permutations(pairs, 2):
        if groups[a] == groups[c] or groups[b] == groups[d]:
            add([(a, b), (c, d)], [(a, d), (c, b)])
    if "triangle" in moves:
        for a, b, c in itertools.permutations(range(n), 3):
            if len({groups[a], groups[b], groups[c]}) < 3:
                add([(a, b), (b, c), (c, a)], [(a, c), (c, b), (b, a)])
    if "rotation" in moves:
        for e1, e2, e3 in itertools.permutations(pairs, 3):
            if groups[e2[0]] == groups[e1[0]] and groups[e3[1]] == groups[e1[1]]:
                add([e1, e2, e3], [(e1[0], e2[1]), (e2[0], e3[1]), (e3[0], e1[1])])
    if "double" in moves:
        for e1, e2, e3, e4 in itertools.permutations(pairs, 4):
            (a, b), (c, d), (e, f), (g, h) = e1, e2, e3, e4
            if ((groups[e], groups[f]) == (groups[a], groups[d])
                    and (groups[g], groups[h]) == (groups[c], groups[b])):
                add([e1, e2, e3, e4], [(a, d), (c, b), (e, h), (g, f)])
    src, dst = np.concatenate(src), np.concatenate(dst)
    return sparse.coo_array((np.ones(src.size), (src, dst)), shape=(len(bits),) * 2)


@pytest.mark.parametrize("labels", [[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 1], [0, 0, 1, 2],
                                    [0, 1, 2, 3]])
def test_the_moves_join_every_realisation_on_four_nodes(labels):
    # Every grouping of 4 nodes up to relabelling, every digraph: the realisations of each
    # degree sequence and block counts form one component of the moves' graph. 2-swaps and
    # triangle reversals alone leave some apart when two groups have two nodes or one two.
    groups = np.array(labels)
    pairs, bits = all_digraphs(4)
    columns = [sum(bits[:, j] for j, (u, w) in enumerate(pairs) if u == v) for v in range(4)]
    columns += [sum(bits[:, j] for j, (u, w) in enumerate(pairs) if w == v) for v in range(4)]
    columns += [sum((bits[:, j] for j, (u, w) in enumerate(pairs)
                     if (groups[u], groups[w]) == (x, y)), np.zeros(len(bits), dtype=np.int8))
                for x in range(4) for y in range(4)]
    _, key = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)

    def components_per_class(moves):
        _, component = csgraph.connected_components(move_graph(4, groups, moves),
                                                    directed=False)
        return np.bincount(np.unique(np.stack([key.ravel(), component], axis=1), axis=0)[:, 0])

    assert components_per_class({"triangle", "rotation", "double"}).max() == 1
    apart = components_per_class({"triangle"}).max() > 1
    assert apart == (labels in ([0, 0, 1, 1], [0, 0, 1, 2]))
