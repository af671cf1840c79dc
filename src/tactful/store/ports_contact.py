"""The engage and hand-off ports: contact decisions, milestones, hand-off cases, and what
contact decisions read about one person. Re-exported from ``tactful.store.ports``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tactful.records import Case, CaseStatus, ContactDecision, Milestone, Outcome
from tactful.types import Decision, Event, Preferences, Purpose, Signal, SubjectId


# -- engage and hand-off ports ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ContactView:
    """What contact decisions read about one person (see ``Stores.contact_views``)."""

    consents: Mapping[Purpose, Decision]
    preferences: Preferences | None
    events: tuple[Event, ...]
    """Only when asked for, whatever the consents (``tactful.consent.consented_view``
    applies them); oldest first."""
    signals: tuple[Signal, ...]
    decisions: tuple[ContactDecision, ...]
    """Those that reach out (send or defer) in the asked range, oldest first (ties by id);
    without reasons and "why" text, since the budget needs only when and where."""
    case: Case | None
    """The open or claimed hand-off case, if any."""


class ContactDecisionStore(Protocol):
    def add(self, decisions: Sequence[ContactDecision]) -> None:
        """Store new decisions in one transaction; an id already stored is a ``Conflict``."""
        ...

    def get(self, decision_id: str) -> ContactDecision | None: ...

    def for_subjects(
        self, subjects: Collection[SubjectId], *, since: datetime | None = None
    ) -> dict[SubjectId, list[ContactDecision]]:
        """Each subject's decisions made at or after ``since``, oldest first (ties by id);
        subjects without any map to an empty list."""
        ...

    def set_outcome(
        self, decision_id: str, outcome: Outcome, at: datetime
    ) -> ContactDecision | None:
        """Record what happened to a delivered message (a later report replaces an earlier
        one); returns the updated decision, or None for an unknown id."""
        ...


class MilestoneStore(Protocol):
    def add(self, milestones: Sequence[Milestone]) -> list[Milestone]:
        """Store the milestones not reached before (keyed by subject and key) in one
        transaction; returns those that were new. Replaying one changes nothing."""
        ...

    def for_subject(self, subject: SubjectId) -> list[Milestone]:
        """Oldest first."""
        ...


class HandoffStore(Protocol):
    def open(self, case: Case) -> Case:
        """Store a new active case unless the subject already has an active one (one per
        person at a time); returns the subject's active case either way."""
        ...

    def get(self, case_id: str) -> Case | None: ...

    def active(self, subjects: Collection[SubjectId]) -> dict[SubjectId, Case]:
        """The open or claimed case of each subject that has one."""
        ...

    def latest(self, subject: SubjectId) -> Case | None:
        """The subject's most recently opened case, whatever its status."""
        ...

    def by_status(self, status: CaseStatus | None = None, *, limit: int = 100) -> list[Case]:
        """Cases (of one status, or all), oldest opened first."""
        ...

    def update(self, case: Case, *, expected: CaseStatus) -> bool:
        """Replace the stored case if its status is still ``expected`` (so two agents cannot
        both claim it); returns whether it was replaced."""
        ...
