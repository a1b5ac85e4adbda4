"""Numba counting kernels over CSR arrays: neighbour lists, dyads, triads, roles, common pairs."""

from motifs.kernels.common_neighbours import common_neighbour_histogram
from motifs.kernels.dyads import count_mutual_pairs
from motifs.kernels.expected_triads import expected_triad_codes
from motifs.kernels.neighbours import forward_neighbours, merge_neighbours, pair_code_counts
from motifs.kernels.participation import node_role_counts
from motifs.kernels.triads import triangle_code_histogram

__all__ = [
    "common_neighbour_histogram",
    "count_mutual_pairs",
    "expected_triad_codes",
    "forward_neighbours",
    "merge_neighbours",
    "node_role_counts",
    "pair_code_counts",
    "triangle_code_histogram",
]
