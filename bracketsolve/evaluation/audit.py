"""Audit a dataset's labels exactly: re-solve every puzzle and report each wrong label (a solvable claim with no
solution, a reference answer that does not verify, a "no solution" label on a solvable puzzle, figures the
oracle disagrees with, a repeated puzzle). Reads this project's entries and the shapes of other projects.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Hashable, Iterable, Iterator, Optional

from ..errors import BracketError, ParseError, TooLargeError
from ..solver.model import Puzzle, evaluate, format_value
from ..solver.parser import parse
from ..solver.solve import solve

FORMATS = ("auto", "bracketsolve", "reasoning-gym", "tinyzero", "csv")
KINDS = ("unsolvable_claimed_solvable", "answer_wrong", "solvable_claimed_none", "metadata_wrong", "duplicate",
         "unreadable")
FIGURES = ("solutions", "classes", "min_depth", "total", "min_pairs", "undefined", "values", "near_1", "near_1pct",
           "effort", "fraction")
FREE_ORDER = ("countdown", "puzzle24")      # reasoning-gym datasets whose numbers may be used in any order

Row = dict[str, Any]        # one row of a dataset, as read: {"question": ..., "answer": ..., "metadata": {...}}


@dataclass(frozen=True)
class Finding:
    """One wrong label: the 1-based row, a kind from KINDS, and what is wrong."""

    row: int
    kind: str
    detail: str


@dataclass
class Report:
    """The audit of one file: rows read, findings, and rows whose labels could not be decided here."""

    path: str
    format: str
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    unchecked: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.findings

    def totals(self) -> dict[str, int]:
        counts = Counter(f.kind for f in self.findings)
        return {kind: counts[kind] for kind in KINDS if counts[kind]}

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "rows": self.rows, "wrong": len(self.findings),
                "totals": self.totals(), "unchecked": dict(self.unchecked),
                "findings": [{"row": f.row, "kind": f.kind, "detail": f.detail} for f in self.findings]}


# a row's check: records what is wrong in the report, returns the puzzle's identity (for duplicates)
Check = Callable[[Row, int, Report, bool], Hashable]


def audit(path: str, *, fmt: str = "auto", figures: bool = True) -> Report:
    """Re-verify every label of a dataset file (or a directory of shards) exactly.

    Takes: the path: JSON lines or Parquet of this project's entries ({question, answer, metadata: {puzzle,
    ...}}), reasoning-gym entries ({question, answer, metadata: {source_dataset, numbers, target, ...}} of
    countdown, puzzle24 or basic_arithmetic), TinyZero/verl countdown rows ({target, nums}, JSON lines or
    Parquet), or a CSV with columns numbers and target (numbers in order, any operators: `3 ? 7 ? 2 = 21`,
    optional columns answer and solvable); `fmt` one of FORMATS; `figures=False` skips re-deriving the
    difficulty figures of this project's entries (labels only, faster).
    Returns: a `Report` (`.ok`, `.findings`, `.totals()`, `.unchecked`: rows past a solver cap, by
    cap).
    Raises: `BracketError` for a file that cannot be read or whose format is not recognised.
    """
    if fmt not in FORMATS:
        raise BracketError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    rows = list(_rows(path, fmt))
    if fmt == "auto":
        fmt = _detect(path, rows)
    report = Report(path, fmt)
    seen: dict[Hashable, int] = {}
    check: Check = {"bracketsolve": _ours, "reasoning-gym": _gym, "tinyzero": _tinyzero, "csv": _csv}[fmt]
    for number, row in enumerate(rows, 1):
        report.rows += 1
        try:
            key = check(row, number, report, figures)
        except TooLargeError as e:
            report.unchecked[f"past a solver cap ({e.limit})"] += 1
            continue
        except (ParseError, BracketError, KeyError, TypeError, ValueError, AttributeError) as e:
            report.findings.append(Finding(number, "unreadable", _unreadable(e)))
            continue
        if key is not None:
            if key in seen:
                report.findings.append(Finding(number, "duplicate", f"the same puzzle as row {seen[key]}"))
            else:
                seen[key] = number
    return report


def _unreadable(e: Exception) -> str:
    """Why a row could not be read, in words (no exception class names)."""
    if isinstance(e, KeyError):
        return f"missing field {e.args[0]!r}" if e.args else "a missing field"
    if isinstance(e, (TypeError, AttributeError)):
        return "a field of the wrong type (for example a number where a list belongs)"
    return _short(e)


def _short(e: Exception) -> str:
    return str(getattr(e, "reason", e)).splitlines()[0][:200]


# --- reading ------------------------------------------------------------------------------------------

def _rows(path: str, fmt: str) -> Iterator[Any]:
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith((".jsonl", ".parquet")) and not n.startswith("_"))
        for name in names:
            yield from _rows(os.path.join(path, name), fmt)
        return
    if fmt == "csv" or (fmt == "auto" and path.endswith(".csv")):
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream, skipinitialspace=True)
            try:
                if reader.fieldnames is None or not {"numbers", "target"} <= {f.strip() for f in reader.fieldnames}:
                    raise BracketError(f"{path}: a CSV needs a header with columns numbers and target")
                for record in reader:
                    yield {k.strip(): v for k, v in record.items() if k is not None}
            except UnicodeDecodeError as e:
                raise BracketError(f"{path}: not UTF-8 text (near line {reader.line_num + 1}, {e.reason})") from None
            except csv.Error as e:      # a field past csv's size limit, a NUL byte, ...
                raise BracketError(f"{path}, near line {reader.line_num + 1}: not CSV ({e})") from None
        return
    if path.endswith(".parquet"):
        from .formats import pyarrow

        pa = pyarrow()
        try:
            table = pa.parquet.read_table(path)
        except (OSError, pa.ArrowException) as e:
            raise BracketError(f"{path}: not a Parquet file ({e})") from None
        yield from table.to_pylist()
        return
    with open(path, "rb") as stream:
        for n, raw in enumerate(stream, 1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise BracketError(f"{path}, line {n}: not UTF-8 text (byte {e.start + 1})") from None
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise BracketError(f"{path}, line {n}: not JSON ({e.msg})") from None
                except RecursionError:
                    raise BracketError(f"{path}, line {n}: JSON nested too deep") from None
                except ValueError as e:         # an integer past Python's digit limit for conversion
                    raise BracketError(f"{path}, line {n}: a number too long to read "
                                       f"({str(e).split(':')[0].strip()})") from None


def _detect(path: str, rows: list[Any]) -> str:
    if path.endswith(".csv"):
        return "csv"
    first = next((r for r in rows if isinstance(r, dict)), None)
    if first is None:
        raise BracketError(f"{path}: no rows to audit")
    meta = first.get("metadata")
    if isinstance(meta, dict) and "puzzle" in meta:
        return "bracketsolve"
    if isinstance(meta, dict) and ("source_dataset" in meta or "numbers" in meta):
        return "reasoning-gym"
    if "nums" in first or "reward_model" in first:
        return "tinyzero"
    raise BracketError(f"{path}: not a format audit reads (this project's entries, reasoning-gym entries, "
                       "TinyZero rows {target, nums}, or a numbers,target CSV); name it with --format")


# --- this project's entries ---------------------------------------------------------------------------

def _claims_none(answer: str, puzzle: Puzzle) -> bool:
    """Does a reference answer say there is no solution (read as the grader reads an output)?"""
    from .extract import extract

    return extract(answer, puzzle).kind == "no_solution"


def _ours(row: Row, number: int, report: Report, figures: bool) -> str:
    from .grade import grade

    meta = row["metadata"]
    if meta.get("rules", "brackets") != "brackets":
        return _ours_free(row, number, report, figures)
    puzzle = parse(meta["puzzle"])
    result = solve(puzzle)
    answer = row.get("answer")
    found = report.findings
    if isinstance(answer, str) and _claims_none(answer, puzzle):
        if result.solvable:
            found.append(Finding(number, "solvable_claimed_none", f"{meta['puzzle']}: labelled no solution, but "
                                 f"{result.first} works ({result.count:,} of {result.total:,} bracketings)"))
    elif not result.solvable:
        found.append(Finding(number, "unsolvable_claimed_solvable", f"{meta['puzzle']}: no bracketing works "
                             f"(all {result.total:,} evaluated), but the answer is {answer!r}"))
    else:
        verdict = grade(puzzle, answer)
        if not verdict.ok:
            found.append(Finding(number, "answer_wrong", f"{meta['puzzle']}: the answer {answer!r} is "
                                 f"{verdict.reason} ({verdict.detail})"))
    if figures and puzzle.target is not None and any(k in meta for k in FIGURES):
        from .difficulty import difficulty

        truth = difficulty(puzzle).as_dict()
        wrong = [f"{k} {meta[k]!r} (exact: {truth[k]!r})" for k in FIGURES if k in meta and meta[k] != truth[k]]
        if wrong:
            found.append(Finding(number, "metadata_wrong", f"{meta['puzzle']}: " + ", ".join(wrong)))
    elif "solutions" in meta and meta["solutions"] != result.count:
        found.append(Finding(number, "metadata_wrong", f"{meta['puzzle']}: solutions {meta['solutions']!r} "
                             f"(exact: {result.count})"))
    return f"{meta.get('rules', 'brackets')}\n{puzzle}"


GAME_FIGURES = ("solutions", "classes", "total", "min_depth", "min_numbers", "fraction", "undefined", "values",
                "near_1", "near_1pct", "needs_fractions", "needs_negatives", "effort")
GAME_VERDICTS = {"wrong_no_solution": "solvable_claimed_none", "missed_no_solution": "unsolvable_claimed_solvable"}


def _ours_free(row: Row, number: int, report: Report, figures: bool) -> str:
    """An entry of generate_games: the answer graded by the free-order grader (which solves to decide a claim
    of no solution), and the figures re-derived by game_difficulty."""
    from ..games.reader import read_game
    from .games_difficulty import game_difficulty
    from .games_grade import grade_game

    meta = row["metadata"]
    game = read_game(meta["puzzle"], rules=meta["rules"], ops=meta.get("ops"))
    verdict = grade_game(game, str(row.get("answer")))
    if not verdict.ok:
        kind = GAME_VERDICTS.get(verdict.reason, "answer_wrong")
        report.findings.append(Finding(number, kind, f"{game} ({game.rules}): the answer {row.get('answer')!r} is "
                                       f"{verdict.reason} ({verdict.detail})"))
    if figures:
        truth = game_difficulty(game, rules=None).as_dict()
        wrong = [f"{k} {meta[k]!r} (exact: {truth[k]!r})" for k in GAME_FIGURES if k in meta and meta[k] != truth[k]]
    else:
        from ..games.solve import solve_game

        count = solve_game(game, rules=None).count if "solutions" in meta else None
        wrong = [] if count is None or count == meta["solutions"] else [
            f"solutions {meta['solutions']!r} (exact: {count})"]
    if wrong:
        report.findings.append(Finding(number, "metadata_wrong", f"{game} ({game.rules}): " + ", ".join(wrong)))
    return f"{game.rules}\n{game}"


# --- other projects' shapes ---------------------------------------------------------------------------

def _expression(text: object, numbers: list[int], target: int) -> Optional[str]:
    """Why an arithmetic expression over exactly `numbers` (any order) does not equal `target`, or None when
    it does: read by this project's parser, exactly."""
    try:
        side = parse(str(text)).left
    except ParseError as e:
        return f"does not parse ({e.reason})"
    if any(len(slot) != 1 for slot in side.slots):
        return "has an operator slot left open"
    if sorted(side.numbers) != sorted(Fraction(x) for x in numbers):
        return f"uses the numbers {' '.join(side.literals)}, not {' '.join(map(str, numbers))}"
    value = evaluate(side, side.written)
    if value is None:
        return "divides by zero"
    if value != Fraction(target):
        return f"equals {format_value(value)}, not {format_value(Fraction(target))}"
    return None


