"""The tokenizer/parser: what people type becomes an exact puzzle; bad input fails with a position."""

from fractions import Fraction

import pytest
from hypothesis import given

from bracketsolve import ParseError, parse
from bracketsolve.solver.model import render
from bracketsolve.solver.parser import MAX_LITERAL, MAX_OPERANDS

from .helpers import expression_texts


def test_seed_puzzle():
    p = parse("8 + 28 / 4 - 2 * 3 = 6")
    assert p.left.numbers == tuple(map(Fraction, (8, 28, 4, 2, 3)))
    assert p.left.slots == ("+", "/", "-", "*")
    assert p.target == 6
    assert p.left.groups == ()


def test_expression_without_equals_has_one_side():
    p = parse("2*3*4*5+1")
    assert not p.is_equation and p.target is None and p.left.size == 5


@pytest.mark.parametrize("text, value", [("2.5", Fraction(5, 2)), ("0.1", Fraction(1, 10)),
                                         ("１２", Fraction(12)), ("007", Fraction(7)),
                                         ("123456789012345678901234567890", Fraction(123456789012345678901234567890))])
def test_numbers_are_exact(text, value):
    assert parse(text).left.numbers == (value,)


@pytest.mark.parametrize("text, numbers", [("8 * -2", (8, -2)), ("8*-2", (8, -2)), ("8 * − 2", (8, -2)),
                                           ("-8 * 2 = -16", (-8, 2)), ("8 - -2", (8, -2))])
def test_minus_where_an_operand_is_expected_is_a_sign(text, numbers):
    side = parse(text).left
    assert side.numbers == tuple(map(Fraction, numbers))
    assert len(side.slots) == 1


@pytest.mark.parametrize("glyph, op", [("x", "*"), ("X", "*"), ("×", "*"), ("·", "*"), ("∗", "*"), ("＊", "*"),
                                       ("÷", "/"), (":", "/"), ("／", "/"), ("−", "-"), ("–", "-"), ("－", "-"),
                                       ("＋", "+")])
def test_operator_glyphs(glyph, op):
    side = parse(f"6 {glyph} 3").left
    assert side.slots == (op,)
    assert side.glyphs == (glyph,)


def test_full_width_puzzle():
    p = parse("（８＋２８）／４＝９")
    assert p.left.numbers == tuple(map(Fraction, (8, 28, 4))) and p.target == 9 and p.left.groups == ((0, 1),)


def test_square_and_curly_brackets_are_groups():
    assert parse("[1 + 2] * {3 - 4}").left.groups == ((0, 1), (2, 3))


def test_no_whitespace_and_any_whitespace():
    assert parse("8+28/4-2*3=6").sides == parse(" 8 +28\t/ 4-2 * 3 =\u30006\n").sides


def test_question_mark_is_any_operator_and_ops_narrow_it():
    p = parse("10 ? 9 ? 8 = 7")
    assert p.left.slots == ("+-*/", "+-*/")
    assert p.with_ops("+x").left.slots == ("+*", "+*")
    assert parse("10 ? 9 - 8").with_ops("+").left.slots == ("+", "-")


def test_redundant_and_trivial_brackets():
    p = parse("((8)) + ((2 + 3))")
    assert p.left.groups == ((1, 2),)


def test_two_sided_equation():
    p = parse("1 + 2 * 3 = 3 * 3")
    assert p.is_equation and p.target is None and p.right.size == 2


def _error(text):
    with pytest.raises(ParseError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize("text, code, position", [
    ("8 + 2 ^ 3", "unknown_character", 6),
    ("8 + * 2", "two_operators", 4),
    ("8 +", "missing_operand", 3),
    ("+ 8", "missing_operand", 0),
    ("(8 + ) * 2", "missing_operand", 5),
    ("2 3", "two_numbers", 2),
    ("2 (3)", "two_numbers", 2),
    ("(2 + 3", "unbalanced", 0),
    ("2 + 3)", "unbalanced", 5),
    ("(2 + 3]", "unbalanced", 6),
    ("(2 = 3)", "unbalanced", 0),
    ("1 = 2 = 3", "two_equals", 6),
    ("= 5", "empty_side", 0),
    ("5 =", "empty_side", 3),
    ("", "empty_side", 0),
    ("1.", "bad_number", 1),
    ("- (2)", "missing_operand", 0),
])
def test_bad_input_names_position_and_reason(text, code, position):
    e = _error(text)
    assert (e.code, e.position) == (code, position)
    assert isinstance(e, ValueError)
    caret_line = str(e).splitlines()[-1]
    assert caret_line.index("^") - 2 == position


def test_caret_under_wide_characters():
    e = _error("１２ ＋ ＊ 3")
    line, caret = str(e).splitlines()[1:]
    assert caret.index("^") == 2 + 2 * 2 + 1 + 2 + 1       # two wide digits, space, wide plus, space


def test_caps():
    assert _error(" + ".join(["1"] * (MAX_OPERANDS + 1))).code == "too_many_operands"
    assert _error("1" * (MAX_LITERAL + 1)).code == "too_long"
    assert parse(" + ".join(["1"] * MAX_OPERANDS)).left.size == MAX_OPERANDS


def test_deep_redundant_brackets_do_not_recurse():
    depth = 5000
    assert parse("(" * depth + "1 + 2" + ")" * depth + " = 3").target == 3


@given(expression_texts())
def test_text_round_trip(text):
    side = parse(text).left
    again = parse(side.text()).left
    assert (again.numbers, again.slots, again.groups) == (side.numbers, side.slots, side.groups)


@given(expression_texts(wild=False, groups=False))
def test_rendering_parses_back_to_the_same_tree(text):
    side = parse(text).left
    from bracketsolve import bracketings

    for b in bracketings(parse(text)):
        assert parse(render(side, b.tree)).left.written == b.tree


def test_double_equals_is_reported_at_the_second_sign():
    e = _error("1 + 1 == 2")
    assert (e.code, e.position) == ("two_equals", 7)


def test_brackets_around_a_whole_side_fix_nothing():
    assert parse("(((8 + 2))) = 10").left.groups == ()
    assert str(parse("(((8 + 2))) = 10")) == "8 + 2 = 10"


def test_a_fraction_of_two_integers_on_the_right_is_a_rational_target():
    p = parse("2 * 3 / 4 = 7/2")
    assert p.target == Fraction(7, 2) and str(p) == "2 * 3 / 4 = 7/2"
    assert parse(str(p.with_target(Fraction(-1, 3)))).target == Fraction(-1, 3)
    assert parse("1 + 2 = 6 / 2").target == 3
    assert parse("1 = 1 / 2 / 3").target is None            # an expression: a side of its own
    assert _error("1 = 1/0").code == "bad_number"


def test_a_question_slot_on_the_right_keeps_the_side_free():
    assert parse("1 + 2 = 6 ? 2").target is None
    assert parse("1 + 2 = 6 / 2", fraction_target=False).target is None
