"""Read synapse and cell tables from CSV/TSV, Parquet and Feather files, keeping ids exact."""

from __future__ import annotations

import csv
import gzip
import os
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
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

from connectome_motifs.graphs.build import from_tables, synapse_counts, whole_float_ids
from connectome_motifs.graphs.errors import (
    EmptyTableError,
    InvalidIdError,
    InvalidWeightError,
    MissingColumnError,
    TableReadError,
)
from connectome_motifs.graphs.formats import (
    WHITESPACE,
    TableFormat,
    is_synapse_count_name,
    resolve_format,
)
from connectome_motifs.graphs.positions import parse_positions
from connectome_motifs.graphs.synapse_graph import POSITION_COLUMNS, SynapseGraph

__all__ = ["read_cells", "read_graph", "read_synapses"]

_TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": None}
# Separators a misread first line is checked for, and their names in messages.
_SEPARATORS = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe", WHITESPACE: "whitespace"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_FEATHER_SUFFIXES = {".feather", ".arrow"}
_INTEGER = r"^-?[0-9]+$"
# A number as a float writer prints it: no spaces, no "+", no infinity.
_PLAIN_NUMBER = r"^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
# A decimal without exponent with a nonzero digit after the point.
_FRACTIONAL = r"^[+-]?[0-9]*\.[0-9]*[1-9][0-9]*$"
# Anything a reader could take for a number: the literals that must not become ids.
_NUMERIC = r"(?i)^\s*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?|nan|inf|infinity)\s*$"
# Spellings of a missing value (those of pandas), the same for both text parsers.
_NA_VALUES = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
              "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
_INT64_MAX = np.iinfo(np.int64).max
_FLOAT_EXACT = 2**53

PathLike = str | os.PathLike


# -- files -------------------------------------------------------------------------------


@dataclass
class _Source:
    """A table as read from a file, with what is needed to explain problems with it."""

    table: pa.Table
    file: str
    from_text: bool
    path: Path
    fmt: TableFormat
    sep: str | None = None  # the separator a text file was read with
    sep_origin: str = ""  # why that separator, for messages


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


