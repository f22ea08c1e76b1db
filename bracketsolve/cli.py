"""The command line: parse arguments, call the API, format. `main()` alone prints and picks the exit code.

Exit codes: 0 solved / correct, 1 proved unsolvable / wrong answer, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import Optional

from .errors import BracketError

SHOWN = 20          # solutions listed unless --limit or --all
SUBCOMMANDS = ("check", "warmup")


def _q(x: Optional[Fraction]) -> Optional[str]:
    """A rational as JSON text: "7/2", "-6"; None stays None."""
    if x is None:
        return None
    from .model import format_value

    return format_value(x)


# --- commands: each returns (output, exit code) -------------------------------------------------

def solve_command(text: str, args) -> tuple:
    """Solve one puzzle; text or a JSON object."""
    from .solve import solve

    result = solve(text, target=args.target, ops=args.ops, backend=args.backend)
    limit = None if args.all else (args.limit if args.limit is not None else SHOWN)
    listed = [s for s in _take(result.solutions, limit)]
    nearest = [] if result.solvable else result.nearest(3)
    code = 0 if result.solvable else 1
    if args.json:
        return {
            "puzzle": str(result.puzzle), "target": _q(result.target), "solvable": result.solvable,
            "count": result.count, "total": result.total, "undefined": result.undefined,
            "solutions": [str(s) for s in listed],
            "nearest": [{"value": _q(n.value), "count": n.count, "witness": str(n.witness)} for n in nearest],
            "summary": result.summary(), "backend": result.backend,
        }, code
    if not result.solvable:
        return result.summary(), code
    lines = [s.equation for s in listed]
    more = result.count - len(listed)
    if more > 0:
        lines.append(f"... and {more:,} more (--all lists every one, --limit N the first N)")
    lines.append(result.summary())
    return "\n".join(lines), code


def _take(iterator, limit: Optional[int]) -> list:
    from itertools import islice

    return list(iterator if limit is None else islice(iterator, limit))


def values_command(text: str, args) -> tuple:
    """Every reachable value with its count."""
    from .solve import as_puzzle, values

    puzzle = as_puzzle(text, ops=args.ops)
    table = values(puzzle, backend=args.backend)
    total = puzzle.left.total()
    undefined = total - sum(table.values())
    if args.json:
        return {"expression": puzzle.left.text(), "values": {_q(v): c for v, c in table.items()},
                "distinct": len(table), "total": total, "undefined": undefined}, 0
    width = max((len(_q(v)) for v in table), default=0)
    lines = [f"{_q(v):>{width}}  {c:,}" for v, c in table.items()]
    zero = f"; {undefined:,} divide by zero" if undefined else ""
    lines.append(f"{len(table):,} values from {total:,} bracketings of {puzzle.left.text()}{zero}.")
    return "\n".join(lines), 0


def check_command(args) -> tuple:
    """Grade an answer."""
    from .check import check

    verdict = check(args.puzzle, args.answer)
    code = 0 if verdict.ok else 1
    if args.json:
        return {"ok": verdict.ok, "reason": verdict.reason, "value": _q(verdict.value),
                "detail": verdict.detail}, code
    value = f" (value {_q(verdict.value)})" if verdict.value is not None else ""
    return f"{verdict}{value}", code


def warmup_command(args) -> tuple:
    """Compile the JIT kernels ahead, so later runs start at once."""
    try:
        from .fast import warmup
    except ImportError as e:
        return {"error": f"the numba engine is not available: {e}", "code": "no_numba"}, 2
    report = warmup()
    return ({"warmup": str(report)} if args.json else str(report)), 0


def batch_command(source: str, args) -> tuple:
    """Solve (or list values of) one puzzle a line; one JSON object a line; the worst exit code wins."""
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")
    args.json = True
    worst = 0
    lines = []
    with stream:
        for raw in stream:
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            try:
                body, code = (values_command if args.values else solve_command)(text, args)
            except BracketError as e:
                body, code = _error(e, text), 2
            lines.append(json.dumps(body, ensure_ascii=False))
            worst = max(worst, code)
    return "\n".join(lines), worst, True


def _error(e: BracketError, text: Optional[str] = None) -> dict:
    body = {"error": getattr(e, "reason", str(e)), "code": getattr(e, "code", type(e).__name__)}
    if hasattr(e, "position"):
        body["position"] = e.position
    if text is not None:
        body["puzzle"] = text
    return body


# --- argument parsing ----------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bracketsolve",
        description="Add brackets to an arithmetic puzzle so the equation holds: every way, exactly, "
                    "or a proof that there is none.",
        epilog="other commands: 'bracketsolve check PUZZLE ANSWER' grades an answer; "
               "'bracketsolve warmup' compiles the fast engine. --json works with every command. "
               "Exit status: 0 solved/correct, 1 proved unsolvable/wrong, 2 bad input.")
    p.add_argument("puzzle", nargs="?", help='a puzzle such as "8 + 28 / 4 - 2 * 3 = 6", or - to read one per line '
                                             "from standard input")
    p.add_argument("--file", metavar="FILE", help="solve every puzzle in FILE, one per line; prints JSON lines")
    p.add_argument("--values", action="store_true", help="list every reachable value with its count")
    p.add_argument("--target", metavar="T", help="the value to reach (replaces the puzzle's right side), e.g. 7/2")
    p.add_argument("--ops", metavar="OPS", help="operators a ? may stand for (default +-*/), e.g. +-*")
    p.add_argument("--limit", metavar="N", type=_count, help=f"list at most N solutions (default {SHOWN})")
    p.add_argument("--all", action="store_true", help="list every solution")
    p.add_argument("--backend", choices=("auto", "python", "numba"), default="auto",
                   help="engine: auto (default) picks numba for big puzzles")
    p.add_argument("--json", action="store_true", help="print one JSON object (JSON lines for many puzzles)")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bracketsolve")
    except PackageNotFoundError:
        return "(not installed)"


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def _check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bracketsolve check", description="Grade an answer to a puzzle exactly. "
                                "Exit status 0 correct, 1 not, 2 bad puzzle.")
    p.add_argument("puzzle", help='the puzzle, e.g. "8 + 28 / 4 - 2 * 3 = 6"')
    p.add_argument("answer", help='the answer, e.g. "(8 + 28) / ((4 - 2) * 3)"')
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _warmup_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bracketsolve warmup", description="Compile the fast engine's kernels now "
                                "and cache them, so later runs start at once.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _split_json(argv: list) -> tuple:
    """Take --json from anywhere on the line (before a lone --)."""
    out, wants = [], False
    for i, arg in enumerate(argv):
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg == "--json":
            wants = True
        else:
            out.append(arg)
    return out, wants


def run(argv: list) -> tuple:
    """The output (text or a JSON-able object), the exit code, and whether the output is JSON lines."""
    argv, wants_json = _split_json(argv)
    if argv and argv[0] in SUBCOMMANDS:
        name, rest = argv[0], argv[1:]
        args = {"check": _check_parser, "warmup": _warmup_parser}[name]().parse_args(rest + ["--json"] * wants_json)
        body, code = {"check": check_command, "warmup": warmup_command}[name](args)
        return body, code, False
    parser = _parser()
    args = parser.parse_args(argv + ["--json"] * wants_json)
    if args.file or args.puzzle == "-":
        return batch_command(args.file or "-", args)
    if args.puzzle is None:
        parser.error("give a puzzle, e.g. bracketsolve \"8 + 28 / 4 - 2 * 3 = 6\"")
    command = values_command if args.values else solve_command
    body, code = command(args.puzzle, args)
    return body, code, False


def main(argv: Optional[list] = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    wants_json = "--json" in argv
    try:
        body, code, lines = run(argv)
    except BracketError as e:
        if wants_json:
            print(json.dumps(_error(e), ensure_ascii=False))
        print(f"bracketsolve: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"bracketsolve: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bracketsolve: interrupted", file=sys.stderr)
        return 130
    if isinstance(body, dict):
        if "error" in body:
            print(f"bracketsolve: error: {body['error']}", file=sys.stderr)
        if wants_json or "error" not in body:
            body = json.dumps(body, ensure_ascii=False)
        else:
            body = ""
    if body:
        print(body)
    return code
