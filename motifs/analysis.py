"""The motif analysis of Turner et al. (2022) as named stages: fit, expect, sample, compare,
tabulate; :func:`analyse` composes them into one immutable :class:`MotifAnalysis`."""

from __future__ import annotations

import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from connectome_motifs.graphs import SynapseGraph, as_synapse_graph, node_groups
from connectome_motifs.motifs.catalogue import DYAD_CODES, DYAD_PAPER_TERMS, triad_class
from connectome_motifs.motifs.expected import (
    expected_dyad_census,
    expected_quad_census,
    expected_simplex_counts,
    expected_triad_census,
)
from connectome_motifs.motifs.expected_variance import (
    MAX_VARIANCE_BLOCKS,
    dyad_census_variance,
    triad_census_variance,
)
from connectome_motifs.motifs.group_statistics import GroupStatistics
from connectome_motifs.motifs.profile import MotifProfile, MotifStatistics, motif_profile
from connectome_motifs.motifs.quad_catalogue import quad_class
from connectome_motifs.motifs.strength_analysis import (
    StrengthStatistics,
    check_synapse_counts,
    strength_models,
    strength_table,
)
from connectome_motifs.nullmodels import (
    MODELS,
    EnsembleResult,
    ErdosRenyi,
    IndependentDyadModel,
    MixingDiagnostics,
    NullModel,
    as_executor,
    compare,
    ensemble,
)
from connectome_motifs.nullmodels.chains import ChainPlan
from connectome_motifs.nullmodels.executor import Statistic
from connectome_motifs.nullmodels.progress import ProgressMode

__all__ = [
    "ADJUSTMENTS",
    "DEFAULT_MODELS",
    "DEFAULT_N_SAMPLES",
    "DEFAULT_SEED",
    "EXACT_TRIAD_MAX_BLOCKS",
    "EXACT_TRIAD_MAX_NODES",
    "FAMILIES",
    "MOTIF_SIZES",
    "SIGNIFICANCE_LEVEL",
    "AnalysisParams",
    "MotifAnalysis",
    "MotifTables",
    "analyse",
    "compare_models",
    "expectation_notes",
    "expected_counts",
    "expected_variances",
    "fit_models",
    "model_seed",
    "resolve_models",
    "sample_models",
    "tabulate",
]

#: The paper's five null models, in the order of its figures.
DEFAULT_MODELS: tuple[str, ...] = ("ER", "gER", "CFG", "gCFG", "PM")

#: Samples per model.
DEFAULT_N_SAMPLES = 1000

#: Seed of a run (the paper's year).
DEFAULT_SEED = 2022

#: Adjusted two-sided empirical p (Holm's or Benjamini–Hochberg's, :data:`ADJUSTMENTS`)
#: below which a statistic counts as significant.
SIGNIFICANCE_LEVEL = 0.05

#: The statistics compared with each model, by family: the kinds of
#: :func:`~connectome_motifs.motifs.profile.statistic_labels` (and of
#: :class:`~connectome_motifs.motifs.group_statistics.GroupStatistics` and
#: :class:`~connectome_motifs.motifs.strength_analysis.StrengthStatistics`) in each. p-values
#: are adjusted within a family (:data:`ADJUSTMENTS`); the degree distributions are sampled
#: for the figures only. The 4-cell census, the simplex counts, the typed census, the rich
#: club and the motif strength are families of analyses that ask for them.
FAMILIES: Mapping[str, tuple[str, ...]] = {
    "triad": ("triad",),
    "dyad": ("dyad",),
    "other": ("clustering_coefficient", "common_neighbours", "common_neighbours_directed"),
    "quad": ("quad",),
    "simplex": ("simplex",),
    "typed_dyad": ("typed_dyad",),
    "typed_triad": ("typed_triad",),
    "rich_club": ("rich_club",),
    "strength": ("strength",),
}

#: The multiple-comparison adjustment within each family of :data:`FAMILIES`: Holm's
#: (family-wise error) for the census classes and their summaries, Benjamini–Hochberg's
#: (false discovery rate) for the typed census, the rich club and motif strength, whose
#: hundreds to thousands of statistics Holm's adjustment could only separate with tens of
#: thousands of samples (add-one p-values are at least 2 / (N + 1)).
ADJUSTMENTS: Mapping[str, str] = {family: "holm" for family in FAMILIES} | {
    "typed_dyad": "bh", "typed_triad": "bh", "rich_club": "bh", "strength": "bh"}

#: Motif sizes an analysis can census: 3 (dyads and triads) or 4 (also the 218 classes of
#: 4 cells).
MOTIF_SIZES: tuple[int, ...] = (3, 4)

# Dimensions past the pooled one whose exact expectations are summed into it: a homogeneous
# model's expected k-simplices fall like q^(k²/2), far below any count within them.
_SIMPLEX_TAIL = 64


@dataclass(frozen=True)
class AnalysisParams:
    """The settings of one analysis.

    Attributes
    ----------
    models : tuple of str
    n_samples : int
        Samples per model.
    seed : int
    max_common_neighbours : int
        Last common-neighbour bin of the statistic.
    model_params : dict of str to dict
        Each model's settings.
    motif_size : int
        3, or 4 with the 4-cell census.
    simplex_dimension : int
        Simplex counts compared, dimensions 1 .. this (the last pooling higher ones); 0
        for none.
    groups : str or None
        The node-table column of cell groups: of the group models and the typed census.
    rich_club : bool
        Whether the rich-club coefficients were compared.
    strength_models : tuple of str
        The weight-shuffle nulls the motif strength was compared with (none if it was
        not).
    """

    models: tuple[str, ...]
    n_samples: int
    seed: int
    max_common_neighbours: int
    model_params: dict[str, dict[str, Any]]
    motif_size: int = 3
    simplex_dimension: int = 0
    groups: str | None = None
    rich_club: bool = False
    strength_models: tuple[str, ...] = ()


