"""The dataset commands: `stats` (a puzzle's exact difficulty), `audit` (a dataset's labels), `census` (a family)."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from ..games.rules import SPELLINGS
from .common import Arguments, Default, Outcome, add_budget, budget_options, count, plural, span


def stats_parser() -> Arguments:
    p = Arguments(prog="bracketsolve stats", description="The exact difficulty of a puzzle: solutions and classes, "
                  "the share of bracketings that work, the shallowest solution, the values in reach, near misses, "
                  "and the effort of the canonical search (docs/evaluating.md, Difficulty). Exit status 0 "
                  "solvable, 1 proved unsolvable, 2 bad input.")
    p.add_argument("puzzle", help='the puzzle, e.g. "8 + 28 / 4 - 2 * 3 = 6"')
    p.add_argument("--target", metavar="T", help="the target, when the puzzle has none")
    p.add_argument("--ops", metavar="OPS", help="operators for ? slots (default +-*/); with --rules, the game's")
    p.add_argument("--rules", choices=SPELLINGS, default="brackets",
                   help="brackets (default: order and operators fixed), or a free-order game: 24, 24-tv, countdown, "
                        "countdown-tv (docs/rules.md)")
    add_budget(p)
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    return p


def _game_stats(args: argparse.Namespace) -> Outcome:
    """`stats --rules GAME`: the free-order figures (docs/evaluating.md, Difficulty of free-order puzzles)."""
    from ..evaluation.games_difficulty import game_difficulty

    d = game_difficulty(args.puzzle, rules=args.rules, target=args.target, ops=args.ops, **budget_options(args))
    code = 0 if d.solutions else 1
    body = d.as_dict()
    if args.json:
        return {"puzzle": args.puzzle, **body}, code

    def known(value: object, what: str) -> str:
        return "- (no solution)" if value is None else what

    classes = "" if d.classes is None else f", {d.classes:,} class{'es' if d.classes != 1 else ''} up to rewriting"
    lines = [f"{args.puzzle}  (rules {args.rules})",
             f"  solutions    {d.solutions:,} of {plural(d.total, 'expression')} ({body['fraction']}){classes}",
             f"  undefined    {d.undefined:,} {'divides' if d.undefined == 1 else 'divide'} by zero"
             + (" or leave the positive integers" if args.rules.endswith("-tv") else ""),
             f"  min depth    {known(d.min_depth, str(d.min_depth))}, fewest numbers "
             f"{known(d.min_numbers, str(d.min_numbers))}",
             f"  needs fractions {known(d.needs_fractions, 'yes' if d.needs_fractions else 'no')}, "
             f"needs negatives {known(d.needs_negatives, 'yes' if d.needs_negatives else 'no')}",
             f"  values       {d.values:,} distinct in reach",
             f"  near misses  {d.near_1:,} within 1, {d.near_1pct:,} within 1% of the target",
             f"  effort       {'past the cap' if d.effort is None else f'{d.effort:,}'} states of the canonical "
             "search"]
    return "\n".join(lines), code


def stats_command(args: argparse.Namespace) -> Outcome:
    from ..evaluation.difficulty import difficulty
    from ..solver.solve import as_puzzle

    if args.rules != "brackets":
        return _game_stats(args)
    puzzle = as_puzzle(args.puzzle, target=args.target, ops=args.ops)
    d = difficulty(puzzle, **budget_options(args))
    code = 0 if d.solutions else 1
    if args.json:
        return {"puzzle": str(puzzle), **d.as_dict()}, code
    depth = "-" if d.min_depth is None else f"{d.min_depth} (fewest pairs {d.min_pairs})"
    effort = "past the cap" if d.effort is None else f"{d.effort:,}"
    lines = [str(puzzle),
             f"  solutions    {d.solutions:,} of {plural(d.total, 'bracketing')} ({d.as_dict()['fraction']}), "
             f"{d.classes:,} class{'es' if d.classes != 1 else ''} up to regrouping",
             f"  undefined    {d.undefined:,} {'divides' if d.undefined == 1 else 'divide'} by zero",
             f"  min depth    {depth}",
             f"  values       {d.values:,} distinct in reach",
             f"  near misses  {d.near_1:,} within 1, {d.near_1pct:,} within 1% of the target",
             f"  effort       {effort} states of the canonical search"]
    return "\n".join(lines), code


def audit_parser() -> Arguments:
    from ..evaluation.audit import FORMATS

    p = Arguments(prog="bracketsolve audit", description="Re-verify a dataset's labels exactly and list each "
                  "wrong one (a solvable claim with no solution, a reference answer that does not verify, a "
                  "'no solution' label on a solvable puzzle, wrong difficulty figures, repeated puzzles). "
                  "Exit status 0 all labels right, 1 some wrong, 2 bad input.")
    p.add_argument("file", metavar="FILE", help="JSON lines, Parquet, CSV, or a directory of shards")
    p.add_argument("--format", choices=FORMATS, default="auto", help="the shape of the rows (default: detected)")
    p.add_argument("--labels-only", action="store_true", help="skip re-deriving this project's difficulty figures")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    return p


def audit_command(args: argparse.Namespace) -> Outcome:
    from ..evaluation.audit import audit

    report = audit(args.file, fmt=args.format, figures=not args.labels_only)
    code = 0 if report.ok else 1
    if args.json:
        return report.as_dict(), code
    lines = [f"row {f.row}: {f.kind}: {f.detail}" for f in report.findings]
    lines.append(f"{len(report.findings):,} wrong of {plural(report.rows, 'row')} ({report.format})")
    lines += [f"  {kind:<28} {n:>8,}" for kind, n in report.totals().items()]
    lines += [f"  unchecked: {why}: {plural(n, 'row')}" for why, n in report.unchecked.items()]
    return "\n".join(lines), code


def census_parser() -> Arguments:
    p = Arguments(prog="bracketsolve census", description="The exact difficulty of every puzzle of a family "
                  "(every operand tuple in a range, every operator sequence from a set, every whole target in a "
                  "range; with --rules, every multiset of numbers) as Parquet rows, and the exact distributions "
                  "over the family in _manifest.json; as Dask tasks with --shards (needs the dask and parquet "
                  "extras).")
    p.add_argument("--rules", choices=SPELLINGS, default="brackets", type=str.lower,
                   help="brackets (default), or a free-order game: 24, 24-tv, countdown, countdown-tv: every "
                        "multiset of K numbers (docs/evaluating.md, Census of free-order puzzles)")
    p.add_argument("--operands", metavar="K", type=count, default=4, help="numbers in each puzzle (default 4)")
    p.add_argument("--numbers", metavar="LO,HI", type=span, help="operand range (default 1,9; 1,13 for --rules 24; "
                   "for countdown, K cards of the TV show's deck: 25 50 75 100 and two each of 1..10)")
    p.add_argument("--ops", metavar="OPS", default=Default("+-*/"), help="operators each slot takes (default +-*/)")
    p.add_argument("--sequence", metavar="OPS", help="one fixed operator sequence instead, e.g. '+*-'")
    p.add_argument("--target", metavar="LO,HI", type=span, help="whole targets (default 24,24; 100,999 for "
                   "countdown)")
    p.add_argument("--out", metavar="DIR", required=True, help="the directory for the Parquet shards")
    from .generating import add_scheduler_arguments

    add_scheduler_arguments(p)
    add_budget(p, deadline="the whole census")
    p.add_argument("--json", action="store_true", help="print the manifest as one JSON object")
    return p


def census_command(args: argparse.Namespace) -> Outcome:
    from ..evaluation.census import run_census

    shards = args.shards or 1
    scheduler = args.scheduler or ("local" if args.shards else "none")
    task: Callable[..., dict[str, Any]] = run_census
    budget = {k: v for k, v in budget_options(args).items() if k != "progress"}    # the whole census's deadline
    if args.rules == "brackets":
        kwargs = dict(operands=args.operands, numbers=args.numbers or (1, 9), ops=args.ops, sequence=args.sequence,
                      target=args.target or (24, 24), shards=shards, **budget)
    else:
        from ..errors import BracketError
        from ..evaluation.games_census import run_game_census

        task = run_game_census

        if args.sequence is not None:
            raise BracketError("--sequence fixes the operators of a bracket puzzle; free-order puzzles take --ops")
        deck = "countdown" if args.rules.startswith("countdown") and args.numbers is None else None
        kwargs = dict(rules=args.rules, numbers=args.operands, values=None if deck else args.numbers, deck=deck,
                      target=args.target, ops=args.ops, shards=shards, **budget)
    if scheduler == "none":
        manifest = task(args.out, **kwargs)
    else:
        from ..evaluation import distributed

        with distributed.client(scheduler, workers=args.workers) as client:
            manifest = task(args.out, run=distributed.runner(client), scheduler=scheduler, **kwargs)
    if args.json:
        return manifest, 0
    s = manifest["summary"]
    wall = manifest["wall_seconds"]
    lines = [f"{plural(s['puzzles'], 'puzzle')}, {s['solvable']:,} solvable ({s['solvable_fraction']}); mean effort "
             f"{s['mean_effort']} states; {wall:.1f} s" + (f", {s['puzzles'] / wall:,.0f} puzzles/s" if wall else ""),
             "  solutions: " + ", ".join(f"{k}: {v:,}" for k, v in s["solutions"].items()),
             "  min depth: " + ", ".join(f"{k}: {v:,}" for k, v in s["min_depth"].items()),
             *(["  needs fractions: " + ", ".join(f"{k.lower()}: {v:,}" for k, v in s["needs_fractions"].items())]
               if "needs_fractions" in s else []),
             f"  rows in {args.out}/part-*.parquet, distributions in {args.out}/_manifest.json"]
    return "\n".join(lines), 0
