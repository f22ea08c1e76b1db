"""What `solve` returns for a free-order puzzle: exact counts, lazy solutions, nearest values, the proof of none."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Iterator, Optional

from ..solver.model import Value, format_value
from ..solver.result import listed
from .forms import Form, form
from .game import Game, Tree, leaves
from .rules import Rules

if TYPE_CHECKING:
    from ..engines.subsets import PythonSubsets
    from .classes import ClassCounter


class GameSolution:
    """One expression over the puzzle's numbers: `.tree` (leaves index `game.distinct`), `.value`,
    `str()` the expression with the fewest parentheses, `.equation` with the target, `.numbers` the
    numbers it uses (as literals, in the order written)."""

    __slots__ = ("game", "tree", "value")

    def __init__(self, game: Game, tree: Tree, value: Optional[Fraction]) -> None:
        self.game, self.tree, self.value = game, tree, value

    @property
    def numbers(self) -> list[str]:
        return [self.game.names[i] for i in leaves(self.tree)]

    @property
    def holds(self) -> Optional[bool]:
        """True when the expression equals the target; None when the puzzle has none."""
        return None if self.game.target is None else self.value is not None and self.value == self.game.target

    @property
    def equation(self) -> str:
        target = self.game.target
        return str(self) if target is None else f"{self} = {format_value(target)}"

    def __str__(self) -> str:
        return self.game.render(self.tree)

    def __repr__(self) -> str:
        return f"GameSolution({str(self)!r}, value={format_value(self.value)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GameSolution) and (self.game, self.tree) == (other.game, other.tree)

    def __hash__(self) -> int:
        return hash(self.tree)


@dataclass(frozen=True)
class GameNear:
    """A reachable value next to the target, how many expressions reach it, and one that does."""

    value: Fraction
    count: int
    witness: GameSolution

    def __str__(self) -> str:
        return f"{format_value(self.value)} = {self.witness}"


def describe(game: Game) -> str:
    """The rules in words: "each number once, in any order, with + - * /"."""
    use = "each number exactly once" if game.rules.every_number else "each number at most once"
    tv = "; every step a positive integer" if game.rules.tv else ""
    return f"{use}, in any order, with {' '.join(game.ops)}{tv}"


class GameResult:
    """What `solve(..., rules="24" or "countdown")` found. Counts are exact ints; `.solutions` is lazy.

    `.solvable`, `.count` (expressions equal to the target), `.total` (every expression considered: the
    written trees over the numbers, or for countdown over every non-empty sub-multiset), `.undefined`
    (those with no value: a division by zero, or under the TV rule a step that is not a positive integer),
    `.solutions`, `.first`, `.nearest(k)`, `.values()`, `.summary()` (the proof when none).
    `.distinct` is "all": two expressions differ when their trees differ (`a + b` and `b + a` are two;
    swapping two equal numbers changes nothing). `distinct="form"` gives a `GameFormResult`.
    """

    distinct = "all"

    def __init__(self, game: Game, engine: PythonSubsets, limit: Optional[int]) -> None:
        self.game = self.puzzle = game
        self.limit = limit
        self.backend = engine.name
        self._engine = engine
        space = engine.space
        self._sets = [space.full] if game.rules.every_number else space.by_size()
        self._sorted: Optional[dict[Fraction, int]] = None
        self.total = sum(engine.total(s) for s in self._sets)
        self.undefined = self.total - sum(engine.defined(s) for s in self._sets)
        target = game.target
        self.count = 0 if target is None else sum(engine.count(target, s) for s in self._sets)

    @property
    def target(self) -> Optional[Fraction]:
        return self.game.target

    @property
    def rules(self) -> Rules:
        return self.game.rules

    @property
    def solvable(self) -> bool:
        return self.count > 0

    def __bool__(self) -> bool:
        return self.solvable

    @property
    def solutions(self) -> Iterator[GameSolution]:
        """A fresh lazy iterator over the solutions (at most `limit`); the first comes without the rest."""
        return listed(self._solutions(), self.limit)

    @property
    def first(self) -> Optional[GameSolution]:
        return next(self._solutions(), None)

    def _trees(self, value: Value) -> Iterator[Tree]:
        for s in self._sets:
            yield from self._engine.trees(value, s)

    def _solutions(self) -> Iterator[GameSolution]:
        target = self.game.target
        if target is None:
            return
        for tree in self._trees(target):
            yield GameSolution(self.game, tree, target)

    def values(self) -> dict[Fraction, int]:
        """Every reachable value (Fraction -> count, under this result's distinctness), in increasing order."""
        return dict(self._values())

    def _values(self) -> dict[Fraction, int]:
        """The sorted table, built once: nearest() and summary() both read it."""
        if self._sorted is None:
            self._sorted = {v if type(v) is Fraction else Fraction(v): c for v, c in self._merged()}
        return self._sorted

    def _merged(self) -> list[tuple[Value, int]]:
        return self._engine.merged(self._sets)

    def nearest(self, k: int = 3) -> list[GameNear]:
        """Up to `k` reachable values just below the target and `k` just above, each with a witness."""
        target = self.game.target
        if target is None:
            return []
        table = self._values()
        ordered = [v for v in table if v != target]
        at = bisect_left(ordered, target)
        chosen = ordered[max(0, at - k):at] + ordered[at:at + k]
        return [GameNear(v, table[v], GameSolution(self.game, next(self._trees(v)), v)) for v in chosen]

    def _noun(self) -> str:
        return "expression"

    def summary(self, shown: int = 12) -> str:
        """A readable account of the result; when there is no solution, the proof that there is none."""
        game, noun = self.game, self._noun()
        counted = f"{self.total:,} {_plural(noun, self.total)}"
        rules = describe(game)
        bad = "leave the positive integers" if game.rules.tv else "divide by zero"   # (a zero is one of them)
        bad = bad.replace("leave", "leaves").replace("divide ", "divides ") if self.undefined == 1 else bad
        zero = f" ({self.undefined:,} {bad})" if self.undefined else ""
        numbers = " ".join(game.literals)
        if game.target is None:
            reached = len(self._values())
            return f"{counted} of {numbers}, {rules}{zero}, reach {reached:,} value{'s' if reached != 1 else ''}."
        if self.solvable:
            verb = "equals" if self.count == 1 else "equal"
            return f"{self.count:,} of {counted} of {numbers} ({rules}) {verb} {format_value(game.target)}{zero}."
        values = list(self._values())
        listed = ", ".join(format_value(v) for v in values[:shown])
        if len(values) > shown:
            listed += f", ... ({len(values) - shown:,} more)"
        every = f"The only {noun} was" if self.total == 1 else f"All {counted}"
        reach = f"they reach {len(values):,} value{'s' if len(values) != 1 else ''}: {listed}" if values else \
            "none has a value"
        near = "; ".join(str(n) for n in self.nearest(1))
        text = (f"No {noun} of {numbers} ({rules}) equals {format_value(game.target)}. "
                f"{every} evaluated exactly{zero}; {reach}.")
        return text + (f" Nearest: {near}." if near else "")

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({str(self.game)!r}, rules={str(self.rules)!r}, solvable={self.solvable}, "
                f"count={self.count}, total={self.total}, undefined={self.undefined})")


class GameFormResult(GameResult):
    """`solve(..., rules=..., distinct="form")`: `.count` is the number of classes (see `games.forms`) equal to
    the target, counted by the DP of `games.classes`; `.solutions` lists one member of each class.
    `.count_all` is the number of solving expressions as `distinct="all"` counts them; `.total` and
    `.undefined` count classes.
    """

    distinct = "form"

    def __init__(self, game: Game, engine: PythonSubsets, limit: Optional[int], classes: ClassCounter,
                 every: ClassCounter) -> None:
        super().__init__(game, engine, limit)
        self.count_all = self.count
        self._classes = classes
        self.total = sum(every.classes(s) for s in self._sets)
        target = game.target
        self.count = 0 if target is None else sum(classes.count(target, s) for s in self._sets)

    @property
    def undefined(self) -> int:
        """Classes with no defined member (the whole table is built for this)."""
        return self.total - sum(sum(self._classes.classes(s).values()) for s in self._sets)

    @undefined.setter
    def undefined(self, value: int) -> None:             # GameResult.__init__ sets the count of expressions
        pass

    def _merged(self) -> list[tuple[Value, int]]:
        from ..engines.subsets import exact_order

        out: dict[Value, int] = {}
        for s in self._sets:
            for v, c in self._classes.classes(s).items():
                out[v] = out.get(v, 0) + c
        return exact_order(list(out.items()))

    def _noun(self) -> str:
        return "class"

    def _solutions(self) -> Iterator[GameSolution]:
        target = self.game.target
        if target is None:
            return
        seen: set[Form] = set()
        left = self.count
        for tree in self._trees(target):
            if not left:
                return
            key = form(tree)
            if key not in seen:
                seen.add(key)
                left -= 1
                yield GameSolution(self.game, tree, target)

    def summary(self, shown: int = 12) -> str:
        if not self.solvable:
            return super().summary(shown)
        game = self.game
        return (f"{self.count:,} distinct solution{'s' if self.count != 1 else ''} (up to commuting, regrouping and "
                f"moving signs) of {game} ({describe(game)}); {self.count_all:,} written "
                f"expression{' equals' if self.count_all == 1 else 's equal'} {format_value(game.target)}.")


def _plural(noun: str, n: int) -> str:
    return noun if n == 1 else noun + ("es" if noun.endswith("s") else "s")