@dataclass(frozen=True)
class MotifTables:
    """The tidy tables of an analysis, one row per model and class (see :func:`tabulate`).

    ``quads``, ``simplices``, ``typed_dyads``, ``typed_triads``, ``rich_club`` and
    ``strength`` are None unless the analysis counted them (``strength``:
    :func:`~connectome_motifs.motifs.strength_analysis.strength_table`).
    """

    motifs: pd.DataFrame
    pairs: pd.DataFrame
    stats: pd.DataFrame
    quads: pd.DataFrame | None = None
    simplices: pd.DataFrame | None = None
    typed_dyads: pd.DataFrame | None = None
    typed_triads: pd.DataFrame | None = None
    rich_club: pd.DataFrame | None = None
    strength: pd.DataFrame | None = None


@dataclass(frozen=True)
class MotifAnalysis:
    """Everything one analysis of one graph produced.

    Attributes
    ----------
    label : str
        Name of the graph (e.g. ``"th100"``).
    graph : SynapseGraph
        The observed graph.
    profile : MotifProfile
        Its exact motif statistics.
    observed : pandas.Series
        The profile as the statistic's row (labels (kind, class), as ``samples``).
    models : dict of str to NullModel
        The fitted models.
    expected : dict of str to pandas.Series
        Exact expected dyad and triad counts of the independent-dyad models.
    reference : pandas.Series
        The exact ER expectation, the reference of the ratios.
    ensembles : dict of str to EnsembleResult
        Each model's samples of the statistic.
    tables : MotifTables
    params : AnalysisParams
    timings : dict of str to float
        Seconds per stage (``fit``, ``expect``, ``variance``, ``sample``, ``compare``,
        ``tabulate``).
    notes : tuple of str
        What the reader of the tables must know, e.g. which expectations are sample
        means (:func:`expectation_notes`).
    variances : dict of str to pandas.Series
        Exact variances of the dyad and triad counts, the SDs of the z-scores, of the
        independent-dyad models small enough (:func:`expected_variances`).
    strength_ensembles : dict of str to EnsembleResult
        The motif strength of each weight-shuffle null's samples, if compared
        (:func:`~connectome_motifs.motifs.strength_analysis.strength_models`).
    """

    label: str
    graph: SynapseGraph
    profile: MotifProfile
    observed: pd.Series
    models: dict[str, NullModel]
    expected: dict[str, pd.Series]
    reference: pd.Series
    ensembles: dict[str, EnsembleResult]
    tables: MotifTables
    params: AnalysisParams
    timings: dict[str, float]
    notes: tuple[str, ...] = ()
    variances: dict[str, pd.Series] = field(default_factory=dict)
    strength_ensembles: dict[str, EnsembleResult] = field(default_factory=dict)

    @property
    def motifs(self) -> pd.DataFrame:
        """The 3-cell motif table (:attr:`MotifTables.motifs`)."""
        return self.tables.motifs

    @property
    def pairs(self) -> pd.DataFrame:
        """The 2-cell motif table."""
        return self.tables.pairs

    @property
    def stats(self) -> pd.DataFrame:
        """The clustering coefficient and common-neighbour table."""
        return self.tables.stats

    @property
    def quads(self) -> pd.DataFrame | None:
        """The 4-cell motif table, if the analysis has motif size 4."""
        return self.tables.quads

    @property
    def simplices(self) -> pd.DataFrame | None:
        """The directed simplex table, if the analysis counted simplices."""
        return self.tables.simplices

    @property
    def typed_dyads(self) -> pd.DataFrame | None:
        """The typed dyad table, if the analysis had groups."""
        return self.tables.typed_dyads

    @property
    def typed_triads(self) -> pd.DataFrame | None:
        """The typed triad table, if the analysis had groups."""
        return self.tables.typed_triads

    @property
    def rich_club(self) -> pd.DataFrame | None:
        """The rich-club table, if the analysis compared rich clubs."""
        return self.tables.rich_club

    @property
    def strength(self) -> pd.DataFrame | None:
        """The motif-strength table, if the analysis compared motif strength."""
        return self.tables.strength

    @property
    def diagnostics(self) -> dict[str, MixingDiagnostics]:
        """Mixing diagnostics of the models that have them (MCMC samplers)."""
        return {m: e.diagnostics for m, e in self.all_ensembles.items()
                if e.diagnostics is not None}

    @property
    def chains(self) -> dict[str, ChainPlan]:
        """Burn-in and spacing of the models whose samples share chains, and why."""
        return {m: e.chains for m, e in self.all_ensembles.items() if e.chains is not None}

    @property
    def all_ensembles(self) -> dict[str, EnsembleResult]:
        """Every ensemble of the analysis: the models' and the weight-shuffle nulls'."""
        return {**self.ensembles, **self.strength_ensembles}

    def samples(self, kind: str) -> dict[str, pd.DataFrame]:
        """Return each model's samples of one kind of statistic (e.g. ``"triad"``).

        One DataFrame per model, one row per sample, columns the classes of the kind.
        """
        return {m: e.samples[kind] for m, e in self.ensembles.items()}

    def significant(self, level: float = SIGNIFICANCE_LEVEL) -> pd.DataFrame:
        """Return the statistics that differ significantly from each model.

        Parameters
        ----------
        level : float
            Threshold of the adjusted two-sided empirical p-value (:data:`ADJUSTMENTS`).

        Returns
        -------
        pandas.DataFrame
            One row per (model, statistic) with ``p_adjusted < level``, models in the
            order analysed: ``model``, ``kind`` (``"triad"``, ``"dyad"``, ``"other"``,
            ``"quad"``, ``"simplex"``, ``"typed_dyad"``, ``"typed_triad"``, ``"rich_club"``
            or ``"strength"``), ``statistic`` (MAN code, dyad class, statistic
            name, isoclass, simplex dimension, typed class such as ``"021C[E, I, E]"``,
            rich-club threshold k or ``"<triad>:<measure>"``), ``paper_number``
            (triads), ``observed``, ``null`` (the exact expectation where there is one,
            else the sample mean), ``z``, ``p_adjusted`` and ``direction``
            (``"above"`` or ``"below"``: where the observed value lies).
        """
        tables = [
            self.motifs.rename(columns={"motif": "statistic"}).assign(kind="triad"),
            self.pairs.rename(columns={"motif": "statistic"}).assign(kind="dyad"),
            self.stats.assign(kind="other"),
        ]
        if self.quads is not None:
            tables.append(self.quads.rename(columns={"quad": "statistic"}).assign(kind="quad"))
        if self.simplices is not None:
            tables.append(self.simplices.rename(columns={"dimension": "statistic"})
                          .assign(kind="simplex"))
        for kind, table in (("typed_dyad", self.typed_dyads), ("typed_triad", self.typed_triads),
                            ("rich_club", self.rich_club)):
            if table is not None:
                tables.append(table.assign(kind=kind))
        if self.strength is not None:
            tables.append(self.strength.assign(
                kind="strength", statistic=self.strength["triad"] + ":" + self.strength["measure"],
                expected=np.nan))
        rows = pd.concat(tables, ignore_index=True)
        rows = rows[rows["p_adjusted"] < level].copy()
        rows["null"] = rows["expected"].fillna(rows["null_mean"])
        rows["direction"] = np.where(rows["observed"] > rows["null"], "above", "below")
        rows["paper_number"] = rows["paper_number"].astype("Int64")
        order = {m: k for k, m in enumerate(self.models)}
        rows = rows.sort_values("model", key=lambda m: m.map(order), kind="stable")
        columns = ["model", "kind", "statistic", "paper_number", "observed", "null", "z",
                   "p_adjusted", "direction"]
        return rows[columns].reset_index(drop=True)


