"""Reading event rows from files: JSON Lines (one object per line) or CSV with a header,
each row with the number of the line it ends on, so rejections can name the line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from tactful.errors import InvalidInput
from tactful.ingest import Unparsed

Numbered = tuple[int, Any]
"""A raw row and the line of the file it ends on."""


def read_rows(path: Path) -> Iterator[Numbered]:
    """Yield raw rows with their line numbers (blank lines skipped); a line that is not
    JSON becomes an ``Unparsed`` row, which ingest rejects naming the line and the error."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="FILE")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        yield from _jsonl(path)
    elif suffix == ".csv":
        yield from _csv(path)
    else:
        raise InvalidInput(f"unsupported file type {suffix!r}; use .jsonl or .csv", field="FILE")


def _jsonl(path: Path) -> Iterator[Numbered]:
    with path.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield n, orjson.loads(line)
            except orjson.JSONDecodeError as err:
                yield n, Unparsed(f"{err.msg} (column {err.colno})")


def _csv(path: Path) -> Iterator[Numbered]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            clean = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
            yield reader.line_num, clean


def batches(rows: Iterator[Numbered], size: int) -> Iterator[list[Numbered]]:
    batch: list[Numbered] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
