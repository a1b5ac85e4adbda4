"""Exceptions raised when input tables or graphs are invalid.

Every message says where the problem is: the file, the column, and the first offending
rows, given as **0-based data rows, the header excluded** (the first line under the header
is data row 0; in a Parquet or Feather file or a DataFrame, row ``i`` is the ``i``-th row).
Errors about the arrays of a graph (:class:`GraphStructureError`) give 0-based entries of
those arrays instead.

An error that an argument of the API resolves names it in :attr:`GraphInputError.option`,
spelled as in Python (``unknown_cells='drop'``, ``sep='\\t'``, ``weight='<column>'``), and
keeps its name and value apart in ``option_name`` and ``option_value``; a command line can
print the message with its own spelling through :meth:`GraphInputError.format_message`::

    err.format_message(f"--{err.option_name.replace('_', '-')} {err.option_value}")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "ROWS_NOTE",
    "EmptyTableError",
    "GraphInputError",
    "GraphStructureError",
    "InvalidIdError",
    "InvalidWeightError",
    "MissingColumnError",
    "PositionParseError",
    "TableReadError",
    "UnknownCellError",
    "format_values",
]

_MAX_ROWS_SHOWN = 5
ROWS_NOTE = "0-based, header excluded"
"""How every input error counts rows: data rows from 0, the header line not counted."""


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value


def format_values(values: Sequence[Any]) -> str:
    """Return values for a message: strings quoted (so spaces show), numbers as written.

    >>> format_values(["AVAL", " 4", 1.5, 7])
    "'AVAL', ' 4', 1.5, 7"
    """
    return ", ".join(repr(v) if isinstance(v, str) else str(v) for v in map(_plain, values))


def _rows_text(rows: Sequence[int], n_bad: int | None, labels: tuple[str, str],
               note: str | None) -> str:
    shown = ", ".join(str(r) for r in rows)
    details = []
    if n_bad is not None and n_bad > len(rows):
        details.append(f"first {len(rows)} of {n_bad}")
    if note:
        details.append(note)
    label = labels[0] if len(rows) == 1 and not (n_bad and n_bad > 1) else labels[1]
    return f"{label} {shown}" + (f" ({'; '.join(details)})" if details else "")


class GraphInputError(ValueError):
    """Base class of every input error; says where the problem is.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The file that holds the bad data.
    column : str, optional
        The offending column.
    rows : sequence of int, optional
        The first offending rows, as 0-based data-row positions (the header is not a row).
    n_bad : int, optional
        How many rows are bad in all, when more than ``rows`` lists.
    values : sequence, optional
        The offending values of the rows shown, in the same order.
    option : (str, object), optional
        The argument that resolves the error, as (name, value): ``("unknown_cells", "drop")``.
    hint : str, optional
        What to do, with ``{option}`` where the option goes (default ``"pass {option}"``);
        it ends the message.

    Attributes
    ----------
    message, file, column, rows, n_bad, values
        As given (``rows`` and ``values`` cut to the first five).
    option_name, option_value
        The parts of ``option`` (None without one).
    """

    rows_labels: tuple[str, str] = ("data row", "data rows")
    rows_note: str | None = ROWS_NOTE

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
        n_bad: int | None = None,
        values: Sequence[Any] | None = None,
        option: tuple[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.column = column
        self.rows = None if rows is None else [int(r) for r in rows[:_MAX_ROWS_SHOWN]]
        self.n_bad = n_bad if n_bad is not None else (None if rows is None else len(rows))
        self.values = None if values is None else [_plain(v) for v in values[:_MAX_ROWS_SHOWN]]
        self.option_name, self.option_value = option if option is not None else (None, None)
        self.hint = hint if hint is not None or option is None else "pass {option}"
        super().__init__(self.format_message())

    @property
    def option(self) -> str | None:
        """The resolving argument as written in Python, e.g. ``"unknown_cells='drop'"``."""
        if self.option_name is None:
            return None
        return f"{self.option_name}={self.option_value!r}"

    def _where(self) -> list[str]:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.rows:
            where.append(_rows_text(self.rows, self.n_bad, self.rows_labels, self.rows_note))
        if self.values:
            where.append(f"value{'s' if len(self.values) > 1 else ''} "
                         f"{format_values(self.values)}")
        return where

    def format_message(self, option: str | None = None) -> str:
        """Return the message, with ``option`` (e.g. a command-line flag) in the hint.

        Without ``option`` the hint names the Python argument (:attr:`option`).
        """
        where = self._where()
        text = ": ".join([", ".join(where), self.message]) if where else self.message
        if self.hint:
            text += "; " + self.hint.replace("{option}", option or self.option or "")
        return text


class TableReadError(GraphInputError):
    """The file is missing, unreadable or not in the format its name says."""


class EmptyTableError(GraphInputError):
    """The table has no rows."""


class MissingColumnError(GraphInputError):
    """A column the reader needs is not in the table, or which column to use is unclear."""


class InvalidIdError(GraphInputError):
    """A cell id is missing (NaN), fractional, inexact as a float or otherwise not exact."""


class InvalidWeightError(GraphInputError):
    """A synapse count is missing, fractional, zero or negative, or too large."""


class UnknownCellError(GraphInputError):
    """A synapse refers to a cell that the cell table does not hold.

    Parameters
    ----------
    message : str
        What is wrong.
    by_column : mapping of str to (rows, n_bad, ids), optional
        Per column of the synapse table with unknown ids: the first rows (0-based data
        rows) where that column's id is unknown, how many such rows there are, and the
        ids of the rows shown. Each column is listed in the message.
    **kwargs
        As for :class:`GraphInputError` (``file``, ``option``, ``hint``, ...).

    Attributes
    ----------
    rows_by_column, n_bad_by_column, ids_by_column : dict
        The parts of ``by_column``, per column (rows and ids cut to the first five).
    column, rows, n_bad
        Those of the only column, when just one column has unknown ids; else None.
    """

    def __init__(
        self,
        message: str,
        *,
        by_column: Mapping[str, tuple[Sequence[int], int, Sequence[Any]]] | None = None,
        **kwargs: Any,
    ) -> None:
        by_column = dict(by_column or {})
        self.rows_by_column = {c: [int(r) for r in rows[:_MAX_ROWS_SHOWN]]
                               for c, (rows, _, _) in by_column.items()}
        self.n_bad_by_column = {c: int(n) for c, (_, n, _) in by_column.items()}
        self.ids_by_column = {c: [_plain(v) for v in ids[:_MAX_ROWS_SHOWN]]
                              for c, (_, _, ids) in by_column.items()}
        if by_column:
            parts = []
            for column, rows in self.rows_by_column.items():
                ids = self.ids_by_column[column]
                parts.append(
                    f"column {column!r}: "
                    f"{_rows_text(rows, self.n_bad_by_column[column], self.rows_labels, None)}"
                    f" ({'id' if len(ids) == 1 else 'ids'} {format_values(ids)})"
                )
            message = f"{message}: {'; '.join(parts)} (data rows are {ROWS_NOTE})"
        super().__init__(message, **kwargs)
        if len(by_column) == 1 and self.column is None:
            [(self.column, self.rows)] = self.rows_by_column.items()
            self.n_bad = self.n_bad_by_column[self.column]


class PositionParseError(GraphInputError):
    """A soma position could not be parsed into three finite numbers."""


class GraphStructureError(GraphInputError):
    """Edges given to a graph constructor are out of range, self-loops or duplicates.

    Its ``rows`` are 0-based entries of the arrays given, not rows of a file.
    """

    rows_labels = ("entry", "entries")
    rows_note = "0-based"
