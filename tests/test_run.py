"""End-to-end tests of ``connectome-motifs run``: outputs, exactness, reproducibility, errors."""

import json
from math import comb
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from connectome_motifs.graphs.datasets import pinky100
from connectome_motifs.motifs.cli import main

# Hand-typed from the MAN definitions (Holland & Leinhardt 1970): mutual, asymmetric and
# null pairs of each class, and its number of labelled versions (3! / automorphisms).
MAN = {
    "003": (0, 0, 3, 1), "012": (0, 1, 2, 6), "102": (1, 0, 2, 3), "021D": (0, 2, 1, 3),
    "021U": (0, 2, 1, 3), "021C": (0, 2, 1, 6), "111D": (1, 1, 1, 6), "111U": (1, 1, 1, 6),
    "030T": (0, 3, 0, 6), "030C": (0, 3, 0, 2), "201": (2, 0, 1, 3), "120D": (1, 2, 0, 3),
    "120U": (1, 2, 0, 3), "120C": (1, 2, 0, 6), "210": (2, 1, 0, 6), "300": (3, 0, 0, 1),
}
SAMPLES = "40"
# Tables of the same run written by earlier code (see the README there).
GOLDEN = Path(__file__).parent / "data" / "golden_th100"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    assert main(["run", "--samples", SAMPLES, "--out", str(out), "--quiet"]) == 0
    return out


@pytest.mark.parametrize("name", ["motifs.csv", "pairs.csv", "stats.csv"])
def test_tables_are_byte_identical_to_the_reference_run(results, name):
    written, reference = (results / name).read_bytes(), (GOLDEN / name).read_bytes()
    if written != reference:
        # The reference was written with numpy 2, which must give it byte for byte. numpy
        # 1.26 (CI's minimum job) sums some means and SDs in another order, so that the
        # last digit of a float may differ: there everything else is equal, floats to 1e-12.
        assert int(np.__version__.split(".")[0]) < 2, f"{name} differs from the reference"
        pd.testing.assert_frame_equal(pd.read_csv(results / name, dtype={"motif": str}),
                                      pd.read_csv(GOLDEN / name, dtype={"motif": str}),
                                      check_exact=False, rtol=1e-12)


def _networkx_th100():
    g = pinky100("th100")
    G = nx.DiGraph()
    G.add_nodes_from(range(g.n))
    pre, post = g.edges()
    G.add_edges_from(zip(pre.tolist(), post.tolist(), strict=True))
    return G


def test_writes_every_file(results):
    names = {p.name for p in results.iterdir()}
    expected = {"motifs.csv", "motifs.parquet", "pairs.csv", "stats.csv", "summary.json",
                "report.html"}
    for stem in ("th100_triads", "th100_pairs", "th100_degrees", "th100_distance"):
        expected |= {f"{stem}.png", f"{stem}.svg"}
    assert names == expected  # and no temporary files left behind
    for name in expected:
        assert (results / name).stat().st_size > 0


def test_motif_table_is_complete_and_observed_counts_are_the_census(results):
    motifs = pd.read_csv(results / "motifs.csv", dtype={"motif": str})
    assert len(motifs) == 5 * 16
    assert set(motifs["model"]) == {"ER", "gER", "CFG", "gCFG", "PM"}
    columns = ["observed", "null_mean", "null_sd", "p_paper", "p_two_sided"]
    assert motifs[columns].notna().all().all()
    reference = nx.triadic_census(_networkx_th100())
    for model, table in motifs.groupby("model"):
        assert dict(zip(table["motif"], table["observed"], strict=True)) == reference, model
    assert (motifs["n_samples"] == int(SAMPLES)).all()
    parquet = pd.read_parquet(results / "motifs.parquet")
    pd.testing.assert_frame_equal(parquet.astype({"motif": str}), motifs, check_dtype=False)
    # p-values with the add-one correction can never be 0.
    assert (motifs["p_two_sided"] >= 1 / (int(SAMPLES) + 1)).all()


def test_er_and_ger_expectations_are_the_closed_forms(results):
    motifs = pd.read_csv(results / "motifs.csv", dtype={"motif": str}).set_index(["model", "motif"])
    G = _networkx_th100()
    n, m = G.number_of_nodes(), G.number_of_edges()
    mutual = sum(1 for u, v in G.edges if G.has_edge(v, u)) // 2
    pairs = comb(n, 2)
    p = m / (n * (n - 1))
    er = {"mut": p * p, "asym": p * (1 - p), "null": (1 - p) ** 2}
    ger = {"mut": mutual / pairs, "asym": (m - 2 * mutual) / pairs / 2,
           "null": 1 - (m - mutual) / pairs}
    for model, q in (("ER", er), ("gER", ger)):
        for name, (M, A, N, L) in MAN.items():
            closed = comb(n, 3) * L * q["mut"] ** M * q["asym"] ** A * q["null"] ** N
            assert motifs.loc[(model, name), "expected"] == pytest.approx(closed, rel=1e-9)
    # Ratios to ER use the same closed form.
    row = motifs.loc[("CFG", "030T")]
    closed_er = comb(n, 3) * 6 * er["asym"] ** 3
    assert row["observed_over_er"] == pytest.approx(row["observed"] / closed_er, rel=1e-9)


