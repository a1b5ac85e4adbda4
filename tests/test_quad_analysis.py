"""The 4-cell census and simplex counts in the analysis: expectations, samples, tables, CLI."""

from __future__ import annotations

import itertools
import json
from math import comb

import numpy as np
import pandas as pd
import pytest

from connectome_motifs.graphs import SynapseGraph, datasets
from connectome_motifs.motifs import analyse
from connectome_motifs.motifs.cli import main
from connectome_motifs.motifs.expected import expected_quad_census, expected_simplex_counts
from connectome_motifs.motifs.plots import plot_quad_motifs, plot_simplex_counts
from connectome_motifs.motifs.profile import MotifStatistics, motif_profile
from connectome_motifs.motifs.quad_census import quad_census
from connectome_motifs.motifs.simplices import simplex_counts
from connectome_motifs.nullmodels import PairStateProbabilities

PAIRS = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]


def every_graph_on_four_nodes(one_way: float, reciprocal: float):
    """Yield (graph, probability) over the 4**6 pair-state assignments of 4 nodes."""
    null = 1.0 - 2.0 * one_way - reciprocal
    for states in itertools.product(range(4), repeat=6):
        pre, post, p = [], [], 1.0
        for (i, j), s in zip(PAIRS, states, strict=True):
            p *= (null, one_way, one_way, reciprocal)[s]
            if s in (1, 3):
                pre.append(i)
                post.append(j)
            if s in (2, 3):
                pre.append(j)
                post.append(i)
        yield SynapseGraph.from_edges(pre, post, n=4), p


def test_expected_quads_and_simplices_equal_the_average_over_every_graph() -> None:
    # The expectation by enumeration: every graph on 4 nodes weighted by its probability,
    # counted by the census and the simplex kernel (independent of the closed forms).
    states = PairStateProbabilities(4, one_way=0.15, reciprocal=0.1)
    quads = np.zeros(218)
    simplices = np.zeros(4)
    for g, p in every_graph_on_four_nodes(0.15, 0.1):
        quads += p * quad_census(g).to_numpy()
        counts = simplex_counts(g).to_numpy()
        simplices[:counts.size] += p * counts
    np.testing.assert_allclose(expected_quad_census(states).to_numpy(), quads, atol=1e-12)
    np.testing.assert_allclose(expected_simplex_counts(states, 3).to_numpy(), simplices,
                               atol=1e-12)


def test_expected_quads_scale_with_the_number_of_sets() -> None:
    e = expected_quad_census(PairStateProbabilities(10, one_way=0.1, reciprocal=0.02))
    assert e.index.name == "quad" and len(e) == 218
    assert e.sum() == pytest.approx(comb(10, 4))


def test_heterogeneous_models_have_no_exact_quads() -> None:
    one_way = np.full((3, 3), 0.1) - np.diag([0.1] * 3)
    reciprocal = np.zeros((3, 3))
    with pytest.raises(ValueError, match="heterogeneous model"):
        expected_quad_census(PairStateProbabilities(3, one_way, reciprocal))


def test_statistic_pools_higher_simplex_dimensions_into_the_last() -> None:
    # The transitive tournament on 5 nodes: C(5, k + 1) simplices of dimension k.
    pre, post = zip(*itertools.combinations(range(5), 2), strict=True)
    g = SynapseGraph.from_edges(pre, post)
    profile = motif_profile(g, quads=True, simplices=True)
    assert profile.simplices == (5, 10, 10, 5, 1)
    row = MotifStatistics(max_common=1, quads=True, simplex_dimension=2).labelled(profile)
    assert row["simplex"].tolist() == [10.0, 10.0 + 5.0 + 1.0]
    assert row["quad"].sum() == comb(5, 4)


@pytest.fixture(scope="module")
def analysis():
    return analyse(datasets.pinky100("th100"), label="th100", models=["ER", "CFG", "PM"],
                   n_samples=30, seed=5, executor=1, motif_size=4, simplices=True)


def test_quad_table_holds_every_class_and_the_observed_census(analysis) -> None:
    quads = analysis.quads
    census = quad_census(analysis.graph)
    assert len(quads) == 3 * 218
    for model in ("ER", "CFG", "PM"):
        rows = quads[quads["model"] == model]
        assert rows["quad"].tolist() == list(range(218))
        assert rows["observed"].astype(np.int64).tolist() == census.tolist()
        assert rows["n_samples"].eq(30).all()
    er = quads[quads["model"] == "ER"]
    assert er["expected"].notna().all()
    assert quads.loc[quads["model"] != "ER", "expected"].isna().all()
    assert {"skeleton", "name", "connected", "z", "p_adjusted"} <= set(quads.columns)


