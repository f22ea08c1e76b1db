"""Generated datasets as directories of shards: split an index range, generate each shard (in this process or
as Dask tasks, see distributed.py), drop puzzles seen at a lower index, and write the manifest.

The shards together hold exactly the rows a single-process run with the same seed and options writes.
"""

from __future__ import annotations

import os
import time
from hashlib import blake2b
from typing import Any, Callable, Iterator, Optional, Protocol, TypeVar, overload

from ..errors import BracketError
from . import formats
from .formats import Entry, Manifest

KEY_BYTES = 16              # BLAKE2b digest of the canonical puzzle: collisions are out of reach (2**-64 at 10**10)
MAX_SHARDS = 100_000

T = TypeVar("T")
Shard = dict[str, Any]      # a shard's description: {"file": "part-00000.parquet", "number": 0, "rows": 500, ...}


class Run(Protocol):
    """run(function, [args, ...]) -> [function(*args), ...] in order, here or as Dask tasks (distributed.py).
    With a `deadline` (time.time() seconds; the tasks check it themselves), a call still running distributed.GRACE seconds
    past it is cancelled and comes back as None."""

    def __call__(self, function: Callable[..., Any], arguments: list[tuple[Any, ...]],
                 deadline: Optional[float] = None) -> list[Any]: ...


def plan(start: int, count: int, shards: int) -> list[tuple[int, int, int]]:
    """The shards of indices start..start+count-1 as (number, first, stop), as even as can be.

    >>> plan(10, 7, 3)
    [(0, 10, 13), (1, 13, 15), (2, 15, 17)]
    """
    if isinstance(shards, bool) or not isinstance(shards, int) or not 1 <= shards <= MAX_SHARDS:
        raise BracketError(f"shards must be an int from 1 to {MAX_SHARDS:,}, not {shards!r}")
    shards = min(shards, max(1, count))
    size, extra = divmod(count, shards)
    out: list[tuple[int, int, int]] = []
    at = start
    for number in range(shards):
        stop = at + size + (number < extra)
        out.append((number, at, stop))
        at = stop
    return out


def canonical(entry: Entry) -> str:
    """What makes two entries the same puzzle: the puzzle text (numbers and operators in order, target), and
    the rules it is played by."""
    meta = entry["metadata"]
    return f"{meta.get('rules', 'brackets')}\n{meta['puzzle']}"


def key(entry: Entry) -> bytes:
    return blake2b(canonical(entry).encode(), digest_size=KEY_BYTES).digest()


def generate_shard(directory: str, number: int, first: int, stop: int, fmt: str, options: dict[str, Any]) -> Shard:
    """One shard as a task: generate entries first..stop-1, write them to the shard's file, and return its
    description with the key of each row (in order) for the cross-shard dedupe."""
    started = time.process_time()
    keys = bytearray()

    def entries() -> Iterator[Entry]:
        for e in generator(options)(stop - first, start=first, **options):
            keys.extend(key(e))
            yield e

    name = formats.shard_name(number, fmt)
    rows = formats.write(os.path.join(directory, name), entries(), fmt)
    return {"file": name, "number": number, "start": first, "stop": stop, "rows": rows, "keys": bytes(keys),
            "cpu_seconds": time.process_time() - started}


def generator(options: dict[str, Any]) -> Callable[..., Iterator[Entry]]:
    """`generate` for bracket puzzles, `generate_games` for the free-order rules (options["rules"])."""
    if options.get("rules", "brackets") == "brackets":
        from .generate import generate

        return generate
    from .games_generate import generate_games

    return generate_games


