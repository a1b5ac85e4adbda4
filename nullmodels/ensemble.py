"""Run a statistic over many samples of a null model, reproducibly and in parallel."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

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
        ``entropy`` and ``spawn_key`` (enough to repeat the run) and ``n_jobs``.
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
) -> EnsembleResult:
    """Return the statistic of ``n_samples`` independent samples of a fitted model.

    Parameters
    ----------
    model : NullModel
        A fitted null model.
    statistic : callable
        Function of a :class:`~graphs.SynapseGraph` returning a number, a labelled
        ``pandas.Series`` or ``dict`` of numbers, or a 1-D array (columns 0, 1, ...);
        every sample must give the same labels.
    n_samples : int
        Number of samples.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        Sample ``k`` is drawn from child ``k`` of the seed's ``SeedSequence`` (as in
        :meth:`~nullmodels.NullModel.sample_many`), so the result does not depend on
        ``n_jobs``.
    n_jobs : int, optional
        Worker threads; None or -1 uses every core, 1 runs in the calling thread.
    progress : bool
        Show a tqdm progress bar.
    diagnostics : bool
        Also run the model's mixing diagnostics (one extra chain for MCMC models, from
        child ``n_samples`` of the seed).

    Returns
    -------
    EnsembleResult

    Raises
    ------
    NotFittedError
        If the model is not fitted.
    ValueError
        If ``n_samples`` or ``n_jobs`` is invalid or the statistic's labels change.

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
    name = getattr(statistic, "__name__", type(statistic).__name__)

    def work(child: np.random.SeedSequence) -> Any:
        return draw_statistic(model, statistic, child)

    bar = tqdm(total=n_samples, disable=not progress, desc=f"{type(model).__name__} samples")
    values = []
    with bar:
        if workers == 1:
            for child in children[:-1]:
                values.append(work(child))
                bar.update()
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for value in pool.map(work, children[:-1]):
                    values.append(value)
                    bar.update()
    labels, _ = _labelled(values[0], name)
    rows = []
    for k, value in enumerate(values):
        these, row = _labelled(value, name)
        if these != labels:
            raise ValueError(f"sample {k} of the statistic has labels {these}, not {labels}")
        rows.append(row)
    samples = pd.DataFrame(np.array(rows), columns=pd.Index(labels))
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
    mixing = model.mixing_diagnostics(seed=children[-1]) if diagnostics else {}
    return EnsembleResult(samples=samples, params=params, diagnostics=mixing)
