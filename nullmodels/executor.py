"""The executor protocol of null ensembles: a model, a statistic and tasks in, rows out.

A task is a seed and what to draw from it: one independent sample, or the samples of one
Markov chain (:class:`SampleTask`). An executor runs the tasks, reduces each graph to the
statistic at once and returns the rows in task order, so the result never depends on
where or on how many threads the tasks ran.
:class:`~connectome_motifs.nullmodels.local.ThreadExecutor` runs them in local threads,
:class:`~connectome_motifs.nullmodels.distributed.DaskExecutor` as Dask tasks; both use the
per-sample work and the row checks of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.nullmodels.base import NullModel
from connectome_motifs.nullmodels.diagnostics import MixingDiagnostics

__all__ = [
    "EnsembleRows",
    "Executor",
    "Progress",
    "SampleTask",
    "Statistic",
    "draw_rows",
    "labelled_row",
    "stack_rows",
    "statistic_name",
]

#: A statistic of one sampled graph: a number, a labelled ``pandas.Series`` or mapping, or
#: a 1-D array (labelled 0, 1, ...).
Statistic = Callable[[Any], Any]

#: Called with the number of samples just finished.
Progress = Callable[[int], object]


@dataclass(frozen=True)
class SampleTask:
    """One unit of an ensemble's work: the samples drawn from one seed.

    Attributes
    ----------
    seed : numpy.random.SeedSequence
    n_samples : int
        Graphs drawn from it.
    spacing : int or None
        None: one independent sample, ``model.sample(seed)`` (``n_samples`` is 1). An
        int: ``n_samples`` graphs of one Markov chain, ``spacing`` steps apart after its
        burn-in (``model.chain(seed, n_samples, spacing, burn_in)``).
    burn_in : int or None
        Steps of the chain before its first graph (None: the model's ``burn_in_``).
    """

    seed: np.random.SeedSequence
    n_samples: int = 1
    spacing: int | None = None
    burn_in: int | None = None


@dataclass(frozen=True)
class EnsembleRows:
    """What an executor returns: the statistic of every sample, in seed order.

    Attributes
    ----------
    labels : list
        The statistic's labels (tuples for a MultiIndex).
    rows : ndarray, shape (n_samples, len(labels))
    diagnostics : MixingDiagnostics or None
        The model's mixing diagnostics, when they were asked for and it has them.
    n_threads : int
        Threads that drew the samples (local threads, or the Dask workers' total).
    """

    labels: list
    rows: NDArray
    diagnostics: MixingDiagnostics | None
    n_threads: int

    def table(self) -> pd.DataFrame:
        """Return the rows as a DataFrame, one column per label (a MultiIndex for tuples)."""
        return pd.DataFrame(self.rows, columns=pd.Index(self.labels))


@runtime_checkable
class Executor(Protocol):
    """Draws the samples of an ensemble somewhere: local threads, a Dask cluster, ...

    Attributes
    ----------
    name : str
        Recorded with the ensemble (``"threads"``, ``"dask"``).

    Notes
    -----
    An executor is also a context manager: several ensembles run inside one ``with``
    block share what it holds (one connection to a cluster); :meth:`run` outside a block
    acquires and releases it itself.
    """

    name: str

    def __enter__(self) -> Executor:
        """Acquire what the runs need (e.g. connect to a cluster) until the block ends."""
        ...

    def __exit__(self, *exc: object) -> None:
        """Release what :meth:`__enter__` acquired."""
        ...

    def run(
        self,
        model: NullModel,
        statistic: Statistic,
        tasks: Sequence[SampleTask],
        *,
        diagnostics_seed: np.random.SeedSequence | None = None,
        progress: Progress | None = None,
    ) -> EnsembleRows:
        """Return the statistic of every graph of every task (:func:`draw_rows`), in order.

        Also the model's mixing diagnostics from ``diagnostics_seed`` when given; calls
        ``progress(k)`` as each batch of ``k`` samples finishes.
        """
        ...


def statistic_name(statistic: Statistic) -> str:
    """Return the name of ``statistic``: the label of a statistic that returns a number."""
    return getattr(statistic, "__name__", type(statistic).__name__)


def draw_rows(
    model: NullModel,
    statistic: Statistic,
    task: SampleTask,
    progress: Progress | None = None,
) -> list[tuple[Any, NDArray]]:
    """Return the (labels, row) of the statistic of each graph of one task: its work.

    Each graph is reduced to its statistic as it is drawn and dropped, so a task holds one
    graph at a time; ``progress(1)`` is called after each. A picklable function.
    """
    name = statistic_name(statistic)
    graphs = ([model.sample(task.seed)] if task.spacing is None
              else model.chain(task.seed, task.n_samples, task.spacing, task.burn_in))
    rows = []
    for graph in graphs:
        rows.append(labelled_row(statistic(graph), name))
        if progress is not None:
            progress(1)
    return rows


def labelled_row(value: Any, name: str) -> tuple[pd.Index | list, NDArray]:
    """Return the labels and values of one sample's statistic.

    Parameters
    ----------
    value : number, pandas.Series, mapping or 1-D array
        What the statistic returned.
    name : str
        Label of a bare number (:func:`statistic_name`).

    Returns
    -------
    labels : pandas.Index or list
        A Series' own index (so that samples sharing one index compare in O(1)).
    row : ndarray

    Raises
    ------
    ValueError
        For an array of more than one dimension.

    Examples
    --------
    >>> labelled_row({"a": 1, "b": 2}, "f")
    (['a', 'b'], array([1, 2]))
    """
    if isinstance(value, pd.Series):
        return value.index, value.to_numpy()
    if isinstance(value, Mapping):
        return list(value.keys()), np.asarray(list(value.values()))
    array = np.asarray(value)
    if array.ndim == 0:
        return [name], array.reshape(1)
    if array.ndim == 1:
        return list(range(array.size)), array
    raise ValueError(f"a statistic must return a number, a Series, a dict or a 1-D array, "
                     f"not an array of shape {array.shape}")


def stack_rows(pairs: Sequence[tuple[Any, NDArray]]) -> tuple[list, NDArray]:
    """Return the common labels and the stacked rows of samples' ``(labels, row)`` pairs.

    The one place rows are checked and stacked, for every executor, so that all of them
    raise and return the same. O(n_samples × labels).

    Raises
    ------
    ValueError
        If a sample's labels differ from the first sample's (naming the sample).
    """
    first = pairs[0][0]
    labels = list(first)
    for k, (these, _) in enumerate(pairs):
        if these is not first and list(these) != labels:
            raise ValueError(f"sample {k} of the statistic has labels {list(these)}, "
                             f"not {labels}")
    return labels, np.array([row for _, row in pairs])
