"""Kernels of the typed triad census: triangles and neighbour pairs counted by cell group."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["typed_neighbour_pairs", "typed_triangle_histogram"]


@njit(cache=True, nogil=True, parallel=True)
def typed_triangle_histogram(fwd_indptr, fwd_indices, fwd_codes, groups, n_groups, n_chunks):
    """Return an int64 array (3, K, K, 3, 3, K): triangles by pair codes and groups of their nodes.

    A triangle (three nodes joined pairwise) is found once, from its lowest-ranked node
    ``v`` through ``u`` to ``w``, as in
    :func:`~connectome_motifs.motifs.kernels.triads.triangle_code_histogram`. It is counted
    at ``[a - 1, groups[v], groups[u], b - 1, c - 1, groups[w]]``, where ``a``, ``b``,
    ``c`` (1 .. 3) are the pair codes of ``(v, u)``, ``(v, w)`` and ``(u, w)`` from the
    first node's side: the labelled code of the ordered triple is ``a | b << 2 | c << 4``
    (:func:`connectome_motifs.motifs.catalogue.tricode`). The order keeps the counts of
    one pair ``(v, u)`` in one block of 9 K.

    Parameters
    ----------
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Forward neighbour lists
        (:func:`~connectome_motifs.motifs.kernels.neighbours.forward_neighbours`).
    groups : int32 array, shape (n,)
        Group code of every node, in ``0 .. n_groups - 1``.
    n_groups : int
        K, the number of groups.
    n_chunks : int
        Number of work units, each with its own 27 K³ accumulator; node ``v`` belongs to
        unit ``v % n_chunks``. Integer sums: the result is the same for any thread count.

    Returns
    -------
    int64 array, shape (3, K, K, 3, 3, K)

    Notes
    -----
    The work of the untyped kernel, at most O(m sqrt(m)), plus O(n_chunks 27 K³) to
    clear and add the accumulators. Memory: n_chunks × (27 K³ × 8 + n) bytes.
    """
    n = fwd_indptr.size - 1
    k = n_groups
    size = 27 * k * k * k
    hist = np.zeros((n_chunks, size), dtype=np.int64)
    for c in prange(n_chunks):
        mark = np.zeros(n, dtype=np.int8)
        local = hist[c]
        for v in range(c, n, n_chunks):
            lo, hi = fwd_indptr[v], fwd_indptr[v + 1]
            if hi - lo < 2:
                continue
            for i in range(lo, hi):
                mark[fwd_indices[i]] = fwd_codes[i]
            gv = groups[v]
            for i in range(lo, hi):
                u = fwd_indices[i]
                block = (((fwd_codes[i] - 1) * k + gv) * k + groups[u]) * 9
                for j in range(fwd_indptr[u], fwd_indptr[u + 1]):
                    w = fwd_indices[j]
                    code_vw = mark[w]
                    if code_vw != 0:
                        local[(block + 3 * code_vw + fwd_codes[j] - 4) * k + groups[w]] += 1
            for i in range(lo, hi):
                mark[fwd_indices[i]] = 0
    return hist.sum(axis=0).reshape((3, k, k, 3, 3, k))


@njit(cache=True, nogil=True, parallel=True)
def typed_neighbour_pairs(indptr, indices, codes, groups, n_groups, n_chunks):
    """Return an int64 array (K, 3K, 3K): pairs of distinct neighbours of a node, by category.

    A node's neighbour ``y`` has the category ``(code - 1) K + groups[y]``, ``code`` the
    pair code from the node's side (1 it sends, 2 it receives, 3 reciprocal). Entry
    ``[g, s, t]`` counts the unordered pairs ``{y, z}`` of distinct neighbours of the
    nodes ``x`` of group ``g`` whose categories are ``s`` and ``t``: the paths of length
    two centred on ``x``, closed or not. A pair of equal categories is counted at
    ``[g, s, s]``; one of two categories at ``[g, s, t]`` or ``[g, t, s]`` (whichever
    the node's list meets first), never both.

    Parameters
    ----------
    indptr, indices, codes : arrays
        Merged neighbour lists
        (:func:`~connectome_motifs.motifs.kernels.neighbours.merge_neighbours`).
    groups : int32 array, shape (n,)
        Group code of every node, in ``0 .. n_groups - 1``.
    n_groups : int
        K, the number of groups.
    n_chunks : int
        Number of work units, each with its own 9 K³ accumulator; node ``x`` belongs to
        unit ``x % n_chunks``. Integer sums: the result is the same for any thread count.

    Returns
    -------
    int64 array, shape (K, 3K, 3K)

    Notes
    -----
    Per node, its neighbours are tallied by category, then every pair of the ``c``
    occupied categories is multiplied out: O(m + sum over nodes of min(deg, 3K)²), plus
    O(n_chunks 9 K³) to clear and add the accumulators.
    """
    n = indptr.size - 1
    k = n_groups
    n_cat = 3 * k
    hist = np.zeros((n_chunks, k * n_cat * n_cat), dtype=np.int64)
    for c in prange(n_chunks):
        tally = np.zeros(n_cat, dtype=np.int64)
        occupied = np.empty(n_cat, dtype=np.int64)
        local = hist[c]
        for x in range(c, n, n_chunks):
            lo, hi = indptr[x], indptr[x + 1]
            if hi - lo < 2:
                continue
            n_occupied = 0
            for i in range(lo, hi):
                cat = (codes[i] - 1) * k + groups[indices[i]]
                if tally[cat] == 0:
                    occupied[n_occupied] = cat
                    n_occupied += 1
                tally[cat] += 1
            base = groups[x] * n_cat
            for i in range(n_occupied):
                s = occupied[i]
                count_s = tally[s]
                row = (base + s) * n_cat
                local[row + s] += count_s * (count_s - 1) // 2
                for j in range(i + 1, n_occupied):
                    t = occupied[j]
                    local[row + t] += count_s * tally[t]
            for i in range(n_occupied):
                tally[occupied[i]] = 0
    return hist.sum(axis=0).reshape((k, n_cat, n_cat))
