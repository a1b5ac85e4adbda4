"""The proximity model (PM): ordered pairs connected independently with a probability p(d)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import isotonic_regression, minimize
from scipy.spatial.distance import pdist, squareform
from scipy.special import expit, log_expit

from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.errors import MissingPositionsError
from connectome_motifs.nullmodels.pair_states import PairStateProbabilities

__all__ = ["ProximityModel"]

_ESTIMATORS = ("window", "logistic", "isotonic")


def _pair_connections(graph: SynapseGraph) -> NDArray[np.int64]:
    # Number of edges (0, 1 or 2) of each unordered pair, in scipy's condensed order.
    n = graph.n
    pre, post = graph.edges()
    lo = np.minimum(pre, post).astype(np.int64)
    hi = np.maximum(pre, post).astype(np.int64)
    index = n * lo - lo * (lo + 1) // 2 + (hi - lo - 1)
    return np.bincount(index, minlength=n * (n - 1) // 2)


class ProximityModel(IndependentDyadModel):
    """PM: each ordered pair is connected independently with a probability set by distance.

    Parameters
    ----------
    window : float
        Half-width in µm of the moving window of the ``"window"`` estimator (the paper's
        ±10 µm).
    estimator : {"window", "logistic", "isotonic"}
        How p(d) is estimated from the observed graph. ``"window"`` (the paper's): the
        fraction of connected ordered pairs among all ordered pairs whose distance lies
        within ``d ± window``. ``"logistic"``: maximum-likelihood ``p(d) = expit(b0 + b1 d)``.
        ``"isotonic"``: the maximum-likelihood non-increasing p(d) (pool-adjacent-violators
        on the pairs sorted by distance).
    lateral : bool
        Use the distance parallel to the cortical surface (ignoring the depth axis)
        instead of the 3-D distance.
    depth_axis : int
        Column of the positions (0 = x, 1 = y, 2 = z) that is cortical depth; in the
        MICrONS pinky100 coordinates it is y (the y range spans pia to layer 2/3 depth).

    Attributes
    ----------
    distances_ : ndarray of float, shape (n, n)
        Soma distances in µm (lateral if ``lateral``).
    pair_probabilities_ : ndarray of float, shape (n, n)
        Connection probability of every ordered pair ``i -> j`` (zero diagonal).
    distance_window_ : float
        The window half-width used (``"window"`` estimator only).
    coefficients_ : ndarray of float, shape (2,)
        ``(b0, b1)`` of the ``"logistic"`` estimator.
    isotonic_probabilities_ : ndarray of float, shape (n (n - 1) / 2,)
        The ``"isotonic"`` estimate at each of ``sorted_distances_``.
    sorted_distances_ : ndarray of float, shape (n (n - 1) / 2,)
        Every unordered pair's distance, increasing.
    cumulative_connections_ : ndarray of int, shape (n (n - 1) / 2 + 1,)
        Connected ordered pairs among the pairs up to each of ``sorted_distances_``
        (0 first): the window estimate is a difference of two entries.
    pair_states_ : PairStateProbabilities
        See :class:`~connectome_motifs.nullmodels.IndependentDyadModel`.

    Notes
    -----
    Fitting is O(n² log n) (sorting the pair distances) and O(n²) memory; sampling draws
    one uniform number per unordered pair, O(n²). A pair is reciprocal with probability
    ``p(d)²``.

    References
    ----------
    Turner et al., Cell 185:1082 (2022), the "PM" (proximity) model.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    >>> g = SynapseGraph.from_edges([0], [1], nodes=nodes)
    >>> float(ProximityModel(window=10.0).fit(g).pair_probabilities_[0, 1])
    0.5
    """

    alias = "PM"

    def __init__(
        self,
        window: float = 10.0,
        estimator: Literal["window", "logistic", "isotonic"] = "window",
        lateral: bool = False,
        depth_axis: int = 1,
    ) -> None:
        self.window = window
        self.estimator = estimator
        self.lateral = lateral
        self.depth_axis = depth_axis

    def _fit(self, graph: SynapseGraph) -> None:
        if self.estimator not in _ESTIMATORS:
            raise ValueError(f"estimator must be one of {_ESTIMATORS}, not {self.estimator!r}")
        if not self.window > 0:
            raise ValueError(f"window must be positive, not {self.window!r}")
        if self.depth_axis not in (0, 1, 2):
            raise ValueError(f"depth_axis must be 0, 1 or 2, not {self.depth_axis!r}")
        problem = self.unmet_requirement(graph)
        if problem is not None:
            raise MissingPositionsError(f"the proximity model (PM) {problem}")
        positions = graph.positions
        if self.lateral:
            positions = np.delete(positions, self.depth_axis, axis=1)
        distances = pdist(positions)
        connections = _pair_connections(graph)
        order = np.argsort(distances, kind="stable")
        self.sorted_distances_ = distances[order]
        self.cumulative_connections_ = np.concatenate(([0], np.cumsum(connections[order])))
        if self.estimator == "window":
            self.distance_window_ = float(self.window)
        elif self.estimator == "logistic":
            self.coefficients_ = self._fit_logistic(distances, connections)
        else:
            self.isotonic_probabilities_ = isotonic_regression(
                connections[order] / 2.0,
                weights=np.full(distances.size, 2.0),
                increasing=False,
            ).x
        # Evaluated at the sorted distances, whose binary searches then walk memory in order
        # (several times faster than in pair order for tens of millions of pairs).
        p = np.empty_like(distances)
        p[order] = self.connection_probability(self.sorted_distances_)
        # squareform turns an empty condensed array into a 1 x 1 matrix.
        self.distances_ = squareform(distances) if graph.n > 1 else np.zeros((graph.n,) * 2)
        self.pair_probabilities_ = squareform(p) if graph.n > 1 else np.zeros((graph.n,) * 2)
        self.pair_states_ = PairStateProbabilities(
            graph.n,
            one_way=self.pair_probabilities_ * (1.0 - self.pair_probabilities_.T),
            reciprocal=self.pair_probabilities_ * self.pair_probabilities_.T,
        )

    @classmethod
    def unmet_requirement(cls, graph: SynapseGraph) -> str | None:
        """Return why PM cannot be fitted to ``graph`` (no finite soma positions), or None.

        Examples
        --------
        >>> from connectome_motifs.graphs import SynapseGraph
        >>> ProximityModel.unmet_requirement(SynapseGraph.from_edges([0], [1]))
        "needs soma positions, but the graph's node table has no 'x', 'y', 'z' columns"
        """
        positions = graph.positions
        if positions is None:
            return "needs soma positions, but the graph's node table has no 'x', 'y', 'z' columns"
        bad = np.flatnonzero(~np.isfinite(positions).all(axis=1))
        if bad.size:
            return (f"needs finite soma positions; {bad.size} node(s) have none, first at "
                    f"node index {bad[0]}")
        return None

    @staticmethod
    def _fit_logistic(distances, connections) -> NDArray[np.float64]:
        # Each unordered pair is two Bernoulli trials with ``connections`` successes.
        scale = distances.std() if distances.size > 1 and distances.std() > 0 else 1.0
        x = (distances - distances.mean()) / scale if distances.size else distances

        def negative_log_likelihood(beta):
            eta = beta[0] + beta[1] * x
            return -(connections @ log_expit(eta) + (2 - connections) @ log_expit(-eta))

        beta = minimize(negative_log_likelihood, np.zeros(2), method="BFGS").x
        mean = distances.mean() if distances.size else 0.0
        return np.array([beta[0] - beta[1] * mean / scale, beta[1] / scale])

    def connection_probability(self, distance: ArrayLike) -> NDArray[np.float64]:
        """Return the fitted connection probability p(d) at the given distances (µm).

        Parameters
        ----------
        distance : array of float
            Distances, lateral if the model is.

        Returns
        -------
        ndarray of float
            Same shape as ``distance``. The window estimate at ``d`` counts the observed
            pairs within ``d ± window`` (NaN where there are none); the isotonic estimate
            is interpolated linearly between observed distances.

        Raises
        ------
        NotFittedError
            If the model is not fitted.

        Notes
        -----
        O(k log n) for ``k`` distances (binary search in the sorted pair distances).
        """
        d = np.asarray(distance, dtype=np.float64)
        if self.estimator == "logistic":
            b0, b1 = self.coefficients_
            return expit(b0 + b1 * d)
        if self.estimator == "isotonic":
            if self.sorted_distances_.size == 0:
                return np.full(d.shape, np.nan)
            return np.interp(d, self.sorted_distances_, self.isotonic_probabilities_)
        lo = np.searchsorted(self.sorted_distances_, d - self.window, side="left")
        hi = np.searchsorted(self.sorted_distances_, d + self.window, side="right")
        pairs = hi - lo
        connected = self.cumulative_connections_[hi] - self.cumulative_connections_[lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(pairs > 0, connected / (2.0 * pairs), np.nan)
