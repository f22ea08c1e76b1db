"""Selection in a table by exact comparison: the values nearest a target, the smallest values (no full sort)."""

from __future__ import annotations

import numba
import numpy as np

from .arith import _jit
from .order import _less


@numba.njit
def _keep(buf, count, k, tn, td, e, down):
    """Insert entry e into buf[:count] (increasing, or decreasing when `down`), keeping the first k;
    returns the new count."""
    at = count
    while at > 0 and _before(tn, td, e, buf[at - 1], down):
        at -= 1
    if at >= k:
        return count
    stop = min(count, k - 1)
    for s in range(stop, at, -1):
        buf[s] = buf[s - 1]
    buf[at] = e
    return min(count + 1, k)


@numba.njit
def _before(tn, td, e, f, down):
    if down:
        return _less(tn[f], td[f], tn[e], td[e])
    return _less(tn[e], td[e], tn[f], td[f])


@_jit
def nearest(tn, td, start, stop, t_n, t_d, k):
    """(below, above): the positions of the k largest values < t (decreasing) and the k smallest > t
    (increasing) among entries start..stop-1."""
    below = np.empty(max(k, 1), np.int64)
    above = np.empty(max(k, 1), np.int64)
    nb = na = 0
    if k == 0:
        return below[:0], above[:0]
    for e in range(start, stop):
        if _less(tn[e], td[e], t_n, t_d):
            nb = _keep(below, nb, k, tn, td, e, True)
        elif _less(t_n, t_d, tn[e], td[e]):
            na = _keep(above, na, k, tn, td, e, False)
    return below[:nb], above[:na]


@_jit
def smallest(tn, td, start, stop, k):
    """The positions of the k smallest values among entries start..stop-1, increasing."""
    out = np.empty(max(k, 1), np.int64)
    count = 0
    for e in range(start, stop):
        if k:
            count = _keep(out, count, k, tn, td, e, False)
    return out[:count]
