"""Per-node 4-cell participation: for every cell, the 4-node sets holding it, by class.

The census's inversion works node by node. For a node ``x`` and class ``P`` let ``X_P(x)``
count the pairs (4-node set ``S`` holding ``x``, subset ``E`` of the connected pairs of
``S``) with ``S`` restricted to ``E`` in ``P``; a set inducing class ``Q`` holds the same
``C[P, Q]`` such subsets as in :mod:`~connectome_motifs.motifs.quad_census`, so the induced
counts of ``x`` follow from ``X(x)`` by the same back-substitution. The sparse patterns have
closed forms per node; 4-cycles, diamonds and 4-cliques are found once each and added to
the rows of their four nodes.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import combinations_with_replacement
from math import comb
from typing import Any

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from connectome_motifs.motifs.census import neighbour_lists, work_units
from connectome_motifs.motifs.inputs import graph_input, node_indices
from connectome_motifs.motifs.kernels.quad_participation import (
    add_columns,
    clique_scatter,
    cycle_scatter,
    diamond_scatter,
    induce_rows,
    node_pattern_counts,
    node_summaries,
    pair_bits,
)
from connectome_motifs.motifs.kernels.quads import backward_neighbours
from connectome_motifs.motifs.quad_catalogue import QUADS, quad_code_classes
from connectome_motifs.motifs.quad_census import induction_steps

__all__ = ["quad_participation"]

_INT64_MAX = int(np.iinfo(np.int64).max)
_FLIP = (0, 2, 1, 3)
_COLUMNS = pd.RangeIndex(len(QUADS), name="quad")


@cache
def _skeleton_slots(skeleton: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return each class's column among the classes of ``skeleton`` (-1 if not), and those."""
    members = np.array([q.isoclass for q in QUADS if q.skeleton == skeleton], dtype=np.int64)
    slot = np.full(len(QUADS), -1, dtype=np.int64)
    slot[members] = np.arange(members.size)
    return slot, members


@cache
def _rooted_triangles() -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the orbit of each tricode seen from node 0 up to swapping nodes 1 and 2.

    Returns ``orbit_of`` (64 entries, -1 for codes with an unconnected pair) and one
    tricode per orbit.
    """
    def swapped(t: int) -> int:
        return (t >> 2 & 3) | (t & 3) << 2 | _FLIP[t >> 4] << 4

    full = [t for t in range(64) if t & 3 and t >> 2 & 3 and t >> 4]
    orbit_codes = sorted({min(t, swapped(t)) for t in full})
    orbit_of = np.full(64, -1, dtype=np.int64)
    for t in full:
        orbit_of[t] = orbit_codes.index(min(t, swapped(t)))
    return orbit_of, np.array(orbit_codes, dtype=np.int64)


def _shared_patterns(code_counts: NDArray[np.int64], triangles: NDArray[np.int64],
                     orbit_codes: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Return what every node's row starts with: the empty pattern, wedges and triangles.

    A wedge or triangle (with a fourth node) that does not hold ``x`` makes one pattern
    with ``x``, one that holds ``x`` makes ``n - 3``: every row starts with the totals,
    and each node adds ``n - 4`` for each wedge and triangle it is in.
    """
    classes = quad_code_classes()
    base = [0] * len(QUADS)
    base[0] = comb(n - 1, 3)
    k = code_counts.astype(object)
    for c1, c2 in combinations_with_replacement((1, 2, 3), 2):
        pairs = k[:, c1] * (k[:, c1] - 1) // 2 if c1 == c2 else k[:, c1] * k[:, c2]
        base[int(classes[pair_bits(0, 1, c1) | pair_bits(0, 2, c2)])] += int(pairs.sum())
    # Every triangle is at three nodes, each time in its class (not always in one orbit).
    at_nodes: Counter[int] = Counter()
    for t, count in zip(orbit_codes.tolist(), triangles.astype(object).sum(axis=0),
                        strict=True):
        tri = pair_bits(0, 1, t & 3) | pair_bits(0, 2, t >> 2 & 3) | pair_bits(1, 2, t >> 4)
        at_nodes[int(classes[tri])] += int(count)
    for cls, count in at_nodes.items():
        base[cls] += count // 3
    return np.array(base, dtype=np.int64)


