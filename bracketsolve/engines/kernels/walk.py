"""Solutions of one puzzle in the reference engine's order, walked over its tables, and their rendering
with the fewest parentheses (helpers of `bulk.solve`)."""

from __future__ import annotations

import numba
import numpy as np

from .arith import ALL, ALL_NONZERO, LOST, MUL, ONE, _partner, _slot
from .tables import _grow

_OPS = np.array([43, 45, 42, 47], np.uint8)  # "+-*/": how a slot that the solution chooses is rendered
# a node of the tree being walked: its span, value, chosen (split, operator, left entry, right entry), parent, side
LO, HI, VN, VD, K, OP, A, B, PARENT, SIDE = range(10)


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
def _seek(lo, hi, vn, vd, k0, op0, a0, b0, masks, f, start, stop, base, cap, tn, td, ix):
    """The first (k, op, a, b) at or after (k0, op0, a0, b0), in the reference's order, with table entries a
    of lo..k and b of k+1..hi and `a op b == v`: k = -1 when there is none, -2 when a partner left int64."""
    for k in range(k0, hi):
        la, lb, ra, rb = start[lo, k], stop[lo, k], start[k + 1, hi], stop[k + 1, hi]
        if la == lb or ra == rb:
            continue
        for op in range(op0 if k == k0 else 0, 4):
            if not masks[f + k] & (1 << op):
                continue
            same = k == k0 and op == op0
            for a in range(max(a0, la) if same else la, lb):
                least = b0 if same and a == a0 else ra
                kind, pn, pd = _partner(op, 0, tn[a], td[a], vn, vd)
                if kind == ONE:
                    x = _find(tn, td, ix, ra, rb, base[k + 1, hi], cap[k + 1, hi], pn, pd)
                    if x >= 0 and x >= least:
                        return k, op, a, x
                elif kind == ALL:
                    if max(least, ra) < rb:
                        return k, op, a, max(least, ra)
                elif kind == ALL_NONZERO:
                    for x in range(max(least, ra), rb):
                        if tn[x] != 0:
                            return k, op, a, x
                elif kind == LOST:
                    return -2, 0, 0, 0
    return -1, 0, 0, 0


@numba.njit
def _expand(nodes, used, tasks, waiting, masks, f, start, stop, base, cap, tn, td, ix):
    """Grow the tree from the pending `tasks` (lo, hi, n, d, parent, side), each subtree its first choice;
    returns (nodes used, ok) with ok False when a partner left int64."""
    while waiting:
        waiting -= 1
        lo, hi, vn, vd = tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2], tasks[waiting, 3]
        if lo == hi:
            continue
        k, op, a, b = _seek(lo, hi, vn, vd, lo, 0, -1, -1, masks, f, start, stop, base, cap, tn, td, ix)
        if k < 0:
            return used, False
        nodes[used, LO], nodes[used, HI], nodes[used, VN], nodes[used, VD] = lo, hi, vn, vd
        nodes[used, K], nodes[used, OP], nodes[used, A], nodes[used, B] = k, op, a, b
        nodes[used, PARENT], nodes[used, SIDE] = tasks[waiting, 4], tasks[waiting, 5]
        tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2], tasks[waiting, 3] = k + 1, hi, tn[b], td[b]
        tasks[waiting, 4], tasks[waiting, 5] = used, 1
        waiting += 1
        tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2], tasks[waiting, 3] = lo, k, tn[a], td[a]
        tasks[waiting, 4], tasks[waiting, 5] = used, 0
        waiting += 1
        used += 1
    return used, True


@numba.njit
def first_tree(nodes, tasks, n, vn, vd, masks, f, start, stop, base, cap, tn, td, ix):
    """The first bracketing of the whole side equal to v into `nodes` (preorder); (nodes used, ok)."""
    tasks[0, 0], tasks[0, 1], tasks[0, 2], tasks[0, 3], tasks[0, 4], tasks[0, 5] = 0, n - 1, vn, vd, -1, 0
    return _expand(nodes, 0, tasks, 1, masks, f, start, stop, base, cap, tn, td, ix)


