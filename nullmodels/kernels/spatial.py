"""Distance-dependent pairs (numba): pair-distance histograms and a voxel-grid sampler.

Every kernel bins a distance ``d`` as ``int(d / resolution)``, ``d`` computed by the same
function, so a pair lands in the same bin in the fit and in every sample. Probabilities
come as a table ``(n_groups², n_bins)``: ordered pair ``i -> j`` reads row
``codes[i] * n_groups + codes[j]`` (one row, all codes 0, without groups).
"""

import numpy as np
from numba import njit, prange

from connectome_motifs.nullmodels.kernels.random_bits import next_success, uniform

__all__ = [
    "distance_bin",
    "distance_bins_of_edges",
    "group_pair_distance_histogram",
    "pair_distance_histogram",
    "pair_probability_rows",
    "sample_distance_dependent",
]


@njit(cache=True, nogil=True, inline="always")
def distance_bin(positions, i, j, resolution):
    """Return the distance bin ``int(d_ij / resolution)`` of nodes ``i`` and ``j``. O(dims)."""
    squared = 0.0
    for axis in range(positions.shape[1]):
        delta = positions[i, axis] - positions[j, axis]
        squared += delta * delta
    return np.int64(np.sqrt(squared) / resolution)


@njit(cache=True, nogil=True, parallel=True)
def pair_distance_histogram(positions, resolution, n_bins, n_chunks):
    """Return the number of unordered pairs ``i < j`` in each distance bin.

    Parameters
    ----------
    positions : float64 array (n, dims)
    resolution : float
        Bin width; pair ``{i, j}`` counts in bin ``int(d_ij / resolution)``.
    n_bins : int
        Bins; must exceed the largest pair's bin.
    n_chunks : int
        Shares of the rows counted in parallel, each into its own histogram.

    Returns
    -------
    int64 array (n_bins,)

    Notes
    -----
    O(n² dims) time, O(n_chunks · n_bins) memory: chunk ``t`` counts rows ``t``,
    ``t + n_chunks``, …; integer sums do not depend on the chunks or threads.
    """
    n = positions.shape[0]
    partial = np.zeros((n_chunks, n_bins), dtype=np.int64)
    for t in prange(n_chunks):
        for i in range(t, n, n_chunks):
            for j in range(i + 1, n):
                partial[t, distance_bin(positions, i, j, resolution)] += 1
    return partial.sum(axis=0)


@njit(cache=True, nogil=True, parallel=True)
def group_pair_distance_histogram(positions, members, group_start, resolution, n_bins,
                                  n_chunks):
    """Return the number of ordered pairs ``i -> j`` per source group, target group and bin.

    Parameters
    ----------
    positions : float64 array (n, dims)
    members : int64 array (n,)
        The nodes ordered by group; group ``g`` holds
        ``members[group_start[g]:group_start[g + 1]]``.
    group_start : int64 array (G + 1,)
    resolution : float
    n_bins : int
        Bins; must exceed the largest pair's bin.
    n_chunks : int
        Shares of each group's rows counted in parallel, each into its own histogram.

    Returns
    -------
    int64 array (G, G, n_bins)
        Symmetric in its first two axes; ``out[g, g]`` counts each unordered pair of
        group ``g`` twice (its two ordered pairs).

    Notes
    -----
    O(n² dims + G² n_chunks n_bins) time, O(G² n_bins + n_chunks n_bins) memory: the
    pairs of each unordered group pair are counted in turn, in parallel over rows.
    """
    n_groups = group_start.size - 1
    out = np.zeros((n_groups, n_groups, n_bins), dtype=np.int64)
    for g in range(n_groups):
        for h in range(g, n_groups):
            g0 = group_start[g]
            rows = group_start[g + 1] - g0
            partial = np.zeros((n_chunks, n_bins), dtype=np.int64)
            for t in prange(n_chunks):
                for r in range(t, rows, n_chunks):
                    i = members[g0 + r]
                    first = g0 + r + 1 if g == h else group_start[h]
                    for c in range(first, group_start[h + 1]):
                        partial[t, distance_bin(positions, i, members[c], resolution)] += 1
            counts = partial.sum(axis=0)
            if g == h:
                out[g, g] = 2 * counts
            else:
                out[g, h] = counts
                out[h, g] = counts
    return out


@njit(cache=True, nogil=True)
def distance_bins_of_edges(positions, pre, post, resolution):
    """Return the distance bin of every edge ``pre[k] -> post[k]``. O(m dims)."""
    bins = np.empty(pre.size, dtype=np.int64)
    for k in range(pre.size):
        bins[k] = distance_bin(positions, pre[k], post[k], resolution)
    return bins


