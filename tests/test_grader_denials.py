"""Denials written outside the answer's span (after its closing tag or box, or before its opening), exceptions to a
claim of no solution ("no solution other than X"), for the fixed-order grader, the free-order grader and rewards,
and the adapters that go through them; a brute-force differential property; bounded work."""

import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bracketsolve import grade, score
from bracketsolve.evaluation.games_grade import REASONS as GAME_REASONS
from bracketsolve.evaluation.games_grade import grade_game, score_game
from bracketsolve.evaluation.games_rewards import compute_score as tinyzero_score
from bracketsolve.evaluation.grade import REASONS
from bracketsolve.strategies import bracketings, decimal, puzzles

SEED = "8 + 28 / 4 - 2 * 3 = 6"
ANSWER = "(8 + 28) / ((4 - 2) * 3)"
NONE = "8 + 28 / 4 - 2 * 3 = 7"
WRONG = "8 + 28 / (4 - 2) * 3"
GAME = "4 7 8 8 -> 24"
GAME_ANSWER = "(7 - 8 / 8) * 4"

# --- the known hole, as quoted: each of these graded correct before --------------------------------------

OUTSIDE = [     # {e} the answer; a denial outside the tag or box, in the same sentence (or the next, pointing back)
    "<answer>{e}</answer> is wrong", "<answer>{e}</answer> — no, that is wrong", "<answer>{e}</answer> is incorrect",
    "<answer>{e}</answer>, which is false", "\\boxed{{{e}}} is not right", "<answer>{e}</answer> (wrong)",
    "<answer>{e}</answer> ✗", "<answer>{e}</answer> ❌", "\\boxed{{{e}}} \\text{{ is wrong}}", "$\\boxed{{{e}}}$ is wrong",
    "<answer>{e}</answer> 是错的", "<answer>{e}</answer>不对", "<answer>{e}</answer> isn't right.",
    "<answer>{e}</answer> does not work", "<ANSWER>{e}</ANSWER> is false", "<answer>{e}</answer> would be wrong",
    "The answer is not <answer>{e}</answer>", "The answer is not \\boxed{{{e}}}.", "Not \\boxed{{{e}}}",
    "不是 <answer>{e}</answer>", "It's never \\boxed{{{e}}}", "<answer>{e}</answer>. That is wrong.",
    "<answer>{e}</answer>\nWait, that's wrong.", "\\boxed{{{e}}}\n\nActually, no.", "<answer>{e}</answer>. Nope.",
    "<answer>{e}</answer>. This answer is incorrect.", "\\boxed{{{e}}}. Scratch that.",
]


@pytest.mark.parametrize("template", OUTSIDE)
def test_a_denial_outside_the_tag_or_box_disowns_the_answer(template):
    output = template.format(e=ANSWER)
    verdict = grade(SEED, output)
    assert (verdict.ok, verdict.reason) == (False, "disowned"), (output, verdict)
    assert "denies" in verdict.detail
    assert score(output, SEED) == 0.0


@pytest.mark.parametrize("template", OUTSIDE)
def test_the_free_order_grader_reads_the_same_denials(template):
    output = template.format(e=GAME_ANSWER)
    verdict = grade_game(GAME, output)
    assert (verdict.ok, verdict.reason) == (False, "disowned"), (output, verdict)
    assert score_game(output, GAME) == 0.0


@pytest.mark.parametrize("template", [t for t in OUTSIDE if t.startswith("<answer>")])
def test_tinyzero_compute_score_reads_the_same_denials(template):
    output = "Assistant: " + template.format(e=GAME_ANSWER)
    assert tinyzero_score(output, {"target": 24, "numbers": [4, 7, 8, 8]}) == 0.1, output      # the format score


