"""check(): every reason code, on answers a person would write."""

import pytest

from bracketsolve import ParseError, check

SEED = "8 + 28 / 4 - 2 * 3 = 6"


@pytest.mark.parametrize("answer, reason", [
    ("(8 + 28) / ((4 - 2) * 3)", "correct"),
    ("((8 + 28)) / [((4 - 2)) × 3] = 6", "correct"),
    ("(8+28)/((4-2)*3)", "correct"),
    ("（８＋２８）÷（（４－２）×３）", "correct"),
    ("8 + 28 / 4 - 2 * 3", "wrong_value"),
    ("(8 + 28) / (4 - 2) * 3", "wrong_value"),
    ("(8 + 28) / ((4 - 2) * 3) = 7", "wrong_equation"),
    ("(8 + 27) / ((4 - 2) * 3)", "numbers_changed"),
    ("(8 + 28) / ((4 - 2) * 3) * 1", "numbers_changed"),
    ("(8 + 28) / ((4 + 2) * 3)", "operators_changed"),
    ("(8 + 28) / ((4 - 2) * 3", "unbalanced"),
    ("(8 + 28)) / ((4 - 2) * 3)", "unbalanced"),
    ("import os; os.system('true')", "unparsable"),
    ("9**9**9", "unknown_operator"),
    ("8 + + 28 / 4 - 2 * 3", "unparsable"),
    ("", "unparsable"),
])
def test_reasons(answer, reason):
    verdict = check(SEED, answer)
    assert verdict.reason == reason
    assert verdict.ok == (reason == "correct")


def test_value_is_reported_exactly():
    assert check(SEED, "8 + 28 / 4 - 2 * 3").value == 9
    assert str(check(SEED, "8 + 28 / ((4 - 2) * 3)").value) == "38/3"


def test_division_by_zero():
    assert check("4 / 2 - 2 = 0", "4 / (2 - 2)").reason == "division_by_zero"


def test_fixed_groups_must_stay():
    assert check("(1 - 2) - 3 = -4", "(1 - 2) - 3").ok
    assert check("(1 - 2) - 3 = -4", "1 - 2 - 3").ok               # same tree, the bracket is implied
    assert check("(1 - 2) - 3 = 2", "1 - (2 - 3)").reason == "groups_removed"


def test_question_slots_accept_any_allowed_operator():
    assert check("10 ? 2 = 5", "10 / 2").ok
    assert check("10 ? 2 = 5", "10 ? 2").reason == "operators_changed"
    assert check(__import__("bracketsolve").parse("10 ? 2 = 12").with_ops("+-"), "10 * 2").reason == \
        "operators_changed"


def test_two_sided_answers_are_whole_equations():
    assert check("1 + 2 * 3 = 3 * 3", "(1 + 2) * 3 = 3 * 3").ok
    assert check("1 + 2 * 3 = 3 * 3", "(1 + 2) * 3").reason == "numbers_changed"
    assert check("1 + 2 * 3 = 3 * 3", "1 + 2 * 3 = 3 * 3").reason == "wrong_value"


def test_bad_puzzle_raises():
    with pytest.raises(ParseError):
        check("8 + = 6", "8")


def test_deep_brackets_and_huge_text_are_bounded():
    deep = "(" * 5000 + "(8 + 28) / ((4 - 2) * 3)" + ")" * 5000
    assert check(SEED, deep).ok
    assert check(SEED, "1" * 1_000_000).reason == "too_large"


def test_two_sided_answers_whose_right_side_reads_like_a_fraction():
    # "6 ? 2" is a side of its own; its solution "6 / 2" must not be read back as a target of 3.
    from bracketsolve import solve

    result = solve("1 + 2 = 6 ? 2")
    (solution,) = result.solutions
    assert str(solution) == "1 + 2 = 6 / 2"
    assert check("1 + 2 = 6 ? 2", str(solution)).ok
    assert check("1 + 2 = 6 ? 2", "(1 + 2) = (6 / 2)").ok
    assert check("2 * 3 / 4 = 3/2", "2 * 3 / 4 = 3/2").ok      # a rational target stays one
