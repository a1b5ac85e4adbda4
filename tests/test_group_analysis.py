"""The typed census, rich club and motif strength inside the analysis: the rows every sample
records, against brute force and the standalone functions, and the tables of ``analyse``."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from connectome_motifs.graphs import SynapseGraph, node_groups
from connectome_motifs.motifs.analysis import analyse
from connectome_motifs.motifs.group_statistics import (
    MAX_RICH_CLUB_POINTS,
    OTHER,
    GroupStatistics,
    rich_club_grid,
)
from connectome_motifs.motifs.motif_strength import motif_strength
from connectome_motifs.motifs.profile import MotifStatistics, motif_profile
from connectome_motifs.motifs.strength_analysis import StrengthStatistics, strength_models
from connectome_motifs.nullmodels import ConfigurationModel, WeightShuffle
from tests.test_typed_census import brute_dyads, brute_triads, typed_matrices


def _row(graph: SynapseGraph, column: str, max_typed_triads: int = 2000) -> pd.Series:
    groups = node_groups(graph, column)
    profile = motif_profile(graph, groups=groups, rich_club=True)
    extra = GroupStatistics.for_counts(groups, profile.typed_triads,
                                       profile.rich_club[0].size, max_typed_triads)
    return MotifStatistics(max_common=1, group_statistics=extra)(graph)


@settings(max_examples=100, deadline=None)
@given(drawn=typed_matrices(max_nodes=9))
def test_recorded_typed_counts_equal_brute_force(drawn, man_code) -> None:
    a, labels = drawn
    pre, post = np.nonzero(a)
    nodes = pd.DataFrame({"id": np.arange(a.shape[0]), "type": pd.Series(labels, dtype=object)})
    graph = SynapseGraph.from_edges(pre, post, n=a.shape[0], nodes=nodes)
    # Few recorded triads one by one, so that most of each class is pooled.
    row = _row(graph, "type", max_typed_triads=3)
    kinds = row.index.get_level_values("kind")
    dyads = brute_dyads(a, labels)
    for (_, label), value in row[kinds == "typed_dyad"].items():
        dyad, groups = label[:-1].split("[")
        assert value == dyads.get((dyad, *groups.split(", ")), 0), label
    triads = brute_triads(a, labels, man_code)
    by_class = Counter()
    for (triad, *_), count in triads.items():
        by_class[triad] += count
    recorded = row[kinds == "typed_triad"].droplevel("kind")
    assert (recorded.index.str.endswith(f"[{OTHER}]")).sum() == 13
    totals = Counter()
    for label, value in recorded.items():
        triad, groups = label[:-1].split("[")
        totals[triad] += value
        if groups != OTHER:
            assert value == triads[(triad, *groups.split(", "))] > 0, label
    # Each connected class's recorded typed triads and pooled rest add up to its count.
    assert dict(totals) == {t: by_class.get(t, 0) for t in totals}
    assert (recorded.drop([lbl for lbl in recorded.index if lbl.endswith(f"[{OTHER}]")])
            .size) <= 3


def test_the_most_frequent_typed_triads_are_recorded_one_by_one() -> None:
    # Three E -> I -> E chains and one I -> E -> E chain: the first is the more frequent.
    nodes = pd.DataFrame({"id": range(12), "type": ["E", "I", "E"] * 3 + ["I", "E", "E"]})
    pre = [0, 1, 3, 4, 6, 7, 9, 10]
    post = [1, 2, 4, 5, 7, 8, 10, 11]
    graph = SynapseGraph.from_edges(pre, post, nodes=nodes)
    recorded = _row(graph, "type", max_typed_triads=1)["typed_triad"]
    assert recorded["021C[E, I, E]"] == 3
    assert recorded[f"021C[{OTHER}]"] == 1
    assert "021C[I, E, E]" not in recorded


def test_recorded_rich_club_equals_networkx_on_a_symmetric_graph() -> None:
    undirected = nx.gnp_random_graph(40, 0.2, seed=5)
    edges = np.array([(u, v) for u, v in undirected.edges] + [(v, u) for u, v in undirected.edges])
    graph = SynapseGraph.from_edges(edges[:, 0], edges[:, 1], n=40)
    profile = motif_profile(graph, rich_club=True)
    statistic = MotifStatistics.for_profile(profile)
    row = statistic.labelled(profile)["rich_club"]
    # Total degree is twice the undirected degree: networkx's phi at k is ours at 2k and 2k+1.
    reference = nx.rich_club_coefficient(undirected, normalized=False)
    for k, phi in reference.items():
        for ours in (2 * k, 2 * k + 1):
            if ours in row.index:
                assert row[ours] == pytest.approx(phi)
    # Every observed threshold is recorded, 0 .. max degree - 1.
    assert row.index.tolist() == list(range(int(graph.in_degree.max() * 2)))


def test_rich_club_thresholds_are_thinned_evenly_past_the_limit() -> None:
    grid = rich_club_grid(10_000)
    assert grid.size == MAX_RICH_CLUB_POINTS
    assert grid[0] == 0 and grid[-1] == 9_999
    assert rich_club_grid(0).size == 0


def test_strength_row_is_motif_strength() -> None:
    rng = np.random.default_rng(3)
    a = rng.random((30, 30)) < 0.15
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    graph = SynapseGraph.from_edges(pre, post, rng.integers(1, 9, pre.size))
    row = StrengthStatistics()(graph)
    table = motif_strength(graph).set_index("triad")
    for measure in ("weight_mean", "intensity_mean", "coherence_mean"):
        expected = table[measure].rename(lambda t, m=measure: f"{t}:{m}")
        np.testing.assert_array_equal(row["strength"][expected.index].to_numpy(),
                                      expected.to_numpy())


def _weighted_typed_graph(n: int = 60, seed: int = 1) -> SynapseGraph:
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < 0.12
    np.fill_diagonal(a, False)
    pre, post = np.nonzero(a)
    nodes = pd.DataFrame({"id": np.arange(n), "type": rng.choice(["E", "I", "M"], n)})
    return SynapseGraph.from_edges(pre, post, rng.integers(1, 12, pre.size), nodes=nodes)


def test_weight_shuffle_walk_follows_its_topologys_chain() -> None:
    graph = _weighted_typed_graph()
    seed = np.random.SeedSequence(8)
    shuffled = WeightShuffle(topology=ConfigurationModel()).fit(graph)
    plain = ConfigurationModel().fit(graph)
    wiring_seed, _ = np.random.SeedSequence(8).spawn(2)
    for ours, theirs in zip(shuffled.walk(seed, [500, 100, 100]),
                            plain.walk(wiring_seed, [500, 100, 100]), strict=True):
        assert np.array_equal(ours.out_indptr, theirs.out_indptr)
        assert np.array_equal(ours.out_indices, theirs.out_indices)
        assert sorted(ours.out_weights.tolist()) == sorted(graph.out_weights.tolist())
    assert shuffled.chains == plain.chains and shuffled.burn_in_ == plain.burn_in_


def test_strength_nulls_are_the_observed_wiring_and_the_edge_keeping_models() -> None:
    graph = _weighted_typed_graph()
    from connectome_motifs.motifs.analysis import fit_models

    fitted = fit_models(graph, ["ER", "CFG", "bCFG"], groups="type")
    nulls = strength_models(graph, fitted, "type")
    assert list(nulls) == ["W-shuffle", "W-shuffle-groups", "CFG+W", "bCFG+W"]
    assert nulls["W-shuffle"].within is None and nulls["W-shuffle-groups"].within == "type"
    assert nulls["CFG+W"].within is None and nulls["bCFG+W"].within == "type"
    unweighted = SynapseGraph.from_edges([0, 1], [1, 2])
    with pytest.raises(ValueError, match="synapse counts that differ"):
        strength_models(unweighted, {})


@pytest.fixture(scope="module")
def typed_analysis():
    return analyse(_weighted_typed_graph(), label="g", models=["ER", "CFG", "bCFG"],
                   n_samples=200, seed=4, executor=1, groups="type", strength=True)


def test_analysis_tables_hold_the_observed_typed_census(typed_analysis) -> None:
    a = typed_analysis
    graph = a.graph
    adjacency = np.zeros((graph.n, graph.n), dtype=np.int8)
    pre, post = graph.edges()
    adjacency[pre, post] = 1
    dyads = brute_dyads(adjacency, graph.nodes["type"].tolist())
    for row in a.typed_dyads[a.typed_dyads["model"] == "CFG"].itertuples():
        assert row.observed == dyads.get((row.dyad, row.group_1, row.group_2), 0)
    assert set(a.typed_dyads["model"]) == {"ER", "CFG", "bCFG"}


def test_block_configuration_keeps_the_connections_between_groups(typed_analysis) -> None:
    # bCFG keeps the connections from group a to group b: the asymmetric pairs a -> b and
    # the mutual pairs {a, b} (one connection each way) sum to the same in every sample.
    table = typed_analysis.typed_dyads
    bcfg = table[table["model"] == "bCFG"].set_index(["dyad", "group_1", "group_2"])
    for a_, b_ in [("E", "I"), ("I", "E"), ("E", "M"), ("M", "I")]:
        mutual = bcfg.loc[("mutual", *sorted((a_, b_)))]
        asymmetric = bcfg.loc[("asymmetric", a_, b_)]
        assert asymmetric["null_mean"] + mutual["null_mean"] == pytest.approx(
            asymmetric["observed"] + mutual["observed"])
        assert asymmetric["null_sd"] > 0  # the pairs themselves do vary


def test_rich_club_under_degree_keeping_nulls_has_the_observed_clubs(typed_analysis) -> None:
    rc = typed_analysis.rich_club
    assert set(rc["model"]) == {"ER", "CFG", "bCFG"}
    # The clubs' sizes N(k) are the observed ones under CFG and bCFG (degrees kept), so the
    # normalised coefficient is the observed edges over the null mean edges in the club.
    degree = typed_analysis.graph.in_degree + typed_analysis.graph.out_degree
    cfg = rc[rc["model"] == "CFG"]
    assert cfg["n_nodes"].tolist() == [int((degree > k).sum()) for k in cfg["k"]]
    assert (cfg["observed_over_null"] - cfg["observed"] / cfg["null_mean"]).abs().max() < 1e-12


def test_strength_under_a_uniform_shuffle_has_the_mean_weight(typed_analysis) -> None:
    # Every connection is equally likely to get each count, so the mean count of a class's
    # connections has, under W-shuffle, the mean of all counts as its expectation.
    table = typed_analysis.strength
    rows = table[(table["model"] == "W-shuffle") & (table["measure"] == "weight_mean")]
    overall = typed_analysis.graph.out_weights.mean()
    standard_error = rows["null_sd"] / np.sqrt(rows["n_samples"])
    assert ((rows["null_mean"] - overall).abs() <= 5 * standard_error + 1e-12).all()
    assert set(table["model"]) == {"W-shuffle", "W-shuffle-groups", "CFG+W", "bCFG+W"}


def test_typed_analysis_is_the_same_on_one_or_two_threads(typed_analysis) -> None:
    again = analyse(_weighted_typed_graph(), label="g", models=["ER", "CFG", "bCFG"],
                    n_samples=200, seed=4, executor=2, groups="type", strength=True)
    for name in ("typed_dyads", "typed_triads", "rich_club", "strength"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(typed_analysis, name))


# -- figures ----------------------------------------------------------------------------


def _log2(observed: float, null: float, clip: float) -> float:
    return float(np.clip(np.log2(observed / null), -clip, clip))


def test_the_typed_connection_heatmaps_place_every_group_pair(typed_analysis) -> None:
    from connectome_motifs.motifs.plots.typed_census import RATIO_CLIP, plot_typed_connections

    table = typed_analysis.typed_dyads
    fig = plot_typed_connections(table)
    axes = {ax.get_label(): ax for ax in fig.axes}
    assert {"asymmetric:ER", "mutual:CFG", "asymmetric:bCFG"} <= set(axes)
    groups = list(dict.fromkeys([*table["group_1"], *table["group_2"]]))
    for row in table[table["dyad"] != "null"].itertuples():
        image = axes[f"{row.dyad}:{row.model}"].images[0].get_array()
        null = row.expected if pd.notna(row.expected) else row.null_mean
        i, j = groups.index(row.group_1), groups.index(row.group_2)
        if row.observed == 0 and null == 0:
            assert np.ma.is_masked(image[i, j]) or np.isnan(image[i, j])
            continue
        # Presynaptic group in rows; a reciprocal pair is drawn on both sides.
        assert image[i, j] == pytest.approx(_log2(row.observed, null, RATIO_CLIP))
        if row.dyad == "mutual":
            assert image[j, i] == image[i, j]


def test_the_typed_triad_figure_shows_those_the_closest_model_misses_most(
        typed_analysis) -> None:
    from connectome_motifs.motifs.plots.typed_census import plot_typed_triads

    table = typed_analysis.typed_triads
    fig = plot_typed_triads(table, top=5)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    named = table[table["group_1"] != OTHER]
    closest = {name: rows["z"].abs().min() for name, rows in named.groupby("statistic")
               if rows["z"].notna().any()}
    ranked = sorted(closest, key=lambda name: -closest[name])
    assert len(shown) == 5
    assert [closest[name] for name in shown] == sorted(
        (closest[name] for name in ranked[:5]), reverse=True)
    with pytest.raises(ValueError, match="top must be"):
        plot_typed_triads(table, top=0)


def test_the_rich_club_figure_draws_the_observed_and_each_model(typed_analysis) -> None:
    from connectome_motifs.motifs.plots.rich_club import plot_rich_club

    table = typed_analysis.rich_club
    fig = plot_rich_club(table)
    phi = next(ax for ax in fig.axes if ax.get_label() == "phi")
    lines = {line.get_gid(): line for line in phi.lines}
    cfg = table[table["model"] == "CFG"].sort_values("k")
    observed = lines["observed"]
    np.testing.assert_array_equal(observed.get_xdata(), cfg["k"].to_numpy() + 1.0)
    np.testing.assert_array_equal(observed.get_ydata(), cfg["observed"].to_numpy())
    has = cfg["null_mean"].to_numpy() > 0
    np.testing.assert_allclose(lines["model:CFG"].get_ydata(), cfg["null_mean"][has])
    assert {"model:ER", "model:bCFG"} <= set(lines)


def test_the_strength_figure_has_a_ratio_per_class_and_null(typed_analysis) -> None:
    from connectome_motifs.motifs.plots.motif_strength import plot_motif_strength

    table = typed_analysis.strength
    fig = plot_motif_strength(table)
    panel = next(ax for ax in fig.axes if ax.get_label() == "weight_mean")
    for collection in panel.collections:
        model = collection.get_gid().removeprefix("model:")
        rows = table[(table["model"] == model) & (table["measure"] == "weight_mean")]
        ratio = (rows["observed"] / rows["null_mean"]).to_numpy()
        ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
        np.testing.assert_allclose(collection.get_offsets()[:, 1], ratio)


def test_the_report_writes_and_shows_the_four_figures(typed_analysis, tmp_path) -> None:
    from connectome_motifs.motifs.report import write_results

    written = {p.name for p in write_results([typed_analysis], tmp_path)}
    names = ("typed_connections", "typed_triads", "rich_club", "strength")
    assert {f"g_{name}.{suffix}" for name in names for suffix in ("png", "svg")} <= written
    page = (tmp_path / "report.html").read_text()
    for name in names:
        assert f"data-figure='{name}'" in page


def test_the_typed_families_are_adjusted_by_benjamini_hochberg(typed_analysis) -> None:
    from connectome_motifs.nullmodels import p_adjust

    for name in ("typed_dyads", "typed_triads", "rich_club", "strength"):
        table = getattr(typed_analysis, name)
        for _, rows in table.groupby("model", sort=False):
            np.testing.assert_allclose(rows["p_adjusted"],
                                       p_adjust(rows["p_two_sided"].to_numpy(), "bh"))
    triads = typed_analysis.motifs
    for _, rows in triads.groupby("model", sort=False):
        np.testing.assert_allclose(rows["p_adjusted"],
                                   p_adjust(rows["p_two_sided"].to_numpy(), "holm"))


def _lines(rows: pd.DataFrame, model: str, reachable: bool, samples: int) -> str:
    tested = int(rows["p_adjusted"].notna().sum())
    marked = rows[rows["p_adjusted"] < 0.05] if reachable else rows[rows["z"].abs() > 3]
    above = int((marked["observed"] > marked["expected"].fillna(marked["null_mean"])).sum())
    shown = f"{above:,} above, {len(marked) - above:,} below of {tested:,}"
    return (f"  {model}: {shown}" if reachable else
            f"  {model}: none can be with {samples:,} samples; |z| > 3: {shown}")


def test_the_summary_counts_significant_typed_statistics_or_says_none_can_be(
        typed_analysis) -> None:
    from connectome_motifs.motifs.report import format_summary

    lines = format_summary(typed_analysis).splitlines()
    assert "typed triads significantly off (Benjamini-Hochberg within each table):" in lines
    for _, rows in typed_analysis.typed_triads.groupby("model", sort=False):
        # 200 samples: Benjamini-Hochberg's smallest adjusted p can be 2 / 201 < 0.05.
        assert _lines(rows, rows["model"].iloc[0], True, 200) in lines
    # With 20 samples it cannot (2 / 21 > 0.05): the summary says so and counts |z| > 3.
    few = analyse(_weighted_typed_graph(), label="g", models=["ER"], n_samples=20, seed=4,
                  executor=1, groups="type")
    lines = format_summary(few).splitlines()
    assert _lines(few.typed_triads, "ER", False, 20) in lines
