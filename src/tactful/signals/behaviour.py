"""Signals computed from behaviour when they are read: interests and values affinity,
recency, trust and retargeting counts.

They are never stored, so they cannot go stale and vanish exactly when the events behind
them do (erasure, retention, a withdrawn consent). Each is cheap: one pass over the
person's history, which serving has loaded anyway.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from tactful.settings import DEFAULT_EVENT_WEIGHTS, Settings
from tactful.signals.profile import INTEREST, RETARGETING, VALUE
from tactful.types import (
    Event,
    EventType,
    Exposure,
    Item,
    ItemId,
    Purpose,
    Sensitivity,
    Signal,
    SubjectId,
)

ENGAGEMENT = frozenset(
    {
        EventType.VIEW,
        EventType.CLICK,
        EventType.ADD_TO_CART,
        EventType.PURCHASE,
        EventType.RATING,
        EventType.SHARE,
        EventType.PROGRESS,
    }
)
"""What counts as engaging with a shown item (a dismissal is handled by its own guard)."""
TRUST_WINDOW = timedelta(days=30)
EVIDENCE_KEPT = 5


def unengaged_shows(
    exposures: Iterable[Exposure], history: Iterable[Event], *, now: datetime, window: timedelta
) -> dict[ItemId, int]:
    """Per item, how often it was shown within ``window`` since the person last engaged
    with it (or at all, if they never did)."""
    return count_unengaged(exposures, last_engaged(history), now=now, window=window)


def last_engaged(history: Iterable[Event]) -> dict[ItemId, datetime]:
    """Per item, when the person last engaged with it."""
    engaged: dict[ItemId, datetime] = {}
    for e in history:
        if e.item_id is not None and e.type in ENGAGEMENT:
            seen = engaged.get(e.item_id)
            if seen is None or e.occurred_at > seen:
                engaged[e.item_id] = e.occurred_at
    return engaged


def count_unengaged(
    exposures: Iterable[Exposure],
    engaged: Mapping[ItemId, datetime],
    *,
    now: datetime,
    window: timedelta,
) -> dict[ItemId, int]:
    """``unengaged_shows`` with the engagement times already gathered."""
    since = now - window
    counts: dict[ItemId, int] = defaultdict(int)
    for x in exposures:
        if x.at < since or x.at > now:
            continue
        for item_id in x.items:
            last = engaged.get(item_id)
            if last is None or x.at > last:
                counts[item_id] += 1
    return dict(counts)


def _decay(at: datetime, now: datetime, half_life: timedelta | None) -> float:
    if half_life is None:
        return 1.0
    age = max(0.0, (now - at).total_seconds())
    return math.pow(0.5, age / half_life.total_seconds())


def affinity(
    history: Iterable[Event],
    catalogue: Mapping[ItemId, Item],
    *,
    attribute: str,
    now: datetime,
    half_life: timedelta | None = None,
    weights: Mapping[str, float] = DEFAULT_EVENT_WEIGHTS,
) -> dict[str, tuple[float, list[Event]]]:
    """Per category (``attribute="categories"``) or value (``"values"``), the person's
    time-decayed positive interaction weight, split evenly over an item's attributes, and
    the events behind it (newest last). Negative events (dismissals) do not count here."""
    return _split(_weighted(history, catalogue, now, half_life, weights), attribute)


def affinities(
    history: Iterable[Event],
    catalogue: Mapping[ItemId, Item],
    *,
    attributes: Sequence[str],
    now: datetime,
    half_life: timedelta | None = None,
    weights: Mapping[str, float] = DEFAULT_EVENT_WEIGHTS,
) -> dict[str, dict[str, tuple[float, list[Event]]]]:
    """``affinity`` for each of ``attributes``, the events weighed once for all of them."""
    weighted = _weighted(history, catalogue, now, half_life, weights)
    return {attribute: _split(weighted, attribute) for attribute in attributes}


Weighted = list[tuple[Event, Item, float]]


def _weighted(
    history: Iterable[Event],
    catalogue: Mapping[ItemId, Item],
    now: datetime,
    half_life: timedelta | None,
    weights: Mapping[str, float],
) -> Weighted:
    """The events ``affinity`` counts, each with its item and decayed weight (computed once
    for both attributes)."""
    by_type = {t: weights.get(str(t), 0.0) for t in EventType}
    span = half_life.total_seconds() if half_life is not None else None
    out: Weighted = []
    for e in history:
        item = catalogue.get(e.item_id) if e.item_id is not None else None
        w = by_type.get(e.type)
        if w is None:
            w = weights.get(str(e.type), 0.0)
        if item is None or w <= 0 or item.sensitive is not Sensitivity.NONE:
            continue  # nothing is ever inferred from sensitive items
        if span is not None:  # ``_decay`` inline: it runs for every event of every request
            w = w * math.pow(0.5, max(0.0, (now - e.occurred_at).total_seconds()) / span)
        else:
            w = w * 1.0
        out.append((e, item, w))
    return out


def _split(weighted: Weighted, attribute: str) -> dict[str, tuple[float, list[Event]]]:
    totals: dict[str, float] = {}
    events: dict[str, list[Event]] = {}
    for e, item, weight in weighted:
        names: tuple[str, ...] = getattr(item, attribute)
        if not names:
            continue
        share = weight / len(names)
        for name in names:
            if name in totals:
                totals[name] += share
                events[name].append(e)
            else:
                totals[name] = 0.0 + share
                events[name] = [e]
    return {name: (total, events[name]) for name, total in totals.items()}


def category_mix(
    history: Iterable[Event],
    catalogue: Mapping[ItemId, Item],
    *,
    now: datetime,
    half_life: timedelta | None = None,
) -> dict[str, float]:
    """The person's category distribution (shares summing to 1; empty without history)."""
    raw = affinity(history, catalogue, attribute="categories", now=now, half_life=half_life)
    total = sum(w for w, _ in raw.values())
    return {c: w / total for c, (w, _) in raw.items()} if total > 0 else {}