@numba.njit
def next_tree(nodes, used, tasks, masks, f, start, stop, base, cap, tn, td, ix):
    """Step `nodes` to the next bracketing in the reference's order (the last node in preorder that has a
    next choice takes it; everything after it starts again); (nodes used, status 0 done, 1 none, 2 lost)."""
    for at in range(used - 1, -1, -1):
        k, op, a, b = _seek(nodes[at, LO], nodes[at, HI], nodes[at, VN], nodes[at, VD], nodes[at, K],
                            nodes[at, OP], nodes[at, A], nodes[at, B] + 1, masks, f, start, stop, base, cap, tn, td,
                            ix)
        if k == -2:
            return used, 2
        if k < 0:
            continue
        nodes[at, K], nodes[at, OP], nodes[at, A], nodes[at, B] = k, op, a, b
        chain = 0                               # the right subtrees to come after this node's own: one for
        c = at                                  # each ancestor reached from its left child
        while nodes[c, PARENT] >= 0:
            if nodes[c, SIDE] == 0:
                chain += 1
            c = nodes[c, PARENT]
        waiting, slot, c = chain, chain - 1, at
        while nodes[c, PARENT] >= 0:            # nearest ancestor's last on the stack, so popped first
            parent = nodes[c, PARENT]
            if nodes[c, SIDE] == 0:
                tasks[slot, 0], tasks[slot, 1] = nodes[parent, K] + 1, nodes[parent, HI]
                tasks[slot, 2], tasks[slot, 3] = tn[nodes[parent, B]], td[nodes[parent, B]]
                tasks[slot, 4], tasks[slot, 5] = parent, 1
                slot -= 1
            c = parent
        lo, hi = nodes[at, LO], nodes[at, HI]
        tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2], tasks[waiting, 3] = k + 1, hi, tn[b], td[b]
        tasks[waiting, 4], tasks[waiting, 5] = at, 1
        waiting += 1
        tasks[waiting, 0], tasks[waiting, 1], tasks[waiting, 2], tasks[waiting, 3] = lo, k, tn[a], td[a]
        tasks[waiting, 4], tasks[waiting, 5] = at, 0
        waiting += 1
        used, ok = _expand(nodes, at + 1, tasks, waiting, masks, f, start, stop, base, cap, tn, td, ix)
        return used, 0 if ok else 2
    return used, 1


@numba.njit
def render(nodes, used, n, f, text, lit0, lit1, glyph, codes, at, out, written, opens, closes):
    """The tree in `nodes` as text with the fewest parentheses, appended to out[written:]; its code (the
    operator of each slot, then the slots in preorder) put at codes[at:at + 2(n - 1)]; `opens` and
    `closes` are scratch of n rows or more. Returns (out, written)."""
    opens[:n] = 0
    closes[:n] = 0
    for c in range(used):
        codes[at + nodes[c, K]] = nodes[c, OP]
        codes[at + n - 1 + c] = nodes[c, K]
        parent = nodes[c, PARENT]
        if parent >= 0:
            mine = 2 if nodes[c, OP] >= MUL else 1
            theirs = 2 if nodes[parent, OP] >= MUL else 1
            if mine < theirs or (nodes[c, SIDE] == 1 and mine == theirs):
                opens[nodes[c, LO]] += 1
                closes[nodes[c, HI]] += 1
    length = 8
    for i in range(n):
        length += opens[i] + closes[i] + lit1[f + i] - lit0[f + i] + 6
    if written + length > out.shape[0]:
        out = _grow(out, max(2 * out.shape[0], written + length))
    for i in range(n):
        for _ in range(opens[i]):
            out[written] = 40
            written += 1
        for c in range(lit0[f + i], lit1[f + i]):
            out[written] = text[c]
            written += 1
        for _ in range(closes[i]):
            out[written] = 41
            written += 1
        if i < n - 1:
            out[written] = 32
            written += 1
            c = glyph[f + i]
            if c >= 0:
                out[written] = text[c]
                written += 1
                while c + 1 < text.shape[0] and text[c + 1] & 0xC0 == 0x80:     # the rest of a UTF-8 glyph
                    c += 1
                    out[written] = text[c]
                    written += 1
            else:
                out[written] = _OPS[codes[at + i]]
                written += 1
            out[written] = 32
            written += 1
    return out, written
