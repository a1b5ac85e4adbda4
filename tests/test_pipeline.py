"""The analysis as stages: each callable alone, composed by ``analyse``, any graph type in."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from connectome_motifs import motifs
from connectome_motifs.graphs import SynapseGraph, to_networkx, to_scipy_sparse
from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.motifs.analysis import model_seed, resolve_models
from connectome_motifs.motifs.expected_variance import triad_census_variance
from connectome_motifs.motifs.profile import MotifStatistics, motif_profile
from connectome_motifs.nullmodels import ConfigurationModel, ThreadExecutor, ensemble


@pytest.fixture(scope="module")
def th100():
    return pinky100("th100")


@pytest.fixture(scope="module")
def analysis(th100):
    return motifs.analyse(th100, label="th100", models=["ER", "CFG"], n_samples=30, seed=5,
                          executor=1)


def test_stages_called_alone_give_the_tables_of_analyse(th100, analysis):
    fitted = motifs.fit_models(th100, ["ER", "CFG"])
    expected = motifs.expected_counts(fitted)
    assert list(expected) == ["ER"]  # CFG has no closed form
    profile = motif_profile(th100)
    statistic = MotifStatistics.for_profile(profile)
    observed = statistic.labelled(profile)
    variances = motifs.expected_variances(fitted)
    assert list(variances) == ["ER"]
    ensembles = motifs.sample_models(fitted, statistic, 30, seed=5, label="th100", executor=2)
    comparisons = motifs.compare_models(observed, ensembles, expected, variances)
    tables = motifs.tabulate("th100", profile, comparisons, ensembles, expected,
                             expected["ER"])
    for name in ("motifs", "pairs", "stats"):
        pd.testing.assert_frame_equal(getattr(tables, name), getattr(analysis, name))
    # ER's z-scores use the exact SD of each count, CFG's the SD of its samples.
    table = analysis.motifs.set_index(["model", "motif"])
    er_sd = np.sqrt(triad_census_variance(fitted["ER"]))
    np.testing.assert_allclose(table.loc["ER", "null_sd"].reindex(er_sd.index), er_sd)
    assert table.loc["ER", "sd_exact"].all() and not table.loc["CFG", "sd_exact"].any()
    cfg = analysis.samples("triad")["CFG"]
    np.testing.assert_allclose(table.loc["CFG", "null_sd"].reindex(cfg.columns),
                               cfg.std(ddof=1))
    # Sample k of a model comes from child k of its own seed, whatever else the run holds.
    alone = ensemble(fitted["CFG"], statistic, 30, seed=model_seed(5, "th100", "CFG"),
                     progress=False)
    pd.testing.assert_frame_equal(alone.samples, analysis.ensembles["CFG"].samples)


def test_the_analysis_is_complete_and_immutable(analysis, th100):
    assert set(analysis.timings) == {"fit", "expect", "variance", "sample", "compare",
                                     "tabulate"}
    assert analysis.params.models == ("ER", "CFG") and analysis.params.n_samples == 30
    assert analysis.reference.equals(analysis.expected["ER"])
    assert set(analysis.diagnostics) == {"CFG"}
    assert list(analysis.samples("triad")["CFG"].columns) == list(motifs.triad_census(th100).index)
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.label = "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.profile.triangles = 0


def test_observed_row_is_the_census_by_kind(analysis, th100):
    observed = analysis.observed
    assert observed.index.names == ["kind", "class"]
    assert observed["triad"].tolist() == motifs.triad_census(th100).tolist()
    assert observed["dyad"].tolist() == motifs.dyad_census(th100).tolist()
    assert observed[("clustering_coefficient", "")] == pytest.approx(
        nx.transitivity(to_networkx(th100).to_undirected()))
    # The fraction of cells with in-degree at least k, counted by hand.
    for k in (0, 1, 5, 12, 40):
        assert observed[("in_degree", k)] == np.mean(th100.in_degree >= k)


def test_every_graph_type_is_accepted_by_every_entry_point(th100):
    networkx_graph = to_networkx(th100)
    matrix = to_scipy_sparse(th100)
    reference = motifs.analyse(th100, models=["ER"], n_samples=5, seed=1, executor=1)
    for other in (networkx_graph, matrix):
        again = motifs.analyse(other, models=["ER"], n_samples=5, seed=1, executor=1)
        pd.testing.assert_frame_equal(again.motifs, reference.motifs)
        model = ConfigurationModel().fit(other)
        assert model.out_degree_.tolist() == th100.out_degree.tolist()
        assert motif_profile(other).triads == motif_profile(th100).triads
    with pytest.raises(TypeError, match="SynapseGraph"):
        motifs.analyse([[0, 1], [1, 0]])
    with pytest.raises(TypeError, match="SynapseGraph"):
        ConfigurationModel().fit("graph.csv")


def test_the_profile_enumerates_triangles_once(th100, monkeypatch):
    from connectome_motifs.motifs import census

    calls = []
    kernel = census.triangle_code_histogram

    def counted(*args):
        calls.append(1)
        return kernel(*args)

    monkeypatch.setattr(census, "triangle_code_histogram", counted)
    MotifStatistics(max_common=5)(th100)
    assert len(calls) == 1


def test_model_names_are_matched_in_any_case():
    assert resolve_models(["cfg", "gcfg", "Er", "CFG"]) == ("CFG", "gCFG", "ER")
    with pytest.raises(ValueError, match="XYZ"):
        resolve_models(["ER", "XYZ"])
    with pytest.raises(ValueError, match="none"):
        resolve_models([])


def test_an_executor_given_to_analyse_is_used_for_every_model(th100):
    class Counting(ThreadExecutor):
        runs = 0

        def run(self, *args, **kwargs):
            Counting.runs += 1
            return super().run(*args, **kwargs)

    a = motifs.analyse(th100, models=["ER", "gER", "CFG"], n_samples=4, executor=Counting(2))
    assert Counting.runs == 3
    assert {e.params.n_threads for e in a.ensembles.values()} == {2}


def test_large_graphs_take_pm_triads_from_samples_and_say_so(th100, monkeypatch):
    # th100 has 111 cells; with the limit below that, PM's triads are sampled, its dyads exact.
    import connectome_motifs.motifs.analysis as analysis_module
    from connectome_motifs.motifs.report import format_summary

    monkeypatch.setattr(analysis_module, "EXACT_TRIAD_MAX_NODES", 110)
    a = motifs.analyse(th100, label="th100", models=["ER", "PM"], n_samples=20, executor=1)
    pm = a.motifs[a.motifs["model"] == "PM"]
    assert pm["expected"].isna().all()
    assert a.pairs[a.pairs["model"] == "PM"]["expected"].notna().all()
    assert a.motifs[a.motifs["model"] == "ER"]["expected"].notna().all()
    assert a.notes == ("PM: triad expectations are the means of its 20 samples; the exact sum "
                       "over all triples (O(n³)) is left out above 110 cells and this model has "
                       "111 (dyad expectations are exact)",)
    text = format_summary(a)
    assert "values: exact expectation (ER) or sample mean (PM)" in text
    assert text.endswith("note: " + a.notes[0])


def test_block_models_past_the_limit_of_blocks_take_triads_from_samples(monkeypatch):
    # Three cell types: with the limit at 2 blocks SBM's triads are sampled; ER's stay exact.
    import connectome_motifs.motifs.analysis as analysis_module

    rng = np.random.default_rng(0)
    a = rng.random((40, 40)) < 0.1
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    nodes = pd.DataFrame({"id": range(40), "type": rng.choice(["E", "I", "M"], 40)})
    g = SynapseGraph.from_edges(pre, post, n=40, nodes=nodes)
    monkeypatch.setattr(analysis_module, "EXACT_TRIAD_MAX_BLOCKS", 2)
    result = motifs.analyse(g, models=["ER", "SBM"], n_samples=5, executor=1, groups="type")
    table = result.motifs.set_index("model")
    assert table.loc["SBM", "expected"].isna().all()
    assert table.loc["ER", "expected"].notna().all()
    assert "SBM: triad expectations are the means of its 5 samples" in result.notes[1]
    assert "left out above 2 blocks and this model has 3 (dyad" in result.notes[1]
