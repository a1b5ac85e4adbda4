"""A software prefetch for numba kernels whose memory accesses are random.

A chain of edge swaps on a graph of millions of edges spends its time waiting for cache
misses (edge slots and edge-set entries scattered over tens of MiB). Knowing the next
proposals in advance, a kernel can ask for their cache lines early, so that many misses
are in flight at once instead of one after another.
"""

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["prefetch"]


@intrinsic
def prefetch(typingctx, array, index):
    """Hint that ``array[index]`` (1-D, contiguous) will be read soon. No effect on results.

    Compiles to LLVM's ``llvm.prefetch`` (read, high locality, data cache): a hint that
    never faults, so an index outside the array is harmless. O(1).
    """
    if not (isinstance(array, types.Array) and array.ndim == 1
            and isinstance(index, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        data = context.make_array(array_type)(context, builder, args[0]).data
        offset = context.cast(builder, args[1], signature.args[1], types.intp)
        address = builder.bitcast(builder.gep(data, [offset]), ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [address.type, i32, i32, i32]),
            "llvm.prefetch.p0",
        )
        builder.call(function, [address, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(array, index), codegen
