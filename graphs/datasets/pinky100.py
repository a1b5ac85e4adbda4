"""Loader of the bundled MICrONS pinky100 connectome (Turner et al. 2022) and its subgraphs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from connectome_motifs.graphs.synapse_graph import SynapseGraph

__all__ = ["PINKY100_SUBGRAPHS", "pinky100", "pinky100_files"]

#: The paper's subgraphs: name -> axon-length threshold in µm (cells with ``axon_len > th``).
PINKY100_SUBGRAPHS: dict[str, float | None] = {
    "full": None,
    "th0": 0.0,
    "th100": 100.0,
    "th300": 300.0,
}


def pinky100_files() -> dict[str, Path]:
    """Return the paths of the bundled ``synapses``, ``cells`` and ``readme`` files."""
    folder = resources.files("connectome_motifs.graphs.datasets") / "data" / "microns_pinky100"
    return {
        "synapses": Path(str(folder / "synapses.csv")),
        "cells": Path(str(folder / "soma.csv")),
        "readme": Path(str(folder / "README.md")),
    }


def pinky100(subgraph: str = "th100", *, min_axon_length: float | None = None) -> SynapseGraph:
    """Return the MICrONS pinky100 pyramidal-cell graph, or one of the paper's subgraphs.

    Nodes are the 363 pyramidal cells with their soma in the volume (also cells without
    synapses); edges are the unique ordered (pre, post) pairs of their 1,981 synapses with
    the 2 autapses removed, weighted by synapse count, as in Turner et al. (2022). The node
    table holds ``id`` (segment id, int64), ``x``, ``y``, ``z`` (soma position in µm),
    ``segmentation``, ``manual_id``, ``axon_len`` and ``dendrite_len`` (µm).

    Parameters
    ----------
    subgraph : {"th100", "full", "th0", "th300"}
        ``"full"`` keeps all 363 cells (1,750 edges); ``"thX"`` keeps the cells whose
        reconstructed axon is longer than X µm (th0: 227, th100: 111 cells and 659 edges,
        the paper's main analysis; th300: 100), because cells with short axons in the
        volume cannot show their outgoing connections.
    min_axon_length : float, optional
        Any other threshold in µm (keeps ``axon_len > min_axon_length``); overrides
        ``subgraph``.

    Returns
    -------
    SynapseGraph

    Notes
    -----
    The data are © the MICrONS consortium; cite Turner et al., Cell 185:1082–1100 (2022),
    doi:10.1016/j.cell.2022.01.023. See the README in ``pinky100_files()["readme"]``.

    Examples
    --------
    >>> g = pinky100("th100")
    >>> g.n, g.n_edges
    (111, 659)
    """
    from connectome_motifs.graphs.readers import read_graph

    if min_axon_length is None:
        if subgraph not in PINKY100_SUBGRAPHS:
            raise ValueError(
                f"unknown subgraph {subgraph!r}; choose one of {', '.join(PINKY100_SUBGRAPHS)}"
            )
        min_axon_length = PINKY100_SUBGRAPHS[subgraph]
    files = pinky100_files()
    graph = read_graph(files["synapses"], files["cells"], fmt="pinky100")
    if min_axon_length is None:
        return graph
    axon = graph.nodes["axon_len"].to_numpy(dtype=np.float64)
    return graph.subgraph(axon > min_axon_length)
