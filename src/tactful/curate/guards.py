"""The guards: each takes the scored list and the context and returns a shorter (or
reordered) list. They share one signature so the pipeline is a plain list; each one has a
fixed held-back ``kind`` and a plain-words ``text``.

This module holds the eligibility and preference guards and ``REGISTRY``, the names the
settings use (``guards.order``); the tact guards live in ``emotional``, ``creepiness``,
``values``, ``diversity`` and ``arrivals``.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from tactful.curate.arrivals import NEW_ARRIVALS
from tactful.curate.context import Context, keep
from tactful.curate.creepiness import CREEPINESS_COOLDOWN, RETARGETING_CAP, SINGLE_SIGNAL
from tactful.curate.diversity import DIVERSITY
from tactful.curate.emotional import CANCELLED_ORDER, EMOTIONAL_CONTEXT, HARD_TOPIC
from tactful.curate.guard import BUDGET_INPUTS, Guard, Input, above_floor, rescore
from tactful.curate.moving import MOVING
from tactful.curate.values import VALUES
from tactful.types import ItemId, Scored, Sensitivity

__all__ = ["REGISTRY", "Guard", "Input"]


def _available(scored: Scored, ctx: Context) -> Scored:
    def ok(i: str) -> bool:
        item = ctx.catalogue.get(i)
        return item is not None and item.available

    return keep(scored, ok)


def _not_purchased(scored: Scored, ctx: Context) -> Scored:
    bought = ctx.purchased
    return keep(scored, lambda i: i not in bought)


def _not_in_cart(scored: Scored, ctx: Context) -> Scored:
    """What the person added to their cart in the last ``cart_days`` and has not bought
    since: they found it already, and it is waiting for them."""
    since = ctx.now - timedelta(days=ctx.settings.cart_days)
    cart = {i for i, at in ctx.in_cart.items() if at >= since}
    if not cart:
        return scored
    return keep(scored, lambda i: i not in cart)


def _dismissed_categories(ctx: Context) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item_id in ctx.dismissed:
        item = ctx.catalogue.get(item_id)
        if item is not None:
            counts.update(set(item.categories))
    return counts


def _not_dismissed(scored: Scored, ctx: Context) -> Scored:
    """ "Not interested" is final for the item, and damps the rest of its category: each
    dismissal in a category multiplies its items' scores by ``dismissed_category_damping``."""
    gone = ctx.dismissed
    kept = keep(scored, lambda i: i not in gone)
    damping = ctx.settings.dismissed_category_damping
    counts = _dismissed_categories(ctx)
    if not counts or damping >= 1:
        return kept
    damped: dict[ItemId, float] = {}
    for i, s in zip(kept.items, kept.scores, strict=True):
        item = ctx.catalogue.get(i)
        hits = max((counts[c] for c in item.categories), default=0) if item else 0
        if hits:
            damped[i] = s * damping**hits
    return rescore(kept, damped)


def _not_muted(scored: Scored, ctx: Context) -> Scored:
    """Muted on the preference page, or asked in words ("no more baby stuff")."""
    muted = set(ctx.prefs.muted_categories) | ctx.signals.muted
    if not muted:
        return scored

    def ok(i: ItemId) -> bool:
        item = ctx.catalogue.get(i)
        return item is None or muted.isdisjoint(item.categories)

    return keep(scored, ok)


