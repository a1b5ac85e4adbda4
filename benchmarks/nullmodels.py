"""Null-model suites: edge-swap throughput, one sample of each model, and a CFG census ensemble."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from math import comb, sqrt
from typing import Any

import igraph as ig
import networkit as nk
import networkx as nx
import numpy as np

from benchmarks.census import plain_igraph, plain_networkx
from benchmarks.measure import induced_subgraph, measure, triple_work
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import triad_census
from connectome_motifs.nullmodels import (
    ConfigurationModel,
    ErdosRenyi,
    ProximityModel,
    ReciprocalConfigurationModel,
    ReciprocalErdosRenyi,
    ensemble,
)
from connectome_motifs.nullmodels.chains import chain_lengths

__all__ = ["networkit_graph", "run_ensemble", "run_sampling", "run_swaps"]

# networkx swaps run on an induced subgraph of about this many edges (its per-attempt
# cost is Python overhead, nearly independent of the graph's size).
_NETWORKX_EDGES = 150_000
# Seconds networkx's swaps may take before they are extrapolated from fewer attempts.
_NETWORKX_SWAP_BUDGET = 30.0
# igraph's directed degree-sequence realisation grows faster than m (a list sort per
# step): it is probed on a subgraph of about this many edges, and never run whole above
# _DEGREE_SEQUENCE_EDGES (the extrapolation by m is then a lower bound).
_DEGREE_SEQUENCE_PROBE = 100_000
_DEGREE_SEQUENCE_EDGES = 1_000_000
# Above this many edges igraph's ensemble time is composed from estimates of its parts.
_ENSEMBLE_PEER_EDGES = 1_000_000


def _degrees_kept(out_degree, in_degree, g: SynapseGraph) -> tuple[bool, str]:
    ok = (np.array_equal(np.asarray(out_degree), g.out_degree)
          and np.array_equal(np.asarray(in_degree), g.in_degree))
    return ok, "in/out degrees kept" if ok else "degrees changed"


def _within(observed: float, expected: float, what: str) -> tuple[bool, str]:
    # 6 standard deviations of a Poisson count, doubled for reciprocal pairs moving together.
    tolerance = 6 * sqrt(2 * max(expected, 1.0)) + 1
    ok = abs(observed - expected) <= tolerance
    return ok, f"{what} {observed:,.0f} vs expected {expected:,.0f} (tolerance {tolerance:,.0f})"


def networkit_graph(g: SynapseGraph) -> nk.Graph:
    """Return ``g`` as a directed NetworKit graph (the same edges, node ids 0..n-1)."""
    pre, post = g.edges()
    h = nk.Graph(g.n, directed=True)
    h.addEdges((pre.astype(np.uint64), post.astype(np.uint64)))
    return h


def _networkit_check(h: nk.Graph, g: SynapseGraph) -> tuple[bool, str]:
    a = nk.algebraic.adjacencyMatrix(h, matrixType="sparse").tocsr()
    simple = (h.isDirected() and h.numberOfSelfLoops() == 0
              and (a.nnz == 0 or a.data.max() == 1))
    ok, detail = _degrees_kept(np.asarray(a.sum(axis=1)).ravel(),
                               np.asarray(a.sum(axis=0)).ravel(), g)
    return ok and simple and a.nnz == g.n_edges, detail + ("; simple, directed" if simple
                                                           else "; not simple or undirected")


@suite("swaps", "degree-preserving edge swaps, same attempts per tool: CFG chain vs igraph "
                "rewire, NetworKit EdgeSwitching / GlobalCurveball, networkx directed_edge_swap")
def run_swaps(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of ``m`` swap attempts by each tool on the context's graph."""
    g = ctx.graph
    m = g.n_edges
    unit = "swap attempts"
    model = ConfigurationModel(burn_in=m).fit(g)
    rounds = -(-m // max(model.round_steps_, 1))
    ours = measure(lambda: model.sample(0), ctx.repeats, max_seconds=ctx.max_seconds)
    ok, detail = _degrees_kept(ours.result.out_degree, ours.result.in_degree, g)
    records = [ctx.record("swaps", "edge swaps", OURS, ours, check=ok, work=m, unit=unit,
                          detail=detail + "; simple (checked by SynapseGraph)",
                          note="ConfigurationModel(burn_in=m).sample, global switching: "
                               f"{rounds} rounds of {model.round_steps_:,} steps + copy + "
                               "row sort")]
    single = ConfigurationModel(burn_in=m, switching="single").fit(g)
    timing = measure(lambda: single.sample(0), ctx.repeats, max_seconds=ctx.max_seconds)
    ok, detail = _degrees_kept(timing.result.out_degree, timing.result.in_degree, g)
    records.append(ctx.record("swaps", "edge swaps", f"{OURS} (single swaps)", timing,
                              check=ok, work=m, unit=unit,
                              detail=detail + "; simple (checked by SynapseGraph)",
                              note="ConfigurationModel(burn_in=m, switching='single').sample"))
    for switching in ("global", "single"):
        reciprocal = ReciprocalConfigurationModel(burn_in=m, switching=switching).fit(g)
        timing = measure(partial(reciprocal.sample, 0), ctx.repeats,
                         max_seconds=ctx.max_seconds)
        ok, detail = _degrees_kept(timing.result.out_degree, timing.result.in_degree, g)
        kept = timing.result.n_reciprocal_pairs == g.n_reciprocal_pairs
        how = (f"global switching, {-(-m // max(reciprocal.round_steps_, 1))} rounds of "
               f"{reciprocal.round_steps_:,} steps" if switching == "global"
               else "single swaps")
        records.append(ctx.record(
            "swaps", "edge swaps", f"{OURS} (gCFG, {switching})", timing,
            check=ok and kept, work=m, unit=unit,
            detail=detail + ("; reciprocal pairs kept" if kept else "; reciprocal pairs changed"),
            note=f"ReciprocalConfigurationModel(burn_in=m, switching={switching!r}).sample: "
                 f"{how} that also keep the reciprocal pairs, and pair moves"))

    h = plain_igraph(g)

    def igraph_rewire(k: int, copy: ig.Graph) -> ig.Graph:
        # Positional: the keyword is mode= before igraph 1.0, allowed_edge_types= since.
        copy.rewire(k, "simple")
        return copy

    def igraph_check(r: ig.Graph) -> tuple[bool, str]:
        ok, detail = _degrees_kept(r.outdegree(), r.indegree(), g)
        return ok and r.is_simple(), detail + ("; simple" if r.is_simple() else "; not simple")

    records.append(ctx.budgeted_by_units("swaps", "edge swaps", "igraph", m, igraph_rewire,
                                         igraph_check, unit, setup=h.copy, probe=10_000))
    del h

    k_nk = networkit_graph(g)

    def copy_nk() -> nk.Graph:
        return nk.Graph(k_nk, weighted=False, directed=True)

    def edge_switching(k: int, copy: nk.Graph) -> nk.Graph:
        nk.randomization.EdgeSwitchingInPlace(copy, k / max(m, 1)).run()
        return copy

    records.append(ctx.budgeted_by_units(
        "swaps", "edge swaps", "NetworKit EdgeSwitching", m, edge_switching,
        lambda r: _networkit_check(r, g), unit, setup=copy_nk, probe=10_000))

    def curveball(copy: nk.Graph) -> nk.Graph:
        run = nk.randomization.GlobalCurveball(copy, number_of_global_rounds=1,
                                               allowSelfLoops=False,
                                               degreePreservingShufflePreprocessing=False)
        run.run()
        return run.getGraph()

    timing = measure(curveball, ctx.repeats, warmup=False, max_seconds=ctx.max_seconds,
                     setup=copy_nk)
    ok, detail = _networkit_check(timing.result, g)
    records.append(ctx.record("swaps", "edge swaps", "NetworKit GlobalCurveball", timing,
                              check=ok, detail=detail, work=1, unit="global trade round",
                              comparable=False,
                              note="one global round (every node trades once): not swaps"))

    sub = g if m <= _NETWORKX_EDGES else induced_subgraph(g, sqrt(_NETWORKX_EDGES / m))
    x = plain_networkx(sub)

    def networkx_swaps(k: int) -> nx.DiGraph:
        try:
            nx.directed_edge_swap(x, nswap=k, max_tries=k, seed=0)
        except nx.NetworkXAlgorithmError:
            pass  # the attempts ran out before k swaps succeeded: exactly k attempts made
        return x

    def networkx_check(r: nx.DiGraph) -> tuple[bool, str]:
        out = [d for _, d in sorted(r.out_degree())]
        inn = [d for _, d in sorted(r.in_degree())]
        return _degrees_kept(out, inn, sub)

    # Its cost per attempt is known well from part of the attempts: a smaller budget.
    short = replace(ctx, peer_budget=min(ctx.peer_budget, _NETWORKX_SWAP_BUDGET))
    record = short.budgeted_by_units("swaps", "edge swaps", "networkx", m, networkx_swaps,
                                     networkx_check, unit, probe=2_000)
    if sub is not g:
        record["note"] = (f"on an induced subgraph of {sub.n:,} nodes / {sub.n_edges:,} edges; "
                          + record["note"])
    record["note"] = ("3-edge swaps; " + record["note"]).rstrip("; ")
    records.append(record)
    return records


@suite("sampling", "one sample of each null model (ER, gER, CFG, PM) vs igraph Erdos_Renyi "
                   "and Degree_Sequence, networkx gnm_random_graph")
def run_sampling(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of sampling each model once (fit not timed) and of the peers."""
    g = ctx.graph
    n, m = g.n, g.n_edges
    pairs = n * (n - 1)
    records = []

    er = ErdosRenyi().fit(g)
    t = measure(lambda: er.sample(0), ctx.repeats, max_seconds=ctx.max_seconds)
    ok, detail = _within(t.result.n_edges, pairs * er.p_, "edges")
    records.append(ctx.record("sampling", "ER", OURS, t, check=ok and t.result.n == n,
                              detail=detail, note="G(n, p), p = m / n(n-1)"))
    t = measure(lambda: ig.Graph.Erdos_Renyi(n=n, m=m, directed=True), ctx.repeats,
                max_seconds=ctx.max_seconds)
    ok = t.result.ecount() == m and t.result.is_simple()
    records.append(ctx.record("sampling", "ER", "igraph", t, check=ok,
                              detail=f"{t.result.ecount():,} edges, simple", note="G(n, m)"))
    records.append(ctx.budgeted_by_units(
        "sampling", "ER", "networkx", m,
        lambda k: nx.gnm_random_graph(n, k, directed=True, seed=0),
        lambda r: (nx.number_of_selfloops(r) == 0, f"{r.number_of_edges():,} edges, no loops"),
        "edges", probe=min(m, 20_000)))
    records[-1]["note"] = ("G(n, m); " + records[-1]["note"]).rstrip("; ")

    ger = ReciprocalErdosRenyi().fit(g)
    t = measure(lambda: ger.sample(0), ctx.repeats, max_seconds=ctx.max_seconds)
    ok, detail = _within(t.result.n_reciprocal_pairs, pairs / 2 * ger.p_reciprocal_,
                         "reciprocal pairs")
    records.append(ctx.record("sampling", "gER", OURS, t, check=ok, detail=detail,
                              note="no peer samples reciprocity-preserving ER"))

    cfg = ConfigurationModel().fit(g)
    t = measure(lambda: cfg.sample(0), ctx.repeats, max_seconds=ctx.max_seconds)
    ok, detail = _degrees_kept(t.result.out_degree, t.result.in_degree, g)
    records.append(ctx.record("sampling", "CFG", OURS, t, check=ok, detail=detail,
                              note="10 m swap attempts"))

    def degree_sequence(sub: SynapseGraph) -> ig.Graph:
        return ig.Graph.Degree_Sequence(sub.out_degree.tolist(), sub.in_degree.tolist(),
                                        method="edge_switching_simple")

    records.append(ctx.budgeted_on_subgraph(
        "sampling", "CFG", "igraph", lambda sub: sub, degree_sequence,
        lambda r, sub: _degrees_kept(r.outdegree(), r.indegree(), sub),
        lambda sub: sub.n_edges, 2, _DEGREE_SEQUENCE_PROBE, _DEGREE_SEQUENCE_EDGES))
    records[-1]["note"] = ("Degree_Sequence edge_switching_simple (10 m rewires); "
                           + records[-1]["note"]).rstrip("; ")
    if records[-1]["extrapolated"]:
        records[-1]["note"] += "; a lower bound (the realisation step is superlinear in m)"

    if g.positions is None:
        return records
    pm = ProximityModel().fit(g)
    _, one_way_pairs, reciprocal_pairs = pm.expected_pair_states()
    expected = one_way_pairs + 2 * reciprocal_pairs
    t = measure(lambda: pm.sample(0), ctx.repeats, max_seconds=ctx.max_seconds)
    ok, detail = _within(t.result.n_edges, expected, "edges")
    records.append(ctx.record("sampling", "PM", OURS, t, check=ok, detail=detail,
                              note="no peer samples a distance-dependent model"))
    return records


@suite("ensemble", "N CFG samples x triad census (all threads) vs igraph Degree_Sequence + "
                   "triad_census per sample")
def run_ensemble(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of a CFG ensemble of triad censuses, ours and igraph's."""
    g = ctx.graph
    n_samples = ctx.samples
    total = comb(g.n, 3)
    model = ConfigurationModel().fit(g)

    def ours_run():
        return ensemble(model, triad_census, n_samples, seed=0, executor=ctx.threads,
                        progress=False, diagnostics=False)

    t = measure(ours_run, ctx.repeats, max_seconds=ctx.max_seconds)
    rows = t.result.samples
    params = t.result.params
    # Chain 0 (from child 0 of the seed) gives the first rows.
    first_chain = model.chain(np.random.SeedSequence(0).spawn(1)[0],
                              min(3, n_samples, chain_lengths(n_samples, params.n_chains)[0]),
                              params.spacing, params.burn_in)
    ok = bool((rows.sum(axis=1) == total).all()) and all(
        _degrees_kept(s.out_degree, s.in_degree, g)[0]
        and triad_census(s).tolist() == rows.iloc[k].tolist()
        for k, s in enumerate(first_chain))
    records = [ctx.record("ensemble", "CFG x triad census", OURS, t, check=ok, work=n_samples,
                          unit="samples",
                          detail="rows sum to C(n, 3); first samples keep degrees, rows match",
                          note=(f"{params.n_chains} chains, burn-in {params.burn_in:,} and "
                                f"spacing {params.spacing:,} steps from a pilot chain (timed "
                                "with them)"))]

    if g.n_edges > _ENSEMBLE_PEER_EDGES:
        records.append(_composed_igraph_ensemble(ctx, n_samples))
        return records
    out, inn = g.out_degree.tolist(), g.in_degree.tolist()

    def igraph_samples(k: int) -> bool:
        good = True
        for _ in range(k):
            h = ig.Graph.Degree_Sequence(out, inn, method="edge_switching_simple")
            census = h.triad_census()
            good &= sum(census) == total and h.outdegree() == out and h.indegree() == inn
        return good

    records.append(ctx.budgeted_by_units(
        "ensemble", "CFG x triad census", "igraph", n_samples, igraph_samples,
        lambda good: (good, "every sample keeps degrees, census sums to C(n, 3)"), "samples",
        probe=1))
    records[-1]["note"] = ("one thread; " + records[-1]["note"]).rstrip("; ")
    return records


def _composed_igraph_ensemble(ctx: Context, n_samples: int) -> dict[str, Any]:
    # One igraph sample of a large graph takes minutes: estimate its two parts on induced
    # subgraphs (Degree_Sequence scales with m, the census with the connected triples).
    quick = replace(ctx, peer_budget=min(ctx.peer_budget, 10.0), repeats=1)
    sample = quick.budgeted_on_subgraph(
        "ensemble", "sample", "igraph", lambda sub: sub,
        lambda sub: ig.Graph.Degree_Sequence(sub.out_degree.tolist(), sub.in_degree.tolist(),
                                             method="edge_switching_simple"),
        lambda r, sub: _degrees_kept(r.outdegree(), r.indegree(), sub),
        lambda sub: sub.n_edges, 2, _DEGREE_SEQUENCE_PROBE, _DEGREE_SEQUENCE_EDGES)
    census = quick.budgeted_on_subgraph(
        "ensemble", "census", "igraph", plain_igraph, lambda h: h.triad_census(),
        lambda r, sub: (sum(r) == comb(sub.n, 3), "census sums to C(n, 3)"), triple_work, 3)
    seconds = n_samples * (sample["seconds"] + census["seconds"])
    return ctx.record(
        "ensemble", "CFG x triad census", "igraph", seconds=seconds,
        check=bool(sample["check"] and census["check"]),
        detail=f"{sample['check_detail']}; {census['check_detail']}", work=n_samples,
        unit="samples", extrapolated=True,
        note=(f"one thread; {n_samples} x (Degree_Sequence {sample['seconds']:.3g} s + "
              f"triad_census {census['seconds']:.3g} s), each estimated as in its own suite"))
