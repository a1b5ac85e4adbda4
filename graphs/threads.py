"""Numba thread control for the kernels of every layer: one thread count per calling thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba

__all__ = ["SERIAL_BELOW_EDGES", "kernel_threads", "numba_threads"]

#: Graphs with fewer edges run the parallel kernels on one thread.
SERIAL_BELOW_EDGES = 50_000


@contextmanager
def numba_threads(count: int) -> Iterator[None]:
    """Run the numba kernels called in the block on at most ``count`` threads.

    The setting is numba's per-thread one (``numba.set_num_threads``), restored on exit, so
    worker threads of an ensemble each choose their own. Every kernel of this package gives
    the same result for any thread count; only the speed changes.

    Parameters
    ----------
    count : int
        Threads, at least 1; more than numba was started with means all of them.

    Examples
    --------
    >>> with numba_threads(1):
    ...     numba.get_num_threads()
    1
    """
    previous = numba.get_num_threads()
    count = max(1, min(int(count), numba.config.NUMBA_NUM_THREADS))
    if count == previous:
        yield
        return
    numba.set_num_threads(count)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


@contextmanager
def kernel_threads(n_edges: int) -> Iterator[None]:
    """Run the numba kernels of the block on one thread when the graph is small.

    Opening a parallel region costs more than a census of a few thousand edges, and far
    more when other processes hold the cores (the threads wait at a barrier for a
    descheduled peer; measured ~100x on pinky100). Graphs of at least
    :data:`SERIAL_BELOW_EDGES` edges keep the current thread count.
    """
    if n_edges >= SERIAL_BELOW_EDGES:
        yield
        return
    with numba_threads(1):
        yield
