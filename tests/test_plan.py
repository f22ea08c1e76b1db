"""The plan's kernels (`engines/kernels/plan.py`) give `engines/plan.py`'s answers: the bounds, saturated at
INT64_MAX, and the next-level decision of the cost model, on random sides and random table sizes."""

import os
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bracketsolve.engines import plan
from bracketsolve.engines.fast import NumbaSide
from bracketsolve.engines.kernels import INT64_MAX
from bracketsolve.engines.kernels import plan as KP
from bracketsolve.solver.model import Expr
from bracketsolve.solver.symbols import OPERATORS

import numpy as np

NO_JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")
few = settings(max_examples=20 if NO_JIT else 200, deadline=None)

numbers = st.one_of(st.integers(-20, 99), st.integers(-2**70, 2**70),
                    st.builds(Fraction, st.integers(-50, 50), st.integers(1, 12)))
slots = st.sets(st.sampled_from(OPERATORS), min_size=1).map(lambda ops: "".join(o for o in OPERATORS if o in ops))


@st.composite
def sides(draw, max_operands: int = 12) -> Expr:
    n = draw(st.integers(1, max_operands))
    return Expr(tuple(Fraction(draw(numbers)) for _ in range(n)), tuple(draw(slots) for _ in range(n - 1)))


def _masks(expr: Expr) -> np.ndarray:
    return np.array([sum(1 << OPERATORS.index(op) for op in slot) for slot in expr.slots], np.int64)


@few
@given(sides())
def test_bounds_are_plan_bounds_saturated(expr):
    num = np.array([min(abs(x.numerator), INT64_MAX) for x in expr.numbers], np.int64)
    den = np.array([min(x.denominator, INT64_MAX) for x in expr.numbers], np.int64)
    nb, db = KP.bounds(num, den, _masks(expr))
    want_n, want_d = plan.bounds(expr)
    n = expr.size
    for i in range(n):
        for j in range(i, n):
            assert nb[i, j] == min(want_n[i][j], INT64_MAX)
            assert db[i, j] == min(want_d[i][j], INT64_MAX)


@few
@given(sides(max_operands=18), st.data())
def test_pays_is_plan_pays(expr, data):
    n = expr.size
    if n < 3:
        return
    built = data.draw(st.integers(max(1, n // 2), n - 2))
    big = data.draw(st.booleans())
    sizes = {(i, j): data.draw(st.integers(0, 2**40 if big else 3 ** (j - i + 1)))   # both answers come up
             for i in range(n) for j in range(i, min(n, i + built))}
    array = np.zeros((n, n), np.int64)
    for (i, j), size in sizes.items():
        array[i, j] = size
    decided = KP.pays(array, _masks(expr), built, plan.QUESTION_WEIGHT)
    if decided != KP.UNSURE:
        assert bool(decided) == plan.pays(expr, sizes, built)


def test_the_numba_side_plans_as_plan_py():
    """On the benchmark-like chains, the numba side stops where plan.build_next stops."""
    for n in (12, 16, 18):
        text = " ".join(f"{(7 * i) % 9 + 1} {'+-*/'[i % 4]}" for i in range(n - 1)) + " 5"
        from bracketsolve import parse

        expr = parse(text).left
        side = NumbaSide(expr)
        sizes = {(i, j): side._size(i, j) for i in range(n) for j in range(i, min(n, i + side.built))}
        assert not plan.build_next(expr, sizes, side.built)
        shorter = {k: v for k, v in sizes.items() if k[1] - k[0] < side.built - 1}
        assert plan.build_next(expr, shorter, side.built - 1)


def test_every_table_only_for_sides_the_bulk_kernel_takes():
    """Sides of at most ALL_SHAPES tree shapes and ALL_LEVELS bracketings get every table but the whole side's
    (the bulk kernel's order); past them the cost model stops earlier: 12 and 14 single-digit operands are
    answered from far fewer tables. Six operands with every slot `?` (43,008 bracketings) get every table."""
    from bracketsolve import parse
    from bracketsolve.engines.reference import PythonSide
    from bracketsolve.solver.many import MAX_SHAPES, MAX_TOTAL

    assert (MAX_TOTAL, MAX_SHAPES) == (plan.ALL_LEVELS, plan.ALL_SHAPES)
    for n, every in ((9, True), (11, True), (12, False), (14, False)):
        expr = parse(" ".join(f"{(7 * i) % 9 + 1} {'+-*/'[i % 4]}" for i in range(n - 1)) + " 5").left
        assert plan.every_level(expr) == every
        for side in (NumbaSide(expr), PythonSide(expr)):
            assert (side.built == n - 1) == every, (n, side.built)
            assert side.built >= n // 2

    six = parse("2 ? 3 ? 5 ? 7 ? 11 ? 13").left
    assert plan.every_level(six) and NumbaSide(six).built == 5 and PythonSide(six).built == 5
