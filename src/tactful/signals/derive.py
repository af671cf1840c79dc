"""Signals through the stores: derived when events are recorded, read when serving.

- On write, a subject whose batch held text gets their mood and life-event signals
  re-derived from their recent texts, only under a granted ``emotional_context`` (checked
  again here, whatever the gate did), and stored in one transaction with their expiry.
- On read, the stored signals are joined by the ones computed from behaviour (interests,
  values, recency, trust, retargeting), which need ``personalization``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from tactful.consent.ledger import fold, is_granted
from tactful.consent.policy import ConsentPolicy
from tactful.settings import Settings
from tactful.signals.asked import carry, is_request
from tactful.signals.behaviour import behaviour_signals, trust_signal
from tactful.signals.emotional import TEXT_TYPES, emotional_signals
from tactful.signals.profile import Profile, build_profile
from tactful.signals.topics import Vocabulary
from tactful.store.ports import ConsentState, Stores
from tactful.types import (
    Decision,
    Event,
    Exposure,
    Item,
    ItemId,
    Preferences,
    Purpose,
    Signal,
    SubjectId,
)

COMPLAINTS = "complaints"
log = logging.getLogger(__name__)


def refresh_emotional(
    subject: SubjectId,
    *,
    stores: Stores,
    now: datetime,
    settings: Settings,
    vocabulary: Vocabulary | None = None,
) -> list[Signal]:
    """Re-derive a subject's mood, life events and requests (and, with the catalogue's
    ``vocabulary``, a hard time's topics) from their recent texts and store them,
    replacing the previous ones (requests are carried over, see ``signals.asked``);
    without ``emotional_context`` they are deleted instead."""
    state = stores.consents.current_many([subject])[subject]
    if not is_granted(state, Purpose.EMOTIONAL_CONTEXT):
        stores.signals.delete(subject, purpose=Purpose.EMOTIONAL_CONTEXT)
        return []
    since = now - timedelta(days=settings.signals.text_window_days)
    texts = stores.events.for_subject(subject, since=since, types=TEXT_TYPES)
    derived = emotional_signals(
        subject, texts, now=now, settings=settings.signals, vocabulary=vocabulary
    )
    previous = stores.signals.for_subject(subject)
    fresh = [s for s in derived if not is_request(s)]
    derived = [*fresh, *carry(previous, [s for s in derived if is_request(s)])]
    kept: list[Signal] = []

    def admit(state: ConsentState) -> Sequence[Signal]:
        # Re-checked inside the write: a withdrawal recorded meanwhile wins.
        kept[:] = derived if is_granted(state[subject], Purpose.EMOTIONAL_CONTEXT) else []
        return kept

    stores.signals.replace(subject, Purpose.EMOTIONAL_CONTEXT, derived, admit=admit)
    return kept


def derive_on_write(
    stored: Sequence[Event],
    *,
    stores: Stores,
    now: datetime,
    settings: Settings,
    vocabulary: Vocabulary | None = None,
) -> dict[SubjectId, list[Signal]]:
    """After events were stored: refresh the emotional signals of everyone who wrote.

    The events are already stored, so a failure here must not fail the request (a retry
    would only meet duplicates): it is logged, and the next text re-derives everything."""
    writers = sorted({e.subject_id for e in stored if e.type in TEXT_TYPES})
    out: dict[SubjectId, list[Signal]] = {}
    for subject in writers:
        try:
            out[subject] = refresh_emotional(
                subject, stores=stores, now=now, settings=settings, vocabulary=vocabulary
            )
        except Exception:
            log.exception("deriving signals failed for one subject; their events are stored")
    return out


def _usable(signals: Sequence[Signal], consents: Mapping[Purpose, Decision]) -> list[Signal]:
    """Signals whose purpose is granted now: a withdrawal takes effect on the next read,
    before any deletion has run."""
    return [s for s in signals if is_granted(consents, s.purpose)]


def _merge(computed: Sequence[Signal], stored: Sequence[Signal]) -> list[Signal]:
    """Stored signals win over computed ones of the same kind (a person's correction)."""
    by_kind = {s.kind: s for s in computed}
    by_kind.update({s.kind: s for s in stored})
    return sorted(by_kind.values(), key=lambda s: s.kind)


RETARGETING_LOOKBACK = 50
"""Retargeting counts read at most this many of the newest responses in the window: an item
shown three times without engagement has been dropped long before 50 newer lists."""


def retargeting_since(now: datetime, settings: Settings) -> datetime:
    """The start of the window whose exposures retargeting counts."""
    return now - timedelta(days=settings.guards.retargeting_window_days)


def serving_signals(
    subject: SubjectId,
    *,
    stores: Stores,
    history: Sequence[Event],
    prefs: Preferences | None,
    catalogue: Mapping[ItemId, Item],
    consents: Mapping[Purpose, Decision],
    now: datetime,
    settings: Settings,
    signals: Sequence[Signal] | None = None,
    recent: Sequence[Exposure] | None = None,
) -> tuple[Profile, tuple[Exposure, ...]]:
    """The profile and recent exposures a recommendation is curated with: two indexed
    reads (signals, exposures in the retargeting window; skipped when the caller read
    them already, see ``retargeting_since``) and one pass over the history.
    Each signal is used only while its purpose is granted; without ``personalization``
    nothing about behaviour or past exposures is used."""
    if signals is None:
        signals = stores.signals.for_subject(subject, now=now)
    stored = _usable(signals, consents)
    exposures: tuple[Exposure, ...] = ()
    computed: list[Signal] = []
    if is_granted(consents, Purpose.PERSONALIZATION):
        if recent is None:
            since = retargeting_since(now, settings)
            recent = stores.exposures.recent(subject, since=since, limit=RETARGETING_LOOKBACK)
        exposures = tuple(recent)
        computed = behaviour_signals(
            subject, history, exposures, catalogue, now=now, settings=settings
        )
    profile = build_profile(
        _merge(computed, stored),
        now=now,
        prefs=prefs,
        distress_threshold=settings.signals.distress_threshold,
        min_confidence=settings.signals.life_event_min_confidence,
    )
    return profile, exposures


def current_signals(
    subject: SubjectId,
    *,
    stores: Stores,
    catalogue: Mapping[ItemId, Item],
    policy: ConsentPolicy,
    now: datetime,
    settings: Settings,
) -> list[Signal]:
    """Every live signal about a person, stored and computed, by kind (what
    ``GET /v1/subjects/{id}/signals`` shows and an export should include)."""
    history_of_consent = stores.consents.history(subject)
    state = fold(history_of_consent)
    stored = _usable(stores.signals.for_subject(subject, now=now), state)
    if not is_granted(state, Purpose.PERSONALIZATION):
        return stored
    types = policy.event_types_for(Purpose.PERSONALIZATION)
    history = stores.events.for_subject(subject, types=types)
    window = timedelta(days=settings.guards.retargeting_window_days)
    exposures = stores.exposures.for_subject(subject, since=now - window)
    computed = behaviour_signals(subject, history, exposures, catalogue, now=now, settings=settings)
    complaints = next((s for s in stored if s.kind == COMPLAINTS), None)
    opt_outs = sum(1 for r in history_of_consent if r.decision is Decision.DENIED)
    computed.append(
        trust_signal(
            subject,
            history,
            now=now,
            complaints=int(complaints.value) if complaints is not None else 0,
            opt_outs=opt_outs,
        )
    )
    return _merge(computed, stored)
