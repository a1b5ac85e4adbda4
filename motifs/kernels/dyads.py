"""Kernel of the dyad census: the number of reciprocal pairs."""

from __future__ import annotations

from numba import njit, prange

__all__ = ["count_mutual_pairs"]


@njit(cache=True, nogil=True, parallel=True)
def count_mutual_pairs(out_indptr, out_indices, in_indptr, in_indices):
    """Return the number of unordered pairs joined by edges in both directions.

    Parameters
    ----------
    out_indptr, out_indices, in_indptr, in_indices : arrays of int
        Out- and in-adjacency in compressed sparse row form, rows sorted.

    Returns
    -------
    int

    Notes
    -----
    Each row's out- and in-list are intersected by a sorted merge, in parallel over
    rows with an integer sum (exact in any order): O(n + m).
    """
    n = out_indptr.size - 1
    total = 0
    for v in prange(n):
        i, i_end = out_indptr[v], out_indptr[v + 1]
        j, j_end = in_indptr[v], in_indptr[v + 1]
        both = 0
        while i < i_end and j < j_end:
            a, b = out_indices[i], in_indices[j]
            if a == b:
                both += 1
            if a <= b:
                i += 1
            if b <= a:
                j += 1
        total += both
    return total // 2