KEPT = [        # commentary outside the span that does not deny it: still correct
    "<answer>{e}</answer>", "<answer>{e}</answer>.", "The answer is <answer>{e}</answer>.", "So $\\boxed{{{e}}}$.",
    "\\boxed{{{e}}} - done", "<answer>{e}</answer>\nThe others are wrong.", "<answer>{e}</answer> is right.",
    "<answer>{e}</answer>\n\nEvery other placement is impossible.", "No: <answer>{e}</answer>",
    "Is it impossible? No, \\boxed{{{e}}}", "<answer>{e}</answer>; the others fail.", "\\boxed{{{e}}}\nNo other works.",
    "<answer>{e}</answer>\nIt is not hard to check.", "I tried the rest and they were wrong.\n<answer>{e}</answer>",
    "That was wrong. So the answer is <answer>{e}</answer>.", "<answer>{e}</answer> works, as required.",
    "<answer>{e}</answer>\nThat is the only bracketing that works.", "Wait, no. <answer>{e}</answer>",
    "<think>that is wrong</think><answer>{e}</answer>",
]


@pytest.mark.parametrize("template", KEPT)
def test_commentary_outside_the_span_that_denies_nothing_is_free(template):
    assert grade(SEED, template.format(e=ANSWER)).reason == "correct", template
    assert grade_game(GAME, template.format(e=GAME_ANSWER)).reason == "correct", template


def test_a_wrong_answer_denied_outside_its_tag_is_still_not_paid():
    assert not grade(SEED, f"<answer>{WRONG}</answer> is wrong").ok


# --- "There is no solution other than X": a claim of X or of none? Neither is paid: unclear_claim ----------

EXCEPTED = [    # a claim of none with an exception, in the answer's sentence
    "There is no solution other than {e}", "There is no solution other than {e}.", "No solution except {e}.",
    "There is no solution besides <answer>{e}</answer>", "Apart from {e}, there is no solution.",
    "Other than {e}, it is impossible.", "<answer>no solution other than {e}</answer>",
    "Except for \\boxed{{{e}}}, there is no solution.", "除了{e}以外无解", "除了 {e}，无解。",
    "There are no solutions but {e}.", "Aside from {e} there is no solution",
]


@pytest.mark.parametrize("template", EXCEPTED)
@pytest.mark.parametrize("puzzle, expression", [(SEED, ANSWER), (NONE, WRONG), (SEED, WRONG)])
def test_a_claim_of_none_with_an_exception_is_not_paid_either_way(template, puzzle, expression):
    output = template.format(e=expression)
    verdict = grade(puzzle, output)
    assert (verdict.ok, verdict.reason) == (False, "unclear_claim"), (puzzle, output, verdict)
    assert "exception" in verdict.detail


@pytest.mark.parametrize("template", EXCEPTED)
def test_the_free_order_grader_pays_no_exception_either(template):
    for game, expression in ((GAME, GAME_ANSWER), ("1 1 1 1 -> 24", "(1 + 1) * (1 + 1)")):
        verdict = grade_game(game, template.format(e=expression))
        assert not verdict.ok, (game, template, verdict)


@pytest.mark.parametrize("output", [
    f"{ANSWER}. No other placement works.", f"{ANSWER}\nNo other bracketing works.", f"{ANSWER}\n不存在其他解。",
    f"{ANSWER}\nEvery other placement is impossible.", f"{ANSWER}; every other placement is impossible.",
])
def test_commentary_about_the_other_placements_stays_correct(output):
    assert grade(SEED, output).reason == "correct", output


# --- siblings found by the hunt --------------------------------------------------------------------------

@pytest.mark.parametrize("output", [
    "<answer>(7 - 8 / 8) * 4 is wrong</answer>", "<answer>not (7 - 8 / 8) * 4</answer>",
])
def test_denials_inside_a_free_order_span_are_rejected(output):
    assert not grade_game(GAME, output).ok


