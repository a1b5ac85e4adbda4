"""Conformance suite that every null model passes: fitting, sampling, seeding, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs import SynapseGraph
from connectome_motifs.nullmodels import (
    MODELS,
    BlockConfigurationModel,
    ConfigurationModel,
    DirectedBinaryConfigurationModel,
    ErdosRenyi,
    ExponentialProximityModel,
    GroupedProximityModel,
    IndependentDyadModel,
    MissingPositionsError,
    NotFittedError,
    PaperReciprocalConfigurationModel,
    ProximityModel,
    ReciprocalBinaryConfigurationModel,
    ReciprocalConfigurationModel,
    ReciprocalErdosRenyi,
    ReciprocalStochasticBlockModel,
    SpatialConfigurationModel,
    StochasticBlockModel,
    WeightShuffle,
)
from tests.strategies import synapse_graphs

FACTORIES = {
    "ER": ErdosRenyi,
    "gER": ReciprocalErdosRenyi,
    "CFG": ConfigurationModel,
    "CFG-single": lambda: ConfigurationModel(switching="single"),
    "gCFG-global": lambda: ReciprocalConfigurationModel(level="global"),
    "gCFG-node": lambda: ReciprocalConfigurationModel(level="node"),
    "PM-window": ProximityModel,
    "PM-logistic": lambda: ProximityModel(estimator="logistic"),
    "PM-isotonic-lateral": lambda: ProximityModel(estimator="isotonic", lateral=True),
    "SBM": lambda: StochasticBlockModel(groups="type"),
    "gSBM": lambda: ReciprocalStochasticBlockModel(groups="type"),
    "bCFG": lambda: BlockConfigurationModel(groups="type"),
    "W-shuffle": lambda: WeightShuffle(ConfigurationModel(chains=None)),
    "sCFG": SpatialConfigurationModel,
    "PM-exp": ExponentialProximityModel,
    "PM-group": lambda: GroupedProximityModel(groups="type"),
    "PM-exp-group-lateral": lambda: ProximityModel(estimator="exponential", groups="type",
                                                   lateral=True),
    "DBCM": DirectedBinaryConfigurationModel,
    "RBCM": ReciprocalBinaryConfigurationModel,
}


def with_positions(graph: SynapseGraph, seed: int = 0) -> SynapseGraph:
    """Return ``graph`` with random soma positions (µm), cell types (some missing), synapse
    counts and an extra attribute column."""
    rng = np.random.default_rng(seed)
    xyz = rng.uniform(0, 60, size=(graph.n, 3))
    types = rng.choice(np.array(["E", "I", None], dtype=object), graph.n, p=[0.6, 0.3, 0.1])
    nodes = pd.DataFrame({"id": np.arange(graph.n) * 7 + 3, "x": xyz[:, 0], "y": xyz[:, 1],
                          "z": xyz[:, 2], "layer": ["L23"] * graph.n, "type": types})
    pre, post = graph.edges()
    weights = 1 + rng.poisson(3.0, graph.n_edges)
    return SynapseGraph.from_edges(pre, post, weights, n=graph.n, nodes=nodes)


@pytest.fixture(scope="module")
def observed() -> SynapseGraph:
    rng = np.random.default_rng(5)
    a = rng.random((25, 25)) < 0.15
    a |= a.T & (rng.random((25, 25)) < 0.5)
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    return with_positions(SynapseGraph.from_edges(pre, post, n=25))


@pytest.mark.parametrize("name", FACTORIES)
def test_unfitted_model_raises_one_clear_error(name):
    model = FACTORIES[name]()
    with pytest.raises(NotFittedError, match="not fitted"):
        model.sample(seed=0)
    with pytest.raises(NotFittedError):
        model.graph_  # noqa: B018
    assert not hasattr(model, "burn_in_")
    with pytest.raises(AttributeError):
        model.no_such_setting  # noqa: B018


@pytest.mark.parametrize("name", FACTORIES)
def test_sample_is_valid_keeps_node_table_and_seeds_reproduce(name, observed):
    model = FACTORIES[name]()
    assert model.fit(observed) is model
    a = model.sample(seed=11)
    assert isinstance(a, SynapseGraph)
    assert a.n == observed.n
    pd.testing.assert_frame_equal(a.nodes, observed.nodes)
    if isinstance(model, WeightShuffle):
        assert sorted(a.out_weights) == sorted(observed.out_weights)
    else:
        assert np.all(a.out_weights == 1)
    pre, post = a.edges()
    assert np.all(pre != post)
    assert np.unique(pre * a.n + post).size == a.n_edges
    assert a.equals(model.sample(seed=11))
    assert a.equals(model.sample(seed=np.random.SeedSequence(11)))
    assert a.equals(model.sample(seed=np.random.default_rng(np.random.SeedSequence(11))))
    draws = [model.sample(seed=s) for s in range(5)]
    assert any(not draws[0].equals(d) for d in draws[1:])
    many = model.sample_many(3, seed=4)
    children = np.random.SeedSequence(4).spawn(3)
    assert all(g.equals(model.sample(c)) for g, c in zip(many, children, strict=True))


# Written out by hand from the constructors' signatures and the settings of FACTORIES.
REPRS = {
    "ER": ("ER", "ErdosRenyi()", {}),
    "gER": ("gER", "ReciprocalErdosRenyi()", {}),
    "CFG": ("CFG", "ConfigurationModel(burn_in=None, triangle_probability=0.1, chains=10, "
            "spacing=None, switching='global')",
            {"burn_in": None, "triangle_probability": 0.1, "chains": 10, "spacing": None,
             "switching": "global"}),
    "CFG-single": ("CFG", "ConfigurationModel(burn_in=None, triangle_probability=0.1, "
                   "chains=10, spacing=None, switching='single')",
                   {"burn_in": None, "triangle_probability": 0.1, "chains": 10,
                    "spacing": None, "switching": "single"}),
    "gCFG-global": ("gCFG", "ReciprocalConfigurationModel(level='global', burn_in=None, "
                    "triangle_probability=0.1, chains=10, spacing=None, switching=None)",
                    {"level": "global", "burn_in": None, "triangle_probability": 0.1,
                     "chains": 10, "spacing": None, "switching": None}),
    "gCFG-node": ("gCFG", "ReciprocalConfigurationModel(level='node', burn_in=None, "
                  "triangle_probability=0.1, chains=10, spacing=None, switching=None)",
                  {"level": "node", "burn_in": None, "triangle_probability": 0.1,
                   "chains": 10, "spacing": None, "switching": None}),
    "PM-window": ("PM", "ProximityModel(window=10.0, estimator='window', lateral=False, "
                  "depth_axis=1, resolution=0.1, groups=None)",
                  {"window": 10.0, "estimator": "window", "lateral": False, "depth_axis": 1,
                   "resolution": 0.1, "groups": None}),
    "PM-logistic": ("PM", "ProximityModel(window=10.0, estimator='logistic', lateral=False, "
                    "depth_axis=1, resolution=0.1, groups=None)",
                    {"window": 10.0, "estimator": "logistic", "lateral": False,
                     "depth_axis": 1, "resolution": 0.1, "groups": None}),
    "PM-isotonic-lateral": ("PM", "ProximityModel(window=10.0, estimator='isotonic', "
                            "lateral=True, depth_axis=1, resolution=0.1, groups=None)",
                            {"window": 10.0, "estimator": "isotonic", "lateral": True,
                             "depth_axis": 1, "resolution": 0.1, "groups": None}),
    "SBM": ("SBM", "StochasticBlockModel(groups='type')", {"groups": "type"}),
    "gSBM": ("gSBM", "ReciprocalStochasticBlockModel(groups='type')", {"groups": "type"}),
    "bCFG": ("bCFG", "BlockConfigurationModel(groups='type', burn_in=None, "
             "triangle_probability=0.1, chains=10, spacing=None)",
             {"groups": "type", "burn_in": None, "triangle_probability": 0.1, "chains": 10,
              "spacing": None}),
    "W-shuffle": ("W-shuffle", "WeightShuffle(topology=ConfigurationModel(burn_in=None, "
                  "triangle_probability=0.1, chains=None, spacing=None, switching='global'), "
                  "within=None)",
                  {"topology": FACTORIES["W-shuffle"]().topology, "within": None}),
    "sCFG": ("sCFG", "SpatialConfigurationModel(estimator='logistic', window=10.0, "
             "lateral=False, depth_axis=1, resolution=0.1, burn_in=None, "
             "triangle_probability=0.1, chains=10, spacing=None)",
             {"estimator": "logistic", "window": 10.0, "lateral": False, "depth_axis": 1,
              "resolution": 0.1, "burn_in": None, "triangle_probability": 0.1, "chains": 10,
              "spacing": None}),
    "PM-exp": ("PM-exp", "ExponentialProximityModel(window=10.0, estimator='exponential', "
               "lateral=False, depth_axis=1, resolution=0.1, groups=None)",
               {"window": 10.0, "estimator": "exponential", "lateral": False, "depth_axis": 1,
                "resolution": 0.1, "groups": None}),
    "PM-group": ("PM-group", "GroupedProximityModel(window=10.0, estimator='window', "
                 "lateral=False, depth_axis=1, resolution=0.1, groups='type')",
                 {"window": 10.0, "estimator": "window", "lateral": False, "depth_axis": 1,
                  "resolution": 0.1, "groups": "type"}),
    "PM-exp-group-lateral": ("PM", "ProximityModel(window=10.0, estimator='exponential', "
                             "lateral=True, depth_axis=1, resolution=0.1, groups='type')",
                             {"window": 10.0, "estimator": "exponential", "lateral": True,
                              "depth_axis": 1, "resolution": 0.1, "groups": "type"}),
    "DBCM": ("DBCM", "DirectedBinaryConfigurationModel(tolerance=1e-12)", {"tolerance": 1e-12}),
    "RBCM": ("RBCM", "ReciprocalBinaryConfigurationModel(tolerance=1e-12)",
             {"tolerance": 1e-12}),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_params_repr_and_alias(name):
    model = FACTORIES[name]()
    alias, text, params = REPRS[name]
    # WeightShuffle's samples have the observed wiring unless given a topology model, so
    # it is not a model of the census runs (MODELS).
    assert model.alias == alias
    assert MODELS[alias] is type(model) if alias != "W-shuffle" else alias not in MODELS
    assert repr(model.get_params()) == repr(params)
    assert repr(model) == text


def test_registry_holds_the_papers_five_models_its_own_gcfg_and_the_group_models():
    assert MODELS == {
        "ER": ErdosRenyi,
        "gER": ReciprocalErdosRenyi,
        "CFG": ConfigurationModel,
        "gCFG": ReciprocalConfigurationModel,
        "PM": ProximityModel,
        "gCFG-paper": PaperReciprocalConfigurationModel,
        "SBM": StochasticBlockModel,
        "gSBM": ReciprocalStochasticBlockModel,
        "bCFG": BlockConfigurationModel,
        "sCFG": SpatialConfigurationModel,
        "PM-exp": ExponentialProximityModel,
        "PM-group": GroupedProximityModel,
        "DBCM": DirectedBinaryConfigurationModel,
        "RBCM": ReciprocalBinaryConfigurationModel,
    }


@settings(max_examples=60, deadline=None)
@given(graph=synapse_graphs(max_nodes=12), seed=st.integers(0, 2**32 - 1))
def test_every_model_fits_and_samples_any_graph(graph, seed):
    graph = with_positions(graph, seed % 1000)
    for factory in FACTORIES.values():
        model = factory().fit(graph)
        sample = model.sample(seed)
        assert sample.n == graph.n
        if isinstance(model, IndependentDyadModel):
            states = model.pair_states_
            assert states.n == graph.n


@settings(max_examples=100)
@given(graph=synapse_graphs(max_nodes=15))
def test_fitted_parameters_of_the_erdos_renyi_models(graph):
    n, m, r = graph.n, graph.n_edges, graph.n_reciprocal_pairs
    er = ErdosRenyi().fit(graph)
    # By hand: density over the n (n - 1) ordered pairs.
    assert er.p_ == (m / (n * (n - 1)) if n > 1 else 0.0)
    ger = ReciprocalErdosRenyi().fit(graph)
    pairs = n * (n - 1) // 2
    if pairs:
        assert ger.p_reciprocal_ == r / pairs
        assert ger.p_one_way_ == (m - 2 * r) / pairs
        assert ger.p_null_ == pytest.approx(1 - (m - r) / pairs)
    states = ger.pair_states_
    assert states.reciprocal == ger.p_reciprocal_
    assert states.one_way == ger.p_one_way_ / 2


@settings(max_examples=100)
@given(graph=synapse_graphs(max_nodes=15))
def test_fitted_parameters_of_the_configuration_models(graph):
    cfg = ConfigurationModel().fit(graph)
    assert cfg.burn_in_ == 10 * graph.n_edges
    assert np.array_equal(cfg.out_degree_, graph.out_degree)
    assert np.array_equal(cfg.in_degree_, graph.in_degree)
    node = ReciprocalConfigurationModel(level="node", burn_in=7).fit(graph)
    assert node.burn_in_ == 7
    assert node.n_reciprocal_pairs_ == graph.n_reciprocal_pairs
    # From the definition, on the adjacency matrix.
    a = np.zeros((graph.n, graph.n), dtype=int)
    pre, post = graph.edges()
    a[pre, post] = 1
    mutual = a * a.T
    assert np.array_equal(node.reciprocal_degree_, mutual.sum(axis=1))
    assert np.array_equal(node.out_only_degree_, (a - mutual).sum(axis=1))
    assert np.array_equal(node.in_only_degree_, (a - mutual).sum(axis=0))


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (lambda: ConfigurationModel(burn_in=-1), "burn_in"),
        (lambda: ConfigurationModel(triangle_probability=1.0), "triangle_probability"),
        (lambda: SpatialConfigurationModel(burn_in=-1), "burn_in"),
        (lambda: BlockConfigurationModel(groups="type", burn_in=-1), "burn_in"),
        (lambda: BlockConfigurationModel(), "groups=COLUMN"),
        (lambda: ReciprocalConfigurationModel(level="pair"), "level"),
        (lambda: ProximityModel(estimator="kernel"), "estimator"),
        (lambda: ProximityModel(window=0.0), "window"),
        (lambda: ProximityModel(depth_axis=3), "depth_axis"),
    ],
)
def test_invalid_settings_fail_at_fit(factory, message, observed):
    with pytest.raises(ValueError, match=message):
        factory().fit(observed)


def test_fit_needs_a_synapse_graph():
    with pytest.raises(TypeError, match="SynapseGraph"):
        ErdosRenyi().fit(np.zeros((3, 3)))


def test_proximity_model_without_positions_fails_clearly():
    graph = SynapseGraph.from_edges([0, 1], [1, 2])
    with pytest.raises(MissingPositionsError, match="needs soma positions"):
        ProximityModel().fit(graph)
    nodes = pd.DataFrame({"id": [0, 1, 2], "x": [0.0, 1.0, np.nan], "y": 0.0, "z": 0.0})
    with pytest.raises(MissingPositionsError, match="node index 2"):
        ProximityModel().fit(SynapseGraph.from_edges([0, 1], [1, 2], nodes=nodes))


@pytest.mark.parametrize("seed", ["7", 1.5, True])
def test_seed_of_a_wrong_type_is_refused(seed, observed):
    with pytest.raises(TypeError, match="seed"):
        ErdosRenyi().fit(observed).sample(seed=seed)