def test_simplex_table_pools_from_the_observed_largest_dimension(analysis) -> None:
    simplices = analysis.simplices
    counts = simplex_counts(analysis.graph)
    top = counts.index[-1]
    rows = simplices[simplices["model"] == "ER"]
    assert rows["dimension"].tolist() == list(range(1, top + 1))
    assert rows["observed"].tolist() == counts.iloc[1:].tolist()
    assert rows["pooled"].tolist() == [False] * (top - 1) + [True]
    # CFG keeps every edge: its 1-simplices are the observed edges in every sample.
    cfg = simplices[(simplices["model"] == "CFG") & (simplices["dimension"] == 1)]
    assert float(cfg["null_mean"].iloc[0]) == analysis.graph.n_edges


def test_sampled_expectations_are_said(analysis) -> None:
    assert any(note.startswith("PM: 4-cell and simplex expectations are the means")
               for note in analysis.notes)


def test_figures_draw_every_model(analysis) -> None:
    fig = plot_quad_motifs(analysis.quads, title="t")
    labels = {ax.get_label() for ax in fig.axes}
    assert {"ratios", "z"} <= labels
    ratios = next(ax for ax in fig.axes if ax.get_label() == "ratios")
    assert {line.get_gid() for line in ratios.lines} >= {"ratio:ER", "ratio:CFG", "ratio:PM"}
    fig = plot_simplex_counts(analysis.simplices)
    (ax,) = fig.axes
    observed = next(line for line in ax.lines if line.get_gid() == "observed")
    assert observed.get_ydata().tolist() == analysis.simplices.query("model == 'ER'")[
        "observed"].astype(float).tolist()


def test_run_writes_quad_and_simplex_tables_and_figures(tmp_path, capsys) -> None:
    assert main(["run", "--models", "ER,CFG", "--samples", "20", "--motif-size", "4",
                 "--simplices", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "no 4-cell class can be significant" in captured.err
    # By hand: Holm over 218 classes of add-one p >= 2 / 21 gives at least 1; 2 * 218 / 0.05.
    assert "--samples 8720" in captured.err
    assert "4-cell classes furthest from it" in captured.out
    names = {p.name for p in tmp_path.iterdir()}
    assert {"quads.csv", "simplices.csv", "th100_quads.svg", "th100_simplices.svg"} <= names
    quads = pd.read_csv(tmp_path / "quads.csv")
    assert len(quads) == 2 * 218
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["parameters"]["motif_size"] == 4
    page = (tmp_path / "report.html").read_text()
    assert "data-figure='quads'" in page and "data-figure='simplices'" in page


def test_census_size_four_and_simplices(capsys) -> None:
    assert main(["census", "--size", "4", "--simplices", "--output-format", "csv"]) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    quads = table[table["kind"] == "quad"]
    census = quad_census(datasets.pinky100("th100"))
    assert quads["count"].tolist() == census.tolist()
    assert table.loc[table["kind"] == "simplex", "count"].tolist() == simplex_counts(
        datasets.pinky100("th100")).tolist()


def test_census_per_edge(tmp_path) -> None:
    out = tmp_path / "edges.csv"
    assert main(["census", "--per-edge", "--output", str(out)]) == 0
    table = pd.read_csv(out, dtype={"pre": "uint64", "post": "uint64"})
    g = datasets.pinky100("th100")
    assert len(table) == g.n_edges
    assert (table.drop(columns=["pre", "post"]).sum(axis=1) == g.n - 2).all()


def test_census_per_node_with_size_four(tmp_path) -> None:
    out = tmp_path / "nodes.csv"
    assert main(["census", "--per-node", "--size", "4", "--output", str(out)]) == 0
    table = pd.read_csv(out, dtype={"id": "uint64"})
    g = datasets.pinky100("th100")
    quads = table[[f"quad:{q}" for q in range(218)]]
    assert (quads.sum(axis=1) == comb(g.n - 1, 3)).all()
    assert (quads.sum(axis=0).to_numpy() == 4 * quad_census(g).to_numpy()).all()
