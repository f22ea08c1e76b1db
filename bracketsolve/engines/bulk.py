"""The bulk engine: many small one-target puzzles through one reading and one solving kernel call.

`Batch` packs puzzles (plain text lines read by a kernel, or `Puzzle`s packed here) into flat arrays;
`Batch.solve()` runs the interval DP of them all and says, per puzzle, whether the kernel did it.
"""

from __future__ import annotations

import os
import time
from fractions import Fraction
from typing import Optional, Sequence, cast

import numpy as np

from .kernels import bulk as KB
from .kernels import lines as KL
from .kernels.arith import INT64_MAX
from ..solver.many import MAX_SHAPES, MAX_TOTAL
from ..solver.model import Expr, Puzzle, Tree
from ..solver.parser import MAX_TEXT
from ..solver.symbols import OPERATORS

Code = tuple[tuple[int, ...], tuple[int, ...]]   # a bracketing, compact: (slot operators, slots in preorder)
Record = tuple[Fraction, int, str, Code]  # (value, count, rendering, code) of a listed bracketing

SOLVED, TOO_BIG, OVERFLOWED = KB.SOLVED, KB.TOO_BIG, KB.OVERFLOWED
PLAIN, OTHER, NO_EQUALS = KL.PLAIN, KL.OTHER, KL.NO_EQUALS
_FIELDS = ("num", "den", "lit0", "lit1", "mask", "glyph")        # per operand row
_SLOTS = {m: "".join(op for i, op in enumerate(OPERATORS) if m >> i & 1) for m in range(16)}   # 15 -> "+-*/"
_GROUPS = ("glo", "ghi")                                         # per fixed-group row


def fits(x: Fraction) -> bool:
    """True when `x` is a pair of int64s the kernels take."""
    return abs(x.numerator) <= INT64_MAX and x.denominator <= INT64_MAX


def mask_of(ops: str) -> int:
    """The kernels' operator mask of a slot: bit 1 << code per operator ("+-*/" -> 15)."""
    return sum(1 << OPERATORS.index(op) for op in ops)


