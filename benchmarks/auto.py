"""What `backend="auto"` should choose in a fresh install: each engine timed in a fresh process, compiling included.

    python -m benchmarks.auto [--sizes 12,13,14,15,16,17,18] [--wild 6,7,8,9,10] [--repeat 1] [--cap 300]
                              [--modes python,numba-fresh,numba-warm,auto-fresh,auto-warm] [--out FILE]

Every run is a new interpreter that imports bracketsolve, solves one puzzle as the command line does (the
count, the first 20 solutions) and exits; its wall time is what a user waits. "fresh" runs get an empty
NUMBA_CACHE_DIR (numba compiles the kernels first: a fresh install), "warm" runs one a warm-up filled. Modes
run interleaved, puzzle by puzzle, so the machine's load hits them alike. The Python engine is stopped after
--cap seconds (shown as ">cap"). The last columns say what auto chose and how much slower it was than the
better engine of the same run. Re-run after the engines change, and re-derive `solve._numba_pays` from it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .workloads import chain, written_value

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, sys, time
start = time.perf_counter()
from bracketsolve import solve, TooLargeError
from itertools import islice
backend, text, target = sys.argv[1:4]
try:
    result = solve(text, target=target, backend=backend)
    count, listed = result.count, len(list(islice(result.solutions, 20)))
    print(json.dumps({"backend": result.backend, "count": count, "inside": time.perf_counter() - start}))
except TooLargeError as e:
    print(json.dumps({"backend": backend, "error": str(e)[:80], "inside": time.perf_counter() - start}))
"""
MODES = ("python", "numba-fresh", "numba-warm", "auto-fresh", "auto-warm")


def wild(n: int, seed: int) -> tuple:
    """A puzzle of `n` numbers in 1..20 with every slot `?`, and a reachable target (its value with random ops)."""
    import random

    rng = random.Random(seed)
    while True:
        numbers = [rng.randint(1, 20) for _ in range(n)]
        ops = [rng.choice("+-*/") for _ in range(n - 1)]
        written = " ".join([str(numbers[0])] + [f"{op} {x}" for op, x in zip(ops, numbers[1:])])
        try:
            target = written_value(written)
        except ZeroDivisionError:
            continue
        return " ? ".join(map(str, numbers)), target


def puzzles(sizes, wilds) -> list:
    """(name, text, target) of the fixed-seed chains (one- and two-digit) and `?` puzzles."""
    out = []
    for n in sizes:
        for digits in (1, 2):
            text = chain(n, digits, seed=1000 * n + digits)
            out.append((f"{n}x{digits}d", text, written_value(text)))
    for n in wilds:
        text, target = wild(n, seed=7000 + n)
        out.append((f"{n}?", text, target))
    return out


def run(mode: str, text: str, target, cache: str, cap: float) -> dict:
    """One fresh-process solve: its wall time and what it reported."""
    backend = mode.split("-")[0]
    env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, backend, text, str(target)], capture_output=True,
                              text=True, env=env, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "seconds": None, "backend": backend}
    seconds = time.perf_counter() - start
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        report = {"error": done.stderr.strip().splitlines()[-1:] or ["?"]}
    return {"mode": mode, "seconds": seconds, **report}


def stop_children(cache: str) -> None:
    """End the background compiles an auto run left (they carry its NUMBA_CACHE_DIR), so the next run is alone."""
    mark = f"NUMBA_CACHE_DIR={cache}".encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as stream:
                if mark in stream.read().split(b"\0"):
                    os.kill(int(pid), 9)
        except OSError:
            continue


def warm_cache() -> str:
    """A NUMBA_CACHE_DIR with the kernels compiled (one warm-up), kept for the run."""
    cache = tempfile.mkdtemp(prefix="bracketsolve-warm-")
    subprocess.run([sys.executable, "-c", "from bracketsolve.engines.fast import warmup; warmup()"], check=True,
                   env={**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)})
    return cache


def compile_seconds(repeat: int) -> list:
    """Seconds a fresh process takes to import and compile the kernels (warmup() into an empty cache)."""
    out = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bracketsolve-fresh-") as cache:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "from bracketsolve.engines.fast import warmup; warmup()"],
                           check=True, env={**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)})
            out.append(time.perf_counter() - start)
    return out


def shown(seconds, cap: float) -> str:
    return f">{cap:.0f}" if seconds is None else f"{seconds:.1f}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="12,13,14,15,16,17,18")
    p.add_argument("--wild", default="6,7,8,9,10")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--cap", type=float, default=300.0, help="seconds before a run is stopped")
    p.add_argument("--modes", default=",".join(MODES))
    p.add_argument("--out", help="also write every run as JSON lines to this file")
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    wilds = [int(x) for x in args.wild.split(",") if x]
    modes = args.modes.split(",")
    print(f"compile (fresh process, empty cache): {', '.join(f'{s:.1f} s' for s in compile_seconds(2))}",
          flush=True)
    warm = warm_cache()
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    print(f"{'puzzle':10} " + " ".join(f"{m:>12}" for m in modes) + "   auto-fresh chose / vs best   auto-warm",
          flush=True)
    for name, text, target in puzzles(sizes, wilds):
        for _ in range(args.repeat):
            row = {}
            for mode in modes:
                if mode.endswith("fresh"):
                    with tempfile.TemporaryDirectory(prefix="bracketsolve-fresh-") as cache:
                        row[mode] = run(mode, text, target, cache, args.cap)
                        stop_children(cache)
                else:
                    row[mode] = run(mode, text, target, warm, args.cap)
                if out:
                    out.write(json.dumps({"puzzle": name, "text": text, "target": str(target), **row[mode]}) + "\n")
                    out.flush()
            print(f"{name:10} " + " ".join(f"{shown(row[m]['seconds'], args.cap):>12}" for m in modes)
                  + "   " + _verdict(row, "fresh", args.cap) + "   " + _verdict(row, "warm", args.cap), flush=True)
    return 0


def _verdict(row: dict, kind: str, cap: float) -> str:
    """What auto chose and its time over the better engine's, for fresh or warm runs."""
    auto, numba, python = row.get(f"auto-{kind}"), row.get(f"numba-{kind}"), row.get("python")
    if not auto or not numba or not python:
        return ""
    times = [r["seconds"] if r["seconds"] is not None and "error" not in r else float("inf") for r in (python, numba)]
    best = min(times)
    took = auto["seconds"] if auto["seconds"] is not None else float("inf")
    return f"{auto.get('backend', '?'):>6} {took / best:5.2f}x" if best < float("inf") else f"{auto.get('backend')}"


if __name__ == "__main__":
    sys.exit(main())
