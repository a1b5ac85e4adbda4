"""The weight-shuffling null: observed synapse counts permuted among the connections of a sample."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from connectome_motifs.graphs.groups import node_groups
from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import (
    IndependentDyadModel,
    MarkovChainModel,
    NullModel,
)
from connectome_motifs.nullmodels.diagnostics import MixingDiagnostics
from connectome_motifs.nullmodels.seeding import Seed, as_generator, as_seed_sequence

__all__ = ["WeightShuffle"]


class WeightShuffle(MarkovChainModel):
    """Synapse counts shuffled among connections, on the observed wiring or on a null's.

    Each sample takes the connections of the observed graph (``topology=None``) or of
    one sample of ``topology``, and gives them the observed synapse counts in a uniform
    random order: among all connections, or, with ``within``, among the connections
    from each group to each group (a connection from group ``a`` to ``b`` gets the
    count of an observed ``a -> b`` connection). It asks whether synapse counts are
    arranged beyond what the wiring and the counts' distribution explain (motif
    strength, Onnela intensity).

    Parameters
    ----------
    topology : NullModel or None
        An unfitted null model whose samples keep the number of connections (the edge-
        swap models: CFG, gCFG, bCFG, ...), fitted with this model; None keeps the
        observed connections.
    within : str, optional
        A node-table column of cell groups (:func:`~connectome_motifs.graphs.node_groups`):
        shuffle within each ordered pair of groups. The topology must then keep the
        connections between every two groups (None or a block configuration model).

    Attributes
    ----------
    groups_ : NodeGroups or None
        The groups of ``within``.
    topology_ : NullModel or None
        ``topology`` fitted to the observed graph.
    weights_ : ndarray of int32
        The observed synapse counts, sorted by (source group, target group) with
        ``within``, else as stored.
    group_start_ : ndarray of int64 or None
        With ``within``, where each (source group, target group) pair's counts start in
        ``weights_`` (``K² + 1`` entries, pair ``a K + b``).

    Raises
    ------
    ValueError
        From :meth:`fit`, if ``topology`` is an independent-dyad model (its samples have
        varying numbers of connections, so no permutation of the counts fits them); from
        :meth:`sample`, with ``within``, if the topology's sample has a different number
        of connections between some two groups than the observed graph.

    Notes
    -----
    O(m) per sample besides the topology's sampling (a permutation per group pair).
    Samples carry synapse counts, unlike the topology models' samples (weights 1).

    With a Markov-chain topology (CFG, bCFG...) an ensemble runs the topology's chains
    (its ``chains``, ``spacing`` and ``burn_in``, read from it) and shuffles the counts
    afresh on every graph of a chain, from a stream of its own; otherwise every sample
    is independent.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 2], [1, 2, 0], [1, 5, 9])
    >>> sample = WeightShuffle().fit(g).sample(seed=4)
    >>> sorted(sample.out_weights.tolist()), sample.edges()[1].tolist()
    ([1, 5, 9], [1, 2, 0])
    """

    alias = "W-shuffle"

    def __init__(self, topology: NullModel | None = None, within: str | None = None) -> None:
        self.topology = topology
        self.within = within

    @property
    def _chain_topology(self) -> MarkovChainModel | None:
        return self.topology if isinstance(self.topology, MarkovChainModel) else None

    @property
    def chains(self) -> int | None:  # type: ignore[override]
        """The topology's ``chains`` (None without a Markov-chain topology)."""
        return None if self._chain_topology is None else self._chain_topology.chains

    @property
    def spacing(self) -> int | None:  # type: ignore[override]
        """The topology's ``spacing`` (None without a Markov-chain topology)."""
        return None if self._chain_topology is None else self._chain_topology.spacing

    @property
    def burn_in(self) -> int | None:  # type: ignore[override]
        """The topology's ``burn_in`` (None without a Markov-chain topology)."""
        return None if self._chain_topology is None else self._chain_topology.burn_in

    @property
    def burn_in_(self) -> int:  # type: ignore[override]
        """The fitted topology's ``burn_in_`` (0 without a Markov-chain topology)."""
        self.check_fitted()
        return 0 if self._chain_topology is None else self._chain_topology.burn_in_

    def _fit(self, graph: SynapseGraph) -> None:
        if isinstance(self.topology, IndependentDyadModel):
            raise ValueError(
                f"{type(self.topology).__name__} samples graphs with a varying number of "
                "connections, so the observed synapse counts cannot be permuted among them; "
                "use an edge-swap model (CFG, gCFG, bCFG) or topology=None")
        if self.topology is not None and not isinstance(self.topology, NullModel):
            raise TypeError(f"topology must be a NullModel or None, not {self.topology!r}")
        self.topology_ = None if self.topology is None else self.topology.fit(graph)
        weights = graph.out_weights
        if self.within is None:
            self.groups_ = None
            self.weights_ = weights.copy()
            self.group_start_ = None
            return
        self.groups_ = node_groups(graph, self.within)
        keys = self._pair_keys(graph)
        order = np.argsort(keys, kind="stable")
        self.weights_ = weights[order]
        k = self.groups_.n_groups
        self.group_start_ = np.concatenate(
            ([0], np.cumsum(np.bincount(keys, minlength=k * k)))).astype(np.int64)

    def _pair_keys(self, graph: SynapseGraph) -> np.ndarray:
        # Each connection's (source group, target group) as a K a + b key.
        codes = self.groups_.codes.astype(np.int64)
        pre, post = graph.edges()
        return codes[pre] * self.groups_.n_groups + codes[post]

    def _sample(self, rng) -> SynapseGraph:
        wiring = self.graph_ if self.topology_ is None else self.topology_.sample(rng)
        return self._shuffled(wiring, rng)

    def walk(self, seed: Seed, steps: Iterable[int]) -> Iterator[SynapseGraph]:
        """Yield the topology's chain (:meth:`MarkovChainModel.walk`), counts shuffled anew.

        Without a Markov-chain topology every graph is the observed wiring (or an
        independent topology sample) with a fresh shuffle, whatever the steps.
        """
        self.check_fitted()
        wiring_seed, shuffle_seed = as_seed_sequence(seed).spawn(2)
        rng = as_generator(shuffle_seed)
        if self._chain_topology is None:
            for _ in steps:
                yield self._sample(rng)
            return
        for wiring in self.topology_.walk(wiring_seed, steps):
            yield self._shuffled(wiring, rng)

    def mixing_diagnostics(self, seed: Seed = None) -> MixingDiagnostics | None:
        """Return the topology's mixing diagnostics (None without a Markov-chain topology)."""
        self.check_fitted()
        if self._chain_topology is None:
            return None
        return self.topology_.mixing_diagnostics(seed)

    def _shuffled(self, wiring: SynapseGraph, rng: np.random.Generator) -> SynapseGraph:
        """Return ``wiring`` with the observed counts on its connections in a random order."""
        if self.group_start_ is None:
            weights = rng.permutation(self.weights_)
        else:
            keys = self._pair_keys(wiring)
            counts = np.bincount(keys, minlength=self.group_start_.size - 1)
            if not np.array_equal(counts, np.diff(self.group_start_)):
                raise ValueError(
                    f"a sample of {type(self.topology_).__name__} changed the number of "
                    f"connections between groups of {self.within!r}, so the counts cannot be "
                    "shuffled within group pairs; use topology=None or a block configuration "
                    "model")
            weights = np.empty_like(self.weights_)
            order = np.argsort(keys, kind="stable")
            for key in np.flatnonzero(counts):
                start, stop = self.group_start_[key], self.group_start_[key + 1]
                weights[order[start:stop]] = rng.permutation(self.weights_[start:stop])
        return self.graph_.with_csr(wiring.out_indptr, wiring.out_indices, weights)
