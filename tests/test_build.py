"""Tests of from_tables: collapsing synapse tables into the simple weighted graph."""

import json

import numpy as np
import pandas as pd
import pytest

from connectome_motifs.graphs import (
    BuildReport,
    EmptyTableError,
    InvalidIdError,
    InvalidWeightError,
    MissingColumnError,
    UnknownCellError,
)
from connectome_motifs.graphs.build import from_tables

BIG = 2**63 + 12345  # above int64: must stay exact as uint64


def test_synapses_collapse_to_weighted_edges_and_autapses_are_counted():
    syn = pd.DataFrame({"pre": [5, 5, 5, 6, 7, 7], "post": [6, 6, 6, 5, 7, 5]})
    g = from_tables(syn)
    # Nodes are the ids in the table, sorted: 5 -> 0, 6 -> 1, 7 -> 2.
    assert g.ids.tolist() == [5, 6, 7]
    pre, post = g.edges()
    assert list(zip(pre.tolist(), post.tolist(), strict=True)) == [(0, 1), (1, 0), (2, 0)]
    assert g.out_weights.tolist() == [3, 1, 1]
    r = g.report
    assert (r.rows_read, r.synapses_read, r.autapse_synapses_removed) == (6, 6, 1)
    # Rows 1 and 2 repeat the pair 5 -> 6 of row 0: two rows merged into its edge.
    assert r.repeated_pair_rows_merged == 2


def test_connection_table_weights_are_summed():
    conn = pd.DataFrame({"a": ["AVAL", "AVAL", "AVAR"], "b": ["AVAR", "AVAR", "AVAL"],
                         "syn_count": [2, 3, 4]})
    g = from_tables(conn, pre="a", post="b", weight="syn_count")
    assert g.ids.tolist() == ["AVAL", "AVAR"]
    assert g.out_weights.tolist() == [5, 4]
    assert g.report.synapses_read == 9 and g.report.repeated_pair_rows_merged == 1


def test_cell_table_keeps_isolated_cells_and_attributes():
    syn = pd.DataFrame({"pre": np.array([BIG, 3], dtype=np.uint64),
                        "post": np.array([3, BIG], dtype=np.uint64)})
    cells = pd.DataFrame({"cid": np.array([3, BIG, 99], dtype=np.uint64),
                          "type": ["a", "b", "c"]})
    g = from_tables(syn, cells, cell_id="cid")
    assert g.n == 3 and g.ids.tolist() == [3, BIG, 99]
    assert g.ids.dtype == np.uint64
    assert g.nodes["type"].tolist() == ["a", "b", "c"]
    assert g.n_reciprocal_pairs == 1 and g.out_degree[2] == 0


def test_int64_synapses_match_uint64_cells_exactly():
    syn = pd.DataFrame({"pre": [1, 2], "post": [2, 1]})
    cells = pd.DataFrame({"id": np.array([1, 2, BIG], dtype=np.uint64)})
    g = from_tables(syn, cells)
    assert g.n_edges == 2 and g.ids.tolist() == [1, 2, BIG]


def test_unknown_cells_error_names_ids_rows_and_file():
    syn = pd.DataFrame({"pre": [1, 1, 4], "post": [2, 3, 1]})
    cells = pd.DataFrame({"id": [1, 2]})
    with pytest.raises(UnknownCellError) as err:
        from_tables(syn, cells, source="syn.csv", cells_source="cells.csv")
    msg = str(err.value)
    # By hand: row 1 has the unknown cell 3 in post, row 2 the unknown cell 4 in pre.
    assert msg.startswith("syn.csv: 2 synapse rows refer to 2 cells not in the cell table "
                          "cells.csv: ")
    assert "column 'pre': data row 2 (id 4); column 'post': data row 1 (id 3)" in msg
    assert err.value.rows_by_column == {"pre": [2], "post": [1]}
    assert err.value.ids_by_column == {"pre": [4], "post": [3]}
    assert err.value.column is None  # two columns: each is named in the message
    g = from_tables(syn, cells, unknown_cells="drop")
    assert g.n_edges == 1
    assert g.report.unknown_cell_synapses_dropped == 2 and g.report.unknown_cells == 2


@pytest.mark.parametrize(
    "table, error, needle",
    [
        (pd.DataFrame({"pre": [1.0, 2.5], "post": [2, 1]}), InvalidIdError, "row 1"),
        (pd.DataFrame({"pre": [1, None], "post": ["a", "b"]}, dtype=object), InvalidIdError,
         "row 1"),
        (pd.DataFrame({"pre": ["a", "b"], "post": [1, 2]}), InvalidIdError, "mix"),
        (pd.DataFrame({"pre": [], "post": []}), EmptyTableError, "no rows"),
        (pd.DataFrame({"pre": [1], "to": [2]}), MissingColumnError, "'post'"),
    ],
)
def test_bad_ids_and_tables(table, error, needle):
    with pytest.raises(error, match=needle) as err:
        from_tables(table, source="t.csv")
    assert "t.csv" in str(err.value)


