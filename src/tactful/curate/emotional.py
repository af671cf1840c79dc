"""The emotional-context guard: in a hard time, hold back offers and show less.

A hard time is distress or a live life event read from text (only ever under a granted
``emotional_context``), or a pause the person declared. Then a proactive list (a ``home``
or ``email`` request context) shows nothing at all, only the gentle note; a list the person
asked for (``search``, ``browse``) drops promotional items and items priced at
``high_price`` or more, keeps helpful ones, and shrinks to ``distress_max_items`` (see
``Context.budget``). The held-back note is gentle and does not count at people.

The ``tender`` guards: while distress or a bereavement (``guards.tender_life_events``) is
live, items of the categories the person's texts of that time are about
(``Profile.topics``) and items of orders they cancelled or returned are left out too.
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
    if ctx.request.proactive:
        return Scored((), ())
    return keep(scored, lambda i: is_gentle(i, ctx))


EMOTIONAL_CONTEXT = Guard(
    "emotional_context",
    QUIET_TEXT,
    _calm,
    BUDGET_INPUTS | {Input.CATALOGUE, Input.REQUEST},
    displaced,
    whole=True,
)


def _tender(ctx: Context) -> bool:
    return ctx.signals.tender(ctx.settings.tender_life_events)


def _off_topic(scored: Scored, ctx: Context) -> Scored:
    """Nothing of the categories the person wrote about in their hard time."""
    topics = ctx.signals.topics
    if not topics or not _tender(ctx):
        return scored

    def ok(i: ItemId) -> bool:
        item = ctx.catalogue.get(i)
        return item is None or topics.isdisjoint(item.categories)

    return keep(scored, ok)


def _not_undone(scored: Scored, ctx: Context) -> Scored:
    """Nothing the person cancelled or returned."""
    undone = ctx.undone
    if not undone or not _tender(ctx):
        return scored
    return keep(scored, lambda i: i not in undone)


HARD_TOPIC = Guard(
    "hard_topic",
    "left out for now: they are about what you wrote to us",
    _off_topic,
    frozenset({Input.SIGNALS, Input.CATALOGUE}),
)
CANCELLED_ORDER = Guard(
    "cancelled_order",
    "left out for now: from orders you cancelled or returned",
    _not_undone,
    frozenset({Input.SIGNALS, Input.HISTORY}),
)
