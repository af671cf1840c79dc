""" "Why this?" for one item: the full evidence behind it, not just the sentence.

The model's evidence for the item (with the person's own events behind each piece and the
weight each event carries), the model version, what every guard did to it, whether it would
be shown, the reasons in plain words, and the signals that shaped the list. Pure: the
caller prepares the scored list and context exactly as serving does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tactful.curate import Context, Guard, curate
from tactful.curate.pipeline import Step
from tactful.explain.reasons import explain
from tactful.recommend.weighting import event_weight
from tactful.settings import DEFAULT_EVENT_WEIGHTS
from tactful.types import Event, Evidence, Item, ItemId, Reason, Scored


@dataclass(frozen=True, slots=True)
class WeightedEvent:
    """One of the person's events behind a piece of evidence, with its interaction weight."""

    event: Event
    weight: float


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """A piece of the model's evidence; ``kept`` says whether the reasons shown use it (a
    sensitive or very recent private item never is; nothing is, for an item held back)."""

    evidence: Evidence
    kept: bool
    events: tuple[WeightedEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class Why:
    subject_id: str
    item: Item
    model_version: str | None
    personalized: bool
    candidate: bool
    """The model scored the item among its candidates at all."""
    model_score: float | None
    score: float | None
    shown: bool
    rank: int | None
    held_back_by: str | None
    reasons: tuple[Reason, ...]
    evidence: tuple[EvidenceView, ...]
    guards: tuple[Step, ...]
    context: tuple[str, ...]
    """What made this a hard time (``pause``, ``distress``, life events), if it is one."""


def _weighted(
    ev: Evidence, by_item: Mapping[ItemId, list[Event]], weights: Mapping[str, float], scale: float
) -> tuple[WeightedEvent, ...]:
    if ev.item_id is None:
        return ()
    return tuple(
        WeightedEvent(e, round(event_weight(e, weights, scale), 6))
        for e in by_item.get(ev.item_id, ())
    )


def _evidence(
    raw: Sequence[Evidence],
    final: Sequence[Evidence],
    ctx: Context,
    weights: Mapping[str, float],
    scale: float,
) -> tuple[EvidenceView, ...]:
    by_item: dict[ItemId, list[Event]] = {}
    for e in ctx.history:
        if e.item_id is not None:
            by_item.setdefault(e.item_id, []).append(e)
    kept = set(final)
    return tuple(EvidenceView(ev, ev in kept, _weighted(ev, by_item, weights, scale)) for ev in raw)


def why(
    item_id: ItemId,
    scored: Scored,
    ctx: Context,
    guards: Sequence[Guard],
    *,
    model_version: str | None,
    weights: Mapping[str, float] = DEFAULT_EVENT_WEIGHTS,
    rating_scale: float = 5.0,
) -> Why:
    """Trace one item through the guards and gather the evidence behind it."""
    item = ctx.catalogue[item_id]
    candidate = item_id in scored.items
    curated = curate(scored, ctx, guards, watch=item_id)
    trace = curated.trace
    if not candidate and item_id in ctx.purchased:
        # bought items are never candidates (serving excludes them); say so plainly
        trace = (Step("already_purchased", "held_back", None, None),)
    shown = item_id in curated.scored.items
    held_by = next((s.guard for s in trace if s.outcome == "held_back"), None)
    model_score = scored.scores[scored.items.index(item_id)] if candidate else None
    final_score = next((s.score for s in reversed(curated.trace) if s.score is not None), None)
    final_score = model_score if final_score is None else final_score
    rank = curated.scored.items.index(item_id) + 1 if shown else None
    raw = scored.evidence.get(item_id, ())
    used = curated.scored.evidence.get(item_id, ()) if shown else ()
    reasons = explain(curated.scored, ctx)[item_id] if shown else ()
    return Why(
        subject_id=ctx.subject_id,
        item=item,
        model_version=model_version,
        personalized=ctx.personalized,
        candidate=candidate,
        model_score=model_score,
        score=final_score,
        shown=shown,
        rank=rank,
        held_back_by=held_by,
        reasons=reasons,
        evidence=_evidence(raw, used, ctx, weights, rating_scale),
        guards=trace,
        context=ctx.signals.why_quiet,
    )
