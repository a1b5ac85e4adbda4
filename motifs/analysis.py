"""The motif analysis of Turner et al. (2022): observed motifs against null-model ensembles."""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import comb
from typing import Any

import numpy as np
import pandas as pd

from graphs import SynapseGraph
from motifs._validation import kernel_threads
from motifs.catalogue import DYAD_NAMES, DYAD_PAPER_TERMS, TRIAD_NAMES, triad_class
from motifs.census import neighbour_lists, triad_counts
from motifs.expected import expected_dyad_census, expected_triad_census
from motifs.statistics import clustering_from_lists, common_neighbour_counts, common_neighbour_rule
from nullmodels import MODELS, ErdosRenyi, IndependentDyadModel, NullModel, compare, ensemble

__all__ = ["DEFAULT_MODELS", "MotifAnalysis", "MotifStatistics", "analyse"]

#: The paper's five null models, in the order of its figures.
DEFAULT_MODELS: tuple[str, ...] = ("ER", "gER", "CFG", "gCFG", "PM")

#: Last common-neighbour bin: pairs with more share it, so that null samples fill every bin.
MAX_COMMON_NEIGHBOURS = 5

_DYAD = "dyad:"
_TRIAD = "triad:"
_CN = "common_neighbours:"
_CN_DIRECTED = "common_neighbours_directed:"
_CLUSTERING = "clustering_coefficient"


class MotifStatistics:
    """Callable returning the analysis' statistics of a graph as one labelled Series.

    Labels: ``dyad:<class>`` (3 dyad-census counts), ``triad:<MAN code>`` (16 triad-census
    counts), ``clustering_coefficient``, and ``common_neighbours:<k>`` /
    ``common_neighbours_directed:<k>`` for ``k = 0 .. max_common``: the fraction of
    unordered (ordered) pairs with ``k`` common neighbours that are connected, the last
    bin pooling every pair with ``max_common`` or more (NaN where a bin has no pairs).

    Parameters
    ----------
    max_common : int
        Last common-neighbour bin; fixed so that every sample has the same labels.

    Notes
    -----
    One call is O(n + m Δ). Instances are picklable, for process or cluster workers.
    """

    def __init__(self, max_common: int) -> None:
        if max_common < 0:
            raise ValueError(f"max_common must be >= 0, got {max_common}")
        self.max_common = int(max_common)
        self.__name__ = "motif_statistics"
        bins = range(self.max_common + 1)
        self.labels = pd.Index(
            [_DYAD + d for d in DYAD_NAMES] + [_TRIAD + t for t in TRIAD_NAMES] + [_CLUSTERING]
            + [f"{_CN}{k}" for k in bins] + [f"{_CN_DIRECTED}{k}" for k in bins]
        )

    def __call__(self, graph: SynapseGraph) -> pd.Series:
        """Return the statistics of ``graph`` (see the class docstring)."""
        with kernel_threads(graph.n_edges):
            return self._compute(graph)

    def _compute(self, graph: SynapseGraph) -> pd.Series:
        n = graph.n
        lists = neighbour_lists(graph)
        codes = lists.code_counts
        asymmetric = int(codes[:, 1:3].sum()) // 2
        mutual = int(codes[:, 3].sum()) // 2
        dyads = [comb(n, 2) - asymmetric - mutual, asymmetric, mutual]
        clustering = clustering_from_lists(lists, n)
        counts = common_neighbour_counts(lists, n)
        k = np.minimum(np.arange(counts.shape[0]), self.max_common)
        pooled = np.zeros((self.max_common + 1, 3), dtype=np.int64)
        np.add.at(pooled, k, counts)
        pairs, connected = pooled[:, 0], pooled[:, 1] + pooled[:, 2]
        ordered_connected = pooled[:, 1] + 2 * pooled[:, 2]
        with np.errstate(invalid="ignore", divide="ignore"):
            undirected = connected / pairs
            directed = ordered_connected / (2 * pairs)
        values = np.concatenate([
            np.array(dyads + triad_counts(lists, n) + [clustering], dtype=np.float64),
            undirected, directed,
        ])
        return pd.Series(values, index=self.labels)


