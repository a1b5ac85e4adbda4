"""The 4-cell census: how many 4-node sets induce each of the 218 classes, exactly.

Only the dense patterns are enumerated. For every class ``P`` the census first counts the
pairs (4-node set ``S``, subset ``E`` of the connected pairs of ``S``) such that ``S``
restricted to ``E`` is in ``P`` — the *non-induced* counts, which sparse patterns have in
closed form. A set inducing class ``Q`` holds a fixed number ``C[P, Q]`` of such subsets
(its containment, counted once over labelled graphs), nonzero only when ``P`` has fewer
connected pairs unless ``P = Q``; the induced counts then follow from the non-induced ones
by exact back-substitution, from the complete classes down to the empty one.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations_with_replacement
from math import comb
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.motifs.census import NeighbourLists, neighbour_lists, work_units
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.kernels import (
    backward_neighbours,
    clique_histograms,
    cycle_histogram,
    pair_triangle_counts,
    path_histogram,
)
from connectome_motifs.motifs.quad_catalogue import QUADS, quad_code_classes

__all__ = ["induction_steps", "quad_census", "quad_counts", "quad_patterns", "quad_series"]

_INT64_MAX = int(np.iinfo(np.int64).max)
_FLIP = (0, 2, 1, 3)

# Bit offset of each pair of nodes 0..3 in a quad code.
_SHIFT = {(0, 1): 0, (0, 2): 2, (0, 3): 4, (1, 2): 6, (1, 3): 8, (2, 3): 10}


def _pair_code(code: int, i: int, j: int) -> int:
    """Return the pair code of nodes i and j from i's side in a quad code."""
    state = code >> _SHIFT[(min(i, j), max(i, j))] & 3
    return state if i < j else _FLIP[state]


def _put(i: int, j: int, state: int) -> int:
    """Return the quad code bits of pair code ``state`` of nodes i and j, from i's side."""
    return (state if i < j else _FLIP[state]) << _SHIFT[(min(i, j), max(i, j))]


def _exact_sum(values: NDArray[np.int64]) -> int:
    return int(np.asarray(values, dtype=object).sum())


@cache
def induction_steps() -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64],
                               NDArray[np.int64]]:
    """Return the inversion from non-induced to induced counts, as read-only arrays.

    ``(order, held_ptr, held, times)``: class ``order[i]`` holds ``times[j]`` patterns of
    each sparser class ``held[j]``, ``held_ptr[i] <= j < held_ptr[i + 1]`` (the subsets of
    its connected pairs, counted over one labelled member). The classes go from the most
    connected down, so that each count is final before it is taken off the others.
    """
    classes = quad_code_classes()
    order = sorted(QUADS, key=lambda c: c.n_null)
    held_ptr, held, times = [0], [], []
    for q in order:
        pairs = [s for s in _SHIFT.values() if q.code >> s & 3]
        patterns: dict[int, int] = {}
        for subset in range(1 << len(pairs)):
            sub = sum(q.code & (3 << s) for k, s in enumerate(pairs) if subset >> k & 1)
            p = int(classes[sub])
            if p != q.isoclass:
                patterns[p] = patterns.get(p, 0) + 1
        for p, count in sorted(patterns.items()):
            held.append(p)
            times.append(count)
        held_ptr.append(len(held))
    arrays = tuple(np.array(a, dtype=np.int64)
                   for a in ([q.isoclass for q in order], held_ptr, held, times))
    for a in arrays:
        a.flags.writeable = False
    return arrays


def quad_counts(non_induced: list[int]) -> list[int]:
    """Return the induced counts of the 218 classes from their non-induced counts.

    ``non_induced[P]`` counts the (4-node set, subset of its connected pairs) whose
    restriction is in class ``P``. Exact integer back-substitution in order of decreasing
    numbers of connected pairs (:func:`induction_steps`): O(218 × 64).
    """
    order, held_ptr, held, times = induction_steps()
    induced = list(non_induced)
    for i, q in enumerate(order.tolist()):
        for j in range(held_ptr[i], held_ptr[i + 1]):
            induced[held[j]] -= int(times[j]) * induced[q]
    return induced


