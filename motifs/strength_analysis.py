"""Motif strength against null models: synapse counts shuffled over observed or null wiring.

A null sample of a wiring model (CFG, bCFG...) has no synapse counts, so the strength of
its motifs is undefined; here every model whose samples keep the number of connections
gets a companion, ``<model>+W``, that puts the observed counts on its sample's
connections in a random order (:class:`~connectome_motifs.nullmodels.WeightShuffle`),
within each pair of cell groups where the model keeps the connections between groups.
``W-shuffle`` shuffles the counts over the observed wiring itself.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.motif_strength import motif_strength
from connectome_motifs.nullmodels import (
    MODELS,
    IndependentDyadModel,
    NullModel,
    WeightShuffle,
)
from connectome_motifs.nullmodels.chains import ChainPlan

__all__ = [
    "STRENGTH_MEASURES",
    "StrengthStatistics",
    "check_synapse_counts",
    "strength_models",
    "strength_table",
]

#: The motif-strength measures compared with the nulls, per triad class with edges.
STRENGTH_MEASURES: tuple[str, ...] = ("weight_mean", "intensity_mean", "coherence_mean")


class StrengthStatistics:
    """Callable reducing a graph to its motif strength as one labelled Series, for ensembles.

    Labels (``"strength"``, ``"<triad>:<measure>"``) for the 15 triad classes with edges
    and the measures of :data:`STRENGTH_MEASURES`
    (:func:`~connectome_motifs.motifs.motif_strength.motif_strength`); NaN for a class a
    graph lacks. Picklable.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], [1, 4, 2])
    >>> round(float(StrengthStatistics()(g)[("strength", "030C:weight_mean")]), 6)
    2.333333
    """

    def __init__(self) -> None:
        self.__name__ = "motif_strength"

    def __call__(self, graph: SynapseGraph) -> pd.Series:
        """Return the strength measures of ``graph`` (see the class docstring). O(census)."""
        table = motif_strength(graph)
        measures = table[list(STRENGTH_MEASURES)].to_numpy(dtype=np.float64)
        labels = [f"{triad}:{measure}" for triad in table["triad"]
                  for measure in STRENGTH_MEASURES]
        return pd.Series(measures.ravel(),
                         index=pd.MultiIndex.from_arrays([["strength"] * len(labels), labels],
                                                         names=["kind", "class"]))


def check_synapse_counts(graph: SynapseGraph) -> None:
    """Raise ValueError unless the connections' synapse counts differ, as motif strength needs.

    Where every connection has the same count (or there are none), the strength is the
    same in every sample and nothing can be compared. O(m).
    """
    weights = graph.out_weights
    if weights.size == 0 or weights.min() == weights.max():
        raise ValueError("motif strength needs synapse counts that differ between connections; "
                         f"every connection of this graph has {int(weights.max(initial=0))}")


def strength_models(
    graph: SynapseGraph,
    models: Mapping[str, NullModel],
    groups: str | None = None,
    chains: Mapping[str, ChainPlan] | None = None,
) -> dict[str, WeightShuffle]:
    """Return the fitted weight-shuffle nulls of motif strength for the wiring models given.

    Parameters
    ----------
    graph : SynapseGraph
        The observed graph, with its synapse counts as weights.
    models : mapping of str to NullModel
        The analysis's fitted wiring models. Those whose samples keep the number of
        connections (not the independent-dyad ones) get a companion ``<name>+W``: a fresh
        model of the same settings as its topology, the counts shuffled within pairs of
        the groups of ``groups`` if the model keeps the connections between groups
        (``uses_groups``), else among all connections.
    groups : str, optional
        The node-table column of cell groups; with it ``W-shuffle-groups`` shuffles the
        counts of the observed wiring within group pairs, besides ``W-shuffle`` among all.
    chains : mapping of str to ChainPlan, optional
        The chain plans of the models' own ensembles (``EnsembleResult.chains``): a
        companion's topology takes their burn-in and spacing, so its ensemble runs no
        pilot chain of its own (the wiring chain is the same; the counts are shuffled
        afresh on every sample).

    Returns
    -------
    dict of str to WeightShuffle
        ``W-shuffle`` (and ``W-shuffle-groups``) first, then the companions in the
        order of ``models``.

    Raises
    ------
    ValueError
        If every connection has the same synapse count (the strength is then the same
        in every sample and nothing can be compared).

    Notes
    -----
    One fit of each companion's topology (O(m) for the edge-swap models).
    """
    check_synapse_counts(graph)
    nulls = {"W-shuffle": WeightShuffle()}
    if groups is not None:
        nulls["W-shuffle-groups"] = WeightShuffle(within=groups)
    for name, model in models.items():
        if isinstance(model, IndependentDyadModel) or name not in MODELS:
            continue
        params = model.get_params()
        plan = (chains or {}).get(name)
        if plan is not None:
            params |= {"burn_in": plan.burn_in, "spacing": plan.spacing}
        topology = MODELS[name](**params)
        nulls[f"{name}+W"] = WeightShuffle(topology=topology,
                                           within=groups if model.uses_groups else None)
    return {name: null.fit(graph) for name, null in nulls.items()}


def strength_table(
    label: str,
    observed: pd.Series,
    comparisons: Mapping[str, pd.DataFrame],
) -> pd.DataFrame:
    """Return the tidy table of motif strength against each weight-shuffle null.

    Parameters
    ----------
    label : str
        Name of the graph (the ``subgraph`` column).
    observed : pandas.Series
        :class:`StrengthStatistics` of the observed graph.
    comparisons : mapping of str to pandas.DataFrame
        Per null, :func:`~connectome_motifs.nullmodels.compare` of ``observed``
        (Holm-adjusted over the strength statistics).

    Returns
    -------
    pandas.DataFrame
        One row per null, triad class and measure: ``subgraph``, ``model``, ``triad``,
        ``measure``, ``observed``, ``null_mean``, ``null_sd``, ``z``, ``z_undefined``,
        ``p_two_sided``, ``p_upper``, ``p_lower``, ``p_adjusted``, ``observed_over_null``
        and ``n_samples``, the samples that have the class (a sample without it defines
        no mean weight, and is left out of that row). Rows whose class the observed
        graph lacks (observed NaN) are left out.

    Notes
    -----
    O(nulls × statistics).
    """
    frames = []
    for model, comparison in comparisons.items():
        rows = comparison[comparison["observed"].notna()]
        triad, measure = zip(*(cls.split(":") for cls in rows.index.get_level_values("class")),
                             strict=True) if len(rows) else ((), ())
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = rows["observed"].to_numpy() / rows["mean"].to_numpy()
        frames.append(pd.DataFrame({
            "subgraph": label, "model": model, "triad": list(triad), "measure": list(measure),
            "observed": rows["observed"].to_numpy(), "null_mean": rows["mean"].to_numpy(),
            "null_sd": rows["sd"].to_numpy(),
            **{c: rows[c].to_numpy() for c in ("z", "z_undefined", "p_two_sided", "p_upper",
                                                "p_lower", "p_adjusted")},
            "observed_over_null": ratio,
            "n_samples": rows["n_defined"].to_numpy(),
        }))
    return pd.concat(frames, ignore_index=True)
