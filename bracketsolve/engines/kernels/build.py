"""The interval DP: every allowed interval's table value -> count lanes, built from the shorter ones."""

from __future__ import annotations

import numba
import numpy as np

from .arith import DONE, OVERFLOW, _apply, _helper, _jit, _slot, _wmul
from .scratch import (AT_BLOCK, AT_ROW, BITS, EACH, FILLED, MIN_BLOCK, PARTS, SUB_BITS, add, add_lanes, buffer_rows,
                      crowded, double, fits, flush, flush_parts, layout)
from .tables import AT_I, AT_LENGTH, ARENA, ICAP, ISTART, IUSED, NINT, START, STOP, USED, WORK, _extend, _grow, index

OK, TOO_MUCH_WORK, TOO_MANY_ENTRIES, NEED_ARENA = 0, 1, 2, 3   # kernel status codes
PAUSED, LOG_FULL = 4, 5                            # budget: stopped between intervals; the overflow log at its cap
NEED_STORAGE = 6                                   # the caller grows the storage (state[ARENA] entries) or the index
PAUSE_AT, LOG_CAP = 6, 7                           # (state[IX_WANT] slots); budget: state[PAUSE_AT] pairs,
IX_WANT, INDEX_NEXT, STATE_SIZE = 8, 9, 10         # state[LOG_CAP] log rows (0: none); INDEX_NEXT: only an index due
_DONE, _FULL_BLOCK, _CROWDED, _FULL_LOG = 0, 1, 2, 3            # why `_pairs` stopped
_LOG_ROWS = 1 << 10                                             # overflow log rows to start with


