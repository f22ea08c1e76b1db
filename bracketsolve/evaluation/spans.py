"""Choose the span of a model's output that holds its answer: text after the reasoning, then the last <answer> tag,
else the last \\boxed{}, else the last line that writes the puzzle's numbers (or a later claim of no solution).

Choosing is lenient and bounded; reading the chosen span (reading.py) is strict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union, cast

from ..solver.symbols import MAX_LITERAL, digit
from .claims import hedge, last_claim
from .normalize import normalize, strip_markers

if TYPE_CHECKING:
    from ..solver.model import Puzzle

TAIL = 65_536           # characters at the end of the output searched for the answer's line
LINES_TRIED = 200       # lines holding a digit tried, from the end, for one that writes the puzzle's numbers
RUNS_TRIED = 2_000      # runs of arithmetic looked at in those lines, in all
BOXED_TRIED = 4         # \boxed{...} occurrences tried, from the end, for one whose braces close
TAGS_TRIED = 2_000      # occurrences of "<answer" or "<think" looked at for a tag
LOOSE_TAGS_TRIED = 200  # ... and of "answer" or "think", for a tag with spaces ("< answer >")

_OPEN_BEFORE = re.compile(r"<\s{0,8}\Z")                           # tags, found around a substring search
_CLOSE_BEFORE = re.compile(r"<\s{0,8}/\s{0,8}\Z")
_TAG_AFTER = re.compile(r"\s{0,8}>")
_THINK_AFTER = re.compile(r"(?:ing|ING|Ing)?\s{0,8}>")
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BRACES = re.compile(r"(?<!\\)[{}]")
_LAST_DIGIT = re.compile(r"(?s:.*)\d")
_RUN = re.compile(r"\d[\d.+\-*/?^()\[\]{}= \t]*")        # arithmetic from its first digit, spaces inside
NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_ANCHOR = re.compile(r"\d[ \t)\]}]*[+\-*/^]+[ \t(\[{]*-?[\d.]")      # a number, an operator, a number
_BULLET = re.compile(r"[ \t]*([-+*•])[ \t]")
_GOES_ON = re.compile(r"[ \t]*(?:[+\-*/^=][ \t]*(?:[\d.(\[{]|\Z|\n)|[!%≠≈<>²³√∛乘除加减])")   # a line that continues one
_ENDS_OPEN = re.compile(r".*[+\-*/(\[{][ \t]*\Z")                    # a line before it that ends mid-expression
_ENDS_OPERAND = re.compile(r".*[\d)\]}][ \t]*\Z")
_MATH_COMMANDS = r"\\(?:sqrt|frac|dfrac|tfrac|times|cdot|div|pm|mp|left|sum|prod|log|ln|exp|sin|cos|tan)(?![a-zA-Z])"
_ONTO_BEFORE = re.compile(r"(?:[\d+\-*/×÷·^√!]|" + _MATH_COMMANDS + r"[\s{(]*)[ \t$]*\Z")
_ONTO_AFTER = re.compile(r"[ \t$]*(?:[\^!%*/+×÷·_\d²³¹⁰-⁹]|-[ \t]*\d|" + _MATH_COMMANDS + ")")


@dataclass(frozen=True)
class Span:
    """The part of an output that holds the answer: `.text`, `.source` (answer_tag, boxed, line, claim), whether
    the text is `.normalized` already, whether a leading "- " is a list `.bullet`, whether the expression
    `.goes_on` across the line break (then it is not read as a whole), and for a claim, what makes it `.unclear`
    ("" when nothing: see `claims.hedge`)."""

    text: str
    source: str
    normalized: bool = False
    bullet: bool = False
    goes_on: bool = False
    unclear: str = ""


class Wanted:
    """Which runs of numbers are answers to a puzzle: its operands in order (`ordered=True`, this package's
    puzzles), or the same multiset in any order (`ordered=False`, as in the 24 game). Signs are ignored.

    >>> Wanted([8, 28, 4, 2, 3]).matches(["8", "28", "4", "2", "3", "6"])
    True
    >>> Wanted([4, 7, 8, 8], ordered=False).matches(["8", "4", "8", "7"])
    True
    """

    def __init__(self, numbers: Iterable[Union[int, Fraction]], *, ordered: bool = True) -> None:
        self.numbers = [abs(Fraction(x)) for x in numbers]
        self.ordered = ordered
        self.needs = max(2, len(self.numbers) + 1)     # numbers of a run worth reading to decide

    @classmethod
    def of(cls, puzzle: Puzzle) -> "Wanted":
        """The operands of a puzzle's free sides, in order."""
        return cls([x for side in puzzle.free_sides for x in side.numbers])

    def matches(self, literals: Sequence[str]) -> bool:
        """Do these number literals (a run's, in order) answer the puzzle? Only as many are converted as needed."""
        size = len(self.numbers)
        if self.ordered:
            return len(literals) >= size and all(value(a) == b for a, b in zip(literals, self.numbers))
        if len(literals) != size:
            return False
        values = [value(a) for a in literals]
        return None not in values and sorted(cast(list[Fraction], values)) == sorted(self.numbers)


