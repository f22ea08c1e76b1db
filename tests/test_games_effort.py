"""The free-order canonical search (games_difficulty.game_effort) against a plain search written here from its
definition in docs/evaluating.md: no memo, every state visited one by one."""

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings, strategies as st

from bracketsolve.errors import BracketError
from bracketsolve.evaluation.games_difficulty import game_difficulty, game_effort
from bracketsolve.evaluation.games_generate import generate_games
from bracketsolve.games.game import Game

RULES = ["24", "24-tv", "countdown", "countdown-tv"]


class Found(Exception):
    pass


def plain(numbers, target, rules="24", ops="+-*/", cap=None):
    """States visited by the canonical search, counted one at a time (None past `cap`)."""
    every, tv, goal = rules.startswith("24"), rules.endswith("-tv"), Fraction(target)
    visited = 0

    def results(a, b):                  # a <= b, in the documented order
        out = []
        if "+" in ops:
            out.append(a + b)
        if "-" in ops:
            out += [b - a] + ([a - b] if a != b else [])
        if "*" in ops:
            out.append(a * b)
        if "/" in ops:
            out += ([b / a] if a != 0 else []) + ([a / b] if a != b and b != 0 else [])
        return [v for v in out if not tv or (v > 0 and v.denominator == 1)]

    def visit(row):
        nonlocal visited
        visited += 1
        if cap is not None and visited > cap:
            raise Found
        tried = []
        for i, j in combinations(range(len(row)), 2):
            if (row[i], row[j]) in tried:
                continue
            tried.append((row[i], row[j]))
            rest = [x for k, x in enumerate(row) if k not in (i, j)]
            for v in results(row[i], row[j]):
                child = sorted(rest + [v])
                if v == goal and (not every or len(child) == 1):
                    visited += 1
                    raise Found
                if len(child) > 1:
                    visit(child)
                else:
                    visited += 1

    row = sorted(Fraction(x) for x in numbers)
    if (row == [goal]) or (not every and goal in row):
        return 1
    try:
        visit(row)
    except Found:
        pass
    return None if cap is not None and visited > cap else visited


def test_hand_checked_search():
    # [1, 2, 3] -> 7 under the 24 rules: 1 + 2 (6 children of (3, 3)), 2 - 1, 1 - 2, 1 * 2, 2 / 1, 1 / 2 (6 each),
    # then 1 + 3 ... 1 / 3 (4 children of (2, 2), 6 of the others), 2 + 3, 3 - 2, 2 - 3, and 2 * 3 makes (1, 6):
    # 1 + 6 = 7 is state 102
    assert game_effort(Game.of([3, 1, 2], 7)) == 102
    assert game_effort(Game.of([1, 2, 3], 3)) == 11                     # 2 - 1, then 1 + 3, 3 - 1, 1 - 3, 1 * 3
    assert game_effort(Game.of([1, 2, 3], 3, rules="countdown")) == 1   # Countdown may use the 3 alone
    assert game_effort(Game.of([1, 2, 3], 5, rules="countdown")) == 22  # 1 * 2, then 2 + 3 makes 5 first
    assert game_effort(Game.of([3, 7, 19, 101], 10 ** 9)) == 4573       # all of 1 + 6 * 6 * (1 + 3 * 6 * (1 + 6))
    assert game_effort(Game.of([1, 2, 3, 4], 10 ** 9)) == 4161          # 1 + 2 = 3 makes a pair of equal numbers


@settings(max_examples=150, deadline=None)
@given(numbers=st.lists(st.integers(0, 7), min_size=1, max_size=4), rules=st.sampled_from(RULES),
       ops=st.sampled_from(["+-*/", "+-", "*/", "+*", "-/"]),
       target=st.one_of(st.integers(-3, 30), st.sampled_from([24, Fraction(1, 2), Fraction(7, 3)])))
def test_effort_equals_the_plain_search(numbers, rules, ops, target):
    if rules.endswith("-tv") and (0 in numbers or target <= 0):
        return
    game = Game.of(numbers, target, rules=rules, ops=ops)
    assert game_effort(game) == plain(numbers, target, rules, ops)


@settings(max_examples=60, deadline=None)
@given(numbers=st.lists(st.integers(1, 9), min_size=2, max_size=4), rules=st.sampled_from(RULES),
       target=st.integers(1, 40), cap=st.integers(1, 300))
def test_past_the_cap_is_none(numbers, rules, target, cap):
    game = Game.of(numbers, target, rules=rules)
    assert game_effort(game, max_states=cap) == plain(numbers, target, rules, cap=cap)


@settings(max_examples=40, deadline=None)
@given(numbers=st.lists(st.integers(1, 13), min_size=4, max_size=4), data=st.data())
def test_effort_is_a_figure_of_the_multiset(numbers, data):
    shuffled = data.draw(st.permutations(numbers))
    assert game_effort(Game.of(numbers, 24)) == game_effort(Game.of(shuffled, 24))
    assert game_difficulty(shuffled, rules="24", target=24).effort == game_effort(Game.of(numbers, 24))


def test_no_target_is_an_error():
    with pytest.raises(BracketError):
        game_effort(Game.of([1, 2], None))


@pytest.mark.parametrize("rules,bounds", [("24", dict(min_effort=2000)), ("24", dict(max_effort=30)),
                                          ("24", dict(min_effort=100, max_effort=400)),
                                          ("countdown", dict(max_effort=50))])
def test_generator_keeps_the_effort_it_is_asked_for(rules, bounds):
    entries = list(generate_games(4, rules=rules, seed=2, backend="python", **bounds))
    for e in entries:
        meta = e["metadata"]
        assert meta["effort"] == game_difficulty(meta["puzzle"], rules=rules).effort
        assert bounds.get("min_effort", 0) <= meta["effort"] <= bounds.get("max_effort", 10 ** 9)
    unfiltered = [e["metadata"]["effort"] for e in generate_games(8, rules=rules, seed=2, backend="python")]
    assert not all(bounds.get("min_effort", 0) <= x <= bounds.get("max_effort", 10 ** 9) for x in unfiltered)


def test_unsolvable_puzzles_cost_the_whole_search():
    for e in generate_games(5, rules="24", kind="unsolvable", seed=4, backend="python"):
        numbers = e["metadata"]["numbers"]
        assert e["metadata"]["effort"] == plain([int(x) for x in numbers], 24)


@pytest.mark.parametrize("bad", [dict(min_effort=-1), dict(max_effort="5"), dict(min_effort=9, max_effort=3),
                                 dict(min_effort=True)])
def test_bad_effort_bounds_are_errors(bad):
    with pytest.raises(BracketError):
        next(generate_games(1, rules="24", **bad))
