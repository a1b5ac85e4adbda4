"""Tests of the table readers: every preset and file type, exact ids, and every bad input."""

import gzip
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs.errors import (
    EmptyTableError,
    InvalidIdError,
    InvalidWeightError,
    MissingColumnError,
    PositionParseError,
    TableReadError,
    UnknownCellError,
)
from connectome_motifs.graphs.formats import PRESETS, TableFormat, resolve_format
from connectome_motifs.graphs.readers import read_cells, read_graph, read_synapses
from tests.test_convert import synapse_graphs

BIG = 648518346349491311  # a MICrONS segment id
HUGE = 2**63 + 12345  # above int64: only uint64 holds it


def write(path, text):
    path.write_text(text)
    return path


def edges_of(g):
    """Return the graph's edges as {(pre id, post id): weight}."""
    pre, post = g.edges()
    ids = g.ids
    return {(ids[i], ids[j]): int(w) for i, j, w in zip(pre, post, g.out_weights, strict=True)}


# -- exact ids ---------------------------------------------------------------------------


def test_big_integer_ids_stay_exact(tmp_path):
    path = write(tmp_path / "s.csv", f"pre,post\n{BIG},{HUGE}\n{HUGE},{BIG}\n{BIG},{BIG + 1}\n")
    table = read_synapses(path)
    assert table["pre"].dtype == np.uint64 and table["post"].dtype == np.uint64
    assert table["pre"].tolist() == [BIG, HUGE, BIG]
    assert table["post"].tolist() == [HUGE, BIG, BIG + 1]
    g = read_graph(path)
    assert g.ids.tolist() == [BIG, BIG + 1, HUGE]  # sorted by id without a cell table
    assert edges_of(g) == {(BIG, HUGE): 1, (HUGE, BIG): 1, (BIG, BIG + 1): 1}


def test_ids_that_fit_are_int64_and_may_be_negative(tmp_path):
    path = write(tmp_path / "s.csv", "pre,post\n-5,7\n2,-5\n")
    table = read_synapses(path)
    assert table["pre"].dtype == np.int64 and table["pre"].tolist() == [-5, 2]


def test_string_ids_c_elegans(tmp_path):
    path = write(
        tmp_path / "worm.csv",
        "pre,post,weight\nAVAL,AVAR,3\nAVAR,AVAL,1\nAVAL,PVCL,2\nAVAL,AVAR,1\nAVAL,AVAL,4\n",
    )
    cells = write(tmp_path / "neurons.csv", "id,class\nAVAL,AVA\nAVAR,AVA\nPVCL,PVC\nADAL,ADA\n")
    g = read_graph(path, cells)
    # By hand: AVAL->AVAR 3+1, AVAR->AVAL 1, AVAL->PVCL 2; the autapse (4 synapses) removed.
    assert g.ids.tolist() == ["AVAL", "AVAR", "PVCL", "ADAL"]
    assert edges_of(g) == {("AVAL", "AVAR"): 4, ("AVAR", "AVAL"): 1, ("AVAL", "PVCL"): 2}
    assert g.n_reciprocal_pairs == 1
    assert g.report.autapse_synapses_removed == 4 and g.report.synapses_read == 11
    assert g.nodes["class"].tolist() == ["AVA", "AVA", "PVC", "ADA"]


def test_numbers_among_names_stay_strings(tmp_path):
    table = read_synapses(write(tmp_path / "s.csv", "pre,post\nAVAL,1\n2,AVAR\n"))
    assert table["pre"].tolist() == ["AVAL", "2"] and table["post"].tolist() == ["1", "AVAR"]


# -- presets on small synthetic files ----------------------------------------------------


