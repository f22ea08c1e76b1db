"""The free-order oracle: solve a 24 or Countdown puzzle exactly, and list its reachable values."""

from __future__ import annotations

import sys
from fractions import Fraction
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ..errors import BracketError, TooLargeError
from ..solver.limits import COMPILE_NOTE, Limits, limits_for
from ..solver.solve import _within
from .game import Game, RulesLike
from .reader import read_game
from .result import GameFormResult, GameResult

if TYPE_CHECKING:
    from ..engines.subsets import PythonSubsets
    from ..solver.limits import Progress

BACKENDS = ("auto", "python", "numba")
DISTINCT = ("all", "form")


def engine_for(game: Game, backend: str = "auto", limits: Optional[Limits] = None) -> PythonSubsets:
    """The sub-multiset tables of a game, built by the chosen engine ("auto": numba where it pays) within
    `limits` (a fresh default budget if None)."""
    if backend not in BACKENDS:
        raise BracketError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    limits = limits if limits is not None else Limits()
    args = (game.distinct, game.counts, game.ops)
    options: dict[str, Any] = {"tv": game.rules.tv, "names": game.names, "limits": limits}
    if backend == "numba" or (backend == "auto" and _numba_pays(game)):
        try:
            from ..engines.subsets_fast import NumbaSubsets, compiled
        except ImportError as error:
            if backend == "numba":
                raise BracketError(f"backend='numba' needs numba and numpy: {error}") from error
        else:
            if not compiled():
                limits.note(COMPILE_NOTE)
            try:
                return NumbaSubsets(*args, **options)
            except TooLargeError as error:   # past its int64 counts (refused before any work): Python's ints
                if backend == "numba" or error.limit != "max_trees":
                    raise
    from ..engines.subsets import PythonSubsets

    return PythonSubsets(*args, **options)


def _numba_pays(game: Game) -> bool:
    """True when the numba engine is likely faster than the Python one, start-up included (measured)."""
    n = game.size
    if n < 5 or ("bracketsolve.engines.subsets_fast" not in sys.modules and n < 6):
        return False
    try:
        from ..engines.subsets_fast import compiled
    except ImportError:
        return False
    return compiled() or n >= 7


def solve_game(puzzle: object, *, rules: Optional[RulesLike] = None, target: object = None, ops: Optional[str] = None,
               limit: Optional[int] = None, backend: str = "auto", distinct: str = "all", **budget: Any) -> GameResult:
    """Solve a free-order puzzle (the 24 game, Countdown) exactly; `solve(..., rules=...)` calls this.

    Takes: the puzzle as `read_game` reads it (text, entry, list of numbers, `Game`), the rules (by default the
    puzzle's own: a Game's, an entry's; else "24"), and the options of `solve` (the budget ones too:
    max_memory, max_work, timeout, progress).
    Returns: a `GameResult` (or `GameFormResult` with `distinct="form"`).
    Raises: `ParseError` for bad text, `BracketError` when there is no target, `TooLargeError` past a cap or
    budget, `SolveTimeout` past the time limit.

    >>> r = solve_game("4 7 8 8 -> 24")
    >>> r.count, r.total, str(r.first)
    (22, 3840, '4 * (7 - 8 / 8)')
    """
    result = game_result(puzzle, rules=rules, target=target, ops=ops, limit=limit, backend=backend,
                         distinct=distinct, **budget)
    if result.target is None:
        raise BracketError("nothing to solve for: give a target ('25 50 75 100 3 6 -> 952', target= in Python, "
                           "--target on the command line), or ask for the values")
    return result


def game_result(puzzle: object, *, rules: Optional[RulesLike] = None, target: object = None, ops: Optional[str] = None,
                limit: Optional[int] = None, backend: str = "auto", distinct: str = "all", values_only: bool = False,
                max_memory: Union[int, str, None] = None, max_work: Optional[int] = None,
                timeout: Optional[float] = None,
                progress: Union[bool, Callable[[Progress], object], None] = False) -> GameResult:
    """The tables of a free-order puzzle wrapped in a result (see `solve_game`); with `values_only`, without
    the puzzle's target."""
    limits = limits_for(max_memory, max_work, timeout, progress)
    with _within(limits):
        return _result(puzzle, rules, target, ops, limit, backend, distinct, values_only, limits)


def _result(puzzle: object, rules: Optional[RulesLike], target: object, ops: Optional[str], limit: Optional[int],
            backend: str, distinct: str, values_only: bool, limits: Limits) -> GameResult:
    game = read_game(puzzle, rules=rules, target=target, ops=ops, default_target=not values_only)
    if values_only and game.target is not None:
        game = replace(game, target=None)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise BracketError(f"limit must be a non-negative int, not {limit!r}")
    if distinct not in DISTINCT:
        raise BracketError(f"distinct must be one of {', '.join(DISTINCT)}, not {distinct!r}")
    engine = engine_for(game, backend, limits)
    if distinct == "form":
        from .classes import ClassCounter

        options = (game.distinct, game.counts, game.ops)
        return GameFormResult(game, engine, limit, ClassCounter(*options, tv=game.rules.tv, limits=limits),
                              ClassCounter(*options, valued=False, limits=limits))
    return GameResult(game, engine, limit)


def game_values(puzzle: object, *, rules: Optional[RulesLike] = None, ops: Optional[str] = None, backend: str = "auto",
                distinct: str = "all", **budget: Any) -> dict[Fraction, int]:
    """Every value some expression of the puzzle's numbers reaches under the rules, with how many do.

    Takes the options of `solve_game`. Returns: {Fraction: count} in increasing order (count of written
    expressions, or of classes with `distinct="form"`); a target, if any, is ignored.

    >>> {str(v): c for v, c in game_values("2 3", rules="countdown").items()}
    {'-1': 1, '2/3': 1, '1': 1, '3/2': 1, '2': 1, '3': 1, '5': 2, '6': 2}
    """
    limits = limits_for(**budget)
    with _within(limits):
        return _result(puzzle, rules, None, ops, None, backend, distinct, True, limits).values()