@graph_input
def quad_participation(graph: Any, nodes: ArrayLike | None = None) -> pd.DataFrame:
    """Return, for each node, how many 4-node sets holding it induce each of the 218 classes.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    nodes : array-like of cell ids, optional
        The cells to count for (values of the graph's ``id`` column), in the order given;
        default every node.

    Returns
    -------
    pandas.DataFrame of int64
        One row per node, indexed by cell id (index named ``"id"``); columns are igraph's
        isoclass numbers 0 .. 217 (named ``"quad"``, the order of
        :func:`~connectome_motifs.motifs.quad_census.quad_census` and
        :data:`~connectome_motifs.motifs.quad_catalogue.QUADS`). Each row sums to
        ``C(n - 1, 3)``; over all nodes, column ``q`` sums to 4 × the census count of ``q``.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.
    graphs.UnknownCellError
        If a requested id is not a node.
    OverflowError
        If the graph has more than 952,696 nodes, so that a node's counts could exceed
        int64 (``64 C(n - 1, 3)`` patterns).

    Notes
    -----
    For each node ``x`` the non-induced counts ``X_P(x)`` of every pattern ``P`` (module
    docstring) are found, then inverted by the census's back-substitution, exactly:

    - in closed form from the numbers of out-only, in-only and reciprocal neighbours of
      ``x`` and of its neighbours, the common neighbours of each pair ``{x, v}`` by type,
      and each neighbour's paths of two pairs and triangles by type: the empty pattern,
      one pair, two disjoint pairs, a wedge or a triangle with a fourth node, stars, paths
      of three pairs and triangles with a pendant pair, each by where ``x`` sits in it;
    - by finding each 4-cycle once (pairs of wedges from its highest-ranked node), each
      diamond once (pairs of common neighbours of its spine) and each 4-clique once, and
      adding it to the rows of its four nodes; the accumulators are one per numba thread,
      with integer sums, so the result does not depend on the thread count.

    Time O(n log n + m sqrt(m)) at worst: the census's enumerations (wedge pairs, common
    neighbours, 4-cliques), the first two walked twice to reach their middle nodes, O(m)
    closed forms, and the 218-class back-substitution per requested node; 1.4 to 1.7
    times the census on one thread. Memory 36 bytes per connected pair, ``8 × 218`` per
    requested node, ``8 × 129`` per node for the scattered counts and up to ``8 × 72``
    per node and thread while they are summed.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> table = quad_participation(SynapseGraph.from_edges([0, 1, 2], [1, 2, 3], n=5))
    >>> table[29].tolist(), table.sum(axis=1).tolist()
    ([1, 1, 1, 1, 0], [4, 4, 4, 4, 4])
    """
    rows = node_indices(graph, nodes)
    index = pd.Index(graph.ids[rows], name="id")
    n = graph.n
    if n < 4:
        return pd.DataFrame(np.zeros((rows.size, len(QUADS)), dtype=np.int64), index=index,
                            columns=_COLUMNS.copy())
    if comb(n - 1, 3) * 64 > _INT64_MAX:
        raise OverflowError(f"a graph of {n} nodes can hold more 4-node patterns per node "
                            "than int64 holds")
    lists = neighbour_lists(graph)
    units = work_units(n)
    threads = numba.get_num_threads()
    classes = quad_code_classes()
    back_indptr, back_indices, back_codes, back_pos = backward_neighbours(
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes)
    diamond_slot, diamond_classes = _skeleton_slots("diamond")
    common, diamonds = diamond_scatter(
        lists.indptr, lists.indices, lists.codes, lists.fwd_codes, back_indptr, back_indices,
        back_pos, classes, diamond_slot, diamond_classes.size, threads, units)
    cycle_slot, cycle_classes = _skeleton_slots("4-cycle")
    cycles = cycle_scatter(back_indptr, back_indices, back_codes, lists.indptr, lists.indices,
                           lists.codes, lists.rank, classes, cycle_slot, cycle_classes.size,
                           threads, units)
    clique_slot, clique_classes = _skeleton_slots("4-clique")
    cliques = clique_scatter(lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, classes,
                             clique_slot, clique_classes.size, threads, units)
    orbit_of, orbit_codes = _rooted_triangles()
    paths, triangles = node_summaries(
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, back_indptr, back_indices,
        back_codes, back_pos, lists.code_counts, common, orbit_of, orbit_codes.size)
    k = lists.code_counts
    counts = node_pattern_counts(
        rows, k, lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, back_indptr,
        back_indices, back_codes, back_pos, common, paths, triangles, orbit_codes, classes,
        _shared_patterns(k, triangles, orbit_codes, n),
        int(k[:, 1:3].sum()) // 2, int(k[:, 3].sum()) // 2, units)
    for found, members in ((diamonds, diamond_classes), (cycles, cycle_classes),
                           (cliques, clique_classes)):
        add_columns(counts, rows, found, members, units)
    induce_rows(counts, *induction_steps(), units)
    return pd.DataFrame(counts, index=index, columns=_COLUMNS.copy(), copy=False)
