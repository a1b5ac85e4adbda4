"""The estimator interface shared by every null model: construct, ``fit``, ``sample``."""

from __future__ import annotations

import inspect
import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import numpy as np

from connectome_motifs.graphs.convert import as_synapse_graph
from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.graphs.threads import kernel_threads
from connectome_motifs.nullmodels.diagnostics import MixingDiagnostics
from connectome_motifs.nullmodels.errors import NotFittedError
from connectome_motifs.nullmodels.kernels.dyad_sampling import (
    edges_to_csr,
    sample_block_dyads,
    sample_heterogeneous_dyads,
    sample_homogeneous_dyads,
)
from connectome_motifs.nullmodels.kernels.edge_swaps import sort_rows
from connectome_motifs.nullmodels.kernels.random_bits import new_state
from connectome_motifs.nullmodels.pair_states import (
    BlockPairStateProbabilities,
    PairStateProbabilities,
)
from connectome_motifs.nullmodels.seeding import Seed, as_generator, as_seed_sequence

__all__ = ["IndependentDyadModel", "MarkovChainModel", "NullModel"]


class NullModel(ABC):
    """A random-graph model fitted to an observed graph, from which graphs are sampled.

    Subclasses are constructed with settings only; :meth:`fit` learns from an observed
    graph and sets attributes ending in ``_`` (all fitted state, ``graph_`` the observed
    :class:`~connectome_motifs.graphs.SynapseGraph` among it); :meth:`sample`
    returns a graph on the same nodes (same node table) with edge weights 1. Reading a
    fitted attribute or sampling before fitting raises :class:`NotFittedError`.
    """

    #: The paper's short name (Turner et al. 2022), e.g. ``"CFG"``.
    alias: ClassVar[str]

    #: Whether the model needs the setting ``groups``, a node-table column of cell groups
    #: (:func:`~connectome_motifs.graphs.node_groups`), which an analysis passes it.
    uses_groups: ClassVar[bool] = False

    def fit(self, graph: Any) -> NullModel:
        """Return the model fitted to ``graph`` (``self``).

        Parameters
        ----------
        graph : SynapseGraph or convertible
            The observed graph; see :func:`connectome_motifs.graphs.as_synapse_graph`.

        Returns
        -------
        NullModel
            ``self``.

        Raises
        ------
        TypeError
            If ``graph`` is not a graph type this package accepts.
        """
        graph = as_synapse_graph(graph)
        self._fit(graph)
        self.graph_ = graph
        return self

    @classmethod
    def unmet_requirement(cls, graph: SynapseGraph) -> str | None:
        """Return why the model cannot be fitted to ``graph``, or None if it can.

        Every model fits any graph but those that need node attributes (PM needs soma
        positions); a run can leave those out with the reason this returns. O(n).
        """
        return None

    @abstractmethod
    def _fit(self, graph: SynapseGraph) -> None:
        """Learn the model's parameters from ``graph``."""

    @abstractmethod
    def _sample(self, rng) -> SynapseGraph:
        """Draw one graph with the generator ``rng``."""

    def _graph_from_csr(self, indptr, indices) -> SynapseGraph:
        # Every sample shares the observed graph's node table.
        return self.graph_.with_csr(indptr, indices)

    def _graph_from_slots(self, indptr, targets) -> SynapseGraph:
        # A chain's slots as a sample: its rows sorted, on every numba thread when large.
        with kernel_threads(targets.size):
            return self._graph_from_csr(indptr, sort_rows(indptr, targets))

    def sample(self, seed: Seed = None) -> SynapseGraph:
        """Return one random graph on the observed graph's nodes.

        Parameters
        ----------
        seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
            The same int or sequence gives the same graph.

        Returns
        -------
        SynapseGraph
            Same node table as the observed graph; edge weights 1.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        """
        self.check_fitted()
        return self._sample(as_generator(seed))

    def sample_many(self, n_samples: int, seed: Seed = None) -> list[SynapseGraph]:
        """Return ``n_samples`` independent graphs, sample ``k`` from child ``k`` of ``seed``.

        The graphs are those :func:`connectome_motifs.nullmodels.ensemble` draws with the same seed.
        """
        self.check_fitted()
        return [self.sample(child) for child in as_seed_sequence(seed).spawn(n_samples)]

    def mixing_diagnostics(self, seed: Seed = None) -> MixingDiagnostics | None:
        """Return diagnostics of the sampler's mixing; None for exact samplers."""
        self.check_fitted()
        return None

    def get_params(self) -> dict[str, Any]:
        """Return the model's settings (its constructor arguments) as a dict."""
        parameters = inspect.signature(type(self).__init__).parameters.values()
        return {
            p.name: getattr(self, p.name)
            for p in parameters
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        }

    def check_fitted(self) -> None:
        """Raise :class:`NotFittedError` unless :meth:`fit` has been called."""
        if "graph_" not in self.__dict__:
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(graph) first"
            )

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: a missing fitted attribute means "not fitted".
        if name.endswith("_") and not name.startswith("__"):
            self.check_fitted()
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


