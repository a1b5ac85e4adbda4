"""Switch-and-hold chains that keep every degree and the edges between groups (numba).

The chain's state is that of :mod:`connectome_motifs.nullmodels.kernels.edge_swaps` (edge
slots that keep their source, their targets, an edge set) plus lists of the slots by
group, from :func:`slot_layout`, in one array ``lists`` of ``2 m`` entries cut into ranges
by ``ptrs`` (``2 K + 1`` entries):

- the first ``m`` entries hold the slots ordered by the group of their source, group
  ``x`` in range ``x``; they never change, since slots keep their source;
- the last ``m``, ``listed``, the slots ordered by *block*, the ordered pair (source
  group, target group), target group first: target group ``h`` in range ``K + h``, and
  within it block ``(x, h)`` in the range of ``block_keys`` entry ``h · K + x``
  (``block_ptr``, positions in ``listed``). Targets move, so the slots move between
  ranges; ``position[s]`` is where slot ``s`` is in ``listed``. The ranges themselves
  never change: every move keeps the number of edges of each block.

A 2-swap draws a uniform position of ``lists`` and a uniform one of the same range: a
source-group swap if it falls in the first half, a target-group swap if in the second.
"""

import numpy as np
from numba import njit

from connectome_motifs.nullmodels.kernels.edge_set import (
    edge_set_add,
    edge_set_prefetch,
    edge_set_remove,
)
from connectome_motifs.nullmodels.kernels.edge_swaps import (
    edge_overlap,
    has_edge,
    move_edge,
    slot_of,
    transitive_triangles,
    triangle_through,
)
from connectome_motifs.nullmodels.kernels.prefetch import prefetch
from connectome_motifs.nullmodels.kernels.random_bits import bounded, uniform

__all__ = ["block_switch_and_hold", "slot_layout", "trace_block_chain"]

# The rarer kinds of proposal, stored in place of a 2-swap's first list position.
_TRIANGLE = -1  # reversal of a directed 3-cycle
_ROTATION = -2  # rotation of the targets of three slots
_DOUBLE_SWAP = -3  # two 2-swaps at once whose changes of the block counts cancel


def slot_layout(
    sources: np.ndarray, targets: np.ndarray, groups: np.ndarray, n_groups: int
) -> tuple[np.ndarray, ...]:
    """Return the slot lists by group of an edge-slot graph (see the module docstring).

    Parameters
    ----------
    sources, targets : int32 arrays (m,)
        Source and target of every slot.
    groups : int32 array (n,)
        Group code of every node, in ``0..n_groups - 1``.
    n_groups : int

    Returns
    -------
    lists, ptrs, position, block_keys, block_ptr : int64 arrays
        ``lists`` (2 m,) with its ranges ``ptrs`` (2 K + 1,); ``position`` (m,) of each
        slot in ``lists[m:]``; the sorted keys ``h · K + x`` of the non-empty blocks and
        their ranges ``block_ptr`` in ``lists[m:]`` (one more entry).

    Notes
    -----
    O(m log m) (two stable sorts).

    Examples
    --------
    >>> import numpy as np
    >>> sources = np.array([0, 0, 1, 2], dtype=np.int32)  # 0 -> 1, 0 -> 2, 1 -> 2, 2 -> 0
    >>> targets = np.array([1, 2, 2, 0], dtype=np.int32)
    >>> lists, ptrs, position, keys, block_ptr = slot_layout(
    ...     sources, targets, np.array([0, 0, 1], dtype=np.int32), 2)
    >>> lists.tolist(), ptrs.tolist()
    ([0, 1, 2, 3, 0, 3, 1, 2], [0, 3, 4, 6, 8])
    >>> keys.tolist(), block_ptr.tolist()
    ([0, 1, 2], [0, 1, 2, 4])
    """
    m = sources.size
    source_group = groups[sources].astype(np.int64)
    target_group = groups[targets].astype(np.int64)
    key = target_group * n_groups + source_group
    listed = np.argsort(key, kind="stable")
    lists = np.concatenate([np.argsort(source_group, kind="stable"), listed]).astype(np.int64)
    sizes = np.concatenate([np.bincount(source_group, minlength=n_groups),
                            np.bincount(target_group, minlength=n_groups)])
    ptrs = np.zeros(2 * n_groups + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptrs[1:])
    position = np.empty(m, dtype=np.int64)
    position[listed] = np.arange(m, dtype=np.int64)
    block_keys, block_sizes = np.unique(key, return_counts=True)
    block_ptr = np.zeros(block_keys.size + 1, dtype=np.int64)
    np.cumsum(block_sizes, out=block_ptr[1:])
    return lists, ptrs, position, block_keys.astype(np.int64), block_ptr


