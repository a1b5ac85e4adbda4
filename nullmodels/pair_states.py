"""Probabilities of the four states of every unordered pair under an independent-dyad model."""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np
from numpy.typing import NDArray

__all__ = ["BlockPairStateProbabilities", "PairStateProbabilities"]

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class PairStateProbabilities:
    """The state distribution of each unordered pair of nodes, pairs being independent.

    A pair ``{i, j}`` is unconnected, ``i -> j`` only, ``j -> i`` only or reciprocal.
    A homogeneous model (ER, gER) gives scalars, the same for every pair; a heterogeneous
    one (PM) gives ``(n, n)`` arrays with zero diagonals.

    Attributes
    ----------
    n : int
        Number of nodes.
    one_way : float or ndarray of shape (n, n)
        ``one_way[i, j]`` is the probability that ``i -> j`` is present and ``j -> i``
        absent (one direction only, so a homogeneous model's pairs are one-way with
        probability ``2 * one_way``).
    reciprocal : float or ndarray of shape (n, n)
        Probability that both ``i -> j`` and ``j -> i`` are present (symmetric).

    Raises
    ------
    ValueError
        If a probability is negative, a pair's states sum to more than 1, ``reciprocal``
        is not symmetric or an array is not ``(n, n)`` with zero diagonal.

    Examples
    --------
    >>> s = PairStateProbabilities(4, one_way=0.1, reciprocal=0.05)
    >>> s.homogeneous, round(s.null, 2)
    (True, 0.75)
    """

    n: int
    one_way: float | NDArray[np.float64]
    reciprocal: float | NDArray[np.float64]

    def __post_init__(self) -> None:
        one_way = self.one_way
        reciprocal = self.reciprocal
        if np.ndim(one_way) != np.ndim(reciprocal) or np.ndim(one_way) not in (0, 2):
            raise ValueError("one_way and reciprocal must both be scalars or both (n, n) arrays")
        if np.ndim(one_way) == 0:
            one_way, reciprocal = float(one_way), float(reciprocal)
        else:
            one_way = np.asarray(one_way, dtype=np.float64)
            reciprocal = np.asarray(reciprocal, dtype=np.float64)
            shape = (self.n, self.n)
            if one_way.shape != shape or reciprocal.shape != shape:
                raise ValueError(f"pair-state arrays must have shape {shape}")
            if np.any(np.diagonal(one_way)) or np.any(np.diagonal(reciprocal)):
                raise ValueError("pair-state arrays must have a zero diagonal (no self-pairs)")
            if not np.array_equal(reciprocal, reciprocal.T):
                raise ValueError("reciprocal probabilities must be symmetric")
        if np.any(np.less(one_way, 0)) or np.any(np.less(reciprocal, 0)):
            raise ValueError("pair-state probabilities must be non-negative")
        if np.any(np.less(self._null(one_way, reciprocal), -_TOLERANCE)):
            raise ValueError("the states of a pair have probabilities summing to more than 1")
        object.__setattr__(self, "one_way", one_way)
        object.__setattr__(self, "reciprocal", reciprocal)

    @staticmethod
    def _null(one_way, reciprocal):
        if np.ndim(one_way) == 0:
            return 1.0 - 2.0 * one_way - reciprocal
        null = 1.0 - one_way - one_way.T - reciprocal
        np.fill_diagonal(null, 0.0)
        return null

    @property
    def homogeneous(self) -> bool:
        """Whether every pair has the same state distribution (scalar probabilities)."""
        return np.ndim(self.one_way) == 0

    @property
    def null(self) -> float | NDArray[np.float64]:
        """Probability that a pair is unconnected (clipped at 0; diagonal 0 for arrays)."""
        null = self._null(self.one_way, self.reciprocal)
        return max(null, 0.0) if self.homogeneous else np.maximum(null, 0.0)

    def expected_pairs(self) -> tuple[float, float, float]:
        """Return the expected numbers of unconnected, one-way and reciprocal pairs.

        O(1) when homogeneous, O(n²) otherwise.
        """
        if self.homogeneous:
            n_pairs = comb(self.n, 2)
            return (n_pairs * self.null, n_pairs * 2 * self.one_way,
                    n_pairs * self.reciprocal)
        upper = np.triu(np.ones((self.n, self.n), dtype=bool), 1)
        return (float(self.null[upper].sum()), float(self.one_way.sum()),
                float(self.reciprocal[upper].sum()))

    def dense(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return ``(one_way, reciprocal)`` as ``(n, n)`` arrays with zero diagonals. O(n²)."""
        if not self.homogeneous:
            return self.one_way, self.reciprocal
        off_diagonal = 1.0 - np.eye(self.n)
        return self.one_way * off_diagonal, self.reciprocal * off_diagonal


@dataclass(frozen=True)
class BlockPairStateProbabilities:
    """Pair-state probabilities set by the blocks of the two nodes, pairs being independent.

    Every node is in one of ``K`` blocks (a cell group, or a class of nodes with equal
    degrees); the state distribution of pair ``{i, j}`` depends only on the blocks of
    ``i`` and ``j``. It is the law of the stochastic block models and of the
    maximum-entropy configuration models, held in O(n + K²) memory, never n × n.

    Attributes
    ----------
    blocks : ndarray of int32, shape (n,)
        The block of each node, in ``0 .. K - 1``.
    one_way : ndarray of float, shape (K, K)
        ``one_way[a, b]`` is the probability that ``i -> j`` is present and ``j -> i``
        absent, for ``i`` in block ``a`` and ``j`` in block ``b`` (``a == b``: two
        distinct nodes of one block).
    reciprocal : ndarray of float, shape (K, K)
        Probability that both directions are present (symmetric).

    Raises
    ------
    ValueError
        If a block is out of range, a probability is negative, a pair's states sum to
        more than 1 or ``reciprocal`` is not symmetric.

    Examples
    --------
    >>> import numpy as np
    >>> s = BlockPairStateProbabilities(np.array([0, 0, 1]), one_way=np.array(
    ...     [[0.1, 0.2], [0.0, 0.0]]), reciprocal=np.array([[0.0, 0.5], [0.5, 0.0]]))
    >>> s.n, s.n_blocks, s.sizes.tolist()
    (3, 2, [2, 1])
    >>> [round(v, 2) for v in s.expected_pairs()]
    [1.4, 0.6, 1.0]
    """

    blocks: NDArray[np.int32]
    one_way: NDArray[np.float64]
    reciprocal: NDArray[np.float64]

    def __post_init__(self) -> None:
        blocks = np.asarray(self.blocks)
        one_way = np.asarray(self.one_way, dtype=np.float64)
        reciprocal = np.asarray(self.reciprocal, dtype=np.float64)
        k = one_way.shape[0] if one_way.ndim == 2 else -1
        if one_way.shape != (k, k) or reciprocal.shape != (k, k):
            raise ValueError("one_way and reciprocal must be square arrays of one shape")
        if blocks.ndim != 1 or (blocks.size and (blocks.min() < 0 or blocks.max() >= k)):
            raise ValueError(f"blocks must be a 1-D array of block numbers in 0 .. {k - 1}")
        if np.any(one_way < 0) or np.any(reciprocal < 0):
            raise ValueError("pair-state probabilities must be non-negative")
        if not np.array_equal(reciprocal, reciprocal.T):
            raise ValueError("reciprocal probabilities must be symmetric")
        if np.any(self._null(one_way, reciprocal) < -_TOLERANCE):
            raise ValueError("the states of a pair have probabilities summing to more than 1")
        object.__setattr__(self, "blocks", blocks.astype(np.int32))
        object.__setattr__(self, "one_way", one_way)
        object.__setattr__(self, "reciprocal", reciprocal)

    @staticmethod
    def _null(one_way, reciprocal):
        return 1.0 - one_way - one_way.T - reciprocal

    @property
    def n(self) -> int:
        """Number of nodes."""
        return int(self.blocks.size)

    @property
    def homogeneous(self) -> bool:
        """False: pairs of different blocks have different state distributions."""
        return False

    @property
    def n_blocks(self) -> int:
        """Number of blocks ``K``."""
        return int(self.one_way.shape[0])

    @property
    def sizes(self) -> NDArray[np.int64]:
        """Nodes per block."""
        return np.bincount(self.blocks, minlength=self.n_blocks).astype(np.int64)

    @property
    def null(self) -> NDArray[np.float64]:
        """Probability that a pair of nodes of blocks ``(a, b)`` is unconnected, (K, K)."""
        return np.maximum(self._null(self.one_way, self.reciprocal), 0.0)

    def pair_counts(self) -> NDArray[np.float64]:
        """Return the number of ordered pairs of distinct nodes per block pair, (K, K)."""
        sizes = self.sizes.astype(np.float64)
        return np.outer(sizes, sizes) - np.diag(sizes)

    def expected_pairs(self) -> tuple[float, float, float]:
        """Return the expected numbers of unconnected, one-way and reciprocal pairs. O(K²)."""
        ordered = self.pair_counts()
        return (float(np.vdot(ordered, self.null)) / 2.0,
                float(np.vdot(ordered, self.one_way)),
                float(np.vdot(ordered, self.reciprocal)) / 2.0)

    def dense(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return ``(one_way, reciprocal)`` as ``(n, n)`` arrays with zero diagonals. O(n²)."""
        one_way = self.one_way[np.ix_(self.blocks, self.blocks)]
        reciprocal = self.reciprocal[np.ix_(self.blocks, self.blocks)]
        np.fill_diagonal(one_way, 0.0)
        np.fill_diagonal(reciprocal, 0.0)
        return one_way, reciprocal
