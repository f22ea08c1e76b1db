"""Grading whole outputs: every reason code, entries, score(), and bounded time on adversarial outputs."""

import json
import random
import time
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bracketsolve import parse
from bracketsolve.errors import BracketError
from bracketsolve.evaluation.generate import generate
from bracketsolve.evaluation.grade import REASONS, grade, puzzle_of, score

SEED = "8 + 28 / 4 - 2 * 3 = 6"
NONE = "8 + 28 / 4 - 2 * 3 = 7"          # 14 bracketings, none equals 7
ANSWER = "(8 + 28) / ((4 - 2) * 3)"
ENTRY = {"question": "...", "answer": ANSWER, "metadata": {"puzzle": SEED, "target": "6"}}

EXAMPLES = [        # (puzzle, output, reason): one at least for every reason code
    (SEED, f"<answer>{ANSWER}</answer>", "correct"),
    (SEED, "8 + 28 / (4 - 2) * 3", "wrong_value"),
    (SEED, "(8 + 29) / ((4 - 2) * 3)", "numbers_changed"),
    (SEED, "(8 + 28) / ((4 - 2) + 3)", "operators_changed"),
    ("(8 + 28) / 4 - 2 * 3 = 3", "8 + 28 / 4 - 2 * 3", "groups_removed"),
    (SEED, "((8 + 28) / ((4 - 2) * 3)", "unbalanced"),
    ("6 / 3 - 3 = -1", "6 / (3 - 3)", "division_by_zero"),
    (SEED, "<answer>(8 + 28) / ((4 - 2) * * 3)</answer>", "unparsable"),
    (SEED, "<answer>(8 + 28) / ((4 - 2) * 3) ^ 1</answer>", "unknown_operator"),
    (SEED, "<answer>(8 + 28) / ((4 - 2) * 3)!</answer>", "unknown_operator"),
    ("1000 + 2 = 1002", "1,000 + 2", "bad_number"),
    (SEED, "<answer>(8 + 28) / ((4 - 2) * 3), 9</answer>", "extra_text"),
    (SEED, "(8 + 28) / ((4 - 2) * 3) = 8 + 28 / (4 - 2) * 3", "ambiguous"),
    (SEED, f"{ANSWER} = 7", "wrong_equation"),
    (NONE, "I tried all 14 bracketings; there is no solution.", "correct_no_solution"),
    (SEED, r"\boxed{\text{impossible}}", "wrong_no_solution"),
    (NONE, ANSWER, "missed_no_solution"),
    (SEED, "I don't know.", "no_answer"),
    (NONE, "It is not true that there is no solution.", "unclear_claim"),
    (SEED, f"{ANSWER} is wrong", "disowned"),
    (SEED, "<answer>" + "1 + " * 70 + "1</answer>", "too_large"),
]


def test_every_reason_has_an_example():
    assert sorted({reason for _, _, reason in EXAMPLES}) == sorted(REASONS)


@pytest.mark.parametrize("puzzle, output, reason", EXAMPLES)
def test_reason_codes(puzzle, output, reason):
    verdict = grade(puzzle, output)
    assert verdict.reason == reason, verdict
    assert verdict.ok == (reason in ("correct", "correct_no_solution"))


def test_values_are_exact():
    verdict = grade("1 / 3 + 1 / 6 = 0.5", "1 / 3 + 1 / 6")
    assert verdict.ok and str(verdict.value) == "1/2"
    assert grade("1 / 3 + 1 / 6 = 0.5", "1 / (3 + 1) / 6").value == Fraction(1, 24)


def test_no_float_tolerance():
    # 1 / 3 * 3 is exactly 1, and (1 / 3) * 3.0000001 is not 1 at any tolerance.
    assert grade("1 / 3 * 3 = 1", "(1 / 3) * 3").ok
    assert not grade("1 / 3 * 3.0000001 = 1", "(1 / 3) * 3.0000001").ok


def test_chains_of_working_after_the_answer():
    assert grade(SEED, f"{ANSWER} = 36 / 6 = 6").ok
    assert grade(SEED, f"6 = {ANSWER}").ok
    assert grade(SEED, f"{ANSWER} = 7").reason == "wrong_equation"    # the chain's arithmetic is judged too
    assert grade(SEED, "8 + 28 / 4 - 2 * 3 = 9").reason == "wrong_value"


