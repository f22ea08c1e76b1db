"""The tables' storage: entries (n, d, count lanes) per interval, and open-addressing indexes over them."""

from __future__ import annotations

import numba
import numpy as np

from .arith import _helper, _jit, _slot

START, STOP, NINT, ISTART, ICAP = 0, 1, 2, 3, 4    # meta[i, j, :]: entries, integer entries first, index slots
USED, IUSED, WORK, AT_LENGTH, AT_I, ARENA = 0, 1, 2, 3, 4, 5   # state[:]: slots in use, pairs combined, restart point


@_helper
def _find(meta, tn, td, ix, i, j, n, d):
    """The storage position of value n/d in interval i..j's table, or -1."""
    cap = meta[i, j, ICAP]
    if cap == 0:
        return -1
    base = meta[i, j, ISTART]
    start = meta[i, j, START]
    mask = cap - 1
    slot = _slot(n, d, mask)
    while True:
        e = ix[base + slot]
        if e == 0:
            return -1
        e += start - 1
        if tn[e] == n and td[e] == d:
            return e
        slot = (slot + 1) & mask


@_jit
def find(meta, tn, td, ix, i, j, qn, qd):
    """Storage positions of the values qn/qd in interval i..j's table (-1 where absent)."""
    out = np.empty(qn.shape[0], np.int64)
    for q in range(qn.shape[0]):
        out[q] = _find(meta, tn, td, ix, i, j, qn[q], qd[q])
    return out


@_helper
def _copy(out, a):
    """out[:a.shape[0]] = a (both C-contiguous), as one flat loop: numpy's slice assignment would compile its
    shape-mismatch message, about 3 s of compiling for each number of dimensions."""
    flat, into = a.reshape(a.size), out.reshape(out.size)
    for x in range(flat.shape[0]):
        into[x] = flat[x]


@_helper
def _grow(a, size):
    """`a` copied into a larger array of `size` rows."""
    shape = (size,) + a.shape[1:]
    out = np.zeros(shape, a.dtype)
    _copy(out, a)
    return out


@_helper
def _extend(a, size):
    """`a` copied into a larger array of `size` rows, the rest left unset (its pages untouched until used)."""
    out = np.empty((size,) + a.shape[1:], a.dtype)
    _copy(out, a)
    return out


@_jit
def index(meta, tn, td, ix, state, i, j):
    """An open-addressing index (entry number + 1, 0 for empty) over interval i..j's table; returns `ix`."""
    start, stop = meta[i, j, START], meta[i, j, STOP]
    cap = 1
    while cap < 2 * (stop - start):
        cap <<= 1
    base = state[IUSED]
    if base + cap > ix.shape[0]:
        ix = _extend(ix, max(2 * ix.shape[0], base + cap))
    ix[base:base + cap] = 0
    mask = cap - 1
    for e in range(start, stop):
        slot = _slot(tn[e], td[e], mask)
        while ix[base + slot] != 0:
            slot = (slot + 1) & mask
        ix[base + slot] = e - start + 1
    meta[i, j, ISTART] = base
    meta[i, j, ICAP] = cap
    state[IUSED] = base + cap
    return ix