def _sensitive_allowed(scored: Scored, ctx: Context) -> Scored:
    """No sensitive item unless the person listed its category in ``allowed_sensitive``,
    and nothing inferred from sensitive behaviour: evidence naming a sensitive item is
    removed, and an item that only such evidence backed is dropped."""
    allowed = set(ctx.prefs.allowed_sensitive)

    def blocked(i: ItemId | None) -> bool:
        item = ctx.catalogue.get(i) if i is not None else None
        return (
            item is not None
            and item.sensitive is not Sensitivity.NONE
            and (item.sensitive not in allowed)
        )

    touched = ctx.sensitive_touched
    if not touched:  # the usual case: nothing sensitive in the history to infer from
        return keep(scored, lambda i: not blocked(i))
    evidence = dict(scored.evidence)
    inferred_only: set[ItemId] = set()
    for i, found in scored.evidence.items():
        if not any(ev.item_id in touched for ev in found):
            continue
        clean = tuple(ev for ev in found if not (ev.kind == "item" and ev.item_id in touched))
        if not any(ev.kind == "item" for ev in clean):
            inferred_only.add(i)
        evidence[i] = clean
    stripped = Scored(scored.items, scored.scores, evidence)
    return keep(stripped, lambda i: not blocked(i) and i not in inferred_only)


def _within_budget(scored: Scored, ctx: Context) -> Scored:
    """At most the budget, and never padded with items far below the best one."""
    n = min(above_floor(scored, ctx), ctx.budget)
    chosen = scored.items[:n]
    evidence = {i: scored.evidence[i] for i in chosen if i in scored.evidence}
    return Scored(chosen, scored.scores[:n], evidence)


def _held_by_budget(before: Scored, after: Scored, ctx: Context) -> int:
    """Only the good items the person's own budget kept out of the list they asked for
    (a hard time shrinking the list is reported by ``emotional_context``)."""
    good = above_floor(before, ctx)
    return max(0, min(good, ctx.limit) - min(good, ctx.asked_budget))


UNAVAILABLE = Guard(
    "unavailable", "not available right now", _available, frozenset({Input.CATALOGUE})
)
ALREADY_PURCHASED = Guard(
    "already_purchased", "you already bought", _not_purchased, frozenset({Input.HISTORY})
)
IN_CART = Guard(
    "in_cart", "already in your cart", _not_in_cart, frozenset({Input.HISTORY, Input.CLOCK})
)
DISMISSED = Guard(
    "dismissed",
    "you said you were not interested in",
    _not_dismissed,
    frozenset({Input.HISTORY, Input.CATALOGUE}),
)
MUTED_CATEGORY = Guard(
    "muted_category",
    "in categories you muted",
    _not_muted,
    frozenset({Input.PREFERENCES, Input.CATALOGUE, Input.SIGNALS}),
)
SENSITIVE = Guard(
    "sensitive",
    "in sensitive categories we never suggest unless you ask",
    _sensitive_allowed,
    frozenset({Input.PREFERENCES, Input.CATALOGUE, Input.HISTORY}),
)
BUDGET_TEXT = "left out to keep your list short"
CHOSEN_BUDGET_TEXT = f"{BUDGET_TEXT}, as you asked"


def _budget_text(ctx: Context) -> str:
    """ "as you asked" only when the person chose their budget (``max_recommendations``)."""
    return CHOSEN_BUDGET_TEXT if ctx.chose_budget else BUDGET_TEXT


BUDGET = Guard(
    "budget",
    BUDGET_TEXT,
    _within_budget,
    BUDGET_INPUTS,
    _held_by_budget,
    text_for=_budget_text,
)

REGISTRY: dict[str, tuple[Guard, ...]] = {
    "eligibility": (UNAVAILABLE, ALREADY_PURCHASED),
    "dismissed": (DISMISSED,),
    "muted_category": (MUTED_CATEGORY,),
    "sensitive": (SENSITIVE,),
    "in_cart": (IN_CART,),
    "creepiness_cooldown": (CREEPINESS_COOLDOWN,),
    "retargeting_cap": (RETARGETING_CAP,),
    "emotional_context": (EMOTIONAL_CONTEXT,),
    "tender": (HARD_TOPIC, CANCELLED_ORDER),
    "single_signal": (SINGLE_SIGNAL,),
    "values": (VALUES,),
    "moving": (MOVING,),
    "diversity": (DIVERSITY,),
    "new_arrivals": (NEW_ARRIVALS,),
    "budget": (BUDGET,),
}
