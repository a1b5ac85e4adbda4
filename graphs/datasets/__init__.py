"""Bundled datasets: the MICrONS phase-1 (pinky100) layer 2/3 pyramidal-cell connectome."""

from connectome_motifs.graphs.datasets.pinky100 import PINKY100_SUBGRAPHS, pinky100, pinky100_files

__all__ = ["PINKY100_SUBGRAPHS", "pinky100", "pinky100_files"]
