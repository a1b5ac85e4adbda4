"""Tests of directed simplex counts and participation against brute force and flagser."""

from __future__ import annotations

from collections import Counter
from itertools import combinations, permutations
from math import comb

import numba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph, datasets
from connectome_motifs.graphs.threads import numba_threads
from connectome_motifs.motifs.simplices import POSITIONS, simplex_counts, simplex_participation
from tests.strategies import adjacency_matrices

try:
    import pyflagser
except ImportError:  # pyflagser 0.4.7 has wheels for CPython 3.10-3.12, none for 3.13
    pyflagser = None

# The reference the counts are checked against: flagser where it installs, else brute force,
# which can only enumerate small graphs, so those tests take a small subgraph instead.
REFERENCE = "pyflagser" if pyflagser is not None else "brute force (pyflagser not installed)"
BRUTE_FORCE_NODES = 8


def from_matrix(a: np.ndarray, ids=None) -> SynapseGraph:
    pre, post = np.nonzero(a)
    nodes = None if ids is None else pd.DataFrame({"id": ids})
    return SynapseGraph.from_edges(pre, post, n=a.shape[0], nodes=nodes)


def to_matrix(g: SynapseGraph) -> np.ndarray:
    a = np.zeros((g.n, g.n), dtype=bool)
    pre, post = g.edges()
    a[pre, post] = True
    return a


def brute_force_simplices(a: np.ndarray) -> list[tuple[int, ...]]:
    """Every directed simplex of ``a`` from the definition, as a tuple of nodes.

    Each ordering of each node set is tried, and kept if every node has an edge to every
    later one. A set with an unconnected pair has no such ordering, and no set is larger
    than one that is.
    """
    adj = a.tolist()
    n = len(adj)
    found: list[tuple[int, ...]] = []
    for size in range(1, n + 1):
        connected = [s for s in combinations(range(n), size)
                     if all(adj[u][v] or adj[v][u] for u, v in combinations(s, 2))]
        if not connected:
            break
        found += [p for s in connected for p in permutations(s)
                  if all(adj[p[i]][p[j]] for i, j in combinations(range(size), 2))]
    return found


def brute_force_counts(a: np.ndarray) -> list[int]:
    by_dimension = Counter(len(s) - 1 for s in brute_force_simplices(a))
    return [by_dimension[k] for k in range(len(by_dimension))]


def flagser_counts(a: np.ndarray, homology: bool = False) -> list[int]:
    """Return flagser's cell counts of ``a``, from its counting or its homology routine."""
    counts = list(pyflagser.flagser_unweighted(a, directed=True)["cell_count"] if homology
                  else pyflagser.flagser_count_unweighted(a, directed=True))
    while counts and counts[-1] == 0:
        counts.pop()
    return counts


def largest_degree_subgraph(a: np.ndarray, size: int) -> np.ndarray:
    """Return the subgraph of ``a`` induced by its ``size`` nodes of largest total degree."""
    keep = np.sort(np.argsort(-(a.sum(axis=0) + a.sum(axis=1)), kind="stable")[:size])
    return a[np.ix_(keep, keep)]


def reference_counts(a: np.ndarray, small: int = BRUTE_FORCE_NODES) -> tuple[np.ndarray, list[int]]:
    """Return the graph checked and its counts by :data:`REFERENCE`.

    Without pyflagser, the graph checked is the subgraph of ``a`` on its ``small`` nodes of
    largest degree (brute force is exponential; sparse graphs allow more nodes).
    """
    if pyflagser is not None:
        return a, flagser_counts(a)
    sub = largest_degree_subgraph(a, small)
    return sub, brute_force_counts(sub)


