"""Hypothesis strategies for bracket puzzles (any, solvable, unsolvable) and their bracketings.

Imports hypothesis (the `hypothesis` extra). Everything shrinks toward fewer operands, smaller numbers, `+`,
and the left-to-right bracketing.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import ceil, floor
from typing import Optional, Union, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from ..solver.bracketings import Bracketing
from ..engines.reference import PythonSide
from ..errors import BracketError, ParseError
from ..solver.model import Expr, Puzzle, Span, Tree, apply, evaluate, span, subtrees
from ..solver.parser import MAX_OPERANDS, parse
from ..solver.symbols import OPERATORS, normalize_ops

__all__ = ["bracketings", "decimal", "puzzles", "solvable_puzzles", "unsolvable_puzzles"]

MAX_TABULATED = 8               # operands up to which a drawn side's every reachable value may be computed
MAX_UNSOLVABLE_OPERANDS = MAX_TABULATED     # unsolvable_puzzles() computes them for every puzzle
MAX_PLACES = 6                  # decimal places an operand may have
Block = tuple[Fraction, int, str, bool, bool]   # one operand drawn: (number, depth, operator, wildcard, fixed group)


# --- options ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Options:
    """Validated options shared by the puzzle strategies."""

    min_operands: int
    max_operands: int
    min_value: int
    max_value: int
    ops: str
    wildcards: bool
    places: int
    fixed_groups: bool


def _int(name: str, value: object, lo: Optional[int] = None, hi: Optional[int] = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if lo is not None and value < lo:
        raise InvalidArgument(f"{name}={value!r} must be at least {lo}")
    if hi is not None and value > hi:
        raise InvalidArgument(f"{name}={value!r} must be at most {hi}")
    return value


def _bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")
    return value


def _options(min_operands: int, max_operands: int, min_value: int, max_value: int, ops: str, wildcards: bool,
             places: int, fixed_groups: bool, cap: int = MAX_OPERANDS) -> _Options:
    """The options checked, or InvalidArgument naming the one at fault."""
    _int("min_operands", min_operands, 1, cap)
    _int("max_operands", max_operands, 1, cap)
    if min_operands > max_operands:
        raise InvalidArgument(f"min_operands={min_operands} is more than max_operands={max_operands}")
    _int("min_value", min_value)
    _int("max_value", max_value)
    if min_value > max_value:
        raise InvalidArgument(f"min_value={min_value} is more than max_value={max_value}")
    if not isinstance(ops, str):
        raise InvalidArgument(f"ops={ops!r} must be a string such as '+-*/'")
    try:
        ops = normalize_ops(ops)
    except BracketError as e:
        raise InvalidArgument(str(e)) from None
    return _Options(min_operands, max_operands, min_value, max_value, ops, _bool("wildcards", wildcards),
                    _int("places", places, 0, MAX_PLACES), _bool("fixed_groups", fixed_groups))


def _as_puzzle(puzzle: object, who: str) -> Puzzle:
    """`puzzle` itself, or parsed if it is text; InvalidArgument otherwise."""
    if isinstance(puzzle, str):
        try:
            return parse(puzzle)
        except ParseError as e:
            raise InvalidArgument(f"{who}(): the puzzle text does not parse: {e.reason}") from None
    if not isinstance(puzzle, Puzzle):
        raise InvalidArgument(f"{who}() takes a Puzzle or puzzle text, not {type(puzzle).__name__}")
    return puzzle


# --- numbers and text -------------------------------------------------------------------------

def decimal(x: Fraction) -> Optional[str]:
    """`x` as an exact decimal literal ("-2.5"), or None when it has no finite one (1/3)."""
    x = Fraction(x)
    d, twos, fives = x.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return None
    places = max(twos, fives)
    digits = str(abs(x.numerator) * 10 ** places // x.denominator).rjust(places + 1, "0")
    text = digits if not places else f"{digits[:-places]}.{digits[-places:]}"
    return "-" + text if x < 0 else text


def _number(options: _Options, nonzero: bool) -> SearchStrategy[Fraction]:
    """One exact operand in the options' range with their `places`, never zero when `nonzero`.

    Half the draws come from the few smallest values (0, 1, 2 when in range), where zeros, ones and
    repeats make the cases solvers get wrong; both halves shrink toward zero.
    """
    scale = 10 ** options.places
    lo, hi = options.min_value * scale, options.max_value * scale
    skip_zero = nonzero and lo <= 0 <= hi
    hi -= skip_zero                     # draw from one value fewer, then move 0.. up to 1..
    small = min(max(lo, 0), hi)
    scaled = st.one_of(st.integers(small, min(small + 2 * scale, hi)), st.integers(lo, hi))
    if skip_zero:
        scaled = scaled.map(lambda k: k + 1 if k >= 0 else k)
    return scaled.map(lambda k: Fraction(k, scale))


def _side_text(numbers: list[Fraction], tree: Tree, wild: list[bool], groups: list[Span]) -> str:
    """The puzzle side as a person types it: operands, operators (or `?`), the fixed groups."""
    slots = _slots(tree, len(numbers))
    glyphs = tuple("?" if w else op for op, w in zip(slots, wild))
    literals = tuple(cast(str, decimal(x)) for x in numbers)      # multiples of 10**-places: finite decimals
    return Expr(tuple(numbers), slots, glyphs, literals, tuple(groups)).text()


def _slots(tree: Tree, n: int) -> tuple[str, ...]:
    """The operator of each slot of `tree` (slot k sits between operands k and k+1)."""
    ops = [""] * (n - 1)
    for node in subtrees(tree):
        if not isinstance(node, int):
            ops[span(node[1])[1]] = node[0]
    return tuple(ops)


def _puzzle(text: str, target: Optional[Fraction], options: _Options) -> Puzzle:
    """The puzzle `text = target` as parse() gives it, `?` slots narrowed to the options' operators."""
    if target is None:
        puzzle = parse(text)
    elif decimal(target) is not None:
        puzzle = parse(f"{text} = {decimal(target)}")
    else:                               # a target such as 1/3 has no literal: attach it exactly
        puzzle = parse(text).with_target(target)
    return puzzle.with_ops(options.ops) if options.wildcards and options.ops != OPERATORS else puzzle