@njit(cache=True, nogil=True, inline="always")
def _block(groups, n_groups, source, target):
    # The key of a slot's block in ``block_keys``: target group first.
    return np.int64(groups[target]) * n_groups + groups[source]


@njit(cache=True, nogil=True, inline="always")
def _range_of(ptr, p):
    # The range of ``ptr`` that holds position p (empty ranges hold none): the last start
    # at or before p, by a bisection whose trip count depends on the number of ranges
    # only and whose step is a select, not a branch that random positions mispredict.
    base = 0
    length = ptr.size - 1
    while length > 1:
        half = length >> 1
        base += half * np.int64(ptr[base + half] <= p)
        length -= half
    return base


@njit(cache=True, nogil=True, inline="always")
def _uniform_in(ptr, g, state):
    # A uniform position in range g of ``ptr`` (which must not be empty).
    lo = ptr[g]
    return lo + bounded(state, ptr[g + 1] - lo)


@njit(cache=True, nogil=True, inline="always")
def _relist(listed, position, work, k):
    # The k slots work[0, :k] change blocks from work[1, :k] to work[2, :k], a permutation of
    # the same blocks: give each slot a place in ``listed`` among theirs that lies in its new
    # block's range (a place's block is that of the slot that held it). O(k²).
    for i in range(k):
        work[3, i] = position[work[0, i]]
        work[4, i] = i if work[1, i] == work[2, i] else -1
    for i in range(k):
        if work[4, i] >= 0:
            continue
        for j in range(k):
            if work[1, j] != work[2, i]:
                continue
            taken = False
            for t in range(k):
                taken |= work[4, t] == j
            if not taken:
                work[4, i] = j
                break
    for i in range(k):
        place = work[3, work[4, i]]
        listed[place] = work[0, i]
        position[work[0, i]] = place


@njit(cache=True, nogil=True, inline="always")
def _note(work, groups, n_groups, i, slot, source, old_target, new_target):
    work[0, i] = slot
    work[1, i] = _block(groups, n_groups, source, old_target)
    work[2, i] = _block(groups, n_groups, source, new_target)


@njit(cache=True, nogil=True, inline="always")
def _triangle_reversal(indptr, sources, targets, table, dense, n, groups, n_groups, listed,
                       position, work, state):
    # Propose reversing a directed 3-cycle a -> b -> c -> a as the configuration model does: a
    # uniform slot a -> b, then a uniform out-slot b -> c of b, so that the reverse is proposed
    # with the same total probability (1/d_a + 1/d_b + 1/d_c) / m. The reversal keeps the
    # block counts iff two of the three nodes share a group.
    m = targets.size
    s1 = bounded(state, m)
    a, b, c, s2 = triangle_through(indptr, sources, targets, s1, state)
    if s2 < 0 or not has_edge(table, dense, n, c, a):
        return False
    if groups[a] != groups[b] and groups[b] != groups[c] and groups[c] != groups[a]:
        return False
    if (has_edge(table, dense, n, a, c) or has_edge(table, dense, n, c, b)
            or has_edge(table, dense, n, b, a)):
        return False
    s3 = slot_of(indptr, targets, c, a)
    move_edge(table, dense, n, a, b, c)
    move_edge(table, dense, n, b, c, a)
    move_edge(table, dense, n, c, a, b)
    _note(work, groups, n_groups, 0, s1, a, b, c)
    _note(work, groups, n_groups, 1, s2, b, c, a)
    _note(work, groups, n_groups, 2, s3, c, a, b)
    targets[s1] = c
    targets[s2] = a
    targets[s3] = b
    _relist(listed, position, work, 3)
    return True