def value(literal: str) -> Optional[Fraction]:
    """A number literal's exact value ("2.50", ".5", "７"), or None past MAX_LITERAL characters (never converted)."""
    if len(literal) > MAX_LITERAL:
        return None
    if not literal.isascii():
        literal = "".join(ch if ch == "." else str(digit(ch)) for ch in literal)
    whole, _, fraction = literal.partition(".")
    if not (whole + fraction).isdigit() or "." in fraction:
        return None
    return Fraction(int(whole + fraction or "0"), 10 ** len(fraction))


def after_thinking(output: str) -> Optional[str]:
    """The text after the last `</think>`; the output itself when it never opened one; None when it was cut off
    while still reasoning (opened `<think>` and never closed it)."""
    closed = _tag(output, "think", closing=True, last=True)
    if closed is not None:
        return output[closed[1]:]
    return None if _tag(output, "think", closing=False, last=False) else output


def tagged(output: str) -> Optional[str]:
    """The text of the last <answer>...</answer>, or after a last <answer> that the output never closes."""
    opened = _tag(output, "answer", closing=False, last=True)
    if opened is None:
        return None
    closed = _tag(output, "answer", closing=True, last=False, start=opened[1])
    return output[opened[1]:] if closed is None else output[opened[1]:closed[0]]


def _tag(output: str, name: str, *, closing: bool, last: bool, start: int = 0) -> Optional[tuple[int, int]]:
    """(start, end) of the last (or first) tag <name> or </name> in output[start:], the name in lower, upper or
    title case ("think" also as "thinking"), found by plain substring searches (linear on any text)."""
    if "<" not in output:
        return None
    tight = "</" if closing else "<"
    for exact, tries in ((tight, TAGS_TRIED), ("", LOOSE_TAGS_TRIED)):     # "<answer" first, then "< answer"
        spelled = [_spelled_tag(output, spelling, closing, last, start, exact, tries)
                   for spelling in (name, name.upper(), name.title())]
        found = [tag for tag in spelled if tag is not None]
        if found:
            return max(found) if last else min(found)
    return None


def _spelled_tag(output: str, name: str, closing: bool, last: bool, start: int, tight: str,
                 tries: int) -> Optional[tuple[int, int]]:
    """The tag, looking for `name` (or `tight + name`, "<answer" say: found at once among many "answer"s)."""
    before = _CLOSE_BEFORE if closing else _OPEN_BEFORE
    after = _THINK_AFTER if name.lower() == "think" else _TAG_AFTER
    needle = tight + name
    low, high = start, len(output)
    for _ in range(tries):
        at = output.rfind(needle, low, high) if last else output.find(needle, low, high)
        if at < 0:
            return None
        at += len(tight)
        opening = before.search(output, max(low, at - 12), at)
        ending = after.match(output, at + len(name))
        if opening and ending:
            return opening.start(), ending.end()
        if last:
            high = at + len(name) - 1
        else:
            low = at - len(tight) + 1
    return None


def boxed(output: str) -> Optional[str]:
    """The contents of the last \\boxed{...} whose braces close (BOXED_TRIED tried, from the end)."""
    found = box(output)
    return None if found is None else output[found[1]:found[2]]


def box(output: str) -> Optional[tuple[int, int, int]]:
    """(start of "\\boxed", start and end of its contents) of the last box whose braces close, or None."""
    end = len(output)
    if "\\" not in output:
        return None
    for _ in range(BOXED_TRIED):
        at = max(output.rfind("\\boxed", 0, end), output.rfind("\\fbox", 0, end))
        if at < 0:
            return None
        end = at
        opened = _BOX.match(output, at)
        if opened is None:
            continue
        depth = 1
        for brace in _BRACES.finditer(output, opened.end(), opened.end() + TAIL):
            depth += 1 if brace.group() == "{" else -1
            if depth == 0:
                return at, opened.end(), brace.start()
    return None


