"""Kernels of the directed flag complex: its simplices counted by dimension, node and edge."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["edge_simplex_counts", "node_simplex_counts", "simplex_dimension_counts"]

# A list this many times shorter than the sorted list it meets is searched into it
# (O(a log b)); otherwise the longer one is scanned against marks (O(b)).
_GALLOP_RATIO = 8
# Positions of a vertex in a simplex, the last axis of the node counts.
_SOURCE, _INTERMEDIATE, _SINK = 0, 1, 2

# The search, shared by the kernels. Every simplex with source v0 lies in the subgraph induced
# by the out-neighbours of v0, numbered 0 .. d - 1 in the order of v0's out-list, whose local
# out-lists are built first. Depth-first with an explicit stack: level t, in
# buf[lo[t]:hi[t]], holds (sorted) the local nodes that extend the prefix (v0, ..., v_{t-1});
# level 2 is the local out-list of v1, and level t + 1, written just after level t, is level
# t intersected with the local out-list of v_t. depth[w] is the deepest level on the path
# holding w, so that w is in level t exactly when depth[w] >= t. A level is pushed only if
# it holds two nodes or more: the next level lacks the node just added.


@njit(cache=True, nogil=True)
def _lower_bound(values, lo, hi, x):
    """Return the first index in ``values[lo:hi]`` (sorted) whose value is not below ``x``."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _grown(buf, need):
    """Return ``buf``, or a copy at least twice as long when it is shorter than ``need``."""
    if need <= buf.size:
        return buf
    out = np.empty(max(need, 2 * buf.size), dtype=buf.dtype)
    out[: buf.size] = buf
    return out


@njit(cache=True, nogil=True)
def _max_out_degree(out_indptr):
    """Return the largest row length of a CSR index pointer (0 for no rows)."""
    most = 0
    for v in range(out_indptr.size - 1):
        most = max(most, out_indptr[v + 1] - out_indptr[v])
    return most


@njit(cache=True, nogil=True)
def _out_neighbourhood(out_indptr, out_indices, v, mark, r_indptr, r_indices, r_edges):
    """Build the out-adjacency of the subgraph induced by the out-neighbours of ``v``.

    Local node ``i`` is ``out_indices[out_indptr[v] + i]``; row ``i`` of ``r_indptr`` and
    ``r_indices`` lists, sorted, the local nodes it sends an edge to, and ``r_edges`` the
    ids of those edges in the graph. ``mark`` (length n, all zero) is left all zero.
    Return ``(r_indices, r_edges)``, grown if they had to. For ``d`` out-neighbours of
    ``v``, each out-neighbour ``u`` costs O(min(out-degree of u, d log out-degree of u)).
    """
    v_lo, v_hi = out_indptr[v], out_indptr[v + 1]
    degree = v_hi - v_lo
    for i in range(degree):
        mark[out_indices[v_lo + i]] = i + 1
    end = 0
    r_indptr[0] = 0
    for i in range(degree):
        u = out_indices[v_lo + i]
        u_lo, u_hi = out_indptr[u], out_indptr[u + 1]
        need = end + min(degree, u_hi - u_lo)
        r_indices, r_edges = _grown(r_indices, need), _grown(r_edges, need)
        if degree * _GALLOP_RATIO < u_hi - u_lo:
            k = u_lo
            for j in range(degree):
                k = _lower_bound(out_indices, k, u_hi, out_indices[v_lo + j])
                if k == u_hi:
                    break
                if out_indices[k] == out_indices[v_lo + j]:
                    r_indices[end], r_edges[end] = j, k
                    end += 1
        else:
            for k in range(u_lo, u_hi):
                j = mark[out_indices[k]]
                if j != 0:
                    r_indices[end], r_edges[end] = j - 1, k
                    end += 1
        r_indptr[i + 1] = end
    for i in range(degree):
        mark[out_indices[v_lo + i]] = 0
    return r_indices, r_edges


