"""The command line: parse arguments, call the API, format. `main()` alone prints and picks the exit code.

Exit codes: 0 solved / correct, 1 proved unsolvable / wrong answer, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import Iterator, Optional

from .errors import BracketError

SHOWN = 20          # solutions listed unless --limit or --all
SUBCOMMANDS = ("check", "warmup", "generate", "grade")


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
    code = 0 if result.solvable else 1
    if args.json:
        listed = list(_take(result.solutions, limit))
        nearest = [] if result.solvable else result.nearest(3)
        return {
            "puzzle": str(result.puzzle), "target": _q(result.target), "solvable": result.solvable,
            "count": result.count, "total": result.total, "undefined": result.undefined,
            "solutions": [str(s) for s in listed],
            "nearest": [{"value": _q(n.value), "count": n.count, "witness": str(n.witness)} for n in nearest],
            "summary": result.summary(), "backend": result.backend,
        }, code
    return _solution_lines(result, limit), code


def _solution_lines(result, limit: Optional[int]) -> Iterator[str]:
    """The solutions as they are found, then how many more and the summary (or the proof of none)."""
    shown = 0
    for solution in _take(result.solutions, limit):
        shown += 1
        yield solution.equation
    if result.count > shown:
        yield f"... and {result.count - shown:,} more (--all lists every one, --limit N the first N)"
    yield result.summary()


def _take(iterator, limit: Optional[int]) -> Iterator:
    from itertools import islice

    return iterator if limit is None else islice(iterator, limit)


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
    lines.append(f"{_plural(len(table), 'value')} from {_plural(total, 'bracketing')} of {puzzle.left.text()}{zero}.")
    return "\n".join(lines), 0


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def check_command(args) -> tuple:
    """Grade an answer."""
    from .check import check

    verdict = check(args.puzzle, args.answer, ops=args.ops)
    code = 0 if verdict.ok else 1
    if args.json:
        return {"ok": verdict.ok, "reason": verdict.reason, "value": _q(verdict.value),
                "detail": verdict.detail}, code
    value = f" (value {_q(verdict.value)})" if verdict.value is not None and verdict.ok else ""
    return f"{verdict}{value}", code


def warmup_command(args) -> tuple:
    """Compile the JIT kernels ahead, so later runs start at once."""
    try:
        from .fast import warmup
    except ImportError as e:
        return {"error": f"the numba engine is not available: {e}", "code": "no_numba"}, 2
    report = warmup()
    return ({"warmup": str(report)} if args.json else str(report)), 0


def generate_command(args) -> tuple:
    """Generate puzzles as JSON lines; a progress bar on stderr when it is a terminal."""
    from .generate import generate

    seed = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed       # --seed 7 is seed=7
    entries = generate(args.count, operands=args.operands, numbers=args.numbers, ops=args.ops, kind=args.kind,
                       min_depth=args.min_depth, seed=seed, lang=args.lang, decimals=args.decimals,
                       negatives=args.negatives, target=args.target, start=args.start)
    return _generated_lines(entries, _Progress(args.count) if sys.stderr.isatty() else None), 0


def _generated_lines(entries, bar) -> Iterator[str]:
    for entry in entries:
        yield json.dumps(entry, ensure_ascii=False)
        if bar:
            bar.step()
    if bar:
        bar.done()
    return 0


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, width: int = 30) -> None:
        self.total, self.width, self.done_count, self.shown = total, width, 0, -1

    def step(self) -> None:
        self.done_count += 1
        filled = self.width * self.done_count // max(1, self.total)
        if filled != self.shown or self.done_count == self.total:
            self.shown = filled
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done_count:,}/{self.total:,}")
            sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r" + " " * (self.width + 30) + "\r")
        sys.stderr.flush()


def grade_command(args) -> tuple:
    """Grade a file of model outputs against a file of generated entries, line by line."""
    from .extract import extract
    from .grade import REASONS, grade, puzzle_of

    entries = _jsonl(args.puzzles)
    outputs = [_output_text(item, args.outputs, n) for n, item in enumerate(_jsonl(args.outputs), 1)]
    if len(entries) != len(outputs):
        raise BracketError(f"{args.puzzles} has {len(entries):,} entries but {args.outputs} has {len(outputs):,} "
                           "outputs; line i of one is graded against line i of the other")
    items, counts = [], {}
    for index, (entry, output) in enumerate(zip(entries, outputs)):
        puzzle = puzzle_of(entry if isinstance(entry, dict) else str(entry))
        verdict = grade(puzzle, output)
        found = extract(output, puzzle)
        answer = {"expression": found.text, "no_solution": "no solution"}.get(found.kind)
        counts[verdict.reason] = counts.get(verdict.reason, 0) + 1
        items.append({"line": index + 1, "ok": verdict.ok, "reason": verdict.reason, "value": _q(verdict.value),
                      "answer": answer, "detail": verdict.detail})
    ok = sum(item["ok"] for item in items)
    code = 0 if ok == len(items) else 1
    reasons = {reason: counts[reason] for reason in REASONS if reason in counts}
    if args.json:
        return {"graded": len(items), "correct": ok, "accuracy": _q(Fraction(ok, len(items))) if items else None,
                "reasons": reasons, "items": items}, code
    width = max((len(r) for r in reasons), default=6)
    lines = [f"accuracy {ok:,}/{len(items):,} ({_percent(ok, len(items))})"]
    lines += [f"  {reason:<{width}}  {count:>6,}" for reason, count in reasons.items()]
    return "\n".join(lines), code


def _percent(part: int, whole: int) -> str:
    """An exact share rounded half up to one decimal: "66.7%"."""
    if not whole:
        return "no outputs"
    tenths = (2000 * part + whole) // (2 * whole)
    return f"{tenths // 10}.{tenths % 10}%"


def _jsonl(path: str) -> list:
    """The JSON values of a JSON-lines file (blank lines skipped)."""
    items = []
    with open(path, encoding="utf-8") as stream:
        for n, raw in enumerate(stream, 1):
            if raw.strip():
                try:
                    items.append(json.loads(raw))
                except json.JSONDecodeError as e:
                    raise BracketError(f"{path}, line {n}: not JSON ({e.msg})") from None
    return items


OUTPUT_KEYS = ("output", "response", "completion", "text", "answer", "model_output")


def _output_text(item, path: str, n: int):
    """A model's output from one line: a JSON string, or an object with one of OUTPUT_KEYS."""
    if isinstance(item, str) or item is None:
        return item
    if isinstance(item, dict):
        for key in OUTPUT_KEYS:
            if key in item:
                return item[key]
    raise BracketError(f"{path}, line {n}: expected a JSON string or an object with one of {', '.join(OUTPUT_KEYS)}")


