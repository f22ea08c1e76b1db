"""Dataset files: one stable schema for generated entries (rationals as strings), written as JSON lines or
Parquet shards, and the manifest that describes a directory of shards.
"""

from __future__ import annotations

import json
import os
from types import ModuleType
from typing import Any, Iterable, Optional, cast

from ..errors import BracketError

FORMATS = ("jsonl", "parquet")
SCHEMA_VERSION = 2          # 2: the free-order fields (min_numbers, needs_fractions, needs_negatives)
MANIFEST = "_manifest.json"      # the leading _ keeps pyarrow and pandas from reading it as data
BATCH = 20_000              # rows per Parquet row group

Entry = dict[str, Any]      # a generated entry: {"question": ..., "answer": ..., "metadata": {"puzzle": ..., ...}}
Manifest = dict[str, Any]   # a directory's _manifest.json: {"schema": 2, "rows": 1000, "shards": [...], ...}

# metadata fields in order, with their Arrow types: "int" may be null (min_depth without a solution)
FIELDS = (("puzzle", "str"), ("target", "str"), ("numbers", "strs"), ("ops", "str"), ("solutions", "int"),
          ("classes", "int"), ("min_depth", "int"), ("total", "int"), ("kind", "str"), ("seed", "str"),
          ("index", "int"), ("lang", "str"), ("rules", "str"), ("min_pairs", "int"), ("fraction", "str"),
          ("undefined", "int"), ("values", "int"), ("near_1", "int"), ("near_1pct", "int"), ("effort", "int"),
          ("nearest", "strs"), ("min_numbers", "int"), ("needs_fractions", "bool"), ("needs_negatives", "bool"))
KEPT_NULL = {"brackets": ("min_depth", "min_pairs"),        # null fields an entry of these rules does have
             "free": ("classes", "min_depth", "min_numbers", "needs_fractions", "needs_negatives")}


def pyarrow() -> ModuleType:
    """The pyarrow module, or a clear error naming the extra that brings it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise BracketError('Parquet needs pyarrow: pip install "bracketsolve[parquet]"') from None
    return cast(ModuleType, pa)         # (pyarrow has no type hints: mypy reads it as Any)


def schema() -> Any:
    """The Arrow schema (a `pyarrow.Schema`) of a generated entry: question, answer, and metadata as a struct of
    FIELDS.

    `metadata.seed` is text (the seed as given, str() of an int); `nearest` is null for solvable puzzles.
    """
    pa = pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "strs": pa.list_(pa.string()), "bool": pa.bool_()}
    meta = pa.struct([pa.field(name, types[kind]) for name, kind in FIELDS])
    return pa.schema([pa.field("question", pa.string()), pa.field("answer", pa.string()),
                      pa.field("metadata", meta)], metadata={"bracketsolve_schema": str(SCHEMA_VERSION)})


NAMES = tuple(name for name, _ in FIELDS)


def row(entry: Entry) -> dict[str, Any]:
    """An entry with its metadata laid out as the schema's struct (missing fields null, seed as text)."""
    meta = entry["metadata"]
    out = dict.fromkeys(NAMES)
    out.update(meta)
    out["seed"] = str(meta["seed"])
    return {"question": entry["question"], "answer": entry["answer"], "metadata": out}


def entry(row_: dict[str, Any]) -> Entry:
    """A schema row back as an entry: null fields of the metadata dropped (so `nearest` only when unsolvable),
    but for those that entries of its rules always have."""
    kept = KEPT_NULL["brackets" if row_["metadata"].get("rules", "brackets") == "brackets" else "free"]
    meta = {k: v for k, v in row_["metadata"].items() if v is not None or k in kept}
    return {"question": row_["question"], "answer": row_["answer"], "metadata": meta}


def write(path: str, entries: Iterable[Entry], fmt: str) -> int:
    """Write entries to one file, JSON lines or Parquet; returns the number written."""
    if fmt == "jsonl":
        written = 0
        with open(path, "w", encoding="utf-8") as stream:
            for e in entries:
                stream.write(json.dumps(e, ensure_ascii=False) + "\n")
                written += 1
        return written
    if fmt != "parquet":
        raise BracketError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    pa = pyarrow()
    shape = schema()
    written = 0
    batch: list[dict[str, Any]] = []
    with pa.parquet.ParquetWriter(path, shape) as writer:      # row groups of BATCH rows: bounded memory
        for e in entries:
            batch.append(row(e))
            if len(batch) == BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=shape))
                written, batch = written + len(batch), []
        if batch or not written:
            writer.write_table(pa.Table.from_pylist(batch, schema=shape))
            written += len(batch)
    return written


def read(path: str) -> list[Entry]:
    """The entries of one file: JSON lines (any JSON objects) or Parquet written by `write`."""
    if path.endswith(".parquet"):
        pa = pyarrow()
        return [entry(r) for r in pa.parquet.read_table(path).to_pylist()]
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def shard_name(number: int, fmt: str) -> str:
    """part-00003.parquet"""
    return f"part-{number:05d}.{fmt}"


def write_manifest(directory: str, manifest: Manifest) -> str:
    """Write _manifest.json into the directory (atomically: a temporary file, then a rename)."""
    path = os.path.join(directory, MANIFEST)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as stream:
        json.dump(manifest, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    os.replace(tmp, path)
    return path


def read_manifest(directory: str) -> Optional[Manifest]:
    """The manifest of a directory of shards, or None when it has none."""
    path = os.path.join(directory, MANIFEST)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as stream:
        manifest: Manifest = json.load(stream)
    return manifest
