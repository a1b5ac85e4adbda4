"""Switch-and-hold Markov chains of edge swaps and directed-triangle reversals (numba)."""

import numpy as np
from numba import njit, prange

from connectome_motifs.nullmodels.kernels.edge_set import (
    edge_set_add,
    edge_set_contains,
    edge_set_prefetch,
    edge_set_remove,
)
from connectome_motifs.nullmodels.kernels.prefetch import prefetch
from connectome_motifs.nullmodels.kernels.random_bits import bounded, uniform

__all__ = [
    "DEGREES",
    "NODE_RECIPROCITY",
    "RECIPROCAL_PAIRS",
    "count_reciprocal_pairs",
    "edge_overlap",
    "has_edge",
    "move_edge",
    "restore_reciprocal_pairs",
    "reverse_cycle",
    "reverse_triangle",
    "slot_of",
    "sort_rows",
    "switch_and_hold",
    "trace_chain",
    "transitive_triangles",
    "triangle_through",
]

# What a chain keeps besides every node's in- and out-degree.
DEGREES = 0
RECIPROCAL_PAIRS = 1  # the number of reciprocal pairs
NODE_RECIPROCITY = 2  # every node's reciprocal, in-only and out-only degree


@njit(cache=True, nogil=True, inline="always")
def has_edge(table, dense, n, a, b):
    """Return whether the edge set ``table`` holds ``a -> b`` (``n`` nodes). O(1) expected."""
    return edge_set_contains(table, np.int64(a) * n + b, dense)


@njit(cache=True, nogil=True, inline="always")
def move_edge(table, dense, n, a, b, c):
    """Replace the edge ``a -> b`` by ``a -> c`` in the edge set ``table``. O(1) expected."""
    edge_set_remove(table, np.int64(a) * n + b, dense)
    edge_set_add(table, np.int64(a) * n + c, dense)


@njit(cache=True, nogil=True, inline="always")
def slot_of(indptr, targets, a, b):
    """Return the slot of the edge ``a -> b`` in the rows ``indptr``, or -1. O(d_a)."""
    for s in range(indptr[a], indptr[a + 1]):
        if targets[s] == b:
            return s
    return -1


@njit(cache=True, nogil=True, inline="always")
def _holds(rows, table, dense, n, a, b):
    # has_edge, or for a chain that keeps no edge set (table None: numba compiles only
    # that branch) a scan of a's row in ``rows``, the pair (indptr, targets).
    if table is None:
        return slot_of(rows[0], rows[1], a, b) >= 0
    return has_edge(table, dense, n, a, b)


@njit(cache=True, nogil=True, inline="always")
def _stays_simple(rows, table, dense, n, a, b, c, d):
    # Whether the 2-swap (a -> b, c -> d) -> (a -> d, c -> b) makes no self-loop and no
    # duplicate edge; this also rejects a == c (a -> d exists) and b == d (a -> b exists).
    return not (a == d or c == b or _holds(rows, table, dense, n, a, d)
                or _holds(rows, table, dense, n, c, b))


@njit(cache=True, nogil=True, inline="always")
def _reciprocal_change(table, dense, n, a, b, c, d):
    # The change in the number of reciprocal pairs that the 2-swap makes: the four pairs
    # {a,b}, {c,d}, {a,d}, {c,b} are distinct and the swap touches none of the reverse edges.
    return (np.int64(has_edge(table, dense, n, d, a)) + np.int64(has_edge(table, dense, n, b, c))
            - np.int64(has_edge(table, dense, n, b, a)) - np.int64(has_edge(table, dense, n, d, c)))


@njit(cache=True, nogil=True, inline="always")
def _move_slot(table, dense, n, targets, slot, a, b, c):
    # Slot ``slot`` of source a: its edge a -> b becomes a -> c, in the set (if any) and
    # the slots.
    if table is not None:
        move_edge(table, dense, n, a, b, c)
    targets[slot] = c


@njit(cache=True, nogil=True, inline="always")
def _swap(table, dense, n, targets, s1, s2, a, b, c, d):
    # Make the 2-swap of slots s1 (a -> b) and s2 (c -> d): a -> d and c -> b.
    _move_slot(table, dense, n, targets, s1, a, b, d)
    _move_slot(table, dense, n, targets, s2, c, d, b)


