"""Exact expected dyad, triad and 4-cell censuses and simplex counts under independent-dyad
null models."""

from __future__ import annotations

import itertools
from math import comb

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from connectome_motifs.motifs.catalogue import DYAD_NAMES, TRIAD_NAMES, TRIADS, code_tables
from connectome_motifs.motifs.quad_catalogue import QUADS
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.pair_states import (
    BlockPairStateProbabilities,
    PairStateProbabilities,
)
from connectome_motifs.nullmodels.progress import ProgressMode, progress_reporter

__all__ = [
    "expected_dyad_census",
    "expected_quad_census",
    "expected_simplex_counts",
    "expected_triad_census",
]


def _pair_states(model_or_probabilities) -> PairStateProbabilities | BlockPairStateProbabilities:
    if isinstance(model_or_probabilities, PairStateProbabilities | BlockPairStateProbabilities):
        return model_or_probabilities
    if isinstance(model_or_probabilities, IndependentDyadModel):
        return model_or_probabilities.pair_states_
    raise TypeError(
        "expected an independent-dyad model (ER, gER, PM) or PairStateProbabilities, not "
        f"{type(model_or_probabilities).__name__}; models with dependent pairs (CFG, gCFG) "
        "have no closed form, so use nullmodels.ensemble"
    )


def expected_dyad_census(
    model_or_probabilities: IndependentDyadModel | PairStateProbabilities,
) -> pd.Series:
    """Return the expected numbers of null, asymmetric and mutual pairs.

    Parameters
    ----------
    model_or_probabilities : IndependentDyadModel or PairStateProbabilities
        A fitted ER, gER or PM model, or its pair-state probabilities.

    Returns
    -------
    pandas.Series of float
        Indexed like :func:`connectome_motifs.motifs.dyad_census`, named ``"expected"``.

    Raises
    ------
    TypeError
        For a model whose pairs are not independent.
    NotFittedError
        For an unfitted model.

    Notes
    -----
    O(1) for homogeneous models, O(distance bins) for PM, O(n²) for dense probabilities
    (:meth:`~connectome_motifs.nullmodels.IndependentDyadModel.expected_pair_states`).

    Examples
    --------
    >>> from connectome_motifs.nullmodels import PairStateProbabilities
    >>> expected_dyad_census(PairStateProbabilities(3, one_way=0.25, reciprocal=0.25)).tolist()
    [0.75, 1.5, 0.75]
    """
    if isinstance(model_or_probabilities, IndependentDyadModel):
        values = model_or_probabilities.expected_pair_states()
    else:
        values = _pair_states(model_or_probabilities).expected_pairs()
    return pd.Series(values, index=pd.Index(DYAD_NAMES, name="dyad"), name="expected")


def expected_triad_census(
    model_or_probabilities: IndependentDyadModel | PairStateProbabilities,
    *,
    progress: ProgressMode = False,
) -> pd.Series:
    """Return the expected number of triples in each of the 16 triad classes.

    Parameters
    ----------
    model_or_probabilities : IndependentDyadModel or PairStateProbabilities
        A fitted ER, gER or PM model, or its pair-state probabilities.
    progress : bool, "bar" or "log"
        Show progress over the row blocks of the matrix products (heterogeneous models).

    Returns
    -------
    pandas.Series of float
        Indexed by MAN code like :func:`connectome_motifs.motifs.triad_census`, named
        ``"expected"``; the values sum to ``C(n, 3)``.

    Raises
    ------
    TypeError
        For a model whose pairs are not independent.
    NotFittedError
        For an unfitted model.

    Notes
    -----
    Homogeneous models (ER, gER) in closed form: the class with MAN code (M, A, N) and
    ``L`` labelled versions has ``C(n, 3) · L · q_mut^M · q_one^A · q_null^N`` expected
    triples, ``q_one`` being the probability of one given direction only.

    Heterogeneous models (PM) by matrix products. With ``S_s[i, j]`` the probability
    that pair ``{i, j}``, read from ``i`` to ``j``, is in state ``s``, the expected
    number of ordered triples ``(i, j, k)`` with states ``(s, a, b)`` on ``(ij, ik, jk)``
    is ``sum(S_s ∘ (S_a S_bᵀ))``; each unordered triple is counted in its 6 orders. The
    unconnected state is written as all-ones minus the others, whose terms reduce to
    row and column sums, so only the products among the one-way and reciprocal
    matrices are computed: 6 (3 when one-way probabilities are symmetric, as in PM),
    O(n³) flops through BLAS in blocks of rows, and O(n²) memory. The Gram products
    ``S_a S_aᵀ`` (3 of the 6, 2 of the 3) are symmetric, and only their blocks on and right
    of the diagonal are computed: half the flops. About 15 s for PM at 6,548 nodes on 2
    cores (19 s before the Gram products were halved).

    Examples
    --------
    >>> from connectome_motifs.nullmodels import PairStateProbabilities
    >>> e = expected_triad_census(PairStateProbabilities(3, one_way=0.0, reciprocal=1.0))
    >>> float(e["300"]), float(e.sum())
    (1.0, 1.0)
    """
    states = _pair_states(model_or_probabilities)
    if states.homogeneous:
        q_mutual, q_one, q_null = states.reciprocal, states.one_way, states.null
        triples = comb(states.n, 3)
        values = [
            triples * t.n_labelled * q_mutual**t.n_mutual * q_one**t.n_asymmetric
            * q_null**t.n_null
            for t in TRIADS
        ]
    else:
        if isinstance(states, BlockPairStateProbabilities):
            ordered = _ordered_block_triple_states(states, progress)
        else:
            ordered = _ordered_triple_states(*states.dense(), progress)
        codes = np.zeros(64)
        for s, a, b in itertools.product(range(4), repeat=3):
            codes[s | (a << 2) | (b << 4)] = ordered[s, a, b] / 6.0
        values = np.bincount(code_tables()[0], weights=codes, minlength=len(TRIADS))
    return pd.Series(values, index=pd.Index(TRIAD_NAMES, name="triad"), name="expected",
                     dtype=np.float64)