def _built(text: str, target: Optional[Fraction], options: _Options) -> SearchStrategy[Puzzle]:
    """The strategy of just `_puzzle(text, target, options)`, built so that a failing test case shows
    how to make it: `parse('1 + 0 / 0 - 1 = -1')`, or `with_target(parse('1 / 3'), Fraction(1, 3))`."""
    if target is None or decimal(target) is not None:
        built = st.just(text if target is None else f"{text} = {decimal(target)}").map(parse)
    else:
        built = st.builds(Puzzle.with_target, st.just(text).map(parse), st.just(target))
    if options.wildcards and options.ops != OPERATORS:
        built = st.builds(Puzzle.with_ops, built, st.just(options.ops))
    return built


def _spine(tree: Tree) -> int:
    """Operators on the right spine of `tree`: where a next operand can be attached."""
    count = 0
    while not isinstance(tree, int):
        tree, count = tree[2], count + 1
    return count


def _attach(tree: Tree, depth: int, op: str, leaf: Tree) -> Tree:
    """`tree` with `leaf` joined by `op` at `depth` down its right spine (0: `tree op leaf`, left to right).

    Every tree is built one way by attaching its leaves in order, so a list of (depth, op) draws of
    constant length encodes it, and all-zero depths are the left-to-right bracketing.
    """
    if depth == 0 or isinstance(tree, int):
        return (op, tree, leaf)
    mine, left, right = tree
    return (mine, left, _attach(right, depth - 1, op, leaf))


def _defined(tree: Tree, numbers: list[Fraction], ops: str) -> tuple[Tree, Fraction]:
    """(tree, value) with every division by zero in `tree` made the first other operator of `ops`."""
    if isinstance(tree, int):
        return tree, numbers[tree]
    op, left, right = tree
    left, a = _defined(left, numbers, ops)
    right, b = _defined(right, numbers, ops)
    if op == "/" and b == 0:
        op = ops.replace("/", "")[0]
    return (op, left, right), cast(Fraction, apply(op, a, b))       # no division by zero is left


@lru_cache(maxsize=None)
def _blocks(options: _Options, nonzero: bool) -> SearchStrategy[list[Block]]:
    """Lists of (number, depth, operator, wildcard?, group?), one per operand (made once per options)."""
    block = st.tuples(_number(options, nonzero), st.integers(0, 255), st.sampled_from(options.ops),
                      st.booleans() if options.wildcards else st.just(False),
                      st.booleans() if options.fixed_groups else st.just(False))
    return st.lists(block, min_size=options.min_operands, max_size=options.max_operands)


