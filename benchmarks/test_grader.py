"""pytest-benchmark timings of grading one model output: ordinary ones, a 64 KB repetitive one, and adversarial
ones of a megabyte (the budget is 50 ms for any of them); the same for the free-order graders (grade_game,
score_game, compute_score).

    python -m pytest benchmarks/test_grader.py --benchmark-timer=time.process_time --benchmark-columns=min,max

Not part of the normal test run (pyproject's testpaths). A warm-up call comes first, so the puzzle is solved
(for claims) and cached before timing; what is measured is finding, reading and checking the answer.
"""

from __future__ import annotations

import pytest

from bracketsolve import grade

SEED = "8 + 28 / 4 - 2 * 3 = 6"
ANSWER = "(8 + 28) / ((4 - 2) * 3)"
MEGABYTE = 1_000_000

OUTPUTS = {         # name -> (output, the verdict's reason)
    "ordinary tagged answer": (f"Let me think.\n<answer>{ANSWER}</answer>", "correct"),
    "ordinary 2 KB of reasoning": ("I will try each bracketing in turn. " * 55 + f"\nSo the answer is {ANSWER}.",
                                   "correct"),
    "64 KB chain": ((ANSWER + " = ") * 2700, "too_large"),
    "64 KB of answer lines": ((ANSWER + "\n") * 2700, "correct"),
    "1 MB of prose, then the answer": ("Let me think step by step. " * 37_000 + f"\nFinal: {ANSWER}", "correct"),
    "1 MB chain": ((ANSWER + " = ") * 40_000, "too_large"),
    "1 MB tag holding a chain": ("<answer>" + (ANSWER + " = ") * 40_000 + "</answer>", "too_large"),
    "1 MB of nested boxes": ("\\boxed{" * 140_000 + ANSWER, "unknown_operator"),
    "1 MB of open tags": ("<answer>" * 125_000, "no_answer"),
    "1 MB of open brackets": ("(" * MEGABYTE, "no_answer"),
    "1 MB of digits": ("7" * MEGABYTE, "no_answer"),
    "1 MB of 'I think', then a cut-off <think>": ("I think. " * 111_000 + "<think>" + ANSWER, "no_answer"),
    "1 MB exponent tower": ("9" + "**9" * 333_333, "unknown_operator"),
    "1 MB of '1 a '": ("1 a " * 250_000, "no_answer"),
    "1 MB of glued numbers": ("x1 " * 333_333, "bad_number"),
    "1 MB of square roots": ("√" * MEGABYTE, "no_answer"),
    "1 MB of combining overlays": ("1\u0338" * 500_000, "no_answer"),
    "1 MB of Cyrillic, then the answer": ("ответ " * 166_000 + ANSWER, "correct"),
    "1 MB of claims in Chinese": ("不可能" * 333_333, "wrong_no_solution"),
    "1 MB of commentary claims": ("Every other placement is impossible. " * 27_000 + ANSWER, "correct"),
    "1 MB of \\frac{": ("\\frac{" * 166_000, "no_answer"),
    "1 MB of dash bullets": ("- 1\n" * 250_000, "no_answer"),
    "1 MB: 100k closing tags, each followed by text": (f"<answer>{ANSWER}" + "</answer> is it wrong" * 45_000,
                                                        "disowned"),
    "1 MB: 40k boxes, each followed by a denial": (f"\\boxed{{{ANSWER}}} is it wrong? " * 25_000, "disowned"),
    "1 MB sentence after the tag": (f"<answer>{ANSWER}</answer> " + "and so on " * 100_000, "correct"),
    "1 MB sentence before the tag": ("so " * 330_000 + f"<answer>{ANSWER}</answer>", "correct"),
    "1 MB of 'no solution other than'": ("no solution other than " * 45_000 + ANSWER, "unclear_claim"),
    "1 MB of chains around a box": ("1 = " * 125_000 + f"\\boxed{{{ANSWER}}}" + " = 6" * 125_000, "too_large"),
    "18 KB of redundant brackets in a tag": ("<answer>" + "(" * 9000 + ANSWER + ")" * 9000 + "</answer>", "correct"),
}


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_grade(benchmark, name):
    output, reason = OUTPUTS[name]
    verdict = benchmark.pedantic(grade, args=(SEED, output), rounds=5, warmup_rounds=1)
    assert verdict.reason == reason, verdict


GAME = "4 7 8 8 -> 24"
GAME_ENTRY = {"metadata": {"puzzle": GAME, "rules": "24", "numbers": ["4", "7", "8", "8"], "target": "24",
                           "ops": "+-*/"}}
GROUND_TRUTH = {"target": 24, "numbers": [4, 7, 8, 8]}
GAME_OUTPUTS = {    # free-order grading of hostile outputs (a super-linear tag reader once took 141.8 s on 176 KB)
    "1 MB: closing tags, each followed by text": "<answer>(7 - 8 / 8) * 4" + "</answer> is it wrong" * 45_000,
    "1 MB of chains around a box": "1 = " * 125_000 + "\\boxed{(7 - 8 / 8) * 4}" + " = 24" * 100_000,
    "1 MB of open tags": "<answer>" * 125_000,
    "1 MB of open tags holding a number": "<answer> 1 " * 91_000,
    "1 MB of closed tags": "<answer>1</answer>" * 55_000,
    "1 MB of open tags, then a closed one": "<answer> (" * 100_000 + "<answer>(7 - 8 / 8) * 4</answer>",
}


@pytest.mark.parametrize("reader", ["grade_game", "score_game", "compute_score"])
@pytest.mark.parametrize("name", list(GAME_OUTPUTS))
def test_grade_game(benchmark, name, reader):
    from bracketsolve.evaluation.games_grade import grade_game, score_game
    from bracketsolve.evaluation.games_rewards import compute_score

    call = {"grade_game": lambda out: grade_game(GAME, out), "score_game": lambda out: score_game(out, GAME_ENTRY),
            "compute_score": lambda out: compute_score(out, GROUND_TRUTH)}[reader]
    benchmark.pedantic(call, args=(GAME_OUTPUTS[name],), rounds=5, warmup_rounds=1)