@njit(cache=True, nogil=True)
def _extend(buf, lo, hi, r_indices, u_lo, u_hi, depth, t, out):
    """Write level ``t`` (``buf[lo:hi]``) ∩ ``r_indices[u_lo:u_hi]`` from ``buf[out]``.

    Return the end of what was written, sorted.
    """
    if (hi - lo) * _GALLOP_RATIO < u_hi - u_lo:
        for i in range(lo, hi):
            u_lo = _lower_bound(r_indices, u_lo, u_hi, buf[i])
            if u_lo == u_hi:
                break
            if r_indices[u_lo] == buf[i]:
                buf[out] = buf[i]
                out += 1
    else:
        for k in range(u_lo, u_hi):
            if depth[r_indices[k]] >= t:
                buf[out] = r_indices[k]
                out += 1
    return out


@njit(cache=True, nogil=True)
def _extend_tracked(buf, edge, parent, lo, hi, r_indices, r_edges, u_lo, u_hi,
                    depth, where, t, out):
    """:func:`_extend`, also writing each node's edge from ``u`` and its index in level ``t``.

    ``where[w]`` is the index of ``w`` in the deepest level holding it.
    """
    if (hi - lo) * _GALLOP_RATIO < u_hi - u_lo:
        for i in range(lo, hi):
            u_lo = _lower_bound(r_indices, u_lo, u_hi, buf[i])
            if u_lo == u_hi:
                break
            if r_indices[u_lo] == buf[i]:
                buf[out], edge[out], parent[out] = buf[i], r_edges[u_lo], i
                out += 1
    else:
        for k in range(u_lo, u_hi):
            w = r_indices[k]
            if depth[w] >= t:
                buf[out], edge[out], parent[out] = w, r_edges[k], where[w]
                out += 1
    return out


@njit(cache=True, nogil=True, parallel=True)
def simplex_dimension_counts(out_indptr, out_indices, max_dimension, n_chunks):
    """Return an int64 array of length ``max_dimension + 1``: the directed k-simplices for each k.

    A directed k-simplex is a tuple ``(v0, ..., vk)`` of distinct nodes with an edge
    ``vi -> vj`` for every ``i < j``; 0-simplices are the nodes and 1-simplices the edges.

    Parameters
    ----------
    out_indptr, out_indices : arrays of int
        Out-adjacency in compressed sparse row form, rows sorted, no self-loops.
    max_dimension : int
        Largest dimension counted, at least 0; higher simplices are not searched for.
    n_chunks : int
        Number of work units; source ``v0`` belongs to unit ``v0 % n_chunks``. Each unit
        counts into its own row, so the sum is the same whatever the thread count.

    Returns
    -------
    int64 array, shape (max_dimension + 1,)
        Trailing zeros where the complex has no simplices of that dimension.

    Notes
    -----
    Depth-first from every source ``v0`` within the subgraph induced by its out-neighbours
    (see the module's comment): the nodes that can follow a prefix are the common
    out-neighbours of its vertices, each level the previous one intersected with the local
    out-list of the vertex just added. A prefix with ``c`` candidates ends ``c`` simplices
    one dimension up. Time O(n + m), plus building each source's subgraph, plus one
    intersection for every simplex of dimension 2 to ``max_dimension - 1``, costing
    O(min(b, a log b)) for ``a`` candidates and a local out-list of ``b``. Memory per work
    unit O(n + largest out-degree + edges among a source's out-neighbours + candidates
    along one path), allocated once and grown only if needed.
    """
    n = out_indptr.size - 1
    counts = np.zeros((n_chunks, max_dimension + 1), dtype=np.int64)
    max_degree = _max_out_degree(out_indptr)
    for c in prange(n_chunks):
        local = np.zeros(max_dimension + 1, dtype=np.int64)
        mark = np.zeros(n, dtype=np.int32)
        r_indptr = np.empty(max_degree + 1, dtype=np.int64)
        r_indices = np.empty(4 * max_degree + 16, dtype=np.int64)
        r_edges = np.empty(4 * max_degree + 16, dtype=np.int64)
        buf = np.empty(2 * max_degree + 16, dtype=np.int64)
        depth = np.zeros(max_degree, dtype=np.int64)
        lo = np.empty(max_dimension + 1, dtype=np.int64)
        hi = np.empty(max_dimension + 1, dtype=np.int64)
        nxt = np.empty(max_dimension + 1, dtype=np.int64)
        for v in range(c, n, n_chunks):
            local[0] += 1
            degree = out_indptr[v + 1] - out_indptr[v]
            if max_dimension < 1 or degree == 0:
                continue
            local[1] += degree
            if max_dimension < 2 or degree < 2:
                continue
            r_indices, r_edges = _out_neighbourhood(out_indptr, out_indices, v, mark,
                                                    r_indptr, r_indices, r_edges)
            local[2] += r_indptr[degree]
            if max_dimension < 3:
                continue
            for v1 in range(degree):
                size = r_indptr[v1 + 1] - r_indptr[v1]
                if size < 2:
                    continue
                buf[:size] = r_indices[r_indptr[v1]:r_indptr[v1 + 1]]
                depth[buf[:size]] = 2
                t = 2
                lo[2], hi[2], nxt[2] = 0, size, 0
                while t >= 2:
                    if nxt[t] == hi[t]:
                        depth[buf[lo[t]:hi[t]]] = t - 1
                        t -= 1
                        continue
                    u = buf[nxt[t]]
                    nxt[t] += 1
                    u_lo, u_hi = r_indptr[u], r_indptr[u + 1]
                    start = hi[t]
                    buf = _grown(buf, start + min(hi[t] - lo[t], u_hi - u_lo))
                    end = _extend(buf, lo[t], hi[t], r_indices, u_lo, u_hi, depth, t, start)
                    local[t + 1] += end - start
                    if end - start >= 2 and t + 2 <= max_dimension:
                        t += 1
                        lo[t], hi[t], nxt[t] = start, end, start
                        depth[buf[start:end]] = t
        counts[c, :] = local
    return counts.sum(axis=0)


