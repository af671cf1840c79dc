"""Life-event benchmark: the keyword patterns alone (old) against the classifier with them
(new), on the hand-written held-out set.

Protocol: ``benchmarks/data/life_events_heldout.jsonl`` (written before any training, never
trained or tuned on; see its README). A text counts as stating a kind when
``detect_life_events`` returns that kind with confidence >= 0.5 (the default
``signals.life_event_min_confidence``, the level at which a reading becomes a signal).
Per kind: precision and recall over all texts; hard negatives: texts with at least one
false alarm, per 16 (target: recall >= 0.8 at precision >= 0.9 per kind, <= 1 false alarm per
16 hard negatives). Also the time per text.

Prints Rich tables to stderr and one JSON line to stdout; ``--misses`` lists every miss and
false alarm of the new reader.

    python benchmarks/life_events.py [--misses] [--heldout FILE] [--model DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tactful.signals.life_event_model import LifeEventModel
from tactful.signals.life_events import LifeEventKind, detect_life_events

console = Console(stderr=True)
HELDOUT = Path(__file__).resolve().parent / "data" / "life_events_heldout.jsonl"
SURE = 0.5


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read(
    rows: list[dict[str, Any]], keywords_only: bool, model: LifeEventModel | None
) -> tuple[list[set[str]], float]:
    detect_life_events("warm-up", keywords_only=keywords_only, model=model)
    start = time.perf_counter()
    found = [
        {
            e.kind.value
            for e in detect_life_events(r["text"], keywords_only=keywords_only, model=model)
            if e.confidence >= SURE
        }
        for r in rows
    ]
    return found, (time.perf_counter() - start) / len(rows)


def score(rows: list[dict[str, Any]], found: list[set[str]]) -> dict[str, Any]:
    per_kind = {}
    for kind in LifeEventKind:
        gold = [kind.value in r["kinds"] for r in rows]
        said = [kind.value in f for f in found]
        tp = sum(g and s for g, s in zip(gold, said, strict=True))
        per_kind[kind.value] = {
            "precision": round(tp / max(sum(said), 1), 3),
            "recall": round(tp / max(sum(gold), 1), 3),
            "positives": sum(gold),
            "said": sum(said),
        }
    hard = [(r, f) for r, f in zip(rows, found, strict=True) if r["hard"]]
    alarms = Counter(r["hard"] for r, f in hard if f)
    per16 = 16 * sum(alarms.values()) / max(len(hard), 1)
    exact = sum(set(r["kinds"]) == f for r, f in zip(rows, found, strict=True))
    return {
        "kinds": per_kind,
        "hard_negatives": len(hard),
        "false_alarms": dict(alarms),
        "false_alarms_per_16": round(per16, 2),
        "exact_match": round(exact / len(rows), 3),
        "micro_recall": round(
            sum(k in f for r, f in zip(rows, found, strict=True) for k in r["kinds"])
            / max(sum(len(r["kinds"]) for r in rows), 1),
            3,
        ),
    }


def table(results: dict[str, dict[str, Any]]) -> Table:
    t = Table(title="life events on the held-out set (confidence >= 0.5)")
    t.add_column("kind")
    for name in results:
        t.add_column(f"{name} P", justify="right")
        t.add_column(f"{name} R", justify="right")
    for kind in LifeEventKind:
        cells = []
        for res in results.values():
            k = res["kinds"][kind.value]
            cells += [f"{k['precision']:.2f}", f"{k['recall']:.2f}"]
        t.add_row(kind.value, *cells)
    t.add_row(
        "false alarms / 16 hard",
        *[c for r in results.values() for c in (f"{r['false_alarms_per_16']:.2f}", "")],
    )
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--model", type=Path, help="a folder with another life_events.npz/.json")
    args = parser.parse_args(argv)
    rows = load(args.heldout)
    model = None
    if args.model:
        model = LifeEventModel.load(args.model / "life_events.npz", args.model / "life_events.json")
    results, times, new_found = {}, {}, []
    for name, keywords_only in (("old", True), ("new", False)):
        found, seconds = read(rows, keywords_only, model)
        results[name], times[name] = score(rows, found), round(seconds * 1000, 2)
        new_found = found
    console.print(table(results))
    console.print(
        f"ms per text: {times}; false alarms by hard kind (new): {results['new']['false_alarms']}"
    )
    if args.misses:
        for r, f in zip(rows, new_found, strict=True):
            if set(r["kinds"]) != f:
                console.print(f"  gold {r['kinds']} said {sorted(f)}: {r['text']}")
    print(json.dumps({"texts": len(rows), "ms_per_text": times, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