def written_onto(output: str, start: int, end: int) -> Optional[str]:
    """What is written onto the box output[start:end] from outside, as arithmetic ("2\\boxed{..}", "\\boxed{..}^2",
    "\\sqrt{\\boxed{..}}"), or None."""
    before = _ONTO_BEFORE.search(output, max(0, start - 24), start)
    after = _ONTO_AFTER.match(output, end, end + 24)
    found = before or after
    return None if found is None else " ".join(found.group().split())


def final_line(output: str, wanted: Optional[Wanted] = None) -> Optional[Span]:
    """The line holding the answer, among the last TAIL characters: the last line with a run of arithmetic that
    `wanted` accepts (any run with an operator when `wanted` is None, or when no line has one); a claim of no
    solution on a later line, or anywhere when no line writes the puzzle's numbers, wins (its Span has source
    "claim"). None when there is neither.
    """
    written = normalize(output[-TAIL:])
    text = strip_markers(written)                          # the same length: positions agree
    claim = last_claim(text)
    chosen = fallback = None
    budget = [RUNS_TRIED]
    end = len(text)
    for _ in range(LINES_TRIED):
        last = _LAST_DIGIT.match(text, 0, end)
        if last is None or budget[0] <= 0:
            break
        start = text.rfind("\n", 0, last.end()) + 1
        stop = text.find("\n", last.end())
        stop = len(text) if stop < 0 else stop
        kind = _holds(text, start, stop, wanted, budget)
        if kind == "wanted" or (kind == "any" and wanted is None):
            chosen = (start, stop)
            break
        if kind == "any" and fallback is None:
            fallback = (start, stop)
        end = start
    if claim is not None and (chosen is None or claim[0] >= chosen[1]):   # a fallback line never hides a claim
        return Span(text[claim[0]:claim[1]], "claim", normalized=True, unclear=hedge(text, *claim) or "")
    chosen = chosen or fallback
    if chosen is None:
        return None
    start, stop = chosen
    return Span(written[start:stop], "line", normalized=True, bullet=_in_a_list(written, start, stop),
                goes_on=_goes_on(written, start, stop))


def _holds(text: str, start: int, stop: int, wanted: Optional[Wanted], budget: list[int]) -> Optional[str]:
    """"wanted" when a run in text[start:stop] writes the puzzle's numbers, "any" when one has an operator."""
    kind = None
    for run in _RUN.finditer(text, start, stop):
        budget[0] -= 1
        if budget[0] < 0:
            break
        numbers = [m.group() for m in islice(NUMBER.finditer(run.group()), wanted.needs if wanted else 2)]
        if not numbers:
            continue
        if wanted is not None and wanted.matches(numbers):
            return "wanted"
        if kind is None and len(numbers) >= 2 and _ANCHOR.search(run.group()):
            kind = "any"
    return kind


def _neighbours(text: str, start: int, stop: int) -> tuple[str, str]:
    """The nearest non-blank lines before and after text[start:stop] ("" when there is none)."""
    before = text[max(0, start - 4096):max(0, start - 1)].rstrip().rpartition("\n")[2]
    after = text[stop + 1:stop + 4096].lstrip("\n \t").partition("\n")[0]
    return before, after


def _in_a_list(text: str, start: int, stop: int) -> bool:
    """Is the line a "- " (or "+ ", "* ") bullet beside another one (so its dash is a marker, not a minus sign)?"""
    mine = _BULLET.match(text, start, stop)
    if mine is None:
        return False
    return any((_BULLET.match(line) or [None, None])[1] == mine.group(1) for line in _neighbours(text, start, stop))


def _goes_on(text: str, start: int, stop: int) -> bool:
    """Does the expression go on in the next line ("+ 1"), or from the line before ("8 +", or "8" before "* 2")?"""
    before, after = _neighbours(text, start, stop)
    listed = _in_a_list(text, start, stop)
    marker = _BULLET.match(text, start, stop)
    same = marker is not None and (_BULLET.match(after) or [None, None])[1] == marker.group(1)
    if after and _GOES_ON.match(after) and not (listed and same):     # the next item of the same list
        return True
    if before and _GOES_ON.match(text, start, stop) and _ENDS_OPERAND.match(before) and not listed:
        return True
    return bool(before) and _ENDS_OPEN.match(before) is not None
