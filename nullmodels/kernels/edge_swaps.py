"""Switch-and-hold Markov chains of edge swaps and directed-triangle reversals (numba)."""

import numpy as np
from numba import njit

from nullmodels.kernels.edge_set import (
    edge_set_add,
    edge_set_contains,
    edge_set_remove,
)
from nullmodels.kernels.random_bits import bounded, uniform

__all__ = [
    "DEGREES",
    "NODE_RECIPROCITY",
    "RECIPROCAL_PAIRS",
    "edge_overlap",
    "sort_rows",
    "switch_and_hold",
    "trace_chain",
    "transitive_triangles",
]

# What a chain keeps besides every node's in- and out-degree.
DEGREES = 0
RECIPROCAL_PAIRS = 1  # the number of reciprocal pairs
NODE_RECIPROCITY = 2  # every node's reciprocal, in-only and out-only degree


@njit(cache=True, nogil=True, inline="always")
def _has(table, dense, n, a, b):
    return edge_set_contains(table, np.int64(a) * n + b, dense)


@njit(cache=True, nogil=True, inline="always")
def _move(table, dense, n, a, b, c):
    # Replace the edge a -> b by a -> c in the set.
    edge_set_remove(table, np.int64(a) * n + b, dense)
    edge_set_add(table, np.int64(a) * n + c, dense)


@njit(cache=True, nogil=True, inline="always")
def _slot_of(indptr, targets, a, b):
    for s in range(indptr[a], indptr[a + 1]):
        if targets[s] == b:
            return s
    return -1


@njit(cache=True, nogil=True, inline="always")
def _triangle_reversal(indptr, sources, targets, table, dense, n, state):
    # Propose reversing a directed 3-cycle a -> b -> c -> a: a uniform slot a -> b, then a
    # uniform out-slot b -> c of b. Summed over the cycle's three starting edges the proposal
    # probability is (1/d_a + 1/d_b + 1/d_c) / m in out-degrees d, which the reversal keeps,
    # so the reverse move is proposed with the same probability.
    m = targets.size
    s1 = bounded(state, m)
    a = sources[s1]
    b = targets[s1]
    lo = indptr[b]
    d_b = indptr[b + 1] - lo
    if d_b == 0:
        return False
    s2 = lo + bounded(state, d_b)
    c = targets[s2]
    if c == a or not _has(table, dense, n, c, a):
        return False
    if _has(table, dense, n, a, c) or _has(table, dense, n, c, b) or _has(table, dense, n, b, a):
        return False
    s3 = _slot_of(indptr, targets, c, a)
    _move(table, dense, n, a, b, c)
    _move(table, dense, n, b, c, a)
    _move(table, dense, n, c, a, b)
    targets[s1] = c
    targets[s2] = a
    targets[s3] = b
    return True


@njit(cache=True, nogil=True, inline="always")
def _two_swap(indptr, sources, targets, table, dense, n, constraint, reciprocal_slot, state):
    # Propose (a -> b, c -> d) -> (a -> d, c -> b) for two uniform slots. Each slot keeps its
    # source, so out-degrees and the slot ranges never change; the reverse swap is proposed
    # by the same two slots with the same probability.
    m = targets.size
    s1 = bounded(state, m)
    s2 = bounded(state, m)
    if s1 == s2:
        return False
    a = sources[s1]
    b = targets[s1]
    c = sources[s2]
    d = targets[s2]
    # Also rejects a == c (a -> d exists) and b == d (a -> b exists).
    if a == d or c == b or _has(table, dense, n, a, d) or _has(table, dense, n, c, b):
        return False
    if constraint == RECIPROCAL_PAIRS:
        # The four pairs {a,b}, {c,d}, {a,d}, {c,b} are distinct and the swap touches none of
        # the reverse edges, so this is the change in the number of reciprocal pairs.
        delta = (
            np.int64(_has(table, dense, n, d, a))
            + np.int64(_has(table, dense, n, b, c))
            - np.int64(_has(table, dense, n, b, a))
            - np.int64(_has(table, dense, n, d, c))
        )
        if delta != 0:
            return False
    elif constraint == NODE_RECIPROCITY:
        if reciprocal_slot[s1] != reciprocal_slot[s2]:
            return False
        # A new pair must be empty both ways, in either layer.
        if _has(table, dense, n, d, a) or _has(table, dense, n, b, c):
            return False
        if reciprocal_slot[s1]:
            # Undirected swap in the reciprocal layer: {a,b}, {c,d} -> {a,d}, {c,b}.
            t1 = _slot_of(indptr, targets, b, a)
            t2 = _slot_of(indptr, targets, d, c)
            _move(table, dense, n, b, a, c)
            _move(table, dense, n, d, c, a)
            targets[t1] = c
            targets[t2] = a
    _move(table, dense, n, a, b, d)
    _move(table, dense, n, c, d, b)
    targets[s1] = d
    targets[s2] = b
    return True