SIBLINGS = [    # (template, reason): each graded correct before, with {e} a right answer
    ("{{\\boxed{{{e}}}}}^2", "unknown_operator"), ("(\\boxed{{{e}}})^2", "unknown_operator"),
    ("\\boxed{{{e}}}\\,!", "unknown_operator"), ("2(\\boxed{{{e}}})", "unknown_operator"),
    ("\\sqrt[3]{{\\boxed{{{e}}}}}", "unknown_operator"), ("\\boxed{{{e}}}\\quad + 1", "unknown_operator"),
    ("\\boxed{{{e}}}~!", "unknown_operator"), ("\\boxed{{{e}}} \\neq {t}", "unknown_operator"),
    ("<answer>{e}</answer>^2", "unknown_operator"), ("2 * <answer>{e}</answer>", "unknown_operator"),
    ("<answer>{e}</answer>!", "unknown_operator"), ("<answer>{e}</answer> + 1", "unknown_operator"),
    ("<answer>{e}</answer> \\times 0", "unknown_operator"), ("<answer>{e}</answer> ≠ {t}", "unknown_operator"),
    ("<answer>{e}</answer>**2", "unknown_operator"), ("<answer>{e}</answer> = {t}!", "unknown_operator"),
    ("<answer>{e}</answer> = {u}", "wrong_equation"), ("\\boxed{{{e}}} = {u}", "wrong_equation"),
    ("{u} = \\boxed{{{e}}}", "wrong_equation"), ("<answer>{e}</answer> = 36 / 6 = {u}", "wrong_equation"),
    ("<answer>{e}</answer> or no solution", "unclear_claim"), ("<answer>{e}</answer>, or {w}", "extra_text"),
    ("\\boxed{{{e}}} or maybe \\text{{no solution}}", "unclear_claim"),
]


@pytest.mark.parametrize("template, reason", SIBLINGS)
def test_what_is_written_around_a_tag_or_box_is_read(template, reason):
    output = template.format(e=ANSWER, t=6, u=7, w=WRONG)
    verdict = grade(SEED, output)
    assert (verdict.ok, verdict.reason) == (False, reason), (output, verdict)


@pytest.mark.parametrize("template, reason", SIBLINGS)
def test_what_is_written_around_a_free_order_tag_or_box_is_read(template, reason):
    output = template.format(e=GAME_ANSWER, t=24, u=23, w="4 * 7 - 8 + 8")
    assert not grade_game(GAME, output).ok, output
    if template.startswith("<answer>"):
        assert tinyzero_score("Assistant: " + output, {"target": 24, "numbers": [4, 7, 8, 8]}) == 0.1, output


@pytest.mark.parametrize("output", [
    f"\\boxed{{{ANSWER}}} = 6.", f"6 = \\boxed{{{ANSWER}}}", f"\\boxed{{{ANSWER}}} = 36 / 6 = 6",
    f"**<answer>{ANSWER}</answer>**", f"**\\boxed{{{ANSWER}}}**", f"(\\boxed{{{ANSWER}}})", f"\\boxed{{{ANSWER}}} - done",
    f"<answer>{ANSWER}</answer>\n\n1. check: 36/6 = 6", f"<answer>{ANSWER}</answer> = 6, as required.",
    f"$\\boxed{{{ANSWER}}}$", f"\\[\\boxed{{{ANSWER}}}\\]",
])
def test_honest_chains_and_markdown_around_a_tag_or_box_stay_correct(output):
    assert grade(SEED, output).reason == "correct", output


def test_a_claim_taken_back_outside_its_tag_is_unclear():
    for output in ["<answer>no solution</answer> is wrong", "<answer>no solution</answer>. That is wrong.",
                   f"<answer>no solution</answer> or {WRONG}"]:
        assert grade(NONE, output).reason == "unclear_claim", output
    assert grade_game("1 1 1 1 -> 24", "<answer>no solution</answer> is wrong").reason == "unclear_claim"


# --- adapters go through the graders -----------------------------------------------------------------------

def test_adapters_read_the_denials():
    from bracketsolve.adapters import trl, verl
    from bracketsolve.adapters.reasoning_gym import BracketPuzzleConfig, BracketPuzzleDataset

    hack = f"<answer>{ANSWER}</answer> is wrong"
    assert verl.compute_score(data_source="b", solution_str=hack, ground_truth=SEED) == 0.0
    assert verl.compute_score_details(data_source="b", solution_str=hack, ground_truth=SEED)["score"] == 0.0
    assert trl.reward(prompts=["p"], completions=[hack], puzzle=[SEED]) == [0.0]
    data = BracketPuzzleDataset(BracketPuzzleConfig(seed=1, size=1))
    assert data.score_answer(hack, {"metadata": {"puzzle": SEED}}) == 0.0


