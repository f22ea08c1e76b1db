"""Free-order difficulty: every figure against brute force over every written tree (tests/games_brute.py)."""

from fractions import Fraction

from hypothesis import given, settings, strategies as st

from bracketsolve.evaluation.games_difficulty import game_difficulty
from bracketsolve.games.game import Game

from .games_brute import classes, sub_multisets, trees, value

RULES = ["24", "24-tv", "countdown", "countdown-tv"]


def brute(numbers: list, target, rules: str, ops: str = "+-*/") -> dict:
    """The figures from the definitions, by listing every tree: intermediate results recomputed here."""
    game = Game.of(numbers, target, rules=rules, ops=ops)
    values = list(game.distinct)
    labels = tuple(sorted(i for i, c in enumerate(game.counts) for _ in range(c)))
    tv = game.rules.tv
    parts = [labels] if game.rules.every_number else sub_multisets(labels)
    every = [t for part in parts for t in trees(part, ops)]
    reached = [value(t, values, tv) for t in every]
    solutions = [t for t, v in zip(every, reached) if v == Fraction(target)]

    def steps(t):
        if not isinstance(t, tuple):
            return []
        return steps(t[1]) + steps(t[2]) + [value(t, values)]

    def depth(text):                       # parentheses as rendered
        d = best = 0
        for ch in text:
            d += ch == "("
            d -= ch == ")"
            best = max(best, d)
        return best

    def size(t):
        return 1 if not isinstance(t, tuple) else size(t[1]) + size(t[2])

    reach = {v for v in reached if v is not None}
    goal = Fraction(target)
    out = {"total": len(every), "solutions": len(solutions), "undefined": reached.count(None), "values": len(reach),
           "near_1": sum(1 for v in reach if v != goal and abs(v - goal) <= 1),
           "near_1pct": sum(1 for v in reach if v != goal and 100 * abs(v - goal) <= abs(goal)),
           "classes": sum(classes(values, part, ops, tv)[0][goal] for part in parts)}
    if solutions:
        out.update(min_depth=min(depth(game.render(t)) for t in solutions),
                   min_numbers=min(size(t) for t in solutions),
                   needs_fractions=all(any(v.denominator != 1 for v in steps(t)) for t in solutions),
                   needs_negatives=all(any(v < 0 for v in steps(t)) for t in solutions))
    else:
        out.update(dict.fromkeys(("min_depth", "min_numbers", "needs_fractions", "needs_negatives")))
    return out


@settings(max_examples=60, deadline=None)
@given(numbers=st.lists(st.integers(0, 7), min_size=1, max_size=4), rules=st.sampled_from(RULES),
       target=st.one_of(st.integers(-3, 30), st.sampled_from([24, Fraction(1, 2), Fraction(7, 3)])))
def test_every_figure_matches_brute_force(numbers, rules, target):
    if rules.startswith("countdown"):
        numbers = numbers[:3]                               # the brute force lists every tree of every part
    if rules.endswith("-tv"):
        numbers = [x + 1 for x in numbers]
    d = game_difficulty(Game.of(numbers, target, rules=rules), rules=None, backend="python").as_dict()
    expected = brute(numbers, target, rules)
    assert {k: d[k] for k in expected} == expected
    assert d["fraction"] == str(Fraction(expected["solutions"], expected["total"]))
    assert d["numbers"] == len(numbers) and d["rules"] == rules


def test_seed_examples_by_hand():
    d = game_difficulty("3 3 8 8 -> 24")                   # 8 / (3 - 8 / 3): the only way, through 8/3
    assert (d.solutions, d.classes, d.needs_fractions, d.needs_negatives) == (1, 1, True, False)
    d = game_difficulty("1 5 5 5 -> 24")                   # 5 * (5 - 1 / 5)
    assert d.needs_fractions and d.classes == 1
    d = game_difficulty("4 7 8 8 -> 24")                   # 7 * 8 - 4 * 8 needs no brackets
    assert d.min_depth == 0 and not d.needs_fractions and d.classes == 3
    d = game_difficulty("25 50 75 100 3 6 -> 952", rules="countdown", backend="numba")
    assert d.min_numbers == 5 and d.solutions == 446
    assert game_difficulty("1 1 1 1 -> 24").needs_fractions is None


def test_negatives_needed():
    assert game_difficulty("2 3 -> -1").needs_negatives                    # 2 - 3 is the only way
    assert game_difficulty("2 3 4 -> -10").needs_negatives is True         # (2 - 3 * 4): the last step
    assert game_difficulty("2 3 4 -> 10").needs_negatives is False


def test_engines_agree():
    for puzzle, rules in (("4 7 8 8 -> 24", "24"), ("3 3 8 8 -> 24", "24"), ("1 2 3 4 5 -> 7", "countdown"),
                          ("1 2 2 9 10 -> 3/7", "countdown"), ("7 7 50 3 -> 100", "countdown-tv")):
        assert game_difficulty(puzzle, rules=rules, backend="python") == \
            game_difficulty(puzzle, rules=rules, backend="numba")


def test_past_the_walk_cap_the_solution_figures_are_unknown():
    d = game_difficulty("1 2 3 4 5 6 -> 21", rules="countdown", max_trees=10)
    assert d.solutions > 10 and d.min_depth is None and d.needs_fractions is None and d.classes is not None
