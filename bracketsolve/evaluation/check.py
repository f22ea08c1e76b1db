"""Grade one answer to a puzzle exactly: same numbers and operators in order, only brackets added."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Optional, Union

from ..errors import BracketError, ParseError
from ..solver.model import Expr, Puzzle, evaluate, format_value, subtrees, span
from ..solver.parser import parse
from ..solver.solve import as_puzzle

REASONS = ("correct", "wrong_value", "numbers_changed", "operators_changed", "groups_removed", "unbalanced",
           "division_by_zero", "unparsable")


@dataclass(frozen=True)
class Verdict:
    """The grade of one answer: `.ok`, `.reason` (a stable code from `REASONS`), `.value`, `.detail`."""

    ok: bool
    reason: str
    value: Optional[Fraction] = None
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


def check(puzzle: Union[str, Puzzle], answer: str, *, ops: Optional[str] = None) -> Verdict:
    """Grade `answer` against `puzzle`, exactly.

    Takes: the puzzle (text or `Puzzle`) and the answer text, e.g. "(8 + 28) / ((4 - 2) * 3)"; the answer
    keeps the puzzle's numbers and operators in order and only adds brackets (redundant ones are fine;
    a trailing "= 6" is allowed when it repeats the target). For an equation with operators on both sides,
    the answer is the whole equation.
    Returns: a `Verdict`; `.reason` is one of correct, wrong_value, numbers_changed, operators_changed,
    groups_removed (a bracket the puzzle fixed is gone), unbalanced, division_by_zero, unparsable.
    `ops` narrows the puzzle's `?` slots, as in `solve`.
    Raises: `ParseError` when the puzzle itself is bad, `BracketError` when it has no `= target`
    (never for a bad answer).

    >>> check("8 + 28 / 4 - 2 * 3 = 6", "(8 + 28) / ((4 - 2) * 3)").reason
    'correct'
    >>> check("8 + 28 / 4 - 2 * 3 = 6", "8 + 28 / (4 - 2) * 3").reason
    'wrong_value'
    """
    puzzle = as_puzzle(puzzle, ops=ops)
    if not puzzle.is_equation:
        raise BracketError("the puzzle has no '= target' to check an answer against")
    if not isinstance(answer, str):
        return Verdict(False, "unparsable", None, f"answer must be text, not {type(answer).__name__}")
    try:
        given = parse(answer, fraction_target=puzzle.target is not None)
    except ParseError as e:
        return Verdict(False, "unbalanced" if e.code == "unbalanced" else "unparsable", None,
                       f"{e.reason} (at column {e.position + 1} of the answer)")
    sides = puzzle.free_sides
    answered = given.sides
    if puzzle.target is not None and given.is_equation:
        if given.target is None or given.target != puzzle.target:
            return Verdict(False, "numbers_changed", None, "the answer's right side is not the puzzle's target")
        answered = answered[:1]
    if len(answered) != len(sides):
        return Verdict(False, "numbers_changed", None, "the answer must be the whole equation, both sides")
    values = []
    for side, mine in zip(sides, answered):
        problem = _compare(side, mine)
        if problem:
            return problem
        values.append(evaluate(mine, mine.written))
    if any(v is None for v in values):
        return Verdict(False, "division_by_zero", None, "the answer divides by zero")
    value = values[0]
    expected = puzzle.target if puzzle.target is not None else values[1]
    if value != expected:
        return Verdict(False, "wrong_value", value,
                       f"the answer equals {format_value(value)}, not {format_value(expected)}")
    return Verdict(True, "correct", value)


def _compare(side: Expr, mine: Expr) -> Optional[Verdict]:
    """A failing verdict when `mine` does not keep `side`'s numbers, operators and fixed groups."""
    if side.numbers != mine.numbers:
        return Verdict(False, "numbers_changed", None,
                       f"expected the numbers {' '.join(side.literals)}, got {' '.join(mine.literals)}")
    for k, (allowed, op) in enumerate(zip(side.slots, mine.slots)):
        if len(op) != 1 or op not in allowed:
            return Verdict(False, "operators_changed", None,
                           f"operator {k + 1} must be {' or '.join(allowed)}, got {mine.glyphs[k]}")
    spans = {span(node) for node in subtrees(mine.written)}
    for group in side.groups:
        if group not in spans:
            return Verdict(False, "groups_removed", None, "the answer drops a bracket that the puzzle fixes")
    return None
