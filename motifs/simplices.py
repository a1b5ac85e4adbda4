"""Directed simplices (the directed flag complex) of a graph: counts and participation."""

from __future__ import annotations

import operator
from typing import Any

import numba
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.census import work_units
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.kernels.simplices import (
    edge_simplex_counts,
    node_simplex_counts,
    simplex_dimension_counts,
)

__all__ = ["MAX_SIMPLICES", "POSITIONS", "SimplexLimitError", "simplex_counts",
           "simplex_participation"]

#: Most simplices a count visits unless told otherwise: about ten seconds on one core. The
#: complex of a dense, reciprocal core grows many-fold per dimension (the Drosophila larva's
#: axo-axonic graph has 3.1e9 5-simplices), far past what any count can visit.
MAX_SIMPLICES = 10**9

#: Positions of a node in a simplex, the second column level of
#: ``simplex_participation(..., positions=True)``: first vertex, any other, last vertex.
POSITIONS = ("source", "intermediate", "sink")

_BY = ("node", "edge")


def _dimension_bound(graph: SynapseGraph, max_dimension: Any) -> int:
    """Return the largest dimension worth searching: ``max_dimension``, or what degrees allow.

    The source of a k-simplex sends k edges, so no simplex has a dimension above the
    largest out-degree.
    """
    most = int(graph.out_degree.max(initial=0))
    if max_dimension is None:
        return most
    if isinstance(max_dimension, bool):
        raise TypeError("max_dimension must be an int or None, got a bool")
    try:
        bound = operator.index(max_dimension)
    except TypeError:
        raise TypeError(f"max_dimension must be an int or None, got "
                        f"{type(max_dimension).__name__}") from None
    if bound < 0:
        raise ValueError(f"max_dimension must be >= 0, got {bound}")
    return min(bound, most)


class SimplexLimitError(ValueError):
    """The directed flag complex has more simplices than a count may visit."""


def _counted(graph: SynapseGraph, bound: int) -> NDArray[np.int64]:
    counts = simplex_dimension_counts(graph.out_indptr, graph.out_indices, bound,
                                      work_units(graph.n))
    # Every face of a simplex is one, so the nonzero counts are the leading ones.
    return counts[: int(np.count_nonzero(counts))]


def _dimension_counts(graph: SynapseGraph, bound: int,
                      max_simplices: int | None) -> NDArray[np.int64]:
    """Return the simplex counts of dimensions 0 .. D, D the largest dimension present.

    With a limit, the search deepens one dimension at a time while the counts grow, and
    stops with :class:`SimplexLimitError` as soon as the simplices counted, or those the
    next dimension would add at the last growth rate, pass ``max_simplices``; once the
    counts fall it doubles the depth. Each pass costs about the simplices up to its depth.
    """
    if max_simplices is None:
        return _counted(graph, bound)
    depth = min(bound, 2)
    while True:
        counts = _counted(graph, depth)
        total = int(counts.sum())
        if counts.size <= depth or depth == bound:
            if total > max_simplices:
                _too_many(counts, None, max_simplices)
            return counts
        growth = counts[depth] / max(counts[depth - 1], 1)
        if total + counts[depth] * growth > max_simplices:
            _too_many(counts, growth, max_simplices)
        depth = min(bound, depth + 1 if growth > 1 else 2 * depth)


def _too_many(counts: NDArray[np.int64], growth: float | None, limit: int) -> None:
    shown = ", ".join(f"{int(c):,}" for c in counts)
    rate = f", growing {growth:.3g}-fold per dimension" if growth is not None else ""
    raise SimplexLimitError(
        f"the directed flag complex is too large to count in full: dimensions 0 to "
        f"{counts.size - 1} hold {shown} simplices{rate}, past max_simplices={limit:,}; "
        f"count fewer dimensions (max_dimension) or lift the limit (max_simplices=None)")


