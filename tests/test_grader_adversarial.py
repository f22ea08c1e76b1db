"""The grader as a reward that cannot be hacked: the answer span is read whole, numbers as written, chains graded on
the bracketing, claims only about the puzzle; a differential property over decorated outputs; bounded work."""

import random
import re
import time
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bracketsolve import BracketError, check, extract, grade, parse, score
from bracketsolve.evaluation.grade import REASONS
from bracketsolve.strategies import answers, bracketings, decimal, puzzles, solvable_puzzles
from bracketsolve.testing.answers import DENYING

SEED = "8 + 28 / 4 - 2 * 3 = 6"
ANSWER = "(8 + 28) / ((4 - 2) * 3)"
OK = ("correct", "correct_no_solution")

# --- issue 9, as quoted: each of these graded correct (or raised) before ------------------------------

FOOLED = [      # (puzzle, output, reason): wrong answers that graded correct
    ("3 + 4 = 7", "3 + 4!", "unknown_operator"),
    ("3 + 4 = 7", "3 + 4%", "unknown_operator"),
    ("3 + 2 = 5", "3 + 2²", "unknown_operator"),
    ("4 + 3 = 7", "√4 + 3", "unknown_operator"),
    ("3 + 4 = 7", "3 + 4 ≠ 7", "unknown_operator"),
    ("3 + 4 = 7", "<answer>3 + 4, 9</answer>", "extra_text"),
    ("3 + 4 = 7", "<answer>1, 3 + 4</answer>", "extra_text"),
    ("3 + 4 = 7", "<answer>3 + 4 and 2</answer>", "extra_text"),
    ("3 + 2 = 5", "1e3 + 2", "bad_number"),
    ("0 + 2 = 2", "1,000 + 2", "bad_number"),
    ("5 * 2 = 10", "2,5 * 2", "bad_number"),
    ("5 + 1 = 6", ".5 + 1", "numbers_changed"),
    ("8 - 2 = 6", "- (8 - 2)", "unparsable"),
    ("8 ? 11 = 8/11", "<answer>8 * 11 = 8/11</answer>", "wrong_value"),
]


@pytest.mark.parametrize("puzzle, output, reason", FOOLED)
def test_appended_and_prefixed_text_is_never_dropped(puzzle, output, reason):
    verdict = grade(puzzle, output)
    assert (verdict.ok, verdict.reason) == (False, reason), verdict
    assert score(output, puzzle) == 0.0


REJECTED = [    # (puzzle, output): right answers that were rejected
    ("0.5 + 1 = 1.5", ".5 + 1"),
    ("-8 + 14 = 6", "- 8 + 14"),
    (SEED, "1. (8 + 28) / ((4 - 2) * 3)"),
    (SEED, "(8 + 28) ⁄ ((4 - 2) * 3)"),
    (SEED, f"{ANSWER}\nEvery other placement is impossible."),
    (SEED, f"{ANSWER}\n注意不能使用其他运算符"),
]


@pytest.mark.parametrize("puzzle, output", REJECTED)
def test_right_answers_written_in_these_ways_are_right(puzzle, output):
    assert grade(puzzle, output).reason == "correct"


def test_huge_numbers_never_raise():
    output = "8" * 4301 + " + 1"
    assert score(output, "8 + 1 = 9") == 0.0
    assert extract(output, parse("8 + 1 = 9")).reason == "too_large"
    assert extract(output).reason == "too_large"
    assert check("8 + 1 = 9", output).reason == "too_large"


def test_huge_numbers_are_too_large():
    assert grade("8 + 1 = 9", "8" * 4301 + " + 1").reason == "too_large"
    assert grade("8 + 1 = 9", "<answer>" + "8" * 401 + " + 1</answer>").reason == "too_large"
    assert grade("8 + 1 = 9", "1" + "0" * 100_000 + " + 1").reason in ("too_large", "no_answer")


def test_the_cli_grades_a_huge_number_without_a_traceback(tmp_path, capsys):
    import json

    from bracketsolve.cli import main

    puzzles = tmp_path / "p.jsonl"
    puzzles.write_text(json.dumps({"metadata": {"puzzle": "8 + 1 = 9"}}) + "\n")
    outputs = tmp_path / "o.jsonl"
    outputs.write_text(json.dumps("8" * 4301 + " + 1") + "\n")
    assert main(["grade", str(puzzles), str(outputs)]) == 1
    assert "too_large" in capsys.readouterr().out


