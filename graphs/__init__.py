"""Synapse graphs: the CSR graph type, table readers, conversions and bundled datasets."""

from graphs.errors import (
    EmptyTableError,
    GraphInputError,
    GraphStructureError,
    InvalidIdError,
    InvalidWeightError,
    MissingColumnError,
    PositionParseError,
    TableReadError,
    UnknownCellError,
)
from graphs.synapse_graph import BuildReport, SynapseGraph

__all__ = [
    "BuildReport",
    "SynapseGraph",
    "GraphInputError",
    "TableReadError",
    "EmptyTableError",
    "MissingColumnError",
    "InvalidIdError",
    "InvalidWeightError",
    "UnknownCellError",
    "PositionParseError",
    "GraphStructureError",
]
