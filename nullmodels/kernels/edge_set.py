"""Sets of edge keys ``pre * n + post`` for numba kernels: a bitset or an open-addressing hash.

A dense set is an int64 array of ``ceil(n² / 64)`` words, one bit per ordered pair; a
hash set is an int64 table of keys (``EMPTY`` where free) with linear probing at load
factor at most 1/2. Every operation takes ``dense`` to say which one ``table`` is; the
branch is the same on every call, so it costs nothing.
"""

import numpy as np
from numba import njit

from connectome_motifs.nullmodels.kernels.prefetch import prefetch

__all__ = [
    "EMPTY",
    "edge_set_add",
    "edge_set_contains",
    "edge_set_from_csr",
    "edge_set_prefetch",
    "edge_set_remove",
    "prefer_dense",
]

EMPTY = -1

_DENSE_BYTES = 1 << 17


def prefer_dense(n: int, m: int) -> bool:
    """Return whether a bitset is the better set for ``n`` nodes and ``m`` edges.

    The bitset when it is small (at most 128 KiB) or no larger than the hash table: both
    touch one cache line per operation, so the smaller set misses the cache less, and a
    sampler copies the set for every sample.
    """
    capacity = 16
    while capacity < 2 * m:
        capacity *= 2
    dense_bytes = (n * n + 63) // 64 * 8
    return dense_bytes <= max(_DENSE_BYTES, 8 * capacity)


@njit(cache=True, nogil=True, inline="always")
def _home(key, mask):
    # splitmix64 finaliser: spreads the structured keys (rows of consecutive targets) evenly.
    h = np.uint64(key)
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    h = h ^ (h >> np.uint64(31))
    return np.int64(h & np.uint64(mask))


@njit(cache=True, nogil=True, inline="always")
def _bit(key):
    return np.int64(1) << (key & 63)


@njit(cache=True, nogil=True, inline="always")
def edge_set_contains(table, key, dense):
    """Return whether ``key`` is in the set. O(1) (expected, for a hash set)."""
    if dense:
        return (table[key >> 6] & _bit(key)) != 0
    mask = table.size - 1
    i = _home(key, mask)
    while True:
        k = table[i]
        if k == key:
            return True
        if k == EMPTY:
            return False
        i = (i + 1) & mask


@njit(cache=True, nogil=True, inline="always")
def edge_set_prefetch(table, key, dense):
    """Hint that ``key`` will soon be looked up, added or removed. O(1), no effect on the set."""
    if dense:
        prefetch(table, key >> 6)
    else:
        prefetch(table, _home(key, table.size - 1))


@njit(cache=True, nogil=True, inline="always")
def edge_set_add(table, key, dense):
    """Insert ``key``, which must be absent (the callers test membership first)."""
    if dense:
        table[key >> 6] |= _bit(key)
        return
    mask = table.size - 1
    i = _home(key, mask)
    while table[i] != EMPTY:
        i = (i + 1) & mask
    table[i] = key


@njit(cache=True, nogil=True, inline="always")
def edge_set_remove(table, key, dense):
    """Remove ``key``, which must be present; a hash set shifts entries back into the hole."""
    if dense:
        table[key >> 6] &= ~_bit(key)
        return
    mask = table.size - 1
    i = _home(key, mask)
    while table[i] != key:
        i = (i + 1) & mask
    j = i
    while True:
        j = (j + 1) & mask
        k = table[j]
        if k == EMPTY:
            break
        home = _home(k, mask)
        # The entry at j may move into the hole at i unless its home lies cyclically in (i, j].
        if i <= j:
            stays = i < home <= j
        else:
            stays = home > i or home <= j
        if not stays:
            table[i] = k
            i = j
    table[i] = EMPTY


@njit(cache=True, nogil=True)
def edge_set_from_csr(indptr, indices, n, dense):
    """Return the set of every edge of a CSR graph. O(n² / 64 + m) dense, O(m) hashed."""
    m = indices.size
    if dense:
        table = np.zeros((np.int64(n) * n + 63) // 64, dtype=np.int64)
    else:
        capacity = 16
        while capacity < 2 * m:
            capacity *= 2
        table = np.full(capacity, EMPTY, dtype=np.int64)
    for a in range(indptr.size - 1):
        for s in range(indptr[a], indptr[a + 1]):
            edge_set_add(table, np.int64(a) * n + indices[s], dense)
    return table
