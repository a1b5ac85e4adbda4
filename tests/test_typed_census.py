"""Tests of the typed dyad and triad census against brute force over all pairs and triples."""

from __future__ import annotations

from collections import Counter
from itertools import combinations, permutations
from math import comb

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import MissingColumnError, SynapseGraph
from connectome_motifs.motifs import dyad_census, triad_census
from connectome_motifs.motifs.catalogue import TRIAD_NAMES, triad_class
from connectome_motifs.motifs.typed_census import (
    MAX_GROUPS,
    typed_dyad_census,
    typed_triad_census,
)
from tests.strategies import adjacency_matrices

UNLABELLED = "(unlabelled)"


@st.composite
def typed_matrices(draw: st.DrawFn, max_nodes: int) -> tuple[np.ndarray, list]:
    """An adjacency matrix and a label per node (None for no label)."""
    a = draw(adjacency_matrices(max_nodes))
    n = a.shape[0]
    kind = draw(st.sampled_from(["one", "own", "few", "few_unlabelled", "none_labelled"]))
    if kind == "one":
        labels = ["E"] * n
    elif kind == "own":
        labels = [f"c{i:02d}" for i in range(n)]
    elif kind == "none_labelled":
        labels = [None] * n
    else:
        names = ["E", "I", "M", "Z"][: draw(st.integers(1, 4))]
        options = [*names, None] if kind == "few_unlabelled" else names
        labels = draw(st.lists(st.sampled_from(options), min_size=n, max_size=n))
    return a, labels


def typed_graph(a: np.ndarray, labels: list) -> SynapseGraph:
    pre, post = np.nonzero(a)
    nodes = pd.DataFrame({"id": np.arange(a.shape[0]), "type": pd.Series(labels, dtype=object)})
    return SynapseGraph.from_edges(pre, post, n=a.shape[0], nodes=nodes)


def label_names(labels: list) -> tuple[list[str], dict[str, int]]:
    """Each node's group name and the rank of every name: sorted, unlabelled last."""
    names = [UNLABELLED if x is None else x for x in labels]
    order = [*sorted({x for x in names if x != UNLABELLED}), UNLABELLED]
    return names, {name: k for k, name in enumerate(order)}


def brute_triads(a: np.ndarray, labels: list, man_code) -> Counter:
    """Typed triads by brute force: every triple, every way to lay it on the class's edges."""
    names, rank = label_names(labels)
    counts: Counter = Counter()
    for triple in combinations(range(a.shape[0]), 3):
        name = man_code(a, triple)
        edges = set(triad_class(name).edges)
        layouts = []
        for p in permutations(triple):
            # Canonical node i is cell p[i]: keep the layouts that give the class's edges.
            if {(i, j) for i in range(3) for j in range(3) if a[p[i], p[j]]} == edges:
                layouts.append(tuple(rank[names[cell]] for cell in p))
        best = min(layouts)
        inverse = {k: name for name, k in rank.items()}
        counts[(name, *(inverse[k] for k in best))] += 1
    return counts


def brute_dyads(a: np.ndarray, labels: list) -> Counter:
    names, rank = label_names(labels)
    counts: Counter = Counter()
    for i, j in combinations(range(a.shape[0]), 2):
        if a[i, j] != a[j, i]:
            pre, post = (i, j) if a[i, j] else (j, i)
            counts[("asymmetric", names[pre], names[post])] += 1
        else:
            low, high = sorted((names[i], names[j]), key=rank.__getitem__)
            counts[("mutual" if a[i, j] else "null", low, high)] += 1
    return counts


def as_counter(table: pd.DataFrame, kind: str) -> Counter:
    groups = ["group_1", "group_2", "group_3"] if kind == "triad" else ["group_1", "group_2"]
    assert (table["count"] > 0).all()
    keys = [tuple(row) for row in table[[kind, *groups]].itertuples(index=False)]
    assert len(set(keys)) == len(keys)
    return Counter(dict(zip(keys, (int(c) for c in table["count"]), strict=True)))


