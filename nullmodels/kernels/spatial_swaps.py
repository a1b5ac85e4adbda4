"""Metropolis edge-swap chains weighted by a distance-dependent factor per edge (numba).

The chain's state is the configuration models' (:mod:`.edge_swaps`): per edge slot a fixed
source and a mutable target, and the edge set. Each edge ``i -> j`` carries the log
weight ``log_weights[int(d_ij / resolution)]``; a move is made with the Metropolis
probability ``min(1, exp(change in the summed log weight))``. Distances are binned by the
distance bins of :mod:`.spatial`, so a pair lands in the bin the proximity model fitted
it in; the moves are those of :mod:`.edge_swaps`.
"""

import numpy as np
from numba import njit

from connectome_motifs.nullmodels.kernels.edge_swaps import has_edge, move_edge, reverse_triangle
from connectome_motifs.nullmodels.kernels.random_bits import bounded, uniform
from connectome_motifs.nullmodels.kernels.spatial import distance_bin

__all__ = ["weighted_switch_and_hold"]


@njit(cache=True, nogil=True)
def weighted_switch_and_hold(indptr, sources, targets, table, dense, n, n_steps, p_triangle,
                             positions, log_weights, resolution, state):
    """Run ``n_steps`` Metropolis steps in place; return how many moves were accepted.

    A step proposes, with probability ``p_triangle``, the reversal of a directed 3-cycle
    through a uniform slot, made whenever the graph stays simple; else the 2-swap
    ``(a -> b, c -> d) -> (a -> d, c -> b)`` of two uniform slots, made if the graph stays
    simple and then with probability ``min(1, w_ad w_cb / (w_ab w_cd))``, ``w`` the
    weight ``exp(log_weights[bin])`` of a pair's distance bin. Both proposals are as
    likely as their reverse, so the chain is reversible with respect to the law
    ``∝ Π_edges w`` on the simple digraphs with the starting degrees that it reaches.

    Parameters
    ----------
    indptr : int64 array (n + 1,)
        Slot ranges by source; never change.
    sources : int32 array (m,)
        Source of each slot; never changes.
    targets : int32 array (m,)
        Target of each slot, updated in place (rows become unsorted).
    table : int64 array
        Edge set of ``targets`` (:mod:`connectome_motifs.nullmodels.kernels.edge_set`),
        updated in place.
    dense : bool
        Whether ``table`` is a bitset rather than a hash set.
    n : int
        Number of nodes.
    n_steps : int
        Proposals to make; a rejected proposal is a step that keeps the graph.
    p_triangle : float
        Probability that a step proposes a directed-triangle reversal.
    positions : float64 array (n, dims)
        Node positions; pair ``{i, j}`` is in bin ``int(d_ij / resolution)``.
    log_weights : float64 array (n_bins,)
        Log weight of an edge per distance bin, ``-inf`` for a bin no edge may enter and
        ``+inf`` for one no edge may leave. The current graph must have positive finite
        total weight in the sense that no edge lies in a ``-inf`` bin and no unconnected
        pair in a ``+inf`` bin; the chain then never leaves that support and no
        ``inf - inf`` arises.
    resolution : float
        Width of the distance bins.
    state : uint64 array (4,)
        State of the chain's random generator
        (:mod:`connectome_motifs.nullmodels.kernels.random_bits`), advanced in place.

    Notes
    -----
    O(n_steps · dims) expected time: a 2-swap costs four distances and at most two
    membership tests in the edge set (O(1) expected), a triangle reversal one row scan.
    """
    m = targets.size
    accepted = 0
    if m == 0:
        return accepted
    for _ in range(n_steps):
        s1 = bounded(state, m)
        if p_triangle > 0.0 and uniform(state) < p_triangle:
            accepted += reverse_triangle(indptr, sources, targets, table, dense, n, s1, state)
            continue
        s2 = bounded(state, m)
        if s1 == s2:
            continue
        a = np.int64(sources[s1])
        b = np.int64(targets[s1])
        c = np.int64(sources[s2])
        d = np.int64(targets[s2])
        # Simple first: then a -> d and c -> b are unconnected pairs (never in a +inf bin)
        # and a -> b, c -> d edges (never in a -inf bin), so the change is not NaN.
        if a == d or c == b or has_edge(table, dense, n, a, d) or has_edge(table, dense, n, c, b):
            continue
        change = (log_weights[distance_bin(positions, a, d, resolution)]
                  + log_weights[distance_bin(positions, c, b, resolution)]
                  - log_weights[distance_bin(positions, a, b, resolution)]
                  - log_weights[distance_bin(positions, c, d, resolution)])
        if not change >= 0.0 and not uniform(state) < np.exp(change):
            continue
        move_edge(table, dense, n, a, b, d)
        move_edge(table, dense, n, c, d, b)
        targets[s1] = d
        targets[s2] = b
        accepted += 1
    return accepted