#: Above this many nodes the triad expectations of a heterogeneous independent-dyad model
#: (PM) are its sample means: the exact O(n³) sum takes about a minute at 10,000 nodes on
#: 2 cores and grows with n³.
EXACT_TRIAD_MAX_NODES = 10_000

#: Above this many blocks the triad expectations of a block model (SBM, DBCM, RBCM) are its
#: sample means: the exact O(K³) sum over blocks takes 5 s at 2,200 blocks on 2 cores, and
#: holds a dozen K × K matrices.
EXACT_TRIAD_MAX_BLOCKS = 5_000


def model_seed(seed: int, label: str, model: str) -> np.random.SeedSequence:
    """Return the seed of one model's ensemble on one graph.

    Derived from the run's seed, the graph's label and the model's name only, so a model
    gives the same samples whichever other models or graphs a run includes.
    """
    key = zlib.crc32(f"{label}\x00{model}".encode())
    return np.random.SeedSequence([int(seed), key])


def resolve_models(models: Sequence[str]) -> tuple[str, ...]:
    """Return the model names as keys of :data:`~connectome_motifs.nullmodels.MODELS`, any case.

    Raises
    ------
    ValueError
        If a name is unknown or none is given.

    Examples
    --------
    >>> resolve_models(["cfg", "PM"])
    ('CFG', 'PM')
    """
    known = {name.lower(): name for name in MODELS}
    unknown = [m for m in models if str(m).lower() not in known]
    if unknown or not models:
        raise ValueError(f"unknown model(s) {', '.join(map(str, unknown)) or '(none)'}; "
                         f"choose from {', '.join(MODELS)}")
    return tuple(dict.fromkeys(known[str(m).lower()] for m in models))


# -- the stages --------------------------------------------------------------------------


def fit_models(
    graph: Any,
    models: Sequence[str] = DEFAULT_MODELS,
    model_options: Mapping[str, Mapping[str, Any]] | None = None,
    groups: str | None = None,
) -> dict[str, NullModel]:
    """Stage 1, fit: return every model fitted to the graph, in the order given.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    models : sequence of str
        Names of :data:`connectome_motifs.nullmodels.MODELS` (:func:`resolve_models`).
    model_options : mapping, optional
        Constructor arguments per model name, e.g. ``{"PM": {"window": 20.0}}``.
    groups : str, optional
        The node-table column of cell groups, the setting ``groups`` of every model that
        uses groups (SBM, gSBM, bCFG...) unless ``model_options`` sets it.

    Returns
    -------
    dict of str to NullModel

    Raises
    ------
    ValueError
        For an unknown model name, or a model of groups without ``groups``.
    nullmodels.MissingPositionsError
        For PM on a graph without soma positions.

    Notes
    -----
    Every model is fitted before any is sampled, so one that cannot be fitted fails
    before the long part of a run. Time: the sum of the models' fits.
    """
    graph = as_synapse_graph(graph)
    fitted = {}
    for name in resolve_models(models):
        options = dict((model_options or {}).get(name, {}))
        if MODELS[name].uses_groups:
            options.setdefault("groups", groups)
        fitted[name] = MODELS[name](**options).fit(graph)
    return fitted


