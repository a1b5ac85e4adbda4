"""The immutable directed synapse graph, stored as out- and in-adjacency CSR arrays."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from connectome_motifs.graphs.errors import GraphStructureError, UnknownCellError
from connectome_motifs.graphs.kernels.reciprocity import reciprocated_edges
from connectome_motifs.graphs.kernels.transpose import transpose_csr
from connectome_motifs.graphs.kernels.validation import is_simple_sorted_csr
from connectome_motifs.graphs.threads import kernel_threads

__all__ = ["BuildReport", "SynapseGraph"]

_INT32_MAX = np.iinfo(np.int32).max
POSITION_COLUMNS = ("x", "y", "z")
# Former names of BuildReport fields, still accepted by BuildReport.from_dict.
_REPORT_RENAMED = {"duplicate_rows_merged": "repeated_pair_rows_merged"}


@dataclass(frozen=True)
class BuildReport:
    """What building a graph read, merged and removed, and from which columns.

    Every count is exact. Invariant of a graph built from a table (before subgraphs):
    ``synapses_read == n_synapses + autapse_synapses_removed + unknown_cell_synapses_dropped``.

    Attributes
    ----------
    rows_read : int
        Rows of the synapse or connection table.
    synapses_read : int
        Synapses in the table (rows of a synapse table, or the sum of a count column).
    autapse_synapses_removed : int
        Synapses with the same pre- and postsynaptic cell, dropped because the graph is simple.
    repeated_pair_rows_merged : int
        Rows whose ordered pair (pre, post) an earlier kept row already has: merged into
        that pair's one edge, their synapses added to its weight (no synapse is lost). It
        counts rows, not synapses: in a synapse table (one row per synapse) it is the
        synapses beyond the first of each connection; in a connection table, the rows
        beyond the first of each pair (e.g. one row per pair and neuropil). Rows of
        autapses and of dropped unknown cells are not counted. Equals the rows kept minus
        the edges.
    unknown_cell_synapses_dropped : int
        Synapses whose cell is not in the cell table, dropped on request.
    unknown_cells : int
        Distinct cell ids of those dropped synapses.
    empty_rows_removed : int
        Rows of a connection table left out by a loader because they hold no synapse in the
        count column read (e.g. a compartment of the larva connectome,
        :func:`connectome_motifs.graphs.datasets.larva`); they hold no synapse of the graph.
    nodes_removed_by_subgraph, edges_removed_by_subgraph : int
        Nodes and edges that taking subgraphs removed.
    weight_column : str or None
        Column of the source table the synapse counts were read from; None when every row
        is one synapse.
    weight_column_detected : bool
        True when ``weight_column`` was not named by the format but picked by its name
        (one column named like a synapse count, see
        :func:`connectome_motifs.graphs.formats.is_synapse_count_name`).
    unused_columns : tuple of str
        Columns of the synapse table that building the graph did not read (neither the ids
        nor the weight column), in file order.
    """

    rows_read: int = 0
    synapses_read: int = 0
    autapse_synapses_removed: int = 0
    repeated_pair_rows_merged: int = 0
    unknown_cell_synapses_dropped: int = 0
    unknown_cells: int = 0
    empty_rows_removed: int = 0
    nodes_removed_by_subgraph: int = 0
    edges_removed_by_subgraph: int = 0
    weight_column: str | None = None
    weight_column_detected: bool = False
    unused_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "unused_columns", tuple(str(c) for c in self.unused_columns))

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a flat ``dict`` of JSON-able values.

        Counts are ``int``, ``weight_column`` a ``str`` or None, ``weight_column_detected``
        a ``bool`` and ``unused_columns`` a ``list`` of ``str``;
        ``BuildReport.from_dict(r.as_dict()) == r``.
        """
        out = dataclasses.asdict(self)
        out["unused_columns"] = list(self.unused_columns)
        return out

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> BuildReport:
        """Return the report of :meth:`as_dict` (also one written under former field names)."""
        renamed = {_REPORT_RENAMED.get(k, k): v for k, v in fields.items()}
        return cls(**renamed)


def _readonly(a: NDArray) -> NDArray:
    a.flags.writeable = False
    return a


