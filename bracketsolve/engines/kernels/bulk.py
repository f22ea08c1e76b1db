"""The interval DP of many small puzzles in one call, with the reference engine's table order, so that the
first solution (found and rendered here) is the reference's; a puzzle whose arithmetic leaves int64 is flagged.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import ALL, ALL_NONZERO, DIV, LOST, MUL, NONE, ONE, OVERFLOW, UNDEFINED, _apply, _jit, _partner, _slot
from .lines import MAX_OPERANDS
from .tables import _grow

SOLVED, TOO_BIG, OVERFLOWED = 0, 1, 2      # done; past max_total bracketings (not done); some value left int64
_SPACE = 32
_OPS = np.array([43, 45, 42, 47], np.uint8)  # "+-*/": how a slot that the solution chooses is rendered


# --- the interval DP of each puzzle, tables in the reference engine's insertion order ----------------------

@numba.njit
def _find(tn, td, ix, start, stop, base, cap, n, d):
    """The position of value n/d in the table start..stop (its index at ix[base:base + cap]), or -1."""
    if cap == 0:
        for e in range(start, stop):
            if tn[e] == n and td[e] == d:
                return e
        return -1
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
def _precedence(op):
    return 2 if op >= MUL else 1


@_jit
def solve(todo, size, first, num, den, mask, glyph, gfirst, gcount, glo, ghi, tnum, tden, text, lit0, lit1,
          max_total, render):
    """Count the bracketings of each puzzle p in `todo` equal to its target, and find its first solution.

    Puzzle p has operands first[p]..first[p]+size[p]-1 (reduced values num/den, literals text[lit0:lit1],
    slot masks and glyph positions as `read` gives them, -1 for a glyph the solution chooses), fixed groups
    rows gfirst[p].. of glo, ghi, and the target tnum[p]/tden[p].
    Returns (status, count, total, defined, op, order, out, out0, out1), arrays over puzzles or operand
    rows: status SOLVED, TOO_BIG (more than `max_total` bracketings: not done) or OVERFLOWED (some value
    left int64: not done); counts (exact: totals are below 2**63); the first solution as the operator of
    each slot (op[first[p] + k]) and the slots in preorder (order[first[p]..]), and, when `render`, its
    text with the fewest parentheses as out[out0[p]:out1[p]].
    """
    puzzles = size.shape[0]
    status = np.full(puzzles, TOO_BIG, np.int8)
    count = np.zeros(puzzles, np.int64)
    total = np.zeros(puzzles, np.int64)
    defined = np.zeros(puzzles, np.int64)
    tree_op = np.full(num.shape[0], -1, np.int64)
    order = np.full(num.shape[0], -1, np.int64)
    out = np.empty(1 << 12, np.uint8)
    out0, out1 = np.zeros(puzzles, np.int64), np.zeros(puzzles, np.int64)
    used_out = 0
    tn, td, tc = np.empty(1 << 10, np.int64), np.empty(1 << 10, np.int64), np.empty(1 << 10, np.int64)
    ix = np.zeros(1 << 12, np.int64)
    start = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    stop = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    base = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    cap = np.zeros((MAX_OPERANDS, MAX_OPERANDS), np.int64)
    allowed = np.ones((MAX_OPERANDS, MAX_OPERANDS), np.bool_)
    tasks = np.zeros((2 * MAX_OPERANDS, 6), np.int64)     # first-solution walk: lo, hi, n, d, parent precedence, right
    opens = np.zeros(MAX_OPERANDS, np.int64)
    closes = np.zeros(MAX_OPERANDS, np.int64)
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
            choices *= (mask[f + k] & 1) + (mask[f + k] >> 1 & 1) + (mask[f + k] >> 2 & 1) + (mask[f + k] >> 3 & 1)
            if choices > max_total:
                break
        if shapes > max_total or choices > max_total // shapes:
            continue
        total[p] = shapes * choices
        # operand tables, then every interval shorter than the whole side
        used, iused, lost = 0, 0, False
        for i in range(n):
            tn[used], td[used], tc[used] = num[f + i], den[f + i], 1
            start[i, i], stop[i, i], cap[i, i] = used, used + 1, 0
            used += 1
        for length in range(2, n):
            for i in range(n - length + 1):
                j = i + length - 1
                start[i, j], stop[i, j], cap[i, j], base[i, j] = used, used, 0, iused
                if not allowed[i, j]:
                    continue
                bound = 0
                for k in range(i, j):
                    m = mask[f + k]
                    ops = (m & 1) + (m >> 1 & 1) + (m >> 2 & 1) + (m >> 3 & 1)
                    bound += (stop[i, k] - start[i, k]) * (stop[k + 1, j] - start[k + 1, j]) * ops
                if bound == 0:
                    continue
                if used + bound > tn.shape[0]:
                    size_ = max(2 * tn.shape[0], used + bound)
                    tn, td, tc = _grow(tn, size_), _grow(td, size_), _grow(tc, size_)
                slots = 8
                while slots < 2 * bound:
                    slots <<= 1
                if iused + slots > ix.shape[0]:
                    ix = _grow(ix, max(2 * ix.shape[0], iused + slots))
                ix[iused:iused + slots] = 0
                hmask = slots - 1
                e0 = used
                for k in range(i, j):
                    a0, a1 = start[i, k], stop[i, k]
                    b0, b1 = start[k + 1, j], stop[k + 1, j]
                    if a0 == a1 or b0 == b1:
                        continue
                    for op in range(4):
                        if not mask[f + k] & (1 << op):
                            continue
                        for a in range(a0, a1):
                            for b in range(b0, b1):
                                rn, rd, flag = _apply(op, tn[a], td[a], tn[b], td[b])
                                if flag == UNDEFINED:
                                    continue
                                if flag == OVERFLOW:
                                    lost = True
                                    break
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
                            if lost:
                                break
                        if lost:
                            break
                    if lost:
                        break
                if lost:
                    break
                stop[i, j], cap[i, j] = used, slots
                iused += slots
            if lost:
                break
        if lost:
            status[p] = OVERFLOWED
            continue
        # the whole side: the target's count and the defined bracketings, split by split (no root table)
        if n == 1:
            count[p] = 1 if (num[f] == t_n and den[f] == t_d) else 0
            defined[p] = 1
        for k in range(n - 1):
            a0, a1, b0, b1 = start[0, k], stop[0, k], start[k + 1, n - 1], stop[k + 1, n - 1]
            if a0 == a1 or b0 == b1:
                continue
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
        status[p] = SOLVED
        if count[p] == 0:
            continue
        # the first solution in the reference's order: per interval, the first split, operator and left value
        # (in table order) whose partner is in the right table; every table value has a bracketing below it
        opens[:n] = 0
        closes[:n] = 0
        tasks[0, 0], tasks[0, 1], tasks[0, 2], tasks[0, 3], tasks[0, 4], tasks[0, 5] = 0, n - 1, t_n, t_d, 0, 0
        waiting, preorder = 1, 0
        while waiting:
            waiting -= 1
            lo, hi, vn, vd = tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2], tasks[waiting, 3]
            parent, right = tasks[waiting, 4], tasks[waiting, 5]
            if lo == hi:
                continue
            hit_k, hit_op, hit_a, hit_bn, hit_bd = -1, -1, -1, 0, 1
            for k in range(lo, hi):
                a0, a1, b0, b1 = start[lo, k], stop[lo, k], start[k + 1, hi], stop[k + 1, hi]
                if a0 == a1 or b0 == b1:
                    continue
                for op in range(4):
                    if not mask[f + k] & (1 << op):
                        continue
                    for a in range(a0, a1):
                        kind, pn, pd = _partner(op, 0, tn[a], td[a], vn, vd)
                        x = -1
                        if kind == ONE:
                            x = _find(tn, td, ix, b0, b1, base[k + 1, hi], cap[k + 1, hi], pn, pd)
                        elif kind == ALL:
                            x = b0
                        elif kind == ALL_NONZERO:
                            for b in range(b0, b1):
                                if tn[b] != 0:
                                    x = b
                                    break
                        elif kind == LOST:
                            lost = True
                        if x >= 0 or lost:
                            hit_k, hit_op, hit_a = k, op, a
                            if x >= 0:
                                hit_bn, hit_bd = tn[x], td[x]
                            break
                    if hit_k >= 0:
                        break
                if hit_k >= 0:
                    break
            if lost or hit_k < 0:
                lost = True
                break
            tree_op[f + hit_k] = hit_op
            order[f + preorder] = hit_k
            preorder += 1
            mine = _precedence(hit_op)
            if parent and (mine < parent or (right and mine == parent)):
                opens[lo] += 1
                closes[hi] += 1
            tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2] = hit_k + 1, hi, hit_bn
            tasks[waiting, 3], tasks[waiting, 4], tasks[waiting, 5] = hit_bd, mine, 1
            waiting += 1
            tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2] = lo, hit_k, tn[hit_a]
            tasks[waiting, 3], tasks[waiting, 4], tasks[waiting, 5] = td[hit_a], mine, 0
            waiting += 1
        if lost:
            status[p] = OVERFLOWED
            continue
        if not render:
            continue
        length = 0
        for i in range(n):
            length += opens[i] + closes[i] + lit1[f + i] - lit0[f + i] + 2
            if glyph[f + i] >= 0:
                length += 8
        if used_out + length + 8 > out.shape[0]:
            out = _grow(out, max(2 * out.shape[0], used_out + length + 8))
        out0[p] = used_out
        for i in range(n):
            for _ in range(opens[i]):
                out[used_out] = 40
                used_out += 1
            for c in range(lit0[f + i], lit1[f + i]):
                out[used_out] = text[c]
                used_out += 1
            for _ in range(closes[i]):
                out[used_out] = 41
                used_out += 1
            if i < n - 1:
                out[used_out] = _SPACE
                used_out += 1
                if glyph[f + i] >= 0:
                    c = glyph[f + i]
                    out[used_out] = text[c]
                    used_out += 1
                    while c + 1 < text.shape[0] and text[c + 1] & 0xC0 == 0x80:    # the rest of a UTF-8 glyph
                        c += 1
                        out[used_out] = text[c]
                        used_out += 1
                else:
                    out[used_out] = _OPS[tree_op[f + i]]
                    used_out += 1
                out[used_out] = _SPACE
                used_out += 1
        out1[p] = used_out
    return status, count, total, defined, tree_op, order, out, out0, out1
