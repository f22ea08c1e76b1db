"""The reference free-order engine: the DP over sub-multisets in pure Python, the specification of the fast one.

Sub-multiset `s` of the distinct numbers is a mixed-radix index (a bitmask when no number repeats). Its
table maps each value to the number of written trees over exactly those numbers; a tree is a split of
`s` into two parts, an operator, and a tree over each part, so equal numbers never multiply a count.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import islice, product
from math import comb, factorial
from typing import Iterable, Iterator, Mapping, Optional

from ..errors import TooLargeError
from ..solver.limits import Limits
from ..solver.model import Tree, Value

Table = dict[Value, int]    # value -> written trees, like {24: 1, Fraction(8, 3): 2}

MAX_WORK = 20_000_000       # value pairs combined, over all tables
MAX_ENTRIES = 20_000_000    # table entries kept, over all tables
ENTRY_BYTES = 96            # budget: a dict entry's slot and index, a resize's copy included (see solver/limits.py)
_VALUE_BYTES = 120          # budget: a table value, mostly a Fraction (56 bytes) and its two ints, and its count
MERGED_BYTES = 250          # budget: an entry of the tables merged(): the merged dict's slot, the (value, count)
                            # tuple, exact_order's (float, item) pairs and lists, the Result's Fraction -> count dict
                            # (174 bytes measured by tracemalloc on Countdown-6's values)
USE_NUMBA = ("use backend='numba'", "use --backend numba")     # the other way past the Python engine's caps


class Multisets:
    """The sub-multisets of a multiset with `counts[i]` copies of number i, as mixed-radix indices.

    >>> m = Multisets((2, 1))
    >>> m.full, m.size(m.full), [m.digits(s) for s in m.splits(m.full)[:2]]
    (5, 3, [(1, 0), (2, 0)])
    """

    def __init__(self, counts: Iterable[int]) -> None:
        self.counts = tuple(counts)
        self.strides: list[int] = []
        stride = 1
        for c in self.counts:
            self.strides.append(stride)
            stride *= c + 1
        self.states = stride
        self.full = stride - 1
        self._digits = [tuple(reversed(d)) for d in product(*[range(c + 1) for c in reversed(self.counts)])]
        self._sizes = [sum(d) for d in self._digits]
        self._splits: dict[int, list[int]] = {}

    def digits(self, s: int) -> tuple[int, ...]:
        """How many copies of each number `s` holds."""
        return self._digits[s]

    def size(self, s: int) -> int:
        return self._sizes[s]

    def leaf(self, i: int) -> int:
        """The sub-multiset holding one copy of number i."""
        return self.strides[i]

    def by_size(self) -> list[int]:
        """Every non-empty sub-multiset, smaller ones first."""
        return sorted(range(1, self.states), key=lambda s: (self._sizes[s], s))

    def splits(self, s: int) -> list[int]:
        """Every `a` with 0 < a < s componentwise (the left part of an ordered split of `s` into a, s - a),
        in increasing order."""
        out = self._splits.get(s)
        if out is None:
            out = [0]
            for d, stride in zip(self._digits[s], self.strides):
                out = [a + x * stride for x in range(d + 1) for a in out]
            out = sorted(out)[1:-1]
            self._splits[s] = out
        return out

    def contains(self, a: int, s: int) -> bool:
        """Is `a` a sub-multiset of `s`?"""
        return all(x <= y for x, y in zip(self._digits[a], self._digits[s]))

    def trees(self, s: int, ops: int) -> int:
        """Written trees over exactly `s` with `ops` operators: leaf orders (k! over the repeats' factorials)
        times Catalan(k - 1) shapes times ops ** (k - 1)."""
        k = self._sizes[s]
        orders = factorial(k)
        for d in self._digits[s]:
            orders //= factorial(d)
        choices: int = ops ** (k - 1)          # (int ** int is typed Any: a negative power is a float)
        return orders * (comb(2 * k - 2, k - 1) // k) * choices


def _exact(v: Value) -> Value:
    if type(v) is Fraction and v.denominator == 1:
        return v.numerator
    return v


def _div(a: Value, b: Value) -> Value:
    if type(a) is int and type(b) is int:
        q, r = divmod(a, b)
        return q if r == 0 else Fraction(a, b)
    return _exact(Fraction(a) / b)


def _pairs(op: str, tv: bool, left: Table, right: Table, out: Table, both: bool) -> None:
    """Add every defined `a op b` (and, when `both`, `b op a`) for a in `left`, b in `right` to `out`."""
    get = out.get
    for a, ca in left.items():
        for b, cb in right.items():
            c = ca * cb
            if op == "+":
                v = a + b
                out[v] = get(v, 0) + (2 * c if both else c)
            elif op == "*":
                v = a * b
                out[v] = get(v, 0) + (2 * c if both else c)
            elif op == "-":
                if not tv or a > b:
                    out[a - b] = get(a - b, 0) + c
                if both and (not tv or b > a):
                    out[b - a] = get(b - a, 0) + c
            else:
                if b and (not tv or a % b == 0):
                    v = _div(a, b)
                    out[v] = get(v, 0) + c
                if both and a and (not tv or b % a == 0):
                    v = _div(b, a)
                    out[v] = get(v, 0) + c


def partners(op: str, a: Value, target: Value, right: Mapping[Value, int]) -> Iterator[Value]:
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


class PythonSubsets:
    """Value tables for every sub-multiset of the numbers (the whole one on demand).

    `values`: the distinct numbers; `counts`: their multiplicities; `ops`: the operators; `tv`: the TV rule
    (only positive integer results). Interface (shared with the numba engine): `table(s)`, `count(target, s)`,
    `defined(s)`, `trees(target, s)`, `total(s)` (written trees over `s`, defined or not), `space`.
    Raises `TooLargeError` past `max_work` value pairs or `max_entries` table entries, or past the budget of
    `limits` (memory, work; `SolveTimeout` past its deadline).

    >>> from fractions import Fraction as F
    >>> e = PythonSubsets((F(8), F(3)), (2, 2), "+-*/")
    >>> e.count(24, e.space.full), [e.render(t) for t in e.trees(24, e.space.full)]
    (1, ['8 / (3 - 8 / 3)'])
    """

    name = "python"

    def __init__(self, values: Iterable[Value], counts: Iterable[int], ops: str, *, tv: bool = False,
                 names: Iterable[str] = (),
                 max_work: int = MAX_WORK, max_entries: int = MAX_ENTRIES, limits: Optional[Limits] = None) -> None:
        self.values = tuple(_exact(Fraction(v)) for v in values)
        self.names = tuple(names) or tuple(str(v) for v in self.values)
        self.ops, self.tv = ops, tv
        self.space = space = Multisets(counts)
        self.max_work, self.max_entries = max_work, max_entries
        self.limits = limits if limits is not None else Limits()       # budget: memory, work, deadline
        self.work = self.entries = 0
        self.tables: dict[int, Table] = {}
        for i, x in enumerate(self.values):
            self.tables[space.leaf(i)] = {x: 1}
        inner = [s for s in space.by_size() if space.size(s) > 1 and s != space.full]
        for done, s in enumerate(inner, 1):
            self.tables[s] = self._build(s)
            self.limits.progress(done, len(inner), unit="sub-multisets")     # budget: the deadline, progress

    def _build(self, s: int) -> Table:
        out: Table = {}
        for a in self.space.splits(s):
            b = s - a
            if a > b:
                break
            left, right = self.tables[a], self.tables[b]
            pairs = len(left) * len(right) * len(self.ops) * (2 if a != b else 1)
            self.limits.spend(pairs, self.max_work, "this puzzle", (USE_NUMBA,))    # budget: before the work
            self.work += pairs
            for op in self.ops:
                self._pairs_within(op, left, right, out, a != b)
            self.limits.check()
        self.entries += len(out)
        if self.entries > self.max_entries:
            raise TooLargeError(f"this puzzle's tables hold more than {self.max_entries:,} values",
                                limit="max_entries", value=self.entries)
        self.limits.reserve(len(out) * ENTRY_BYTES, "this puzzle's tables")     # budget: the copy, while both live
        table = {_exact(v): c for v, c in out.items() if c}
        self.limits.release(len(out) * ENTRY_BYTES)
        return table

    def _pairs_within(self, op: str, left: Table, right: Table, out: Table, both: bool) -> None:
        """`_pairs(op, ...)` without passing the memory budget: in chunks of `left` small enough that even
        all-new results would fit what is left, each chunk's new entries reserved as they come."""
        if not left or not right:
            return
        limits, what = self.limits, "this puzzle's tables"
        each = (ENTRY_BYTES + 2 * _VALUE_BYTES) * len(right) * (2 if both else 1)  # one chunk row, all new
        step = len(left) if limits.fits(each * len(left)) else limits.room() // each
        if step < 1:
            raise limits.memory_error(limits.reserved + each, what)
        items = iter(left.items())
        for _ in range(0, len(left), step):
            before = len(out)
            _pairs(op, self.tv, dict(islice(items, step)) if step < len(left) else left, right, out, both)
            limits.reserve((len(out) - before) * (ENTRY_BYTES + _VALUE_BYTES), what)

    def table(self, s: int) -> Table:
        """Sub-multiset `s`'s table, value -> written trees (the whole multiset's is built when first asked)."""
        table = self.tables.get(s)
        if table is None:
            table = self.tables[s] = self._build(s)
        return table

    def merged(self, sets: Iterable[int]) -> list[tuple[Value, int]]:
        """[(value, count)] over the tables of `sets`, counts of equal values added, in exact increasing order."""
        tables = [self.table(s) for s in sets]
        self.limits.reserve(sum(map(len, tables)) * MERGED_BYTES, "the sorted values of this puzzle")
        out: Table = {}
        for table in tables:
            for v, c in table.items():
                out[v] = out.get(v, 0) + c
        return exact_order(list(out.items()))

    def render(self, tree: Tree) -> str:
        from ..games.game import _render

        return _render(self.names, tree)

    def total(self, s: int) -> int:
        """Written trees over exactly `s`, whatever their value (division by zero and the TV rule aside)."""
        return self.space.trees(s, len(self.ops))

    def defined(self, s: int) -> int:
        """Written trees over `s` that have a value under the rules."""
        if s in self.tables or self.tv:
            return sum(self.table(s).values())
        total = 0
        for a in self.space.splits(s):
            left, right = self.tables[a], self.tables[s - a]
            dl, dr = sum(left.values()), sum(right.values())
            for op in self.ops:
                total += dl * (dr - right.get(0, 0) if op == "/" else dr)
        return total

    def count(self, target: Value, s: int) -> int:
        """Written trees over `s` whose value is `target`, looking partners up when `s`'s table is not built."""
        target = _exact(Fraction(target))
        if s in self.tables:
            return self.tables[s].get(target, 0)
        if self.tv and not _positive_int(target):
            return 0
        total = 0
        for a in self.space.splits(s):
            left, right = self.tables[a], self.tables[s - a]
            for op in self.ops:
                for x, cx in left.items():
                    for y in partners(op, x, target, right):
                        if self.tv and op == "/" and x % y:
                            continue
                        total += cx * right[y]
        return total

    def trees(self, target: Value, s: int) -> Iterator[Tree]:
        """Every written tree over `s` whose value is `target`, lazily, by walking the tables back."""
        target = _exact(Fraction(target))
        if self.tv and not _positive_int(target):
            return iter(())
        return self._walk(s, target)

    def _walk(self, s: int, target: Value) -> Iterator[Tree]:
        if self.space.size(s) == 1:
            i = self.space.digits(s).index(1)
            if self.values[i] == target:
                yield i
            return
        for a in self.space.splits(s):
            b = s - a
            left, right = self.table(a), self.table(b)
            for op in self.ops:
                for x in left:
                    for y in partners(op, x, target, right):
                        if self.tv and op == "/" and x % y:
                            continue
                        for lt in self._walk(a, x):
                            for rt in self._walk(b, y):
                                yield (op, lt, rt)


def exact_order(items: list[tuple[Value, int]]) -> list[tuple[Value, int]]:
    """(value, count) pairs sorted by exact value: by float first (fast), then every run of neighbours whose
    floats are within rounding of each other re-sorted as Fractions (two values the floats misorder are that
    close). Values too big for a float are sorted apart and merged in."""
    small: list[tuple[float, tuple[Value, int]]] = []
    big: list[tuple[Value, int]] = []
    for item in items:
        try:
            small.append((float(item[0]), item))
        except OverflowError:
            big.append(item)
    small.sort(key=lambda pair: pair[0])
    out: list[tuple[Value, int]] = []
    run: list[tuple[float, tuple[Value, int]]] = []
    for f, item in small:
        if run and not abs(f - run[-1][0]) <= 1e-12 * max(abs(f), abs(run[-1][0])):
            out += _exactly(run)
            run = []
        run.append((f, item))
    out += _exactly(run)
    if big:
        from heapq import merge

        out = list(merge(out, sorted(big, key=lambda item: Fraction(item[0])), key=lambda item: Fraction(item[0])))
    return out


def _exactly(run: list[tuple[float, tuple[Value, int]]]) -> list[tuple[Value, int]]:
    items = [item for _, item in run]
    return items if len(items) < 2 else sorted(items, key=lambda item: Fraction(item[0]))


def _positive_int(v: Value) -> bool:
    return type(v) is int and v > 0