def expected_counts(
    models: Mapping[str, NullModel], *, progress: ProgressMode = False, quads: bool = False,
    simplex_dimension: int = 0,
) -> dict[str, pd.Series]:
    """Stage 2, expect: return the exact expected counts of each model.

    Parameters
    ----------
    models : mapping of str to NullModel
        Fitted models; only the independent-dyad ones (ER, gER, PM) have exact
        expectations, the others are left out.
    progress : bool, "bar" or "log"
        Show progress of the exact triad sums of heterogeneous models (PM).
    quads : bool
        Also the 4-cell census (homogeneous models only).
    simplex_dimension : int
        Also the simplex counts of dimensions 1 .. this, the last pooling every higher
        dimension (homogeneous models only); 0 for none.

    Returns
    -------
    dict of str to pandas.Series
        Indexed by (kind, class) like :attr:`MotifAnalysis.observed`. A heterogeneous
        model (PM) has no 4-cell or simplex expectations, and on more than
        :data:`EXACT_TRIAD_MAX_NODES` nodes its dyads only (:func:`expectation_notes`
        says so).

    Notes
    -----
    O(1) per homogeneous model (ER, gER); for PM O(bins) for the dyads and O(n³)
    through BLAS for the triads
    (:func:`connectome_motifs.motifs.expected.expected_triad_census`).
    """
    expected = {}
    for name, model in models.items():
        if not isinstance(model, IndependentDyadModel):
            continue
        parts = {"dyad": expected_dyad_census(model)}
        if _exact_triads(model):
            parts["triad"] = expected_triad_census(model, progress=progress)
        if model.homogeneous and quads:
            parts["quad"] = expected_quad_census(model)
        if model.homogeneous and simplex_dimension:
            by_dimension = expected_simplex_counts(
                model, min(model.graph_.n - 1, simplex_dimension + _SIMPLEX_TAIL))
            pooled = by_dimension.reindex(range(1, simplex_dimension + 1), fill_value=0.0)
            pooled.iloc[-1] = float(by_dimension.iloc[simplex_dimension:].sum())
            parts["simplex"] = pooled
        expected[name] = pd.concat(parts, names=["kind", "class"])
    return expected


def expected_variances(
    models: Mapping[str, NullModel], *, progress: ProgressMode = False,
) -> dict[str, pd.Series]:
    """Stage 2b, variances: return the exact variances of the dyad and triad counts.

    Parameters
    ----------
    models : mapping of str to NullModel
        Fitted models; only the independent-dyad ones whose law has at most
        :data:`~connectome_motifs.motifs.expected_variance.MAX_VARIANCE_BLOCKS` blocks (one
        for ER and gER, the groups or degree classes of a block model, every cell for PM)
        have exact variances, the others are left out and their z-scores use the SD of
        their samples (:func:`expectation_notes` says so).
    progress : bool, "bar" or "log"
        Show progress of the triad variances.

    Returns
    -------
    dict of str to pandas.Series
        Indexed by (kind, class) like :attr:`MotifAnalysis.observed`.

    Notes
    -----
    About 200 K³ flops for a law of K blocks
    (:func:`~connectome_motifs.motifs.expected_variance.triad_census_variance`).
    """
    variances = {}
    for name, model in models.items():
        if isinstance(model, IndependentDyadModel) and _exact_variance(model):
            # Read once: PM builds its pair states anew, O(n²), on every access.
            states = model.pair_states_
            parts = {"dyad": dyad_census_variance(states),
                     "triad": triad_census_variance(states, progress=progress)}
            variances[name] = pd.concat(parts, names=["kind", "class"])
    return variances


def _exact_variance(model: IndependentDyadModel) -> bool:
    return max(model.exact_triad_size(), 1) <= MAX_VARIANCE_BLOCKS


def _exact_triads(model: IndependentDyadModel) -> bool:
    return model.exact_triad_size() <= _triad_limit(model)


def _triad_limit(model: IndependentDyadModel) -> int:
    return EXACT_TRIAD_MAX_BLOCKS if model.block_states else EXACT_TRIAD_MAX_NODES


