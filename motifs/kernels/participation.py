"""Kernel of per-node triad participation: how many triads of each node role a node is in."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["node_role_counts"]


@njit(cache=True, nogil=True, parallel=True)
def node_role_counts(
    nbr_indptr,
    nbr_indices,
    nbr_codes,
    fwd_indptr,
    fwd_indices,
    fwd_codes,
    code_counts,
    nodes,
    n_asymmetric,
    n_mutual,
    code_role,
    n_roles,
    empty_role,
    n_chunks,
):
    """Return an int64 array (len(nodes), n_roles): each node's triads, counted by its role.

    Every triad holding node ``x`` is counted once in ``x``'s row, in the column
    ``code_role[code]``, where ``code`` is the labelled code of the triad with ``x`` at
    position 0 (see :func:`connectome_motifs.motifs.catalogue.tricode`).

    Parameters
    ----------
    nbr_indptr, nbr_indices, nbr_codes : arrays
        Merged neighbour lists
        (:func:`~connectome_motifs.motifs.kernels.neighbours.merge_neighbours`).
    fwd_indptr, fwd_indices, fwd_codes : arrays
        Their degree-ordered forward half
        (:func:`~connectome_motifs.motifs.kernels.neighbours.forward_neighbours`).
    code_counts : int64 array, shape (n, 4)
        Neighbours of each node by pair code
        (:func:`~connectome_motifs.motifs.kernels.neighbours.pair_code_counts`).
    nodes : int64 array
        The nodes to count, one output row each.
    n_asymmetric, n_mutual : int
        Numbers of one-way and reciprocal pairs in the graph.
    code_role : int64 array, shape (64,)
        Role of node 0 in each labelled code.
    n_roles : int
        Number of roles (columns).
    empty_role : int
        Column of the empty triad (003), filled by difference from ``C(n - 1, 2)``.
    n_chunks : int
        Number of work units; row ``r`` belongs to unit ``r % n_chunks``. Each row is
        written by one unit only, so the result does not depend on the thread count.

    Returns
    -------
    int64 array, shape (len(nodes), n_roles)

    Notes
    -----
    Only triangles are enumerated; every other class is counted in closed form and
    corrected by inclusion–exclusion over the triangles at ``x``:

    - open triads centred at ``x`` from the pair-code counts of ``x``, open triads with
      ``x`` at an end from those of its neighbours, minus the three paths of length two
      that every triangle at ``x`` contains;
    - triads with one connected pair ``{x, a}``: ``n - deg(x) - deg(a)`` plus the number
      of common neighbours of ``x`` and ``a``;
    - triads with one connected pair away from ``x``: all such pairs, minus those
      touching a neighbour of ``x``, plus the pairs among the neighbours of ``x``.

    Each triangle at ``x`` is found once, from the lower-ranked of its two other nodes.
    Work per node ``x`` is O(sum over neighbours ``a`` of ``|N+(a)|``); in all at most
    O(m Δ), parallel over nodes.
    """
    n = nbr_indptr.size - 1
    n_rows = nodes.size
    out = np.zeros((n_rows, n_roles), dtype=np.int64)
    all_triads = (n - 1) * (n - 2) // 2
    for c in prange(n_chunks):
        mark = np.zeros(n, dtype=np.int8)
        for r in range(c, n_rows, n_chunks):
            x = nodes[r]
            lo, hi = nbr_indptr[x], nbr_indptr[x + 1]
            deg_x = hi - lo
            k1, k2, k3 = code_counts[x, 1], code_counts[x, 2], code_counts[x, 3]
            out[r, code_role[1 | (1 << 2)]] += k1 * (k1 - 1) // 2
            out[r, code_role[2 | (2 << 2)]] += k2 * (k2 - 1) // 2
            out[r, code_role[3 | (3 << 2)]] += k3 * (k3 - 1) // 2
            out[r, code_role[1 | (2 << 2)]] += k1 * k2
            out[r, code_role[3 | (1 << 2)]] += k3 * k1
            out[r, code_role[3 | (2 << 2)]] += k3 * k2
            touch_asymmetric = 0
            touch_mutual = 0
            for k in range(lo, hi):
                a = nbr_indices[k]
                code_xa = nbr_codes[k]
                mark[a] = code_xa
                deg_a = nbr_indptr[a + 1] - nbr_indptr[a]
                out[r, code_role[code_xa]] += n - deg_x - deg_a
                # The pair code seen from a: one-way edges flip direction.
                code_ax = ((code_xa & 1) << 1) | (code_xa >> 1)
                for t in range(1, 4):
                    paths = code_counts[a, t] - (1 if t == code_ax else 0)
                    out[r, code_role[code_xa | (t << 4)]] += paths
                touch_asymmetric += code_counts[a, 1] + code_counts[a, 2]
                touch_mutual += code_counts[a, 3]
            out[r, code_role[1 << 4]] += n_asymmetric - touch_asymmetric
            out[r, code_role[3 << 4]] += n_mutual - touch_mutual
            for k in range(lo, hi):
                a = nbr_indices[k]
                code_xa = nbr_codes[k]
                for j in range(fwd_indptr[a], fwd_indptr[a + 1]):
                    code_xb = mark[fwd_indices[j]]
                    if code_xb == 0:
                        continue
                    code = code_xa | (code_xb << 2) | (fwd_codes[j] << 4)
                    out[r, code_role[code]] += 1
                    out[r, code_role[code & 0b001111]] -= 1
                    out[r, code_role[code & 0b110011]] -= 1
                    out[r, code_role[code & 0b111100]] -= 1
                    out[r, code_role[code & 0b000011]] += 1
                    out[r, code_role[code & 0b001100]] += 1
                    out[r, code_role[code & 0b110000]] += 1
            for k in range(lo, hi):
                mark[nbr_indices[k]] = 0
            counted = 0
            for q in range(n_roles):
                counted += out[r, q]
            out[r, empty_role] = all_triads - counted
    return out
