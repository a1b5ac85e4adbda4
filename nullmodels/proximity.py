"""The proximity model (PM): ordered pairs connected independently with a probability p(d)."""

from __future__ import annotations

from typing import Literal

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import isotonic_regression, minimize
from scipy.special import expit, log_expit

from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.errors import MissingPositionsError
from connectome_motifs.nullmodels.kernels.dyad_sampling import edges_to_csr
from connectome_motifs.nullmodels.kernels.random_bits import new_state
from connectome_motifs.nullmodels.kernels.spatial import (
    distance_bins_of_edges,
    pair_distance_histogram,
    pair_probability_rows,
    sample_distance_dependent,
)
from connectome_motifs.nullmodels.pair_states import PairStateProbabilities

__all__ = ["ProximityModel"]

_ESTIMATORS = ("window", "logistic", "isotonic")
# Nodes per non-empty voxel of the sampler's grid, on average over the bounding box.
_NODES_PER_VOXEL = 16
# Distance bins at most (1 mm at the default resolution of 0.1 µm is 10,000).
_MAX_BINS = 2_000_000


def _voxel_grid(positions: NDArray[np.float64]):
    """Return ``(members, voxel_start, voxel_coords, side)`` of a cubic grid over the nodes."""
    n, dims = positions.shape
    low = positions.min(axis=0) if n else np.zeros(dims)
    extent = positions.max(axis=0) - low if n else np.zeros(dims)
    spread = extent[extent > 0]
    side = (float(np.prod(spread)) * _NODES_PER_VOXEL / max(n, 1)) ** (1 / spread.size) \
        if spread.size else 1.0
    coords = np.floor((positions - low) / side).astype(np.int64)
    voxels, voxel_of = np.unique(coords, axis=0, return_inverse=True)
    voxel_of = voxel_of.ravel()
    members = np.argsort(voxel_of, kind="stable").astype(np.int64)
    voxel_start = np.concatenate(([0], np.cumsum(np.bincount(voxel_of,
                                                             minlength=len(voxels)))))
    return members, voxel_start.astype(np.int64), voxels.reshape(-1, dims), side


