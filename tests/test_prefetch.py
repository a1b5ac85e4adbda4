"""The software prefetch intrinsic compiles to LLVM's prefetch with every supported numba."""

import platform

import numpy as np
from numba import njit

from connectome_motifs.nullmodels.kernels.prefetch import prefetch


@njit
def _touch(a, i):
    prefetch(a, i)
    prefetch(a, i + 1000)  # outside the array: a prefetch never faults
    return a[i]


def test_prefetch_is_an_llvm_prefetch_and_changes_nothing():
    a = np.arange(10)
    assert _touch(a, 3) == 3
    signature = _touch.signatures[0]
    # The declaration is named for opaque pointers (llvm.prefetch.p0); LLVM 14 (numba < 0.61,
    # typed pointers) upgrades the name to llvm.prefetch.p0i8 itself.
    assert "call void @llvm.prefetch.p0" in _touch.inspect_llvm(signature)
    if platform.machine().lower() in ("x86_64", "amd64"):
        assert "prefetcht0" in _touch.inspect_asm(signature)
