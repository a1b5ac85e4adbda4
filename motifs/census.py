"""Dyad and triad census and per-node triad participation of a directed graph."""

from __future__ import annotations

from functools import cache
from math import comb
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.catalogue import DYAD_NAMES, ROLES, TRIAD_NAMES, code_tables
from connectome_motifs.motifs.inputs import graph_input, node_indices
from connectome_motifs.motifs.kernels import (
    count_mutual_pairs,
    forward_neighbours,
    merge_neighbours,
    node_role_counts,
    pair_code_counts,
    triangle_code_histogram,
)

__all__ = [
    "NeighbourLists",
    "census_series",
    "dyad_census",
    "neighbour_lists",
    "triad_census",
    "triad_counts",
    "triad_participation",
    "triangle_histogram",
    "work_units",
]

# Work units of the parallel kernels: fixed, so results never depend on the thread count,
# and many more than cores, so that nodes of very different cost spread evenly.
N_CHUNKS = 256
# Nodes per work unit at least: each unit allocates O(n) scratch, which small graphs
# (null-model ensembles of a few hundred cells) would otherwise spend most of their time on.
_MIN_NODES_PER_CHUNK = 64


def work_units(n: int) -> int:
    """Return the number of work units of the parallel histogram kernels for ``n`` nodes."""
    return max(1, min(N_CHUNKS, n // _MIN_NODES_PER_CHUNK))

_INT64_MAX = int(np.iinfo(np.int64).max)

# The census Series' indexes, built once (a copy is cheaper than a new string Index; each
# Series gets its own, so renaming one leaves the others alone).
_DYAD_INDEX = pd.Index(DYAD_NAMES, name="dyad")
_TRIAD_INDEX = pd.Index(TRIAD_NAMES, name="triad")


class NeighbourLists(NamedTuple):
    """Merged undirected neighbour lists of a graph and their degree-ordered forward half."""

    indptr: NDArray[np.int64]
    indices: NDArray[np.int32]
    codes: NDArray[np.int8]
    code_counts: NDArray[np.int64]
    fwd_indptr: NDArray[np.int64]
    fwd_indices: NDArray[np.int32]
    fwd_codes: NDArray[np.int8]
    rank: NDArray[np.int64]


def neighbour_lists(graph: SynapseGraph) -> NeighbourLists:
    """Return the merged neighbour lists of ``graph`` with pair codes, counts and forward half.

    Nodes are ranked by undirected degree, ties by index; the forward half keeps each
    pair once, in the row of its lower-ranked node. O(n log n + m).
    """
    indptr, indices, codes = merge_neighbours(
        graph.out_indptr, graph.out_indices, graph.in_indptr, graph.in_indices
    )
    order = np.argsort(np.diff(indptr), kind="stable")
    rank = np.empty(graph.n, dtype=np.int64)
    rank[order] = np.arange(graph.n, dtype=np.int64)
    fwd = forward_neighbours(indptr, indices, codes, rank)
    return NeighbourLists(indptr, indices, codes, pair_code_counts(indptr, codes), *fwd, rank)


def census_series(values: list[int], kind: str) -> pd.Series:
    """Return exact counts as the census Series of ``kind`` (``"dyad"`` or ``"triad"``).

    Counts beyond int64 (only C(n, 3) for n above ~3.8 million can get there) stay exact
    Python integers in an object Series rather than wrap around.
    """
    index = {"dyad": _DYAD_INDEX, "triad": _TRIAD_INDEX}[kind].copy()
    dtype = np.int64 if max(values, default=0) <= _INT64_MAX else object
    return pd.Series(np.array(values, dtype=dtype), index=index, name="count")


@cache
def _triangle_corrections() -> NDArray[np.int64]:
    """Return what one triangle of each tricode adds to each class count (64 x 16, read-only).

    A triangle is one triad of its class; it holds three paths of length two that the
    closed form counts as open triads, and is a common neighbour of each of its three
    pairs, which the closed form counts as one-pair triads.
    """
    code_class, _ = code_tables()
    table = np.zeros((64, len(TRIAD_NAMES)), dtype=np.int64)
    for code in range(64):
        table[code, code_class[code]] += 1
        for mask in (0b001111, 0b110011, 0b111100):
            table[code, code_class[code & mask]] -= 1
        for mask in (0b000011, 0b001100, 0b110000):
            table[code, code_class[code & mask]] += 1
    table.flags.writeable = False
    return table


def triangle_histogram(lists: NeighbourLists, n: int) -> NDArray[np.int64]:
    """Return the undirected triangles of ``lists`` counted by tricode (64 entries).

    The one enumeration of triangles: the triad census, the clustering coefficient and
    the motif profile all start from it. O(m sqrt(m)) at worst, parallel over nodes.
    """
    return triangle_code_histogram(
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, work_units(n)
    )


def triad_counts(lists: NeighbourLists, n: int, triangles: NDArray[np.int64]) -> list[int]:
    """Return the 16 triad class counts, exact Python ints in canonical order.

    ``triangles`` is :func:`triangle_histogram` of the same lists; open and one-pair
    triads are counted in closed form from the pair-code counts and corrected for the
    triangles by inclusion–exclusion; the empty class is the rest of ``C(n, 3)``. O(n).
    """
    code_class, _ = code_tables()
    counts = [int(c) for c in triangles @ _triangle_corrections()]
    k1, k2, k3 = (lists.code_counts[:, c] for c in (1, 2, 3))
    for (a, b), pairs in (
        ((1, 1), k1 * (k1 - 1) // 2),
        ((2, 2), k2 * (k2 - 1) // 2),
        ((3, 3), k3 * (k3 - 1) // 2),
        ((1, 2), k1 * k2),
        ((3, 1), k3 * k1),
        ((3, 2), k3 * k2),
    ):
        counts[code_class[a | (b << 2)]] += int(pairs.sum())
    degree = k1 + k2 + k3
    # Triads whose only connected pair is {u, v}: n - deg(u) - deg(v) before the
    # common-neighbour correction above.
    n_asymmetric = int((k1 + k2).sum()) // 2
    n_mutual = int(k3.sum()) // 2
    counts[code_class[1]] += n * n_asymmetric - int((degree * (k1 + k2)).sum())
    counts[code_class[3]] += n * n_mutual - int((degree * k3).sum())
    counts[code_class[0]] = comb(n, 3) - sum(counts)
    return counts


@graph_input
def dyad_census(graph: Any) -> pd.Series:
    """Return the numbers of null, asymmetric and mutual node pairs.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.

    Returns
    -------
    pandas.Series of int64
        Indexed ``"null"`` (unconnected pairs), ``"asymmetric"`` (one edge) and
        ``"mutual"`` (edges both ways), named ``"count"``; the three sum to
        ``C(n, 2)``. Turner et al. 2022 call them the unconnected, one-way and
        reciprocal 2-cell motifs (:data:`connectome_motifs.motifs.catalogue.DYAD_PAPER_TERMS`).

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    O(n + m): one sorted merge of each node's out- and in-list, parallel over nodes.

    References
    ----------
    Holland, P. W. & Leinhardt, S. (1970). A method for detecting structure in
    sociometric data. American Journal of Sociology 76(3), 492–513.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 1], [1, 0, 2], n=4)
    >>> dyad_census(g).tolist()
    [4, 1, 1]
    """
    mutual = int(count_mutual_pairs(graph.out_indptr, graph.out_indices,
                                    graph.in_indptr, graph.in_indices))
    asymmetric = graph.n_edges - 2 * mutual
    null = comb(graph.n, 2) - asymmetric - mutual
    return census_series([null, asymmetric, mutual], "dyad")


@graph_input
def triad_census(graph: Any) -> pd.Series:
    """Return how many node triples induce each of the 16 triad classes, exactly.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.

    Returns
    -------
    pandas.Series
        Indexed by MAN code in canonical order
        (:data:`connectome_motifs.motifs.catalogue.TRIAD_NAMES`), named ``"count"``, int64; the
        counts sum to ``C(n, 3)``. Only for graphs of more than about 3.8 million nodes can ``003``
        exceed int64; the Series then holds exact Python integers (object dtype). Relabel by the
        paper's numbers with :func:`connectome_motifs.motifs.catalogue.by_paper_number`.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    The decomposition of Batagelj & Mrvar (2001): triads with one connected pair are
    counted per pair, and the empty class is what remains of ``C(n, 3)`` (exact integer
    arithmetic). Going further, only triangles (all three pairs connected) are
    enumerated, over the merged undirected neighbour lists oriented from lower to
    higher degree; open triads are counted in closed form from each node's numbers of
    out-only, in-only and reciprocal neighbours, and every count is corrected for the
    triangles by inclusion–exclusion. Time O(n log n + m + sum over oriented pairs
    ``(v, u)`` of ``|N+(u)|``), which is at most O(m sqrt(m)) and O(m Δ); the
    triangle kernel runs in parallel over nodes with a thread-count-independent result.

    References
    ----------
    Batagelj, V. & Mrvar, A. (2001). A subquadratic triad census algorithm for large
    sparse networks with small maximum degree. Social Networks 23(3), 237–243.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0])
    >>> int(triad_census(g)["030C"])
    1
    """
    lists = neighbour_lists(graph)
    counts = triad_counts(lists, graph.n, triangle_histogram(lists, graph.n))
    return census_series(counts, "triad")


@graph_input
def triad_participation(
    graph: Any, nodes: ArrayLike | None = None, roles: bool = False
) -> pd.DataFrame:
    """Return, for each node, how many triads of each class (or node role) it belongs to.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    nodes : array-like of cell ids, optional
        The cells to count for (values of the graph's ``id`` column), in the order
        given; default every node.
    roles : bool, default False
        If True, split each class by the node's role in it (source, middle, sink ...;
        :data:`connectome_motifs.motifs.catalogue.ROLES`): 36 columns instead of 16.

    Returns
    -------
    pandas.DataFrame of int64
        One row per node, indexed by cell id (index named ``"id"``). Columns are the
        MAN codes in canonical order, or with ``roles=True`` a (triad, role)
        MultiIndex. Each row sums to ``C(n - 1, 2)``; over all nodes, a class column
        sums to 3 × its census count and a role column to its multiplicity × the
        census count.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.
    graphs.UnknownCellError
        If a requested id is not a node.

    Notes
    -----
    Per node ``x``, only the triangles at ``x`` are enumerated (each once, from the
    lower-ranked of its other two nodes); every other class follows in closed form
    from the numbers of out-only, in-only and reciprocal neighbours of ``x`` and of its
    neighbours, by inclusion–exclusion. Time O(n log n + m + sum over the requested
    ``x`` and their neighbours ``a`` of ``|N+(a)|``), at most O(m Δ); parallel over
    nodes, each row written by one thread. Memory 8 × 36 bytes per requested node.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1], [1, 2])
    >>> triad_participation(g, roles=True)["021C"].loc[1].tolist()
    [0, 1, 0]
    """
    rows = node_indices(graph, nodes)
    lists = neighbour_lists(graph)
    _, code_role = code_tables()
    n_asymmetric = int(lists.code_counts[:, 1:3].sum()) // 2
    n_mutual = int(lists.code_counts[:, 3].sum()) // 2
    empty_role = int(code_role[0])
    counts = node_role_counts(
        lists.indptr, lists.indices, lists.codes,
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes,
        lists.code_counts, rows, n_asymmetric, n_mutual,
        code_role, len(ROLES), empty_role, N_CHUNKS,
    )
    index = pd.Index(graph.ids[rows], name="id")
    if roles:
        columns = pd.MultiIndex.from_tuples([(r.triad, r.role) for r in ROLES],
                                            names=["triad", "role"])
        return pd.DataFrame(counts, index=index, columns=columns)
    role_class = np.array([TRIAD_NAMES.index(r.triad) for r in ROLES])
    by_class = np.zeros((rows.size, len(TRIAD_NAMES)), dtype=np.int64)
    for k, cls in enumerate(role_class):
        by_class[:, cls] += counts[:, k]
    return pd.DataFrame(by_class, index=index, columns=pd.Index(TRIAD_NAMES, name="triad"))
