"""Numba counting kernels over CSR arrays: neighbour lists, dyads, triads, roles, common pairs."""

from connectome_motifs.motifs.kernels.common_neighbours import common_neighbour_histogram
from connectome_motifs.motifs.kernels.dyads import count_mutual_pairs
from connectome_motifs.motifs.kernels.neighbours import (
    forward_neighbours,
    merge_neighbours,
    pair_code_counts,
)
from connectome_motifs.motifs.kernels.participation import node_role_counts
from connectome_motifs.motifs.kernels.quads import (
    backward_neighbours,
    clique_histograms,
    cycle_histogram,
    pair_triangle_counts,
    path_histogram,
)
from connectome_motifs.motifs.kernels.triads import triangle_code_histogram

__all__ = [
    "backward_neighbours",
    "clique_histograms",
    "common_neighbour_histogram",
    "count_mutual_pairs",
    "cycle_histogram",
    "forward_neighbours",
    "merge_neighbours",
    "node_role_counts",
    "pair_code_counts",
    "pair_triangle_counts",
    "path_histogram",
    "triangle_code_histogram",
]
