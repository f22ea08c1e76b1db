"""Answer extraction from a model's whole output: every form, and bounded work on adversarial text."""

import time

import pytest

from bracketsolve import parse
from bracketsolve.evaluation.extract import TAIL, extract, normalize, writes

SEED = parse("8 + 28 / 4 - 2 * 3 = 6")
ANSWER = "(8 + 28) / ((4 - 2) * 3)"


def text_of(output, puzzle=SEED):
    found = extract(output, puzzle)
    assert found.kind == "expression", found
    return " ".join(found.text.split())


# --- where the answer is ----------------------------------------------------------------------------

def test_answer_tag_wins_over_everything_else():
    output = f"Maybe 8 + 28 / (4 - 2) * 3?\n<answer>{ANSWER}</answer>\nso \\boxed{{8 + 28 / 4 - 2 * 3}}"
    found = extract(output, SEED)
    assert (found.source, found.text) == ("answer_tag", ANSWER)


def test_the_last_answer_tag_is_taken():
    output = "<answer>8 + 28 / 4 - 2 * 3</answer> no wait <ANSWER >" + ANSWER + "</answer>"
    assert text_of(output) == ANSWER


def test_an_answer_tag_the_output_never_closes():
    assert text_of("<answer>8 + 28 / 4 - 2 * 3</answer> hmm, better: <answer>" + ANSWER) == ANSWER


def test_an_empty_answer_tag_is_the_format_being_echoed():
    output = "I will put the answer inside <answer></answer> tags... actually: \\boxed{" + ANSWER + "}"
    found = extract(output, SEED)
    assert (found.source, found.text) == ("boxed", ANSWER)


def test_a_boxed_value_defers_to_the_expression_before_it():
    found = extract(f"So {ANSWER} = 36 / 6 = 6.\n\\boxed{{6}}", SEED)
    assert (found.source, found.text) == ("line", f"{ANSWER} = 36 / 6 = 6")
    assert extract("The value is \\boxed{6}", SEED).text == "6"            # nothing else: the box it is
    assert extract(f"{ANSWER}\n<answer>8 + 28 / 4 - 2 * 3</answer>", SEED).text == "8 + 28 / 4 - 2 * 3"


def test_only_text_after_the_reasoning_counts():
    thinking = f"<think>Maybe {ANSWER}? Let me check... 36 / 6 = 6.</think>\n"
    assert text_of(thinking + "Final: 8 + 28 / (4 - 2) * 3") == "8 + 28 / (4 - 2) * 3"
    assert text_of("I must bracket.\n" + thinking + f"<answer>{ANSWER}</answer>") == ANSWER
    assert text_of(f"{ANSWER}</think>\n\\boxed{{{ANSWER}}}") == ANSWER          # the template opened it
    assert extract(thinking + "So I give up.", SEED).kind == "none"
    assert extract(f"<think>Trying {ANSWER} = 6, yes! So the answer", SEED).kind == "none"   # cut off


def test_boxed_with_nested_braces():
    found = extract(r"Thus \boxed{\left(8+28\right) \div {\left((4-2) \times 3\right)}}.", SEED)
    assert found.source == "boxed"
    assert " ".join(found.text.split()) == "(8+28) / {((4-2) * 3)}"
    assert parse(found.text).left.numbers == SEED.left.numbers


def test_the_last_boxed_is_taken_and_an_unclosed_one_is_skipped():
    output = r"\boxed{8 + 28 / 4 - 2 * 3} then \boxed{" + ANSWER + r"} and finally \boxed{8 + 2"
    assert text_of(output) == ANSWER


def test_boxed_inside_an_answer_tag():
    assert text_of(r"<answer>$\boxed{" + ANSWER + "}$</answer>") == ANSWER


def test_last_line_holding_an_expression():
    output = f"Let me try.\n8 + 28 / (4 - 2) * 3 = 50, no.\nThe answer is {ANSWER}.\nThat was fun!"
    found = extract(output, SEED)
    assert (found.source, found.text) == ("line", ANSWER)


