"""The 4-cell census suite: ours vs igraph motifs_randesu(size=4)."""

from __future__ import annotations

from math import comb
from typing import Any

import numpy as np

from benchmarks.census import plain_igraph
from benchmarks.measure import measure
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.quad_catalogue import QUADS
from connectome_motifs.motifs.quad_census import quad_census

__all__ = ["quad_work", "run_quad"]

_CONNECTED = [q.isoclass for q in QUADS if q.connected]


def quad_work(g: SynapseGraph) -> int:
    """Return ``Σ_v d(v)³`` over undirected degrees, the scale of the connected 4-sets.

    Examples
    --------
    >>> quad_work(SynapseGraph.from_edges([0, 0, 0], [1, 2, 3]))
    30
    """
    pre, post = g.edges()
    pairs = np.unique(np.minimum(pre, post) * g.n + np.maximum(pre, post))
    degree = np.bincount(np.concatenate([pairs // g.n, pairs % g.n]), minlength=g.n)
    return int((degree.astype(np.int64) ** 3).sum())


@suite("quad", "4-cell census (218 classes) vs igraph motifs_randesu(size=4)")
def run_quad(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of our 4-cell census and igraph's RAND-ESU on the context's graph."""
    g = ctx.graph
    ours = measure(lambda: quad_census(g), ctx.repeats, max_seconds=ctx.max_seconds)
    records = [ctx.record("quad", "4-cell census", OURS, ours,
                          check=int(ours.result.sum()) == comb(g.n, 4),
                          detail="counts sum to C(n, 4); equality with igraph in its row")]

    def same(result: list[float], sub: SynapseGraph) -> tuple[bool, str]:
        census = quad_census(sub).to_numpy()
        bad = [k for k in _CONNECTED if int(result[k]) != int(census[k])]
        return not bad, "equal to ours (connected classes)" if not bad else f"differs in {bad}"

    records.append(ctx.budgeted_on_subgraph(
        "quad", "4-cell census", "igraph motifs_randesu", plain_igraph,
        lambda h: h.motifs_randesu(size=4, cut_prob=None), same, quad_work, 4))
    records[-1]["note"] = ("connected classes only; " + records[-1]["note"]).rstrip("; ")
    return records
