"""Target-directed questions: how many bracketings of an untabled interval have a value, pushed down its splits.

A question store holds (interval, value) -> count lanes, one hash table for all intervals and a list per
interval. `down` expands new questions level by level from the longest intervals (partners asked of the
untabled children), `up` counts them level by level from the shortest, with each interval's defined
count; `next_row` walks a question's matches back for solutions.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import ALL, ALL_NONZERO, DIV, INT64_MAX, LOST, MUL, ONE, _gcd, _helper, _jit, _mul, _partner, _slot, _wadd, _wmul
from .tables import START, STOP, _copy, _find, _grow

QI, QN, QD, QNEXT = 0, 1, 2, 3              # qv[q, :]: interval (i * n + j), value n/d, next question of it
NEW, EXPANDED, COUNTED = 0, 1, 2            # qs[q]: partners not asked yet, asked, counted
OK, LOGGED, PAUSED = 0, 4, 5               # status: done; some partners left int64 (logged for the caller);
                                           # past state[PAUSE_AT] pairs (the caller checks budgets, calls again)
USED, PAIRS, PAUSE_AT = 0, 1, 2            # state[:]: questions asked, pairs looked at, pause point (0: never),
AT_I, AT_Q, STATE_SIZE = 3, 4, 5           # where a paused level resumes: interval start i, question (-1: none;
                                           # AT_Q -2: from the level's start)
ONE_TABLE, ONE_QUESTION, EVERY, EVERY_NONZERO = 0, 1, 2, 3   # what next_row found as the partner
BEYOND = 5                                  # a partner kind: surely past int64 (so in no table without big values)
_MIX = np.int64(6364136223846793005)        # mixes the interval into a question's hash (not a literal:
                                            # `_wmul` would compile once more)


@_helper
def _partner_of(op, side, an, ad, tn, td):
    """`_partner`, with LOST split: BEYOND when the exact partner is surely past int64, LOST when it may fit.

    Products come out of `_apply` in lowest terms, so their overflow is exact; a sum may still reduce after
    its numerator overflowed, unless the denominators are coprime (or both 1), and its denominator is at
    least (ad / g) * (td / g) with g their gcd.
    """
    kind, pn, pd = _partner(op, side, an, ad, tn, td)
    if kind != LOST:
        return kind, pn, pd
    if op == MUL or op == DIV:
        return BEYOND, 0, 1
    if ad == td:
        return (BEYOND if ad == 1 else LOST), 0, 1
    g = _gcd(ad, td)
    if g == 1:
        return BEYOND, 0, 1
    _, over = _mul(ad // g, td // g)
    return (BEYOND if over else LOST), 0, 1


@_helper
def _qfind(qv, qh, x, n, d):
    """The question (interval x, value n/d), or -1."""
    mask = qh.shape[0] - 1
    slot = _slot(_wadd(n, _wmul(x + 1, _MIX)), d, mask)
    while True:
        s = qh[slot]
        if s == 0:
            return -1
        q = s - 1
        if qv[q, QI] == x and qv[q, QN] == n and qv[q, QD] == d:
            return q
        slot = (slot + 1) & mask


@_helper
def _qask(qv, qc, qs, qh, head, used, x, n, d):
    """Add the question (interval x, value n/d) unless present; returns (arrays..., questions used)."""
    if _qfind(qv, qh, x, n, d) >= 0:
        return qv, qc, qs, qh, used
    if used == qv.shape[0]:
        qv, qc, qs = _grow(qv, 2 * used), _grow(qc, 2 * used), _grow(qs, 2 * used)
    if 2 * (used + 1) > qh.shape[0]:
        qh = np.zeros(2 * qh.shape[0], np.int64)
        for q in range(used):
            _qput(qv, qh, q)
    qv[used, QI], qv[used, QN], qv[used, QD], qv[used, QNEXT] = x, n, d, head[x]
    head[x] = used
    qc[used] = 0
    qs[used] = NEW
    _qput(qv, qh, used)
    return qv, qc, qs, qh, used + 1


@_helper
def _qput(qv, qh, q):
    mask = qh.shape[0] - 1
    slot = _slot(_wadd(qv[q, QN], _wmul(qv[q, QI] + 1, _MIX)), qv[q, QD], mask)
    while qh[slot] != 0:
        slot = (slot + 1) & mask
    qh[slot] = q + 1


@_helper
def _open(nb, db, lo, hi):
    """May interval lo..hi have values past int64 (its bounds do not fit)?"""
    return nb[lo, hi] == INT64_MAX or db[lo, hi] == INT64_MAX


@_helper
def _side(meta, built, i, j, k):
    """(side, e0, e1, lo, hi): split k's tabled child to enumerate (the smaller when both are; side 0 the
    left), its entries e0..e1, and the other child lo..hi."""
    ls, rs = meta[i, k, STOP] - meta[i, k, START], meta[k + 1, j, STOP] - meta[k + 1, j, START]
    if not built[k + 1, j] or (built[i, k] and ls <= rs):
        return 0, meta[i, k, START], meta[i, k, STOP], k + 1, j
    return 1, meta[k + 1, j, START], meta[k + 1, j, STOP], i, k


@_jit
def ask(qv, qc, qs, qh, head, state, xs, ns, ds):
    """Add the questions (xs[t], ns[t]/ds[t]); state[0] counts the questions. Returns the arrays."""
    used = state[0]
    for t in range(xs.shape[0]):
        qv, qc, qs, qh, used = _qask(qv, qc, qs, qh, head, used, xs[t], ns[t], ds[t])
    state[0] = used
    return qv, qc, qs, qh


@_jit
def find(qv, qh, xs, ns, ds):
    """The question numbers of (xs[t], ns[t]/ds[t]), -1 where not asked."""
    out = np.empty(xs.shape[0], np.int64)
    for t in range(xs.shape[0]):
        out[t] = _qfind(qv, qh, xs[t], ns[t], ds[t])
    return out


@_helper
def _log(log, nlog, q, k, op, e):
    """Row (question, split, operator, known entry) appended to `log`; returns (log, rows)."""
    if nlog == log.shape[0]:
        log = _grow(log, 2 * nlog)
    log[nlog, 0], log[nlog, 1], log[nlog, 2], log[nlog, 3] = q, k, op, e
    return log, nlog + 1


@_jit
def down(first, last, masks, allowed, built, nb, db, meta, tn, td, qv, qc, qs, qh, head, state):
    """Ask the partners of every new question of the intervals of `first` down to `last` operands.

    A partner in a tabled child is looked up later (`up`); one in an untabled child becomes a question there,
    unless it lies outside that child's bounds |n| <= nb, d <= db (then it has no bracketing).
    Returns (status, level, qv, qc, qs, qh, log): status LOGGED when some partners left int64, with the rows
    (question, split, operator, known entry) in `log`, after finishing `level` (the caller asks those
    partners exactly and goes on below it); PAUSED between two questions of `level` once state[PAIRS] (pairs
    looked at, counted here) reaches state[PAUSE_AT] when that is set (the caller calls again from `level`,
    which resumes at the question after the last one expanded: state[AT_I], state[AT_Q]).
    """
    n = masks.shape[0] + 1
    used = state[0]
    log = np.empty((1 << 4, 4), np.int64)
    nlog = np.int64(0)                      # (a literal 0 would compile _log once more)
    at_i, at_q = state[AT_I], state[AT_Q]
    state[AT_Q] = -2
    for m in range(first, last - 1, -1):
        for i in range(n - m + 1):
            j = i + m - 1
            if built[i, j] or (m == first and at_q != -2 and i < at_i):
                continue
            q = at_q if m == first and at_q != -2 and i == at_i else head[i * n + j]
            while q >= 0:
                if qs[q] == NEW and allowed[i, j]:
                    vn, vd = qv[q, QN], qv[q, QD]
                    for k in range(i, j):
                        side, e0, e1, lo, hi = _side(meta, built, i, j, k)
                        if built[lo, hi]:
                            continue
                        y = lo * n + hi
                        for op in range(4):
                            if not masks[k] & (1 << op):
                                continue
                            state[PAIRS] += e1 - e0
                            for e in range(e0, e1):
                                kind, pn, pd = _partner_of(op, side, tn[e], td[e], vn, vd)
                                if kind == ONE:
                                    if abs(pn) <= nb[lo, hi] and pd <= db[lo, hi]:
                                        qv, qc, qs, qh, used = _qask(qv, qc, qs, qh, head, used, y, pn, pd)
                                elif kind == ALL_NONZERO:
                                    qv, qc, qs, qh, used = _qask(qv, qc, qs, qh, head, used, y, np.int64(0),
                                                                 np.int64(1))
                                elif kind == LOST:     # BEYOND: no question (`up` counts it if it can be)
                                    log, nlog = _log(log, nlog, q, k, op, e)
                if qs[q] == NEW:
                    qs[q] = EXPANDED
                    if state[PAUSE_AT] and state[PAIRS] >= state[PAUSE_AT] and not nlog:
                        state[0] = used
                        state[AT_I], state[AT_Q] = i, qv[q, QNEXT]
                        return PAUSED, m, qv, qc, qs, qh, log[:0]
                q = qv[q, QNEXT]
        if nlog:
            state[0] = used
            return LOGGED, m, qv, qc, qs, qh, log[:nlog]
    state[0] = used
    return OK, last, qv, qc, qs, qh, log[:0]


@_helper
def _muladd(acc, primes, a0, ax, b0, bx):
    """acc += a * b, lane by lane (a0, b0 modulo 2**64; ax, bx rows modulo primes)."""
    acc[0] = _wadd(acc[0], _wmul(a0, b0))
    for x in range(primes.shape[0]):
        acc[1 + x] = (acc[1 + x] + ax[x] * bx[x] % primes[x]) % primes[x]


@_helper
def _zero(n, built, meta, tn, td, ix, tc0, tcx, qv, qc, qh, lo, hi, out):
    """out[:] = the count lanes of value 0 in interval lo..hi."""
    out[:] = 0
    zn, zd = np.int64(0), np.int64(1)       # (literals would compile _find and _qfind once more)
    if built[lo, hi]:
        f = _find(meta, tn, td, ix, lo, hi, zn, zd)
        if f >= 0:
            out[0] = tc0[f]
            for p in range(tcx.shape[1]):
                out[1 + p] = tcx[f, p]
    else:
        f = _qfind(qv, qh, lo * n + hi, zn, zd)
        if f >= 0:
            _copy(out, qc[f])


@_jit
def up(first, last, masks, allowed, built, nb, db, primes, meta, tn, td, ix, tc0, tcx, qv, qc, qs, qh, head, dl, dset,
       state):
    """Count every asked question of the intervals of `first` up to `last` operands, and each interval's
    defined bracketings (dl, once: tabled ones summed, the others over their splits, `/` leaving out the
    divisors equal to 0). Returns (status, level, log) as `down` does: the logged rows are left out of the
    counts of `level`, for the caller to add before going on above it; PAUSED as `down` pauses (the counted
    questions are not counted again, nor looked at: it resumes after the last one counted)."""
    n = masks.shape[0] + 1
    at_i, at_q = state[AT_I], state[AT_Q]
    state[AT_Q] = -2
    log = np.empty((1 << 4, 4), np.int64)
    nlog = np.int64(0)                      # (a literal 0 would compile _log once more)
    nx = primes.shape[0]
    acc = np.zeros(1 + nx, np.int64)
    zero = np.zeros(1 + nx, np.int64)
    whole = np.zeros(1 + nx, np.int64)
    for m in range(first, last + 1):
        for i in range(n - m + 1):
            if m == first and at_q != -2 and i < at_i:
                continue
            j = i + m - 1
            x = i * n + j
            if not dset[x]:
                dl[x] = 0
                if built[i, j]:
                    for e in range(meta[i, j, START], meta[i, j, STOP]):
                        dl[x, 0] = _wadd(dl[x, 0], tc0[e])
                        for p in range(nx):
                            dl[x, 1 + p] = (dl[x, 1 + p] + tcx[e, p]) % primes[p]
                elif allowed[i, j]:
                    for k in range(i, j):
                        a, b = i * n + k, (k + 1) * n + j
                        for op in range(4):
                            if masks[k] & (1 << op):
                                _copy(whole, dl[b])
                                if op == DIV:
                                    _zero(n, built, meta, tn, td, ix, tc0, tcx, qv, qc, qh, k + 1, j, zero)
                                    whole[0] = _wadd(whole[0], -zero[0])
                                    for p in range(nx):
                                        whole[1 + p] = (whole[1 + p] - zero[1 + p]) % primes[p]
                                _muladd(dl[x], primes, dl[a, 0], dl[a, 1:], whole[0], whole[1:])
                dset[x] = 1
            if built[i, j]:
                continue
            q = at_q if m == first and at_q != -2 and i == at_i else head[x]
            while q >= 0:
                if qs[q] != COUNTED:
                    acc[:] = 0
                    vn, vd = qv[q, QN], qv[q, QD]
                    for k in range(i, j):
                        if not allowed[i, j]:
                            break
                        side, e0, e1, lo, hi = _side(meta, built, i, j, k)
                        y = lo * n + hi
                        for op in range(4):
                            if not masks[k] & (1 << op):
                                continue
                            state[PAIRS] += e1 - e0
                            for e in range(e0, e1):
                                kind, pn, pd = _partner_of(op, side, tn[e], td[e], vn, vd)
                                if kind == ONE:
                                    if built[lo, hi]:
                                        f = _find(meta, tn, td, ix, lo, hi, pn, pd)
                                        if f >= 0:
                                            _muladd(acc, primes, tc0[e], tcx[e], tc0[f], tcx[f])
                                    else:
                                        f = _qfind(qv, qh, y, pn, pd)
                                        if f >= 0:
                                            _muladd(acc, primes, tc0[e], tcx[e], qc[f, 0], qc[f, 1:])
                                elif kind == ALL or kind == ALL_NONZERO:
                                    _copy(whole, dl[y])
                                    if kind == ALL_NONZERO:
                                        _zero(n, built, meta, tn, td, ix, tc0, tcx, qv, qc, qh, lo, hi, zero)
                                        whole[0] = _wadd(whole[0], -zero[0])
                                        for p in range(nx):
                                            whole[1 + p] = (whole[1 + p] - zero[1 + p]) % primes[p]
                                    _muladd(acc, primes, tc0[e], tcx[e], whole[0], whole[1:])
                                elif kind == LOST or (kind == BEYOND and not built[lo, hi] and _open(nb, db, lo, hi)):
                                    log, nlog = _log(log, nlog, q, k, op, e)
                    _copy(qc[q], acc)
                    qs[q] = COUNTED
                    if state[PAUSE_AT] and state[PAIRS] >= state[PAUSE_AT] and not nlog:
                        state[AT_I], state[AT_Q] = i, qv[q, QNEXT]
                        return PAUSED, m, log[:0]
                q = qv[q, QNEXT]
        if nlog:
            return LOGGED, m, log[:nlog]
    return OK, last, log[:0]


@_helper
def _nonzero(lanes):
    for x in range(lanes.shape[0]):
        if lanes[x] != 0:
            return True
    return False


@_jit
def next_row(i, j, vn, vd, k0, op0, e0, masks, built, nb, db, primes, meta, tn, td, ix, tc0, tcx, qv, qc, qh, dl):
    """The first match of value vn/vd at interval i..j from split k0, operator op0, entry e0 on (in that
    order): a known entry e of the enumerated child with bracketings of the partner in the other one.
    Returns (k, op, side, e, kind, f): kind ONE_TABLE (f an entry), ONE_QUESTION (f a question), EVERY or
    EVERY_NONZERO (every defined partner, or every nonzero one); k = -1 when there is none."""
    n = masks.shape[0] + 1
    nx = primes.shape[0]
    zero = np.zeros(1 + nx, np.int64)
    whole = np.zeros(1 + nx, np.int64)
    for k in range(k0, j):
        side, a0, a1, lo, hi = _side(meta, built, i, j, k)
        y = lo * n + hi
        for op in range(op0 if k == k0 else 0, 4):
            if not masks[k] & (1 << op):
                continue
            for e in range(max(a0, e0) if k == k0 and op == op0 else a0, a1):
                kind, pn, pd = _partner_of(op, side, tn[e], td[e], vn, vd)
                if kind == ONE:
                    if built[lo, hi]:
                        f = _find(meta, tn, td, ix, lo, hi, pn, pd)
                        if f >= 0:
                            return k, op, side, e, ONE_TABLE, f
                    else:
                        f = _qfind(qv, qh, y, pn, pd)
                        if f >= 0 and _nonzero(qc[f]):
                            return k, op, side, e, ONE_QUESTION, f
                elif kind == ALL or kind == ALL_NONZERO:
                    _copy(whole, dl[y])
                    if kind == ALL_NONZERO:
                        _zero(n, built, meta, tn, td, ix, tc0, tcx, qv, qc, qh, lo, hi, zero)
                        whole[0] = _wadd(whole[0], -zero[0])
                        for p in range(nx):
                            whole[1 + p] = (whole[1 + p] - zero[1 + p]) % primes[p]
                    if _nonzero(whole):
                        return k, op, side, e, EVERY if kind == ALL else EVERY_NONZERO, -1
                elif kind == LOST or (kind == BEYOND and not built[lo, hi] and _open(nb, db, lo, hi)):
                    return k, op, side, e, -1, -1      # the caller finds that partner exactly
    return -1, 0, 0, 0, 0, -1
