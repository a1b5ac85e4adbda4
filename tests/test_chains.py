"""Shared chains: their samples agree with independent chains; burn-in and spacing rules."""

from __future__ import annotations

import numpy as np
import pytest

from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.motifs import triad_census
from connectome_motifs.nullmodels import (
    ConfigurationModel,
    PaperReciprocalConfigurationModel,
    ReciprocalConfigurationModel,
    ensemble,
)
from connectome_motifs.nullmodels.chains import chain_lengths, plan_chains

N_SAMPLES = 1000


@pytest.fixture(scope="module")
def th100():
    return pinky100("th100")


@pytest.mark.parametrize("factory", [ConfigurationModel, ReciprocalConfigurationModel])
def test_shared_chains_agree_with_independent_long_chains(factory, th100):
    # Reference: every sample its own chain of 100 m steps from the observed graph, more than
    # 10 times the largest integrated autocorrelation time of either model on th100.
    m = th100.n_edges
    shared = ensemble(factory().fit(th100), triad_census, N_SAMPLES, seed=1, progress=False,
                      diagnostics=False).samples
    independent = ensemble(factory(chains=None, burn_in=100 * m).fit(th100), triad_census,
                           N_SAMPLES, seed=2, progress=False, diagnostics=False).samples
    varying = independent.columns[independent.std() > 0]
    a, b = shared[varying], independent[varying]
    z = (a.mean() - b.mean()) / np.sqrt(a.var() / N_SAMPLES + b.var() / N_SAMPLES)
    # 16 classes: |z| > 4 anywhere has probability ~1e-3 when the means agree.
    assert (z.abs() < 4).all(), z.round(2).to_dict()
    # log s has a standard error of sqrt((kurtosis - 1) / 4n): ~0.022 for a near-normal class,
    # ~0.075 for class 300 (about 0.04 per sample, nearly a Bernoulli count).
    log_ratio = np.log(a.std() / b.std())
    error = np.sqrt((a.kurt() + 2) / (4 * N_SAMPLES) + (b.kurt() + 2) / (4 * N_SAMPLES))
    assert (log_ratio.abs() < 4 * error).all(), (log_ratio / error).round(2).to_dict()


def test_pair_shifts_let_gcfg_forget_the_observed_graph_within_ten_m_steps(th100):
    # Without pair shifts gCFG's largest integrated autocorrelation time on th100 was ~9 m
    # steps and chains of 10 m steps from the observed graph left its class means up to 11
    # standard errors from those of 100 m-step chains; with them τ is ~3.6 m (class 111U).
    m = th100.n_edges
    short = ensemble(ReciprocalConfigurationModel(chains=None).fit(th100), triad_census,
                     N_SAMPLES, seed=3, progress=False, diagnostics=False).samples
    long = ensemble(ReciprocalConfigurationModel(chains=None, burn_in=100 * m).fit(th100),
                    triad_census, N_SAMPLES, seed=4, progress=False,
                    diagnostics=False).samples
    z = (short.mean() - long.mean()) / np.sqrt(short.var() / N_SAMPLES
                                               + long.var() / N_SAMPLES)
    assert (z.abs() < 4).all(), z.round(2).to_dict()
    plan = plan_chains(ReciprocalConfigurationModel().fit(th100), triad_census, seed=5)
    assert plan.autocorrelation_times.max() < 5 * m


def test_plan_follows_its_rule(th100):
    model = ConfigurationModel().fit(th100)
    plan = plan_chains(model, triad_census, seed=0)
    tau = plan.autocorrelation_times.max()
    assert plan.limiting[0] == plan.autocorrelation_times.idxmax()
    assert plan.burn_in == max(10 * th100.n_edges, int(np.ceil(10 * tau)))
    assert plan.spacing == min(int(np.ceil(2 * tau)), plan.burn_in)
    assert "edge_overlap" in plan.autocorrelation_times.index
    assert plan.pilot_steps >= model.burn_in_ + 200 * plan.checkpoint_gap


def test_a_constant_statistic_leaves_the_edge_overlap_to_set_the_plan(th100):
    model = ConfigurationModel().fit(th100)
    plan = plan_chains(model, lambda g: g.n_edges, seed=0)
    assert plan.limiting == ("edge_overlap",)
    assert np.isnan(plan.autocorrelation_times["<lambda>"])


def test_chain_lengths_split_in_order():
    assert chain_lengths(1000, 10) == [100] * 10
    assert chain_lengths(3, 10) == [1, 1, 1]
    assert sum(chain_lengths(1001, 7)) == 1001


def test_gcfg_class_means_do_not_depend_on_where_the_chains_start(th100):
    # Starts with th100's degrees and reciprocal count: the observed graph and two outputs of
    # the paper's procedure (other graphs with the same kept quantities).
    paper = PaperReciprocalConfigurationModel().fit(th100)
    starts = [th100, paper.sample(seed=1), paper.sample(seed=2)]
    assert not starts[1].equals(th100)
    means = []
    for k, start in enumerate(starts):
        samples = ensemble(ReciprocalConfigurationModel().fit(start), triad_census, N_SAMPLES,
                           seed=10 + k, progress=False, diagnostics=False).samples
        means.append((samples.mean(), samples.var()))
    (mean0, var0) = means[0]
    for mean, var in means[1:]:
        z = (mean - mean0) / np.sqrt((var + var0) / N_SAMPLES)
        assert (z.abs() < 4).all(), z.round(2).to_dict()