def batch_command(source: str, args) -> Iterator[str]:
    """Solve (or list values of) one puzzle a line, one JSON object a line as each is done; returns the
    worst exit code. Lines must be UTF-8 (a byte-order mark is skipped); a line that is not is an error line.
    """
    args.json = True
    worst = 0
    stream = sys.stdin.buffer if source == "-" else open(source, "rb")
    with stream:
        for number, raw in enumerate(stream, 1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError as e:
                body, code = {"error": f"line {number} is not UTF-8 text (byte {e.start + 1})",
                              "code": "not_utf8", "line": number}, 2
            else:
                if not text or text.startswith("#"):
                    continue
                try:
                    body, code = (values_command if args.values else solve_command)(text, args)
                except BracketError as e:
                    body, code = _error(e, text), 2
            worst = max(worst, code)
            yield json.dumps(body, ensure_ascii=False)
    return worst


def _error(e: BracketError, text: Optional[str] = None) -> dict:
    body = {"error": getattr(e, "reason", str(e)), "code": e.code}
    if hasattr(e, "position"):
        body["position"] = e.position
    if text is not None:
        body["puzzle"] = text if len(text) <= 200 else text[:200] + "..."
    return body


# --- argument parsing ----------------------------------------------------------------------------

class UsageError(BracketError):
    """A command line that does not parse."""

    code = "usage"


class _Arguments(argparse.ArgumentParser):
    """argparse, but a bad command line raises UsageError (so --json can report it) instead of exiting."""

    def error(self, message: str):
        if message.startswith("unrecognized arguments"):
            message += " (quote the puzzle: bracketsolve \"8 + 28 / 4 - 2 * 3 = 6\")"
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")


def _parser() -> argparse.ArgumentParser:
    p = _Arguments(
        prog="bracketsolve",
        description="Add brackets to an arithmetic puzzle so the equation holds: every way, exactly, "
                    "or a proof that there is none.",
        epilog="other commands: 'bracketsolve check PUZZLE ANSWER' grades an answer; "
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
    listing.add_argument("--limit", metavar="N", type=_count, help=f"list at most N solutions (default {SHOWN})")
    listing.add_argument("--all", action="store_true", help="list every solution")
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
    p = _Arguments(prog="bracketsolve check", description="Grade an answer to a puzzle exactly. "
                                "Exit status 0 correct, 1 not, 2 bad puzzle.")
    p.add_argument("puzzle", help='the puzzle, e.g. "8 + 28 / 4 - 2 * 3 = 6"')
    p.add_argument("answer", help='the answer, e.g. "(8 + 28) / ((4 - 2) * 3)"')
    p.add_argument("--ops", metavar="OPS", help="operators a ? in the puzzle may stand for (default +-*/)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _warmup_parser() -> argparse.ArgumentParser:
    p = _Arguments(prog="bracketsolve warmup", description="Compile the fast engine's kernels now "
                                "and cache them, so later runs start at once.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _generate_parser() -> argparse.ArgumentParser:
    from .generate import KINDS, MAX_OPERANDS, QUESTIONS

    p = _Arguments(prog="bracketsolve generate", description="Generate puzzles for evaluating "
                                "reasoning models, one JSON object {question, answer, metadata} a line. Entry i "
                                "depends only on the seed and i.")
    p.add_argument("--count", metavar="N", type=_count, default=10, help="how many puzzles (default 10)")
    p.add_argument("--operands", metavar="K", type=_count, default=6,
                   help=f"numbers in each puzzle, 2 to {MAX_OPERANDS} (default 6)")
    p.add_argument("--kind", choices=KINDS, default="unique",
                   help="unique: one solution up to regrouping (default); solvable; unsolvable: the target is next "
                        "to reachable values but unreachable; any")
    p.add_argument("--min-depth", metavar="D", type=_count, default=0,
                   help="the shallowest solution nests brackets at least D deep (default 0)")
    p.add_argument("--seed", default="0", help="any text or number (default 0)")
    p.add_argument("--start", metavar="I", type=_count, default=0, help="index of the first entry (default 0)")
    p.add_argument("--lang", choices=tuple(QUESTIONS), default="en", help="language of the question (default en)")
    p.add_argument("--numbers", metavar="LO,HI", type=_range, default=(1, 30),
                   help="magnitudes of the operands (default 1,30)")
    p.add_argument("--ops", metavar="OPS", default="+-*/", help="operators to draw from (default +-*/)")
    p.add_argument("--decimals", action="store_true", help="operands with one decimal place")
    p.add_argument("--negatives", action="store_true", help="some operands (and targets) negative")
    p.add_argument("--target", metavar="LO,HI", type=_range, help="bounds on the target, e.g. 0,100 (--target=-50,50 when LO is negative)")
    p.add_argument("--json", action="store_true", help="accepted for symmetry; the output is always JSON lines")
    return p


def _range(text: str) -> tuple:
    lo, sep, hi = text.partition(",")
    if not sep or not lo.strip() or not hi.strip():
        raise argparse.ArgumentTypeError(f"expected LO,HI such as 1,30, got {text!r}")
    return (int(lo) if lo.strip().lstrip("-").isdigit() else lo.strip(),
            int(hi) if hi.strip().lstrip("-").isdigit() else hi.strip())


def _grade_parser() -> argparse.ArgumentParser:
    p = _Arguments(prog="bracketsolve grade", description="Grade model outputs exactly: line i of "
                                "OUTPUTS (a JSON string, or an object with an \"output\" field) against entry i of "
                                "PUZZLES (from 'bracketsolve generate'). Prints accuracy and counts by reason; "
                                "--json adds a verdict per line. Exit status 0 all correct, 1 some not, 2 bad input.")
    p.add_argument("puzzles", metavar="PUZZLES.jsonl", help="the generated entries")
    p.add_argument("outputs", metavar="OUTPUTS.jsonl", help="the model outputs, one per line, in the same order")
    p.add_argument("--json", action="store_true", help="print one JSON object with a verdict per line")
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
    """The output (text, a JSON-able dict, or an iterator of lines that returns the exit code) and the exit code."""
    argv, wants_json = _split_json(argv)
    if argv and argv[0] in SUBCOMMANDS:
        name, rest = argv[0], argv[1:]
        parsers = {"check": _check_parser, "warmup": _warmup_parser, "generate": _generate_parser,
                   "grade": _grade_parser}
        args = parsers[name]().parse_args(rest + ["--json"] * wants_json)
        commands = {"check": check_command, "warmup": warmup_command, "generate": generate_command,
                    "grade": grade_command}
        return commands[name](args)
    parser = _parser()
    args = parser.parse_args(argv + ["--json"] * wants_json)
    if args.file and args.puzzle:
        parser.error("give a puzzle or --file FILE, not both")
    if args.file or args.puzzle == "-":
        return batch_command(args.file or "-", args), 0
    if args.puzzle is None:
        parser.error("give a puzzle, e.g. bracketsolve \"8 + 28 / 4 - 2 * 3 = 6\"")
    command = values_command if args.values else solve_command
    return command(args.puzzle, args)


def _emit(body, code: int, wants_json: bool) -> int:
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
        print(line, flush=True)


def main(argv: Optional[list] = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    wants_json = _split_json(argv)[1]
    try:
        body, code = run(argv)
        return _emit(body, code, wants_json)
    except BracketError as e:
        if wants_json:
            print(json.dumps(_error(e), ensure_ascii=False))
        print(f"bracketsolve: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            return _closed_pipe()
        print(f"bracketsolve: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bracketsolve: interrupted", file=sys.stderr)
        return 130


def _closed_pipe() -> int:
    """The reader went away (`| head`): stop quietly, as Unix tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
