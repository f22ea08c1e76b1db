"""Near questions: the k values of an untabled interval nearest a bound on one side, pushed down its splits.

The kernels of `engines/near.py`'s algorithm. A store holds questions (interval, bound n/d or an end, direction)
with up to k values each, in one hash table with a list per interval. `down` asks every new question's pieces
of the untabled children, level by level from the longest; `up` answers them from the shortest: a tabled child
by binary search in its values sorted once (`rank`), an untabled one from its answer. Rows whose arithmetic
leaves int64, or that read an answer kept in Python, are logged for the caller to finish exactly.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import ADD, DIV, DONE, INT64_MAX, MUL, SUB, _apply, _helper, _jit, _slot, _wadd, _wmul
from .order import _lt, order
from .query import _log, _side
from .tables import START, STOP, _copy, _grow

NX, NN, ND, NF, NNEXT, NS = 0, 1, 2, 3, 4, 5   # nq[q, :]: interval i * n + j, bound n/d, flags, next of it, status
UP, END = 1, 2                                # flags: above the bound (else below); the bound is an end (-inf/+inf)
NEW, EXPANDED, ANSWERED, BIG = 0, 1, 2, 3     # status: pieces not asked, asked, answered, answered in Python
OK, LOGGED = 0, 4                             # kernel status (as in query.py)
EVERY, NONZERO, NOTHING = 1, 2, 3             # a known 0 (or a zero divisor): 0 for every / every nonzero x, none
LIVE, LIVE_NONZERO = 1, 2                     # live[x] bits: the interval has a defined, a nonzero defined value
_MIX = np.int64(-7046029254386353131)         # mixes the interval and flags into a question's hash (as `query._MIX`)


@_helper
def _nfind(nq, nh, x, n, d, flags):
    """The question (interval x, bound n/d, flags), or -1."""
    mask = nh.shape[0] - 1
    slot = _slot(_wadd(n, _wmul(x * 4 + flags + 1, _MIX)), d, mask)
    while True:
        s = nh[slot]
        if s == 0:
            return -1
        q = s - 1
        if nq[q, NX] == x and nq[q, NN] == n and nq[q, ND] == d and nq[q, NF] == flags:
            return q
        slot = (slot + 1) & mask


@_helper
def _nput(nq, nh, q):
    mask = nh.shape[0] - 1
    slot = _slot(_wadd(nq[q, NN], _wmul(nq[q, NX] * 4 + nq[q, NF] + 1, _MIX)), nq[q, ND], mask)
    while nh[slot] != 0:
        slot = (slot + 1) & mask
    nh[slot] = q + 1


@_helper
def _nask(nq, nr, nh, head, used, x, n, d, flags):
    """Add the question unless present; returns (nq, nr, nh, questions used)."""
    if _nfind(nq, nh, x, n, d, flags) >= 0:
        return nq, nr, nh, used
    if used == nq.shape[0]:
        nq, nr = _grow(nq, 2 * used), _grow(nr, 2 * used)
    if 2 * (used + 1) > nh.shape[0]:
        nh = np.zeros(2 * nh.shape[0], np.int64)
        for q in range(used):
            _nput(nq, nh, q)
    nq[used, NX], nq[used, NN], nq[used, ND], nq[used, NF] = x, n, d, flags
    nq[used, NNEXT], nq[used, NS] = head[x], NEW
    head[x] = used
    nr[used, 0] = 0
    _nput(nq, nh, used)
    return nq, nr, nh, used + 1


@_jit
def ask(nq, nr, nh, head, state, xs, ns, ds, fs):
    """Add the questions (xs[t], ns[t]/ds[t], fs[t]); state[0] counts them. Returns (nq, nr, nh)."""
    used = state[0]
    for t in range(xs.shape[0]):
        nq, nr, nh, used = _nask(nq, nr, nh, head, used, xs[t], ns[t], ds[t], fs[t])
    state[0] = used
    return nq, nr, nh


@_jit
def find(nq, nh, xs, ns, ds, fs):
    """The question numbers of (xs[t], ns[t]/ds[t], fs[t]), -1 where not asked."""
    out = np.empty(xs.shape[0], np.int64)
    for t in range(xs.shape[0]):
        out[t] = _nfind(nq, nh, xs[t], ns[t], ds[t], fs[t])
    return out


@_helper
def _one(out, inverse, xn, xd, yn, yd, end, xup):
    """The single piece of a monotone `a op x`: x nearest t = x inverse y (an end when `end`) on side `xup`."""
    if end:
        out[0, 0], out[0, 1], out[0, 2] = 0, 1, 1
    else:
        tn, td, flag = _apply(inverse, xn, xd, yn, yd)
        if flag != DONE:
            return 0, 0, True
        out[0, 0], out[0, 1], out[0, 2] = tn, td, 0
    out[0, 3], out[0, 4] = xup, 0
    return 1, 0, False


@_helper
def _pieces(op, side, an, ad, vn, vd, end, up, out):
    """`near.pieces` for a known value a and the bound v (an end when `end`): rows of `out` are (t n, t d,
    t is an end, xup, x must stay short of 0). Returns (pieces, EVERY / NONZERO / NOTHING or 0, lost)."""
    if op == ADD:
        return _one(out, SUB, vn, vd, an, ad, end, up)              # x = v - a
    if op == SUB:
        if side == 0:
            return _one(out, SUB, an, ad, vn, vd, end, not up)      # x = a - v
        return _one(out, ADD, vn, vd, an, ad, end, up)              # x = v + a
    if op == MUL:
        if an == 0:
            return 0, EVERY, False
        return _one(out, DIV, vn, vd, an, ad, end, up == (an > 0))  # x = v / a
    if side == 1:
        if an == 0:
            return 0, NOTHING, False
        return _one(out, MUL, vn, vd, an, ad, end, up == (an > 0))  # x = v * a
    if an == 0:
        return 0, NONZERO, False
    xup = up == (an < 0)                    # a / x decreases in x on each side of 0 when a > 0
    count = 0
    for sign in (-1, 1):                    # the pieces x < 0 and x > 0
        positive = (sign > 0) == (an > 0)   # the sign of a / x there
        at_end = xup == (sign < 0)          # every x of the piece comes from its far end, else from 0
        if end or (positive and vn <= 0 and up) or (not positive and vn >= 0 and not up):
            out[count, 0], out[count, 1], out[count, 2] = 0, 1, 1 if at_end else 0
        elif (positive and vn <= 0) or (not positive and vn >= 0):
            continue
        else:
            tn, td, flag = _apply(DIV, an, ad, vn, vd)              # x = a / v
            if flag != DONE:
                return 0, 0, True
            out[count, 0], out[count, 1], out[count, 2] = tn, td, 0
        out[count, 3], out[count, 4] = xup, 1 if at_end else 0
        count += 1
    return count, 0, False


@_helper
def _clamp(nb, db, lo, hi, tn, td, end, up):
    """`near.canonical` by the bounds of lo..hi: (is it an end now, nothing lies beyond it)."""
    if db[lo, hi] == 0:
        return end, True
    if end or nb[lo, hi] == INT64_MAX:
        return end, False
    m = nb[lo, hi]
    if up:
        if _lt(tn, td, -m, 1):
            return True, False
        return False, not _lt(tn, td, m, 1)
    if _lt(m, 1, tn, td):
        return True, False
    return False, not _lt(-m, 1, tn, td)


@_helper
def _beyond(n, d, vn, vd, end, up):
    """Is n/d strictly on the `up` side of v (an end: always)?"""
    if end:
        return True
    return _lt(vn, vd, n, d) if up else _lt(n, d, vn, vd)


@_helper
def _keep(buf, count, k, n, d, up):
    """Insert n/d into buf[:count] (nearest first: increasing when `up`), keeping k distinct values.
    Returns (count, kept): kept False when n/d is no nearer than the k kept (nor anything past it)."""
    at = count
    while at > 0:
        bn, bd = buf[at - 1, 0], buf[at - 1, 1]
        if bn == n and bd == d:
            return count, True
        if _lt(n, d, bn, bd) == up:
            at -= 1
        else:
            break
    if at >= k:
        return count, False
    for s in range(min(count, k - 1), at, -1):
        buf[s, 0], buf[s, 1] = buf[s - 1, 0], buf[s - 1, 1]
    buf[at, 0], buf[at, 1] = n, d
    return min(count + 1, k), True


@_helper
def _rank(rank, ranked, meta, tn, td, n, lo, hi):
    """Sort interval lo..hi's entries by value into rank[start:stop], once."""
    if not ranked[lo * n + hi]:
        s, e = meta[lo, hi, START], meta[lo, hi, STOP]
        _copy(rank[s:e], order(tn, td, s, e))
        ranked[lo * n + hi] = True


