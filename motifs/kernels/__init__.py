"""Numba counting kernels over CSR arrays: neighbour lists, dyads, triads, roles, common pairs."""

from connectome_motifs.motifs.kernels.common_neighbours import common_neighbour_histogram
from connectome_motifs.motifs.kernels.dyads import count_mutual_pairs
from connectome_motifs.motifs.kernels.neighbours import (
    forward_neighbours,
    merge_neighbours,
    pair_code_counts,
)
from connectome_motifs.motifs.kernels.participation import node_role_counts
from connectome_motifs.motifs.kernels.triads import triangle_code_histogram

__all__ = [
    "common_neighbour_histogram",
    "count_mutual_pairs",
    "forward_neighbours",
    "merge_neighbours",
    "node_role_counts",
    "pair_code_counts",
    "triangle_code_histogram",
]
