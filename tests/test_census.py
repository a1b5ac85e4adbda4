"""Tests of the dyad and triad census against networkx, igraph and brute force."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from math import comb

import igraph as ig
import networkx as nx
import numba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from connectome_motifs.graphs import GraphStructureError, SynapseGraph
from connectome_motifs.motifs import (
    as_synapse_graph,
    common_neighbour_rule,
    dyad_census,
    triad_census,
    triad_participation,
)
from connectome_motifs.motifs.catalogue import TRIAD_NAMES
from tests.strategies import adjacency_matrices, synapse_graphs


def to_networkx(g: SynapseGraph) -> nx.DiGraph:
    pre, post = g.edges()
    nxg = nx.DiGraph()
    nxg.add_nodes_from(range(g.n))
    nxg.add_edges_from(zip(pre.tolist(), post.tolist(), strict=True))
    return nxg


def to_igraph(g: SynapseGraph) -> ig.Graph:
    pre, post = g.edges()
    return ig.Graph(n=g.n, edges=list(zip(pre.tolist(), post.tolist(), strict=True)),
                    directed=True)


def from_matrix(a: np.ndarray) -> SynapseGraph:
    pre, post = np.nonzero(a)
    return SynapseGraph.from_edges(pre, post, n=a.shape[0])


@settings(max_examples=300)
@given(synapse_graphs(max_nodes=40))
def test_triad_census_equals_networkx_and_igraph(g: SynapseGraph) -> None:
    census = triad_census(g)
    assert census.index.tolist() == list(TRIAD_NAMES)
    assert census.dtype == np.int64
    assert census.to_dict() == nx.triadic_census(to_networkx(g))
    igraph_census = to_igraph(g).triad_census()
    assert census.to_dict() == {name: int(igraph_census[name]) for name in TRIAD_NAMES}


@settings(max_examples=150)
@given(a=adjacency_matrices(max_nodes=9))
def test_triad_census_equals_brute_force(a: np.ndarray, man_code) -> None:
    expected = Counter(man_code(a, t) for t in combinations(range(a.shape[0]), 3))
    census = triad_census(from_matrix(a))
    assert census.to_dict() == {name: expected.get(name, 0) for name in TRIAD_NAMES}


@settings(max_examples=200)
@given(synapse_graphs(max_nodes=40))
def test_dyad_census_equals_igraph_and_pair_count(g: SynapseGraph) -> None:
    census = dyad_census(g)
    assert census.index.tolist() == ["null", "asymmetric", "mutual"]
    assert census.dtype == np.int64
    mutual, asymmetric, null = to_igraph(g).dyad_census()
    assert census.tolist() == [null, asymmetric, mutual]
    assert census.sum() == comb(g.n, 2)
    assert census["mutual"] == g.n_reciprocal_pairs


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_empty_graphs(n: int) -> None:
    g = SynapseGraph.from_edges([], [], n=n)
    census = triad_census(g)
    assert census["003"] == comb(n, 3)
    assert census.drop("003").eq(0).all()
    assert dyad_census(g).tolist() == [comb(n, 2), 0, 0]


def test_complete_graph_is_all_300() -> None:
    n = 7
    pre, post = np.nonzero(~np.eye(n, dtype=bool))
    census = triad_census(SynapseGraph.from_edges(pre, post))
    assert census["300"] == comb(7, 3)
    assert census.drop("300").eq(0).all()


def test_hand_counted_example() -> None:
    # 0->1->2->0 is a cycle (030C); 3 hangs off 2: {0,2,3} is 021D, {1,2,3} 021C and
    # {0,1,3} has the single edge 0->1 (012).
    census = triad_census(SynapseGraph.from_edges([0, 1, 2, 2], [1, 2, 0, 3]))
    assert census[census > 0].to_dict() == {"012": 1, "021D": 1, "021C": 1, "030C": 1}
    assert census.name == "count"


def test_empty_class_beyond_int64_stays_exact() -> None:
    # C(n, 3) > 2**63 - 1 from n = 3,810,780 on (exact integer arithmetic by hand).
    n = 3_810_780
    assert comb(n - 1, 3) < 2**63 <= comb(n, 3)
    small = triad_census(SynapseGraph(np.zeros(n, dtype=np.int64), []))
    assert small.dtype == np.int64
    assert small["003"] == comb(n - 1, 3)
    big = triad_census(SynapseGraph(np.zeros(n + 1, dtype=np.int64), []))
    assert big.dtype == object
    assert big["003"] == comb(n, 3)
    assert big.drop("003").eq(0).all()


def test_pinky100_th100_equals_networkx() -> None:
    from connectome_motifs.graphs.datasets import pinky100

    g = pinky100("th100")
    nxg = to_networkx(g)
    assert triad_census(g).to_dict() == nx.triadic_census(nxg)
    # Pair counts by hand from networkx's edge set: a pair is reciprocal if both
    # directions are edges.
    mutual = sum(1 for u, v in nxg.edges if u < v and nxg.has_edge(v, u))
    asymmetric = nxg.number_of_edges() - 2 * mutual
    assert dyad_census(g).tolist() == [comb(g.n, 2) - asymmetric - mutual, asymmetric, mutual]


def _heavy_tailed_graph(n: int, seed: int) -> SynapseGraph:
    rng = np.random.default_rng(seed)
    out_w, in_w = rng.lognormal(0, 1.5, n), rng.lognormal(0, 1.5, n)
    pre = rng.choice(n, 20 * n, p=out_w / out_w.sum())
    post = rng.choice(n, 20 * n, p=in_w / in_w.sum())
    keys = np.unique((pre * n + post)[pre != post])
    pre, post = keys // n, keys % n
    # Reverse a third of the edges to make many reciprocal pairs.
    back = rng.random(keys.size) < 0.3
    keys = np.unique(np.concatenate([keys, post[back] * n + pre[back]]))
    return SynapseGraph.from_edges(keys // n, keys % n, n=n)


def test_results_do_not_depend_on_thread_count(monkeypatch, on_threads) -> None:
    # Small graphs run serially (graphs.threads.kernel_threads); force the parallel path.
    monkeypatch.setattr("connectome_motifs.graphs.threads.SERIAL_BELOW_EDGES", 0)
    g = _heavy_tailed_graph(3000, seed=7)

    def everything():
        return (triad_census(g), dyad_census(g), triad_participation(g, roles=True),
                common_neighbour_rule(g))

    with on_threads(1):
        one = everything()
    with on_threads(2):
        two = everything()
    pd.testing.assert_series_equal(one[0], two[0])
    pd.testing.assert_series_equal(one[1], two[1])
    pd.testing.assert_frame_equal(one[2], two[2])
    pd.testing.assert_frame_equal(one[3], two[3])
    igraph_census = to_igraph(g).triad_census()
    assert one[0].to_dict() == {name: int(igraph_census[name]) for name in TRIAD_NAMES}


def test_accepts_scipy_igraph_and_networkx_input() -> None:
    import scipy.sparse as sp

    rng = np.random.default_rng(11)
    a = rng.random((15, 15)) < 0.3
    np.fill_diagonal(a, False)
    g = from_matrix(a)
    expected = triad_census(g)
    for other in (sp.csr_array(a.astype(np.int64)), to_igraph(g), to_networkx(g)):
        pd.testing.assert_series_equal(triad_census(other), expected)
        pd.testing.assert_series_equal(dyad_census(other), dyad_census(g))


def test_rejects_nonzero_diagonal() -> None:
    import scipy.sparse as sp

    with pytest.raises(GraphStructureError, match="diagonal"):
        triad_census(sp.csr_array(np.array([[1, 1], [0, 0]])))


def test_rejects_non_graphs() -> None:
    with pytest.raises(TypeError, match="SynapseGraph"):
        triad_census([[0, 1], [1, 0]])
    g = SynapseGraph.from_edges([0], [1])
    assert as_synapse_graph(g) is g


def test_small_graphs_run_kernels_on_one_thread_and_restore_the_setting() -> None:
    from connectome_motifs.graphs.threads import SERIAL_BELOW_EDGES, kernel_threads

    threads = numba.get_num_threads()
    with kernel_threads(SERIAL_BELOW_EDGES - 1):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == threads
    with kernel_threads(SERIAL_BELOW_EDGES):
        assert numba.get_num_threads() == threads
