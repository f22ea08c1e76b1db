"""A solve's budget: the memory its tables may hold, the value pairs it may combine, a deadline, and progress.

Engines take a `Limits` as `limits=` and call `reserve(nbytes, what)` before allocating, `release(nbytes)` after
freeing, `check()` between intervals (the deadline) and `progress(done, total, what)`; past a budget they raise
`TooLargeError`, past the deadline `SolveTimeout`. `budget(...)` sets defaults for every solve inside a `with`.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, TextIO, Union

from ..errors import BracketError, SolveTimeout, TooLargeError

SHARED_SHARE = 0.5      # of MemAvailable, and of a cgroup's free room: other processes need the rest (measured)
OWN_SHARE = 0.8         # of the address space left under `ulimit -v` / `prlimit --as`: this process's alone
FLOOR = 64 << 20        # reservations up to this never read /proc: small puzzles pay nothing for the budget
REPORT_EVERY = 0.2      # seconds between progress reports, at most
SHOW_AFTER = 1.0        # the progress line appears once a solve has run this long
COMPILE_NOTE = "compiling the fast engine, once, about 20 s; `bracketsolve warmup` does it ahead"

_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
_UNLIMITED = 1 << 60    # cgroup v1 writes "no limit" as 9223372036854771712


def parse_size(size: Union[int, str], name: str = "max_memory") -> int:
    """Bytes from an int or a size such as "4G", "500M", "1.5g", "64KiB" (binary units: 1G = 2**30 bytes).

    >>> parse_size("4G"), parse_size("500M"), parse_size(1024), parse_size("1.5k")
    (4294967296, 524288000, 1024, 1536)
    """
    if isinstance(size, bool) or not isinstance(size, (int, str)):
        raise BracketError(f"{name} must be a size such as \"4G\" or a number of bytes, not {size!r}")
    if isinstance(size, int):
        value = size
    else:
        match = _SIZE.fullmatch(size)
        if not match:
            raise BracketError(f"{name} must be a size such as 4G, 500M or a number of bytes, not {size!r}")
        value = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if value <= 0:
        raise BracketError(f"{name} must be more than 0 bytes, not {size!r}")
    return value


def format_size(nbytes: int) -> str:
    """A size as "4.0G", "512M", "37K" (the units parse_size reads)."""
    for unit in "TGMK":
        scale = _UNITS[unit.lower()]
        if nbytes >= scale:
            figure = nbytes / scale
            return f"{figure:.1f}{unit}" if figure < 100 else f"{figure:.0f}{unit}"
    return f"{nbytes}B"


def _rounded_up(nbytes: int) -> str:
    """A size at least `nbytes`, in whole G (or M below 1G): what to suggest raising a budget to."""
    if nbytes >= 1 << 30:
        return f"{math.ceil(nbytes / (1 << 30))}G"
    return f"{max(1, math.ceil(nbytes / (1 << 20)))}M"


def _round_figure(n: float) -> int:
    """`n` rounded up to one significant digit: 35_112_000 -> 40_000_000."""
    whole = max(1, math.ceil(n))
    scale: int = 10 ** (len(str(whole)) - 1)
    return -(-whole // scale) * scale


# --- what the machine has ------------------------------------------------------------------------------------

def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="ascii") as stream:
            return stream.read()
    except (OSError, ValueError):
        return None


def _meminfo(field: str) -> Optional[int]:
    text = _read("/proc/meminfo") or ""
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else None


def _cgroup_room() -> Optional[int]:
    """Bytes the memory cgroup (v2 memory.max, v1 memory.limit_in_bytes) still allows, when one is set."""
    rooms = []
    for line in (_read("/proc/self/cgroup") or "").splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers == "":                                   # v2: 0::/path
            base, limit, usage = "/sys/fs/cgroup", "memory.max", "memory.current"
        elif "memory" in controllers.split(","):                # v1: N:memory:/path
            base, limit, usage = "/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"
        else:
            continue
        parts = [p for p in path.split("/") if p]
        for depth in range(len(parts), -1, -1):                 # the group, its parents, the mount's root
            where = os.path.join(base, *parts[:depth])
            cap, used = _read(os.path.join(where, limit)), _read(os.path.join(where, usage))
            if cap is None or used is None:
                continue
            cap = cap.strip()
            if cap != "max" and cap.isdigit() and int(cap) < _UNLIMITED and used.strip().isdigit():
                rooms.append(max(0, int(cap) - int(used.strip())))
    return min(rooms) if rooms else None


def _address_space_room() -> Optional[int]:
    """Bytes of address space left under RLIMIT_AS (`ulimit -v`, `prlimit --as`), when one is set."""
    try:
        import resource
    except ImportError:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    statm = (_read("/proc/self/statm") or "0").split()
    size = int(statm[0]) * os.sysconf("SC_PAGE_SIZE") if statm and statm[0].isdigit() else 0
    return max(0, soft - size)


_READ: list[Any] = [0.0, None]      # when system_memory() last read the system, and what it found (a tuple)


def system_memory() -> tuple[int, str]:
    """(bytes a solve may use by default, how that was decided): the least of SHARED_SHARE of MemAvailable,
    SHARED_SHARE of the memory cgroup's free room and OWN_SHARE of the address space left (where each is known).
    Read at most every REPORT_EVERY seconds (reading takes about 0.2 ms).
    """
    now = time.monotonic()
    if _READ[1] is None or now - _READ[0] > REPORT_EVERY:
        _READ[:] = now, _system_memory()
    found: tuple[int, str] = _READ[1]
    return found


def _system_memory() -> tuple[int, str]:
    choices: list[tuple[int, str]] = []
    available = _meminfo("MemAvailable")
    if available is not None:
        choices.append((int(SHARED_SHARE * available), f"half of the {format_size(available)} available"))
    room = _cgroup_room()
    if room is not None:
        choices.append((int(SHARED_SHARE * room), f"half of the {format_size(room)} the memory cgroup has left"))
    space = _address_space_room()
    if space is not None:
        choices.append((int(OWN_SHARE * space), f"80% of the {format_size(space)} of address space left"))
    if not choices:
        return 4 << 30, "a fixed 4.0G: this system says nothing about its memory"
    return min(choices)


Memory = Union[int, str, None]      # a memory budget: bytes, or a size like "4G"; None: the default
Also = tuple[tuple[str, str], ...]  # other ways past a budget, (python, cli) phrases: (("use backend='numba'", ...),)


# --- progress ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    """One progress report: `done` of `total` `unit`s of `what` ("tables": intervals; total 0: not known),
    `work` value pairs so far, `elapsed` seconds; a `note` (such as COMPILE_NOTE) comes alone; `final` ends the reports."""

    what: str = ""
    done: int = 0
    total: int = 0
    unit: str = ""
    work: int = 0
    elapsed: float = 0.0
    note: str = ""
    final: bool = False


class StderrProgress:
    """Progress as one line on standard error, rewritten in place, from SHOW_AFTER seconds on; notes on their own."""

    def __init__(self, stream: Optional[TextIO] = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = 0

    def __call__(self, report: Progress) -> None:
        if report.note:
            self._clear()
            self._write(f"bracketsolve: {report.note}\n")
        elif report.final:
            self._clear()
        elif report.elapsed >= SHOW_AFTER:
            done = f"{report.done:,}/{report.total:,}" if report.total else f"{report.done:,}"
            line = f"bracketsolve: {report.what} {done} {report.unit}"
            if report.work:
                line += f", {report.work:,} value pairs"
            line += f", {report.elapsed:.0f} s"
            self._write("\r" + line.ljust(self.width))
            self.width = len(line)

    def _clear(self) -> None:
        if self.width:
            self._write("\r" + " " * self.width + "\r")
            self.width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):       # a closed terminal must not end the solve
            pass


ProgressLike = Union[bool, Callable[[Progress], object], None]  # False, True (a line on stderr), or a callable


class Handover(Exception):
    """Raised by a watched engine when another engine should take over (control flow for "auto", not an error)."""


# --- the budget -----------------------------------------------------------------------------------------------

class Limits:
    """The budget of one solve: memory (bytes), work (value pairs), a deadline, and where progress goes.

    Takes: `max_memory` (bytes or "4G"; default: `system_memory()`, read only once more than FLOOR is
    reserved), `max_work` (value pairs over all tables; default: each engine's own cap), `timeout` (seconds,
    counted from now), `progress` (False, True for a line on stderr, or a callable taking `Progress`).
    Raises: `BracketError` for a malformed option.

    >>> limits = Limits(max_memory="1M")
    >>> limits.reserve(600_000, "a table")
    >>> limits.reserve(600_000, "another table")
    Traceback (most recent call last):
    ...
    bracketsolve.errors.TooLargeError: another table would need 1.1M of memory or more, past the memory budget of 1.0M; raise it with max_memory="3M"
    """

    def __init__(self, max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
                 progress: ProgressLike = False) -> None:
        self.max_memory = None if max_memory is None else parse_size(max_memory)
        if max_work is not None and (isinstance(max_work, bool) or not isinstance(max_work, int) or max_work <= 0):
            raise BracketError(f"max_work must be a positive int (value pairs), not {max_work!r}")
        self.max_work = max_work
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not timeout > 0 or math.isinf(timeout)):
            raise BracketError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.timeout = timeout
        self.started = time.monotonic()
        self.deadline = None if timeout is None else self.started + timeout
        if progress is True:
            progress = StderrProgress()
        elif progress is not False and progress is not None and not callable(progress):
            raise BracketError(f"progress must be True, False or a callable taking a Progress, not {progress!r}")
        self.report: Optional[Callable[[Progress], object]] = progress or None
        self.reserved = 0           # bytes held now, as the engines account them
        self.peak = 0               # the most ever held
        self.work = 0               # value pairs combined so far
        self._budget = self.max_memory
        self._source = "" if self.max_memory is None else "max_memory"
        self._reported = 0.0

    # memory

    @property
    def budget(self) -> int:
        """The memory budget in bytes (the system default is read on first use)."""
        if self._budget is None:
            self._budget, self._source = system_memory()
        return self._budget

    def room(self) -> int:
        """Bytes that may still be reserved."""
        return max(0, self.budget - self.reserved)

    def fits(self, nbytes: int) -> bool:
        """Whether `nbytes` more could be reserved now."""
        total = self.reserved + nbytes
        return total <= FLOOR if self._budget is None and total <= FLOOR else total <= self.budget

    def reserve(self, nbytes: int, what: str) -> None:
        """Count `nbytes` as held, or raise `TooLargeError` (saying `what` needs them) when past the budget."""
        if nbytes <= 0:
            return
        total = self.reserved + nbytes
        if (self._budget is not None or total > FLOOR) and total > self.budget:
            raise self.memory_error(total, what)
        self.reserved = total
        self.peak = max(self.peak, total)

    def chunks(self, count: int, each: int, what: str, most: int = 1 << 16) -> Iterator[range]:
        """`range(count)` in chunks of at most `most` items whose worst case, `each` bytes an item, fits what is
        left of the budget; the deadline is checked before each. The caller reserves what a chunk did take.
        Raises `TooLargeError` when not even one item fits, `SolveTimeout` past the deadline."""
        at = 0
        while at < count:
            self.check(what)
            step = min(count - at, most)
            if not self.fits(each * step):
                step = min(step, self.room() // max(1, each))
                if step < 1:
                    raise self.memory_error(self.reserved + each, what)
            yield range(at, at + step)
            at += step

    def release(self, nbytes: int) -> None:
        """Count `nbytes` as freed."""
        self.reserved = max(0, self.reserved - max(0, nbytes))

    def memory_error(self, needed: int, what: str) -> TooLargeError:
        """The error for `what` needing `needed` bytes in all, past the budget."""
        source = "" if self._source == "max_memory" else f" ({self._source})"
        return TooLargeError(f"{what} would need {format_size(needed)} of memory or more, past the memory budget of "
                             f"{format_size(self.budget)}{source}", limit="max_memory", value=needed,
                             budget=self.budget, unit="bytes", raise_to=_rounded_up(2 * needed))

    def out_of_memory(self, what: str) -> TooLargeError:
        """The error for a MemoryError that happened anyway (the system had less than the budget said)."""
        return TooLargeError(f"{what} ran out of memory (the budget was {format_size(self.budget)}, "
                             f"{format_size(self.reserved)} accounted for)", limit="max_memory",
                             value=self.reserved, budget=self.budget, unit="bytes")

    # work

    def work_cap(self, default: int) -> int:
        """The value pairs a solve may combine: `max_work` when given, else the engine's `default`."""
        return self.max_work if self.max_work is not None else default

    def spend(self, pairs: int, default: int, what: str, also: Also = ()) -> None:
        """Count `pairs` value pairs, or raise `TooLargeError` when the total passes `work_cap(default)`."""
        cap = self.work_cap(default)
        if self.work + pairs > cap:
            raise self.work_error(self.work + pairs, cap, what, also)
        self.work += pairs

    def work_error(self, needed: int, cap: int, what: str, also: Also = ()) -> TooLargeError:
        return TooLargeError(f"{what} would need {needed:,} value combinations or more, past the work cap of {cap:,}",
                             limit="max_work", value=needed, budget=cap, unit="pairs",
                             raise_to=_round_figure(2 * needed), also=also)

    # time and progress

    def check(self, what: str = "the solve") -> None:
        """Raise `SolveTimeout` when the deadline has passed."""
        if self.deadline is not None and self.timeout is not None and time.monotonic() > self.deadline:
            elapsed = time.monotonic() - self.started
            raise SolveTimeout(f"{what} ran past the time limit of {self.timeout:g} s (stopped after {elapsed:.1f} s)",
                               limit="timeout", value=elapsed, budget=self.timeout, unit="seconds",
                               raise_to=_round_figure(4 * self.timeout))

    def progress(self, done: int, total: int, what: str = "building tables", unit: str = "intervals") -> None:
        """Report progress (at most every REPORT_EVERY seconds) when someone listens; also checks the deadline."""
        self.check()
        if self.report is None:
            return
        now = time.monotonic()
        if now - self._reported >= REPORT_EVERY:
            self._reported = now
            self.report(Progress(what, done, total, unit, self.work, now - self.started))

    def note(self, text: str) -> None:
        """A one-off message (such as COMPILE_NOTE), at once, when someone listens."""
        if self.report is not None:
            self.report(Progress(note=text, elapsed=time.monotonic() - self.started))

    @property
    def pausing(self) -> bool:
        """Whether engines should stop between intervals to check the deadline and report progress."""
        return self.deadline is not None or self.report is not None

    def close(self) -> None:
        """The solve returned: end the reports and the deadline (later lazy work is bounded by memory alone)."""
        if self.report is not None:
            self.report(Progress(final=True, elapsed=time.monotonic() - self.started))
        self.report = None
        self.deadline = None


