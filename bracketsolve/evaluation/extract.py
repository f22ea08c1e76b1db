"""Find the answer in a model's whole output and read it whole: an expression, a claim that there is no solution,
nothing, or a span rejected with the reason (a factorial, a second number, a thousands comma...).

For other graders built on this one (free-order games, say), the contract is:

- `extract(output, wanted=Wanted(numbers, ordered=False))` chooses the span as below, with `wanted` deciding which
  line writes the puzzle's numbers, and returns an `Extracted`;
- when `.kind` is "expression", every character of the span is accounted for: `.text` is the one expression
  (a chain "a = b = c" included, for `parse` or `check.split_chain`) and `.tokens` its tokens; the rest of the
  span was wrapping; when `.kind` is "rejected", `.reason` and `.detail` say what was left over.

Plain text search with C-speed regular expressions over bounded slices: never eval, and bounded work on any input.
"""

from __future__ import annotations

import re
from typing import Optional, cast

from ..solver.model import Puzzle
from .normalize import normalize
from .reading import NOTHING, Extracted, Token, clip, read, unclear
from .spans import NUMBER, TAIL, Wanted, after_thinking, box, final_line, tagged, written_onto

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
    span = tagged(text)
    source = "answer_tag"
    if span is None or not span.strip():                  # an empty tag is the format being echoed
        at, source = box(text), "boxed"
        span = None if at is None else text[at[1]:at[2]]
        outside = None if at is None else written_onto(text, at[0], at[2] + 1)
        if outside:
            return Extracted("rejected", "", source, clip(cast(str, span)), "unknown_operator",
                             f"{clip(outside)!r} is written onto the box from outside")
    if span is not None:
        found = read(span, source, wanted=wanted)
        lone = _lone_number(found)
        if lone is None or (wanted is not None and wanted.matches([lone])):
            return found
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
    return read(span.text, "line", bullets=span.bullet, normalized=True, wanted=wanted)


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

