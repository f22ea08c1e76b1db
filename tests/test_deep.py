"""Target-directed questions (tables only for the short intervals) against the full tables and brute force.

Every depth is forced small here (`depth=1` tables only half the operands) so that the question mode runs
on small puzzles too; both engines, with zeros, negatives, decimals, `?` slots, fixed groups, fraction
targets and literals that force values past int64.
"""

import os
from collections import Counter
from fractions import Fraction
from itertools import islice

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bracketsolve import ParseError, bracketings, parse, solve
from bracketsolve.engines import plan
from bracketsolve.engines.fast import NumbaSide
from bracketsolve.engines.reference import PythonSide
from bracketsolve.solver.model import Expr, evaluate

from .helpers import expression_texts

NO_JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")
few = settings(max_examples=10) if NO_JIT else settings(max_examples=60)
SOLUTIONS_COMPARED = 2000


def brute(expr: Expr) -> Counter:
    """value -> count over every bracketing of the side (None for the undefined ones)."""
    return Counter(evaluate(expr, b.tree) for b in bracketings(_puzzle(expr)))


def _puzzle(expr: Expr):
    from bracketsolve.solver.model import Puzzle

    return Puzzle((expr,))


def assert_deep_agrees(expr: Expr, targets, *, brute_force: bool = False) -> None:
    """Question mode (forced shallow, and as planned) of both engines against the full tables."""
    full = PythonSide(expr, max_work=10**9, depth=expr.size)
    table = full.values_raw()
    if brute_force:
        counts = brute(expr)
        assert {v: c for v, c in counts.items() if v is not None} == {Fraction(v): c for v, c in table.items()}
    sides = [PythonSide(expr, max_work=10**9, depth=1), NumbaSide(expr, depth=1), NumbaSide(expr)]
    for side in sides:
        assert side.built < expr.size or expr.size == 1
        assert side.defined() == sum(table.values()), side.name
        for t in targets:
            want = table.get(t, 0)
            assert side.count(t) == want, (side.name, t)
            if want <= SOLUTIONS_COMPARED:
                trees = list(side.trees(t))
                assert len(trees) == len(set(trees)) == want, (side.name, t)
                assert set(trees) == set(full.trees(t))
                assert all(evaluate(expr, tree) == t for tree in trees)


@st.composite
def sides_with_targets(draw, max_operands=7, **options):
    expr = parse(draw(expression_texts(max_operands=max_operands, **options))).left
    reached = sorted(PythonSide(expr, max_work=10**9).values_raw(), key=Fraction)
    targets = draw(st.lists(st.sampled_from(reached), max_size=3)) if reached else []
    targets += draw(st.lists(st.integers(-20, 20) | st.fractions(max_denominator=7), max_size=2))
    return expr, targets


@few
@given(sides_with_targets())
def test_questions_agree_with_tables_and_brute_force(case):
    expr, targets = case
    assert_deep_agrees(expr, targets, brute_force=expr.size <= 6)


zeros_and_ones = st.sampled_from([0, 0, 0, 1, -1, 2, Fraction(1, 2), 3])