# --- numbers are read as written ----------------------------------------------------------------------

@pytest.mark.parametrize("puzzle, output, reason", [
    ("0.5 + 1 = 1.5", "0.5 + 1", "correct"),
    ("2.5 * 2 = 5", "2.50 * 2", "correct"),
    ("2.5 * 2 = 5", "2.5 * 2.0", "correct"),
    ("5 + 1 = 6", ".5 + 1", "numbers_changed"),
    ("-8 + 14 = 6", "-8 + 14", "correct"),
    ("8 + 14 = 22", "- 8 + 14", "numbers_changed"),           # a lone leading minus is a sign
    ("8 + 14 = 22", "- step one\n- 8 + 14", "correct"),       # ... unless it is one of several bullets
    ("12 + 3 = 15", "1 2 + 3", "unparsable"),                  # never glued
    ("1.5 + 1 = 2.5", "1. 5 + 1", "numbers_changed"),          # "1." at the start is a list marker, never glued
    ("1000 + 2 = 1002", "1 000 + 2", "unparsable"),
    ("1000 + 2 = 1002", "1000 + 2", "correct"),
    ("3 + 4 = 7", "<answer>3rd + 4</answer>", "bad_number"),
    ("2 * 3 = 6", "2 x 3", "correct"),
    ("8 / 2 = 4", "8:2", "correct"),
    ("8 + 2 = 10", "Step 1: 8 + 2", "correct"),
    ("8 + 28 / 4 - 2 * 3 = 6", "（８＋２８）÷（（４－２）×３）", "correct"),
    ("3 + 4 = 7", "3 + 4.", "correct"),
    ("3 + 4 = 7", "3 + 4..", "bad_number"),
    ("0.3 + 4 = 4.3", "Hmm...3 + 4", "unknown_operator"),
])
def test_numbers_are_read_as_written(puzzle, output, reason):
    assert grade(puzzle, output).reason == reason


def test_extract_check_and_parse_read_a_leading_point_alike():
    assert extract(".5 + 1").text == ".5 + 1"
    assert parse(".5 + 1 = 1.5").left.numbers == (Fraction(1, 2), 1)
    assert check("0.5 + 1 = 1.5", ".5 + 1").ok and grade("0.5 + 1 = 1.5", ".5 + 1").ok


# --- what touches the expression ------------------------------------------------------------------------

@pytest.mark.parametrize("output, reason", [
    ("(8 + 28) / ((4 - 2) * 3)^2", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3)**1", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3) ≈ 6", "unknown_operator"),
    (r"\sqrt{(8 + 28) / ((4 - 2) * 3)}", "unknown_operator"),
    (r"$(8 + 28) / ((4 - 2) * 3) \neq 5$", "unknown_operator"),
    ("sqrt((8 + 28) / ((4 - 2) * 3))", "unknown_operator"),
    ("abs((8 + 28) / ((4 - 2) * 3))", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3) squared", "unknown_operator"),
    ("minus (8 + 28) / ((4 - 2) * 3)", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3) times two", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3) plus 1", "extra_text"),
    ("<answer>(8 + 28) / ((4 - 2) * 3) or 8 + 28 / (4 - 2) * 3</answer>", "extra_text"),
    ("<answer>(8 + 28) / ((4 - 2) * 3)\n8 + 28 / (4 - 2) * 3</answer>", "extra_text"),
    ("(8 + 28) / ((4 - 2) * 3)\n+ 1", "extra_text"),
    ("(8 + 28) / ((4 - 2) * 3) ✓", "unknown_operator"),
    ("I think it's (8 + 28) / ((4 - 2) * 3)!", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3)…", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3) =\u0338 5", "unknown_operator"),
    ("(8 + 28) / ((4 - 2) * 3)乘二", "unknown_operator"),
    ("<answer>(8 + 28) / ((4 - 2) * 3) + two</answer>", "extra_text"),
    ("<answer>(8 + 28) / ((4 - 2) * 3) with two pairs</answer>", "extra_text"),
    ("(8 + 28) / ((4 - 2) * 3)' ", "unknown_operator"),
    ("3⁄4 (8 + 28) / ((4 - 2) * 3)", "unparsable"),
    ("½ (8 + 28) / ((4 - 2) * 3)", "bad_number"),
    ("(8 + 28)\u200b8 / ((4 - 2) * 3)", "unparsable"),
])
def test_anything_but_wrapping_next_to_the_expression_rejects_it(output, reason):
    verdict = grade(SEED, output)
    assert (verdict.ok, verdict.reason) == (False, reason), verdict
    assert verdict.detail


