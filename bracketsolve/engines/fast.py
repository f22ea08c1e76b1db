"""The fast engine: `NumbaSide`, the algorithm of `reference.PythonSide` run by the kernels of `kernels/`.

Tables for the short intervals (as deep as `plan` chooses), questions (`questions.py`) for the long ones.
Values are reduced int64 pairs; whatever leaves int64 is redone with Python ints, only where it occurs.
Counts are kept as residues (modulo 2**64 and as many primes as the bracketing count needs) and come
back as exact Python ints.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from fractions import Fraction
from heapq import nlargest
from math import gcd
from typing import Any, Iterator, Optional, cast

import numpy as np

from . import kernels as K
from .kernels import first as F
from .kernels import plan as KP
from .kernels import query as Q
from .kernels.arith import ready
from .kernels.scratch import BUFFER, SUB_BITS
from . import plan
from .near import Answer, Bound
from .near_fast import NEAR_K, NearStore
from .questions import Questions
from .residues import PRIMES, _lanes, _most, _Residues
from .view import _fits, _grown, _pair, _Table
from .reference import SLOT_BYTES, PythonSide, Table, Tables, _exact, combine_within, value_bytes
from ..errors import TooLargeError
from ..solver.limits import Limits
from ..solver.model import Expr, Tree, Value
from ..solver.symbols import OPERATORS

MAX_WORK = 1_000_000_000       # value pairs the kernels may combine, over all tables: 35x the largest benchmark
                               # (28 million, Countdown-10 values); seconds of tables, ~5 minutes of questions
MAX_ENTRIES = 250_000_000      # table entries kept, over all tables
ARENA_ROWS = 3 << 14           # scratch rows a build starts with (small: cheap first touch); grows 4x as needed
FIRST_BIG = 14                 # from this many operands the storage starts at 16K entries, not 4K (16-18
                               # single-digit operands hold 6-14 thousand: no build restarts)
QUICK_ROWS = 1 << 16           # storage below this many entries grows 4x at a time, and the index grows with the
INDEX_SLOTS = 3                # storage to this many slots an entry (it takes about 2.8): fewer restarts of a build
# budget: what the kernels' arrays cost (see limits.py and docs/guide.md, "Budgets")
IX_BYTES = 40                  # index bytes per table entry: up to 4 int32 slots, 2.5x that while the index grows
LOG_BYTES = 480                # an overflow log row once redone with Python ints (7 ints, a tuple, list slots)
PAUSE_PAIRS = 2_000_000        # value pairs between pauses, when there is a deadline or progress to report
PARALLEL_PAIRS = 2_000_000     # a level of at least these value pairs is built on several threads (when allowed)


_NONE: Table = {}               # an interval's big part while it has none (shared: never changed)


class NumbaSide:
    """Value tables for the short intervals of one side, built by the numba kernels; questions for the rest.

    Same interface as `reference.PythonSide`: `values_raw()`, `values()`, `defined()`, `count(target)`,
    `trees(target)`; `depth` forces the longest tabled interval (tests). Each interval's table is the
    kernel's int64 part plus a dict of what the kernels could not hold (pairs whose arithmetic left int64,
    and everything built from such values). While no table has such a part, questions are answered by the
    kernels (`questions.Questions`); otherwise by the Python algorithm over these tables, exactly.
    Raises `TooLargeError` past `max_work` value pairs or `max_entries` table entries. `threads`: how many
    threads may build a level of PARALLEL_PAIRS value pairs or more (default: `default_threads()`); the
    tables are the same on any number.

    >>> from bracketsolve import parse
    >>> side = NumbaSide(parse("8 + 28 / 4 - 2 * 3").left)
    >>> side.count(6), side.defined(), [str(v) for v in side.values()][:3]
    (1, 14, ['-18', '-6', '3'])
    """

    name = "numba"

    def __init__(self, expr: Expr, *, max_work: int = MAX_WORK, max_entries: int = MAX_ENTRIES,
                 limits: Optional[Limits] = None, depth: Optional[int] = None, threads: Optional[int] = None) -> None:
        self.expr = expr
        self.threads = default_threads() if threads is None else threads
        n = expr.size
        self.allowed = expr.allowed()
        self.max_work, self.max_entries = max_work, max_entries
        self.limits = limits if limits is not None else Limits()       # budget: memory, work, deadline
        self._held, self._worked = 0, 0                                 # budget: bytes reserved, pairs counted
        extra = _lanes(_most(expr))
        self._residues = _Residues(extra)
        self._primes = np.array(PRIMES[:extra], np.int64)
        self._masks = np.array([sum(1 << OPERATORS.index(op) for op in slot) for slot in expr.slots], np.int64)
        self._allowed = np.array(self.allowed, np.bool_)
        self.meta = np.zeros((n, n, 5), np.int64)
        self.state = np.zeros(K.STATE_SIZE, np.int64)
        size = 1 << 12 if n < FIRST_BIG else 1 << 14
        self.tn, self.td = np.zeros(size, np.int64), np.zeros(size, np.int64)
        self.tc0, self.tcx = np.zeros(size, np.int64), np.zeros((size, extra), np.int64)
        self.ix = np.zeros(INDEX_SLOTS * size, np.int32)
        self.big: list[list[Table]] = [[_NONE] * n for _ in range(n)]   # what the kernels could not hold (a part
                                                                        # is replaced whole, never changed)
        self._dicts: dict[tuple[int, int], Table] = {}
        self._root: Optional[_Table] = None
        self._overflowed = False            # whether some table has a big part
        self._questions: Optional[Questions] = None
        self._near_store: Optional[NearStore] = None    # near questions, k values each (near_fast.py)
        self._exact: Optional[PythonSide] = None
        self._nb, self._db = KP.bounds(np.array([min(abs(x.numerator), K.INT64_MAX) for x in expr.numbers], np.int64),
                                       np.array([min(x.denominator, K.INT64_MAX) for x in expr.numbers], np.int64),
                                       self._masks)                 # plan.bounds, saturated at INT64_MAX
        self._bounds: Optional[plan.Bounds] = None
        self._operands = [_exact(x) for x in expr.numbers]
        self._leaves()
        self.built = 0
        self._run(1, max(1, n // 2))            # always tabled (every split keeps a tabled side); then as planned
        while self._next_level(depth):
            self._run(self.built + 1, self.built + 1)

    @property
    def bounds(self) -> plan.Bounds:
        """`plan.bounds(expr)` as the kernel found them (a bound of INT64_MAX or more reads as plan.OPEN: none)."""
        if self._bounds is None:
            nb, db = ([[plan.OPEN if x >= K.INT64_MAX else x for x in row] for row in a.tolist()]
                      for a in (self._nb, self._db))
            self._bounds = nb, db
        return self._bounds

    def _next_level(self, depth: Optional[int]) -> bool:
        """`plan.build_next` for this side's tables: its cost model run by `kernels/plan.pays` (plan.py's own
        when a figure is too large for the kernel to give plan.py's answer)."""
        rule = plan.forced(self.expr, self.built, depth)
        if rule is not None:
            return rule
        sizes = self._sizes()
        decided = KP.pays(sizes, self._masks, self.built, plan.QUESTION_WEIGHT)
        if decided == KP.UNSURE:
            n = self.expr.size
            table = {(i, j): int(sizes[i, j]) for i in range(n) for j in range(i, min(n, i + self.built))}
            return plan.pays(self.expr, table, self.built)
        return bool(decided)

    def _sizes(self) -> np.ndarray:
        """sizes[i, j]: the entries of interval i..j's table, kernel part and big part (0 where none)."""
        sizes = self.meta[:, :, K.STOP] - self.meta[:, :, K.START]
        if self._overflowed:
            for i, row in enumerate(self.big):
                for j, big in enumerate(row):
                    sizes[i, j] += len(big)
        return sizes

    def _size(self, i: int, j: int) -> int:
        return int(self.meta[i, j, K.STOP] - self.meta[i, j, K.START]) + len(self.big[i][j])

    def _leaves(self) -> None:
        """The operands' tables (the kernels index them): an entry each, or a big part when past int64."""
        nums: list[int] = []
        dens: list[int] = []
        starts, stops, ints = [], [], []
        for i, x in enumerate(self._operands):
            e = len(nums)
            starts.append(e)
            if _fits(x):
                num, den = _pair(x)
                nums.append(num)
                dens.append(den)
            else:
                self.big[i][i] = {x: 1}
                self._overflowed = True
            stops.append(len(nums))
            ints.append(e + (len(nums) > e and dens[-1] == 1))
        at, e = np.arange(self.expr.size), len(nums)
        self.meta[at, at, K.START], self.meta[at, at, K.STOP], self.meta[at, at, K.NINT] = starts, stops, ints
        self.tn[:e], self.td[:e], self.tc0[:e], self.tcx[:e] = nums, dens, 1, 1
        self.state[K.USED] = e

    def _run(self, first: int, last: int) -> None:
        """Build the tables of intervals with `first`..`last` operands, then redo what left int64."""
        limits = self.limits
        limits.reserve(self._arena_bytes(ARENA_ROWS), "the fast engine's scratch table")
        # huge pages (see `build`); the kernel clears what it uses
        arena: Optional[np.ndarray] = np.empty((ARENA_ROWS, 3), np.int64)
        logs: list[np.ndarray] = []
        start, first_i, logged = first, 0, 0
        try:
            while True:
                max_entries = self._caps(first)                          # budget: what the kernel may grow to
                build, stop = self._kernel(first, last)
                status, self.tn, self.td, self.tc0, self.tcx, self.ix, log = build(
                    first, first_i, stop, self._masks, self._allowed, self._primes, self.meta, self.tn, self.td,
                    self.tc0, self.tcx, self.ix, arena, self.state, self._work_cap(), max_entries)
                self._sync(first)
                logs.append(log)
                limits.reserve(len(log) * LOG_BYTES, self._what(first))  # budget: redoing the log in _settle
                logged += len(log) * LOG_BYTES
                if status == K.OK and stop < last:
                    first, first_i = stop + 1, 0
                    continue
                if status not in (K.NEED_ARENA, K.PAUSED, K.NEED_STORAGE):
                    break
                first, first_i = int(self.state[K.AT_LENGTH]), int(self.state[K.AT_I])
                if status == K.PAUSED:
                    limits.progress(*self._done(first, first_i, start, last))
                    continue
                if status == K.NEED_STORAGE:
                    self._grow(int(self.state[K.ARENA]), int(self.state[K.IX_WANT]), first)
                    continue
                wanted = int(self.state[K.ARENA])
                rows = max(wanted, 4 * len(cast(np.ndarray, arena)))     # (each round ends with an arena)
                limits.release(self._arena_bytes(len(cast(np.ndarray, arena))))
                arena = None                             # the old arena goes before the new one comes
                if not limits.fits(self._arena_bytes(rows)):
                    rows = wanted
                limits.reserve(self._arena_bytes(rows), self._what(first, "the fast engine's scratch table"))
                arena = np.empty((rows, 3), np.int64)
            self._refuse(status, first)
            log = np.concatenate(logs)
            del logs
            self._settle(start, last, log)
            self.built = last
            self._exact = None
            if self._questions is not None:
                self._questions.tabled(last)
            self._drop_near()
        finally:
            limits.release(self._arena_bytes(len(arena)) if arena is not None else 0)
            limits.release(logged)

    def _kernel(self, first: int, last: int) -> tuple[Any, int]:
        """(the build kernel, the last length it builds now): with several threads allowed, a level at a time,
        on several threads when the level combines PARALLEL_PAIRS pairs or more (so that small builds never
        compile the parallel kernel)."""
        if self.threads <= 1:
            return K.build, last
        n = self.expr.size
        sizes = {(i, j): self._size(i, j) for i in range(n) for j in range(i, min(n, i + first - 1))}
        if first == 1 or plan.level_pairs(self.expr, sizes, first) < PARALLEL_PAIRS:
            return K.build, first
        K.parallel.use_threads(self.threads)
        return K.parallel.build, first

    def _arena_bytes(self, rows: int) -> int:
        """Bytes a build with an arena of `rows` rows holds (budget): the arena (n, d, count), its scratch table's
        prime lanes (`hx`, half again while the table doubles), the waiting results' lanes (`bx`) and the
        partition moved out while the table doubles (`temp`, `tempx`)."""
        lanes = 8 * self.tcx.shape[1]
        waiting = min(BUFFER, rows) + rows // 512
        return 24 * rows + lanes * (rows + rows // 2 + waiting) + min(1 << SUB_BITS, rows) * (24 + lanes)

    def _grow(self, entries: int, slots: int, length: int) -> None:
        """The storage grown to `entries` entries and the index to `slots` slots (where larger): numpy's
        allocations (huge pages), only the used part copied. Below QUICK_ROWS entries the storage grows 4x at a
        time; the index grows with it to INDEX_SLOTS slots an entry."""
        used, iused, what = int(self.state[K.USED]), int(self.state[K.IUSED]), self._what(length)
        if entries > len(self.tn):
            if len(self.tn) < QUICK_ROWS:
                entries = max(entries, 4 * len(self.tn))
            slots = max(slots, INDEX_SLOTS * entries)
        if entries > len(self.tn):
            new = entries * (24 + 8 * self.tcx.shape[1])
            self.limits.reserve(new, what)                  # budget: the old and new arrays live together
            try:
                self.tn, self.td, self.tc0, self.tcx = (_grown(a, entries, used)
                                                        for a in (self.tn, self.td, self.tc0, self.tcx))
            finally:
                self.limits.release(new)
            self._sync(length)
        if slots > len(self.ix):
            self.limits.reserve(4 * slots, what)
            try:
                self.ix = _grown(self.ix, slots, iused)
            finally:
                self.limits.release(4 * slots)
            self._sync(length)

    # --- budget: the kernels' caps from the memory budget, and the errors past them ---------------------------

    def _what(self, length: int, thing: str = "this puzzle's tables") -> str:
        return f"{thing} (intervals of {length} of {self.expr.size} operands)"

    def _work_cap(self) -> int:
        """The pairs this side's kernel may reach: the cap, less what other sides of the solve have spent."""
        return self.limits.work_cap(self.max_work) - (self.limits.work - self._worked)

    def _caps(self, length: int) -> int:
        """max_entries for the kernel, and the pause and log caps in `state`, from what the budget has left.

        Storage grows while old and new arrays fit max_entries together, its index counted at IX_BYTES an entry;
        the overflow log may grow to what the room holds at LOG_BYTES a row (it takes a fifth of that in the
        kernel, which the index figure's slack covers: the index takes about 16 bytes an entry, not 40)."""
        room = self.limits.room()
        row = 24 + 8 * self.tcx.shape[1]
        storage = self.tn.nbytes + self.td.nbytes + self.tc0.nbytes + self.tcx.nbytes + self.ix.nbytes
        self.state[K.LOG_CAP] = max(1, room // LOG_BYTES)
        self.state[K.PAUSE_AT] = int(self.state[K.WORK]) + PAUSE_PAIRS if self.limits.pausing else 0
        return min(self.max_entries, (storage + room) // (row + IX_BYTES))

    def _sync(self, length: int) -> None:
        """Account the arrays as they are now, and the work the kernel did."""
        held = self.tn.nbytes + self.td.nbytes + self.tc0.nbytes + self.tcx.nbytes + self.ix.nbytes
        if held < self._held:
            self.limits.release(self._held - held)
        else:
            self.limits.reserve(held - self._held, self._what(length))
        self._held = held
        work = int(self.state[K.WORK])
        self.limits.work += work - self._worked
        self._worked = work

    def _refuse(self, status: int, length: int) -> None:
        """The error for a kernel stopped past a cap (nothing for OK)."""
        limits, wanted = self.limits, int(self.state[K.ARENA])
        at = int(self.state[K.AT_LENGTH]) or length
        if status == K.TOO_MUCH_WORK:
            raise limits.work_error(limits.work + wanted, limits.work_cap(self.max_work), "this puzzle")
        if status == K.TOO_MANY_ENTRIES:
            if wanted > self.max_entries:
                raise TooLargeError(f"this puzzle's tables hold more than {self.max_entries:,} values",
                                    limit="max_entries", value=wanted)
            row = 24 + 8 * self.tcx.shape[1] + IX_BYTES
            raise limits.memory_error(limits.reserved - self._held + wanted * row, self._what(at))
        if status == K.LOG_FULL:
            raise limits.memory_error(limits.reserved + wanted * LOG_BYTES,
                                      f"{self._what(at)[:-1]}, the values past int64 redone with Python ints)")

    def _done(self, length: int, i: int, first: int, last: int) -> tuple[int, int]:
        """(intervals done, intervals in all) of lengths first..last, when the next is `length` operands at `i`."""
        n = self.expr.size
        before = sum(n - m + 1 for m in range(first, length))
        return before + i, sum(n - m + 1 for m in range(first, last + 1))

    def _settle(self, first: int, last: int, log: np.ndarray) -> None:
        """Exact Python tables of what the kernels dropped: logged pairs, and pairs with a big operand."""
        if not len(log) and not self._overflowed:
            return
        self._overflowed = True
        n = self.expr.size
        logged: dict[int, list[tuple[int, ...]]] = {}
        codes, ops, a, b = log.T
        counts = self._residues.column(self.tc0[a], self.tcx[a]), self._residues.column(self.tc0[b], self.tcx[b])
        pairs = zip(ops.tolist(), self.tn[a].tolist(), self.td[a].tolist(), self.tn[b].tolist(), self.td[b].tolist(),
                    *counts)
        for code, pair in zip(codes.tolist(), pairs):
            logged.setdefault(code, []).append(pair)
        limits = self.limits
        for length in range(max(first, 2), last + 1):
            for i in range(n - length + 1):
                j = i + length - 1
                if not self.allowed[i][j]:
                    continue
                out: Table = {}
                what = f"the values past int64 of operands {i + 1} to {j + 1} of {n}"
                rows = logged.get(i * n + j, ())
                limits.reserve(len(rows) * (SLOT_BYTES + 200), what)      # budget: at most one entry a pair
                for code, an, ad, bn, bd, ca, cb in rows:
                    v = _combined(code, an, ad, bn, bd)
                    out[v] = out.get(v, 0) + ca * cb
                for k in range(i, j):
                    bl, br = self.big[i][k], self.big[k + 1][j]
                    if not bl and not br:
                        continue
                    for op in self.expr.slots[k]:
                        if bl:
                            combine_within(limits, op, bl, self._kernel_dict(k + 1, j), out, what)
                            combine_within(limits, op, bl, br, out, what)
                        if br:
                            combine_within(limits, op, self._kernel_dict(i, k), br, out, what)
                    limits.check()
                limits.reserve(len(out) * SLOT_BYTES, what)               # budget: the copy, while both live
                self.big[i][j] = {_exact(v): c for v, c in out.items() if c}
                limits.release(len(out) * SLOT_BYTES)

    # --- reading the tables ----------------------------------------------------------------------------

    def _value(self, e: int) -> Value:
        n, d = int(self.tn[e]), int(self.td[e])
        return n if d == 1 else Fraction(n, d)

    def _count(self, e: int) -> int:
        return self._residues.value((self.tc0[e], *self.tcx[e]))

    def _kernel_dict(self, i: int, j: int) -> Table:
        """The kernel part of interval i..j's table as value -> count (cached)."""
        table = self._dicts.get((i, j))
        if table is None:
            s, m, e = (int(self.meta[i, j, f]) for f in (K.START, K.NINT, K.STOP))
            self.limits.reserve((e - s) * (SLOT_BYTES + 150), f"operands {i + 1} to {j + 1} as Python numbers")
            counts = self._residues.column(self.tc0[s:e], self.tcx[s:e])
            table = dict(zip(self.tn[s:m].tolist(), counts))
            table.update(zip(map(Fraction, self.tn[m:e].tolist(), self.td[m:e].tolist()), counts[m - s:]))
            if (i, j) != (0, self.expr.size - 1):
                self._dicts[(i, j)] = table
        return table

    def _full_dict(self, i: int, j: int) -> Table:
        """Interval i..j's whole table (kernel part and big part) as value -> count."""
        big = self.big[i][j]
        if not big:
            return self._kernel_dict(i, j)
        table = dict(self._kernel_dict(i, j))
        for v, c in big.items():
            table[v] = table.get(v, 0) + c
        return table

    def _sum(self, i: int, j: int) -> int:
        """The summed counts of interval i..j's table."""
        s, e = int(self.meta[i, j, K.START]), int(self.meta[i, j, K.STOP])
        lanes = [int(self.tc0[s:e].view(np.uint64).sum())]
        lanes += [int(self.tcx[s:e, x].sum()) % p for x, p in enumerate(self._residues.primes)]
        return self._residues.value(lanes) + sum(self.big[i][j].values())

    def _lookup(self, i: int, j: int, v: Value) -> int:
        """How many bracketings of operands i..j have the value `v`."""
        return self.big[i][j].get(v, 0) + self._kernel_count(i, j, v)

    def _kernel_count(self, i: int, j: int, v: Value) -> int:
        """The count of value `v` in the kernel part of interval i..j's table."""
        if not _fits(v):
            return 0
        if not self.meta[i, j, K.ICAP] and self.meta[i, j, K.STOP] > self.meta[i, j, K.START]:
            grown = 4 * (len(self.ix) + max(len(self.ix) // 2, 4 * int(self.meta[i, j, K.STOP] - self.meta[i, j, K.START])))
            self.limits.reserve(grown, "the index of this puzzle's values")     # budget: the old and new index
            self.ix = K.index(self.meta, self.tn, self.td, self.ix, self.state, i, j)
            self.limits.release(grown)
            self._sync(j - i + 1)
        n, d = _pair(v)
        e = int(K.find(self.meta, self.tn, self.td, self.ix, i, j, np.array([n]), np.array([d]))[0])
        return self._count(e) if e >= 0 else 0

    # --- the interface of PythonSide ---------------------------------------------------------------------

    def values_raw(self) -> _Table:
        """The root table (value -> count), built once when first asked; read from the arrays as it is used."""
        n = self.expr.size
        if self._root is None:
            if self.built < n:
                self._run(self.built + 1, n)
            self._root = _Table(self, 0, n - 1)
        return self._root

    def values(self) -> dict[Fraction, int]:
        """Every reachable value of the whole side, as Fraction -> count, in increasing order."""
        root = self.values_raw()
        sample = next(iter(root), 0)
        self.limits.reserve(len(root) * (SLOT_BYTES + 120 + value_bytes(Fraction(sample))),   # budget: the order,
                            "the sorted list of this puzzle's values")                       # counts, the dict
        return dict(root.ordered())

    def nearest(self, target: Value, k: int) -> list[tuple[Fraction, int]]:
        """(value, count) of up to `k` reachable values just below `target` and `k` just above, increasing: the
        kernel selects them in the root table when it is built (nothing is sorted), else near questions find
        them without it (`near_fast.py`)."""
        t = _exact(Fraction(target))
        if self._root is None and self.built < self.expr.size:
            below, above = self._near(t, False, k), self._near(t, True, k)
            return [(Fraction(v), self._count_at(0, self.expr.size - 1, v)) for v in below[::-1] + above]
        return self.values_raw().nearest(t, k)

    def smallest(self, k: int) -> list[Fraction]:
        """The `k` smallest reachable values, increasing, as Fractions (the root table is not needed)."""
        if self._root is None and self.built < self.expr.size:
            return [Fraction(v) for v in self._near(None, True, k)]
        return self.values_raw().smallest(k)

    def largest(self, k: int) -> list[Fraction]:
        """The `k` largest reachable values, decreasing, as Fractions (the root table is not needed)."""
        if self._root is None and self.built < self.expr.size:
            return [Fraction(v) for v in self._near(None, False, k)]
        return [Fraction(v) for v in nlargest(k, self.values_raw())]

    def distinct(self) -> Optional[int]:
        """How many distinct values the whole side reaches, when its table is built or cheap to build (at most
        `plan.EVERY_TABLE` bracketings); None otherwise (it would take the whole table: `values_raw()`)."""
        if self._root is None and self.built < self.expr.size and not plan.small(self.expr):
            return None
        return len(self.values_raw())

    def _near(self, v: Bound, up: bool, k: int) -> Answer:
        """The k values of the whole side nearest `v` (None: from the end) strictly on its `up` side."""
        n = self.expr.size
        if k <= 0:
            return ()
        if self._kernel_questions() is None:        # some table has values past int64: Python over the tables
            return self._exact_side()._near_questions().near(0, n - 1, v, up, k)
        store = self._near_store            # one store: a question's answer for k holds those for fewer
        if store is None or store.k < k:
            self._drop_near()
            store = self._near_store = NearStore(self, max(k, NEAR_K))
        return store.near(0, n - 1, v, up)[:k]

    def _drop_near(self) -> None:
        if self._near_store is not None:
            self._near_store.release()
            self._near_store = None

    def defined(self) -> int:
        """Bracketings of the whole side that divide by zero nowhere (the root table is not needed)."""
        n = self.expr.size
        if self.built == n:
            return self._sum(0, n - 1)
        questions = self._kernel_questions()
        if questions is None:
            return self._exact_side().defined()
        return questions.defined(0, n - 1)

    def count(self, target: Value) -> int:
        """Bracketings equal to `target` (a question to the root, pushed down where there are no tables)."""
        return self._count_at(0, self.expr.size - 1, _exact(Fraction(target)))

    def trees(self, target: Value, i: int = 0, j: int = -1) -> Iterator[Tree]:
        """Every bracketing of operands i..j whose value is `target`, lazily, by walking the counts back."""
        target = _exact(Fraction(target))
        j = self.expr.size - 1 if j < 0 else j
        questions = self._kernel_questions()
        if questions is None:
            yield from self._exact_side().trees(target, i, j)
        else:
            yield from questions.trees(i, j, target)

    # --- questions -----------------------------------------------------------------------------------

    def _count_at(self, i: int, j: int, v: Value) -> int:
        """Bracketings of operands i..j with the value `v`: from its table, or a question."""
        if self.built >= j - i + 1:
            return self._lookup(i, j, v)
        questions = self._kernel_questions((i, j, v))
        if questions is not None and _fits(v):
            return questions.count(i, j, v)
        return self._exact_side()._count(i, j, v)

    def _kernel_questions(self, first: Optional[tuple[int, int, Value]] = None) -> Optional[Questions]:
        """The kernels' question store, or None when some table has values past int64; a new store answers
        the question `first` (i, j, value) with its own first ones."""
        if self._overflowed:
            return None
        if self._questions is None:
            self._questions = Questions(self, first)
        return self._questions

    def _exact_side(self) -> PythonSide:
        """The Python algorithm over these tables (read in place), asking the kernels what they can answer."""
        if self._exact is None:
            n = self.expr.size
            tables: Tables = [[_Table(self, i, j) if j - i < self.built else None for j in range(n)] for i in range(n)]

            def ask(i: int, j: int, v: Value) -> Optional[int]:
                questions = self._kernel_questions()        # (None only once a table overflows: no ask then)
                return questions.count(i, j, v) if questions is not None and _fits(v) else None

            self._exact = PythonSide.over(self.expr, tables, None if self._overflowed else ask, self.limits)
        return self._exact

    def _entries(self, i: int, j: int) -> Iterator[Value]:
        """The values of interval i..j's table, lazily."""
        return iter(_Table(self, i, j))


def default_threads() -> int:
    """Threads a big level is built on by default: NUMBA_NUM_THREADS when it is set in the environment, else 1
    (measured on a shared 2-core machine, the second thread did not pay: docs/performance.md)."""
    return K.parallel.threads() if os.environ.get("NUMBA_NUM_THREADS", "").strip() else 1


def _combined(op: int, an: int, ad: int, bn: int, bd: int) -> Value:
    """`a op b` for an operator code, with Python ints (the kernel found it past int64); never undefined here."""
    if op == K.ADD or op == K.SUB:
        n, d = an * bd + (bn * ad if op == K.ADD else -bn * ad), ad * bd
    elif op == K.MUL:
        n, d = an * bn, ad * bd
    else:
        n, d = (an * bd, ad * bn) if bn > 0 else (-an * bd, -ad * bn)
    g = gcd(n, d)
    n, d = n // g, d // g
    return n if d == 1 else Fraction(n, d)


def compiled() -> bool:
    """True when the kernels a `solve` needs (the plan's, the tables' build, the questions' and the first
    solution's) need no compiling: compiled in this process already, or found in numba's cache."""
    return all(ready(kernel) for kernel in (KP.bounds, KP.pays, K.build, Q.down, Q.up, Q.ask, Q.find, Q.next_row,
                                            F.first))


def warmup() -> str:
    """Compile every kernel now (or load it from numba's cache); returns a line saying how long it took."""
    start = time.perf_counter()
    expr = Expr(tuple(Fraction(x) for x in (3, 7, 2, 9)), ("+-*/",) * 3)
    asked = NumbaSide(expr, depth=1)                # first what a target query needs (auto's handover waits
    next(asked.trees(21), None)                     # for these): tables, questions, the walk
    asked.count(21)
    KP.pays(asked._sizes(), asked._masks, asked.built, plan.QUESTION_WEIGHT)    # (4 operands: their plan is fixed)
    asked.defined()
    asked.nearest(21, 1)                            # the near kernels (kernels/near.py)
    side = NumbaSide(expr)
    next(side.trees(21), None)
    side.count(21)
    side.defined()
    side.values()
    seconds = time.perf_counter() - start
    return f"numba kernels ready in {seconds:.2f} s"