@few
@given(st.lists(zeros_and_ones, min_size=2, max_size=8), st.data())
def test_zero_heavy_sides_agree(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["*", "/", "+-*/", "*/", "-"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = Expr(tuple(Fraction(x) for x in numbers), tuple(ops))
    assert_deep_agrees(expr, [0, 1, -1, Fraction(1, 2)], brute_force=len(numbers) <= 6)


big_literals = st.one_of(st.integers(10**9, 10**11), st.integers(-10**19, 10**19), st.integers(100, 999),
                         st.fractions(min_value=-10**12, max_value=10**12, max_denominator=10**10),
                         st.integers(-99, 99))


@few
@given(st.lists(big_literals, min_size=2, max_size=7), st.data())
def test_questions_past_int64_are_exact(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["+", "-", "*", "/", "*/", "+-*/"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = Expr(tuple(Fraction(x) for x in numbers), tuple(ops))
    reached = list(PythonSide(expr, depth=expr.size).values_raw())
    targets = data.draw(st.lists(st.sampled_from(reached), max_size=3)) if reached else []
    assert_deep_agrees(expr, targets + [10**40, Fraction(1, 10**30)])


@few
@given(st.lists(st.integers(10, 999), min_size=6, max_size=8 if NO_JIT else 10), st.data())
def test_two_and_three_digit_products_and_quotients(numbers, data):
    ops = data.draw(st.lists(st.sampled_from("**//+-"), min_size=len(numbers) - 1, max_size=len(numbers) - 1))
    expr = Expr(tuple(Fraction(x) for x in numbers), tuple(ops))
    reached = list(PythonSide(expr, max_work=10**9, depth=expr.size).values_raw())
    assert_deep_agrees(expr, data.draw(st.lists(st.sampled_from(reached), max_size=2)))


def test_long_products_and_big_targets_in_question_mode():
    numbers = [97, 89, 83, 79, 73, 71, 67, 61, 59, 53, 47, 43]
    product = 1
    for x in numbers:
        product *= x
    expr = Expr(tuple(Fraction(x) for x in numbers), ("*",) * 6 + ("*/",) * 5)
    assert product > 2**63
    assert_deep_agrees(expr, [product, Fraction(product, 43 * 43), Fraction(1, product), 0])


def test_fraction_targets_with_huge_denominators():
    expr = parse("51 * 83 / 75 * 67 - 42 / 93 + 22 / 21 * 38 / 81 * 24").left
    table = PythonSide(expr, depth=expr.size).values_raw()
    dense = max(table, key=lambda v: Fraction(v).denominator)
    assert_deep_agrees(expr, [dense, min(table), max(table)])


@few
@given(expression_texts(max_operands=4), expression_texts(max_operands=4))
def test_two_sided_puzzles_agree_with_brute_force(left, right):
    try:
        puzzle = parse(f"{left} = {right}")
    except ParseError:
        assume(False)
    pairs = list(bracketings(puzzle))
    holding = {b.trees for b in pairs if b.holds}
    for backend in ("python", "numba"):
        result = solve(puzzle, backend=backend)
        assert result.count == len(holding)
        assert result.undefined == sum(1 for b in pairs if not b.defined)
        assert {s.trees for s in result.solutions} == holding


def test_the_plan_tables_at_least_half_and_never_the_root():
    expr = parse(" + ".join(str(d) for d in range(1, 17))).left
    for side in (PythonSide(expr), NumbaSide(expr)):
        assert expr.size // 2 <= side.built < expr.size
    assert PythonSide(expr, depth=3).built == 8           # every split keeps a tabled side
    assert NumbaSide(expr, depth=12).built == 12


def test_bounds_prune_only_what_no_bracketing_reaches():
    expr = parse("3 * 4 / 7 - 2 + 9").left
    bound = plan.bounds(expr)
    for v in PythonSide(expr, depth=expr.size).values_raw():
        assert plan.within(bound, 0, expr.size - 1, v)
    assert not plan.within(bound, 0, expr.size - 1, 10**6)


# --- zero-heavy puzzles: solutions come lazily, whatever the partners -------------------------------------

ZERO_HEAVY = ["0 * (89 ? 42 ? 55 ? 98 ? 93 ? 77 ? 13 ? 69) = 0",
              "0 / (3 ? 3 ? 0 ? 7 ? 0 ? 2 ? 0 ? 9 ? 4) = 0",
              "7 * 0 * 5 ? 8 ? 0 ? 6 ? 2 ? 9 = 0",
              "0 ? 0 ? 0 ? 0 ? 0 ? 0 ? 0 ? 0 ? 0 = 0"]


@pytest.mark.parametrize("text", ZERO_HEAVY)
@pytest.mark.parametrize("backend", ["python", "numba"])
def test_zero_heavy_first_solutions_come_lazily(text, backend):
    result = solve(text, backend=backend)
    assert result.count > 10**5
    first = list(islice(result.solutions, 50))
    assert len(first) == len(set(s.trees for s in first)) == 50
    assert all(s.holds for s in first)


@pytest.mark.parametrize("text", ["0 * (3 ? 0 ? 2 ? 5) = 0", "0 / (1 - 1 ? 2 ? 0) = 0", "2 ? 0 ? 0 * (1 ? 3) = 0"])
def test_zero_heavy_solution_sets_match_brute_force(text):
    puzzle = parse(text)
    holding = {b.tree for b in bracketings(puzzle) if b.holds}
    for backend in ("python", "numba"):
        result = solve(puzzle, backend=backend)
        assert result.count == len(holding)
        assert {s.tree for s in result.solutions} == holding


def test_first_of_every_value_partner_without_materialising_the_table():
    # 0 * (9 operands with ?): the right side has millions of bracketings; the first comes at once
    side = NumbaSide(parse("0 * 89 ? 42 ? 55 ? 98 ? 93 ? 77 ? 13 ? 69 ? 31").left, depth=5)
    first = next(side.trees(0))
    assert evaluate(side.expr, first) == 0
    assert side._questions.asked < 1000


# --- nearest values and the proof summary: selected, not sorted ------------------------------------------

@few
@given(sides_with_targets(max_operands=6), st.integers(0, 4))
def test_nearest_values_match_brute_force(case, k):
    expr, targets = case
    counts = {v: c for v, c in brute(expr).items() if v is not None}
    ordered = sorted(counts)
    for t in targets:
        t = Fraction(t)
        below = [v for v in ordered if v < t][-k:] if k else []
        above = [v for v in ordered if v > t][:k]
        want = [(v, counts[v]) for v in below + above]
        for side in (PythonSide(expr), NumbaSide(expr), NumbaSide(expr, depth=1)):
            assert side.nearest(t, k) == want, side.name
            assert side.smallest(k) == ordered[:k]


def test_nearest_and_summary_through_solve():
    for backend in ("python", "numba"):
        result = solve("8 + 28 / 4 - 2 * 3 = 7", backend=backend)
        assert [n.value for n in result.nearest(2)] == [3, 6, 9, Fraction(38, 3)]
        assert "12 values: -18, -6, 3, 6, 9, 38/3," in result.summary()
        big = solve("97 * 89 * 83 * 79 * 73 * 71 * 67 * 61 * 59 * 53 * 47 * 43 = 1", backend=backend)
        (near,) = big.nearest(1)
        assert near.value > 2**63 and near.witness.value == near.value