def _every_number_once(numbers: list[int], target: int) -> Optional[bool]:
    """Is there an expression using each number exactly once, in any order, equal to `target`? None when this
    version cannot say: the free-order rules (`solve(..., rules="24")`) are not here, or the puzzle is past
    their caps."""
    try:
        return solve(list(numbers), target=target, rules="24").solvable
    except TypeError:
        return None
    except BracketError as e:
        if isinstance(e, TooLargeError) or "rules" in str(e) or "expected puzzle text" in str(e):
            return None
        raise


UNCHECKED = "solvability (needs the free-order rules)"


def _ints(values: Iterable[Any]) -> list[int]:
    out: list[int] = []
    for v in values:
        if isinstance(v, bool) or isinstance(v, float):
            raise ValueError(f"expected whole numbers, got {v!r}")
        out.append(int(v))
    return out


def _gym(row: Row, number: int, report: Report, figures: bool) -> Hashable:
    meta = row["metadata"]
    source = meta.get("source_dataset")
    answer = row.get("answer")
    if source in FREE_ORDER:
        numbers = _ints(meta["numbers"])
        target = 24 if source == "puzzle24" else int(meta["target"])
        why = _expression(answer, numbers, target)
        if why is not None:
            solvable = _every_number_once(numbers, target)
            kind = "unsolvable_claimed_solvable" if solvable is False else "answer_wrong"
            more = "; no expression of these numbers reaches it" if solvable is False else ""
            report.findings.append(Finding(number, kind, f"{source} {numbers} -> {target}: the answer "
                                           f"{answer!r} {why}{more}"))
            if solvable is None:
                report.unchecked[f"{source}: {UNCHECKED}"] += 1
        return (source, tuple(sorted(numbers)), target)
    if source == "basic_arithmetic" or "expression" in meta:
        expression = meta["expression"]
        side = parse(str(expression)).left
        value = evaluate(side, side.written)
        try:
            labelled = Fraction(str(answer).strip())
        except ValueError:
            labelled = None
        if value is None or labelled != value:
            exact = "undefined (division by zero)" if value is None else format_value(value)
            report.findings.append(Finding(number, "answer_wrong", f"{expression}: labelled {answer!r}, but its "
                                           f"exact value is {exact}"))
        return (source, str(expression))
    raise BracketError(f"row {number}: reasoning-gym dataset {source!r} is not one audit reads "
                       "(countdown, puzzle24, basic_arithmetic)")


