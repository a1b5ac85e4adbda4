"""The simplex suite: directed simplex counts, ours vs pyflagser (flagser)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyflagser
from scipy import sparse

from benchmarks.measure import measure
from benchmarks.registry import OURS, Context, suite
from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs.simplices import simplex_counts

__all__ = ["run_simplex"]


def _adjacency(g: SynapseGraph) -> sparse.csr_matrix:
    pre, post = g.edges()
    return sparse.csr_matrix((np.ones(pre.size, dtype=bool), (pre, post)), shape=(g.n, g.n))


@suite("simplex", "directed simplex counts vs pyflagser flagser_count_unweighted")
def run_simplex(ctx: Context) -> list[dict[str, Any]]:
    """Return the records of our simplex counts and pyflagser's on the context's graph."""
    g = ctx.graph
    ours = measure(lambda: simplex_counts(g), ctx.repeats, max_seconds=ctx.max_seconds)
    counts = ours.result.tolist()
    records = [ctx.record("simplex", "simplex counts", OURS, ours,
                          check=counts[:2] == [g.n, g.n_edges][:len(counts)],
                          detail="dimension 0 = n, 1 = m; equality with pyflagser in its row")]
    adjacency = _adjacency(g)
    peer = measure(lambda: pyflagser.flagser_count_unweighted(adjacency, directed=True),
                   ctx.repeats, max_seconds=ctx.max_seconds)
    theirs = [int(c) for c in peer.result]
    records.append(ctx.record("simplex", "simplex counts", "pyflagser", peer,
                              check=theirs == counts,
                              detail="equal to ours" if theirs == counts else
                              f"differs: {theirs} vs {counts}"))
    return records
