"""Start-up costs of the numba engine: the first compile of its kernels, and loading them from numba's cache.

    python -m benchmarks.startup [--repeat 3] [--kernels]

Each figure comes from a fresh Python process with an empty, temporary NUMBA_CACHE_DIR (first compile),
then a second fresh process with the same directory (cached load); the median of `--repeat` pairs is
printed, wall seconds and (robust on a shared machine: compiling is single-threaded) CPU seconds. `--kernels` also prints the compile CPU time of each numba function in the first process (inclusive
of the helpers it compiles; helpers compiled once are charged to the first function that needs them).
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

# The child: imports, then fast.warmup() (every kernel `solve` and `values` need), with each numba function's
# compile time (numba's "numba:compile" events) and each cache load timed.
CHILD = r"""
import json, sys, time
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
        compiles.append((ev.data["dispatcher"].py_func.__qualname__, time.process_time() - start, len(self.stack)))

def timed(load):
    def load_overload(self, sig, target_context):
        start = time.perf_counter()
        cres = load(self, sig, target_context)
        if cres is not None:
            loads.append((self._name, time.perf_counter() - start))
        return cres
    return load_overload

event.register("numba:compile", Listener())
caching.Cache.load_overload = timed(caching.Cache.load_overload)
from bracketsolve.engines import fast
t3 = time.perf_counter()
c3 = time.process_time()
fast.warmup()
t4 = time.perf_counter()
c4 = time.process_time()
print(json.dumps({"import bracketsolve": t1 - t0, "import numba": t2 - t1, "import the engine": t3 - t2,
                  "warmup()": t4 - t3, "warmup() CPU": c4 - c3, "all CPU": c4 - c0,
                  "compiles": compiles, "loads": loads}))
"""


def child(cache_dir: str) -> dict:
    """One fresh process's figures (seconds) with numba's cache in `cache_dir`."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    env.pop("NUMBA_DISABLE_JIT", None)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.splitlines()[-1])
    figures["process"] = time.perf_counter() - start
    return figures


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
    first, cached = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache_dir:
            first.append(child(cache_dir))
            cached.append(child(cache_dir))
    print(f"median of {args.repeat} fresh processes, seconds | first compile | cached load")
    print("|---|---|---|")
    for key in ("process", "import bracketsolve", "import numba", "import the engine", "warmup()", "warmup() CPU",
                "all CPU"):
        cells = [f"{statistics.median(r[key] for r in runs):.2f}" for runs in (first, cached)]
        print(f"| {key} | {cells[0]} | {cells[1]} |")
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
