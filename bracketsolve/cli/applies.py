"""Which options apply to which mode: an option given where it does nothing is a usage error with its reason.

Each `check_*` takes the parsed arguments and raises `UsageError` (exit 2, one line) or returns None; an
option's default is None or a `Default`, so that "given" and "left at the default" differ.
"""

from __future__ import annotations

import argparse
from typing import Optional

from .common import UsageError, given


def check_solve(args: argparse.Namespace, single: bool) -> None:
    """The default command (`bracketsolve [solve] PUZZLE`, `--values`, `--file`).

    `single`: one puzzle on the command line (not --file or -), whose `?` slots --ops must have.
    """
    if args.values:
        for flag, present in (("--target", args.target is not None), ("--limit", args.limit is not None),
                            ("--all", args.all)):
            if present:
                raise UsageError(f"{flag} does not apply to --values, which lists every value the expression "
                                 f"reaches (drop {flag}, or --values to solve for a target)")
        if given(args.distinct) and args.rules == "brackets":
            raise UsageError("--distinct does not apply to --values of a bracket puzzle, which counts every "
                             "bracketing (it applies to --rules 24 and countdown)")
    if single:                  # (a batch reports a bad --target on each line, as solve() does)
        _target(args.target)
    if single and args.ops is not None and args.rules == "brackets":
        _needs_choices(args.puzzle, args.ops)


def check_check(args: argparse.Namespace) -> None:
    """`check`: --ops needs a `?` in the puzzle."""
    if args.ops is not None and args.rules == "brackets":
        _needs_choices(args.puzzle, args.ops)


def check_stats(args: argparse.Namespace) -> None:
    """`stats`: --ops needs a `?` in the puzzle."""
    _target(args.target)
    if args.ops is not None and getattr(args, "rules", "brackets") == "brackets":
        _needs_choices(args.puzzle, args.ops)


def check_generate(args: argparse.Namespace) -> None:
    """`generate`: bracket-only options with --rules, scheduling options without a data set."""
    if args.rules != "brackets":
        for flag, present in (("--decimals", args.decimals), ("--negatives", args.negatives)):
            if present:
                raise UsageError(f"{flag} applies to bracket puzzles, not to --rules {args.rules}")
    else:
        for flag, present in (("--needs-fractions", args.needs_fractions), ("--needs-negatives", args.needs_negatives)):
            if present:
                raise UsageError(f"{flag} applies to free-order puzzles (--rules 24 or countdown), not to bracket "
                                 "puzzles")
    _shards(args)
    dataset = args.out is not None or args.shards is not None or args.format != "jsonl"
    if not dataset:
        _scheduling_needs(args, "--out DIR (a data set's shards)")


def check_census(args: argparse.Namespace) -> None:
    """`census`: one of --ops and --sequence; --workers only for a LocalCluster."""
    _shards(args)
    if given(args.ops) and args.sequence is not None:
        raise UsageError("give --ops (every sequence from a set) or --sequence (one fixed sequence), not both")
    if args.workers is not None and (args.scheduler or ("local" if args.shards else "none")) != "local":
        raise UsageError("--workers sizes a LocalCluster: use it with --shards N (or --scheduler local)")


def _shards(args: argparse.Namespace) -> None:
    """--shards and --workers, checked before a cluster starts (it takes seconds)."""
    from ..evaluation.datasets import MAX_SHARDS

    if args.shards is not None and not 1 <= args.shards <= MAX_SHARDS:
        raise UsageError(f"--shards takes 1 to {MAX_SHARDS:,} (the index range is split into that many shards), "
                         f"not {args.shards}")
    if args.workers == 0:
        raise UsageError("--workers takes 1 or more (LocalCluster worker processes)")


def _scheduling_needs(args: argparse.Namespace, what: str) -> None:
    for flag, value in (("--scheduler", args.scheduler), ("--workers", args.workers)):
        if value is not None:
            raise UsageError(f"{flag} runs the shards of a data set: it needs {what}")


def _target(text: Optional[str]) -> None:
    """--target's own errors, worded as the puzzle's right side words them ("the target divides by zero")."""
    from ..errors import ParseError
    from ..solver.symbols import read_number

    if text is None:
        return
    try:
        read_number(text)
    except ParseError as e:
        if e.reason == "the number divides by zero":
            raise ParseError("the target divides by zero", e.text, e.position, e.code) from None
        raise


def _needs_choices(text: str, ops: str) -> None:
    """Refuse --ops for a puzzle with no `?` (a bad puzzle is left for the solve to report, with its caret)."""
    from ..errors import BracketError
    from ..solver.parser import parse

    try:
        puzzle = parse(text)
    except BracketError:
        return
    if not any("?" in side.glyphs for side in puzzle.sides):
        raise UsageError(f"--ops {ops} chooses the operators a ? stands for, and this puzzle has no ? "
                         "(write ? where an operator is to be chosen, or drop --ops)")
