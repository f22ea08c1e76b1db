"""Free-order grading: every reason code, adversarial answers (the holes of the datasets' own verifiers),
answer spans in whole outputs, and the drop-in rewards on entries shaped exactly like those projects'."""

import numpy as np
import pytest

from bracketsolve import BracketError, grade
from bracketsolve.evaluation.games_check import check_game
from bracketsolve.evaluation.games_generate import generate_games
from bracketsolve.evaluation.games_grade import answer_span, grade_game, score_game
from bracketsolve.evaluation.games_rewards import (compute_score, countdown_score_answer, puzzle24_score_answer,
                                                    score_answer)

from .test_games_reader import RG_COUNTDOWN, RG_PUZZLE24, TINYZERO


@pytest.mark.parametrize("answer, reason", [
    ("(7 - 8 / 8) * 4", "correct"),
    ("4*(7-8/8)", "correct"),
    ("[7 − 8 ÷ 8] × 4", "correct"),
    ("（７－８÷８）×４", "correct"),
    ("(7 - 8 / 8) * 4 = 24", "correct"),
    ("(7 - 8 / 8) * 4 = 25", "wrong_value"),
    ("7 * 8 - 4 * 8 + 0", "numbers_changed"),        # a number the puzzle does not have
    ("4 * 6", "numbers_changed"),
    ("(7 - 8 / 8) * 4 * 8 / 8", "number_reused"),
    ("(7 - 8 / 8) * 4 * (8 - 8)", "number_reused"),
    ("8 * (7 - 4)", "numbers_missing"),
    ("8 * (7 - 4) + 8 - 8", "number_reused"),
    ("(7 - 8 // 8) * 4", "operators_changed"),
    ("(7 - 8 / 8) ** 4", "operators_changed"),
    ("(7 - 8 / 8) ^ 4", "operators_changed"),
    ("(7 - 8 % 8) * 4", "operators_changed"),
    ("(7 - 8 ? 8) * 4", "operators_changed"),
    ("(7 - 8 / 8) * 4 is 24", "unparsable"),          # appended text
    ("The answer: (7 - 8 / 8) * 4", "unparsable"),     # prepended text
    ("(7 - 8 / 8) * 4; import os", "unparsable"),
    ("-(8 / 8 - 7) * 4", "unparsable"),               # unary minus on a bracket
    ("4(7 - 8 / 8)", "unparsable"),                    # implicit multiplication
    ("(7 - 8 / 8 * 4", "unbalanced"),
    ("7 / (8 - 8) * 4", "division_by_zero"),
    ("", "unparsable"),
    ("9" * 20000, "too_large"),
])
def test_reasons(answer, reason):
    verdict = check_game("4 7 8 8 -> 24", answer)
    assert verdict.reason == reason, verdict
    assert verdict.ok == (reason == "correct")


def test_decimals_do_not_stand_for_two_numbers():
    assert check_game("[1, 5, 2], 3", "1.5 * 2").reason == "numbers_changed"
    assert check_game("[2, 5], 5", "2.5 * 2").reason == "numbers_changed"
    assert check_game("[2.5, 2], 5", "2.5 * 2").reason == "correct"


def test_float_near_misses_are_wrong():
    assert check_game("[1000, 1, 200], 1000", "1000 + 1 / 200").reason == "wrong_value"
    assert check_game("[100000, 3, 33333], 1/3", "100000 / 3 - 33333").reason == "correct"
    assert check_game("[9, 5, 4, 2], 24", "(9 * 5 + 4) / 2").reason == "wrong_value"     # 24.5


def test_countdown_allows_a_sub_multiset_and_24_does_not():
    assert check_game("25 50 75 100 3 6 -> 952", "(100 + 6) * 3 * 75 / 50", rules="countdown").reason == \
        "wrong_value"
    assert check_game("25 50 75 100 3 6 -> 952", "((100 + 6) * 3 * 75 - 50) / 25", rules="countdown").ok
    assert check_game("3 4 5 -> 7", "3 + 4", rules="countdown").ok
    assert check_game("3 4 5 -> 7", "3 + 4", rules="24").reason == "numbers_missing"
    assert check_game("3 4 5 -> 7", "3 + 4 + 3 - 3", rules="countdown").reason == "number_reused"


def test_tv_rule_and_ops():
    assert check_game("3 3 8 8 -> 24", "8 / (3 - 8 / 3)", rules="24").ok
    assert check_game("3 3 8 8 -> 24", "8 / (3 - 8 / 3)", rules="24-tv").reason == "rule_broken"
    assert check_game("4 7 8 8 -> 24", "(7 - 8 / 8) * 4", ops="+-*").reason == "operators_changed"
    assert check_game("1 2 3 -> 0", "1 + 2 - 3", rules="24-tv").reason == "rule_broken"


