"""Small puzzles in bulk: CPU seconds of `solve_many` against the C++ baseline `bdp` on the same lines, one run.

    python -m benchmarks.bulk [--count 10000] [--operands 6] [--repeat 5] [--bdp PATH] [--cli] [--write FILE]

Both answer the same 10,000 random six-operand lines (targets as written, so each has a solution):
`bdp` counts the bracketings equal to each target; `solve_many` counts them, works out the undefined
ones and renders the first solution of each. CPU time (user + system) of the whole `bdp` process,
start-up included, against the CPU time of the `solve_many` call after a warm-up call has loaded the
kernels; interleaved, the fastest of `--repeat` kept. The counts are compared line by line.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bracketsolve import solve
from bracketsolve.engines import bulk as bulk_engine
from bracketsolve.solver.many import solve_many

from .compare import CPP_DEFAULT, build_cpp
from .workloads import small_lines


def bdp_seconds(binary: Path, path: Path) -> tuple:
    """(CPU seconds of one `bdp` process over the file, its counts per line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(path) as stdin:
        out = subprocess.run([str(binary)], stdin=stdin, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, [int(line.split()[2]) for line in out.splitlines()]


def bulk_seconds(lines: list) -> tuple:
    """(CPU seconds of solve_many over the lines with every first solution rendered, the rows)."""
    start = time.process_time()
    rows = list(solve_many(lines))
    firsts = [row.first for row in rows]
    seconds = time.process_time() - start
    assert all(firsts)
    return seconds, rows


def loop_seconds(lines: list) -> float:
    """CPU seconds of a loop over solve() doing the same (count, undefined, first solution rendered)."""
    start = time.process_time()
    for line in lines:
        result = solve(line)
        str(result.first), result.undefined
    return time.process_time() - start


def cli_seconds(path: Path) -> float:
    """CPU seconds of a whole `bracketsolve --file` process (start-up, numba's loading and the JSON included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "bracketsolve", "--file", str(path)], capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="puzzles (default 10,000)")
    parser.add_argument("--operands", type=int, default=6, help="numbers per puzzle (default 6)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds; the fastest is kept")
    parser.add_argument("--cpp", type=Path, default=CPP_DEFAULT, help="directory of the C++ baseline")
    parser.add_argument("--bdp", type=Path, help="a prebuilt bdp binary instead of building one")
    parser.add_argument("--cli", action="store_true", help="also time `bracketsolve --file` as a whole process")
    parser.add_argument("--write", type=Path, metavar="FILE", help="only write the puzzles to FILE, one a line")
    args = parser.parse_args(argv)

    lines = small_lines(args.count, args.operands)
    if args.write:
        args.write.write_text("\n".join(lines) + "\n")
        return 0
    bulk_engine.warmup()                            # compile (or load) the kernels: auto's solve_many would
    list(solve_many(lines[:10]))                    # take the per-puzzle path until they are compiled
    with tempfile.TemporaryDirectory() as where:
        path = Path(where) / "puzzles.txt"
        path.write_text("\n".join(lines) + "\n")
        binary = args.bdp or build_cpp(args.cpp, Path(where))[0]
        cpp, bulk = [], []
        for _ in range(args.repeat):
            seconds, counts = bdp_seconds(binary, path)
            cpp.append(seconds)
            seconds, rows = bulk_seconds(lines)
            bulk.append(seconds)
        assert counts == [row.count for row in rows], "bdp and solve_many disagree"
        assert all(row.backend == "bulk" for row in rows), "solve_many did not take the batch path"
        sample = lines[:max(1, args.count // 10)]
        loop = loop_seconds(sample) * len(lines) / len(sample)
        cpp, bulk = min(cpp), min(bulk)
        print(f"{args.count:,} random {args.operands}-operand puzzles, CPU seconds (fastest of {args.repeat}, "
              "interleaved):")
        print("| bdp (C++) | solve_many | solve_many / bdp | puzzles a second | solve() loop | loop / solve_many |")
        print("|---|---|---|---|---|---|")
        print(f"| {cpp:.3f} | {bulk:.3f} | {bulk / cpp:.2f}x | {args.count / bulk:,.0f} | {loop:.2f} "
              f"| {loop / bulk:.0f}x |")
        if args.cli:
            print(f"`bracketsolve --file` (whole process, JSON per line): {cli_seconds(path):.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
