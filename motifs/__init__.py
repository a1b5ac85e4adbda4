"""Motif analysis of directed synapse graphs: census, profile, expectations, significance.

Modules: ``kernels`` (numba counting kernels), ``census`` (dyad and triad census, per-node
participation), ``quad_census`` and ``quad_participation`` (the 218 classes of 4 cells, per
graph and per cell), ``simplices`` (directed simplices), ``typed_census`` (dyads and triads
by the groups of their cells), ``rich_club`` (the directed rich-club coefficient),
``motif_strength`` (synapse counts, intensity and coherence of the triads of each class),
``edge_participation`` (per-edge triad counts), ``metrics`` (reciprocity, clustering, common
neighbours), ``profile`` (every statistic of a graph in one record), ``catalogue`` and
``quad_catalogue`` (the classes), ``expected`` (exact expectations of independent-dyad
models), ``analysis`` (the staged analysis), ``report`` and ``plots`` (what a run writes),
``cli`` (the command line).
"""

from connectome_motifs.graphs import as_synapse_graph
from connectome_motifs.motifs import catalogue, quad_catalogue
from connectome_motifs.motifs.analysis import (
    DEFAULT_MODELS,
    AnalysisParams,
    MotifAnalysis,
    MotifTables,
    analyse,
    compare_models,
    expected_counts,
    expected_variances,
    fit_models,
    sample_models,
    tabulate,
)
from connectome_motifs.motifs.census import dyad_census, triad_census, triad_participation
from connectome_motifs.motifs.edge_participation import edge_triad_participation
from connectome_motifs.motifs.expected import (
    expected_dyad_census,
    expected_quad_census,
    expected_simplex_counts,
    expected_triad_census,
)
from connectome_motifs.motifs.metrics import (
    clustering_coefficient,
    common_neighbour_rule,
    reciprocity,
)
from connectome_motifs.motifs.motif_strength import motif_strength
from connectome_motifs.motifs.profile import MotifProfile, MotifStatistics, motif_profile
from connectome_motifs.motifs.quad_census import quad_census
from connectome_motifs.motifs.quad_participation import quad_participation
from connectome_motifs.motifs.rich_club import rich_club_coefficient, rich_club_table
from connectome_motifs.motifs.simplices import simplex_counts, simplex_participation
from connectome_motifs.motifs.typed_census import typed_dyad_census, typed_triad_census

__all__ = [
    "DEFAULT_MODELS",
    "AnalysisParams",
    "MotifAnalysis",
    "MotifProfile",
    "MotifStatistics",
    "MotifTables",
    "analyse",
    "as_synapse_graph",
    "catalogue",
    "clustering_coefficient",
    "common_neighbour_rule",
    "compare_models",
    "dyad_census",
    "edge_triad_participation",
    "expected_counts",
    "expected_dyad_census",
    "expected_quad_census",
    "expected_simplex_counts",
    "expected_triad_census",
    "expected_variances",
    "fit_models",
    "motif_profile",
    "motif_strength",
    "quad_catalogue",
    "quad_census",
    "quad_participation",
    "reciprocity",
    "rich_club_coefficient",
    "rich_club_table",
    "sample_models",
    "simplex_counts",
    "simplex_participation",
    "tabulate",
    "triad_census",
    "triad_participation",
    "typed_dyad_census",
    "typed_triad_census",
]
