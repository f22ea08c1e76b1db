"""Nearest values without the whole side's table (`engines/near.py`): near questions against the sorted table.

`smallest`, `largest` and `nearest` of both engines, with tables forced shallow (`depth`) so the questions go
down several splits, against the whole table (`values()`) and brute force (`bracketings()`). The numba engine's
cases are in test_fast.py too (run a second time there without the JIT).
"""

from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bracketsolve import bracketings, parse, solve
from bracketsolve.engines.reference import PythonSide
from bracketsolve.solver.model import Expr, Puzzle, evaluate

from .helpers import expression_texts


def brute(expr: Expr) -> Counter:
    """value -> count over every bracketing of the side (undefined ones left out)."""
    found = Counter(evaluate(expr, b.tree) for b in bracketings(Puzzle((expr,))))
    found.pop(None, None)
    return found


def assert_near(engine, table: dict, targets, ks=(0, 1, 2, 3, 7)) -> None:
    """An engine's smallest / largest / nearest agree with `table` (value -> count, every value of the side)."""
    ordered = sorted(table)
    for k in ks:
        assert engine.smallest(k) == ordered[:k], k
        assert engine.largest(k) == ordered[::-1][:k], k
        for t in targets:
            t = Fraction(t)
            below = [v for v in ordered if v < t][-k:] if k else []
            above = [v for v in ordered if v > t][:k]
            want = [(v, table[v]) for v in below + above]
            got = engine.nearest(t, k)
            assert got == want, (t, k)
            assert all(type(v) is Fraction for v, _ in got)


@st.composite
def near_cases(draw, max_operands=7, **options):
    """(expr, depth forcing the deepest table length or None, targets: reached values, near misses, others)."""
    expr = parse(draw(expression_texts(max_operands=max_operands, **options))).left
    depth = draw(st.one_of(st.none(), st.integers(1, max(1, expr.size - 1))))
    reached = sorted(brute(expr))
    targets = draw(st.lists(st.sampled_from(reached), max_size=2)) if reached else []
    targets += [v + Fraction(1, 7) for v in targets] + draw(st.lists(st.integers(-40, 40), max_size=2))
    targets += draw(st.lists(st.fractions(-50, 50, max_denominator=9), max_size=1)) + [0]
    return expr, depth, targets


@settings(max_examples=150, deadline=None)
@given(near_cases())
def test_python_near_questions_agree_with_brute_force(case):
    expr, depth, targets = case
    table = brute(expr)
    engine = PythonSide(expr, max_work=10**9, depth=depth)
    assert_near(engine, table, targets)
    assert {Fraction(v): c for v, c in PythonSide(expr, max_work=10**9).values_raw().items()} == table


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 1, -1, 2, -3, 5, Fraction(1, 2)]), min_size=2, max_size=7), st.data())
def test_zeros_and_zero_divisors(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["/", "-", "*", "+-*/", "*/", "-/"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = Expr(tuple(Fraction(x) for x in numbers), tuple(ops))
    depth = data.draw(st.integers(1, len(numbers) - 1))
    table = brute(expr)
    targets = [0, Fraction(1, 3), -1] + list(table)[:2]
    assert_near(PythonSide(expr, max_work=10**9, depth=depth), table, targets)


def test_k_past_the_number_of_values_gives_them_all():
    expr = parse("1 ? 2 ? 3").left
    engine = PythonSide(expr, depth=1)
    every = sorted(brute(expr))
    assert engine.smallest(1000) == every
    assert engine.largest(1000) == every[::-1]
    assert [v for v, _ in engine.nearest(Fraction(-100), 1000)] == every


def test_no_defined_value_has_no_nearest():
    engine = PythonSide(parse("1 / 0 / 0").left, depth=1)
    assert engine.smallest(3) == [] and engine.nearest(5, 3) == []


def test_summary_of_a_proof_of_none_lists_the_smallest_and_the_nearest():
    result = solve("1 ? 2 ? 3 ? 4 = 1000", backend="python")
    every = sorted(brute(parse("1 ? 2 ? 3 ? 4").left))
    assert not result.solvable
    text = result.summary()
    assert f"{len(every)} values" in text and f"Nearest: {every[-1]} = " in text


def test_two_sided_puzzles_have_no_nearest():
    assert solve("1 + 2 = 3 * 4", backend="python").nearest(3) == []


def test_a_big_proof_of_none_lists_its_first_values_without_counting_them_all():
    text = "8 - 2 + 2 + 3 * 9 + 5 * 7 * 1 - 5 + 1 / 6 - 3 - 5 / 8 - 1"          # 15 operands: 2,674,440 bracketings
    result = solve(text, target=Fraction(1000000007, 3), backend="numba")
    text = result.summary()
    every = sorted(result.values())                 # the whole table, sorted: what the summary must agree with
    first = ", ".join(str(v) for v in every[:12])
    assert not result.solvable
    assert f"more than 12 values from {every[0]} to {every[-1]}; the first 12: {first}. Nearest: {every[-1]} = " \
        in text
    (near,) = result.nearest(1)
    assert near.value == every[-1] and near.count == result.values()[every[-1]] and near.witness.value == every[-1]
