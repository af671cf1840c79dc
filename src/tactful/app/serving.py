"""Serving one person: consent → history → score → curate → explain → log the exposure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tactful.app.arrivals import NewArrivals
from tactful.app.exposures import ExposureLog, with_queued
from tactful.app.live import LiveModels, Loaded
from tactful.app.training import FALLBACK, served
from tactful.community import Joined, community_evidence
from tactful.consent import is_granted
from tactful.consent.policy import ConsentPolicy
from tactful.curate import Context, Guard, curate
from tactful.curate.moving import move_candidates, moving
from tactful.explain import explain
from tactful.recommend.arrivals import after
from tactful.recommend.interactions import History
from tactful.recommend.scale import SCALE
from tactful.recommend.weighting import history_from_events
from tactful.settings import Settings
from tactful.signals.derive import RETARGETING_LOOKBACK, retargeting_since, serving_signals
from tactful.signals.profile import Profile
from tactful.store.consented import consented_view
from tactful.store.ports import Stores, SubjectView
from tactful.types import (
    Event,
    EventType,
    Exposure,
    HeldBack,
    Item,
    ItemId,
    ItemKind,
    Preferences,
    Purpose,
    Reason,
    RequestContext,
    Scored,
    SubjectId,
)


@dataclass(frozen=True, slots=True)
class Recommended:
    item: Item
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Recommendation:
    subject_id: SubjectId
    items: tuple[Recommended, ...]
    held_back: tuple[HeldBack, ...]
    personalized: bool
    model_version: str | None
    logged: bool = False
    """The person granted ``personalization`` or ``analytics``, so showing them this may
    be logged under their id; otherwise it is only counted (``ExposureLog.tally``)."""


CONSUMED = frozenset({EventType.PURCHASE, EventType.RATING})
PRODUCTS = frozenset({ItemKind.PRODUCT})
"""What a list recommends when the request names no kinds."""
NO_MODEL = HeldBack("no_model", 0, "No model has been trained yet, so there is nothing to show.")


def _score(
    models: LiveModels, settings: Settings, history: Sequence[Event], hist: History
) -> tuple[Scored, Loaded | None]:
    """Personal scores for a weighted history ``hist`` when possible (a personalized
    request with history); otherwise the popular list."""
    n = settings.recommend.candidates
    if hist:
        model = models.get(served(models, settings.recommend.model))
        if model is not None:
            scored = model.scorer.score(hist, n=n, exclude=_consumed(history))
            if len(scored):
                return scored, model
    fallback = models.get(FALLBACK)
    if fallback is None:
        return Scored((), ()), None
    return fallback.scorer.score({}, n=n, exclude=_consumed(history)), fallback


def _scored(
    models: LiveModels,
    *,
    arrivals: NewArrivals,
    settings: Settings,
    view: SubjectView,
    personalized: bool,
    now: datetime,
) -> tuple[Scored, Loaded | None]:
    """The model's candidates, then (with ``personalization``) the new arrivals that
    match the person's history and declared interests (see ``curate.arrivals``)."""
    history = view.events
    hist: History = {}
    if personalized and history:
        rec = settings.recommend
        hist = history_from_events(history, rec.event_weights, rec.rating_scale)
    scored, model = _score(models, settings, history, hist)
    if personalized and model is not None:
        new = arrivals.score(hist, view.preferences, now=now, exclude=_consumed(history))
        scored = after(scored, new)
    return scored, model


MOVE_POOL = 500
"""How far down the popular list a mover's move-category candidates are looked for."""


def _with_moves(
    scored: Scored,
    models: LiveModels,
    *,
    profile: Profile,
    catalogue: Mapping[ItemId, Item],
    settings: Settings,
    history: Sequence[Event],
) -> Scored:
    """A mover's candidates also hold the most popular items of the move categories (at
    the tail, score 0), for the ``moving`` guard to lift (``curate.moving``)."""
    fallback = models.get(FALLBACK)
    if fallback is None or not moving(profile):
        return scored
    popular = fallback.scorer.score({}, n=MOVE_POOL, exclude=_consumed(history)).items
    found = move_candidates(profile, catalogue, popular, settings.guards, exclude=scored.items)
    return after(scored, Scored(found, (0.0,) * len(found))) if found else scored


def _consumed(history: Sequence[Event]) -> set[ItemId]:
    """Items the person bought or rated: never candidates again, so that a long history
    cannot crowd the candidate list with things they already have."""
    return {e.item_id for e in history if e.item_id and e.type in CONSUMED}