@st.composite
def _side(draw: st.DrawFn, options: _Options, solvable: bool) -> tuple[str, Optional[Fraction]]:
    """(text, value) of one drawn side: the value of a drawn bracketing, or None when it divides by zero.

    One block per operand: (number, depth, operator, wildcard?, group?); the operator, flags and depth
    of block m are those of the slot before operand m. Shrinking deletes whole blocks.
    With `solvable` the value is never None: when the drawn bracketing divides by zero, it is a value
    that another bracketing reaches (so puzzles that divide by zero elsewhere stay common), or, when
    none is defined or the side is too long to tabulate, each such division becomes another operator.
    """
    blocks = draw(_blocks(options, nonzero=solvable and options.ops == "/"))
    numbers = [b[0] for b in blocks]
    tree: Tree = 0
    for m, (_, depth, op, _, _) in enumerate(blocks[1:], start=1):
        tree = _attach(tree, depth * (_spine(tree) + 1) // 256, op, m)
    n = len(blocks)
    flagged = {k for k, b in enumerate(blocks[1:]) if b[4]}
    groups = sorted(span(node) for node in subtrees(tree)
                    if not isinstance(node, int) and span(node[1])[1] in flagged and span(node) != (0, n - 1))
    wild = [b[3] for b in blocks[1:]]
    text = _side_text(numbers, tree, wild, groups)
    value = evaluate(Expr(tuple(numbers), _slots(tree, n)), tree)
    if value is None and solvable:
        reached = PythonSide(_puzzle(text, None, options).left).values_raw() if n <= MAX_TABULATED else {}
        if reached:
            value = Fraction(draw(st.sampled_from(sorted(reached, key=lambda v: (abs(v), v)))))
        else:
            tree, value = _defined(tree, numbers, options.ops)
            text = _side_text(numbers, tree, wild, groups)
    return text, value


# --- puzzle strategies ------------------------------------------------------------------------

def puzzles(*, min_operands: int = 1, max_operands: int = 6, min_value: int = 0, max_value: int = 20,
            ops: str = "+-*/", wildcards: bool = False, places: int = 0, fixed_groups: bool = False,
            target: Union[bool, SearchStrategy[Union[int, Fraction]]] = True) -> SearchStrategy[Puzzle]:
    """Puzzles of every kind: solvable or not, some with bracketings that divide by zero.

    Takes (keyword-only): `min_operands`..`max_operands` operands, each a multiple of 10**-`places` in
    `min_value`..`max_value`; operators from `ops` (glyphs allowed, "x+" is "+*"); `wildcards` lets slots
    be `?` (any of `ops`); `fixed_groups` adds brackets the puzzle fixes; `target` is True (an int in the
    number range), False (an expression, no `=`) or a strategy of ints or Fractions.
    Returns: a strategy of `Puzzle`, each exactly what `parse()` gives for its text.
    Raises: `InvalidArgument` for a bad option, when called.
    """
    options = _options(min_operands, max_operands, min_value, max_value, ops, wildcards, places, fixed_groups)
    targets: SearchStrategy[Union[int, Fraction, None]]
    if isinstance(target, bool):
        targets = st.integers(min_value, max_value) if target else st.none()
    elif isinstance(target, SearchStrategy):
        targets = target.map(_target_value)
    else:
        raise InvalidArgument(f"target={target!r} must be True, False or a strategy of ints or Fractions")
    return st.tuples(_side(options, solvable=False), targets).flatmap(
        lambda drawn: _built(drawn[0][0], None if drawn[1] is None else Fraction(drawn[1]), options))


def _target_value(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise InvalidArgument(f"the target strategy drew {value!r}; it must draw ints or Fractions")
    return Fraction(value)


def solvable_puzzles(*, min_operands: int = 1, max_operands: int = 6, min_value: int = 0, max_value: int = 20,
                     ops: str = "+-*/", wildcards: bool = False, places: int = 0,
                     fixed_groups: bool = False) -> SearchStrategy:
    """Puzzles with at least one solution, built from it: a drawn bracketing's exact value is the target.

    Takes the options of `puzzles()` (without `target`). No draw is filtered away: when the drawn
    bracketing divides by zero, the target is a value another bracketing reaches (or, past 8 operands or
    when none is defined, the division becomes another operator; with `ops="/"` alone, no operand is 0).
    The target is an exact rational; it is an int whenever `ops` has no "/" and `places` is 0.
    Returns: a strategy of `Puzzle` with a target. Raises: `InvalidArgument` for a bad option.
    """
    options = _options(min_operands, max_operands, min_value, max_value, ops, wildcards, places, fixed_groups)
    if options.ops == "/" and options.min_value == options.max_value == 0:
        raise InvalidArgument("ops='/' with every operand 0 has no defined bracketing, so no solvable puzzle")
    return _side(options, solvable=True).flatmap(lambda drawn: _built(drawn[0], drawn[1], options))


def unsolvable_puzzles(*, min_operands: int = 1, max_operands: int = 5, min_value: int = 0, max_value: int = 20,
                       ops: str = "+-*/", wildcards: bool = False, places: int = 0,
                       fixed_groups: bool = False) -> SearchStrategy:
    """Puzzles with no solution: near misses, an int target next to the values the expression reaches.

    Takes the options of `puzzles()` (without `target`; at most 8 operands, since every value the drawn
    expression reaches is computed exactly to choose a target outside them).
    Returns: a strategy of `Puzzle` whose target no bracketing reaches. Raises: `InvalidArgument`.
    """
    options = _options(min_operands, max_operands, min_value, max_value, ops, wildcards, places, fixed_groups,
                       cap=MAX_UNSOLVABLE_OPERANDS)
    return _unsolvable(options).flatmap(lambda drawn: _built(drawn[0], drawn[1], options))


@st.composite
def _unsolvable(draw: st.DrawFn, options: _Options) -> tuple[str, Fraction]:
    """(text, target) of a drawn side and an int next to its reachable values but not among them."""
    text, _ = draw(_side(options, solvable=False))
    reached = PythonSide(_puzzle(text, None, options).left).values_raw()
    if not reached:                     # every bracketing divides by zero: any target is out of reach
        return text, Fraction(draw(st.integers(options.min_value, options.max_value)))
    anchor = draw(st.sampled_from(sorted(reached, key=lambda v: (abs(v), v))))
    step = draw(st.sampled_from((1, -1)))
    target = floor(anchor) + 1 if step == 1 else ceil(anchor) - 1
    while target in reached:
        target += step
    return text, Fraction(target)


# --- bracketings ------------------------------------------------------------------------------

def bracketings(puzzle: Union[Puzzle, str]) -> SearchStrategy[Bracketing]:
    """A random full bracketing of `puzzle` (text or `Puzzle`): a tree on every free side.

    Keeps the puzzle's fixed groups and fills `?` slots with one of their operators; shrinks toward
    the left-to-right bracketing and `+`. Returns: a strategy of `Bracketing` (`.value`, `.holds`,
    `str()`). Raises: `InvalidArgument` when `puzzle` is not a puzzle.
    """
    puzzle = _as_puzzle(puzzle, "bracketings")
    return _bracketing(puzzle, tuple(_trees(side) for side in puzzle.free_sides))


@st.composite
def _bracketing(draw: st.DrawFn, puzzle: Puzzle, sides: tuple[SearchStrategy[Tree], ...]) -> Bracketing:
    return Bracketing(puzzle, tuple(draw(trees) for trees in sides))


def _trees(side: Expr, lo: int = 0, hi: Optional[int] = None,
           groups: Optional[tuple[Span, ...]] = None) -> SearchStrategy[Tree]:
    """Trees over operands lo..hi of `side` that keep `groups` (default: the side's fixed groups)."""
    hi = side.size - 1 if hi is None else hi
    groups = side.groups if groups is None else groups

    @st.composite
    def tree(draw: st.DrawFn, lo: int, hi: int) -> Tree:
        units = _units(lo, hi, groups)
        inside = [a if a == b else draw(tree(a, b)) for a, b in units]
        shape: Tree = 0
        for t in range(1, len(units)):
            depth = draw(st.integers(0, _spine(shape)))
            shape = _attach(shape, depth, draw(st.sampled_from(side.slots[units[t - 1][1]])), t)
        return _substitute(shape, inside)

    return tree(lo, hi)


def _units(lo: int, hi: int, groups: tuple[Span, ...]) -> list[Span]:
    """Operands lo..hi as spans: the largest fixed groups strictly inside, and single operands between them."""
    inner = [g for g in groups if lo <= g[0] and g[1] <= hi and g != (lo, hi)]
    largest = sorted(g for g in inner if not any(o != g and o[0] <= g[0] and g[1] <= o[1] for o in inner))
    units, i = [], lo
    for g, h in largest:
        units += [(k, k) for k in range(i, g)] + [(g, h)]
        i = h + 1
    return units + [(k, k) for k in range(i, hi + 1)]


def _substitute(shape: Tree, inside: list[Tree]) -> Tree:
    """`shape` over unit indices, with each unit replaced by its tree."""
    if isinstance(shape, int):
        return inside[shape]
    op, left, right = shape
    return (op, _substitute(left, inside), _substitute(right, inside))
