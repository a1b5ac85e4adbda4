"""Maximum-entropy configuration models with independent dyads: DBCM and RBCM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from connectome_motifs.graphs.synapse_graph import SynapseGraph
from connectome_motifs.graphs.threads import kernel_threads
from connectome_motifs.nullmodels.base import IndependentDyadModel
from connectome_motifs.nullmodels.errors import MaximumEntropySolverError
from connectome_motifs.nullmodels.kernels.maximum_entropy import (
    FORCED_ABSENT,
    FORCED_PRESENT,
    NULL,
    ONE_WAY,
    OTHER_WAY,
    RECIPROCAL,
    dbcm_expected,
    dbcm_hessian_product,
    dbcm_objective,
    dbcm_pair_states,
    rbcm_expected,
    rbcm_hessian_product,
    rbcm_objective,
    rbcm_pair_states,
)
from connectome_motifs.nullmodels.pair_states import BlockPairStateProbabilities

__all__ = [
    "DEFAULT_TOLERANCE",
    "MAX_SUPPORT_CLASSES",
    "DirectedBinaryConfigurationModel",
    "ReciprocalBinaryConfigurationModel",
]

#: Largest relative error of an expected constraint that a fit accepts by default.
DEFAULT_TOLERANCE = 1e-12
#: Classes up to which a fit whose Newton steps stall finds the pairs that the
#: constraints force by a linear program (O(K²) variables) and solves again.
MAX_SUPPORT_CLASSES = 300
# Newton steps of a first attempt and after the support is known, and conjugate-gradient
# steps per Newton step; the largest change of a log-multiplier in one step.
_FIRST_NEWTON = 60
_MAX_NEWTON = 300
_MAX_CG = 500
_MAX_STEP = 10.0
# Armijo's sufficient decrease, and the rounding slack of the objective, relative.
_ARMIJO = 1e-4
_ROUNDING = 1e-14


@dataclass(frozen=True)
class _Problem:
    """The class-level equations ``expected(multipliers) = targets`` of one model.

    ``targets``, ``fixed`` and ``free`` have one row per multiplier kind (x, y[, z]);
    a free entry is solved for (as its logarithm), a fixed one keeps its value.
    """

    multiplicity: NDArray[np.float64]
    targets: NDArray[np.float64]
    free: NDArray[np.bool_]
    start: NDArray[np.float64]
    expected: Callable[[NDArray[np.float64]], tuple[NDArray[np.float64], NDArray[np.float64]]]
    hessian_product: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]
    log_partition: Callable[[NDArray[np.float64]], float]


@dataclass(frozen=True)
class _Solution:
    multipliers: NDArray[np.float64]
    residual: float
    iterations: int
    cg_iterations: int
    support: NDArray[np.uint8] | None = None
    free: NDArray[np.bool_] | None = None

    def with_support(self, support, free) -> _Solution:
        return _Solution(self.multipliers, self.residual, self.iterations,
                         self.cg_iterations, support, free)


def _relative_error(expected, problem: _Problem) -> float:
    t = problem.targets[problem.free]
    return float(np.max(np.abs(expected[problem.free] - t) / t)) if t.size else 0.0


def _solve(problem: _Problem, tolerance: float, max_newton: int) -> _Solution:
    """Return the multipliers by damped Newton steps with preconditioned conjugate gradients.

    The unknowns are the logarithms of the free multipliers; the objective is the convex
    class-level negative log-likelihood, whose gradient is ``m_c (E - k)`` and whose
    Hessian, the covariance of the constraints, is applied without being formed.
    """
    free = problem.free
    weight = np.broadcast_to(problem.multiplicity, free.shape)[free]
    target = problem.targets[free]
    theta = np.log(problem.start[free])
    # Only x_c y_d enters the probabilities: (log x + t, log y - t) is a null direction.
    gauge = np.zeros(free.shape)
    gauge[0], gauge[1] = 1.0, -1.0
    gauge = gauge[free]
    if gauge.any():
        gauge /= np.linalg.norm(gauge)

    def multipliers(t):
        full = problem.start.copy()
        full[free] = np.exp(t)
        return full

    def objective(t):
        return problem.log_partition(multipliers(t)) - float(np.dot(weight * target, t))

    mult = multipliers(theta)
    expected, diagonal = problem.expected(mult)
    cg_total = 0
    for iteration in range(max_newton + 1):
        error = _relative_error(expected, problem)
        if error <= tolerance:
            return _Solution(mult, error, iteration, cg_total)
        if iteration == max_newton:
            break
        gradient = weight * (expected[free] - target)
        h = diagonal[free]
        # Multipliers that the fixed pairs leave without effect do not move.
        precondition = np.where(h > 0.0, 1.0 / np.where(h > 0.0, h, 1.0), 0.0)

        def apply(direction, at=mult):
            full = np.zeros(free.shape)
            full[free] = direction
            return problem.hessian_product(at, full)[free]

        step, used = _conjugate_gradient(apply, -gradient, precondition,
                                         min(0.1, np.sqrt(error)), gauge)
        cg_total += used
        largest = float(np.max(np.abs(step), initial=0.0))
        if largest > _MAX_STEP:
            step *= _MAX_STEP / largest
        f0 = objective(theta)
        slope = float(np.dot(gradient, step))
        alpha = 1.0
        for _ in range(60):
            candidate = theta + alpha * step
            f1 = objective(candidate)
            if f1 <= f0 + _ARMIJO * alpha * slope + _ROUNDING * abs(f0):
                break
            alpha *= 0.5
        theta = candidate
        mult = multipliers(theta)
        expected, diagonal = problem.expected(mult)
    raise MaximumEntropySolverError(
        f"the multipliers did not converge in {max_newton} Newton steps (largest relative "
        f"error of an expected constraint {error:.3g}, tolerance {tolerance:.3g}); the "
        "degrees likely force some pairs present or absent in every graph with them, "
        "which needs infinite multipliers")


def _conjugate_gradient(apply, rhs, precondition, forcing, gauge):
    """Return ``(x, steps)`` with ``apply(x) ≈ rhs`` to relative residual ``forcing``.

    Preconditioned conjugate gradients deflated of the unit null vector ``gauge``: the
    preconditioner is projected onto its complement, so rounding along it cannot grow.
    """
    def project(v):
        return v - float(np.dot(gauge, v)) * gauge

    def preconditioned(v):
        return project(precondition * project(v))

    x = np.zeros_like(rhs)
    r = project(rhs)
    z = preconditioned(r)
    p = z.copy()
    rz = float(np.dot(r, z))
    stop = forcing * float(np.linalg.norm(rhs))
    for step in range(1, _MAX_CG + 1):
        hp = apply(p)
        curvature = float(np.dot(p, hp))
        if curvature <= 0.0:
            return (x if step > 1 else z), step
        alpha = rz / curvature
        with np.errstate(over="ignore", invalid="ignore"):
            x_next = x + alpha * p
        if not np.all(np.isfinite(x_next)):
            # Curvature lost to rounding (a nearly saturated direction): stop here.
            return (x if step > 1 else z), step
        x = x_next
        r -= alpha * hp
        if float(np.linalg.norm(r)) <= stop:
            return x, step
        z = preconditioned(r)
        rz_next = float(np.dot(r, z))
        with np.errstate(over="ignore", invalid="ignore"):
            p = z + (rz_next / rz) * p
        if not np.all(np.isfinite(p)):
            return x, step
        rz = rz_next
    return x, _MAX_CG


def _classes(columns: list[NDArray[np.int64]]) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """Return the distinct rows of the stacked ``columns`` (K, len) and each node's class."""
    stacked = np.stack(columns, axis=1) if columns[0].size else np.zeros((0, len(columns)),
                                                                         dtype=np.int64)
    values, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return values, inverse.ravel().astype(np.int32)


