"""Equivalence of bracketings: two are equivalent when they are the same rational function of the operands
taken as independent symbols. A canonical form decides it, and a DP over forms counts and lists the classes.

The form flattens a chain of + and - into signed terms and a chain of * and / into factors signed +1
(numerator) or -1 (denominator); each operand occurs once, so two bracketings are equivalent exactly when
their forms are equal. `(a + b) - c` and `a + (b - c)` are both +a +b -c; `a - (b - c)` is +a -b +c, not
`(a - b) - c`, which is +a -b -c.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator, Optional, Union, cast

from .bracketings import Solution
from .limits import Limits
from .model import Expr, Puzzle, Tree, apply
from .result import Result, Side

Form = int                  # an interned form, like 7; `Forms.key(7)` is like ("+", ((1, 3), (-1, 5)))
Part = tuple[int, Form]     # (sign, form), like (-1, 5): a term subtracted or a factor divided by
Key = Union[tuple[str, int], tuple[str, tuple[Part, ...]]]   # ("#", 2) an operand; ("+", ((1, f), (-1, g))) terms;
#                                                             ("*", ((1, f), (-1, g))) factors
Expanded = Union[tuple[str, int], tuple[str, tuple[tuple[int, "Expanded"], ...]]]   # a Key with its forms expanded
How = tuple[int, str, Form, Form]           # (k, op, left form, right form): the split of a form's best member
Entry = tuple[Optional[Fraction], int, Optional[How]]    # (value or None, pairs, how) of one form of an interval

KIND = {"+": "+", "-": "+", "*": "*", "/": "*"}     # the chain an operator belongs to
FLIPS = {"+": 1, "-": -1, "*": 1, "/": -1}          # what the operator does to the sign of its right side
MAX_WORK = 4_000_000        # form pairs combined, over all intervals (max_work= overrides it): about 30 s at
#                             0.13-0.16 million a second (measured); 8 operands with ? everywhere take 2.2 million
FORM_BYTES = 380            # budget: a new form of an interval: its table entry, its key and the interner's slots
PART_BYTES = 32             # budget: ... and per operand of the interval, its share of the key's parts (measured
#                             520-570 bytes a form at 7 operands, estimated 604 plus the value)
WHAT = "this puzzle's solution classes"
ALSO = (("use distinct='all'", "use --distinct all"),)


class Forms:
    """Interns canonical forms as small ints, so that combining two forms is a tuple build and a lookup.

    >>> f = Forms()
    >>> a, b, c = f.leaf(0), f.leaf(1), f.leaf(2)
    >>> f.combine("-", f.combine("+", a, b), c) == f.combine("+", a, f.combine("-", b, c))
    True
    >>> f.combine("-", a, f.combine("-", b, c)) == f.combine("-", f.combine("-", a, b), c)
    False
    """

    def __init__(self) -> None:
        self._ids: dict[Key, Form] = {}
        self._keys: list[Key] = []

    def _intern(self, key: Key) -> Form:
        form = self._ids.get(key)
        if form is None:
            form = self._ids[key] = len(self._keys)
            self._keys.append(key)
        return form

    def leaf(self, i: int) -> Form:
        """The form of operand `i`."""
        return self._intern(("#", i))

    def combine(self, op: str, left: Form, right: Form) -> Form:
        """The form of `left op right`."""
        kind, flip = KIND[op], FLIPS[op]
        right_parts = self._parts(right, kind)
        if flip < 0:
            right_parts = tuple((-sign, part) for sign, part in right_parts)
        return self._intern((kind, self._parts(left, kind) + right_parts))

    def _parts(self, form: Form, kind: str) -> tuple[Part, ...]:
        key = self._keys[form]
        return cast(tuple[Part, ...], key[1]) if key[0] == kind else ((1, form),)   # `kind` is a chain, not "#"

    def kind(self, form: Form) -> str:
        """"#" for an operand, "+" for a chain of terms, "*" for a chain of factors."""
        return self._keys[form][0]

    def key(self, form: Form) -> Key:
        return self._keys[form]

    def of(self, tree: Tree) -> Form:
        """The form of a tree."""
        if isinstance(tree, int):
            return self.leaf(tree)
        op, left, right = tree
        return self.combine(op, self.of(left), self.of(right))

    def expand(self, form: Form) -> Expanded:
        """The form as nested tuples that no longer refer to this interner."""
        kind, body = self._keys[form]
        if isinstance(body, int):           # kind "#"
            return (kind, body)
        return (kind, tuple((sign, self.expand(part)) for sign, part in body))


def form(tree: Tree) -> Expanded:
    """The canonical form of a bracketing tree, as nested tuples: equal exactly for equivalent trees.

    >>> form(("-", ("+", 0, 1), 2)) == form(("+", 0, ("-", 1, 2)))
    True
    >>> form(("/", ("*", 0, 1), 2)) == form(("*", 0, ("/", 1, 2)))
    True
    >>> form(("-", 0, ("-", 1, 2))) == form(("-", ("-", 0, 1), 2))
    False
    """
    forms = Forms()
    return forms.expand(forms.of(tree))


def wraps(op: str, kind: str, is_right: bool) -> bool:
    """Does a child of this kind need parentheses under `op` (the rendering's rule, by chain kind)?"""
    if kind == "#":
        return False
    mine, theirs = (1 if KIND[op] == "+" else 2), (1 if kind == "+" else 2)
    return theirs < mine or (is_right and theirs == mine)


class FormSide:
    """Every form of every interval of one side, each with its value and its best member.

    `table[i][j]` maps a form to (value, pairs, how): `value` is the exact value shared by every member
    that divides by zero nowhere (None when no member does), `pairs` the fewest parentheses a rendering
    of such a member needs, `how` = (k, op, left form, right form) for that member (None for an operand).
    """

    def __init__(self, expr: Expr, *, max_work: int = MAX_WORK, limits: Optional[Limits] = None) -> None:
        self.expr = expr
        self.forms = forms = Forms()
        self.limits = limits = limits if limits is not None else Limits()   # memory, work cap, deadline
        n = expr.size
        ok = expr.allowed()
        work, cap = 0, limits.work_cap(max_work)
        table = cast(list[list[dict[Form, Entry]]], [[None] * n for _ in range(n)])     # every i <= j is set below
        for i, x in enumerate(expr.numbers):
            table[i][i] = {forms.leaf(i): (Fraction(x), 0, None)}
        done, intervals = 0, n * (n - 1) // 2
        for length in range(2, n + 1):
            for i in range(n - length + 1):
                limits.progress(done, intervals, "counting classes")     # (it checks the deadline)
                done += 1
                j = i + length - 1
                out: dict[Form, Entry] = {}
                table[i][j] = out
                if not ok[i][j]:
                    continue
                for k in range(j - 1, i - 1, -1):           # left-leaning members first: a + b + c
                    left, right = table[i][k], table[k + 1][j]
                    work += len(left) * len(right) * len(expr.slots[k])
                    if work > cap:
                        raise limits.work_error(work, cap, WHAT, ALSO)
                    for op in expr.slots[k]:
                        self._combine(out, k, op, left, right, length)
        self.table = table

    def _combine(self, out: dict[Form, Entry], k: int, op: str, left: dict[Form, Entry],
                 right: dict[Form, Entry], length: int) -> None:
        """Add `left op right` to `out`, in chunks of `left` whose all-new results would fit the budget."""
        forms, limits = self.forms, self.limits
        rows, cols = list(left.items()), list(right.items())
        if not rows or not cols:
            return
        entry = FORM_BYTES + PART_BYTES * length + _value_bytes(rows) + _value_bytes(cols)
        for chunk in limits.chunks(len(rows), entry * len(cols), WHAT, most=max(1, (1 << 16) // len(cols))):
            before = len(out)
            for f, (a, pa, _) in rows[chunk.start:chunk.stop]:
                wl = wraps(op, forms.kind(f), False)
                for g, (b, pb, _) in cols:
                    h = forms.combine(op, f, g)
                    value = None if a is None or b is None else apply(op, a, b)
                    pairs = pa + pb + wl + wraps(op, forms.kind(g), True)
                    old = out.get(h)                            # keep the best member: defined, then fewest pairs
                    if old is None or (value is None, pairs) < (old[0] is None, old[1]):
                        out[h] = (value, pairs, (k, op, f, g))
            limits.reserve((len(out) - before) * entry, WHAT)

    def roots(self) -> dict[Form, Entry]:
        """The forms of the whole side: form -> (value or None, pairs, how)."""
        return self.table[0][self.expr.size - 1]

    def tree(self, form: Form, i: int = 0, j: int = -1) -> Tree:
        """The best member of `form` over operands i..j: defined when any member is, fewest parentheses."""
        j = self.expr.size - 1 if j < 0 else j
        how = self.table[i][j][form][2]
        if how is None:
            return i
        k, op, f, g = how
        return (op, self.tree(f, i, k), self.tree(g, k + 1, j))

    def classes(self, target: Fraction) -> list[Form]:
        """The forms whose value is `target`."""
        return [f for f, (v, _, _) in self.roots().items() if v is not None and v == target]

    def by_value(self) -> dict[Fraction, list[Form]]:
        """Defined value -> the forms that reach it."""
        out: dict[Fraction, list[Form]] = {}
        for f, (v, _, _) in self.roots().items():
            if v is not None:
                out.setdefault(v, []).append(f)
        return out


def _value_bytes(items: list[tuple[Form, Entry]]) -> int:
    """The most bytes a value takes among up to 8 sampled entries (the last added)."""
    from ..engines.reference import value_bytes

    return max((value_bytes(v) for _, (v, _, _) in items[-8:] if v is not None), default=0)


class FormResult(Result):
    """`solve(..., distinct="form")`: `.count` is the number of classes that solve the puzzle, and
    `.solutions` lists one member of each, the one with the fewest parentheses.
    `.count_all` is the number of solving bracketings, as `solve()` counts them.
    """

    distinct = "form"

    def __init__(self, puzzle: Puzzle, engines: tuple[Side, ...], limit: Optional[int],
                 limits: Optional[Limits] = None) -> None:
        super().__init__(puzzle, engines, limit)
        self.count_all = self.count
        self._classes: list[Form] = []
        self._matched: list[tuple[Fraction, list[Form], list[Form]]] = []
        self._sides: tuple[FormSide, ...] = ()
        if not self.count_all:                  # no bracketing solves it: no class does (no class tables)
            return
        self._sides = tuple(FormSide(side, limits=limits) for side in puzzle.free_sides)
        if puzzle.target is not None:
            self._classes = self._sides[0].classes(puzzle.target)
            self.count = len(self._classes)
        else:
            left, right = (side.by_value() for side in self._sides)
            self._matched = [(v, fs, right[v]) for v, fs in left.items() if v in right]
            self.count = sum(len(fs) * len(gs) for _, fs, gs in self._matched)

    def _solutions(self) -> Iterator[Solution]:
        puzzle = self.puzzle
        if not self.count_all:
            return
        if puzzle.target is not None:
            side = self._sides[0]
            for f in self._classes:
                yield Solution(puzzle, (side.tree(f),), (puzzle.target,))
            return
        left, right = self._sides
        for v, fs, gs in self._matched:
            for f in fs:
                for g in gs:
                    yield Solution(puzzle, (left.tree(f), right.tree(g)), (v, v))

    def summary(self, shown: int = 12) -> str:
        if not self.solvable:
            return super().summary(shown)
        return (f"{self.count:,} distinct solution{'s' if self.count != 1 else ''} (up to regrouping + - and * / "
                f"chains) of {self.puzzle}; {self.count_all:,} of {self.total:,} bracketings make it true.")

    def __repr__(self) -> str:
        return (f"FormResult({str(self.puzzle)!r}, solvable={self.solvable}, count={self.count}, "
                f"count_all={self.count_all}, total={self.total})")
