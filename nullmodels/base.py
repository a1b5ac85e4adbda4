"""The estimator interface shared by every null model: construct, ``fit``, ``sample``."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from graphs.synapse_graph import SynapseGraph
from nullmodels.errors import NotFittedError
from nullmodels.kernels.dyad_sampling import (
    edges_to_csr,
    sample_heterogeneous_dyads,
    sample_homogeneous_dyads,
)
from nullmodels.kernels.random_bits import new_state
from nullmodels.pair_states import PairStateProbabilities
from nullmodels.seeding import Seed, as_generator, as_seed_sequence

__all__ = ["IndependentDyadModel", "NullModel"]


class NullModel(ABC):
    """A random-graph model fitted to an observed graph, from which graphs are sampled.

    Subclasses are constructed with settings only; :meth:`fit` learns from an observed
    :class:`~graphs.SynapseGraph` and sets attributes ending in ``_``; :meth:`sample`
    returns a graph on the same nodes (same node table) with edge weights 1. Reading a
    fitted attribute or sampling before fitting raises :class:`NotFittedError`.
    """

    #: The paper's short name (Turner et al. 2022), e.g. ``"CFG"``.
    alias: ClassVar[str]

    def fit(self, graph: SynapseGraph) -> NullModel:
        """Return the model fitted to ``graph`` (``self``).

        Parameters
        ----------
        graph : SynapseGraph
            The observed graph.

        Returns
        -------
        NullModel
            ``self``.

        Raises
        ------
        TypeError
            If ``graph`` is not a :class:`~graphs.SynapseGraph`.
        """
        if not isinstance(graph, SynapseGraph):
            raise TypeError(f"fit needs a SynapseGraph, not {type(graph).__name__}")
        self._fit(graph)
        self.graph_ = graph
        return self

    @abstractmethod
    def _fit(self, graph: SynapseGraph) -> None:
        """Learn the model's parameters from ``graph``."""

    @abstractmethod
    def _sample(self, rng) -> SynapseGraph:
        """Draw one graph with the generator ``rng``."""

    def _graph_from_csr(self, indptr, indices) -> SynapseGraph:
        # Every sample shares the observed graph's node table.
        return self.graph_.with_csr(indptr, indices)

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
        self._check_fitted()
        return self._sample(as_generator(seed))

    def sample_many(self, n_samples: int, seed: Seed = None) -> list[SynapseGraph]:
        """Return ``n_samples`` independent graphs, sample ``k`` from child ``k`` of ``seed``.

        The graphs are those :func:`nullmodels.ensemble` draws with the same seed.
        """
        self._check_fitted()
        return [self.sample(child) for child in as_seed_sequence(seed).spawn(n_samples)]

    def mixing_diagnostics(self, seed: Seed = None) -> dict[str, Any]:
        """Return diagnostics of the sampler's mixing; empty for exact samplers."""
        self._check_fitted()
        return {}

    def get_params(self) -> dict[str, Any]:
        """Return the model's settings (its constructor arguments) as a dict."""
        parameters = inspect.signature(type(self).__init__).parameters.values()
        return {
            p.name: getattr(self, p.name)
            for p in parameters
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        }

    def _check_fitted(self) -> None:
        if "graph_" not in self.__dict__:
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(graph) first"
            )

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: a missing fitted attribute means "not fitted".
        if name.endswith("_") and not name.startswith("__"):
            self._check_fitted()
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


class IndependentDyadModel(NullModel):
    """A model whose unordered pairs are independent, with exact pair-state probabilities.

    Such models give expected motif counts without sampling
    (:func:`motifs.expected.expected_triad_census`).
    """

    def pair_state_probabilities(self) -> PairStateProbabilities:
        """Return the probabilities of each pair being unconnected, one-way or reciprocal.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        """
        self._check_fitted()
        return self._pair_states

    def _sample(self, rng) -> SynapseGraph:
        states = self._pair_states
        state = new_state(rng)
        if states.homogeneous:
            pre, post = sample_homogeneous_dyads(states.n, states.reciprocal, states.one_way, state)
        else:
            pre, post = sample_heterogeneous_dyads(states.one_way, states.reciprocal, state)
        return self._graph_from_csr(*edges_to_csr(states.n, pre, post))
