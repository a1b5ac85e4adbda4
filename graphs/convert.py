"""Convert synapse graphs to and from scipy.sparse arrays, igraph and networkx graphs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike

from connectome_motifs.graphs.build import synapse_counts, unify_ids
from connectome_motifs.graphs.errors import GraphStructureError
from connectome_motifs.graphs.synapse_graph import BuildReport, SynapseGraph

if TYPE_CHECKING:
    import igraph
    import networkx

__all__ = [
    "as_synapse_graph",
    "from_igraph",
    "from_networkx",
    "from_scipy_sparse",
    "to_igraph",
    "to_networkx",
    "to_scipy_sparse",
]


def _node_table(ids: Sequence[Any], attributes: dict[str, Sequence[Any]], source: str
                ) -> pd.DataFrame:
    """Return a node table: exact ``id`` column first, then the other attributes."""
    if len(ids):
        (id_array,) = unify_ids([(pd.Series(list(ids)), "id", source)])
    else:
        id_array = np.zeros(0, dtype=np.int64)
    nodes = pd.DataFrame({"id": pd.Series(id_array, dtype=id_array.dtype)})
    for name, values in attributes.items():
        nodes[f"{name}_" if name == "id" else name] = list(values)
    return nodes


def _from_edge_arrays(
    pre: ArrayLike, post: ArrayLike, weights: ArrayLike | None, nodes: pd.DataFrame,
    source: str,
) -> SynapseGraph:
    """Return the graph of simple directed edges, dropping self-loops into the report."""
    pre = np.asarray(pre, dtype=np.int64)
    post = np.asarray(post, dtype=np.int64)
    if weights is None or len(weights) == 0:
        counts = np.ones(pre.size, dtype=np.int64)
    else:
        counts = synapse_counts(pd.DataFrame({"weight": pd.Series(weights)}), "weight", source)
    loop = pre == post
    report = BuildReport(
        rows_read=int(pre.size),
        synapses_read=int(counts.sum()),
        autapse_synapses_removed=int(counts[loop].sum()),
    )
    return SynapseGraph.from_edges(pre[~loop], post[~loop], counts[~loop], n=len(nodes),
                                   nodes=nodes, report=report)


# -- scipy.sparse ------------------------------------------------------------------------


def to_scipy_sparse(g: SynapseGraph, weighted: bool = True) -> sp.csr_array:
    """Return the adjacency matrix as a scipy CSR array: entry (i, j) is the synapse count.

    Parameters
    ----------
    g : SynapseGraph
    weighted : bool
        Synapse counts (int32) if True, else 1 for every edge (int32).

    Returns
    -------
    scipy.sparse.csr_array of shape (n, n)
        Rows are presynaptic, columns postsynaptic node indices; column indices sorted.

    Notes
    -----
    O(n + m): the graph's out-adjacency arrays are copied.

    Examples
    --------
    >>> g = SynapseGraph.from_edges([0, 1], [1, 0], [3, 1], n=3)
    >>> to_scipy_sparse(g).toarray().tolist()
    [[0, 3, 0], [1, 0, 0], [0, 0, 0]]
    """
    data = g.out_weights.copy() if weighted else np.ones(g.n_edges, dtype=np.int32)
    return sp.csr_array((data, g.out_indices.copy(), g.out_indptr.copy()), shape=(g.n, g.n))


def from_scipy_sparse(a: sp.sparray | sp.spmatrix, nodes: pd.DataFrame | None = None
                      ) -> SynapseGraph:
    """Return the graph of a square sparse adjacency matrix of synapse counts.

    Parameters
    ----------
    a : scipy sparse array or matrix, shape (n, n)
        Entry (i, j) is the number of synapses from node i to node j. Integer, boolean
        (True = one synapse) or float with whole values; stored zeros are no connection.
    nodes : pandas.DataFrame, optional
        Node table of n rows with an ``id`` column (default ids ``0 .. n-1``).

    Returns
    -------
    SynapseGraph
        Diagonal entries (autapses) are removed and counted in ``report``.

    Raises
    ------
    GraphStructureError
        If ``a`` is not a square sparse matrix or ``nodes`` has the wrong length.
    InvalidWeightError
        If an entry is negative, fractional or NaN (rows are positions in COO order).
    InvalidIdError
        If node ids are missing, floating point or mixed.

    Notes
    -----
    O(nnz log nnz). Duplicate COO entries are summed, as scipy defines them.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> g = from_scipy_sparse(sp.csr_array([[0, 2, 0], [1, 0, 0], [0, 0, 4]]))
    >>> g.n_edges, g.n_synapses, g.report.autapse_synapses_removed
    (2, 3, 4)
    """
    if not sp.issparse(a):
        raise GraphStructureError(f"expected a scipy sparse array or matrix, got {type(a)}")
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise GraphStructureError(f"the adjacency matrix must be square, got shape {a.shape}")
    n = a.shape[0]
    coo = sp.coo_array(a, copy=True)
    coo.sum_duplicates()
    coo.eliminate_zeros()
    weights = coo.data.astype(np.int64) if coo.data.dtype == bool else coo.data
    source = "scipy sparse matrix"
    if nodes is None:
        nodes = pd.DataFrame({"id": np.arange(n, dtype=np.int64)})
    elif len(nodes) != n or "id" not in nodes.columns:
        raise GraphStructureError(f"nodes must be a table of {n} rows with an 'id' column")
    else:
        (ids,) = unify_ids([(nodes["id"], "id", "nodes")])
        nodes = nodes.reset_index(drop=True).assign(id=pd.Series(ids, dtype=ids.dtype))
    return _from_edge_arrays(coo.row, coo.col, weights, nodes, source)


# -- igraph ------------------------------------------------------------------------------


def to_igraph(g: SynapseGraph) -> igraph.Graph:
    """Return the graph as a directed igraph graph with node attributes and edge weights.

    Vertex ``i`` is node ``i``; every node-table column (``id``, ``x``, ...) becomes a
    vertex attribute of Python values (ids stay exact integers or strings), and the edge
    attribute ``"weight"`` holds synapse counts.

    Parameters
    ----------
    g : SynapseGraph

    Returns
    -------
    igraph.Graph

    Notes
    -----
    O(n + m) plus igraph's construction.

    Examples
    --------
    >>> g = SynapseGraph.from_edges([0, 1], [1, 0], [3, 1], n=3)
    >>> h = to_igraph(g)
    >>> h.get_edgelist(), h.es["weight"], h.vs["id"]
    ([(0, 1), (1, 0)], [3, 1], [0, 1, 2])
    """
    import igraph

    pre, post = g.edges()
    h = igraph.Graph(n=g.n, edges=np.column_stack([pre, post]), directed=True)
    h.es["weight"] = g.out_weights.tolist()
    nodes = g.nodes
    for column in nodes.columns:
        h.vs[column] = nodes[column].tolist()
    return h


def from_igraph(h: igraph.Graph, id_attribute: str | None = "id",
                weight_attribute: str | None = "weight") -> SynapseGraph:
    """Return the synapse graph of a directed igraph graph.

    Parameters
    ----------
    h : igraph.Graph
        A directed graph without multiple edges.
    id_attribute : str or None
        Vertex attribute holding the cell ids; if None or absent, the ids are the vertex
        indices. Other vertex attributes become node-table columns.
    weight_attribute : str or None
        Edge attribute holding synapse counts; if None or absent every edge is one synapse.

    Returns
    -------
    SynapseGraph
        Self-loops are removed and counted in ``report.autapse_synapses_removed``.

    Raises
    ------
    GraphStructureError
        If the graph is undirected or has multiple edges between the same ordered pair.
    InvalidWeightError, InvalidIdError
        On weights that are not positive whole numbers, or ids that are missing, float or
        mixed.

    Notes
    -----
    O(n + m log m).
    """
    if not h.is_directed():
        raise GraphStructureError("the igraph graph is undirected; synapse graphs are directed")
    if h.has_multiple():
        raise GraphStructureError(
            "the igraph graph has multiple edges; merge them into a weight first "
            "(e.g. Graph.simplify(combine_edges='sum'))"
        )
    attributes = {name: h.vs[name] for name in h.vs.attributes()}
    ids = attributes.pop(id_attribute) if id_attribute in attributes else range(h.vcount())
    nodes = _node_table(ids, attributes, "igraph graph")
    edges = np.array(h.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    weights = None
    if weight_attribute is not None and weight_attribute in h.es.attributes():
        weights = h.es[weight_attribute]
    return _from_edge_arrays(edges[:, 0], edges[:, 1], weights, nodes, "igraph graph")


# -- networkx ----------------------------------------------------------------------------


def to_networkx(g: SynapseGraph) -> networkx.DiGraph:
    """Return the graph as a networkx ``DiGraph`` labelled by node index.

    Nodes are the integers ``0 .. n-1`` (always unique and hashable, whatever the id
    type), carrying every node-table column as an attribute: ``G.nodes[i]["id"]`` is the
    cell id. Edges carry ``"weight"``, the synapse count.

    Parameters
    ----------
    g : SynapseGraph

    Returns
    -------
    networkx.DiGraph

    Notes
    -----
    O(n + m) plus networkx's dictionary construction.

    Examples
    --------
    >>> g = SynapseGraph.from_edges([0, 1], [1, 0], [3, 1], n=3)
    >>> G = to_networkx(g)
    >>> sorted(G.edges(data="weight")), G.nodes[2]
    ([(0, 1, 3), (1, 0, 1)], {'id': 2})
    """
    import networkx

    G = networkx.DiGraph()
    nodes = g.nodes
    columns = {c: nodes[c].tolist() for c in nodes.columns}
    G.add_nodes_from(
        (i, {c: values[i] for c, values in columns.items()}) for i in range(g.n)
    )
    pre, post = g.edges()
    G.add_weighted_edges_from(zip(pre.tolist(), post.tolist(), g.out_weights.tolist(), strict=True))
    return G


def from_networkx(G: networkx.DiGraph, weight: str | None = "weight",
                  id_attribute: str | None = "id") -> SynapseGraph:
    """Return the synapse graph of a networkx ``DiGraph``.

    Parameters
    ----------
    G : networkx.DiGraph
        Directed, not a multigraph. Node order is ``G.nodes`` order.
    weight : str or None
        Edge attribute of synapse counts; if None, or no edge has it, every edge is one
        synapse. If some edges have it and others not, that is an error.
    id_attribute : str or None
        Node attribute holding the cell ids (as written by :func:`to_networkx`); if None
        or no node has it, the node labels are the ids. Other node attributes become
        node-table columns (missing values become None/NaN).

    Returns
    -------
    SynapseGraph
        Self-loops are removed and counted in ``report.autapse_synapses_removed``.

    Raises
    ------
    GraphStructureError
        If ``G`` is undirected or a multigraph.
    InvalidWeightError, InvalidIdError
        On weights that are missing on some edges or not positive whole numbers, or ids
        that are missing, float, or mixed integers and strings.

    Notes
    -----
    O(n + m log m).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("AVAL", "AVAR", {"weight": 2}), ("AVAR", "AVAL", {"weight": 1})])
    >>> g = from_networkx(G)
    >>> g.ids.tolist(), g.n_reciprocal_pairs
    (['AVAL', 'AVAR'], 1)
    """
    if not G.is_directed():
        raise GraphStructureError("the networkx graph is undirected; synapse graphs are directed")
    if G.is_multigraph():
        raise GraphStructureError(
            "the networkx graph is a multigraph; merge parallel edges into a weight first"
        )
    labels = list(G.nodes)
    data = [G.nodes[v] for v in labels]
    names = list(dict.fromkeys(k for d in data for k in d))
    use_attribute = id_attribute is not None and id_attribute in names
    ids = [d.get(id_attribute) for d in data] if use_attribute else labels
    attributes = {k: [d.get(k) for d in data] for k in names if not (use_attribute
                                                                      and k == id_attribute)}
    nodes = _node_table(ids, attributes, "networkx graph")
    index = {v: i for i, v in enumerate(labels)}
    edges = list(G.edges(data=weight, default=None)) if weight is not None else list(G.edges)
    pre = np.fromiter((index[e[0]] for e in edges), dtype=np.int64, count=len(edges))
    post = np.fromiter((index[e[1]] for e in edges), dtype=np.int64, count=len(edges))
    weights = None
    if weight is not None and any(e[2] is not None for e in edges):
        weights = [e[2] for e in edges]
    return _from_edge_arrays(pre, post, weights, nodes, "networkx graph")


# -- any accepted graph ------------------------------------------------------------------


def as_synapse_graph(obj: Any) -> SynapseGraph:
    """Return ``obj`` as a :class:`~.synapse_graph.SynapseGraph`, converting other graph types.

    The one input policy of the package: every public function and every ``fit`` that
    takes a graph passes it through here.

    Parameters
    ----------
    obj : SynapseGraph, scipy.sparse matrix or array, igraph.Graph or networkx.DiGraph
        A square sparse matrix's nonzero entries are edges (:func:`from_scipy_sparse`);
        igraph and networkx graphs must be directed (:func:`from_igraph`,
        :func:`from_networkx`). A motif census counts simple graphs, so a matrix with a
        nonzero diagonal is refused rather than silently stripped of its self-loops.

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

    Notes
    -----
    O(1) for a SynapseGraph; a conversion costs what its converter states.

    Examples
    --------
    >>> g = SynapseGraph.from_edges([0], [1])
    >>> as_synapse_graph(g) is g
    True
    >>> as_synapse_graph(sp.csr_array([[0, 1], [1, 0]])).n_reciprocal_pairs
    1
    """
    if isinstance(obj, SynapseGraph):
        return obj
    module = type(obj).__module__.split(".")[0]
    if module == "scipy" and sp.issparse(obj):
        if obj.ndim == 2 and obj.shape[0] == obj.shape[1]:
            loops = np.flatnonzero(obj.diagonal())
            if loops.size:
                raise GraphStructureError(
                    "the matrix has nonzero diagonal entries (self-loops); a motif census "
                    "needs a simple graph", rows=loops, n_bad=loops.size,
                )
        return from_scipy_sparse(obj)
    if module == "igraph":
        return from_igraph(obj)
    if module == "networkx":
        return from_networkx(obj)
    raise TypeError(
        "expected a SynapseGraph, a scipy.sparse matrix, an igraph.Graph or a networkx.DiGraph, "
        f"got {type(obj).__name__}"
    )