@dataclass(frozen=True, slots=True)
class Prepared:
    """A person's scored candidates and the context the guards curate them in."""

    scored: Scored
    ctx: Context
    model: Loaded | None
    stamp: int | None = None
    """The person's stamp when this was read (see ``SubjectView.stamp``)."""
    exposure_rows: tuple[tuple[int, Exposure], ...] = ()
    """The stored ones of ``ctx.exposures``, with their ids (the rest are still queued)."""
    turns_at: datetime | None = None
    """The next instant the stored state reads differently by itself: the earliest future
    expiry of a stored signal or the end of a pause."""
    logged: bool = False
    """Exposures may name the person (see ``Recommendation.logged``)."""


def _scale_of(model: Loaded | None) -> float | None:
    """The model's median best score, from its manifest (older models have none)."""
    found = model.manifest.get(SCALE) if model is not None else None
    return float(found) if isinstance(found, int | float) and found > 0 else None


def _turns_at(view: SubjectView, now: datetime) -> datetime | None:
    ends = [s.expires_at for s in view.signals if s.expires_at is not None and s.expires_at > now]
    pause = view.preferences.pause_until if view.preferences is not None else None
    if pause is not None and pause > now:
        ends.append(pause)
    return min(ends, default=None)


def _joined(joined: Sequence[Joined] | Callable[[], Sequence[Joined]]) -> Sequence[Joined]:
    return joined() if callable(joined) else joined


def prepare(
    subject: SubjectId,
    *,
    stores: Stores,
    models: LiveModels,
    catalogue: dict[ItemId, Item],
    settings: Settings,
    policy: ConsentPolicy,
    now: datetime,
    limit: int,
    log: ExposureLog,
    arrivals: NewArrivals,
    request: RequestContext = RequestContext.HOME,
    kinds: frozenset[ItemKind] = PRODUCTS,
    joined: Sequence[Joined] | Callable[[], Sequence[Joined]] = (),
) -> Prepared:
    """Everything before curation: consent, history, scores, signals and exposures (the
    stored ones and those still queued in ``log``). Only candidates of ``kinds`` are
    kept; the communities the person ``joined`` add their evidence (``community``); given
    as a callable, they are read only for a person who granted ``community``, after their
    stamp (so a membership written in between makes the stamp look old, never the entry)."""
    since = retargeting_since(now, settings)
    raw, queued = log.around(
        subject,
        lambda: stores.subject_view(
            subject,
            event_types=policy.event_types_for(Purpose.PERSONALIZATION),
            signals_at=now,
            exposures_since=since,
            exposure_limit=RETARGETING_LOOKBACK,
        ),
    )
    view = consented_view(raw, Purpose.PERSONALIZATION)
    personalized = is_granted(view.consents, Purpose.PERSONALIZATION)
    prefs = view.preferences
    history = view.events
    scored, model = _scored(
        models, arrivals=arrivals, settings=settings, view=view, personalized=personalized, now=now
    )
    scored = community_evidence(
        scored,
        catalogue=catalogue,
        joined=_joined(joined) if is_granted(view.consents, Purpose.COMMUNITY) else (),
        kinds=kinds,
        boost=settings.community.tie_boost,
    )
    profile, exposures = serving_signals(
        subject,
        stores=stores,
        history=history,
        prefs=prefs,
        catalogue=catalogue,
        consents=view.consents,
        now=now,
        settings=settings,
        signals=view.signals,
        recent=with_queued(view.exposures, queued, since=since, limit=RETARGETING_LOOKBACK),
    )
    scored = _with_moves(
        scored, models, profile=profile, catalogue=catalogue, settings=settings, history=history
    )
    ctx = Context(
        subject_id=subject,
        now=now,
        prefs=prefs if prefs is not None else Preferences(),
        catalogue=catalogue,
        history=history,
        exposures=exposures,
        personalized=model is not None and model.scorer.name != FALLBACK,
        consented=personalized,
        limit=limit,
        settings=settings.guards,
        signals=profile,
        score_scale=_scale_of(model),
        request=request,
    )
    rows = tuple(zip(view.exposure_ids, view.exposures, strict=True))
    logged = personalized or is_granted(view.consents, Purpose.ANALYTICS)
    return Prepared(scored, ctx, model, view.stamp, rows, _turns_at(view, now), logged)


def finish(
    prepared: Prepared,
    ctx: Context,
    guards: Sequence[Guard],
    *,
    held: Sequence[HeldBack] = (),
) -> Recommendation:
    """Curate and explain prepared candidates in ``ctx`` (the prepared one, or the same
    moment's with fresher exposures); ``held``: what guards run before held back."""
    model, catalogue = prepared.model, ctx.catalogue
    curated = curate(prepared.scored, ctx, guards, held=held)
    reasons = explain(curated.scored, ctx)
    items = tuple(
        Recommended(catalogue[i], s, reasons[i])
        for i, s in zip(curated.scored.items, curated.scored.scores, strict=True)
    )
    held = curated.held_back if model is not None else (NO_MODEL,)
    return Recommendation(
        ctx.subject_id,
        items,
        held,
        ctx.personalized,
        model.version if model is not None else None,
        prepared.logged,
    )
