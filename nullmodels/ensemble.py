"""Run a statistic over many samples of a null model, reproducibly, on any executor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from connectome_motifs.nullmodels.base import MarkovChainModel, NullModel
from connectome_motifs.nullmodels.chains import ChainPlan, chain_lengths, plan_chains
from connectome_motifs.nullmodels.diagnostics import MixingDiagnostics
from connectome_motifs.nullmodels.executor import (
    Executor,
    SampleTask,
    Statistic,
    statistic_name,
)
from connectome_motifs.nullmodels.local import ThreadExecutor
from connectome_motifs.nullmodels.progress import ProgressMode, progress_reporter
from connectome_motifs.nullmodels.seeding import Seed, as_seed_sequence

__all__ = ["EnsembleParams", "EnsembleResult", "as_executor", "ensemble"]


@dataclass(frozen=True)
class EnsembleParams:
    """How an ensemble was drawn: enough to repeat it.

    Attributes
    ----------
    model : str
        The model's class name.
    alias : str
        Its short name (``"CFG"``).
    model_params : dict
        Its settings (:meth:`~connectome_motifs.nullmodels.NullModel.get_params`).
    statistic : str
        The statistic's name.
    n_samples : int
    seed_entropy : int or sequence of int
        The ``entropy`` of the ensemble's ``SeedSequence``.
    seed_spawn_key : tuple of int
        Its ``spawn_key``; sample ``k`` is from child ``k``.
    executor : str
        ``"threads"`` or ``"dask"``.
    n_threads : int
        Threads that drew the samples (local threads, or the Dask workers' total).
    n_chains : int or None
        Markov chains the samples were split among (in order, :func:`chain_lengths`);
        None when every sample was drawn on its own.
    burn_in : int or None
        Steps of each chain before its first sample.
    spacing : int or None
        Steps between the samples of a chain.
    """

    model: str
    alias: str
    model_params: dict[str, Any]
    statistic: str
    n_samples: int
    seed_entropy: Any
    seed_spawn_key: tuple[int, ...]
    executor: str
    n_threads: int
    n_chains: int | None = None
    burn_in: int | None = None
    spacing: int | None = None


@dataclass(frozen=True)
class EnsembleResult:
    """The statistic of every sample of a null model, with how the run was made.

    Attributes
    ----------
    samples : pandas.DataFrame
        One row per sample, in sample order; one column per label of the statistic (a
        MultiIndex when the labels are tuples).
    params : EnsembleParams
    diagnostics : MixingDiagnostics or None
        The model's :meth:`~connectome_motifs.nullmodels.NullModel.mixing_diagnostics` (None for
        exact samplers, or when not asked for).
    chains : ChainPlan or None
        How the burn-in and spacing of the chains were chosen (None without shared
        chains).
    """

    samples: pd.DataFrame
    params: EnsembleParams
    diagnostics: MixingDiagnostics | None
    chains: ChainPlan | None = None


def as_executor(executor: Any = None) -> Executor:
    """Return the executor that ``executor`` names.

    Parameters
    ----------
    executor : Executor, int, distributed.Client, str or None
        An executor is returned as is; None runs local threads on every core and an int
        that many local threads (:class:`~connectome_motifs.nullmodels.local.ThreadExecutor`); a
        Dask client, a scheduler address (``"tcp://host:8786"``) or ``"local:N"`` runs Dask
        tasks (:class:`~connectome_motifs.nullmodels.distributed.DaskExecutor`, which needs the
        extra ``connectome-motifs[dask]``).

    Returns
    -------
    Executor

    Raises
    ------
    ValueError
        For a thread count that is not positive.
    TypeError
        For anything else.

    Examples
    --------
    >>> as_executor(1)
    ThreadExecutor(n_jobs=1)
    """
    if executor is None or (isinstance(executor, int | np.integer)
                            and not isinstance(executor, bool)):
        return ThreadExecutor(executor)
    if isinstance(executor, str) or type(executor).__module__.split(".")[0] == "distributed":
        from connectome_motifs.nullmodels.distributed import DaskExecutor

        return DaskExecutor(executor)
    if isinstance(executor, Executor):
        return executor
    raise TypeError(f"executor must be an Executor, a thread count, a Dask client or address, "
                    f"or None, not {type(executor).__name__}")


def ensemble(
    model: NullModel,
    statistic: Statistic,
    n_samples: int,
    *,
    seed: Seed = None,
    executor: Any = None,
    progress: ProgressMode = True,
    diagnostics: bool = True,
    pilot_statistic: Statistic | None = None,
    name: str | None = None,
) -> EnsembleResult:
    """Return the statistic of ``n_samples`` samples of a fitted model.

    Parameters
    ----------
    model : NullModel
        A fitted null model.
    statistic : callable
        Function of a :class:`~connectome_motifs.graphs.SynapseGraph` returning a number, a labelled
        ``pandas.Series`` or ``dict`` of numbers, or a 1-D array (columns 0, 1, ...);
        every sample must give the same labels. On Dask it must be picklable (a
        module-level function or an instance of a module-level class, not a lambda).
    n_samples : int
        Number of samples.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        Of independent samples, sample ``k`` is drawn from child ``k`` of the seed's
        ``SeedSequence`` (as in :meth:`~connectome_motifs.nullmodels.NullModel.sample_many`).
        A Markov-chain model with ``chains`` set (CFG, gCFG by default) splits the samples
        in order among that many chains, chain ``c`` from child ``c``, its spacing chosen
        on a pilot chain (:func:`~connectome_motifs.nullmodels.chains.plan_chains`)
        unless the model sets it. Either way the result does not depend on the executor,
        its threads or the number of Dask workers.
    executor : Executor, int, distributed.Client, str or None
        Where the samples are drawn (:func:`as_executor`): default local threads on every
        core; ``1`` in the calling thread.
    progress : bool, "bar" or "log"
        Show a tqdm progress bar (True or ``"bar"``), write a line every few seconds to
        stderr (``"log"``, for output that is not a terminal), or nothing (False).
    diagnostics : bool
        Also run the model's mixing diagnostics (one extra chain for MCMC models, from
        child ``n_samples`` of the seed).
    pilot_statistic : callable, optional
        What the pilot chain of shared chains measures to choose the spacing (default:
        ``statistic``); a cheaper part of it, such as the census alone, saves evaluating
        the whole statistic at each of the pilot's hundreds of checkpoints.
    name : str, optional
        What the progress calls the ensemble (default: the model's alias), e.g. the
        analysis's name of a configured model such as ``"CFG+W"``.

    Returns
    -------
    EnsembleResult

    Raises
    ------
    NotFittedError
        If the model is not fitted.
    ValueError
        If ``n_samples`` or the thread count is invalid or the statistic's labels change.
    nullmodels.distributed.MissingDaskError
        If a Dask executor is asked for and Dask is not installed (an ``ImportError``).
    nullmodels.distributed.SchedulerUnreachableError
        If no scheduler answers at a Dask address (an ``OSError``).

    Notes
    -----
    Time is ``n_samples`` times one sample and one statistic, divided among the
    executor's threads; with shared chains a sample costs ``spacing`` steps instead of
    ``burn_in``, plus each chain's burn-in and the pilot chain. Chains are the units of
    parallel work, so at most ``chains`` threads or Dask workers are busy.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> from connectome_motifs.nullmodels import ErdosRenyi
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], n=5)
    >>> model = ErdosRenyi().fit(g)
    >>> result = ensemble(model, lambda s: s.n_edges, 4, seed=1, progress=False)
    >>> result.samples.shape
    (4, 1)
    """
    model.check_fitted()
    if not isinstance(n_samples, int | np.integer) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, not {n_samples!r}")
    runner = as_executor(executor)
    seed_sequence = as_seed_sequence(seed)
    plan = None
    if isinstance(model, MarkovChainModel) and model.chains is not None:
        lengths = chain_lengths(int(n_samples), int(model.chains))
        *chain_seeds, diagnostics_seed, pilot_seed = seed_sequence.spawn(len(lengths) + 2)
        plan = plan_chains(model, statistic if pilot_statistic is None else pilot_statistic,
                           pilot_seed, progress=progress)
        tasks = [SampleTask(s, k, plan.spacing, plan.burn_in)
                 for s, k in zip(chain_seeds, lengths, strict=True)]
    else:
        *sample_seeds, diagnostics_seed = seed_sequence.spawn(int(n_samples) + 1)
        tasks = [SampleTask(s) for s in sample_seeds]
    with progress_reporter(n_samples, f"{name or model.alias} samples", progress) as bar:
        rows = runner.run(model, statistic, tasks,
                          diagnostics_seed=diagnostics_seed if diagnostics else None,
                          progress=bar.update)
    params = EnsembleParams(
        model=type(model).__name__,
        alias=model.alias,
        model_params=model.get_params(),
        statistic=statistic_name(statistic),
        n_samples=int(n_samples),
        seed_entropy=seed_sequence.entropy,
        seed_spawn_key=tuple(seed_sequence.spawn_key),
        executor=runner.name,
        n_threads=rows.n_threads,
        n_chains=len(tasks) if plan is not None else None,
        burn_in=plan.burn_in if plan is not None else None,
        spacing=plan.spacing if plan is not None else None,
    )
    return EnsembleResult(samples=rows.table(), params=params, diagnostics=rows.diagnostics,
                          chains=plan)