@_jit
def build(first, first_i, last, masks, allowed, primes, meta, tn, td, tc0, tcx, ix, arena, state, max_work,
          max_entries):
    """Tables value -> count for every allowed interval of `first`..`last` operands (shorter ones exist;
    for length 1 the caller has stored the operands and only their index is built).

    Counts are kept in lanes: tc0 modulo 2**64 (wrapping), tcx[:, x] modulo primes[x]. Pairs whose
    result leaves int64 are not stored but logged as rows (i * n + j, op, a position, b position).
    An interval's scratch hash table (see `scratch`) lives at the start of `arena` (rows n, d, count) and a
    big table's waiting results at its end; numpy allocates it, so that it gets huge pages. When `arena` is
    too small the kernel returns NEED_ARENA with the rows wanted in state[ARENA] and the interval to start
    again from in state[AT_LENGTH], state[AT_I].
    Budget hooks (a state of STATE_SIZE slots): once state[WORK] reaches state[PAUSE_AT] (when set) the kernel
    returns PAUSED between two intervals, to resume from state[AT_LENGTH], state[AT_I]; the storage arrays grow
    only while old and new fit max_entries together (both live while copying); the log grows to state[LOG_CAP]
    rows at most (LOG_FULL past it). Past a cap, state[ARENA] holds the figure wanted (pairs, rows, log rows).
    With these hooks the caller also grows the storage and the index (numpy's allocations get huge pages, and
    only the used part is copied): NEED_STORAGE before an interval whose likely table does not fit (state[ARENA]
    entries wanted), or before an index that does not (state[IX_WANT] slots; state[INDEX_NEXT] set: on resuming,
    the interval at state[AT_LENGTH], state[AT_I] is stored and only its index is due). Without them, or past
    max_entries, the kernel grows them itself.
    Returns (status, tn, td, tc0, tcx, ix, log); the storage arrays may have been reallocated.
    """
    n = masks.shape[0] + 1
    nx = tcx.shape[1]
    rows = arena.shape[0]
    hx = np.zeros((1 << 4, nx), np.int64)           # the scratch table's prime lanes, by slot
    bx = np.zeros((0, nx), np.int64)                # the waiting results' prime lanes
    temp = np.empty((min(1 << SUB_BITS, rows), 3), np.int64)    # a partition moved out while the table doubles
    tempx = np.empty((temp.shape[0], nx), np.int64)
    fills = np.zeros((rows >> SUB_BITS) + 1, np.int64)          # entries per partition
    blocks = np.zeros(fills.shape[0], np.int64)                 # waiting results per partition
    sc = np.zeros(6, np.int64)                                  # the scratch table's state (see `scratch`)
    log = np.empty((_LOG_ROWS, 4), np.int64)
    nlog = np.int64(0)                          # (not the literal 0: numba would compile _table twice)
    hooks = state.shape[0] >= STATE_SIZE        # budget: pausing and the log cap
    log_cap = state[LOG_CAP] if hooks else 0
    pending = hooks and state[INDEX_NEXT] != 0      # resuming where only an index was due
    if hooks:
        state[INDEX_NEXT] = 0
    for length in range(first, last + 1):
        for i in range(first_i if length == first else 0, n - length + 1):
            j = i + length - 1
            if length == 1 or (pending and length == first and i == first_i):   # only the index is missing
                if hooks and _index_room(meta, ix, state, i, j):
                    state[AT_LENGTH], state[AT_I] = length, i
                    return NEED_STORAGE, tn, td, tc0, tcx, ix, log[:nlog]
                ix = index(meta, tn, td, ix, state, i, j)
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
            if hooks and used + min(bound, 4 * child) > tn.shape[0]:     # the likely table: the caller grows
                size = max(2 * tn.shape[0], used + min(bound, 4 * child))
                if tn.shape[0] + size <= max_entries:
                    state[ARENA], state[IX_WANT], state[AT_LENGTH], state[AT_I] = size, 0, length, i
                    return NEED_STORAGE, tn, td, tc0, tcx, ix, log[:nlog]
            bits = 4                        # sized for the likely table (a few times the largest part's);
            while 3 << bits < 4 * min(bound, 4 * child):   # it doubles in place when it fills
                bits += 1
            if (1 << bits) + buffer_rows(1 << bits) > rows:
                state[ARENA], state[AT_LENGTH], state[AT_I] = (2 << bits) + buffer_rows(2 << bits), length, i
                return NEED_ARENA, tn, td, tc0, tcx, ix, log[:nlog]
            logged = nlog
            status, hx, bx, log, nlog = _table(i, j, masks, primes, meta, tn, td, tc0, tcx, arena, bits, hx, bx,
                                               fills, blocks, temp, tempx, log, nlog, max_entries - used, log_cap, sc)
            bits, filled = sc[BITS], sc[FILLED]
            if status == NEED_ARENA:
                state[ARENA], state[AT_LENGTH], state[AT_I] = (4 << bits) + buffer_rows(4 << bits), length, i
                return NEED_ARENA, tn, td, tc0, tcx, ix, log[:logged]
            if status == TOO_MANY_ENTRIES:
                state[ARENA], state[AT_LENGTH], state[AT_I] = used + filled, length, i
                return TOO_MANY_ENTRIES, tn, td, tc0, tcx, ix, log[:nlog]
            if status == LOG_FULL:
                state[ARENA], state[AT_LENGTH], state[AT_I] = 2 * nlog, length, i
                return LOG_FULL, tn, td, tc0, tcx, ix, log[:nlog]
            state[WORK] += bound
            if filled == 0:
                continue
            if used + filled > tn.shape[0]:
                size = max(2 * tn.shape[0], used + filled)
                if tn.shape[0] + size > max_entries:    # budget: the old and new arrays live together while copying
                    size = used + filled
                if used + filled > max_entries or tn.shape[0] + size > max_entries:
                    state[ARENA], state[AT_LENGTH], state[AT_I] = tn.shape[0] + size, length, i
                    return TOO_MANY_ENTRIES, tn, td, tc0, tcx, ix, log[:nlog]
                tn, td, tc0, tcx = _extend(tn, size), _extend(td, size), _extend(tc0, size), _extend(tcx, size)
            e, f = used, used + filled     # integers forward from the start, the others backward from the end
            for s in range(1 << bits):
                if arena[s, 1] == 0:
                    continue
                if arena[s, 1] == 1:
                    at = e
                    e += 1
                else:
                    f -= 1
                    at = f
                tn[at] = arena[s, 0]
                td[at] = arena[s, 1]
                tc0[at] = arena[s, 2]
                for x in range(nx):
                    tcx[at, x] = hx[s, x]
            meta[i, j, NINT] = e
            meta[i, j, STOP] = used + filled
            state[USED] = used + filled
            if length < n:                  # the whole side's index is built when first needed
                if hooks and _index_room(meta, ix, state, i, j):
                    state[AT_LENGTH], state[AT_I] = length, i
                    return NEED_STORAGE, tn, td, tc0, tcx, ix, log[:nlog]
                ix = index(meta, tn, td, ix, state, i, j)
    return OK, tn, td, tc0, tcx, ix, log[:nlog]


