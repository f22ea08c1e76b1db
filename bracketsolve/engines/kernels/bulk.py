"""The interval DP of many small puzzles in one call, with the reference engine's table order, so that the
solutions found and rendered here come in the reference's order; a puzzle whose arithmetic leaves int64 is
flagged, not answered.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import ALL, DIV, LOST, NONE, ONE, OVERFLOW, UNDEFINED, _apply, _jit, _partner, _slot
from .lines import MAX_OPERANDS
from .order import _less, order
from .tables import _grow
from .walk import _find, first_tree, next_tree, render

SOLVED, TOO_BIG, OVERFLOWED = 0, 1, 2      # done; past max_total bracketings or max_bytes (not done); some value left int64
_BYTES = 24                                # bytes of one table entry (value and count)


@numba.njit
def _shapes(n, allowed):
    """Bracketing shapes of n operands that keep the fixed groups (`allowed[i, j]`: may i..j be a subtree)."""
    ways = np.zeros((n, n), np.int64)
    for i in range(n):
        ways[i, i] = 1
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            if allowed[i, j]:
                for k in range(i, j):
                    ways[i, j] += ways[i, k] * ways[k + 1, j]
    return ways[0, n - 1]


@numba.njit
def _ops(m):
    return (m & 1) + (m >> 1 & 1) + (m >> 2 & 1) + (m >> 3 & 1)


@numba.njit
def _build(i, j, masks, f, start, stop, base, cap, tn, td, tc, ix, used, iused, max_bytes):
    """Interval i..j's table, values in first-seen order over (split, operator, left entry, right entry), as
    the reference builds it; returns (tn, td, tc, ix, used, iused, flag, pairs): flag OVERFLOWED when a value
    left int64, TOO_BIG when the tables would hold more than `max_bytes`, else SOLVED; pairs the value pairs
    combined as the reference counts them."""
    start[i, j], stop[i, j], cap[i, j], base[i, j] = used, used, 0, iused
    bound = 0
    for k in range(i, j):
        bound += (stop[i, k] - start[i, k]) * (stop[k + 1, j] - start[k + 1, j]) * _ops(masks[f + k])
    if bound == 0:
        return tn, td, tc, ix, used, iused, SOLVED, 0
    slots = 8
    while slots < 2 * bound:
        slots <<= 1
    if _BYTES * (used + bound) + 8 * (iused + slots) > max_bytes:
        return tn, td, tc, ix, used, iused, TOO_BIG, bound
    if used + bound > tn.shape[0]:
        size = max(used + bound, min(2 * tn.shape[0], max_bytes // (2 * _BYTES)))
        tn, td, tc = _grow(tn, size), _grow(td, size), _grow(tc, size)
    if iused + slots > ix.shape[0]:
        ix = _grow(ix, max(iused + slots, min(2 * ix.shape[0], max_bytes // 16)))
    ix[iused:iused + slots] = 0
    hmask = slots - 1
    e0 = used
    for k in range(i, j):
        a0, a1, b0, b1 = start[i, k], stop[i, k], start[k + 1, j], stop[k + 1, j]
        if a0 == a1 or b0 == b1:
            continue
        for op in range(4):
            if not masks[f + k] & (1 << op):
                continue
            for a in range(a0, a1):
                for b in range(b0, b1):
                    rn, rd, flag = _apply(op, tn[a], td[a], tn[b], td[b])
                    if flag == UNDEFINED:
                        continue
                    if flag == OVERFLOW:
                        return tn, td, tc, ix, used, iused, OVERFLOWED, bound
                    c = tc[a] * tc[b]
                    slot = _slot(rn, rd, hmask)
                    while True:
                        x = ix[iused + slot]
                        if x == 0:
                            tn[used], td[used], tc[used] = rn, rd, c
                            used += 1
                            ix[iused + slot] = used - e0
                            break
                        x += e0 - 1
                        if tn[x] == rn and td[x] == rd:
                            tc[x] += c
                            break
                        slot = (slot + 1) & hmask
    stop[i, j], cap[i, j] = used, slots
    return tn, td, tc, ix, used, iused + slots, SOLVED, bound


@_jit
def solve(todo, size, first, num, den, mask, glyph, gfirst, gcount, glo, ghi, tnum, tden, text, lit0, lit1,
          max_total, listed, near, shown, max_bytes, max_shapes):
    """Count the bracketings of each puzzle p in `todo` equal to its target; list and render its first
    `listed` solutions; when it has none and `near` > 0, also its `shown` smallest values and its `near`
    nearest values below and above the target, each with its first bracketing. A puzzle whose tables would
    hold more than `max_bytes` is left (TOO_BIG), as one past `max_total` bracketings or `max_shapes` tree shapes is.

    Puzzle p has operands first[p]..first[p]+size[p]-1 (reduced values num/den, literals text[lit0:lit1],
    slot masks and glyph positions as `lines.read` gives them, -1 where the solution chooses the operator),
    fixed groups rows gfirst[p].. of glo, ghi, and the target tnum[p]/tden[p].
    Returns (status, count, total, defined, work, rootwork, distinct, vfirst, vcount, vn, vd, rfirst,
    rsolutions, rnear, rn, rd, rc, r0, r1, rcode, codes, out): per puzzle its status (SOLVED; TOO_BIG: more
    than `max_total` bracketings or `max_shapes` shapes; OVERFLOWED: a value left int64; neither is answered), exact counts (totals
    stay below 2**63), the value pairs combined below the whole side and those the whole side's table
    would take (as the reference counts them, for its work budget), the distinct values of the whole side (-1 when not built) and its smallest ones (rows
    vfirst[p].. of vn/vd); its records rfirst[p].. (rsolutions[p] solutions, then rnear[p] near values),
    each a value rn/rd with count rc, a bracketing rendered as out[r0:r1] and coded at codes[rcode:] as
    the operator of each slot, then the slots in preorder.
    """
    puzzles = size.shape[0]
    status = np.full(puzzles, TOO_BIG, np.int8)
    count, total, defined = np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64)
    distinct = np.full(puzzles, -1, np.int64)
    work, rootwork = np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64)
    vfirst, vcount = np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64)
    rfirst, rsolutions, rnear = np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64)
    vn, vd = np.zeros(16, np.int64), np.zeros(16, np.int64)
    rn, rd, rc = np.zeros(16, np.int64), np.zeros(16, np.int64), np.zeros(16, np.int64)
    r0, r1, rcode = np.zeros(16, np.int64), np.zeros(16, np.int64), np.zeros(16, np.int64)
    codes = np.zeros(64, np.int64)
    out = np.empty(1 << 12, np.uint8)
    nvals, nrecords, ncodes, written = 0, 0, 0, 0
    tn, td, tc = np.empty(1 << 10, np.int64), np.empty(1 << 10, np.int64), np.empty(1 << 10, np.int64)
    ix = np.zeros(1 << 12, np.int64)
    start = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    stop = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    base = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    cap = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    allowed = np.ones((MAX_OPERANDS, MAX_OPERANDS), np.bool_)
    nodes = np.zeros((MAX_OPERANDS, 10), np.int64)
    tasks = np.zeros((2 * MAX_OPERANDS + 2, 6), np.int64)
    opens, closes = np.zeros(MAX_OPERANDS, np.int64), np.zeros(MAX_OPERANDS, np.int64)
    none = np.zeros(0, np.int64)
    for q in range(todo.shape[0]):
        p = todo[q]
        n, f = size[p], first[p]
        t_n, t_d = tnum[p], tden[p]
        allowed[:n, :n] = True
        for r in range(gfirst[p], gfirst[p] + gcount[p]):
            g, h = glo[r], ghi[r]
            for i in range(n):
                for j in range(i, n):
                    if (i < g <= j < h) or (g < i <= h < j):
                        allowed[i, j] = False
        shapes = _shapes(n, allowed)
        choices = 1
        for k in range(n - 1):
            choices *= _ops(mask[f + k])
            if choices > max_total:
                break
        if shapes > max_total or shapes > max_shapes or choices > max_total // shapes:
            continue
        total[p] = shapes * choices
        # operand tables, then every interval shorter than the whole side
        used, iused, lost, flag = 0, 0, False, SOLVED
        for i in range(n):
            tn[used], td[used], tc[used] = num[f + i], den[f + i], 1
            start[i, i], stop[i, i], cap[i, i] = used, used + 1, 0
            used += 1
        for length in range(2, n):
            for i in range(n - length + 1):
                j = i + length - 1
                if not allowed[i, j]:
                    start[i, j], stop[i, j], cap[i, j] = used, used, 0
                    continue
                tn, td, tc, ix, used, iused, flag, pairs = _build(i, j, mask, f, start, stop, base, cap, tn, td, tc,
                                                                  ix, used, iused, max_bytes)
                work[p] += pairs
                if flag != SOLVED:
                    break
            if flag != SOLVED:
                break
        if flag != SOLVED:
            status[p] = flag
            continue
        # the whole side: the target's count and the defined bracketings, split by split (no root table)
        if n == 1:
            count[p] = 1 if (num[f] == t_n and den[f] == t_d) else 0
            defined[p] = 1
        for k in range(n - 1):
            a0, a1, b0, b1 = start[0, k], stop[0, k], start[k + 1, n - 1], stop[k + 1, n - 1]
            if a0 == a1 or b0 == b1:
                continue
            rootwork[p] += (a1 - a0) * (b1 - b0) * _ops(mask[f + k])
            dl, dr = 0, 0
            for a in range(a0, a1):
                dl += tc[a]
            for b in range(b0, b1):
                dr += tc[b]
            z = _find(tn, td, ix, b0, b1, base[k + 1, n - 1], cap[k + 1, n - 1], 0, 1)
            zeros = tc[z] if z >= 0 else 0
            side = 0 if a1 - a0 <= b1 - b0 else 1
            e0, e1, o0, o1 = (a0, a1, b0, b1) if side == 0 else (b0, b1, a0, a1)
            oi, oj = (k + 1, n - 1) if side == 0 else (0, k)
            osum = dr if side == 0 else dl
            for op in range(4):
                if not mask[f + k] & (1 << op):
                    continue
                defined[p] += dl * (dr - zeros if op == DIV else dr)
                for e in range(e0, e1):
                    kind, pn, pd = _partner(op, side, tn[e], td[e], t_n, t_d)
                    if kind == NONE:
                        continue
                    if kind == LOST:
                        lost = True
                    elif kind == ONE:
                        x = _find(tn, td, ix, o0, o1, base[oi, oj], cap[oi, oj], pn, pd)
                        if x >= 0:
                            count[p] += tc[e] * tc[x]
                    elif kind == ALL:
                        count[p] += tc[e] * osum
                    else:                               # ALL_NONZERO: side 0, so the other table is the right
                        count[p] += tc[e] * (osum - zeros)
        if lost:
            status[p] = OVERFLOWED
            continue
        # records: the first `listed` solutions, or, when there is none, the values nearest the target
        wanted = min(count[p], listed)
        values = none
        if count[p] == 0 and near > 0:
            if n > 1:
                tn, td, tc, ix, used, iused, flag, _ = _build(0, n - 1, mask, f, start, stop, base, cap, tn, td, tc,
                                                              ix, used, iused, max_bytes)
                if flag != SOLVED:
                    status[p] = flag
                    continue
            else:
                start[0, 0], stop[0, 0] = 0, 1
            s0, s1 = start[0, n - 1], stop[0, n - 1]
            ordered = order(tn, td, s0, s1)
            values = ordered
            distinct[p] = s1 - s0
            at = 0                              # values below the target come first
            while at < values.shape[0] and _less(tn[values[at]], td[values[at]], t_n, t_d):
                at += 1
            lo, hi = max(0, at - near), min(values.shape[0], at + near)
            values = values[lo:hi]
            vcount[p] = min(shown, s1 - s0)
            if nvals + vcount[p] > vn.shape[0]:
                vn, vd = _grow(vn, 2 * (nvals + vcount[p])), _grow(vd, 2 * (nvals + vcount[p]))
            vfirst[p] = nvals
            head = ordered[:vcount[p]]
            for v in range(vcount[p]):
                vn[nvals + v], vd[nvals + v] = tn[head[v]], td[head[v]]
            nvals += vcount[p]
        records = wanted + values.shape[0]
        if nrecords + records > rn.shape[0]:
            more = 2 * (nrecords + records)
            rn, rd, rc, r0, r1, rcode = _grow(rn, more), _grow(rd, more), _grow(rc, more), _grow(r0, more), \
                _grow(r1, more), _grow(rcode, more)
        if ncodes + 2 * n * records > codes.shape[0]:
            codes = _grow(codes, 2 * (ncodes + 2 * n * records))
        rfirst[p] = nrecords
        nused = 0
        for r in range(records):
            if r < wanted:
                vn_, vd_, c = t_n, t_d, 1
            else:
                e = values[r - wanted]
                vn_, vd_, c = tn[e], td[e], tc[e]
            if r == 0 or r >= wanted:
                nused, ok = first_tree(nodes, tasks, n, vn_, vd_, mask, f, start, stop, base, cap, tn, td, ix)
                state = 0 if ok else 2
            else:
                nused, state = next_tree(nodes, nused, tasks, mask, f, start, stop, base, cap, tn, td, ix)
            if state != 0:                      # a partner left int64 (or, never, fewer solutions than counted)
                lost = True
                break
            rn[nrecords], rd[nrecords], rc[nrecords], r0[nrecords], rcode[nrecords] = vn_, vd_, c, written, ncodes
            out, written = render(nodes, nused, n, f, text, lit0, lit1, glyph, codes, ncodes, out, written, opens,
                                  closes)
            r1[nrecords] = written
            ncodes += 2 * (n - 1)
            nrecords += 1
        if lost:
            status[p] = OVERFLOWED
            continue
        rsolutions[p], rnear[p] = wanted, values.shape[0]
        status[p] = SOLVED
    return (status, count, total, defined, work, rootwork, distinct, vfirst, vcount, vn[:nvals], vd[:nvals], rfirst,
            rsolutions,
            rnear, rn[:nrecords], rd[:nrecords], rc[:nrecords], r0[:nrecords], r1[:nrecords], rcode[:nrecords],
            codes[:ncodes], out[:written])
