"""Find the answer in a model's whole output and read it whole: an expression, a claim that there is no solution,
nothing, or a span rejected with the reason (a factorial, a second number, a thousands comma...).

For other graders built on this one (free-order games, say), the contract is:

- `extract(output, wanted=Wanted(numbers, ordered=False))` chooses the span as below, with `wanted` deciding which
  line writes the puzzle's numbers, and returns an `Extracted`;
- when `.kind` is "expression", every character of the span is accounted for: `.text` is the one expression
  (a chain "a = b = c" included, for `parse` or `check.split_chain`) and `.tokens` its tokens; the rest of the
  span was wrapping; when `.kind` is "rejected", `.reason` and `.detail` say what was left over;
- the prose around a tag or box is read with it (`spans.denied_outside`, `spans.written_onto`, `spans.chained`):
  "<answer>X</answer> is wrong" is disowned, "\\boxed{X} = 7" a chain, "(\\boxed{X})^2" an unknown operator.

Plain text search with C-speed regular expressions over bounded slices: never eval, and bounded work on any input.
"""

from __future__ import annotations

import re
from typing import Optional, cast

from ..solver.model import Puzzle
from .normalize import normalize
from .reading import MAX_CHAIN, NOTHING, Extracted, Token, clip, read, unclear
from .spans import (NUMBER, TAIL, Wanted, after_thinking, box, chained, denied_outside, final_line, retracted, tag_at,
                    written_onto)

_LONE = re.compile(r"[(\[{ \t]*([\d.]+)[)\]} \t]*")

__all__ = ["Extracted", "Token", "Wanted", "extract", "normalize", "writes", "TAIL"]


def extract(output: object, puzzle: Optional[Puzzle] = None, *, wanted: Optional[Wanted] = None) -> Extracted:
    """The answer in a model's whole output, read whole.

    Takes: the output text (anything else gives kind "none"); optionally the `Puzzle` (or a `Wanted`), so that
    the last line writing the puzzle's numbers wins over a later line of working such as "36 / 6 = 6".
    Returns: an `Extracted`. Only text after the last `</think>` counts (an output still inside `<think>` has no
    answer). The span is the last `<answer>...</answer>`, else the last `\\boxed{...}`, else the last line
    writing the puzzle's numbers or a claim that there is none ("no solution", "impossible", "无解", ...),
    whichever is later; a tag or box holding a lone number defers to an expression in the lines. The span is
    then read whole (see `reading.read`): anything but wrapping beside the expression rejects it.
    Raises: nothing for any text; work is bounded by TAIL and the reader's caps.

    >>> extract("... so the answer is <answer>(8+28) \\\\div ((4-2) \\\\times 3)</answer>").text
    '(8+28) / ((4-2) * 3)'
    >>> extract("I tried every bracketing.\\n\\\\boxed{\\\\text{No solution}}").kind
    'no_solution'
    >>> extract("Check: 36 / 6 = 6").text
    '36 / 6 = 6'
    >>> found = extract("<answer>3 + 4, 9</answer>")
    >>> found.kind, found.reason
    ('rejected', 'extra_text')
    """
    if not isinstance(output, str) or not output.strip():
        return NOTHING
    text = after_thinking(output)
    if text is None:
        return NOTHING                                    # cut off while still reasoning
    if wanted is None and puzzle is not None:
        wanted = Wanted.of(puzzle)
    tag = tag_at(text)
    span = None if tag is None else text[tag[1]:tag[2]]
    source, edges = "answer_tag", None if tag is None else (tag[0], tag[3])
    if span is None or not span.strip():                  # an empty tag is the format being echoed
        at, source = box(text), "boxed"
        span = None if at is None else text[at[1]:at[2]]
        edges = None if at is None else (at[0], at[2] + 1)
    outside = None if edges is None else written_onto(text, *edges)
    if outside:
        what = "box" if source == "boxed" else "tag"
        return Extracted("rejected", "", source, clip(cast(str, span)), "unknown_operator",
                         f"{clip(outside)!r} is written onto the {what} from outside")
    if span is not None:
        found = read(span, source, wanted=wanted)
        lone = _lone_number(found)
        if lone is None or (wanted is not None and wanted.matches([lone])):
            return _denied(found, text, cast(tuple[int, int], edges))
        lines = _from_lines(text, wanted)                 # a lone number (the target, say) defers to the lines
        return lines if lines.kind in ("expression", "rejected") else found
    return _from_lines(text, wanted)


def _from_lines(text: str, wanted: Optional[Wanted]) -> Extracted:
    span = final_line(text, wanted)
    if span is None:
        return NOTHING
    if span.source == "claim":
        if span.unclear:
            return Extracted("rejected", "", "line", clip(span.text), "unclear_claim", unclear(span.text, span.unclear))
        return Extracted("no_solution", "", "line", span.text)
    if span.goes_on:
        return Extracted("rejected", "", "line", clip(span.text), "extra_text",
                         "the expression goes on across a line break")
    found = read(span.text, "line", bullets=span.bullet, normalized=True, wanted=wanted)
    taken_back = retracted(span.following) if found.kind == "expression" else None
    if taken_back:
        return Extracted("rejected", "", "line", found.raw, "disowned",
                         f"the output denies its own answer (the next sentence: {clip(taken_back)!r})")
    return found


def _denied(found: Extracted, text: str, edges: tuple[int, int]) -> Extracted:
    """`found`, or rejected when the prose around its tag or box (text[edges[0]:edges[1]]) takes the answer back
    (`spans.denied_outside`: "<answer>X</answer> is wrong"); a claim of no solution taken back so is unclear_claim
    ("<answer>no solution</answer> is wrong")."""
    if found.kind not in ("expression", "no_solution"):
        return found
    problem = denied_outside(text, *edges, claim=found.kind == "no_solution")
    if problem is not None and found.kind == "no_solution":
        return Extracted("rejected", "", found.source, found.raw, "unclear_claim", unclear(found.raw, problem[1]))
    if problem is not None:
        return Extracted("rejected", "", found.source, found.raw, *problem)
    lead, tail, glued = chained(text, *edges) if found.kind == "expression" else ("", "", None)
    if glued:
        return Extracted("rejected", "", found.source, found.raw, "unknown_operator",
                         f"{glued!r} is written onto the chain after the {found.source.replace('_', ' ')}")
    if not (lead or tail):
        return found
    expression = " ".join(part for part in (lead, found.text, tail) if part)        # "7 = \boxed{X}": one chain
    if expression.count("=") >= MAX_CHAIN:
        return Extracted("rejected", "", found.source, found.raw, "too_large",
                         f"a chain of more than {MAX_CHAIN} parts joined by '='")
    return Extracted("expression", expression, found.source, found.raw)


def _lone_number(found: Extracted) -> Optional[str]:
    """The number, when the expression is a single number and nothing else (brackets aside)."""
    lone = _LONE.fullmatch(found.text) if found.kind == "expression" else None
    return lone.group(1) if lone else None


def writes(text: str, puzzle: Puzzle) -> bool:
    """Does `text` write exactly the puzzle's operands, in order (signs aside)?

    >>> from bracketsolve import parse
    >>> writes("(8 + 28) / ((4 - 2) * 3)", parse("8 + 28 / 4 - 2 * 3 = 6"))
    True
    """
    numbers = NUMBER.findall(normalize(text))
    expected = Wanted.of(puzzle)
    return len(numbers) == len(expected.numbers) and expected.matches(numbers)

