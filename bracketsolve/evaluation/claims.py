"""Claims that a puzzle has no solution: phrases in English and Chinese, kept only when their clause is about the
puzzle (not a question, not negated, not about "every other placement" or a condition); `hedge` says when the
sentence around a claim negates, hedges or denies it (then the claim is unclear, and not paid).
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Optional

CLAIMS_TRIED = 64       # claim phrases tried, from the end, for one whose clause is a claim about the puzzle
CLAUSE = 240            # characters looked at on each side of a phrase for its clause

NO_SOLUTION = re.compile(                     # matched against ASCII-lowercased text: no re.I, which is slow
    r"(?:no\s+(?:valid\s+|possible\s+|such\s+|real\s+|correct\s+|feasible\s+)?"
    r"(?:solutions?|answers?|ways?|bracketings?|arrangements?|placements?|combinations?)\b"
    r"|impossible\b|not\s+(?:be\s+)?possible\b|unsolvable\b|not\s+solvable\b|insoluble\b"
    r"|can(?:not|'t|’t)\s+be\s+(?:made|achieved|solved|done|satisfied|reached|obtained)\b"
    r"|(?:none|no\s+solution)\s+exists?\b|does\s*n[o’']t\s+exist\b|does\s+not\s+exist\b"
    r"|无解|不可能|不存在|没有(?:任何)?(?:可行的|满足条件的|符合条件的)?(?:解|答案|办法|方法|加括号的方法)"
    r"|无法(?:使|让|得到|实现|做到|成立|满足)|做不到|不能(?:使(?!用)|让))")
BARE_NONE = re.compile(r"\s*(?:none|n/?a|nil|null|∅|\\emptyset|\\varnothing|无)\s*\.?\s*", re.I)

_CLAUSE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|[,;:!?\n，；：。！？、]")
_QUESTION = re.compile(r"[^.!\n。！]*?[?？]")                       # the sentence goes on to a question mark
NOT_ABOUT_IT = frozenset("""other others another else except besides remaining rest alternative alternatives
    without any change changes changing drop dropping remove removing move moving""".split())   # in the clause
NOT_ABOUT_IT_ZH = ("其他", "其它", "别的", "另外", "另一", "除了", "除此", "其余")
CONDITIONAL = frozenset("if unless otherwise would might may seem seems seemed".split())      # in the sentence
CONDITIONAL_ZH = ("如果", "若", "否则", "假如", "似乎")
_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;\n。！？；]")         # not the point of 0.5
_NEGATED = re.compile(r"(?:\bnot|n[’']t|\bnever|\bhardly)\s+(?:\w+\s+)?\Z|(?:不是|并非|并不是)\Z")
_TO_WHAT = re.compile(r"\s+to\s+(\w+)")
_TO_IT = re.compile(r"\s+to\s+(?:it|this|that|(?:this|that|the|your|our|my|today's)\s+(?:puzzle|problem|equation|"
                    r"question|task|challenge|riddle|instance|expression|one))(?=\s*(?:[.!,;:)\n]|\Z))")   # "no solution to it."
HEDGES = frozenset("""not never nor neither either or false wrong incorrect untrue invalid doubt doubtful unsure
    uncertain unlikely maybe perhaps probably possibly guess cannot""".split())             # in the sentence, before it
HEDGES_ZH = ("不是", "并非", "不对", "错", "也许", "可能", "大概", "或者", "或")
HEDGES_AFTER = frozenset("maybe perhaps probably possibly guess unsure uncertain unlikely doubtful".split())  # later in it
_TAKEN_BACK = re.compile(r"(?<![a-z])(?:not|never|nope|kidding|jk)[\W_]*\Z")     # "no solution -- not!", "(not)"
_HEDGED_AFTER = re.compile(r"\s*['\"’”]?\s*(?:is|are|was|were|seems?|sounds?)\s+(?:\w+\s+){0,2}?"
                           r"(?:not|never|false|wrong|incorrect|untrue|invalid|impossible|unlikely|mistaken)\b"
                           r"|\s*['\"’”]?\s*(?:is|are|was|were|does|do)\s*n[o’']t\b|\s*['\"’”]?\s*(?:是)?(?:错|不对)")
_NOT = re.compile(r"n[’']t\b")
EXCEPTION = re.compile(r"(?<![a-z])(?:other\s+than|except(?:ing)?|besides|apart\s+from|aside\s+from|save\s+for)(?![a-z])"
                       r"|除了|除去|除此")            # "no solution other than X": a claim of X, or of none? Neither
ALTERNATIVE = re.compile(r"(?<![a-z])(?:or|either|otherwise|alternatively)(?![a-z])|或")
_BUT_AFTER = re.compile(r"\s*,?\s*but\b")          # "no solutions but X"
_CLAIM_VERBS = {"make", "get", "reach", "obtain", "achieve", "satisfy", "solve", "balance", "bracket", "place",
                "produce", "equal", "form", "hit", "attain"}


def last_claim(text: str) -> Optional[tuple[int, int]]:
    """The (start, end) of the last phrase in `text` that claims the puzzle has no solution, or None.

    A phrase does not count when its sentence is a question ("Is it impossible?"), when it is negated ("not
    impossible"), when its clause qualifies it ("every other placement is impossible", "if that fails, ...",
    "impossible to use fewer brackets"), as in commentary after an answer.

    >>> last_claim("There is no solution.")
    (9, 20)
    >>> last_claim("Is it impossible? No: 3 + 4. Every other placement is impossible.") is None
    True
    """
    lowered = ascii_lower(text)
    matches = list(NO_SOLUTION.finditer(lowered))
    for match in reversed(matches[-CLAIMS_TRIED:]):
        if _about_the_puzzle(lowered, match.start(), match.end()):
            return match.start(), match.end()
    return None


def _about_the_puzzle(text: str, start: int, end: int) -> bool:
    """Is the phrase text[start:end] a claim about the puzzle, judged by its clause?"""
    before = text[max(0, start - CLAUSE):start]
    cut = None
    for cut in _CLAUSE_END.finditer(before):
        pass
    clause_start = cut.end() if cut else 0
    after = _CLAUSE_END.search(text, end, end + CLAUSE)
    clause = before[clause_start:] + text[start:after.start() if after else end + CLAUSE]
    if _has(clause, NOT_ABOUT_IT, NOT_ABOUT_IT_ZH) or _NEGATED.search(before[clause_start:]):
        return False
    cut = None
    for cut in _SENTENCE_END.finditer(before):
        pass
    ends = _SENTENCE_END.search(text, end, end + CLAUSE)
    sentence = before[cut.end() if cut else 0:] + text[start:ends.start() if ends else end + CLAUSE]
    if _has(sentence, CONDITIONAL, CONDITIONAL_ZH):
        return False
    if _QUESTION.match(text, end, end + CLAUSE):
        return False
    following = _TO_WHAT.match(text, end, end + 40)
    return following is None or following.group(1) in _CLAIM_VERBS or bool(_TO_IT.match(text, end, end + 40))


def hedge(text: str, start: int, end: int) -> Optional[str]:
    """What makes the claim text[start:end] (found by `last_claim` in `text`) unclear, or None: a negation or hedge
    earlier in its sentence ("It is not true that there is no solution", "maybe", "X or no solution"; other claim
    phrases aside), a hedge later in it ("no solution, probably", "impossible, I guess") or a "not" that ends it
    ("no solution -- not!"), or a predicate that denies it ("'no solution' is false", "no solution is impossible").

    >>> hedge("I checked all 14: there is no solution.", 22, 33) is None
    True
    >>> hedge("It is not true that there is no solution.", 29, 40)
    'not'
    """
    lowered = ascii_lower(text)
    cut = None
    for cut in _SENTENCE_END.finditer(lowered, max(0, start - CLAUSE), start):
        pass
    begin = cut.end() if cut else max(0, start - CLAUSE)
    before = NO_SOLUTION.sub(" ", lowered[begin:start])           # "7 cannot be reached, so ...": its own claim
    words: set[str] = set(_WORD.findall(_NOT.sub(" not", before)))
    found = sorted(words & HEDGES) or [word for word in HEDGES_ZH if word in before]
    if found:
        return found[0]
    after = NO_SOLUTION.sub(" ", lowered[end:_sentence_end(lowered, end)])
    later = sorted(set(_WORD.findall(after)) & HEDGES_AFTER) or [m.group() for m in _TAKEN_BACK.finditer(after)]
    if later:
        return " ".join(later[0].split())
    exception = excepted(lowered[begin:_sentence_end(lowered, end)])
    if exception:
        return exception
    for phrase in [*NO_SOLUTION.finditer(lowered, begin, start), None]:
        denied = _HEDGED_AFTER.match(lowered, phrase.end() if phrase else end, end + CLAUSE)
        if denied is not None:
            return " ".join(denied.group().split())
    return None


def unclear_around(lead: str, tail: str) -> Optional[str]:
    """What makes a claim of no solution in a tag or box unclear, judged by the prose of its sentence around it
    (`lead` before the tag, `tail` after it up to and with the mark that ends the sentence), read as if the claim
    were written in the line: a question, a condition or a qualifier (as `last_claim` reads them: "Is it
    <answer>no solution</answer>?", "If none works, write <answer>no solution</answer>"), or a hedge (as `hedge`
    reads them: "Maybe <answer>no solution</answer>"); else None.

    >>> unclear_around("the answer is", "."), unclear_around("if there is none, write", ".")
    (None, 'a question, a condition or a qualifier in its sentence')
    """
    sentence = f"{lead} no solution {tail}"
    start = len(lead) + 1
    end = start + len("no solution")
    if not _about_the_puzzle(ascii_lower(sentence), start, end):
        return "a question, a condition or a qualifier in its sentence"
    return hedge(sentence, start, end)


def excepted(sentence: str) -> Optional[str]:
    """The exception in an ASCII-lowered sentence that holds a claim of no solution ("no solution other than X",
    "apart from X, it is impossible", "no solutions but X", 除了…无解), as "an exception: 'other than'", or the
    alternative ("either no solution or X", as "an alternative: 'either'"); else None.
    Such a sentence claims both an answer and none: it is paid neither way.

    >>> excepted("there is no solution other than 3 + 4"), excepted("3 + 4 works; no other way does") is None
    ("an exception: 'other than'", True)
    """
    claims = list(islice(NO_SOLUTION.finditer(sentence), CLAIMS_TRIED))
    if not claims:
        return None
    found = EXCEPTION.search(sentence)
    if found is None:
        found = next(filter(None, (_BUT_AFTER.match(sentence, claim.end()) for claim in claims)), None)
    if found is not None:
        return f"an exception: {' '.join(found.group().strip(' ,').split())!r}"
    offered = ALTERNATIVE.search(NO_SOLUTION.sub(" ", sentence))       # "either no solution or X"
    return None if offered is None else f"an alternative: {offered.group()!r}"


def _sentence_end(text: str, end: int) -> int:
    """Where the sentence holding text[end - 1] ends (at most CLAUSE characters on)."""
    ends = _SENTENCE_END.search(text, end, end + CLAUSE)
    return ends.start() if ends else min(len(text), end + CLAUSE)


def _has(text: str, words: frozenset[str], chinese: tuple[str, ...]) -> bool:
    """Does lowered `text` hold one of these English words, or one of these Chinese ones?"""
    return not words.isdisjoint(_WORD.findall(text)) or any(word in text for word in chinese)


def ascii_lower(text: str) -> str:
    """`text` with A-Z lowercased and nothing else changed (so positions stay; str.lower() may change lengths)."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def bare_none(text: str) -> bool:
    """Is the whole text a bare "none", "N/A", "∅" or "无" (a claim when it is the whole tagged or boxed answer)?"""
    return len(text) < 200 and BARE_NONE.fullmatch(text) is not None
