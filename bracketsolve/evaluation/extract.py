"""Find the answer in a model's whole output: an expression, a claim that there is no solution, or nothing.

Plain text search with C-speed regular expressions over bounded slices: never eval, and bounded work on
any input (megabytes of text, thousands of nested brackets, `9**9**9`, code).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional

from ..solver.model import Puzzle

TAIL = 65_536           # characters at the end of the output (or of an answer) searched for the last line
LINES_TRIED = 200       # lines holding an expression tried, from the end, for one over the puzzle's numbers
RAW_SHOWN = 200         # characters of the raw snippet kept in `Extracted.raw`
BOXED_TRIED = 4         # \boxed{...} occurrences tried, from the end, for one whose braces close
FRAC_PASSES = 16        # nesting levels of \frac unwound


@dataclass(frozen=True)
class Extracted:
    """What a model answered: `.kind` (expression, no_solution, none), `.text` (the expression as plain
    text, ready for `parse`), `.source` (answer_tag, boxed, line; "" for none), `.raw` (the snippet as
    written, clipped).
    """

    kind: str
    text: str = ""
    source: str = ""
    raw: str = ""


NOTHING = Extracted("none")

# --- normalization: LaTeX, markdown, full-width forms -> the plain text the parser reads -------------

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({0x3000: " ", 0x2212: "-", 0x2013: "-", 0x2014: "-", 0x00D7: "*", 0x00F7: "/",
                    0x00B7: "*", 0x22C5: "*", 0x2219: "*", 0x2217: "*", 0x2215: "/", 0x3010: "[", 0x3011: "]",
                    0x200B: None, 0xFEFF: None, 0x00A0: " "})
_LATEX = [
    (re.compile(r"\\(?:left|right|[bB]igg?[lr]?)(?![a-zA-Z])"), ""),
    (re.compile(r"\\(?:text|mathrm|textbf|mathbf|textit|mbox|operatorname|textnormal)\s*\{([^{}]*)\}"), r" \1 "),
    (re.compile(r"\\(?:times|cdot|ast)(?![a-zA-Z])"), " * "),
    (re.compile(r"\\div(?![a-zA-Z])"), " / "),
    (re.compile(r"\\(?:lbrace|\{)"), "{"),
    (re.compile(r"\\(?:rbrace|\})"), "}"),
    (re.compile(r"\\lbrack(?![a-zA-Z])"), "["),
    (re.compile(r"\\rbrack(?![a-zA-Z])"), "]"),
    (re.compile(r"\\(?:boxed|fbox|displaystyle|mathbf|bm)(?![a-zA-Z])"), ""),
    (re.compile(r"\\(?:quad|qquad|[,;:! ])"), " "),
    (re.compile(r"\\[()\[\]]|\$"), " "),
    (re.compile(r"\\[a-zA-Z]+"), " ; "),                       # any other command ends an expression
]
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_TIMES_X = re.compile(r"(?<=[\d)\]}])[ \t]{0,3}[xX](?=[ \t]{0,3}(?:[\d(\[{]|-[ \t]?\d))")  # 3 x 4, 3 x -4; not "x" in a word
_DIVIDE_COLON = re.compile(r"(?<=[\d)\]}])[ \t]+:[ \t]+(?=[\d(\[{]|-[ \t]?\d)")      # 8 : 2, not "Step 1: 8"
_BOLD_BEFORE = re.compile(r"\*\*(?![ \t]*\d)")                          # ** not before a number ...
_BOLD_AFTER = re.compile(r"(?<![\d*])\*\*")                              # ... or not after one: 9**9 stays


def normalize(text: str) -> str:
    """Model text as the parser reads it: LaTeX operators, fractions and delimiters, markdown, full-width
    forms and Unicode operator glyphs become plain ASCII; other LaTeX commands end an expression.

    >>> normalize(r"$\\left(8+28\\right) \\div \\left((4-2) \\times 3\\right)$")
    ' (8+28)  /  ((4-2)  *  3) '
    >>> normalize(r"\\frac{8 + 28}{(4 - 2) \\cdot 3}")
    '(8 + 28)/((4 - 2)  *  3)'
    >>> normalize("（８＋２８）÷ ４")
    '(8+28)/ 4'
    >>> normalize("Step 1: 36 : 6 x -1")
    'Step 1: 36 / 6 * -1'
    """
    text = text.translate(_FULL_WIDTH)
    if "\\" in text:
        for _ in range(FRAC_PASSES):
            text, changed = _FRAC.subn(r"(\1)/(\2)", text)
            if not changed:
                break
        for pattern, replacement in _LATEX:
            text = pattern.sub(replacement, text)
    text = text.replace("$", " ").replace("`", " ").replace("__", " ")
    if "**" in text:
        text = _BOLD_AFTER.sub(" ", _BOLD_BEFORE.sub(" ", text))
    if "x" in text or "X" in text:
        text = _TIMES_X.sub(" * ", text)
    if ":" in text:
        text = _DIVIDE_COLON.sub(" / ", text)
    return text


# --- claims that there is no solution ---------------------------------------------------------------

NO_SOLUTION = re.compile(                     # matched against ASCII-lowercased text: no re.I, which is slow
    r"(?:no\s+(?:valid\s+|possible\s+|such\s+|real\s+|correct\s+|feasible\s+)?"
    r"(?:solutions?|answers?|ways?|bracketings?|arrangements?|placements?|combinations?)\b"
    r"|impossible\b|not\s+(?:be\s+)?possible\b|unsolvable\b|not\s+solvable\b|insoluble\b"
    r"|can(?:not|'t|’t)\s+be\s+(?:made|achieved|solved|done|satisfied|reached|obtained)\b"
    r"|(?:none|no\s+solution)\s+exists?\b|does\s*n[o’']t\s+exist\b|does\s+not\s+exist\b"
    r"|无解|不可能|不存在|没有(?:任何)?(?:可行的|满足条件的|符合条件的)?(?:解|答案|办法|方法|加括号的方法)"
    r"|无法(?:使|让|得到|实现|做到|成立|满足)|做不到|不能(?:使|让))")
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_BARE_NONE = re.compile(r"\s*(?:none|n/?a|nil|null|∅|\\emptyset|\\varnothing|无)\s*\.?\s*", re.I)

# --- expressions ------------------------------------------------------------------------------------

_RUN = re.compile(r"[\d.+\-*/=^()\[\]{}][\d.+\-*/=^()\[\]{}\t ]*")     # no newline: a run stays on its line
_ANCHOR = re.compile(r"\d[ \t)\]}]*[+\-*/^]+[ \t(\[{]*-?[\d.]")      # a number, an operator, a number
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_OPERATOR = re.compile(r"[+\-*/^]")
_DIGIT = re.compile(r"\d")
_LEADING = " \t=*/+.^"
_TRAILING = " \t=*/+-.^"


def _tidy(run: str) -> str:
    """A run without the punctuation around it, spaces collapsed: " = (8 + 28)  /  4." -> "(8 + 28) / 4";
    a bullet's dash goes."""
    run = run.strip(_LEADING)
    if run[:2] in ("- ", "-\t"):
        run = run[1:].lstrip(_LEADING)
    return " ".join(run.rstrip(_TRAILING).split())


