"""Numba kernels of the null models: edge sets, edge-swap chains, global switching, dyads."""