@njit(cache=True, nogil=True, inline="always")
def triangle_through(indptr, sources, targets, s1, state):
    """Return ``(a, b, c, s2)``: slot ``s1``'s edge ``a -> b`` and a uniform out-slot ``s2``
    of ``b``, ``b -> c``, the two-path a triangle reversal closes with ``c -> a``.

    ``s2`` is -1 when ``b`` has no out-slot or ``c == a`` (no 3-cycle). Draws from
    ``state`` only when ``b`` has out-slots. O(1).
    """
    a = sources[s1]
    b = targets[s1]
    lo = indptr[b]
    d_b = indptr[b + 1] - lo
    if d_b == 0:
        return a, b, b, -1
    s2 = lo + bounded(state, d_b)
    c = targets[s2]
    return a, b, c, (-1 if c == a else s2)


@njit(cache=True, nogil=True, inline="always")
def reverse_triangle(indptr, sources, targets, table, dense, n, s1, state):
    """Propose reversing a directed 3-cycle through slot ``s1``; return whether it was made.

    The cycle ``a -> b -> c -> a`` is the slot's edge ``a -> b`` and a uniform out-slot
    ``b -> c`` of ``b``, made by :func:`reverse_cycle`. Summed over the cycle's three
    starting edges the proposal probability is ``(1/d_a + 1/d_b + 1/d_c) / m`` in
    out-degrees ``d``, which the reversal keeps, so the reverse move is proposed with the
    same probability. O(d_c) with an edge set, O(d_a + d_b + d_c) by row scans.
    """
    a, b, c, s2 = triangle_through(indptr, sources, targets, s1, state)
    if s2 < 0:
        return False
    return reverse_cycle(indptr, targets, table, dense, n, s1, s2, a, b, c)


@njit(cache=True, nogil=True, inline="always")
def reverse_cycle(indptr, targets, table, dense, n, s1, s2, a, b, c):
    """Reverse ``a -> b -> c -> a`` if it is a directed 3-cycle with no reciprocal pair.

    Slot ``s1`` holds ``a -> b`` and slot ``s2`` holds ``b -> c`` (``c != a``); the
    cycle is reversed when ``c -> a`` exists and none of ``a -> c``, ``c -> b``, ``b -> a``
    does (in the edge set ``table``, or by row scans if it is None). Returns whether it
    was. O(d_c) with an edge set, O(d_a + d_b + d_c) by row scans.
    """
    rows = (indptr, targets)
    if not _holds(rows, table, dense, n, c, a):
        return False
    if (_holds(rows, table, dense, n, a, c)
            or _holds(rows, table, dense, n, c, b)
            or _holds(rows, table, dense, n, b, a)):
        return False
    s3 = slot_of(indptr, targets, c, a)
    _move_slot(table, dense, n, targets, s1, a, b, c)
    _move_slot(table, dense, n, targets, s2, b, c, a)
    _move_slot(table, dense, n, targets, s3, c, a, b)
    return True


@njit(cache=True, nogil=True, inline="always")
def _keeps_node_reciprocity(rows, table, dense, n, mutual_position, s1, s2, a, b, c, d):
    # Whether the 2-swap (a -> b, c -> d) -> (a -> d, c -> b) of slots s1, s2 keeps every
    # node's reciprocal, in-only and out-only degree: both slots in the same layer, and
    # each new pair empty both ways.
    if (mutual_position[s1] >= 0) != (mutual_position[s2] >= 0):
        return False
    return not (_holds(rows, table, dense, n, d, a)
                or _holds(rows, table, dense, n, b, c))


@njit(cache=True, nogil=True, inline="always")
def _set_mutual(mutual, mutual_position, mutual_count, slot, flag):
    # Put ``slot`` in the list of reciprocated slots, or take it out (O(1), swap with last).
    position = mutual_position[slot]
    if flag and position < 0:
        mutual_position[slot] = mutual_count[0]
        mutual[mutual_count[0]] = slot
        mutual_count[0] += 1
    elif not flag and position >= 0:
        last = mutual[mutual_count[0] - 1]
        mutual[position] = last
        mutual_position[last] = position
        mutual_position[slot] = -1
        mutual_count[0] -= 1


