"""A free-order puzzle: a multiset of exact numbers, a target, the rules and the operators; free trees over it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Iterable, Optional, Sequence, Union

from ..errors import BracketError
from ..solver.model import format_value
from ..solver.symbols import MINUS_SIGNS, POINTS, PRECEDENCE, digit, exact, normalize_ops
from .rules import Rules, rules_of

Tree = Union[int, tuple[str, "Tree", "Tree"]]    # like ("/", 0, ("-", 1, ("/", 0, 1))): leaves index the distinct
#                                                   numbers
MAX_NUMBERS = 12            # numbers in one free-order puzzle: the tables cover every sub-multiset

OPS = "+-*/"
RulesLike = Union[str, Rules]     # "24", "countdown-tv", ... or a Rules


@dataclass(frozen=True)
class Game:
    """A free-order puzzle: `numbers` (exact Fractions, as given), their `literals`, a `target` (None when
    only the values are asked), the `rules` and the allowed `ops`.

    The engine works on the distinct numbers: `distinct[i]` is a value, `counts[i]` how often it occurs,
    `names[i]` its literal. A `Tree`'s leaves are indices into `distinct`, so swapping two equal numbers
    gives the same tree.

    >>> g = Game.of([8, 3, 8, 3], 24, rules="24")
    >>> g.distinct, g.counts, str(g)
    ((Fraction(8, 1), Fraction(3, 1)), (2, 2), '8 3 8 3 -> 24')
    """

    numbers: tuple[Fraction, ...]
    literals: tuple[str, ...]
    target: Optional[Fraction]
    rules: Rules
    ops: str = OPS

    def __post_init__(self) -> None:
        if not self.numbers:
            raise BracketError("a free-order puzzle needs at least one number")
        if len(self.numbers) > MAX_NUMBERS:
            raise TooManyNumbers(len(self.numbers))
        if not self.rules.free:
            raise BracketError("a Game has free-order rules (24 or countdown)")
        if self.rules.tv:
            for x, literal in zip(self.numbers, self.literals):
                if x.denominator != 1 or x <= 0:
                    raise BracketError(f"the TV rule takes positive whole numbers; {literal} is not one")

    @classmethod
    def of(cls, numbers: Iterable[object], target: object = None, *, rules: RulesLike = "24",
           ops: Optional[str] = None) -> "Game":
        """A game from numbers (ints, Fractions or exact strings such as "2.5"), a target and the rules.

        Raises: `BracketError` for a float, a non-number, too many numbers or free-order rules missing.
        """
        chosen = rules_of(rules)
        values: list[Fraction] = []
        literals: list[str] = []
        for x in numbers:
            if isinstance(x, (bool, float)):
                raise BracketError(f"number {x!r}: give an int, a Fraction or a string such as '2.5'; floats are "
                                   "inexact")
            value = exact(x)
            values.append(value)
            literals.append(_literal(x, value))
        goal = None if target is None else exact(target)
        return cls(tuple(values), tuple(literals), goal, chosen, OPS if ops is None else normalize_ops(ops))

    @property
    def distinct(self) -> tuple[Fraction, ...]:
        """The distinct numbers, in order of first appearance."""
        return _distinct(self.numbers)[0]

    @property
    def counts(self) -> tuple[int, ...]:
        """How often each distinct number occurs."""
        return _distinct(self.numbers)[1]

    @property
    def names(self) -> tuple[str, ...]:
        """The literal of each distinct number (its first occurrence)."""
        seen: dict[Fraction, str] = {}
        for x, literal in zip(self.numbers, self.literals):
            seen.setdefault(x, literal)
        return tuple(seen[x] for x in self.distinct)

    @property
    def size(self) -> int:
        return len(self.numbers)

    def with_target(self, target: object) -> "Game":
        return replace(self, target=exact(target))

    def with_ops(self, ops: str) -> "Game":
        return replace(self, ops=normalize_ops(ops))

    def with_rules(self, rules: RulesLike) -> "Game":
        return replace(self, rules=rules_of(rules))

    def render(self, tree: Tree) -> str:
        """`tree` as text with the fewest parentheses that keep it the same tree when parsed back."""
        return _render(self.names, tree)

    def evaluate(self, tree: Tree) -> Optional[Fraction]:
        """The exact value of `tree`, or None when it divides by zero or (TV rule) leaves the positive integers."""
        return evaluate(self.distinct, tree, self.rules.tv)

    def __str__(self) -> str:
        target = "" if self.target is None else f" -> {format_value(self.target)}"
        return " ".join(self.literals) + target


class TooManyNumbers(BracketError):
    code = "too_many_operands"

    def __init__(self, n: int) -> None:
        self.value = n
        super().__init__(f"{n} numbers: free-order puzzles take at most {MAX_NUMBERS} (the tables cover every "
                         "sub-multiset)")


def _literal(x: object, value: Fraction) -> str:
    """A number as typed, in ASCII ("７" -> "7", "−2.5" -> "-2.5"); non-text numbers as "7/2"."""
    if not isinstance(x, str):
        return format_value(value)
    out: list[str] = []
    for ch in x:
        d = digit(ch)
        out.append(str(d) if d is not None else "-" if ch in MINUS_SIGNS else "." if ch in POINTS else
                   "/" if ch in "÷／∕" else "" if ch.isspace() else ch)
    return "".join(out)


def _distinct(numbers: tuple[Fraction, ...]) -> tuple[tuple[Fraction, ...], tuple[int, ...]]:
    order: dict[Fraction, int] = {}
    for x in numbers:
        order[x] = order.get(x, 0) + 1
    return tuple(order), tuple(order.values())


def apply(op: str, a: Fraction, b: Fraction, tv: bool = False) -> Optional[Fraction]:
    """`a op b` exactly; None for a division by zero, or under the TV rule for a result that is not a
    positive integer."""
    if op == "+":
        v = a + b
    elif op == "-":
        v = a - b
    elif op == "*":
        v = a * b
    elif b == 0:
        return None
    else:
        v = Fraction(a) / b
    if tv and (v <= 0 or v.denominator != 1):
        return None
    return v


def evaluate(values: Sequence[Fraction], tree: Tree, tv: bool = False) -> Optional[Fraction]:
    """The exact value of a tree whose leaves index `values` (None when undefined under the rules)."""
    if isinstance(tree, int):
        return Fraction(values[tree])
    op, left, right = tree
    a = evaluate(values, left, tv)
    if a is None:
        return None
    b = evaluate(values, right, tv)
    return None if b is None else apply(op, a, b, tv)


def leaves(tree: Tree) -> list[int]:
    """The leaves of `tree`, left to right."""
    out: list[int] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, int):
            out.append(node)
        else:
            stack += [node[2], node[1]]
    return out


def nesting(tree: Tree) -> tuple[int, int]:
    """(depth, pairs): the deepest nesting of parentheses in the rendering, and how many pairs it has.

    >>> nesting(("/", 0, ("-", 1, ("/", 0, 1))))
    (1, 1)
    """
    if isinstance(tree, int):
        return 0, 0
    op, left, right = tree
    depth = pairs = 0
    for child, is_right in ((left, False), (right, True)):
        d, p = nesting(child)
        if not isinstance(child, int):
            mine, theirs = PRECEDENCE[op], PRECEDENCE[child[0]]
            if theirs < mine or (is_right and theirs == mine):
                d, p = d + 1, p + 1
        depth, pairs = max(depth, d), pairs + p
    return depth, pairs


def _render(names: Sequence[str], tree: Tree) -> str:
    if isinstance(tree, int):
        return names[tree]
    op, left, right = tree
    parts = []
    for child, is_right in ((left, False), (right, True)):
        text = _render(names, child)
        if not isinstance(child, int):
            mine, theirs = PRECEDENCE[op], PRECEDENCE[child[0]]
            if theirs < mine or (is_right and theirs == mine):
                text = f"({text})"
        elif names[child].startswith("-") and (is_right or op in "*/"):
            text = f"({text})"
        parts.append(text)
    return f"{parts[0]} {op} {parts[1]}"
