"""Tests of motif strength (synapse counts, Onnela intensity and coherence) against brute force."""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction
from itertools import combinations, permutations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import triad_census
from connectome_motifs.motifs.motif_strength import STRENGTH_COLUMNS, motif_strength
from tests.strategies import adjacency_matrices

CONNECTED = ["012", "102", "021D", "021U", "021C", "111D", "111U", "030T", "030C", "201",
             "120D", "120U", "120C", "210", "300"]


def _weights(adjacency: np.ndarray, kind: str, seed: int) -> np.ndarray:
    """Return an int64 weight matrix on the edges of ``adjacency``, 0 elsewhere."""
    rng = np.random.default_rng(seed)
    shape = adjacency.shape
    if kind == "ones":
        w = np.ones(shape, dtype=np.int64)
    elif kind == "few":  # many ties of single weights and of pair sums
        w = rng.integers(1, 4, shape)
    elif kind == "lognormal":  # synapse-count-like
        w = 1 + np.floor(rng.lognormal(0.5, 1.5, shape)).astype(np.int64)
    elif kind == "zipf":  # infinite-variance tail, capped to keep the sums in range
        w = np.minimum(rng.zipf(1.6, shape), 10**6)
    else:  # "huge": near the int32 limit
        w = rng.integers(2**31 - 1000, 2**31, shape)
    return np.where(adjacency, w, 0)


@st.composite
def weighted_matrices(draw: st.DrawFn, max_nodes: int) -> np.ndarray:
    adjacency = draw(adjacency_matrices(max_nodes))
    kind = draw(st.sampled_from(["ones", "few", "lognormal", "zipf"]))
    return _weights(adjacency, kind, draw(st.integers(0, 2**32 - 1)))


def _graph(w: np.ndarray) -> SynapseGraph:
    pre, post = np.nonzero(w)
    return SynapseGraph.from_edges(pre, post, w[pre, post], n=w.shape[0])


def _means(weights: list[int], w_max: int) -> tuple[float, float]:
    """Return the intensity and coherence of a triad with these edge weights, by definition."""
    k = len(weights)
    log_mean = math.fsum(math.log(x) for x in weights) / k
    return math.exp(log_mean - math.log(w_max)), math.exp(log_mean) / (sum(weights) / k)


def _brute_force(w: np.ndarray, man_code) -> dict[str, dict]:
    """Return every class's statistics from a visit of every node triple, by definition.

    Also the scale of the rounding error of a class with two joined pairs: the sum, over
    every node and two of its neighbours (joined or not) whose two pairs form the class, of
    their intensity (or coherence), which the closed forms add before subtracting the
    joined ones (motif_strength's Notes).
    """
    n = w.shape[0]
    w_max = int(w.max()) if w.size and w.max() > 0 else 1
    acc: dict[str, dict] = defaultdict(lambda: {"n": 0, "k": 0, "s": 0, "q": 0,
                                                 "intensity": [], "coherence": [],
                                                 "scale": [0.0, 0.0]})
    for triple in combinations(range(n), 3):
        weights = [int(w[i, j]) for i, j in permutations(triple, 2) if w[i, j]]
        if not weights:
            continue
        a = acc[man_code(w > 0, triple)]
        k = len(weights)
        a["n"] += 1
        a["k"] += k
        a["s"] += sum(weights)
        a["q"] += sum(x * x for x in weights)
        intensity, coherence = _means(weights, w_max)
        a["intensity"].append(intensity)
        a["coherence"].append(coherence)
        for v in triple:
            x, y = (z for z in triple if z != v)
            if (w[v, x] or w[x, v]) and (w[v, y] or w[y, v]):
                wedge = w.copy()
                wedge[x, y] = wedge[y, x] = 0
                pair_weights = [int(wedge[i, j]) for i, j in permutations(triple, 2)
                                if wedge[i, j]]
                scale = acc[man_code(wedge > 0, triple)]["scale"]
                for j, value in enumerate(_means(pair_weights, w_max)):
                    scale[j] += value
    out = {}
    for name in CONNECTED:
        a = acc[name]
        if a["n"] == 0:
            out[name] = dict(n_triads=0, n_edges=0, intensity_sum=0.0)
            continue
        out[name] = dict(
            n_triads=a["n"], n_edges=a["k"],
            weight_mean=float(Fraction(a["s"], a["k"])),
            weight_sd=math.sqrt(Fraction(a["k"] * a["q"] - a["s"] ** 2, a["k"] ** 2)),
            intensity_sum=math.fsum(a["intensity"]),
            intensity_mean=math.fsum(a["intensity"]) / a["n"],
            coherence_mean=math.fsum(a["coherence"]) / a["n"],
            intensity_scale=a["scale"][0],
            coherence_scale=a["scale"][1] / a["n"],
        )
    return out