# --- the differential property: a brute-force oracle over random puzzles -----------------------------------

@settings(max_examples=300)
@given(puzzles(max_operands=5, max_value=12), st.data())
def test_no_denial_outside_the_span_is_ever_paid(puzzle, data):
    assume(puzzle.target is not None and decimal(puzzle.target) is not None)
    bracketing = data.draw(bracketings(puzzle))
    template = data.draw(st.sampled_from(OUTSIDE + EXCEPTED))
    output = template.format(e=str(bracketing))
    verdict = grade(puzzle, output)
    assert not verdict.ok, (str(puzzle), output, verdict)
    assert verdict.reason in REASONS


@settings(max_examples=200)
@given(puzzles(max_operands=5, max_value=12), st.data())
def test_commentary_that_denies_nothing_grades_as_the_bracketing_says(puzzle, data):
    assume(puzzle.target is not None and decimal(puzzle.target) is not None)
    bracketing = data.draw(bracketings(puzzle))
    assume(puzzle.free_sides[0].size > 1)                  # a lone number is read only as a tag's whole answer
    output = data.draw(st.sampled_from(KEPT)).format(e=str(bracketing))
    assert grade(puzzle, output).ok == bracketing.holds, (str(puzzle), output)


def test_game_reasons_include_disowned():
    assert "disowned" in GAME_REASONS


# --- bounded work ------------------------------------------------------------------------------------------

