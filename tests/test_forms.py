"""Equivalence classes of bracketings: canonical forms against sympy, and solve(distinct="form")."""

import random
from fractions import Fraction
from itertools import product

import pytest
import sympy

from bracketsolve import parse, solve
from bracketsolve.solver.bracketings import bracketings
from bracketsolve.errors import BracketError
from bracketsolve.solver.forms import FormSide, Forms, form
from bracketsolve.solver.model import depth, evaluate

SYMBOLS = sympy.symbols("x0:8")
SYMPY_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b}


def symbolic(tree):
    """The tree as a rational function of independent symbols, brought to one canonical fraction."""
    if isinstance(tree, int):
        return SYMBOLS[tree]
    op, left, right = tree
    return SYMPY_OPS[op](symbolic(left), symbolic(right))


def canonical(tree):
    return sympy.cancel(sympy.together(symbolic(tree)))


def partition(keys) -> set:
    """The partition of positions that `keys` induces, as a set of frozensets."""
    groups = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def trees_of(text):
    return [b.tree for b in bracketings(parse(text))]


# --- the seed examples ------------------------------------------------------------------------------

def test_the_issue_examples():
    a, b, c = 0, 1, 2
    assert form(("-", ("+", a, b), c)) == form(("+", a, ("-", b, c)))
    assert form(("/", ("*", a, b), c)) == form(("*", a, ("/", b, c)))
    assert form(("-", a, ("-", b, c))) != form(("-", ("-", a, b), c))
    assert form(("-", a, ("-", b, c))) == form(("+", ("-", a, b), c))
    assert form(("/", a, ("/", b, c))) == form(("*", ("/", a, b), c))


def test_seed_puzzle_has_one_class():
    r = solve("8 + 28 / 4 - 2 * 3 = 6", distinct="form")
    assert (r.count, r.count_all, r.total) == (1, 1, 14)
    assert [str(s) for s in r.solutions] == ["(8 + 28) / ((4 - 2) * 3)"]


def test_plain_sum_is_one_class_with_the_bare_rendering():
    r = solve("1 + 2 + 3 + 4 = 10", distinct="form")
    assert (r.count, r.count_all) == (1, 5)
    assert str(r.first) == "1 + 2 + 3 + 4"


# --- forms agree with sympy -------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 4])
def test_forms_match_sympy_for_every_operator_sequence(n):
    for ops in product("+-*/", repeat=n - 1):
        text = " ".join(f"{i + 1} {op}" for i, op in enumerate(ops)) + f" {n}"
        trees = trees_of(text)
        assert partition(form(t) for t in trees) == partition(canonical(t) for t in trees), text


def test_forms_match_sympy_with_free_slots():
    for n in (3, 4):
        trees = trees_of(" ? ".join(str(i + 1) for i in range(n)))
        assert partition(form(t) for t in trees) == partition(canonical(t) for t in trees)


def test_forms_match_sympy_on_random_five_and_six_operand_puzzles():
    rng = random.Random(4)
    for _ in range(12):
        n = rng.choice((5, 6))
        ops = [rng.choice("+-*/") for _ in range(n - 1)]
        text = " ".join(f"{i + 1} {op}" for i, op in enumerate(ops)) + f" {n}"
        trees = trees_of(text)
        assert partition(form(t) for t in trees) == partition(canonical(t) for t in trees), text


# --- the class DP against brute force ---------------------------------------------------------------

def brute_classes(text):
    """Classes of solving bracketings, by canonical form of every bracketing (the slow, obvious way)."""
    puzzle = parse(text)
    return {form(b.tree) for b in bracketings(puzzle) if b.holds}


def random_puzzle(rng, n, zeros=False):
    numbers = [rng.choice((0, 1, 2, 3)) if zeros else rng.randint(1, 9) for _ in range(n)]
    ops = [rng.choice("+-*/?") for _ in range(n - 1)]
    text = " ".join(f"{x} {op}" for x, op in zip(numbers, ops)) + f" {numbers[-1]}"
    return text