def expectation_notes(models: Mapping[str, NullModel], n_samples: int, quads: bool = False,
                      simplex_dimension: int = 0) -> tuple[str, ...]:
    """Return a sentence for each independent-dyad model whose expectations are sampled.

    Triads of a heterogeneous model (PM) above :data:`EXACT_TRIAD_MAX_NODES` nodes, and
    its 4-cell and simplex expectations whenever they are asked for.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> expectation_notes({"ER": ErdosRenyi().fit(SynapseGraph.from_edges([0], [1]))}, 100)
    ()
    """
    notes = []
    for name, model in models.items():
        if not isinstance(model, IndependentDyadModel):
            continue
        if not _exact_variance(model):
            notes.append(
                f"{name}: z-scores use the SD of its {n_samples} samples; the exact variance "
                f"of the counts (O(K³) over the K blocks of its law) is left out above "
                f"{MAX_VARIANCE_BLOCKS:,} blocks and this model has "
                f"{model.exact_triad_size():,}")
        if not _exact_triads(model):
            notes.append(
                f"{name}: triad expectations are the means of its {n_samples} samples; the "
                f"exact sum over all triples (O(n³)) is left out above "
                f"{_triad_limit(model):,} {'blocks' if model.block_states else 'cells'} and "
                f"this model has {model.exact_triad_size():,} (dyad expectations are exact)")
        if not model.homogeneous and (quads or simplex_dimension):
            what = " and ".join(w for w, asked in (("4-cell", quads),
                                                   ("simplex", simplex_dimension)) if asked)
            notes.append(f"{name}: {what} expectations are the means of its {n_samples} "
                         "samples; an exact sum over all sets of 4 or more cells (O(n⁴)) is "
                         "out of reach")
    return tuple(notes)


def sample_models(
    models: Mapping[str, NullModel],
    statistic: MotifStatistics,
    n_samples: int = DEFAULT_N_SAMPLES,
    *,
    seed: int = DEFAULT_SEED,
    label: str = "graph",
    executor: Any = None,
    progress: ProgressMode = False,
    diagnostics: bool = True,
    pilot_statistic: Statistic | None = None,
) -> dict[str, EnsembleResult]:
    """Stage 3, sample: return each model's ensemble of the statistic.

    Parameters
    ----------
    models : mapping of str to NullModel
        Fitted models.
    statistic : MotifStatistics
        What each sample is reduced to.
    n_samples : int
        Samples per model.
    seed : int
        Seed of the run; each model's ensemble gets its own stream (:func:`model_seed`).
    label : str
        Name of the graph, part of the seeds.
    executor : Executor, int, distributed.Client, str or None
        Where the samples are drawn (:func:`connectome_motifs.nullmodels.as_executor`); a Dask
        address is connected once for all models. The result does not depend on it.
    progress : bool, "bar" or "log"
        Show progress per ensemble (see :func:`~connectome_motifs.nullmodels.ensemble`).
    diagnostics : bool
        Run each Markov-chain model's mixing diagnostics.
    pilot_statistic : callable, optional
        What pilot chains measure to choose their spacing (default: ``statistic``).

    Returns
    -------
    dict of str to EnsembleResult

    Notes
    -----
    Time: ``n_samples`` × (one sample + one profile, O(m sqrt(m))) per model.
    """
    with as_executor(executor) as runner:
        return {name: ensemble(model, statistic, n_samples,
                               seed=model_seed(seed, label, name), executor=runner,
                               progress=progress, diagnostics=diagnostics,
                               pilot_statistic=pilot_statistic, name=name)
                for name, model in models.items()}


def compare_models(
    observed: pd.Series,
    ensembles: Mapping[str, EnsembleResult],
    expected: Mapping[str, pd.Series],
    variances: Mapping[str, pd.Series] | None = None,
) -> dict[str, pd.DataFrame]:
    """Stage 4, compare: return the observed statistics against each model's ensemble.

    Parameters
    ----------
    observed : pandas.Series
        The observed row of the statistic (labels (kind, class)).
    ensembles : mapping of str to EnsembleResult
    expected : mapping of str to pandas.Series
        Exact expectations (:func:`expected_counts`), used for z where they exist.
    variances : mapping of str to pandas.Series, optional
        Exact variances (:func:`expected_variances`), the SD of z where they exist.

    Returns
    -------
    dict of str to pandas.DataFrame
        Per model, :func:`connectome_motifs.nullmodels.compare` of the statistics of
        :data:`FAMILIES`, adjusted within each family as :data:`ADJUSTMENTS` says,
        indexed by (kind, class).

    Notes
    -----
    O(n_samples × statistics) per model.
    """
    kinds = observed.index.get_level_values("kind")
    families = [(observed[kinds.isin(members)], ADJUSTMENTS[family])
                for family, members in FAMILIES.items() if kinds.isin(members).any()]
    return {
        name: pd.concat([compare(part, result.samples, expected=expected.get(name),
                                 adjust=adjust, variance=(variances or {}).get(name))
                         for part, adjust in families])
        for name, result in ensembles.items()
    }


