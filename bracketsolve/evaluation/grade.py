"""Grade a model's whole output against a puzzle or a generated entry, exactly: find the answer, read it whole,
check it, and decide claims that there is no solution by solving; `score` turns the verdict into a reward.
"""

from __future__ import annotations

from functools import lru_cache
from numbers import Real
from typing import Any, Optional, Union

from ..errors import BracketError, ParseError, TooLargeError
from ..games.game import Game
from ..solver.model import Puzzle
from ..solver.parser import parse
from ..solver.solve import solve
from .check import REASONS as CHECK_REASONS
from .check import Verdict, check_expression
from .extract import extract
from .games_grade import _grade as _grade_game
from .games_grade import game_of, is_free_order

REASONS = CHECK_REASONS + ("correct_no_solution", "wrong_no_solution", "missed_no_solution", "no_answer",
                           "unclear_claim", "disowned")
WELL_FORMED = ("wrong_value", "division_by_zero", "wrong_no_solution")   # a real answer, just wrong


class _Required:
    def __repr__(self) -> str:
        return "<required>"


REQUIRED = _Required()          # an argument given neither by position nor by keyword
PuzzleLike = Union[str, Puzzle, dict[str, Any]]     # puzzle text, a Puzzle, or a generated entry


def puzzle_of(puzzle_or_entry: object) -> Puzzle:
    """The puzzle of a generated entry (its `metadata["puzzle"]`), of puzzle text, or a `Puzzle` itself.

    Raises: `BracketError` (a ValueError) when an entry has no puzzle or the argument is of another type,
    `ParseError` when the text is bad.
    """
    if isinstance(puzzle_or_entry, Puzzle):
        return puzzle_or_entry
    if isinstance(puzzle_or_entry, str):
        return parse(puzzle_or_entry)
    if isinstance(puzzle_or_entry, dict):
        metadata = puzzle_or_entry.get("metadata")
        text = metadata.get("puzzle") if isinstance(metadata, dict) else None
        if not isinstance(text, str):
            raise BracketError("an entry needs metadata['puzzle'], the equation as text")
        return parse(text)
    raise BracketError("the puzzle must be puzzle text, a Puzzle or a generated entry (a dict with "
                       f"metadata['puzzle']), not {type(puzzle_or_entry).__name__}")


def grade(puzzle: Union[PuzzleLike, _Required] = REQUIRED, output: object = REQUIRED, *,
          entry: Union[PuzzleLike, _Required] = REQUIRED,
          puzzle_or_entry: Union[PuzzleLike, _Required] = REQUIRED) -> Verdict:
    """Grade a model's whole output (or just its answer) against a puzzle, exactly.

    Takes: a puzzle (text or `Puzzle`) or a generated entry ({question, answer, metadata: {puzzle, ...}}), by
    position or as `puzzle=` / `entry=` (an entry of `generate_games`, whose metadata names free-order rules, or
    a `Game`, is graded by `grade_game` under its rules and ops), and the output text, by position or as
    `output=` (None grades as no_answer). The keywords are the same as `score`'s, whose positional order is the
    other way round (`puzzle_or_entry=`, the old name, is still accepted).
    Returns: a `Verdict` (`.ok`, `.reason`, `.value`, `.detail`). `.reason` is one of check()'s reasons
    (correct, wrong_value, numbers_changed, operators_changed, groups_removed, unbalanced, division_by_zero,
    unparsable, unknown_operator, bad_number, extra_text, ambiguous, wrong_equation, too_large) or
    correct_no_solution (claimed none, and none exists), wrong_no_solution (claimed none, but one exists),
    missed_no_solution (an expression, for a puzzle that has none), no_answer (neither found), unclear_claim
    (a claim of none that its sentence negates or hedges), disowned (an answer its own sentence denies).
    Raises: `BracketError` when the puzzle itself is bad, when an argument is of the wrong type or missing, or
    when the two look swapped (never for a bad output).

    >>> grade("8 + 28 / 4 - 2 * 3 = 6", "so <answer>(8 + 28) / ((4 - 2) * 3)</answer>").reason
    'correct'
    >>> grade("8 + 28 / 4 - 2 * 3 = 7", "After trying all 14 bracketings: no solution.").reason
    'correct_no_solution'
    >>> grade("8 + 28 / 4 - 2 * 3 = 6", r"\\boxed{\\text{impossible}}").reason
    'wrong_no_solution'
    >>> grade("3 + 4 = 7", "3 + 4!").reason
    'unknown_operator'
    """
    chosen = _puzzle_argument("grade", (puzzle, entry, puzzle_or_entry), output)
    return _graded(chosen, _output_argument("grade", output))[0]


