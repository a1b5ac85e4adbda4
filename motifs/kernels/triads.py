"""Kernel of the triad census: every undirected triangle once, counted by its labelled code."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["triangle_code_histogram"]


@njit(cache=True, nogil=True, parallel=True)
def triangle_code_histogram(fwd_indptr, fwd_indices, fwd_codes, n_chunks):
    """Return a length-64 int64 array: how many triangles have each labelled code.

    A triangle is three nodes joined pairwise by at least one edge. It is found once,
    from its lowest-ranked node ``v`` through its middle node ``u`` to ``w``, and
    counted under the code of the ordered triple ``(v, u, w)``: bits 0–1 hold the pair
    code of ``(v, u)``, bits 2–3 of ``(v, w)``, bits 4–5 of ``(u, w)`` (see
    :func:`connectome_motifs.motifs.catalogue.tricode`).

    Parameters
    ----------
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Forward neighbour lists from
        :func:`~connectome_motifs.motifs.kernels.neighbours.forward_neighbours`.
    n_chunks : int
        Number of work units; node ``v`` belongs to unit ``v % n_chunks``. Each unit
        counts into its own row, so the sum is the same whatever the thread count.

    Returns
    -------
    int64 array, shape (64,)

    Notes
    -----
    For each node, its forward neighbours are marked with their codes in a scratch
    array (one per unit, allocated once); every forward neighbour's forward list is
    then scanned against the marks. Work is the sum over forward pairs ``(v, u)`` of
    ``|N+(u)|``, at most O(m sqrt(m)) and at most O(m Δ).
    """
    n = fwd_indptr.size - 1
    hist = np.zeros((n_chunks, 64), dtype=np.int64)
    for c in prange(n_chunks):
        mark = np.zeros(n, dtype=np.int8)
        local = np.zeros(64, dtype=np.int64)
        for v in range(c, n, n_chunks):
            lo, hi = fwd_indptr[v], fwd_indptr[v + 1]
            if hi - lo < 2:
                continue
            for k in range(lo, hi):
                mark[fwd_indices[k]] = fwd_codes[k]
            for k in range(lo, hi):
                u = fwd_indices[k]
                code_vu = fwd_codes[k]
                for j in range(fwd_indptr[u], fwd_indptr[u + 1]):
                    code_vw = mark[fwd_indices[j]]
                    if code_vw != 0:
                        local[code_vu | (code_vw << 2) | (fwd_codes[j] << 4)] += 1
            for k in range(lo, hi):
                mark[fwd_indices[k]] = 0
        hist[c, :] = local
    return hist.sum(axis=0)