def _expected(puzzle: Optional[Puzzle]) -> Optional[list]:
    """The operands an answer to `puzzle` writes first, as absolute values (a sign may stand apart)."""
    if puzzle is None:
        return None
    return [abs(x) for side in puzzle.free_sides for x in side.numbers]


def writes(text: str, puzzle: Puzzle) -> bool:
    """Does `text` write exactly the puzzle's operands, in order (signs aside)?

    >>> from bracketsolve import parse
    >>> writes("(8 + 28) / ((4 - 2) * 3)", parse("8 + 28 / 4 - 2 * 3 = 6"))
    True
    """
    expected = _expected(puzzle)
    numbers = _NUMBER.findall(text)
    return len(numbers) == len(expected) and [Fraction(x) for x in numbers] == expected


def _runs(text: str, start: int, end: int, expected: Optional[list]) -> tuple:
    """The last expression in text[start:end], and the last that starts with the puzzle's numbers, each
    as (position, text) or None."""
    last = matched = None
    for match in _RUN.finditer(text, start, end):
        run = _tidy(match.group())
        if not _OPERATOR.search(run):
            continue
        numbers = _NUMBER.findall(run)
        if len(numbers) < 2:
            continue
        last = (match.start(), run)
        if expected and len(numbers) >= len(expected) and \
                [Fraction(x) for x in numbers[:len(expected)]] == expected:
            matched = last
    return last, matched


def _search(text: str, source: str, puzzle: Optional[Puzzle]) -> Extracted:
    """The last expression (over the puzzle's numbers when one is given; else any) or claim of no
    solution, whichever comes later, in the last TAIL characters of `text`."""
    text = normalize(text[-TAIL:])
    claim = None
    for claim in NO_SOLUTION.finditer(text.translate(_ASCII_LOWER)):
        pass
    anchors = [m.start() for m in _ANCHOR.finditer(text)]
    expected = _expected(puzzle)
    latest = found = None
    i = len(anchors)
    for _ in range(LINES_TRIED):
        if i == 0:
            break
        start = text.rfind("\n", 0, anchors[i - 1]) + 1
        end = text.find("\n", anchors[i - 1])
        last, matched = _runs(text, start, len(text) if end < 0 else end, expected)
        latest = latest or last
        found = matched or (None if expected else last)
        if found:
            break
        i = bisect_left(anchors, start, 0, i)
    found = found or latest
    if claim is not None and (found is None or claim.start() > found[0]):
        return Extracted("no_solution", "", source, _clip(claim.group()))
    if found is None:
        return NOTHING
    return Extracted("expression", found[1], source, _clip(found[1]))


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= RAW_SHOWN else text[:RAW_SHOWN - 3] + "..."


