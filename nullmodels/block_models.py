"""Stochastic block models (typed ER): connection probabilities per ordered pair of cell groups."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from connectome_motifs.graphs.groups import NodeGroups, node_groups
from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.pair_states import BlockPairStateProbabilities

__all__ = ["ReciprocalStochasticBlockModel", "StochasticBlockModel", "group_connections"]


def group_connections(graph: SynapseGraph, groups: NodeGroups) -> tuple[NDArray[np.int64], ...]:
    """Return the one-way and reciprocal connections between every ordered pair of groups.

    Returns
    -------
    edges : ndarray of int64, shape (K, K)
        ``edges[a, b]``: connections from a cell of group ``a`` to one of group ``b``.
    one_way : ndarray of int64, shape (K, K)
        Those whose reverse is absent.
    reciprocal : ndarray of int64, shape (K, K)
        Reciprocal pairs between groups ``a`` and ``b`` (symmetric; on the diagonal, the
        pairs within the group).
    ordered_pairs : ndarray of int64, shape (K, K)
        Ordered pairs of distinct cells, ``w_a w_b`` off the diagonal and ``w_a (w_a - 1)``
        on it, for group sizes ``w``.

    Notes
    -----
    O(n + m + K²).
    """
    k = groups.n_groups
    pre, post = graph.edges()
    source, target = groups.codes[pre].astype(np.int64), groups.codes[post].astype(np.int64)
    mutual = graph.reciprocal_mask

    def matrix(select):
        flat = np.bincount(source[select] * k + target[select], minlength=k * k)
        return flat.reshape(k, k).astype(np.int64)

    edges = matrix(slice(None))
    one_way = matrix(~mutual)
    # Each reciprocal pair is two reciprocated edges, one each way.
    both = matrix(mutual)
    reciprocal = (both + both.T) // 2
    reciprocal[np.diag_indices(k)] //= 2
    sizes = groups.sizes
    ordered_pairs = np.outer(sizes, sizes) - np.diag(sizes)
    return edges, one_way, reciprocal, ordered_pairs


class _BlockModel(IndependentDyadModel):
    uses_groups = True

    def __init__(self, groups: str | None = None) -> None:
        self.groups = groups

    def _fit(self, graph: SynapseGraph) -> None:
        if self.groups is None:
            raise ValueError(f"{type(self).__name__} needs groups=COLUMN, a column of the node "
                             f"table; it has {', '.join(map(repr, graph.nodes.columns))}")
        self.groups_ = node_groups(graph, self.groups)
        counts = group_connections(graph, self.groups_)
        self.edge_counts_ = counts[0]
        self.pair_states_ = self._states(self.groups_, *counts)

    @staticmethod
    def _fraction(count, pairs):
        return np.divide(count, pairs, out=np.zeros(count.shape), where=pairs > 0)


class StochasticBlockModel(_BlockModel):
    """SBM (typed ER): each ordered pair connected independently, with a probability per group pair.

    A cell of group ``a`` connects to a cell of group ``b`` with probability
    ``p[a, b]``, the observed fraction of such ordered pairs that are connected, so the
    expected connections between every ordered pair of groups equal the observed.

    Parameters
    ----------
    groups : str
        The node-table column of the cell groups
        (:func:`~connectome_motifs.graphs.node_groups`; cells with no label form the
        group ``"(unlabelled)"``).

    Attributes
    ----------
    groups_ : NodeGroups
    edge_counts_ : ndarray of int64, shape (K, K)
        Observed connections from group ``a`` to group ``b``.
    p_ : ndarray of float, shape (K, K)
        The connection probabilities.
    pair_states_ : BlockPairStateProbabilities
        Reciprocal with ``p[a, b] p[b, a]``, one way with ``p[a, b] (1 - p[b, a])``.

    Notes
    -----
    Fitting is O(n + m + K²); sampling O(K² + n + m) by geometric skipping within each
    pair of groups; exact expected censuses by block sums, O(K³)
    (:func:`connectome_motifs.motifs.expected.expected_triad_census`). With one group
    it is ER.

    References
    ----------
    P. W. Holland, K. B. Laskey, S. Leinhardt, "Stochastic blockmodels: first steps",
    Social Networks 5 (1983) 109–137.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2, 3], "type": ["E", "E", "I", "I"]})
    >>> g = SynapseGraph.from_edges([0, 1, 2], [2, 3, 0], nodes=nodes)
    >>> StochasticBlockModel(groups="type").fit(g).p_.tolist()
    [[0.0, 0.5], [0.25, 0.0]]
    """

    alias = "SBM"

    def _states(self, groups, edges, one_way, reciprocal, ordered_pairs):
        p = self._fraction(edges, ordered_pairs)
        self.p_ = p
        return BlockPairStateProbabilities(groups.codes, one_way=p * (1.0 - p.T),
                                           reciprocal=p * p.T)


class ReciprocalStochasticBlockModel(_BlockModel):
    """gSBM: each unordered pair independently reciprocal, one-way or unconnected, per group pair.

    For every pair of groups ``{a, b}`` the probabilities of a reciprocal pair and of a
    one-way connection each way are the observed fractions of the pairs, so the expected
    reciprocal pairs and one-way connections between every two groups (and within
    each) equal the observed: gER within and between groups.

    Parameters
    ----------
    groups : str
        The node-table column of the cell groups, as for :class:`StochasticBlockModel`.

    Attributes
    ----------
    groups_ : NodeGroups
    edge_counts_ : ndarray of int64, shape (K, K)
    pair_states_ : BlockPairStateProbabilities

    Notes
    -----
    Fitting is O(n + m + K²), sampling O(K² + n + m), exact censuses O(K³). Within a
    group a one-way pair points either way with equal probability.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "type": ["E", "E", "I"]})
    >>> g = SynapseGraph.from_edges([0, 1, 0], [1, 0, 2], nodes=nodes)
    >>> states = ReciprocalStochasticBlockModel(groups="type").fit(g).pair_states_
    >>> states.reciprocal.tolist(), states.one_way.tolist()
    ([[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.5], [0.0, 0.0]])
    """

    alias = "gSBM"

    def _states(self, groups, edges, one_way, reciprocal, ordered_pairs):
        # Unordered pairs between a and b are the ordered pairs from a to b (a != b), or
        # half the ordered pairs within a group.
        pairs = ordered_pairs / np.where(np.eye(groups.n_groups, dtype=bool), 2.0, 1.0)
        within = np.eye(groups.n_groups, dtype=bool)
        # Within a group both directions share its one-way connections.
        one_way_pairs = np.where(within, 2.0 * pairs, pairs)
        return BlockPairStateProbabilities(
            groups.codes, one_way=self._fraction(one_way, one_way_pairs),
            reciprocal=self._fraction(reciprocal, pairs))