@pytest.mark.parametrize("output", [
    f"2\\boxed{{{ANSWER}}}", f"\\boxed{{{ANSWER}}}1", f"$\\boxed{{{ANSWER}}}^2$", f"\\sqrt{{\\boxed{{{ANSWER}}}}}",
    f"\\boxed{{{ANSWER}}} - 1", f"\\boxed{{{ANSWER}}}!", f"\\boxed{{{ANSWER}}} \\times 2",
])
def test_arithmetic_written_onto_a_box_from_outside_rejects_it(output):
    assert grade(SEED, output).reason == "unknown_operator", output


@pytest.mark.parametrize("puzzle, output", [
    (SEED, f"{ANSWER}\n≠ 5"), (SEED, f"{ANSWER}\n+"), (SEED, f"{ANSWER}\n乘二"), (SEED, f"{ANSWER}\n* 2"),
    (SEED, "(8 + 28) /\n((4 - 2) * 3)"), ("0 = 0", "- a first try\n- 0\n+ 1"), ("2 = 2", "2\n* 2"),
])
def test_an_expression_that_goes_on_across_a_line_break_is_not_read_in_part(puzzle, output):
    assert grade(puzzle, output).reason == "extra_text", output


@pytest.mark.parametrize("output", [
    f"The answer is \\boxed{{{ANSWER}}}.", f"(\\boxed{{{ANSWER}}})", f"\\boxed{{{ANSWER}}} = 6", f"1. \\boxed{{{ANSWER}}}",
    f"\\quad\\boxed{{{ANSWER}}}", f"\\boxed{{{ANSWER}}} - done", f"{ANSWER}\n- note: it nests two deep",
    f"- a first try\n- {ANSWER}\n- a check", f"* {ANSWER}\n* that was it",
])
def test_wrapping_outside_the_span_is_free(output):
    assert grade(SEED, output).reason == "correct", output


@pytest.mark.parametrize("output", [
    f"The answer is {ANSWER}.", f"**Answer:** `{ANSWER}`", f"Answer: {ANSWER}", f"答案：{ANSWER}。",
    f"<answer>The answer is {ANSWER}.</answer>", f"So, {ANSWER}, as required.", f"→ {ANSWER}",
    f"I think it's {ANSWER}.", f"“{ANSWER}”", f"<answer>\n\\[\n{ANSWER}\n\\]\n</answer>",
    f"### Final answer\n{ANSWER}", f"> {ANSWER}", f"• {ANSWER}", f"Is it impossible? No: {ANSWER}",
    f"{ANSWER}\nThat is the only bracketing that works.", f"{ANSWER} = 36 / 6 = 6", f"6 = {ANSWER}",
    f"{ANSWER} = 6.0", f"{ANSWER} = 12/2", f"<answer>$\\boxed{{{ANSWER}}}$</answer>",
    f"{ANSWER}\nWithout brackets it would be impossible.", f"{ANSWER}\nNo other bracketing works.",
    f"{ANSWER} -> done", "```\n" + ANSWER + "\n```", f"{ANSWER}\nThat is the only way; any change makes it impossible.",
    f"{ANSWER} works. The rest is impossible.", f"{ANSWER}\nIt is impossible to do it with fewer brackets.",
    f"{ANSWER}\n不存在其他解。", f"{ANSWER} (checked)", f"(see above) {ANSWER}", f"'{ANSWER}'",
])
def test_wrapping_is_read_past(output):
    assert grade(SEED, output).reason == "correct", output


# --- chains are graded on the bracketing, never on the target --------------------------------------------