@pytest.mark.parametrize(
    "weights, needle",
    [([1, -2], "positive"), ([1, 0], "positive"), ([2.0, 1.5], "whole"),
     ([1.0, np.nan], "missing")],
)
def test_bad_weights(weights, needle):
    table = pd.DataFrame({"pre": [1, 2], "post": [2, 1], "w": weights})
    with pytest.raises(InvalidWeightError, match=needle) as err:
        from_tables(table, weight="w", source="c.parquet")
    assert "c.parquet" in str(err.value) and "'w'" in str(err.value) and "row 1" in str(err.value)


def test_integral_float_weights_are_kept_exactly():
    table = pd.DataFrame({"pre": [1, 2], "post": [2, 1], "w": [3.0, 4.0]})
    assert from_tables(table, weight="w").out_weights.tolist() == [3, 4]


def test_duplicate_cell_ids_rejected():
    with pytest.raises(InvalidIdError, match="unique") as err:
        from_tables(pd.DataFrame({"pre": [1], "post": [2]}),
                    pd.DataFrame({"id": [1, 2, 2]}), cells_source="cells.csv")
    assert "cells.csv" in str(err.value) and "row 2" in str(err.value)


def test_report_names_the_weight_column_and_the_unused_columns():
    conn = pd.DataFrame({"roi": ["EB", "FB"], "a": [1, 2], "b": [2, 1], "n": [3, 4],
                         "nt": ["ACH", "GABA"]})
    g = from_tables(conn, pre="a", post="b", weight="n")
    r = g.report
    assert (r.weight_column, r.weight_column_detected, r.unused_columns) == (
        "n", False, ("roi", "nt"))
    assert g.summary()["unused_columns"] == ["roi", "nt"]
    assert from_tables(conn, pre="a", post="b").report.weight_column is None


def test_build_report_dict_round_trip_and_former_field_name():
    r = BuildReport(rows_read=3, repeated_pair_rows_merged=1, weight_column="count",
                    weight_column_detected=True, unused_columns=["roi"])
    d = r.as_dict()
    assert d["unused_columns"] == ["roi"] and json.loads(json.dumps(d)) == d
    assert BuildReport.from_dict(d) == r
    assert BuildReport(**d) == r  # a list from JSON becomes the tuple again
    old = {"rows_read": 3, "duplicate_rows_merged": 1}  # as files saved before the rename
    assert BuildReport.from_dict(old).repeated_pair_rows_merged == 1


def test_whole_float_ids_are_integers_and_fractional_ones_are_singled_out():
    g = from_tables(pd.DataFrame({"pre": [1.0, 2.0], "post": [2, 3]}))
    assert g.ids.tolist() == [1, 2, 3] and g.ids.dtype == np.int64
    table = pd.DataFrame({"pre": [1.0, 2.0, 3.5, 4.0, 5.25], "post": [2, 3, 4, 5, 1]})
    with pytest.raises(InvalidIdError, match="fractional") as err:
        from_tables(table, source="t.parquet")
    assert err.value.rows == [2, 4] and err.value.values == [3.5, 5.25]
    assert "data rows 2, 4 (0-based, header excluded), values 3.5, 5.25" in str(err.value)
    with pytest.raises(InvalidIdError, match="2\\^53") as err:
        from_tables(pd.DataFrame({"pre": [1.0, 2.0**60], "post": [2, 3]}), source="t.parquet")
    assert err.value.rows == [1]


def test_mixed_id_kinds_name_the_file_and_column():
    with pytest.raises(InvalidIdError, match="mix") as err:
        from_tables(pd.DataFrame({"pre": ["a", "b"], "post": [1, 2]}), source="t.csv")
    assert err.value.file == "t.csv" and err.value.column == "post"


def test_counts_beyond_an_edge_weight_are_an_error_not_an_overflow():
    big = np.iinfo(np.int64).max
    table = pd.DataFrame({"pre": [1, 1, 3], "post": [2, 2, 3], "w": [big, big, big]})
    with pytest.raises(InvalidWeightError, match="more than an edge weight") as err:
        from_tables(table, weight="w", source="c.csv")
    # Rows 0 and 1 (1 -> 2) are too big; row 2 is an autapse, removed and counted.
    assert err.value.rows == [0, 1] and err.value.column == "w"
    ok = pd.DataFrame({"pre": [1, 3], "post": [2, 3], "w": [5, big]})
    r = from_tables(ok, weight="w").report
    assert r.autapse_synapses_removed == big and r.synapses_read == big + 5  # exact
