"""Attribute tests (numba): similarity sums over edges, shuffles within strata, pair moments.

Cells are the tested cells only, indexed ``0 .. t-1``; ``values`` is a ``(t, 2)`` array,
one row per cell. The similarity of two rows is set by ``kind``: :data:`CATEGORICAL` (column
0 a group code; 1 if equal, else 0), :data:`CONTINUOUS` (column 0 the value;
``1 - |a - b| / scale``, ``scale`` the range of the values) or :data:`CIRCULAR` (the cosine
and sine of ``2 pi a / period``; their dot product is ``cos(2 pi (a - b) / period)``, without
a cosine per pair). Column 1 is unused but for circular attributes; a shuffle moves rows.
A stratum partition is given as ``order`` (the cells sorted by stratum) and ``start``
(where each stratum begins in it).
Every permutation draws from its own xoshiro256** state (one row of ``states``), so the
results do not depend on the number of threads.
"""

import numpy as np
from numba import njit, prange

from connectome_motifs.nullmodels.kernels.random_bits import bounded
from connectome_motifs.nullmodels.kernels.spatial import distance_bin

__all__ = [
    "CATEGORICAL",
    "CIRCULAR",
    "CONTINUOUS",
    "edge_similarity_sum",
    "pair_similarity_moments",
    "permuted_rank_products",
    "permuted_similarity_sums",
    "rank_product",
    "shuffle_within_strata",
    "similarity",
]

CATEGORICAL = 0
CONTINUOUS = 1
CIRCULAR = 2


@njit(cache=True, nogil=True, inline="always")
def similarity(values, i, j, kind, scale):
    """Return the similarity of cells ``i`` and ``j`` (rows of ``values``). O(1)."""
    if kind == CATEGORICAL:
        return 1.0 if values[i, 0] == values[j, 0] else 0.0
    if kind == CONTINUOUS:
        return 1.0 - abs(values[i, 0] - values[j, 0]) / scale
    return values[i, 0] * values[j, 0] + values[i, 1] * values[j, 1]


@njit(cache=True, nogil=True)
def edge_similarity_sum(pre, post, values, kind, scale):
    """Return the sum over edges ``pre[k] -> post[k]`` of the similarity of their ends.

    Summed in edge order, so the same values give the same float. O(m).
    """
    total = 0.0
    for k in range(pre.size):
        total += similarity(values, pre[k], post[k], kind, scale)
    return total


@njit(cache=True, nogil=True)
def _shuffle_into(values, order, start, out, state):
    # Fisher-Yates within each stratum: the rows out[order[lo:hi]] are a uniform
    # permutation of the rows values[order[lo:hi]].
    width = values.shape[1]
    for s in range(start.size - 1):
        lo = start[s]
        hi = start[s + 1]
        for k in range(lo, hi):
            for c in range(width):
                out[order[k], c] = values[order[k], c]
        for k in range(hi - 1, lo, -1):
            r = lo + bounded(state, k - lo + 1)
            i = order[k]
            j = order[r]
            for c in range(width):
                out[i, c], out[j, c] = out[j, c], out[i, c]


@njit(cache=True, nogil=True)
def shuffle_within_strata(values, order, start, state):
    """Return a copy of ``values`` whose rows are permuted at random within each stratum.

    Parameters
    ----------
    values : float64 array (t, w)
    order : int64 array (t,)
        The cells sorted by stratum; stratum ``s`` is ``order[start[s]:start[s + 1]]``.
    start : int64 array (S + 1,)
    state : uint64 array (4,)
        A :mod:`~connectome_motifs.nullmodels.kernels.random_bits` state, advanced.

    Notes
    -----
    Fisher–Yates within each stratum, O(t).
    """
    out = np.empty_like(values)
    _shuffle_into(values, order, start, out, state)
    return out


@njit(cache=True, nogil=True, parallel=True)
def permuted_similarity_sums(pre, post, values, order, start, kind, scale, states):
    """Return the edge similarity sum after each of ``len(states)`` shuffles within strata.

    Parameters
    ----------
    pre, post : int64 arrays (m,)
        Edges between tested cells.
    values : float64 array (t, 2)
    order, start : int64 arrays
        The strata (see :func:`shuffle_within_strata`).
    kind : int
    scale : float
    states : uint64 array (N, 4)
        One random state per permutation, advanced in place.

    Returns
    -------
    float64 array (N,)

    Notes
    -----
    O(N (t + m)) time, in parallel over permutations; O(t) memory per permutation.
    """
    n_perm = states.shape[0]
    out = np.empty(n_perm)
    for p in prange(n_perm):
        shuffled = np.empty_like(values)
        _shuffle_into(values, order, start, shuffled, states[p])
        out[p] = edge_similarity_sum(pre, post, shuffled, kind, scale)
    return out


