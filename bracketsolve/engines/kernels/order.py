"""Exact ordering of a table's values (no products, so no overflow)."""

from __future__ import annotations

import numba
import numpy as np

from .arith import _jit


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


@_jit
def order(tn, td, start, stop):
    """The positions start..stop-1 sorted by the exact value tn/td (a bottom-up merge sort)."""
    count = stop - start
    a = np.arange(start, stop)
    b = np.empty(count, np.int64)
    width = 1
    while width < count:
        for lo in range(0, count, 2 * width):
            mid, hi = min(lo + width, count), min(lo + 2 * width, count)
            x, y, out = lo, mid, lo
            while x < mid and y < hi:
                if _less(tn[a[y]], td[a[y]], tn[a[x]], td[a[x]]):
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
