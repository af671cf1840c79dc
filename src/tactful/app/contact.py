"""Engage: contact decisions and their outcomes, milestones and their celebrations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from tactful.app import meters
from tactful.app.catalogue import Catalogue
from tactful.app.ingestion import Erased, refuse_erased
from tactful.consent.policy import ConsentPolicy
from tactful.engage import Candidate, celebration, contact, parse_candidate
from tactful.records import ContactDecision, Milestone
from tactful.settings import Settings
from tactful.store.ports import Stores
from tactful.types import Event, SubjectId

Review = Callable[[Sequence[SubjectId]], object]
"""Hand-offs' ``review``: an outcome may open a case for the person."""


class Contact:
    """Decides whether, when and on which channel to reach a person; records what happened."""

    def __init__(
        self,
        stores: Stores,
        catalogue: Catalogue,
        policy: ConsentPolicy,
        settings: Settings,
        *,
        after_outcome: Review,
        erased: Erased,
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._erased = erased
        self._catalogue = catalogue
        self._policy = policy
        self._settings = settings
        self._after_outcome = after_outcome
        self._clock = clock

    def decide(self, subject: SubjectId, candidate: Candidate | dict[str, Any]) -> ContactDecision:
        """Decide one message (a ``Candidate`` or its JSON form); stored."""
        if not isinstance(candidate, Candidate):
            candidate = parse_candidate(candidate, now=self._clock())
        return self.decide_many([(subject, candidate)])[0]

    def decide_many(self, batch: Sequence[tuple[SubjectId, Candidate]]) -> list[ContactDecision]:
        """Decide a stream of candidates in order (few queries per chunk); all stored.
        ``Conflict`` naming ``subject_id`` if one of the people was erased (nothing is
        stored: an erased id gets no new rows until the person consents again)."""
        refuse_erased(self._erased, {s for s, _ in batch})
        made = contact.decide_contacts(
            batch,
            stores=self._stores,
            catalogue=self._catalogue.current(),
            settings=self._settings,
            policy=self._policy,
        )
        meters.decided(made)
        return made

    def decisions(self, subject: SubjectId, *, limit: int = 100) -> list[ContactDecision]:
        """The person's decisions, newest first."""
        return contact.decisions_of(self._stores, subject, limit=limit)

    def record_outcome(
        self, subject: SubjectId, decision_id: str, outcome: str, *, at: datetime | None = None
    ) -> ContactDecision:
        """What happened to a delivered message: updates fatigue, may open a hand-off."""
        done = contact.record_outcome(
            self._stores,
            subject,
            decision_id,
            contact.parse_outcome(outcome),
            at=at or self._clock(),
            settings=self._settings,
        )
        self._after_outcome([subject])
        return done

    def milestones(self, subject: SubjectId) -> list[tuple[Milestone, ContactDecision | None]]:
        """The person's milestones, each with its celebration decision if there was one."""
        return celebration.milestones_of(self._stores, subject)

    def review_milestones(
        self, subjects: Sequence[SubjectId] | None = None
    ) -> dict[SubjectId, list[Milestone]]:
        """Record newly reached milestones (all people with relevant events by default,
        e.g. daily for anniversaries) and decide their celebrations."""
        found = (
            subjects
            if subjects is not None
            else celebration.candidates(self._stores, self._settings)
        )
        return celebration.review_all(
            found,
            stores=self._stores,
            catalogue=self._catalogue.current(),
            settings=self._settings,
            policy=self._policy,
            now=self._clock(),
        )

    def after_ingest(self, stored: Sequence[Event]) -> None:
        """Milestones for those whose stored events made progress (a reaction of ingest)."""
        found = celebration.achievers(stored, self._settings, now=self._clock())
        if found:  # most batches (views, clicks) move no one towards a milestone
            self.review_milestones(found)
