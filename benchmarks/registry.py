"""The registry of benchmark suites, the context a suite runs in, and its result records."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.measure import Timing, induced_subgraph, measure
from connectome_motifs.graphs import SynapseGraph

__all__ = ["OURS", "SUITES", "Context", "Suite", "load_suites", "suite"]

#: The tool name of this package in every record.
OURS = "ours"

# Modules of the package that hold machinery, not suites.
_MACHINERY = {"__main__", "generators", "harness", "measure", "registry", "report", "worker"}

# A peer is first timed on an induced subgraph with about this much work.
_PROBE_FRACTION_WORK = 2_000_000


@dataclass(frozen=True)
class Suite:
    """One benchmark suite: what it measures and the function that measures it.

    Attributes
    ----------
    name : str
        Name on the command line (``--suites``).
    description : str
        One line for ``--help`` and the report.
    run : callable
        ``run(context) -> list of record dicts`` (see :meth:`Context.record`).
    once : bool
        Run once per harness run (on the smallest selected graph) instead of per graph.
    fresh_numba_cache : bool
        Run with an empty ``NUMBA_CACHE_DIR`` so first calls compile.
    """

    name: str
    description: str
    run: Callable[[Context], list[dict[str, Any]]]
    once: bool = False
    fresh_numba_cache: bool = False


#: Registered suites, name -> Suite, in registration order.
SUITES: dict[str, Suite] = {}


def suite(name: str, description: str, *, once: bool = False,
          fresh_numba_cache: bool = False) -> Callable:
    """Return a decorator registering ``run(context)`` as the suite ``name``.

    A module in the ``benchmarks`` package that registers suites with it is found by
    :func:`load_suites`, so a new suite needs no change to the harness.

    Examples
    --------
    >>> @suite("example", "an example suite")
    ... def run(context):
    ...     return []
    >>> SUITES.pop("example").description
    'an example suite'
    """
    def register(run: Callable[[Context], list[dict[str, Any]]]) -> Callable:
        if name in SUITES and SUITES[name].run is not run:
            raise ValueError(f"a suite named {name!r} is already registered")
        SUITES[name] = Suite(name, description, run, once, fresh_numba_cache)
        return run

    return register


def load_suites() -> tuple[dict[str, Suite], dict[str, str]]:
    """Return the registered suites after importing every suite module of the package.

    Returns
    -------
    suites : dict
        Name -> :class:`Suite`.
    failures : dict
        Module -> the error that kept it from importing (e.g. a missing optional
        dependency); such a module's suites are left out, not fatal.
    """
    import benchmarks

    failures = {}
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name in _MACHINERY or info.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"benchmarks.{info.name}")
        except ImportError as error:
            failures[info.name] = f"{type(error).__name__}: {error}"
    return dict(SUITES), failures


@dataclass
class Context:
    """What a suite needs to measure one graph: the graph, its files and the settings.

    Attributes
    ----------
    graph : SynapseGraph
    name, scale : str
        The graph's catalogue name and scale.
    repeats : int
        Timed runs per measurement (median reported).
    threads : int
        Threads for our kernels and for peers that can use them.
    peer_budget : float
        Seconds a peer may take for one run; beyond it (estimated first on a part of
        the work) the peer is timed on a part and extrapolated, and the record says so.
    max_seconds : float
        Stop repeating a measurement once its runs took this long.
    files : dict of str -> Path
        ``parquet`` (edge table of ids) and ``npz`` (binary graph) of this graph.
    samples : int
        Samples of an ensemble at this scale.
    """

    graph: SynapseGraph
    name: str
    scale: str
    repeats: int = 3
    threads: int = 1
    peer_budget: float = 120.0
    max_seconds: float = 15.0
    files: dict[str, Path] = field(default_factory=dict)
    samples: int = 1000

    def record(
        self,
        suite: str,
        task: str,
        tool: str,
        timing: Timing | None = None,
        *,
        seconds: float | None = None,
        check: bool | None = None,
        detail: str = "",
        work: float | None = None,
        unit: str = "",
        extrapolated: bool = False,
        comparable: bool = True,
        note: str = "",
    ) -> dict[str, Any]:
        """Return one result record (a flat dict: one row of the CSV).

        ``check`` is whether the result was verified (equal to a peer's, or an
        invariant held), None when nothing could be checked; ``comparable`` says
        whether the record's time may be divided by ours for a ratio.
        """
        return {
            "suite": suite, "task": task, "graph": self.name, "scale": self.scale,
            "n": self.graph.n, "m": self.graph.n_edges, "tool": tool,
            "seconds": timing.median if timing is not None else seconds,
            "seconds_min": timing.low if timing is not None else None,
            "seconds_max": timing.high if timing is not None else None,
            "runs": timing.runs if timing is not None else 0,
            "warmup_seconds": timing.warmup if timing is not None else None,
            "peak_mib": timing.peak_mib if timing is not None else None,
            "threads": self.threads if tool == OURS else None,
            "work": work, "unit": unit, "check": check, "check_detail": detail,
            "extrapolated": extrapolated, "comparable": comparable, "note": note,
        }

    def budgeted_on_subgraph(
        self,
        suite: str,
        task: str,
        tool: str,
        prepare: Callable[[SynapseGraph], Any],
        call: Callable[[Any], Any],
        check: Callable[[Any, SynapseGraph], tuple[bool, str]],
        work: Callable[[SynapseGraph], float],
        exponent: float,
        probe_work: float = _PROBE_FRACTION_WORK,
        max_work: float = float("inf"),
    ) -> dict[str, Any]:
        """Return the record of a peer, timed on the whole graph if it fits the budget.

        When ``work(graph)`` is large, the peer first runs once on an induced subgraph
        of a fraction ``f`` of the nodes (``work`` scales about as ``f ** exponent``)
        and its time is scaled by the work ratio to estimate the whole run. Within
        ``peer_budget`` the whole graph is timed; otherwise the estimate is reported
        as extrapolated, with the result checked on the subgraph; also beyond
        ``max_work``, for peers whose cost grows faster than ``work`` says. Preparing
        (format conversion) is never timed.
        """
        g = self.graph
        total = work(g)
        estimate = 0.0
        if total > probe_work:
            sub = induced_subgraph(g, (probe_work / total) ** (1 / exponent))
            prepared = prepare(sub)
            probe = measure(lambda: call(prepared), 1, warmup=False)
            ratio = total / max(work(sub), 1)
            estimate = probe.median * ratio
            if estimate > self.peer_budget or total > max_work:
                ok, detail = check(probe.result, sub)
                note = (f"extrapolated: {probe.median:.3g} s on an induced subgraph of "
                        f"{sub.n:,} nodes / {sub.n_edges:,} edges, x {ratio:.3g} (work ratio)")
                return self.record(suite, task, tool, seconds=estimate, check=ok,
                                   detail=f"on the subgraph: {detail}", extrapolated=True,
                                   note=note)
        obj = prepare(g)
        timing = measure(lambda: call(obj), self.repeats if estimate < self.max_seconds else 1,
                         warmup=estimate < 1.0, max_seconds=self.max_seconds)
        ok, detail = check(timing.result, g)
        return self.record(suite, task, tool, timing, check=ok, detail=detail)

    def budgeted_by_units(
        self,
        suite: str,
        task: str,
        tool: str,
        total: int,
        run: Callable[[int], Any],
        check: Callable[[Any], tuple[bool, str]],
        unit: str,
        setup: Callable[[], Any] | None = None,
        probe: int = 1,
    ) -> dict[str, Any]:
        """Return the record of a peer doing ``total`` units of work (e.g. swap attempts).

        ``run(k)`` (or ``run(k, setup())``) does ``k`` units; its cost is taken as a fixed
        part (a call's setup, such as building adjacency lists) plus a part linear in
        ``k``. ``probe`` units are timed first; if ``total`` units would then exceed
        ``peer_budget``, ten times as many are timed to separate the two parts. Within the
        budget the peer does all ``total`` units; otherwise it does as many as fit and
        the rest is extrapolated at the marginal cost per unit (reported as extrapolated).
        """
        def timed(k: int, repeats: int, warmup: bool):
            if setup is None:
                return measure(lambda: run(k), repeats, warmup=warmup,
                               max_seconds=self.max_seconds)
            return measure(lambda state: run(k, state), repeats, warmup=warmup,
                           max_seconds=self.max_seconds, setup=setup)

        k1 = min(probe, total)
        t1 = timed(k1, 1, False).median
        per_unit, fixed = t1 / max(k1, 1), 0.0
        if per_unit * total > self.peer_budget and 10 * k1 < total:
            t2 = timed(10 * k1, 1, False).median
            per_unit = max((t2 - t1) / (9 * k1), 1e-12)
            fixed = max(t1 - per_unit * k1, 0.0)
        estimate = fixed + per_unit * total
        k = max(int((self.peer_budget / 4 - fixed) / per_unit), 10 * k1)
        if estimate <= self.peer_budget or k >= total:
            timing = timed(total, self.repeats if estimate < self.max_seconds else 1,
                           estimate < 1.0)
            ok, detail = check(timing.result)
            return self.record(suite, task, tool, timing, check=ok, detail=detail, work=total,
                               unit=unit)
        timing = timed(k, 1, False)
        ok, detail = check(timing.result)
        # The marginal cost between the probe and this run, for the units not done.
        marginal = max((timing.median - t1) / (k - k1), 0.0) if k > k1 else per_unit
        seconds = timing.median + marginal * (total - k)
        note = (f"extrapolated: {timing.median:.3g} s for {k:,} {unit}, then "
                f"{marginal:.3g} s per further unit (the marginal cost above {k1:,})")
        return self.record(suite, task, tool, seconds=seconds, check=ok,
                           detail=detail, work=total, unit=unit, extrapolated=True, note=note)