def test_default_preset_connection_table_and_cells(tmp_path):
    syn = write(tmp_path / "c.csv", "pre,post,weight\n1,2,5\n2,1,2\n2,3,1\n3,3,9\n")
    cells = write(tmp_path / "cells.csv", "id,x,y,z,type\n1,0.5,1,2,E\n2,3,4,5,I\n3,6,7,8,E\n")
    g = read_graph(syn, cells)
    assert edges_of(g) == {(1, 2): 5, (2, 1): 2, (2, 3): 1}
    assert g.positions.tolist() == [[0.5, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert g.nodes.columns.tolist() == ["id", "x", "y", "z", "type"]
    assert g.report.autapse_synapses_removed == 9 and g.report.rows_read == 4


def test_microns_cave_parquet_with_voxel_arrays(tmp_path):
    syn = tmp_path / "synapse_table.parquet"
    pq.write_table(
        pa.table({
            "id": [1, 2, 3],
            "pre_pt_root_id": pa.array([BIG, BIG, HUGE], type=pa.uint64()),
            "post_pt_root_id": pa.array([HUGE, HUGE, BIG], type=pa.uint64()),
            "size": [100, 200, 300],
        }),
        syn,
    )
    cells = tmp_path / "nucleus.parquet"
    pq.write_table(
        pa.table({
            "id": [7, 8],
            "pt_root_id": pa.array([BIG, HUGE], type=pa.uint64()),
            "pt_position": [[100, 200, 10], [1000, 2000, 100]],
        }),
        cells,
    )
    g = read_graph(syn, cells, fmt="microns-cave")
    # One row per synapse: BIG->HUGE twice is one edge of weight 2.
    assert edges_of(g) == {(BIG, HUGE): 2, (HUGE, BIG): 1}
    # Voxels of 4 x 4 x 40 nm, by hand: (100, 200, 10) -> (0.4, 0.8, 0.4) µm.
    np.testing.assert_allclose(g.positions, [[0.4, 0.8, 0.4], [4.0, 8.0, 4.0]])
    # The table's own "id" column (nucleus id) is kept under another name.
    assert g.nodes["id_"].tolist() == [7, 8]


def test_microns_cave_csv_export_with_string_positions(tmp_path):
    cells = write(
        tmp_path / "nuc.csv",
        f'pt_root_id,ctr_pt_position\n{BIG},"[100 200 10]"\n{HUGE},"[1 1 1]"\n',
    )
    table = read_cells(cells, "microns-cave", position="ctr_pt_position")
    assert table["id"].tolist() == [BIG, HUGE]
    np.testing.assert_allclose(table[["x", "y", "z"]], [[0.4, 0.8, 0.4], [0.004, 0.004, 0.04]])


def test_neuprint_feather(tmp_path):
    syn = tmp_path / "conn.feather"
    feather.write_feather(
        pd.DataFrame({"bodyId_pre": [10, 20, 10], "bodyId_post": [20, 10, 30],
                      "weight": [4, 1, 2], "roi": ["EB", "EB", "FB"]}),
        syn,
    )
    cells = tmp_path / "neurons.arrow"
    feather.write_feather(
        pa.table({"bodyId": [10, 20, 30], "somaLocation": [[1, 2, 3], [4, 5, 6], [0, 0, 0]]}),
        cells,
    )
    g = read_graph(syn, cells, fmt="neuprint")
    assert edges_of(g) == {(10, 20): 4, (20, 10): 1, (10, 30): 2}
    np.testing.assert_allclose(g.positions[0], [0.008, 0.016, 0.024])  # 8 nm voxels


def test_neuprint_requires_the_weight_column(tmp_path):
    syn = write(tmp_path / "conn.csv", "bodyId_pre,bodyId_post\n1,2\n")
    with pytest.raises(MissingColumnError, match="'weight'"):
        read_synapses(syn, "neuprint")


def test_flywire_connections_rows_per_neuropil_are_summed(tmp_path):
    syn = tmp_path / "connections.csv.gz"
    with gzip.open(syn, "wt") as fh:
        fh.write(
            "pre_root_id,post_root_id,neuropil,syn_count,nt_type\n"
            "720575940605214636,720575940631693610,AL_L,5,ACH\n"
            "720575940605214636,720575940631693610,LH_L,7,ACH\n"
            "720575940631693610,720575940605214636,AL_L,6,GABA\n"
        )
    g = read_graph(syn, fmt="flywire")
    a, b = 720575940605214636, 720575940631693610
    assert edges_of(g) == {(a, b): 12, (b, a): 6}
    assert g.report.repeated_pair_rows_merged == 1 and g.report.synapses_read == 18


def test_edgelist_with_and_without_weights(tmp_path):
    weighted = write(tmp_path / "e.txt", "# pre post weight\n1 2 3\n2\t1   1\n\n2 3 2\n")
    g = read_graph(weighted, fmt="edgelist")
    assert edges_of(g) == {(1, 2): 3, (2, 1): 1, (2, 3): 2}
    plain = write(tmp_path / "e2.txt", "1 2\n2 1\n1 2\n")
    g = read_graph(plain, fmt="edgelist")
    assert edges_of(g) == {(1, 2): 2, (2, 1): 1}
    with pytest.raises(TableReadError, match="4 columns"):
        read_synapses(write(tmp_path / "e3.txt", "1 2 3 4\n"), "edgelist")


def test_headerless_csv_and_sniffed_txt(tmp_path):
    two = write(tmp_path / "e.csv", f"1,{HUGE}\n{HUGE},1\n")
    table = read_synapses(two, "edgelist", sep=",")
    assert table.columns.tolist() == ["pre", "post"] and table["post"].tolist() == [HUGE, 1]
    three = write(tmp_path / "e.txt", "pre\tpost\tweight\n1\t2\t7\n")
    assert read_synapses(three).to_dict("list") == {"pre": [1], "post": [2], "weight": [7]}


def test_pinky100_preset_on_a_sample_of_the_bundled_layout(tmp_path):
    syn = write(tmp_path / "synapses.csv", f"pre,post\n{BIG},{BIG + 819}\n{BIG + 819},{BIG}\n")
    cells = write(
        tmp_path / "soma.csv",
        "segmentation,segment_id,manual_id,loc,axon_len,dendrite_len\n"
        f"185,{BIG},466,[314028 159940  77280],0.0,1441.069\n"
        f"185,{BIG + 819},499,[291484 145484  80960],12.5,747.4839375\n",
    )
    g = read_graph(syn, cells, fmt="pinky100")
    assert g.ids.tolist() == [BIG, BIG + 819]
    np.testing.assert_allclose(g.positions, [[314.028, 159.94, 77.28], [291.484, 145.484, 80.96]])
    assert g.nodes["axon_len"].tolist() == [0.0, 12.5]
    assert g.n_reciprocal_pairs == 1


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt", ".csv.gz", ".parquet", ".pq",
                                    ".feather", ".arrow"])
