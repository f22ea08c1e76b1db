"""The numba engine's questions: (interval, value) -> count for the intervals without a table, and the lazy
walk back through tables and questions that lists solutions.

Used while every table value fits int64 (no table has a big part). The kernels log the partners that
leave int64; they are found exactly here, between levels, and asked or counted with Python ints.
"""

from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, cast

import numpy as np

from . import kernels as K
from .kernels import first as F
from .kernels import query as Q
from . import plan
from .reference import excluded, solve_for
from ..solver.model import Tree, Value
from ..solver.symbols import OPERATORS

if TYPE_CHECKING:
    from .fast import NumbaSide

Row = tuple[int, str, int, Value, int, Optional[Value]]     # (k, op, side, known value, kind, partner value)
Cursor = tuple[int, int, int]                               # where a match list resumes: (k, op code, entry)

_ROWS_KEPT = 4096              # (interval, value) match lists remembered while walking solutions
PAUSE_PAIRS = 500_000         # pairs looked at between two budget checks, when there is a deadline or progress
                              # to report (0.05 to 0.2 s of them, measured; a pause resumes at the next question)


def _fits(v: Value) -> bool:
    v = Fraction(v)
    return abs(v.numerator) <= K.INT64_MAX and v.denominator <= K.INT64_MAX


def _pair(v: Value) -> tuple[int, int]:
    v = Fraction(v)
    return v.numerator, v.denominator


