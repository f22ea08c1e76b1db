"""Choose the span of a model's output that holds its answer: text after the reasoning, then the last <answer> tag,
else the last \\boxed{}, else the last line that writes the puzzle's numbers (or a later claim of no solution).

Choosing is lenient and bounded; reading the chosen span (reading.py) is strict, and so is reading the prose
around a tag or box (`written_onto`, `chained`, `denied_outside`: a window of OUTSIDE characters on each side).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union, cast

from ..solver.symbols import MAX_LITERAL, digit
from .claims import ALTERNATIVE, NO_SOLUTION, ascii_lower, excepted, hedge, last_claim, unclear_around
from .normalize import INVISIBLE as _INVISIBLE
from .normalize import normalize, plain_glyphs, strip_markers

if TYPE_CHECKING:
    from ..solver.model import Puzzle

TAIL = 65_536           # characters at the end of the output searched for the answer's line
LINES_TRIED = 200       # lines holding a digit tried, from the end, for one that writes the puzzle's numbers
RUNS_TRIED = 2_000      # runs of arithmetic looked at in those lines, in all
BOXED_TRIED = 4         # \boxed{...} occurrences tried, from the end, for one whose braces close
TAGS_TRIED = 2_000      # occurrences of "<answer" or "<think" looked at for a tag
LOOSE_TAGS_TRIED = 200  # ... and of "answer" or "think", for a tag with spaces ("< answer >")
OUTSIDE = 240           # characters read on each side of a tag or box for the rest of its sentence (and the next)

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
_SENTENCE_MARK = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;\n。！？；]")     # not the point of 0.5
_DIGIT = re.compile(r"\d")
_OFFERED_BEFORE = re.compile(r"(?<![a-z])(?:or|either)[\s,:]*\Z|或者?\s*\Z")
_FIRST_WORD = re.compile(r"[\s,]*([a-z]+)")
_CHAIN_AFTER = re.compile(r"[ \t]*(=(?:[ \t]*[\d.+\-*/()\[\]{}=])+)")      # " = 36 / 6 = 6" after a box or tag
_CHAIN_BEFORE = re.compile(r"((?:[\d.+\-*/()\[\]{}][ \t]*)(?:[\d.+\-*/()\[\]{}=][ \t]*)*=)[ \t]*\Z")
_GLUED_AFTER = re.compile(r"[ \t]*[!%^²³√'≠≈]")
_BEFORE_MARK = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;\n。！？；>]")
SENTENCES_TRIED = 3
_LEADING_MARKS = re.compile(r"^[^\w]+")                 # "**Wrong.**", "<!-- that is wrong -->", "> Nope"
_INTERJECTION = re.compile(r"(?:wait|hmm+|h+m+|oh|ah|um+|uh+|well|hold\s+on|let\s+me\s+check)[\s,!.]*")
_BETWEEN = re.compile(r"[\s.!?;。！？；]*")
_RETRACTION = re.compile(            # the next sentence takes the answer back, pointing at it ("That is wrong.")
    r"(?:(?:wait|hmm+|actually|oops|sorry|oh|but|hold\s+on|no\s+wait)\b[\s,.!:—–-]*)*"
    r"(?:(?:that|this|it|which|the\s+above|(?:the|my|this|that)\s+answer|that\s+one|this\s+one)"
    r"(?:['’]s|\s+(?:is|was|seems|looks|would\s+be|must\s+be))\s+(?:\w+\s+)?"
    r"(?:wrong|incorrect|false|invalid|untrue|mistaken|a\s+mistake|an\s+error|not\s+(?:right|correct|valid|true|it"
    r"|the\s+answer))\b"
    r"|(?:no|nope|wrong|incorrect|scratch\s+that|never\s*mind|not\s+quite|that['’]s\s+not\s+it)\s*[.!]*\s*\Z"
    r"|(?:这|那)?(?:是)?(?:错的|不对))"
    r"|(?:actually|wait|oops|sorry|no|hmm+)\b[\s,.!:—–-]*(?:the\s+(?:correct\s+|right\s+|real\s+|actual\s+)?answer"
    r"\s+(?:is|should\s+be)|it\s+should\s+be|it['’]s\s+(?:actually|really)|i\s+meant|make\s+that)\b"
    r"|(?:correction|i\s+meant|i\s+take\s+(?:that|it)\s+back)\b")                      # a changed mind
_MATH_COMMANDS = r"\\(?:sqrt|frac|dfrac|tfrac|times|cdot|div|pm|mp|left|sum|prod|log|ln|exp|sin|cos|tan)(?![a-zA-Z])"
_LATEX_SPACE = r"\\[,;:! ]|\\q?quad(?![a-zA-Z])|~"
_OPERAND = r"[ \t]*(?:[\d(\[{.]|-[ \t]*\d)"                      # what starts an operand, past spaces
_ONTO_BEFORE = re.compile(                 # arithmetic before a box or tag, past spaces, "(", "{", "\\left(", "\\,", "**"
    r"(?:(?<!\*)\*(?!\*)|(?<=[\d)\]}]\*)\*|[\d+\-/×÷·^√!≠≈≤≥]|" + _MATH_COMMANDS + r"[\s{(]*|\\sqrt\s*\[[^\]]{0,8}\][\s{(]*"
    r"|\\(?:[dtc]?frac|binom)\s*\{[^{}]{0,40}\}\s*\{|\\(?:over|atop|choose)(?![a-zA-Z])"    # "\\frac{1}{\\boxed"
    r"|[\d)\]}][ \t]{0,3}(?:[xX]|<>|[<>]=?))"                                              # "2 x", "1 <"
    r"(?:[ \t$({\[]|\\left(?![a-zA-Z])\s*[(\[{.]?|\\[(\[]|(?<![\d)\]}])\*\*|" + _LATEX_SPACE + r")*\Z"
    r"|[\d)\]}](?::[$({\[]*|[ \t]+:[ \t$({\[]*)\Z")        # "8:<answer>", "8 : \\boxed": a division; not "Step 1: "
_TEXTS = "text|mathrm|textrm|mbox|textbf|mathbf|textit|mathit|textnormal|textsf|texttt|emph"      # commands of prose
_AFTER_COMMANDS = ("right|quad|qquad|end|newline|hfill|label|tag|qed|blacksquare|square|checkmark|hline|cr|nonumber"
                   "|notag|medskip|bigskip|smallskip|par|item|[hv]space|[hv]?phantom")    # after a box: write nothing
_ONTO_AFTER = re.compile(                  # arithmetic after it, past spaces, ")", "}", "\\right)", "\\,", "**", "{}"
    r"(?:[ \t$)\]}]|\\right(?![a-zA-Z])\s*[)\]}.]?|\\[)\]]|\*\*(?![ \t]*[\d(\[{*])|\{[ \t]*\}"
    r"|\\(?:[hv]space\*?|[hv]?phantom)\s*\{[^{}]{0,40}\}|" + _LATEX_SPACE + r")*"
    r"(?:\*{3,}|\*\*(?=[ \t]*[\d(\[{.])|(?<!\*)\*(?!\*)|[\^!%/+×÷·_\d²³¹⁰-⁹⁺-⁾₀-₎≠≈≤≥]|-[ \t]*\d|" + _MATH_COMMANDS +
    r"|\\(?:neq?|approx|leq?|geq?)(?![a-zA-Z])|&(?:ne|asymp|approx|le|ge|lt|gt);"
    r"|[xX](?=" + _OPERAND + r")|:(?=[\d(\[{.])|(?<=[ \t]):[ \t]+(?=[\d(\[{.])|(?:<>|[<>]=?)(?=" + _OPERAND + r")"
    r"|\\(?:" + _TEXTS + r")\s*\{[ \t]*(?:[xX][ \t]*[\d(]|-[ \t]*\d|[^\sa-zA-Z(\"'\-—–,.;:])"   # "\\text{%}", "\\text{*2}"
    r"|\\(?!(?:" + _AFTER_COMMANDS + "|" + _TEXTS + r")(?![a-zA-Z]))(?:[a-zA-Z]+|[^a-zA-Z\s\\)\],;:! ]))")  # "\\%", "\\bmod"
_CROSSES = str.maketrans("⨯✕✖", "***")                             # crosses that `plain_glyphs` leaves
_DASHES = str.maketrans("‐‑‒—―﹣⨯✕✖", "------***")                  # after a box or tag, a dash and a number: a minus


@dataclass(frozen=True)
class Span:
    """The part of an output that holds the answer: `.text`, `.source` (answer_tag, boxed, line, claim), whether
    the text is `.normalized` already, whether a leading "- " is a list `.bullet`, whether the expression
    `.goes_on` across the line break (then it is not read as a whole), and for a claim, what makes it `.unclear`
    ("" when nothing: see `claims.hedge`), and for a line, the text `.following` it (OUTSIDE characters)."""

    text: str
    source: str
    normalized: bool = False
    bullet: bool = False
    goes_on: bool = False
    unclear: str = ""
    following: str = ""


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


ASSISTANT_MARKERS = (                                  # where the assistant's turn starts, in chat templates
    "<|im_start|>assistant",                            # ChatML (Qwen)
    "Assistant:",                                       # TinyZero's prompts
    "<|start_header_id|>assistant<|end_header_id|>",    # Llama 3
    "<|assistant|>",                                    # Phi-3, Zephyr
    "<｜Assistant｜>",                                  # DeepSeek-R1 (full-width bars)
    "<start_of_turn>model",                             # Gemma
    "[/INST]",                                          # Llama 2, Mistral
)


def after_prompt(output: str) -> str:
    """The response of a transcript that still holds its prompt: the text after the last assistant marker of a
    chat template (`ASSISTANT_MARKERS`), or the whole text when it has none. What follows is the model's own
    text, so grading it never pays what the whole would not have let the model write.

    >>> after_prompt("<|im_start|>user\\nFor example <answer>3 + 4</answer><|im_end|>\\n<|im_start|>assistant\\nno idea")
    '\\nno idea'
    """
    cut = max((at + len(marker) for marker in ASSISTANT_MARKERS if (at := output.rfind(marker)) >= 0), default=0)
    return output[cut:]


def after_thinking(output: str) -> Optional[str]:
    """The text after the last `</think>`; the output itself when it never opened one; None when it was cut off
    while still reasoning (opened `<think>` and never closed it)."""
    closed = _tag(output, "think", closing=True, last=True)
    if closed is not None:
        return output[closed[1]:]
    return None if _tag(output, "think", closing=False, last=False) else output


def tagged(output: str) -> Optional[str]:
    """The text of the last <answer>...</answer>, or after a last <answer> that the output never closes."""
    at = tag_at(output)
    return None if at is None else output[at[1]:at[2]]


def tag_at(output: str) -> Optional[tuple[int, int, int, int]]:
    """(start of the tag, start and end of its contents, end of the closing tag) of the last <answer>...</answer>;
    a last <answer> the output never closes holds the rest of the output (its contents end where the output does)."""
    opened = _tag(output, "answer", closing=False, last=True)
    if opened is None:
        return None
    closed = _tag(output, "answer", closing=True, last=False, start=opened[1])
    if closed is None:
        return opened[0], opened[1], len(output), len(output)
    return opened[0], opened[1], closed[0], closed[1]


def denied_outside(output: str, start: int, end: int, *, claim: bool = False) -> Optional[tuple[str, str]]:
    """(reason, detail) when the prose around the tag or box output[start:end] takes its answer back: a denial in
    the rest of its sentence, before or after it ("The answer is not \\boxed{X}", "<answer>X</answer> is wrong",
    "...</answer>, which is false"; "disowned"), a claim of no solution with an exception ("There is no solution
    besides <answer>X</answer>"; "unclear_claim"), or a next sentence that points back at it and denies it
    ("</answer>. That is wrong.", "\\boxed{X}\\n\\nActually, no."; "disowned"); else None.
    `claim`: the tag or box holds a claim of no solution ("<answer>no solution</answer> other than X").
    At most OUTSIDE characters are read on each side, and of the next sentence.
    """
    from .reading import DISOWNING, MATH_WORDS, clip  # reading needs this module's types only when type checking: no cycle

    before = output[max(0, start - OUTSIDE):start]
    cut = None
    for cut in _BEFORE_MARK.finditer(before):          # a sentence's end, or an earlier tag's ("</answer> no wait")
        pass
    after = output[end:end + OUTSIDE]
    stop = _SENTENCE_MARK.search(after)
    lead = ascii_lower(normalize(_INVISIBLE.sub("", before[cut.end():] if cut else before)))   # "wr\u200bong"
    rest = ascii_lower(normalize(_INVISIBLE.sub("", after[:stop.start()] if stop else after)))
    exception = excepted(lead + (" no solution " if claim else " ") + rest)     # the tag's claim counts too
    if exception:
        return "unclear_claim", (f"a claim of no solution with {exception} beside the answer: a claim of the answer "
                                 "or of none? Not paid either way")
    if claim:                               # "If none works, write <answer>no solution</answer>.", "Maybe \boxed{..}"
        mark = after[stop.start():stop.end()] if stop else ""
        why = unclear_around(lead, rest + mark)
        if why:
            return "unclear_claim", f"the claim in the tag or box is asked, conditioned or hedged ({why!r}): not paid"
    alternative = ALTERNATIVE.search(rest)
    if alternative is not None:
        offered = rest[alternative.end():]
        if NO_SOLUTION.search(offered) or NO_SOLUTION.search(lead):
            return "unclear_claim", (f"an answer offered beside a claim of no solution ({clip(rest.strip())!r}): "
                                     "not paid either way")
        if _DIGIT.search(offered):
            return "extra_text", f"a second answer offered after the tag or box ({clip(rest.strip())!r})"
    if _OFFERED_BEFORE.search(lead):                                    # "... or <answer>X</answer>"
        return "extra_text", f"the answer is offered as one alternative ({clip(lead.strip())!r} before it)"
    worded = _FIRST_WORD.match(rest)
    if worded and worded.group(1) in MATH_WORDS:                     # "\\boxed{X} squared", "</answer> times two"
        return "unknown_operator", f"{worded.group(1)!r} next to the answer's tag or box changes it"
    denials = [m.group() for m in DISOWNING.finditer(NO_SOLUTION.sub(" ", lead))]
    found = ([word for word in denials if word != "no"] or           # "No wait, <answer>X": an earlier answer's
             [m.group() for m in islice(DISOWNING.finditer(NO_SOLUTION.sub(" ", rest)), 1)])
    if found:
        return "disowned", f"the output denies its own answer ({found[0]!r} in its sentence, outside the span)"
    if stop is not None:
        taken_back = retracted(output[end + stop.start():end + stop.start() + OUTSIDE])
        if taken_back:
            return "disowned", f"the output denies its own answer (the next sentence: {taken_back!r})"
    return None


def chained(output: str, start: int, end: int) -> tuple[str, str, Optional[str]]:
    """The chain written around the box or tag output[start:end]: ("7 =", "= 36 / 6", None) for
    "7 = \\boxed{X} = 36 / 6"; the third item says what is glued onto its end ("= 6!"), else None.
    The parts are normalized text, for the expression's chain check."""
    before = normalize(output[max(0, start - OUTSIDE):start])
    lead = _CHAIN_BEFORE.search(before)
    after = normalize(output[end:end + OUTSIDE])
    tail = _CHAIN_AFTER.match(after)
    chain = ""
    glued = None
    if tail is not None:
        chain = tail.group(1).rstrip(" \t")
        if chain.endswith(".") and not chain.endswith(".."):
            chain = chain[:-1].rstrip(" \t")
        onto = _GLUED_AFTER.match(after, tail.start(1) + len(chain))
        glued = onto.group().strip() if onto else None
    return (lead.group(1) if lead else ""), chain, glued


def retracted(following: str) -> Optional[str]:
    """The next sentence of `following` (text that starts where the answer's sentence ends), when it points back
    at the answer and denies it ("That is wrong.", "Wait, no.", "**Wrong.**", "这是错的"); sentences that are only
    an interjection ("Hmm.", "Wait!") are passed over, up to SENTENCES_TRIED of them; else None."""
    stop = None
    for _ in range(SENTENCES_TRIED):
        start = _always_match(_BETWEEN.match(following, stop.end() if stop else 0)).end()
        stop = _SENTENCE_MARK.search(following, start)
        sentence = following[start:stop.start() if stop else len(following)]
        lowered = _LEADING_MARKS.sub("", ascii_lower(normalize(_INVISIBLE.sub("", sentence))).strip())
        if lowered and _RETRACTION.match(lowered):
            return sentence.strip()
        if stop is None or not _INTERJECTION.fullmatch(lowered):
            return None
    return None


def _always_match(found: Optional[re.Match[str]]) -> re.Match[str]:
    return cast("re.Match[str]", found)


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
    """What is written onto the box or tag output[start:end] from outside, as arithmetic ("2\\boxed{..}",
    "\\boxed{..}^2", "\\sqrt{\\boxed{..}}", "(\\boxed{..})^2", "\\boxed{..}\\,!", "<answer>..</answer> + 1",
    "\\boxed{..} \\neq 6", in other glyphs too: "</answer> x 2", "</answer> − 1", "</answer>:2", "</answer>⁻¹",
    "\\frac{1}{\\boxed{..}}", "</answer> > 6"), or None. A relation or a chain (" = 7") is judged by `chained`."""
    before = _ONTO_BEFORE.search(plain_glyphs(output[max(0, start - 40):start]).translate(_CROSSES))    # "−\\boxed{..}", "</answer>＊２"
    after = _ONTO_AFTER.match(plain_glyphs(output[end:end + 40]).translate(_DASHES))
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
                goes_on=_goes_on(written, start, stop), following=written[stop:stop + OUTSIDE])


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
