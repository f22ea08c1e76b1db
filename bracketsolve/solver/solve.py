"""The oracle: solve a puzzle exactly (count, list lazily, prove none), and list reachable values."""

from __future__ import annotations

import sys
from fractions import Fraction
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Optional, Union, cast, overload

from ..errors import BracketError, TooLargeError
from . import choose
from .limits import COMPILE_NOTE, Handover, Limits, Memory, ProgressLike, limits_for
from .model import Expr, Puzzle, Value
from .parser import parse
from .result import Result, Side

if TYPE_CHECKING:
    from ..games.game import RulesLike
    from ..games.result import GameResult

BACKENDS = ("auto", "python", "numba")
DISTINCT = ("all", "form")     # count every bracketing, or one per equivalence class (see forms.py)


def _free(rules: object) -> bool:
    """Are these free-order rules (24, countdown) rather than brackets? Raises BracketError for unknown rules."""
    from ..games.rules import rules_of

    return rules_of(rules).free


def engine_for(expr: Expr, backend: str = "auto", limits: Optional[Limits] = None, root: bool = False,
               target: Optional[Value] = None) -> Side:
    """The value tables of one side, built by the chosen engine within `limits` (a fresh default budget if None).
    For "auto", what the caller will ask is done here, so the engine can still change: the count of `target`
    and the defined bracketings when a target is given, the whole side's table when `root`.

    "auto" takes the numba engine at once when its kernels are loaded in this process and the side is big enough
    for it to pay; otherwise it starts the Python engine and hands over to numba if the work ahead turns out
    big (see `choose`: the kernels compile meanwhile in a child process when they are not compiled yet).
    """
    if backend not in BACKENDS:
        raise BracketError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    limits = limits if limits is not None else Limits()
    if backend == "numba" or (backend == "auto" and _numba_pays(expr)):
        return _numba_side(expr, backend, limits)
    from ..engines.reference import PythonSide

    if backend == "python" or not choose.wanted(expr):
        return PythonSide(expr, limits=limits)
    reserved, work = limits.reserved, limits.work
    try:
        side = choose.WatchedSide(expr, limits=limits, chooser=choose.Chooser(root))
        if root:
            side.values_raw()
        elif target is not None:
            side.count(target)
            side.defined()
        return side
    except (Handover, TooLargeError) as e:
        if isinstance(e, TooLargeError) and (e.limit != "max_work" or limits.max_work is not None):
            raise                                   # past the Python engine's own work cap, numba goes on
        limits.release(limits.reserved - reserved)  # the Python tables are dropped
        limits.work = work
        return _numba_side(expr, "auto", limits)


def _numba_side(expr: Expr, backend: str, limits: Limits) -> Side:
    try:
        from ..engines.fast import NumbaSide, compiled
    except ImportError as error:
        if backend == "numba":
            raise BracketError(f"backend='numba' needs numba and numpy: {error}") from error
        from ..engines.reference import PythonSide

        return PythonSide(expr, limits=limits)
    if not compiled():
        limits.note(COMPILE_NOTE)
    return NumbaSide(expr, limits=limits)


def _numba_pays(expr: Expr) -> bool:
    """True when the numba engine's kernels are loaded in this process and the side is big enough for them to
    pay at once (measured: from 8 operands, 5 with `?`); otherwise auto starts with the Python engine."""
    if "bracketsolve.engines.fast" not in sys.modules:
        return False
    effort = sum(20 + 7 * (len(slot) - 1) for slot in expr.slots)   # a `?` slot weighs about two fixed ones
    if effort < 140:
        return False
    from ..engines.fast import compiled

    return compiled()


def as_puzzle(puzzle: Union[str, Puzzle], *, target: object = None, ops: Optional[str] = None) -> Puzzle:
    """`puzzle` parsed if it is text, with `target` and `ops` applied."""
    if isinstance(puzzle, str):
        puzzle = parse(puzzle)
    elif not isinstance(puzzle, Puzzle):
        raise BracketError(f"expected puzzle text (a str) or a Puzzle, not {type(puzzle).__name__}")
    if target is not None:
        puzzle = puzzle.with_target(target)
    if ops is not None:
        puzzle = puzzle.with_ops(ops)
    return puzzle


