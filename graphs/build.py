"""Build a SynapseGraph from a synapse (or connection) table and an optional cell table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

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

__all__ = ["from_tables", "synapse_counts", "unify_ids", "whole_float_ids"]

_INT64_MAX = np.iinfo(np.int64).max
_INT32_MAX = int(np.iinfo(np.int32).max)


def _exact_sum(counts: np.ndarray) -> int:
    """Return the sum of int64 counts as a Python int, without int64 overflow."""
    if counts.size == 0:
        return 0
    if counts.max() <= _INT32_MAX and counts.size < 2**32:
        return int(counts.sum())
    return sum(int(c) for c in counts)


def _require_columns(table: pd.DataFrame, columns: list[str], source: str | None) -> None:
    for column in columns:
        if column not in table.columns:
            have = ", ".join(map(str, table.columns))
            raise MissingColumnError(
                f"missing column {column!r}; the table has: {have}", file=source
            )


def whole_float_ids(values: np.ndarray, column: str, source: str | None) -> np.ndarray:
    """Return float-typed cell ids as the int64 integers they hold, or raise InvalidIdError.

    A float holds an integer id exactly only below ``2^(p+1)`` in magnitude for ``p``
    mantissa bits: 2^53 for float64, 2^24 for float32; a larger float may be a rounded id.
    So the column is accepted only if every value is finite, whole and below that bound;
    else the error lists the rows (0-based data rows) and values that are not. O(rows).

    >>> whole_float_ids(np.array([3.0, -7.0]), "pre", None).tolist()
    [3, -7]
    """
    a = np.asarray(values)
    if a.dtype.kind != "f":  # e.g. the objects of a nullable pandas Float64 column
        a = a.astype(np.float64)
    bound = 2.0 ** (np.finfo(a.dtype).nmant + 1)
    finite = np.isfinite(a)
    checks = (
        (~finite, "cell id is not a finite number"),
        (finite & (np.floor(np.where(finite, a, 0)) != np.where(finite, a, 0)),
         "cell id has a fractional part; ids must be whole numbers"),
        (finite & (np.abs(np.where(finite, a, 0)) >= bound),
         f"cell id is a {a.dtype} of magnitude 2^{np.log2(bound):.0f} or more, where a float "
         "cannot hold every integer, so the id may have been rounded; store ids as integers "
         "(or strings)"),
    )
    for bad, message in checks:
        if bad.any():
            rows = np.flatnonzero(bad)
            raise InvalidIdError(message, file=source, column=column, rows=rows,
                                 n_bad=rows.size, values=a[rows[:5]])
    return a.astype(np.int64)


def _id_kind(values: pd.Series, column: str, source: str | None) -> str:
    """Return 'int', 'uint', 'float' or 'str' for an id column, or raise InvalidIdError."""
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
        return "float"
    not_str = ~values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if not_str.any():
        rows = np.flatnonzero(not_str)
        raise InvalidIdError(
            "cell ids must all be integers or all be strings; found "
            f"{type(values.iloc[rows[0]]).__name__} values among strings",
            file=source, column=column, rows=rows, n_bad=rows.size,
            values=values.iloc[rows[:5]].tolist(),
        )
    return "str"


def unify_ids(columns: list[tuple[pd.Series, str, str | None]]) -> list[np.ndarray]:
    """Convert id columns to one exact dtype (int64, uint64 or str) so they can be matched.

    Float columns are taken as integers if :func:`whole_float_ids` accepts them.
    """
    kinds = [_id_kind(values, column, source) for values, column, source in columns]
    columns = [
        (pd.Series(whole_float_ids(values.to_numpy(), column, source)), column, source)
        if kind == "float" else (values, column, source)
        for (values, column, source), kind in zip(columns, kinds, strict=True)
    ]
    kinds = ["int" if k == "float" else k for k in kinds]
    if "str" in kinds and len(set(kinds)) > 1:
        described = ", ".join(
            f"{source or 'table'} column {c!r}: {'strings' if k == 'str' else 'integers'}"
            for (_, c, source), k in zip(columns, kinds, strict=True)
        )
        odd = next(i for i, k in enumerate(kinds) if (k == "str") != (kinds[0] == "str"))
        raise InvalidIdError(
            f"id columns mix strings and integers ({described}); a text column is read as "
            "integers only if every id in it is an integer: write every id as a name or "
            "every id as an integer",
            file=columns[odd][2], column=columns[odd][1],
        )
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
                file=source, column=column, rows=rows, n_bad=rows.size, values=a[rows[:5]],
            )
    return [a.astype(np.uint64) for a in arrays]


def synapse_counts(table: pd.DataFrame, weight: str | None, source: str | None) -> np.ndarray:
    """Return the column ``weight`` of ``table`` as int64 synapse counts (ones if None).

    Raises :class:`InvalidWeightError`, naming ``source``, the column and the rows, for a
    count that is fractional, missing, not positive or not a number, or a float of 2^53 or
    more (which may have been rounded). O(rows).
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
                                     column=weight, rows=rows, n_bad=rows.size,
                                     values=w[rows[:5]])
    elif pd.api.types.is_bool_dtype(values.dtype) or not pd.api.types.is_integer_dtype(
        values.dtype
    ):
        raise InvalidWeightError(f"synapse counts must be integers, got {values.dtype}",
                                 file=source, column=weight)
    if missing.any():
        rows = np.flatnonzero(missing)
        raise InvalidWeightError("synapse counts must not be missing", file=source,
                                 column=weight, rows=rows, n_bad=rows.size)
    if pd.api.types.is_float_dtype(values.dtype):
        # A float of 2^53 or more may be a rounded count (and 2^63 would not fit int64).
        inexact = np.flatnonzero(~(np.abs(w) < 2.0**53))
        if inexact.size:
            raise InvalidWeightError("synapse count is too large to be exact", file=source,
                                     column=weight, rows=inexact, n_bad=inexact.size,
                                     values=w[inexact[:5]])
    bad = np.flatnonzero(~(w >= 1) | ~(w <= _INT64_MAX))
    if bad.size:
        raise InvalidWeightError("synapse counts must be positive", file=source, column=weight,
                                 rows=bad, n_bad=bad.size, values=w[bad[:5]])
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
    origin: Mapping[str, Any] | None = None,
) -> SynapseGraph:
    """Return the simple weighted graph of a synapse or connection table.

    Rows joining the same ordered pair of cells are merged into one edge whose weight is
    their total synapse count; autapses (``pre == post``) are removed. Both are counted in
    the graph's :class:`~connectome_motifs.graphs.BuildReport`, which also names the weight
    column and the columns of ``synapses`` that were not used. Nothing else is changed: ids
    are kept exactly (int64, uint64 or str; float ids only if every one is a whole number
    that the float holds exactly, see :func:`whole_float_ids`) and bad values raise an error
    naming the table, column and rows.

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
        :class:`~connectome_motifs.graphs.UnknownCellError` (default), or drop them and count
        them. The error names, per id column, the rows whose cell is unknown and the ids;
        its ``option`` is ``unknown_cells='drop'``.
    source, cells_source : str, optional
        Names of the files the tables came from, used in error messages.
    origin : mapping, optional
        What a file reader knows about the source file, for the report: any of
        ``weight_column``, ``weight_column_detected``, ``unused_columns``, and for a loader
        that passes only some of a file's rows, ``rows_read`` (the file's rows) and
        ``empty_rows_removed`` (see :class:`~connectome_motifs.graphs.BuildReport`). By
        default ``weight_column`` is ``weight`` and ``unused_columns`` the columns of
        ``synapses`` other than ``pre``, ``post`` and ``weight``.

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
    >>> syn = pd.DataFrame({"pre": [10, 10, 11, 12], "post": [11, 11, 10, 12], "size": 1})
    >>> g = from_tables(syn)
    >>> g.n, g.n_edges, g.out_weights.tolist(), g.report.autapse_synapses_removed
    (3, 2, [2, 1], 1)
    >>> g.report.repeated_pair_rows_merged, g.report.unused_columns
    (1, ('size',))
    """
    if unknown_cells not in ("error", "drop"):
        raise ValueError(f"unknown_cells must be 'error' or 'drop', got {unknown_cells!r}")
    _require_columns(synapses, [pre, post] + ([weight] if weight else []), source)
    columns = {
        "weight_column": weight,
        "weight_column_detected": False,
        "unused_columns": tuple(str(c) for c in synapses.columns if c not in (pre, post, weight)),
        **(origin or {}),
    }
    if len(synapses) == 0:
        raise EmptyTableError("the synapse table has no rows", file=source)
    counts = synapse_counts(synapses, weight, source)
    synapses_read = _exact_sum(counts)
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
                                 column=cell_id, rows=rows, n_bad=rows.size,
                                 values=node_ids[rows[:5]])
        nodes = cells.drop(columns=[cell_id]).reset_index(drop=True)
        nodes.insert(0, "id", node_ids)
        if node_ids.dtype == object:
            nodes["id"] = nodes["id"].astype(object)

    index = pd.Index(node_ids)
    rows = np.arange(len(synapses))  # the data row of each kept synapse row, for messages
    pre_idx = index.get_indexer(pre_ids)
    post_idx = index.get_indexer(post_ids)
    unknown = (pre_idx < 0) | (post_idx < 0)
    n_unknown_synapses = n_unknown_cells = 0
    if unknown.any():
        bad_ids = pd.unique(np.concatenate([pre_ids[pre_idx < 0], post_ids[post_idx < 0]]))
        if unknown_cells == "error":
            by_column = {}
            for column, idx, col_ids in ((pre, pre_idx, pre_ids), (post, post_idx, post_ids)):
                bad = np.flatnonzero(idx < 0)
                if bad.size:
                    by_column[column] = (bad, bad.size, col_ids[bad[:5]])
            n_rows = int(unknown.sum())
            table = "the cell table" + (f" {cells_source}" if cells_source else "")
            raise UnknownCellError(
                f"{n_rows} synapse row{'s' if n_rows > 1 else ''} refer"
                f"{'' if n_rows > 1 else 's'} to {bad_ids.size} "
                f"cell{'s' if bad_ids.size > 1 else ''} not in {table}",
                by_column=by_column, file=source, option=("unknown_cells", "drop"),
                hint="pass {option} to drop those synapses (the report counts them)",
            )
        n_unknown_synapses = _exact_sum(counts[unknown])
        n_unknown_cells = int(bad_ids.size)
        keep = ~unknown
        pre_idx, post_idx, counts, rows = pre_idx[keep], post_idx[keep], counts[keep], rows[keep]

    autapse = pre_idx == post_idx
    n_autapse_synapses = _exact_sum(counts[autapse])
    pre_idx, post_idx, counts = pre_idx[~autapse], post_idx[~autapse], counts[~autapse]
    rows = rows[~autapse]
    huge = np.flatnonzero(counts > _INT32_MAX)
    if huge.size:  # an edge weight is int32; also keeps the sums below from overflowing
        raise InvalidWeightError(
            f"synapse count above {_INT32_MAX}, more than an edge weight holds", file=source,
            column=columns["weight_column"], rows=rows[huge], n_bad=huge.size,
            values=counts[huge[:5]],
        )

    n = len(index)
    keys = pre_idx.astype(np.int64) * n + post_idx
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if keys.size else np.zeros(0, int)
    edge_keys = keys[starts]
    weights = np.add.reduceat(counts, starts) if keys.size else np.zeros(0, np.int64)
    too_big = np.flatnonzero(weights > _INT32_MAX)
    if too_big.size:
        raise InvalidWeightError(
            f"{too_big.size} connection(s) sum to more than {_INT32_MAX} synapses",
            file=source, column=columns["weight_column"],
        )
    report = BuildReport(**{
        "rows_read": len(synapses),
        "synapses_read": synapses_read,
        "autapse_synapses_removed": n_autapse_synapses,
        "repeated_pair_rows_merged": int(keys.size - edge_keys.size),
        "unknown_cell_synapses_dropped": n_unknown_synapses,
        "unknown_cells": n_unknown_cells,
        **columns,
    })
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(edge_keys // n, minlength=n), out=indptr[1:])
    return SynapseGraph(indptr, edge_keys % n, weights, nodes, report)