class Questions:
    """The question store of one `NumbaSide` whose tables go up to `side.built` operands."""

    def __init__(self, side: NumbaSide, first: Optional[tuple[int, int, Value]] = None) -> None:
        self.side = side
        expr = side.expr
        n = self.n = expr.size
        nx = len(side._residues.primes)
        self.built = np.zeros((n, n), np.bool_)
        self.nb, self.db = side._nb, side._db       # plan.bounds saturated at INT64_MAX (read only)
        self.qv = np.zeros((1 << 8, 4), np.int64)
        self.qc = np.zeros((1 << 8, 1 + nx), np.int64)
        self.qs = np.zeros(1 << 8, np.int64)
        self.qh = np.zeros(1 << 9, np.int64)
        self.head = np.full(n * n, -1, np.int64)
        self.state = np.zeros(Q.STATE_SIZE, np.int64)      # Q.USED, Q.PAIRS, Q.PAUSE_AT, Q.AT_I, Q.AT_Q
        self.state[Q.AT_Q] = -2
        self._charged = 0               # budget: pairs looked at already counted as work
        self.dl = np.zeros((n * n, 1 + nx), np.int64)
        self.dset = np.zeros(n * n, np.bool_)
        self._rows: dict[tuple[int, int, Value], list[Any]] = {}     # -> [rows so far, Cursor or None]
        self._held = 0                  # budget: bytes of the store reserved
        self._account()
        self.tabled(side.built)
        zeros = [(a, b) for a in range(1, n) for b in range(a, n) if not self.built[a, b] and "/" in expr.slots[a - 1]]
        asks = [(a, b, 0, 1) for a, b in zeros]           # the divisors equal to 0, for the defined counts
        if first is not None and self._askable(*first):   # and the caller's first question, in the same pass
            i, j, v = first
            asks.append((i, j, *_pair(v)))
        self._ask(asks)

    def _askable(self, i: int, j: int, v: Value) -> bool:
        """Is `v` a question for interval i..j: untabled, fitting int64 and within its bounds?"""
        if self.built[i, j] or not _fits(v):
            return False
        x = Fraction(v)
        return bool(abs(x.numerator) <= self.nb[i, j] and x.denominator <= self.db[i, j])

    def tabled(self, built: int) -> None:
        """Intervals of up to `built` operands have tables now."""
        span = np.subtract.outer(np.arange(self.n), np.arange(self.n))      # span[j, i] = j - i
        self.built |= ((0 <= span) & (span < built)).T
        self._rows.clear()

    def _account(self) -> None:
        """Reserve what the store's arrays hold now (they grow by doubling inside the kernels), check the deadline.

        A kernel call may double the store once past what was reserved before it: the next call's room for that
        is kept free (`fits`), so the budget is passed by at most one doubling, and never silently."""
        held = sum(a.nbytes for a in (self.qv, self.qc, self.qs, self.qh, self.head, self.dl, self.dset))
        limits = self.side.limits
        limits.reserve(held - self._held, "this puzzle's questions (interval, value)")
        if held < self._held:
            limits.release(self._held - held)
        self._held = held
        if not limits.fits(held):
            raise limits.memory_error(limits.reserved + held, "this puzzle's questions (interval, value)")
        limits.check()

    @property
    def asked(self) -> int:
        """Questions asked so far."""
        return int(self.state[0])

    def _ask(self, asks: list[tuple[int, int, int, int]], top: int = 0) -> None:
        """Ask questions (i, j, numerator, denominator) of at most `top` operands (default: any) and answer
        every new one: partners asked level by level downwards, then counted upwards. Partners that left
        int64 are found exactly here between two levels (only levels below are touched meanwhile)."""
        side, n, low = self.side, self.n, self.side.built + 1
        top = top or n
        if asks:
            xs, ns, ds = (np.array(c, np.int64) for c in zip(*((i * n + j, a, b) for i, j, a, b in asks)))
            self.qv, self.qc, self.qs, self.qh = Q.ask(self.qv, self.qc, self.qs, self.qh, self.head, self.state,
                                                      xs, ns, ds)
        level = top
        self.state[Q.AT_Q] = -2         # (a pause interrupted by a budget error resumes nowhere)
        while level >= low:
            self._pause_point()
            status, level, self.qv, self.qc, self.qs, self.qh, log = Q.down(
                level, low, side._masks, side._allowed, self.built, self.nb, self.db, side.meta, side.tn, side.td,
                self.qv, self.qc, self.qs, self.qh, self.head, self.state)
            self._account()
            self._charge()
            if status == Q.OK:
                break
            if status == Q.LOGGED:
                self._ask_lost(log)
                level -= 1
        level = 1                       # from the tabled intervals, whose defined counts are summed once
        while level <= top:
            self._pause_point()
            status, level, log = Q.up(level, top, side._masks, side._allowed, self.built, self.nb, self.db,
                                      side._primes, side.meta, side.tn, side.td, side.ix, side.tc0, side.tcx, self.qv,
                                      self.qc, self.qs, self.qh, self.head, self.dl, self.dset, self.state)
            self._charge()
            if status == Q.OK:
                break
            if status == Q.LOGGED:
                self._count_lost(log)
                level += 1
        self._account()

    def _pause_point(self) -> None:
        """Where the kernels stop next to have the budget checked: at the work cap, and every PAUSE_PAIRS pairs
        when there is a deadline or progress to report."""
        limits, pairs = self.side.limits, int(self.state[Q.PAIRS])
        left = max(0, limits.work_cap(self.side.max_work) - limits.work) + 1
        if limits.pausing:
            left = min(left, PAUSE_PAIRS)
        self.state[Q.PAUSE_AT] = pairs + left

    def _charge(self) -> None:
        """Count the pairs the kernels looked at as work (budget): past the work cap, refuse; check the deadline
        and report progress."""
        side, limits, pairs = self.side, self.side.limits, int(self.state[Q.PAIRS])
        limits.work += pairs - self._charged
        self._charged = pairs
        cap = limits.work_cap(side.max_work)
        if limits.work > cap:
            raise limits.work_error(limits.work, cap, "this puzzle's questions")
        limits.progress(self.asked, 0, "answering questions", "questions")

    def _lost(self, log: np.ndarray) -> Iterator[tuple[int, int, int, int, Value]]:
        """(question, lo, hi, known entry, exact partner) of each logged row."""
        side, n = self.side, self.n
        for q, k, op, e in log.tolist():
            x = int(self.qv[q, Q.QI])
            i, j = divmod(x, n)
            which, lo, hi, _, _ = self._split(i, j, k)
            num, den = int(self.qv[q, Q.QN]), int(self.qv[q, Q.QD])
            kind, partner = solve_for(OPERATORS[op], which, side._value(e), num if den == 1 else Fraction(num, den))
            if partner is not None and plan.within(side.bounds, lo, hi, partner):      # kind "one"
                yield q, lo, hi, e, partner

    def _ask_lost(self, log: np.ndarray) -> None:
        """Ask the logged partners that fit int64 after all (the others are counted exactly in `up`)."""
        asks = [(lo, hi, *_pair(x)) for _, lo, hi, _, x in self._lost(log) if not self.built[lo, hi] and _fits(x)]
        if asks:
            xs, ns, ds = (np.array(c, np.int64) for c in zip(*((i * self.n + j, a, b) for i, j, a, b in asks)))
            self.qv, self.qc, self.qs, self.qh = Q.ask(self.qv, self.qc, self.qs, self.qh, self.head, self.state,
                                                      xs, ns, ds)

    def _count_lost(self, log: np.ndarray) -> None:
        """Add the logged rows to their questions' counts, with their partners counted exactly."""
        side = self.side
        residues = side._residues
        for q, lo, hi, e, x in self._lost(log):
            extra = side._count(e) * side._count_at(lo, hi, x)
            if extra:
                total = residues.value(self.qc[q]) + extra
                self.qc[q] = residues.lanes(total)

    def count(self, i: int, j: int, v: Value) -> int:
        """Bracketings of the untabled interval i..j with the value `v` (a Fraction or int that fits int64)."""
        v = Fraction(v)
        if abs(v.numerator) > self.nb[i, j] or v.denominator > self.db[i, j]:
            return 0
        ask = (i * self.n + j, v.numerator, v.denominator)
        q = self._find(*ask)
        if q < 0 or self.qs[q] != Q.COUNTED:
            self._ask([(i, j, v.numerator, v.denominator)], j - i + 1)
            q = self._find(*ask)
        count: int = self.side._residues.value(self.qc[q])
        return count

    def _find(self, x: int, num: int, den: int) -> int:
        return int(Q.find(self.qv, self.qh, np.array([x]), np.array([num]), np.array([den]))[0])

    def defined(self, i: int, j: int) -> int:
        """Defined bracketings of interval i..j."""
        x = i * self.n + j
        if not self.dset[x]:
            self._ask([], j - i + 1)
        count: int = self.side._residues.value(self.dl[x])
        return count

    # --- walking back --------------------------------------------------------------------------------

    def rows(self, i: int, j: int, v: Value) -> Iterator[Row]:
        """(k, op, side, known value, kind, partner value) for every match of `v` at i..j, lazily (cached)."""
        key = (i, j, v)
        found = self._rows.get(key)
        if found is None:
            if len(self._rows) >= _ROWS_KEPT:
                self._rows.clear()
            found = self._rows[key] = [[], (i, 0, 0)]
        rows = found[0]
        at = 0
        while True:
            if at < len(rows):
                yield rows[at]
                at += 1
                continue
            if found[1] is None:
                return
            row = self._next(i, j, v, *found[1])
            if row is None:
                found[1] = None
                return
            rows.append(row[0])
            found[1] = row[1]

    def _next(self, i: int, j: int, v: Value, k0: int, op0: int, e0: int) -> Optional[tuple[Row, Cursor]]:
        side = self.side
        num, den = _pair(v)
        while True:
            k, op, which, e, kind, f = Q.next_row(i, j, num, den, k0, op0, e0, side._masks, self.built, self.nb,
                                                  self.db, side._primes, side.meta, side.tn, side.td, side.ix, side.tc0,
                                                  side.tcx, self.qv, self.qc, self.qh, self.dl)
            if k < 0:
                return None
            if kind >= 0:
                break
            lo, hi = (k + 1, j) if which == 0 else (i, k)      # a partner past int64: found exactly here
            _, partner = solve_for(OPERATORS[op], which, side._value(e), v)
            if side._count_at(lo, hi, cast(Value, partner)):              # the kernel logged a one-partner row
                return (k, OPERATORS[op], which, side._value(e), Q.ONE_TABLE, partner), (k, op, e + 1)
            k0, op0, e0 = k, op, e + 1
        if kind == Q.ONE_TABLE:
            partner = side._value(f)
        elif kind == Q.ONE_QUESTION:
            num, den = int(self.qv[f, Q.QN]), int(self.qv[f, Q.QD])
            partner = num if den == 1 else Fraction(num, den)
        else:
            partner = None
        return (k, OPERATORS[op], which, side._value(e), kind, partner), (k, op, e + 1)

    def trees(self, i: int, j: int, v: Value) -> Iterator[Tree]:
        """`walk(i, j, v)`, its first tree found by one kernel call (`kernels/first.py`) where it can be."""
        tree = self._first(i, j, v)
        if tree is None:
            yield from self.walk(i, j, v)
            return
        yield tree
        rest = self.walk(i, j, v)
        next(rest)                      # the same tree (tests/test_fast.py checks it), then the others
        yield from rest

    def _first(self, i: int, j: int, v: Value) -> Optional[Tree]:
        """The first tree of `walk(i, j, v)` from the kernel; None when there is none or the kernel cannot say."""
        if i == j or not _fits(v) or (not self.built[i, j] and not self.count(i, j, v)):
            return None
        side = self.side
        num, den = _pair(v)
        status, out = F.first(i, j, num, den, side._masks, self.built, self.nb, self.db, side._primes, side.meta,
                              side.tn, side.td, side.ix, side.tc0, side.tcx, self.qv, self.qc, self.qh, self.dl)
        if status != F.OK:
            return None
        stack: list[Tree] = []
        for lo, _, op, _ in reversed(out.tolist()):     # preorder reversed: a node's children are on the stack
            if op < 0:
                stack.append(lo)
            else:
                left = stack.pop()
                stack.append((OPERATORS[op], left, stack.pop()))
        return stack[0]

    def walk(self, i: int, j: int, v: Value) -> Iterator[Tree]:
        """Every bracketing of operands i..j with the value `v` (fits int64), lazily."""
        side = self.side
        if i == j:
            if side._operands[i] == v:
                yield i
            return
        if not _fits(v):
            yield from side._exact_side()._walk(i, j, v)
            return
        if not self.built[i, j] and not self.count(i, j, v):
            return
        for k, op, which, a, kind, x in self.rows(i, j, v):
            lo, hi = (k + 1, j) if which == 0 else (i, k)
            others: Callable[[], Iterator[Tree]]
            if kind == Q.ONE_TABLE or kind == Q.ONE_QUESTION:
                others = partial(self.walk, lo, hi, cast(Value, x))      # these kinds have a partner
            else:
                skip = () if kind == Q.EVERY else (0,)
                others = partial(self.walk_not, lo, hi, skip)
            yield from _pairs(self, op, which, k, i, j, a, others)

    def walk_not(self, i: int, j: int, values: tuple[Value, ...]) -> Iterator[Tree]:
        """Every defined bracketing of operands i..j whose value is none of `values`, lazily."""
        side = self.side
        if self.built[i, j]:
            for w in side._entries(i, j):
                if w not in values:
                    yield from self.walk(i, j, w)
            return
        if not self.count_not(i, j, values):
            return
        for k in range(i, j):
            which, lo, hi, ki, kj = self._split(i, j, k)
            for op in side.expr.slots[k]:
                for a in side._entries(ki, kj):
                    skip = excluded(op, which, a, values)
                    if skip is not None and self.count_not(lo, hi, skip):
                        yield from _pairs(self, op, which, k, i, j, a,
                                          partial(self.walk_not, lo, hi, skip))

    def count_not(self, i: int, j: int, values: tuple[Value, ...]) -> int:
        """Defined bracketings of operands i..j whose value is none of `values` (distinct)."""
        side = self.side
        count: int
        if self.built[i, j]:
            count = side._sum(i, j) - sum(side._lookup(i, j, w) for w in values)
        else:
            count = self.defined(i, j) - sum(side._count_at(i, j, w) for w in values)
        return count

    def _split(self, i: int, j: int, k: int) -> tuple[int, int, int, int, int]:
        """(side, lo, hi, ki, kj): the child of split k to enumerate (ki..kj) as the kernels choose it."""
        meta = self.side.meta
        size: Callable[[int, int], int] = lambda a, b: int(meta[a, b, K.STOP] - meta[a, b, K.START])
        if not self.built[k + 1, j] or (self.built[i, k] and size(i, k) <= size(k + 1, j)):
            return 0, k + 1, j, i, k
        return 1, i, k, k + 1, j


def _pairs(q: Questions, op: str, which: int, k: int, i: int, j: int, a: Value,
           others: Callable[[], Iterator[Tree]]) -> Iterator[Tree]:
    """The trees `op` over the known child's trees of value `a` and the other child's (`others()`)."""
    if which == 0:
        for lt in q.walk(i, k, a):
            for rt in others():
                yield (op, lt, rt)
    else:
        for lt in others():
            for rt in q.walk(k + 1, j, a):
                yield (op, lt, rt)