HOSTILE = {
    "100k closing tags, each followed by text": f"<answer>{ANSWER}" + "</answer> is it wrong" * 100_000,
    "100k boxes, each followed by text": f"\\boxed{{{ANSWER}}} is it wrong? " * 40_000,
    "a megabyte sentence after the tag": f"<answer>{ANSWER}</answer> " + "and so on " * 100_000,
    "a megabyte sentence before the tag": "so " * 330_000 + f"<answer>{ANSWER}</answer>",
    "a megabyte of exceptions": "no solution other than " * 45_000 + ANSWER,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_outputs_for_the_new_scans_grade_quickly(name):
    output = HOSTILE[name]
    best = None
    for _ in range(3):
        start = time.process_time()
        verdict = grade(SEED, output)
        game = grade_game(GAME, output)
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    assert verdict.reason in REASONS and game.reason in GAME_REASONS
    assert best < 0.5, (name, best)             # the benchmark measures it (benchmarks/test_grader.py)


# --- the hunt: pieces around an answer, every bracketing; paid exactly when the bracketing holds and every piece
# keeps what the output says (measured on 4 puzzles, every combination: 11,896 wrong payments before, 0 after)

WRAPS = ["<answer>{e}</answer>", "\\boxed{{{e}}}", "$\\boxed{{{e}}}$", "<ANSWER>{e}</ANSWER>", "{e}", "**{e}**",
         "<answer> {e} </answer>", "\\[\\boxed{{{e}}}\\]", "`{e}`"]
LEADS_KEPT = ["", "The answer is ", "So ", "Thus, ", "No wait, ", "Hmm. ", "I checked: ", "Answer:\n",
              "Wrong before. Now ", "不对。答案是 "]
LEADS_BROKEN = ["Not ", "The answer is not ", "It is never ", "I don't think it's ", "不是 ", "It's wrong to say ",
                "2 * ", "√", "-", "{u} = ", "There is no solution other than ", "Either no solution or "]
TAILS_KEPT = ["", ".", "\nThe others are wrong.", "\nEvery other placement is impossible.", " = {t}",
              "; the others fail.", "\nNo other bracketing works.", " is the answer.", " works.", ", as required.",
              "\n\nVerification: it checks out.", " (checked)", " ok"]
TAILS_BROKEN = [" is wrong", " is incorrect", ", which is false", " isn't right", " (wrong)", " ✗", " ❌", " 是错的",
                ". That is wrong.", "\nWait, that's wrong.", "\nActually, no.", ". Nope.", " or no solution",
                " = {u}", "^2", "!", " + 1", " * 2", " ≠ {t}", " \\neq {t}", " squared", " does not work",
                ", or maybe not", " is false", " would be wrong", " never works", " 不对", " is invalid", "%"]


@settings(max_examples=500)
@given(puzzles(max_operands=5, max_value=12), st.data())
def test_pieces_around_an_answer_grade_as_they_say(puzzle, data):
    assume(puzzle.target is not None and decimal(puzzle.target) is not None and puzzle.free_sides[0].size > 1)
    bracketing = data.draw(bracketings(puzzle))
    broken = data.draw(st.sampled_from(["", "lead", "tail"]))
    lead = data.draw(st.sampled_from(LEADS_BROKEN if broken == "lead" else LEADS_KEPT))
    tail = data.draw(st.sampled_from(TAILS_BROKEN if broken == "tail" else TAILS_KEPT))
    t = decimal(puzzle.target)
    u = decimal(puzzle.target + 1)
    output = lead.format(u=u) + data.draw(st.sampled_from(WRAPS)).format(e=str(bracketing)) + tail.format(t=t, u=u)
    verdict = grade(puzzle, output)
    assert verdict.ok == (bracketing.holds and not broken), (str(puzzle), output, verdict)


@pytest.mark.parametrize("output, reason", [
    (f"<answer>{ANSWER}</answer> squared", "unknown_operator"), (f"\\boxed{{{ANSWER}}} times two", "unknown_operator"),
    (f"Either no solution or {ANSWER}", "unclear_claim"), (f"Either no solution or <answer>{ANSWER}</answer>",
                                                            "unclear_claim"),
    (f"{ANSWER}. Nope.", "disowned"), (f"{ANSWER}. That is wrong.", "disowned"),
    (f"<answer>{ANSWER}. That is wrong.</answer>", "disowned"), (f"No wait, {ANSWER}", "correct"),
])
def test_found_by_the_hunt(output, reason):
    assert grade(SEED, output).reason == reason, output


@pytest.mark.parametrize("puzzle, output, reason", [      # a decimal point ended the sentence: each was paid before
    ("0.5 + 1 = 2", "Apart from 0.5 + 1, there is no solution.", "unclear_claim"),
    ("0.5 * 3 = 2", "Maybe 0.5 * 3 is close, but it is impossible.", "unclear_claim"),
    ("2.5 * 2 = 6", "It is not true that 2.5 * 2 fails, so no solution.", "unclear_claim"),
    ("0.5 + 1 = 1.5", "<answer>0.5 + 1</answer> = 1.5. That is wrong.", "disowned"),
    ("0.5 + 1 = 1.5", "0.5 + 1 = 1.5.", "correct"),
    ("0.5 + 1 = 1.5", "It is 0.5 + 1. It is not hard.", "correct"),
])
def test_a_decimal_point_does_not_end_a_sentence(puzzle, output, reason):
    assert grade(puzzle, output).reason == reason, output


@pytest.mark.parametrize("output, reason", [            # found by the second hunt: each was paid before
    (f"<answer>{ANSWER}</answer> is wr\u200bong", "disowned"),                # an invisible character inside a word
    (f"<answer>{ANSWER}</answer>. Hmm. That is wrong.", "disowned"),          # an interjection between
    (f"<answer>{ANSWER}</answer>\nWait.\nNo.", "disowned"),
    (f"<answer>{ANSWER}</answer>\n\n**Wrong.**", "disowned"),                 # markdown around the retraction
    (f"<answer>{ANSWER}</answer> &ne; 6", "unknown_operator"),               # an HTML entity
    (f"<answer>{ANSWER}</answer>\nHmm.\nNo other bracketing works.", "correct"),
])
def test_found_by_the_second_hunt(output, reason):
    assert grade(SEED, output).reason == reason, output


def test_a_tagged_claim_with_an_exception_after_its_tag_is_unclear():
    for output in [f"<answer>no solution</answer> other than {WRONG}", f"<answer>no solution</answer>, except {WRONG}."]:
        assert grade(NONE, output).reason == "unclear_claim", output                # was correct_no_solution
    assert grade_game("1 1 1 1 -> 24", "<answer>no solution</answer> besides (1+1)*(1+1)").reason == "unclear_claim"
    assert grade(NONE, "<answer>no solution</answer>").reason == "correct_no_solution"


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["24", "countdown"]), st.data())
def test_no_denial_around_a_free_order_answer_is_paid(seed, rules, data):
    from bracketsolve import generate_games

    entry = next(generate_games(1, rules=rules, seed=seed))
    template = data.draw(st.sampled_from(OUTSIDE + [t for t, _ in SIBLINGS] + [t for t in TAILS_BROKEN if "{" not in t]))
    target = entry["metadata"]["target"]
    if template in TAILS_BROKEN:
        template = "<answer>{e}</answer>" + template
    output = template.format(e=entry["answer"], t=target, u=int(target) + 1, w="1 + 1")
    assert grade_game(entry, output).ok is False, output
    assert score_game(output, entry) == 0.0
    assert grade_game(entry, f"<answer>{entry['answer']}</answer>").ok


