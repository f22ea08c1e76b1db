"""The reference engine: the exact interval DP in pure Python, the specification the fast engine must match.

Short intervals get a table value -> number of bracketings (Norvig's Countdown, exact); with a target,
the long ones are asked (interval, value) questions instead, pushed down through their splits by the
inverse operations and memoized (the plan in `plan.py` chooses how deep to build). Integral values are
kept as `int` and the rest as `Fraction`; the two hash and compare alike.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from math import comb, prod
from heapq import nlargest, nsmallest
from itertools import islice
from typing import Callable, Iterator, Mapping, Optional, cast

from . import near, plan
from ..errors import TooLargeError
from ..solver.limits import Also, Limits
from ..solver.model import Expr, Tree, Value

Table = dict[Value, int]                # an interval's table, value -> bracketings, like {3: 2, Fraction(1, 2): 1}
Tabled = Mapping[Value, int]            # a table as questions read it: a Table, or the fast engine's view._Table
Tables = list[list[Optional[Tabled]]]   # tables[i][j] of operands i..j; None: no table, questions instead
CountAsk = Callable[[int, int, Value], Optional[int]]    # answers a question (i, j, value) first, or None
_MaybeTable = Optional[Table]           # (one subscript, not one per cast in the build's loop)

MAX_WORK = 20_000_000       # value pairs combined, over all tables (Countdown-2016 takes 9.5 million)
MAX_ENTRIES = 20_000_000    # table entries kept, over all tables
SLOT_BYTES = 88             # budget: a dict entry's slot and index, 58 bytes, 87 while the dict resizes (measured)
FRACTION_BYTES = 64         # budget: a Fraction object, besides its two ints (measured)
USE_NUMBA = ("use backend='numba'", "use --backend numba")     # the other way past the Python engine's caps
MEMO_BYTES = 200            # budget: a remembered question (key tuple, value, count, dict slot)
_MEMO_STEP = 1024           # questions remembered between two reservations (and deadline checks)
FORESEE = 4                 # the plan's estimate of the questions' pairs is within 2.5x above (measured)
_ASK_STEP = 1 << 18         # pairs looked at by questions between two deadline checks (about 0.1 s)
SMALL_SIDE = 1 << 20        # budget: a side whose tables cannot pass this many bytes is reserved whole, up front


def _exact(v: Value) -> Value:
    """`v` as an int when integral, else as a Fraction."""
    if type(v) is Fraction and v.denominator == 1:
        return v.numerator
    return v


def _div(a: Value, b: Value) -> Value:
    if type(a) is int and type(b) is int:
        q, r = divmod(a, b)
        return q if r == 0 else Fraction(a, b)
    return _exact(Fraction(a) / b)


def _combine(op: str, left: Table, right: Table, out: Table) -> None:
    """Add to `out` every defined `a op b` for a in `left`, b in `right`, weighted by both counts."""
    get = out.get
    if op == "+":
        for a, ca in left.items():
            for b, cb in right.items():
                v = a + b
                out[v] = get(v, 0) + ca * cb
    elif op == "-":
        for a, ca in left.items():
            for b, cb in right.items():
                v = a - b
                out[v] = get(v, 0) + ca * cb
    elif op == "*":
        for a, ca in left.items():
            for b, cb in right.items():
                v = a * b
                out[v] = get(v, 0) + ca * cb
    else:
        for a, ca in left.items():
            for b, cb in right.items():
                if b:
                    v = _div(a, b)
                    out[v] = get(v, 0) + ca * cb


# --- budget: what a table of Python numbers costs, and combining within the memory budget -------------------

def _int_bytes(x: int) -> int:
    return 0 if -5 <= x <= 256 else sys.getsizeof(x)       # Python keeps one copy of each small int


def value_bytes(v: Value) -> int:
    """The bytes of one table value: the int, or the Fraction and its two ints."""
    if isinstance(v, int):
        return _int_bytes(v)
    return FRACTION_BYTES + _int_bytes(v.numerator) + _int_bytes(v.denominator)


def entry_bytes(table: Table) -> int:
    """What an entry of `table` costs, from up to 8 sampled entries (the last added): slot, value and count."""
    seen, total = 0, 0
    for v in islice(reversed(table), 8):
        seen += 1
        total += value_bytes(v) + _int_bytes(table[v])
    return SLOT_BYTES + (total // seen if seen else 0)


def tables_bound(expr: Expr) -> int:
    """Bytes that every table of `expr`'s side can hold at most, twice over (a table and its exact copy).

    An interval of L operands holds at most its Catalan(L - 1) bracketings times its operator choices; a value
    of it has a numerator and a denominator of at most the operands' bits, and a count below 4^L.

    >>> from bracketsolve import parse
    >>> tables_bound(parse("8 + 28 / 4 - 2 * 3").left) < SMALL_SIDE < tables_bound(parse("1 ? 2 ? 3 ? 4 ? 5 ? 6 ? 7").left)
    True
    """
    n = expr.size
    bits = n + sum(Fraction(x).numerator.bit_length() + Fraction(x).denominator.bit_length() for x in expr.numbers)
    entry = SLOT_BYTES + FRACTION_BYTES + 2 * sys.getsizeof(1 << bits) + sys.getsizeof(1 << 2 * n)
    entries = sum(comb(2 * (length - 1), length - 1) // length * prod(len(s) for s in expr.slots[i:i + length - 1])
                  for length in range(2, n + 1) for i in range(n - length + 1))
    return 2 * entry * entries


def combine_within(limits: Limits, op: str, left: Table, right: Table, out: Table, what: str) -> None:
    """`_combine(op, left, right, out)` without passing the memory budget: the new entries are reserved as they
    come, in chunks of `left` small enough that even all-new results would fit what is left of the budget."""
    if not left or not right:
        return
    guess = max(entry_bytes(left), entry_bytes(right)) + FRACTION_BYTES   # a result may be a Fraction
    step = len(left) if limits.fits(guess * len(left) * len(right)) else max(1, limits.room() // (guess * len(right)))
    items = iter(left.items())
    for _ in range(0, len(left), step):
        before = len(out)
        _combine(op, dict(islice(items, step)) if step < len(left) else left, right, out)
        if len(out) > before:
            limits.reserve((len(out) - before) * entry_bytes(out), what)


def solve_for(op: str, side: int, known: Value, target: Value) -> tuple[str, Optional[Value]]:
    """("one", x) with `known op x == target` (side 0) or `x op known == target` (side 1); or ("none", None),
    ("all", None) for every x, ("nonzero", None) for every x but 0 (the zero cases of * and /)."""
    if op == "+":
        return "one", _exact(target - known)
    if op == "-":
        return "one", _exact(known - target if side == 0 else target + known)
    if op == "*":
        if known == 0:
            return ("all" if target == 0 else "none"), None
        return "one", _div(target, known)
    if side == 0:
        if target == 0:
            return ("nonzero" if known == 0 else "none"), None
        return ("none", None) if known == 0 else ("one", _div(known, target))
    return ("none", None) if known == 0 else ("one", _exact(target * known))


def excluded(op: str, side: int, known: Value, values: tuple[Value, ...]) -> Optional[tuple[Value, ...]]:
    """The partners x to leave out so that `known op x` (side 0) or `x op known` is defined and not in
    `values`: a tuple of them, or None when no x qualifies."""
    if op == "/" and side == 1 and known == 0:
        return None
    out: list[Value] = [0] if op == "/" and side == 0 else []
    for w in values:
        kind, x = solve_for(op, side, known, w)
        if kind in ("all", "nonzero"):
            return None
        if x is not None and x not in out:             # kind "one"
            out.append(x)
    return tuple(out)


class PythonSide:
    """Value tables for the short intervals of one side; questions (interval, value) for the long ones.

    `count(target)`, `defined()` and `trees(target)` never need the whole side's table; `values_raw()`
    builds every table. `depth` forces the longest tabled interval (tests); else `plan` chooses it.
    """

    name = "python"
    also: Also = (USE_NUMBA,)          # the other way past the work cap (none for the fast engine's exact path)

    def __init__(self, expr: Expr, *, max_work: int = MAX_WORK, max_entries: int = MAX_ENTRIES,
                 limits: Optional[Limits] = None, depth: Optional[int] = None) -> None:
        self.expr = expr
        n = expr.size
        self.allowed = expr.allowed()
        self.work, self.entries = 0, 0
        self.max_work, self.max_entries = max_work, max_entries
        self.limits = limits if limits is not None else Limits()       # budget: memory, work, deadline
        self.table: Tables = [[None] * n for _ in range(n)]    # None: no table, questions instead
        for i, x in enumerate(expr.numbers):
            self.table[i][i] = {_exact(x): 1}
        self.built = 1
        self.bounds = plan.bounds(expr)
        self._memo: dict[tuple[int, int, Value], int] = {}     # (i, j, value) -> count, for intervals without a table
        self.asked = self._charged = 0  # budget: value pairs looked at by questions, and how many are charged
        self._foreseen = False          # budget: whether the questions' estimate was checked
        self._defined: dict[tuple[int, int], int] = {}
        self._ask: Optional[CountAsk] = None
        self._near: Optional[near.NearQuestions] = None              # near questions (near.py), made when first asked
        bound = tables_bound(expr)
        self._small = bound <= SMALL_SIDE               # budget: reserved whole now, not metered table by table
        if self._small:
            self.limits.reserve(bound, "this puzzle's tables")
        sizes = {(i, i): 1 for i in range(n)}
        while plan.build_next(expr, sizes, self.built, depth):
            self._level(self.built + 1)
            sizes.update(((i, i + self.built - 1), len(cast(Tabled, self.table[i][i + self.built - 1])))   # built
                         for i in range(n - self.built + 1))

    @classmethod
    def over(cls, expr: Expr, tables: Tables, ask: Optional[CountAsk] = None,
             limits: Optional[Limits] = None) -> "PythonSide":
        """Questions over tables built elsewhere: `tables[i][j]` maps value -> count (None where there is no
        table), and `ask(i, j, v)` may answer a question first (None when it cannot). The fast engine's
        exact path for values past int64."""
        side = cls.__new__(cls)
        side.expr, side.allowed, side.table, side._ask = expr, expr.allowed(), tables, ask
        side.limits = limits if limits is not None else Limits()
        side.built = max(j - i + 1 for i, row in enumerate(tables) for j, t in enumerate(row) if t is not None)
        side.work = side.entries = 0
        side.max_work, side.max_entries = MAX_WORK, MAX_ENTRIES
        side.bounds = plan.bounds(expr)
        side._memo, side._defined, side._near = {}, {}, None
        side.asked = side._charged = 0
        side._foreseen, side.also, side._small = False, (), False
        return side

    def _level(self, length: int) -> None:
        """Build every table of `length` operands."""
        n = self.expr.size
        for i in range(n - length + 1):
            self.table[i][i + length - 1] = self._build(i, i + length - 1)
            self.limits.progress(i + 1, n - length + 1, f"building tables of {length} operands")   # budget
        self.built = length

    def _build(self, i: int, j: int) -> Table:
        out: Table = {}
        if not self.allowed[i][j]:
            return out
        what = f"this puzzle's tables (operands {i + 1} to {j + 1} of {self.expr.size})"
        for k in range(i, j):
            # a PythonSide builds its own tables, as dicts
            left, right = cast(_MaybeTable, self.table[i][k]), cast(_MaybeTable, self.table[k + 1][j])
            if not left or not right:
                continue
            pairs = len(left) * len(right) * len(self.expr.slots[k])
            self.limits.spend(pairs, self.max_work, "this puzzle", (USE_NUMBA,))   # budget: before the work
            self.work += pairs
            for op in self.expr.slots[k]:
                if self._small:
                    _combine(op, left, right, out)
                else:
                    combine_within(self.limits, op, left, right, out, what)
            self.limits.check()
        self.entries += len(out)
        if self.entries > self.max_entries:
            raise TooLargeError(f"this puzzle's tables hold more than {self.max_entries:,} values",
                                limit="max_entries", value=self.entries)
        if self._small:
            return {_exact(v): c for v, c in out.items()}
        self.limits.reserve(len(out) * SLOT_BYTES, what)            # budget: the copy below, while both live
        exact = {_exact(v): c for v, c in out.items()}
        self.limits.release(len(out) * SLOT_BYTES)
        return exact

    def values_raw(self) -> Tabled:
        """The root table (value -> count); builds every table not built yet."""
        while self.built < self.expr.size:
            self._level(self.built + 1)
        return cast(Tabled, self.table[0][self.expr.size - 1])    # built just now

    def values(self) -> dict[Fraction, int]:
        """Every reachable value of the whole side, as Fraction -> count, in increasing order."""
        root = self.values_raw()
        sample = next(iter(root), 0)
        self.limits.reserve(len(root) * (SLOT_BYTES + 120 + value_bytes(Fraction(sample))),   # budget: the sort's
                            "the sorted list of this puzzle's values")                       # list and the dict
        return {Fraction(v): c for v, c in sorted(root.items())}

    def nearest(self, target: Value, k: int) -> list[tuple[Fraction, int]]:
        """(value, count) of up to `k` reachable values just below `target` and `k` just above, increasing:
        selected from the root table when it is built, else by near questions (`near.py`), without it."""
        t = _exact(Fraction(target))
        if self.built < self.expr.size:
            return near.nearest(self, t, k)
        table = self.values_raw()
        below = nlargest(k, (v for v in table if v < t))
        above = nsmallest(k, (v for v in table if v > t))
        return [(Fraction(v), table[v]) for v in below[::-1] + above]

    def smallest(self, k: int) -> list[Fraction]:
        """The `k` smallest reachable values, increasing, as Fractions (the root table is not needed)."""
        if self.built < self.expr.size:
            return near.ends(self, k, True)
        return [Fraction(v) for v in nsmallest(k, self.values_raw())]

    def largest(self, k: int) -> list[Fraction]:
        """The `k` largest reachable values, decreasing, as Fractions (the root table is not needed)."""
        if self.built < self.expr.size:
            return near.ends(self, k, False)
        return [Fraction(v) for v in nlargest(k, self.values_raw())]

    def distinct(self) -> Optional[int]:
        """How many distinct values the whole side reaches, when its table is built or cheap to build (at most
        `plan.EVERY_TABLE` bracketings); None otherwise (it would take the whole table: `values_raw()`)."""
        if self.built < self.expr.size and not plan.small(self.expr):
            return None
        return len(self.values_raw())

    def _near_questions(self) -> "near.NearQuestions":
        if self._near is None:
            self._near = near.NearQuestions(self)
        return self._near

    def defined(self) -> int:
        """Bracketings of the whole side that divide by zero nowhere (the root table is not needed)."""
        defined = self._count_defined(0, self.expr.size - 1)
        self._charge()                  # budget: its questions' pairs, as `count` charges its own
        return defined

    def count(self, target: Value) -> int:
        """Bracketings equal to `target` (a question to the root, pushed down where there are no tables)."""
        count = self._count(0, self.expr.size - 1, _exact(Fraction(target)))
        self._charge()
        return count

    # --- questions -------------------------------------------------------------------------------------

    def _splits(self, i: int, j: int, smaller: bool = True) -> Iterator[tuple[int, int, Tabled, int, int]]:
        """(k, side, known table, lo, hi) per split: the tabled child to enumerate (side 0 is the left; the
        smaller when both are, or the left unless `smaller`) and the other child lo..hi, whose partners are
        asked for."""
        for k in range(i, j):
            left, right = self.table[i][k], self.table[k + 1][j]
            if left is not None and (right is None or not smaller or len(left) <= len(right)):
                yield k, 0, left, k + 1, j
            elif right is not None:
                yield k, 1, right, i, k
            else:
                raise AssertionError(f"no table on either side of split {k} of operands {i}..{j}")  # plan.py keeps one

    def _count(self, i: int, j: int, v: Value) -> int:
        """Bracketings of operands i..j with the value `v`."""
        table = self.table[i][j]
        if table is not None:
            return table.get(v, 0)
        key = (i, j, v)
        count = self._memo.get(key)
        if count is None and self._ask is not None:
            count = self._ask(i, j, v)
        if count is None:
            count = 0
            if self.allowed[i][j] and plan.within(self.bounds, i, j, v):
                if not self._foreseen:
                    self._foresee()                         # budget: before the first question with work
                for k, side, known, lo, hi in self._splits(i, j):
                    ops = self.expr.slots[k]
                    self.asked += len(known) * len(ops)         # budget: the pairs looked at, charged in steps
                    if self.asked - self._charged >= _ASK_STEP:
                        self._charge()
                    for op in ops:
                        for a, ca in known.items():
                            count += ca * self._partners(op, side, a, v, lo, hi)
            self._remember(key, count)
        return count

    def _remember(self, key: tuple[int, int, Value], count: int) -> None:
        """Keep a question's answer; every _MEMO_STEP of them, count their memory and work, check the deadline
        and report progress (budget)."""
        if len(self._memo) % _MEMO_STEP == 0:
            self.limits.reserve(_MEMO_STEP * MEMO_BYTES, "this puzzle's questions (interval, value)")
            self._charge()
        self._memo[key] = count

    def _foresee(self) -> None:
        """Refuse at once when the plan's estimate of the questions' pairs passes the work cap FORESEE times."""
        self._foreseen = True
        n = self.expr.size
        sizes = {(i, j): len(t) for i, row in enumerate(self.table) for j, t in enumerate(row) if t is not None}
        ahead = self.work + plan.query_work(self.expr, sizes, self.built) if self.built < n else 0
        cap = self.limits.work_cap(self.max_work)
        if ahead > FORESEE * cap:
            raise self.limits.work_error(int(ahead), cap, "this puzzle's questions (estimated)", self.also)

    def _charge(self) -> None:
        """Count the pairs the questions looked at as work (within this side's cap: tables and questions
        together), check the deadline and report progress."""
        limits = self.limits
        limits.work += self.asked - self._charged
        self._charged = self.asked
        cap = limits.work_cap(self.max_work)
        if self.work + self.asked > cap:
            raise limits.work_error(self.work + self.asked, cap, "this puzzle's questions", self.also)
        limits.progress(len(self._memo), 0, "answering questions", "questions")

    def _partners(self, op: str, side: int, known: Value, v: Value, lo: int, hi: int) -> int:
        """Bracketings x of lo..hi with `known op x == v` (side 0) or `x op known == v` (side 1)."""
        kind, x = solve_for(op, side, known, v)
        if x is not None:                                   # kind "one"
            return self._count(lo, hi, x)
        if kind == "none":
            return 0
        return self._count_defined(lo, hi) - (self._count(lo, hi, 0) if kind == "nonzero" else 0)

    def _count_defined(self, i: int, j: int) -> int:
        """Bracketings of operands i..j that divide by zero nowhere."""
        table = self.table[i][j]
        if table is not None:
            return sum(table.values())
        total = self._defined.get((i, j))
        if total is None:
            total = 0
            if self.allowed[i][j]:
                for k in range(i, j):
                    dl, dr = self._count_defined(i, k), self._count_defined(k + 1, j)
                    for op in self.expr.slots[k]:
                        total += dl * (dr - self._count(k + 1, j, 0) if op == "/" else dr)
            self._defined[i, j] = total
        return total

    def _count_not(self, i: int, j: int, values: tuple[Value, ...]) -> int:
        """Defined bracketings of operands i..j whose value is none of `values` (distinct)."""
        return self._count_defined(i, j) - sum(self._count(i, j, w) for w in values)

    # --- solutions ---------------------------------------------------------------------------------------

    def trees(self, target: Value, i: int = 0, j: int = -1) -> Iterator[Tree]:
        """Every bracketing of operands i..j whose value is `target`, lazily, walking the counts back."""
        j = self.expr.size - 1 if j < 0 else j
        yield from self._walk(i, j, _exact(Fraction(target)))

    def _walk(self, i: int, j: int, v: Value) -> Iterator[Tree]:
        if i == j:
            leaf = self.table[i][i]                         # every operand's table is built
            if leaf is not None and leaf.get(v):
                yield i
            return
        if not self._count(i, j, v):
            return
        for k, side, known, lo, hi in self._splits(i, j, smaller=False):    # table order: the left's entries
            for op in self.expr.slots[k]:
                for a in known:
                    kind, x = solve_for(op, side, a, v)
                    if x is not None and self._count(lo, hi, x):                # kind "one"
                        yield from self._pairs(op, side, k, i, j, a, lambda: self._walk(lo, hi, x))
                    elif kind in ("all", "nonzero"):
                        skip = (0,) if kind == "nonzero" else ()
                        others = self.table[lo][hi]
                        if others is not None:              # every partner in table order, each walked
                            for w in others:
                                if w not in skip:
                                    yield from self._pairs(op, side, k, i, j, a, lambda: self._walk(lo, hi, w))
                        elif self._count_not(lo, hi, skip):
                            yield from self._pairs(op, side, k, i, j, a, lambda: self._walk_not(lo, hi, skip))

    def _walk_not(self, i: int, j: int, values: tuple[Value, ...]) -> Iterator[Tree]:
        """Every defined bracketing of operands i..j whose value is none of `values`, lazily."""
        table = self.table[i][j]
        if table is not None:
            for w in table:
                if w not in values:
                    yield from self._walk(i, j, w)
            return
        if not self._count_not(i, j, values):
            return
        for k, side, known, lo, hi in self._splits(i, j):
            for op in self.expr.slots[k]:
                for a in known:
                    skip = excluded(op, side, a, values)
                    if skip is not None and self._count_not(lo, hi, skip):
                        yield from self._pairs(op, side, k, i, j, a, lambda: self._walk_not(lo, hi, skip))

    def _pairs(self, op: str, side: int, k: int, i: int, j: int, a: Value,
               others: Callable[[], Iterator[Tree]]) -> Iterator[Tree]:
        """The trees `op` over the known child's trees of value `a` and the other child's (`others()`)."""
        if side == 0:
            for lt in self._walk(i, k, a):
                for rt in others():
                    yield (op, lt, rt)
        else:
            for lt in others():
                for rt in self._walk(k + 1, j, a):
                    yield (op, lt, rt)