@njit(cache=True, nogil=True, parallel=True)
def node_simplex_counts(out_indptr, out_indices, max_dimension, by_position, n_lanes):
    """Return an int64 array (n, max_dimension + 1, P): the simplices holding each node.

    Entry ``[v, k, p]`` counts the k-simplices with ``v`` at position ``p``: with
    ``by_position``, P = 3 and ``p`` is 0 (source, the first vertex; the one vertex of a
    0-simplex), 1 (intermediate) or 2 (sink, the last vertex); without, P = 1 and the entry
    counts every position.

    Parameters
    ----------
    out_indptr, out_indices : arrays of int
        Out-adjacency in compressed sparse row form, rows sorted, no self-loops.
    max_dimension : int
        Largest dimension counted, at least 0.
    by_position : bool
        Whether to split the counts by position.
    n_lanes : int
        Number of tables counted into, one per thread (the thread count is best); source
        ``v0`` is searched from by lane ``v0 % n_lanes``.

    Returns
    -------
    int64 array, shape (n, max_dimension + 1, 3 if by_position else 1)

    Notes
    -----
    The search of :func:`simplex_dimension_counts`; a prefix ``(v0, ..., vd)`` with ``c``
    candidates adds ``c`` to each of its vertices and 1 to each candidate, in dimension
    ``d + 1``. Each lane adds into its own table, summed at the end: integer sums, so the
    result does not depend on the number of lanes or threads. Memory 8 (P (max_dimension
    + 1) n) bytes per lane.
    """
    n = out_indptr.size - 1
    n_pos = 3 if by_position else 1
    source = _SOURCE
    intermediate = _INTERMEDIATE if by_position else _SOURCE
    sink = _SINK if by_position else _SOURCE
    acc = np.zeros((n_lanes, n, max_dimension + 1, n_pos), dtype=np.int64)
    max_degree = _max_out_degree(out_indptr)
    for c in prange(n_lanes):
        mine = acc[c]
        mark = np.zeros(n, dtype=np.int32)
        r_indptr = np.empty(max_degree + 1, dtype=np.int64)
        r_indices = np.empty(4 * max_degree + 16, dtype=np.int64)
        r_edges = np.empty(4 * max_degree + 16, dtype=np.int64)
        buf = np.empty(2 * max_degree + 16, dtype=np.int64)
        depth = np.zeros(max_degree, dtype=np.int64)
        lo = np.empty(max_dimension + 1, dtype=np.int64)
        hi = np.empty(max_dimension + 1, dtype=np.int64)
        nxt = np.empty(max_dimension + 1, dtype=np.int64)
        prefix = np.empty(max_dimension + 1, dtype=np.int64)  # graph nodes
        for v in range(c, n, n_lanes):
            mine[v, 0, source] += 1
            v_lo, v_hi = out_indptr[v], out_indptr[v + 1]
            degree = v_hi - v_lo
            if max_dimension < 1 or degree == 0:
                continue
            mine[v, 1, source] += degree
            for k in range(v_lo, v_hi):
                mine[out_indices[k], 1, sink] += 1
            if max_dimension < 2 or degree < 2:
                continue
            r_indices, r_edges = _out_neighbourhood(out_indptr, out_indices, v, mark,
                                                    r_indptr, r_indices, r_edges)
            prefix[0] = v
            for v1 in range(degree):
                size = r_indptr[v1 + 1] - r_indptr[v1]
                if size == 0:
                    continue
                prefix[1] = out_indices[v_lo + v1]
                mine[v, 2, source] += size
                mine[prefix[1], 2, intermediate] += size
                for k in range(r_indptr[v1], r_indptr[v1 + 1]):
                    mine[out_indices[v_lo + r_indices[k]], 2, sink] += 1
                if size < 2 or max_dimension < 3:
                    continue
                buf[:size] = r_indices[r_indptr[v1]:r_indptr[v1 + 1]]
                depth[buf[:size]] = 2
                t = 2
                lo[2], hi[2], nxt[2] = 0, size, 0
                while t >= 2:
                    if nxt[t] == hi[t]:
                        depth[buf[lo[t]:hi[t]]] = t - 1
                        t -= 1
                        continue
                    u = buf[nxt[t]]
                    nxt[t] += 1
                    prefix[t] = out_indices[v_lo + u]
                    u_lo, u_hi = r_indptr[u], r_indptr[u + 1]
                    start = hi[t]
                    buf = _grown(buf, start + min(hi[t] - lo[t], u_hi - u_lo))
                    end = _extend(buf, lo[t], hi[t], r_indices, u_lo, u_hi, depth, t, start)
                    size = end - start
                    if size == 0:
                        continue
                    dim = t + 1
                    mine[v, dim, source] += size
                    for i in range(1, t + 1):
                        mine[prefix[i], dim, intermediate] += size
                    for k in range(start, end):
                        mine[out_indices[v_lo + buf[k]], dim, sink] += 1
                    if size >= 2 and dim + 1 <= max_dimension:
                        t += 1
                        lo[t], hi[t], nxt[t] = start, end, start
                        depth[buf[start:end]] = t
    return acc.sum(axis=0)


