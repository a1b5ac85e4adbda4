"""Global edge switching: rounds of 2-swaps over a random matching of all edge slots (numba).

A round draws a uniform random permutation of the ``m`` edge slots and pairs them: slots
``perm[2i]`` and ``perm[2i + 1]`` make switch ``i``, the 2-swap ``(a -> b, c -> d) ->
(a -> d, c -> b)``; each switch is idle with probability 1/64. An active switch is made
when it is legal on the round's starting graph (no self-loop, neither new edge present)
and *no other active switch proposes one of its new edges or one of its old edges*.

This is Allendorf et al.'s global switch, adapted so that the switches of a round need no
order: they conflict only through shared edges, and a conflict rejects both. The union of
a switch's old and new edges is the same before and after the round, so the conflicts are
too, and each conflict-free switch that was made is legal again in reverse: for every
matching, the round maps the graph ``G`` to ``G'`` and ``G'`` back to ``G``. The round is
an involution for each draw, so ``P(G -> G') = P(G' -> G)``, and the uniform distribution
over the graphs with the degrees is stationary. The idle switches make every single 2-swap
a possible round (all others idle) and the identity too, so the chain is irreducible and
aperiodic where the single-swap chain with triangle reversals is. Directed 3-cycles, which
no 2-swap reverses, are proposed one by one after each round, each through a uniform
slot and a uniform out-slot of its target as in
:func:`~connectome_motifs.nullmodels.kernels.edge_swaps.reverse_triangle` (idle with
probability 1/64 as well); their random reads are prefetched a few proposals ahead.

To keep the number of reciprocal pairs as well (gCFG),
:func:`switch_round_keeping_pairs` also rejects a switch one of whose four reverse edges
exists, or is held or proposed by another switch of the round, so that a round moves
one-way edges only; each round is then followed by single steps of the single-move chain
of :mod:`~connectome_motifs.nullmodels.kernels.edge_swaps`, which make every move that
touches a reciprocal pair (:func:`global_switching_keeping_pairs`).

No edge set is needed: whether an edge exists, and which switches meet at it, is decided
row by row (an edge ``a -> v`` lives in ``a``'s row of slots), so a round costs O(m)
expected time in sequential passes, except the two random reads and writes per switch.
Every pass runs over a fixed number of chunks, each with its own random stream drawn from
the round's seed, so the result does not depend on the number of threads.

References
----------
Allendorf, Meyer, Penschuck, Tran, "Parallel global edge switching for the uniform
sampling of simple graphs with prescribed degrees", J. Parallel Distrib. Comput. 174
(2023) 118-129. Sanders, "Random permutations on distributed, external and hierarchical
memory", Inf. Process. Lett. 67 (1998) 305-309 (the permutation).
"""

import numpy as np
from numba import njit, prange

from connectome_motifs.nullmodels.kernels.edge_swaps import (
    RECIPROCAL_PAIRS,
    reverse_cycle,
    switch_and_hold,
)
from connectome_motifs.nullmodels.kernels.prefetch import prefetch
from connectome_motifs.nullmodels.kernels.random_bits import bounded, next_u64

__all__ = [
    "IDLE_BITS",
    "chunk_count",
    "global_switching",
    "global_switching_keeping_pairs",
    "random_permutation",
    "reverse_triangles",
    "row_chunks",
    "switch_round",
    "switch_round_keeping_pairs",
]

#: A switch (or triangle proposal) is idle when the top this many bits of a draw are 0.
IDLE_BITS = 6
# Slots per chunk of a pass; a bucket of the permutation (about this many int32) fits in
# the L2 cache.
_CHUNK_SLOTS = 1 << 15
# At most this many chunks (the permutation's offsets table is chunks² entries).
_MAX_CHUNKS = 1024
# Rows with at most this many slots find their shared edges by comparing every pair.
_SHORT_ROW = 16
# Switches whose slots are prefetched ahead of the one being read.
_LOOKAHEAD = 16
_LOW32 = np.int64(0xFFFFFFFF)
_LOW32_BITS = np.uint64(0xFFFFFFFF)
# Triangle proposals: the stages of dependent reads they are prefetched in (the slot's
# edge, the rows of a and b, b's out-slot, c's row start, c's row), the proposals between
# two stages, and the ring of drawn proposals (the power of 2 above stages · distance).
_TRIANGLE_STAGES = 5
_TRIANGLE_DISTANCE = 6
_TRIANGLE_RING = 1 << (_TRIANGLE_STAGES * _TRIANGLE_DISTANCE).bit_length()


