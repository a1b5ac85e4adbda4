"""Class-level sums of the maximum-entropy configuration models DBCM and RBCM (numba).

Nodes with equal constraints form a class ``c`` of ``m[c]`` nodes sharing multipliers; a
node of class ``c`` has ``m[d] - [c == d]`` partners in class ``d``. Every kernel sums over
the ``K x K`` class pairs, computing pair probabilities from the multipliers on the fly
(nothing ``K x K`` is stored), parallel over rows with one sequential sum per output entry,
so results do not depend on the thread count.

A ``support`` array of shape (K, K), uint8, fixes the pairs that every graph with the
observed constraints has alike (empty, shape (0, 0): none fixed).

DBCM: ``p(c -> d) = x_c y_d / (1 + x_c y_d)``, or 0 where ``support[c, d] == FORCED_ABSENT``
and 1 where ``support[c, d] == FORCED_PRESENT``; a zero multiplier gives probability 0.

RBCM: pair ``{i in c, j in d}`` is ``i -> j`` only, ``j -> i`` only, reciprocal and
unconnected with weights ``x_c y_d``, ``x_d y_c``, ``z_c z_d`` and 1 over their sum ``D``,
each weight kept only where its bit (``ONE_WAY``, ``OTHER_WAY``, ``RECIPROCAL``, ``NULL``)
of ``support[c, d]`` is set.
"""

import numpy as np
from numba import njit, prange

__all__ = [
    "FORCED_ABSENT",
    "FORCED_PRESENT",
    "NULL",
    "ONE_WAY",
    "OTHER_WAY",
    "RECIPROCAL",
    "dbcm_expected",
    "dbcm_hessian_product",
    "dbcm_objective",
    "dbcm_pair_states",
    "rbcm_expected",
    "rbcm_hessian_product",
    "rbcm_objective",
    "rbcm_pair_states",
]


#: DBCM support codes: the ordered pair is free, never present, always present.
FORCED_ABSENT = 1
FORCED_PRESENT = 2
#: RBCM support bits: the states a pair may take (c -> d only, d -> c only, both, none).
ONE_WAY = 1
OTHER_WAY = 2
RECIPROCAL = 4
NULL = 8


@njit(cache=True, nogil=True, inline="always")
def _dbcm_p(x, y, support, c, d):
    # Returns (probability, free): fixed pairs have no variance.
    if support.shape[0] > 0:
        code = support[c, d]
        if code == FORCED_ABSENT:
            return 0.0, False
        if code == FORCED_PRESENT:
            return 1.0, False
    t = x[c] * y[d]
    if t == 0.0:
        return 0.0, False
    return t / (1.0 + t), True


@njit(cache=True, nogil=True, parallel=True)
def dbcm_expected(x, y, support, m):
    """Return per-node expected out-, in-degree of each class and the Hessian's diagonal.

    Returns ``(out, in, diag_out, diag_in)``, each float64 (K,); ``diag`` is the diagonal
    of the class-level Hessian, ``m_c Σ_d (m_d - [c == d]) p (1 - p)``. O(K²).
    """
    k = x.size
    out = np.zeros(k)
    inn = np.zeros(k)
    diag_out = np.zeros(k)
    diag_in = np.zeros(k)
    for c in prange(k):
        s = 0.0
        h = 0.0
        for d in range(k):
            partners = m[d] - (1.0 if c == d else 0.0)
            p, _ = _dbcm_p(x, y, support, c, d)
            s += partners * p
            h += partners * p * (1.0 - p)
        out[c] = s
        diag_out[c] = m[c] * h
    for d in prange(k):
        s = 0.0
        h = 0.0
        for c in range(k):
            partners = m[c] - (1.0 if c == d else 0.0)
            p, _ = _dbcm_p(x, y, support, c, d)
            s += partners * p
            h += partners * p * (1.0 - p)
        inn[d] = s
        diag_in[d] = m[d] * h
    return out, inn, diag_out, diag_in


