"""Engage and human touch: contact decisions and their outcomes, milestones and their
celebrations, and hand-off cases for people who need a person."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tactful.consent.policy import ConsentPolicy
from tactful.engage import (
    Candidate,
    ContactDecision,
    Milestone,
    celebration,
    contact,
    parse_candidate,
)
from tactful.handoff import Case, queue, review
from tactful.settings import Settings
from tactful.store.ports import Stores
from tactful.types import Event, Item, ItemId, SubjectId


class ContactMixin:
    """Engage and hand-off use cases for ``tactful.app.Tactful``."""

    settings: Settings
    stores: Stores
    clock: Callable[[], datetime]
    policy: ConsentPolicy

    if TYPE_CHECKING:

        def catalogue(self) -> dict[ItemId, Item]: ...

    # -- engage and human touch (issue 6) -------------------------------------------------
    def decide_contact(
        self, subject: SubjectId, candidate: Candidate | dict[str, Any]
    ) -> ContactDecision:
        """Decide whether, when and on which channel to send one message; stored."""
        if not isinstance(candidate, Candidate):
            candidate = parse_candidate(candidate, now=self.clock())
        return self.decide_contacts([(subject, candidate)])[0]

    def decide_contacts(
        self, batch: Sequence[tuple[SubjectId, Candidate]]
    ) -> list[ContactDecision]:
        """Decide a stream of candidates in order (few queries per chunk); all stored."""
        return contact.decide_contacts(
            batch,
            stores=self.stores,
            catalogue=self.catalogue(),
            settings=self.settings,
            policy=self.policy,
        )

    def contact_decisions(self, subject: SubjectId, *, limit: int = 100) -> list[ContactDecision]:
        return contact.decisions_of(self.stores, subject, limit=limit)

    def record_outcome(
        self, subject: SubjectId, decision_id: str, outcome: str, *, at: datetime | None = None
    ) -> ContactDecision:
        """What happened to a delivered message: updates fatigue, may open a hand-off."""
        done = contact.record_outcome(
            self.stores,
            subject,
            decision_id,
            contact.parse_outcome(outcome),
            at=at or self.clock(),
            settings=self.settings,
        )
        self.review_handoffs([subject])
        return done

    def milestones(self, subject: SubjectId) -> list[tuple[Milestone, ContactDecision | None]]:
        """The person's milestones, each with its celebration decision if there was one."""
        return celebration.milestones_of(self.stores, subject)

    def review_milestones(
        self, subjects: Sequence[SubjectId] | None = None
    ) -> dict[SubjectId, list[Milestone]]:
        """Record newly reached milestones (all people with relevant events by default,
        e.g. daily for anniversaries) and decide their celebrations."""
        found = (
            subjects if subjects is not None else celebration.candidates(self.stores, self.settings)
        )
        return celebration.review_all(
            found,
            stores=self.stores,
            catalogue=self.catalogue(),
            settings=self.settings,
            policy=self.policy,
            now=self.clock(),
        )

    def review_handoffs(self, subjects: Sequence[SubjectId]) -> list[Case]:
        """Open a hand-off case for each person a trigger fires for (none while one is open)."""
        now = self.clock()
        opened = (
            review.review_handoff(s, stores=self.stores, settings=self.settings, now=now)
            for s in sorted(set(subjects))
        )
        return [c for c in opened if c is not None]

    def engage_after_ingest(self, stored: Sequence[Event]) -> None:
        """Hand-off triggers for those who wrote; milestones for those who made progress."""
        now = self.clock()
        self.review_handoffs(review.writers(stored, self.settings, now=now))
        self.review_milestones(celebration.achievers(stored, self.settings, now=now))

    def handoffs(self, status: str | None = None, *, limit: int = 100) -> list[Case]:
        return queue.cases(self.stores.handoffs, status, limit=limit)

    def handoff(self, case_id: str) -> Case:
        return queue.case_of(self.stores.handoffs, case_id)

    def claim_handoff(self, case_id: str, agent: str) -> Case:
        return queue.claim_case(self.stores.handoffs, case_id, agent, now=self.clock())

    def resolve_handoff(self, case_id: str, outcome: str, *, agent: str | None = None) -> Case:
        return queue.resolve_case(
            self.stores.handoffs, case_id, outcome, now=self.clock(), agent=agent
        )
