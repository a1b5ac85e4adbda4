"""Estimates of a distance-dependent connection probability p(d) from binned pair counts, and
their Bernoulli likelihoods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq, isotonic_regression, minimize
from scipy.special import expit, log_expit

__all__ = [
    "BinnedFit",
    "bernoulli_log_likelihood",
    "fit_exponential",
    "fit_isotonic",
    "fit_logistic",
    "fit_window",
]


@dataclass(frozen=True)
class BinnedFit:
    """A p(d) fitted to the ordered pairs of distance bins.

    Attributes
    ----------
    probabilities : ndarray of float, shape (n_bins,)
        p(d) of each bin (NaN where the estimator leaves it undefined).
    n_parameters : float
        The fit's parameters as AIC counts them (see each estimator).
    coefficients : ndarray of float, shape (2,), or None
        ``(b0, b1)`` of the logistic fit, ``(a, b)`` of the exponential one, None otherwise.
    """

    probabilities: NDArray[np.float64]
    n_parameters: float
    coefficients: NDArray[np.float64] | None = None


def bernoulli_log_likelihood(trials: NDArray, successes: NDArray,
                             probabilities: NDArray[np.float64]) -> float:
    """Return the log-likelihood of ``successes`` out of ``trials`` per bin at ``probabilities``.

    Parameters
    ----------
    trials, successes : array of int, shape (n_bins,)
        Ordered pairs of nodes, and connected ones, per bin.
    probabilities : array of float, shape (n_bins,)
        Each bin's p; read only where the bin has trials.

    Returns
    -------
    float
        ``sum_k S_k log p_k + (T_k - S_k) log(1 - p_k)`` with ``0 log 0 = 0``: the exact
        Bernoulli log-likelihood of the ordered pairs when every pair of bin ``k`` has
        probability ``p_k``. ``-inf`` if a connected pair has ``p = 0`` or an unconnected
        one ``p = 1``.

    Notes
    -----
    O(n_bins).

    Examples
    --------
    >>> import numpy as np
    >>> float(np.exp(bernoulli_log_likelihood(np.array([2]), np.array([1]), np.array([0.5]))))
    0.25
    """
    trials = np.asarray(trials, dtype=np.float64)
    successes = np.asarray(successes, dtype=np.float64)
    failures = trials - successes
    p = np.asarray(probabilities, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        hits = np.where(successes > 0, successes * np.log(p), 0.0)
        misses = np.where(failures > 0, failures * np.log1p(-p), 0.0)
    return float(hits.sum() + misses.sum())


def fit_window(trials: NDArray[np.int64], successes: NDArray[np.int64], half: int) -> BinnedFit:
    """Return the moving-window fraction of connected pairs within ``half`` bins of each bin.

    Parameters
    ----------
    trials, successes : array of int64, shape (n_bins,)
        Ordered pairs of nodes, and connected ones, per bin.
    half : int
        Half-width of the window in bins.

    Returns
    -------
    BinnedFit
        NaN where the window holds no pairs. ``n_parameters`` is the effective number of
        parameters of a linear smoother, the trace of its hat matrix (Hastie & Tibshirani
        1990, §3.5): the fit at a pair of bin ``k`` is the mean of the ``W_k`` pairs of its
        window, its own observation weighing ``1 / W_k``, so the trace is
        ``sum_k T_k / W_k``. It is 1 when one window holds every pair (the fit is the
        density, as ER's) and the number of populated bins when no window reaches past
        its own bin (the saturated binned model).

    Notes
    -----
    O(n_bins) by cumulative sums.

    References
    ----------
    Turner et al., Cell 185:1082 (2022), the PM's ±10 µm window. T. J. Hastie and
    R. J. Tibshirani, *Generalized Additive Models*, Chapman & Hall (1990).

    Examples
    --------
    >>> import numpy as np
    >>> fit = fit_window(np.array([2, 2, 0]), np.array([2, 0, 0]), 1)
    >>> fit.probabilities.tolist()[:2], fit.n_parameters
    ([0.5, 0.5], 1.0)
    """
    pairs = np.concatenate(([0], np.cumsum(trials)))
    connected = np.concatenate(([0], np.cumsum(successes)))
    k = np.arange(trials.size)
    lo = np.maximum(k - half, 0)
    hi = np.minimum(k + half + 1, k.size)
    in_window = pairs[hi] - pairs[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(in_window > 0, (connected[hi] - connected[lo]) / (1.0 * in_window), np.nan)
        trace = np.where(trials > 0, trials / in_window, 0.0).sum()
    return BinnedFit(p, float(trace))


def fit_logistic(trials: NDArray[np.int64], successes: NDArray[np.int64],
                 centres: NDArray[np.float64]) -> BinnedFit:
    """Return the maximum-likelihood ``p(d) = expit(b0 + b1 d)``, ``d`` each bin's centre.

    Parameters
    ----------
    trials, successes : array of int64, shape (n_bins,)
    centres : array of float, shape (n_bins,)

    Returns
    -------
    BinnedFit
        ``coefficients`` ``(b0, b1)``; ``n_parameters`` 2 (0 without pairs).

    Notes
    -----
    BFGS on the standardised distances, O(n_bins) per likelihood evaluation.

    Examples
    --------
    >>> import numpy as np
    >>> fit = fit_logistic(np.array([4, 4]), np.array([2, 2]), np.array([1.0, 2.0]))
    >>> np.round(fit.probabilities, 6).tolist()
    [0.5, 0.5]
    """
    trials = np.asarray(trials, dtype=np.float64)
    successes = np.asarray(successes, dtype=np.float64)
    total = trials.sum()
    mean = (trials @ centres) / total if total else 0.0
    variance = (trials @ (centres - mean) ** 2) / total if total else 0.0
    scale = np.sqrt(variance) if variance > 0 else 1.0
    x = (centres - mean) / scale

    def negative_log_likelihood(beta):
        eta = beta[0] + beta[1] * x
        return -(successes @ log_expit(eta) + (trials - successes) @ log_expit(-eta))

    beta = minimize(negative_log_likelihood, np.zeros(2), method="BFGS").x
    coefficients = np.array([beta[0] - beta[1] * mean / scale, beta[1] / scale])
    return BinnedFit(expit(coefficients[0] + coefficients[1] * centres),
                     2.0 if total else 0.0, coefficients)


def fit_isotonic(trials: NDArray[np.int64], successes: NDArray[np.int64]) -> BinnedFit:
    """Return the maximum-likelihood non-increasing p(d) (pool-adjacent-violators).

    Parameters
    ----------
    trials, successes : array of int64, shape (n_bins,)

    Returns
    -------
    BinnedFit
        Between populated bins p is that of the nearest populated bin below (NaN
        everywhere without pairs). ``n_parameters`` is the number of distinct levels of
        the fit over the populated bins, the degrees of freedom of isotonic regression
        (Meyer & Woodroofe 2000).

    Notes
    -----
    O(n_bins). The weighted least-squares isotonic fit of the bins' fractions is also the
    Bernoulli maximum-likelihood one (Robertson, Wright & Dykstra 1988, Thm 1.5.1).

    References
    ----------
    M. Meyer and M. Woodroofe, "On the degrees of freedom in shape-restricted
    regression", Ann. Statist. 28:1083 (2000).

    Examples
    --------
    >>> import numpy as np
    >>> fit = fit_isotonic(np.array([2, 2, 2]), np.array([0, 2, 1]))
    >>> fit.probabilities.tolist(), fit.n_parameters
    ([0.5, 0.5, 0.5], 1.0)
    """
    populated = np.flatnonzero(trials)
    if populated.size == 0:
        return BinnedFit(np.full(trials.size, np.nan), 0.0)
    weights = np.asarray(trials, dtype=np.float64)[populated]
    fitted = isotonic_regression(successes[populated] / weights, weights=weights,
                                 increasing=False).x
    below = np.maximum(np.searchsorted(populated, np.arange(trials.size), side="right") - 1, 0)
    # Distinct levels of the non-increasing fit; pooled blocks' means computed apart may
    # differ in their last bits.
    levels = 1 + np.count_nonzero(np.diff(fitted) < -1e-12 * max(fitted[0], 1e-300))
    return BinnedFit(fitted[below], float(levels))


def fit_exponential(trials: NDArray[np.int64], successes: NDArray[np.int64],
                    centres: NDArray[np.float64]) -> BinnedFit:
    """Return the maximum-likelihood ``p(d) = a exp(-b d)``, ``0 < a <= 1``, ``b >= 0``.

    Parameters
    ----------
    trials, successes : array of int64, shape (n_bins,)
        Ordered pairs of nodes, and connected ones, per bin.
    centres : array of float, shape (n_bins,)
        Each bin's distance ``d`` (its centre, > 0).

    Returns
    -------
    BinnedFit
        ``coefficients`` ``(a, b)``, ``n_parameters`` 2 (0 without pairs). Boundary
        cases: no connected pair gives ``a = 0`` (the supremum, approached as
        ``a -> 0``) and ``b = 0``; every pair connected gives ``a = 1``, ``b = 0``; pairs
        in one bin only leave ``b`` unidentified, set to 0 (``a`` is then the density).

    Notes
    -----
    In ``(log a, b)`` the log-likelihood ``sum_k S_k η_k + F_k log(1 - e^η_k)``,
    ``η_k = log a - b d_k``, ``F_k = T_k - S_k``, is concave (``log(1 - e^x)`` is), so
    the maximum over the box ``log a <= 0 <= b`` is found by nested one-dimensional root
    finding: for each ``b`` the profile ``log a`` solves the monotone score equation (or
    sits at the bound ``a = 1``), and ``b`` solves the profile's monotone score
    ``dℓ/db = 0`` (or sits at ``b = 0``). Brent's method to machine precision on
    brackets derived from the score; each evaluation is O(bins with pairs).

    References
    ----------
    The exponential distance-dependent ("2nd-order", DD2) model of BlueBrain's
    connectome-analysis (``connalysis.modelling.conn_prob_2nd_order_model``,
    ``connalysis.randomization.run_DD2``), after E. Gal et al., "Neuron geometry
    underlies universal network features in cortical microcircuits", bioRxiv 656058
    (2019); there it is fitted by least squares to binned fractions, here by maximum
    likelihood.

    Examples
    --------
    >>> import numpy as np
    >>> fit = fit_exponential(np.array([10, 10]), np.array([5, 5]), np.array([1.0, 2.0]))
    >>> np.round(fit.coefficients, 9).tolist()
    [0.5, 0.0]
    """
    populated = np.flatnonzero(trials)
    t = np.asarray(trials, dtype=np.float64)[populated]
    s = np.asarray(successes, dtype=np.float64)[populated]
    d = np.asarray(centres, dtype=np.float64)[populated]
    f = t - s
    n_parameters = 2.0 if populated.size else 0.0
    total_s, total_t = s.sum(), t.sum()
    if total_s == 0 or f.sum() == 0 or populated.size < 2:
        a = total_s / total_t if total_t else 0.0
        return _exponential_fit(a, 0.0, centres, n_parameters)
    log_density = np.log(total_s / total_t)

    def odds(alpha, beta):
        # p / (1 - p) at η = α - β d, η < 0.
        eta = alpha - beta * d
        return np.exp(eta) / -np.expm1(eta)

    def alpha_score(alpha, beta):
        return total_s - f @ odds(alpha, beta)

    def profile_alpha(beta):
        if beta == 0:
            return log_density
        # The score is decreasing in α; it is > 0 where the nearest bin's p is the
        # density / e (every p_k is below the density) and < 0 where the farthest bin's
        # is the density · e (every p_k is above it).
        lower = log_density + beta * d.min() - 1.0
        upper = log_density + beta * d.max() + 1.0
        if upper > 0:
            if alpha_score(0.0, beta) >= 0:
                return 0.0
            upper = 0.0
        return brentq(alpha_score, lower, upper, args=(beta,), xtol=1e-15, rtol=1e-15)

    def beta_score(beta):
        # dℓ/dβ at the profile α (envelope theorem; also with α at its bound).
        alpha = profile_alpha(beta)
        return d @ (f * odds(alpha, beta) - s)

    if beta_score(0.0) <= 0:
        b = 0.0
    else:
        high = 1.0 / (t @ d / total_t)
        while beta_score(high) > 0:
            high *= 2.0
        b = brentq(beta_score, 0.0, high, xtol=1e-15, rtol=1e-15)
    return _exponential_fit(float(np.exp(profile_alpha(b))), b, centres, n_parameters)


def _exponential_fit(a: float, b: float, centres: NDArray[np.float64],
                     n_parameters: float) -> BinnedFit:
    return BinnedFit(a * np.exp(-b * centres), n_parameters, np.array([a, b]))