@njit(cache=True, nogil=True, inline="always")
def _rotation(sources, targets, table, dense, n, groups, n_groups, lists, ptrs, listed,
              position, work, state):
    # Propose the rotation of three targets: a uniform slot s1 (a -> b), a uniform slot s2
    # (c -> d) of those whose source is in a's group, a uniform slot s3 (e -> f) of those whose
    # target is in b's group; s1 takes d, s2 takes f, s3 takes b. It keeps the block counts.
    m = targets.size
    s1 = bounded(state, m)
    a = sources[s1]
    b = targets[s1]
    s2 = lists[_uniform_in(ptrs, groups[a], state)]
    s3 = lists[_uniform_in(ptrs, n_groups + groups[b], state)]
    if s1 == s2 or s1 == s3 or s2 == s3:
        return False
    c = sources[s2]
    d = targets[s2]
    e = sources[s3]
    f = targets[s3]
    # New edges that are absent and no loops are also distinct and none of the old ones.
    if a == d or c == f or e == b:
        return False
    if (has_edge(table, dense, n, a, d) or has_edge(table, dense, n, c, f)
            or has_edge(table, dense, n, e, b)):
        return False
    move_edge(table, dense, n, a, b, d)
    move_edge(table, dense, n, c, d, f)
    move_edge(table, dense, n, e, f, b)
    _note(work, groups, n_groups, 0, s1, a, b, d)
    _note(work, groups, n_groups, 1, s2, c, d, f)
    _note(work, groups, n_groups, 2, s3, e, f, b)
    targets[s1] = d
    targets[s2] = f
    targets[s3] = b
    _relist(listed, position, work, 3)
    return True


@njit(cache=True, nogil=True, inline="always")
def _block_slot(listed, block_keys, block_ptr, key, state):
    # A uniform slot of the block ``key``, or -1 if the block has no edge.
    j = np.searchsorted(block_keys, key)
    if j == block_keys.size or block_keys[j] != key:
        return -1
    return listed[_uniform_in(block_ptr, j, state)]


@njit(cache=True, nogil=True, inline="always")
def _double_swap(sources, targets, table, dense, n, groups, n_groups, listed, position,
                 block_keys, block_ptr, work, state):
    # Propose two 2-swaps at once: uniform slots s1 (a -> b) and s2 (c -> d), a uniform slot
    # s3 (e -> f) of block (group a, group d) and s4 (g -> h) of block (group c, group b);
    # then a -> d, c -> b, e -> h, g -> f. Each swap alone may change the block counts; the
    # two changes cancel.
    m = targets.size
    s1 = bounded(state, m)
    s2 = bounded(state, m)
    a = sources[s1]
    b = targets[s1]
    c = sources[s2]
    d = targets[s2]
    s3 = _block_slot(listed, block_keys, block_ptr, _block(groups, n_groups, a, d), state)
    if s3 < 0:
        return False
    s4 = _block_slot(listed, block_keys, block_ptr, _block(groups, n_groups, c, b), state)
    if s4 < 0 or s1 == s2 or s1 == s3 or s1 == s4 or s2 == s3 or s2 == s4 or s3 == s4:
        return False
    e = sources[s3]
    f = targets[s3]
    g = sources[s4]
    h = targets[s4]
    if a == d or c == b or e == h or g == f:
        return False
    # Absent new edges are none of the old ones; distinct they need not be (a = e, d = h).
    if (a == e and d == h) or (a == g and d == f) or (c == e and b == h) or (c == g and b == f):
        return False
    if (has_edge(table, dense, n, a, d) or has_edge(table, dense, n, c, b)
            or has_edge(table, dense, n, e, h) or has_edge(table, dense, n, g, f)):
        return False
    for x, y in ((a, b), (c, d), (e, f), (g, h)):
        edge_set_remove(table, np.int64(x) * n + y, dense)
    for x, y in ((a, d), (c, b), (e, h), (g, f)):
        edge_set_add(table, np.int64(x) * n + y, dense)
    _note(work, groups, n_groups, 0, s1, a, b, d)
    _note(work, groups, n_groups, 1, s2, c, d, b)
    _note(work, groups, n_groups, 2, s3, e, f, h)
    _note(work, groups, n_groups, 3, s4, g, h, f)
    targets[s1] = d
    targets[s2] = b
    targets[s3] = h
    targets[s4] = f
    _relist(listed, position, work, 4)
    return True


# A 2-swap is drawn this many steps before it is made (a power of two): its slots' list
# entries are prefetched then, the slots' sources, targets and places _SLOTS_AHEAD steps
# before it is made and its edge-set entries and places' list entries _EDGES_AHEAD steps
# before, so that on graphs of millions
# of edges the cache misses of several proposals overlap. A proposal's positions in the
# lists depend on random numbers only; the slots at those positions are read again when it
# is made, so drawing early changes nothing in the chain.
_LOOKAHEAD = 16
_SLOTS_AHEAD = 10
_EDGES_AHEAD = 4