@overload
def solve(puzzle: Union[str, Puzzle], *, target: object = None, ops: Optional[str] = None, limit: Optional[int] = None,
          backend: str = "auto", distinct: str = "all", rules: Literal["brackets"] = "brackets",
          max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
          progress: ProgressLike = False) -> Result: ...


@overload
def solve(puzzle: object, *, target: object = None, ops: Optional[str] = None, limit: Optional[int] = None,
          backend: str = "auto", distinct: str = "all", rules: Literal["24", "24-tv", "countdown", "countdown-tv"],
          max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
          progress: ProgressLike = False) -> GameResult: ...


@overload
def solve(puzzle: object, *, target: object = None, ops: Optional[str] = None, limit: Optional[int] = None,
          backend: str = "auto", distinct: str = "all", rules: RulesLike, max_memory: Memory = None,
          max_work: Optional[int] = None, timeout: Optional[float] = None,
          progress: ProgressLike = False) -> Union[Result, GameResult]: ...


def solve(puzzle: object, *, target: object = None, ops: Optional[str] = None, limit: Optional[int] = None,
          backend: str = "auto", distinct: str = "all", rules: RulesLike = "brackets", max_memory: Memory = None,
          max_work: Optional[int] = None, timeout: Optional[float] = None,
          progress: ProgressLike = False) -> Union[Result, GameResult]:
    """Solve a bracket puzzle exactly: every bracketing that makes it true, or a proof that none does.

    Takes: puzzle text ("8 + 28 / 4 - 2 * 3 = 6") or a `Puzzle`; `target` replaces or supplies the right
    side (int, Fraction or a string like "7/2"; never a float); `ops` narrows `?` slots ("+-*");
    `limit` caps how many solutions `.solutions` yields; `backend` is "auto", "python" or "numba";
    `distinct="form"` counts and lists one bracketing per equivalence class (the same rational function
    of the operands as symbols: `(a + b) - c` and `a + (b - c)` are one class).
    `rules`: "brackets" (this), or the free-order "24", "countdown", "24-tv", "countdown-tv" (or a `Rules`):
    then `puzzle` is numbers and a target ("4 7 8 8 -> 24", a list, an entry) and the result a
    `games.result.GameResult` (see `games.solve.solve_game` and docs/rules.md).
    Budget (see `limits.Limits`; defaults from an enclosing `limits.budget(...)`): `max_memory` ("4G", or
    bytes; default half the memory available), `max_work` (value pairs combined; default each engine's cap),
    `timeout` (seconds for the solve, checked between intervals), `progress` (True: a line on stderr from one
    second on; or a callable taking a `limits.Progress`).
    Returns: a `Result` (exact `.count`, `.total`, `.undefined`; lazy `.solutions`).
    Raises: `ParseError` for bad text, `BracketError` when there is no target, `TooLargeError` past a cap or
    budget (a `MemoryError` that happens anyway included), `SolveTimeout` past the time limit.

    >>> r = solve("8 + 28 / 4 - 2 * 3 = 6")
    >>> r.count, r.total, str(r.first)
    (1, 14, '(8 + 28) / ((4 - 2) * 3)')
    >>> solve("8 + 28 / 4 - 2 * 3", target=7).solvable
    False
    >>> str(solve("3 3 8 8 -> 24", rules="24").first)
    '8 / (3 - 8 / 3)'
    """
    if _free(rules):
        from ..games.solve import solve_game

        return solve_game(puzzle, rules=rules, target=target, ops=ops, limit=limit, backend=backend,
                          distinct=distinct, max_memory=max_memory, max_work=max_work, timeout=timeout,
                          progress=progress)
    puzzle = as_puzzle(cast(Union[str, Puzzle], puzzle), target=target, ops=ops)     # it refuses anything else
    if not puzzle.is_equation:
        raise BracketError("nothing to solve for: add '= target' to the puzzle or give a target "
                           "(target= in Python, --target on the command line), or ask for its values")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        raise BracketError(f"limit must be a non-negative int, not {limit!r}")
    if distinct not in DISTINCT:
        raise BracketError(f"distinct must be one of {', '.join(DISTINCT)}, not {distinct!r}")
    limits = limits_for(max_memory, max_work, timeout, progress)
    with _within(limits):
        return solve_within(puzzle, limits, backend=backend, distinct=distinct, limit=limit)


