"""Hypothesis strategies for answers to a puzzle: spelled every way a grader accepts, or wrong in every way
it must reject. Answers shrink toward the plainest spelling of the first solution.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import islice
from typing import Optional, Union, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from ..engines.reference import PythonSide
from ..solver.bracketings import Solution
from ..solver.model import Puzzle, Tree, Value, bracketed, render, span, subtrees
from ..solver.solve import solve
from ..solver.symbols import OPERATOR_GLYPHS, OPERATORS
from .puzzles import _as_puzzle, _bool, _trees, bracketings, decimal

__all__ = ["answers"]

SOLUTIONS_DRAWN = 64            # answers() picks correct bracketings among the first this many solutions

Glyphs = dict[str, tuple[str, ...]]     # like {"*": ("*", "×", "x", ...)}: every spelling of an operator, plainest
#                                         first
GLYPHS: Glyphs = {op: tuple(g for g, o in OPERATOR_GLYPHS.items() if o == op) for op in OPERATORS}
GRADE_GLYPHS: Glyphs = GLYPHS           # grade reads x and : as check does (between operands)
LATEX_GLYPHS: Glyphs = {"+": ("+",), "-": ("-",), "*": ("\\times", "\\cdot", "\\ast"), "/": ("\\div",)}
BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"), ("（", "）"))
LATEX_BRACKETS = (("(", ")"), ("\\left(", "\\right)"), ("[", "]"), ("\\left[", "\\right]"))
SPACES = (" ", "", "  ")
FULL_WIDTH_DIGITS = {ord(d): 0xFF10 + int(d) for d in "0123456789"}
MATH = ("${}$", "\\({}\\)", "\\[{}\\]", "$$ {} $$")         # LaTeX answers sit in one of these
TAGGED = ("<answer>{}</answer>", "\\boxed{{{}}}", "<answer>\n{}\n</answer>")
WRAPPERS = ("{}",) + TAGGED + ("`{}`", "**{}**", "Answer: {}", "So the answer is {}.", "1. {}", "{}.",
                                "- a first try\n- {}", "{}\nEvery other placement is impossible.")
BREAKING = ("{}!", "{}%", "{}²", "{} ^ 2", "{}**2", "{} + 1", "{} * 1", "√({})", "{}, 9", "1, {}", "{} and 2",
            "{} or {}", "{}\n+ 1", "sqrt({})", "{} squared", "-({})", "{} ≠ 0", "{}'")   # a right answer, made wrong
DENYING = (         # a right answer that the output denies or takes back, inside its span or around its tag or box;
    # {e} is the answer ({t} the target): graded disowned, unclear_claim, wrong_equation, never correct
    "{e} is wrong", "The answer is not {e}", "{e} (false)", "Not {e}.", "{e} does not work", "不是 {e}",
    "<answer>{e}</answer> is wrong", "<answer>{e}</answer> — no, that is wrong", "<answer>{e}</answer> is incorrect",
    "<answer>{e}</answer>, which is false", "\\boxed{{{e}}} is not right", "**{e}** (wrong)",
    "The answer is not \\boxed{{{e}}}.", "<answer>{e}</answer>. That is wrong.", "\\boxed{{{e}}}\nActually, no.",
    "{e}. Nope.", "<answer>{e}</answer> ✗", "<answer>{e}</answer> 是错的", "There is no solution other than {e}",
    "Apart from {e}, there is no solution.", "Either no solution or {e}", "<answer>{e}</answer> or no solution",
    "<answer>{e}</answer> = {t} + 1", "\\boxed{{{e}}} \\neq {t}", "<answer>{e}</answer> squared",
    "(\\boxed{{{e}}})^2",
)
NO_SOLUTION = ("no solution", "No solution exists.", "impossible", "There is no way to place the brackets.",
               "\\text{no solution}", "无解", "不可能", "不存在")
JUNK = ("", "?", "I don't know.", "(", "()", "= =", "the brackets go around the middle")


# --- answers ----------------------------------------------------------------------------------

def answers(puzzle: Union[Puzzle, str], *, correct: bool = True, grader: Optional[str] = None) -> SearchStrategy[str]:
    """Answer strings that the grader accepts (`correct=True`) or rejects (`correct=False`) for `puzzle`.

    `grader` is "check" (`bracketsolve.check`, which reads a bare answer) or "grade" (`bracketsolve.grade`,
    which reads a model's whole output); the default is "grade" when that module is installed.
    Correct answers are solutions spelled every way the grader accepts: operator glyphs (× · ÷ − ∗ x : and
    full-width forms), brackets ( [ { （, any spacing, full-width digits, redundant brackets, a trailing
    "= target"; for grade also LaTeX (\\times, \\div, \\left( \\right), \\frac, $...$), <answer> tags,
    \\boxed{}, markdown, list markers, a full stop, a few words around, commentary after it, and for a puzzle
    with no solution, claims that there is none. Incorrect ones: a bracketing of the wrong value, a changed
    number or operator, a split fixed group, unbalanced brackets, junk, a right bracketing followed by a wrong
    "= t"; for grade also a claim of no solution when there is one, and a right bracketing with something
    written onto it (a factorial, %, ², a power, "+ 1", a second expression or number, √, sqrt(), "squared"),
    and a right bracketing the output denies or takes back (`DENYING`: "X is wrong", "The answer is not X",
    "<answer>X</answer> is wrong", "\\boxed{X} is not right", "<answer>X</answer>. That is wrong.", "There is
    no solution other than X", "Either no solution or X", "<answer>X</answer> = t + 1").
    Returns: a strategy of `str`, shrinking toward the plainest spelling of the first solution.
    Raises: `InvalidArgument` for a bad option, a puzzle without a target or right side, or
    `correct=True` with grader "check" on a puzzle that has no solution (check accepts no answer to it).
    """
    puzzle = _as_puzzle(puzzle, "answers")
    correct = _bool("correct", correct)
    grader = _grader(grader)
    if not puzzle.is_equation:
        raise InvalidArgument("answers() needs an equation: the puzzle has no '=' (use puzzle.with_target)")
    result = solve(puzzle, backend="python")
    if correct:
        if result.solvable:
            return _spelled_solution(puzzle, tuple(islice(result.solutions, SOLUTIONS_DRAWN)), grader)
        if grader == "check":
            raise InvalidArgument(f"{puzzle} has no solution, so check() accepts no answer to it; "
                                  "grader='grade' gives claims that there is none")
        return _wrapped(st.sampled_from(NO_SOLUTION), latex=False, lone=False)
    misses = _misses(puzzle)
    kinds = [_wrong_values(puzzle, misses, grader)] if misses else []
    kinds += [_changed_number(puzzle, grader), _unbalanced(puzzle, grader)]
    if any(set(slot) != set(OPERATORS) for side in puzzle.free_sides for slot in side.slots):
        kinds.append(_changed_operator(puzzle, grader))
    if any(g != (0, side.size - 1) for side in puzzle.free_sides for g in side.groups):
        kinds.append(_dropped_group(puzzle, grader))
    if result.solvable and puzzle.target is not None and decimal(puzzle.target):
        kinds.append(_wrong_target(puzzle, cast(Solution, result.first).trees, grader))
    if grader == "grade" and result.solvable:
        kinds.append(_wrapped(st.sampled_from(NO_SOLUTION), latex=False, lone=False))
        kinds.append(_broken(puzzle, cast(Solution, result.first).trees))
        kinds.append(_denied(puzzle, tuple(islice(result.solutions, SOLUTIONS_DRAWN))))
    junk = st.sampled_from(JUNK)
    return st.one_of(kinds + [junk if grader == "check" else _wrapped(junk, latex=False, lone=False)])


def _grader(grader: object) -> str:
    """The grader answers() writes for: "check" (a bare answer) or "grade" (a whole output, the default)."""
    if grader not in (None, "check", "grade"):
        raise InvalidArgument(f"grader={grader!r} must be 'check' or 'grade'")
    return grader or "grade"


@st.composite
def _spelled_solution(draw: st.DrawFn, puzzle: Puzzle, solutions: tuple[Solution, ...], grader: str) -> str:
    solution = draw(st.sampled_from(solutions))
    return draw(_spelled(puzzle, solution.trees, grader))


@st.composite
def _spelled(draw: st.DrawFn, puzzle: Puzzle, trees: tuple[Tree, ...], grader: str,
             literals: Optional[dict[tuple[int, int], str]] = None,
             target: Union[bool, Fraction] = True) -> str:
    """The bracketing `trees` of `puzzle` as text, in a drawn spelling that `grader` reads.

    `literals` replaces operands ({(side, operand): text}); `target` True may append "= target", a
    Fraction appends "= that value" instead, False appends nothing.
    """
    latex = grader == "grade" and draw(st.booleans())
    glyphs = (LATEX_GLYPHS if latex else GRADE_GLYPHS) if grader == "grade" else GLYPHS
    brackets = LATEX_BRACKETS if latex else BRACKETS
    space = draw(st.sampled_from(SPACES))
    sides = []
    for s, (side, tree) in enumerate(zip(puzzle.free_sides, trees)):
        texts = [(literals or {}).get((s, i), literal) for i, literal in enumerate(side.literals)]
        if latex and not isinstance(tree, int) and tree[0] == "/" and draw(st.booleans()):
            parts = (draw(_rendered(child, texts, space, glyphs, brackets)) for child in (tree[1], tree[2]))
            sides.append("\\frac{%s}{%s}" % tuple(parts))
        else:
            sides.append(draw(_rendered(tree, texts, space, glyphs, brackets, outer=True)))
    text = f"{space}={space}".join(sides)
    if puzzle.target is not None and target is not False:
        value = puzzle.target if target is True else target
        if decimal(value) is not None and (target is not True or draw(st.booleans())):
            text += f"{space}={space}{decimal(value)}"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH_DIGITS)
    if grader == "check":
        return text
    return draw(_wrapped(st.just(text), latex, lone=all(side.size == 1 for side in puzzle.free_sides)))


@st.composite
def _rendered(draw: st.DrawFn, tree: Tree, literals: list[str], space: str, glyphs: Glyphs,
              brackets: tuple[tuple[str, str], ...],
              outer: bool = False) -> str:
    """`tree` with a drawn glyph per operator, drawn redundant brackets, a drawn style per bracket pair."""
    lo, hi = span(tree)
    inner = sorted(span(node) for node in subtrees(tree) if not isinstance(node, int) and span(node) != (lo, hi))
    keep = [s for s in inner if draw(st.booleans())]
    wrapped = sorted(bracketed(tree, tuple(keep)))
    if outer and lo < hi and draw(st.booleans()):
        wrapped.append((lo, hi))
    style = {s: draw(st.sampled_from(brackets)) for s in wrapped}
    ops = {span(node[1])[1]: node[0] for node in subtrees(tree) if not isinstance(node, int)}
    parts = []
    for i in range(lo, hi + 1):
        opens = sorted((s for s in wrapped if s[0] == i), key=lambda s: -s[1])
        closes = sorted((s for s in wrapped if s[1] == i), key=lambda s: -s[0])
        parts.append("".join(style[s][0] for s in opens) + literals[i] + "".join(style[s][1] for s in closes))
        if i < hi:
            parts.append(draw(st.sampled_from(glyphs[ops[i]])))
    return space.join(parts)


@st.composite
def _wrapped(draw: st.DrawFn, texts: SearchStrategy[str], latex: bool, lone: bool) -> str:
    """An answer as a model's output holds it: in math delimiters, a tag, a box, markdown or a sentence.

    A lone number (the answer to a one-operand puzzle) is read only from a tag or a box.
    """
    text = draw(texts)
    if latex:
        text = draw(st.sampled_from(MATH)).format(text)
    wrappers: tuple[str, ...] = TAGGED if lone else WRAPPERS
    return draw(st.sampled_from(wrappers)).format(text)


def _misses(puzzle: Puzzle, limit: int = SOLUTIONS_DRAWN) -> list[tuple[Value, ...]]:
    """Up to `limit` value tuples, one per free side, that make the equation false (simplest first)."""
    tables = [sorted(PythonSide(side).values_raw(), key=lambda v: (abs(v), v)) for side in puzzle.free_sides]
    if puzzle.target is not None:
        return [(v,) for v in islice((v for v in tables[0] if v != puzzle.target), limit)]
    return list(islice(((v, w) for v in tables[0] for w in tables[1] if v != w), limit))


@st.composite
def _wrong_values(draw: st.DrawFn, puzzle: Puzzle, misses: list[tuple[Value, ...]], grader: str) -> str:
    """A bracketing whose value misses (left != target, or left != right)."""
    values = draw(st.sampled_from(misses))
    trees = tuple(draw(st.sampled_from(list(islice(PythonSide(side).trees(v), 8))))
                  for side, v in zip(puzzle.free_sides, values))
    return draw(_spelled(puzzle, trees, grader))


@st.composite
def _changed_number(draw: st.DrawFn, puzzle: Puzzle, grader: str) -> str:
    """A bracketing with one operand one more than the puzzle's."""
    trees = draw(bracketings(puzzle)).trees
    s = draw(st.integers(0, len(trees) - 1))
    side = puzzle.free_sides[s]
    i = draw(st.integers(0, side.size - 1))
    changed = {(s, i): cast(str, decimal(side.numbers[i] + 1))}      # operands are decimals
    # grade() reads "9 = 8" for the puzzle "8 = 8" as the answer 8, so no "= target" for it
    return draw(_spelled(puzzle, trees, grader, literals=changed, target=grader == "check"))


@st.composite
def _changed_operator(draw: st.DrawFn, puzzle: Puzzle, grader: str) -> str:
    """A bracketing with one operator the puzzle does not allow in its slot."""
    trees = list(draw(bracketings(puzzle)).trees)
    places = [(s, k) for s, side in enumerate(puzzle.free_sides) for k, slot in enumerate(side.slots)
              if set(slot) != set(OPERATORS)]
    s, k = draw(st.sampled_from(places))
    op = draw(st.sampled_from([op for op in OPERATORS if op not in puzzle.free_sides[s].slots[k]]))
    trees[s] = _with_op(trees[s], k, op)
    return draw(_spelled(puzzle, tuple(trees), grader))


def _with_op(tree: Tree, k: int, op: str) -> Tree:
    """`tree` with the operator of slot k replaced by `op`."""
    if isinstance(tree, int):
        return tree
    mine, left, right = tree
    return (op if span(left)[1] == k else mine, _with_op(left, k, op), _with_op(right, k, op))


@st.composite
def _dropped_group(draw: st.DrawFn, puzzle: Puzzle, grader: str) -> str:
    """A bracketing that splits one of the puzzle's fixed groups (its value does not matter)."""
    trees = list(draw(bracketings(puzzle)).trees)
    groups = [(s, g) for s, side in enumerate(puzzle.free_sides) for g in side.groups if g != (0, side.size - 1)]
    s, (g, h) = draw(st.sampled_from(groups))
    side = puzzle.free_sides[s]
    k = draw(st.integers(g, h - 1))     # the root splits the group, so no subtree spans it
    op = draw(st.sampled_from(side.slots[k]))
    trees[s] = (op, draw(_trees(side, 0, k, groups=())), draw(_trees(side, k + 1, side.size - 1, groups=())))
    return draw(_spelled(puzzle, tuple(trees), grader))


@st.composite
def _unbalanced(draw: st.DrawFn, puzzle: Puzzle, grader: str) -> str:
    """A bracketing with one bracket too many, opening or closing (before any "= target")."""
    trees = draw(bracketings(puzzle)).trees
    texts = [render(side, tree) for side, tree in zip(puzzle.free_sides, trees)]
    k = draw(st.integers(0, len(texts) - 1))
    texts[k] = draw(st.sampled_from(("(" + texts[k], texts[k] + ")")))
    text = " = ".join(texts)
    if grader == "check":
        return text
    return draw(_wrapped(st.just(text), latex=False, lone=False))


@st.composite
def _wrong_target(draw: st.DrawFn, puzzle: Puzzle, trees: tuple[Tree, ...], grader: str) -> str:
    """A solution followed by "= t" for a t other than the target (a chain that is not true)."""
    return draw(_spelled(puzzle, trees, grader, target=cast(Fraction, puzzle.target) + 1))


@st.composite
def _broken(draw: st.DrawFn, puzzle: Puzzle, trees: tuple[Tree, ...]) -> str:
    """A solution with something that changes it written onto it: a factorial, a power, an operator and a number,
    a second expression or number, a function."""
    text = draw(_spelled(puzzle, trees, "check", target=False))
    return draw(_wrapped(st.just(draw(st.sampled_from(BREAKING)).format(text, text)), latex=False, lone=False))


@st.composite
def _denied(draw: st.DrawFn, puzzle: Puzzle, solutions: tuple[Solution, ...]) -> str:
    """A right bracketing that the output denies or takes back ("<answer>X</answer> is wrong": `DENYING`)."""
    text = draw(_spelled(puzzle, draw(st.sampled_from(solutions)).trees, "check", target=False))
    if puzzle.target is None:                   # both sides free: no target to misstate
        return draw(st.sampled_from([t for t in DENYING if "{t}" not in t])).format(e=text)
    target = decimal(puzzle.target) or str(puzzle.target)
    return draw(st.sampled_from(DENYING)).format(e=text, t=target)
