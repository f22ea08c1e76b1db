"""Free-order puzzle generation: each kind is what it says (checked by solving), reproducible per (seed, index)."""

from fractions import Fraction

import pytest

from bracketsolve import BracketError, solve
from bracketsolve.evaluation.games_generate import COUNTDOWN_DECK, generate_games
from bracketsolve.games.reader import read_game


def test_entries_depend_only_on_seed_and_index():
    first = list(generate_games(3, rules="24", seed=11))
    assert list(generate_games(1, rules="24", seed=11, start=2)) == first[2:]
    assert list(generate_games(3, rules="24", seed=12)) != first


@pytest.mark.parametrize("rules", ["24", "24-tv"])
def test_solvable_24_puzzles_are_solvable_and_the_answer_works(rules):
    for entry in generate_games(4, rules=rules, seed=1):
        meta = entry["metadata"]
        r = solve(meta["puzzle"], rules=meta["rules"])
        assert r.count == meta["solutions"] > 0 and meta["target"] == "24" and meta["total"] == r.total
        game = read_game(meta["puzzle"], rules=rules)
        assert any(str(s) == entry["answer"] for s in r.solutions)
        assert meta["classes"] == solve(meta["puzzle"], rules=rules, distinct="form").count
        assert meta["min_depth"] >= 0 and meta["min_numbers"] == 4 == game.size


def test_unique_puzzles_have_one_class():
    for entry in generate_games(3, rules="24", kind="unique", seed=2):
        meta = entry["metadata"]
        assert meta["classes"] == 1 == solve(meta["puzzle"], rules="24", distinct="form").count


def test_unsolvable_puzzles_are_proved_and_carry_the_nearest_values():
    for entry in generate_games(3, rules="24", kind="unsolvable", seed=3):
        meta = entry["metadata"]
        r = solve(meta["puzzle"], rules="24")
        assert r.count == 0 and entry["answer"] == "no solution" and meta["classes"] == 0
        assert meta["nearest"] == [str(n.value) for n in r.nearest(1)]


def test_countdown_from_the_deck_with_a_target_range():
    for entry in generate_games(2, rules="countdown-tv", numbers=6, deck="countdown", seed=4):
        meta = entry["metadata"]
        numbers = [int(x) for x in meta["numbers"]]
        assert all(numbers.count(x) <= COUNTDOWN_DECK.count(x) for x in numbers)
        assert 100 <= int(meta["target"]) <= 999
        r = solve(meta["puzzle"], rules="countdown-tv")
        assert r.count == meta["solutions"] > 0 and 1 <= meta["min_numbers"] <= 6


def test_countdown_unsolvable_targets_sit_next_to_reachable_ones():
    entry = next(generate_games(1, rules="countdown-tv", numbers=5, deck="countdown", kind="unsolvable", seed=5))
    meta = entry["metadata"]
    target = int(meta["target"])
    assert solve(meta["puzzle"], rules="countdown-tv").count == 0
    assert {Fraction(v) for v in meta["nearest"]} & {target - 1, target + 1}


def test_questions_say_the_rules():
    en = next(generate_games(1, rules="countdown-tv", numbers=4, values=(1, 9), target=(10, 50), seed=6))
    assert "at most once" in en["question"] and "positive whole number" in en["question"]
    assert all(x in en["question"] for x in en["metadata"]["numbers"])
    zh = next(generate_games(1, rules="24", lang="zh", seed=6))
    assert "恰好用一次" in zh["question"] and "<answer></answer>" in zh["question"]
    custom = next(generate_games(1, rules="24", template="Solve {puzzle}", seed=6))
    assert custom["question"] == f"Solve {custom['metadata']['puzzle']}"


@pytest.mark.parametrize("options", [
    dict(rules="brackets"), dict(rules="24", numbers=0), dict(rules="24", numbers=13), dict(rules="24", kind="easy"),
    dict(rules="24", lang="fr"), dict(rules="24", values=(5, 1)), dict(rules="24", deck=[1, 2]),
    dict(rules="24-tv", values=(0, 5)), dict(rules="24", template="no field"), dict(rules="24", target=(1, "x")),
])
def test_bad_options_are_refused(options):
    with pytest.raises(BracketError):
        next(generate_games(1, **options))


def test_impossible_requests_give_up_with_a_reason():
    with pytest.raises(BracketError, match="no solvable"):
        next(generate_games(1, rules="24", numbers=2, values=(1, 1)))
