"""A worked example for docs/testing.md: test your own bracket solver against bracketsolve.

The toy solver below has a bug. Run `pytest docs/examples/test_toy_solver.py` and hypothesis finds it,
then shrinks the puzzle that shows it to the smallest one it can.
"""

from fractions import Fraction

from hypothesis import given

from bracketsolve.strategies import solvable_puzzles, unsolvable_puzzles

APPLY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b}


def toy_solve(numbers: list, ops: list, target: Fraction):
    """One fully bracketed expression over `numbers` and `ops` (in order) equal to `target`, or None."""

    def bracketings(i, j):
        if i == j:
            yield str(numbers[i]), numbers[i]
            return
        for k in range(i, j):
            for left, a in bracketings(i, k):
                for right, b in bracketings(k + 1, j):
                    yield f"({left} {ops[k]} {right})", APPLY[ops[k]](a, b)

    try:
        for text, value in bracketings(0, len(numbers) - 1):
            if value == target:
                return text
    except ZeroDivisionError:       # the bug: one division by zero ends the whole search
        return None
    return None


def toy_answer(puzzle):
    side = puzzle.left
    return toy_solve(list(side.numbers), list(side.slots), puzzle.target)


@given(solvable_puzzles(max_operands=5))
def test_the_toy_solves_every_solvable_puzzle(bracket_oracle, puzzle):
    answer = toy_answer(puzzle)
    assert answer is not None, f"the toy found no solution to {puzzle}"
    assert bracket_oracle.check(puzzle, answer).ok


@given(unsolvable_puzzles(max_operands=5))
def test_the_toy_finds_nothing_when_there_is_nothing(puzzle):
    assert toy_answer(puzzle) is None
