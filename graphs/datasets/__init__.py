"""Bundled datasets: the MICrONS phase-1 (pinky100) layer 2/3 pyramidal-cell connectome and the
larval Drosophila brain connectome with cell types and compartments (Winding et al. 2023)."""

from connectome_motifs.graphs.datasets.larva import LARVA_COMPARTMENTS, larva, larva_files
from connectome_motifs.graphs.datasets.pinky100 import PINKY100_SUBGRAPHS, pinky100, pinky100_files

__all__ = [
    "LARVA_COMPARTMENTS",
    "PINKY100_SUBGRAPHS",
    "larva",
    "larva_files",
    "pinky100",
    "pinky100_files",
]