def tabulate(
    label: str,
    profile: MotifProfile,
    comparisons: Mapping[str, pd.DataFrame],
    ensembles: Mapping[str, EnsembleResult],
    expected: Mapping[str, pd.Series],
    reference: pd.Series,
    group_statistics: GroupStatistics | None = None,
) -> MotifTables:
    """Stage 5, tabulate: return the tidy tables of the comparisons.

    Parameters
    ----------
    label : str
        Name of the graph (the ``subgraph`` column).
    profile : MotifProfile
        The observed graph's profile: the exact counts of the ``observed`` column.
    comparisons, ensembles, expected
        The result of :func:`compare_models`, and its inputs.
    reference : pandas.Series
        Exact ER expectation of the dyad and triad counts, for the ratio columns.
    group_statistics : GroupStatistics, optional
        The typed census and rich-club thresholds the samples recorded, which name the
        rows of their tables.

    Returns
    -------
    MotifTables
        ``motifs`` has one row per model and triad class, in the paper's order, with
        ``motif`` (the MAN code), ``paper_number``, ``connected``, ``observed`` (the exact
        count, an integer), ``expected`` (exact, NaN for CFG and gCFG),
        ``null_mean``, ``null_sd`` (the exact SD where the model has one, else the
        samples'), ``sd_exact`` (which), ``z``, ``z_undefined``, ``p_paper`` (Turner et al.'s
        one-sided ``min(P(X >= obs), P(X <= obs))``), ``p_two_sided`` (add-one),
        ``p_upper``, ``p_lower``, ``p_adjusted`` (Holm's), ``observed_over_er`` and
        ``null_mean_over_er`` (relative to the exact ER expectation) and ``n_samples``;
        ``pairs`` the same for the dyad classes, ``motif`` their MAN letter (N, A, M)
        beside their ``paper_term``; ``stats`` the clustering coefficient and the
        common-neighbour fractions (``statistic`` is the kind, and ``kind:bin`` for the
        bins, the last one ``kind:bin+`` as it pools every larger number), without ratios.
        With the 4-cell census, ``quads`` has the columns of ``motifs`` for each of the 218
        classes in isoclass order, ``quad`` (the isoclass), ``skeleton``, ``name`` and
        ``connected`` in place of ``motif`` and ``paper_number``; with simplex counts,
        ``simplices`` has one row per model and dimension 1 .. D, ``dimension`` and
        ``pooled`` (True for D, which counts every dimension from D up). With groups,
        ``typed_dyads`` and ``typed_triads`` have the columns of ``stats`` after the
        columns naming the typed class
        (:meth:`~connectome_motifs.motifs.group_statistics.GroupStatistics.describe`; the
        ``statistic`` column is its label) and ``observed_over_null``, the observed count
        over the null mean (the exact expectation where there is one); with rich clubs,
        ``rich_club`` has ``k``, ``n_nodes`` (observed nodes of degree above k), the
        columns of ``stats`` but ``statistic`` and ``observed_over_null``, the normalised rich-club
        coefficient.
    """
    exact = {("dyad", d): count for d, count in zip(DYAD_CODES, profile.dyads, strict=True)}
    exact |= {("triad", t): count for t, count in profile.triad_census().items()}
    exact |= {("quad", q): count for q, count in enumerate(profile.quads)}
    compared = {label for c in comparisons.values() for label in c.index}
    kinds_compared = {kind for kind, _ in compared}
    # The last simplex dimension compared pools every higher one.
    simplex_dimension = max((d for kind, d in compared if kind == "simplex"), default=0)
    if simplex_dimension:
        exact |= {("simplex", d): count for d, count in
                  enumerate(profile.pooled_simplices(simplex_dimension), start=1)}
    if group_statistics is not None and group_statistics.typed:
        labels = group_statistics.labels()
        exact |= dict(zip(labels[:-group_statistics.rich_club.size or None],
                          group_statistics.counts(profile.typed_dyads, profile.typed_triads,
                                                  profile.triads), strict=True))

    def table(kinds: tuple[str, ...], ratios: bool) -> pd.DataFrame:
        frames = []
        for model, comparison in comparisons.items():
            rows = comparison[comparison.index.get_level_values("kind").isin(kinds)]
            labels = rows.index
            samples = ensembles[model].samples
            counted = all(label in exact for label in labels)
            frame = pd.DataFrame({
                "subgraph": label,
                "model": model,
                "statistic": _statistic_names(labels, single_kind=len(kinds) == 1),
                "observed": (pd.array([exact[label] for label in labels], dtype=_count_dtype(exact))
                             if counted else rows["observed"].to_numpy()),
                "expected": (expected[model].reindex(labels).to_numpy()
                             if model in expected else np.nan),
                "null_mean": samples[list(labels)].mean().to_numpy(),
                "null_sd": rows["sd"].to_numpy(),
                "sd_exact": rows["sd_exact"].to_numpy(),
                **{column: rows[column].to_numpy()
                   for column in ("z", "z_undefined", "p_paper", "p_two_sided", "p_upper",
                                  "p_lower", "p_adjusted")},
            })
            if ratios:
                er = reference.reindex(labels).to_numpy()
                with np.errstate(invalid="ignore", divide="ignore"):
                    frame["observed_over_er"] = frame["observed"].to_numpy() / er
                    frame["null_mean_over_er"] = frame["null_mean"].to_numpy() / er
            frame["n_samples"] = ensembles[model].params.n_samples
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    motifs = table(FAMILIES["triad"], ratios=True)
    motifs.insert(3, "paper_number", [triad_class(s).paper_number for s in motifs["statistic"]])
    motifs.insert(4, "connected", [triad_class(s).connected for s in motifs["statistic"]])
    # The paper's order of the classes, model by model.
    order = np.lexsort((motifs["paper_number"].to_numpy(),
                        motifs["model"].map({m: k for k, m in enumerate(comparisons)})))
    motifs = motifs.iloc[order].reset_index(drop=True)
    pairs = table(FAMILIES["dyad"], ratios=True)
    names = {code: name for name, code in DYAD_CODES.items()}
    pairs.insert(3, "paper_term", [DYAD_PAPER_TERMS[names[s]] for s in pairs["statistic"]])
    quads = simplices = None
    if "quad" in kinds_compared:
        quads = table(FAMILIES["quad"], ratios=True).rename(columns={"statistic": "quad"})
        classes = [quad_class(int(q)) for q in quads["quad"]]
        for k, column in enumerate(("skeleton", "name", "connected")):
            quads.insert(3 + k, column, [getattr(c, column) for c in classes])
    if "simplex" in kinds_compared:
        simplices = table(FAMILIES["simplex"], ratios=True).rename(
            columns={"statistic": "dimension"})
        simplices.insert(3, "pooled", simplices["dimension"] == simplex_dimension)
    extra = {}
    for kind, name in (("typed_dyad", "typed_dyads"), ("typed_triad", "typed_triads"),
                       ("rich_club", "rich_club")):
        if kind in kinds_compared:
            extra[name] = _group_table(table(FAMILIES[kind], ratios=False), kind,
                                       group_statistics, profile)
    return MotifTables(motifs=motifs.rename(columns={"statistic": "motif"}),
                       pairs=pairs.rename(columns={"statistic": "motif"}),
                       stats=table(FAMILIES["other"], ratios=False),
                       quads=quads, simplices=simplices, **extra)


