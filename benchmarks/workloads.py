"""The fixed-seed benchmark puzzles: random single- and two-digit chains with + - * /, and Countdown-2016."""

from __future__ import annotations

import random
from fractions import Fraction

from bracketsolve import parse
from bracketsolve.solver.model import evaluate

SIZES = (8, 12, 14, 16, 18)
COUNTDOWN = ("10 ? 9 ? 8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1", Fraction(2016))
PYTHON_UP_TO = 16           # the Python engine is timed up to this many operands (Countdown-2016 takes ~100 s)


def chain(n: int, digits: int, seed: int) -> str:
    """`n` random numbers of `digits` digits joined by random operators, e.g. "5 - 4 + 7 * 8"."""
    rng = random.Random(seed)
    lo, hi = (1, 9) if digits == 1 else (10, 99)
    numbers = [rng.randint(lo, hi) for _ in range(n)]
    ops = [rng.choice("+-*/") for _ in range(n - 1)]
    return " ".join([str(numbers[0])] + [f"{op} {x}" for op, x in zip(ops, numbers[1:])])


def written_value(text: str) -> Fraction:
    """The chain's value as written (so the puzzle with that target has at least one solution)."""
    expr = parse(text).left
    return Fraction(evaluate(expr, expr.written))


def cpp_line(text: str, target: Fraction) -> str:
    """The puzzle as the C++ baseline reads it: "1 + 2 = 3", "2 * 3 = 7/2"."""
    return f"{text} = {target.numerator}" + (f"/{target.denominator}" if target.denominator != 1 else "")


def workloads() -> list:
    """(name, expression text, target) for every benchmark puzzle, in order."""
    out = []
    for n in SIZES:
        for digits in (1, 2):
            text = chain(n, digits, seed=1000 * n + digits)
            out.append((f"{n}x{digits}d", text, written_value(text)))
    out.append(("countdown-2016", *COUNTDOWN))
    return out


def small_lines(count: int = 10_000, operands: int = 6, seed: int = 6) -> list:
    """`count` random puzzles of `operands` numbers in 1..20 joined by random + - * /, each equated to its
    value as written (so each has a solution to render), as the C++ baseline reads them: "3 * 7 - 2 = 19"."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        text = " ".join([str(rng.randint(1, 20))] + [f"{rng.choice('+-*/')} {rng.randint(1, 20)}"
                                                     for _ in range(operands - 1)])
        try:
            out.append(cpp_line(text, written_value(text)))
        except ZeroDivisionError:
            continue
    return out
