"""Classes of free-order expressions: the DP's counts against OEIS A140606 and against a brute force that
lists every tree and takes its canonical form; the canonical form against rational-function identity."""

from fractions import Fraction

import pytest
from hypothesis import given, settings

from bracketsolve import BracketError, solve
from bracketsolve.engines.subsets import Multisets
from bracketsolve.games.classes import ClassCounter
from bracketsolve.games.forms import form

from .games_brute import canonical, classes, functions, trees
from .test_games_engine import games, labels_of

A140606 = [1, 6, 68, 1170, 27142, 793002, 27914126]     # inequivalent expressions over n distinct operands


@pytest.mark.parametrize("n", range(1, 8))
def test_the_dp_counts_oeis_a140606(n):
    counter = ClassCounter(tuple(Fraction(i + 2) for i in range(n)), (1,) * n, "+-*/", valued=False)
    assert counter.classes(counter.space.full) == A140606[n - 1]


@pytest.mark.parametrize("n", range(1, 5))
def test_canonical_forms_are_rational_functions(n):
    """For distinct operands as symbols, the classes are the distinct rational functions (found here by
    evaluating every tree at random points modulo a prime), both in the brute force and in the package."""
    every = trees(tuple(range(n)), "+-*/")
    assert functions(n) == A140606[n - 1]
    assert len({canonical(t) for t in every}) == A140606[n - 1]
    assert len({form(t) for t in every}) == A140606[n - 1]


@pytest.mark.parametrize("counts, want", [((2,), 4), ((2, 1), 40), ((3,), 18), ((2, 2), 371), ((4,), 93),
                                          ((3, 1), 267)])
def test_repeated_numbers_are_one_symbol(counts, want):
    """Over [a, a] there are four classes (a + a, a - a, a * a, a / a); brute force and DP agree on more."""
    labels = tuple(i for i, c in enumerate(counts) for _ in range(c))
    assert len({canonical(t) for t in trees(labels, "+-*/")}) == want
    counter = ClassCounter(tuple(Fraction(i + 2) for i in range(len(counts))), counts, "+-*/", valued=False)
    assert counter.classes(counter.space.full) == want


def test_the_package_form_partitions_trees_like_the_brute_force():
    for labels in [(0, 1, 2, 3), (0, 0, 1, 1), (0, 0, 0, 1)]:
        mine, theirs = {}, {}
        for t in trees(labels, "+-*/"):
            mine.setdefault(form(t), set()).add(t)
            theirs.setdefault(canonical(t), set()).add(t)
        assert set(map(frozenset, mine.values())) == set(map(frozenset, theirs.values()))


@settings(max_examples=80)
@given(games(max_numbers=4))
def test_class_counts_by_value_match_the_brute_force(game):
    values, counts, ops, tv = game
    if ("-" in ops and "+" not in ops) or ("/" in ops and "*" not in ops):
        with pytest.raises(BracketError):
            ClassCounter(values, counts, ops)
        return
    counter = ClassCounter(values, counts, ops, tv=tv)
    every = ClassCounter(values, counts, ops, valued=False)
    space = Multisets(counts)
    for s in space.by_size():
        want, total = classes(values, labels_of(space, s), ops, tv)
        if s == space.full:                 # target-directed, before the whole table exists
            for t in list(want)[:4] + [0, 24, Fraction(-1, 2)]:
                assert ClassCounter(values, counts, ops, tv=tv).count(t, s) == want.get(t, 0)
        assert {Fraction(v): c for v, c in counter.classes(s).items()} == dict(want)
        assert every.classes(s) == total


def test_examples_people_count():
    r = solve("4 7 8 8 -> 24", rules="24", distinct="form")
    assert (r.count, r.count_all) == (3, 22)
    assert sorted(str(s) for s in r.solutions) == ["4 * (7 - 8 / 8)", "7 * 8 - 4 * 8", "8 * (4 + (7 - 8))"]
    assert solve("3 3 8 8 -> 24", rules="24", distinct="form").count == 1
    assert solve("1 5 5 5 -> 24", rules="24", distinct="form").count == 1        # 5 * (5 - 1 / 5)


@settings(max_examples=30)
@given(games(max_numbers=4, tv=False))
def test_listing_gives_one_member_of_each_class(game):
    values, counts, ops, tv = game
    if ("-" in ops and "+" not in ops) or ("/" in ops and "*" not in ops):
        return
    numbers = [str(v) for v, c in zip(values, counts) for _ in range(c)]
    table = solve(numbers, rules="countdown", ops=ops, target=0, distinct="form").values()
    for target in list(table)[:3]:
        r = solve(numbers, rules="countdown", ops=ops, target=target, distinct="form")
        listed = list(r.solutions)
        assert len(listed) == r.count == table[target]
        assert len({form(s.tree) for s in listed}) == len(listed)
        assert all(s.value == target == r.game.evaluate(s.tree) for s in listed)
