"""The puzzle model: exact operands, operator slots and fixed groups; bracketings as binary trees."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from math import comb
from typing import Callable, Collection, Iterable, Iterator, Optional, Union

from .symbols import PRECEDENCE, exact, normalize_ops

Tree = Union[int, tuple[str, "Tree", "Tree"]]  # like ("/", ("+", 0, 1), ("*", ("-", 2, 3), 4)): leaves are operands
Span = tuple[int, int]              # like (0, 1): operands 0..1 inclusive, a fixed group
Value = Union[int, Fraction]        # a value as the engines key their tables: 3 (an int when whole), Fraction(7, 2)


def apply(op: str, a: Fraction, b: Fraction) -> Optional[Fraction]:
    """`a op b` exactly, or None for a division by zero."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return None
    return Fraction(a) / b


@dataclass(frozen=True)
class Expr:
    """One side of a puzzle: operands in order, the operators allowed in each slot, fixed groups.

    `slots[k]` is the set of operators (a string, canonical order) allowed between operands k and k+1;
    `glyphs[k]` is how the user wrote that slot ("×", "÷", "?", ...); `literals[i]` is operand i as typed
    (ASCII digits); `groups` are the brackets the user typed, as operand spans; `written` is the tree the
    text denotes under the usual precedence (for checking answers).
    """

    numbers: tuple[Fraction, ...]
    slots: tuple[str, ...]
    glyphs: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    groups: tuple[Span, ...] = ()
    written: Tree = 0

    def __post_init__(self) -> None:
        if not self.glyphs:
            object.__setattr__(self, "glyphs", tuple(s if len(s) == 1 else "?" for s in self.slots))
        if not self.literals:
            object.__setattr__(self, "literals", tuple(_format(x) for x in self.numbers))

    @property
    def size(self) -> int:
        """Number of operands."""
        return len(self.numbers)

    @property
    def is_number(self) -> bool:
        """True when the side is a single operand."""
        return len(self.numbers) == 1

    def allowed(self) -> list[list[bool]]:
        """`allowed[i][j]`: may operands i..j form a subtree? (No fixed group is cut across.)"""
        n = self.size
        ok = [[True] * n for _ in range(n)]
        for (g, h) in self.groups:
            for i in range(n):
                for j in range(i, n):
                    if (i < g <= j < h) or (g < i <= h < j):
                        ok[i][j] = False
        return ok

    def shapes(self) -> int:
        """Number of tree shapes that keep every fixed group (the Catalan number when there are none)."""
        n = self.size
        if not self.groups:
            return comb(2 * n - 2, n - 1) // n
        ok = self.allowed()
        count = [[0] * n for _ in range(n)]
        for i in range(n):
            count[i][i] = 1
        for length in range(2, n + 1):
            for i in range(n - length + 1):
                j = i + length - 1
                if ok[i][j]:
                    count[i][j] = sum(count[i][k] * count[k + 1][j] for k in range(i, j))
        return count[0][n - 1]

    def total(self) -> int:
        """Number of bracketings: shapes times the operator choices of every slot."""
        total = self.shapes()
        for slot in self.slots:
            total *= len(slot)
        return total

    def with_ops(self, ops: str) -> "Expr":
        """The same side with every `?` slot narrowed to `ops`."""
        if "?" not in self.glyphs:
            return self
        slots = tuple(ops if glyph == "?" else slot for slot, glyph in zip(self.slots, self.glyphs))
        return replace(self, slots=slots)

    def text(self) -> str:
        """The side as written, with its fixed groups."""
        return _join(self, set(self.groups), lambda i: self.glyphs[i])


@dataclass(frozen=True)
class Puzzle:
    """A puzzle: one side (an expression, whose values are asked) or two (an equation to make true).

    >>> from bracketsolve import parse
    >>> p = parse("8 + 28 / 4 - 2 * 3 = 6")
    >>> p.target, p.left.size
    (Fraction(6, 1), 5)
    """

    sides: tuple[Expr, ...]
    source: str = ""

    @property
    def left(self) -> Expr:
        return self.sides[0]

    @property
    def right(self) -> Optional[Expr]:
        return self.sides[1] if len(self.sides) > 1 else None

    @property
    def is_equation(self) -> bool:
        return len(self.sides) == 2

    @property
    def target(self) -> Optional[Fraction]:
        """The right side's value when it is a single number, else None."""
        right = self.right
        return right.numbers[0] if right is not None and right.is_number else None

    @property
    def free_sides(self) -> tuple[Expr, ...]:
        """The sides that brackets can be added to (a lone target number is not one)."""
        return self.sides if self.target is None else self.sides[:1]

    def with_target(self, target: object) -> "Puzzle":
        """The same left side, equated to `target` (an int, Fraction, or exact decimal string)."""
        value = exact(target)
        puzzle = Puzzle((self.left, Expr((value,), ())))
        return Puzzle(puzzle.sides, str(puzzle))

    def with_ops(self, ops: str) -> "Puzzle":
        """The same puzzle with every `?` slot narrowed to `ops` (a subset of "+-*/", glyphs allowed)."""
        ops = normalize_ops(ops)
        return Puzzle(tuple(side.with_ops(ops) for side in self.sides), self.source)

    def total(self) -> int:
        """Every bracketing of the free sides: their counts multiplied."""
        total = 1
        for side in self.free_sides:
            total *= side.total()
        return total

    def __str__(self) -> str:
        return " = ".join(side.text() for side in self.sides)


