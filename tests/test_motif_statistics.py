"""Tests of reciprocity, the clustering coefficient and the common-neighbour rule."""

from __future__ import annotations

import math
from math import comb

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
from hypothesis import given, settings

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import clustering_coefficient, common_neighbour_rule, reciprocity
from tests.strategies import adjacency_matrices


def from_matrix(a: np.ndarray) -> SynapseGraph:
    pre, post = np.nonzero(a)
    return SynapseGraph.from_edges(pre, post, n=a.shape[0])


@settings(max_examples=200)
@given(adjacency_matrices(max_nodes=30))
def test_reciprocity_equals_igraph_ratio(a: np.ndarray) -> None:
    pre, post = np.nonzero(a)
    expected = ig.Graph(n=a.shape[0], edges=list(zip(pre.tolist(), post.tolist(), strict=True)),
                        directed=True).reciprocity(mode="ratio")
    got = reciprocity(from_matrix(a))
    if a.any():
        assert got == expected
    else:
        assert math.isnan(got)


def test_reciprocity_by_hand() -> None:
    # Pairs {0,1} reciprocal, {1,2} and {2,3} one-way: 1 of 3 connected pairs.
    assert reciprocity(SynapseGraph.from_edges([0, 1, 1, 2], [1, 0, 2, 3])) == 1 / 3


@settings(max_examples=200)
@given(adjacency_matrices(max_nodes=30))
def test_clustering_equals_networkx_transitivity(a: np.ndarray) -> None:
    u = nx.Graph()
    u.add_nodes_from(range(a.shape[0]))
    u.add_edges_from(zip(*np.nonzero(a), strict=True))
    triples = sum(d * (d - 1) // 2 for _, d in u.degree())
    got = clustering_coefficient(from_matrix(a))
    if triples:
        assert got == nx.transitivity(u)
    else:
        assert math.isnan(got)


def test_clustering_by_hand() -> None:
    # Triangle 0,1,2 plus pendant 3 at 2: 1 triangle, triples 1 + 1 + 3 = 5 -> 3/5.
    g = SynapseGraph.from_edges([0, 1, 2, 2], [1, 2, 0, 3])
    assert clustering_coefficient(g) == 0.6


def _brute_force_rule(a: np.ndarray, directed: bool) -> pd.DataFrame:
    n = a.shape[0]
    u = (a | a.T).astype(np.int64)
    common = u @ u
    rows: dict[int, list[int]] = {}
    for i in range(n):
        for j in range(n):
            if i == j or (not directed and j < i):
                continue
            connected = a[i, j] if directed else (a[i, j] or a[j, i])
            entry = rows.setdefault(int(common[i, j]), [0, 0])
            entry[0] += 1
            entry[1] += int(connected)
    keys = sorted(rows)
    table = pd.DataFrame({
        "n_common": np.array(keys, dtype=np.int64),
        "pairs": np.array([rows[k][0] for k in keys], dtype=np.int64),
        "connected": np.array([rows[k][1] for k in keys], dtype=np.int64),
    })
    table["fraction"] = table["connected"] / table["pairs"]
    return table


@settings(max_examples=100)
@given(adjacency_matrices(max_nodes=20))
def test_common_neighbour_rule_equals_brute_force(a: np.ndarray) -> None:
    g = from_matrix(a)
    for directed in (False, True):
        got = common_neighbour_rule(g, directed=directed)
        pd.testing.assert_frame_equal(got, _brute_force_rule(a, directed))
    n = a.shape[0]
    undirected = common_neighbour_rule(g)
    assert undirected["pairs"].sum() == comb(n, 2)
    assert common_neighbour_rule(g, directed=True)["connected"].sum() == a.sum()


def test_common_neighbour_rule_by_hand() -> None:
    # Edges 0->1, 1->2, 0->2 and isolated 3: pairs {0,1}, {0,2}, {1,2} share one
    # neighbour and are connected; the three pairs with 3 share none.
    g = SynapseGraph.from_edges([0, 1, 0], [1, 2, 2], n=4)
    table = common_neighbour_rule(g, directed=True)
    assert table[["n_common", "pairs", "connected"]].to_numpy().tolist() == [[0, 6, 0],
                                                                           [1, 6, 3]]
    assert table["fraction"].tolist() == [0.0, 0.5]