def test_every_file_type(tmp_path, suffix):
    frame = pd.DataFrame({"pre": [BIG, HUGE], "post": [HUGE, BIG], "weight": [2, 3]})
    frame = frame.astype({"pre": np.uint64, "post": np.uint64})
    path = tmp_path / f"syn{suffix}"
    if suffix in (".parquet", ".pq"):
        frame.to_parquet(path)
    elif suffix in (".feather", ".arrow"):
        frame.to_feather(path)
    else:
        frame.to_csv(path, sep="," if ".csv" in suffix else "\t", index=False)
    table = read_synapses(path)
    assert table["pre"].tolist() == [BIG, HUGE] and table["weight"].tolist() == [2, 3]


def test_keyword_overrides_and_formats():
    assert resolve_format("flywire", weight="w").weight == "w"
    custom = TableFormat(pre="source", post="target", weight=None)
    assert resolve_format(custom) is custom
    assert set(PRESETS) == {"default", "microns-cave", "neuprint", "flywire", "edgelist",
                            "pinky100"}
    with pytest.raises(ValueError, match="unknown table format"):
        resolve_format("nope")
    with pytest.raises(ValueError, match="unknown format field"):
        resolve_format("default", colour="red")
    with pytest.raises(ValueError, match="3 columns"):
        TableFormat(position=("x", "y"))


def test_override_column_names_in_reader(tmp_path):
    path = write(tmp_path / "s.csv", "source,target,n\n1,2,3\n")
    table = read_synapses(path, pre="source", post="target", weight="n")
    assert table.to_dict("list") == {"pre": [1], "post": [2], "weight": [3]}


# Neuron-like names; pandas reads "NA", "NULL", "None", "nan" and the like as missing.
NAMES = st.from_regex(r"[A-Z][A-Za-z0-9]{1,5}", fullmatch=True).filter(
    lambda s: s.upper() not in {"NA", "NAN", "NULL", "NONE", "N/A"}
)