def _group_table(frame: pd.DataFrame, kind: str, group_statistics: GroupStatistics,
                 profile: MotifProfile) -> pd.DataFrame:
    """Return a typed-census or rich-club table with the columns naming its rows."""
    names = group_statistics.describe(kind)
    per_model = len(frame) // max(len(names), 1)
    names = pd.concat([names] * per_model, ignore_index=True)
    if kind == "rich_club":
        n_nodes = profile.rich_club[0]
        names["n_nodes"] = n_nodes[names["k"].to_numpy()] if n_nodes.size else 0
        frame = frame.drop(columns="statistic")  # it is k
    frame = pd.concat([frame.iloc[:, :2], names, frame.iloc[:, 2:]], axis=1)
    null = frame["expected"].fillna(frame["null_mean"]).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["observed_over_null"] = frame["observed"].to_numpy(dtype=float) / null
    return frame


def _statistic_names(labels: pd.MultiIndex, single_kind: bool) -> list[str]:
    """Return the table names of (kind, class) labels.

    A table of one kind names a statistic by its class (the MAN letter for a dyad); a
    table of several by its kind and, for kinds with several classes, ``:class``, the last
    common-neighbour bin ``:class+`` (it pools every larger number).
    """
    last = {}
    for kind, cls in labels:
        if kind.startswith("common_neighbours"):
            last[kind] = max(last.get(kind, cls), cls)
    names = []
    for kind, cls in labels:
        if single_kind:
            names.append(DYAD_CODES[cls] if kind == "dyad" else cls)
        elif cls == "":
            names.append(kind)
        else:
            names.append(f"{kind}:{cls}{'+' if last.get(kind) == cls else ''}")
    return names


def _count_dtype(counts: Mapping[Any, int]) -> str:
    """Return int64, or object for counts beyond it (C(n, 3) for n above ~3.8 million)."""
    return "int64" if max(counts.values(), default=0) <= np.iinfo(np.int64).max else "object"


# -- the whole analysis ------------------------------------------------------------------


