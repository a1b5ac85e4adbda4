"""Null models of directed graphs: fit to an observed graph, sample, compare statistics.

Modules: ``base`` (the fit/sample interface), one module per model family
(``erdos_renyi``, ``configuration``, ``proximity``), ``pair_states`` (exact pair
probabilities), ``diagnostics`` (MCMC mixing), ``executor`` (the executor protocol) with
``local`` (threads) and ``distributed`` (Dask), ``chains`` (samples sharing Markov
chains), ``ensemble`` (seeded ensembles),
``significance`` (observed against null) and ``seeding`` (the one ``seed`` argument).

The paper's names (Turner et al. 2022) are aliases in :data:`MODELS`: ``ER``
(:class:`ErdosRenyi`), ``gER`` (:class:`ReciprocalErdosRenyi`), ``CFG``
(:class:`ConfigurationModel`), ``gCFG`` (:class:`ReciprocalConfigurationModel`) and ``PM``
(:class:`ProximityModel`); ``gCFG-paper`` (:class:`PaperReciprocalConfigurationModel`) is
the paper's own procedure for gCFG, which is not uniform. Models of cell groups (a
node-table column): ``SBM`` (:class:`StochasticBlockModel`, typed ER) and ``gSBM``
(:class:`ReciprocalStochasticBlockModel`) and ``bCFG`` (:class:`BlockConfigurationModel`,
every degree and the connections between every two groups kept). Of space: ``PM-exp``
(:class:`ExponentialProximityModel`, p(d) = a exp(-b d)), ``PM-group``
(:class:`GroupedProximityModel`, a p(d) per ordered pair of groups) and ``sCFG``
(:class:`SpatialConfigurationModel`, PM conditioned on every degree);
:func:`compare_distance_models` ranks p(d) fits by AIC. Maximum-entropy models with
independent pairs: ``DBCM`` (:class:`DirectedBinaryConfigurationModel`, every degree in
expectation) and ``RBCM`` (:class:`ReciprocalBinaryConfigurationModel`, every one-way and
reciprocal degree in expectation). :class:`WeightShuffle`
permutes synapse counts on any wiring. ``attribute_tests``: do connected cells have
similar attributes beyond distance (:func:`attribute_test`), and does in-connection
density follow an attribute (:func:`structure_function_test`)?
"""

from connectome_motifs.nullmodels.attribute_tests import (
    ATTRIBUTE_TEST_COLUMNS,
    AttributeTestResult,
    attribute_test,
    structure_function_test,
)
from connectome_motifs.nullmodels.base import IndependentDyadModel, MarkovChainModel, NullModel
from connectome_motifs.nullmodels.block_configuration import BlockConfigurationModel
from connectome_motifs.nullmodels.block_models import (
    ReciprocalStochasticBlockModel,
    StochasticBlockModel,
)
from connectome_motifs.nullmodels.chains import ChainPlan, plan_chains
from connectome_motifs.nullmodels.configuration import (
    ConfigurationModel,
    PaperReciprocalConfigurationModel,
    ReciprocalConfigurationModel,
)
from connectome_motifs.nullmodels.diagnostics import MixingDiagnostics
from connectome_motifs.nullmodels.ensemble import (
    EnsembleParams,
    EnsembleResult,
    as_executor,
    ensemble,
)
from connectome_motifs.nullmodels.erdos_renyi import ErdosRenyi, ReciprocalErdosRenyi
from connectome_motifs.nullmodels.errors import (
    MaximumEntropySolverError,
    MissingPositionsError,
    NotFittedError,
)
from connectome_motifs.nullmodels.executor import EnsembleRows, Executor, SampleTask
from connectome_motifs.nullmodels.local import ThreadExecutor
from connectome_motifs.nullmodels.maximum_entropy import (
    DirectedBinaryConfigurationModel,
    ReciprocalBinaryConfigurationModel,
)
from connectome_motifs.nullmodels.pair_states import (
    BlockPairStateProbabilities,
    PairStateProbabilities,
)
from connectome_motifs.nullmodels.proximity import (
    ExponentialProximityModel,
    GroupedProximityModel,
    ProximityModel,
    compare_distance_models,
)
from connectome_motifs.nullmodels.seeding import Seed, as_generator, as_seed_sequence
from connectome_motifs.nullmodels.significance import (
    compare,
    empirical_p_values,
    p_adjust,
    smallest_adjusted_p,
)
from connectome_motifs.nullmodels.spatial_configuration import SpatialConfigurationModel
from connectome_motifs.nullmodels.weight_shuffle import WeightShuffle

#: The paper's model names -> model classes.
MODELS: dict[str, type[NullModel]] = {
    "ER": ErdosRenyi,
    "gER": ReciprocalErdosRenyi,
    "CFG": ConfigurationModel,
    "gCFG": ReciprocalConfigurationModel,
    "PM": ProximityModel,
    "gCFG-paper": PaperReciprocalConfigurationModel,
    "SBM": StochasticBlockModel,
    "gSBM": ReciprocalStochasticBlockModel,
    "bCFG": BlockConfigurationModel,
    "sCFG": SpatialConfigurationModel,
    "PM-exp": ExponentialProximityModel,
    "PM-group": GroupedProximityModel,
    "DBCM": DirectedBinaryConfigurationModel,
    "RBCM": ReciprocalBinaryConfigurationModel,
}

__all__ = [
    "ATTRIBUTE_TEST_COLUMNS",
    "MODELS",
    "AttributeTestResult",
    "BlockConfigurationModel",
    "BlockPairStateProbabilities",
    "ChainPlan",
    "ConfigurationModel",
    "DirectedBinaryConfigurationModel",
    "EnsembleParams",
    "EnsembleResult",
    "EnsembleRows",
    "ErdosRenyi",
    "Executor",
    "ExponentialProximityModel",
    "GroupedProximityModel",
    "IndependentDyadModel",
    "MarkovChainModel",
    "MaximumEntropySolverError",
    "MissingPositionsError",
    "MixingDiagnostics",
    "NotFittedError",
    "NullModel",
    "PairStateProbabilities",
    "PaperReciprocalConfigurationModel",
    "ProximityModel",
    "ReciprocalBinaryConfigurationModel",
    "ReciprocalConfigurationModel",
    "ReciprocalErdosRenyi",
    "ReciprocalStochasticBlockModel",
    "SampleTask",
    "Seed",
    "SpatialConfigurationModel",
    "StochasticBlockModel",
    "ThreadExecutor",
    "WeightShuffle",
    "as_executor",
    "as_generator",
    "as_seed_sequence",
    "attribute_test",
    "compare",
    "compare_distance_models",
    "empirical_p_values",
    "ensemble",
    "p_adjust",
    "plan_chains",
    "smallest_adjusted_p",
    "structure_function_test",
]
