"""Kernels of motif strength: synapse-count sums over the triads of each class, exactly."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = [
    "centre_strength_sums",
    "forward_pair_values",
    "pair_weight_sums",
    "triangle_strength_sums",
]

# The sum kernels accumulate by triad class: int64 sums of the edge weights and of their
# squares, float64 sums of the triads' Onnela intensities and coherences. Their per-pair
# inputs, aligned with a neighbour list, describe the edges between the row node and the
# neighbour (one for pair codes 1 and 2, two for 3) by pair_weight_sums.


@njit(cache=True, nogil=True, parallel=True)
def pair_weight_sums(indptr, indices, out_indptr, out_indices, out_weights,
                     in_indptr, in_indices, in_weights, w_max):
    """Return ``(s, q, l)`` of every merged neighbour entry: the weights' sum, squares, logs.

    Entry ``k`` of row ``v`` of the merged lists (neighbour ``u = indices[k]``) describes
    the edges ``v -> u`` and ``u -> v`` that exist: ``s[k]`` the sum of their weights and
    ``q[k]`` of their squares (int64), ``l[k]`` the sum of ``log(w / w_max)`` (float64). The
    merged rows are the sorted unions of the out- and in-rows, so one merge per row aligns
    them: O(n + m), parallel over rows.
    """
    n = indptr.size - 1
    s = np.zeros(indices.size, dtype=np.int64)
    q = np.zeros(indices.size, dtype=np.int64)
    logs = np.zeros(indices.size, dtype=np.float64)
    for v in prange(n):
        i, i_end = out_indptr[v], out_indptr[v + 1]
        j, j_end = in_indptr[v], in_indptr[v + 1]
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            if i < i_end and out_indices[i] == u:
                w = np.int64(out_weights[i])
                s[k] += w
                q[k] += w * w
                logs[k] += np.log(w / w_max)
                i += 1
            if j < j_end and in_indices[j] == u:
                w = np.int64(in_weights[j])
                s[k] += w
                q[k] += w * w
                logs[k] += np.log(w / w_max)
                j += 1
    return s, q, logs


@njit(cache=True, nogil=True, inline="always")
def _add(ints, floats, cls, sign, s, q, geometric, n_edges, w_max):
    # One triad (sign 1) or a correction (sign -1) with these edges; the coherence is the
    # geometric over the arithmetic mean, k G / sum, in units of the largest weight.
    ints[cls, 0] += sign * s
    ints[cls, 1] += sign * q
    floats[cls, 0] += sign * geometric
    floats[cls, 1] += sign * (n_edges * w_max * geometric / s)


@njit(cache=True, nogil=True, inline="always")
def _two_sum(a, b):
    # Knuth's TwoSum: s + e == a + b exactly.
    s = a + b
    t = s - a
    return s, (a - (s - t)) + (b - t)


@njit(cache=True, nogil=True, inline="always")
def _split(a):
    # Veltkamp's split into two halves of 26 bits: hi + lo == a exactly.
    c = 134217729.0 * a
    hi = c - (c - a)
    return hi, a - hi


@njit(cache=True, nogil=True, inline="always")
def _accumulate_one(acc, cls, j, x):
    # acc[cls, j] += x with the rounding error kept in acc[cls, j + 2] (Neumaier).
    total, err = _two_sum(acc[cls, j], x)
    acc[cls, j] = total
    acc[cls, j + 2] += err


@njit(cache=True, nogil=True, inline="always")
def _accumulate(acc, cls, j, times, x):
    # acc[cls, j] += times * x with the product's and the sum's rounding errors kept in
    # acc[cls, j + 2] (Dekker's TwoProduct, Neumaier's summation).
    p = times * x
    th, tl = _split(times)
    xh, xl = _split(x)
    err = ((th * xh - p) + th * xl + tl * xh) + tl * xl
    total, e1 = _two_sum(acc[cls, j], p)
    acc[cls, j] = total
    acc[cls, j + 2] += e1 + err


@njit(cache=True, nogil=True, parallel=True)
def forward_pair_values(indptr, indices, rank, fwd_indptr, fwd_codes, pair_s, pair_q, pair_l,
                        w_max):
    """Return the forward entries' sums, geometric-mean factors, intensities and coherences.

    Row ``v`` of the forward lists keeps, in order, the entries of its merged row whose
    neighbour ranks above ``v``
    (:func:`~connectome_motifs.motifs.kernels.neighbours.forward_neighbours`); each gets its
    ``pair_s`` and ``pair_q``, its factors ``exp(l / k)`` in the geometric mean of a triad of
    ``k = 2 .. 6`` edges (float64, shape (pairs, 5)), and the intensity and coherence of its
    edges alone as a triad (1 for a lone edge, whose two means are equal). O(n + m),
    parallel over rows.
    """
    n = indptr.size - 1
    size = fwd_indptr[n]
    s = np.empty(size, dtype=np.int64)
    q = np.empty(size, dtype=np.int64)
    roots = np.empty((size, 5), dtype=np.float64)
    intensity = np.empty(size, dtype=np.float64)
    coherence = np.empty(size, dtype=np.float64)
    for v in prange(n):
        j = fwd_indptr[v]
        for k in range(indptr[v], indptr[v + 1]):
            if rank[indices[k]] <= rank[v]:
                continue
            s[j] = pair_s[k]
            q[j] = pair_q[k]
            for e in range(5):
                roots[j, e] = np.exp(pair_l[k] / (e + 2))
            if fwd_codes[j] == 3:
                intensity[j] = roots[j, 0]
                coherence[j] = 2.0 * w_max * roots[j, 0] / pair_s[k]
            else:
                intensity[j] = np.exp(pair_l[k])
                coherence[j] = 1.0
            j += 1
    return s, q, roots, intensity, coherence


@njit(cache=True, nogil=True, parallel=True)
def triangle_strength_sums(fwd_indptr, fwd_indices, fwd_codes, degree, pair_s, pair_q,
                           pair_roots, pair_g, pair_c, w_max, code_class, n_classes, n_chunks):
    """Return the triangles' code histogram, their class sums, and the one-pair class sums.

    Each triangle (three nodes joined pairwise) is found once, as in
    :func:`~connectome_motifs.motifs.kernels.triads.triangle_code_histogram`, from its
    lowest-ranked node ``v`` through ``u`` to ``w``, under the labelled code of ``(v, u,
    w)``. It adds its own edges to the sums of its class and subtracts each of its three
    two-pair sub-triads (centred at ``v``, ``u`` and ``w``), which the per-centre closed
    forms of :func:`centre_strength_sums` count as open although they are closed.

    One-pair triads: each connected pair ``{x, y}`` forms one with each of the ``n - deg x
    - deg y + c`` nodes joined to neither, ``c`` its common neighbours. The pairs of ``v``'s
    forward row learn the common neighbours ranked above ``v`` from ``v``'s triangles, and
    count once for each node joined to neither pair node that way; the pair ``(u, w)`` of
    each triangle then counts once more. The first term is a nonnegative count, but the
    second's sum cancels much of it in dense graphs, so these float sums are compensated
    (Dekker's exact products, Neumaier's summation).

    Parameters
    ----------
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Forward neighbour lists
        (:func:`~connectome_motifs.motifs.kernels.neighbours.forward_neighbours`).
    degree : int64 array, shape (n,)
        Undirected degrees.
    pair_s, pair_q, pair_roots, pair_g, pair_c : arrays
        :func:`forward_pair_values`.
    w_max : float
        The largest weight of the graph.
    code_class : int64 array, shape (64,)
        Triad class of every tricode (:func:`connectome_motifs.motifs.catalogue.code_tables`).
    n_classes : int
    n_chunks : int
        Work units; node ``v`` belongs to unit ``v % n_chunks``, each with its own
        accumulators, added in unit order: the result is the same for any thread count.

    Returns
    -------
    histogram : int64 array, shape (64,)
        Triangles by labelled code.
    ints : int64 array, shape (n_classes, 2)
        Sums of the weights and of their squares, by class.
    floats : float64 array, shape (n_classes, 2)
        Sums of the intensities and coherences of the triangles less those of the closed
        wedges, by class.
    pair_floats : float64 array, shape (n_chunks, n_classes, 4)
        Per unit, the one-pair classes' intensity and coherence sums (columns 0, 1) and
        their rounding errors (2, 3): the sums are the exact totals of all four.

    Notes
    -----
    The work of the triangle census, at most O(m sqrt(m)), with five updates of the
    accumulators per triangle; memory n_chunks × (5 n + 8 Δ) bytes for the marks and the
    row's common-neighbour counts, allocated per unit.
    """
    n = fwd_indptr.size - 1
    max_row = 0
    for v in range(n):
        max_row = max(max_row, fwd_indptr[v + 1] - fwd_indptr[v])
    hist = np.zeros((n_chunks, 64), dtype=np.int64)
    ints = np.zeros((n_chunks, n_classes, 2), dtype=np.int64)
    floats = np.zeros((n_chunks, n_classes, 2), dtype=np.float64)
    pair_floats = np.zeros((n_chunks, n_classes, 4), dtype=np.float64)
    for c in prange(n_chunks):
        # The code of the pair (v, x) for each marked x, and its place in v's row.
        mark = np.zeros(n, dtype=np.int8)
        position = np.zeros(n, dtype=np.int32)
        common = np.zeros(max_row, dtype=np.int64)
        h = hist[c]
        li = ints[c]
        lf = floats[c]
        lp = pair_floats[c]
        for v in range(c, n, n_chunks):
            lo, hi = fwd_indptr[v], fwd_indptr[v + 1]
            common[:hi - lo] = 0
            # A row of fewer than two holds no triangle.
            end = hi if hi - lo >= 2 else lo
            for k in range(lo, end):
                mark[fwd_indices[k]] = fwd_codes[k]
                position[fwd_indices[k]] = k - lo
            for a in range(lo, end):
                u = fwd_indices[a]
                c1 = fwd_codes[a]
                e1 = 2 if c1 == 3 else 1
                for b3 in range(fwd_indptr[u], fwd_indptr[u + 1]):
                    x = fwd_indices[b3]
                    c2 = mark[x]
                    if c2 == 0:
                        continue
                    b2 = lo + position[x]
                    c3 = fwd_codes[b3]
                    e2 = 2 if c2 == 3 else 1
                    e3 = 2 if c3 == 3 else 1
                    code = c1 | (c2 << 2) | (c3 << 4)
                    h[code] += 1
                    common[a - lo] += 1
                    common[b2 - lo] += 1
                    s1, s2, s3 = pair_s[a], pair_s[b2], pair_s[b3]
                    q1, q2, q3 = pair_q[a], pair_q[b2], pair_q[b3]
                    k = e1 + e2 + e3
                    _add(li, lf, code_class[code], 1, s1 + s2 + s3, q1 + q2 + q3,
                         pair_roots[a, k - 2] * pair_roots[b2, k - 2] * pair_roots[b3, k - 2],
                         k, w_max)
                    k = e1 + e2
                    _add(li, lf, code_class[code & 0b001111], -1, s1 + s2, q1 + q2,
                         pair_roots[a, k - 2] * pair_roots[b2, k - 2], k, w_max)
                    k = e1 + e3
                    _add(li, lf, code_class[code & 0b110011], -1, s1 + s3, q1 + q3,
                         pair_roots[a, k - 2] * pair_roots[b3, k - 2], k, w_max)
                    k = e2 + e3
                    _add(li, lf, code_class[code & 0b111100], -1, s2 + s3, q2 + q3,
                         pair_roots[b2, k - 2] * pair_roots[b3, k - 2], k, w_max)
                    cls = code_class[c3]
                    li[cls, 0] += s3
                    li[cls, 1] += q3
                    _accumulate_one(lp, cls, 0, pair_g[b3])
                    _accumulate_one(lp, cls, 1, pair_c[b3])
            for k in range(lo, hi):
                mark[fwd_indices[k]] = 0
                cls = code_class[fwd_codes[k]]
                times = n - degree[v] - degree[fwd_indices[k]] + common[k - lo]
                li[cls, 0] += times * pair_s[k]
                li[cls, 1] += times * pair_q[k]
                _accumulate(lp, cls, 0, float(times), pair_g[k])
                _accumulate(lp, cls, 1, float(times), pair_c[k])
    return hist.sum(axis=0), ints.sum(axis=0), floats.sum(axis=0), pair_floats


@njit(cache=True, nogil=True, inline="always")
def _cross(groups_s, weight, lo_a, hi_a, lo_b, hi_b, n_edges, w_max):
    # Sum over x in groups lo_a..hi_a and y in lo_b..hi_b of weight_x weight_y k / (s_x + s_y).
    total = 0.0
    for g in range(lo_a, hi_a):
        row = 0.0
        for h in range(lo_b, hi_b):
            row += weight[h] / (groups_s[g] + groups_s[h])
        total += weight[g] * row
    return n_edges * w_max * total


@njit(cache=True, nogil=True, parallel=True)
def centre_strength_sums(indptr, indices, codes, pair_s, pair_q, pair_l, w_max,
                         code_class, n_classes, n_chunks):
    """Return the class sums over every node and two of its neighbours, joined or not.

    Every node ``v`` and two distinct neighbours ``x, y`` count in the class of the pair
    codes of ``(v, x)`` and ``(v, y)``, with the edges of those two pairs, whether or not
    ``x`` and ``y`` are joined; :func:`triangle_strength_sums` subtracts the joined ones.

    Parameters
    ----------
    indptr, indices, codes : arrays
        Merged neighbour lists
        (:func:`~connectome_motifs.motifs.kernels.neighbours.merge_neighbours`).
    pair_s, pair_q, pair_l : arrays
        :func:`pair_weight_sums` of the merged lists.
    w_max, code_class, n_classes, n_chunks
        As in :func:`triangle_strength_sums`.

    Returns
    -------
    ints : int64 array, shape (n_classes, 2)
        Sums of the weights and of their squares, by class.
    floats : float64 array, shape (n_classes, 2)
        Sums of the intensities and coherences, by class.

    Notes
    -----
    The weight sums over the neighbour pairs of two categories are products of per-category
    sums (``sum over x < y of (s_x + s_y) = (k - 1) sum s``). Intensities factor too: the
    geometric mean of the ``e`` edges of ``(v, x)`` and ``(v, y)`` is ``exp(l_x / e)
    exp(l_y / e)``. The coherence divides by ``s_x + s_y``, which does not factor, so the
    neighbours of each category are grouped by ``s`` and the groups are paired. Time
    O(m log Δ + sum over nodes of D²), ``D`` the node's number of distinct (code, pair
    weight sum) groups (at most its degree; small for synapse counts), parallel over
    nodes; memory n_chunks × 40 Δ bytes, allocated per unit.
    """
    n = indptr.size - 1
    ints = np.zeros((n_chunks, n_classes, 2), dtype=np.int64)
    floats = np.zeros((n_chunks, n_classes, 2), dtype=np.float64)
    max_degree = 0
    for v in range(n):
        max_degree = max(max_degree, indptr[v + 1] - indptr[v])
    for c in prange(n_chunks):
        li = ints[c]
        lf = floats[c]
        keys = np.empty(max_degree, dtype=np.int64)
        # The groups of equal (code, s) in sorted order: s; the sums over the group of
        # exp(l / 2e) (pairs with the same number of edges e) and of exp(l / 3) (pairs with
        # the other number); and the sum over pairs in the group of exp(l_x / 2e) exp(l_y / 2e).
        group_s = np.empty(max_degree, dtype=np.int64)
        group_same = np.empty(max_degree, dtype=np.float64)
        group_mixed = np.empty(max_degree, dtype=np.float64)
        group_pairs = np.empty(max_degree, dtype=np.float64)
        first = np.zeros(4, dtype=np.int64)
        stop = np.zeros(4, dtype=np.int64)
        count = np.zeros(4, dtype=np.int64)
        sum_s = np.zeros(4, dtype=np.int64)
        sum_q = np.zeros(4, dtype=np.int64)
        for v in range(c, n, n_chunks):
            lo, hi = indptr[v], indptr[v + 1]
            degree = hi - lo
            if degree < 2:
                continue
            count[:] = 0
            sum_s[:] = 0
            sum_q[:] = 0
            for k in range(lo, hi):
                code = codes[k]
                keys[k - lo] = (np.int64(code) << 40) | pair_s[k]
                count[code] += 1
                sum_s[code] += pair_s[k]
                sum_q[code] += pair_q[k]
            for a in range(1, 4):
                for b in range(a, 4):
                    cls = code_class[a | (b << 2)]
                    if a == b:
                        li[cls, 0] += (count[a] - 1) * sum_s[a]
                        li[cls, 1] += (count[a] - 1) * sum_q[a]
                    else:
                        li[cls, 0] += count[b] * sum_s[a] + count[a] * sum_s[b]
                        li[cls, 1] += count[b] * sum_q[a] + count[a] * sum_q[b]
            order = np.argsort(keys[:degree])
            first[:] = 0
            stop[:] = 0
            n_groups = 0
            previous = np.int64(-1)
            for i in range(degree):
                key = keys[order[i]]
                k = lo + order[i]
                code = key >> 40
                if key != previous:
                    if code != previous >> 40:
                        first[code] = n_groups
                    group_s[n_groups] = pair_s[k]
                    group_same[n_groups] = 0.0
                    group_mixed[n_groups] = 0.0
                    group_pairs[n_groups] = 0.0
                    n_groups += 1
                    stop[code] = n_groups
                    previous = key
                g = n_groups - 1
                same = np.exp(pair_l[k] / (4.0 if code == 3 else 2.0))
                group_pairs[g] += same * group_same[g]
                group_same[g] += same
                group_mixed[g] += np.exp(pair_l[k] / 3.0)
            for a in range(1, 4):
                lo_a, hi_a = first[a], stop[a]
                if lo_a == hi_a:
                    continue
                # Pairs within category a have 2e edges.
                k_a = 4 if a == 3 else 2
                cls = code_class[a | (a << 2)]
                prefix = 0.0
                intensity = 0.0
                coherence = 0.0
                for g in range(lo_a, hi_a):
                    intensity += group_same[g] * prefix + group_pairs[g]
                    prefix += group_same[g]
                    coherence += group_pairs[g] / (2 * group_s[g])
                    row = 0.0
                    for h in range(g + 1, hi_a):
                        row += group_same[h] / (group_s[g] + group_s[h])
                    coherence += group_same[g] * row
                lf[cls, 0] += intensity
                lf[cls, 1] += k_a * w_max * coherence
            for a, b in ((1, 2), (1, 3), (2, 3)):
                lo_a, hi_a, lo_b, hi_b = first[a], stop[a], first[b], stop[b]
                if lo_a == hi_a or lo_b == hi_b:
                    continue
                cls = code_class[a | (b << 2)]
                # One-way with one-way: 2 edges; one-way with reciprocal: 3.
                weight = group_same if b == 2 else group_mixed
                k_ab = 2 if b == 2 else 3
                lf[cls, 0] += weight[lo_a:hi_a].sum() * weight[lo_b:hi_b].sum()
                lf[cls, 1] += _cross(group_s, weight, lo_a, hi_a, lo_b, hi_b, k_ab, w_max)
    return ints.sum(axis=0), floats.sum(axis=0)
