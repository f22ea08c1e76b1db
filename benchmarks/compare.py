"""Time both engines and the C++ baselines (`bdp`, `deep`) on the same workloads in one run; print ratios.

    python -m benchmarks.compare [--cpp ../shared/baselines/cpp | --no-cpp] [--repeat 5] [--memory | --proofs]

The C++ baselines are built with their own build.sh into a temporary directory (never kept); their figure
is the time they report (parsing excluded), `deep` at its best DEPTH (searched per puzzle). Ours is
measured in this process after a warm-up call, so compilation is not counted: a fresh engine per call,
the count, the defined count and the first solution; and the same through the API (`solve(...)` from the
text, then `.first`). Peak memory comes from /usr/bin/time -v, each
program run alone on one puzzle.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from itertools import islice
from pathlib import Path

from bracketsolve import parse, solve
from bracketsolve.engines.fast import NumbaSide, warmup
from bracketsolve.engines.reference import PythonSide

from .workloads import PYTHON_UP_TO, ZERO_HEAVY, chain, cpp_line, proofs_of_none, workloads, written_value

ROOT = Path(__file__).resolve().parent.parent
CPP_DEFAULT = ROOT.parent / "shared" / "baselines" / "cpp"
SMALL = "8 + 28 / 4 - 2 * 3 = 6"


def build_cpp(source: Path, where: Path) -> tuple:
    """The baseline binaries (bdp, deep), built by their own script into `where`."""
    bdp, deep = where / "bdp", where / "deep"
    subprocess.run([str(source / "build.sh"), str(bdp), str(deep)], check=True, capture_output=True)
    return bdp, deep


def cpp_seconds(command: list, line: str, timeout: float = 600) -> tuple:
    """(seconds the baseline reports, its output fields) for one puzzle; (inf, []) past `timeout`."""
    try:
        out = subprocess.run(command, input=line + "\n", capture_output=True, text=True, check=True,
                             timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return float("inf"), []
    fields = out.split()
    return float(fields[4]), fields


def deep_best(deep: Path, line: str, n: int) -> tuple:
    """(seconds, DEPTH) of `deep` at its best DEPTH: from n/2 down while it keeps getting faster."""
    best = (float("inf"), 0)
    for depth in range(n // 2, 0, -1):
        seconds = cpp_seconds([str(deep), str(depth)], line, timeout=max(10, min(4 * best[0], 600)))[0]
        best = min(best, (seconds, depth))
        if seconds > 2 * best[0]:
            break
    return best


def best(fn, repeat: int) -> float:
    """The fastest of `repeat` timed calls of `fn` (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def target_query(engine, expr, target):
    """What `solve` asks of an engine, and the first solution: count, defined count, first tree."""
    side = engine(expr)
    return side.count(target), side.defined(), next(side.trees(target), None)


def solve_first(text, target):
    """What a user of the API asks: `solve` (parsing, the count, the defined count) and the first solution."""
    result = solve(text, target=target, backend="numba")
    return result.count, result.first


def value_table(engine, expr):
    """What `values` asks of an engine: the whole root table."""
    return len(engine(expr).values_raw())


def python_engine(expr):
    return PythonSide(expr, max_work=10**10, max_entries=10**9)


def peak_kb(command: list, stdin: str = "") -> int:
    """Peak resident memory of a command, from /usr/bin/time -v (kilobytes)."""
    run = subprocess.run(["/usr/bin/time", "-v", *command], input=stdin, capture_output=True, text=True, check=True)
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))


def numba_peak_kb(text: str, target) -> int:
    """Peak memory of a fresh process answering one puzzle (count, defined, first solution) with numba."""
    code = (f"from fractions import Fraction; from bracketsolve import parse; "
            f"from bracketsolve.engines.fast import NumbaSide; s = NumbaSide(parse({text!r}).left); "
            f"t = Fraction({str(target)!r}); s.count(t), s.defined(), next(s.trees(t), None)")
    return peak_kb([sys.executable, "-c", code])


