"""The hypothesis strategies: what they draw is what they promise, checked against solve() and the graders."""

from __future__ import annotations

import importlib.metadata
from fractions import Fraction

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

import bracketsolve
from bracketsolve import Bracketing, Puzzle, check, parse, solve
from bracketsolve.evaluation.grade import grade
from bracketsolve.strategies import (answers, bracketings, decimal, puzzles, solvable_puzzles,
                                     unsolvable_puzzles)

SEED = parse("8 + 28 / 4 - 2 * 3 = 6")
EVERYTHING = dict(wildcards=True, fixed_groups=True)       # every feature a drawn puzzle can have
DECIMALS = dict(places=1, min_value=-9, max_value=9)
QUICK = settings(database=None, derandomize=True, phases=[Phase.generate, Phase.shrink])   # find(), repeatable
SEARCH = settings(QUICK, max_examples=2000)                                     # find() of something rarer


# --- puzzles ----------------------------------------------------------------------------------

@given(solvable_puzzles(**EVERYTHING))
def test_every_solvable_puzzle_solves(puzzle):
    assert solve(puzzle).solvable


@given(solvable_puzzles(**EVERYTHING, **DECIMALS))
def test_solvable_puzzles_with_decimals_and_negatives_solve(puzzle):
    assert solve(puzzle).solvable


@given(unsolvable_puzzles(**EVERYTHING))
def test_no_unsolvable_puzzle_solves(puzzle):
    result = solve(puzzle)
    assert not result.solvable and result.count == 0


@given(unsolvable_puzzles(**DECIMALS))
def test_unsolvable_targets_are_near_misses(puzzle):
    reached = bracketsolve.values(puzzle)
    assert puzzle.target not in reached
    if reached:
        assert any(abs(v - puzzle.target) <= 1 for v in reached)


@given(puzzles(**EVERYTHING, **DECIMALS))
def test_a_puzzle_is_what_parse_gives_for_its_text(puzzle):
    assert parse(puzzle.source) == puzzle


@given(puzzles(min_operands=2, max_operands=4, min_value=3, max_value=5, ops="x÷", target=False))
def test_puzzles_keep_to_their_options(puzzle):
    assert not puzzle.is_equation
    assert 2 <= puzzle.left.size <= 4
    assert all(3 <= x <= 5 for x in puzzle.left.numbers)
    assert set(puzzle.left.slots) <= {"*", "/"}


@given(puzzles(target=st.just(Fraction(7, 2))))
def test_puzzles_take_a_strategy_of_targets(puzzle):
    assert puzzle.target == Fraction(7, 2)


@given(solvable_puzzles(ops="+-*", min_value=-9))
def test_without_division_targets_are_ints(puzzle):
    assert puzzle.target.denominator == 1


@given(solvable_puzzles(ops="/", min_value=0, max_value=3))
def test_division_alone_never_divides_by_zero(puzzle):
    assert 0 not in puzzle.left.numbers or puzzle.left.size == 1
    assert solve(puzzle).solvable


@given(solvable_puzzles(wildcards=True, ops="+-"))
def test_wildcard_slots_are_narrowed_to_the_operators(puzzle):
    assert all(slot in ("+", "-", "+-") for slot in puzzle.left.slots)


def test_puzzles_shrink_to_fewer_operands_smaller_numbers_and_plus():
    assert str(find(solvable_puzzles(), lambda p: p.left.size >= 3, settings=QUICK)) == "0 + 0 + 0 = 0"
    divides = find(solvable_puzzles(), lambda p: "/" in p.left.slots, settings=QUICK)
    assert divides.left.size <= 3 and set(divides.left.numbers) <= {0, 1}
    assert str(find(unsolvable_puzzles(), lambda p: True, settings=QUICK)) == "0 = 1"
    assert str(find(puzzles(target=False), lambda p: p.left.size >= 2, settings=QUICK)) == "0 + 0"


