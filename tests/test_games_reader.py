"""Free-order input as people and datasets write it, and clear errors (position, reason) for the rest."""

from fractions import Fraction

import numpy as np
import pytest

from bracketsolve import BracketError, ParseError
from bracketsolve.games.game import MAX_NUMBERS, Game
from bracketsolve.games.reader import read_game
from bracketsolve.games.rules import Rules, rules_of

# The question texts of the datasets, verbatim (reasoning-gym 0.1.25 countdown and puzzle24, TinyZero).
RG_COUNTDOWN = ("Calculate 139 using all of these numbers: 36, 29, 95, 32, 4, 15.\nEach number may be used at "
                "most once.\n\nFinal answer format instructions:\n1. Provide your solution as a arithmetic "
                "expression (no '=' sign).\n2. Do not include the target number in the expression.\n3. Use '*' "
                "for multiplication.\n4. Use '/' for division.\n5. Do not include any other text or formatting.\n")
RG_COUNTDOWN_USING = ("Using all the numbers 36, 29, 95, 32, 4, 15, create an expression that equals 139.\nYou can "
                      "only use each number once.\n\nFinal answer format instructions:\n1. Provide your solution "
                      "as a arithmetic expression (no '=' sign).\n")
RG_COUNTDOWN_FIND = ("Find a way to make 139 using all of these numbers: 36, 29, 95, 32, 4, 15.\nEach number can "
                     "only be used once.\n")
RG_PUZZLE24 = ("Make 24 using 4, 3, 9, 8. You can only use each number once. You can use the operators +, -, *, /."
               "\nFinal answer format instructions:\n1. Provide your final answer as a arithmetic expression (no "
               "'=' sign).\n2. Do not include the target number in the expression.\n3. Use '*' for "
               "multiplication.\n4. Use '/' for division.\n")
TINYZERO = ("A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The "
            "assistant first thinks about the reasoning process in the mind and then provides the user with the "
            "answer.\nUser: Using the numbers [44, 19, 35], create an equation that equals 98. You can use basic "
            "arithmetic operations (+, -, *, /) and each number can only be used once. Show your work in <think> "
            "</think> tags. And return the final answer in <answer> </answer> tags, for example <answer> (1 + 2) / "
            "3 </answer>.\nAssistant: Let me solve this step by step.\n<think>")


@pytest.mark.parametrize("text, numbers, target", [
    ("4 7 8 8 -> 24", "4 7 8 8", 24),
    ("4 7 8 8 → 24", "4 7 8 8", 24),
    ("4 7 8 8 = 24", "4 7 8 8", 24),
    ("4,7,8,8 => 24", "4 7 8 8", 24),
    ("[4, 7, 8, 8], 24", "4 7 8 8", 24),
    ("(4, 7, 8, 8) -> 24", "4 7 8 8", 24),
    ("4 7 8 8 target 24", "4 7 8 8", 24),
    ("25 50 75 100 3 6 = 952", "25 50 75 100 3 6", 952),
    ("2.5 -3 7/2 -> -1/2", "2.5 -3 7/2", Fraction(-1, 2)),
    ("１２ 3 -> 4", "12 3", 4),
    (RG_COUNTDOWN, "36 29 95 32 4 15", 139),
    (RG_COUNTDOWN_USING, "36 29 95 32 4 15", 139),
    (RG_COUNTDOWN_FIND, "36 29 95 32 4 15", 139),
    (RG_PUZZLE24, "4 3 9 8", 24),
    (TINYZERO, "44 19 35", 98),
    ('{"numbers": [1, 2, 3], "target": 6}', "1 2 3", 6),
])
def test_reads_the_forms_people_and_datasets_write(text, numbers, target):
    game = read_game(text, rules="countdown")
    assert " ".join(game.literals) == numbers
    assert game.target == target


def test_a_24_puzzle_without_target_aims_at_24_and_countdown_has_none():
    assert read_game("4 7 8 8", rules="24").target == 24
    assert read_game("4 7 8 8", rules="countdown").target is None
    assert read_game("4 7 8 8", rules="24", default_target=False).target is None
    assert read_game("4 7 8 8 -> 3", rules="24", target=5).target == 5


