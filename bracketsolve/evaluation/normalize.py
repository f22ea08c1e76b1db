"""Model text as the answer reader sees it: LaTeX, markdown, full-width forms and Unicode glyphs made plain ASCII.

Every mapping keeps a number whole: nothing is deleted between two digits (invisible characters become spaces), and
what is not known stays in the text for the reader to reject (`\\sqrt`, `²`, `≠`), so no change of meaning is silent.
"""

from __future__ import annotations

import re
from typing import Union

FRAC_PASSES = 16        # nesting levels of \frac unwound

_PLAIN: dict[int, Union[int, str]] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}          # full-width forms
_PLAIN.update({
    0x3000: " ", 0x00A0: " ", 0x1680: " ", 0x202F: " ", 0x205F: " ",
    0x2212: "-", 0x2013: "-",                                            # minus sign, en dash (the parser's minus)
    0x00D7: "*", 0x00B7: "*", 0x22C5: "*", 0x2219: "*", 0x2217: "*",     # × · ⋅ ∙ ∗
    0x00F7: "/", 0x2215: "/", 0x2044: "/",                               # ÷ ∕ ⁄ (division slash, fraction slash)
    0x3010: "[", 0x3011: "]", 0x2028: "\n", 0x2029: "\n", 0x0085: "\n", 0x000B: "\n", 0x000C: "\n",
})
_PLAIN.update({code: " " for code in range(0x2000, 0x200B)})              # en quad ... hair space
_PLAIN.update({code: " " for code in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)})   # control characters
_PLAIN_TEXT = {chr(code): chr(to) if isinstance(to, int) else to for code, to in _PLAIN.items()}
_MAPPED = re.compile("[" + "".join(re.escape(ch) for ch in _PLAIN_TEXT) + "]")
INVISIBLE = re.compile("[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                        "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")     # format characters: a space, never glue
_LATEX = [
    (re.compile(r"\\(?:left|right|[bB]igg?[lr]?)(?![a-zA-Z])"), ""),
    (re.compile(r"\\(?:text|mathrm|textbf|mathbf|textit|mbox|operatorname|textnormal|textrm|mathit)\s*\{([^{}]*)\}"),
     r" \1 "),
    (re.compile(r"\\(?:times|cdot|ast)(?![a-zA-Z])"), " * "),
    (re.compile(r"\\div(?![a-zA-Z])"), " / "),
    (re.compile(r"\\(?:lbrace|\{)"), "{"),
    (re.compile(r"\\(?:rbrace|\})"), "}"),
    (re.compile(r"\\lbrack(?![a-zA-Z])"), "["),
    (re.compile(r"\\rbrack(?![a-zA-Z])"), "]"),
    (re.compile(r"\\(?:boxed|fbox|displaystyle|textstyle|mathbf|bm)(?![a-zA-Z])"), ""),
    (re.compile(r"\\(?:to|rightarrow|Rightarrow|implies|longrightarrow|Longrightarrow|therefore)(?![a-zA-Z])"),
     " → "),
    (re.compile(r"\\(?:neq|ne)(?![a-zA-Z])"), " ≠ "),            # kept as glyphs for the reader to reject
    (re.compile(r"\\(?:approx|simeq|sim)(?![a-zA-Z])"), " ≈ "),
    (re.compile(r"\\(?:ldots|cdots|dots)(?![a-zA-Z])"), " … "),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\(?:quad|qquad|[,;:! ])"), " "),
    (re.compile(r"\\[()\[\]]|\$"), " "),
]
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dtc]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_OPERAND_NEXT = r"(?:\.?\d|[(\[{]|-[ \t]?\.?\d)"
_TIMES_X = re.compile(r"(?<=[\d)\]}])[ \t]{0,3}[xX](?=[ \t]{0,3}" + _OPERAND_NEXT + ")")   # 3 x 4, 3x-4; not a word's x
_DIVIDE_COLON = re.compile(r"(?<=[\d)\]}])(?::|[ \t]+:[ \t]+)(?=" + _OPERAND_NEXT + ")")   # 8 : 2, 8:2; not "Step 1: 8"
_ARROW = re.compile(r"(?<!\S)(?:-{1,2}>|={1,2}>)(?=\s)")                  # "->", "=>" between words: an arrow
_BOLD = re.compile(r"(?<![^\s(\[{:>\"'`$])\*\*(?=[^\s*])((?:(?!\*\*)[^\n])*?)(?<=[^\s*])\*\*"   # **a bold pair**,
                   r"(?![^\s)\]}.,;:!?\"'`$<])")                        # not glued to arithmetic; any other ** a power