@pytest.mark.parametrize("puzzle, output, reason", [
    ("8 ? 11 = 8/11", "8 / 11 = 8/11", "correct"),
    ("8 ? 11 = 8/11", "8/11", "correct"),
    ("8 ? 11 = 8/11", "8/11 = 8 * 11", "wrong_value"),
    ("8 ? 11 = 8/11", "8 * 11 = 8 / 11", "wrong_value"),
    ("8 ? 11 = 8/11", r"$8 \times 11 = \frac{8}{11}$", "wrong_value"),
    ("8 ? 11 = 88", "8 * 11 = 8 / 11", "ambiguous"),
    ("6 / 3 = 2", "2 = 6 / 3 = 2", "correct"),
    ("6 ? 3 = 2", "6 / 3 = 6 - 3", "wrong_value"),
    ("-7 / -10 = 7/10", "-7 / -10 = 7/10", "correct"),
    ("-7 / -10 = 7/10", "(-7) / (-10) = 7/10", "correct"),
    ("5 = 5", "5", "correct"),
    ("5 = 5", "5 = 5", "correct"),
    (SEED, f"{ANSWER} = 36 / 5 = 6", "wrong_equation"),
    (SEED, f"{ANSWER} = (8 + 28) / (6)", "correct"),
    (SEED, "8 + 28 / (4 - 2) * 3 = 50", "wrong_value"),
    (SEED, f"{ANSWER} = 6 = 7", "wrong_equation"),
    (SEED, f"{ANSWER} = 6 ? 1", "wrong_equation"),
    (SEED, " = ".join([ANSWER] * 9), "too_large"),
    ("1 + 2 * 3 = 3 * 3", "(1 + 2) * 3 = 3 * 3", "correct"),
    ("1 + 2 * 3 = 3 * 3", "(1 + 2) * 3 = 3 * 3 = 9", "numbers_changed"),
])
def test_chains(puzzle, output, reason):
    assert grade(puzzle, output).reason == reason
    assert check(puzzle, output).reason == reason


def test_a_chain_of_targets_is_not_a_bracketing():
    assert grade(SEED, "<answer>6 = 6</answer>").reason == "numbers_changed"
    assert check(SEED, "6 = 6").reason == "numbers_changed"


# --- claims: only about this puzzle ------------------------------------------------------------------------

NONE = "8 + 28 / 4 - 2 * 3 = 7"


@pytest.mark.parametrize("output", [
    "There is no solution.", "It is impossible to make 7.", "After checking all 14 bracketings: impossible.",
    f"{ANSWER} fails, so it is impossible.", "无解", "无法使等式成立", "<answer>no solution</answer>",
    "I tried every placement, and all others fail; there is no solution.", "<answer>none</answer>",
    "This puzzle has no solution: the closest values are 5 and 59/7.", "<answer>no solution (nearest: 59/7)</answer>",
    "There is no solution to this puzzle.", "There is no solution to this.", "There is no answer to it",
    "So there is no solution to the equation, as far as all 14 bracketings go.",
])
def test_claims_about_the_puzzle(output):
    assert grade(NONE, output).reason == "correct_no_solution"


@pytest.mark.parametrize("output", [
    "Is it impossible?", "It is not impossible.", "Every other placement is impossible.",
    "It is impossible to use fewer brackets.", "注意不能使用其他运算符", "If that fails, there is no solution.",
    "We might think it is impossible.", "At first it seems impossible.", "No solution?",
    "There is no solution to this with fewer brackets.", "There is no solution to the other puzzle.",
    "Is there no solution to this puzzle?",
])
def test_phrases_that_are_not_claims_about_the_puzzle(output):
    assert grade(NONE, output).reason == "no_answer"


# --- issue 13: argument order and types ---------------------------------------------------------------------

ENTRY = {"metadata": {"puzzle": SEED}}


def test_grade_and_score_take_the_same_keywords():
    assert grade(puzzle=SEED, output=ANSWER).ok
    assert grade(entry=ENTRY, output=ANSWER).ok
    assert grade(output=ANSWER, entry=ENTRY).ok
    assert score(output=ANSWER, entry=ENTRY) == 1.0
    assert score(entry=ENTRY, output=ANSWER) == 1.0
    assert score(ANSWER, puzzle=SEED) == 1.0
    assert score(output=ANSWER, puzzle=parse(SEED)) == 1.0
    assert grade(puzzle_or_entry=ENTRY, output=ANSWER).ok               # the old keyword


