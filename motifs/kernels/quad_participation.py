"""Kernels of per-node 4-cell participation: each node's non-induced 4-node pattern counts.

A pattern is a labelled graph on nodes 0..3 given by its quad code
(:mod:`~connectome_motifs.motifs.quad_catalogue`), built pair by pair with :func:`pair_bits`
exactly as :func:`~connectome_motifs.motifs.quad_census.quad_patterns` builds them, and
counted in the column of its isoclass. Pair codes are as in
:mod:`~connectome_motifs.motifs.kernels.neighbours` (1 one-way out, 2 one-way in, 3
reciprocal, from the first node's side). A connected pair is addressed by its position ``f``
in the forward lists; ``common[f]`` holds its common neighbours by type (see
:func:`diamond_scatter`).

Two kinds of kernels: :func:`node_pattern_counts` writes each requested node's row from that
node's own neighbourhood only; the ``*_scatter`` kernels find each 4-cycle, diamond and
4-clique once and add it to the rows of its four nodes, into one accumulator per numba
thread (integer sums, so the result is the same for any thread count).
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

__all__ = [
    "add_columns",
    "clique_scatter",
    "cycle_scatter",
    "diamond_scatter",
    "induce_rows",
    "node_pattern_counts",
    "node_summaries",
    "pair_bits",
]

# The code of a pair seen from its other node: one-way edges change direction.
_FLIP = np.array([0, 2, 1, 3], dtype=np.int64)
# Bit offset of the pair {i, j} of nodes 0..3 in a quad code (the diagonal is unused).
_SHIFT = np.array([[0, 0, 2, 4], [0, 0, 6, 8], [2, 6, 0, 10], [4, 8, 10, 0]], dtype=np.int64)


@njit(cache=True, nogil=True)
def pair_bits(i, j, state):
    """Return the quad-code bits of pair code ``state`` between nodes ``i`` and ``j``.

    ``state`` is seen from ``i``'s side; nodes are 0..3 and ``i != j``.

    Examples
    --------
    >>> int(pair_bits(0, 1, 1) | pair_bits(3, 2, 1))
    2049
    """
    if i < j:
        return np.int64(state) << _SHIFT[i, j]
    return _FLIP[state] << _SHIFT[i, j]


@njit(cache=True, nogil=True, inline="always")
def _neighbour(x, s, n_fwd, fwd_indptr, fwd_indices, fwd_codes, back_indptr, back_indices,
               back_codes, back_pos):
    """Return the ``s``-th neighbour of ``x``: (node, code from x, pair index, x ranked lower)."""
    if s < n_fwd:
        f = fwd_indptr[x] + s
        return fwd_indices[f], fwd_codes[f], f, True
    e = back_indptr[x] + s - n_fwd
    return back_indices[e], back_codes[e], back_pos[e], False


@njit(cache=True, nogil=True, inline="always")
def _load_common(common, f, x_lower, cm):
    """Fill ``cm`` with the typed common neighbours of the pair ``f`` = ``{x, v}``.

    ``cm[c, d]`` counts the nodes ``w`` with code(x, w) = c and code(v, w) = d.
    """
    for c in range(1, 4):
        for d in range(1, 4):
            if x_lower:
                cm[c, d] = common[f, 3 * (c - 1) + d - 1]
            else:
                cm[c, d] = common[f, 3 * (d - 1) + c - 1]


@njit(cache=True, nogil=True)
def _pairs_of(k, c, d):
    """Return the ways to pick one neighbour of code ``c`` and another of code ``d``."""
    if c == d:
        return k[c] * (k[c] - 1) // 2
    return k[c] * k[d]


@njit(cache=True, nogil=True)
def _triples_of(k, c1, c2, c3):
    """Return the ways to pick three distinct neighbours of codes ``c1 <= c2 <= c3``."""
    if c1 == c3:
        return k[c1] * (k[c1] - 1) * (k[c1] - 2) // 6
    if c1 == c2:
        return k[c1] * (k[c1] - 1) // 2 * k[c3]
    if c2 == c3:
        return k[c1] * (k[c2] * (k[c2] - 1) // 2)
    return k[c1] * k[c2] * k[c3]


@njit(cache=True, nogil=True, parallel=True)
def _thread_sum(acc):
    """Return the sum over the first axis of per-thread accumulators, parallel over nodes."""
    n_threads, n, width = acc.shape
    if n_threads == 1:
        return acc[0]
    out = np.zeros((n, width), dtype=np.int64)
    for v in prange(n):
        for t in range(n_threads):
            for j in range(width):
                out[v, j] += acc[t, v, j]
    return out


@njit(cache=True, nogil=True, parallel=True)
def diamond_scatter(indptr, indices, codes, fwd_codes, back_indptr, back_indices, back_pos,
                    code_class, class_slot, n_slots, n_threads, n_chunks):
    """Return the typed common neighbours of every connected pair, and each node's diamonds.

    Parameters
    ----------
    indptr, indices, codes : arrays
        Merged neighbour lists.
    fwd_codes : int8 array
        Codes of the forward lists, which index the pairs.
    back_indptr, back_indices, back_pos : arrays
        :func:`~connectome_motifs.motifs.kernels.quads.backward_neighbours` of the forward
        lists.
    code_class : int64 array, shape (4096,)
        Isoclass of every quad code.
    class_slot : int64 array, shape (218,)
        Column of each diamond class in the result (other classes: unused).
    n_slots : int
        Columns of the result.
    n_threads : int
        ``numba.get_num_threads()`` of the caller: one accumulator per thread (asked
        outside, since a kernel that asks cannot be cached).
    n_chunks : int
        Work units; node ``b`` belongs to unit ``b % n_chunks``.

    Returns
    -------
    common : int32 array, shape (pairs, 9)
        For the pair ``{a, b}`` at forward position ``f`` (``a`` the lower-ranked node),
        ``common[f, 3 (c - 1) + (d - 1)]`` counts the nodes ``w`` joined to ``a`` with
        code ``c`` (from ``a``) and to ``b`` with code ``d`` (from ``b``).
    diamonds : int64 array, shape (n, n_slots)
        Per node and diamond class, the diamonds (a connected pair, its spine, and two of
        its common neighbours, the wings) that hold the node.

    Notes
    -----
    As :func:`~connectome_motifs.motifs.kernels.quads.pair_triangle_counts`: node ``b``
    marks its neighbours and each lower-ranked neighbour ``a`` scans its own list against
    the marks, once to count the common neighbours by type (the spine's two nodes get
    the pairs of them) and once more to give each wing the other wings. Work twice the
    sum over pairs of the lower-ranked node's degree, at most O(m sqrt(m)); memory
    O(n) per unit and ``n × n_slots`` per thread.
    """
    n = indptr.size - 1
    n_pairs = back_pos.size
    slot = np.empty((4, 9, 9), dtype=np.int64)
    for s in range(1, 4):
        for t1 in range(9):
            for t2 in range(9):
                # Nodes: spine a = 0, b = 1, wings 2 and 3.
                q = (pair_bits(0, 1, s) | pair_bits(0, 2, t1 // 3 + 1)
                     | pair_bits(1, 2, t1 % 3 + 1) | pair_bits(0, 3, t2 // 3 + 1)
                     | pair_bits(1, 3, t2 % 3 + 1))
                slot[s, t1, t2] = class_slot[code_class[q]]
    common = np.zeros((n_pairs, 9), dtype=np.int32)
    acc = np.zeros((n_threads, n, n_slots), dtype=np.int64)
    for c in prange(n_chunks):
        mine = acc[numba.get_thread_id()]
        mark = np.zeros(n, dtype=np.int8)
        local = np.zeros(9, dtype=np.int64)
        for b in range(c, n, n_chunks):
            if back_indptr[b + 1] == back_indptr[b]:
                continue
            for k in range(indptr[b], indptr[b + 1]):
                mark[indices[k]] = codes[k]
            for e in range(back_indptr[b], back_indptr[b + 1]):
                a = back_indices[e]
                local[:] = 0
                wings = 0
                for k in range(indptr[a], indptr[a + 1]):
                    code_bw = mark[indices[k]]
                    if code_bw != 0:
                        local[3 * (codes[k] - 1) + code_bw - 1] += 1
                        wings += 1
                f = back_pos[e]
                for t in range(9):
                    common[f, t] = local[t]
                if wings < 2:
                    continue
                spine = fwd_codes[f]
                for t1 in range(9):
                    if local[t1] == 0:
                        continue
                    for t2 in range(t1, 9):
                        pairs = (local[t1] * (local[t1] - 1) // 2 if t1 == t2
                                 else local[t1] * local[t2])
                        mine[a, slot[spine, t1, t2]] += pairs
                        mine[b, slot[spine, t1, t2]] += pairs
                for k in range(indptr[a], indptr[a + 1]):
                    w = indices[k]
                    code_bw = mark[w]
                    if code_bw == 0:
                        continue
                    t1 = 3 * (codes[k] - 1) + code_bw - 1
                    for t2 in range(9):
                        others = local[t2] - (t1 == t2)
                        if others:
                            mine[w, slot[spine, t1, t2]] += others
            for k in range(indptr[b], indptr[b + 1]):
                mark[indices[k]] = 0
    return common, _thread_sum(acc)


@njit(cache=True, nogil=True)
def _wedge_middles(x, back_indptr, back_indices, back_codes, indptr, indices, codes, wedges,
                   closes, slot, mine):
    """Give each middle node ``w`` of a wedge ``x - w - y`` the other wedges to its ``y``.

    Only the ends ``y`` marked in ``closes`` (with at least two wedges) close a cycle; the
    wedges of ``w`` are summed by code(w, y) before they reach ``w``'s row.
    """
    ends = np.zeros(4, dtype=np.int64)
    through = np.zeros((4, 9), dtype=np.int64)
    for e in range(back_indptr[x], back_indptr[x + 1]):
        w = back_indices[e]
        ends[:] = 0
        through[:, :] = 0
        for k in range(indptr[w], indptr[w + 1]):
            y = indices[k]
            if closes[y]:
                b = codes[k]
                ends[b] += 1
                for t2 in range(9):
                    through[b, t2] += wedges[y, t2]
        for b in range(1, 4):
            if ends[b] == 0:
                continue
            t1 = 3 * (back_codes[e] - 1) + b - 1
            for t2 in range(9):
                others = through[b, t2] - (t1 == t2) * ends[b]
                if others:
                    mine[w, slot[t1, t2]] += others


@njit(cache=True, nogil=True, parallel=True)
def cycle_scatter(back_indptr, back_indices, back_codes, indptr, indices, codes, rank,
                  code_class, class_slot, n_slots, n_threads, n_chunks):
    """Return, per node and 4-cycle class, the 4-cycles of the undirected graph that hold it.

    Parameters
    ----------
    back_indptr, back_indices, back_codes : arrays
        Each node's lower-ranked neighbours.
    indptr, indices, codes : arrays
        Merged neighbour lists.
    rank : int64 array
        Each node's rank (by degree).
    code_class, class_slot, n_slots, n_threads, n_chunks
        As in :func:`diamond_scatter`, for the 4-cycle classes.

    Returns
    -------
    int64 array, shape (n, n_slots)

    Notes
    -----
    As :func:`~connectome_motifs.motifs.kernels.quads.cycle_histogram`, each cycle
    ``x - w1 - y - w2`` once from its highest-ranked node ``x``: the paths ``x - w - y``
    through lower-ranked nodes are counted per ``y`` and wedge type; ``x`` and ``y`` get
    the pairs of wedges, and a second pass over the same paths gives each middle node
    ``w`` the other wedges to its ``y``. Work twice the census's, at most O(m sqrt(m));
    memory O(n) per unit and ``n × n_slots`` per thread.
    """
    n = indptr.size - 1
    slot = np.empty((9, 9), dtype=np.int64)
    for t1 in range(9):
        for t2 in range(9):
            # Nodes: x = 0, w1 = 1, y = 2, w2 = 3.
            q = (pair_bits(0, 1, t1 // 3 + 1) | pair_bits(1, 2, t1 % 3 + 1)
                 | pair_bits(0, 3, t2 // 3 + 1) | pair_bits(3, 2, t2 % 3 + 1))
            slot[t1, t2] = class_slot[code_class[q]]
    acc = np.zeros((n_threads, n, n_slots), dtype=np.int64)
    for c in prange(n_chunks):
        mine = acc[numba.get_thread_id()]
        wedges = np.zeros((n, 9), dtype=np.int32)
        seen = np.zeros(n, dtype=np.bool_)
        closes = np.zeros(n, dtype=np.bool_)
        touched = np.empty(n, dtype=np.int32)
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
            closing = 0
            for i in range(n_touched):
                y = touched[i]
                total = 0
                for t1 in range(9):
                    total += wedges[y, t1]
                if total < 2:
                    continue
                closing += 1
                closes[y] = True
                for t1 in range(9):
                    c1 = wedges[y, t1]
                    if c1 == 0:
                        continue
                    for t2 in range(t1, 9):
                        pairs = c1 * (c1 - 1) // 2 if t1 == t2 else c1 * wedges[y, t2]
                        mine[x, slot[t1, t2]] += pairs
                        mine[y, slot[t1, t2]] += pairs
            if closing:
                _wedge_middles(x, back_indptr, back_indices, back_codes, indptr, indices,
                               codes, wedges, closes, slot, mine)
            for i in range(n_touched):
                y = touched[i]
                wedges[y, :] = 0
                seen[y] = False
                closes[y] = False
    return _thread_sum(acc)


@njit(cache=True, nogil=True, parallel=True)
def clique_scatter(fwd_indptr, fwd_indices, fwd_codes, code_class, class_slot, n_slots,
                   n_threads, n_chunks):
    """Return, per node and 4-clique class, the 4-cliques that hold it.

    Parameters
    ----------
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Forward neighbour lists.
    code_class, class_slot, n_slots, n_threads, n_chunks
        As in :func:`diamond_scatter`, for the 4-clique classes.

    Returns
    -------
    int64 array, shape (n, n_slots)

    Notes
    -----
    As :func:`~connectome_motifs.motifs.kernels.quads.clique_histograms`: each 4-clique
    once, from its lowest-ranked node, adding one to the row of each of its nodes. Work
    O(sum over forward pairs ``(v, u)`` of ``|N+(u)|`` + sum over triangles of
    ``|N+(w)|``); memory O(n) per unit and ``n × n_slots`` per thread.
    """
    n = fwd_indptr.size - 1
    max_forward = 0
    for v in range(n):
        max_forward = max(max_forward, fwd_indptr[v + 1] - fwd_indptr[v])
    acc = np.zeros((n_threads, n, n_slots), dtype=np.int64)
    for c in prange(n_chunks):
        mine = acc[numba.get_thread_id()]
        mark_v = np.zeros(n, dtype=np.int8)
        mark_u = np.zeros(n, dtype=np.int8)
        both = np.empty(max_forward, dtype=np.int32)
        for v in range(c, n, n_chunks):
            lo, hi = fwd_indptr[v], fwd_indptr[v + 1]
            if hi - lo < 3:
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
                    for j in range(fwd_indptr[w], fwd_indptr[w + 1]):
                        y = fwd_indices[j]
                        if mark_u[y] != 0:
                            q = (code_vu | (mark_v[w] << 2) | (mark_v[y] << 4)
                                 | (mark_u[w] << 6) | (mark_u[y] << 8) | (fwd_codes[j] << 10))
                            s = class_slot[code_class[q]]
                            mine[v, s] += 1
                            mine[u, s] += 1
                            mine[w, s] += 1
                            mine[y, s] += 1
                for i in range(n_both):
                    mark_u[both[i]] = 0
            for k in range(lo, hi):
                mark_v[fwd_indices[k]] = 0
    return _thread_sum(acc)


@njit(cache=True, nogil=True, parallel=True)
def node_summaries(fwd_indptr, fwd_indices, fwd_codes, back_indptr, back_indices, back_codes,
                   back_pos, code_counts, common, orbit_of, n_orbits):
    """Return each node's paths of two pairs from it, and its triangles by its place in them.

    Parameters
    ----------
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Forward neighbour lists.
    back_indptr, back_indices, back_codes, back_pos : arrays
        Their transpose.
    code_counts : int64 array, shape (n, 4)
        Neighbours of each node by pair code.
    common : int32 array, shape (pairs, 9)
        Typed common neighbours of each pair (:func:`diamond_scatter`).
    orbit_of : int64 array, shape (64,)
        For a triangle ``(u, a, b)`` with tricode ``code(u, a) | code(u, b) << 2 |
        code(a, b) << 4``, its index among the triangles seen from ``u`` up to swapping
        ``a`` and ``b`` (-1 if a pair is unconnected).
    n_orbits : int
        Number of those indices (15).

    Returns
    -------
    paths : int64 array, shape (n, 4, 4)
        ``paths[u, c, d]``: the paths ``u - v - b`` with code(u, v) = c and
        code(v, b) = d, ``b != u`` (``b`` may be joined to ``u``).
    triangles : int64 array, shape (n, n_orbits)
        The triangles at ``u`` by ``orbit_of``.

    Notes
    -----
    From each node's pairs and their typed common neighbours, no enumeration: every
    triangle at ``u`` is a common neighbour of two of ``u``'s pairs, in the same orbit,
    so half the sum counts it once. O(n + m), parallel over nodes.
    """
    n = code_counts.shape[0]
    paths = np.zeros((n, 4, 4), dtype=np.int64)
    triangles = np.zeros((n, n_orbits), dtype=np.int64)
    for u in prange(n):
        cm = np.zeros((4, 4), dtype=np.int64)
        n_fwd = fwd_indptr[u + 1] - fwd_indptr[u]
        degree = n_fwd + back_indptr[u + 1] - back_indptr[u]
        for s in range(degree):
            v, c, f, u_lower = _neighbour(u, s, n_fwd, fwd_indptr, fwd_indices, fwd_codes,
                                          back_indptr, back_indices, back_codes, back_pos)
            back = _FLIP[c]
            for d in range(1, 4):
                paths[u, c, d] += code_counts[v, d] - (d == back)
            _load_common(common, f, u_lower, cm)
            for e in range(1, 4):
                for g in range(1, 4):
                    if cm[e, g]:
                        triangles[u, orbit_of[c | (e << 2) | (g << 4)]] += cm[e, g]
        for o in range(n_orbits):
            triangles[u, o] //= 2
    return paths, triangles


@njit(cache=True, nogil=True, parallel=True)
def node_pattern_counts(nodes, code_counts, fwd_indptr, fwd_indices, fwd_codes, back_indptr,
                        back_indices, back_codes, back_pos, common, paths, triangles,
                        orbit_codes, code_class, base, n_asymmetric, n_mutual, n_chunks):
    """Return each requested node's non-induced counts of all but the densest patterns.

    Parameters
    ----------
    nodes : int64 array
        The nodes to count, one output row each.
    code_counts : int64 array, shape (n, 4)
        Neighbours of each node by pair code.
    fwd_indptr, fwd_indices, fwd_codes, back_indptr, back_indices, back_codes, back_pos
        Forward neighbour lists and their transpose.
    common : int32 array, shape (pairs, 9)
        Typed common neighbours of each pair (:func:`diamond_scatter`).
    paths, triangles : int64 arrays
        :func:`node_summaries`.
    orbit_codes : int64 array, shape (n_orbits,)
        A tricode of each orbit of :func:`node_summaries`.
    code_class : int64 array, shape (4096,)
        Isoclass of every quad code.
    base : int64 array, shape (218,)
        What every row starts with: the patterns held by 4-sets of any node (the empty
        pattern, the wedges and the triangles, each with a fourth node).
    n_asymmetric, n_mutual : int
        One-way and reciprocal pairs of the graph.
    n_chunks : int
        Work units; row ``r`` belongs to unit ``r % n_chunks`` and is written by it only.

    Returns
    -------
    int64 array, shape (len(nodes), 218)
        ``[r, P]``: the (4-node set ``S`` holding ``x = nodes[r]``, subset ``E`` of the
        connected pairs of ``S``) with ``S`` restricted to ``E`` in class ``P``, for every
        ``P`` whose skeleton is not a 4-cycle, a diamond or a 4-clique.

    Notes
    -----
    In closed form from the pair-code counts of ``x`` and of its neighbours ``v``, the
    typed common neighbours of each pair ``{x, v}``, and the paths and triangles of each
    ``v``: one pair (with ``x`` or not), two disjoint pairs (``x`` in one), a wedge or a
    triangle with a fourth node (held by ``x`` or not), a star (``x`` its centre or a
    leaf), a path of three pairs (``x`` in the middle or an end, minus the closed paths)
    and a triangle with a pendant pair (``x`` where the pendant attaches, elsewhere in the
    triangle, or the pendant's end, minus the triangles that hold it). The neighbours'
    terms are first summed by code(v, x), then sent to their classes once per row.
    O(degree + 218) per node, parallel over rows.
    """
    n = code_counts.shape[0]
    n_rows = nodes.size
    n_orbits = orbit_codes.size
    out = np.zeros((n_rows, base.size), dtype=np.int64)
    others_2 = (n - 2) * (n - 3) // 2
    for chunk in prange(n_chunks):
        cm = np.zeros((4, 4), dtype=np.int64)
        kx = np.zeros(4, dtype=np.int64)
        kv = np.zeros(4, dtype=np.int64)
        # Sums over the neighbours v of x, by b = code(v, x): v's other neighbours by code,
        # their pairs, v's paths of two pairs, v's triangles, the common neighbours w of
        # {x, v} by (code(x, w), code(v, w)), and the triangles (v, x, w) by
        # (code(v, w), code(x, w)) with the pendant pairs at v by code.
        rest = np.zeros((4, 4), dtype=np.int64)
        rest_pairs = np.zeros((4, 4, 4), dtype=np.int64)
        onward = np.zeros((4, 4, 4), dtype=np.int64)
        at_v = np.zeros((4, n_orbits), dtype=np.int64)
        shared = np.zeros((4, 4, 4), dtype=np.int64)
        pendants = np.zeros((4, 4, 4, 4), dtype=np.int64)
        for r in range(chunk, n_rows, n_chunks):
            x = nodes[r]
            row = out[r]
            row[:] = base
            for c in range(4):
                kx[c] = code_counts[x, c]
            kx_asym = kx[1] + kx[2]
            rest[:, :] = 0
            rest_pairs[:, :, :] = 0
            onward[:, :, :] = 0
            at_v[:, :] = 0
            shared[:, :, :] = 0
            pendants[:, :, :, :] = 0
            two_asym = 0
            two_mixed = 0
            two_mutual = 0
            n_fwd = fwd_indptr[x + 1] - fwd_indptr[x]
            degree = n_fwd + back_indptr[x + 1] - back_indptr[x]
            for s in range(degree):
                v, cxv, f, x_lower = _neighbour(x, s, n_fwd, fwd_indptr, fwd_indices,
                                                fwd_codes, back_indptr, back_indices,
                                                back_codes, back_pos)
                b = _FLIP[cxv]
                for c in range(4):
                    kv[c] = code_counts[v, c]
                # Two disjoint pairs, {x, v} one of them: the other touches neither.
                if cxv == 3:
                    two_mutual += n_mutual - kx[3] - kv[3] + 1
                    two_mixed += n_asymmetric - kx_asym - kv[1] - kv[2]
                else:
                    two_asym += n_asymmetric - kx_asym - kv[1] - kv[2] + 1
                    two_mixed += n_mutual - kx[3] - kv[3]
                for c in range(1, 4):
                    rest[b, c] += kv[c] - (c == b)
                for c1 in range(1, 4):
                    for c2 in range(c1, 4):
                        k1 = kv[c1] - (c1 == b)
                        if c1 == c2:
                            rest_pairs[b, c1, c2] += k1 * (k1 - 1) // 2
                        else:
                            rest_pairs[b, c1, c2] += k1 * (kv[c2] - (c2 == b))
                    for c3 in range(1, 4):
                        onward[b, c1, c3] += paths[v, c1, c3]
                for o in range(n_orbits):
                    at_v[b, o] += triangles[v, o]
                _load_common(common, f, x_lower, cm)
                for e in range(1, 4):
                    for g in range(1, 4):
                        count = cm[e, g]
                        if count == 0:
                            continue
                        shared[b, e, g] += count
                        for c in range(1, 4):
                            pendants[b, g, e, c] += count * (kv[c] - (c == b) - (c == g))
            # One pair: {x, a} with two more nodes, or a pair away from x, and x.
            row[code_class[1]] += kx_asym * others_2 + (n_asymmetric - kx_asym) * (n - 3)
            row[code_class[3]] += kx[3] * others_2 + (n_mutual - kx[3]) * (n - 3)
            row[code_class[1 | (1 << 10)]] += two_asym
            row[code_class[1 | (3 << 10)]] += two_mixed
            row[code_class[3 | (3 << 10)]] += two_mutual
            # Wedges and stars centred at x, then at a neighbour v with x a leaf (node 1).
            for c1 in range(1, 4):
                for c2 in range(c1, 4):
                    q = pair_bits(0, 1, c1) | pair_bits(0, 2, c2)
                    row[code_class[q]] += (n - 4) * _pairs_of(kx, c1, c2)
                    for c3 in range(c2, 4):
                        row[code_class[q | pair_bits(0, 3, c3)]] += _triples_of(kx, c1, c2, c3)
            for b in range(1, 4):
                for c1 in range(1, 4):
                    q = pair_bits(0, 1, b) | pair_bits(0, 2, c1)
                    row[code_class[q]] += (n - 4) * rest[b, c1]
                    for c2 in range(c1, 4):
                        row[code_class[q | pair_bits(0, 3, c2)]] += rest_pairs[b, c1, c2]
            # Paths a - u - v - b (nodes 0..3): with x = u (v ranging over the neighbours,
            # minus the closed ones, a = b); with x = a and u its neighbour (minus v = x and
            # b = x).
            for a in range(1, 4):
                b = _FLIP[a]
                for c1 in range(1, 4):
                    left = kx[c1] - (c1 == a)
                    for c3 in range(1, 4):
                        q = pair_bits(1, 0, c1) | pair_bits(1, 2, a) | pair_bits(2, 3, c3)
                        row[code_class[q]] += left * rest[b, c3] - shared[b, c1, c3]
            for b in range(1, 4):
                for c in range(1, 4):
                    for c3 in range(1, 4):
                        through_x = kx[_FLIP[b]] * (kx[c3] - (c3 == _FLIP[b])) if c == b else 0
                        q = pair_bits(1, 0, b) | pair_bits(1, 2, c) | pair_bits(2, 3, c3)
                        row[code_class[q]] += (onward[b, c, c3] - through_x
                                               - shared[b, _FLIP[c3], c])
            # Triangles with a pendant pair: at x (node 0); at a neighbour v (node 0) of
            # x (node 1); at v with x the pendant's end (node 3), minus the triangles at v
            # that hold x.
            for o in range(n_orbits):
                count = triangles[x, o]
                t = orbit_codes[o]
                c01, c02 = t & 3, t >> 2 & 3
                tri = pair_bits(0, 1, c01) | pair_bits(0, 2, c02) | pair_bits(1, 2, t >> 4)
                if count:
                    # With a fourth node too.
                    row[code_class[tri]] += (n - 4) * count
                    for c in range(1, 4):
                        row[code_class[tri | pair_bits(0, 3, c)]] += count * (
                            kx[c] - (c01 == c) - (c02 == c))
                for b in range(1, 4):
                    row[code_class[tri | pair_bits(0, 3, b)]] += at_v[b, o]
            for b in range(1, 4):
                for g in range(1, 4):
                    for e in range(1, 4):
                        tri = pair_bits(0, 1, b) | pair_bits(0, 2, g) | pair_bits(1, 2, e)
                        row[code_class[tri | pair_bits(0, 3, b)]] -= shared[b, e, g]
                        for c in range(1, 4):
                            row[code_class[tri | pair_bits(0, 3, c)]] += pendants[b, g, e, c]
    return out


@njit(cache=True, nogil=True, parallel=True)
def add_columns(counts, rows, found, classes, n_chunks):
    """Add ``found[rows[r], j]`` to ``counts[r, classes[j]]`` for every row and column.

    Where the scatter kernels' per-node counts reach the rows of the requested nodes;
    parallel over rows, each written by one unit. Returns ``counts``.
    """
    n_rows = rows.size
    for chunk in prange(n_chunks):
        for r in range(chunk, n_rows, n_chunks):
            x = rows[r]
            for j in range(classes.size):
                counts[r, classes[j]] += found[x, j]
    return counts


@njit(cache=True, nogil=True, parallel=True)
def induce_rows(counts, order, held_ptr, held, times, n_chunks):
    """Turn each row of non-induced pattern counts into induced class counts, in place.

    Parameters
    ----------
    counts : int64 array, shape (rows, 218)
        Non-induced counts on entry, induced counts on return.
    order : int64 array, shape (218,)
        The classes from the most connected down.
    held_ptr, held, times : int64 arrays
        Class ``order[i]`` holds ``times[j]`` patterns of class ``held[j]`` for
        ``held_ptr[i] <= j < held_ptr[i + 1]``.
    n_chunks : int
        Work units; row ``r`` belongs to unit ``r % n_chunks``.

    Returns
    -------
    counts : the same array.

    Notes
    -----
    The back-substitution of :func:`~connectome_motifs.motifs.quad_census.quad_counts`,
    row by row: each class's count, final once the denser classes are done, is taken
    off the counts of the patterns it holds. Every value stays between its final count
    and its starting one, so nothing overflows. O(rows × 3,803) at most, less where a
    node is in no set of a class; parallel over rows.
    """
    n_rows = counts.shape[0]
    for chunk in prange(n_chunks):
        for r in range(chunk, n_rows, n_chunks):
            row = counts[r]
            for i in range(order.size):
                count = row[order[i]]
                if count == 0:
                    continue
                for j in range(held_ptr[i], held_ptr[i + 1]):
                    row[held[j]] -= times[j] * count
    return counts
