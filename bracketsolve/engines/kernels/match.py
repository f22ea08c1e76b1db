"""Target-directed lookups: the pairs of two tables whose combination equals a target."""

from __future__ import annotations

import numba
import numpy as np

from .arith import ALL_NONZERO, LOST, NONE, ONE, _jit, _partner, _wadd, _wmul
from .tables import START, STOP, _find, _grow


@numba.njit
def _sum_lanes(tc0, tcx, primes, e0, e1, skip, out):
    """out[:] = the lanes of the summed counts of entries e0..e1, leaving out entry `skip`."""
    nx = tcx.shape[1]
    out[:] = 0
    for e in range(e0, e1):
        if e != skip:
            out[0] = _wadd(out[0], tc0[e])
            for x in range(nx):
                out[1 + x] = (out[1 + x] + tcx[e, x]) % primes[x]


@_jit
def matches(meta, tn, td, tc0, tcx, ix, masks, primes, i, j, t_n, t_d, rows_wanted):
    """Every split k, operator and pair of table entries (a of i..k, b of k+1..j) with `a op b == t`.

    Enumerates the smaller table of each split and looks the partner up in the other; 0 * y, 0 / y are
    handled as whole-table matches. Returns (lanes of the summed count products, rows (k, op, a, b)
    when `rows_wanted`, lost rows (k, op, side, position) whose partner left int64).
    """
    nx = tcx.shape[1]
    total = np.zeros(1 + nx, np.int64)
    whole = np.zeros(1 + nx, np.int64)
    rows = np.empty((1 << 6, 4), np.int64)
    nrows = 0
    lost = np.empty((1 << 4, 4), np.int64)
    nlost = 0
    for k in range(i, j):
        a0, a1 = meta[i, k, START], meta[i, k, STOP]
        b0, b1 = meta[k + 1, j, START], meta[k + 1, j, STOP]
        if a0 == a1 or b0 == b1:
            continue
        side = 0 if a1 - a0 <= b1 - b0 else 1
        e0, e1 = (a0, a1) if side == 0 else (b0, b1)
        o0, o1 = (b0, b1) if side == 0 else (a0, a1)
        oi, oj = (k + 1, j) if side == 0 else (i, k)
        for op in range(4):
            if not masks[k] & (1 << op):
                continue
            for e in range(e0, e1):
                kind, pn, pd = _partner(op, side, tn[e], td[e], t_n, t_d)
                if kind == NONE:
                    continue
                if kind == LOST:
                    if nlost == lost.shape[0]:
                        lost = _grow(lost, 2 * nlost)
                    lost[nlost, 0] = k
                    lost[nlost, 1] = op
                    lost[nlost, 2] = side
                    lost[nlost, 3] = e
                    nlost += 1
                    continue
                if kind == ONE:
                    f = _find(meta, tn, td, ix, oi, oj, pn, pd)
                    if f < 0:
                        continue
                    total[0] = _wadd(total[0], _wmul(tc0[e], tc0[f]))
                    for x in range(nx):
                        total[1 + x] = (total[1 + x] + tcx[e, x] * tcx[f, x] % primes[x]) % primes[x]
                    first, last, skip = f, f + 1, -1
                else:
                    skip = -1
                    if kind == ALL_NONZERO:
                        skip = _find(meta, tn, td, ix, oi, oj, 0, 1)
                    _sum_lanes(tc0, tcx, primes, o0, o1, skip, whole)
                    total[0] = _wadd(total[0], _wmul(tc0[e], whole[0]))
                    for x in range(nx):
                        total[1 + x] = (total[1 + x] + tcx[e, x] * whole[1 + x] % primes[x]) % primes[x]
                    first, last = o0, o1
                if not rows_wanted:
                    continue
                for f in range(first, last):
                    if f == skip:
                        continue
                    if nrows == rows.shape[0]:
                        rows = _grow(rows, 2 * nrows)
                    rows[nrows, 0] = k
                    rows[nrows, 1] = op
                    rows[nrows, 2] = e if side == 0 else f
                    rows[nrows, 3] = f if side == 0 else e
                    nrows += 1
    return total, rows[:nrows], lost[:nlost]