@pytest.mark.parametrize("output, reason", [
    (f"<answer>{ANSWER}</answer>\nActually, the answer is {WRONG}.", "disowned"),      # a changed mind after it
    (f"<answer>{ANSWER}</answer>. Wait, it should be {WRONG}.", "disowned"),
    (f"<answer>{ANSWER}</answer>\nCorrection: {WRONG}", "disowned"),
    (f"<answer>{WRONG}</answer> or <answer>{ANSWER}</answer>", "extra_text"),         # offered as an alternative
    (f"Either <answer>{WRONG}</answer> or <answer>{ANSWER}</answer>", "extra_text"),
    (f"<answer>{ANSWER}</answer>\nThe answer is {ANSWER} because 36 / 6 = 6.", "correct"),
    (f"First try: <answer>{WRONG}</answer>. Then: <answer>{ANSWER}</answer>", "correct"),
])
def test_a_changed_mind_or_an_alternative_around_the_tags(output, reason):
    assert grade(SEED, output).reason == reason, output


# --- a claim in a tag or box, in a sentence that asks, conditions or hedges it: the prose is read as for a line ----

UNCLEAR_AROUND = [      # each was paid as a claim of none (correct_no_solution on a puzzle with none)
    "If there is no solution, write <answer>no solution</answer>.",           # the instructions, echoed
    "If no placement works, answer <answer>no solution</answer>", "Reply <answer>no solution</answer> if it cannot be done.",
    "<answer>no solution</answer> unless I missed one", "<answer>no solution</answer>?",
    "Is the answer <answer>no solution</answer>?", "Maybe <answer>no solution</answer>", "<answer>no solution</answer> maybe",
    "<answer>no solution</answer>, probably", "Perhaps \\boxed{\\text{no solution}}.", "\\boxed{\\text{impossible}}, I guess",
    "<answer>no solution</answer> — not!", "<answer>no solution, I guess</answer>", "<answer>unsolvable (not)</answer>",
    "<answer>no solution</answer> would be my answer", "It might be <answer>no solution</answer>.",
]
CLAIMS_AROUND = [       # plain claims in a tag or box: still paid
    "<answer>no solution</answer>", "The answer is <answer>no solution</answer>.", "So: \\boxed{\\text{no solution}}",
    "I checked all 14 bracketings. <answer>no solution</answer>", "<answer>no solution</answer> since 7 cannot be reached",
    "<answer>no solution</answer>\nNo other placement works.", "Final answer: <answer>impossible</answer>.",
    "<answer>no solution</answer>, as every bracketing misses 7.",
]


