"""Tests of conversions to and from scipy.sparse, igraph and networkx."""

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs.convert import (
    from_igraph,
    from_networkx,
    from_scipy_sparse,
    to_igraph,
    to_networkx,
    to_scipy_sparse,
)
from connectome_motifs.graphs.errors import GraphStructureError, InvalidIdError, InvalidWeightError
from connectome_motifs.graphs.synapse_graph import SynapseGraph

HUGE = 2**63 + 12345


TEXT_NAMES = st.text(min_size=1, max_size=6)


@st.composite
def synapse_graphs(draw, max_n=12, names=TEXT_NAMES):
    """A random simple weighted graph with int64, uint64 or string ids and node attributes."""
    n = draw(st.integers(1, max_n))
    # Hubs make degrees heavy-tailed: most edges start or end at a few nodes.
    hub = st.integers(0, max(0, min(n - 1, 2)))
    node = st.integers(0, max(0, n - 1))
    pair = st.tuples(st.one_of(hub, node), st.one_of(node, hub)).filter(lambda p: p[0] != p[1])
    pairs = draw(st.lists(pair, unique=True, max_size=3 * n)) if n > 1 else []
    weights = draw(st.lists(st.integers(1, 2**31 - 1), min_size=len(pairs), max_size=len(pairs)))
    kind = draw(st.sampled_from(["int64", "uint64", "str"]))
    if kind == "int64":
        ids = draw(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n,
                            unique=True))
        id_column = pd.Series(ids, dtype=np.int64)
    elif kind == "uint64":
        ids = draw(st.lists(st.integers(2**63, 2**64 - 1), min_size=n, max_size=n, unique=True))
        id_column = pd.Series(ids, dtype=np.uint64)
    else:
        ids = draw(st.lists(names, min_size=n, max_size=n, unique=True))
        id_column = pd.Series(ids, dtype=object)
    coordinate = st.floats(-1e6, 1e6, allow_nan=False)
    xyz = draw(st.lists(st.tuples(coordinate, coordinate, coordinate), min_size=n, max_size=n))
    nodes = pd.DataFrame({"id": id_column})
    for axis, column in enumerate("xyz"):
        nodes[column] = np.array([p[axis] for p in xyz], dtype=np.float64)
    nodes["layer"] = np.array([draw(st.integers(1, 6)) for _ in range(n)], dtype=np.int64)
    pre = [p[0] for p in pairs]
    post = [p[1] for p in pairs]
    return SynapseGraph.from_edges(pre, post, weights, n=n, nodes=nodes)


def assert_same_graph(a, b):
    """Edges, weights and node table equal (the build reports differ by design)."""
    assert a.n == b.n
    np.testing.assert_array_equal(a.out_indptr, b.out_indptr)
    np.testing.assert_array_equal(a.out_indices, b.out_indices)
    np.testing.assert_array_equal(a.out_weights, b.out_weights)
    assert a.nodes.dtypes.to_dict() == b.nodes.dtypes.to_dict()
    assert a.nodes.equals(b.nodes)


# -- round trips -------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(synapse_graphs())
def test_networkx_round_trip(g):
    assert_same_graph(from_networkx(to_networkx(g)), g)


@settings(max_examples=150, deadline=None)
@given(synapse_graphs())
def test_igraph_round_trip(g):
    assert_same_graph(from_igraph(to_igraph(g)), g)


@settings(max_examples=150, deadline=None)
@given(synapse_graphs())
def test_scipy_round_trip(g):
    assert_same_graph(from_scipy_sparse(to_scipy_sparse(g), nodes=g.nodes), g)


def test_graph_without_nodes():
    g = SynapseGraph.from_edges([], [], n=0)
    for back in (from_networkx(to_networkx(g)), from_igraph(to_igraph(g)),
                 from_scipy_sparse(to_scipy_sparse(g))):
        assert back.n == 0 and back.n_edges == 0 and back.ids.dtype == np.int64


# -- against independent references ------------------------------------------------------


synapse_lists = st.integers(1, 15).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60),
    )
)


