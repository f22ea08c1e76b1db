"""The evaluation commands: generate puzzles for models, grade their outputs."""

from __future__ import annotations

import argparse
import json
import re
import sys
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Generator, Iterable, Iterator, Optional, Union

from ..errors import BracketError
from ..games.rules import SPELLINGS
from .common import JSON, Arguments, Outcome, add_budget, budget_options, count, rational, span

if TYPE_CHECKING:
    from ..evaluation.games_grade import Answer
    from ..evaluation.reading import Extracted


def generate_command(args: argparse.Namespace) -> Outcome:
    """Generate puzzles as JSON lines; a progress bar on stderr when it is a terminal."""
    from ..evaluation.generate import generate

    seed = _seed(args.seed)
    if args.rules != "brackets":
        options = _games(args, seed)
        if args.out is not None or args.shards is not None or args.format != "jsonl":
            from .generating import dataset_command

            return dataset_command(args, options)
        from ..evaluation.games_generate import generate_games

        entries = generate_games(args.count, start=args.start, **options)
        return _generated_lines(entries, _Progress(args.count) if sys.stderr.isatty() else None), 0
    options = dict(operands=6 if args.operands is None else args.operands, numbers=args.numbers or (1, 30), ops=args.ops,
                   kind=args.kind or "unique", min_depth=args.min_depth, seed=seed, lang=args.lang,
                   decimals=args.decimals, negatives=args.negatives, target=args.target, **_filters(args))
    if args.out is not None or args.shards is not None or args.format != "jsonl":
        from .generating import dataset_command

        return dataset_command(args, options)
    entries = generate(args.count, start=args.start, **options)
    return _generated_lines(entries, _Progress(args.count) if sys.stderr.isatty() else None), 0


WHOLE = re.compile(r"-?[0-9]{1,4300}")     # an int Python writes back as text (its digit limit for conversions)


def _seed(text: str) -> Union[int, str]:
    """--seed 7 is seed=7 (ASCII digits, an optional -, up to 4,300 of them); any other text is that text."""
    return int(text) if WHOLE.fullmatch(text) else text


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    names = ("min_effort", "max_effort", "min_solutions", "max_solutions", "min_near")
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _games(args: argparse.Namespace, seed: Union[int, str]) -> dict[str, Any]:
    """generate_games' options (docs/rules.md): 4 numbers from 1..13 for 24, 6 from the TV show's deck for
    countdown."""
    filters = _filters(args)
    if set(filters) - {"min_effort", "max_effort"}:
        raise BracketError("--min-solutions, --max-solutions and --min-near filter bracket puzzles; free-order "
                           "puzzles have --kind")
    countdown = args.rules.startswith("countdown")
    numbers = (6 if countdown else 4) if args.operands is None else args.operands
    deck = "countdown" if countdown and args.numbers is None else None
    options = dict(rules=args.rules, numbers=numbers, values=args.numbers or (1, 13), deck=deck,
                   target=args.target, ops=args.ops, kind=args.kind or "solvable", seed=seed, lang=args.lang,
                   min_depth=args.min_depth, **filters)
    for name in ("needs_fractions", "needs_negatives"):
        if getattr(args, name):
            options[name] = True
    return options


def _generated_lines(entries: Iterable[JSON], bar: Optional[_Progress]) -> Generator[str, None, int]:
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


def grade_command(args: argparse.Namespace) -> Outcome:
    """Grade a file of model outputs against a file of generated entries, line by line."""
    from ..solver.limits import budget

    options = budget_options(args)
    options["progress"] = False                 # a line per solve would flicker; the budget holds for each solve
    with budget(**options):
        return _graded(args)