@njit(cache=True, nogil=True)
def rank_product(x, y):
    """Return ``sum_i x[i] y[i]``, summed in index order. O(t)."""
    total = 0.0
    for i in range(x.size):
        total += x[i] * y[i]
    return total


@njit(cache=True, nogil=True, parallel=True)
def permuted_rank_products(x, y, order, start, states):
    """Return ``sum_i x[i] y[pi(i), 0]`` for a shuffle ``pi`` of ``y`` within strata, per state.

    ``x`` has shape ``(t,)``, ``y`` ``(t, 1)``. With centred ranks ``x`` and ``y`` divided
    by the root of the product of their sums of squares, each entry is the Spearman
    correlation of ``x`` with the shuffled ``y`` (a shuffle keeps the multiset of ``y``).
    O(N t), in parallel over permutations.
    """
    n_perm = states.shape[0]
    out = np.empty(n_perm)
    for p in prange(n_perm):
        shuffled = np.empty_like(y)
        _shuffle_into(y, order, start, shuffled, states[p])
        out[p] = rank_product(x, shuffled[:, 0])
    return out


@njit(cache=True, nogil=True, parallel=True)
def pair_similarity_moments(positions, values, codes, n_codes, kind, scale, resolution,
                            n_bins, n_chunks, lo, hi):
    """Return ordered pairs, summed similarity and summed squared similarity per key.

    Over the pairs ``i < j`` with ``lo <= i < hi``: a caller sums the blocks of rows it
    splits ``0 .. t`` into, to show progress between them.

    The key of ordered pair ``i -> j`` is ``(codes[i] * n_codes + codes[j]) * n_bins +
    int(d_ij / resolution)`` (the distance bin of
    :func:`~connectome_motifs.nullmodels.kernels.spatial.distance_bin`).

    Parameters
    ----------
    positions : float64 array (t, dims)
    values : float64 array (t, 2)
    codes : int64 array (t,)
        Stratum of each cell (all 0 for none).
    n_codes : int
    kind : int
    scale : float
    resolution : float
    n_bins : int
        Must exceed the largest pair's bin.
    n_chunks : int
        Shares of the rows summed in parallel, each into its own arrays; the sums depend
        on ``n_chunks`` (float rounding) but not on the threads.
    lo, hi : int
        The rows ``i`` whose pairs are summed.

    Returns
    -------
    pairs : int64 array (n_codes² n_bins,)
    sums, squares : float64 arrays (n_codes² n_bins,)

    Notes
    -----
    O((hi - lo) t dims) time over the unordered pairs (each counted for both orders),
    O(n_chunks n_codes² n_bins) memory; no t × t matrix.
    """
    t = positions.shape[0]
    n_keys = n_codes * n_codes * n_bins
    pairs = np.zeros((n_chunks, n_keys), dtype=np.int64)
    sums = np.zeros((n_chunks, n_keys))
    squares = np.zeros((n_chunks, n_keys))
    for c in prange(n_chunks):
        for i in range(lo + c, hi, n_chunks):
            for j in range(i + 1, t):
                b = distance_bin(positions, i, j, resolution)
                s = similarity(values, i, j, kind, scale)
                forward = (codes[i] * n_codes + codes[j]) * n_bins + b
                backward = (codes[j] * n_codes + codes[i]) * n_bins + b
                if forward == backward:
                    # Both orders in one key (always without strata): half the writes.
                    pairs[c, forward] += 2
                    sums[c, forward] += 2.0 * s
                    squares[c, forward] += 2.0 * s * s
                    continue
                pairs[c, forward] += 1
                pairs[c, backward] += 1
                sums[c, forward] += s
                sums[c, backward] += s
                squares[c, forward] += s * s
                squares[c, backward] += s * s
    total_pairs = np.zeros(n_keys, dtype=np.int64)
    total_sums = np.zeros(n_keys)
    total_squares = np.zeros(n_keys)
    for c in range(n_chunks):
        for k in range(n_keys):
            total_pairs[k] += pairs[c, k]
            total_sums[k] += sums[c, k]
            total_squares[k] += squares[c, k]
    return total_pairs, total_sums, total_squares
