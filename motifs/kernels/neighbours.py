"""Merged undirected neighbour lists with pair codes, and their degree-ordered forward half."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["forward_neighbours", "merge_neighbours", "pair_code_counts"]

# Pair codes, from the row node's side: 1 = it sends a one-way edge, 2 = it receives
# one, 3 = the pair is reciprocal. Bit 0 is "row -> neighbour", bit 1 "neighbour -> row".


@njit(cache=True, nogil=True, parallel=True)
def merge_neighbours(out_indptr, out_indices, in_indptr, in_indices):
    """Return the merged neighbour lists ``(indptr, indices, codes)`` of a directed graph.

    Row ``v`` lists, in increasing order, every node joined to ``v`` by an edge in either
    direction, once, with its pair code: 1 if only ``v -> u``, 2 if only ``u -> v``,
    3 if both. Inputs are the out- and in-adjacency CSR arrays with sorted rows.

    Parameters
    ----------
    out_indptr, out_indices, in_indptr, in_indices : arrays of int
        Out- and in-adjacency in compressed sparse row form, rows sorted.

    Returns
    -------
    indptr : int64 array, shape (n + 1,)
    indices : int32 array
    codes : int8 array, aligned with ``indices``

    Notes
    -----
    Two passes of a sorted merge per row, parallel over rows: O(n + m).
    """
    n = out_indptr.size - 1
    sizes = np.empty(n, dtype=np.int64)
    for v in prange(n):
        i, i_end = out_indptr[v], out_indptr[v + 1]
        j, j_end = in_indptr[v], in_indptr[v + 1]
        size = 0
        while i < i_end and j < j_end:
            a, b = out_indices[i], in_indices[j]
            if a <= b:
                i += 1
            if b <= a:
                j += 1
            size += 1
        sizes[v] = size + (i_end - i) + (j_end - j)
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(sizes)
    indices = np.empty(indptr[n], dtype=np.int32)
    codes = np.empty(indptr[n], dtype=np.int8)
    for v in prange(n):
        i, i_end = out_indptr[v], out_indptr[v + 1]
        j, j_end = in_indptr[v], in_indptr[v + 1]
        k = indptr[v]
        while i < i_end or j < j_end:
            if j == j_end or (i < i_end and out_indices[i] < in_indices[j]):
                indices[k] = out_indices[i]
                codes[k] = 1
                i += 1
            elif i == i_end or in_indices[j] < out_indices[i]:
                indices[k] = in_indices[j]
                codes[k] = 2
                j += 1
            else:
                indices[k] = out_indices[i]
                codes[k] = 3
                i += 1
                j += 1
            k += 1
    return indptr, indices, codes


@njit(cache=True, nogil=True, parallel=True)
def pair_code_counts(indptr, codes):
    """Return an (n, 4) int64 array: column ``c`` counts row ``v``'s neighbours with code ``c``.

    Column 0 is zero; the undirected degree is the row sum. O(n + m), parallel over rows.
    """
    n = indptr.size - 1
    counts = np.zeros((n, 4), dtype=np.int64)
    for v in prange(n):
        for k in range(indptr[v], indptr[v + 1]):
            counts[v, codes[k]] += 1
    return counts


@njit(cache=True, nogil=True, parallel=True)
def forward_neighbours(indptr, indices, codes, rank):
    """Return the merged lists restricted to higher-ranked neighbours ``(indptr, indices, codes)``.

    Row ``v`` keeps the neighbours ``u`` with ``rank[u] > rank[v]``, in the same order and
    with the same codes, so every undirected pair appears exactly once. With ranks
    ordered by degree, no row holds more than ``sqrt(2 m)`` nodes.

    Notes
    -----
    Two passes, parallel over rows: O(n + m).
    """
    n = indptr.size - 1
    sizes = np.zeros(n, dtype=np.int64)
    for v in prange(n):
        r = rank[v]
        size = 0
        for k in range(indptr[v], indptr[v + 1]):
            if rank[indices[k]] > r:
                size += 1
        sizes[v] = size
    fwd_indptr = np.zeros(n + 1, dtype=np.int64)
    fwd_indptr[1:] = np.cumsum(sizes)
    fwd_indices = np.empty(fwd_indptr[n], dtype=np.int32)
    fwd_codes = np.empty(fwd_indptr[n], dtype=np.int8)
    for v in prange(n):
        r = rank[v]
        j = fwd_indptr[v]
        for k in range(indptr[v], indptr[v + 1]):
            if rank[indices[k]] > r:
                fwd_indices[j] = indices[k]
                fwd_codes[j] = codes[k]
                j += 1
    return fwd_indptr, fwd_indices, fwd_codes
