"""Tests of per-node triad participation against brute force and the census."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from connectome_motifs.graphs import SynapseGraph, UnknownCellError
from connectome_motifs.motifs import triad_census, triad_participation
from connectome_motifs.motifs.catalogue import ROLES, TRIAD_NAMES, role_table
from tests.strategies import adjacency_matrices, synapse_graphs


def from_matrix(a: np.ndarray, ids=None) -> SynapseGraph:
    pre, post = np.nonzero(a)
    nodes = None if ids is None else pd.DataFrame({"id": ids})
    return SynapseGraph.from_edges(pre, post, n=a.shape[0], nodes=nodes)


def brute_force_roles(a: np.ndarray, man_code) -> list[Counter]:
    """Per node, Counter of (MAN code, in-triad out-degree, in-triad in-degree) over triples."""
    n = a.shape[0]
    counts = [Counter() for _ in range(n)]
    for triple in combinations(range(n), 3):
        name = man_code(a, triple)
        sub = a[np.ix_(triple, triple)]
        for pos, node in enumerate(triple):
            counts[node][(name, int(sub[pos].sum()), int(sub[:, pos].sum()))] += 1
    return counts


@settings(max_examples=100)
@given(a=adjacency_matrices(max_nodes=10))
def test_participation_by_role_equals_brute_force(a: np.ndarray, man_code) -> None:
    table = triad_participation(from_matrix(a), roles=True)
    degrees = role_table()[["out_degree", "in_degree"]]
    expected = brute_force_roles(a, man_code)
    for node, counter in enumerate(expected):
        row = {
            (triad, int(degrees.loc[(triad, role), "out_degree"]),
             int(degrees.loc[(triad, role), "in_degree"])): int(v)
            for (triad, role), v in table.loc[node].items()
            if v
        }
        assert row == dict(counter)


@settings(max_examples=150)
@given(a=adjacency_matrices(max_nodes=10))
def test_participation_by_class_equals_brute_force(a: np.ndarray, man_code) -> None:
    table = triad_participation(from_matrix(a))
    assert table.columns.tolist() == list(TRIAD_NAMES)
    n = a.shape[0]
    expected = np.zeros((n, 16), dtype=np.int64)
    for triple in combinations(range(n), 3):
        expected[list(triple), TRIAD_NAMES.index(man_code(a, triple))] += 1
    np.testing.assert_array_equal(table.to_numpy(), expected)


@settings(max_examples=200)
@given(synapse_graphs(max_nodes=40))
def test_participation_sums_to_three_times_census(g: SynapseGraph) -> None:
    by_class = triad_participation(g)
    by_role = triad_participation(g, roles=True)
    census = triad_census(g)
    np.testing.assert_array_equal(by_class.sum(axis=0).to_numpy(), 3 * census.to_numpy())
    multiplicity = np.array([r.multiplicity for r in ROLES])
    role_census = census[[r.triad for r in ROLES]].to_numpy()
    np.testing.assert_array_equal(by_role.sum(axis=0).to_numpy(), multiplicity * role_census)
    np.testing.assert_array_equal(by_class.sum(axis=1).to_numpy(),
                                  np.full(g.n, comb(max(g.n - 1, 0), 2)))
    assert by_class.dtypes.eq(np.int64).all() and by_role.dtypes.eq(np.int64).all()


def test_chain_roles_by_hand() -> None:
    # 0 -> 1 -> 2 is one 021C triad: 0 its source, 1 its middle, 2 its sink.
    table = triad_participation(SynapseGraph.from_edges([0, 1], [1, 2]), roles=True)
    assert table["021C"].to_dict("index") == {
        0: {"source": 1, "middle": 0, "sink": 0},
        1: {"source": 0, "middle": 1, "sink": 0},
        2: {"source": 0, "middle": 0, "sink": 1},
    }


def test_transitive_roles_by_hand() -> None:
    # 0 -> 1, 0 -> 2, 2 -> 1: a 030T with source 0, middle 2, sink 1; node 3 is
    # isolated, so each pair with 3 makes a 012 triad.
    g = SynapseGraph.from_edges([0, 0, 2], [1, 2, 1], n=4)
    table = triad_participation(g, roles=True)
    assert table.loc[0, ("030T", "source")] == 1
    assert table.loc[2, ("030T", "middle")] == 1
    assert table.loc[1, ("030T", "sink")] == 1
    assert table.loc[3, ("012", "isolated")] == 3
    assert table.loc[0, ("012", "source")] == 2


def test_subset_uses_ids_in_given_order() -> None:
    rng = np.random.default_rng(3)
    a = rng.random((12, 12)) < 0.3
    np.fill_diagonal(a, False)
    ids = np.arange(100, 112)
    g = from_matrix(a, ids=ids)
    full = triad_participation(g, roles=True)
    part = triad_participation(g, nodes=[109, 101, 105], roles=True)
    assert part.index.tolist() == [109, 101, 105]
    assert part.index.name == "id"
    pd.testing.assert_frame_equal(part, full.loc[[109, 101, 105]])


def test_unknown_ids_raise() -> None:
    g = SynapseGraph.from_edges([0, 1], [1, 2])
    with pytest.raises(UnknownCellError):
        triad_participation(g, nodes=[7])