def startup_seconds(runs: int = 5) -> float:
    """Median wall time of a whole `bracketsolve "8 + 28 / 4 - 2 * 3 = 6"` process."""
    exe = Path(sys.executable).with_name("bracketsolve")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "bracketsolve"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*command, SMALL], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def table(header: list) -> None:
    print("| " + " | ".join(header) + " |")
    print("|---" * len(header) + "|")


def row(cells: list) -> None:
    print("| " + " | ".join(cells) + " |", flush=True)


LIMIT = [30.0]                 # --cpp-timeout: what an infinite (timed out) figure stands for


def seconds(x: float) -> str:
    return "-" if x is None else (f"> {LIMIT[0]:.0f}" if x == float("inf") else f"{x:.4f}")


def ratio(a, b) -> str:
    if a is None or b is None:
        return "-"
    return f"> {LIMIT[0] / b:.0f}x" if a == float("inf") else f"{a / b:.1f}x"


def targets(args, bdp, deep) -> None:
    """Target queries: bdp, deep at its best DEPTH, the numba engine (with the first solution) and `solve(...)`
    with its first solution through the API, Python."""
    table(["workload", "bdp", "deep (DEPTH)", "numba", "solve() + first", "tables to", "bdp / numba", "deep / numba",
           "deep / solve()", "Python", "Python / numba"])
    for name, text, target in workloads():
        expr = parse(text).left
        line = cpp_line(text, target)
        cb = cpp_seconds([str(bdp)], line, args.cpp_timeout)[0] if bdp else None
        cd, depth = deep_best(deep, line, expr.size) if deep else (None, 0)
        ours, api, cds = [], [], []
        solve_first(text, target)
        for _ in range(args.repeat):            # interleaved, so that a busy moment hits all alike
            ours.append(best(lambda: target_query(NumbaSide, expr, target), 1))
            api.append(best(lambda: solve_first(text, target), 1))
            if deep:
                cds.append(cpp_seconds([str(deep), str(depth)], line)[0])
        numba, through = min(ours), min(api)
        cd = min(cds + [cd]) if deep else None
        python = None
        if expr.size <= args.python_up_to:
            python = best(lambda: target_query(python_engine, expr, target), 1)
        row([name, seconds(cb), f"{seconds(cd)} ({depth})" if deep else "-", seconds(numba), seconds(through),
             str(NumbaSide(expr).built), ratio(cb, numba), ratio(cd, numba), ratio(cd, through), seconds(python),
             ratio(python, numba)])


def zero_heavy(repeat: int = 3) -> None:
    """Zero-heavy puzzles: the count, and the first solution, in both engines (after an untimed call that
    loads the walk's kernels; the fastest of `repeat` calls each)."""
    table(["puzzle", "solutions", "engine", "count", "first solution", "next 1000"])
    for text, target in ZERO_HEAVY:
        for backend in ("numba", "python"):
            times = []
            for _ in range(repeat + 1):
                start = time.perf_counter()
                result = solve(f"{text} = {target}", backend=backend)
                counted = time.perf_counter()
                result.first
                first = time.perf_counter()
                list(islice(result.solutions, 1000))
                rest = time.perf_counter()
                times.append((counted - start, first - counted, rest - first))
            count, first_one, more = (min(column) for column in zip(*times[1:]))
            row([f"`{text} = {target}`", f"{result.count:,}", backend, seconds(count), seconds(first_one),
                 seconds(more)])


def proof(text: str, target, backend: str, before: bool) -> tuple:
    """(count, summary + nearest(3)) seconds of one fresh solve; `before`: with the whole side's table built
    first, as the summary did before near questions (its selection in the table is today's path then)."""
    start = time.perf_counter()
    result = solve(text, target=target, backend=backend)
    assert not result.solvable
    counted = time.perf_counter()
    if before:
        result._engines[0].values_raw()
    result.summary()
    result.nearest(3)
    return counted - start, time.perf_counter() - counted


