"""Time building whole value tables (what `values` asks) with the numba engine against the C++ plain DP `bdp`.

    python -m benchmarks.values_speed [--bdp /work/cpp/bdp] [--other PATH] [--repeat 3] [--only 18x2d,countdown-2016]
                                      [--threads 1,2]

One round per repeat, interleaved: bdp on each puzzle, then a fresh process of this tree's engine (and of the
tree at `--other`, e.g. an export of main, when given) timing each puzzle after a warm-up call (compilation
is not counted), once per thread count of `--threads` (this tree only; the order alternates between rounds).
Figures are CPU seconds and wall seconds (the machine is shared: wall time also measures the neighbours);
the printed ratios are bdp's over ours, medians over the rounds, and the load average is shown per round.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BDP_DEFAULT = Path("/work/cpp/bdp")

# The child: warm the engine up, then (CPU, wall) seconds of building each puzzle's whole root table, on each
# thread count (None: a tree whose engine has no threads option); a first build on several threads loads
# (or compiles) the parallel kernel.
CHILD = r"""
import json, sys, time
from bracketsolve import parse
from bracketsolve.engines.fast import NumbaSide, warmup
warmup()
threads = json.loads(sys.argv[2])
def side(expr, t):
    return NumbaSide(expr, max_work=10**12, max_entries=10**9, **({} if t is None else {"threads": t}))
if any(t and t > 1 for t in threads):             # load the parallel kernel: a small table made to use it
    import bracketsolve.engines.fast as fast
    pairs, fast.PARALLEL_PAIRS = fast.PARALLEL_PAIRS, 0
    side(parse("10 ? 9 ? 8 ? 7 ? 6 ? 5 = 0").left, max(threads)).values_raw()
    fast.PARALLEL_PAIRS = pairs
out = {}
for name, text in json.loads(sys.argv[1]):
    expr = parse(text + " = 0").left
    for t in threads:
        c, w = time.process_time(), time.perf_counter()
        size = len(side(expr, t).values_raw())
        out[f"{name}/{t}"] = (time.process_time() - c, time.perf_counter() - w, size)
print(json.dumps(out))
"""


def engine_round(tree: Path, puzzles: list, threads: list) -> dict:
    """{"name/threads": (cpu, wall, distinct values)} from a fresh process importing bracketsolve from `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("NUMBA_DISABLE_JIT", None)
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(puzzles), json.dumps(threads)], env=env,
                         cwd=str(tree), capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def bdp_round(bdp: Path, line: str) -> tuple:
    """(cpu, wall as reported, distinct values) of bdp on one puzzle line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    fields = subprocess.run([str(bdp)], input=line + "\n", capture_output=True, text=True, check=True).stdout.split()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, float(fields[4]), int(fields[0])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bdp", type=Path, default=BDP_DEFAULT, help="the C++ plain DP binary")
    parser.add_argument("--other", type=Path, help="another source tree to time in the same rounds (e.g. main)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (medians are printed)")
    parser.add_argument("--only", default="18x2d,countdown-2016", help="workload names, comma-separated")
    parser.add_argument("--threads", default="1", help="thread counts to time this tree's engine on, e.g. 1,2")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks.workloads import cpp_line, workloads
    wanted = args.only.split(",")
    chosen = [(name, text, target) for name, text, target in workloads() if name in wanted]
    puzzles = [(name, text) for name, text, _ in chosen]
    counts = [int(t) for t in args.threads.split(",")]
    trees = {f"this tree, {t} thread{'s' * (t > 1)}": (ROOT, t) for t in counts}
    trees |= {"other": (args.other.resolve(), None)} if args.other else {}
    runs: dict = {who: {name: [] for name in wanted} for who in ["bdp", *trees]}
    loads = []
    for round_ in range(args.repeat):
        loads.append(os.getloadavg()[0])
        for name, text, target in chosen:
            runs["bdp"][name].append(bdp_round(args.bdp, cpp_line(text, target)))
        order = counts if round_ % 2 == 0 else counts[::-1]
        for tree in dict.fromkeys(t for t, _ in trees.values()):
            mine = [n for n, (t, _) in trees.items() if t == tree]
            threads = order if tree == ROOT else [None]
            for key, figures in engine_round(tree, puzzles, threads).items():
                name, t = key.rsplit("/", 1)
                who = next(w for w in mine if str(trees[w][1]) == t)
                runs[who][name].append(tuple(figures))
    print(f"median of {args.repeat} interleaved rounds (load average at each: {', '.join(f'{x:.1f}' for x in loads)})")
    print("CPU seconds (wall) | bdp/ours ratio, CPU (wall)")
    print("| puzzle | values | " + " | ".join(runs) + " | " + " | ".join(f"bdp / {w}" for w in trees) + " |")
    print("|---" * (2 + len(runs) + len(trees)) + "|")
    for name in wanted:
        sizes = {r[2] for who in trees for r in runs[who][name]}     # bdp drops values past int64, we do not
        assert len(sizes) == 1, f"{name}: the engines disagree on the number of values: {sizes}"
        cells = [f"{statistics.median(r[0] for r in runs[w][name]):.2f} ({statistics.median(r[1] for r in runs[w][name]):.2f})"
                 for w in runs]
        ratios = [f"{statistics.median(b[0] / o[0] for b, o in zip(runs['bdp'][name], runs[w][name])):.2f} "
                  f"({statistics.median(b[1] / o[1] for b, o in zip(runs['bdp'][name], runs[w][name])):.2f})"
                  for w in trees]
        print(f"| {name} | {sizes.pop()} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
