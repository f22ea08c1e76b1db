"""The exceptions bracketsolve raises: all are ValueErrors, each carries what is at fault."""

from __future__ import annotations

import unicodedata


class BracketError(ValueError):
    """Base class of every error bracketsolve raises for bad input or a puzzle too big to solve.

    `.code` is a short stable word for the kind of fault ("invalid" unless a subclass says more).
    """

    code = "invalid"


class ParseError(BracketError):
    """Text that is not a puzzle: `.position` (0-based index), `.reason`, `.code`, `.text`.

    `str()` gives the reason, the text and a caret under the offending character.
    """

    def __init__(self, reason: str, text: str, position: int, code: str) -> None:
        self.reason = reason
        self.text = text
        self.position = position
        self.code = code
        super().__init__(self._message())

    def _message(self) -> str:
        line, column = _caret(self.text, self.position)
        return f"{self.reason} (at column {self.position + 1})\n  {line}\n  {column}^"


class TooLargeError(BracketError):
    """A puzzle whose tables would exceed a stated limit: `.limit` names it, `.value` the figure."""

    code = "too_large"

    def __init__(self, reason: str, *, limit: str, value: int) -> None:
        self.reason = reason
        self.limit = limit
        self.value = value
        super().__init__(reason)


def _caret(text: str, position: int, width: int = 72) -> tuple[str, str]:
    """The text (clipped around `position` to `width`) and the padding that puts a caret under it."""
    start = max(0, position - width // 2)
    shown = text[start:start + width]
    prefix = "..." if start else ""
    suffix = "..." if start + width < len(text) else ""
    shown = "".join(" " if ch.isspace() else ch for ch in shown)
    pad = prefix.replace(".", " ") + "".join(
        "  " if unicodedata.east_asian_width(ch) in "WF" else " " for ch in shown[:position - start]
    )
    return prefix + shown + suffix, pad
