"""Summarise py-spy collapsed stacks (``soak.py --profile FILE``): the share of samples
spent inside each of the functions named (inclusive), and the top functions by own time.

    python benchmarks/stacks.py FILE [--top 25] [--within post_events]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

WATCH = (
    "post_events",
    "get_recommendations",
    "Ingestion.record",
    "ingest (tactful/ingest/report.py",
    "_parse_all",
    "existing_ids",
    "without_unknown_items",
    "Tombstones.erased",
    "SqlEventStore.add",
    "read_state",
    "Database.writing",
    "RequestLog.__call__",
    "Screen.__call__",
    "Metered.__call__",
    "serialize_response",
    "run_in_threadpool",
    "ExposureLog",
)
_FRAME = re.compile(r"^(.*) \((.*):(\d+)\)$")


def parse(path: Path) -> list[tuple[list[str], int]]:
    out = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            out.append((stack.split(";"), int(count)))
    return out


def name(frame: str) -> str:
    found = _FRAME.match(frame)
    return f"{found.group(1)} ({found.group(2)})" if found else frame


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--within", help="only stacks through a frame containing this")
    args = ap.parse_args()
    stacks = parse(args.file)
    if args.within:
        stacks = [(s, n) for s, n in stacks if any(args.within in f for f in s)]
    total = sum(n for _, n in stacks)
    print(f"{total} samples")
    for w in WATCH:
        n = sum(c for s, c in stacks if any(w in f for f in s))
        if n:
            print(f"  {100 * n / total:5.1f} %  inside {w}")
    own: Counter[str] = Counter()
    for s, n in stacks:
        own[name(s[-1])] += n
    print("own time:")
    for fn, n in own.most_common(args.top):
        print(f"  {100 * n / total:5.1f} %  {fn}")


if __name__ == "__main__":
    main()
