"""Tests of the analysis layer: the ensemble statistic and the significance summary."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings

from connectome_motifs.motifs import MotifStatistics, analyse, common_neighbour_rule
from connectome_motifs.motifs.analysis import model_seed
from tests.strategies import synapse_graphs


@settings(max_examples=60, deadline=None)
@given(synapse_graphs(max_nodes=15))
def test_motif_statistics_match_networkx(g):
    stats = MotifStatistics(max_common=3)(g)
    G = nx.DiGraph()
    G.add_nodes_from(range(g.n))
    pre, post = g.edges()
    G.add_edges_from(zip(pre.tolist(), post.tolist(), strict=True))
    triads = nx.triadic_census(G) if g.n >= 3 else {}
    for name, count in triads.items():
        assert stats[("triad", name)] == count
    mutual = sum(1 for u, v in G.edges if G.has_edge(v, u)) // 2
    assert stats[("dyad", "mutual")] == mutual
    assert stats[("dyad", "asymmetric")] == g.n_edges - 2 * mutual
    U = G.to_undirected()
    expected_cc = nx.transitivity(U)
    has_triples = any(d >= 2 for _, d in U.degree)
    if has_triples:
        assert stats[("clustering_coefficient", "")] == pytest.approx(expected_cc)
    else:
        assert np.isnan(stats[("clustering_coefficient", "")])
    # Pooled common-neighbour bins, counted pair by pair with networkx.
    for k in range(4):
        pairs = connected = 0
        for i in range(g.n):
            for j in range(i + 1, g.n):
                common = len(set(U[i]) & set(U[j]))
                if min(common, 3) == k:
                    pairs += 1
                    connected += U.has_edge(i, j)
        value = stats[("common_neighbours", k)]
        assert (np.isnan(value) and pairs == 0) or value == pytest.approx(connected / pairs)


def test_common_neighbour_bins_agree_with_the_rule():
    from connectome_motifs.graphs.datasets import pinky100

    g = pinky100("th100")
    stats = MotifStatistics(max_common=5)(g)
    rule = common_neighbour_rule(g, directed=True).set_index("n_common")
    assert stats[("common_neighbours_directed", 2)] == pytest.approx(rule.loc[2, "fraction"])
    tail = rule[rule.index >= 5]
    assert stats[("common_neighbours_directed", 5)] == pytest.approx(
        tail["connected"].sum() / tail["pairs"].sum())


def test_significant_rows_are_the_adjusted_p_values_below_the_level():
    from connectome_motifs.graphs.datasets import pinky100

    a = analyse(pinky100("th100"), label="th100", models=["ER", "CFG"], n_samples=300, seed=3)
    level = 0.5
    sig = a.significant(level)
    every = (len(a.motifs[a.motifs.p_adjusted < level]) + len(a.pairs[a.pairs.p_adjusted < level])
             + len(a.stats[a.stats.p_adjusted < level]))
    assert len(sig) == every > 0
    assert (sig["p_adjusted"] < level).all()
    null = sig["null"].to_numpy()
    assert ((sig["direction"] == "above") == (sig["observed"].to_numpy() > null)).all()
    er = sig[(sig["model"] == "ER") & (sig["kind"] == "triad")]
    expected = a.expected["ER"]["triad"]
    assert np.allclose(er["null"].to_numpy(), expected[er["statistic"]].to_numpy())


def test_model_seeds_depend_on_graph_and_model_only():
    a = model_seed(1, "th100", "CFG").generate_state(2)
    assert (a == model_seed(1, "th100", "CFG").generate_state(2)).all()
    assert (a != model_seed(1, "th100", "PM").generate_state(2)).any()
    assert (a != model_seed(1, "full", "CFG").generate_state(2)).any()
