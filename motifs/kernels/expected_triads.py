"""Expected number of triples of each labelled triad code under independent dyads (numba)."""

import numpy as np
from numba import njit, prange

__all__ = ["expected_triad_codes"]


@njit(cache=True, nogil=True, inline="always")
def _state_probabilities(one_way, reciprocal, x, y, out):
    # States of the pair {x, y} with x < y, coded as in motifs.catalogue.tricode:
    # 0 unconnected, 1 x -> y only, 2 y -> x only, 3 reciprocal.
    out[1] = one_way[x, y]
    out[2] = one_way[y, x]
    out[3] = reciprocal[x, y]
    out[0] = 1.0 - out[1] - out[2] - out[3]


@njit(cache=True, nogil=True, parallel=True)
def expected_triad_codes(one_way, reciprocal):
    """Return the expected number of triples ``i < j < k`` with each of the 64 tricodes.

    Parameters
    ----------
    one_way : float64 array (n, n)
        ``one_way[x, y]``: probability of ``x -> y`` without ``y -> x``.
    reciprocal : float64 array (n, n)
        Probability of both edges, symmetric.

    Returns
    -------
    float64 array (64,)
        Entry ``c`` is the expected number of triples whose labelled triad, nodes
        ``i, j, k`` taken as 0, 1, 2, has code ``c``
        (:func:`connectome_motifs.motifs.catalogue.tricode`).

    Notes
    -----
    For each pair ``i < j`` the 16 sums over ``k > j`` of ``P(s_ik = a) P(s_jk = b)`` are
    accumulated first, then weighted by ``P(s_ij = s)``: 16 products per triple and 64
    per pair, O(n³) in all. Rows ``i`` run in parallel into their own partial sums,
    which are added in order, so the result does not depend on the thread count.
    """
    n = one_way.shape[0]
    partial = np.zeros((n, 64))
    for i in prange(n):
        p_ij = np.empty(4)
        p_ik = np.empty(4)
        p_jk = np.empty(4)
        acc = np.empty((4, 4))
        for j in range(i + 1, n):
            acc[:, :] = 0.0
            for k in range(j + 1, n):
                _state_probabilities(one_way, reciprocal, i, k, p_ik)
                _state_probabilities(one_way, reciprocal, j, k, p_jk)
                for a in range(4):
                    for b in range(4):
                        acc[a, b] += p_ik[a] * p_jk[b]
            _state_probabilities(one_way, reciprocal, i, j, p_ij)
            for s in range(4):
                for a in range(4):
                    for b in range(4):
                        partial[i, s | (a << 2) | (b << 4)] += p_ij[s] * acc[a, b]
    total = np.zeros(64)
    for i in range(n):
        total += partial[i]
    return total