def _snippet(text: str, source: str, puzzle: Optional[Puzzle]) -> Extracted:
    """The answer inside a tag or a box: searched like a whole output, else taken as written."""
    boxed = _boxed(text)
    if boxed is not None:
        text = boxed
    if len(text) < RAW_SHOWN and _BARE_NONE.fullmatch(text):
        return Extracted("no_solution", "", source, _clip(text))
    found = _search(text, source, puzzle)
    if found.kind != "none":
        return found
    plain = _tidy(normalize(text[-TAIL:]).strip())
    if not _DIGIT.search(plain):
        return NOTHING
    return Extracted("expression", plain, source, _clip(text))


_LAST_OPEN = re.compile(r"(?s:.*)<\s*answer\s*>", re.I)          # anchored with .match: linear time
_LAST_CLOSE = re.compile(r"(?s:.*)(<\s*/\s*answer\s*>)", re.I)
_LAST_THINK_CLOSE = re.compile(r"(?s:.*)<\s*/\s*think(?:ing)?\s*>", re.I)
_THINK_OPEN = re.compile(r"<\s*think(?:ing)?\s*>", re.I)
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BRACES = re.compile(r"(?<!\\)[{}]")


def _tagged(output: str) -> Optional[str]:
    """The text of the last <answer>...</answer>, or after a last <answer> that the output never closes."""
    opened = _LAST_OPEN.match(output)
    if opened is None:
        return None
    closed = _LAST_CLOSE.match(output)
    if closed is None or closed.start(1) < opened.end():
        return output[opened.end():]
    return output[opened.end():closed.start(1)]


def _boxed(output: str) -> Optional[str]:
    """The contents of the last \\boxed{...} whose braces close (BOXED_TRIED tried, from the end)."""
    end = len(output)
    for _ in range(BOXED_TRIED):
        at = max(output.rfind("\\boxed", 0, end), output.rfind("\\fbox", 0, end))
        if at < 0:
            return None
        end = at
        box = _BOX.match(output, at)
        if box is None:
            continue
        depth = 1
        for brace in _BRACES.finditer(output, box.end(), box.end() + TAIL):
            depth += 1 if brace.group() == "{" else -1
            if depth == 0:
                return output[box.end():brace.start()]
    return None


def extract(output, puzzle: Optional[Puzzle] = None) -> Extracted:
    """The answer in a model's whole output.

    Takes: the output text (anything else gives kind "none"); optionally the `Puzzle`, so that the last
    line writing the puzzle's numbers wins over a later line of working such as "36 / 6 = 6".
    Returns: an `Extracted`. Only text after the last `</think>` counts (an output still inside `<think>`
    has no answer). The answer is the last `<answer>...</answer>`, else the last `\\boxed{...}`,
    else the last line holding an expression or a claim that there is none ("no solution", "impossible",
    "无解", ...), whichever is later; a tag or box holding a lone number defers to an expression in the
    lines. LaTeX, markdown, full-width forms and Unicode glyphs are normalized.
    Raises: nothing for any text; work is bounded by TAIL and the caps above.

    >>> extract("... so the answer is <answer>(8+28) \\\\div ((4-2) \\\\times 3)</answer>").text
    '(8+28) / ((4-2) * 3)'
    >>> extract("I tried every bracketing.\\n\\\\boxed{\\\\text{No solution}}").kind
    'no_solution'
    >>> extract("Check: 36 / 6 = 6").text
    '36 / 6 = 6'
    """
    if not isinstance(output, str) or not output.strip():
        return NOTHING
    thought = _LAST_THINK_CLOSE.match(output)
    if thought is not None:
        output = output[thought.end():]                   # the answer follows the reasoning
    elif _THINK_OPEN.search(output):
        return NOTHING                                    # cut off while still reasoning
    tagged = _tagged(output)
    if tagged is not None and tagged.strip():             # an empty tag is the format being echoed
        return _or_lines(_snippet(tagged, "answer_tag", puzzle), output, puzzle)
    boxed = _boxed(output)
    if boxed is not None:
        return _or_lines(_snippet(boxed, "boxed", puzzle), output, puzzle)
    return _search(output, "line", puzzle)


def _or_lines(found: Extracted, output: str, puzzle: Optional[Puzzle]) -> Extracted:
    """A tag or box holding a lone number (the target, say) does not hide an expression written before it."""
    if found.kind != "expression" or _ANCHOR.search(found.text):
        return found
    lines = _search(output, "line", puzzle)
    return lines if lines.kind == "expression" else found
