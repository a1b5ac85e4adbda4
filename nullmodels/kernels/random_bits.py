"""A xoshiro256** generator for numba kernels, seeded from a numpy Generator.

Calling a ``numpy.random.Generator`` from numba costs tens of nanoseconds per draw; the
swap chains draw several numbers per step, so they carry their own small generator whose
state (four uint64 words) is drawn from the caller's Generator.
"""

import numpy as np
from numba import njit

__all__ = ["bounded", "new_state", "next_success", "next_u64", "uniform"]

_U32 = np.uint64(0xFFFFFFFF)


def new_state(rng: np.random.Generator) -> np.ndarray:
    """Return a fresh xoshiro256** state (uint64, shape (4,), not all zero) drawn from ``rng``."""
    while True:
        state = rng.integers(0, 2**64, size=4, dtype=np.uint64, endpoint=False)
        if state.any():
            return state


@njit(cache=True, nogil=True, inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, nogil=True, inline="always")
def next_u64(state):
    """Return the next 64 random bits and advance ``state`` (xoshiro256**, Blackman & Vigna)."""
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    result = _rotl(s1 * np.uint64(5), 7) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return result


@njit(cache=True, nogil=True, inline="always")
def uniform(state):
    """Return a float uniform on [0, 1) with 53 random bits."""
    return np.float64(next_u64(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True, inline="always")
def bounded(state, bound):
    """Return an int uniform on [0, ``bound``) exactly (``1 <= bound``).

    Lemire's multiply-and-reject for bounds below 2**32, rejection of masked 64-bit words
    above.
    """
    b = np.uint64(bound)
    if b <= _U32:
        x = (next_u64(state) >> np.uint64(32)) * b
        low = x & _U32
        if low < b:
            threshold = (np.uint64(1) << np.uint64(32)) % b
            while low < threshold:
                x = (next_u64(state) >> np.uint64(32)) * b
                low = x & _U32
        return np.int64(x >> np.uint64(32))
    top = b - np.uint64(1)
    shift = 0
    while top >> np.uint64(shift) != np.uint64(0):
        shift += 1
    mask = (np.uint64(1) << np.uint64(shift)) - np.uint64(1) if shift < 64 else ~np.uint64(0)
    while True:
        x = next_u64(state) & mask
        if x < b:
            return np.int64(x)


@njit(cache=True, nogil=True, inline="always")
def next_success(k, n, p, log_miss, state):
    """Return the next success after trial ``k`` of ``n`` Bernoulli(``p``) trials, or ``n``.

    Geometric skipping (Batagelj & Brandes 2005): one uniform number per success when
    ``p < 1`` (``log_miss`` is ``log(1 - p)``), none when ``p >= 1``, where every trial
    succeeds. O(1).
    """
    if p >= 1.0:
        return min(np.int64(k) + 1, np.int64(n))
    skip = np.floor(np.log(1.0 - uniform(state)) / log_miss)
    if k + 1.0 + skip >= n:
        return np.int64(n)
    return np.int64(k) + 1 + np.int64(skip)
