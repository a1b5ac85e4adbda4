"""Numba kernels of the graph layer: pure functions over arrays."""
