"""Transposing a compressed sparse row (CSR) adjacency: out-edges to in-edges (numba)."""

import numpy as np
from numba import njit, prange

__all__ = ["transpose_csr"]


@njit(cache=True, nogil=True, parallel=True)
def transpose_csr(indptr, indices, values, n, parts):
    """Return the transpose of a CSR matrix by a counting sort.

    Parameters
    ----------
    indptr : int64 array (n_rows + 1,)
        Row pointers.
    indices : int array (m,)
        Column of each entry, each in ``0 .. n - 1``.
    values : array (m,)
        Value of each entry (e.g. synapse counts), carried along.
    n : int
        Number of columns (rows of the transpose).
    parts : int
        Ranges of columns, written in parallel (the numba thread count; any value gives
        the same result).

    Returns
    -------
    t_indptr : int64 array (n + 1,)
    t_indices : int32 array (m,)
        Row of each entry of the transpose; within a row of the transpose these increase
        (the order of the entries in the input, whether or not its rows are sorted).
    t_values : array (m,)
        Value of each entry of the transpose: ``values[order]``, ``order`` being the
        stable argsort of ``indices``.

    Notes
    -----
    O(n + parts · (n_rows + m)) time, O(n + m) extra memory. Each part owns a range of
    columns and reads every entry in order, writing only its own: the scattered writes,
    which cost most, are shared among the threads.
    """
    m = indices.size
    parts = max(1, min(parts, n))
    t_indptr = np.zeros(n + 1, dtype=np.int64)
    for p in prange(parts):
        lo, hi = p * n // parts, (p + 1) * n // parts
        for s in range(m):
            j = indices[s]
            if lo <= j < hi:
                t_indptr[j + 1] += 1
    for j in range(n):
        t_indptr[j + 1] += t_indptr[j]
    fill = t_indptr[:-1].copy()
    t_indices = np.empty(m, dtype=np.int32)
    t_values = np.empty_like(values)
    for p in prange(parts):
        lo, hi = p * n // parts, (p + 1) * n // parts
        for row in range(indptr.size - 1):
            for s in range(indptr[row], indptr[row + 1]):
                j = indices[s]
                if lo <= j < hi:
                    k = fill[j]
                    fill[j] = k + 1
                    t_indices[k] = row
                    t_values[k] = values[s]
    return t_indptr, t_indices, t_values
