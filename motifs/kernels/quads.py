"""Kernels of the 4-cell census: the non-induced counts of the dense 4-node patterns.

Every kernel counts labelled patterns by pair code (1 one-way out, 2 one-way in, 3 reciprocal,
from the first node's side; see :mod:`~connectome_motifs.motifs.kernels.neighbours`) into
per-work-unit histograms, so that the sum is the same for any thread count. A wedge type
``t = 3 (a - 1) + (b - 1)`` stands for a path ``x - w - y`` whose pair ``{x, w}`` has code
``a`` from ``x`` and ``{w, y}`` code ``b`` from ``w``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = [
    "backward_neighbours",
    "clique_histograms",
    "cycle_histogram",
    "pair_triangle_counts",
    "path_histogram",
]

# The code of a pair seen from its other node: one-way edges change direction.
_FLIP = np.array([0, 2, 1, 3], dtype=np.int64)

# Past this total a histogram could have wrapped around int64 (2**62 leaves room for the last
# addition, which is below it): the kernels then stop rather than return a wrong count.
_SAFE_TOTAL = 2.0**62


@njit(cache=True, nogil=True)
def backward_neighbours(fwd_indptr, fwd_indices, fwd_codes):
    """Return the transpose of the forward lists: each node's lower-ranked neighbours.

    Returns
    -------
    back_indptr : int64 array, shape (n + 1,)
    back_indices : int32 array
        Row ``b`` lists the nodes ``a`` whose forward list holds ``b``, in increasing order.
    back_codes : int8 array
        The pair code from ``b``'s side.
    back_pos : int64 array
        The position of the pair in the forward arrays (the pair's index).

    Notes
    -----
    A counting sort: O(n + m), serial.
    """
    n = fwd_indptr.size - 1
    n_pairs = fwd_indptr[n]
    back_indptr = np.zeros(n + 1, dtype=np.int64)
    for f in range(n_pairs):
        back_indptr[fwd_indices[f] + 1] += 1
    for b in range(n):
        back_indptr[b + 1] += back_indptr[b]
    fill = back_indptr[:n].copy()
    back_indices = np.empty(n_pairs, dtype=np.int32)
    back_codes = np.empty(n_pairs, dtype=np.int8)
    back_pos = np.empty(n_pairs, dtype=np.int64)
    for a in range(n):
        for f in range(fwd_indptr[a], fwd_indptr[a + 1]):
            b = fwd_indices[f]
            e = fill[b]
            fill[b] += 1
            back_indices[e] = a
            back_codes[e] = _FLIP[fwd_codes[f]]
            back_pos[e] = f
    return back_indptr, back_indices, back_codes, back_pos


@njit(cache=True, nogil=True, parallel=True)
def pair_triangle_counts(indptr, indices, codes, fwd_codes, back_indptr, back_indices, back_pos,
                         per_pair, n_chunks):
    """Return the common neighbours of every connected pair by type, and the diamond histogram.

    Parameters
    ----------
    indptr, indices, codes : arrays
        Merged neighbour lists.
    fwd_codes : int8 array
        Codes of the forward lists, which index the pairs.
    back_indptr, back_indices, back_pos : arrays
        :func:`backward_neighbours` of the forward lists.
    per_pair : bool
        Whether to return the counts of every pair (else an empty array).
    n_chunks : int
        Work units; node ``b`` belongs to unit ``b % n_chunks``.

    Returns
    -------
    common : int32 array, shape (pairs, 9) or (0, 9)
        For the pair ``{a, b}`` at forward position ``f`` (``a`` the lower-ranked node),
        ``common[f, 3 (c - 1) + (d - 1)]`` counts the nodes ``w`` joined to ``a`` with
        code ``c`` (from ``a``) and to ``b`` with code ``d`` (from ``b``).
    diamonds : int64 array, shape (n_chunks, 4, 9, 9)
        ``diamonds[u, s, t1, t2]``, ``t1 <= t2``: the unordered pairs of common neighbours
        of types ``t1`` and ``t2`` of pairs with code ``s`` (from ``a``) in unit ``u``;
        each is a diamond, the pair its spine.

    Raises
    ------
    OverflowError
        If a unit's diamonds could exceed int64.

    Notes
    -----
    Node ``b`` marks its neighbours; each lower-ranked neighbour ``a`` scans its own list
    against the marks, so that each pair is counted once, by the unit of ``b``, scanning
    the list of its lower-degree node. Work O(sum over pairs of the lower-ranked node's
    degree), at most O(m sqrt(m)); memory O(n) per unit.
    """
    n = indptr.size - 1
    n_pairs = back_pos.size
    common = np.zeros((n_pairs if per_pair else 0, 9), dtype=np.int32)
    diamonds = np.zeros((n_chunks, 4, 9, 9), dtype=np.int64)
    totals = np.zeros(n_chunks)
    for c in prange(n_chunks):
        mark = np.zeros(n, dtype=np.int8)
        local = np.zeros(9, dtype=np.int64)
        total = 0.0
        for b in range(c, n, n_chunks):
            if back_indptr[b + 1] == back_indptr[b]:
                continue
            for k in range(indptr[b], indptr[b + 1]):
                mark[indices[k]] = codes[k]
            for e in range(back_indptr[b], back_indptr[b + 1]):
                a = back_indices[e]
                local[:] = 0
                for k in range(indptr[a], indptr[a + 1]):
                    code_bw = mark[indices[k]]
                    if code_bw != 0:
                        local[3 * (codes[k] - 1) + code_bw - 1] += 1
                f = back_pos[e]
                spine = fwd_codes[f]
                for t1 in range(9):
                    c1 = local[t1]
                    if c1 == 0:
                        continue
                    if per_pair:
                        common[f, t1] = c1
                    diamonds[c, spine, t1, t1] += c1 * (c1 - 1) // 2
                    total += c1 * (c1 - 1) / 2
                    for t2 in range(t1 + 1, 9):
                        diamonds[c, spine, t1, t2] += c1 * local[t2]
                        total += c1 * local[t2]
            for k in range(indptr[b], indptr[b + 1]):
                mark[indices[k]] = 0
        totals[c] = total
    if totals.max() > _SAFE_TOTAL:
        raise OverflowError("more diamonds than int64 holds")
    return common, diamonds


@njit(cache=True, nogil=True, parallel=True)
def cycle_histogram(back_indptr, back_indices, back_codes, indptr, indices, codes, rank,
                    n_chunks):
    """Return the 4-cycles of the undirected graph by the types of their two wedges.

    Returns
    -------
    int64 array, shape (n_chunks, 9, 9)
        ``[u, t1, t2]``, ``t1 <= t2``: cycles ``x - w1 - y - w2 - x`` found in unit ``u``
        whose wedges ``x - w1 - y`` and ``x - w2 - y`` have types ``t1`` and ``t2``.

    Raises
    ------
    OverflowError
        If a unit's cycles could exceed int64.

    Notes
    -----
    Each cycle is found once, from its highest-ranked node ``x`` (Chiba & Nishizeki 1985):
    every path ``x - w - y`` with ``w`` and ``y`` ranked below ``x`` adds one to a counter
    of ``y`` per wedge type, and each ``y`` then closes the pairs of its wedges. Work
    O(sum over pairs of the lower-ranked node's degree), at most O(m sqrt(m)); memory
    O(n) per unit. Node ``x`` belongs to unit ``x % n_chunks``.
    """
    n = indptr.size - 1
    hist = np.zeros((n_chunks, 9, 9), dtype=np.int64)
    totals = np.zeros(n_chunks)
    for c in prange(n_chunks):
        wedges = np.zeros((n, 9), dtype=np.int32)
        seen = np.zeros(n, dtype=np.bool_)
        touched = np.empty(n, dtype=np.int32)
        total = 0.0
        for x in range(c, n, n_chunks):
            n_touched = 0
            top = rank[x]
            for e in range(back_indptr[x], back_indptr[x + 1]):
                w = back_indices[e]
                base = 3 * (back_codes[e] - 1) - 1
                for k in range(indptr[w], indptr[w + 1]):
                    y = indices[k]
                    if rank[y] < top:
                        if not seen[y]:
                            seen[y] = True
                            touched[n_touched] = y
                            n_touched += 1
                        wedges[y, base + codes[k]] += 1
            for i in range(n_touched):
                y = touched[i]
                for t1 in range(9):
                    c1 = wedges[y, t1]
                    if c1 == 0:
                        continue
                    hist[c, t1, t1] += c1 * (c1 - 1) // 2
                    total += c1 * (c1 - 1) / 2
                    for t2 in range(t1 + 1, 9):
                        hist[c, t1, t2] += c1 * wedges[y, t2]
                        total += c1 * wedges[y, t2]
                wedges[y, :] = 0
                seen[y] = False
        totals[c] = total
    if totals.max() > _SAFE_TOTAL:
        raise OverflowError("more 4-cycles than int64 holds")
    return hist


@njit(cache=True, nogil=True, parallel=True)
def clique_histograms(fwd_indptr, fwd_indices, fwd_codes, code_counts, n_chunks):
    """Return the triangles, the triangles with a pendant pair, and the 4-cliques, by code.

    Parameters
    ----------
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Forward neighbour lists.
    code_counts : int64 array, shape (n, 4)
        Each node's neighbours by pair code.
    n_chunks : int
        Work units; node ``v`` belongs to unit ``v % n_chunks``.

    Returns
    -------
    triangles : int64 array, shape (n_chunks, 64)
        Triangles ``(v, u, w)`` (in rank order) by tricode.
    paws : int64 array, shape (n_chunks, 64, 3, 4)
        ``[unit, t, i, c]``: pairs ``{x, d}`` with code ``c`` (from ``x``), ``x`` the
        node at position ``i`` of a triangle of tricode ``t`` and ``d`` outside it.
    cliques : int64 array, shape (n_chunks, 4096)
        4-cliques ``(v, u, w, y)`` (in rank order) by quad code.

    Notes
    -----
    Each triangle is found once, from its lowest-ranked node, and each 4-clique once,
    extending a triangle by the common forward neighbours of its nodes. Pendant pairs
    are counted in closed form from ``code_counts``. Work O(sum over forward pairs
    ``(v, u)`` of ``|N+(u)|`` + sum over triangles of ``|N+(w)|``).
    """
    n = fwd_indptr.size - 1
    max_forward = 0
    for v in range(n):
        max_forward = max(max_forward, fwd_indptr[v + 1] - fwd_indptr[v])
    triangles = np.zeros((n_chunks, 64), dtype=np.int64)
    paws = np.zeros((n_chunks, 64, 3, 4), dtype=np.int64)
    cliques = np.zeros((n_chunks, 4096), dtype=np.int64)
    for c in prange(n_chunks):
        mark_v = np.zeros(n, dtype=np.int8)
        mark_u = np.zeros(n, dtype=np.int8)
        both = np.empty(max_forward, dtype=np.int32)
        for v in range(c, n, n_chunks):
            lo, hi = fwd_indptr[v], fwd_indptr[v + 1]
            if hi - lo < 2:
                continue
            for k in range(lo, hi):
                mark_v[fwd_indices[k]] = fwd_codes[k]
            for k in range(lo, hi):
                u = fwd_indices[k]
                code_vu = fwd_codes[k]
                n_both = 0
                for j in range(fwd_indptr[u], fwd_indptr[u + 1]):
                    x = fwd_indices[j]
                    if mark_v[x] != 0:
                        mark_u[x] = fwd_codes[j]
                        both[n_both] = x
                        n_both += 1
                for i in range(n_both):
                    w = both[i]
                    code_vw = mark_v[w]
                    code_uw = mark_u[w]
                    t = code_vu | (code_vw << 2) | (code_uw << 4)
                    triangles[c, t] += 1
                    for code in range(1, 4):
                        paws[c, t, 0, code] += (code_counts[v, code] - (code_vu == code)
                                                - (code_vw == code))
                        paws[c, t, 1, code] += (code_counts[u, code] - (_FLIP[code_vu] == code)
                                                - (code_uw == code))
                        paws[c, t, 2, code] += (code_counts[w, code] - (_FLIP[code_vw] == code)
                                                - (_FLIP[code_uw] == code))
                    for j in range(fwd_indptr[w], fwd_indptr[w + 1]):
                        y = fwd_indices[j]
                        if mark_u[y] != 0:
                            q = (code_vu | (code_vw << 2) | (mark_v[y] << 4) | (code_uw << 6)
                                 | (mark_u[y] << 8) | (fwd_codes[j] << 10))
                            cliques[c, q] += 1
                for i in range(n_both):
                    mark_u[both[i]] = 0
            for k in range(lo, hi):
                mark_v[fwd_indices[k]] = 0
    return triangles, paws, cliques


@njit(cache=True, nogil=True, parallel=True)
def path_histogram(fwd_indptr, fwd_indices, fwd_codes, code_counts, n_chunks):
    """Return the paths ``a - u - v - b`` with middle pair ``{u, v}``, by their codes.

    Returns
    -------
    int64 array, shape (n_chunks, 4, 4, 4)
        ``[unit, c1, c, c3]``: over the forward pairs ``(u, v)`` of code ``c`` (from
        ``u``), the choices of ``a`` among the neighbours of ``u`` other than ``v`` with
        code ``c1`` (from ``u``) and of ``b`` among those of ``v`` other than ``u`` with
        code ``c3`` (from ``v``). Choices with ``a == b`` (triangles) are included.

    Notes
    -----
    Closed form per pair from ``code_counts``, each pair once: O(n + m). Node ``u``
    belongs to unit ``u % n_chunks``.
    """
    n = fwd_indptr.size - 1
    hist = np.zeros((n_chunks, 4, 4, 4), dtype=np.int64)
    for c in prange(n_chunks):
        for u in range(c, n, n_chunks):
            for k in range(fwd_indptr[u], fwd_indptr[u + 1]):
                v = fwd_indices[k]
                code = fwd_codes[k]
                back = _FLIP[code]
                for c1 in range(1, 4):
                    left = code_counts[u, c1] - (code == c1)
                    if left == 0:
                        continue
                    for c3 in range(1, 4):
                        hist[c, c1, code, c3] += left * (code_counts[v, c3] - (back == c3))
    return hist
