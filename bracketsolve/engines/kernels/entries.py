"""Whole generated entries in one kernel call: Python's random.Random (mt.py), the draws and retries of
`generate`, and the pick of a target, around the per-draw candidates of generate.py.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import _jit, _reduce
from .generate import F_COUNT, I_COUNT, I_STATES, I_STATUS, I_UNDEFINED, I_VALUES, OK, WORK_ROWS, _one
from .mt import below, quarter, seed


(D_N, D_LO, D_WIDTH, D_BITS, D_DECIMALS, D_NEGATIVES, D_OPS, D_OPS_BITS, D_COUNT) = range(9)   # `draw`
(E_STATUS, E_TRIES, E_VALUES, E_UNDEFINED, E_STATES, E_MISSING, E_COUNT) = range(7)           # `done` fields
DONE_, FAILED, NEED_ROW, LEFT_INT64 = 0, 1, 2, 3                                             # E_STATUS


@numba.njit
def _bit_length(x):
    k = 0
    while x > 0:
        x >>= 1
        k += 1
    return k


@_jit
def entries(keys, lengths, mt0, draw, opcodes, table, attrs, tries, step_k, step_l, step_r, roots, made, skip,
            leaf, opt, chosen, drawn, done):
    """Whole entries: for entry e, Python's Mersenne Twister seeded from keys[e, :lengths[e]] (what
    random.Random(f"{seed}:{index}") does), then draws of operands and operators as generate's
    `_Options.draw` makes them until one offers candidates (at most `tries`), and the pick of one as
    rng.choice makes it.

    Takes the keys, the start state `mt0` (mt.start_state()), the draw knobs (D_ fields), the operator codes of
    the options' operators, `table[code]` the row of `attrs` for the operator sequence numbered code (digit k,
    base D_OPS, is slot k's operator; -1 when that row is not filled yet), the plan and search as for
    `candidates`, and the options.
    Returns: nothing; fills chosen[e] (the F_ fields of the pick), drawn[e] (numerators, denominators, operator
    indices) and done[e] (E_ fields: DONE_, FAILED after `tries` draws, NEED_ROW with E_MISSING the sequence to
    fill before running the entry again, or LEFT_INT64: redo the entry in Python).
    """
    n = draw[D_N]
    steps, count_roots = step_k.shape[0], roots.shape[0]
    state = np.empty(625, np.int64)
    vn = np.empty(n + steps, np.int64)
    vd = np.empty(n + steps, np.int64)
    ok = np.empty(n + steps, np.bool_)
    codes = np.empty(max(1, n - 1), np.int64)
    picks = np.empty(max(1, n - 1), np.int64)
    work = np.empty((WORK_ROWS, 3 * count_roots + 2), np.int64)
    rows = np.empty((3 * count_roots + 2, F_COUNT), np.int64)
    pool = np.empty((3 * count_roots + 2, F_COUNT), np.int64)
    info = np.empty(I_COUNT, np.int64)
    for e in range(keys.shape[0]):
        seed(state, mt0, keys[e], lengths[e])
        status, t = FAILED, 0
        while t < tries:
            t += 1
            for i in range(n):
                x = draw[D_LO] + below(state, draw[D_WIDTH], draw[D_BITS])
                xd = 1
                if draw[D_DECIMALS] != 0:
                    x, xd, _ = _reduce(x, 10)
                if draw[D_NEGATIVES] != 0 and quarter(state):
                    x = -x
                vn[i], vd[i], ok[i] = x, xd, True
            code, scale = 0, 1
            for k in range(n - 1):
                j = below(state, draw[D_OPS], draw[D_OPS_BITS])
                picks[k], codes[k] = j, opcodes[j]
                code += j * scale
                scale *= draw[D_OPS]
            r = table[code]
            if r < 0:
                status = NEED_ROW
                done[e, E_MISSING] = code
                break
            size = _one(vn, vd, ok, codes, attrs[r], n, step_k, step_l, step_r, roots, made, skip, leaf, opt, pool,
                        0, info, work, rows)
            if info[I_STATUS] != OK:
                status = LEFT_INT64
                break
            if size > 0:
                p = below(state, size, _bit_length(size))
                for f in range(F_COUNT):
                    chosen[e, f] = pool[p, f]
                for i in range(n):
                    drawn[e, i] = vn[i]
                    drawn[e, n + i] = vd[i]
                for k in range(n - 1):
                    drawn[e, 2 * n + k] = picks[k]
                done[e, E_VALUES] = info[I_VALUES]
                done[e, E_UNDEFINED] = info[I_UNDEFINED]
                done[e, E_STATES] = info[I_STATES]
                status = DONE_
                break
        done[e, E_STATUS] = status
        done[e, E_TRIES] = t
