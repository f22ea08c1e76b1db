"""`generate --out DIR`: datasets as directories of JSON-lines or Parquet shards, in this process or on Dask."""

from __future__ import annotations

import argparse

from .common import JSON, Outcome, count, plural


def add_dataset_arguments(p: argparse.ArgumentParser) -> None:
    """The flags that turn `generate` into a dataset writer."""
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                   help="jsonl (default) or parquet (needs the parquet extra, and --out)")
    p.add_argument("--out", metavar="DIR", help="write a directory of shards part-00000.EXT ... and _manifest.json "
                   "(puzzles already seen at a lower index are dropped) instead of JSON lines on stdout")
    add_scheduler_arguments(p)


def add_scheduler_arguments(p: argparse.ArgumentParser) -> None:
    """Where the shards run."""
    p.add_argument("--shards", metavar="N", type=count, help="split the index range into N shards (default 1), "
                   "run as Dask tasks (needs the dask extra)")
    p.add_argument("--scheduler", metavar="local|ADDRESS|none", help="where the shards run: local (default with "
                   "--shards: a LocalCluster here), a Dask scheduler address such as tcp://host:8786, or none (this "
                   "process)")
    p.add_argument("--workers", metavar="K", type=count, help="LocalCluster worker processes (default: one per core)")


def dataset_command(args: argparse.Namespace, options: JSON) -> Outcome:
    """Write the dataset; the output is a summary line (or the manifest with --json)."""
    from ..errors import BracketError
    from ..evaluation.datasets import write_dataset

    if args.out is None:
        raise BracketError("--format parquet and --shards write a directory: give --out DIR")
    shards = args.shards or 1
    scheduler = args.scheduler or ("local" if args.shards else "none")
    if args.workers is not None and scheduler != "local":
        raise BracketError("--workers sizes a LocalCluster: use it with --scheduler local")
    kwargs = dict(start=args.start, shards=shards, fmt=args.format, **options)
    if scheduler == "none":
        manifest = write_dataset(args.out, args.count, scheduler="none", **kwargs)
    else:
        from ..evaluation import distributed

        with distributed.client(scheduler, workers=args.workers) as client:
            manifest = write_dataset(args.out, args.count, run=distributed.runner(client), scheduler=scheduler,
                                     **kwargs)
    if args.json:
        return {k: v for k, v in manifest.items()}, 0
    wall = manifest["wall_seconds"]
    rate = f", {manifest['rows'] / wall:,.0f} puzzles/s" if wall > 0 else ""
    return (f"wrote {plural(manifest['rows'], 'puzzle')} ({plural(manifest['duplicates'], 'duplicate')} dropped) in "
            f"{plural(len(manifest['shards']), args.format + ' shard')} to "
            f"{args.out} in {wall:.1f} s{rate}"), 0
