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
        Merged neighbour lists
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
    per-unit counter of ``j``; the touched ``j`` are then read out and reset. Work is
    O(sum of squared degrees), which is O(m Δ).
    """
    n = indptr.size - 1
    max_degree = 0
    for v in range(n):
        max_degree = max(max_degree, indptr[v + 1] - indptr[v])
    hist = np.zeros((n_chunks, max_degree + 1, 3), dtype=np.int64)
    for c in prange(n_chunks):
        common = np.zeros(n, dtype=np.int32)
        mark = np.zeros(n, dtype=np.int8)
        touched = np.empty(n, dtype=np.int32)
        for i in range(c, n, n_chunks):
            n_touched = 0
            for k in range(indptr[i], indptr[i + 1]):
                mark[indices[k]] = codes[k]
            for k in range(indptr[i], indptr[i + 1]):
                a = indices[k]
                for q in range(indptr[a], indptr[a + 1]):
                    j = indices[q]
                    if j > i:
                        if common[j] == 0:
                            touched[n_touched] = j
                            n_touched += 1
                        common[j] += 1
            for t in range(n_touched):
                j = touched[t]
                row = common[j]
                hist[c, row, 0] += 1
                if mark[j] == 3:
                    hist[c, row, 2] += 1
                elif mark[j] != 0:
                    hist[c, row, 1] += 1
                common[j] = 0
            for k in range(indptr[i], indptr[i + 1]):
                mark[indices[k]] = 0
    return hist.sum(axis=0)
