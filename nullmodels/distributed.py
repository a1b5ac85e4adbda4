"""Draw the samples of a null ensemble as Dask tasks: one scattered model, seeded chunks."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from connectome_motifs.graphs.threads import numba_threads
from connectome_motifs.nullmodels.base import NullModel
from connectome_motifs.nullmodels.diagnostics import MixingDiagnostics
from connectome_motifs.nullmodels.executor import (
    EnsembleRows,
    Progress,
    SampleTask,
    Statistic,
    draw_rows,
    stack_rows,
    statistic_name,
)

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "CHUNKS_PER_THREAD",
    "DaskExecutor",
    "MissingDaskError",
    "SchedulerUnreachableError",
    "chunk_bounds",
    "connect",
    "draw_chunk",
]

#: Tasks per worker thread: enough to balance uneven workers and to lose little work to a
#: dead worker, few enough that the ~1 ms overhead of a task is negligible.
CHUNKS_PER_THREAD = 4

_INSTALL = 'pip install "connectome-motifs[dask]"'


class MissingDaskError(ImportError):
    """Dask (the optional extra ``connectome-motifs[dask]``) is not installed."""


class SchedulerUnreachableError(OSError):
    """No Dask scheduler answered at an address in time."""


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise MissingDaskError(
            f"running null-model samples on Dask needs the optional extra: {_INSTALL}"
        ) from err
    return distributed


def connect(address: str, *, timeout: float | None = None) -> Client:
    """Return a ``distributed.Client`` for a scheduler address or a new local cluster.

    Parameters
    ----------
    address : str
        A scheduler address (``"tcp://host:8786"``, as printed by ``dask scheduler``,
        dask-jobqueue or dask-kubernetes), or ``"local:N"`` to start a ``LocalCluster``
        of N worker processes with one thread each (closed with the client).
    timeout : float, optional
        Seconds to wait for the scheduler; default Dask's
        ``distributed.comm.timeouts.connect`` setting (30 s).

    Returns
    -------
    distributed.Client
        Close it (``client.close()`` or a ``with`` block) when done.

    Raises
    ------
    MissingDaskError
        If Dask is not installed (an ``ImportError`` naming the extra to install).
    SchedulerUnreachableError
        If no scheduler answers at ``address`` within ``timeout`` (an ``OSError``).
    ValueError
        If ``address`` is malformed, or N in ``"local:N"`` is not a positive int.

    Notes
    -----
    Workers must be able to import this package (install it in their environment).
    """
    distributed = _import_distributed()
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"a local Dask cluster is 'local:N' with N >= 1 workers, "
                             f"not {address!r}")
        return distributed.Client(n_workers=int(count), threads_per_worker=1, processes=True,
                                  dashboard_address=":0")
    options = {} if timeout is None else {"timeout": timeout}
    try:
        return distributed.Client(address, **options)
    except ValueError as err:
        raise ValueError(f"invalid Dask scheduler address {address!r}: {err}") from None
    except OSError as err:
        raise SchedulerUnreachableError(
            f"no Dask scheduler answered at {address!r} ({err}); check the address and that "
            f"the scheduler is running, or use 'local:N' for a local cluster"
        ) from None


def chunk_bounds(
    n_tasks: int, n_threads: int, chunk_size: int | None = None
) -> list[tuple[int, int]]:
    """Return the ``(start, stop)`` ranges of sample tasks in each Dask task, in order.

    Parameters
    ----------
    n_tasks : int
        Number of sample tasks (:class:`~connectome_motifs.nullmodels.executor.SampleTask`).
    n_threads : int
        Worker threads of the cluster (0 counts as 1, e.g. an adaptive cluster not yet
        scaled up).
    chunk_size : int, optional
        Sample tasks per Dask task; default ``ceil(n_tasks / (CHUNKS_PER_THREAD *
        n_threads))``.

    Returns
    -------
    list of tuple of int

    Raises
    ------
    ValueError
        If ``chunk_size`` is not a positive int.

    Examples
    --------
    >>> chunk_bounds(10, 1)
    [(0, 3), (3, 6), (6, 9), (9, 10)]
    """
    if chunk_size is None:
        chunk_size = max(1, math.ceil(n_tasks / (CHUNKS_PER_THREAD * max(n_threads, 1))))
    if not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, not {chunk_size!r}")
    return [(start, min(start + chunk_size, n_tasks))
            for start in range(0, n_tasks, chunk_size)]


def draw_chunk(
    model: NullModel,
    statistic: Statistic,
    tasks: Sequence[SampleTask],
) -> list[tuple[list, np.ndarray]]:
    """Return the (labels, row) of every graph of consecutive tasks: one Dask task.

    Each graph is reduced to its statistic on the worker and dropped, so a Dask task holds
    one graph per thread and returns rows, never graphs. Numba's parallel kernels run on
    the task's thread only (the worker's threads already use its cores).

    Parameters
    ----------
    model : NullModel
        The fitted model (scattered to the workers once).
    statistic : callable
        As in :func:`~connectome_motifs.nullmodels.ensemble`.
    tasks : sequence of SampleTask
        Consecutive tasks of the ensemble.

    Returns
    -------
    list of (list, numpy.ndarray)
        One (labels, row) pair per graph, in order; the client checks the labels across
        all samples in sample order, exactly as the local run does.
    """
    # The worker's threads already fill its cores, so parallel kernels would oversubscribe
    # them; and under the OMP_NUM_THREADS=1 that Dask's nanny sets, numba's OpenMP layer runs
    # a multi-threaded prange ~100x slower (measured on the census kernels).
    with numba_threads(1):
        rows = [pair for task in tasks for pair in draw_rows(model, statistic, task)]
    # Plain lists travel back to the client, not one pandas Index per sample.
    return [(list(labels), row) for labels, row in rows]


def mixing_diagnostics_task(
    model: NullModel, seed: np.random.SeedSequence
) -> MixingDiagnostics | None:
    """Return ``model.mixing_diagnostics(seed=seed)`` on one numba thread: one task."""
    with numba_threads(1):
        return model.mixing_diagnostics(seed=seed)


class DaskExecutor:
    """Runs the samples of an ensemble as Dask tasks, identical to a local run.

    The model is scattered to every worker once; each Dask task runs a contiguous range of
    sample tasks (:func:`chunk_bounds`) and returns their statistic rows (:func:`draw_chunk`),
    never graphs. Results are gathered as tasks finish and assembled by sample index.

    Parameters
    ----------
    client : distributed.Client or str
        A client, or an address for :func:`connect`, connected for each run and closed
        after it.
    chunk_size : int, optional
        Sample tasks (samples, or whole chains) per Dask task (default
        :func:`chunk_bounds`'); it does not change the result.

    Raises
    ------
    TypeError
        If ``client`` is neither a ``distributed.Client`` nor a string.
    MissingDaskError
        If Dask is not installed.

    Notes
    -----
    A task's key is a hash of the model, the statistic and the task's seeds, and a task
    Dask reruns after losing a worker (its retry of tasks on dead workers) computes the
    same rows from the same seeds, so no sample is lost, changed or counted twice. The
    model has a copy on every worker, so it survives the loss of any worker but the last.
    Memory per worker: the model, one sample and one statistic per thread, and its tasks'
    rows. Time: as the local run divided by the worker threads, plus sending the model to
    each worker and ~1 ms per task.
    """

    name = "dask"

    def __init__(self, client: Client | str, chunk_size: int | None = None) -> None:
        distributed = _import_distributed()
        if not isinstance(client, str | distributed.Client):
            raise TypeError(f"client must be a distributed.Client or an address string, "
                            f"not {type(client).__name__}")
        self.client = client
        self.chunk_size = chunk_size
        self._connected: Client | None = None

    def __repr__(self) -> str:
        return f"DaskExecutor({self.client!r})"

    def __enter__(self) -> DaskExecutor:
        """Connect to an address client (:func:`connect`) until the block ends."""
        if isinstance(self.client, str) and self._connected is None:
            self._connected = connect(self.client)
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection that :meth:`__enter__` opened (a given client stays open)."""
        if self._connected is not None:
            self._connected.close()
            self._connected = None

    def run(
        self,
        model: NullModel,
        statistic: Statistic,
        tasks: Sequence[SampleTask],
        *,
        diagnostics_seed: np.random.SeedSequence | None = None,
        progress: Progress | None = None,
    ) -> EnsembleRows:
        """Return the statistic of every graph of every task (see :class:`~.executor.Executor`).

        Raises
        ------
        SchedulerUnreachableError
            If the client is an address no scheduler answers at.
        ValueError
            If ``tasks`` is empty or the statistic's labels change.
        concurrent.futures.CancelledError
            If Dask cancels a task (e.g. the cluster is shut down during the run).
        """
        if len(tasks) == 0:
            raise ValueError("a Dask ensemble needs at least one task")
        if isinstance(self.client, str) and self._connected is None:
            with self:
                return self.run(model, statistic, tasks, diagnostics_seed=diagnostics_seed,
                                progress=progress)
        client = self.client if self._connected is None else self._connected
        return self._run(client, model, statistic, tasks, diagnostics_seed, progress)

    def _run(self, client, model, statistic, tasks, diagnostics_seed, progress) -> EnsembleRows:
        distributed = _import_distributed()
        from dask.base import tokenize

        name = statistic_name(statistic)
        threads = sum(client.nthreads().values())
        bounds = chunk_bounds(len(tasks), threads, self.chunk_size)
        run = tokenize(model, statistic, name)
        # A fresh key for the scattered copy: re-scattering under a key that the previous run
        # is still releasing races in the scheduler and cancels the new run's tasks.
        [model_future] = client.scatter({f"nullmodels-model-{run}-{uuid.uuid4().hex}": model},
                                        broadcast=True, hash=False).values()

        def key(kind: str, chosen: Sequence[SampleTask]) -> str:
            spawned = [(t.seed.entropy, t.seed.spawn_key, t.seed.pool_size, t.n_samples,
                        t.spacing, t.burn_in) for t in chosen]
            return f"nullmodels-{kind}-{tokenize(run, spawned)}"

        # The diagnostics chain is the longest task: start it first.
        diagnostics = None
        if diagnostics_seed is not None:
            diagnostics = client.submit(mixing_diagnostics_task, model_future, diagnostics_seed,
                                        key=key("diagnostics", [SampleTask(diagnostics_seed)]),
                                        priority=1)
        chunks = {}
        for start, stop in bounds:
            chosen = tasks[start:stop]
            future = client.submit(draw_chunk, model_future, statistic, chosen,
                                   key=key(f"samples-{start}", chosen))
            chunks[future.key] = (start, future)
        parts: dict[int, list[tuple[list, np.ndarray]]] = {}
        try:
            # Results are gathered here, in batches, rather than by
            # as_completed(with_results=True), whose background gathers can die unnoticed
            # when a worker is lost, hanging the loop.
            for batch in distributed.as_completed(
                [future for _, future in chunks.values()]
            ).batches():
                for future, result in zip(batch, client.gather(batch), strict=True):
                    start, _ = chunks.pop(future.key)
                    parts[start] = result
                    if progress is not None:
                        progress(len(result))
            mixing = diagnostics.result() if diagnostics is not None else None
        finally:
            pending = [future for _, future in chunks.values()]
            if diagnostics is not None:
                pending.append(diagnostics)
            if pending:
                client.cancel(pending)
        labels, rows = stack_rows([pair for start, _ in bounds for pair in parts[start]])
        return EnsembleRows(labels, rows, mixing, threads)
