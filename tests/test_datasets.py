"""Tests of the bundled datasets (pinky100, the Drosophila larva) against their READMEs."""

import hashlib
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from connectome_motifs.graphs import datasets
from connectome_motifs.graphs.datasets import PINKY100_SUBGRAPHS, pinky100, pinky100_files

SHA256 = {  # from the dataset's README
    "cells": "f46850ae1273e9bb2056cfecbe5ebffba5298587bbc045a22ab28b19b5033f3e",
    "synapses": "ed25602cbff9cf5db563450ecba17281bbf01ce5e5b194383f985715bb82f670",
}


def test_bundled_files_are_the_published_ones_with_attribution():
    files = pinky100_files()
    for name, digest in SHA256.items():
        assert hashlib.sha256(files[name].read_bytes()).hexdigest() == digest
    assert "Turner" in files["readme"].read_text() and "10.1016/j.cell.2022.01.023" in (
        files["readme"].read_text())


def test_full_graph_matches_readme_counts():
    g = pinky100("full")
    # README: 363 cells, 1,981 synapses, 2 autapses; pair multiplicities 1561x1, 161x2, 24x3,
    # 4x4, 2x5 over 1,752 ordered pairs, of which 2 are autapse pairs -> 1,750 edges.
    assert (g.n, g.n_edges) == (363, 1750)
    r = g.report
    assert (r.rows_read, r.synapses_read, r.autapse_synapses_removed) == (1981, 1981, 2)
    assert r.repeated_pair_rows_merged == 1981 - 2 - 1750
    assert g.n_synapses == 1979
    # Multiplicities of the README, less those of the autapse pairs (counted with pandas).
    expected = {1: 1561, 2: 161, 3: 24, 4: 4, 5: 2}
    syn = pd.read_csv(pinky100_files()["synapses"])
    for size in syn[syn.pre == syn.post].groupby(["pre", "post"]).size():
        expected[size] -= 1
    assert np.bincount(g.out_weights).tolist()[1:] == [expected[k] for k in range(1, 6)]


@pytest.mark.parametrize("name, n_cells", [("full", 363), ("th0", 227), ("th100", 111),
                                           ("th300", 100)])
def test_subgraph_sizes_and_edges_match_networkx(name, n_cells):
    g = pinky100(name)
    assert g.n == n_cells
    # Independent reference: networkx induced subgraph built straight from the CSV files.
    syn = pd.read_csv(pinky100_files()["synapses"])
    cells = pd.read_csv(pinky100_files()["cells"])
    th = PINKY100_SUBGRAPHS[name]
    kept = cells.segment_id if th is None else cells.segment_id[cells.axon_len > th]
    G = nx.DiGraph()
    G.add_nodes_from(kept)
    G.add_edges_from((a, b) for a, b in zip(syn.pre, syn.post, strict=True) if a != b)
    H = G.subgraph(kept)
    assert g.n_edges == H.number_of_edges()
    ids = g.ids
    pre, post = g.edges()
    assert {(ids[a], ids[b]) for a, b in zip(pre, post, strict=True)} == set(H.edges)


def test_th100_is_the_papers_main_graph():
    g = pinky100()
    assert (g.n, g.n_edges) == (111, 659)
    assert (g.nodes["axon_len"] > 100).all()


def test_positions_in_micrometres_and_ids_exact():
    g = pinky100("full")
    first = g.nodes.iloc[0]
    # soma.csv row 1: 648518346349491311, "[314028 159940  77280]" nm.
    assert first["id"] == 648518346349491311
    assert g.positions[0].tolist() == pytest.approx([314.028, 159.940, 77.280])
    assert g.ids.dtype == np.int64


def test_min_axon_length_and_unknown_subgraph():
    assert pinky100(min_axon_length=100.0).equals(pinky100("th100"))
    with pytest.raises(ValueError, match="th100"):
        pinky100("th50")


# -- the larval Drosophila connectome ---------------------------------------------------

LARVA_README = datasets.larva_files()["readme"]


def test_larva_files_are_the_published_ones_with_attribution():
    text = LARVA_README.read_text()
    files = datasets.larva_files()
    for name, digest in (("connections", re.search(r"connections.csv ([0-9a-f]{64})", text)),
                         ("cells", re.search(r"cells.csv ([0-9a-f]{64})", text))):
        assert hashlib.sha256(files[name].read_bytes()).hexdigest() == digest.group(1)
    assert "Winding" in text and "10.1126/science.add9330" in text


def test_larva_counts_match_the_readme():
    # README: 2,952 neurons, 110,677 connections of which 537 autapses, 352,611 synapses.
    g = datasets.larva()
    raw = pd.read_csv(datasets.larva_files()["connections"])
    loops = raw["pre"] == raw["post"]
    assert (g.n, g.report.rows_read, int(loops.sum())) == (2952, 110_677, 537)
    assert g.n_edges == 110_677 - 537
    assert g.report.synapses_read == 352_611
    assert g.n_synapses == 352_611 - int(raw.loc[loops, "weight"].sum())
    assert g.report.autapse_synapses_removed == int(raw.loc[loops, "weight"].sum())
    assert int(g.nodes["celltype"].isna().sum()) == 346
    assert g.nodes["celltype"].nunique() == 17
    assert set(g.nodes["hemisphere"].dropna()) == {"left", "right"}


@pytest.mark.parametrize("compartment", ["aa", "ad", "da", "dd"])
def test_larva_compartment_graphs_are_the_rows_with_such_synapses(compartment):
    g = datasets.larva(compartment)
    raw = pd.read_csv(datasets.larva_files()["connections"])
    kept = raw[(raw[compartment] > 0) & (raw["pre"] != raw["post"])]
    assert g.n == 2952 and g.n_edges == len(kept)
    assert g.n_synapses == int(kept[compartment].sum())
    assert g.report.empty_rows_removed == int((raw[compartment] == 0).sum())
    assert g.report.weight_column == compartment
    pre, post = g.edges()
    edges = set(zip(g.ids[pre].tolist(), g.ids[post].tolist(), strict=True))
    assert edges == set(zip(kept["pre"].tolist(), kept["post"].tolist(), strict=True))


def test_larva_compartments_share_out_every_synapse():
    total = datasets.larva().report.synapses_read
    assert sum(datasets.larva(c).report.synapses_read for c in ("aa", "ad", "da", "dd")) == total


def test_larva_homologues_are_the_tables_ids_exactly():
    nodes = datasets.larva().nodes
    raw = pd.read_csv(datasets.larva_files()["cells"], dtype={"homologue": "Int64"})
    assert str(nodes["homologue"].dtype) == "Int64"
    assert nodes["id"].tolist() == raw["id"].tolist()
    assert nodes["homologue"].equals(raw["homologue"])


def test_unknown_larva_compartment():
    with pytest.raises(ValueError, match="unknown compartment 'axon'"):
        datasets.larva("axon")