@pytest.mark.parametrize("call, says", [
    (lambda: grade(ANSWER, ENTRY), "swapped"),
    (lambda: score(ENTRY, ANSWER), "swapped"),
    (lambda: score(parse(SEED), ANSWER), "swapped"),
    (lambda: grade(f"<answer>{ANSWER}</answer>", SEED), "swapped"),
    (lambda: score(SEED, f"<answer>{ANSWER}</answer>"), "swapped"),
    (lambda: grade([], ANSWER), "puzzle text, a Puzzle or a generated entry"),
    (lambda: grade(None, ANSWER), "puzzle text, a Puzzle or a generated entry"),
    (lambda: grade(SEED, ["an", "output"]), "must be text"),
    (lambda: grade(SEED, [{"role": "assistant", "content": ANSWER}]), "content"),
    (lambda: grade(SEED, b"(8 + 28)"), "decode"),
    (lambda: score(42, ENTRY), "must be text"),
    (lambda: grade(SEED), "needs the model's output"),
    (lambda: score(ANSWER), "needs the puzzle or entry"),
    (lambda: score(ANSWER, ENTRY, puzzle=SEED), "both"),
    (lambda: grade("8 + 28 / 4", ANSWER), "no '= target'"),
    (lambda: check([], ANSWER), "puzzle text or a Puzzle"),
])
def test_wrong_arguments_get_a_bracket_error_that_says_what_was_expected(call, says):
    with pytest.raises(BracketError, match=None) as raised:
        call()
    assert says in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_bad_puzzle_still_says_where():
    from bracketsolve import ParseError

    with pytest.raises(ParseError):
        grade("8 + + 2 = 3", ANSWER)


# --- bounded work ----------------------------------------------------------------------------------------

