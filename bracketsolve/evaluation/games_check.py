"""Grade one answer to a free-order puzzle exactly: the puzzle's numbers (each once for 24, at most once for
countdown), only the allowed operators, the exact value; every character of the answer is read.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from typing import Optional, Union

from ..errors import ParseError
from ..games.game import Game, RulesLike, apply
from ..games.reader import read_game
from ..solver.model import Expr, Puzzle, Tree, format_value
from ..solver.parser import parse
from .check import Verdict

REASONS = ("correct", "wrong_value", "numbers_changed", "number_reused", "numbers_missing", "operators_changed",
           "rule_broken", "division_by_zero", "unbalanced", "unparsable", "too_large")
MAX_ANSWER = 10_000         # characters in one answer: far past any honest expression over 12 numbers
_FOREIGN = re.compile(r"\*\*|//|\^|%|!|√|\bsqrt\b|\bmod\b|\bpow\b|\blog\b|\bexp\b|[<>&|~]|\be\d|[a-wyzA-WYZ_]")
_FOREIGN_NAMES = {"**": "'**' (power)", "//": "'//' (integer division)", "^": "'^' (power)", "%": "'%'",
                  "!": "'!' (factorial)", "√": "'√'"}


def check_game(puzzle: object, answer: object, *, rules: Optional[RulesLike] = None, ops: Optional[str] = None,
               allow_equals: bool = True) -> Verdict:
    """Grade `answer` against a free-order puzzle, exactly.

    Takes: the puzzle (a `Game`, or anything `read_game` reads, with `rules`: "24" unless given), the answer
    text such as
    "(7 - 8 / 8) * 4". The answer must be one arithmetic expression over the puzzle's numbers (all of them,
    each once, for 24; any of them, each at most once, for countdown) with brackets and the allowed
    operators, nothing else: no unary minus on a bracket, no `**`, `//`, `^`, names or extra text. With
    `allow_equals`, "... = 24" (or "24 = ...") is accepted when it repeats the target exactly.
    Returns: a `Verdict`; `.reason` is one of correct, wrong_value, numbers_changed (a number the puzzle
    does not have, or a decimal such as 2.5 for the numbers 2 and 5), number_reused (more copies than the
    puzzle has), numbers_missing (24: a number left out), operators_changed, rule_broken (TV rule: a step
    that is not a positive integer), division_by_zero, unbalanced, unparsable, too_large.
    Raises: `ParseError`/`BracketError` when the puzzle itself is bad (never for a bad answer).

    >>> check_game("4 7 8 8 -> 24", "(7 - 8 / 8) * 4").reason
    'correct'
    >>> check_game("4 6 1 1 -> 24", "4 * 6 * 1").reason, check_game("2 5 -> 5", "2.5 * 2").reason
    ('numbers_missing', 'numbers_changed')
    """
    if isinstance(puzzle, Game) and rules is None:
        game = puzzle if ops is None else puzzle.with_ops(ops)
    else:
        game = read_game(puzzle, rules=rules, ops=ops)
    if game.target is None:
        from ..errors import BracketError

        raise BracketError("the puzzle has no target to check an answer against")
    if not isinstance(answer, str):
        return Verdict(False, "unparsable", None, f"answer must be text, not {type(answer).__name__}")
    if len(answer) > MAX_ANSWER:
        return Verdict(False, "too_large", None, f"the answer is longer than {MAX_ANSWER:,} characters")
    foreign = _FOREIGN.search(answer)
    if foreign:
        what = _FOREIGN_NAMES.get(foreign.group(), repr(foreign.group()))
        reason = "operators_changed" if foreign.group() in _FOREIGN_NAMES else "unparsable"
        return Verdict(False, reason, None, f"{what} at column {foreign.start() + 1} is not part of an answer; "
                                            f"use {' '.join(game.ops)} and brackets")
    try:
        given = parse(answer, fraction_target=False)
    except ParseError as e:
        code = {"unbalanced": "unbalanced", "too_long": "too_large", "too_many_operands": "too_large"}.get(
            e.code, "unparsable")
        return Verdict(False, code, None, f"{e.reason} (at column {e.position + 1} of the answer)")
    side = given.left
    if given.is_equation:
        found = _side_with_target(given, game, allow_equals)
        if isinstance(found, Verdict):
            return found
        side = found
    return _grade(game, side)


def _side_with_target(given: Puzzle, game: Game, allow_equals: bool) -> Union[Expr, Verdict]:
    """The expression side of "expression = target" (either way round), or a failing Verdict."""
    if not allow_equals:
        return Verdict(False, "unparsable", None, "the answer must be an expression, without '='")
    left, right = given.sides          # an equation: two sides
    for mine, other in ((left, right), (right, left)):
        if other.is_number and not other.groups and other.numbers[0] == game.target and not mine.is_number:
            return mine
    if left.is_number or right.is_number:
        return Verdict(False, "wrong_value", None, "the answer's '=' side is not the puzzle's target")
    return Verdict(False, "unparsable", None, "the answer must be one expression (and at most '= target')")


def _grade(game: Game, side: Expr) -> Verdict:
    for k, (slot, glyph) in enumerate(zip(side.slots, side.glyphs)):
        if glyph == "?" or len(slot) != 1:
            return Verdict(False, "operators_changed", None, f"operator {k + 1} is '?', not an operator")
        if slot not in game.ops:
            return Verdict(False, "operators_changed", None,
                           f"operator {k + 1} is {glyph}; this puzzle allows {' '.join(game.ops)}")
    problem = _multiset(game, side)
    if problem:
        return problem
    value = _value(side.numbers, side.written, False)
    if value is None:
        return Verdict(False, "division_by_zero", None, "the answer divides by zero")
    if game.rules.tv and _value(side.numbers, side.written, True) is None:
        return Verdict(False, "rule_broken", value, "a step is not a positive integer (the TV rule)")
    if value != game.target:
        return Verdict(False, "wrong_value", value,
                       f"the answer equals {format_value(value)}, not {format_value(game.target)}")
    return Verdict(True, "correct", value)


def _multiset(game: Game, side: Expr) -> Optional[Verdict]:
    """A failing verdict when the answer's numbers are not the puzzle's (each once, or at most once)."""
    have = Counter(game.numbers)
    used = Counter(side.numbers)
    for x, literal in zip(side.numbers, side.literals):
        if x not in have:
            return Verdict(False, "numbers_changed", None, f"{literal} is not one of the numbers "
                                                           f"{' '.join(game.literals)}")
    for x, n in used.items():
        if n > have[x]:
            return Verdict(False, "number_reused", None,
                           f"{format_value(x)} is used {n} times; the puzzle has it {have[x]} time"
                           f"{'s' if have[x] != 1 else ''}")
    if game.rules.every_number and used != have:
        missing = " ".join(format_value(x) for x in (have - used).elements())
        return Verdict(False, "numbers_missing", None, f"every number must be used once; missing {missing}")
    return None


def _value(numbers: tuple[Fraction, ...], tree: Tree, tv: bool) -> Optional[Fraction]:
    """The value of a parsed answer's tree (leaves index `numbers`); None when undefined under the rules."""
    if isinstance(tree, int):
        return Fraction(numbers[tree])
    op, left, right = tree
    a = _value(numbers, left, tv)
    if a is None:
        return None
    b = _value(numbers, right, tv)
    return None if b is None else apply(op, a, b, tv)
