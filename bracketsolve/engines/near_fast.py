"""The numba engine's near questions: the k values of an interval nearest a bound (`near.py`'s algorithm) run by
`kernels/near.py` over a `NumbaSide`'s tables, with what leaves int64 finished here exactly.

Used while every table value fits int64. Rows the kernels log (a bound or a candidate past int64, a child's
answer kept here) are redone with Python numbers between two levels; an answer holding a value past int64 is
kept here (status BIG) and the rows that read it are logged in turn.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Iterator, Optional, cast

import numpy as np

from . import kernels as K
from . import near
from .kernels import near as N
from .near import Answer, Bound, NearQuestions, Pieces
from .reference import _exact
from .view import _fits, _pair
from ..solver.model import Value
from ..solver.symbols import OPERATORS

if TYPE_CHECKING:
    from .fast import NumbaSide
    from .questions import Questions

Key = tuple[int, int, int, int]     # a question as the kernels key it: (i * n + j, numerator, denominator, flags)
Logged = tuple[int, Bound, bool, Value, str, int, int, int, Pieces]  # a logged row, see NearStore._rows

NEAR_K = 13                     # values each near question keeps at least: a summary's 12 smallest, and one more


class NearStore:
    """Near questions with k values each over one `NumbaSide` (its count questions give the zero cases)."""

    def __init__(self, side: NumbaSide, k: int) -> None:
        self.side, self.k = side, k
        # built, bounds and the split choice of the count questions (not None: a store is made only while every
        # table value fits int64: NumbaSide._near in fast.py)
        questions = cast("Questions", side._kernel_questions())
        self.questions = questions
        self.n = n = side.expr.size
        self.nq = np.zeros((1 << 8, 6), np.int64)
        self.nr = np.zeros((1 << 8, 1 + 2 * k), np.int64)
        self.nh = np.zeros(1 << 9, np.int64)
        self.head = np.full(n * n, -1, np.int64)
        self.state = np.zeros(1, np.int64)
        self.rank = np.zeros(len(side.tn), np.int64)
        self.ranked = np.zeros(n * n, np.bool_)
        self.big: dict[int, Answer] = {}             # question -> its exact answer, when a value of it leaves int64
        self.live = self._live()
        self._held = 0                  # budget: bytes of the store reserved
        self._exact_near: Optional[NearQuestions] = None
        self._account()

    def _live(self) -> np.ndarray:
        """live[i * n + j]: LIVE when operands i..j have a defined bracketing, LIVE_NONZERO a nonzero one.

        The kernels read LIVE_NONZERO only for `0 / x`: of a divisor interval (slot i - 1 allows `/`), whose count
        of 0 the count questions hold already (`Questions` asks it for the defined counts), so no question is
        asked here; it is only worked out when some table holds 0."""
        side, n, q = self.side, self.n, self.questions
        live = np.zeros(n * n, np.int64)
        if not np.any(side.tn[:int(side.state[K.USED])] == 0):
            return live
        slots = side.expr.slots
        for i in range(n):
            for j in range(i, n):
                if q.built[i, j]:                   # a table holds what it reaches: no counts needed
                    s, e = int(side.meta[i, j, K.START]), int(side.meta[i, j, K.STOP])
                    nonzero = e - s > 1 or (e > s and side.tn[s] != 0)     # distinct values: not only 0
                    live[i * n + j] = (N.LIVE if e > s else 0) | (N.LIVE_NONZERO if nonzero else 0)
                    continue
                defined = q.defined(i, j)
                if defined:
                    divisor = i > 0 and "/" in slots[i - 1]
                    nonzero = divisor and defined > side._count_at(i, j, 0)
                    live[i * n + j] = N.LIVE | (N.LIVE_NONZERO if nonzero else 0)
        return live

    def _account(self) -> None:
        """Reserve what the store's arrays hold now (they grow by doubling inside the kernels); the deadline."""
        held = sum(a.nbytes for a in (self.nq, self.nr, self.nh, self.head, self.rank, self.ranked, self.live))
        limits = self.side.limits
        if held > self._held:
            limits.reserve(held - self._held, "this puzzle's near questions (interval, bound)")
        else:
            limits.release(self._held - held)
        self._held = held
        if not limits.fits(held):
            raise limits.memory_error(limits.reserved + held, "this puzzle's near questions (interval, bound)")
        limits.check()

    def release(self) -> None:
        """Give back what the store reserved (it is dropped)."""
        self.side.limits.release(self._held)
        self._held = 0

    # --- questions ----------------------------------------------------------------------------------------

    def near(self, i: int, j: int, v: Bound, up: bool) -> Answer:
        """The k values of operands i..j nearest `v` (None: from the end) strictly on its `up` side, nearest first."""
        side = self.side
        if self.questions.built[i, j]:
            return self._from_table(i, j, v, up)
        v, empty = near.canonical(v, up, side.bounds[0][i][j], side.bounds[1][i][j])
        if empty:
            return ()
        if v is not None and not _fits(v):
            return self._exact().near(i, j, v, up, self.k)
        key = self._key(i, j, v, up)
        q = self._find(*key)
        if q < 0 or self.nq[q, N.NS] < N.ANSWERED:
            self._run([key], j - i + 1)
            q = self._find(*key)
        return self._answer(q)

    def _key(self, i: int, j: int, v: Bound, up: bool) -> Key:
        num, den = (0, 1) if v is None else _pair(v)
        return i * self.n + j, num, den, (N.UP if up else 0) | (N.END if v is None else 0)

    def _find(self, x: int, num: int, den: int, flags: int) -> int:
        return int(N.find(self.nq, self.nh, *(np.array([c], np.int64) for c in (x, num, den, flags)))[0])

    def _answer(self, q: int) -> Answer:
        if self.nq[q, N.NS] == N.BIG:
            return self.big[q]
        row = self.nr[q].tolist()
        return tuple(a if b == 1 else Fraction(a, b) for a, b in zip(row[1:1 + 2 * row[0]:2], row[2:2 + 2 * row[0]:2]))

    def _run(self, keys: list[Key], top: int) -> None:
        """Ask questions (keys) of at most `top` operands and answer every new one: pieces asked level by level
        downwards, answered upwards; logged rows finished here between two levels."""
        side, q = self.side, self.questions
        low = side.built + 1
        if keys:
            arrays = (np.array(c, np.int64) for c in zip(*keys))
            self.nq, self.nr, self.nh = N.ask(self.nq, self.nr, self.nh, self.head, self.state, *arrays)
        level = top
        while level >= low:
            status, level, self.nq, self.nr, self.nh, log = N.down(
                level, low, self.k, side._masks, side._allowed, q.built, q.nb, q.db, side.meta, side.tn, side.td,
                self.nq, self.nr, self.nh, self.head, self.state)
            self._account()
            if status == N.OK:
                break
            self._ask_lost(log)
            level -= 1
        if len(self.rank) < len(side.tn):
            self.rank = np.concatenate([self.rank, np.zeros(len(side.tn) - len(self.rank), np.int64)])
        level = low
        while level <= top:
            status, level, log = N.up(level, top, self.k, side._masks, side._allowed, q.built, q.nb, q.db, self.live,
                                      side.meta, side.tn, side.td, self.rank, self.ranked, self.nq, self.nr, self.nh,
                                      self.head)
            if status == N.OK:
                break
            self._merge_lost(log)
            level += 1
        self._account()

    def _rows(self, log: np.ndarray) -> Iterator[Logged]:
        """(question, bound, up, split's known value, operator, side, lo, hi, pieces) of each logged row."""
        side, n = self.side, self.n
        for q, s, op, e in log.tolist():
            x, num, den, flags = (int(c) for c in self.nq[q, :4])
            i, j = divmod(x, n)
            which, lo, hi, _, _ = self.questions._split(i, j, s)
            v = None if flags & N.END else (num if den == 1 else Fraction(num, den))
            up, a, symbol = bool(flags & N.UP), side._value(e), OPERATORS[op]
            yield q, v, up, a, symbol, which, lo, hi, near.pieces(symbol, which, a, v, up)

    def _ask_lost(self, log: np.ndarray) -> None:
        """Ask the logged rows' pieces whose exact bounds fit int64 after all (the rest are answered exactly)."""
        side = self.side
        keys: list[Key] = []
        for _, _, _, _, _, _, lo, hi, found in self._rows(log):
            if self.questions.built[lo, hi] or not isinstance(found, list):
                continue
            for t, xup, _ in found:
                t, empty = near.canonical(t, xup, side.bounds[0][lo][hi], side.bounds[1][lo][hi])
                if not empty and (t is None or _fits(t)):
                    keys.append(self._key(lo, hi, t, xup))
        if keys:
            arrays = (np.array(c, np.int64) for c in zip(*keys))
            self.nq, self.nr, self.nh = N.ask(self.nq, self.nr, self.nh, self.head, self.state, *arrays)

    def _merge_lost(self, log: np.ndarray) -> None:
        """Merge the logged rows' candidates, found exactly, into their questions' answers."""
        extra: dict[int, set[Value]] = {}
        for q, v, up, a, symbol, which, lo, hi, found in self._rows(log):
            if not isinstance(found, list):                 # EVERY or NONZERO: the kernel counts those
                continue
            for t, xup, end in found:
                for x in self.near(lo, hi, t, xup):
                    if not near.short_of(x, xup, end):
                        break
                    extra.setdefault(q, set()).add(near.apply(symbol, which, a, x))
        for q, values in extra.items():
            flags = int(self.nq[q, N.NF])
            v = None if flags & N.END else _exact(Fraction(int(self.nq[q, N.NN]), int(self.nq[q, N.ND])))
            answer = near.nearest_of(values.union(self._answer(q)), v, bool(flags & N.UP), self.k)
            if all(_fits(w) for w in answer):
                self.big.pop(q, None)
                self.nq[q, N.NS] = N.ANSWERED
                self.nr[q, 0] = len(answer)
                for t, w in enumerate(answer):
                    self.nr[q, 1 + 2 * t], self.nr[q, 2 + 2 * t] = _pair(w)
            else:
                self.big[q] = answer
                self.nq[q, N.NS] = N.BIG

    def _from_table(self, i: int, j: int, v: Bound, up: bool) -> Answer:
        """The k values of tabled interval i..j nearest `v` on its `up` side (any exact v)."""
        side = self.side
        if len(self.rank) < len(side.tn):
            self.rank = np.concatenate([self.rank, np.zeros(len(side.tn) - len(self.rank), np.int64)])
        if v is None or _fits(v):
            num, den = (0, 1) if v is None else _pair(v)
            at = N.table_near(self.rank, self.ranked, side.meta, side.tn, side.td, self.n, i, j, num, den,
                              v is None, up, self.k)
            return tuple(side._value(e) for e in at.tolist())
        N.table_near(self.rank, self.ranked, side.meta, side.tn, side.td, self.n, i, j, 0, 1, True, up, 0)
        s, e = int(side.meta[i, j, K.START]), int(side.meta[i, j, K.STOP])
        lo, hi = s, e                                       # a bound past int64: bisected with Python numbers
        while lo < hi:
            mid = (lo + hi) // 2
            w = side._value(int(self.rank[mid]))
            if (w > v) if up else (w >= v):
                hi = mid
            else:
                lo = mid + 1
        at = range(lo, min(lo + self.k, e)) if up else range(lo - 1, max(lo - self.k, s) - 1, -1)
        return tuple(side._value(int(self.rank[p])) for p in at)

    def _exact(self) -> NearQuestions:
        """Python's near questions over these tables, for bounds past int64; it asks this store what fits."""
        if self._exact_near is None:
            side = self.side
            ask = lambda i, j, t, up, k: self.near(i, j, t, up) if k == self.k and (t is None or _fits(t)) else None
            tabled = lambda i, j, t, up, k: self._from_table(i, j, t, up) if k == self.k else None
            self._exact_near = NearQuestions(side._exact_side(), ask=ask, tabled=tabled)
        return self._exact_near