def _first_line(path: Path, comment: str | None) -> str:
    """Return the first line that is neither blank nor a comment ('' if none or unreadable)."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
            for count, line in enumerate(fh):
                if line.strip() and not (comment and line.lstrip().startswith(comment)):
                    return line.rstrip("\r\n")
                if count > 10_000:
                    break
    except (OSError, EOFError):
        pass
    return ""


def _sniff_separator(path: Path, comment: str | None) -> str:
    line = _first_line(path, comment)
    if "\t" in line:
        return "\t"
    if "," in line:
        return ","
    return WHITESPACE


def _split(line: str, sep: str) -> list[str]:
    if sep == WHITESPACE:
        return line.split()
    return [field.strip() for field in next(csv.reader([line], delimiter=sep), [])]


def _separator_hint(
    path: Path, sep: str, fmt: TableFormat, wanted: list[str], n_columns: int
) -> tuple[str, str] | None:
    """Return (message, separator) if the first line looks split by another separator.

    A candidate (tab, comma, semicolon, pipe, whitespace) must split the first line into
    more fields than the ``n_columns`` read. With a header it must also yield one of the
    ``wanted`` column names, unless the file was read as a single column and the candidate
    is a character the line holds (whitespace never qualifies so: names may hold spaces).
    The candidate yielding most wanted names, then most fields, is named.
    """
    line = _first_line(path, fmt.comment)
    best: tuple[int, int, str] | None = None
    for candidate in _SEPARATORS:
        if candidate == sep or (candidate != WHITESPACE and candidate not in line):
            continue
        try:
            fields = _split(line, candidate)
        except csv.Error:
            continue
        if len(fields) <= n_columns:
            continue
        found = sum(name in fields for name in wanted) if fmt.header else 0
        if fmt.header and not found and (candidate == WHITESPACE or n_columns > 1):
            continue
        score = (found, len(fields), candidate)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        return None
    candidate = best[2]
    return (f"the first line looks {_SEPARATORS[candidate]}-separated "
            f"({best[1]} fields), not {_SEPARATORS.get(sep, repr(sep))}-separated"), candidate


def _show_columns(names: list[str]) -> str:
    shown = [n if n and n.isprintable() and n.strip() == n else repr(n) for n in map(str, names)]
    return ", ".join(shown)


def _read_text(
    path: Path, sep: str, fmt: TableFormat, names: tuple[str, ...], exact: list[str],
    include: list[str] | None = None,
) -> pa.Table:
    """Read a delimited text file; columns in ``exact`` (all if headerless) as strings.

    Ids, counts and positions are read as text so that no parser turns a 64-bit id into
    a float; the other columns keep the parser's type inference. The fast multithreaded
    Arrow parser reads single-character separators; pandas reads whitespace-separated
    files and files with comment lines. Both take the same spellings as missing values.
    ``include`` reads only those columns (of a file with a header).
    """
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
                include_columns=include,
            ),
        )
    else:
        frame = pd.read_csv(
            path, sep=sep, header=0 if fmt.header else None,
            dtype=dict.fromkeys(exact, str) if fmt.header else str,
            comment=fmt.comment, keep_default_na=False, na_values=_NA_VALUES,
            usecols=include,
        )
        table = pa.Table.from_pandas(frame, preserve_index=False)
    return table


def _read_table(
    path: PathLike, fmt: TableFormat, names: tuple[str, ...], exact: list[str]
) -> _Source:
    """Return the raw table of a file, with its name for messages and how it was read."""
    path = Path(path)
    file = str(path)
    kind, suffix_sep = _file_kind(path)
    if not path.is_file():
        raise TableReadError("no such file", file=file)
    sep, origin = None, ""
    if kind == "text":
        if path.stat().st_size == 0:
            raise EmptyTableError("the file is empty", file=file)
        if fmt.sep is not None:
            sep, origin = fmt.sep, "the format's sep"
        elif suffix_sep is not None:
            sep, origin = suffix_sep, f"the separator of {path.suffix.lower()} files"
            if path.suffix.lower() == ".gz":
                inner = Path(path.name.lower().removesuffix(".gz")).suffix
                origin = f"the separator of {inner} files"
        else:
            sep, origin = _sniff_separator(path, fmt.comment), "sniffed from the first line"
        try:
            table = _read_text(path, sep, fmt, names, exact)
        except (pd.errors.EmptyDataError, pd.errors.ParserError, pa.ArrowException,
                UnicodeDecodeError, ValueError, OSError) as err:
            hint = _separator_hint(path, sep, fmt, exact[:2], 1) if fmt.header else None
            if hint is None:
                raise TableReadError(f"cannot read the file as text ({err})", file=file) from err
            raise TableReadError(
                f"cannot read the file as text ({err}); {hint[0]} ({origin})",
                file=file, option=("sep", hint[1]),
            ) from err
        if not fmt.header:
            if table.num_columns > len(names):
                raise TableReadError(
                    f"the file has {table.num_columns} columns but the format names only "
                    f"{len(names)}: {', '.join(names)}",
                    file=file,
                )
            table = table.rename_columns(list(names[: table.num_columns]))
    else:
        reader = pq.read_table if kind == "parquet" else feather.read_table
        try:
            # A repeated column name fails read_table: look at the names first.
            names = pq.read_schema(path).names if kind == "parquet" else None
        except (pa.ArrowException, OSError, ValueError) as err:
            raise TableReadError(f"cannot read the file as {kind} ({err})", file=file) from err
        if names is not None:
            _require_distinct(names, file)
        try:
            table = reader(path)
        except (pa.ArrowException, OSError, ValueError) as err:
            raise TableReadError(f"cannot read the file as {kind} ({err})", file=file) from err
    _require_distinct(table.column_names, file)
    if table.num_rows == 0:
        raise EmptyTableError("the table has no rows", file=file)
    return _Source(table, file, kind == "text", path, fmt, sep, origin)


def _require_distinct(names: list[str], file: str) -> None:
    seen = Counter(names)
    repeated = [c for c in names if seen[c] > 1]
    if repeated:
        raise TableReadError(
            f"column {repeated[0]!r} appears {seen[repeated[0]]} times; columns must have "
            "distinct names", file=file, column=repeated[0],
        )


def _require(src: _Source, column: str, wanted: list[str]) -> None:
    names = src.table.column_names
    if column in names:
        return
    message = (f"missing column {column!r}; the file has "
               f"{'one column' if len(names) == 1 else 'columns'}: {_show_columns(names)}")
    hint = None
    if src.from_text and src.sep is not None:
        hint = _separator_hint(src.path, src.sep, src.fmt, wanted, len(names))
    if hint is None:
        raise MissingColumnError(message, file=src.file, column=column)
    raise MissingColumnError(
        f"{message}; {hint[0]} ({src.sep_origin})", file=src.file, column=column,
        option=("sep", hint[1]),
    )


def _weight_column(src: _Source) -> tuple[str | None, bool]:
    """Return the column of synapse counts (None: one synapse per row), and if detected."""
    fmt, names = src.fmt, src.table.column_names
    if fmt.weight is not None and fmt.weight in names:
        return fmt.weight, False
    candidates = [c for c in names if c not in (fmt.pre, fmt.post) and is_synapse_count_name(c)]
    if fmt.require_weight:
        raise MissingColumnError(
            f"missing column {fmt.weight!r}, required as the column of synapse counts; the "
            f"file has: {_show_columns(names)}",
            file=src.file, column=fmt.weight,
            option=("weight", candidates[0] if len(candidates) == 1 else "<column>"),
            hint="name the synapse-count column with {option} (or none, for one synapse "
                 "per row)",
        )
    if fmt.weight is None or not candidates:
        return None, False
    if len(candidates) == 1:
        return candidates[0], True
    raise MissingColumnError(
        f"no column {fmt.weight!r} of synapse counts, and {len(candidates)} columns look "
        f"like one: {', '.join(map(repr, candidates))}",
        file=src.file, column=fmt.weight, option=("weight", "<column>"),
        hint="choose one with {option} (or none, for one synapse per row)",
    )


# -- ids and counts ----------------------------------------------------------------------


def _is_text(kind: pa.DataType) -> bool:
    # String views are new in pyarrow 16; older releases have no such type to test for.
    is_view = getattr(pa.types, "is_string_view", lambda _: False)
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_view(kind)


def _mask(a: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def _integers_exact(values: pa.Array, column: str, file: str,
                    index: NDArray | None = None) -> NDArray:
    """Return integer literals as int64 if any is negative, else uint64, or raise.

    ``index`` gives the data row of each value, for messages (default: its position).
    """
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    negative = pc.any(pc.starts_with(values, "-")).as_py()
    try:
        return pc.cast(values, pa.int64() if negative else pa.uint64()).to_numpy(
            zero_copy_only=False
        )
    except pa.ArrowInvalid:
        pass
    ints = [int(v) for v in values.to_pylist()]
    rows = np.arange(len(ints)) if index is None else np.asarray(index)
    out_of_range = [i for i, v in enumerate(ints) if not -(2**63) <= v < 2**64]
    if out_of_range:
        raise InvalidIdError(
            "ids must lie in the 64-bit integer range [-2^63, 2^64)",
            file=file, column=column, rows=rows[out_of_range], n_bad=len(out_of_range),
            values=[ints[i] for i in out_of_range[:5]],
        )
    negative_rows = [i for i, v in enumerate(ints) if v < 0]
    if not negative_rows:  # "-0" beside ids above 2^63 - 1
        return np.array(ints, dtype=np.uint64)
    raise InvalidIdError(
        "negative ids cannot share a column with ids above 2^63 - 1 (no 64-bit type holds both)",
        file=file, column=column, rows=rows[negative_rows], n_bad=len(negative_rows),
        values=[ints[i] for i in negative_rows[:5]],
    )


def _canonical_integers(a: NDArray) -> NDArray:
    if a.dtype == np.uint64 and (a.size == 0 or a.max() > _INT64_MAX):
        return a
    return a.astype(np.int64)


def _fractional_text(values: pa.Array) -> NDArray[np.bool_]:
    """Return where decimal literals (trimmed, no nulls) are not whole numbers, exactly.

    Without an exponent a literal is fractional when a nonzero digit follows the point;
    with one (rare) Python's Decimal decides. No float is involved, so 1.0000000000000001
    is fractional.
    """
    fractional = _mask(pc.match_substring_regex(values, _FRACTIONAL))
    exponent = np.flatnonzero(_mask(pc.match_substring_regex(values, "[eE]")))
    if exponent.size:
        literals = values.take(pa.array(exponent)).to_pylist()
        for row, text in zip(exponent, literals, strict=True):
            try:
                number = Decimal(text)
                fractional[row] = number.is_finite() and number != number.to_integral_value()
            except ArithmeticError:
                fractional[row] = True
    return fractional


def _bad_ids(message: str, bad: NDArray[np.bool_], values: pa.Array, column: str,
             file: str) -> InvalidIdError:
    rows = np.flatnonzero(bad)
    shown = values.take(pa.array(rows[:5])).to_pylist()
    return InvalidIdError(message, file=file, column=column, rows=rows, n_bad=rows.size,
                          values=shown)


def _decimal_text_ids(values: pa.Array, integer: NDArray[np.bool_], column: str,
                      file: str) -> NDArray:
    """Return a column of number literals, some not plain integers, as exact ids, or raise.

    A decimal or float literal (``3.0``, ``1e3``, as pandas writes a float column) is taken
    as the integer it denotes if it is whole and below 2^53 in magnitude: a float holds
    every integer up to there exactly, but a larger id printed from a float may have been
    rounded. Integer literals among them stay exact at any size.
    """
    plain = _mask(pc.match_substring_regex(values, _PLAIN_NUMBER))
    if not plain.all():
        raise _bad_ids(
            "cell id is not written as a plain number (spaces, a '+' sign or an infinity); "
            "write ids as plain integers or as names", ~plain, values, column, file,
        )
    fractional = _fractional_text(values) & ~integer
    if fractional.any():
        raise _bad_ids("cell id has a fractional part; ids must be whole numbers (or names)",
                       fractional, values, column, file)
    decimal_rows = np.flatnonzero(~integer)
    decimals = values.take(pa.array(decimal_rows))
    floats = pc.cast(decimals, pa.float64()).to_numpy(zero_copy_only=False)
    big = np.zeros(len(values), dtype=bool)
    big[decimal_rows] = ~(np.abs(floats) < _FLOAT_EXACT)
    if big.any():
        raise _bad_ids(
            "cell id is written as a decimal or float of magnitude 2^53 or more, where a "
            "float cannot hold every integer, so it may have been rounded; write ids as "
            "plain integers", big, values, column, file,
        )
    integer_rows = np.flatnonzero(integer)
    exact = _canonical_integers(
        _integers_exact(values.take(pa.array(integer_rows)), column, file, integer_rows))
    whole = floats.astype(np.int64)
    if exact.dtype == np.uint64 and whole.size and whole.min() < 0:
        negative = np.zeros(len(values), dtype=bool)
        negative[decimal_rows[whole < 0]] = True
        raise _bad_ids("negative ids cannot share a column with ids above 2^63 - 1 (no 64-bit "
                       "type holds both)", negative, values, column, file)
    out = np.empty(len(values), dtype=exact.dtype if exact.size else np.int64)
    out[integer_rows] = exact
    out[decimal_rows] = whole.astype(out.dtype)
    return out


def _decimal_typed_ids(values: pa.Array, column: str, file: str) -> NDArray:
    """Return decimal-typed ids (exact) as integers if every one is whole and fits 64 bits."""
    numbers = values.to_pylist()
    fractional = np.array([n != n.to_integral_value() for n in numbers], dtype=bool)
    if fractional.any():
        raise _bad_ids("cell id has a fractional part; ids must be whole numbers",
                       fractional, values, column, file)
    ints = pa.array([str(int(n)) for n in numbers], pa.string())
    return _integers_exact(ints, column, file)


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
    if _is_text(kind):
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
            return _canonical_integers(_decimal_text_ids(values, integer, column, file))
        return values.to_numpy(zero_copy_only=False).astype(object)
    if pa.types.is_floating(kind):
        return whole_float_ids(values.to_numpy(zero_copy_only=False), column, file)
    if pa.types.is_decimal(kind):
        return _canonical_integers(_decimal_typed_ids(values, column, file))
    raise InvalidIdError(f"cell ids must be integers or strings, got {kind}", file=file,
                         column=column)


def _text_counts(values: pa.ChunkedArray, column: str, file: str) -> pd.Series:
    """Return text synapse counts as exact numbers: int64 literals, or float64 if any decimal.

    Raises for a value that is not a number, a fractional decimal (decided exactly on the
    text) or a decimal too large to be exact; missing values pass as NaN.
    """
    values = values.combine_chunks()
    if not _is_text(values.type):
        values = pc.cast(values, pa.string())
    numeric = _mask(pc.match_substring_regex(values, _NUMERIC))
    null = values.is_null().to_numpy(zero_copy_only=False)
    bad = ~numeric & ~null
    if bad.any():
        rows = np.flatnonzero(bad)
        raise InvalidWeightError("synapse count is not a number", file=file, column=column,
                                 rows=rows, n_bad=rows.size,
                                 values=values.take(pa.array(rows[:5])).to_pylist())
    trimmed = pc.utf8_trim_whitespace(values)
    integer = _mask(pc.match_substring_regex(trimmed, r"^[+-]?[0-9]+$"))
    if integer.sum() == len(values):
        try:
            return pd.Series(pc.cast(trimmed, pa.int64()).to_numpy(zero_copy_only=False))
        except pa.ArrowInvalid:
            pass
    fractional = _fractional_text(pc.fill_null(trimmed, "0")) & ~integer & ~null
    if fractional.any():
        rows = np.flatnonzero(fractional)
        raise InvalidWeightError("synapse counts must be whole numbers", file=file,
                                 column=column, rows=rows, n_bad=rows.size,
                                 values=values.take(pa.array(rows[:5])).to_pylist())
    counts = pc.cast(trimmed, pa.float64()).to_numpy(zero_copy_only=False)
    inexact = ~(np.abs(np.nan_to_num(counts)) < _FLOAT_EXACT)
    if inexact.any():
        rows = np.flatnonzero(inexact)
        raise InvalidWeightError("synapse count is too large to be exact", file=file,
                                 column=column, rows=rows, n_bad=rows.size,
                                 values=values.take(pa.array(rows[:5])).to_pylist())
    return pd.Series(counts)


# -- public readers ----------------------------------------------------------------------


def _read_synapse_table(path: PathLike, fmt: TableFormat) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return the exact synapse table and what its file's columns were used for."""
    exact = [fmt.pre, fmt.post] + ([fmt.weight] if fmt.weight else [])
    src = _read_table(path, fmt, fmt.synapse_names, exact)
    table, file = src.table, src.file
    _require(src, fmt.pre, [fmt.pre, fmt.post])
    _require(src, fmt.post, [fmt.pre, fmt.post])
    weight, detected = _weight_column(src)
    out = pd.DataFrame({
        "pre": _exact_ids(table[fmt.pre], fmt.pre, file, src.from_text),
        "post": _exact_ids(table[fmt.post], fmt.post, file, src.from_text),
    })
    if weight is not None:
        values = table[weight]
        if src.from_text and not _is_text(values.type):
            # A detected column was not read as text: read it again so, exactly.
            values = _read_text(src.path, src.sep, fmt, fmt.synapse_names, [weight],
                                include=[weight])[weight]
        counts = (_text_counts(values, weight, file) if src.from_text
                  else values.combine_chunks().to_pandas())
        out["weight"] = synapse_counts(pd.DataFrame({weight: counts}), weight, file)
    origin = {
        "weight_column": weight,
        "weight_column_detected": detected,
        "unused_columns": tuple(c for c in table.column_names
                                if c not in (fmt.pre, fmt.post, weight)),
    }
    return out, origin


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
        ``weight=``, ``sep=``, ...). A column named by ``weight=`` must be in the file;
        ``weight=None`` reads one synapse per row.

    Returns
    -------
    pandas.DataFrame
        Columns ``pre`` and ``post`` (int64 if every id fits, else uint64; str for names)
        and, for a connection table, ``weight`` (int64 synapse counts, all >= 1). Its
        ``attrs`` say which file column gave the counts (``weight_column``, None for one
        synapse per row), whether it was detected by its name (``weight_column_detected``)
        and which columns were not read (``unused_columns``).

    Raises
    ------
    TableReadError
        Missing, unreadable or malformed file, unknown file type, or a repeated column name.
    EmptyTableError
        No rows.
    MissingColumnError
        A needed column is absent (the message lists the columns the file has, and the
        ``sep`` to pass if the first line looks split by another separator); or no weight
        column is named and several columns look like synapse counts.
    InvalidIdError
        An id is missing, fractional, inexact as a float, or out of the 64-bit range.
    InvalidWeightError
        A synapse count is missing, not a number, fractional, zero or negative.

    Notes
    -----
    The weight column: the format's ``weight`` if the file has it; if not, an error when
    the column was named explicitly (``weight=``, ``--weight``) or the preset requires one;
    otherwise the one column named like a synapse count (``count``, ``syn_count``,
    ``n_syn``, ``synapses``, ... see
    :func:`~connectome_motifs.graphs.formats.is_synapse_count_name`), an error if several
    are, or none (one synapse per row). A format whose ``weight`` is None reads one synapse
    per row and looks for no other column.

    Ids in text files are read as text and converted exactly: a column of integer literals
    becomes int64 if every value fits, otherwise uint64; a column with any name (``AVAL``)
    stays text. A column of numbers some of which are written as decimals or floats
    (``3.0``, ``1e3``, as a float writer prints them) is taken as integers if every such
    value is whole and below 2^53 in magnitude (a float holds those exactly); otherwise the
    error lists the fractional (or too large) values, and a padded or ``+``-signed number
    is an error too. In Parquet and Feather files integer ids are kept (widened to int64,
    or uint64 above 2^63 - 1), string ids are kept, float-typed ids are taken as integers
    on the same terms (below 2^53 for float64, 2^24 for float32). Error rows are 0-based
    data rows (the header is not a row). O(r) for r rows.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "syn.csv"
    >>> _ = path.write_text("pre,post\\n648518346349491311,18446744073709551615\\n")
    >>> read_synapses(path).dtypes.tolist()
    [dtype('int64'), dtype('uint64')]
    >>> _ = path.write_text("pre,post,syn_count,roi\\n1,2,5,EB\\n")
    >>> table = read_synapses(path)
    >>> table["weight"].tolist(), table.attrs["weight_column"], table.attrs["unused_columns"]
    ([5], 'syn_count', ['roi'])
    """
    table, origin = _read_synapse_table(path, resolve_format(fmt, **overrides))
    table.attrs.update({**origin, "unused_columns": list(origin["unused_columns"])})
    return table


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
    src = _read_table(path, fmt, fmt.cell_names, exact)
    table, file = src.table, src.file
    _require(src, fmt.cell_id, exact)
    out = pd.DataFrame({"id": _exact_ids(table[fmt.cell_id], fmt.cell_id, file, src.from_text)})
    position = [c for c in fmt.position_columns if c in table.column_names]
    if position:
        for column in fmt.position_columns:
            _require(src, column, exact)
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
        The synapse or connection table (see :func:`read_synapses`, also for how the
        column of synapse counts is chosen).
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
        autapses removed; both counted in ``g.report``, which also names the weight column
        (``weight_column``, ``weight_column_detected``) and the synapse-table columns not
        read (``unused_columns``); all of it is in ``g.summary()``.

    Raises
    ------
    TableReadError, EmptyTableError, MissingColumnError, InvalidIdError, InvalidWeightError,
    PositionParseError, UnknownCellError
        Each names the file, the column and the first offending rows (0-based data rows,
        the header excluded); where an argument resolves it, its ``option`` names it.

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
    table, origin = _read_synapse_table(synapses, fmt)
    cell_table = None if cells is None else read_cells(cells, fmt)
    return from_tables(
        table,
        cell_table,
        weight="weight" if "weight" in table.columns else None,
        unknown_cells=unknown_cells,
        source=str(synapses),
        cells_source=None if cells is None else str(cells),
        origin=origin,
    )