@njit(cache=True, nogil=True, inline="always")
def _draw(lists, ptrs, m, p_triangle, p_rotation, p_double, state, first, second, step):
    # Draw the proposal of ``step``: a 2-swap's two positions in ``lists``, or a rarer kind
    # in ``first``.
    row = step & (_LOOKAHEAD - 1)
    u = uniform(state) if p_triangle + p_rotation + p_double > 0.0 else 1.0
    if u < p_triangle:
        first[row] = _TRIANGLE
    elif u < p_triangle + p_rotation:
        first[row] = _ROTATION
    elif u < p_triangle + p_rotation + p_double:
        first[row] = _DOUBLE_SWAP
    else:
        p1 = bounded(state, 2 * m)
        first[row] = p1
        second[row] = _uniform_in(ptrs, _range_of(ptrs, p1), state)
        prefetch(lists, p1)
        prefetch(lists, second[row])


@njit(cache=True, nogil=True)
def block_switch_and_hold(
    indptr, sources, targets, table, dense, n, groups, n_groups, lists, ptrs, position,
    block_keys, block_ptr, n_steps, p_triangle, p_rotation, p_double, state,
):
    """Run ``n_steps`` switch-and-hold steps that keep degrees and block counts, in place.

    A step proposes, with probability ``p_triangle``, the reversal of a directed 3-cycle;
    with ``p_rotation`` a rotation of three targets; with ``p_double`` a double 2-swap; else,
    with equal probability, a 2-swap ``(a -> b, c -> d) -> (a -> d, c -> b)`` of a uniform
    slot and a uniform slot of those whose source is in ``a``'s group, or of those whose
    target is in ``b``'s group. It makes the move if the graph stays simple (and, for a
    reversal, if two of the cycle's nodes share a group); every other move keeps the block
    counts by construction. See :class:`~connectome_motifs.nullmodels.BlockConfigurationModel`
    for why each move is proposed as often as its reverse.

    Parameters
    ----------
    indptr : int64 array (n + 1,)
        Slot ranges by source; never change.
    sources : int32 array (m,)
        Source of each slot; never changes.
    targets : int32 array (m,)
        Target of each slot, updated in place.
    table : int64 array
        Edge set of ``targets`` (:mod:`connectome_motifs.nullmodels.kernels.edge_set`),
        updated in place.
    dense : bool
        Whether ``table`` is a bitset rather than a hash set.
    n : int
        Number of nodes.
    groups : int32 array (n,)
        Group code of every node.
    n_groups : int
    lists, ptrs, position, block_keys, block_ptr : int64 arrays
        From :func:`slot_layout`; ``lists`` and ``position`` are updated in place.
    n_steps : int
        Proposals to make; a rejected proposal is a step that keeps the graph.
    p_triangle, p_rotation, p_double : float
        Probabilities of the three rarer kinds of proposal (summing to less than 1).
    state : uint64 array (4,)
        State of the chain's generator (:mod:`connectome_motifs.nullmodels.kernels.random_bits`),
        advanced in place.

    Returns
    -------
    int
        Moves made.

    Notes
    -----
    O(n_steps · log K) expected time: hash-set look-ups are O(1) expected, a position's
    range is found by bisection over the 2 K + 1 range starts (a double swap's block among
    the non-empty blocks), a triangle reversal scans one row. 2-swaps are drawn
    :data:`_LOOKAHEAD` steps ahead and their memory prefetched.
    """
    m = targets.size
    accepted = 0
    if m == 0:
        return accepted
    listed = lists[m:]
    first = np.empty(_LOOKAHEAD, dtype=np.int64)
    second = np.empty(_LOOKAHEAD, dtype=np.int64)
    work = np.empty((5, 4), dtype=np.int64)
    for step in range(min(_LOOKAHEAD, n_steps)):
        _draw(lists, ptrs, m, p_triangle, p_rotation, p_double, state, first, second, step)
    for step in range(n_steps):
        row = step & (_LOOKAHEAD - 1)
        p1 = first[row]
        p2 = second[row]
        if step + _LOOKAHEAD < n_steps:
            _draw(lists, ptrs, m, p_triangle, p_rotation, p_double, state, first, second,
                  step + _LOOKAHEAD)
        ahead = (step + _SLOTS_AHEAD) & (_LOOKAHEAD - 1)
        if step + _SLOTS_AHEAD < n_steps and first[ahead] >= 0:
            t1 = lists[first[ahead]]
            t2 = lists[second[ahead]]
            prefetch(sources, t1)
            prefetch(targets, t1)
            prefetch(sources, t2)
            prefetch(targets, t2)
            prefetch(position, t1)
            prefetch(position, t2)
        ahead = (step + _EDGES_AHEAD) & (_LOOKAHEAD - 1)
        if step + _EDGES_AHEAD < n_steps and first[ahead] >= 0:
            t1 = lists[first[ahead]]
            t2 = lists[second[ahead]]
            a = np.int64(sources[t1])
            b = np.int64(targets[t1])
            c = np.int64(sources[t2])
            d = np.int64(targets[t2])
            edge_set_prefetch(table, a * n + d, dense)
            edge_set_prefetch(table, c * n + b, dense)
            edge_set_prefetch(table, a * n + b, dense)
            edge_set_prefetch(table, c * n + d, dense)
            # A source-group swap between target groups also rewrites the slots' places.
            prefetch(listed, position[t1])
            prefetch(listed, position[t2])
        if p1 == _TRIANGLE:
            accepted += _triangle_reversal(indptr, sources, targets, table, dense, n, groups,
                                           n_groups, listed, position, work, state)
            continue
        if p1 == _ROTATION:
            accepted += _rotation(sources, targets, table, dense, n, groups, n_groups, lists,
                                  ptrs, listed, position, work, state)
            continue
        if p1 == _DOUBLE_SWAP:
            accepted += _double_swap(sources, targets, table, dense, n, groups, n_groups,
                                     listed, position, block_keys, block_ptr, work, state)
            continue
        s1 = lists[p1]
        s2 = lists[p2]
        if s1 == s2:
            continue
        a = np.int64(sources[s1])
        b = np.int64(targets[s1])
        c = np.int64(sources[s2])
        d = np.int64(targets[s2])
        # No self-loop and no duplicate; this also rejects a == c and b == d.
        if a == d or c == b or has_edge(table, dense, n, a, d) or has_edge(table, dense, n, c, b):
            continue
        if groups[b] != groups[d]:
            # A source-group swap between target groups: s1 and s2 trade blocks, and places.
            place = position[s1]
            position[s1] = position[s2]
            position[s2] = place
            listed[position[s1]] = s1
            listed[position[s2]] = s2
        move_edge(table, dense, n, a, b, d)
        move_edge(table, dense, n, c, d, b)
        targets[s1] = d
        targets[s2] = b
        accepted += 1
    return accepted


