"""Request benchmark: the request detector against bare keywords, on the held-out set.

Protocol: ``benchmarks/data/requests_heldout.jsonl`` (written before the detector existed,
never used to write or tune it; see its README). A text states a kind when
``detect_requests`` returns it; for ``mute`` the category must match too (a mute with the
wrong category is a false alarm and a miss). Per kind: precision and recall over all texts;
hard negatives: texts with at least one false alarm, per 16.

The baseline is what a keyword rule would do: ``unsubscribe``/``stop`` + a message word for
stop, ``too many`` for fewer, the hand-off trigger's "talk to a person" pattern for human,
``delete``/``erase`` + "account"/"data" for erase, ``no more X`` for mute.

Prints Rich tables to stderr and one JSON line to stdout; ``--misses`` lists every miss and
false alarm of the detector.

    python benchmarks/requests.py [--misses] [--heldout FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tactful.handoff.triggers import asks_for_a_person
from tactful.signals.requests import detect_requests

console = Console(stderr=True)
HELDOUT = Path(__file__).resolve().parent / "data" / "requests_heldout.jsonl"
REVIEWS = (
    Path(os.environ.get("TACTFUL_DATASETS", "/work/shared/datasets"))
    / "amazon-musical-instruments-5core"
    / "reviews_Musical_Instruments_5.json.gz"
)
KINDS = ("stop_messages", "fewer_messages", "human", "mute", "erase_me")
Reader = Callable[[str], set[str]]


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def detector(text: str) -> set[str]:
    return {r.name for r in detect_requests(text)}


def keywords(text: str) -> set[str]:
    low = text.lower()
    out = set()
    if re.search(r"unsubscribe|\bstop\b.*\b(?:e-?mail|message|text|send)", low):
        out.add("stop_messages")
    if "too many" in low or "so many" in low:
        out.add("fewer_messages")
    if asks_for_a_person(text):
        out.add("human")
    if re.search(r"\b(?:delete|erase)\b.*\b(?:account|data)\b", low):
        out.add("erase_me")
    m = re.search(r"no more (\w+)", low)
    if m:
        out.add(f"mute:{m.group(1)}")
    return out


def _kind(name: str) -> str:
    return name.partition(":")[0]


def score(rows: list[dict[str, Any]], found: list[set[str]]) -> dict[str, Any]:
    per: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        tp = fp = fn = 0
        for row, got in zip(rows, found, strict=True):
            want = {n for n in row["requests"] if _kind(n) == kind}
            have = {n for n in got if _kind(n) == kind}
            tp += len(want & have)
            fp += len(have - want)
            fn += len(want - have)
        per[kind] = {
            "n": tp + fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }
    negatives = [(r, f) for r, f in zip(rows, found, strict=True) if not r["requests"]]
    alarms = sum(1 for _, f in negatives if f)
    return {
        "kinds": per,
        "hard_negatives": len(negatives),
        "false_alarms_per_16": 16 * alarms / max(1, len(negatives)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument(
        "--reviews",
        type=Path,
        default=REVIEWS,
        help="Amazon reviews (.json.gz) to count requests in text that asks for none",
    )
    args = parser.parse_args(argv)
    rows = load(args.heldout)
    readers: dict[str, Reader] = {"keywords": keywords, "detector": detector}
    results = {}
    found_by: dict[str, list[set[str]]] = {}
    for name, reader in readers.items():
        found_by[name] = [reader(r["text"]) for r in rows]
        results[name] = score(rows, found_by[name])
    table = Table(title=f"requests on {len(rows)} held-out texts")
    table.add_column("kind")
    for name in readers:
        table.add_column(f"{name} P")
        table.add_column(f"{name} R")
    for kind in KINDS:
        n = int(results["detector"]["kinds"][kind]["n"])
        cells = []
        for name in readers:
            k = results[name]["kinds"][kind]
            cells += [f"{k['precision']:.2f}", f"{k['recall']:.2f}"]
        table.add_row(f"{kind} ({n})", *cells)
    negs = results["detector"]["hard_negatives"]
    table.add_row(
        f"false alarms / 16 negatives ({negs})",
        *[c for name in readers for c in (f"{results[name]['false_alarms_per_16']:.2f}", "")],
    )
    console.print(table)
    if args.misses:
        for row, got in zip(rows, found_by["detector"], strict=True):
            if set(row["requests"]) != got:
                console.print(f"want {sorted(row['requests'])} got {sorted(got)}: {row['text']}")
    if args.reviews.is_file():
        results["reviews"] = in_reviews(args.reviews, show=args.misses)
    print(json.dumps(results))
    return 0


def in_reviews(path: Path, *, show: bool) -> dict[str, Any]:
    """Requests the detector reads in product reviews, which ask a shop for nothing: each is
    a false alarm unless the review really asks (listed with ``--misses``)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("reviewText") or "" for line in fh]
    texts = [t for t in texts if t.strip()]
    start = time.perf_counter()
    found = [(t, detect_requests(t)) for t in texts]
    seconds = time.perf_counter() - start
    fired = [(t, rs) for t, rs in found if rs]
    kinds: dict[str, int] = {}
    for _, rs in fired:
        for r in rs:
            kinds[r.kind.value] = kinds.get(r.kind.value, 0) + 1
    console.print(f"{len(fired)} of {len(texts)} reviews read as requests: {kinds}")
    if show:
        for t, rs in fired:
            console.print(f"  {[r.name for r in rs]} {[r.evidence for r in rs]}: {t[:140]}")
    return {
        "reviews": len(texts),
        "with_requests": len(fired),
        "by_kind": kinds,
        "ms_per_text": 1000 * seconds / len(texts),
    }


if __name__ == "__main__":
    sys.exit(main())
