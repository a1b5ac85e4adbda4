"""Tests of per-edge triad participation against brute force over triples and the census."""

from __future__ import annotations

from itertools import combinations, permutations

import numpy as np
import pandas as pd
from hypothesis import given, settings

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import triad_census
from connectome_motifs.motifs.catalogue import EDGE_ROLES, TRIADS
from connectome_motifs.motifs.edge_participation import edge_triad_participation
from tests.strategies import adjacency_matrices


def from_matrix(a: np.ndarray, ids=None) -> SynapseGraph:
    pre, post = np.nonzero(a)
    nodes = None if ids is None else pd.DataFrame({"id": ids})
    return SynapseGraph.from_edges(pre, post, n=a.shape[0], nodes=nodes)


def edge_orbits(edges: tuple[tuple[int, int], ...]) -> list[frozenset]:
    """The orbits of a triad's edges under its automorphisms, found by brute force."""
    automorphisms = [p for p in permutations(range(3))
                     if {(p[u], p[v]) for u, v in edges} == set(edges)]
    return list({frozenset((p[u], p[v]) for p in automorphisms) for u, v in edges})


def test_edge_role_names_are_the_edge_orbits() -> None:
    for t in TRIADS:
        names = {}
        for orbit in edge_orbits(t.edges):
            labels = {f"{t.roles[u]}->{t.roles[v]}" for u, v in orbit}
            assert len(labels) == 1, (t.name, orbit)
            names[labels.pop()] = orbit
        assert sorted(names) == sorted(r for c, r in EDGE_ROLES if c == t.name)


def brute_force(a: np.ndarray, man_code) -> dict[tuple[int, int], dict[tuple[str, str], int]]:
    """Per edge, the number of triples holding it by (class, role of the edge)."""
    n = a.shape[0]
    counts: dict = {}
    for triple in combinations(range(n), 3):
        name = man_code(a, triple)
        t = next(t for t in TRIADS if t.name == name)
        sub = a[np.ix_(triple, triple)]
        # Label the triple as t's canonical member to read the edges' roles off t.roles.
        for p in permutations(range(3)):
            relabelled = {(p[u], p[v]) for u in range(3) for v in range(3) if sub[u, v]}
            if relabelled == set(t.edges):
                break
        for u, v in zip(*np.nonzero(sub), strict=True):
            role = f"{t.roles[p[u]]}->{t.roles[p[v]]}"
            key = (triple[u], triple[v])
            counts.setdefault(key, {}).setdefault((name, role), 0)
            counts[key][(name, role)] += 1
    return counts


@settings(max_examples=150, deadline=None)
@given(a=adjacency_matrices(max_nodes=10))
def test_participation_equals_brute_force(a: np.ndarray, man_code) -> None:
    table = edge_triad_participation(from_matrix(a), roles=True)
    pre, post = np.nonzero(a)
    assert table.index.tolist() == list(zip(pre.tolist(), post.tolist(), strict=True))
    expected = brute_force(a, man_code)
    for edge, row in table.iterrows():
        got = {role: int(v) for role, v in row.items() if v}
        assert got == expected.get(edge, {}), edge


@settings(max_examples=100, deadline=None)
@given(a=adjacency_matrices(max_nodes=40))
def test_rows_and_columns_add_up(a: np.ndarray) -> None:
    g = from_matrix(a)
    by_class = edge_triad_participation(g)
    if g.n_edges:
        assert (by_class.sum(axis=1) == g.n - 2).all()
    census = triad_census(g)
    for t in TRIADS[1:]:
        assert int(by_class[t.name].sum()) == len(t.edges) * int(census[t.name])
    by_role = edge_triad_participation(g, roles=True)
    for (name, role), column in by_role.items():
        t = next(t for t in TRIADS if t.name == name)
        held = sum(f"{t.roles[u]}->{t.roles[v]}" == role for u, v in t.edges)
        assert int(column.sum()) == held * int(census[name])


def test_cell_ids_label_the_rows() -> None:
    g = from_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 0, 0]], dtype=bool), ids=[7, 8, 9])
    table = edge_triad_participation(g)
    assert table.index.names == ["pre", "post"]
    assert table.index.tolist() == [(7, 8), (8, 7), (8, 9)]
    # 7 <-> 8 -> 9 is one 111U triad, holding each of the three edges.
    assert table["111U"].tolist() == [1, 1, 1]


def test_one_edge_in_an_otherwise_empty_graph() -> None:
    table = edge_triad_participation(SynapseGraph.from_edges([0], [1], n=5))
    assert int(table.loc[(0, 1), "012"]) == 3 and int(table.loc[(0, 1)].sum()) == 3