def _range_max_table(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the sparse table whose row k holds the maxima of ``values`` over 2**k bins."""
    rows = [values]
    width = 1
    while 2 * width <= values.size:
        previous = rows[-1]
        rows.append(np.maximum(previous[:-width], previous[width:]))
        width *= 2
    table = np.zeros((len(rows), values.size))
    for k, row in enumerate(rows):
        table[k, : row.size] = row
    return table


class ProximityModel(IndependentDyadModel):
    """PM: each ordered pair is connected independently with a probability set by distance.

    Parameters
    ----------
    window : float
        Half-width in µm of the moving window of the ``"window"`` estimator (the paper's
        ±10 µm), rounded to whole distance bins.
    estimator : {"window", "logistic", "isotonic"}
        How p(d) is estimated from the observed graph. ``"window"`` (the paper's): the
        fraction of connected ordered pairs among all ordered pairs whose distance bin
        lies within ``window`` of ``d``'s. ``"logistic"``: maximum-likelihood
        ``p(d) = expit(b0 + b1 d)``, ``d`` each bin's centre. ``"isotonic"``: the
        maximum-likelihood non-increasing p(d) (pool-adjacent-violators over the bins).
    lateral : bool
        Use the distance parallel to the cortical surface (ignoring the depth axis)
        instead of the 3-D distance.
    depth_axis : int
        Column of the positions (0 = x, 1 = y, 2 = z) that is cortical depth; in the
        MICrONS pinky100 coordinates it is y (the y range spans pia to layer 2/3 depth).
    resolution : float
        Width in µm of the distance bins: p(d) is estimated per bin and is the same for
        every pair in a bin (pair ``{i, j}`` is in bin ``int(d_ij / resolution)``).

    Attributes
    ----------
    positions_ : ndarray of float, shape (n, 3) or (n, 2)
        Soma positions in µm (without the depth axis if ``lateral``).
    pair_counts_ : ndarray of int64, shape (n_bins,)
        Unordered pairs of nodes per distance bin.
    connected_counts_ : ndarray of int64, shape (n_bins,)
        Connected ordered pairs (edges) per distance bin.
    bin_probabilities_ : ndarray of float, shape (n_bins,)
        The fitted p(d) of each bin (NaN for the window estimator where the window holds
        no pairs).
    distance_window_ : float
        The window half-width used, a whole number of bins (``"window"`` estimator only).
    coefficients_ : ndarray of float, shape (2,)
        ``(b0, b1)`` of the ``"logistic"`` estimator.
    probability_bounds_ : ndarray of float, shape (levels, n_bins)
        Sparse table of the largest p(d) over runs of 2**k bins, the sampler's bounds; row
        0 is p(d) of each bin with 0 where it is NaN, the probabilities every pair gets.
    voxel_grid_ : tuple
        ``(members, voxel_start, voxel_coords, side)``: the nodes ordered by the cubic
        voxel of edge ``side`` µm they lie in, for the sampler.
    pair_states_ : PairStateProbabilities
        See :class:`~connectome_motifs.nullmodels.IndependentDyadModel`; built on each
        access from the positions, O(n²) time and memory.

    Notes
    -----
    Fitting is O(n²) time (every pair's distance, in parallel) and O(n + bins) memory;
    no n × n matrix is held. Sampling walks a cubic voxel grid of about 16 nodes per
    voxel: for every ordered pair of voxels it bounds p(d) over the distances their
    nodes can have, finds candidate pairs by geometric skipping with that bound and
    keeps each with probability p(d) / bound, O(V² + n + candidates) for V voxels,
    typically a small multiple of the edges. A pair is reciprocal with probability
    ``p(d)²``.

    References
    ----------
    Turner et al., Cell 185:1082 (2022), the "PM" (proximity) model. V. Batagelj and
    U. Brandes, "Efficient generation of large random networks", Phys. Rev. E 71,
    036113 (2005).

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    >>> g = SynapseGraph.from_edges([0], [1], nodes=nodes)
    >>> float(ProximityModel(window=10.0).fit(g).connection_probability(5.0))
    0.5
    """

    alias = "PM"

    def __init__(
        self,
        window: float = 10.0,
        estimator: Literal["window", "logistic", "isotonic"] = "window",
        lateral: bool = False,
        depth_axis: int = 1,
        resolution: float = 0.1,
    ) -> None:
        self.window = window
        self.estimator = estimator
        self.lateral = lateral
        self.depth_axis = depth_axis
        self.resolution = resolution

    def _fit(self, graph: SynapseGraph) -> None:
        if self.estimator not in _ESTIMATORS:
            raise ValueError(f"estimator must be one of {_ESTIMATORS}, not {self.estimator!r}")
        if not self.window > 0:
            raise ValueError(f"window must be positive, not {self.window!r}")
        if not self.resolution > 0:
            raise ValueError(f"resolution must be positive, not {self.resolution!r}")
        if self.depth_axis not in (0, 1, 2):
            raise ValueError(f"depth_axis must be 0, 1 or 2, not {self.depth_axis!r}")
        problem = self.unmet_requirement(graph)
        if problem is not None:
            raise MissingPositionsError(f"the proximity model (PM) {problem}")
        positions = np.ascontiguousarray(graph.positions, dtype=np.float64)
        if self.lateral:
            positions = np.ascontiguousarray(np.delete(positions, self.depth_axis, axis=1))
        resolution = float(self.resolution)
        extent = np.ptp(positions, axis=0) if graph.n else np.zeros(positions.shape[1])
        n_bins = int(np.linalg.norm(extent) / resolution) + 2
        if n_bins > _MAX_BINS:
            raise ValueError(
                f"the somata span {np.linalg.norm(extent):.4g} µm, {n_bins} distance bins of "
                f"{resolution:g} µm (at most {_MAX_BINS}); are the positions in µm? Convert "
                "them, or raise resolution")
        pre, post = graph.edges()
        self.positions_ = positions
        self.pair_counts_ = pair_distance_histogram(positions, resolution, n_bins,
                                                    2 * numba.get_num_threads())
        self.connected_counts_ = np.bincount(
            distance_bins_of_edges(positions, pre, post, resolution), minlength=n_bins)
        if self.estimator == "window":
            self.bin_probabilities_ = self._fit_window()
        elif self.estimator == "logistic":
            self.coefficients_ = self._fit_logistic()
            self.bin_probabilities_ = expit(self.coefficients_[0]
                                            + self.coefficients_[1] * self._bin_centres())
        else:
            self.bin_probabilities_ = self._fit_isotonic()
        sampled = np.nan_to_num(self.bin_probabilities_, nan=0.0)
        self.probability_bounds_ = _range_max_table(sampled)
        self.voxel_grid_ = _voxel_grid(positions)

    def _bin_centres(self) -> NDArray[np.float64]:
        return (np.arange(self.pair_counts_.size) + 0.5) * self.resolution

    def _fit_window(self) -> NDArray[np.float64]:
        half = int(np.rint(self.window / self.resolution))
        self.distance_window_ = half * self.resolution
        pairs = np.concatenate(([0], np.cumsum(self.pair_counts_)))
        connected = np.concatenate(([0], np.cumsum(self.connected_counts_)))
        k = np.arange(self.pair_counts_.size)
        lo = np.maximum(k - half, 0)
        hi = np.minimum(k + half + 1, k.size)
        in_window = pairs[hi] - pairs[lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(in_window > 0,
                            (connected[hi] - connected[lo]) / (2.0 * in_window), np.nan)

    def _fit_logistic(self) -> NDArray[np.float64]:
        # Bin b holds 2 pairs_b Bernoulli trials at its centre with connected_b successes.
        trials = 2.0 * self.pair_counts_
        successes = self.connected_counts_.astype(np.float64)
        d = self._bin_centres()
        total = trials.sum()
        mean = (trials @ d) / total if total else 0.0
        variance = (trials @ (d - mean) ** 2) / total if total else 0.0
        scale = np.sqrt(variance) if variance > 0 else 1.0
        x = (d - mean) / scale

        def negative_log_likelihood(beta):
            eta = beta[0] + beta[1] * x
            return -(successes @ log_expit(eta) + (trials - successes) @ log_expit(-eta))

        beta = minimize(negative_log_likelihood, np.zeros(2), method="BFGS").x
        return np.array([beta[0] - beta[1] * mean / scale, beta[1] / scale])

    def _fit_isotonic(self) -> NDArray[np.float64]:
        populated = np.flatnonzero(self.pair_counts_)
        if populated.size == 0:
            return np.full(self.pair_counts_.size, np.nan)
        trials = 2.0 * self.pair_counts_[populated]
        fitted = isotonic_regression(self.connected_counts_[populated] / trials,
                                     weights=trials, increasing=False).x
        # Between populated bins, the value of the nearest populated bin below.
        below = np.maximum(np.searchsorted(populated, np.arange(self.pair_counts_.size),
                                           side="right") - 1, 0)
        return fitted[below]

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

    def connection_probability(self, distance: ArrayLike) -> NDArray[np.float64]:
        """Return the fitted connection probability p(d) at the given distances (µm).

        Parameters
        ----------
        distance : array of float
            Distances, lateral if the model is.

        Returns
        -------
        ndarray of float
            Same shape as ``distance``: the probability of the bin each distance falls
            in. Beyond the fitted bins (farther than any two nodes) the window estimate
            is NaN, the isotonic one that of the last bin and the logistic one its
            formula at the bin's centre.

        Raises
        ------
        NotFittedError
            If the model is not fitted.

        Notes
        -----
        O(k) for ``k`` distances.
        """
        d = np.asarray(distance, dtype=np.float64)
        bins = np.floor(d / self.resolution)
        inside = (bins >= 0) & (bins < self.bin_probabilities_.size)
        p = self.bin_probabilities_[np.where(inside, bins, 0).astype(np.int64)]
        if self.estimator == "logistic":
            b0, b1 = self.coefficients_
            return np.where(inside, p, expit(b0 + b1 * (bins + 0.5) * self.resolution))
        if self.estimator == "isotonic":
            return np.where(inside, p, self.bin_probabilities_[-1])
        return np.where(inside, p, np.nan)

    def pair_probabilities(self, start: int = 0, stop: int | None = None) -> NDArray[np.float64]:
        """Return the connection probability of every ordered pair ``i -> j``, rows ``start:stop``.

        Returns
        -------
        ndarray of float, shape (stop - start, n)
            Zero where ``i == j``. O((stop - start) n) time and memory.
        """
        self.check_fitted()
        n = self.graph_.n
        stop = n if stop is None else stop
        if not 0 <= start <= stop <= n:
            raise ValueError(f"rows {start}:{stop} are not within 0:{n}")
        return pair_probability_rows(self.positions_, start, stop,
                                     self.probability_bounds_[0], float(self.resolution))

    @property
    def pair_states_(self) -> PairStateProbabilities:
        p = self.pair_probabilities()
        return PairStateProbabilities(self.graph_.n, one_way=p * (1.0 - p), reciprocal=p * p)

    def expected_pair_states(self) -> tuple[float, float, float]:
        # Every pair of a bin has the same p: a sum over bins, O(bins).
        p = self.probability_bounds_[0]
        pairs = self.pair_counts_
        return (float(pairs @ (1.0 - p) ** 2), float(pairs @ (2.0 * p * (1.0 - p))),
                float(pairs @ p**2))

    def _sample(self, rng) -> SynapseGraph:
        n = self.graph_.n
        mean = float(self.pair_counts_ @ (2.0 * self.probability_bounds_[0]))
        capacity = int(mean + 6.0 * np.sqrt(mean)) + 16
        pre, post = sample_distance_dependent(
            self.positions_, *self.voxel_grid_, self.probability_bounds_, float(self.resolution),
            capacity, new_state(rng))
        return self._graph_from_csr(*edges_to_csr(n, pre, post))