def assert_sums_are_multiples_of_counts(counts: pd.Series, nodes: pd.DataFrame,
                                        positions: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Check participation against the counts: a k-simplex has k + 1 nodes, C(k + 1, 2) edges,
    one source, k - 1 intermediates and one sink (a 0-simplex: its one node, the source)."""
    counts = counts.to_numpy()
    dims = np.arange(counts.size)
    np.testing.assert_array_equal(nodes.sum(axis=0).to_numpy(), (dims + 1) * counts)
    pairs = np.array([comb(k + 1, 2) for k in dims], dtype=np.int64)
    np.testing.assert_array_equal(edges.sum(axis=0).to_numpy(), (pairs * counts)[1:])
    by_position = positions.to_numpy().reshape(len(nodes), counts.size, len(POSITIONS))
    np.testing.assert_array_equal(by_position.sum(axis=2), nodes.to_numpy())
    expected = np.stack([counts, np.maximum(dims - 1, 0) * counts,
                         np.where(dims > 0, counts, 0)], axis=1)
    np.testing.assert_array_equal(by_position.sum(axis=0), expected.reshape(-1, 3))
    if len(nodes):
        assert (nodes[0] == 1).all()
    assert counts.dtype == np.int64
    for table in (nodes, positions, edges):
        assert table.dtypes.eq(np.int64).all()


def heavy_tailed_graph(n: int, seed: int) -> SynapseGraph:
    rng = np.random.default_rng(seed)
    out_w, in_w = rng.lognormal(0, 1.5, n), rng.lognormal(0, 1.5, n)
    pre = rng.choice(n, 20 * n, p=out_w / out_w.sum())
    post = rng.choice(n, 20 * n, p=in_w / in_w.sum())
    keys = np.unique((pre * n + post)[pre != post])
    # Reverse a third of the edges to make many reciprocal pairs.
    back = rng.random(keys.size) < 0.3
    keys = np.unique(np.concatenate([keys, (keys % n)[back] * n + (keys // n)[back]]))
    return SynapseGraph.from_edges(keys // n, keys % n, n=n)


def assert_equal_brute_force(a: np.ndarray) -> None:
    """Check the counts and every participation table of ``a`` against brute force."""
    n = a.shape[0]
    g = from_matrix(a, ids=np.arange(n) * 7 + 100)
    simplices = brute_force_simplices(a)
    top = max((len(s) - 1 for s in simplices), default=-1)
    counts = np.zeros(top + 1, dtype=np.int64)
    by_position = np.zeros((n, top + 1, 3), dtype=np.int64)
    edge_row = {(int(u), int(v)): e for e, (u, v) in enumerate(zip(*g.edges(), strict=True))}
    by_edge = np.zeros((g.n_edges, max(top, 0)), dtype=np.int64)
    for s in simplices:
        k = len(s) - 1
        counts[k] += 1
        for i, v in enumerate(s):
            by_position[v, k, 0 if i == 0 else 2 if i == k else 1] += 1
        for u, v in combinations(s, 2):
            by_edge[edge_row[u, v], k - 1] += 1

    result = simplex_counts(g)
    assert result.tolist() == counts.tolist()
    assert result.index.tolist() == list(range(top + 1)) and result.index.name == "dimension"
    nodes = simplex_participation(g)
    np.testing.assert_array_equal(nodes.to_numpy(), by_position.sum(axis=2))
    assert nodes.index.tolist() == g.ids.tolist() and nodes.index.name == "id"
    positions = simplex_participation(g, positions=True)
    np.testing.assert_array_equal(positions.to_numpy(), by_position.reshape(n, 3 * (top + 1)))
    assert positions.columns.tolist() == [(k, p) for k in range(top + 1) for p in POSITIONS]
    edges = simplex_participation(g, by="edge")
    np.testing.assert_array_equal(edges.to_numpy(), by_edge)
    pre, post = g.edges()
    assert edges.index.tolist() == list(zip(g.ids[pre].tolist(), g.ids[post].tolist(), strict=True))
    assert edges.index.names == ["pre", "post"]
    assert edges.columns.tolist() == list(range(1, top + 1))


@settings(max_examples=100)
@given(a=adjacency_matrices(max_nodes=BRUTE_FORCE_NODES))
def test_counts_and_participation_equal_brute_force(a: np.ndarray) -> None:
    assert_equal_brute_force(a)


def test_counts_and_participation_equal_brute_force_around_hubs() -> None:
    # Node 0 sends to 1..22 and 1 to 2..22, while 2 sends only to 1 and 3: the search from 0
    # meets the short candidate list {1, 3} with 1's long one (binary search, not scans),
    # which graphs of 8 nodes never do. Sparse random edges on top; 26 nodes stay cheap to
    # brute-force as long as no 6 nodes are pairwise connected.
    a = np.random.default_rng(2).random((26, 26)) < 0.06
    a[0, 1:23] = a[1, 2:23] = True
    a[2] = False
    a[2, [1, 3]] = a[3, 1] = True
    np.fill_diagonal(a, False)
    assert_equal_brute_force(a)


@pytest.mark.parametrize("reference", [REFERENCE])
@settings(max_examples=100)
@given(a=adjacency_matrices(max_nodes=10))
def test_counts_equal_reference_on_random_graphs(reference: str, a: np.ndarray) -> None:
    # Complete graphs of 10 nodes have ~10^7 simplices: more nodes would not stay fast.
    checked, expected = reference_counts(a)
    assert simplex_counts(from_matrix(checked)).tolist() == expected, f"against {reference}"


@pytest.mark.parametrize("reference", [REFERENCE])
@pytest.mark.parametrize("subgraph", ["th100", "full"])
def test_counts_equal_reference_on_pinky100(reference: str, subgraph: str) -> None:
    a = to_matrix(datasets.pinky100(subgraph))
    if pyflagser is None:
        checked, expected = reference_counts(a, small=20)
    else:
        # flagser's homology routine, which counts the cells on the way (fast when sparse).
        checked, expected = a, flagser_counts(a, homology=True)
    g = from_matrix(checked)
    counts = simplex_counts(g)
    assert counts.tolist() == expected, f"pinky100 {subgraph} against {reference}"
    assert_sums_are_multiples_of_counts(
        counts, simplex_participation(g), simplex_participation(g, positions=True),
        simplex_participation(g, by="edge"))


@settings(max_examples=100)
@given(a=adjacency_matrices(max_nodes=30), max_dimension=st.integers(0, 4))
def test_participation_sums_to_multiples_of_counts(a: np.ndarray, max_dimension: int) -> None:
    # Bounded dimension keeps dense 30-node graphs cheap and checks the bound on the way.
    g = from_matrix(a)
    counts = simplex_counts(g, max_dimension=max_dimension)
    assert counts.size <= max_dimension + 1
    assert_sums_are_multiples_of_counts(
        counts,
        simplex_participation(g, max_dimension=max_dimension),
        simplex_participation(g, max_dimension=max_dimension, positions=True),
        simplex_participation(g, by="edge", max_dimension=max_dimension),
    )


@settings(max_examples=60)
@given(a=adjacency_matrices(max_nodes=9), max_dimension=st.integers(0, 6))
def test_max_dimension_truncates_exactly(a: np.ndarray, max_dimension: int) -> None:
    # Every table of the whole complex, twice: a complete graph of 9 nodes takes 0.3 s.
    g = from_matrix(a)
    full = simplex_counts(g)
    pd.testing.assert_series_equal(simplex_counts(g, max_dimension=max_dimension),
                                   full.iloc[: max_dimension + 1])
    for by, positions in (("node", False), ("node", True), ("edge", False)):
        whole = simplex_participation(g, by=by, positions=positions)
        cut = simplex_participation(g, by=by, max_dimension=max_dimension, positions=positions)
        kept = whole.columns.get_level_values(0) <= max_dimension
        pd.testing.assert_frame_equal(cut, whole.loc[:, kept], check_column_type=False)


def test_same_results_on_one_and_two_threads(monkeypatch) -> None:
    # Small graphs run serially (graphs.threads.kernel_threads); force the parallel path.
    monkeypatch.setattr("connectome_motifs.graphs.threads.SERIAL_BELOW_EDGES", 0)
    g = heavy_tailed_graph(3000, seed=7)

    def everything(threads: int):
        with numba_threads(threads):
            assert numba.get_num_threads() == threads, "numba started with too few threads"
            return (simplex_counts(g), simplex_participation(g, positions=True),
                    simplex_participation(g, by="edge"))

    one, two = everything(1), everything(2)
    pd.testing.assert_series_equal(one[0], two[0])
    pd.testing.assert_frame_equal(one[1], two[1])
    pd.testing.assert_frame_equal(one[2], two[2])
    assert one[0].size > 3
    # Hubs here make short candidate lists meet long out-lists (the binary-search path).
    assert_sums_are_multiples_of_counts(one[0], simplex_participation(g), one[1], one[2])


def test_hand_counted_graphs() -> None:
    # Transitive tournament 0 -> 1 -> 2 -> 3 (i -> j for i < j): every node set is one
    # simplex, C(4, k + 1) of dimension k.
    pre, post = np.array(list(combinations(range(4), 2))).T
    tournament = SynapseGraph.from_edges(pre, post)
    assert simplex_counts(tournament).tolist() == [4, 6, 4, 1]
    # Each node is in 3 edges, 3 triangles and the tetrahedron; node 1 is the source of
    # (1, 2) and (1, 3), the sink of (0, 1), the source of (1, 2, 3), intermediate in the rest.
    nodes = simplex_participation(tournament)
    assert nodes.to_numpy().tolist() == [[1, 3, 3, 1]] * 4
    node_1 = simplex_participation(tournament, positions=True).loc[1]
    assert node_1.unstack("position")[list(POSITIONS)].to_numpy().tolist() == [
        [1, 0, 0], [2, 0, 1], [1, 2, 0], [0, 1, 0]]
    # Each edge is in two triangles (with either other node) and the tetrahedron.
    edges = simplex_participation(tournament, by="edge")
    assert edges.to_numpy().tolist() == [[1, 2, 1]] * 6

    # All six edges on three nodes: every ordering of every pair and of the triple.
    pre, post = np.array(list(permutations(range(3), 2))).T
    complete = SynapseGraph.from_edges(pre, post)
    assert simplex_counts(complete).tolist() == [3, 6, 6]
    # Edge 0 -> 1 is in (0, 1, 2), (0, 2, 1) and (2, 0, 1).
    assert simplex_participation(complete, by="edge").to_numpy().tolist() == [[1, 3]] * 6
    assert simplex_participation(complete).to_numpy().tolist() == [[1, 4, 6]] * 3

    assert simplex_counts(SynapseGraph.from_edges([0, 1], [1, 0])).tolist() == [2, 2]
    assert simplex_counts(SynapseGraph.from_edges([], [], n=5)).tolist() == [5]
    empty = SynapseGraph.from_edges([], [], n=0)
    assert simplex_counts(empty).empty and simplex_counts(empty).dtype == np.int64
    assert simplex_participation(empty).shape == (0, 0)
    assert simplex_participation(SynapseGraph.from_edges([], [], n=3), by="edge").shape == (0, 0)


def test_bad_arguments_raise() -> None:
    g = SynapseGraph.from_edges([0, 1], [1, 2])
    with pytest.raises(ValueError, match="by must be"):
        simplex_participation(g, by="nodes")
    with pytest.raises(ValueError, match="positions"):
        simplex_participation(g, by="edge", positions=True)
    for bad in (-1, -5):
        with pytest.raises(ValueError, match="max_dimension must be >= 0"):
            simplex_counts(g, max_dimension=bad)
        with pytest.raises(ValueError, match="max_dimension must be >= 0"):
            simplex_participation(g, max_dimension=bad)
    for bad in (1.5, "2", True):
        with pytest.raises(TypeError, match="max_dimension must be an int"):
            simplex_counts(g, max_dimension=bad)
        with pytest.raises(TypeError, match="max_dimension must be an int"):
            simplex_participation(g, by="edge", max_dimension=bad)
    assert simplex_counts(g, max_dimension=np.int64(1)).tolist() == [3, 2]


def test_a_complex_past_the_limit_is_refused_saying_how_large_it_is() -> None:
    # The complete directed graph on 6 nodes: every ordered tuple of k + 1 distinct nodes is
    # a k-simplex, 6! / (5 - k)! of them: 6, 30, 120, 360, 720, 720 (1,956 in all).
    from connectome_motifs.motifs.simplices import SimplexLimitError

    g = from_matrix(~np.eye(6, dtype=bool))
    assert simplex_counts(g, max_simplices=10**4).tolist() == [6, 30, 120, 360, 720, 720]
    assert simplex_counts(g, max_simplices=None).tolist() == [6, 30, 120, 360, 720, 720]
    with pytest.raises(SimplexLimitError, match="6, 30, 120 simplices, growing 4-fold"):
        simplex_counts(g, max_simplices=100)
    # Within the limit once fewer dimensions are asked for.
    assert simplex_counts(g, max_dimension=2, max_simplices=200).tolist() == [6, 30, 120]
    with pytest.raises(SimplexLimitError):
        simplex_participation(g, max_simplices=100)