def test_shrinking_keeps_the_left_to_right_bracketing():
    puzzle = find(solvable_puzzles(min_value=1, ops="-", min_operands=3), lambda p: True, settings=QUICK)
    assert str(puzzle) == "1 - 1 - 1 = -1"


# --- bracketings ------------------------------------------------------------------------------

@settings(max_examples=50)
@given(st.data(), puzzles(max_operands=5, **EVERYTHING))
def test_a_drawn_bracketing_is_one_of_the_puzzles_bracketings(data, puzzle):
    drawn = data.draw(bracketings(puzzle))
    assert isinstance(drawn, Bracketing)
    assert drawn in set(bracketsolve.bracketings(puzzle))


@given(st.data(), puzzles(**EVERYTHING))
def test_a_drawn_bracketing_grades_as_its_value_says(data, puzzle):
    drawn = data.draw(bracketings(puzzle))
    verdict = check(puzzle, drawn.equation)
    assert verdict.ok == drawn.holds
    assert verdict.reason in ("correct", "wrong_value", "division_by_zero")


def test_bracketings_of_both_sides():
    puzzle = parse("1 + 2 * 3 = 3 * 3 - 0")
    drawn = find(bracketings(puzzle), lambda b: True, settings=QUICK)
    assert len(drawn.trees) == 2 and str(drawn) == "(1 + 2) * 3 = 3 * 3 - 0"


def test_bracketings_shrink_to_left_to_right():
    assert str(find(bracketings("1 - 2 - 3 - 4"), lambda b: True, settings=QUICK)) == "1 - 2 - 3 - 4"
    assert str(find(bracketings("1 ? 2 ? 3"), lambda b: True, settings=QUICK)) == "1 + 2 + 3"


# --- answers ----------------------------------------------------------------------------------

@given(st.data(), solvable_puzzles(**EVERYTHING, **DECIMALS))
def test_every_correct_answer_checks_correct(data, puzzle):
    answer = data.draw(answers(puzzle, correct=True, grader="check"))
    assert check(puzzle, answer).ok, answer


@given(st.data(), st.one_of(solvable_puzzles(**EVERYTHING, **DECIMALS), unsolvable_puzzles(**EVERYTHING)))
def test_no_incorrect_answer_checks_correct(data, puzzle):
    answer = data.draw(answers(puzzle, correct=False, grader="check"))
    assert not check(puzzle, answer).ok, answer


@given(st.data(), solvable_puzzles(**EVERYTHING, **DECIMALS))
def test_every_correct_answer_grades_correct(data, puzzle):
    answer = data.draw(answers(puzzle, correct=True, grader="grade"))
    assert grade(puzzle, answer).ok, answer


@given(st.data(), st.one_of(solvable_puzzles(**EVERYTHING, **DECIMALS), unsolvable_puzzles(**EVERYTHING)))
def test_no_incorrect_answer_grades_correct(data, puzzle):
    answer = data.draw(answers(puzzle, correct=False, grader="grade"))
    assert not grade(puzzle, answer).ok, answer


@given(st.data(), unsolvable_puzzles())
def test_a_correct_answer_to_an_unsolvable_puzzle_claims_none(data, puzzle):
    answer = data.draw(answers(puzzle, correct=True, grader="grade"))
    assert grade(puzzle, answer).reason == "correct_no_solution"


@given(st.data())
def test_answers_to_an_equation_with_two_free_sides(data):
    puzzle = parse("1 + 2 * 3 = 3 * 3 - 0")
    assert check(puzzle, data.draw(answers(puzzle, grader="check"))).ok
    assert not check(puzzle, data.draw(answers(puzzle, correct=False, grader="check"))).ok


def test_answers_shrink_to_the_plainest_spelling():
    assert find(answers(SEED, grader="check"), lambda a: True, settings=QUICK) == "(8 + 28) / ((4 - 2) * 3)"


def test_incorrect_answers_cover_every_way_to_be_wrong():
    puzzle = parse("(8 + 28) / 4 - 2 * 3 = 3")
    reasons = {"wrong_value", "numbers_changed", "operators_changed", "groups_removed", "unbalanced", "unparsable"}
    for reason in reasons:
        wrong = answers(puzzle, correct=False, grader="check")
        find(wrong, lambda a: check(puzzle, a).reason == reason, settings=SEARCH)


