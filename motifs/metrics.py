"""Graph metrics beside the census: reciprocity, clustering, the common-neighbour rule."""

from __future__ import annotations

from math import comb
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.motifs.census import (
    NeighbourLists,
    dyad_census,
    neighbour_lists,
    triangle_histogram,
    work_units,
)
from connectome_motifs.motifs.inputs import graph_input
from connectome_motifs.motifs.kernels import common_neighbour_histogram

__all__ = [
    "clustering_coefficient",
    "common_neighbour_counts",
    "common_neighbour_rule",
    "connected_triples",
    "reciprocity",
    "transitivity",
]


def common_neighbour_counts(lists: NeighbourLists, n: int) -> NDArray[np.int64]:
    """Return the unordered node pairs by their number of common neighbours.

    Parameters
    ----------
    lists : NeighbourLists
        From :func:`connectome_motifs.motifs.census.neighbour_lists`.
    n : int
        Number of nodes.

    Returns
    -------
    int64 array, shape (max_degree + 1, 3)
        Row ``c``: pairs with ``c`` common neighbours (column 0), of which joined by a
        one-way edge (column 1) or reciprocally (column 2). Column 0 sums to C(n, 2).

    Notes
    -----
    O(n + sum of squared degrees): pairs with a common neighbour are enumerated through
    paths of length two; those with none follow by difference.
    """
    counts = common_neighbour_histogram(lists.indptr, lists.indices, lists.codes,
                                        work_units(n))
    counts[0, 0] = comb(n, 2) - counts[:, 0].sum()
    counts[0, 1] = int(lists.code_counts[:, 1:3].sum()) // 2 - counts[:, 1].sum()
    counts[0, 2] = int(lists.code_counts[:, 3].sum()) // 2 - counts[:, 2].sum()
    return counts


def reciprocity(graph: Any) -> float:
    """Return the fraction of connected node pairs that are connected both ways.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.

    Returns
    -------
    float
        ``mutual / (asymmetric + mutual)`` in the dyad census
        (:func:`connectome_motifs.motifs.dyad_census`; reciprocal / (one-way + reciprocal) in the
        terms of Turner et al. 2022); NaN if the graph has no edge. This is igraph's
        ``reciprocity(mode="ratio")``; the fraction of *edges* whose reverse exists (networkx
        ``reciprocity``) is ``2 mutual / m``, a different number.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    O(n + m).

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> reciprocity(SynapseGraph.from_edges([0, 1, 1], [1, 0, 2]))
    0.5
    """
    census = dyad_census(graph)
    connected = int(census["asymmetric"]) + int(census["mutual"])
    return int(census["mutual"]) / connected if connected else float("nan")


@graph_input
def clustering_coefficient(graph: Any) -> float:
    """Return the transitivity of the undirected graph: 3 × triangles / connected triples.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.

    Returns
    -------
    float
        Edge directions are ignored (two nodes are adjacent if an edge joins them either
        way). A triangle is three pairwise adjacent nodes; a connected triple is a node
        with an unordered pair of its neighbours, ``sum_v C(deg(v), 2)``. NaN if there is
        no connected triple. This is the clustering coefficient of Turner et al. 2022
        and equals networkx ``transitivity`` of the undirected graph.

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    Triangles are counted by the triad-census kernel: O(n log n + m + m sqrt(m)) at
    worst, parallel over nodes.

    References
    ----------
    Newman, M. E. J., Strogatz, S. H. & Watts, D. J. (2001). Random graphs with arbitrary
    degree distributions and their applications. Physical Review E 64, 026118.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> clustering_coefficient(SynapseGraph.from_edges([0, 1, 2, 2], [1, 2, 0, 3]))
    0.6
    """
    lists = neighbour_lists(graph)
    triangles = int(triangle_histogram(lists, graph.n).sum())
    return transitivity(triangles, connected_triples(lists))


def connected_triples(lists: NeighbourLists) -> int:
    """Return ``sum_v C(deg(v), 2)``, the paths of length two of the undirected graph. O(n)."""
    degree = np.diff(lists.indptr)
    return int((degree * (degree - 1) // 2).sum())


def transitivity(triangles: int, triples: int) -> float:
    """Return ``3 × triangles / triples``, or NaN without triples (Newman et al. 2001)."""
    return 3 * triangles / triples if triples else float("nan")


@graph_input
def common_neighbour_rule(graph: Any, directed: bool = False) -> pd.DataFrame:
    """Return, for node pairs grouped by their number of common neighbours, how many are connected.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    directed : bool, default False
        False: the units are unordered pairs ``{i, j}``, connected if an edge joins
        them either way. True: the units are ordered pairs ``(i, j)``, ``i != j``,
        connected if the edge ``i -> j`` exists (each unordered pair counts twice,
        a reciprocal pair is connected both times, a one-way pair once).

    Returns
    -------
    pandas.DataFrame
        Columns ``n_common`` (the number of common neighbours: nodes joined to both by an
        edge in either direction), ``pairs`` (how many pairs have it), ``connected``
        (how many of them are connected) and ``fraction`` (``connected / pairs``), one
        row per value of ``n_common`` that occurs, increasing. ``pairs`` sums to
        ``C(n, 2)`` (or ``n (n - 1)`` if directed) and ``connected`` to the number of
        connected pairs (or the number of edges).

    Raises
    ------
    TypeError
        If ``graph`` is not a graph type this package accepts.

    Notes
    -----
    The common-neighbour rule of Perin et al. (2011), Fig. 5I of Turner et al. (2022):
    connection probability grows with the number of shared neighbours. Pairs with at
    least one common neighbour are enumerated through paths of length two, so time is
    O(n + m + sum of squared undirected degrees); pairs with none follow by difference.

    References
    ----------
    Perin, R., Berger, T. K. & Markram, H. (2011). A synaptic organizing principle for
    cortical neuronal groups. PNAS 108(13), 5419–5424.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 0], [1, 2, 2], n=4)
    >>> common_neighbour_rule(g)[["n_common", "pairs", "connected"]].values.tolist()
    [[0, 3, 0], [1, 3, 3]]
    """
    counts = common_neighbour_counts(neighbour_lists(graph), graph.n)
    pairs, asymmetric, mutual = counts[:, 0], counts[:, 1], counts[:, 2]
    if directed:
        pairs = 2 * pairs
        connected = asymmetric + 2 * mutual
    else:
        connected = asymmetric + mutual
    table = pd.DataFrame(
        {
            "n_common": np.arange(len(pairs), dtype=np.int64),
            "pairs": pairs,
            "connected": connected,
        }
    )
    table = table[table["pairs"] > 0].reset_index(drop=True)
    table["fraction"] = table["connected"] / table["pairs"]
    return table
