"""Grade a model's whole output against a puzzle or a generated entry, exactly: find the answer, check it,
and decide claims that there is no solution by solving; `score` turns the verdict into a reward.
"""

from __future__ import annotations

from functools import lru_cache
from numbers import Real
from typing import Optional

from .check import REASONS as CHECK_REASONS
from .check import Verdict, check
from ..errors import BracketError, ParseError, TooLargeError
from .extract import extract, writes
from ..solver.model import Puzzle
from ..solver.parser import parse
from ..solver.solve import as_puzzle, solve

REASONS = CHECK_REASONS + ("correct_no_solution", "wrong_no_solution", "missed_no_solution", "no_answer",
                           "too_large")
WELL_FORMED = ("wrong_value", "division_by_zero", "wrong_no_solution")   # a real answer, just wrong
TOO_LARGE_CODES = ("too_long", "too_many_operands")                       # parser caps an answer can hit


def puzzle_of(puzzle_or_entry) -> Puzzle:
    """The puzzle of a generated entry (its `metadata["puzzle"]`), of puzzle text, or a `Puzzle` itself.

    Raises: `BracketError` (a ValueError) when an entry has no puzzle, `ParseError` when the text is bad.
    """
    if isinstance(puzzle_or_entry, dict):
        metadata = puzzle_or_entry.get("metadata")
        text = metadata.get("puzzle") if isinstance(metadata, dict) else None
        if not isinstance(text, str):
            raise BracketError("an entry needs metadata['puzzle'], the equation as text")
        return parse(text)
    return as_puzzle(puzzle_or_entry)


def grade(puzzle_or_entry, output) -> Verdict:
    """Grade a model's whole output (or just its answer) against a puzzle, exactly.

    Takes: a puzzle (text or `Puzzle`) or a generated entry ({question, answer, metadata: {puzzle, ...}}),
    and the output text (None or a non-string grades as no_answer).
    Returns: a `Verdict` (`.ok`, `.reason`, `.value`, `.detail`). `.reason` is one of check()'s reasons
    (correct, wrong_value, numbers_changed, operators_changed, groups_removed, unbalanced, division_by_zero,
    unparsable) or correct_no_solution (claimed none, and none exists), wrong_no_solution (claimed none,
    but one exists), missed_no_solution (an expression, for a puzzle that has none), no_answer (neither
    found), too_large (the answer is past the parser's caps, or the puzzle past the solver's).
    Raises: `BracketError` when the puzzle itself is bad (never for a bad output).

    >>> grade("8 + 28 / 4 - 2 * 3 = 6", "so <answer>(8 + 28) / ((4 - 2) * 3)</answer>").reason
    'correct'
    >>> grade("8 + 28 / 4 - 2 * 3 = 7", "After trying all 14 bracketings: no solution.").reason
    'correct_no_solution'
    >>> grade("8 + 28 / 4 - 2 * 3 = 6", r"\\boxed{\\text{impossible}}").reason
    'wrong_no_solution'
    """
    return _grade(puzzle_of(puzzle_or_entry), output)[0]


def score(output, entry, *, wrong_format_credit=0.0) -> float:
    """The reward for one output: 1.0 when `grade` says ok, else 0.0, or `wrong_format_credit` for a
    well-formed wrong answer (a value that misses, a division by zero, a wrong claim of no solution).

    Usable as a reasoning-gym style `score_answer(answer, entry)`: `entry` is a generated entry (or a
    puzzle), `output` the whole output or the extracted answer. Raises `BracketError` for a credit outside
    [0, 1] or an entry without a puzzle.

    >>> entry = {"metadata": {"puzzle": "8 + 28 / 4 - 2 * 3 = 6"}}
    >>> score("(8 + 28) / ((4 - 2) * 3)", entry), score("8 + 28 / (4 - 2) * 3", entry)
    (1.0, 0.0)
    >>> score("8 + 28 / (4 - 2) * 3", entry, wrong_format_credit=0.1)
    0.1
    """
    if isinstance(wrong_format_credit, bool) or not isinstance(wrong_format_credit, Real) or \
            not 0 <= wrong_format_credit <= 1:
        raise BracketError(f"wrong_format_credit must be a number in [0, 1], not {wrong_format_credit!r}")
    verdict, well_formed = _grade(puzzle_of(entry), output)
    if verdict.ok:
        return 1.0
    return float(wrong_format_credit) if well_formed else 0.0


def _grade(puzzle: Puzzle, output) -> tuple:
    """(verdict, whether the answer was well formed)."""
    found = extract(output, puzzle)
    if found.kind == "none":
        return Verdict(False, "no_answer", None, "found no expression and no claim that there is none"), False
    try:
        if found.kind == "no_solution":
            example = _example(puzzle)
            if example is None:
                return Verdict(True, "correct_no_solution", None, "no bracketing works, as claimed"), True
            return Verdict(False, "wrong_no_solution", None, f"claimed none, but {example} works"), True
        answer = _answer(found.text, puzzle)
        too_large = _too_large(answer)
        if too_large:
            return too_large, False
        verdict = check(puzzle, answer)
        if verdict.ok:
            return verdict, True
        if _example(puzzle) is None:
            return Verdict(False, "missed_no_solution", verdict.value,
                           f"no bracketing works, and the answer is {verdict.reason}: {verdict.detail}"), \
                verdict.reason in WELL_FORMED
        return verdict, verdict.reason in WELL_FORMED
    except TooLargeError as e:
        return Verdict(False, "too_large", None, f"cannot decide: {e.reason}"), False


@lru_cache(maxsize=4096)
def _example(puzzle: Puzzle) -> Optional[str]:
    """One solution as text, or None when the puzzle has none (proved by solving)."""
    first = solve(puzzle, limit=1).first
    return None if first is None else str(first)


def _too_large(answer: str) -> Optional[Verdict]:
    try:
        parse(answer)
    except ParseError as e:
        if e.code in TOO_LARGE_CODES:
            return Verdict(False, "too_large", None, f"the answer is past a cap: {e.reason}")
    return None


def _answer(text: str, puzzle: Puzzle) -> str:
    """The part of an answer to grade. With a target, a chain such as "(8 + 28) / ((4 - 2) * 3) = 36 / 6 = 6"
    or "6 = ..." is cut at its "=" signs and the last part that writes the puzzle's numbers is graded;
    working after it is not."""
    if puzzle.target is None or "=" not in text:
        return text
    parts = [part.strip() for part in text.split("=")]
    mine = [part for part in parts if writes(part, puzzle)]
    signed = [part for part in mine if _numbers(part) == puzzle.left.numbers]   # "-7 / -10", not "7/10"
    if signed or mine:
        return (signed or mine)[-1]
    return text


def _numbers(text: str) -> Optional[tuple]:
    """The operands of an expression, with their signs, or None when it does not parse."""
    try:
        return parse(text).left.numbers
    except ParseError:
        return None