class IndependentDyadModel(NullModel):
    """A model whose unordered pairs are independent, with exact pair-state probabilities.

    Such models give expected motif counts without sampling
    (:func:`connectome_motifs.motifs.expected.expected_triad_census`).

    Attributes
    ----------
    pair_states_ : PairStateProbabilities or BlockPairStateProbabilities
        The probabilities of each pair being unconnected, one-way or reciprocal, the
        model's whole law (by block for block models); reading it before fitting raises
        :class:`NotFittedError`.
    """

    pair_states_: PairStateProbabilities | BlockPairStateProbabilities

    #: Whether every pair has the same state distribution (ER, gER): expected censuses
    #: then have closed forms, O(1).
    homogeneous: ClassVar[bool] = False

    def expected_pair_states(self) -> tuple[float, float, float]:
        """Return the expected numbers of unconnected, one-way and reciprocal pairs.

        O(1) for homogeneous models, O(n²) from :attr:`pair_states_` otherwise (models
        with a cheaper exact sum override it).
        """
        return self.pair_states_.expected_pairs()

    @property
    def block_states(self) -> bool:
        """Whether :attr:`pair_states_` is held by blocks (:class:`BlockPairStateProbabilities`)."""
        self.check_fitted()
        # Block models hold their pair states; others (PM) may build them on access.
        return isinstance(self.__dict__.get("pair_states_"), BlockPairStateProbabilities)

    def exact_triad_size(self) -> int:
        """Return ``s`` of the O(s³) exact triad expectation: 0 (homogeneous), blocks or n."""
        self.check_fitted()
        if self.homogeneous:
            return 0
        return self.pair_states_.n_blocks if self.block_states else self.graph_.n

    def _sample(self, rng) -> SynapseGraph:
        states = self.pair_states_
        state = new_state(rng)
        if isinstance(states, BlockPairStateProbabilities):
            members = np.argsort(states.blocks, kind="stable").astype(np.int64)
            block_start = np.concatenate(([0], np.cumsum(states.sizes)))
            pre, post = sample_block_dyads(members, block_start, states.one_way,
                                           states.reciprocal, state)
        elif states.homogeneous:
            pre, post = sample_homogeneous_dyads(states.n, states.one_way, states.reciprocal, state)
        else:
            pre, post = sample_heterogeneous_dyads(states.one_way, states.reciprocal, state)
        return self._graph_from_csr(*edges_to_csr(states.n, pre, post))


class MarkovChainModel(NullModel):
    """A model sampled by a Markov chain, whose ensembles can take several samples per chain.

    Subclasses take the settings ``burn_in`` (steps before a chain's first sample),
    ``chains`` and ``spacing``, set ``burn_in_`` when fitted, and implement :meth:`walk`.

    Attributes
    ----------
    burn_in : int or None
        Steps before a chain's first sample, or None for the model's default
        (``burn_in_`` once fitted; an ensemble may lengthen it, see ``spacing``).
    chains : int or None
        Independent chains an ensemble of this model runs, its samples split among them
        in order (:func:`~connectome_motifs.nullmodels.ensemble`); None: every sample is
        its own chain of ``burn_in_`` steps.
    spacing : int or None
        Steps between consecutive samples of a chain; None: chosen by the ensemble from a
        pilot chain (:func:`~connectome_motifs.nullmodels.chains.plan_chains`).
    """

    burn_in: int | None
    chains: int | None
    spacing: int | None
    burn_in_: int

    def _check_chain_settings(self) -> None:
        burn_in = self.burn_in
        if burn_in is not None and (not isinstance(burn_in, int | np.integer)
                                    or isinstance(burn_in, bool) or burn_in < 0):
            raise ValueError(f"burn_in must be a non-negative int or None, not {burn_in!r}")
        for name in ("chains", "spacing"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int | np.integer)
                                      or isinstance(value, bool) or value < 1):
                raise ValueError(f"{name} must be a positive int or None, not {value!r}")

    @abstractmethod
    def walk(self, seed: Seed, steps: Iterable[int]) -> Iterator[SynapseGraph]:
        """Yield the graph of one chain from the observed graph after each entry of ``steps``.

        ``steps`` is read lazily, one entry per graph.
        """

    def chain(
        self, seed: Seed, n_samples: int, spacing: int, burn_in: int | None = None
    ) -> Iterator[SynapseGraph]:
        """Yield ``n_samples`` graphs of one chain, ``spacing`` steps apart after the burn-in.

        Parameters
        ----------
        seed : int, numpy.random.Generator, numpy.random.SeedSequence or None
        n_samples : int
        spacing : int
            Steps between consecutive graphs.
        burn_in : int, optional
            Steps before the first; default ``burn_in_``.

        Raises
        ------
        ValueError
            If ``n_samples`` is negative or ``spacing`` not positive.
        """
        self.check_fitted()
        if n_samples < 0 or spacing < 1:
            raise ValueError(f"n_samples must be >= 0 and spacing >= 1, not {n_samples!r}, "
                             f"{spacing!r}")
        first = self.burn_in_ if burn_in is None else burn_in
        steps = itertools.chain([first], itertools.repeat(spacing, n_samples - 1))
        return self.walk(seed, steps if n_samples else ())