def _balance_gauge(x, y, multiplicity, free_x, free_y):
    # Only x_i y_j matters: choose the scale that gives x and y one geometric mean.
    if not (free_x.any() and free_y.any()):
        return x, y
    lx = np.average(np.log(x[free_x]), weights=multiplicity[free_x])
    ly = np.average(np.log(y[free_y]), weights=multiplicity[free_y])
    scale = np.exp((ly - lx) / 2.0)
    x = np.where(free_x, x * scale, x)
    y = np.where(free_y, y / scale, y)
    return x, y


def _check_tolerance(tolerance: float) -> None:
    if not (isinstance(tolerance, float | int) and 0.0 < tolerance < 1.0):
        raise ValueError(f"tolerance must be a number in (0, 1), not {tolerance!r}")


class DirectedBinaryConfigurationModel(IndependentDyadModel):
    """DBCM: ordered pairs independent, every node's expected in- and out-degree observed.

    The maximum-entropy model of directed graphs with given expected degrees (the
    "soft" configuration model): ``P(i -> j) = x_i y_j / (1 + x_i y_j)``, every ordered
    pair independent, the multipliers chosen so that each node's expected out- and
    in-degree equal the observed ones.

    Parameters
    ----------
    tolerance : float
        Largest relative error ``|E[k] - k| / k`` of an expected degree that the fit
        accepts.

    Attributes
    ----------
    x_, y_ : ndarray of float, shape (n,)
        Out- and in-multipliers of each node: 0 for a zero degree (probability 0),
        ``inf`` for a degree of ``n - 1`` (probability 1: the node links to, or is
        linked from, every other node). Only products ``x_i y_j`` matter; the scale is
        fixed by giving the finite positive ``x_`` and ``y_`` one geometric mean.
    n_classes_ : int
        Classes of nodes with equal (out, in) degree, the blocks of ``pair_states_``.
    pair_states_ : BlockPairStateProbabilities
        The pair-state law by class: ``one_way[a, b] = p_ab (1 - p_ba)``,
        ``reciprocal[a, b] = p_ab p_ba``.
    residual_ : float
        Largest relative error of an expected degree at the solution.
    iterations_ : int
        Newton steps taken (``cg_iterations_``: conjugate-gradient steps among them).

    Raises
    ------
    MaximumEntropySolverError
        From :meth:`fit`, if the degrees force some pairs in a way other than zero and
        full degrees (no finite multipliers).

    Notes
    -----
    Nodes with equal degrees have equal multipliers, so the equations are solved for
    the ``K`` classes, weighted by their sizes (a class's pairs with itself exclude
    self-pairs). Zero degrees get multiplier 0 exactly and full degrees (``n - 1``)
    probability 1 exactly; the rest are the logarithms of the multipliers, found by
    damped Newton steps on the convex class-level negative log-likelihood, each
    step solved by conjugate gradients preconditioned by the Hessian's diagonal with
    Hessian-vector products in O(K²) (numba); the start is the Chung–Lu guess
    ``x = k_out / √m``, ``y = k_in / √m``. Memory O(n + K²) for the fitted
    probabilities; the solve itself keeps O(K). Sampling is O(K² + n + m).

    References
    ----------
    Squartini & Garlaschelli, New J. Phys. 13:083001 (2011); Park & Newman, Phys. Rev.
    E 70:066117 (2004).

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 2, 2], [1, 2, 0, 3], n=4)
    >>> model = DirectedBinaryConfigurationModel().fit(g)
    >>> model.n_classes_, model.residual_ < 1e-12
    (3, True)
    >>> model.sample(seed=1).n
    4
    """

    alias = "DBCM"

    def __init__(self, tolerance: float = DEFAULT_TOLERANCE) -> None:
        self.tolerance = tolerance

    def _fit(self, graph: SynapseGraph) -> None:
        _check_tolerance(self.tolerance)
        n = graph.n
        values, blocks = _classes([graph.out_degree.astype(np.int64),
                                   graph.in_degree.astype(np.int64)])
        m = np.bincount(blocks, minlength=values.shape[0]).astype(np.float64)
        targets = values.T.astype(np.float64)
        support = np.zeros((0, 0), dtype=np.uint8)
        full = (targets == n - 1) & (targets > 0)
        if full.any():
            support = np.zeros((m.size, m.size), dtype=np.uint8)
            support[full[0], :] = FORCED_PRESENT
            support[:, full[1]] = FORCED_PRESENT
        # The kernels sum over K² class pairs: small problems run on one thread.
        with kernel_threads(m.size**2):
            solution = _solve_with_support(
                lambda s: _dbcm_problem(m, targets, s, graph.n_edges), support,
                lambda: _dbcm_support(m, targets), float(self.tolerance))
            x, y = _balance_gauge(solution.multipliers[0], solution.multipliers[1], m,
                                  solution.free[0], solution.free[1])
            one, both = dbcm_pair_states(x, y, solution.support)
        self.pair_states_ = BlockPairStateProbabilities(blocks, one_way=one, reciprocal=both)
        fixed = (targets > 0) & ~solution.free
        self.x_ = np.where(fixed[0], np.inf, x)[blocks]
        self.y_ = np.where(fixed[1], np.inf, y)[blocks]
        self.n_classes_ = int(values.shape[0])
        self.residual_ = solution.residual
        self.iterations_ = solution.iterations
        self.cg_iterations_ = solution.cg_iterations