@settings(max_examples=200)
@given(drawn=typed_matrices(max_nodes=10))
def test_typed_triad_census_equals_brute_force(drawn, man_code) -> None:
    a, labels = drawn
    table = typed_triad_census(typed_graph(a, labels), "type")
    assert list(table.columns) == ["triad", "group_1", "group_2", "group_3",
                                   "role_1", "role_2", "role_3", "count"]
    assert table["count"].dtype == np.int64
    assert as_counter(table, "triad") == brute_triads(a, labels, man_code)
    for row in table.itertuples(index=False):
        assert (row.role_1, row.role_2, row.role_3) == triad_class(row.triad).roles


@settings(max_examples=200)
@given(typed_matrices(max_nodes=14))
def test_typed_dyad_census_equals_brute_force(drawn) -> None:
    a, labels = drawn
    table = typed_dyad_census(typed_graph(a, labels), "type")
    assert list(table.columns) == ["dyad", "group_1", "group_2", "count"]
    assert table["count"].dtype == np.int64
    assert as_counter(table, "dyad") == brute_dyads(a, labels)


@settings(max_examples=60)
@given(typed_matrices(max_nodes=45))
def test_sums_over_groups_and_over_classes(drawn) -> None:
    a, labels = drawn
    g = typed_graph(a, labels)
    table = typed_triad_census(g, "type")
    by_class = table.groupby("triad", observed=False)["count"].sum()
    assert {t: int(by_class.get(t, 0)) for t in TRIAD_NAMES} == triad_census(g).to_dict()
    # Triples per group multiset, counted over the cells' names.
    names, _ = label_names(labels)
    expected = Counter(tuple(sorted(names[c] for c in t)) for t in combinations(range(g.n), 3))
    got: Counter = Counter()
    for row in table.itertuples(index=False):
        got[tuple(sorted((row.group_1, row.group_2, row.group_3)))] += int(row.count)
    assert got == expected
    dyads = typed_dyad_census(g, "type").groupby("dyad", observed=False)["count"].sum()
    assert {d: int(dyads.get(d, 0)) for d in ("null", "asymmetric", "mutual")} == \
        dyad_census(g).to_dict()


def test_cycle_directions_are_two_typed_triads_and_rotations_one() -> None:
    # Two cycles E -> I -> M -> E (cells 0-2, and 6-8 written from another start) and one
    # E -> M -> I -> E (cells 3-5): 030C's canonical cycle is 1 -> 0 -> 2 -> 1, so a cycle
    # g1 -> g3 -> g2 -> g1 is the row (g1, g2, g3) with g1 the smallest group.
    #   E -> I -> M -> E: E at node 0, I at node 2, M at node 1: (E, M, I).
    #   E -> M -> I -> E: E at node 0, M at node 2, I at node 1: (E, I, M).
    labels = ["E", "I", "M", "E", "M", "I", "I", "M", "E"]
    pre = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    post = [1, 2, 0, 4, 5, 3, 7, 8, 6]
    a = np.zeros((9, 9), dtype=bool)
    a[pre, post] = True
    table = typed_triad_census(typed_graph(a, labels), "type")
    cycles = table[table["triad"] == "030C"]
    assert sorted(zip(cycles["group_1"], cycles["group_2"], cycles["group_3"],
                      cycles["count"].tolist(), strict=True)) == [
        ("E", "I", "M", 1), ("E", "M", "I", 2)]


def test_chain_keeps_source_middle_and_sink() -> None:
    # 0 -> 1 -> 2 with groups E, I, E and 3 -> 4 -> 5 with E, E, I: 021C is 0 -> 1 -> 2.
    a = np.zeros((6, 6), dtype=bool)
    a[[0, 1, 3, 4], [1, 2, 4, 5]] = True
    table = typed_triad_census(typed_graph(a, ["E", "I", "E", "E", "E", "I"]), "type")
    chains = table[table["triad"] == "021C"]
    assert sorted(zip(chains["group_1"], chains["group_2"], chains["group_3"],
                      strict=True)) == [("E", "E", "I"), ("E", "I", "E")]
    assert chains[["role_1", "role_2", "role_3"]].drop_duplicates().values.tolist() == [
        ["source", "middle", "sink"]]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_graphs_without_edges(n: int) -> None:
    labels = ["E", None, "I", "E", "I"][:n]
    table = typed_triad_census(typed_graph(np.zeros((n, n), dtype=bool), labels), "type")
    assert set(table["triad"]) <= {"003"}
    assert int(table["count"].sum()) == comb(n, 3)
    dyads = typed_dyad_census(typed_graph(np.zeros((n, n), dtype=bool), labels), "type")
    assert set(dyads["dyad"]) <= {"null"}
    assert int(dyads["count"].sum()) == comb(n, 2)