def _assert_matches(table: pd.DataFrame, expected: dict[str, dict], rtol: float = 1e-9) -> None:
    # Relative to 1e-9, or for the classes with two joined pairs, to 1e-13 (~500 rounding
    # errors) of the sums that their closed forms cancel; zero for every other class.
    assert table["triad"].tolist() == CONNECTED
    assert list(table.columns) == list(STRENGTH_COLUMNS)
    for row in table.itertuples(index=False):
        ref = expected[row.triad]
        assert (row.n_triads, row.n_edges) == (ref["n_triads"], ref["n_edges"]), row.triad
        if ref["n_triads"] == 0:
            assert row.intensity_sum == 0.0
            assert all(math.isnan(getattr(row, c)) for c in
                       ("weight_mean", "weight_sd", "intensity_mean", "coherence_mean"))
            continue
        scales = {"intensity_sum": ref["intensity_scale"],
                  "intensity_mean": ref["intensity_scale"] / ref["n_triads"],
                  "coherence_mean": ref["coherence_scale"]}
        for column in ("weight_mean", "weight_sd", "intensity_sum", "intensity_mean",
                       "coherence_mean"):
            got, want = getattr(row, column), ref[column]
            atol = 1e-13 * scales.get(column, 0.0)
            assert math.isclose(got, want, rel_tol=rtol, abs_tol=atol), (row.triad, column,
                                                                         got, want)


@settings(max_examples=250)
@given(w=weighted_matrices(max_nodes=13))
def test_equals_brute_force_over_all_triples(w: np.ndarray, man_code) -> None:
    _assert_matches(motif_strength(_graph(w)), _brute_force(w, man_code))


@pytest.mark.parametrize("seed", range(4))
def test_hubs_with_repeated_weight_sums_equal_brute_force(seed: int, man_code) -> None:
    # Hubs with dozens of neighbours of each category and few distinct weights: the groups of
    # equal pair sums hold many neighbours, and triangles close many of the hubs' wedges.
    rng = np.random.default_rng(seed)
    n = 45
    a = rng.random((n, n)) < 0.08
    a[:3, :] |= rng.random((3, n)) < 0.7
    a[:, :3] |= rng.random((n, 3)) < 0.7
    a |= a.T & (rng.random((n, n)) < 0.4)
    np.fill_diagonal(a, False)
    w = _weights(a, ["few", "lognormal", "zipf", "ones"][seed], seed)
    _assert_matches(motif_strength(_graph(w)), _brute_force(w, man_code))


@settings(max_examples=150)
@given(w=weighted_matrices(max_nodes=40))
def test_triad_counts_equal_the_census(w: np.ndarray) -> None:
    g = _graph(w)
    table = motif_strength(g).set_index("triad")
    census = triad_census(g)
    assert table["n_triads"].to_dict() == census.drop("003").to_dict()
    assert table["n_triads"].dtype == np.int64


@settings(max_examples=100)
@given(a=adjacency_matrices(max_nodes=30))
def test_equal_weights_give_intensity_and_coherence_one(a: np.ndarray) -> None:
    # Every triad's geometric and arithmetic means are 3, the largest weight 3: intensity and
    # coherence are 1 in every triad, the weights' SD is 0.
    table = motif_strength(_graph(3 * a.astype(np.int64)))
    present = table[table["n_triads"] > 0]
    np.testing.assert_allclose(present["intensity_mean"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(present["intensity_sum"], present["n_triads"], rtol=1e-12)
    np.testing.assert_allclose(present["coherence_mean"], 1.0, rtol=1e-12)
    assert (present["weight_mean"] == 3.0).all()
    assert (present["weight_sd"] == 0.0).all()


def test_hand_counted_example() -> None:
    # 0 -> 1 (1 synapse), 1 -> 2 (4), 2 -> 0 (2), the cycle 030C; 3 <-> 0 (8 and 2);
    # 4 is isolated. Largest weight 8.
    g = SynapseGraph.from_edges([0, 1, 2, 3, 0], [1, 2, 0, 0, 3], [1, 4, 2, 8, 2], n=5)
    table = motif_strength(g).set_index("triad")
    present = table[table["n_triads"] > 0]
    # {0, 1, 2}: 030C. {0, 1, 3}: 0 <-> 3 and 0 -> 1, the mutual pair sending out: 111U.
    # {0, 2, 3}: 2 -> 0 into the mutual pair: 111D. {1, 2, 3}: 012.
    # Triples with 4: {0,1,4} {1,2,4} {0,2,4}: 012; {0,3,4}: 102; {1,3,4}, {2,3,4}: 003.
    assert present["n_triads"].to_dict() == {"012": 4, "102": 1, "111D": 1, "111U": 1,
                                             "030C": 1}
    c = present.loc["030C"]
    assert c.weight_mean == pytest.approx(7 / 3, rel=1e-15)
    assert c.weight_sd == pytest.approx(math.sqrt(14) / 3, rel=1e-15)
    assert c.intensity_sum == pytest.approx(8 ** (1 / 3) / 8, rel=1e-14)
    assert c.coherence_mean == pytest.approx(2 / (7 / 3), rel=1e-14)
    m = present.loc["102"]  # weights 8 and 2: geometric mean 4, arithmetic 5
    assert (m.weight_mean, m.weight_sd) == (5.0, 3.0)
    assert m.intensity_sum == pytest.approx(0.5, rel=1e-14)
    assert m.coherence_mean == pytest.approx(0.8, rel=1e-14)
    u = present.loc["111U"]  # weights 8, 2, 1: geometric mean 16 ** (1/3), arithmetic 11/3
    assert u.n_edges == 3
    assert u.intensity_sum == pytest.approx(16 ** (1 / 3) / 8, rel=1e-14)
    assert u.coherence_mean == pytest.approx(16 ** (1 / 3) / (11 / 3), rel=1e-14)
    d = present.loc["111D"]  # weights 8, 2, 2: geometric mean 32 ** (1/3), arithmetic 4
    assert d.intensity_sum == pytest.approx(32 ** (1 / 3) / 8, rel=1e-14)
    assert d.coherence_mean == pytest.approx(32 ** (1 / 3) / 4, rel=1e-14)
    one = present.loc["012"]  # single edges 1, 4, 2 (with 4), and 4 again in {1, 2, 3}
    assert (one.n_edges, one.weight_mean) == (4, 11 / 4)
    assert one.intensity_sum == pytest.approx(11 / 8, rel=1e-14)
    assert one.coherence_mean == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6])
