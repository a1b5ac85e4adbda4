"""Per-edge triad participation: for every connection, the triads that contain it, by class."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.motifs.catalogue import EDGE_ROLES, TRIAD_NAMES, edge_role_codes
from connectome_motifs.motifs.census import NeighbourLists, neighbour_lists, work_units
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.kernels import backward_neighbours, pair_triangle_counts

__all__ = ["edge_triad_participation"]

_FLIP = np.array([0, 2, 1, 3], dtype=np.int64)


@graph_input
def edge_triad_participation(graph: Any, roles: bool = False) -> pd.DataFrame:
    """Return, for every edge, how many triads of each class (or edge role) contain it.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    roles : bool, default False
        If True, split each class by the edge's role in it (the node roles of its ends,
        :data:`connectome_motifs.motifs.catalogue.EDGE_ROLES`): 32 columns instead of 15.

    Returns
    -------
    pandas.DataFrame of int64
        One row per edge in the graph's edge order (:meth:`SynapseGraph.edges`), indexed
        by the (``pre``, ``post``) cell ids. Columns are the MAN codes of the classes with
        an edge (every class but 003), or with ``roles=True`` a (triad, role) MultiIndex.
        Each row sums to ``n - 2``; over all edges, a class column sums to its number of
        edges × its census count, and a role column to the edges of that role in one
        triad × the census count.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    The triads holding an edge ``u -> v`` are those of ``{u, v}`` with every other
    node ``w``. Only the common neighbours of each connected pair are found, by type (the
    pair codes of ``{u, w}`` and ``{v, w}``), from degree-ordered lists; the triads
    where ``w`` is joined to one of ``u`` and ``v``, or to neither, follow in closed form
    from the two nodes' neighbours by pair code. Time O(n log n + m sqrt(m)) at worst,
    parallel over nodes with a thread-count-independent result; memory 36 bytes per
    connected pair and 8 × 32 per edge for the result.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1], [1, 2])
    >>> edge_triad_participation(g, roles=True)["021C"].to_numpy().tolist()
    [[1, 0], [0, 1]]
    """
    n = graph.n
    lists = neighbour_lists(graph)
    back = backward_neighbours(lists.fwd_indptr, lists.fwd_indices, lists.fwd_codes)
    common, _ = pair_triangle_counts(lists.indptr, lists.indices, lists.codes, lists.fwd_codes,
                                     back[0], back[1], back[3], True, work_units(n))
    pre, post = graph.edges()
    pre = pre.astype(np.int64)
    post = post.astype(np.int64)
    pair_code = np.where(graph.reciprocal_mask, 3, 1)
    typed = _common_by_type(lists, common, pre, post)
    k = lists.code_counts
    degree = k[:, 1:].sum(axis=1)
    counts = np.zeros((pre.size, len(EDGE_ROLES)), dtype=np.int64)
    role_of = edge_role_codes()
    rows = np.arange(pre.size)
    for c_uw in range(4):
        for c_vw in range(4):
            if c_uw and c_vw:
                count = typed[:, c_uw - 1, c_vw - 1]
            elif c_uw:
                count = (k[pre, c_uw] - (pair_code == c_uw)
                         - typed[:, c_uw - 1, :].sum(axis=1))
            elif c_vw:
                count = (k[post, c_vw] - (_FLIP[pair_code] == c_vw)
                         - typed[:, :, c_vw - 1].sum(axis=1))
            else:
                count = n - degree[pre] - degree[post] + typed.sum(axis=(1, 2))
            role = role_of[pair_code | (c_uw << 2) | (c_vw << 4)]
            counts[rows, role] += count
    index = pd.MultiIndex.from_arrays([graph.ids[pre], graph.ids[post]], names=["pre", "post"])
    if roles:
        columns = pd.MultiIndex.from_tuples(EDGE_ROLES, names=["triad", "role"])
        return pd.DataFrame(counts, index=index, columns=columns)
    classes = [t for t in TRIAD_NAMES if any(r[0] == t for r in EDGE_ROLES)]
    by_class = np.zeros((pre.size, len(classes)), dtype=np.int64)
    for j, (triad, _) in enumerate(EDGE_ROLES):
        by_class[:, classes.index(triad)] += counts[:, j]
    return pd.DataFrame(by_class, index=index, columns=pd.Index(classes, name="triad"))


def _common_by_type(lists: NeighbourLists, common: NDArray[np.int32],
                    pre: NDArray[np.int64], post: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return each edge's common neighbours by (code from pre, code from post), (m, 3, 3)."""
    n, rank = lists.rank.size, lists.rank
    pre_lower = rank[pre] < rank[post]
    lower = np.where(pre_lower, pre, post)
    upper = np.where(pre_lower, post, pre)
    # Forward rows are sorted, and rows follow one another: the keys are increasing.
    row_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(lists.fwd_indptr))
    keys = row_of * n + lists.fwd_indices
    position = np.searchsorted(keys, lower * n + upper)
    typed = common[position].astype(np.int64).reshape(-1, 3, 3)
    # The counts are by (code from the lower-ranked node, code from the other).
    typed[~pre_lower] = typed[~pre_lower].transpose(0, 2, 1)
    return typed