@_helper
def _index_room(meta, ix, state, i, j):
    """Whether interval i..j's index does not fit `ix`: then state[IX_WANT] is the slots wanted, state[ARENA] 0
    and state[INDEX_NEXT] 1 (see `build`)."""
    cap = 1
    while cap < 2 * (meta[i, j, STOP] - meta[i, j, START]):
        cap <<= 1
    if state[IUSED] + cap <= ix.shape[0]:
        return False
    state[IX_WANT], state[ARENA], state[INDEX_NEXT] = max(2 * ix.shape[0], state[IUSED] + cap), 0, 1
    return True


@_helper
def _table(i, j, masks, primes, meta, tn, td, tc0, tcx, arena, bits, hx, bx, fills, blocks, temp, tempx, log, nlog,
           room, log_cap, sc):
    """Interval i..j's scratch table at the start of `arena`: every pair of its splits combined and summed in,
    starting at 2**bits slots and doubling when crowded. Returns (status, hx, bx, log, nlog), status OK,
    NEED_ARENA, TOO_MANY_ENTRIES (past `room` entries) or LOG_FULL (the log past `log_cap` rows, when set);
    sc[BITS], sc[FILLED] say the table's size."""
    rows = arena.shape[0]
    nx = tcx.shape[1]
    arena[:1 << bits, 1] = 0
    if hx.shape[0] < 1 << bits:
        hx = np.zeros((1 << bits, nx), np.int64)
    parts, each = layout(bits, rows)
    sc[BITS], sc[FILLED], sc[PARTS], sc[EACH], sc[AT_BLOCK], sc[AT_ROW] = bits, 0, parts, each, 0, 0
    blocks[:parts + 1] = 0
    fills[:parts + 1] = 0
    if bx.shape[0] < parts * each:
        bx = np.zeros((parts * each, nx), np.int64)
    one = np.zeros((1, nx), np.int64)
    at = np.empty(4, np.int64)             # where `_pairs` goes on from
    at[0], at[1], at[2], at[3] = i, 0, -1, -1
    while True:
        why, nlog = _pairs(i, j, masks, primes, meta, tn, td, tc0, tcx, arena, hx, bx, one, blocks, log, nlog, sc, at)
        if why == _FULL_LOG:
            if 0 < log_cap < 2 * nlog:     # budget
                return LOG_FULL, hx, bx, log, nlog
            log = _grow(log, 2 * nlog)
            continue
        parts, each = sc[PARTS], sc[EACH]
        if parts and fits(fills, blocks, sc):   # the waiting results go in, each partition's on their own
            flush_parts(arena, hx, primes, arena[rows - parts * each:], bx, blocks, fills, sc)
        elif parts:                         # the same, the table doubling as it needs
            while not flush(arena, hx, primes, arena[rows - parts * each:], bx, blocks, fills, sc):
                if 2 << sc[BITS] > rows - parts * each:
                    return NEED_ARENA, hx, bx, log, nlog
                hx = _double(arena, hx, primes, fills, temp, tempx, sc)
        elif why == _CROWDED:
            if 2 << sc[BITS] > rows:
                return NEED_ARENA, hx, bx, log, nlog
            hx = _double(arena, hx, primes, fills, temp, tempx, sc)
        if sc[FILLED] > room:
            return TOO_MANY_ENTRIES, hx, bx, log, nlog
        if why == _DONE:
            return OK, hx, bx, log, nlog
        parts, each = layout(sc[BITS], rows)
        if parts and each < MIN_BLOCK:
            return NEED_ARENA, hx, bx, log, nlog
        sc[PARTS], sc[EACH] = parts, each
        blocks[:parts] = 0
        if bx.shape[0] < parts * each:
            bx = np.zeros((parts * each, nx), np.int64)