def _graded(args: argparse.Namespace) -> Outcome:
    from ..evaluation.extract import extract
    from ..evaluation.grade import REASONS, grade, puzzle_of

    entries = _jsonl(args.puzzles)
    outputs = [_output_text(item, args.outputs, n) for n, item in enumerate(_jsonl(args.outputs), 1)]
    if len(entries) != len(outputs):
        raise BracketError(f"{args.puzzles} has {len(entries):,} entries but {args.outputs} has {len(outputs):,} "
                           "outputs; line i of one is graded against line i of the other")
    from ..evaluation.games_grade import answer_span, game_of, grade_game, is_free_order

    items: list[JSON] = []
    counts: dict[str, int] = {}
    bad = 0
    for index, (entry, output) in enumerate(zip(entries, outputs)):
        free = is_free_order(entry)                 # from `generate --rules 24` or `countdown`: docs/rules.md
        try:
            if free:
                game = game_of(entry)
            else:
                puzzle = puzzle_of(entry if isinstance(entry, dict) else str(entry))
                if not puzzle.is_equation:
                    raise BracketError("the puzzle has no '= target' to grade an answer against")
        except BracketError as e:                   # a bad entry: said, and the other lines still graded
            detail = f"{args.puzzles}, line {index + 1}: {str(e).splitlines()[0]}"
            print(f"bracketsolve: error: {detail}", file=sys.stderr)
            bad += 1
            counts["bad_entry"] = counts.get("bad_entry", 0) + 1
            items.append({"line": index + 1, "ok": False, "reason": "bad_entry", "value": None, "answer": None,
                          "detail": detail})
            continue
        found: Union[Answer, Extracted]
        if free:
            verdict, found = grade_game(game, output), answer_span(output)
        else:
            verdict = grade(puzzle, output)
            found = extract(output, puzzle)
        answer = {"expression": found.text, "no_solution": "no solution",
                  "rejected": getattr(found, "raw", None)}.get(found.kind)
        counts[verdict.reason] = counts.get(verdict.reason, 0) + 1
        items.append({"line": index + 1, "ok": verdict.ok, "reason": verdict.reason, "value": rational(verdict.value),
                      "answer": answer, "detail": verdict.detail})
    ok = sum(item["ok"] for item in items)
    code = 2 if bad else 0 if ok == len(items) else 1
    reasons = {reason: counts[reason] for reason in REASONS if reason in counts}
    reasons.update((reason, count) for reason, count in counts.items() if reason not in reasons)   # free-order
    if args.json:
        return {"graded": len(items), "correct": ok, "accuracy": rational(Fraction(ok, len(items))) if items else None,
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


def _jsonl(path: str) -> list[Any]:
    """The JSON values of a JSON-lines file (blank lines skipped; UTF-8, a byte-order mark skipped)."""
    items: list[Any] = []
    with open(path, "rb") as stream:
        for n, raw in enumerate(stream, 1):
            try:
                text = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise BracketError(f"{path}, line {n}: not UTF-8 text (byte {e.start + 1})") from None
            if text.strip():
                try:
                    items.append(json.loads(text))
                except json.JSONDecodeError as e:
                    raise BracketError(f"{path}, line {n}: not JSON ({e.msg})") from None
                except RecursionError:
                    raise BracketError(f"{path}, line {n}: JSON nested too deep") from None
                except ValueError as e:     # an integer past Python's digit limit for conversion
                    raise BracketError(f"{path}, line {n}: a number too long to read "
                                       f"({str(e).split(':')[0].strip()})") from None
    return items


OUTPUT_KEYS = ("output", "response", "completion", "text", "answer", "model_output")


def _output_text(item: object, path: str, n: int) -> Optional[str]:
    """A model's output from one line: a JSON string, or an object with one of OUTPUT_KEYS."""
    if isinstance(item, str) or item is None:
        return item
    if isinstance(item, dict):
        for key in OUTPUT_KEYS:
            if key in item:
                value = item[key]
                if value is not None and not isinstance(value, str):
                    raise BracketError(f"{path}, line {n}: the {key!r} field must be a JSON string, "
                                       f"not {type(value).__name__}")
                return value
    raise BracketError(f"{path}, line {n}: expected a JSON string or an object with one of {', '.join(OUTPUT_KEYS)}")


def generate_parser() -> argparse.ArgumentParser:
    from ..evaluation.generate import KINDS, MAX_OPERANDS, QUESTIONS

    p = Arguments(prog="bracketsolve generate", description="Generate puzzles for evaluating "
                                "reasoning models, one JSON object {question, answer, metadata} a line. Entry i "
                                "depends only on the seed and i.")
    p.add_argument("--count", metavar="N", type=count, default=10, help="how many puzzles (default 10)")
    p.add_argument("--rules", choices=SPELLINGS, default="brackets", type=str.lower,
                   help="brackets (default), or free-order puzzles: 24, countdown, -tv (docs/rules.md)")
    p.add_argument("--operands", metavar="K", type=count,
                   help=f"numbers in each puzzle, 2 to {MAX_OPERANDS} (default 6; 4 for --rules 24)")
    p.add_argument("--kind", choices=KINDS,
                   help="unique: one solution up to regrouping (default; solvable with --rules); solvable; "
                        "unsolvable: the target is next to reachable values but unreachable; any")
    p.add_argument("--min-depth", metavar="D", type=count, default=0,
                   help="the shallowest solution nests brackets at least D deep (default 0)")
    p.add_argument("--seed", default="0", help="any text or number (default 0)")
    p.add_argument("--start", metavar="I", type=count, default=0, help="index of the first entry (default 0)")
    p.add_argument("--lang", choices=tuple(QUESTIONS), default="en", help="language of the question (default en)")
    p.add_argument("--numbers", metavar="LO,HI", type=span,
                   help="magnitudes of the operands (default 1,30; 1,13 for --rules 24; the TV show's cards for "
                        "countdown)")
    p.add_argument("--ops", metavar="OPS", default="+-*/", help="operators to draw from (default +-*/)")
    p.add_argument("--decimals", action="store_true", help="operands with one decimal place")
    p.add_argument("--negatives", action="store_true", help="some operands (and targets) negative")
    p.add_argument("--target", metavar="LO,HI", type=span, help="bounds on the target, e.g. 0,100 (--target=-50,50 "
                   "when LO is negative; with --rules 24 the default is 24,24, with countdown 100,999)")
    p.add_argument("--min-effort", metavar="N", type=count, help="the canonical search visits at least N states "
                   "(see docs/evaluating.md, Difficulty; with --rules, Difficulty of free-order puzzles)")
    p.add_argument("--max-effort", metavar="N", type=count, help="... and at most N")
    p.add_argument("--min-solutions", metavar="N", type=count, help="at least N bracketings work")
    p.add_argument("--max-solutions", metavar="N", type=count, help="at most N bracketings work")
    p.add_argument("--min-near", metavar="N", type=count, help="at least N reachable values within 1 of the target")
    p.add_argument("--needs-fractions", action="store_true", help="with --rules: every solution passes through a "
                   "fraction (docs/evaluating.md, Difficulty of free-order puzzles)")
    p.add_argument("--needs-negatives", action="store_true", help="with --rules: every solution passes through a "
                   "negative number")
    from .generating import add_dataset_arguments

    add_dataset_arguments(p)
    p.add_argument("--json", action="store_true", help="with --out, print the manifest as JSON; otherwise the "
                   "output is JSON lines anyway")
    return p


def grade_parser() -> argparse.ArgumentParser:
    p = Arguments(prog="bracketsolve grade", description="Grade model outputs exactly: line i of "
                                "OUTPUTS (a JSON string, or an object with an \"output\" field) against entry i of "
                                "PUZZLES (from 'bracketsolve generate'). Prints accuracy and counts by reason; "
                                "--json adds a verdict per line. Exit status 0 all correct, 1 some not, 2 bad input.")
    p.add_argument("puzzles", metavar="PUZZLES.jsonl", help="the generated entries")
    p.add_argument("outputs", metavar="OUTPUTS.jsonl", help="the model outputs, one per line, in the same order")
    add_budget(p)
    p.add_argument("--json", action="store_true", help="print one JSON object with a verdict per line")
    return p