@njit(cache=True, nogil=True, inline="always")
def _swap_reciprocal_pairs(indptr, sources, targets, table, dense, n, mutual, mutual_count,
                           state):
    # Propose the swap of two reciprocal pairs as undirected edges, {a, b}, {c, d} ->
    # {a, d}, {c, b}, through two uniform entries of the list of reciprocated slots: a -> b
    # and c -> d. Four ordered entry pairs give the same swap, and four give its reverse,
    # from a list of the same length, so the move is as likely as its reverse.
    rows = (indptr, targets)
    count = mutual_count[0]
    if count < 2:
        return False
    s1 = mutual[bounded(state, count)]
    s2 = mutual[bounded(state, count)]
    a = np.int64(sources[s1])
    b = np.int64(targets[s1])
    c = np.int64(sources[s2])
    d = np.int64(targets[s2])
    if a == d or c == b or a == c or b == d:
        return False
    if (_holds(rows, table, dense, n, a, d) or _holds(rows, table, dense, n, d, a)
            or _holds(rows, table, dense, n, c, b) or _holds(rows, table, dense, n, b, c)):
        return False
    t1 = slot_of(indptr, targets, b, a)
    t2 = slot_of(indptr, targets, d, c)
    _swap(table, dense, n, targets, s1, s2, a, b, c, d)
    _swap(table, dense, n, targets, t1, t2, b, a, d, c)
    return True


@njit(cache=True, nogil=True, inline="always")
def _swap_keeping_reciprocal_pairs(indptr, targets, table, dense, n, mutual, mutual_position,
                                   mutual_count, s1, s2, a, b, c, d):
    # Make the 2-swap (a -> b, c -> d) -> (a -> d, c -> b) of slots s1, s2 if it keeps the
    # number of reciprocal pairs; return whether it did. The four pairs {a,b}, {c,d},
    # {a,d}, {c,b} are distinct and the swap touches none of their reverse edges: b -> a
    # and d -> c (which exist if s1, s2 are listed as reciprocated) lose their partner,
    # d -> a and b -> c gain one, and s1, s2 are reciprocated after if those exist.
    rows = (indptr, targets)
    lost_ab = mutual_position[s1] >= 0
    lost_cd = mutual_position[s2] >= 0
    gained_ad = _holds(rows, table, dense, n, d, a)
    gained_cb = _holds(rows, table, dense, n, b, c)
    if np.int64(gained_ad) + gained_cb != np.int64(lost_ab) + lost_cd:
        return False
    for x, y, exists, flag in ((b, a, lost_ab, False), (d, c, lost_cd, False),
                               (d, a, gained_ad, True), (b, c, gained_cb, True)):
        if exists:
            _set_mutual(mutual, mutual_position, mutual_count,
                        slot_of(indptr, targets, x, y), flag)
    _set_mutual(mutual, mutual_position, mutual_count, s1, gained_ad)
    _set_mutual(mutual, mutual_position, mutual_count, s2, gained_cb)
    _swap(table, dense, n, targets, s1, s2, a, b, c, d)
    return True


