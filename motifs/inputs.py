"""The input policy of the public motif functions: any accepted graph, the right threads."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from connectome_motifs.graphs import SynapseGraph, as_synapse_graph
from connectome_motifs.graphs.threads import kernel_threads

__all__ = ["graph_input", "node_indices"]

F = TypeVar("F", bound=Callable[..., Any])


def graph_input(func: F) -> F:
    """Decorate a function of a graph: convert its first argument, pick the kernel threads.

    The wrapped function receives a :class:`~connectome_motifs.graphs.SynapseGraph` (see
    :func:`connectome_motifs.graphs.as_synapse_graph`) and runs inside
    :func:`connectome_motifs.graphs.threads.kernel_threads`.
    """

    @functools.wraps(func)
    def wrapper(graph: Any, *args: Any, **kwargs: Any) -> Any:
        graph = as_synapse_graph(graph)
        with kernel_threads(graph.n_edges):
            return func(graph, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
