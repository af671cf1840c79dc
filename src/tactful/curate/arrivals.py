"""The new-arrivals guard: a slot within the budget for something new in the shop.

New arrivals (``tactful.recommend.arrivals``) come to the guards after the model's
candidates, at a score below the floor, so every earlier guard has had its say about them
(eligibility, mutes, sensitive categories, a hard time ...). Run just before ``budget``, this
guard moves the best of those still there into the last ``new_arrival_slots`` places of the
person's budget, at the score of the item just above them: they count within the budget,
never beyond it. They take at most half of the budget, unless the model's own good items
leave room to spare; the items they push out of the list are reported as held back (by the
``budget`` guard when the person's budget is shorter than the list asked for).
"""

from __future__ import annotations

from tactful.curate.context import Context
from tactful.curate.guard import BUDGET_INPUTS, Guard, above_floor
from tactful.types import ItemId, Scored

ARRIVAL = "new_arrival"
"""The evidence kind new arrivals carry (``tactful.recommend.arrivals.ARRIVAL``)."""


def is_arrival(scored: Scored, item_id: ItemId) -> bool:
    return any(ev.kind == ARRIVAL for ev in scored.evidence.get(item_id, ()))


def _regular(scored: Scored, arrivals: set[ItemId]) -> Scored:
    pairs = [(i, s) for i, s in zip(scored.items, scored.scores, strict=True) if i not in arrivals]
    return Scored(tuple(i for i, _ in pairs), tuple(s for _, s in pairs))


def _slots(regular: Scored, waiting: int, ctx: Context) -> int:
    """How many new arrivals get a place: at most the setting, half the budget, or the
    room the model's good items leave."""
    budget = ctx.budget
    room = budget - min(above_floor(regular, ctx), budget) if len(regular) else budget
    return max(0, min(ctx.settings.new_arrival_slots, waiting, max(budget // 2, room)))


def _make_room(scored: Scored, ctx: Context) -> Scored:
    arrivals = [i for i in scored.items if is_arrival(scored, i)]
    if not arrivals:
        return scored
    regular = _regular(scored, set(arrivals))
    k = _slots(regular, len(arrivals), ctx)
    if k == 0:
        return scored
    ahead = min(len(regular), ctx.budget - k)
    given = regular.scores[ahead - 1] if ahead > 0 else max(regular.scores, default=1.0)
    lifted = set(arrivals[:k])
    current = dict(zip(scored.items, scored.scores, strict=True))
    order = [*regular.items[:ahead], *arrivals[:k], *regular.items[ahead:], *arrivals[k:]]
    scores = [max(current[i], given) if i in lifted else current[i] for i in order]
    ranked = sorted(range(len(order)), key=lambda j: -scores[j])  # stable: ties keep order
    items = tuple(order[j] for j in ranked)
    return Scored(items, tuple(scores[j] for j in ranked), scored.evidence)


def _made_room(before: Scored, after: Scored, ctx: Context) -> int:
    """The items within the budget that a new arrival took the place of, but for those the
    ``budget`` guard reports anyway (good items between the person's budget and the limit
    asked for), so that no item is counted twice."""
    gone = set(before.items[: ctx.budget]) - set(after.items[: ctx.budget])
    if not gone:
        return 0
    reported = range(ctx.asked_budget, min(above_floor(after, ctx), ctx.limit))
    return sum(1 for k, i in enumerate(after.items) if i in gone and k not in reported)


NEW_ARRIVALS = Guard(
    "new_arrivals",
    "left out to make room for something new in the shop",
    _make_room,
    BUDGET_INPUTS,
    _made_room,
)
