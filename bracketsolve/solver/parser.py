"""Hand-written tokenizer and parser: puzzle text as people and models type it -> `Puzzle`."""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from typing import NoReturn

from ..errors import BracketError, ParseError
from .model import Expr, Puzzle, Span, Tree
from .symbols import (CLOSE, EQUALS, MAX_LITERAL, MINUS_SIGNS, OPEN, OPERATOR_GLYPHS, POINTS, PRECEDENCE, SLOT, digit,
                      read_number)

MAX_OPERANDS = 64          # operands in one puzzle, both sides together
MAX_TEXT = 100_000         # characters of input


def parse(text: str, *, fraction_target: bool = True) -> Puzzle:
    """Parse puzzle text: operands, operators (or `?` slots), brackets, and at most one `=`.

    A right side that is a fraction of two integers ("= 7/2") is the rational target; with
    `fraction_target=False` it stays a side of its own (as an answer to a two-sided puzzle needs).

    Takes: text such as "8 + 28 / 4 - 2 * 3 = 6", "10 ? 9 ? 8 = 26", "2 × (3 + 4)".
    Returns: a `Puzzle` (one side when there is no `=`).
    Raises: `ParseError` (a ValueError) naming the position and the reason.

    >>> parse("8 + 28 / 4 - 2 * 3 = 6").left.numbers[:2]
    (Fraction(8, 1), Fraction(28, 1))
    """
    if not isinstance(text, str):
        raise BracketError(f"parse() takes puzzle text (a str), not {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ParseError(f"input longer than {MAX_TEXT:,} characters", text, MAX_TEXT, "too_long")
    sides = []
    start = 0
    operands = 0
    while True:
        side, end = _Side(text, start, operands).parse()
        sides.append(side)
        operands += side.size
        if end >= len(text):
            break
        if len(sides) == 2:
            raise ParseError("a second '=': a puzzle has at most one", text, end, "two_equals")
        start = end + 1
    if len(sides) == 2 and fraction_target:
        sides[1] = _rational_target(sides[1], text, start)
    return Puzzle(tuple(sides), text)


def _rational_target(side: Expr, text: str, start: int) -> Expr:
    """A right side written as a fraction of two integers ("= 7/2", "= -1/3") is the rational target."""
    if side.size != 2 or side.slots != ("/",) or side.glyphs == ("?",) or side.groups or \
            any(x.denominator != 1 for x in side.numbers):
        return side
    numerator, denominator = side.numbers
    if denominator == 0:
        rest = text[start:]
        raise ParseError("the target divides by zero", text, start + len(rest) - len(rest.lstrip()), "bad_number")
    return Expr((numerator / denominator,), (), (), (f"{side.literals[0]}/{side.literals[1]}",))


def parse_number(text: str) -> Fraction:
    """One exact number such as "-2.5", "７", "7/2". Raises ParseError otherwise."""
    return read_number(text)


class _Side:
    """Parses one side, from `start` up to an `=` or the end, with a shunting-yard over operand indices."""

    def __init__(self, text: str, start: int, before: int) -> None:
        self.text = text
        self.pos = start
        self.before = before                # operands on earlier sides, for the operand cap
        self.numbers: list[Fraction] = []
        self.literals: list[str] = []
        self.slots: list[str] = []
        self.glyphs: list[str] = []
        self.groups: list[Span] = []
        self.brackets: list[tuple[str, int, int]] = []  # open brackets: (char, position, first operand index)
        self.output: list[Tree] = []        # shunting-yard: trees
        self.pending: list[str] = []        # shunting-yard: operators and open-bracket marks
        self.last_token = start             # position of the last operand/operator, for messages

    def error(self, reason: str, position: int, code: str) -> NoReturn:
        raise ParseError(reason, self.text, position, code)

    def parse(self) -> tuple[Expr, int]:
        text = self.text
        expect_operand = True
        while True:
            self.skip_space()
            if self.pos >= len(text) or text[self.pos] in EQUALS:
                break
            ch, here = text[self.pos], self.pos
            if expect_operand:
                if ch in OPEN:
                    self.brackets.append((ch, here, len(self.numbers)))
                    self.pending.append("(")
                    self.pos += 1
                elif digit(ch) is not None or ch in POINTS or ch in MINUS_SIGNS:
                    self.number()
                    expect_operand = False
                elif ch in CLOSE:
                    what = "brackets enclose nothing" if self.brackets and self.brackets[-1][1] == self.pos - 1 else \
                        f"missing number before {ch!r}"
                    if not self.brackets:
                        self.error(f"unmatched closing bracket {ch!r}", here, "unbalanced")
                    self.error(what, here, "missing_operand")
                elif ch in OPERATOR_GLYPHS or ch in SLOT:
                    if self.numbers or self.brackets:
                        self.error(f"two operators in a row: expected a number before {ch!r}", here, "two_operators")
                    self.error(f"missing number before {ch!r}", here, "missing_operand")
                else:
                    self.unknown(ch, here)
            else:
                if ch in OPERATOR_GLYPHS or ch in SLOT:
                    self.operator(ch)
                    expect_operand = True
                elif ch in CLOSE:
                    self.close(ch)
                elif digit(ch) is not None or ch in POINTS:
                    self.error("two numbers in a row: an operator is missing", here, "two_numbers")
                elif ch in OPEN:
                    self.error(f"missing operator before {ch!r}", here, "two_numbers")
                else:
                    self.unknown(ch, here)
        end = self.pos
        if expect_operand:
            if not self.numbers and not self.brackets:
                if self.before and end < len(text):
                    self.error("a second '=': a puzzle has at most one", end, "two_equals")
                what = "nothing before '='" if end < len(text) else "no numbers"
                if self.before:
                    what = "nothing after '='"
                self.error(f"empty side: {what}", end, "empty_side")
            self.error("missing number at the end" if end >= len(text) else "missing number before '='",
                       end, "missing_operand")
        if self.brackets:
            ch, where, _ = self.brackets[-1]
            self.error(f"bracket {ch!r} is never closed", where, "unbalanced")
        while self.pending:
            self.reduce()
        side = Expr(tuple(self.numbers), tuple(self.slots), tuple(self.glyphs), tuple(self.literals),
                    tuple(sorted(set(self.groups) - {(0, len(self.numbers) - 1)})), self.output[0])
        return side, end

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def unknown(self, ch: str, here: int) -> NoReturn:
        name = unicodedata.name(ch, "")
        shown = f"{ch!r} ({name.lower()})" if name else repr(ch)
        hint = "; use +, -, *, / or ?" if ch in "^%&|<>!" else ""
        self.error(f"unknown character {shown}{hint}", here, "unknown_character")

    def number(self) -> None:
        text, start = self.text, self.pos
        negative = False
        if text[self.pos] in MINUS_SIGNS:
            negative = True
            self.pos += 1
            self.skip_space()
            if self.pos >= len(text) or (digit(text[self.pos]) is None and text[self.pos] not in POINTS):
                if self.pos < len(text) and text[self.pos] in OPEN:
                    self.error("a minus sign can only make a number negative, not a bracket", start, "missing_operand")
                self.error("a minus sign must be followed by a number", start, "missing_operand")
        digits: list[str] = []
        fraction: list[str] = []
        seen_point = False
        while self.pos < len(text):
            ch = text[self.pos]
            d = digit(ch)
            if d is not None:
                (fraction if seen_point else digits).append(str(d))
            elif ch in POINTS and not seen_point:
                seen_point = True
            else:
                break
            self.pos += 1
            if self.pos - start > MAX_LITERAL:
                self.error(f"number longer than {MAX_LITERAL} characters", start, "too_long")
        if seen_point and not fraction:
            self.error("a decimal point must be followed by digits", self.pos - 1, "bad_number")
        if not digits:
            digits = ["0"]
        if len(self.numbers) + self.before >= MAX_OPERANDS:
            self.error(f"more than {MAX_OPERANDS} numbers: bracketsolve caps a puzzle at {MAX_OPERANDS}", start,
                       "too_many_operands")
        whole = "".join(digits).lstrip("0") or "0"
        value = Fraction(int("".join(digits) + "".join(fraction)), 10 ** len(fraction))
        literal = whole + ("." + "".join(fraction) if fraction else "")
        if negative:
            value, literal = -value, "-" + literal
        self.output.append(len(self.numbers))
        self.numbers.append(value)
        self.literals.append(literal)

    def operator(self, ch: str) -> None:
        op = OPERATOR_GLYPHS.get(ch)
        if op is None:
            self.slots.append("+-*/")
            self.glyphs.append("?")
            op = "+"                        # as-written tree: a `?` slot has no precedence of its own
        else:
            self.slots.append(op)
            self.glyphs.append(ch)
        while self.pending and self.pending[-1] != "(" and PRECEDENCE[self.pending[-1]] >= PRECEDENCE[op]:
            self.reduce()
        self.pending.append(op)
        self.pos += 1

    def close(self, ch: str) -> None:
        here = self.pos
        if not self.brackets:
            self.error(f"unmatched closing bracket {ch!r}", here, "unbalanced")
        opener, where, first = self.brackets.pop()
        if OPEN[opener] != ch:
            self.error(f"{ch!r} does not match {opener!r} opened at column {where + 1}", here, "unbalanced")
        while self.pending[-1] != "(":
            self.reduce()
        self.pending.pop()
        last = len(self.numbers) - 1
        if last > first:
            self.groups.append((first, last))
        self.pos += 1

    def reduce(self) -> None:
        op = self.pending.pop()
        if op == "(":
            return
        right = self.output.pop()
        left = self.output.pop()
        self.output.append((op, left, right))
