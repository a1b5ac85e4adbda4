"""Converting and validating the graphs that the public motif functions accept."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numba
import numpy as np
from numpy.typing import NDArray

from graphs import GraphStructureError, SynapseGraph

__all__ = ["as_synapse_graph", "graph_input", "kernel_threads", "node_indices"]

#: Graphs with fewer edges run the parallel kernels on one thread.
SERIAL_BELOW_EDGES = 50_000

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def kernel_threads(n_edges: int) -> Iterator[None]:
    """Run the numba kernels of the block on one thread when the graph is small.

    Opening a parallel region costs more than a census of a few thousand edges, and far
    more when other processes hold the cores (the threads wait at a barrier for a
    descheduled peer; measured ~100x on pinky100). The setting is per thread and the
    kernels give the same result for any thread count.
    """
    previous = numba.get_num_threads()
    if n_edges >= SERIAL_BELOW_EDGES or previous == 1:
        yield
        return
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def graph_input(func: F) -> F:
    """Decorate a function of a graph: convert its first argument, pick the kernel threads.

    The wrapped function receives a :class:`~graphs.SynapseGraph` (see
    :func:`as_synapse_graph`) and runs inside :func:`kernel_threads`.
    """

    @functools.wraps(func)
    def wrapper(graph: Any, *args: Any, **kwargs: Any) -> Any:
        graph = as_synapse_graph(graph)
        with kernel_threads(graph.n_edges):
            return func(graph, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