def analyse(
    graph: Any,
    *,
    label: str = "graph",
    models: Sequence[str] = DEFAULT_MODELS,
    n_samples: int = DEFAULT_N_SAMPLES,
    seed: int = DEFAULT_SEED,
    executor: Any = None,
    progress: ProgressMode = False,
    model_options: Mapping[str, Mapping[str, Any]] | None = None,
    motif_size: int = 3,
    simplices: bool = False,
    groups: str | None = None,
    rich_club: bool | None = None,
    strength: bool = False,
) -> MotifAnalysis:
    """Return the 2- and 3-cell (and optionally 4-cell) motif analysis of a graph against nulls.

    The stages in turn: :func:`fit_models`, :func:`expected_counts` (exact expectations
    where a model has independent pairs: ER, gER, PM, SBM, DBCM...),
    :func:`expected_variances` (their exact variances, where the law is small enough),
    :func:`sample_models`
    (``n_samples`` graphs per model, each reduced to its
    :class:`~connectome_motifs.motifs.profile.MotifStatistics`), :func:`compare_models` (z-scores
    against the exact expectation and SD where there are, else the samples'; empirical p-values;
    adjusted within each family of :data:`FAMILIES` as :data:`ADJUSTMENTS` says) and
    :func:`tabulate`.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        See :func:`connectome_motifs.graphs.as_synapse_graph`.
    label : str
        Name of the graph in the tables and seeds.
    models : sequence of str
        Keys of :data:`connectome_motifs.nullmodels.MODELS` (ER, gER, CFG, gCFG, PM), any case.
    n_samples : int
        Samples per model.
    seed : int
        Seed of the run; each model's ensemble gets its own stream (:func:`model_seed`).
    executor : Executor, int, distributed.Client, str or None
        Where the samples are drawn: default local threads on every core, an int that
        many threads, or a Dask client or address
        (:func:`connectome_motifs.nullmodels.as_executor`). The result does not depend on it.
    progress : bool, "bar" or "log"
        Show progress per ensemble (see :func:`~connectome_motifs.nullmodels.ensemble`).
    model_options : mapping, optional
        Constructor arguments per model name, e.g. ``{"PM": {"window": 20.0}}``.
    motif_size : {3, 4}
        4 adds the census of the 218 classes of 4 cells
        (:func:`~connectome_motifs.motifs.quad_census`) to every sample and table.
    simplices : bool
        Add the directed simplex counts by dimension
        (:func:`~connectome_motifs.motifs.simplices.simplex_counts`), dimensions 1 up to
        the observed largest, which pools every higher one.
    groups : str, optional
        The node-table column of cell groups, for the models of groups (SBM, gSBM, bCFG)
        and the typed dyad and triad census
        (:class:`~connectome_motifs.motifs.group_statistics.GroupStatistics`: every typed
        dyad, the most frequent observed typed triads and the pooled rest of each class);
        cells with no label form one group, which the notes count
        (:func:`~connectome_motifs.graphs.node_groups`).
    rich_club : bool, optional
        Compare the rich-club coefficient by total degree
        (:func:`~connectome_motifs.motifs.rich_club.rich_club_coefficient`); default: with
        ``groups``.
    strength : bool
        Compare the motif strength (synapse counts, Onnela intensity and coherence of
        each triad class) with weight-shuffle nulls over the observed wiring and over the
        samples of every model that keeps the number of connections
        (:func:`~connectome_motifs.motifs.strength_analysis.strength_models`).

    Returns
    -------
    MotifAnalysis
        Its tables are described in :func:`tabulate`.

    Raises
    ------
    ValueError
        For an unknown model name, a motif size other than 3 or 4, or ``strength`` on a
        graph whose connections all have the same synapse count.
    TypeError
        If ``graph`` is not a graph type this package accepts.
    nullmodels.MissingPositionsError
        For PM on a graph without soma positions.

    Notes
    -----
    The observed graph's profile is computed once
    (:func:`~connectome_motifs.motifs.profile.motif_profile`) and ER is fitted once, serving as
    model and as the reference of the ratios. Time: ``n_samples`` × (one sample + one profile, O(m
    sqrt(m))) per model, plus O(n³) for the exact PM expectation; the typed census adds
    about the census's time per sample, and the motif strength ``n_samples`` × (one
    sample + one :func:`~connectome_motifs.motifs.motif_strength`; on the larva 0.085 s,
    about one profile and 8 times the triad census) per weight-shuffle null.
    """
    if motif_size not in MOTIF_SIZES:
        raise ValueError(f"motif_size must be one of {MOTIF_SIZES}, got {motif_size!r}")
    graph = as_synapse_graph(graph)
    rich_club = groups is not None if rich_club is None else bool(rich_club)
    timings: dict[str, float] = {}
    fitted = _timed(timings, "fit", fit_models, graph, models, model_options, groups)
    if strength:  # Before the long part.
        check_synapse_counts(graph)
    profile = motif_profile(graph, quads=motif_size == 4, simplices=simplices,
                            groups=None if groups is None else node_groups(graph, groups),
                            rich_club=rich_club)
    statistic = MotifStatistics.for_profile(profile)
    extras = {"quads": statistic.quads, "simplex_dimension": statistic.simplex_dimension}
    expected = _timed(timings, "expect", expected_counts, fitted, progress=progress, **extras)
    variances = _timed(timings, "variance", expected_variances, fitted, progress=progress)
    reference = expected["ER"] if "ER" in expected else (
        expected_counts({"ER": ErdosRenyi().fit(graph)}, **extras)["ER"])
    observed = statistic.labelled(profile)
    ensembles = _timed(timings, "sample", sample_models, fitted, statistic, n_samples,
                       seed=seed, label=label, executor=executor, progress=progress,
                       pilot_statistic=statistic.core())
    strength_ensembles: dict[str, EnsembleResult] = {}
    weight_nulls = {}
    if strength:
        weight_nulls = strength_models(graph, fitted, groups,
                                       {m: e.chains for m, e in ensembles.items() if e.chains})
        strength_statistic = StrengthStatistics()
        # The topologies' chains follow their models' plans, already diagnosed above.
        strength_ensembles = _timed(timings, "sample_strength", sample_models, weight_nulls,
                                    strength_statistic, n_samples, seed=seed, label=label,
                                    executor=executor, progress=progress, diagnostics=False)
    comparisons = _timed(timings, "compare", compare_models, observed, ensembles, expected,
                         variances)
    tables = _timed(timings, "tabulate", tabulate, label, profile, comparisons, ensembles,
                    expected, reference, statistic.group_statistics)
    if strength:
        strength_observed = strength_statistic(graph)
        tables = replace(tables, strength=strength_table(
            label, strength_observed,
            compare_models(strength_observed, strength_ensembles, {})))
    params = AnalysisParams(
        models=tuple(fitted), n_samples=int(n_samples), seed=int(seed),
        max_common_neighbours=statistic.max_common,
        model_params={name: model.get_params() for name, model in fitted.items()},
        motif_size=int(motif_size), simplex_dimension=statistic.simplex_dimension,
        groups=groups, rich_club=rich_club, strength_models=tuple(weight_nulls),
    )
    notes = expectation_notes(fitted, n_samples, **extras)
    if groups is not None and any(m.uses_groups for m in fitted.values()):
        users = ", ".join(name for name, m in fitted.items() if m.uses_groups)
        notes = (f"{users}: {node_groups(graph, groups).describe()}", *notes)
    return MotifAnalysis(label=label, graph=graph, profile=profile, observed=observed,
                         models=fitted, expected=expected, reference=reference,
                         ensembles=ensembles, tables=tables, params=params, timings=timings,
                         notes=notes, variances=variances, strength_ensembles=strength_ensembles)


def _timed(timings: dict[str, float], stage: str, func: Any, *args: Any, **kwargs: Any) -> Any:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    timings[stage] = time.perf_counter() - start
    return result