def _homogeneous_states(model_or_probabilities, statistic: str) -> PairStateProbabilities:
    states = _pair_states(model_or_probabilities)
    if not states.homogeneous:
        raise ValueError(
            f"the exact expected {statistic} of a heterogeneous model (PM) is a sum over all "
            "n⁴ node sets or tuples, which no graph of interest affords; use the mean of its "
            "samples (nullmodels.ensemble)")
    return states


def expected_quad_census(
    model_or_probabilities: IndependentDyadModel | PairStateProbabilities,
) -> pd.Series:
    """Return the expected number of 4-node sets in each of the 218 classes.

    Parameters
    ----------
    model_or_probabilities : IndependentDyadModel or PairStateProbabilities
        A fitted homogeneous model (ER, gER), or its pair-state probabilities.

    Returns
    -------
    pandas.Series of float
        Indexed by isoclass like :func:`connectome_motifs.motifs.quad_census`, named
        ``"expected"``; the values sum to ``C(n, 4)``.

    Raises
    ------
    TypeError
        For a model whose pairs are not independent.
    ValueError
        For a heterogeneous model (PM): its sum over the 4-node sets is O(n⁴).

    Notes
    -----
    The class with ``M`` mutual, ``A`` one-way and ``N`` unconnected pairs and ``L``
    labelled versions has ``C(n, 4) · L · q_mut^M · q_one^A · q_null^N`` expected sets,
    ``q_one`` being the probability of one given direction only. O(218).

    Examples
    --------
    >>> from connectome_motifs.nullmodels import PairStateProbabilities
    >>> e = expected_quad_census(PairStateProbabilities(5, one_way=0.0, reciprocal=1.0))
    >>> float(e[217]), float(e.sum())
    (5.0, 5.0)
    """
    states = _homogeneous_states(model_or_probabilities, "4-cell census")
    sets = comb(states.n, 4)
    values = [sets * q.n_labelled * states.reciprocal**q.n_mutual
              * states.one_way**q.n_asymmetric * states.null**q.n_null for q in QUADS]
    return pd.Series(values, index=pd.RangeIndex(len(QUADS), name="quad"), name="expected",
                     dtype=np.float64)


