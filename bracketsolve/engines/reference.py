"""The reference engine: the exact interval DP in pure Python, the specification the fast engine must match.

Each interval of operands gets a table value -> number of bracketings (Norvig's Countdown, exact).
Integral values are kept as `int` and the rest as `Fraction`; the two hash and compare alike.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from itertools import islice
from typing import Iterator, Optional

from ..errors import TooLargeError
from ..solver.limits import Limits
from ..solver.model import Expr, Tree

MAX_WORK = 20_000_000       # value pairs combined, over all tables (Countdown-2016 takes 9.5 million)
MAX_ENTRIES = 20_000_000    # table entries kept, over all tables
SLOT_BYTES = 96             # budget: a dict entry's slot and index, a resize's copy included (see limits.py)
USE_NUMBA = ("use backend='numba'", "use --backend numba")     # the other way past the Python engine's caps


def _exact(v):
    """`v` as an int when integral, else as a Fraction."""
    if type(v) is Fraction and v.denominator == 1:
        return v.numerator
    return v


def _div(a, b):
    if type(a) is int and type(b) is int:
        q, r = divmod(a, b)
        return q if r == 0 else Fraction(a, b)
    return _exact(Fraction(a) / b)


def _combine(op: str, left: dict, right: dict, out: dict) -> None:
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

def value_bytes(v) -> int:
    """The bytes of one table value: the int, or the Fraction and its two ints."""
    if type(v) is Fraction:
        return sys.getsizeof(v) + sys.getsizeof(v.numerator) + sys.getsizeof(v.denominator)
    return sys.getsizeof(v)


def entry_bytes(table: dict) -> int:
    """What an entry of `table` costs, from one sampled entry: slot, value and count."""
    for v, c in table.items():
        return SLOT_BYTES + value_bytes(v) + sys.getsizeof(c)
    return SLOT_BYTES


def combine_within(limits: Limits, op: str, left: dict, right: dict, out: dict, what: str) -> None:
    """`_combine(op, left, right, out)` without passing the memory budget: the new entries are reserved as they
    come, in chunks of `left` small enough that even all-new results would fit what is left of the budget."""
    if not left or not right:
        return
    per = entry_bytes(left) + entry_bytes(right) - SLOT_BYTES    # a result's size is at most its operands'
    step = len(left) if limits.fits(per * len(left) * len(right)) else max(1, limits.room() // (per * len(right)))
    items = iter(left.items())
    for _ in range(0, len(left), step):
        before = len(out)
        _combine(op, dict(islice(items, step)) if step < len(left) else left, right, out)
        limits.reserve((len(out) - before) * per, what)


def partners(op: str, a, target, right: dict) -> Iterator:
    """The values b in `right` with `a op b == target` (zero cases included)."""
    if op == "+":
        b = target - a
    elif op == "-":
        b = a - target
    elif op == "*":
        if a == 0:
            if target == 0:
                yield from right
            return
        b = _div(target, a)
    else:
        if target == 0:
            if a == 0:
                yield from (b for b in right if b != 0)
            return
        if a == 0:
            return
        b = _div(a, target)
    b = _exact(b)
    if b in right:
        yield b


class PythonSide:
    """Value tables for every interval of one side except the whole; the root is combined on demand."""

    name = "python"

    def __init__(self, expr: Expr, *, max_work: int = MAX_WORK, max_entries: int = MAX_ENTRIES,
                 limits: Optional[Limits] = None) -> None:
        self.expr = expr
        n = expr.size
        self.allowed = expr.allowed()
        self.work, self.entries = 0, 0
        self.max_work, self.max_entries = max_work, max_entries
        self.limits = limits if limits is not None else Limits()       # budget: memory, work, deadline
        self.table = [[None] * n for _ in range(n)]
        for i, x in enumerate(expr.numbers):
            self.table[i][i] = {_exact(x): 1}
        built, intervals = 0, (n - 1) * (n - 2) // 2
        for length in range(2, n):
            for i in range(n - length + 1):
                self.table[i][i + length - 1] = self._build(i, i + length - 1)
                built += 1
                self.limits.progress(built, intervals)                 # budget: the deadline, progress
        self._root = None

    def _build(self, i: int, j: int) -> dict:
        out: dict = {}
        if not self.allowed[i][j]:
            return out
        what = f"this puzzle's tables (operands {i + 1} to {j + 1} of {self.expr.size})"
        for k in range(i, j):
            left, right = self.table[i][k], self.table[k + 1][j]
            if not left or not right:
                continue
            pairs = len(left) * len(right) * len(self.expr.slots[k])
            self.limits.spend(pairs, self.max_work, "this puzzle", (USE_NUMBA,))   # budget: before the work
            self.work += pairs
            for op in self.expr.slots[k]:
                combine_within(self.limits, op, left, right, out, what)
            self.limits.check()
        self.entries += len(out)
        if self.entries > self.max_entries:
            raise TooLargeError(f"this puzzle's tables hold more than {self.max_entries:,} values",
                                limit="max_entries", value=self.entries)
        self.limits.reserve(len(out) * SLOT_BYTES, what)            # budget: the copy below, while both live
        exact = {_exact(v): c for v, c in out.items()}
        self.limits.release(len(out) * SLOT_BYTES)
        return exact

    def values_raw(self) -> dict:
        """The root table (value -> count), built once when first asked."""
        n = self.expr.size
        if n == 1:
            return self.table[0][0]
        if self._root is None:
            self._root = self._build(0, n - 1)
        return self._root

    def values(self) -> dict:
        """Every reachable value of the whole side, as Fraction -> count, in increasing order."""
        root = self.values_raw()
        sample = next(iter(root), 0)
        self.limits.reserve(len(root) * (SLOT_BYTES + 120 + value_bytes(Fraction(sample))),   # budget: the sort's
                            "the sorted list of this puzzle's values")                       # list and the dict
        return {Fraction(v): c for v, c in sorted(root.items())}

    def defined(self) -> int:
        """Bracketings of the whole side that divide by zero nowhere (the root table is not needed)."""
        n = self.expr.size
        if n == 1:
            return 1
        if self._root is not None:
            return sum(self._root.values())
        total = 0
        for k in range(n - 1):
            left, right = self.table[0][k], self.table[k + 1][n - 1]
            dl, dr = sum(left.values()), sum(right.values())
            for op in self.expr.slots[k]:
                total += dl * (dr - right.get(0, 0) if op == "/" else dr)
        return total

    def count(self, target) -> int:
        """Bracketings equal to `target`, by looking partners up in the two halves of each root split."""
        target = _exact(Fraction(target))
        n = self.expr.size
        if self._root is not None or n == 1:
            return self.values_raw().get(target, 0)
        total = 0
        for k in range(n - 1):
            left, right = self.table[0][k], self.table[k + 1][n - 1]
            for op in self.expr.slots[k]:
                for a, ca in left.items():
                    for b in partners(op, a, target, right):
                        total += ca * right[b]
            self.limits.check()                                         # budget: the deadline
        return total

    def trees(self, target, i: int = 0, j: int = -1) -> Iterator[Tree]:
        """Every bracketing of operands i..j whose value is `target`, lazily, by walking the tables back."""
        target = _exact(Fraction(target))
        j = self.expr.size - 1 if j < 0 else j
        yield from self._walk(i, j, target)

    def _walk(self, i: int, j: int, target) -> Iterator[Tree]:
        if i == j:
            if self.table[i][i].get(target):
                yield i
            return
        if not self.allowed[i][j]:
            return
        for k in range(i, j):
            left, right = self.table[i][k], self.table[k + 1][j]
            for op in self.expr.slots[k]:
                for a in left:
                    for b in partners(op, a, target, right):
                        for lt in self._walk(i, k, a):
                            for rt in self._walk(k + 1, j, b):
                                yield (op, lt, rt)