def test_pairs_and_stats_tables(results):
    pairs = pd.read_csv(results / "pairs.csv")
    G = _networkx_th100()
    mutual = sum(1 for u, v in G.edges if G.has_edge(v, u)) // 2
    obs = pairs.drop_duplicates("motif").set_index("paper_term")["observed"]
    assert obs.to_dict() == {"unconnected": comb(111, 2) - (659 - mutual),
                             "one-way": 659 - 2 * mutual, "reciprocal": mutual}
    stats = pd.read_csv(results / "stats.csv")
    clustering = stats[stats["statistic"] == "clustering_coefficient"]["observed"].unique()
    assert clustering == pytest.approx([nx.transitivity(G.to_undirected())])


def test_summary_json(results):
    summary = json.loads((results / "summary.json").read_text())
    graph = summary["graphs"]["th100"]
    assert (graph["nodes"], graph["edges"], graph["autapse_synapses_removed"]) == (111, 659, 2)
    assert summary["parameters"]["seed"] == 2022 and summary["parameters"]["n_samples"] == 40
    assert set(summary["diagnostics"]["th100"]) == {"CFG", "gCFG"}
    assert "numba" in summary["versions"]


def test_same_seed_gives_byte_identical_tables_for_any_jobs(results, tmp_path):
    argv = ["run", "--samples", SAMPLES, "--out", str(tmp_path), "--quiet", "--jobs", "1"]
    assert main(argv) == 0
    for name in ("motifs.csv", "pairs.csv", "stats.csv", "motifs.parquet"):
        assert (tmp_path / name).read_bytes() == (results / name).read_bytes(), name
    other = tmp_path / "other"
    assert main(["run", "--samples", SAMPLES, "--out", str(other), "--quiet", "--seed", "7",
                 "--models", "CFG"]) == 0
    assert (other / "motifs.csv").read_bytes() != (results / "motifs.csv").read_bytes()


def test_terminal_summary_fits_100_columns(tmp_path, capsys):
    assert main(["run", "--samples", "20", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "030T" in out and "reciprocal" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_all_subgraphs(tmp_path):
    assert main(["run", "--subgraph", "all", "--models", "ER,CFG", "--samples", "10",
                 "--out", str(tmp_path), "--quiet"]) == 0
    motifs = pd.read_csv(tmp_path / "motifs.csv")
    assert motifs.groupby("subgraph").size().to_dict() == {s: 32 for s in
                                                           ("full", "th0", "th100", "th300")}


def test_user_files(tmp_path):
    syn = tmp_path / "syn.csv"
    cells = tmp_path / "cells.csv"
    pd.DataFrame({"pre": [1, 2, 3, 1], "post": [2, 3, 1, 3]}).to_csv(syn, index=False)
    pd.DataFrame({"id": [1, 2, 3, 4], "x": [0.0, 10, 20, 30], "y": 0.0, "z": 0.0}).to_csv(
        cells, index=False)
    out = tmp_path / "out"
    assert main(["run", "--synapses", str(syn), "--cells", str(cells), "--samples", "10",
                 "--out", str(out), "--quiet"]) == 0
    motifs = pd.read_csv(out / "motifs.csv", dtype={"motif": str})
    # By hand: pairs {1,2} and {2,3} are one-way (1->2->3) and {1,3} reciprocal, so
    # {1,2,3} is a 120C; of the triads with the isolated cell 4, {1,3,4} is a 102 and
    # {1,2,4}, {2,3,4} are 012.
    observed = motifs.drop_duplicates("motif").set_index("motif")["observed"]
    assert observed[["120C", "102", "012", "003"]].tolist() == [1, 1, 2, 0]
    assert set(motifs["subgraph"]) == {"syn"}


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--synapses", "nope.csv"], "nope.csv"),
        (["--models", "ER,XYZ"], "XYZ"),
        (["--samples", "1"], "--samples"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(argv, needle, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--out", str(out), "--quiet", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_missing_column_and_missing_positions(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("pre,target\n1,2\n")
    assert main(["run", "--synapses", str(bad), "--out", str(tmp_path / "o1"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "'post'" in err
    syn = tmp_path / "syn.csv"
    syn.write_text("pre,post\n1,2\n2,3\n")
    out = tmp_path / "o2"
    # PM named on the command line must run, so the run fails before writing anything.
    assert main(["run", "--synapses", str(syn), "--models", "CFG,PM", "--out", str(out),
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "position" in err and "PM" in err
    assert not out.exists() or not any(out.iterdir())
    # Of the default models, PM is left out: said in one line and recorded.
    assert main(["run", "--synapses", str(syn), "--samples", "5", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    skipped = [line for line in err.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and "PM (needs soma positions" in skipped[0]
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["skipped_models"]["syn"]) == ["PM"]
    assert set(pd.read_csv(out / "motifs.csv")["model"]) == {"ER", "gER", "CFG", "gCFG"}