@njit(cache=True, nogil=True, parallel=True)
def pair_probability_rows(positions, codes, n_groups, start, stop, table, resolution):
    """Return ``p[i, j]`` for rows ``start <= i < stop``: the table's p of pair i -> j.

    Returns
    -------
    float64 array (stop - start, n)
        Zero on the diagonal. O((stop - start) n dims).
    """
    n = positions.shape[0]
    out = np.zeros((stop - start, n))
    for row in prange(stop - start):
        i = start + row
        base = codes[i] * n_groups
        for j in range(n):
            if j != i:
                out[row, j] = table[base + codes[j], distance_bin(positions, i, j, resolution)]
    return out


@njit(cache=True, nogil=True, inline="always")
def _range_max(table, lo, hi):
    # Largest entry of the sparse table's base row over bins lo..hi (inclusive).
    level = 0
    while (2 << level) <= hi - lo + 1:
        level += 1
    return max(table[level, lo], table[level, hi - (1 << level) + 1])


@njit(cache=True, nogil=True)
def _grow(buffer):
    out = np.empty(2 * buffer.size, dtype=buffer.dtype)
    out[: buffer.size] = buffer
    return out


@njit(cache=True, nogil=True)
def sample_distance_dependent(positions, codes, n_groups, table, members, voxel_start,
                              voxel_coords, side, range_max, resolution, capacity, state):
    """Return ``(pre, post)`` of a graph whose ordered pairs connect independently by p(d).

    Ordered pair ``i -> j`` is connected with probability
    ``table[codes[i] * n_groups + codes[j], int(d_ij / resolution)]``, independently of
    every other ordered pair.

    Parameters
    ----------
    positions : float64 array (n, dims)
    codes : int32 array (n,)
        Each node's group.
    n_groups : int
    table : float64 array (n_groups², n_bins)
        p per ordered group pair and bin.
    members : int64 array (n,)
        The nodes ordered by voxel; voxel ``v`` holds
        ``members[voxel_start[v]:voxel_start[v + 1]]``.
    voxel_start : int64 array (V + 1,)
    voxel_coords : int64 array (V, dims)
        Integer grid coordinates of the non-empty voxels, cubes of edge ``side``.
    side : float
    range_max : float64 array (levels, n_bins)
        Sparse table of the envelope ``max`` over the rows of ``table``: row ``k``, entry
        ``b`` is its largest value over bins ``b .. b + 2**k - 1``.
    resolution : float
    capacity : int
        Initial size of the edge buffers (they grow when needed).
    state : uint64 array (4,)
        A :mod:`~connectome_motifs.nullmodels.kernels.random_bits` state.

    Notes
    -----
    For each ordered pair of voxels the bins their nodes' distances can fall in are
    bounded from the voxels' coordinates; the largest ``p`` there, ``p_max``, is a bound
    for all their node pairs. Candidates among those pairs are found by geometric
    skipping with ``p_max`` (Batagelj & Brandes 2005) and each is kept with probability
    ``p / p_max``, so each pair is connected with probability ``p`` exactly. O(V² dims +
    n + candidates), candidates being Σ over voxel pairs of pairs × ``p_max``; with
    groups ``p_max`` bounds every group pair, so candidates exceed edges by at most the
    ratio of the envelope to the group pairs' p(d).
    """
    n_voxels = voxel_coords.shape[0]
    dims = voxel_coords.shape[1]
    n_bins = range_max.shape[1]
    pre = np.empty(capacity, dtype=np.int64)
    post = np.empty(capacity, dtype=np.int64)
    count = 0
    for a in range(n_voxels):
        a0 = voxel_start[a]
        size_a = voxel_start[a + 1] - a0
        for b in range(n_voxels):
            b0 = voxel_start[b]
            size_b = voxel_start[b + 1] - b0
            near = 0.0
            far = 0.0
            for axis in range(dims):
                offset = abs(voxel_coords[a, axis] - voxel_coords[b, axis])
                gap = max(offset - 1, 0) * side
                span = (offset + 1) * side
                near += gap * gap
                far += span * span
            # One bin of slack each way for rounding in the distances.
            lo = min(max(np.int64(np.sqrt(near) / resolution) - 1, 0), n_bins - 1)
            hi = min(np.int64(np.sqrt(far) / resolution) + 1, n_bins - 1)
            bound = _range_max(range_max, lo, hi)
            if bound <= 0.0:
                continue
            same = a == b
            columns = size_b - 1 if same else size_b
            n_pairs = size_a * columns
            if n_pairs == 0:
                continue
            log_miss = np.log1p(-bound) if bound < 1.0 else -np.inf
            k = next_success(-1, n_pairs, bound, log_miss, state)
            while k < n_pairs:
                row = k // columns
                column = k % columns
                if same and column >= row:
                    column += 1
                i = members[a0 + row]
                j = members[b0 + column]
                p = table[codes[i] * n_groups + codes[j],
                          distance_bin(positions, i, j, resolution)]
                if p >= bound or uniform(state) * bound < p:
                    if count == pre.size:
                        pre = _grow(pre)
                        post = _grow(post)
                    pre[count] = i
                    post[count] = j
                    count += 1
                k = next_success(k, n_pairs, bound, log_miss, state)
    return pre[:count], post[:count]
