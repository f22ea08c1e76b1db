"""Exact difficulty of a puzzle, computed by the oracle: solution counts and classes, the shallowest solution,
the values in reach and the near misses, and the effort of the canonical depth-first search (`effort`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Iterator, Optional, Union, cast

from ..errors import BracketError
from ..solver.forms import KIND, FormResult, wraps
from ..solver.limits import Limits, Memory, ProgressLike, limits_for
from ..solver.model import Expr, Puzzle, apply, format_value
from ..solver.solve import _within, as_puzzle, solve_within

RULES = ("brackets",)       # the games of the rules issue join here
MAX_STATES = 2_000_000      # states the canonical search may visit before `effort` is reported as None
MAX_WORK = 20_000_000       # (value, kind) pairs combined by the shallowest-solution DP (max_work= overrides it)
CELL_BYTES = 140            # budget: a cell of that DP besides its slot and value: key and (depth, pairs) tuples
CHECK_EVERY = 1 << 14       # states of the canonical search between looks at the deadline
SHALLOWEST = "this puzzle's shallowest solution"

State = tuple[list[Fraction], list[tuple[int, int]]]   # the search's row: block values and (lo, hi) spans
Cells = dict[tuple[Fraction, str], tuple[int, int]]    # (value, chain kind) -> (least depth, fewest pairs)


@dataclass(frozen=True)
class Difficulty:
    """What makes one puzzle hard, exactly (definitions in docs/evaluating.md, "Difficulty").

    `total` bracketings, of which `solutions` make the equation true, in `classes` classes up to regrouping,
    and `undefined` divide by zero; `values` distinct values are reachable; `min_depth` and `min_pairs` are
    the least nesting depth and the fewest bracket pairs of any solution (None without one); `near_1` and
    `near_1pct` count the reachable values other than the target within 1 of it, and within 1% of |target|;
    `effort` is the number of states the canonical search visits (see `effort()`), None past its cap.
    """

    rules: str
    total: int
    solutions: int
    classes: int
    undefined: int
    values: int
    min_depth: Optional[int]
    min_pairs: Optional[int]
    near_1: int
    near_1pct: int
    effort: Optional[int]

    @property
    def fraction(self) -> Fraction:
        """The share of bracketings that work."""
        return Fraction(self.solutions, self.total)

    def as_dict(self) -> dict[str, Any]:
        """The fields as JSON-able values, with `fraction` as text ("1/14")."""
        out = asdict(self)
        out["fraction"] = format_value(self.fraction)
        return out


def difficulty(puzzle: Union[str, Puzzle], *, target: object = None, ops: Optional[str] = None, rules: str = "brackets",
               max_states: int = MAX_STATES, max_memory: Memory = None, max_work: Optional[int] = None,
               timeout: Optional[float] = None, progress: ProgressLike = False) -> Difficulty:
    """The exact difficulty of a puzzle with one free side and a target.

    Takes: puzzle text or a `Puzzle` (`target`, `ops` as in `solve`); `rules` (only "brackets" for now);
    `max_states`, the cap on the canonical search; the budget of `solve` (`max_memory`, `max_work`, `timeout`,
    `progress`), spent once over everything it computes: the value tables, the class tables, the
    shallowest-solution DP (`max_work` caps each of them) and the search (the deadline).
    Returns: a `Difficulty`.
    Raises: `ParseError` for bad text, `BracketError` without a single target number or for unknown rules,
    `TooLargeError` past a cap or the budget, `SolveTimeout` past `timeout`.

    >>> d = difficulty("8 + 28 / 4 - 2 * 3 = 6")
    >>> d.solutions, d.classes, d.total, d.min_depth, d.min_pairs, d.values, d.effort
    (1, 1, 14, 2, 3, 12, 12)
    >>> d.as_dict()["fraction"]
    '1/14'
    """
    if rules not in RULES:
        raise BracketError(f"rules must be one of {', '.join(RULES)}, not {rules!r}")
    puzzle = as_puzzle(puzzle, target=target, ops=ops)
    if puzzle.target is None:
        raise BracketError("difficulty needs an equation whose right side is one number: give a target "
                           "(target= in Python, --target on the command line)")
    goal = puzzle.target
    limits = limits_for(max_memory, max_work, timeout, progress)
    with _within(limits):
        result = cast(FormResult, solve_within(puzzle, limits, distinct="form"))     # (no classes without a solution)
        reach = result.values()
        depth, pairs = shallowest(puzzle.left, goal, limits=limits)
        states = effort(puzzle.left, goal, max_states=max_states, limits=limits)
    return Difficulty(rules="brackets", total=result.total, solutions=result.count_all, classes=result.count,
                      undefined=result.undefined, values=len(reach), min_depth=depth, min_pairs=pairs,
                      near_1=sum(1 for v in reach if v != goal and abs(v - goal) <= 1),
                      near_1pct=sum(1 for v in reach if v != goal and 100 * abs(v - goal) <= abs(goal)),
                      effort=states)


def effort(expr: Expr, target: Fraction, *, max_states: int = MAX_STATES,
           limits: Optional[Limits] = None) -> Optional[int]:
    """The states the canonical depth-first search visits before its first solution, or in all when none.

    The search keeps a row of blocks (at first, the operands) and makes one move at a time: combine two
    neighbouring blocks with the operator between them. It tries the moves left to right (the operators
    of a `?` slot in the order + - * /), never makes a move that divides by zero or cuts a fixed group,
    and, after a move at position j, makes only moves at positions j - 1 or later: a move further left
    does not touch the new block and was tried before it, so each bracketing is reached exactly once.
    A state is a row of blocks; the count includes the start and the solved state. Exhausting the search
    of n operands (no `?`, no division by zero) visits the n-th Catalan number of states (132 for six).

    Takes: one side of a puzzle and the target; `max_states` caps the search; `limits`, a deadline (checked
    every CHECK_EVERY states; the search holds one row per block, nothing that grows).
    Returns: the count, or None when it passes `max_states`.
    Raises: `SolveTimeout` past the deadline of `limits`.

    >>> from bracketsolve import parse
    >>> effort(parse("1 + 2 + 3").left, 6), effort(parse("1 + 2 + 3").left, 7)
    (3, 5)
    """
    allowed = expr.allowed()
    visited = 0
    # a frame: (values of the blocks, (lo, hi) of each block, position of the last move, next move to try)
    start: State = (list(expr.numbers), [(i, i) for i in range(expr.size)])
    stack = [(start, 0, _moves(expr, allowed, start, 0))]
    visited += 1
    if expr.size == 1:
        return visited
    while stack:
        state, last, moves = stack[-1]
        move = next(moves, None)
        if move is None:
            stack.pop()
            continue
        child, j = move
        visited += 1
        if visited > max_states:
            return None
        if limits is not None and not visited % CHECK_EVERY:
            limits.check("the canonical search")
        if len(child[0]) == 1:
            if child[0][0] == target:
                return visited
            continue
        stack.append((child, j, _moves(expr, allowed, child, j)))
    return visited


def _moves(expr: Expr, allowed: list[list[bool]], state: State, last: int) -> Iterator[tuple[State, int]]:
    """The children of a state, in the search's order, each with the position of its move."""
    values, spans = state
    for j in range(max(0, last - 1), len(values) - 1):
        lo, hi = spans[j][0], spans[j + 1][1]
        if not allowed[lo][hi]:
            continue
        for op in expr.slots[spans[j][1]]:
            v = apply(op, values[j], values[j + 1])
            if v is not None:
                yield (values[:j] + [v] + values[j + 2:], spans[:j] + [(lo, hi)] + spans[j + 2:]), j