def test_equation_with_two_free_sides_takes_the_whole_equation():
    puzzle = "1 + 2 * 3 = 3 * 3"
    assert grade(puzzle, "(1 + 2) * 3 = 3 * 3").ok
    assert grade(puzzle, "1 + 2 * 3 = 3 * 3").reason == "wrong_value"


def test_missed_no_solution_keeps_the_underlying_reason():
    verdict = grade(NONE, "8 + 28 / (4 - 2) * 3")
    assert verdict.reason == "missed_no_solution" and "wrong_value" in verdict.detail
    assert verdict.value == 50


def test_wrong_no_solution_names_a_solution():
    assert ANSWER in grade(SEED, "无解").detail


# --- entries and score ------------------------------------------------------------------------------

def test_entries_and_puzzles_alike():
    assert grade(ENTRY, ANSWER).ok
    assert grade(parse(SEED), ANSWER).ok
    assert puzzle_of(ENTRY) == parse(SEED)


def test_bad_entries_raise():
    for entry in ({}, {"metadata": {}}, {"metadata": {"puzzle": 6}}, {"metadata": "x"}):
        with pytest.raises(BracketError):
            grade(entry, ANSWER)
    with pytest.raises(BracketError):
        grade({"metadata": {"puzzle": "8 + + 2 = 3"}}, ANSWER)


def test_score_is_a_reward():
    assert score(ANSWER, ENTRY) == 1.0
    assert score("8 + 28 / (4 - 2) * 3", ENTRY) == 0.0
    assert score(None, ENTRY) == 0.0
    assert score("no solution", {"metadata": {"puzzle": NONE}}) == 1.0
    assert isinstance(score(ANSWER, ENTRY), float)


def test_credit_goes_only_to_well_formed_wrong_answers():
    credit = 0.25
    assert score("8 + 28 / (4 - 2) * 3", ENTRY, wrong_format_credit=credit) == credit       # wrong value
    assert score("impossible", ENTRY, wrong_format_credit=credit) == credit                 # wrong claim
    assert score("8 + 28 / (4 - 2) * 3", {"metadata": {"puzzle": NONE}}, wrong_format_credit=credit) == credit
    for malformed in ("(8 + 29) / ((4 - 2) * 3)", "(8 + 28", "I don't know", "9**9**9"):
        assert score(malformed, ENTRY, wrong_format_credit=credit) == 0.0, malformed
    assert score(ANSWER, ENTRY, wrong_format_credit=credit) == 1.0
    assert score("8 + 28 / (4 - 2) * 3", ENTRY, wrong_format_credit=Fraction(1, 4)) == 0.25


@pytest.mark.parametrize("credit", [-0.1, 1.5, "0.1", None, True])
def test_credit_is_validated(credit):
    with pytest.raises(BracketError):
        score(ANSWER, ENTRY, wrong_format_credit=credit)


def test_usable_as_score_answer():
    def score_answer(answer, entry):
        return score(answer, entry)

    assert score_answer(ENTRY["answer"], ENTRY) == 1.0


# --- adversarial outputs ----------------------------------------------------------------------------

ADVERSARIAL = [
    "9**9**9", "9 ** 9 ** 9 ** 9", "10^10^10", "__import__('os').system('echo pwned')",
    "<answer>__import__('os')</answer>", "<answer>9**9**9</answer>", r"\boxed{9^{9^{9}}}",
    "(" * 5000 + "8 + 28" + ")" * 5000 + " / ((4 - 2) * 3)",
    "Think. " * 150_000, "<answer>" + "(" * 200_000, "1" * 1_000_000, "8 + " * 250_000 + "8",
    "<answer>" + "8" * 401 + " + 1</answer>",
]


@pytest.mark.parametrize("output", ADVERSARIAL, ids=lambda s: s[:24])
def test_adversarial_outputs_are_graded_quickly(output):
    grade(SEED, "warm the solver's cache")
    times = []
    for _ in range(3):                          # the least of three: a garbage collection is not the work
        start = time.process_time()
        verdict = grade(SEED, output)
        times.append(time.process_time() - start)
    assert min(times) < 0.1
    assert verdict.reason in REASONS


def test_deep_redundant_brackets_are_still_correct():
    assert grade(SEED, "(" * 5000 + "8 + 28" + ")" * 5000 + " / ((4 - 2) * 3)").ok


