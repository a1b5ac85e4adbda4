"""The directed rich-club coefficient: how densely the cells of degree above k connect."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.inputs import graph_input

__all__ = ["DEGREES", "rich_club_coefficient", "rich_club_counts", "rich_club_table"]

#: The degrees a rich club can be ranked by: in + out, in, or out.
DEGREES = ("total", "in", "out")


def _degree(graph: SynapseGraph, degree: str) -> NDArray[np.int64]:
    if degree == "total":
        return graph.in_degree + graph.out_degree
    if degree == "in":
        return graph.in_degree
    if degree == "out":
        return graph.out_degree
    raise ValueError(f"degree must be one of {DEGREES}, got {degree!r}")


def rich_club_counts(graph: SynapseGraph,
                     degree: str = "total") -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return, for k = 0 .. max degree - 1, the nodes of degree > k and the edges among them.

    Parameters
    ----------
    graph : SynapseGraph
    degree : {"total", "in", "out"}

    Returns
    -------
    n_nodes, n_edges : int64 arrays, shape (max degree,)
        ``n_nodes[k]`` nodes have degree above ``k``; ``n_edges[k]`` directed edges join
        two of them. Empty when the graph has no edges.

    Raises
    ------
    ValueError
        If ``degree`` is not one of :data:`DEGREES`.

    Notes
    -----
    An edge lies in the club of ``k`` while ``k`` is below the smaller degree of its
    two ends, so both arrays are reversed cumulative sums of histograms (of the node
    degrees, and of each edge's smaller end degree): O(n + m), no sorting.
    """
    d = _degree(graph, degree)
    top = int(d.max(initial=0))
    pre, post = graph.edges()
    smaller = np.minimum(d[pre], d[post])
    n_nodes = graph.n - np.cumsum(np.bincount(d, minlength=top + 1))[:top]
    n_edges = graph.n_edges - np.cumsum(np.bincount(smaller, minlength=top + 1))[:top]
    return n_nodes.astype(np.int64), n_edges.astype(np.int64)


@graph_input
def rich_club_table(graph: Any, degree: str = "total") -> pd.DataFrame:
    """Return the rich clubs of a graph, one row per degree threshold k.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    degree : {"total", "in", "out"}, default "total"
        What ranks the nodes: in- plus out-degree, in-degree or out-degree.

    Returns
    -------
    pandas.DataFrame
        Columns ``k`` (0 .. max degree - 1), ``n_nodes`` (N, nodes of degree above k),
        ``n_edges`` (E, directed edges between two of them) and ``coefficient``,
        E / (N (N - 1)), NaN where N < 2. No rows for a graph without edges.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph this package accepts.
    ValueError
        If ``degree`` is not one of :data:`DEGREES`.

    Notes
    -----
    O(n + m) (:func:`rich_club_counts`).

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 0, 2], [1, 0, 2, 3])
    >>> print(rich_club_table(g).to_string(index=False))
     k  n_nodes  n_edges  coefficient
     0        4        4     0.333333
     1        3        3     0.500000
     2        1        0          NaN
    """
    n_nodes, n_edges = rich_club_counts(graph, degree)
    with np.errstate(invalid="ignore", divide="ignore"):
        coefficient = np.where(n_nodes >= 2, n_edges / (n_nodes * (n_nodes - 1.0)), np.nan)
    return pd.DataFrame({"k": np.arange(n_nodes.size, dtype=np.int64), "n_nodes": n_nodes,
                         "n_edges": n_edges, "coefficient": coefficient})


def rich_club_coefficient(graph: Any, degree: str = "total") -> pd.Series:
    """Return the directed rich-club coefficient φ(k) for k = 0 .. max degree - 1.

    φ(k) = E / (N (N - 1)): N nodes have degree above ``k`` and E directed edges join
    two of them, so φ(k) is the density of the club (Colizza et al. 2006, directed as
    in Smilkov & Kocarev 2010).

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    degree : {"total", "in", "out"}, default "total"
        What ranks the nodes: in- plus out-degree, in-degree or out-degree.

    Returns
    -------
    pandas.Series of float64
        Indexed by ``k`` (every integer from 0 to the largest degree minus one, so that
        graphs of one degree sequence share the index), named ``"rich_club"``; NaN where
        fewer than two nodes have degree above ``k``. Empty for a graph without edges. Not
        normalised: divide by the mean of a degree-preserving null ensemble for that.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph this package accepts.
    ValueError
        If ``degree`` is not one of :data:`DEGREES`.

    Notes
    -----
    O(n + m) (:func:`rich_club_counts`). On a graph whose every edge is reciprocated,
    ``degree="out"`` gives networkx's undirected ``rich_club_coefficient(normalized=False)``
    of the underlying undirected graph, 2 E_u / (N (N - 1)); ``degree="total"`` gives it
    at ``2k`` and ``2k + 1`` for its ``k``.

    References
    ----------
    Colizza, V., Flammini, A., Serrano, M. A. & Vespignani, A. (2006). Detecting
    rich-club ordering in complex networks. Nature Physics 2, 110–115.

    Smilkov, D. & Kocarev, L. (2010). Rich-club and page-club coefficients for directed
    graphs. Physica A 389(11), 2290–2299.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 0, 2], [1, 0, 2, 3])
    >>> rich_club_coefficient(g).round(3).tolist()
    [0.333, 0.5, nan]
    """
    table = rich_club_table(graph, degree)
    return pd.Series(table["coefficient"].to_numpy(),
                     index=pd.Index(table["k"].to_numpy(), name="k"), name="rich_club")
