"""Mixing diagnostics of Markov-chain samplers: the record, autocorrelations, their times."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["MixingDiagnostics", "autocorrelation", "integrated_autocorrelation_time"]

_MAX_LAG = 20


def autocorrelation(x: ArrayLike, max_lag: int = _MAX_LAG) -> NDArray[np.float64]:
    """Return the sample autocorrelation of ``x`` at the lags 0 to ``max_lag``.

    Parameters
    ----------
    x : array of numbers, shape (k,)
    max_lag : int
        Largest lag; lags beyond ``k - 1`` are left out.

    Returns
    -------
    ndarray of float
        ``rho[0] = 1``; all NaN if ``x`` is constant.

    Notes
    -----
    The usual biased estimator (dividing every lag by ``k``), O(k · max_lag).

    Examples
    --------
    >>> autocorrelation([1.0, -1.0, 1.0, -1.0], max_lag=1)
    array([ 1.  , -0.75])
    """
    x = np.asarray(x, dtype=np.float64)
    lags = min(max_lag, x.size - 1)
    # Constant values: exactly, as the mean of equal floats may differ from them in the
    # last bit and leave a denominator of rounding errors.
    if lags < 0 or np.all(x == x[0]):
        return np.full(max(lags + 1, 0), np.nan)
    centred = x - x.mean()
    denominator = float(centred @ centred)
    if denominator == 0.0:
        return np.full(max(lags + 1, 0), np.nan)
    return np.array(
        [float(centred[: x.size - k] @ centred[k:]) / denominator for k in range(lags + 1)]
    )


def integrated_autocorrelation_time(rho: ArrayLike) -> float:
    """Return ``1 + 2 ×`` the autocorrelations ``rho[1:]`` before the first non-positive one.

    Parameters
    ----------
    rho : array of float
        Autocorrelations at lags ``0, 1, ...`` (:func:`autocorrelation`).

    Returns
    -------
    float
        In units of the lag; NaN if ``rho`` is empty or undefined (NaN at lag 0).

    Notes
    -----
    O(len(rho)). Truncating at the first non-positive estimate is the initial positive
    sequence idea of Geyer (1992), applied to single lags.

    Examples
    --------
    >>> integrated_autocorrelation_time([1.0, 0.5, 0.25, -0.1, 0.3])
    2.5
    """
    rho = np.asarray(rho, dtype=np.float64)
    if rho.size == 0 or np.isnan(rho[0]):
        return float("nan")
    tau = 1.0
    for r in rho[1:]:
        if r <= 0.0:
            break
        tau += 2.0 * float(r)
    return tau


@dataclass(frozen=True)
class MixingDiagnostics:
    """How one Markov chain of a sampler moved away from the observed graph.

    Attributes
    ----------
    steps : ndarray of int
        Chain step of each checkpoint, 0 first.
    edge_overlap : ndarray of float
        Fraction of the observed edges present at each checkpoint.
    transitive_triangles : ndarray of int
        Transitive triangles (a -> b, a -> c, b -> c) at each checkpoint, a statistic
        every move can change.
    acceptance_rate : float
        Fraction of proposed moves accepted.
    burn_in : int
        Steps each sample's chain runs.
    edge_overlap_after_burn_in : float
        ``edge_overlap`` at the first checkpoint at or after ``burn_in`` (NaN if the
        chain is shorter).
    edge_overlap_stationary : float
        Mean ``edge_overlap`` over the checkpoints after ``burn_in`` (NaN likewise).
    autocorrelation : ndarray of float
        Of the triangle count after ``burn_in``, at lags of 0, 1, ... checkpoints (NaN
        where it is constant).
    integrated_autocorrelation_time : float
        Of the triangle count, in checkpoints (:func:`integrated_autocorrelation_time`).
    """

    steps: NDArray[np.int64]
    edge_overlap: NDArray[np.float64]
    transitive_triangles: NDArray[np.int64]
    acceptance_rate: float
    burn_in: int
    edge_overlap_after_burn_in: float
    edge_overlap_stationary: float
    autocorrelation: NDArray[np.float64]
    integrated_autocorrelation_time: float

    @classmethod
    def from_trace(cls, overlap: ArrayLike, triangles: ArrayLike, accepted: int, m: int,
                   spacing: int, burn_in: int) -> MixingDiagnostics:
        """Return the diagnostics of a chain traced at checkpoints ``spacing`` steps apart.

        Parameters
        ----------
        overlap : array of int
            Observed edges still present at each checkpoint, the start first.
        triangles : array of int
            Transitive triangles at each checkpoint.
        accepted : int
            Moves made over the whole trace.
        m : int
            Edges of the observed graph.
        spacing : int
            Steps between checkpoints.
        burn_in : int
            The model's burn-in; the stationary figures use the checkpoints after it.

        Notes
        -----
        O(checkpoints · max lag).
        """
        overlap = np.asarray(overlap)
        triangles = np.asarray(triangles, dtype=np.int64)
        n_checkpoints = overlap.size - 1
        steps = np.arange(n_checkpoints + 1, dtype=np.int64) * spacing
        fraction = overlap / m if m else np.ones(overlap.size)
        after = steps >= burn_in
        rho = autocorrelation(triangles[after])
        return cls(
            steps=steps,
            edge_overlap=fraction,
            transitive_triangles=triangles,
            acceptance_rate=accepted / (n_checkpoints * spacing),
            burn_in=burn_in,
            edge_overlap_after_burn_in=float(fraction[after][0]) if after.any() else np.nan,
            edge_overlap_stationary=float(fraction[after].mean()) if after.any() else np.nan,
            autocorrelation=rho,
            integrated_autocorrelation_time=integrated_autocorrelation_time(rho),
        )