def proofs(repeat: int = 3) -> None:
    """Unsolvable puzzles: the count, then the summary (the proof) and nearest(3) by near questions ("after")
    and with the whole side's table ("before"), interleaved, fastest of `repeat`."""
    table(["puzzle", "engine", "count", "summary + nearest(3)", "/ count", "with the whole table (before)",
           "before / after"])
    for name, text, target in proofs_of_none():
        for backend in ("numba", "python"):
            size = parse(text).left.size
            if backend == "python" and size > PYTHON_UP_TO:
                continue
            old = backend == "numba" or size <= 8           # the Python engine's whole tables: 40 s and more
            runs = [(proof(text, target, backend, False), proof(text, target, backend, True) if old else (0, None))
                    for _ in range(repeat)]
            count = min(a[0] for a, _ in runs)
            after, before = min(a[1] for a, _ in runs), min(b[1] for _, b in runs) if old else None
            row([name, backend, seconds(count), seconds(after), ratio(after, count), seconds(before),
                 ratio(before, after)])


def proofs_cpu(rounds: int = 25) -> None:
    """The proofs of none as CPU seconds, medians of `rounds` fresh solves (3 with the Python engine): steadier
    than wall seconds on a loaded machine (the kernels run on one thread)."""
    table(["puzzle", "engine", "count CPU s", "summary + nearest(3) CPU s", "/ count"])
    for name, text, target in proofs_of_none():
        for backend in ("numba", "python"):
            if backend == "python" and parse(text).left.size > PYTHON_UP_TO:
                continue
            counts, proved = [], []
            for _ in range(rounds if backend == "numba" else 3):
                start = time.process_time()
                result = solve(text, target=target, backend=backend)
                counted = time.process_time()
                result.summary()
                result.nearest(3)
                counts.append(counted - start)
                proved.append(time.process_time() - counted)
            count, proof_ = statistics.median(counts), statistics.median(proved)
            row([name, backend, seconds(count), seconds(proof_), ratio(proof_, count)])


def listing_seconds(text: str, before: bool) -> tuple:
    """(CPU seconds, lines) of `--values`' lines after the root table is built: `before`, as the CLI printed them
    before (values(), a Fraction per value, format_value), else from the engine's integers (engines/listing.py)."""
    from bracketsolve.cli.common import rational
    from bracketsolve.engines.listing import listing

    side = NumbaSide(parse(text).left)
    side.values_raw()
    start = time.process_time()
    if before:
        table = side.values()
        texts, counts = [rational(v) for v in table], list(table.values())
    else:
        texts, counts = listing(side)
    width = max(map(len, texts), default=0)
    lines = [f"{v:>{width}}  {c:,}" for v, c in zip(texts, counts)]
    return time.process_time() - start, lines


def listings(repeat: int = 3) -> None:
    """`--values` lines of `?` chains, before (a Fraction per value) and after (from the integers), CPU seconds,
    interleaved, fastest of `repeat`; the lines are compared."""
    table(["expression", "values", "before (Fractions) CPU s", "after (integers) CPU s", "before / after"])
    for text in ("8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1", "9 ? 8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1"):
        runs = [(listing_seconds(text, True), listing_seconds(text, False)) for _ in range(repeat)]
        assert all(b[1] == a[1] for b, a in runs)
        before, after = min(b[0] for b, _ in runs), min(a[0] for _, a in runs)
        row([f"`{text}`", f"{len(runs[0][1][1]):,}", seconds(before), seconds(after), ratio(before, after)])


