"""Reading event rows from files: JSON Lines (one object per line) or CSV with a header."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from tactful.errors import InvalidInput


def read_rows(path: Path) -> Iterator[Any]:
    """Yield raw rows; a line that is not JSON becomes a row the ingest will reject."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="FILE")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        yield from _jsonl(path)
    elif suffix == ".csv":
        yield from _csv(path)
    else:
        raise InvalidInput(f"unsupported file type {suffix!r}; use .jsonl or .csv", field="FILE")


def _jsonl(path: Path) -> Iterator[Any]:
    with path.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError:
                yield {"__line__": n}


def _csv(path: Path) -> Iterator[Any]:
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield {k: v for k, v in row.items() if k is not None and v not in (None, "")}


def batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