def _dbcm_problem(m, targets, support, n_edges) -> _Problem:
    free = _free_multipliers(targets, support, m, lambda s: s == 0)
    start = np.where(targets > 0, targets / np.sqrt(max(float(n_edges), 1.0)), 0.0)
    start[(targets > 0) & ~free] = 1.0

    def expected(mult):
        out, inn, d_out, d_in = dbcm_expected(mult[0], mult[1], support, m)
        return np.stack([out, inn]), np.stack([d_out, d_in])

    def hessian_product(mult, direction):
        return np.stack(dbcm_hessian_product(mult[0], mult[1], support, m,
                                             direction[0], direction[1]))

    return _Problem(m, targets, free, start, expected, hessian_product,
                    lambda mult: dbcm_objective(mult[0], mult[1], support, m))


def _free_multipliers(targets, support, m, pair_free) -> NDArray[np.bool_]:
    # A multiplier is solved for when its constraint is positive and one of its pairs is
    # not fixed by the support (rows for out-multipliers, columns for in-multipliers).
    free = targets > 0
    if support.size:
        partners = np.add.outer(np.zeros_like(m), m) - np.eye(m.size)
        open_pairs = pair_free(support) & (partners > 0)
        free[0] &= open_pairs.any(axis=1)
        free[1] &= open_pairs.any(axis=0)
        if free.shape[0] == 3:
            free[2] &= open_pairs.any(axis=1)
    return free


