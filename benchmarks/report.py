"""Every benchmark of docs/performance.md in one run: each section's script, one after another, into one report.

    python -m benchmarks.report [--out report.md] [--write docs/performance.md] [--sections compare,bulk,...]

Each section is its own script (`benchmarks.compare --memory`, `.bulk`, `.values_speed`, `.startup`,
`.games_compare`, `.auto`) run as a child process, so one section's memory and compiled kernels never
carry into the next; the report heads each with its command, its wall time and the load average before
and after it (the machine's other work shows there). `--write` puts the report between the markers
`<!-- report:begin -->` and `<!-- report:end -->` of a page and leaves the rest of the page alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- report:begin -->", "<!-- report:end -->"
BDP = Path("/work/cpp/bdp") if Path("/work/cpp/bdp").exists() else None

# (name, title, module arguments): in the order the page reads them.
SECTIONS = {
    "compare": ("Target queries, zero-heavy puzzles, proofs of none, peak memory and scaling",
                ["benchmarks.compare", "--memory", "--repeat", "3", "--python-up-to", "12"]),
    "values": ("Whole value tables", ["benchmarks.values_speed", "--repeat", "3", "--threads", "1,2"]),
    "bulk": ("Small puzzles in bulk", ["benchmarks.bulk", "--cli", "--repeat", "5"]),
    "startup": ("Start-up: first compile and cached load", ["benchmarks.startup", "--repeat", "1", "--kernels"]),
    "games": ("Free-order games", ["benchmarks.games_compare", "--repeat", "3"]),
    "auto": ("What auto chooses (fresh processes, compiling included)",
             ["benchmarks.auto", "--sizes", "16", "--wild", "12", "--modes",
              "python,numba-fresh,auto-fresh", "--cap", "400"]),
}
DEFAULT = "compare,values,bulk,startup,games,auto"


def _git(*args: str) -> str:
    out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return out.stdout.strip()


def header() -> str:
    """Date, commit (and whether the tree differs from it), machine and versions."""
    import numba
    commit = _git("rev-parse", "--short", "HEAD") or "?"
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--untracked-files=no") else ""
    cxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return (f"One run of `python -m benchmarks.report`, {datetime.date.today().isoformat()}, commit "
            f"{commit}{dirty}. Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, numba {numba.__version__}, {cxx or 'no g++'}. Ratios are within "
            f"a section, measured interleaved; absolute seconds depend on the load shown with each section.")


def _load() -> str:
    return "{:.1f}".format(os.getloadavg()[0])


def run_section(name: str, timeout: float) -> str:
    """One section: its command's output as it printed it (markdown tables), under a heading."""
    title, argv = SECTIONS[name]
    if name == "values" and BDP is not None:
        argv = [*argv, "--bdp", str(BDP)]
    command = "python -m " + " ".join(argv)
    before, start = _load(), time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
        body, status = done.stdout.rstrip(), done.returncode
        if status:
            body += f"\n\n(exit {status}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''})"
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
        body = out.rstrip() + f"\n\n(stopped after {timeout:.0f} s)"
    seconds = time.perf_counter() - start
    return (f"### {title}\n\n`{command}`: {seconds:.0f} s, load average {before} before and {_load()} after.\n\n"
            f"{_plain(body)}\n")


def _plain(body: str) -> str:
    """The output as markdown: tables set off by blank lines, indented program output fenced as text."""
    out: list[str] = []
    fence = table = False
    lines = body.split("\n")
    for at, line in enumerate(lines):
        if "|" in line and not line.startswith("|") and lines[at + 1:at + 2] and lines[at + 1].startswith("|---"):
            line = f"| {line} |"                    # a header row printed without its outer pipes
        row = line.startswith("|")
        indented = not row and (line.startswith("  ") or "   " in line.strip())     # aligned columns too
        if fence and not indented:
            out.append("```")
            fence = False
        if row != table and line.strip() and out and out[-1].strip():
            out.append("")                          # a table starts or ends: a blank line around it
        table = row if line.strip() else False
        if indented and not fence:
            out.append("```text")
            fence = True
        out.append("\\" + line if line.startswith("#") else line)      # a comment line, not a heading
    if fence:
        out.append("```")
    return "\n".join(out)


def write_into(page: Path, report: str) -> None:
    """Replace what lies between the page's report markers with `report`."""
    text = page.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{page}: no {BEGIN} ... {END} markers to write between")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    page.write_text(f"{head}{BEGIN}\n{report}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=DEFAULT, help=f"comma-separated, of {','.join(SECTIONS)} "
                                                            f"(default {DEFAULT})")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--write", type=Path, metavar="PAGE", help="put the report between PAGE's markers")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a section may take")
    args = parser.parse_args(argv)
    names = [s for s in re.split(r"[,\s]+", args.sections) if s]
    unknown = [s for s in names if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}; the sections are {', '.join(SECTIONS)}")
    parts = [header()]
    for name in names:
        print(f"[{name}] ...", file=sys.stderr, flush=True)
        parts.append(run_section(name, args.timeout))
        print(parts[-1], flush=True)
    report = "\n\n".join(parts)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    if args.write:
        write_into(args.write, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