class Batch:
    """Puzzles as flat arrays for the kernels: `read(texts)` for text lines, then `add(puzzle)` for any
    `Puzzle`; `solve()` runs them all. Puzzle numbers are positions in the order they came in.
    """

    def __init__(self) -> None:
        self.count = 0
        self.text = np.zeros(0, np.uint8)
        self.size = np.zeros(0, np.int64)
        self.first = np.zeros(0, np.int64)
        self.gfirst = np.zeros(0, np.int64)
        self.gcount = np.zeros(0, np.int64)
        self.tnum = np.zeros(0, np.int64)
        self.tden = np.ones(0, np.int64)
        for name in _FIELDS + _GROUPS:
            setattr(self, name, np.zeros(0, np.int64))
        self._extra: list[Puzzle] = []                  # puzzles added one by one: (puzzle, target), packed on solve()

    def read(self, texts: Sequence[str]) -> np.ndarray:
        """Read text lines in one kernel call; returns each line's kind (PLAIN, NO_EQUALS, or OTHER: not
        read, for the full parser). Lines become puzzles 0..len(texts)-1; call once, first."""
        encoded = [t.encode("utf-8", "surrogatepass") if len(t) <= MAX_TEXT else b"\n" for t in texts]
        lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
        stops = np.cumsum(lengths)
        starts = stops - lengths
        self.text = np.frombuffer(b"".join(encoded), np.uint8)
        (kind, self.size, self.first, self.num, self.den, self.lit0, self.lit1, self.mask, self.glyph, self._wop,
         self._wpre, self.gfirst, self.gcount, self.glo, self.ghi, self.tnum, self.tden, self._right) = \
            KL.read(self.text, starts, stops)
        self.count = len(texts)
        self._kinds = cast(np.ndarray, kind)
        return self._kinds

    def puzzle(self, p: int, text: str) -> Puzzle:
        """Line p as `parse(text)` gives it, built from what the reader found (p read PLAIN or NO_EQUALS)."""
        f, n = int(self.first[p]), int(self.size[p])
        at = int(self.lit0[f])
        raw = self.text[at:int(self.lit1[f + n - 1])].tobytes()
        literals = tuple(raw[a - at:b - at].decode("ascii") for a, b in zip(self.lit0[f:f + n].tolist(),
                                                                          self.lit1[f:f + n].tolist()))
        numbers = tuple(map(Fraction, self.num[f:f + n].tolist(), self.den[f:f + n].tolist()))
        masks = self.mask[f:f + n - 1].tolist()
        slots = tuple(_SLOTS[m] for m in masks)
        glyphs = tuple("?" if g < 0 else chr(raw[g - at]) for g in self.glyph[f:f + n - 1].tolist())
        g0, gn = int(self.gfirst[p]), int(self.gcount[p])
        groups = tuple(sorted(set(zip(self.glo[g0:g0 + gn].tolist(), self.ghi[g0:g0 + gn].tolist())) - {(0, n - 1)}))
        written = tree((self._wop[f:f + n - 1].tolist(), self._wpre[f:f + n - 1].tolist())) if n > 1 else 0
        left = Expr(numbers, slots, glyphs, literals, groups, written)
        if self._kinds[p] == NO_EQUALS:
            return Puzzle((left,), text)
        a, b, c, d = self._right[p].tolist()
        literal = self.text[a:b].tobytes().decode("ascii") + ("" if c < 0 else "/" + self.text[c:d].tobytes().decode())
        target = Fraction(int(self.tnum[p]), int(self.tden[p]))
        return Puzzle((left, Expr((target,), (), (), (literal,))), text)

    def narrow(self, ops_mask: int) -> None:
        """Narrow every `?` slot of the puzzles read from text to the operators of `ops_mask`."""
        self.mask[self.glyph < 0] = ops_mask        # also rows no puzzle's slot uses, which is harmless

    def retarget(self, which: list[int], target: Fraction) -> None:
        """Give the puzzles `which` (read from text) the target `target` (which fits int64)."""
        self.tnum[which] = target.numerator
        self.tden[which] = target.denominator

    @staticmethod
    def takes(puzzle: Puzzle) -> bool:
        """Can the kernels take this (parsed) puzzle: one side and a target, every number within int64?"""
        target = puzzle.target
        side = puzzle.left
        return (target is not None and len(puzzle.sides) == 2 and side.size <= KL.MAX_OPERANDS and fits(target)
                and all(fits(x) for x in side.numbers) and all(len(g) == 1 for g in side.glyphs))

    def add(self, puzzle: Puzzle) -> int:
        """Add a puzzle that `takes()` accepts; returns its number."""
        self._extra.append(puzzle)
        self.count += 1
        return self.count - 1

    def _pack(self) -> None:
        """Append the added puzzles to the arrays."""
        if not self._extra:
            return
        rows: dict[str, list[int]] = {name: [] for name in _FIELDS + _GROUPS}
        size: list[int] = []
        first: list[int] = []
        gfirst: list[int] = []
        gcount: list[int] = []
        tnum: list[int] = []
        tden: list[int] = []
        chunks: list[bytes] = []
        at = len(self.text)
        e, g = len(self.num), len(self.glo)
        for puzzle in self._extra:
            side = puzzle.left
            size.append(side.size)
            first.append(e)
            gfirst.append(g)
            gcount.append(len(side.groups))
            target = cast(Fraction, puzzle.target)         # `takes()` accepted it: it has one
            tnum.append(target.numerator)
            tden.append(target.denominator)
            for i, x in enumerate(side.numbers):
                literal = side.literals[i].encode("utf-8", "surrogatepass")
                rows["num"].append(x.numerator)
                rows["den"].append(x.denominator)
                rows["lit0"].append(at)
                rows["lit1"].append(at + len(literal))
                chunks.append(literal)
                at += len(literal)
                if i < side.size - 1:
                    rows["mask"].append(mask_of(side.slots[i]))
                    fixed = len(side.slots[i]) == 1 and side.glyphs[i] != "?"
                    if fixed:
                        glyph = side.glyphs[i].encode("utf-8", "surrogatepass")
                        chunks.append(glyph)
                        rows["glyph"].append(at)
                        at += len(glyph)
                    else:
                        rows["glyph"].append(-1)
                else:
                    rows["mask"].append(0)
                    rows["glyph"].append(-1)
            for lo, hi in side.groups:
                rows["glo"].append(lo)
                rows["ghi"].append(hi)
            e += side.size
            g += len(side.groups)
        self.text = np.concatenate([self.text, np.frombuffer(b"".join(chunks), np.uint8)])
        for name, values in rows.items():
            setattr(self, name, np.concatenate([getattr(self, name), np.array(values, np.int64)]))
        for name, values in (("size", size), ("first", first), ("gfirst", gfirst), ("gcount", gcount),
                             ("tnum", tnum), ("tden", tden)):
            setattr(self, name, np.concatenate([getattr(self, name), np.array(values, np.int64)]))
        self._extra = []

    def solve(self, todo: Sequence[int], listed: int = 1, near: int = 0, shown: int = 12, max_total: int = MAX_TOTAL,
              max_bytes: int = 1 << 62, max_shapes: int = MAX_SHAPES) -> "Solved":
        """Solve the puzzles numbered in `todo` in one kernel call: count, and render the first `listed`
        solutions; for a puzzle with none, its `shown` smallest values and `near` nearest on each side. A puzzle
        of more than `max_total` bracketings or `max_shapes` tree shapes, or whose tables would hold more than
        `max_bytes`, is not answered (status TOO_BIG)."""
        self._pack()
        which = np.asarray(todo, np.int64)
        out = KB.solve(which, self.size, self.first, self.num, self.den, self.mask, self.glyph, self.gfirst,
                       self.gcount, self.glo, self.ghi, self.tnum, self.tden, self.text, self.lit0, self.lit1,
                       max_total, listed, near, shown, max_bytes, max_shapes)
        return Solved(self, *out)


