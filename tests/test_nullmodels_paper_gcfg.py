"""The paper's gCFG keeps degrees and reciprocal pairs, and says when it cannot end."""

from __future__ import annotations

import numpy as np
import pytest

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.nullmodels import MODELS, NotFittedError, PaperReciprocalConfigurationModel


def test_samples_keep_degrees_and_reciprocal_pairs_and_repeat_by_seed():
    graph = pinky100("th100")
    model = PaperReciprocalConfigurationModel().fit(graph)
    for seed in range(5):
        sample = model.sample(seed)
        assert sample.out_degree.tolist() == graph.out_degree.tolist()
        assert sample.in_degree.tolist() == graph.in_degree.tolist()
        assert sample.n_reciprocal_pairs == graph.n_reciprocal_pairs == 29
        assert sample.equals(model.sample(seed))
        assert sample.nodes.equals(graph.nodes)
    assert not model.sample(0).equals(model.sample(1))


def test_settings_registry_and_fitting():
    model = PaperReciprocalConfigurationModel(burn_in=50)
    assert MODELS["gCFG-paper"] is PaperReciprocalConfigurationModel
    assert model.get_params() == {"burn_in": 50, "triangle_probability": 0.1,
                                  "max_restore_steps": None}
    assert repr(model) == ("PaperReciprocalConfigurationModel(burn_in=50, "
                           "triangle_probability=0.1, max_restore_steps=None)")
    with pytest.raises(NotFittedError):
        model.sample(0)
    with pytest.raises(ValueError, match="max_restore_steps"):
        PaperReciprocalConfigurationModel(max_restore_steps=-1).fit(pinky100("th100"))


def test_a_graph_whose_pairs_never_come_back_gets_a_clear_error():
    # 20 nodes in 10 reciprocal pairs: every in- and out-degree is 1, and a random graph
    # with those degrees (a derangement) has about 0.5 reciprocal pairs, almost never 10.
    pre = np.arange(20)
    post = pre ^ 1
    graph = SynapseGraph.from_edges(pre, post, n=20)
    model = PaperReciprocalConfigurationModel(max_restore_steps=10_000).fit(graph)
    with pytest.raises(RuntimeError, match="had not come back to the observed 10 reciprocal"):
        model.sample(0)
