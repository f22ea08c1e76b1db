"""The command line: parse arguments, call the API, format. `main()` alone prints and picks the exit code.

Exit codes: 0 solved / correct, 1 proved unsolvable / wrong answer, 2 bad input or past a budget (never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Callable, Optional, Sequence

from ..errors import BracketError, TooLargeError
from . import applies, datasets, evaluating, solving
from .common import Outcome, Output, Stderr, UsageError, error_body, message, version

Command = Callable[[argparse.Namespace], Outcome]   # a subcommand: its parsed arguments -> output and exit code

SUBCOMMANDS: dict[str, tuple[Callable[[], argparse.ArgumentParser], Command]] = {   # name -> (its parser, the command)
    "check": (solving.check_parser, solving.check_command),
    "warmup": (solving.warmup_parser, solving.warmup_command),
    "generate": (evaluating.generate_parser, evaluating.generate_command),
    "grade": (evaluating.grade_parser, evaluating.grade_command),
    "stats": (datasets.stats_parser, datasets.stats_command),
    "audit": (datasets.audit_parser, datasets.audit_command),
    "census": (datasets.census_parser, datasets.census_command),
}


def _split_json(argv: list[str]) -> tuple[list[str], bool]:
    """Take --json from anywhere on the line (before a lone --)."""
    out: list[str] = []
    wants = False
    for i, arg in enumerate(argv):
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg == "--json":
            wants = True
        else:
            out.append(arg)
    return out, wants


CHECKS: dict[str, Callable[[argparse.Namespace], None]] = {      # subcommand -> its check of the options that apply
    "check": applies.check_check, "stats": applies.check_stats, "generate": applies.check_generate,
    "census": applies.check_census}                                # (cli/applies.py)


def command_of(argv: list[str]) -> str:
    """The command a line runs: a subcommand's name, else "solve" (what errors are worded for)."""
    argv = _split_json(argv)[0]
    return argv[0] if argv and argv[0] in SUBCOMMANDS else "solve"


def run(argv: list[str]) -> Outcome:
    """The output (text, a JSON-able dict, or an iterator of lines that returns the exit code) and the exit code."""
    argv, wants_json = _split_json(argv)
    for n, arg in enumerate(argv, 1):
        _check_text(arg, f"argument {n}")
    if argv and argv[0] == "help":
        text = _help(argv[1:])
        return ({"help": text} if wants_json else text), 0
    if argv and argv[0] == "solve":                 # the default command, spelled out
        argv = argv[1:]
    if argv and argv[0] in SUBCOMMANDS:
        make_parser, command = SUBCOMMANDS[argv[0]]
        args = make_parser().parse_args(argv[1:] + ["--json"] * wants_json)
        check = CHECKS.get(argv[0])
        if check is not None:
            check(args)
        return command(args)
    parser = solving.parser()
    args = parser.parse_args(argv + ["--json"] * wants_json)
    if args.version or args.completion:
        return _about(args, [a for a in argv if a not in ("--version", "--completion", args.completion)])
    if args.file and args.puzzle:
        parser.error("give a puzzle or --file FILE, not both")
    applies.check_solve(args, single=not args.file and args.puzzle not in (None, "-"))
    if args.file or args.puzzle == "-":
        return solving.batch_command(args.file or "-", args), 0
    if args.puzzle is None:
        parser.error("give a puzzle, e.g. bracketsolve \"8 + 28 / 4 - 2 * 3 = 6\"")
    solver = solving.values_command if args.values else solving.solve_command
    return solver(args.puzzle, args)


def _help(topic: list[str]) -> str:
    """`bracketsolve help [COMMAND]`: the help of the program or of one command."""
    if not topic or topic[0] == "solve":
        return solving.parser().format_help().rstrip()
    if topic[0] in SUBCOMMANDS:
        return SUBCOMMANDS[topic[0]][0]().format_help().rstrip()
    raise UsageError(f"no command {topic[0]!r}: the commands are solve (the default), {', '.join(SUBCOMMANDS)}")


def _about(args: argparse.Namespace, others: list[str]) -> Outcome:
    """--version (as JSON with --json) or --completion SHELL: alone on the line."""
    flag = "--version" if args.version else "--completion"
    if others or (args.version and args.completion):
        raise UsageError(f"{flag} takes nothing else but --json (got {' '.join(others) or '--version'})")
    if args.completion:
        from .completion import script

        return script(args.completion, solving.parser(), {name: make() for name, (make, _) in SUBCOMMANDS.items()}), 0
    return ({"version": version()} if args.json else f"bracketsolve {version()}"), 0


def _emit(body: Output, code: int, wants_json: bool) -> int:
    """Print the output; for an iterator of lines, each as it comes, and take the exit code it returns."""
    if isinstance(body, dict):
        if wants_json or "error" not in body:
            print(json.dumps(body, ensure_ascii=False))
        if "error" in body:
            print(f"bracketsolve: error: {body['error']}", file=sys.stderr)
        return code
    if isinstance(body, str):
        if body:
            print(body)
        return code
    while True:
        try:
            line = next(body)
        except StopIteration as stop:
            return code if stop.value is None else stop.value
        if isinstance(line, Stderr):
            print(line, file=sys.stderr, flush=True)
        else:
            print(line, flush=True)


def _check_text(text: str, what: str) -> None:
    """Refuse text that is not UTF-8 (the shell passed bytes Python could only keep as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = text[e.start].encode("utf-8", "surrogateescape")
        raise UsageError(f"{what} is not UTF-8 text (byte 0x{bad.hex()} at character {e.start + 1})") from None


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    wants_json, command = _split_json(words)[1], command_of(words)
    try:
        body, code = run(words)
        return _emit(body, code, wants_json)
    except BracketError as e:
        return _fail(e, wants_json, command)
    except MemoryError:
        return _fail(TooLargeError("ran out of memory before the budget said it would (lower it with "
                                   "--max-memory)", limit="max_memory", value=0), wants_json)
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            return _closed_pipe()
        where = f": {e.filename}" if e.filename else ""
        return _fail(BracketError(f"{e.strerror or e}{where}"), wants_json)
    except KeyboardInterrupt:
        print("bracketsolve: interrupted", file=sys.stderr)
        return 130
    except Exception as e:          # a bug: one line, not a traceback (BRACKETSOLVE_DEBUG=1 shows it)
        if os.environ.get("BRACKETSOLVE_DEBUG"):
            raise
        error = BracketError(f"internal error, please report it: {type(e).__name__}: {e}")
        error.code = "internal"
        return _fail(error, wants_json)


def _fail(e: BracketError, wants_json: bool, command: str = "solve") -> int:
    """Report an error: one line (or a caret display) on stderr, and a JSON object on stdout with --json."""
    try:
        if wants_json:
            print(json.dumps(error_body(e, command=command), ensure_ascii=False))
        print(f"bracketsolve: error: {message(e, command)}", file=sys.stderr)
    except BrokenPipeError:
        return _closed_pipe()
    return 2


def _closed_pipe() -> int:
    """The reader went away (`| head`): stop quietly, as Unix tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
