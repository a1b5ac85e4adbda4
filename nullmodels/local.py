"""Draw the samples of a null ensemble in local threads."""

from __future__ import annotations

import os
import threading
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
    SampleTask,
    Statistic,
    draw_rows,
    stack_rows,
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
    across tasks (samples, or whole chains): with more than one thread each pool thread
    runs numba's kernels on one thread, so they do not oversubscribe the cores. Rows come
    back in task order.

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
        tasks: Sequence[SampleTask],
        *,
        diagnostics_seed: np.random.SeedSequence | None = None,
        progress: Progress | None = None,
    ) -> EnsembleRows:
        """Return the statistic of every graph of every task (see :class:`~.executor.Executor`)."""
        lock = threading.Lock()

        def count(k: int) -> None:
            if progress is not None:
                with lock:
                    progress(k)

        def one(task: SampleTask) -> list[tuple[Any, np.ndarray]]:
            return draw_rows(model, statistic, task, count)

        def one_on_one_thread(task: SampleTask) -> list[tuple[Any, np.ndarray]]:
            with numba_threads(1):
                return one(task)

        pool = ThreadPoolExecutor(max_workers=self.n_threads) if self.n_threads > 1 else None
        with pool or nullcontext():
            parts = list(pool.map(one_on_one_thread, tasks) if pool else map(one, tasks))
        labels, rows = stack_rows([pair for part in parts for pair in part])
        diagnostics = (model.mixing_diagnostics(seed=diagnostics_seed)
                       if diagnostics_seed is not None else None)
        return EnsembleRows(labels, rows, diagnostics, self.n_threads)