def _format(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(x)


def format_value(x: Optional[Fraction]) -> str:
    """A value as people write it: "6", "-7/2"; "undefined" for None."""
    return "undefined" if x is None else _format(Fraction(x))


# --- trees -------------------------------------------------------------------------------------

def span(tree: Tree) -> Span:
    """The first and last operand index under `tree`."""
    lo = hi = tree
    while not isinstance(lo, int):
        lo = lo[1]
    while not isinstance(hi, int):
        hi = hi[2]
    return lo, hi


def evaluate(expr: Expr, tree: Tree) -> Optional[Fraction]:
    """The exact value of `tree` over `expr`'s operands, or None if it divides by zero."""
    if isinstance(tree, int):
        return expr.numbers[tree]
    op, left, right = tree
    a = evaluate(expr, left)
    b = evaluate(expr, right)
    if a is None or b is None:
        return None
    return apply(op, a, b)


def subtrees(tree: Tree) -> Iterator[Tree]:
    """Every node of `tree`, parents before children."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, int):
            stack.append(node[2])
            stack.append(node[1])


def _needs_parens(parent: str, child: Tree, is_right: bool) -> bool:
    if isinstance(child, int):
        return False
    mine, theirs = PRECEDENCE[parent], PRECEDENCE[child[0]]
    return theirs < mine or (is_right and theirs == mine)


def bracketed(tree: Tree, keep: Iterable[Span] = ()) -> set[Span]:
    """Spans of the subtrees the rendering wraps in parentheses (the fewest that force `tree`), plus `keep`."""
    spans = {s for s in keep if s[0] != s[1]}
    for node in subtrees(tree):
        if not isinstance(node, int):
            op, left, right = node
            if _needs_parens(op, left, False):
                spans.add(span(left))
            if _needs_parens(op, right, True):
                spans.add(span(right))
    root = span(tree)
    spans.discard(root)
    return spans


def render(expr: Expr, tree: Tree) -> str:
    """`tree` as text with the fewest parentheses that force it, in the user's glyphs.

    Parsing the text gives the same tree back.
    """
    wrapped = bracketed(tree)
    ops: dict[int, str] = {}
    for node in subtrees(tree):
        if not isinstance(node, int):
            ops[span(node[1])[1]] = node[0]
    return _join(expr, wrapped, lambda i: ops.get(i, expr.slots[i][0]))


def _join(expr: Expr, wrapped: Collection[Span], op_at: Callable[[int], str]) -> str:
    """Literals and operator glyphs in order, with parentheses around the `wrapped` spans."""
    parts = []
    last = len(expr.literals) - 1
    for i, literal in enumerate(expr.literals):
        opens = sum(1 for s in wrapped if s[0] == i)
        closes = sum(1 for s in wrapped if s[1] == i)
        parts.append("(" * opens + literal + ")" * closes)
        if i < last:
            fixed = len(expr.slots[i]) == 1 and expr.glyphs[i] != "?"
            parts.append(f" {expr.glyphs[i] if fixed else op_at(i)} ")
    return "".join(parts)


def depth(tree: Tree) -> int:
    """Nesting depth of the parentheses in the rendering: `(8 + 28) / ((4 - 2) * 3)` has depth 2."""
    wrapped = sorted(bracketed(tree), key=lambda s: (s[0], -s[1]))
    deepest = 0
    open_: list[Span] = []
    for s in wrapped:
        while open_ and open_[-1][1] < s[0]:
            open_.pop()
        open_.append(s)
        deepest = max(deepest, len(open_))
    return deepest


def pairs(tree: Tree) -> int:
    """Number of parenthesis pairs in the rendering."""
    return len(bracketed(tree))
