"""Read an answer span whole: each character is part of the one expression, known wrapping (LaTeX, markdown, a
list marker, closing punctuation, prose without numbers that does not deny it), or a reason to reject; never a
silently shortened answer.

The expression is handed on as text for `parse` (and as tokens); nothing here evaluates anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Optional, cast

from ..solver.symbols import MAX_LITERAL
from .claims import NO_SOLUTION, ascii_lower, bare_none, excepted, hedge, last_claim
from .normalize import normalize, strip_markers

from .spans import retracted

if TYPE_CHECKING:
    from .spans import Wanted

Problem = tuple[str, str]   # (reason, detail): why a span is rejected, like ("extra_text", "more than one ...")

MAX_SPAN = 100_000      # characters in one answer span (a tag's or a box's contents, a line)
MAX_ANSWER = 20_000     # characters in the expression itself (deep redundant brackets fit; parsing stays fast)
MAX_CHAIN = 8           # parts of a chain "a = b = c ..."
RAW_SHOWN = 200         # characters of the span kept in `Extracted.raw`
RUNS_TRIED = 64         # runs of arithmetic after a claim looked at for one that writes the puzzle's numbers
MAX_RETRACTION = 240    # characters of the next sentence read for a retraction ("X. That is wrong.")


@dataclass(frozen=True)
class Token:
    """One piece of an answer's expression: `.kind` (number, operator, slot, open, close, equals), `.text`, `.at`
    (its offset in `Extracted.text`). A "-" is an operator token; `parse` decides whether it is a sign."""

    kind: str
    text: str
    at: int


@dataclass(frozen=True)
class Extracted:
    """What a model answered: `.kind` (expression, no_solution, none, rejected), `.text` (the expression as plain
    text, ready for `parse`), `.source` (answer_tag, boxed, line; "" for none), `.raw` (the span as written,
    clipped), `.reason` and `.detail` (why a span was rejected), `.tokens` (the expression's `Token`s).
    """

    kind: str
    text: str = ""
    source: str = ""
    raw: str = ""
    reason: str = ""
    detail: str = ""

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """The expression's `Token`s (spaces dropped; every other character of `.text` is in one)."""
        return tokens(self.text)


NOTHING = Extracted("none")

_E = r"\d.+\-*/?()\[\]{}= \t"                            # what an expression is made of, once normalized
_E_RUN = re.compile(f"[{_E}]*")
_DIGIT = re.compile(r"\d")
_RUNS = re.compile(r"\d[\d.+\-*/?()\[\]{}= \t]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_LAST_ANCHOR = re.compile(r"(?s:.*)\d[ \t)\]}]*[+\-*/?][ \t(\[{]*[-.]?\d")   # the last "number operator number"
_DASH_BULLETS = re.compile(r"(?m)^[ \t]*[-+][ \t]+")
_LEADING = re.compile(r"(?:[ \t?]|\.+(?=[ \t?]|\Z))*")    # a question mark or a sentence's full stop before the answer
_SUSPECT = re.compile("[%^\\\\~|<>]|[^\\s!-~\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
                      "\u0590-\u05ff\u0621-\u064a\u0900-\u0963\u0966-\u097f\u2010-\u2027\u2190-\u21ff"
                      "\u3001-\u3006\u3008-\u303f\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_COMBINING = re.compile(f"(?<=[{_E}])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]")
_GROUPED = re.compile(r"\d,\d")                             # 1,000 or 2,5: a thousands or decimal comma
_GLUED = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")               # 1e3, 3rd, 5x
_LONG_NUMBER = re.compile(f"[\\d.]{{{MAX_LITERAL + 1}}}")
_TOKEN = re.compile(r"(?P<number>[\d.]+)|(?P<operator>[+\-*/])|(?P<slot>\?)|(?P<open>[(\[{])|(?P<close>[)\]}])"
                    r"|(?P<equals>=)|[ \t]+")
_WORD_BEFORE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*\Z")
_WORD_AFTER = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")

LEAD_OK = set(":,.;!?\"'“”‘’«»「」『』—–→⇒⟹⟶➔➜。、)]")       # may stand just before the expression
TAIL_OK = set(".,;:\"“”‘’»」』—→。，、；：([")                # may stand just after it (not "!": a factorial)
MATH_WORDS = frozenset("""plus minus times multiplied multiply divided divide over squared cubed square cube root
    roots sqrt cbrt power powers exponent factorial percent percentage negative neg half twice double triple thrice
    inverse reciprocal mod modulo log ln exp sin cos tan abs floor ceil round sum product add added subtract
    subtracted pi""".split())
NUMBER_WORDS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion dozen""".split())
_NUMBER_WORDS = sorted(NUMBER_WORDS - {"one"})      # "one" only next to the expression: "the only one" is prose
DISOWNING = re.compile(            # in the expression's sentence, matched against lowered prose (claim phrases aside)
    r"(?<![a-z])(?:not|never|nor|neither|wrong|incorrect|false|untrue|invalid|fails?|failed|failing|nope|mistaken"
    r"|no(?![ \t]*[:,]|[ \t]+(?:other|others|else|more|further|doubt|wait)(?![a-z])))(?![a-z])|n[’']t(?![a-z])"
    r"|不是|并非|不对|错|不行|不成立|✗|✘|❌")
_SENTENCE = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;\n。！？；]")        # not the point of 0.5
CHINESE_OPERATORS = set("加减乘除负根倍次幂阶平立开")
CHINESE_NUMERALS = set("零〇一二三四五六七八九十百千万亿两半分")


def read(text: str, source: str = "", *, bullets: bool = False, normalized: bool = False,
         wanted: Optional[Wanted] = None) -> Extracted:
    """Read one answer span whole.

    Takes: the span (a tag's or box's contents, a chosen line), where it came from, whether a leading "- " is a list
    bullet (a line of several bullets) rather than a sign, whether `text` is already normalized, and optionally a
    `spans.Wanted` (the puzzle's numbers: arithmetic over other numbers does not outweigh a claim).
    Returns: an `Extracted`: kind "expression" with the expression's text and tokens; "no_solution" when the span
    claims there is none (after any expression in it, or before only lone numbers or arithmetic that does not
    write the puzzle's numbers); "none" when it holds neither;
    "rejected" with `.reason` (unknown_operator, bad_number, extra_text, too_large) and `.detail` when something
    other than wrapping touches the expression, or a second expression or number stands beside it; disowned when
    the expression's sentence denies it ("X is wrong"); unclear_claim when the claim is negated or hedged.
    Raises: nothing, for any text.

    >>> read("The answer is (8 + 28) / ((4 - 2) * 3).").text
    '(8 + 28) / ((4 - 2) * 3)'
    >>> found = read("3 + 4!")
    >>> found.kind, found.reason
    ('rejected', 'unknown_operator')
    >>> read("3 + 4, 9").reason
    'extra_text'
    """
    raw = clip(text)
    if len(text) > MAX_SPAN:
        return _rejected("too_large", f"the answer is longer than {MAX_SPAN:,} characters", source, raw)
    plain = text if normalized else normalize(text)
    if bare_none(text) or bare_none(plain):
        return Extracted("no_solution", "", source, raw)
    plain = strip_markers(plain)
    if bullets or len(list(islice(_DASH_BULLETS.finditer(plain), 2))) == 2:     # a list of "- " bullets
        plain = _DASH_BULLETS.sub(lambda m: " " * len(m.group()), plain)
    claim = last_claim(plain)
    digit = _DIGIT.search(plain)
    if claim is not None:
        anchor = _LAST_ANCHOR.match(plain) if digit else None
        if anchor is None or claim[0] >= anchor.end() or not _answers_after(plain, claim[1], wanted):
            phrase, why = plain[claim[0]:claim[1]], hedge(plain, *claim)
            if why:
                return _rejected("unclear_claim", unclear(phrase, why), source, raw)
            return Extracted("no_solution", "", source, clip(phrase))
    if digit is None:
        return Extracted("none", "", source, raw)
    return _expression(plain, digit.start(), source, raw)


def _answers_after(text: str, start: int, wanted: Optional[Wanted]) -> bool:
    """Is there arithmetic after `start` that may be the answer (that writes the puzzle's numbers, when known)?"""
    if wanted is None:
        return True
    for run in islice(_RUNS.finditer(text, start), RUNS_TRIED):
        numbers = [m.group() for m in islice(_NUMBER.finditer(run.group()), wanted.needs)]
        if numbers and wanted.matches(numbers):
            return True
    return False


def _expression(text: str, digit: int, source: str, raw: str) -> Extracted:
    """The one expression around text[digit], checked against everything around it."""
    start = len(text) - _always(_E_RUN.match(text[::-1], len(text) - digit)).end()
    end = _always(_E_RUN.match(text, digit)).end()
    problem = _foreign(text) or _misread_number(text) or _second(text, end) or None
    if problem is None:
        start = _always(_LEADING.match(text, start, end)).end()
        end = start + len(text[start:end].rstrip(" \t"))
        if end - start > 1 and text[end - 1] == "." and text[end - 2] != ".":
            end = start + len(text[start:end - 1].rstrip(" \t"))
        start, end = _prose_brackets(text, start, end)
        problem = _touching(text, start, end) or _in_words(text, start, end) or _disowned(text, start, end) \
            or _caps(text[start:end])
    if problem is not None:
        return _rejected(*problem, source, raw)
    expression = text[start:end]
    return Extracted("expression", expression, source, raw)


def _prose_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """The run without brackets that belong to prose beside it: "3 + 4 (checked)", "(see above) 3 + 4"."""
    begin, stop = start, end
    if start and _LETTER.match(text, start - 1):
        while begin < stop and text[begin] in ")]}":
            begin += 1
    if _LETTER.match(text, end):
        while stop > begin and text[stop - 1] in "([{":
            stop -= 1
    if (begin, stop) == (start, end):
        return start, end
    begin = _always(_LEADING.match(text, begin, stop)).end()
    return begin, begin + len(text[begin:stop].rstrip(" \t"))


def tokens(expression: str) -> tuple[Token, ...]:
    """The `Token`s of an expression's text (spaces dropped; every other character is in one)."""
    found: list[Token] = []
    for match in _TOKEN.finditer(expression):
        if match.lastgroup:
            found.append(Token(match.lastgroup, match.group(), match.start()))
    return tuple(found)


def _foreign(text: str) -> Optional[Problem]:
    """A character anywhere in the span that changes or extends arithmetic: %, ², √, ≠, ^, a combining overlay."""
    combining = _COMBINING.search(text)
    suspects = set(_SUSPECT.findall(text))
    bad = [ch for ch in suspects if _kind_of(ch)]
    if not bad and combining is None:
        return None
    at, ch = min([(text.find(ch), ch) for ch in bad] + ([(combining.start(), combining.group())] if combining else []))
    reason = _kind_of(ch) or "unknown_operator"
    return reason, f"{_name(ch)} in the answer (at column {at + 1}): it is not +, -, *, / or a bracket"


@lru_cache(maxsize=4096)
def _kind_of(ch: str) -> Optional[str]:
    """The reason a character rejects a span wherever it stands, or None when it may stand in prose."""
    if ch in "%^\\~|<>‰‱′″‴°":
        return "unknown_operator"
    category = unicodedata.category(ch)
    if category == "Sm":
        return None if 0x2190 <= ord(ch) <= 0x21FF or 0x27F0 <= ord(ch) <= 0x27FF else "unknown_operator"
    if category in ("No", "Nl"):
        name = unicodedata.name(ch, "")
        return "unknown_operator" if "SUPERSCRIPT" in name or "SUBSCRIPT" in name else "bad_number"
    if category == "Sk":
        return "unknown_operator"
    return None


def _misread_number(text: str) -> Optional[Problem]:
    """A number that cannot be read as written: grouped with commas (1,000; 2,5) or glued to letters (1e3)."""
    grouped = _GROUPED.search(text)
    if grouped:
        return "bad_number", (f"a comma inside a number ({text[grouped.start():grouped.end()]!r}, at column "
                              f"{grouped.start() + 1}): write 1000 or 2.5")
    glued = _GLUED.search(text)
    if glued:
        return "bad_number", f"a number glued to letters ({_around(text, glued.start())!r})"
    return None


def _second(text: str, end: int) -> Optional[Problem]:
    """A second expression or number after the first one's run."""
    other = _DIGIT.search(text, end)
    if other is None:
        return None
    return "extra_text", (f"more than one expression or number in the answer ({_around(text, other.start())!r} "
                          f"at column {other.start() + 1})")


def _touching(text: str, start: int, end: int) -> Optional[Problem]:
    """What stands next to text[start:end] (spaces skipped), when it is not wrapping: a symbol, !, a function or
    variable written onto it, an operator or number word."""
    before = text[max(0, start - 80):start]
    lead = before.rstrip()
    after = text[end:end + 80]
    tail = after.lstrip()
    if lead and lead == before and lead[-1] in "!?¡¿":                # "!(8 + 28) ...": a negation, never wrapping
        return "unknown_operator", f"{_name(lead[-1])} written onto the start of the expression"
    if lead:
        word = _WORD_BEFORE.search(lead)
        if word:
            problem = _word(word.group(), lead[-1], glued=lead == before, number=False)
            if problem:
                return problem
        elif lead[-1] not in LEAD_OK:
            return "unknown_operator", f"{_name(lead[-1])} before the expression"
    if tail:
        word = _WORD_AFTER.match(tail)
        number = text[end - 1].isdigit()
        if word:
            return _word(word.group(), tail[0], glued=tail == after, number=number)
        if tail[0] not in TAIL_OK and not (tail[0] == "'" and lead[-1:] == "'"):
            what = "a factorial or an exclamation mark" if tail[0] == "!" else _name(tail[0])
            return "unknown_operator", f"{what} right after the expression"
    return None


def _word(word: str, adjacent: str, *, glued: bool, number: bool) -> Optional[Problem]:
    """The verdict on a word next to the expression (`adjacent` is its letter nearest to it)."""
    if _cjk(adjacent):
        if adjacent in CHINESE_OPERATORS:
            return "unknown_operator", f"'{adjacent}' next to the expression changes it"
        return ("extra_text", f"the numeral '{adjacent}' next to the expression") if adjacent in CHINESE_NUMERALS \
            else None
    if glued:
        return ("bad_number" if number else "unknown_operator"), f"'{word}' written onto the expression"
    lowered = ascii_lower(word)
    if lowered in MATH_WORDS or (len(word) == 1 and lowered not in "ai"):
        return "unknown_operator", f"'{word}' next to the expression changes it"
    if lowered in NUMBER_WORDS:
        return "extra_text", f"the number word '{word}' next to the expression"
    return None


def _in_words(text: str, start: int, end: int) -> Optional[Problem]:
    """A number written in words elsewhere in the span ("two", "hundred")."""
    lowered = ascii_lower(text)
    found = [word for word in _NUMBER_WORDS if word in lowered and re.search(rf"(?<![a-z]){word}(?![a-z])", lowered)]
    if found:
        return "extra_text", f"a number in words beside the expression ('{min(found)}')"
    return None


def _disowned(text: str, start: int, end: int) -> Optional[Problem]:
    """A negation or denial in the sentence holding text[start:end] ("not X", "X is wrong", "X (false)")."""
    cut = None
    for cut in _SENTENCE.finditer(text, max(0, start - MAX_SPAN), start):
        pass
    stop = _SENTENCE.search(text, end)
    prose = ascii_lower(text[cut.end() if cut else 0:start] + " " + text[end:stop.start() if stop else len(text)])
    exception = excepted(prose)             # "no solution other than X": a claim of X, or of none?
    if exception:
        return "unclear_claim", (f"a claim of no solution with {exception} beside the answer: a claim of the answer "
                                 "or of none? Not paid either way")
    found = DISOWNING.search(NO_SOLUTION.sub(" ", prose))
    if found is None:
        taken_back = None if stop is None else retracted(text[stop.start():stop.start() + MAX_RETRACTION])
        return None if taken_back is None else \
            ("disowned", f"the output denies its own answer (the next sentence: {clip(taken_back)!r})")
    return "disowned", f"the output denies its own answer ({found.group()!r} in its sentence)"


def _caps(expression: str) -> Optional[Problem]:
    if len(expression) > MAX_ANSWER:
        return "too_large", f"the expression is longer than {MAX_ANSWER:,} characters"
    if _LONG_NUMBER.search(expression):
        return "too_large", f"a number longer than {MAX_LITERAL} characters"
    if expression.count("=") >= MAX_CHAIN:
        return "too_large", f"a chain of more than {MAX_CHAIN} parts joined by '='"
    return None


def _always(found: Optional[re.Match[str]]) -> re.Match[str]:
    """The match of a pattern that matches the empty string, so never fails."""
    return cast("re.Match[str]", found)


def _cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _name(ch: str) -> str:
    if ch == "^":
        return "'^' or '**' (a power)"
    name = unicodedata.name(ch, "")
    return f"{ch!r} ({name.lower()})" if name else repr(ch)


def _around(text: str, at: int, width: int = 12) -> str:
    return " ".join(text[max(0, at - width):at + width].split())


def unclear(phrase: str, why: str) -> str:
    """The detail of an unclear_claim: the claim, and the negation or hedge that makes it one."""
    return f"the claim {clip(phrase)!r} is negated, hedged or denied ({clip(why)!r}): not paid as a claim"


def _rejected(reason: str, detail: str, source: str, raw: str) -> Extracted:
    return Extracted("rejected", "", source, raw, reason, _printable(detail))


def clip(text: str) -> str:
    """The span for display: stripped, clipped, lone surrogates replaced (so it always prints)."""
    text = text[:RAW_SHOWN * 4].strip()
    return _printable(text if len(text) <= RAW_SHOWN else text[:RAW_SHOWN - 3] + "...")


def _printable(text: str) -> str:
    """`text` with lone surrogates replaced, so that it always encodes (and prints)."""
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")
