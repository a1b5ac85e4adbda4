"""Build a SynapseGraph from a synapse (or connection) table and an optional cell table."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from connectome_motifs.graphs.errors import (
    EmptyTableError,
    InvalidIdError,
    InvalidWeightError,
    MissingColumnError,
    UnknownCellError,
)
from connectome_motifs.graphs.synapse_graph import BuildReport, SynapseGraph

__all__ = ["from_tables", "synapse_counts", "unify_ids"]

_INT64_MAX = np.iinfo(np.int64).max


def _require_columns(table: pd.DataFrame, columns: list[str], source: str | None) -> None:
    for column in columns:
        if column not in table.columns:
            have = ", ".join(map(str, table.columns))
            raise MissingColumnError(
                f"missing column {column!r}; the table has: {have}", file=source
            )


def _id_kind(values: pd.Series, column: str, source: str | None) -> str:
    """Return 'int', 'uint' or 'str' for an id column, or raise InvalidIdError."""
    missing = values.isna().to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)
        raise InvalidIdError(
            "cell ids must not be missing (NaN/empty)", file=source, column=column, rows=rows,
            n_bad=rows.size,
        )
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise InvalidIdError("cell ids must be integers or strings, not booleans",
                             file=source, column=column)
    if pd.api.types.is_unsigned_integer_dtype(dtype):
        return "uint"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        raise InvalidIdError(
            f"cell ids are floating point ({dtype}); a float cannot hold every 64-bit id "
            "exactly, so store ids as integers or strings",
            file=source, column=column,
        )
    not_str = ~values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if not_str.any():
        rows = np.flatnonzero(not_str)
        raise InvalidIdError(
            "cell ids must all be integers or all be strings; found "
            f"{type(values.iloc[rows[0]]).__name__} values among strings",
            file=source, column=column, rows=rows, n_bad=rows.size,
        )
    return "str"


def unify_ids(columns: list[tuple[pd.Series, str, str | None]]) -> list[np.ndarray]:
    """Convert id columns to one exact dtype (int64, uint64 or str) so they can be matched."""
    kinds = [_id_kind(values, column, source) for values, column, source in columns]
    if "str" in kinds and len(set(kinds)) > 1:
        described = ", ".join(
            f"{source or 'table'} column {c!r}: {k}"
            for (_, c, source), k in zip(columns, kinds, strict=True)
        )
        raise InvalidIdError(f"id columns mix strings and integers ({described})")
    if kinds[0] == "str":
        return [values.to_numpy(dtype=object) for values, _, _ in columns]
    arrays = [values.to_numpy() for values, _, _ in columns]
    big = any(a.dtype.kind == "u" and a.size and a.max() > _INT64_MAX for a in arrays)
    if not big:
        return [a.astype(np.int64) for a in arrays]
    for a, (_, column, source) in zip(arrays, columns, strict=True):
        if a.dtype.kind == "i" and a.size and a.min() < 0:
            rows = np.flatnonzero(a < 0)
            raise InvalidIdError(
                "negative ids cannot be matched with ids above 2^63 - 1 in another column",
                file=source, column=column, rows=rows, n_bad=rows.size,
            )
    return [a.astype(np.uint64) for a in arrays]


def synapse_counts(table: pd.DataFrame, weight: str | None, source: str | None) -> np.ndarray:
    """Return the column ``weight`` of ``table`` as int64 synapse counts (ones if None).

    Raises :class:`InvalidWeightError`, naming ``source``, the column and the rows, for a
    count that is fractional, missing, not positive or not a number. O(rows).
    """
    if weight is None:
        return np.ones(len(table), dtype=np.int64)
    values = table[weight]
    w = values.to_numpy()
    missing = values.isna().to_numpy()
    if pd.api.types.is_float_dtype(values.dtype):
        fractional = ~missing & (np.floor(np.where(missing, 0, w)) != np.where(missing, 0, w))
        if fractional.any():
            rows = np.flatnonzero(fractional)
            raise InvalidWeightError("synapse counts must be whole numbers", file=source,
                                     column=weight, rows=rows, n_bad=rows.size)
    elif pd.api.types.is_bool_dtype(values.dtype) or not pd.api.types.is_integer_dtype(
        values.dtype
    ):
        raise InvalidWeightError(f"synapse counts must be integers, got {values.dtype}",
                                 file=source, column=weight)
    if missing.any():
        rows = np.flatnonzero(missing)
        raise InvalidWeightError("synapse counts must not be missing", file=source,
                                 column=weight, rows=rows, n_bad=rows.size)
    bad = np.flatnonzero(~(w >= 1) | ~(w <= _INT64_MAX))
    if bad.size:
        raise InvalidWeightError("synapse counts must be positive", file=source, column=weight,
                                 rows=bad, n_bad=bad.size)
    return w.astype(np.int64)


def from_tables(
    synapses: pd.DataFrame,
    cells: pd.DataFrame | None = None,
    *,
    pre: str = "pre",
    post: str = "post",
    weight: str | None = None,
    cell_id: str = "id",
    unknown_cells: Literal["error", "drop"] = "error",
    source: str | None = None,
    cells_source: str | None = None,
) -> SynapseGraph:
    """Return the simple weighted graph of a synapse or connection table.

    Rows joining the same ordered pair of cells are merged into one edge whose weight is
    their total synapse count; autapses (``pre == post``) are removed. Both are counted in
    the graph's :class:`~connectome_motifs.graphs.BuildReport`. Nothing else is changed: ids are
    kept exactly (int64, uint64 or str) and bad values raise an error naming the table, column
    and rows.

    Parameters
    ----------
    synapses : pandas.DataFrame
        One row per synapse, or one row per connection with a synapse-count column.
    cells : pandas.DataFrame, optional
        One row per cell. Every cell becomes a node, also cells without synapses; its other
        columns (``x``, ``y``, ``z`` soma position in µm, cell type, ...) become the node
        table. Without it, the nodes are the cells that appear in ``synapses``, sorted by id.
    pre, post : str
        Columns of the presynaptic and postsynaptic cell ids.
    weight : str, optional
        Column of synapse counts (a connection table); without it each row is one synapse.
    cell_id : str
        Column of cell ids in ``cells``; it becomes the node table's ``id`` column.
    unknown_cells : {"error", "drop"}
        What to do with synapses whose cell is not in ``cells``: raise
        :class:`~connectome_motifs.graphs.UnknownCellError` (default), or drop them and count them.
    source, cells_source : str, optional
        Names of the files the tables came from, used in error messages.

    Returns
    -------
    SynapseGraph

    Raises
    ------
    MissingColumnError, EmptyTableError, InvalidIdError, InvalidWeightError, UnknownCellError

    Notes
    -----
    O(r log r) for r rows (one sort of the edge keys).

    Examples
    --------
    >>> import pandas as pd
    >>> syn = pd.DataFrame({"pre": [10, 10, 11, 12], "post": [11, 11, 10, 12]})
    >>> g = from_tables(syn)
    >>> g.n, g.n_edges, g.out_weights.tolist(), g.report.autapse_synapses_removed
    (3, 2, [2, 1], 1)
    """
    if unknown_cells not in ("error", "drop"):
        raise ValueError(f"unknown_cells must be 'error' or 'drop', got {unknown_cells!r}")
    _require_columns(synapses, [pre, post] + ([weight] if weight else []), source)
    if len(synapses) == 0:
        raise EmptyTableError("the synapse table has no rows", file=source)
    counts = synapse_counts(synapses, weight, source)
    synapses_read = int(counts.sum())
    id_columns = [(synapses[pre], pre, source), (synapses[post], post, source)]
    if cells is not None:
        _require_columns(cells, [cell_id], cells_source)
        if len(cells) == 0:
            raise EmptyTableError("the cell table has no rows", file=cells_source)
        id_columns.append((cells[cell_id], cell_id, cells_source))
    ids = unify_ids(id_columns)
    pre_ids, post_ids = ids[0], ids[1]

    if cells is None:
        node_ids = pd.unique(np.concatenate([pre_ids, post_ids]))
        node_ids = np.sort(node_ids) if node_ids.dtype != object else np.array(
            sorted(node_ids), dtype=object
        )
        nodes = pd.DataFrame({"id": node_ids})
    else:
        node_ids = ids[2]
        duplicated = pd.Series(node_ids).duplicated().to_numpy()
        if duplicated.any():
            rows = np.flatnonzero(duplicated)
            raise InvalidIdError("cell ids must be unique in the cell table", file=cells_source,
                                 column=cell_id, rows=rows, n_bad=rows.size)
        nodes = cells.drop(columns=[cell_id]).reset_index(drop=True)
        nodes.insert(0, "id", node_ids)
        if node_ids.dtype == object:
            nodes["id"] = nodes["id"].astype(object)

    index = pd.Index(node_ids)
    pre_idx = index.get_indexer(pre_ids)
    post_idx = index.get_indexer(post_ids)
    unknown = (pre_idx < 0) | (post_idx < 0)
    n_unknown_synapses = n_unknown_cells = 0
    if unknown.any():
        bad_ids = pd.unique(np.concatenate([pre_ids[pre_idx < 0], post_ids[post_idx < 0]]))
        if unknown_cells == "error":
            rows = np.flatnonzero(unknown)
            shown = ", ".join(str(i) for i in bad_ids[:5])
            raise UnknownCellError(
                f"{rows.size} synapse rows refer to {bad_ids.size} cell(s) not in the cell "
                f"table (e.g. {shown}); pass unknown_cells='drop' to drop them",
                file=source, column=pre if (pre_idx < 0).any() else post, rows=rows,
                n_bad=rows.size,
            )
        n_unknown_synapses = int(counts[unknown].sum())
        n_unknown_cells = int(bad_ids.size)
        keep = ~unknown
        pre_idx, post_idx, counts = pre_idx[keep], post_idx[keep], counts[keep]

    autapse = pre_idx == post_idx
    n_autapse_synapses = int(counts[autapse].sum())
    pre_idx, post_idx, counts = pre_idx[~autapse], post_idx[~autapse], counts[~autapse]

    n = len(index)
    keys = pre_idx.astype(np.int64) * n + post_idx
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if keys.size else np.zeros(0, int)
    edge_keys = keys[starts]
    weights = np.add.reduceat(counts, starts) if keys.size else np.zeros(0, np.int64)
    too_big = np.flatnonzero(weights > np.iinfo(np.int32).max)
    if too_big.size:
        raise InvalidWeightError(
            f"{too_big.size} connection(s) sum to more than {np.iinfo(np.int32).max} synapses",
            file=source, column=weight,
        )
    report = BuildReport(
        rows_read=len(synapses),
        synapses_read=synapses_read,
        autapse_synapses_removed=n_autapse_synapses,
        duplicate_rows_merged=int(keys.size - edge_keys.size),
        unknown_cell_synapses_dropped=n_unknown_synapses,
        unknown_cells=n_unknown_cells,
    )
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(edge_keys // n, minlength=n), out=indptr[1:])
    return SynapseGraph(indptr, edge_keys % n, weights, nodes, report)