@njit(cache=True, nogil=True, parallel=True)
def edge_simplex_counts(out_indptr, out_indices, max_dimension, n_lanes):
    """Return an int64 array (m, max_dimension): the simplices of dimension 1.. holding each edge.

    Row ``e`` is edge ``e`` of the out-adjacency (``out_indices[e]`` in the row of its
    source); column ``k - 1`` counts the k-simplices that contain it, for k from 1 to
    ``max_dimension``.

    Parameters
    ----------
    out_indptr, out_indices : arrays of int
        Out-adjacency in compressed sparse row form, rows sorted, no self-loops.
    max_dimension : int
        Largest dimension counted, at least 1.
    n_lanes : int
        Number of tables counted into, one per thread (the thread count is best); source
        ``v0`` is searched from by lane ``v0 % n_lanes``.

    Returns
    -------
    int64 array, shape (m, max_dimension)

    Notes
    -----
    The search of :func:`simplex_dimension_counts`, keeping with each candidate its edge
    from the newest prefix vertex and its index in the previous level, so that its edges
    from the whole prefix are found by walking back (a level-2 node's index in level 1 is
    its local number ``i``, its edge from ``v0`` ``out_indptr[v0] + i``). A prefix
    ``(v0, ..., vd)`` with ``c`` candidates adds ``c`` to each of its ``d (d + 1) / 2``
    edges and 1 to each edge from it to a candidate, in dimension ``d + 1``: O(d c) more
    than counting. Each lane adds into its own table, summed at the end, so the result
    does not depend on the number of lanes or threads. Memory 8 max_dimension m bytes per
    lane.
    """
    n = out_indptr.size - 1
    m = out_indices.size
    acc = np.zeros((n_lanes, m, max_dimension), dtype=np.int64)
    max_degree = _max_out_degree(out_indptr)
    for c in prange(n_lanes):
        mine = acc[c]
        mark = np.zeros(n, dtype=np.int32)
        r_indptr = np.empty(max_degree + 1, dtype=np.int64)
        r_indices = np.empty(4 * max_degree + 16, dtype=np.int64)
        r_edges = np.empty(4 * max_degree + 16, dtype=np.int64)
        buf = np.empty(2 * max_degree + 16, dtype=np.int64)
        edge = np.empty(buf.size, dtype=np.int64)
        parent = np.empty(buf.size, dtype=np.int64)
        depth = np.zeros(max_degree, dtype=np.int64)
        where = np.empty(max_degree, dtype=np.int64)
        lo = np.empty(max_dimension + 1, dtype=np.int64)
        hi = np.empty(max_dimension + 1, dtype=np.int64)
        nxt = np.empty(max_dimension + 1, dtype=np.int64)
        # The edges between prefix vertices: those into v_j at [j (j - 1) / 2, j (j + 1) / 2).
        prefix_edges = np.empty(max_dimension * (max_dimension + 1) // 2 + 1, dtype=np.int64)
        for v in range(c, n, n_lanes):
            v_lo, v_hi = out_indptr[v], out_indptr[v + 1]
            degree = v_hi - v_lo
            for k in range(v_lo, v_hi):
                mine[k, 0] += 1
            if max_dimension < 2 or degree < 2:
                continue
            r_indices, r_edges = _out_neighbourhood(out_indptr, out_indices, v, mark,
                                                    r_indptr, r_indices, r_edges)
            for v1 in range(degree):
                r_lo, r_hi = r_indptr[v1], r_indptr[v1 + 1]
                size = r_hi - r_lo
                if size == 0:
                    continue
                # Level 2: the 2-simplices (v, v1, w), w's edges from v1 and from v.
                prefix_edges[0] = v_lo + v1
                mine[v_lo + v1, 1] += size
                for k in range(size):
                    w = r_indices[r_lo + k]
                    buf[k], edge[k], parent[k] = w, r_edges[r_lo + k], w
                    mine[edge[k], 1] += 1
                    mine[v_lo + w, 1] += 1
                if size < 2 or max_dimension < 3:
                    continue
                for k in range(size):
                    depth[buf[k]], where[buf[k]] = 2, k
                t = 2
                lo[2], hi[2], nxt[2] = 0, size, 0
                while t >= 2:
                    if nxt[t] == hi[t]:
                        for k in range(lo[t], hi[t]):
                            depth[buf[k]], where[buf[k]] = t - 1, parent[k]
                        t -= 1
                        continue
                    s = nxt[t]
                    u = buf[s]
                    nxt[t] += 1
                    u_lo, u_hi = r_indptr[u], r_indptr[u + 1]
                    start = hi[t]
                    need = start + min(hi[t] - lo[t], u_hi - u_lo)
                    buf, edge, parent = _grown(buf, need), _grown(edge, need), _grown(parent, need)
                    end = _extend_tracked(buf, edge, parent, lo[t], hi[t], r_indices, r_edges,
                                          u_lo, u_hi, depth, where, t, start)
                    size = end - start
                    if size == 0:
                        continue
                    # u becomes prefix vertex t: its edges from v_{t-1}, ..., v_1, then v.
                    base = t * (t - 1) // 2
                    k = s
                    for i in range(t - 1, 0, -1):
                        prefix_edges[base + i] = edge[k]
                        k = parent[k]
                    prefix_edges[base] = v_lo + k
                    dim = t + 1
                    for i in range(base + t):
                        mine[prefix_edges[i], dim - 1] += size
                    for j in range(start, end):
                        k = j
                        for _ in range(t):
                            mine[edge[k], dim - 1] += 1
                            k = parent[k]
                        mine[v_lo + k, dim - 1] += 1
                    if size >= 2 and dim + 1 <= max_dimension:
                        t += 1
                        lo[t], hi[t], nxt[t] = start, end, start
                        for k in range(start, end):
                            depth[buf[k]], where[buf[k]] = t, k
    return acc.sum(axis=0)
