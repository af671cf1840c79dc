"""Guards against feeling watched: no suggestions straight from private-source data, no
item chased across visits, no hyper-targeting from a single glance."""

from __future__ import annotations

from datetime import timedelta

from tactful.curate.context import Context, keep
from tactful.curate.guard import BUDGET_INPUTS, Guard, Input, displaced, rescore
from tactful.signals.behaviour import count_unengaged
from tactful.types import Evidence, ItemId, Scored

PRIVATE_EVIDENCE = frozenset({"location", "social"})
"""Evidence kinds that are private by nature, whoever emits them."""


def _fresh_private_items(ctx: Context) -> frozenset[ItemId]:
    """Items every event of which is private and inside the cooldown."""
    since = ctx.now - timedelta(hours=ctx.settings.creepiness_cooldown_hours)
    return frozenset(i for i, first in ctx.private_only.items() if first >= since)


def _fresh_private(ev: Evidence, fresh: frozenset[ItemId]) -> bool:
    """Whether this piece of evidence rests only on private events inside the cooldown."""
    if ev.kind in PRIVATE_EVIDENCE:
        return True
    return ev.kind == "item" and ev.item_id in fresh


def _cooldown(scored: Scored, ctx: Context) -> Scored:
    """Drop items whose only positive evidence is fresh private data, and strip that
    evidence from the others so no reason names it."""
    fresh_items = _fresh_private_items(ctx)
    if not fresh_items and not any(
        ev.kind in PRIVATE_EVIDENCE for evs in scored.evidence.values() for ev in evs
    ):
        return scored  # the usual case: nothing private and recent to hold back
    evidence: dict[ItemId, tuple[Evidence, ...]] = {}
    creepy: set[ItemId] = set()
    for i in scored.items:
        found = scored.evidence.get(i, ())
        fresh = [_fresh_private(ev, fresh_items) for ev in found]
        supporting = [f for f, ev in zip(fresh, found, strict=True) if ev.weight > 0]
        if supporting and all(supporting):
            creepy.add(i)
        evidence[i] = tuple(ev for f, ev in zip(fresh, found, strict=True) if not f)
    return keep(Scored(scored.items, scored.scores, evidence), lambda i: i not in creepy)


def _not_chased(scored: Scored, ctx: Context) -> Scored:
    """Drop items shown ``retargeting_max_shows`` times within the window without the
    person engaging with them since."""
    window = timedelta(days=ctx.settings.retargeting_window_days)
    shows = count_unengaged(ctx.exposures, ctx.last_engaged, now=ctx.now, window=window)
    cap = ctx.settings.retargeting_max_shows
    return keep(scored, lambda i: shows.get(i, 0) < cap)


def _margin(scored: Scored, ctx: Context) -> Scored:
    """An item backed by a single view ranks with its score reduced by
    ``single_signal_margin``: it appears only if it beats the rest by that margin."""
    once = ctx.single_views
    if not once:
        return scored
    factor = 1.0 - ctx.settings.single_signal_margin
    lowered: dict[ItemId, float] = {}
    for i, s in zip(scored.items, scored.scores, strict=True):
        backing = [ev for ev in scored.evidence.get(i, ()) if ev.kind == "item" and ev.weight > 0]
        if len(backing) == 1 and backing[0].item_id in once:
            lowered[i] = s * factor
    return rescore(scored, lowered)


CREEPINESS_COOLDOWN = Guard(
    "creepiness_cooldown",
    "held back because they came from very recent private activity",
    _cooldown,
    frozenset({Input.HISTORY, Input.CLOCK}),
)
RETARGETING_CAP = Guard(
    "retargeting_cap",
    "shown to you several times already, so we let them rest",
    _not_chased,
    frozenset({Input.EXPOSURES, Input.HISTORY, Input.CLOCK}),
)
SINGLE_SIGNAL = Guard(
    "single_signal",
    "based on a single view, waiting until we know more",
    _margin,
    BUDGET_INPUTS | {Input.HISTORY},
    displaced,
)
