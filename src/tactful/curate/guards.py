"""The guards: each takes the scored list and the context and returns a shorter (or
reordered) list. They share one signature so the pipeline is a plain list; each one has a
fixed held-back ``kind`` and a plain-words ``text``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tactful.curate.context import Context, keep
from tactful.types import Scored, Sensitivity


@dataclass(frozen=True, slots=True)
class Guard:
    """A named step of the curation pipeline; called like ``Guard(scored, ctx) -> Scored``."""

    kind: str
    text: str
    apply: Callable[[Scored, Context], Scored]
    held: Callable[[Scored, Scored, Context], int] | None = None
    """How many items to report as held back; default: how many the guard removed."""

    def __call__(self, scored: Scored, ctx: Context) -> Scored:
        return self.apply(scored, ctx)

    def held_back(self, before: Scored, after: Scored, ctx: Context) -> int:
        if self.held is not None:
            return self.held(before, after, ctx)
        return len(before) - len(after)


def _available(scored: Scored, ctx: Context) -> Scored:
    def ok(i: str) -> bool:
        item = ctx.catalogue.get(i)
        return item is not None and item.available

    return keep(scored, ok)


def _not_purchased(scored: Scored, ctx: Context) -> Scored:
    bought = ctx.purchased
    return keep(scored, lambda i: i not in bought)


def _not_dismissed(scored: Scored, ctx: Context) -> Scored:
    gone = ctx.dismissed
    return keep(scored, lambda i: i not in gone)


def _not_muted(scored: Scored, ctx: Context) -> Scored:
    muted = set(ctx.prefs.muted_categories)
    if not muted:
        return scored
    return keep(scored, lambda i: muted.isdisjoint(ctx.catalogue[i].categories))


def _sensitive_allowed(scored: Scored, ctx: Context) -> Scored:
    allowed = set(ctx.prefs.allowed_sensitive)

    def ok(i: str) -> bool:
        s = ctx.catalogue[i].sensitive
        return s is Sensitivity.NONE or s in allowed

    return keep(scored, ok)


def _above_floor(scored: Scored, ctx: Context) -> int:
    """How many items score within the floor of the best one (all, if scores are not
    positive, as in an unscored fallback)."""
    if not scored.items or scored.scores[0] <= 0:
        return len(scored)
    floor = ctx.settings.score_floor * scored.scores[0]
    return sum(1 for s in scored.scores if s >= floor)


def _within_budget(scored: Scored, ctx: Context) -> Scored:
    """At most the budget, and never padded with items far below the best one."""
    n = min(_above_floor(scored, ctx), ctx.budget)
    chosen = scored.items[:n]
    evidence = {i: scored.evidence[i] for i in chosen if i in scored.evidence}
    return Scored(chosen, scored.scores[:n], evidence)


def _held_by_budget(before: Scored, after: Scored, ctx: Context) -> int:
    """Only the good items the person's budget kept out of the list they asked for."""
    return max(0, min(_above_floor(before, ctx), ctx.limit) - len(after))


UNAVAILABLE = Guard("unavailable", "not available right now", _available)
ALREADY_PURCHASED = Guard("already_purchased", "you already bought", _not_purchased)
DISMISSED = Guard("dismissed", "you said you were not interested in", _not_dismissed)
MUTED_CATEGORY = Guard("muted_category", "in categories you muted", _not_muted)
SENSITIVE = Guard(
    "sensitive", "in sensitive categories we never suggest unless you ask", _sensitive_allowed
)
BUDGET = Guard(
    "budget", "left out to keep your list short, as you asked", _within_budget, _held_by_budget
)

REGISTRY: dict[str, tuple[Guard, ...]] = {
    "eligibility": (UNAVAILABLE, ALREADY_PURCHASED),
    "dismissed": (DISMISSED,),
    "muted_category": (MUTED_CATEGORY,),
    "sensitive": (SENSITIVE,),
    "budget": (BUDGET,),
}