def expected_simplex_counts(
    model_or_probabilities: IndependentDyadModel | PairStateProbabilities,
    max_dimension: int,
) -> pd.Series:
    """Return the expected number of directed simplices of each dimension 0 .. max_dimension.

    Parameters
    ----------
    model_or_probabilities : IndependentDyadModel or PairStateProbabilities
        A fitted homogeneous model (ER, gER), or its pair-state probabilities.
    max_dimension : int
        The last dimension.

    Returns
    -------
    pandas.Series of float
        Indexed by dimension like :func:`connectome_motifs.motifs.simplices.simplex_counts`,
        named ``"expected"``.

    Raises
    ------
    TypeError
        For a model whose pairs are not independent.
    ValueError
        For a heterogeneous model (PM), or a negative ``max_dimension``.

    Notes
    -----
    A k-simplex is an ordered tuple of ``k + 1`` distinct nodes with an edge from each to
    every later one; each of its ``C(k + 1, 2)`` pairs independently holds its forward edge
    with probability ``q = q_one + q_mut``, so ``n (n - 1) ... (n - k) · q^C(k + 1, 2)``
    tuples are expected. O(max_dimension).

    Examples
    --------
    >>> from connectome_motifs.nullmodels import PairStateProbabilities
    >>> expected_simplex_counts(PairStateProbabilities(4, 0.0, 1.0), 3).tolist()
    [4.0, 12.0, 24.0, 24.0]
    """
    if max_dimension < 0:
        raise ValueError(f"max_dimension must be >= 0, got {max_dimension}")
    states = _homogeneous_states(model_or_probabilities, "simplex counts")
    forward = states.one_way + states.reciprocal
    values = []
    for k in range(max_dimension + 1):
        tuples = 1
        for i in range(k + 1):
            tuples *= max(states.n - i, 0)
        values.append(tuples * forward ** comb(k + 1, 2))
    return pd.Series(values, index=pd.RangeIndex(max_dimension + 1, name="dimension"),
                     name="expected", dtype=np.float64)


