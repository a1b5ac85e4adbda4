"""One-pass check that a CSR adjacency is a simple directed graph with sorted rows (numba)."""

from numba import njit

__all__ = ["is_simple_sorted_csr"]


@njit(cache=True, nogil=True)
def is_simple_sorted_csr(indptr, indices, n):
    """Return whether every row's targets lie in [0, n), strictly increase and skip the row.

    Parameters
    ----------
    indptr : int64 array (n + 1,)
        Non-decreasing row pointers with ``indptr[-1] == indices.size``.
    indices : int array (m,)
    n : int

    Returns
    -------
    bool
        True for a valid adjacency: no target out of range, no self-loop, and rows sorted
        without repeats (no duplicate edges). The caller finds the offending entries
        (with numpy) only when this is False.

    Notes
    -----
    O(n + m), one pass, no allocation.
    """
    for row in range(indptr.size - 1):
        previous = -1
        for s in range(indptr[row], indptr[row + 1]):
            target = indices[s]
            if target <= previous or target >= n or target == row:
                return False
            previous = target
    return True
