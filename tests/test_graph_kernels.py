"""The graph layer's numba kernels against numpy references."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from connectome_motifs.graphs.kernels.transpose import transpose_csr


@st.composite
def csr_entries(draw):
    """Row pointers and columns of any CSR: unsorted rows, repeats, empty rows and columns."""
    n_rows = draw(st.integers(0, 12))
    n = draw(st.integers(1, 12))
    lengths = draw(st.lists(st.integers(0, 6), min_size=n_rows, max_size=n_rows))
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    columns = draw(st.lists(st.integers(0, n - 1), min_size=int(indptr[-1]),
                            max_size=int(indptr[-1])))
    return indptr, np.array(columns, dtype=np.int32), n


@settings(max_examples=300)
@given(csr_entries(), st.integers(1, 5))
def test_transpose_is_the_stable_sort_by_column(entries, parts):
    indptr, indices, n = entries
    values = np.arange(100, 100 + indices.size, dtype=np.int32)
    t_indptr, t_indices, t_values = transpose_csr(indptr, indices, values, n, parts)
    rows = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
    order = np.argsort(indices, kind="stable")
    assert t_values.tolist() == values[order].tolist() and t_values.dtype == np.int32
    assert t_indices.tolist() == rows[order].tolist()
    assert t_indptr.tolist() == [0, *np.cumsum(np.bincount(indices, minlength=n)).tolist()]
    assert t_indices.dtype == np.int32 and t_indptr.dtype == np.int64


def test_transpose_by_hand():
    # Rows 0: [2, 0], 1: [], 2: [0]; column 0 holds rows 0 and 2, column 2 holds row 0.
    t_indptr, t_indices, t_values = transpose_csr(
        np.array([0, 2, 2, 3]), np.array([2, 0, 0]), np.array([7, 8, 9]), 3, 2
    )
    assert t_indptr.tolist() == [0, 2, 2, 3]
    assert t_indices.tolist() == [0, 2, 0]
    assert t_values.tolist() == [8, 9, 7]
