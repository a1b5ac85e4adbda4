"""Motif analysis of directed synapse graphs: census, participation, expectations, significance."""

from motifs import catalogue
from motifs._validation import as_synapse_graph
from motifs.analysis import DEFAULT_MODELS, MotifAnalysis, MotifStatistics, analyse
from motifs.census import dyad_census, triad_census, triad_participation
from motifs.expected import expected_dyad_census, expected_triad_census
from motifs.statistics import clustering_coefficient, common_neighbour_rule, reciprocity

__all__ = [
    "DEFAULT_MODELS",
    "MotifAnalysis",
    "MotifStatistics",
    "analyse",
    "as_synapse_graph",
    "catalogue",
    "clustering_coefficient",
    "common_neighbour_rule",
    "dyad_census",
    "expected_dyad_census",
    "expected_triad_census",
    "reciprocity",
    "triad_census",
    "triad_participation",
]
