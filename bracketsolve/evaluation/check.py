"""Grade one answer to a puzzle exactly: same numbers and operators in order, only brackets added; in a chain
"a = b = c" the bracketing is graded and every other part must be equal to it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Optional, Sequence, Union

from ..errors import BracketError, ParseError
from ..solver.model import Expr, Puzzle, Tree, evaluate, format_value, subtrees, span
from ..solver.parser import parse
from ..solver.solve import as_puzzle
from .reading import read

REASONS = ("correct", "wrong_value", "numbers_changed", "operators_changed", "groups_removed", "unbalanced",
           "division_by_zero", "unparsable", "unknown_operator", "bad_number", "extra_text", "ambiguous",
           "wrong_equation", "too_large")
PARSE_REASONS = {"unbalanced": "unbalanced", "bad_number": "bad_number", "too_long": "too_large",
                 "too_many_operands": "too_large"}         # the parser's codes that have a reason of their own


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
    keeps the puzzle's numbers and operators in order and only adds brackets (redundant ones are fine). It is
    read whole, as `grade` reads an answer span: wrapping such as "Answer: ...", LaTeX or a final full stop is
    fine, anything else beside the expression rejects it. A chain such as "... = 36 / 6 = 6" or "6 = ..." is
    fine when every part equals the bracketing; for an equation with operators on both sides, the answer is the
    whole equation. `ops` narrows the puzzle's `?` slots, as in `solve`.
    Returns: a `Verdict`; `.reason` is one of `REASONS`: correct, wrong_value, numbers_changed,
    operators_changed, groups_removed (a bracket the puzzle fixed is gone), unbalanced, division_by_zero,
    unparsable, unknown_operator (!, %, ², √, ≠, ^, ** ...), bad_number (1,000, 2,5, 1e3), extra_text (a second
    expression or number), ambiguous (a chain of two different bracketings), wrong_equation (a chain with a
    part that is not equal), too_large (past the caps).
    Raises: `ParseError` when the puzzle itself is bad, `BracketError` when it has no `= target` or is not
    puzzle text or a `Puzzle` (never for a bad answer).

    >>> check("8 + 28 / 4 - 2 * 3 = 6", "(8 + 28) / ((4 - 2) * 3)").reason
    'correct'
    >>> check("8 + 28 / 4 - 2 * 3 = 6", "8 + 28 / (4 - 2) * 3").reason
    'wrong_value'
    >>> check("8 ? 11 = 8/11", "8 * 11 = 8/11").reason
    'wrong_value'
    """
    if not isinstance(puzzle, (str, Puzzle)):
        raise BracketError(f"check() takes puzzle text or a Puzzle, not {type(puzzle).__name__}")
    puzzle = as_puzzle(puzzle, ops=ops)
    if not puzzle.is_equation:
        raise BracketError("the puzzle has no '= target' to check an answer against")
    if not isinstance(answer, str):
        return Verdict(False, "unparsable", None, f"answer must be text, not {type(answer).__name__}")
    found = read(answer, "answer")
    if found.kind == "rejected":
        return Verdict(False, found.reason, None, found.detail)
    if found.kind != "expression":
        return Verdict(False, "unparsable", None, "found no expression in the answer")
    return check_expression(puzzle, found.text)


def split_chain(text: str) -> tuple[tuple[int, str], ...]:
    """The parts of an expression chain, split at its "=" signs, each as (offset, text)."""
    parts: list[tuple[int, str]] = []
    at = 0
    for part in text.split("="):
        parts.append((at, part))
        at += len(part) + 1
    return tuple(parts)


def check_expression(puzzle: Puzzle, text: str) -> Verdict:
    """Grade an expression already read out of an answer (plain text, perhaps a chain "a = b = c").

    With a target, the graded part is the one that writes the puzzle's operands (with their signs), in order;
    a part that only restates the target ("8/11", "6") is never the one graded while another part writes them;
    two different bracketings in one chain are ambiguous; every other part must equal the graded one.
    """
    sides = []
    for at, part in split_chain(text):
        try:
            sides.append(parse(part, fraction_target=False).left)
        except ParseError as e:
            return _unreadable(e, at)
    if puzzle.target is None:
        if len(sides) != len(puzzle.sides):
            return Verdict(False, "numbers_changed", None, "the answer must be the whole equation, both sides")
        return _judge(puzzle.sides, sides, None)
    target = puzzle.target
    operands = puzzle.left.numbers
    writes = [i for i, side in enumerate(sides) if side.numbers == operands]
    restates = {i for i, side in enumerate(sides) if _restates(side, target)}
    if writes:
        kept = [i for i in writes if i not in restates] or writes
        shapes = {_shape(sides[i]) for i in kept}
        if len(shapes) > 1:
            shown = " and ".join(sorted({" ".join(text.split("=")[i].split()) for i in kept})[:2])
            return Verdict(False, "ambiguous", None, f"the answer writes two different bracketings: {shown}")
        graded = kept[0]
        same = set(kept)
    else:
        others = [i for i in range(len(sides)) if i not in restates]
        graded = others[0] if others else 0
        same = {graded}
    verdict = _judge((puzzle.left,), (sides[graded],), target)
    if not verdict.ok:
        return verdict
    for i, side in enumerate(sides):
        if i in same or i in restates:
            continue
        if "?" in side.glyphs:
            return Verdict(False, "wrong_equation", verdict.value, "a part of the chain has a '?' for an operator")
        worked = evaluate(side, side.written)
        if worked != verdict.value:
            return Verdict(False, "wrong_equation", verdict.value,
                           f"the answer equals {format_value(verdict.value)}, but the chain also writes "
                           f"{' '.join(text.split('=')[i].split())} = {format_value(worked)}")
    return verdict


def _judge(sides: Sequence[Expr], mine: Sequence[Expr], target: Optional[Fraction]) -> Verdict:
    """The verdict on bracketings `mine` of the puzzle's `sides` (left = target, or left = right)."""
    values = []
    for side, answer in zip(sides, mine):
        problem = _compare(side, answer)
        if problem:
            return problem
        values.append(evaluate(answer, answer.written))
    if any(v is None for v in values):
        return Verdict(False, "division_by_zero", None, "the answer divides by zero")
    value = values[0]
    expected = target if target is not None else values[1]
    if value != expected:
        return Verdict(False, "wrong_value", value,
                       f"the answer equals {format_value(value)}, not {format_value(expected)}")
    return Verdict(True, "correct", value)


def _restates(side: Expr, target: Fraction) -> bool:
    """Does this part only write the target: one number, or a fraction of two integers, equal to it?"""
    numbers = side.numbers
    if side.size == 1:
        return numbers[0] == target
    return side.size == 2 and side.slots == ("/",) and side.glyphs != ("?",) and numbers[1] != 0 and \
        all(x.denominator == 1 for x in numbers) and numbers[0] / numbers[1] == target


def _shape(side: Expr) -> tuple[Tree, tuple[str, ...]]:
    """What makes two bracketings of the same operands the same answer: the tree and the operators."""
    return side.written, side.slots


def _unreadable(error: ParseError, offset: int) -> Verdict:
    reason = PARSE_REASONS.get(error.code, "unparsable")
    return Verdict(False, reason, None, f"{error.reason} (at column {offset + error.position + 1} of the answer)")


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
