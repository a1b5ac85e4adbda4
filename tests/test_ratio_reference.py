"""The ratio figures divide by ER unless ER expects almost nothing of an observed class."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from connectome_motifs.motifs.report import ratio_reference

CLASSES = ["a", "b"]


def analysis(observed, er, cfg_samples, pm_expected=None):
    index = pd.MultiIndex.from_product([["triad"], CLASSES], names=["kind", "class"])
    expected = {"ER": pd.Series(er, index=index)}
    if pm_expected is not None:
        expected["PM"] = pd.Series(pm_expected, index=index)
    samples = {"CFG": pd.DataFrame(cfg_samples, columns=CLASSES)}
    return SimpleNamespace(
        reference=expected["ER"], observed=pd.Series(observed, index=index), expected=expected,
        ensembles={"CFG": None}, samples=lambda kind: samples)


def test_er_while_no_observed_count_exceeds_it_a_thousandfold():
    a = analysis([1000, 5], [1.0, 0.01], [[3, 1], [5, 1]])
    reference, label = ratio_reference(a, "triad")
    assert label == "ER expectation" and reference.tolist() == [1.0, 0.01]


def test_the_cfg_mean_where_er_expects_almost_nothing():
    a = analysis([1000, 5], [1.0, 0.001], [[3, 1], [5, 2]])
    reference, label = ratio_reference(a, "triad")
    assert label == "CFG sample mean" and reference.tolist() == [4.0, 1.5]


def test_a_model_with_a_zero_mean_is_passed_over():
    a = analysis([1000, 5], [1.0, 0.001], [[3, 0], [5, 0]], pm_expected=[900.0, 0.5])
    reference, label = ratio_reference(a, "triad")
    assert label == "PM expectation" and reference.tolist() == [900.0, 0.5]
    a = analysis([1000, 5], [1.0, 0.001], [[3, 0], [5, 0]])
    assert ratio_reference(a, "triad")[1] == "ER expectation"
