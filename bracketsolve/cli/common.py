"""What every command shares: argument parsing that raises instead of exiting, and output formatting."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from itertools import islice
from fractions import Fraction
from typing import Any, Iterable, Iterator, NoReturn, Optional, Sequence, TextIO, TypeVar, Union, overload

from ..errors import BracketError, TooLargeError
from ..solver.model import format_value

T = TypeVar("T")
JSON = dict[str, Any]               # a JSON-able object, like {"puzzle": "8 + 28 / 4 - 2 * 3 = 6", "solvable": True}
Output = Union[str, JSON, Iterator[str]]  # text, an object, or lines (a generator's return value is the exit code)
Outcome = tuple[Output, int]        # a command's output and its exit code, like ("no solution ...", 1)


@overload
def rational(x: Fraction) -> str: ...
@overload
def rational(x: None) -> None: ...
@overload
def rational(x: Optional[Fraction]) -> Optional[str]: ...
def rational(x: Optional[Fraction]) -> Optional[str]:
    """A rational as JSON text: "7/2", "-6"; None stays None."""
    return None if x is None else format_value(x)


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def take(iterator: Iterable[T], limit: Optional[int]) -> Iterable[T]:
    return iterator if limit is None or limit >= sys.maxsize else islice(iterator, limit)


def message(e: BracketError, command: str = "solve") -> str:
    """The error's text for the command line, in its spelling (`--max-memory 8G`, `--values`; cli/spelling.py)."""
    from .spelling import cli_text

    return cli_text(e, command)


def error_body(e: BracketError, text: Optional[str] = None, command: str = "solve") -> JSON:
    from .spelling import cli_reason

    body: JSON = {"error": cli_reason(e, command), "code": e.code}
    if hasattr(e, "position"):
        body["position"] = e.position
    if isinstance(e, TooLargeError):
        body["limit"] = e.limit
        if e.budget is not None:
            body.update(needed=e.value, budget=e.budget, unit=e.unit)
    if text is not None:
        body["puzzle"] = text if len(text) <= 200 else text[:200] + "..."
    return body


class Default(str):
    """A parser's default text, told apart from the same text given on the command line (see `given`)."""


def given(value: object) -> bool:
    """True when an option's value came from the command line, not from its `Default`."""
    return value is not None and not isinstance(value, Default)


class Stderr(str):
    """A line a command's output sends to standard error instead (a batch's error lines and count)."""


class UsageError(BracketError):
    """A command line that does not parse."""

    code = "usage"


class Arguments(argparse.ArgumentParser):
    """argparse, but a bad command line raises UsageError (so --json can report it) instead of exiting, with a
    hint in the command line's own terms: `--` before a puzzle that starts with '-', `--target=-7/2` for a value
    that does, the option meant by a misspelt one, quotes around a puzzle the shell split."""

    def parse_args(self, args: Optional[Sequence[str]] = None,  # type: ignore[override]
                   namespace: Optional[argparse.Namespace] = None) -> argparse.Namespace:
        self._given = list(sys.argv[1:] if args is None else args)
        return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}{self._hint(message)}\n{self.format_usage().rstrip()}")

    def _hint(self, message: str) -> str:
        given = getattr(self, "_given", [])
        options = [o for action in self._actions for o in action.option_strings]
        dashed = [a for a in given if a not in options and re.match(r"-[\d.(]", a) and a.split("=")[0] not in options]
        wanting = re.match(r"argument (--[\w-]+)(?:/\S+)?: expected one argument", message)
        if wanting and wanting.group(1) in given:
            at = given.index(wanting.group(1))
            if at + 1 < len(given) and given[at + 1].startswith("-"):
                return f" (a value starting with '-' goes after '=': {wanting.group(1)}={given[at + 1]})"
        if dashed:
            quoted = " ".join(f'"{a}"' for a in dashed)
            return (f" (a puzzle starting with '-' reads as an option: put -- before it: "
                    f"{self.prog} -- {quoted})")
        if message.startswith("unrecognized arguments"):
            unknown = message.split(":", 1)[1].split()
            flags = [a.split("=")[0] for a in unknown if a.startswith("--")]
            near = [m for flag in flags for m in difflib.get_close_matches(flag, options, n=1)]
            if near:
                return f" (did you mean {' or '.join(near)}?)"
            if not flags:
                return " (quote the puzzle: bracketsolve \"8 + 28 / 4 - 2 * 3 = 6\")"
        return ""


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bracketsolve")
    except PackageNotFoundError:
        return "(not installed)"


def count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def span(text: str) -> tuple[Union[int, str], Union[int, str]]:
    lo, sep, hi = text.partition(",")
    if not sep or not lo.strip() or not hi.strip():
        raise argparse.ArgumentTypeError(f"expected LO,HI such as 1,30, got {text!r}")
    return (int(lo) if lo.strip().lstrip("-").isdigit() else lo.strip(),
            int(hi) if hi.strip().lstrip("-").isdigit() else hi.strip())


# --- the budget flags of every command that solves ---------------------------------------------------------------

def size(text: str) -> int:
    from ..solver.limits import parse_size

    try:
        return parse_size(text)
    except BracketError:
        raise argparse.ArgumentTypeError(f"expected a size such as 4G, 500M or a number of bytes, got {text!r}") \
            from None


def positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def add_budget(p: argparse.ArgumentParser, deadline: str = "a puzzle") -> None:
    """--max-memory, --max-work, --timeout, --quiet (see docs/cli.md, "Budgets"); `deadline` is what --timeout
    ends ("the whole census" for a command of many puzzles, whose budgets of memory and work are each one's)."""
    p.add_argument("--max-memory", metavar="SIZE", type=size,
                   help="memory the tables may take, e.g. 4G or 500M (default: half the memory available)")
    p.add_argument("--max-work", metavar="N", type=positive,
                   help="value pairs the engine may combine (default: 20 million in Python, 1 billion in numba)")
    p.add_argument("--timeout", metavar="SECONDS", type=seconds,
                   help=f"give up on {deadline} after this long (exit 2); checked between intervals")
    p.add_argument("--quiet", action="store_true", help="no progress line or compiling note on a terminal")


def budget_options(args: argparse.Namespace) -> JSON:
    """solve()'s budget options from the flags; progress only on a terminal, never with --json or --quiet."""
    from ..solver.limits import StderrProgress

    shown = not getattr(args, "json", False) and not getattr(args, "quiet", False) and _terminal(sys.stderr)
    return {"max_memory": getattr(args, "max_memory", None), "max_work": getattr(args, "max_work", None),
            "timeout": getattr(args, "timeout", None), "progress": StderrProgress() if shown else False}


def _terminal(stream: Optional[TextIO]) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
