"""The fixed-seed benchmark puzzles: random single- and two-digit chains with + - * /, and Countdown-2016."""

from __future__ import annotations

import random
from fractions import Fraction

from bracketsolve import parse
from bracketsolve.solver.model import evaluate

SIZES = (8, 12, 14, 16, 18, 20, 22)
COUNTDOWN = ("10 ? 9 ? 8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1", Fraction(2016))
SLOTS_13 = ("7 ? 3 ? 9 ? 2 ? 8 ? 4 ? 6 ? 5 ? 3 ? 2 ? 7 ? 1 ? 9", Fraction(100))     # 12 `?` slots
ZERO_HEAVY = (("0 * (89 ? 42 ? 55 ? 98 ? 93 ? 77 ? 13 ? 69)", Fraction(0)),       # every value of the right a partner
              ("0 * (89 ? 42 ? 55 ? 98 ? 93 ? 77 ? 13 ? 69 ? 31)", Fraction(0)),
              ("0 / (3 ? 3 ? 0 ? 7 ? 0 ? 2 ? 0 ? 9 ? 4)", Fraction(0)))           # x / y = 0 for every y but 0
PYTHON_UP_TO = 16           # the Python engine is timed up to this many operands


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
    """(name, expression text, target) for every benchmark puzzle with a solution, in order."""
    out = []
    for n in SIZES:
        for digits in (1, 2):
            text = chain(n, digits, seed=1000 * n + digits)
            out.append((f"{n}x{digits}d", text, written_value(text)))
    out.append(("countdown-2016", *COUNTDOWN))
    out.append(("13 with 12 ?", *SLOTS_13))
    return out


def unsolvable() -> tuple:
    """(name, text, target): 16 single-digit operands and a target none of their bracketings reaches."""
    return "16x1d, no solution", chain(16, 1, seed=16001), Fraction(1000000007, 3)


def proofs_of_none() -> list:
    """(name, text, target) of puzzles without a solution: `unsolvable()` and Countdown-size `?` chains."""
    return [unsolvable(), ("countdown-10, no solution", COUNTDOWN[0], Fraction(1000000007, 3)),
            ("countdown-8, no solution", "8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1", Fraction(1000000007, 3))]


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