def test_empty_graphs(n: int) -> None:
    table = motif_strength(SynapseGraph.from_edges([], [], n=n))
    assert table["triad"].tolist() == CONNECTED
    assert (table["n_triads"] == 0).all() and (table["n_edges"] == 0).all()
    assert (table["intensity_sum"] == 0.0).all()
    assert table[["weight_mean", "weight_sd", "intensity_mean", "coherence_mean"]].isna().all(
        axis=None)


@settings(max_examples=60)
@given(w=weighted_matrices(max_nodes=25), factor=st.integers(2, 1000))
def test_scaling_the_weights_scales_only_mean_and_sd(w: np.ndarray, factor: int) -> None:
    # Scaled weights must stay well inside the exact range: from 2 n sum(w²) >= 2**62 on,
    # motif_strength raises OverflowError (test_large_weights_are_exact_or_refused).
    assume(2 * w.shape[0] * int(((factor * w.astype(object)) ** 2).sum()) < 2**61)
    one = motif_strength(_graph(w))
    scaled = motif_strength(_graph(factor * w))
    for column in ("n_triads", "n_edges"):
        assert one[column].tolist() == scaled[column].tolist()
    for column in ("intensity_sum", "intensity_mean", "coherence_mean"):
        np.testing.assert_allclose(scaled[column], one[column], rtol=1e-9)
    for column in ("weight_mean", "weight_sd"):
        np.testing.assert_allclose(scaled[column], factor * one[column], rtol=1e-12)


def _heavy_tailed_weighted_graph(n: int, seed: int) -> SynapseGraph:
    rng = np.random.default_rng(seed)
    out_w, in_w = rng.lognormal(0, 1.5, n), rng.lognormal(0, 1.5, n)
    pre = rng.choice(n, 20 * n, p=out_w / out_w.sum())
    post = rng.choice(n, 20 * n, p=in_w / in_w.sum())
    keys = np.unique((pre * n + post)[pre != post])
    back = rng.random(keys.size) < 0.3
    keys = np.unique(np.concatenate([keys, (keys % n)[back] * n + keys[back] // n]))
    weights = 1 + np.floor(rng.lognormal(0.5, 1.3, keys.size)).astype(np.int64)
    return SynapseGraph.from_edges(keys // n, keys % n, weights, n=n)


def test_results_do_not_depend_on_thread_count(monkeypatch, on_threads) -> None:
    monkeypatch.setattr("connectome_motifs.graphs.threads.SERIAL_BELOW_EDGES", 0)
    g = _heavy_tailed_weighted_graph(3000, seed=3)
    with on_threads(1):
        one = motif_strength(g)
    with on_threads(2):
        two = motif_strength(g)
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    assert one.set_index("triad")["n_triads"].to_dict() == triad_census(g).drop("003").to_dict()


def test_large_weights_are_exact_or_refused(man_code) -> None:
    # One edge of ~2**31 synapses among 6 nodes: 2 n w² > 2**62, refused. Weights below 2**26
    # on at most 30 edges: 2 n sum(w²) < 12 * 30 * 2**52 < 2**61, accepted; the square sums
    # reach ~2**57, beyond float64's exact integers, and must still be exact.
    rng = np.random.default_rng(5)
    a = np.zeros((6, 6), dtype=bool)
    a[0, 1] = True
    w = _weights(a, "huge", 1)
    with pytest.raises(OverflowError, match="too large for exact int64"):
        motif_strength(_graph(w))
    a = rng.random((6, 6)) < 0.5
    np.fill_diagonal(a, False)
    w = np.where(a, rng.integers(2**25, 2**26, (6, 6)), 0)
    _assert_matches(motif_strength(_graph(w)), _brute_force(w, man_code))


def test_accepts_scipy_input_with_weights() -> None:
    import scipy.sparse as sp

    w = _weights(np.triu(np.ones((6, 6), dtype=bool), 1) | np.eye(6, k=-1, dtype=bool),
                 "lognormal", 2)
    pd.testing.assert_frame_equal(motif_strength(sp.csr_array(w)), motif_strength(_graph(w)))