def test_results_do_not_depend_on_thread_count(monkeypatch, on_threads) -> None:
    monkeypatch.setattr("connectome_motifs.graphs.threads.SERIAL_BELOW_EDGES", 0)
    rng = np.random.default_rng(5)
    n = 2500
    out_w, in_w = rng.lognormal(0, 1.5, n), rng.lognormal(0, 1.5, n)
    pre = rng.choice(n, 15 * n, p=out_w / out_w.sum())
    post = rng.choice(n, 15 * n, p=in_w / in_w.sum())
    keys = np.unique((pre * n + post)[pre != post])
    back = rng.random(keys.size) < 0.3
    keys = np.unique(np.concatenate([keys, (keys % n)[back] * n + (keys // n)[back]]))
    labels = rng.choice(np.array(["a", "b", "c", "d", "e", "f", "g", None], dtype=object), n)
    nodes = pd.DataFrame({"id": np.arange(n), "type": labels})
    g = SynapseGraph.from_edges(keys // n, keys % n, n=n, nodes=nodes)
    with on_threads(1):
        one = typed_triad_census(g, "type")
    with on_threads(2):
        two = typed_triad_census(g, "type")
    pd.testing.assert_frame_equal(one, two)
    by_class = one.groupby("triad", observed=False)["count"].sum()
    assert {t: int(by_class.get(t, 0)) for t in TRIAD_NAMES} == triad_census(g).to_dict()


def test_larva_cell_types_sum_to_the_census() -> None:
    from connectome_motifs.graphs.datasets import larva

    g = larva()
    table = typed_triad_census(g, "celltype")
    by_class = table.groupby("triad", observed=False)["count"].sum()
    assert {t: int(by_class.get(t, 0)) for t in TRIAD_NAMES} == triad_census(g).to_dict()
    # Triples per multiset of cell types, from the type sizes by hand.
    sizes = Counter(g.nodes["celltype"].fillna(UNLABELLED))
    got: Counter = Counter()
    for row in table.itertuples(index=False):
        got[tuple(sorted((row.group_1, row.group_2, row.group_3)))] += int(row.count)
    for key, count in got.items():
        multiplicity = Counter(key)
        expected = 1
        for name, times in multiplicity.items():
            expected *= comb(sizes[name], times)
        assert count == expected, key
    assert sum(got.values()) == comb(g.n, 3)


def test_empty_class_beyond_int64_stays_exact() -> None:
    n = 3_810_780  # C(n, 3) > 2**63 - 1 from here on (see tests/test_census.py)
    nodes = pd.DataFrame({"id": np.arange(n), "type": "E"})
    table = typed_triad_census(SynapseGraph(np.zeros(n + 1, dtype=np.int64), [], nodes=nodes),
                               "type")
    assert table["count"].dtype == object
    assert table.values.tolist() == [["003", "E", "E", "E", "any", "any", "any", comb(n, 3)]]


def test_bad_groups_are_named() -> None:
    g = typed_graph(np.zeros((3, 3), dtype=bool), ["E", "I", "E"])
    with pytest.raises(MissingColumnError, match="'cell_type'"):
        typed_triad_census(g, "cell_type")
    with pytest.raises(MissingColumnError, match="'cell_type'"):
        typed_dyad_census(g, "cell_type")
    with pytest.raises(TypeError, match="groups"):
        typed_triad_census(g, None)
    n = MAX_GROUPS + 1
    many = typed_graph(np.zeros((n, n), dtype=bool), [f"t{i}" for i in range(n)])
    with pytest.raises(ValueError, match=f"{n} groups.*coarsen"):
        typed_triad_census(many, "type")