# --- defaults for a block of code ----------------------------------------------------------------------------

_DEFAULTS: ContextVar[Optional[dict[str, Any]]] = ContextVar("bracketsolve_limits", default=None)


@contextmanager
def budget(*, max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
           progress: ProgressLike = False) -> Iterator[None]:
    """Defaults for every solve inside the block that does not set them itself (`grade` and `score` included);
    `timeout` applies to each solve.

    >>> from bracketsolve import solve
    >>> with budget(max_work=10):
    ...     solve("1 ? 2 ? 3 ? 4 ? 5 = 15", backend="python")
    Traceback (most recent call last):
    ...
    bracketsolve.errors.TooLargeError: this puzzle would need 12 value combinations or more, past the work cap of 10; raise it with max_work=30 or use backend='numba'
    """
    Limits(max_memory, max_work, timeout, progress)            # the options are checked here, once
    outer = _DEFAULTS.get() or {}
    given = {"max_memory": max_memory, "max_work": max_work, "timeout": timeout, "progress": progress}
    token = _DEFAULTS.set({**outer, **{k: v for k, v in given.items() if v is not None and v is not False}})
    try:
        yield
    finally:
        _DEFAULTS.reset(token)


def limits_for(max_memory: Memory = None, max_work: Optional[int] = None, timeout: Optional[float] = None,
               progress: ProgressLike = False) -> Limits:
    """A fresh `Limits` for one solve: these options, else the innermost `budget(...)`'s, else the defaults."""
    outer = _DEFAULTS.get()
    if outer:
        max_memory = outer.get("max_memory") if max_memory is None else max_memory
        max_work = outer.get("max_work") if max_work is None else max_work
        timeout = outer.get("timeout") if timeout is None else timeout
        progress = outer.get("progress", False) if progress is False else progress
    return Limits(max_memory, max_work, timeout, progress)
