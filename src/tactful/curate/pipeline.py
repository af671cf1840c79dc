"""The curation pipeline: a plain list of guards run in order, with what each held back,
and (for one watched item) what each guard did to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tactful.curate.context import Context
from tactful.curate.guard import Guard
from tactful.curate.guards import REGISTRY
from tactful.errors import InvalidInput
from tactful.types import HeldBack, ItemId, Scored


@dataclass(frozen=True, slots=True)
class Step:
    """What one guard did to the watched item: ``passed``, ``held_back``, ``lifted``,
    ``lowered`` or ``moved``; ranks are 1-based."""

    guard: str
    outcome: str
    score: float | None
    rank: int | None


@dataclass(frozen=True, slots=True)
class Curated:
    scored: Scored
    held_back: tuple[HeldBack, ...]
    trace: tuple[Step, ...] = ()
    """The watched item's path through the guards, up to the one that held it back."""


def build_pipeline(order: Sequence[str]) -> tuple[Guard, ...]:
    """Guards in the configured order; an unknown name is a settings error."""
    guards: list[Guard] = []
    for name in order:
        if name not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            raise InvalidInput(f"unknown guard {name!r}; known: {known}", field="guards.order")
        guards.extend(REGISTRY[name])
    return tuple(guards)


def _step(guard: Guard, before: Scored, after: Scored, item_id: ItemId) -> Step:
    if item_id not in after.items:
        return Step(guard.kind, "held_back", None, None)
    r0, r1 = before.items.index(item_id), after.items.index(item_id)
    s0, s1 = before.scores[r0], after.scores[r1]
    if s1 > s0:
        outcome = "lifted"
    elif s1 < s0:
        outcome = "lowered"
    else:
        outcome = "moved" if r1 != r0 else "passed"
    return Step(guard.kind, outcome, s1, r1 + 1)


def curate(
    scored: Scored,
    ctx: Context,
    guards: Sequence[Guard],
    *,
    watch: ItemId | None = None,
    held: Sequence[HeldBack] = (),
) -> Curated:
    """Run every guard; each one's held-back count is summed by kind, in pipeline order.
    With ``watch``, also record what each guard did to that item. ``held`` is what earlier
    guards already held back, when resuming a pipeline run in part before."""
    counts: dict[str, int] = {h.kind: h.count for h in held}
    texts = {h.kind: h.text for h in held}
    by_kind: dict[str, Guard] = {}
    trace: list[Step] = []
    for guard in guards:
        after = guard(scored, ctx)
        n = guard.held_back(scored, after, ctx)
        if n > 0:
            counts[guard.kind] = counts.get(guard.kind, 0) + n
            by_kind[guard.kind] = guard
        if watch is not None and watch in scored.items:
            trace.append(_step(guard, scored, after, watch))
        scored = after
    summary = tuple(
        HeldBack(k, n, by_kind[k].describe(n, ctx) if k in by_kind else texts[k])
        for k, n in counts.items()
    )
    return Curated(scored, summary, tuple(trace))
