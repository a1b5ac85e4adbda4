"""Samplers of independent-dyad random graphs: each unordered pair drawn on its own (numba)."""

import numpy as np
from numba import njit

from connectome_motifs.nullmodels.kernels.random_bits import next_success, uniform

__all__ = ["edges_to_csr", "sample_block_dyads", "sample_heterogeneous_dyads",
           "sample_homogeneous_dyads"]


@njit(cache=True, nogil=True)
def _grow(buf):
    out = np.empty(2 * buf.size, dtype=buf.dtype)
    out[: buf.size] = buf
    return out


@njit(cache=True, nogil=True, inline="always")
def _put(pre, post, count, a, b, c, d, both):
    # Write a -> b, and c -> d when ``both``, at ``count`` (the buffers have room for two);
    # return the new edge count.
    pre[count] = a
    post[count] = b
    count += 1
    if both:
        pre[count] = c
        post[count] = d
        count += 1
    return count


@njit(cache=True, nogil=True)
def sample_homogeneous_dyads(n, p_one_way, p_reciprocal, state):
    """Return ``(pre, post)`` of a graph whose unordered pairs are i.i.d. dyads.

    Every pair is ``i -> j`` only and ``j -> i`` only each with probability
    ``p_one_way``, reciprocal with probability ``p_reciprocal``, else unconnected (the
    argument order of :func:`sample_heterogeneous_dyads`).

    ``state`` is a :mod:`connectome_motifs.nullmodels.kernels.random_bits` generator state.

    Notes
    -----
    O(n + m) expected: the connected pairs are found by geometric skipping along the
    ``n (n - 1) / 2`` pairs in row order (Batagelj & Brandes 2005), then each one's state
    is drawn given that it is connected.
    """
    n_pairs = n * (n - 1) // 2
    q = p_reciprocal + 2.0 * p_one_way
    capacity = 16 + int(1.2 * 2.0 * q * n_pairs)
    pre = np.empty(capacity, dtype=np.int64)
    post = np.empty(capacity, dtype=np.int64)
    count = 0
    if q <= 0.0 or n_pairs == 0:
        return pre[:0], post[:0]
    log_miss = np.log1p(-q) if q < 1.0 else -np.inf
    i = 0
    row_start = 0
    k = next_success(-1, n_pairs, q, log_miss, state)
    while k < n_pairs:
        while k >= row_start + (n - 1 - i):
            row_start += n - 1 - i
            i += 1
        j = i + 1 + (k - row_start)
        if count + 2 > pre.size:
            pre = _grow(pre)
            post = _grow(post)
        v = uniform(state) * q
        if v < p_reciprocal:
            count = _put(pre, post, count, i, j, j, i, True)
        elif v < p_reciprocal + p_one_way:
            count = _put(pre, post, count, i, j, 0, 0, False)
        else:
            count = _put(pre, post, count, j, i, 0, 0, False)
        k = next_success(k, n_pairs, q, log_miss, state)
    return pre[:count], post[:count]


@njit(cache=True, nogil=True)
def sample_heterogeneous_dyads(one_way, reciprocal, state):
    """Return ``(pre, post)`` of a graph whose unordered pairs are independent dyads.

    Pair ``{i, j}`` (``i < j``) is reciprocal with probability ``reciprocal[i, j]``,
    ``i -> j`` only with probability ``one_way[i, j]``, ``j -> i`` only with
    ``one_way[j, i]``, else unconnected; one uniform number decides each pair.

    Notes
    -----
    O(n²) time, O(m) memory.
    """
    n = one_way.shape[0]
    pre = np.empty(16 + n, dtype=np.int64)
    post = np.empty(16 + n, dtype=np.int64)
    count = 0
    for i in range(n):
        for j in range(i + 1, n):
            u = uniform(state)
            r = reciprocal[i, j]
            forward = r + one_way[i, j]
            if u >= forward + one_way[j, i]:
                continue
            if count + 2 > pre.size:
                pre = _grow(pre)
                post = _grow(post)
            if u < r:
                count = _put(pre, post, count, i, j, j, i, True)
            elif u < forward:
                count = _put(pre, post, count, i, j, 0, 0, False)
            else:
                count = _put(pre, post, count, j, i, 0, 0, False)
    return pre[:count], post[:count]


@njit(cache=True, nogil=True)
def edges_to_csr(n, pre, post):
    """Return ``(indptr, indices)`` of the simple graph with edges ``pre[k] -> post[k]``.

    Rows come out sorted, as :class:`connectome_motifs.graphs.SynapseGraph` requires. O(n + m log
    d).
    """
    indptr = np.zeros(n + 1, dtype=np.int64)
    for k in range(pre.size):
        indptr[pre[k] + 1] += 1
    for i in range(n):
        indptr[i + 1] += indptr[i]
    fill = indptr[:-1].copy()
    indices = np.empty(pre.size, dtype=np.int64)
    for k in range(pre.size):
        indices[fill[pre[k]]] = post[k]
        fill[pre[k]] += 1
    for i in range(n):
        indices[indptr[i] : indptr[i + 1]] = np.sort(indices[indptr[i] : indptr[i + 1]])
    return indptr, indices


@njit(cache=True, nogil=True)
def sample_block_dyads(members, block_start, one_way, reciprocal, state):
    """Return ``(pre, post)`` of a graph whose pairs are independent with block probabilities.

    ``members`` lists the nodes block by block, block ``a`` at
    ``members[block_start[a]:block_start[a + 1]]``; a pair of nodes of blocks ``a`` (the
    first) and ``b`` is reciprocal with probability ``reciprocal[a, b]``, first -> second
    only with ``one_way[a, b]``, second -> first only with ``one_way[b, a]``.

    Notes
    -----
    O(K² + n + m) expected for K blocks: the connected pairs of each block pair are found
    by geometric skipping (Batagelj & Brandes 2005), then each one's state is drawn
    given that it is connected.
    """
    k_blocks = block_start.size - 1
    pre = np.empty(16 + members.size, dtype=np.int64)
    post = np.empty(16 + members.size, dtype=np.int64)
    count = 0
    for a in range(k_blocks):
        size_a = block_start[a + 1] - block_start[a]
        for b in range(a, k_blocks):
            size_b = block_start[b + 1] - block_start[b]
            r, forward, backward = reciprocal[a, b], one_way[a, b], one_way[b, a]
            q = r + forward + backward
            n_pairs = size_a * (size_a - 1) // 2 if a == b else size_a * size_b
            if q <= 0.0 or n_pairs == 0:
                continue
            log_miss = np.log1p(-q) if q < 1.0 else -np.inf
            row, row_start = 0, 0
            t = next_success(-1, n_pairs, q, log_miss, state)
            while t < n_pairs:
                if a == b:
                    # Pairs (row, column > row) of the block in row order.
                    while t >= row_start + (size_a - 1 - row):
                        row_start += size_a - 1 - row
                        row += 1
                    i = members[block_start[a] + row]
                    j = members[block_start[a] + row + 1 + (t - row_start)]
                else:
                    i = members[block_start[a] + t // size_b]
                    j = members[block_start[b] + t % size_b]
                if count + 2 > pre.size:
                    pre = _grow(pre)
                    post = _grow(post)
                v = uniform(state) * q
                if v < r:
                    count = _put(pre, post, count, i, j, j, i, True)
                elif v < r + forward:
                    count = _put(pre, post, count, i, j, 0, 0, False)
                else:
                    count = _put(pre, post, count, j, i, 0, 0, False)
                t = next_success(t, n_pairs, q, log_miss, state)
    return pre[:count], post[:count]
