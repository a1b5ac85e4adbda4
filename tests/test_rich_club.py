"""Tests of the directed rich-club coefficient against brute force and networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.rich_club import (
    rich_club_coefficient,
    rich_club_counts,
    rich_club_table,
)
from tests.strategies import adjacency_matrices


def from_matrix(a: np.ndarray) -> SynapseGraph:
    pre, post = np.nonzero(a)
    return SynapseGraph.from_edges(pre, post, n=a.shape[0])


def brute_force(a: np.ndarray, degree: str) -> list[tuple[int, int, float]]:
    """(N, E, φ) for k = 0 .. max degree - 1, from the definition."""
    d = {"in": a.sum(axis=0), "out": a.sum(axis=1), "total": a.sum(axis=0) + a.sum(axis=1)}
    d = d[degree]
    rows = []
    for k in range(int(d.max(initial=0))):
        club = np.flatnonzero(d > k)
        n = club.size
        e = int(a[np.ix_(club, club)].sum())
        rows.append((n, e, e / (n * (n - 1)) if n >= 2 else np.nan))
    return rows


@settings(max_examples=200)
@given(a=adjacency_matrices(max_nodes=25), degree=st.sampled_from(["total", "in", "out"]))
def test_equals_brute_force(a: np.ndarray, degree: str) -> None:
    table = rich_club_table(from_matrix(a), degree=degree)
    expected = brute_force(a, degree)
    assert table["k"].tolist() == list(range(len(expected)))
    assert table["n_nodes"].tolist() == [n for n, _, _ in expected]
    assert table["n_edges"].tolist() == [e for _, e, _ in expected]
    np.testing.assert_allclose(table["coefficient"], [phi for _, _, phi in expected],
                               rtol=1e-15)
    series = rich_club_coefficient(from_matrix(a), degree=degree)
    assert series.name == "rich_club" and series.index.name == "k"
    np.testing.assert_array_equal(series.to_numpy(), table["coefficient"].to_numpy())


@settings(max_examples=150)
@given(a=adjacency_matrices(max_nodes=30))
def test_symmetric_digraphs_equal_networkx_undirected(a: np.ndarray) -> None:
    # Every edge reciprocated: out-degree is the undirected degree, and the directed
    # edges inside a club are twice its undirected ones, so φ_out(k) is networkx's
    # 2 E_k / (N_k (N_k - 1)); total degree is twice the undirected degree, so
    # φ_total(2k) = φ_total(2k + 1) = networkx's φ(k).
    sym = a | a.T
    undirected = nx.Graph()
    undirected.add_nodes_from(range(sym.shape[0]))
    undirected.add_edges_from(zip(*np.nonzero(np.triu(sym)), strict=True))
    # networkx 3.1 (the minimum) fails on a graph without edges; every degree is 0 there, so
    # no k has two nodes above it and the reference is empty.
    reference = (nx.rich_club_coefficient(undirected, normalized=False)
                 if undirected.number_of_edges() else {})
    g = from_matrix(sym)
    out = rich_club_coefficient(g, degree="out")
    total = rich_club_coefficient(g, degree="total")
    # networkx lists the k with at least two nodes above k; the other k are NaN here.
    assert set(reference) == set(out.index[out.notna()])
    for k, phi in reference.items():
        assert out[k] == pytest.approx(phi, rel=1e-15)
        assert total[2 * k] == pytest.approx(phi, rel=1e-15)
        assert total[2 * k + 1] == pytest.approx(phi, rel=1e-15)
    pd.testing.assert_series_equal(rich_club_coefficient(g, degree="in"), out)


def test_hand_counted_example() -> None:
    # A reciprocal pair 0 <-> 1 with 1 -> 2 and 3 -> 1: out-degrees 1, 2, 0, 1. The club
    # of out-degree > 0 is {0, 1, 3}, holding 0 -> 1, 1 -> 0 and 3 -> 1; that of
    # out-degree > 1 is {1} alone.
    g = SynapseGraph.from_edges([0, 1, 1, 3], [1, 0, 2, 1])
    table = rich_club_table(g, degree="out")
    assert table[["k", "n_nodes", "n_edges"]].values.tolist() == [[0, 3, 3], [1, 1, 0]]
    assert table["coefficient"][0] == 0.5
    assert np.isnan(table["coefficient"][1])


@pytest.mark.parametrize("n", [0, 1, 4])
def test_graphs_without_edges_have_no_clubs(n: int) -> None:
    g = SynapseGraph.from_edges([], [], n=n)
    assert rich_club_table(g).empty
    assert list(rich_club_table(g).columns) == ["k", "n_nodes", "n_edges", "coefficient"]
    assert rich_club_coefficient(g).empty
    n_nodes, n_edges = rich_club_counts(g)
    assert n_nodes.size == n_edges.size == 0


def test_larva_equals_brute_force() -> None:
    from connectome_motifs.graphs.datasets import larva

    g = larva()
    pre, post = g.edges()
    total = g.in_degree + g.out_degree
    table = rich_club_table(g)
    for k in (0, 10, 50, 100, 200, int(total.max()) - 1):
        club = total > k
        inside = int((club[pre] & club[post]).sum())
        assert table.loc[k, ["n_nodes", "n_edges"]].tolist() == [int(club.sum()), inside]


def test_rejects_unknown_degree() -> None:
    with pytest.raises(ValueError, match=r"degree must be one of.*'both'"):
        rich_club_coefficient(SynapseGraph.from_edges([0], [1]), degree="both")
