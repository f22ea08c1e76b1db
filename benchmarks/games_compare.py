"""Time the free-order engines on the same workloads in one run, interleaved; print figures and ratios.

    python -m benchmarks.games_compare [--repeat 3] [--norvig]

Workloads: a 6-number Countdown instance with every reachable value and its count (every sub-multiset's
table), and the 24 game over all 1,820 multisets of four numbers from 1..13 classified exactly; each with
the TV rule and without. Engines: numba (`NumbaSubsets`, after a warm-up so compiling is not counted),
Python (`PythonSubsets`), and with --norvig a Norvig-style baseline: his notebook's free-order mode (every
permutation of the numbers through his interval DP of floats with round-off correction; for Countdown
every sub-multiset too), which is inexact and counts an expression once per permutation of equal numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter
from fractions import Fraction
from functools import lru_cache
from itertools import combinations, combinations_with_replacement, permutations

import numpy as np

from bracketsolve.engines.subsets import PythonSubsets
from bracketsolve.engines.subsets_fast import NumbaSubsets, warmup

COUNTDOWN = (25, 50, 75, 100, 3, 6)
TWENTY_FOUR = list(combinations_with_replacement(range(1, 14), 4))      # 1,820 multisets
ENGINES = {"numba": NumbaSubsets, "python": PythonSubsets}


def _engine(cls, numbers, tv: bool):
    distinct = tuple(dict.fromkeys(numbers))
    kwargs = {"max_work": 10**11, "max_entries": 10**9}
    return cls(tuple(Fraction(x) for x in distinct), tuple(numbers.count(x) for x in distinct), "+-*/", tv=tv,
               **kwargs)


def countdown_tables(cls, numbers=COUNTDOWN, tv: bool = False) -> tuple:
    """(distinct values, expressions with a value): every sub-multiset's table, merged, counts exact."""
    engine = _engine(cls, list(numbers), tv)
    sets = engine.space.by_size()
    if not hasattr(engine, "arrays"):
        merged: Counter = Counter()
        for s in sets:
            merged.update(engine.table(s))
        return len(merged), sum(merged.values())
    parts = [engine.arrays(s) for s in sets]          # the kernel's arrays, merged with numpy
    if any(big for *_, big in parts):
        raise RuntimeError("a value left int64: merge the big parts too")
    tn, td, tc = (np.concatenate([part[i] for part in parts]) for i in range(3))
    order = np.lexsort((td, tn))
    tn, td, tc = tn[order], td[order], tc[order]
    starts = np.flatnonzero(np.concatenate(([True], (tn[1:] != tn[:-1]) | (td[1:] != td[:-1]))))
    merged = np.add.reduceat(tc, starts)
    return len(starts), int(merged.sum())


def classify_24(cls, tv: bool = False, cases=TWENTY_FOUR) -> int:
    """How many of the multisets make 24 (every number once, any order, exact)."""
    solvable = 0
    for numbers in cases:
        engine = _engine(cls, list(numbers), tv)
        solvable += engine.count(24, engine.space.full) > 0
    return solvable


# --- a Norvig-style baseline: his notebook's free-order mode, floats and all ------------------------------

def _operate(op, a, b, tv):
    """Norvig's `operate`: the result with round-off corrected, or None (too big or small, or an error)."""
    if op == "/" and b == 0:
        return None
    v = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
    if tv and (v <= 0 or abs(v - round(v)) > 1e-9):
        return None
    if v == 0:
        return 0.0
    if not 1e-10 < abs(v) < 1e10:
        return None
    return round(v) if abs(v - round(v)) < 1e-12 else v


@lru_cache(maxsize=None)
def _counts(numbers: tuple, tv: bool) -> Counter:
    """Norvig's `expression_counts`: {value: count} over the numbers in this order (splits of the sequence)."""
    if len(numbers) == 1:
        return Counter({numbers[0]: 1})
    table: Counter = Counter()
    for i in range(1, len(numbers)):
        left, right = _counts(numbers[:i], tv), _counts(numbers[i:], tv)
        for a, ca in left.items():
            for b, cb in right.items():
                for op in "+-*/":
                    v = _operate(op, a, b, tv)
                    if v is not None:
                        table[v] += ca * cb
    return table


def norvig_values(numbers, tv: bool = False, every: bool = True) -> Counter:
    """His free-order mode: every permutation (of every sub-multiset unless `every`) through `_counts`."""
    table: Counter = Counter()
    sizes = [len(numbers)] if every else range(1, len(numbers) + 1)
    for k in sizes:
        for part in combinations(numbers, k):
            for order in permutations(part):
                table.update(_counts(tuple(float(x) for x in order), tv))
    return table


def norvig_countdown(numbers=COUNTDOWN, tv: bool = False) -> tuple:
    _counts.cache_clear()
    table = norvig_values(numbers, tv, every=False)
    return len(table), sum(table.values())


def norvig_classify_24(tv: bool = False, cases=TWENTY_FOUR) -> int:
    solvable = 0
    for numbers in cases:
        _counts.cache_clear()
        solvable += any(abs(v - 24) < 1e-9 for v in norvig_values(numbers, tv))
    return solvable


def best(fn, repeat: int) -> tuple:
    """(fastest of `repeat` timed calls, the last result)."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--norvig", action="store_true", help="also time the Norvig-style baseline (minutes)")
    args = p.parse_args(argv)
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(warmup())
    rows = []
    for tv in (False, True):
        rule = "countdown-tv" if tv else "countdown"
        figures = {}
        for name, cls in ENGINES.items():
            figures[name] = best(lambda: countdown_tables(cls, tv=tv), args.repeat if name == "numba" else 1)
        if args.norvig:
            figures["norvig"] = best(lambda: norvig_countdown(tv=tv), 1)
        rows.append((f"{rule} {' '.join(map(str, COUNTDOWN))}: every value", figures))
        rule = "24-tv" if tv else "24"
        figures = {}
        for name, cls in ENGINES.items():
            figures[name] = best(lambda: classify_24(cls, tv=tv), args.repeat if name == "numba" else 1)
        if args.norvig:
            figures["norvig"] = best(lambda: norvig_classify_24(tv=tv), 1)
        rows.append((f"{rule}: 1,820 multisets of 1..13 classified", figures))
    for title, figures in rows:
        numba = figures["numba"][0]
        print(f"\n{title}")
        for name, (seconds, out) in figures.items():
            ratio = "" if name == "numba" else f"  ({seconds / numba:,.1f}x numba)"
            print(f"  {name:<7} {seconds:9.3f} s  result {out}{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
