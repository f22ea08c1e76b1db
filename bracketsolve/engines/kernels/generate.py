"""The generator's batch kernel: every bracketing of many draws at once, grouped by exact value, with the
targets a generator may pick (solutions, near misses) and the difficulty figures of each.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import ADD, DIV, DONE, INT64_MAX, MUL, OVERFLOW, SUB, UNDEFINED, _add, _apply, _jit, _mul, _reduce, _sub
from .order import _less

# kinds of puzzle (the options' O_KIND)
UNIQUE, SOLVABLE, UNSOLVABLE, ANY = 0, 1, 2, 3
# options, one int64 each
(O_KIND, O_MIN_DEPTH, O_NEGATIVES, O_DECIMALS, O_HAS_LO, O_LO_N, O_LO_D, O_HAS_HI, O_HI_N, O_HI_D, O_STEP_N,
 O_STEP_D, O_MIN_EFFORT, O_MAX_EFFORT, O_MIN_SOLUTIONS, O_MAX_SOLUTIONS, O_MIN_NEAR, O_COUNT) = range(18)
# a candidate target's fields (a row of `pool`); -1 for "none"
(F_N, F_D, F_SOLUTIONS, F_CLASSES, F_MIN_DEPTH, F_MIN_PAIRS, F_BEST, F_EFFORT, F_NEAR_1, F_NEAR_1PCT, F_HAS_BELOW,
 F_BELOW_N, F_BELOW_D, F_HAS_ABOVE, F_ABOVE_N, F_ABOVE_D, F_COUNT) = range(17)
# a draw's fields (a row of `info`)
I_STATUS, I_START, I_SIZE, I_VALUES, I_UNDEFINED, I_STATES, I_COUNT = range(7)
OK = 0
WORK_ROWS = 13                   # scratch rows of `_one`


@numba.njit
def _op(op, an, ad, bn, bd):
    """`a op b` without reducing (d > 0 kept): checked int64 products, no gcd; a whole quotient comes out whole.
    When a product leaves int64, both sides are reduced and `_apply` tries again (OVERFLOW if that fails too)."""
    if op == DIV:
        if bn == 0:
            return 0, 1, UNDEFINED
        if ad == 1 and bd == 1 and an % bn == 0:
            return an // bn, 1, DONE
        if bn < 0:
            xn, xd = -bd, -bn
        else:
            xn, xd = bd, bn
        n, o1 = _mul(an, xn)
        d, o2 = _mul(ad, xd)
        if not (o1 or o2 or n == -INT64_MAX - 1):
            return n, d, DONE
    elif op == MUL:
        n, o1 = _mul(an, bn)
        d, o2 = _mul(ad, bd)
        if not (o1 or o2 or n == -INT64_MAX - 1):
            return n, d, DONE
    elif ad == bd:
        if op == ADD:
            n, o1 = _add(an, bn)
        else:
            n, o1 = _sub(an, bn)
        if not (o1 or n == -INT64_MAX - 1):
            return n, ad, DONE
    else:
        x, o1 = _mul(an, bd)
        y, o2 = _mul(bn, ad)
        if op == ADD:
            n, o3 = _add(x, y)
        else:
            n, o3 = _sub(x, y)
        d, o4 = _mul(ad, bd)
        if not (o1 or o2 or o3 or o4 or n == -INT64_MAX - 1):
            return n, d, DONE
    an, ad, f1 = _reduce(an, ad)
    bn, bd, f2 = _reduce(bn, bd)
    if f1 == OVERFLOW or f2 == OVERFLOW:
        return 0, 1, OVERFLOW
    return _apply(op, an, ad, bn, bd)


@numba.njit
def _lt(an, ad, bn, bd):
    """a/b < c/d exactly: a plain comparison when the denominators agree (whole values), else `_less`."""
    if ad == bd:
        return an < bn
    return _less(an, ad, bn, bd)


@numba.njit
def _lower(gn, gd, count, xn, xd):
    """The first index whose value is >= x in the sorted distinct values."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if _lt(gn[mid], gd[mid], xn, xd):
            lo = mid + 1
        else:
            hi = mid
    return lo