@njit(cache=True, nogil=True, parallel=True)
def dbcm_hessian_product(x, y, support, m, a, b):
    """Return the class-level Hessian of the DBCM log-partition times ``(a, b)``.

    ``a`` and ``b`` are directions of the log-multipliers ``log x`` and ``log y``; the
    Hessian is the covariance of the class degree sums. Returns two float64 (K,). O(K²).
    """
    k = x.size
    ha = np.zeros(k)
    hb = np.zeros(k)
    for c in prange(k):
        s = 0.0
        for d in range(k):
            p, _ = _dbcm_p(x, y, support, c, d)
            s += (m[d] - (1.0 if c == d else 0.0)) * p * (1.0 - p) * (a[c] + b[d])
        ha[c] = m[c] * s
    for d in prange(k):
        s = 0.0
        for c in range(k):
            p, _ = _dbcm_p(x, y, support, c, d)
            s += (m[c] - (1.0 if c == d else 0.0)) * p * (1.0 - p) * (a[c] + b[d])
        hb[d] = m[d] * s
    return ha, hb


@njit(cache=True, nogil=True, parallel=True)
def dbcm_objective(x, y, support, m):
    """Return the log-partition ``Σ_{c,d} m_c (m_d - [c == d]) log Z_cd``.

    ``Z = 1 + x_c y_d`` for a free pair, ``x_c y_d`` for one always present and 1 for one
    never present (or with a zero multiplier). O(K²).
    """
    k = x.size
    rows = np.zeros(k)
    for c in prange(k):
        s = 0.0
        for d in range(k):
            p, free = _dbcm_p(x, y, support, c, d)
            if free:
                s += (m[d] - (1.0 if c == d else 0.0)) * np.log1p(x[c] * y[d])
            elif p == 1.0:
                # A pair always present has the one state of weight x y.
                s += (m[d] - (1.0 if c == d else 0.0)) * np.log(x[c] * y[d])
        rows[c] = m[c] * s
    total = 0.0
    for c in range(k):
        total += rows[c]
    return total


@njit(cache=True, nogil=True, inline="always")
def _rbcm_weights(x, y, z, support, c, d):
    a = x[c] * y[d]
    b = x[d] * y[c]
    r = z[c] * z[d]
    null = 1.0
    if support.shape[0] > 0:
        bits = support[c, d]
        a = a if bits & ONE_WAY else 0.0
        b = b if bits & OTHER_WAY else 0.0
        r = r if bits & RECIPROCAL else 0.0
        null = 1.0 if bits & NULL else 0.0
    # (a + b) first so that D(c, d) == D(d, c) exactly.
    den = null + (a + b) + r
    return a, b, r, den


@njit(cache=True, nogil=True, parallel=True)
def rbcm_expected(x, y, z, support, m):
    """Return per-node expected out-only, in-only and reciprocal degrees, and diagonals.

    Returns ``(out, in, rec, diag_out, diag_in, diag_rec)``, float64 (K,); the diagonals
    (``m_c Σ_d (m_d - [c == d]) P (1 - P)`` for each state) precondition the Newton steps.
    O(K²).
    """
    k = x.size
    out = np.zeros(k)
    inn = np.zeros(k)
    rec = np.zeros(k)
    h_out = np.zeros(k)
    h_in = np.zeros(k)
    h_rec = np.zeros(k)
    for c in prange(k):
        so = 0.0
        si = 0.0
        sr = 0.0
        ho = 0.0
        hi = 0.0
        hr = 0.0
        for d in range(k):
            a, b, r, den = _rbcm_weights(x, y, z, support, c, d)
            if den == 0.0:
                continue
            partners = m[d] - (1.0 if c == d else 0.0)
            pa = a / den
            pb = b / den
            pr = r / den
            so += partners * pa
            si += partners * pb
            sr += partners * pr
            ho += partners * pa * (1.0 - pa)
            hi += partners * pb * (1.0 - pb)
            hr += partners * pr * (1.0 - pr)
        out[c] = so
        inn[c] = si
        rec[c] = sr
        h_out[c] = m[c] * ho
        h_in[c] = m[c] * hi
        h_rec[c] = m[c] * hr
    return out, inn, rec, h_out, h_in, h_rec


