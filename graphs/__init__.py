"""Synapse graphs: the CSR graph type, table readers, conversions and bundled datasets."""

from connectome_motifs.graphs.build import from_tables
from connectome_motifs.graphs.convert import (
    as_synapse_graph,
    from_igraph,
    from_networkx,
    from_scipy_sparse,
    to_igraph,
    to_networkx,
    to_scipy_sparse,
)
from connectome_motifs.graphs.errors import (
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
from connectome_motifs.graphs.formats import PRESETS, TableFormat, resolve_format
from connectome_motifs.graphs.groups import UNLABELLED, NodeGroups, node_groups
from connectome_motifs.graphs.readers import read_cells, read_graph, read_synapses
from connectome_motifs.graphs.storage import load_graph, save_graph
from connectome_motifs.graphs.synapse_graph import BuildReport, SynapseGraph

__all__ = [
    "PRESETS",
    "UNLABELLED",
    "BuildReport",
    "EmptyTableError",
    "GraphInputError",
    "GraphStructureError",
    "InvalidIdError",
    "InvalidWeightError",
    "MissingColumnError",
    "NodeGroups",
    "PositionParseError",
    "SynapseGraph",
    "TableFormat",
    "TableReadError",
    "UnknownCellError",
    "as_synapse_graph",
    "from_igraph",
    "from_networkx",
    "from_scipy_sparse",
    "from_tables",
    "load_graph",
    "node_groups",
    "read_cells",
    "read_graph",
    "read_synapses",
    "resolve_format",
    "save_graph",
    "to_igraph",
    "to_networkx",
    "to_scipy_sparse",
]