@numba.njit
def _upper(gn, gd, count, xn, xd):
    """The first index whose value is > x."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if _lt(xn, xd, gn[mid], gd[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


@numba.njit
def _shown(tn, td, opt):
    """May t be a target: signed as allowed, whole (or hundredths with decimals), within the bounds?"""
    if tn < 0 and opt[O_NEGATIVES] == 0:
        return False
    if td != 1 and (opt[O_DECIMALS] == 0 or 100 % td != 0):
        return False
    if opt[O_HAS_LO] != 0 and _lt(tn, td, opt[O_LO_N], opt[O_LO_D]):
        return False
    if opt[O_HAS_HI] != 0 and _lt(opt[O_HI_N], opt[O_HI_D], tn, td):
        return False
    return True


@numba.njit
def _sort(keys_n, keys_d, idx, count, buf):
    """idx[:count] sorted by the exact value of keys at each (a stable bottom-up merge sort)."""
    width = 1
    src, dst = idx, buf
    while width < count:
        for lo in range(0, count, 2 * width):
            mid, hi = min(lo + width, count), min(lo + 2 * width, count)
            x, y, out = lo, mid, lo
            while x < mid and y < hi:
                if _lt(keys_n[src[y]], keys_d[src[y]], keys_n[src[x]], keys_d[src[x]]):
                    dst[out] = src[y]
                    y += 1
                else:
                    dst[out] = src[x]
                    x += 1
                out += 1
            while x < mid:
                dst[out] = src[x]
                x += 1
                out += 1
            while y < hi:
                dst[out] = src[y]
                y += 1
                out += 1
        src, dst = dst, src
        width *= 2
    if src is not idx:
        for i in range(count):
            idx[i] = src[i]


@numba.njit
def _near(gn, gd, count, tn, td, reached, whole):
    """(values within 1 of t, values within 1% of |t|), t itself left out; status OVERFLOW when past int64.
    `whole`: every value is an int far inside int64, so the bounds are ints too (t +- 1, t +- |t| // 100)."""
    if whole and td == 1:
        e = abs(tn) // 100
        one = _upper(gn, gd, count, tn + 1, 1) - _lower(gn, gd, count, tn - 1, 1) - reached
        pct = _upper(gn, gd, count, tn + e, 1) - _lower(gn, gd, count, tn - e, 1) - reached
        return one, pct, DONE
    an, ad, f1 = _apply(SUB, tn, td, 1, 1)
    bn, bd, f2 = _apply(ADD, tn, td, 1, 1)
    en, ed, f3 = _apply(DIV, abs(tn), td, 100, 1)
    cn, cd, f4 = _apply(SUB, tn, td, en, ed)
    dn, dd, f5 = _apply(ADD, tn, td, en, ed)
    if f1 == OVERFLOW or f2 == OVERFLOW or f3 == OVERFLOW or f4 == OVERFLOW or f5 == OVERFLOW:
        return 0, 0, OVERFLOW
    one = _upper(gn, gd, count, bn, bd) - _lower(gn, gd, count, an, ad) - reached
    pct = _upper(gn, gd, count, dn, dd) - _lower(gn, gd, count, cn, cd) - reached
    return one, pct, DONE


@numba.njit
def _row(pool, at, tn, td, gn, gd, count, effort, whole):
    """Fill a candidate's value, effort, near misses and neighbours; False when the arithmetic overflows."""
    i = _lower(gn, gd, count, tn, td)
    reached = 1 if i < count and gn[i] == tn and gd[i] == td else 0
    one, pct, flag = _near(gn, gd, count, tn, td, reached, whole)
    if flag == OVERFLOW:
        return False
    pool[at, F_N] = tn
    pool[at, F_D] = td
    pool[at, F_EFFORT] = effort
    pool[at, F_NEAR_1] = one
    pool[at, F_NEAR_1PCT] = pct
    pool[at, F_HAS_BELOW] = 1 if i > 0 else 0
    pool[at, F_BELOW_N] = gn[i - 1] if i > 0 else 0
    pool[at, F_BELOW_D] = gd[i - 1] if i > 0 else 1
    j = i + reached
    pool[at, F_HAS_ABOVE] = 1 if j < count else 0
    pool[at, F_ABOVE_N] = gn[j] if j < count else 0
    pool[at, F_ABOVE_D] = gd[j] if j < count else 1
    return True


@numba.njit
def _keep(pool, at, opt):
    """Do a candidate's figures pass the effort, solution-count and near-miss filters?"""
    e, s = pool[at, F_EFFORT], pool[at, F_SOLUTIONS]
    if e < opt[O_MIN_EFFORT] or (opt[O_MAX_EFFORT] >= 0 and e > opt[O_MAX_EFFORT]):
        return False
    if s < opt[O_MIN_SOLUTIONS] or (opt[O_MAX_SOLUTIONS] >= 0 and s > opt[O_MAX_SOLUTIONS]):
        return False
    return pool[at, F_NEAR_1] >= opt[O_MIN_NEAR]


@numba.njit
def _one(vn, vd, ok, codes, a, n, step_k, step_l, step_r, roots, made, skip, leaf, opt, pool, out, info, work, rows):
    """The candidates of one draw (operands already in vn/vd[:n], ok[:n] set; operator codes per slot; root
    attributes `a`), written to pool[out:]; fills `info` (the I_ fields) and returns how many."""
    steps, count_roots = step_k.shape[0], roots.shape[0]
    kind = opt[O_KIND]
    rn, rd, order, buf, gstart, gn, gd, gid = work[0], work[1], work[2], work[3], work[4], work[5], work[6], work[7]
    first, classes, mn, md, midx = work[8], work[9], work[10], work[11], work[12]
    info[I_START] = out
    info[I_SIZE] = 0
    info[I_STATUS] = OK
    overflow = False
    for s in range(steps):
        node, left, right = n + s, step_l[s], step_r[s]
        if not (ok[left] and ok[right]):
            ok[node] = False
            continue
        rn_, rd_, flag = _op(codes[step_k[s]], vn[left], vd[left], vn[right], vd[right])
        if flag == OVERFLOW:
            overflow = True
            break
        ok[node] = flag == DONE
        vn[node] = rn_
        vd[node] = rd_
    if overflow:
        info[I_STATUS] = OVERFLOW
        return 0
    defined = 0
    for r in range(count_roots):
        node = roots[r]
        if ok[node]:
            rn[r], rd[r], _ = _reduce(vn[node], vd[node])         # values are compared reduced
            order[defined] = r
            defined += 1
        else:
            gid[r] = -1
    info[I_UNDEFINED] = count_roots - defined
    _sort(rn, rd, order, defined, buf)
    groups = 0
    for x in range(defined):
        r = order[x]
        if groups == 0 or rn[r] != gn[groups - 1] or rd[r] != gd[groups - 1]:
            gstart[groups] = x
            gn[groups] = rn[r]
            gd[groups] = rd[r]
            first[groups] = 0
            groups += 1
        gid[r] = groups - 1
    gstart[groups] = defined
    info[I_VALUES] = groups
    whole = True
    for g in range(groups):
        if gd[g] != 1 or abs(gn[g]) > 1 << 55:
            whole = False
            break
    # the canonical search: the state count when each value is first completed, and in all
    visited, s, states = 0, 0, made.shape[0]
    while s < states:
        node = made[s]
        if node >= 0 and not ok[node]:
            s = skip[s]
            continue
        visited += 1
        r = leaf[s]
        if r >= 0 and first[gid[r]] == 0:
            first[gid[r]] = visited
        s += 1
    info[I_STATES] = visited
    size = 0
    if kind != UNSOLVABLE:
        for g in range(groups):
            if not _shown(gn[g], gd[g], opt):
                continue
            x0, x1 = gstart[g], gstart[g + 1]
            if kind == UNIQUE:                   # one class: every member's the same (no count needed)
                c, same = a[0, order[x0]], True
                for x in range(x0 + 1, x1):
                    if a[0, order[x]] != c:
                        same = False
                        break
                if not same:
                    continue
            low_depth, low_pairs, members = 1 << 30, 1 << 30, x1 - x0
            best_depth, best_pairs, best = 1 << 30, 1 << 30, 1 << 30
            for x in range(x0, x1):
                r = order[x]
                d, p = a[1, r], a[2, r]
                low_depth = min(low_depth, d)
                low_pairs = min(low_pairs, p)
                if d < best_depth or (d == best_depth and (p < best_pairs or (p == best_pairs and r < best))):
                    best_depth, best_pairs, best = d, p, r
            if low_depth < opt[O_MIN_DEPTH]:
                continue
            distinct = 1
            if kind != UNIQUE and members > 1:   # distinct classes: an insertion sort of the few ids
                for x in range(members):
                    classes[x] = a[0, order[x0 + x]]
                for x in range(1, members):
                    c, y = classes[x], x - 1
                    while y >= 0 and classes[y] > c:
                        classes[y + 1] = classes[y]
                        y -= 1
                    classes[y + 1] = c
                for x in range(1, members):
                    if classes[x] != classes[x - 1]:
                        distinct += 1
            at = out + size
            if not _row(pool, at, gn[g], gd[g], gn, gd, groups, first[g], whole):
                overflow = True
                break
            pool[at, F_SOLUTIONS] = members
            pool[at, F_CLASSES] = distinct
            pool[at, F_MIN_DEPTH] = low_depth
            pool[at, F_MIN_PAIRS] = low_pairs
            pool[at, F_BEST] = best
            if _keep(pool, at, opt):
                size += 1
    solvable = size
    if not overflow and (kind == UNSOLVABLE or kind == ANY) and groups > 0:
        misses = 0
        for g in range(groups):                  # v - step and v + step for every reachable v
            for op in (SUB, ADD):
                tn, td, flag = _apply(op, gn[g], gd[g], opt[O_STEP_N], opt[O_STEP_D])
                if flag == OVERFLOW:
                    overflow = True
                mn[misses] = tn
                md[misses] = td
                midx[misses] = misses
                misses += 1
        if not overflow:
            _sort(mn, md, midx, misses, buf)
            for x in range(misses):
                tn, td = mn[midx[x]], md[midx[x]]
                if x > 0 and tn == mn[midx[x - 1]] and td == md[midx[x - 1]]:
                    continue                     # the same miss from two values
                i = _lower(gn, gd, groups, tn, td)
                if i < groups and gn[i] == tn and gd[i] == td:
                    continue                     # reachable: not a miss
                if not _shown(tn, td, opt):
                    continue
                if n != 2 and not (i > 0 and i < groups):
                    continue                     # past every reachable value is too easy
                at = out + size
                if not _row(pool, at, tn, td, gn, gd, groups, visited, whole):
                    overflow = True
                    break
                pool[at, F_SOLUTIONS] = 0
                pool[at, F_CLASSES] = 0
                pool[at, F_MIN_DEPTH] = -1
                pool[at, F_MIN_PAIRS] = -1
                pool[at, F_BEST] = -1
                if _keep(pool, at, opt):
                    size += 1
        if not overflow and 0 < solvable < size:     # "any": both lists, merged by value
            for x in range(size):
                midx[x] = out + x
            _sort(pool[:, F_N], pool[:, F_D], midx, size, buf)
            for x in range(size):
                for f in range(F_COUNT):
                    rows[x, f] = pool[midx[x], f]
            for x in range(size):
                for f in range(F_COUNT):
                    pool[out + x, f] = rows[x, f]
    if overflow:
        info[I_STATUS] = OVERFLOW
        info[I_SIZE] = 0
        return 0
    info[I_SIZE] = size
    return size


@_jit
def candidates(num, den, codes, step_k, step_l, step_r, roots, attrs, row, made, skip, leaf, opt, pool, info):
    """For each draw b (operands num[b]/den[b], operator codes codes[row[b]]): the targets it offers, by value.

    Takes the draws; the bracketing plan of their size (step s builds node n + s = node step_l[s] op
    step_r[s] with the operator of slot step_k[s]; `roots` are the nodes spanning all operands); per draw
    `attrs[row[b]]` = (class, depth, pairs) of each root; the canonical search as a preorder of states
    (`made`: the node a state's move builds, -1 at the start; `skip`: the end of its subtree; `leaf`: the
    root it completes, or -1); the options `opt`; output rows `pool` (at least 3 per root per draw).
    Returns: nothing; fills `info[b]` (status OK or OVERFLOW, where its candidates start in `pool`, how
    many, distinct values, undefined bracketings, states of the whole search) and the rows of `pool`.
    """
    draws, n = num.shape
    steps, count_roots = step_k.shape[0], roots.shape[0]
    vn = np.empty(n + steps, np.int64)
    vd = np.empty(n + steps, np.int64)
    ok = np.empty(n + steps, np.bool_)
    work = np.empty((WORK_ROWS, 3 * count_roots + 2), np.int64)
    rows = np.empty((3 * count_roots + 2, F_COUNT), np.int64)
    out = 0
    for b in range(draws):
        for i in range(n):
            vn[i] = num[b, i]
            vd[i] = den[b, i]
            ok[i] = True
        out += _one(vn, vd, ok, codes[row[b]], attrs[row[b]], n, step_k, step_l, step_r, roots, made, skip, leaf, opt,
                    pool, out, info[b], work, rows)
