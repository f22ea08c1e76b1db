"""What `solve` returns: exact counts, lazy solutions, the nearest values, and a readable proof when none."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from typing import Iterator, Mapping, Optional, Protocol, TypeVar

from ..errors import TooLargeError
from .bracketings import Bracketing, Solution
from .model import Puzzle, Tree, Value, format_value

T = TypeVar("T")


def listed(solutions: Iterator[T], limit: Optional[int]) -> Iterator[T]:
    """At most `limit` of `solutions` (None: all; a limit past sys.maxsize, which islice refuses, is all too)."""
    return islice(solutions, None if limit is None or limit >= sys.maxsize else limit)


class Side(Protocol):
    """What a `Result` asks of the engine over one side (`engines.reference.PythonSide`, `engines.fast.NumbaSide`)."""

    name: str

    def count(self, target: Fraction) -> int: ...
    def defined(self) -> int: ...
    def values_raw(self) -> Mapping[Value, int]: ...
    def values(self) -> dict[Fraction, int]: ...
    def trees(self, target: Value, i: int = 0, j: int = -1) -> Iterator[Tree]: ...
    def nearest(self, target: Fraction, k: int) -> list[tuple[Fraction, int]]: ...
    def smallest(self, k: int) -> list[Fraction]: ...
    def largest(self, k: int) -> list[Fraction]: ...
    def distinct(self) -> Optional[int]: ...


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

    def __init__(self, puzzle: Puzzle, engines: tuple[Side, ...], limit: Optional[int]) -> None:
        self.puzzle = puzzle
        self.limit = limit
        self._engines = engines
        self._sorted: Optional[dict[Fraction, int]] = None
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
        return listed(self._solutions(), self.limit)

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

    def values(self) -> dict[Fraction, int]:
        """Every value the left side reaches (Fraction -> count), in increasing order."""
        return dict(self._values())

    def _values(self) -> dict[Fraction, int]:
        """The sorted table, built once."""
        if self._sorted is None:
            self._sorted = self._engines[0].values()
        return self._sorted

    def _reach(self, shown: int) -> tuple[Optional[int], list[Fraction]]:
        """(how many values the left side reaches, the `shown` smallest), for the summary: found by the engine's
        near questions without the whole side's table. The count is None when more than `shown` values exist
        and counting them would take that table (over `plan.EVERY_TABLE` bracketings)."""
        engine = self._engines[0]
        values = engine.smallest(shown + 1)
        if len(values) <= shown:
            return len(values), values
        return engine.distinct(), values[:shown]

    def nearest(self, k: int = 3) -> list[Near]:
        """Up to `k` reachable values just below the target and `k` just above, each with a witness.

        The engine's near questions find them without the whole side's table (its kernel selects them in that
        table when it is built); witnesses are walked back from their values."""
        target = self.puzzle.target
        if target is None:
            return []
        engine = self._engines[0]
        return [Near(v, c, Bracketing(self.puzzle, (next(engine.trees(v)),), (v,))) for v, c in engine.nearest(target, k)]

    def summary(self, shown: int = 12) -> str:
        """A readable account of the result; when there is no solution, the proof that there is none."""
        puzzle = self.puzzle
        left = puzzle.left.text()
        counted = f"{self.total:,} bracketing{'s' if self.total != 1 else ''}"
        every = "The only bracketing was" if self.total == 1 else f"All {counted}"
        zero = f" ({self.undefined:,} {'divides' if self.undefined == 1 else 'divide'} by zero)" if self.undefined else ""
        if self.solvable:
            verb = "makes" if self.count == 1 else "make"
            return f"{self.count:,} of {counted} {verb} {puzzle} true{zero}."
        if puzzle.target is None:
            lv, rv = (e.values_raw() for e in self._engines)
            return (f"No bracketing makes {puzzle} true. {every} of the two sides evaluated exactly"
                    f"{zero}; the left reaches {len(lv):,} value{'s' if len(lv) != 1 else ''}, the right {len(rv):,}, none in common.")
        they = "it reaches" if self.total == 1 else "they reach"
        try:
            distinct, values = self._reach(shown)
            near = "; ".join(str(n) for n in self.nearest(1))
        except TooLargeError:           # the proof stands; listing its values would pass the memory budget
            return (f"No bracketing of {left} equals {format_value(puzzle.target)}. {every} evaluated exactly{zero}; "
                    f"{they} too many values to list within the memory budget.")
        listed = ", ".join(format_value(v) for v in values)
        if distinct is None:            # counting them would take the whole table: values() lists every one
            span = f"from {format_value(values[0])} to {format_value(self._engines[0].largest(1)[0])}"
            reach = f"{they} more than {shown:,} values {span}; the first {shown:,}: {listed}"
        else:
            if distinct > shown:
                listed += f", ... ({distinct - shown:,} more)"
            reach = f"{they} {distinct:,} value{'s' if distinct != 1 else ''}: {listed}" if distinct else \
                "none is defined"
        text = (f"No bracketing of {left} equals {format_value(puzzle.target)}. "
                f"{every} evaluated exactly{zero}; {reach}.")
        return text + (f" Nearest: {near}." if near else "")

    def __repr__(self) -> str:
        return (f"Result({str(self.puzzle)!r}, solvable={self.solvable}, count={self.count}, "
                f"total={self.total}, undefined={self.undefined})")
