"""What a simulation measures, per policy and week, and how runs over several seeds are
compared: the first policy minus each other one, with 95 % intervals (Student's t over the
paired runs, since every policy meets the same people and the same random draws)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scipy import stats

METRICS: tuple[str, ...] = (
    "purchases",
    "revenue",
    "lists_shown",
    "items_picked",
    "messages_sent",
    "messages_opened",
    "complaints",
    "withdrawals",
    "churned",
    "mean_trust",
    "handoffs",
    "promotions_in_hard_times",
)
"""Every week and summary holds these; all are counts over the week (over the run in the
summary) except ``mean_trust`` (everyone's trust at the week's end; the last week's in the
summary) and ``revenue`` (the item prices of purchases)."""

HIGHER_IS_BETTER = frozenset(
    {"purchases", "revenue", "items_picked", "messages_opened", "mean_trust", "handoffs"}
)


@dataclass(slots=True)
class Week:
    """One week's counts for one policy (``mean_trust`` is set at its end)."""

    counts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(METRICS, 0.0))

    def add(self, metric: str, amount: float = 1.0) -> None:
        self.counts[metric] += amount

    def as_dict(self) -> dict[str, float]:
        return {k: _round(self.counts[k]) for k in METRICS}


def _round(x: float) -> float:
    return round(float(x), 6)


def summarize(weeks: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Totals over the weeks; ``mean_trust`` as it stands at the end."""
    out = {k: _round(sum(w[k] for w in weeks)) for k in METRICS if k != "mean_trust"}
    out["mean_trust"] = _round(weeks[-1]["mean_trust"]) if weeks else 0.0
    return {k: out[k] for k in METRICS}


def mean_of(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    return {k: _round(sum(r[k] for r in rows) / len(rows)) for k in METRICS}


@dataclass(frozen=True, slots=True)
class Difference:
    """``first − other`` for one metric: the means over runs, the mean difference and its
    95 % interval (``None`` with a single run: one run says nothing about the spread)."""

    metric: str
    first: float
    other: float
    difference: float
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, float | str | None]:
        return {
            "metric": self.metric,
            "first": self.first,
            "other": self.other,
            "difference": self.difference,
            "low": self.low,
            "high": self.high,
        }


def compare(
    first: Sequence[Mapping[str, float]], other: Sequence[Mapping[str, float]]
) -> list[Difference]:
    """Per metric, the paired difference of run summaries with a 95 % t interval."""
    out: list[Difference] = []
    for k in METRICS:
        diffs = [f[k] - o[k] for f, o in zip(first, other, strict=True)]
        mean = sum(diffs) / len(diffs)
        low = high = None
        if len(diffs) > 1:
            sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1))
            half = float(stats.t.ppf(0.975, len(diffs) - 1)) * sd / math.sqrt(len(diffs))
            low, high = _round(mean - half), _round(mean + half)
        out.append(
            Difference(
                k,
                _round(sum(f[k] for f in first) / len(first)),
                _round(sum(o[k] for o in other) / len(other)),
                _round(mean),
                low,
                high,
            )
        )
    return out