def score(output: object = REQUIRED, entry: Union[PuzzleLike, _Required] = REQUIRED, *,
          puzzle: Union[PuzzleLike, _Required] = REQUIRED, wrong_format_credit: float = 0.0) -> float:
    """The reward for one output: 1.0 when `grade` says ok, else 0.0, or `wrong_format_credit` for a
    well-formed wrong answer (a value that misses, a division by zero, a wrong claim of no solution).

    The order is reasoning-gym's `score_answer(answer, entry)`: `output` (the whole output or the extracted
    answer) first, then `entry` (a generated entry, of `generate` or `generate_games`, or a puzzle); by
    keyword, `output=` and `entry=` (or `puzzle=`), as for `grade`. Raises `BracketError` for a credit outside
    [0, 1], an entry without a puzzle, an argument of the wrong type, or arguments that look swapped.

    >>> entry = {"metadata": {"puzzle": "8 + 28 / 4 - 2 * 3 = 6"}}
    >>> score("(8 + 28) / ((4 - 2) * 3)", entry), score("8 + 28 / (4 - 2) * 3", entry)
    (1.0, 0.0)
    >>> score("8 + 28 / (4 - 2) * 3", entry, wrong_format_credit=0.1)
    0.1
    >>> score(output="(8 + 28) / ((4 - 2) * 3)", entry=entry)
    1.0
    """
    if isinstance(wrong_format_credit, bool) or not isinstance(wrong_format_credit, Real) or \
            not 0 <= wrong_format_credit <= 1:
        raise BracketError(f"wrong_format_credit must be a number in [0, 1], not {wrong_format_credit!r}")
    chosen = _puzzle_argument("score", (entry, puzzle), output)
    verdict, well_formed = _graded(chosen, _output_argument("score", output))
    if verdict.ok:
        return 1.0
    return float(wrong_format_credit) if well_formed else 0.0


def _puzzle_argument(caller: str, candidates: tuple[object, ...], output: object) -> Union[Puzzle, Game]:
    """The puzzle from the one of `candidates` (the positional argument and its keyword aliases) given: a `Puzzle`,
    or a `Game` for a free-order entry (or Game)."""
    order = "grade(puzzle, output)" if caller == "grade" else "score(output, entry)"
    given = [value for value in candidates if value is not REQUIRED]
    if len(given) > 1:
        raise BracketError(f"{caller}() got both entry= and puzzle=; give one")
    if not given:
        raise BracketError(f"{caller}() needs the puzzle or entry: {order}")
    (one,) = given
    if isinstance(output, (dict, Puzzle, Game)):
        raise BracketError(f"{caller}() got an entry or Puzzle as the output: the arguments look swapped; the order "
                           f"is {order} (score keeps reasoning-gym's score_answer(answer, entry))")
    if isinstance(one, Game) or is_free_order(one):
        return game_of(one)
    try:
        chosen = puzzle_of(one)
    except ParseError:
        if isinstance(output, str) and _is_puzzle(output):
            raise BracketError(f"{caller}(): the puzzle does not parse but the output is a puzzle: the arguments look "
                               f"swapped; the order is {order}") from None
        raise
    if not chosen.is_equation:
        raise BracketError(f"{caller}(): the puzzle has no '= target' to grade an answer against")
    return chosen


def _is_puzzle(text: str) -> bool:
    try:
        return parse(text).is_equation
    except ParseError:
        return False


def _output_argument(caller: str, output: object) -> Optional[str]:
    """The output text (or None), or a BracketError naming what is expected."""
    if output is REQUIRED:
        raise BracketError(f"{caller}() needs the model's output (output=...)")
    if output is None or isinstance(output, str):
        return output
    if isinstance(output, (bytes, bytearray)):
        raise BracketError(f"{caller}(): the output must be text; decode the bytes first")
    hint = "; for chat messages pass the assistant message's content" if isinstance(output, (list, tuple)) else ""
    raise BracketError(f"{caller}(): the output must be text (str) or None, not {type(output).__name__}{hint}")


def _graded(puzzle: Union[Puzzle, Game], output: Optional[str]) -> tuple[Verdict, bool]:
    """(verdict, whether the answer was well formed), for a `Puzzle` or a free-order `Game`."""
    return _grade_game(puzzle, output) if isinstance(puzzle, Game) else _grade(puzzle, output)


def _grade(puzzle: Puzzle, output: Optional[str]) -> tuple[Verdict, bool]:
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
        if found.kind == "rejected":
            verdict = Verdict(False, found.reason, None, found.detail)
            if found.reason == "unclear_claim":             # not an expression: no missed_no_solution
                return verdict, False
        else:
            verdict = check_expression(puzzle, found.text)
        if verdict.ok or verdict.reason == "too_large":
            return verdict, verdict.ok
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
