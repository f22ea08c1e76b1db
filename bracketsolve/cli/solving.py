"""The solver's commands: solve a puzzle, list its values, check an answer, a batch of puzzles, warm up."""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, TYPE_CHECKING, Generator, Iterator, Optional, Union, cast

from ..errors import BracketError, TooLargeError
from ..games.rules import SPELLINGS
from .common import (JSON, Arguments, Default, Outcome, Stderr, add_budget, budget_options, count, error_body, plural,
                     rational, take)

if TYPE_CHECKING:
    from ..games.result import GameResult, GameSolution
    from ..solver.bracketings import Solution
    from ..solver.result import Result

    Solved = Union[Result, GameResult]   # what solve() returns: the puzzle's rules decide
    Line = Union[str, JSON]              # a batch line's puzzle text, or the error body of a line that did not read

SHOWN = 20          # solutions listed unless --limit or --all


def solve_command(text: str, args: argparse.Namespace) -> Outcome:
    """Solve one puzzle; text or a JSON object."""
    from ..solver.solve import solve

    return _solved(solve(text, target=args.target, ops=args.ops, backend=args.backend, rules=args.rules,
                         distinct=args.distinct, **budget_options(args)), args)


def _solved(result: Solved, args: argparse.Namespace) -> Outcome:
    """The output of solve_command for a `Result`, and its exit code."""
    limit = None if args.all else (args.limit if args.limit is not None else SHOWN)
    code = 0 if result.solvable else 1
    if args.json:
        listed = list(take(result.solutions, limit))
        try:
            nearest = [] if result.solvable else result.nearest(3)
        except TooLargeError:           # the proof stands; the sorted values it would list do not fit the budget
            nearest = []
        body = {
            "puzzle": str(result.puzzle), "target": rational(result.target), "solvable": result.solvable,
            "count": result.count, "total": result.total, "undefined": result.undefined,
            "solutions": [str(s) for s in listed],
            "nearest": [{"value": rational(n.value), "count": n.count, "witness": str(n.witness)} for n in nearest],
            "summary": result.summary(), "backend": result.backend,
        }
        if args.rules != "brackets" or args.distinct != "all":
            body.update(rules=str(args.rules), distinct=result.distinct)
        return body, code
    return _solution_lines(result, limit), code


def _solution_lines(result: Solved, limit: Optional[int]) -> Iterator[str]:
    """The solutions as they are found, then how many more and the summary (or the proof of none)."""
    shown = 0
    solutions: Iterator[Union[Solution, GameSolution]] = result.solutions
    for solution in take(solutions, limit):
        shown += 1
        yield solution.equation
    if result.count > shown:
        yield f"... and {result.count - shown:,} more (--all lists every one, --limit N the first N)"
    yield result.summary()



def values_command(text: str, args: argparse.Namespace) -> Outcome:
    """Every reachable value with its count (rendered from the engine's integers: no Fraction per value)."""
    from ..solver.solve import as_puzzle, value_listing

    if args.rules != "brackets":
        return _game_values(text, args)
    puzzle = as_puzzle(text, ops=args.ops)
    texts, counts = value_listing(puzzle, backend=args.backend, **budget_options(args))
    total = puzzle.left.total()
    undefined = total - sum(counts)
    if args.json:
        return {"expression": puzzle.left.text(), "values": dict(zip(texts, counts)),
                "distinct": len(texts), "total": total, "undefined": undefined}, 0
    width = max(map(len, texts), default=0)
    lines = [f"{v:>{width}}  {c:,}" for v, c in zip(texts, counts)]
    zero = f"; {undefined:,} {'divides' if undefined == 1 else 'divide'} by zero" if undefined else ""
    lines.append(f"{plural(len(texts), 'value')} from {plural(total, 'bracketing')} of {puzzle.left.text()}{zero}.")
    return "\n".join(lines), 0



def _game_values(text: str, args: argparse.Namespace) -> Outcome:
    """Every value a free-order puzzle's numbers reach under the rules, with its count."""
    from ..games.solve import game_result

    result = game_result(text, rules=args.rules, ops=args.ops, backend=args.backend, distinct=args.distinct,
                         values_only=True, **budget_options(args))
    table = result.values()
    numbers = " ".join(result.game.literals)
    if args.json:
        return {"numbers": numbers, "rules": str(result.rules), "counting": result.distinct,
                "values": {rational(v): c for v, c in table.items()}, "distinct": len(table), "total": result.total,
                "undefined": result.undefined}, 0
    width = max((len(rational(v)) for v in table), default=0)
    lines = [f"{rational(v):>{width}}  {c:,}" for v, c in table.items()]
    lines.append(result.summary())
    return "\n".join(lines), 0