def _tinyzero(row: Row, number: int, report: Report, figures: bool) -> Hashable:
    truth = (row.get("reward_model") or {}).get("ground_truth") if "nums" not in row else None
    numbers = _ints(row["nums"] if truth is None else truth["numbers"])
    target = int(row["target"] if truth is None else truth["target"])
    solvable = _every_number_once(numbers, target)
    if solvable is None:
        report.unchecked[f"countdown: {UNCHECKED}"] += 1
    elif not solvable:
        report.findings.append(Finding(number, "unsolvable_claimed_solvable", f"countdown {numbers} -> {target}: "
                                       "no expression using each number once reaches the target"))
    return ("countdown", tuple(sorted(numbers)), target)


def _csv(row: Row, number: int, report: Report, figures: bool) -> Hashable:
    from .grade import grade

    numbers = [x for x in str(row["numbers"]).replace("[", " ").replace("]", " ").replace(",", " ").split()]
    if not numbers:
        raise ValueError("no numbers")
    target = str(row["target"]).strip()
    puzzle = parse(" ? ".join(numbers) + " = " + target)
    result = solve(puzzle)
    claim = str(row.get("solvable") or "").strip().lower()
    says_none = claim in ("0", "false", "no", "none") or (row.get("answer") or "").strip().lower() == "no solution"
    text = str(puzzle)
    if says_none and result.solvable:
        report.findings.append(Finding(number, "solvable_claimed_none", f"{text}: labelled unsolvable, but "
                                       f"{result.first} works"))
    elif not says_none and not result.solvable:
        report.findings.append(Finding(number, "unsolvable_claimed_solvable", f"{text}: no placement of + - * / "
                                       f"and brackets works (all {result.total:,} evaluated)"))
    elif not says_none and (row.get("answer") or "").strip():
        verdict = grade(puzzle, row["answer"])
        if not verdict.ok:
            report.findings.append(Finding(number, "answer_wrong", f"{text}: the answer {row['answer']!r} is "
                                           f"{verdict.reason} ({verdict.detail})"))
    return ("csv", text)
