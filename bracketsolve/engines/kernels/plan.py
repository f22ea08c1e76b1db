"""The plan's arithmetic for the numba engine's start: bounds on every interval's values, and whether the next
level of tables pays. `engines/plan.py` is their specification; these give its answers (tests compare them).
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import ADD, DIV, INT64_MAX, MUL, SUB, _add, _jit, _mul

EXACT = 1 << 53             # below this, int64 and float64 arithmetic give what plan.py's Python ints and floats do
UNSURE = -1                 # `pays`: some figure reached EXACT; ask plan.py


@numba.njit
def _sat_mul(a, b):
    r, over = _mul(a, b)
    return INT64_MAX if over else r


@numba.njit
def _sat_add(a, b):
    r, over = _add(a, b)
    return INT64_MAX if over else r


@_jit
def bounds(num, den, masks):
    """(nb, db): `plan.bounds` saturated at INT64_MAX (which then bounds nothing): nb[i, j] bounds |numerator|,
    db[i, j] the denominator of every value of operands i..j. Takes the operands' |numerators| and
    denominators (saturated alike) and the slots' operator masks. On non-negative figures saturating is
    monotone, so each bound is min(plan.bounds' bound, INT64_MAX) exactly."""
    n = num.shape[0]
    nb = np.zeros((n, n), np.int64)
    db = np.zeros((n, n), np.int64)
    for i in range(n):
        nb[i, i], db[i, i] = num[i], den[i]
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            a, b = np.int64(0), np.int64(0)
            for k in range(i, j):
                n1, d1, n2, d2 = nb[i, k], db[i, k], nb[k + 1, j], db[k + 1, j]
                m = masks[k]
                if m & ((1 << ADD) | (1 << SUB)):
                    a = max(a, _sat_add(_sat_mul(n1, d2), _sat_mul(n2, d1)))
                    b = max(b, _sat_mul(d1, d2))
                if m & (1 << MUL):
                    a = max(a, _sat_mul(n1, n2))
                    b = max(b, _sat_mul(d1, d2))
                if m & (1 << DIV):
                    a = max(a, _sat_mul(n1, d2))
                    b = max(b, _sat_mul(d1, n2))
            nb[i, j], db[i, j] = a, b
    return nb, db


@numba.njit
def _level_pairs(size, ops, length):
    """`plan.level_pairs`; -1 once a figure reaches EXACT."""
    n = size.shape[0]
    total = 0
    for i in range(n - length + 1):
        j = i + length - 1
        for k in range(i, j):
            if size[i, k] >= EXACT or size[k + 1, j] >= EXACT:
                return -1
            pairs, over = _mul(size[i, k], size[k + 1, j])
            if over or pairs >= EXACT:
                return -1
            total += pairs * ops[k]
            if total >= EXACT:
                return -1
    return total


@numba.njit
def _query_work(size, ops, built):
    """`plan.query_work` over size[i, j] (0 where there is no table), operation for operation."""
    n = size.shape[0]
    if built >= n:
        return 0.0
    top = 0
    for i in range(n - built + 1):
        top += size[i, i + built - 1]
    last = top / (n - built + 1)
    growth = 2.0
    if built > 1:
        below = 0
        for i in range(n - built + 2):
            below += size[i, i + built - 2]
        before = below / (n - built + 2)
        if before:
            growth = max(last / before, 1.0)
    queries = np.zeros((n, n), np.float64)
    queries[0, n - 1] = 1.0
    work = 0.0
    for m in range(n, built, -1):
        cap = last * growth ** np.float64(m - built)
        for i in range(n - m + 1):
            j = i + m - 1
            q = min(queries[i, j], cap)
            if not q:
                continue
            for k in range(i, j):
                left, right = size[i, k], size[k + 1, j]
                if k + 1 - i > built or (j - k <= built and right < left):
                    spread = q * right * ops[k]
                    if k + 1 - i > built:
                        queries[i, k] += spread
                else:
                    spread = q * left * ops[k]
                    if j - k > built:
                        queries[k + 1, j] += spread
                work += spread
    return work


@_jit
def pays(sizes, masks, built, weight):
    """`plan.pays`: 1 when the tables of `built + 1` operands should be built, 0 when not, UNSURE when a figure
    reaches EXACT (then int64 and float64 arithmetic may differ from Python's: plan.py decides). `sizes[i, j]`:
    the entries of interval i..j's table (read where j - i < built)."""
    n = sizes.shape[0]
    ops = np.zeros(n, np.int64)
    for k in range(n - 1):
        for op in range(4):
            if masks[k] & (1 << op):
                ops[k] += 1
    size = np.zeros((n, n), np.int64)
    for i in range(n):
        for j in range(i, min(n, i + built)):
            if sizes[i, j] >= EXACT:
                return UNSURE
            size[i, j] = sizes[i, j]
    cost = _level_pairs(size, ops, built + 1)
    if cost < 0:
        return UNSURE
    now = weight * _query_work(size, ops, built)
    if cost >= now:
        return 0
    ratio = 1.0
    if built >= 2:
        pairs = _level_pairs(size, ops, built)
        if pairs < 0:
            return UNSURE
        entries = 0
        for i in range(n - built + 1):
            entries += size[i, i + built - 1]
        if pairs:
            ratio = entries / pairs
    for i in range(n - built):
        j = i + built
        pairs = 0
        for k in range(i, j):
            pairs += size[i, k] * size[k + 1, j] * ops[k]      # (below EXACT: so is the whole level's sum)
        size[i, j] = max(1, np.int64(ratio * pairs))
    return 1 if cost + weight * _query_work(size, ops, built + 1) < now else 0
