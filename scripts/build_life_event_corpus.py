"""Build the life-event training corpus from ``life_event_templates.py`` (slots, positives)
and ``life_event_negatives.py``.

    .venv/bin/python scripts/build_life_event_corpus.py [--seed 0] [--per-template 40]
        [--out scripts/data/life_event_corpus.jsonl] [--goemotions N]

Deterministic for a given seed: every template is expanded ``--per-template`` times with
random slot fillers, then varied the way people write (an opening, a tail, lower case, lost
apostrophes, end punctuation, sometimes a second unrelated sentence). Negatives come from the
hard-negative templates (negated, hypothetical, figurative, someone else's event, long past,
product talk), everyday sentences that use the same words in other senses, and unrelated
context sentences. ``--goemotions N`` adds N Reddit comments from GoEmotions train
(../shared/datasets/goemotions, or under $TACTFUL_DATASETS) as generic negatives when that
folder exists (off by default, so the shipped model is rebuildable without it). Any text
that also appears in the held-out set (benchmarks/data/life_events_heldout.jsonl) is
dropped, so none can leak in.
Each line: ``{"text": ..., "kinds": [...], "source": ..., "template": ...}``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from life_event_negatives import CONTEXT, GENERIC, NEGATIVE
from life_event_templates import POSITIVE, SLOTS

from tactful.signals.goemotions import datasets_dir

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "scripts" / "data" / "life_event_corpus.jsonl"
HELDOUT = ROOT / "benchmarks" / "data" / "life_events_heldout.jsonl"
_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, rng: random.Random) -> str:
    """Replace every slot (recursively) with a random filler; tidy doubled spaces."""
    for _ in range(5):
        if not _SLOT.search(template):
            break
        template = _SLOT.sub(lambda m: rng.choice(SLOTS[m.group(1)]), template)
    return re.sub(r"  +", " ", template)


def vary(core: str, rng: random.Random) -> str:
    """One way a person might write ``core``: an opening, a tail, casing, punctuation."""
    text = (fill("{open}", rng) + core.strip() + fill("{tail}", rng)).strip()
    if rng.random() < 0.3:
        text = text.replace("'", "")
    if rng.random() < 0.4:
        text = text.lower()
    elif text:
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?:)":
        text += rng.choice(["", ".", ".", "!", "..."])
    if rng.random() < 0.15:
        context = rng.choice(CONTEXT)
        text = f"{context} {text}" if rng.random() < 0.5 else f"{text} {context}"
    return text


def normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def heldout_texts() -> set[str]:
    if not HELDOUT.is_file():
        return set()
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {normal(json.loads(line)["text"]) for line in lines if line.strip()}


def goemotions_texts(n: int, rng: random.Random) -> list[str]:
    """Up to ``n`` GoEmotions train comments without grief (which marks deaths), if present."""
    folder = datasets_dir() / "goemotions"
    if n <= 0 or not (folder / "train.tsv").is_file():
        return []
    names = (folder / "emotions.txt").read_text(encoding="utf-8").split()
    grief = str(names.index("grief"))
    rows = [line.split("\t") for line in (folder / "train.tsv").read_text().splitlines()]
    texts = [r[0] for r in rows if len(r) >= 2 and grief not in r[1].split(",")]
    rng.shuffle(texts)
    return texts[:n]


def build(seed: int, per_template: int, goemotions: int) -> list[dict[str, object]]:
    """The corpus rows, deduplicated, in a seeded order."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for kind, templates in POSITIVE.items():
        for i, template in enumerate(templates):
            for _ in range(per_template):
                text = vary(fill(template, rng), rng)
                rows.append({"text": text, "kinds": [kind], "source": "positive"})
                rows[-1]["template"] = f"{kind}:{i}"
    for hard, templates in NEGATIVE.items():
        for i, template in enumerate(templates):
            for _ in range(per_template):
                text = vary(fill(template, rng), rng)
                rows.append({"text": text, "kinds": [], "source": hard, "template": f"{hard}:{i}"})
    for i, template in enumerate(GENERIC):
        for _ in range(per_template):
            text = vary(fill(template, rng), rng)
            rows.append(
                {"text": text, "kinds": [], "source": "generic", "template": f"generic:{i}"}
            )
    for text in CONTEXT:
        rows.append({"text": text, "kinds": [], "source": "context", "template": "context"})
    for text in goemotions_texts(goemotions, rng):
        rows.append({"text": text, "kinds": [], "source": "goemotions", "template": "goemotions"})
    banned, seen, out = heldout_texts(), set(), []
    for row in rows:
        key = normal(str(row["text"]))
        if key and key not in seen and key not in banned:
            seen.add(key)
            out.append(row)
    rng.shuffle(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-template", type=int, default=40)
    parser.add_argument("--goemotions", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build(args.seed, args.per_template, args.goemotions)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter(str(r["source"]) for r in rows)
    kinds = Counter(k for r in rows for k in r["kinds"])  # type: ignore[attr-defined]
    print(f"{len(rows)} texts -> {args.out}", file=sys.stderr)
    print(f"  by source: {dict(sorted(counts.items()))}", file=sys.stderr)
    print(f"  positives by kind: {dict(sorted(kinds.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