@settings(max_examples=60, deadline=None)
@given(
    g=synapse_graphs(names=NAMES).filter(lambda g: g.n_edges > 0),
    suffix=st.sampled_from([".csv", ".tsv", ".parquet", ".feather"]),
)
def test_random_graph_file_round_trip(tmp_path_factory, g, suffix):
    # Write the graph as a connection table and a cell table, read it back: same graph.
    folder = tmp_path_factory.mktemp("files")
    pre, post = g.edges()
    ids = g.ids
    edges = pd.DataFrame({"pre": ids[pre], "post": ids[post], "weight": g.out_weights})
    for name, frame in (("syn", edges), ("cells", g.nodes)):
        path = folder / f"{name}{suffix}"
        if suffix == ".parquet":
            frame.to_parquet(path)
        elif suffix == ".feather":
            frame.to_feather(path)
        else:
            frame.to_csv(path, sep="," if suffix == ".csv" else "\t", index=False)
    back = read_graph(folder / f"syn{suffix}", folder / f"cells{suffix}")
    np.testing.assert_array_equal(back.out_indptr, g.out_indptr)
    np.testing.assert_array_equal(back.out_indices, g.out_indices)
    np.testing.assert_array_equal(back.out_weights, g.out_weights)
    assert back.nodes.dtypes.to_dict() == g.nodes.dtypes.to_dict()
    assert back.nodes.equals(g.nodes)


# -- bad input: each error names the file, the column and the rows ------------------------


def assert_names(err, path, column=None, rows=None):
    message = str(err)
    assert str(path) in message and err.file == str(path)
    if column is not None:
        assert err.column == column and repr(column) in message
    if rows is not None:
        assert err.rows == rows
        assert ("row " if len(rows) == 1 else "rows ") + ", ".join(map(str, rows)) in message
        assert "0-based, header excluded" in message  # says how rows are counted


def test_missing_column_lists_what_the_file_has(tmp_path):
    path = write(tmp_path / "s.csv", "pre,postsyn\n1,2\n")
    with pytest.raises(MissingColumnError) as info:
        read_synapses(path)
    assert_names(info.value, path, "post")
    assert "pre, postsyn" in str(info.value)


@pytest.mark.parametrize(
    ("body", "column", "rows"),
    [
        ("1,2\n,3\n4,5\n", "pre", [1]),  # empty
        ("1,2\nNaN,3\n4,nan\n", "pre", [1]),  # NaN in pre (post's row 2 comes second)
        ("1,2\n3,12.5\n4,1e3\n", "post", [1]),  # 12.5 is fractional (1e3 is 1000)
        ("1,2\n3, 4\n5,+6\n", "post", [1, 2]),  # " 4" and "+6" are not plain integers
        (f"1,2\n{2**64},3\n", "pre", [1]),  # above the uint64 range
        (f"-1,2\n{HUGE},3\n", "pre", [0]),  # negative and above int64 in one column
    ],
)
def test_invalid_ids(tmp_path, body, column, rows):
    path = write(tmp_path / "s.csv", "pre,post\n" + body)
    with pytest.raises(InvalidIdError) as info:
        read_synapses(path)
    assert_names(info.value, path, column, rows)


def test_fractional_float_typed_ids_in_parquet_are_singled_out(tmp_path):
    path = tmp_path / "s.parquet"
    pd.DataFrame({"pre": [1.0, 2.5, 3.0, 4.0], "post": [2, 1, 1, 1]}).to_parquet(path)
    with pytest.raises(InvalidIdError, match="fractional") as info:
        read_synapses(path)
    assert_names(info.value, path, "pre", [1])  # only 2.5, not every row of the column
    assert info.value.values == [2.5] and "value 2.5" in str(info.value)


def test_null_ids_in_parquet(tmp_path):
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"pre": pa.array([1, None, 3], pa.uint64()), "post": [2, 1, 1]}), path)
    with pytest.raises(InvalidIdError, match="missing") as info:
        read_synapses(path)
    assert_names(info.value, path, "pre", [1])


