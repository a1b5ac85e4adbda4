"""Tests of saving and loading graphs: exact round trips of arrays, ids, attributes, report."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from connectome_motifs.graphs.errors import TableReadError
from connectome_motifs.graphs.readers import read_graph
from connectome_motifs.graphs.storage import load_graph, save_graph
from connectome_motifs.graphs.synapse_graph import BuildReport, SynapseGraph
from tests.test_convert import synapse_graphs

BIG = 648518346349491311
HUGE = 2**63 + 12345


def test_uint64_ids_survive_csv_graph_storage_graph(tmp_path):
    syn = tmp_path / "synapses.csv"
    syn.write_text(f"pre,post\n{BIG},{HUGE}\n{BIG},{HUGE}\n{HUGE},{BIG}\n{HUGE},{HUGE}\n")
    cells = tmp_path / "cells.csv"
    cells.write_text(f"id,x,y,z\n{HUGE},1.5,2,3\n{BIG},4,5,6\n")
    g = read_graph(syn, cells)
    assert g.ids.dtype == np.uint64 and g.ids.tolist() == [HUGE, BIG]

    back = load_graph(save_graph(g, tmp_path / "graph.npz"))
    assert back.equals(g)
    assert back.ids.dtype == np.uint64 and back.ids.tolist() == [HUGE, BIG]
    assert back.report == g.report
    # By hand: BIG->HUGE twice (weight 2), HUGE->BIG once; the HUGE autapse counted.
    assert back.report.autapse_synapses_removed == 1 and back.report.repeated_pair_rows_merged == 1
    assert back.has_edge(1, 0) and back.has_edge(0, 1)
    assert back.out_weights[back.out_indptr[1]] == 2

    # The same graph written back out as Parquet tables and read again.
    pre, post = g.edges()
    pd.DataFrame({"pre": g.ids[pre], "post": g.ids[post], "weight": g.out_weights}).to_parquet(
        tmp_path / "edges.parquet"
    )
    g.nodes.to_parquet(tmp_path / "nodes.parquet")
    again = read_graph(tmp_path / "edges.parquet", tmp_path / "nodes.parquet")
    assert again.ids.dtype == np.uint64 and again.ids.tolist() == [HUGE, BIG]
    np.testing.assert_array_equal(again.out_indices, g.out_indices)
    np.testing.assert_array_equal(again.out_weights, g.out_weights)
    assert again.nodes.equals(g.nodes)


def test_string_ids_and_attributes_round_trip(tmp_path):
    nodes = pd.DataFrame({
        "id": pd.Series(["AVAL", "AVAR", "PVCL"], dtype=object),
        "class": ["AVA", "AVA", "PVC"],
        "length": [1.5, np.nan, 3.0],
    })
    report = BuildReport(rows_read=9, synapses_read=12, autapse_synapses_removed=1)
    g = SynapseGraph.from_edges([0, 1, 0], [1, 0, 2], [5, 1, 6], nodes=nodes, report=report)
    back = load_graph(save_graph(g, tmp_path / "worm.npz"))
    assert back.equals(g)
    assert back.nodes["id"].dtype == object and back.nodes["class"].dtype == g.nodes["class"].dtype


def test_suffix_is_added(tmp_path):
    g = SynapseGraph.from_edges([0], [1], n=2)
    path = save_graph(g, tmp_path / "graph")
    assert path == tmp_path / "graph.npz" and path.is_file()
    assert load_graph(path).equals(g)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=synapse_graphs(), report=...)
def test_random_graphs_round_trip_exactly(tmp_path_factory, g, report: BuildReport):
    g = SynapseGraph(g.out_indptr, g.out_indices, g.out_weights, g.nodes, report)
    path = save_graph(g, tmp_path_factory.mktemp("g") / "g.npz")
    back = load_graph(path)
    assert back.equals(g)
    assert back.nodes.dtypes.to_dict() == g.nodes.dtypes.to_dict()
    assert dataclasses.asdict(back.report) == dataclasses.asdict(report)
    np.testing.assert_array_equal(back.in_indices, g.in_indices)
    np.testing.assert_array_equal(back.in_weights, g.in_weights)


def test_load_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.npz"
    not_npz = tmp_path / "text.npz"
    not_npz.write_text("hello")
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.arange(3))
    for path, match in ((missing, "no such file"), (not_npz, "not a saved graph"),
                        (foreign, "missing")):
        with pytest.raises(TableReadError, match=match) as info:
            load_graph(path)
        assert str(path) in str(info.value)
