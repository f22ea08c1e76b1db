"""The exceptions bracketsolve raises: all are ValueErrors, each carries what is at fault."""

from __future__ import annotations

import unicodedata
from typing import Any, Optional, Union


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
    """A puzzle past a stated limit: `.limit` names it, `.value` the figure reached (the least the puzzle needs).

    Budgets a caller can raise also carry `.budget` (the limit's figure), `.unit` ("bytes", "pairs", "seconds")
    and `.raise_to` (a figure that would do, or at least get further); `explain("cli")` words the fix in the
    command line's spelling (`--max-memory 8G`), `str()` in Python's (`max_memory="8G"`).
    """

    code = "too_large"

    def __init__(self, reason: str, *, limit: str, value: float, budget: Optional[float] = None, unit: str = "",
                 raise_to: Union[float, str, None] = None, also: tuple[tuple[str, str], ...] = ()) -> None:
        self.reason = reason
        self.limit = limit
        self.value = value
        self.budget = budget
        self.unit = unit
        self.raise_to = raise_to
        self.also = also            # other ways out, as (python, cli) phrases: ("use backend='numba'", ...)
        super().__init__(self.explain("python"))

    def explain(self, spelling: str = "python") -> str:
        """The reason and how to get past it, spelled for "python" (`max_memory="8G"`) or "cli" (`--max-memory 8G`)."""
        ways = []
        if self.raise_to is not None and self.limit in _SPELLINGS:
            python, cli = _SPELLINGS[self.limit]
            ways.append("raise it with " + (cli if spelling == "cli" else python).format(self.raise_to))
        ways += [cli if spelling == "cli" else python for python, cli in self.also]
        return self.reason + (f"; {' or '.join(ways)}" if ways else "")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (its keyword-only fields too), so that one raised in a Dask worker reaches the client."""
        return _remade, (type(self), dict(self.__dict__))


def _remade(kind: type[TooLargeError], fields: dict[str, Any]) -> TooLargeError:
    error = kind.__new__(kind)
    error.__dict__.update(fields)
    Exception.__init__(error, error.explain("python"))
    return error


class SolveTimeout(TooLargeError):
    """A solve that ran past its time limit (`timeout=` in Python, `--timeout` on the command line).

    A `TooLargeError` (too large to finish in the time given) with `.code` "timeout", `.limit` "timeout",
    `.budget` the limit in seconds and `.value` the seconds spent.
    """

    code = "timeout"


_SPELLINGS = {      # limit -> how to raise it, in Python and on the command line
    "max_memory": ('max_memory="{}"', "--max-memory {}"),
    "max_work": ("max_work={}", "--max-work {}"),
    "timeout": ("timeout={}", "--timeout {}"),
}


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
