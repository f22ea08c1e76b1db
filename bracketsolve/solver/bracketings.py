"""Bracketings as objects, and the brute-force enumerator of all of them (the Catalan number of shapes)."""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Any, Iterable, Iterator, Optional, Union

from .model import Expr, Puzzle, Tree, apply, depth, evaluate, format_value, pairs, render


class Bracketing:
    """One bracketing of a puzzle: a tree per free side, with its exact values.

    `str()` is the rendering with the fewest parentheses (the two sides joined by " = " when both are free);
    `.value` is the left side's exact value (None when it divides by zero); `.holds` says whether the
    equation is true.
    """

    __slots__ = ("puzzle", "trees", "values")
    puzzle: Puzzle
    trees: tuple[Tree, ...]
    values: tuple[Optional[Fraction], ...]

    def __init__(self, puzzle: Puzzle, trees: Iterable[Tree],
                 values: Optional[Iterable[Optional[Fraction]]] = None) -> None:
        self.puzzle = puzzle
        self.trees = tuple(trees)
        if values is None:
            values = tuple(evaluate(side, tree) for side, tree in zip(puzzle.free_sides, self.trees))
        self.values = tuple(values)

    @property
    def tree(self) -> Tree:
        """The left side's tree: leaves are operand indices, nodes are (op, left, right)."""
        return self.trees[0]

    @property
    def value(self) -> Optional[Fraction]:
        return self.values[0]

    @property
    def defined(self) -> bool:
        return all(v is not None for v in self.values)

    @property
    def holds(self) -> Optional[bool]:
        """True when the bracketing makes the equation true; None for an expression (nothing to hold)."""
        if not self.puzzle.is_equation:
            return None
        if not self.defined:
            return False
        if self.puzzle.target is not None:
            return self.values[0] == self.puzzle.target
        return len(set(self.values)) == 1

    @property
    def depth(self) -> int:
        """Deepest nesting of parentheses in the rendering."""
        return max(depth(t) for t in self.trees)

    @property
    def pairs(self) -> int:
        """Parenthesis pairs in the rendering."""
        return sum(pairs(t) for t in self.trees)

    def to_sympy(self) -> tuple[Any, ...]:
        """Each free side as an unevaluated sympy expression of exact Rationals (needs the `sympy` extra)."""
        try:
            import sympy
        except ImportError:
            raise ImportError('to_sympy() needs sympy: pip install sympy (or the extra, ".[sympy]")') from None

        def build(side: Expr, tree: Tree) -> Any:
            if isinstance(tree, int):
                x = side.numbers[tree]
                return sympy.Rational(x.numerator, x.denominator)
            op, left, right = tree
            a, b = build(side, left), build(side, right)
            if op == "+":
                return sympy.Add(a, b, evaluate=False)
            if op == "-":
                return sympy.Add(a, sympy.Mul(-1, b, evaluate=False), evaluate=False)
            if op == "*":
                return sympy.Mul(a, b, evaluate=False)
            return sympy.Mul(a, sympy.Pow(b, -1, evaluate=False), evaluate=False)

        return tuple(build(side, tree) for side, tree in zip(self.puzzle.free_sides, self.trees))

    @property
    def equation(self) -> str:
        """The rendering with the target: "(8 + 28) / ((4 - 2) * 3) = 6"."""
        target = self.puzzle.target
        return str(self) if target is None else f"{self} = {self.puzzle.sides[1].literals[0]}"

    def __str__(self) -> str:
        return " = ".join(render(side, tree) for side, tree in zip(self.puzzle.free_sides, self.trees))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, value={format_value(self.value)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bracketing) and (self.puzzle, self.trees) == (other.puzzle, other.trees)

    def __hash__(self) -> int:
        return hash(self.trees)


class Solution(Bracketing):
    """A bracketing that makes the equation true."""

    __slots__ = ()


def bracketings(puzzle: Union[str, Puzzle]) -> Iterator[Bracketing]:
    """Every bracketing of the puzzle's free sides, lazily, each with its exact value or None (undefined).

    Takes puzzle text or a `Puzzle`. There are `puzzle.total()` of them: the Catalan number of shapes
    (fewer when the puzzle fixes groups) times the operator choices of `?` slots; for an equation with
    operators on both sides, every pair.

    >>> sum(1 for _ in bracketings("8 + 28 / 4 - 2 * 3"))
    14
    """
    if isinstance(puzzle, str):
        from .parser import parse

        puzzle = parse(puzzle)
    sides = puzzle.free_sides
    first = _trees(sides[0], 0, sides[0].size - 1, sides[0].allowed())
    if len(sides) == 1:
        for tree, value in first:
            yield Bracketing(puzzle, (tree,), (value,))
        return
    rest = [list(_trees(side, 0, side.size - 1, side.allowed())) for side in sides[1:]]
    for combo in product(first, *rest):
        yield Bracketing(puzzle, tuple(t for t, _ in combo), tuple(v for _, v in combo))


def _trees(expr: Expr, i: int, j: int, allowed: list[list[bool]]) -> Iterator[tuple[Tree, Optional[Fraction]]]:
    """(tree, value) for every bracketing of operands i..j that keeps the fixed groups."""
    if i == j:
        yield i, expr.numbers[i]
        return
    if not allowed[i][j]:
        return
    for k in range(i, j):
        for op in expr.slots[k]:
            for lt, lv in _trees(expr, i, k, allowed):
                for rt, rv in _trees(expr, k + 1, j, allowed):
                    value = None if lv is None or rv is None else apply(op, lv, rv)
                    yield (op, lt, rt), value