def test_puzzle_too_large_to_decide_a_claim(monkeypatch):
    from importlib import import_module

    from bracketsolve.errors import TooLargeError

    grading = import_module("bracketsolve.evaluation.grade")

    def too_large(*args, **kwargs):
        raise TooLargeError("past the work cap", limit="max_work", value=10 ** 9)

    monkeypatch.setattr(grading, "solve", too_large)
    grading._example.cache_clear()
    try:
        puzzle = "1 ? 2 ? 3 = 7"
        assert grade(puzzle, "no solution").reason == "too_large"
        assert grade(puzzle, "1 * (2 + 3)").reason == "too_large"      # wrong, and solving would decide why
        assert grade(puzzle, "1 + 2 * 3").reason == "correct"          # right answers need no solving
    finally:
        grading._example.cache_clear()


# --- the command line -------------------------------------------------------------------------------

def write_jsonl(path, items):
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return str(path)


def run_cli(capsys, *argv):
    from bracketsolve.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    entries = [ENTRY, {"question": "...", "answer": "no solution", "metadata": {"puzzle": NONE}}, ENTRY]
    outputs = [{"output": f"<answer>{ANSWER}</answer>"}, "I checked all 14: no solution.",
               {"response": "8 + 28 / (4 - 2) * 3"}]
    return write_jsonl(tmp_path / "p.jsonl", entries), write_jsonl(tmp_path / "o.jsonl", outputs)


def test_cli_grade_report(capsys, files):
    code, out, err = run_cli(capsys, "grade", *files)
    assert code == 1 and err == ""
    assert out.splitlines() == ["accuracy 2/3 (66.7%)", "  correct                   1",
                                "  wrong_value               1", "  correct_no_solution       1"]


def test_cli_grade_json_has_a_verdict_per_line(capsys, files):
    code, out, _ = run_cli(capsys, "--json", "grade", *files)
    report = json.loads(out)
    assert code == 1
    assert (report["graded"], report["correct"], report["accuracy"]) == (3, 2, "2/3")
    assert [item["reason"] for item in report["items"]] == ["correct", "correct_no_solution", "wrong_value"]
    assert report["items"][2]["value"] == "50"
    assert [item["answer"] for item in report["items"]] == [ANSWER, "no solution", "8 + 28 / (4 - 2) * 3"]


def test_cli_grade_all_correct_exits_0(capsys, tmp_path):
    puzzles = write_jsonl(tmp_path / "p.jsonl", [ENTRY])
    outputs = write_jsonl(tmp_path / "o.jsonl", [ANSWER])
    assert run_cli(capsys, "grade", puzzles, outputs)[0] == 0


@pytest.mark.parametrize("outputs, message", [
    (["a", "b"], "entries but"),
    ([{"nothing": 1}], "expected a JSON string"),
])
def test_cli_grade_bad_files_exit_2(capsys, tmp_path, outputs, message):
    puzzles = write_jsonl(tmp_path / "p.jsonl", [ENTRY])
    code, out, err = run_cli(capsys, "grade", puzzles, write_jsonl(tmp_path / "o.jsonl", outputs))
    assert code == 2 and message in err


def test_cli_grade_shows_a_rejected_span_and_its_reason(capsys, tmp_path):
    puzzles = write_jsonl(tmp_path / "p.jsonl", [ENTRY])
    outputs = write_jsonl(tmp_path / "o.jsonl", [f"<answer>{ANSWER}!</answer>"])
    code, out, _ = run_cli(capsys, "--json", "grade", puzzles, outputs)
    (item,) = json.loads(out)["items"]
    assert code == 1 and (item["reason"], item["answer"]) == ("unknown_operator", f"{ANSWER}!")


def test_cli_grade_an_output_field_that_is_not_text_exit_2(capsys, tmp_path):
    puzzles = write_jsonl(tmp_path / "p.jsonl", [ENTRY])
    code, _, err = run_cli(capsys, "grade", puzzles, write_jsonl(tmp_path / "o.jsonl", [{"output": 42}]))
    assert code == 2 and "line 1" in err and "'output' field must be a JSON string" in err


def test_cli_grade_prints_outputs_with_lone_surrogates(capsys, tmp_path):
    puzzles = write_jsonl(tmp_path / "p.jsonl", [ENTRY, ENTRY])
    outputs = tmp_path / "o.jsonl"
    outputs.write_text('"' + ANSWER + '\\ud800"\n{"output": "<answer>\\ud83d ' + ANSWER + '</answer>"}\n')
    code, out, _ = run_cli(capsys, "--json", "grade", puzzles, str(outputs))
    assert code == 1 and [item["reason"] for item in json.loads(out)["items"]] == ["unknown_operator"] * 2
    out.encode("utf-8")


