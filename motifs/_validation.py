"""Converting and validating the graphs that the public motif functions accept."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from graphs import GraphStructureError, SynapseGraph

__all__ = ["as_synapse_graph", "node_indices"]


def as_synapse_graph(obj: Any) -> SynapseGraph:
    """Return ``obj`` as a :class:`~graphs.SynapseGraph`, converting other graph types.

    Parameters
    ----------
    obj : SynapseGraph, scipy.sparse matrix or array, igraph.Graph or networkx.DiGraph
        A square sparse matrix's nonzero entries are edges; igraph and networkx graphs
        must be directed. Conversion is done by :mod:`graphs.convert`. A motif census
        counts simple graphs, so a matrix with a nonzero diagonal is refused rather
        than silently stripped of its self-loops.

    Returns
    -------
    SynapseGraph
        ``obj`` itself if it is one already.

    Raises
    ------
    TypeError
        If ``obj`` is none of the accepted types.
    graphs.GraphStructureError
        If a sparse matrix has a nonzero diagonal entry.
    graphs.GraphInputError
        If the converter rejects it (for example an undirected or non-square graph).

    Examples
    --------
    >>> g = SynapseGraph.from_edges([0], [1])
    >>> as_synapse_graph(g) is g
    True
    """
    if isinstance(obj, SynapseGraph):
        return obj
    module = type(obj).__module__.split(".")[0]
    if module == "scipy":
        from graphs.convert import from_scipy_sparse

        if obj.ndim == 2 and obj.shape[0] == obj.shape[1]:
            loops = np.flatnonzero(obj.diagonal())
            if loops.size:
                raise GraphStructureError(
                    "the matrix has nonzero diagonal entries (self-loops); a motif census "
                    "needs a simple graph", rows=loops, n_bad=loops.size,
                )

        return from_scipy_sparse(obj)
    if module == "igraph":
        from graphs.convert import from_igraph

        return from_igraph(obj)
    if module == "networkx":
        from graphs.convert import from_networkx

        return from_networkx(obj)
    raise TypeError(
        "expected a SynapseGraph, a scipy.sparse matrix, an igraph.Graph or a networkx.DiGraph, "
        f"got {type(obj).__name__}"
    )


def node_indices(graph: SynapseGraph, ids: Any) -> NDArray[np.int64]:
    """Return the node indices of the cells with the given ids, or of every node for None.

    Raises
    ------
    graphs.UnknownCellError
        If an id is not a node of the graph.
    """
    if ids is None:
        return np.arange(graph.n, dtype=np.int64)
    return graph.index_of(ids)
