"""Motif analysis of directed synapse graphs: census, profile, expectations, significance.

Modules: ``kernels`` (numba counting kernels), ``census`` (dyad and triad census,
participation), ``metrics`` (reciprocity, clustering, common neighbours), ``profile`` (every
statistic of a graph in one record), ``catalogue`` (the classes), ``expected`` (exact
expectations of independent-dyad models), ``analysis`` (the staged analysis), ``report`` and
``plots`` (what a run writes), ``cli`` (the command line).
"""

from connectome_motifs.graphs import as_synapse_graph
from connectome_motifs.motifs import catalogue
from connectome_motifs.motifs.analysis import (
    DEFAULT_MODELS,
    AnalysisParams,
    MotifAnalysis,
    MotifTables,
    analyse,
    compare_models,
    expected_counts,
    fit_models,
    sample_models,
    tabulate,
)
from connectome_motifs.motifs.census import dyad_census, triad_census, triad_participation
from connectome_motifs.motifs.expected import expected_dyad_census, expected_triad_census
from connectome_motifs.motifs.metrics import (
    clustering_coefficient,
    common_neighbour_rule,
    reciprocity,
)
from connectome_motifs.motifs.profile import MotifProfile, MotifStatistics, motif_profile

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
    "expected_counts",
    "expected_dyad_census",
    "expected_triad_census",
    "fit_models",
    "motif_profile",
    "reciprocity",
    "sample_models",
    "tabulate",
    "triad_census",
    "triad_participation",
]
