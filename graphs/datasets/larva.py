"""Loader of the bundled larval Drosophila brain connectome (Winding et al. 2023)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from connectome_motifs.graphs.build import from_tables
from connectome_motifs.graphs.errors import InvalidWeightError
from connectome_motifs.graphs.synapse_graph import SynapseGraph

__all__ = ["LARVA_COMPARTMENTS", "larva", "larva_files"]

#: The compartment graphs: name -> what their synapses join (the count column of the table).
LARVA_COMPARTMENTS: dict[str, str] = {
    "all": "every synapse",
    "aa": "axon -> axon",
    "ad": "axon -> dendrite",
    "da": "dendrite -> axon",
    "dd": "dendrite -> dendrite",
}

_SPLIT = ("aa", "ad", "da", "dd")


def larva_files() -> dict[str, Path]:
    """Return the paths of the bundled ``connections``, ``cells`` and ``readme`` files."""
    folder = (resources.files("connectome_motifs.graphs.datasets") / "data"
              / "drosophila_larva_winding2023")
    return {
        "connections": Path(str(folder / "connections.csv")),
        "cells": Path(str(folder / "cells.csv")),
        "readme": Path(str(folder / "README.md")),
    }


def larva(compartment: str = "all") -> SynapseGraph:
    """Return the larval Drosophila brain connectome, or one of its compartment graphs.

    Nodes are the 2,952 neurons of both hemispheres; edges the ordered (pre, post) pairs
    with at least one synapse (of the compartment), weighted by synapse count, without the
    537 autapses (a simple graph; their synapses are counted in ``report``). The node
    table holds ``id`` (skeleton id, int64), ``celltype`` (17 types; missing, as NaN, for
    the 346 neurons the authors' annotation table does not list), ``annotation``,
    ``cluster``, ``hemisphere`` (``left``/``right``, NaN where unannotated), ``homologue``
    (the paired neuron's id, nullable Int64) and the ``axon_input``, ``dendrite_input``,
    ``axon_output``, ``dendrite_output`` synapse counts. There are no soma positions.

    Parameters
    ----------
    compartment : {"all", "aa", "ad", "da", "dd"}
        ``"all"`` counts every synapse (110,140 edges); the others only those from the
        presynaptic neuron's axon (a) or dendrite (d) to the postsynaptic one's axon or
        dendrite, as Winding et al. analyse them apart (:data:`LARVA_COMPARTMENTS`). A
        compartment graph leaves out the connections without a synapse of its kind,
        counted in ``report.empty_rows_removed``.

    Returns
    -------
    SynapseGraph

    Raises
    ------
    ValueError
        For an unknown compartment.
    InvalidWeightError
        If the bundled table's compartment counts are not non-negative integers summing
        to its ``weight`` (a damaged copy).

    Notes
    -----
    Cite M. Winding, B. D. Pedigo, C. L. Barnes et al., "The connectome of an insect
    brain", Science 379(6636):eadd9330 (2023), doi:10.1126/science.add9330; see the README
    in ``larva_files()["readme"]``. O(rows log rows).

    Examples
    --------
    >>> g = larva()
    >>> g.n, g.n_edges, g.report.autapse_synapses_removed
    (2952, 110140, 783)
    >>> larva("ad").n_edges, larva("ad").report.empty_rows_removed
    (63518, 47132)
    """
    if compartment not in LARVA_COMPARTMENTS:
        raise ValueError(f"unknown compartment {compartment!r}; choose one of "
                         f"{', '.join(LARVA_COMPARTMENTS)}")
    from connectome_motifs.graphs.readers import read_cells, read_synapses

    files = larva_files()
    source = str(files["connections"])
    cells = read_cells(files["cells"], position=None)
    cells["homologue"] = _whole_ids(cells["homologue"])
    table = read_synapses(files["connections"], weight="weight")
    split = pd.read_csv(files["connections"], usecols=list(_SPLIT))
    _check_split(split, table["weight"].to_numpy(), source)
    if compartment == "all":
        return from_tables(table, cells, weight="weight", source=source,
                           cells_source=str(files["cells"]),
                           origin={"unused_columns": _SPLIT})
    table["weight"] = split[compartment].to_numpy(dtype=np.int64)
    kept = table[table["weight"] > 0]
    return from_tables(kept, cells, weight="weight", source=source,
                       cells_source=str(files["cells"]),
                       origin={"weight_column": compartment,
                               "unused_columns": ("weight", *(c for c in _SPLIT
                                                              if c != compartment)),
                               "rows_read": len(table),
                               "empty_rows_removed": len(table) - len(kept)})


def _whole_ids(column: pd.Series) -> pd.Series:
    """Return an id column read as floats (NaN where missing) as nullable Int64, exactly."""
    values = column.to_numpy(dtype=np.float64)
    present = ~np.isnan(values)
    whole = values[present]
    if not (np.all(whole == np.round(whole)) and np.all(np.abs(whole) < 2.0**53)):
        raise ValueError(f"column {column.name!r}: ids must be whole numbers below 2**53")
    ids = pd.array(np.zeros(values.size, dtype=np.int64), dtype="Int64")
    ids[present] = whole.astype(np.int64)
    ids[~present] = pd.NA
    return pd.Series(ids, index=column.index, name=column.name)


def _check_split(split: pd.DataFrame, weight: np.ndarray, source: str) -> None:
    for column in _SPLIT:
        values = split[column]
        bad = np.flatnonzero(~values.notna().to_numpy()
                             | (values.to_numpy(dtype=np.float64) < 0)
                             | (values.to_numpy(dtype=np.float64) % 1 != 0))
        if bad.size:
            raise InvalidWeightError("compartment synapse counts must be non-negative integers",
                                     file=source, column=column, rows=bad, n_bad=bad.size)
    total = split.to_numpy(dtype=np.int64).sum(axis=1)
    bad = np.flatnonzero(total != weight)
    if bad.size:
        raise InvalidWeightError("the compartment counts aa + ad + da + dd must sum to weight",
                                 file=source, column="weight", rows=bad, n_bad=bad.size)