def test_negative_numbers_of_the_puzzle_are_written_with_their_sign():
    assert check_game("-3 5 -> 2", "-3 + 5").ok
    assert check_game("-3 5 -> 8", "5 - -3").ok
    assert check_game("3 5 -> 2", "-3 + 5").reason == "numbers_changed"


def test_a_bad_puzzle_raises_and_a_bad_answer_never_does():
    with pytest.raises(BracketError):
        check_game("4 7 8 8", "4 + 7", rules="countdown")          # no target
    assert check_game("4 7 8 8 -> 24", None).reason == "unparsable"
    assert check_game("4 7 8 8 -> 24", "(" * 3000 + "4" + ")" * 3000).reason == "numbers_missing"


# --- whole outputs -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("output, kind, text", [
    ("<think>try 8*3</think>\nSo <answer>(7 - 8/8) * 4</answer>", "expression", "(7 - 8/8) * 4"),
    ("<answer>1 + 1</answer> then <answer>(7 - 8/8) * 4</answer>", "expression", "(7 - 8/8) * 4"),
    ("Format: <answer></answer>. Mine: \\boxed{(7 - 8 \\div 8) \\times 4}", "expression", "(7 - 8 / 8) * 4"),
    ("```\n(7 - 8/8) * 4\n```", "expression", "(7 - 8/8) * 4"),
    ("Working...\nFinal answer: (7 - 8/8) * 4.", "expression", "(7 - 8/8) * 4"),
    ("<answer>No solution exists.</answer>", "no_solution", "No solution exists."),
    ("I tried all of them.\n无解", "no_solution", "无解"),
    ("<think>still thinking (7 - 8/8) * 4", "none", ""),
    ("", "none", ""),
])
def test_answer_spans(output, kind, text):
    found = answer_span(output)
    assert (found.kind, found.text) == (kind, text)


def test_grade_decides_claims_of_none_by_solving():
    assert grade_game("1 1 1 1 -> 24", "<answer>impossible</answer>").reason == "correct_no_solution"
    assert grade_game("3 3 8 8 -> 24", "<answer>no solution</answer>").reason == "wrong_no_solution"
    assert grade_game("1 1 1 1 -> 24", "<answer>1 + 1 + 1 + 1</answer>").reason == "missed_no_solution"
    assert grade_game("3 3 8 8 -> 24", "nothing here").reason == "no_answer"


def test_generated_entries_grade_their_own_answers():
    for kind in ("solvable", "unsolvable"):
        for entry in generate_games(3, rules="countdown-tv", numbers=4, values=(1, 10), target=(10, 60),
                                    kind=kind, seed=9):
            assert grade_game(entry, f"<answer>{entry['answer']}</answer>").ok
            assert score_game(entry["answer"], entry) == 1.0
    entry = next(generate_games(1, rules="24", seed=9))
    assert score_game("<answer>4 * 6</answer>", entry) == 0.0
    assert score_game("<answer>1 + 2 + 3 + 4</answer>", entry, wrong_format_credit=0.1) in (0.0, 0.1)


# --- the drop-in rewards, on entries shaped exactly like the projects' own --------------------------------

TINYZERO_ROW = {      # TinyZero's examples/data_preprocess/countdown.py row, as verl loads it from parquet
    "data_source": "countdown", "prompt": [{"role": "user", "content": TINYZERO}], "ability": "math",
    "reward_model": {"style": "rule", "ground_truth": {"target": np.int64(98), "numbers": np.array([44, 19, 35])}},
    "extra_info": {"split": "train", "index": 0}, "target": 98, "nums": [44, 19, 35],
}
RG_COUNTDOWN_ENTRY = {
    "question": RG_COUNTDOWN, "answer": "15 - 4 + 95 + 36 - 32 + 29",
    "metadata": {"source_dataset": "countdown", "source_index": 0, "numbers": [36, 29, 95, 32, 4, 15], "target": 139,
                 "expression": "15 - 4 + 95 + 36 - 32 + 29",
                 "difficulty": {"numbers": (4, 6), "target": (100, 999), "value": (1, 100)}},
}
RG_PUZZLE24_ENTRY = {
    "question": RG_PUZZLE24, "answer": "4 + 3 + 9 + 8",
    "metadata": {"source_dataset": "puzzle24", "source_index": 0, "numbers": [4, 3, 9, 8],
                 "difficulty": {"value": (1, 10)}},
}


def tinyzero(response: str, **options):
    """As TinyZero's trainer calls it: prompt + response, by keyword."""
    gt = TINYZERO_ROW["reward_model"]["ground_truth"]
    return compute_score(solution_str=TINYZERO + response, ground_truth=gt, **options)


