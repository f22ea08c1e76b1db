"""Exact ordering of a table's values (cross products checked for overflow, else continued fractions)."""

from __future__ import annotations

import numba
import numpy as np

from .arith import _jit, _mul


@numba.njit
def _less(an, ad, bn, bd):
    """a/b < c/d exactly (positive denominators), comparing continued-fraction terms: no products."""
    while True:
        qa, qb = an // ad, bn // bd
        if qa != qb:
            return qa < qb
        ra, rb = an - qa * ad, bn - qb * bd        # in [0, ad) and [0, bd)
        if ra == 0 or rb == 0:
            return ra == 0 and rb != 0
        an, ad, bn, bd = bd, rb, ad, ra            # ra/ad < rb/bd  <=>  bd/rb < ad/ra


@numba.njit
def _lt(an, ad, bn, bd):
    """a/b < c/d exactly: one cross product when it fits, else continued fractions."""
    if ad == bd:
        return an < bn
    x, o1 = _mul(an, bd)
    y, o2 = _mul(bn, ad)
    if o1 or o2:
        return _less(an, ad, bn, bd)
    return x < y


@numba.njit
def _sort(tn, td, a):
    """The positions `a` sorted by the exact value tn/td (a bottom-up merge sort); returns the sorted array."""
    count = a.shape[0]
    b = np.empty(count, np.int64)
    width = 1
    while width < count:
        for lo in range(0, count, 2 * width):
            mid, hi = min(lo + width, count), min(lo + 2 * width, count)
            x, y, out = lo, mid, lo
            while x < mid and y < hi:
                if _lt(tn[a[y]], td[a[y]], tn[a[x]], td[a[x]]):
                    b[out] = a[y]
                    y += 1
                else:
                    b[out] = a[x]
                    x += 1
                out += 1
            while x < mid:
                b[out] = a[x]
                x += 1
                out += 1
            while y < hi:
                b[out] = a[y]
                y += 1
                out += 1
        a, b = b, a
        width *= 2
    return a


@_jit
def order(tn, td, start, stop):
    """The positions start..stop-1 sorted by the exact value tn/td. A table's integers come first: those are
    sorted by numerator (numpy's argsort of int64, exact), the rest merge-sorted, and the two runs merged."""
    ints = start
    while ints < stop and td[ints] == 1:
        ints += 1
    whole = start + np.argsort(tn[start:ints], kind="mergesort")
    rest = _sort(tn, td, np.arange(ints, stop))
    out = np.empty(stop - start, np.int64)
    x, y, o = 0, 0, 0
    while x < whole.shape[0] and y < rest.shape[0]:
        if _lt(tn[rest[y]], td[rest[y]], tn[whole[x]], 1):
            out[o] = rest[y]
            y += 1
        else:
            out[o] = whole[x]
            x += 1
        o += 1
    for t in range(x, whole.shape[0]):      # (loops, not slice assignments: cheaper to compile, see tables._copy)
        out[o] = whole[t]
        o += 1
    for t in range(y, rest.shape[0]):
        out[o] = rest[t]
        o += 1
    return out
