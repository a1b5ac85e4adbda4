"""Census suites: dyad and triad census and per-node participation vs igraph and networkx."""

from __future__ import annotations

from dataclasses import replace
from math import comb
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

from benchmarks.measure import measure, triple_work
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import dyad_census, triad_census, triad_participation
from connectome_motifs.motifs.catalogue import TRIAD_NAMES

__all__ = ["plain_igraph", "plain_networkx", "run_dyad", "run_triad"]

# Seconds a second igraph method for the same census may take before it is extrapolated.
_SECOND_PEER_BUDGET = 30.0
# Seconds networkx's triad census may take before it is extrapolated from a subgraph.
_NETWORKX_BUDGET = 60.0
# Triads with a node unconnected to both others: motif counters (RAND-ESU) skip them.
_DISCONNECTED = ("003", "012", "102")


def plain_igraph(g: SynapseGraph) -> ig.Graph:
    """Return the graph as a directed igraph graph without attributes (fast to build)."""
    pre, post = g.edges()
    return ig.Graph(n=g.n, edges=np.column_stack([pre, post]), directed=True)


def plain_networkx(g: SynapseGraph) -> nx.DiGraph:
    """Return the graph as a networkx DiGraph without attributes."""
    pre, post = g.edges()
    h = nx.DiGraph()
    h.add_nodes_from(range(g.n))
    h.add_edges_from(zip(pre.tolist(), post.tolist(), strict=True))
    return h


def _isoclass_names() -> dict[int, str]:
    # igraph numbers the 16 directed 3-node classes its own way; networkx names each.
    names = {}
    for cls in range(16):
        h = ig.Graph.Isoclass(3, cls, directed=True)
        triad = nx.empty_graph(3, create_using=nx.DiGraph)
        triad.add_edges_from(h.get_edgelist())
        names[cls] = nx.triad_type(triad)
    return names


def _same_census(counts: dict[str, int], g: SynapseGraph, names=TRIAD_NAMES) -> tuple[bool, str]:
    ours = triad_census(g)
    bad = [t for t in names if int(counts[t]) != int(ours[t])]
    return not bad, "equal to ours" if not bad else f"differs in {bad}"


@suite("dyad", "dyad census (mutual, asymmetric, null pairs) vs igraph dyad_census")
def run_dyad(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of our dyad census and igraph's on the context's graph."""
    g = ctx.graph
    ours = measure(lambda: dyad_census(g), ctx.repeats, max_seconds=ctx.max_seconds)
    census = ours.result
    ok = (int(census.sum()) == comb(g.n, 2)
          and 2 * int(census["mutual"]) + int(census["asymmetric"]) == g.n_edges)
    records = [ctx.record("dyad", "dyad census", OURS, ours, check=ok,
                          detail="pairs sum to C(n, 2); 2 mutual + asymmetric = m")]
    h = plain_igraph(g)
    peer = measure(h.dyad_census, ctx.repeats, max_seconds=ctx.max_seconds)
    mutual, asymmetric, null = peer.result
    equal = [null, asymmetric, mutual] == [int(census[k]) for k in ("null", "asymmetric",
                                                                     "mutual")]
    records.append(ctx.record("dyad", "dyad census", "igraph", peer, check=equal,
                              detail="equal to ours" if equal else "differs from ours"))
    return records


@suite("triad", "triad census vs igraph triad_census / motifs_randesu and networkx "
                "triadic_census; per-node participation")
def run_triad(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of the triad census (ours and peers) and of our participation."""
    g = ctx.graph
    ours = measure(lambda: triad_census(g), ctx.repeats, max_seconds=ctx.max_seconds)
    census = ours.result
    total = int(census.sum())
    records = [ctx.record("triad", "triad census", OURS, ours, check=total == comb(g.n, 3),
                          detail="counts sum to C(n, 3); equality with peers in their rows")]
    part = measure(lambda: triad_participation(g), ctx.repeats, max_seconds=ctx.max_seconds)
    sums = part.result.sum(axis=0)
    # Each triad has three nodes, so summing node participations counts it three times.
    ok = all(int(sums[t]) == 3 * int(census[t]) for t in TRIAD_NAMES)
    records.append(ctx.record(
        "triad", "participation", OURS, part, check=ok,
        detail="node sums = 3 x census", note=f"{part.median / ours.median:.2f}x our census"))

    records.append(ctx.budgeted_on_subgraph(
        "triad", "triad census", "igraph", plain_igraph, lambda h: h.triad_census(),
        lambda r, sub: _same_census({t: r[t] for t in TRIAD_NAMES}, sub), triple_work, 3))
    names = _isoclass_names()

    def randesu_counts(result: list[float]) -> dict[str, int]:
        return {names[cls]: int(c) for cls, c in enumerate(result) if names[cls]
                not in _DISCONNECTED}

    connected = [t for t in TRIAD_NAMES if t not in _DISCONNECTED]
    # A second igraph census, for the connected classes only: it gets a smaller budget, so
    # that on the largest graphs its minutes go to the main peers.
    second = replace(ctx, peer_budget=min(ctx.peer_budget, _SECOND_PEER_BUDGET))
    records.append(second.budgeted_on_subgraph(
        "triad", "triad census", "igraph motifs_randesu", plain_igraph,
        lambda h: h.motifs_randesu(size=3),
        lambda r, sub: _same_census(randesu_counts(r), sub, connected), triple_work, 3))
    records[-1]["note"] = ("connected classes only; " + records[-1]["note"]).rstrip("; ")
    # networkx needs minutes at the 10k scale: its own budget keeps the run within half an hour.
    limited = replace(ctx, peer_budget=min(ctx.peer_budget, _NETWORKX_BUDGET))
    records.append(limited.budgeted_on_subgraph(
        "triad", "triad census", "networkx", plain_networkx, nx.triadic_census,
        _same_census, triple_work, 3))
    return records