@_helper
def _double(arena, hx, primes, fills, temp, tempx, sc):
    """The scratch table doubled in place (see `scratch.double`); returns its lanes `hx`, grown when short."""
    bits = sc[BITS]
    if hx.shape[0] < 2 << bits:
        hx = _grow(hx, 2 << bits)
    double(arena, hx, primes, bits, fills, temp, tempx)
    sc[BITS] = bits + 1
    return hx


@_helper
def _pairs(i, j, masks, primes, meta, tn, td, tc0, tcx, arena, hx, bx, one, blocks, log, nlog, sc, at):
    """Interval i..j's pairs from the cursor `at` on (split, operator, a, b; a = -1 at an operator's start),
    combined and summed into the table or put in their partition's block, until the caller must act.

    Returns (why, nlog): _DONE, _FULL_BLOCK (a block is full), _CROWDED (the table, one partition, must
    double) or _FULL_LOG (the overflow log must grow; that pair is still to do). Arrays are never replaced
    here, so that the hot loop does no reference counting.
    """
    n = masks.shape[0] + 1
    nx = tcx.shape[1]
    bits, filled, parts, each = sc[BITS], sc[FILLED], sc[PARTS], sc[EACH]
    base = arena.shape[0] - parts * each
    mask = (1 << bits) - 1
    k, op, a, b = at[0], at[1], at[2], at[3]
    why = _DONE
    first = np.int64(0)                     # `one`'s row (a literal 0 would compile `add_lanes` once more)
    while k < j:
        a0, a1 = meta[i, k, START], meta[i, k, STOP]
        b0, b1 = meta[k + 1, j, START], meta[k + 1, j, STOP]
        while op < 4:
            if masks[k] & (1 << op):
                if a < 0:
                    a, b = a0, b0
                while a < a1:
                    an, ad, ca = tn[a], td[a], tc0[a]
                    while b < b1:
                        rn, rd, flag = _apply(op, an, ad, tn[b], td[b])
                        if flag != DONE:
                            if flag == OVERFLOW:
                                if nlog == log.shape[0]:
                                    why = _FULL_LOG
                                    break
                                log[nlog, 0] = i * n + j
                                log[nlog, 1] = op
                                log[nlog, 2] = a
                                log[nlog, 3] = b
                                nlog += 1
                            b += 1
                            continue
                        c = _wmul(ca, tc0[b])
                        if parts == 0:          # one partition, in cache: straight in
                            slot, new = add(arena, rn, rd, c, bits)
                            if nx:
                                for x in range(nx):
                                    one[0, x] = tcx[a, x] * tcx[b, x] % primes[x]
                                add_lanes(hx, slot, new, primes, one, first)
                            b += 1
                            if new:
                                filled += 1
                                if crowded(filled, filled, bits):
                                    why = _CROWDED
                                    break
                        else:                   # it waits in its partition's block
                            q = _slot(rn, rd, mask) >> SUB_BITS
                            r = q * each + blocks[q]
                            arena[base + r, 0] = rn
                            arena[base + r, 1] = rd
                            arena[base + r, 2] = c
                            for x in range(nx):
                                bx[r, x] = tcx[a, x] * tcx[b, x] % primes[x]
                            blocks[q] += 1
                            b += 1
                            if blocks[q] == each:
                                why = _FULL_BLOCK
                                break
                    if why != _DONE:
                        at[0], at[1], at[2], at[3] = k, op, a, b
                        sc[FILLED] = filled
                        return why, nlog
                    a += 1
                    b = b0
            op += 1
            a = -1
        k += 1
        op = 0
    at[0] = j
    sc[FILLED] = filled
    return _DONE, nlog
