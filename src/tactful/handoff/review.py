"""Opening hand-off cases from the stores: read what the triggers need, check them in the
configured order, and open one case (with its brief) when one fires.

Texts are read only under a granted ``emotional_context`` (they are stored only under it
too). Evidence a previous case already covered does not open another: a trigger fires only
on evidence newer than the person's last case.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tactful.consent.ledger import is_granted
from tactful.handoff.brief import EXCERPTS, write_brief
from tactful.handoff.frustration import frustration
from tactful.handoff.triggers import (
    Trigger,
    distress_support,
    erasure_request,
    explicit_request,
    life_event,
    negative_feedback,
)
from tactful.records import Case, CaseStatus, ContactDecision
from tactful.settings import Settings
from tactful.signals.emotional import TEXT_TYPES
from tactful.signals.mood import MoodReading, analyse_many
from tactful.signals.profile import Profile, profile_of
from tactful.store.ports import Stores
from tactful.types import Event, EventType, Preferences, Purpose, SubjectId

BRIEF_WINDOW = timedelta(days=30)
Analyse = Callable[[Sequence[str]], Sequence[MoodReading]]
"""Reads texts (``tactful.signals.mood.analyse_many``)."""
log = logging.getLogger(__name__)


def new_case_id() -> str:
    return "hc_" + secrets.token_hex(10)


def first_trigger(
    settings: Settings,
    *,
    profile: Profile,
    texts: Sequence[Event],
    decisions: Sequence[ContactDecision],
    now: datetime,
    dismissals: Sequence[Event] = (),
) -> Trigger | None:
    """The first configured trigger that fires."""
    e = settings.engage
    since = now - timedelta(days=e.handoff_window_days)
    checks: dict[str, Callable[[], Trigger | None]] = {
        "explicit_request": lambda: explicit_request(texts, since, profile),
        "erasure_request": lambda: erasure_request(profile, since),
        "life_event": lambda: life_event(profile, e.handoff_life_events),
        "distress_support": lambda: distress_support(profile, texts, since),
        "frustration": lambda: frustration(
            profile,
            decisions,
            texts,
            dismissals,
            since=since,
            threshold=e.handoff_negative_outcomes,
        ),
        "negative_feedback": lambda: negative_feedback(
            decisions,
            profile,
            texts,
            since=since,
            threshold=e.handoff_negative_outcomes,
            dismissals=dismissals,
        ),
    }
    for name in e.handoff_triggers:
        check = checks.get(name)
        found = check() if check is not None else None
        if found is not None:
            return found
    return None


@dataclass(frozen=True, slots=True)
class Context:
    """What the triggers and the brief read about one person."""

    prefs: Preferences
    profile: Profile
    texts: tuple[Event, ...]
    decisions: tuple[ContactDecision, ...]
    dismissals: tuple[Event, ...] = ()
    """Recommendations the person dismissed recently (read under ``personalization``)."""


def read_context(
    subject: SubjectId, *, stores: Stores, settings: Settings, now: datetime
) -> Context:
    """Preferences, the profile from stored signals, recent texts (only under
    ``emotional_context``) and recent decisions."""
    view = stores.subject_view(subject, event_types=())
    prefs = view.preferences or Preferences()
    texts: list[Event] = []
    if is_granted(view.consents, Purpose.EMOTIONAL_CONTEXT):
        texts = stores.events.for_subject(subject, since=now - BRIEF_WINDOW, types=TEXT_TYPES)
    profile = profile_of(
        stored=stores.signals.for_subject(subject),
        consents=view.consents,
        prefs=prefs,
        now=now,
        settings=settings,
    )
    decisions = stores.contact_decisions.for_subjects([subject], since=now - BRIEF_WINDOW)
    dismissals: list[Event] = []
    if is_granted(view.consents, Purpose.PERSONALIZATION):
        since = now - timedelta(days=settings.engage.handoff_window_days)
        dismissals = stores.events.for_subject(subject, since=since, types={EventType.DISMISS})
    return Context(prefs, profile, tuple(texts), tuple(decisions[subject]), tuple(dismissals))


def review_handoff(
    subject: SubjectId,
    *,
    stores: Stores,
    settings: Settings,
    now: datetime,
    new_id: Callable[[], str] = new_case_id,
    analyse: Analyse | None = None,
) -> Case | None:
    """Open a case for the person if a trigger fires and none is active; returns the new
    case, or None. The brief's texts are read by ``analyse`` (default: the mood model)."""
    if stores.handoffs.active([subject]):
        return None
    ctx = read_context(subject, stores=stores, settings=settings, now=now)
    trigger = first_trigger(
        settings,
        profile=ctx.profile,
        texts=ctx.texts,
        decisions=ctx.decisions,
        now=now,
        dismissals=ctx.dismissals,
    )
    last = stores.handoffs.latest(subject)
    if trigger is None or (last is not None and trigger.evidence_at <= last.opened_at):
        return None
    brief = write_brief(
        trigger,
        texts=read_texts(trigger, ctx.texts, analyse or analyse_many),
        profile=ctx.profile,
        prefs=ctx.prefs,
        decisions=ctx.decisions,
        now=now,
    )
    case = Case(new_id(), subject, trigger.name, now, CaseStatus.OPEN, brief)
    stored = stores.handoffs.open(case)
    return stored if stored.case_id == case.case_id else None


def read_texts(
    trigger: Trigger, texts: Sequence[Event], analyse: Analyse
) -> list[tuple[Event, MoodReading | None]]:
    """Each text with its reading, for those the brief reads (the ones the trigger cites
    and the latest few); if the model cannot read them, none (the brief then falls back
    to the stored mood signal), since the case must open either way."""
    worded = [e for e in texts if e.text and e.text.strip()]
    latest = {e.event_id for e in worded[-EXCERPTS:]}
    needed = [e for e in worded if e.event_id in trigger.evidence or e.event_id in latest]
    try:
        found = analyse([e.text or "" for e in needed])
        readings = dict(zip((e.event_id for e in needed), found, strict=True))
    except Exception:
        log.exception("reading the brief's texts failed; the brief uses the mood signal")
        readings = {}
    return [(e, readings.get(e.event_id)) for e in texts]


def writers(stored: Sequence[Event], settings: Settings, *, now: datetime) -> list[SubjectId]:
    """Who, in a batch of stored events, recently wrote something a trigger may read
    (older texts, e.g. from a bulk import, are outside every trigger's window)."""
    since = now - timedelta(days=settings.engage.handoff_window_days)
    return sorted({e.subject_id for e in stored if e.type in TEXT_TYPES and e.occurred_at >= since})
