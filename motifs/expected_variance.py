"""Exact variances of the dyad and triad censuses under independent-dyad null models."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.graphs.threads import kernel_threads
from connectome_motifs.motifs.catalogue import DYAD_NAMES, TRIAD_NAMES, code_tables
from connectome_motifs.motifs.kernels.triad_moments import (
    COMBINATIONS,
    code_pairs,
    pair_moment_sums,
)
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.pair_states import (
    BlockPairStateProbabilities,
    PairStateProbabilities,
)
from connectome_motifs.nullmodels.progress import ProgressMode, progress_reporter

__all__ = [
    "MAX_VARIANCE_BLOCKS",
    "dyad_census_variance",
    "triad_census_variance",
    "triad_variance_flops",
]

#: Blocks above which :func:`triad_census_variance` refuses (about 200 K³ flops: some
#: 2.5 minutes at 3,000 blocks on 2 cores); callers then fall back to sample variances.
MAX_VARIANCE_BLOCKS = 3000
# Doubles of one row block of the moment products (10 R x 10 K).
_BLOCK_DOUBLES = 20_000_000

States = IndependentDyadModel | BlockPairStateProbabilities | PairStateProbabilities


def _blocks(states: States) -> BlockPairStateProbabilities:
    """Return the law as block probabilities (one block if homogeneous, n if dense)."""
    if isinstance(states, IndependentDyadModel):
        states = states.pair_states_
    if isinstance(states, BlockPairStateProbabilities):
        return states
    if not isinstance(states, PairStateProbabilities):
        raise TypeError(
            "expected an independent-dyad model or its pair-state probabilities, not "
            f"{type(states).__name__}; models with dependent pairs (CFG, gCFG) have no "
            "closed form, so use the variance of an ensemble's samples")
    if states.homogeneous:
        return BlockPairStateProbabilities(np.zeros(states.n, dtype=np.int32),
                                           one_way=np.full((1, 1), states.one_way),
                                           reciprocal=np.full((1, 1), states.reciprocal))
    one_way, reciprocal = states.dense()
    return BlockPairStateProbabilities(np.arange(states.n, dtype=np.int32), one_way=one_way,
                                       reciprocal=reciprocal)


def _state_matrices(states: BlockPairStateProbabilities) -> NDArray[np.float64]:
    """Return ``pi[s, a, b]`` (4, K, K): the four states of a pair read from block ``a``."""
    one_way, reciprocal = states.one_way, states.reciprocal
    null = np.maximum(1.0 - one_way - one_way.T - reciprocal, 0.0)
    return np.stack([null, one_way, one_way.T, reciprocal])


def triad_variance_flops(states: States) -> float:
    """Return the floating-point operations :func:`triad_census_variance` needs, about 200 K³.

    Examples
    --------
    >>> triad_variance_flops(PairStateProbabilities(10, 0.1, 0.1))
    200.0
    """
    k = _blocks(states).n_blocks
    return 200.0 * k**3


def dyad_census_variance(states: States) -> pd.Series:
    """Return the exact variances of the numbers of null, asymmetric and mutual pairs.

    Parameters
    ----------
    states : IndependentDyadModel, BlockPairStateProbabilities or PairStateProbabilities
        A fitted independent-dyad model (ER, gER, PM, DBCM, RBCM) or its law.

    Returns
    -------
    pandas.Series of float
        Indexed like :func:`connectome_motifs.motifs.dyad_census`, named ``"variance"``.

    Raises
    ------
    TypeError
        For a model whose pairs are not independent.

    Notes
    -----
    Pairs are independent, so each count's variance is ``Σ q (1 - q)`` over the
    unordered pairs, ``q`` the pair's probability of the class. O(K²) for ``K`` blocks
    (O(n²) for dense probabilities, O(1) homogeneous).

    Examples
    --------
    >>> dyad_census_variance(PairStateProbabilities(3, 0.25, 0.25)).tolist()
    [0.5625, 0.75, 0.5625]
    """
    blocks = _blocks(states)
    pi = _state_matrices(blocks)
    pairs = blocks.pair_counts() / 2.0
    values = []
    for q in (pi[0], pi[1] + pi[2], pi[3]):
        values.append(float(np.vdot(pairs, q * (1.0 - q))))
    return pd.Series(values, index=pd.Index(DYAD_NAMES, name="dyad"), name="variance")


def triad_census_variance(states: States, *, max_blocks: int = MAX_VARIANCE_BLOCKS,
                          progress: ProgressMode = False) -> pd.Series:
    """Return the exact variance of the number of triples in each of the 16 triad classes.

    Parameters
    ----------
    states : IndependentDyadModel, BlockPairStateProbabilities or PairStateProbabilities
        A fitted independent-dyad model (ER, gER, PM, DBCM, RBCM) or its law.
    max_blocks : int
        Refuse laws with more blocks than this (see :data:`MAX_VARIANCE_BLOCKS`).
    progress : bool, "bar" or "log"
        Show progress over the row blocks of the moment products.

    Returns
    -------
    pandas.Series of float
        Indexed by MAN code like :func:`connectome_motifs.motifs.triad_census`, named
        ``"variance"``.

    Raises
    ------
    TypeError
        For a model whose pairs are not independent.
    ValueError
        If the law has more than ``max_blocks`` blocks (a dense law has one block per
        node).

    Notes
    -----
    Write ``T_c = Σ_t 1[t in c]`` over the triples ``t``. Triples sharing at most one
    node share no pair and are independent; two sharing the pair ``ij`` are independent
    given its state ``s``, so with ``f_k(s) = P({i, j, k} in c | s)`` and
    ``F(s) = Σ_k f_k(s)``,

    ``Var T_c = Σ_t p_t (1 - p_t) + Σ_{pairs ij} [Var_s F(s) - Σ_k Var_s f_k(s)]``.

    By blocks, every needed sum over the third node is a sum over its block ``e`` of
    ``n_e π_ae(u) π_ae(u') π_be(w) π_be(w')`` (``π`` the state probabilities, the node
    ``i`` and ``j`` themselves removed): 100 matrix products of ``K x K`` matrices,
    about 200 K³ flops through BLAS in blocks of rows, then O(K²) per-pair sums in a
    numba kernel parallel over rows (each row summed by one thread in a fixed order, so
    the result does not depend on the thread count). Memory about 10 K² + 2·10⁷
    doubles. 80 s for the 2,169 blocks of the larva's DBCM on 2 shared cores; laws with more than
    :data:`MAX_VARIANCE_BLOCKS` blocks are refused, and a caller should fall back to
    the variance of an ensemble's samples.

    Examples
    --------
    >>> v = triad_census_variance(PairStateProbabilities(3, one_way=0.0, reciprocal=0.5))
    >>> round(float(v["300"]), 12), 7 / 64
    (0.109375, 0.109375)
    """
    blocks = _blocks(states)
    k = blocks.n_blocks
    if k > max_blocks:
        raise ValueError(
            f"the exact triad-census variance of a law with {k:,} blocks needs about "
            f"{triad_variance_flops(blocks):.2g} flops, over the limit of {max_blocks:,} "
            "blocks; use the variance of an ensemble's samples")
    pi = _state_matrices(blocks)
    sizes = blocks.sizes.astype(np.float64)
    products = np.stack([pi[u] * pi[v] for u, v in COMBINATIONS])
    code_class = np.ascontiguousarray(code_tables()[0], dtype=np.int64)
    pairs = code_pairs(code_class)
    right = products.reshape(10 * k, k) if k else np.zeros((0, 0))
    step = max(1, _BLOCK_DOUBLES // max(100 * k, 1))
    terms = []
    starts = range(0, k, step)
    with progress_reporter(len(starts), "triad variances (row blocks)", progress) as bar:
        for start in starts:
            stop = min(start + step, k)
            left = (products[:, start:stop, :] * sizes).reshape(-1, k)
            moments = np.ascontiguousarray((left @ right.T).reshape(10, stop - start, 10, k))
            with kernel_threads(k * k):
                terms.append(pair_moment_sums(pi, sizes, products, moments, start, code_class,
                                              *pairs, len(TRIAD_NAMES)))
            bar.update(1)
    values = np.concatenate(terms).sum(axis=0) if terms else np.zeros(len(TRIAD_NAMES))
    return pd.Series(values, index=pd.Index(TRIAD_NAMES, name="triad"), name="variance",
                     dtype=np.float64)
