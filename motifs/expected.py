"""Exact expected dyad and triad censuses under independent-dyad null models."""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd

from connectome_motifs.motifs.catalogue import DYAD_NAMES, TRIAD_NAMES, TRIADS, code_tables
from connectome_motifs.motifs.kernels.expected_triads import expected_triad_codes
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.pair_states import PairStateProbabilities

__all__ = ["expected_dyad_census", "expected_triad_census"]


def _pair_states(model_or_probabilities) -> PairStateProbabilities:
    if isinstance(model_or_probabilities, PairStateProbabilities):
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
    O(1) for homogeneous models, O(n²) otherwise.

    Examples
    --------
    >>> from connectome_motifs.nullmodels import PairStateProbabilities
    >>> expected_dyad_census(PairStateProbabilities(3, one_way=0.25, reciprocal=0.25)).tolist()
    [0.75, 1.5, 0.75]
    """
    states = _pair_states(model_or_probabilities)
    if states.homogeneous:
        n_pairs = comb(states.n, 2)
        values = [n_pairs * states.null, n_pairs * 2 * states.one_way, n_pairs * states.reciprocal]
    else:
        upper = np.triu(np.ones((states.n, states.n), dtype=bool), 1)
        values = [
            float(states.null[upper].sum()),
            float(states.one_way.sum()),
            float(states.reciprocal[upper].sum()),
        ]
    return pd.Series(values, index=pd.Index(DYAD_NAMES, name="dyad"), name="expected")


def expected_triad_census(
    model_or_probabilities: IndependentDyadModel | PairStateProbabilities,
) -> pd.Series:
    """Return the expected number of triples in each of the 16 triad classes.

    Parameters
    ----------
    model_or_probabilities : IndependentDyadModel or PairStateProbabilities
        A fitted ER, gER or PM model, or its pair-state probabilities.

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
    triples, ``q_one`` being the probability of one given direction only. Heterogeneous
    models (PM) sum over all triples with a numba kernel, O(n³) time and O(n²) memory
    (about a second for 1,000 nodes).

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
        one_way, reciprocal = states.dense()
        codes = expected_triad_codes(
            np.ascontiguousarray(one_way), np.ascontiguousarray(reciprocal)
        )
        values = np.bincount(code_tables()[0], weights=codes, minlength=len(TRIADS))
    return pd.Series(values, index=pd.Index(TRIAD_NAMES, name="triad"), name="expected",
                     dtype=np.float64)