@dataclass
class MotifAnalysis:
    """Everything one analysis of one graph produced.

    Attributes
    ----------
    label : str
        Name of the graph (e.g. ``"th100"``).
    graph : SynapseGraph
        The observed graph.
    observed : pandas.Series
        The observed statistics (:class:`MotifStatistics` labels).
    motifs, pairs, stats : pandas.DataFrame
        Tidy tables, one row per model and triad class / dyad class / other statistic
        (see :func:`analyse`).
    samples : dict of str to pandas.DataFrame
        Each sampled model's statistics, one row per sample.
    er_expected : pandas.Series
        Exact expected dyad and triad counts under ER, the reference of the ratios.
    expected : dict of str to pandas.Series
        Exact expectations of the dyad and triad counts, for independent-dyad models.
    models : dict of str to NullModel
        The fitted models.
    diagnostics : dict of str to dict
        Mixing diagnostics of the MCMC models.
    params : dict
        Models, number of samples, seed.
    timings : dict of str to float
        Seconds spent per model (fitting, exact expectations and sampling).
    """

    label: str
    graph: SynapseGraph
    observed: pd.Series
    motifs: pd.DataFrame
    pairs: pd.DataFrame
    stats: pd.DataFrame
    er_expected: pd.Series
    samples: dict[str, pd.DataFrame] = field(default_factory=dict)
    expected: dict[str, pd.Series] = field(default_factory=dict)
    models: dict[str, NullModel] = field(default_factory=dict)
    diagnostics: dict[str, dict[str, Any]] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self, kind: str) -> tuple[pd.Series, dict[str, pd.DataFrame]]:
        """Return observed counts and each model's sampled counts for ``"triad"`` or ``"dyad"``.

        Labels are the bare class names (MAN codes, or null / asymmetric / mutual).
        """
        prefix = {"triad": _TRIAD, "dyad": _DYAD}[kind]
        keep = [c for c in self.observed.index if c.startswith(prefix)]
        strip = {c: c[len(prefix):] for c in keep}
        observed = self.observed[keep].rename(strip)
        samples = {name: s[keep].rename(columns=strip) for name, s in self.samples.items()}
        return observed, samples

    def significant(self, level: float = 0.05) -> pd.DataFrame:
        """Return the statistics that differ significantly from each model.

        Parameters
        ----------
        level : float
            Threshold of the Holm-adjusted two-sided empirical p-value.

        Returns
        -------
        pandas.DataFrame
            One row per (model, statistic) with ``p_adjusted < level``, models in the
            order analysed: ``model``, ``kind`` (``"triad"``, ``"dyad"`` or ``"other"``),
            ``statistic`` (MAN code, dyad class or statistic name), ``paper_number``
            (triads), ``observed``, ``null`` (the exact expectation where there is one,
            else the sample mean), ``z``, ``p_adjusted`` and ``direction``
            (``"above"`` or ``"below"``: where the observed value lies).
        """
        tables = [
            self.motifs.rename(columns={"motif": "statistic"}).assign(kind="triad"),
            self.pairs.rename(columns={"motif": "statistic"}).assign(kind="dyad"),
            self.stats.assign(kind="other"),
        ]
        rows = pd.concat(tables, ignore_index=True)
        rows = rows[rows["p_adjusted"] < level].copy()
        rows["null"] = rows["expected"].fillna(rows["null_mean"])
        rows["direction"] = np.where(rows["observed"] > rows["null"], "above", "below")
        rows["paper_number"] = rows["paper_number"].astype("Int64")
        order = {m: k for k, m in enumerate(dict.fromkeys(self.motifs["model"]))}
        rows = rows.sort_values("model", key=lambda m: m.map(order), kind="stable")
        columns = ["model", "kind", "statistic", "paper_number", "observed", "null", "z",
                   "p_adjusted", "direction"]
        return rows[columns].reset_index(drop=True)


def model_seed(seed: int, label: str, model: str) -> np.random.SeedSequence:
    """Return the seed of one model's ensemble on one graph.

    Derived from the run's seed, the graph's label and the model's name only, so a model
    gives the same samples whichever other models or graphs a run includes.
    """
    key = zlib.crc32(f"{label}\x00{model}".encode())
    return np.random.SeedSequence([int(seed), key])


