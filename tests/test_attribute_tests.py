"""Tests of the like-to-like and structure–function attribute tests against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, spearmanr

from connectome_motifs.graphs import SynapseGraph, datasets
from connectome_motifs.graphs.errors import GraphInputError, MissingColumnError
from connectome_motifs.graphs.threads import numba_threads
from connectome_motifs.nullmodels.attribute_tests import (
    ATTRIBUTE_TEST_COLUMNS,
    AttributeTestResult,
    attribute_test,
    structure_function_test,
)
from connectome_motifs.nullmodels.errors import MissingPositionsError
from connectome_motifs.nullmodels.kernels.attribute_permutation import shuffle_within_strata
from tests.strategies import adjacency_matrices

# -- references written from the definitions ---------------------------------------------


def brute_similarity(a, b, kind, span, period):
    if kind == "categorical":
        return 1.0 if a == b else 0.0
    if kind == "continuous":
        return 1.0 - abs(a - b) / span if span > 0 else 1.0
    return math.cos(2 * math.pi * (a - b) / period)


def brute_statistic(adjacency, values, kind, period=None):
    """Mean similarity over edges between cells with a value, by a double loop."""
    n = adjacency.shape[0]
    present = [i for i in range(n) if not pd.isna(values[i])]
    span = 0.0
    if kind == "continuous" and present:
        span = max(values[i] for i in present) - min(values[i] for i in present)
    total, count = 0.0, 0
    for i in present:
        for j in present:
            if i != j and adjacency[i, j]:
                total += brute_similarity(values[i], values[j], kind, span, period)
                count += 1
    return (total / count if count else None), count


def graph_of(adjacency, **columns):
    n = adjacency.shape[0]
    pre, post = np.nonzero(adjacency)
    nodes = pd.DataFrame({"id": np.arange(n), **columns})
    return SynapseGraph.from_edges(pre, post, n=n, nodes=nodes)


def random_graph(n, p, seed, *, positions=True, **columns):
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < p
    np.fill_diagonal(a, False)
    extra = {}
    if positions:
        xyz = rng.random((n, 3)) * 100.0
        extra = {"x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]}
    return a, graph_of(a, **extra, **columns)


# -- the statistic -----------------------------------------------------------------------


@st.composite
def attributes(draw, n):
    kind = draw(st.sampled_from(["categorical", "continuous", "circular"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    missing = rng.random(n) < draw(st.sampled_from([0.0, 0.2, 0.5]))
    if kind == "categorical":
        values = pd.Series(rng.choice(["E", "I", "X"], n), dtype=object)
        values[missing] = None
    else:
        values = pd.Series(rng.normal(0.0, 50.0, n).round(draw(st.sampled_from([0, 3]))))
        values[missing] = np.nan
    return kind, values


@settings(max_examples=150)
@given(data=st.data())
def test_the_statistic_equals_a_double_loop(data):
    a = data.draw(adjacency_matrices(max_nodes=14))
    kind, values = data.draw(attributes(a.shape[0]))
    period = 180.0 if kind == "circular" else None
    graph = graph_of(a, value=values)
    expected, count = brute_statistic(a, values.to_numpy(), kind, period)
    present = int(values.notna().sum())
    if count == 0:
        with pytest.raises(ValueError, match=r"at least two|no edge"):
            attribute_test(graph, "value", kind=kind, period=period, n_permutations=9,
                           seed=0)
        return
    result = attribute_test(graph, "value", kind=kind, period=period, n_permutations=9,
                            seed=0)
    assert result.statistic == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert result.n_edges_tested == count
    assert result.n_cells_tested == present
    assert result.n_left_out == result.n_missing == a.shape[0] - present
    assert 0 < result.p_greater <= 1 and 0 < result.p_two_sided <= 1


def test_kind_is_inferred_from_the_column():
    a = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=bool)
    graph = graph_of(a, depth=[1.0, 2.0, 4.0], label=["a", "b", "a"], code=[1, 2, 1])
    assert attribute_test(graph, "depth", n_permutations=9).kind == "continuous"
    assert attribute_test(graph, "label", n_permutations=9).kind == "categorical"
    # An integer column is numeric, hence continuous unless told.
    assert attribute_test(graph, "code", n_permutations=9).kind == "continuous"
    # Edges 0->1, 1->2, 2->0: labels (a, b), (b, a), (a, a) -> 1/3 alike.
    assert attribute_test(graph, "code", kind="categorical",
                          n_permutations=9).statistic == pytest.approx(1 / 3)


# -- the shuffles ------------------------------------------------------------------------


def test_a_shuffle_keeps_every_strata_multiset():
    rng = np.random.default_rng(3)
    t = 200
    values = np.column_stack([rng.integers(0, 7, t).astype(float), rng.random(t)])
    codes = rng.integers(0, 9, t)
    order = np.argsort(codes, kind="stable").astype(np.int64)
    start = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=9)))).astype(np.int64)
    state = np.array([1, 2, 3, 4], dtype=np.uint64)
    moved = 0
    for _ in range(20):
        out = shuffle_within_strata(values, order, start, state)
        for s in range(9):
            cells = codes == s
            # Rows move whole: the multiset of rows of each stratum is kept exactly.
            assert sorted(map(tuple, out[cells])) == sorted(map(tuple, values[cells]))
        moved += int((out[:, 1] != values[:, 1]).sum())
    assert moved > 0


def test_a_shuffle_is_uniform_over_the_permutations():
    # 3 values in one stratum: each of the 3! orders with probability 1/6.
    values = np.array([[0.0, 0], [1.0, 0], [2.0, 0]])
    order = np.arange(3, dtype=np.int64)
    start = np.array([0, 3], dtype=np.int64)
    state = np.array([9, 8, 7, 6], dtype=np.uint64)
    draws = 12_000
    counts: dict[tuple, int] = {}
    for _ in range(draws):
        key = tuple(shuffle_within_strata(values, order, start, state)[:, 0])
        counts[key] = counts.get(key, 0) + 1
    assert set(counts) == set(itertools.permutations([0.0, 1.0, 2.0]))
    for count in counts.values():
        # Each order's count is Binomial(12,000, 1/6); 1e-4 two-sided per order.
        assert binomtest(count, draws, 1 / 6).pvalue > 1e-4


def test_shuffles_within_the_attribute_itself_change_nothing():
    _, graph = random_graph(40, 0.2, 1, label=np.repeat(["a", "b", "c", "d"], 10))
    result = attribute_test(graph, "label", bins="label", n_permutations=50, seed=2)
    assert np.all(result.null_statistics == result.statistic)
    assert result.null_sd == 0 and result.p_greater == 1.0 and result.p_two_sided == 1.0
    assert result.n_strata == 4 and result.bins == "column 'label'"


def test_cubes_are_the_strata_of_soma_positions():
    # Two clusters, x in [0, 10] and [120, 130] µm: with cubes of 50 µm from the smallest
    # x, cube 0 and cube 2. The attribute is the cluster.
    rng = np.random.default_rng(5)
    n = 30
    xyz = rng.random((n, 3)) * 10.0
    xyz[n // 2:, 0] += 120.0
    a = rng.random((n, n)) < 0.3
    np.fill_diagonal(a, False)
    cluster = np.where(np.arange(n) < n // 2, "left", "right")
    graph = graph_of(a, x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], side=cluster,
                     depth=xyz[:, 1])
    within = attribute_test(graph, "side", bins=50.0, n_permutations=30, seed=1)
    assert within.n_strata == 2 and within.bins == "cubes of 50 µm"
    assert np.all(within.null_statistics == within.statistic)
    # 1 µm cubes: 30 cells in 30 cubes (almost surely), nothing moves either.
    tiny = attribute_test(graph, "depth", bins=1e-3, n_permutations=30, seed=1)
    assert tiny.n_strata == n and np.all(tiny.null_statistics == tiny.statistic)
    # A global shuffle does move the labels.
    assert attribute_test(graph, "side", n_permutations=30, seed=1).null_sd > 0


def test_the_permutation_p_value_approaches_the_exact_one():
    # Three cells and a continuous attribute: the exact permutation p-value is the share of
    # the 3! arrangements with a statistic at least the observed one, counted by hand.
    a = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]], dtype=bool)
    values = [0.0, 1.0, 5.0]
    stats = {perm: brute_statistic(a, np.array(perm), "continuous")[0]
             for perm in itertools.permutations(values)}
    n_perm = 19_999
    for perm, observed in stats.items():
        exact = np.mean([s >= observed - 1e-12 for s in stats.values()])
        result = attribute_test(graph_of(a, v=list(perm)), "v", n_permutations=n_perm,
                                seed=11)
        # (1 + Binomial(N, exact)) / (N + 1): within 5 standard deviations.
        sd = math.sqrt(exact * (1 - exact) / n_perm) + 1 / n_perm
        assert abs(result.p_greater - exact) < 5 * sd
    # The largest statistic's p-value cannot fall below 1/6 with 3 cells: never <= 0.05.
    top = max(stats, key=stats.get)
    assert attribute_test(graph_of(a, v=list(top)), "v", n_permutations=999,
                          seed=3).p_greater > 0.15


def test_p_values_under_exchangeability_are_calibrated():
    # The attribute drawn afresh, independent of a fixed graph: the add-one p-value with
    # 99 permutations is exact, P(p <= 0.05) = 5/100 for a statistic without ties.
    a, graph = random_graph(25, 0.15, 7, positions=False)
    rng = np.random.default_rng(8)
    hits = 0
    replicates = 400
    for r in range(replicates):
        nodes = graph.nodes.assign(v=rng.normal(size=graph.n))
        g = SynapseGraph.from_edges(*np.nonzero(a), n=graph.n, nodes=nodes)
        hits += attribute_test(g, "v", n_permutations=99, seed=r).p_two_sided <= 0.05
    assert binomtest(int(hits), replicates, 0.05).pvalue > 1e-3


# -- seeds and threads -------------------------------------------------------------------


def test_seeds_reproduce_and_threads_do_not_matter():
    _, graph = random_graph(80, 0.1, 4, label=np.random.default_rng(0).choice(list("ab"), 80),
                            depth=np.random.default_rng(1).random(80))
    runs = {}
    for threads in (1, 2):
        with numba_threads(threads):
            runs[threads] = (
                attribute_test(graph, "label", bins=30.0, n_permutations=400, seed=5),
                attribute_test(graph, "depth", method="distance", resolution=2.0),
                structure_function_test(graph, "depth", radius=40.0, bins=30.0,
                                        n_permutations=400, seed=5),
            )
    for one, two in zip(runs[1], runs[2], strict=True):
        assert one == two
        if one.null_statistics is not None:
            assert np.array_equal(one.null_statistics, two.null_statistics)
    again = attribute_test(graph, "label", bins=30.0, n_permutations=400, seed=5)
    assert np.array_equal(again.null_statistics, runs[1][0].null_statistics)
    other = attribute_test(graph, "label", bins=30.0, n_permutations=400, seed=6)
    assert not np.array_equal(other.null_statistics, again.null_statistics)
    assert again.seed == 5
    fresh = attribute_test(graph, "label", n_permutations=50)
    repeat = attribute_test(graph, "label", n_permutations=50, seed=fresh.seed)
    assert np.array_equal(fresh.null_statistics, repeat.null_statistics)


def test_progress_does_not_change_the_permutations():
    _, graph = random_graph(30, 0.2, 2, depth=np.arange(30.0))
    quiet = attribute_test(graph, "depth", n_permutations=100, seed=1)
    shown = attribute_test(graph, "depth", n_permutations=100, seed=1, progress="log")
    assert np.array_equal(quiet.null_statistics, shown.null_statistics)


def test_the_distance_method_shows_its_pass_over_the_pairs(capsys):
    _, graph = random_graph(60, 0.2, 2, depth=np.arange(60.0))
    quiet = attribute_test(graph, "depth", method="distance")
    shown = attribute_test(graph, "depth", method="distance", progress="log")
    assert shown == quiet
    # 60 cells have 1,770 unordered pairs, all counted by the end.
    assert "depth pairs (distance method): 1770/1770" in capsys.readouterr().err


# -- the distance method -----------------------------------------------------------------


def exact_conditional_moments(a, positions, values, kind, resolution, strata=None,
                              period=None):
    """Mean and variance of the edge similarity sum over every placement of the edges
    among the ordered pairs of their key, enumerated one by one."""
    n = a.shape[0]
    present = [i for i in range(n) if not pd.isna(values[i])]
    span = 0.0
    if kind == "continuous":
        span = max(values[i] for i in present) - min(values[i] for i in present)
    keys: dict[tuple, list] = {}
    for i in present:
        for j in present:
            if i != j:
                d = math.sqrt(sum((positions[i][k] - positions[j][k]) ** 2 for k in range(3)))
                key = (int(d / resolution),) if strata is None else \
                    (strata[i], strata[j], int(d / resolution))
                s = brute_similarity(values[i], values[j], kind, span, period)
                keys.setdefault(key, []).append((s, bool(a[i, j])))
    per_key = []
    for pairs in keys.values():
        k = sum(c for _, c in pairs)
        per_key.append([sum(pairs[p][0] for p in chosen)
                        for chosen in itertools.combinations(range(len(pairs)), k)])
    totals = [sum(combo) for combo in itertools.product(*per_key)]
    return float(np.mean(totals)), float(np.var(totals)), len(totals)


@pytest.mark.parametrize("seed", range(6))
def test_the_distance_method_has_the_exact_conditional_moments(seed):
    rng = np.random.default_rng(seed)
    n = 5
    positions = rng.integers(0, 4, (n, 3)).astype(float)
    a = np.zeros((n, n), dtype=bool)
    edges = rng.choice(n * n, 14, replace=False)
    for e in edges[:5]:
        if e // n != e % n:
            a[e // n, e % n] = True
    if not a.any():
        a[0, 1] = True
    kind = ["categorical", "continuous", "circular"][seed % 3]
    if kind == "categorical":
        values = list(rng.choice(["p", "q"], n))
    else:
        values = list(rng.integers(0, 90, n).astype(float))
    period = 180.0 if kind == "circular" else None
    graph = graph_of(a, x=positions[:, 0], y=positions[:, 1], z=positions[:, 2], v=values,
                     s=rng.choice(["u", "w"], n))
    for strata in (None, "s"):
        mean, variance, placements = exact_conditional_moments(
            a, positions, values, kind, 2.0,
            None if strata is None else list(graph.nodes["s"]), period)
        assert placements > 1
        result = attribute_test(graph, "v", kind=kind, period=period, method="distance",
                                resolution=2.0, bins=strata)
        m = result.n_edges_tested
        assert result.null_mean * m == pytest.approx(mean, rel=1e-9, abs=1e-12)
        assert (result.null_sd * m) ** 2 == pytest.approx(variance, rel=1e-9, abs=1e-12)
        assert result.n_permutations == 0 and result.null_statistics is None


def test_the_distance_method_p_values_follow_the_normal_tail():
    # On a fixed graph, the z-score of the distance method for a fresh random attribute:
    # nearly standard normal (the graph has 2,000 edges), so P(p <= 0.05) is about 0.05.
    rng = np.random.default_rng(12)
    n = 200
    xyz = rng.random((n, 3)) * 200.0
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
    a = rng.random((n, n)) < 0.15 * np.exp(-d / 60.0)
    np.fill_diagonal(a, False)
    base = {"x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]}
    hits, replicates = 0, 400
    with numba_threads(1):
        for _ in range(replicates):
            graph = graph_of(a, **base, v=rng.choice(list("abc"), n))
            hits += attribute_test(graph, "v", method="distance").p_two_sided <= 0.05
    assert binomtest(int(hits), replicates, 0.05).pvalue > 1e-3


# -- structure–function ------------------------------------------------------------------


def brute_density(a, positions, radius):
    n = a.shape[0]
    out = np.full(n, np.nan)
    for j in range(n):
        near = [i for i in range(n) if i != j
                and np.sqrt(((positions[i] - positions[j]) ** 2).sum()) <= radius]
        if near:
            out[j] = sum(a[i, j] for i in near) / len(near)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_structure_function_density_and_rho_equal_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 60
    xyz = rng.random((n, 3)) * [200.0, 100.0, 50.0]
    a = rng.random((n, n)) < 0.2
    np.fill_diagonal(a, False)
    value = rng.normal(size=n).round(1)
    value[rng.random(n) < 0.1] = np.nan
    graph = graph_of(a, x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], value=value)
    result = structure_function_test(graph, "value", radius=30.0, n_permutations=99,
                                     seed=seed)
    density = brute_density(a, xyz, 30.0)
    tested = ~np.isnan(value) & ~np.isnan(density)
    expected = density.copy()
    expected[~tested] = np.nan
    np.testing.assert_allclose(result.cell_values, expected, rtol=1e-12, equal_nan=True)
    assert result.n_cells_tested == tested.sum()
    assert result.n_missing == np.isnan(value).sum()
    assert result.n_left_out == n - tested.sum()
    rho = spearmanr(density[tested], value[tested]).statistic
    assert result.statistic == pytest.approx(rho, rel=1e-12)
    assert result.radius == 30.0 and result.test == "structure-function"


def test_structure_function_permutation_null_is_centred():
    # The attribute independent of the wiring: the null of rho has mean ~0 and SD
    # ~1 / sqrt(t - 1), Spearman's null for t cells.
    rng = np.random.default_rng(1)
    n = 150
    xyz = rng.random((n, 3)) * 100.0
    a = rng.random((n, n)) < 0.1
    np.fill_diagonal(a, False)
    graph = graph_of(a, x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], value=rng.random(n))
    result = structure_function_test(graph, "value", radius=50.0, n_permutations=4000,
                                     seed=2)
    t = result.n_cells_tested
    assert abs(result.null_mean) < 5 / math.sqrt(t - 1) / math.sqrt(4000)
    assert result.null_sd == pytest.approx(1 / math.sqrt(t - 1), rel=0.05)


# -- errors ------------------------------------------------------------------------------


def small_graph(**columns):
    a = np.array([[0, 1, 1], [1, 0, 0], [0, 1, 0]], dtype=bool)
    return graph_of(a, **columns)


def test_errors_name_the_problem():
    graph = small_graph(v=[1.0, 2.0, 3.0], t=["a", "b", "a"])
    with pytest.raises(MissingColumnError, match=r"'nope'.*it has 'id', 'v', 't'"):
        attribute_test(graph, "nope")
    with pytest.raises(ValueError, match="kind must be one of"):
        attribute_test(graph, "v", kind="ordinal")
    with pytest.raises(ValueError, match="needs a positive period"):
        attribute_test(graph, "v", kind="circular")
    with pytest.raises(ValueError, match="period is for circular"):
        attribute_test(graph, "v", period=180.0)
    with pytest.raises(ValueError, match="method must be one of"):
        attribute_test(graph, "v", method="swap")
    with pytest.raises(ValueError, match="n_permutations"):
        attribute_test(graph, "v", n_permutations=0)
    with pytest.raises(MissingPositionsError, match="cubes of 10 µm needs soma positions"):
        attribute_test(graph, "v", bins=10.0)
    with pytest.raises(MissingPositionsError, match="distance method"):
        attribute_test(graph, "v", method="distance")
    with pytest.raises(TypeError, match="bins must be None"):
        attribute_test(graph, "v", bins=True)
    with pytest.raises(ValueError, match="positive cube side"):
        attribute_test(graph, "v", bins=-1.0)
    with pytest.raises(MissingColumnError, match="'zone'"):
        attribute_test(graph, "v", bins="zone")
    with pytest.raises(MissingPositionsError, match="structure-function"):
        structure_function_test(graph, "v", radius=10.0)


def test_values_that_are_not_numbers_are_refused_naming_the_rows():
    graph = small_graph(v=pd.Series([1.0, "high", 3.0], dtype=object),
                        w=[1.0, np.inf, 2.0], b=[True, False, True])
    with pytest.raises(GraphInputError, match="'high'") as error:
        attribute_test(graph, "v", kind="continuous")
    assert error.value.column == "v" and list(error.value.rows) == [1]
    with pytest.raises(GraphInputError, match="infinite") as error:
        attribute_test(graph, "w")
    assert list(error.value.rows) == [1]
    with pytest.raises(GraphInputError, match="booleans"):
        attribute_test(graph, "b", kind="continuous")
    # Booleans are fine as categories.
    assert attribute_test(graph, "b", n_permutations=9).kind == "categorical"


def test_too_few_cells_or_edges_are_refused():
    graph = small_graph(v=[1.0, np.nan, np.nan], t=["a", None, "b"])
    with pytest.raises(ValueError, match=r"1 cell.*at least two"):
        attribute_test(graph, "v")
    # Cells 0 and 2 have a label, and no edge joins them.
    one_edge = graph_of(np.array([[0, 1, 0], [0, 0, 0], [0, 0, 0]], dtype=bool),
                        t=["a", None, "b"])
    with pytest.raises(ValueError, match="no edge"):
        attribute_test(one_edge, "t")
    _, positioned = random_graph(10, 0.3, 1, v=np.arange(10.0))
    with pytest.raises(ValueError, match="radius"):
        structure_function_test(positioned, "v", radius=0.0)
    with pytest.raises(ValueError, match="at least three"):
        structure_function_test(positioned, "v", radius=1e-6)
    with pytest.raises(ValueError, match="with method='distance', bins"):
        attribute_test(positioned, "v", method="distance", bins=20.0)
    with pytest.raises(ValueError, match="resolution"):
        attribute_test(positioned, "v", method="distance", resolution=0.0)


def test_missing_positions_of_a_tested_cell_are_named():
    a, graph = random_graph(6, 0.5, 0, v=np.arange(6.0))
    nodes = graph.nodes
    nodes.loc[3, "x"] = np.nan
    broken = SynapseGraph.from_edges(*np.nonzero(a), n=6, nodes=nodes)
    with pytest.raises(MissingPositionsError, match="row 3"):
        attribute_test(broken, "v", bins=10.0)
    # Left out for a missing value, cell 3 needs no position.
    nodes.loc[3, "v"] = np.nan
    fine = SynapseGraph.from_edges(*np.nonzero(a), n=6, nodes=nodes)
    assert attribute_test(fine, "v", bins=10.0, n_permutations=9).n_missing == 1


# -- tables ------------------------------------------------------------------------------


def test_results_make_one_tidy_table():
    _, graph = random_graph(40, 0.2, 3, depth=np.arange(40.0))
    results = [attribute_test(graph, "depth", n_permutations=19, seed=1),
               attribute_test(graph, "depth", method="distance"),
               structure_function_test(graph, "depth", radius=50.0, n_permutations=19)]
    table = pd.concat([r.to_frame() for r in results], ignore_index=True)
    assert list(table.columns) == list(ATTRIBUTE_TEST_COLUMNS)
    assert list(table["method"]) == ["shuffle", "distance", "shuffle"]
    assert list(table["test"]) == ["like-to-like", "like-to-like", "structure-function"]
    assert np.isnan(table["radius"][0]) and table["radius"][2] == 50.0
    assert table["seed"][0] == "1" and table["seed"][1] is None
    assert isinstance(results[0], AttributeTestResult)
    assert results[0].as_dict()["n_permutations"] == 19


# -- real data ---------------------------------------------------------------------------


def test_larva_cell_types_and_hemispheres():
    graph = datasets.larva()
    unlabelled = int(graph.nodes["celltype"].isna().sum())
    for column in ("celltype", "hemisphere"):
        missing = int(graph.nodes[column].isna().sum())
        result = attribute_test(graph, column, n_permutations=199, seed=1)
        assert result.kind == "categorical" and result.n_missing == missing > 0
        assert result.n_cells_tested + result.n_left_out == graph.n
        assert np.isfinite([result.statistic, result.z, result.p_two_sided]).all()
        assert 0 < result.p_two_sided <= 1
    within = attribute_test(graph, "celltype", bins="hemisphere", n_permutations=199, seed=1)
    typed = graph.nodes["celltype"].notna()
    strata = graph.nodes.loc[typed, "hemisphere"].fillna("(none)").nunique()
    assert within.n_missing == unlabelled and within.n_strata == strata
    assert np.isfinite(within.p_two_sided)


def test_pinky100_soma_depth_and_lengths():
    graph = datasets.pinky100("full")
    for settings_ in ({"bins": 50.0}, {"method": "distance"}, {}):
        result = attribute_test(graph, "y", n_permutations=199, seed=1, **settings_)
        assert result.n_left_out == 0 and result.n_edges_tested == graph.n_edges
        assert np.isfinite([result.statistic, result.z, result.p_two_sided]).all()
    for column in ("y", "axon_len", "dendrite_len"):
        result = structure_function_test(graph, column, radius=100.0, bins=100.0,
                                         n_permutations=199, seed=1)
        assert result.n_cells_tested + result.n_left_out == graph.n
        assert np.isfinite([result.statistic, result.p_two_sided]).all()


# -- figures -----------------------------------------------------------------------------


def test_the_null_distribution_figure(tmp_path):
    from connectome_motifs.motifs.plots.attribute_tests import plot_attribute_test
    from connectome_motifs.motifs.plots.saving import save_figure

    _, graph = random_graph(40, 0.2, 3, depth=np.arange(40.0))
    shuffled = plot_attribute_test(attribute_test(graph, "depth", n_permutations=199, seed=1))
    ax = shuffled.axes[0]
    assert [line.get_gid() for line in ax.lines] == ["observed"]
    assert {patch.get_gid() for patch in ax.patches} == {"null"}
    normal = plot_attribute_test(attribute_test(graph, "depth", method="distance"))
    assert [line.get_gid() for line in normal.axes[0].lines] == ["null", "observed"]
    png, svg = save_figure(normal, tmp_path / "null")
    assert png.stat().st_size > 1000 and svg.exists()


def power_rows():
    rows = []
    for size in (100, 1000):
        for kind in ("categorical", "circular"):
            for method in ("shuffle", "distance"):
                for epsilon, rate in ((0.0, 0.05), (0.1, 0.4), (0.2, 0.9)):
                    rows.append({"size": size, "scenario": "independent", "kind": kind,
                                 "method": method, "epsilon": epsilon,
                                 "alternative": "two-sided", "rate": rate,
                                 "ci_low": rate / 2, "ci_high": min(1.0, rate * 1.5),
                                 "replicates": 1000 if epsilon == 0 else 200})
    rows.append({**rows[0], "scenario": "depth gradient", "method": "global", "rate": 0.3,
                 "ci_low": 0.2, "ci_high": 0.4})
    return pd.DataFrame(rows)


def test_the_power_curves_figure(tmp_path):
    import matplotlib.pyplot as plt

    from connectome_motifs.motifs.plots.attribute_tests import plot_power_curves
    from connectome_motifs.motifs.plots.saving import save_figure

    table = power_rows()
    fig = plot_power_curves(table)
    labels = [ax.get_label() for ax in fig.axes]
    assert labels == ["power:categorical", "power:circular", "legend", "calibration"]
    gids = {line.get_gid() for line in fig.axes[0].lines if line.get_gid()}
    assert {"power:shuffle:100", "power:distance:1000"} <= gids
    assert any(p.get_gid() == "calibration-band" for p in fig.axes[0].patches)
    # The calibration panel has one point per setting at epsilon 0 (the gradient one too).
    assert len(fig.axes[3].get_yticks()) == int((table["epsilon"] == 0).sum())
    save_figure(fig, tmp_path / "power")
    own, ax = plt.subplots()
    assert plot_power_curves(table, ax=ax) is own
    plt.close(own)
    with pytest.raises(ValueError, match="lacks columns"):
        plot_power_curves(table.drop(columns="rate"))
    with pytest.raises(ValueError, match="alternative 'greater'"):
        plot_power_curves(table, alternative="greater")


# -- the planted graphs of the power study -------------------------------------------------


def test_the_planted_p_d_is_pinky100s_exponential_fit():
    from benchmarks.attribute_power import PINKY_BOX, PINKY_LENGTH_CONSTANT, PINKY_P0
    from connectome_motifs.nullmodels import ExponentialProximityModel

    graph = datasets.pinky100("full")
    a, b = ExponentialProximityModel().fit(graph).coefficients_
    assert a == pytest.approx(PINKY_P0, rel=1e-3)
    assert 1 / b == pytest.approx(PINKY_LENGTH_CONSTANT, rel=1e-3)
    np.testing.assert_allclose(np.ptp(graph.positions, axis=0), PINKY_BOX, rtol=1e-6)


@pytest.mark.parametrize(("kind", "epsilon"),
                         [("categorical", 1.0), ("circular", 0.8), ("target", 0.9)])
def test_planted_graphs_connect_pairs_with_the_planted_probability(kind, epsilon):
    from benchmarks.attribute_power import (
        PINKY_LENGTH_CONSTANT,
        PINKY_P0,
        planted_attribute_graph,
    )

    graph = planted_attribute_graph(500, epsilon=epsilon, kind=kind, seed=4)
    again = planted_attribute_graph(500, epsilon=epsilon, kind=kind, seed=4)
    assert graph.equals(again)
    xyz = graph.positions
    d = np.linalg.norm(xyz[:, None] - xyz[None], axis=2)
    values = graph.nodes["attribute"].to_numpy()
    if kind == "categorical":
        s = (values[:, None] == values[None]).astype(float)
    elif kind == "circular":
        s = np.cos(2 * np.pi * (values[:, None].astype(float) - values[None]) / 180.0)
    else:  # the postsynaptic cell's value
        s = np.broadcast_to(values[None].astype(float), (len(values), len(values)))
    # The definition, at the centres of the generator's 0.5 µm distance bins.
    centre = (np.floor(d / 0.5) + 0.5) * 0.5
    p = np.clip(PINKY_P0 * np.exp(-centre / PINKY_LENGTH_CONSTANT) * (1 + epsilon * s), 0, 1)
    np.fill_diagonal(p, 0.0)
    a = np.zeros_like(p, dtype=bool)
    pre, post = graph.edges()
    a[pre, post] = True
    for mask in (np.ones_like(a), s > 0.5, s < 0.5):
        expected = p[mask].sum()
        sd = np.sqrt((p * (1 - p))[mask].sum())
        assert abs(a[mask].sum() - expected) < 5 * sd


def test_the_power_table_counts_detections():
    from benchmarks.attribute_power import power_table

    frame = pd.DataFrame({"size": 10, "scenario": "independent", "kind": "categorical",
                          "method": "shuffle", "epsilon": 0.0, "edges": 5,
                          "p_two_sided": [0.01, 0.5, 0.05, 0.9],
                          "p_greater": [0.2, 0.04, 0.5, 0.9]})
    table = power_table(frame).set_index("alternative")
    assert table.loc["two-sided", "detections"] == 2
    assert table.loc["greater", "detections"] == 1
    assert table.loc["two-sided", "rate"] == 0.5
    interval = binomtest(2, 4).proportion_ci(method="exact")
    assert table.loc["two-sided", "ci_low"] == pytest.approx(interval.low)


# -- the command line ----------------------------------------------------------------------


def test_the_command_writes_every_test_as_the_functions_give_it(tmp_path, capsys):
    from connectome_motifs.motifs.cli import main

    status = main(["attribute-test", "--subgraph", "full", "--attribute", "y,axon_len",
                   "--method", "shuffle,distance", "--bins", "50", "--radius", "100",
                   "--permutations", "99", "--seed", "4", "--out", str(tmp_path)])
    assert status == 0
    table = pd.read_csv(tmp_path / "attribute_tests.csv")
    parquet = pd.read_parquet(tmp_path / "attribute_tests.parquet")
    assert list(parquet.columns) == list(table.columns)
    for column in table.columns.drop("seed"):
        if pd.api.types.is_numeric_dtype(table[column]):
            np.testing.assert_allclose(parquet[column].astype(float), table[column])
        else:
            assert list(parquet[column]) == list(table[column])
    # The seed as text, as recorded: none for the distance method, which draws nothing.
    assert [None if pd.isna(v) else v for v in parquet["seed"]] == ["4", None, "4"] * 2
    graph = datasets.pinky100("full")
    expected = []
    for column in ("y", "axon_len"):
        expected += [attribute_test(graph, column, bins=50.0, n_permutations=99, seed=4),
                     # Cubes are the shuffle's strata; the distance method has its own bins.
                     attribute_test(graph, column, method="distance"),
                     structure_function_test(graph, column, radius=100.0, bins=50.0,
                                             n_permutations=99, seed=4)]
    assert list(table["graph"]) == ["full"] * 6
    assert list(table.columns[1:]) == list(ATTRIBUTE_TEST_COLUMNS)
    for (_, row), result in zip(table.iterrows(), expected, strict=True):
        assert (row["attribute"], row["test"], row["method"], row["bins"]) == (
            result.attribute, result.test, result.method, result.bins)
        assert row["statistic"] == pytest.approx(result.statistic, rel=1e-12)
        assert row["p_two_sided"] == pytest.approx(result.p_two_sided, rel=1e-12)
    figures = sorted(p.name for p in tmp_path.glob("*.png"))
    assert figures == sorted(f"attribute_test_{c}_{m}.png" for c in ("y", "axon_len")
                             for m in ("shuffle", "distance", "structure_function"))
    # The page shows every row and inlines every figure.
    page = (tmp_path / "attribute_tests.html").read_text()
    assert page.count("<figure data-figure='attribute_test_") == 6
    assert page.count("<tr>") >= 6 + 1 and "http" not in page.split("<svg", 1)[0]
    shown = capsys.readouterr().out
    assert "cubes of 50 µm" in shown and "structure-function" in shown


def test_the_command_says_what_it_leaves_out_and_refuses_what_cannot_run(tmp_path, capsys):
    from connectome_motifs.motifs.cli import main

    argv = ["attribute-test", "--dataset", "larva", "--attribute", "celltype",
            "--permutations", "49", "--out", str(tmp_path)]
    assert main(argv) == 0
    graph = datasets.larva()
    missing = int(graph.nodes["celltype"].isna().sum())
    assert f"{missing} of {graph.n} cells left out, {missing} of them with no value" in \
        capsys.readouterr().out
    # The larva has no soma positions: neither cubes nor the structure-function test.
    assert main([*argv, "--radius", "50"]) == 2
    assert "needs soma positions" in capsys.readouterr().err
    assert main([*argv, "--bins", "50"]) == 2
    assert "cubes of 50 µm needs soma positions" in capsys.readouterr().err
    assert main([*argv, "--permutations", "0"]) == 2


def test_a_bad_value_in_a_cell_file_is_named_by_file_column_and_row(tmp_path, capsys):
    from connectome_motifs.motifs.cli import main

    (tmp_path / "syn.csv").write_text("pre,post,weight\n1,2,3\n2,3,1\n3,1,2\n1,3,4\n")
    # One value that is not a number keeps the whole column as text when it is read.
    (tmp_path / "cells.csv").write_text("id,x,y,z,depth\n1,0,0,0,1.5\n2,1,0,0,high\n"
                                        "3,2,0,0,2.5\n")
    argv = ["attribute-test", "--synapses", str(tmp_path / "syn.csv"), "--cells",
            str(tmp_path / "cells.csv"), "--kind", "continuous", "--quiet", "--out",
            str(tmp_path / "out")]
    assert main([*argv, "--attribute", "depth"]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'cells.csv'}, column 'depth', data row 1 " in error
    assert "('high')" in error and "'1.5'" not in error
    assert main([*argv, "--attribute", "nope"]) == 2
    assert f"{tmp_path / 'cells.csv'}, column 'nope'" in capsys.readouterr().err
