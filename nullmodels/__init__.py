"""Null models of directed graphs: fit to an observed graph, sample, compare statistics.

The paper's names (Turner et al. 2022) are aliases in :data:`MODELS`: ``ER``
(:class:`ErdosRenyi`), ``gER`` (:class:`ReciprocalErdosRenyi`), ``CFG``
(:class:`ConfigurationModel`), ``gCFG`` (:class:`ReciprocalConfigurationModel`) and ``PM``
(:class:`ProximityModel`).
"""

from nullmodels.base import IndependentDyadModel, NullModel
from nullmodels.configuration import ConfigurationModel, ReciprocalConfigurationModel
from nullmodels.ensemble import EnsembleResult, draw_statistic, ensemble
from nullmodels.erdos_renyi import ErdosRenyi, ReciprocalErdosRenyi
from nullmodels.errors import MissingPositionsError, NotFittedError
from nullmodels.pair_states import PairStateProbabilities
from nullmodels.proximity import ProximityModel
from nullmodels.seeding import as_generator, as_seed_sequence
from nullmodels.statistics import compare, empirical_p_values, p_adjust

#: The paper's model names -> model classes.
MODELS: dict[str, type[NullModel]] = {
    "ER": ErdosRenyi,
    "gER": ReciprocalErdosRenyi,
    "CFG": ConfigurationModel,
    "gCFG": ReciprocalConfigurationModel,
    "PM": ProximityModel,
}

__all__ = [
    "MODELS",
    "ConfigurationModel",
    "EnsembleResult",
    "ErdosRenyi",
    "IndependentDyadModel",
    "MissingPositionsError",
    "NotFittedError",
    "NullModel",
    "PairStateProbabilities",
    "ProximityModel",
    "ReciprocalConfigurationModel",
    "ReciprocalErdosRenyi",
    "as_generator",
    "as_seed_sequence",
    "compare",
    "draw_statistic",
    "empirical_p_values",
    "ensemble",
    "p_adjust",
]