def check_command(args: argparse.Namespace) -> Outcome:
    """Grade an answer."""
    from ..evaluation.check import check

    if args.rules != "brackets":
        from ..evaluation.games_check import check_game

        verdict = check_game(args.puzzle, args.answer, rules=args.rules, ops=args.ops)
    else:
        verdict = check(args.puzzle, args.answer, ops=args.ops)
    code = 0 if verdict.ok else 1
    if args.json:
        return {"ok": verdict.ok, "reason": verdict.reason, "value": rational(verdict.value),
                "detail": verdict.detail}, code
    value = f" (value {rational(verdict.value)})" if verdict.value is not None and verdict.ok else ""
    return f"{verdict}{value}", code


def warmup_command(args: argparse.Namespace) -> Outcome:
    """Compile the JIT kernels ahead, so later runs start at once."""
    try:
        from ..engines.bulk import warmup as bulk_warmup
        from ..engines.fast import warmup
    except ImportError as e:
        return {"error": f"the numba engine is not available: {e}", "code": "no_numba"}, 2
    from ..engines.subsets_fast import warmup as free_order_warmup

    report = f"{warmup()}; {bulk_warmup()}; {free_order_warmup()}"
    return ({"warmup": str(report)} if args.json else str(report)), 0


ERRORS_SHOWN = 10   # error lines of a batch repeated on stderr; the rest are counted


def batch_command(source: str, args: argparse.Namespace) -> Generator[str, None, int]:
    """Solve (or list values of) one puzzle a line, one JSON object a line, in order; returns the worst exit
    code. Lines must be UTF-8 (a byte-order mark is skipped); a line that is not is an error line.
    Error lines also go to stderr (the first ERRORS_SHOWN, then a count at the end). Puzzles go to
    `solve_many` as many at a time as have arrived (a file: thousands; a slow pipe: each as it comes).
    """
    args.json = True
    worst, puzzles = 0, 0
    errors: list[int] = []
    stream = _open_batch(source)
    where = "standard input" if source == "-" else source
    with stream:
        for chunk in _arrived(stream):
            for (number, _), (body, code) in zip(chunk, _answers(chunk, args)):
                body = {"line": number, **body} if code == 2 and "line" not in body else body
                puzzles += 1
                worst = max(worst, code)
                yield json.dumps(body, ensure_ascii=False)
                if code == 2:
                    errors.append(number)
                    if len(errors) <= ERRORS_SHOWN:
                        yield Stderr(f"bracketsolve: {where}, line {number}: {body['error']}")
    if not puzzles:
        yield Stderr(f"bracketsolve: error: no puzzles in {where}")
        return 2
    if errors:
        lines = ", ".join(map(str, errors[:ERRORS_SHOWN])) + (", ..." if len(errors) > ERRORS_SHOWN else "")
        yield Stderr(f"bracketsolve: {plural(len(errors), 'line')} of {puzzles:,} failed (line {lines})")
    return worst


def _arrived(stream: IO[bytes]) -> Iterator[list[tuple[int, Line]]]:
    """The input as lists of (line number, text or an error body): whatever whole lines have arrived, at most
    CHUNK, waiting only when none has; blank lines and # comments left out."""
    from ..solver.many import CHUNK

    pending, number = b"", 0
    while True:
        data = stream.read1(1 << 16) if hasattr(stream, "read1") else stream.read(1 << 16)
        pending += data
        raws = pending.split(b"\n")
        pending = raws.pop() if data else b""
        if not data and raws == [b""]:
            raws = []
        chunk: list[tuple[int, Line]] = []
        for raw in raws:
            number += 1
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError as e:
                chunk.append((number, {"error": f"line {number} is not UTF-8 text (byte {e.start + 1})",
                                       "code": "not_utf8", "line": number}))
                continue
            if text and not text.startswith("#"):
                chunk.append((number, text))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        if not data:
            return


def _answers(chunk: list[tuple[int, Line]], args: argparse.Namespace) -> Iterator[tuple[JSON, int]]:
    """(JSON body, exit code) for each line of a chunk, in order."""
    from ..solver.many import solve_many

    texts = [text for _, text in chunk if isinstance(text, str)]
    results: Iterator[Union[Result, BracketError]] = iter(())
    if texts and not args.values and args.rules == "brackets" and args.distinct == "all":   # else line by line
        budget = {k: v for k, v in budget_options(args).items() if k != "progress"}
        limit = None if args.all else (args.limit if args.limit is not None else SHOWN)
        try:
            results = solve_many(texts, target=args.target, ops=args.ops, limit=limit, backend=args.backend,
                                 results="full", chunk=len(texts), **budget)
        except BracketError:                # a bad option: each line reports it, as solve() would
            results = iter(())
    for _, text in chunk:
        if not isinstance(text, str):
            yield text, 2
            continue
        try:
            if args.values:
                yield _json(values_command(text, args))
                continue
            result = next(results, None)    # None past a failure of the batch: that line alone, as before
            if result is None:
                yield _json(solve_command(text, args))
            elif isinstance(result, BracketError):
                raise result
            else:
                yield _json(_solved(result, args))
        except BracketError as e:
            yield error_body(e, text), 2
        except MemoryError:
            yield {"error": "ran out of memory (lower the budget with --max-memory)", "code": "too_large",
                   "puzzle": text[:200]}, 2