@pytest.mark.parametrize("zeros", [False, True])
def test_class_count_matches_brute_force(zeros):
    rng = random.Random(11 + zeros)
    for _ in range(60):
        text = random_puzzle(rng, rng.randint(2, 5), zeros)
        table = {}
        for b in bracketings(parse(text)):
            if b.defined:
                table.setdefault(b.value, set()).add(form(b.tree))
        for value, classes in list(table.items())[:4]:
            r = solve(text, target=value, distinct="form")
            assert r.count == len(classes), (text, value)
            listed = list(r.solutions)
            assert {form(s.tree) for s in listed} == classes
            assert all(evaluate(parse(text).left, s.tree) == value for s in listed)
            assert r.count_all == solve(text, target=value).count


def test_representative_is_defined_when_another_member_divides_by_zero():
    # (3 / 1) * 0 is defined; 3 / (1 / 0), the same rational function 3*c/b, is not.
    r = solve("3 ? 1 ? 0 = 0", ops="*/", distinct="form")
    for s in r.solutions:
        assert evaluate(parse("3 ? 1 ? 0").left, s.tree) == 0


def test_only_member_undefined_means_no_class():
    # 3 / (1 / 0) is the only way to put 0 over 1 with these operators: no defined member.
    side = FormSide(parse("3 / 1 / 0").left)
    assert Fraction(0) not in side.by_value()


def test_representatives_use_fewest_parentheses():
    rng = random.Random(5)
    for _ in range(30):
        text = random_puzzle(rng, 5)
        puzzle = parse(text)
        best = {}
        for b in bracketings(puzzle):
            if b.defined:
                key = form(b.tree)
                best[key] = min(best.get(key, 99), b.pairs)
        side = FormSide(puzzle.left)
        for f, (value, pairs, _) in side.roots().items():
            if value is not None:
                tree = side.tree(f)
                assert pairs == best[form(tree)]
                assert depth(tree) >= 0


def test_equation_with_two_free_sides_counts_pairs_of_classes():
    text = "1 + 2 + 3 = 2 * 3 * 1"
    r = solve(text, distinct="form")
    assert r.count == 1 and r.count_all == 2 * 2
    assert str(r.first) == "1 + 2 + 3 = 2 * 3 * 1"


def test_unsolvable_form_result_keeps_the_proof():
    r = solve("8 + 28 / 4 - 2 * 3 = 7", distinct="form")
    assert not r and r.count == 0 and "No bracketing" in r.summary()


def test_limit_applies_to_classes():
    r = solve("1 ? 2 ? 3 ? 4 = 10", distinct="form", limit=2)
    assert r.count == 3 and len(list(r.solutions)) == 2


def test_distinct_is_validated():
    with pytest.raises(BracketError):
        solve("1 + 2 = 3", distinct="forms")
    assert solve("1 + 2 = 3").distinct == "all"
    assert solve("1 + 2 = 3", distinct="form").distinct == "form"


def test_interned_forms_compose():
    f = Forms()
    a, b, c = (f.leaf(i) for i in range(3))
    assert f.of(("-", ("+", 0, 1), 2)) == f.combine("+", a, f.combine("-", b, c))
    assert f.kind(a) == "#" and f.kind(f.combine("/", a, b)) == "*"


def test_fixed_groups_are_kept():
    for text in ("(8 + 28) / 4 - 2 * 3", "8 + (28 / 4 - 2) * 3", "1 ? (2 ? 3) ? 4"):
        table = {}
        for b in bracketings(parse(text)):
            if b.defined:
                table.setdefault(b.value, set()).add(form(b.tree))
        for value, classes in table.items():
            r = solve(text, target=value, distinct="form")
            assert r.count == len(classes) and {form(s.tree) for s in r.solutions} == classes