def test_correct_answers_use_every_accepted_spelling():
    spelled = answers(SEED, grader="check")
    for wanted in ("×", "÷", ":", "x", "[", "{", "（", "  ", "８", "= 6"):
        find(spelled, lambda a: wanted in a, settings=SEARCH)
    find(spelled, lambda a: " " not in a, settings=SEARCH)
    redundant = find(spelled, lambda a: sum(a.count(b) for b in "([{（") > 3, settings=QUICK)  # fewest: 3 pairs
    assert redundant == "((8 + 28) / ((4 - 2) * 3))"


def test_grade_answers_use_latex_tags_and_boxes():
    spelled = answers(SEED, grader="grade")
    for wanted in ("\\times", "\\div", "\\left(", "\\frac{", "$", "<answer>", "\\boxed{", "**"):
        find(spelled, lambda a: wanted in a, settings=SEARCH)


def test_grade_answers_to_a_lone_operand_are_tagged():
    lone = parse("5 = 5")
    assert find(answers(lone, grader="grade"), lambda a: True, settings=QUICK) == "<answer>5</answer>"
    with pytest.raises(NoSuchExample):
        find(answers(lone, grader="grade"), lambda a: "answer" not in a and "boxed" not in a,
             settings=settings(QUICK, max_examples=300))


@pytest.mark.xfail(reason="grade() finds no answer in a bare lone number such as '5' (check() accepts it)",
                   strict=False)
def test_grade_reads_a_bare_lone_operand():
    assert grade("5 = 5", "5").ok


def test_decimal_literals():
    assert [decimal(Fraction(x)) for x in ("6", "-5/2", "1/8", "-1/20", "0")] == ["6", "-2.5", "0.125", "-0.05", "0"]
    assert decimal(Fraction(1, 3)) is None


# --- options are checked when the strategy is made ----------------------------------------------

@pytest.mark.parametrize("options", [
    dict(min_operands=0), dict(max_operands=65), dict(min_operands=3, max_operands=2), dict(min_operands=1.0),
    dict(min_value=5, max_value=4), dict(min_value="0"), dict(max_value=True), dict(ops=""), dict(ops="^"),
    dict(ops=["+"]), dict(wildcards=1), dict(fixed_groups=None), dict(places=-1), dict(places=7),
])
@pytest.mark.parametrize("strategy", [puzzles, solvable_puzzles, unsolvable_puzzles])
def test_bad_options_are_refused_at_once(strategy, options):
    with pytest.raises(InvalidArgument):
        strategy(**options)


@pytest.mark.parametrize("target", [3, None, "7/2", 2.5])
def test_puzzles_refuse_a_target_that_is_not_a_bool_or_strategy(target):
    with pytest.raises(InvalidArgument):
        puzzles(target=target)


def test_a_target_strategy_must_draw_exact_numbers():
    with pytest.raises(InvalidArgument):
        find(puzzles(target=st.just(2.5)), lambda p: True, settings=settings(QUICK, max_examples=1))


def test_unsolvable_puzzles_cap_the_operands():
    unsolvable_puzzles(max_operands=8)
    with pytest.raises(InvalidArgument):
        unsolvable_puzzles(max_operands=9)


def test_division_alone_over_zero_has_no_solvable_puzzle():
    with pytest.raises(InvalidArgument):
        solvable_puzzles(ops="/", min_value=0, max_value=0)


@pytest.mark.parametrize("call", [
    lambda: bracketings(42), lambda: bracketings("8 + + 2"), lambda: answers(None),
    lambda: answers("8 + 28 / 4"), lambda: answers(SEED, correct="yes"), lambda: answers(SEED, grader="eval"),
    lambda: answers("8 + 28 / 4 - 2 * 3 = 7", grader="check"),
])
def test_bad_arguments_to_bracketings_and_answers_are_refused_at_once(call):
    with pytest.raises(InvalidArgument):
        call()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        puzzles(1, 3)
    with pytest.raises(TypeError):
        answers(SEED, True)


