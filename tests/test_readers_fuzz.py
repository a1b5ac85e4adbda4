"""Property tests of the readers on random, often malformed, tables in CSV and Parquet files.

Each table is written to a file and read back. The expectation is worked out here, from the
written cells alone, with Python's exact ``int`` and ``Decimal`` (never with the package):
either the ids and synapse counts the file holds, or the columns at fault. The reader must
then load exactly that, or fail with a :class:`GraphInputError` that names the file and one
of the columns at fault; it must never return changed data.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs.errors import GraphInputError
from connectome_motifs.graphs.readers import read_graph, read_synapses

INT64 = (-(2**63), 2**63 - 1)
INT32_MAX = 2**31 - 1
EXACT = 2**53  # float64 holds every integer below this exactly

# Column names, labelled by hand: does the name look like a synapse count?
COUNT_LIKE = {"count": True, "n_syn": True, "Syn_Count": True, "roi": False, "size": False,
              "ñame": False, "note": False}
# Missing-value spellings (pandas' own, which the readers take) and cell names, some near
# numbers (e5, Inf0, 1_0) and some needing CSV quotes.
NA = ["", "NA", "NaN", "nan", "null", "None"]
NAMES = ["AVAL", "ñeurona", "細胞7", "😀x", "a,b", 'q"t', "x y", "e5", "Inf0", "1_0", "--1"]
ODD_NUMBERS = [" 4", "+6", "1e3", "1.0000000000000001", "9007199254740993.0", "-0", "007",
               "0x10", "inf", "-1.5e-3", "2.50"]
BIG_INTS = [2**53, 2**53 + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]
FLOATS = [1.0, 2.0, -3.0, 1.5, 0.5, 1e3, 1e20, 2.0**53, 2.0**31, float("inf"), float("nan")]

_NUMERIC = re.compile(r"\s*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|nan|inf|"
                      r"infinity)\s*", re.IGNORECASE)
_PLAIN = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INT_LITERAL = re.compile(r"-?[0-9]+")


class Fault(Exception):
    """The written table is bad; ``columns`` are those an error may name (None: the file)."""

    def __init__(self, *columns: str | None) -> None:
        super().__init__(columns)
        self.columns = set(columns)


@dataclass
class Table:
    header: list[str]
    cells: list[list]  # one list per column: text (CSV) or Python values (Parquet)
    types: list[str] = field(default_factory=list)  # Parquet: one arrow type name per column
    override: tuple = ()  # () or ("weight", value)

    @property
    def n_rows(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def column(self, name: str) -> list:
        return self.cells[self.header.index(name)]


# -- the expectation, from the written cells -------------------------------------------


def weight_column(t: Table) -> tuple[str | None, bool]:
    """The column of synapse counts, as the documented rule picks it, and if detected."""
    if t.override:
        name = t.override[1]
        if name is None:
            return None, False
        if name not in t.header:
            raise Fault(name)
        return name, False
    if "weight" in t.header:
        return "weight", False
    like = [c for c in t.header if COUNT_LIKE.get(c, False)]
    if len(like) > 1:
        raise Fault("weight", *like)
    return (like[0], True) if like else (None, False)


def text_ids(column: str, texts: list[str]) -> list:
    if any(t in NA for t in texts):
        raise Fault(column)
    if all(_INT_LITERAL.fullmatch(t) for t in texts):
        return check_range(column, [int(t) for t in texts])
    if not all(_NUMERIC.fullmatch(t) for t in texts):
        return list(texts)  # names (numbers among names are names too)
    if not all(_PLAIN.fullmatch(t) for t in texts):
        raise Fault(column)
    ids = []
    for t in texts:
        number = Decimal(t)
        if not _INT_LITERAL.fullmatch(t) and (number != number.to_integral_value()
                                              or abs(number) >= EXACT):
            raise Fault(column)
        ids.append(int(number))
    return check_range(column, ids)


def check_range(column: str, ids: list[int]) -> list[int]:
    if any(not INT64[0] <= i < 2**64 for i in ids):
        raise Fault(column)
    if any(i < 0 for i in ids) and any(i > INT64[1] for i in ids):
        raise Fault(column)
    return ids


def text_counts(column: str, texts: list[str]) -> list[int]:
    counts = []
    for t in texts:
        if t in NA or not _NUMERIC.fullmatch(t):
            raise Fault(column)
        try:
            number = Decimal(t.strip())
        except InvalidOperation:
            raise Fault(column) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise Fault(column)
        if not _INT_LITERAL.fullmatch(t.strip().lstrip("+")) and abs(number) >= EXACT:
            raise Fault(column)  # a decimal written count too large to be exact
        counts.append(int(number))
    if any(c < 1 or c > INT64[1] for c in counts):
        raise Fault(column)
    return counts


def typed_ids(column: str, kind: str, values: list) -> list:
    if any(v is None for v in values) or kind == "bool":
        raise Fault(column)
    if kind == "string":
        if any(v == "" for v in values):
            raise Fault(column)
        return list(values)
    if kind == "float":
        if any(not math.isfinite(v) or v != math.floor(v) or abs(v) >= EXACT for v in values):
            raise Fault(column)
        return [int(v) for v in values]
    return list(values)


def typed_counts(column: str, kind: str, values: list) -> list[int]:
    if kind in ("string", "bool") or any(v is None for v in values):
        raise Fault(column)
    if kind == "float" and any(not math.isfinite(v) or v != math.floor(v) or abs(v) >= EXACT
                               for v in values):
        raise Fault(column)
    counts = [int(v) for v in values]
    if any(c < 1 or c > INT64[1] for c in counts):
        raise Fault(column)
    return counts


def expected_table(t: Table, text: bool) -> dict:
    """What read_synapses must return, or raise Fault with the columns at fault."""
    if not t.header:
        raise Fault(None)  # an empty file
    repeated = [c for c, k in Counter(t.header).items() if k > 1]
    if repeated:
        raise Fault(*repeated)
    if t.n_rows == 0:
        raise Fault(None)  # header only, or a table without rows
    for needed in ("pre", "post"):
        if needed not in t.header:
            raise Fault(needed)
    weight, detected = weight_column(t)
    if text:
        pre, post = (text_ids(c, t.column(c)) for c in ("pre", "post"))
        counts = None if weight is None else text_counts(weight, t.column(weight))
    else:
        kinds = dict(zip(t.header, t.types, strict=True))
        pre, post = (typed_ids(c, kinds[c], t.column(c)) for c in ("pre", "post"))
        counts = None if weight is None else typed_counts(weight, kinds[weight], t.column(weight))
    return {"pre": pre, "post": post, "weight": counts, "weight_column": weight,
            "detected": detected,
            "unused": [c for c in t.header if c not in ("pre", "post", weight)]}


def expected_graph(e: dict) -> dict:
    """The edges {(pre id, post id): synapses} and counts of the graph, or raise Fault."""
    pre, post = e["pre"], e["post"]
    counts = e["weight"] or [1] * len(pre)
    ids = pre + post
    if len({isinstance(i, str) for i in ids}) > 1:
        raise Fault("pre", "post")
    if any(isinstance(i, int) and i < 0 for i in ids) and any(
            isinstance(i, int) and i > INT64[1] for i in ids):
        raise Fault("pre", "post")
    edges: dict = {}
    autapses = 0
    for p, q, w in zip(pre, post, counts, strict=True):
        if p == q:
            autapses += w
        else:
            edges[(p, q)] = edges.get((p, q), 0) + w
    if any(w > INT32_MAX for w in edges.values()):
        raise Fault(e["weight_column"])
    return {"edges": edges, "ids": sorted(set(ids)), "autapses": autapses,
            "synapses": sum(counts), "merged": len(pre) - sum(p == q for p, q in
                                                          zip(pre, post, strict=True))
            - len(edges)}


# -- random tables ---------------------------------------------------------------------


def _cells(draw, strategy, n_rows: int) -> list:
    return draw(st.lists(strategy, min_size=n_rows, max_size=n_rows))


TEXT_STYLES = {  # cell strategies of a text column; the first ones mostly load
    "small": st.integers(-3, 6).map(str),
    "name": st.sampled_from(NAMES),
    "uint": st.sampled_from([0, 5, 2**63, 2**64 - 1]).map(str),
    "whole": st.sampled_from([1.0, 2.0, -3.0, 1e3, 2.0**31]).map(repr),
    "count": st.integers(1, 5).map(str),
    "big": st.sampled_from(BIG_INTS).map(str),
    "float": st.one_of(st.sampled_from(FLOATS), st.floats(width=64)).map(repr),
    "odd": st.sampled_from(ODD_NUMBERS),
    "missing": st.sampled_from(NA),
}
TYPED_STYLES = {  # (arrow type, cell strategy) of a Parquet column
    "small": ("int64", st.integers(-3, 6)),
    "name": ("string", st.one_of(st.sampled_from(NAMES), st.sampled_from(["1", "1.5", ""]))),
    "uint": ("uint64", st.one_of(st.integers(0, 6), st.sampled_from([2**63, 2**64 - 1]))),
    "whole": ("float", st.sampled_from([1.0, 2.0, -3.0, 1e3, 2.0**31])),
    "count": ("int64", st.integers(1, 5)),
    "big": ("int64", st.sampled_from([b for b in BIG_INTS if INT64[0] <= b <= INT64[1]])),
    "float": ("float", st.one_of(st.sampled_from(FLOATS), st.floats(width=64))),
    "odd": ("bool", st.booleans()),
    "missing": ("int64", st.one_of(st.none(), st.integers(1, 5))),
}
ID_STYLES = ["small"] * 3 + ["name"] * 2 + ["uint", "whole", "big", "float", "odd", "missing"]
COUNT_STYLES = ["count"] * 5 + ["whole", "small", "name", "big", "float", "odd", "missing"]


@st.composite
def tables(draw, text: bool) -> Table:
    # Choices by weighted lists: hypothesis draws small integers and booleans more often.
    n_rows = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 3, 4, 5, 6]))
    header = [c for c in ("pre", "post") if draw(st.sampled_from([True] * 14 + [False]))]
    header += draw(st.lists(st.sampled_from(["weight", "count", "n_syn", "Syn_Count"]),
                            max_size=draw(st.sampled_from([1] * 7 + [2])), unique=True))
    header += draw(st.lists(st.sampled_from(["roi", "size", "ñame", "note"]), max_size=2,
                            unique=True))
    if header and draw(st.sampled_from([False] * 19 + [True])):
        header.append(draw(st.sampled_from(header)))  # a repeated name
    header = draw(st.permutations(header))
    cells, types = [], []
    for name in header:
        style = draw(st.sampled_from(ID_STYLES if name in ("pre", "post") else COUNT_STYLES))
        noisy = draw(st.sampled_from([False] * 5 + [True]))  # some cells of another style
        if text:
            base, noise = TEXT_STYLES[style], st.one_of(*TEXT_STYLES.values())
        else:
            kind, base = TYPED_STYLES[style]
            noise = base  # a Parquet column has one type
            types.append(kind)
        cells.append(_cells(draw, st.one_of(base, noise) if noisy else base, n_rows))
    override = draw(st.sampled_from([()] * 6 + [("weight", None), ("weight", "count"),
                                                ("weight", "wieght")]))
    return Table(list(header), cells, types, override)


def write_csv(t: Table, path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        if not t.header:
            return
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(t.header)
        for row in zip(*t.cells, strict=True):
            out.writerow(row)


def write_parquet(t: Table, path) -> None:
    types = {"int64": pa.int64(), "uint64": pa.uint64(), "float": pa.float64(),
             "string": pa.string(), "bool": pa.bool_()}
    arrays = [pa.array(values, types[kind]) for values, kind in zip(t.cells, t.types,
                                                                    strict=True)]
    pq.write_table(pa.Table.from_arrays(arrays, names=t.header), path)


# -- the property ----------------------------------------------------------------------


def assert_blames(err: GraphInputError, path, fault: Fault) -> None:
    event(f"fails: {type(err).__name__}")
    message = str(err)
    assert err.file == str(path) and str(path) in message, message
    if err.column is None:
        columns = getattr(err, "rows_by_column", {})
        assert None in fault.columns or set(columns) & fault.columns, (message, fault.columns)
    else:
        assert err.column in fault.columns, (message, fault.columns)
        assert repr(err.column) in message, message
    if err.rows is not None and err.column is not None:
        assert err.rows and max(err.rows) < 10, message  # data rows of a table of <= 6


def check(t: Table, path, text: bool) -> None:
    kwargs = dict([t.override]) if t.override else {}
    try:
        expected = expected_table(t, text)
    except Fault as fault:
        with pytest.raises(GraphInputError) as info:
            read_synapses(path, **kwargs)
        assert_blames(info.value, path, fault)
        return
    table = read_synapses(path, **kwargs)
    assert table["pre"].tolist() == expected["pre"]
    assert table["post"].tolist() == expected["post"]
    if expected["weight"] is None:
        assert "weight" not in table.columns
    else:
        assert table["weight"].tolist() == expected["weight"]
    for column in ("pre", "post"):
        ints = [i for i in expected[column] if isinstance(i, int)]
        if ints:  # int64 when every id fits, else uint64
            wide = any(i > INT64[1] for i in ints)
            assert table[column].dtype == ("uint64" if wide else "int64")
    try:
        graph = expected_graph(expected)
    except Fault as fault:
        with pytest.raises(GraphInputError) as info:
            read_graph(path, **kwargs)
        assert_blames(info.value, path, fault)
        return
    g = read_graph(path, **kwargs)
    ids = g.ids.tolist()
    assert ids == graph["ids"]
    pre, post = g.edges()
    got = {(ids[i], ids[j]): int(w) for i, j, w in zip(pre, post, g.out_weights, strict=True)}
    assert got == graph["edges"]
    r = g.report
    assert (r.rows_read, r.synapses_read, r.autapse_synapses_removed) == (
        t.n_rows, graph["synapses"], graph["autapses"])
    assert r.repeated_pair_rows_merged == graph["merged"]
    assert (r.weight_column, r.weight_column_detected) == (expected["weight_column"],
                                                           expected["detected"])
    assert list(r.unused_columns) == expected["unused"]
    event("loads" + (" with counts" if expected["weight"] else "")
          + (" (detected)" if expected["detected"] else ""))


SETTINGS = settings(max_examples=250, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(t=tables(text=True))
def test_random_csv_tables_load_exactly_or_fail_naming_file_and_column(tmp_path, t):
    path = tmp_path / "synapses.csv"
    write_csv(t, path)
    check(t, path, text=True)


@SETTINGS
@given(t=tables(text=False))
def test_random_parquet_tables_load_exactly_or_fail_naming_file_and_column(tmp_path, t):
    path = tmp_path / "synapses.parquet"
    write_parquet(t, path)
    check(t, path, text=False)
