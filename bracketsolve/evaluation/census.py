"""A census of a family of puzzles: every operand tuple in a range, every operator sequence from a set (or one
given sequence), every whole target in a range; the exact difficulty of each as Parquet rows, and the exact
distribution of solution counts, solvability and effort over the whole family.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence, cast

from ..errors import BracketError, SolveTimeout
from ..solver.limits import Limits, Memory, _round_figure
from . import formats
from .datasets import Run, plan, sequential
from .formats import Manifest
from .plans import Value

if TYPE_CHECKING:
    from .batch import Draw
    from .generate import _Options

MAX_ROWS = 100_000_000      # puzzles in one census (rows of its Parquet files)
BATCH = 4096                # expressions evaluated per kernel call, at most
TIME_SLICE = 0.2            # seconds a kernel call may take under a deadline (its batch grows or shrinks to it)

# a row: (numbers, ops, target, solutions, classes, min_depth, min_pairs, effort, values, undefined)
Row = tuple[list[Value], str, int, int, int, Optional[int], Optional[int], int, int, int]


class Family:
    """The family: `operands` numbers from lo..hi each, operators per slot from `ops` (or the fixed
    `sequence`), targets lo..hi (whole). Expression i is the i-th in lexicographic order of
    (operator sequence, numbers)."""

    def __init__(self, operands: int, numbers: object, ops: str = "+-*/", sequence: Optional[str] = None,
                 target: object = (0, 100)) -> None:
        from ..solver.symbols import normalize_ops
        from .generate import MAX_OPERANDS, _pair

        if isinstance(operands, bool) or not isinstance(operands, int) or not 2 <= operands <= MAX_OPERANDS:
            raise BracketError(f"operands must be an int from 2 to {MAX_OPERANDS}, not {operands!r}")
        lo, hi = _pair(numbers, "numbers")
        t_lo, t_hi = _pair(target, "target")
        if any(x.denominator != 1 for x in (lo, hi, t_lo, t_hi)):
            raise BracketError("a census takes whole numbers and whole targets")
        self.operands, self.lo, self.hi = operands, int(lo), int(hi)
        self.target = (int(t_lo), int(t_hi))
        if sequence is not None:
            chosen = tuple(normalize_ops(op) for op in sequence if not op.isspace())
            if len(chosen) != operands - 1:
                raise BracketError(f"sequence must have {operands - 1} operators, not {len(chosen)}")
            self.sequences: list[tuple[str, ...]] = [chosen]
        else:
            self.sequences = list(product(normalize_ops(ops), repeat=operands - 1))
        self.width = self.hi - self.lo + 1
        self.expressions = len(self.sequences) * self.width ** operands
        self.targets = self.target[1] - self.target[0] + 1
        if self.expressions * self.targets > MAX_ROWS:
            raise BracketError(f"this census has {self.expressions * self.targets:,} puzzles, past the cap of "
                               f"{MAX_ROWS:,}: narrow the numbers, the operators or the targets")

    def expression(self, i: int) -> Draw:
        """(numbers, operator sequence) of expression i."""
        per = self.width ** self.operands
        ops, rest = self.sequences[i // per], i % per
        numbers: list[Value] = []
        for _ in range(self.operands):
            rest, digit = divmod(rest, self.width)
            numbers.append(self.lo + digit)
        return numbers[::-1], ops

    def spec(self) -> dict[str, Any]:
        return {"operands": self.operands, "numbers": [self.lo, self.hi], "target": list(self.target),
                "sequences": ["".join(s) for s in self.sequences] if len(self.sequences) == 1 else None,
                "ops": "".join(sorted({op for s in self.sequences for op in s}, key="+-*/".index))}


Budget = dict[str, Any]     # a census's budget as its tasks see it, like {"timeout": 60, "started": 1.8e9, "deadline":
                            # 1.8e9 + 60 (time.time() seconds, the same on every worker), "max_memory": "4G", ...}


def budget_of(timeout: Optional[float] = None, max_memory: Memory = None,
              max_work: Optional[int] = None) -> Budget:
    """The budget of a census starting now: a deadline `timeout` seconds away, each puzzle's memory and work.
    Raises: `BracketError` for a malformed option (before any work)."""
    Limits(max_memory, max_work, timeout)
    now = time.time()
    return {"timeout": timeout, "started": now, "deadline": None if timeout is None else now + timeout,
            "max_memory": max_memory, "max_work": max_work}


def puzzle_limits(budget: Budget) -> Limits:
    """A fresh `Limits` for one solve of a census: its memory and work budgets, and the time left to its deadline
    (past it, the solve's first check raises `SolveTimeout`)."""
    deadline = budget.get("deadline")
    left = None if deadline is None else max(deadline - time.time(), 1e-6)
    return Limits(budget.get("max_memory"), budget.get("max_work"), left)


def past(budget: Budget) -> bool:
    """Whether the census's deadline has passed."""
    return budget.get("deadline") is not None and time.time() >= budget["deadline"]


def _options(family: Family) -> _Options:
    from .generate import _Options

    return _Options(family.operands, (max(0, family.lo), max(abs(family.lo), abs(family.hi))), "+", "solvable", 0,
                    "en", False, True, family.target, None, {})


def schema() -> Any:
    """The Arrow schema (a `pyarrow.Schema`) of a census row."""
    pa = formats.pyarrow()
    return pa.schema([("numbers", pa.list_(pa.int64())), ("ops", pa.string()), ("target", pa.int64()),
                      ("solutions", pa.int64()), ("classes", pa.int64()), ("min_depth", pa.int64()),
                      ("min_pairs", pa.int64()), ("effort", pa.int64()), ("values", pa.int64()),
                      ("undefined", pa.int64())])


def census_shard(directory: str, number: int, first: int, stop: int, spec: dict[str, Any]) -> dict[str, Any]:
    """One shard as a task: expressions first..stop-1, a row per (expression, target), and the shard's counts."""
    from .batch import draw_cost, offers

    started = time.process_time()
    spec = dict(spec)
    budget: Budget = spec.pop("budget", None) or {}
    family = Family(**spec)
    options = _options(family)
    pa = formats.pyarrow()
    shape = schema()
    counts: dict[str, Any] = {"puzzles": 0, "solvable": 0, "solutions": Counter(), "classes": Counter(),
                              "min_depth": Counter(), "effort": Counter(), "effort_sum": 0}
    name = f"part-{number:05d}.parquet"
    t_lo, t_hi = family.target
    most = _batch(puzzle_limits(budget), *draw_cost(family.operands))
    step = most if budget.get("deadline") is None else min(most, 16)
    at, timed_out = first, False
    with pa.parquet.ParquetWriter(os.path.join(directory, name), shape) as writer:
        while at < stop:
            if past(budget):
                timed_out = True
                break
            began = time.perf_counter()
            draws = [family.expression(i) for i in range(at, min(stop, at + step))]
            at += len(draws)
            rows: list[Row] = []
            for (numbers, ops), offer in zip(draws, offers(options, draws)):
                found = {c.value: c for c in offer.candidates}
                text = "".join(ops)
                for t in range(t_lo, t_hi + 1):
                    c = found.get(t)
                    if c is None:
                        rows.append((numbers, text, t, 0, 0, None, None, offer.states, offer.values,
                                     offer.undefined))
                    else:
                        rows.append((numbers, text, t, c.solutions, c.classes, c.min_depth, c.min_pairs, c.effort,
                                     offer.values, offer.undefined))
            for r in rows:
                counts["puzzles"] += 1
                counts["solvable"] += r[3] > 0
                counts["solutions"][r[3]] += 1
                counts["classes"][r[4]] += 1
                counts["min_depth"][r[5]] += 1
                counts["effort"][r[7]] += 1
                counts["effort_sum"] += r[7]
            columns: Sequence[Sequence[object]] = list(zip(*rows)) if rows else [[] for _ in shape.names]
            writer.write_table(pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, shape)],
                                                    schema=shape))
            if budget.get("deadline") is not None:
                took = max(time.perf_counter() - began, 1e-3)
                step = max(1, min(most, int(step * TIME_SLICE / took)))
    return {"file": name, "number": number, "start": first, "stop": stop, "counts": counts,
            "cpu_seconds": time.process_time() - started, "timed_out": timed_out}


