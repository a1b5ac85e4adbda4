"""The proximity model (PM): ordered pairs connected independently with a probability p(d),
optionally a p(d) per ordered pair of cell groups, and the comparison of p(d) estimators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from connectome_motifs.graphs.convert import as_synapse_graph
from connectome_motifs.graphs.groups import NodeGroups, node_groups
from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.distance_fits import (
    BinnedFit,
    bernoulli_log_likelihood,
    fit_exponential,
    fit_isotonic,
    fit_logistic,
    fit_window,
)
from connectome_motifs.nullmodels.errors import MissingPositionsError
from connectome_motifs.nullmodels.kernels.dyad_sampling import edges_to_csr
from connectome_motifs.nullmodels.kernels.random_bits import new_state
from connectome_motifs.nullmodels.kernels.spatial import (
    distance_bins_of_edges,
    group_pair_distance_histogram,
    pair_distance_histogram,
    pair_probability_rows,
    sample_distance_dependent,
)
from connectome_motifs.nullmodels.pair_states import PairStateProbabilities

__all__ = [
    "ExponentialProximityModel",
    "GroupedProximityModel",
    "ProximityModel",
    "compare_distance_models",
]

Estimator = Literal["window", "logistic", "isotonic", "exponential"]
_ESTIMATORS = ("window", "logistic", "isotonic", "exponential")
# Nodes per non-empty voxel of the sampler's grid, on average over the bounding box.
_NODES_PER_VOXEL = 16
# Distance bins at most (1 mm at the default resolution of 0.1 µm is 10,000).
_MAX_BINS = 2_000_000
# Group pairs × distance bins at most (80 MB per count or probability array).
_MAX_GROUP_BIN_ENTRIES = 10_000_000


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


@dataclass(frozen=True)
class _PairCounts:
    """Ordered pairs and edges per source group, target group and distance bin."""

    positions: NDArray[np.float64]
    groups: NodeGroups | None
    codes: NDArray[np.int32]
    pair_counts: NDArray[np.int64]
    connected_counts: NDArray[np.int64]
    trials: NDArray[np.int64]
    successes: NDArray[np.int64]
    resolution: float

    @property
    def n_groups(self) -> int:
        return self.trials.shape[0]

    @property
    def centres(self) -> NDArray[np.float64]:
        return (np.arange(self.pair_counts.size) + 0.5) * self.resolution


def _pair_counts(graph: SynapseGraph, lateral: bool, depth_axis: int, resolution: float,
                 groups: str | None) -> _PairCounts:
    """Return the pair and edge counts by bin (and group pair); O(n² dims + m)."""
    positions = np.ascontiguousarray(graph.positions, dtype=np.float64)
    if lateral:
        positions = np.ascontiguousarray(np.delete(positions, depth_axis, axis=1))
    extent = np.ptp(positions, axis=0) if graph.n else np.zeros(positions.shape[1])
    n_bins = int(np.linalg.norm(extent) / resolution) + 2
    if n_bins > _MAX_BINS:
        raise ValueError(
            f"the somata span {np.linalg.norm(extent):.4g} µm, {n_bins} distance bins of "
            f"{resolution:g} µm (at most {_MAX_BINS}); are the positions in µm? Convert "
            "them, or raise resolution")
    found = None if groups is None else node_groups(graph, groups)
    codes = np.zeros(graph.n, dtype=np.int32) if found is None else found.codes
    n_groups = 1 if found is None else found.n_groups
    if found is not None and n_groups * n_groups * n_bins > _MAX_GROUP_BIN_ENTRIES:
        raise ValueError(
            f"{n_groups} groups of column {groups!r} make {n_groups ** 2} group pairs × "
            f"{n_bins} distance bins of {resolution:g} µm, more than "
            f"{_MAX_GROUP_BIN_ENTRIES:,} p(d) values; raise resolution or use fewer groups")
    pre, post = graph.edges()
    edge_bins = distance_bins_of_edges(positions, pre, post, resolution)
    chunks = 2 * numba.get_num_threads()
    if found is None:
        pair_counts = pair_distance_histogram(positions, resolution, n_bins, chunks)
        trials = (2 * pair_counts).reshape(1, 1, n_bins)
    else:
        members = np.argsort(codes, kind="stable").astype(np.int64)
        group_start = np.concatenate(([0], np.cumsum(found.sizes))).astype(np.int64)
        trials = group_pair_distance_histogram(positions, members, group_start, resolution,
                                               n_bins, chunks)
        pair_counts = trials.sum(axis=(0, 1)) // 2
    flat = (codes[pre].astype(np.int64) * n_groups + codes[post]) * n_bins + edge_bins
    successes = np.bincount(flat, minlength=n_groups * n_groups * n_bins).reshape(trials.shape)
    return _PairCounts(positions, found, codes, pair_counts,
                       np.bincount(edge_bins, minlength=n_bins), trials, successes,
                       resolution)


def _fit_bins(counts: _PairCounts, estimator: str, half: int) -> list[BinnedFit]:
    """Return the fit of every ordered group pair, row-major; O(G² bins)."""
    fits = []
    g, _, n_bins = counts.trials.shape
    for trials, successes in zip(counts.trials.reshape(g * g, n_bins),
                                 counts.successes.reshape(g * g, n_bins), strict=True):
        if estimator == "window":
            fits.append(fit_window(trials, successes, half))
        elif estimator == "logistic":
            fits.append(fit_logistic(trials, successes, counts.centres))
        elif estimator == "exponential":
            fits.append(fit_exponential(trials, successes, counts.centres))
        else:
            fits.append(fit_isotonic(trials, successes))
    return fits


def _log_likelihood(counts: _PairCounts, fits: list[BinnedFit]) -> float:
    g, _, n_bins = counts.trials.shape
    return float(sum(
        bernoulli_log_likelihood(t, s, fit.probabilities)
        for t, s, fit in zip(counts.trials.reshape(g * g, n_bins),
                             counts.successes.reshape(g * g, n_bins), fits, strict=True)))


class ProximityModel(IndependentDyadModel):
    """PM: each ordered pair is connected independently with a probability set by distance.

    Parameters
    ----------
    window : float
        Half-width in µm of the moving window of the ``"window"`` estimator (the paper's
        ±10 µm), rounded to whole distance bins.
    estimator : {"window", "logistic", "isotonic", "exponential"}
        How p(d) is estimated from the observed graph, all from the ordered pairs of each
        distance bin (:mod:`~connectome_motifs.nullmodels.distance_fits`). ``"window"``
        (the paper's): the fraction of connected ordered pairs among all ordered pairs
        whose distance bin lies within ``window`` of ``d``'s. ``"logistic"``:
        maximum-likelihood ``p(d) = expit(b0 + b1 d)``, ``d`` each bin's centre.
        ``"isotonic"``: the maximum-likelihood non-increasing p(d) (pool-adjacent-
        violators over the bins). ``"exponential"``: maximum-likelihood
        ``p(d) = a exp(-b d)``, ``0 < a <= 1``, ``b >= 0``, ``d`` each bin's centre
        (BlueBrain's DD2 model).
    lateral : bool
        Use the distance parallel to the cortical surface (ignoring the depth axis)
        instead of the 3-D distance.
    depth_axis : int
        Column of the positions (0 = x, 1 = y, 2 = z) that is cortical depth; in the
        MICrONS pinky100 coordinates it is y (the y range spans pia to layer 2/3 depth).
    resolution : float
        Width in µm of the distance bins: p(d) is estimated per bin and is the same for
        every pair in a bin (pair ``{i, j}`` is in bin ``int(d_ij / resolution)``).
    groups : str or None
        A categorical node-table column (cell type...): fit a p(d) per ordered pair of
        its groups (:func:`~connectome_motifs.graphs.node_groups`), by the same
        estimator, so ``P(i -> j)`` depends on the groups of ``i`` and ``j`` and on
        ``d_ij``, and ``i -> j`` and ``j -> i`` may differ. None: one p(d) for all.

    Attributes
    ----------
    positions_ : ndarray of float, shape (n, 3) or (n, 2)
        Soma positions in µm (without the depth axis if ``lateral``).
    pair_counts_ : ndarray of int64, shape (n_bins,)
        Unordered pairs of nodes per distance bin.
    connected_counts_ : ndarray of int64, shape (n_bins,)
        Connected ordered pairs (edges) per distance bin.
    groups_ : NodeGroups or None
        The groups of ``groups`` (G of them), or None.
    group_pair_counts_, group_connected_counts_ : ndarray of int64, shape (G, G, n_bins)
        With groups only: ordered pairs ``i -> j`` and edges per group of ``i``, group of
        ``j`` and distance bin.
    bin_probabilities_ : ndarray of float, shape (n_bins,), or (G, G, n_bins) with groups
        The fitted p(d) of each bin (and ordered group pair); NaN for the window
        estimator where the window holds no pairs.
    distance_window_ : float
        The window half-width used, a whole number of bins (``"window"`` estimator only).
    coefficients_ : ndarray of float, shape (2,), or (G, G, 2) with groups
        ``(b0, b1)`` of the ``"logistic"`` estimator, ``(a, b)`` of the
        ``"exponential"`` one.
    log_likelihood_ : float
        The Bernoulli log-likelihood of the observed graph under the fitted model, exact
        over all ``n (n - 1)`` ordered pairs (every pair of a bin and group pair has the
        same p).
    n_parameters_ : float
        Parameters the fit estimated, summed over the group pairs that have pairs: 2 for
        ``"logistic"`` and ``"exponential"``; the number of distinct levels for
        ``"isotonic"``; for ``"window"`` the trace of its hat matrix, ``Σ_k T_k / W_k``
        over bins of ``T_k`` ordered pairs whose windows hold ``W_k`` (1 when one window
        holds every pair, the number of populated bins when no window reaches past its
        own bin), the effective parameters of a linear smoother.
    aic_ : float
        ``2 n_parameters_ - 2 log_likelihood_``.
    probability_bounds_ : ndarray of float, shape (levels, n_bins)
        Sparse table of the largest p(d) over runs of 2**k bins, the sampler's bounds; row
        0 is the largest p(d) over the group pairs of each bin (without groups, p(d)
        itself), 0 where it is NaN.
    voxel_grid_ : tuple
        ``(members, voxel_start, voxel_coords, side)``: the nodes ordered by the cubic
        voxel of edge ``side`` µm they lie in, for the sampler.
    pair_states_ : PairStateProbabilities
        See :class:`~connectome_motifs.nullmodels.IndependentDyadModel`; built on each
        access from the positions, O(n²) time and memory.

    Notes
    -----
    Fitting is O(n²) time (every pair's distance, in parallel) and O(n + G² bins)
    memory; no n × n matrix is held. The estimators work on the binned counts, O(bins)
    per group pair (per likelihood evaluation for the logistic and exponential fits).
    Sampling walks a cubic voxel grid of about 16 nodes per voxel: for every ordered
    pair of voxels it bounds p(d) over the distances their nodes can have (and over the
    group pairs), finds candidate pairs by geometric skipping with that bound and keeps
    each with probability p / bound, O(V² + n + candidates) for V voxels, typically a
    small multiple of the edges. A pair is reciprocal with probability
    ``p_ij p_ji`` (``p(d)²`` without groups). Exact expected dyad censuses are sums over
    bins and group pairs, O(G² bins).

    References
    ----------
    Turner et al., Cell 185:1082 (2022), the "PM" (proximity) model. V. Batagelj and
    U. Brandes, "Efficient generation of large random networks", Phys. Rev. E 71,
    036113 (2005). BlueBrain connectome-analysis: the exponential distance-dependent
    model ``run_DD2`` and its distance × type version ``run_DD2_block`` (an ``(a, b)``
    per pair of m-types).

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
        estimator: Estimator = "window",
        lateral: bool = False,
        depth_axis: int = 1,
        resolution: float = 0.1,
        groups: str | None = None,
    ) -> None:
        self.window = window
        self.estimator = estimator
        self.lateral = lateral
        self.depth_axis = depth_axis
        self.resolution = resolution
        self.groups = groups

    def _check_settings(self, graph: SynapseGraph) -> None:
        if self.estimator not in _ESTIMATORS:
            raise ValueError(f"estimator must be one of {_ESTIMATORS}, not {self.estimator!r}")
        if not self.window > 0:
            raise ValueError(f"window must be positive, not {self.window!r}")
        if not self.resolution > 0:
            raise ValueError(f"resolution must be positive, not {self.resolution!r}")
        if self.depth_axis not in (0, 1, 2):
            raise ValueError(f"depth_axis must be 0, 1 or 2, not {self.depth_axis!r}")
        if self.groups is not None and not isinstance(self.groups, str):
            raise ValueError(f"groups must be a node-table column name or None, not "
                             f"{self.groups!r}")
        problem = self.unmet_requirement(graph)
        if problem is not None:
            raise MissingPositionsError(f"the proximity model (PM) {problem}")

    def _half_window(self) -> int:
        return int(np.rint(self.window / self.resolution))

    def _fit(self, graph: SynapseGraph) -> None:
        self._check_settings(graph)
        counts = _pair_counts(graph, self.lateral, self.depth_axis, float(self.resolution),
                              self.groups)
        fits = _fit_bins(counts, self.estimator, self._half_window())
        shape = counts.trials.shape
        self.positions_ = counts.positions
        self.pair_counts_ = counts.pair_counts
        self.connected_counts_ = counts.connected_counts
        self.groups_ = counts.groups
        # np.array, not np.stack: a graph without nodes has no groups, so no fits.
        probabilities = np.array([fit.probabilities for fit in fits]).reshape(shape)
        if counts.groups is None:
            self.bin_probabilities_ = probabilities[0, 0]
        else:
            self.group_pair_counts_ = counts.trials
            self.group_connected_counts_ = counts.successes
            self.bin_probabilities_ = probabilities
        if self.estimator == "window":
            self.distance_window_ = self._half_window() * self.resolution
        if self.estimator in ("logistic", "exponential"):
            coefficients = np.array([fit.coefficients for fit in fits]).reshape(*shape[:2], 2)
            self.coefficients_ = coefficients[0, 0] if counts.groups is None else coefficients
        self.log_likelihood_ = _log_likelihood(counts, fits)
        self.n_parameters_ = float(sum(fit.n_parameters for fit in fits))
        self.aic_ = 2.0 * self.n_parameters_ - 2.0 * self.log_likelihood_
        self._counts = counts
        self._table = np.ascontiguousarray(
            np.nan_to_num(probabilities, nan=0.0).reshape(shape[0] * shape[1], shape[2]))
        self.probability_bounds_ = _range_max_table(self._table.max(axis=0, initial=0.0))
        self.voxel_grid_ = _voxel_grid(counts.positions)
        # The edge buffers of a sample: its expected edges and six SDs more (a dot product
        # over every bin, once here rather than per sample, where it would hold the GIL).
        mean = float(counts.trials.reshape(-1) @ self._table.reshape(-1))
        self._edge_capacity = int(mean + 6.0 * np.sqrt(mean)) + 16

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

    def _group_index(self, label: Any, role: str) -> int:
        labels = self.groups_.labels
        if label not in labels:
            raise ValueError(f"{role} {label!r} is not a group of column {self.groups!r}; "
                             f"its groups are {', '.join(map(repr, labels))}")
        return labels.index(label)

    def connection_probability(self, distance: ArrayLike, source: str | None = None,
                               target: str | None = None) -> NDArray[np.float64]:
        """Return the fitted connection probability p(d) at the given distances (µm).

        Parameters
        ----------
        distance : array of float
            Distances, lateral if the model is.
        source, target : str, optional
            With groups (and only then): the groups of the presynaptic and postsynaptic
            cells, labels of ``groups_``.

        Returns
        -------
        ndarray of float
            Same shape as ``distance``: the probability of the bin each distance falls
            in. Beyond the fitted bins (farther than any two nodes) the window estimate
            is NaN, the isotonic one that of the last bin and the logistic and
            exponential ones their formula at the bin's centre.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        ValueError
            If ``source`` and ``target`` are missing with groups, given without, or not
            group labels.

        Notes
        -----
        O(k) for ``k`` distances.
        """
        self.check_fitted()
        probabilities = self.bin_probabilities_
        coefficients = getattr(self, "coefficients_", None)
        if self.groups_ is None:
            if source is not None or target is not None:
                raise ValueError("source and target groups need a model fitted with groups")
        else:
            if source is None or target is None:
                raise ValueError(f"a model fitted with groups ({self.groups!r}) needs the "
                                 "source and target groups")
            g = self._group_index(source, "source")
            h = self._group_index(target, "target")
            probabilities = probabilities[g, h]
            coefficients = None if coefficients is None else coefficients[g, h]
        d = np.asarray(distance, dtype=np.float64)
        bins = np.floor(d / self.resolution)
        inside = (bins >= 0) & (bins < probabilities.size)
        p = probabilities[np.where(inside, bins, 0).astype(np.int64)]
        centres = (bins + 0.5) * self.resolution
        if self.estimator == "logistic":
            return np.where(inside, p, expit(coefficients[0] + coefficients[1] * centres))
        if self.estimator == "exponential":
            return np.where(inside, p, coefficients[0] * np.exp(-coefficients[1] * centres))
        if self.estimator == "isotonic":
            return np.where(inside, p, probabilities[-1])
        return np.where(inside, p, np.nan)

    def pair_probabilities(self, start: int = 0, stop: int | None = None) -> NDArray[np.float64]:
        """Return the connection probability of every ordered pair ``i -> j``, rows ``start:stop``.

        Returns
        -------
        ndarray of float, shape (stop - start, n)
            Zero where ``i == j``; not symmetric with groups. O((stop - start) n) time
            and memory.
        """
        self.check_fitted()
        n = self.graph_.n
        stop = n if stop is None else stop
        if not 0 <= start <= stop <= n:
            raise ValueError(f"rows {start}:{stop} are not within 0:{n}")
        counts = self._counts
        return pair_probability_rows(self.positions_, counts.codes, counts.n_groups, start,
                                     stop, self._table, float(self.resolution))

    @property
    def pair_states_(self) -> PairStateProbabilities:
        p = self.pair_probabilities()
        return PairStateProbabilities(self.graph_.n, one_way=p * (1.0 - p.T),
                                      reciprocal=p * p.T)

    def expected_pair_states(self) -> tuple[float, float, float]:
        # Every pair of a bin and group pair has the same p: a sum over them, O(G² bins).
        # Each unordered pair is counted once from each end, hence the halves.
        self.check_fitted()
        counts = self._counts
        g = counts.n_groups
        p = self._table.reshape(g, g, self._table.shape[1])
        q = p.transpose(1, 0, 2)
        trials = counts.trials.reshape(-1).astype(np.float64)
        null = ((1.0 - p) * (1.0 - q)).reshape(-1)
        one_way = (p * (1.0 - q) + q * (1.0 - p)).reshape(-1)
        reciprocal = (p * q).reshape(-1)
        return (float(trials @ null) / 2, float(trials @ one_way) / 2,
                float(trials @ reciprocal) / 2)

    def _sample(self, rng) -> SynapseGraph:
        n = self.graph_.n
        counts = self._counts
        pre, post = sample_distance_dependent(
            self.positions_, counts.codes, counts.n_groups, self._table, *self.voxel_grid_,
            self.probability_bounds_, float(self.resolution), self._edge_capacity,
            new_state(rng))
        return self._graph_from_csr(*edges_to_csr(n, pre, post))


class ExponentialProximityModel(ProximityModel):
    """PM-exp: :class:`ProximityModel` whose p(d) is ``a exp(-b d)`` by default (DD2).

    The same model and settings, with ``estimator="exponential"`` as the default, so
    that the registry of models can name it.

    Examples
    --------
    >>> ExponentialProximityModel().estimator
    'exponential'
    """

    alias = "PM-exp"

    def __init__(
        self,
        window: float = 10.0,
        estimator: Estimator = "exponential",
        lateral: bool = False,
        depth_axis: int = 1,
        resolution: float = 0.1,
        groups: str | None = None,
    ) -> None:
        super().__init__(window, estimator, lateral, depth_axis, resolution, groups)


class GroupedProximityModel(ProximityModel):
    """PM-group: :class:`ProximityModel` with a p(d) per ordered pair of cell groups.

    The same model and settings; ``groups`` is required (a run passes its group column
    to models that use groups).

    Raises
    ------
    ValueError
        From :meth:`fit`, if ``groups`` is None.

    Examples
    --------
    >>> GroupedProximityModel(groups="celltype").groups
    'celltype'
    """

    alias = "PM-group"
    uses_groups = True

    def _fit(self, graph: SynapseGraph) -> None:
        if self.groups is None:
            raise ValueError("PM-group needs groups: the node-table column of the cell "
                             "groups whose ordered pairs get a p(d) each")
        super()._fit(graph)


def compare_distance_models(
    graph: Any,
    estimators: Sequence[str] = _ESTIMATORS,
    groups: str | Sequence[str | None] | None = None,
    *,
    window: float = 10.0,
    lateral: bool = False,
    depth_axis: int = 1,
    resolution: float = 0.1,
) -> pd.DataFrame:
    """Return the log-likelihood, parameters and AIC of PM fits to ``graph``, best first.

    Parameters
    ----------
    graph : SynapseGraph or convertible
        The observed graph, with soma positions.
    estimators : sequence of str
        :class:`ProximityModel` estimators to fit.
    groups : str, None or sequence of them
        The ``groups`` setting of the fits; a sequence compares several (None among
        them: without groups), each with every estimator.
    window, lateral, depth_axis, resolution
        The other settings of :class:`ProximityModel`, the same for every fit.

    Returns
    -------
    pandas.DataFrame
        One row per fit, sorted by AIC: ``estimator``, ``groups`` (None without),
        ``log_likelihood`` (:attr:`ProximityModel.log_likelihood_`), ``n_parameters``,
        ``aic`` and ``delta_aic`` (AIC minus the smallest).

    Raises
    ------
    ValueError, MissingPositionsError, MissingColumnError
        As :meth:`ProximityModel.fit` does.

    Notes
    -----
    The pairs are counted once per ``groups`` setting, O(n²); each estimator then costs
    O(G² bins) (times its iterations). Every fit is the one of :class:`ProximityModel`
    with the same settings.

    Examples
    --------
    >>> import pandas as pd
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 5.0, 50.0], "y": 0.0, "z": 0.0})
    >>> g = SynapseGraph.from_edges([0], [1], nodes=nodes)
    >>> table = compare_distance_models(g, ["window", "exponential"])
    >>> table[["estimator", "n_parameters"]].values.tolist()
    [['window', 2.0], ['exponential', 2.0]]
    """
    graph = as_synapse_graph(graph)
    settings = groups if isinstance(groups, list | tuple) else [groups]
    rows = []
    for column in settings:
        counts = None
        for estimator in estimators:
            model = ProximityModel(window, estimator, lateral, depth_axis, resolution, column)
            model._check_settings(graph)
            if counts is None:
                counts = _pair_counts(graph, lateral, depth_axis, float(resolution), column)
            fits = _fit_bins(counts, estimator, model._half_window())
            log_likelihood = _log_likelihood(counts, fits)
            n_parameters = float(sum(fit.n_parameters for fit in fits))
            rows.append({"estimator": estimator, "groups": column,
                         "log_likelihood": log_likelihood, "n_parameters": n_parameters,
                         "aic": 2.0 * n_parameters - 2.0 * log_likelihood})
    table = pd.DataFrame(rows, columns=["estimator", "groups", "log_likelihood",
                                        "n_parameters", "aic"])
    # Object dtype keeps None (no groups) from becoming NaN in a string column.
    table["groups"] = pd.Series([row["groups"] for row in rows], dtype=object)
    table["delta_aic"] = table["aic"] - table["aic"].min()
    return table.sort_values("aic", kind="stable").reset_index(drop=True)