@pytest.mark.parametrize("entry, numbers, target", [
    ({"numbers": [4, 7, 8, 8], "target": 24}, [4, 7, 8, 8], 24),
    ({"nums": [44, 19, 35], "target": 98}, [44, 19, 35], 98),                            # TinyZero's source rows
    ({"reward_model": {"style": "rule", "ground_truth": {"target": 98, "numbers": np.array([44, 19, 35])}}},
     [44, 19, 35], 98),                                                                  # verl parquet row
    ({"target": 98, "numbers": [44.0, 19.0, 35.0]}, [44, 19, 35], 98),                   # floats from parquet
    ({"question": "...", "answer": "15 - 4 + 95 + 36 - 32 + 29",
      "metadata": {"source_dataset": "countdown", "source_index": 0, "numbers": [36, 29, 95, 32, 4, 15],
                   "target": 139, "expression": "15 - 4 + 95 + 36 - 32 + 29"}}, [36, 29, 95, 32, 4, 15], 139),
    ({"question": RG_PUZZLE24, "answer": "4 + 3 + 9 + 8",
      "metadata": {"source_dataset": "puzzle24", "source_index": 0, "numbers": [4, 3, 9, 8],
                   "difficulty": {"value": (1, 10)}}}, [4, 3, 9, 8], 24),
    ({"prompt": "...", "meta": '{"id": 1, "question": [1, 2, 3, 4], "target": 10, "dataset_name": "countdown"}'},
     [1, 2, 3, 4], 10),                                                                  # Enigmata-style meta
])
def test_reads_entries(entry, numbers, target):
    game = read_game(entry, rules="countdown")
    assert list(game.numbers) == numbers and game.target == target


def test_reads_lists_and_games():
    game = read_game([3, 3, 8, 8], rules="24")
    assert (game.distinct, game.counts, game.target) == ((3, 8), (2, 2), 24)
    assert read_game(game, rules="countdown").rules == Rules("countdown")
    assert read_game(np.array([1, 2]), rules="countdown").numbers == (1, 2)


@pytest.mark.parametrize("text, position, code", [
    ("4 7 x 8 -> 24", 4, "not_a_number"),
    ("4 7 8 -> 24 -> 3", 12, "two_equals"),
    ("4 7 8 -> 2 4", 11, "not_a_number"),
    ("-> 24", 0, "empty_side"),
    ("", 0, "empty_side"),
    ("Make a number from these", 0, "empty_side"),
    ("{not json", 0, "bad_json"),
])
def test_bad_text_is_a_parse_error_with_a_position(text, position, code):
    with pytest.raises(ParseError) as e:
        read_game(text, rules="24")
    assert (e.value.position, e.value.code) == (position, code)


@pytest.mark.parametrize("source", [
    {"numbers": [1, 2.5], "target": 3}, {"target": 3}, {"numbers": "1 2", "target": 3}, 3.5, None,
    {"numbers": list(range(MAX_NUMBERS + 1)), "target": 1}, [1.5, 2],
])
def test_bad_entries_are_bracket_errors(source):
    with pytest.raises(BracketError):
        read_game(source, rules="24")


def test_too_many_numbers_is_refused_with_the_cap():
    with pytest.raises(BracketError, match=f"at most {MAX_NUMBERS}"):
        read_game(" ".join(["1"] * (MAX_NUMBERS + 1)) + " -> 2", rules="countdown")


@pytest.mark.parametrize("spec, want", [("24", Rules("24")), ("COUNTDOWN", Rules("countdown")),
                                        (" countdown-tv ", Rules("countdown", tv=True)), ("24-tv", Rules("24", True)),
                                        ("brackets", Rules())])
def test_rules_spellings(spec, want):
    assert rules_of(spec) == want and rules_of(str(want)) == want


@pytest.mark.parametrize("spec", ["25", "brackets-tv", "tv", "", 24, None])
def test_unknown_rules_are_refused(spec):
    with pytest.raises(BracketError):
        rules_of(spec)


def test_tv_rule_takes_positive_whole_numbers():
    with pytest.raises(BracketError, match="positive whole numbers"):
        Game.of([2, "1.5"], 3, rules="countdown-tv")
    with pytest.raises(BracketError):
        Game.of([2, 0], 3, rules="24-tv")
    with pytest.raises(BracketError):
        Game.of([2, 3], 3.0, rules="24")                  # a float target is inexact
