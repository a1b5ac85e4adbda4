"""Exceptions raised when input tables or graphs are invalid."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "EmptyTableError",
    "GraphInputError",
    "GraphStructureError",
    "InvalidIdError",
    "InvalidWeightError",
    "MissingColumnError",
    "PositionParseError",
    "TableReadError",
    "UnknownCellError",
]

_MAX_ROWS_SHOWN = 5


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
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
        n_bad: int | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.column = column
        self.rows = None if rows is None else [int(r) for r in rows[:_MAX_ROWS_SHOWN]]
        self.n_bad = n_bad if n_bad is not None else (None if rows is None else len(rows))
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows)
            more = ""
            if self.n_bad is not None and self.n_bad > len(self.rows):
                more = f" (first {len(self.rows)} of {self.n_bad})"
            where.append(f"row{'s' if len(self.rows) > 1 else ''} {shown}{more}")
        return (": ".join([", ".join(where), self.message]) if where else self.message)


class TableReadError(GraphInputError):
    """The file is missing, unreadable or not in the format its name says."""


class EmptyTableError(GraphInputError):
    """The table has no rows."""


class MissingColumnError(GraphInputError):
    """A column the reader needs is not in the table."""


class InvalidIdError(GraphInputError):
    """A cell id is missing (NaN), fractional, float-typed or otherwise not exact."""


class InvalidWeightError(GraphInputError):
    """A synapse count is missing, fractional, zero or negative, or too large."""


class UnknownCellError(GraphInputError):
    """A synapse refers to a cell that the cell table does not hold."""


class PositionParseError(GraphInputError):
    """A soma position could not be parsed into three finite numbers."""


class GraphStructureError(GraphInputError):
    """Edges given to a graph constructor are out of range, self-loops or duplicates."""
