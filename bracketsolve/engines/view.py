"""Reading the numba engines' tables: values as int64 pairs, a table as a read-only mapping value -> count, and
their storage arrays grown (`_grown`)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from heapq import merge, nlargest, nsmallest
from math import isfinite
from typing import TYPE_CHECKING, Iterator

import numpy as np

from . import kernels as K
from .reference import _exact
from ..solver.model import Value

if TYPE_CHECKING:
    from .fast import NumbaSide


def _fits(v: Value) -> bool:
    """True when `v` (an int or Fraction) is a pair of int64s the kernels keep."""
    x = Fraction(v)
    return abs(x.numerator) <= K.INT64_MAX and x.denominator <= K.INT64_MAX


def _grown(a: np.ndarray, size: int, used: int) -> np.ndarray:
    """`a`'s first `used` rows in a new array of `size` rows (the rest unset)."""
    out = np.empty((size,) + a.shape[1:], a.dtype)
    out[:used] = a[:used]
    return out


def _pair(v: Value) -> tuple[int, int]:
    x = Fraction(v)
    return x.numerator, x.denominator


class _Table(Mapping[Value, int]):
    """Interval i..j's table as a read-only mapping value -> count: the kernel's arrays plus the big part.

    Nothing is converted to Python objects until it is read; `len()` and lookups cost no conversion.
    """

    _CHUNK = 1 << 16

    def __init__(self, side: NumbaSide, i: int, j: int) -> None:
        self._side, self._i, self._j = side, i, j
        self._bounds = tuple(int(side.meta[i, j, f]) for f in (K.START, K.NINT, K.STOP))
        self._only_big: dict[Value, int] = {v: c for v, c in side.big[i][j].items() if not side._kernel_count(i, j, v)}
        self._also_big: dict[Value, int] = {v: c for v, c in side.big[i][j].items() if v not in self._only_big}

    def __len__(self) -> int:
        return self._bounds[2] - self._bounds[0] + len(self._only_big)

    def __getitem__(self, v: object) -> int:
        if isinstance(v, float) and isfinite(v):
            v = _exact(Fraction(v))         # a dict finds 0.5 under Fraction(1, 2): so does this table
        if not isinstance(v, (int, Fraction)):
            raise KeyError(v)
        count: int = self._side._lookup(self._i, self._j, v)
        if not count:
            raise KeyError(v)
        return count

    def __iter__(self) -> Iterator[Value]:
        for v, _ in self.items():
            yield v

    def items(self) -> Iterator[tuple[Value, int]]:  # type: ignore[override]  # streamed, not a view
        side, also = self._side, self._also_big
        start, integers, stop = self._bounds
        for lo in range(start, stop, self._CHUNK):
            hi = min(lo + self._CHUNK, stop)
            counts = side._residues.column(side.tc0[lo:hi], side.tcx[lo:hi])
            cut = min(max(integers, lo), hi)
            keys = side.tn[lo:cut].tolist() + list(map(Fraction, side.tn[cut:hi].tolist(), side.td[cut:hi].tolist()))
            if also:
                counts = [c + also.get(v, 0) for v, c in zip(keys, counts)]
            yield from zip(keys, counts)
        yield from self._only_big.items()

    def values(self) -> Iterator[int]:  # type: ignore[override]  # streamed, not a view
        for _, c in self.items():
            yield c

    def nearest(self, t: Value, k: int) -> list[tuple[Fraction, int]]:
        """(Fraction, count) of up to k values just below t and k just above, increasing."""
        side = self._side
        start, _, stop = self._bounds
        if _fits(t):
            below, above = K.nearest(side.tn, side.td, start, stop, *_pair(t), k)
            kernel = [side._value(e) for e in below.tolist()] + [side._value(e) for e in above.tolist()]
        else:
            kernel = [side._value(e) for e in range(start, stop)]
        values = kernel + list(self._only_big)
        below = nlargest(k, (v for v in values if v < t))
        above = nsmallest(k, (v for v in values if v > t))
        return [(Fraction(v), self[v]) for v in below[::-1] + above]

    def smallest(self, k: int) -> list[Fraction]:
        """The k smallest values, increasing, as Fractions."""
        side = self._side
        start, _, stop = self._bounds
        kernel = [side._value(e) for e in K.smallest(side.tn, side.td, start, stop, k).tolist()]
        return [Fraction(v) for v in nsmallest(k, kernel + list(self._only_big))]

    def ordered(self) -> Iterator[tuple[Fraction, int]]:
        """(Fraction, count) in increasing order of value (the kernel sorts its part exactly)."""
        side, also = self._side, self._also_big
        start, _, stop = self._bounds
        at = K.order(side.tn, side.td, start, stop)
        counts = side._residues.column(side.tc0[at], side.tcx[at])
        if also:
            counts = [c + also.get(n if d == 1 else Fraction(n, d), 0)
                      for n, d, c in zip(side.tn[at].tolist(), side.td[at].tolist(), counts)]
        kernel = zip(map(Fraction, side.tn[at].tolist(), side.td[at].tolist()), counts)
        if not self._only_big:          # the common case: no merge (a Python call per value)
            return kernel
        big = sorted((Fraction(v), c) for v, c in self._only_big.items())
        return merge(kernel, big, key=lambda item: item[0])
