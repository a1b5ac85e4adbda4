"""The block configuration model (bCFG): degrees and the edges between cell groups kept."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from connectome_motifs.graphs.groups import node_groups
from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import MarkovChainModel
from connectome_motifs.nullmodels.block_models import group_connections
from connectome_motifs.nullmodels.configuration import DEFAULT_CHAINS
from connectome_motifs.nullmodels.diagnostics import (
    MixingDiagnostics,
)
from connectome_motifs.nullmodels.kernels.block_swaps import (
    block_switch_and_hold,
    slot_layout,
    trace_block_chain,
)
from connectome_motifs.nullmodels.kernels.edge_set import edge_set_from_csr, prefer_dense
from connectome_motifs.nullmodels.kernels.random_bits import new_state
from connectome_motifs.nullmodels.seeding import Seed, as_generator

__all__ = ["DOUBLE_SWAP_PROBABILITY", "ROTATION_PROBABILITY", "BlockConfigurationModel"]

#: bCFG's probability of proposing a rotation of three targets. Rotations and double swaps
#: join realisations that 2-swaps cannot (see BlockConfigurationModel); each costs several
#: cache misses in a row on large graphs, about five 2-swaps' time, so they are rare.
ROTATION_PROBABILITY = 0.025
#: bCFG's probability of proposing a double 2-swap.
DOUBLE_SWAP_PROBABILITY = 0.025


class BlockConfigurationModel(MarkovChainModel):
    """bCFG: uniform simple digraphs with every degree and the edges between groups kept.

    Every sample has each node's in- and out-degree, and for every ordered pair of cell
    groups (a node-table column, :func:`~connectome_motifs.graphs.node_groups`) the number
    of edges from the first to the second, of the observed graph: the degree-corrected
    stochastic block model's sufficient statistics (Karrer & Newman 2011) kept exactly,
    FlyWire's "blockmodel-degree" null (Lin et al. 2024). An ensemble runs Markov chains as
    :class:`~connectome_motifs.nullmodels.ConfigurationModel` does.

    Parameters
    ----------
    groups : str
        The node-table column of the cell groups (cell type, hemisphere...); cells without
        a label form one group, ``'(unlabelled)'``. Required.
    burn_in : int, optional
        Steps before a chain's first sample; default as
        :class:`~connectome_motifs.nullmodels.ConfigurationModel` (``10 m``, lengthened in
        an ensemble by the pilot chain).
    triangle_probability : float
        Probability of proposing a directed 3-cycle reversal, in [0, 1).
    chains : int or None
        Independent chains of an ensemble; None for one chain of ``burn_in`` steps per
        sample.
    spacing : int, optional
        Steps between the samples of a chain; default from the pilot chain.

    Attributes
    ----------
    groups_ : NodeGroups
        The groups of the nodes.
    block_counts_ : ndarray of int64, shape (K, K)
        Observed edges from group ``x`` to group ``y``, which every sample keeps
        (:func:`~connectome_motifs.nullmodels.block_models.group_connections`); made on
        first access, O(m + K²): the chain itself needs only the non-empty blocks.
    out_degree_, in_degree_ : ndarray of int64
        The degrees every sample keeps.
    burn_in_ : int
        ``burn_in``, or ``10 m`` if None.

    Raises
    ------
    ValueError
        From :meth:`fit`, if ``groups`` is not a column name, or another setting is out
        of range.
    MissingColumnError
        From :meth:`fit`, if the node table has no column ``groups``.

    Notes
    -----
    A step proposes one of five moves, each as likely as its reverse; a move that would
    make a self-loop or a duplicate edge is rejected and the step still counts ("switch
    and hold"), so the transition matrix is symmetric and the stationary distribution
    uniform over the graphs the chain reaches. In the moves below ``s`` are edge slots
    (each keeps its source), ``m`` their number, ``S_x`` the slots whose source is in
    group ``x`` and ``T_y`` those whose target is in group ``y``, ``B_xy`` those from
    ``x`` to ``y``; ``|S_x|``, ``|T_y|`` (the out- and in-degree sums of a group) and
    ``|B_xy|`` (a block count) never change.

    - *Source-group 2-swap* (probability ``(1 - p)/2``, ``p`` that of the three rarer
      kinds): a uniform slot ``s1`` (``a -> b``), a uniform ``s2`` (``c -> d``) of
      ``S_group(a)``; then ``a -> d, c -> b``. As ``a``, ``c`` share a group, the block
      counts stay. The swap of ``s1, s2`` is proposed as ``(s1, s2)`` or ``(s2, s1)``, each
      with probability ``1 / (m |S_group(a)|)`` (times the kind's), and so is its reverse:
      the same two slots, with the same sources.
    - *Target-group 2-swap* (``(1 - p)/2``): as above with ``s2`` uniform in
      ``T_group(b)``, so ``b``, ``d`` share a group; after the swap the two slots still
      have targets in that group, and ``|T_group(b)|`` is the same, so the reverse has the
      same probability. ``T`` changes as targets move: the slots are kept in one list
      ordered by block (target group first), each block a fixed range, and a move that
      changes slots' blocks exchanges their places, O(1). Whether this swap or the
      source-group one proposes a swap depends on the groups alone, which a swap keeps
      at ``a, c`` (sources) and ``b, d`` (as a pair of targets).
    - *Triangle reversal* (``triangle_probability``): ``a -> b -> c -> a`` to ``a -> c
      -> b -> a``, proposed as by ConfigurationModel (probability ``(1/d_a + 1/d_b +
      1/d_c) / m``, which the reversal keeps); it keeps the block counts iff two of the
      three nodes share a group, and is rejected otherwise.
    - *Rotation* (:data:`ROTATION_PROBABILITY`): a uniform ``s1`` (``a -> b``), a uniform
      ``s2`` (``c -> d``) of ``S_group(a)``, a uniform ``s3`` (``e -> f``) of
      ``T_group(b)``; ``s1`` takes ``d``, ``s2`` takes ``f``, ``s3`` takes ``b``. In
      capitals for groups (``A`` that of ``a``...; ``C = A``, ``F = B``) the blocks
      ``(A, B), (A, D), (E, B)`` become ``(A, D), (A, B), (E, B)``. Its reverse is the
      rotation drawn as ``(s2, s1, s3)``: ``s1`` is in ``S_group(c)``, and ``s3``, whose
      target is now ``b``, is in the ``T`` of the group of ``f``, ``s2``'s new target.
      The map ``(s1, s2, s3) -> (s2, s1, s3)`` pairs every draw of the move with a draw of
      its reverse of the same probability ``1 / (m |S_A| |T_B|)`` (times the kind's).
    - *Double swap* (:data:`DOUBLE_SWAP_PROBABILITY`): uniform ``s1`` (``a -> b``),
      ``s2`` (``c -> d``), a uniform ``s3`` (``e -> f``) of ``B_AD`` and ``s4``
      (``g -> h``) of ``B_CB``; then ``a -> d, c -> b, e -> h, g -> f``. The first swap
      moves an edge from each of ``B_AB, B_CD`` to ``B_AD, B_CB``, the second back. The
      map ``(s1, s2, s3, s4) -> (s3, s4, s1, s2)`` pairs every draw of the move with a
      draw of its reverse of the same probability ``1 / (m² |B_AD| |B_CB|)``: after the
      move ``s1`` is in ``B_AD`` = (group of ``s3``'s source, of ``s4``'s new target) and
      ``s2`` in ``B_CB``.

    2-swaps and triangle reversals alone do not connect the realisations: on 4 nodes in
    groups ``{0, 1}``, ``{2}``, ``{3}`` the paths ``3 -> 0 -> 1 -> 2`` and ``3 -> 1 -> 0 ->
    2`` admit no such move (each swap of two of their edges makes a self-loop or changes a
    block count); the rotation joins them. With rotations, the 4-cycle ``0 -> 1 -> 2 -> 3 ->
    0`` with the chords ``1 -> 3, 3 -> 1`` in groups ``{0, 1}, {2, 3}`` still admits none;
    the double swap reverses the cycle. Whether the five moves connect every realisation
    is not proven; on every digraph of up to 5 nodes and every grouping of them they do
    (checked by enumeration; the tests check 4 nodes), as on 52 random 6-node cases, and
    the tests check uniformity by a χ² test over every realisation of small cases. Each
    step is O(log K) expected (binary searches over group and block ranges), plus one row
    scan for an accepted reversal; a chain costs O(burn_in · log K + samples · (spacing ·
    log K + m log d)). Fitting is O(m log m).

    References
    ----------
    B. Karrer, M. E. J. Newman, "Stochastic blockmodels and community structure in
    networks", Phys. Rev. E 83, 016107 (2011). A. Lin, R. Yang, S. Dorkenwald et al.,
    "Network statistics of the whole-brain connectome of Drosophila", Nature 634:153
    (2024).

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": range(4), "type": ["E", "E", "I", "I"]})
    >>> g = SynapseGraph.from_edges([0, 1, 2, 3], [1, 2, 3, 0], nodes=nodes)
    >>> model = BlockConfigurationModel(groups="type").fit(g)
    >>> model.block_counts_.tolist()
    [[1, 1], [1, 1]]
    >>> sample = model.sample(seed=3)
    >>> sample.out_degree.tolist(), sample.in_degree.tolist()
    ([1, 1, 1, 1], [1, 1, 1, 1])
    """

    alias = "bCFG"
    uses_groups = True

    def __init__(self, groups: str | None = None, burn_in: int | None = None,
                 triangle_probability: float = 0.1, chains: int | None = DEFAULT_CHAINS,
                 spacing: int | None = None) -> None:
        self.groups = groups
        self.burn_in = burn_in
        self.triangle_probability = triangle_probability
        self.chains = chains
        self.spacing = spacing

    def _fit(self, graph: SynapseGraph) -> None:
        if self.groups is None:
            raise ValueError(f"{type(self).__name__} needs groups=COLUMN, a column of the node "
                             f"table; it has {', '.join(map(repr, graph.nodes.columns))}")
        if not isinstance(self.groups, str):
            raise ValueError(f"groups must be a node-table column name (str), not "
                             f"{self.groups!r}")
        self._check_chain_settings()
        if not 0.0 <= self.triangle_probability < 1.0:
            raise ValueError(
                f"triangle_probability must lie in [0, 1), not {self.triangle_probability!r}"
            )
        groups = node_groups(graph, self.groups)
        m = graph.n_edges
        self.groups_ = groups
        self.__dict__.pop("block_counts_", None)
        self.burn_in_ = 10 * m if self.burn_in is None else int(self.burn_in)
        self.out_degree_ = graph.out_degree
        self.in_degree_ = graph.in_degree
        self.out_indptr_ = graph.out_indptr
        self.edge_sources_ = np.repeat(np.arange(graph.n, dtype=np.int32), graph.out_degree)
        self.edge_targets_ = graph.out_indices.copy()
        self.dense_edge_set_ = prefer_dense(graph.n, m)
        self.edge_set_ = edge_set_from_csr(self.out_indptr_, self.edge_targets_, graph.n,
                                           self.dense_edge_set_)
        self.slot_layout_ = slot_layout(self.edge_sources_, self.edge_targets_, groups.codes,
                                        groups.n_groups)

    @cached_property
    def block_counts_(self) -> NDArray[np.int64]:
        """The observed edges from group ``x`` to group ``y``, shape (K, K). O(m + K²)."""
        self.check_fitted()
        return group_connections(self.graph_, self.groups_)[0]

    def _sample(self, rng) -> SynapseGraph:
        return next(self.walk(rng, [self.burn_in_]))

    def _chain_arrays(self) -> tuple:
        # A chain's arguments to the kernels, its mutable state (targets, edge set, the list
        # of slots by block and their places in it) fresh copies of the observed graph's.
        lists, ptrs, position, block_keys, block_ptr = self.slot_layout_
        return (self.out_indptr_, self.edge_sources_, self.edge_targets_.copy(),
                self.edge_set_.copy(), self.dense_edge_set_, self.graph_.n,
                self.groups_.codes, self.groups_.n_groups, lists.copy(), ptrs, position.copy(),
                block_keys, block_ptr)

    def walk(self, seed: Seed, steps: Iterable[int]) -> Iterator[SynapseGraph]:
        """Yield the graph of one chain from the observed graph after each entry of ``steps``.

        ``steps`` is read one entry per graph, when the graph is asked for. O(steps ·
        log K + m log d) per graph.
        """
        self.check_fitted()
        arrays = self._chain_arrays()
        targets = arrays[2]
        state = new_state(as_generator(seed))
        for n_steps in steps:
            block_switch_and_hold(*arrays, int(n_steps), self.triangle_probability,
                                  ROTATION_PROBABILITY, DOUBLE_SWAP_PROBABILITY, state)
            yield self._graph_from_slots(self.out_indptr_, targets)

    def mixing_diagnostics(
        self, seed: Seed = None, *, n_checkpoints: int = 100, spacing: int | None = None
    ) -> MixingDiagnostics:
        """Return mixing diagnostics of one chain started from the observed graph.

        As :meth:`ConfigurationModel.mixing_diagnostics
        <connectome_motifs.nullmodels.ConfigurationModel.mixing_diagnostics>`: the
        fraction of the observed edges still present and the number of transitive
        triangles at every checkpoint, and the acceptance rate of the moves.

        Parameters
        ----------
        seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        n_checkpoints : int
            Checkpoints after the start.
        spacing : int, optional
            Steps between checkpoints; default ``m`` (at least 1).

        Returns
        -------
        MixingDiagnostics

        Raises
        ------
        ValueError
            If ``spacing`` or ``n_checkpoints`` is not positive.

        Notes
        -----
        O(n_checkpoints · (spacing · log K + Σ d_out²)).
        """
        self.check_fitted()
        m = self.graph_.n_edges
        spacing = max(m, 1) if spacing is None else int(spacing)
        if spacing < 1 or n_checkpoints < 1:
            raise ValueError("spacing and n_checkpoints must be positive")
        indptr, sources, targets, table, *rest = self._chain_arrays()
        overlap, triangles, accepted = trace_block_chain(
            indptr, sources, targets, table, self.edge_set_, *rest, n_checkpoints, spacing,
            self.triangle_probability, ROTATION_PROBABILITY, DOUBLE_SWAP_PROBABILITY,
            new_state(as_generator(seed)),
        )
        return MixingDiagnostics.from_trace(overlap, triangles, accepted, m, spacing,
                                            self.burn_in_)