@njit(cache=True, nogil=True, inline="always")
def _shift_reciprocal_pair(indptr, sources, targets, table, dense, n, mutual, mutual_position,
                           mutual_count, state):
    # Propose moving one end of a reciprocal pair to another node: a <-> b, c -> x, y -> c
    # become a <-> c, b -> x, y -> b, which keeps every degree. The pair is a uniform entry
    # a -> b of the list of reciprocated slots (b moves), y -> c a uniform slot and c -> x a
    # uniform out-slot of c; the reverse move (entry a -> c, slot y -> b, out-slot b -> x) is
    # proposed with probability d_b / d_c times this one in out-degrees, so the move is made
    # with probability min(1, d_c / d_b) (Metropolis-Hastings) when the graph stays simple
    # and keeps its number of reciprocal pairs.
    rows = (indptr, targets)
    count = mutual_count[0]
    if count < 2:
        return False
    s = mutual[bounded(state, count)]
    u = bounded(state, targets.size)
    a = np.int64(sources[s])
    b = np.int64(targets[s])
    y = np.int64(sources[u])
    c = np.int64(targets[u])
    d_c = indptr[c + 1] - indptr[c]
    if c == a or c == b or y == b or d_c == 0:
        return False
    v = indptr[c] + bounded(state, d_c)
    x = np.int64(targets[v])
    d_b = indptr[b + 1] - indptr[b]
    if x == b or (d_c < d_b and uniform(state) * d_b >= d_c):
        return False
    if _holds(rows, table, dense, n, a, c) or _holds(rows, table, dense, n, c, a):
        return False
    if _holds(rows, table, dense, n, b, x) or _holds(rows, table, dense, n, y, b):
        return False
    # The pairs {a,b} and {a,c} trade places; with x == y the pair {c,x} becomes {b,x}.
    # Otherwise {c,x}, {y,c}, {b,x}, {y,b} are distinct pairs whose reverse edges the move
    # keeps (a -> b, b -> a, c -> a and a -> c are ruled out above).
    if x != y and (np.int64(_holds(rows, table, dense, n, x, b))
                   + _holds(rows, table, dense, n, b, y)
                   != np.int64(_holds(rows, table, dense, n, x, c))
                   + _holds(rows, table, dense, n, c, y)):
        return False
    t = slot_of(indptr, targets, b, a)
    _move_slot(table, dense, n, targets, s, a, b, c)
    _move_slot(table, dense, n, targets, t, b, a, x)
    _move_slot(table, dense, n, targets, v, c, x, a)
    _move_slot(table, dense, n, targets, u, y, c, b)
    # s (a -> c) stays reciprocated and v (c -> a) becomes so; the other moved slots and the
    # edges whose partner went or came are listed anew (their number is unchanged).
    _set_mutual(mutual, mutual_position, mutual_count, v, True)
    _set_mutual(mutual, mutual_position, mutual_count, t, _holds(rows, table, dense, n, x, b))
    _set_mutual(mutual, mutual_position, mutual_count, u, _holds(rows, table, dense, n, b, y))
    for p, q in ((x, c), (c, y), (x, b), (b, y)):
        if _holds(rows, table, dense, n, p, q):
            _set_mutual(mutual, mutual_position, mutual_count, slot_of(indptr, targets, p, q),
                        _holds(rows, table, dense, n, q, p))
    return True


# A proposal is drawn this many steps before it is made (a power of two), and its edge-set
# entries are prefetched half-way: on graphs of millions of edges the slots and set entries
# of the next proposals are then already on their way from memory, so cache misses overlap
# instead of following one another. Proposals do not depend on the graph, so drawing them
# early changes nothing in the chain.
_LOOKAHEAD = 16

# Marks of a proposal's second slot that is not a 2-swap's.
_TRIANGLE = -1
_PAIR_SWAP = -2
_PAIR_SHIFT = -3


@njit(cache=True, nogil=True, inline="always")
def _draw(sources, targets, p_triangle, p_pairs, p_shift, state, first, second, step):
    # Draw the proposal of ``step`` and prefetch its slots: second is _TRIANGLE for a
    # triangle reversal, _PAIR_SWAP or _PAIR_SHIFT for a move of reciprocal pairs (whose
    # entries are drawn when it is made).
    m = targets.size
    s1 = bounded(state, m)
    s2 = _TRIANGLE
    kind = uniform(state) if p_triangle > 0.0 or p_pairs > 0.0 or p_shift > 0.0 else 1.0
    if kind >= p_triangle:
        if kind < p_triangle + p_pairs:
            s2 = _PAIR_SWAP
        elif kind < p_triangle + p_pairs + p_shift:
            s2 = _PAIR_SHIFT
        else:
            s2 = bounded(state, m)
            prefetch(sources, s2)
            prefetch(targets, s2)
    prefetch(sources, s1)
    prefetch(targets, s1)
    first[step & (_LOOKAHEAD - 1)] = s1
    second[step & (_LOOKAHEAD - 1)] = s2