@settings(max_examples=200, deadline=None)
@given(synapse_lists)
def test_collapsed_synapses_match_networkx(n_and_synapses):
    # Duplicates and autapses are in the list on purpose; the reference is a networkx
    # DiGraph whose weights are summed by hand, self-loops skipped.
    n, synapses = n_and_synapses
    reference = nx.DiGraph()
    reference.add_nodes_from(range(n))
    autapses = 0
    for i, j in synapses:
        if i == j:
            autapses += 1
        elif reference.has_edge(i, j):
            reference[i][j]["weight"] += 1
        else:
            reference.add_edge(i, j, weight=1)
    pre = np.array([s[0] for s in synapses], dtype=np.int64)
    post = np.array([s[1] for s in synapses], dtype=np.int64)
    g = from_scipy_sparse(sp.coo_array((np.ones(len(synapses), dtype=np.int64), (pre, post)),
                                       shape=(n, n)))
    assert g.out_degree.tolist() == [reference.out_degree(v) for v in range(n)]
    assert g.in_degree.tolist() == [reference.in_degree(v) for v in range(n)]
    reciprocal = sum(1 for u, v in reference.edges if u < v and reference.has_edge(v, u))
    assert g.n_reciprocal_pairs == reciprocal
    assert edge_dict(g) == {(u, v): w for u, v, w in reference.edges(data="weight")}
    assert g.report.autapse_synapses_removed == autapses
    assert g.report.synapses_read == len(synapses)


def edge_dict(g):
    pre, post = g.edges()
    return {(int(i), int(j)): int(w) for i, j, w in zip(pre, post, g.out_weights, strict=True)}


@settings(max_examples=100, deadline=None)
@given(synapse_graphs())
def test_exports_agree_with_reference_libraries(g):
    dense = np.zeros((g.n, g.n), dtype=np.int64)
    pre, post = g.edges()
    np.add.at(dense, (pre, post), g.out_weights)
    a = to_scipy_sparse(g)
    np.testing.assert_array_equal(a.toarray(), dense)
    np.testing.assert_array_equal(to_scipy_sparse(g, weighted=False).toarray(), dense > 0)
    h = to_igraph(g)
    assert h.is_directed() and not h.has_multiple()
    assert h.degree(mode="out") == g.out_degree.tolist()
    assert h.degree(mode="in") == g.in_degree.tolist()
    assert h.vs["id"] == g.ids.tolist()
    G = to_networkx(g)
    assert [G.out_degree(v) for v in range(g.n)] == g.out_degree.tolist()
    assert [G.in_degree(v) for v in range(g.n)] == g.in_degree.tolist()
    assert nx.to_numpy_array(G, nodelist=range(g.n), dtype=np.int64).tolist() == dense.tolist()
    mutual = sum(1 for u, v in G.edges if u < v and G.has_edge(v, u))
    assert g.n_reciprocal_pairs == mutual


# -- labels, ids, attributes --------------------------------------------------------------


def test_uint64_ids_survive_igraph_and_networkx():
    nodes = pd.DataFrame({"id": np.array([HUGE, 648518346349491311], dtype=np.uint64)})
    g = SynapseGraph.from_edges([0], [1], [2], nodes=nodes)
    for back in (from_networkx(to_networkx(g)), from_igraph(to_igraph(g))):
        assert back.ids.dtype == np.uint64
        assert back.ids.tolist() == [HUGE, 648518346349491311]


def test_networkx_labels_are_ids_without_an_id_attribute():
    G = nx.DiGraph()
    G.add_node("AVAL", kind="interneuron")
    G.add_edge("AVAL", "PVCL", weight=2)
    G.add_edge("PVCL", "AVAL", weight=1)
    g = from_networkx(G)
    assert g.ids.tolist() == ["AVAL", "PVCL"]
    kind = g.nodes["kind"]
    assert kind[0] == "interneuron" and kind.isna().tolist() == [False, True]
    assert edge_dict(g) == {(0, 1): 2, (1, 0): 1}


def test_unweighted_inputs_count_one_synapse_per_edge():
    g = from_networkx(nx.DiGraph([(5, 6), (6, 7)]))
    assert g.ids.tolist() == [5, 6, 7] and g.out_weights.tolist() == [1, 1]
    h = from_igraph(igraph.Graph(n=3, edges=[(0, 1), (2, 1)], directed=True))
    assert h.ids.tolist() == [0, 1, 2] and h.out_weights.tolist() == [1, 1]