@graph_input
def simplex_counts(graph: Any, max_dimension: int | None = None,
                   max_simplices: int | None = MAX_SIMPLICES) -> pd.Series:
    """Return the number of directed simplices of each dimension (the flag complex's cells).

    A directed k-simplex is a tuple ``(v0, ..., vk)`` of distinct nodes with an edge
    ``vi -> vj`` for every ``i < j``: a transitive tournament on k + 1 nodes, which may
    also hold edges the other way. 0-simplices are the nodes, 1-simplices the edges (a
    reciprocal pair is two); a set of nodes may carry several simplices.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    max_dimension : int, optional
        Count only the simplices of dimension up to this (and search no further);
        default all.
    max_simplices : int or None
        Most simplices to visit (:data:`MAX_SIMPLICES`, about ten seconds); None for no
        limit.

    Returns
    -------
    pandas.Series of int64
        Indexed by dimension ``0 .. D`` (index named ``"dimension"``), named ``"count"``,
        where D is the largest dimension with a simplex (at most ``max_dimension``): 0 for
        a graph without edges, and an empty Series for a graph without nodes.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts, or ``max_dimension`` is
        not an int.
    ValueError
        If ``max_dimension`` is negative.
    SimplexLimitError
        If the complex holds more than ``max_simplices`` simplices (up to
        ``max_dimension``), or the counts so far grow fast enough that the next dimension
        would pass it; the message gives the counts so far and their growth.

    Notes
    -----
    Depth-first from every source node, as in flagser, with an explicit stack: the nodes
    that can extend a simplex are the common out-neighbours of its vertices, each list
    the previous one intersected with the out-list of the vertex just added. Every
    simplex from a source lies among its out-neighbours, so the search runs in the
    subgraph they induce, built first (its out-lists hold only the edges among them):
    for ``d`` out-neighbours, each out-neighbour ``u`` costs O(min(out-degree(u),
    d log out-degree(u))). A list of ``a`` candidates then meets a local out-list of
    ``b`` nodes in O(min(b, a log b)) (a scan against marks, or binary search).
    Time O(n + m + the sum of those two costs: once per edge, and once per simplex of
    dimension 2 to ``max_dimension - 1``); the number of simplices can grow
    exponentially with the size of the largest clique, which ``max_dimension`` bounds.
    Memory per work unit O(n + the largest out-degree + the most edges among one
    node's out-neighbours). Parallel over sources, in a fixed number of work units each
    with its own counts, so the result does not depend on the thread count. Under a
    limit the search deepens a dimension at a time while the counts grow (each pass
    costs about the simplices up to its depth), so that a complex too large to count
    is refused within about the time of the limit.

    References
    ----------
    Reimann, M. W. et al. (2017). Cliques of neurons bound into cavities provide a
    missing link between structure and function. Frontiers in Computational
    Neuroscience 11, 48.

    Lütgehetmann, D., Govc, D., Smith, J. P. & Levi, R. (2020). Computing persistent
    homology of directed flag complexes. Algorithms 13(1), 19.

    Examples
    --------
    ``0 -> 1 -> 2`` with the shortcut ``0 -> 2`` is one 2-simplex; ``2 -> 3`` adds an
    edge but no other simplex.

    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 0, 1, 2], [1, 2, 2, 3])
    >>> simplex_counts(g).tolist()
    [4, 4, 1]
    """
    counts = _dimension_counts(graph, _dimension_bound(graph, max_dimension), max_simplices)
    index = pd.RangeIndex(counts.size, name="dimension")
    return pd.Series(counts, index=index, name="count")


