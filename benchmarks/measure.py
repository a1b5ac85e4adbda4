"""Measuring utilities shared by the suites: timing, peak memory, subgraphs, machine info."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from connectome_motifs.graphs import SynapseGraph

__all__ = [
    "Timing",
    "dumps",
    "induced_subgraph",
    "machine_info",
    "measure",
    "triple_work",
    "use_fixed_mmap_threshold",
]

_LIBRARIES = ("numpy", "scipy", "numba", "pandas", "pyarrow", "igraph", "networkx", "networkit",
              "matplotlib")


@dataclass(frozen=True)
class Timing:
    """Wall times of repeated calls of one function, with its peak memory and last result.

    Attributes
    ----------
    median, low, high : float
        Median, fastest and slowest of the timed runs, in seconds.
    runs : int
        Timed runs (the warm-up call is not one of them).
    peak_mib : float or None
        Peak resident memory of the first timed run above the memory before it, MiB
        (None where ``/proc`` cannot reset the peak).
    warmup : float or None
        Seconds of the excluded warm-up call (None without warm-up).
    result : Any
        What the last call returned.
    """

    median: float
    low: float
    high: float
    runs: int
    peak_mib: float | None
    warmup: float | None
    result: Any


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def use_fixed_mmap_threshold() -> None:
    """Make glibc map and unmap every allocation above 64 KiB (no-op elsewhere).

    glibc raises its mmap threshold after large frees and then serves big arrays from a
    heap that keeps freed pages resident, which hides later peaks; a fixed threshold
    (``M_MMAP_THRESHOLD`` = -3) keeps per-call peaks honest.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(-3, 65536)


def _reset_peak() -> int | None:
    # Writing 5 to clear_refs resets VmHWM (Linux), so each call's peak is its own.
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return None
    return _status_kib("VmRSS")


def measure(
    fn: Callable[[], Any],
    repeats: int = 3,
    *,
    warmup: bool = True,
    max_seconds: float = 30.0,
    setup: Callable[[], Any] | None = None,
) -> Timing:
    """Return the timing of ``fn``: median and range of up to ``repeats`` runs after a warm-up.

    Parameters
    ----------
    fn : callable
        Called without arguments, or with the value of ``setup()`` when ``setup`` is given.
    repeats : int
        Timed runs wanted (at least one is always made).
    warmup : bool
        Make one untimed call first (JIT compilation, caches, lazy imports).
    max_seconds : float
        Stop repeating once the timed runs together took this long.
    setup : callable, optional
        Called untimed before every call (e.g. a fresh copy for an in-place algorithm).

    Returns
    -------
    Timing

    Notes
    -----
    Peak memory is read from ``VmHWM`` after resetting it, for the first timed run only.
    """
    def call() -> Any:
        return fn(setup()) if setup is not None else fn()

    warm = None
    if warmup:
        t0 = time.perf_counter()
        call()
        warm = time.perf_counter() - t0
    times: list[float] = []
    peak = None
    result = None
    while len(times) < max(repeats, 1):
        args = setup() if setup is not None else None
        start_rss = _reset_peak() if not times else None
        t0 = time.perf_counter()
        result = fn(args) if setup is not None else fn()
        times.append(time.perf_counter() - t0)
        if start_rss is not None:
            hwm = _status_kib("VmHWM")
            peak = None if hwm is None else max(hwm - start_rss, 0) / 1024
        del args
        if sum(times) > max_seconds:
            break
    return Timing(statistics.median(times), min(times), max(times), len(times), peak, warm,
                  result)


def triple_work(g: SynapseGraph) -> int:
    """Return ``Σ_v d(v)²`` over undirected degrees: the connected triples a census visits.

    Examples
    --------
    >>> triple_work(SynapseGraph.from_edges([0, 1, 1], [1, 0, 2], n=3))
    6
    """
    pre, post = g.edges()
    low = np.minimum(pre, post)
    high = np.maximum(pre, post)
    pairs = np.unique(low * g.n + high)
    degree = np.bincount(np.concatenate([pairs // g.n, pairs % g.n]), minlength=g.n)
    return int((degree.astype(np.int64) ** 2).sum())


def induced_subgraph(g: SynapseGraph, fraction: float, seed: int = 0) -> SynapseGraph:
    """Return the subgraph induced by a random ``fraction`` of the nodes (seeded)."""
    return g.subgraph(np.random.default_rng(seed).random(g.n) < fraction)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        return None
    return None


def _git_commit(folder: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return None
    return out.stdout.strip() or None


def machine_info() -> dict[str, Any]:
    """Return the CPU, core count, memory, OS, Python, library versions, commit and load.

    Examples
    --------
    >>> sorted(machine_info())[:3]
    ['commit', 'cores', 'cpu']
    """
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": _git_commit(Path(__file__).resolve().parent.parent),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def dumps(obj: Any) -> str:
    """Return ``obj`` as JSON, with NumPy scalars turned into Python numbers."""
    def default(x: Any) -> Any:
        if isinstance(x, np.generic):
            return x.item()
        raise TypeError(f"not JSON serialisable: {type(x).__name__}")

    return json.dumps(obj, default=default, indent=1)
