"""What the insights read, gathered once per request: the rows of a window as stored, and
the consent each use is allowed (``consented``). Pure: the app reads, this decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from tactful.consent.ledger import fold, is_granted
from tactful.records import Case, ContactDecision
from tactful.types import (
    ConsentRecord,
    Decision,
    Event,
    EventType,
    Exposure,
    Item,
    Preferences,
    Purpose,
    Signal,
    SubjectId,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """The valence (-1 to 1) of one text a person wrote, and when."""

    subject_id: SubjectId
    at: datetime
    valence: float


@dataclass(frozen=True, slots=True)
class InsightRows:
    """The rows of a window (consent history up to its end); see ``consented``."""

    events: tuple[Event, ...] = ()
    consents: tuple[ConsentRecord, ...] = ()
    exposures: tuple[Exposure, ...] = ()
    decisions: tuple[ContactDecision, ...] = ()
    cases: tuple[Case, ...] = ()
    fatigue: tuple[Signal, ...] = ()
    readings: tuple[Reading, ...] = ()
    items: tuple[Item, ...] = ()
    preferences: Mapping[SubjectId, Preferences] = field(default_factory=dict)
    tallies: Mapping[date, int] = field(default_factory=dict)
    """Responses shown without a logged exposure, per UTC day."""
    measured: frozenset[SubjectId] | None = None
    """The people whose feedback insights may read (``analytics`` granted); None before
    ``consented``: everyone."""


def histories(records: Iterable[ConsentRecord]) -> dict[SubjectId, list[ConsentRecord]]:
    """Each subject's records, in the order given (recording order)."""
    out: dict[SubjectId, list[ConsentRecord]] = defaultdict(list)
    for r in records:
        out[r.subject_id].append(r)
    return dict(out)


def states_at(
    records: Iterable[ConsentRecord], at: datetime
) -> dict[SubjectId, dict[Purpose, Decision]]:
    """Everyone's folded consent state from the records made before ``at``."""
    return {s: fold(r for r in rs if r.at < at) for s, rs in histories(records).items()}


def consented(rows: InsightRows, *, at: datetime) -> InsightRows:
    """The rows as insights may use them: events only of people whose ``analytics`` is
    granted at ``at``, text readings only of people whose ``emotional_context`` is.
    Exposures, decisions, cases and consents are Tactful's own records and all count."""
    state = states_at(rows.consents, at)

    def granted(subject: SubjectId, purpose: Purpose) -> bool:
        return is_granted(state.get(subject, {}), purpose)

    measured = frozenset(s for s in state if granted(s, Purpose.ANALYTICS))
    return replace(
        rows,
        measured=measured,
        events=tuple(e for e in rows.events if granted(e.subject_id, Purpose.ANALYTICS)),
        readings=tuple(
            r for r in rows.readings if granted(r.subject_id, Purpose.EMOTIONAL_CONTEXT)
        ),
    )


TEXT_TYPES = frozenset({EventType.FEEDBACK_TEXT, EventType.SUPPORT_MESSAGE})


def readable_texts(
    events: Iterable[Event], consents: Iterable[ConsentRecord], *, at: datetime
) -> list[Event]:
    """The text events whose author has ``emotional_context`` granted at ``at``: the only
    texts whose valence the mood trend may read."""
    state = states_at(consents, at)
    return [
        e
        for e in events
        if e.type in TEXT_TYPES
        and e.text
        and is_granted(state.get(e.subject_id, {}), Purpose.EMOTIONAL_CONTEXT)
    ]
