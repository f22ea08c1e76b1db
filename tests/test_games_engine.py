"""The free-order reference engine against the brute force: every sub-multiset's table, counts, solutions."""

from collections import Counter
from fractions import Fraction
from math import comb, factorial, prod

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bracketsolve.engines.subsets import Multisets, PythonSubsets
from bracketsolve.games.game import evaluate

from .games_brute import trees, value

POOL = [0, 1, 2, 3, 4, 6, 8, -1, -3, Fraction(1, 2), Fraction(5, 2), Fraction(-7, 3)]
TV_POOL = [1, 2, 3, 4, 6, 8, 12]


@st.composite
def games(draw, max_numbers=4, pool=POOL, tv=None):
    """(distinct values, counts, ops, tv): a few numbers, some repeated, from a pool with zero, negatives,
    decimals and fractions."""
    tv = draw(st.booleans()) if tv is None else tv
    numbers = draw(st.lists(st.sampled_from(TV_POOL if tv else pool), min_size=1, max_size=max_numbers))
    ops = draw(st.sampled_from(["+-*/", "+-*/", "+-*", "*/", "+-", "-/", "+", "/"]))
    distinct = list(dict.fromkeys(numbers))
    return tuple(Fraction(x) for x in distinct), tuple(numbers.count(x) for x in distinct), ops, tv


def labels_of(space: Multisets, s: int) -> tuple:
    return tuple(i for i, c in enumerate(space.digits(s)) for _ in range(c))


def brute_table(values, labels, ops, tv) -> Counter:
    table = Counter(value(t, values, tv) for t in trees(labels, ops))
    table.pop(None, None)
    return table


@given(games())
def test_every_table_is_the_brute_force_one(game):
    values, counts, ops, tv = game
    engine = PythonSubsets(values, counts, ops, tv=tv)
    space = engine.space
    for s in space.by_size():
        labels = labels_of(space, s)
        want = brute_table(values, labels, ops, tv)
        assert dict(want) == {Fraction(v): c for v, c in engine.table(s).items()}
        assert engine.total(s) == len(trees(labels, ops))
        assert engine.defined(s) == sum(want.values())


@given(games(), st.lists(st.integers(-12, 30), max_size=3))
def test_counts_and_solutions_match_the_brute_force(game, extra):
    values, counts, ops, tv = game
    full = Multisets(counts).full
    labels = labels_of(Multisets(counts), full)
    want = brute_table(values, labels, ops, tv)
    for target in list(want)[:3] + extra:
        fresh = PythonSubsets(values, counts, ops, tv=tv)       # the whole table not built: partner lookups
        assert fresh.count(target, full) == want.get(Fraction(target), 0)
        listed = list(fresh.trees(target, full))
        assert len(listed) == len(set(listed)) == want.get(Fraction(target), 0)
        assert all(value(t, values, tv) == target for t in listed)
        assert all(evaluate(values, t, tv) == target for t in listed)


def test_equal_numbers_do_not_multiply_a_count():
    """A tree is what is written: swapping the two 8s of 8 - 8 gives the same tree, so [8, 8] has exactly
    four (8 + 8, 8 - 8, 8 * 8, 8 / 8), and 3 3 8 8 makes 24 in exactly one way."""
    engine = PythonSubsets((Fraction(8),), (2,), "+-*/")
    assert engine.total(engine.space.full) == 4
    assert engine.table(engine.space.full) == {16: 1, 0: 1, 64: 1, 1: 1}
    engine = PythonSubsets((Fraction(3), Fraction(8)), (2, 2), "+-*/")
    assert [engine.render(t) for t in engine.trees(24, engine.space.full)] == ["8 / (3 - 8 / 3)"]


@pytest.mark.parametrize("counts", [(1,), (1, 1, 1), (2, 1), (2, 2), (3, 1, 1), (4,), (1, 1, 1, 1, 1, 1)])
def test_total_is_the_recursion_over_splits(counts):
    """The closed form (leaf orders n! / (m1! m2! ...), Catalan(n - 1) shapes, |ops| ** (n - 1)) is the count of
    trees built split by split."""
    space = Multisets(counts)
    trees_of = {}
    for s in space.by_size():
        trees_of[s] = 1 if space.size(s) == 1 else 3 * sum(trees_of[a] * trees_of[s - a] for a in space.splits(s))
        assert space.trees(s, 3) == trees_of[s]
    n = sum(counts)
    assert trees_of[space.full] == factorial(n) // prod(factorial(m) for m in counts) * \
        (comb(2 * n - 2, n - 1) // n) * 3 ** (n - 1)


@settings(max_examples=20)
@given(games(max_numbers=4, tv=True))
def test_tv_rule_keeps_every_step_a_positive_integer(game):
    values, counts, ops, _ = game
    engine = PythonSubsets(values, counts, ops, tv=True)
    full = engine.space.full
    for target, count in list(engine.table(full).items())[:4]:
        assert type(target) is int and target > 0
        for tree in engine.trees(target, full):
            assert value(tree, values, tv=True) == target