class SynapseGraph:
    """A simple directed graph of cells joined by synapses, immutable.

    Nodes are indexed ``0 .. n-1``. Edges are unique ordered pairs ``(pre, post)`` with
    ``pre != post``, each with a weight: the number of synapses joining the pair.
    Adjacency is kept twice, in compressed sparse row form by source (``out_*``) and by
    target (``in_*``), with column indices sorted within each row and weights aligned
    with both.

    Build one with :meth:`from_edges`, or from tables with
    :func:`connectome_motifs.graphs.from_tables` and the file readers.

    Parameters
    ----------
    out_indptr : array of int64, shape (n + 1,)
    out_indices : array of int32, shape (m,)
        Targets of the edges of row ``i`` are ``out_indices[out_indptr[i]:out_indptr[i+1]]``,
        strictly increasing, never ``i``.
    out_weights : array of int32, shape (m,)
        Synapse counts, all >= 1.
    nodes : pandas.DataFrame, optional
        Node table with ``n`` rows and a unique ``id`` column (the original cell ids:
        int64, uint64 or str); optional ``x``, ``y``, ``z`` soma positions in µm and any
        other cell attributes. Defaults to ids ``0 .. n-1``.
    report : BuildReport, optional
        What building the graph removed.

    Notes
    -----
    Memory is 16 bytes per edge (int32 indices and weights in both orientations) plus
    16 bytes per node for the two index pointers, plus the node table. Construction
    validates the arrays and derives the in-adjacency by a counting sort, both O(n + m)
    (numba kernels in :mod:`connectome_motifs.graphs.kernels`).
    """

    def __init__(
        self,
        out_indptr: ArrayLike,
        out_indices: ArrayLike,
        out_weights: ArrayLike | None = None,
        nodes: pd.DataFrame | None = None,
        report: BuildReport | None = None,
    ) -> None:
        self._build(out_indptr, out_indices, out_weights, nodes, report, check_nodes=True)

    def _build(self, out_indptr, out_indices, out_weights, nodes, report, check_nodes) -> None:
        indptr = np.ascontiguousarray(out_indptr, dtype=np.int64)
        indices = np.asarray(out_indices)
        if indptr.ndim != 1 or indptr.size == 0 or indptr[0] != 0:
            raise GraphStructureError("out_indptr must be 1-D, non-empty and start at 0")
        n = indptr.size - 1
        m = int(indptr[-1])
        if np.any(np.diff(indptr) < 0):
            raise GraphStructureError("out_indptr must be non-decreasing")
        if indices.shape != (m,):
            raise GraphStructureError(f"out_indices must have out_indptr[-1] = {m} entries")
        if n > _INT32_MAX:
            raise GraphStructureError(f"at most {_INT32_MAX} nodes are supported, got {n}")
        if m and not np.issubdtype(indices.dtype, np.integer):
            raise GraphStructureError(f"out_indices must be integers, got {indices.dtype}")
        if indices.dtype not in (np.int32, np.int64):
            if m and (indices.min() < 0 or indices.max() >= n):
                self._raise_invalid_targets(indptr, indices, n)
            indices = indices.astype(np.int64)
        if not is_simple_sorted_csr(indptr, indices, n):
            self._raise_invalid_targets(indptr, indices, n)
        indices = indices.astype(np.int32)  # a copy: the caller keeps theirs
        weights = self._check_weights(out_weights, m)
        if check_nodes:
            nodes = self._check_nodes(nodes, n)

        set_ = object.__setattr__
        set_(self, "_n", n)
        set_(self, "_out_indptr", _readonly(indptr))
        set_(self, "_out_indices", _readonly(indices))
        set_(self, "_out_weights", _readonly(weights))
        with kernel_threads(m):
            in_indptr, in_indices, in_weights = transpose_csr(indptr, indices, weights, n,
                                                              numba.get_num_threads())
        set_(self, "_in_indptr", _readonly(in_indptr))
        set_(self, "_in_indices", _readonly(in_indices))
        set_(self, "_in_weights", _readonly(in_weights))
        set_(self, "_nodes", nodes)
        set_(self, "_report", report if report is not None else BuildReport())

    @staticmethod
    def _raise_invalid_targets(indptr: NDArray[np.int64], indices: NDArray, n: int) -> None:
        # Name every offending entry of a CSR that is_simple_sorted_csr refused.
        if indices.min() < 0 or indices.max() >= n:
            bad = np.flatnonzero((indices < 0) | (indices >= n))
            raise GraphStructureError(f"edge targets must lie in 0..{n - 1}", rows=bad)
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
        if np.any(src == indices):
            raise GraphStructureError(
                "self-loops (autapses) are not allowed", rows=np.flatnonzero(src == indices)
            )
        # Within a row, targets must strictly increase: no duplicate edges, sorted rows.
        same_row = src[1:] == src[:-1]
        raise GraphStructureError(
            "targets must be strictly increasing within each row (sorted, no duplicates)",
            rows=np.flatnonzero(same_row & (indices[1:] <= indices[:-1])) + 1,
        )

    @staticmethod
    def _check_weights(weights: ArrayLike | None, m: int) -> NDArray[np.int32]:
        if weights is None:
            return np.ones(m, dtype=np.int32)
        w = np.asarray(weights)
        if w.shape != (m,):
            raise GraphStructureError(f"weights must have one entry per edge ({m})")
        if m == 0:
            return np.zeros(0, dtype=np.int32)
        if not np.issubdtype(w.dtype, np.integer):
            raise GraphStructureError(f"weights must be integers, got {w.dtype}")
        bad = np.flatnonzero((w < 1) | (w > _INT32_MAX))
        if bad.size:
            raise GraphStructureError(
                f"weights (synapse counts) must lie in 1..{_INT32_MAX}", rows=bad, n_bad=bad.size
            )
        return np.ascontiguousarray(w, dtype=np.int32)

    @staticmethod
    def _check_nodes(nodes: pd.DataFrame | None, n: int) -> pd.DataFrame:
        if nodes is None:
            return pd.DataFrame({"id": np.arange(n, dtype=np.int64)})
        if "id" not in nodes.columns:
            raise GraphStructureError("the node table needs an 'id' column")
        if len(nodes) != n:
            raise GraphStructureError(f"the node table has {len(nodes)} rows for {n} nodes")
        dup = nodes["id"].duplicated()
        if dup.any():
            raise GraphStructureError(
                "node ids must be unique", column="id", rows=np.flatnonzero(dup.to_numpy())
            )
        return nodes.reset_index(drop=True)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("SynapseGraph is immutable")

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_edges(
        cls,
        pre: ArrayLike,
        post: ArrayLike,
        weights: ArrayLike | None = None,
        *,
        n: int | None = None,
        nodes: pd.DataFrame | None = None,
        report: BuildReport | None = None,
    ) -> SynapseGraph:
        """Return the graph with edges ``pre[k] -> post[k]`` between node indices.

        Parameters
        ----------
        pre, post : array of int
            Source and target node indices, in any order.
        weights : array of int, optional
            Synapse count of each edge (default 1).
        n : int, optional
            Number of nodes; defaults to ``len(nodes)`` or ``max(pre, post) + 1``.
        nodes : pandas.DataFrame, optional
            The node table (see :class:`SynapseGraph`).
        report : BuildReport, optional

        Returns
        -------
        SynapseGraph

        Raises
        ------
        GraphStructureError
            On self-loops, duplicate edges or indices out of range; the graph must be simple
            (use :func:`connectome_motifs.graphs.from_tables` to collapse synapse tables).

        Notes
        -----
        O(m log m) for sorting the edges.

        Examples
        --------
        >>> g = SynapseGraph.from_edges([0, 1, 1], [1, 0, 2], n=4)
        >>> g.n, g.n_edges, g.n_reciprocal_pairs
        (4, 3, 1)
        """
        pre = np.asarray(pre)
        post = np.asarray(post)
        if pre.shape != post.shape or pre.ndim != 1:
            raise GraphStructureError("pre and post must be 1-D arrays of the same length")
        for name, a in (("pre", pre), ("post", post)):
            if a.size and not np.issubdtype(a.dtype, np.integer):
                raise GraphStructureError(f"{name} must hold integer node indices, got {a.dtype}")
        pre = pre.astype(np.int64)
        post = post.astype(np.int64)
        if n is None:
            top = max(pre.max(initial=-1), post.max(initial=-1))
            n = len(nodes) if nodes is not None else int(top) + 1
        for name, a in (("pre", pre), ("post", post)):
            bad = np.flatnonzero((a < 0) | (a >= n))
            if bad.size:
                raise GraphStructureError(
                    f"node indices must lie in 0..{n - 1}", column=name, rows=bad, n_bad=bad.size
                )
        order = np.lexsort((post, pre))
        pre, post = pre[order], post[order]
        dup = np.flatnonzero((pre[1:] == pre[:-1]) & (post[1:] == post[:-1]))
        if dup.size:
            raise GraphStructureError(
                "duplicate edges (collapse them into weights first)", rows=order[dup + 1],
                n_bad=dup.size,
            )
        if weights is not None:
            weights = np.asarray(weights)
            if weights.shape != order.shape:
                raise GraphStructureError("weights must have one entry per edge")
            weights = weights[order]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(pre, minlength=n), out=indptr[1:])
        return cls(indptr, post, weights, nodes, report)

    def with_edges(
        self, pre: ArrayLike, post: ArrayLike, weights: ArrayLike | None = None
    ) -> SynapseGraph:
        """Return a graph on the same nodes (same node table) with other edges.

        Used by the null models: a sample keeps every cell and its attributes.
        O(m log m).
        """
        return SynapseGraph.from_edges(pre, post, weights, n=self._n, nodes=self._nodes)

    def with_csr(self, out_indptr: ArrayLike, out_indices: ArrayLike,
                 out_weights: ArrayLike | None = None) -> SynapseGraph:
        """Return a graph on the same nodes, sharing the node table, with the edges of a CSR.

        The arrays are validated as by the constructor; the node table, validated when this
        graph was built, is not checked again. Weights are 1 unless given. The null models
        build their samples with it. O(n + m).
        """
        graph = object.__new__(SynapseGraph)
        graph._build(out_indptr, out_indices, out_weights, self._nodes, None,
                     check_nodes=False)
        if len(self._nodes) != graph.n:
            raise GraphStructureError(f"the CSR has {graph.n} nodes, the graph {self._n}")
        return graph

    # -- sizes and arrays ---------------------------------------------------------------

    @property
    def n(self) -> int:
        """Number of nodes."""
        return self._n

    @property
    def n_edges(self) -> int:
        """Number of edges (connected ordered pairs)."""
        return int(self._out_indptr[-1])

    @cached_property
    def n_synapses(self) -> int:
        """Sum of the edge weights."""
        return int(self._out_weights.sum(dtype=np.int64))

    @property
    def out_indptr(self) -> NDArray[np.int64]:
        """Out-adjacency row pointers, int64, shape (n + 1,), read-only."""
        return self._out_indptr

    @property
    def out_indices(self) -> NDArray[np.int32]:
        """Targets in out-adjacency order, int32, shape (m,), read-only."""
        return self._out_indices

    @property
    def out_weights(self) -> NDArray[np.int32]:
        """Synapse counts aligned with :attr:`out_indices`, read-only."""
        return self._out_weights

    @property
    def in_indptr(self) -> NDArray[np.int64]:
        """In-adjacency row pointers, int64, shape (n + 1,), read-only."""
        return self._in_indptr

    @property
    def in_indices(self) -> NDArray[np.int32]:
        """Sources in in-adjacency order, int32, shape (m,), read-only."""
        return self._in_indices

    @property
    def in_weights(self) -> NDArray[np.int32]:
        """Synapse counts aligned with :attr:`in_indices`, read-only."""
        return self._in_weights

    @property
    def nodes(self) -> pd.DataFrame:
        """A copy of the node table (``id`` column plus cell attributes)."""
        return self._nodes.copy()

    @property
    def ids(self) -> NDArray:
        """The original cell ids, in node order (a copy)."""
        return self._nodes["id"].to_numpy(copy=True)

    @property
    def report(self) -> BuildReport:
        """What building this graph read and removed."""
        return self._report

    @property
    def nbytes(self) -> int:
        """Bytes of the adjacency arrays: 16 per edge + 16 per node + 16 (not the node table)."""
        arrays = (self._out_indptr, self._out_indices, self._out_weights,
                  self._in_indptr, self._in_indices, self._in_weights)
        return sum(a.nbytes for a in arrays)

    @cached_property
    def out_degree(self) -> NDArray[np.int64]:
        """Out-degree of every node, int64, read-only."""
        return _readonly(np.diff(self._out_indptr))

    @cached_property
    def in_degree(self) -> NDArray[np.int64]:
        """In-degree of every node, int64, read-only."""
        return _readonly(np.diff(self._in_indptr))

    @cached_property
    def density(self) -> float:
        """``m / (n (n - 1))``, the fraction of ordered pairs that are connected (0 if n < 2)."""
        n = self._n
        return self.n_edges / (n * (n - 1)) if n > 1 else 0.0

    def edges(self) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
        """Return ``(pre, post)`` node indices of every edge, in out-adjacency order. O(m)."""
        pre = np.repeat(np.arange(self._n, dtype=np.int64), self.out_degree)
        return pre, self._out_indices

    # -- structure ----------------------------------------------------------------------

    @cached_property
    def reciprocal_mask(self) -> NDArray[np.bool_]:
        """Boolean mask over edges (out-adjacency order): True where the reverse edge exists.

        O(n + m): each node's sorted out- and in-neighbours merged
        (:func:`~connectome_motifs.graphs.kernels.reciprocity.reciprocated_edges`).
        """
        return _readonly(reciprocated_edges(self._out_indptr, self._out_indices,
                                            self.in_indptr, self.in_indices))

    @cached_property
    def n_reciprocal_pairs(self) -> int:
        """Number of unordered pairs connected both ways."""
        return int(self.reciprocal_mask.sum()) // 2

    def has_edge(self, pre: int, post: int) -> bool:
        """Return whether the edge ``pre -> post`` (node indices) exists. O(log degree)."""
        lo, hi = self._out_indptr[pre], self._out_indptr[pre + 1]
        row = self._out_indices[lo:hi]
        k = np.searchsorted(row, post)
        return bool(k < row.size and row[k] == post)

    def index_of(self, ids: ArrayLike) -> NDArray[np.int64]:
        """Return the node indices of the given cell ids.

        Raises
        ------
        UnknownCellError
            If an id is not a node of the graph.
        """
        ids = pd.Index(np.atleast_1d(np.asarray(ids)))
        idx = pd.Index(self._nodes["id"]).get_indexer(ids)
        bad = np.flatnonzero(idx < 0)
        if bad.size:
            shown = ", ".join(str(ids[i]) for i in bad[:5])
            raise UnknownCellError(f"{bad.size} id(s) are not nodes of the graph: {shown}")
        return idx.astype(np.int64)

    def subgraph(self, mask: ArrayLike) -> SynapseGraph:
        """Return the subgraph induced by the nodes where ``mask`` is True.

        Node attributes are kept and nodes renumbered in their original order; the
        build report counts what was removed. O(n + m).
        """
        keep = np.asarray(mask)
        if keep.dtype != bool or keep.shape != (self._n,):
            raise GraphStructureError(f"mask must be a boolean array of length n = {self._n}")
        new_index = np.cumsum(keep) - 1
        pre, post = self.edges()
        kept_edges = keep[pre] & keep[post]
        n_kept = int(keep.sum())
        indptr = np.zeros(n_kept + 1, dtype=np.int64)
        np.cumsum(np.bincount(new_index[pre[kept_edges]], minlength=n_kept), out=indptr[1:])
        report = dataclasses.replace(
            self._report,
            nodes_removed_by_subgraph=self._report.nodes_removed_by_subgraph
            + (self._n - n_kept),
            edges_removed_by_subgraph=self._report.edges_removed_by_subgraph
            + int(self.n_edges - kept_edges.sum()),
        )
        return SynapseGraph(
            indptr,
            new_index[post[kept_edges]],
            self._out_weights[kept_edges],
            self._nodes[keep].reset_index(drop=True),
            report,
        )

    def subgraph_by_ids(self, ids: ArrayLike) -> SynapseGraph:
        """Return the subgraph induced by the cells with the given ids (see :meth:`subgraph`)."""
        keep = np.zeros(self._n, dtype=bool)
        keep[self.index_of(ids)] = True
        return self.subgraph(keep)

    # -- node attributes ------------------------------------------------------------------

    @cached_property
    def positions(self) -> NDArray[np.float64] | None:
        """Soma positions in µm as an (n, 3) float64 array, or None if the table has none."""
        if not all(c in self._nodes.columns for c in POSITION_COLUMNS):
            return None
        return _readonly(self._nodes[list(POSITION_COLUMNS)].to_numpy(dtype=np.float64))

    # -- comparison and display -------------------------------------------------------

    def equals(self, other: SynapseGraph) -> bool:
        """Return whether both graphs have the same edges, weights, node table and report."""
        return (
            isinstance(other, SynapseGraph)
            and self._n == other._n
            and np.array_equal(self._out_indptr, other._out_indptr)
            and np.array_equal(self._out_indices, other._out_indices)
            and np.array_equal(self._out_weights, other._out_weights)
            and self._nodes.equals(other._nodes)
            and self._report == other._report
        )

    def summary(self) -> dict[str, Any]:
        """Return the graph's headline numbers (sizes, reciprocity, degrees, removals).

        A flat ``dict`` of JSON-able values: the numbers, then the fields of
        :meth:`BuildReport.as_dict` (counts, and the source columns: ``weight_column``,
        ``weight_column_detected``, ``unused_columns``).
        """
        deg = {}
        for name, d in (("out_degree", self.out_degree), ("in_degree", self.in_degree)):
            deg[f"{name}_min"] = int(d.min()) if d.size else 0
            deg[f"{name}_max"] = int(d.max()) if d.size else 0
        return {
            "nodes": self._n,
            "edges": self.n_edges,
            "synapses": self.n_synapses,
            "reciprocal_pairs": self.n_reciprocal_pairs,
            "isolated_nodes": int(np.sum((self.out_degree == 0) & (self.in_degree == 0))),
            "density": self.density,
            **deg,
            **self._report.as_dict(),
        }

    def __repr__(self) -> str:
        return (
            f"SynapseGraph(n={self._n}, edges={self.n_edges}, synapses={self.n_synapses}, "
            f"reciprocal_pairs={self.n_reciprocal_pairs})"
        )