def test_a_later_line_of_working_does_not_hide_the_answer_when_the_puzzle_is_known():
    output = f"{ANSWER} = 36 / 6 = 6\nCheck: 36 / 6 = 6"
    assert text_of(output).startswith(ANSWER)
    assert extract(output).text == "36 / 6 = 6"


def test_nothing_found():
    for output in ("", "   ", "I give up.", None, 42, b"(1 + 2)", "<answer></answer>", "<answer>I don't know</answer>"):
        assert extract(output, SEED).kind == "none"


# --- normalization ----------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    r"$(8 + 28) \div ((4 - 2) \times 3)$",
    r"\((8 + 28) \div ((4 - 2) \cdot 3)\)",
    r"\[\left(8 + 28\right) / \left(\left(4 - 2\right) \times 3\right)\]",
    r"\frac{8 + 28}{(4 - 2) \times 3}",
    r"\dfrac{\left(8 + 28\right)}{\left(4 - 2\right) \cdot 3}",
    r"$$\bigl(8 + 28\bigr) \div \Bigl((4 - 2) \ast 3\Bigr)$$",
    "`(8 + 28) / ((4 - 2) * 3)`",
    "**(8 + 28) / ((4 - 2) * 3)**",
    "```\n(8 + 28) / ((4 - 2) * 3)\n```",
    "- first, 8 + 28 / 4 - 2 * 3 is 9\n- (8 + 28) / ((4 - 2) * 3)",
    "1. (8 + 28) / ((4 - 2) * 3)",
    "(8 + 28) ⁄ ((4 - 2) * 3)",
    "<answer>\n- (8 + 28) / ((4 - 2) * 3)\n</answer>".replace("- (", "* ("),
    "（８ ＋ ２８）／（（４ － ２）＊ ３）",
    "(8 + 28) ÷ ((4 − 2) × 3)",
    "(8 + 28) / ((4 - 2) x 3)",
    "(8 + 28) / ((4 - 2) · 3)",
    "(((8 + 28))) / (((4 - 2)) * (3))",
    "[(8 + 28)] / {[(4 - 2)] * 3}",
    "(8 + 28) / ((4 - 2) * 3) = 6",
    "(8 + 28) / ((4 - 2) * 3) ＝ ６",
    "答案：（8+28）÷（（4-2）×3）=6。",
])
def test_written_forms_parse_to_the_puzzle_numbers(written):
    found = extract(written, SEED)
    assert found.kind == "expression", written
    expression = found.text.split("=")[0]
    assert parse(expression).left.numbers == SEED.left.numbers, (written, found.text)


def test_normalize_maps_latex_and_glyphs():
    assert " ".join(normalize(r"3 \times 4 \div 2 \cdot 1").split()) == "3 * 4 / 2 * 1"
    assert normalize(r"\frac{\frac{1}{2}}{3}") == "((1)/(2))/(3)"
    assert "*" not in normalize(r"a \cdots b")          # \cdots is an ellipsis, not \cdot
    assert normalize("９**９**９") == "9^9^9"               # powers stay, for the reader to reject
    assert normalize("**(8 + 28)** / 2**3") == " (8 + 28)  / 2^3"
    assert "*" not in normalize("box")


def test_writes_checks_numbers_in_order():
    assert writes("(8 + 28) / ((4 - 2) * 3)", SEED)
    assert not writes("(8 + 28) / ((2 - 4) * 3)", SEED)
    assert not writes("(8 + 28) / ((4 - 2) * 3) + 1", SEED)


# --- claims that there is no solution ---------------------------------------------------------------

