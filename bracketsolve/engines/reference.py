"""The reference engine: the exact interval DP in pure Python, the specification the fast engine must match.

Each interval of operands gets a table value -> number of bracketings (Norvig's Countdown, exact).
Integral values are kept as `int` and the rest as `Fraction`; the two hash and compare alike.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

from ..errors import TooLargeError
from ..solver.model import Expr, Tree

MAX_WORK = 20_000_000       # value pairs combined, over all tables (Countdown-2016 takes 9.5 million)
MAX_ENTRIES = 20_000_000    # table entries kept, over all tables


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

    def __init__(self, expr: Expr, *, max_work: int = MAX_WORK, max_entries: int = MAX_ENTRIES) -> None:
        self.expr = expr
        n = expr.size
        self.allowed = expr.allowed()
        self.work, self.entries = 0, 0
        self.max_work, self.max_entries = max_work, max_entries
        self.table = [[None] * n for _ in range(n)]
        for i, x in enumerate(expr.numbers):
            self.table[i][i] = {_exact(x): 1}
        for length in range(2, n):
            for i in range(n - length + 1):
                self.table[i][i + length - 1] = self._build(i, i + length - 1)
        self._root = None

    def _build(self, i: int, j: int) -> dict:
        out: dict = {}
        if not self.allowed[i][j]:
            return out
        for k in range(i, j):
            left, right = self.table[i][k], self.table[k + 1][j]
            if not left or not right:
                continue
            self.work += len(left) * len(right) * len(self.expr.slots[k])
            if self.work > self.max_work:
                raise TooLargeError(
                    f"this puzzle needs more than {self.max_work:,} value combinations in the pure-Python "
                    "engine; use backend='numba' or raise max_work", limit="max_work", value=self.work)
            for op in self.expr.slots[k]:
                _combine(op, left, right, out)
        self.entries += len(out)
        if self.entries > self.max_entries:
            raise TooLargeError(f"this puzzle's tables hold more than {self.max_entries:,} values",
                                limit="max_entries", value=self.entries)
        return {_exact(v): c for v, c in out.items()}

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
        return {Fraction(v): c for v, c in sorted(self.values_raw().items())}

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
