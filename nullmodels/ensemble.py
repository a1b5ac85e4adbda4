"""Run a statistic over many samples of a null model, reproducibly, in threads or on Dask."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np
import pandas as pd
from tqdm import tqdm

from nullmodels.base import NullModel
from nullmodels.seeding import Seed, as_seed_sequence

__all__ = ["EnsembleResult", "draw_statistic", "ensemble"]


@dataclass(frozen=True)
class EnsembleResult:
    """The statistic of every sample of a null model, with how the run was made.

    Attributes
    ----------
    samples : pandas.DataFrame
        One row per sample, in sample order; one column per label of the statistic.
    params : dict
        The model and its settings, the statistic's name, ``n_samples``, the seed's
        ``entropy`` and ``spawn_key`` (enough to repeat the run), ``executor``
        (``"threads"`` or ``"dask"``) and ``n_jobs`` (threads used: local, or the Dask
        workers' total).
    diagnostics : dict
        The model's :meth:`~nullmodels.NullModel.mixing_diagnostics` (empty for exact
        samplers).
    """

    samples: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)


def draw_statistic(
    model: NullModel, statistic: Callable[[Any], Any], seed: np.random.SeedSequence
) -> Any:
    """Return ``statistic(model.sample(seed))``: the work of one sample, a picklable function."""
    return statistic(model.sample(seed))


def _labelled(value: Any, name: str) -> tuple[list, np.ndarray]:
    if isinstance(value, pd.Series):
        return list(value.index), value.to_numpy()
    if isinstance(value, Mapping):
        return list(value.keys()), np.asarray(list(value.values()))
    array = np.asarray(value)
    if array.ndim == 0:
        return [name], array.reshape(1)
    if array.ndim == 1:
        return list(range(array.size)), array
    raise ValueError(f"a statistic must return a number, a Series, a dict or a 1-D array, "
                     f"not an array of shape {array.shape}")


def _stack_rows(values: Sequence[Any], name: str) -> tuple[list, np.ndarray]:
    """Return the labels and stacked rows of the statistic's values, in sample order."""
    return _stack_labelled([_labelled(value, name) for value in values])


def _stack_labelled(pairs: Sequence[tuple[list, np.ndarray]]) -> tuple[list, np.ndarray]:
    # The one place rows are checked and stacked, for the thread path and for the Dask path
    # (which ships each sample's (labels, row) back), so both raise and return the same.
    labels = pairs[0][0]
    for k, (these, _) in enumerate(pairs):
        if these != labels:
            raise ValueError(f"sample {k} of the statistic has labels {these}, not {labels}")
    return labels, np.array([row for _, row in pairs])


def _statistic_name(statistic: Callable[[Any], Any]) -> str:
    return getattr(statistic, "__name__", type(statistic).__name__)


def _resolve_jobs(n_jobs: int | None) -> int:
    if n_jobs is None or n_jobs == -1:
        return os.cpu_count() or 1
    if not isinstance(n_jobs, int | np.integer) or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive int, -1 or None, not {n_jobs!r}")
    return int(n_jobs)