@pytest.mark.parametrize("output", UNCLEAR_AROUND)
def test_a_tagged_claim_in_a_question_condition_or_hedge_is_unclear(output):
    verdict = grade(NONE, output)
    assert (verdict.ok, verdict.reason) == (False, "unclear_claim"), (output, verdict)
    assert grade(SEED, output).reason == "unclear_claim"              # not a wrong claim either
    assert score(output, NONE) == 0.0


@pytest.mark.parametrize("output", UNCLEAR_AROUND)
def test_the_free_order_grader_reads_a_tagged_claim_the_same_way(output):
    assert grade_game("1 1 1 1 -> 24", output).reason == "unclear_claim", output
    assert score_game(output, "1 1 1 1 -> 24") == 0.0
    if output.count("<answer>") == 1 and "\\boxed" not in output:
        truth = {"target": 24, "numbers": [1, 1, 1, 1]}
        assert tinyzero_score("Assistant: " + output, truth, judge_no_solution=True) == 0.1, output


@pytest.mark.parametrize("output", CLAIMS_AROUND)
def test_plain_tagged_claims_stay_claims(output):
    assert grade(NONE, output).reason == "correct_no_solution", output
    assert grade(SEED, output).reason == "wrong_no_solution", output
    assert grade_game("1 1 1 1 -> 24", output).reason == "correct_no_solution", output


@pytest.mark.parametrize("output", ["There is no solution, I guess.", "No solution, probably.",
                                    "There is no solution -- not!", "It is impossible, maybe."])
def test_a_hedge_after_a_claim_in_its_sentence_makes_it_unclear(output):
    assert grade(NONE, output).reason == "unclear_claim", output
    assert grade_game("1 1 1 1 -> 24", output).reason == "unclear_claim", output


# --- arithmetic written onto a tag or box in other glyphs: each was paid before --------------------------------------

ONTO_GLYPHS = [
    "<answer>{e}</answer> x 2", "<answer>{e}</answer> X 1", "2 x <answer>{e}</answer>", "2x\\boxed{{{e}}}",
    "<answer>{e}</answer> ∗ 1", "<answer>{e}</answer> − 1", "−<answer>{e}</answer>", "− \\boxed{{{e}}}",
    "<answer>{e}</answer> – 1", "<answer>{e}</answer> ‐ 1", "<answer>{e}</answer> — 1", "<answer>{e}</answer> ＋ 1",
    "<answer>{e}</answer>＊２", "<answer>{e}</answer> ⋅ 2", "<answer>{e}</answer> ∙ 2", "<answer>{e}</answer> ⨯ 2",
    "<answer>{e}</answer> × 2", "<answer>{e}</answer> ÷ 2", "<answer>{e}</answer> ⁄ 2", "<answer>{e}</answer> ∕ 2",
    "<answer>{e}</answer> : 2", "<answer>{e}</answer>:2", "2:<answer>{e}</answer>", "2 : \\boxed{{{e}}}",
    "<answer>{e}</answer>⁻¹", "<answer>{e}</answer>⁺¹", "\\boxed{{{e}}}₂", "\\frac{{1}}{{\\boxed{{{e}}}}}",
    "\\dfrac{{2}}{{\\boxed{{{e}}}}}", "<answer>{e}</answer> > {t}", "<answer>{e}</answer> < 99", "<answer>{e}</answer> >= 1",
    "<answer>{e}</answer> <> {t}", "1 < \\boxed{{{e}}}", "<answer>{e}</answer> ＝ {u}",
]


@pytest.mark.parametrize("template", ONTO_GLYPHS)
def test_arithmetic_in_other_glyphs_written_onto_a_tag_or_box_rejects_it(template):
    output = template.format(e=ANSWER, t=6, u=7)
    verdict = grade(SEED, output)
    assert not verdict.ok and verdict.reason in ("unknown_operator", "wrong_equation"), (output, verdict)
    game = template.format(e=GAME_ANSWER, t=24, u=23)
    assert not grade_game(GAME, game).ok, game
    if template.startswith("<answer>") or template.endswith("</answer>"):
        assert tinyzero_score("Assistant: " + game, {"target": 24, "numbers": [4, 7, 8, 8]}) == 0.1, game


