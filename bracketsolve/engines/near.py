"""Nearest values without the whole side's table: (interval, bound, direction) questions pushed down the splits.

`near(i, j, v, up, k)` is the k values of operands i..j nearest `v` strictly above it (`up`) or below it, nearest
first; `v` None stands for -inf above and +inf below (the k smallest, the k largest). Over a split, for a value a
of the enumerated child, `a op x` is strictly monotone in x on at most two pieces (x < 0 and x > 0 for a / x),
so each piece asks one such question of the other child, and the k nearest of all candidates are the answer.
Tables answer from their values sorted once. The pure-Python specification (`PythonSide` runs it); the fast
engine runs the same questions in `kernels/near.py`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from heapq import nlargest, nsmallest
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Union

from . import plan
from ..solver.model import Value

if TYPE_CHECKING:
    from .reference import PythonSide

Bound = Optional[Value]                 # a near question's bound, like Fraction(7, 2); None: from the end
Piece = tuple[Bound, bool, Optional[int]]   # (t, xup, end) of `pieces`, like (Fraction(1, 2), True, 0)
Pieces = Union[list[Piece], str]        # the pieces, or EVERY / NONZERO
Question = tuple[int, int, Bound, bool, int]    # (i, j, t, up, k), like (0, 3, 24, True, 13)
Answer = tuple[Value, ...]              # a near question's values, nearest first, like (25, 26, Fraction(80, 3))
Asker = Callable[[int, int, Bound, bool, int], Optional[Answer]]    # answers a question first, or None

EVERY, NONZERO = "every", "nonzero"     # the value 0 for every defined partner x, or every nonzero one
NEAR_BYTES = 240                        # budget: a remembered near question (key, tuple of up to k values, slot)
_STEP = 1024                            # near questions remembered between two reservations (and deadline checks)


def _exact(v: Value) -> Value:
    if type(v) is Fraction and v.denominator == 1:
        return v.numerator
    return v


def beyond(w: Value, v: Bound, up: bool) -> bool:
    """Is `w` strictly on the `up` side of `v` (None: every w is)?"""
    return v is None or (w > v if up else w < v)


def apply(op: str, side: int, a: Value, x: Value) -> Value:
    """`a op x` (side 0) or `x op a` (side 1); x is never a zero divisor here."""
    l, r = (a, x) if side == 0 else (x, a)
    if op == "+":
        return l + r
    if op == "-":
        return l - r
    if op == "*":
        return l * r
    return _exact(Fraction(l) / r)


def pieces(op: str, side: int, a: Value, v: Bound, up: bool) -> Pieces:
    """Where the values `a op x` (side 0) or `x op a` (side 1) nearest `v` on its `up` side come from.

    A list of (t, xup, end): the x nearest `t` on their `xup` side (t None: from that end), kept while strictly
    short of `end` (None: no end); or EVERY / NONZERO when `a op x` is 0 for every defined x (nonzero x).
    """
    if v is not None:
        v = Fraction(v)
    if op == "+":
        return [(None if v is None else _exact(v - a), up, None)]
    if op == "-":
        if side == 0:
            return [(None if v is None else _exact(a - v), not up, None)]
        return [(None if v is None else _exact(v + a), up, None)]
    if op == "*":
        if a == 0:
            return EVERY
        return [(None if v is None else _exact(v / a), up == (a > 0), None)]
    if side == 1:                                   # x / a
        if a == 0:
            return []
        return [(None if v is None else _exact(v * a), up == (a > 0), None)]
    if a == 0:                                      # 0 / x
        return NONZERO
    xup = up == (a < 0)                             # a / x decreases in x on each side of 0 when a > 0
    out: list[Piece] = []
    for sign in (-1, 1):                            # the pieces x < 0 and x > 0
        positive = (sign > 0) == (a > 0)            # the sign of a / x there
        t: Bound
        if v is None or (positive and v <= 0 and up) or (not positive and v >= 0 and not up):
            t = None if xup == (sign < 0) else 0    # every x of the piece: from its end
        elif (positive and v <= 0) or (not positive and v >= 0):
            continue                                # no x of the piece
        else:
            t = _exact(a / v)
        end = 0 if xup == (sign < 0) else None
        out.append((t, xup, end))
    return out


def short_of(x: Value, xup: bool, end: Optional[int]) -> bool:
    """Is `x` strictly short of `end` when moving `xup`?"""
    return end is None or (x < end if xup else x > end)


def canonical(t: Bound, up: bool, nb: int, db: int) -> tuple[Bound, bool]:
    """(t', empty): a bound with the same answer for an interval whose values have |numerator| <= nb and
    denominator <= db: past the magnitude bound, t is an end (t' None), or nothing lies beyond it (empty)."""
    if db == 0:
        return None, True                           # no defined value at all
    if t is None or nb >= plan.OPEN:
        return t, False
    if (t < -nb) if up else (t > nb):
        return None, False
    return t, (t >= nb) if up else (t <= -nb)


def nearest_of(values: Iterable[Value], v: Bound, up: bool, k: int) -> Answer:
    """The k values of a collection nearest `v` strictly on its `up` side, nearest first."""
    if up:
        return tuple(nsmallest(k, (w for w in values if beyond(w, v, True))))
    return tuple(nlargest(k, (w for w in values if beyond(w, v, False))))


def keep(best: list[Value], w: Value, v: Bound, up: bool, k: int) -> bool:
    """Add `w` to `best` (increasing: the k values nearest `v` on its `up` side seen so far) when it is one of
    them; False when it is not (nor is anything further from v)."""
    if not beyond(w, v, up):
        return True
    at = bisect_left(best, w)
    if at < len(best) and best[at] == w:
        return True
    if len(best) == k and (at == k if up else at == 0):
        return False
    best.insert(at, w)
    if len(best) > k:
        best.pop() if up else best.pop(0)
    return True


class NearQuestions:
    """Near questions over one `reference.PythonSide` (its tables, splits, counts and budget).

    `ask(i, j, t, up, k)` may answer an untabled interval's question first, `tabled(i, j, t, up, k)` a tabled
    one's (None when it cannot): the fast engine's exact path for bounds past int64.
    """

    def __init__(self, side: PythonSide, ask: Optional[Asker] = None, tabled: Optional[Asker] = None) -> None:
        self.side, self.ask, self.tabled = side, ask, tabled
        self.memo: dict[Question, Answer] = {}
        self.ordered: dict[tuple[int, int], list[Value]] = {}         # (i, j) -> the tabled interval's values, sorted

    def near(self, i: int, j: int, v: Bound, up: bool, k: int) -> Answer:
        """The k values of operands i..j nearest `v` strictly on its `up` side, nearest first."""
        side = self.side
        bounds = side.bounds
        t, empty = canonical(v, up, bounds[0][i][j], bounds[1][i][j])
        if empty or k <= 0:
            return ()
        table = side.table[i][j]
        if table is not None:
            found = self.tabled(i, j, t, up, k) if self.tabled is not None else None
            return self._from_table(i, j, table, t, up, k) if found is None else found
        key: Question = (i, j, t, up, k)
        found = self.memo.get(key)
        if found is None and self.ask is not None:
            found = self.ask(i, j, t, up, k)
        if found is not None:
            return found
        best: list[Value] = []                      # the k nearest candidates so far, increasing
        if side.allowed[i][j]:
            for s, which, known, lo, hi in side._splits(i, j):
                for op in side.expr.slots[s]:
                    for a in known:
                        self._candidates(op, which, a, t, up, k, lo, hi, best)
        found = tuple(best) if up else tuple(best[::-1])
        self._remember(key, found)
        return found

    def _candidates(self, op: str, which: int, a: Value, t: Bound, up: bool, k: int, lo: int, hi: int,
                    best: list[Value]) -> None:
        """Keep in `best` the values `a op x` (x of lo..hi) among the k nearest `t` on its `up` side: per piece,
        its x nearest first give `a op x` nearest first, so the first one not kept ends the piece."""
        found = pieces(op, which, a, t, up)
        if isinstance(found, str):                  # EVERY or NONZERO
            side = self.side
            if beyond(0, t, up) and (side._count_defined(lo, hi) if found == EVERY else
                                     side._count_not(lo, hi, (0,))):
                keep(best, 0, t, up, k)
            return
        for x0, xup, end in found:
            for x in self.near(lo, hi, x0, xup, k):
                if not short_of(x, xup, end) or not keep(best, apply(op, which, a, x), t, up, k):
                    break

    def _from_table(self, i: int, j: int, table: Iterable[Value], t: Bound, up: bool, k: int) -> Answer:
        values = self.ordered.get((i, j))
        if values is None:
            values = self.ordered[i, j] = sorted(table)
        if up:
            at = 0 if t is None else bisect_right(values, t)
            return tuple(values[at:at + k])
        at = len(values) if t is None else bisect_left(values, t)
        return tuple(values[max(0, at - k):at][::-1])

    def _remember(self, key: Question, found: Answer) -> None:
        limits = self.side.limits
        if len(self.memo) % _STEP == 0:                 # budget: the memo grows in steps, each reserved first
            limits.reserve(_STEP * NEAR_BYTES, "this puzzle's near questions (interval, bound)")
            limits.check()
        self.memo[key] = found


def nearest(side: PythonSide, target: Value, k: int) -> list[tuple[Fraction, int]]:
    """(value, count) of up to `k` values of the whole side just below `target` and `k` just above, increasing."""
    n = side.expr.size
    near = side._near_questions()
    below = near.near(0, n - 1, target, False, k)
    above = near.near(0, n - 1, target, True, k)
    return [(Fraction(v), side.count(v)) for v in below[::-1] + above]


def ends(side: PythonSide, k: int, up: bool) -> list[Fraction]:
    """The k smallest values of the whole side (`up`), or the k largest, nearest the end first, as Fractions."""
    n = side.expr.size
    return [Fraction(v) for v in side._near_questions().near(0, n - 1, None, up, k)]
