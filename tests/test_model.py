"""Trees and their renderings: fewest parentheses, depth, pairs, totals."""

import pytest
from hypothesis import given

from bracketsolve import bracketings, parse
from bracketsolve.solver.model import depth, pairs, render

from .helpers import catalan, expression_texts


@pytest.mark.parametrize("text, rendered, d, n", [
    ("(8 + 28) / ((4 - 2) * 3)", "(8 + 28) / ((4 - 2) * 3)", 2, 3),
    ("((1 + 2) + 3)", "1 + 2 + 3", 0, 0),
    ("1 + (2 + 3)", "1 + (2 + 3)", 1, 1),
    ("1 - (2 - 3)", "1 - (2 - 3)", 1, 1),
    ("(1 * 2) / 3", "1 * 2 / 3", 0, 0),
    ("1 / (2 * 3)", "1 / (2 * 3)", 1, 1),
    ("(1 + 2) * 3", "(1 + 2) * 3", 1, 1),
    ("1 + (2 * 3)", "1 + 2 * 3", 0, 0),
    ("1 * (2 * (3 * (4 + 5)))", "1 * (2 * (3 * (4 + 5)))", 3, 3),
    ("2 × (3 ÷ 4)", "2 × (3 ÷ 4)", 1, 1),
    ("8 * -2", "8 * -2", 0, 0),
])
def test_fewest_parentheses(text, rendered, d, n):
    side = parse(text).left
    assert render(side, side.written) == rendered
    assert (depth(side.written), pairs(side.written)) == (d, n)


@given(expression_texts(max_operands=5, groups=False))
def test_total_is_catalan_times_operator_choices(text):
    side = parse(text).left
    choices = 1
    for slot in side.slots:
        choices *= len(slot)
    assert side.total() == catalan(side.size) * choices
    assert sum(1 for _ in bracketings(parse(text))) == side.total()


@given(expression_texts(min_operands=3, max_operands=5))
def test_every_bracketing_keeps_the_fixed_groups(text):
    puzzle = parse(text)
    from bracketsolve.solver.model import span, subtrees

    count = 0
    for b in bracketings(puzzle):
        spans = {span(node) for node in subtrees(b.tree)}
        assert set(puzzle.left.groups) <= spans
        count += 1
    assert count == puzzle.total()


def test_brackets_in_the_input_fix_groups():
    # of the 5 shapes of 4 operands, ((1 + 2) + 3) + 4 and (1 + 2) + (3 + 4) keep (1 + 2)
    assert parse("(1 + 2) + 3 + 4").total() == 2
    assert parse("1 ? (2 + 3) ? 4").total() == 2 * 16   # (1 ? (2 + 3)) ? 4 and 1 ? ((2 + 3) ? 4)