def shallowest(expr: Expr, target: Fraction, *, max_work: int = MAX_WORK,
               limits: Optional[Limits] = None) -> tuple[Optional[int], Optional[int]]:
    """(least nesting depth, fewest bracket pairs) over the bracketings equal to `target`, (None, None)
    when none is; depth and pairs are those of the rendering with the fewest parentheses (model.depth).

    A DP over intervals keyed by (value, chain kind): depth is the larger of the two sides', each plus one
    when wrapped, so the two minima are found independently. Its tables are reserved in `limits` (a fresh
    default budget if None) before they grow, and its work is capped by `limits.work_cap(max_work)`.
    Raises `TooLargeError` past the cap or the budget, `SolveTimeout` past its deadline.
    """
    limits = limits if limits is not None else Limits()
    n = expr.size
    allowed = expr.allowed()
    table = cast(list[list[Cells]], [[None] * n for _ in range(n)])     # every i <= j is set below
    for i, x in enumerate(expr.numbers):
        table[i][i] = {(Fraction(x), "#"): (0, 0)}
    work, cap = 0, limits.work_cap(max_work)
    reserved = limits.reserved
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            out: Cells = {}
            table[i][j] = out
            if not allowed[i][j]:
                continue
            for k in range(i, j):
                left, right = table[i][k], table[k + 1][j]
                work += len(left) * len(right) * len(expr.slots[k])
                if work > cap:
                    raise limits.work_error(work, cap, SHALLOWEST)
                for op in expr.slots[k]:
                    _cells(limits, op, left, right, out)
    found = [dp for (v, _), dp in table[0][n - 1].items() if v == target]
    limits.release(limits.reserved - reserved)          # the tables go
    if not found:
        return None, None
    return min(d for d, _ in found), min(p for _, p in found)


def _cells(limits: Limits, op: str, left: Cells, right: Cells, out: Cells) -> None:
    """Add `left op right` to `out`, in chunks of `left` whose all-new results would fit the budget."""
    from ..engines.reference import SLOT_BYTES, value_bytes

    rows, cols = list(left.items()), list(right.items())
    if not rows or not cols:
        return
    kind = KIND[op]
    each = CELL_BYTES + max(value_bytes(v) for (v, _), _ in rows[-8:]) + max(value_bytes(v) for (v, _), _ in cols[-8:])
    for chunk in limits.chunks(len(rows), (SLOT_BYTES + each) * len(cols), SHALLOWEST,
                               most=max(1, (1 << 16) // len(cols))):
        before = len(out)
        for (a, ka), (da, pa) in rows[chunk.start:chunk.stop]:
            wl = wraps(op, ka, False)
            for (b, kb), (db, pb) in cols:
                v = apply(op, a, b)
                if v is None:
                    continue
                wr = wraps(op, kb, True)
                d, p = max(da + wl, db + wr), pa + pb + wl + wr
                old = out.get((v, kind))
                out[(v, kind)] = (d, p) if old is None else (min(d, old[0]), min(p, old[1]))
        limits.reserve((len(out) - before) * (SLOT_BYTES + each), SHALLOWEST)
