"""Observed statistics against a null ensemble: z-scores, empirical p-values, adjustment."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = ["compare", "empirical_p_values", "p_adjust", "smallest_adjusted_p"]


def p_adjust(p: ArrayLike, method: Literal["holm", "bh"] = "holm") -> NDArray[np.float64]:
    """Return p-values adjusted for multiple comparisons (NaN stays NaN and is not counted).

    Parameters
    ----------
    p : array of float
        p-values.
    method : {"holm", "bh"}
        Holm's step-down family-wise correction, or Benjamini–Hochberg's false-discovery
        rate.

    Returns
    -------
    ndarray of float
        Adjusted p-values, in the input order, at most 1.

    Raises
    ------
    ValueError
        On an unknown method or a p-value outside [0, 1].

    Notes
    -----
    O(k log k) for k p-values. Holm: the i-th smallest becomes
    ``max_{j <= i} min(1, (k - j + 1) p_(j))``; BH: ``min_{j >= i} min(1, k p_(j) / j)``.

    References
    ----------
    S. Holm, Scand. J. Statist. 6:65 (1979). Y. Benjamini, Y. Hochberg, J. R. Statist.
    Soc. B 57:289 (1995).

    Examples
    --------
    >>> p_adjust([0.01, 0.04, 0.03], "holm")
    array([0.03, 0.06, 0.06])
    """
    p = np.asarray(p, dtype=np.float64)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    finite = np.flatnonzero(~np.isnan(p))
    k = finite.size
    if k == 0:
        return out
    order = finite[np.argsort(p[finite], kind="stable")]
    ranked = p[order]
    rank = np.arange(1, k + 1)
    if method == "holm":
        adjusted = np.maximum.accumulate(np.minimum(1.0, (k - rank + 1) * ranked))
    elif method == "bh":
        adjusted = np.minimum.accumulate(np.minimum(1.0, k * ranked / rank)[::-1])[::-1]
    else:
        raise ValueError(f"method must be 'holm' or 'bh', not {method!r}")
    out[order] = adjusted
    return out


def empirical_p_values(observed: ArrayLike, samples: ArrayLike) -> dict[str, NDArray]:
    """Return empirical p-values of observed values against null samples, per column.

    Parameters
    ----------
    observed : array of float, shape (k,)
    samples : array of float, shape (N, k)
        N null samples of each of the k statistics.

    Returns
    -------
    dict of ndarray
        ``p_upper = (#{X >= obs} + 1) / (N + 1)``, ``p_lower = (#{X <= obs} + 1) / (N + 1)``,
        ``p_two_sided = min(1, 2 min(p_upper, p_lower))`` and the paper's
        ``p_paper = min(#{X >= obs}, #{X <= obs}) / N``. A NaN sample (a statistic a
        sample does not define, such as the mean weight of a class it lacks) is left out:
        ``N`` is the column's number of defined samples, and every p-value is NaN for a
        column without one, or whose observed value is NaN.

    Notes
    -----
    O(N k). The add-one correction counts the observation as one of the draws, so under
    the null ``P(p_upper <= a) <= a`` for every ``a`` (Davison & Hinkley 1997; North,
    Curtis & Sham, Am. J. Hum. Genet. 71:439, 2002).

    Examples
    --------
    >>> empirical_p_values([3.0], [[1.0], [2.0], [3.0], [4.0]])["p_upper"]
    array([0.6])
    """
    observed = np.asarray(observed, dtype=np.float64)
    samples = np.asarray(samples, dtype=np.float64)
    n = (~np.isnan(samples)).sum(axis=0)
    at_least = (samples >= observed).sum(axis=0)
    at_most = (samples <= observed).sum(axis=0)
    none = np.where((n > 0) & ~np.isnan(observed), 1.0, np.nan)
    p_upper = (at_least + 1) / (n + 1) * none
    p_lower = (at_most + 1) / (n + 1) * none
    with np.errstate(invalid="ignore", divide="ignore"):
        p_paper = np.minimum(at_least, at_most) / n * none
    return {
        "p_upper": p_upper,
        "p_lower": p_lower,
        "p_two_sided": np.minimum(1.0, 2.0 * np.minimum(p_upper, p_lower)),
        "p_paper": p_paper,
    }


def compare(
    observed: pd.Series,
    samples: pd.DataFrame,
    expected: pd.Series | None = None,
    reference: pd.Series | None = None,
    adjust: Literal["holm", "bh"] | None = "holm",
    variance: pd.Series | None = None,
) -> pd.DataFrame:
    """Return observed statistics against a null ensemble, one row per statistic.

    Parameters
    ----------
    observed : pandas.Series
        Observed value of each statistic (e.g. the triad census).
    samples : pandas.DataFrame
        Null samples, one column per statistic (``EnsembleResult.samples``).
    expected : pandas.Series, optional
        Exact null expectations; used instead of the sample mean as ``mean`` (and for
        ``z``) where given.
    reference : pandas.Series, optional
        Mean of a reference model (e.g. ER): ``ratio`` is ``observed / reference``;
        without it ``ratio`` is ``observed / mean``.
    adjust : {"holm", "bh"} or None
        Multiple-comparison adjustment of ``p_two_sided`` across the statistics.
    variance : pandas.Series, optional
        Exact null variances; their square roots are used instead of the sample SD as
        ``sd`` (and for ``z``) where given (not NaN).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``observed``; columns ``observed``, ``mean``, ``sd`` (the exact SD
        where ``variance`` gives one, else the sample SD, ddof = 1), ``sd_exact`` (which
        of the two), ``z`` (NaN where ``sd`` is 0 or undefined), ``z_undefined``, ``ratio``
        (NaN for 0/0, inf for x/0), ``p_upper``, ``p_lower``, ``p_two_sided``,
        ``p_paper`` (see :func:`empirical_p_values`), ``n_defined`` (the samples that
        define the statistic: a NaN sample is left out of its mean, SD and p-values) and
        ``p_adjusted`` (absent if ``adjust`` is None).

    Raises
    ------
    ValueError
        If ``samples`` lacks a statistic of ``observed`` or has no rows.

    Notes
    -----
    O(N k) for N samples of k statistics.

    Examples
    --------
    >>> obs = pd.Series({"a": 5.0, "b": 1.0})
    >>> null = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 1.0]})
    >>> table = compare(obs, null)
    >>> table["z"].round(3).tolist(), table["z_undefined"].tolist()
    ([3.0, nan], [False, True])
    """
    missing = [label for label in observed.index if label not in samples.columns]
    if missing:
        raise ValueError(f"samples has no column for {missing}")
    if len(samples) == 0:
        raise ValueError("samples has no rows")
    null = samples[list(observed.index)].to_numpy(dtype=np.float64)
    obs = observed.to_numpy(dtype=np.float64)
    defined = ~np.isnan(null)
    n_defined = defined.sum(axis=0)
    mean = null.mean(axis=0)
    sd = null.std(axis=0, ddof=1) if null.shape[0] > 1 else np.full(obs.size, np.nan)
    gaps = np.flatnonzero(n_defined < null.shape[0])
    if gaps.size:  # statistics some samples leave undefined: over the defined ones
        part, count = null[:, gaps], n_defined[gaps]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean[gaps] = np.where(defined[:, gaps], part, 0.0).sum(axis=0) / count
            deviation = np.where(defined[:, gaps], part - mean[gaps], 0.0)
            sd[gaps] = np.sqrt((deviation ** 2).sum(axis=0) / (count - 1))
        sd[gaps[count < 2]] = np.nan
    if expected is not None:
        mean = expected.reindex(observed.index).fillna(pd.Series(mean, observed.index))
        mean = mean.to_numpy(dtype=np.float64)
    sd_exact = np.zeros(obs.size, dtype=bool)
    if variance is not None:
        exact = variance.reindex(observed.index).to_numpy(dtype=np.float64)
        sd_exact = ~np.isnan(exact)
        sd = np.where(sd_exact, np.sqrt(np.maximum(exact, 0.0)), sd)
    z_undefined = ~(sd > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(z_undefined, np.nan, (obs - mean) / np.where(z_undefined, 1.0, sd))
        base = mean if reference is None else reference.reindex(observed.index).to_numpy(
            dtype=np.float64
        )
        ratio = obs / base
    table = pd.DataFrame(
        {"observed": obs, "mean": mean, "sd": sd, "sd_exact": sd_exact, "z": z,
         "z_undefined": z_undefined,
         "ratio": ratio, **empirical_p_values(obs, null), "n_defined": n_defined},
        index=observed.index,
    )
    if adjust is not None:
        table["p_adjusted"] = p_adjust(table["p_two_sided"].to_numpy(), adjust)
    return table


def smallest_adjusted_p(n_samples: int, n_tests: int) -> float:
    """Return the smallest Holm-adjusted two-sided empirical p-value an ensemble can give.

    With ``N`` samples the add-one two-sided p-value (:func:`empirical_p_values`) is at
    least ``2 / (N + 1)``, and Holm's adjustment multiplies the smallest of ``k`` by ``k``:
    no statistic can reach a level below ``min(1, 2k / (N + 1))``. O(1).

    Examples
    --------
    >>> round(smallest_adjusted_p(1000, 16), 4)
    0.032
    >>> smallest_adjusted_p(100, 16)
    0.31683168316831684
    """
    return min(1.0, 2.0 * n_tests / (n_samples + 1))
