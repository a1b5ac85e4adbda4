"""Tests of the SynapseGraph type: construction, accessors, subgraphs, against networkx."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import (
    BuildReport,
    GraphStructureError,
    SynapseGraph,
    UnknownCellError,
)


@st.composite
def edge_lists(draw, max_n=12):
    """A node count and a list of distinct non-loop directed edges with weights."""
    n = draw(st.integers(0, max_n))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    weights = draw(st.lists(st.integers(1, 5), min_size=len(chosen), max_size=len(chosen)))
    return n, chosen, weights


def _graph(n, edges, weights):
    pre = np.array([e[0] for e in edges], dtype=np.int64)
    post = np.array([e[1] for e in edges], dtype=np.int64)
    return SynapseGraph.from_edges(pre, post, np.array(weights, dtype=np.int64), n=n)


def _digraph(n, edges, weights):
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from((i, j, w) for (i, j), w in zip(edges, weights, strict=True))
    return G


def test_hand_built_graph():
    # 0 <-> 1, 1 -> 2 (3 synapses), node 3 isolated: counted by hand.
    g = SynapseGraph.from_edges([1, 0, 1], [0, 1, 2], [1, 1, 3], n=4)
    assert (g.n, g.n_edges, g.n_synapses) == (4, 3, 5)
    assert g.out_indptr.tolist() == [0, 1, 3, 3, 3]
    assert g.out_indices.tolist() == [1, 0, 2]
    assert g.out_weights.tolist() == [1, 1, 3]
    assert g.in_indptr.tolist() == [0, 1, 2, 3, 3]
    assert g.in_indices.tolist() == [1, 0, 1]
    assert g.in_weights.tolist() == [1, 1, 3]
    assert g.out_degree.tolist() == [1, 2, 0, 0]
    assert g.in_degree.tolist() == [1, 1, 1, 0]
    assert g.reciprocal_mask.tolist() == [True, True, False]
    assert g.n_reciprocal_pairs == 1
    assert g.has_edge(1, 2) and not g.has_edge(2, 1) and not g.has_edge(3, 0)
    assert g.density == pytest.approx(3 / 12)
    assert g.summary()["isolated_nodes"] == 1
    assert g.out_indptr.dtype == np.int64 and g.out_indices.dtype == np.int32


def test_arrays_are_read_only_and_graph_immutable():
    g = SynapseGraph.from_edges([0], [1])
    with pytest.raises(ValueError):
        g.out_indices[0] = 0
    with pytest.raises(AttributeError):
        g.n = 3


def test_empty_graph():
    g = SynapseGraph.from_edges([], [], n=0)
    assert (g.n, g.n_edges, g.n_reciprocal_pairs, g.density) == (0, 0, 0, 0.0)
    g = SynapseGraph.from_edges(np.array([], int), np.array([], int), n=5)
    assert g.out_degree.tolist() == [0] * 5 and g.summary()["isolated_nodes"] == 5


@pytest.mark.parametrize(
    "pre, post, message",
    [([0, 1], [0, 2], "self-loops"), ([0, 0], [1, 1], "duplicate"), ([0], [7], "0..2")],
)
def test_structure_errors(pre, post, message):
    with pytest.raises(GraphStructureError, match=message):
        SynapseGraph.from_edges(pre, post, n=3)


def test_weight_errors():
    with pytest.raises(GraphStructureError, match="weights"):
        SynapseGraph.from_edges([0], [1], [0])
    with pytest.raises(GraphStructureError, match="integers"):
        SynapseGraph.from_edges([0], [1], [1.5])


def test_unsorted_csr_rejected():
    with pytest.raises(GraphStructureError, match="strictly increasing"):
        SynapseGraph([0, 2, 2, 2], [2, 1])


@pytest.mark.parametrize(
    "indices, dtype, message, rows",
    [
        ([1, 2, 0, 1], np.int64, "self-loops", [3]),  # row 1 holds 1
        ([2, 1, 0, 2], np.int32, "strictly increasing", [1]),  # row 0 holds 2, 1
        ([1, 2, 2, 2], np.int64, "strictly increasing", [3]),  # row 1 holds 2, 2
        ([1, 2, 0, 2**40], np.int64, "0..2", [3]),  # beyond int32: not wrapped around
        ([1, 2, 0, 2**63 + 1], np.uint64, "0..2", [3]),
        ([1, 2, -1, 0], np.int8, "0..2", [2]),
    ],
)
def test_csr_errors_name_every_bad_entry(indices, dtype, message, rows):
    with pytest.raises(GraphStructureError, match=message) as error:
        SynapseGraph(np.array([0, 2, 4, 4]), np.array(indices, dtype=dtype))
    assert error.value.rows == rows


def test_csr_arrays_of_the_caller_stay_theirs():
    indptr, indices = np.array([0, 1, 2]), np.array([1, 0], dtype=np.int32)
    g = SynapseGraph(indptr, indices)
    indices[0] = 0
    assert g.out_indices.tolist() == [1, 0] and indices.flags.writeable


@settings(max_examples=200, deadline=None)
@given(edge_lists())
def test_degrees_and_reciprocity_match_networkx(data):
    n, edges, weights = data
    g = _graph(n, edges, weights)
    G = _digraph(n, edges, weights)
    assert g.out_degree.tolist() == [G.out_degree(i) for i in range(n)]
    assert g.in_degree.tolist() == [G.in_degree(i) for i in range(n)]
    mutual = sum(1 for u, v in G.edges if G.has_edge(v, u)) // 2
    assert g.n_reciprocal_pairs == mutual
    pre, post = g.edges()
    for k, (u, v) in enumerate(zip(pre, post, strict=True)):
        assert G[u][v]["weight"] == g.out_weights[k]
        assert g.reciprocal_mask[k] == G.has_edge(v, u)
    for i in range(n):
        ins = g.in_indices[g.in_indptr[i]:g.in_indptr[i + 1]]
        assert ins.tolist() == sorted(G.predecessors(i))
        in_w = g.in_weights[g.in_indptr[i]:g.in_indptr[i + 1]]
        assert in_w.tolist() == [G[j][i]["weight"] for j in ins]
    for i in range(n):
        for j in range(n):
            assert g.has_edge(i, j) == G.has_edge(i, j)


@settings(max_examples=150, deadline=None)
@given(edge_lists(), st.data())
def test_subgraph_matches_networkx(data, draw):
    n, edges, weights = data
    mask = np.array(draw.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    g = _graph(n, edges, weights)
    sub = g.subgraph(mask)
    kept = np.flatnonzero(mask)
    H = nx.relabel_nodes(_digraph(n, edges, weights).subgraph(kept),
                         {int(old): new for new, old in enumerate(kept)})
    pre, post = sub.edges()
    assert sorted(zip(pre.tolist(), post.tolist(), strict=True)) == sorted(H.edges)
    assert sub.out_weights.tolist() == [H[u][v]["weight"] for u, v in zip(pre, post, strict=True)]
    assert sub.ids.tolist() == kept.tolist()
    assert sub.report.nodes_removed_by_subgraph == n - len(kept)
    assert sub.report.edges_removed_by_subgraph == len(edges) - H.number_of_edges()


def test_subgraph_by_ids_keeps_attributes():
    nodes = pd.DataFrame({"id": np.array([2**63 + 5, 7, 9], dtype=np.uint64),
                          "cell_type": ["23P", "23P", "BC"], "x": [1.0, 2, 3],
                          "y": [0.0, 0, 0], "z": [0.0, 0, 0]})
    g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], nodes=nodes)
    sub = g.subgraph_by_ids(np.array([2**63 + 5, 9], dtype=np.uint64))
    assert sub.nodes["cell_type"].tolist() == ["23P", "BC"]
    assert sub.ids.tolist() == [2**63 + 5, 9]
    assert sub.positions[:, 0].tolist() == [1.0, 3.0]
    assert sub.n_edges == 1 and sub.has_edge(1, 0)
    with pytest.raises(UnknownCellError, match="12345"):
        g.subgraph_by_ids([12345])


def test_equals_and_with_edges():
    g = SynapseGraph.from_edges([0, 1], [1, 2], n=3, report=BuildReport(rows_read=2))
    assert g.equals(SynapseGraph.from_edges([1, 0], [2, 1], n=3, report=BuildReport(rows_read=2)))
    h = g.with_edges([2], [0])
    assert h.n == 3 and h.n_edges == 1 and h.nodes.equals(g.nodes)
    assert not g.equals(h)


def test_memory_is_16_bytes_per_edge_plus_16_per_node():
    rng = np.random.default_rng(0)
    n = 1000
    keys = np.unique(rng.integers(0, n * n, 20_000))
    pre, post = keys // n, keys % n
    loops = pre == post
    g = SynapseGraph.from_edges(pre[~loops], post[~loops], n=n)
    assert g.nbytes == 16 * g.n_edges + 16 * (n + 1)


def test_with_csr_shares_the_node_table_and_validates_the_arrays():
    nodes = pd.DataFrame({"id": np.array([2**63 + 1, 5, 9], dtype=np.uint64), "t": ["a", "b", "c"]})
    g = SynapseGraph.from_edges([0], [1], [4], nodes=nodes)
    h = g.with_csr([0, 1, 1, 2], [2, 0])
    # By hand: edges 0 -> 2 and 2 -> 0, weights 1, same cells.
    assert h.equals(SynapseGraph.from_edges([0, 2], [2, 0], n=3, nodes=nodes))
    assert h.nodes.equals(g.nodes)
    with pytest.raises(GraphStructureError, match="self-loops"):
        g.with_csr([0, 1, 1, 1], [0])
    with pytest.raises(GraphStructureError, match="2 nodes"):
        g.with_csr([0, 1, 1], [1])
