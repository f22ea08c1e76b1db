"""Exact rational arithmetic on reduced int64 pairs, with every overflow reported (never wrapped).

LLVM's checked intrinsics when compiled; Python ints when NUMBA_DISABLE_JIT=1, so the kernels run as Python.
"""

from __future__ import annotations

import hashlib
import math
import os

import numba
from llvmlite import ir
from numba.core import cgutils, config, types
from numba.extending import intrinsic

ADD, SUB, MUL, DIV = 0, 1, 2, 3                    # operator codes; a slot's mask has bit 1 << code per operator
DONE, UNDEFINED, OVERFLOW = 0, 1, 2                # what `_apply` says about a result
ONE, NONE, ALL, ALL_NONZERO, LOST = 0, 1, 2, 3, 4  # what `_partner` found: one value, none, every entry, ..., overflow
INT64_MAX = 2**63 - 1                              # values are kept in [-INT64_MAX, INT64_MAX]: INT64_MIN is never used
_H1 = 0x9E3779B97F4A7C15 - 2**64                   # hash multipliers, as signed int64
_H2 = 0xC2B2AE3D27D4EB4F - 2**64
_H3 = 0xFF51AFD7ED558CCD - 2**64                   # (murmur3's finalizer: every input bit reaches the low bits)


def _sources_digest() -> bytes:
    """A digest of every kernel module's source (this directory's .py files)."""
    here = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256()
    for name in sorted(os.listdir(here)):
        if name.endswith(".py"):
            with open(os.path.join(here, name), "rb") as f:
                digest.update(name.encode() + b"\0" + f.read() + b"\0")
    return digest.digest()


_SOURCES = _sources_digest()


def _jit(fn):
    """A kernel: `fn` compiled on first call, cached on disk when some cache directory is writable.

    Helpers are plain `numba.njit`: they are compiled into the kernels that call them. numba checks a cached
    kernel against its own file only, so a changed helper in another module (a new slot hash in this one) would
    leave stale kernels that disagree with the fresh ones: the cache's stamp also covers every kernel module.
    """
    try:
        kernel = numba.njit(cache=True, no_cfunc_wrapper=True)(fn)
    except RuntimeError:            # numba raises at decoration time when it finds no writable cache directory
        return numba.njit(no_cfunc_wrapper=True)(fn)
    cache_file = getattr(getattr(kernel, "_cache", None), "_cache_file", None)
    if cache_file is not None and hasattr(cache_file, "_source_stamp"):
        cache_file._source_stamp = (cache_file._source_stamp, _SOURCES)
    return kernel


def _helper(fn):
    """A helper: compiled into the kernels that call it, never called from Python (so without wrappers)."""
    return numba.njit(no_cpython_wrapper=True, no_cfunc_wrapper=True)(fn)


def ready(kernel):
    """True when the kernel `kernel` (made by `_jit`) needs no compiling: compiled in this process already, or
    found in numba's cache; always True when NUMBA_DISABLE_JIT runs kernels as Python."""
    if getattr(kernel, "overloads", None):
        return True
    cache = getattr(kernel, "_cache", None)
    if cache is None:
        return True
    index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
    return index is not None and os.path.exists(index)


# --- overflow-checked primitives: LLVM intrinsics when compiled, Python ints when NUMBA_DISABLE_JIT=1 --------

def _checked(name):
    """An intrinsic `(a, b) -> (a op b wrapped, overflowed)` for the llvmlite IRBuilder method `name`."""

    def typer(typingctx, a, b):
        if not (isinstance(a, types.Integer) and isinstance(b, types.Integer)):
            return None
        sig = types.Tuple((types.int64, types.boolean))(a, b)

        def codegen(context, builder, signature, args):
            x = context.cast(builder, args[0], signature.args[0], types.int64)
            y = context.cast(builder, args[1], signature.args[1], types.int64)
            pair = getattr(builder, name)(x, y)
            return context.make_tuple(builder, signature.return_type,
                                      [builder.extract_value(pair, 0), builder.extract_value(pair, 1)])

        return sig, codegen

    typer.__name__ = name
    return intrinsic(typer)


def _checked_py(fn):
    """The pure-Python twin of a checked intrinsic."""

    def checked(a, b):
        r = fn(int(a), int(b))
        return r, not -2**63 <= r < 2**63

    return checked


def _wrap(x: int) -> int:
    return (x + 2**63) % 2**64 - 2**63


if config.DISABLE_JIT:
    _add = _checked_py(lambda a, b: a + b)
    _sub = _checked_py(lambda a, b: a - b)
    _mul = _checked_py(lambda a, b: a * b)
    _gcd = math.gcd

    def _wmul(a, b):
        return _wrap(int(a) * int(b))

    def _wadd(a, b):
        return _wrap(int(a) + int(b))

    def _slot(n, d, mask):
        h = (int(n) * _H1 + int(d) * _H2) % 2**64
        h = (h ^ (h >> 32)) * _H3 % 2**64
        return (h ^ (h >> 29)) & int(mask)

    def _prefetch(table, row):
        pass