ADVERSARIAL = {
    "chain": (ANSWER + " = ") * 2700,
    "tagged chain": "<answer>" + (ANSWER + " = ") * 2700 + "</answer>",
    "megabyte tag": "<answer>" + (ANSWER + " ") * 40_000 + "</answer>",
    "megabyte of numbers": "1 a " * 250_000,
    "megabyte of suspects": "√" * 1_000_000,
    "megabyte of Cyrillic": "ответ " * 170_000 + ANSWER,
    "deep brackets in a tag": "<answer>" + "(" * 9000 + ANSWER + ")" * 9000 + "</answer>",
    "claims and lines": ("impossible " + ANSWER + "\n") * 20_000,
    "commas": "1," * 500_000,
    "digits and letters": "1e" * 500_000,
    "combining": "1\u0338" * 500_000,
    "bullets": "- 1\n" * 250_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_outputs_are_graded_quickly(name):
    output = ADVERSARIAL[name]
    best = None
    for _ in range(3):
        start = time.process_time()
        verdict = grade(SEED, output)
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    assert verdict.reason in REASONS
    assert best < 0.25, (name, best)            # the benchmark measures it (benchmarks/test_grader.py)


# --- the differential property -----------------------------------------------------------------------------

KEEPS = [   # decorations that keep what the output says: (template, needs) with {e} the expression, {t} the target
    "{e}", "<answer>{e}</answer>", "<answer>\n{e}\n</answer>", "\\boxed{{{e}}}", "So $\\boxed{{{e}}}$.",
    "The answer is {e}.", "**Answer:** `{e}`", "Answer: {e}", "答案：{e}", "1. {e}", "- a first try\n- {e}",
    "{e} = {t}", "{t} = {e}", "Let me think.\n\n{e}\nThat was fun!", "<think>maybe 1 + 2 = 3?</think>\n{e}",
    "{e}\nEvery other placement is impossible.", "{e}\n注意不能使用其他运算符", "<answer>So, {e}, as required.</answer>",
    "• {e}", "{e}.\n", "Thinking... no.\n<answer>{e}</answer>", "$$ {e} $$",
    "{e}. No other placement works.", "Is it impossible? No: {e}", "{e}\nThe others are wrong.", "**{e}**",
    "**Answer:** {e}", "{e} = **{t}**", "{e}\nIt is not hard to check.", "Done! {e}", "{e}; the others fail.",
]
BREAKS = [  # decorations that change what it says: the output is never a correct bracketing
    "{e}!", "{e}%", "{e}²", "{e} ^ 2", "{e}**2", "{e} + 1", "{e} * 1", "{e} - 0", "√{e}", "√({e})", "{e} ≠ {t}",
    "<answer>{e}, 9</answer>", "<answer>1, {e}</answer>", "<answer>{e} and 2</answer>", "{e} = {t} + 1",
    "<answer>{e} or {e}</answer>", "{e}\n+ 1", "{e}\n* 2", "sqrt({e})", "{e} squared", "-({e})",
    "{e} = {t}\n<answer>{e}, {e}</answer>", "{e} ≈ {t}", "<answer>{e} (that is 2 pairs)</answer>",
    "{e}'", "{e} mod 7", "{e}\u0338", "|{e}|", "{e} × 10²", "1e0 * {e}",
    "The answer is not {e}", "{e} is wrong", "{e} is incorrect.", "{e} does not work", "Not {e}.", "{e} (false)",
    "{e} = {t} \\quad\\text{{(false)}}", "\\text{{not }} {e}", "<answer>{e} isn't right</answer>", "{e} ✗",
    "!{e}", "?{e}", "<answer>!{e}</answer>", "{e} ***", "{e}**", "** {e}", "*** {e} ***", "It's never {e}.",
]
BREAKS += list(DENYING)        # the denials answers(correct=False) draws for users' graders: after the tag included
GLYPHS = [("*", " * "), ("*", " × "), ("*", "·"), ("/", " / "), ("/", " ÷ "), ("-", " − "), ("*", " \\times "),
          ("/", " \\div ")]


@st.composite
def decorated(draw, *, breaks: bool):
    """(puzzle, output, what the output says is a correct bracketing)."""
    puzzle = draw(puzzles(max_operands=5, max_value=12, places=draw(st.sampled_from([0, 0, 1]))))
    assume(puzzle.target is not None and decimal(puzzle.target) is not None)
    bracketing = draw(bracketings(puzzle))
    expression = str(bracketing)
    for plain, spelled in GLYPHS:
        if draw(st.booleans()) and (plain != "-" or "- " in expression):
            expression = expression.replace(f" {plain} ", spelled)
    if draw(st.booleans()):
        expression = "(" + expression + ")"
    template = draw(st.sampled_from(BREAKS if breaks else KEEPS))
    # a bare number then ". " at the start of a line reads as a numbered-list marker ("1. (8 + 28) / ..."), so a
    # one-operand answer written "0. No other placement works." is rejected (no_answer): a false rejection, never a
    # false payment, and left so on purpose
    assume(breaks or not (template.startswith("{e}. ") and re.fullmatch(r"-?[0-9.]+", expression)))
    output = template.format(e=expression, t=decimal(puzzle.target))
    return puzzle, output, (not breaks) and bracketing.holds


@settings(max_examples=400)
@given(decorated(breaks=False))
def test_kept_decorations_grade_as_the_bracketing_says(case):
    puzzle, output, holds = case
    verdict = grade(puzzle, output)
    assert verdict.ok == holds, (str(puzzle), output, verdict)


@settings(max_examples=400)
@given(decorated(breaks=True))
def test_decorations_that_change_the_answer_never_grade_correct(case):
    puzzle, output, _ = case
    verdict = grade(puzzle, output)
    assert not verdict.ok, (str(puzzle), output, verdict)
    assert verdict.reason in REASONS


@settings(max_examples=300)
@given(st.data(), solvable_puzzles(max_operands=5, places=1, wildcards=True, fixed_groups=True))
def test_check_and_grade_agree_on_bare_answers(data, puzzle):
    answer = data.draw(st.one_of(answers(puzzle, grader="check"), answers(puzzle, correct=False, grader="check")))
    assert check(puzzle, answer).ok == grade(puzzle, answer).ok, answer


ALPHABET = st.sampled_from(list("0123456789+-*/()[]{}=.,;:!?%^ \n\t√²½≠xX·×÷−–—…'\"") +
                           ["<answer>", "</answer>", "\\boxed{", "}", "\\frac{", "<think>", "</think>", "无解",
                            "no solution", "impossible", "other", "\u0338", "\u200b", "\ud800", "８", "٣", "e",
                            " and ", "1,000", "- ", "1. ", "Step 1: ", "**", "`", "$"])


@settings(max_examples=500)
@given(st.lists(ALPHABET, max_size=40).map("".join), st.sampled_from([SEED, NONE, "8 ? 11 = 8/11", "5 = 5",
                                                                      "1 + 2 * 3 = 3 * 3", "-8 + 14 = 6"]))
def test_any_output_gets_a_verdict(output, puzzle):
    verdict = grade(puzzle, output)
    assert verdict.reason in REASONS
    assert verdict.ok == (verdict.reason in OK)
    found = extract(output, parse(puzzle))
    assert re.fullmatch(r"[\d+\-*/()\[\]{}=?. \t]*", found.text), found


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_any_unicode_gets_a_verdict(output):
    assert grade(SEED, output).reason in REASONS


def test_a_correct_answer_hidden_among_candidates_never_scores():
    rng = random.Random(7)
    wrong = ["8 + 28 / (4 - 2) * 3", "(8 + 28) / (4 - 2) * 3", "8 + 28 / 4 - 2 * 3"]
    for _ in range(50):
        listed = rng.sample(wrong, 2) + [ANSWER]
        rng.shuffle(listed)
        for joined in (", ".join(listed), " or ".join(listed), "; ".join(listed)):
            assert not grade(SEED, f"<answer>{joined}</answer>").ok, joined


# --- review 2: negated claims, disowned answers, glued prefixes, stray '**' --------------------------------

@pytest.mark.parametrize("output", [
    "It is not true that there is no solution.", "the claim 'no solution' is false", "no solution is impossible",
    "I cannot find that there is no solution", "I don't think there is no solution.", "Maybe there is no solution.",
    "There is probably no solution.", f"{ANSWER}, or no solution", f"Either {ANSWER} or no solution",
    f"<answer>{ANSWER} or no solution</answer>", "\"No solution\" is wrong.", "It's false that it is impossible.",
])
def test_a_claim_inside_a_negation_or_hedge_is_not_paid(output):
    verdict = grade(NONE, output)
    assert (verdict.ok, verdict.reason) == (False, "unclear_claim"), verdict
    assert verdict.detail
    assert score(output, NONE) == 0.0


@pytest.mark.parametrize("output", [
    "After checking all 14 bracketings, none works: there is no solution.",
    "Since 7 cannot be reached, there is no solution.", "There is no solution, it is impossible.",
    "No bracketing gives 7, so there is no solution.",
])
def test_plain_claims_with_reasons_stay_claims(output):
    assert grade(NONE, output).reason == "correct_no_solution", output


@pytest.mark.parametrize("output", [
    f"The answer is not {ANSWER}", f"{ANSWER} is wrong", f"{ANSWER} is incorrect", f"{ANSWER} does not work",
    f"{ANSWER} = 6 \\quad\\text{{(false)}}", f"\\text{{not }} {ANSWER}", f"{ANSWER} \\text{{no}}",
    f"<answer>{ANSWER} (false)</answer>", f"{ANSWER} isn't it", f"Not {ANSWER}.", f"{ANSWER} fails.",
    f"It's never {ANSWER}", f"{ANSWER} is invalid",
])
def test_an_answer_the_output_disowns_is_not_paid(output):
    verdict = grade(SEED, output)
    assert (verdict.ok, verdict.reason) == (False, "disowned"), verdict
    assert verdict.detail


@pytest.mark.parametrize("output", [
    f"!{ANSWER}", f"?{ANSWER}", f"<answer>!{ANSWER}</answer>", f"Answer:!{ANSWER}",
])
def test_a_sign_glued_before_the_expression_rejects_it(output):
    assert grade(SEED, output).reason == "unknown_operator", output


@pytest.mark.parametrize("output", ["2 *** 3", "2 ** * 3", "2 * 3**", "2 * ** 3", "**2 * 3", "2 * 3 **",
                                    "(2)**+**3"])
def test_stray_double_stars_reject(output):
    assert grade("2 * 3 = 6", output).reason == "unknown_operator", output


@pytest.mark.parametrize("output", ["**2 * 3**", "**Answer:** 2 * 3", "**Answer: 2 * 3**", "2 * 3 = **6**",
                                    "The answer is **2 * 3**.", "Done! 2 * 3", "Which one? 2 * 3"])
def test_a_real_bold_pair_and_spaced_punctuation_are_wrapping(output):
    assert grade("2 * 3 = 6", output).reason == "correct", output


HEDGED_CLAIMS = [   # a claim of no solution inside a negation, a hedge or an alternative: never paid
    "It is not true that there is no solution.", "the claim 'no solution' is false", "no solution is impossible",
    "I cannot find that there is no solution", "Perhaps it is impossible.", "{e} or there is no solution",
    "<answer>{e}, or no solution</answer>", "It isn't the case that it is unsolvable.", "\"No solution\" is wrong.",
]


@settings(max_examples=200)
@given(puzzles(max_operands=4, max_value=12), st.sampled_from(HEDGED_CLAIMS), st.data())
def test_hedged_claims_never_grade_correct(puzzle, template, data):
    assume(puzzle.target is not None)
    output = template.format(e=str(data.draw(bracketings(puzzle))))
    verdict = grade(puzzle, output)
    assert (verdict.ok, verdict.reason) == (False, "unclear_claim"), (str(puzzle), output, verdict)
