"""Tests of soma-position parsing: strings, array columns, x/y/z columns, and bad values."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs.errors import MissingColumnError, PositionParseError
from connectome_motifs.graphs.positions import parse_positions

NM = (0.001, 0.001, 0.001)


def test_bracket_strings_in_nm_with_variable_spacing():
    # The bundled data's format; expected µm values are the nm values / 1000, by hand.
    cells = pd.DataFrame({"loc": ["[314028 159940  77280]", "[ 291484  145484 80960 ]"]})
    xyz = parse_positions(cells, "loc", NM)
    np.testing.assert_allclose(xyz, [[314.028, 159.94, 77.28], [291.484, 145.484, 80.96]])
    assert xyz.dtype == np.float64


@pytest.mark.parametrize(
    "text",
    ["(1, 2, 3)", "[1,2,3]", "1 2 3", "1,2,3", "  [1\t2\t3]  ", "(1.0,2e0 , 3.)", "[+1 .2e1 3]"],
)
def test_accepted_spellings(text):
    # Every spelling means the point (1, 2, 3), except "+1 .2e1 3", which also is (1, 2, 3).
    xyz = parse_positions(pd.DataFrame({"p": [text]}), "p")
    assert xyz.tolist() == [[1.0, 2.0, 3.0]]


def test_negative_and_exponent_values():
    xyz = parse_positions(pd.DataFrame({"p": ["[-1.5 2e3 -.25]"]}), "p")
    assert xyz.tolist() == [[-1.5, 2000.0, -0.25]]


def test_scale_per_axis_voxels():
    # CAVE voxels of 4 x 4 x 40 nm: (100, 200, 10) voxels = (0.4, 0.8, 0.4) µm.
    cells = pd.DataFrame({"pt_position": [[100, 200, 10]]})
    xyz = parse_positions(cells, "pt_position", (0.004, 0.004, 0.04))
    np.testing.assert_allclose(xyz, [[0.4, 0.8, 0.4]])


def test_array_columns_lists_numpy_and_arrow():
    expected = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]
    lists = pd.DataFrame({"p": [[1, 2, 3], [4, 5, 6.5]]})
    arrays = pd.DataFrame({"p": [np.array([1, 2, 3]), np.array([4, 5, 6.5])]})
    fixed = pa.table({"p": pa.array(expected, type=pa.list_(pa.float64(), 3))})
    large = pa.table({"p": pa.array(expected, type=pa.large_list(pa.float32()))})
    for table in (lists, arrays, fixed, large):
        assert parse_positions(table, "p").tolist() == expected


def test_xyz_columns_numeric_and_text():
    numeric = pd.DataFrame({"x": [1, 4], "y": [2.5, 5], "z": [3, -6]})
    text = pa.table({"x": ["1", "4"], "y": ["2.5", " 5"], "z": ["3", "-6"]})
    for table in (numeric, text):
        assert parse_positions(table, ("x", "y", "z")).tolist() == [[1, 2.5, 3], [4, 5, -6]]


def test_empty_table_gives_empty_array():
    assert parse_positions(pd.DataFrame({"p": pd.Series([], dtype=str)}), "p").shape == (0, 3)


@pytest.mark.parametrize(
    ("values", "bad_rows"),
    [
        (["[1 2 3]", "[1 2]", "[1 2 3]"], [1]),  # two numbers
        (["[1 2 3 4]", "[1 2 3]"], [0]),  # four numbers
        (["[1 2 3]", "[a b c]"], [1]),  # not numbers
        (["[1 2 3)", "(1 2 3)"], [0]),  # mismatched brackets
        (["[1 2 3]", None, ""], [1, 2]),  # missing
        ([None, None], [0, 1]),  # all missing: no type to infer (object column in pandas < 3)
        (["[1 2 nan]", "[inf 1 2]"], [0, 1]),  # not finite: nan/inf are not numbers here
        (["[1e400 1 2]"], [0]),  # overflows to infinity
        (["[1,, 2, 3]"], [0]),  # empty field
    ],
)
def test_bad_strings_name_column_and_rows(values, bad_rows):
    with pytest.raises(PositionParseError) as info:
        parse_positions(pd.DataFrame({"loc": values}), "loc", NM, file="soma.csv")
    err = info.value
    assert err.column == "loc" and err.file == "soma.csv" and err.rows == bad_rows
    assert "soma.csv" in str(err) and "'loc'" in str(err) and f"{bad_rows[0]}" in str(err)


@pytest.mark.parametrize(
    ("values", "bad_rows"),
    [
        ([[1, 2, 3], [1, 2]], [1]),
        ([[1, 2, 3], None], [1]),
        ([[1, None, 3], [1, 2, 3]], [0]),
        ([[1, 2, 3], [np.nan, 2, 3], [1, np.inf, 2]], [1, 2]),
    ],
)
def test_bad_arrays_name_rows(values, bad_rows):
    table = pa.table({"pt_position": pa.array(values, type=pa.list_(pa.float64()))})
    with pytest.raises(PositionParseError) as info:
        parse_positions(table, "pt_position", file="cells.parquet")
    assert info.value.rows == bad_rows and info.value.column == "pt_position"
    assert "cells.parquet" in str(info.value)


def test_bad_xyz_column_names_that_column():
    table = pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, np.nan], "z": [0.0, 0.0]})
    with pytest.raises(PositionParseError) as info:
        parse_positions(table, ("x", "y", "z"), file="cells.csv")
    assert info.value.column == "y" and info.value.rows == [1]
    text = pa.table({"x": ["1", "2"], "y": ["1", "2"], "z": ["3", "three"]})
    with pytest.raises(PositionParseError) as info:
        parse_positions(text, ("x", "y", "z"), file="cells.csv")
    assert info.value.column == "z" and info.value.rows == [1]


def test_single_numeric_column_is_not_a_position():
    with pytest.raises(PositionParseError, match="expected three-element"):
        parse_positions(pd.DataFrame({"p": [1.0, 2.0]}), "p", file="c.csv")


def test_missing_position_column():
    with pytest.raises(MissingColumnError) as info:
        parse_positions(pd.DataFrame({"x": [1.0], "y": [2.0]}), ("x", "y", "z"), file="c.csv")
    assert info.value.column == "z" and "c.csv" in str(info.value)


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=200, deadline=None)
@given(
    points=st.lists(st.tuples(finite, finite, finite), min_size=1, max_size=20),
    separator=st.sampled_from([" ", "  ", ", ", ",", "\t", " ,  "]),
    brackets=st.sampled_from([("[", "]"), ("(", ")"), ("", ""), ("[ ", " ]")]),
)
def test_formatted_floats_parse_back_exactly(points, separator, brackets):
    # repr() of a float is the shortest string that reads back to the same double, so an
    # exact parser must return the very same numbers.
    strings = [brackets[0] + separator.join(map(repr, p)) + brackets[1] for p in points]
    xyz = parse_positions(pd.DataFrame({"p": strings}), "p")
    assert xyz.tolist() == [list(p) for p in points]
