"""Ensembles are reproducible, independent of the worker count, and labelled by the statistic."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.motifs import triad_census
from connectome_motifs.nullmodels import (
    ConfigurationModel,
    ErdosRenyi,
    NotFittedError,
    ReciprocalConfigurationModel,
    ThreadExecutor,
    ensemble,
)
from connectome_motifs.nullmodels.chains import chain_lengths, plan_chains
from connectome_motifs.nullmodels.executor import SampleTask, draw_rows


@pytest.fixture(scope="module")
def graph() -> SynapseGraph:
    rng = np.random.default_rng(1)
    a = rng.random((30, 30)) < 0.1
    a |= a.T & (rng.random((30, 30)) < 0.5)
    np.fill_diagonal(a, False)
    return SynapseGraph.from_edges(*np.nonzero(a), n=30)


def reciprocal_pairs(g: SynapseGraph) -> int:
    return g.n_reciprocal_pairs


@pytest.mark.parametrize("factory", [ErdosRenyi, ConfigurationModel])
def test_result_is_identical_for_any_number_of_workers(factory, graph):
    model = factory().fit(graph)
    runs = [ensemble(model, triad_census, 40, seed=3, executor=jobs, progress=False)
            for jobs in (1, 2, 3)]
    for run in runs[1:]:
        pd.testing.assert_frame_equal(run.samples, runs[0].samples)
    assert list(runs[0].samples.columns) == list(triad_census(graph).index)
    assert runs[0].samples.dtypes.eq(np.int64).all()


def test_rows_are_the_samples_of_sample_many(graph):
    model = ConfigurationModel(chains=None).fit(graph)
    result = ensemble(model, reciprocal_pairs, 5, seed=9, progress=False)
    expected = [g.n_reciprocal_pairs for g in model.sample_many(5, seed=9)]
    assert result.samples["reciprocal_pairs"].tolist() == expected
    children = np.random.SeedSequence(9).spawn(5)
    [(labels, row)] = draw_rows(model, reciprocal_pairs, SampleTask(children[2]))
    assert (labels, row.tolist()) == (["reciprocal_pairs"], [expected[2]])
    assert result.chains is None and result.params.n_chains is None


def edge_count_crc(g: SynapseGraph) -> int:
    """A fingerprint of the sample's edges."""
    return zlib.crc32(g.out_indices.tobytes())


def test_rows_of_shared_chains_are_the_chains_in_order(graph):
    # 23 samples over 4 chains: 6, 6, 6, 5; chain c from child c, the pilot from child 5.
    model = ConfigurationModel(chains=4).fit(graph)
    result = ensemble(model, edge_count_crc, 23, seed=4, executor=2, progress=False)
    children = np.random.SeedSequence(4).spawn(6)
    plan = plan_chains(model, edge_count_crc, children[5])
    assert chain_lengths(23, 4) == [6, 6, 6, 5]
    expected = [edge_count_crc(g) for c, k in enumerate([6, 6, 6, 5])
                for g in model.chain(children[c], k, plan.spacing, plan.burn_in)]
    assert result.samples["edge_count_crc"].tolist() == expected
    assert len(set(expected)) == 23
    p = result.params
    assert (p.n_chains, p.burn_in, p.spacing) == (4, plan.burn_in, plan.spacing)
    assert result.chains.rule == plan.rule
    pd.testing.assert_series_equal(result.chains.autocorrelation_times,
                                   plan.autocorrelation_times)


def test_chain_settings_given_are_used_without_a_pilot(graph):
    model = ConfigurationModel(burn_in=50, spacing=7, chains=2).fit(graph)
    result = ensemble(model, edge_count_crc, 4, seed=1, progress=False)
    assert (result.params.burn_in, result.params.spacing) == (50, 7)
    assert result.chains.pilot_steps == 0 and result.chains.rule == "burn-in and spacing as set"
    children = np.random.SeedSequence(1).spawn(4)
    expected = [edge_count_crc(g) for c in (0, 1) for g in model.chain(children[c], 2, 7, 50)]
    assert result.samples["edge_count_crc"].tolist() == expected


def test_statistic_outputs_are_labelled(graph):
    model = ErdosRenyi().fit(graph)
    as_dict = ensemble(model, lambda g: {"m": g.n_edges, "r": g.n_reciprocal_pairs}, 3,
                       seed=0, progress=False)
    assert list(as_dict.samples.columns) == ["m", "r"]
    as_array = ensemble(model, lambda g: np.array([g.n_edges, 1.5]), 3, seed=0, progress=False)
    assert list(as_array.samples.columns) == [0, 1]
    assert as_array.samples[1].tolist() == [1.5] * 3
    assert as_array.samples[0].tolist() == as_dict.samples["m"].tolist()


def test_params_and_diagnostics(graph):
    model = ReciprocalConfigurationModel(level="node").fit(graph)
    result = ensemble(model, reciprocal_pairs, 4, seed=12, executor=2, progress=False)
    p = result.params
    assert (p.model, p.alias) == ("ReciprocalConfigurationModel", "gCFG")
    assert p.model_params == {"level": "node", "burn_in": None, "triangle_probability": 0.1,
                              "chains": 10, "spacing": None, "switching": None}
    assert (p.seed_entropy, p.seed_spawn_key) == (12, ())
    assert (p.n_samples, p.executor, p.n_threads) == (4, "threads", 2)
    assert p.statistic == "reciprocal_pairs"
    assert set(result.samples["reciprocal_pairs"]) == {graph.n_reciprocal_pairs}
    # The diagnostics are those of the chain from the seed's child after the samples'.
    expected = model.mixing_diagnostics(seed=np.random.SeedSequence(12).spawn(5)[4])
    np.testing.assert_array_equal(result.diagnostics.edge_overlap, expected.edge_overlap)
    exact = ensemble(ErdosRenyi().fit(graph), reciprocal_pairs, 2, seed=0, progress=False)
    assert exact.diagnostics is None
    quiet = ensemble(model, reciprocal_pairs, 2, seed=0, progress=False, diagnostics=False)
    assert quiet.diagnostics is None


def test_progress_bar_can_be_shown_or_hidden(graph, capsys):
    model = ErdosRenyi().fit(graph)
    ensemble(model, reciprocal_pairs, 3, seed=0, progress=False)
    assert capsys.readouterr().err == ""
    ensemble(model, reciprocal_pairs, 3, seed=0, progress=True)
    assert "3/3" in capsys.readouterr().err


def test_invalid_calls_fail_clearly(graph):
    with pytest.raises(NotFittedError):
        ensemble(ErdosRenyi(), reciprocal_pairs, 3)
    model = ErdosRenyi().fit(graph)
    with pytest.raises(ValueError, match="n_samples"):
        ensemble(model, reciprocal_pairs, 0)
    with pytest.raises(ValueError, match="n_jobs"):
        ensemble(model, reciprocal_pairs, 2, executor=0)
    with pytest.raises(ValueError, match="n_jobs"):
        ThreadExecutor(True)
    with pytest.raises(TypeError, match="executor must be"):
        ensemble(model, reciprocal_pairs, 2, executor=2.5)
    with pytest.raises(ValueError, match=r"1-D"):
        ensemble(model, lambda g: np.zeros((2, 2)), 2, progress=False)
    calls = iter([{"a": 1}, {"b": 2}])
    with pytest.raises(ValueError, match="labels"):
        ensemble(model, lambda g: next(calls), 2, executor=1, progress=False)
