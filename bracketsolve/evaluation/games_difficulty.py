"""Exact difficulty of a free-order puzzle (the 24 game, Countdown): solutions and classes, the share of
expressions that work, the values in reach and near misses, and what every solution needs (fractions,
negative steps, nesting, how many numbers), and the effort of the canonical depth-first search (`game_effort`):
docs/evaluating.md, "Difficulty of free-order puzzles".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Iterator, Optional, Sequence, Union, cast

from ..games.classes import ClassCounter
from ..engines.subsets import PythonSubsets
from ..games.game import Game, RulesLike, Tree, apply, leaves, nesting
from ..games.reader import read_game
from ..games.solve import engine_for
from ..engines.reference import value_bytes
from ..solver.limits import Limits, Memory, ProgressLike, limits_for
from ..solver.model import format_value
from ..solver.solve import _within
from .difficulty import MAX_STATES

MAX_TREES = 100_000         # solutions walked for min_depth and needs_*; past it those figures are None
MAX_CLASS_NUMBERS = 6       # classes are counted up to this many numbers (None past it)
STATE_BYTES = 200           # budget: a remembered state of the search: its slot, tuple and result tuple, and
STATE_NUMBER_BYTES = 8      # ... per number in it; its new number (measured 208-268 bytes a state, estimated 1.7x)
MEMO_STEP = 4096            # states remembered between reservations (and looks at the deadline)

Row = tuple[Fraction, ...]  # a state of the canonical search: the numbers left, in increasing order, like (3, 8, 8/3)


@dataclass(frozen=True)
class GameDifficulty:
    """What makes one free-order puzzle hard, exactly (definitions in docs/evaluating.md).

    `numbers` operands; `total` written expressions, of which `solutions` equal the target, in `classes`
    classes (up to commuting, regrouping and moving signs; None past 6 numbers or for operator sets the
    classes do not cover) and `undefined` have no value under the rules; `values` distinct values are
    reachable; `near_1`, `near_1pct` count reachable values other than the target within 1 of it and within
    1% of |target|. Over the solutions (None without one, or past `MAX_TREES` of them): `min_depth`, the
    least nesting of parentheses; `min_numbers`, the fewest numbers used (Countdown may leave some out);
    `needs_fractions`, every solution has a step whose result is not a whole number; `needs_negatives`,
    every solution has a step whose result is negative. `effort` is the number of states the canonical
    search visits (see `game_effort`), None past its cap.
    """

    rules: str
    numbers: int
    total: int
    solutions: int
    classes: Optional[int]
    undefined: int
    values: int
    near_1: int
    near_1pct: int
    min_depth: Optional[int]
    min_numbers: Optional[int]
    needs_fractions: Optional[bool]
    needs_negatives: Optional[bool]
    effort: Optional[int] = None

    @property
    def fraction(self) -> Fraction:
        """The share of expressions that work."""
        return Fraction(self.solutions, self.total)

    def as_dict(self) -> dict[str, Any]:
        """The fields as JSON-able values, with `fraction` as text ("11/1920")."""
        out = asdict(self)
        out["fraction"] = format_value(self.fraction)
        return out


def game_difficulty(puzzle: object, *, rules: Optional[RulesLike] = "24", target: object = None,
                    ops: Optional[str] = None, backend: str = "auto", max_trees: int = MAX_TREES,
                    max_states: int = MAX_STATES, max_memory: Memory = None, max_work: Optional[int] = None,
                    timeout: Optional[float] = None, progress: ProgressLike = False) -> GameDifficulty:
    """The exact difficulty of a free-order puzzle with a target.

    Takes: the puzzle as `read_game` reads it (text, entry, list of numbers, `Game`), `rules` ("24",
    "countdown", with "-tv"), `target`, `ops`, `backend` ("auto", "python", "numba"); `max_trees`, the
    solutions walked for the figures over all solutions; `max_states`, the cap on the canonical search; the
    budget of `solve` (`max_memory`, `max_work`, `timeout`, `progress`), spent once over the tables, the class
    tables and the search.
    Returns: a `GameDifficulty`.
    Raises: `ParseError` for bad text, `BracketError` without a target, `TooLargeError` past a cap or the budget,
    `SolveTimeout` past `timeout`.

    >>> d = game_difficulty("3 3 8 8 -> 24")
    >>> d.solutions, d.classes, d.needs_fractions, d.needs_negatives, d.min_depth, d.effort
    (1, 1, True, False, 1, 755)
    >>> game_difficulty("3 3 8 8 -> 24", rules="24-tv").as_dict()["needs_fractions"] is None   # no solution
    True
    """
    from ..errors import BracketError

    game = read_game(puzzle, rules=rules, target=target, ops=ops)
    if game.target is None:
        raise BracketError("difficulty needs a target ('25 50 75 100 3 6 -> 952', or target=)")
    limits = limits_for(max_memory, max_work, timeout, progress)
    with _within(limits):
        engine = engine_for(game, backend, limits)
        return measure(game, engine, _sets(game, engine), max_trees=max_trees, max_states=max_states, limits=limits)


def _sets(game: Game, engine: PythonSubsets) -> list[int]:
    """The sub-multisets an answer may use: all the numbers (24), or every non-empty part (Countdown)."""
    return [engine.space.full] if game.rules.every_number else engine.space.by_size()


def measure(game: Game, engine: PythonSubsets, sets: list[int], *, max_trees: int = MAX_TREES,
            classes: Optional[int] = -1, trees: Optional[list[Tree]] = None,
            count: Optional[int] = None, max_states: int = MAX_STATES,
            effort: Optional[int] = -1, limits: Optional[Limits] = None) -> GameDifficulty:
    """The figures of `game` from its engine's tables (the generator passes the classes, the solution
    trees and the effort it already has), within `limits` (a fresh default budget if None)."""
    target = cast(Fraction, game.target)            # a measured puzzle has its target
    if count is None:
        count = sum(engine.count(target, s) for s in sets)
    goal = Fraction(target)
    values, near_1, near_1pct = reach_figures(engine, sets, goal)
    if classes == -1:
        classes = class_count(game, sets, target, limits) if count else 0
    if trees is None and count <= max_trees:
        trees = [t for s in sets for t in engine.trees(target, s)]
    over = solution_figures(game, trees, limits) if count and trees is not None and len(trees) == count else None
    return GameDifficulty(
        rules=str(game.rules), numbers=game.size, total=sum(engine.total(s) for s in sets), solutions=count,
        classes=classes, undefined=sum(engine.total(s) - engine.defined(s) for s in sets), values=values,
        near_1=near_1, near_1pct=near_1pct, effort=game_effort(game, max_states=max_states, limits=limits) if effort == -1 else effort,
        **(over or dict.fromkeys(("min_depth", "min_numbers", "needs_fractions", "needs_negatives"))))


def reach_figures(engine: PythonSubsets, sets: list[int], goal: Fraction) -> tuple[int, int, int]:
    """(distinct reachable values, those other than `goal` within 1 of it, those within 1% of |goal|): from
    the numba engine's arrays (a float filter with a wide margin, then exact checks), or the Python tables."""
    arrays = getattr(engine, "arrays", None)
    if arrays is None:
        reach = {Fraction(v) for s in sets for v in engine.table(s)}
    else:
        import numpy as np

        parts = [arrays(s) for s in sets]
        tn = np.concatenate([p[0] for p in parts])
        td = np.concatenate([p[1] for p in parts])
        big = {Fraction(v) for p in parts for v in p[3]}
        pairs = np.unique(np.stack([tn, td], axis=1), axis=0) if len(tn) else np.zeros((0, 2), np.int64)
        wide = max(1.0, abs(float(goal)) / 100) * 1.001 + 1e-9
        near = np.abs(pairs[:, 0] / pairs[:, 1] - float(goal)) <= wide
        reach = {Fraction(int(n), int(d)) for n, d in pairs[near].tolist()} | big
        count = len(pairs) + len(big)
    near_1 = sum(1 for v in reach if v != goal and abs(v - goal) <= 1)
    near_1pct = sum(1 for v in reach if v != goal and 100 * abs(v - goal) <= abs(goal))
    return (len(reach) if arrays is None else count), near_1, near_1pct