@pytest.mark.parametrize("response, reward", [
    (" 44 + 19 + 35 = 98 </think>\n<answer>44 + 19 + 35</answer>", 1.0),
    ("</think>\n<answer>(44 + 19) + 35</answer><|im_end|>", 1.0),
    ("</think>\n<answer>44 + 19 + 35</answer>\nDone.", 1.0),             # TinyZero: 0 (last line only)
    ("</think>\n<answer>\n44 + 19 + 35\n</answer>", 1.0),
    ("</think> <answer>44 + 19 - 35</answer>", 0.1),
    ("</think> <answer>44 + 19 + 35 + 0</answer>", 0.1),
    ("</think> <answer>44 + 19</answer>", 0.1),                            # every number is required
    ("</think> <answer>44 * 19 ** 0 + 35 + 19</answer>", 0.1),
    ("</think> <answer>44 // 1 + 19 + 35</answer>", 0.1),
    ("</think> <answer>98</answer>", 0.1),
    ("</think> no tags at all: 44 + 19 + 35", 0),
    ("", 0),
])
def test_tinyzero_compute_score(response, reward):
    got = tinyzero(response)
    assert got == reward and type(got) is type(reward)


def test_tinyzero_holes_are_closed():
    """Each of these scores 1.0 with TinyZero's own function (verified in the research notes)."""
    for solution, gt in [("Assistant: <answer>2**3</answer>", {"target": 8, "numbers": [2, 3]}),
                         ("Assistant: <answer>7//2</answer>", {"target": 3, "numbers": [7, 2]}),
                         ("Assistant: <answer>1.5*2</answer>", {"target": 3, "numbers": [1, 5, 2]}),
                         ("Assistant: <answer>100000/3-33333</answer>",
                          {"target": 0.33333, "numbers": [100000, 3, 33333]})]:
        if isinstance(gt["target"], float):
            with pytest.raises(BracketError):                  # a float target is refused, not rounded
                compute_score(solution, gt)
            continue
        assert compute_score(solution, gt) == 0.1


def test_the_prompts_example_answer_is_not_graded():
    gt = TINYZERO_ROW["reward_model"]["ground_truth"]
    assert compute_score(TINYZERO + " I am not sure.", gt) == 0       # the prompt's <answer> (1 + 2) / 3 </answer>


def test_verl_calls_it_with_the_response_only():
    row = TINYZERO_ROW
    extra = dict(row["extra_info"], num_turns=1, rollout_reward_scores={})
    assert compute_score(data_source=row["data_source"], solution_str="<answer>35 + 44 + 19</answer>",
                         ground_truth=row["reward_model"]["ground_truth"], extra_info=extra) == 1.0


def test_tinyzero_options():
    assert tinyzero("<answer>44 + 19</answer>", format_score=0.0) == 0.0
    assert tinyzero("<answer>44 + 19 + 35</answer>", score=2.0) == 2.0
    assert compute_score("Assistant: <answer>3 + 4</answer>", {"target": 7, "numbers": [3, 4, 5]},
                         rules="countdown") == 1.0
    assert compute_score("Assistant: <answer>no solution</answer>", {"target": 24, "numbers": [1, 1, 1, 1]},
                         judge_no_solution=True) == 1.0
    assert compute_score("Assistant: <answer>no solution</answer>", {"target": 24, "numbers": [1, 1, 1, 1]}) == 0.1


@pytest.mark.parametrize("answer, reward", [
    ("15 - 4 + 95 + 36 - 32 + 29", 1.0),
    ("36 + 29 + 95 - 32 + 15 - 4", 1.0),
    ("(36 + 29 + 95) - (32 - 15 + 4)", 1.0),
    ("36 + 29 + 95 - 32 + 15", 0.05),                  # a number left out
    ("36 + 29 + 95 - 32 + 15 - 4 + 0", 0.05),
    ("36 + 29 + 95 - 32 + 15 * 4", 0.05),              # wrong value
    ("36 + 29 + 95 - 32 + 15 - 4 = 139", 0.01),        # the format says: no '='
    ("36 + 29 + 95 - 32 + 15 ** 1 - 4", 0.01),
    ("sqrt(36) + 29", 0.01),
    ("", 0.01),
    (None, 0.01),
])
def test_reasoning_gym_countdown(answer, reward):
    assert countdown_score_answer(answer, RG_COUNTDOWN_ENTRY) == reward
    assert score_answer(answer, RG_COUNTDOWN_ENTRY) == reward


