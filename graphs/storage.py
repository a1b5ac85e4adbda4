"""Save and load synapse graphs exactly, as one NumPy ``.npz`` archive."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from connectome_motifs.graphs.errors import TableReadError
from connectome_motifs.graphs.synapse_graph import BuildReport, SynapseGraph

__all__ = ["FORMAT_VERSION", "load_graph", "save_graph"]

FORMAT_VERSION = "connectome-motifs-graph/1"
_ARRAYS = ("out_indptr", "out_indices", "out_weights")


def save_graph(g: SynapseGraph, path: str | os.PathLike) -> Path:
    """Write a graph to an ``.npz`` file that :func:`load_graph` reads back exactly.

    Parameters
    ----------
    g : SynapseGraph
    path : str or path-like
        Destination; ``.npz`` is appended if the name lacks it (as :func:`numpy.savez`
        does).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        If a node-table column cannot be stored in Parquet (e.g. mixed Python objects).

    Notes
    -----
    The file is an uncompressed NumPy ``.npz`` archive holding:

    - ``format``: the string ``"connectome-motifs-graph/1"``;
    - ``out_indptr`` (int64, n + 1), ``out_indices`` (int32, m), ``out_weights`` (int32,
      m): the out-adjacency CSR arrays;
    - ``nodes``: the node table as Parquet bytes (uint8), keeping int64/uint64/string ids
      and every attribute column with its dtype;
    - ``meta``: JSON with the build report and the node columns of Python-object dtype.

    Writing and reading are O(n + m) memory copies; loading rebuilds the in-adjacency.
    No pickle is used, so loading an untrusted file cannot run code.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> g = SynapseGraph.from_edges([0, 1], [1, 0], [3, 1], n=3)
    >>> path = save_graph(g, pathlib.Path(tempfile.mkdtemp()) / "g.npz")
    >>> load_graph(path).equals(g)
    True
    """
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    nodes = g.nodes
    buffer = io.BytesIO()
    try:
        nodes.to_parquet(buffer, index=False)
    except (pa.ArrowException, ValueError, TypeError) as err:
        raise ValueError(f"cannot store the node table in {path} ({err})") from err
    meta = {
        "report": g.report.as_dict(),
        "object_columns": [str(c) for c in nodes.columns if nodes[c].dtype == object],
    }
    np.savez(
        path,
        format=np.array(FORMAT_VERSION),
        out_indptr=g.out_indptr,
        out_indices=g.out_indices,
        out_weights=g.out_weights,
        nodes=np.frombuffer(buffer.getvalue(), dtype=np.uint8),
        meta=np.array(json.dumps(meta)),
    )
    return path


def load_graph(path: str | os.PathLike) -> SynapseGraph:
    """Return the graph stored by :func:`save_graph`, identical to the one saved.

    Parameters
    ----------
    path : str or path-like
        An ``.npz`` file written by :func:`save_graph`.

    Returns
    -------
    SynapseGraph

    Raises
    ------
    TableReadError
        If the file is missing, not an ``.npz`` archive, or not a saved graph.
    GraphStructureError
        If the stored arrays do not form a valid graph (a damaged file).

    Notes
    -----
    O(n + m): reading, and rebuilding the in-adjacency (see :class:`SynapseGraph`).
    """
    file = str(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            members = {name: archive[name] for name in archive.files}
    except FileNotFoundError as err:
        raise TableReadError("no such file", file=file) from err
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise TableReadError(f"not a saved graph ({err})", file=file) from err
    missing = [k for k in ("format", *_ARRAYS, "nodes", "meta") if k not in members]
    if missing or str(members["format"]) != FORMAT_VERSION:
        raise TableReadError(
            f"not a saved graph of format {FORMAT_VERSION!r}"
            + (f" (missing {', '.join(missing)})" if missing else ""),
            file=file,
        )
    meta = json.loads(str(members["meta"]))
    nodes = pd.read_parquet(io.BytesIO(members["nodes"].tobytes()))
    for column in meta["object_columns"]:
        nodes[column] = nodes[column].astype(object)
    return SynapseGraph(
        *(members[name] for name in _ARRAYS),
        nodes=nodes,
        report=BuildReport.from_dict(meta["report"]),
    )