def test_cli_grade_not_json_exit_2(capsys, tmp_path):
    puzzles = write_jsonl(tmp_path / "p.jsonl", [ENTRY])
    bad = tmp_path / "o.jsonl"
    bad.write_text("not json\n")
    code, _, err = run_cli(capsys, "grade", puzzles, str(bad))
    assert code == 2 and "line 1: not JSON" in err


def test_the_evaluating_guide_runs():
    import doctest
    from pathlib import Path

    guide = Path(__file__).resolve().parent.parent / "docs" / "evaluating.md"
    failures, tried = doctest.testfile(str(guide), module_relative=False)
    assert tried > 0 and failures == 0


# --- properties: any dressing of a right answer is right; any garbage is graded, never raises ---------

DRESSINGS = [
    "<answer>{}</answer>", "Final answer: \\boxed{{{}}}", "So the answer is ${}$.", "**Answer:** `{}`",
    "Reasoning...\n\n{} = {target}", "答案：{}", "{}\n", "- a first try\n- {}", "<answer>\n{}\n</answer>\nDone.",
    "1. {}", "{}.", "Answer: {}. That is the only bracketing that works.",
]
LATEX = [("*", " \\times "), ("/", " \\div "), ("(", "\\left("), (")", "\\right)")]
FULL_WIDTH = str.maketrans("0123456789+-*/()=", "０１２３４５６７８９＋－＊／（）＝")


def dress(answer, target, rng):
    if rng.random() < 0.3:
        for plain, latex in LATEX:
            answer = answer.replace(plain, latex)
    elif rng.random() < 0.3:
        answer = answer.translate(FULL_WIDTH)
    return rng.choice(DRESSINGS).format(answer, target=target)


def test_every_dressing_of_a_right_answer_is_right():
    rng = random.Random(0)
    for entry in generate(60, operands=5, kind="solvable", min_depth=1, seed="dress"):
        output = dress(entry["answer"], entry["metadata"]["target"], rng)
        assert grade(entry, output).ok, output


def test_swapping_two_numbers_is_caught():
    for entry in generate(30, operands=5, kind="unique", min_depth=1, seed="swap"):
        numbers = entry["metadata"]["numbers"]
        if numbers[0] == numbers[1]:
            continue
        answer = entry["answer"]
        a, b = numbers[0], numbers[1]
        first, second = answer.index(a), answer.index(b, answer.index(a) + len(a))
        swapped = answer[:first] + b + answer[first + len(a):second] + a + answer[second + len(b):]
        assert grade(entry, swapped).reason == "numbers_changed", (answer, swapped)


PIECES = ["<answer>", "</answer>", "\\boxed{", "{", "}", "\\frac{", "\\left(", "\\right)", "(", ")", "8", "28", "4",
          "2", "3", "6", "7", " + ", " - ", " * ", " / ", "=", "**", "^", "\n", "无解", "no solution", "<think>",
          "</think>", "$", "`", "x", "×", "÷", "－", "（", "）", ".", "\\text{", "impossible", " ", "\\", "١", "²",
          "\u200b", "none", "--"]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from([SEED, NONE, "1 + 2 * 3 = 3 * 3",
                                                                                     "(8 + 28) / 4 - 2 * 3 = 3"]))
def test_any_text_gets_a_reason(output, puzzle):
    verdict = grade(puzzle, output)
    assert verdict.reason in REASONS
    assert verdict.ok == (verdict.reason in ("correct", "correct_no_solution"))


@pytest.mark.parametrize("puzzle, output", [
    ("8 / 2 = 4", "8 : 2"),
    ("3 * -1 = -3", "3 x -1"),
    ("2 * (3 + 4) = 14", "2 x {3 + 4}"),
    ("8 + 2 = 10", "Step 1: 8 + 2"),
])
def test_colon_and_x_glyphs_found_outside_tags(puzzle, output):
    assert grade(puzzle, output).reason == "correct"


def test_a_target_with_the_operands_digits_is_not_taken_for_the_answer():
    assert grade("-7 / -10 = 7/10", "-7 / -10 = 7/10").reason == "correct"
    assert grade("-7 / -10 = 7/10", "(-7) / (-10) = 7/10").reason == "correct"