def _solve_with_support(problem_of, support, find_support, tolerance) -> _Solution:
    """Return the solution, after finding the forced pairs by LP if the first try stalls."""
    problem = problem_of(support)
    try:
        return _solve(problem, tolerance, _FIRST_NEWTON).with_support(support, problem.free)
    except MaximumEntropySolverError:
        if problem.multiplicity.size > MAX_SUPPORT_CLASSES:
            raise
    support = find_support()
    problem = problem_of(support)
    return _solve(problem, tolerance, _MAX_NEWTON).with_support(support, problem.free)


def _dbcm_support(m, targets) -> NDArray[np.uint8]:
    """Return the DBCM support: ordered class pairs every feasible law fixes at 0 or 1.

    A linear program over block-constant probabilities ``p[c, d]`` (the max-entropy law
    is block-constant, and so is the average of any feasible law over the permutations
    of each class): with ``t`` homogenising, maximise ``Σ lo + Σ hi`` subject to
    ``lo ≤ p``, ``hi ≤ t - p``, ``lo, hi ≤ 1`` and the degree sums; at an optimum
    ``lo[c, d] = 1`` exactly when ``p[c, d]`` can be positive and ``hi[c, d] = 1`` when it
    can be below 1 (a sum of feasible points is feasible). O(K²) variables.
    """
    k = m.size
    pairs = np.outer(m, m) - np.diag(m)
    c, d = np.nonzero(pairs > 0)
    q = c.size
    count = pairs[c, d]
    t = 3 * q
    rows = np.concatenate([c, k + d, np.arange(2 * k)])
    cols = np.concatenate([np.arange(q), np.arange(q), np.full(2 * k, t)])
    vals = np.concatenate([count, count, -np.concatenate([m * targets[0], m * targets[1]])])
    a_eq = coo_matrix((vals, (rows, cols)), shape=(2 * k, t + 1))
    e = np.arange(q)
    # p - t <= 0; lo - p <= 0; hi + p - t <= 0.
    rows = np.concatenate([e, e, q + e, q + e, 2 * q + e, 2 * q + e, 2 * q + e])
    cols = np.concatenate([e, np.full(q, t), q + e, e, 2 * q + e, e, np.full(q, t)])
    vals = np.concatenate([np.ones(q), -np.ones(q), np.ones(q), -np.ones(q), np.ones(q),
                           np.ones(q), -np.ones(q)])
    a_ub = coo_matrix((vals, (rows, cols)), shape=(3 * q, t + 1))
    cost = np.concatenate([np.zeros(q), -np.ones(2 * q), [0.0]])
    bounds = [(0, None)] * q + [(0, 1)] * (2 * q) + [(0, None)]
    result = linprog(cost, A_ub=a_ub.tocsr(), b_ub=np.zeros(3 * q), A_eq=a_eq.tocsr(),
                     b_eq=np.zeros(2 * k), bounds=bounds, method="highs")
    support = np.zeros((k, k), dtype=np.uint8)
    if result.status != 0:
        return support
    lo, hi = result.x[q:2 * q], result.x[2 * q:3 * q]
    support[c[lo < 0.5], d[lo < 0.5]] = FORCED_ABSENT
    support[c[hi < 0.5], d[hi < 0.5]] = FORCED_PRESENT
    return support