# Rows of the matrix products per block: a progress step, and the size of the temporaries.
_BLOCK_ROWS = 1024
# Basis of the pair-state matrices: 0 all-ones off the diagonal, 1 one-way, 2 its transpose,
# 3 reciprocal; the transpose of basis matrix x is basis matrix _TRANSPOSE[x].
_TRANSPOSE = (0, 2, 1, 3)
# The states (0 unconnected, 1 i -> j only, 2 j -> i only, 3 reciprocal) in that basis.
_STATES_IN_BASIS = np.array([[1, -1, -1, -1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
                            dtype=np.float64)


def _inner(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    # sum(a ∘ b) of two equally shaped 2-D arrays, views included, without copying them.
    return float(np.einsum("ij,ij->", a, b))


def _ordered_triple_states(one_way: NDArray[np.float64], reciprocal: NDArray[np.float64],
                           progress: ProgressMode) -> NDArray[np.float64]:
    """Return ``T[s, a, b]``: expected ordered triples with states s, a, b on ij, ik, jk."""
    n = one_way.shape[0]
    symmetric = np.array_equal(one_way, one_way.T)
    basis = [None, one_way, one_way if symmetric else np.ascontiguousarray(one_way.T),
             reciprocal]
    # Row and column sums, and sums of elementwise products, of the basis matrices (the
    # all-ones matrix E analytically).
    rows = [np.full(n, n - 1.0)] + [m.sum(axis=1) for m in basis[1:]]
    columns = [rows[_TRANSPOSE[x]] for x in range(4)]
    totals = [n * (n - 1.0)] + [float(r.sum()) for r in rows[1:]]
    hadamard = np.empty((4, 4))
    for x, y in itertools.product(range(4), repeat=2):
        if x == 0 or y == 0:
            hadamard[x, y] = totals[max(x, y)]
        else:
            hadamard[x, y] = float(np.vdot(basis[x], basis[y]))
    # U[x, y, z] = sum(B_x ∘ (B_y B_zᵀ)) for the basis matrices B.
    u = np.empty((4, 4, 4))
    for x, y, z in itertools.product(range(4), repeat=3):
        if y == 0:
            u[x, y, z] = columns[x] @ rows[z] - hadamard[x, _TRANSPOSE[z]]
        elif z == 0:
            u[x, y, z] = rows[x] @ rows[y] - hadamard[x, y]
        elif x == 0:
            u[x, y, z] = columns[y] @ columns[z] - hadamard[y, z]
    # The products: B_y B_zᵀ for y <= z, the others by sum(B_x ∘ Mᵀ) = sum(B_xᵀ ∘ M). A
    # Gram matrix B_y B_yᵀ is symmetric: each row block takes its columns from the block's
    # first on, and the entries right of the block stand for their mirror images too, where
    # B_x meets them as B_xᵀ (B_x itself when it is symmetric).
    same = (lambda x: 1 if x == 2 else x) if symmetric else (lambda x: x)
    products = sorted({(same(y), same(z)) for y in (1, 2, 3) for z in (1, 2, 3)
                       if same(y) <= same(z)})
    sums = {key: np.zeros(4) for key in products}
    blocks = range(0, n, _BLOCK_ROWS)
    with progress_reporter(len(blocks) * len(products), "expected triads (row blocks)",
                           progress) as bar:
        for y, z in products:
            for start in blocks:
                stop = min(start + _BLOCK_ROWS, n)
                if y != z:
                    block = basis[y][start:stop] @ basis[z].T
                    for x in (1, 2, 3):
                        sums[y, z][x] += float(np.vdot(basis[x][start:stop], block))
                else:
                    block = basis[y][start:stop] @ basis[y][start:].T
                    diagonal, right = block[:, : stop - start], block[:, stop - start:]
                    for x in (1, 2, 3):
                        mirror = basis[_TRANSPOSE[x]]
                        own = _inner(basis[x][start:stop, stop:], right)
                        sums[y, y][x] += (float(np.vdot(basis[x][start:stop, start:stop],
                                                        diagonal))
                                          + own + (own if mirror is basis[x] else
                                                   _inner(mirror[start:stop, stop:], right)))
                bar.update(1)
    for x, y, z in itertools.product((1, 2, 3), repeat=3):
        key = (same(y), same(z))
        if key in sums:
            u[x, y, z] = sums[key][x]
        else:
            u[x, y, z] = sums[key[::-1]][_TRANSPOSE[x]]
    return np.einsum("sx,ay,bz,xyz->sab", _STATES_IN_BASIS, _STATES_IN_BASIS,
                     _STATES_IN_BASIS, u)


def _ordered_block_triple_states(states: BlockPairStateProbabilities,
                                 progress: ProgressMode) -> NDArray[np.float64]:
    """Return ``T[s, a, b]`` of :func:`_ordered_triple_states` for a block model, O(K³).

    The ordered triples of distinct nodes with blocks ``(x, y, z)`` number
    ``w_x (w_y - δ_xy)(w_z - δ_xz - δ_yz)`` = ``w_x w_y w_z - δ_xz w_x w_y - δ_yz w_x w_y -
    δ_xy w_x w_z + 2 δ_xyz w_x`` for block sizes ``w``; the first term is a sum of
    matrix products ``sum(W_s ∘ (B_y diag(w) B_zᵀ))`` (6 through BLAS), the others are
    row and column sums of elementwise products, O(K²) each.
    """
    w = states.sizes.astype(np.float64)
    k = w.size
    basis = [np.ones((k, k)), states.one_way, np.ascontiguousarray(states.one_way.T),
             states.reciprocal]
    weighted = [np.outer(w, w) * b for b in basis]
    diagonals = [np.diagonal(b) for b in basis]
    products = [(y, z) for y in (1, 2, 3) for z in (1, 2, 3) if y <= z]
    # first[x, y, z] = sum(W_x ∘ (B_y diag(w) B_zᵀ)); an all-ones factor (basis 0) turns
    # the product into a vector of weighted row sums.
    first = np.empty((4, 4, 4))
    sums = [b @ w for b in basis]
    with progress_reporter(len(products), "expected triads (block products)", progress) as bar:
        for y, z in products:
            middle = (basis[y] * w) @ basis[z].T
            for x in range(4):
                first[x, y, z] = float(np.vdot(weighted[x], middle))
                first[x, z, y] = float(np.vdot(weighted[x], middle.T))
            bar.update(1)
    for x in range(4):
        row_sums, column_sums = weighted[x].sum(axis=1), weighted[x].sum(axis=0)
        for y in range(4):
            first[x, y, 0] = float(row_sums @ sums[y]) if y else float(row_sums.sum() * w.sum())
            if y:
                first[x, 0, y] = float(column_sums @ sums[y])
    # Corrections for coincident blocks: z = x, z = y, y = x, and all three equal.
    by_row = np.array([[(weighted[x] * basis[z].T).sum(axis=1) for z in range(4)]
                       for x in range(4)])
    by_column = np.array([[(weighted[x] * basis[y]).sum(axis=0) for y in range(4)]
                          for x in range(4)])
    pair_sums = np.array([[(basis[y] * basis[z]) @ w for z in range(4)] for y in range(4)])
    d = np.array(diagonals)
    u = (first
         - np.einsum("yu,xzu->xyz", d, by_row)
         - np.einsum("xyv,zv->xyz", by_column, d)
         - np.einsum("u,xu,yzu->xyz", w, d, pair_sums)
         + 2.0 * np.einsum("u,xu,yu,zu->xyz", w, d, d, d))
    return np.einsum("sx,ay,bz,xyz->sab", _STATES_IN_BASIS, _STATES_IN_BASIS,
                     _STATES_IN_BASIS, u)
