"""Exact difficulty: every field re-derived by brute force over `bracketings()`, and the canonical search."""

from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings

from bracketsolve import bracketings, parse, solve
from bracketsolve.errors import BracketError
from bracketsolve.evaluation.difficulty import Difficulty, difficulty, effort, shallowest
from bracketsolve.solver.forms import form
from bracketsolve.solver.model import apply
from bracketsolve.strategies import puzzles


def catalan(m):
    return comb(2 * m, m) // (m + 1)


def preorder(expr):
    """Every state of the canonical search in the order it visits them: (values of the blocks) per state."""
    allowed = expr.allowed()
    out = []

    def visit(values, spans, last):
        out.append(tuple(values))
        for j in range(max(0, last - 1), len(values) - 1):
            lo, hi = spans[j][0], spans[j + 1][1]
            if allowed[lo][hi]:
                for op in expr.slots[spans[j][1]]:
                    v = apply(op, values[j], values[j + 1])
                    if v is not None:
                        visit(values[:j] + [v] + values[j + 2:], spans[:j] + [(lo, hi)] + spans[j + 2:], j)

    visit(list(expr.numbers), [(i, i) for i in range(expr.size)], 0)
    return out


def brute(puzzle):
    """The difficulty fields from the list of every bracketing."""
    goal = puzzle.target
    every = list(bracketings(puzzle))
    solving = [b for b in every if b.holds]
    reach = {b.value for b in every if b.value is not None}
    order = preorder(puzzle.left)
    hit = next((i for i, s in enumerate(order) if len(s) == 1 and s[0] == goal), None)
    return Difficulty(rules="brackets", total=len(every), solutions=len(solving),
                      classes=len({form(b.tree) for b in solving}), undefined=sum(b.value is None for b in every),
                      values=len(reach), min_depth=min((b.depth for b in solving), default=None),
                      min_pairs=min((b.pairs for b in solving), default=None),
                      near_1=sum(1 for v in reach if v != goal and abs(v - goal) <= 1),
                      near_1pct=sum(1 for v in reach if v != goal and abs(v - goal) * 100 <= abs(goal)),
                      effort=len(order) if hit is None else hit + 1)


@settings(max_examples=150, deadline=None)
@given(puzzles(max_operands=6, max_value=12))
def test_every_field_matches_brute_force(puzzle):
    assert difficulty(puzzle) == brute(puzzle)


@settings(max_examples=60, deadline=None)
@given(puzzles(max_operands=5, max_value=6, wildcards=True, fixed_groups=True))
def test_wildcards_and_fixed_groups_match_brute_force(puzzle):
    assert difficulty(puzzle) == brute(puzzle)


@pytest.mark.parametrize("n", range(1, 9))
def test_exhausting_the_search_visits_a_catalan_number_of_states(n):
    expr = parse(" + ".join(["1"] * n)).left
    assert effort(expr, -1) == catalan(n)
    leaves = [s for s in preorder(expr) if len(s) == 1]
    assert len(leaves) == catalan(n - 1) == expr.total()        # each bracketing exactly once


def test_the_seed_puzzle_by_hand():
    d = difficulty("8 + 28 / 4 - 2 * 3 = 6")
    assert (d.solutions, d.classes, d.total, d.min_depth, d.min_pairs) == (1, 1, 14, 2, 3)
    assert d.fraction == Fraction(1, 14) and d.as_dict()["fraction"] == "1/14"
    assert d.values == len(solve("8 + 28 / 4 - 2 * 3 = 6").values())
    # 8 + 28 first (states 1, 2), then 36 / 4 = 9 is tried before 4 - 2 ... the solution is the 12th state
    assert d.effort == 12
    none = difficulty("8 + 28 / 4 - 2 * 3 = 7")
    assert none.solutions == 0 and none.min_depth is None and none.effort == 42 == catalan(5)


def test_effort_is_capped():
    expr = parse(" + ".join(["1"] * 9)).left
    assert effort(expr, -1, max_states=1000) is None
    assert effort(expr, -1, max_states=catalan(9)) == catalan(9)


def test_near_misses_within_one_percent():
    d = difficulty("200 + 1 * 2 = 400")         # reaches 202 and 402: 402 is within 1% of 400, not within 1
    assert (d.near_1, d.near_1pct, d.values) == (0, 1, 2)
    d = difficulty("100 + 1 - 1 = 99")          # reaches 100 alone, within 1 of 99 but not within 0.99
    assert (d.near_1, d.near_1pct, d.values) == (1, 0, 1)


def test_shallowest_alone():
    expr = parse("1 - 2 - 3 - 4").left
    assert shallowest(expr, -8) == (0, 0)
    assert shallowest(expr, 6) == (1, 1)        # 1 - (2 - 3 - 4); 1 - ((2 - 3) - 4) is the same value, deeper
    assert shallowest(expr, 1000) == (None, None)


def test_bad_input():
    with pytest.raises(BracketError):
        difficulty("1 + 2")
    with pytest.raises(BracketError):
        difficulty("1 + 2 = 3", rules="chess")