def class_count(game: Game, sets: list[int], target: Union[int, Fraction],
                limits: Optional[Limits] = None) -> Optional[int]:
    """Solution classes (games/classes.py), or None past MAX_CLASS_NUMBERS or for ops the classes do not cover;
    the class tables within `limits` (a fresh default budget if None)."""
    if game.size > MAX_CLASS_NUMBERS or ("-" in game.ops and "+" not in game.ops) or \
            ("/" in game.ops and "*" not in game.ops):
        return None
    counter = ClassCounter(game.distinct, game.counts, game.ops, tv=game.rules.tv, limits=limits)
    return sum(counter.count(target, s) for s in sets)


def solution_figures(game: Game, trees: Sequence[Tree], limits: Optional[Limits] = None) -> dict[str, Any]:
    """min_depth, min_numbers, needs_fractions and needs_negatives over every solution tree in `trees` (the
    deadline of `limits` checked every MEMO_STEP trees)."""
    depth: Optional[int] = None
    used: Optional[int] = None
    whole = nonnegative = False           # some solution keeps every step whole / every step at least 0
    for i, tree in enumerate(trees):
        if limits is not None and i % MEMO_STEP == 0:
            limits.check("the solutions' figures")
        d, n = nesting(tree)[0], len(leaves(tree))
        depth = d if depth is None else min(depth, d)
        used = n if used is None else min(used, n)
        steps: list[Fraction] = []
        _steps(game.distinct, tree, steps)
        whole = whole or all(v.denominator == 1 for v in steps)
        nonnegative = nonnegative or all(v >= 0 for v in steps)
    return {"min_depth": depth, "min_numbers": used, "needs_fractions": not whole,
            "needs_negatives": not nonnegative}


def _steps(values: tuple[Fraction, ...], tree: Tree, out: list[Fraction]) -> Fraction:
    """The value of `tree` (a solution: it divides by zero nowhere), appending the result of every operation."""
    if isinstance(tree, int):
        return Fraction(values[tree])
    op, left, right = tree
    a, b = _steps(values, left, out), _steps(values, right, out)
    v = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
    out.append(v)
    return v


