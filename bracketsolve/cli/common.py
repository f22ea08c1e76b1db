"""What every command shares: argument parsing that raises instead of exiting, and output formatting."""

from __future__ import annotations

import argparse
from itertools import islice
from typing import Iterator, Optional

from ..errors import BracketError
from ..solver.model import format_value


def rational(x) -> Optional[str]:
    """A rational as JSON text: "7/2", "-6"; None stays None."""
    return None if x is None else format_value(x)


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def take(iterator, limit: Optional[int]) -> Iterator:
    return iterator if limit is None else islice(iterator, limit)


def error_body(e: BracketError, text: Optional[str] = None) -> dict:
    body = {"error": getattr(e, "reason", str(e)), "code": e.code}
    if hasattr(e, "position"):
        body["position"] = e.position
    if text is not None:
        body["puzzle"] = text if len(text) <= 200 else text[:200] + "..."
    return body



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
