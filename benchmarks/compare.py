"""Time the numba engine, the Python engine and the C++ baseline on the same workloads in one run; print ratios.

    python -m benchmarks.compare [--cpp ../shared/baselines/cpp] [--python-up-to 16] [--repeat 3]

The C++ baseline is built with its own build.sh into a temporary directory (never kept). Its figure is the
time it reports (parsing excluded); ours is measured in this process after a warm-up call, so compilation
is not counted. Peak memory comes from /usr/bin/time -v, each program run alone on one puzzle.
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
from pathlib import Path

from bracketsolve import parse, solve
from bracketsolve.engines.reference import PythonSide
from bracketsolve.engines.fast import NumbaSide, warmup

from .workloads import PYTHON_UP_TO, cpp_line, workloads

ROOT = Path(__file__).resolve().parent.parent
CPP_DEFAULT = ROOT.parent / "shared" / "baselines" / "cpp"
SMALL = "8 + 28 / 4 - 2 * 3 = 6"


def build_cpp(source: Path, where: Path) -> Path:
    """The baseline binary, built by its own script into `where`."""
    binary = where / "bdp"
    subprocess.run([str(source / "build.sh"), str(binary)], check=True, capture_output=True)
    return binary


def cpp_seconds(binary: Path, line: str) -> tuple:
    """(seconds the baseline reports, its output fields) for one puzzle."""
    out = subprocess.run([str(binary)], input=line + "\n", capture_output=True, text=True, check=True).stdout
    fields = out.split()
    return float(fields[4]), fields


def best(fn, repeat: int) -> float:
    """The fastest of `repeat` timed calls of `fn` (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def target_query(engine, expr, target):
    """What `solve` asks of an engine: the count of the target and the defined bracketings."""
    side = engine(expr)
    return side.count(target), side.defined()


def value_table(engine, expr):
    """What `values` asks of an engine: the whole root table."""
    return len(engine(expr).values_raw())


def python_engine(expr):
    return PythonSide(expr, max_work=10**10, max_entries=10**9)


def peak_kb(command: list, stdin: str = "") -> int:
    """Peak resident memory of a command, from /usr/bin/time -v (kilobytes)."""
    run = subprocess.run(["/usr/bin/time", "-v", *command], input=stdin, capture_output=True, text=True, check=True)
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))


def numba_peak_kb(text: str, target, mode: str) -> int:
    """Peak memory of a fresh process answering one puzzle with the numba engine."""
    call = "s.count(t), s.defined()" if mode == "target" else "len(s.values_raw())"
    code = (f"from fractions import Fraction; from bracketsolve import parse; from bracketsolve.engines.fast import NumbaSide; "
            f"s = NumbaSide(parse({text!r}).left); t = Fraction({str(target)!r}); {call}")
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


def first_solution_seconds(operands: int = 20) -> tuple:
    """(solutions, seconds to the first one) for "1 * 1 * ... * 1 = 1": Catalan(operands - 1) solutions."""
    text = " * ".join(["1"] * operands) + " = 1"
    start = time.perf_counter()
    result = solve(text, backend="numba")
    first = result.first
    seconds = time.perf_counter() - start
    assert first is not None and first.holds
    return result.count, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpp", type=Path, default=CPP_DEFAULT, help="directory of the C++ baseline")
    parser.add_argument("--python-up-to", type=int, default=PYTHON_UP_TO, help="largest puzzle the Python engine runs")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per figure (the fastest is kept)")
    parser.add_argument("--values-up-to", type=int, default=18, help="largest puzzle timed without a target")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory on the 18-operand puzzles")
    args = parser.parse_args(argv)

    warmup()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; fastest of {args.repeat} calls, seconds")
    print(f"startup: `bracketsolve \"{SMALL}\"` takes {startup_seconds():.2f} s wall (median of 5 processes)")
    count, seconds = first_solution_seconds()
    print(f"first solution: solve(\"1 * 1 * ... * 1 = 1\") (20 ones, {count:,} solutions) counts them and gives "
          f"the first in {seconds * 1000:.1f} ms")
    header = ("| workload | C++ | numba, target | C++ / numba | Python, target | Python / numba "
              "| numba, values | C++ / numba values |")
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    with tempfile.TemporaryDirectory() as where:
        binary = build_cpp(args.cpp, Path(where))
        for name, text, target in workloads():
            expr = parse(text).left
            line = cpp_line(text, target)
            cpp, numba_target, numba_values = [], [], []
            values_too = expr.size <= args.values_up_to
            for _ in range(args.repeat):            # interleaved, so that a busy moment hits all three alike
                if cpp and cpp[0] > 3:
                    break                           # one run of the slowest workloads is enough
                cpp.append(cpp_seconds(binary, line)[0])
                numba_target.append(best(lambda: target_query(NumbaSide, expr, target), 1))
                if values_too:
                    numba_values.append(best(lambda: value_table(NumbaSide, expr), 1))
            cpp, numba_target = min(cpp), min(numba_target)
            cells = [name, f"{cpp:.4f}", f"{numba_target:.4f}", f"{cpp / numba_target:.1f}x"]
            if expr.size <= args.python_up_to and "?" not in text:
                python_target = best(lambda: target_query(python_engine, expr, target), 1)
                cells += [f"{python_target:.3f}", f"{python_target / numba_target:.0f}x"]
            else:
                cells += ["-", "-"]
            if values_too:
                cells += [f"{min(numba_values):.4f}", f"{cpp / min(numba_values):.1f}x"]
            else:
                cells += ["-", "-"]
            print("| " + " | ".join(cells) + " |", flush=True)
        if args.memory:
            print()
            print("| workload | C++ peak | numba peak, target | ratio | numba peak, values | ratio |")
            print("|---|---|---|---|---|---|")
            for name, text, target in workloads():
                if parse(text).left.size < 18 and "?" not in text:
                    continue
                cpp_kb = peak_kb([str(binary)], cpp_line(text, target) + "\n")
                target_kb = numba_peak_kb(text, target, "target")
                values_kb = numba_peak_kb(text, target, "values")
                print(f"| {name} | {cpp_kb / 1024:.0f} MB | {target_kb / 1024:.0f} MB | {target_kb / cpp_kb:.2f}x "
                      f"| {values_kb / 1024:.0f} MB | {values_kb / cpp_kb:.2f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