@njit(cache=True, nogil=True)
def trace_block_chain(
    indptr, sources, targets, table, original_table, dense, n, groups, n_groups, lists, ptrs,
    position, block_keys, block_ptr, n_checkpoints, spacing, p_triangle, p_rotation, p_double,
    state,
):
    """Run one chain and record, every ``spacing`` steps, the edge overlap and triangle count.

    The arguments are those of :func:`block_switch_and_hold`, with ``original_table`` the
    edge set of the starting graph.

    Returns
    -------
    overlap, triangles : int64 arrays (n_checkpoints + 1,)
        Edges of the original graph still present, and transitive triangles, at steps
        ``0, spacing, 2 spacing, ...``.
    accepted : int
        Moves made over the whole chain.

    Notes
    -----
    O(n_checkpoints · (spacing · log K + m + Σ d_out²)).
    """
    overlap = np.zeros(n_checkpoints + 1, dtype=np.int64)
    triangles = np.zeros(n_checkpoints + 1, dtype=np.int64)
    overlap[0] = edge_overlap(sources, targets, original_table, dense, n)
    triangles[0] = transitive_triangles(indptr, targets, table, dense, n)
    accepted = 0
    for k in range(1, n_checkpoints + 1):
        accepted += block_switch_and_hold(
            indptr, sources, targets, table, dense, n, groups, n_groups, lists, ptrs,
            position, block_keys, block_ptr, spacing, p_triangle, p_rotation, p_double,
            state,
        )
        overlap[k] = edge_overlap(sources, targets, original_table, dense, n)
        triangles[k] = transitive_triangles(indptr, targets, table, dense, n)
    return overlap, triangles, accepted
