"""Cell groups: a categorical column of a graph's node table as integer group codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs.errors import GraphInputError, MissingColumnError
from connectome_motifs.graphs.synapse_graph import SynapseGraph

__all__ = ["UNLABELLED", "NodeGroups", "node_groups"]

#: The label of the group of cells whose group column is empty (missing or blank): every
#: model and statistic treats them as one more group, and says how many there are.
UNLABELLED = "(unlabelled)"


@dataclass(frozen=True)
class NodeGroups:
    """The group of every node, read from one column of the node table.

    Attributes
    ----------
    column : str
        The node-table column the groups come from.
    labels : tuple of str
        Group names, sorted, :data:`UNLABELLED` last when some cells have no label.
    codes : ndarray of int32, shape (n,)
        ``labels[codes[i]]`` is node ``i``'s group.
    n_unlabelled : int
        Cells with an empty label, grouped under :data:`UNLABELLED`.
    """

    column: str
    labels: tuple[str, ...]
    codes: NDArray[np.int32]
    n_unlabelled: int

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.labels)

    @property
    def sizes(self) -> NDArray[np.int64]:
        """Nodes per group, in the order of :attr:`labels`."""
        return np.bincount(self.codes, minlength=self.n_groups).astype(np.int64)

    def describe(self) -> str:
        """Return one sentence naming the column, the groups and the unlabelled cells."""
        text = f"groups from column {self.column!r}: {self.n_groups} groups"
        if self.n_unlabelled:
            text += (f", {self.n_unlabelled:,} cells with no label grouped as "
                     f"{UNLABELLED!r}")
        return text


def node_groups(graph: SynapseGraph, column: str) -> NodeGroups:
    """Return the groups of the nodes named by ``column`` of ``graph.nodes``.

    Parameters
    ----------
    graph : SynapseGraph
    column : str
        A node-table column of categorical labels (cell type, hemisphere, layer...).
        Labels are compared as strings after stripping blanks; a missing or blank label
        puts the cell in the group :data:`UNLABELLED`, which is counted
        (:attr:`NodeGroups.n_unlabelled`), never dropped.

    Returns
    -------
    NodeGroups

    Raises
    ------
    MissingColumnError
        If the node table has no such column, naming the columns it has.
    GraphInputError
        If a label equals :data:`UNLABELLED`, naming the node-table rows that have it.

    Notes
    -----
    O(n log n).

    Examples
    --------
    >>> import pandas as pd
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "type": ["E", None, "I"]})
    >>> g = SynapseGraph.from_edges([0], [1], n=3, nodes=nodes)
    >>> groups = node_groups(g, "type")
    >>> groups.labels, groups.codes.tolist(), groups.n_unlabelled
    (('E', 'I', '(unlabelled)'), [0, 2, 1], 1)
    """
    nodes = graph.nodes
    if column not in nodes.columns:
        raise MissingColumnError(f"the node table has no group column {column!r}; it has "
                                 f"{', '.join(map(repr, nodes.columns))}")
    values = nodes[column]
    missing = values.isna().to_numpy()
    text = values.astype(object).where(~missing, "").map(lambda v: str(v).strip())
    empty = (text == "").to_numpy()
    clash = np.flatnonzero((text == UNLABELLED).to_numpy())
    if clash.size:
        raise GraphInputError(f"the label {UNLABELLED!r} is reserved for cells with no label",
                              column=column, rows=clash.tolist(), n_bad=clash.size)
    labels = sorted(set(text[~empty]))
    codes = pd.Categorical(text.where(~empty, UNLABELLED),
                           categories=[*labels, UNLABELLED]).codes.astype(np.int32)
    n_unlabelled = int(empty.sum())
    if n_unlabelled:
        labels.append(UNLABELLED)
    return NodeGroups(column, tuple(labels), codes, n_unlabelled)