def _batch(limits: Limits, each: int, pairs: int) -> int:
    """Expressions per kernel call within the budget of one puzzle: `each` bytes and `pairs` value pairs each.
    Raises `TooLargeError` when one expression is past it."""
    what = "one expression of the census"
    limits.spend(pairs, pairs, what)
    if not limits.fits(each):
        raise limits.memory_error(each, what)
    return BATCH if limits.fits(BATCH * each) else max(1, min(BATCH, limits.room() // each))


HISTOGRAMS = ("solutions", "classes", "min_depth", "effort")


def summarize(parts: list[dict[str, Any]], histograms: Sequence[str] = HISTOGRAMS) -> dict[str, Any]:
    """The shards' counts added up: exact distributions over the family (histograms as {value: puzzles}); the
    mean effort is over the puzzles whose search stayed under its cap ("effort_known" when a shard counts it)."""
    total = {"puzzles": 0, "solvable": 0, "effort_sum": 0}
    known = 0
    hist: dict[str, Counter[Optional[int]]] = {k: Counter() for k in histograms}
    for part in parts:
        c = part["counts"]
        for k in total:
            total[k] += c[k]
        known += c.get("effort_known", c["puzzles"])
        for k in hist:
            hist[k].update(c[k])
    puzzles = total["puzzles"]
    return {
        "puzzles": puzzles, "solvable": total["solvable"],
        "solvable_fraction": str(Fraction(total["solvable"], puzzles)) if puzzles else None,
        "mean_effort": str(Fraction(total["effort_sum"], known)) if known else None,
        **{k: {("none" if v is None else str(v)): n for v, n in sorted(h.items(), key=lambda kv: (kv[0] is None,
                                                                                              kv[0] or 0))}
           for k, h in hist.items()},
    }


def run_census(directory: str, *, operands: int, numbers: object, ops: str = "+-*/", sequence: Optional[str] = None,
               target: object = (0, 100), shards: int = 1, run: Run = sequential, scheduler: str = "none",
               timeout: Optional[float] = None, max_memory: Memory = None,
               max_work: Optional[int] = None) -> Manifest:
    """Census a family into a directory of Parquet shards (one row per puzzle) with a manifest whose
    "summary" holds the exact distributions; `run` as in datasets.write_dataset (Dask via distributed.py).
    `timeout`: seconds for the whole census, checked between kernel calls (each of at most about TIME_SLICE
    seconds); `max_memory`, `max_work`: the budget of each puzzle, as in `solve`.

    Returns: the manifest. Raises: `BracketError` for a bad family or one past MAX_ROWS puzzles,
    `TooLargeError` for puzzles past the memory or work budget, `SolveTimeout` past `timeout` (saying how many
    puzzles were done; the shards so far are left without a manifest).
    """
    family = Family(operands, numbers, ops, sequence, target)
    spec = {"operands": operands, "numbers": (family.lo, family.hi), "ops": ops, "sequence": sequence,
            "target": family.target}
    return run_shards(directory, census_shard, spec, family.expressions, shards, run, scheduler,
                      {"family": family.spec(), "expressions": family.expressions},
                      budget=budget_of(timeout, max_memory, max_work), rows=family.targets)


Shard = Callable[[str, int, int, int, dict[str, Any]], dict[str, Any]]   # (directory, number, first, stop, spec)


def run_shards(directory: str, task: Shard, spec: dict[str, Any], units: int, shards: int, run: Run,
               scheduler: str, head: dict[str, Any], histograms: Sequence[str] = HISTOGRAMS, *,
               budget: Optional[Budget] = None, rows: int = 1) -> Manifest:
    """Run `task` over units 0..units-1 split into shards (each writes its Parquet file and returns its counts),
    then write the manifest: `head` (the family), the summary, the timings and the shards. `budget` (from
    `budget_of`) goes to each task as spec["budget"]; a task past its deadline returns "timed_out", and then
    this raises `SolveTimeout` with the puzzles done (of `units` times `rows`)."""
    from .. import __version__

    formats.pyarrow()
    os.makedirs(directory, exist_ok=True)
    started = time.perf_counter()
    budget = budget or {}
    arguments = [(directory, number, first, stop, {**spec, "budget": budget})
                 for number, first, stop in plan(0, units, shards)]
    deadline = budget.get("deadline")
    found = run(task, arguments) if deadline is None else run(task, arguments, deadline=deadline)
    parts = [p for p in found if p is not None]
    if len(parts) < len(found) or any(p.get("timed_out") for p in parts):
        raise _late(budget, sum(p["counts"]["puzzles"] for p in parts), units * rows)
    parts.sort(key=lambda p: p["start"])
    manifest: Manifest = {
        "bracketsolve": __version__, "kind": "census", **head,
        "summary": summarize(parts, histograms), "scheduler": scheduler,
        "wall_seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(sum(p["cpu_seconds"] for p in parts), 3),
        "shards": [{"file": p["file"], "start": p["start"], "stop": p["stop"], "rows": p["counts"]["puzzles"]}
                   for p in parts],
    }
    formats.write_manifest(directory, manifest)
    return manifest


def _late(budget: Budget, done: int, total: int) -> SolveTimeout:
    """The error of a census past its deadline: how far it got, and a timeout that would do at that rate."""
    timeout, elapsed = budget["timeout"], time.time() - budget["started"]
    needed = elapsed * total / done if done else 4 * timeout
    return SolveTimeout(f"the census ran past the time limit of {timeout:g} s with {done:,} of {total:,} puzzles "
                        f"done (stopped after {elapsed:.1f} s)", limit="timeout", value=elapsed, budget=timeout,
                        unit="seconds", raise_to=_round_figure(max(needed, 2 * timeout)))


def read_census(directory: str) -> list[dict[str, Any]]:
    """The census rows in order, as dicts."""
    pa = formats.pyarrow()
    manifest = cast(Manifest, formats.read_manifest(directory))     # (a census directory has one)
    out: list[dict[str, Any]] = []
    for shard in manifest["shards"]:
        out.extend(pa.parquet.read_table(os.path.join(directory, shard["file"])).to_pylist())
    return out