@pytest.mark.parametrize("output", [
    "Step 1: <answer>{e}</answer>", "1: <answer>{e}</answer>", "<answer>{e}</answer> — done", "<answer>{e}</answer><|im_end|>",
    "<answer>{e}</answer> <br>", "> <answer>{e}</answer>", "<answer>{e}</answer> <!-- checked -->", "Box: \\boxed{{{e}}}",
    "<answer>{e}</answer> - done", "<answer>{e}</answer>: every number once, as asked.", "Answer x: <answer>{e}</answer>",
])
def test_honest_text_around_a_tag_in_those_glyphs_stays_correct(output):
    assert_both_correct(output)


def assert_both_correct(template: str) -> None:
    """The template around the seed's answer grades correct, and around the 24 game's answer is ok."""
    assert grade(SEED, template.format(e=ANSWER)).reason == "correct", template
    assert grade_game(GAME, template.format(e=GAME_ANSWER)).ok, template


ONTO_LATEX = [          # LaTeX after (or before) a box that changes its value: each was paid before
    "\\boxed{{{e}}}\\%", "\\boxed{{{e}}}\\,\\%", "\\boxed{{{e}}}\\text{{%}}", "\\boxed{{{e}}}\\mathrm{{\\%}}",
    "\\boxed{{{e}}}\\degree", "\\boxed{{{e}}}\\prime", "\\boxed{{{e}}}\\textsuperscript{{2}}", "\\boxed{{{e}}}\\text{{!}}",
    "\\boxed{{{e}}}\\text{{x2}}", "\\boxed{{{e}}}\\text{{ * 2}}", "\\boxed{{{e}}}{{}}^2", "\\boxed{{{e}}}{{}}*2",
    "\\boxed{{{e}}}\\{{\\}}*2", "\\boxed{{{e}}}\\ast 2", "\\boxed{{{e}}}\\over 2", "{{\\boxed{{{e}}} \\over 2}}",
    "{{2 \\over \\boxed{{{e}}}}}", "\\boxed{{{e}}}\\choose 2", "\\boxed{{{e}}}\\bmod 2", "\\boxed{{{e}}} \\mod 2",
    "\\boxed{{{e}}}\\pmod{{5}}", "\\boxed{{{e}}}\\hphantom{{x}}\\cdot 2", "\\boxed{{{e}}} \\phantom{{.}} \\times 2",
    "\\boxed{{{e}}}\\hspace{{1em}}2", "<answer>{e}</answer> \\%", "\\binom{{9}}{{\\boxed{{{e}}}}}",
]


@pytest.mark.parametrize("template", ONTO_LATEX)
def test_latex_written_onto_a_box_rejects_it(template):
    output = template.format(e=ANSWER)
    verdict = grade(SEED, output)
    assert not verdict.ok and verdict.reason == "unknown_operator", (output, verdict)
    assert not grade_game(GAME, template.format(e=GAME_ANSWER)).ok


@pytest.mark.parametrize("output", [
    "$\\boxed{{{e}}}$", "\\[\\boxed{{{e}}}\\]", "\\boxed{{{e}}} \\quad \\text{{(as required)}}", "\\boxed{{{e}}} \\\\",
    "\\boxed{{{e}}}\\end{{aligned}}", "\\boxed{{{e}}} \\text{{ is the answer}}", "\\boxed{{{e}}} \\checkmark",
    "\\boxed{{{e}}}\\;\\blacksquare", "\\boxed{{{e}}}\\hspace{{1em}}", "\\therefore \\boxed{{{e}}}", "\\Rightarrow \\boxed{{{e}}}",
    "\\textbf{{Answer:}} \\boxed{{{e}}}", "\\boxed{{{e}}}\\newline Done.", "\\boxed{{{e}}} \\qquad \\text{{every number once}}",
])
def test_honest_latex_around_a_box_stays_correct(output):
    assert_both_correct(output)