def _affinity_signals(
    subject: SubjectId,
    raw: Mapping[str, tuple[float, list[Event]]],
    *,
    prefix: str,
    now: datetime,
    keep: int,
    half_life: timedelta,
) -> list[Signal]:
    total = sum(w for w, _ in raw.values())
    ranked = sorted(raw.items(), key=lambda kv: (-kv[1][0], kv[0]))[:keep]
    out = []
    for name, (weight, events) in ranked:
        latest = max(e.occurred_at for e in events)
        out.append(
            Signal(
                subject_id=subject,
                kind=prefix + name,
                value=round(weight / total, 6),
                purpose=Purpose.PERSONALIZATION,
                created_at=now,
                expires_at=latest + 4 * half_life,
                detail={"events": len(events), "weight": round(weight, 6)},
                evidence=tuple(e.event_id for e in events[-EVIDENCE_KEPT:]),
            )
        )
    return out


def _recency(subject: SubjectId, history: Sequence[Event], now: datetime) -> list[Signal]:
    if not history:
        return []
    last = max(history, key=lambda e: (e.occurred_at, e.event_id))
    days = max(0.0, (now - last.occurred_at).total_seconds() / 86400)
    return [
        Signal(
            subject,
            "recency",
            round(days, 3),
            Purpose.PERSONALIZATION,
            now,
            detail={"unit": "days since the last interaction", "last": last.type.value},
            evidence=(last.event_id,),
        )
    ]


def trust_signal(
    subject: SubjectId,
    history: Iterable[Event],
    *,
    now: datetime,
    complaints: int = 0,
    opt_outs: int = 0,
) -> Signal:
    """1.0 is full trust; recent dismissals, complaints and withdrawn consents lower it."""
    since = now - TRUST_WINDOW
    dismissed = [e for e in history if e.type is EventType.DISMISS and e.occurred_at >= since]
    value = 1.0 / (1.0 + 0.2 * len(dismissed) + 0.5 * complaints + 0.5 * opt_outs)
    return Signal(
        subject,
        "trust",
        round(value, 6),
        Purpose.PERSONALIZATION,
        now,
        detail={
            "dismissals_30d": len(dismissed),
            "complaints_30d": complaints,
            "opt_outs": opt_outs,
        },
        evidence=tuple(e.event_id for e in dismissed[-EVIDENCE_KEPT:]),
    )


def _retargeting(
    subject: SubjectId, counts: Mapping[ItemId, int], now: datetime, window: timedelta
) -> list[Signal]:
    return [
        Signal(
            subject,
            RETARGETING + item_id,
            float(n),
            Purpose.PERSONALIZATION,
            now,
            expires_at=now + window,
            detail={"shown_without_engagement": n, "window_days": window.days},
        )
        for item_id, n in sorted(counts.items())
    ]


def behaviour_signals(
    subject: SubjectId,
    history: Sequence[Event],
    exposures: Sequence[Exposure],
    catalogue: Mapping[ItemId, Item],
    *,
    now: datetime,
    settings: Settings,
) -> list[Signal]:
    """Interests, values, recency and retargeting counts from personalization data."""
    half_life = timedelta(days=settings.signals.interest_half_life_days)
    weights = settings.recommend.event_weights
    keep = settings.signals.max_interests
    out: list[Signal] = []
    weighted = _weighted(history, catalogue, now, half_life, weights)
    for attribute, prefix in (("categories", INTEREST), ("values", VALUE)):
        raw = _split(weighted, attribute)
        out += _affinity_signals(
            subject, raw, prefix=prefix, now=now, keep=keep, half_life=half_life
        )
    out += _recency(subject, history, now)
    window = timedelta(days=settings.guards.retargeting_window_days)
    counts = unengaged_shows(exposures, history, now=now, window=window)
    out += _retargeting(subject, counts, now, window)
    return out
