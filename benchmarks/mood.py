"""Mood benchmark: how well the packaged emotion model reads GoEmotions dev, against VADER alone,
and how fast ``analyse`` runs.

Protocol: GoEmotions simplified dev split (5,426 Reddit comments), multi-label. Sentiment
groups (positive / negative / ambiguous / neutral) follow the data set's
``sentiment_mapping.json``; the score is the macro-F1 over the four groups (reference points:
TF-IDF + LR about 0.64, fine-tuned BERT 0.69 in the GoEmotions paper). Distress is any of grief,
sadness, fear, nervousness, remorse, disappointment; precision and recall are reported.
VADER alone uses its own rule (compound >= 0.05 positive, <= -0.05 negative, else neutral; it
never says ambiguous) and calls negative texts distress. The model's four sentiment-group
thresholds were chosen on dev (its Ekman and distress thresholds by cross-validation on train);
the training manifest records the honest checks (dev at train-chosen thresholds, split-half).

``analyse`` also counts a sure hard life event (bereavement, illness, job loss, financial
hardship) as distress; its row shows what that adds.

Throughput: ``analyse`` one text at a time, and ``analyse_many`` in batches of 256, over dev.

Data: ``../shared/datasets`` (or ``$TACTFUL_DATASETS``). Prints Rich tables to stderr and one
JSON line to stdout.

    python benchmarks/mood.py [--single 1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from tactful.errors import NotFound
from tactful.signals import MoodReading, analyse, analyse_many, goemotions
from tactful.signals.emotions import OUTPUTS, SENTIMENT_GROUPS, default_model, polarity

console = Console(stderr=True)
GROUPS = len(SENTIMENT_GROUPS)
DISTRESS = OUTPUTS.index("distress")


def vader_predictions(texts: list[str]) -> np.ndarray:
    """VADER's standard rule mapped onto the model's outputs (only the columns it can fill)."""
    compound = polarity(texts)[:, 0]
    out = np.zeros((len(texts), len(OUTPUTS)), dtype=bool)
    out[:, SENTIMENT_GROUPS.index("positive")] = compound >= 0.05
    out[:, SENTIMENT_GROUPS.index("negative")] = compound <= -0.05
    out[:, SENTIMENT_GROUPS.index("neutral")] = np.abs(compound) < 0.05
    out[:, DISTRESS] = compound <= -0.05
    return out


def summarise(gold: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    s = goemotions.score(gold, predicted)
    return {
        "sentiment_macro_f1": round(float(s.f1[:GROUPS].mean()), 4),
        "f1": {g: round(float(s.f1[j]), 4) for j, g in enumerate(SENTIMENT_GROUPS)},
        "distress_precision": round(float(s.precision[DISTRESS]), 4),
        "distress_recall": round(float(s.recall[DISTRESS]), 4),
        "distress_f1": round(float(s.f1[DISTRESS]), 4),
    }


def throughput(texts: list[str], single: int) -> tuple[dict[str, float], list[MoodReading]]:
    started = time.perf_counter()
    model = default_model()
    load_s = time.perf_counter() - started
    analyse(texts[0])  # warm the hashers and VADER
    started = time.perf_counter()
    for text in texts[:single]:
        analyse(text)
    one_by_one = min(single, len(texts)) / (time.perf_counter() - started)
    started = time.perf_counter()
    readings = []
    for i in range(0, len(texts), 256):
        readings += analyse_many(texts[i : i + 256], model=model)
    batched = len(texts) / (time.perf_counter() - started)
    speed = {
        "model_load_s": round(load_s, 3),
        "analyse_texts_per_s": round(one_by_one, 1),
        "analyse_many_texts_per_s": round(batched, 1),
    }
    return speed, readings


def analyse_predictions(readings: list[MoodReading]) -> np.ndarray:
    """What ``analyse`` says: the model's groups, and distress from the model or a hard event."""
    out = np.zeros((len(readings), len(OUTPUTS)), dtype=bool)
    for i, r in enumerate(readings):
        for g in r.sentiment:
            out[i, SENTIMENT_GROUPS.index(g)] = True
        out[i, DISTRESS] = r.distress
    return out


def table(results: dict[str, dict[str, Any]]) -> Table:
    t = Table(title="GoEmotions dev: sentiment groups (macro-F1) and distress")
    for col in ("method", "macro-F1", *SENTIMENT_GROUPS, "distress P", "distress R"):
        t.add_column(col, justify="left" if col == "method" else "right")
    for name, r in results.items():
        t.add_row(
            name,
            f"{r['sentiment_macro_f1']:.3f}",
            *(f"{r['f1'][g]:.3f}" for g in SENTIMENT_GROUPS),
            f"{r['distress_precision']:.3f}",
            f"{r['distress_recall']:.3f}",
        )
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mood benchmark on GoEmotions dev.")
    parser.add_argument("--single", type=int, default=1000, help="texts timed one by one")
    args = parser.parse_args(argv)
    try:
        dev = goemotions.read_split("dev")
    except NotFound as err:
        console.print(f"[yellow]skipped[/yellow]: {err.message}")
        return 0
    texts = list(dev.texts)
    gold = goemotions.targets(dev)
    speed, readings = throughput(texts, args.single)
    model = default_model()
    results = {
        "VADER alone": summarise(gold, vader_predictions(texts)),
        "shipped model": summarise(gold, model.decide(model.predict(texts))),
        "analyse (model + life events)": summarise(gold, analyse_predictions(readings)),
    }
    console.print(table(results))
    console.print(speed)
    print(json.dumps({"benchmark": "mood", "split": "dev", "rows": len(texts)} | results | speed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