def quad_patterns(lists: NeighbourLists, n: int) -> list[int]:
    """Return the non-induced 4-node pattern counts of the graph of ``lists``.

    Parameters
    ----------
    lists : NeighbourLists
        :func:`~connectome_motifs.motifs.census.neighbour_lists` of the graph.
    n : int
        Nodes.

    Returns
    -------
    list of int
        Per class (isoclass order), the number of (4-node set, subset of its connected
        pairs) whose restriction is in the class: the input of :func:`quad_counts`.

    Notes
    -----
    Closed forms for the patterns with a node of degree at most one in the pattern, or
    without a cycle (empty, one pair, two disjoint pairs, a path of two plus a node, a
    triangle plus a node, a star, a path of three pairs); the triangles with a pendant pair
    from the triangles; 4-cycles from pairs of wedges, diamonds from pairs of common
    neighbours and 4-cliques by enumeration, all from degree-ordered lists. Time
    O(n log n + m sqrt(m)) at most, memory O(n) per work unit.
    """
    if n < 4:
        return [0] * len(QUADS)
    units = work_units(n)
    codes = quad_code_classes()
    x = [0] * len(QUADS)

    def add(code: int, count: int) -> None:
        x[int(codes[code])] += int(count)

    k = lists.code_counts
    k_asym = k[:, 1] + k[:, 2]
    n_asym, n_mutual = _exact_sum(k_asym) // 2, _exact_sum(k[:, 3]) // 2
    add(0, comb(n, 4))
    add(1, n_asym * comb(n - 2, 2))
    add(3, n_mutual * comb(n - 2, 2))
    for a_type, b_type, same, (ka, kb), (na, nb) in (
        (1, 1, True, (k_asym, k_asym), (n_asym, n_asym)),
        (1, 3, False, (k_asym, k[:, 3]), (n_asym, n_mutual)),
        (3, 3, True, (k[:, 3], k[:, 3]), (n_mutual, n_mutual)),
    ):
        # Disjoint pairs: all pairs of pairs, minus those sharing a node.
        pairs = comb(na, 2) - _exact_sum(ka * (ka - 1) // 2) if same else (
            na * nb - _exact_sum(ka * kb))
        add(a_type | (b_type << 10), pairs)
    for multiset in combinations_with_replacement((1, 2, 3), 2):
        per_node = np.ones(n, dtype=np.int64)
        for c in set(multiset):
            per_node *= _choose(k[:, c], multiset.count(c))
        add(_put(0, 1, multiset[0]) | _put(0, 2, multiset[1]), _exact_sum(per_node) * (n - 3))
    for multiset in combinations_with_replacement((1, 2, 3), 3):
        per_node = np.ones(n, dtype=np.int64)
        for c in set(multiset):
            per_node *= _choose(k[:, c], multiset.count(c))
        add(_put(0, 1, multiset[0]) | _put(0, 2, multiset[1]) | _put(0, 3, multiset[2]),
            _exact_sum(per_node))

    triangles, paws, cliques = (_sum_units(h) for h in clique_histograms(
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, k, units))
    paths = _sum_units(path_histogram(lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes, k,
                                      units))
    for t in range(64):
        if not triangles[t]:
            continue
        tri = _put(0, 1, t & 3) | _put(0, 2, t >> 2 & 3) | _put(1, 2, t >> 4)
        add(tri, triangles[t] * (n - 3))
        for i in range(3):
            for c in range(1, 4):
                add(tri | _put(i, 3, c), paws[t, i, c])
        # Paths whose two ends are the same node: the triangle's pairs, in rank order.
        for i, j in ((0, 1), (0, 2), (1, 2)):
            third = 3 - i - j
            paths[_pair_code(tri, i, third), _pair_code(tri, i, j),
                  _pair_code(tri, j, third)] -= triangles[t]
    for c1 in range(1, 4):
        for c in range(1, 4):
            for c3 in range(1, 4):
                add(_put(1, 0, c1) | _put(1, 2, c) | _put(2, 3, c3), paths[c1, c, c3])
    for code in np.flatnonzero(cliques):
        add(int(code), cliques[code])

    back_indptr, back_indices, back_codes, back_pos = backward_neighbours(
        lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes)
    _, diamonds = pair_triangle_counts(
        lists.indptr, lists.indices, lists.codes, lists.fwd_codes,
        back_indptr, back_indices, back_pos, False, units)
    diamonds = _sum_units(diamonds)
    cycles = _sum_units(cycle_histogram(back_indptr, back_indices, back_codes, lists.indptr,
                                        lists.indices, lists.codes, lists.rank, units))
    for t1 in range(9):
        for t2 in range(t1, 9):
            a1, b1, a2, b2 = t1 // 3 + 1, t1 % 3 + 1, t2 // 3 + 1, t2 % 3 + 1
            # Nodes: x = 0, w1 = 1, y = 2, w2 = 3.
            add(_put(0, 1, a1) | _put(1, 2, b1) | _put(0, 3, a2) | _put(3, 2, b2),
                cycles[t1, t2])
            for spine in range(1, 4):
                # Nodes: spine a = 0, b = 1, wings 2 and 3.
                add(_put(0, 1, spine) | _put(0, 2, a1) | _put(1, 2, b1) | _put(0, 3, a2)
                    | _put(1, 3, b2), diamonds[spine, t1, t2])
    return x


