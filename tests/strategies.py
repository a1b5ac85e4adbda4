"""Hypothesis strategies for random simple directed graphs, shared by the test modules."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph

__all__ = ["adjacency_matrices", "synapse_graphs"]


def _from_matrix(adjacency: np.ndarray) -> SynapseGraph:
    pre, post = np.nonzero(adjacency)
    return SynapseGraph.from_edges(pre, post, n=adjacency.shape[0])


@st.composite
def _explicit(draw: st.DrawFn, max_nodes: int) -> np.ndarray:
    # Edges drawn one by one, so that hypothesis can shrink a failure to a minimal graph.
    n = draw(st.integers(0, max_nodes))
    a = np.zeros((n, n), dtype=bool)
    if n >= 2:
        pairs = draw(
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4 * n)
        )
        for u, v in pairs:
            if u != v:
                a[u, v] = True
    return a


@st.composite
def _modelled(draw: st.DrawFn, max_nodes: int) -> np.ndarray:
    # Seeded random models reach shapes that edge-by-edge drawing rarely does: dense
    # graphs, hubs with heavy-tailed degrees and many reciprocal pairs.
    n = draw(st.integers(0, max_nodes))
    kind = draw(st.sampled_from(["sparse", "dense", "heavy_tailed", "reciprocal", "complete"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "sparse":
        p = rng.uniform(0.0, 3.0 / max(n, 1))
        a = rng.random((n, n)) < p
    elif kind == "dense":
        a = rng.random((n, n)) < rng.uniform(0.3, 0.95)
    elif kind == "heavy_tailed":
        out_w = rng.lognormal(0.0, 1.5, n)
        in_w = rng.lognormal(0.0, 1.5, n)
        p = np.outer(out_w, in_w) * rng.uniform(0.5, 4.0) / max(out_w.sum(), 1e-12)
        a = rng.random((n, n)) < p
    elif kind == "reciprocal":
        a = rng.random((n, n)) < rng.uniform(0.05, 0.5)
        a |= a.T & (rng.random((n, n)) < rng.uniform(0.5, 1.0))
    else:
        a = rng.random((n, n)) < 1.0
    np.fill_diagonal(a, False)
    return a


def adjacency_matrices(max_nodes: int = 30) -> st.SearchStrategy[np.ndarray]:
    """Return a strategy of square boolean adjacency matrices with an empty diagonal.

    Mixes edge-by-edge graphs (good shrinking; including the empty graph and graphs
    of 0, 1 or 2 nodes) with seeded sparse, dense, heavy-tailed, reciprocity-rich and
    complete graphs.
    """
    return st.one_of(_explicit(max_nodes), _modelled(max_nodes))


def synapse_graphs(max_nodes: int = 30) -> st.SearchStrategy[SynapseGraph]:
    """Return a strategy of synapse graphs drawn as in :func:`adjacency_matrices`."""
    return adjacency_matrices(max_nodes).map(_from_matrix)