def test_self_loops_are_removed_and_counted():
    G = nx.DiGraph([(0, 1, {"weight": 2}), (1, 1, {"weight": 3})])
    g = from_networkx(G)
    assert edge_dict(g) == {(0, 1): 2} and g.report.autapse_synapses_removed == 3
    h = igraph.Graph(n=2, edges=[(0, 1), (1, 1)], directed=True)
    h.es["weight"] = [2, 3]
    assert from_igraph(h).report.autapse_synapses_removed == 3
    a = from_scipy_sparse(sp.csr_array(np.array([[4, 1], [0, 0]])))
    assert a.report.autapse_synapses_removed == 4 and a.n_edges == 1


def test_scipy_input_kinds():
    boolean = from_scipy_sparse(sp.csr_array(np.array([[False, True], [True, False]])))
    assert boolean.out_weights.tolist() == [1, 1]
    whole = from_scipy_sparse(sp.csr_matrix(np.array([[0, 2.0], [0, 0]])))
    assert whole.out_weights.tolist() == [2]
    # A stored zero is no connection; duplicate COO entries add up, as in scipy.
    coo = sp.coo_array((np.array([0, 2, 3]), (np.array([0, 1, 1]), np.array([1, 0, 0]))),
                       shape=(2, 2))
    assert edge_dict(from_scipy_sparse(coo)) == {(1, 0): 5}


# -- bad input -----------------------------------------------------------------------------


def test_undirected_and_multigraphs_are_rejected():
    with pytest.raises(GraphStructureError, match="undirected"):
        from_networkx(nx.Graph([(0, 1)]))
    with pytest.raises(GraphStructureError, match="multigraph"):
        from_networkx(nx.MultiDiGraph([(0, 1), (0, 1)]))
    with pytest.raises(GraphStructureError, match="undirected"):
        from_igraph(igraph.Graph(n=2, edges=[(0, 1)]))
    with pytest.raises(GraphStructureError, match="multiple edges"):
        from_igraph(igraph.Graph(n=2, edges=[(0, 1), (0, 1)], directed=True))


@pytest.mark.parametrize(
    ("edges", "rows"),
    [
        ([(0, 1, {"weight": 2}), (1, 2, {})], [1]),  # weight missing on one edge
        ([(0, 1, {"weight": 2}), (1, 2, {"weight": 0.5})], [1]),
        ([(0, 1, {"weight": -1}), (1, 2, {"weight": 1})], [0]),
    ],
)
def test_bad_networkx_weights(edges, rows):
    with pytest.raises(InvalidWeightError) as info:
        from_networkx(nx.DiGraph(edges))
    assert info.value.rows == rows and "networkx graph" in str(info.value)


def test_bad_ids():
    with pytest.raises(InvalidIdError, match=r"values 0\.5, 1\.5: cell id has a fractional part"):
        from_networkx(nx.DiGraph([(0.5, 1.5)]))
    with pytest.raises(InvalidIdError) as info:
        from_networkx(nx.DiGraph([("AVAL", 1)]))
    assert info.value.rows == [1]
    G = nx.DiGraph([(0, 1)])
    G.nodes[0]["id"] = 10  # node 1 has no id
    with pytest.raises(InvalidIdError, match="missing") as info:
        from_networkx(G)
    assert info.value.rows == [1]


def test_bad_scipy_inputs():
    with pytest.raises(GraphStructureError, match="square"):
        from_scipy_sparse(sp.csr_array(np.ones((2, 3))))
    with pytest.raises(GraphStructureError, match="sparse"):
        from_scipy_sparse(np.ones((2, 2)))
    with pytest.raises(GraphStructureError, match="2 rows"):
        from_scipy_sparse(sp.csr_array(np.ones((2, 2))), nodes=pd.DataFrame({"id": [1]}))
    with pytest.raises(InvalidWeightError, match="positive") as info:
        from_scipy_sparse(sp.csr_array(np.array([[0, 1], [-2, 0]])))
    assert info.value.rows == [1]
    with pytest.raises(InvalidWeightError, match="whole"):
        from_scipy_sparse(sp.csr_array(np.array([[0, 1.5], [0, 0]])))
