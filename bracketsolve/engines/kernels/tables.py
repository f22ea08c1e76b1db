"""The tables' storage: entries (n, d, count lanes) per interval, and open-addressing indexes over them."""

from __future__ import annotations

import numba
import numpy as np

from .arith import _jit, _slot, _wadd

START, STOP, NINT, ISTART, ICAP = 0, 1, 2, 3, 4    # meta[i, j, :]: entries, integer entries first, index slots
USED, IUSED, WORK, AT_LENGTH, AT_I, ARENA = 0, 1, 2, 3, 4, 5   # state[:]: slots in use, pairs combined, restart point


@numba.njit
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


@numba.njit
def _grow(a, size):
    """`a` copied into a larger array of `size` rows."""
    shape = (size,) + a.shape[1:]
    out = np.zeros(shape, a.dtype)
    out[:a.shape[0]] = a
    return out


@numba.njit
def _insert(h, mask, n, d, c, slot):
    """Add count `c` (lane 0) of value n/d to the scratch table `h` (rows n, d, count); (slot, is it new).

    `slot` is where n/d hashes to, or -1 to compute it here.
    """
    if slot < 0:
        slot = _slot(n, d, mask)
    while True:
        if h[slot, 1] == 0:
            h[slot, 0] = n
            h[slot, 1] = d
            h[slot, 2] = c
            return slot, True
        if h[slot, 0] == n and h[slot, 1] == d:
            h[slot, 2] = _wadd(h[slot, 2], c)
            return slot, False
        slot = (slot + 1) & mask


@numba.njit
def _rehash(h, hx, g, gx):
    """The scratch table `h` (and its prime lanes `hx`) moved into the empty table `g` (`gx`)."""
    g[:, 1] = 0
    mask = g.shape[0] - 1
    for s in range(h.shape[0]):
        if h[s, 1] != 0:
            slot, new = _insert(g, mask, h[s, 0], h[s, 1], h[s, 2], -1)
            gx[slot] = hx[s]


@_jit
def index(meta, tn, td, ix, state, i, j):
    """An open-addressing index (entry number + 1, 0 for empty) over interval i..j's table; returns `ix`."""
    start, stop = meta[i, j, START], meta[i, j, STOP]
    cap = 1
    while cap < 2 * (stop - start):
        cap <<= 1
    base = state[IUSED]
    if base + cap > ix.shape[0]:
        ix = _grow(ix, max(ix.shape[0] + ix.shape[0] // 2, base + cap))
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
