"""The free-order DP: a table value -> written trees for every sub-multiset, and target-directed lookups in them.

Sub-multisets are indices (see `engines.subsets.Multisets`); each table is a run of entries (n, d, count)
with an open-addressing index over it. Counts are int64: the caller keeps the number of trees below 2**63.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import (ADD, ALL, ALL_NONZERO, DIV, DONE, LOST, MUL, NONE, OVERFLOW, SUB, _apply, _jit, _partner,
                    _prefetch, _slot)
from .tables import _copy

START, STOP, ISTART, ICAP = 0, 1, 2, 3             # meta[s, :]: entries start..stop, index slots
USED, IUSED, WORK, ARENA, AT = 0, 1, 2, 3, 4      # state[:]: entries, index slots in use, pairs combined, the
                                                   # arena rows (or entries) wanted and the set to start again from;
IX_WANT, PENDING, PENDING_LOW, PENDING_FILLED = 5, 6, 7, 8     # the index slots wanted, and the scratch table
STATE_SIZE = 9                                     # (slots, at the arena's start, entries) of a set waiting for storage
OK, TOO_MUCH_WORK, TOO_MANY_ENTRIES, NEED_ARENA, NEED_STORAGE = 0, 1, 2, 3, 4   # kernel status codes
_BATCH = 32                                        # results computed (and their slots prefetched) before inserting


@numba.njit
def _grow(a, size):
    """`a` copied into a larger array of `size` rows."""
    out = np.zeros((size,) + a.shape[1:], a.dtype)
    _copy(out, a)
    return out


@numba.njit
def _put(h, mask, n, d, c, slot):
    """Add `c` trees of value n/d to the scratch table `h` (rows n, d, count); True when the value is new.

    `slot` is where n/d hashes to, or -1 to compute it here.
    """
    if slot < 0:
        slot = _slot(n, d, mask)
    while True:
        if h[slot, 1] == 0:
            h[slot, 0] = n
            h[slot, 1] = d
            h[slot, 2] = c
            return True
        if h[slot, 0] == n and h[slot, 1] == d:
            h[slot, 2] += c
            return False
        slot = (slot + 1) & mask


@numba.njit
def _rehash(h, g):
    """The scratch table `h` moved into the (larger) table `g`."""
    g[:, 1] = 0
    mask = g.shape[0] - 1
    for slot in range(h.shape[0]):
        if h[slot, 1] != 0:
            _put(g, mask, h[slot, 0], h[slot, 1], h[slot, 2], -1)


@numba.njit
def _log(log, nlog, s, op, ea, eb):
    """Note a pair whose result leaves int64 (value of entry ea, op, value of entry eb), for Python to redo."""
    if nlog == log.shape[0]:
        log = _grow(log, 2 * nlog)
    log[nlog, 0] = s
    log[nlog, 1] = op
    log[nlog, 2] = ea
    log[nlog, 3] = eb
    return log, nlog + 1


@numba.njit
def _index_slots(entries):
    """The index slots of a table of `entries` entries: a power of two, at least twice as many."""
    cap = 4
    while cap < 2 * entries:
        cap <<= 1
    return cap


@numba.njit
def _index(meta, tn, td, ix, state, s):
    """An open-addressing index (entry offset + 1, 0 for empty) over sub-multiset s's table; returns `ix`."""
    start, stop = meta[s, START], meta[s, STOP]
    cap = _index_slots(stop - start)
    base = state[IUSED]
    if base + cap > ix.shape[0]:
        ix = _grow(ix, max(ix.shape[0] + ix.shape[0] // 2, base + cap))
    ix[base:base + cap] = 0
    mask = cap - 1
    for e in range(start, stop):
        slot = _slot(tn[e], td[e], mask)
        while ix[base + slot] != 0:
            slot = (slot + 1) & mask
        ix[base + slot] = e - start + 1
    meta[s, ISTART] = base
    meta[s, ICAP] = cap
    state[IUSED] = base + cap
    return ix


@numba.njit
def _find(meta, tn, td, ix, s, n, d):
    """The storage position of value n/d in sub-multiset s's table, or -1."""
    cap = meta[s, ICAP]
    if cap == 0:
        return -1
    base, start = meta[s, ISTART], meta[s, START]
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


@_jit
def find(meta, tn, td, ix, s, qn, qd):
    """Storage positions of the values qn/qd in sub-multiset s's table (-1 where absent)."""
    out = np.empty(qn.shape[0], np.int64)
    for q in range(qn.shape[0]):
        out[q] = _find(meta, tn, td, ix, s, qn[q], qd[q])
    return out


@_jit
def build(first, sets, starts, lefts, mask, tv, meta, tn, td, tc, ix, arena, state, max_work, max_entries):
    """The table of every sub-multiset in sets[first:], in order (the tables of their parts exist).

    Set q's splits are lefts[starts[q]:starts[q + 1]]: parts a <= b = s - a; for a < b both orders are
    counted at once (a + b twice, a - b and b - a), for a == b every ordered pair of entries. `mask` has bit
    1 << op per allowed operator; `tv` keeps only positive integer results. Pairs whose result leaves int64
    are logged as rows (s, op, left entry, right entry). The scratch hash table lives in `arena` (rows n, d,
    count), allocated by numpy so that it gets huge pages (random probes then miss no TLB); it needs 3x the
    table's slots, and when it is too small the kernel returns NEED_ARENA with the rows wanted in
    state[ARENA] and the set to start again from in state[AT]. The kernel never grows the storage or the index
    (budget: the caller reserves them first): when a set's table does not fit, it returns NEED_STORAGE with the
    entries wanted in state[ARENA], the index slots in state[IX_WANT], and its scratch table kept in the arena
    (state[PENDING] slots): called again from that set, with the arena untouched, it only stores the table.
    Returns (status, tn, td, tc, ix, log); the storage arrays may have been reallocated.
    """
    log = np.empty((16, 4), np.int64)
    nlog = 0
    rows = arena.shape[0]
    batch = np.empty((2 * _BATCH, 4), np.int64)     # n, d, count, slot of the results waiting to be inserted
    for q in range(first, sets.shape[0]):
        s = sets[q]
        logged = nlog
        used = state[USED]
        meta[s, START] = used
        meta[s, STOP] = used
        bound = 0
        child = 0
        for p in range(starts[q], starts[q + 1]):
            a = lefts[p]
            b = s - a
            na = meta[a, STOP] - meta[a, START]
            nb = meta[b, STOP] - meta[b, START]
            bound += na * nb * (2 if a != b else 1)
            child = max(child, na, nb)
        ops = 0
        for op in range(4):
            if mask & (1 << op):
                ops += 1
        bound *= ops
        if state[WORK] + bound > max_work:
            state[ARENA] = bound                    # what the set would have needed
            return TOO_MUCH_WORK, tn, td, tc, ix, log[:nlog]
        pending = q == first and state[PENDING] > 0   # the table is built and waits in the arena for storage
        cap = 16
        while cap < 4 * child and cap < (1 << 22):
            cap <<= 1
        if pending:
            cap, low, filled = state[PENDING], state[PENDING_LOW] == 1, state[PENDING_FILLED]
            state[PENDING] = 0
            h = arena[:cap] if low else arena[rows - cap:]
        else:
            if 3 * cap > rows:
                state[ARENA], state[AT] = 3 * cap, q
                return NEED_ARENA, tn, td, tc, ix, log[:nlog]
            low = True                              # the table is at the arena's start, else at its end
            h = arena[:cap]
            h[:, 1] = 0
            filled = 0
        hmask = cap - 1
        for p in range(starts[q], starts[q + 1] if not pending else starts[q]):
            a = lefts[p]
            b = s - a
            twice = a != b
            for op in range(4):
                if not mask & (1 << op):
                    continue
                turns = 2 if twice and (op == SUB or op == DIV) else 1
                weight = 2 if twice and (op == ADD or op == MUL) else 1
                for ea in range(meta[a, START], meta[a, STOP]):
                    an, ad, ca = tn[ea], td[ea], tc[ea] * weight
                    for chunk in range(meta[b, START], meta[b, STOP], _BATCH):
                        m = min(_BATCH, meta[b, STOP] - chunk)
                        nb = 0
                        for u in range(m):          # results first, prefetching their slots ...
                            eb = chunk + u
                            for turn in range(turns):
                                if turn == 0:
                                    xn, xd, yn, yd, ex, ey = an, ad, tn[eb], td[eb], ea, eb
                                else:
                                    xn, xd, yn, yd, ex, ey = tn[eb], td[eb], an, ad, eb, ea
                                if tv:
                                    if op == SUB and xn <= yn:
                                        continue
                                    if op == DIV and xn % yn != 0:
                                        continue
                                rn, rd, flag = _apply(op, xn, xd, yn, yd)
                                if flag == OVERFLOW:
                                    log, nlog = _log(log, nlog, s, op, ex, ey)
                                    if weight == 2:
                                        log, nlog = _log(log, nlog, s, op, ey, ex)
                                    continue
                                if flag != DONE:
                                    continue
                                slot = _slot(rn, rd, hmask)
                                _prefetch(h, slot)
                                batch[nb, 0] = rn
                                batch[nb, 1] = rd
                                batch[nb, 2] = ca * tc[eb]
                                batch[nb, 3] = slot
                                nb += 1
                        moved = False
                        for u in range(nb):         # ... then the inserts, whose cache lines are on their way
                            if _put(h, hmask, batch[u, 0], batch[u, 1], batch[u, 2], -1 if moved else batch[u, 3]):
                                filled += 1
                                if 2 * filled > cap:
                                    if 6 * cap > rows:
                                        state[ARENA], state[AT] = 6 * cap, q
                                        return NEED_ARENA, tn, td, tc, ix, log[:logged]
                                    g = arena[rows - 2 * cap:] if low else arena[:2 * cap]
                                    _rehash(h, g)
                                    h, low = g, not low
                                    cap *= 2
                                    hmask = cap - 1
                                    moved = True
        if used + filled > max_entries:
            state[WORK] += bound
            return TOO_MANY_ENTRIES, tn, td, tc, ix, log[:nlog]
        slots = _index_slots(filled)
        if used + filled > tn.shape[0] or state[IUSED] + slots > ix.shape[0]:
            state[ARENA], state[IX_WANT], state[AT] = used + filled, state[IUSED] + slots, q
            state[PENDING], state[PENDING_LOW], state[PENDING_FILLED] = cap, 1 if low else 0, filled
            return NEED_STORAGE, tn, td, tc, ix, log[:nlog]
        state[WORK] += bound                        # once the set is done: a restart does not count twice
        e = used
        for slot in range(cap):
            if h[slot, 1] != 0:
                tn[e] = h[slot, 0]
                td[e] = h[slot, 1]
                tc[e] = h[slot, 2]
                e += 1
        meta[s, STOP] = e
        state[USED] = e
        ix = _index(meta, tn, td, ix, state, s)
    return OK, tn, td, tc, ix, log[:nlog]


@_jit
def leaves(sets, ln, ld, meta, tn, td, tc, ix, state):
    """The one-number tables: sets[q] holds the value ln[q]/ld[q] once."""
    for q in range(sets.shape[0]):
        s = sets[q]
        e = state[USED]
        if e + 1 > tn.shape[0]:
            size = tn.shape[0] + tn.shape[0] // 2 + 1
            tn, td, tc = _grow(tn, size), _grow(td, size), _grow(tc, size)
        tn[e], td[e], tc[e] = ln[q], ld[q], 1
        meta[s, START] = e
        meta[s, STOP] = e + 1
        state[USED] = e + 1
        ix = _index(meta, tn, td, ix, state, s)
    return tn, td, tc, ix


@_jit
def matches(s, lefts, mask, meta, tn, td, tc, ix, t_n, t_d, rows_wanted):
    """Every ordered split (a, s - a), operator and pair of entries with `x op y == t` (t a positive
    integer under the TV rule, whose tables hold nothing else).

    Enumerates the smaller table of each split and looks partners up in the other; 0 * y and 0 / y are
    whole-table matches. Returns (count, rows (a, op, x entry, y entry) when `rows_wanted`, lost rows
    (a, op, side, entry) whose partner left int64).
    """
    total = 0
    rows = np.empty((16, 4), np.int64)
    nrows = 0
    lost = np.empty((4, 4), np.int64)
    nlost = 0
    for p in range(lefts.shape[0]):
        a = lefts[p]
        b = s - a
        a0, a1 = meta[a, START], meta[a, STOP]
        b0, b1 = meta[b, START], meta[b, STOP]
        if a0 == a1 or b0 == b1:
            continue
        side = 0 if a1 - a0 <= b1 - b0 else 1
        e0, e1 = (a0, a1) if side == 0 else (b0, b1)
        o0, o1, other = (b0, b1, b) if side == 0 else (a0, a1, a)
        for op in range(4):
            if not mask & (1 << op):
                continue
            for e in range(e0, e1):
                kind, pn, pd = _partner(op, side, tn[e], td[e], t_n, t_d)
                if kind == NONE:
                    continue
                if kind == LOST:
                    if nlost == lost.shape[0]:
                        lost = _grow(lost, 2 * nlost)
                    lost[nlost, 0] = a
                    lost[nlost, 1] = op
                    lost[nlost, 2] = side
                    lost[nlost, 3] = e
                    nlost += 1
                    continue
                lo, hi = o0, o1
                if kind != ALL and kind != ALL_NONZERO:
                    f = _find(meta, tn, td, ix, other, pn, pd)
                    if f < 0:
                        continue
                    lo, hi = f, f + 1
                for g in range(lo, hi):
                    if kind == ALL_NONZERO and tn[g] == 0:
                        continue
                    total += tc[e] * tc[g]
                    if rows_wanted:
                        if nrows == rows.shape[0]:
                            rows = _grow(rows, 2 * nrows)
                        rows[nrows, 0] = a
                        rows[nrows, 1] = op
                        rows[nrows, 2] = e if side == 0 else g
                        rows[nrows, 3] = g if side == 0 else e
                        nrows += 1
    return total, rows[:nrows], lost[:nlost]