def duplicates(shards: list[Shard]) -> dict[int, list[int]]:
    """{shard number: row positions to drop}: every row whose puzzle appeared at a lower index, in any shard."""
    seen: set[bytes] = set()
    drops: dict[int, list[int]] = {}
    for shard in sorted(shards, key=lambda s: s["start"]):
        keys = shard["keys"]
        for position in range(len(keys) // KEY_BYTES):
            k = keys[position * KEY_BYTES:(position + 1) * KEY_BYTES]
            if k in seen:
                drops.setdefault(shard["number"], []).append(position)
            else:
                seen.add(k)
    return drops


def drop_rows(directory: str, name: str, positions: list[int]) -> int:
    """Rewrite one shard without the rows at `positions`; returns the rows kept."""
    path = os.path.join(directory, name)
    gone = set(positions)
    kept = [e for i, e in enumerate(formats.read(path)) if i not in gone]
    return formats.write(path, kept, name.rsplit(".", 1)[1])


def sequential(function: Callable[..., T], arguments: list[tuple[Any, ...]],
               deadline: Optional[float] = None) -> list[T]:
    """The in-process stand-in for a Dask map: call `function(*args)` for each, in order (each task keeps to
    the `deadline` itself)."""
    return [function(*args) for args in arguments]


def write_dataset(directory: str, count: int, *, start: int = 0, shards: int = 1, fmt: str = "parquet",
                  run: Run = sequential, scheduler: str = "process", **options: Any) -> Manifest:
    """Generate `count` entries from index `start` into a directory of shards and write its manifest.

    Takes: the directory (created if missing; existing shards of the same name are replaced), the count,
    `shards`, `fmt` "parquet" or "jsonl", `run(function, [args, ...]) -> [result, ...]` (in this process by
    default; distributed.py passes one that runs each call as a Dask task), and generate()'s options, or
    with `rules="24"`, "countdown" (or -tv) generate_games()'s.
    Returns: the manifest (also written as _manifest.json): version, seed, options, index ranges and rows
    per shard, rows in all, duplicates dropped, CPU seconds the tasks took.
    Raises: `BracketError` for bad options (before any work is sent out).
    """
    from .. import __version__

    if fmt not in formats.FORMATS:
        raise BracketError(f"format must be one of {', '.join(formats.FORMATS)}, not {fmt!r}")
    if fmt == "parquet":
        formats.pyarrow()
    from .generate import check_range

    check_range(count, start)
    generator(options)(0, start=start, **options)          # validates every option here, not in a task
    os.makedirs(directory, exist_ok=True)
    started = time.perf_counter()
    parts = run(generate_shard, [(directory, number, first, stop, fmt, options)
                                 for number, first, stop in plan(start, count, shards)])
    drops = duplicates(parts)
    by_number = {part["number"]: part for part in parts}
    kept = run(drop_rows, [(directory, by_number[number]["file"], positions) for number, positions in drops.items()])
    for number, rows in zip(drops, kept):
        by_number[number]["duplicates"] = by_number[number]["rows"] - rows
        by_number[number]["rows"] = rows
    described = [{k: v for k, v in part.items() if k != "keys"} for part in sorted(parts, key=lambda p: p["start"])]
    manifest: Manifest = {
        "bracketsolve": __version__, "schema": formats.SCHEMA_VERSION, "format": fmt,
        "seed": options.get("seed", 0), "start": start, "count": count,
        "options": {k: v for k, v in options.items() if k not in ("seed", "backend")},
        "rows": sum(part["rows"] for part in described),
        "duplicates": sum(part.get("duplicates", 0) for part in described),
        "scheduler": scheduler, "wall_seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(sum(part["cpu_seconds"] for part in described), 3),
        "shards": [{**part, "cpu_seconds": round(part["cpu_seconds"], 3)} for part in described],
    }
    formats.write_manifest(directory, _jsonable(manifest))
    return manifest


@overload
def _jsonable(value: dict[str, Any]) -> dict[str, Any]: ...
@overload
def _jsonable(value: object) -> object: ...
def _jsonable(value: object) -> object:
    """Tuples as lists, Fractions as text: what json.dump writes."""
    from fractions import Fraction

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return str(value)
    return value


def read_dataset(directory: str) -> list[Entry]:
    """Every entry of a directory of shards, in index order (the manifest's shard list, else file names)."""
    manifest = formats.read_manifest(directory)
    if manifest is not None:
        names = [shard["file"] for shard in manifest["shards"]]
    else:
        names = sorted(n for n in os.listdir(directory) if n.endswith((".parquet", ".jsonl")))
    out: list[Entry] = []
    for name in names:
        out.extend(formats.read(os.path.join(directory, name)))
    return out


def load(directory: str, split: Optional[str] = "train") -> Any:
    """The directory as a Hugging Face `datasets.Dataset` (its Parquet shards): what
    `datasets.load_dataset("parquet", data_files=".../part-*.parquet", split="train")` gives (untyped: Any)."""
    from datasets import load_dataset

    return load_dataset("parquet", data_files=os.path.join(directory, "part-*.parquet"), split=split)