@pytest.mark.parametrize(
    ("weights", "rows", "match"),
    [
        ("3\n-2\n1", [1], "positive"),
        ("3\n0\n1", [1], "positive"),
        ("3\n2.5\n1", [1], "whole"),
        ("3\n\n1", [1], "missing"),
        ("3\nNaN\n1", [1], "missing"),
        ("3\nmany\n1", [1], "not a number"),
        ("3\n1e30\n1", [1], "too large"),
    ],
)
def test_invalid_weights(tmp_path, weights, rows, match):
    lines = [f"{i},{i + 1},{w}" for i, w in enumerate(weights.split("\n"))]
    path = write(tmp_path / "c.csv", "pre,post,weight\n" + "\n".join(lines) + "\n")
    with pytest.raises(InvalidWeightError, match=match) as info:
        read_synapses(path)
    assert_names(info.value, path, "weight", rows)


def test_whole_float_weights_are_exact_counts(tmp_path):
    path = write(tmp_path / "c.csv", "pre,post,weight\n1,2,3.0\n2,1,1e1\n")
    assert read_synapses(path)["weight"].tolist() == [3, 10]


def test_invalid_weight_in_parquet(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"pre": [1, 2], "post": [2, 1], "weight": [1.0, 0.5]}).to_parquet(path)
    with pytest.raises(InvalidWeightError) as info:
        read_synapses(path)
    assert_names(info.value, path, "weight", [1])


def test_empty_tables(tmp_path):
    header_only = write(tmp_path / "h.csv", "pre,post\n")
    empty_file = write(tmp_path / "e.csv", "")
    empty_parquet = tmp_path / "e.parquet"
    pd.DataFrame({"pre": pd.Series([], dtype=np.int64), "post": []}).to_parquet(empty_parquet)
    for path in (header_only, empty_file, empty_parquet):
        with pytest.raises(EmptyTableError) as info:
            read_synapses(path)
        assert_names(info.value, path)


def test_unreadable_files(tmp_path):
    missing = tmp_path / "nope.csv"
    garbage = tmp_path / "bad.parquet"
    garbage.write_bytes(b"this is not parquet")
    ragged = write(tmp_path / "ragged.csv", "pre,post\n1,2\n3,4,5,6\n")
    unknown = write(tmp_path / "s.xlsx", "pre,post\n1,2\n")
    for path in (missing, garbage, ragged, unknown):
        with pytest.raises(TableReadError) as info:
            read_synapses(path)
        assert_names(info.value, path)


def test_positions_that_do_not_parse(tmp_path):
    path = write(tmp_path / "soma.csv", f'segment_id,loc\n{BIG},"[1 2 3]"\n{HUGE},"[1 2]"\n')
    with pytest.raises(PositionParseError) as info:
        read_cells(path, "pinky100")
    assert_names(info.value, path, "loc", [1])
    xyz = write(tmp_path / "cells.csv", "id,x,y,z\n1,0,0,0\n2,0,zero,0\n")
    with pytest.raises(PositionParseError) as info:
        read_cells(xyz)
    assert_names(info.value, xyz, "y", [1])


def test_partial_position_columns_are_missing_columns(tmp_path):
    path = write(tmp_path / "cells.csv", "id,x,y\n1,0,0\n")
    with pytest.raises(MissingColumnError) as info:
        read_cells(path)
    assert_names(info.value, path, "z")


def test_cells_without_positions(tmp_path):
    table = read_cells(write(tmp_path / "cells.csv", "id,type\n1,E\n"))
    assert table.columns.tolist() == ["id", "type"]


def test_unknown_cells_error_names_the_synapse_file(tmp_path):
    syn = write(tmp_path / "s.csv", "pre,post\n1,2\n2,3\n")
    cells = write(tmp_path / "cells.csv", "id\n1\n2\n")
    with pytest.raises(UnknownCellError) as info:
        read_graph(syn, cells)
    assert_names(info.value, syn, "post", [1])
    g = read_graph(syn, cells, unknown_cells="drop")
    assert edges_of(g) == {(1, 2): 1} and g.report.unknown_cell_synapses_dropped == 1


def test_duplicate_cell_ids_name_the_cell_file(tmp_path):
    syn = write(tmp_path / "s.csv", "pre,post\n1,2\n")
    cells = write(tmp_path / "cells.csv", "id\n1\n2\n1\n")
    with pytest.raises(InvalidIdError) as info:
        read_graph(syn, cells)
    assert_names(info.value, cells, "id", [2])