def _choose(counts: NDArray[np.int64], r: int) -> NDArray[np.int64]:
    out = np.ones_like(counts)
    for i in range(r):
        out = out * (counts - i)
    return out // {1: 1, 2: 2, 3: 6}[r]


def _sum_units(hist: NDArray[np.int64]) -> NDArray[Any]:
    """Return the sum over a kernel's work units (axis 0) as exact Python integers."""
    return hist.astype(object).sum(axis=0)


@graph_input
def quad_census(graph: Any) -> pd.Series:
    """Return how many 4-node sets induce each of the 218 classes of directed graphs, exactly.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.

    Returns
    -------
    pandas.Series
        Indexed by igraph's isoclass number 0 .. 217 (index named ``"quad"``; position
        ``i`` is ``Graph.isoclass() == i``, the order of ``motifs_randesu(size=4)``), named
        ``"count"``, int64, summing to ``C(n, 4)``. Beyond about 122,000 nodes the empty
        class exceeds int64, and the Series then holds exact Python integers (object
        dtype). The classes are described by
        :data:`connectome_motifs.motifs.quad_catalogue.QUADS`.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.
    OverflowError
        If a graph has more 4-cycles or diamonds than int64 holds.

    Notes
    -----
    Every set of four nodes is counted, connected or not, once. Only 4-cliques are
    enumerated; 4-cycles and diamonds are counted from pairs of wedges and of common
    neighbours, and every sparser pattern in closed form from each node's numbers of
    out-only, in-only and reciprocal neighbours, the triangles and their nodes' degrees
    (after Ortmann & Brandes 2017, for directed graphs). The induced counts follow by
    exact inclusion–exclusion over the patterns each class contains (module docstring).
    Time O(n log n + m sqrt(m)) at worst, and in practice O(a(G) m) with ``a(G)`` the
    arboricity; parallel over nodes, the same for any thread count.

    References
    ----------
    Ortmann, M. & Brandes, U. (2017). Efficient orbit-aware triad and quad census in
    directed and undirected graphs. Applied Network Science 2, 13.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> census = quad_census(SynapseGraph.from_edges([0, 1, 2], [1, 2, 3]))
    >>> int(census[29]), int(census.sum())
    (1, 1)
    """
    lists = neighbour_lists(graph)
    return quad_series(quad_counts(quad_patterns(lists, graph.n)))


def quad_series(counts: list[int]) -> pd.Series:
    """Return the 218 class counts as the census Series of :func:`quad_census`.

    int64, or exact Python integers (object dtype) when a count exceeds int64.
    """
    dtype = np.int64 if max(counts, default=0) <= _INT64_MAX else object
    return pd.Series(np.array(counts, dtype=dtype),
                     index=pd.RangeIndex(len(QUADS), name="quad"), name="count")