def _tidy(
    comparisons: dict[str, pd.DataFrame],
    labels: Sequence[str],
    names: Sequence[str],
    label: str,
    er_expected: pd.Series | None,
    expected: dict[str, pd.Series],
    n_samples: int,
    samples: dict[str, pd.DataFrame],
    observed: pd.Series,
) -> pd.DataFrame:
    rows = []
    for model, table in comparisons.items():
        t = table.loc[list(labels)]
        frame = pd.DataFrame({
            "subgraph": label,
            "model": model,
            "statistic": list(names),
            "observed": observed[list(labels)].to_numpy(),
            "expected": (expected[model].reindex(list(names)).to_numpy()
                         if model in expected else np.nan),
            "null_mean": samples[model][list(labels)].mean().to_numpy(),
            "null_sd": t["sd"].to_numpy(),
            "z": t["z"].to_numpy(),
            "z_undefined": t["z_undefined"].to_numpy(),
            "p_paper": t["p_paper"].to_numpy(),
            "p_two_sided": t["p_two_sided"].to_numpy(),
            "p_upper": t["p_upper"].to_numpy(),
            "p_lower": t["p_lower"].to_numpy(),
            "p_adjusted": t["p_adjusted"].to_numpy(),
        })
        if er_expected is not None:
            er = er_expected.reindex(list(names)).to_numpy()
            with np.errstate(invalid="ignore", divide="ignore"):
                frame["observed_over_er"] = frame["observed"].to_numpy() / er
                frame["null_mean_over_er"] = frame["null_mean"].to_numpy() / er
        frame["n_samples"] = n_samples
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def analyse(
    graph: SynapseGraph,
    *,
    label: str = "graph",
    models: Sequence[str] = DEFAULT_MODELS,
    n_samples: int = 1000,
    seed: int = 2022,
    n_jobs: int | None = None,
    progress: bool = False,
    model_options: dict[str, dict[str, Any]] | None = None,
    client: Any = None,
) -> MotifAnalysis:
    """Return the 2- and 3-cell motif analysis of a graph against null models.

    For every model: fit it to ``graph``, compute exact expected dyad and triad counts
    where the model has independent pairs (ER, gER, PM), and draw ``n_samples`` graphs,
    each reduced to :class:`MotifStatistics`. The observed statistics are compared with
    each ensemble by :func:`nullmodels.compare` (z-scores against the exact expectation
    where there is one, else the sample mean; empirical p-values; Holm adjustment across
    the classes of a table).

    Parameters
    ----------
    graph : SynapseGraph
    label : str
        Name of the graph in the tables and seeds.
    models : sequence of str
        Keys of :data:`nullmodels.MODELS` (ER, gER, CFG, gCFG, PM).
    n_samples : int
        Samples per model.
    seed : int
        Seed of the run; each model's ensemble gets its own stream (:func:`model_seed`).
    n_jobs : int, optional
        Worker threads (None: every core). The result does not depend on it.
    progress : bool
        Show a progress bar per ensemble.
    model_options : dict, optional
        Constructor arguments per model name, e.g. ``{"PM": {"window": 20.0}}``.
    client : distributed.Client or str, optional
        Draw the samples as Dask tasks on this client or scheduler address (see
        :func:`nullmodels.ensemble`). The result does not depend on it.

    Returns
    -------
    MotifAnalysis
        ``motifs`` has one row per model and triad class with ``paper_number``,
        ``connected``, ``observed``, ``expected`` (exact, NaN for CFG and gCFG),
        ``null_mean``, ``null_sd``, ``z``, ``p_paper`` (Turner et al.'s one-sided
        ``min(P(X >= obs), P(X <= obs))``), ``p_two_sided`` (add-one), ``p_upper``,
        ``p_lower``, ``p_adjusted`` (Holm), ``observed_over_er`` and
        ``null_mean_over_er`` (relative to the exact ER expectation) and ``n_samples``;
        ``pairs`` the same for the dyad classes with their ``paper_term``; ``stats``
        the clustering coefficient and common-neighbour fractions.

    Raises
    ------
    KeyError
        For an unknown model name.
    nullmodels.MissingPositionsError
        For PM on a graph without soma positions.

    Notes
    -----
    Time: ``n_samples`` × (one sample + one census, O(m Δ)) per model, plus O(n³) for the
    exact PM expectation.
    """
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise KeyError(f"unknown model(s) {unknown}; choose from {', '.join(MODELS)}")
    model_options = model_options or {}
    observed_cn = common_neighbour_rule(graph)["n_common"]
    statistic = MotifStatistics(
        max_common=int(min(observed_cn.max(), MAX_COMMON_NEIGHBOURS)) if graph.n else 0
    )
    observed = statistic(graph)
    er_reference = ErdosRenyi().fit(graph)
    er_expected = pd.concat([expected_dyad_census(er_reference),
                             expected_triad_census(er_reference)])

    analysis = MotifAnalysis(label=label, graph=graph, observed=observed,
                             motifs=pd.DataFrame(), pairs=pd.DataFrame(), stats=pd.DataFrame(),
                             er_expected=er_expected)
    comparisons: dict[str, pd.DataFrame] = {}
    # Fit every model first, so that a model that cannot be fitted (PM without positions)
    # fails before any sampling.
    fitted = {}
    for name in models:
        start = time.perf_counter()
        fitted[name] = MODELS[name](**model_options.get(name, {})).fit(graph)
        analysis.timings[name] = time.perf_counter() - start
    for name, model in fitted.items():
        start = time.perf_counter()
        expected = None
        if isinstance(model, IndependentDyadModel):
            expected = pd.concat([expected_dyad_census(model), expected_triad_census(model)])
            analysis.expected[name] = expected
        result = ensemble(model, statistic, n_samples, seed=model_seed(seed, label, name),
                          n_jobs=n_jobs, progress=progress, client=client)
        exact = None
        if expected is not None:
            exact = pd.concat([expected[list(DYAD_NAMES)].rename(lambda c: _DYAD + c),
                               expected[list(TRIAD_NAMES)].rename(lambda c: _TRIAD + c)])
        analysis.samples[name] = result.samples
        analysis.models[name] = model
        if result.diagnostics:
            analysis.diagnostics[name] = result.diagnostics
        comparisons[name] = {
            part: compare(observed[labels], result.samples, expected=exact, adjust="holm")
            for part, labels in _parts(observed).items()
        }
        analysis.timings[name] += time.perf_counter() - start

    parts = _parts(observed)
    motifs = _tidy({m: c["triad"] for m, c in comparisons.items()}, parts["triad"], TRIAD_NAMES,
                   label, er_expected, analysis.expected, n_samples, analysis.samples, observed)
    motifs.insert(3, "paper_number", [triad_class(s).paper_number for s in motifs["statistic"]])
    motifs.insert(4, "connected", [triad_class(s).connected for s in motifs["statistic"]])
    analysis.motifs = motifs.rename(columns={"statistic": "motif"})
    pairs = _tidy({m: c["dyad"] for m, c in comparisons.items()}, parts["dyad"], DYAD_NAMES,
                  label, er_expected, analysis.expected, n_samples, analysis.samples, observed)
    pairs.insert(3, "paper_term", [DYAD_PAPER_TERMS[s] for s in pairs["statistic"]])
    analysis.pairs = pairs.rename(columns={"statistic": "motif"})
    analysis.stats = _tidy({m: c["other"] for m, c in comparisons.items()}, parts["other"],
                           parts["other"], label, None, {}, n_samples, analysis.samples,
                           observed)
    analysis.params = {"models": list(models), "n_samples": int(n_samples), "seed": int(seed),
                       "max_common_neighbours": statistic.max_common,
                       "model_params": {m: model.get_params()
                                        for m, model in analysis.models.items()}}
    return analysis


def _parts(observed: pd.Series) -> dict[str, list[str]]:
    labels = list(observed.index)
    triads = [c for c in labels if c.startswith(_TRIAD)]
    dyads = [c for c in labels if c.startswith(_DYAD)]
    return {"triad": triads, "dyad": dyads,
            "other": [c for c in labels if c not in triads and c not in dyads]}