# -- the weight column: named, detected, ambiguous; unused columns reported ----------------


def test_count_column_is_used_when_no_weight_column_is_named(tmp_path):
    path = write(tmp_path / "c.csv", "pre,post,count\n1,2,3\n2,1,4\n1,2,2\n")
    g = read_graph(path)
    # By hand: 1->2 has 3 + 2 synapses, 2->1 has 4; not one synapse per row.
    assert edges_of(g) == {(1, 2): 5, (2, 1): 4}
    summary = g.summary()
    assert summary["weight_column"] == "count" and summary["weight_column_detected"] is True
    assert summary["unused_columns"] == [] and summary["synapses_read"] == 9
    assert summary["repeated_pair_rows_merged"] == 1
    table = read_synapses(path)
    assert table["weight"].tolist() == [3, 4, 2] and table.attrs["weight_column"] == "count"


@pytest.mark.parametrize("name", ["syn_count", "Syn_Count", "n_syn", "SYNAPSES", "Weight",
                                  "synapse count", "nSynapses"])
def test_synapse_count_names_are_recognised_in_any_spelling(tmp_path, name):
    path = write(tmp_path / "c.csv", f"pre,post,roi,{name}\n1,2,EB,7\n")
    g = read_graph(path)
    assert edges_of(g) == {(1, 2): 7}
    assert g.report.weight_column == name and g.report.weight_column_detected
    assert g.report.unused_columns == ("roi",)


def test_explicitly_named_weight_column_must_exist(tmp_path):
    path = write(tmp_path / "c.csv", "pre,post,count\n1,2,3\n")
    for call in (lambda: read_synapses(path, weight="wieght"),
                 lambda: read_graph(path, weight="wieght"),
                 lambda: read_graph(path, fmt=resolve_format("default", weight="wieght"))):
        with pytest.raises(MissingColumnError) as info:
            call()
        assert_names(info.value, path, "wieght")
        assert "the file has: pre, post, count" in str(info.value)
        assert info.value.option == "weight='count'"  # the one column that looks like it
    no_count = write(tmp_path / "s.csv", "pre,post\n1,2\n")
    with pytest.raises(MissingColumnError, match="weight='<column>'"):
        read_synapses(no_count, weight="weight")  # named explicitly, even as the default


def test_several_count_like_columns_are_an_error_naming_them(tmp_path):
    path = write(tmp_path / "c.csv", "pre,post,count,n_syn\n1,2,3,3\n")
    with pytest.raises(MissingColumnError) as info:
        read_graph(path)
    message = str(info.value)
    assert str(path) in message and "'count', 'n_syn'" in message
    assert "weight='<column>'" in message and info.value.option_name == "weight"
    assert "--weight <column>" in info.value.format_message("--weight <column>")
    g = read_graph(path, weight="n_syn")
    assert g.report.weight_column == "n_syn" and g.report.unused_columns == ("count",)
    assert not g.report.weight_column_detected


def test_weight_none_reads_one_synapse_per_row_and_lists_the_count_column(tmp_path):
    path = write(tmp_path / "c.csv", "pre,post,count\n1,2,3\n1,2,4\n")
    g = read_graph(path, weight=None)
    assert edges_of(g) == {(1, 2): 2}
    assert g.summary()["weight_column"] is None and g.summary()["unused_columns"] == ["count"]
    # A preset that requires a count column reads synapse rows when told weight=None.
    conn = write(tmp_path / "n.csv", "bodyId_pre,bodyId_post\n1,2\n")
    assert read_synapses(conn, "neuprint", weight=None).columns.tolist() == ["pre", "post"]


def test_preset_without_weight_lists_other_columns_and_summary_is_json(tmp_path):
    syn = tmp_path / "synapses.parquet"
    pq.write_table(pa.table({"id": [1, 2], "pre_pt_root_id": [BIG, BIG],
                             "post_pt_root_id": [BIG + 1, BIG + 1], "size": [10, 20]}), syn)
    g = read_graph(syn, fmt="microns-cave")
    assert edges_of(g) == {(BIG, BIG + 1): 2}
    summary = g.summary()
    assert summary["unused_columns"] == ["id", "size"] and summary["weight_column"] is None
    assert json.loads(json.dumps(summary)) == summary  # flat and JSON-able
    assert all(not isinstance(v, dict) for v in summary.values())


