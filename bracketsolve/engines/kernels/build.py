"""The interval DP: every allowed interval's table value -> count lanes, built from the shorter ones."""

from __future__ import annotations

import numpy as np

from .arith import DONE, OVERFLOW, _apply, _jit, _prefetch, _slot, _wmul
from .tables import (AT_I, AT_LENGTH, ARENA, ICAP, ISTART, IUSED, NINT, START, STOP, USED, WORK, _grow, _insert,
                     _rehash, index)

OK, TOO_MUCH_WORK, TOO_MANY_ENTRIES, NEED_ARENA = 0, 1, 2, 3   # kernel status codes
PAUSED, LOG_FULL = 4, 5                            # budget: stopped between intervals; the overflow log at its cap
PAUSE_AT, LOG_CAP, STATE_SIZE = 6, 7, 8            # budget: state[PAUSE_AT] pairs, state[LOG_CAP] log rows (0: none)
_BATCH = 32                                        # results computed (and their slots prefetched) before inserting


@_jit
def build(first, first_i, last, masks, allowed, primes, meta, tn, td, tc0, tcx, ix, arena, state, max_work,
          max_entries):
    """Tables value -> count for every allowed interval of `first`..`last` operands (shorter ones exist;
    for length 1 the caller has stored the operands and only their index is built).

    Counts are kept in lanes: tc0 modulo 2**64 (wrapping), tcx[:, x] modulo primes[x]. Pairs whose
    result leaves int64 are not stored but logged as rows (i * n + j, op, a position, b position).
    The scratch hash table of an interval lives in `arena` (rows n, d, count), allocated by numpy so that
    it gets huge pages: random probes then miss no TLB. It needs 3x the table's slots; when `arena` is
    too small the kernel returns NEED_ARENA with the rows wanted in state[ARENA] and the interval to
    start again from in state[AT_LENGTH], state[AT_I].
    Budget hooks (a state of STATE_SIZE slots): once state[WORK] reaches state[PAUSE_AT] (when set) the kernel
    returns PAUSED between two intervals, to resume from state[AT_LENGTH], state[AT_I]; the storage arrays grow
    only while old and new fit max_entries together (both live while copying); the log grows to state[LOG_CAP]
    rows at most (LOG_FULL past it). Past a cap, state[ARENA] holds the figure wanted (pairs, rows, log rows).
    Returns (status, tn, td, tc0, tcx, ix, log); the storage arrays may have been reallocated.
    """
    n = masks.shape[0] + 1
    nx = tcx.shape[1]
    rows = arena.shape[0]
    hx = np.zeros((1 << 4, nx), np.int64)
    log = np.empty((1 << 10, 4), np.int64)
    nlog = 0
    batch = np.empty((_BATCH, 4), np.int64)     # n, d, flag, slot of the results waiting to be inserted
    hooks = state.shape[0] >= STATE_SIZE        # budget: pausing and the log cap
    for length in range(first, last + 1):
        for i in range(first_i if length == first else 0, n - length + 1):
            j = i + length - 1
            if length == 1:                 # operands: their tables are in place, only the index is missing
                ix = index(meta, tn, td, ix, state, i, i)
                continue
            if hooks and 0 < state[PAUSE_AT] <= state[WORK] and (length != first or i != first_i):
                state[AT_LENGTH], state[AT_I] = length, i              # budget: a pause between intervals
                return PAUSED, tn, td, tc0, tcx, ix, log[:nlog]
            used = state[USED]
            meta[i, j, START] = used
            meta[i, j, STOP] = used
            meta[i, j, NINT] = used
            meta[i, j, ISTART] = state[IUSED]
            meta[i, j, ICAP] = 0
            if not allowed[i, j]:
                continue
            bound = 0
            child = 0
            for k in range(i, j):
                ops = 0
                for op in range(4):
                    if masks[k] & (1 << op):
                        ops += 1
                left = meta[i, k, STOP] - meta[i, k, START]
                right = meta[k + 1, j, STOP] - meta[k + 1, j, START]
                bound += left * right * ops
                child = max(child, left, right)
            if bound == 0:
                continue
            if state[WORK] + bound > max_work:
                state[ARENA], state[AT_LENGTH], state[AT_I] = bound, length, i
                return TOO_MUCH_WORK, tn, td, tc0, tcx, ix, log[:nlog]
            cap = 1 << 4                    # sized for the likely table (a few times the largest part's), to
            while cap < 2 * min(bound, 4 * child):     # spare rehashing; it still grows when needed
                cap <<= 1
            if 3 * cap > rows:
                state[ARENA], state[AT_LENGTH], state[AT_I] = 3 * cap, length, i
                return NEED_ARENA, tn, td, tc0, tcx, ix, log[:nlog]
            if hx.shape[0] < cap:
                hx = np.zeros((cap, nx), np.int64)
            low = True                      # the table is at the arena's start, else at its end
            h = arena[:cap]
            h[:, 1] = 0
            mask = cap - 1
            filled = 0
            logged = nlog
            for k in range(i, j):
                a0, a1 = meta[i, k, START], meta[i, k, STOP]
                b0, b1 = meta[k + 1, j, START], meta[k + 1, j, STOP]
                for op in range(4):
                    if not masks[k] & (1 << op):
                        continue
                    for a in range(a0, a1):
                        an, ad, ca = tn[a], td[a], tc0[a]
                        for chunk in range(b0, b1, _BATCH):
                            m = min(_BATCH, b1 - chunk)
                            for t in range(m):      # results first, prefetching their slots ...
                                rn, rd, flag = _apply(op, an, ad, tn[chunk + t], td[chunk + t])
                                batch[t, 0] = rn
                                batch[t, 1] = rd
                                batch[t, 2] = flag
                                if flag == DONE:
                                    slot = _slot(rn, rd, mask)
                                    batch[t, 3] = slot
                                    _prefetch(h, slot)
                            moved = False
                            for t in range(m):      # ... then the inserts, whose cache lines are on their way
                                b = chunk + t
                                if batch[t, 2] != DONE:
                                    if batch[t, 2] == OVERFLOW:
                                        if nlog == log.shape[0]:
                                            if hooks and 0 < state[LOG_CAP] < 2 * nlog:     # budget
                                                state[ARENA], state[AT_LENGTH], state[AT_I] = 2 * nlog, length, i
                                                return LOG_FULL, tn, td, tc0, tcx, ix, log[:nlog]
                                            log = _grow(log, 2 * nlog)
                                        log[nlog, 0] = i * n + j
                                        log[nlog, 1] = op
                                        log[nlog, 2] = a
                                        log[nlog, 3] = b
                                        nlog += 1
                                    continue
                                slot, new = _insert(h, mask, batch[t, 0], batch[t, 1], _wmul(ca, tc0[b]),
                                                    -1 if moved else batch[t, 3])
                                for x in range(nx):
                                    c = tcx[a, x] * tcx[b, x] % primes[x]
                                    hx[slot, x] = c if new else (hx[slot, x] + c) % primes[x]
                                if new:
                                    filled += 1
                                    if 2 * filled > cap:
                                        if 3 * cap > rows:
                                            state[ARENA], state[AT_LENGTH], state[AT_I] = 6 * cap, length, i
                                            return NEED_ARENA, tn, td, tc0, tcx, ix, log[:logged]
                                        g = arena[rows - 2 * cap:] if low else arena[:2 * cap]
                                        gx = np.zeros((2 * cap, nx), np.int64)
                                        _rehash(h, hx, g, gx)
                                        h, hx, low = g, gx, not low
                                        cap *= 2
                                        mask = cap - 1
                                        moved = True
            state[WORK] += bound
            if filled == 0:
                continue
            if used + filled > tn.shape[0]:
                size = max(tn.shape[0] + tn.shape[0] // 2, used + filled)
                if tn.shape[0] + size > max_entries:    # budget: the old and new arrays live together while copying
                    size = used + filled
                if used + filled > max_entries or tn.shape[0] + size > max_entries:
                    state[ARENA], state[AT_LENGTH], state[AT_I] = tn.shape[0] + size, length, i
                    return TOO_MANY_ENTRIES, tn, td, tc0, tcx, ix, log[:nlog]
                tn, td, tc0, tcx = _grow(tn, size), _grow(td, size), _grow(tc0, size), _grow(tcx, size)
            e = used
            for integral in (True, False):
                for s in range(cap):
                    if h[s, 1] != 0 and (h[s, 1] == 1) == integral:
                        tn[e] = h[s, 0]
                        td[e] = h[s, 1]
                        tc0[e] = h[s, 2]
                        for x in range(nx):
                            tcx[e, x] = hx[s, x]
                        e += 1
                if integral:
                    meta[i, j, NINT] = e
            meta[i, j, STOP] = e
            state[USED] = e
            if length < n:                  # the whole side's index is built when first needed
                ix = index(meta, tn, td, ix, state, i, j)
    return OK, tn, td, tc0, tcx, ix, log[:nlog]
