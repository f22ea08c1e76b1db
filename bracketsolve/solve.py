"""The oracle: solve a puzzle exactly (count, list lazily, prove none), and list reachable values."""

from __future__ import annotations

import sys
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from typing import Iterator, Optional, Union

from .bracketings import Bracketing, Solution
from .errors import BracketError
from .model import Expr, Puzzle, format_value
from .parser import parse

BACKENDS = ("auto", "python", "numba")
DISTINCT = ("all", "form")     # count every bracketing, or one per equivalence class (see forms.py)


def engine_for(expr: Expr, backend: str = "auto"):
    """The value tables of one side, built by the chosen engine.

    "auto" takes the numba engine when the side is big enough for it to pay (numba's start-up costs about
    1.5 s in a fresh process, a few microseconds once loaded) and numba imports; the Python engine otherwise.
    """
    if backend not in BACKENDS:
        raise BracketError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "numba" or (backend == "auto" and _numba_pays(expr)):
        try:
            from .fast import NumbaSide
        except ImportError as error:
            if backend == "numba":
                raise BracketError(f"backend='numba' needs numba and numpy: {error}") from error
        else:
            return NumbaSide(expr)
    from .engine import PythonSide

    return PythonSide(expr)


def _numba_pays(expr: Expr) -> bool:
    """True when the numba engine is likely faster than the Python one, start-up included (measured)."""
    effort = sum(20 + 7 * (len(slot) - 1) for slot in expr.slots)   # a `?` slot weighs about two fixed ones
    if effort < 140 or ("bracketsolve.fast" not in sys.modules and effort < 240):
        return False                                # loaded: from 8 operands (5 with `?`); fresh: 13 (7)
    try:
        from .fast import compiled
    except ImportError:
        return False
    return compiled() or effort >= 340              # compiling first (about 25 s) pays from 18 operands (10)


def as_puzzle(puzzle: Union[str, Puzzle], *, target=None, ops: Optional[str] = None) -> Puzzle:
    """`puzzle` parsed if it is text, with `target` and `ops` applied."""
    if isinstance(puzzle, str):
        puzzle = parse(puzzle)
    elif not isinstance(puzzle, Puzzle):
        raise TypeError(f"expected puzzle text or a Puzzle, not {type(puzzle).__name__}")
    if target is not None:
        puzzle = puzzle.with_target(target)
    if ops is not None:
        puzzle = puzzle.with_ops(ops)
    return puzzle


@dataclass(frozen=True)
class Near:
    """A reachable value next to the target, with one bracketing that reaches it."""

    value: Fraction
    count: int
    witness: Bracketing

    def __str__(self) -> str:
        return f"{format_value(self.value)} = {self.witness}"


class Result:
    """What `solve` found. Counts are exact ints; `.solutions` is lazy.

    `.solvable`, `.count` (bracketings that make the equation true), `.total` (every bracketing
    considered), `.undefined` (those that divide by zero), `.solutions` (an iterator of `Solution`, at
    most `limit`), `.nearest(k)`, `.values()`, `.summary()` (a readable account, the proof when none).
    `.distinct` is "all" here; `solve(..., distinct="form")` gives a `forms.FormResult`.
    """

    distinct = "all"

    def __init__(self, puzzle: Puzzle, engines: tuple, limit: Optional[int]) -> None:
        self.puzzle = puzzle
        self.limit = limit
        self._engines = engines
        self._sorted = None
        self.backend = engines[0].name
        self.total = puzzle.total()
        target = puzzle.target
        if target is not None:
            (engine,) = engines
            self.count = engine.count(target)
            defined = engine.defined()
        else:
            left, right = (e.values_raw() for e in engines)
            small, big = (left, right) if len(left) <= len(right) else (right, left)
            self.count = sum(c * big[v] for v, c in small.items() if v in big)
            defined = engines[0].defined() * engines[1].defined()
        self.undefined = self.total - defined

    @property
    def target(self) -> Optional[Fraction]:
        return self.puzzle.target

    @property
    def solvable(self) -> bool:
        return self.count > 0

    def __bool__(self) -> bool:
        return self.solvable

    @property
    def solutions(self) -> Iterator[Solution]:
        """A fresh lazy iterator over the solutions (at most `limit`); the first comes without the rest."""
        return islice(self._solutions(), self.limit)

    @property
    def first(self) -> Optional[Solution]:
        """One solution, or None."""
        return next(self._solutions(), None)

    def _solutions(self) -> Iterator[Solution]:
        target = self.puzzle.target
        if target is not None:
            for tree in self._engines[0].trees(target):
                yield Solution(self.puzzle, (tree,), (target,))
            return
        left, right = self._engines
        right_values = right.values_raw()
        for v in left.values_raw():
            if v in right_values:
                for lt in left.trees(v):
                    for rt in right.trees(v):
                        yield Solution(self.puzzle, (lt, rt), (Fraction(v), Fraction(v)))

    def values(self) -> dict:
        """Every value the left side reaches (Fraction -> count), in increasing order."""
        return dict(self._values())

    def _values(self) -> dict:
        """The sorted table, built once: nearest() and summary() both read it."""
        if self._sorted is None:
            self._sorted = self._engines[0].values()
        return self._sorted

    def nearest(self, k: int = 3) -> list:
        """Up to `k` reachable values just below the target and `k` just above, each with a witness."""
        target = self.puzzle.target
        if target is None:
            return []
        engine = self._engines[0]
        table = self._values()
        ordered = [v for v in table if v != target]
        at = bisect_left(ordered, target)
        chosen = ordered[max(0, at - k):at] + ordered[at:at + k]
        return [Near(v, table[v], Bracketing(self.puzzle, (next(engine.trees(v)),), (v,))) for v in chosen]

    def summary(self, shown: int = 12) -> str:
        """A readable account of the result; when there is no solution, the proof that there is none."""
        puzzle = self.puzzle
        left = puzzle.left.text()
        counted = f"{self.total:,} bracketing{'s' if self.total != 1 else ''}"
        every = "The only bracketing was" if self.total == 1 else f"All {counted}"
        zero = f" ({self.undefined:,} divide by zero)" if self.undefined else ""
        if self.solvable:
            verb = "makes" if self.count == 1 else "make"
            return f"{self.count:,} of {counted} {verb} {puzzle} true{zero}."
        if puzzle.target is None:
            lv, rv = (e.values_raw() for e in self._engines)
            return (f"No bracketing makes {puzzle} true. {every} of the two sides evaluated exactly"
                    f"{zero}; the left reaches {len(lv):,} values, the right {len(rv):,}, none in common.")
        values = list(self._values())
        listed = ", ".join(format_value(v) for v in values[:shown])
        if len(values) > shown:
            listed += f", ... ({len(values) - shown:,} more)"
        near = "; ".join(str(n) for n in self.nearest(1))
        they = "it reaches" if self.total == 1 else "they reach"
        reach = f"{they} {len(values):,} value{'s' if len(values) != 1 else ''}: {listed}" if values else \
            "none is defined"
        text = (f"No bracketing of {left} equals {format_value(puzzle.target)}. "
                f"{every} evaluated exactly{zero}; {reach}.")
        return text + (f" Nearest: {near}." if near else "")

    def __repr__(self) -> str:
        return (f"Result({str(self.puzzle)!r}, solvable={self.solvable}, count={self.count}, "
                f"total={self.total}, undefined={self.undefined})")


