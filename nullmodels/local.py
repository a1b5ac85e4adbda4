"""Draw the samples of a null ensemble in local threads."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import Any

import numpy as np

from connectome_motifs.graphs.threads import numba_threads
from connectome_motifs.nullmodels.base import NullModel
from connectome_motifs.nullmodels.executor import (
    EnsembleRows,
    Progress,
    Statistic,
    draw_statistic,
    labelled_row,
    stack_rows,
    statistic_name,
)

__all__ = ["ThreadExecutor"]


class ThreadExecutor:
    """Runs the samples of an ensemble in a pool of local threads.

    Parameters
    ----------
    n_jobs : int, optional
        Threads; None or -1 uses every core, 1 runs in the calling thread.

    Raises
    ------
    ValueError
        If ``n_jobs`` is not a positive int, -1 or None.

    Notes
    -----
    The samplers' kernels release the GIL, so threads run them in parallel. Parallelism is
    across samples: with more than one thread each pool thread runs numba's kernels on one
    thread, so they do not oversubscribe the cores. Rows come back in seed order.

    Examples
    --------
    >>> ThreadExecutor(2).n_threads
    2
    """

    name = "threads"

    def __init__(self, n_jobs: int | None = None) -> None:
        if n_jobs is None or n_jobs == -1:
            n_jobs = os.cpu_count() or 1
        if not isinstance(n_jobs, int | np.integer) or isinstance(n_jobs, bool) or n_jobs < 1:
            raise ValueError(f"n_jobs must be a positive int, -1 or None, not {n_jobs!r}")
        self.n_threads = int(n_jobs)

    def __repr__(self) -> str:
        return f"ThreadExecutor(n_jobs={self.n_threads})"

    def __enter__(self) -> ThreadExecutor:
        """Return ``self``: threads are started per run."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Nothing to release."""

    def run(
        self,
        model: NullModel,
        statistic: Statistic,
        seeds: Sequence[np.random.SeedSequence],
        *,
        diagnostics_seed: np.random.SeedSequence | None = None,
        progress: Progress | None = None,
    ) -> EnsembleRows:
        """Return the statistic of one sample per seed (see :class:`~.executor.Executor`)."""
        name = statistic_name(statistic)

        def one(seed: np.random.SeedSequence) -> tuple[Any, np.ndarray]:
            return labelled_row(draw_statistic(model, statistic, seed), name)

        def one_on_one_thread(seed: np.random.SeedSequence) -> tuple[Any, np.ndarray]:
            with numba_threads(1):
                return one(seed)

        pairs = []
        pool = ThreadPoolExecutor(max_workers=self.n_threads) if self.n_threads > 1 else None
        with pool or nullcontext():
            for pair in (pool.map(one_on_one_thread, seeds) if pool else map(one, seeds)):
                pairs.append(pair)
                if progress is not None:
                    progress(1)
        labels, rows = stack_rows(pairs)
        diagnostics = (model.mixing_diagnostics(seed=diagnostics_seed)
                       if diagnostics_seed is not None else None)
        return EnsembleRows(labels, rows, diagnostics, self.n_threads)
