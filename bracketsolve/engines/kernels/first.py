"""A target query's first solution in one call: the walk of `questions.Questions.walk` down its first matches
(`query.next_row` at every node), as long as each is one partner in a table or a question."""

from __future__ import annotations

import numpy as np

from .arith import _jit
from .query import ONE_QUESTION, ONE_TABLE, QD, QN, next_row
from .tables import START

OK, UNSURE = 0, 1               # the tree is in `out`; some node needs the Python walk (every-value partners, a
                                # partner past int64, an operand that is not the value)


@_jit
def first(i, j, vn, vd, masks, built, nb, db, primes, meta, tn, td, ix, tc0, tcx, qv, qc, qh, dl):
    """The first bracketing of operands i..j (i < j) whose value is vn/vd, which has one (its count is not 0),
    in the order `Questions.walk` lists them. Returns (status, out): out's rows are the tree's nodes in preorder,
    (lo, hi, operator code, split) for a node and (lo, lo, -1, -1) for an operand."""
    out = np.empty((2 * (j - i) + 1, 4), np.int64)
    stack = np.empty((j - i + 2, 4), np.int64)          # nodes to walk: (lo, hi, n, d), the left one on top
    stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = i, j, vn, vd
    top, rows = 1, 0
    while top:
        top -= 1
        lo, hi, n, d = stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3]
        if lo == hi:
            e = meta[lo, lo, START]
            if tn[e] != n or td[e] != d:
                return UNSURE, out
            out[rows, 0], out[rows, 1], out[rows, 2], out[rows, 3] = lo, lo, -1, -1
            rows += 1
            continue
        k, op, side, e, kind, f = next_row(lo, hi, n, d, lo, 0, 0, masks, built, nb, db, primes, meta, tn, td, ix,
                                           tc0, tcx, qv, qc, qh, dl)
        if k < 0 or (kind != ONE_TABLE and kind != ONE_QUESTION):
            return UNSURE, out
        if kind == ONE_TABLE:
            pn, pd = tn[f], td[f]
        else:
            pn, pd = qv[f, QN], qv[f, QD]
        an, ad, bn, bd = (tn[e], td[e], pn, pd) if side == 0 else (pn, pd, tn[e], td[e])
        out[rows, 0], out[rows, 1], out[rows, 2], out[rows, 3] = lo, hi, op, k
        rows += 1
        stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3] = k + 1, hi, bn, bd
        stack[top + 1, 0], stack[top + 1, 1], stack[top + 1, 2], stack[top + 1, 3] = lo, k, an, ad
        top += 2
    return OK, out
