"""The fast free-order engine: `NumbaSubsets`, the DP of `subsets.PythonSubsets` run by `kernels.subsets`.

Values are reduced int64 pairs; a pair whose result leaves int64 is redone with Python ints, and so is
everything built from such a value (each table is the kernel's part plus a dict of the rest).
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Iterable, Iterator, Mapping, Optional

import numpy as np

from .kernels import subsets as K
from .kernels.arith import ready
from .view import _grown
from .subsets import MERGED_BYTES, Multisets, PythonSubsets, Table, _exact, _pairs, partners
from ..errors import TooLargeError
from ..solver.limits import Limits
from ..solver.model import Tree, Value
from ..solver.symbols import OPERATORS

MAX_WORK = 1_000_000_000       # value pairs the kernels may combine, over all tables (Countdown-7 takes 16 million)
MAX_ENTRIES = 250_000_000      # table entries kept, over all tables
MAX_TREES = 2**63 - 1          # counts are int64 in the kernels
_ROWS_KEPT = 4096              # (sub-multiset, target) match lists remembered while walking solutions
ARENA_ROWS = 3 << 10           # scratch rows a build starts with (small: cheap first touch); grows 4x as needed
ARENA_ROW_BYTES = 24
ENTRY_BYTES = 24               # budget: an entry (n, d, count); the index is 8 bytes a slot
LOG_BYTES = 480                # budget: an overflow log row once redone with Python ints (as engines.fast counts it)
VALUE_BYTES = MERGED_BYTES + 50     # budget: an entry of the tables merged(): numpy's sort copies, the Python
                                    # values, lists and dicts (198 bytes measured on Countdown-6's values)
_OPS = {op: code for code, op in enumerate(OPERATORS)}

Match = tuple[int, str, Value, Value]     # (left part a, op, value over a, value over s - a): one row of a walk


def _fits(v: Value) -> bool:
    v = Fraction(v)
    return abs(v.numerator) < 2**63 and v.denominator < 2**63


def _value(n: int, d: int) -> Value:
    return n if d == 1 else Fraction(n, d)


class NumbaSubsets(PythonSubsets):
    """Value tables for every sub-multiset (the whole one on demand), built by the numba kernels.

    Same interface as `subsets.PythonSubsets`. Raises `TooLargeError` past `max_work` value pairs,
    `max_entries` entries, or when the number of trees does not fit int64 (use the Python engine then).

    >>> from fractions import Fraction as F
    >>> e = NumbaSubsets((F(8), F(3)), (2, 2), "+-*/")
    >>> e.count(24, e.space.full), [e.render(t) for t in e.trees(24, e.space.full)]
    (1, ['8 / (3 - 8 / 3)'])
    """

    name = "numba"

    def __init__(self, values: Iterable[Value], counts: Iterable[int], ops: str, *, tv: bool = False,
                 names: Iterable[str] = (),
                 max_work: int = MAX_WORK, max_entries: int = MAX_ENTRIES, limits: Optional[Limits] = None) -> None:
        self.values = tuple(_exact(Fraction(v)) for v in values)
        self.names = tuple(names) or tuple(str(v) for v in self.values)
        self.ops, self.tv = ops, tv
        self.space = space = Multisets(counts)
        self.max_work, self.max_entries = max_work, max_entries
        self.limits = limits = limits if limits is not None else Limits()     # budget: memory, work, deadline
        if self.total(space.full) > MAX_TREES:
            raise TooLargeError(f"this puzzle has more than 2**63 trees, past the numba engine's int64 counts; "
                                "use backend='python'", limit="max_trees", value=self.total(space.full))
        self._mask = sum(1 << _OPS[op] for op in ops)
        limits.reserve(space.states * 32, "this puzzle's tables")
        self.meta = np.zeros((space.states, 4), np.int64)
        self.state = np.zeros(K.STATE_SIZE, np.int64)
        limits.reserve(ARENA_ROWS * ARENA_ROW_BYTES, "the fast engine's scratch table")
        self._arena = np.zeros((ARENA_ROWS, 3), np.int64)  # numpy's allocation gets huge pages: see K.build
        self.tn, self.td, self.tc = (np.zeros(1 << 10, np.int64) for _ in range(3))
        self.ix = np.zeros(1 << 10, np.int64)
        self._held = 0                      # budget: the bytes of tn, td, tc and ix, reserved
        self._sync()
        self.big: dict[int, Table] = {}     # s -> {value: count} the kernels could not hold
        self._dicts: dict[int, Table] = {}
        self._rows: dict[tuple[int, Value], list[Match]] = {}
        self.built: set[int] = set()
        sets = [space.leaf(i) for i, x in enumerate(self.values)]
        small = [i for i, x in enumerate(self.values) if _fits(x)]
        for i, x in enumerate(self.values):
            if not _fits(x):
                self.big[space.leaf(i)] = {x: 1}
        self.tn, self.td, self.tc, self.ix = K.leaves(
            np.array([sets[i] for i in small], np.int64),
            np.array([Fraction(self.values[i]).numerator for i in small], np.int64),
            np.array([Fraction(self.values[i]).denominator for i in small], np.int64),
            self.meta, self.tn, self.td, self.tc, self.ix, self.state)
        self._sync()
        self.built.update(sets)
        order = [s for s in space.by_size() if space.size(s) > 1 and s != space.full]
        level: list[int] = []
        for s in order:                     # one kernel call per size: Python settles overflow in between
            if level and space.size(s) != space.size(level[0]):
                self._build(level)
                level = []
            level.append(s)
        if level:
            self._build(level)

    # --- building -------------------------------------------------------------------------------------

    def _build(self, sets: list[int]) -> None:  # type: ignore[override]  # by level; never PythonSubsets'
        """The tables of `sets` (one size), by the kernel; one set per call when the budget wants pauses."""
        if self.limits.pausing and len(sets) > 1:
            for done, s in enumerate(sets, 1):
                self._build([s])
                self.limits.progress(done, len(sets), f"building tables of {self.space.size(s)} numbers",
                                     "sub-multisets")
            return
        starts: list[int] = [0]
        lefts: list[int] = []
        for s in sets:
            lefts += [a for a in self.space.splits(s) if a <= s - a]
            starts.append(len(lefts))
        arrays = np.array(sets, np.int64), np.array(starts, np.int64), np.array(lefts, np.int64)
        limits = self.limits
        logs: list[np.ndarray] = []
        first = 0
        self.state[K.PENDING] = 0
        while True:
            worked = int(self.state[K.WORK])
            cap = limits.work_cap(self.max_work) - limits.work
            status, self.tn, self.td, self.tc, self.ix, log = K.build(
                first, *arrays, self._mask, self.tv, self.meta, self.tn, self.td, self.tc, self.ix, self._arena,
                self.state, worked + cap, self.max_entries)
            logs.append(log)
            limits.work += int(self.state[K.WORK]) - worked
            limits.reserve(len(log) * LOG_BYTES, "this puzzle's tables")        # budget: redoing them in _settle
            self._sync()
            if status not in (K.NEED_ARENA, K.NEED_STORAGE):
                break
            first = int(self.state[K.AT])
            if status == K.NEED_STORAGE:
                self._grow(int(self.state[K.ARENA]), int(self.state[K.IX_WANT]))
                continue
            rows = max(int(self.state[K.ARENA]), 4 * len(self._arena))
            limits.release(len(self._arena) * ARENA_ROW_BYTES)
            self._arena = None  # type: ignore[assignment]  # the old arena goes before the new one comes
            limits.reserve(rows * ARENA_ROW_BYTES, "the fast engine's scratch table")
            self._arena = np.zeros((rows, 3), np.int64)
        log = np.concatenate(logs)
        if status == K.TOO_MUCH_WORK:
            raise limits.work_error(limits.work + int(self.state[K.ARENA]), cap + limits.work, "this puzzle")
        if status == K.TOO_MANY_ENTRIES:
            raise TooLargeError(f"this puzzle's tables hold more than {self.max_entries:,} values",
                                limit="max_entries", value=self.max_entries)
        self.built.update(sets)
        if len(self._arena) > ARENA_ROWS << 8:
            limits.release(len(self._arena) * ARENA_ROW_BYTES)
            self._arena = np.zeros((ARENA_ROWS, 3), np.int64)
            limits.reserve(ARENA_ROWS * ARENA_ROW_BYTES, "the fast engine's scratch table")
        if len(log) or self.big:
            self._settle(sets, log)

    def _grow(self, entries: int, slots: int) -> None:
        """The storage grown to at least `entries` entries and the index to `slots` slots (twice the old
        sizes when that fits the budget); the old and new arrays live together while copying, and are reserved so."""
        used, iused = int(self.state[K.USED]), int(self.state[K.IUSED])
        if entries > len(self.tn):
            if self.limits.fits(ENTRY_BYTES * max(entries, 2 * len(self.tn))):
                entries = max(entries, 2 * len(self.tn))
            self.limits.reserve(ENTRY_BYTES * entries, "this puzzle's tables")  # budget: before allocating
            self.tn, self.td, self.tc = (_grown(a, entries, used) for a in (self.tn, self.td, self.tc))
            self.limits.release(ENTRY_BYTES * entries)
            self._sync()
        if slots > len(self.ix):
            if self.limits.fits(8 * max(slots, 2 * len(self.ix))):
                slots = max(slots, 2 * len(self.ix))
            self.limits.reserve(8 * slots, "the index of this puzzle's tables")
            self.ix = _grown(self.ix, slots, iused)
            self.limits.release(8 * slots)
            self._sync()

    def _sync(self) -> None:
        """Account the storage and the index as they are now."""
        held = self.tn.nbytes + self.td.nbytes + self.tc.nbytes + self.ix.nbytes
        if held < self._held:
            self.limits.release(self._held - held)
        else:
            self.limits.reserve(held - self._held, "this puzzle's tables")
        self._held = held

    def _settle(self, sets: list[int], log: np.ndarray) -> None:
        """Exact Python tables of what the kernels dropped: logged pairs, and pairs with a big part."""
        logged: dict[int, list[tuple[str, int, int]]] = {}
        for s, op, ea, eb in log.tolist():
            logged.setdefault(s, []).append((OPERATORS[op], ea, eb))
        for s in sets:
            out: Table = {}
            for op, ea, eb in logged.get(s, ()):
                x, y = self._entry(ea), self._entry(eb)
                _pairs(op, self.tv, {x: int(self.tc[ea])}, {y: int(self.tc[eb])}, out, False)
            for a in self.space.splits(s):
                b = s - a
                if a > b:
                    break
                ba, bb = self.big.get(a), self.big.get(b)
                if not ba and not bb:
                    continue
                for op in self.ops:
                    if ba:
                        _pairs(op, self.tv, ba, self._kernel_dict(b), out, a != b)
                        _pairs(op, self.tv, ba, bb or {}, out, a != b)
                    if bb:
                        _pairs(op, self.tv, self._kernel_dict(a), bb, out, a != b)
            out = {_exact(v): c for v, c in out.items() if c}
            if out:
                self.big[s] = out

    # --- reading the tables ---------------------------------------------------------------------------

    def _entry(self, e: int) -> Value:
        return _value(int(self.tn[e]), int(self.td[e]))

    def _kernel_dict(self, s: int) -> Table:
        """The kernel part of sub-multiset s's table as value -> count (cached)."""
        table = self._dicts.get(s)
        if table is None:
            lo, hi = int(self.meta[s, K.START]), int(self.meta[s, K.STOP])
            table = dict(zip(map(_value, self.tn[lo:hi].tolist(), self.td[lo:hi].tolist()), self.tc[lo:hi].tolist()))
            if len(self._dicts) < 1024:
                self._dicts[s] = table
        return table

    def table(self, s: int) -> Table:
        """Sub-multiset `s`'s table, value -> written trees (the whole multiset's is built when first asked)."""
        if s not in self.built:
            self._build([s])
        big = self.big.get(s)
        table = self._kernel_dict(s)
        if not big:
            return table
        table = dict(table)
        for v, c in big.items():
            table[v] = table.get(v, 0) + c
        return table

    def merged(self, sets: Iterable[int]) -> list[tuple[Value, int]]:
        """[(value, count)] over the tables of `sets`, counts of equal values added, in exact increasing order:
        the kernel parts merged and ordered by numpy (by float, near-ties exactly), the big parts in Python."""
        parts = [self.arrays(s) for s in sets]
        self.limits.reserve(sum(len(part[0]) for part in parts) * VALUE_BYTES,    # budget: before the copies
                            "the sorted values of this puzzle")
        tn, td, tc = (np.concatenate([part[i] for part in parts]) for i in range(3))
        order = np.lexsort((td, tn))
        tn, td, tc = tn[order], td[order], tc[order]
        first = np.flatnonzero(np.concatenate(([True], (tn[1:] != tn[:-1]) | (td[1:] != td[:-1])))) \
            if len(tn) else np.zeros(0, np.int64)
        tn, td, tc = tn[first], td[first], np.add.reduceat(tc, first) if len(first) else tc[:0]
        floats = tn / td
        order = np.argsort(floats, kind="stable")
        tn, td, tc, floats = tn[order], td[order], tc[order], floats[order]
        close = np.flatnonzero(np.abs(np.diff(floats)) <= 1e-12 * np.maximum(np.abs(floats[1:]), np.abs(floats[:-1])))
        numerators, denominators, counts = tn.tolist(), td.tolist(), tc.tolist()
        runs: list[list[int]] = []                  # [start, end) of neighbours within rounding of each other
        for i in close.tolist():
            if runs and runs[-1][1] == i + 1:
                runs[-1][1] = i + 2
            else:
                runs.append([i, i + 2])
        for start, end in runs:
            part = sorted(range(start, end), key=lambda k: Fraction(numerators[k], denominators[k]))
            numerators[start:end] = [numerators[k] for k in part]
            denominators[start:end] = [denominators[k] for k in part]
            counts[start:end] = [counts[k] for k in part]
        items = [(_value(n, d), c) for n, d, c in zip(numerators, denominators, counts)]
        big: Table = {}
        for *_, extra in parts:
            for v, c in extra.items():
                big[v] = big.get(v, 0) + c
        if not big:
            return items
        from .subsets import exact_order

        merged = dict(items)                        # a value can be in both parts
        for v, c in big.items():
            merged[v] = merged.get(v, 0) + c
        return exact_order(list(merged.items()))

    def arrays(self, s: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, Table]:
        """(numerators, denominators, counts) of the kernel part of s's table, and the big part as a dict."""
        if s not in self.built:
            self._build([s])
        lo, hi = int(self.meta[s, K.START]), int(self.meta[s, K.STOP])
        return self.tn[lo:hi], self.td[lo:hi], self.tc[lo:hi], self.big.get(s, {})

    def _lookup(self, s: int, v: Value) -> int:
        count = self.big.get(s, {}).get(v, 0)
        if _fits(v):
            v = Fraction(v)
            e = int(K.find(self.meta, self.tn, self.td, self.ix, s, np.array([v.numerator]),
                           np.array([v.denominator]))[0])
            if e >= 0:
                count += int(self.tc[e])
        return count

    def defined(self, s: int) -> int:
        if s in self.built or self.tv:
            if s not in self.built:
                self._build([s])
            return self._sum(s)
        total = 0
        for a in self.space.splits(s):
            dl, dr = self._sum(a), self._sum(s - a)
            for op in self.ops:
                total += dl * (dr - self._lookup(s - a, 0) if op == "/" else dr)
        return total

    def _sum(self, s: int) -> int:
        lo, hi = int(self.meta[s, K.START]), int(self.meta[s, K.STOP])
        return int(self.tc[lo:hi].sum()) + sum(self.big.get(s, {}).values())

    def count(self, target: Value, s: int) -> int:
        target = _exact(Fraction(target))
        if self.tv and not (type(target) is int and target > 0):
            return 0
        if s in self.built:
            return self._lookup(s, target)
        return self._matches(s, target, False)[0]

    def _walk(self, s: int, target: Value) -> Iterator[Tree]:
        if self.space.size(s) == 1:
            i = self.space.digits(s).index(1)
            if self.values[i] == target:
                yield i
            return
        key = (s, target)
        rows = self._rows.get(key)
        if rows is None:
            rows = self._matches(s, target, True)[1]
            if len(self._rows) >= _ROWS_KEPT:
                self._rows.clear()
            self._rows[key] = rows
        for a, op, x, y in rows:
            for lt in self._walk(a, x):
                for rt in self._walk(s - a, y):
                    yield (op, lt, rt)

    def _matches(self, s: int, target: Value, rows_wanted: bool) -> tuple[int, list[Match]]:
        """(count, rows (a, op, x, y)) of the trees over `s` equal to `target`: the kernel's, then the rest."""
        count = 0
        rows: list[Match] = []
        lefts = np.array(self.space.splits(s), np.int64)
        for a in lefts.tolist():            # every part's table must exist (the whole one may not)
            if a not in self.built or s - a not in self.built:
                self._build([p for p in (a, s - a) if p not in self.built])
        if _fits(target):
            t = Fraction(target)
            total, found, lost = K.matches(s, lefts, self._mask, self.meta, self.tn, self.td, self.tc, self.ix,
                                           t.numerator, t.denominator, rows_wanted)
            count += int(total)
            rows = [(a, OPERATORS[op], self._entry(x), self._entry(y)) for a, op, x, y in found.tolist()]
            for a, op, side, e in lost.tolist():
                known = {self._entry(e): int(self.tc[e])}
                part = s - a if side == 0 else a
                count += self._python_matches(s, a, OPERATORS[op], side, known, self._kernel_dict(part), target,
                                              rows if rows_wanted else None)
        else:
            for a in lefts.tolist():
                for op in self.ops:
                    count += self._python_matches(s, a, op, 0, self._kernel_dict(a), self._kernel_dict(s - a),
                                                  target, rows if rows_wanted else None)
        for a in lefts.tolist():           # pairs with a big part, in Python
            ba, bb = self.big.get(a), self.big.get(s - a)
            for op in self.ops if ba or bb else ():
                if ba:
                    count += self._python_matches(s, a, op, 0, ba, self.table(s - a), target,
                                                  rows if rows_wanted else None)
                if bb:
                    count += self._python_matches(s, a, op, 0, self._kernel_dict(a), bb, target,
                                                  rows if rows_wanted else None)
        return count, list(dict.fromkeys(rows))    # a value in both parts of a table is one row: its walk
                                                    # reaches the trees of both

    def _python_matches(self, s: int, a: int, op: str, side: int, known: Mapping[Value, int],
                        other: Mapping[Value, int], target: Value, rows: Optional[list[Match]]) -> int:
        """Matches of `known` values (on the left when side is 0) against the `other` table, in Python."""
        count = 0
        for x, cx in known.items():
            found = partners(op, x, target, other) if side == 0 else _left_partners(op, x, target, other)
            for y in found:
                if self.tv and op == "/" and (x % y if side == 0 else y % x):
                    continue
                count += cx * other[y]
                if rows is not None:
                    rows.append((a, op, x, y) if side == 0 else (a, op, y, x))
        return count


def _left_partners(op: str, b: Value, target: Value, left: Mapping[Value, int]) -> Iterator[Value]:
    """The values a in `left` with `a op b == target`."""
    for a in left:                          # rare (a partner past int64): a scan is fine
        if op == "+":
            ok = a + b == target
        elif op == "-":
            ok = a - b == target
        elif op == "*":
            ok = a * b == target
        else:
            ok = b != 0 and Fraction(a) / b == target
        if ok:
            yield a


def compiled() -> bool:
    """True when the kernels a free-order solve needs (build, leaves, matches, find) need no compiling: compiled
    in this process already, or found in numba's cache."""
    return all(ready(kernel) for kernel in (K.build, K.leaves, K.matches, K.find))


def warmup() -> str:
    """Compile every free-order kernel now (or load it from numba's cache); returns a line saying how long."""
    start = time.perf_counter()
    engine = NumbaSubsets((Fraction(3), Fraction(7), Fraction(2)), (1, 1, 2), "+-*/")
    next(engine.trees(24, engine.space.full), None)
    engine.count(24, engine.space.full)
    engine.table(engine.space.full)
    engine.count(24, engine.space.full)
    return f"free-order kernels ready in {time.perf_counter() - start:.2f} s"