class ReciprocalBinaryConfigurationModel(IndependentDyadModel):
    """RBCM: unordered pairs independent, expected out-only, in-only and reciprocal degrees kept.

    The maximum-entropy model of directed graphs with given expected non-reciprocated
    out-degree (out-only), non-reciprocated in-degree (in-only) and reciprocated degree
    of every node. Pair ``{i, j}`` is ``i -> j`` only with probability ``x_i y_j / D``,
    ``j -> i`` only with ``x_j y_i / D``, reciprocal with ``z_i z_j / D`` and
    unconnected with ``1 / D``, where ``D = 1 + x_i y_j + x_j y_i + z_i z_j``.

    Parameters
    ----------
    tolerance : float
        Largest relative error of an expected degree that the fit accepts.

    Attributes
    ----------
    x_, y_, z_ : ndarray of float, shape (n,)
        Out-only, in-only and reciprocal multipliers of each node (0 for a zero degree:
        such pairs have probability 0). Only ``x_i y_j`` matters for the one-way
        states; the scale is fixed by giving the positive ``x_`` and ``y_`` one
        geometric mean.
    saturated_ : ndarray of bool, shape (n,)
        Nodes connected to every other node (``out-only + in-only + reciprocal = n - 1``):
        their pairs are never unconnected (the ``1`` of ``D`` is dropped, the limit of
        infinite multipliers), their multipliers are weights up to a common factor.
    n_classes_ : int
        Classes of nodes with equal (out-only, in-only, reciprocal) degree, the blocks of
        ``pair_states_``.
    pair_states_ : BlockPairStateProbabilities
        The pair-state law by class.
    residual_ : float
        Largest relative error of an expected degree at the solution.
    iterations_ : int
        Newton steps taken (``cg_iterations_``: conjugate-gradient steps among them).

    Raises
    ------
    MaximumEntropySolverError
        From :meth:`fit`, if the degrees force some pairs' states in a way other than
        zero degrees and nodes linked to all others (no finite multipliers).

    Notes
    -----
    Solved like :class:`DirectedBinaryConfigurationModel`, for ``3 K`` unknowns, each
    Hessian-vector product O(K²); the start is ``x = k_out-only / √L₁``,
    ``y = k_in-only / √L₁``, ``z = k_rec / √(2 L₂)`` with ``L₁`` one-way and ``L₂``
    reciprocal pairs. Sampling is O(K² + n + m).

    References
    ----------
    Squartini & Garlaschelli, New J. Phys. 13:083001 (2011), the reciprocal binary
    configuration model.

    Examples
    --------
    >>> from connectome_motifs.graphs import SynapseGraph
    >>> g = SynapseGraph.from_edges([0, 1, 1, 2, 3], [1, 0, 2, 3, 0], n=4)
    >>> model = ReciprocalBinaryConfigurationModel().fit(g)
    >>> model.residual_ < 1e-12
    True
    """

    alias = "RBCM"

    def __init__(self, tolerance: float = DEFAULT_TOLERANCE) -> None:
        self.tolerance = tolerance

    def _fit(self, graph: SynapseGraph) -> None:
        _check_tolerance(self.tolerance)
        n = graph.n
        reciprocal = _reciprocal_degree(graph)
        out_only = graph.out_degree.astype(np.int64) - reciprocal
        in_only = graph.in_degree.astype(np.int64) - reciprocal
        values, blocks = _classes([out_only, in_only, reciprocal])
        m = np.bincount(blocks, minlength=values.shape[0]).astype(np.float64)
        targets = values.T.astype(np.float64)
        full = (targets.sum(axis=0) == n - 1) & (n > 1)
        support = np.zeros((0, 0), dtype=np.uint8)
        if full.any():
            support = np.full((m.size, m.size), ONE_WAY | OTHER_WAY | RECIPROCAL | NULL,
                              dtype=np.uint8)
            support[full, :] &= ~np.uint8(NULL)
            support[:, full] &= ~np.uint8(NULL)
        with kernel_threads(m.size**2):
            solution = _solve_with_support(lambda s: _rbcm_problem(m, targets, s), support,
                                           lambda: _rbcm_support(m, targets),
                                           float(self.tolerance))
            x, y, z = solution.multipliers
            x, y = _balance_gauge(x, y, m, solution.free[0], solution.free[1])
            one, both = rbcm_pair_states(x, y, z, solution.support)
        self.pair_states_ = BlockPairStateProbabilities(blocks, one_way=one, reciprocal=both)
        self.x_ = x[blocks]
        self.y_ = y[blocks]
        self.z_ = z[blocks]
        self.saturated_ = full[blocks]
        self.n_classes_ = int(values.shape[0])
        self.residual_ = solution.residual
        self.iterations_ = solution.iterations
        self.cg_iterations_ = solution.cg_iterations