def solve(puzzle: Union[str, Puzzle], *, target=None, ops: Optional[str] = None, limit: Optional[int] = None,
          backend: str = "auto", distinct: str = "all") -> Result:
    """Solve a bracket puzzle exactly: every bracketing that makes it true, or a proof that none does.

    Takes: puzzle text ("8 + 28 / 4 - 2 * 3 = 6") or a `Puzzle`; `target` replaces or supplies the right
    side (int, Fraction or a string like "7/2"; never a float); `ops` narrows `?` slots ("+-*");
    `limit` caps how many solutions `.solutions` yields; `backend` is "auto", "python" or "numba";
    `distinct="form"` counts and lists one bracketing per equivalence class (the same rational function
    of the operands as symbols: `(a + b) - c` and `a + (b - c)` are one class).
    Returns: a `Result` (exact `.count`, `.total`, `.undefined`; lazy `.solutions`).
    Raises: `ParseError` for bad text, `BracketError` when there is no target, `TooLargeError` past a cap.

    >>> r = solve("8 + 28 / 4 - 2 * 3 = 6")
    >>> r.count, r.total, str(r.first)
    (1, 14, '(8 + 28) / ((4 - 2) * 3)')
    >>> solve("8 + 28 / 4 - 2 * 3", target=7).solvable
    False
    """
    puzzle = as_puzzle(puzzle, target=target, ops=ops)
    if not puzzle.is_equation:
        raise BracketError("nothing to solve for: add '= target' to the puzzle or give a target "
                           "(target= in Python, --target on the command line), or ask for its values")
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise BracketError(f"limit must be a non-negative int, not {limit!r}")
    if distinct not in DISTINCT:
        raise BracketError(f"distinct must be one of {', '.join(DISTINCT)}, not {distinct!r}")
    engines = tuple(engine_for(side, backend) for side in puzzle.free_sides)
    if distinct == "form":
        from .forms import FormResult

        return FormResult(puzzle, engines, limit)
    return Result(puzzle, engines, limit)


def values(expression: Union[str, Puzzle], *, ops: Optional[str] = None, backend: str = "auto") -> dict:
    """Every value some bracketing of the expression reaches, with how many bracketings reach it.

    Takes: expression text or a `Puzzle` (an `= target` is ignored; both sides free is an error).
    Returns: {Fraction: count} in increasing order of value; undefined bracketings are left out.

    >>> values("2 * 3 + 4")
    {Fraction(10, 1): 1, Fraction(14, 1): 1}
    """
    puzzle = as_puzzle(expression, ops=ops)
    if puzzle.is_equation and puzzle.target is None:
        raise BracketError("values() takes an expression; this equation has operators on both sides")
    return engine_for(puzzle.left, backend).values()