def test_detected_count_column_is_read_exactly_and_checked(tmp_path):
    whole = write(tmp_path / "w.csv", "pre,post,count\n1,2,3.0\n2,1,1e1\n")
    assert read_synapses(whole)["weight"].tolist() == [3, 10]
    near = write(tmp_path / "n.csv", "pre,post,count\n1,2,3\n2,1,2.0000000000000001\n")
    with pytest.raises(InvalidWeightError, match="whole") as info:
        read_synapses(near)  # a float parser would make it 2.0
    assert_names(info.value, near, "count", [1])
    zero = write(tmp_path / "z.csv", "pre,post,n_syn\n1,2,3\n2,1,0\n")
    with pytest.raises(InvalidWeightError, match="positive") as info:
        read_graph(zero)
    assert_names(info.value, zero, "n_syn", [1])


def test_repeated_column_names_are_an_error(tmp_path):
    path = write(tmp_path / "s.csv", "pre,post,pre\n1,2,3\n")
    with pytest.raises(TableReadError, match="appears 2 times") as info:
        read_synapses(path)
    assert_names(info.value, path, "pre")


# -- separators --------------------------------------------------------------------------


@pytest.mark.parametrize(("sep", "name", "spelled"), [("\t", "tab", r"sep='\t'"),
                                                     (";", "semicolon", "sep=';'"),
                                                     ("|", "pipe", "sep='|'")])
def test_other_separator_in_a_csv_header_says_which_sep_to_pass(tmp_path, sep, name, spelled):
    path = write(tmp_path / "s.csv", sep.join(["pre", "post", "weight"]) + "\n"
                 + sep.join(["1", "2", "3"]) + "\n")
    with pytest.raises(MissingColumnError) as info:
        read_synapses(path)
    message = str(info.value)
    assert_names(info.value, path, "pre")
    assert f"looks {name}-separated" in message and "not comma-separated" in message
    assert spelled in message and info.value.option == spelled
    assert info.value.option_value == sep
    table = read_synapses(path, sep=sep)
    assert table.to_dict("list") == {"pre": [1], "post": [2], "weight": [3]}


def test_separator_hint_on_a_ragged_semicolon_file_and_a_cell_table(tmp_path):
    path = write(tmp_path / "s.csv", "pre;post;note\n1;2;a,b\n")
    with pytest.raises(TableReadError, match="semicolon-separated") as info:
        read_synapses(path)
    assert info.value.option == "sep=';'"
    assert read_synapses(path, sep=";").attrs["unused_columns"] == ["note"]
    cells = write(tmp_path / "cells.csv", "id\tx\ty\tz\n1\t0\t0\t0\n")
    with pytest.raises(MissingColumnError, match="tab-separated"):
        read_cells(cells)


def test_no_separator_hint_when_the_separator_is_right(tmp_path):
    path = write(tmp_path / "s.csv", "source cell,post\n1,2\n")
    with pytest.raises(MissingColumnError) as info:
        read_synapses(path)
    assert "separated" not in str(info.value) and info.value.option is None


# -- float ids ---------------------------------------------------------------------------


def test_float_written_ids_single_out_the_fractional_value(tmp_path):
    # As pandas writes a float column: every id has ".0", one id is 1.5.
    path = write(tmp_path / "s.csv",
                 "pre,post\n1.0,2.0\n2.0,3.0\n3.0,1.5\n1.0,3.0\n2.0,1.0\n")
    with pytest.raises(InvalidIdError, match="fractional") as info:
        read_synapses(path)
    assert_names(info.value, path, "post", [2])
    assert info.value.values == ["1.5"] and "data row 2 (0-based, header excluded)" in str(
        info.value)


def test_whole_float_written_ids_are_exact_integers(tmp_path):
    path = write(tmp_path / "s.csv", "pre,post\n1.0,2\n2.0,-3.0\n1e3,4\n")
    table = read_synapses(path)
    assert table["pre"].dtype == np.int64 and table["pre"].tolist() == [1, 2, 1000]
    assert table["post"].tolist() == [2, -3, 4]