def _rbcm_problem(m, targets, support) -> _Problem:
    free = _free_multipliers(targets, support, m, lambda s: np.isin(s, _SEVERAL_STATES))
    one_way = max(float(targets[0] @ m), 1.0)
    mutual = max(float(targets[2] @ m), 1.0)
    start = np.where(targets > 0, targets / np.sqrt([[one_way], [one_way], [mutual]]), 0.0)

    def expected(mult):
        sums = rbcm_expected(mult[0], mult[1], mult[2], support, m)
        return np.stack(sums[:3]), np.stack(sums[3:])

    def hessian_product(mult, direction):
        return np.stack(rbcm_hessian_product(mult[0], mult[1], mult[2], support, m,
                                             direction[0], direction[1], direction[2]))

    return _Problem(m, targets, free, start, expected, hessian_product,
                    lambda mult: rbcm_objective(mult[0], mult[1], mult[2], support, m))


# Support codes with two or more states: a pair with one state is fixed.
_SEVERAL_STATES = np.array([s for s in range(16) if bin(s).count("1") >= 2], dtype=np.uint8)


def _rbcm_support(m, targets) -> NDArray[np.uint8]:
    """Return the RBCM support: the states each class pair can take in a feasible law.

    As :func:`_dbcm_support`, over block-constant state probabilities of the unordered
    class pairs (a class's own pairs one-way either way alike): maximise the sum of
    ``u ≤ π``, ``u ≤ 1`` over every (pair, state). O(K²) variables.
    """
    k = m.size
    c, d = np.nonzero(np.triu(np.ones((k, k), dtype=bool)))
    count = np.where(c == d, m[c] * (m[c] - 1.0) / 2.0, m[c] * m[d])
    keep = count > 0
    c, d, count = c[keep], d[keep], count[keep]
    q = c.size
    t = 8 * q
    e = np.arange(q)
    # pi[s] of pair e is variable s * q + e (s: 0 c -> d only, 1 d -> c only, 2 both,
    # 3 none); u of it is 4 q + s * q + e.
    rows, cols, vals = [], [], []

    def add(r, col, v):
        rows.append(np.asarray(r))
        cols.append(np.asarray(col))
        vals.append(np.broadcast_to(np.asarray(v, dtype=np.float64), np.shape(r)))

    same = c == d
    # The degree sums of class c: each pair adds m_c m_d pi (m_c (m_c - 1) for its own
    # pairs, whose one-way states count for both ends).
    weight = np.where(same, 2.0 * count, count)
    for block, (state_c, state_d) in enumerate([(0, 1), (1, 0), (2, 2)]):
        add(block * k + c, state_c * q + e, weight)
        add(block * k + d[~same], state_d * q + e[~same], count[~same])
        add(block * k + np.arange(k), np.full(k, t), -m * targets[block])
    # Each pair's states sum to t; a class's own pairs are one-way either way alike.
    for s in range(4):
        add(3 * k + e, s * q + e, 1.0)
    add(3 * k + e, np.full(q, t), -1.0)
    own = e[same]
    add(3 * k + q + np.arange(own.size), own, 1.0)
    add(3 * k + q + np.arange(own.size), q + own, -1.0)
    n_eq = 3 * k + q + own.size
    a_eq = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n_eq, t + 1))
    v = np.arange(4 * q)
    a_ub = coo_matrix((np.concatenate([np.ones(4 * q), -np.ones(4 * q)]),
                       (np.concatenate([v, v]), np.concatenate([4 * q + v, v]))),
                      shape=(4 * q, t + 1))
    cost = np.concatenate([np.zeros(4 * q), -np.ones(4 * q), [0.0]])
    bounds = [(0, None)] * (4 * q) + [(0, 1)] * (4 * q) + [(0, None)]
    result = linprog(cost, A_ub=a_ub.tocsr(), b_ub=np.zeros(4 * q), A_eq=a_eq.tocsr(),
                     b_eq=np.zeros(n_eq), bounds=bounds, method="highs")
    support = np.full((k, k), ONE_WAY | OTHER_WAY | RECIPROCAL | NULL, dtype=np.uint8)
    if result.status != 0:
        return support
    u = result.x[4 * q:8 * q].reshape(4, q) > 0.5
    forward = np.where(u[0], ONE_WAY, 0) | np.where(u[1], OTHER_WAY, 0) \
        | np.where(u[2], RECIPROCAL, 0) | np.where(u[3], NULL, 0)
    backward = np.where(u[1], ONE_WAY, 0) | np.where(u[0], OTHER_WAY, 0) \
        | np.where(u[2], RECIPROCAL, 0) | np.where(u[3], NULL, 0)
    support[c, d] = forward
    support[d, c] = backward
    return support


def _reciprocal_degree(graph: SynapseGraph) -> NDArray[np.int64]:
    rows = np.repeat(np.arange(graph.n, dtype=np.int64), graph.out_degree)
    mask = np.asarray(graph.reciprocal_mask, dtype=bool)
    return np.bincount(rows[mask], minlength=graph.n).astype(np.int64)
