"""Shared pytest set-up: two numba threads, hypothesis without deadlines, a triad classifier."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

# Thread-count tests compare one thread with two, so numba must start with at least two,
# also on a one-core machine (numba then runs two threads on it). Set before numba loads.
if int(os.environ.get("NUMBA_NUM_THREADS", "0") or 0) < 2:
    os.environ["NUMBA_NUM_THREADS"] = "2"

import numpy as np
import pytest
from hypothesis import settings

# numba compiles each kernel on its first call, which no per-example deadline allows for.
settings.register_profile("connectome-motifs", deadline=None)
settings.load_profile("connectome-motifs")


def _man_code(a: np.ndarray, nodes: tuple[int, int, int]) -> str:
    """Return the MAN code of the triad induced by ``nodes``, from its definition.

    Written from Holland & Leinhardt's definitions, independently of the package's
    catalogue: digits count Mutual, Asymmetric and Null pairs; the letter says where
    the one-way edges point (Down: from a common node, Up: into one, Cyclic, Transitive).
    """
    sub = a[np.ix_(nodes, nodes)].astype(int)
    mutual = sum(sub[i, j] and sub[j, i] for i, j in ((0, 1), (0, 2), (1, 2)))
    asymmetric = sum(sub[i, j] != sub[j, i] for i, j in ((0, 1), (0, 2), (1, 2)))
    digits = f"{mutual}{asymmetric}{3 - mutual - asymmetric}"
    one_way = sub * (1 - sub.T)
    out_deg, in_deg = one_way.sum(axis=1), one_way.sum(axis=0)
    if digits in ("021", "120"):
        if out_deg.max() == 2:
            return digits + "D"
        if in_deg.max() == 2:
            return digits + "U"
        return digits + "C"
    if digits == "111":
        # The one-way edge points into the mutual pair (D) or out of it (U).
        sink = int(np.argmax(in_deg))
        in_mutual = any(sub[sink, j] and sub[j, sink] for j in range(3) if j != sink)
        return "111D" if in_mutual else "111U"
    if digits == "030":
        return "030C" if out_deg.max() == 1 and in_deg.max() == 1 else "030T"
    return digits


@pytest.fixture(scope="session")
def man_code() -> Callable[[np.ndarray, tuple[int, int, int]], str]:
    """The brute-force classifier: ``man_code(adjacency, (i, j, k))`` -> MAN code."""
    return _man_code


@contextmanager
def _numba_threads(count: int) -> Iterator[None]:
    import numba

    previous = numba.get_num_threads()
    numba.set_num_threads(count)
    try:
        assert numba.get_num_threads() == count
        yield
    finally:
        numba.set_num_threads(previous)


@pytest.fixture
def on_threads() -> Callable[[int], AbstractContextManager[None]]:
    """``with on_threads(k):`` runs the block's numba kernels on exactly ``k`` threads.

    Fails, saying why, if numba was started with fewer threads than a test asks for.
    """
    import numba

    def run(count: int):
        if numba.config.NUMBA_NUM_THREADS < count:
            pytest.fail(f"numba was started with {numba.config.NUMBA_NUM_THREADS} thread(s) "
                        f"(NUMBA_NUM_THREADS), so {count} cannot be compared")
        return _numba_threads(count)

    return run
