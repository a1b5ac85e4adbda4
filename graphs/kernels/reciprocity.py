"""Which edges are reciprocated: a merge of each node's sorted out- and in-neighbours (numba)."""

import numpy as np
from numba import njit, prange

__all__ = ["reciprocated_edges"]


@njit(cache=True, nogil=True, parallel=True)
def reciprocated_edges(out_indptr, out_indices, in_indptr, in_indices):
    """Return a bool array over the out-adjacency entries: True where the reverse edge exists.

    Edge ``u -> v`` is reciprocated when ``v`` is also an in-neighbour of ``u``; both rows
    of ``u`` are sorted, so one merge per node finds them all.

    Parameters
    ----------
    out_indptr, out_indices, in_indptr, in_indices : arrays of int
        Out- and in-adjacency in compressed sparse row form, rows sorted.

    Returns
    -------
    bool array (m,)

    Notes
    -----
    O(n + m) time, parallel over nodes; no extra memory beyond the result.
    """
    n = out_indptr.size - 1
    mask = np.zeros(out_indices.size, dtype=np.bool_)
    for u in prange(n):
        i, i_end = out_indptr[u], out_indptr[u + 1]
        j, j_end = in_indptr[u], in_indptr[u + 1]
        while i < i_end and j < j_end:
            a, b = out_indices[i], in_indices[j]
            if a == b:
                mask[i] = True
                i += 1
                j += 1
            elif a < b:
                i += 1
            else:
                j += 1
    return mask