def chunk_count(m: int) -> int:
    """Return the number of chunks of every pass over ``m`` slots (a function of m only)."""
    return max(1, min(_MAX_CHUNKS, -(-m // _CHUNK_SLOTS)))


@njit(cache=True, nogil=True)
def row_chunks(indptr, chunks):
    """Return the first row of each of ``chunks`` chunks of rows of about equal slots.

    Row ``a`` is in chunk ``c`` when its first slot is in ``[c m / chunks, (c + 1) m /
    chunks)``. O(chunks log n).
    """
    n = indptr.size - 1
    m = indptr[n]
    bounds = np.empty(chunks + 1, dtype=np.int64)
    for c in range(chunks):
        bounds[c] = np.searchsorted(indptr[:n], c * m // chunks)
    bounds[chunks] = n
    return bounds


@njit(cache=True, nogil=True, inline="always")
def _mix(x):
    # splitmix64's finaliser.
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True, nogil=True)
def _stream(seed, index):
    # The xoshiro256** state of stream ``index`` of a round: splitmix64 from the seed.
    state = np.empty(4, dtype=np.uint64)
    x = seed ^ _mix(np.uint64(index) + np.uint64(0x632BE59BD9B4E019))
    for w in range(4):
        x += np.uint64(0x9E3779B97F4A7C15)
        state[w] = _mix(x)
    if state[0] == 0 and state[1] == 0 and state[2] == 0 and state[3] == 0:
        state[0] = 1
    return state


@njit(cache=True, nogil=True, inline="always")
def _idle(state):
    return _idle_word(next_u64(state))


@njit(cache=True, nogil=True, inline="always")
def _idle_word(word):
    return (word >> np.uint64(64 - IDLE_BITS)) == np.uint64(0)


@njit(cache=True, nogil=True, parallel=True)
def random_permutation(m, seed, chunks, perm, bucket):
    """Fill ``perm`` with a uniform random permutation of ``range(m)``, from ``seed``.

    Each element goes to a uniform bucket of ``chunks``, drawn per chunk of the input;
    the buckets are laid out in order and each is shuffled by Fisher-Yates (Sanders 1998).
    The result depends on ``seed`` and ``chunks`` only. O(m + chunks²); ``bucket``
    (uint16, m) is scratch.
    """
    counts = np.zeros((chunks, chunks), dtype=np.int64)
    for c in prange(chunks):
        state = _stream(seed, c)
        for s in range(c * m // chunks, (c + 1) * m // chunks):
            b = bounded(state, chunks)
            bucket[s] = b
            counts[c, b] += 1
    start = np.empty((chunks, chunks), dtype=np.int64)
    first = np.empty(chunks + 1, dtype=np.int64)
    total = 0
    for b in range(chunks):
        first[b] = total
        for c in range(chunks):
            start[c, b] = total
            total += counts[c, b]
    first[chunks] = total
    for c in prange(chunks):
        for s in range(c * m // chunks, (c + 1) * m // chunks):
            b = bucket[s]
            perm[start[c, b]] = s
            start[c, b] += 1
    for b in prange(chunks):
        state = _stream(seed, chunks + b)
        lo = first[b]
        for t in range(first[b + 1] - 1, lo, -1):
            j = lo + bounded(state, t - lo + 1)
            value = perm[t]
            perm[t] = perm[j]
            perm[j] = value


@njit(cache=True, nogil=True, inline="always")
def _short_row_conflicts(targets, proposal, bad, lo, hi):
    # Every pair of the row's slots: a proposed target that is an old target (the edge
    # exists: the proposer is illegal, and the holder's switch meets it), or that another
    # slot proposes too (both switches meet).
    for s in range(lo, hi):
        p = proposal[s]
        if p < 0:
            continue
        v = p & _LOW32
        i = p >> 32
        for q in range(lo, hi):
            if targets[q] == v:
                bad[i] = 1
                holder = proposal[q]
                if holder >= 0 and holder >> 32 != i:
                    bad[holder >> 32] = 1
            if q != s and proposal[q] >= 0 and proposal[q] & _LOW32 == v:
                bad[i] = 1


@njit(cache=True, nogil=True, inline="always")
def _find(keys, key, mask):
    # The position of ``key`` in the open-addressing table ``keys``, or of the free entry
    # where it would go.
    i = np.int64((np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)) & mask
    while keys[i] != -1 and keys[i] != key:
        i = (i + 1) & mask
    return i


@njit(cache=True, nogil=True)
def _long_row_conflicts(targets, proposal, bad, lo, hi, keys, holders, proposers, used):
    # As _short_row_conflicts, through a table of the row's targets: O(d) expected.
    mask = keys.size - 1
    count = 0
    for q in range(lo, hi):
        i = _find(keys, np.int64(targets[q]), mask)
        keys[i] = targets[q]
        holders[i] = proposal[q] >> 32 if proposal[q] >= 0 else -1
        proposers[i] = -1
        used[count] = i
        count += 1
    for s in range(lo, hi):
        p = proposal[s]
        if p < 0:
            continue
        v = p & _LOW32
        switch = p >> 32
        i = _find(keys, v, mask)
        if keys[i] == v and holders[i] != -2:
            bad[switch] = 1
            if holders[i] >= 0 and holders[i] != switch:
                bad[holders[i]] = 1
        if keys[i] != v:
            keys[i] = v
            holders[i] = -2  # proposed, not held
            proposers[i] = switch
            used[count] = i
            count += 1
        elif proposers[i] >= 0:
            bad[switch] = 1
            bad[proposers[i]] = 1
        else:
            proposers[i] = switch
    for j in range(count):
        keys[used[j]] = -1


@njit(cache=True, nogil=True, parallel=True)
def _propose(indptr, sources, targets, seed, chunks, rows, perm, bucket, proposal, bad):
    # The round's permutation, each active switch's proposals, and the marks of illegal
    # and conflicting switches (switch_round's first three passes).
    m = targets.size
    k = m // 2
    random_permutation(m, seed, chunks, perm, bucket)
    if m % 2:
        proposal[perm[m - 1]] = -1
    # Proposals: slot s proposes the target its partner holds, tagged with its switch.
    for c in prange(chunks):
        state = _stream(seed, 2 * chunks + c)
        lo, hi = c * k // chunks, (c + 1) * k // chunks
        for i in range(lo, hi):
            if i + _LOOKAHEAD < hi:
                for t in (perm[2 * (i + _LOOKAHEAD)], perm[2 * (i + _LOOKAHEAD) + 1]):
                    prefetch(targets, t)
                    prefetch(sources, t)
                    prefetch(proposal, t)
            s1 = perm[2 * i]
            s2 = perm[2 * i + 1]
            if _idle(state):
                bad[i] = 1
                proposal[s1] = -1
                proposal[s2] = -1
                continue
            b = targets[s1]
            d = targets[s2]
            bad[i] = np.uint8(sources[s1] == d or sources[s2] == b)
            proposal[s1] = (np.int64(i) << 32) | d
            proposal[s2] = (np.int64(i) << 32) | b
    # Conflicts, row by row: marks are only ever set to 1, so the chunks may race on them.
    for c in prange(chunks):
        longest = 0
        for a in range(rows[c], rows[c + 1]):
            longest = max(longest, indptr[a + 1] - indptr[a])
        capacity = 1
        while capacity < 4 * longest:
            capacity *= 2
        size = capacity if longest > _SHORT_ROW else 1
        keys = np.full(size, -1, dtype=np.int64)
        holders = np.empty(size, dtype=np.int64)
        proposers = np.empty(size, dtype=np.int64)
        used = np.empty(2 * longest if longest > _SHORT_ROW else 1, dtype=np.int64)
        for a in range(rows[c], rows[c + 1]):
            lo, hi = indptr[a], indptr[a + 1]
            if hi - lo <= _SHORT_ROW:
                _short_row_conflicts(targets, proposal, bad, lo, hi)
            else:
                _long_row_conflicts(targets, proposal, bad, lo, hi, keys, holders, proposers,
                                    used)


@njit(cache=True, nogil=True, parallel=True)
def _make(targets, chunks, proposal, bad):
    # Move every slot of an unmarked switch to its proposed target; return the switches.
    m = targets.size
    made = np.zeros(chunks, dtype=np.int64)
    for c in prange(chunks):
        for s in range(c * m // chunks, (c + 1) * m // chunks):
            p = proposal[s]
            if p >= 0 and bad[p >> 32] == 0:
                targets[s] = p & _LOW32
                made[c] += 1
    return made.sum() // 2


@njit(cache=True, nogil=True)
def switch_round(indptr, sources, targets, seed, chunks, rows, perm, bucket, proposal, bad):
    """Make one round of global switching in place; return the switches made.

    Parameters
    ----------
    indptr : int64 array (n + 1,)
        Slot ranges by source; never change.
    sources, targets : int32 arrays (m,)
        Source and target of each slot; ``targets`` is updated.
    seed : uint64
        The round's seed: the permutation and the idle switches follow from it.
    chunks : int
        :func:`chunk_count` of ``m``.
    rows : int64 array (chunks + 1,)
        :func:`row_chunks` of ``indptr``.
    perm, bucket, proposal, bad : arrays
        Scratch: int32 (m,), uint16 (m,), int64 (m,) and uint8 (m // 2,).

    Notes
    -----
    O(m + chunks²) expected time: the permutation, then one pass over the switches (two
    random slot reads and writes each, prefetched), one over the rows (pairs of slots in
    rows of up to 16, a table in longer ones) and one over the slots.
    """
    if targets.size < 2:
        return 0
    _propose(indptr, sources, targets, seed, chunks, rows, perm, bucket, proposal, bad)
    return _make(targets, chunks, proposal, bad)


@njit(cache=True, nogil=True, inline="always")
def _watch_row(indptr, targets, proposal, bad, i, r, x, y):
    # Scan row r for r -> x and r -> y, reverse edges of switch i: mark i if one exists,
    # and mark i and any other active switch that holds or proposes one of them.
    for q in range(indptr[r], indptr[r + 1]):
        t = targets[q]
        if t == x or t == y:
            bad[i] = 1
        p = proposal[q]
        if p >= 0 and p >> 32 != i:
            v = p & _LOW32
            if t == x or t == y or v == x or v == y:
                bad[i] = 1
                bad[p >> 32] = 1


@njit(cache=True, nogil=True, parallel=True)
def _watch_reverse_edges(indptr, sources, targets, chunks, perm, proposal, bad):
    # Mark every active switch (a -> b, c -> d) -> (a -> d, c -> b) one of whose reverse
    # edges b -> a, d -> c, d -> a, b -> c exists, with every other switch that holds or
    # proposes one of them.
    k = targets.size // 2
    for c in prange(chunks):
        for i in range(c * k // chunks, (c + 1) * k // chunks):
            s1 = perm[2 * i]
            s2 = perm[2 * i + 1]
            if proposal[s1] < 0:
                continue
            a = sources[s1]
            b = targets[s1]
            d = targets[s2]
            _watch_row(indptr, targets, proposal, bad, i, b, a, sources[s2])
            _watch_row(indptr, targets, proposal, bad, i, d, sources[s2], a)


@njit(cache=True, nogil=True)
def switch_round_keeping_pairs(indptr, sources, targets, seed, chunks, rows, perm, bucket,
                               proposal, bad):
    """Make one round of global switching that changes no reciprocal pair; return the
    switches made.

    As :func:`switch_round`, and a switch ``(a -> b, c -> d) -> (a -> d, c -> b)`` is
    made only if none of its reverse edges ``b -> a``, ``d -> c``, ``d -> a``, ``b -> c``
    exists on the round's starting graph and no other active switch holds or proposes
    one: its old and new edges are one-way before and after the round, so the round
    keeps every reciprocal pair and which slots are reciprocated. The reverse edges are
    the same before and after it, so the round is again an involution for each draw.
    (Letting through a switch that breaks one reciprocal pair and makes another at once
    would need every switch holding its reverse edges to be idle: rare, and left to the
    single steps.)

    Notes
    -----
    O(m + chunks²) expected, plus a scan of the rows of ``b`` and ``d`` per switch.
    """
    if targets.size < 2:
        return 0
    _propose(indptr, sources, targets, seed, chunks, rows, perm, bucket, proposal, bad)
    _watch_reverse_edges(indptr, sources, targets, chunks, perm, proposal, bad)
    return _make(targets, chunks, proposal, bad)


@njit(cache=True, nogil=True)
def global_switching(indptr, sources, targets, n_rounds, n_triangles, scratch, state):
    """Run ``n_rounds`` rounds, each followed by ``n_triangles`` triangle proposals.

    Returns the moves made. ``scratch`` is ``(chunks, rows, perm, bucket, proposal,
    bad)`` as :func:`switch_round` takes them; ``state`` (xoshiro256**, advanced in place)
    gives each round its seed and draws the triangle proposals. O(n_rounds · (m +
    n_triangles · d)) expected, d the mean row scanned.
    """
    chunks, rows, perm, bucket, proposal, bad = scratch
    made = 0
    for _ in range(n_rounds):
        made += switch_round(indptr, sources, targets, next_u64(state), chunks, rows, perm,
                             bucket, proposal, bad)
        made += reverse_triangles(indptr, sources, targets, n_triangles, state)
    return made


@njit(cache=True, nogil=True, inline="always")
def _scaled(word, bound):
    # The low 32 bits of ``word`` scaled to [0, bound): Lemire's multiply, not yet checked
    # for the rejection that makes it exact.
    return np.int64(((word & _LOW32_BITS) * np.uint64(bound)) >> np.uint64(32))


@njit(cache=True, nogil=True, inline="always")
def _out_slot(indptr, b, word, state):
    # A uniform slot of b's row (b has one), exactly: Lemire's multiply-and-reject on the
    # low 32 bits of ``word``, then on fresh draws from ``state`` while it rejects.
    lo = indptr[b]
    bound = np.uint64(indptr[b + 1] - lo)
    x = (word & _LOW32_BITS) * bound
    if x & _LOW32_BITS < bound:
        threshold = (np.uint64(1) << np.uint64(32)) % bound
        while x & _LOW32_BITS < threshold:
            x = (next_u64(state) >> np.uint64(32)) * bound
    return lo + np.int64(x >> np.uint64(32))


@njit(cache=True, nogil=True)
def reverse_triangles(indptr, sources, targets, n_proposals, state):
    """Propose ``n_proposals`` directed-triangle reversals; return those made.

    Each proposal is a uniform slot ``s1`` (``a -> b``, from ``bounded`` on ``state``)
    and a word of 64 random bits (``next_u64``): it is idle when the word's top
    :data:`IDLE_BITS` bits are 0, and otherwise names a uniform out-slot ``s2`` of ``b``
    (``b -> c``) by Lemire's multiply-and-reject on its low 32 bits, drawing anew from
    ``state`` only on a rejection. The cycle is reversed as
    :func:`~connectome_motifs.nullmodels.kernels.edge_swaps.reverse_cycle` says, its
    edges found by row scans.

    Proposals are drawn a few dozen ahead of the one being made, and their dependent
    random reads (the slot's edge, the rows of ``a`` and ``b``, ``s2``, the row of ``c``)
    are prefetched in stages between, from the slots as they are then: hints only, for
    each proposal is made from the slots at its turn. The moves are those of the
    proposals made one by one. O(n_proposals · d) expected, d the mean row scanned.
    """
    n = indptr.size - 1
    m = targets.size
    if m == 0:
        return 0
    ahead = _TRIANGLE_STAGES * _TRIANGLE_DISTANCE
    ring = _TRIANGLE_RING - 1
    slot = np.empty(_TRIANGLE_RING, dtype=np.int64)
    word = np.empty(_TRIANGLE_RING, dtype=np.uint64)
    made = 0
    for i in range(n_proposals + ahead):
        if i < n_proposals:
            slot[i & ring] = bounded(state, m)
            word[i & ring] = next_u64(state)
            prefetch(targets, slot[i & ring])
            prefetch(sources, slot[i & ring])
        for stage in range(1, _TRIANGLE_STAGES):
            k = i - stage * _TRIANGLE_DISTANCE
            if 0 <= k < n_proposals:
                _prefetch_stage(indptr, sources, targets, stage, slot[k & ring],
                                word[k & ring])
        k = i - ahead
        if k >= 0 and not _idle_word(word[k & ring]):
            s1 = slot[k & ring]
            a = sources[s1]
            b = targets[s1]
            if indptr[b + 1] > indptr[b]:
                s2 = _out_slot(indptr, b, word[k & ring], state)
                c = targets[s2]
                if c != a:
                    made += reverse_cycle(indptr, targets, None, False, n, s1, s2, a, b, c)
    return made


@njit(cache=True, nogil=True, inline="always")
def _prefetch_stage(indptr, sources, targets, stage, s1, word):
    # Stage ``stage`` of a triangle proposal through slot s1 (a -> b), its out-slot of b
    # (b -> c) named by ``word``: ask for the cache lines its next dependent reads need.
    a = sources[s1]
    b = targets[s1]
    if stage == 1:
        prefetch(indptr, a)
        prefetch(indptr, b)
        return
    lo = indptr[b]
    s2 = lo + _scaled(word, indptr[b + 1] - lo)
    if stage == 2:
        prefetch(targets, s2)
        prefetch(targets, lo)
        prefetch(targets, indptr[a])
        return
    c = targets[min(s2, targets.size - 1)]
    if stage == 3:
        prefetch(indptr, c)
        return
    prefetch(targets, indptr[c])


@njit(cache=True, nogil=True)
def global_switching_keeping_pairs(indptr, sources, targets, n_rounds, n_single_steps,
                                   p_triangle, p_pairs, p_shift, scratch, mutual,
                                   mutual_position, mutual_count, state):
    """Run ``n_rounds`` rounds that keep the reciprocal pairs, each followed by single steps.

    Each round (:func:`switch_round_keeping_pairs`) is followed by ``n_single_steps``
    steps of the single-move chain that keeps the number of reciprocal pairs
    (:func:`~connectome_motifs.nullmodels.kernels.edge_swaps.switch_and_hold` with
    ``p_triangle``, ``p_pairs`` and ``p_shift``, its edges found by row scans): 2-swaps,
    which a round cannot always make (where its switches meet at reverse edges, as in
    small graphs), triangle reversals, swaps and shifts of reciprocal pairs. Both parts
    leave the uniform distribution over the graphs with the degrees and the number of
    reciprocal pairs stationary, so their sequence does too. Returns the moves made.
    ``scratch`` is :func:`global_switching`'s; ``mutual``, ``mutual_position`` and
    ``mutual_count`` are the list of reciprocated slots, which only the single steps
    change, kept up to date. O(n_rounds · (m + n_single_steps · d)) expected, d the mean
    row scanned.
    """
    chunks, rows, perm, bucket, proposal, bad = scratch
    n = indptr.size - 1
    made = 0
    for _ in range(n_rounds):
        made += switch_round_keeping_pairs(indptr, sources, targets, next_u64(state), chunks,
                                           rows, perm, bucket, proposal, bad)
        made += switch_and_hold(indptr, sources, targets, None, False, n, n_single_steps,
                                p_triangle, RECIPROCAL_PAIRS, mutual, mutual_position,
                                mutual_count, p_pairs, p_shift, state)
    return made