_LINE_BREAK = re.compile(r"\r\n?")
_MARKERS = re.compile(                                      # list markers and labels at the start of a line
    r"(?im)^[ \t]*(?:[*•‣▪●◦]|#{1,6}|>|\d{1,3}[.)]|第[ \t]*\d{1,3}[ \t]*步[ \t]*[:：]?"
    r"|(?:step|answer|solution|option|case|attempt|try|line|result|method|way)[ \t]*\d{1,3}[ \t]*[:.)])[ \t]+")



def normalize(text: str) -> str:
    """Model text as the answer reader reads it: LaTeX operators, fractions and delimiters, markdown, full-width
    forms and Unicode operator glyphs become plain ASCII; invisible characters become spaces; LaTeX commands it
    does not know (`\\sqrt`, `\\pm`) stay, for the reader to reject.

    >>> normalize(r"$\\left(8+28\\right) \\div \\left((4-2) \\times 3\\right)$")
    ' (8+28)  /  ((4-2)  *  3) '
    >>> normalize(r"\\frac{8 + 28}{(4 - 2) \\cdot 3}")
    '(8 + 28)/((4 - 2)  *  3)'
    >>> normalize("（８＋２８）÷ ４")
    '(8+28)/ 4'
    >>> normalize("Step 1: 36 : 6 x -1 ⁄ 2")
    'Step 1: 36 / 6 * -1 / 2'
    """
    text = _LINE_BREAK.sub("\n", text)
    if text.isascii():
        text = text.translate(_PLAIN)                      # ASCII: CPython's fast path
    else:
        mapped = _MAPPED.findall(text)
        if len(mapped) > 1000:
            text = text.translate(_PLAIN)
        elif mapped:
            text = _MAPPED.sub(lambda match: _PLAIN_TEXT[match.group()], text)
    text = INVISIBLE.sub(" ", text)
    if "**" in text:                                       # before LaTeX and `$`: **$3 + 4$** is a pair
        text = _BOLD.sub(r" \1 ", text)
    if "\\" in text:
        for _ in range(FRAC_PASSES):
            text, changed = _FRAC.subn(r"(\1)/(\2)", text)
            if not changed:
                break
        text = _BOXED.sub(r" \1 ", text)
        for pattern, replacement in _LATEX:
            text = pattern.sub(replacement, text)
    text = text.replace("$", " ").replace("`", " ").replace("__", " ")
    if "**" in text:
        text = text.replace("**", "^")
    if "x" in text or "X" in text:
        text = _TIMES_X.sub(" * ", text)
    if ":" in text:
        text = _DIVIDE_COLON.sub(" / ", text)
    if ">" in text:
        text = _ARROW.sub("→", text)
    return text


def plain_glyphs(text: str) -> str:
    """`text` with full-width forms and Unicode operator glyphs (`− × ÷ ∗ ⋅ ⁄`) as ASCII and nothing else changed:
    the same length, so positions stay.

    >>> plain_glyphs("</answer> − 1 ＊ ２")
    '</answer> - 1 * 2'
    """
    return text if text.isascii() else text.translate(_PLAIN)


def strip_markers(text: str) -> str:
    """`text` with list markers and labels at line starts ("1. ", "* ", "### ", "Step 2: ") blanked out (the same
    length, so positions stay). A "- " is left alone: it is a bullet only in a list of several."""
    return _MARKERS.sub(lambda match: " " * len(match.group()), text)
