"""The lexicon shared by the parser and the model: operator glyphs, brackets, and exact number literals."""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from typing import Optional, SupportsInt, cast

from ..errors import BracketError, ParseError

OPERATORS = "+-*/"                  # the four operators, in canonical order
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
MAX_LITERAL = 400                   # characters in one number

OPERATOR_GLYPHS = {
    "+": "+", "＋": "+",
    "-": "-", "−": "-", "–": "-", "－": "-",
    "*": "*", "x": "*", "X": "*", "×": "*", "·": "*", "∗": "*", "⋅": "*", "＊": "*",
    "/": "/", "÷": "/", ":": "/", "／": "/", "∕": "/",
}
MINUS_SIGNS = {"-", "−", "–", "－"}
OPEN = {"(": ")", "[": "]", "{": "}", "（": "）"}
CLOSE = {v: k for k, v in OPEN.items()}
EQUALS = {"=", "＝"}
SLOT = {"?", "？"}
POINTS = {".", "．"}


def digit(ch: str) -> Optional[int]:
    """The value of a decimal digit in any script ("7", "７", "٧"), or None."""
    return unicodedata.decimal(ch, None)


def normalize_ops(ops: str) -> str:
    """`ops` as a canonical operator set: "x+" -> "+*". Raises BracketError for anything else."""
    chosen = set()
    for ch in str(ops):
        if ch.isspace() or ch == ",":
            continue
        if ch not in OPERATOR_GLYPHS:
            raise BracketError(f"ops: {ch!r} is not an operator; use a subset of '+-*/'")
        chosen.add(OPERATOR_GLYPHS[ch])
    if not chosen:
        raise BracketError("ops: give at least one of '+-*/'")
    return "".join(op for op in OPERATORS if op in chosen)


def read_number(text: str) -> Fraction:
    """One exact number written as text: "6", "-2.5", ".5", "７", "7/2", "-1 / 3".

    Raises: `ParseError` (code "not_a_number", "bad_number" or "too_long") naming the position.

    >>> read_number("-2.5"), read_number("7/2")
    (Fraction(-5, 2), Fraction(7, 2))
    """
    numerator, at = _literal(text, _skip(text, 0))
    if at < len(text) and text[at] in "/÷／∕":
        denominator, at = _literal(text, _skip(text, at + 1))
        if denominator == 0:
            raise ParseError("the number divides by zero", text, at - 1, "bad_number")
        numerator /= denominator
    at = _skip(text, at)
    if at < len(text):
        raise ParseError("expected a single number such as 6, -2.5 or 7/2", text, at, "not_a_number")
    return numerator


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _literal(text: str, start: int) -> tuple[Fraction, int]:
    """(value, end) of the signed decimal literal at `start`."""
    at = start
    negative = at < len(text) and text[at] in MINUS_SIGNS
    if negative:
        at = _skip(text, at + 1)
    whole: list[str] = []
    fraction: list[str] = []
    point = False
    while at < len(text):
        d = digit(text[at])
        if d is not None:
            (fraction if point else whole).append(str(d))
        elif text[at] in POINTS and not point:
            point = True
        else:
            break
        at += 1
        if at - start > MAX_LITERAL:
            raise ParseError(f"number longer than {MAX_LITERAL} characters", text, start, "too_long")
    if not whole and not fraction:
        raise ParseError("expected a single number such as 6, -2.5 or 7/2", text, start, "not_a_number")
    if point and not fraction:
        raise ParseError("a decimal point must be followed by digits", text, at - 1, "bad_number")
    value = Fraction(int("".join(whole + fraction) or "0"), 10 ** len(fraction))
    return (-value if negative else value), at


def exact(value: object) -> Fraction:
    """An exact Fraction from a rational number (int, Fraction, numpy integer, finite Decimal) or text such
    as "7/2" or "-2.5"; never from a float. Raises BracketError otherwise."""
    from decimal import Decimal
    from numbers import Rational

    if isinstance(value, (bool, float)):
        raise BracketError(f"target {value!r}: give an int, a Fraction or a string such as '7/2'; floats are inexact")
    if isinstance(value, Rational):
        return Fraction(cast(int, value.numerator), cast(int, value.denominator))
    if isinstance(value, Decimal) and value.is_finite():
        return Fraction(value)
    if isinstance(value, str):
        return read_number(value)
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu":        # numpy integer scalar
        return Fraction(int(cast(SupportsInt, value)))
    raise BracketError(f"target {value!r}: give an int, a Fraction or a string such as '7/2'")
