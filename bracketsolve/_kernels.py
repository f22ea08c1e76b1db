"""Every numba kernel of bracketsolve: the interval DP over reduced int64 rationals, and lookups in its tables.

Kernels take plain numpy arrays and return arrays plus a status code; each compiles on its first call.
Arithmetic that would leave int64 is reported (never wrapped); `fast.py` redoes it with Python ints.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, config, types
from numba.extending import intrinsic

OK, TOO_MUCH_WORK, TOO_MANY_ENTRIES, NEED_ARENA = 0, 1, 2, 3   # kernel status codes
ADD, SUB, MUL, DIV = 0, 1, 2, 3                    # operator codes; a slot's mask has bit 1 << code per operator
DONE, UNDEFINED, OVERFLOW = 0, 1, 2                # what `_apply` says about a result
ONE, NONE, ALL, ALL_NONZERO, LOST = 0, 1, 2, 3, 4  # what `_partner` found: one value, none, every entry, ..., overflow
START, STOP, NINT, ISTART, ICAP = 0, 1, 2, 3, 4    # meta[i, j, :]: entries, integer entries first, index slots
USED, IUSED, WORK, AT_LENGTH, AT_I, ARENA = 0, 1, 2, 3, 4, 5   # state[:]: slots in use, pairs combined, restart point

_BATCH = 32                                        # results computed (and their slots prefetched) before inserting
INT64_MAX = 2**63 - 1                              # values are kept in [-INT64_MAX, INT64_MAX]: INT64_MIN is never used
_H1 = 0x9E3779B97F4A7C15 - 2**64                   # hash multipliers, as signed int64
_H2 = 0xC2B2AE3D27D4EB4F - 2**64


def _jit(fn):
    """A kernel: `fn` compiled on first call, cached on disk when some cache directory is writable.

    Helpers are plain `numba.njit`: they are compiled into the kernels that call them.
    """
    try:
        return numba.njit(cache=True)(fn)
    except RuntimeError:            # numba raises at decoration time when it finds no writable cache directory
        return numba.njit(fn)


# --- overflow-checked primitives: LLVM intrinsics when compiled, Python ints when NUMBA_DISABLE_JIT=1 --------

def _checked(name):
    """An intrinsic `(a, b) -> (a op b wrapped, overflowed)` for the llvmlite IRBuilder method `name`."""

    def typer(typingctx, a, b):
        if not (isinstance(a, types.Integer) and isinstance(b, types.Integer)):
            return None
        sig = types.Tuple((types.int64, types.boolean))(a, b)

        def codegen(context, builder, signature, args):
            x = context.cast(builder, args[0], signature.args[0], types.int64)
            y = context.cast(builder, args[1], signature.args[1], types.int64)
            pair = getattr(builder, name)(x, y)
            return context.make_tuple(builder, signature.return_type,
                                      [builder.extract_value(pair, 0), builder.extract_value(pair, 1)])

        return sig, codegen

    typer.__name__ = name
    return intrinsic(typer)


def _checked_py(fn):
    """The pure-Python twin of a checked intrinsic."""

    def checked(a, b):
        r = fn(int(a), int(b))
        return r, not -2**63 <= r < 2**63

    return checked


def _wrap(x: int) -> int:
    return (x + 2**63) % 2**64 - 2**63


if config.DISABLE_JIT:
    _add = _checked_py(lambda a, b: a + b)
    _sub = _checked_py(lambda a, b: a - b)
    _mul = _checked_py(lambda a, b: a * b)
    _gcd = math.gcd

    def _wmul(a, b):
        return _wrap(int(a) * int(b))

    def _wadd(a, b):
        return _wrap(int(a) + int(b))

    def _slot(n, d, mask):
        h = (int(n) * _H1 + int(d) * _H2) % 2**64
        return (h ^ (h >> 29)) & int(mask)

    def _prefetch(table, row):
        pass
else:
    from numba.cpython.unsafe.numbers import trailing_zeros as _ctz

    _add = _checked("sadd_with_overflow")
    _sub = _checked("ssub_with_overflow")
    _mul = _checked("smul_with_overflow")

    @numba.njit
    def _gcd(u, v):
        """Binary gcd of two non-negative int64s."""
        if u == 0:
            return v
        if v == 0:
            return u
        if u == 1 or v == 1:        # common: an integer's denominator
            return 1
        if u > v:                   # one division brings the larger below the smaller (often a denominator)
            u %= v
            if u == 0:
                return v
        else:
            v %= u
            if v == 0:
                return u
        shift = _ctz(u | v)
        u >>= _ctz(u)
        while True:
            v >>= _ctz(v)
            if u > v:
                u, v = v, u
            v -= u
            if v == 0:
                return u << shift

    @numba.njit
    def _wmul(a, b):
        return a * b                # numba's integer multiply wraps (no nsw flag)

    @numba.njit
    def _wadd(a, b):
        return a + b

    @numba.njit
    def _slot(n, d, mask):
        h = n * _H1 + d * _H2
        return (h ^ (h >> 29)) & mask

    @intrinsic
    def _prefetch(typingctx, table, row):
        """Ask the CPU to fetch row `row` of a 2-d array for writing (llvm.prefetch); does nothing else."""
        if not isinstance(table, types.Array) or table.ndim != 2:
            return None

        def codegen(context, builder, signature, args):
            tabletype = signature.args[0]
            array = context.make_array(tabletype)(context, builder, args[0])
            index = context.cast(builder, args[1], signature.args[1], types.intp)
            zero = context.get_constant(types.intp, 0)
            pointer = cgutils.get_item_pointer(context, builder, tabletype, array, [index, zero], wraparound=False)
            bytes_ = ir.IntType(8).as_pointer()
            i32 = ir.IntType(32)
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [bytes_, i32, i32, i32]),
                                                "llvm.prefetch.p0")
            builder.call(fn, [builder.bitcast(pointer, bytes_), i32(1), i32(3), i32(1)])
            return context.get_dummy_value()

        return types.void(table, row), codegen


# --- exact rational arithmetic on (numerator, positive denominator) pairs in lowest terms -----------------

@numba.njit
def _reduce(n, d):
    """(n, d) in lowest terms with d > 0, given d != 0; OVERFLOW when either is INT64_MIN."""
    if n == -INT64_MAX - 1 or d == -INT64_MAX - 1:
        return n, d, OVERFLOW
    if d < 0:
        n, d = -n, -d
    if n == 0:
        return 0, 1, DONE
    g = _gcd(abs(n), d)
    if g > 1:
        n //= g
        d //= g
    return n, d, DONE


@numba.njit
def _apply(op, an, ad, bn, bd):
    """(n, d, flag): `a op b` in lowest terms; flag DONE, UNDEFINED (division by zero) or OVERFLOW."""
    if op == DIV:
        if bn == 0:
            return 0, 1, UNDEFINED
        if bn < 0:
            bn, bd = -bd, -bn
        else:
            bn, bd = bd, bn
        op = MUL
    if op == MUL:
        if ad == 1 and bd == 1:
            n, over = _mul(an, bn)
            if over or n == -INT64_MAX - 1:
                return 0, 1, OVERFLOW
            return n, 1, DONE
        g1 = _gcd(abs(an), bd)      # cross-reduce first: the product is then in lowest terms
        g2 = _gcd(abs(bn), ad)
        n, o1 = _mul(an // g1, bn // g2)
        d, o2 = _mul(ad // g2, bd // g1)
        if o1 or o2 or n == -INT64_MAX - 1:
            return 0, 1, OVERFLOW
        if n == 0:
            return 0, 1, DONE
        return n, d, DONE
    if ad == bd:
        if op == ADD:
            n, over = _add(an, bn)
        else:
            n, over = _sub(an, bn)
        if over:
            return 0, 1, OVERFLOW
        if ad == 1:
            if n == -INT64_MAX - 1:
                return 0, 1, OVERFLOW
            return n, 1, DONE
        return _reduce(n, ad)
    g = _gcd(ad, bd)                # Knuth's sum: only gcds of denominators, the result comes out reduced
    x, o1 = _mul(an, bd // g)
    y, o2 = _mul(bn, ad // g)
    if op == ADD:
        t, o3 = _add(x, y)
    else:
        t, o3 = _sub(x, y)
    if o1 or o2 or o3 or t == -INT64_MAX - 1:
        return 0, 1, OVERFLOW
    if t == 0:
        return 0, 1, DONE
    g2 = _gcd(abs(t), g) if g > 1 else 1
    d, o4 = _mul(ad // g, bd // g2)
    if o4:
        return 0, 1, OVERFLOW
    return t // g2, d, DONE


@numba.njit
def _partner(op, side, an, ad, tn, td):
    """(kind, n, d): the x with `a op x == t` (side 0) or `x op a == t` (side 1); kind ONE, NONE, ALL, ..."""
    inverse, xn, xd, yn, yd = SUB, tn, td, an, ad       # x = t - a (one call of _apply below keeps it small)
    if op == SUB:
        if side == 0:
            inverse, xn, xd, yn, yd = SUB, an, ad, tn, td   # x = a - t
        else:
            inverse = ADD                                   # x = t + a
    elif op == MUL:
        if an == 0:
            return (ALL if tn == 0 else NONE), 0, 1
        inverse = DIV                                       # x = t / a
    elif op == DIV:
        if an == 0:
            return (ALL_NONZERO if side == 0 and tn == 0 else NONE), 0, 1
        if side == 0:
            if tn == 0:
                return NONE, 0, 1
            inverse, xn, xd, yn, yd = DIV, an, ad, tn, td   # x = a / t
        else:
            inverse = MUL                                   # x = t * a
    n, d, flag = _apply(inverse, xn, xd, yn, yd)
    if flag == OVERFLOW:
        return LOST, 0, 1
    return ONE, n, d


# --- tables --------------------------------------------------------------------------------------------------

@numba.njit
def _find(meta, tn, td, ix, i, j, n, d):
    """The storage position of value n/d in interval i..j's table, or -1."""
    cap = meta[i, j, ICAP]
    if cap == 0:
        return -1
    base = meta[i, j, ISTART]
    start = meta[i, j, START]
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
def find(meta, tn, td, ix, i, j, qn, qd):
    """Storage positions of the values qn/qd in interval i..j's table (-1 where absent)."""
    out = np.empty(qn.shape[0], np.int64)
    for q in range(qn.shape[0]):
        out[q] = _find(meta, tn, td, ix, i, j, qn[q], qd[q])
    return out