@_helper
def _first(rank, s, e, tn, td, xn, xd, xup):
    """In rank[s:e] (increasing), the index of the first value > x (xup), or one past the last value < x."""
    lo, hi = s, e
    while lo < hi:
        mid = (lo + hi) // 2
        p = rank[mid]
        if (_lt(xn, xd, tn[p], td[p]) if xup else not _lt(tn[p], td[p], xn, xd)):
            hi = mid
        else:
            lo = mid + 1
    return lo


@_helper
def _short(xn, zero_end, xup):
    """Is x (numerator xn) strictly short of the piece's end at 0 (when it has one)?"""
    return not zero_end or (xn < 0 if xup else xn > 0)


@_jit
def down(first, last, k, masks, allowed, built, nb, db, meta, tn, td, nq, nr, nh, head, state):
    """Ask the pieces of every new question of the intervals of `first` down to `last` operands of the untabled
    children (bounds clamped to the child's). Returns (status, level, nq, nr, nh, log) as `query.down` does:
    rows (question, split, operator, known entry) whose bound left int64 are logged after finishing `level`."""
    n = masks.shape[0] + 1
    used = state[0]
    log = np.empty((1 << 4, 4), np.int64)
    nlog = 0
    pcs = np.zeros((2, 5), np.int64)
    for m in range(first, last - 1, -1):
        for i in range(n - m + 1):
            j = i + m - 1
            if built[i, j]:
                continue
            q = head[i * n + j]
            while q >= 0:
                if nq[q, NS] == NEW and allowed[i, j]:
                    vn, vd, flags = nq[q, NN], nq[q, ND], nq[q, NF]
                    up, end = (flags & UP) != 0, (flags & END) != 0
                    for s in range(i, j):
                        side, e0, e1, lo, hi = _side(meta, built, i, j, s)
                        if built[lo, hi]:
                            continue
                        y = lo * n + hi
                        for op in range(4):
                            if not masks[s] & (1 << op):
                                continue
                            for e in range(e0, e1):
                                count, special, lost = _pieces(op, side, tn[e], td[e], vn, vd, end, up, pcs)
                                if lost:
                                    log, nlog = _log(log, nlog, q, s, op, e)
                                    continue
                                for p in range(count):
                                    xup = pcs[p, 3] != 0
                                    at_end, empty = _clamp(nb, db, lo, hi, pcs[p, 0], pcs[p, 1], pcs[p, 2] != 0, xup)
                                    if empty:
                                        continue
                                    tn_, td_ = (0, 1) if at_end else (pcs[p, 0], pcs[p, 1])
                                    nq, nr, nh, used = _nask(nq, nr, nh, head, used, y, tn_, td_,
                                                             (UP if xup else 0) | (END if at_end else 0))
                if nq[q, NS] == NEW:
                    nq[q, NS] = EXPANDED
                q = nq[q, NNEXT]
        if nlog:
            state[0] = used
            return LOGGED, m, nq, nr, nh, log[:nlog]
    state[0] = used
    return OK, last, nq, nr, nh, log[:0]


