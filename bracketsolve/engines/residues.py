"""Counts as residues: modulo 2**64 and as many 31-bit primes as a side's bracketings need, back to exact
ints by Garner's method (the numba engine's count lanes)."""

from __future__ import annotations

from math import comb
from typing import Sequence

import numpy as np

from ..solver.model import Expr

PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549, 2147483543, 2147483497)


def _lanes(total: int) -> int:
    """How many prime lanes, besides the one modulo 2**64, pin down every count up to `total`."""
    modulus, extra = 2**64, 0
    while modulus <= total:
        modulus *= PRIMES[extra]
        extra += 1
    return extra


def _most(expr: Expr) -> int:
    """An upper bound on the side's bracketings, cheaper than `expr.total()`: Catalan shapes times slot choices."""
    n = expr.size
    bound = comb(2 * n - 2, n - 1) // n
    for slot in expr.slots:
        bound *= len(slot)
    return bound


class _Residues:
    """Exact ints from their residues modulo 2**64 and the first `extra` primes (Garner's method)."""

    def __init__(self, extra: int) -> None:
        self.primes = PRIMES[:extra]
        self.steps: list[tuple[int, int, int]] = []      # (prime, modulus before it, inverse)
        modulus = 2**64
        for p in self.primes:
            self.steps.append((p, modulus, pow(modulus % p, -1, p)))
            modulus *= p

    def value(self, lanes: Sequence[int]) -> int:
        """The int whose residues are `lanes` (lane 0 as a signed int64)."""
        x = int(lanes[0]) % 2**64
        for (p, modulus, inverse), r in zip(self.steps, lanes[1:]):
            x += (int(r) - x) * inverse % p * modulus
        return x

    def lanes(self, x: int) -> list[int]:
        """The residues of `x` (lane 0 as a signed int64)."""
        low = x % 2**64
        return [low - 2**64 if low >= 2**63 else low] + [x % p for p in self.primes]

    def column(self, c0: np.ndarray, cx: np.ndarray) -> list[int]:
        """The exact counts of a run of entries."""
        low: list[int] = c0.view(np.uint64).tolist()
        if not self.primes:
            return low
        return [self.value((c, *rest)) for c, rest in zip(low, cx.tolist())]