def scaling(args, bdp, deep) -> None:
    """Time and peak memory against the operand count (single-digit chains), each program alone."""
    table(["operands", "numba s", "numba MB", "deep s", "deep MB", "bdp s", "bdp MB"])
    for n in range(12, 25, 2):
        text = chain(n, 1, seed=1000 * n + 1)
        target = written_value(text)
        expr = parse(text).left
        line = cpp_line(text, target)
        numba = best(lambda: target_query(NumbaSide, expr, target), args.repeat)
        cells = [str(n), seconds(numba), f"{numba_peak_kb(text, target) / 1024:.0f}"]
        if deep:
            cd, depth = deep_best(deep, line, n)
            cells += [f"{seconds(cd)} ({depth})", f"{peak_kb([str(deep), str(depth)], line + chr(10)) / 1024:.0f}"]
        else:
            cells += ["-", "-"]
        cb = cpp_seconds([str(bdp)], line, args.cpp_timeout)[0] if bdp else None
        if bdp and cb != float("inf"):
            cells += [seconds(cb), f"{peak_kb([str(bdp)], line + chr(10)) / 1024:.0f}"]
        else:
            cells += [seconds(cb), "-"]
        row(cells)


def memory(bdp, deep) -> None:
    """Peak memory on the big workloads: numba (count and first solution) against deep at its best DEPTH; also
    what the puzzle's work adds to the floor (the same process on the seed puzzle: interpreter, numpy, numba and
    the loaded kernels), against deep's whole peak."""
    table(["workload", "numba peak", "numba above the floor", "deep peak (DEPTH)", "numba / deep",
           "above the floor / deep"])
    floor = numba_peak_kb(SMALL.split("=")[0], Fraction(SMALL.split("=")[1]))
    for name, text, target in workloads():
        expr = parse(text).left
        if expr.size < 16:
            continue
        line = cpp_line(text, target) + "\n"
        ours = numba_peak_kb(text, target)
        above = max(ours - floor, 0)
        if deep:
            depth = deep_best(deep, line.strip(), expr.size)[1]
            theirs = peak_kb([str(deep), str(depth)], line)
            row([name, f"{ours / 1024:.0f} MB", f"{above / 1024:.1f} MB", f"{theirs / 1024:.0f} MB ({depth})",
                 f"{ours / theirs:.2f}x", f"{above / theirs:.2f}x"])
        else:
            row([name, f"{ours / 1024:.0f} MB", f"{above / 1024:.1f} MB", "-", "-", "-"])
    print(f"\nThe floor (a fresh process answering `{SMALL}` with numba): {floor / 1024:.0f} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpp", type=Path, default=CPP_DEFAULT, help="directory of the C++ baselines")
    parser.add_argument("--no-cpp", action="store_true", help="run without the C++ baselines (no ../shared)")
    parser.add_argument("--cpp-timeout", type=float, default=30, help="seconds bdp may take on one puzzle")
    parser.add_argument("--python-up-to", type=int, default=PYTHON_UP_TO, help="largest puzzle the Python engine runs")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per figure (the fastest is kept)")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory and the scaling table")
    parser.add_argument("--proofs", action="store_true", help="only the proofs of none (summary and nearest)")
    args = parser.parse_args(argv)
    LIMIT[0] = args.cpp_timeout

    warmup()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, commit {commit or '?'}; fastest of {args.repeat} calls, seconds")
    print(f"startup: `bracketsolve \"{SMALL}\"` takes {startup_seconds():.2f} s wall (median of 5 processes)")
    if args.proofs:
        print("\nProofs of none:\n")
        proofs(args.repeat)
        print("\nProofs of none, CPU seconds (medians):\n")
        proofs_cpu()
        print("\n--values lines after the root table:\n")
        listings(args.repeat)
        return 0
    with tempfile.TemporaryDirectory() as where:
        bdp = deep = None
        if not args.no_cpp:
            bdp, deep = build_cpp(args.cpp, Path(where))
        print("\nTarget queries (count, defined count and first solution):\n")
        targets(args, bdp, deep)
        print("\nZero-heavy puzzles:\n")
        zero_heavy()
        print("\nProofs of none:\n")
        proofs(args.repeat)
        if args.memory:
            print("\nPeak memory:\n")
            memory(bdp, deep)
            print("\nScaling (single-digit chains, target queries):\n")
            scaling(args, bdp, deep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
