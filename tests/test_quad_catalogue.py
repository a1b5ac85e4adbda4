"""Tests of the 4-cell catalogue against igraph's isoclasses and hand-counted facts."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import igraph as ig
import pytest

from connectome_motifs.motifs.quad_catalogue import (
    QUAD_NAMES,
    QUADS,
    quad_class,
    quad_code,
    quad_code_classes,
    quad_edges,
    quad_table,
)


def test_every_labelled_graph_has_igraphs_isoclass() -> None:
    classes = quad_code_classes()
    for code in range(4096):
        g = ig.Graph(n=4, edges=list(quad_edges(code)), directed=True)
        assert classes[code] == g.isoclass(), code


def test_class_records_match_their_edges() -> None:
    classes = quad_code_classes()
    for q in QUADS:
        assert quad_code(q.edges) == q.code
        members = [c for c in range(4096) if classes[c] == q.isoclass]
        assert q.code == min(members) and q.n_labelled == len(members)
        g = ig.Graph(n=4, edges=list(q.edges), directed=True)
        assert g.isoclass() == q.isoclass
        assert q.connected == g.as_undirected().is_connected()
        pairs = Counter(frozenset(e) for e in q.edges)
        assert q.n_mutual == sum(c == 2 for c in pairs.values())
        assert q.n_asymmetric == sum(c == 1 for c in pairs.values())
        assert q.n_mutual + q.n_asymmetric + q.n_null == 6


def test_class_counts_by_skeleton() -> None:
    # 218 classes, 199 connected (OEIS A000273, A003085); 42 semicomplete digraphs on 4 nodes.
    table = quad_table()
    assert len(table) == 218 and int(table["connected"].sum()) == 199
    assert (table["skeleton"] == "4-clique").sum() == 42
    assert (table["skeleton"] == "empty").sum() == 1 and table.loc[0, "skeleton"] == "empty"
    assert int(table["n_labelled"].sum()) == 4096


@pytest.mark.parametrize(("name", "edges"), [
    ("chain", [(2, 0), (0, 3), (3, 1)]),
    ("fan-out", [(3, 0), (3, 1), (3, 2)]),
    ("fan-in", [(0, 2), (1, 2), (3, 2)]),
    ("bi-fan", [(1, 0), (1, 3), (2, 0), (2, 3)]),
    ("bi-parallel", [(3, 1), (3, 2), (1, 0), (2, 0)]),
    ("four-cycle", [(1, 3), (3, 0), (0, 2), (2, 1)]),
    ("3-simplex", [(2, 1), (2, 3), (2, 0), (1, 3), (1, 0), (3, 0)]),
])
def test_named_classes(name: str, edges: list[tuple[int, int]]) -> None:
    g = ig.Graph(n=4, edges=edges, directed=True)
    assert QUAD_NAMES[name] == g.isoclass() == quad_class(name).isoclass
    assert quad_class(name).name == name


def test_relabelling_keeps_the_class() -> None:
    classes = quad_code_classes()
    edges = [(0, 1), (1, 0), (1, 2), (3, 2)]
    assert len({classes[quad_code([(p[u], p[v]) for u, v in edges])]
                for p in permutations(range(4))}) == 1


@pytest.mark.parametrize("key", [-1, 218, 2.5, "triangle"])
def test_unknown_classes_are_refused(key) -> None:
    with pytest.raises(KeyError):
        quad_class(key)
