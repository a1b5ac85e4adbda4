"""Tests of per-node 4-cell participation against brute force over 4-sets and the census."""

from __future__ import annotations

from itertools import combinations
from math import comb

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from connectome_motifs.graphs import SynapseGraph, UnknownCellError, datasets
from connectome_motifs.motifs.quad_catalogue import QUAD_NAMES, QUADS
from connectome_motifs.motifs.quad_census import quad_census
from connectome_motifs.motifs.quad_participation import quad_participation
from tests.strategies import adjacency_matrices, synapse_graphs


def from_matrix(a: np.ndarray, ids=None) -> SynapseGraph:
    pre, post = np.nonzero(a)
    nodes = None if ids is None else pd.DataFrame({"id": ids})
    return SynapseGraph.from_edges(pre, post, n=a.shape[0], nodes=nodes)


def brute_force(a: np.ndarray) -> np.ndarray:
    """Classify every 4-subset by igraph's isoclass and count it for each of its nodes."""
    n = a.shape[0]
    g = ig.Graph.Adjacency(a.astype(int).tolist(), mode="directed")
    counts = np.zeros((n, len(QUADS)), dtype=np.int64)
    for subset in combinations(range(n), 4):
        counts[list(subset), g.subgraph(subset).isoclass()] += 1
    return counts


def assert_sums_match_census(g: SynapseGraph, table: pd.DataFrame) -> None:
    np.testing.assert_array_equal(table.sum(axis=1).to_numpy(),
                                  np.full(g.n, comb(max(g.n - 1, 0), 3)))
    np.testing.assert_array_equal(table.sum(axis=0).to_numpy(),
                                  4 * quad_census(g).to_numpy().astype(np.int64))


@settings(max_examples=150, deadline=None)
@given(a=adjacency_matrices(max_nodes=9))
def test_participation_equals_brute_force(a: np.ndarray) -> None:
    table = quad_participation(from_matrix(a))
    assert table.columns.tolist() == list(range(len(QUADS)))
    assert table.columns.name == "quad" and table.index.name == "id"
    assert table.dtypes.eq(np.int64).all()
    np.testing.assert_array_equal(table.to_numpy(), brute_force(a))


@settings(max_examples=100, deadline=None)
@given(g=synapse_graphs(max_nodes=40))
def test_sums_are_rows_of_all_4_sets_and_4_times_the_census(g: SynapseGraph) -> None:
    assert_sums_match_census(g, quad_participation(g))


@pytest.mark.parametrize("subgraph", ["th100", "full"])
def test_pinky100_sums_match_the_census(subgraph: str) -> None:
    g = datasets.pinky100(subgraph)
    table = quad_participation(g)
    assert table.index.tolist() == g.ids.tolist()
    assert_sums_match_census(g, table)


def test_every_class_alone() -> None:
    # A graph that is one 4-set of class q: each of its nodes is in one set, of class q.
    for q in QUADS:
        pre, post = zip(*q.edges, strict=True) if q.edges else ((), ())
        table = quad_participation(SynapseGraph.from_edges(list(pre), list(post), n=4))
        expected = np.zeros((4, len(QUADS)), dtype=np.int64)
        expected[:, q.isoclass] = 1
        np.testing.assert_array_equal(table.to_numpy(), expected, err_msg=f"class {q.isoclass}")


def test_chain_by_hand() -> None:
    # The chain 0 -> 1 -> 2 -> 3 and an isolated node 4 (as in the census's test): node 0
    # is in the chain, the 2-chains {0, 1, 2, 4} and the single edges {0, 1, 3, 4} and
    # {0, 2, 3, 4}; node 4 in every set but the chain.
    table = quad_participation(SynapseGraph.from_edges([0, 1, 2], [1, 2, 3], n=5))
    two_chain = ig.Graph(n=4, edges=[(0, 1), (1, 2)], directed=True).isoclass()
    one_edge = ig.Graph(n=4, edges=[(0, 1)], directed=True).isoclass()
    chain = QUAD_NAMES["chain"]
    assert table[chain].tolist() == [1, 1, 1, 1, 0]
    assert table[two_chain].tolist() == [1, 2, 2, 1, 2]
    assert table[one_edge].tolist() == [2, 1, 1, 2, 2]
    assert table.sum(axis=1).tolist() == [4] * 5


def test_complete_graph() -> None:
    table = quad_participation(from_matrix(~np.eye(6, dtype=bool)))
    assert table[217].tolist() == [comb(5, 3)] * 6
    assert int(table.to_numpy().sum()) == 6 * comb(5, 3)


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_fewer_than_four_nodes(n: int) -> None:
    table = quad_participation(from_matrix(~np.eye(n, dtype=bool)))
    assert table.shape == (n, len(QUADS)) and not table.to_numpy().any()
    assert table.dtypes.eq(np.int64).all() and table.columns.name == "quad"


def _heavy_tailed(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = rng.lognormal(0.0, 1.2, n)
    a = rng.random((n, n)) < np.minimum(1.0, np.outer(w, w) * 12.0 / w.sum())
    a |= a.T & (rng.random((n, n)) < 0.4)
    np.fill_diagonal(a, False)
    return a


def test_same_result_on_any_thread_count(monkeypatch, on_threads) -> None:
    # Small graphs run serially (graphs.threads.kernel_threads); force the parallel path,
    # with enough nodes for many work units and enough cycles, diamonds and cliques.
    monkeypatch.setattr("connectome_motifs.graphs.threads.SERIAL_BELOW_EDGES", 0)
    g = from_matrix(_heavy_tailed(600, seed=5))
    with on_threads(1):
        one = quad_participation(g)
    with on_threads(2):
        two = quad_participation(g)
    pd.testing.assert_frame_equal(one, two)
    assert_sums_match_census(g, two)
    dense = [q.isoclass for q in QUADS if q.skeleton in ("4-cycle", "diamond", "4-clique")]
    assert (two[dense].to_numpy().sum(axis=0) > 0).sum() > 20


def test_subset_uses_ids_in_given_order() -> None:
    a = _heavy_tailed(30, seed=3)
    ids = np.arange(100, 130)
    g = from_matrix(a, ids=ids)
    full = quad_participation(g)
    assert full.index.tolist() == ids.tolist()
    np.testing.assert_array_equal(full.to_numpy(), brute_force(a))
    part = quad_participation(g, nodes=[119, 101, 105, 119])
    assert part.index.tolist() == [119, 101, 105, 119] and part.index.name == "id"
    pd.testing.assert_frame_equal(part, full.loc[[119, 101, 105, 119]])
    assert quad_participation(g, nodes=[]).shape == (0, len(QUADS))


def test_unknown_ids_raise() -> None:
    g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 3])
    with pytest.raises(UnknownCellError):
        quad_participation(g, nodes=[7])


def test_too_many_nodes_for_int64_raises() -> None:
    # C(n - 1, 3) sets of 4 nodes, each with up to 64 patterns: beyond 952,696 nodes the
    # per-node counts could wrap around.
    with pytest.raises(OverflowError, match="int64"):
        quad_participation(SynapseGraph.from_edges([0], [1], n=952_697), nodes=[0])