else:
    from numba.cpython.unsafe.numbers import trailing_zeros as _ctz

    _add = _checked("sadd_with_overflow")
    _sub = _checked("ssub_with_overflow")
    _mul = _checked("smul_with_overflow")

    @_helper
    def _gcd(u, v):
        """Binary gcd of two non-negative int64s."""
        if u == 0:
            return v
        if v == 0:
            return u
        if u == 1 or v == 1:        # common: an integer's denominator
            return 1
        if u > v:                   # one division brings the larger below the smaller (often a denominator)
            u %= v
            if u == 0:
                return v
        else:
            v %= u
            if v == 0:
                return u
        shift = _ctz(u | v)
        u >>= _ctz(u)
        while True:
            v >>= _ctz(v)
            if u > v:
                u, v = v, u
            v -= u
            if v == 0:
                return u << shift

    @_helper
    def _wmul(a, b):
        return a * b                # numba's integer multiply wraps (no nsw flag)

    @_helper
    def _wadd(a, b):
        return a + b

    @_helper
    def _slot(n, d, mask):
        """Slot of n/d in a table of mask + 1 slots (a power of two); masks below 2**35."""
        h = n * _H1 + d * _H2
        h = (h ^ ((h >> 32) & 0xFFFFFFFF)) * _H3
        return (h ^ (h >> 29)) & mask

    @intrinsic
    def _prefetch(typingctx, table, row):
        """Ask the CPU to fetch row `row` of a 2-d array for writing (llvm.prefetch); does nothing else."""
        if not isinstance(table, types.Array) or table.ndim != 2:
            return None

        def codegen(context, builder, signature, args):
            tabletype = signature.args[0]
            array = context.make_array(tabletype)(context, builder, args[0])
            index = context.cast(builder, args[1], signature.args[1], types.intp)
            zero = context.get_constant(types.intp, 0)
            pointer = cgutils.get_item_pointer(context, builder, tabletype, array, [index, zero], wraparound=False)
            bytes_ = ir.IntType(8).as_pointer()
            i32 = ir.IntType(32)
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [bytes_, i32, i32, i32]),
                                                "llvm.prefetch.p0")
            builder.call(fn, [builder.bitcast(pointer, bytes_), i32(1), i32(3), i32(1)])
            return context.get_dummy_value()

        return types.void(table, row), codegen


# --- exact rational arithmetic on (numerator, positive denominator) pairs in lowest terms -----------------

@_helper
def _reduce(n, d):
    """(n, d) in lowest terms with d > 0, given d != 0; OVERFLOW when either is INT64_MIN."""
    if n == -INT64_MAX - 1 or d == -INT64_MAX - 1:
        return n, d, OVERFLOW
    if d < 0:
        n, d = -n, -d
    if n == 0:
        return 0, 1, DONE
    g = _gcd(abs(n), d)
    if g > 1:
        n //= g
        d //= g
    return n, d, DONE


@_helper
def _apply(op, an, ad, bn, bd):
    """(n, d, flag): `a op b` in lowest terms; flag DONE, UNDEFINED (division by zero) or OVERFLOW."""
    if op == DIV:
        if bn == 0:
            return 0, 1, UNDEFINED
        if bn < 0:
            bn, bd = -bd, -bn
        else:
            bn, bd = bd, bn
        op = MUL
    if op == MUL:
        if ad == 1 and bd == 1:
            n, over = _mul(an, bn)
            if over or n == -INT64_MAX - 1:
                return 0, 1, OVERFLOW
            return n, 1, DONE
        g1 = _gcd(abs(an), bd)      # cross-reduce first: the product is then in lowest terms
        g2 = _gcd(abs(bn), ad)
        n, o1 = _mul(an // g1, bn // g2)
        d, o2 = _mul(ad // g2, bd // g1)
        if o1 or o2 or n == -INT64_MAX - 1:
            return 0, 1, OVERFLOW
        if n == 0:
            return 0, 1, DONE
        return n, d, DONE
    if ad == bd:
        if op == ADD:
            n, over = _add(an, bn)
        else:
            n, over = _sub(an, bn)
        if over:
            return 0, 1, OVERFLOW
        if ad == 1:
            if n == -INT64_MAX - 1:
                return 0, 1, OVERFLOW
            return n, 1, DONE
        return _reduce(n, ad)
    g = _gcd(ad, bd)                # Knuth's sum: only gcds of denominators, the result comes out reduced
    x, o1 = _mul(an, bd // g)
    y, o2 = _mul(bn, ad // g)
    if op == ADD:
        t, o3 = _add(x, y)
    else:
        t, o3 = _sub(x, y)
    if o1 or o2 or o3 or t == -INT64_MAX - 1:
        return 0, 1, OVERFLOW
    if t == 0:
        return 0, 1, DONE
    g2 = _gcd(abs(t), g) if g > 1 else 1
    d, o4 = _mul(ad // g, bd // g2)
    if o4:
        return 0, 1, OVERFLOW
    return t // g2, d, DONE


@_helper
def _partner(op, side, an, ad, tn, td):
    """(kind, n, d): the x with `a op x == t` (side 0) or `x op a == t` (side 1); kind ONE, NONE, ALL, ..."""
    inverse, xn, xd, yn, yd = SUB, tn, td, an, ad       # x = t - a (one call of _apply below keeps it small)
    if op == SUB:
        if side == 0:
            inverse, xn, xd, yn, yd = SUB, an, ad, tn, td   # x = a - t
        else:
            inverse = ADD                                   # x = t + a
    elif op == MUL:
        if an == 0:
            return (ALL if tn == 0 else NONE), 0, 1
        inverse = DIV                                       # x = t / a
    elif op == DIV:
        if an == 0:
            return (ALL_NONZERO if side == 0 and tn == 0 else NONE), 0, 1
        if side == 0:
            if tn == 0:
                return NONE, 0, 1
            inverse, xn, xd, yn, yd = DIV, an, ad, tn, td   # x = a / t
        else:
            inverse = MUL                                   # x = t * a
    n, d, flag = _apply(inverse, xn, xd, yn, yd)
    if flag == OVERFLOW:
        return LOST, 0, 1
    return ONE, n, d
