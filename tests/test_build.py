"""Tests of from_tables: collapsing synapse tables into the simple weighted graph."""

import numpy as np
import pandas as pd
import pytest

from connectome_motifs.graphs import (
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
    assert (r.rows_read, r.synapses_read, r.autapse_synapses_removed, r.duplicate_rows_merged) == (
        6, 6, 1, 2)


def test_connection_table_weights_are_summed():
    conn = pd.DataFrame({"a": ["AVAL", "AVAL", "AVAR"], "b": ["AVAR", "AVAR", "AVAL"],
                         "syn_count": [2, 3, 4]})
    g = from_tables(conn, pre="a", post="b", weight="syn_count")
    assert g.ids.tolist() == ["AVAL", "AVAR"]
    assert g.out_weights.tolist() == [5, 4]
    assert g.report.synapses_read == 9 and g.report.duplicate_rows_merged == 1


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
        from_tables(syn, cells, source="syn.csv")
    msg = str(err.value)
    assert "syn.csv" in msg and "3" in msg and "4" in msg and "rows 1, 2" in msg
    g = from_tables(syn, cells, unknown_cells="drop")
    assert g.n_edges == 1
    assert g.report.unknown_cell_synapses_dropped == 2 and g.report.unknown_cells == 2


@pytest.mark.parametrize(
    "table, error, needle",
    [
        (pd.DataFrame({"pre": [1.0, 2.0], "post": [2, 1]}), InvalidIdError, "floating point"),
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
