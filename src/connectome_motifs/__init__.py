"""connectome-motifs: exact motif statistics and null models for synapse-resolution connectomes.

One import name with three layers inside, each importing only those before it:
:mod:`connectome_motifs.graphs` (the CSR graph type, readers, datasets, conversions),
:mod:`connectome_motifs.nullmodels` (random-graph models, ensembles, significance) and
:mod:`connectome_motifs.motifs` (census, profile, the analysis, reports, the CLI). The
names users reach for first are here::

    import connectome_motifs as cm

    g = cm.datasets.pinky100("th100")
    cm.triad_census(g)
    analysis = cm.analyse(g, models=["ER", "CFG"], n_samples=100)

In a source checkout the three layers are the repository's top-level folders ``graphs/``,
``nullmodels/`` and ``motifs/``; the build maps them into this package.
"""

from importlib import metadata

from connectome_motifs.graphs import SynapseGraph, as_synapse_graph, datasets, read_graph
from connectome_motifs.motifs import (
    MotifAnalysis,
    analyse,
    dyad_census,
    motif_profile,
    quad_census,
    simplex_counts,
    triad_census,
)
from connectome_motifs.nullmodels import (
    MODELS,
    ConfigurationModel,
    ErdosRenyi,
    ProximityModel,
    ReciprocalConfigurationModel,
    ReciprocalErdosRenyi,
    ensemble,
)

__version__ = metadata.version("connectome-motifs")

__all__ = [
    "MODELS",
    "ConfigurationModel",
    "ErdosRenyi",
    "MotifAnalysis",
    "ProximityModel",
    "ReciprocalConfigurationModel",
    "ReciprocalErdosRenyi",
    "SynapseGraph",
    "__version__",
    "analyse",
    "as_synapse_graph",
    "datasets",
    "dyad_census",
    "ensemble",
    "motif_profile",
    "quad_census",
    "read_graph",
    "simplex_counts",
    "triad_census",
]