def game_effort(game: Game, *, max_states: int = MAX_STATES, limits: Optional[Limits] = None) -> Optional[int]:
    """The states the canonical depth-first search visits before its first solution, or in all when none.

    The search is the one a careful person runs on the 24 game or Countdown. A state is the multiset of
    numbers left, kept in increasing order; at first, the puzzle's numbers. A move picks two of them, the
    pairs (i, j), i < j, by position in that order, skipping a pair of values already tried in this state;
    combines the pair a <= b as a + b, b - a, a - b, a * b, b / a, a / b, in that order, each only when the
    puzzle allows its operator (the reversed - and / only when a != b), never dividing by zero and, under
    the TV rule, never leaving the positive integers; and puts the result in the row in its place. A state
    of one number equal to the target solves the 24 rules; in Countdown, where numbers may be left out,
    so does any state whose new number (or, at the start, any number) equals the target. The count includes
    the start and the solved state. Exhausting four numbers visits at most 1 + 6 * 6 * (1 + 3 * 6 * 7) =
    4,573 states (fewer when equal numbers, zeros or the rules cut moves out).

    Takes: a `Game` with a target; `max_states` caps the count; `limits` (a fresh default budget if None) holds
    the memo of states searched and the deadline.
    Returns: the count, or None when it passes `max_states`.
    Raises: `BracketError` without a target, `TooLargeError` past the memory budget, `SolveTimeout` past the
    deadline.

    >>> game_effort(Game.of([2, 3], 1)), game_effort(Game.of([2, 3], -1)), game_effort(Game.of([2, 3], 7))
    (3, 4, 7)
    """
    from ..errors import BracketError

    if game.target is None:
        raise BracketError("the canonical search needs a target")
    start = tuple(sorted(game.numbers))
    if (start[0] == game.target and len(start) == 1) or (not game.rules.every_number and game.target in start):
        return 1
    search = _Search(game, max_states, limits if limits is not None else Limits())
    found, visited = search.visit(start)
    search.limits.release(search.reserved)
    return None if visited > max_states else visited


class _Search:
    """The canonical search, memoized by state: a state's subtree (the states visited from it, and whether a
    solution is among them) is the same wherever the state turns up, so each is searched once."""

    def __init__(self, game: Game, max_states: int, limits: Limits) -> None:
        self.target = cast(Fraction, game.target)
        self.ops, self.tv, self.every = game.ops, game.rules.tv, game.rules.every_number
        self.cap = max_states
        self.seen: dict[Row, tuple[bool, int]] = {}
        self.limits, self.reserved = limits, 0
        self.state_bytes = STATE_BYTES + STATE_NUMBER_BYTES * game.size + 2 * max(
            value_bytes(Fraction(x)) for x in game.numbers)     # (one new number a state, past the sizes of two)

    def _remember(self, state: Row, known: tuple[bool, int]) -> None:
        """Keep a state's subtree; every MEMO_STEP new states, reserve the next ones and look at the clock."""
        if not len(self.seen) % MEMO_STEP:
            self.limits.reserve(MEMO_STEP * self.state_bytes, "the canonical search")
            self.reserved += MEMO_STEP * self.state_bytes
            self.limits.check("the canonical search")
        self.seen[state] = known

    def visit(self, state: Row) -> tuple[bool, int]:
        """(solved, states visited) from `state` (not itself solved), `state` included; stops past the cap."""
        known = self.seen.get(state)
        if known is not None:
            return known
        visited = 1
        for child, made in moves(state, self.ops, self.tv):
            visited += 1
            if made == self.target and (not self.every or len(child) == 1):
                self._remember(state, (True, visited))
                return True, visited
            if len(child) > 1:
                found, n = self.visit(child)
                visited += n - 1
                if found or visited > self.cap:
                    self._remember(state, (found, visited))
                    return found, visited
        self._remember(state, (False, visited))
        return False, visited


def _pair_moves(a: Fraction, b: Fraction) -> tuple[tuple[str, Fraction, Fraction, bool], ...]:
    """(operator, left, right, reversed) of the pair a <= b in the canonical order."""
    return (("+", a, b, False), ("-", b, a, False), ("-", a, b, True), ("*", a, b, False), ("/", b, a, False),
            ("/", a, b, True))


def moves(state: Row, ops: str, tv: bool) -> Iterator[tuple[Row, Fraction]]:
    """The children of a state in the canonical order, each with the number its move made."""
    tried: set[tuple[Fraction, Fraction]] = set()
    for i in range(len(state) - 1):
        for j in range(i + 1, len(state)):
            a, b = state[i], state[j]
            if (a, b) in tried:
                continue
            tried.add((a, b))
            rest = state[:i] + state[i + 1:j] + state[j + 1:]
            for op, x, y, reversed_ in _pair_moves(a, b):
                if op not in ops or (reversed_ and a == b):
                    continue
                v = apply(op, x, y, tv)
                if v is not None:
                    yield tuple(sorted(rest + (v,))), v
