"""Fairness on live exposures: how concentrated exposure is, whether it leans to popular
items, how categories are shown against the catalogue, how groups of people are served, and
whether a sensitive item reached anyone who had not allowed it. Formulas: docs/insights.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from tactful.insights.groups import groups
from tactful.insights.rows import InsightRows
from tactful.insights.window import DIGITS, Window
from tactful.types import EventType, Exposure, Item, ItemId, Sensitivity

CONSUMED = frozenset({EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE})
CLICK_DAYS = 7
TERCILES = ("low", "mid", "high")


def gini(counts: Sequence[float]) -> float | None:
    """Gini coefficient of the counts (0: all equal, towards 1: all on one); None if all 0.
    With x sorted ascending, G = sum_i (2i - n - 1) x_i / (n sum x), i = 1..n."""
    x = np.sort(np.asarray(counts, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return None
    i = np.arange(1, n + 1)
    return round(float(((2 * i - n - 1) * x).sum() / (n * x.sum())), DIGITS)


def percentiles(popularity: Mapping[ItemId, int]) -> dict[ItemId, float]:
    """Mid-rank percentile of each item's popularity: (lower + equal / 2) / n, where lower
    counts the items less popular and equal those as popular (itself included)."""
    values = np.array(list(popularity.values()), dtype=float)
    n = len(values)
    ordered = np.sort(values)
    lower = np.searchsorted(ordered, values, side="left")
    upper = np.searchsorted(ordered, values, side="right")
    mid = (lower + (upper - lower) / 2) / max(n, 1)
    return dict(zip(popularity, mid.tolist(), strict=True))


def slots(exposures: Sequence[Exposure]) -> list[tuple[Exposure, ItemId]]:
    """Every (exposure, item shown) pair: one per position of every response."""
    return [(x, i) for x in exposures for i in x.items]


def popularity_lift(rows: InsightRows, shown: Sequence[Exposure], w: Window) -> float | None:
    """Mean popularity percentile of the items shown (per slot) minus that of the items
    consumed (per click, add to cart or purchase in the window)."""
    consumed = [
        e.item_id
        for e in rows.events
        if e.type in CONSUMED and e.item_id is not None and w.holds(e.occurred_at)
    ]
    shown_items = [i for _, i in slots(shown)]
    if not shown_items or not consumed:
        return None
    counts = Counter(consumed)
    known = {it.item_id for it in rows.items} | set(shown_items) | set(consumed)
    pct = percentiles({i: counts.get(i, 0) for i in sorted(known)})
    lift = np.mean([pct[i] for i in shown_items]) - np.mean([pct[i] for i in consumed])
    return round(float(lift), DIGITS)


def category_share(items: Sequence[Item], shown: Sequence[Exposure]) -> dict[str, Any]:
    """Per category: its share of shown slots and of the available catalogue (an item in
    two categories counts in both), and exposure share / catalogue share."""
    by_id = {it.item_id: it for it in items}
    available = [it for it in items if it.available]
    pairs = slots(shown)
    in_shown: Counter[str] = Counter()
    for _, i in pairs:
        in_shown.update(set(by_id[i].categories) if i in by_id else ())
    in_catalogue = Counter(c for it in available for c in set(it.categories))
    out: dict[str, Any] = {}
    for c in sorted(set(in_shown) | set(in_catalogue)):
        exp = in_shown[c] / len(pairs) if pairs else None
        cat = in_catalogue[c] / len(available) if available else None
        out[c] = {
            "exposures": None if exp is None else round(exp, DIGITS),
            "catalogue": None if cat is None else round(cat, DIGITS),
            "ratio": round(exp / cat, DIGITS) if exp is not None and cat else None,
        }
    return out


def sensitive_exposures(rows: InsightRows, shown: Sequence[Exposure]) -> int:
    """Slots where an item of a sensitive category was shown to a person who had not
    allowed that category in their preferences. Must be 0."""
    by_id = {it.item_id: it for it in rows.items}
    count = 0
    for x, i in slots(shown):
        item = by_id.get(i)
        if item is None or item.sensitive is Sensitivity.NONE:
            continue
        prefs = rows.preferences.get(x.subject_id)
        if prefs is None or item.sensitive not in prefs.allowed_sensitive:
            count += 1
    return count


def coverage(items: Sequence[Item], shown: Sequence[Exposure]) -> tuple[float | None, float | None]:
    """(Gini of exposure counts over the available items and any shown; share of the
    available items shown at least once)."""
    counts = Counter(i for _, i in slots(shown))
    available = {it.item_id for it in items if it.available}
    pool = available | set(counts)
    cover = round(len(available & set(counts)) / len(available), DIGITS) if available else None
    return gini([counts.get(i, 0) for i in sorted(pool)]), cover


def fairness_report(rows: InsightRows, w: Window, *, min_people: int) -> dict[str, Any]:
    """``GET /v1/insights/fairness`` over consented rows (see ``rows.consented``)."""
    shown = [x for x in rows.exposures if w.holds(x.at)]
    people = len({x.subject_id for x in shown})
    enough = people >= min_people
    concentration, cover = coverage(rows.items, shown) if enough else (None, None)
    return {
        "window": {"start": w.start, "end": w.end},
        "exposures": len(shown),
        "people": people,
        "exposure_gini": concentration,
        "catalogue_coverage": cover,
        "popularity_lift": popularity_lift(rows, shown, w) if enough else None,
        "category_share": category_share(rows.items, shown if enough else []),
        "groups": groups(rows, shown, w, min_people),
        "sensitive_exposures": sensitive_exposures(rows, shown),
        "min_people": min_people,
    }
