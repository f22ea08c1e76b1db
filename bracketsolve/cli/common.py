"""What every command shares: argument parsing that raises instead of exiting, and output formatting."""

from __future__ import annotations

import argparse
import sys
from itertools import islice
from typing import Iterator, Optional

from ..errors import BracketError, TooLargeError
from ..solver.model import format_value


def rational(x) -> Optional[str]:
    """A rational as JSON text: "7/2", "-6"; None stays None."""
    return None if x is None else format_value(x)


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def take(iterator, limit: Optional[int]) -> Iterator:
    return iterator if limit is None else islice(iterator, limit)


def message(e: BracketError) -> str:
    """The error's text for the command line: a budget's fix spelled as a flag (`--max-memory 8G`)."""
    return e.explain("cli") if isinstance(e, TooLargeError) else str(e)


def error_body(e: BracketError, text: Optional[str] = None) -> dict:
    body = {"error": message(e) if isinstance(e, TooLargeError) else getattr(e, "reason", str(e)), "code": e.code}
    if hasattr(e, "position"):
        body["position"] = e.position
    if isinstance(e, TooLargeError):
        body["limit"] = e.limit
        if e.budget is not None:
            body.update(needed=e.value, budget=e.budget, unit=e.unit)
    if text is not None:
        body["puzzle"] = text if len(text) <= 200 else text[:200] + "..."
    return body



class Stderr(str):
    """A line a command's output sends to standard error instead (a batch's error lines and count)."""


class UsageError(BracketError):
    """A command line that does not parse."""

    code = "usage"


class Arguments(argparse.ArgumentParser):
    """argparse, but a bad command line raises UsageError (so --json can report it) instead of exiting."""

    def error(self, message: str):
        if message.startswith("unrecognized arguments"):
            message += " (quote the puzzle: bracketsolve \"8 + 28 / 4 - 2 * 3 = 6\")"
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")


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


def span(text: str) -> tuple:
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


def add_budget(p: argparse.ArgumentParser) -> None:
    """--max-memory, --max-work, --timeout, --quiet (see docs/cli.md, "Budgets")."""
    p.add_argument("--max-memory", metavar="SIZE", type=size,
                   help="memory the tables may take, e.g. 4G or 500M (default: half the memory available)")
    p.add_argument("--max-work", metavar="N", type=positive,
                   help="value pairs the engine may combine (default: 20 million in Python, 10 billion in numba)")
    p.add_argument("--timeout", metavar="SECONDS", type=seconds,
                   help="give up on a puzzle after this long (exit 2); checked between intervals")
    p.add_argument("--quiet", action="store_true", help="no progress line or compiling note on a terminal")


def budget_options(args) -> dict:
    """solve()'s budget options from the flags; progress only on a terminal, never with --json or --quiet."""
    from ..solver.limits import StderrProgress

    shown = not getattr(args, "json", False) and not getattr(args, "quiet", False) and _terminal(sys.stderr)
    return {"max_memory": getattr(args, "max_memory", None), "max_work": getattr(args, "max_work", None),
            "timeout": getattr(args, "timeout", None), "progress": StderrProgress() if shown else False}


def _terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