def solve_within(puzzle: Puzzle, limits: Limits, *, backend: str = "auto", distinct: str = "all",
                 limit: Optional[int] = None) -> Result:
    """`solve` of a parsed equation within a budget already running (inside `_within(limits)`): for callers
    that spend one budget on more than the solve, such as `difficulty`."""
    engines = tuple(engine_for(side, backend, limits, root=puzzle.target is None, target=puzzle.target)
                    for side in puzzle.free_sides)
    if distinct == "form":
        from .forms import FormResult

        return FormResult(puzzle, engines, limit, limits)
    return Result(puzzle, engines, limit)


@overload
def values(expression: Union[str, Puzzle], *, ops: Optional[str] = None, backend: str = "auto",
           rules: Literal["brackets"] = "brackets", max_memory: Memory = None, max_work: Optional[int] = None,
           timeout: Optional[float] = None, progress: ProgressLike = False) -> dict[Fraction, int]: ...


@overload
def values(expression: object, *, ops: Optional[str] = None, backend: str = "auto", rules: RulesLike,
           max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
           progress: ProgressLike = False) -> dict[Fraction, int]: ...


def values(expression: object, *, ops: Optional[str] = None, backend: str = "auto", rules: RulesLike = "brackets",
           max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
           progress: ProgressLike = False) -> dict[Fraction, int]:
    """Every value some bracketing of the expression reaches, with how many bracketings reach it.

    Takes: expression text or a `Puzzle` (an `= target` is ignored; both sides free is an error); the budget
    options of `solve`; with free-order `rules` ("24", "countdown", ...), the numbers (see
    `games.solve.game_values`).
    Returns: {Fraction: count} in increasing order of value; undefined bracketings are left out.

    >>> values("2 * 3 + 4")
    {Fraction(10, 1): 1, Fraction(14, 1): 1}
    """
    if _free(rules):
        from ..games.solve import game_values

        return game_values(expression, rules=rules, ops=ops, backend=backend, max_memory=max_memory,
                           max_work=max_work, timeout=timeout, progress=progress)
    puzzle = as_puzzle(cast(Union[str, Puzzle], expression), ops=ops)     # it refuses anything else
    if puzzle.is_equation and puzzle.target is None:
        raise BracketError("values() takes an expression; this equation has operators on both sides")
    limits = limits_for(max_memory, max_work, timeout, progress)
    with _within(limits):
        return engine_for(puzzle.left, backend, limits, root=True).values()


def value_listing(expression: Union[str, Puzzle], *, ops: Optional[str] = None, backend: str = "auto",
                  max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
                  progress: ProgressLike = False) -> tuple[list[str], list[int]]:
    """`values()` as text, for printing (`bracketsolve --values`): (the values as `format_value` writes them, in
    increasing order; their counts), rendered from the numba engine's integers without a Fraction per value
    (`engines/listing.py`). Takes and raises what `values()` does (bracket rules only).

    >>> value_listing("2 * 3 + 4")
    (['10', '14'], [1, 1])
    """
    from ..engines.listing import listing

    puzzle = as_puzzle(expression, ops=ops)
    if puzzle.is_equation and puzzle.target is None:
        raise BracketError("values() takes an expression; this equation has operators on both sides")
    limits = limits_for(max_memory, max_work, timeout, progress)
    with _within(limits):
        return listing(engine_for(puzzle.left, backend, limits, root=True))


class _within:
    """Run a solve within its budget: a MemoryError becomes a TooLargeError; reports and the deadline end."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def __enter__(self) -> Limits:
        return self.limits

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> Literal[False]:
        self.limits.close()
        if kind is not None and issubclass(kind, MemoryError):
            raise self.limits.out_of_memory("this puzzle's tables") from None
        return False
