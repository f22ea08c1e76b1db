"""Start-up costs of the numba engine: the first compile of its kernels, and loading them from numba's cache.

    python -m benchmarks.startup [--repeat 3] [--kernels]

Each figure comes from a fresh Python process with an empty, temporary NUMBA_CACHE_DIR (first compile),
then a second fresh process with the same directory (cached load); the median of `--repeat` pairs is
printed, wall seconds and (robust on a shared machine: compiling is single-threaded) CPU seconds. Each
process first solves a typical target query (16 operands, one target, its first solution: what `solve`
compiles), then runs `fast.warmup()` (what else `solve` and `values` may need: the proofs' near kernels,
`order`). A third process only imports numba: the cached load is measured against it. By kernel group:
the compile CPU time of the kernels of each module of `kernels/` (inclusive of the helpers they compile).
`--kernels` also prints each numba function's compile CPU time in the first process (helpers compiled
once are charged to the first function that needs them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

QUERY = "8 - 2 + 2 + 3 * 9 + 5 * 7 * 1 - 5 + 1 / 6 - 3 - 5 / 8 - 1 * 7 = 1309/24"     # 16x1d of benchmarks.workloads

# The child: imports, solves the query in argv[1], then runs fast.warmup(), with each numba function's compile
# time (numba's "numba:compile" events) and each cache load timed.
CHILD = r"""
import json, resource, sys, time
c0 = time.process_time()
t0 = time.perf_counter()
import bracketsolve
t1 = time.perf_counter()
import numba
from numba.core import caching, event
t2 = time.perf_counter()
compiles, loads = [], []

class Listener(event.Listener):
    def __init__(self):
        self.stack = []
    def on_start(self, ev):
        self.stack.append(time.process_time())
    def on_end(self, ev):
        start = self.stack.pop()
        fn = ev.data["dispatcher"].py_func
        compiles.append((fn.__module__.rsplit(".", 1)[-1] + "." + fn.__qualname__, time.process_time() - start,
                         len(self.stack)))

def timed(load):
    def load_overload(self, sig, target_context):
        start = time.perf_counter()
        cres = load(self, sig, target_context)
        if cres is not None:
            fn = self._py_func
            loads.append((fn.__module__.rsplit(".", 1)[-1] + "." + fn.__qualname__, time.perf_counter() - start))
        return cres
    return load_overload

event.register("numba:compile", Listener())
caching.Cache.load_overload = timed(caching.Cache.load_overload)
from bracketsolve.engines import fast
t3 = time.perf_counter()
c3 = time.process_time()
assert bracketsolve.solve(sys.argv[1], backend="numba").first is not None
t4 = time.perf_counter()
c4 = time.process_time()
solved = len(compiles)
fast.warmup()
t5 = time.perf_counter()
c5 = time.process_time()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"import bracketsolve": t1 - t0, "import numba": t2 - t1, "import the engine": t3 - t2,
                  "solve": t4 - t3, "solve CPU": c4 - c3, "then warmup()": t5 - t4, "then warmup() CPU": c5 - c4,
                  "process CPU": usage.ru_utime + usage.ru_stime, "compiles": compiles, "solved": solved,
                  "loads": loads}))
"""
BARE = "import numba"


def child(cache_dir: str) -> dict:
    """One fresh process's figures (seconds) with numba's cache in `cache_dir`."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    env.pop("NUMBA_DISABLE_JIT", None)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, QUERY], env=env, capture_output=True, text=True,
                         check=True).stdout
    figures = json.loads(out.splitlines()[-1])
    figures["process"] = time.perf_counter() - start
    return figures


def bare_numba() -> float:
    """CPU seconds of a fresh process that only imports numba."""
    process = subprocess.Popen([sys.executable, "-c", BARE])
    _, status, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def groups(compiles: list, solved: int) -> dict:
    """Compile CPU seconds of the kernels (outermost functions) of each kernel module: (by solve, by warmup)."""
    out: dict = {}
    for at, (name, seconds, depth) in enumerate(compiles):
        if depth == 0:
            cell = out.setdefault(name.split(".")[0], [0.0, 0.0])
            cell[at >= solved] += seconds
    return out


def _nested(compiles: list) -> list:
    """Compile events (name, seconds, depth), which end innermost first, in calling order."""
    out, pending = [], []
    for name, seconds, depth in compiles:
        inner = [c for c in pending if c[2] > depth]
        pending = [c for c in pending if c[2] <= depth]
        out_item = [(name, seconds, depth)] + inner
        if depth == 0:
            out += out_item
        else:
            pending += out_item
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="pairs of processes (the median is printed)")
    parser.add_argument("--kernels", action="store_true", help="compile time of each numba function")
    args = parser.parse_args(argv)
    first, cached, bare = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache_dir:
            first.append(child(cache_dir))
            cached.append(child(cache_dir))
            bare.append(bare_numba())
    for runs in (first, cached):
        for r in runs:
            r["process CPU - import numba"] = r["process CPU"] - statistics.median(bare)
    print(f"median of {args.repeat} fresh processes, seconds | first compile | cached load")
    print("|---|---|---|")
    for key in ("process", "import bracketsolve", "import numba", "import the engine", "solve", "solve CPU",
                "then warmup()", "then warmup() CPU", "process CPU", "process CPU - import numba"):
        cells = [f"{statistics.median(r[key] for r in runs):.2f}" for runs in (first, cached)]
        print(f"| {key} | {cells[0]} | {cells[1]} |")
    print(f"| a process that only imports numba, CPU | {statistics.median(bare):.2f} | |")
    print()
    print("compile CPU seconds by kernel module (first process; median), solve | then warmup()")
    print("|---|---|---|")
    by = [groups(r["compiles"], r["solved"]) for r in first]
    for name in sorted({name for g in by for name in g}):
        cells = [f"{statistics.median(g.get(name, [0.0, 0.0])[k] for g in by):.2f}" for k in (0, 1)]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    if args.kernels:
        print()
        print("numba functions compiled in the first process (inclusive CPU seconds, nested under their caller,"
              " two levels):")
        for name, seconds, depth in _nested(first[0]["compiles"]):
            if depth < 2:
                print(f"  {'  ' * depth}{name}: {seconds:.2f}")
        print("loaded from the cache in the second process (seconds):")
        for name, seconds in cached[0]["loads"]:
            print(f"  {name}: {seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
