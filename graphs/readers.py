"""Read synapse and cell tables from CSV/TSV, Parquet and Feather files, keeping ids exact."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.feather as feather
import pyarrow.parquet as pq
from numpy.typing import NDArray

from connectome_motifs.graphs.build import from_tables, synapse_counts
from connectome_motifs.graphs.errors import (
    EmptyTableError,
    InvalidIdError,
    InvalidWeightError,
    MissingColumnError,
    TableReadError,
)
from connectome_motifs.graphs.formats import WHITESPACE, TableFormat, resolve_format
from connectome_motifs.graphs.positions import parse_positions
from connectome_motifs.graphs.synapse_graph import POSITION_COLUMNS, SynapseGraph

__all__ = ["read_cells", "read_graph", "read_synapses"]

_TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": None}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_FEATHER_SUFFIXES = {".feather", ".arrow"}
_INTEGER = r"^-?[0-9]+$"
# Anything a reader could take for a number: the literals that must not become ids.
_NUMERIC = r"(?i)^\s*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?|nan|inf|infinity)\s*$"
# Spellings of a missing value (those of pandas), the same for both text parsers.
_NA_VALUES = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
              "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
_INT64_MAX = np.iinfo(np.int64).max
_FLOAT_EXACT = 2**53

PathLike = str | os.PathLike


# -- files -------------------------------------------------------------------------------


def _file_kind(path: Path) -> tuple[str, str | None]:
    """Return ('text', separator) or ('parquet' | 'feather', None) from the file name."""
    name = path.name.lower()
    compressed = name.endswith(".gz")
    suffix = Path(name.removesuffix(".gz")).suffix
    if suffix in _TEXT_SUFFIXES:
        return "text", _TEXT_SUFFIXES[suffix]
    if not compressed and suffix in _PARQUET_SUFFIXES:
        return "parquet", None
    if not compressed and suffix in _FEATHER_SUFFIXES:
        return "feather", None
    raise TableReadError(
        "unknown file type; use .csv, .tsv, .txt (optionally .gz), .parquet, .pq, "
        ".feather or .arrow",
        file=str(path),
    )


def _sniff_separator(path: Path, comment: str | None) -> str:
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip() and not (comment and line.lstrip().startswith(comment)):
                break
        else:
            line = ""
    if "\t" in line:
        return "\t"
    if "," in line:
        return ","
    return WHITESPACE


def _read_text(
    path: Path, sep: str | None, fmt: TableFormat, names: tuple[str, ...], exact: list[str]
) -> pa.Table:
    """Read a delimited text file; columns in ``exact`` (all if headerless) as strings.

    Ids, counts and positions are read as text so that no parser turns a 64-bit id into
    a float; the other columns keep the parser's type inference. The fast multithreaded
    Arrow parser reads single-character separators; pandas reads whitespace-separated
    files and files with comment lines. Both take the same spellings as missing values.
    """
    file = str(path)
    if path.stat().st_size == 0:
        raise EmptyTableError("the file is empty", file=file)
    if sep is None:
        sep = _sniff_separator(path, fmt.comment)
    try:
        if len(sep) == 1 and fmt.comment is None:
            generated = [f"f{i}" for i in range(len(names))]
            text_columns = exact if fmt.header else generated
            table = pa_csv.read_csv(
                path,
                read_options=pa_csv.ReadOptions(autogenerate_column_names=not fmt.header),
                parse_options=pa_csv.ParseOptions(delimiter=sep),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(text_columns, pa.string()),
                    null_values=_NA_VALUES, strings_can_be_null=True,
                ),
            )
        else:
            frame = pd.read_csv(
                path, sep=sep, header=0 if fmt.header else None,
                dtype=dict.fromkeys(exact, str) if fmt.header else str,
                comment=fmt.comment, keep_default_na=False, na_values=_NA_VALUES,
            )
            table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, pa.ArrowException,
            UnicodeDecodeError, ValueError, OSError) as err:
        raise TableReadError(f"cannot read the file as text ({err})", file=file) from err
    if not fmt.header:
        if table.num_columns > len(names):
            raise TableReadError(
                f"the file has {table.num_columns} columns but the format names only "
                f"{len(names)}: {', '.join(names)}",
                file=file,
            )
        table = table.rename_columns(list(names[: table.num_columns]))
    return table


def _read_table(
    path: PathLike, fmt: TableFormat, names: tuple[str, ...], exact: list[str]
) -> tuple[pa.Table, str, bool]:
    """Return the raw table of a file, its name for messages and whether it is text."""
    path = Path(path)
    file = str(path)
    kind, sep = _file_kind(path)
    if not path.is_file():
        raise TableReadError("no such file", file=file)
    if kind == "text":
        table = _read_text(path, fmt.sep if fmt.sep is not None else sep, fmt, names, exact)
    else:
        reader = pq.read_table if kind == "parquet" else feather.read_table
        try:
            table = reader(path)
        except (pa.ArrowException, OSError, ValueError) as err:
            raise TableReadError(f"cannot read the file as {kind} ({err})", file=file) from err
    if table.num_rows == 0:
        raise EmptyTableError("the table has no rows", file=file)
    return table, file, kind == "text"


def _require(table: pa.Table, column: str, file: str) -> None:
    if column not in table.column_names:
        raise MissingColumnError(
            f"missing column {column!r}; the file has: {', '.join(table.column_names)}",
            file=file, column=column,
        )


# -- ids and counts ----------------------------------------------------------------------


def _mask(a: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def _integers_exact(values: pa.Array, column: str, file: str) -> NDArray:
    """Return integer literals as int64 if any is negative, else uint64, or raise."""
    negative = pc.any(pc.starts_with(values, "-")).as_py()
    try:
        return pc.cast(values, pa.int64() if negative else pa.uint64()).to_numpy(
            zero_copy_only=False
        )
    except pa.ArrowInvalid:
        pass
    ints = [int(v) for v in values.to_pylist()]
    out_of_range = [i for i, v in enumerate(ints) if not -(2**63) <= v < 2**64]
    if out_of_range:
        raise InvalidIdError(
            "ids must lie in the 64-bit integer range [-2^63, 2^64)",
            file=file, column=column, rows=out_of_range, n_bad=len(out_of_range),
        )
    negative_rows = [i for i, v in enumerate(ints) if v < 0]
    raise InvalidIdError(
        "negative ids cannot share a column with ids above 2^63 - 1 (no 64-bit type holds both)",
        file=file, column=column, rows=negative_rows, n_bad=len(negative_rows),
    )


def _canonical_integers(a: NDArray) -> NDArray:
    if a.dtype == np.uint64 and (a.size == 0 or a.max() > _INT64_MAX):
        return a
    return a.astype(np.int64)


def _exact_ids(values: pa.ChunkedArray, column: str, file: str, from_text: bool) -> NDArray:
    """Return an id column as int64 (if it fits), uint64 or str, or raise InvalidIdError."""
    values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    missing = values.is_null().to_numpy(zero_copy_only=False)
    if missing.any():
        rows = np.flatnonzero(missing)
        raise InvalidIdError("cell id is missing (empty, NA or null)", file=file,
                             column=column, rows=rows, n_bad=rows.size)
    kind = values.type
    if pa.types.is_integer(kind):
        return _canonical_integers(values.to_numpy(zero_copy_only=False))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        empty = _mask(pc.equal(pc.utf8_length(values), 0))
        if empty.any():
            rows = np.flatnonzero(empty)
            raise InvalidIdError("cell id is an empty string", file=file, column=column,
                                 rows=rows, n_bad=rows.size)
        if not from_text:
            return values.to_numpy(zero_copy_only=False).astype(object)
        integer = _mask(pc.match_substring_regex(values, _INTEGER))
        if integer.all():
            return _canonical_integers(_integers_exact(values, column, file))
        numeric = _mask(pc.match_substring_regex(values, _NUMERIC))
        if numeric.all():
            rows = np.flatnonzero(~integer)
            raise InvalidIdError(
                "cell id is not an exact integer (a decimal, exponent, NaN or padded "
                "number); ids must be written as plain integers or be names",
                file=file, column=column, rows=rows, n_bad=rows.size,
            )
        return values.to_numpy(zero_copy_only=False).astype(object)
    rows = np.arange(len(values))
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        message = (f"cell ids are stored as {kind}, which cannot hold every 64-bit id "
                   "exactly; store ids as integers (or strings)")
    else:
        message = f"cell ids must be integers or strings, got {kind}"
    raise InvalidIdError(message, file=file, column=column, rows=rows, n_bad=rows.size)


def _text_counts(values: pa.ChunkedArray, column: str, file: str) -> pd.Series:
    """Return text synapse counts as exact numbers: int64 literals, or float64 if any decimal."""
    values = values.combine_chunks()
    numeric = _mask(pc.match_substring_regex(values, _NUMERIC))
    bad = ~numeric & ~values.is_null().to_numpy(zero_copy_only=False)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise InvalidWeightError("synapse count is not a number", file=file, column=column,
                                 rows=rows, n_bad=rows.size)
    trimmed = pc.utf8_trim_whitespace(values)
    integer = _mask(pc.match_substring_regex(trimmed, r"^[+-]?[0-9]+$"))
    if integer.sum() == len(values):
        try:
            return pd.Series(pc.cast(trimmed, pa.int64()).to_numpy(zero_copy_only=False))
        except pa.ArrowInvalid:
            pass
    counts = pc.cast(trimmed, pa.float64()).to_numpy(zero_copy_only=False)
    inexact = np.abs(np.nan_to_num(counts)) > _FLOAT_EXACT
    if inexact.any():
        rows = np.flatnonzero(inexact)
        raise InvalidWeightError("synapse count is too large to be exact", file=file,
                                 column=column, rows=rows, n_bad=rows.size)
    return pd.Series(counts)


# -- public readers ----------------------------------------------------------------------


def read_synapses(path: PathLike, fmt: str | TableFormat = "default", **overrides: Any
                  ) -> pd.DataFrame:
    """Return a synapse or connection table with exact ``pre``, ``post`` (and ``weight``).

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.tsv``, ``.txt`` (each optionally ``.gz``), ``.parquet``/``.pq`` or
        ``.feather``/``.arrow`` file, one row per synapse or per connection.
    fmt : str or TableFormat
        A preset name of :data:`connectome_motifs.graphs.formats.PRESETS` or a format.
    **overrides
        Fields of :class:`~connectome_motifs.graphs.formats.TableFormat` to replace (``pre=``,
        ``weight=``, ...).

    Returns
    -------
    pandas.DataFrame
        Columns ``pre`` and ``post`` (int64 if every id fits, else uint64; str for names)
        and, for a connection table, ``weight`` (int64 synapse counts, all >= 1).

    Raises
    ------
    TableReadError
        Missing, unreadable or malformed file, or unknown file type.
    EmptyTableError
        No rows.
    MissingColumnError
        A needed column is absent; the message lists the columns the file has.
    InvalidIdError
        An id is missing, fractional, written as a float, or out of the 64-bit range.
    InvalidWeightError
        A synapse count is missing, not a number, fractional, zero or negative.

    Notes
    -----
    Ids in text files are read as text and converted exactly: a column of integer literals
    becomes int64 if every value fits, otherwise uint64; a column with any name (``AVAL``)
    stays text; a number written as a decimal or float (``12.5``, ``1e3``, ``nan``) among
    numbers is an error. In Parquet and Feather files integer ids are kept (widened to
    int64, or uint64 above 2^63 - 1), string ids are kept, float-typed ids are an error.
    Error rows are 0-based data rows (the header is not a row). O(r) for r rows.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "syn.csv"
    >>> _ = path.write_text("pre,post\\n648518346349491311,18446744073709551615\\n")
    >>> read_synapses(path).dtypes.tolist()
    [dtype('int64'), dtype('uint64')]
    """
    fmt = resolve_format(fmt, **overrides)
    exact = [fmt.pre, fmt.post] + ([fmt.weight] if fmt.weight else [])
    table, file, from_text = _read_table(path, fmt, fmt.synapse_names, exact)
    _require(table, fmt.pre, file)
    _require(table, fmt.post, file)
    out = pd.DataFrame({
        "pre": _exact_ids(table[fmt.pre], fmt.pre, file, from_text),
        "post": _exact_ids(table[fmt.post], fmt.post, file, from_text),
    })
    if fmt.require_weight:
        _require(table, fmt.weight, file)
    if fmt.weight is not None and fmt.weight in table.column_names:
        values = table[fmt.weight]
        counts = (_text_counts(values, fmt.weight, file) if from_text
                  else values.combine_chunks().to_pandas())
        out["weight"] = synapse_counts(pd.DataFrame({fmt.weight: counts}), fmt.weight, file)
    return out


def read_cells(path: PathLike, fmt: str | TableFormat = "default", **overrides: Any
               ) -> pd.DataFrame:
    """Return a cell table with an exact ``id`` column, positions in µm and other attributes.

    Parameters
    ----------
    path : str or path-like
        A cell table file (types as for :func:`read_synapses`).
    fmt : str or TableFormat
        A preset name or a format; ``cell_id``, ``position`` and ``position_scale`` say
        which columns hold the id and the soma position and in what unit.
    **overrides
        Fields of :class:`~connectome_motifs.graphs.formats.TableFormat` to replace.

    Returns
    -------
    pandas.DataFrame
        ``id`` (int64, uint64 or str, as for :func:`read_synapses`), then ``x``, ``y``,
        ``z`` in µm if the position columns are present, then every other column of the
        file unchanged. Another column that is itself called ``id``, ``x``, ``y`` or ``z``
        is kept with a trailing underscore (``id_``).

    Raises
    ------
    TableReadError, EmptyTableError, MissingColumnError, InvalidIdError
        As for :func:`read_synapses`.
    PositionParseError
        A position is missing or not exactly three finite numbers.

    Notes
    -----
    A format's position columns are optional: if none is in the file the table has no
    positions; if only some of three are, that is a :class:`MissingColumnError`. O(r).
    """
    fmt = resolve_format(fmt, **overrides)
    exact = [fmt.cell_id, *fmt.position_columns]
    table, file, from_text = _read_table(path, fmt, fmt.cell_names, exact)
    _require(table, fmt.cell_id, file)
    out = pd.DataFrame({"id": _exact_ids(table[fmt.cell_id], fmt.cell_id, file, from_text)})
    position = [c for c in fmt.position_columns if c in table.column_names]
    if position:
        for column in fmt.position_columns:
            _require(table, column, file)
        xyz = parse_positions(table, fmt.position, fmt.position_scale, file=file)
        for axis, column in enumerate(POSITION_COLUMNS):
            out[column] = xyz[:, axis]
    used = {fmt.cell_id, *position}
    extras = [c for c in table.column_names if c not in used]
    if extras:
        rest = table.select(extras).to_pandas()
        reserved = {"id", *POSITION_COLUMNS}
        rest.columns = [f"{c}_" if c in reserved else c for c in rest.columns]
        out = pd.concat([out, rest], axis=1)
    return out


def read_graph(
    synapses: PathLike,
    cells: PathLike | None = None,
    fmt: str | TableFormat = "default",
    unknown_cells: Literal["error", "drop"] = "error",
    **overrides: Any,
) -> SynapseGraph:
    """Return the synapse graph of a synapse (or connection) file and an optional cell file.

    Parameters
    ----------
    synapses : str or path-like
        The synapse or connection table (see :func:`read_synapses`).
    cells : str or path-like, optional
        The cell table (see :func:`read_cells`): every cell becomes a node, also cells
        without synapses, and its position and attributes go to the node table. Without
        it the nodes are the cells in ``synapses``, sorted by id.
    fmt : str or TableFormat
        A preset name (``"default"``, ``"microns-cave"``, ``"neuprint"``, ``"flywire"``,
        ``"edgelist"``, ``"pinky100"``) or a format, for both files.
    unknown_cells : {"error", "drop"}
        What to do with synapses of cells missing from ``cells``.
    **overrides
        Fields of :class:`~connectome_motifs.graphs.formats.TableFormat` to replace.

    Returns
    -------
    SynapseGraph
        Rows of the same ordered pair merged into one edge weighted by their synapse count,
        autapses removed; both counted in ``g.report``.

    Raises
    ------
    TableReadError, EmptyTableError, MissingColumnError, InvalidIdError, InvalidWeightError,
    PositionParseError, UnknownCellError
        Each names the file, the column and the first offending rows.

    Notes
    -----
    O(r log r) for r synapse rows (see :func:`connectome_motifs.graphs.build.from_tables`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "worm.tsv"
    >>> _ = path.write_text("pre\\tpost\\tweight\\nAVAL\\tAVAR\\t3\\nAVAR\\tAVAL\\t1\\n")
    >>> g = read_graph(path)
    >>> g.ids.tolist(), g.n_reciprocal_pairs, g.n_synapses
    (['AVAL', 'AVAR'], 1, 4)
    """
    fmt = resolve_format(fmt, **overrides)
    table = read_synapses(synapses, fmt)
    cell_table = None if cells is None else read_cells(cells, fmt)
    return from_tables(
        table,
        cell_table,
        weight="weight" if "weight" in table.columns else None,
        unknown_cells=unknown_cells,
        source=str(synapses),
        cells_source=None if cells is None else str(cells),
    )
