"""Figures of the motif analysis, one module per figure, with a shared style and saving.

``motif_ratios`` (counts relative to ER, with ``pictograms`` of the classes), ``quads``
(the 4-cell classes against each model), ``simplices`` (directed simplices by dimension),
``degrees`` (degree distributions), ``distance`` (connection probability against soma distance),
``typed_census`` (connections and triads between cell groups), ``rich_club``,
``motif_strength`` (synapse counts per triad class), ``attribute_tests`` (a test's null
distribution, power curves), ``style`` (colours, fonts) and ``saving`` (PNG and SVG, atomic
and deterministic).
"""

from connectome_motifs.motifs.plots.attribute_tests import plot_attribute_test, plot_power_curves
from connectome_motifs.motifs.plots.degrees import plot_degree_distributions
from connectome_motifs.motifs.plots.distance import plot_distance_dependence
from connectome_motifs.motifs.plots.motif_ratios import plot_motif_ratios
from connectome_motifs.motifs.plots.motif_strength import plot_motif_strength
from connectome_motifs.motifs.plots.quads import plot_quad_motifs
from connectome_motifs.motifs.plots.rich_club import plot_rich_club
from connectome_motifs.motifs.plots.saving import save_figure
from connectome_motifs.motifs.plots.simplices import plot_simplex_counts
from connectome_motifs.motifs.plots.style import MODEL_COLOURS, model_colours
from connectome_motifs.motifs.plots.typed_census import plot_typed_connections, plot_typed_triads

__all__ = [
    "MODEL_COLOURS",
    "model_colours",
    "plot_attribute_test",
    "plot_degree_distributions",
    "plot_distance_dependence",
    "plot_motif_ratios",
    "plot_motif_strength",
    "plot_power_curves",
    "plot_quad_motifs",
    "plot_rich_club",
    "plot_simplex_counts",
    "plot_typed_connections",
    "plot_typed_triads",
    "save_figure",
]