@pytest.mark.parametrize("claim", [
    "There is no solution.", "No valid bracketing exists.", "This is impossible.", "It's not possible.",
    "The equation cannot be made true.", "None exists.", "No such arrangement", "unsolvable",
    r"\boxed{\text{No solution}}", "<answer>none</answer>", "<answer>N/A</answer>", r"\boxed{\emptyset}",
    "无解", "经过尝试，这是不可能的。", "这样的括号不存在", "没有解", "无法使等式成立", "答案：无解",
    "NO SOLUTION", "There are no solutions.",
])
def test_no_solution_claims(claim):
    assert extract(claim, SEED).kind == "no_solution", claim


def test_the_later_of_claim_and_expression_wins():
    assert extract(f"Is it impossible? No: {ANSWER}", SEED).kind == "expression"
    assert extract(f"{ANSWER} fails, so it is impossible.", SEED).kind == "no_solution"
    assert extract(f"It seemed impossible.\n{ANSWER}", SEED).kind == "expression"
    assert extract(f"{ANSWER}\nwait, that is 54... there is no solution", SEED).kind == "no_solution"


def test_a_claim_inside_the_tag_beats_expressions_outside_it():
    assert extract(f"{ANSWER}\n<answer>no solution</answer>", SEED).kind == "no_solution"


# --- adversarial outputs: never eval, bounded work ---------------------------------------------------

def timed(output):
    """The extraction and its least CPU time over three runs (a garbage collection is not the work)."""
    best = None
    for _ in range(3):
        start = time.process_time()
        found = extract(output, SEED)
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    return found, best


@pytest.mark.parametrize("output", [
    "9**9**9", "9 ** 9 ** 9", "2^3^4", "__import__('os').system('rm -rf /')", "eval('1+1')",
    "exec(open('x').read()) + 1", "lambda: (8 + 28)", "import os; os._exit(1)",
])
def test_code_and_exponents_are_text(output):
    found, elapsed = timed(output)
    assert elapsed < 0.05
    assert found.kind in ("expression", "none", "rejected")
    assert set(found.text) <= set("0123456789+-*/()[]{}=. ")      # only arithmetic text comes out


ADVERSARIAL = {
    "a megabyte of prose": ("I think. " * 120_000),
    "a megabyte of lines": "1 + 1\n" * 180_000,
    "a megabyte of newlines": "\n" * 1_000_000,
    "open brackets": "(" * 1_000_000,
    "operators": "1" + "+-*/" * 250_000 + "2",
    "dashes": "1" + "-" * 1_000_000,
    "open tags": "<answer>" * 120_000,
    "close tags": "</answer>" * 110_000,
    "open boxes": "\\boxed{" * 140_000,
    "fractions": "\\frac{" * 160_000,
    "claims": "impossible " * 100_000,
    "Chinese claims": "不可能" * 300_000,
    "bold": "**" * 500_000,
    "digits": "7" * 1_000_000,
    "times": "1 x " * 250_000,
    "exponent tower": "9" + "**9" * 300_000,
    "think tags": "<think>" * 70_000 + "</think>" * 70_000 + "1 + 1\n" * 1000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_megabyte_outputs_take_milliseconds(name):
    found, elapsed = timed(ADVERSARIAL[name])
    assert elapsed < 0.1, (name, elapsed)
    assert len(found.raw) <= 200


def test_thousands_of_nested_brackets():
    output = "(" * 5000 + "8 + 28" + ")" * 5000 + " / ((4 - 2) * 3)"
    found, elapsed = timed(output)
    assert found.kind == "expression" and elapsed < 0.1
    assert parse(found.text).left.numbers == SEED.left.numbers


def test_the_answer_at_the_end_of_a_megabyte():
    found, elapsed = timed("Let me think step by step. " * 40_000 + "\nFinal: " + ANSWER)
    assert found.text == ANSWER and elapsed < 0.1


def test_only_the_tail_is_searched():
    found = extract(ANSWER + "\n" + "blah " * (TAIL // 4), SEED)
    assert found.kind == "none"
