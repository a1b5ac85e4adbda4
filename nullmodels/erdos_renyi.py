"""Erdős–Rényi null models: ER (independent ordered pairs) and gER (independent dyads)."""

from __future__ import annotations

from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.pair_states import PairStateProbabilities

__all__ = ["ErdosRenyi", "ReciprocalErdosRenyi"]


class ErdosRenyi(IndependentDyadModel):
    """ER: every ordered pair is connected independently with one probability ``p``.

    Attributes
    ----------
    p_ : float
        ``m / (n (n - 1))``, the observed density (0 when ``n < 2``).

    Notes
    -----
    A pair is reciprocal with probability ``p²`` and ``i -> j`` only with ``p (1 - p)``.
    Sampling is O(n + m) by geometric skipping over the unconnected pairs.

    References
    ----------
    Turner et al., Cell 185:1082 (2022), the "ER" model.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> model = ErdosRenyi().fit(SynapseGraph.from_edges([0, 1, 2], [1, 2, 0]))
    >>> model.p_
    0.5
    >>> model.sample(seed=1).n
    3
    """

    alias = "ER"
    homogeneous = True

    def _fit(self, graph: SynapseGraph) -> None:
        p = graph.density
        self.p_ = p
        self.pair_states_ = PairStateProbabilities(
            graph.n, one_way=p * (1.0 - p), reciprocal=p * p
        )


class ReciprocalErdosRenyi(IndependentDyadModel):
    """gER: every unordered pair is independently reciprocal, one-way or unconnected.

    The three probabilities are the observed fractions of pairs, a one-way pair pointing
    either way with equal probability, so the expected numbers of reciprocal and
    one-way pairs (the 2-cell motif counts) equal the observed ones.

    Attributes
    ----------
    p_reciprocal_ : float
        Fraction of the ``n (n - 1) / 2`` unordered pairs that are reciprocal.
    p_one_way_ : float
        Fraction of pairs connected one way (either direction).
    p_null_ : float
        Fraction of pairs unconnected.

    Notes
    -----
    Sampling is O(n + m) by geometric skipping over the unconnected pairs.

    References
    ----------
    Turner et al., Cell 185:1082 (2022), the "gER" (generalised ER) model.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 1], [1, 0, 2], n=3)
    >>> model = ReciprocalErdosRenyi().fit(g)
    >>> model.p_reciprocal_, model.p_one_way_, model.p_null_
    (0.3333333333333333, 0.3333333333333333, 0.3333333333333333)
    """

    alias = "gER"
    homogeneous = True

    def _fit(self, graph: SynapseGraph) -> None:
        n_pairs = graph.n * (graph.n - 1) // 2
        reciprocal = graph.n_reciprocal_pairs
        one_way = graph.n_edges - 2 * reciprocal
        self.p_reciprocal_ = reciprocal / n_pairs if n_pairs else 0.0
        self.p_one_way_ = one_way / n_pairs if n_pairs else 0.0
        self.p_null_ = (n_pairs - reciprocal - one_way) / n_pairs if n_pairs else 1.0
        self.pair_states_ = PairStateProbabilities(
            graph.n, one_way=self.p_one_way_ / 2.0, reciprocal=self.p_reciprocal_
        )
