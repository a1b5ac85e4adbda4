"""Observed-versus-null statistics: z-scores, empirical p-values and their adjustment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from connectome_motifs.nullmodels import compare, empirical_p_values, p_adjust


@settings(max_examples=200)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_bh_matches_scipy(p):
    expected = stats.false_discovery_control(np.array(p), method="bh")
    assert p_adjust(p, "bh") == pytest.approx(expected, abs=1e-12)


def test_holm_by_hand():
    # Sorted 0.01, 0.02, 0.03, 0.5 times 4, 3, 2, 1 -> 0.04, 0.06, 0.06, 0.5; max-accumulated.
    p = [0.03, 0.01, 0.5, 0.02]
    assert p_adjust(p, "holm") == pytest.approx([0.06, 0.04, 0.5, 0.06])
    # Capped at 1 and monotone: 0.4 * 3 = 1.2 -> 1, then max(1, 0.45 * 2) = 1.
    assert p_adjust([0.4, 0.45, 0.9], "holm").tolist() == [1.0, 1.0, 1.0]


def test_nan_p_values_stay_nan_and_are_not_counted():
    got = p_adjust([0.01, np.nan, 0.04], "holm")
    assert np.isnan(got[1])
    assert got[[0, 2]] == pytest.approx([0.02, 0.04])
    assert np.isnan(p_adjust([np.nan], "bh")).all()
    with pytest.raises(ValueError, match="method"):
        p_adjust([0.1], "bonferroni")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        p_adjust([1.5])


def test_empirical_p_values_by_hand():
    # Null draws 1, 2, 3, 4; observed 3: two draws >= 3, three draws <= 3.
    p = empirical_p_values([3.0], [[1.0], [2.0], [3.0], [4.0]])
    assert p["p_upper"].tolist() == [3 / 5]
    assert p["p_lower"].tolist() == [4 / 5]
    assert p["p_two_sided"].tolist() == [1.0]
    assert p["p_paper"].tolist() == [2 / 4]
    extreme = empirical_p_values([10.0], [[1.0], [2.0], [3.0], [4.0]])
    assert extreme["p_upper"].tolist() == [1 / 5]
    assert extreme["p_two_sided"].tolist() == [2 / 5]
    assert extreme["p_paper"].tolist() == [0.0]


@pytest.mark.parametrize("draw", ["normal", "poisson"])
def test_p_values_are_calibrated_under_the_null(draw):
    # The observed value is one more draw of the null, so P(p <= 0.05) should be 0.05
    # (exactly, for continuous draws with 99 null samples: p is uniform on k/100) and at
    # most 0.05 for discrete draws (ties make the test conservative).
    rng = np.random.default_rng(0)
    reps, n_null = 4000, 99
    if draw == "normal":
        values = rng.normal(size=(reps, n_null + 1))
    else:
        values = rng.poisson(20, size=(reps, n_null + 1)).astype(float)
    p = empirical_p_values(values[:, 0], values[:, 1:].T)
    se = np.sqrt(0.05 * 0.95 / reps)
    for name in ("p_upper", "p_lower", "p_two_sided"):
        rate = np.mean(p[name] <= 0.05)
        assert rate <= 0.05 + 4 * se, name
        if draw == "normal":
            assert rate >= 0.05 - 4 * se, name


def test_compare_table():
    observed = pd.Series({"a": 5.0, "b": 1.0, "c": 0.0}, name="count")
    samples = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 1.0], "c": [0.0, 0.0, 0.0],
                            "unused": [9.0, 9.0, 9.0]})
    table = compare(observed, samples)
    assert list(table.index) == ["a", "b", "c"]
    # a: mean 2, sd 1 (ddof = 1), z = 3; b and c: sd 0, z undefined.
    assert table.loc["a", ["mean", "sd", "z"]].tolist() == [2.0, 1.0, 3.0]
    assert table["z_undefined"].tolist() == [False, True, True]
    assert np.isnan(table.loc["b", "z"])
    assert table.loc["a", "ratio"] == 2.5
    assert np.isnan(table.loc["c", "ratio"])  # 0 / 0
    assert table.loc["a", "p_upper"] == 1 / 4
    assert table["p_adjusted"].tolist() == pytest.approx(
        p_adjust(table["p_two_sided"].to_numpy(), "holm").tolist()
    )
    with_reference = compare(observed, samples, reference=pd.Series({"a": 10.0, "b": 0.0,
                                                                     "c": 1.0}), adjust=None)
    assert with_reference["ratio"].tolist() == [0.5, np.inf, 0.0]
    assert "p_adjusted" not in with_reference.columns
    exact = compare(observed, samples, expected=pd.Series({"a": 4.0}), adjust="bh")
    assert exact.loc["a", "mean"] == 4.0 and exact.loc["a", "z"] == 1.0
    assert exact.loc["b", "mean"] == 1.0
    assert not exact["sd_exact"].any()
    # An exact variance of 4 for a: sd 2, z = (5 - 4) / 2; b keeps its sample sd 0.
    both = compare(observed, samples, expected=pd.Series({"a": 4.0}),
                   variance=pd.Series({"a": 4.0, "b": np.nan}))
    assert both.loc["a", ["sd", "z"]].tolist() == [2.0, 0.5]
    assert both["sd_exact"].tolist() == [True, False, False]
    assert both.loc["b", "z_undefined"]


def test_samples_that_leave_a_statistic_undefined_are_left_out_of_it():
    # a is undefined (NaN) in two of five samples: its mean, SD and p-values are those of
    # the three others, 1, 2 and 3; b is defined in one sample only (no SD), c in none.
    observed = pd.Series({"a": 3.0, "b": 1.0, "c": 1.0, "d": 2.0})
    nan = np.nan
    samples = pd.DataFrame({"a": [1.0, nan, 2.0, nan, 3.0], "b": [nan, 1.0, nan, nan, nan],
                            "c": [nan] * 5, "d": [1.0, 2.0, 3.0, 4.0, 5.0]})
    table = compare(observed, samples)
    assert table["n_defined"].tolist() == [3, 1, 0, 5]
    assert table.loc["a", ["mean", "sd", "z"]].tolist() == [2.0, 1.0, 1.0]
    # Of a's three defined samples one is >= 3 and all three <= 3: (1 + 1) / (3 + 1).
    assert table.loc["a", ["p_upper", "p_lower", "p_two_sided"]].tolist() == [0.5, 1.0, 1.0]
    assert table.loc["b", "mean"] == 1.0 and np.isnan(table.loc["b", "sd"])
    assert table.loc["c", ["mean", "sd", "p_upper", "p_two_sided"]].isna().all()
    # Columns without gaps are as before: d has mean 3 and the sample SD of 1..5.
    assert table.loc["d", ["mean", "sd"]].tolist() == [3.0, np.std([1, 2, 3, 4, 5], ddof=1)]
    assert table.loc["d", "p_upper"] == 5 / 6
    # An observed NaN (a class the graph lacks) has no p-value either.
    lacking = compare(pd.Series({"a": np.nan, "d": 2.0}), samples)
    assert lacking.loc["a", ["p_upper", "p_lower", "p_two_sided", "p_paper",
                             "p_adjusted"]].isna().all()
    assert lacking.loc["d", "p_adjusted"] == lacking.loc["d", "p_two_sided"]
    # The adjustment counts the statistics that have a p-value: a, b and d.
    assert np.isnan(table.loc["c", "p_adjusted"])
    assert table["p_adjusted"].dropna().tolist() == pytest.approx(
        p_adjust(table["p_two_sided"].dropna().to_numpy(), "holm").tolist())


def test_compare_refuses_missing_columns_or_samples():
    with pytest.raises(ValueError, match="no column"):
        compare(pd.Series({"x": 1.0}), pd.DataFrame({"y": [1.0]}))
    with pytest.raises(ValueError, match="no rows"):
        compare(pd.Series({"x": 1.0}), pd.DataFrame({"x": []}))
