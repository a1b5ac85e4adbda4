"""Block-level sums behind the exact variance of the triad census of independent dyads (numba).

Nodes fall in ``K`` blocks; ``pi[s, a, e]`` is the probability that a pair of nodes of
blocks ``a`` and ``e``, read from the ``a`` node, is in state ``s`` (0 none, 1 forward
only, 2 backward only, 3 both). For an ordered pair of nodes ``(i, j)`` of blocks
``(a, b)`` and a third node ``k`` of block ``e``, the triad ``{i, j, k}`` has tricode
``s | u << 2 | w << 4`` with ``s`` the state of ``ij``, ``u`` of ``ik`` and ``w`` of ``jk``
(:func:`connectome_motifs.motifs.catalogue.tricode`).
"""

import numpy as np
from numba import njit, prange

__all__ = ["COMBINATIONS", "code_pairs", "pair_moment_sums"]

#: The unordered state pairs ``(u, u')``, ``u <= u'``, indexing the products of moments.
COMBINATIONS = tuple((u, v) for u in range(4) for v in range(u, 4))


def _combination_index() -> np.ndarray:
    index = np.zeros((4, 4), dtype=np.int64)
    for k, (u, v) in enumerate(COMBINATIONS):
        index[u, v] = index[v, u] = k
    return index


def code_pairs(code_class: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the pairs of tricodes of one class, as the arrays the kernel reads.

    Returns ``(classes, s1, s2, alpha, beta)``, int64, one entry per ordered pair of
    tricodes ``(s1 | u1 << 2 | w1 << 4, s2 | u2 << 2 | w2 << 4)`` of equal class:
    that class, the two ``ij`` states and the :data:`COMBINATIONS` indices of
    ``(u1, u2)`` and ``(w1, w2)`` (312 pairs for the 16 triad classes).
    """
    index = _combination_index()
    rows = []
    for c1 in range(64):
        for c2 in range(64):
            if code_class[c1] == code_class[c2]:
                s1, u1, w1 = c1 & 3, (c1 >> 2) & 3, c1 >> 4
                s2, u2, w2 = c2 & 3, (c2 >> 2) & 3, c2 >> 4
                rows.append((code_class[c1], s1, s2, index[u1, u2], index[w1, w2]))
    table = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return tuple(np.ascontiguousarray(table[:, k]) for k in range(5))


@njit(cache=True, nogil=True, parallel=True)
def pair_moment_sums(pi, sizes, products, moments, start, code_class, classes, s1, s2,
                     alpha, beta, n_classes):
    """Return, for each row block ``a`` from ``start`` to ``start + R``, its term of Var(T_c).

    Parameters
    ----------
    pi : float64 (4, K, K)
        State probabilities by block pair.
    sizes : float64 (K,)
        Nodes per block.
    products : float64 (10, K, K)
        ``products[x, a, e] = pi[u, a, e] pi[u', a, e]`` for ``(u, u') = COMBINATIONS[x]``.
    moments : float64 (10, R, 10, K)
        ``moments[x, r, y, b] = Σ_e sizes[e] products[x, start + r, e] products[y, b, e]``
        (a matrix product; the terms of ``e = a`` and ``e = b``, the nodes ``i`` and ``j``
        themselves, are removed here).
    code_class : int64 (64,)
        Triad class of each tricode.
    classes, s1, s2, alpha, beta : int64
        From :func:`code_pairs`.

    Returns
    -------
    float64 (R, n_classes)
        Row ``r``: ``Σ_b w_ab (S1/6 + S2/3 + VF/2 - S3/2)`` for ``a = start + r``, with
        ``w_ab`` the ordered node pairs of blocks ``(a, b)``, ``S1 = Σ_k p``,
        ``S2 = Σ_k p²``, ``S3 = Σ_k E_s[f(s)²]`` over the third nodes ``k`` and
        ``VF = Var_s Σ_k f(s)``, ``f(s)`` being the probability that the triad is in the
        class given the state ``s`` of ``ij`` and ``p = E_s f(s)``.

    Notes
    -----
    O(K (312 + 64 + 16 · 16)) per row; each row is summed by one thread in a fixed order.
    """
    k = sizes.size
    rows = moments.shape[1]
    out = np.zeros((rows, n_classes))
    for r in prange(rows):
        a = start + r
        mp = np.empty((10, 10))
        g = np.empty((4, 4))
        f = np.empty((4, n_classes))
        s1_sum = np.empty(n_classes)
        s2_sum = np.empty(n_classes)
        s3_sum = np.empty(n_classes)
        total = np.zeros(n_classes)
        for b in range(k):
            w_ab = sizes[a] * (sizes[b] - (1.0 if a == b else 0.0))
            if w_ab <= 0.0:
                continue
            for x in range(10):
                for y in range(10):
                    mp[x, y] = (moments[x, r, y, b] - products[x, a, a] * products[y, b, a]
                                - products[x, a, b] * products[y, b, b])
            # G(u, w) = Σ_k π_ik(u) π_jk(w): the moments summed over the second factors.
            for u in range(4):
                for w in range(4):
                    acc = 0.0
                    for v in range(4):
                        x = _index(u, v)
                        for z in range(4):
                            acc += mp[x, _index(w, z)]
                    g[u, w] = acc
            f[:, :] = 0.0
            for code in range(64):
                f[code & 3, code_class[code]] += g[(code >> 2) & 3, code >> 4]
            for c in range(n_classes):
                mean = 0.0
                square = 0.0
                for s in range(4):
                    mean += pi[s, a, b] * f[s, c]
                    square += pi[s, a, b] * f[s, c] * f[s, c]
                s1_sum[c] = mean
                total[c] += w_ab * 0.5 * (square - mean * mean)
                s2_sum[c] = 0.0
                s3_sum[c] = 0.0
            for q in range(classes.size):
                value = mp[alpha[q], beta[q]]
                c = classes[q]
                s2_sum[c] += pi[s1[q], a, b] * pi[s2[q], a, b] * value
                if s1[q] == s2[q]:
                    s3_sum[c] += pi[s1[q], a, b] * value
            for c in range(n_classes):
                total[c] += w_ab * (s1_sum[c] / 6.0 + s2_sum[c] / 3.0 - 0.5 * s3_sum[c])
        out[r, :] = total
    return out


@njit(cache=True, nogil=True, inline="always")
def _index(u, v):
    # Position of (min, max) in COMBINATIONS: rows of 4, 3, 2, 1 entries.
    lo = min(u, v)
    hi = max(u, v)
    return lo * 4 - (lo * (lo - 1)) // 2 + (hi - lo)