def test_reasoning_gym_countdown_holes_are_closed():
    entry = {"metadata": {"source_dataset": "countdown", "numbers": [1000, 1, 200], "target": 1000}}
    assert countdown_score_answer("1000+1/200", entry) == 0.05        # np.isclose gave 1.0
    entry = {"metadata": {"source_dataset": "countdown", "numbers": [1, 5, 2], "target": 3}}
    assert countdown_score_answer("1.5*2", entry) == 0.05             # \b\d+\b read 1.5 as 1 and 5
    entry = {"metadata": {"source_dataset": "countdown", "numbers": [1, 5, 3], "target": 3}}
    assert countdown_score_answer("1**5*3", entry) == 0.01


@pytest.mark.parametrize("answer, reward", [
    ("(9 - 3) * (8 - 4)", 1.0),
    ("4 + 3 + 9 + 8", 1.0),
    ("4*6*1*1", 0.01),                       # reasoning-gym: 1.0 on any puzzle (numbers never compared)
    ("(9*5+4)/2", 0.01),                     # 24.5: reasoning-gym's int() made it 24
    ("(3 + 9) * (8 - 4) / 2", 0.01),
    ("4 + 3 + 9 + 8 + 0", 0.01),
    ("", 0.01),
    (None, 0.01),
])
def test_reasoning_gym_puzzle24(answer, reward):
    assert puzzle24_score_answer(answer, RG_PUZZLE24_ENTRY) == reward
    assert score_answer(answer, RG_PUZZLE24_ENTRY) == reward


def test_score_answer_refuses_other_datasets():
    with pytest.raises(BracketError):
        score_answer("1", {"metadata": {"source_dataset": "basic_arithmetic"}})


# --- claims of no solution are read by the shared claim reader, as `grade` reads them ------------------------

GAME_NONE = "1 1 1 1 -> 24"          # no expression makes 24
FIXED_NONE = "1 + 1 = 7"             # no bracketing makes 7
PLAIN_CLAIMS = ["There is no solution.", "<answer>no solution</answer>", "<answer>none</answer>", "无解",
                "\\boxed{\\text{impossible}}", "After checking them all: impossible.", "<answer>No solution exists.</answer>"]
NOT_CLAIMS = ["It is not impossible.", "Is it impossible?", "no solution?", "<answer>no solution?</answer>",
              "If there is no solution, answer 'no solution'.", "Every other placement is impossible.",
              "We might think it is impossible.", "<answer>it is not impossible</answer>", "None of them work.", "None",
              "not unsolvable", "There are no answers like that?"]
HEDGED_CLAIMS = ["I can't say there is no solution.", "maybe there is no solution", "<answer>maybe no solution</answer>",
                 "It is not true that there is no solution.", "It's not true that it's impossible",
                 "the claim 'no solution' is false", "There is probably no solution.", "\"No solution\" is wrong.",
                 "<answer>no solution</answer> is wrong", "<answer>1 + 1 + 1 + 1, or no solution</answer>"]


@pytest.mark.parametrize("output, reason", [(o, "correct_no_solution") for o in PLAIN_CLAIMS] +
                         [(o, "no_answer") for o in NOT_CLAIMS] + [(o, "unclear_claim") for o in HEDGED_CLAIMS])
def test_claims_read_as_grade_reads_them(output, reason):
    assert grade(FIXED_NONE, output).reason == reason                   # the shared reader's verdict ...
    verdict = grade_game(GAME_NONE, output)                             # ... is the free-order grader's
    assert (verdict.reason, verdict.ok) == (reason, reason == "correct_no_solution"), verdict
    assert score_game(output, GAME_NONE) == (1.0 if verdict.ok else 0.0)


@pytest.mark.parametrize("output", NOT_CLAIMS + HEDGED_CLAIMS)
def test_unclear_claims_are_not_wrong_claims_on_a_solvable_game(output):
    verdict = grade_game("3 3 8 8 -> 24", output)
    assert verdict.reason in ("no_answer", "unclear_claim") and not verdict.ok, verdict
    assert score_game(output, "3 3 8 8 -> 24", wrong_format_credit=0.5) == 0.0    # not a well-formed answer


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_echoed_question_claims_nothing(lang):
    for entry in generate_games(3, rules="24", kind="unsolvable", seed=3, lang=lang):
        assert grade_game(entry, entry["question"]).reason in ("no_answer", "unclear_claim")
        assert score_game(entry["question"], entry) == 0.0
        assert grade_game(entry, entry["question"] + "\n<answer>no solution</answer>").ok


def test_the_judged_tinyzero_claim_is_read_the_same_way():
    truth = {"target": 24, "numbers": [1, 1, 1, 1]}
    for hedged in ("maybe no solution", "no solution?", "it is not impossible"):
        assert compute_score(f"Assistant: <answer>{hedged}</answer>", truth, judge_no_solution=True) == 0.1
