"""Cheap proofs of none and value listings: `--values` rendered from the engine's integers (`engines/listing.py`)
against `values()` and brute force, in both engines; near questions that ask no count question of their own.
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bracketsolve import parse, solve, values
from bracketsolve.cli.main import main
from bracketsolve.engines.fast import NumbaSide
from bracketsolve.engines.listing import listing
from bracketsolve.engines.near import keep
from bracketsolve.engines.near_fast import NEAR_K, NearStore
from bracketsolve.engines.reference import PythonSide
from bracketsolve.solver.model import Expr, format_value
from bracketsolve.solver.solve import value_listing

from .helpers import expression_texts
from .test_near import brute

big = st.sampled_from([10**12 + 1, -(10**12) - 7, 3 * 10**9, Fraction(10**10, 7), 7, -2, 0, Fraction(1, 3)])


def rendered(table: dict) -> tuple:
    """(texts, counts) as the CLI rendered them before: format_value of every value of an ordered table."""
    return [format_value(Fraction(v)) for v in table], list(table.values())


@settings(max_examples=120, deadline=None)
@given(expression_texts(max_operands=7))
def test_listing_agrees_with_values_and_brute_force_in_both_engines(text):
    expr = parse(text).left
    want = rendered({v: c for v, c in sorted(brute(expr).items())})
    assert listing(PythonSide(expr)) == want
    assert listing(NumbaSide(expr)) == want
    assert rendered(values(text, backend="numba")) == want


@settings(max_examples=40, deadline=None)
@given(st.lists(big, min_size=2, max_size=6), st.data())
def test_listing_past_int64_is_exact(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["*", "+-*/", "*/", "-"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = Expr(tuple(Fraction(x) for x in numbers), tuple(ops))
    want = rendered(PythonSide(expr).values())
    assert listing(NumbaSide(expr)) == want
    assert listing(PythonSide(expr)) == want


def test_cli_values_print_what_values_gives(capsys):
    text = "8 ? 7 ? 1 / 6 ? 5 ? 4 ? 3"
    table = values(text, backend="numba")
    width = max(len(format_value(v)) for v in table)
    assert main(["--values", "--backend", "numba", text]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:-1] == [f"{format_value(v):>{width}}  {c:,}" for v, c in table.items()]
    assert lines[-1].startswith(f"{len(table):,} values from ")
    assert value_listing(text, backend="python") == rendered(table)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-9, 9), max_size=8), st.integers(-12, 12), st.booleans(), st.integers(1, 4))
def test_keep_holds_the_k_nearest_seen(seen, v, up, k):
    best: list = []
    for w in seen:
        keep(best, w, v, up, k)
    beyond = sorted({w for w in seen if (w > v if up else w < v)})
    assert best == (beyond[:k] if up else beyond[-k:])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 3, -1, 2, 7, Fraction(1, 2)]), min_size=4, max_size=8), st.data())
def test_a_proof_of_none_asks_no_count_question_for_its_zeros(numbers, data):
    # zeros in the tables and `/` slots: the near questions' `0 * x` and `0 / x` read the counts asked already
    ops = data.draw(st.lists(st.sampled_from(["/", "*", "-", "+-*/", "*/"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = Expr(tuple(Fraction(x) for x in numbers), tuple(ops))
    engine = NumbaSide(expr, depth=data.draw(st.integers(1, 2)))
    assert engine.count(Fraction(10**9 + 7, 3)) == 0
    asked = engine._kernel_questions().asked
    NearStore(engine, NEAR_K)
    assert engine._kernel_questions().asked == asked
    every = sorted(brute(expr))
    assert engine.smallest(12) == every[:12] and engine.largest(2) == every[::-1][:2]
    assert [v for v, _ in engine.nearest(Fraction(1, 3), 2)] == [v for v in every if v < Fraction(1, 3)][-2:] + \
        [v for v in every if v > Fraction(1, 3)][:2]