class Solved:
    """The kernel's answers for a `Batch`, as lists over puzzle numbers: `status`, `count`, `total`, `defined`,
    `work` and `rootwork` (value pairs below the whole side, and for the whole side's table) (ints), `first` (the first solution rendered, or None); per puzzle, `records(p)` (its solutions, or
    the values near its target, each with a bracketing) and `smallest(p)` (its smallest values)."""

    def __init__(self, batch: Batch, status: np.ndarray, count: np.ndarray, total: np.ndarray, defined: np.ndarray,
                 work: np.ndarray, rootwork: np.ndarray, distinct: np.ndarray, vfirst: np.ndarray, vcount: np.ndarray,
                 vn: np.ndarray, vd: np.ndarray, rfirst: np.ndarray, rsolutions: np.ndarray, rnear: np.ndarray,
                 rn: np.ndarray, rd: np.ndarray, rc: np.ndarray, r0: np.ndarray, r1: np.ndarray, rcode: np.ndarray,
                 codes: np.ndarray, out: np.ndarray) -> None:           # the kernel's arrays, in its order
        self.batch = batch
        self.status, self.count = status.tolist(), count.tolist()
        self.work, self.rootwork = work.tolist(), rootwork.tolist()     # value pairs, as the reference counts
        self.total, self.defined, self.distinct = total.tolist(), defined.tolist(), distinct.tolist()
        self._values = vfirst.tolist(), vcount.tolist(), vn.tolist(), vd.tolist()
        self._records = rfirst.tolist(), rsolutions.tolist(), rnear.tolist()
        self._rows = rn.tolist(), rd.tolist(), rc.tolist(), rcode.tolist()
        self._codes = codes
        raw = out.tobytes()
        if raw.isascii():
            whole = raw.decode("ascii")
            self._texts = [whole[a:b] for a, b in zip(r0.tolist(), r1.tolist())]
        else:
            self._texts = [raw[a:b].decode("utf-8", "surrogatepass") for a, b in zip(r0.tolist(), r1.tolist())]
        firsts, solutions, _ = self._records
        self.first = [self._texts[r] if s else None for r, s in zip(firsts, solutions)]

    def code(self, p: int, r: Optional[int] = None) -> Optional[Code]:
        """Record r's bracketing (puzzle p's first solution by default) as (slot operators, slots in
        preorder), compact; None when puzzle p has no solution."""
        if r is None:
            if not self._records[1][p]:
                return None
            r = self._records[0][p]
        at, n = self._rows[3][r], int(self.batch.size[p]) - 1
        return tuple(self._codes[at:at + n].tolist()), tuple(self._codes[at + n:at + 2 * n].tolist())

    def records(self, p: int) -> tuple[list[Record], list[Record]]:
        """(solutions, near): puzzle p's records as (value, count, text, code) tuples; the solutions first
        in the reference's order, or, when it has none, the values nearest its target in increasing order."""
        first, solutions, near = (column[p] for column in self._records)
        rn, rd, rc, _ = self._rows
        rows = [(Fraction(rn[r], rd[r]), rc[r], self._texts[r], cast(Code, self.code(p, r)))     # r given: a code
                for r in range(first, first + solutions + near)]
        return rows[:solutions], rows[solutions:]

    def smallest(self, p: int) -> list[Fraction]:
        """Puzzle p's smallest values, in increasing order (when they were asked for)."""
        first, count, vn, vd = self._values
        return [Fraction(vn[v], vd[v]) for v in range(first[p], first[p] + count[p])]


def tree(code: Code) -> Tree:
    """The tree of a first solution from its compact code: `tree(((0,), (0,)))` is ("+", 0, 1)."""
    ops, order = code
    steps = iter(order)

    def build(lo: int, hi: int) -> Tree:
        if lo == hi:
            return lo
        k = next(steps)
        left = build(lo, k)
        return (OPERATORS[ops[k]], left, build(k + 1, hi))

    return build(0, len(ops))


def compiled() -> bool:
    """True when the bulk kernels need no compiling: compiled in this process, or found in numba's cache."""
    for kernel in (KL.read, KB.solve):
        if getattr(kernel, "overloads", None):
            continue
        cache = getattr(kernel, "_cache", None)
        if cache is None:           # NUMBA_DISABLE_JIT: nothing to compile
            continue
        index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
        if index is None or not os.path.exists(index):
            return False
    return True


def warmup() -> str:
    """Compile the bulk kernels now (or load them from numba's cache); returns a line saying how long it took."""
    start = time.perf_counter()
    batch = Batch()
    batch.read(["8 + 28 / 4 - 2 * 3 = 6"])
    batch.solve([0], listed=2, near=1, shown=1)
    return f"bulk kernels ready in {time.perf_counter() - start:.2f} s"