def ensemble(
    model: NullModel,
    statistic: Callable[[Any], Any],
    n_samples: int,
    *,
    seed: Seed = None,
    n_jobs: int | None = None,
    progress: bool = True,
    diagnostics: bool = True,
    client: Any = None,
) -> EnsembleResult:
    """Return the statistic of ``n_samples`` independent samples of a fitted model.

    Parameters
    ----------
    model : NullModel
        A fitted null model.
    statistic : callable
        Function of a :class:`~graphs.SynapseGraph` returning a number, a labelled
        ``pandas.Series`` or ``dict`` of numbers, or a 1-D array (columns 0, 1, ...);
        every sample must give the same labels. With ``client`` it must be picklable
        (a module-level function or an instance of a module-level class, not a lambda).
    n_samples : int
        Number of samples.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        Sample ``k`` is drawn from child ``k`` of the seed's ``SeedSequence`` (as in
        :meth:`~nullmodels.NullModel.sample_many`), so the result does not depend on
        ``n_jobs``, on ``client`` or on the number of Dask workers.
    n_jobs : int, optional
        Worker threads; None or -1 uses every core, 1 runs in the calling thread.
        Not used with ``client``.
    progress : bool
        Show a tqdm progress bar.
    diagnostics : bool
        Also run the model's mixing diagnostics (one extra chain for MCMC models, from
        child ``n_samples`` of the seed).
    client : distributed.Client or str, optional
        Run the samples as Dask tasks (:func:`nullmodels.distributed.dask_ensemble`) on
        this client, or on a client connected for this call to a scheduler address
        (``"tcp://host:8786"``) or to a new local cluster of N processes (``"local:N"``),
        closed afterwards. Needs the extra ``connectome-motifs[dask]``.

    Returns
    -------
    EnsembleResult

    Raises
    ------
    NotFittedError
        If the model is not fitted.
    ValueError
        If ``n_samples`` or ``n_jobs`` is invalid or the statistic's labels change.
    nullmodels.distributed.MissingDaskError
        If ``client`` is given and Dask is not installed (an ``ImportError``).
    nullmodels.distributed.SchedulerUnreachableError
        If ``client`` is an address no scheduler answers at (an ``OSError``).

    Notes
    -----
    The samplers' kernels release the GIL, so threads run them in parallel. Rows are
    assembled in sample order. Time is ``n_samples`` times one sample and one statistic.

    Examples
    --------
    >>> from graphs import SynapseGraph
    >>> from nullmodels import ErdosRenyi
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], n=5)
    >>> model = ErdosRenyi().fit(g)
    >>> result = ensemble(model, lambda s: s.n_edges, 4, seed=1, progress=False)
    >>> result.samples.shape
    (4, 1)
    """
    model._check_fitted()
    if not isinstance(n_samples, int | np.integer) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, not {n_samples!r}")
    workers = _resolve_jobs(n_jobs)
    seed_sequence = as_seed_sequence(seed)
    children = seed_sequence.spawn(int(n_samples) + 1)
    name = _statistic_name(statistic)
    params = {
        "model": type(model).__name__,
        "alias": model.alias,
        "model_params": model.get_params(),
        "statistic": name,
        "n_samples": int(n_samples),
        "seed_entropy": seed_sequence.entropy,
        "seed_spawn_key": seed_sequence.spawn_key,
        "n_jobs": workers,
    }
    bar = tqdm(total=n_samples, disable=not progress, desc=f"{type(model).__name__} samples")
    if client is not None:
        from nullmodels.distributed import dask_ensemble

        with bar:
            labels, rows, mixing, threads = dask_ensemble(
                client, model, statistic, children[:-1],
                diagnostics_seed=children[-1] if diagnostics else None, progress=bar.update,
            )
        params["n_jobs"] = threads
        params["executor"] = "dask"
        return EnsembleResult(samples=pd.DataFrame(rows, columns=pd.Index(labels)),
                              params=params, diagnostics=mixing)

    def work(child: np.random.SeedSequence) -> Any:
        return draw_statistic(model, statistic, child)

    values = []
    with bar:
        if workers == 1:
            for child in children[:-1]:
                values.append(work(child))
                bar.update()
        else:
            # Parallelism is across samples: each pool thread runs numba on one thread
            # (a per-thread setting), so parallel kernels do not oversubscribe the cores.
            with ThreadPoolExecutor(max_workers=workers, initializer=numba.set_num_threads,
                                    initargs=(1,)) as pool:
                for value in pool.map(work, children[:-1]):
                    values.append(value)
                    bar.update()
    labels, rows = _stack_rows(values, name)
    params["executor"] = "threads"
    mixing = model.mixing_diagnostics(seed=children[-1]) if diagnostics else {}
    return EnsembleResult(samples=pd.DataFrame(rows, columns=pd.Index(labels)), params=params,
                          diagnostics=mixing)
