"""Kernel of the common-neighbour rule: pairs and their connections by common-neighbour count."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["common_neighbour_histogram"]


@njit(cache=True, parallel=True)
def common_neighbour_histogram(indptr, indices, codes, n_chunks):
    """Return an int64 array (max_degree + 1, 3) over pairs with at least one common neighbour.

    Row ``c`` counts the unordered pairs ``{i, j}`` with exactly ``c`` common neighbours
    (nodes joined to both by an edge in either direction): column 0 all of them,
    column 1 those joined by a one-way edge, column 2 those joined reciprocally.
    Row 0 stays zero: pairs without common neighbours are not enumerated.

    Parameters
    ----------
    indptr, indices, codes : arrays
        Merged neighbour lists, rows sorted
        (:func:`~connectome_motifs.motifs.kernels.neighbours.merge_neighbours`).
    n_chunks : int
        Number of work units; node ``i`` belongs to unit ``i % n_chunks``, each with
        its own histogram, summed at the end (exact in any order).

    Returns
    -------
    int64 array, shape (max_degree + 1, 3)

    Notes
    -----
    From each node ``i``, every path ``i - a - j`` with ``j > i`` adds one to a
    per-unit counter of ``j`` (the ``j > i`` of ``a``'s sorted list found by binary
    search); the touched ``j`` are then read out and reset. Work is O(sum of squared
    degrees / 2 + m log Δ), which is O(m Δ).
    """
    n = indptr.size - 1
    max_degree = 0
    for v in range(n):
        max_degree = max(max_degree, indptr[v + 1] - indptr[v])
    # hist[c, row, kind]: pairs with ``row`` common neighbours, unjoined (kind 0), joined
    # one-way (1) or reciprocally (2); the loops below are branch-free.
    hist = np.zeros((n_chunks, max_degree + 1, 3), dtype=np.int64)
    for c in prange(n_chunks):
        common = np.zeros(n, dtype=np.int32)
        kind = np.zeros(n, dtype=np.int8)
        touched = np.empty(n, dtype=np.int32)
        for i in range(c, n, n_chunks):
            n_touched = 0
            for k in range(indptr[i], indptr[i + 1]):
                kind[indices[k]] = (codes[k] + 1) // 2  # codes 1, 2 -> 1; 3 -> 2
            for k in range(indptr[i], indptr[i + 1]):
                a = indices[k]
                # a's list is sorted: its part past i starts at a binary search.
                lo = indptr[a]
                hi = indptr[a + 1]
                for q in range(lo + np.searchsorted(indices[lo:hi], i, side="right"), hi):
                    j = indices[q]
                    touched[n_touched] = j
                    n_touched += common[j] == 0
                    common[j] += 1
            for t in range(n_touched):
                j = touched[t]
                hist[c, common[j], kind[j]] += 1
                common[j] = 0
            for k in range(indptr[i], indptr[i + 1]):
                kind[indices[k]] = 0
    counts = hist.sum(axis=0)
    counts[:, 0] += counts[:, 1] + counts[:, 2]
    return counts
