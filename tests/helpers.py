"""Shared test strategies: random small puzzle texts, and an evaluator independent of the package."""

from __future__ import annotations

import sympy
from hypothesis import strategies as st

OPS = "+-*/"


@st.composite
def expression_texts(draw, min_operands: int = 1, max_operands: int = 6, wild: bool = True,
                     groups: bool = True, decimals: bool = True) -> str:
    """Text of a small expression: numbers in -9..20 (some decimals), operators or `?`, maybe a fixed group."""
    n = draw(st.integers(min_operands, max_operands))
    numbers = []
    for _ in range(n):
        if decimals and draw(st.integers(0, 9)) == 0:
            numbers.append(f"{draw(st.integers(0, 9))}.{draw(st.integers(1, 9))}")
        else:
            numbers.append(str(draw(st.integers(-9, 20))))
    ops = [draw(st.sampled_from(OPS + ("?" if wild else ""))) for _ in range(n - 1)]
    tokens = [numbers[0]]
    for op, x in zip(ops, numbers[1:]):
        tokens += [op, x]
    text = " ".join(tokens)
    if groups and n >= 3 and draw(st.booleans()):
        i = draw(st.integers(0, n - 2))
        j = draw(st.integers(i + 1, n - 1))
        parts = text.split(" ")
        parts[2 * i] = "(" + parts[2 * i]
        parts[2 * j] = parts[2 * j] + ")"
        text = " ".join(parts)
    return text


def sympy_value(expr, tree):
    """The tree's value computed by sympy from the literal texts (None on division by zero)."""
    if isinstance(tree, int):
        return sympy.Rational(expr.literals[tree])
    op, left, right = tree
    a, b = sympy_value(expr, left), sympy_value(expr, right)
    if a is None or b is None:
        return None
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


def catalan(n: int) -> int:
    """Binary trees with n leaves."""
    from math import comb

    return comb(2 * (n - 1), n - 1) // n