@pytest.mark.parametrize(
    ("body", "rows", "match"),
    [
        ("1.0\n6.485183463494913e+17\n", [1], "2\\^53"),  # a float-printed MICrONS id
        ("1.0\n9007199254740993.0\n", [1], "2\\^53"),  # 2^53 + 1: a float rounds it
        ("1\n1.0000000000000001\n", [1], "fractional"),  # 1.0 as a float, not as text
        ("1.0\n2.5\n3.25\n", [1, 2], "fractional"),
    ],
)
def test_inexact_float_written_ids(tmp_path, body, rows, match):
    path = write(tmp_path / "s.csv", "pre,post\n" + "".join(f"{v.strip()},1\n"
                                                          for v in body.splitlines()))
    with pytest.raises(InvalidIdError, match=match) as info:
        read_synapses(path)
    assert_names(info.value, path, "pre", rows)


def test_float_typed_ids_in_parquet(tmp_path):
    whole = tmp_path / "w.parquet"
    pd.DataFrame({"pre": [1.0, 2.0], "post": [2, 1]}).to_parquet(whole)
    assert read_synapses(whole)["pre"].tolist() == [1, 2]
    big = tmp_path / "b.parquet"
    pd.DataFrame({"pre": [1.0, float(BIG)], "post": [2, 1]}).to_parquet(big)
    with pytest.raises(InvalidIdError, match="2\\^53") as info:
        read_synapses(big)
    assert_names(info.value, big, "pre", [1])
    single = tmp_path / "f.parquet"  # float32 holds integers exactly only below 2^24
    pq.write_table(pa.table({"pre": pa.array([1.0, 2.0**24], pa.float32()), "post": [2, 1]}),
                   single)
    with pytest.raises(InvalidIdError, match="2\\^24") as info:
        read_synapses(single)
    assert_names(info.value, single, "pre", [1])


# -- unknown cells: per column ---------------------------------------------------------------


def test_unknown_cells_are_named_per_column(tmp_path):
    syn = write(tmp_path / "s.csv",
                "pre,post\n1,2\n2,1\n1,2\n2,1\n1,7\n2,7\n9,1\n")
    cells = write(tmp_path / "cells.csv", "id\n1\n2\n")
    with pytest.raises(UnknownCellError) as info:
        read_graph(syn, cells)
    err = info.value
    message = str(err)
    # By hand: rows 4 and 5 have the unknown cell 7 in post, row 6 the unknown 9 in pre.
    assert err.rows_by_column == {"pre": [6], "post": [4, 5]}
    assert err.ids_by_column == {"pre": [9], "post": [7, 7]}
    assert "column 'pre': data row 6 (id 9); column 'post': data rows 4, 5 (ids 7, 7)" in message
    assert "0-based, header excluded" in message and str(cells) in message
    assert err.file == str(syn) and err.option == "unknown_cells='drop'"
    assert "pass unknown_cells='drop'" in message
    cli = err.format_message("--unknown-cells drop")
    assert "pass --unknown-cells drop" in cli and "unknown_cells=" not in cli
    g = read_graph(syn, cells, unknown_cells="drop")
    assert g.report.unknown_cell_synapses_dropped == 3 and g.report.unknown_cells == 2
    assert edges_of(g) == {(1, 2): 2, (2, 1): 2} and g.report.repeated_pair_rows_merged == 2


def test_minus_zero_beside_ids_above_int64(tmp_path):
    # Found by the fuzz test: "-0" is not negative, so uint64 holds the column.
    path = write(tmp_path / "s.csv", f"pre,post\n1,{HUGE}\n2,-0\n")
    table = read_synapses(path)
    assert table["post"].dtype == np.uint64 and table["post"].tolist() == [HUGE, 0]


def test_huge_counts_are_an_error_naming_the_column(tmp_path):
    big = 2**63 - 1
    path = write(tmp_path / "c.csv", f"pre,post,weight\n1,2,{big}\n1,2,{big}\n")
    with pytest.raises(InvalidWeightError) as info:
        read_graph(path)  # their sum would overflow int64
    assert_names(info.value, path, "weight", [0, 1])