@njit(cache=True, nogil=True)
def switch_and_hold(
    indptr, sources, targets, table, dense, n, n_steps, p_triangle, constraint, mutual,
    mutual_position, mutual_count, p_pairs, p_shift, state,
):
    """Run ``n_steps`` switch-and-hold steps in place; return how many moves were accepted.

    A step proposes, with probability ``p_triangle``, the reversal of a directed 3-cycle
    through a uniform slot; with probability ``p_pairs``, the swap of two reciprocal pairs
    as undirected edges, ``{a, b}, {c, d} -> {a, d}, {c, b}``, through two uniform entries
    of ``mutual``; with probability ``p_shift``, the shift of one end of a reciprocal pair,
    ``a <-> b, c -> x, y -> c`` to ``a <-> c, b -> x, y -> b``, made with probability
    ``min(1, d_c / d_b)`` in out-degrees; else the 2-swap
    ``(a -> b, c -> d) -> (a -> d, c -> b)`` of two uniform slots. It makes the move if
    the graph stays simple and keeps what ``constraint`` keeps. Each slot keeps its
    source, so out-degrees and the slot ranges never change; the reverse of a 2-swap is
    proposed by the same two slots with the same probability.

    Parameters
    ----------
    indptr : int64 array (n + 1,)
        Slot ranges by source; never change.
    sources : int32 array (m,)
        Source of each slot; never changes.
    targets : int32 array (m,)
        Target of each slot, updated in place (rows become unsorted).
    table : int64 array or None
        Edge set of ``targets`` (:mod:`connectome_motifs.nullmodels.kernels.edge_set`),
        updated in place; None to find edges by scanning rows instead (O(d) per test, for
        a chain that keeps no set, as global switching's).
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
    mutual : int64 array (m,)
        Its first ``mutual_count[0]`` entries are the slots whose edge is reciprocated, in
        any order; kept up to date in place (unused for :data:`DEGREES`).
    mutual_position : int64 array (m,)
        Where each slot is in ``mutual``, -1 if not reciprocated; updated in place.
    mutual_count : int64 array (1,)
        Number of reciprocated slots (twice the reciprocal pairs).
    p_pairs : float
        Probability that a step proposes a swap of reciprocal pairs (0 for
        :data:`DEGREES`).
    p_shift : float
        Probability that a step proposes the shift of a reciprocal pair (0 unless
        :data:`RECIPROCAL_PAIRS`: it changes reciprocal degrees).
    state : uint64 array (4,)
        State of the chain's random generator
        (:mod:`connectome_motifs.nullmodels.kernels.random_bits`), advanced in place.

    Notes
    -----
    O(n_steps) expected time (membership tests in the hash set are O(1) expected; the
    slot searches of a triangle reversal, a reciprocal-layer swap and a pair shift scan
    rows of the nodes they touch).
    Proposals are drawn :data:`_LOOKAHEAD` steps before they are made and their memory is
    prefetched, so that on large graphs several cache misses are in flight at once.
    """
    m = targets.size
    accepted = 0
    if m == 0:
        return accepted
    # first[r], second[r]: the slots of the drawn, not yet made proposal of the step that is
    # r modulo _LOOKAHEAD; second marks the moves other than 2-swaps (_draw).
    first = np.empty(_LOOKAHEAD, dtype=np.int64)
    second = np.empty(_LOOKAHEAD, dtype=np.int64)
    for step in range(min(_LOOKAHEAD, n_steps)):
        _draw(sources, targets, p_triangle, p_pairs, p_shift, state, first, second, step)
    for step in range(n_steps):
        row = step & (_LOOKAHEAD - 1)
        s1 = first[row]
        s2 = second[row]
        if step + _LOOKAHEAD < n_steps:
            _draw(sources, targets, p_triangle, p_pairs, p_shift, state, first, second,
                  step + _LOOKAHEAD)
        # Prefetch the edge-set entries of the proposal half-way ahead.
        half = (step + _LOOKAHEAD // 2) & (_LOOKAHEAD - 1)
        if step + _LOOKAHEAD // 2 < n_steps and second[half] >= 0 and table is not None:
            a = np.int64(sources[first[half]])
            b = np.int64(targets[first[half]])
            c = np.int64(sources[second[half]])
            d = np.int64(targets[second[half]])
            edge_set_prefetch(table, a * n + d, dense)
            edge_set_prefetch(table, c * n + b, dense)
            edge_set_prefetch(table, a * n + b, dense)
            edge_set_prefetch(table, c * n + d, dense)
            if constraint != DEGREES:
                edge_set_prefetch(table, d * n + a, dense)
                edge_set_prefetch(table, b * n + c, dense)
                prefetch(mutual_position, first[half])
                prefetch(mutual_position, second[half])
        if s2 == _TRIANGLE:
            accepted += reverse_triangle(indptr, sources, targets, table, dense, n, s1, state)
            continue
        if s2 == _PAIR_SWAP:
            accepted += _swap_reciprocal_pairs(indptr, sources, targets, table, dense, n,
                                               mutual, mutual_count, state)
            continue
        if s2 == _PAIR_SHIFT:
            accepted += _shift_reciprocal_pair(indptr, sources, targets, table, dense, n,
                                               mutual, mutual_position, mutual_count, state)
            continue
        if s1 == s2:
            continue
        a = np.int64(sources[s1])
        b = np.int64(targets[s1])
        c = np.int64(sources[s2])
        d = np.int64(targets[s2])
        if not _stays_simple((indptr, targets), table, dense, n, a, b, c, d):
            continue
        if constraint == RECIPROCAL_PAIRS:
            accepted += _swap_keeping_reciprocal_pairs(
                indptr, targets, table, dense, n, mutual, mutual_position, mutual_count,
                s1, s2, a, b, c, d)
            continue
        if constraint == NODE_RECIPROCITY and not _keeps_node_reciprocity(
            (indptr, targets), table, dense, n, mutual_position, s1, s2, a, b, c, d
        ):
            continue
        if constraint == NODE_RECIPROCITY and mutual_position[s1] >= 0:
            # Undirected swap in the reciprocal layer: {a,b}, {c,d} -> {a,d}, {c,b}.
            _swap(table, dense, n, targets, slot_of(indptr, targets, b, a),
                  slot_of(indptr, targets, d, c), b, a, d, c)
        _swap(table, dense, n, targets, s1, s2, a, b, c, d)
        accepted += 1
    return accepted


@njit(cache=True, nogil=True)
def count_reciprocal_pairs(sources, targets, table, dense, n):
    """Return the number of reciprocal pairs of the slots' graph. O(m)."""
    count = 0
    for s in range(targets.size):
        if sources[s] < targets[s] and has_edge(table, dense, n, targets[s], sources[s]):
            count += 1
    return count


@njit(cache=True, nogil=True)
def restore_reciprocal_pairs(indptr, sources, targets, table, dense, n, target, p_triangle,
                             max_steps, state):
    """Make degree-keeping steps until the graph has ``target`` reciprocal pairs.

    The second half of Turner et al.'s gCFG: steps as in :func:`switch_and_hold` under
    :data:`DEGREES` (2-swaps and directed-triangle reversals, none rejected for changing
    the reciprocal pairs), the number of reciprocal pairs followed move by move, until it
    equals ``target``. Returns the steps made, or -1 if ``max_steps`` did not suffice.
    O(m + steps).
    """
    m = targets.size
    count = count_reciprocal_pairs(sources, targets, table, dense, n)
    steps = 0
    while count != target:
        if steps == max_steps or m == 0:
            return -1
        steps += 1
        s1 = bounded(state, m)
        if p_triangle > 0.0 and uniform(state) < p_triangle:
            # A triangle reversal keeps every pair one-way.
            reverse_triangle(indptr, sources, targets, table, dense, n, s1, state)
            continue
        s2 = bounded(state, m)
        if s1 == s2:
            continue
        a = np.int64(sources[s1])
        b = np.int64(targets[s1])
        c = np.int64(sources[s2])
        d = np.int64(targets[s2])
        if not _stays_simple((indptr, targets), table, dense, n, a, b, c, d):
            continue
        count += _reciprocal_change(table, dense, n, a, b, c, d)
        _swap(table, dense, n, targets, s1, s2, a, b, c, d)
    return steps


# Rows up to this long are sorted by insertion: no allocation, and fast for few entries.
_SHORT_ROW = 64


@njit(cache=True, nogil=True, parallel=True)
def sort_rows(indptr, targets):
    """Return a copy of ``targets`` with each row sorted (CSR column order).

    Rows of up to :data:`_SHORT_ROW` entries by insertion sort, longer ones by numpy's
    sort, both in place, the rows shared among the numba threads: O(m · min(d, _SHORT_ROW)
    + Σ d log d over the long rows).
    """
    out = targets.copy()
    for a in prange(indptr.size - 1):
        lo, hi = indptr[a], indptr[a + 1]
        if hi - lo > _SHORT_ROW:
            out[lo:hi].sort()
            continue
        for s in range(lo + 1, hi):
            value = out[s]
            t = s
            while t > lo and out[t - 1] > value:
                out[t] = out[t - 1]
                t -= 1
            out[t] = value
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
                if t != s and has_edge(table, dense, n, b, targets[t]):
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
    mutual,
    mutual_position,
    mutual_count,
    p_pairs,
    p_shift,
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
            mutual, mutual_position, mutual_count, p_pairs, p_shift, state,
        )
        overlap[k] = edge_overlap(sources, targets, original_table, dense, n)
        triangles[k] = transitive_triangles(indptr, targets, table, dense, n)
    return overlap, triangles, accepted
