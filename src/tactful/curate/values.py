"""The values guard: what a person says they care about lifts the items that share it.

Only declared values count (``Preferences.values``); values inferred from behaviour never
lift anything. Each lift is recorded as ``value`` evidence, which the explainer turns into a
``matches_value`` reason.
"""

from __future__ import annotations

from tactful.curate.context import Context
from tactful.curate.guard import Guard, Input, never_held, rescore
from tactful.types import Evidence, ItemId, Scored


def _lift(scored: Scored, ctx: Context) -> Scored:
    """Add ``values_boost`` times the best score to every item sharing a declared value."""
    declared = set(ctx.prefs.values)
    if not declared or not scored.items:
        return scored
    top = max(scored.scores)
    lift = ctx.settings.values_boost * (top if top > 0 else 1.0)
    if lift <= 0:
        return scored
    lifted: dict[ItemId, float] = {}
    extra: dict[ItemId, tuple[Evidence, ...]] = {}
    for i, s in zip(scored.items, scored.scores, strict=True):
        item = ctx.catalogue.get(i)
        shared = sorted(declared.intersection(item.values)) if item is not None else []
        if shared:
            lifted[i] = s + lift
            extra[i] = tuple(Evidence("value", lift / len(shared), detail=v) for v in shared)
    return rescore(scored, lifted, extra)


VALUES = Guard("values", "", _lift, frozenset({Input.PREFERENCES, Input.CATALOGUE}), never_held)