@graph_input
def simplex_participation(
    graph: Any,
    by: str = "node",
    max_dimension: int | None = None,
    positions: bool = False,
    max_simplices: int | None = MAX_SIMPLICES,
) -> pd.DataFrame:
    """Return, for each node or edge, how many directed simplices of each dimension hold it.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    by : {"node", "edge"}
        One row per node, or one per edge.
    max_dimension : int, optional
        Count only the simplices of dimension up to this; default all.
    positions : bool, default False
        With ``by="node"``, split each dimension by the node's position in the simplex
        (:data:`POSITIONS`): ``"source"`` (the first vertex, and the one vertex of a
        0-simplex), ``"intermediate"`` or ``"sink"`` (the last vertex).
    max_simplices : int or None
        As for :func:`simplex_counts`.

    Returns
    -------
    pandas.DataFrame of int64
        By node: indexed by cell id (index named ``"id"``), columns the dimensions
        ``0 .. D`` (named ``"dimension"``; column 0 is 1 for every node), or with
        ``positions=True`` a (dimension, position) MultiIndex, every position for every
        dimension (zero where it cannot occur: a 0-simplex has only its source, an edge
        no intermediate). By edge: one row per edge, in the graph's edge order, indexed by the
        (pre id, post id) MultiIndex named ``("pre", "post")``, columns the dimensions
        ``1 .. D``. D is as in :func:`simplex_counts`. Over all rows, the dimension-k
        column sums to ``(k + 1)`` times the number of k-simplices by node, and to
        ``k (k + 1) / 2`` times it by edge.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts, or ``max_dimension`` is
        not an int.
    ValueError
        If ``by`` is neither ``"node"`` nor ``"edge"``, ``positions`` is asked for by
        edge, or ``max_dimension`` is negative.
    SimplexLimitError
        As for :func:`simplex_counts`.

    Notes
    -----
    The search of :func:`simplex_counts` (run once first, to find D), crediting the
    simplices to their nodes or edges as they are found: a simplex that ``c`` nodes
    extend one dimension up credits ``c`` to each of its nodes (its edges) and one to
    each of those nodes (each edge to them). Time about twice that of :func:`simplex_counts`, plus
    O(d) per found d-simplex by node and O(d²) by edge. Sources are dealt to the threads
    in turn, each thread adding into its own table, summed at the end (exact integers,
    the same for any thread count): memory 8 bytes × threads × n × (D + 1) by node (3
    times that with positions) and × m × D by edge.

    References
    ----------
    Reimann, M. W. et al. (2017). Cliques of neurons bound into cavities provide a
    missing link between structure and function. Frontiers in Computational
    Neuroscience 11, 48.

    Lütgehetmann, D., Govc, D., Smith, J. P. & Levi, R. (2020). Computing persistent
    homology of directed flag complexes. Algorithms 13(1), 19.

    Examples
    --------
    The one 2-simplex ``(0, 1, 2)`` of ``0 -> 1 -> 2`` plus ``0 -> 2`` holds each
    node and each edge; node 1 is its intermediate vertex.

    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 0, 1], [1, 2, 2])
    >>> simplex_participation(g).loc[1].tolist()
    [1, 2, 1]
    >>> simplex_participation(g, positions=True).loc[1, 2].tolist()
    [0, 1, 0]
    >>> simplex_participation(g, by="edge").loc[(0, 2)].tolist()
    [1, 1]
    """
    if by not in _BY:
        raise ValueError(f"by must be 'node' or 'edge', got {by!r}")
    if positions and by == "edge":
        raise ValueError("positions are those of nodes: use them with by='node'")
    counts = _dimension_counts(graph, _dimension_bound(graph, max_dimension), max_simplices)
    top = counts.size - 1
    if by == "edge":
        pre, post = graph.edges()
        ids = graph.ids
        index = pd.MultiIndex.from_arrays([ids[pre], ids[post]], names=["pre", "post"])
        columns = pd.RangeIndex(1, max(top, 0) + 1, name="dimension")
        if top < 1:
            return pd.DataFrame(np.zeros((graph.n_edges, 0), dtype=np.int64),
                                index=index, columns=columns)
        table = edge_simplex_counts(graph.out_indptr, graph.out_indices, top,
                                    numba.get_num_threads())
        return pd.DataFrame(table, index=index, columns=columns)
    index = pd.Index(graph.ids, name="id")
    if top < 0:
        columns = (pd.MultiIndex.from_tuples([], names=["dimension", "position"]) if positions
                   else pd.RangeIndex(0, name="dimension"))
        return pd.DataFrame(index=index, columns=columns, dtype=np.int64)
    table = node_simplex_counts(graph.out_indptr, graph.out_indices, top, bool(positions),
                                numba.get_num_threads())
    if positions:
        columns = pd.MultiIndex.from_product([range(top + 1), POSITIONS],
                                             names=["dimension", "position"])
        return pd.DataFrame(table.reshape(graph.n, -1), index=index, columns=columns)
    return pd.DataFrame(table[:, :, 0], index=index,
                        columns=pd.RangeIndex(top + 1, name="dimension"))