@njit(cache=True, nogil=True, parallel=True)
def rbcm_hessian_product(x, y, z, support, m, vx, vy, vz):
    """Return the class-level Hessian of the RBCM log-partition times ``(vx, vy, vz)``.

    The directions are of ``log x``, ``log y`` and ``log z``. For each ordered class pair
    the state statistics ``s`` (``vx_c + vy_d``, ``vx_d + vy_c``, ``vz_c + vz_d``, 0) give
    ``P_s (s - E s)``, summed into the entry of the row class's multiplier that the state
    involves. O(K²).
    """
    k = x.size
    hx = np.zeros(k)
    hy = np.zeros(k)
    hz = np.zeros(k)
    for c in prange(k):
        sx = 0.0
        sy = 0.0
        sz = 0.0
        for d in range(k):
            a, b, r, den = _rbcm_weights(x, y, z, support, c, d)
            if den == 0.0:
                continue
            partners = m[d] - (1.0 if c == d else 0.0)
            pa = a / den
            pb = b / den
            pr = r / den
            s1 = vx[c] + vy[d]
            s2 = vx[d] + vy[c]
            s3 = vz[c] + vz[d]
            mean = pa * s1 + pb * s2 + pr * s3
            sx += partners * pa * (s1 - mean)
            sy += partners * pb * (s2 - mean)
            sz += partners * pr * (s3 - mean)
        hx[c] = m[c] * sx
        hy[c] = m[c] * sy
        hz[c] = m[c] * sz
    return hx, hy, hz


@njit(cache=True, nogil=True, parallel=True)
def rbcm_objective(x, y, z, support, m):
    """Return ``½ Σ_{c,d} m_c (m_d - [c == d]) log D(c, d)``, the log-partition. O(K²)."""
    k = x.size
    rows = np.zeros(k)
    for c in prange(k):
        s = 0.0
        for d in range(k):
            _, _, _, den = _rbcm_weights(x, y, z, support, c, d)
            if den > 0.0:
                s += (m[d] - (1.0 if c == d else 0.0)) * np.log(den)
        rows[c] = m[c] * s
    total = 0.0
    for c in range(k):
        total += rows[c]
    return 0.5 * total


@njit(cache=True, nogil=True, parallel=True)
def dbcm_pair_states(x, y, support):
    """Return ``(one_way, reciprocal)`` by class, ``p_cd (1 - p_dc)`` and ``p_cd p_dc``. O(K²)."""
    k = x.size
    one_way = np.empty((k, k))
    reciprocal = np.empty((k, k))
    for c in prange(k):
        for d in range(k):
            p, _ = _dbcm_p(x, y, support, c, d)
            q, _ = _dbcm_p(x, y, support, d, c)
            one_way[c, d] = p * (1.0 - q)
            # min/max order makes the product exactly symmetric.
            reciprocal[c, d] = min(p, q) * max(p, q)
    return one_way, reciprocal


@njit(cache=True, nogil=True, parallel=True)
def rbcm_pair_states(x, y, z, support):
    """Return ``(one_way, reciprocal)`` by class: ``x_c y_d / D`` and ``z_c z_d / D``. O(K²)."""
    k = x.size
    one_way = np.empty((k, k))
    reciprocal = np.empty((k, k))
    for c in prange(k):
        for d in range(k):
            a, _, r, den = _rbcm_weights(x, y, z, support, c, d)
            one_way[c, d] = a / den if den > 0.0 else 0.0
            reciprocal[c, d] = r / den if den > 0.0 else 0.0
    return one_way, reciprocal
