"""The emotional-context guard: in a hard time, hold back offers and show less.

A hard time is distress or a live life event read from text (only ever under a granted
``emotional_context``), or a pause the person declared. Then promotional items and items
priced at ``high_price`` or more are dropped, helpful ones stay, and the list shrinks to
``distress_max_items`` (see ``Context.budget``). The held-back note is gentle and does not
count at people.
"""

from __future__ import annotations

from tactful.curate.context import Context, keep
from tactful.curate.guard import BUDGET_INPUTS, Guard, Input, displaced
from tactful.types import ItemId, Scored

QUIET_TEXT = "We're keeping things quiet for now."


def is_gentle(item_id: ItemId, ctx: Context) -> bool:
    """Neither an offer nor a big purchase: fine to show in a hard time."""
    item = ctx.catalogue.get(item_id)
    if item is None:
        return False
    expensive = item.price is not None and item.price >= ctx.settings.high_price
    return not item.promotional and not expensive


def _calm(scored: Scored, ctx: Context) -> Scored:
    if not ctx.signals.quiet:
        return scored
    return keep(scored, lambda i: is_gentle(i, ctx))


EMOTIONAL_CONTEXT = Guard(
    "emotional_context",
    QUIET_TEXT,
    _calm,
    BUDGET_INPUTS | {Input.CATALOGUE},
    displaced,
    whole=True,
)