@numba.njit
def _grow(a, size):
    """`a` copied into a larger array of `size` rows."""
    shape = (size,) + a.shape[1:]
    out = np.zeros(shape, a.dtype)
    out[:a.shape[0]] = a
    return out


@numba.njit
def _insert(h, mask, n, d, c, slot):
    """Add count `c` (lane 0) of value n/d to the scratch table `h` (rows n, d, count); (slot, is it new).

    `slot` is where n/d hashes to, or -1 to compute it here.
    """
    if slot < 0:
        slot = _slot(n, d, mask)
    while True:
        if h[slot, 1] == 0:
            h[slot, 0] = n
            h[slot, 1] = d
            h[slot, 2] = c
            return slot, True
        if h[slot, 0] == n and h[slot, 1] == d:
            h[slot, 2] = _wadd(h[slot, 2], c)
            return slot, False
        slot = (slot + 1) & mask


@numba.njit
def _rehash(h, hx, g, gx):
    """The scratch table `h` (and its prime lanes `hx`) moved into the empty table `g` (`gx`)."""
    g[:, 1] = 0
    mask = g.shape[0] - 1
    for s in range(h.shape[0]):
        if h[s, 1] != 0:
            slot, new = _insert(g, mask, h[s, 0], h[s, 1], h[s, 2], -1)
            gx[slot] = hx[s]


