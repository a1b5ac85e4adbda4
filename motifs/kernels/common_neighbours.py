"""Kernel of the common-neighbour rule: pairs and their connections by common-neighbour count."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["common_neighbour_histogram"]

# Interleaved copies of the histogram (a power of two).
_LANES = 4


@njit(cache=True, nogil=True, parallel=True)
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
    per-unit counter of ``j`` (``a``'s sorted list read backwards down to ``i``); the
    touched ``j`` are then read out, in turn into one of :data:`_LANES` copies of the
    histogram (so that consecutive increments of one row do not wait on each other),
    and reset. Only ``i``'s own neighbours can be joined to it, so the joined pairs are
    counted from ``i``'s list alone. Work is O(sum of squared
    degrees / 2 + m), which is O(m Δ).
    """
    n = indptr.size - 1
    max_degree = 0
    for v in range(n):
        max_degree = max(max_degree, indptr[v + 1] - indptr[v])
    width = max_degree + 1
    # touched[c]: every pair by its common neighbours, in _LANES interleaved copies;
    # joined[c, row, kind]: the pairs joined one-way (kind 1) or reciprocally (2).
    touched_rows = np.zeros((n_chunks, _LANES * width), dtype=np.int64)
    joined = np.zeros((n_chunks, width, 3), dtype=np.int64)
    for c in prange(n_chunks):
        common = np.zeros(n, dtype=np.int32)
        touched = np.empty(n, dtype=np.int32)
        rows = np.zeros(_LANES * width, dtype=np.int64)
        for i in range(c, n, n_chunks):
            n_touched = 0
            for k in range(indptr[i], indptr[i + 1]):
                a = indices[k]
                lo = indptr[a]
                q = indptr[a + 1] - 1
                while q >= lo and indices[q] > i:
                    j = indices[q]
                    touched[n_touched] = j
                    n_touched += common[j] == 0
                    common[j] += 1
                    q -= 1
            for k in range(indptr[i], indptr[i + 1]):
                j = indices[k]
                if j > i:
                    joined[c, common[j], (codes[k] + 1) // 2] += 1  # codes 1, 2 -> 1; 3 -> 2
            for t in range(n_touched):
                j = touched[t]
                rows[(t & (_LANES - 1)) * width + common[j]] += 1
                common[j] = 0
        touched_rows[c] = rows
    counts = joined.sum(axis=0)
    counts[:, 0] = touched_rows.sum(axis=0).reshape(_LANES, width).sum(axis=0)
    counts[0, :] = 0
    return counts
