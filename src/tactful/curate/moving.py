"""The moving guard: context that helps, not only holds back.

While a relocation the person wrote about is live (``life_event:relocation``, only ever
under ``emotional_context``), the best ``guards.move_slots`` items of the categories
``guards.move_categories`` maps to a move (winter clothing after a move somewhere colder,
home and storage items) are lifted by ``guards.move_boost`` times the best score (1.0:
level with the best item; the diversity guard after it still mixes the list), each with
``moved`` evidence, which the explainer words as "Because you mentioned your move". Not
while a hard time is live (distress, a hard life event, a pause): then the emotional guard
wins and nothing is lifted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from tactful.curate.context import Context
from tactful.curate.guard import Guard, Input, never_held, rescore
from tactful.settings import GuardSettings
from tactful.signals.profile import LIFE_EVENT, Profile
from tactful.types import Evidence, Item, ItemId, Scored

RELOCATION = LIFE_EVENT + "relocation"
CANDIDATES_PER_SLOT = 3
MOVED = "moved"


def moving(profile: Profile) -> bool:
    """A live relocation and no hard time."""
    return any(s.kind == RELOCATION for s in profile.life_events) and not profile.quiet


def move_candidates(
    profile: Profile,
    catalogue: Mapping[ItemId, Item],
    ranked: Sequence[ItemId],
    settings: GuardSettings,
    *,
    exclude: Collection[ItemId] = (),
) -> tuple[ItemId, ...]:
    """The items of the move categories a list may need as candidates (a model trained on
    other people's habits rarely offers a mover a winter coat): the most popular first
    (``ranked``), a few per slot; none unless ``moving``."""
    mapped = {c.lower() for c in settings.move_categories}
    if not mapped or settings.move_slots <= 0 or not moving(profile):
        return ()
    out: list[ItemId] = []
    for i in ranked:
        item = catalogue.get(i)
        if (
            item is not None
            and i not in exclude
            and mapped.intersection(map(str.lower, item.categories))
        ):
            out.append(i)
            if len(out) >= CANDIDATES_PER_SLOT * settings.move_slots:
                break
    return tuple(out)


def _lift(scored: Scored, ctx: Context) -> Scored:
    mapped = {c.lower() for c in ctx.settings.move_categories}
    if not mapped or not moving(ctx.signals) or not scored.items:
        return scored
    top = max(scored.scores)
    lift = ctx.settings.move_boost * (top if top > 0 else 1.0)
    if lift <= 0:
        return scored
    lifted: dict[ItemId, float] = {}
    extra: dict[ItemId, tuple[Evidence, ...]] = {}
    for i, s in zip(scored.items, scored.scores, strict=True):  # best first
        if len(lifted) >= ctx.settings.move_slots:
            break
        item = ctx.catalogue.get(i)
        shared = sorted(c for c in (item.categories if item else ()) if c.lower() in mapped)
        if shared:
            lifted[i] = s + lift
            extra[i] = (Evidence(MOVED, lift, detail=shared[0]),)
    return rescore(scored, lifted, extra)


MOVING = Guard("moving", "", _lift, frozenset({Input.SIGNALS, Input.CATALOGUE}), never_held)