@_jit
def up(first, last, k, masks, allowed, built, nb, db, live, meta, tn, td, rank, ranked, nq, nr, nh, head):
    """Answer every asked question of the intervals of `first` up to `last` operands: the k nearest of every
    piece's candidates. Rows whose arithmetic leaves int64, or whose child's answer is kept in Python (BIG),
    are logged and left out (the caller merges them in, exactly, after `level`). Returns (status, level, log)."""
    n = masks.shape[0] + 1
    log = np.empty((1 << 4, 4), np.int64)
    nlog = 0
    pcs = np.zeros((2, 5), np.int64)
    buf = np.zeros((max(k, 1), 2), np.int64)
    for m in range(first, last + 1):
        for i in range(n - m + 1):
            j = i + m - 1
            if built[i, j]:
                continue
            q = head[i * n + j]
            while q >= 0:
                if nq[q, NS] < ANSWERED:
                    count = 0
                    vn, vd, flags = nq[q, NN], nq[q, ND], nq[q, NF]
                    up, end = (flags & UP) != 0, (flags & END) != 0
                    for s in range(i, j):
                        if not allowed[i, j]:
                            break
                        side, e0, e1, lo, hi = _side(meta, built, i, j, s)
                        y = lo * n + hi
                        tabled = built[lo, hi]
                        if tabled:
                            _rank(rank, ranked, meta, tn, td, n, lo, hi)
                        c0, c1 = meta[lo, hi, START], meta[lo, hi, STOP]
                        for op in range(4):
                            if not masks[s] & (1 << op):
                                continue
                            for e in range(e0, e1):
                                an, ad = tn[e], td[e]
                                pieces, special, lost = _pieces(op, side, an, ad, vn, vd, end, up, pcs)
                                if lost:
                                    log, nlog = _log(log, nlog, q, s, op, e)
                                    continue
                                if special == EVERY or special == NONZERO:
                                    if _beyond(0, 1, vn, vd, end, up) and live[y] & (LIVE if special == EVERY
                                                                                      else LIVE_NONZERO):
                                        count, _ = _keep(buf, count, k, 0, 1, up)
                                    continue
                                for p in range(pieces):
                                    xup, zero_end = pcs[p, 3] != 0, pcs[p, 4] != 0
                                    if tabled:
                                        if pcs[p, 2]:
                                            at = c0 if xup else c1
                                        else:
                                            at = _first(rank, c0, c1, tn, td, pcs[p, 0], pcs[p, 1], xup)
                                        for t in range(k):
                                            x = at + t if xup else at - 1 - t
                                            if x < c0 or x >= c1:
                                                break
                                            xn, xd = tn[rank[x]], td[rank[x]]
                                            if not _short(xn, zero_end, xup):
                                                break
                                            rn, rd, flag = _apply(op, an, ad, xn, xd) if side == 0 else \
                                                _apply(op, xn, xd, an, ad)
                                            if flag != DONE:
                                                log, nlog = _log(log, nlog, q, s, op, e)
                                                break
                                            count, kept = _keep(buf, count, k, rn, rd, up)
                                            if not kept:
                                                break
                                    else:
                                        at_end, empty = _clamp(nb, db, lo, hi, pcs[p, 0], pcs[p, 1], pcs[p, 2] != 0,
                                                               xup)
                                        if empty:
                                            continue
                                        tn_, td_ = (0, 1) if at_end else (pcs[p, 0], pcs[p, 1])
                                        f = _nfind(nq, nh, y, tn_, td_, (UP if xup else 0) | (END if at_end else 0))
                                        if f < 0 or nq[f, NS] == BIG:
                                            log, nlog = _log(log, nlog, q, s, op, e)
                                            continue
                                        for t in range(nr[f, 0]):
                                            xn, xd = nr[f, 1 + 2 * t], nr[f, 2 + 2 * t]
                                            if not _short(xn, zero_end, xup):
                                                break
                                            rn, rd, flag = _apply(op, an, ad, xn, xd) if side == 0 else \
                                                _apply(op, xn, xd, an, ad)
                                            if flag != DONE:
                                                log, nlog = _log(log, nlog, q, s, op, e)
                                                break
                                            count, kept = _keep(buf, count, k, rn, rd, up)
                                            if not kept:
                                                break
                    nr[q, 0] = count
                    for t in range(count):
                        nr[q, 1 + 2 * t], nr[q, 2 + 2 * t] = buf[t, 0], buf[t, 1]
                    nq[q, NS] = ANSWERED
                q = nq[q, NNEXT]
        if nlog:
            return LOGGED, m, log[:nlog]
    return OK, last, log[:0]


@_jit
def table_near(rank, ranked, meta, tn, td, n, lo, hi, xn, xd, end, xup, k):
    """The positions of the k values of tabled interval lo..hi nearest x (an end when `end`) on side `xup`."""
    _rank(rank, ranked, meta, tn, td, n, lo, hi)
    c0, c1 = meta[lo, hi, START], meta[lo, hi, STOP]
    at = (c0 if xup else c1) if end else _first(rank, c0, c1, tn, td, xn, xd, xup)
    if xup:
        return rank[at:min(at + k, c1)].copy()
    return rank[max(at - k, c0):at][::-1].copy()