@njit(cache=True, nogil=True)
def switch_and_hold(
    indptr, sources, targets, table, dense, n, n_steps, p_triangle, constraint, reciprocal_slot,
    state,
):
    """Run ``n_steps`` switch-and-hold steps in place; return how many moves were accepted.

    Parameters
    ----------
    indptr : int64 array (n + 1,)
        Slot ranges by source; never change.
    sources : int64 array (m,)
        Source of each slot; never changes.
    targets : int64 array (m,)
        Target of each slot, updated in place (rows become unsorted).
    table : int64 array
        Edge set of ``targets`` (:mod:`nullmodels.kernels.edge_set`), updated in place.
    dense : bool
        Whether ``table`` is a bitset rather than a hash set.
    n : int
        Number of nodes.
    n_steps : int
        Proposals to make; a rejected proposal is a step that keeps the graph.
    p_triangle : float
        Probability that a step proposes a directed-triangle reversal rather than a 2-swap.
    constraint : int
        :data:`DEGREES`, :data:`RECIPROCAL_PAIRS` or :data:`NODE_RECIPROCITY`.
    reciprocal_slot : bool array (m,)
        For :data:`NODE_RECIPROCITY`, whether each slot's edge is reciprocated (invariant).
    state : uint64 array (4,)
        State of the chain's random generator (:mod:`nullmodels.kernels.random_bits`),
        advanced in place.

    Notes
    -----
    O(n_steps) expected time (membership tests in the hash set are O(1) expected; the
    slot searches of a triangle reversal and of a reciprocal-layer swap scan one row).
    """
    accepted = 0
    if targets.size == 0:
        return accepted
    for _ in range(n_steps):
        if uniform(state) < p_triangle:
            moved = _triangle_reversal(indptr, sources, targets, table, dense, n, state)
        else:
            moved = _two_swap(
                indptr, sources, targets, table, dense, n, constraint, reciprocal_slot, state
            )
        if moved:
            accepted += 1
    return accepted


@njit(cache=True, nogil=True)
def sort_rows(indptr, targets):
    """Return a copy of ``targets`` with each row sorted (CSR column order). O(m log d)."""
    out = targets.copy()
    for a in range(indptr.size - 1):
        out[indptr[a] : indptr[a + 1]] = np.sort(out[indptr[a] : indptr[a + 1]])
    return out


@njit(cache=True, nogil=True)
def edge_overlap(sources, targets, original_table, dense, n):
    """Return how many slots hold an edge of the original graph. O(m)."""
    count = 0
    for s in range(targets.size):
        count += edge_set_contains(original_table, np.int64(sources[s]) * n + targets[s], dense)
    return count


@njit(cache=True, nogil=True)
def transitive_triangles(indptr, targets, table, dense, n):
    """Return the number of transitive triangles a -> b, a -> c, b -> c. O(sum of d_out²)."""
    count = 0
    for a in range(indptr.size - 1):
        for s in range(indptr[a], indptr[a + 1]):
            b = targets[s]
            for t in range(indptr[a], indptr[a + 1]):
                if t != s and _has(table, dense, n, b, targets[t]):
                    count += 1
    return count


@njit(cache=True, nogil=True)
def trace_chain(
    indptr,
    sources,
    targets,
    table,
    original_table,
    dense,
    n,
    n_checkpoints,
    spacing,
    p_triangle,
    constraint,
    reciprocal_slot,
    state,
):
    """Run one chain and record, every ``spacing`` steps, the edge overlap and triangle count.

    Returns
    -------
    overlap, triangles : int64 arrays (n_checkpoints + 1,)
        Edges of the original graph still present, and transitive triangles, at steps
        ``0, spacing, 2 spacing, ...``.
    accepted : int
        Accepted moves over the whole chain.
    """
    overlap = np.zeros(n_checkpoints + 1, dtype=np.int64)
    triangles = np.zeros(n_checkpoints + 1, dtype=np.int64)
    overlap[0] = edge_overlap(sources, targets, original_table, dense, n)
    triangles[0] = transitive_triangles(indptr, targets, table, dense, n)
    accepted = 0
    for k in range(1, n_checkpoints + 1):
        accepted += switch_and_hold(
            indptr, sources, targets, table, dense, n, spacing, p_triangle, constraint,
            reciprocal_slot, state,
        )
        overlap[k] = edge_overlap(sources, targets, original_table, dense, n)
        triangles[k] = transitive_triangles(indptr, targets, table, dense, n)
    return overlap, triangles, accepted