# --- registration -------------------------------------------------------------------------------

def installed() -> bool:
    return any(e.value.startswith("bracketsolve.") for e in importlib.metadata.entry_points(group="hypothesis"))


@pytest.mark.skipif(not installed(), reason="bracketsolve is not installed, so its entry points are not registered")
@given(st.from_type(Puzzle))
def test_from_type_draws_puzzles(puzzle):
    assert isinstance(puzzle, Puzzle) and puzzle.target is not None


@pytest.mark.skipif(not installed(), reason="bracketsolve is not installed, so its entry points are not registered")
def test_importing_the_strategies_before_hypothesis_still_registers_puzzles():
    import subprocess
    import sys

    code = ("import bracketsolve.strategies, sys; from hypothesis import strategies as st, find; "
            "from bracketsolve import Puzzle; print(type(find(st.from_type(Puzzle), lambda p: True)).__name__, "
            "'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["Puzzle", "False"]


def test_importing_bracketsolve_does_not_import_hypothesis_or_numba():
    import subprocess
    import sys

    code = "import sys, bracketsolve; print(sorted({'hypothesis', 'numba'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- any valid options ------------------------------------------------------------------------------

@st.composite
def options(draw, max_operands: int = 5) -> dict:
    """Valid options for the puzzle strategies, edge cases included (one operand, one value, '/' alone)."""
    fewest = draw(st.integers(1, max_operands))
    lowest = draw(st.integers(-12, 12))
    return dict(min_operands=fewest, max_operands=draw(st.integers(fewest, max_operands)),
                min_value=lowest, max_value=draw(st.integers(lowest, lowest + 15)),
                ops=draw(st.sampled_from(["+", "-", "*", "/", "+-*/", "*/", "-/"])),
                wildcards=draw(st.booleans()), places=draw(st.integers(0, 2)), fixed_groups=draw(st.booleans()))


def keeps_to(puzzle, chosen) -> None:
    side = puzzle.left
    assert chosen["min_operands"] <= side.size <= chosen["max_operands"]
    assert all(chosen["min_value"] <= x <= chosen["max_value"] for x in side.numbers)
    assert all((x * 10 ** chosen["places"]).denominator == 1 for x in side.numbers)
    assert all(set(slot) <= set(chosen["ops"]) for slot in side.slots)


@settings(max_examples=60)
@given(st.data(), options())
def test_solvable_puzzles_keep_to_any_options(data, chosen):
    if chosen["ops"] == "/" and chosen["min_value"] == chosen["max_value"] == 0:
        return
    puzzle = data.draw(solvable_puzzles(**chosen))
    keeps_to(puzzle, chosen)
    assert solve(puzzle).solvable


@settings(max_examples=60)
@given(st.data(), options())
def test_unsolvable_puzzles_keep_to_any_options(data, chosen):
    puzzle = data.draw(unsolvable_puzzles(**chosen))
    keeps_to(puzzle, chosen)
    assert not solve(puzzle).solvable


@settings(max_examples=60)
@given(st.data(), options())
def test_puzzles_keep_to_any_options(data, chosen):
    puzzle = data.draw(puzzles(**chosen))
    keeps_to(puzzle, chosen)
    assert chosen["min_value"] <= puzzle.target <= chosen["max_value"]


@settings(max_examples=60)
@given(st.data(), options(max_operands=4), st.sampled_from(["check", "grade"]))
def test_answers_grade_as_promised_for_any_options(data, chosen, grader):
    if chosen["ops"] == "/" and chosen["min_value"] == chosen["max_value"] == 0:
        return
    puzzle = data.draw(solvable_puzzles(**chosen))
    judge = check if grader == "check" else grade
    assert judge(puzzle, data.draw(answers(puzzle, grader=grader))).ok
    assert not judge(puzzle, data.draw(answers(puzzle, correct=False, grader=grader))).ok
