"""Samples that share Markov chains: burn-in and spacing from a pilot chain."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from connectome_motifs.nullmodels.base import MarkovChainModel
from connectome_motifs.nullmodels.diagnostics import (
    autocorrelation,
    integrated_autocorrelation_time,
)
from connectome_motifs.nullmodels.executor import (
    Statistic,
    labelled_row,
    stack_rows,
    statistic_name,
)
from connectome_motifs.nullmodels.progress import ProgressMode, progress_reporter
from connectome_motifs.nullmodels.seeding import Seed

__all__ = [
    "BURN_IN_FACTOR",
    "PILOT_CHECKPOINTS",
    "SPACING_FACTOR",
    "ChainPlan",
    "chain_lengths",
    "plan_chains",
]

#: The spacing is this many times the largest integrated autocorrelation time (at most
#: the burn-in, as an independent chain would then cost no more). For an autocorrelation
#: that decays exponentially, ``exp(-2 t / τ)`` (τ being ``1 + 2 Σ ρ``), samples 2 τ apart
#: correlate by ``e⁻⁴ ≈ 0.018``: n of them estimate a mean as well as about
#: ``n (1 - 0.018) / (1 + 0.018) ≈ 0.96 n`` independent samples would.
SPACING_FACTOR = 2
#: The burn-in is at least this many times the largest integrated autocorrelation time.
BURN_IN_FACTOR = 10
#: Checkpoints per round of the pilot chain.
PILOT_CHECKPOINTS = 200
# Rounds of the pilot: round r has checkpoints (m / 10) · 2**r steps apart.
_PILOT_ROUNDS = 5
# The largest lag of the autocorrelations, in checkpoints.
_MAX_LAG = PILOT_CHECKPOINTS // 4
# A time is measured when its round lasts at least this many times as long.
_ROUND_LENGTHS = 20


@dataclass(frozen=True)
class ChainPlan:
    """The burn-in and spacing of an ensemble's chains, and the measurements that set them.

    Attributes
    ----------
    burn_in : int
        Steps before a chain's first sample.
    spacing : int
        Steps between consecutive samples of a chain.
    checkpoint_gap : int
        Steps between the checkpoints of the pilot's last round (0 without a pilot).
    pilot_steps : int
        Steps the pilot chain ran (0 without a pilot).
    autocorrelation_times : pandas.Series
        Integrated autocorrelation time, in steps, of each statistic over the pilot's
        last round, ``"edge_overlap"`` (the fraction of the observed edges present) among
        them; NaN for one the chain keeps constant. Empty without a pilot.
    limiting : tuple of str
        The statistics with the largest times, largest first (at most three).
    rule : str
        How burn-in and spacing follow from them, in words.
    """

    burn_in: int
    spacing: int
    checkpoint_gap: int
    pilot_steps: int
    autocorrelation_times: pd.Series
    limiting: tuple[str, ...]
    rule: str


def chain_lengths(n_samples: int, n_chains: int) -> list[int]:
    """Return the samples of each chain: ``n_samples`` split as evenly as can be, in order.

    Examples
    --------
    >>> chain_lengths(25, 4)
    [7, 6, 6, 6]
    """
    chains = min(n_chains, n_samples)
    return [n_samples // chains + (c < n_samples % chains) for c in range(chains)]


def plan_chains(
    model: MarkovChainModel,
    statistic: Statistic,
    seed: Seed,
    progress: ProgressMode = False,
) -> ChainPlan:
    """Return the burn-in and spacing of ``model``'s chains, measured on a pilot chain.

    Settings the model fixes (``burn_in``, ``spacing``) are kept; when both are set no
    pilot runs. Otherwise a pilot chain from the observed graph runs ``burn_in_`` steps
    and then rounds of :data:`PILOT_CHECKPOINTS` checkpoints, ``m / 10`` steps apart in
    the first round and twice as far in each next, recording the statistic and the edge
    overlap with the observed graph. It stops after the first round that lasts at least
    20 times the largest integrated autocorrelation time τ of those series (or after 5
    rounds). Then:

    - burn-in: the larger of ``burn_in_`` and :data:`BURN_IN_FACTOR` · τ;
    - spacing: :data:`SPACING_FACTOR` · τ, at most the burn-in.

    If no round was long enough, τ is taken as its lower bound, the last round's length
    / 20, and the rule says so.

    Parameters
    ----------
    model : MarkovChainModel
        A fitted model.
    statistic : callable
        The ensemble's statistic (as in :func:`~connectome_motifs.nullmodels.ensemble`).
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        Of the pilot chain.
    progress : bool, "bar" or "log"
        Show progress over the pilot's checkpoints (it may stop before the last round).

    Returns
    -------
    ChainPlan

    Notes
    -----
    O(burn_in + rounds · PILOT_CHECKPOINTS · (gap + one statistic)): for a chain whose
    τ is below m steps, 20 m steps and 200 statistics after the burn-in.
    """
    model.check_fitted()
    given_burn_in = model.burn_in
    if model.spacing is not None and given_burn_in is not None:
        return ChainPlan(int(given_burn_in), int(model.spacing), 0, 0, pd.Series(dtype=float),
                         (), "burn-in and spacing as set")
    graph = model.graph_
    m = graph.n_edges
    first_gap = max(m // 10, 1)
    schedule = itertools.chain([model.burn_in_], *(
        itertools.repeat(first_gap << r, PILOT_CHECKPOINTS) for r in range(_PILOT_ROUNDS)))
    walk = model.walk(seed, schedule)
    observed = _edge_keys(graph)
    name = statistic_name(statistic)
    steps = model.burn_in_
    with progress_reporter(_PILOT_ROUNDS * PILOT_CHECKPOINTS,
                           f"{model.alias} pilot chain checkpoints", progress) as bar:
        next(walk)
        for r in range(_PILOT_ROUNDS):
            gap = first_gap << r
            pairs, overlap = [], []
            for sample in itertools.islice(walk, PILOT_CHECKPOINTS):
                pairs.append(labelled_row(statistic(sample), name))
                overlap.append(np.isin(_edge_keys(sample), observed, assume_unique=True).sum()
                               / max(m, 1))
                bar.update(1)
            steps += PILOT_CHECKPOINTS * gap
            times = _autocorrelation_times(pairs, overlap, gap)
            ranked = times.dropna().sort_values(ascending=False, kind="stable")
            largest = float(ranked.iloc[0]) if len(ranked) else 0.0
            # A round in which nothing changed measures nothing: a chain whose only moves are
            # rare may look still for a while, so the gap grows on.
            measured = bool(len(ranked)) and largest * _ROUND_LENGTHS <= PILOT_CHECKPOINTS * gap
            if measured:
                break
    walk.close()
    limiting = tuple(ranked.index[:3])
    pilot = (f"a pilot chain of {steps:,} steps (its last {PILOT_CHECKPOINTS} checkpoints "
             f"{gap:,} steps apart)")
    if not limiting:
        tau, said = gap / SPACING_FACTOR, f"no statistic changed on {pilot}"
    elif measured:
        tau = largest
        said = (f"τ = {tau:,.0f} steps, the largest integrated autocorrelation time "
                f"(of {limiting[0]}) on {pilot}")
    else:
        tau = PILOT_CHECKPOINTS * gap / _ROUND_LENGTHS
        said = (f"τ ≥ {tau:,.0f} steps: the largest integrated autocorrelation time (of "
                f"{limiting[0]}) is too long for {pilot} to measure; its lower bound is used")
    burn_in = (int(given_burn_in) if given_burn_in is not None
               else max(model.burn_in_, math.ceil(BURN_IN_FACTOR * tau)))
    spacing = (int(model.spacing) if model.spacing is not None
               else max(min(math.ceil(SPACING_FACTOR * tau), burn_in), 1))
    burn_in_rule = "as set" if given_burn_in is not None else f"max(10 m, {BURN_IN_FACTOR} τ)"
    spacing_rule = ("as set" if model.spacing is not None
                    else f"{SPACING_FACTOR} τ, at most the burn-in")
    rule = (f"{said}; burn-in {burn_in:,} steps ({burn_in_rule}), spacing {spacing:,} steps "
            f"({spacing_rule})")
    return ChainPlan(burn_in, spacing, gap, steps, times, limiting, rule)


def _autocorrelation_times(pairs, overlap, gap: int) -> pd.Series:
    labels, rows = stack_rows(pairs)
    series = {_label(label): rows[:, j] for j, label in enumerate(labels)}
    series["edge_overlap"] = np.asarray(overlap)
    return pd.Series({key: integrated_autocorrelation_time(
        autocorrelation(np.asarray(values, dtype=np.float64), max_lag=_MAX_LAG)) * gap
        for key, values in series.items()}, dtype=float)


def _label(label) -> str:
    if isinstance(label, tuple):
        return ":".join(str(part) for part in label if part != "")
    return str(label)


def _edge_keys(graph) -> np.ndarray:
    pre, post = graph.edges()
    return np.sort(pre.astype(np.int64) * graph.n + post)