def _json(outcome: Outcome) -> tuple[JSON, int]:
    """A command's outcome with --json (a batch sets it): its output is an object."""
    return cast(JSON, outcome[0]), outcome[1]


def _open_batch(source: str) -> IO[bytes]:
    """The batch's byte stream: the file, or standard input (an error when it is closed)."""
    if source != "-":
        return open(source, "rb")
    stream: Optional[IO[bytes]] = getattr(sys.stdin, "buffer", None)
    if stream is None or stream.closed:
        raise BracketError("standard input is closed: pipe puzzles in, one a line, or use --file FILE")
    return stream


def parser() -> argparse.ArgumentParser:
    p = Arguments(
        prog="bracketsolve",
        description="Add brackets to an arithmetic puzzle so the equation holds: every way, exactly, "
                    "or a proof that there is none.",
        epilog="'bracketsolve solve PUZZLE' is the same as 'bracketsolve PUZZLE'; a puzzle starting with '-' goes "
               "after --: 'bracketsolve -- \"-3 + 4 * 2 = 5\"'. Other commands ('bracketsolve help COMMAND' shows "
               "one's options): 'bracketsolve check PUZZLE ANSWER' grades an answer; "
               "'bracketsolve warmup' compiles the fast engine; 'bracketsolve generate' writes puzzles for "
               "evaluating models and 'bracketsolve grade PUZZLES.jsonl OUTPUTS.jsonl' grades their outputs. "
               "--json works with every command. "
               "Exit status: 0 solved/correct, 1 proved unsolvable/wrong, 2 bad input.")
    p.add_argument("puzzle", nargs="?", help='a puzzle such as "8 + 28 / 4 - 2 * 3 = 6", or - to read one per line '
                                             "from standard input")
    p.add_argument("--file", metavar="FILE", help="solve every puzzle in FILE, one per line; prints JSON lines")
    p.add_argument("--values", action="store_true", help="list every reachable value with its count")
    p.add_argument("--target", metavar="T", help="the value to reach (replaces the puzzle's right side), e.g. 7/2")
    p.add_argument("--ops", metavar="OPS", help="operators a ? may stand for (default +-*/), e.g. +-*")
    listing = p.add_mutually_exclusive_group()
    listing.add_argument("--limit", metavar="N", type=count, help=f"list at most N solutions (default {SHOWN})")
    listing.add_argument("--all", action="store_true", help="list every solution")
    p.add_argument("--backend", choices=("auto", "python", "numba"), default="auto",
                   help="engine: auto (default) picks numba for big puzzles")
    p.add_argument("--rules", choices=SPELLINGS, default="brackets", type=str.lower,
                   help="brackets (default: order kept, only brackets added); 24 (every number once, any order); "
                        "countdown (any of the numbers, each at most once, any order); -tv: every step a positive "
                        "integer. Free-order puzzles are numbers and a target: \"4 7 8 8 -> 24\"")
    p.add_argument("--distinct", choices=("all", "form"), default=Default("all"),
                   help="count every written expression (all, default) or one per class up to commuting, "
                        "regrouping and moving signs (form)")
    add_budget(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (JSON lines for many puzzles)")
    p.add_argument("--version", action="store_true", help="print the version (as JSON with --json) and exit")
    p.add_argument("--completion", choices=("bash",), help="print a bash completion script: "
                   "source <(bracketsolve --completion bash)")
    return p


def check_parser() -> argparse.ArgumentParser:
    p = Arguments(prog="bracketsolve check", description="Grade an answer to a puzzle exactly. "
                                "Exit status 0 correct, 1 not, 2 bad puzzle.")
    p.add_argument("puzzle", help='the puzzle, e.g. "8 + 28 / 4 - 2 * 3 = 6"')
    p.add_argument("answer", help='the answer, e.g. "(8 + 28) / ((4 - 2) * 3)"')
    p.add_argument("--ops", metavar="OPS", help="operators a ? in the puzzle may stand for (default +-*/)")
    p.add_argument("--rules", choices=SPELLINGS, default="brackets", type=str.lower,
                   help="brackets (default), or a free-order puzzle: 24, countdown, -tv (docs/rules.md)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def warmup_parser() -> argparse.ArgumentParser:
    p = Arguments(prog="bracketsolve warmup", description="Compile the fast engine's kernels now "
                                "and cache them, so later runs start at once.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p
