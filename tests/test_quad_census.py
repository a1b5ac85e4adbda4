"""Tests of the 4-cell census against brute force over 4-sets and igraph's motifs_randesu."""

from __future__ import annotations

from itertools import combinations
from math import comb

import igraph as ig
import numpy as np
import pytest
from hypothesis import given, settings

from connectome_motifs.graphs import SynapseGraph, datasets
from connectome_motifs.motifs.quad_catalogue import QUAD_NAMES, QUADS
from connectome_motifs.motifs.quad_census import quad_census
from tests.strategies import adjacency_matrices

CONNECTED = [q.isoclass for q in QUADS if q.connected]


def from_matrix(a: np.ndarray) -> SynapseGraph:
    pre, post = np.nonzero(a)
    return SynapseGraph.from_edges(pre, post, n=a.shape[0])


def to_igraph(g: SynapseGraph) -> ig.Graph:
    pre, post = g.edges()
    return ig.Graph(n=g.n, edges=list(zip(pre.tolist(), post.tolist(), strict=True)),
                    directed=True)


def brute_force(a: np.ndarray) -> np.ndarray:
    """Classify every 4-subset by igraph's isoclass of the induced subgraph."""
    g = ig.Graph.Adjacency(a.astype(int).tolist(), mode="directed")
    counts = np.zeros(218, dtype=np.int64)
    for subset in combinations(range(a.shape[0]), 4):
        counts[g.subgraph(subset).isoclass()] += 1
    return counts


@settings(max_examples=200, deadline=None)
@given(a=adjacency_matrices(max_nodes=9))
def test_census_equals_brute_force(a: np.ndarray) -> None:
    census = quad_census(from_matrix(a))
    assert census.index.tolist() == list(range(218)) and census.index.name == "quad"
    assert census.dtype == np.int64
    np.testing.assert_array_equal(census.to_numpy(), brute_force(a))


@settings(max_examples=100, deadline=None)
@given(a=adjacency_matrices(max_nodes=30))
def test_connected_classes_equal_igraph(a: np.ndarray) -> None:
    g = from_matrix(a)
    census = quad_census(g)
    assert int(census.sum()) == comb(g.n, 4)
    if g.n < 4:
        return
    reference = to_igraph(g).motifs_randesu(size=4, cut_prob=None)
    np.testing.assert_array_equal(census.to_numpy()[CONNECTED],
                                  np.array(reference)[CONNECTED].astype(np.int64))


# The larva's compartments whose igraph census takes seconds (aa 8 s, dd 0.3 s); the whole
# larva (3 min) and its ad graph (1 min) agree too, run by hand with "all" and "ad" here.
@pytest.mark.parametrize("name", ["th100", "full", "larva aa", "larva dd"])
def test_real_connectomes_equal_igraph(name: str) -> None:
    g = (datasets.larva(name.split()[1]) if name.startswith("larva")
         else datasets.pinky100(name))
    census = quad_census(g)
    reference = np.array(to_igraph(g).motifs_randesu(size=4, cut_prob=None))
    np.testing.assert_array_equal(census.to_numpy()[CONNECTED],
                                  reference[CONNECTED].astype(np.int64))
    assert int(census.sum()) == comb(g.n, 4)


def test_hand_counted_graphs() -> None:
    # The chain 0 -> 1 -> 2 -> 3 and an isolated node 4. Its five 4-sets: {0, 1, 2, 3} the
    # chain; {0, 1, 2, 4} and {1, 2, 3, 4} a 2-chain and a lone node; {0, 1, 3, 4} and
    # {0, 2, 3, 4} a single edge (0 -> 1, 2 -> 3) and two lone nodes.
    census = quad_census(SynapseGraph.from_edges([0, 1, 2], [1, 2, 3], n=5))
    two_chain = ig.Graph(n=4, edges=[(0, 1), (1, 2)], directed=True).isoclass()
    one_edge = ig.Graph(n=4, edges=[(0, 1)], directed=True).isoclass()
    assert int(census[QUAD_NAMES["chain"]]) == 1
    assert int(census[two_chain]) == 2 and int(census[one_edge]) == 2
    assert int(census.sum()) == 5
    # The complete directed graph on 5 nodes: every 4-set is the complete class.
    assert int(quad_census(from_matrix(~np.eye(5, dtype=bool)))[217]) == 5


def test_same_result_on_any_thread_count(on_threads) -> None:
    rng = np.random.default_rng(3)
    a = rng.random((300, 300)) < 0.05
    np.fill_diagonal(a, False)
    g = from_matrix(a | (a.T & (rng.random((300, 300)) < 0.3)))
    with on_threads(1):
        one = quad_census(g)
    with on_threads(2):
        two = quad_census(g)
    assert one.equals(two)


def test_large_empty_class_stays_exact() -> None:
    # C(200_000, 4) > 2**63: the empty class needs a Python integer.
    g = SynapseGraph.from_edges([0], [1], n=200_000)
    census = quad_census(g)
    assert census.dtype == object
    assert census[0] == comb(200_000, 4) - comb(199_998, 2)
    assert census[1] == comb(199_998, 2)