@_jit
def index(meta, tn, td, ix, state, i, j):
    """An open-addressing index (entry number + 1, 0 for empty) over interval i..j's table; returns `ix`."""
    start, stop = meta[i, j, START], meta[i, j, STOP]
    cap = 1
    while cap < 2 * (stop - start):
        cap <<= 1
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
    meta[i, j, ISTART] = base
    meta[i, j, ICAP] = cap
    state[IUSED] = base + cap
    return ix


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
    Returns (status, tn, td, tc0, tcx, ix, log); the storage arrays may have been reallocated.
    """
    n = masks.shape[0] + 1
    nx = tcx.shape[1]
    rows = arena.shape[0]
    hx = np.zeros((1 << 4, nx), np.int64)
    log = np.empty((1 << 10, 4), np.int64)
    nlog = 0
    batch = np.empty((_BATCH, 4), np.int64)     # n, d, flag, slot of the results waiting to be inserted
    for length in range(first, last + 1):
        for i in range(first_i if length == first else 0, n - length + 1):
            j = i + length - 1
            if length == 1:                 # operands: their tables are in place, only the index is missing
                ix = index(meta, tn, td, ix, state, i, i)
                continue
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
            if used + filled > max_entries:
                return TOO_MANY_ENTRIES, tn, td, tc0, tcx, ix, log[:nlog]
            if used + filled > tn.shape[0]:
                size = max(tn.shape[0] + tn.shape[0] // 2, used + filled)
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


@numba.njit
def _sum_lanes(tc0, tcx, primes, e0, e1, skip, out):
    """out[:] = the lanes of the summed counts of entries e0..e1, leaving out entry `skip`."""
    nx = tcx.shape[1]
    out[:] = 0
    for e in range(e0, e1):
        if e != skip:
            out[0] = _wadd(out[0], tc0[e])
            for x in range(nx):
                out[1 + x] = (out[1 + x] + tcx[e, x]) % primes[x]


@_jit
def matches(meta, tn, td, tc0, tcx, ix, masks, primes, i, j, t_n, t_d, rows_wanted):
    """Every split k, operator and pair of table entries (a of i..k, b of k+1..j) with `a op b == t`.

    Enumerates the smaller table of each split and looks the partner up in the other; 0 * y, 0 / y are
    handled as whole-table matches. Returns (lanes of the summed count products, rows (k, op, a, b)
    when `rows_wanted`, lost rows (k, op, side, position) whose partner left int64).
    """
    nx = tcx.shape[1]
    total = np.zeros(1 + nx, np.int64)
    whole = np.zeros(1 + nx, np.int64)
    rows = np.empty((1 << 6, 4), np.int64)
    nrows = 0
    lost = np.empty((1 << 4, 4), np.int64)
    nlost = 0
    for k in range(i, j):
        a0, a1 = meta[i, k, START], meta[i, k, STOP]
        b0, b1 = meta[k + 1, j, START], meta[k + 1, j, STOP]
        if a0 == a1 or b0 == b1:
            continue
        side = 0 if a1 - a0 <= b1 - b0 else 1
        e0, e1 = (a0, a1) if side == 0 else (b0, b1)
        o0, o1 = (b0, b1) if side == 0 else (a0, a1)
        oi, oj = (k + 1, j) if side == 0 else (i, k)
        for op in range(4):
            if not masks[k] & (1 << op):
                continue
            for e in range(e0, e1):
                kind, pn, pd = _partner(op, side, tn[e], td[e], t_n, t_d)
                if kind == NONE:
                    continue
                if kind == LOST:
                    if nlost == lost.shape[0]:
                        lost = _grow(lost, 2 * nlost)
                    lost[nlost, 0] = k
                    lost[nlost, 1] = op
                    lost[nlost, 2] = side
                    lost[nlost, 3] = e
                    nlost += 1
                    continue
                if kind == ONE:
                    f = _find(meta, tn, td, ix, oi, oj, pn, pd)
                    if f < 0:
                        continue
                    total[0] = _wadd(total[0], _wmul(tc0[e], tc0[f]))
                    for x in range(nx):
                        total[1 + x] = (total[1 + x] + tcx[e, x] * tcx[f, x] % primes[x]) % primes[x]
                    first, last, skip = f, f + 1, -1
                else:
                    skip = -1
                    if kind == ALL_NONZERO:
                        skip = _find(meta, tn, td, ix, oi, oj, 0, 1)
                    _sum_lanes(tc0, tcx, primes, o0, o1, skip, whole)
                    total[0] = _wadd(total[0], _wmul(tc0[e], whole[0]))
                    for x in range(nx):
                        total[1 + x] = (total[1 + x] + tcx[e, x] * whole[1 + x] % primes[x]) % primes[x]
                    first, last = o0, o1
                if not rows_wanted:
                    continue
                for f in range(first, last):
                    if f == skip:
                        continue
                    if nrows == rows.shape[0]:
                        rows = _grow(rows, 2 * nrows)
                    rows[nrows, 0] = k
                    rows[nrows, 1] = op
                    rows[nrows, 2] = e if side == 0 else f
                    rows[nrows, 3] = f if side == 0 else e
                    nrows += 1
    return total, rows[:nrows], lost[:nlost]


@numba.njit
def _less(an, ad, bn, bd):
    """a/b < c/d exactly (positive denominators), comparing continued-fraction terms: no products."""
    while True:
        qa, qb = an // ad, bn // bd
        if qa != qb:
            return qa < qb
        ra, rb = an - qa * ad, bn - qb * bd        # in [0, ad) and [0, bd)
        if ra == 0 or rb == 0:
            return ra == 0 and rb != 0
        an, ad, bn, bd = bd, rb, ad, ra            # ra/ad < rb/bd  <=>  bd/rb < ad/ra


@_jit
def order(tn, td, start, stop):
    """The positions start..stop-1 sorted by the exact value tn/td (a bottom-up merge sort)."""
    count = stop - start
    a = np.arange(start, stop)
    b = np.empty(count, np.int64)
    width = 1
    while width < count:
        for lo in range(0, count, 2 * width):
            mid, hi = min(lo + width, count), min(lo + 2 * width, count)
            x, y, out = lo, mid, lo
            while x < mid and y < hi:
                if _less(tn[a[y]], td[a[y]], tn[a[x]], td[a[x]]):
                    b[out] = a[y]
                    y += 1
                else:
                    b[out] = a[x]
                    x += 1
                out += 1
            while x < mid:
                b[out] = a[x]
                x += 1
                out += 1
            while y < hi:
                b[out] = a[y]
                y += 1
                out += 1
        a, b = b, a
        width *= 2
    return a
